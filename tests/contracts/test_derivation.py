"""Derived examples and response matchers: values, skeletons, landings, rules."""

from __future__ import annotations

from typing import Any

import pytest

from actionpact.contracts._examples import derive_body, derive_input
from actionpact.contracts._matchers import Contains, EachLike, Like, Term, body_rules, example_of
from actionpact.contracts._skeleton import build_skeleton, realize
from actionpact.contracts._values import schema_value, value_for_name
from actionpact.definition import parse_definitions
from actionpact.genesys import compile_action, compile_path


def action(
    translation: dict[str, str],
    template: str,
    *,
    output: dict[str, Any] | None = None,
    inputs: dict[str, Any] | None = None,
    required: list[str] | None = None,
    url: str = "https://api.example.com/x",
    method: str = "GET",
    body: str = "${input.rawRequest}",
) -> Any:
    raw = {
        "name": "Test",
        "integrationType": "custom-rest-actions",
        "actionType": "custom",
        "config": {
            "request": {
                "requestUrlTemplate": url,
                "requestType": method,
                "headers": {},
                "requestTemplate": body,
            },
            "response": {
                "translationMap": translation,
                "translationMapDefaults": {},
                "successTemplate": template,
            },
        },
        "contract": {
            "input": {
                "inputSchema": {
                    "type": "object",
                    "properties": inputs or {},
                    **({"required": required} if required else {}),
                }
            },
            "output": {"successSchema": output or {"type": "object"}},
        },
    }
    (definition,) = parse_definitions(raw)
    return compile_action(definition)


# --------------------------------------------------------------------------- values


@pytest.mark.parametrize(
    ("schema", "name", "value"),
    [
        ({"type": "string"}, "phone", "+13175550123"),
        ({"type": "string"}, "customerEmail", "jane.doe@example.com"),
        ({"type": "string"}, "conversationId", "3fa85f64-5717-4562-b3fc-2c963f66afa6"),
        ({"type": "string"}, "customerId", "ID-1001"),
        ({"type": "string", "format": "date-time"}, "x", "2024-01-02T03:04:05Z"),
        ({"type": "string", "enum": ["gold", "silver"]}, "tier", "gold"),
        ({"type": "string", "default": "EN"}, "language", "EN"),
        ({"type": "integer", "default": "25"}, "pageSize", 25),  # a string default, converted
        ({"type": "integer", "default": "many"}, "pageSize", 1),  # unusable: passed over
        ({"type": "integer", "minimum": 5, "maximum": 9}, "n", 5),
        ({"type": "number", "maximum": 1}, "ratio", 1.0),
        ({"type": "boolean"}, "vip", True),
        ({"type": ["null", "string"]}, "x", "example"),
        ({"type": "string", "pattern": "^[0-9]+$"}, "code", "100042"),
        ({"type": "string", "minLength": 10}, "x", "examplexxx"),
        (
            {
                "type": "object",
                "properties": {"id": {"type": "integer"}, "tags": {"type": "array"}},
            },
            "x",
            {"id": 1, "tags": ["example"]},
        ),
    ],
)
def test_schema_values(schema: dict[str, Any], name: str, value: Any) -> None:
    assert schema_value(schema, name) == value


def test_names_without_a_hint() -> None:
    assert value_for_name("flux") is None


def test_derived_input_takes_required_and_used_fields() -> None:
    compiled = action(
        {},
        "{}",
        url="https://api.example.com/q?phone=${input.phone}#if($input.extra)&x=1#end",
        inputs={
            "phone": {"type": "string"},
            "extra": {"type": "string"},
            "unused": {"type": "string"},
            "count": {"type": "integer"},
        },
        required=["count"],
    )
    assert derive_input(compiled) == {"phone": "+13175550123", "extra": "example", "count": 1}


def test_a_raw_request_body_takes_every_field() -> None:
    compiled = action(
        {},
        "{}",
        method="POST",
        inputs={"a": {"type": "string"}, "b": {"type": "boolean"}},
    )
    assert derive_input(compiled) == {"a": "example", "b": True}


# --------------------------------------------------------------------------- skeleton


def skeleton(paths: dict[str, str]) -> Any:
    root, conflicts = build_skeleton({k: compile_path(v) for k, v in paths.items()})
    assert conflicts == []
    return realize(root, lambda slot: f"<{slot.keys[0]}>", {})


def test_every_path_resolves_in_the_skeleton() -> None:
    paths = {
        "id": "$.customers[0].id",
        "manager": "$.customers[0].contacts[?(@.role == 'manager')].name",
        "billing": "$.customers[0].contacts[?(@.role == 'billing')].email",
        "waiting": "$..data[?(@.metric == 'oWaiting' && @.qualifier == 'q1')].stats.count",
        "total": ".total",
        "all": "$.items[*].id",
        "third": "$.list[2].v",
        "count": "$.cases.length()",
    }
    document = skeleton(paths)
    assert document == {
        "customers": [
            {
                "id": "<id>",
                "contacts": [
                    {"role": "manager", "name": "<manager>"},
                    {"role": "billing", "email": "<billing>"},
                ],
            }
        ],
        "data": [{"metric": "oWaiting", "qualifier": "q1", "stats": {"count": "<waiting>"}}],
        "total": "<total>",
        "items": [{"id": "<all>"}],
        "list": [{}, {}, {"v": "<third>"}],
        "cases": [],
    }
    for key, text in paths.items():
        value = compile_path(text).evaluate(document)
        assert value not in (None, []), key


