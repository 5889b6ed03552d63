"""Deterministic example values from JSON Schemas and field names.

Derived examples must be the same on every run (a pact is published by content), so nothing
here is random: the schema's own ``examples``/``default``/``enum`` win, then its ``format``,
then what the field's name says (``phone``, ``email``, ``...Id``), then its type.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

__all__ = ["schema_type", "schema_value", "value_for_name"]

_MAX_DEPTH = 8

_FORMATS: dict[str, str] = {
    "date-time": "2024-01-02T03:04:05Z",
    "date": "2024-01-02",
    "time": "03:04:05",
    "email": "jane.doe@example.com",
    "idn-email": "jane.doe@example.com",
    "uri": "https://example.com/resource",
    "url": "https://example.com/resource",
    "iri": "https://example.com/resource",
    "uri-reference": "/resource",
    "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "hostname": "example.com",
    "ipv4": "192.0.2.10",
    "ipv6": "2001:db8::10",
    "phone": "+13175550123",
}

# (pattern on the lower-cased, separator-free name, value); first match wins.
_NAME_HINTS: tuple[tuple[re.Pattern[str], Any], ...] = tuple(
    (re.compile(pattern), value)
    for pattern, value in (
        (r"(phone|ani|dnis|msisdn|mobile|cell|telephone|callback(number)?|^tel$)", "+13175550123"),
        (r"e?mail", "jane.doe@example.com"),
        (r"(url|uri|link|href|website)$", "https://example.com/resource"),
        (r"(datetime|timestamp|date$|time$|createdat|updatedat|modified|created)", None),
        (r"firstname|givenname", "Jane"),
        (r"(lastname|surname|familyname)", "Doe"),
        (r"(fullname|displayname|customername|contactname|^name$|username)", "Jane Doe"),
        (r"(zip|postal|postcode)", "46204"),
        (r"city", "Indianapolis"),
        (r"country", "US"),
        (r"(language|locale)", "en-US"),
        (r"currency", "USD"),
        (r"(status|state)$", "active"),
        (r"(subject|title)$", "Example subject"),
        (r"(description|message|text|comment|note)s?$", "Example text"),
        (r"(account|customer|order|case|ticket)(number|no)$", "100042"),
        (
            r"(uuid|guid|(conversation|queue|user|participant|interaction|flow|division|"
            r"skill|wrapup|org|organization|contact|communication|session)id)$",
            "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        ),
        (r"id$", "ID-1001"),
        (r"(address|street)", "1 Example Street"),
        (r"(token|secret|password|apikey)", "example-token"),
    )
)
_DATE_TIME_NAMES = re.compile(r"(datetime|timestamp|createdat|updatedat|modified|created)")


def _normalize(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


@functools.lru_cache(maxsize=4096)
def value_for_name(name: str | None) -> str | None:
    """A realistic string for a field called ``name``, or ``None`` when the name says nothing."""
    if not name:
        return None
    key = _normalize(name)
    for pattern, value in _NAME_HINTS:
        if pattern.search(key):
            if value is None:
                return "2024-01-02T03:04:05Z" if _DATE_TIME_NAMES.search(key) else "2024-01-02"
            return str(value)
    return None


def schema_type(schema: Any) -> str | None:
    """The JSON type a schema asks for (the first non-null one), inferred when not declared."""
    if not isinstance(schema, Mapping):
        return None
    declared = schema.get("type")
    if isinstance(declared, list):
        types = [t for t in declared if isinstance(t, str)]
        preferred = [t for t in types if t != "null"] or types
        declared = preferred[0] if preferred else None
    if isinstance(declared, str):
        return declared
    if "properties" in schema or "additionalProperties" in schema:
        return "object"
    if "items" in schema:
        return "array"
    if schema.get("enum"):
        return _json_type(schema["enum"][0])
    return None


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "string"


def _fits(value: Any, schema: Mapping[str, Any]) -> tuple[bool, Any]:
    """Whether ``value`` has the schema's type; a number written as a string is converted."""
    declared = schema.get("type")
    types = declared if isinstance(declared, list) else [declared] if declared else []
    if not types:
        return True, value
    kind = _json_type(value)
    if kind in types or (kind == "integer" and "number" in types):
        return True, value
    if isinstance(value, str):
        for wanted, convert in (("integer", int), ("number", float)):
            if wanted in types:
                try:
                    return True, convert(value)
                except ValueError:
                    pass
        if "boolean" in types and value.lower() in ("true", "false"):
            return True, value.lower() == "true"
    return False, None


