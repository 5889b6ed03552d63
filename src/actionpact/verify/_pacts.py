"""Interactions as the verifier replays them, read from pact JSON (V2, V3 or V4).

The verifier's results name an interaction by consumer, description and provider states
only; to replay a failing one and find its Data Action, actionpact reads the pact itself.
Interactions written by ``actionpact generate`` carry where they came from (the definition's
name, content hash and file, and the example): :class:`Origin`.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from actionpact.core import UNSET
from actionpact.core.errors import PactFileError

if TYPE_CHECKING:
    from pathlib import Path

__all__ = [
    "Origin",
    "PactInteraction",
    "PactRequest",
    "StateRef",
    "interaction_key",
    "pact_files",
    "read_interactions",
    "read_pact_document",
]

_EMPTY: Mapping[str, Any] = MappingProxyType({})
# Where generated interactions keep their origin: V4 `comments`, or the interaction's
# `metadata`, under `actionpact` (older or hand-written pacts have neither).
_ORIGIN_KEY = "actionpact"


@dataclass(frozen=True, slots=True)
class Origin:
    """The Data Action and example an interaction was generated from.

    Attributes:
        action: the definition's name. content_hash: SHA-256 of its canonical JSON.
        source: the definition file as recorded (usually relative to the project root).
        location: the definition's JSON path inside that file (``""`` for a whole file).
        example: the example's name. derived: whether ``generate`` derived the example.
        input: the example's Genesys input, when the pact records it (usually it is read
            from the companion spec).
    """

    action: str
    content_hash: str | None = None
    source: str | None = None
    location: str = ""
    example: str | None = None
    input: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)
    derived: bool = False


@dataclass(frozen=True, slots=True)
class StateRef:
    """A provider state as the pact names it."""

    name: str
    params: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)


@dataclass(frozen=True, slots=True)
class PactRequest:
    """The request an interaction sends to the provider.

    Attributes:
        method: upper-case HTTP method. path: the path, starting with ``/``.
        query: (name, value) pairs in order. headers: (name, value) pairs.
        body: the request body's bytes, or ``None``.
    """

    method: str
    path: str
    query: tuple[tuple[str, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes | None = None


@dataclass(frozen=True, slots=True)
class PactInteraction:
    """One synchronous HTTP interaction of a pact.

    Attributes:
        consumer, provider: the pact's pacticipants. description: the interaction's.
        states: its provider states. request: what is sent.
        status: the expected status. body: the expected body (parsed JSON, text, or ``UNSET``).
        origin: where it was generated from, when actionpact generated it.
        source: the pact file or URL it was read from.
    """

    consumer: str
    provider: str
    description: str
    states: tuple[StateRef, ...]
    request: PactRequest
    status: int
    body: Any
    origin: Origin | None = None
    source: str = ""

    @property
    def key(self) -> tuple[str, str, tuple[str, ...]]:
        """How the verifier's results name this interaction."""
        return interaction_key(self.consumer, self.description, [s.name for s in self.states])


def interaction_key(
    consumer: str, description: str, states: list[str] | tuple[str, ...]
) -> tuple[str, str, tuple[str, ...]]:
    """The (consumer, description, state names) triple results and pacts share."""
    return (consumer, description, tuple(states))


def pact_files(paths: list[Path] | tuple[Path, ...]) -> list[Path]:
    """The pact files under ``paths`` (files as given, folders' ``*.json``, sorted).

    Raises:
        PactFileError: a path does not exist.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*.json") if p.is_file()))
        elif path.is_file():
            files.append(path)
        else:
            raise PactFileError("no such file or folder", file=path)
    return files


def read_pact_document(path: Path) -> Mapping[str, Any]:
    """Read one pact file.

    Raises:
        PactFileError: it cannot be read, is not JSON, or is not a pact.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise PactFileError(f"cannot read: {error.strerror}", file=path) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PactFileError(f"not a JSON pact file: {error}", file=path) from None
    if not isinstance(data, dict) or not isinstance(data.get("interactions"), list):
        raise PactFileError("not a pact: no 'interactions' list", file=path, path="interactions")
    return data


def read_interactions(pact: Mapping[str, Any], *, source: str = "") -> list[PactInteraction]:
    """The synchronous HTTP interactions of a parsed pact; other kinds are skipped."""
    consumer = _name(pact.get("consumer"))
    provider = _name(pact.get("provider"))
    listed = _listed_origins(pact)
    found: list[PactInteraction] = []
    for raw in pact.get("interactions") or ():
        if not isinstance(raw, Mapping):
            continue
        kind = raw.get("type")
        if kind is not None and kind != "Synchronous/HTTP":
            continue
        request = raw.get("request")
        response = raw.get("response")
        if not isinstance(request, Mapping) or not isinstance(response, Mapping):
            continue
        found.append(
            PactInteraction(
                consumer=consumer,
                provider=provider,
                description=str(raw.get("description") or ""),
                states=_states(raw),
                request=_request(request),
                status=int(response.get("status") or 200),
                body=_body(response),
                origin=_origin(raw, listed),
                source=source,
            )
        )
    return found


