"""`actionpact record` and `actionpact drift`: the weekly check of vendor APIs that will never
run Pact. `record` stores the vendor's real answers (secrets removed, personal data
pseudonymised); `drift` verifies the contracts against them, runs the Genesys transform on
them and compares them with the previous run.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from actionpact.cli._common import OutputFormat, echo_json, read_json_argument
from actionpact.cli._errors import EXIT_FAILURE, fail, handle_errors

# typer reads these annotations at run time
from actionpact.cli.publish import (
    BrokerPassword,
    BrokerToken,
    BrokerUrl,
    BrokerUsername,
    Output,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from actionpact.contracts import ProjectConfig
    from actionpact.drift import Recording, RecordResult, RedactionRules

__all__ = ["app"]

app = typer.Typer()

_INTERRUPTED = 130

Paths = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Definition files or folders, with their *.spec.yaml (default: contracts/).",
        show_default=False,
    ),
]
Config = Annotated[
    Path | None,
    typer.Option("--config", help="Project file (default: ./actionpact.yaml if present)."),
]
Consumer = Annotated[
    str | None, typer.Option("--consumer", help="Consumer name (a spec's own still wins).")
]
RedactPath = Annotated[
    list[str] | None,
    typer.Option(
        "--redact-path",
        help="A JSONPath ($.a.b, $..email, $.items[*].name) whose values are pseudonymised "
        "whole, keeping their type; repeat for more.",
        show_default=False,
    ),
]
RedactPattern = Annotated[
    list[str] | None,
    typer.Option(
        "--redact-pattern",
        help="NAME=REGEX: matches inside any string are pseudonymised (a NAME starting with "
        "phone or email keeps that format); repeat for more.",
        show_default=False,
    ),
]
NoDefaultRedaction = Annotated[
    bool,
    typer.Option(
        "--no-default-redaction",
        help="Do not pseudonymise phone numbers and e-mail addresses by default.",
    ),
]


def _rules(
    config: ProjectConfig, paths: list[str] | None, patterns: list[str] | None, no_defaults: bool
) -> RedactionRules:
    """The redaction rules of actionpact.yaml's ``redact:`` section plus the flags."""
    from actionpact.core.errors import ConfigError
    from actionpact.drift import KEY_ENV, RedactionRules

    pairs: list[tuple[str, str]] = list(config.redact.patterns.items())
    for item in patterns or ():
        name, sep, regex = item.partition("=")
        if not sep or not name.strip() or not regex:
            raise ConfigError(f"expected NAME=REGEX, got {item!r}", setting="--redact-pattern")
        pairs.append((name.strip(), regex))
    try:
        return RedactionRules.build(
            paths=(*config.redact.paths, *(paths or ())),
            patterns=pairs,
            defaults=config.redact.defaults and not no_defaults,
            key=os.environ.get(KEY_ENV),
        )
    except ValueError as error:
        raise ConfigError(str(error), setting="--redact-path/--redact-pattern") from None


@contextmanager
def _verifier_output_to_stderr() -> Iterator[None]:
    """The Pact engine prints its report on file descriptor 1; send it to stderr, so that
    stdout holds only this command's own report (one JSON object with --output json)."""
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no real descriptor 1 (embedded interpreters)
        yield
        return
    try:
        os.dup2(2, 1)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def _config(file: Path | None) -> ProjectConfig:
    from actionpact.contracts import load_config

    return load_config(file)


# --------------------------------------------------------------------------- record


class _RecordProgress:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.tty = sys.stderr.isatty()

    def __call__(self, recording: Recording, done: int, total: int) -> None:
        if not self.enabled:
            return
        answer = (
            str(recording.response.status)
            if recording.response is not None
            else recording.outcome.value
        )
        text = f"[{done}/{total}] {recording.action} / {recording.example}: {answer}"
        if recording.outcome.value not in ("ok", "http-error"):
            text += f" ({recording.outcome.value})"
        typer.echo(text, err=True)


