"""Compile a definition once, then run it the way Genesys test mode runs it, step by step.

The ten steps and their names are Genesys's own (test mode, `operations[]`); output-schema
validation belongs to step 10, as it does in Genesys.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from actionpact.core import UNSET
from actionpact.core.errors import (
    STEP_NAMES,
    ActionFailure,
    DefinitionError,
    InputValidationError,
    JsonPathSyntaxError,
    NotSimulatableError,
    OutputValidationError,
    RemoteError,
    TemplateRenderError,
    TemplateSyntaxError,
    TransformError,
    TranslationError,
)
from actionpact.genesys._jsonpath import CompiledPath, compile_path
from actionpact.genesys._result import RenderedRequest, Simulation, StepResult
from actionpact.genesys._schema import SchemaValidator, check_simple_input, compile_schema
from actionpact.genesys._tools import genesys_tools
from actionpact.genesys._tools_json import jackson_json
from actionpact.genesys._velocity import VelocityTemplate, compile_template

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from actionpact.definition import ActionDefinition
    from actionpact.genesys._jsonata import JsonataExpression

__all__ = ["CompiledAction", "compile_action", "credential_placeholders", "json_text"]

_T = TypeVar("_T")
_BODYLESS_METHODS = frozenset({"GET"})


def json_text(value: Any) -> str:
    """Compact JSON text of ``value``, the way Genesys (Jackson) splices values into templates."""
    return jackson_json(value)


def credential_placeholders(
    names: frozenset[str] | set[str], *, prefix: str = "credentials"
) -> dict[str, str]:
    """Placeholder values for credential fields: never a real secret."""
    return {name: f"<{prefix}.{name}>" for name in sorted(names)}


def _referenced(prefix: str, templates: list[VelocityTemplate]) -> frozenset[str]:
    start = f"{prefix}."
    names: set[str] = set()
    for template in templates:
        for ref in template.references:
            if ref.startswith(start):
                names.add(ref[len(start) :].split(".", 1)[0])
    return frozenset(names)


class _Failed(Exception):
    """Carries a step failure out of the step loop."""

    def __init__(self, failure: ActionFailure, message: str | None = None):
        self.failure = failure
        self.message = message if message is not None else str(failure)


@dataclass(frozen=True, slots=True)
class CompiledAction:
    """A definition whose templates, paths and schemas are parsed, ready to run many times.

    Build one with :func:`compile_action`.
    """

    definition: ActionDefinition
    url_template: VelocityTemplate
    header_templates: Mapping[str, VelocityTemplate]
    request_template: VelocityTemplate
    success_template: VelocityTemplate
    paths: Mapping[str, CompiledPath]
    input_validator: SchemaValidator | None
    output_validator: SchemaValidator | None
    credential_names: frozenset[str]
    auth_response_names: frozenset[str] = frozenset()

    @property
    def name(self) -> str:
        """The action's name."""
        return self.definition.name

    # ------------------------------------------------------------------ request side

    def render_request(
        self,
        input: Mapping[str, Any],
        *,
        credentials: Mapping[str, str] | None = None,
    ) -> RenderedRequest:
        """Run steps 1-7 and return the request Genesys would send.

        Raises:
            ActionFailure: the step that failed (input validation, a template error).
        """
        steps: list[StepResult] = []
        try:
            return self._request_steps(input, credentials, steps)
        except _Failed as failed:
            raise failed.failure from None

    def _request_steps(
        self,
        input: Mapping[str, Any],
        credentials: Mapping[str, str] | None,
        steps: list[StepResult],
    ) -> RenderedRequest:
        self._require_simulatable()
        problems = check_simple_input(input)
        if problems:
            self._fail(steps, InputValidationError("; ".join(problems), errors=problems, step=1))
        steps.append(_ok(1, dict(input)))
        steps.append(_ok(2, "definition is valid"))
        if self.input_validator is not None:
            problems = self.input_validator.errors(input)
            if problems:
                message = "JSON failed schema validation for the following reasons: " + "; ".join(
                    problems
                )
                self._fail(steps, InputValidationError(message, errors=problems, step=3))
        steps.append(_ok(3, "input matches the input schema"))

        creds = dict(credential_placeholders(self.credential_names))
        if credentials is not None:
            creds.update(credentials)
        # The result names the credential fields, never their values.
        steps.append(_ok(4, sorted(creds)))
        context = self._request_context(input, creds)

        url = self._render(steps, 5, self.url_template, context)
        steps.append(_ok(5, url))
        headers: dict[str, str] = {}
        for header, template in self.header_templates.items():
            headers[header] = self._render(steps, 6, template, context)
        steps.append(_ok(6, dict(headers)))

        method = self.definition.request.method
        body: str | None = None
        if method not in _BODYLESS_METHODS:
            body = self._render(steps, 7, self.request_template, context)
        steps.append(_ok(7, body))
        return RenderedRequest(method=method, url=url, headers=headers, body=body)

    def _request_context(
        self,
        input: Mapping[str, Any],
        credentials: Mapping[str, str],
    ) -> dict[str, Any]:
        context = genesys_tools()
        context["input"] = _input_namespace(input)
        context["credentials"] = dict(credentials)
        # Actions of a custom-auth integration read the auth action's output as $authResponse.
        context["authResponse"] = credential_placeholders(
            self.auth_response_names, prefix="authResponse"
        )
        return context

    # ------------------------------------------------------------------ response side

    def transform(
        self,
        body: Any,
        *,
        status: int = 200,
        input: Mapping[str, Any] | None = None,
        middleware: JsonataExpression | None = None,
    ) -> Any:
        """Run steps 8-10 on a backend response and return the output object.

        Args:
            body: the response body: parsed JSON, or its text (``str``/``bytes``).
            status: the HTTP status; a non-2xx status fails the action, as in Genesys.
            input: the action's input, for success templates that read ``$input``.
            middleware: a JSONata expression that reshapes the body first.

        Raises:
            ActionFailure: the step that failed.
        """
        steps: list[StepResult] = []
        try:
            return self._response_steps(body, status, input or {}, middleware, steps)
        except _Failed as failed:
            raise failed.failure from None

    def _response_steps(
        self,
        body: Any,
        status: int,
        input: Mapping[str, Any],
        middleware: JsonataExpression | None,
        steps: list[StepResult],
    ) -> Any:
        self._require_simulatable()
        document, raw_text = self._execute(steps, body, status, middleware)
        steps.append(_ok(8, {"status": status, "body": document}))

        variables: dict[str, str] = {}
        for key, path in self.paths.items():
            value = path.evaluate(document)
            if value is UNSET:
                defaults = self.definition.response.translation_map_defaults
                if key not in defaults:
                    self._fail(
                        steps,
                        TranslationError(
                            f"Translation map key {key!r} could not be resolved: JSONPath "
                            f"{path.expression!r} matched nothing in the response and "
                            f"translationMapDefaults has no default for {key!r}",
                            key=key,
                            expression=path.expression,
                        ),
                    )
                variables[key] = defaults[key]
            else:
                variables[key] = json_text(value)
        steps.append(_ok(9, dict(variables)))

        context = genesys_tools()
        context["input"] = _input_namespace(input)
        context.update(variables)
        context["rawResult"] = raw_text
        rendered = self._render(steps, 10, self.success_template, context)
        try:
            output = _first_json_value(rendered)
        except json.JSONDecodeError as error:
            self._fail(
                steps,
                OutputValidationError(
                    "Transform failed to process result using 'successTemplate' template: "
                    f"the result is not valid JSON ({error.msg} at line {error.lineno}, "
                    f"column {error.colno}): {rendered!r}",
                    output=rendered,
                ),
            )
        if self.output_validator is not None:
            problems = self.output_validator.errors(output)
            if problems:
                self._fail(
                    steps,
                    OutputValidationError(
                        "JSON failed output schema validation for the following reasons: "
                        + "; ".join(problems),
                        errors=problems,
                        output=rendered,
                    ),
                )
        steps.append(_ok(10, output))
        return output

    def _execute(
        self,
        steps: list[StepResult],
        body: Any,
        status: int,
        middleware: JsonataExpression | None,
    ) -> tuple[Any, str]:
        text: str | None = None
        if isinstance(body, bytes):
            try:
                body = body.decode("utf-8")
            except UnicodeDecodeError:
                self._fail(steps, RemoteError("the backend body is not UTF-8", status=status))
        if isinstance(body, str):
            text = body
        if not 200 <= status < 300:
            shown = text if text is not None else json_text(body)
            self._fail(
                steps,
                RemoteError(
                    "REST call for action execute failed. Message: Request to backend service "
                    f"failed.  Response from web service: {shown} [HTTP {status}]",
                    status=status,
                    body=shown,
                ),
            )
        document: Any = body
        if text is not None:
            if not text.strip():
                # A 204 or an empty 200: Genesys hands the translation map an empty object.
                document, text = {}, "{}"
            else:
                try:
                    document = json.loads(text)
                except json.JSONDecodeError as error:
                    self._fail(
                        steps,
                        RemoteError(
                            "REST call for action execute failed. Message: the response body "
                            f"is not JSON ({error.msg} at line {error.lineno}, column "
                            f"{error.colno})",
                            status=status,
                            body=text,
                        ),
                    )
        # Google Cloud Functions answer JSON as a JSON string; Genesys parses it once more.
        if isinstance(document, str):
            try:
                document = json.loads(document)
                text = None
            except json.JSONDecodeError:
                pass
        if middleware is not None:
            try:
                document = middleware.evaluate(document)
            except TransformError as error:
                self._fail(steps, RemoteError(f"middleware transform failed: {error}"))
            if document is UNSET:
                document = None
            text = None
        if text is None:
            text = json_text(document)
        return document, text

    # ------------------------------------------------------------------ whole run

    def simulate(
        self,
        input: Mapping[str, Any],
        *,
        response: Any = UNSET,
        status: int = 200,
        credentials: Mapping[str, str] | None = None,
        middleware: JsonataExpression | None = None,
    ) -> Simulation:
        """Run every step Genesys test mode runs and report each one.

        Without ``response`` only the request side (steps 1-7) runs.

        Raises:
            NotSimulatableError: the definition holds placeholders or unsupported features.
        """
        self._require_simulatable()
        steps: list[StepResult] = []
        request: RenderedRequest | None = None
        try:
            request = self._request_steps(input, credentials, steps)
            if response is UNSET:
                return Simulation(self.name, True, request, UNSET, None, tuple(steps))
            output = self._response_steps(response, status, input, middleware, steps)
        except _Failed as failed:
            return Simulation(
                self.name,
                False,
                request,
                UNSET,
                failed.failure,
                tuple(steps),
                response_ran=response is not UNSET,
            )
        return Simulation(self.name, True, request, output, None, tuple(steps), True)

    # ------------------------------------------------------------------ helpers

    def _require_simulatable(self) -> None:
        definition = self.definition
        if definition.unsupported:
            raise NotSimulatableError(
                definition.unsupported,
                action=definition.name,
                file=definition.source,
                path=definition.location or None,
            )

    def _render(
        self,
        steps: list[StepResult],
        step: int,
        template: VelocityTemplate,
        context: Mapping[str, Any],
    ) -> str:
        try:
            return template.render(context, step=step)
        except TemplateRenderError as error:
            message = str(error)
            if step == 10:
                # Genesys's own wrapper, as recorded in test mode (step 10, ACTION.PROCESSING).
                message = (
                    "Transform failed to process result using 'successTemplate' template due "
                    f"to error:'{error}'\n Template:'{template.source}'."
                )
            raise self._failure(steps, error, message) from None
        except ActionFailure as error:
            raise self._failure(steps, error, str(error)) from None

    @staticmethod
    def _failure(steps: list[StepResult], failure: ActionFailure, message: str) -> _Failed:
        steps.append(StepResult(failure.step, failure.step_name, False, None, message))
        return _Failed(failure, message)

    def _fail(self, steps: list[StepResult], failure: ActionFailure) -> None:
        raise self._failure(steps, failure, str(failure))


