"""Drift reports: Markdown (a CI summary or an issue), JSON, JUnit XML, and plain text.

Every renderer works from :class:`DriftResult` alone and returns text; writing it anywhere is
the caller's business. Broken examples come first, then warnings, then what passed, so the
part a person must act on is at the top.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from actionpact.drift._result import DriftResult, ExampleResult

__all__ = ["render_json", "render_junit", "render_markdown", "render_text"]

_ORDER = {"broken": 0, "warning": 1, "passed": 2}


def _sorted(result: DriftResult) -> list[ExampleResult]:
    return sorted(result.examples, key=lambda e: (_ORDER[e.verdict], e.action, e.example))


def _headline(result: DriftResult) -> str:
    counts = result.counts()
    verdict = (
        "BROKEN"
        if not result.success
        else "passed with warnings"
        if counts["warning"]
        else "passed"
    )
    return (
        f"Vendor drift check {verdict}: {counts['broken']} broken, {counts['warning']} with "
        f"warnings, {counts['passed']} passed ({len(result.examples)} recordings)"
    )


def _md(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def _contract_cell(example: ExampleResult) -> str:
    if not example.contract.verified:
        return "not in any pact"
    return "ok" if example.contract.success else "**failed**"


def _output_cell(example: ExampleResult) -> str:
    check = example.output
    if not check.success:
        return "**failed**"
    if check.failed_step is not None:
        return f"fails at step {check.failed_step} as expected"
    return "ok"


def _details(example: ExampleResult) -> list[str]:
    lines: list[str] = []
    for mismatch in example.contract.mismatches:
        lines.append(f"- Contract ({example.contract.consumer}): {mismatch}")
    for problem in example.output.problems:
        lines.append(f"- Output: {problem}")
    for change in example.changes:
        lines.append(f"- Change ({change.severity}): {change.message}")
    return lines


def render_markdown(result: DriftResult) -> str:
    """The report as Markdown."""
    lines = [f"# {_headline(result)}", ""]
    source = f"Recordings: `{result.recordings}`"
    if result.recorded:
        source += f" (recorded {result.recorded})"
    source += (
        f", compared with `{result.previous}`"
        if result.previous
        else ", no previous run to compare with"
    )
    lines += [source + ".", ""]
    if result.examples:
        lines += [
            "| Result | Action | Example | Provider | Answer | Contract | Output | Changes |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for example in _sorted(result):
            answer = str(example.status) if example.status is not None else example.outcome
            if example.status is not None and example.outcome not in ("ok", "http-error"):
                answer += f" ({example.outcome})"
            changes = ", ".join(sorted({c.kind for c in example.changes})) or "-"
            mark = "**broken**" if example.verdict == "broken" else example.verdict
            lines.append(
                f"| {mark} | {_md(example.action)} | {_md(example.example)} | "
                f"{_md(example.provider)} | {answer} | {_contract_cell(example)} | "
                f"{_output_cell(example)} | {changes} |"
            )
        lines.append("")
    for verdict, title in (("broken", "Broken"), ("warning", "Warnings")):
        chosen = [e for e in _sorted(result) if e.verdict == verdict]
        if not chosen:
            continue
        lines += [f"## {title}", ""]
        for example in chosen:
            lines += [
                f"### {example.action} / {example.example}",
                "",
                f"Recording: `{example.recording}`",
                "",
            ]
            lines += [*_details(example), ""]
    info = [c for e in result.examples for c in e.changes if c.severity == "info"]
    if info:
        lines += ["## Harmless changes", ""]
        lines += [f"- {c.action} / {c.example}: {c.message}" for c in info]
        lines.append("")
    if result.missing:
        lines += ["## Recordings gone since the previous run", ""]
        lines += [f"- `{c.recording}` ({c.action} / {c.example})" for c in result.missing]
        lines.append("")
    if result.verifications:
        lines += ["## Pact verification", ""]
        for v in result.verifications:
            state = "passed" if v.success else "**failed**"
            text = (
                f"- `{v.provider}`: {state}, {v.interactions} interaction(s), {v.failures} failed"
            )
            if v.error:
                text += f"; the verifier could not run: {v.error}"
            if v.published_version:
                text += f"; results published as `{v.published_version}`"
            if v.environments:
                text += f", recorded as deployed to {', '.join(v.environments)}"
            lines.append(text)
            lines += [f"  - no recording for interaction {u}" for u in v.unmatched]
        lines.append("")
    if result.warnings:
        lines += ["## Notes", ""]
        lines += [f"- {w}" for w in result.warnings]
        lines.append("")
    return "\n".join(lines)


def render_json(result: DriftResult) -> str:
    """The report as pretty JSON."""
    return json.dumps(result.to_json(), indent=2, ensure_ascii=False) + "\n"


def render_junit(result: DriftResult) -> str:
    """The report as JUnit XML: a suite per provider, a test case per recording.

    Broken recordings are failures; warnings go to the case's ``system-out``. A pact
    interaction without a recording is a failed case of its own.
    """
    root = ET.Element("testsuites", name="actionpact drift")
    providers = sorted(
        {e.provider for e in result.examples} | {v.provider for v in result.verifications}
    )
    total = failures = 0
    for provider in providers:
        examples = [e for e in result.examples if e.provider == provider]
        verification = next((v for v in result.verifications if v.provider == provider), None)
        suite = ET.SubElement(root, "testsuite", name=provider)
        suite_failures = 0
        cases = 0
        for example in sorted(examples, key=lambda e: (e.action, e.example)):
            case = ET.SubElement(
                suite,
                "testcase",
                classname=f"{provider}.{example.action}",
                name=example.example,
                file=example.recording,
            )
            cases += 1
            details = _details(example)
            if example.verdict == "broken":
                suite_failures += 1
                first = (example.contract.mismatches or example.output.problems or ("broken",))[0]
                failure = ET.SubElement(case, "failure", message=first, type="drift")
                failure.text = "\n".join(details)
            elif details:
                ET.SubElement(case, "system-out").text = "\n".join(details)
        if verification is not None:
            for unmatched in verification.unmatched:
                case = ET.SubElement(
                    suite, "testcase", classname=f"{provider}.pact", name=unmatched
                )
                cases += 1
                suite_failures += 1
                ET.SubElement(
                    case,
                    "failure",
                    message=f"no recording for interaction {unmatched}",
                    type="drift",
                )
            if verification.error:
                case = ET.SubElement(
                    suite, "testcase", classname=f"{provider}.pact", name="verifier"
                )
                cases += 1
                suite_failures += 1
                ET.SubElement(case, "error", message=verification.error, type="verifier")
        suite.set("tests", str(cases))
        suite.set("failures", str(suite_failures))
        suite.set("errors", "0")
        suite.set("skipped", "0")
        total += cases
        failures += suite_failures
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("errors", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def render_text(result: DriftResult) -> str:
    """The report for a terminal: the headline, then one line per recording that needs a look."""
    lines = [_headline(result)]
    for example in _sorted(result):
        if example.verdict == "passed":
            continue
        lines.append(f"  {example.verdict.upper():8} {example.action} / {example.example}")
        lines += [f"           {line[2:]}" for line in _details(example)]
    for v in result.verifications:
        if v.error:
            lines.append(f"  verifier for {v.provider} could not run: {v.error}")
        lines += [f"  no recording for {v.provider} interaction {u}" for u in v.unmatched]
        if v.published_version:
            where = f", deployed to {', '.join(v.environments)}" if v.environments else ""
            lines.append(f"  published {v.provider} {v.published_version}{where}")
    lines += [f"  note: {w}" for w in result.warnings]
    return "\n".join(lines) + "\n"
