"""The errors actionpact raises, one root and a branch per area.

```
ActionPactError
├── InputFileError ............ bad input: exit 2 at the CLI
│   ├── DefinitionError ....... a Data Action definition cannot be read or is invalid
│   │   ├── TemplateSyntaxError   a Velocity template does not parse (line, column)
│   │   ├── JsonPathSyntaxError   a translation-map JSONPath does not parse
│   │   └── NotSimulatableError   it loads, but holds placeholders or unsupported features
│   ├── SpecError ............. a companion spec (`*.spec.yaml`) is invalid (line, field)
│   ├── PactFileError ......... a pact file to publish is not JSON or lacks a field
│   └── ConfigError ........... `actionpact.yaml` or a setting is invalid
├── ActionFailure ............. the action would fail in Genesys: exit 1 at the CLI
│   ├── InputValidationError    step 3, the input breaks the input schema
│   ├── TemplateRenderError     a template fails while rendering (strict references)
│   ├── RemoteError             step 8, a non-2xx or unreadable backend answer
│   ├── TranslationError        step 9, a translation-map key does not resolve
│   └── OutputValidationError   step 10, the output is not JSON or breaks the schema
├── TransformError ............ a JSONata expression fails (expression, position)
├── ContractError ............. a pact cannot be generated or written
├── BrokerError ............... a Pact Broker request failed (url, status)
└── VerificationError ......... the verifier could not run
```

Every error carries its context as attributes and builds its message from them,
so the CLI can print one `error:` line and pick the exit code from the branch.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = [
    "STEP_NAMES",
    "ActionFailure",
    "ActionPactError",
    "BrokerError",
    "ConfigError",
    "ContractError",
    "DefinitionError",
    "InputFileError",
    "InputValidationError",
    "JsonPathSyntaxError",
    "NotSimulatableError",
    "OutputValidationError",
    "PactFileError",
    "RemoteError",
    "SpecError",
    "TemplateRenderError",
    "TemplateSyntaxError",
    "TransformError",
    "TranslationError",
    "VerificationError",
    "format_location",
]


def format_location(file: str | Path | None, path: str | None = None) -> str:
    """Join a file name and a JSON path the way every message shows them.

    >>> format_location("a.json", "config.request.requestType")
    'a.json: config.request.requestType'
    """
    parts = [str(file)] if file is not None else []
    if path:
        parts.append(path)
    return ": ".join(parts)


class ActionPactError(Exception):
    """Root of every error actionpact raises on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


# --------------------------------------------------------------------------- bad input


class InputFileError(ActionPactError):
    """A file or argument given to actionpact cannot be used (exit code 2)."""


class DefinitionError(InputFileError):
    """A Data Action definition cannot be read or is invalid.

    Attributes:
        file: the file the definition came from, if any.
        path: JSON path of the bad field inside the file, e.g.
            ``config.response.translationMap.customerId`` (``[2].config...`` inside an array).
        reason: what is wrong, without the location.
    """

    def __init__(self, reason: str, *, file: str | Path | None = None, path: str | None = None):
        self.file = Path(file) if file is not None else None
        self.path = path
        self.reason = reason
        where = format_location(file, path)
        super().__init__(f"{where}: {reason}" if where else reason)


class TemplateSyntaxError(DefinitionError):
    """A Velocity template does not parse.

    Attributes:
        template: the template's name (``requestUrlTemplate``, ``successTemplate``, a header).
        line, column: 1-based position inside the template.
        problem: the reason alone, without the position.
    """

    def __init__(
        self,
        reason: str,
        *,
        template: str,
        line: int,
        column: int,
        file: str | Path | None = None,
        path: str | None = None,
    ):
        self.template = template
        self.line = line
        self.column = column
        self.problem = reason
        super().__init__(
            f"{reason} at {template}[line {line}, column {column}]", file=file, path=path
        )


class JsonPathSyntaxError(DefinitionError):
    """A translation-map JSONPath does not parse.

    Attributes:
        expression: the JSONPath text.
        position: 1-based character position of the problem, when known.
        problem: the reason alone, without the expression.
    """

    def __init__(
        self,
        reason: str,
        *,
        expression: str,
        position: int | None = None,
        file: str | Path | None = None,
        path: str | None = None,
    ):
        self.expression = expression
        self.position = position
        self.problem = reason
        at = f" at position {position}" if position is not None else ""
        super().__init__(f"invalid JSONPath {expression!r}{at}: {reason}", file=file, path=path)


class NotSimulatableError(DefinitionError):
    """A definition loads but cannot be emulated (placeholders, unsupported features).

    Attributes:
        reasons: one human-readable reason per problem, each naming its JSON path.
    """

    def __init__(
        self,
        reasons: tuple[str, ...],
        *,
        action: str,
        file: str | Path | None = None,
        path: str | None = None,
    ):
        self.reasons = reasons
        self.action = action
        super().__init__(
            f"{action!r} cannot be simulated: " + "; ".join(reasons), file=file, path=path
        )


class SpecError(InputFileError):
    """A companion spec is invalid.

    Attributes:
        file: the spec file. line: 1-based line, when known. field: the dotted field path.
    """

    def __init__(
        self,
        reason: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        field: str | None = None,
    ):
        self.file = Path(file) if file is not None else None
        self.line = line
        self.field = field
        self.reason = reason
        where = str(file) if file is not None else ""
        if line is not None:
            where = f"{where}:{line}" if where else f"line {line}"
        if field:
            where = f"{where}: {field}" if where else field
        super().__init__(f"{where}: {reason}" if where else reason)


