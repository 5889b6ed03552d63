"""The request half of an interaction: the rendered request, with every secret replaced.

Genesys renders the URL, headers and body with the integration's credentials. A pact is
published and shared, so a header or query parameter that carries a credential becomes a
regex matcher with a placeholder example (``Bearer <credentials.apiToken>``): the provider
must still receive *a* token of that shape, and no real secret can enter the pact. The regex
keeps the literal text around the credential (``Basic ``, ``Bearer ``); it is found by
rendering the request twice with different placeholder credentials.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, quote, urlsplit

from actionpact.contracts._pact import HttpRequest
from actionpact.core.errors import ActionFailure

if TYPE_CHECKING:
    from actionpact.genesys import RenderedRequest

__all__ = ["RequestProblem", "build_request", "is_sensitive"]

_SAFE_PATH = "/%:@!$&'()*+,;=-._~"
_SENSITIVE_HEADER = re.compile(
    r"^(authorization|proxy-authorization|cookie|x-api-key|api-?key|x-auth-token|"
    r".*(token|secret|password|passwd|signature|credential).*)$",
    re.IGNORECASE,
)
_SENSITIVE_QUERY = re.compile(
    r"^(api[-_]?key|key|token|access[-_]?token|auth|secret|client[-_]?secret|password|"
    r"sig|signature|code)$",
    re.IGNORECASE,
)
_SCHEME = re.compile(r"^(Bearer|Basic|Token|Digest|ApiKey|Bot|Key|SSWS|OAuth)\s+", re.IGNORECASE)
_SKIPPED_HEADERS = frozenset({"host", "content-length", "connection", "transfer-encoding"})
_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
REDACTED = "<redacted>"
# Genesys's stand-in for a credential field the request did not get (see render_request).
_PLACEHOLDER = re.compile(r"<credentials\.[^<>]*>")
_META = re.compile(r"([.^$*+?()\[\]{}|\\])")


class RequestProblem(ActionFailure):
    """The rendered request cannot be stated in a pact (e.g. a header with a line break)."""


def is_sensitive(name: str) -> bool:
    """Whether a header name usually carries a credential."""
    return bool(_SENSITIVE_HEADER.match(name))


def _boundary(text: str, *, forward: bool) -> int:
    """Shrink a common prefix (or suffix) back to the last separator, so coincidences in
    encoded secrets (two base64 strings starting alike) do not end up in the regex."""
    positions = [i for i, ch in enumerate(text) if not ch.isalnum()]
    if forward:
        return positions[-1] + 1 if positions else 0
    return positions[0] if positions else len(text)


def _credential_regex(value: str, other: str) -> str:
    prefix_len = 0
    while prefix_len < min(len(value), len(other)) and value[prefix_len] == other[prefix_len]:
        prefix_len += 1
    prefix = value[:prefix_len]
    prefix = prefix[: _boundary(prefix, forward=True)]
    rest_a, rest_b = value[len(prefix) :], other[len(prefix) :]
    suffix_len = 0
    while (
        suffix_len < min(len(rest_a), len(rest_b)) - 1
        and rest_a[-1 - suffix_len] == rest_b[-1 - suffix_len]
    ):
        suffix_len += 1
    suffix = rest_a[len(rest_a) - suffix_len :] if suffix_len else ""
    suffix = suffix[_boundary(suffix, forward=False) :] if suffix else ""
    return f"^{_escape(prefix)}.+{_escape(suffix)}$"


def _escape(text: str) -> str:
    """Escape regex metacharacters only: Pact's Rust regex rejects some needless escapes."""
    return _META.sub(r"\\\1", text)


def _placeholder_regex(value: str) -> str:
    """``Bearer <credentials.token>`` -> ``^Bearer .+$``: the text around each placeholder."""
    return "^" + ".+".join(_escape(piece) for piece in _PLACEHOLDER.split(value)) + "$"


def _redact_literal(value: str) -> tuple[str, str]:
    scheme = _SCHEME.match(value)
    if scheme:
        word = scheme.group(1)
        return f"{word} {REDACTED}", f"^{_escape(word)} .+$"
    return REDACTED, "^.+$"


