"""Response matchers for exactly what an action reads (Postel's law).

Every translation-map path is followed through the example body; what it touches is kept
and typed, everything else is dropped from the pact:

* a leaf gets a type matcher (``integer``, ``number``, ``boolean``, ``type``), or a regex
  when the output schema lists the strings it may be;
* an array read with ``[*]``, an index or a slice gets a type matcher with a minimum length
  (``each_like``): every element must look like the first;
* an array read through a filter ``[?(@.type=='email')]`` (or a deep scan) gets
  ``array_containing``: some element must exist with the filter's literal values and the
  fields read from it;
* a ``${rawResult}`` pass-through keeps what the output schema declares.

The rules are plain data (:class:`Like`, :class:`Term`, :class:`EachLike`, :class:`Contains`,
dicts and literal values); :mod:`._pact` turns them into pact-python matchers.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias

from actionpact.genesys._jsonpath_model import (
    And,
    Child,
    Compare,
    DeepScan,
    Exists,
    Filter,
    Index,
    JsonLiteral,
    Not,
    Or,
    Regex,
    Slice,
    SubPath,
    Union,
    Wildcard,
)

if TYPE_CHECKING:
    from actionpact.contracts._examples import Landing
    from actionpact.genesys._jsonpath_model import CompiledPath, Condition

__all__ = ["Contains", "EachLike", "Like", "Rule", "Term", "body_rules", "example_of"]


@dataclass(frozen=True, slots=True)
class Like:
    """A value of the same JSON type as ``value`` (``kind``: type, integer, number, boolean).

    For a list, ``min`` is the minimum length (``None``: no minimum).
    """

    value: Any
    kind: str = "type"
    min: int | None = None


@dataclass(frozen=True, slots=True)
class Term:
    """A string matching ``pattern``; ``value`` is the example."""

    value: str
    pattern: str


@dataclass(frozen=True, slots=True)
class EachLike:
    """An array of at least ``min`` elements, each like ``items[0]``; ``items`` are examples."""

    items: tuple[Any, ...]
    min: int = 1


@dataclass(frozen=True, slots=True)
class Contains:
    """An array containing, for each variant, an element that matches it."""

    variants: tuple[Any, ...]


Rule: TypeAlias = Any  # Like | Term | EachLike | Contains | dict[str, Rule] | JSON literal


def example_of(rule: Rule) -> Any:
    """The example JSON a rule stands for (what the mock server answers)."""
    if isinstance(rule, dict):
        return {key: example_of(value) for key, value in rule.items()}
    if isinstance(rule, (Like, Term)):
        return rule.value
    if isinstance(rule, EachLike):
        return [example_of(item) for item in rule.items]
    if isinstance(rule, Contains):
        return [example_of(variant) for variant in rule.variants]
    return rule


# --------------------------------------------------------------------------- read tree


@dataclass(slots=True)
class _Read:
    """What the paths read of one node of the example document."""

    value: Any
    fields: dict[str, _Read] = field(default_factory=dict)
    each: dict[int, _Read] = field(default_factory=dict)
    contains: dict[int, _Read] = field(default_factory=dict)
    each_min: int = 0
    exact: list[tuple[str | int, ...]] = field(default_factory=list)
    leaf: Landing | None = None
    whole: bool = False
    length: bool = False

    def child(self, step: tuple[Any, ...]) -> _Read:
        kind, key = step[0], step[1]
        if kind == "obj":
            node = self.fields.get(key)
            if node is None:
                node = self.fields[key] = _Read(self.value[key])
            return node
        table = self.contains if step[2] == "contains" else self.each
        node = table.get(key)
        if node is None:
            node = table[key] = _Read(self.value[key])
        if step[2] == "each":
            self.each_min = max(self.each_min, step[3])
        return node


_MISSING: Any = object()
_Step = tuple[Any, ...]


def _get(value: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        if isinstance(part, str):
            if not isinstance(value, dict) or part not in value:
                return _MISSING
            value = value[part]
        elif isinstance(value, list) and -len(value) <= part < len(value):
            value = value[part]
        else:
            return _MISSING
    return value


def _operand(operand: Any, item: Any, root: Any) -> Any:
    if isinstance(operand, tuple):
        return _get(item, operand)
    if isinstance(operand, SubPath):
        value = operand.path.evaluate(root if operand.expression.startswith("$") else item)
        return _MISSING if value is not None and type(value).__name__ == "_UnsetType" else value
    if isinstance(operand, JsonLiteral):
        return operand.value
    return operand


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _equal(left: Any, right: Any) -> bool:
    if _number(left) and _number(right):
        return math.isclose(float(left), float(right))
    return type(left) is type(right) and left == right


def _compare(op: str, left: Any, right: Any) -> bool:
    if op == "exists":
        return (left is not _MISSING) == bool(right)
    if left is _MISSING or right is _MISSING:
        return op in ("!=", "!==", "nin", "noneof")
    if op in ("==", "==="):
        return _equal(left, right)
    if op in ("!=", "!=="):
        return not _equal(left, right)
    if op in ("<", "<=", ">", ">="):
        if not (
            (_number(left) and _number(right)) or (isinstance(left, str) and isinstance(right, str))
        ):
            return False
        outcome: bool = {
            "<": left < right,
            "<=": left <= right,
            ">": left > right,
            ">=": left >= right,
        }[op]
        return outcome
    if op == "=~" and isinstance(right, Regex) and isinstance(left, str):
        flags = re.IGNORECASE if "i" in right.flags else 0
        try:
            return re.fullmatch(right.pattern, left, flags) is not None
        except re.error:
            return False
    if op in ("in", "nin") and isinstance(right, list):
        return any(_equal(left, r) for r in right) == (op == "in")
    if op == "contains":
        if isinstance(left, str) and isinstance(right, str):
            return right in left
        return isinstance(left, list) and any(_equal(x, right) for x in left)
    if op == "size":
        return isinstance(left, (list, str)) and len(left) == right
    if op == "empty":
        return isinstance(left, (list, str)) and (len(left) == 0) == bool(right)
    if op in ("subsetof", "anyof", "noneof") and isinstance(left, list) and isinstance(right, list):
        hits = [any(_equal(x, r) for r in right) for x in left]
        return {"subsetof": all(hits), "anyof": any(hits), "noneof": not any(hits)}[op]
    return True


def _holds(condition: Condition, item: Any, root: Any) -> bool:
    if isinstance(condition, And):
        return all(_holds(part, item, root) for part in condition.parts)
    if isinstance(condition, Or):
        return any(_holds(part, item, root) for part in condition.parts)
    if isinstance(condition, Not):
        return not _holds(condition.part, item, root)
    if isinstance(condition, Exists):
        return _operand(condition.path, item, root) is not _MISSING
    if isinstance(condition, Compare):
        left = _operand(condition.left, item, root)
        right = (
            condition.right
            if isinstance(condition.right, Regex)
            else _operand(condition.right, item, root)
        )
        return _compare(condition.op, left, right)
    return True


def _literal_paths(condition: Condition) -> Iterator[tuple[str | int, ...]]:
    """Relative paths a filter compares with ``==`` (kept as exact values in the pact)."""
    if isinstance(condition, And):
        for part in condition.parts:
            yield from _literal_paths(part)
    elif isinstance(condition, Compare) and condition.op in ("==", "==="):
        for side in (condition.left, condition.right):
            if isinstance(side, tuple) and side:
                yield side


def _traces(
    value: Any, segments: tuple[Any, ...], i: int, root: Any, trail: tuple[_Step, ...]
) -> Iterator[tuple[_Step, ...]]:
    if i == len(segments):
        yield trail
        return
    segment = segments[i]
    if isinstance(segment, Child):
        if isinstance(value, dict) and segment.name in value:
            yield from _traces(
                value[segment.name], segments, i + 1, root, (*trail, ("obj", segment.name))
            )
    elif isinstance(segment, Index):
        if isinstance(value, list) and -len(value) <= segment.index < len(value):
            at = segment.index % len(value)
            need = segment.index + 1 if segment.index >= 0 else -segment.index
            yield from _traces(
                value[at], segments, i + 1, root, (*trail, ("arr", at, "each", need))
            )
    elif isinstance(segment, Slice):
        if isinstance(value, list):
            for at in range(*slice(segment.start, segment.stop).indices(len(value))):
                yield from _traces(
                    value[at], segments, i + 1, root, (*trail, ("arr", at, "each", 1))
                )
    elif isinstance(segment, Wildcard):
        if isinstance(value, list):
            for at, item in enumerate(value):
                yield from _traces(item, segments, i + 1, root, (*trail, ("arr", at, "each", 1)))
        elif isinstance(value, dict):
            for key, item in value.items():
                yield from _traces(item, segments, i + 1, root, (*trail, ("obj", key)))
    elif isinstance(segment, DeepScan):
        yield from _scan(value, segments, i + 1, root, trail)
    elif isinstance(segment, Filter):
        if isinstance(value, list):
            for at, item in enumerate(value):
                if _holds(segment.condition, item, root):
                    step = ("arr", at, "contains", segment.condition)
                    yield from _traces(item, segments, i + 1, root, (*trail, step))
        elif isinstance(value, dict) and _holds(segment.condition, value, root):
            yield from _traces(value, segments, i + 1, root, (*trail, ("self", segment.condition)))
    elif isinstance(segment, Union):
        for item in segment.items:
            sub = Child(item) if isinstance(item, str) else Index(item)
            yield from _traces(value, (sub, *segments[i + 1 :]), 0, root, trail)


def _scan(
    value: Any, segments: tuple[Any, ...], i: int, root: Any, trail: tuple[_Step, ...]
) -> Iterator[tuple[_Step, ...]]:
    yield from _traces(value, segments, i, root, trail)
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _scan(item, segments, i, root, (*trail, ("obj", key)))
    elif isinstance(value, list):
        for at, item in enumerate(value):
            # Found somewhere below: some element must hold it, not every one.
            yield from _scan(item, segments, i, root, (*trail, ("arr", at, "contains", None)))


def _read_tree(
    document: Any, paths: Mapping[str, CompiledPath], landings: Mapping[str, Landing]
) -> _Read:
    root = _Read(document)
    for key, path in paths.items():
        for trail in _traces(document, path.segments, 0, document, ()):
            node = root
            for step in trail:
                if step[0] == "self":
                    node.exact.extend(_literal_paths(step[1]))
                    continue
                node = node.child(step)
                if step[0] == "arr" and step[2] == "contains" and step[3] is not None:
                    node.exact.extend(_literal_paths(step[3]))
            if path.function in ("length", "size", "keys"):
                node.length = True
            else:
                node.whole = True
                node.leaf = node.leaf or landings.get(key)
    return root


# --------------------------------------------------------------------------- rules


def _scalar_rule(value: Any, schema: Mapping[str, Any] | None) -> Rule:
    if isinstance(value, bool):
        return Like(value, "boolean")
    if isinstance(value, int):
        return Like(value, "integer")
    if isinstance(value, float):
        return Like(value, "number")
    if isinstance(value, str):
        enum = schema.get("enum") if schema is not None else None
        if isinstance(enum, list) and value in enum and all(isinstance(e, str) for e in enum):
            alternatives = "|".join(re.escape(e) for e in enum)
            return Term(value, f"^({alternatives})$")
        return Like(value)
    return value  # null: the provider must send null here


def schema_rule(
    value: Any, schema: Mapping[str, Any] | None, keep: frozenset[str] = frozenset()
) -> Rule:
    """The rule for a value the action uses whole, shaped by its output ``schema``.

    Objects keep the properties the schema declares (and ``keep``); without declared
    properties the whole value is matched by type.
    """
    if isinstance(value, dict):
        properties = schema.get("properties") if schema is not None else None
        if not isinstance(properties, Mapping) or not properties:
            return Like(value)
        return {
            key: schema_rule(
                item, properties.get(key) if isinstance(properties.get(key), Mapping) else None
            )
            for key, item in value.items()
            if key in properties or key in keep
        }
    if isinstance(value, list):
        if not value:
            return Like([], min=0)
        items_schema = schema.get("items") if schema is not None else None
        items_schema = items_schema if isinstance(items_schema, Mapping) else None
        if items_schema is None and schema is None:
            return Like(value, min=1)
        return EachLike(tuple(schema_rule(item, items_schema) for item in value), 1)
    return _scalar_rule(value, schema)


def _set_exact(rule: dict[str, Any], value: Any, path: tuple[str | int, ...]) -> None:
    if not path or not isinstance(path[0], str) or not isinstance(value, dict):
        return
    head = path[0]
    if head not in value:
        return
    if len(path) == 1:
        rule[head] = (
            value[head]
            if not isinstance(value[head], (dict, list))
            else rule.get(head, Like(value[head]))
        )
        return
    sub = rule.get(head)
    if not isinstance(sub, dict):
        sub = {}
        rule[head] = sub
    _set_exact(sub, value[head], path[1:])


def _rule(node: _Read) -> Rule:
    value = node.value
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        if node.whole:
            whole = schema_rule(value, node.leaf.schema if node.leaf else None)
            if isinstance(whole, dict):
                out.update(whole)
            elif not node.fields and not node.exact:
                return whole
            else:
                out.update(
                    {
                        k: Like(v) if isinstance(v, (dict, list)) else _scalar_rule(v, None)
                        for k, v in value.items()
                    }
                )
        for key in value:
            if key in node.fields:
                out[key] = _merge(out.get(key), _rule(node.fields[key]))
        for path in node.exact:
            _set_exact(out, value, path)
        return {key: out[key] for key in value if key in out}
    if isinstance(value, list):
        if node.contains:
            indexes = sorted(set(node.contains) | set(node.each))
            variants = []
            for at in indexes:
                parts = [n for n in (node.contains.get(at), node.each.get(at)) if n is not None]
                variants.append(_merge_reads(parts))
            return Contains(tuple(variants))
        if node.each:
            last = max(node.each)
            items = tuple(
                _rule(node.each[at]) if at in node.each else _pruned(value[at])
                for at in range(last + 1)
            )
            return EachLike(items, max(node.each_min, 1))
        if node.whole:
            return schema_rule(value, node.leaf.schema if node.leaf else None)
        if node.length:
            return Like([_pruned(item) for item in value], min=0)
        return Like(value)
    if node.length and isinstance(value, str):
        return Like(value)
    return _scalar_rule(value, node.leaf.schema if node.leaf else None)


def _pruned(value: Any) -> Any:
    """An element kept only for its position: its type, none of its content."""
    if isinstance(value, dict):
        return {}
    if isinstance(value, list):
        return []
    return value


def _merge_reads(parts: list[_Read]) -> Rule:
    rule = _rule(parts[0])
    for other in parts[1:]:
        rule = _merge(rule, _rule(other))
    return rule


def _merge(left: Rule, right: Rule) -> Rule:
    if left is None:
        return right
    if isinstance(left, dict) and isinstance(right, dict):
        merged = dict(left)
        for key, value in right.items():
            merged[key] = _merge(merged.get(key), value)
        return merged
    # Exact literals (from filters) win over type matchers: they are what the filter needs.
    if not isinstance(left, (Like, Term, EachLike, Contains, dict)):
        return left
    return right if not isinstance(right, Like) or isinstance(left, Like) else left


def body_rules(
    document: Any,
    paths: Mapping[str, CompiledPath],
    landings: Mapping[str, Landing],
    *,
    pass_through: Mapping[str, Any] | bool | None = False,
    keep: frozenset[str] = frozenset(),
) -> Rule:
    """The response-body rules for ``document`` as the action reads it.

    Args:
        document: the example body (derived or from a spec).
        paths: translation-map key -> compiled JSONPath.
        landings: key -> where its value lands in the output (for enums and shapes).
        pass_through: the output schema (or ``None`` without one) when the success template
            passes ``${rawResult}`` through; ``False`` otherwise.
        keep: top-level fields to keep in a pass-through body besides the declared ones
            (those an example's ``expect.output`` names).
    """
    tree = _read_tree(document, paths, landings)
    rule: Rule = (
        _rule(tree)
        if (tree.fields or tree.each or tree.contains or tree.whole or tree.length)
        else {}
    )
    if pass_through is not False:
        schema = pass_through if isinstance(pass_through, Mapping) else None
        whole = schema_rule(document, schema, keep)
        rule = (
            _merge(whole, rule)
            if isinstance(whole, dict) and isinstance(rule, dict)
            else (rule if rule != {} else whole)
        )
    if isinstance(document, dict) and isinstance(rule, dict):
        return {key: rule[key] for key in document if key in rule}
    if rule == {} and not isinstance(document, dict):
        return Like(document) if isinstance(document, list) else document
    return rule
