"""Evaluation of compiled JSONPath steps with Jayway JsonPath 2.9 semantics (default options).

Each step mirrors one Jayway path token, including the parts of Jayway's behaviour that users
of Genesys translation maps meet without knowing it:

* a definite step that fails (missing property before the end, a property read on a
  non-object, an index or slice on a non-array or null) aborts the whole read when every step
  before it is definite: ``$.missing[*].id`` does not give ``[]``, it does not resolve;
* a missing property at the end of a path is skipped, never an error;
* a filter applies to the elements of an array, or to an object itself;
* a deep scan matches only objects that hold the next property;
* after a deep scan an index reached through an array (``$..[0].name``) is checked at the
  leaf against the index written in the path, as Jayway 2.7+ does.

A read either returns the collected values or raises ``NotFound``/``Invalid``/``Failure``,
Jayway's PathNotFoundException, InvalidPathException and other JsonPathExceptions; the
public ``CompiledPath.evaluate`` turns all three into ``UNSET``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from actionpact.core import UNSET

__all__ = [
    "FUNCTIONS",
    "K_FILTER",
    "K_FUNC",
    "K_INDEX",
    "K_PROP",
    "K_SCAN",
    "K_SLICE",
    "K_WILD",
    "Failure",
    "Invalid",
    "NotFound",
    "Plan",
    "Predicate",
    "Step",
    "read_fast",
]

K_PROP, K_INDEX, K_SLICE, K_WILD, K_SCAN, K_FILTER, K_FUNC = range(7)

# (kind, data): names tuple, indexes tuple, (from, to), None, None, predicate, function name
Step = tuple[int, Any]
# A compiled filter condition: (item, root) -> bool; may raise Invalid, NotFound or Failure.
Predicate = Callable[[Any, Any], bool]

_AGGREGATIONS = frozenset({"avg", "stddev", "sum", "min", "max"})
# Jayway's no-argument path functions that actionpact evaluates.
FUNCTIONS = frozenset({"length", "size", "first", "last", "keys", "concat"} | _AGGREGATIONS)
_MISSING: Any = object()


class Invalid(Exception):  # Jayway's InvalidPathException
    """A step cannot apply (e.g. a filter on a string right after definite steps)."""


class NotFound(Invalid):
    """Jayway's PathNotFoundException (a subclass of InvalidPathException there too)."""


class Failure(Exception):  # any other JsonPathException
    """A function failed (e.g. ``sum()`` of an empty array); the whole read fails."""


class _Ctx:
    __slots__ = ("out", "require", "root", "upidx")

    def __init__(self, root: Any, require: bool) -> None:
        self.out: list[Any] = []
        self.root = root
        self.require = require
        self.upidx: dict[int, int] = {}