_DECODER = json.JSONDecoder()


def _input_namespace(input: Mapping[str, Any]) -> dict[str, Any]:
    """``$input``: the inputs plus ``rawRequest``, the input object as compact JSON."""
    values = dict(input)
    values["rawRequest"] = json_text(values)
    return values


def _first_json_value(text: str) -> Any:
    """Parse the first JSON value of ``text`` and ignore what follows it.

    Genesys reads the rendered success template with Jackson, whose default (no
    FAIL_ON_TRAILING_TOKENS) stops after the first value: a published corpus action ends its
    template with a stray ``}`` and works.
    """
    start = len(text) - len(text.lstrip())
    value, _ = _DECODER.raw_decode(text, start)
    return value


def _ok(step: int, result: Any) -> StepResult:
    return StepResult(step, STEP_NAMES[step], True, result, None)


# ---------------------------------------------------------------------- compiling

_cache: dict[tuple[str, str, str], CompiledAction] = {}
_cache_lock = threading.Lock()
_CACHE_LIMIT = 4096


def compile_action(definition: ActionDefinition) -> CompiledAction:
    """Parse every template, JSONPath and schema of ``definition`` once.

    Compiled actions are cached by content, source and location.

    Raises:
        DefinitionError: a template or JSONPath that does not parse, or an invalid schema,
            naming the file, the JSON path of the field and the line/column in a template.
    """
    key = (definition.content_hash, str(definition.source), definition.location)
    cached = _cache.get(key)
    if cached is not None:
        return cached
    compiled = _compile(definition)
    with _cache_lock:
        if len(_cache) >= _CACHE_LIMIT:
            _cache.clear()
        _cache[key] = compiled
    return compiled


