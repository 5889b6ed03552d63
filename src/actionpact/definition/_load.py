"""Reading definition files and folders: one definition, an array, or an API page.

A file may hold one definition (export or Platform API shape), a JSON array of them, or a page
of ``GET /api/v2/integrations/actions`` (``{"entities": [...]}``). A folder is read recursively,
``*.json`` only, in a stable order.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

from actionpact.core import DefinitionError
from actionpact.definition._model import ActionDefinition, join_path
from actionpact.definition._parse import describe_type, parse_definition

__all__ = ["load_definition", "load_definitions", "parse_definitions"]

logger = logging.getLogger(__name__)

_SHAPES = (
    "expected a Data Action definition (an object with 'name' and 'config'), an array of "
    'them, or an API page {"entities": [...]}'
)
_MAX_LISTED = 20


def load_definitions(path: str | Path) -> list[ActionDefinition]:
    """Read every Data Action definition in a file or a folder.

    Args:
        path: a JSON file holding one definition, an array of them or an API page
            (``{"entities": [...]}``); or a folder, read recursively (``*.json`` files only,
            hidden files and folders skipped, links to folders not followed, sorted by
            path).

    Returns:
        The definitions in file order, files in sorted order. Definitions that hold
        placeholders load too: see :attr:`ActionDefinition.unsupported`.

    Raises:
        DefinitionError: a file cannot be read, is not UTF-8 or JSON, or holds an invalid
            definition; the message names the file and the JSON path of the bad field.
    """
    root = Path(path)
    if root.is_dir():
        definitions: list[ActionDefinition] = []
        files = _json_files(root)
        for file in files:
            definitions.extend(_load_file(file))
        logger.debug(
            "read %d definitions from %d files under %s", len(definitions), len(files), root
        )
        return definitions
    return _load_file(root)


def load_definition(path: str | Path, name: str | None = None) -> ActionDefinition:
    """Read exactly one Data Action definition from a file or folder.

    Args:
        path: as for :func:`load_definitions`.
        name: the action's name, to pick one when ``path`` holds several.

    Raises:
        DefinitionError: as for :func:`load_definitions`; also when ``path`` holds no
            definition, several without ``name``, or none (or several) called ``name``.
            The message lists the names available.
    """
    definitions = load_definitions(path)
    if name is None:
        if len(definitions) == 1:
            return definitions[0]
        if not definitions:
            raise DefinitionError("holds no Data Action definition", file=path)
        raise DefinitionError(
            f"holds {len(definitions)} definitions; pick one by name: {_names(definitions)}",
            file=path,
        )
    matches = [definition for definition in definitions if definition.name == name]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        available = _names(definitions) if definitions else "none"
        raise DefinitionError(f"no definition named {name!r}; available: {available}", file=path)
    places = ", ".join(_place(definition) for definition in matches)
    raise DefinitionError(f"{len(matches)} definitions are named {name!r}: {places}", file=path)


def parse_definitions(data: Any, *, source: Path | None = None) -> list[ActionDefinition]:
    """Build definitions from already-parsed JSON.

    Args:
        data: one definition (export or Platform API shape), a list of them, or an API page
            (``{"entities": [...]}``).
        source: the file ``data`` came from, for messages and :attr:`ActionDefinition.source`.

    The definitions keep references into ``data`` (``raw``, the schemas) rather than copies,
    which keeps loading fast: do not change ``data`` afterwards.

    Raises:
        DefinitionError: ``data`` has none of these shapes or holds an invalid definition.
    """
    if isinstance(data, list):
        return [
            parse_definition(item, source=source, location=join_path("", index))
            for index, item in enumerate(data)
        ]
    if not isinstance(data, dict):
        raise DefinitionError(f"{_SHAPES}, not {describe_type(data)}", file=source)
    if "entities" in data and "config" not in data:
        entities = data["entities"]
        if not isinstance(entities, list):
            raise DefinitionError(
                f"must be an array of definitions, not {describe_type(entities)}",
                file=source,
                path="entities",
            )
        if data.get("nextUri") or _more_pages(data):
            logger.warning(
                "%s is page %s of %s; only its %d actions are read",
                source or "the API page",
                data.get("pageNumber", "?"),
                data.get("pageCount", "?"),
                len(entities),
            )
        return [
            parse_definition(item, source=source, location=join_path("entities", index))
            for index, item in enumerate(entities)
        ]
    if "name" not in data and "config" not in data:
        keys = ", ".join(repr(key) for key in list(data)[:5]) or "none"
        raise DefinitionError(f"{_SHAPES}; found keys {keys}", file=source)
    return [parse_definition(data, source=source)]


def _load_file(file: Path) -> list[ActionDefinition]:
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise DefinitionError("no such file or folder", file=file) from None
    except OSError as exc:
        raise DefinitionError(f"cannot read the file: {exc.strerror or exc}", file=file) from exc
    return parse_definitions(_decode_json(data, file), source=file)


def _decode_json(data: bytes, file: Path) -> Any:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DefinitionError("is UTF-16 text; save it as UTF-8", file=file)
    try:
        # Windows editors add a byte-order mark; Genesys's own exports have none.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise DefinitionError(
            f"is not UTF-8 text (byte 0x{data[exc.start]:02x} at line {line}, offset {exc.start})",
            file=file,
        ) from None
    if not text.strip():
        raise DefinitionError("is empty", file=file)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DefinitionError(
            f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}", file=file
        ) from None
    except RecursionError:
        raise DefinitionError("invalid JSON: nested too deeply", file=file) from None


def _json_files(root: Path) -> list[Path]:
    found: list[tuple[tuple[str, ...], Path]] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [name for name in dirs if not name.startswith(".")]
        base = Path(folder)
        rel = base.relative_to(root).parts
        found.extend(
            ((*rel, name), base / name)
            for name in files
            if name.endswith(".json") and not name.startswith(".")
        )
    return [file for _, file in sorted(found)]


def _more_pages(page: dict[str, Any]) -> bool:
    number, count = page.get("pageNumber"), page.get("pageCount")
    return isinstance(number, int) and isinstance(count, int) and number < count


def _names(definitions: list[ActionDefinition]) -> str:
    names = [repr(definition.name) for definition in definitions[:_MAX_LISTED]]
    more = len(definitions) - _MAX_LISTED
    return ", ".join(names) + (f" and {more} more" if more > 0 else "")


def _place(definition: ActionDefinition) -> str:
    where = str(definition.source) if definition.source is not None else ""
    if definition.location:
        where = f"{where} {definition.location}" if where else definition.location
    return where or "?"
