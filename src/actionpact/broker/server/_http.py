"""Plumbing shared by the resources: the request as the handlers see it, replies, errors,
the broker's URLs and Rack's nested query syntax (``q[][pacticipant]=Foo``).

Handlers are plain synchronous functions of a :class:`Call`; they run in a worker thread
with their own SQLite connection, so this module imports nothing from Starlette.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, quote, urlencode

if TYPE_CHECKING:
    from actionpact.broker.server.db import Database

__all__ = [
    "HAL",
    "Call",
    "HttpError",
    "Reply",
    "decode_metadata",
    "enc",
    "encode_metadata",
    "format_time",
    "parse_nested_query",
]

HAL = "application/hal+json;charset=utf-8"


def enc(value: str) -> str:
    """Percent-encode a path segment as Ruby's ``ERB::Util.url_encode`` does."""
    return quote(str(value), safe="-._~")


def format_time(stamp: str | None) -> str | None:
    """Stored timestamp → the broker's ``xmlschema`` form, ``2024-01-02T03:04:05+00:00``."""
    if stamp is None:
        return None
    return stamp[:19] + "+00:00"


@dataclass(slots=True)
class Reply:
    """What a handler returns: status, JSON body (or ``None``), headers."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = HAL


class HttpError(Exception):
    """Stops a handler with an error reply (the broker's error bodies)."""

    def __init__(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        super().__init__(status)
        self.reply = Reply(status, body, headers or {})

    @classmethod
    def not_found(cls, message: str | None = None) -> HttpError:
        """404 with the broker's body."""
        return cls(
            404, {"error": message or "The requested document was not found on this server."}
        )

    @classmethod
    def validation(cls, errors: Any) -> HttpError:
        """400 ``{"errors": ...}``."""
        return cls(400, {"errors": errors})


@dataclass(slots=True)
class Call:
    """One request as a handler sees it."""

    method: str
    path: str
    query_string: str
    headers: dict[str, str]
    body: bytes
    base_url: str
    db: Database
    params: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        """The request URL without the query string."""
        return self.base_url + self.path.rstrip("/")

    def query(self) -> dict[str, str]:
        """Flat query parameters (the last value of each)."""
        return dict(parse_qsl(self.query_string, keep_blank_values=True))

    def nested_query(self) -> dict[str, Any]:
        """Query parameters in Rack's nested form."""
        return parse_nested_query(self.query_string)

    def content_type_json(self) -> bool:
        """The request declares a JSON body (``*json*``, as the broker checks)."""
        return "json" in self.headers.get("content-type", "")

    def json(self, *, default: Any = None) -> Any:
        """The parsed body; ``default`` when empty; 400 (the broker's message) when invalid."""
        if not self.body.strip():
            return default
        try:
            text = self.body.decode("utf-8")
        except UnicodeDecodeError as error:
            raise HttpError(
                400,
                {
                    "error": f"Request body has a non UTF-8 character at char "
                    f"{error.start} and cannot be parsed as JSON."
                },
            ) from None
        try:
            value = json.loads(text)
        except ValueError as error:
            raise HttpError(400, {"error": f"JSON::ParserError - {error}"}) from None
        if not isinstance(value, dict | list):
            raise HttpError(
                400,
                {"error": f"Expected JSON Object in request body but found {type(value).__name__}"},
            )
        return value

    def json_object(self, *, default: dict[str, Any] | None = None) -> dict[str, Any]:
        """The parsed body, which must be an object."""
        value = self.json(default=default if default is not None else {})
        if not isinstance(value, dict):
            raise HttpError(400, {"error": "Expected JSON Object in request body but found Array"})
        return value


# --------------------------------------------------------------------------- Rack queries


def _assign(target: dict[str, Any], key: str, value: str) -> None:
    name, _, rest = key.partition("[")
    if not rest:
        target[key] = value
        return
    parts = [p.rstrip("]") for p in ("[" + rest).split("[")[1:]]
    if parts[0] == "":
        items = target.setdefault(name, [])
        if not isinstance(items, list):
            return
        if len(parts) == 1:
            items.append(value)
            return
        child = parts[1]
        if items and isinstance(items[-1], dict) and child not in items[-1]:
            items[-1][child] = value
        else:
            items.append({child: value})
        return
    nested = target.setdefault(name, {})
    if isinstance(nested, dict):
        nested[parts[0]] = value


def parse_nested_query(query: str) -> dict[str, Any]:
    """Rack's ``parse_nested_query`` for the shapes the broker's clients send:
    ``a=1``, ``a[]=1``, ``a[][b]=1`` (a new hash starts when a key repeats) and ``a[b]=1``."""
    result: dict[str, Any] = {}
    for key, value in parse_qsl(query, keep_blank_values=True):
        _assign(result, key, value)
    return result


# --------------------------------------------------------------------------- metadata


def encode_metadata(metadata: dict[str, Any]) -> str:
    """The ``/metadata/{...}`` segment: base64url of a Rack nested query, no padding."""
    pairs: list[tuple[str, str]] = []
    for key, value in metadata.items():
        if isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    pairs += [(f"{key}[][{k}]", _text(v)) for k, v in item.items()]
                else:
                    pairs.append((f"{key}[]", _text(item)))
        else:
            pairs.append((key, _text(value)))
    query = urlencode(pairs)
    return base64.urlsafe_b64encode(query.encode()).decode().rstrip("=")


def _text(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


def decode_metadata(segment: str | None) -> dict[str, Any]:
    """Parse a ``/metadata/{...}`` segment; ``{}`` when absent or unreadable."""
    if not segment:
        return {}
    try:
        padded = segment + "=" * (-len(segment) % 4)
        query = base64.urlsafe_b64decode(padded.encode()).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return {}
    return parse_nested_query(query)
