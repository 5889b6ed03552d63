"""Apache Velocity exactly as Genesys runs Data Action templates: the one adapter.

Genesys renders ``requestUrlTemplate``, header values, ``requestTemplate`` and
``successTemplate`` with Velocity 2 in strict reference mode, with the Velocity
EscapeTool and its own tools in the context (see :mod:`._tools`). This module compiles a
template once into closures and renders it many times:

>>> template = compile_template('{"id": "${input.id}", "ok": $input.ok}', name="requestTemplate")
>>> template.render({"input": {"id": "C-1", "ok": True}})
'{"id": "C-1", "ok": true}'
>>> sorted(template.references)
['input.id', 'input.ok']

Why not airspeed: strict references need the difference between unset and null and
Velocity's ``#if`` exception for bare references, errors need the line and column of the
``$``, ``&&``/``||`` must short-circuit, and values must render the Java way. airspeed's
parser classes reference each other through module globals, so overriding its name
lookup, rendering and operators means patching the library for every user in the
process; a focused engine of our own is smaller than those patches.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from actionpact.core.errors import TemplateRenderError, TemplateSyntaxError
from actionpact.genesys._velocity_ast import (
    Binary,
    Block,
    Define,
    Evaluate,
    Expr,
    Foreach,
    If,
    Index,
    Interpolated,
    ListLiteral,
    MacroCall,
    MapLiteral,
    Method,
    Node,
    Prop,
    Range,
    Ref,
    RefOut,
    Set,
    Unary,
)
from actionpact.genesys._velocity_eval import compile_body, compile_fragment
from actionpact.genesys._velocity_java import java_string
from actionpact.genesys._velocity_parser import ParsedTemplate, VelocitySyntax, parse
from actionpact.genesys._velocity_state import Emit, RenderFailure

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

__all__ = ["VelocityTemplate", "compile_template", "java_string", "position"]

# Variables Velocity itself defines inside #foreach.
_LOOP_NAMES = frozenset({"foreach", "velocityCount", "velocityHasNext"})


def position(source: str, offset: int) -> tuple[int, int]:
    """1-based line and column of ``source[offset]`` as Velocity counts them.

    Velocity's parser expands tabs to stops every 8 columns and treats ``\\r\\n``, ``\\n``
    and ``\\r`` as one line break each.

    >>> position("{\\"PresenceArray\\" : $Presences}", 19)
    (1, 20)
    """
    before = source[:offset].replace("\r\n", "\n").replace("\r", "\n")
    line_start = before.rfind("\n") + 1
    return before.count("\n") + 1, len(before[line_start:].expandtabs(8)) + 1


@dataclass(frozen=True, slots=True)
class VelocityTemplate:
    """A compiled template: immutable, thread-safe, rendered any number of times.

    Attributes:
        name: the template's name in messages (``successTemplate``, ``headers.X``...).
        source: the template text.
        references: dotted references the template reads (``input.phone``,
            ``esc.url``, ``customerId``), best effort; variables it ``#set``s itself and
            loop or macro variables are left out.
    """

    name: str
    source: str
    references: frozenset[str]
    _render: Callable[[Mapping[str, Any]], str] = field(repr=False, compare=False)

    def render(self, context: Mapping[str, Any], *, step: int = 10) -> str:
        """Render with ``context`` (``input``, ``credentials``, tools, translation keys).

        Raises:
            TemplateRenderError: Velocity would fail, e.g. ``Variable $x has not been set``;
                ``step`` is the Genesys test-mode step the error reports.
        """
        try:
            return self._render(context)
        except RenderFailure as failure:
            line, column = position(self.source, failure.pos)
            raise TemplateRenderError(
                failure.reason,
                template=self.name,
                line=line,
                column=column,
                variable=failure.variable,
                step=step,
            ) from None
        except RecursionError:
            raise TemplateRenderError(
                "the template nests too deeply to render",
                template=self.name,
                line=1,
                column=1,
                step=step,
            ) from None


def compile_template(source: str, *, name: str) -> VelocityTemplate:
    """Parse and compile a Velocity template once.

    Raises:
        TemplateSyntaxError: the template does not parse; ``line``/``column`` are 1-based.
    """
    return _compile(source, name)


@lru_cache(maxsize=2048)
def _compile(source: str, name: str) -> VelocityTemplate:
    try:
        parsed = parse(source)
    except VelocitySyntax as error:
        line, column = position(source, error.pos)
        raise TemplateSyntaxError(error.reason, template=name, line=line, column=column) from None
    except RecursionError:
        raise TemplateSyntaxError(
            "the template nests too deeply to parse", template=name, line=1, column=1
        ) from None
    render = compile_body(parsed.body, parsed.macros, _evaluate_compiler(parsed))
    return VelocityTemplate(name, source, _references(parsed), render)


def _evaluate_compiler(outer: ParsedTemplate) -> Callable[[str], Emit]:
    """Compile the text ``#evaluate`` renders, seeing the outer template's macros."""
    cache: dict[str, Emit] = {}

    def compile_evaluated(text: str) -> Emit:
        compiled = cache.get(text)
        if compiled is None:
            try:
                parsed = parse(text)
            except VelocitySyntax as error:
                raise RenderFailure(error.reason, error.pos) from None
            macros = {**outer.macros, **parsed.macros}
            compiled = compile_fragment(parsed.body, macros, _evaluate_compiler(parsed))
            if len(cache) < 64:
                cache[text] = compiled
        return compiled

    return compile_evaluated


