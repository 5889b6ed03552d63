"""Running the work: a shard of actions, in this process or in a forked one.

A shard prepares its actions (compile, derive or read the examples, render the requests),
exercises the interactions in small batches through Pact mock servers on a few threads,
judges each example on what the mock server answered, and builds a partial pact per
consumer-provider pair from the interactions of the actions that held. The parent joins the
partial pacts.

Threads overlap the mock servers (which run outside the interpreter); the rest is Python and
holds the interpreter lock, so on a large run a second shard runs in a forked process. Forking
is only done while it is safe: no other thread running and the Pact engine not yet started in
this process (a forked copy of a running engine can deadlock). Otherwise everything runs in
one shard here.
"""

from __future__ import annotations

import multiprocessing
import sys
import threading
from collections import defaultdict
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from actionpact.contracts._pact import build_pact_parts, exercise_batch
from actionpact.contracts._prepare import Planned, Prepared, judge, prepare_action
from actionpact.contracts._results import (
    ActionResult,
    ActionStatus,
    covered_fields,
    output_fields,
)
from actionpact.core.errors import ActionPactError, ContractError, DefinitionError

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from actionpact.contracts._inputs import Unit

__all__ = ["Counter", "Settings", "ShardOutput", "fork_is_safe", "run_shard", "run_shards"]

_DONE: Future[None] = Future()
_DONE.set_result(None)

# Below this many actions a second process costs more than it saves.
FORK_THRESHOLD = 200


class Counter:
    """Examples judged so far, shared with a forked shard through ``multiprocessing``."""

    def __init__(self, shared: Any = None) -> None:
        self._shared = shared
        self._local = 0
        self._lock = threading.Lock()

    def add(self, count: int) -> None:
        if self._shared is not None:
            with self._shared.get_lock():
                self._shared.value += count
        else:
            with self._lock:
                self._local += count

    @property
    def value(self) -> int:
        return int(self._shared.value) if self._shared is not None else self._local


@dataclass(frozen=True, slots=True)
class ShardOutput:
    """What a shard hands back (plain data: it may cross a process boundary).

    Attributes:
        actions: (unit index, verdict). invalid: (unit index, reason, file, JSON path) of
        definitions that do not compile. pacts: pair -> pact texts in parts, to be joined
        (only when writing). origins: interaction description -> origin, for V3 pacts.
    """

    actions: tuple[tuple[int, ActionResult], ...]
    invalid: tuple[tuple[int, str, str | None, str | None], ...] = ()
    pacts: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    origins: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Settings:
    """How a shard works: Pact specification, batch size, threads, whether to build pacts."""

    specification: str
    batch_size: int
    workers: int
    build: bool


def fork_is_safe() -> bool:
    """Whether this process can fork a shard: fork exists, no other thread runs, and the
    Pact engine has not started here."""
    if sys.platform == "win32" or "fork" not in multiprocessing.get_all_start_methods():
        return False
    if threading.active_count() > 1:
        return False
    pact_logging = sys.modules.get("pact.logging")
    return not getattr(pact_logging, "_initialised", False)


# --------------------------------------------------------------------------- one shard


class _OpenBatch:
    """Interactions waiting for a mock server, none answering the same request."""

    __slots__ = ("entries", "keys")

    def __init__(self) -> None:
        self.entries: list[tuple[Prepared, Planned]] = []
        self.keys: set[tuple[str, str, tuple[tuple[str, str, str | None], ...]]] = set()


def _place(
    batches: list[_OpenBatch], prepared: Prepared, planned: Planned, size: int
) -> _OpenBatch | None:
    """Put ``planned`` in the first batch where no other interaction has the same request
    (a mock server would answer both with one response); return the batch if now full."""
    interaction = planned.interaction
    assert interaction is not None
    request = interaction.request
    key = (request.method, request.path, request.query)
    for batch in batches:
        if key not in batch.keys:
            break
    else:
        batch = _OpenBatch()
        batches.append(batch)
    batch.entries.append((prepared, planned))
    batch.keys.add(key)
    if len(batch.entries) >= size:
        batches.remove(batch)
        return batch
    return None


def _run_batch(
    pair: tuple[str, str], entries: list[tuple[Prepared, Planned]], version: str, done: Counter
) -> None:
    """Exercise one batch through its mock server and judge each example (in a thread)."""
    specs = [planned.interaction for _, planned in entries if planned.interaction is not None]
    exchanges = exercise_batch(pair[0], pair[1], specs, specification=version)
    for (prepared, planned), exchange in zip(entries, exchanges, strict=True):
        planned.result = judge(prepared, planned, exchange)
    done.add(len(entries))


def _early(unit: Unit, status: ActionStatus, reason: str) -> ActionResult:
    definition = unit.definition
    return ActionResult(
        name=definition.name,
        source=definition.source,
        location=definition.location,
        content_hash=definition.content_hash,
        consumer=unit.consumer,
        provider=unit.provider,
        status=status,
        reason=reason,
    )


def _prepare(unit: Unit) -> Prepared | ActionResult | DefinitionError:
    from actionpact.genesys import compile_action

    definition = unit.definition
    if definition.unsupported:
        return _early(unit, "unsupported", "not supported: " + "; ".join(definition.unsupported))
    try:
        action = compile_action(definition)
    except DefinitionError as error:
        return error
    origin: dict[str, Any] = {
        "definition": definition.name,
        "contentHash": definition.content_hash,
    }
    if unit.source is not None:
        origin["source"] = unit.source
    if definition.location:
        origin["location"] = definition.location
    return prepare_action(
        action, unit.section, origin=origin, describe=unit.descriptions.__getitem__
    )


