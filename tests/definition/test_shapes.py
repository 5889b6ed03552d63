"""The shapes a definition comes in: export, Platform API object, array, API page, folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from actionpact.core import DefinitionError, content_hash
from actionpact.definition import (
    ActionDefinition,
    load_definition,
    load_definitions,
    parse_definitions,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "definitions"


def test_export_shape_is_read_field_by_field(make_export: Any, write_json: Any) -> None:
    raw = make_export()
    path = write_json(raw)

    definition = load_definition(path)

    assert definition.shape == "export"
    assert definition.name == "Get Customer"
    assert definition.integration_type == "custom-rest-actions"
    assert definition.action_type == "custom"
    assert definition.request.url_template == raw["config"]["request"]["requestUrlTemplate"]
    assert definition.request.method == "GET"
    assert definition.request.headers == {"Accept": "application/json"}
    assert definition.request.request_template == "${input.rawRequest}"
    assert definition.request.request_template_given
    assert definition.response.translation_map == {"customerName": "$.name"}
    assert definition.response.translation_map_defaults == {"customerName": '""'}
    assert definition.response.success_template == '{"customerName": ${customerName}}'
    assert definition.input_schema == raw["contract"]["input"]["inputSchema"]
    assert definition.output_schema == raw["contract"]["output"]["successSchema"]
    assert definition.raw == raw
    assert definition.content_hash == content_hash(raw)
    assert definition.source == path
    assert definition.location == ""
    assert definition.secure is False
    assert (definition.category, definition.integration_id, definition.id) == (None, None, None)
    assert definition.simulatable
    assert definition.warnings == ()


def test_api_shape_reads_the_platform_fields(make_api: Any) -> None:
    (definition,) = parse_definitions(make_api())

    assert definition.shape == "api"
    assert definition.integration_type is None
    assert definition.action_type == "custom"
    assert definition.category == "CRM"
    assert definition.integration_id == "5d2a1f0e-8c3b-4a79-b6e4-0c1d2e3f4a5b"
    assert definition.id == "custom_-_0f8c2a54-7e1b-4d3a-9c6e-1b2a3c4d5e6f"
    assert definition.version == 3
    assert definition.timeout_seconds == 15
    assert definition.source is None
    assert definition.simulatable
    assert definition.warnings == ()


def test_api_static_action_is_recognised_by_its_id(make_api: Any) -> None:
    (definition,) = parse_definitions(make_api(id="static_-_d1e2f3a4"))

    assert definition.action_type == "static"


def test_content_hash_ignores_key_order_and_follows_content(make_export: Any) -> None:
    raw = make_export()
    shuffled = dict(reversed(list(raw.items())))
    changed = make_export(name="Other")

    first, second, third = parse_definitions([raw, shuffled, changed])

    assert first.content_hash == second.content_hash
    assert first.content_hash != third.content_hash


def test_array_gives_one_definition_per_item_with_its_location(
    make_export: Any, make_api: Any, write_json: Any
) -> None:
    path = write_json([make_export(name="A"), make_api(name="B")])

    definitions = load_definitions(path)

    assert [(d.name, d.shape, d.location) for d in definitions] == [
        ("A", "export", "[0]"),
        ("B", "api", "[1]"),
    ]
    assert definitions[1].field_path("config.request") == "[1].config.request"


def test_api_page_gives_its_entities(make_api: Any, write_json: Any) -> None:
    page = {
        "entities": [make_api(name="A"), make_api(name="B")],
        "pageSize": 25,
        "pageNumber": 1,
        "total": 2,
        "pageCount": 1,
    }

    definitions = load_definitions(write_json(page))

    assert [(d.name, d.location) for d in definitions] == [
        ("A", "entities[0]"),
        ("B", "entities[1]"),
    ]
    assert definitions[0].field_path("config") == "entities[0].config"


def test_partial_api_page_is_read_and_logged(
    make_api: Any, caplog: pytest.LogCaptureFixture
) -> None:
    page = {"entities": [make_api()], "pageNumber": 1, "pageCount": 3, "nextUri": "/next"}

    with caplog.at_level("WARNING", logger="actionpact.definition"):
        definitions = parse_definitions(page)

    assert len(definitions) == 1
    assert "page 1 of 3" in caplog.text


def test_empty_array_and_empty_page_hold_nothing() -> None:
    assert parse_definitions([]) == []
    assert parse_definitions({"entities": []}) == []


def test_folder_is_read_recursively_in_sorted_order(make_export: Any, tmp_path: Path) -> None:
    def put(relative: str, value: Any) -> None:
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value), encoding="utf-8")

    put("b.json", make_export(name="b"))
    put("a/z.json", [make_export(name="a/z 0"), make_export(name="a/z 1")])
    put("a/sub/y.json", make_export(name="a/sub/y"))
    put("c.custom.json", make_export(name="c"))
    # Not definitions: other extensions, hidden files and folders.
    (tmp_path / "b.spec.yaml").write_text("examples: []\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("{", encoding="utf-8")
    put(".cache/x.json", {"not": "a definition"})
    put(".hidden.json", {"not": "a definition"})

    definitions = load_definitions(tmp_path)

    assert [d.name for d in definitions] == ["a/sub/y", "a/z 0", "a/z 1", "b", "c"]
    assert definitions[0].source == tmp_path / "a" / "sub" / "y.json"
    assert load_definitions(str(tmp_path)) == definitions


def test_empty_folder_holds_nothing(tmp_path: Path) -> None:
    assert load_definitions(tmp_path) == []


def test_load_definition_picks_by_name(make_export: Any, write_json: Any) -> None:
    path = write_json([make_export(name="First"), make_export(name="Second")])

    assert load_definition(path, "Second").name == "Second"
    assert load_definition(path, name="First").location == "[0]"


def test_load_definition_needs_a_name_when_there_are_several(
    make_export: Any, write_json: Any
) -> None:
    path = write_json([make_export(name="First"), make_export(name="Second")])

    with pytest.raises(DefinitionError) as caught:
        load_definition(path)

    assert caught.value.file == path
    assert "holds 2 definitions" in str(caught.value)
    assert "'First', 'Second'" in str(caught.value)


def test_load_definition_lists_the_names_when_none_matches(
    make_export: Any, write_json: Any
) -> None:
    path = write_json([make_export(name="First"), make_export(name="Second")])

    with pytest.raises(
        DefinitionError, match=r"no definition named 'Third'; available: 'First', 'Second'"
    ):
        load_definition(path, "Third")


def test_load_definition_refuses_an_ambiguous_name(make_export: Any, write_json: Any) -> None:
    path = write_json([make_export(name="Twin"), make_export(name="Twin")])

    with pytest.raises(DefinitionError, match=r"2 definitions are named 'Twin'.*\[0\].*\[1\]"):
        load_definition(path, "Twin")


def test_load_definition_of_an_empty_folder_says_so(tmp_path: Path) -> None:
    with pytest.raises(DefinitionError, match="holds no Data Action definition"):
        load_definition(tmp_path)


def test_fixture_page_error_names_the_entity() -> None:
    with pytest.raises(DefinitionError) as caught:
        load_definitions(FIXTURES / "page-bad-request-type.json")

    assert caught.value.path == "entities[1].config.request.requestType"
    assert "'FETCH'" in str(caught.value)


def test_definitions_are_frozen(make_export: Any) -> None:
    (definition,) = parse_definitions(make_export())

    assert isinstance(definition, ActionDefinition)
    with pytest.raises(AttributeError):
        definition.name = "changed"  # type: ignore[misc]
