"""Draft-04 validation that reports what Genesys's validator reports.

Genesys validates with the Java fge json-schema-validator (its messages give it away, see
the reference notes, O8). Three of its habits shape what a user sees, and jsonschema's error
stream cannot reproduce them without walking the schema again, hence this small engine:

* the keywords of one schema run in alphabetical order, each with fge's own wording
  (``object has missing required properties (["x"])``, all missing names in one message);
* members of an object are visited in sorted order, elements of an array in order;
* once any error has been reported, no further children are visited (siblings still run
  their own keywords): a broken parent hides the errors below it.

Truth values follow draft-04 as fge reads it: ``1.0`` is a number, not an integer; numbers
compare exactly (``0.3`` is a multiple of ``0.1``); ``pattern`` searches, it does not match.
``format`` is not checked (fge checks a few formats; Genesys contracts rarely use them).
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["FgeValidator", "Report", "json_text", "node_type", "pointer"]

_TYPE_ORDER = ("array", "boolean", "integer", "null", "number", "object", "string")


def node_type(value: Any) -> str:
    """fge's NodeType name of a parsed JSON value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _number_text(value: int | float | Decimal) -> str:
    if isinstance(value, int):
        return str(value)
    return str(value if isinstance(value, Decimal) else Decimal(repr(value)))