def _verdict(unit: Unit, prepared: Prepared) -> ActionResult:
    definition = unit.definition
    examples = tuple(p.result for p in prepared.planned if p.result is not None)
    failed = next((e for e in examples if not e.success), None)
    outputs = [e.output for e in examples if e.success and not e.expected_failure]
    return ActionResult(
        name=definition.name,
        source=definition.source,
        location=definition.location,
        content_hash=definition.content_hash,
        consumer=unit.consumer,
        provider=unit.provider,
        status="failed" if failed is not None else "ok",
        reason=f"example {failed.name!r} {failed.error}" if failed is not None else None,
        step=failed.step if failed is not None else None,
        examples=examples,
        fields=output_fields(definition.output_schema),
        covered=covered_fields(definition.output_schema, outputs),
    )


def run_shard(
    units: Sequence[Unit],
    settings: Settings,
    done: Counter,
    report: Callable[[int], None] | None = None,
) -> ShardOutput:
    """Prepare, exercise, judge and build the partial pacts of ``units``.

    ``report`` is called with ``done``'s count as batches finish (from this thread).
    """
    results: list[tuple[int, ActionResult]] = []
    invalid: list[tuple[int, str, str | None, str | None]] = []
    prepared_for: dict[int, Prepared] = {}
    pending: dict[tuple[str, str], list[_OpenBatch]] = defaultdict(list)
    futures: list[Future[None]] = []
    with ThreadPoolExecutor(settings.workers, thread_name_prefix="actionpact-mock") as pool:
        try:
            for unit in units:
                outcome = _prepare(unit)
                if isinstance(outcome, DefinitionError):
                    invalid.append(
                        (
                            unit.index,
                            outcome.reason,
                            str(outcome.file) if outcome.file else None,
                            outcome.path,
                        )
                    )
                    results.append((unit.index, _early(unit, "invalid", str(outcome))))
                    continue
                if isinstance(outcome, ActionResult):
                    results.append((unit.index, outcome))
                    continue
                prepared_for[unit.index] = outcome
                early = sum(1 for p in outcome.planned if p.interaction is None)
                if early:
                    done.add(early)
                for planned in outcome.planned:
                    if planned.interaction is None:
                        continue
                    full = _place(pending[unit.pair], outcome, planned, settings.batch_size)
                    if full is not None:
                        futures.append(
                            pool.submit(
                                _run_batch, unit.pair, full.entries, settings.specification, done
                            )
                        )
            for pair, open_batches in pending.items():
                for batch in open_batches:
                    futures.append(
                        pool.submit(_run_batch, pair, batch.entries, settings.specification, done)
                    )
            for number, future in enumerate(futures):
                future.result()
                futures[number] = _DONE
                if report is not None:
                    report(done.value)
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    by_index = {unit.index: unit for unit in units}
    for index, prepared in prepared_for.items():
        results.append((index, _verdict(by_index[index], prepared)))
    results.sort(key=lambda item: item[0])
    pacts: dict[tuple[str, str], list[str]] = {}
    origins: dict[str, dict[str, Any]] = {}
    ok: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for index, action in results:
        if action.ok:
            for planned in prepared_for[index].planned:
                if planned.interaction is not None:
                    ok[(action.consumer, action.provider)].append(planned.interaction)
                    origins[planned.interaction.description] = dict(planned.interaction.origin)
    if settings.build:
        for pair, interactions in ok.items():
            pacts[pair] = build_pact_parts(
                *pair, interactions, specification=settings.specification
            )
    return ShardOutput(tuple(results), tuple(invalid), pacts, origins)


# --------------------------------------------------------------------------- several shards

_FORKED: tuple[Sequence[Unit], Settings, Any, int] | None = None


def _forked_shard(number: int) -> ShardOutput:
    """A forked process's work; its inputs are inherited from the parent, not pickled."""
    assert _FORKED is not None
    units, settings, shared, processes = _FORKED
    try:
        return run_shard(units[number::processes], settings, Counter(shared))
    except ActionPactError as error:
        # Error classes with keyword-only context do not unpickle: send the message.
        raise ContractError(str(error)) from None


def run_shards(
    units: Sequence[Unit],
    settings: Settings,
    *,
    processes: int,
    report: Callable[[int], None] | None = None,
) -> list[ShardOutput]:
    """Run ``units`` in ``processes`` shards, this process doing the first one.

    ``report`` is called now and then with the number of examples judged so far.
    """
    global _FORKED  # noqa: PLW0603 - handed to the forked children by inheritance
    if processes <= 1:
        counter = Counter()
        return [run_shard(units, settings, counter, report)]
    # Loaded once here rather than in every process (importing starts no engine or thread).
    import pact  # noqa: F401

    context = multiprocessing.get_context("fork")
    shared = context.Value("i", 0)
    counter = Counter(shared)
    outputs: list[ShardOutput] = []
    # The executor forks its workers at the first submit, before it starts any thread.
    _FORKED = (units, settings, shared, processes)
    executor = ProcessPoolExecutor(max_workers=processes - 1, mp_context=context)
    try:
        children = [executor.submit(_forked_shard, n) for n in range(1, processes)]
        _FORKED = None
        outputs.append(run_shard(units[0::processes], settings, counter, report))
        for child in children:
            while True:
                try:
                    outputs.append(child.result(timeout=0.25))
                    break
                except TimeoutError:
                    if report is not None:
                        report(counter.value)
        if report is not None:
            report(counter.value)
    except ActionPactError:
        raise
    except Exception as error:
        raise ContractError(f"a forked shard failed: {error}") from error
    finally:
        _FORKED = None
        executor.shutdown(wait=True, cancel_futures=True)
    return outputs
