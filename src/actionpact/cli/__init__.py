"""The typer command-line interface; the only place that prints or exits."""

from __future__ import annotations

from actionpact.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point."""
    app()
