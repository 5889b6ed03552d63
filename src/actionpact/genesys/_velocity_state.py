"""Per-render state of a Velocity template and the objects a render creates.

A render owns its ``#set`` variables and macro frames; the caller's context is only read.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from actionpact.genesys._velocity_java import JavaObject, MethodTable, jm

__all__ = [
    "MISSING",
    "BreakLoop",
    "DefinedBlock",
    "Emit",
    "Eval",
    "ForeachScope",
    "RenderFailure",
    "State",
    "Step",
    "StopRendering",
]

MISSING: Any = object()

Emit = Callable[["State", list[str]], None]
Eval = Callable[["State"], Any]
Step = Callable[[Any, "State"], Any]


class RenderFailure(Exception):
    """A render error at a 0-based source offset."""

    def __init__(self, reason: str, pos: int, variable: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.pos = pos
        self.variable = variable


class BreakLoop(Exception):
    pass


class StopRendering(Exception):
    pass


class State:
    """Everything one render owns: the caller's context, ``#set`` variables, macro frames."""

    __slots__ = ("context", "depth", "frames", "iterations", "variables")

    def __init__(self, context: Mapping[str, Any]):
        self.context = context
        self.variables: dict[str, Any] = {}
        self.frames: list[dict[str, Any]] = []
        self.depth = 0
        self.iterations = 0

    def lookup(self, name: str) -> Any:
        for frame in reversed(self.frames):
            if name in frame:
                return frame[name]
        value = self.variables.get(name, MISSING)
        if value is MISSING:
            return self.context.get(name, MISSING)
        return value

    def assign(self, name: str, value: Any) -> None:
        if self.frames and name in self.frames[-1]:
            self.frames[-1][name] = value
        else:
            self.variables[name] = value


class ForeachScope(JavaObject):
    """``$foreach``: count, index, hasNext, first, last, parent."""

    java_class = "org.apache.velocity.runtime.directive.ForeachScope"

    def __init__(self, parent: Any, size: int):
        self.parent = parent
        self.size = size
        self.index = 0

    java_methods: ClassVar[MethodTable] = {
        "getCount": [jm(lambda s: s.index + 1)],
        "getIndex": [jm(lambda s: s.index)],
        "hasNext": [jm(lambda s: s.index < s.size - 1)],
        "getHasNext": [jm(lambda s: s.index < s.size - 1)],
        "isFirst": [jm(lambda s: s.index == 0)],
        "isLast": [jm(lambda s: s.index == s.size - 1)],
        "getParent": [jm(lambda s: s.parent)],
    }


class DefinedBlock(JavaObject):
    """The value of ``$name`` after ``#define($name)``: renders its block when shown."""

    java_class = "org.apache.velocity.runtime.directive.Block$Reference"

    def __init__(self, body: Emit, state: State):
        self.body = body
        self.state = state

    def java_to_string(self) -> str:
        out: list[str] = []
        with contextlib.suppress(BreakLoop):
            self.body(self.state, out)
        return "".join(out)