class PactFileError(InputFileError):
    """A pact file cannot be published: it is not JSON or lacks a required field.

    Attributes:
        file: the pact file. path: JSON path of the bad field (``consumer.name``), if any.
        reason: what is wrong, without the location.
    """

    def __init__(self, reason: str, *, file: str | Path, path: str | None = None):
        self.file = Path(file)
        self.path = path
        self.reason = reason
        super().__init__(f"{format_location(file, path)}: {reason}")


class ConfigError(InputFileError):
    """A configuration file or setting is invalid.

    Attributes:
        file: the config file, if any. setting: the setting's name.
    """

    def __init__(self, reason: str, *, file: str | Path | None = None, setting: str | None = None):
        self.file = Path(file) if file is not None else None
        self.setting = setting
        self.reason = reason
        where = format_location(file, setting)
        super().__init__(f"{where}: {reason}" if where else reason)


# --------------------------------------------------------------------------- action failures

# Genesys test-mode step names, numbered as Genesys numbers them.
STEP_NAMES: dict[int, str] = {
    1: "Validate request body contains simple json (key-value pairs)",
    2: "Validate draft definition",
    3: "Validate request body against simple input schema",
    4: "Perform authentication",
    5: "Resolve request URL template",
    6: "Resolve request header templates",
    7: "Resolve request body template",
    8: "Execute",
    9: "Resolve translation map",
    10: "Apply output transformation",
}


class ActionFailure(ActionPactError):
    """The action would fail in Genesys at a test-mode step.

    Attributes:
        step: the Genesys test-mode step number (1-10).
        step_name: its Genesys name.
        detail: Genesys's ``details[0].errorCode`` category (``ACTION.PROCESSING``...).
    """

    default_step = 10
    detail = "ACTION.PROCESSING"

    def __init__(self, message: str, *, step: int | None = None):
        self.step = step if step is not None else self.default_step
        self.step_name = STEP_NAMES[self.step]
        super().__init__(message)


class InputValidationError(ActionFailure):
    """The input does not satisfy the action's input schema (step 3 unless said otherwise).

    Attributes:
        errors: one message per violation, in the validator's words.
    """

    default_step = 3

    def __init__(self, message: str, *, errors: tuple[str, ...] = (), step: int | None = None):
        self.errors = errors
        super().__init__(message, step=step)


class TemplateRenderError(ActionFailure):
    """A template failed while rendering, e.g. a strict reference to an unset variable.

    The message mirrors Genesys: ``Variable $x has not been set at successTemplate[line 1,
    column 20]``.

    Attributes:
        template: the template's name. line, column: 1-based position of the ``$``.
        variable: the unset reference, when that is the cause.
    """

    def __init__(
        self,
        reason: str,
        *,
        template: str,
        line: int,
        column: int,
        variable: str | None = None,
        step: int | None = None,
    ):
        self.template = template
        self.line = line
        self.column = column
        self.variable = variable
        self.reason = reason
        super().__init__(f"{reason} at {template}[line {line}, column {column}]", step=step)


class RemoteError(ActionFailure):
    """The backend answered with a non-2xx status or a body Genesys cannot read (step 8).

    Attributes:
        status: the HTTP status. body: the response body as text.
    """

    default_step = 8
    detail = "ACTION.REMOTE_ENDPOINT"

    def __init__(self, message: str, *, status: int | None = None, body: str | None = None):
        self.status = status
        self.body = body
        super().__init__(message)


class TranslationError(ActionFailure):
    """A translation-map key did not resolve and has no default (step 9).

    Attributes:
        key: the translation-map key. expression: its JSONPath.
    """

    default_step = 9

    def __init__(self, message: str, *, key: str, expression: str):
        self.key = key
        self.expression = expression
        super().__init__(message)


class OutputValidationError(ActionFailure):
    """The rendered success template is not JSON or breaks the output schema (step 10).

    Attributes:
        errors: one message per violation. output: the rendered text.
    """

    def __init__(self, message: str, *, errors: tuple[str, ...] = (), output: str | None = None):
        self.errors = errors
        self.output = output
        super().__init__(message)


# --------------------------------------------------------------------------- other areas


class TransformError(ActionPactError):
    """A JSONata expression failed to compile or evaluate.

    Attributes:
        expression: the JSONata text. position: 1-based character position, when known.
        code: the JSONata error code (``S0201``...), when known. source: where it came from.
    """

    def __init__(
        self,
        reason: str,
        *,
        expression: str,
        position: int | None = None,
        code: str | None = None,
        source: str | None = None,
    ):
        self.expression = expression
        self.position = position
        self.code = code
        self.source = source
        self.reason = reason
        at = f" at position {position}" if position is not None else ""
        origin = f"{source}: " if source else ""
        super().__init__(f"{origin}JSONata {expression!r}{at}: {reason}")


class ContractError(ActionPactError):
    """A pact could not be generated, exercised or written.

    Attributes:
        action: the Data Action's name, when one is concerned. example: the example's name.
    """

    def __init__(self, message: str, *, action: str | None = None, example: str | None = None):
        self.action = action
        self.example = example
        super().__init__(message)


class BrokerError(ActionPactError):
    """A Pact Broker request failed.

    Attributes:
        url: the URL that failed (never with credentials). status: the HTTP status, if any.
        errors: the broker's validation messages (400/409), if any. body: the parsed body.
    """

    def __init__(
        self,
        message: str,
        *,
        url: str | None = None,
        status: int | None = None,
        errors: tuple[str, ...] = (),
        body: Any = None,
    ):
        self.url = url
        self.status = status
        self.errors = errors
        self.body = body
        super().__init__(message)


class VerificationError(ActionPactError):
    """The Pact verifier could not run (not a failed verification: that is a result)."""