def test_filters_with_other_operators() -> None:
    document = skeleton(
        {
            "a": "$.r[?(@.total != 0)].x",
            "b": "$.s[?(@.n > 3 || @.m)].y",
            "c": "$.t[?(@.kind in ['a', 'b'])].z",
        }
    )
    assert document == {
        "r": [{"total": 1, "x": "<a>"}],
        "s": [{"n": 4, "y": "<b>"}],
        "t": [{"kind": "a", "z": "<c>"}],
    }


# --------------------------------------------------------------------------- landings


def test_leaves_are_typed_from_where_they_land() -> None:
    compiled = action(
        {
            "tier": "$.c.tier",
            "count": "$.c.count",
            "vip": "$.c.vip",
            "emails": "$.c.contacts[*].email",
            "first": "$.c.contacts[*].name",
            "quoted": "$.c.size",
        },
        '{"tier": ${tier}, "count": ${count}, "vip": ${vip}, "emails": ${emails}, '
        '"first": ${successTemplateUtils.firstFromArray("${first}")}, "size": "${quoted}"}',
        output={
            "type": "object",
            "properties": {
                "tier": {"type": "string", "enum": ["gold", "silver"]},
                "count": {"type": "integer", "minimum": 3},
                "vip": {"type": "boolean"},
                "emails": {"type": "array", "items": {"type": "string"}},
                "first": {"type": "string"},
                "size": {"type": "string"},
            },
        },
    )
    derived = derive_body(compiled, {})
    assert derived.body == {
        "c": {
            "tier": "gold",
            "count": 3,
            "vip": True,
            "contacts": [{"email": "jane.doe@example.com", "name": "Jane Doe"}],
            # Spliced inside quotes in the template: it must be a number, not a string.
            "size": 1,
        }
    }
    assert derived.landings["tier"].location == ("tier",)
    assert derived.landings["emails"].location == ("emails", 0)
    assert derived.landings["quoted"].embedded
    output = compiled.transform(derived.body)
    assert output == {
        "tier": "gold",
        "count": 3,
        "vip": True,
        "emails": ["jane.doe@example.com"],
        "first": "Jane Doe",
        "size": "1",
    }


def test_raw_result_inside_the_output_takes_that_schema() -> None:
    compiled = action(
        {},
        '{"values": ${rawResult}}',
        output={
            "type": "object",
            "properties": {
                "values": {
                    "type": "array",
                    "items": {"type": "object", "properties": {"name": {"type": "string"}}},
                }
            },
        },
    )
    derived = derive_body(compiled, {})
    assert derived.body == [{"name": "Jane Doe"}]
    assert derived.raw is not None
    assert derived.raw.location == ("values",)
    assert compiled.transform(derived.body) == {"values": [{"name": "Jane Doe"}]}


# --------------------------------------------------------------------------- rules


def rules_for(paths: dict[str, str], document: Any, **kwargs: Any) -> Any:
    return body_rules(document, {k: compile_path(v) for k, v in paths.items()}, {}, **kwargs)


def test_unread_keys_are_dropped_and_arrays_get_each_like() -> None:
    document = {
        "total": 2,
        "customers": [{"id": "C-1", "name": "Ada"}, {"id": "C-2", "name": "Alan"}],
    }
    rules = rules_for({"ids": "$.customers[*].id"}, document)
    assert rules == {"customers": EachLike(({"id": Like("C-1")}, {"id": Like("C-2")}), 1)}
    assert example_of(rules) == {"customers": [{"id": "C-1"}, {"id": "C-2"}]}


def test_an_index_sets_the_minimum_length() -> None:
    rules = rules_for({"second": "$.items[1].v"}, {"items": [{"v": 1, "w": 0}, {"v": 2}]})
    assert rules == {"items": EachLike(({}, {"v": Like(2, "integer")}), 2)}


def test_filters_become_array_containing_with_literal_values() -> None:
    document = {
        "contacts": [
            {"type": "phone", "value": "+1", "primary": True},
            {"type": "email", "value": "a@b.c", "primary": False},
        ]
    }
    rules = rules_for({"email": "$.contacts[?(@.type=='email')].value"}, document)
    assert rules == {"contacts": Contains(({"type": "email", "value": Like("a@b.c")},))}


def test_enums_become_regexes() -> None:
    from actionpact.contracts._examples import Landing

    paths = {"tier": compile_path("$.tier")}
    schema = {"type": "string", "enum": ["gold", "a.b"]}
    rules = body_rules({"tier": "gold"}, paths, {"tier": Landing(("tier",), schema)})
    assert rules == {"tier": Term("gold", r"^(gold|a\.b)$")}


def test_pass_through_keeps_what_the_output_schema_declares() -> None:
    schema = {
        "type": "object",
        "properties": {"id": {"type": "string"}, "tags": {"type": "array"}},
    }
    rules = rules_for({}, {"id": "x", "tags": ["a"], "noise": 1}, pass_through=schema)
    assert rules == {"id": Like("x"), "tags": EachLike((Like("a"),), 1)}
    kept = rules_for({}, {"id": "x", "noise": 1}, pass_through=schema, keep=frozenset({"noise"}))
    assert kept == {"id": Like("x"), "noise": Like(1, "integer")}
    # No declared properties: the whole body, matched by type.
    assert rules_for({}, {"a": 1}, pass_through=None) == Like({"a": 1})


def test_length_keeps_the_count_not_the_content() -> None:
    rules = rules_for({"n": "$.cases.length()"}, {"cases": [{"id": 1}, {"id": 2}]})
    assert rules == {"cases": Like([{}, {}], min=0)}
