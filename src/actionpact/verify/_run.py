"""Verify a provider with the real Pact verifier, then explain each failure in Genesys terms.

1. The Pact verifier runs (``contracts._pact.run_verifier``) against pact files or a broker,
   with provider states, custom headers, pending/WIP pacts and publishing as asked.
2. For each failing interaction, its request is replayed against the provider (same states,
   same custom headers), the actual body is compared with the contract's, and the Data Action
   the interaction came from is run on it to name what the Architect flow would get.
Every secret (custom header values, broker credentials) is masked in everything returned.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from actionpact.core.errors import ActionPactError, ConfigError
from actionpact.verify._engine import EngineRun, run_engine
from actionpact.verify._explain import Explainer, http_client, outcome
from actionpact.verify._masking import mask_secrets, masked_log_records
from actionpact.verify._model import VerificationReport
from actionpact.verify._options import CustomHeader, StateHandler, default_selectors
from actionpact.verify._pacts import PactInteraction, pact_files
from actionpact.verify._sources import (
    BrokerQuery,
    fetch_broker_interactions,
    read_file_interactions,
)

if TYPE_CHECKING:
    from pathlib import Path

    from actionpact.broker import BrokerSettings

__all__ = ["verify_provider"]

logger = logging.getLogger(__name__)

Progress = Callable[[str], None]


def verify_provider(
    provider: str,
    base_url: str,
    *,
    pacts: Sequence[Path] = (),
    broker: BrokerSettings | None = None,
    selectors: Sequence[Mapping[str, Any]] | None = None,
    enable_pending: bool = False,
    include_wip_since: str | None = None,
    provider_version: str | None = None,
    provider_branch: str | None = None,
    publish: bool = False,
    build_url: str | None = None,
    state_handler: StateHandler | str | None = None,
    headers: Sequence[CustomHeader] = (),
    definitions: Sequence[Path] = (),
    timeout: float = 30.0,
    on_progress: Progress | None = None,
) -> VerificationReport:
    """Verify ``provider`` at ``base_url`` and explain every failure's Genesys impact.

    Args:
        provider: the provider's name in the pacts.
        base_url: where the provider answers (``http://127.0.0.1:8080``, may have a path).
        pacts: pact files or folders; when given, the broker is not asked.
        broker: resolved broker settings (``actionpact.broker.resolve_broker_settings``); a
            local broker is served for the run when it has no URL.
        selectors: consumer version selectors; default: main branch, deployed or released,
            and matching branch (the last only with ``provider_branch``).
        enable_pending: a pending pact's failure is reported but does not fail the build.
        include_wip_since: include work-in-progress pacts since this ISO date.
        provider_version, provider_branch: the provider version verified and its branch.
        publish: publish the results to the broker (needs ``provider_version``).
        build_url: the CI build, published with the results.
        state_handler: a callable ``(state, action, params)``, or the provider's own
            state-change URL.
        headers: custom headers replacing or adding to every request's headers.
        definitions: folders (or files) to find Data Action definitions in, for the impact.
        timeout: seconds to wait for each provider answer.
        on_progress: called with a short message as the work advances.

    Raises:
        ConfigError: neither pacts nor a broker, publishing without a provider version, or
            publishing pact files (results go to a broker only).
        PactFileError: a pact path is missing or a file is not a pact.
    """
    say = on_progress or (lambda _message: None)
    if not pacts and broker is None:
        raise ConfigError("give pact files (--pacts) or a broker to verify against")
    if publish and not provider_version:
        raise ConfigError(
            "publishing verification results needs the provider version",
            setting="--provider-app-version",
        )
    if publish and pacts:
        raise ConfigError(
            "verification results can only be published for pacts from a broker",
            setting="--publish-verification-results",
        )
    if pacts:
        pact_files(list(pacts))  # a missing path is bad usage, before the engine starts
    request = _Request(
        provider=provider,
        base_url=base_url,
        pacts=tuple(pacts),
        selectors=tuple(selectors) if selectors else default_selectors(provider_branch),
        enable_pending=enable_pending,
        include_wip_since=include_wip_since,
        provider_branch=provider_branch,
        publish_version=provider_version if publish else None,
        build_url=build_url,
        state_handler=state_handler,
        headers={h.name: h.value for h in headers},
        timeout=timeout,
    )
    secrets = [value for h in headers for value in h.secrets]
    if broker is not None:
        secrets.extend(v for v in (broker.token, broker.password) if v)

    def mask(text: str) -> str:
        return mask_secrets(text, secrets)

    with masked_log_records(secrets):
        with _broker_url(broker if not pacts else None) as broker_url:
            say(f"verifying {provider} at {base_url} with the Pact verifier")
            run, interactions, errors = _verify_and_read(request, broker, broker_url, secrets)
        raw_outcomes = [
            r for r in run.results.get("interactionResults") or () if isinstance(r, Mapping)
        ]
        failing = sum(1 for r in raw_outcomes if r.get("result") != "OK")
        if failing:
            say(f"{failing} interaction(s) failed: replaying them to find the Genesys impact")
        explainer = Explainer(
            base_url,
            headers=request.headers,
            state_handler=state_handler,
            definitions=definitions,
            timeout=timeout,
            mask=mask,
        )
        try:
            outcomes = tuple(outcome(r, interactions, explainer, provider) for r in raw_outcomes)
        finally:
            explainer.close()
    errors.extend(_run_errors(run.results, raw_outcomes))
    # The verifier calls a failing state handler again and again: name each failure once.
    errors.extend(dict.fromkeys(run.state_errors))
    if not run.success and not errors and not outcomes:
        errors.append("the verifier found no pacts to verify" + _log_hint(run.log))
    passed = all(o.passed for o in outcomes)
    return VerificationReport(
        provider=provider,
        base_url=base_url,
        outcomes=outcomes,
        errors=tuple(mask(e) for e in errors),
        notices=tuple(mask(n) for n in _notices(run.results, passed=passed, published=publish)),
        published_version=request.publish_version,
        output=run.output,
    )


@dataclass(frozen=True, slots=True)
class _Request:
    """What the verifier is asked to do, once the options are checked."""

    provider: str
    base_url: str
    pacts: tuple[Path, ...]
    selectors: tuple[Mapping[str, Any], ...]
    enable_pending: bool
    include_wip_since: str | None
    provider_branch: str | None
    publish_version: str | None
    build_url: str | None
    state_handler: StateHandler | str | None
    headers: Mapping[str, str] = field(repr=False)
    timeout: float


def _verify_and_read(
    request: _Request,
    broker: BrokerSettings | None,
    broker_url: str | None,
    secrets: Sequence[str],
) -> tuple[EngineRun, dict[tuple[str, str, tuple[str, ...]], PactInteraction], list[str]]:
    """Run the verifier, then read the pacts it verified (to name actions and replay)."""
    from actionpact.contracts import BrokerSourceSettings, PublishOptions

    source: BrokerSourceSettings | None = None
    query: BrokerQuery | None = None
    if broker is not None and broker_url is not None:
        source = BrokerSourceSettings(
            broker_url, token=broker.token, username=broker.username, password=broker.password
        )
        query = BrokerQuery(
            broker_url,
            token=broker.token,
            username=broker.username,
            password=broker.password,
            selectors=request.selectors,
            enable_pending=request.enable_pending,
            include_wip_since=request.include_wip_since,
            provider_branch=request.provider_branch,
        )
    publish = None
    if request.publish_version is not None:
        publish = PublishOptions(
            request.publish_version, branch=request.provider_branch, build_url=request.build_url
        )
    run = run_engine(
        request.provider,
        base_url=request.base_url,
        pact_sources=list(request.pacts) or None,
        broker=source,
        selectors=request.selectors if source is not None else (),
        state_handler=request.state_handler,
        custom_headers=request.headers,
        publish=publish,
        enable_pending=request.enable_pending,
        include_wip_since=request.include_wip_since,
        provider_branch=request.provider_branch,
        request_timeout=request.timeout,
        secrets=secrets,
    )
    interactions: dict[tuple[str, str, tuple[str, ...]], PactInteraction] = {}
    errors: list[str] = []
    if run.results.get("interactionResults"):
        try:
            found = _read_again(request.pacts, query, request.provider, request.timeout)
        except ActionPactError as error:
            errors.append(f"cannot read the pacts again to explain the results: {error}")
            found = []
        for interaction in found:
            interactions.setdefault(interaction.key, interaction)
    return run, interactions, errors


# ---------------------------------------------------------------------- parts


@contextmanager
def _broker_url(broker: BrokerSettings | None) -> Iterator[str | None]:
    """The broker's URL; the embedded local broker is served meanwhile when none is set."""
    if broker is None:
        yield None
        return
    if broker.base_url is not None:
        yield broker.base_url
        return
    from actionpact.broker.server import serve_in_thread

    broker.local_db.parent.mkdir(parents=True, exist_ok=True)
    with serve_in_thread(broker.local_db) as url:
        yield url


def _read_again(
    pacts: Sequence[Path], query: BrokerQuery | None, provider: str, timeout: float
) -> list[PactInteraction]:
    if pacts:
        return read_file_interactions(list(pacts))
    if query is None:
        return []
    with http_client(timeout) as client:
        return fetch_broker_interactions(query, provider, client)


def _run_errors(results: Mapping[str, Any], raw_outcomes: list[Mapping[str, Any]]) -> list[str]:
    """The verifier's errors that belong to no interaction (a pact that failed to load)."""
    named = {
        f"{r.get('description')}" for r in raw_outcomes if isinstance(r.get("description"), str)
    }
    found: list[str] = []
    for error in results.get("errors") or ():
        if not isinstance(error, Mapping):
            continue
        interaction = str(error.get("interaction") or "")
        if any(interaction.endswith(f" - {name}") or interaction == name for name in named):
            continue
        mismatch = error.get("mismatch")
        message = mismatch.get("message") if isinstance(mismatch, Mapping) else None
        found.append(f"{interaction}: {message}" if message else interaction)
    return found


def _notices(results: Mapping[str, Any], *, passed: bool, published: bool) -> list[str]:
    """The broker's notices that apply: before verification, and after it for this outcome.

    The broker sends every variant (``after_verification:success_true_published_false``...)
    and leaves the choice to the client, as its docs ask.
    """
    after = f"after_verification:success_{str(passed).lower()}_published_{str(published).lower()}"
    found: list[str] = []
    for notice in results.get("notices") or ():
        if isinstance(notice, str):
            found.append(notice)
        elif isinstance(notice, Mapping) and notice.get("text"):
            when = notice.get("when")
            if when in (None, "before_verification", after):
                found.append(str(notice["text"]))
    return list(dict.fromkeys(found))


def _log_hint(log: str) -> str:
    last = [line for line in log.splitlines() if line.strip()]
    return f": {last[-1].strip()}" if last else ""