def json_text(value: Any) -> str:
    """Compact JSON the way Jackson's ``JsonNode.toString()`` writes it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return _number_text(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ",".join(json_text(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{json_text(str(k))}:{json_text(v)}" for k, v in value.items()) + "}"
    return json_text(str(value))


def _equivalent(a: Any, b: Any) -> bool:
    # fge's JsonNumEquivalence: numbers by value (1 == 1.0), never a boolean for a number.
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return Decimal(repr(a) if isinstance(a, float) else a) == Decimal(
            repr(b) if isinstance(b, float) else b
        )
    if isinstance(a, list):
        return (
            isinstance(b, list)
            and len(a) == len(b)
            and all(_equivalent(x, y) for x, y in zip(a, b, strict=True))
        )
    if isinstance(a, dict):
        return (
            isinstance(b, dict)
            and a.keys() == b.keys()
            and all(_equivalent(v, b[k]) for k, v in a.items())
        )
    return type(a) is type(b) and bool(a == b)


def _decimal(value: int | float) -> Decimal:
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _java_sorted(names: Any) -> list[str]:
    return sorted(names, key=lambda n: n.encode("utf-16-be", "surrogatepass"))


def _pointer_part(part: str | int) -> str:
    return str(part).replace("~", "~0").replace("/", "~1")


def pointer(path: tuple[str | int, ...]) -> str:
    """A JSON Pointer (RFC 6901) to ``path``; ``""`` for the root."""
    return "".join("/" + _pointer_part(p) for p in path)


Path = tuple[str | int, ...]
Report = list[tuple[str, str, str]]  # (instance pointer, schema pointer, message)


class FgeValidator:
    """Validate instances against one draft-04 schema, producing fge's messages."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.root = schema
        self._patterns: dict[str, re.Pattern[str]] = {}

    def pattern(self, regex: str) -> re.Pattern[str]:
        """A compiled ECMA 262 regex (as close as Python's ``re`` gets)."""
        compiled = self._patterns.get(regex)
        if compiled is None:
            compiled = self._patterns[regex] = re.compile(regex)
        return compiled

    def validate(self, instance: Any) -> Report:
        """Messages as (instance pointer, schema pointer, text) in fge's order; [] if valid."""
        report: Report = []
        self.process(report, self.root, (), instance=instance, path=(), stack=set())
        return report

    def is_valid(self, schema: Any, spath: Path, instance: Any, path: Path) -> bool:
        """Whether ``instance`` satisfies a subschema (fge's sub-report for anyOf & co)."""
        report: Report = []
        self.process(report, schema, spath, instance=instance, path=path, stack=set())
        return not report

    def _resolve(self, schema: Any, spath: Path) -> tuple[Any, Path]:
        for _ in range(50):
            if not (isinstance(schema, dict) and isinstance(schema.get("$ref"), str)):
                break
            ref = schema["$ref"]
            if not ref.startswith("#"):
                return {}, spath  # Genesys supports no $ref; a remote one constrains nothing.
            target: Any = self.root
            parts: list[str | int] = []
            for raw in ref[1:].split("/")[1:]:
                key = raw.replace("~1", "/").replace("~0", "~")
                if isinstance(target, list) and key.isdigit() and int(key) < len(target):
                    target = target[int(key)]
                    parts.append(int(key))
                elif isinstance(target, dict) and key in target:
                    target = target[key]
                    parts.append(key)
                else:
                    return {}, spath
            schema, spath = target, tuple(parts)
        return schema, spath

    def process(
        self,
        report: Report,
        schema: Any,
        spath: Path,
        *,
        instance: Any,
        path: Path,
        stack: set[tuple[Path, Path]],
    ) -> None:
        """fge's InstanceValidator.process: keywords, then children if all is well so far."""
        schema, spath = self._resolve(schema, spath)
        if not isinstance(schema, dict):
            return
        # Pointers are built only for a report: valid instances are the common case.
        if (spath, path) in stack:
            where = pointer(path)
            report.append(
                (where, pointer(spath), f'validation loop: schema "#{pointer(spath)}" visited '
                 f'twice for pointer "{where}" of validated instance')
            )  # fmt: skip
            return
        stack.add((spath, path))
        try:
            at = _At(self, schema, spath, instance=instance, path=path, stack=stack, report=report)
            kind = node_type(instance)
            for keyword in sorted(schema):
                check = _KEYWORDS.get(keyword)
                if check is not None and (check[0] is None or kind in check[0]):
                    message = check[1](at)
                    if message:
                        report.append((pointer(path), pointer(spath), message))
            if report:
                return
            if isinstance(instance, dict):
                for subschema, subpath, name in self._object_children(schema, spath, instance):
                    self.process(
                        report, subschema, subpath, instance=instance[name], path=(*path, name),
                        stack=stack,
                    )  # fmt: skip
            elif isinstance(instance, list):
                for subschema, subpath, index in self._array_children(schema, spath, instance):
                    self.process(
                        report, subschema, subpath, instance=instance[index],
                        path=(*path, index), stack=stack,
                    )  # fmt: skip
        finally:
            stack.discard((spath, path))

    def _object_children(
        self, schema: dict[str, Any], spath: Path, instance: dict[str, Any]
    ) -> list[tuple[Any, Path, str]]:
        properties = schema.get("properties")
        patterns = schema.get("patternProperties")
        additional = schema.get("additionalProperties")
        children: list[tuple[Any, Path, str]] = []
        for name in _java_sorted(instance):
            selected: list[tuple[Any, Path]] = []
            if isinstance(properties, dict) and name in properties:
                selected.append((properties[name], (*spath, "properties", name)))
            if isinstance(patterns, dict):
                selected.extend(
                    (sub, (*spath, "patternProperties", regex))
                    for regex, sub in patterns.items()
                    if self.pattern(regex).search(name)
                )
            if not selected and isinstance(additional, dict):
                selected.append((additional, (*spath, "additionalProperties")))
            children.extend((sub, subpath, name) for sub, subpath in selected)
        return children

    def _array_children(
        self, schema: dict[str, Any], spath: Path, instance: list[Any]
    ) -> list[tuple[Any, Path, int]]:
        items = schema.get("items")
        additional = schema.get("additionalItems")
        children: list[tuple[Any, Path, int]] = []
        for index in range(len(instance)):
            if isinstance(items, dict):
                children.append((items, (*spath, "items"), index))
            elif isinstance(items, list) and index < len(items):
                children.append((items[index], (*spath, "items", index), index))
            elif isinstance(additional, dict):
                children.append((additional, (*spath, "additionalItems"), index))
        return children


class _At:
    """What a keyword check sees: the schema, where it is, and the instance."""

    __slots__ = ("engine", "instance", "path", "report", "schema", "spath", "stack")

    def __init__(
        self,
        engine: FgeValidator,
        schema: dict[str, Any],
        spath: Path,
        *,
        instance: Any,
        path: Path,
        stack: set[tuple[Path, Path]],
        report: Report,
    ) -> None:
        self.engine = engine
        self.schema = schema
        self.spath = spath
        self.instance = instance
        self.path = path
        self.stack = stack
        self.report = report

    def matches(self, keyword: str) -> tuple[int, int]:
        schemas = self.schema[keyword]
        matched = sum(
            1
            for i, sub in enumerate(schemas)
            if self.engine.is_valid(sub, (*self.spath, keyword, i), self.instance, self.path)
        )
        return matched, len(schemas)


