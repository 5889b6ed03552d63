"""Comparing runs: added, removed, renamed and retyped fields, status and outcome changes."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from actionpact.definition import parse_definitions
from actionpact.drift import (
    BodyKind,
    Outcome,
    RecordedResponse,
    Recording,
    compare_recordings,
    compare_runs,
    shape_of,
)
from actionpact.drift._compare import path_text
from actionpact.drift._reads import reader_for
from actionpact.genesys import compile_action


def recording(body: Any, status: int = 200, name: str = "a/x.json", **extra: Any) -> Recording:
    kind = BodyKind.json if not isinstance(body, str) else BodyKind.text
    response = RecordedResponse(status, MappingProxyType({}), kind, body, 10)
    fields: dict[str, Any] = {
        "name": name,
        "action": "A",
        "definition_hash": "h",
        "source": "a.json",
        "provider": "p",
        "consumer": "c",
        "example": "x",
        "derived": False,
        "given": (),
        "input": MappingProxyType({}),
        "request": None,
        "response": response,
        "outcome": Outcome.ok if 200 <= status < 300 else Outcome.http_error,
        "problem": None,
        "attempts": 1,
        "when": "2026-11-22T09:00:00Z",
    }
    fields.update(extra)
    return Recording(**fields)


def kinds(before: Any, after: Any) -> list[tuple[str, str | None, str | None]]:
    changes = compare_recordings(recording(before), recording(after))
    return [(c.kind, c.path, c.new_path) for c in changes]


def test_shape_merges_array_elements() -> None:
    shape = shape_of({"a": [{"b": 1}, {"b": "x", "c": None}], "d": []})
    assert shape[("a", None, "b")] == frozenset({"integer", "string"})
    assert shape[("a", None, "c")] == frozenset({"null"})
    assert shape[("d",)] == frozenset({"array"})
    assert path_text(("a", None, "first name")) == "$.a[*]['first name']"


def test_unchanged_bodies_have_no_change() -> None:
    body = {"customers": [{"id": "C-1", "tags": ["a"]}]}
    assert kinds(body, {"customers": [{"id": "C-2", "tags": ["b", "c"]}]}) == []


def test_added_and_removed_name_the_topmost_path() -> None:
    assert kinds({"a": 1}, {"a": 1, "b": {"c": [1]}}) == [("added", "$.b", None)]
    assert kinds({"a": 1, "b": {"c": [1]}}, {"a": 1}) == [("removed", "$.b", None)]


def test_rename_needs_a_similar_name_the_same_parent_and_the_same_shape() -> None:
    assert kinds({"customerId": "C"}, {"customer_id": "C"}) == [
        ("renamed", "$.customerId", "$.customer_id")
    ]
    assert kinds({"phone": {"n": 1}}, {"phoneNumber": {"n": 1}}) == [
        ("renamed", "$.phone", "$.phoneNumber")
    ]
    # Same name, another type: a removal and an addition, not a rename.
    assert kinds({"customerId": "C"}, {"customer_id": 7}) == [
        ("removed", "$.customerId", None),
        ("added", "$.customer_id", None),
    ]
    # Unrelated names.
    assert kinds({"tier": "gold"}, {"status": "gold"}) == [
        ("removed", "$.tier", None),
        ("added", "$.status", None),
    ]
    # Another parent.
    assert kinds({"a": {"id": 1}, "b": {}}, {"a": {}, "b": {"id": 1}}) == [
        ("removed", "$.a.id", None),
        ("added", "$.b.id", None),
    ]


def test_type_changes_are_reported_with_both_types() -> None:
    changes = compare_recordings(recording({"n": 1}), recording({"n": "1"}))
    (change,) = changes
    assert (change.kind, change.before, change.after) == ("type", "integer", "string")
    assert change.message == "`$.n` changed type: integer -> string"
    (change,) = compare_recordings(recording({"n": "x"}), recording({"n": None}))
    assert (change.before, change.after) == ("string", "null")


def test_status_and_outcome_changes_stand_alone() -> None:
    (change,) = compare_recordings(recording({"a": 1}), recording({"error": "x"}, status=500))
    assert (change.kind, change.before, change.after) == ("status", "200", "500")
    html = recording("<html/>", outcome=Outcome.not_json)
    (change,) = compare_recordings(recording({"a": 1}), html)
    assert (change.kind, change.before, change.after) == ("outcome", "ok", "not-json")
    timeout = recording(None, response=None, outcome=Outcome.timeout)
    (change,) = compare_recordings(recording({"a": 1}), timeout)
    assert (change.kind, change.before, change.after) == ("status", "200", "timeout")


def test_runs_are_matched_by_file_name() -> None:
    old = [recording({}, name="a/1.json"), recording({}, name="a/2.json")]
    new = [recording({}, name="a/2.json"), recording({}, name="a/3.json")]
    changes = compare_runs(old, new)
    assert [(c.kind, c.recording) for c in changes] == [
        ("new-recording", "a/3.json"),
        ("missing-recording", "a/1.json"),
    ]
    assert [c.severity for c in changes] == ["info", "warning"]


ACTION: dict[str, Any] = {
    "name": "Lookup",
    "integrationType": "custom-rest-actions",
    "actionType": "custom",
    "config": {
        "request": {
            "requestUrlTemplate": "https://x.example.com/c",
            "requestType": "GET",
            "headers": {},
            "requestTemplate": "${input.rawRequest}",
        },
        "response": {
            "translationMap": {
                "id": "$.customers[0].customerId",
                "manager": "$.customers[0].contacts[?(@.role == 'manager')].name",
                "total": "$..total",
            },
            "translationMapDefaults": {"id": '""', "manager": "[]", "total": "0"},
            "successTemplate": '{"id": ${id}, "total": ${total}}',
        },
    },
    "contract": {"input": {"inputSchema": {"type": "object", "properties": {}}}},
}


def test_reader_names_the_translation_map_keys_a_path_feeds() -> None:
    (definition,) = parse_definitions(ACTION)
    read = reader_for(compile_action(definition))
    assert read(("customers", None, "customerId")) == ("id",)
    assert read(("customers",)) == ("id", "manager")
    assert read(("customers", None, "contacts", None, "role")) == ("manager",)
    assert read(("customers", None, "contacts", None, "email")) == ()
    assert read(("meta", "page", "total")) == ("total",)
    assert read(("customers", None, "address")) == ()
    # A ${rawResult} pass-through reads everything.
    raw = {**ACTION, "config": {**ACTION["config"]}}
    raw["config"]["response"] = {**ACTION["config"]["response"], "successTemplate": "${rawResult}"}
    (definition,) = parse_definitions(raw)
    assert reader_for(compile_action(definition))(("anything",)) == ("${rawResult}",)


def test_a_removed_subtree_names_every_key_reading_inside_it() -> None:
    (definition,) = parse_definitions(ACTION)
    read = reader_for(compile_action(definition))
    before = recording({"meta": {"page": {"total": 3}}, "customers": [{"customerId": "C"}]})
    after = recording({"customers": [{"customer_id": "C"}]})
    changes = {c.kind: c for c in compare_recordings(before, after, read)}
    assert changes["removed"].read_by == ("total",)
    assert changes["renamed"].read_by == ("id",)
    assert "read by translation-map key `id`" in changes["renamed"].message
