"""HAL resources and URI templates, the way Pact Broker clients navigate the API.

Real broker clients start at the index (``GET /``), look relations up by name (``pb:...``) and
expand the URI templates they find there; they never build paths themselves, so a broker behind
a path prefix or a proxy keeps working (PB ``lib/pact_broker/api/resources/index.rb``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

__all__ = ["Link", "Notice", "Resource", "expand_template", "redact_url"]

_EXPRESSION = re.compile(r"\{([+#./;?&]?)([^{}]+)\}")
# RFC 6570: simple expansion encodes everything outside "unreserved"; `+`/`#` keep reserved.
_UNRESERVED = "-._~"
_RESERVED = ":/?#[]@!$&'()*+,;="


def _encode(value: object, operator: str) -> str:
    safe = _UNRESERVED + (_RESERVED if operator in ("+", "#") else "")
    return quote(str(value), safe=safe)


def expand_template(template: str, params: Mapping[str, object]) -> str:
    """Expand an RFC 6570 URI template (levels 1 to 3) with ``params``.

    A variable in a simple ``{var}`` expression must be given: a broker link expanded with a
    missing value would silently address another resource. Query expressions (``{?a,b}``)
    leave out the variables that are missing or ``None``.

    >>> expand_template("/pacticipants/{pacticipant}/versions/{version}",
    ...                 {"pacticipant": "My App", "version": "1.0/rc"})
    '/pacticipants/My%20App/versions/1.0%2Frc'
    >>> expand_template("/matrix{?latestby}", {"latestby": "cvp"})
    '/matrix?latestby=cvp'

    Raises:
        ValueError: a variable of a simple or path expression has no value.
    """

    def replace(match: re.Match[str]) -> str:
        operator, names = match.group(1), match.group(2).split(",")
        if operator in ("?", "&"):
            pairs = [
                f"{name}={_encode(params[name], operator)}"
                for name in names
                if params.get(name) is not None
            ]
            if not pairs:
                return ""
            return ("?" if operator == "?" else "&") + "&".join(pairs)
        missing = [name for name in names if params.get(name) is None]
        if missing:
            raise ValueError(f"URI template {template!r} needs a value for {missing[0]!r}")
        prefix = operator if operator in ("#", ".", "/", ";") else ""
        separator = operator if operator in (".", "/", ";") else ","
        return prefix + separator.join(_encode(params[name], operator) for name in names)

    return _EXPRESSION.sub(replace, template)


def redact_url(url: str) -> str:
    """Drop any ``user:password@`` from a URL, so it can be shown or logged."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = f"{host}:{parts.port}" if parts.port is not None else host
    return urlunsplit(parts._replace(netloc=netloc))


@dataclass(frozen=True, slots=True)
class Link:
    """One HAL link: ``href`` (maybe a template), and its optional ``name`` and ``title``."""

    href: str
    name: str | None = None
    title: str | None = None
    templated: bool = False

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> Link:
        """Build a link from its JSON object; unknown keys are ignored."""
        return cls(
            href=str(raw.get("href", "")),
            name=raw.get("name") if isinstance(raw.get("name"), str) else None,
            title=raw.get("title") if isinstance(raw.get("title"), str) else None,
            templated=bool(raw.get("templated", False)),
        )

    def expand(self, **params: object) -> str:
        """The link's URL with its template variables filled in."""
        return expand_template(self.href, params)


@dataclass(frozen=True, slots=True)
class Resource:
    """A HAL resource as the broker returned it.

    Attributes:
        url: where it was fetched from (without credentials).
        data: the decoded JSON body.
    """

    url: str
    data: Mapping[str, Any] = field(default_factory=dict)

    @property
    def _links(self) -> Mapping[str, Any]:
        links = self.data.get("_links")
        return links if isinstance(links, Mapping) else {}

    def has(self, rel: str) -> bool:
        """Whether the resource offers relation ``rel`` (how clients detect broker features)."""
        return rel in self._links

    def link(self, rel: str) -> Link | None:
        """The single link for ``rel``, or the first one when the relation is a list."""
        raw = self._links.get(rel)
        if isinstance(raw, list):
            raw = raw[0] if raw else None
        return Link.from_json(raw) if isinstance(raw, Mapping) else None

    def links(self, rel: str) -> tuple[Link, ...]:
        """All links for ``rel``: the broker uses lists for e.g. ``pb:record-deployment``."""
        raw = self._links.get(rel)
        if isinstance(raw, Mapping):
            raw = [raw]
        if not isinstance(raw, list):
            return ()
        return tuple(Link.from_json(item) for item in raw if isinstance(item, Mapping))

    def named_link(self, rel: str, name: str) -> Link | None:
        """The link of relation ``rel`` whose ``name`` is ``name`` (an environment's name)."""
        return next((link for link in self.links(rel) if link.name == name), None)

    def embedded(self, key: str) -> tuple[Mapping[str, Any], ...]:
        """The embedded resources under ``_embedded[key]`` (one or a list)."""
        embedded = self.data.get("_embedded")
        value = embedded.get(key) if isinstance(embedded, Mapping) else None
        if isinstance(value, Mapping):
            return (value,)
        if isinstance(value, list):
            return tuple(item for item in value if isinstance(item, Mapping))
        return ()


@dataclass(frozen=True, slots=True)
class Notice:
    """A message the broker wants shown to the user (``notices[]`` in its answers).

    Attributes:
        type: ``debug``, ``info``, ``warning``, ``prompt``, ``success``, ``error`` or
            ``danger``.
        text: the text, meant for a terminal.
    """

    type: str
    text: str

    @classmethod
    def parse_all(cls, body: object) -> tuple[Notice, ...]:
        """The notices of a response body, skipping malformed entries."""
        raw = body.get("notices") if isinstance(body, Mapping) else None
        if not isinstance(raw, list):
            return ()
        return tuple(
            cls(type=str(item.get("type", "info")), text=str(item.get("text", "")))
            for item in raw
            if isinstance(item, Mapping)
        )