@app.command("record")
@handle_errors
def record(
    paths: Paths = None,
    *,
    base_url: Annotated[
        str,
        typer.Option(
            "--base-url",
            help="The vendor's staging API. It replaces the scheme and host of absolute URLs; "
            "relative (Genesys API) paths are appended to it.",
        ),
    ],
    out: Annotated[Path, typer.Option("--out", help="The recordings folder.")] = Path("recordings"),
    concurrency: Annotated[
        int, typer.Option("--concurrency", min=1, help="Requests in flight at once.")
    ] = 4,
    max_rate: Annotated[
        float | None,
        typer.Option("--max-rate", min=0.001, help="Requests per minute, retries included."),
    ] = None,
    max_time: Annotated[
        float | None,
        typer.Option(
            "--max-time", min=0.001, help="Seconds for the whole run; what is left is skipped."
        ),
    ] = None,
    timeout: Annotated[
        float | None,
        typer.Option(
            "--timeout",
            min=0.001,
            help="Seconds per request (default: each action's timeoutSeconds, else 60).",
        ),
    ] = None,
    max_body_bytes: Annotated[
        int,
        typer.Option("--max-body-bytes", min=1, help="A bigger body is recorded as too-large."),
    ] = 5 * 1024 * 1024,
    keep_previous: Annotated[
        bool,
        typer.Option(
            "--keep-previous/--no-keep-previous",
            help="Keep the replaced run as <out>.previous for `actionpact drift`.",
        ),
    ] = True,
    redact_path: RedactPath = None,
    redact_pattern: RedactPattern = None,
    no_default_redaction: NoDefaultRedaction = False,
    consumer: Consumer = None,
    config: Config = None,
    output: Output = OutputFormat.text,
) -> None:
    """Record the vendor's answer to every example's request.

    Credentials come from the environment variables named under `credentials:` in
    actionpact.yaml; one that is not set renders as a placeholder, with a warning. Secrets
    are removed and personal data pseudonymised before anything is written. The new run
    replaces the recordings only once it is complete: an interrupted run leaves them as they
    were. Exit 0 when every example was sent (whatever the vendor answered), 1 when some
    could not be rendered or ran out of time, 2 for bad usage.
    """
    from actionpact.drift import RecordOptions, plan_targets
    from actionpact.drift import record as record_run

    project = _config(config)
    rules = _rules(project, redact_path, redact_pattern, no_default_redaction)
    plan = plan_targets(paths or [Path("contracts")], config=project, consumer=consumer)
    for reason in plan.skipped:
        typer.echo(f"warning: cannot record {reason}", err=True)
    try:
        options = RecordOptions(
            concurrency=concurrency,
            max_rate=max_rate,
            max_time=max_time,
            timeout=timeout,
            max_body_bytes=max_body_bytes,
            keep_previous=keep_previous,
        )
    except ValueError as error:
        raise fail(str(error)) from None
    try:
        result = record_run(
            plan.targets,
            out,
            base_url=base_url,
            options=options,
            rules=rules,
            on_recording=_RecordProgress(output is OutputFormat.text),
        )
    except ValueError as error:
        raise fail(str(error)) from None
    except KeyboardInterrupt:
        typer.echo(f"error: interrupted; the recordings in {out} are as they were", err=True)
        raise typer.Exit(_INTERRUPTED) from None
    for warning in result.warnings:
        typer.echo(f"warning: {warning}", err=True)
    if output is OutputFormat.json:
        echo_json(_record_json(result))
    else:
        outcomes = ", ".join(f"{n} {k}" for k, n in sorted(result.run.outcomes.items()))
        typer.echo(f"Recorded {len(result.recordings)} example(s) into {result.folder}: {outcomes}")
    if not result.complete:
        raise typer.Exit(EXIT_FAILURE)


def _record_json(result: RecordResult) -> dict[str, object]:
    return {
        "folder": str(result.folder),
        "complete": result.complete,
        "run": result.run.to_json(),
        "recordings": [
            {
                "file": r.name,
                "action": r.action,
                "example": r.example,
                "outcome": r.outcome.value,
                "status": r.response.status if r.response is not None else None,
                "problem": r.problem,
                "attempts": r.attempts,
            }
            for r in result.recordings
        ],
        "warnings": list(result.warnings),
    }


# --------------------------------------------------------------------------- drift


