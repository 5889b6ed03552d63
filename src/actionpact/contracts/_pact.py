"""The one module that imports ``pact``: build interactions, exercise them, write, verify.

Interactions are built from plain data (:class:`InteractionSpec`), so everything before this
module stays free of the Pact engine. They are exercised in small batches, one mock server per
batch and one kept-alive connection per server: the mock server's cost per request grows with
the number of interactions it holds (about 0.2 ms per interaction per request here), so a
batch of four answers in well under a millisecond a request, where one server holding a
thousand would take a second. Once every example is judged, each consumer-provider pair's pact
is built once more from the interactions that held and written by pact itself, which sorts
interactions and keys: the same definitions always give the same bytes.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from actionpact.contracts._http import LocalClient
from actionpact.contracts._join import PactJoiner
from actionpact.contracts._matchers import Contains, EachLike, Like, Rule, Term, example_of
from actionpact.core import UNSET, Unset
from actionpact.core.errors import ContractError, VerificationError

if TYPE_CHECKING:
    from actionpact.contracts._spec import ProviderState

__all__ = [
    "BrokerSourceSettings",
    "Exchange",
    "HttpRequest",
    "HttpResponse",
    "InteractionSpec",
    "PublishOptions",
    "VerificationOutcome",
    "build_pact",
    "build_pact_parts",
    "exercise_batch",
    "mask_secrets",
    "pact_file_name",
    "run_verifier",
    "verify_pacts",
]

logger = logging.getLogger("actionpact.contracts")

# pact-python reports anonymous usage unless told not to; a contract generator must not
# phone home (and tests allow network to 127.0.0.1 only).
os.environ.setdefault("PACT_DO_NOT_TRACK", "true")

_SAFE_PATH = "/%:@!$&'()*+,;=-._~"
# Interactions per pact part when writing (see build_pact): bounds the writer's memory.
WRITE_CHUNK = 100


@dataclass(frozen=True, slots=True)
class HttpRequest:
    """A request as the pact states it.

    Attributes:
        method: upper case. path: the path as sent, percent-encoded.
        query: (name, value, regex) in order; values decoded; a regex makes it a matcher.
        headers: (name, value, regex); a regex makes it a matcher (credentials).
        body: the body text, if any. content_type: its media type.
    """

    method: str
    path: str
    query: tuple[tuple[str, str, str | None], ...] = ()
    headers: tuple[tuple[str, str, str | None], ...] = ()
    body: str | None = None
    content_type: str | None = None

    def target(self) -> str:
        """The request target sent to the mock server: path and encoded query."""
        path = quote(self.path, safe=_SAFE_PATH)
        if not self.query:
            return path
        pairs = "&".join(
            f"{quote(name, safe='')}={quote(value, safe='')}" for name, value, _ in self.query
        )
        return f"{path}?{pairs}"


@dataclass(frozen=True, slots=True)
class HttpResponse:
    """A response as the pact states it: status, headers, body rules (``UNSET``: no body)."""

    status: int
    headers: tuple[tuple[str, str], ...] = ()
    body: Rule | Unset = UNSET
    content_type: str | None = "application/json"


@dataclass(frozen=True, slots=True)
class InteractionSpec:
    """Everything one pact interaction says, as plain data.

    Attributes:
        description: unique within its pact. states: provider states.
        request, response: the two halves. origin: where it came from (definition name,
            content hash, source file, example), recorded in the pact.
    """

    description: str
    states: tuple[ProviderState, ...]
    request: HttpRequest
    response: HttpResponse
    origin: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True, slots=True)
class Exchange:
    """What the mock server answered to one interaction's request.

    Attributes:
        status: HTTP status. content_type: the response's Content-Type.
        body: the raw body. mismatches: what the mock server found wrong, if anything.
    """

    status: int
    content_type: str | None
    body: bytes
    mismatches: tuple[str, ...] = ()


def pact_file_name(consumer: str, provider: str) -> str:
    """The file name pact gives a pact: ``<consumer>-<provider>.json``."""
    return f"{consumer}-{provider}.json"


# --------------------------------------------------------------------------- building


def _to_matcher(rule: Rule) -> Any:
    from pact import match

    if isinstance(rule, dict):
        return {key: _to_matcher(value) for key, value in rule.items()}
    if isinstance(rule, Like):
        if rule.kind == "integer":
            return match.integer(rule.value)
        if rule.kind == "number":
            return match.number(rule.value)
        if rule.kind == "boolean":
            return match.boolean(rule.value)
        if rule.min is not None:
            return match.like(rule.value, min=rule.min)
        return match.like(rule.value)
    if isinstance(rule, Term):
        return match.regex(rule.value, regex=rule.pattern)
    if isinstance(rule, EachLike):
        first = _to_matcher(rule.items[0])
        rest = [example_of(item) for item in rule.items[1:]]
        # like([...], min=) keeps every example element (each_like keeps one); the first
        # element's matchers become the `[*]` rules every element must meet.
        return match.like([first, *rest], min=rule.min)
    if isinstance(rule, Contains):
        return match.array_containing([_to_matcher(v) for v in rule.variants])
    return rule


def _add(pact: Any, spec: InteractionSpec, specification: str, *, comments: bool = True) -> None:
    from pact import match

    interaction = pact.upon_receiving(spec.description)
    for state in spec.states:
        if state.params:
            interaction.given(state.name, dict(state.params))
        else:
            interaction.given(state.name)
    request = spec.request
    interaction.with_request(request.method, request.path)
    for name, value, regex in request.query:
        interaction.with_query_parameter(
            name, match.regex(value, regex=regex) if regex is not None else value
        )
    for name, value, regex in request.headers:
        interaction.with_header(
            name, match.regex(value, regex=regex) if regex is not None else value, "Request"
        )
    if request.body is not None:
        interaction.with_body(request.body, request.content_type or "text/plain", "Request")
    if comments and specification == "V4" and spec.origin:
        interaction.set_comment("actionpact", dict(spec.origin))
    response = spec.response
    interaction.will_respond_with(response.status)
    for name, value in response.headers:
        interaction.with_header(name, value, "Response")
    if response.body is not UNSET:
        body = response.body
        content_type = response.content_type or "application/json"
        if isinstance(body, str):
            # pact-python sends a str as it is: a JSON string body must be encoded first.
            text = json.dumps(body) if "json" in content_type else body
            interaction.with_body(text, content_type, "Response")
        else:
            interaction.with_body(_to_matcher(body), content_type, "Response")


# --------------------------------------------------------------------------- exercising


def _send(client: LocalClient, spec: InteractionSpec) -> Exchange:
    request = spec.request
    headers = {name: value for name, value, _ in request.headers}
    body = request.body.encode("utf-8") if request.body is not None else None
    if body is not None and not any(k.lower() == "content-type" for k in headers):
        headers["Content-Type"] = request.content_type or "text/plain"
    answer = client.request(request.method, request.target(), headers, body)
    return Exchange(answer.status, answer.content_type, answer.body)


def exercise_batch(
    consumer: str,
    provider: str,
    interactions: Sequence[InteractionSpec],
    *,
    specification: str = "V4",
) -> list[Exchange]:
    """Build ``interactions`` into a pact and send each request to its mock server.

    One kept-alive connection (:class:`LocalClient`) carries the batch: a new one per
    request would cost as much as the mock server's matching.

    Returns:
        The mock server's answer per interaction, in order.

    Raises:
        ContractError: pact refused an interaction or the mock server could not start.
    """
    from pact import Pact

    try:
        pact = Pact(consumer, provider).with_specification(specification)
        for spec in interactions:
            # Comments do not take part in matching: only the written pact needs them.
            _add(pact, spec, specification, comments=False)
        exchanges: list[Exchange] = []
        with pact.serve(addr="127.0.0.1", raises=False, verbose=False) as server:
            port = server.port
            if port is None:  # pragma: no cover - the FFI always binds a port
                raise ContractError("the Pact mock server did not start")
            with LocalClient(port) as client:
                exchanges.extend(_send(client, spec) for spec in interactions)
            mismatches = list(server.mismatches)
        if mismatches:
            exchanges = [
                _attach(e, s, mismatches) for e, s in zip(exchanges, interactions, strict=True)
            ]
    except (ValueError, RuntimeError, OSError) as error:
        raise ContractError(f"pact {consumer} -> {provider}: {error}") from error
    return exchanges


def build_pact(
    consumer: str,
    provider: str,
    interactions: Sequence[InteractionSpec],
    *,
    specification: str = "V4",
    extra_metadata: Mapping[str, Any] | None = None,
) -> str:
    """The pact file text for ``interactions``, written by pact itself.

    Interactions go in sorted by description and pact sorts the keys of every object, so
    the same interactions always give the same bytes, V4 or V3. ``extra_metadata`` goes
    under ``metadata.actionpact``.

    Raises:
        ContractError: pact refused an interaction or could not write.
    """
    joiner = PactJoiner()
    for part in build_pact_parts(consumer, provider, interactions, specification=specification):
        joiner.add(part)
    return joiner.text(extra_metadata)


def build_pact_parts(
    consumer: str,
    provider: str,
    interactions: Sequence[InteractionSpec],
    *,
    specification: str = "V4",
) -> list[str]:
    """``interactions`` written by pact in parts of :data:`WRITE_CHUNK`, to be joined.

    Pact's writer needs some 40 KB per interaction while it writes; parts keep that bounded,
    and joining them (:class:`PactJoiner`) gives the bytes pact writes for the whole.
    """
    ordered = sorted(interactions, key=lambda s: s.description)
    return [
        _write_part(consumer, provider, ordered[start : start + WRITE_CHUNK], specification)
        for start in range(0, max(len(ordered), 1), WRITE_CHUNK)
    ]


def _write_part(
    consumer: str, provider: str, interactions: Sequence[InteractionSpec], specification: str
) -> str:
    from pact import Pact

    with tempfile.TemporaryDirectory(prefix="actionpact-pact-") as scratch:
        try:
            pact = Pact(consumer, provider).with_specification(specification)
            # V4 pacts come out sorted by description; V3 keeps the order of adding.
            for spec in interactions:
                _add(pact, spec, specification)
            pact.write_file(scratch, overwrite=True)
            return (Path(scratch) / pact_file_name(consumer, provider)).read_text(encoding="utf-8")
        except (ValueError, RuntimeError, OSError) as error:
            raise ContractError(f"pact {consumer} -> {provider}: {error}") from error


def _attach(exchange: Exchange, spec: InteractionSpec, mismatches: list[Any]) -> Exchange:
    request = spec.request
    own = tuple(
        str(m)
        for m in mismatches
        if getattr(m, "path", None) == request.path
        and getattr(m, "method", request.method).upper() == request.method
    )
    if not own and exchange.status == 500 and spec.response.status != 500:
        own = tuple(str(m) for m in mismatches)
    return Exchange(exchange.status, exchange.content_type, exchange.body, own)


# --------------------------------------------------------------------------- verifying


@dataclass(frozen=True, slots=True)
class BrokerSourceSettings:
    """Where the verifier fetches pacts from a broker, and how it logs in."""

    url: str
    token: str | None = field(default=None, repr=False)
    username: str | None = None
    password: str | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class PublishOptions:
    """Publish verification results to the broker under this provider version."""

    version: str
    branch: str | None = None
    build_url: str | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class VerificationOutcome:
    """What the Pact verifier found.

    Attributes:
        success: whether every interaction passed. output: the verifier's report (no
        colours, secrets masked). results: the verifier's JSON results (``errors``,
        ``interactionResults``...). log: the engine's log (secrets masked).
        state_errors: what the provider-state handler raised, per call (masked); also at
        the end of ``output``, since the verifier itself only sees a failed call.
    """

    success: bool
    output: str
    results: Mapping[str, Any]
    log: str = ""
    state_errors: tuple[str, ...] = ()


# Pact's JSON selector names -> pact-python's keyword arguments.
_SELECTOR_KEYS = {
    "consumer": "consumer",
    "tag": "tag",
    "fallbackTag": "fallback_tag",
    "latest": "latest",
    "deployedOrReleased": "deployed_or_released",
    "deployed": "deployed",
    "released": "released",
    "environment": "environment",
    "mainBranch": "main_branch",
    "branch": "branch",
    "matchingBranch": "matching_branch",
    "fallbackBranch": "fallback_branch",
}


def mask_secrets(text: str, secrets: Iterable[str | None]) -> str:
    """``text`` with every secret (longest first) replaced by ``***``."""
    for secret in sorted({s for s in secrets if s and len(s) >= 3}, key=len, reverse=True):
        text = text.replace(secret, "***")
    return text


def _selector(selector: Mapping[str, Any]) -> dict[str, Any]:
    kwargs: dict[str, Any] = {}
    for key, value in selector.items():
        name = _SELECTOR_KEYS.get(key)
        if name is None:
            raise VerificationError(f"unknown consumer version selector key {key!r}")
        kwargs[name] = value
    return kwargs


class _StateServer:
    """The provider-state callback the verifier POSTs to, on 127.0.0.1.

    pact-python has its own, but it calls the handler by parameter *name* (a third
    parameter called ``params`` gets nothing) and never closes its socket; this one calls
    ``handler(state, action, params)`` by position and closes cleanly.
    """

    def __init__(self, handler: Callable[[str, str, Mapping[str, Any]], None]) -> None:
        self.handler = handler
        self.errors: list[str] = []
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> _StateServer:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                state, action = "", "setup"
                try:
                    payload = json.loads(self.rfile.read(length) or b"{}")
                    state = str(payload.get("state", ""))
                    action = str(payload.get("action", "setup"))
                    owner.handler(state, action, payload.get("params") or {})
                except Exception as error:
                    message = f"{state!r} ({action}): {type(error).__name__}: {error}"
                    owner.errors.append(message)
                    logger.warning("provider state handler failed: %s", message)
                    # 4xx: the verifier retries a 5xx with backoff for minutes, not a 4xx.
                    self._answer(400, message.encode("utf-8"))
                else:
                    self._answer(200, b"")

            def _answer(self, status: int, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="actionpact-state-handler", daemon=True
        )
        self._thread.start()
        return self

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/_actionpact/state"

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)


def run_verifier(
    provider: str,
    *,
    base_url: str,
    pact_sources: Sequence[str | Path] | None = None,
    broker: BrokerSourceSettings | None = None,
    selectors: Sequence[Mapping[str, Any]] = (),
    state_handler: Callable[[str, str, Mapping[str, Any]], None] | None = None,
    custom_headers: Mapping[str, str] | None = None,
    publish: PublishOptions | None = None,
    enable_pending: bool = False,
    include_wip_since: str | None = None,
    provider_branch: str | None = None,
    request_timeout: float | None = None,
    secrets: Iterable[str | None] = (),
) -> VerificationOutcome:
    """Run pact's own verifier against a running provider.

    Args:
        provider: the provider name in the pacts. base_url: where it runs.
        pact_sources: pact files or folders. broker: a broker to fetch pacts from instead.
        selectors: consumer version selectors in Pact's JSON names (``{"mainBranch": true}``).
        state_handler: ``(state, "setup"|"teardown", params)`` per provider state.
        custom_headers: added to (or replacing) every request's headers: real credentials.
        publish: publish the results to the broker. enable_pending, include_wip_since,
        provider_branch: broker options. request_timeout: seconds per request.
        secrets: values masked in the output and log.

    Raises:
        VerificationError: the verifier could not be set up (not a failed verification).
    """
    from pact import Verifier

    host = urlsplit(base_url).hostname or "localhost"
    hidden = [*secrets, *(custom_headers or {}).values()]
    if broker is not None:
        hidden.extend((broker.token, broker.password))
    try:
        verifier = Verifier(provider, host=host).add_transport(url=base_url)
        verifier.set_coloured_output(enabled=False)
        for source in pact_sources or ():
            verifier.add_source(Path(source))
        if broker is not None:
            if broker.token:
                builder = verifier.broker_source(
                    broker.url, token=broker.token, selector=True, use_env=False
                )
            else:
                builder = verifier.broker_source(
                    broker.url,
                    username=broker.username,
                    password=broker.password,
                    selector=True,
                    use_env=False,
                )
            for selector in selectors:
                builder.consumer_version(**_selector(selector))
            if enable_pending:
                builder.include_pending()
            if include_wip_since:
                builder.include_wip_since(include_wip_since)
            if provider_branch:
                builder.provider_branch(provider_branch)
            verifier = builder.build()
        for name, value in (custom_headers or {}).items():
            verifier.add_custom_header(name, value)
        if publish is not None:
            verifier.set_publish_options(
                publish.version,
                url=publish.build_url,
                branch=publish.branch or provider_branch,
                tags=list(publish.tags),
            )
        if request_timeout is not None:
            verifier.set_request_timeout(int(request_timeout * 1000))
    except (ValueError, TypeError) as error:
        raise VerificationError(
            f"cannot set up the verifier: {mask_secrets(str(error), hidden)}"
        ) from error
    success = True
    states: _StateServer | None = None
    with contextlib.ExitStack() as stack:
        if state_handler is not None:
            states = stack.enter_context(_StateServer(state_handler))
            verifier.state_handler(states.url, teardown=True, body=True)
        try:
            verifier.verify()
        except RuntimeError:
            success = False
    results = verifier.results if isinstance(verifier.results, Mapping) else {}
    try:
        log = verifier.logs
    except RuntimeError:  # pragma: no cover - logs go to `logging` unless buffered
        log = ""
    state_errors = tuple(mask_secrets(e, hidden) for e in (states.errors if states else ()))
    output = mask_secrets(verifier.output(strip_ansi=True), hidden)
    if state_errors:
        output += "\nProvider state handler errors:\n" + "".join(
            f"  {error}\n" for error in dict.fromkeys(state_errors)
        )
    return VerificationOutcome(
        success=success,
        output=output,
        results=results,
        log=mask_secrets(log or "", hidden),
        state_errors=state_errors,
    )


def verify_pacts(
    provider: str,
    sources: Sequence[Path],
    base_url: str,
    *,
    state_handler: Callable[[str, str, Mapping[str, Any]], None] | None = None,
) -> VerificationOutcome:
    """Verify pact files against a running provider (:func:`run_verifier`, files only)."""
    return run_verifier(
        provider, base_url=base_url, pact_sources=sources, state_handler=state_handler
    )
