"""Invalid definitions raise DefinitionError naming the file and the JSON path of the bad field."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from actionpact.core import DefinitionError, InputFileError
from actionpact.definition import load_definition, load_definitions, parse_definitions

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "definitions"


def _error(data: Any) -> DefinitionError:
    with pytest.raises(DefinitionError) as caught:
        parse_definitions(data, source=Path("action.json"))
    return caught.value


# --------------------------------------------------------------------------- files


def test_invalid_json_gives_line_and_column() -> None:
    path = FIXTURES / "not-json.json"

    with pytest.raises(DefinitionError) as caught:
        load_definitions(path)

    error = caught.value
    assert error.file == path
    assert "invalid JSON at line 4, column 16: Expecting value" in str(error)
    assert str(error).startswith(f"{path}: ")


def test_definition_error_is_bad_input() -> None:
    assert issubclass(DefinitionError, InputFileError)


def test_not_utf8_is_refused_with_the_byte() -> None:
    path = FIXTURES / "not-utf8.json"

    with pytest.raises(DefinitionError, match=r"is not UTF-8 text \(byte 0xe9 at line 2") as caught:
        load_definitions(path)

    assert caught.value.file == path


def test_utf16_is_refused_with_advice() -> None:
    with pytest.raises(DefinitionError, match="is UTF-16 text; save it as UTF-8"):
        load_definitions(FIXTURES / "utf16.json")


def test_missing_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "missing.json"

    with pytest.raises(DefinitionError, match="no such file or folder") as caught:
        load_definitions(path)

    assert caught.value.file == path


@pytest.mark.skipif(os.name != "posix", reason="symbolic-link loops need POSIX")
def test_unreadable_file_in_a_folder_is_named(tmp_path: Path) -> None:
    loop = tmp_path / "loop.json"
    loop.symlink_to(loop)

    with pytest.raises(DefinitionError, match="cannot read the file") as caught:
        load_definitions(tmp_path)

    assert caught.value.file == loop


def test_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.json"
    path.write_text("  \n", encoding="utf-8")

    with pytest.raises(DefinitionError, match=r"empty\.json: is empty"):
        load_definitions(path)


def test_other_json_is_not_taken_for_a_definition() -> None:
    with pytest.raises(DefinitionError) as caught:
        load_definitions(FIXTURES / "pact-file.json")

    assert "expected a Data Action definition" in str(caught.value)
    assert "'consumer'" in str(caught.value)


def test_top_level_scalar_is_refused() -> None:
    error = _error("just text")

    assert "not a string" in error.reason
    assert error.path is None


def test_folder_error_names_the_bad_file(make_export: Any, write_json: Any) -> None:
    write_json(make_export(), "good.json")
    bad = write_json(make_export(secure="yes"), "nested/bad.json")

    with pytest.raises(DefinitionError) as caught:
        load_definitions(bad.parent.parent)

    assert caught.value.file == bad
    assert caught.value.path == "secure"


# --------------------------------------------------------------------------- fields


def test_missing_name(make_export: Any) -> None:
    raw = make_export()
    del raw["name"]

    error = _error(raw)

    assert (error.path, error.reason) == ("name", "required field is missing")
    assert str(error) == "action.json: name: required field is missing"


def test_empty_name(make_export: Any) -> None:
    assert _error(make_export(name="  ")).reason == "must not be empty"


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("name", 7, "must be a string, not a number"),
        ("integrationType", ["x"], "must be a string, not an array"),
        ("actionType", True, "must be a string, not a boolean"),
        ("secure", "false", "must be true or false, not a string"),
        ("config", "none", "must be an object, not a string"),
        ("contract", [], "must be an object, not an array"),
        ("version", 1.5, "must be an integer, not a number"),
        ("category", {}, "must be a string, not an object"),
    ],
)
def test_wrong_top_level_types(make_export: Any, field: str, value: Any, reason: str) -> None:
    error = _error(make_export(**{field: value}))

    assert (error.path, error.reason) == (field, reason)


@pytest.mark.parametrize(
    ("path", "missing"),
    [
        ("config", "request"),
        ("config", "response"),
        ("config.request", "requestUrlTemplate"),
        ("config.request", "requestType"),
    ],
)
def test_missing_required_config_fields(make_export: Any, path: str, missing: str) -> None:
    raw = make_export()
    holder = raw
    for key in path.split("."):
        holder = holder[key]
    del holder[missing]

    error = _error(raw)

    assert (error.path, error.reason) == (f"{path}.{missing}", "required field is missing")


def test_missing_config(make_export: Any) -> None:
    raw = make_export()
    del raw["config"]

    assert _error(raw).path == "config"


def test_missing_config_in_api_shape_hints_at_include_config(make_api: Any) -> None:
    raw = make_api()
    del raw["config"]

    error = _error(raw)

    assert error.path == "config"
    assert "includeConfig=true" in error.reason


def test_empty_url_template(make_export: Any) -> None:
    raw = make_export()
    raw["config"]["request"]["requestUrlTemplate"] = ""

    error = _error(raw)

    assert (error.path, error.reason) == ("config.request.requestUrlTemplate", "must not be empty")


@pytest.mark.parametrize("method", ["FETCH", "OPTIONS", "HEAD", ""])
def test_request_type_must_be_a_genesys_method(make_export: Any, method: str) -> None:
    raw = make_export()
    raw["config"]["request"]["requestType"] = method

    error = _error(raw)

    assert error.path == "config.request.requestType"
    if method:
        assert error.reason == (f"must be one of GET, PUT, POST, PATCH, DELETE, not {method!r}")


@pytest.mark.parametrize("method", ["get", "Post", "pUt", "patch", "delete"])
def test_request_type_is_case_insensitive(make_export: Any, method: str) -> None:
    raw = make_export()
    raw["config"]["request"]["requestType"] = method

    (definition,) = parse_definitions(raw)

    assert definition.request.method == method.upper()


def test_translation_map_value_must_be_a_string(make_export: Any) -> None:
    raw = make_export()
    raw["config"]["response"]["translationMap"]["customerId"] = ["$.id"]

    error = _error(raw)

    assert error.path == "config.response.translationMap.customerId"
    assert error.reason == "must be a string (a JSONPath), not an array"
    assert str(error) == (
        "action.json: config.response.translationMap.customerId: "
        "must be a string (a JSONPath), not an array"
    )


def test_translation_map_key_that_needs_quoting(make_export: Any) -> None:
    raw = make_export()
    raw["config"]["response"]["translationMap"]["first name"] = 1

    assert _error(raw).path == "config.response.translationMap['first name']"


def test_default_must_be_json_text(make_export: Any) -> None:
    raw = make_export()
    raw["config"]["response"]["translationMapDefaults"]["customerName"] = 0

    error = _error(raw)

    assert error.path == "config.response.translationMapDefaults.customerName"
    assert "must be a string holding the default as JSON text" in error.reason


def test_header_value_must_be_a_string(make_export: Any) -> None:
    raw = make_export()
    raw["config"]["request"]["headers"]["X-Retry"] = 3

    assert _error(raw).path == "config.request.headers.X-Retry"


@pytest.mark.parametrize(
    ("section", "key"),
    [
        ("request", "requestTemplate"),
        ("request", "requestTemplateUri"),
        ("response", "successTemplate"),
        ("response", "successTemplateUri"),
    ],
)
def test_templates_must_be_strings(make_export: Any, section: str, key: str) -> None:
    raw = make_export()
    raw["config"][section][key] = {"a": 1}

    error = _error(raw)

    assert (error.path, error.reason) == (
        f"config.{section}.{key}",
        "must be a string, not an object",
    )


@pytest.mark.parametrize("value", [0, 61, -5])
def test_timeout_must_be_1_to_60(make_api: Any, value: int) -> None:
    raw = make_api()
    raw["config"]["timeoutSeconds"] = value

    error = _error(raw)

    assert error.path == "config.timeoutSeconds"
    assert f"must be from 1 to 60 seconds, not {value}" == error.reason


def test_timeout_must_be_an_integer(make_api: Any) -> None:
    raw = make_api()
    raw["config"]["timeoutSeconds"] = "20"

    assert _error(raw).path == "config.timeoutSeconds"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ([{"type": "object"}], "must be a JSON Schema object, not an array"),
        (True, "must be a JSON Schema object, not a boolean"),
        ("object", "must be a JSON Schema object, not a string"),
    ],
)
def test_schema_must_be_an_object(make_export: Any, value: Any, reason: str) -> None:
    raw = make_export()
    raw["contract"]["output"]["successSchema"] = value

    error = _error(raw)

    assert (error.path, error.reason) == ("contract.output.successSchema", reason)


def test_contract_side_must_be_an_object(make_export: Any) -> None:
    raw = make_export()
    raw["contract"]["input"] = "none"

    assert _error(raw).path == "contract.input"


def test_error_inside_an_array_is_prefixed_with_the_index() -> None:
    path = FIXTURES / "array-bad-third.json"

    with pytest.raises(DefinitionError) as caught:
        load_definitions(path)

    assert caught.value.file == path
    assert caught.value.path == "[2].config.response.translationMap.total"
    assert str(caught.value) == (
        f"{path}: [2].config.response.translationMap.total: "
        "must be a string (a JSONPath), not a number"
    )


def test_error_inside_a_page_is_prefixed_with_entities(make_api: Any) -> None:
    bad = make_api()
    bad["config"]["request"]["headers"] = ["Accept: application/json"]

    error = _error({"entities": [bad]})

    assert error.path == "entities[0].config.request.headers"


def test_page_entities_must_be_an_array() -> None:
    error = _error({"entities": {"a": 1}})

    assert (error.path, error.reason) == (
        "entities",
        "must be an array of definitions, not an object",
    )


def test_array_item_must_be_an_object(make_export: Any) -> None:
    error = _error([make_export(), 3])

    assert error.path == "[1]"
    assert "must be an object, not a number" in error.reason


def test_load_definition_raises_the_same_errors(make_export: Any, write_json: Any) -> None:
    raw = make_export()
    raw["config"]["request"]["requestType"] = "SEND"
    path = write_json(raw)

    with pytest.raises(DefinitionError) as caught:
        load_definition(path)

    assert (caught.value.file, caught.value.path) == (path, "config.request.requestType")
