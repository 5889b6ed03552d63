"""What changed between the body a contract expects and the body the provider sent.

Keys are compared the way Pact's type matchers see a body: a key the contract has must be
there with a value of the same JSON type; extra keys are allowed. Arrays are compared by their
first item, as ``eachLike`` does. A removed key plus a new key with a similar name (same
letters once case, ``_``, ``-`` and blanks are set aside, or a close ``difflib`` ratio) and
the same JSON type is reported as a likely rename.
"""

from __future__ import annotations

import copy
import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "FieldChange",
    "apply_changes",
    "compare_bodies",
    "json_path",
    "json_type",
    "name_similarity",
]

ChangeKind = Literal["missing", "renamed", "type", "empty", "added"]

RENAME_THRESHOLD = 0.8
_SEPARATORS = re.compile(r"[\s_\-.]+")
_PLAIN_KEY = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*\Z")


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One difference between the expected and the actual body.

    Attributes:
        kind: ``missing`` (a key the contract needs is gone), ``renamed`` (gone, and a
            similar key of the same type appeared: ``new_key``), ``type`` (same key, another
            JSON type), ``empty`` (an array the contract expects items in is empty),
            ``added`` (a key the contract does not know; harmless on its own).
        path: JSONPath of the key in the expected body, e.g. ``$.customers[0].customerId``.
        key: the key's name (``None`` for the root or an array item).
        new_key: for ``renamed``, the new name. new_path: its JSONPath.
        expected_type, actual_type: JSON types (``string``, ``number``, ``object``...).
        similarity: for ``renamed``, how alike the names are (0-1).
        location: the key's place in the expected body as keys and indexes.
    """

    kind: ChangeKind
    path: str
    key: str | None = None
    new_key: str | None = None
    new_path: str | None = None
    expected_type: str | None = None
    actual_type: str | None = None
    similarity: float | None = None
    location: tuple[str | int, ...] = ()

    @property
    def breaking(self) -> bool:
        """Whether the change breaks the contract (an added key does not)."""
        return self.kind != "added"

    def describe(self) -> str:
        """The change in plain words."""
        name = f"`{self.key}`" if self.key is not None else "the body"
        if self.kind == "renamed":
            return (
                f"{name} is missing from the response ({self.path}); a new key "
                f"`{self.new_key}` looks like its rename"
            )
        if self.kind == "missing":
            return f"{name} is missing from the response ({self.path})"
        if self.kind == "type":
            return (
                f"{name} is {_article(self.actual_type)} where the contract expects "
                f"{_article(self.expected_type)} ({self.path})"
            )
        if self.kind == "empty":
            return f"{name} is an empty array where the contract expects items ({self.path})"
        return f"{name} is new in the response ({self.path})"


def _article(kind: str | None) -> str:
    if kind is None:
        return "something else"
    if kind == "null":
        return "null"
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def json_type(value: Any) -> str:
    """The JSON type of a parsed value: null, boolean, number, string, array or object."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list | tuple):
        return "array"
    if isinstance(value, Mapping):
        return "object"
    return type(value).__name__


def json_path(parent: str, key: str | int) -> str:
    """Append a key or an index to a JSONPath, bracketing keys that need it."""
    if isinstance(key, int):
        return f"{parent}[{key}]"
    if _PLAIN_KEY.match(key):
        return f"{parent}.{key}"
    quoted = key.replace("\\", "\\\\").replace("'", "\\'")
    return f"{parent}['{quoted}']"


def _normalise(name: str) -> str:
    return _SEPARATORS.sub("", name).lower()


def name_similarity(old: str, new: str) -> float:
    """How alike two key names are: 1.0 when equal once case and separators are set aside."""
    a, b = _normalise(old), _normalise(new)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b).ratio()


def compare_bodies(expected: Any, actual: Any) -> list[FieldChange]:
    """Compare an expected body with the actual one, key by key.

    Returns:
        The changes in document order: breaking ones (missing, renamed, type, empty) and the
        added keys, which name candidates for renames and are harmless otherwise.
    """
    changes: list[FieldChange] = []
    _walk(expected, actual, "$", (), changes)
    return changes


def _key_of(location: tuple[str | int, ...]) -> str | None:
    return location[-1] if location and isinstance(location[-1], str) else None


