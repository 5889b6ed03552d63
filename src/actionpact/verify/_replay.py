"""Send a failing interaction's request to the provider again and keep what comes back.

The verifier says *that* a body did not match; to say what Genesys would make of it,
actionpact needs the body itself. The request goes out as the verifier sent it: the pact's
request, the custom headers replacing or adding to its headers, after the same provider-state
setup (and followed by its teardown).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from actionpact.core import UNSET

if TYPE_CHECKING:
    import httpx

    from actionpact.verify._options import StateHandler
    from actionpact.verify._pacts import PactInteraction

__all__ = ["Replay", "StateRunner", "replay", "state_runner"]

logger = logging.getLogger(__name__)

StateRunner = Callable[[str, str, Mapping[str, Any]], None]
_MAX_BODY = 10 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Replay:
    """The provider's answer to a replayed request.

    Attributes:
        status: the HTTP status, or ``None`` when the request failed.
        headers: the response headers (lower-case names).
        text: the body as text. body: the parsed JSON body, or ``UNSET`` when it is not JSON.
        error: why the request or a state change failed, or ``None``.
    """

    status: int | None
    headers: Mapping[str, str] = field(default_factory=dict)
    text: str = ""
    body: Any = UNSET
    error: str | None = None


def state_runner(handler: StateHandler | str | None, client: httpx.Client) -> StateRunner | None:
    """A callable running a provider state: the Python handler, or a POST to the state URL.

    The URL receives what the Pact verifier sends: ``{"state", "params", "action"}``.
    """
    if handler is None:
        return None
    if callable(handler):
        return handler
    url = handler

    def post(state: str, action: str, params: Mapping[str, Any]) -> None:
        response = client.post(url, json={"state": state, "params": dict(params), "action": action})
        if response.status_code >= 300:
            raise RuntimeError(f"the state-change URL answered HTTP {response.status_code}")

    return post


def replay(
    interaction: PactInteraction,
    *,
    base_url: str,
    client: httpx.Client,
    headers: Sequence[tuple[str, str]] = (),
    states: StateRunner | None = None,
) -> Replay:
    """Set up the provider states, send the interaction's request, then tear the states down.

    Never raises for the provider's sake: a connection error, a failing state change or a
    body that is not JSON is recorded in the :class:`Replay`.
    """
    import httpx

    request = interaction.request
    try:
        if states is not None:
            for state in interaction.states:
                states(state.name, "setup", state.params)
    except Exception as error:
        return Replay(None, error=f"provider state setup failed: {type(error).__name__}: {error}")
    try:
        response = client.request(
            request.method,
            base_url.rstrip("/") + request.path,
            params=list(request.query) or None,
            headers=_merge_headers(request.headers, headers),
            content=request.body,
        )
    except httpx.HTTPError as error:
        return Replay(None, error=f"the request failed: {type(error).__name__}: {error}")
    finally:
        _teardown(interaction, states)
    text = response.content[:_MAX_BODY].decode(response.encoding or "utf-8", errors="replace")
    body: Any = UNSET
    if text.strip():
        try:
            body = json.loads(text)
        except ValueError:
            body = UNSET
    return Replay(
        status=response.status_code,
        headers={k.lower(): v for k, v in response.headers.items()},
        text=text,
        body=body,
    )


def _teardown(interaction: PactInteraction, states: StateRunner | None) -> None:
    if states is None:
        return
    for state in interaction.states:
        try:
            states(state.name, "teardown", state.params)
        except Exception as error:
            logger.warning("provider state teardown of %r failed: %s", state.name, error)


def _merge_headers(
    pact_headers: Sequence[tuple[str, str]], custom: Sequence[tuple[str, str]]
) -> list[tuple[str, str]]:
    """The pact's headers, with each custom header replacing any of the same name."""
    replaced = {name.lower() for name, _ in custom}
    merged = [(n, v) for n, v in pact_headers if n.lower() not in replaced]
    merged.extend(custom)
    return merged
