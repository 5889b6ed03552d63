"""The Genesys impact of a provider's answer, with the bundled CRM lookup action."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from verify_crm_provider import CRM_DEFINITION, CUSTOMER, KNOWN_PHONE

from actionpact.core import UNSET
from actionpact.definition import load_definition
from actionpact.verify import GenesysImpact, compare_bodies
from actionpact.verify._impact import assess_impact
from actionpact.verify._pacts import Origin, PactInteraction, PactRequest
from actionpact.verify._replay import Replay

ACTION = "CRM - Lookup Customer By Phone"
EXPECTED = {"customers": [CUSTOMER]}


def interaction(body: Any = EXPECTED, status: int = 200) -> PactInteraction:
    return PactInteraction(
        consumer="flows",
        provider="crm",
        description="known caller",
        states=(),
        request=PactRequest("GET", "/api/v1/customers/search"),
        status=status,
        body=body,
        origin=Origin(ACTION, example="known caller", input={"phone": KNOWN_PHONE}),
    )


def impact_of(actual: Any, status: int = 200, text: str | None = None) -> GenesysImpact:
    replayed = Replay(
        status=status,
        text=text if text is not None else "",
        body=actual if text is None else UNSET,
    )
    changes = compare_bodies(EXPECTED, actual) if text is None else []
    return assess_impact(interaction(), load_definition(CRM_DEFINITION), replayed, changes)


def customer(**changes: Any) -> dict[str, Any]:
    record = copy.deepcopy(CUSTOMER)
    for key, value in changes.items():
        if value is UNSET:
            del record[key]
        else:
            record[key] = value
    return {"customers": [record]}


def test_a_missing_field_with_a_default() -> None:
    impact = impact_of(customer(customerId=UNSET))
    assert impact.assessed
    assert impact.failure is None
    assert [(o.output, o.change) for o in impact.outputs] == [
        ("customerId", "default"),
        ("found", "changed"),
    ]
    assert impact.lines()[0] == (
        f'{ACTION}\'s output `customerId` would fall back to its default ("")'
    )


def test_a_type_change_that_breaks_the_output_schema_fails_the_action() -> None:
    impact = impact_of(customer(tier=3))
    assert impact.failure is not None
    assert impact.failure.step == 10
    assert "failed output schema validation" in impact.failure.message
    assert impact.lines()[0].startswith(
        f"{ACTION} would fail at step 10 (Apply output transformation)"
    )
    assert [(v.key, v.change, v.actual_type) for v in impact.variables] == [
        ("tier", "type", "number")
    ]


def test_an_error_status_fails_the_action_at_execute() -> None:
    impact = impact_of({"message": "boom"}, status=500)
    assert impact.failure is not None
    assert (impact.failure.step, impact.failure.step_name) == (8, "Execute")
    assert "[HTTP 500]" in impact.failure.message


def test_an_html_page_fails_the_action_at_execute() -> None:
    impact = impact_of(None, text="<html><body>Maintenance</body></html>")
    assert impact.failure is not None
    assert impact.failure.step == 8
    assert "not JSON" in impact.failure.message


def test_a_missing_list_falls_back_for_the_output_that_reads_it() -> None:
    impact = impact_of(customer(contacts=UNSET))
    assert impact.failure is None
    outputs = {o.output: (o.change, o.actual) for o in impact.outputs}
    assert outputs == {"accountManager": ("default", "")}


def test_extra_fields_and_other_values_change_nothing() -> None:
    actual = customer(name="Someone Else", region="EU")
    impact = impact_of(actual)
    assert impact.outputs == ()
    assert impact.failure is None
    assert impact.lines() == [f"{ACTION}'s outputs would not change"]


def test_a_definition_that_cannot_run_says_why() -> None:
    fixtures = Path(__file__).resolve().parents[1] / "fixtures" / "definitions"
    definition = load_definition(fixtures / "api-template-uris.json")
    assert definition.unsupported
    impact = assess_impact(interaction(), definition, Replay(200, body=EXPECTED), [])
    assert not impact.assessed
    assert impact.note is not None
    assert impact.note.startswith("the action cannot be run:")
    assert "requestTemplateUri" in impact.note


@pytest.mark.parametrize("status", [404])
def test_an_expected_failure_is_not_an_impact(status: int) -> None:
    replayed = Replay(status=200, body=EXPECTED)
    impact = assess_impact(
        interaction(body={"message": "not found"}, status=status),
        load_definition(CRM_DEFINITION),
        replayed,
        [],
    )
    assert impact.failure is None
