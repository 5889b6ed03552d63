"""Parse Velocity template text into :mod:`._velocity_ast` nodes.

Follows Velocity 2 as Genesys configures it: ``$``/``#`` that do not start a reference or
a directive are plain text (URLs, ``#FF0000``), ``\\$x`` escapes a reference, ``##`` and
``#* *#`` are comments, ``#[[ ]]#`` is unparsed text, and a directive alone on its line
takes its indentation and line break with it (``space.gobbling = lines``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from actionpact.genesys._velocity_ast import (
    Block,
    Break,
    Define,
    Evaluate,
    Expr,
    Foreach,
    If,
    Include,
    MacroCall,
    MacroDef,
    Node,
    RefOut,
    Set,
    Stop,
    Text,
)
from actionpact.genesys._velocity_expr import (
    IDENT,
    UNICODE_ESCAPE,
    ExpressionParser,
    VelocitySyntax,
    tolerant,
)

__all__ = ["ParsedTemplate", "VelocitySyntax", "parse"]

_SPECIAL = re.compile(r"[$#\\]")
_DIRECTIVE = re.compile(r"#(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")
_OPEN_PAREN = re.compile(r"[ \t\r\n]*\(")
_TRAILING = re.compile(r"[ \t]*(?:\r\n|\n|\r|\Z)")
_IN = re.compile(r"[ \t\r\n]+in[ \t\r\n]+")
_SEPARATOR = re.compile(r"[ \t\r\n]*,?[ \t\r\n]*")

_BLOCK_END = frozenset({"end", "else", "elseif"})
_WITH_ARGS = frozenset({"if", "foreach", "set", "macro", "define", "evaluate", "parse", "include"})
_KNOWN = _BLOCK_END | _WITH_ARGS | {"break", "stop"}


@dataclass(frozen=True, slots=True)
class ParsedTemplate:
    """A template's body and the macros it defines (Velocity registers them at parse time)."""

    body: Block
    macros: dict[str, MacroDef]


@dataclass(slots=True)
class _End:
    """The directive that closed a block: ``#end``, ``#else`` or ``#elseif(cond)``."""

    name: str
    pos: int
    condition: Expr | None = None


def parse(source: str) -> ParsedTemplate:
    """Parse a whole template.

    Raises:
        VelocitySyntax: the template does not parse.
    """
    parser = _Parser(source)
    body, end = parser.block(frozenset())
    if end is not None:  # pragma: no cover - block() raises on unexpected ends
        raise VelocitySyntax(f'Encountered "#{end.name}"', end.pos)
    return ParsedTemplate(body, parser.macros)


