"""`actionpact simulate`: run one Data Action the way Genesys test mode does."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from actionpact.cli._common import OutputFormat, echo_json, read_argument_text, read_json_argument
from actionpact.cli._errors import EXIT_FAILURE, handle_errors

if TYPE_CHECKING:
    from actionpact.genesys import Simulation

app = typer.Typer()


@app.command()
@handle_errors
def simulate(
    definition: Annotated[
        Path, typer.Argument(help="A definition file (export, API object, array or page).")
    ],
    input_: Annotated[
        str, typer.Option("--input", "-i", help="The action's input: JSON or @file.")
    ] = "{}",
    response: Annotated[
        str | None,
        typer.Option(
            "--response", "-r", help="The backend's response body: JSON (or any text) or @file."
        ),
    ] = None,
    status: Annotated[
        int, typer.Option("--status", help="The backend's HTTP status.", min=100, max=599)
    ] = 200,
    name: Annotated[
        str | None, typer.Option("--name", help="Which action, when the file holds several.")
    ] = None,
    transform: Annotated[
        Path | None,
        typer.Option(
            "--transform",
            help="A JSONata file that reshapes the response before the translation map.",
        ),
    ] = None,
    output: Annotated[
        OutputFormat, typer.Option("--output", "-o", help="text for a person, json for a pipeline.")
    ] = OutputFormat.text,
) -> None:
    """Render the request and, given a response, the output, exactly as Genesys would.

    Exit 0 when the action succeeds, 1 when it would fail in Genesys, 2 for bad usage or a
    definition that cannot be read.
    """
    from actionpact.core import UNSET
    from actionpact.core.errors import InputFileError, TransformError
    from actionpact.definition import load_definition
    from actionpact.genesys import compile_action, compile_jsonata

    # The definition is checked before any input is looked at.
    action = compile_action(load_definition(definition, name=name))
    middleware = None
    if transform is not None:
        text, where = read_argument_text(f"@{transform}", option="--transform")
        try:
            middleware = compile_jsonata(text.strip(), source=where)
        except TransformError as error:
            raise InputFileError(str(error)) from None
    data = read_json_argument(input_, option="--input")
    if not isinstance(data, dict):
        raise InputFileError("--input: the action's input must be a JSON object")
    body: Any = UNSET
    if response is not None:
        body, _ = read_argument_text(response, option="--response")

    result = action.simulate(data, response=body, status=status, middleware=middleware)
    if output is OutputFormat.json:
        echo_json(result.to_json())
    else:
        _print_text(result)
    if not result.success:
        raise typer.Exit(EXIT_FAILURE)


def _print_text(result: Simulation) -> None:
    from actionpact.core import UNSET

    typer.echo(f"Action: {result.action}")
    request = result.request
    if request is not None:
        typer.echo(f"\nRequest\n  {request.method} {request.url}")
        for header, value in request.headers.items():
            typer.echo(f"  {header}: {value}")
        if request.body is not None:
            typer.echo("")
            typer.echo(_indent(request.body))
    typer.echo("\nSteps")
    for step in result.steps:
        mark = "ok  " if step.success else "FAIL"
        typer.echo(f"  {mark} {step.step:>2}. {step.name}")
        if step.error:
            typer.echo(_indent(step.error, "         "))
    if result.output is not UNSET:
        typer.echo("\nOutput")
        typer.echo(_indent(json.dumps(result.output, indent=2, ensure_ascii=False)))
    if result.error is not None:
        typer.echo(
            f"\nThe action would fail at step {result.error.step} ({result.error.step_name})."
        )
    elif not result.response_ran:
        typer.echo("\nRequest side succeeded (give --response to run the response side).")
    else:
        typer.echo("\nThe action succeeds.")


def _indent(text: str, prefix: str = "  ") -> str:
    return "\n".join(prefix + line for line in text.splitlines())
