"""The ``[?(...)]`` filter compiler, reading filters exactly as Jayway's FilterCompiler does.

Grammar (Jayway's)::

    LogicalOR     = LogicalAND { '||' LogicalAND }
    LogicalAND    = Operand { '&&' Operand }
    Operand       = Relational | '(' LogicalOR ')' | '!' Operand
    Relational    = Value [ Operator Value ]       (no operator: an existence test)

Jayway's scanner decides where a path operand ends (at a blank, an operator character or a
closing parenthesis), so ``@.a&&@.b`` is one odd property name, and ``!@.x == 'a'`` is
``@.x == 'a'``: the ``!`` only negates an existence test. Both are kept.

Compiling yields the public ``Condition`` and a predicate ``(item, root) -> bool`` that raises
like Jayway's (``Invalid`` makes the filter reject the item).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from actionpact.core import UNSET
from actionpact.genesys._jsonpath_eval import NotFound, Predicate, read_fast
from actionpact.genesys._jsonpath_model import (
    And,
    Compare,
    CompiledPath,
    Condition,
    Exists,
    JsonLiteral,
    Not,
    Operand,
    Or,
    Regex,
    RelPath,
    SubPath,
)
from actionpact.genesys._jsonpath_text import Cursor, InvalidPath, java_decimal, unescape
from actionpact.genesys._jsonpath_values import (
    OPERATORS,
    UNDEFINED,
    Node,
    compile_regex,
    doc_node,
    parse_json_literal,
    relational,
)

__all__ = ["SubCompiler", "compile_filter"]

# Compiles a path found inside a filter; (text, index of its first character) -> path.
SubCompiler = Callable[[str, int], CompiledPath]
_REL_CHARS = "<>=~!"
_FLAG_CHARS = "dixmsuU"
_Reader = Callable[[Any, Any], Node]


@dataclass(frozen=True, slots=True)
class _Value:
    operand: Operand
    read: _Reader
    path: CompiledPath | None = None
    should_exist: bool = True


def compile_filter(text: str, offset: int, sub: SubCompiler) -> tuple[Condition, Predicate]:
    """Compile ``[?(...)]``; ``offset`` is its index in the whole path (for positions)."""
    return _FilterCompiler(text, offset, sub).compile()


class _FilterCompiler:
    def __init__(self, text: str, offset: int, sub: SubCompiler) -> None:
        self.text = text
        self.offset = offset
        self.sub = sub
        c = Cursor(text)
        c.trim()
        if not c.current_is("[") or not c.last_is("]"):
            raise InvalidPath(f"Filter must start with '[' and end with ']'. {text}", offset)
        c.pos += 1
        c.end -= 1
        c.trim()
        if not c.current_is("?"):
            raise InvalidPath(f"Filter must start with '[?' and end with ']'. {text}", offset)
        c.pos += 1
        c.trim()
        if not c.current_is("(") or not c.last_is(")"):
            raise InvalidPath(f"Filter must start with '[?(' and end with ')]'. {text}", offset)
        self.c = c

    def fail(self, reason: str) -> InvalidPath:
        return InvalidPath(reason, self.offset + self.c.pos)

    def compile(self) -> tuple[Condition, Predicate]:
        try:
            result = self.read_or()
        except (ValueError, IndexError, re.error):
            # Jayway wraps anything but its own exceptions in this message.
            pos = self.c.pos
            char = self.text[pos] if 0 <= pos < len(self.text) else ""
            raise InvalidPath(
                f"Failed to parse filter: {self.text}, error on position: {pos}, char: {char}",
                self.offset + pos,
            ) from None
        self.c.skip_blanks()
        if self.c.in_bounds():
            rest = self.text[self.c.pos : self.c.length()]
            raise self.fail(f"Expected end of filter expression instead of: {rest}")
        return result

    # ----------------------------------------------------------------- logic

    def read_or(self) -> tuple[Condition, Predicate]:
        ops = [self.read_and()]
        while True:
            save = self.c.pos
            if self.c.has_significant("||"):
                ops.append(self.read_and())
            else:
                self.c.pos = save
                break
        if len(ops) == 1:
            return ops[0]
        preds = tuple(p for _, p in ops)

        def either(item: Any, root: Any) -> bool:
            return any(p(item, root) for p in preds)

        return Or(tuple(c for c, _ in ops)), either

    def read_and(self) -> tuple[Condition, Predicate]:
        ops = [self.read_operand()]
        while True:
            save = self.c.pos
            if self.c.has_significant("&&"):
                ops.append(self.read_operand())
            else:
                self.c.pos = save
                break
        if len(ops) == 1:
            return ops[0]
        preds = tuple(p for _, p in ops)

        def both(item: Any, root: Any) -> bool:
            return all(p(item, root) for p in preds)

        return And(tuple(c for c, _ in ops)), both

    def read_operand(self) -> tuple[Condition, Predicate]:
        c = self.c
        save = c.skip_blanks().pos
        if c.skip_blanks().current_is("!"):
            c.read_significant("!")
            if c.skip_blanks().current() in "$@":
                c.pos = save
            else:
                cond, pred = self.read_operand()
                return Not(cond), lambda item, root: not pred(item, root)
        if c.skip_blanks().current_is("("):
            c.read_significant("(")
            result = self.read_or()
            c.read_significant(")")
            return result
        return self.read_relational()

    def read_relational(self) -> tuple[Condition, Predicate]:
        left = self.read_value()
        save = self.c.pos
        try:
            op = self.read_operator()
            right = self.read_value()
        except InvalidPath:
            self.c.pos = save
        else:
            return Compare(left.operand, op, right.operand), _comparison(left, op, right)
        if left.path is None or not isinstance(left.operand, tuple | SubPath):
            raise self.fail("Expected path node")
        exists = _exists_reader(left.operand, left.path)
        test = Exists(left.operand)
        if left.should_exist:
            return test, exists
        return Not(test), lambda item, root: not exists(item, root)

    def read_operator(self) -> str:
        c = self.c
        begin = c.skip_blanks().pos
        if c.current() in _REL_CHARS:
            while c.in_bounds() and c.current() in _REL_CHARS:
                c.pos += 1
        else:
            while c.in_bounds() and c.current() != " ":
                c.pos += 1
        # Jayway upper-cases with Locale.ROOT before matching; lower() keeps our spelling.
        op = self.text[begin : c.pos].upper().lower()
        if op not in OPERATORS:
            raise InvalidPath(f"Filter operator {self.text[begin : c.pos]} is not supported!")
        return op

    # ----------------------------------------------------------------- values

    def read_value(self) -> _Value:
        c = self.c
        char = c.skip_blanks().current()
        if char in "$@":
            return self.read_path()
        if char == "!":
            c.pos += 1
            if c.skip_blanks().current() in "$@":
                return self.read_path()
            raise self.fail("Unexpected character: !")
        return self.read_literal()

    def read_literal(self) -> _Value:
        char = self.c.skip_blanks().current()
        if char in "'\"":
            return self.read_string(char)
        if char in "tf":
            return self.read_word("true" if char == "t" else "false", char == "t")
        if char == "n":
            return self.read_word("null", None)
        if char in "[{":
            return self.read_json(char)
        if char == "/":
            return self.read_pattern()
        return self.read_number()

    def read_string(self, quote: str) -> _Value:
        c = self.c
        close = c.next_unescaped(quote)
        if close == -1:
            raise self.fail(
                f"String literal does not have matching quotes. Expected {quote} in {self.text}"
            )
        value = unescape(self.text[c.pos + 1 : close])
        c.pos = close + 1
        return _constant(value, ("S", value))

    def read_word(self, word: str, value: bool | None) -> _Value:
        c = self.c
        end = c.pos + len(word) - 1
        if not c.in_bounds(end) or self.text[c.pos : end + 1] != word:
            kind = "<null> value" if value is None else "boolean literal"
            raise self.fail(f"Expected {kind}")
        c.pos = end + 1
        return _constant(value, ("Z", None) if value is None else ("B", value))

    def read_number(self) -> _Value:
        c = self.c
        begin = c.pos
        while c.in_bounds() and (c.current().isdecimal() or c.current() in "-.Ee"):
            c.pos += 1
        text = self.text[begin : c.pos]
        number = java_decimal(text)
        if number is None:
            # NumberFormatException: not an InvalidPathException, so no fallback applies.
            raise ValueError(f"not a number: {text!r}")
        plain: int | float = int(number) if not any(ch in text for ch in ".eE") else float(number)
        return _constant(plain, ("N", number))

    def read_json(self, open_char: str) -> _Value:
        c = self.c
        begin = c.pos
        close = c.matching_close(
            c.pos, open_char, "]" if open_char == "[" else "}", strings=True, regex=False
        )
        if close == -1:
            raise self.fail(f"String not closed. Expected ' in {self.text}")
        c.pos = close + 1
        text = self.text[begin : c.pos]
        literal = JsonLiteral(text, parse_json_literal(text))
        return _constant(literal, ("T", literal))

    def read_pattern(self) -> _Value:
        c = self.c
        begin = c.pos
        close = c.next_unescaped("/")
        if close == -1:
            raise self.fail(f"Pattern not closed. Expected / in {self.text}")
        end = close + 1
        while c.in_bounds(end) and self.text[end] in _FLAG_CHARS:
            end += 1
        c.pos = end
        token = self.text[begin:end]
        first, last = token.index("/"), token.rindex("/")
        regex = Regex(token[first + 1 : last], token[last + 1 :])
        compiled = compile_regex(regex.pattern, regex.flags)
        return _constant(regex, ("P", compiled))

    def read_path(self) -> _Value:
        c = self.c
        previous = c.previous_significant_char()
        begin = c.pos
        c.pos += 1
        while c.in_bounds():
            if c.current() == "[":
                close = c.matching_close(c.pos, "[", "]", strings=True, regex=False)
                if close == -1:
                    raise self.fail(f"Square brackets does not match in filter {self.text}")
                c.pos = close + 1
            char = c.current()
            closing = char == ")" and not self.closes_function(begin)
            if not c.in_bounds() or char in _REL_CHARS or char == " " or closing:
                break
            c.pos += 1
        text = self.text[begin : c.pos]
        path = self.sub(text, self.offset + begin)
        operand = _operand(text, path)
        return _Value(operand, _path_reader(operand, path), path, previous != "!")

    def closes_function(self, lower: int) -> bool:
        c = self.c
        i = c.previous_significant_index()
        if i == -1 or self.text[i] != "(":
            return False
        i -= 1
        while c.in_bounds(i) and i > lower:
            if self.text[i] == ".":
                return True
            i -= 1
        return False


# --------------------------------------------------------------------------- readers


def _comparison(left: _Value, op: str, right: _Value) -> Predicate:
    evaluate = relational(op)
    lread, rread = left.read, right.read
    if (
        op in ("==", "!=")
        and isinstance(left.operand, tuple)
        and left.path is not None
        and isinstance(right.operand, str)
    ):
        # The usual translation-map filter, `@.purpose == 'agent'`: string to string needs
        # none of Jayway's conversions.
        keys, literal, negate = left.path._plan.fast, right.operand, op == "!="

        def string_equality(item: Any, root: Any) -> bool:
            value = read_fast(keys, item)
            if type(value) is str:
                return (value == literal) != negate
            return evaluate(lread(item, root), rread(item, root))

        return string_equality

    def compare(item: Any, root: Any) -> bool:
        return evaluate(lread(item, root), rread(item, root))

    return compare


def _constant(operand: Operand, node: Node) -> _Value:
    return _Value(operand, lambda item, root: node)


def _operand(text: str, path: CompiledPath) -> RelPath | SubPath:
    simple = path._plan.fast
    if simple is not None and path.normalized.startswith("@"):
        return tuple(key for _, key in simple)
    return SubPath(text, path)


def _path_reader(operand: RelPath | SubPath, path: CompiledPath) -> _Reader:
    plan = path._plan
    if isinstance(operand, tuple):
        keys = plan.fast

        def relative(item: Any, root: Any) -> Node:
            value = read_fast(keys, item)
            return UNDEFINED if value is UNSET else doc_node(value)

        return relative
    on_root = plan.root_is_document

    def general(item: Any, root: Any) -> Node:
        try:
            value = plan.read(root if on_root else item, root, require=False)
        except NotFound:
            return UNDEFINED
        return doc_node(value)

    return general


def _exists_reader(operand: Operand, path: CompiledPath) -> Predicate:
    plan = path._plan
    if isinstance(operand, tuple):
        keys = plan.fast
        return lambda item, root: read_fast(keys, item) is not UNSET

    def exists(item: Any, root: Any) -> bool:
        # Jayway tests existence with REQUIRE_PROPERTIES: an indefinite path "exists" even
        # when it matches nothing, unless a property is missing on the way. It reads even a
        # `$` path from the current item, not from the root.
        try:
            plan.read(item, root, require=True)
        except NotFound:
            return False
        return True

    return exists
