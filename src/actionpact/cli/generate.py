"""`actionpact generate`: Pact contracts from Data Action definitions."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from actionpact.cli._common import OutputFormat, echo_json
from actionpact.cli._errors import EXIT_FAILURE, handle_errors

if TYPE_CHECKING:
    from actionpact.contracts import GenerateResult

app = typer.Typer()

# Past this many actions a non-interactive run still reports progress, in a few lines.
_QUIET_BELOW = 200


class _Progress:
    """A counter on stderr: rewritten in place on a terminal, a few lines otherwise."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.last_line = 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        if total <= 0:
            return
        if self.tty:
            end = "\n" if done >= total else ""
            sys.stderr.write(f"\r{stage} {done}/{total} examples {_bar(done, total)}{end}")
            sys.stderr.flush()
        elif total >= _QUIET_BELOW:
            quarter = 4 * done // total
            if quarter != self.last_line:
                self.last_line = quarter
                typer.echo(f"{stage}: {done}/{total} examples", err=True)


def _bar(done: int, total: int, width: int = 30) -> str:
    filled = width * done // total
    return "[" + "#" * filled + "." * (width - filled) + "]"


@app.command()
@handle_errors
def generate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Definition files or folders (default: contracts/).", show_default=False
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Folder for the pact files (default: actionpact.yaml's, else pacts/)."
        ),
    ] = None,
    spec_version: Annotated[
        str | None,
        typer.Option("--spec-version", help="Pact specification: V4 (default) or V3."),
    ] = None,
    consumer: Annotated[
        str | None, typer.Option("--consumer", help="Consumer name (a spec's own still wins).")
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option("--config", help="Project file (default: ./actionpact.yaml if present)."),
    ] = None,
    min_coverage: Annotated[
        float | None,
        typer.Option(
            "--min-coverage",
            help="Fail when an action's examples fill less than this percent of its outputs.",
            min=0,
            max=100,
        ),
    ] = None,
    output: Annotated[
        OutputFormat, typer.Option("--output", help="text for a person, json for a pipeline.")
    ] = OutputFormat.text,
    check: Annotated[
        bool, typer.Option("--check", help="Check and exercise everything; write nothing.")
    ] = False,
) -> None:
    """Write one Pact contract per consumer-provider pair from definitions and their specs.

    Each action gets the examples of its `<stem>.spec.yaml`, or one derived from its schemas
    and translation map. Every example goes through the real Pact mock server and the Genesys
    transform before it is written. Exit 0 when every action got a contract, 1 when some did
    not (they are listed; the others are written) or coverage is below the bar, 2 when a file
    cannot be read or is invalid (then nothing is written).
    """
    from actionpact.contracts import generate as run
    from actionpact.contracts import load_config

    project = load_config(config)
    result = run(
        paths or [Path("contracts")],
        out=out,
        config=project,
        specification=spec_version,
        consumer=consumer,
        min_coverage=min_coverage,
        check=check,
        progress=_Progress(),
    )
    if output is OutputFormat.json:
        echo_json(result.to_json())
    else:
        _print_text(result)
    if not result.success:
        raise typer.Exit(EXIT_FAILURE)


def _print_text(result: GenerateResult) -> None:
    rows = [
        (
            f"{p.consumer} -> {p.provider}",
            str(p.actions),
            str(p.interactions),
            f"{p.coverage:.1f}%",
            str(p.file) if p.file is not None else "-",
        )
        for p in result.pairs
    ]
    header = ("PAIR", "ACTIONS", "INTERACTIONS", "COVERAGE", "FILE")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    done = sum(1 for a in result.actions if a.ok)
    verb = "checked" if not result.written else "written"
    typer.echo(
        f"{done} of {len(result.actions)} actions got a contract; "
        f"{len(result.pairs)} pact(s) ({result.specification}) {verb}."
    )
    if rows:
        for row in [header, *rows]:
            typer.echo(
                "  "
                + "  ".join(
                    cell.rjust(widths[i]) if i in (1, 2, 3) else cell.ljust(widths[i])
                    for i, cell in enumerate(row)
                ).rstrip()
            )
    if result.failed:
        typer.echo(f"\nNo contract for {len(result.failed)} action(s):")
        for action in result.failed:
            where = f" ({action.source})" if action.source is not None else ""
            typer.echo(f"  {action.name}{where}: {action.reason}")
    if result.below_coverage:
        typer.echo(f"\nBelow {result.min_coverage:g}% output coverage:")
        for action in result.below_coverage:
            missing = ", ".join(action.uncovered)
            typer.echo(f"  {action.name}: {action.coverage:.1f}% (never filled: {missing})")
