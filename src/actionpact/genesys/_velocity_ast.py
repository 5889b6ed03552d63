"""The parsed form of a Velocity template: frozen nodes with source offsets.

Offsets (``pos``) are 0-based character indexes into the template source; line and
column are computed from them only when an error needs them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeAlias

__all__ = [
    "Binary",
    "Block",
    "Break",
    "Define",
    "Evaluate",
    "Expr",
    "Foreach",
    "If",
    "Include",
    "Index",
    "Interpolated",
    "ListLiteral",
    "Literal",
    "MacroCall",
    "MacroDef",
    "MapLiteral",
    "Method",
    "Node",
    "Part",
    "Prop",
    "Range",
    "Ref",
    "RefOut",
    "Set",
    "Stop",
    "Text",
    "Unary",
]


# --------------------------------------------------------------------------- expressions


@dataclass(frozen=True, slots=True)
class Prop:
    """``.name`` without parentheses: a map key or a bean getter."""

    name: str
    pos: int


@dataclass(frozen=True, slots=True)
class Method:
    """``.name(args)``."""

    name: str
    args: tuple[Expr, ...]
    pos: int


@dataclass(frozen=True, slots=True)
class Index:
    """``[expr]`` after a reference (Velocity 2)."""

    index: Expr
    pos: int


Part: TypeAlias = Prop | Method | Index


@dataclass(frozen=True, slots=True)
class Ref:
    """A reference: ``$x``, ``${x.y}``, ``$!x.m(1)``, ``${x|'alt'}``.

    Attributes:
        literal: the reference exactly as written, rendered when its value is null.
        silent: written ``$!``: a null renders as nothing.
        tolerant: Velocity's strict-mode exception for a bare ``$x`` tested in ``#if``:
            an unset variable is then null instead of an error.
    """

    root: str
    parts: tuple[Part, ...]
    pos: int
    literal: str
    silent: bool = False
    alternate: Expr | None = None
    tolerant: bool = False


@dataclass(frozen=True, slots=True)
class Literal:
    """A constant: string without interpolation, number, boolean, null."""

    value: Any


@dataclass(frozen=True, slots=True)
class Interpolated:
    """A double-quoted string containing ``$`` or ``#``: a template of its own."""

    body: Block
    pos: int


@dataclass(frozen=True, slots=True)
class ListLiteral:
    """``[a, b]``."""

    items: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class MapLiteral:
    """``{k: v}``."""

    pairs: tuple[tuple[Expr, Expr], ...]


@dataclass(frozen=True, slots=True)
class Range:
    """``[a..b]``."""

    low: Expr
    high: Expr
    pos: int


@dataclass(frozen=True, slots=True)
class Unary:
    """``!x``, ``not x``, ``-x``; ``text`` is the operand as written, for messages."""

    op: str
    operand: Expr
    pos: int
    text: str = ""


@dataclass(frozen=True, slots=True)
class Binary:
    """``a op b``; ``op`` is normalised (``and`` is ``&&``, ``eq`` is ``==``...).

    ``left_text``/``right_text`` are the operands as written, for Velocity's messages.
    """

    op: str
    left: Expr
    right: Expr
    pos: int
    left_text: str = ""
    right_text: str = ""


Expr: TypeAlias = Ref | Literal | Interpolated | ListLiteral | MapLiteral | Range | Unary | Binary


# --------------------------------------------------------------------------- statements


@dataclass(frozen=True, slots=True)
class Text:
    """Literal output."""

    text: str


@dataclass(frozen=True, slots=True)
class RefOut:
    """A reference rendered into the output, with the backslashes written before it."""

    ref: Ref
    backslashes: int = 0


@dataclass(frozen=True, slots=True)
class If:
    """``#if``/``#elseif``/``#else``/``#end``."""

    branches: tuple[tuple[Expr, Block], ...]
    otherwise: Block | None


@dataclass(frozen=True, slots=True)
class Foreach:
    """``#foreach($var in expr) ... [#else ...] #end``."""

    var: str
    iterable: Expr
    body: Block
    otherwise: Block | None
    pos: int
    literal: str


@dataclass(frozen=True, slots=True)
class Set:
    """``#set($a = expr)`` or ``#set($a.b.c = expr)``."""

    root: str
    path: tuple[str, ...]
    value: Expr
    pos: int


@dataclass(frozen=True, slots=True)
class MacroDef:
    """``#macro(name $a $b) ... #end``; renders nothing where it stands."""

    name: str
    params: tuple[str, ...]
    body: Block
    pos: int


@dataclass(frozen=True, slots=True)
class MacroCall:
    """``#name(args)``; rendered as its own text when no macro of that name exists."""

    name: str
    args: tuple[Expr, ...]
    pos: int
    literal: str


@dataclass(frozen=True, slots=True)
class Define:
    """``#define($name) ... #end``: ``$name`` renders the block when used."""

    name: str
    body: Block


@dataclass(frozen=True, slots=True)
class Evaluate:
    """``#evaluate(expr)``: render a string as a template."""

    expr: Expr
    pos: int


@dataclass(frozen=True, slots=True)
class Include:
    """``#parse``/``#include``: Genesys has no template files, so rendering fails."""

    directive: str
    pos: int


@dataclass(frozen=True, slots=True)
class Break:
    """``#break``: leave the innermost ``#foreach`` (or the template)."""


@dataclass(frozen=True, slots=True)
class Stop:
    """``#stop``: stop rendering, keeping what was written."""


Node: TypeAlias = (
    Text
    | RefOut
    | If
    | Foreach
    | Set
    | MacroDef
    | MacroCall
    | Define
    | Evaluate
    | Include
    | Break
    | Stop
)


@dataclass(frozen=True, slots=True)
class Block:
    """A sequence of nodes."""

    nodes: tuple[Node, ...]
