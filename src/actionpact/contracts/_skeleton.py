"""The smallest response document that makes every translation-map path resolve.

Each path's segments are walked from the root, creating what is missing: an object for
``.name``, an array with enough elements for ``[2]``, ``[*]`` and slices, and for a filter
``[?(@.type=='email')]`` an element that satisfies it (an existing one when it can, a new
one otherwise, so that ``type=='email'`` and ``type=='phone'`` get two elements). Leaves are
:class:`Slot` values, typed later from where the value lands in the output.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from actionpact.genesys._jsonpath_model import (
    And,
    Child,
    Compare,
    CompiledPath,
    Condition,
    DeepScan,
    Exists,
    Filter,
    Index,
    JsonLiteral,
    Not,
    Or,
    Regex,
    Slice,
    Union,
    Wildcard,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

__all__ = ["Arr", "Obj", "Slot", "Val", "build_skeleton", "realize"]


class Obj:
    """An object: field name -> node. ``ends`` lists keys whose path ends here."""

    __slots__ = ("ends", "fields")

    def __init__(self) -> None:
        self.fields: dict[str, Any] = {}
        self.ends: list[str] = []


class Arr:
    """An array: its elements. ``ends`` lists keys whose path ends here."""

    __slots__ = ("ends", "items")

    def __init__(self) -> None:
        self.items: list[Any] = []
        self.ends: list[str] = []


class Val:
    """A fixed value, e.g. the literal a filter compares with. ``weak`` ones may be replaced."""

    __slots__ = ("value", "weak")

    def __init__(self, value: Any, *, weak: bool = False) -> None:
        self.value = value
        self.weak = weak


class Slot:
    """The end of one or more translation-map paths: a value to type later."""

    __slots__ = ("function", "keys")

    def __init__(self, key: str, function: str | None = None) -> None:
        self.keys = [key]
        self.function = function


_NUMERIC_FUNCTIONS = frozenset({"sum", "avg", "min", "max", "stddev"})
_MISSING = object()


def build_skeleton(paths: Mapping[str, CompiledPath]) -> tuple[Any, list[str]]:
    """Build the document skeleton for ``paths`` (key -> compiled path).

    Returns:
        The root node and the keys whose path conflicts with another's (e.g. ``$.a[0]`` and
        ``$.a.b``): those are left out of the skeleton.
    """
    root: Any = None
    conflicts: list[str] = []
    for key, path in paths.items():
        try:
            root = _place(root, path.segments, 0, key, path.function)
        except _ConflictError:
            conflicts.append(key)
    return root, conflicts


class _ConflictError(Exception):
    pass


def _as_obj(node: Any) -> Obj:
    if node is None or (isinstance(node, Val) and node.weak):
        return Obj()
    if isinstance(node, Slot):
        obj = Obj()
        obj.ends.extend(node.keys)
        return obj
    if isinstance(node, Obj):
        return node
    raise _ConflictError


def _as_arr(node: Any) -> Arr:
    if node is None or (isinstance(node, Val) and node.weak):
        return Arr()
    if isinstance(node, Slot):
        arr = Arr()
        arr.ends.extend(node.keys)
        return arr
    if isinstance(node, Arr):
        return node
    raise _ConflictError


def _place(node: Any, segments: tuple[Any, ...], i: int, key: str, function: str | None) -> Any:
    if i == len(segments):
        return _end(node, key, function)
    segment = segments[i]
    if isinstance(segment, Child):
        obj = _as_obj(node)
        obj.fields[segment.name] = _place(
            obj.fields.get(segment.name), segments, i + 1, key, function
        )
        return obj
    if isinstance(segment, Index):
        arr = _as_arr(node)
        need = segment.index + 1 if segment.index >= 0 else -segment.index
        while len(arr.items) < need:
            arr.items.append(None)
        at = segment.index if segment.index >= 0 else len(arr.items) + segment.index
        arr.items[at] = _place(arr.items[at], segments, i + 1, key, function)
        return arr
    if isinstance(segment, Slice):
        arr = _as_arr(node)
        at = segment.start if segment.start is not None and segment.start >= 0 else 0
        while len(arr.items) <= at:
            arr.items.append(None)
        arr.items[at] = _place(arr.items[at], segments, i + 1, key, function)
        return arr
    if isinstance(segment, Wildcard):
        if isinstance(node, Obj) and node.fields and not node.ends:
            first = next(iter(node.fields))
            node.fields[first] = _place(node.fields[first], segments, i + 1, key, function)
            return node
        arr = _as_arr(node)
        if not arr.items:
            arr.items.append(None)
        arr.items[0] = _place(arr.items[0], segments, i + 1, key, function)
        return arr
    if isinstance(segment, DeepScan):
        # The scan includes the node itself: the shallowest place is the smallest document.
        return _place(node, segments, i + 1, key, function)
    if isinstance(segment, Filter):
        if isinstance(node, Obj):
            # A filter on an object tests the object itself (Jayway).
            _satisfy(node, segment.condition)
            return _place(node, segments, i + 1, key, function)
        arr = _as_arr(node)
        at = _element_for(arr, segment.condition)
        arr.items[at] = _place(arr.items[at], segments, i + 1, key, function)
        return arr
    if isinstance(segment, Union):
        for item in segment.items:
            sub = Child(item) if isinstance(item, str) else Index(item)
            node = _place(node, (*segments[:i], sub, *segments[i + 1 :]), i, key, function)
        return node
    raise _ConflictError


def _end(node: Any, key: str, function: str | None) -> Any:
    if function in ("length", "size", "keys", "first", "last"):
        if node is None or isinstance(node, Slot):
            arr = _as_arr(node)
            arr.ends.append(key)
            if function in ("first", "last"):
                arr.items.append(Slot(key))
            return arr
        if isinstance(node, (Obj, Arr)):
            node.ends.append(key)
        return node
    if function in _NUMERIC_FUNCTIONS:
        arr = _as_arr(node)
        arr.ends.append(key)
        if not arr.items:
            arr.items.append(Val(1))
        return arr
    if node is None or (isinstance(node, Val) and node.weak):
        return Slot(key, function)
    if isinstance(node, Slot):
        node.keys.append(key)
        return node
    if isinstance(node, (Obj, Arr)):
        node.ends.append(key)
    return node


# --------------------------------------------------------------------------- filters


def _constraints(condition: Condition) -> list[tuple[tuple[str | int, ...], str, Any]]:
    """The (relative path, operator, literal) facts an element must satisfy."""
    if isinstance(condition, And):
        out = []
        for part in condition.parts:
            out.extend(_constraints(part))
        return out
    if isinstance(condition, Or):
        return _constraints(condition.parts[0]) if condition.parts else []
    if isinstance(condition, Not):
        inner = condition.part
        if isinstance(inner, Exists) and isinstance(inner.path, tuple):
            return [(inner.path, "absent", None)]
        if isinstance(inner, Compare):
            flipped = _negate.get(inner.op)
            if flipped:
                return _constraints(Compare(inner.left, flipped, inner.right))
        return []
    if isinstance(condition, Exists):
        return [(condition.path, "exists", None)] if isinstance(condition.path, tuple) else []
    if isinstance(condition, Compare):
        left, op, right = condition.left, condition.op, condition.right
        if isinstance(left, tuple) and not isinstance(right, tuple):
            return [(left, op, right)]
        if isinstance(right, tuple) and not isinstance(left, tuple):
            return [(right, _mirror.get(op, op), left)]
    return []


_negate = {"==": "!=", "!=": "==", "<": ">=", "<=": ">", ">": "<=", ">=": "<", "in": "nin"}
_mirror = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}


def _literal(value: Any) -> Any:
    if isinstance(value, JsonLiteral):
        return value.value
    return value


def satisfying_value(op: str, literal: Any) -> Any:
    """A value ``v`` for which ``v <op> literal`` holds (``_MISSING`` when none is known)."""
    literal = _literal(literal)
    if op in ("==", "==="):
        return literal
    if op in ("!=", "!=="):
        if isinstance(literal, bool):
            return not literal
        if isinstance(literal, (int, float)):
            return literal + 1
        if isinstance(literal, str):
            return f"{literal}-other" if literal else "example"
        return "example"
    if isinstance(literal, (int, float)) and not isinstance(literal, bool):
        return {"<": literal - 1, "<=": literal, ">": literal + 1, ">=": literal}.get(op, literal)
    if op == "in" and isinstance(literal, list) and literal:
        return literal[0]
    if op == "nin":
        return "example-other"
    if op == "=~" and isinstance(literal, Regex):
        return _regex_value(literal)
    if op == "contains":
        return literal if isinstance(literal, str) else [literal]
    if op in ("subsetof", "anyof") and isinstance(literal, list):
        return literal[:1]
    if op == "noneof":
        return []
    if op == "size" and isinstance(literal, int):
        return ["x"] * literal
    if op == "empty":
        return "" if literal is True else "example"
    if op == "exists":
        return "example" if literal is not False else _MISSING
    return _MISSING


def _regex_value(regex: Regex) -> str:
    flags = re.IGNORECASE if "i" in regex.flags else 0
    plain = re.sub(r"\\(.)", r"\1", re.sub(r"[\^$*+?()\[\]{}|.]", "", regex.pattern))
    for candidate in (plain, plain.lower(), "example"):
        try:
            if re.search(regex.pattern, candidate, flags):
                return candidate
        except re.error:
            break
    return plain or "example"


def _get(node: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        if isinstance(part, str) and isinstance(node, Obj) and part in node.fields:
            node = node.fields[part]
        elif (
            isinstance(part, int)
            and isinstance(node, Arr)
            and -len(node.items) <= part < len(node.items)
        ):
            node = node.items[part]
        else:
            return _MISSING
    return node


def _compatible(element: Any, condition: Condition) -> bool:
    for path, op, literal in _constraints(condition):
        current = _get(element, path)
        if current is _MISSING or current is None:
            continue  # nothing there yet: the element can take the value
        if op == "absent":
            return False
        if isinstance(current, Val):
            if current.weak:
                continue
            wanted = satisfying_value(op, literal)
            if op in ("==", "===") and current.value != wanted:
                return False
            if op in ("!=", "!==") and current.value == _literal(literal):
                return False
            continue
        if op in ("==", "!=", "<", "<=", ">", ">="):
            # A container (or a typed slot) where a literal is compared: use another element.
            return False
    return True


def _element_for(arr: Arr, condition: Condition) -> int:
    for at, element in enumerate(arr.items):
        if (element is None or isinstance(element, Obj)) and _compatible(element, condition):
            obj = _as_obj(element)
            arr.items[at] = obj
            _satisfy(obj, condition)
            return at
    obj = Obj()
    _satisfy(obj, condition)
    arr.items.append(obj)
    return len(arr.items) - 1


def _satisfy(obj: Obj, condition: Condition) -> None:
    for path, op, literal in _constraints(condition):
        if op == "absent" or not path:
            continue
        current = _get(obj, path)
        if (
            current is not _MISSING
            and current is not None
            and not (isinstance(current, Val) and current.weak)
        ):
            continue
        if op == "exists":
            value: Any = Val("example", weak=True)
        else:
            wanted = satisfying_value(op, literal)
            if wanted is _MISSING:
                continue
            value = Val(wanted)
        _set(obj, path, value)


def _set(obj: Obj, path: tuple[str | int, ...], value: Any) -> None:
    node: Any = obj
    for depth, part in enumerate(path):
        last = depth == len(path) - 1
        if isinstance(part, str):
            if not isinstance(node, Obj):
                return
            if last:
                node.fields[part] = value
                return
            child = node.fields.get(part)
            nxt = path[depth + 1]
            child = _as_obj(child) if isinstance(nxt, str) else _as_arr(child)
            node.fields[part] = child
            node = child
        else:
            if not isinstance(node, Arr):
                return
            while len(node.items) <= part:
                node.items.append(None)
            if last:
                node.items[part] = value
                return
            nxt = path[depth + 1]
            child = node.items[part]
            child = _as_obj(child) if isinstance(nxt, str) else _as_arr(child)
            node.items[part] = child
            node = child


# --------------------------------------------------------------------------- realizing


def realize(node: Any, slot_value: Callable[[Slot], Any], empty: Any = None) -> Any:
    """Turn a skeleton into JSON, asking ``slot_value`` for each leaf.

    Args:
        node: the skeleton (``None`` for "nothing read": gives ``empty``).
        slot_value: the value for a leaf.
        empty: what an unused element or an empty skeleton becomes.
    """
    if node is None:
        return empty
    if isinstance(node, Obj):
        return {k: realize(v, slot_value, {}) for k, v in node.fields.items()}
    if isinstance(node, Arr):
        return [realize(item, slot_value, {}) for item in node.items]
    if isinstance(node, Val):
        return node.value
    if isinstance(node, Slot):
        return slot_value(node)
    return node
