"""Small helpers shared by the command modules: reading `JSON|@file` arguments, output."""

from __future__ import annotations

import enum
import json
from pathlib import Path
from typing import Any

import typer

from actionpact.core.errors import InputFileError

__all__ = ["OutputFormat", "echo_json", "read_argument_text", "read_json_argument"]


class OutputFormat(enum.StrEnum):
    """How a command reports: for a person, or as one JSON object for a pipeline."""

    text = "text"
    json = "json"


def read_argument_text(value: str, *, option: str) -> tuple[str, str]:
    """Return ``(text, where)`` for an inline value or an ``@file`` reference."""
    if value.startswith("@"):
        path = Path(value[1:])
        try:
            return path.read_text(encoding="utf-8"), str(path)
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or str(error)
            raise InputFileError(f"{option}: cannot read {path}: {reason}") from None
    return value, option


def read_json_argument(value: str, *, option: str) -> Any:
    """Parse an inline JSON value or an ``@file`` holding JSON."""
    text, where = read_argument_text(value, option=option)
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InputFileError(
            f"{where}: not valid JSON ({error.msg} at line {error.lineno}, column {error.colno})"
        ) from None


def echo_json(value: Any) -> None:
    """Print exactly one JSON object on stdout."""
    typer.echo(json.dumps(value, indent=2, ensure_ascii=False))
