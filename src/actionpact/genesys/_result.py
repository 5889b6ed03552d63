"""What a simulation returns: the rendered request, the steps, the output or the failure."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from actionpact.core import UNSET

if TYPE_CHECKING:
    from collections.abc import Mapping

    from actionpact.core.errors import ActionFailure

__all__ = ["RenderedRequest", "Simulation", "StepResult"]


@dataclass(frozen=True, slots=True)
class RenderedRequest:
    """The request Genesys would send to the backend.

    Attributes:
        method: the HTTP method, upper case.
        url: the URL as rendered; a Genesys API path stays relative (``/api/v2/...``).
        headers: header name to rendered value, in definition order.
        body: the rendered body; ``None`` for a GET, which ignores ``requestTemplate``.
    """

    method: str
    url: str
    headers: Mapping[str, str]
    body: str | None

    @property
    def path(self) -> str:
        """The URL's path (``/`` when empty)."""
        return urlsplit(self.url).path or "/"

    @property
    def query(self) -> str:
        """The URL's raw query string, without ``?``."""
        return urlsplit(self.url).query

    def to_json(self) -> dict[str, Any]:
        """The request as the ``--output json`` shape shows it."""
        return {
            "method": self.method,
            "url": self.url,
            "headers": dict(self.headers),
            "body": self.body,
        }


@dataclass(frozen=True, slots=True)
class StepResult:
    """One Genesys test-mode step, as Genesys reports it.

    Attributes:
        step: the step number (1-10). name: Genesys's name for it. success: whether it passed.
        result: the step's intermediate value (resolved URL, raw response, variables...).
        error: the failure message when it failed.
    """

    step: int
    name: str
    success: bool
    result: Any = None
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The step as the ``--output json`` shape shows it."""
        return {
            "step": self.step,
            "name": self.name,
            "success": self.success,
            "result": self.result,
            "error": self.error,
        }


@dataclass(frozen=True, slots=True)
class Simulation:
    """The outcome of running an action the way Genesys test mode does.

    Attributes:
        action: the action's name.
        success: whether every step that ran passed.
        request: the rendered request, when the request side got that far.
        output: the output object; ``UNSET`` when the response side did not run or failed.
        error: the failure, if any; its ``step`` and ``step_name`` say where.
        steps: the steps that ran, in order.
        response_ran: whether a backend response was given (steps 8-10 ran or were tried).
    """

    action: str
    success: bool
    request: RenderedRequest | None
    output: Any = UNSET
    error: ActionFailure | None = None
    steps: tuple[StepResult, ...] = field(default=())
    response_ran: bool = False

    def to_json(self) -> dict[str, Any]:
        """The exact ``actionpact simulate --output json`` object."""
        error = None
        if self.error is not None:
            error = {
                "step": self.error.step,
                "name": self.error.step_name,
                "message": self.steps[-1].error if self.steps else str(self.error),
            }
        return {
            "action": self.action,
            "success": self.success,
            "request": self.request.to_json() if self.request is not None else None,
            "output": None if self.output is UNSET else self.output,
            "error": error,
            "steps": [step.to_json() for step in self.steps],
        }
