"""`actionpact simulate`: run one Data Action the way Genesys test mode does."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from actionpact.cli._common import OutputFormat, echo_json, read_argument_text, read_json_argument
from actionpact.cli._errors import EXIT_FAILURE, handle_errors

if TYPE_CHECKING:
    from actionpact.genesys import CompiledAction, Simulation

app = typer.Typer()


@app.command()
@handle_errors
def simulate(
    definition: Annotated[
        Path, typer.Argument(help="A definition file (export, API object, array or page).")
    ],
    input_: Annotated[
        str | None, typer.Option("--input", "-i", help="The action's input: JSON or @file.")
    ] = None,
    response: Annotated[
        str | None,
        typer.Option(
            "--response", "-r", help="The backend's response body: JSON (or any text) or @file."
        ),
    ] = None,
    status: Annotated[
        int | None,
        typer.Option(
            "--status", help="The backend's HTTP status [default: 200].", min=100, max=599
        ),
    ] = None,
    example: Annotated[
        str | None,
        typer.Option(
            "--example",
            "-e",
            help="Run an example of the companion spec (<stem>.spec.yaml) by name; "
            "--input, --response and --status override its parts.",
        ),
    ] = None,
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
    inputs: Any = UNSET
    body: Any = UNSET
    if example is not None:
        inputs, body, spec_status, spec_middleware = _from_example(action, definition, example)
        status = spec_status if status is None else status
        if spec_middleware is not None:
            middleware = compile_jsonata(spec_middleware, source=f"{definition} middleware")
    if transform is not None:
        text, where = read_argument_text(f"@{transform}", option="--transform")
        try:
            middleware = compile_jsonata(text.strip(), source=where)
        except TransformError as error:
            raise InputFileError(str(error)) from None
    if input_ is not None:
        inputs = read_json_argument(input_, option="--input")
    elif inputs is UNSET:
        inputs = {}
    if not isinstance(inputs, dict):
        raise InputFileError("--input: the action's input must be a JSON object")
    if response is not None:
        body, _ = read_argument_text(response, option="--response")

    result = action.simulate(
        inputs, response=body, status=200 if status is None else status, middleware=middleware
    )
    if output is OutputFormat.json:
        echo_json(result.to_json())
    else:
        _print_text(result)
    if not result.success:
        raise typer.Exit(EXIT_FAILURE)


def _from_example(
    action: CompiledAction, definition: Path, name: str
) -> tuple[Any, Any, int, str | None]:
    """The input, response body, status and middleware of a spec example."""
    from actionpact.contracts import derive_body, derive_input, load_spec, spec_path_for
    from actionpact.core import UNSET
    from actionpact.core.errors import InputFileError

    spec_file = spec_path_for(definition)
    if not spec_file.is_file():
        raise InputFileError(f"--example: {definition} has no companion spec ({spec_file})")
    spec = load_spec(spec_file)
    only = not spec.actions or list(spec.actions) == [action.name]
    section = spec.for_action(action.name, only=only)
    examples = section.examples if section is not None else ()
    found = next((e for e in examples if e.name == name), None)
    if found is None:
        known = ", ".join(repr(e.name) for e in examples) or "none"
        raise InputFileError(
            f"{spec_file}: no example {name!r} for {action.name!r} (examples: {known})"
        )
    inputs = derive_input(action) if found.input is UNSET else dict(found.input)
    body = found.response.body
    if body is UNSET:
        body = derive_body(action, inputs).body
    middleware = section.middleware if section is not None else None
    return inputs, body, found.response.status, middleware


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
