"""Every template in the shared corpus of real Data Actions compiles and renders.

The corpus is read as raw JSON here, so this test depends on the Velocity adapter only.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from actionpact.core.errors import TemplateRenderError
from actionpact.genesys._tools import genesys_tools
from actionpact.genesys._velocity import VelocityTemplate, compile_template

if TYPE_CHECKING:
    from collections.abc import Iterator

CORPUS = (Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus").resolve()

# Templates that read variables Genesys supplies outside our context on purpose:
# `authResponse` exists only behind a custom-auth integration, and `$Input`/`$INPUT` are
# misspellings of `$input` that Genesys itself would reject as unset.
EXPECTED_UNSET = {"authResponse", "Input", "INPUT"}


def _actions() -> Iterator[tuple[str, dict[str, Any]]]:
    for path in sorted(CORPUS.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        items = data if isinstance(data, list) else data.get("entities", [data])
        for action in items:
            yield path.name, action


def _templates(action: dict[str, Any]) -> Iterator[tuple[str, str]]:
    config = action.get("config") or {}
    request = config.get("request") or {}
    response = config.get("response") or {}
    for field, name in (
        (request.get("requestUrlTemplate"), "requestUrlTemplate"),
        (request.get("requestTemplate"), "requestTemplate"),
        (response.get("successTemplate"), "successTemplate"),
    ):
        if isinstance(field, str):
            yield name, field
    for header, value in (request.get("headers") or {}).items():
        if isinstance(value, str):
            yield f"headers.{header}", value


@cache
def _corpus() -> tuple[tuple[str, dict[str, Any], str, str], ...]:
    return tuple(
        (file, action, name, source)
        for file, action in _actions()
        for name, source in _templates(action)
    )


def _context(action: dict[str, Any]) -> dict[str, Any]:
    schema = ((action.get("contract") or {}).get("input") or {}).get("inputSchema")
    properties = schema.get("properties") if isinstance(schema, dict) else None
    values: dict[str, Any] = dict.fromkeys(properties or {}, "v 1")
    values["rawRequest"] = json.dumps(values, separators=(",", ":"))
    response = (action.get("config") or {}).get("response") or {}
    context: dict[str, Any] = {**genesys_tools(), "input": values, "rawResult": "{}"}
    context["credentials"] = _AnyCredential()
    for key in response.get("translationMap") or {}:
        context[key] = '["x"]'
    return context


class _AnyCredential(dict[str, str]):
    """Credentials with a placeholder for whatever field a template names."""

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        return f"<credentials.{key}>"


def test_the_corpus_is_there() -> None:
    assert len(list(CORPUS.glob("*.json"))) >= 150
    assert len(_corpus()) > 500


def test_every_corpus_template_compiles() -> None:
    failures = []
    for file, _action, name, source in _corpus():
        try:
            compiled = compile_template(source, name=name)
        except Exception as error:
            failures.append(f"{file} {name}: {error}")
        else:
            assert isinstance(compiled, VelocityTemplate)
    assert failures == []


def test_every_corpus_template_renders_with_its_inputs_and_map_keys() -> None:
    unset: dict[str, str] = {}
    for file, action, name, source in _corpus():
        template = compile_template(source, name=name)
        try:
            template.render(_context(action), step=5)
        except TemplateRenderError as error:
            unset[f"{file} {name}"] = str(error.variable)
    assert set(unset.values()) == EXPECTED_UNSET, unset


def _source(file: str, name: str) -> str:
    for candidate, _action, template_name, source in _corpus():
        if candidate == file and template_name == name:
            return source
    raise AssertionError(f"{file} has no {name}")


def _render(file: str, name: str, context: dict[str, Any]) -> str:
    return compile_template(_source(file, name), name=name).render({**genesys_tools(), **context})


DATA_TABLE = "GenesysCloudDevOps__public-api-update-data-table-row-data-action-module__Update-Data-Table-Row.json"  # noqa: E501


def test_update_data_table_row_builds_typed_fields_and_escapes_the_key() -> None:
    values = {
        "DatatableId": "dt-1",
        "Key": "Row One",
        "StringFieldName1": "name",
        "StringFieldValue1": "Ann",
        "IntFieldName1": "age",
        "IntFieldValue1": "42",
        "IntFieldName2": "skipped",
        "BoolFieldName1": "vip",
        "BoolFieldValue1": "true",
    }
    url = _render(DATA_TABLE, "requestUrlTemplate", {"input": values})
    assert url == "/api/v2/flows/datatables/dt-1/rows/Row%20One"
    body = _render(DATA_TABLE, "requestTemplate", {"input": values})
    assert json.loads(body) == {"key": "Row One", "name": "Ann", "age": 42, "vip": True}


def test_set_user_roles_joins_the_given_roles_with_leading_commas() -> None:
    file = "GenesysCloudDevOps__public-api-set-user-roles-data-action-module__Set-User-Roles.json"
    body = _render(file, "requestTemplate", {"input": {"role1": "r1", "role11": "r11"}})
    assert json.loads(body) == ["r1", "r11"]
    assert json.loads(_render(file, "requestTemplate", {"input": {}})) == []
    # The template assumes role1: without it the array starts with a comma, as in Genesys.
    with pytest.raises(json.JSONDecodeError):
        json.loads(_render(file, "requestTemplate", {"input": {"role2": "r2"}}))


def test_create_callback_with_optional_fields() -> None:
    file = (
        "GenesysCloudDevOps__public-api-create-callback-extended-with-data-data-action-module__"
        "Create-Callback-Extended-with-Data.json"
    )
    values = {"callbackNumber": "+1555", "queueId": "q-1", "priority": "5", "skillId": "s-1"}
    body = json.loads(_render(file, "requestTemplate", {"input": values}))
    assert body["routingData"] == {"queueId": "q-1", "priority": 5, "skillIds": ["s-1"]}
    assert "scriptId" not in body
    assert (
        body["data"]["Name"] == "${input.participantdataname}"
    )  # a formal null renders as written


def test_external_contact_details_unwraps_every_filter_with_a_fallback() -> None:
    file = (
        "GenesysCloudDevOps__public-api-get-external-contact-details-data-action-module__"
        "Get-External-Contact-Details.json"
    )
    source = _source(file, "successTemplate")
    keys = set(compile_template(source, name="successTemplate").references)
    context: dict[str, Any] = {key: "[]" for key in keys if "." not in key}
    output = json.loads(_render(file, "successTemplate", context))
    assert output.pop("surveyOptOut") is False  # its fallback is "false"
    assert output
    assert all(value == "" for value in output.values())


def test_presences_by_queue_fall_back_to_zero() -> None:
    file = (
        "GenesysCloudDevOps__public-api-get-user-presences-by-queue-id-data-action-module__"
        "Get-User-Presences-by-Queue-ID.json"
    )
    context = dict.fromkeys(("Away", "Available", "Meal", "OnQueue", "Busy", "Offline"), "[]")
    context["Busy"] = "[3]"
    output = json.loads(_render(file, "successTemplate", context))
    assert output == {"Away": 0, "Available": 0, "Meal": 0, "OnQueue": 0, "Busy": 3, "Offline": 0}


def test_dynamics_url_builds_the_phone_filter() -> None:
    file = (
        "GenesysCloudDevOps__dynamics-365-get-most-recent-lead-by-phone-number-data-action-module__"
        "Get-Most-Recent-Lead-By-Phone-Number.json"
    )
    url = _render(file, "requestUrlTemplate", {"input": {"PHONE_NUMBER": "tel:+13175550125"}})
    assert url.startswith("/api/data/v8.1/leads?$select=leadid,")
    assert "&$orderby=createdon+desc&$top=1&$filter=" in url
    assert url.endswith(
        "telephone1+eq+%27tel%3A%2B13175550125%27+or+telephone1+eq+%2713175550125%27"
        "+or+telephone2+eq+%27tel%3A%2B13175550125%27+or+telephone2+eq+%2713175550125%27"
        "+or+telephone3+eq+%27tel%3A%2B13175550125%27+or+telephone3+eq+%2713175550125%27"
        "+or+mobilephone+eq+%27tel%3A%2B13175550125%27+or+mobilephone+eq+%2713175550125%27"
    )


def test_salesforce_sosl_escapes_reserved_characters_inside_esc_url() -> None:
    file = (
        "GenesysCloudDevOps__salesforce-get-account-name-by-phone-number-data-action-module__"
        "Get-Account-Name-By-Phone-Number.json"
    )
    url = _render(file, "requestUrlTemplate", {"input": {"PHONE_NUMBER": "+1 (317) 555-0125"}})
    assert url == (
        "/services/data/v54.0/search/?q=FIND+%7B%5C%2B1+%5C%28317%5C%29+555%5C-0125%7D"
        "+IN+PHONE+FIELDS+RETURNING+Account%28Name%29"
    )


def test_json_encode_of_first_from_array_re_encodes_an_object_as_a_string() -> None:
    file = (
        "GenesysCloudBlueprints__switch-voice-to-web-messaging__"
        "Get-all-Customer-Participant-Data-by-ConversationId.json"
    )
    output = _render(file, "successTemplate", {"attributes": '[{"a":"b c"}]'})
    assert json.loads(output) == {"jsonAttributes": '{"a":"b c"}'}


@pytest.mark.parametrize(
    "file",
    [
        "alexismoussesian__steameo_genesys__tf-GC-Get-User-Info-from-userId.json",
        "GenesysCloudDevOps__public-api-external-contact-query-data-action-module__"
        "External-Contact-Query.json",
    ],
)
def test_first_from_array_success_templates_give_json(file: str) -> None:
    source = _source(file, "successTemplate")
    keys = compile_template(source, name="successTemplate").references
    context: dict[str, Any] = {key: '["v"]' for key in keys if "." not in key}
    output = json.loads(_render(file, "successTemplate", context))
    assert output
    assert all(value == "v" for value in output.values())
