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
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from actionpact.contracts._config import ProjectConfig, load_config
from actionpact.contracts._pact import exercise_batch, join_batches, pact_file_name
from actionpact.contracts._prepare import Planned, Prepared, judge, prepare_action
from actionpact.contracts._results import (
    ActionResult,
    ActionStatus,
    GenerateResult,
    PairResult,
    covered_fields,
    output_fields,
)
from actionpact.contracts._spec import SPEC_SUFFIX, SpecFile, load_spec, spec_path_for
from actionpact.contracts._yaml import did_you_mean
from actionpact.core import atomic_write_text
from actionpact.core.errors import (
    ConfigError,
    DefinitionError,
    SpecError,
)
from actionpact.definition import ActionDefinition, load_definitions

__all__ = ["Progress", "generate"]

logger = logging.getLogger("actionpact.contracts")

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``: ``stage`` is ``prepare`` or ``exercise``."""

_BATCH = 4


# --------------------------------------------------------------------------- reading


def _definition_paths(paths: Iterable[str | Path]) -> list[Path]:
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.name.endswith(SPEC_SUFFIX):
            sibling = path.with_name(path.name[: -len(SPEC_SUFFIX)] + ".json")
            if not sibling.exists():
                raise SpecError(f"no definition {sibling.name} beside this spec", file=path)
            path = sibling
        if not path.exists():
            raise DefinitionError("no such file or folder", file=path)
        out.append(path)
    return out


def _orphan_specs(folder: Path) -> None:
    """A spec whose definition file does not exist is a typo in its name: say so."""
    definitions = {p.stem for p in folder.rglob("*.json")}
    for spec in sorted(folder.rglob(f"*{SPEC_SUFFIX}")):
        stem = spec.name[: -len(SPEC_SUFFIX)]
        if not (spec.parent / f"{stem}.json").exists():
            hint = did_you_mean(stem, definitions)
            raise SpecError(f"no definition {stem}.json beside this spec{hint}", file=spec)


def _read(paths: Sequence[Path]) -> list[tuple[ActionDefinition, Any]]:
    """Definitions in read order, each with its spec section (or ``None``)."""
    seen: set[tuple[str, str]] = set()
    definitions: list[ActionDefinition] = []
    for path in paths:
        if path.is_dir():
            _orphan_specs(path)
        for definition in load_definitions(path):
            key = (
                str(definition.source.resolve()) if definition.source else "",
                definition.location,
            )
            if key not in seen:
                seen.add(key)
                definitions.append(definition)
    by_file: dict[Path, list[ActionDefinition]] = defaultdict(list)
    for definition in definitions:
        if definition.source is not None:
            by_file[definition.source].append(definition)
    sections: dict[tuple[Path | None, str], Any] = {}
    for file, group in by_file.items():
        spec_file = spec_path_for(file)
        if not spec_file.is_file():
            continue
        spec = load_spec(spec_file)
        _check_spec(spec, group)
        only = len(group) == 1
        for definition in group:
            sections[(file, definition.location)] = spec.for_action(definition.name, only=only)
    return [(d, sections.get((d.source, d.location))) for d in definitions]


def _check_spec(spec: SpecFile, group: list[ActionDefinition]) -> None:
    names = [d.name for d in group]
    for name, line in spec.action_lines.items():
        if name not in names:
            raise SpecError(
                f"no action named {name!r} in the definition file{did_you_mean(name, names)}",
                file=spec.file,
                line=line,
                field=f"actions.{name}",
            )
    if spec.default is not None and len(group) > 1:
        raise SpecError(
            f"the definition file holds {len(group)} actions; give each its section under "
            f"'actions:' ({', '.join(repr(n) for n in names)})",
            file=spec.file,
            line=spec.default.line,
        )


# --------------------------------------------------------------------------- naming


def _relative(source: Path | None) -> str | None:
    if source is None:
        return None
    try:
        return Path(os.path.relpath(source)).as_posix()
    except ValueError:  # pragma: no cover - another drive on Windows
        return source.as_posix()


class _Describer:
    """Descriptions unique within each pact: ``<action>: <example>``, disambiguated."""

    def __init__(self) -> None:
        self._used: dict[tuple[str, str], set[str]] = defaultdict(set)

    def for_action(
        self, pair: tuple[str, str], definition: ActionDefinition
    ) -> Callable[[str], str]:
        used = self._used[pair]

        def describe(example: str) -> str:
            base = f"{definition.name}: {example}"
            candidates = [base]
            if definition.source is not None:
                candidates.append(f"{definition.name} [{definition.source.name}]: {example}")
                if definition.location:
                    candidates.append(
                        f"{definition.name} [{definition.source.name}{definition.location}]: "
                        f"{example}"
                    )
            for candidate in candidates:
                if candidate not in used:
                    used.add(candidate)
                    return candidate
            number = 2
            while f"{base} #{number}" in used:
                number += 1
            used.add(f"{base} #{number}")
            return f"{base} #{number}"

        return describe


# --------------------------------------------------------------------------- generate


def _spec_version(value: str | None, config: ProjectConfig) -> str:
    if value is None:
        return config.specification
    normalized = value.strip().upper()
    if normalized in ("V4", "4"):
        return "V4"
    if normalized in ("V3", "3"):
        return "V3"
    raise ConfigError(f"unknown Pact specification {value!r}; use V4 or V3", setting="spec-version")


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
        batch_size: interactions per mock server. workers: mock servers run at once.
        progress: called as ``progress(stage, done, total)``.

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
    units = _read(_definition_paths(paths))
    workers = workers or min(4, (os.cpu_count() or 2) + 1)

    results: list[ActionResult | None] = []
    prepared_for: dict[int, Prepared] = {}
    pair_of: dict[int, tuple[str, str]] = {}
    describer = _Describer()
    pending: dict[tuple[str, str], list[_OpenBatch]] = defaultdict(list)
    batches: dict[tuple[str, str], list[tuple[int, Future[Any]]]] = defaultdict(list)
    owners: dict[int, list[Planned]] = {}
    counter = {"done": 0, "total": 0, "batch": 0}
    invalid: list[DefinitionError] = []

    with (
        tempfile.TemporaryDirectory(prefix="actionpact-") as scratch,
        ThreadPoolExecutor(max_workers=workers, thread_name_prefix="actionpact-mock") as pool,
    ):

        def submit(pair: tuple[str, str], planned: list[Planned]) -> None:
            number = counter["batch"]
            counter["batch"] += 1
            directory = Path(scratch) / f"batch-{number:06d}"
            specs = [p.interaction for p in planned if p.interaction is not None]
            owners[number] = planned
            future = pool.submit(
                exercise_batch, pair[0], pair[1], specs, directory, specification=version
            )
            batches[pair].append((number, future))

        try:
            for index, (definition, section) in enumerate(units):
                result, prepared, pair = _prepare(definition, section, config, consumer, describer)
                results.append(result)
                if result is not None and isinstance(result.error, DefinitionError):
                    invalid.append(result.error)
                if prepared is None or pair is None:
                    continue
                prepared_for[index] = prepared
                pair_of[index] = pair
                for planned in prepared.planned:
                    if planned.interaction is None:
                        continue
                    counter["total"] += 1
                    full = _place(pending[pair], planned, batch_size)
                    if full is not None:
                        submit(pair, full.planned)
                if progress is not None:
                    progress("prepare", index + 1, len(units))
            if strict and invalid:
                raise _all_invalid(invalid)
            for pair, open_batches in pending.items():
                for batch in open_batches:
                    submit(pair, batch.planned)
            files = _collect(batches, owners, prepared_for, pair_of, counter, progress)
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        actions = _finish(units, results, prepared_for, pair_of)
        pairs = _write(actions, files, folder, version, write=not check)
    return GenerateResult(
        pairs=pairs,
        actions=tuple(actions),
        written=not check,
        min_coverage=bar,
        specification=version,
        elapsed=time.perf_counter() - started,
    )


class _OpenBatch:
    """Interactions waiting for a mock server, none answering the same request."""

    __slots__ = ("keys", "planned")

    def __init__(self) -> None:
        self.planned: list[Planned] = []
        self.keys: set[tuple[str, str, tuple[tuple[str, str, str | None], ...]]] = set()


def _place(batches: list[_OpenBatch], planned: Planned, size: int) -> _OpenBatch | None:
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
    batch.planned.append(planned)
    batch.keys.add(key)
    if len(batch.planned) >= size:
        batches.remove(batch)
        return batch
    return None


def _all_invalid(errors: list[DefinitionError]) -> DefinitionError:
    """The first invalid definition's error, naming how many more there are."""
    first = errors[0]
    if len(errors) == 1:
        return first
    others = ", ".join(str(e.file) if e.file else "?" for e in errors[1:6])
    more = f" (and {len(errors) - 1} more invalid definition(s): {others}"
    more += ", ...)" if len(errors) > 6 else ")"
    return DefinitionError(first.reason + more, file=first.file, path=first.path)


