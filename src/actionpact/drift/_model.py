"""Recordings as data: one exchange with a vendor API, and the run that recorded it.

A recording is written as pretty JSON with sorted keys, one file per action and example, so
that a weekly run shows up in ``git diff`` as the fields that changed and nothing else.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from actionpact.core.errors import InputFileError

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

__all__ = [
    "RECORDING_FORMAT",
    "RUN_FORMAT",
    "BodyKind",
    "Outcome",
    "RecordedRequest",
    "RecordedResponse",
    "Recording",
    "RunInfo",
    "dump_json",
]

RECORDING_FORMAT = "actionpact-recording/1"
RUN_FORMAT = "actionpact-recording-run/1"


class Outcome(enum.StrEnum):
    """What happened when the request was sent.

    ``ok`` is a 2xx answer with a JSON (or empty) body; everything else is recorded as it
    happened, never raised: a vendor that misbehaves is exactly what drift mode looks for.
    """

    ok = "ok"
    http_error = "http-error"  # a non-2xx status, body kept
    not_json = "not-json"  # a 2xx answer whose body is HTML or invalid JSON
    too_large = "too-large"  # the body passed the size cap; not kept
    timeout = "timeout"
    connection_error = "connection-error"
    render_failed = "render-failed"  # the request could not be rendered: nothing was sent
    skipped = "skipped"  # the run's time budget ran out before this one was sent

    @property
    def has_response(self) -> bool:
        """Whether the vendor answered with a status."""
        return self in (Outcome.ok, Outcome.http_error, Outcome.not_json, Outcome.too_large)


class BodyKind(enum.StrEnum):
    """How a recorded body is kept: parsed JSON, text, nothing, or left out for size."""

    json = "json"
    text = "text"
    empty = "empty"
    omitted = "omitted"


def dump_json(value: Any) -> str:
    """Pretty JSON with sorted keys and a final newline: stable text for diffs."""
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    """The request as the contract sees it: rendered with credential placeholders.

    Attributes:
        method: upper case. url: the rendered URL (absolute, or a relative Genesys path).
        path, query: the URL's path and raw query, what the provider matches on.
        headers: rendered headers, with secret ones removed. body: the rendered body.
    """

    method: str
    url: str
    path: str
    query: str
    headers: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    body: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The request's JSON shape in a recording file."""
        return {
            "method": self.method,
            "url": self.url,
            "path": self.path,
            "query": self.query,
            "headers": dict(self.headers),
            "body": self.body,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RecordedRequest:
        """Read the shape :meth:`to_json` writes."""
        return cls(
            method=str(data["method"]),
            url=str(data["url"]),
            path=str(data["path"]),
            query=str(data.get("query") or ""),
            headers=MappingProxyType({str(k): str(v) for k, v in data["headers"].items()}),
            body=data.get("body"),
        )


@dataclass(frozen=True, slots=True)
class RecordedResponse:
    """The vendor's answer, redacted.

    Attributes:
        status: the HTTP status. headers: lower-case names, secrets and hop-by-hop removed.
        kind: how ``body`` is kept. body: parsed JSON, text, or ``None``.
        size: the body's size in bytes as received (before redaction).
    """

    status: int
    headers: Mapping[str, str]
    kind: BodyKind
    body: Any
    size: int

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower case (``""`` when absent)."""
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()

    def body_text(self) -> str:
        """The body as text, the way the vendor would send it (JSON compact)."""
        if self.kind is BodyKind.json:
            return json.dumps(self.body, separators=(",", ":"), ensure_ascii=False)
        if self.kind is BodyKind.text:
            return str(self.body)
        return ""

    def to_json(self) -> dict[str, Any]:
        """The response's JSON shape in a recording file."""
        return {
            "status": self.status,
            "headers": dict(self.headers),
            "bodyKind": self.kind.value,
            "body": self.body,
            "size": self.size,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RecordedResponse:
        """Read the shape :meth:`to_json` writes."""
        return cls(
            status=int(data["status"]),
            headers=MappingProxyType({str(k): str(v) for k, v in data["headers"].items()}),
            kind=BodyKind(data["bodyKind"]),
            body=data.get("body"),
            size=int(data.get("size", 0)),
        )


@dataclass(frozen=True, slots=True)
class Recording:
    """One exchange with the vendor, for one action and one example.

    Attributes:
        name: the file's path inside the recordings folder (``crm-lookup/known-caller.json``).
        action: the action's name. definition_hash: SHA-256 of the definition's JSON.
        source: the definition file, as given. provider, consumer: the pact's pacticipants.
        example: the example's name. derived: whether actionpact made the example up.
        given: the example's provider states (``{"state", "params"}``).
        input: the action input the request was rendered from.
        request: what was sent, as the contract sees it. response: the answer, if any.
        outcome: what happened. problem: a sentence when the outcome is not ``ok``.
        attempts: how many times the request was sent (429 answers are retried).
        redacted_headers: names of the headers removed as secrets.
        redacted_values: how many values were pseudonymised or scrubbed.
        when: when the answer came, ISO 8601 UTC.
    """

    name: str
    action: str
    definition_hash: str
    source: str
    provider: str
    consumer: str
    example: str
    derived: bool
    given: tuple[Mapping[str, Any], ...]
    input: Mapping[str, Any]
    request: RecordedRequest | None
    response: RecordedResponse | None
    outcome: Outcome
    problem: str | None
    attempts: int
    when: str
    redacted_headers: tuple[str, ...] = ()
    redacted_values: int = 0

    def to_json(self) -> dict[str, Any]:
        """The recording file's JSON document."""
        return {
            "format": RECORDING_FORMAT,
            "action": {
                "name": self.action,
                "definitionHash": self.definition_hash,
                "source": self.source,
                "provider": self.provider,
                "consumer": self.consumer,
            },
            "example": {
                "name": self.example,
                "derived": self.derived,
                "given": [dict(state) for state in self.given],
                "input": dict(self.input),
            },
            "request": self.request.to_json() if self.request is not None else None,
            "response": self.response.to_json() if self.response is not None else None,
            "outcome": self.outcome.value,
            "problem": self.problem,
            "attempts": self.attempts,
            "redacted": {"headers": list(self.redacted_headers), "values": self.redacted_values},
            "when": self.when,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any], *, name: str) -> Recording:
        """Read a recording document; ``name`` is its path inside the recordings folder.

        Raises:
            KeyError, TypeError, ValueError: the document is not a recording.
        """
        if data.get("format") != RECORDING_FORMAT:
            raise ValueError(f"not an {RECORDING_FORMAT} document")
        action, example = data["action"], data["example"]
        redacted = data.get("redacted") or {}
        request, response = data.get("request"), data.get("response")
        return cls(
            name=name,
            action=str(action["name"]),
            definition_hash=str(action["definitionHash"]),
            source=str(action.get("source", "")),
            provider=str(action["provider"]),
            consumer=str(action["consumer"]),
            example=str(example["name"]),
            derived=bool(example.get("derived", False)),
            given=tuple(MappingProxyType(dict(s)) for s in example.get("given", ())),
            input=MappingProxyType(dict(example.get("input") or {})),
            request=RecordedRequest.from_json(request) if request is not None else None,
            response=RecordedResponse.from_json(response) if response is not None else None,
            outcome=Outcome(data["outcome"]),
            problem=data.get("problem"),
            attempts=int(data.get("attempts", 1)),
            when=str(data["when"]),
            redacted_headers=tuple(redacted.get("headers", ())),
            redacted_values=int(redacted.get("values", 0)),
        )

    @classmethod
    def read(cls, file: Path, *, name: str) -> Recording:
        """Read a recording file.

        Raises:
            InputFileError: the file is not a readable recording.
        """
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
            return cls.from_json(data, name=name)
        except (OSError, UnicodeDecodeError) as error:
            raise InputFileError(f"{file}: cannot read the recording: {error}") from None
        except json.JSONDecodeError as error:
            raise InputFileError(
                f"{file}: not valid JSON ({error.msg} at line {error.lineno}, column {error.colno})"
            ) from None
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise InputFileError(f"{file}: not an actionpact recording ({error})") from None


@dataclass(frozen=True, slots=True)
class RunInfo:
    """What a whole recording run did, kept as ``run.json`` beside the recordings.

    Attributes:
        base_url: where requests went (credentials and query removed).
        started, finished: ISO 8601 UTC. outcomes: outcome -> count.
        recordings: the number of recordings. redaction: a summary of the rules applied.
    """

    base_url: str
    started: str
    finished: str
    recordings: int
    outcomes: Mapping[str, int]
    redaction: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def to_json(self) -> dict[str, Any]:
        """The ``run.json`` document."""
        return {
            "format": RUN_FORMAT,
            "baseUrl": self.base_url,
            "started": self.started,
            "finished": self.finished,
            "recordings": self.recordings,
            "outcomes": dict(sorted(self.outcomes.items())),
            "redaction": dict(self.redaction),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RunInfo:
        """Read a ``run.json`` document."""
        return cls(
            base_url=str(data.get("baseUrl", "")),
            started=str(data.get("started", "")),
            finished=str(data.get("finished", "")),
            recordings=int(data.get("recordings", 0)),
            outcomes=MappingProxyType(dict(data.get("outcomes") or {})),
            redaction=MappingProxyType(dict(data.get("redaction") or {})),
        )