class Plan:
    """The steps of one compiled path plus the flags Jayway derives from them."""

    __slots__ = (
        "children",
        "definite",
        "fast",
        "function",
        "last",
        "param",
        "root_is_document",
        "steps",
        "tail_prev_index",
        "tokdef",
        "updef",
    )

    def __init__(
        self,
        steps: list[Step],
        *,
        root_is_document: bool,
        tail_prev_index: int | object | None = _MISSING,
    ) -> None:
        self.steps = tuple(steps)
        self.last = len(steps) - 1
        self.root_is_document = root_is_document
        tokdef = []
        for i, (kind, data) in enumerate(steps):
            if kind == K_PROP:
                tokdef.append(len(data) == 1 or i == self.last)
            elif kind == K_INDEX:
                tokdef.append(len(data) == 1)
            else:
                tokdef.append(kind == K_FUNC)
        self.tokdef = tuple(tokdef)
        self.updef = tuple(all(tokdef[:i]) for i in range(len(steps)))
        self.definite = all(tokdef)
        if tail_prev_index is _MISSING:
            tail_prev_index = _single_index(steps, self.last - 1)
        self.tail_prev_index: int | None = tail_prev_index  # type: ignore[assignment]
        self.function: str | None = None
        self.param: Plan | None = None
        self.children = None
        if steps and steps[-1][0] == K_FUNC and steps[0][0] == K_SCAN:
            # Jayway rewrites `$..x.fn()` as `$.fn($..x)`: the function runs once, on the
            # root, with the scan as its parameter (length() counts the scan's children).
            self.function = steps[-1][1]
            tail_prev = _single_index(steps, len(steps) - 3)
            self.param = Plan(
                list(steps[:-1]), root_is_document=root_is_document, tail_prev_index=tail_prev
            )
            if self.function in ("length", "size"):
                self.children = Plan(
                    [*steps[:-1], (K_WILD, None)],
                    root_is_document=root_is_document,
                    tail_prev_index=tail_prev,
                )
            self.definite = True
        self.fast: tuple[tuple[bool, Any], ...] | None = None
        if all((k == K_PROP and len(d) == 1) or (k == K_INDEX and len(d) == 1) for k, d in steps):
            self.fast = tuple((k == K_PROP, d[0]) for k, d in steps)

    def run(self, document: Any) -> Any:
        """The public result: value, list or ``UNSET``; never raises."""
        if document is None:
            # Jayway refuses a null document outright ("json can not be null").
            return UNSET
        fast = self.fast
        if fast is not None:
            return read_fast(fast, document)
        try:
            return self.read(document, document, require=False)
        except (Invalid, Failure, RecursionError):
            return UNSET

    def read(self, model: Any, root: Any, *, require: bool) -> Any:
        """Jayway's ``path.evaluate(model, root, conf).getValue()``; raises like Jayway."""
        if self.param is not None:
            return self._read_function_of_scan(model, root)
        if self.fast is not None and not require:
            value = read_fast(self.fast, model)
            if value is UNSET:
                raise NotFound
            return value
        ctx = _Ctx(root, require)
        if self.last < 0:
            ctx.out.append(model)
        else:
            _eval(self, 0, model, ctx)
        if self.definite:
            if not ctx.out:
                raise NotFound
            return ctx.out[-1]
        return ctx.out

    def _read_function_of_scan(self, model: Any, root: Any) -> Any:
        assert self.param is not None
        assert self.function is not None
        # Jayway evaluates the parameter on the root first, whatever the function.
        scanned = self.param.read(root, root, require=False)
        if self.children is not None:
            return len(self.children.read(model, model, require=False))
        return apply_function(self.function, model, scanned)


def _single_index(steps: list[Step], i: int) -> int | None:
    if i >= 0 and steps[i][0] == K_INDEX and len(steps[i][1]) == 1:
        return int(steps[i][1][0])
    return None


def read_fast(keys: tuple[tuple[bool, Any], ...], node: Any) -> Any:
    """Follow names and indexes from ``node``: the value, or ``UNSET`` (Jayway's definite read)."""
    for is_name, key in keys:
        if is_name:
            if not isinstance(node, dict):
                return UNSET
            node = node.get(key, _MISSING)
            if node is _MISSING:
                return UNSET
        else:
            if not isinstance(node, list):
                return UNSET
            n = len(node)
            i = key + n if key < 0 else key
            if not 0 <= i < n:
                return UNSET
            node = node[i]
    return node


# --------------------------------------------------------------------------- steps


def _eval(plan: Plan, i: int, model: Any, ctx: _Ctx) -> None:
    kind, data = plan.steps[i]
    _HANDLERS[kind](plan, i, data, model, ctx)


def _emit(plan: Plan, i: int, value: Any, ctx: _Ctx) -> None:
    if i == plan.last:
        ctx.out.append(value)
    else:
        _eval(plan, i + 1, value, ctx)