def _prepare(
    definition: ActionDefinition,
    section: Any,
    config: ProjectConfig,
    consumer: str | None,
    describer: _Describer,
) -> tuple[ActionResult | None, Prepared | None, tuple[str, str] | None]:
    from actionpact.genesys import compile_action

    pact_consumer = (section.consumer if section is not None else None) or config.consumer_for(
        definition, consumer
    )
    provider = (section.provider if section is not None else None) or config.provider_for(
        definition
    )

    def early(status: ActionStatus, reason: str, error: Exception | None = None) -> ActionResult:
        return ActionResult(
            error=error,
            name=definition.name,
            source=definition.source,
            location=definition.location,
            content_hash=definition.content_hash,
            consumer=pact_consumer,
            provider=provider,
            status=status,
            reason=reason,
        )

    if definition.unsupported:
        return (
            early("unsupported", "not supported: " + "; ".join(definition.unsupported)),
            None,
            None,
        )
    try:
        action = compile_action(definition)
    except DefinitionError as error:
        return early("invalid", str(error), error), None, None
    pair = (pact_consumer, provider)
    origin: dict[str, Any] = {
        "definition": definition.name,
        "contentHash": definition.content_hash,
    }
    source = _relative(definition.source)
    if source is not None:
        origin["source"] = source
    if definition.location:
        origin["location"] = definition.location
    prepared = prepare_action(
        action, section, origin=origin, describe=describer.for_action(pair, definition)
    )
    return None, prepared, pair


