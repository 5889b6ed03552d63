"""Pacing a recording run: a clock that tests can replace and a shared rate limiter.

Vendors' staging APIs are small and rate limited; a weekly check must never be the reason a
vendor throttles the contact center. Every request, retries included, takes a slot from one
limiter shared by all workers; a 429 pushes every later slot back by its ``Retry-After``.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Protocol

__all__ = ["Clock", "RateLimiter", "SystemClock"]


class Clock(Protocol):
    """Time as the recorder sees it; replaced in tests so that nothing really waits."""

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back."""
        ...

    def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` (may return early when the run is being stopped)."""
        ...

    def now(self) -> dt.datetime:
        """The wall-clock time, timezone-aware UTC."""
        ...


class SystemClock:
    """The real clock; :meth:`sleep` wakes up at once when :meth:`stop` is called."""

    def __init__(self) -> None:
        self._stopped = threading.Event()

    def monotonic(self) -> float:
        """``time.monotonic()``."""
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        """Wait, unless the run is stopping."""
        if seconds > 0:
            self._stopped.wait(seconds)

    def now(self) -> dt.datetime:
        """The current UTC time."""
        return dt.datetime.now(dt.UTC)

    def stop(self) -> None:
        """Wake every sleeper: the run is being interrupted."""
        self._stopped.set()


class RateLimiter:
    """Hands out evenly spaced start times: a token bucket of size one.

    Slots are reserved under a lock, then slept for outside it, so concurrent workers start
    requests ``60 / per_minute`` seconds apart and the rate holds however many there are.

    Args:
        per_minute: the most requests per minute; ``None`` or 0 for no limit.
        clock: where time comes from.
    """

    def __init__(self, per_minute: float | None, clock: Clock) -> None:
        if per_minute is not None and per_minute < 0:
            raise ValueError("per_minute cannot be negative")
        self.interval = 60.0 / per_minute if per_minute else 0.0
        self._clock = clock
        self._lock = threading.Lock()
        self._next = 0.0  # the earliest start of the next slot (monotonic seconds)

    def reserve(self) -> float:
        """Reserve the next slot and return its start (monotonic seconds)."""
        with self._lock:
            start = max(self._clock.monotonic(), self._next)
            self._next = start + self.interval
            return start

    def acquire(self, deadline: float | None = None) -> bool:
        """Wait for the next slot.

        Args:
            deadline: a monotonic time; a slot starting after it is not waited for.

        Returns:
            ``False`` when the slot would start after ``deadline`` (nothing is reserved).
        """
        with self._lock:
            start = max(self._clock.monotonic(), self._next)
            if deadline is not None and start > deadline:
                return False
            self._next = start + self.interval
        self._clock.sleep(start - self._clock.monotonic())
        return True

    def pause_until(self, when: float) -> None:
        """Start no slot before ``when``: the vendor asked everyone to wait (429)."""
        with self._lock:
            self._next = max(self._next, when)
