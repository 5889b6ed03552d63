"""The `actionpact` command: one typer file per command group, joined here."""

from __future__ import annotations

from typing import Annotated

import typer

from actionpact import __version__

app = typer.Typer(
    name="actionpact",
    help="Contract testing for Genesys Cloud Data Actions with Pact.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"actionpact {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Contract testing for Genesys Cloud Data Actions with Pact."""
    ctx.ensure_object(dict)


def _register() -> None:
    # Command modules import the library lazily inside their commands: `--help` stays fast.
    from actionpact.cli import deploy, publish, simulate

    app.add_typer(simulate.app)
    app.add_typer(publish.app)
    app.add_typer(deploy.app)
    from actionpact.cli import broker

    app.add_typer(broker.app, name="broker")
    from actionpact.cli import verify

    app.add_typer(verify.app)
    from actionpact.cli import generate

    app.add_typer(generate.app)
    from actionpact.cli import drift

    app.add_typer(drift.app)


_register()
