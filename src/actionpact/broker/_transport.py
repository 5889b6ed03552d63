"""One HTTP exchange with the broker: credentials, retries, logging and error messages.

Wraps an ``httpx.Client`` that the caller may inject (tests, proxies, custom TLS). Credentials
are added per request and never logged; URLs are logged and reported without userinfo.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping, Sequence
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from actionpact.broker._hal import Notice, redact_url
from actionpact.broker._retry import RETRYABLE_STATUSES, RetryPolicy
from actionpact.core.errors import BrokerError

if TYPE_CHECKING:
    import httpx

__all__ = ["Transport", "error_from_response", "logger"]

logger = logging.getLogger("actionpact.broker")

_ACCEPT = "application/hal+json, application/json"
# A POST whose connection broke after sending may have been applied: only retry it when the
# connection was never made. The other methods the client uses are idempotent.
_IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE", "PATCH"})


def _validation_messages(body: object) -> tuple[str, ...]:
    """``{"errors": {...}}`` (field -> messages), a list or a string, flattened to lines."""
    if not isinstance(body, Mapping):
        return ()
    errors = body.get("errors")
    lines: list[str] = []
    if isinstance(errors, Mapping):
        for key, value in errors.items():
            values = value if isinstance(value, list) else [value]
            for item in values:
                if isinstance(item, Mapping):  # nested, e.g. contracts[0] -> {content: [...]}
                    lines.extend(
                        f"{key}: {line}" for line in _validation_messages({"errors": item})
                    )
                else:
                    lines.append(f"{key}: {item}")
    elif isinstance(errors, list):
        lines.extend(str(item) for item in errors)
    elif isinstance(errors, str):
        lines.append(errors)
    return tuple(lines)


def _indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line for line in text.splitlines())


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "HTTP error"


def error_from_response(method: str, response: httpx.Response, *, note: str = "") -> BrokerError:
    """The ``BrokerError`` for a non-2xx answer: which URL, which status, and the broker's why.

    The message carries the broker's validation messages (400/409) and error notices, one per
    line, because they say what to change.
    """
    url = redact_url(str(response.request.url))
    status = response.status_code
    try:
        body: Any = response.json()
    except ValueError:
        body = response.text or None
    errors = _validation_messages(body)

    def known(text: str) -> bool:
        return any(line == text or line.endswith(": " + text) for line in errors)

    notices = Notice.parse_all(body)
    errors += tuple(n.text for n in notices if n.type in {"error", "danger"} and not known(n.text))
    # Other notices explain the refusal (a 409 carries the diff of the pact): shown, not errors.
    explained = [
        n.text for n in notices if n.type in {"info", "warning", "prompt"} and not known(n.text)
    ]
    if status == 401:
        head = f"authentication failed at {url} (401 {_reason(status)})"
    elif status == 403:
        head = f"not allowed: {method} {url} (403 {_reason(status)})"
    else:
        head = f"{method} {url} failed: {status} {_reason(status)}"
    if not errors and isinstance(body, str) and body.strip() and status != 401:
        errors = (body.strip().splitlines()[0][:300],)
    message = head + note + "".join(f"\n  {line}" for line in errors)
    message += "".join("\n" + _indent(text, "    ") for text in explained)
    return BrokerError(message, url=url, status=status, errors=errors, body=body)


class Transport:
    """Sends requests to the broker with credentials, retries and DEBUG logging."""

    def __init__(
        self,
        http: httpx.Client,
        *,
        token: str | None = None,
        username: str | None = None,
        password: str | None = None,
        retry: RetryPolicy,
        user_agent: str,
    ) -> None:
        if token and username:
            raise ValueError("give either a token or a username/password, not both")
        self._http = http
        self._token = token
        self._username = username
        self._password = password
        self._retry = retry
        self._user_agent = user_agent

    def _headers(self, has_body: bool, content_type: str | None) -> dict[str, str]:
        headers = {"Accept": _ACCEPT, "User-Agent": self._user_agent}
        if has_body:
            headers["Content-Type"] = content_type or "application/json"
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        return headers

    def request(
        self,
        method: str,
        url: str,
        *,
        json: object = None,
        params: Mapping[str, str] | Sequence[tuple[str, str]] | None = None,
        content_type: str | None = None,
        allow: Collection[int] = (),
    ) -> httpx.Response:
        """Send one request, retrying what is worth retrying.

        Args:
            method, url: the request; ``url`` comes from a HAL link.
            json: the JSON body, if any.
            params: query parameters, if any.
            content_type: overrides ``application/json`` (``application/merge-patch+json``).
            allow: non-2xx statuses to return instead of raising (e.g. 404 for "not there").

        Raises:
            BrokerError: the broker could not be reached, or answered with an error.
        """
        import httpx

        auth = None
        if self._username is not None:
            auth = httpx.BasicAuth(self._username, self._password or "")
        shown = redact_url(url)
        query: list[tuple[str, str | int | float | bool | None]] | None = None
        if params is not None:
            query = list(params.items() if isinstance(params, Mapping) else params)
        policy = self._retry
        started = policy.clock()
        attempt = 0
        while True:
            attempt += 1
            sent = policy.clock()
            try:
                response = self._http.request(
                    method,
                    url,
                    json=json,
                    params=query,
                    headers=self._headers(json is not None, content_type),
                    auth=auth if auth is not None else httpx.USE_CLIENT_DEFAULT,
                )
            except httpx.TransportError as error:
                elapsed = (policy.clock() - sent) * 1000
                logger.debug("%s %s -> %s (%.1f ms)", method, shown, type(error).__name__, elapsed)
                retryable = method in _IDEMPOTENT or isinstance(
                    error, (httpx.ConnectError, httpx.ConnectTimeout)
                )
                reason = str(error) or type(error).__name__
                if retryable and self._wait(
                    method=method,
                    url=shown,
                    attempt=attempt,
                    started=started,
                    retry_after=None,
                    reason=reason,
                ):
                    continue
                tries = f" (after {attempt} attempts)" if attempt > 1 else ""
                raise BrokerError(
                    f"cannot reach the Pact Broker: {method} {shown}: {reason}{tries}", url=shown
                ) from None
            elapsed = (policy.clock() - sent) * 1000
            logger.debug("%s %s -> %d (%.1f ms)", method, shown, response.status_code, elapsed)
            status = response.status_code
            if 200 <= status < 300 or status in allow:
                return response
            if status in RETRYABLE_STATUSES and self._wait(
                method=method,
                url=shown,
                attempt=attempt,
                started=started,
                retry_after=response.headers.get("Retry-After"),
                reason=str(status),
            ):
                continue
            note = f" (after {attempt} attempts)" if attempt > 1 else ""
            raise error_from_response(method, response, note=note)

    def _wait(
        self,
        *,
        method: str,
        url: str,
        attempt: int,
        started: float,
        retry_after: str | None,
        reason: str,
    ) -> bool:
        """Sleep before the next attempt; ``False`` when attempts or the time budget ran out."""
        policy = self._retry
        if attempt >= policy.max_attempts:
            return False
        delay = policy.delay(attempt, retry_after)
        if policy.clock() - started + delay > policy.max_total:
            logger.debug("not retrying %s %s: a %.1f s wait passes the budget", method, url, delay)
            return False
        logger.warning(
            "retrying %s %s after %s in %.1f s (attempt %d of %d)",
            method,
            url,
            reason,
            delay,
            attempt + 1,
            policy.max_attempts,
        )
        policy.sleep(delay)
        return True