def _prop(plan: Plan, i: int, names: tuple[str, ...], model: Any, ctx: _Ctx) -> None:
    if not isinstance(model, dict):
        if plan.updef[i]:
            raise NotFound
        return
    if len(names) == 1 or i == plan.last:
        _object_property(plan, i, model, ctx, names)
    else:
        for name in names:
            _object_property(plan, i, model, ctx, (name,))


def _object_property(
    plan: Plan, i: int, model: dict[str, Any], ctx: _Ctx, names: tuple[str, ...]
) -> None:
    leaf = i == plan.last
    if len(names) > 1:
        merged = {}
        for name in names:
            if name in model:
                merged[name] = model[name]
            elif ctx.require:
                raise NotFound
        ctx.out.append(merged)
        return
    value = model.get(names[0], _MISSING)
    if value is _MISSING:
        if leaf:
            if ctx.require:
                raise NotFound
            return
        if ctx.require or (plan.updef[i] and plan.tokdef[i]):
            raise NotFound
        return
    if leaf:
        up = ctx.upidx.get(i, -1)
        if up in (-1, plan.tail_prev_index):
            ctx.out.append(value)
    else:
        _eval(plan, i + 1, value, ctx)


def _check_array(plan: Plan, i: int, model: Any) -> bool:
    if isinstance(model, list):
        return True
    if plan.updef[i]:
        raise NotFound
    return False


def _array_index(plan: Plan, i: int, index: int, model: list[Any], ctx: _Ctx) -> None:
    n = len(model)
    k = index + n if index < 0 else index
    if 0 <= k < n:
        _emit(plan, i, model[k], ctx)


def _index(plan: Plan, i: int, indexes: tuple[int, ...], model: Any, ctx: _Ctx) -> None:
    if _check_array(plan, i, model):
        for index in indexes:
            _array_index(plan, i, index, model, ctx)


def _slice(
    plan: Plan, i: int, bounds: tuple[int | None, int | None], model: Any, ctx: _Ctx
) -> None:
    if not _check_array(plan, i, model):
        return
    n = len(model)
    start, stop = bounds
    if stop is None:
        assert start is not None
        first = max(0, n + start if start < 0 else start)
        indexes = range(first, n) if n and first < n else range(0)
    elif start is None:
        end = min(n, n + stop if stop < 0 else stop)
        indexes = range(end) if n else range(0)
    else:
        # Jayway does not rebase a negative start here: [-3:2] walks -3,-2,-1,0,1.
        end = min(n, stop)
        indexes = range(start, end) if n and start < end else range(0)
    for index in indexes:
        _array_index(plan, i, index, model, ctx)


def _wildcard(plan: Plan, i: int, _: None, model: Any, ctx: _Ctx) -> None:
    if isinstance(model, dict):
        for name in list(model):
            _object_property(plan, i, model, ctx, (name,))
    elif isinstance(model, list):
        for index in range(len(model)):
            try:
                _array_index(plan, i, index, model, ctx)
            except NotFound:
                if ctx.require:
                    raise


def _accept(predicate: Predicate, item: Any, ctx: _Ctx) -> bool:
    try:
        return predicate(item, ctx.root)
    except Invalid:
        return False


def _filter(plan: Plan, i: int, predicate: Predicate, model: Any, ctx: _Ctx) -> None:
    if isinstance(model, dict):
        if _accept(predicate, model, ctx):
            _emit(plan, i, model, ctx)
    elif isinstance(model, list):
        for index, item in enumerate(model):
            if _accept(predicate, item, ctx):
                _array_index(plan, i, index, model, ctx)
    elif plan.updef[i]:
        raise Invalid


