"""Turn errors into one `error:` line and an exit code, in one place."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer

from actionpact.core.errors import (
    ActionFailure,
    ActionPactError,
    BrokerError,
    InputFileError,
)

__all__ = ["EXIT_FAILURE", "EXIT_OK", "EXIT_USAGE", "exit_code_for", "fail", "handle_errors"]

EXIT_OK = 0
EXIT_FAILURE = 1  # a contract, verification or action failure
EXIT_USAGE = 2  # bad input or usage

P = ParamSpec("P")
R = TypeVar("R")


def exit_code_for(error: ActionPactError) -> int:
    """Exit 2 for bad input, 1 for everything that is a real failure."""
    if isinstance(error, InputFileError):
        return EXIT_USAGE
    return EXIT_FAILURE


def _hint(error: ActionPactError) -> str | None:
    if isinstance(error, BrokerError) and error.status in (401, 403):
        return "check PACT_BROKER_TOKEN or PACT_BROKER_USERNAME/PACT_BROKER_PASSWORD"
    if isinstance(error, BrokerError) and error.status is None:
        return "check PACT_BROKER_BASE_URL and that the broker is running"
    if isinstance(error, ActionFailure):
        return f"the action would fail at step {error.step} ({error.step_name})"
    return None


def fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    """Print ``error: message`` on stderr and return the exit to raise."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Decorate a command so an ``ActionPactError`` becomes an ``error:`` line and exit code."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except ActionPactError as error:
            typer.echo(f"error: {error}", err=True)
            hint = _hint(error)
            if hint:
                typer.echo(f"  hint: {hint}", err=True)
            sys.stderr.flush()
            raise typer.Exit(exit_code_for(error)) from None

    return wrapper
