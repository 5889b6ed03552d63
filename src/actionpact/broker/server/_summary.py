"""can-i-deploy's answer from a matrix result: deployable, reasons, counts, notices.

A port of the broker's ``DeploymentStatusSummary`` and ``ReasonDecorator``: ``deployable`` is
``False`` when a specified version does not exist or a considered row failed, ``None`` when a
verification is missing (a row without one, or a required integration without a row) and
``True`` otherwise, including when there are no rows at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from actionpact.broker.server._selectors import ResolvedSelector, UnresolvedSelector
from actionpact.broker.server.matrix import Integration, MatrixResult, MatrixRow

__all__ = ["Reason", "Summary", "summarize"]

WARN_NO_ENVIRONMENT = (
    "WARN: It is recommended to specify the environment into which you are deploying. "
    "Without the environment, this result will not be reliable."
)
WARN_NO_VERSION = (
    "WARN: It is recommended to specify the version number (rather than the tag or branch) "
    "of the pacticipant you wish to deploy to avoid race conditions. Without a version number, "
    "this result will not be reliable."
)


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason line and its notice type (``success``, ``warning``, ``error``)."""

    type: str
    text: str


@dataclass(frozen=True, slots=True)
class Summary:
    """The summary, notices and the result it was computed from."""

    deployable: bool | None
    reasons: tuple[Reason, ...]
    counts: dict[str, int]
    result: MatrixResult

    def summary_json(self) -> dict[str, Any]:
        """``{"deployable", "reason", "success", "failed", "unknown"[, "ignored"]}``."""
        return {
            "deployable": self.deployable,
            "reason": "\n".join(reason.text for reason in self.reasons),
            **self.counts,
        }

    def notices_json(self) -> list[dict[str, str]]:
        """``[{"type", "text"}]``, one per reason."""
        return [{"type": reason.type, "text": reason.text} for reason in self.reasons]


def _dummy_for_version(pid: int, name: str, vid: int, number: str) -> ResolvedSelector:
    return ResolvedSelector(pid, name, "inferred", False, UnresolvedSelector(), vid, number)


def _dummy_for_pacticipant(pid: int, name: str) -> ResolvedSelector:
    return ResolvedSelector(pid, name, "inferred", False, UnresolvedSelector())


class _Summarizer:
    def __init__(self, result: MatrixResult) -> None:
        self.result = result
        self.considered = result.considered_rows
        dummies: list[ResolvedSelector] = []
        for row in self.considered:
            dummies.append(
                _dummy_for_version(
                    row.consumer_id,
                    row.consumer_name,
                    row.consumer_version_id,
                    row.consumer_version_number,
                )
            )
            if row.provider_version_id is not None and row.provider_version_number is not None:
                dummies.append(
                    _dummy_for_version(
                        row.provider_id,
                        row.provider_name,
                        row.provider_version_id,
                        row.provider_version_number,
                    )
                )
            else:
                dummies.append(_dummy_for_pacticipant(row.provider_id, row.provider_name))
        for integration in result.integrations:
            dummies.append(
                _dummy_for_pacticipant(integration.consumer_id, integration.consumer_name)
            )
            dummies.append(
                _dummy_for_pacticipant(integration.provider_id, integration.provider_name)
            )
        self.dummies: list[ResolvedSelector] = []
        for dummy in dummies:
            if dummy not in self.dummies:
                self.dummies.append(dummy)
        self.missing = [
            integration
            for integration in result.integrations
            if integration.required
            and not any(
                row.consumer_id == integration.consumer_id
                and row.provider_id == integration.provider_id
                for row in result.rows
            )
        ]

    # ------------------------------------------------------------------ selectors for rows

    def selector_for(self, name: str, number: str | None) -> ResolvedSelector:
        found = [s for s in self.result.resolved_selectors if s.pacticipant_name == name]
        if len(found) == 1:
            return found[0]
        if number is not None:
            for selector in found:
                if selector.version_number == number:
                    return selector
        return next(s for s in self.dummies if s.pacticipant_name == name)

    def pair(self, item: MatrixRow | Integration) -> tuple[ResolvedSelector, ResolvedSelector]:
        if isinstance(item, MatrixRow):
            return (
                self.selector_for(item.consumer_name, item.consumer_version_number),
                self.selector_for(item.provider_name, item.provider_version_number),
            )
        return self.selector_for(item.consumer_name, None), self.selector_for(
            item.provider_name, None
        )

    # ------------------------------------------------------------------ the answer

    def deployable(self) -> bool | None:
        selectors = self.result.resolved_selectors
        if any(s.consider and s.specified_version_that_does_not_exist() for s in selectors):
            return False
        if any(row.success is None for row in self.considered):
            return None
        if self.missing:
            return None
        return all(row.success for row in self.considered)

    def counts(self) -> dict[str, int]:
        counts = {
            "success": sum(1 for row in self.considered if row.success),
            "failed": sum(1 for row in self.considered if row.success is False),
            "unknown": len(self.missing) + sum(1 for r in self.considered if r.success is None),
        }
        if self.result.resolved_ignore_selectors:
            counts["ignored"] = len(self.result.ignored_rows)
        return counts

    def warnings(self) -> list[Reason]:
        reasons = [
            Reason("warning", f"WARN: Cannot ignore {s.description()}")
            for s in self.result.resolved_ignore_selectors
            if s.pacticipant_or_version_does_not_exist()
        ]
        specified = [s for s in self.result.resolved_selectors if s.specified]
        options = self.result.options
        if len(specified) == 1 and not (
            options.tag or options.environment_name or options.main_branch
        ):
            reasons.append(Reason("warning", WARN_NO_ENVIRONMENT))
        with_criteria = [s for s in specified if not s.only_pacticipant_name_specified()]
        if with_criteria and not any(s.version_specified_in_original() for s in specified):
            reasons.append(Reason("warning", WARN_NO_VERSION))
        return reasons

    def errors(self) -> list[Reason]:
        reasons = [
            Reason("error", s.version_does_not_exist_description())
            for s in self.result.resolved_selectors
            if s.specified_version_that_does_not_exist() and s.consider
        ]
        if not reasons:
            for integration in self.missing:
                consumer, provider = self.pair(integration)
                reasons.append(Reason("error", _not_verified(consumer, provider)))
            for row in self.considered:
                if row.success is False:
                    consumer, provider = self.pair(row)
                    text = (
                        f"The verification for the pact between {consumer.description()} "
                        f"and {provider.description()} failed"
                    )
                    reasons.append(Reason("error", text))
            for row in self.considered:
                if row.success is None:
                    consumer, provider = self.pair(row)
                    reasons.append(Reason("error", _not_verified(consumer, provider)))
        unique: list[Reason] = []
        for reason in reasons:
            if reason not in unique:
                unique.append(reason)
        return unique

    def successes(self) -> list[Reason]:
        if all(row.success for row in self.considered) and not self.missing:
            if self.considered:
                return [
                    Reason(
                        "success", "All required verification results are published and successful"
                    )
                ]
            return [Reason("success", "There are no missing dependencies")]
        return []


def _not_verified(consumer: ResolvedSelector, provider: ResolvedSelector) -> str:
    return (
        f"There is no verified pact between {consumer.description()} and {provider.description()}"
    )


def summarize(result: MatrixResult) -> Summary:
    """Compute can-i-deploy's answer for a matrix result."""
    summarizer = _Summarizer(result)
    errors = summarizer.errors()
    reasons = summarizer.warnings() + (errors or summarizer.successes())
    return Summary(summarizer.deployable(), tuple(reasons), summarizer.counts(), result)