class _Parser(ExpressionParser):
    def __init__(self, source: str):
        super().__init__(source)
        self.in_if = 0
        self.macros: dict[str, MacroDef] = {}
        self.parse_string = lambda: self.block(frozenset())[0]

    def alone(self, start: int, end: int) -> tuple[int, int] | None:
        """Prefix length and end of line when ``s[start:end]`` is alone on its line."""
        line_start = self.s.rfind("\n", 0, start) + 1
        prefix = self.s[line_start:start]
        if prefix.strip(" \t"):
            return None
        trailing = _TRAILING.match(self.s, end, self.limit)
        if trailing is None:
            return None
        return len(prefix), trailing.end()

    # ------------------------------------------------------------------ blocks

    def block(self, ends: frozenset[str]) -> tuple[Block, _End | None]:
        out = _Builder(self)
        s = self.s
        while True:
            match = _SPECIAL.search(s, self.i, self.limit)
            stop = match.start() if match else self.limit
            if stop > self.i:
                out.text(s[self.i : stop])
                self.i = stop
            if match is None:
                break
            char = s[stop]
            if char == "$":
                ref = self.reference(stop)
                if ref is None:
                    out.text("$")
                    self.i = stop + 1
                else:
                    out.add(RefOut(ref))
            elif char == "\\":
                self.backslashes(stop, out)
            else:
                end = self.hash(stop, ends, out)
                if end is not None:
                    return out.finish(), end
        return out.finish(), None

    def hash(self, stop: int, ends: frozenset[str], out: _Builder) -> _End | None:
        """Whatever starts with ``#`` at ``stop``: comment, directive, macro call or text."""
        s = self.s
        if s.startswith("##", stop):
            newline = s.find("\n", stop, self.limit)
            self.i = self.limit if newline < 0 else newline + 1
            return None
        if s.startswith("#*", stop):
            close = s.find("*#", stop + 2, self.limit)
            if close < 0:
                raise self.fail("Unterminated comment: #* has no closing *#", stop)
            self.i = close + 2
            return None
        if s.startswith("#[[", stop):
            close = s.find("]]#", stop + 3, self.limit)
            if close < 0:
                raise self.fail("Unterminated unparsed content: #[[ has no closing ]]#", stop)
            out.text(s[stop + 3 : close])
            self.i = close + 3
            return None
        directive = _DIRECTIVE.match(s, stop, self.limit)
        if directive is None:
            out.text("#")
            self.i = stop + 1
            return None
        name = directive.group(1) or directive.group(2)
        after = directive.end()
        if name in _BLOCK_END:
            if name not in ends:
                raise self.fail(f'Encountered "#{name}" without a matching opening directive', stop)
            self.i = after
            condition = self.directive_condition() if name == "elseif" else None
            self.i = out.gobble(stop, self.i)
            return _End(name, stop, condition)
        if name in _WITH_ARGS:
            paren = _OPEN_PAREN.match(s, after, self.limit)
            if paren is None:
                out.text(s[stop:after])
                self.i = after
                return None
            self.i = paren.end()
            self.enter(stop)
            try:
                node = self.directive(name, stop, out)
            finally:
                self.depth -= 1
            if node is not None:
                out.add(node)
            return None
        if name in ("break", "stop"):
            self.i = after
            if s.startswith("(", after):
                self.i = after + 1
                self.skip_ws()
                if not s.startswith(")", self.i):
                    self.expression()
                self.expect(")")
            self.i = out.gobble(stop, self.i)
            out.add(Break() if name == "break" else Stop())
            return None
        call = self.macro_call(name, stop, after)
        if call is None:
            out.text(s[stop:after])
            self.i = after
        else:
            out.add(call)
        return None

    def backslashes(self, start: int, out: _Builder) -> None:
        s = self.s
        end = start
        while end < self.limit and s[end] == "\\":
            end += 1
        count = end - start
        if end < self.limit and s[end] == "$":
            ref = self.reference(end)
            if ref is not None:
                out.add(RefOut(ref, count))
                return
        elif end < self.limit and s[end] == "#":
            directive = _DIRECTIVE.match(s, end, self.limit)
            name = directive and (directive.group(1) or directive.group(2))
            if directive is not None and (name in _KNOWN or name in self.macros):
                # An odd count escapes the directive: half the backslashes and its keyword.
                out.text("\\" * (count // 2))
                if count % 2:
                    out.text(s[end : directive.end()])
                    self.i = directive.end()
                else:
                    self.i = end
                return
        out.text("\\" * count)
        self.i = end

    # ------------------------------------------------------------------ directives

    def directive_condition(self) -> Expr:
        """``(expr)`` of ``#elseif``; ``self.i`` is just past the keyword."""
        paren = _OPEN_PAREN.match(self.s, self.i, self.limit)
        if paren is None:
            raise self.unexpected('"("')
        self.i = paren.end()
        self.skip_ws()
        condition = self.expression()
        self.expect(")")
        return tolerant(condition)

    def directive(self, name: str, start: int, out: _Builder) -> Node | None:
        """Parse a directive whose ``(`` was just consumed."""
        if name == "if":
            return self.if_directive(start, out)
        if name == "foreach":
            return self.foreach_directive(start, out)
        if name == "macro":
            self.macro_directive(start, out)
            return None
        if name == "define":
            return self.define_directive(start, out)
        node: Node
        if name == "set":
            node = self.set_directive(start)
        elif name == "evaluate":
            self.skip_ws()
            node = Evaluate(self.expression(), start)
            self.expect(")")
        else:  # parse, include: their arguments are read, but Genesys has no files
            self.skip_ws()
            self.expression()
            self.skip_ws()
            while self.s.startswith(",", self.i):
                self.i += 1
                self.skip_ws()
                self.expression()
                self.skip_ws()
            self.expect(")")
            node = Include(name, start)
        self.i = out.gobble(start, self.i)
        return node

    def if_directive(self, start: int, out: _Builder) -> If:
        self.in_if += 1
        try:
            self.skip_ws()
            condition = tolerant(self.expression())
            self.expect(")")
            self.i = out.gobble(start, self.i)
            branches: list[tuple[Expr, Block]] = []
            otherwise: Block | None = None
            while True:
                body, end = self.block(frozenset({"end", "else", "elseif"}))
                if end is None:
                    raise self.fail("#if has no matching #end", start)
                branches.append((condition, body))
                if end.name == "elseif":
                    assert end.condition is not None
                    condition = end.condition
                    continue
                if end.name == "else":
                    otherwise, end = self.block(frozenset({"end"}))
                    if end is None:
                        raise self.fail("#if has no matching #end", start)
                break
            return If(tuple(branches), otherwise)
        finally:
            self.in_if -= 1

    def foreach_directive(self, start: int, out: _Builder) -> Foreach:
        self.skip_ws()
        var = self.variable_name()
        match = _IN.match(self.s, self.i, self.limit)
        if match is None:
            raise self.unexpected('"in"')
        self.i = match.end()
        iterable = self.expression()
        self.expect(")")
        literal = self.s[start : self.i]
        self.i = out.gobble(start, self.i)
        body, end = self.block(frozenset({"end", "else"}))
        otherwise = None
        if end is not None and end.name == "else":
            otherwise, end = self.block(frozenset({"end"}))
        if end is None:
            raise self.fail("#foreach has no matching #end", start)
        return Foreach(var, iterable, body, otherwise, start, literal)

    def macro_directive(self, start: int, out: _Builder) -> None:
        self.skip_ws()
        match = IDENT.match(self.s, self.i, self.limit)
        if match is None:
            raise self.unexpected("a macro name")
        name = match.group()
        if name in _KNOWN:
            raise self.fail(f"#{name} is a directive and cannot be a macro name", self.i)
        self.i = match.end()
        params: list[str] = []
        while True:
            sep = _SEPARATOR.match(self.s, self.i, self.limit)
            if sep:
                self.i = sep.end()
            if self.s.startswith(")", self.i):
                self.i += 1
                break
            params.append(self.variable_name())
        self.i = out.gobble(start, self.i)
        body, end = self.block(frozenset({"end"}))
        if end is None:
            raise self.fail("#macro has no matching #end", start)
        self.macros[name] = MacroDef(name, tuple(params), body, start)

    def define_directive(self, start: int, out: _Builder) -> Define:
        self.skip_ws()
        name = self.variable_name()
        self.expect(")")
        self.i = out.gobble(start, self.i)
        body, end = self.block(frozenset({"end"}))
        if end is None:
            raise self.fail("#define has no matching #end", start)
        return Define(name, body)

    def set_directive(self, start: int) -> Set:
        self.skip_ws()
        if not self.s.startswith("$", self.i):
            raise self.unexpected("a reference")
        self.i += 1
        if self.s.startswith("!", self.i):
            self.i += 1
        braced = self.s.startswith("{", self.i)
        if braced:
            self.i += 1
        match = IDENT.match(self.s, self.i, self.limit)
        if match is None:
            raise self.unexpected("a variable name")
        path = [match.group()]
        self.i = match.end()
        while self.s.startswith(".", self.i):
            match = IDENT.match(self.s, self.i + 1, self.limit)
            if match is None:
                raise self.unexpected("a property name", self.i + 1)
            path.append(match.group())
            self.i = match.end()
        if braced:
            self.expect("}")
        self.expect("=")
        self.skip_ws()
        value = self.expression()
        self.expect(")")
        if self.in_if:
            value = tolerant(value)
        return Set(path[0], tuple(path[1:]), value, start)

    def variable_name(self) -> str:
        if not self.s.startswith("$", self.i):
            raise self.unexpected("a $variable")
        match = IDENT.match(self.s, self.i + 1, self.limit)
        if match is None:
            raise self.unexpected("a variable name", self.i + 1)
        self.i = match.end()
        return match.group()

    def macro_call(self, name: str, start: int, after: int) -> MacroCall | None:
        """``#name(args)``; ``None`` (plain text) unless it parses as a call."""
        paren = _OPEN_PAREN.match(self.s, after, self.limit)
        if paren is None:
            return None
        saved = (self.i, self.depth)
        self.i = paren.end()
        args: list[Expr] = []
        try:
            while True:
                sep = _SEPARATOR.match(self.s, self.i, self.limit)
                if sep:
                    self.i = sep.end()
                if self.s.startswith(")", self.i):
                    self.i += 1
                    break
                args.append(self.unary())
        except VelocitySyntax:
            self.i, self.depth = saved
            return None
        return MacroCall(name, tuple(args), start, self.s[start : self.i])


class _Builder:
    """Collects one block's nodes, merging text, and trims lone directives' lines."""

    __slots__ = ("nodes", "parser", "pending")

    def __init__(self, parser: _Parser):
        self.parser = parser
        self.nodes: list[Node] = []
        self.pending: list[str] = []

    def text(self, text: str) -> None:
        self.pending.append(text)

    def add(self, node: Node) -> None:
        self.flush()
        self.nodes.append(node)

    def flush(self) -> None:
        if not self.pending:
            return
        text = "".join(self.pending)
        self.pending.clear()
        if self.parser.in_string:
            # Velocity unescapes \\uXXXX and doubled quotes in string literals.
            text = UNICODE_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
            text = text.replace('""', '"')
        if not text:
            return
        if self.nodes and isinstance(self.nodes[-1], Text):
            self.nodes[-1] = Text(self.nodes[-1].text + text)
        else:
            self.nodes.append(Text(text))

    def gobble(self, start: int, end: int) -> int:
        """Drop a lone directive's indentation; return where its line ends (or ``end``)."""
        found = self.parser.alone(start, end)
        if found is None:
            return end
        prefix, line_end = found
        if prefix:
            text = "".join(self.pending)
            self.pending[:] = [text[:-prefix]]
        return line_end

    def finish(self) -> Block:
        self.flush()
        return Block(tuple(self.nodes))
