"""Which translation-map keys read a field path: the link from a changed field to the action.

A path is read when a translation-map JSONPath can select it, something inside it, or
something it sits inside (removing ``$.customers`` breaks ``$.customers[0].id``), or when a
filter on the way tests it (``[?(@.role == 'owner')]`` reads ``role``). An action whose success
template passes ``${rawResult}`` through reads everything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from actionpact.genesys._jsonpath_model import (
    And,
    Child,
    Compare,
    DeepScan,
    Exists,
    Filter,
    Index,
    Not,
    Or,
    Slice,
    Union,
    Wildcard,
)

if TYPE_CHECKING:
    from actionpact.drift._compare import Reader, Steps
    from actionpact.genesys import CompiledAction
    from actionpact.genesys._jsonpath_model import Condition, Segment

__all__ = ["reader_for"]


def _filter_keys(condition: Condition) -> set[str]:
    if isinstance(condition, Compare):
        sides = (condition.left, condition.right)
        return {
            side[0]
            for side in sides
            if isinstance(side, tuple) and side and isinstance(side[0], str)
        }
    if isinstance(condition, Exists):
        path = condition.path
        return {path[0]} if isinstance(path, tuple) and path and isinstance(path[0], str) else set()
    if isinstance(condition, (And, Or)):
        return set().union(*(_filter_keys(part) for part in condition.parts))
    if isinstance(condition, Not):
        return _filter_keys(condition.part)
    return set()


def _reads(segments: tuple[Segment, ...], steps: Steps) -> bool:
    """Whether the segments select ``steps``, a prefix of it, or something below it."""
    if not segments:
        return True  # the path reads an ancestor: the whole subtree goes with it
    segment, rest = segments[0], segments[1:]
    if isinstance(segment, DeepScan):
        # `..x` may start at this level or any deeper one. Below the last step nothing is
        # known; the comparison asks about every path of a changed subtree instead.
        return bool(steps) and (_reads(rest, steps) or _reads(segments, steps[1:]))
    if not steps:
        return True  # the path reads something below this one
    step, after = steps[0], steps[1:]
    if isinstance(segment, Child):
        return step == segment.name and _reads(rest, after)
    if isinstance(segment, Union):
        names = [i for i in segment.items if isinstance(i, str)]
        if step is None:
            return len(names) < len(segment.items) and _reads(rest, after)
        return step in names and _reads(rest, after)
    if isinstance(segment, (Index, Slice)):
        return step is None and _reads(rest, after)
    if isinstance(segment, Wildcard):
        return _reads(rest, after)
    if isinstance(segment, Filter):
        # A filter applies to the elements of an array (or to an object itself).
        if step is None:
            if after and after[0] in _filter_keys(segment.condition):
                return True
            return _reads(rest, after)
        return step in _filter_keys(segment.condition) or _reads(rest, steps)
    return True  # an unknown segment: say it reads, rather than hide a change


def reader_for(action: CompiledAction) -> Reader:
    """A :data:`Reader` for ``action``'s translation map."""
    raw = any(ref.split(".", 1)[0] == "rawResult" for ref in action.success_template.references)
    paths = dict(action.paths)

    def read(steps: Steps) -> tuple[str, ...]:
        keys = tuple(key for key, path in paths.items() if _reads(path.segments, steps))
        if raw:
            return (*keys, "${rawResult}")
        return keys

    return read
