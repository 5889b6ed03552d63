"""`actionpact broker serve`: a Pact-Broker-compatible server on SQLite, for one machine."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from actionpact.cli._errors import handle_errors

app = typer.Typer(
    help="A local Pact Broker (SQLite) for the quick start, CI without Docker and tests.",
    no_args_is_help=True,
)

DEFAULT_DB = Path(".actionpact") / "broker.db"


@app.command()
@handle_errors
def serve(
    host: Annotated[
        str,
        typer.Option(
            "--host",
            envvar="ACTIONPACT_BROKER_HOST",
            help="Address to listen on. Without credentials only loopback is allowed.",
        ),
    ] = "127.0.0.1",
    port: Annotated[
        int,
        typer.Option(
            "--port",
            envvar="ACTIONPACT_BROKER_PORT",
            min=0,
            max=65535,
            help="Port to listen on (0 picks a free one).",
        ),
    ] = 9292,
    db: Annotated[
        Path,
        typer.Option(
            "--db",
            envvar="ACTIONPACT_BROKER_DB",
            help="The SQLite database file (created and migrated when needed).",
        ),
    ] = DEFAULT_DB,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            envvar="ACTIONPACT_BROKER_PUBLIC_URL",
            help="Public URL used in links, when behind a proxy.",
        ),
    ] = None,
    log_level: Annotated[
        str,
        typer.Option("--log-level", help="uvicorn log level (debug logs each request)."),
    ] = "info",
) -> None:
    """Serve the Pact Broker API on HOST:PORT, storing everything in one SQLite file.

    Credentials come from the environment only, with the official broker's names:
    PACT_BROKER_BASIC_AUTH_USERNAME/_PASSWORD (read-write),
    PACT_BROKER_BASIC_AUTH_READ_ONLY_USERNAME/_PASSWORD (read-only),
    ACTIONPACT_BROKER_TOKEN (a bearer token, as PactFlow's), PACT_BROKER_ALLOW_PUBLIC_READ
    and PACT_BROKER_PUBLIC_HEARTBEAT. Point clients at it with PACT_BROKER_BASE_URL.
    """
    from actionpact.broker.server import BrokerAuth
    from actionpact.broker.server import serve as run
    from actionpact.core.errors import ConfigError

    auth = BrokerAuth.from_env()
    pairs = (
        (
            "PACT_BROKER_BASIC_AUTH_USERNAME",
            auth.username,
            "PACT_BROKER_BASIC_AUTH_PASSWORD",
            auth.password,
        ),
        (
            "PACT_BROKER_BASIC_AUTH_READ_ONLY_USERNAME",
            auth.read_only_username,
            "PACT_BROKER_BASIC_AUTH_READ_ONLY_PASSWORD",
            auth.read_only_password,
        ),
    )
    for user_name, user, password_name, password in pairs:
        if bool(user) != bool(password):
            missing = password_name if user else user_name
            raise ConfigError(f"{missing} is not set", setting=missing)

    def ready(url: str) -> None:
        mode = "with authentication" if auth.configured else "open (no authentication)"
        typer.echo(f"actionpact broker listening on {url}, {mode}, database {db}", err=True)

    run(db, host=host, port=port, auth=auth, base_url=base_url, log_level=log_level, on_ready=ready)