def _collect(
    batches: dict[tuple[str, str], list[tuple[int, Future[Any]]]],
    owners: dict[int, list[Planned]],
    prepared_for: dict[int, Prepared],
    pair_of: dict[int, tuple[str, str]],
    counter: dict[str, int],
    progress: Progress | None,
) -> dict[tuple[str, str], list[Path]]:
    """Wait for every batch; judge each example on what the mock server answered."""
    prepared_by_planned = {
        id(planned): prepared for prepared in prepared_for.values() for planned in prepared.planned
    }
    files: dict[tuple[str, str], list[Path]] = defaultdict(list)
    for pair, entries in batches.items():
        for number, future in entries:
            exchanges, file = future.result()
            files[pair].append(file)
            with_interaction = [p for p in owners[number] if p.interaction is not None]
            for planned, exchange in zip(with_interaction, exchanges, strict=True):
                planned.result = judge(prepared_by_planned[id(planned)], planned, exchange)
            counter["done"] += len(with_interaction)
            if progress is not None:
                progress("exercise", counter["done"], counter["total"])
    del pair_of
    return files


def _finish(
    units: list[tuple[ActionDefinition, Any]],
    results: list[ActionResult | None],
    prepared_for: dict[int, Prepared],
    pair_of: dict[int, tuple[str, str]],
) -> list[ActionResult]:
    actions: list[ActionResult] = []
    for index, (definition, _) in enumerate(units):
        early = results[index]
        if early is not None:
            actions.append(early)
            continue
        prepared = prepared_for[index]
        consumer, provider = pair_of[index]
        examples = tuple(p.result for p in prepared.planned if p.result is not None)
        failed = next((e for e in examples if not e.success), None)
        fields = output_fields(definition.output_schema)
        outputs = [e.output for e in examples if e.success and not e.expected_failure]
        actions.append(
            ActionResult(
                name=definition.name,
                source=definition.source,
                location=definition.location,
                content_hash=definition.content_hash,
                consumer=consumer,
                provider=provider,
                status="failed" if failed is not None else "ok",
                reason=f"example {failed.name!r} {failed.error}" if failed is not None else None,
                step=failed.step if failed is not None else None,
                examples=examples,
                fields=fields,
                covered=covered_fields(definition.output_schema, outputs),
            )
        )
    return actions


def _write(
    actions: list[ActionResult],
    files: dict[tuple[str, str], list[Path]],
    folder: Path,
    version: str,
    *,
    write: bool,
) -> tuple[PairResult, ...]:
    by_pair: dict[tuple[str, str], list[ActionResult]] = defaultdict(list)
    for action in actions:
        if action.status in ("ok", "failed"):
            by_pair[(action.consumer, action.provider)].append(action)
    pairs: list[PairResult] = []
    for pair in sorted(by_pair):
        group = [a for a in by_pair[pair] if a.ok]
        if not group:
            continue
        included = {e.description for a in group for e in a.examples if e.description}
        interactions = len(included)
        target: Path | None = None
        if write and interactions:
            origins = None
            if version == "V3":
                origins = {
                    "interactions": {
                        e.description: {
                            "definition": a.name,
                            "contentHash": a.content_hash,
                            "source": _relative(a.source),
                            "example": e.name,
                        }
                        for a in group
                        for e in a.examples
                        if e.description
                    }
                }
            text = join_batches(files[pair], include=included, extra_metadata=origins)
            target = folder / pact_file_name(*pair)
            atomic_write_text(target, text)
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
