"""What changed since the previous recordings: fields added, removed, renamed, retyped, status.

A body is reduced to its shape: every field path (``$.customers[*].name``, array elements
merged under ``[*]``) with the JSON types seen there. Two shapes give added and removed paths
(only the topmost of a removed subtree is named), type changes on the paths both have, and
renames: a removed key and an added key under the same parent, with similar names and the same
shape below them. Each change says which translation-map keys read the path, so a person sees
at once whether a change can matter to the Data Action.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from actionpact.drift._model import BodyKind, Recording

__all__ = ["Change", "Reader", "Shape", "compare_recordings", "compare_runs", "shape_of"]

ChangeKind = Literal[
    "added", "removed", "renamed", "type", "status", "outcome", "new-recording", "missing-recording"
]
# A field path: object keys (str) and array elements (None, shown as [*]).
Steps = tuple[str | None, ...]
Shape = dict[Steps, frozenset[str]]
# Which translation-map keys read a field path.
Reader = Callable[[Steps], tuple[str, ...]]

_PLAIN = re.compile(r"[A-Za-z_$][A-Za-z0-9_$-]*\Z")
_RENAME_RATIO = 0.6


def path_text(steps: Steps) -> str:
    """``("customers", None, "name")`` -> ``$.customers[*].name``."""
    out = "$"
    for step in steps:
        if step is None:
            out += "[*]"
        elif _PLAIN.match(step):
            out += f".{step}"
        else:
            escaped = step.replace("\\", "\\\\").replace("'", "\\'")
            out += f"['{escaped}']"
    return out


def _type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def shape_of(value: Any) -> Shape:
    """Every field path in a JSON value with the types seen there (the root is ``()``)."""
    shape: dict[Steps, set[str]] = {}

    def walk(node: Any, steps: Steps) -> None:
        shape.setdefault(steps, set()).add(_type(node))
        if isinstance(node, dict):
            for key, child in node.items():
                walk(child, (*steps, str(key)))
        elif isinstance(node, list):
            for item in node:
                walk(item, (*steps, None))

    walk(value, ())
    return {steps: frozenset(types) for steps, types in shape.items()}


@dataclass(frozen=True, slots=True)
class Change:
    """One difference between the previous and the current recording of an example.

    Attributes:
        kind: what changed. recording: the recording's file name. action, example: names.
        path: the field path (``$.a[*].b``), for field changes. new_path: a rename's new path.
        before, after: the types (``string|null``), statuses or outcomes on each side.
        read_by: the translation-map keys that read ``path``.
        severity: ``info`` for harmless changes (a new field), ``warning`` otherwise; whether
            a change *breaks* anything is for verification and the transform to say.
    """

    kind: ChangeKind
    recording: str
    action: str
    example: str
    path: str | None = None
    new_path: str | None = None
    before: str | None = None
    after: str | None = None
    read_by: tuple[str, ...] = ()

    @property
    def severity(self) -> Literal["info", "warning"]:
        """``info`` for a new field or recording nobody reads yet, ``warning`` otherwise."""
        return "info" if self.kind in ("added", "new-recording") else "warning"

    @property
    def message(self) -> str:
        """One sentence for a person."""
        reads = f"; read by {_keys(self.read_by)}" if self.read_by else ""
        if self.kind == "added":
            return f"new field `{self.path}` ({self.after})"
        if self.kind == "removed":
            return f"field `{self.path}` ({self.before}) is gone{reads}"
        if self.kind == "renamed":
            return (
                f"`{self.path}` looks renamed to `{self.new_path}` ({self.after}): a key was "
                f"removed and a similar one with the same type added{reads}"
            )
        if self.kind == "type":
            return f"`{self.path}` changed type: {self.before} -> {self.after}{reads}"
        if self.kind == "status":
            return f"HTTP status {self.before} -> {self.after}"
        if self.kind == "outcome":
            return f"answer changed: {self.before} -> {self.after}"
        if self.kind == "new-recording":
            return "new recording (no previous one to compare with)"
        return "no recording in this run (there was one before)"

    def to_json(self) -> dict[str, Any]:
        """The change as the JSON report shows it."""
        return {
            "kind": self.kind,
            "severity": self.severity,
            "recording": self.recording,
            "action": self.action,
            "example": self.example,
            "path": self.path,
            "newPath": self.new_path,
            "before": self.before,
            "after": self.after,
            "readBy": list(self.read_by),
            "message": self.message,
        }


def _keys(keys: Sequence[str]) -> str:
    names = ", ".join(f"`{k}`" for k in keys)
    return f"translation-map key{'s' if len(keys) > 1 else ''} {names}"


def _types(types: frozenset[str]) -> str:
    return "|".join(sorted(types))


def _topmost(paths: set[Steps]) -> list[Steps]:
    return sorted(
        (p for p in paths if not any(p[:i] in paths for i in range(len(p)))),
        key=lambda p: [("" if s is None else s) for s in p],
    )


def _normal(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _similar(a: str, b: str) -> float:
    if _normal(a) == _normal(b):
        return 1.0
    return difflib.SequenceMatcher(None, a.lower(), b.lower()).ratio()


def _subshape(shape: Shape, root: Steps) -> dict[Steps, frozenset[str]]:
    size = len(root)
    return {p[size:]: t for p, t in shape.items() if p[:size] == root}


def _renames(
    before: Shape, after: Shape, removed: list[Steps], added: list[Steps]
) -> list[tuple[Steps, Steps]]:
    scored: list[tuple[float, Steps, Steps]] = []
    for old in removed:
        for new in added:
            if not old or not new or old[:-1] != new[:-1]:
                continue
            old_key, new_key = old[-1], new[-1]
            if old_key is None or new_key is None:
                continue
            if _subshape(before, old) != _subshape(after, new):
                continue
            ratio = _similar(old_key, new_key)
            if ratio >= _RENAME_RATIO:
                scored.append((ratio, old, new))
    pairs: list[tuple[Steps, Steps]] = []
    used_old: set[Steps] = set()
    used_new: set[Steps] = set()
    for _, old, new in sorted(scored, key=lambda s: -s[0]):
        if old not in used_old and new not in used_new:
            pairs.append((old, new))
            used_old.add(old)
            used_new.add(new)
    return pairs


def _read_below(read: Reader, shape: Shape, root: Steps) -> tuple[str, ...]:
    """The keys reading ``root`` or anything below it in ``shape``, in first-seen order."""
    keys: dict[str, None] = {}
    for steps in sorted(_subshape(shape, root), key=len):
        keys.update(dict.fromkeys(read((*root, *steps))))
    return tuple(keys)


def compare_recordings(
    previous: Recording, current: Recording, reader: Reader | None = None
) -> list[Change]:
    """The changes from ``previous`` to ``current`` (the same action and example)."""
    read = reader or (lambda steps: ())

    def change(kind: ChangeKind, **fields: Any) -> Change:
        return Change(kind, current.name, current.action, current.example, **fields)

    changes: list[Change] = []
    old_status = previous.response.status if previous.response else None
    new_status = current.response.status if current.response else None
    if old_status != new_status:
        changes.append(
            change(
                "status",
                before=str(old_status or previous.outcome.value),
                after=str(new_status or current.outcome.value),
            )
        )
    elif previous.outcome != current.outcome:
        changes.append(
            change("outcome", before=previous.outcome.value, after=current.outcome.value)
        )
    if changes:
        # An error body against a success body: field-by-field differences would be noise.
        return changes
    old_body = (
        previous.response if previous.response and previous.response.kind is BodyKind.json else None
    )
    new_body = (
        current.response if current.response and current.response.kind is BodyKind.json else None
    )
    if old_body is None or new_body is None:
        return changes
    before, after = shape_of(old_body.body), shape_of(new_body.body)
    removed = _topmost(set(before) - set(after))
    added = _topmost(set(after) - set(before))
    renamed = _renames(before, after, removed, added)
    renamed_old = {old for old, _ in renamed}
    renamed_new = {new for _, new in renamed}
    for old, new in renamed:
        changes.append(
            change(
                "renamed",
                path=path_text(old),
                new_path=path_text(new),
                before=_types(before[old]),
                after=_types(after[new]),
                read_by=_read_below(read, before, old),
            )
        )
    for steps in removed:
        if steps not in renamed_old:
            changes.append(
                change(
                    "removed",
                    path=path_text(steps),
                    before=_types(before[steps]),
                    read_by=_read_below(read, before, steps),
                )
            )
    for steps in added:
        if steps not in renamed_new:
            changes.append(change("added", path=path_text(steps), after=_types(after[steps])))
    for steps in sorted(set(before) & set(after), key=path_text):
        if before[steps] != after[steps]:
            changes.append(
                change(
                    "type",
                    path=path_text(steps),
                    before=_types(before[steps]),
                    after=_types(after[steps]),
                    read_by=_read_below(read, before, steps),
                )
            )
    return changes


def compare_runs(
    previous: Sequence[Recording],
    current: Sequence[Recording],
    readers: Mapping[str, Reader] | None = None,
) -> list[Change]:
    """Compare two runs recording by recording (matched by file name)."""
    readers = readers or {}
    old = {r.name: r for r in previous}
    changes: list[Change] = []
    for recording in sorted(current, key=lambda r: r.name):
        before = old.pop(recording.name, None)
        if before is None:
            changes.append(
                Change("new-recording", recording.name, recording.action, recording.example)
            )
        else:
            changes += compare_recordings(before, recording, readers.get(recording.name))
    for name, gone in sorted(old.items()):
        changes.append(Change("missing-recording", name, gone.action, gone.example))
    return changes
