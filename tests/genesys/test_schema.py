"""Contract schemas: fge's wording and order, Genesys's input rules, the corpus."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft4Validator

from actionpact.core.errors import DefinitionError
from actionpact.genesys._schema import (
    SchemaValidator,
    check_simple_input,
    check_simple_input_schema,
    compile_schema,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
DRAFT4 = "http://json-schema.org/draft-04/schema#"


def errors(schema: dict[str, Any], instance: Any) -> tuple[str, ...]:
    return compile_schema(schema, kind="output").errors(instance)


# --------------------------------------------------------------------------- messages


@pytest.mark.parametrize(
    ("schema", "instance", "message"),
    [
        ({"type": "integer"}, "1",
         '/: instance type (string) does not match any allowed primitive type '
         '(allowed: ["integer"])'),
        ({"type": "number"}, "1",
         '/: instance type (string) does not match any allowed primitive type '
         '(allowed: ["integer","number"])'),
        ({"type": ["string", "null"]}, 1,
         '/: instance type (integer) does not match any allowed primitive type '
         '(allowed: ["null","string"])'),
        ({"type": "integer"}, 1.0,
         '/: instance type (number) does not match any allowed primitive type '
         '(allowed: ["integer"])'),
        ({"type": "boolean"}, None,
         '/: instance type (null) does not match any allowed primitive type '
         '(allowed: ["boolean"])'),
        ({"enum": ["boolean", "integer"]}, "object",
         '/: instance value ("object") not found in enum (possible values: ["boolean","integer"])'),
        ({"required": ["x"]}, {}, '/: object has missing required properties (["x"])'),
        ({"required": ["b", "a", "c"]}, {"c": 1},
         '/: object has missing required properties (["a","b"])'),
        ({"properties": {"a": {}}, "additionalProperties": False}, {"z": 1, "a": 1, "b": 2},
         '/: object instance has properties which are not allowed by the schema: ["b","z"]'),
        ({"minProperties": 2}, {"a": 1},
         "/: object has too few properties (found 1 but schema requires at least 2)"),
        ({"maxProperties": 1}, {"a": 1, "b": 2},
         "/: object has too many properties (found 2 but schema requires at most 1)"),
        ({"dependencies": {"a": ["c", "b"]}}, {"a": 1, "b": 1},
         '/: property "a" of object has missing property dependencies '
         '(schema requires ["b","c"]; missing: ["c"])'),
        ({"minItems": 2}, [1],
         "/: array is too short: must have at least 2 elements but instance has 1 elements"),
        ({"maxItems": 1}, [1, 2],
         "/: array is too long: must have at most 1 elements but instance has 2 elements"),
        ({"uniqueItems": True}, [1, 1.0], "/: array must not contain duplicate elements"),
        ({"items": [{}], "additionalItems": False}, [1, 2],
         "/: schema only allows 1 elements in array but instance has 2 elements"),
        ({"minLength": 3}, "ab", '/: string "ab" is too short (length: 2, required minimum: 3)'),
        ({"maxLength": 1}, "ab", '/: string "ab" is too long (length: 2, maximum allowed: 1)'),
        ({"pattern": "^[0-9]+$"}, "12a",
         '/: ECMA 262 regex "^[0-9]+$" does not match input string "12a"'),
        ({"minimum": 2}, 1,
         "/: numeric instance is lower than the required minimum (minimum: 2, found: 1)"),
        ({"minimum": 1.5, "exclusiveMinimum": True}, 1.5,
         "/: numeric instance is not strictly greater than the required minimum 1.5"),
        ({"maximum": 2}, 2.5,
         "/: numeric instance is greater than the required maximum (maximum: 2, found: 2.5)"),
        ({"maximum": 2, "exclusiveMaximum": True}, 2,
         "/: numeric instance is not strictly lower than the required maximum 2"),
        ({"multipleOf": 0.1}, 0.35, "/: remainder of division is not zero (0.35 / 0.1)"),
        ({"anyOf": [{"type": "string"}, {"type": "integer"}]}, 1.5,
         "/: instance failed to match at least one required schema among 2"),
        ({"oneOf": [{"type": "number"}, {"type": "integer"}]}, 1,
         "/: instance failed to match exactly one schema (matched 2 out of 2)"),
        ({"allOf": [{"type": "number"}, {"minimum": 5}, {"maximum": 0}]}, 1,
         "/: instance failed to match all required schemas (matched only 1 out of 3)"),
        ({"not": {"type": "string"}}, "x", "/: instance matched a schema which it should not have"),
    ],
)  # fmt: skip
def test_messages_are_fge_messages(schema: dict[str, Any], instance: Any, message: str) -> None:
    assert errors(schema, instance) == (message,)


@pytest.mark.parametrize(
    ("schema", "instance"),
    [
        ({"multipleOf": 0.1}, 0.3),
        ({"type": "number"}, 1),
        ({"enum": [1]}, 1.0),
        ({"additionalProperties": True}, {"x": {"y": 1}}),
        ({"type": "object"}, {"anything": [1, 2]}),
        ({"pattern": "b"}, "abc"),
        ({"items": {"type": "integer"}}, []),
    ],
)
def test_valid_instances(schema: dict[str, Any], instance: Any) -> None:
    validator = compile_schema(schema, kind="output")
    assert validator.errors(instance) == ()
    assert validator.is_valid(instance)


def test_locations_are_json_pointers() -> None:
    schema = {
        "type": "object",
        "properties": {
            "customer": {"type": "object", "properties": {"id": {"type": "integer"}}},
            "a/b": {"type": "string"},
            "list": {"items": {"type": "string"}},
        },
    }
    assert errors(schema, {"customer": {"id": "7"}}) == (
        '/customer/id: instance type (string) does not match any allowed primitive type '
        '(allowed: ["integer"])',
    )  # fmt: skip
    assert errors(schema, {"a/b": 1})[0].startswith("/a~1b: ")
    assert errors(schema, {"list": ["x", 2]})[0].startswith("/list/1: ")


def test_keywords_run_in_alphabetical_order() -> None:
    schema = {"type": "object", "required": ["x"], "maxProperties": 0}
    assert errors(schema, {"y": 1}) == (
        "/: object has too many properties (found 1 but schema requires at most 0)",
        '/: object has missing required properties (["x"])',
    )


def test_an_error_stops_the_descent_but_not_later_siblings() -> None:
    integer = {"type": "integer"}
    schema = {
        "properties": {
            "a": {"properties": {"deep": integer}},
            "b": {"type": "object", "properties": {"deep": integer}},
            "c": integer,
        }
    }
    # Members are visited in name order. After the first error ('a/deep'), 'b' and 'c'
    # still run their own keywords, but nothing below 'b' is visited any more.
    assert errors(schema, {"c": "x", "b": {"deep": "x"}, "a": {"deep": "x"}}) == (
        '/a/deep: instance type (string) does not match any allowed primitive type '
        '(allowed: ["integer"])',
        '/c: instance type (string) does not match any allowed primitive type '
        '(allowed: ["integer"])',
    )  # fmt: skip
    # An error at the root hides everything below it.
    assert errors({**schema, "required": ["zz"]}, {"c": "x"}) == (
        '/: object has missing required properties (["zz"])',
    )


def test_pattern_properties_and_additional_schemas() -> None:
    schema = {
        "properties": {"id": {"type": "string"}},
        "patternProperties": {"^n_": {"type": "number"}},
        "additionalProperties": {"type": "boolean"},
    }
    assert errors(schema, {"id": "x", "n_1": 1.5, "flag": True}) == ()
    assert errors(schema, {"n_1": "x"})[0].startswith("/n_1: instance type (string)")
    assert errors(schema, {"flag": 1})[0].startswith("/flag: instance type (integer)")


def test_local_refs_are_followed() -> None:
    schema = {
        "definitions": {"id": {"type": "string"}},
        "properties": {"id": {"$ref": "#/definitions/id"}},
    }
    assert errors(schema, {"id": 1})[0].startswith("/id: instance type (integer)")


# --------------------------------------------------------------------------- drafts


def test_draft_04_with_or_without_hash() -> None:
    for uri in (DRAFT4, DRAFT4.rstrip("#"), None, "http://example.com/custom#"):
        schema = {"type": "object", "required": ["x"]}
        if uri:
            schema["$schema"] = uri
        validator = compile_schema(schema, kind="output")
        assert validator.draft == "draft4"
        assert validator.errors({}) == ('/: object has missing required properties (["x"])',)


def test_later_drafts_use_jsonschema() -> None:
    schema = {"$schema": "http://json-schema.org/draft-07/schema#", "const": 3}
    validator = compile_schema(schema, kind="output")
    assert validator.draft == "draft7"
    assert validator.errors(4) == ("/: 3 was expected",)
    assert validator.errors(3) == ()


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "strnig"},
        {"required": "x"},
        {"properties": {"a": {"minimum": "1"}}},
        {"pattern": "("},
        {"patternProperties": {"[": {}}},
    ],
)
def test_invalid_schemas_are_definition_errors(schema: dict[str, Any]) -> None:
    with pytest.raises(DefinitionError, match="invalid JSON Schema"):
        compile_schema(schema, kind="output")


def test_compile_is_cached_by_content_and_kind() -> None:
    schema: dict[str, Any] = {"type": "object", "properties": {"x": {"type": "string"}}}
    first = compile_schema(schema, kind="output")
    assert isinstance(first, SchemaValidator)
    assert compile_schema(json.loads(json.dumps(schema)), kind="output") is first
    assert compile_schema(schema, kind="input") is not first
    schema["properties"]["x"]["type"] = "integer"  # the validator keeps its own copy
    assert first.errors({"x": "s"}) == ()


# --------------------------------------------------------------------------- Genesys input rules


def test_nested_input_property_is_refused_with_genesys_message() -> None:
    schema = {
        "$schema": DRAFT4,
        "type": "object",
        "properties": {"sendTextSms": {"type": "object"}, "to": {"type": "string"}},
    }
    # The recorded Genesys message (reference O8), word for word.
    expected = (
        "Failed Validation of contract.input.inputSchema as a simple properties schema. Must "
        "be an Object with properties and no sub-objects. JSON failed schema validation for "
        "the following reasons: Schema: # @/properties/properties/patternProperties/"
        "^[a-zA-Z][a-zA-Z0-9_-]*$/properties/type. Error location: /properties/sendTextSms/"
        'type. instance value ("object") not found in enum (possible values: '
        '["boolean","integer","null","number","string"])'
    )
    with pytest.raises(DefinitionError) as caught:
        compile_schema(schema, kind="input")
    assert str(caught.value) == expected
    # The same schema is a fine output contract.
    assert compile_schema(schema, kind="output").errors({"sendTextSms": {}}) == ()


@pytest.mark.parametrize(
    ("schema", "fragment"),
    [
        ({"type": "object", "properties": {"list": {"type": "array"}}}, '("array")'),
        ({"type": "object", "properties": {"1st": {"type": "string"}}}, '["1st"]'),
        ({"type": "array", "items": {}}, 'instance value ("array") not found in enum'),
    ],
)
def test_other_simple_input_rules(schema: dict[str, Any], fragment: str) -> None:
    problems = check_simple_input_schema(schema)
    assert len(problems) == 1
    assert fragment in problems[0]


def test_check_simple_input() -> None:
    assert check_simple_input({"a": "x", "b": 1, "c": None, "d": True, "e": 1.5}) == ()
    assert check_simple_input({"a": {"x": 1}, "b": [1]}) == (
        '/a: instance type (object) is not a simple value '
        '(allowed: ["boolean","integer","null","number","string"])',
        '/b: instance type (array) is not a simple value '
        '(allowed: ["boolean","integer","null","number","string"])',
    )  # fmt: skip
    assert check_simple_input([]) == (
        '/: instance type (array) does not match any allowed primitive type (allowed: ["object"])',
    )


# --------------------------------------------------------------------------- corpus


def _schemas(corpus: Path) -> Iterator[tuple[str, str, Any]]:
    for file in sorted(corpus.glob("*.json")):
        document = json.loads(file.read_text("utf-8"))
        items = document if isinstance(document, list) else document.get("entities", [document])
        for item in items:
            contract = item.get("contract") or {}
            yield file.name, "input", (contract.get("input") or {}).get("inputSchema")
            yield file.name, "output", (contract.get("output") or {}).get("successSchema")


def test_every_corpus_schema_compiles(corpus_dir: Path) -> None:
    compiled = 0
    for name, kind, schema in _schemas(corpus_dir):
        if not isinstance(schema, dict):
            continue  # Terraform placeholders and absent contracts: the loader's business
        validator = compile_schema(schema, kind=kind)  # type: ignore[arg-type]
        assert validator.draft == "draft4", name
        compiled += 1
    assert compiled >= 290


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 5)
    | st.floats(-5, 5)
    | st.sampled_from(["", "x", "1"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["id", "name", "x", "entities", "total"]), inner, max_size=4
        )
    ),
    max_leaves=12,
)


@lru_cache(maxsize=1)
def _corpus_schemas() -> list[dict[str, Any]]:
    return [s for _, _, s in _schemas(CORPUS) if isinstance(s, dict)]


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_validity_agrees_with_jsonschema_draft4(data: st.DataObject) -> None:
    schema = data.draw(st.sampled_from(_corpus_schemas()))
    names = sorted(schema.get("properties") or {"a": 1})
    instance = data.draw(JSON | st.dictionaries(st.sampled_from(names), JSON))
    problems = compile_schema(schema, kind="output").errors(instance)
    assert (not problems) == Draft4Validator(schema).is_valid(instance), problems
