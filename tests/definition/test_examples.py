"""The example definitions bundled in contracts/ load cleanly and show what they claim."""

from __future__ import annotations

from pathlib import Path

import pytest

from actionpact.definition import ActionDefinition, load_definition, load_definitions

EXAMPLES = Path(__file__).resolve().parents[2] / "contracts"


@pytest.fixture(scope="module")
def examples() -> dict[str, ActionDefinition]:
    return {definition.name: definition for definition in load_definitions(EXAMPLES)}


def test_examples_load_without_warnings(examples: dict[str, ActionDefinition]) -> None:
    assert sorted(examples) == [
        "CRM - Create Support Case",
        "CRM - Lookup Customer By Phone",
        "Get Queue Estimated Wait Time",
        "Get User Presence",
        "Set User Presence",
    ]
    for definition in examples.values():
        assert definition.simulatable, definition.unsupported
        assert definition.warnings == (), definition.name
        assert definition.input_schema is not None
        assert definition.input_schema.get("properties")
        assert definition.output_schema is not None
        assert definition.output_schema.get("properties")


def test_every_json_under_contracts_is_a_definition() -> None:
    files = sorted(EXAMPLES.rglob("*.json"))

    assert len(files) == 4
    for file in files:
        assert load_definitions(file), file


def test_crm_lookup(examples: dict[str, ActionDefinition]) -> None:
    lookup = examples["CRM - Lookup Customer By Phone"]

    assert lookup.source == EXAMPLES / "crm-lookup-by-phone.json"
    assert lookup.integration_type == "custom-rest-actions"
    assert lookup.request.method == "GET"
    assert lookup.request.url_template == (
        "https://crm.example.com/api/v1/customers/search?phone=$esc.url(${input.phone})"
    )
    assert lookup.request.headers["Authorization"] == "Bearer ${credentials.apiToken}"
    assert lookup.response.translation_map["openCaseCount"] == "$.customers[0].openCases.length()"
    assert "firstFromArray" in lookup.response.success_template
    assert lookup.output_schema is not None
    assert lookup.output_schema["properties"]["tier"]["enum"] == ["gold", "silver", "bronze"]


def test_queue_estimated_wait(examples: dict[str, ActionDefinition]) -> None:
    ewt = examples["Get Queue Estimated Wait Time"]

    assert ewt.integration_type == "purecloud-data-actions"
    assert ewt.request.url_template.startswith(
        "/api/v2/routing/queues/${input.queueId}/estimatedwaittime"
    )
    assert (
        "[?(@.intent=='ESTIMATED_WAIT_TIME')]" in ewt.response.translation_map["estimatedWaitTimes"]
    )
    assert "firstFromArray" in ewt.response.success_template


def test_support_case(examples: dict[str, ActionDefinition]) -> None:
    case = examples["CRM - Create Support Case"]

    assert case.request.method == "POST"
    assert case.request.headers["Content-Type"] == "application/json"
    assert '#if("$!{input.description}" != "")' in case.request.request_template
    assert "$esc.jsonString(" in case.request.request_template
    assert case.response.translation_map == {
        "caseId": "$.caseId",
        "status": "$.status",
        "caseUrl": "$.links.self",
    }


def test_platform_page(examples: dict[str, ActionDefinition]) -> None:
    get, put = examples["Get User Presence"], examples["Set User Presence"]

    assert (get.shape, get.location, put.location) == ("api", "entities[0]", "entities[1]")
    assert get.source == EXAMPLES / "platform" / "user-presence-actions.json"
    assert put.request.method == "PATCH"
    assert get.timeout_seconds == 10
    assert get.category == "Genesys Cloud Data Actions"
    assert load_definition(get.source, "Set User Presence") == put
