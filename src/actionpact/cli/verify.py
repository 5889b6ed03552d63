"""`actionpact verify`: the provider's CI runs the Data Actions' contracts against its API."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from urllib.parse import urlsplit

import typer

from actionpact.cli._common import OutputFormat, echo_json
from actionpact.cli._errors import fail, handle_errors

# typer reads the parameter annotations at run time: these must be real imports.
from actionpact.cli.publish import (
    BrokerPassword,
    BrokerToken,
    BrokerUrl,
    BrokerUsername,
    Output,
)

if TYPE_CHECKING:
    from actionpact.verify import StateHandler

__all__ = ["app"]

app = typer.Typer()

DEFAULT_DEFINITIONS = Path("contracts")


def _state_handler(reference: str | None, url: str | None) -> StateHandler | str | None:
    from actionpact.verify import load_state_handler

    if reference and url:
        raise fail("give --state-handler or --state-change-url, not both")
    if url:
        _check_url(url, "--state-change-url")
        return url
    if reference:
        # As `uvicorn module:app` does: the project's own modules import from where it runs.
        if os.getcwd() not in sys.path:
            sys.path.insert(0, os.getcwd())
        return load_state_handler(reference)
    return None


def _check_url(url: str, option: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise fail(f"{option}: {url!r} is not an http(s) URL")


@app.command("verify")
@handle_errors
def verify(
    *,
    provider: Annotated[str, typer.Option("--provider", help="The provider's name in the pacts.")],
    provider_base_url: Annotated[
        str,
        typer.Option(
            "--provider-base-url", help="Where the provider runs, e.g. http://localhost:8080."
        ),
    ],
    pacts: Annotated[
        list[Path] | None,
        typer.Option(
            "--pacts",
            help="Pact files or folders to verify; repeat for more. Without it, the broker's "
            "pacts for verification are used.",
            show_default=False,
        ),
    ] = None,
    consumer_version_selector: Annotated[
        list[str] | None,
        typer.Option(
            "--consumer-version-selector",
            help='A selector as JSON, e.g. \'{"branch": "main"}\'; repeat for more. Default: '
            "main branch, deployed or released, and matching branch.",
            show_default=False,
        ),
    ] = None,
    enable_pending: Annotated[
        bool,
        typer.Option(
            "--enable-pending", help="A pending pact's failure is reported but passes the build."
        ),
    ] = False,
    include_wip_pacts_since: Annotated[
        str | None,
        typer.Option(
            "--include-wip-pacts-since",
            help="Also verify work-in-progress pacts published since this date (YYYY-MM-DD).",
            show_default=False,
        ),
    ] = None,
    provider_app_version: Annotated[
        str | None,
        typer.Option(
            "--provider-app-version", "-a", help="The provider version verified (a git SHA)."
        ),
    ] = None,
    provider_version_branch: Annotated[
        str | None,
        typer.Option("--provider-version-branch", help="The provider version's git branch."),
    ] = None,
    publish_verification_results: Annotated[
        bool,
        typer.Option(
            "--publish-verification-results",
            help="Publish the results to the broker (needs --provider-app-version).",
        ),
    ] = False,
    build_url: Annotated[
        str | None, typer.Option("--build-url", help="The CI build, published with the results.")
    ] = None,
    state_handler: Annotated[
        str | None,
        typer.Option(
            "--state-handler",
            help="A Python function 'module:function' called with (state, action, params) "
            "for each provider state.",
            show_default=False,
        ),
    ] = None,
    state_change_url: Annotated[
        str | None,
        typer.Option(
            "--state-change-url",
            help='The provider\'s own state-change endpoint; it receives {"state", "params", '
            '"action"} as JSON.',
            show_default=False,
        ),
    ] = None,
    header: Annotated[
        list[str] | None,
        typer.Option(
            "--header",
            "-H",
            help="'NAME: VALUE' replacing or adding a request header, e.g. 'Authorization: "
            "Bearer $CRM_TOKEN' ($VARS come from the environment; values are never shown).",
            show_default=False,
        ),
    ] = None,
    definitions: Annotated[
        list[Path] | None,
        typer.Option(
            "--definitions",
            help="Folders holding the Data Action definitions, to name each failure's "
            "Genesys impact. Default: contracts/ when it exists.",
            show_default=False,
        ),
    ] = None,
    timeout: Annotated[
        float, typer.Option("--timeout", help="Seconds to wait for each provider answer.")
    ] = 30.0,
    output: Output = OutputFormat.text,
    junit: Annotated[
        Path | None,
        typer.Option(
            "--junit", help="Also write a JUnit XML report to this file.", show_default=False
        ),
    ] = None,
    broker_base_url: BrokerUrl = None,
    broker_token: BrokerToken = None,
    broker_username: BrokerUsername = None,
    broker_password: BrokerPassword = None,
) -> None:
    """Verify a provider against the Data Actions' pacts with the Pact verifier.

    Each failure is explained in plain words with its Genesys impact: the request is sent
    again, the action's translation map and success template run on the actual answer, and the
    report says which outputs the Architect flow would get as null or default, or that the
    action would fail. Exit 0 when the build may pass, 1 on a failure, 2 on bad usage.
    """
    from actionpact.verify import (
        parse_header,
        parse_selector,
        render_text,
        verify_provider,
        write_junit,
    )

    _check_url(provider_base_url, "--provider-base-url")
    if pacts and broker_base_url:
        raise fail("give --pacts or a broker (--broker-base-url), not both")
    if pacts and (enable_pending or include_wip_pacts_since):
        raise fail("--enable-pending and --include-wip-pacts-since need pacts from a broker")
    if include_wip_pacts_since is not None:
        _check_date(include_wip_pacts_since)
    if timeout <= 0:
        raise fail("--timeout must be positive")
    handler = _state_handler(state_handler, state_change_url)
    headers = [parse_header(text) for text in header or ()]
    selectors = [parse_selector(text) for text in consumer_version_selector or ()]
    folders = definitions or ([DEFAULT_DEFINITIONS] if DEFAULT_DEFINITIONS.is_dir() else [])

    broker = None
    if not pacts:
        from actionpact.broker import resolve_broker_settings

        broker = resolve_broker_settings(
            base_url=broker_base_url,
            token=broker_token,
            username=broker_username,
            password=broker_password,
        )
        if broker.uses_local_broker:
            typer.echo(
                f"using the local broker at {broker.local_db.as_posix()} "
                "(set PACT_BROKER_BASE_URL or give --pacts to use another)",
                err=True,
            )

    def progress(message: str) -> None:
        typer.echo(message, err=True)

    report = verify_provider(
        provider,
        provider_base_url,
        pacts=pacts or (),
        broker=broker,
        selectors=selectors or None,
        enable_pending=enable_pending,
        include_wip_since=include_wip_pacts_since,
        provider_version=provider_app_version,
        provider_branch=provider_version_branch,
        publish=publish_verification_results,
        build_url=build_url,
        state_handler=handler,
        headers=headers,
        definitions=folders,
        timeout=timeout,
        on_progress=progress,
    )
    if junit is not None:
        write_junit(report, junit)
    if output is OutputFormat.json:
        echo_json(report.to_json())
    else:
        text = render_text(report)
        for line in text.splitlines():
            colour = None
            if "(pending: does not fail the build)" in line:
                colour = "yellow"
            elif "FAILED" in line:
                colour = "red"
            elif line.startswith("  passed") or line == "Verification passed":
                colour = "green"
            typer.secho(line, fg=colour)
    raise typer.Exit(report.exit_code)


def _check_date(value: str) -> None:
    import datetime

    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        raise fail(f"--include-wip-pacts-since: {value!r} is not a date (YYYY-MM-DD)") from None
