"""The structural view of a compiled JSONPath: segments, filter conditions, ``CompiledPath``.

Contract generation walks these values to build a response skeleton and Pact matchers for
exactly what a translation-map path reads, so they stay plain data: frozen, slotted, no
behaviour beyond ``CompiledPath.evaluate``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "And",
    "Child",
    "Compare",
    "CompiledPath",
    "Condition",
    "DeepScan",
    "Exists",
    "Filter",
    "Index",
    "JsonLiteral",
    "Not",
    "Operand",
    "Or",
    "Regex",
    "RelPath",
    "Segment",
    "Slice",
    "SubPath",
    "Union",
    "Wildcard",
]

# A definite path relative to the filter's current item ``@``: names and indexes, e.g.
# ``@.sessions[0].flowInType`` -> ``("sessions", 0, "flowInType")``; ``@`` itself -> ``()``.
RelPath: TypeAlias = tuple[str | int, ...]


# --------------------------------------------------------------------------- segments


@dataclass(frozen=True, slots=True)
class Child:
    """``.name`` or ``['name']``: one property of an object."""

    name: str


@dataclass(frozen=True, slots=True)
class Index:
    """``[3]`` or ``[-1]``: one array element (negative counts from the end)."""

    index: int


@dataclass(frozen=True, slots=True)
class Slice:
    """``[start:stop]``; Jayway ignores a step, so ``step`` is always ``None``."""

    start: int | None
    stop: int | None
    step: int | None = None


@dataclass(frozen=True, slots=True)
class Wildcard:
    """``[*]`` or ``.*``: every member of an object or element of an array."""


@dataclass(frozen=True, slots=True)
class DeepScan:
    """``..``: the following segment applied at every depth (``$..data`` -> DeepScan, Child)."""


@dataclass(frozen=True, slots=True)
class Filter:
    """``[?(...)]``: the elements of an array (or an object itself) matching a condition."""

    condition: Condition


@dataclass(frozen=True, slots=True)
class Union:
    """``['a','b']`` (names) or ``[0,2]`` (indexes); Jayway never mixes the two.

    At the end of a path a union of names is definite: Jayway merges the members found into
    one object. Anywhere else it reads each name in turn.
    """

    items: tuple[str | int, ...]


Segment: TypeAlias = Child | Index | Slice | Wildcard | DeepScan | Filter | Union


# --------------------------------------------------------------------------- filter operands


@dataclass(frozen=True, slots=True)
class Regex:
    """``/pattern/flags`` on one side of ``=~`` (Java regex flags: ``i``, ``m``, ``s``...)."""

    pattern: str
    flags: str


@dataclass(frozen=True, slots=True)
class JsonLiteral:
    """A JSON array or object written in a filter, e.g. ``['a','b']`` after ``in``.

    ``text`` is the literal as written (Jayway compares literals by text); ``value`` is its
    parsed form (tuple-free, plain lists and dicts), or ``None`` when it does not parse, in
    which case Jayway fails at evaluation time.
    """

    text: str
    value: Any = field(default=None, compare=False, hash=False)


@dataclass(frozen=True, slots=True)
class SubPath:
    """A filter operand that is not a simple relative path.

    ``$``-rooted paths (``$.limit``), indefinite ones (``@.items[*].id``) and paths ending in
    a function (``@.items.length()``) keep their full compiled form here.
    """

    expression: str
    path: CompiledPath


Operand: TypeAlias = RelPath | SubPath | Regex | JsonLiteral | str | int | float | bool | None


# --------------------------------------------------------------------------- conditions


@dataclass(frozen=True, slots=True)
class Compare:
    """``left op right``; ``op`` is Jayway's operator in lower case (``==``, ``in``, ``=~``...)."""

    left: Operand
    op: str
    right: Operand


@dataclass(frozen=True, slots=True)
class Exists:
    """``@.x``: true when the path resolves, even to JSON ``null``."""

    path: RelPath | SubPath


@dataclass(frozen=True, slots=True)
class And:
    """``a && b && ...``."""

    parts: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class Or:
    """``a || b || ...``."""

    parts: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class Not:
    """``!(...)`` or ``!@.x``."""

    part: Condition


Condition: TypeAlias = Compare | Exists | And | Or | Not


# --------------------------------------------------------------------------- compiled path


@dataclass(frozen=True, slots=True)
class CompiledPath:
    """A JSONPath compiled the way Jayway JsonPath compiles it; build one with ``compile_path``.

    Attributes:
        expression: the path as written.
        normalized: the path Jayway actually reads: a missing ``$`` gets Jayway's ``$.``
            prefix (``.total`` -> ``$..total``, ``['a']`` -> ``$['a']``), surrounding blanks go.
        definite: Jayway's ``isDefinite()``: no wildcard, deep scan, filter, slice, index
            list, or union of names followed by more segments.
        function: the trailing function (``length``, ``size``, ``sum``...), if any.
        segments: the path's structure, without the function.
    """

    expression: str
    normalized: str
    definite: bool
    function: str | None
    segments: tuple[Segment, ...]
    _run: Callable[[Any], Any] = field(repr=False, compare=False)
    _plan: Any = field(repr=False, compare=False)

    def evaluate(self, document: Any) -> Any:
        """Read the path from a parsed JSON document, as Jayway's default configuration does.

        Args:
            document: the parsed JSON (dicts, lists, str, int, float, bool, None).

        Returns:
            For a definite path, the value found (``None`` for a JSON ``null``) or ``UNSET``
            when the path does not resolve. For an indefinite path, the list of values found
            (possibly empty), or ``UNSET`` when Jayway fails before the first indefinite
            segment (e.g. ``$.missing[*].id``). With a function: its result for a definite
            path, a list of per-match results otherwise. Never raises.
        """
        return self._run(document)
