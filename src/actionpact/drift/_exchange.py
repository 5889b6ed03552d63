"""One example's exchange with the vendor: render, send, retry, classify, redact.

The request is rendered twice, once with credential placeholders (what the contract says and
what is stored) and once with the real credentials from the environment (what is sent).
Whatever the vendor does (429 bursts, timeouts, HTML error pages, a 5xx, an endless body) ends
up in the recording as it happened: nothing the vendor does raises.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from actionpact.core.errors import ActionFailure
from actionpact.drift._model import (
    BodyKind,
    Outcome,
    RecordedRequest,
    RecordedResponse,
    Recording,
)
from actionpact.drift._rate import Clock, RateLimiter
from actionpact.drift._redact import RedactionRules, Redactor

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    import httpx

    from actionpact.drift._plan import Target
    from actionpact.genesys import RenderedRequest

__all__ = ["RecordOptions", "Recorder", "iso_time", "join_url"]

logger = logging.getLogger("actionpact.drift")

_TEXT_LIMIT = 64 * 1024
_DEFAULT_TIMEOUT = 60.0  # Genesys's own default for config.timeoutSeconds
_DEFAULT_RETRY_AFTER = 3.0  # what the Genesys Java SDK waits when a 429 names no time


@dataclass(frozen=True, slots=True)
class RecordOptions:
    """How a recording run behaves.

    Attributes:
        concurrency: requests in flight at once.
        max_rate: requests per minute, retries included (``None``: no limit).
        max_time: seconds for the whole run; examples not sent by then are ``skipped``.
        timeout: seconds per request; ``None`` uses each action's ``timeoutSeconds``
            (Genesys's default 60).
        max_body_bytes: a bigger body is recorded as ``too-large`` and not kept.
        max_attempts: sends per example when the vendor answers 429 (or 503 with
            ``Retry-After``).
        max_retry_after: the longest ``Retry-After`` obeyed; a longer one is recorded as is.
        keep_previous: keep the replaced run as ``<out>.previous``.
    """

    concurrency: int = 4
    max_rate: float | None = None
    max_time: float | None = None
    timeout: float | None = None
    max_body_bytes: int = 5 * 1024 * 1024
    max_attempts: int = 5
    max_retry_after: float = 180.0
    keep_previous: bool = True

    def __post_init__(self) -> None:
        if self.concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.max_body_bytes < 1:
            raise ValueError("max_body_bytes must be positive")
        for value in (self.max_rate, self.max_time, self.timeout):
            if value is not None and value <= 0:
                raise ValueError("max_rate, max_time and timeout must be positive")


def join_url(base_url: str, rendered: str) -> str:
    """Where to send a rendered URL: the base URL's scheme, host and path, then the URL's path.

    >>> join_url("http://127.0.0.1:8080/staging", "https://crm.example.com/api/x?a=1")
    'http://127.0.0.1:8080/staging/api/x?a=1'
    >>> join_url("http://127.0.0.1:8080", "/api/v2/routing/queues")
    'http://127.0.0.1:8080/api/v2/routing/queues'
    """
    parts = urlsplit(rendered.strip())
    if parts.scheme and parts.netloc:
        tail = urlunsplit(("", "", parts.path or "/", parts.query, ""))
    else:
        tail = rendered.strip().split("#", 1)[0]
        tail = tail if tail.startswith("/") else f"/{tail}"
    return base_url.rstrip("/") + tail


def iso_time(clock: Clock) -> str:
    return clock.now().strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(slots=True)
class _Exchange:
    response: RecordedResponse | None = None
    outcome: Outcome = Outcome.ok
    problem: str | None = None
    attempts: int = 0
    redacted_headers: tuple[str, ...] = ()
    redacted_values: int = 0
    when: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


class Recorder:
    """Sends the targets' requests, one :meth:`run_one` per example, from any thread."""

    def __init__(
        self,
        targets: Sequence[Target],
        *,
        base_url: str,
        options: RecordOptions,
        rules: RedactionRules,
        environ: Mapping[str, str],
        http: httpx.Client,
        clock: Clock,
    ) -> None:
        self.targets = targets
        self.base_url = base_url
        self.options = options
        self.http = http
        self.clock = clock
        self.limiter = RateLimiter(options.max_rate, clock)
        self.stopping = threading.Event()
        self.warnings: list[str] = []
        self.credentials = [self._credentials(t, environ) for t in targets]
        # Every credential value is scrubbed from every recording, whichever action used it.
        secrets = [(k, v) for creds in self.credentials for k, v in creds.items()]
        self.redactor = Redactor(rules, secrets)
        self.deadline = (
            clock.monotonic() + options.max_time if options.max_time is not None else None
        )

    # ------------------------------------------------------------------ credentials

    def _credentials(self, target: Target, environ: Mapping[str, str]) -> dict[str, str]:
        values: dict[str, str] = {}
        for name in sorted(target.action.credential_names):
            variable = target.credential_env.get(name)
            value = environ.get(variable) if variable else None
            if value:
                values[name] = value
                continue
            where = (
                f"environment variable {variable} is not set"
                if variable
                else f"actionpact.yaml names no environment variable for it under "
                f"credentials.{target.provider}"
            )
            warning = f"{target.action.name}: credential {name!r} renders as a placeholder: {where}"
            if warning not in self.warnings:
                # Returned in the result for the caller to show: logged for the record only.
                self.warnings.append(warning)
                logger.info("%s", warning)
        return values

    # ------------------------------------------------------------------ one example

    def run_one(self, index: int) -> Recording:
        target = self.targets[index]
        try:
            # A plain dict: the input-schema check takes only dicts for JSON objects.
            shown = target.action.render_request(dict(target.input))
            sent = target.action.render_request(
                dict(target.input), credentials=self.credentials[index]
            )
        except ActionFailure as error:
            text, _ = self.redactor.scrub(str(error))
            return self._recording(
                target,
                None,
                _Exchange(
                    outcome=Outcome.render_failed,
                    problem=f"step {error.step} ({error.step_name}): {text}",
                    when=iso_time(self.clock),
                ),
            )
        request = self._recorded_request(shown)
        exchange = self._exchange(target, sent)
        logger.info(
            "recorded %s / %s: %s %s -> %s",
            target.action.name,
            target.example.name,
            shown.method,
            shown.url,
            exchange.response.status if exchange.response is not None else exchange.outcome.value,
        )
        return self._recording(target, request, exchange)

    def _recorded_request(self, shown: RenderedRequest) -> RecordedRequest:
        headers, _, _ = self.redactor.headers(shown.headers.items())
        body = self.redactor.scrub(shown.body)[0] if shown.body is not None else None
        url = self.redactor.scrub(shown.url)[0]
        parts = urlsplit(url)
        return RecordedRequest(
            method=shown.method,
            url=url,
            path=parts.path or "/",
            query=parts.query,
            headers=MappingProxyType(headers),
            body=body,
        )

    def _exchange(self, target: Target, sent: RenderedRequest) -> _Exchange:
        url = join_url(self.base_url, sent.url)
        headers = dict(sent.headers)
        if sent.body is not None and not any(k.lower() == "content-type" for k in headers):
            headers["Content-Type"] = "application/json"
        content = sent.body.encode("utf-8") if sent.body is not None else None
        timeout = self.options.timeout or float(
            target.action.definition.timeout_seconds or _DEFAULT_TIMEOUT
        )
        exchange = _Exchange()
        while True:
            if self.stopping.is_set() or not self.limiter.acquire(self.deadline):
                if exchange.attempts == 0:
                    exchange.outcome = Outcome.skipped
                    exchange.problem = (
                        "the run was stopped"
                        if self.stopping.is_set()
                        else f"not sent: the run's time budget of {self.options.max_time:g} s "
                        "ran out"
                    )
                    exchange.when = iso_time(self.clock)
                return exchange
            exchange.attempts += 1
            self._attempt(
                exchange,
                method=sent.method,
                url=url,
                headers=headers,
                content=content,
                timeout=timeout,
            )
            wait_for = self._retry_wait(exchange)
            if wait_for is None:
                return exchange
            logger.info(
                "%s / %s: HTTP %s, waiting %.3g s as Retry-After asks",
                target.action.name,
                target.example.name,
                exchange.response.status if exchange.response else "?",
                wait_for,
            )
            self.limiter.pause_until(self.clock.monotonic() + wait_for)

    def _retry_wait(self, exchange: _Exchange) -> float | None:
        from actionpact.broker import parse_retry_after

        response = exchange.response
        if response is None or exchange.attempts >= self.options.max_attempts:
            return None
        retry_after = exchange.extra.get("retry-after")
        if response.status == 429:
            asked = parse_retry_after(retry_after, now=self.clock.now().timestamp())
            wait_for = _DEFAULT_RETRY_AFTER if asked is None else asked
        elif response.status == 503 and retry_after is not None:
            asked = parse_retry_after(retry_after, now=self.clock.now().timestamp())
            if asked is None:
                return None
            wait_for = asked
        else:
            return None
        if wait_for > self.options.max_retry_after:
            exchange.problem = (
                f"HTTP {response.status}: Retry-After {wait_for:g} s is longer than the "
                f"{self.options.max_retry_after:g} s this run waits"
            )
            return None
        if self.deadline is not None and self.clock.monotonic() + wait_for > self.deadline:
            exchange.problem = (
                f"HTTP {response.status}: waiting {wait_for:g} s would pass the run's time budget"
            )
            return None
        return wait_for

    def _attempt(
        self,
        exchange: _Exchange,
        *,
        method: str,
        url: str,
        headers: dict[str, str],
        content: bytes | None,
        timeout: float,
    ) -> None:
        import httpx

        if self.deadline is not None:
            timeout = max(0.05, min(timeout, self.deadline - self.clock.monotonic()))
        exchange.response, exchange.problem = None, None
        exchange.extra = {}
        started = self.clock.monotonic()
        try:
            with self.http.stream(
                method, url, headers=headers, content=content, timeout=timeout
            ) as answer:
                chunks: list[bytes] = []
                size = 0
                too_large = False
                for chunk in answer.iter_bytes():
                    size += len(chunk)
                    if size > self.options.max_body_bytes:
                        too_large = True
                        break
                    chunks.append(chunk)
                    if self.clock.monotonic() - started > timeout:
                        raise httpx.ReadTimeout("the body took longer than the timeout")
                raw_headers = list(answer.headers.multi_items())
                status = answer.status_code
                exchange.extra["retry-after"] = answer.headers.get("retry-after")
        except httpx.TimeoutException:
            exchange.outcome = Outcome.timeout
            exchange.problem = f"no answer within {timeout:g} s"
            exchange.when = iso_time(self.clock)
            return
        except httpx.HTTPError as error:
            text, _ = self.redactor.scrub(f"{type(error).__name__}: {error}")
            exchange.outcome = Outcome.connection_error
            exchange.problem = text
            exchange.when = iso_time(self.clock)
            return
        except (httpx.InvalidURL, UnicodeEncodeError, ValueError) as error:
            # The rendered URL or a header cannot go on the wire (a newline, a non-Latin-1
            # header value): the action's problem, not the vendor's; this example only.
            text, _ = self.redactor.scrub(f"{type(error).__name__}: {error}")
            exchange.outcome = Outcome.render_failed
            exchange.problem = f"the rendered request cannot be sent: {text}"
            exchange.when = iso_time(self.clock)
            return
        exchange.when = iso_time(self.clock)
        headers_kept, removed, scrubbed = self.redactor.headers(raw_headers, drop_volatile=True)
        exchange.redacted_headers = removed
        exchange.redacted_values = scrubbed
        if too_large:
            exchange.response = RecordedResponse(
                status, MappingProxyType(headers_kept), BodyKind.omitted, None, size
            )
            exchange.outcome = Outcome.too_large
            exchange.problem = (
                f"the body is larger than {self.options.max_body_bytes} bytes; not kept"
            )
            return
        self._classify(exchange, status, headers_kept, b"".join(chunks), size)

    def _classify(
        self, exchange: _Exchange, status: int, headers: dict[str, str], data: bytes, size: int
    ) -> None:
        content_type = headers.get("content-type", "").split(";", 1)[0].strip().lower()
        kind, body, problem = BodyKind.empty, None, None
        if data.strip():
            text = data.decode("utf-8", errors="replace").lstrip("\ufeff")
            try:
                parsed = json.loads(text)
            except json.JSONDecodeError as error:
                looks_html = "html" in content_type or text.lstrip()[:1] == "<"
                problem = (
                    f"an HTML page ({content_type or 'no content type'}) instead of JSON"
                    if looks_html
                    else f"the body is not valid JSON ({error.msg} at line {error.lineno}, "
                    f"column {error.colno})"
                )
                if len(text) > _TEXT_LIMIT:
                    text = text[:_TEXT_LIMIT]
                    problem += f"; text cut at {_TEXT_LIMIT} characters"
                body, count = self.redactor.text(text)
                kind = BodyKind.text
            else:
                body, count = self.redactor.json(parsed)
                kind = BodyKind.json
            exchange.redacted_values += count
        exchange.response = RecordedResponse(status, MappingProxyType(headers), kind, body, size)
        if not 200 <= status < 300:
            exchange.outcome = Outcome.http_error
            exchange.problem = exchange.problem or f"HTTP {status}" + (
                f": {problem}" if problem else ""
            )
        elif problem is not None:
            exchange.outcome = Outcome.not_json
            exchange.problem = problem
        else:
            exchange.outcome = Outcome.ok

    def _recording(
        self, target: Target, request: RecordedRequest | None, exchange: _Exchange
    ) -> Recording:
        given = tuple(
            MappingProxyType({"state": state.name, "params": dict(state.params)})
            for state in target.example.given
        )
        input_value, _ = self.redactor.scrub_deep(dict(target.input))
        problem = self.redactor.scrub(exchange.problem)[0] if exchange.problem else None
        return Recording(
            name=target.name,
            action=target.action.name,
            definition_hash=target.action.definition.content_hash,
            source=target.source,
            provider=target.provider,
            consumer=target.consumer,
            example=target.example.name,
            derived=target.example.derived,
            given=given,
            input=MappingProxyType(input_value),
            request=request,
            response=exchange.response,
            outcome=exchange.outcome,
            problem=problem,
            attempts=exchange.attempts,
            when=exchange.when or iso_time(self.clock),
            redacted_headers=exchange.redacted_headers,
            redacted_values=exchange.redacted_values,
        )
