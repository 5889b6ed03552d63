"""Velocity expressions and references: the half of the parser that reads ``$x.y(1)``,
``"a $b"``, ``[1..3]``, ``{k: v}`` and operators, for directives and text alike.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from actionpact.genesys._velocity_ast import (
    Binary,
    Block,
    Expr,
    Index,
    Interpolated,
    ListLiteral,
    Literal,
    MapLiteral,
    Method,
    Part,
    Prop,
    Range,
    Ref,
    Unary,
)

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "IDENT",
    "MAX_NESTING",
    "UNICODE_ESCAPE",
    "WS",
    "ExpressionParser",
    "VelocitySyntax",
    "tolerant",
]

MAX_NESTING = 40

IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
WS = re.compile(r"[ \t\r\n]*")
UNICODE_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_NUMBER = re.compile(r"\d+(\.\d+)?([eE][+-]?\d+)?")
_WORD_END = r"(?![A-Za-z0-9_])"
_OR = re.compile(rf"\|\||or{_WORD_END}")
_AND = re.compile(rf"&&|and{_WORD_END}")
_EQUALITY = re.compile(rf"==|!=|eq{_WORD_END}|ne{_WORD_END}")
_RELATION = re.compile(rf"<=|>=|<|>|le{_WORD_END}|ge{_WORD_END}|lt{_WORD_END}|gt{_WORD_END}")
_ADDITIVE = re.compile(r"\+|-")
_MULTIPLICATIVE = re.compile(r"\*|/|%")
_NOT = re.compile(rf"!(?!=)|not{_WORD_END}")
_CONSTANT = re.compile(rf"(true|false|null){_WORD_END}")
_NORMAL_OP = {"or": "||", "and": "&&", "eq": "==", "ne": "!=", "lt": "<", "gt": ">", "le": "<="}
_NORMAL_OP["ge"] = ">="


class VelocitySyntax(Exception):
    """A parse error at a 0-based offset."""

    def __init__(self, reason: str, pos: int):
        super().__init__(reason)
        self.reason = reason
        self.pos = pos


def _describe(source: str, pos: int) -> str:
    if pos >= len(source):
        return "<EOF>"
    token = re.match(r"\S{1,20}|\s", source[pos:])
    text = token.group() if token else source[pos]
    return {"\n": "<NEWLINE>", "\r": "<NEWLINE>", "\t": "<TAB>", " ": "<SPACE>"}.get(text, text)


class ExpressionParser:
    """A cursor over the template source that reads expressions and references.

    The template parser extends it with text, blocks and directives; ``parse_string``
    (set by it) parses an interpolated string's content as a block.
    """

    def __init__(self, source: str):
        self.s = source
        self.i = 0
        self.limit = len(source)
        self.in_string = False
        self.depth = 0
        self.parse_string: Callable[[], Block] | None = None

    # ------------------------------------------------------------------ helpers

    def fail(self, reason: str, pos: int | None = None) -> VelocitySyntax:
        return VelocitySyntax(reason, self.i if pos is None else pos)

    def unexpected(self, expecting: str, pos: int | None = None) -> VelocitySyntax:
        at = self.i if pos is None else pos
        found = "<EOF>" if at >= self.limit else _describe(self.s, at)
        return VelocitySyntax(f'Encountered "{found}", was expecting {expecting}', at)

    def skip_ws(self) -> None:
        match = WS.match(self.s, self.i, self.limit)
        if match:
            self.i = match.end()

    def expect(self, char: str, expecting: str | None = None) -> None:
        self.skip_ws()
        if self.i < self.limit and self.s[self.i] == char:
            self.i += 1
            return
        raise self.unexpected(expecting or f'"{char}"')

    def enter(self, pos: int) -> None:
        if self.depth >= MAX_NESTING:
            raise self.fail(f"the template nests more than {MAX_NESTING} levels deep", pos)
        self.depth += 1

    # ------------------------------------------------------------------ references

    def reference(self, start: int) -> Ref | None:
        """The reference at ``s[start] == '$'``, or ``None`` if it is plain text."""
        s, limit = self.s, self.limit
        j = start + 1
        silent = j < limit and s[j] == "!"
        if silent:
            j += 1
        braced = j < limit and s[j] == "{"
        if braced:
            j += 1
        match = IDENT.match(s, j, limit)
        if match is None:
            return None
        root = match.group()
        j = match.end()
        parts: list[Part] = []
        while j < limit:
            char = s[j]
            if char == ".":
                member = IDENT.match(s, j + 1, limit)
                if member is None:
                    break
                k = member.end()
                if k < limit and s[k] == "(":
                    self.i = k + 1
                    parts.append(Method(member.group(), self.arguments(k), j + 1))
                    j = self.i
                else:
                    parts.append(Prop(member.group(), j + 1))
                    j = k
            elif char == "[":
                self.i = j + 1
                try:
                    self.enter(j)
                    self.skip_ws()
                    index = self.expression()
                    self.expect("]")
                except VelocitySyntax:
                    if braced:
                        raise
                    break
                finally:
                    self.depth -= 1
                parts.append(Index(index, j))
                j = self.i
            else:
                break
        alternate = None
        if braced:
            self.i = j
            if s.startswith("|", j):
                self.i = j + 1
                self.skip_ws()
                alternate = self.expression()
                self.skip_ws()
            if not s.startswith("}", self.i):
                raise self.unexpected('"}"')
            j = self.i + 1
        self.i = j
        return Ref(root, tuple(parts), start, s[start:j], silent, alternate)

    def arguments(self, open_pos: int) -> tuple[Expr, ...]:
        """Method arguments; ``self.i`` is just past ``(``."""
        self.enter(open_pos)
        try:
            args: list[Expr] = []
            self.skip_ws()
            if self.s.startswith(")", self.i):
                self.i += 1
                return ()
            while True:
                self.skip_ws()
                args.append(self.expression())
                self.skip_ws()
                if self.s.startswith(",", self.i):
                    self.i += 1
                    continue
                self.expect(")", '"," or ")"')
                return tuple(args)
        finally:
            self.depth -= 1

    # ------------------------------------------------------------------ expressions

    def expression(self) -> Expr:
        return self.binary(0)

    _LEVELS = (_OR, _AND, _EQUALITY, _RELATION, _ADDITIVE, _MULTIPLICATIVE)

    def binary(self, level: int) -> Expr:
        if level == len(self._LEVELS):
            return self.unary()
        start = self.i
        left = self.binary(level + 1)
        pattern = self._LEVELS[level]
        while True:
            before = self.i
            self.skip_ws()
            match = pattern.match(self.s, self.i, self.limit)
            if match is None:
                self.i = before
                return left
            op = _NORMAL_OP.get(match.group(), match.group())
            self.i = match.end()
            self.skip_ws()
            right_start = self.i
            right = self.binary(level + 1)
            left = Binary(
                op,
                left,
                right,
                match.start(),
                self.s[start:before],
                self.s[right_start : self.i],
            )

    def unary(self) -> Expr:
        start = self.i
        match = _NOT.match(self.s, self.i, self.limit)
        if match is not None:
            self.enter(start)
            try:
                self.i = match.end()
                self.skip_ws()
                return Unary("!", self.unary(), start)
            finally:
                self.depth -= 1
        if self.s.startswith("-", self.i) and not _NUMBER.match(self.s, self.i + 1, self.limit):
            self.enter(start)
            try:
                self.i += 1
                self.skip_ws()
                operand_start = self.i
                operand = self.unary()
                return Unary("-", operand, start, self.s[operand_start : self.i])
            finally:
                self.depth -= 1
        return self.primary()

    def primary(self) -> Expr:
        s, start = self.s, self.i
        if start >= self.limit:
            raise self.unexpected("an expression")
        char = s[start]
        if char == "$":
            ref = self.reference(start)
            if ref is None:
                raise self.unexpected("a reference")
            return ref
        if char == "-":
            number = _NUMBER.match(s, start + 1, self.limit)
            assert number is not None
            self.i = number.end()
            return Literal(-_number(number))
        number = _NUMBER.match(s, start, self.limit)
        if number is not None:
            self.i = number.end()
            return Literal(_number(number))
        if char == "'":
            return self.single_quoted()
        if char == '"':
            return self.double_quoted()
        if char in "[{(":
            self.enter(start)
            try:
                self.i += 1
                self.skip_ws()
                if char == "(":
                    inner = self.expression()
                    self.expect(")")
                    return inner
                return self.list_or_range(start) if char == "[" else self.map_literal()
            finally:
                self.depth -= 1
        constant = _CONSTANT.match(s, start, self.limit)
        if constant is not None:
            self.i = constant.end()
            return Literal({"true": True, "false": False, "null": None}[constant.group(1)])
        raise self.unexpected("an expression")

    def single_quoted(self) -> Literal:
        s, start = self.s, self.i
        j = start + 1
        while True:
            close = s.find("'", j, self.limit)
            if close < 0:
                raise self.fail("Unterminated string literal", start)
            if s.startswith("''", close):
                j = close + 2
                continue
            self.i = close + 1
            return Literal(s[start + 1 : close].replace("''", "'"))

    def double_quoted(self) -> Expr:
        s, start = self.s, self.i
        j = start + 1
        while True:
            if j >= self.limit:
                raise self.fail("Unterminated string literal", start)
            char = s[j]
            if char == "\\":
                j += 2
            elif char == '"':
                if s.startswith('""', j) and j + 1 < self.limit:
                    j += 2
                    continue
                break
            else:
                j += 1
        if j >= self.limit:
            raise self.fail("Unterminated string literal", start)
        raw = s[start + 1 : j]
        self.i = j + 1
        if "$" not in raw and "#" not in raw:
            value = UNICODE_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), raw)
            return Literal(value.replace('""', '"'))
        return self.interpolated(start + 1, j)

    def interpolated(self, begin: int, end: int) -> Interpolated:
        saved = (self.i, self.limit, self.in_string)
        self.enter(begin - 1)
        self.i, self.limit, self.in_string = begin, end, True
        try:
            assert self.parse_string is not None
            body = self.parse_string()
        finally:
            self.i, self.limit, self.in_string = saved
            self.depth -= 1
        return Interpolated(body, begin - 1)

    def list_or_range(self, start: int) -> Expr:
        if self.s.startswith("]", self.i):
            self.i += 1
            return ListLiteral(())
        first = self.expression()
        self.skip_ws()
        if self.s.startswith("..", self.i):
            self.i += 2
            self.skip_ws()
            high = self.expression()
            self.expect("]")
            return Range(first, high, start)
        items = [first]
        while self.s.startswith(",", self.i):
            self.i += 1
            self.skip_ws()
            items.append(self.expression())
            self.skip_ws()
        self.expect("]", '"," or "]"')
        return ListLiteral(tuple(items))

    def map_literal(self) -> MapLiteral:
        pairs: list[tuple[Expr, Expr]] = []
        if self.s.startswith("}", self.i):
            self.i += 1
            return MapLiteral(())
        while True:
            key = self.expression()
            self.expect(":")
            self.skip_ws()
            pairs.append((key, self.expression()))
            self.skip_ws()
            if self.s.startswith(",", self.i):
                self.i += 1
                self.skip_ws()
                continue
            self.expect("}", '"," or "}"')
            return MapLiteral(tuple(pairs))


def _number(match: re.Match[str]) -> int | float:
    text = match.group()
    if match.group(1) or match.group(2):
        return float(text)
    return int(text)


def tolerant(expr: Expr) -> Expr:
    """Mark the bare references Velocity's strict mode lets be unset inside ``#if``.

    A reference with no property or method that is the whole condition, or an operand
    of ``!``, ``&&`` or ``||``, is null when unset instead of an error.
    """
    if isinstance(expr, Ref):
        return replace(expr, tolerant=True) if not expr.parts else expr
    if isinstance(expr, Unary) and expr.op == "!":
        return replace(expr, operand=tolerant(expr.operand))
    if isinstance(expr, Binary) and expr.op in ("&&", "||"):
        return replace(expr, left=tolerant(expr.left), right=tolerant(expr.right))
    return expr
