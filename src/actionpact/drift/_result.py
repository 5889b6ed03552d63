"""What a drift check found, as data: per example, per provider, and for the whole run."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from actionpact.drift._check import OutputCheck
    from actionpact.drift._compare import Change

__all__ = ["ContractCheck", "DriftResult", "ExampleResult", "ProviderVerification"]

Verdict = Literal["broken", "warning", "passed"]


@dataclass(frozen=True, slots=True)
class ContractCheck:
    """Step 1 for one recording: the pact interaction verified against it.

    Attributes:
        verified: an interaction of the pacts was checked against this recording.
        success: it passed (``True`` when nothing was verified).
        consumer: the pact's consumer. interaction: the interaction's description.
        mismatches: what the Pact verifier found wrong, one line each.
    """

    verified: bool
    success: bool = True
    consumer: str | None = None
    interaction: str | None = None
    mismatches: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The check as the JSON report shows it."""
        return {
            "verified": self.verified,
            "success": self.success,
            "consumer": self.consumer,
            "interaction": self.interaction,
            "mismatches": list(self.mismatches),
        }


@dataclass(frozen=True, slots=True)
class ExampleResult:
    """Everything drift says about one recording.

    Attributes:
        recording: the file name. action, example, provider: names.
        outcome: the recording's outcome. status: its HTTP status, if any.
        contract: step 1. output: step 2. changes: step 3 (since the previous run).
    """

    recording: str
    action: str
    example: str
    provider: str
    outcome: str
    status: int | None
    contract: ContractCheck
    output: OutputCheck
    changes: tuple[Change, ...] = ()

    @property
    def verdict(self) -> Verdict:
        """``broken`` when the contract or the output breaks; ``warning`` for any change since
        the previous run (harmless ones included: a person should still see them) or a
        recording no pact covers; ``passed`` otherwise."""
        if not self.contract.success or not self.output.success:
            return "broken"
        if not self.contract.verified or self.changes:
            return "warning"
        return "passed"

    def to_json(self) -> dict[str, Any]:
        """The example as the JSON report shows it."""
        return {
            "recording": self.recording,
            "action": self.action,
            "example": self.example,
            "provider": self.provider,
            "verdict": self.verdict,
            "outcome": self.outcome,
            "status": self.status,
            "contract": self.contract.to_json(),
            "output": self.output.to_json(),
            "changes": [change.to_json() for change in self.changes],
        }


@dataclass(frozen=True, slots=True)
class ProviderVerification:
    """Step 1 for one provider: the Pact verifier run against its recordings.

    Attributes:
        provider: the vendor's provider name. success: every interaction passed.
        interactions: how many were verified. failures: how many failed.
        unmatched: interactions that found no recording (``consumer: description``).
        sources: where the pacts came from. output: the verifier's own report.
        error: why the verifier could not run, if it could not.
        published_version: the provider version results were published under, if any.
        environments: where that version was recorded as deployed.
    """

    provider: str
    success: bool
    interactions: int = 0
    failures: int = 0
    unmatched: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    output: str = ""
    error: str | None = None
    published_version: str | None = None
    environments: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The verification as the JSON report shows it (without the verifier's text)."""
        return {
            "provider": self.provider,
            "success": self.success,
            "interactions": self.interactions,
            "failures": self.failures,
            "unmatched": list(self.unmatched),
            "sources": list(self.sources),
            "error": self.error,
            "publishedVersion": self.published_version,
            "environments": list(self.environments),
        }


@dataclass(frozen=True, slots=True)
class DriftResult:
    """The whole drift check.

    Attributes:
        recordings: the recordings folder. recorded: when that run started.
        previous: the folder compared with, if any. examples: one result per recording.
        verifications: one per provider. missing: recordings gone since the previous run.
        warnings: things a person should know that belong to no example.
    """

    recordings: str
    recorded: str | None
    previous: str | None
    examples: tuple[ExampleResult, ...]
    verifications: tuple[ProviderVerification, ...] = ()
    missing: tuple[Change, ...] = ()
    warnings: tuple[str, ...] = field(default=())

    @property
    def success(self) -> bool:
        """No contract and no output breaks."""
        return all(e.verdict != "broken" for e in self.examples) and all(
            v.success for v in self.verifications
        )

    @property
    def exit_code(self) -> int:
        """1 when something breaks, 0 otherwise (warnings included)."""
        return 0 if self.success else 1

    def counts(self) -> dict[str, int]:
        """How many examples are broken, warned about and passed."""
        counts = {"broken": 0, "warning": 0, "passed": 0}
        for example in self.examples:
            counts[example.verdict] += 1
        return counts

    def to_json(self) -> dict[str, Any]:
        """The JSON report."""
        return {
            "format": "actionpact-drift/1",
            "success": self.success,
            "exitCode": self.exit_code,
            "recordings": self.recordings,
            "recorded": self.recorded,
            "previous": self.previous,
            "summary": {"examples": len(self.examples), **self.counts()},
            "verifications": [v.to_json() for v in self.verifications],
            "examples": [e.to_json() for e in self.examples],
            "missing": [c.to_json() for c in self.missing],
            "warnings": list(self.warnings),
        }
