"""The text, JSON and JUnit views of a verification report."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from actionpact.verify import (
    FieldChange,
    GenesysImpact,
    InteractionOutcome,
    Mismatch,
    OutputImpact,
    VerificationReport,
    render_junit,
    render_text,
    write_junit,
)

if TYPE_CHECKING:
    from pathlib import Path

RENAMED = FieldChange(
    "renamed", "$.customerId", "customerId", new_key="customer_id", expected_type="string"
)
IMPACT = GenesysImpact(
    "CRM Lookup",
    True,
    outputs=(OutputImpact("customerId", "default", "C-1", ""),),
)


def outcome(
    name: str, action: str | None, *, passed: bool, pending: bool = False
) -> InteractionOutcome:
    return InteractionOutcome(
        consumer="flows",
        provider="crm",
        description=f"{action}: {name}",
        states=("a state",),
        action=action,
        example=name,
        passed=passed,
        pending=pending,
        changes=() if passed else (RENAMED,),
        mismatches=() if passed else (Mismatch("HeaderMismatch", "response header `X`: nope"),),
        impact=None if passed else IMPACT,
    )


REPORT = VerificationReport(
    provider="crm",
    base_url="http://127.0.0.1:1",
    outcomes=(
        outcome("known", "CRM Lookup", passed=True),
        outcome("renamed", "CRM Lookup", passed=False),
        outcome("queue", "Queue EWT", passed=False, pending=True),
        InteractionOutcome("flows", "crm", "hand-written", (), None, None, passed=True),
    ),
    errors=("Failed to load pact - nope",),
    notices=("The pact is pending",),
    published_version="1.2.3",
)


def test_text_groups_by_action_and_names_the_impact() -> None:
    text = render_text(REPORT)
    assert text.splitlines()[:7] == [
        "Verifying crm at http://127.0.0.1:1",
        "",
        "CRM Lookup",
        "  passed: known (given a state) [flows]",
        "  FAILED: renamed (given a state) [flows]",
        "      mismatch: `customerId` is missing from the response ($.customerId); a new key "
        "`customer_id` looks like its rename",
        "      mismatch: response header `X`: nope",
    ]
    assert (
        "      genesys impact: CRM Lookup's output `customerId` would fall back to its "
        'default ("")' in text
    )
    assert "  FAILED (pending: does not fail the build): queue (given a state) [flows]" in text
    assert "(interactions without a Data Action)\n  passed: hand-written" in text
    assert "error: Failed to load pact - nope" in text
    assert "notice: The pact is pending" in text
    assert (
        "2 passed, 1 failed, 1 failed in pending pacts (not failing the build); "
        "results published for crm 1.2.3" in text
    )
    assert text.endswith("Verification FAILED\n")


def test_json_is_one_object_grouped_by_action() -> None:
    data = json.loads(json.dumps(REPORT.to_json()))
    assert data["success"] is False
    assert data["summary"] == {"passed": 2, "failed": 1, "pending": 1}
    assert [a["action"] for a in data["actions"]] == ["CRM Lookup", "Queue EWT", None]
    renamed = data["actions"][0]["examples"][1]
    assert renamed["status"] == "failed"
    assert renamed["changes"][0]["newKey"] == "customer_id"
    assert renamed["impact"]["outputs"] == [
        {
            "output": "customerId",
            "change": "default",
            "expected": "C-1",
            "actual": "",
            "missing": False,
        }
    ]
    assert "problems" not in data["actions"][0]["examples"][0]


def test_junit_has_a_suite_per_action_and_a_case_per_interaction(tmp_path: Path) -> None:
    target = write_junit(REPORT, tmp_path / "out" / "verify.xml")
    root = ET.parse(target).getroot()
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors"), root.get("skipped")) == (
        "5",
        "1",
        "1",
        "1",
    )
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert list(suites) == [
        "CRM Lookup",
        "Queue EWT",
        "(interactions without a Data Action)",
        "verification",
    ]
    crm = suites["CRM Lookup"]
    assert [c.get("name") for c in crm.findall("testcase")] == ["known", "renamed"]
    failure = crm.findall("testcase")[1].find("failure")
    assert failure is not None
    assert failure.get("message", "").startswith("`customerId` is missing")
    assert "genesys impact: CRM Lookup's output `customerId`" in (failure.text or "")
    skipped = suites["Queue EWT"].find("testcase/skipped")
    assert skipped is not None
    assert skipped.get("message", "").startswith("pending pact failed:")
    assert suites["verification"].find("testcase/error") is not None
    assert not list(tmp_path.joinpath("out").glob(".*.tmp"))


def test_a_clean_report_passes() -> None:
    report = VerificationReport("crm", "http://x", (outcome("known", "CRM Lookup", passed=True),))
    assert report.success
    assert report.exit_code == 0
    assert render_text(report).endswith("1 passed, 0 failed\nVerification passed\n")
    assert ET.fromstring(render_junit(report).split("\n", 1)[1]).get("failures") == "0"