def _walk(
    expected: Any,
    actual: Any,
    path: str,
    location: tuple[str | int, ...],
    out: list[FieldChange],
) -> None:
    want, got = json_type(expected), json_type(actual)
    key = _key_of(location)
    if want != got:
        # The contract's example null says nothing about the type Pact will accept.
        if want != "null":
            out.append(
                FieldChange(
                    "type", path, key, expected_type=want, actual_type=got, location=location
                )
            )
        return
    if want == "object":
        _walk_object(expected, actual, path, location, out)
    elif want == "array" and expected:
        if not actual:
            out.append(
                FieldChange(
                    "empty",
                    path,
                    key,
                    expected_type="array",
                    actual_type="array",
                    location=location,
                )
            )
        else:
            _walk(expected[0], actual[0], json_path(path, 0), (*location, 0), out)


def _walk_object(
    expected: Mapping[str, Any],
    actual: Mapping[str, Any],
    path: str,
    location: tuple[str | int, ...],
    out: list[FieldChange],
) -> None:
    missing = [k for k in expected if k not in actual]
    added = [k for k in actual if k not in expected]
    renames = _pair_renames(missing, added, expected, actual)
    for name in expected:
        child = json_path(path, name)
        where = (*location, name)
        if name in actual:
            _walk(expected[name], actual[name], child, where, out)
        elif name in renames:
            new, score = renames[name]
            out.append(
                FieldChange(
                    "renamed",
                    child,
                    name,
                    new_key=new,
                    new_path=json_path(path, new),
                    expected_type=json_type(expected[name]),
                    actual_type=json_type(actual[new]),
                    similarity=round(score, 3),
                    location=where,
                )
            )
        else:
            out.append(
                FieldChange(
                    "missing",
                    child,
                    name,
                    expected_type=json_type(expected[name]),
                    location=where,
                )
            )
    renamed_to = {new for new, _ in renames.values()}
    for name in added:
        if name not in renamed_to:
            out.append(
                FieldChange(
                    "added",
                    json_path(path, name),
                    name,
                    actual_type=json_type(actual[name]),
                    location=(*location, name),
                )
            )


def _pair_renames(
    missing: list[str],
    added: list[str],
    expected: Mapping[str, Any],
    actual: Mapping[str, Any],
) -> dict[str, tuple[str, float]]:
    """Pair each removed key with its most similar new key of the same type, best first."""
    candidates: list[tuple[float, int, int]] = []
    for i, old in enumerate(missing):
        for j, new in enumerate(added):
            if not _same_type(expected[old], actual[new]):
                continue
            score = name_similarity(old, new)
            if score >= RENAME_THRESHOLD:
                candidates.append((score, i, j))
    pairs: dict[str, tuple[str, float]] = {}
    taken: set[int] = set()
    for score, i, j in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if missing[i] in pairs or j in taken:
            continue
        pairs[missing[i]] = (added[j], score)
        taken.add(j)
    return pairs


def _same_type(expected: Any, actual: Any) -> bool:
    want = json_type(expected)
    return want == "null" or want == json_type(actual)


def apply_changes(expected: Any, actual: Any, changes: list[FieldChange]) -> Any:
    """The expected body with only the provider's breaking changes applied to it.

    Running the action on this body instead of the actual one isolates what the changes do:
    the provider's other values (a different customer, another count) are legitimately
    different from the contract's example and say nothing about the contract.
    """
    changed = copy.deepcopy(expected)
    for change in changes:
        if not change.location and change.kind != "type":
            continue
        if change.kind == "type" and not change.location:
            return copy.deepcopy(actual)
        parent = _at(changed, change.location[:-1])
        last = change.location[-1]
        if parent is _MISSING:
            continue
        if change.kind == "missing" and isinstance(parent, dict):
            parent.pop(last, None)
        elif change.kind == "renamed" and isinstance(parent, dict) and change.new_key:
            parent[change.new_key] = parent.pop(last)
        elif change.kind == "type":
            value = _at(actual, change.location)
            if value is not _MISSING:
                parent[last] = copy.deepcopy(value)
        elif change.kind == "empty":
            parent[last] = []
    return changed


_MISSING = object()


def _at(document: Any, location: tuple[str | int, ...]) -> Any:
    for part in location:
        if isinstance(part, int):
            if not isinstance(document, list) or len(document) <= part:
                return _MISSING
        elif not isinstance(document, dict) or part not in document:
            return _MISSING
        document = document[part]
    return document
