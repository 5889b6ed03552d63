"""`actionpact publish`: send pact files to a Pact Broker, and the broker options every
broker command shares (flag > PACT_BROKER_* > actionpact.yaml > the embedded local broker).
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from actionpact.cli._common import OutputFormat, echo_json
from actionpact.cli._errors import fail, handle_errors

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from actionpact.broker import BrokerClient, Notice

__all__ = [
    "BrokerPassword",
    "BrokerToken",
    "BrokerUrl",
    "BrokerUsername",
    "Output",
    "app",
    "broker_client",
    "echo_notices",
]

app = typer.Typer()

BrokerUrl = Annotated[
    str | None,
    typer.Option(
        "--broker-base-url",
        "-b",
        help="The Pact Broker's URL. Default: PACT_BROKER_BASE_URL, then broker.base_url in "
        "actionpact.yaml, then a local broker in .actionpact/broker.db.",
        show_default=False,
    ),
]
BrokerToken = Annotated[
    str | None,
    typer.Option(
        "--broker-token",
        "-k",
        help="Bearer token. Prefer PACT_BROKER_TOKEN: flags show up in process lists.",
        show_default=False,
    ),
]
BrokerUsername = Annotated[
    str | None,
    typer.Option(
        "--broker-username",
        "-u",
        help="Basic-auth user. Default: PACT_BROKER_USERNAME.",
        show_default=False,
    ),
]
BrokerPassword = Annotated[
    str | None,
    typer.Option(
        "--broker-password",
        "-p",
        help="Basic-auth password. Prefer PACT_BROKER_PASSWORD.",
        show_default=False,
    ),
]
Output = Annotated[
    OutputFormat,
    typer.Option("--output", "-o", help="text for people, json for pipelines."),
]

_NOTICE_COLOURS = {
    "warning": "yellow",
    "prompt": "yellow",
    "error": "red",
    "danger": "red",
    "success": "green",
}


@contextmanager
def broker_client(
    base_url: str | None,
    token: str | None,
    username: str | None,
    password: str | None,
) -> Iterator[BrokerClient]:
    """A broker client for the command's settings; the local broker when none is set."""
    from actionpact.broker import open_broker, resolve_broker_settings

    settings = resolve_broker_settings(
        base_url=base_url, token=token, username=username, password=password
    )
    if settings.uses_local_broker:
        typer.echo(
            f"using the local broker at {settings.local_db.as_posix()} "
            "(set PACT_BROKER_BASE_URL to use another)",
            err=True,
        )
    with open_broker(settings) as client:
        yield client


def echo_notices(notices: Iterable[Notice], *, err: bool = False) -> None:
    """Print the broker's notices, coloured by type (colours are dropped off a terminal)."""
    for notice in notices:
        typer.secho(notice.text, fg=_NOTICE_COLOURS.get(notice.type), err=err)


@app.command("publish")
@handle_errors
def publish(
    pacts: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Pact files, or directories of *.json pact files. Default: pacts/.",
            show_default=False,
        ),
    ] = None,
    *,
    consumer_app_version: Annotated[
        str,
        typer.Option(
            "--consumer-app-version",
            "-a",
            help="The consumer version the pacts belong to (a git SHA is best).",
        ),
    ],
    branch: Annotated[
        str | None, typer.Option("--branch", help="The consumer version's git branch.")
    ] = None,
    tag: Annotated[
        list[str] | None,
        typer.Option("--tag", "-t", help="A tag for the consumer version; repeat for more."),
    ] = None,
    build_url: Annotated[
        str | None, typer.Option("--build-url", help="The CI build that made the pacts.")
    ] = None,
    merge: Annotated[
        bool,
        typer.Option(
            "--merge",
            help="Merge with a pact already published for this version instead of failing.",
        ),
    ] = False,
    output: Output = OutputFormat.text,
    broker_base_url: BrokerUrl = None,
    broker_token: BrokerToken = None,
    broker_username: BrokerUsername = None,
    broker_password: BrokerPassword = None,
) -> None:
    """Publish pacts to a Pact Broker, one request per consumer version.

    Pacts for the same consumer and provider are merged first. Brokers older than 2.86 get
    the branch, the tags and then each pact the old way.
    """
    from actionpact.broker import group_contracts, read_pact_files

    if not consumer_app_version.strip():
        raise fail("--consumer-app-version cannot be blank")
    files = read_pact_files(pacts or [Path("pacts")])
    for contracts in group_contracts(files).values():
        for contract in contracts:
            if len(contract.paths) > 1:
                merged = ", ".join(p.as_posix() for p in contract.paths)
                typer.echo(f"Merging {merged}", err=True)
    with broker_client(broker_base_url, broker_token, broker_username, broker_password) as client:
        results = client.publish(
            files,
            version=consumer_app_version,
            branch=branch,
            tags=tag or (),
            build_url=build_url,
            merge=merge,
        )
    if output is OutputFormat.json:
        published: list[dict[str, Any]] = [
            {
                "consumer": result.consumer,
                "version": result.version,
                "legacyApi": result.legacy,
                "response": result.body,
            }
            for result in results
        ]
        echo_json({"published": published})
        return
    for result in results:
        if result.notices:
            echo_notices(result.notices)
        else:
            names = ", ".join(c.provider for c in result.contracts)
            typer.secho(
                f"Successfully published pacts of {result.consumer} {result.version} for {names}",
                fg="green",
            )
