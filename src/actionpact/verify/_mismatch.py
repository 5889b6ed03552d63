"""The Pact verifier's mismatches, in plain words.

The verifier's results hold, per interaction, either an error message (the request or a
state change failed) or a list of mismatches typed ``StatusMismatch``, ``HeaderMismatch``,
``BodyTypeMismatch``, ``BodyMismatch``... Each becomes one sentence a person can act on; the
verifier's own words are kept beside it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["Mismatch", "read_mismatches"]

_MAX_TEXT = 400


@dataclass(frozen=True, slots=True)
class Mismatch:
    """One way the provider's answer broke the contract.

    Attributes:
        kind: the verifier's type (``StatusMismatch``, ``HeaderMismatch``, ``BodyMismatch``,
            ``BodyTypeMismatch``, ``QueryMismatch``...) or ``error``.
        text: the mismatch in plain words.
        path: the JSONPath (body) or header name it concerns, if any.
        detail: the verifier's own words.
    """

    kind: str
    text: str
    path: str | None = None
    detail: str | None = None


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= _MAX_TEXT else text[: _MAX_TEXT - 1] + "…"


def read_mismatches(raw: Any) -> list[Mismatch]:
    """The mismatches of one interaction result's ``mismatch`` object."""
    if not isinstance(raw, Mapping):
        return []
    if raw.get("type") == "error" or ("message" in raw and "mismatches" not in raw):
        message = _short(raw.get("message") or "the verifier reported an error")
        return [Mismatch("error", _error_text(message), detail=message)]
    found: list[Mismatch] = []
    for item in raw.get("mismatches") or ():
        if isinstance(item, Mapping):
            found.append(_one(item))
    return found


def _error_text(message: str) -> str:
    lowered = message.lower()
    if "state change" in lowered or "provider state" in lowered:
        return f"the provider state could not be set up: {message}"
    if "error sending request" in lowered or "connection" in lowered:
        return f"the provider could not be reached: {message}"
    return f"the interaction could not be verified: {message}"


def _one(item: Mapping[str, Any]) -> Mismatch:
    kind = str(item.get("type") or "Mismatch")
    detail = _short(item.get("mismatch") or "")
    expected, actual = item.get("expected"), item.get("actual")
    if kind == "StatusMismatch":
        return Mismatch(
            kind,
            f"the provider answered HTTP {actual} where the contract expects {expected}",
            detail=detail,
        )
    if kind == "HeaderMismatch":
        key = str(item.get("key") or "")
        return Mismatch(kind, f"response header `{key}`: {detail}", path=key, detail=detail)
    if kind == "BodyTypeMismatch":
        return Mismatch(
            kind,
            f"the response body is {_short(actual)} where the contract expects {_short(expected)}",
            detail=detail,
        )
    if kind == "BodyMismatch":
        path = str(item.get("path") or "$")
        return Mismatch(kind, f"{path}: {detail}", path=path, detail=detail)
    if kind == "QueryMismatch":
        parameter = str(item.get("parameter") or "")
        return Mismatch(
            kind, f"query parameter `{parameter}`: {detail}", path=parameter, detail=detail
        )
    return Mismatch(kind, detail or kind, detail=detail)
