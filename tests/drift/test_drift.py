"""`run_drift` end to end: a vendor whose answers change from one recording run to the next,
the real Pact verifier against the served recordings, and the reports."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, Any

import pytest
from drift_vendor import FakeClock, Vendor, added, burst, html_page, renamed, server_error

from actionpact.drift import (
    DriftResult,
    PactSource,
    plan_targets,
    record,
    render_json,
    render_junit,
    render_markdown,
    render_text,
    run_drift,
)

if TYPE_CHECKING:
    from pathlib import Path

    from drift_vendor import Mode

pytestmark = pytest.mark.e2e

KNOWN = "vendor-crm-lookup-by-phone/known-caller.json"
SILVER = "vendor-crm-lookup-by-phone/silver-caller.json"


def record_runs(project: Path, vendor: Vendor, *modes: Mode | None) -> None:
    """One baseline run, then one run per mode (``None``: the baseline again)."""
    plan = plan_targets(["contracts"])
    for mode in (None, *modes):
        vendor.mode = mode
        record(plan.targets, project / "recordings", base_url=vendor.url, clock=FakeClock())


def drift(project: Path, pacts: Path, **options: Any) -> DriftResult:
    return run_drift(["contracts"], pacts=PactSource(files=(pacts,)), **options)


def by_name(result: DriftResult) -> dict[str, Any]:
    return {e.recording: e for e in result.examples}


def test_unchanged_vendor_passes(project: Path, vendor: Vendor, project_pacts: Path) -> None:
    record_runs(project, vendor, None)
    result = drift(project, project_pacts)
    assert result.exit_code == 0
    assert result.counts() == {"broken": 0, "warning": 0, "passed": 4}
    assert result.previous == "recordings.previous"
    (verification,) = result.verifications
    assert verification.provider == "vendor-crm"
    assert (verification.success, verification.interactions, verification.failures) == (True, 4, 0)
    assert all(e.contract.verified and e.contract.success for e in result.examples)
    known = by_name(result)[KNOWN]
    assert known.output.output["customerId"] == "C-1001"
    # The spec expects the real e-mail; the recording holds its pseudonym: still equal.
    assert known.output.output["email"] != "ada.lovelace@example.org"
    unknown = by_name(result)["vendor-crm-lookup-by-phone/unknown-caller.json"]
    assert unknown.output.failed_step == 8
    assert unknown.output.success


def test_renamed_field_breaks_and_is_named(
    project: Path, vendor: Vendor, project_pacts: Path
) -> None:
    record_runs(project, vendor, renamed)
    result = drift(project, project_pacts)
    assert result.exit_code == 1
    known = by_name(result)[KNOWN]
    assert known.verdict == "broken"
    assert not known.contract.success
    assert any("customerId" in m for m in known.contract.mismatches)
    assert any('output `customerId` is ""' in p for p in known.output.problems)
    (change,) = known.changes
    assert (change.kind, change.path, change.new_path) == (
        "renamed",
        "$.customers[*].customerId",
        "$.customers[*].customer_id",
    )
    assert change.read_by == ("customerId",)
    markdown = render_markdown(result)
    assert markdown.startswith("# Vendor drift check BROKEN: 2 broken")
    assert "`$.customers[*].customerId` looks renamed to `$.customers[*].customer_id`" in markdown


def test_added_field_is_a_warning_only(project: Path, vendor: Vendor, project_pacts: Path) -> None:
    record_runs(project, vendor, added)
    result = drift(project, project_pacts)
    assert result.exit_code == 0
    assert result.counts() == {"broken": 0, "warning": 2, "passed": 2}
    (change,) = by_name(result)[SILVER].changes
    assert (change.kind, change.path, change.after, change.severity) == (
        "added",
        "$.customers[*].loyaltyPoints",
        "integer",
        "info",
    )
    assert "passed with warnings" in render_text(result)
    assert "new field `$.customers[*].loyaltyPoints` (integer)" in render_markdown(result)


def test_429_burst_ends_in_the_same_recordings(
    project: Path, vendor: Vendor, project_pacts: Path
) -> None:
    record_runs(project, vendor, burst(5, retry_after="1"))
    result = drift(project, project_pacts)
    assert result.exit_code == 0
    assert result.counts()["passed"] == 4
    assert all(not e.changes for e in result.examples)


def test_500_breaks_with_a_status_change(
    project: Path, vendor: Vendor, project_pacts: Path
) -> None:
    record_runs(project, vendor, server_error)
    result = drift(project, project_pacts)
    assert result.exit_code == 1
    known = by_name(result)[KNOWN]
    assert any("expected 200 but was 500" in m for m in known.contract.mismatches)
    assert known.output.failed_step == 8
    assert [(c.kind, c.before, c.after) for c in known.changes] == [("status", "200", "500")]
    # The 404 example still holds: the vendor answers it as before.
    assert by_name(result)["vendor-crm-lookup-by-phone/unknown-caller.json"].verdict == "passed"


def test_html_error_page_breaks(project: Path, vendor: Vendor, project_pacts: Path) -> None:
    record_runs(project, vendor, html_page)
    result = drift(project, project_pacts)
    assert result.exit_code == 1
    known = by_name(result)[KNOWN]
    assert known.outcome == "not-json"
    assert known.output.failed_step == 8
    assert "not JSON" in (known.output.failure or "")
    assert [(c.kind, c.before, c.after) for c in known.changes] == [("outcome", "ok", "not-json")]


def test_reports_in_three_formats(project: Path, vendor: Vendor, project_pacts: Path) -> None:
    record_runs(project, vendor, renamed)
    result = drift(project, project_pacts)
    data = json.loads(render_json(result))
    assert data["format"] == "actionpact-drift/1"
    assert (data["success"], data["exitCode"]) == (False, 1)
    assert data["summary"] == {"examples": 4, "broken": 2, "warning": 0, "passed": 2}
    example = next(e for e in data["examples"] if e["recording"] == KNOWN)
    assert example["verdict"] == "broken"
    assert example["changes"][0]["kind"] == "renamed"
    assert example["contract"]["interaction"] == "Vendor CRM - Lookup By Phone: known caller"
    root = ET.fromstring(render_junit(result))
    assert (root.tag, root.get("tests"), root.get("failures")) == ("testsuites", "4", "2")
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == "vendor-crm"
    failed = [c for c in suite.findall("testcase") if c.find("failure") is not None]
    assert sorted(c.get("name") or "" for c in failed) == ["known caller", "silver caller"]
    assert "customerId" in (failed[0].find("failure").get("message") or "")  # type: ignore[union-attr]
    markdown = render_markdown(result)
    assert "| **broken** | Vendor CRM - Lookup By Phone | known caller |" in markdown
    assert "## Pact verification" in markdown


def test_without_previous_and_without_verifier(project: Path, vendor: Vendor) -> None:
    record_runs(project, vendor)
    result = run_drift(["contracts"], verify=False)
    assert result.previous is None
    assert result.verifications == ()
    assert result.exit_code == 0
    # Not verified against any pact: a warning, not a break.
    assert result.counts()["warning"] == 4
    assert "no previous run to compare with" in render_markdown(result)


def test_pacts_generated_when_none_given(project: Path, vendor: Vendor) -> None:
    record_runs(project, vendor)
    result = run_drift(["contracts"])
    assert result.exit_code == 0
    (verification,) = result.verifications
    assert verification.interactions == 4


def test_stale_and_missing_recordings_are_warned_about(
    project: Path, vendor: Vendor, project_pacts: Path
) -> None:
    record_runs(project, vendor)
    (project / "contracts" / "create-case.json").unlink()
    result = drift(project, project_pacts)
    assert any("belongs to no action" in w for w in result.warnings)
    (verification,) = result.verifications
    # The pact still asks for the create-case interaction: no recording answers it any more.
    assert not verification.success
    assert verification.unmatched == ("ivr-flows: Vendor CRM - Create Case: derived example",)
    assert result.exit_code == 1


def test_a_changed_definition_asks_for_a_new_recording(
    project: Path, vendor: Vendor, project_pacts: Path
) -> None:
    record_runs(project, vendor)
    definition = project / "contracts" / "lookup.json"
    data = json.loads(definition.read_text(encoding="utf-8"))
    data["config"]["response"]["translationMapDefaults"]["tier"] = '"silver"'
    definition.write_text(json.dumps(data), encoding="utf-8")
    result = drift(project, project_pacts)
    assert any("definition changed" in w and "re-record" in w for w in result.warnings)


def test_large_pacts_are_verified_in_chunks_with_the_same_result(
    project: Path, vendor: Vendor, project_pacts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record_runs(project, vendor, renamed)
    whole = drift(project, project_pacts)
    monkeypatch.setattr("actionpact.drift._verify.CHUNK", 1)
    chunked = drift(project, project_pacts)
    assert chunked.to_json() == whole.to_json()
    (verification,) = chunked.verifications
    assert (verification.interactions, verification.failures) == (4, 2)
