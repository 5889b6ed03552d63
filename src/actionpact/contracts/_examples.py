"""Derived examples: one deterministic input and provider response per action, without a spec.

The input comes from the input schema (the schema's own values, formats, the field's name,
its type). The response body is the smallest document that makes every translation-map path
resolve (:mod:`._skeleton`), each leaf typed from where its value lands in the output: the
success template is run once with numbered markers in the leaves, and the output schema at
the marker's place says what the leaf must be. A ``${rawResult}`` pass-through action gets a
body built from its output schema.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from actionpact.contracts._skeleton import Slot, build_skeleton, realize
from actionpact.contracts._values import schema_type, schema_value, value_for_name
from actionpact.core.errors import ActionFailure, OutputValidationError
from actionpact.genesys._jsonpath_model import Child

if TYPE_CHECKING:
    from actionpact.genesys import CompiledAction

__all__ = [
    "DerivedBody",
    "Landing",
    "derive_body",
    "derive_input",
    "landings",
    "raw_landing",
    "schema_at",
    "uses_raw_result",
]

_MARKER_BASE = 987_650_000
_WHOLE_INPUT = re.compile(r"^\s*\$!?\{?input\.(\w+)\}?\s*$")
_BOOLEAN_NAME = re.compile(r"^(is|has|can|should|was|are|allow|enable)[A-Z_]|^(found|exists|valid)")


@dataclass(frozen=True, slots=True)
class Landing:
    """Where a translation-map value ends up in the output.

    Attributes:
        location: the JSON location in the output (keys and indexes).
        schema: the output schema at that place, when it declares one.
        embedded: the value is spliced inside a string (``"${x}"``), so it must be a
            number or boolean: a JSON string there would break the output.
    """

    location: tuple[str | int, ...]
    schema: Mapping[str, Any] | None
    embedded: bool = False

    @property
    def field(self) -> str | None:
        """The last property name of the location, to pick a realistic value."""
        for part in reversed(self.location):
            if isinstance(part, str):
                return part
        return None


@dataclass(frozen=True, slots=True)
class DerivedBody:
    """A derived response body and what was learnt building it.

    Attributes:
        body: the JSON body.
        landings: translation-map key -> where its value lands in the output.
        conflicts: keys whose path clashes with another's and could not be placed.
        raw: where ``${rawResult}`` lands in the output, when the template uses it.
    """

    body: Any
    landings: Mapping[str, Landing]
    conflicts: tuple[str, ...] = ()
    raw: Landing | None = None


# --------------------------------------------------------------------------- input


def _referenced_inputs(action: CompiledAction) -> tuple[set[str], bool]:
    names: set[str] = set()
    raw = False
    templates = [action.url_template, *action.header_templates.values()]
    if action.definition.request.method != "GET":
        templates.append(action.request_template)
    for template in templates:
        for ref in template.references:
            if ref.startswith("input."):
                name = ref[len("input.") :].split(".", 1)[0]
                if name == "rawRequest":
                    raw = True
                else:
                    names.add(name)
    return names, raw


def derive_input(action: CompiledAction) -> dict[str, Any]:
    """The derived example's input: required fields and those the request templates use.

    Values come from the input schema (``examples``, ``default``, ``enum``, ``format``),
    then the field's name (``phone``, ``email``, ``...Id``), then its type.
    """
    schema = action.definition.input_schema or {}
    properties = schema.get("properties") if isinstance(schema, Mapping) else None
    properties = properties if isinstance(properties, Mapping) else {}
    required = schema.get("required") if isinstance(schema, Mapping) else None
    wanted = {r for r in required if isinstance(r, str)} if isinstance(required, list) else set()
    used, raw = _referenced_inputs(action)
    wanted |= set(properties) if raw else used
    result: dict[str, Any] = {}
    for name in properties:
        if name in wanted:
            result[name] = schema_value(properties[name], name)
    for name in sorted(wanted - set(properties)):
        # Used by a template but not declared: Genesys passes it through as given.
        result[name] = value_for_name(name) or "example"
    whole = _WHOLE_INPUT.match(action.definition.request.request_template)
    if whole and whole.group(1) in result and isinstance(result[whole.group(1)], str):
        # `requestTemplate: ${input.payload}`: the flow hands over the whole body as text.
        result[whole.group(1)] = "{}"
    return result


# --------------------------------------------------------------------------- body


def uses_raw_result(action: CompiledAction) -> bool:
    """Whether the success template passes the raw response through (``${rawResult}``)."""
    return any(ref.split(".", 1)[0] == "rawResult" for ref in action.success_template.references)


def schema_at(schema: Any, location: tuple[str | int, ...]) -> Mapping[str, Any] | None:
    """The sub-schema of ``schema`` that describes the value at ``location``."""
    node = schema
    for part in location:
        if not isinstance(node, Mapping):
            return None
        if isinstance(part, int):
            items = node.get("items")
            node = (
                (items[part] if part < len(items) else None) if isinstance(items, list) else items
            )
        else:
            properties = node.get("properties")
            if isinstance(properties, Mapping) and part in properties:
                node = properties[part]
            elif isinstance(node.get("additionalProperties"), Mapping):
                node = node["additionalProperties"]
            else:
                return None
    return node if isinstance(node, Mapping) else None


def _walk(
    value: Any, location: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[Any, ...], Any]]:
    yield location, value
    if isinstance(value, dict):
        for key, sub in value.items():
            yield from _walk(sub, (*location, key))
    elif isinstance(value, list):
        for index, sub in enumerate(value):
            yield from _walk(sub, (*location, index))


def landings(
    action: CompiledAction,
    skeleton: Any,
    input: Mapping[str, Any],
) -> dict[str, Landing]:
    """Run the success template once with a numbered marker in each leaf and find them.

    Returns:
        key -> landing for every key whose value shows up in the output.
    """
    markers: dict[int, tuple[str, ...]] = {}

    def marker(slot: Slot) -> int:
        number = _MARKER_BASE + len(markers)
        markers[number] = tuple(slot.keys)
        return number

    if not action.paths:
        return {}
    document = realize(skeleton, marker, {})
    try:
        output = action.transform(document, status=200, input=input)
    except OutputValidationError as error:
        if error.output is None:
            return {}
        try:
            output = json.loads(error.output)
        except json.JSONDecodeError:
            return {}
    except ActionFailure:
        return {}
    found: dict[str, Landing] = {}
    schema = action.definition.output_schema
    for location, value in _walk(output):
        if isinstance(value, bool):
            continue
        if isinstance(value, int) and value in markers:
            keys, embedded = markers[value], False
        elif isinstance(value, str) and str(_MARKER_BASE)[:5] in value:
            hits = [n for n in markers if str(n) in value]
            if not hits:
                continue
            keys, embedded = markers[hits[0]], True
        else:
            continue
        for key in keys:
            found.setdefault(key, Landing(location, schema_at(schema, location), embedded))
    return found


def _leaf_name(action: CompiledAction, key: str) -> str | None:
    """The property name a path ends on in the response (``$.c.contacts[*].name`` -> name)."""
    path = action.paths.get(key)
    for segment in reversed(path.segments if path is not None else ()):
        if isinstance(segment, Child):
            return segment.name
    return None


def _best_name(*names: str | None) -> str | None:
    """The first name that says something about its value, else the first name given."""
    given = [n for n in names if n]
    return next((n for n in given if value_for_name(n) is not None), given[0] if given else None)


def _slot_value(action: CompiledAction, slot: Slot, found: Mapping[str, Landing]) -> Any:
    for key in slot.keys:
        landing = found.get(key)
        if landing is None:
            continue
        name = _best_name(landing.field, _leaf_name(action, key), key) or key
        if landing.embedded:
            return True if _BOOLEAN_NAME.search(name) or _BOOLEAN_NAME.search(key) else 1
        if landing.schema is not None:
            kind = schema_type(landing.schema)
            if kind is not None or "enum" in landing.schema:
                return schema_value(landing.schema, name)
        return value_for_name(name) or "example"
    key = slot.keys[0]
    if _BOOLEAN_NAME.search(key):
        return True
    return value_for_name(_best_name(_leaf_name(action, key), key) or key) or "example"


def _merge(base: Any, extra: Any) -> Any:
    """``base`` with the fields of ``extra`` it lacks (``base`` wins where both have one)."""
    if isinstance(base, dict) and isinstance(extra, dict):
        merged = dict(base)
        for key, value in extra.items():
            merged[key] = _merge(merged[key], value) if key in merged else value
        return merged
    return base


_RAW_ONLY = re.compile(r"^\s*\$!?\{?rawResult\}?\s*$")


def raw_landing(action: CompiledAction, input: Mapping[str, Any]) -> Landing | None:
    """Where ``${rawResult}`` lands in the output (the whole output for a pass-through).

    Found like the translation-map values: the success template runs once on a body that
    is a marker number, and the marker is looked for in the output.
    """
    if not uses_raw_result(action):
        return None
    schema = action.definition.output_schema
    if _RAW_ONLY.match(action.definition.response.success_template):
        return Landing((), schema if isinstance(schema, Mapping) else None)
    marker = _MARKER_BASE - 1
    try:
        output = action.transform(marker, status=200, input=input)
    except OutputValidationError as error:
        try:
            output = json.loads(error.output or "")
        except json.JSONDecodeError:
            return None
    except ActionFailure:
        return None
    for location, value in _walk(output):
        if value == marker and not isinstance(value, bool):
            return Landing(location, schema_at(schema, location))
    return None


def derive_body(action: CompiledAction, input: Mapping[str, Any]) -> DerivedBody:
    """The derived response body for ``action`` given the example's ``input``."""
    skeleton, conflicts = build_skeleton(action.paths)
    found = landings(action, skeleton, input)
    body = realize(skeleton, lambda slot: _slot_value(action, slot, found), {})
    raw = raw_landing(action, input)
    if raw is not None:
        from_schema = schema_value(raw.schema) if raw.schema is not None else {}
        if not isinstance(from_schema, (dict, list)):
            from_schema = {}
        body = _merge(body, from_schema) if action.paths else from_schema
    return DerivedBody(body, found, tuple(conflicts), raw)
