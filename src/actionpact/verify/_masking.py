"""Secrets never leave actionpact: mask them in every text and value it returns."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["MASK", "mask_secrets", "mask_value"]

MASK = "***"
MIN_SECRET = 4
_AUTH_SCHEMES = frozenset({"basic", "bearer", "digest", "token", "negotiate", "apikey"})


def _needles(secrets: Iterable[str | None]) -> list[str]:
    found: set[str] = set()
    for secret in secrets:
        if not secret or len(secret) < MIN_SECRET:
            continue
        found.add(secret)
        # Engines print a header's parts apart: mask the credential, keep the scheme word.
        found.update(
            part
            for part in secret.split()
            if len(part) >= MIN_SECRET and part.lower() not in _AUTH_SCHEMES
        )
    return sorted(found, key=len, reverse=True)


def mask_secrets(text: str, secrets: Iterable[str | None]) -> str:
    """``text`` with every secret replaced by ``***``.

    ``Bearer abc123def`` is masked whole and its credential part alone; values shorter than
    four characters are left alone (masking every ``1`` would hide nothing and garble all).
    """
    for needle in _needles(secrets):
        text = text.replace(needle, MASK)
    return text


def mask_value(value: Any, secrets: Iterable[str | None]) -> Any:
    """A JSON value with every secret masked in its strings and keys."""
    needles = _needles(secrets)
    if not needles:
        return value
    text = json.dumps(value, ensure_ascii=False)
    for needle in needles:
        text = text.replace(json.dumps(needle, ensure_ascii=False)[1:-1], MASK)
    return json.loads(text)
