"""Step 2 of drift: run the Genesys transform on a recorded answer and check the example.

The recorded body goes through the action's translation map and success template exactly as
Genesys would run them (steps 8-10, output-schema validation included), and the output must
then satisfy the example's ``expect``: the values it names, its JSONata assertions, or the
failure it expects. Expected values are compared both as written and as the recording's
redaction would have rewritten them: a phone number in ``expect.output`` is pseudonymised in
the recording, deterministically, so equal values stay equal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from actionpact.core import UNSET
from actionpact.core.errors import STEP_NAMES, ActionFailure, TransformError
from actionpact.drift._model import BodyKind, Outcome

if TYPE_CHECKING:
    from collections.abc import Mapping

    from actionpact.contracts import Example
    from actionpact.drift._model import Recording
    from actionpact.drift._redact import Redactor
    from actionpact.genesys import CompiledAction

__all__ = ["OutputCheck", "check_recording"]

_EXECUTE = 8


@dataclass(frozen=True, slots=True)
class OutputCheck:
    """The Genesys output for one recording and whether the example's expectations hold.

    Attributes:
        success: the outcome is what the example expects (an output meeting ``expect``, or
            the failure it names).
        output: the output object; ``UNSET`` when the action failed.
        failed_step, failed_step_name, failure: where and why the action failed, if it did.
        problems: what does not hold, one sentence each.
    """

    success: bool
    output: Any = UNSET
    failed_step: int | None = None
    failed_step_name: str | None = None
    failure: str | None = None
    problems: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The check as the JSON report shows it."""
        return {
            "success": self.success,
            "output": None if self.output is UNSET else self.output,
            "failure": None
            if self.failed_step is None
            else {"step": self.failed_step, "name": self.failed_step_name, "message": self.failure},
            "problems": list(self.problems),
        }


def _matches(actual: Any, expected: Any) -> bool:
    """Objects key by key (extra keys allowed), everything else by equality."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            k in actual and _matches(actual[k], v) for k, v in expected.items()
        )
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(expected) is type(actual) and expected == actual
    return bool(actual == expected)


def _expected_forms(value: Any, redactor: Redactor | None) -> list[Any]:
    if redactor is None:
        return [value]
    redacted, count = redactor.json(value)
    return [value, redacted] if count else [value]


def _evaluate_jsonata(expression: str, output: Any, source: str) -> str | None:
    from actionpact.genesys import compile_jsonata

    try:
        result = compile_jsonata(expression, source=source).evaluate(output)
    except TransformError as error:
        return f"JSONata `{expression}` failed: {error.reason}"
    if result is True:
        return None
    shown = "nothing" if result is UNSET else repr(result)
    return f"JSONata `{expression}` gave {shown}, not true"


def _run(
    action: CompiledAction,
    recording: Recording,
    middleware: Any,
) -> tuple[Any, int | None, str | None]:
    response = recording.response
    if response is None or response.kind is BodyKind.omitted:
        reason = recording.problem or recording.outcome.value
        return (
            UNSET,
            _EXECUTE,
            f"no usable answer was recorded ({recording.outcome.value}: {reason})",
        )
    try:
        output = action.transform(
            response.body_text(),
            status=response.status,
            input=dict(recording.input),
            middleware=middleware,
        )
    except ActionFailure as error:
        return UNSET, error.step, str(error)
    return output, None, None


def check_recording(
    action: CompiledAction,
    example: Example,
    recording: Recording,
    *,
    middleware: Any = None,
    redactor: Redactor | None = None,
) -> OutputCheck:
    """Run the transform on ``recording`` and check ``example``'s expectations.

    Args:
        action: the compiled action the recording came from.
        example: its example (spec or derived).
        recording: the recorded answer.
        middleware: the spec's compiled JSONata middleware, if any.
        redactor: the recording's redaction rules, to compare pseudonymised values.
    """
    if recording.outcome in (Outcome.render_failed, Outcome.skipped):
        # Nothing reached the vendor: there is no answer to judge, whatever the example expects.
        return OutputCheck(
            success=False,
            problems=(f"nothing was recorded ({recording.outcome.value}): {recording.problem}",),
        )
    output, step, failure = _run(action, recording, middleware)
    problems: list[str] = []
    expect = example.expect
    if expect.fails is not None:
        wanted = expect.fails
        if step is None:
            at = f" at step {wanted.step} ({STEP_NAMES[wanted.step]})" if wanted.step else ""
            problems.append(f"the example expects the action to fail{at}, but it succeeded")
        else:
            if wanted.step is not None and wanted.step != step:
                problems.append(
                    f"the action fails at step {step} ({STEP_NAMES[step]}), the example expects "
                    f"step {wanted.step} ({STEP_NAMES[wanted.step]}): {failure}"
                )
            if wanted.message is not None and wanted.message not in (failure or ""):
                problems.append(f"the failure does not mention {wanted.message!r}: {failure}")
    elif step is not None:
        problems.append(f"the action fails at step {step} ({STEP_NAMES[step]}): {failure}")
    else:
        problems += _output_problems(expect.output, expect.jsonata, output, redactor, example.name)
    return OutputCheck(
        success=not problems,
        output=output,
        failed_step=step,
        failed_step_name=STEP_NAMES[step] if step is not None else None,
        failure=failure,
        problems=tuple(problems),
    )


def _output_problems(
    expected: Mapping[str, Any] | Any,
    assertions: tuple[str, ...],
    output: Any,
    redactor: Redactor | None,
    example: str,
) -> list[str]:
    import json

    problems: list[str] = []
    if expected is not UNSET:
        for key, value in expected.items():
            if not isinstance(output, dict) or key not in output:
                problems.append(
                    f"output `{key}` is missing; the example expects {json.dumps(value)}"
                )
                continue
            if not any(_matches(output[key], form) for form in _expected_forms(value, redactor)):
                problems.append(
                    f"output `{key}` is {json.dumps(output[key], ensure_ascii=False)}; the "
                    f"example expects {json.dumps(value, ensure_ascii=False)}"
                )
    for expression in assertions:
        problem = _evaluate_jsonata(expression, output, f"example {example!r}")
        if problem:
            problems.append(problem)
    return problems
