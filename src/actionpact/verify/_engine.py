"""Running the Pact verifier (``contracts._pact.run_verifier``) the way ``verify`` needs it.

Three habits of the engine are kept away from the user here:

- the FFI prints its report on the process's own stdout/stderr: the library never prints,
  and ``--output json`` must stay one object, so file descriptors 1 and 2 are redirected to a
  scratch file for the run (the report is read from the verifier instead);
- pact-python calls a Python state handler by parameter name (``state``, ``action``,
  ``parameters``), so a user's ``(state, action, params)`` function is wrapped; and a
  state-change URL becomes a handler that POSTs what the Pact verifier would post;
- secrets are masked in everything that comes back, token parts included.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import tempfile
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from actionpact.verify._masking import mask_secrets, mask_value

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping, Sequence
    from pathlib import Path

    from actionpact.verify._options import StateHandler

__all__ = ["EngineRun", "run_engine"]

_LOCK = threading.Lock()
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


@dataclass(frozen=True, slots=True)
class EngineRun:
    """One run of the Pact verifier, secrets masked.

    Attributes:
        success: whether the verifier passed (failures of pending pacts do not count).
        results: its JSON results (``interactionResults`` with ``pending``, ``errors``...).
        output: its report as plain text. log: what the engine printed besides.
        state_errors: failures of the Python state handler, in order.
    """

    success: bool
    results: Mapping[str, Any]
    output: str
    log: str
    state_errors: tuple[str, ...] = ()


def run_engine(
    provider: str,
    *,
    base_url: str,
    pact_sources: Sequence[Path] | None,
    broker: Any,
    selectors: Sequence[Mapping[str, Any]],
    state_handler: StateHandler | str | None,
    custom_headers: Mapping[str, str],
    publish: Any,
    enable_pending: bool,
    include_wip_since: str | None,
    provider_branch: str | None,
    request_timeout: float,
    secrets: Sequence[str],
) -> EngineRun:
    """Run the verifier with the engine's output caught and every secret masked.

    ``broker`` and ``publish`` are ``contracts._pact`` settings objects (or ``None``).

    Raises:
        VerificationError: the verifier could not be set up.
    """
    from actionpact.contracts import run_verifier

    errors: list[str] = []
    handler = _adapt(state_handler, errors, request_timeout)
    captured: list[str] = []
    with _captured_output(captured):
        outcome = run_verifier(
            provider,
            base_url=base_url,
            pact_sources=list(pact_sources) if pact_sources else None,
            broker=broker,
            selectors=selectors,
            state_handler=handler,
            custom_headers=custom_headers,
            publish=publish,
            enable_pending=enable_pending,
            include_wip_since=include_wip_since,
            provider_branch=provider_branch,
            request_timeout=request_timeout,
            secrets=secrets,
        )
    output = _ANSI.sub("", str(outcome.output))
    printed = _ANSI.sub("", "\n".join(captured)).replace(output.strip(), "")
    log = "\n".join(part.strip() for part in (printed, str(outcome.log or "")) if part.strip())
    return EngineRun(
        success=bool(outcome.success),
        results=mask_value(dict(outcome.results), secrets),
        output=mask_secrets(output, secrets),
        log=mask_secrets(log, secrets),
        state_errors=tuple(mask_secrets(e, secrets) for e in errors),
    )


def _adapt(
    handler: StateHandler | str | None, errors: list[str], timeout: float
) -> Callable[[str, str, Mapping[str, Any] | None], None] | None:
    """A state handler pact-python can call, whatever the user gave."""
    if handler is None:
        return None
    target = _post_to(handler, timeout) if isinstance(handler, str) else handler

    # pact-python passes arguments by these exact names.
    def state_handler(state: str, action: str, parameters: Mapping[str, Any] | None) -> None:
        try:
            target(state, action, dict(parameters or {}))
        except Exception as error:
            errors.append(f"provider state {state!r} ({action}) failed: {error}")
            raise

    return state_handler


def _post_to(url: str, timeout: float) -> StateHandler:
    def post(state: str, action: str, params: Mapping[str, Any]) -> None:
        import httpx

        # What the Pact verifier itself posts to a state-change URL.
        response = httpx.post(
            url, json={"state": state, "params": dict(params), "action": action}, timeout=timeout
        )
        if response.status_code >= 300:
            raise RuntimeError(f"{url} answered HTTP {response.status_code}")

    return post


@contextlib.contextmanager
def _captured_output(into: list[str]) -> Iterator[None]:
    """Catch what the engine writes on file descriptors 1 and 2 while it runs.

    The descriptors belong to the whole process, so runs are serialised.
    """
    with _LOCK, tempfile.TemporaryFile() as sink:
        sys.stdout.flush()
        sys.stderr.flush()
        saved = (os.dup(1), os.dup(2))
        try:
            os.dup2(sink.fileno(), 1)
            os.dup2(sink.fileno(), 2)
            yield
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])
            sink.seek(0)
            into.append(sink.read().decode("utf-8", errors="replace"))
