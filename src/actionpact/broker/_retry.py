"""When and how long to wait before asking the broker again.

Exponential backoff with full jitter (the delay is drawn uniformly below the exponential cap, so
many CI jobs retrying at once spread out), ``Retry-After`` honoured but capped, and two bounds:
a number of attempts and a total time. Sleeping and the clocks are injectable so tests run fast.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["RETRYABLE_STATUSES", "RetryPolicy", "parse_retry_after"]

# 429: rate limited; 502/503/504: a proxy or a restarting broker. Anything else is an answer.
RETRYABLE_STATUSES = frozenset({429, 502, 503, 504})


def parse_retry_after(value: str | None, *, now: float) -> float | None:
    """Seconds to wait according to a ``Retry-After`` header, or ``None`` if unusable.

    Args:
        value: the header: delta-seconds (``"2"``) or an HTTP date.
        now: the current wall-clock time (seconds since the epoch), for HTTP dates.

    >>> parse_retry_after("3", now=0.0)
    3.0
    >>> parse_retry_after("Thu, 01 Jan 1970 00:00:10 GMT", now=4.0)
    6.0
    """
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # RFC 9110 dates are GMT
        return None
    return max(0.0, when.timestamp() - now)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How the broker client retries connection errors and 429/502/503/504 answers.

    Attributes:
        max_attempts: attempts in all, the first included (1 turns retries off).
        base_delay: the backoff cap before the second attempt, doubled for each later one.
        max_delay: the largest backoff cap.
        max_total: total seconds one request may take, waits included; a wait that would
            pass it is not started.
        max_retry_after: the longest ``Retry-After`` obeyed; longer ones are cut to this.
        sleep: how to wait (``time.sleep``).
        clock: a monotonic clock for the time budget (``time.monotonic``).
        wall_clock: seconds since the epoch, for ``Retry-After`` dates (``time.time``).
        random: a number in [0, 1) for the jitter (``random.random``).
    """

    max_attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 8.0
    max_total: float = 60.0
    max_retry_after: float = 30.0
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False)
    clock: Callable[[], float] = field(default=time.monotonic, compare=False)
    wall_clock: Callable[[], float] = field(default=time.time, compare=False)
    random: Callable[[], float] = field(default=random.random, compare=False)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if min(self.base_delay, self.max_delay, self.max_total, self.max_retry_after) < 0:
            raise ValueError("delays and budgets cannot be negative")

    def backoff(self, attempt: int) -> float:
        """The jittered wait after failed attempt number ``attempt`` (1-based)."""
        cap = min(self.max_delay, self.base_delay * 2.0 ** (attempt - 1))
        return float(self.random()) * cap

    def delay(self, attempt: int, retry_after: str | None) -> float:
        """The wait after ``attempt``: the broker's ``Retry-After`` (capped) or the backoff."""
        asked = parse_retry_after(retry_after, now=self.wall_clock())
        if asked is not None:
            return min(asked, self.max_retry_after)
        return self.backoff(attempt)