@app.command("drift")
@handle_errors
def drift(
    paths: Paths = None,
    *,
    recordings: Annotated[
        Path, typer.Option("--recordings", help="The folder `actionpact record` wrote.")
    ] = Path("recordings"),
    previous: Annotated[
        Path | None,
        typer.Option(
            "--previous",
            help="The run to compare with (default: <recordings>.previous when present).",
            show_default=False,
        ),
    ] = None,
    no_previous: Annotated[
        bool, typer.Option("--no-previous", help="Do not compare with a previous run.")
    ] = False,
    pacts: Annotated[
        list[Path] | None,
        typer.Option(
            "--pacts",
            help="Pact files or folders to verify (default: from the broker when one is "
            "configured, else generated from PATHS); repeat for more.",
            show_default=False,
        ),
    ] = None,
    consumer_version_selector: Annotated[
        list[str] | None,
        typer.Option(
            "--consumer-version-selector",
            help="A selector for pacts from the broker, JSON: '{\"mainBranch\": true}'.",
            show_default=False,
        ),
    ] = None,
    skip_verify: Annotated[
        bool, typer.Option("--skip-verify", help="Skip the Pact verifier (step 1).")
    ] = False,
    publish_verification_results: Annotated[
        bool,
        typer.Option(
            "--publish-verification-results",
            help="Publish the results to the broker under the vendor's provider name.",
        ),
    ] = False,
    provider_app_version: Annotated[
        str | None,
        typer.Option(
            "--provider-app-version",
            help="The vendor version to publish under (default: recorded-<today>).",
            show_default=False,
        ),
    ] = None,
    provider_version_branch: Annotated[
        str | None,
        typer.Option(
            "--provider-version-branch", help="That version's branch.", show_default=False
        ),
    ] = None,
    build_url: Annotated[
        str | None, typer.Option("--build-url", help="A link to this CI run.", show_default=False)
    ] = None,
    environment: Annotated[
        list[str] | None,
        typer.Option(
            "--environment",
            help="Record the published vendor version as deployed here; repeat for more.",
            show_default=False,
        ),
    ] = None,
    report_md: Annotated[
        Path | None, typer.Option("--report-md", help="Write the Markdown report here.")
    ] = None,
    report_json: Annotated[
        Path | None, typer.Option("--report-json", help="Write the JSON report here.")
    ] = None,
    junit: Annotated[
        Path | None, typer.Option("--junit", help="Write a JUnit XML report here.")
    ] = None,
    redact_path: RedactPath = None,
    redact_pattern: RedactPattern = None,
    no_default_redaction: NoDefaultRedaction = False,
    consumer: Consumer = None,
    config: Config = None,
    broker_base_url: BrokerUrl = None,
    broker_token: BrokerToken = None,
    broker_username: BrokerUsername = None,
    broker_password: BrokerPassword = None,
    output: Output = OutputFormat.text,
) -> None:
    """Check the recorded vendor answers against the contracts.

    1. Serves the recordings on 127.0.0.1 and verifies the pacts against them with the real
    Pact verifier. 2. Runs the Genesys transform on every recorded answer and checks the
    output schema and each example's expect. 3. Compares with the previous recordings
    (fields added, removed, renamed, retyped; status changes). Exit 1 when a contract or an
    output breaks, 0 otherwise (changes such as added fields are warnings), 2 for bad usage.
    """
    from actionpact.broker import resolve_broker_settings
    from actionpact.core import atomic_write_text
    from actionpact.drift import (
        PactSource,
        Publish,
        default_provider_version,
        render_json,
        render_junit,
        render_markdown,
        render_text,
        run_drift,
    )

    if (provider_app_version or environment) and not publish_verification_results:
        raise fail("--provider-app-version and --environment need --publish-verification-results")
    if publish_verification_results and pacts:
        raise fail(
            "--publish-verification-results verifies the pacts from the broker; drop --pacts"
        )
    if publish_verification_results and skip_verify:
        raise fail("--publish-verification-results needs the verifier: drop --skip-verify")
    selectors = []
    for text in consumer_version_selector or ():
        value = read_json_argument(text, option="--consumer-version-selector")
        if not isinstance(value, dict):
            raise fail("--consumer-version-selector must be a JSON object")
        selectors.append(value)
    settings = resolve_broker_settings(
        base_url=broker_base_url,
        token=broker_token,
        username=broker_username,
        password=broker_password,
    )
    if pacts:
        source = PactSource(files=tuple(pacts))
    elif publish_verification_results or settings.base_url is not None:
        if settings.uses_local_broker:
            typer.echo(
                f"using the local broker at {settings.local_db.as_posix()} "
                "(set PACT_BROKER_BASE_URL to use another)",
                err=True,
            )
        source = PactSource(broker=settings, selectors=tuple(selectors))
    else:
        source = PactSource()
    publish = None
    if publish_verification_results:
        publish = Publish(
            version=provider_app_version or default_provider_version(),
            environments=tuple(dict.fromkeys(environment or ())),
            branch=provider_version_branch,
            build_url=build_url,
        )
    project = _config(config)
    rules = _rules(project, redact_path, redact_pattern, no_default_redaction)
    with _verifier_output_to_stderr():
        result = run_drift(
            paths or [Path("contracts")],
            recordings=recordings,
            previous=previous,
            compare_previous=not no_previous,
            pacts=source,
            verify=not skip_verify,
            publish=publish,
            config=project,
            consumer=consumer,
            rules=rules,
        )
    for target, render in (
        (report_md, render_markdown),
        (report_json, render_json),
        (junit, render_junit),
    ):
        if target is not None:
            atomic_write_text(target, render(result))
    if output is OutputFormat.json:
        echo_json(result.to_json())
    else:
        typer.echo(render_text(result), nl=False)
    if result.exit_code:
        raise typer.Exit(result.exit_code)