def _scan(plan: Plan, i: int, _: None, model: Any, ctx: _Ctx) -> None:
    target = i + 1
    if target > plan.last:
        # `$..sum()`: the scan has no next token, which Jayway reports as a leaf error.
        raise Failure("Current path token is a leaf")
    kind, data = plan.steps[target]
    matches: Callable[[Any], bool]
    if kind == K_PROP:
        if plan.tokdef[target]:
            matches = lambda m: isinstance(m, dict) and all(n in m for n in data)  # noqa: E731
        else:
            matches = lambda m: isinstance(m, dict)  # noqa: E731
    elif kind in (K_INDEX, K_SLICE):
        matches = lambda m: isinstance(m, list)  # noqa: E731
    elif kind == K_WILD:
        matches = lambda m: True  # noqa: E731
    elif kind == K_FILTER:
        matches = lambda m: _accept(data, m, ctx)  # noqa: E731
    else:
        return
    _walk(plan, target, model, ctx, matches)


def _walk(plan: Plan, target: int, model: Any, ctx: _Ctx, matches: Callable[[Any], bool]) -> None:
    if isinstance(model, dict):
        if matches(model):
            _eval(plan, target, model, ctx)
        for value in list(model.values()):
            _walk(plan, target, value, ctx, matches)
    elif isinstance(model, list):
        if matches(model):
            if target == plan.last:
                _eval(plan, target, model, ctx)
            else:
                # Jayway skips the target step here and applies the next one to each
                # element, remembering the element's index for the leaf check.
                for index, item in enumerate(model):
                    ctx.upidx[target + 1] = index
                    _eval(plan, target + 1, item, ctx)
        for item in model:
            _walk(plan, target, item, ctx, matches)


def _function(plan: Plan, i: int, name: str, model: Any, ctx: _Ctx) -> None:
    ctx.out.append(apply_function(name, model))


_HANDLERS: tuple[Callable[[Plan, int, Any, Any, _Ctx], None], ...] = (
    _prop,
    _index,
    _slice,
    _wildcard,
    _scan,
    _filter,
    _function,
)


# --------------------------------------------------------------------------- functions


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _as_double(value: int | float) -> float:
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def apply_function(name: str, model: Any, scanned: Any = _MISSING) -> Any:
    """Jayway's path function ``name`` applied to ``model`` (and a scan's results)."""
    if name in ("length", "size"):
        return len(model) if isinstance(model, list | dict) else None
    if name == "keys":
        return list(model) if isinstance(model, dict) else None
    if name == "concat":
        if isinstance(model, list):
            return "".join(v for v in model if isinstance(v, str))
        return ""
    if name in ("first", "last"):
        if not isinstance(model, list):
            raise Failure("Aggregation function attempted to calculate value using empty array")
        if name == "first":
            if not model:
                raise Failure("Index 0 out of bounds for length 0")
            return model[0]
        # Jayway's last() rejects a one-element array: it requires size - 1 > 0.
        if len(model) - 1 > 0:
            return model[-1]
        raise Failure(f"Target index:-1 larger than object count:{len(model)}")
    numbers = [_as_double(v) for v in model if _is_number(v)] if isinstance(model, list) else []
    if scanned is not _MISSING:
        extra = scanned if isinstance(scanned, list) else [scanned]
        numbers.extend(_as_double(v) for v in extra if _is_number(v))
    if not numbers:
        raise Failure("Aggregation function attempted to calculate value using empty array")
    return _aggregate(name, numbers)


def _aggregate(name: str, numbers: list[float]) -> float:
    if name == "sum":
        total = 0.0
        for v in numbers:
            total += v
        return total
    if name == "avg":
        total = 0.0
        for v in numbers:
            total += v
        return total / len(numbers)
    if name == "stddev":
        total = square = 0.0
        for v in numbers:
            total += v
            square += v * v
        count = float(len(numbers))
        variance = square / count - total * total / count / count
        return math.sqrt(variance) if variance >= 0 else math.nan
    if name == "min":
        low = 1.7976931348623157e308
        for v in numbers:
            low = min(low, v)
        return low
    # Jayway seeds max() with Double.MIN_VALUE, the smallest positive double, so the max of
    # negative numbers comes out as 4.9E-324.
    high = 5e-324
    for v in numbers:
        high = max(high, v)
    return high
