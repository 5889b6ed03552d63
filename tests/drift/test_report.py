"""Report renderers: Markdown, JSON, JUnit XML and text from one result."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from actionpact.drift import (
    Change,
    ContractCheck,
    DriftResult,
    ExampleResult,
    OutputCheck,
    ProviderVerification,
    render_json,
    render_junit,
    render_markdown,
    render_text,
)


def example(name: str, **fields: object) -> ExampleResult:
    values: dict[str, object] = {
        "recording": f"crm/{name}.json",
        "action": "CRM | Lookup",
        "example": name,
        "provider": "crm",
        "outcome": "ok",
        "status": 200,
        "contract": ContractCheck(True, True, "ivr", f"CRM | Lookup: {name}"),
        "output": OutputCheck(True, output={"id": "C-1"}),
    }
    values.update(fields)
    return ExampleResult(**values)  # type: ignore[arg-type]


RESULT = DriftResult(
    recordings="recordings",
    recorded="2026-11-22T09:00:00Z",
    previous="recordings.previous",
    examples=(
        example("fine"),
        example(
            "renamed",
            contract=ContractCheck(
                True, False, "ivr", "CRM | Lookup: renamed", ("$.id: missing <id>",)
            ),
            output=OutputCheck(False, problems=('output `id` is ""',)),
            changes=(
                Change(
                    "renamed",
                    "crm/renamed.json",
                    "CRM | Lookup",
                    "renamed",
                    "$.id",
                    "$.ID",
                    "string",
                    "string",
                    ("id",),
                ),
            ),
        ),
        example(
            "added",
            changes=(
                Change("added", "crm/added.json", "CRM | Lookup", "added", "$.x", after="integer"),
            ),
        ),
    ),
    verifications=(
        ProviderVerification(
            "crm",
            False,
            3,
            1,
            unmatched=("ivr: Other: x",),
            published_version="recorded-2026-11-22",
            environments=("production",),
        ),
    ),
    warnings=("Other / x: not recorded yet (other/x.json)",),
)


def test_markdown_puts_what_breaks_first() -> None:
    text = render_markdown(RESULT)
    lines = text.splitlines()
    assert (
        lines[0]
        == "# Vendor drift check BROKEN: 1 broken, 1 with warnings, 1 passed (3 recordings)"
    )
    table = [line for line in lines if line.startswith("| ")]
    assert table[1].startswith("| **broken** | CRM \\| Lookup | renamed |")
    assert table[2].startswith("| warning | CRM \\| Lookup | added |")
    assert text.index("## Broken") < text.index("## Warnings") < text.index("## Harmless changes")
    assert "- Contract (ivr): $.id: missing <id>" in text
    assert "results published as `recorded-2026-11-22`, recorded as deployed to production" in text
    assert "  - no recording for interaction ivr: Other: x" in text


def test_json_is_the_result() -> None:
    data = json.loads(render_json(RESULT))
    assert data["summary"] == {"examples": 3, "broken": 1, "warning": 1, "passed": 1}
    assert data["verifications"][0]["unmatched"] == ["ivr: Other: x"]
    assert data["examples"][1]["changes"][0]["readBy"] == ["id"]


def test_junit_counts_failures_and_escapes() -> None:
    root = ET.fromstring(render_junit(RESULT))
    assert (root.get("tests"), root.get("failures")) == ("4", "2")
    (suite,) = root
    cases = {c.get("name"): c for c in suite}
    failure = cases["renamed"].find("failure")
    assert failure is not None
    assert failure.get("message") == "$.id: missing <id>"
    assert "Change (warning)" in (failure.text or "")
    assert cases["added"].find("system-out") is not None
    assert cases["ivr: Other: x"].find("failure") is not None


def test_text_lists_only_what_needs_a_look() -> None:
    text = render_text(RESULT)
    assert "fine" not in text
    assert "  BROKEN   CRM | Lookup / renamed" in text
    assert "  note: Other / x: not recorded yet" in text
