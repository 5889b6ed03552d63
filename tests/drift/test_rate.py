"""The rate limiter: evenly spaced slots, a deadline, and pauses that every worker honours."""

from __future__ import annotations

import itertools
import threading

import pytest
from drift_vendor import FakeClock

from actionpact.drift import RateLimiter


def test_slots_are_spaced_by_the_rate() -> None:
    clock = FakeClock()
    limiter = RateLimiter(120, clock)
    starts = []
    for _ in range(5):
        assert limiter.acquire()
        starts.append(clock.monotonic())
    assert [b - a for a, b in itertools.pairwise(starts)] == [0.5] * 4


def test_no_limit_never_waits() -> None:
    clock = FakeClock()
    limiter = RateLimiter(None, clock)
    for _ in range(10):
        assert limiter.acquire()
    assert clock.sleeps == []


def test_a_slot_past_the_deadline_is_refused_and_not_reserved() -> None:
    clock = FakeClock()
    limiter = RateLimiter(60, clock)
    deadline = clock.monotonic() + 1.5
    assert limiter.acquire(deadline)
    assert limiter.acquire(deadline)
    assert not limiter.acquire(deadline)
    assert limiter.reserve() == pytest.approx(clock.monotonic() + 1.0)


def test_pause_pushes_every_later_slot_back() -> None:
    clock = FakeClock()
    limiter = RateLimiter(None, clock)
    limiter.pause_until(clock.monotonic() + 7)
    assert limiter.acquire()
    assert clock.sleeps == [7]


def test_concurrent_workers_share_the_slots() -> None:
    clock = FakeClock()
    limiter = RateLimiter(600, clock)
    slots: list[float] = []
    lock = threading.Lock()

    def work() -> None:
        for _ in range(10):
            start = limiter.reserve()
            with lock:
                slots.append(start)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    slots.sort()
    assert len(set(slots)) == 40
    assert all(b - a == pytest.approx(0.1) for a, b in itertools.pairwise(slots))


def test_negative_rate_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="negative"):
        RateLimiter(-1, FakeClock())
