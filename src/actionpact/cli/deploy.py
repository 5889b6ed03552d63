"""`actionpact can-i-deploy` and the commands that tell the broker what runs where:
record-deployment, record-undeployment, record-release, create-environment, describe-version
and create-or-update-version. Same names, options and flows as the official pact-broker CLI.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Annotated, Any

import typer

from actionpact.cli._common import OutputFormat, echo_json
from actionpact.cli._errors import EXIT_FAILURE, EXIT_OK, fail, handle_errors
from actionpact.cli.publish import (
    BrokerPassword,
    BrokerToken,
    BrokerUrl,
    BrokerUsername,
    Output,
    broker_client,
)

if TYPE_CHECKING:
    from actionpact.broker import Matrix, Resource

__all__ = ["app"]

app = typer.Typer()

Pacticipant = Annotated[
    str, typer.Option("--pacticipant", "-a", help="The application's name in the broker.")
]
Environment = Annotated[
    str, typer.Option("--environment", help="The environment's name, e.g. production.")
]
Instance = Annotated[
    str | None,
    typer.Option(
        "--application-instance",
        help="Which instance, when one application runs several times in an environment.",
    ),
]

_DRY_RUN_PREFIX = "[dry-run] "


def _blank(value: str | None, option: str) -> None:
    if value is not None and not value.strip():
        raise fail(f"{option} cannot be blank")


def _echo_resource(resource: Resource, output: OutputFormat, message: str) -> None:
    if output is OutputFormat.json:
        echo_json(dict(resource.data))
    else:
        typer.secho(message, fg="green")


# --------------------------------------------------------------------------- can-i-deploy


def _computer_says(matrix: Matrix, dry_run: bool) -> list[tuple[str, str | None]]:
    from actionpact.broker import format_matrix_table

    yes = matrix.deployable is True
    if dry_run:
        head = (
            "Computer says yes \\o/ (and maybe you don't need to enable dry run)"
            if yes
            else "Computer says no ¯\\_(ツ)_/¯ (but you're ignoring this by enabling dry run)"
        )
    else:
        head = "Computer says yes \\o/" if yes else "Computer says no ¯\\_(ツ)_/¯"
    colour = "green" if yes else "red"
    lines: list[tuple[str, str | None]] = [(head, None if dry_run else colour)]
    table = format_matrix_table(matrix)
    if table:
        lines.append(("", None))
        lines += [(line, None) for line in table.splitlines()]
    lines.append(("", None))
    if matrix.notices:
        colours = {"warning": "yellow", "prompt": "yellow", "error": "red", "danger": "red"}
        colours["success"] = "green"
        for notice in matrix.notices:
            lines += [(text, colours.get(notice.type)) for text in notice.text.splitlines()]
    else:
        lines += [(text, colour) for text in matrix.reason.splitlines()]
    return lines


@app.command("can-i-deploy")
@handle_errors
def can_i_deploy(
    *,
    pacticipant: Pacticipant,
    version: Annotated[
        str | None, typer.Option("--version", "-e", help="The version to deploy.")
    ] = None,
    latest: Annotated[
        bool, typer.Option("--latest", "-l", help="Use the latest version of the pacticipant.")
    ] = False,
    latest_tag: Annotated[
        str | None,
        typer.Option("--latest-tag", help="Use the latest version with this tag."),
    ] = None,
    branch: Annotated[
        str | None, typer.Option("--branch", help="Use the latest version of this branch.")
    ] = None,
    to_environment: Annotated[
        str | None,
        typer.Option("--to-environment", help="The environment to deploy to.", show_default=False),
    ] = None,
    to: Annotated[
        str | None,
        typer.Option("--to", help="The tag of the versions to deploy alongside (legacy)."),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option(
            "--ignore",
            help="A pacticipant whose results do not count; repeat for more. Also "
            "PACT_BROKER_CAN_I_DEPLOY_IGNORE (comma-separated).",
        ),
    ] = None,
    retry_while_unknown: Annotated[
        int,
        typer.Option(
            "--retry-while-unknown",
            min=0,
            help="How many times to ask again while verification results are unknown.",
        ),
    ] = 0,
    retry_interval: Annotated[
        float,
        typer.Option("--retry-interval", min=0, help="Seconds between those retries."),
    ] = 10.0,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="Always exit 0 and do not wait (also PACT_BROKER_CAN_I_DEPLOY_DRY_RUN=true).",
        ),
    ] = False,
    output: Output = OutputFormat.text,
    broker_base_url: BrokerUrl = None,
    broker_token: BrokerToken = None,
    broker_username: BrokerUsername = None,
    broker_password: BrokerPassword = None,
) -> None:
    """Check whether a pacticipant version can be deployed to an environment.

    Exit 0 only when the broker says deployable; missing verification results (unknown)
    are not deployable. With --retry-while-unknown, ask again while results are unknown.
    """
    from actionpact.broker import CanIDeployQuery, Selector

    for value, option in (
        (pacticipant, "--pacticipant"),
        (version, "--version"),
        (to_environment, "--to-environment"),
        (to, "--to"),
        (branch, "--branch"),
    ):
        _blank(value, option)
    latest = latest or latest_tag is not None
    if sum((version is not None, latest, branch is not None)) != 1:
        raise fail(
            f"give the version of {pacticipant} with exactly one of --version VERSION, "
            "--branch BRANCH, --latest or --latest-tag TAG"
        )
    if (to_environment is None) == (to is None):
        raise fail("give exactly one of --to-environment ENVIRONMENT or --to TAG")
    dry_run = dry_run or os.environ.get("PACT_BROKER_CAN_I_DEPLOY_DRY_RUN", "") == "true"
    ignored = [*(ignore or ())]
    ignored += [
        name.strip()
        for name in os.environ.get("PACT_BROKER_CAN_I_DEPLOY_IGNORE", "").split(",")
        if name.strip()
    ]
    query = CanIDeployQuery(
        selectors=(
            Selector(
                pacticipant.strip(),
                version=version,
                latest=latest,
                tag=latest_tag,
                branch=branch,
            ),
        ),
        to_environment=to_environment,
        to_tag=to,
        ignore=tuple(Selector(name) for name in dict.fromkeys(ignored)),
    )

    def waiting(matrix: Matrix, tries: int) -> None:
        if tries == retry_while_unknown:
            unknown = matrix.unknown or 0
            results = "result" if unknown == 1 else "results"
            typer.echo(
                f"Waiting for {unknown} verification {results} to be published (maximum of "
                f"{retry_while_unknown * retry_interval:g} seconds)",
                err=True,
            )

    with broker_client(broker_base_url, broker_token, broker_username, broker_password) as client:
        matrix = client.can_i_deploy(
            query,
            retry_while_unknown=0 if dry_run else retry_while_unknown,
            retry_interval=retry_interval,
            on_wait=waiting,
        )
    code = EXIT_OK if matrix.deployable is True or dry_run else EXIT_FAILURE
    if output is OutputFormat.json:
        body: dict[str, Any] = {
            "summary": matrix.body.get("summary"),
            "notices": matrix.body.get("notices", []),
            "matrix": matrix.body.get("matrix", []),
        }
        if dry_run:
            body["dryRun"] = True
        echo_json(body)
        raise typer.Exit(code)
    lines = _computer_says(matrix, dry_run)
    if dry_run:
        lines = [(_DRY_RUN_PREFIX + text, None) for text, _ in lines]
        lines += [
            (_DRY_RUN_PREFIX, None),
            (_DRY_RUN_PREFIX + "Dry run enabled - ignoring any failures", "green"),
        ]
    for text, colour in lines:
        typer.secho(text, fg=colour)
    raise typer.Exit(code)


# --------------------------------------------------------------------------- deployments


@app.command("record-deployment")
@handle_errors
def record_deployment(
    *,
    pacticipant: Pacticipant,
    version: Annotated[str, typer.Option("--version", "-e", help="The version deployed.")],
    environment: Environment,
    application_instance: Instance = None,
    output: Output = OutputFormat.text,
    broker_base_url: BrokerUrl = None,
    broker_token: BrokerToken = None,
    broker_username: BrokerUsername = None,
    broker_password: BrokerPassword = None,
) -> None:
    """Record that a version was deployed to an environment (replacing the one there)."""
    for value, option in ((pacticipant, "--pacticipant"), (version, "--version")):
        _blank(value, option)
    with broker_client(broker_base_url, broker_token, broker_username, broker_password) as client:
        resource = client.record_deployment(
            pacticipant, version, environment, application_instance=application_instance
        )
    instance = f" (application instance {application_instance})" if application_instance else ""
    _echo_resource(
        resource,
        output,
        f"Recorded deployment of {pacticipant} version {version} to {environment} "
        f"environment{instance} in the Pact Broker.",
    )


@app.command("record-undeployment")
@handle_errors
def record_undeployment(
    *,
    pacticipant: Pacticipant,
    environment: Environment,
    application_instance: Instance = None,
    output: Output = OutputFormat.text,
    broker_base_url: BrokerUrl = None,
    broker_token: BrokerToken = None,
    broker_username: BrokerUsername = None,
    broker_password: BrokerPassword = None,
) -> None:
    """Record that an application was removed from an environment.

    Not needed when deploying over a previous version: record-deployment does that.
    """
    with broker_client(broker_base_url, broker_token, broker_username, broker_password) as client:
        resources = client.record_undeployment(
            pacticipant, environment, application_instance=application_instance
        )
    if output is OutputFormat.json:
        echo_json({"undeployed": [dict(r.data) for r in resources]})
        return
    for resource in resources:
        number = None
        for embedded in resource.embedded("version"):
            number = embedded.get("number")
        what = f"{pacticipant} version {number}" if number else pacticipant
        instance = f" (application instance {application_instance})" if application_instance else ""
        typer.secho(
            f"Recorded undeployment of {what} from {environment} environment{instance} "
            "in the Pact Broker.",
            fg="green",
        )


@app.command("record-release")
@handle_errors
def record_release(
    *,
    pacticipant: Pacticipant,
    version: Annotated[str, typer.Option("--version", "-e", help="The version released.")],
    environment: Environment,
    output: Output = OutputFormat.text,
    broker_base_url: BrokerUrl = None,
    broker_token: BrokerToken = None,
    broker_username: BrokerUsername = None,
    broker_password: BrokerPassword = None,
) -> None:
    """Record that a version was released to an environment (for mobile apps, libraries)."""
    for value, option in ((pacticipant, "--pacticipant"), (version, "--version")):
        _blank(value, option)
    with broker_client(broker_base_url, broker_token, broker_username, broker_password) as client:
        resource = client.record_release(pacticipant, version, environment)
    _echo_resource(
        resource,
        output,
        f"Recorded release of {pacticipant} version {version} to {environment} environment "
        "in the Pact Broker.",
    )


@app.command("create-environment")
@handle_errors
def create_environment(
    *,
    name: Annotated[str, typer.Option("--name", help="A unique name without spaces.")],
    display_name: Annotated[
        str | None, typer.Option("--display-name", help="A name for people.")
    ] = None,
    production: Annotated[
        bool,
        typer.Option("--production/--no-production", help="Whether it is a production one."),
    ] = False,
    output: Output = OutputFormat.text,
    broker_base_url: BrokerUrl = None,
    broker_token: BrokerToken = None,
    broker_username: BrokerUsername = None,
    broker_password: BrokerPassword = None,
) -> None:
    """Create an environment to record deployments and releases in."""
    _blank(name, "--name")
    with broker_client(broker_base_url, broker_token, broker_username, broker_password) as client:
        resource = client.create_environment(
            name.strip(), display_name=display_name, production=production
        )
    uuid = resource.data.get("uuid", "?")
    _echo_resource(
        resource, output, f"Created {name} environment in the Pact Broker with UUID {uuid}"
    )


# --------------------------------------------------------------------------- versions


def _version_table(data: dict[str, Any]) -> str:
    def names(key: str) -> str:
        found = (data.get("_embedded") or {}).get(key) or []
        return ", ".join(str(item.get("name")) for item in found if isinstance(item, dict))

    cells = (
        ("NUMBER", str(data.get("number", "???"))),
        ("BRANCHES", names("branchVersions") or names("branches")),
        ("TAGS", names("tags")),
    )
    widths = [max(len(title), len(value)) for title, value in cells]
    head = " | ".join(t.ljust(w) for (t, _), w in zip(cells, widths, strict=True))
    rule = "-|-".join("-" * w for w in widths)
    row = " | ".join(v.ljust(w) for (_, v), w in zip(cells, widths, strict=True))
    return "\n".join((head.rstrip(), rule, row.rstrip()))


@app.command("describe-version")
@handle_errors
def describe_version(
    *,
    pacticipant: Pacticipant,
    version: Annotated[
        str | None, typer.Option("--version", "-e", help="The version number.")
    ] = None,
    latest: Annotated[
        bool, typer.Option("--latest", "-l", help="The latest version (the default).")
    ] = False,
    latest_tag: Annotated[
        str | None, typer.Option("--latest-tag", help="The latest version with this tag.")
    ] = None,
    output: Output = OutputFormat.text,
    broker_base_url: BrokerUrl = None,
    broker_token: BrokerToken = None,
    broker_username: BrokerUsername = None,
    broker_password: BrokerPassword = None,
) -> None:
    """Describe a pacticipant version; without --version, the latest one."""
    if version is not None and (latest or latest_tag is not None):
        raise fail("give either --version or --latest/--latest-tag, not both")
    _blank(version, "--version")
    with broker_client(broker_base_url, broker_token, broker_username, broker_password) as client:
        resource = client.describe_version(pacticipant, version, latest_tag=latest_tag)
    if output is OutputFormat.json:
        echo_json(dict(resource.data))
    else:
        typer.echo(_version_table(dict(resource.data)))


@app.command("create-or-update-version")
@handle_errors
def create_or_update_version(
    *,
    pacticipant: Pacticipant,
    version: Annotated[str, typer.Option("--version", "-e", help="The version number.")],
    branch: Annotated[
        str | None, typer.Option("--branch", help="The version's git branch.")
    ] = None,
    tag: Annotated[
        list[str] | None,
        typer.Option("--tag", "-t", help="A tag for the version; repeat for more."),
    ] = None,
    output: Output = OutputFormat.text,
    broker_base_url: BrokerUrl = None,
    broker_token: BrokerToken = None,
    broker_username: BrokerUsername = None,
    broker_password: BrokerPassword = None,
) -> None:
    """Create or update a pacticipant version, with its branch and tags."""
    for value, option in (
        (pacticipant, "--pacticipant"),
        (version, "--version"),
        (branch, "--branch"),
    ):
        _blank(value, option)
    tags = [t.strip() for t in tag or ()]
    if any(not t for t in tags):
        raise fail("--tag cannot be blank")
    with broker_client(broker_base_url, broker_token, broker_username, broker_password) as client:
        resource = client.create_version(
            pacticipant.strip(), version.strip(), branch=branch, tags=tags
        )
    message = f"Created/updated pacticipant version {version}"
    if branch and tags:
        message += f" with branch {branch} and tag(s) {', '.join(tags)}"
    elif branch:
        message += f" with branch {branch}"
    elif tags:
        message += f" with tag(s) {', '.join(tags)}"
    _echo_resource(resource, output, message + " in the Pact Broker")
