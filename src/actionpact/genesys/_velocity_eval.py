"""Turn parsed Velocity nodes into nested closures, compiled once and run per render.

Strict reference mode as Genesys runs it: a variable that is neither in the context nor
``#set`` fails with ``Variable $x has not been set`` (except a bare ``$x`` tested in
``#if``); a property or method a value lacks, or any member of a null, fails too. A null
that *is* set renders as the reference's own text, or as nothing when written ``$!``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from typing import Any

from actionpact.genesys._velocity_ast import (
    Binary,
    Block,
    Break,
    Define,
    Evaluate,
    Expr,
    Foreach,
    If,
    Include,
    Interpolated,
    ListLiteral,
    Literal,
    MacroCall,
    MacroDef,
    MapLiteral,
    Method,
    Node,
    Part,
    Prop,
    Range,
    Ref,
    RefOut,
    Set,
    Stop,
    Text,
    Unary,
)
from actionpact.genesys._velocity_java import (
    JavaThrown,
    NoSuchMember,
    get_index,
    get_property,
    invoke,
    java_class_name,
    java_string,
    truthy,
)
from actionpact.genesys._velocity_ops import (
    MAX_STRING,
    OperatorError,
    arithmetic,
    compare,
    negate,
)
from actionpact.genesys._velocity_state import (
    MISSING,
    BreakLoop,
    DefinedBlock,
    Emit,
    Eval,
    ForeachScope,
    RenderFailure,
    State,
    Step,
    StopRendering,
)

__all__ = ["compile_body", "compile_fragment"]

MAX_MACRO_DEPTH = 20  # Velocity's velocimacro.max_depth
# Guards an emulator in CI from templates Genesys would time out on (60 s at most).
MAX_RANGE = 100_000
MAX_ITERATIONS = 1_000_000


class _Compiler:
    def __init__(self, evaluate: Callable[[str], Emit] | None):
        self.macros: dict[str, tuple[tuple[str, ...], Emit]] = {}
        self.evaluate = evaluate

    # ------------------------------------------------------------------ statements

    def block(self, block: Block) -> Emit:
        emitters = tuple(self.node(node) for node in block.nodes)
        if len(emitters) == 1:
            return emitters[0]

        def run(state: State, out: list[str]) -> None:
            for emit in emitters:
                emit(state, out)

        return run

    def node(self, node: Node) -> Emit:
        if isinstance(node, Text):
            text = node.text

            def emit_text(state: State, out: list[str]) -> None:
                out.append(text)

            return emit_text
        if isinstance(node, RefOut):
            return self.ref_out(node)
        if isinstance(node, If):
            return self.if_(node)
        if isinstance(node, Foreach):
            return self.foreach(node)
        if isinstance(node, Set):
            return self.set_(node)
        if isinstance(node, MacroCall):
            return self.macro_call(node)
        if isinstance(node, Define):
            return self.define(node)
        if isinstance(node, Evaluate):
            return self.evaluate_(node)
        if isinstance(node, Include):
            return _fail_emit(
                f"#{node.directive} cannot load templates: Genesys Data Actions have none",
                node.pos,
            )
        if isinstance(node, Break):
            return _raise(BreakLoop)
        if isinstance(node, Stop):
            return _raise(StopRendering)
        raise AssertionError(node)  # pragma: no cover

    def ref_out(self, node: RefOut) -> Emit:
        value = self.ref(node.ref)
        literal, silent, slashes = node.ref.literal, node.ref.silent, node.backslashes
        if not slashes:

            def emit_ref(state: State, out: list[str]) -> None:
                result = value(state)
                if result is None:
                    if not silent:
                        out.append(literal)
                elif type(result) is str:
                    out.append(result)
                else:
                    out.append(java_string(result))

            return emit_ref

        def emit_escaped(state: State, out: list[str]) -> None:
            result = value(state)
            if result is None:
                out.append("\\" * slashes + literal)
            elif slashes % 2:
                out.append("\\" * (slashes // 2) + literal)
            else:
                out.append("\\" * (slashes // 2) + java_string(result))

        return emit_escaped

    def if_(self, node: If) -> Emit:
        branches = tuple((self.expr(cond), self.block(body)) for cond, body in node.branches)
        otherwise = self.block(node.otherwise) if node.otherwise is not None else None

        def emit_if(state: State, out: list[str]) -> None:
            for condition, body in branches:
                if truthy(condition(state)):
                    body(state, out)
                    return
            if otherwise is not None:
                otherwise(state, out)

        return emit_if

    def foreach(self, node: Foreach) -> Emit:
        iterable, body, var, pos = (
            self.expr(node.iterable),
            self.block(node.body),
            node.var,
            node.pos,
        )
        otherwise = self.block(node.otherwise) if node.otherwise is not None else None
        source = node.literal

        def emit_foreach(state: State, out: list[str]) -> None:
            items = iterable(state)
            if items is None:
                items = []
            elif isinstance(items, Mapping):
                items = list(items.values())
            elif isinstance(items, list | tuple | range):
                items = list(items)
            else:
                raise RenderFailure(
                    f"#foreach parameter in {source} is of type {java_class_name(items)} "
                    "and cannot be iterated",
                    pos,
                )
            if not items:
                if otherwise is not None:
                    otherwise(state, out)
                return
            names = (var, "foreach", "velocityCount", "velocityHasNext")
            saved = {name: state.variables.get(name, MISSING) for name in names}
            parent = saved["foreach"]
            scope = ForeachScope(None if parent is MISSING else parent, len(items))
            variables = state.variables
            variables["foreach"] = scope
            last = len(items) - 1
            try:
                for index, item in enumerate(items):
                    state.iterations += 1
                    if state.iterations > MAX_ITERATIONS:
                        raise RenderFailure(
                            f"#foreach ran more than {MAX_ITERATIONS} times in one render", pos
                        )
                    scope.index = index
                    variables[var] = item
                    variables["velocityCount"] = index + 1
                    variables["velocityHasNext"] = index < last
                    try:
                        body(state, out)
                    except BreakLoop:
                        break
            finally:
                for name, previous in saved.items():
                    if previous is MISSING:
                        variables.pop(name, None)
                    else:
                        variables[name] = previous

        return emit_foreach

    def set_(self, node: Set) -> Emit:
        value, root, path, pos = self.expr(node.value), node.root, node.path, node.pos
        if not path:

            def emit_set(state: State, out: list[str]) -> None:
                state.assign(root, value(state))

            return emit_set

        def emit_set_property(state: State, out: list[str]) -> None:
            result = value(state)
            target = state.lookup(root)
            if target is MISSING:
                raise RenderFailure(f"Variable ${root} has not been set", pos, root)
            for name in path[:-1]:
                target = _property(target, name, pos)
            if isinstance(target, dict):
                target[path[-1]] = result
            elif target is None:
                raise RenderFailure(f"Attempted to access '{path[-1]}' on a null value", pos)
            else:
                raise RenderFailure(
                    f"Object '{java_class_name(target)}' does not contain property '{path[-1]}'",
                    pos,
                )

        return emit_set_property

    def macro_call(self, node: MacroCall) -> Emit:
        args = tuple(self.expr(arg) for arg in node.args)
        name, pos, literal = node.name, node.pos, node.literal
        macros = self.macros

        def emit_call(state: State, out: list[str]) -> None:
            macro = macros.get(name)
            if macro is None:
                out.append(literal)
                return
            if state.depth >= MAX_MACRO_DEPTH:
                raise RenderFailure(
                    f"Max calling depth of {MAX_MACRO_DEPTH} was exceeded in macro '{name}'", pos
                )
            params, body = macro
            values = [arg(state) for arg in args]
            values += [None] * (len(params) - len(values))
            state.frames.append(dict(zip(params, values, strict=False)))
            state.depth += 1
            try:
                body(state, out)
            except BreakLoop:
                pass
            finally:
                state.frames.pop()
                state.depth -= 1

        return emit_call

    def define(self, node: Define) -> Emit:
        body, name = self.block(node.body), node.name

        def emit_define(state: State, out: list[str]) -> None:
            state.assign(name, DefinedBlock(body, state))

        return emit_define

    def evaluate_(self, node: Evaluate) -> Emit:
        expr, pos, compile_source = self.expr(node.expr), node.pos, self.evaluate

        def emit_evaluate(state: State, out: list[str]) -> None:
            source = expr(state)
            if source is None or compile_source is None:
                return
            if state.depth >= MAX_MACRO_DEPTH:
                raise RenderFailure("#evaluate nests too deeply", pos)
            try:
                body = compile_source(java_string(source))
            except RenderFailure as failure:
                raise RenderFailure(f"#evaluate: {failure.reason}", pos) from None
            state.depth += 1
            try:
                body(state, out)
            except RenderFailure as failure:
                raise RenderFailure(f"#evaluate: {failure.reason}", pos, failure.variable) from None
            except BreakLoop:
                pass
            finally:
                state.depth -= 1

        return emit_evaluate

    # ------------------------------------------------------------------ expressions

    def expr(self, expr: Expr) -> Eval:
        if isinstance(expr, Ref):
            return self.ref(expr)
        if isinstance(expr, Literal):
            constant = expr.value
            return lambda state: constant
        if isinstance(expr, Interpolated):
            body = self.block(expr.body)

            pos = expr.pos

            def interpolate(state: State) -> str:
                out: list[str] = []
                body(state, out)
                text = "".join(out)
                if len(text) > MAX_STRING:
                    raise RenderFailure(f"a string grew past {MAX_STRING} characters", pos)
                return text

            return interpolate
        if isinstance(expr, ListLiteral):
            items = tuple(self.expr(item) for item in expr.items)
            return lambda state: [item(state) for item in items]
        if isinstance(expr, MapLiteral):
            return self.map_literal(expr)
        if isinstance(expr, Range):
            return self.range_(expr)
        if isinstance(expr, Unary):
            operand = self.expr(expr.operand)
            if expr.op == "!":
                return lambda state: not truthy(operand(state))
            text, pos = expr.text, expr.pos

            def minus(state: State) -> Any:
                try:
                    return negate(operand(state), text)
                except OperatorError as error:
                    raise RenderFailure(str(error), pos) from None

            return minus
        if isinstance(expr, Binary):
            return self.binary(expr)
        raise AssertionError(expr)  # pragma: no cover

    def binary(self, expr: Binary) -> Eval:
        left, right, op, pos = self.expr(expr.left), self.expr(expr.right), expr.op, expr.pos
        texts = (expr.left_text, expr.right_text)
        if op == "&&":
            return lambda state: truthy(left(state)) and truthy(right(state))
        if op == "||":
            return lambda state: truthy(left(state)) or truthy(right(state))
        operation = compare if op in ("==", "!=", "<", "<=", ">", ">=") else arithmetic

        def apply(state: State) -> Any:
            try:
                return operation(op, left(state), right(state), *texts)
            except OperatorError as error:
                raise RenderFailure(str(error), pos) from None

        return apply

    def map_literal(self, expr: MapLiteral) -> Eval:
        pairs = tuple((self.expr(k), self.expr(v)) for k, v in expr.pairs)

        def build(state: State) -> dict[Any, Any]:
            result: dict[Any, Any] = {}
            for key, value in pairs:
                k = key(state)
                try:
                    result[k] = value(state)
                except TypeError:
                    result[java_string(k)] = value(state)
            return result

        return build

    def range_(self, expr: Range) -> Eval:
        low, high, pos = self.expr(expr.low), self.expr(expr.high), expr.pos

        def bound(value: Any, side: str) -> int:
            if value is None:
                raise RenderFailure(f"{side} side of range operator [n..m] has null value", pos)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise RenderFailure(
                    f"{side} side of range operator [n..m] is not a valid type. Currently only "
                    "integers (1,2,3...) and the Integer type are supported",
                    pos,
                )
            return int(value)

        def build(state: State) -> list[int]:
            start, end = bound(low(state), "Left"), bound(high(state), "Right")
            if abs(end - start) >= MAX_RANGE:
                raise RenderFailure(f"the range [{start}..{end}] is too large to emulate", pos)
            step = 1 if end >= start else -1
            return list(range(start, end + step, step))

        return build

    def ref(self, ref: Ref) -> Eval:
        root, pos, tolerant = ref.root, ref.pos, ref.tolerant
        steps = tuple(self.part(part) for part in ref.parts)
        alternate = self.expr(ref.alternate) if ref.alternate is not None else None
        lenient = tolerant or alternate is not None

        def value(state: State) -> Any:
            if state.frames:
                result = state.lookup(root)
            else:
                result = state.variables.get(root, MISSING)
                if result is MISSING:
                    result = state.context.get(root, MISSING)
            if result is MISSING:
                if not lenient:
                    raise RenderFailure(f"Variable ${root} has not been set", pos, root)
                result = None
            for step in steps:
                result = step(result, state)
            if alternate is not None and not truthy(result):
                result = alternate(state)
            return result

        return value

    def part(self, part: Part) -> Step:
        name_pos = part.pos
        if isinstance(part, Prop):
            name = part.name

            def prop(target: Any, state: State) -> Any:
                if type(target) is dict:
                    return target.get(name)
                return _property(target, name, name_pos)

            return prop
        if isinstance(part, Method):
            method_name, args = part.name, tuple(self.expr(arg) for arg in part.args)

            def call(target: Any, state: State) -> Any:
                if target is None:
                    raise RenderFailure(
                        f"Attempted to access '{method_name}' on a null value", name_pos
                    )
                values = [arg(state) for arg in args]
                try:
                    return invoke(target, method_name, values)
                except NoSuchMember as error:
                    raise RenderFailure(error.reason, name_pos) from None
                except JavaThrown as error:
                    raise RenderFailure(
                        f"Invocation of method '{method_name}' in class "
                        f"{java_class_name(target)} threw exception {error.describe()}",
                        name_pos,
                    ) from None

            return call
        index = self.expr(part.index)

        def subscript(target: Any, state: State) -> Any:
            if target is None:
                raise RenderFailure("Attempted to access '[' on a null value", name_pos)
            try:
                return get_index(target, index(state))
            except NoSuchMember as error:
                raise RenderFailure(error.reason, name_pos) from None
            except JavaThrown as error:
                raise RenderFailure(error.describe(), name_pos) from None

        return subscript


def _property(target: Any, name: str, pos: int) -> Any:
    if target is None:
        raise RenderFailure(f"Attempted to access '{name}' on a null value", pos)
    try:
        return get_property(target, name)
    except NoSuchMember as error:
        raise RenderFailure(error.reason, pos) from None
    except JavaThrown as error:
        raise RenderFailure(error.describe(), pos) from None


def _fail_emit(reason: str, pos: int) -> Emit:
    def emit(state: State, out: list[str]) -> None:
        raise RenderFailure(reason, pos)

    return emit


def _raise(kind: type[Exception]) -> Emit:
    def emit(state: State, out: list[str]) -> None:
        raise kind

    return emit


def compile_body(
    body: Block,
    macros: dict[str, MacroDef],
    evaluate: Callable[[str], Emit] | None = None,
) -> Callable[[Mapping[str, Any]], str]:
    """Compile a parsed template into ``render(context) -> str``.

    ``evaluate`` compiles the text given to ``#evaluate``; without it ``#evaluate`` renders
    nothing.
    """
    compiler = _Compiler(evaluate)
    for name, macro in macros.items():
        compiler.macros[name] = (macro.params, compiler.block(macro.body))
    emit = compiler.block(body)

    def render(context: Mapping[str, Any]) -> str:
        state = State(context)
        out: list[str] = []
        with contextlib.suppress(BreakLoop, StopRendering):
            emit(state, out)
        return "".join(out)

    return render


def compile_fragment(
    body: Block, macros: dict[str, MacroDef], evaluate: Callable[[str], Emit] | None = None
) -> Emit:
    """Compile a block to run inside another render (``#evaluate``)."""
    compiler = _Compiler(evaluate)
    for name, macro in macros.items():
        compiler.macros[name] = (macro.params, compiler.block(macro.body))
    return compiler.block(body)