# --------------------------------------------------------------------------- references


def _references(parsed: ParsedTemplate) -> frozenset[str]:
    found: set[str] = set()
    local: set[str] = set(_LOOP_NAMES)
    blocks = [parsed.body, *(macro.body for macro in parsed.macros.values())]
    for macro in parsed.macros.values():
        local.update(macro.params)
    for block in blocks:
        _walk_block(block, found, local)
    return frozenset(ref for ref in found if ref.split(".", 1)[0] not in local)


def _walk_block(block: Block, found: set[str], local: set[str]) -> None:
    for node in block.nodes:
        _walk_node(node, found, local)


def _walk_node(node: Node, found: set[str], local: set[str]) -> None:
    if isinstance(node, RefOut):
        _walk_expr(node.ref, found, local)
    elif isinstance(node, If):
        for condition, body in node.branches:
            _walk_expr(condition, found, local)
            _walk_block(body, found, local)
        if node.otherwise is not None:
            _walk_block(node.otherwise, found, local)
    elif isinstance(node, Foreach):
        local.add(node.var)
        _walk_expr(node.iterable, found, local)
        _walk_block(node.body, found, local)
        if node.otherwise is not None:
            _walk_block(node.otherwise, found, local)
    elif isinstance(node, Set):
        local.add(node.root)
        _walk_expr(node.value, found, local)
    elif isinstance(node, MacroCall):
        for arg in node.args:
            _walk_expr(arg, found, local)
    elif isinstance(node, Define):
        local.add(node.name)
        _walk_block(node.body, found, local)
    elif isinstance(node, Evaluate):
        _walk_expr(node.expr, found, local)


def _walk_expr(expr: Expr, found: set[str], local: set[str]) -> None:
    if isinstance(expr, Ref):
        names = [expr.root]
        method = None
        for part in expr.parts:
            if isinstance(part, Prop):
                names.append(part.name)
            elif isinstance(part, Method):
                method = part.name
                break
            else:
                break
        if method is None or len(names) > 1:
            found.add(".".join(names))
        if method is not None:
            found.add(".".join([*names, method]))
        for part in expr.parts:
            if isinstance(part, Method):
                for arg in part.args:
                    _walk_expr(arg, found, local)
            elif isinstance(part, Index):
                _walk_expr(part.index, found, local)
        if expr.alternate is not None:
            _walk_expr(expr.alternate, found, local)
    elif isinstance(expr, Interpolated):
        _walk_block(expr.body, found, local)
    elif isinstance(expr, ListLiteral):
        for item in expr.items:
            _walk_expr(item, found, local)
    elif isinstance(expr, MapLiteral):
        for key, value in expr.pairs:
            _walk_expr(key, found, local)
            _walk_expr(value, found, local)
    elif isinstance(expr, Range):
        _walk_expr(expr.low, found, local)
        _walk_expr(expr.high, found, local)
    elif isinstance(expr, Unary):
        _walk_expr(expr.operand, found, local)
    elif isinstance(expr, Binary):
        _walk_expr(expr.left, found, local)
        _walk_expr(expr.right, found, local)