# --------------------------------------------------------------------------- keywords


def _type(at: _At) -> str | None:
    declared = at.schema["type"]
    names = {declared} if isinstance(declared, str) else set(declared or [])
    if "number" in names:
        names.add("integer")
    found = node_type(at.instance)
    if found in names:
        return None
    allowed = [t for t in _TYPE_ORDER if t in names]
    return (
        f"instance type ({found}) does not match any allowed primitive type "
        f"(allowed: {json_text(allowed)})"
    )


def _enum(at: _At) -> str | None:
    values = at.schema["enum"]
    if any(_equivalent(at.instance, e) for e in values):
        return None
    return (
        f"instance value ({json_text(at.instance)}) not found in enum "
        f"(possible values: {json_text(values)})"
    )


def _required(at: _At) -> str | None:
    # fge sorts the required names when it digests the schema.
    required = _java_sorted(dict.fromkeys(at.schema["required"]))
    missing = [name for name in required if name not in at.instance]
    if not missing:
        return None
    return f"object has missing required properties ({json_text(missing)})"


def _additional_properties(at: _At) -> str | None:
    s = at.schema
    if s["additionalProperties"] is not False:
        return None
    properties = s["properties"] if isinstance(s.get("properties"), dict) else {}
    patterns = s["patternProperties"] if isinstance(s.get("patternProperties"), dict) else {}
    unwanted = [
        name
        for name in at.instance
        if name not in properties and not any(at.engine.pattern(r).search(name) for r in patterns)
    ]
    if not unwanted:
        return None
    return (
        "object instance has properties which are not allowed by the schema: "
        f"{json_text(_java_sorted(unwanted))}"
    )


def _min_properties(at: _At) -> str | None:
    limit, found = at.schema["minProperties"], len(at.instance)
    if found >= limit:
        return None
    return f"object has too few properties (found {found} but schema requires at least {limit})"


def _max_properties(at: _At) -> str | None:
    limit, found = at.schema["maxProperties"], len(at.instance)
    if found <= limit:
        return None
    return f"object has too many properties (found {found} but schema requires at most {limit})"


def _dependencies(at: _At) -> str | None:
    # fge checks every property dependency first, then the schema dependencies, each in
    # name order, with the dependency lists sorted.
    dependencies = at.schema["dependencies"]
    where = pointer(at.path)
    for name in _java_sorted(dependencies):
        needed = dependencies[name]
        if isinstance(needed, str):
            needed = [needed]
        if name not in at.instance or not isinstance(needed, list) or not needed:
            continue
        needed = _java_sorted(dict.fromkeys(needed))
        missing = [d for d in needed if d not in at.instance]
        if missing:
            message = (
                f'property "{name}" of object has missing property dependencies '
                f"(schema requires {json_text(needed)}; missing: {json_text(missing)})"
            )
            at.report.append((where, pointer(at.spath), message))
    for name in _java_sorted(dependencies):
        if name in at.instance and isinstance(dependencies[name], dict):
            at.engine.process(
                at.report,
                dependencies[name],
                (*at.spath, "dependencies", name),
                instance=at.instance,
                path=at.path,
                stack=at.stack,
            )
    return None


def _min_items(at: _At) -> str | None:
    limit, found = at.schema["minItems"], len(at.instance)
    if found >= limit:
        return None
    return (
        f"array is too short: must have at least {limit} elements but instance has {found} elements"
    )


def _max_items(at: _At) -> str | None:
    limit, found = at.schema["maxItems"], len(at.instance)
    if found <= limit:
        return None
    return (
        f"array is too long: must have at most {limit} elements but instance has {found} elements"
    )


def _unique_items(at: _At) -> str | None:
    if at.schema["uniqueItems"] is not True:
        return None
    items = at.instance
    for i, a in enumerate(items):
        if any(_equivalent(a, b) for b in items[:i]):
            return "array must not contain duplicate elements"
    return None


