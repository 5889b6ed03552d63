"""From one compiled action and its examples to pact interactions, and back to a verdict.

:func:`prepare_action` renders each example's request, builds the response rules and gives
one :class:`Planned` interaction per example whose request leaves Genesys. Once the mock
server has answered, :func:`judge` runs the Genesys transform on that answer and checks the
example's expectations.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from actionpact.contracts._examples import derive_body, derive_input
from actionpact.contracts._matchers import Like, body_rules
from actionpact.contracts._pact import Exchange, HttpResponse, InteractionSpec
from actionpact.contracts._requests import build_request
from actionpact.contracts._results import ExampleResult
from actionpact.contracts._spec import Example, ResponseSpec
from actionpact.contracts._yaml import did_you_mean
from actionpact.core import UNSET
from actionpact.core.errors import ActionFailure, SpecError, TransformError

if TYPE_CHECKING:
    from actionpact.contracts._examples import DerivedBody
    from actionpact.contracts._spec import ActionSpec
    from actionpact.genesys import CompiledAction

__all__ = ["DERIVED_EXAMPLE", "Planned", "Prepared", "judge", "prepare_action"]

DERIVED_EXAMPLE = "derived example"
# Shares no character with Genesys's placeholders (``<credentials.x>``), so the text two
# renderings have in common is exactly the literal text around a credential.
_OTHER_CREDENTIAL = "0000000000000000"


@dataclass(slots=True)
class Planned:
    """One example on its way through the mock server.

    Attributes:
        example: the example. input: the input used. interaction: the pact interaction
        (``None`` when the request never left Genesys). result: the verdict, once known
        (set at once for a failure before the request).
    """

    example: Example
    input: Mapping[str, Any]
    interaction: InteractionSpec | None = None
    result: ExampleResult | None = None


@dataclass(slots=True)
class Prepared:
    """An action ready to be exercised: its compiled form, middleware and examples."""

    action: CompiledAction
    middleware: Any
    jsonata: dict[str, Any] = field(default_factory=dict)
    planned: list[Planned] = field(default_factory=list)


def _derived(action: CompiledAction) -> Example:
    return Example(name=DERIVED_EXAMPLE, derived=True)


def _compile_jsonata(text: str, example: Example | None, where: str, line: int | None) -> Any:
    from actionpact.genesys import compile_jsonata

    file = example.file if example is not None else None
    try:
        return compile_jsonata(text, source=f"{file}:{line}" if file else None)
    except TransformError as error:
        raise SpecError(error.reason, file=file, line=line, field=where) from None


def prepare_action(
    action: CompiledAction,
    section: ActionSpec | None,
    *,
    origin: Mapping[str, Any],
    describe: Any,
) -> Prepared:
    """Plan the interactions of ``action`` (its spec's examples, or one derived example).

    Args:
        action: the compiled action. section: its spec, if any.
        origin: what each interaction records about the definition.
        describe: ``describe(example_name) -> str``, a description unique in the pact.

    Raises:
        SpecError: the spec cannot apply to this action (bad JSONata, middleware without a
            response body).
    """
    middleware = None
    if section is not None and section.middleware is not None:
        middleware = _compile_jsonata(
            section.middleware,
            section.examples[0] if section.examples else None,
            "middleware",
            section.middleware_line,
        )
    examples = section.examples if section is not None and section.examples else (_derived(action),)
    prepared = Prepared(action, middleware)
    derived: DerivedBody | None = None
    for index, example in enumerate(examples):
        for number, expression in enumerate(example.expect.jsonata):
            prepared.jsonata[expression] = _compile_jsonata(
                expression,
                example,
                f"examples[{index}].expect.jsonata[{number}]",
                example.expect.line,
            )
        input_value = dict(example.input) if example.input is not UNSET else derive_input(action)
        planned = Planned(example, input_value)
        prepared.planned.append(planned)
        try:
            rendered = action.render_request(input_value)
            alternate = None
            if _encoded_credentials(action, rendered):
                alternate = action.render_request(
                    input_value,
                    credentials=dict.fromkeys(action.credential_names, _OTHER_CREDENTIAL),
                )
            request = build_request(rendered, alternate)
        except ActionFailure as failure:
            planned.result = _verdict_on_failure(example, failure)
            continue
        response = example.response
        body: Any = UNSET
        if 200 <= response.status < 300:
            if middleware is not None:
                if response.body is UNSET:
                    raise SpecError(
                        "an example needs response.body when the spec has a middleware "
                        "(the provider's response cannot be derived through JSONata)",
                        file=example.file,
                        line=example.line,
                        field=f"examples[{index}].response",
                    )
                body = _whole(response.body)
            else:
                if derived is None:
                    derived = derive_body(action, input_value)
                document = derived.body if response.body is UNSET else response.body
                body = _rules(action, document, derived, example)
        planned.interaction = InteractionSpec(
            description=describe(example.name),
            states=example.given,
            request=request,
            response=_response(response, body),
            origin={
                **origin,
                "example": example.name,
                **({"derived": True} if example.derived else {}),
            },
        )
    return prepared


def _encoded_credentials(action: CompiledAction, rendered: Any) -> bool:
    """Whether a credential is used but its placeholder does not show as it is (encoded)."""
    if not action.credential_names:
        return False
    text = rendered.url + "".join(rendered.headers.values()) + (rendered.body or "")
    return any(f"<credentials.{name}>" not in text for name in action.credential_names)


def _whole(body: Any) -> Any:
    if isinstance(body, (dict, list)):
        return Like(body)
    return body


def _rules(action: CompiledAction, document: Any, derived: DerivedBody, example: Example) -> Any:
    if isinstance(document, str):
        return document
    keep: frozenset[str] = frozenset()
    if isinstance(example.expect.output, Mapping):
        keep = frozenset(example.expect.output)
    pass_through: Any = False
    if derived.raw is not None:
        pass_through = derived.raw.schema
    return body_rules(
        document, action.paths, derived.landings, pass_through=pass_through, keep=keep
    )


def _response(spec: ResponseSpec, body: Any) -> HttpResponse:
    headers = tuple((k, v) for k, v in spec.headers.items() if k.lower() != "content-type")
    content_type = next(
        (v for k, v in spec.headers.items() if k.lower() == "content-type"),
        "text/plain" if isinstance(body, str) else "application/json",
    )
    return HttpResponse(status=spec.status, headers=headers, body=body, content_type=content_type)


# --------------------------------------------------------------------------- verdicts


def _verdict_on_failure(
    example: Example, failure: ActionFailure, description: str | None = None
) -> ExampleResult:
    fails = example.expect.fails
    message = str(failure)
    if fails is None:
        return ExampleResult(
            example.name,
            example.derived,
            description,
            False,
            error=f"fails at step {failure.step} ({failure.step_name}): {message}",
            step=failure.step,
        )
    problems = []
    if fails.step is not None and fails.step != failure.step:
        problems.append(f"expected to fail at step {fails.step} but failed at step {failure.step}")
    if fails.message is not None and fails.message not in message:
        problems.append(f"the failure does not mention {fails.message!r}")
    if problems:
        return ExampleResult(
            example.name,
            example.derived,
            description,
            False,
            error="; ".join(problems) + f": {message}",
            step=failure.step,
            expected_failure=True,
        )
    return ExampleResult(
        example.name,
        example.derived,
        description,
        True,
        step=failure.step,
        expected_failure=True,
        error=None,
    )


def _equal(expected: Any, actual: Any) -> bool:
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(expected) is type(actual) and expected == actual
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        return math.isclose(expected, actual)
    return bool(expected == actual)


def _subset(expected: Any, actual: Any, path: str) -> list[str]:
    if isinstance(expected, Mapping):
        if not isinstance(actual, Mapping):
            return [f"{path} is {json.dumps(actual)}, expected an object"]
        problems = []
        for key, value in expected.items():
            if key not in actual:
                hint = did_you_mean(str(key), [str(k) for k in actual])
                problems.append(f"{path}.{key} is missing{hint}")
            else:
                problems.extend(_subset(value, actual[key], f"{path}.{key}"))
        return problems
    if not _equal(expected, actual):
        return [f"{path} is {json.dumps(actual)}, expected {json.dumps(expected)}"]
    return []


def judge(prepared: Prepared, planned: Planned, exchange: Exchange) -> ExampleResult:
    """Run the Genesys transform on the mock server's answer and check the expectations."""
    example = planned.example
    description = planned.interaction.description if planned.interaction else None
    if exchange.mismatches:
        return ExampleResult(
            example.name,
            example.derived,
            description,
            False,
            error="the Pact mock server did not accept the rendered request: "
            + "; ".join(exchange.mismatches),
            step=8,
        )
    try:
        output = prepared.action.transform(
            exchange.body.decode("utf-8", errors="replace"),
            status=exchange.status,
            input=planned.input,
            middleware=prepared.middleware,
        )
    except ActionFailure as failure:
        return _verdict_on_failure(example, failure, description)
    if example.expects_failure:
        fails = example.expect.fails
        step = f" at step {fails.step}" if fails is not None and fails.step else ""
        return ExampleResult(
            example.name,
            example.derived,
            description,
            False,
            output,
            error=f"expected the action to fail{step}, but it succeeded with {json.dumps(output)}",
            expected_failure=True,
        )
    problems: list[str] = []
    if isinstance(example.expect.output, Mapping):
        problems.extend(_subset(example.expect.output, output, "output"))
    for expression in example.expect.jsonata:
        try:
            value = prepared.jsonata[expression].evaluate(output)
        except TransformError as error:
            problems.append(f"expect.jsonata {expression!r} failed: {error.reason}")
            continue
        if value is not True:
            problems.append(f"expect.jsonata {expression!r} gave {json.dumps(value, default=str)}")
    if problems:
        return ExampleResult(
            example.name,
            example.derived,
            description,
            False,
            output,
            error="; ".join(problems),
            step=10,
        )
    return ExampleResult(example.name, example.derived, description, True, output)