def _compile(definition: ActionDefinition) -> CompiledAction:
    request = definition.request
    response = definition.response

    def template(source: str, name: str, *field: str) -> VelocityTemplate:
        where = definition.field_path(*field)
        return _guard(definition, where, lambda: compile_template(source, name=name))

    url = template(request.url_template, "requestUrlTemplate", "config.request.requestUrlTemplate")
    headers = {
        header: template(value, f"headers.{header}", "config.request.headers", header)
        for header, value in request.headers.items()
    }
    body = template(request.request_template, "requestTemplate", "config.request.requestTemplate")
    success = template(
        response.success_template, "successTemplate", "config.response.successTemplate"
    )
    paths = {
        key: _guard(
            definition,
            definition.field_path("config.response.translationMap", key),
            lambda expression=expression: compile_path(expression),  # type: ignore[misc]
        )
        for key, expression in response.translation_map.items()
    }
    input_validator = None
    if definition.input_schema is not None:
        schema = definition.input_schema
        input_validator = _guard(
            definition,
            definition.field_path("contract.input.inputSchema"),
            lambda: compile_schema(schema, kind="input"),
        )
    output_validator = None
    if definition.output_schema is not None:
        out_schema = definition.output_schema
        output_validator = _guard(
            definition,
            definition.field_path("contract.output.successSchema"),
            lambda: compile_schema(out_schema, kind="output"),
        )
    request_side = [url, *headers.values(), body]
    return CompiledAction(
        definition=definition,
        url_template=url,
        header_templates=headers,
        request_template=body,
        success_template=success,
        paths=paths,
        input_validator=input_validator,
        output_validator=output_validator,
        credential_names=_referenced("credentials", request_side),
        auth_response_names=_referenced("authResponse", request_side),
    )


def _guard(definition: ActionDefinition, field: str, build: Callable[[], _T]) -> _T:
    """Run ``build``, re-raising parse errors with the file and the field's JSON path."""
    where = field
    try:
        return build()
    except TemplateSyntaxError as error:
        raise TemplateSyntaxError(
            error.problem,
            template=error.template,
            line=error.line,
            column=error.column,
            file=definition.source,
            path=where,
        ) from None
    except JsonPathSyntaxError as error:
        raise JsonPathSyntaxError(
            error.problem,
            expression=error.expression,
            position=error.position,
            file=definition.source,
            path=where,
        ) from None
    except DefinitionError as error:
        raise DefinitionError(error.reason, file=definition.source, path=where) from None