def _given(schema: Mapping[str, Any]) -> tuple[bool, Any]:
    """The value the schema itself offers: const, examples, example, default, enum.

    Real contracts hold defaults of the wrong type (``"default": "1"`` on an integer): a
    value that does not fit (or convert to) the schema's type is passed over.
    """
    candidates: list[Any] = []
    if "const" in schema:
        candidates.append(schema["const"])
    examples = schema.get("examples")
    if isinstance(examples, list):
        candidates.extend(examples[:1])
    if "example" in schema:
        candidates.append(schema["example"])
    if "default" in schema:
        candidates.append(schema["default"])
    enum = schema.get("enum")
    if isinstance(enum, list):
        candidates.extend(v for v in enum if v is not None)
    for candidate in candidates:
        ok, value = _fits(candidate, schema)
        if ok:
            return True, value
    return False, None


def schema_value(schema: Any, name: str | None = None, *, depth: int = 0) -> Any:
    """A deterministic value that satisfies ``schema`` (as far as a simple walk can tell).

    Objects get every declared property, arrays one item, strings a value from the format
    or the field's name, numbers the smallest sensible value within bounds.
    """
    if not isinstance(schema, Mapping):
        return value_for_name(name) or "example"
    found, value = _given(schema)
    if found:
        return value
    kind = schema_type(schema)
    if kind == "object":
        properties = schema.get("properties")
        if not isinstance(properties, Mapping) or depth >= _MAX_DEPTH:
            return {}
        return {key: schema_value(sub, key, depth=depth + 1) for key, sub in properties.items()}
    if kind == "array":
        items = schema.get("items")
        if isinstance(items, list):
            items = items[0] if items else {}
        count = schema.get("minItems", 1)
        count = count if isinstance(count, int) and count > 1 else 1
        item = schema_value(items, _singular(name), depth=depth + 1)
        return [item] * count
    if kind == "integer":
        return _integer(schema)
    if kind == "number":
        return _number(schema)
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    return _string(schema, name)


def _singular(name: str | None) -> str | None:
    if name and name.endswith("s") and len(name) > 1:
        return name[:-1]
    return name


def _bounds(schema: Mapping[str, Any]) -> tuple[float | None, float | None]:
    low = schema.get("minimum")
    high = schema.get("maximum")
    if schema.get("exclusiveMinimum") is True and isinstance(low, (int, float)):
        low = low + 1
    elif isinstance(schema.get("exclusiveMinimum"), (int, float)):
        low = schema["exclusiveMinimum"] + 1
    if schema.get("exclusiveMaximum") is True and isinstance(high, (int, float)):
        high = high - 1
    elif isinstance(schema.get("exclusiveMaximum"), (int, float)):
        high = schema["exclusiveMaximum"] - 1
    low = low if isinstance(low, (int, float)) and not isinstance(low, bool) else None
    high = high if isinstance(high, (int, float)) and not isinstance(high, bool) else None
    return low, high


def _integer(schema: Mapping[str, Any]) -> int:
    low, high = _bounds(schema)
    value = 1
    if low is not None and value < low:
        value = int(-(-low // 1))
    if high is not None and value > high:
        value = int(high // 1)
    step = schema.get("multipleOf")
    if isinstance(step, int) and step > 0 and value % step:
        value += step - value % step
    return value


def _number(schema: Mapping[str, Any]) -> float:
    low, high = _bounds(schema)
    value = 1.5
    if low is not None and value < low:
        value = float(low)
    if high is not None and value > high:
        value = float(high)
    return value


def _string(schema: Mapping[str, Any], name: str | None) -> str:
    fmt = schema.get("format")
    value = _FORMATS.get(fmt) if isinstance(fmt, str) else None
    pattern = schema.get("pattern")
    candidates = [v for v in (value, value_for_name(name)) if v is not None]
    if isinstance(pattern, str):
        candidates.extend(_PATTERN_CANDIDATES)
        for candidate in candidates:
            if _matches(pattern, candidate):
                value = candidate
                break
        else:
            value = candidates[0] if candidates else "example"
    elif value is None:
        value = candidates[0] if candidates else "example"
    min_length = schema.get("minLength")
    max_length = schema.get("maxLength")
    if isinstance(min_length, int) and len(value) < min_length:
        value = value + "x" * (min_length - len(value))
    if isinstance(max_length, int) and len(value) > max_length:
        value = value[:max_length]
    return value


_PATTERN_CANDIDATES = (
    "+13175550123",
    "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "100042",
    "ABC-123",
    "example",
    "jane.doe@example.com",
    "2024-01-02",
    "2024-01-02T03:04:05Z",
    "US",
    "A",
    "1",
)


def _matches(pattern: str, value: str) -> bool:
    try:
        return re.search(pattern, value) is not None
    except re.error:
        return False
