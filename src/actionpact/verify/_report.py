"""The verification report for a person (text) and for CI (JUnit XML)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from actionpact.core import atomic_write_text

if TYPE_CHECKING:
    from pathlib import Path

    from actionpact.verify._model import InteractionOutcome, VerificationReport

__all__ = ["render_junit", "render_text", "write_junit"]

_MARKS = {
    "passed": "passed",
    "failed": "FAILED",
    "pending": "FAILED (pending: does not fail the build)",
}


def render_text(report: VerificationReport) -> str:
    """The report a person reads: per Data Action and example, passed or failed, and why."""
    lines: list[str] = [f"Verifying {report.provider} at {report.base_url}", ""]
    for action, outcomes in report.by_action():
        lines.append(action)
        for outcome in outcomes:
            lines.extend(_outcome_lines(outcome))
        lines.append("")
    for error in report.errors:
        lines.append(f"error: {error}")
    for notice in report.notices:
        lines.append(f"notice: {notice}")
    counts = report.counts()
    summary = f"{counts['passed']} passed, {counts['failed']} failed"
    if counts["pending"]:
        summary += f", {counts['pending']} failed in pending pacts (not failing the build)"
    if report.published_version:
        summary += f"; results published for {report.provider} {report.published_version}"
    lines.append(summary)
    lines.append("Verification " + ("passed" if report.success else "FAILED"))
    return "\n".join(lines) + "\n"


def _outcome_lines(outcome: InteractionOutcome) -> list[str]:
    states = f" (given {', '.join(outcome.states)})" if outcome.states else ""
    consumer = f" [{outcome.consumer}]" if outcome.consumer else ""
    lines = [f"  {_MARKS[outcome.status]}: {outcome.name}{states}{consumer}"]
    if outcome.passed:
        return lines
    for problem in outcome.problems():
        lines.append(f"      mismatch: {problem}")
    for impact in outcome.impact_lines():
        lines.append(f"      genesys impact: {impact}")
    return lines


def _failure_text(outcome: InteractionOutcome) -> str:
    parts = [f"mismatch: {p}" for p in outcome.problems()]
    parts.extend(f"genesys impact: {i}" for i in outcome.impact_lines())
    return "\n".join(parts)


def render_junit(report: VerificationReport) -> str:
    """JUnit XML: a test suite per Data Action, a test case per interaction.

    A pending pact's failure is reported as skipped, so CI shows it without failing.
    """
    root = ET.Element("testsuites", name=f"actionpact verify {report.provider}")
    total = failures = skipped = 0
    for action, outcomes in report.by_action():
        suite = ET.SubElement(root, "testsuite", name=action)
        suite_failures = suite_skipped = 0
        for outcome in outcomes:
            case = ET.SubElement(
                suite,
                "testcase",
                name=outcome.name,
                classname=f"{report.provider}.{outcome.consumer}.{action}",
            )
            if outcome.status == "failed":
                suite_failures += 1
                problems = outcome.problems()
                failure = ET.SubElement(
                    case, "failure", message=problems[0] if problems else "verification failed"
                )
                failure.text = _failure_text(outcome)
            elif outcome.status == "pending":
                suite_skipped += 1
                problems = outcome.problems()
                skip = ET.SubElement(
                    case,
                    "skipped",
                    message="pending pact failed: " + (problems[0] if problems else "see output"),
                )
                skip.text = _failure_text(outcome)
        suite.set("tests", str(len(outcomes)))
        suite.set("failures", str(suite_failures))
        suite.set("errors", "0")
        suite.set("skipped", str(suite_skipped))
        total += len(outcomes)
        failures += suite_failures
        skipped += suite_skipped
    if report.errors:
        suite = ET.SubElement(root, "testsuite", name="verification")
        for index, error in enumerate(report.errors, 1):
            case = ET.SubElement(
                suite, "testcase", name=f"error {index}", classname=report.provider
            )
            ET.SubElement(case, "error", message=error).text = error
        suite.set("tests", str(len(report.errors)))
        suite.set("failures", "0")
        suite.set("errors", str(len(report.errors)))
        suite.set("skipped", "0")
        total += len(report.errors)
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("errors", str(len(report.errors)))
    root.set("skipped", str(skipped))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def write_junit(report: VerificationReport, path: str | Path) -> Path:
    """Write :func:`render_junit` to ``path`` atomically."""
    return atomic_write_text(path, render_junit(report))
