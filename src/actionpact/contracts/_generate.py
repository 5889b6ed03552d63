"""``generate``: definitions and specs in, one pact per consumer-provider pair out.

Everything is read and checked before anything is written: an unreadable or invalid file
raises (:class:`InputFileError`) and leaves the output folder as it was. Actions that cannot
get a contract (they fail their own example, use a feature not supported yet, hold
placeholders) are reported with their reason and left out; the others are written. Each pact
is written atomically.
"""

from __future__ import annotations

import logging
import os
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

from actionpact.contracts._config import ProjectConfig, load_config
from actionpact.contracts._inputs import definition_paths, plan_units, read_units
from actionpact.contracts._join import PactJoiner
from actionpact.contracts._pact import pact_file_name
from actionpact.contracts._results import ActionResult, GenerateResult, PairResult
from actionpact.contracts._shard import (
    FORK_THRESHOLD,
    Settings,
    ShardOutput,
    fork_is_safe,
    run_shards,
)
from actionpact.core.errors import ConfigError, ContractError, DefinitionError

__all__ = ["Progress", "generate"]

logger = logging.getLogger("actionpact.contracts")

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``: ``stage`` is ``exercise`` (examples judged so far)."""

_BATCH = 4


def _spec_version(value: str | None, config: ProjectConfig) -> str:
    if value is None:
        return config.specification
    normalized = value.strip().upper()
    if normalized in ("V4", "4"):
        return "V4"
    if normalized in ("V3", "3"):
        return "V3"
    raise ConfigError(f"unknown Pact specification {value!r}; use V4 or V3", setting="spec-version")


def _processes(requested: int | None, actions: int) -> int:
    if requested is None:
        cores = os.cpu_count() or 1
        requested = min(2, cores) if actions >= FORK_THRESHOLD else 1
    if requested > 1 and not fork_is_safe():
        logger.debug("running in one process: forking is not safe here")
        return 1
    return max(1, requested)


def generate(
    paths: Sequence[str | Path] = ("contracts",),
    *,
    out: str | Path | None = None,
    config: ProjectConfig | None = None,
    specification: str | None = None,
    consumer: str | None = None,
    min_coverage: float | None = None,
    check: bool = False,
    strict: bool = True,
    batch_size: int = _BATCH,
    workers: int | None = None,
    processes: int | None = None,
    progress: Progress | None = None,
) -> GenerateResult:
    """Generate Pact contracts from Data Action definitions and their specs.

    Args:
        paths: definition files or folders (read recursively); a ``*.spec.yaml`` stands for
            the definition beside it.
        out: the pact folder (default: from ``actionpact.yaml``, else ``pacts``).
        config: project settings (default: ``actionpact.yaml`` if there is one).
        specification: ``V4`` (default) or ``V3``.
        consumer: the consumer name (a spec's own ``consumer`` still wins for its action).
        min_coverage: percent of declared output fields each action's examples must fill.
        check: check everything, exercise every example, write nothing.
        strict: raise on a definition that does not compile; with ``False`` it is reported
            as an ``invalid`` action instead.
        batch_size: interactions per mock server. workers: mock servers run at once per
            process. processes: processes sharing the work (default: two on a large run when
            the machine has two cores and forking is safe).
        progress: called as ``progress("exercise", done, total)`` as examples are judged.

    Returns:
        The pairs written and a verdict per action.

    Raises:
        InputFileError: a definition, spec or config cannot be read or is invalid; nothing
            is written.
    """
    started = time.perf_counter()
    config = config if config is not None else load_config()
    version = _spec_version(specification, config)
    folder = Path(out) if out is not None else config.output
    bar = config.min_coverage if min_coverage is None else float(min_coverage)
    if not 0 <= bar <= 100:
        raise ConfigError(f"min coverage must be 0-100, got {bar}", setting="min-coverage")
    units = plan_units(read_units(definition_paths(paths)), config, consumer)
    settings = Settings(
        specification=version,
        batch_size=max(1, batch_size),
        workers=workers or 2,
        build=not check,
    )
    total = sum(len(unit.descriptions) for unit in units)

    def report(done: int) -> None:
        if progress is not None:
            progress("exercise", done, total)

    outputs = run_shards(
        units, settings, processes=_processes(processes, len(units)), report=report
    )
    invalid = sorted((item for output in outputs for item in output.invalid), key=lambda i: i[0])
    if strict and invalid:
        raise _all_invalid([DefinitionError(r, file=f, path=p) for _, r, f, p in invalid])
    actions = sorted(
        (item for output in outputs for item in output.actions), key=lambda item: item[0]
    )
    results = [action for _, action in actions]
    pairs = _write(results, outputs, folder, version, write=not check)
    return GenerateResult(
        pairs=pairs,
        actions=tuple(results),
        written=not check,
        min_coverage=bar,
        specification=version,
        elapsed=time.perf_counter() - started,
    )


def _all_invalid(errors: list[DefinitionError]) -> DefinitionError:
    """The first invalid definition's error, naming how many more there are."""
    first = errors[0]
    if len(errors) == 1:
        return first
    others = ", ".join(str(e.file) if e.file else "?" for e in errors[1:6])
    more = f" (and {len(errors) - 1} more invalid definition(s): {others}"
    more += ", ...)" if len(errors) > 6 else ")"
    return DefinitionError(first.reason + more, file=first.file, path=first.path)


def _write(
    actions: list[ActionResult],
    outputs: Sequence[ShardOutput],
    folder: Path,
    version: str,
    *,
    write: bool,
) -> tuple[PairResult, ...]:
    """Join each pair's partial pacts and write them; summarise every pair."""
    by_pair: dict[tuple[str, str], list[ActionResult]] = defaultdict(list)
    for action in actions:
        if action.ok:
            by_pair[(action.consumer, action.provider)].append(action)
    origins = {k: v for output in outputs for k, v in output.origins.items()}
    pairs: list[PairResult] = []
    for pair in sorted(by_pair):
        group = by_pair[pair]
        interactions = sum(a.interactions for a in group)
        target: Path | None = None
        # Taken out of the shard outputs, so each part is freed once joined.
        parts = [part for output in outputs for part in output.pacts.pop(pair, ())]
        if write and parts:
            extra = None
            if version == "V3":
                descriptions = {e.description for a in group for e in a.examples if e.description}
                extra = {"interactions": {d: origins[d] for d in sorted(descriptions)}}
            joiner = PactJoiner()
            while parts:
                joiner.add(parts.pop())
            target = folder / pact_file_name(*pair)
            try:
                joiner.write(target, extra_metadata=extra)
            except OSError as error:
                reason = error.strerror or str(error)
                raise ContractError(f"cannot write the pact {target}: {reason}") from error
        fields = sum(len(a.fields) for a in group)
        covered = sum(len(a.covered) for a in group)
        pairs.append(
            PairResult(
                consumer=pair[0],
                provider=pair[1],
                file=target,
                actions=len(group),
                interactions=interactions,
                coverage=round(100.0 * covered / fields, 1) if fields else 100.0,
            )
        )
    return tuple(pairs)
