"""Reading what ``generate`` works on: definitions, their specs, and each action's plan.

Everything here runs before any pact is built, so a bad file stops the run before anything
is written. Each definition becomes a :class:`Unit`: its spec section, its consumer-provider
pair and the description of each of its interactions, decided once, in read order, so that
they do not depend on how the work is later split.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from actionpact.contracts._prepare import DERIVED_EXAMPLE
from actionpact.contracts._spec import SPEC_SUFFIX, ActionSpec, SpecFile, load_spec, spec_path_for
from actionpact.contracts._yaml import did_you_mean
from actionpact.core.errors import DefinitionError, SpecError
from actionpact.definition import ActionDefinition, load_definitions

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from actionpact.contracts._config import ProjectConfig

__all__ = ["Unit", "plan_units", "read_units", "relative_source"]


@dataclass(frozen=True, slots=True)
class Unit:
    """One definition and what it becomes.

    Attributes:
        index: its place in read order. definition: the definition. section: its spec
        section, if any. consumer, provider: its pact. descriptions: example name ->
        the interaction's description, unique within the pact. source: its file as pacts
        record it (relative to the current directory).
    """

    index: int
    definition: ActionDefinition
    section: ActionSpec | None
    consumer: str
    provider: str
    descriptions: Mapping[str, str]
    source: str | None = None

    @property
    def pair(self) -> tuple[str, str]:
        """(consumer, provider)."""
        return (self.consumer, self.provider)


# --------------------------------------------------------------------------- reading


def definition_paths(paths: Iterable[str | Path]) -> list[Path]:
    """The definition files and folders to read; a ``*.spec.yaml`` stands for its definition.

    Raises:
        SpecError | DefinitionError: a spec without a definition, a path that does not exist.
    """
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


def read_units(paths: Sequence[Path]) -> list[tuple[ActionDefinition, ActionSpec | None]]:
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
    sections: dict[tuple[Path | None, str], ActionSpec | None] = {}
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


# --------------------------------------------------------------------------- planning


def relative_source(source: Path | None, start: str | None = None) -> str | None:
    """A definition's file relative to ``start`` (the current directory), as pacts record it."""
    if source is None:
        return None
    try:
        return Path(os.path.relpath(source, start or os.getcwd())).as_posix()
    except ValueError:  # pragma: no cover - another drive on Windows
        return source.as_posix()


def _describe(used: set[str], definition: ActionDefinition, example: str) -> str:
    """``<action>: <example>``, made unique within its pact by the file, then a number."""
    base = f"{definition.name}: {example}"
    candidates = [base]
    if definition.source is not None:
        candidates.append(f"{definition.name} [{definition.source.name}]: {example}")
        if definition.location:
            candidates.append(
                f"{definition.name} [{definition.source.name}{definition.location}]: {example}"
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


def plan_units(
    read: Sequence[tuple[ActionDefinition, ActionSpec | None]],
    config: ProjectConfig,
    consumer: str | None,
) -> list[Unit]:
    """Each definition's pair and interaction descriptions, in read order.

    A spec's ``consumer``/``provider`` win, then ``consumer`` (the flag), then the project
    config (its reads/writes split, its provider rules), then the defaults.
    """
    used: dict[tuple[str, str], set[str]] = defaultdict(set)
    cwd = os.getcwd()
    units = []
    for index, (definition, section) in enumerate(read):
        pact_consumer = (section.consumer if section else None) or config.consumer_for(
            definition, consumer
        )
        provider = (section.provider if section else None) or config.provider_for(definition)
        names = [e.name for e in section.examples] if section and section.examples else []
        descriptions = {
            name: _describe(used[(pact_consumer, provider)], definition, name)
            for name in names or [DERIVED_EXAMPLE]
        }
        source = relative_source(definition.source, cwd)
        units.append(
            Unit(index, definition, section, pact_consumer, provider, descriptions, source)
        )
    return units