def build_request(
    rendered: RenderedRequest, alternate: RenderedRequest | None = None
) -> HttpRequest:
    """The pact request for a rendered request.

    Args:
        rendered: the request rendered with placeholder credentials.
        alternate: the same request rendered with other placeholder credentials, needed
            only when a credential is used encoded (``$encoding.base64(...)``): what differs
            between the two renderings depends on a credential and becomes a matcher.
            A placeholder that shows as it is becomes a matcher without it.

    Raises:
        RequestProblem: a header cannot be sent (bad name, line break in the value), or the
            URL is not an HTTP URL (an AWS Lambda ARN, a placeholder).
    """
    url = rendered.url.strip()
    parts = urlsplit(url)
    if "<credentials." in url and not url.startswith(("http", "/")):
        raise RequestProblem(
            f"the request URL comes from the integration's credentials ({url!r}): there is no "
            "fixed endpoint to state in a pact",
            step=5,
        )
    if parts.scheme not in ("", "http", "https") or (not parts.scheme and not url.startswith("/")):
        raise RequestProblem(
            f"the request URL {url!r} is not an HTTP URL or path, so it cannot be a Pact "
            "request (an AWS Lambda ARN or a placeholder?)",
            step=5,
        )
    path = quote(parts.path or "/", safe=_SAFE_PATH)
    alt_query: dict[str, list[str]] = {}
    if alternate is not None:
        for name, value in parse_qsl(urlsplit(alternate.url.strip()).query, keep_blank_values=True):
            alt_query.setdefault(name, []).append(value)
    seen: dict[str, int] = {}
    query: list[tuple[str, str, str | None]] = []
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        index = seen.get(name, 0)
        seen[name] = index + 1
        others = alt_query.get(name, [])
        other = others[index] if index < len(others) else value
        if _PLACEHOLDER.search(value):
            query.append((name, value, _placeholder_regex(value)))
        elif other != value:
            query.append((name, value, _credential_regex(value, other)))
        elif _SENSITIVE_QUERY.match(name) and value and "<credentials." not in value:
            query.append((name, REDACTED, "^.+$"))
        else:
            query.append((name, value, None))

    headers: list[tuple[str, str, str | None]] = []
    content_type: str | None = None
    names: set[str] = set()
    for name, raw_value in rendered.headers.items():
        lower = name.lower()
        if lower in _SKIPPED_HEADERS or lower in names:
            continue
        if not _HEADER_NAME.match(name):
            raise RequestProblem(f"header name {name!r} cannot be sent over HTTP", step=6)
        value = raw_value.strip()
        if "\r" in value or "\n" in value:
            raise RequestProblem(f"header {name!r} renders a value with a line break", step=6)
        names.add(lower)
        other = alternate.headers.get(name, value).strip() if alternate is not None else value
        if lower == "content-type":
            content_type = value
        if _PLACEHOLDER.search(value):
            headers.append((name, value, _placeholder_regex(value)))
        elif other != value:
            headers.append((name, value, _credential_regex(value, other)))
        elif is_sensitive(name) and value and "<credentials." not in value:
            redacted, regex = _redact_literal(value)
            headers.append((name, redacted, regex))
        else:
            headers.append((name, value, None))

    body = rendered.body
    if body is not None and not body.strip():
        body = None
    if body is not None and content_type is None:
        content_type = "application/json" if _is_json(body) else "text/plain"
        headers.append(("Content-Type", content_type, None))
    if body is not None and content_type is not None and "json" in content_type.lower():
        body = _json_body(body, content_type)
    return HttpRequest(
        method=rendered.method.upper(),
        path=path,
        query=tuple(query),
        headers=tuple(headers),
        body=body,
        content_type=content_type,
    )


def _json_body(body: str, content_type: str) -> str:
    """The JSON a backend reads from ``body``.

    Genesys sends the rendered text as it is, and Jackson (behind the Genesys Cloud API and
    most Java backends) reads the first JSON value and ignores what follows, so a template
    with a stray closing brace works in production. The pact states that first value.
    """
    if _is_json(body):
        return body
    stripped = body.lstrip()
    try:
        _, end = json.JSONDecoder().raw_decode(stripped)
    except ValueError:
        raise RequestProblem(
            f"the request body is not valid JSON but is sent as {content_type}: {body[:200]!r}",
            step=7,
        ) from None
    return stripped[:end]


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True
