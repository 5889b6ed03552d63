"""The result of a provider verification: one outcome per interaction, grouped by action."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from actionpact.core import UNSET

if TYPE_CHECKING:
    from collections.abc import Iterator

    from actionpact.verify._diff import FieldChange
    from actionpact.verify._impact import GenesysImpact
    from actionpact.verify._mismatch import Mismatch

__all__ = ["InteractionOutcome", "OutcomeStatus", "VerificationReport"]

OutcomeStatus = Literal["passed", "failed", "pending"]
NO_ACTION = "(interactions without a Data Action)"


@dataclass(frozen=True, slots=True)
class InteractionOutcome:
    """How one interaction fared.

    Attributes:
        consumer, provider: the pact's pacticipants. description: the interaction's.
        states: its provider state names.
        action: the Data Action it was generated from, when known. example: the example.
        passed: whether the verifier accepted the provider's answer.
        pending: whether its pact is pending (a failure then does not fail the build).
        mismatches: what the verifier found, in plain words, minus what ``changes`` explains.
        changes: the body's breaking changes found by replaying the request.
        impact: what the Architect flow would get, when the action could be run.
        note: why the impact is unknown (replay failed, definition not found), if so.
    """

    consumer: str
    provider: str
    description: str
    states: tuple[str, ...]
    action: str | None
    example: str | None
    passed: bool
    pending: bool = False
    mismatches: tuple[Mismatch, ...] = ()
    changes: tuple[FieldChange, ...] = ()
    impact: GenesysImpact | None = None
    note: str | None = None

    @property
    def name(self) -> str:
        """The example's name, or the interaction's description."""
        return self.example or self.description

    @property
    def status(self) -> OutcomeStatus:
        """``passed``, ``failed``, or ``pending`` (failed, but its pact is pending)."""
        if self.passed:
            return "passed"
        return "pending" if self.pending else "failed"

    @property
    def fails_build(self) -> bool:
        """Whether this outcome fails the provider's build."""
        return not self.passed and not self.pending

    def problems(self) -> list[str]:
        """The mismatch in plain words, one sentence each."""
        lines = [c.describe() for c in self.changes if c.breaking]
        lines.extend(m.text for m in self.mismatches)
        return lines

    def impact_lines(self) -> list[str]:
        """The Genesys impact in plain words, or why it is unknown."""
        lines = self.impact.lines() if self.impact is not None else []
        if self.note:
            lines.append(self.note)
        return lines

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready view for ``--output json``."""
        data: dict[str, Any] = {
            "consumer": self.consumer,
            "description": self.description,
            "example": self.example,
            "states": list(self.states),
            "status": self.status,
            "pending": self.pending,
        }
        if self.passed:
            return data
        data["problems"] = self.problems()
        data["mismatches"] = [
            {"type": m.kind, "text": m.text, "path": m.path, "verifier": m.detail}
            for m in self.mismatches
        ]
        data["changes"] = [
            {
                "kind": c.kind,
                "path": c.path,
                "key": c.key,
                "newKey": c.new_key,
                "expectedType": c.expected_type,
                "actualType": c.actual_type,
            }
            for c in self.changes
        ]
        data["impact"] = _impact_json(self.impact)
        data["impactText"] = self.impact_lines()
        data["note"] = self.note
        return data


def _impact_json(impact: GenesysImpact | None) -> dict[str, Any] | None:
    if impact is None:
        return None
    failure = impact.failure
    return {
        "action": impact.action,
        "assessed": impact.assessed,
        "definitionFile": impact.definition_file,
        "note": impact.note,
        "fails": (
            {"step": failure.step, "stepName": failure.step_name, "message": failure.message}
            if failure is not None
            else None
        ),
        "outputs": [
            {
                "output": o.output,
                "change": o.change,
                "expected": o.expected,
                "actual": None if o.actual is UNSET else o.actual,
                "missing": o.actual is UNSET,
            }
            for o in impact.outputs
        ],
        "variables": [
            {"key": v.key, "expression": v.expression, "change": v.change, "default": v.default}
            for v in impact.variables
        ],
    }


@dataclass(frozen=True, slots=True)
class VerificationReport:
    """The result of verifying a provider.

    Attributes:
        provider: the provider verified. base_url: where it answered.
        outcomes: one per interaction the verifier ran, in its order.
        errors: failures not tied to one interaction (a pact that cannot be loaded, no pacts).
        notices: the broker's notices (pending, WIP) as text.
        published_version: the provider version results were published for, if any.
        output: the verifier's own report (secrets masked).
    """

    provider: str
    base_url: str
    outcomes: tuple[InteractionOutcome, ...]
    errors: tuple[str, ...] = ()
    notices: tuple[str, ...] = ()
    published_version: str | None = None
    output: str = field(default="", repr=False)

    @property
    def success(self) -> bool:
        """No failure counts against the build (pending failures do not)."""
        return not self.errors and not any(o.fails_build for o in self.outcomes)

    @property
    def exit_code(self) -> int:
        """0 when the build may pass, 1 otherwise."""
        return 0 if self.success else 1

    def counts(self) -> dict[str, int]:
        """How many interactions passed, failed, and failed while pending."""
        counts = {"passed": 0, "failed": 0, "pending": 0}
        for outcome in self.outcomes:
            counts[outcome.status] += 1
        return counts

    def by_action(self) -> Iterator[tuple[str, list[InteractionOutcome]]]:
        """Outcomes grouped by Data Action, actions in order of first appearance."""
        groups: dict[str, list[InteractionOutcome]] = {}
        for outcome in self.outcomes:
            groups.setdefault(outcome.action or NO_ACTION, []).append(outcome)
        yield from groups.items()

    def to_json(self) -> dict[str, Any]:
        """One JSON object for ``--output json``."""
        return {
            "provider": self.provider,
            "baseUrl": self.base_url,
            "success": self.success,
            "summary": self.counts(),
            "publishedVersion": self.published_version,
            "errors": list(self.errors),
            "notices": list(self.notices),
            "actions": [
                {
                    "action": None if name == NO_ACTION else name,
                    "examples": [o.to_json() for o in group],
                }
                for name, group in self.by_action()
            ],
        }
