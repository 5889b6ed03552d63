"""Explaining each interaction's outcome: replay, body changes, Genesys impact, masking.

``Explainer`` replays a failing interaction's request against the provider (same states,
same custom headers), compares the actual body with the contract's, finds the Data Action
and its example, and runs the action on the answer. ``outcome`` turns one verifier result
into an :class:`InteractionOutcome`, with every text masked.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from actionpact.core import UNSET
from actionpact.verify._definitions import DefinitionFinder
from actionpact.verify._diff import compare_bodies
from actionpact.verify._examples import ExampleContext, example_context
from actionpact.verify._impact import GenesysImpact, assess_impact
from actionpact.verify._mismatch import Mismatch, read_mismatches
from actionpact.verify._model import InteractionOutcome
from actionpact.verify._pacts import PactInteraction, interaction_key
from actionpact.verify._replay import replay, state_runner

if TYPE_CHECKING:
    from pathlib import Path

    import httpx

    from actionpact.contracts import SpecFile
    from actionpact.core.errors import ActionPactError
    from actionpact.verify._diff import FieldChange
    from actionpact.verify._options import StateHandler

__all__ = ["Explainer", "http_client", "outcome"]


def http_client(timeout: float) -> httpx.Client:
    """The HTTP client replays and broker reads share."""
    import httpx

    return httpx.Client(timeout=timeout, follow_redirects=True)


class Explainer:
    """Replays failing interactions and runs their Data Actions, sharing one HTTP client."""

    def __init__(
        self,
        base_url: str,
        *,
        headers: Mapping[str, str],
        state_handler: StateHandler | str | None,
        definitions: Sequence[Path],
        timeout: float,
        mask: Callable[[str], str],
    ) -> None:
        self.base_url = base_url
        self.headers = list(headers.items())
        self.state_handler = state_handler
        self.finder = DefinitionFinder(definitions)
        self._contexts: dict[tuple[str, str, str, str | None], ExampleContext] = {}
        self._specs: dict[Path, SpecFile | ActionPactError] = {}
        self.timeout = timeout
        self.mask = mask
        self._http: httpx.Client | None = None

    @property
    def http(self) -> httpx.Client:
        if self._http is None:
            self._http = http_client(self.timeout)
        return self._http

    def close(self) -> None:
        if self._http is not None:
            self._http.close()

    def explain(
        self, interaction: PactInteraction
    ) -> tuple[list[FieldChange], GenesysImpact | None, str | None]:
        """The body's changes, the Genesys impact, and why either is unknown."""
        replayed = replay(
            interaction,
            base_url=self.base_url,
            client=self.http,
            headers=self.headers,
            states=state_runner(self.state_handler, self.http),
        )
        if replayed.error is not None:
            return [], None, f"not replayed: {replayed.error}"
        changes: list[FieldChange] = []
        if interaction.body is not UNSET and replayed.body is not UNSET:
            changes = compare_bodies(interaction.body, replayed.body)
        origin = interaction.origin
        if origin is None:
            return (
                changes,
                None,
                (
                    "the Genesys impact is unknown: this interaction does not name the Data Action "
                    "it came from (generate pacts with `actionpact generate`)"
                ),
            )
        found = self.finder.find(origin)
        if found.definition is None:
            return changes, None, found.note
        definition = found.definition
        key = (str(definition.source), definition.location, definition.name, origin.example)
        context = self._contexts.get(key)
        if context is None:
            context = example_context(definition, origin, specs=self._specs)
            self._contexts[key] = context
        impact = assess_impact(
            interaction,
            found.definition,
            replayed,
            changes,
            given=context.input,
            middleware=context.middleware,
            note=found.note or context.note,
        )
        return changes, impact, None


def outcome(
    raw: Mapping[str, Any],
    interactions: Mapping[tuple[str, str, tuple[str, ...]], PactInteraction],
    explainer: Explainer,
    provider: str,
) -> InteractionOutcome:
    states = tuple(str(s) for s in raw.get("providerStates") or ())
    consumer = str(raw.get("consumer") or "")
    description = str(raw.get("description") or "")
    interaction = interactions.get(interaction_key(consumer, description, states))
    passed = raw.get("result") == "OK"
    origin = interaction.origin if interaction is not None else None
    outcome = InteractionOutcome(
        consumer=consumer,
        provider=str(raw.get("provider") or provider),
        description=description,
        states=states,
        action=origin.action if origin is not None else None,
        example=origin.example if origin is not None else None,
        passed=passed,
        pending=bool(raw.get("pending")),
    )
    if passed:
        return outcome
    mismatches = read_mismatches(raw.get("mismatch"))
    if interaction is None:
        return dataclasses.replace(
            outcome,
            mismatches=tuple(mismatches),
            note="the Genesys impact is unknown: the interaction could not be read again",
        )
    changes, impact, note = explainer.explain(interaction)
    breaking = [c for c in changes if c.breaking]
    return dataclasses.replace(
        outcome,
        mismatches=tuple(
            _mask_mismatch(m, explainer.mask) for m in _unexplained(mismatches, breaking)
        ),
        changes=tuple(_mask_change(c, explainer.mask) for c in breaking),
        impact=_mask_impact(impact, explainer.mask) if impact is not None else None,
        note=explainer.mask(note) if note else None,
    )


def _unexplained(mismatches: list[Mismatch], changes: list[FieldChange]) -> list[Mismatch]:
    """The verifier's body mismatches that the replayed changes do not already explain."""
    if not changes:
        return mismatches
    paths = [c.path for c in changes]
    kept: list[Mismatch] = []
    for mismatch in mismatches:
        path = mismatch.path
        if mismatch.kind == "BodyMismatch" and path and any(_under(p, path) for p in paths):
            continue
        kept.append(mismatch)
    return kept


def _under(path: str, parent: str) -> bool:
    return path == parent or path.startswith((f"{parent}.", f"{parent}[")) or parent == "$"


def _mask_mismatch(mismatch: Mismatch, mask: Callable[[str], str]) -> Mismatch:
    return dataclasses.replace(
        mismatch,
        text=mask(mismatch.text),
        detail=mask(mismatch.detail) if mismatch.detail else mismatch.detail,
    )


def _mask_change(change: FieldChange, mask: Callable[[str], str]) -> FieldChange:
    return dataclasses.replace(
        change,
        path=mask(change.path),
        key=mask(change.key) if change.key else change.key,
        new_key=mask(change.new_key) if change.new_key else change.new_key,
    )


def _mask_value(value: Any, mask: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, list):
        return [_mask_value(v, mask) for v in value]
    if isinstance(value, Mapping):
        return {mask(str(k)): _mask_value(v, mask) for k, v in value.items()}
    return value


def _mask_impact(impact: GenesysImpact, mask: Callable[[str], str]) -> GenesysImpact:
    failure = impact.failure
    return dataclasses.replace(
        impact,
        note=mask(impact.note) if impact.note else impact.note,
        failure=dataclasses.replace(failure, message=mask(_short(failure.message)))
        if failure is not None
        else None,
        outputs=tuple(
            dataclasses.replace(
                o, expected=_mask_value(o.expected, mask), actual=_mask_value(o.actual, mask)
            )
            for o in impact.outputs
        ),
    )


def _short(text: str, limit: int = 500) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
