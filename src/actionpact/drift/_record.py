"""``record``: every example's exchange with the vendor, stored as one run of recordings.

Workers send the requests (:mod:`._exchange`), sharing one rate limiter and one time budget;
the calling thread writes each recording into a hidden folder and swaps the complete run in
at the end (:mod:`._store`), so an interrupted run leaves the previous recordings as they were.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections import Counter
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from actionpact.drift._exchange import Recorder, RecordOptions, iso_time, join_url
from actionpact.drift._model import Outcome, Recording, RunInfo
from actionpact.drift._rate import Clock, SystemClock
from actionpact.drift._redact import RedactionRules, Redactor
from actionpact.drift._store import RunWriter

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping, Sequence
    from pathlib import Path

    import httpx

    from actionpact.drift._plan import Target

__all__ = ["RecordOptions", "RecordResult", "join_url", "record"]

logger = logging.getLogger("actionpact.drift")


@dataclass(frozen=True, slots=True)
class RecordResult:
    """What a recording run did.

    Attributes:
        folder: the recordings folder. run: the run summary (``run.json``).
        recordings: in the order of the targets.
        warnings: things a person should know (credentials not set, examples skipped).
    """

    folder: Path
    run: RunInfo
    recordings: tuple[Recording, ...]
    warnings: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        """Whether every example was sent (nothing skipped or left unrendered)."""
        return all(
            r.outcome not in (Outcome.skipped, Outcome.render_failed) for r in self.recordings
        )


def _safe_base(base_url: str) -> str:
    parts = urlsplit(base_url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


class _ScrubLogs(logging.Filter):
    """Keep credential values out of httpx's own request logs (they show full URLs)."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self._redactor = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        text, count = self._redactor.scrub(record.getMessage())
        if count:
            record.msg, record.args = text, ()
        return True


def record(
    targets: Sequence[Target],
    out: Path,
    *,
    base_url: str,
    options: RecordOptions | None = None,
    rules: RedactionRules | None = None,
    environ: Mapping[str, str] | None = None,
    http: httpx.Client | None = None,
    clock: Clock | None = None,
    on_recording: Callable[[Recording, int, int], None] | None = None,
) -> RecordResult:
    """Record the vendor's answer to every target and swap the run into ``out``.

    Args:
        targets: what to record (see :func:`plan_targets`).
        out: the recordings folder; the run it replaces is kept as ``<out>.previous``.
        base_url: the vendor's staging API; it replaces the scheme and host of absolute URLs
            and prefixes relative (Genesys API) paths.
        options: concurrency, rate, time budget, timeouts, size cap, retries.
        rules: personal-data redaction (default: phone numbers and e-mail addresses).
        environ: where credentials are read (default ``os.environ``).
        http: an ``httpx.Client`` to send with (the caller keeps ownership).
        clock: time as the run sees it (tests pass a fake one).
        on_recording: called in the calling thread as ``(recording, done, total)``.

    Raises:
        ValueError: ``base_url`` is not an http(s) URL.
        KeyboardInterrupt: passed on after the partial run is deleted.
    """
    import os

    import httpx

    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"--base-url must be an http(s) URL, got {_safe_base(base_url)!r}")
    options = options or RecordOptions()
    clock = clock or SystemClock()
    own_http = http is None
    client = http or httpx.Client(follow_redirects=False)
    recorder = Recorder(
        targets,
        base_url=base_url,
        options=options,
        rules=rules or RedactionRules(),
        environ=os.environ if environ is None else environ,
        http=client,
        clock=clock,
    )
    log_filter = _ScrubLogs(recorder.redactor)
    # A logger's filters see only what is logged on it, not what its children pass up:
    # every httpx and httpcore logger gets one (httpcore.http11 logs raw response headers).
    names = {"httpx", "httpcore", "httpcore.http11", "httpcore.http2", "httpcore.connection"}
    names |= {
        name
        for name in list(logging.Logger.manager.loggerDict)
        if name.split(".", 1)[0] in ("httpx", "httpcore")
    }
    loggers = [logging.getLogger(name) for name in sorted(names)]
    for each in loggers:
        each.addFilter(log_filter)
    started = iso_time(clock)
    results: list[Recording | None] = [None] * len(targets)
    try:
        with RunWriter(out, keep_previous=options.keep_previous) as writer:
            for done, (index, recording) in enumerate(_run_all(recorder), start=1):
                writer.write(recording)
                results[index] = recording
                if on_recording is not None:
                    on_recording(recording, done, len(targets))
            recordings = tuple(r for r in results if r is not None)
            outcomes = Counter(r.outcome.value for r in recordings)
            run = RunInfo(
                base_url=_safe_base(base_url),
                started=started,
                finished=iso_time(clock),
                recordings=len(recordings),
                outcomes=MappingProxyType(dict(outcomes)),
                redaction=MappingProxyType(recorder.redactor.rules.summary()),
            )
            folder = writer.commit(run)
    finally:
        for each in loggers:
            each.removeFilter(log_filter)
        if own_http:
            client.close()
    warnings = list(recorder.warnings)
    skipped = outcomes.get(Outcome.skipped.value, 0)
    if skipped:
        warnings.append(f"{skipped} example(s) not sent: the time budget ran out")
    return RecordResult(folder, run, recordings, tuple(warnings))


def _run_all(recorder: Recorder) -> Iterator[tuple[int, Recording]]:
    """Run every target on daemon worker threads; yield results in completion order.

    Daemon threads, not an executor: an interrupted run must not wait for requests already
    on the wire (a slow vendor holds them up to the timeout); those finish or fail on their
    own and their answers are dropped.
    """
    total = len(recorder.targets)
    if total == 0:
        return
    tasks: queue.SimpleQueue[int] = queue.SimpleQueue()
    for index in range(total):
        tasks.put(index)
    results: queue.SimpleQueue[tuple[int, Recording | None, BaseException | None]]
    results = queue.SimpleQueue()

    def work() -> None:
        while not recorder.stopping.is_set():
            try:
                index = tasks.get_nowait()
            except queue.Empty:
                return
            try:
                results.put((index, recorder.run_one(index), None))
            except BaseException as error:  # a bug: hand it to the caller
                results.put((index, None, error))
                return

    workers = [
        threading.Thread(target=work, name=f"actionpact-record-{n}", daemon=True)
        for n in range(min(recorder.options.concurrency, total))
    ]
    for worker in workers:
        worker.start()
    finished = False
    try:
        for _ in range(total):
            while True:
                try:
                    index, recording, error = results.get(timeout=0.25)
                    break
                except queue.Empty:
                    continue
            if error is not None:
                raise error
            assert recording is not None
            yield index, recording
        finished = True
    finally:
        if not finished:
            # Interrupted, or the caller failed: wake every sleeper, start nothing more.
            recorder.stopping.set()
            stop = getattr(recorder.clock, "stop", None)
            if callable(stop):
                stop()
        else:
            for worker in workers:
                worker.join()
