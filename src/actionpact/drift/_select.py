"""The small JSONPath subset redaction rules are written in, with write access.

Translation maps need Jayway semantics and live in ``genesys``; a redaction rule only has to
name where personal data sits, and must be able to replace it in place. The subset:
``$``, ``.name``, ``['name']``, ``[3]``, ``[*]``, ``.*`` and ``..name`` / ``..*``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["PathRule", "parse_rule_path"]

_TOKEN = re.compile(
    r"""
      \.\.(?P<deep_name>[A-Za-z_$][\w$-]*) | \.\.\*(?P<deep_star>)
    | \.(?P<name>[A-Za-z_$][\w$-]*)      | \.\*(?P<star>)
    | \[\s*(?:'(?P<sq>(?:[^'\\]|\\.)*)'|"(?P<dq>(?:[^"\\]|\\.)*)")\s*\]
    | \[\s*(?P<index>-?\d+)\s*\]          | \[\s*\*\s*\](?P<bstar>)
    """,
    re.VERBOSE,
)

# A step: (deep, key); key None means every member, an int an array index.
_Step = tuple[bool, str | int | None]


@dataclass(frozen=True, slots=True)
class PathRule:
    """A parsed redaction path.

    Attributes:
        text: the path as written. steps: ``(deep, key)`` pairs.
    """

    text: str
    steps: tuple[_Step, ...]

    def replace(self, document: Any, change: Callable[[Any], Any]) -> tuple[Any, int]:
        """Replace every value the path selects with ``change(value)``.

        Returns:
            The new document (containers on the way are copied) and how many values changed.
        """
        if not self.steps:
            return change(document), 1
        return _apply(document, self.steps, change)


def parse_rule_path(text: str) -> PathRule:
    """Parse a redaction path.

    Raises:
        ValueError: the text is outside the subset; the message names the position.
    """
    source = text.strip()
    if not source.startswith("$"):
        raise ValueError(f"{text!r}: a path starts with '$'")
    steps: list[_Step] = []
    position = 1
    while position < len(source):
        match = _TOKEN.match(source, position)
        if match is None:
            raise ValueError(
                f"{text!r}: unsupported syntax at position {position + 1} (use .name, "
                "['name'], [n], [*], .* or ..name)"
            )
        groups = match.groupdict()
        if groups["deep_name"] is not None:
            steps.append((True, groups["deep_name"]))
        elif groups["deep_star"] is not None:
            steps.append((True, None))
        elif groups["name"] is not None:
            steps.append((False, groups["name"]))
        elif groups["sq"] is not None or groups["dq"] is not None:
            quoted = groups["sq"] if groups["sq"] is not None else groups["dq"]
            steps.append((False, re.sub(r"\\(.)", r"\1", quoted)))
        elif groups["index"] is not None:
            steps.append((False, int(groups["index"])))
        else:
            steps.append((False, None))
        position = match.end()
    return PathRule(text, tuple(steps))


def _apply(node: Any, steps: tuple[_Step, ...], change: Callable[[Any], Any]) -> tuple[Any, int]:
    (deep, key), rest = steps[0], steps[1:]
    count = 0

    def descend(child: Any) -> Any:
        nonlocal count
        if not rest:
            count += 1
            return change(child)
        new, n = _apply(child, rest, change)
        count += n
        return new

    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for name, child in node.items():
            hit = key is None or key == name
            value = descend(child) if hit else child
            if deep and not (hit and not rest):
                # `..name` looks below every member, except a value it has just replaced.
                value, n = _apply(value, steps, change)
                count += n
            out[name] = value
        return out, count
    if isinstance(node, list):
        items: list[Any] = []
        for i, child in enumerate(node):
            hit = key is None or (isinstance(key, int) and (key == i or key == i - len(node)))
            value = descend(child) if hit else child
            if deep and not (hit and not rest):
                value, n = _apply(value, steps, change)
                count += n
            items.append(value)
        return items, count
    return node, 0
