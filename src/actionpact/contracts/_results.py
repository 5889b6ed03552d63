"""What ``generate`` returns: per action, per consumer-provider pair, and coverage."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from actionpact.core import UNSET

if TYPE_CHECKING:
    from pathlib import Path

__all__ = [
    "ActionResult",
    "ActionStatus",
    "ExampleResult",
    "GenerateResult",
    "PairResult",
    "covered_fields",
    "output_fields",
]

ActionStatus = Literal["ok", "failed", "unsupported", "invalid"]


@dataclass(frozen=True, slots=True)
class ExampleResult:
    """How one example went.

    Attributes:
        name: the example's name. derived: made up by actionpact. description: the pact
        interaction's description (``None`` when the request never left Genesys).
        success: whether the example held. output: the Genesys output (``UNSET`` if none).
        error: why it did not hold. step: the Genesys test-mode step of the failure.
        expected_failure: the example expects the action to fail.
    """

    name: str
    derived: bool
    description: str | None
    success: bool
    output: Any = UNSET
    error: str | None = None
    step: int | None = None
    expected_failure: bool = False

    def to_json(self) -> dict[str, Any]:
        """The ``--output json`` shape."""
        return {
            "name": self.name,
            "derived": self.derived,
            "interaction": self.description,
            "success": self.success,
            "expectedFailure": self.expected_failure,
            "output": None if self.output is UNSET else self.output,
            "error": self.error,
            "step": self.step,
        }


@dataclass(frozen=True, slots=True)
class ActionResult:
    """One action's contract, or why it has none.

    Attributes:
        name, source, location, content_hash: which definition.
        consumer, provider: its pact. status: ``ok``, ``failed`` (an example did not hold),
        ``unsupported`` (placeholders, features not supported yet) or ``invalid`` (a
        template or path that does not parse). reason: why it has no contract.
        step: the failing Genesys step, when one failed. examples: per example.
        fields: the output fields the schema declares. covered: those filled (non-null) by
        at least one example. error: the exception behind ``invalid``, if any.
    """

    name: str
    source: Path | None
    location: str
    content_hash: str
    consumer: str
    provider: str
    status: ActionStatus
    reason: str | None = None
    step: int | None = None
    examples: tuple[ExampleResult, ...] = ()
    fields: tuple[str, ...] = ()
    covered: tuple[str, ...] = ()
    error: Exception | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        """Whether the action got a contract."""
        return self.status == "ok"

    @property
    def coverage(self) -> float:
        """Percent of declared output fields filled by an example (100 when none declared)."""
        if not self.fields:
            return 100.0
        return round(100.0 * len(self.covered) / len(self.fields), 1)

    @property
    def uncovered(self) -> tuple[str, ...]:
        """Declared output fields that no example fills."""
        covered = set(self.covered)
        return tuple(f for f in self.fields if f not in covered)

    @property
    def interactions(self) -> int:
        """How many pact interactions the action contributes."""
        return sum(1 for e in self.examples if e.description is not None) if self.ok else 0

    def to_json(self) -> dict[str, Any]:
        """The ``--output json`` shape."""
        return {
            "name": self.name,
            "source": str(self.source) if self.source is not None else None,
            "location": self.location,
            "contentHash": self.content_hash,
            "consumer": self.consumer,
            "provider": self.provider,
            "status": self.status,
            "reason": self.reason,
            "step": self.step,
            "coverage": self.coverage,
            "fields": list(self.fields),
            "uncovered": list(self.uncovered),
            "examples": [e.to_json() for e in self.examples],
        }


@dataclass(frozen=True, slots=True)
class PairResult:
    """One pact: a consumer-provider pair.

    Attributes:
        consumer, provider: the pair. file: the pact file (``None`` with ``--check`` or when
        no action of the pair got a contract). actions: actions with a contract.
        interactions: interactions in the pact. coverage: output fields filled, percent.
    """

    consumer: str
    provider: str
    file: Path | None
    actions: int
    interactions: int
    coverage: float

    def to_json(self) -> dict[str, Any]:
        """The ``--output json`` shape."""
        return {
            "consumer": self.consumer,
            "provider": self.provider,
            "file": str(self.file) if self.file is not None else None,
            "actions": self.actions,
            "interactions": self.interactions,
            "coverage": self.coverage,
        }


@dataclass(frozen=True, slots=True)
class GenerateResult:
    """The outcome of :func:`generate`.

    Attributes:
        pairs: one per consumer-provider pair, sorted. actions: one per definition, in the
        order read. written: whether pact files were written (not with ``check``).
        min_coverage: the coverage bar, percent. specification: ``V4`` or ``V3``.
    """

    pairs: tuple[PairResult, ...]
    actions: tuple[ActionResult, ...]
    written: bool
    min_coverage: float = 0.0
    specification: str = "V4"
    elapsed: float = field(default=0.0, compare=False)

    @property
    def failed(self) -> tuple[ActionResult, ...]:
        """Actions that did not get a contract."""
        return tuple(a for a in self.actions if not a.ok)

    @property
    def below_coverage(self) -> tuple[ActionResult, ...]:
        """Actions with a contract whose coverage is under the bar."""
        return tuple(a for a in self.actions if a.ok and a.coverage < self.min_coverage)

    @property
    def success(self) -> bool:
        """Every action got a contract and meets the coverage bar."""
        return not self.failed and not self.below_coverage

    def to_json(self) -> dict[str, Any]:
        """The whole result as one JSON object (``actionpact generate --output json``)."""
        return {
            "success": self.success,
            "written": self.written,
            "specification": self.specification,
            "minCoverage": self.min_coverage,
            "pairs": [p.to_json() for p in self.pairs],
            "actions": [a.to_json() for a in self.actions],
            "failed": [
                {"name": a.name, "source": str(a.source) if a.source else None, "reason": a.reason}
                for a in self.failed
            ],
            "belowCoverage": [
                {"name": a.name, "coverage": a.coverage, "uncovered": list(a.uncovered)}
                for a in self.below_coverage
            ],
        }


# --------------------------------------------------------------------------- coverage


def _field_paths(schema: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    if not isinstance(schema, Mapping) or len(prefix) > 8:
        return []
    properties = schema.get("properties")
    if not isinstance(properties, Mapping):
        return []
    paths: list[tuple[str, ...]] = []
    for name, sub in properties.items():
        path = (*prefix, str(name))
        nested = _field_paths(sub, path) if isinstance(sub, Mapping) else []
        if nested and sub.get("type", "object") == "object":
            paths.extend(nested)
        else:
            paths.append(path)
    return paths


def output_fields(schema: Any) -> tuple[str, ...]:
    """The output fields an output schema declares, flattened the way Architect shows them
    (``customer.name``; an array is one field)."""
    return tuple(".".join(path) for path in _field_paths(schema))


def _value_at(output: Any, path: tuple[str, ...]) -> Any:
    value = output
    for part in path:
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def covered_fields(schema: Any, outputs: list[Any]) -> tuple[str, ...]:
    """The declared fields that at least one output fills (not null, not ``[]``)."""
    covered = []
    for path in _field_paths(schema):
        for output in outputs:
            value = _value_at(output, path)
            if value is not None and value != []:
                covered.append(".".join(path))
                break
    return tuple(covered)