def _additional_items(at: _At) -> str | None:
    items = at.schema.get("items")
    if at.schema["additionalItems"] is not False or not isinstance(items, list):
        return None
    if len(at.instance) <= len(items):
        return None
    return (
        f"schema only allows {len(items)} elements in array but instance has "
        f"{len(at.instance)} elements"
    )


def _min_length(at: _At) -> str | None:
    limit, text = at.schema["minLength"], at.instance
    if len(text) >= limit:
        return None
    return f'string "{text}" is too short (length: {len(text)}, required minimum: {limit})'


def _max_length(at: _At) -> str | None:
    limit, text = at.schema["maxLength"], at.instance
    if len(text) <= limit:
        return None
    return f'string "{text}" is too long (length: {len(text)}, maximum allowed: {limit})'


def _pattern(at: _At) -> str | None:
    regex = at.schema["pattern"]
    if at.engine.pattern(regex).search(at.instance):
        return None
    return f'ECMA 262 regex "{regex}" does not match input string "{at.instance}"'


def _minimum(at: _At) -> str | None:
    limit, x = at.schema["minimum"], at.instance
    value, bound = _decimal(x), _decimal(limit)
    if value < bound:
        return (
            "numeric instance is lower than the required minimum "
            f"(minimum: {_number_text(limit)}, found: {_number_text(x)})"
        )
    if value == bound and at.schema.get("exclusiveMinimum") is True:
        return (
            "numeric instance is not strictly greater than the required minimum "
            f"{_number_text(limit)}"
        )
    return None


def _maximum(at: _At) -> str | None:
    limit, x = at.schema["maximum"], at.instance
    value, bound = _decimal(x), _decimal(limit)
    if value > bound:
        return (
            "numeric instance is greater than the required maximum "
            f"(maximum: {_number_text(limit)}, found: {_number_text(x)})"
        )
    if value == bound and at.schema.get("exclusiveMaximum") is True:
        return (
            "numeric instance is not strictly lower than the required maximum "
            f"{_number_text(limit)}"
        )
    return None


def _multiple_of(at: _At) -> str | None:
    divisor, x = at.schema["multipleOf"], at.instance
    if _decimal(divisor) == 0 or _decimal(x) % _decimal(divisor) == 0:
        return None
    return f"remainder of division is not zero ({_number_text(x)} / {_number_text(divisor)})"


def _all_of(at: _At) -> str | None:
    matched, size = at.matches("allOf")
    if matched == size:
        return None
    return f"instance failed to match all required schemas (matched only {matched} out of {size})"


def _any_of(at: _At) -> str | None:
    matched, size = at.matches("anyOf")
    if matched:
        return None
    return f"instance failed to match at least one required schema among {size}"


def _one_of(at: _At) -> str | None:
    matched, size = at.matches("oneOf")
    if matched == 1:
        return None
    return f"instance failed to match exactly one schema (matched {matched} out of {size})"


def _not(at: _At) -> str | None:
    if not at.engine.is_valid(at.schema["not"], (*at.spath, "not"), at.instance, at.path):
        return None
    return "instance matched a schema which it should not have"


_NUMBERS = frozenset({"integer", "number"})
_KEYWORDS: dict[str, tuple[frozenset[str] | None, Callable[[_At], str | None]]] = {
    "additionalItems": (frozenset({"array"}), _additional_items),
    "additionalProperties": (frozenset({"object"}), _additional_properties),
    "allOf": (None, _all_of),
    "anyOf": (None, _any_of),
    "dependencies": (frozenset({"object"}), _dependencies),
    "enum": (None, _enum),
    "maxItems": (frozenset({"array"}), _max_items),
    "maxLength": (frozenset({"string"}), _max_length),
    "maxProperties": (frozenset({"object"}), _max_properties),
    "maximum": (_NUMBERS, _maximum),
    "minItems": (frozenset({"array"}), _min_items),
    "minLength": (frozenset({"string"}), _min_length),
    "minProperties": (frozenset({"object"}), _min_properties),
    "minimum": (_NUMBERS, _minimum),
    "multipleOf": (_NUMBERS, _multiple_of),
    "not": (None, _not),
    "oneOf": (None, _one_of),
    "pattern": (frozenset({"string"}), _pattern),
    "required": (frozenset({"object"}), _required),
    "type": (None, _type),
    "uniqueItems": (frozenset({"array"}), _unique_items),
}
