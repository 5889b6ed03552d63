"""Secrets never leave actionpact: mask them in every text and value it returns."""

from __future__ import annotations

import contextlib
import json
import logging
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

__all__ = ["MASK", "mask_secrets", "mask_value", "masked_log_records"]

# Libraries whose records may carry what was sent or received: pact-python forwards the
# verifier's (response headers at debug level), httpcore logs raw headers at debug level.
_NOISY_LOGGERS = ("pact", "httpx", "httpcore")

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


@contextlib.contextmanager
def masked_log_records(secrets: Iterable[str | None]) -> Iterator[None]:
    """Mask secrets in the log records of the engine and the HTTP client while inside.

    Records are masked as they are made, so no handler the application configured (a file,
    a CI log) ever sees a secret. The record factory is process-wide and restored on exit.
    """
    needles = _needles(secrets)
    if not needles:
        yield
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        if record.name.split(".", 1)[0] in _NOISY_LOGGERS:
            record.msg = mask_secrets(record.getMessage(), needles)
            record.args = None
        return record

    logging.setLogRecordFactory(factory)
    try:
        yield
    finally:
        logging.setLogRecordFactory(previous)