# ---------------------------------------------------------------------- parts


def _name(value: Any) -> str:
    if isinstance(value, Mapping):
        return str(value.get("name") or "")
    return ""


def _states(raw: Mapping[str, Any]) -> tuple[StateRef, ...]:
    states = raw.get("providerStates")
    if isinstance(states, list):
        return tuple(
            StateRef(
                str(s.get("name") or ""),
                MappingProxyType(dict(s.get("params") or {})),
            )
            for s in states
            if isinstance(s, Mapping)
        )
    legacy = raw.get("providerState") or raw.get("provider_state")
    return (StateRef(str(legacy)),) if legacy else ()


def _pairs(value: Any) -> tuple[tuple[str, str], ...]:
    if isinstance(value, str):
        from urllib.parse import parse_qsl

        return tuple(parse_qsl(value, keep_blank_values=True))
    pairs: list[tuple[str, str]] = []
    if isinstance(value, Mapping):
        for name, values in value.items():
            for item in values if isinstance(values, list) else [values]:
                pairs.append((str(name), "" if item is None else str(item)))
    return tuple(pairs)


def _headers(value: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, Mapping):
        return ()
    # A header given as a list in V4 is one header with comma-joined values on the wire.
    return tuple(
        (str(name), ", ".join(map(str, v)) if isinstance(v, list) else str(v))
        for name, v in value.items()
    )


def _request(raw: Mapping[str, Any]) -> PactRequest:
    body = _body(raw)
    data: bytes | None = None
    if isinstance(body, bytes):
        data = body
    elif isinstance(body, str):
        data = body.encode("utf-8")
    elif body is not UNSET:
        data = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    path = str(raw.get("path") or "/")
    return PactRequest(
        method=str(raw.get("method") or "GET").upper(),
        path=path if path.startswith("/") else f"/{path}",
        query=_pairs(raw.get("query")),
        headers=_headers(raw.get("headers")),
        body=data,
    )


def _body(raw: Mapping[str, Any]) -> Any:
    if "body" not in raw:
        return UNSET
    body = raw["body"]
    # V4 wraps the body: {"content": ..., "contentType": ..., "encoded": false|"base64"|...}.
    if (
        isinstance(body, Mapping)
        and "content" in body
        and ("contentType" in body or "encoded" in body)
    ):
        content = body.get("content")
        encoded = body.get("encoded")
        if encoded == "base64" and isinstance(content, str):
            decoded = base64.b64decode(content)
            try:
                return json.loads(decoded)
            except ValueError:
                return decoded
        if encoded == "json" and isinstance(content, str):
            try:
                return json.loads(content)
            except ValueError:
                return content
        return content
    return body


def _origin(raw: Mapping[str, Any], listed: Mapping[str, Any]) -> Origin | None:
    for holder in (raw.get("comments"), raw.get("metadata")):
        if isinstance(holder, Mapping) and isinstance(holder.get(_ORIGIN_KEY), Mapping):
            return _origin_from(holder[_ORIGIN_KEY])
    # V3 has no comments: `generate` lists the origins in the pact's metadata instead.
    data = listed.get(str(raw.get("description") or ""))
    return _origin_from(data) if isinstance(data, Mapping) else None


def _listed_origins(pact: Mapping[str, Any]) -> Mapping[str, Any]:
    metadata = pact.get("metadata")
    ours = metadata.get(_ORIGIN_KEY) if isinstance(metadata, Mapping) else None
    listed = ours.get("interactions") if isinstance(ours, Mapping) else None
    return listed if isinstance(listed, Mapping) else _EMPTY


def _origin_from(data: Mapping[str, Any]) -> Origin | None:
    """``generate``'s origin: ``definition`` (the name), ``contentHash``, ``source``,
    ``location``, ``example`` (the name), ``derived``; ``definition`` and ``example`` may
    also be objects (``{name, contentHash, file}``, ``{name, input}``)."""
    definition = data.get("definition")
    details = definition if isinstance(definition, Mapping) else data
    action = (
        _text(definition) if not isinstance(definition, Mapping) else _text(details.get("name"))
    )
    if action is None:
        return None
    example = data.get("example")
    example_name = _text(example.get("name")) if isinstance(example, Mapping) else _text(example)
    given = data.get("input")
    if isinstance(example, Mapping) and isinstance(example.get("input"), Mapping):
        given = example["input"]
    return Origin(
        action=action,
        content_hash=_text(details.get("contentHash") or details.get("content_hash")),
        source=_text(details.get("source") or details.get("file")),
        location=_text(details.get("location")) or "",
        example=example_name,
        input=MappingProxyType(dict(given)) if isinstance(given, Mapping) else _EMPTY,
        derived=bool(data.get("derived")),
    )


def _text(value: Any) -> str | None:
    return str(value) if isinstance(value, str | int) and str(value) else None
