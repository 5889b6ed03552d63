"""Find the Data Action definition an interaction was generated from.

The interaction's origin names the definition's file (as it was given to ``generate``, usually
relative to the project root), its name and its content hash. The file is looked for as
recorded, then under each folder given to ``verify``; failing that, those folders are searched
for a definition with the same content hash, then the same name. A definition that changed
since the pact was generated is still used, with a note saying so.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from actionpact.core.errors import DefinitionError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from actionpact.definition import ActionDefinition
    from actionpact.verify._pacts import Origin

__all__ = ["DefinitionFinder", "Found"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Found:
    """A definition lookup's answer.

    Attributes:
        definition: the definition, or ``None`` when it cannot be found.
        note: why it is missing, or a caveat about the one found.
    """

    definition: ActionDefinition | None
    note: str | None = None


class DefinitionFinder:
    """Looks definitions up by origin, reading each file or folder once.

    Args:
        search: folders (or files) holding definitions, e.g. the project's ``contracts/``.
        root: the folder recorded paths are relative to (the current directory).
    """

    def __init__(self, search: Sequence[Path] = (), *, root: Path | None = None) -> None:
        self._search = tuple(search)
        self._root = root if root is not None else Path.cwd()
        self._loaded: dict[Path, list[ActionDefinition] | None] = {}

    def find(self, origin: Origin) -> Found:
        """The definition ``origin`` names, preferring the same content hash."""
        recorded = f" ({origin.source})" if origin.source else ""
        for file in self._candidates(origin.source):
            definitions = self._load(file)
            if definitions:
                found = _pick(definitions, origin)
                if found is not None:
                    return Found(found, _changed_note(found, origin))
        everything = [d for place in self._search for d in (self._load(place) or [])]
        found = _pick(everything, origin)
        if found is not None:
            return Found(found, _changed_note(found, origin))
        where = ", ".join(p.as_posix() for p in self._search) or "no folder given"
        return Found(
            None,
            f"the definition of `{origin.action}`{recorded} cannot be found (searched: "
            f"{where}); give its folder with --definitions to see the Genesys impact",
        )

    def _candidates(self, source: str | None) -> list[Path]:
        if not source:
            return []
        recorded = Path(source)
        if recorded.is_absolute():
            return [recorded]
        places = [self._root / recorded]
        for folder in self._search:
            base = folder if folder.is_dir() else folder.parent
            places.extend([base / recorded, base.parent / recorded, base / recorded.name])
        seen: set[Path] = set()
        unique: list[Path] = []
        for place in places:
            resolved = place.resolve()
            if resolved not in seen and place.is_file():
                seen.add(resolved)
                unique.append(place)
        return unique

    def _load(self, place: Path) -> list[ActionDefinition] | None:
        from actionpact.definition import load_definitions

        key = place.resolve()
        if key not in self._loaded:
            try:
                self._loaded[key] = load_definitions(place) if place.exists() else None
            except DefinitionError as error:
                logger.warning("cannot read definitions from %s: %s", place, error)
                self._loaded[key] = None
        return self._loaded[key]


def _pick(definitions: list[ActionDefinition], origin: Origin) -> ActionDefinition | None:
    if origin.content_hash:
        for definition in definitions:
            if definition.content_hash == origin.content_hash:
                return definition
    named = [d for d in definitions if d.name == origin.action]
    if len(named) > 1 and origin.location:
        located = [d for d in named if d.location == origin.location]
        named = located or named
    return named[0] if named else None


def _changed_note(definition: ActionDefinition, origin: Origin) -> str | None:
    if origin.content_hash and definition.content_hash != origin.content_hash:
        where = f" in {definition.source}" if definition.source is not None else ""
        return (
            f"note: the definition of `{origin.action}`{where} has changed since the pact was "
            "generated; the impact uses the current definition"
        )
    return None
