"""What a provider's change does to the Architect flow: run the action on the actual answer.

For a failing interaction, the Data Action it came from is found (its file and content hash
are in the interaction's origin), compiled, and run twice: on the contract's response and on
the response with only the provider's breaking changes applied (see ``_diff.apply_changes``),
and once more on the actual response to see whether Genesys would fail it outright. The
differences are what the flow gets: outputs that fall back to their defaults, become null or
vanish, or the step at which the action fails.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from actionpact.core import UNSET
from actionpact.core.errors import ActionFailure, ActionPactError
from actionpact.verify._diff import FieldChange, apply_changes, json_type

if TYPE_CHECKING:
    from actionpact.definition import ActionDefinition
    from actionpact.genesys import CompiledAction, JsonataExpression
    from actionpact.verify._pacts import PactInteraction
    from actionpact.verify._replay import Replay

__all__ = ["FailureImpact", "GenesysImpact", "OutputImpact", "VariableImpact", "assess_impact"]

logger = logging.getLogger(__name__)

VariableChange = Literal["default", "fails", "empty", "type"]
OutputChange = Literal["default", "null", "missing", "changed"]


@dataclass(frozen=True, slots=True)
class VariableImpact:
    """What happens to one translation-map variable.

    Attributes:
        key: the variable. expression: its JSONPath.
        change: ``default`` (finds nothing, takes its default), ``fails`` (finds nothing and
            has no default: the action fails), ``empty`` (an indefinite path now finds
            nothing), ``type`` (finds a value of another JSON type).
        default: the default's JSON text, for ``default``.
        expected_type, actual_type: JSON types, for ``type``.
    """

    key: str
    expression: str
    change: VariableChange
    default: str | None = None
    expected_type: str | None = None
    actual_type: str | None = None

    def describe(self) -> str:
        """The change in plain words."""
        where = f"translation-map variable `{self.key}` ({self.expression})"
        if self.change == "default":
            return f"{where} finds nothing and takes its default {self.default}"
        if self.change == "fails":
            return f"{where} finds nothing and has no default"
        if self.change == "empty":
            return f"{where} finds nothing (an empty list)"
        return f"{where} finds {_a(self.actual_type)} where it found {_a(self.expected_type)}"


@dataclass(frozen=True, slots=True)
class OutputImpact:
    """What the Architect flow gets in one output field.

    Attributes:
        output: the output field, dotted for nested objects (``customer.id``).
        change: ``default`` (its translation-map default), ``null``, ``missing``, or
            ``changed`` (another value).
        expected: the value with the contract's response. actual: the value now
            (``UNSET`` when missing).
    """

    output: str
    change: OutputChange
    expected: Any
    actual: Any

    def describe(self, action: str) -> str:
        """The impact in plain words, naming the action."""
        field = f"{action}'s output `{self.output}`"
        if self.change == "default":
            return f"{field} would fall back to its default ({_json(self.actual)})"
        if self.change == "null":
            return f"{field} would be null (expected {_json(self.expected)})"
        if self.change == "missing":
            return f"{field} would be missing (expected {_json(self.expected)})"
        return f"{field} would be {_json(self.actual)} instead of {_json(self.expected)}"


@dataclass(frozen=True, slots=True)
class FailureImpact:
    """The action would fail in Genesys.

    Attributes:
        step: the Genesys test-mode step (1-10). step_name: its Genesys name.
        message: the failure, in Genesys's words where they are known.
    """

    step: int
    step_name: str
    message: str

    def describe(self, action: str) -> str:
        """The failure in plain words, naming the action."""
        return f"{action} would fail at step {self.step} ({self.step_name}): {self.message}"


@dataclass(frozen=True, slots=True)
class GenesysImpact:
    """The Genesys impact of one failing interaction.

    Attributes:
        action: the Data Action's name.
        assessed: whether the action could be run; when not, ``note`` says why.
        note: why the impact is unknown, or a caveat (the definition changed since the pact).
        definition_file: the file the definition was read from.
        failure: the action would fail outright, or ``None``.
        variables: translation-map variables that change.
        outputs: output fields the flow would get differently.
    """

    action: str
    assessed: bool
    note: str | None = None
    definition_file: str | None = None
    failure: FailureImpact | None = None
    variables: tuple[VariableImpact, ...] = ()
    outputs: tuple[OutputImpact, ...] = ()

    def lines(self) -> list[str]:
        """The impact as sentences for a person, most important first."""
        lines: list[str] = []
        if self.failure is not None:
            lines.append(self.failure.describe(self.action))
        lines.extend(o.describe(self.action) for o in self.outputs)
        lines.extend(v.describe() for v in self.variables)
        if self.assessed and not lines:
            lines.append(f"{self.action}'s outputs would not change")
        if self.note:
            lines.append(self.note)
        return lines


def assess_impact(
    interaction: PactInteraction,
    definition: ActionDefinition,
    replayed: Replay,
    changes: list[FieldChange],
    *,
    given: Mapping[str, Any] | None = None,
    middleware: JsonataExpression | None = None,
    note: str | None = None,
) -> GenesysImpact:
    """Run the action on the contract's response and on the provider's, and compare.

    Args:
        interaction: the failing interaction. definition: its Data Action.
        replayed: the provider's actual answer. changes: the body's changes.
        given: the example's Genesys input (default: the one the origin records).
        middleware: the spec's JSONata between the provider and the translation map.
        note: a caveat to keep with the impact.

    Never raises for the definition's sake: a definition that cannot be compiled or
    simulated gives an impact with ``assessed=False`` and the reason.
    """
    from actionpact.genesys import compile_action

    name = definition.name
    where = str(definition.source) if definition.source is not None else None
    try:
        action = compile_action(definition)
    except ActionPactError as error:
        return GenesysImpact(name, False, f"the action cannot be run: {error}", where)
    if definition.unsupported:
        reasons = "; ".join(definition.unsupported)
        return GenesysImpact(name, False, f"the action cannot be run: {reasons}", where)
    if given is None:
        given = interaction.origin.input if interaction.origin is not None else {}

    expected_doc = interaction.body if interaction.body is not UNSET else {}
    expected = _run(action, expected_doc, interaction.status, given, middleware)
    if isinstance(expected, FailureImpact) and interaction.status < 300:
        return GenesysImpact(
            name,
            False,
            "the action fails on the contract's own response "
            f"(step {expected.step}): {expected.message}",
            where,
        )
    failure = _actual_failure(action, replayed, given, expected, middleware)
    variables: tuple[VariableImpact, ...] = ()
    outputs: tuple[OutputImpact, ...] = ()
    if replayed.body is not UNSET and not isinstance(expected, FailureImpact):
        changed = apply_changes(expected_doc, replayed.body, changes)
        variables = _variables(
            action, _through(middleware, expected_doc), _through(middleware, changed)
        )
        after = _run(action, changed, interaction.status, given, middleware)
        if isinstance(after, FailureImpact):
            failure = failure or after
        elif failure is None:
            fallen = {v.key for v in variables if v.change == "default"}
            outputs = tuple(_outputs(expected, after, fallen))
    return GenesysImpact(name, True, note, where, failure, variables, outputs)


# ---------------------------------------------------------------------- running


def _run(
    action: CompiledAction,
    body: Any,
    status: int,
    given: Mapping[str, Any],
    middleware: JsonataExpression | None,
) -> Any | FailureImpact:
    try:
        return action.transform(body, status=status, input=dict(given), middleware=middleware)
    except ActionFailure as failure:
        return FailureImpact(failure.step, failure.step_name, str(failure))
    except ActionPactError as error:
        return FailureImpact(10, "Apply output transformation", str(error))


def _actual_failure(
    action: CompiledAction,
    replayed: Replay,
    given: Mapping[str, Any],
    expected: Any,
    middleware: JsonataExpression | None,
) -> FailureImpact | None:
    """Whether Genesys would fail the provider's actual answer where the contract's passes."""
    if replayed.status is None:
        return None
    body: Any = replayed.body if replayed.body is not UNSET else replayed.text
    actual = _run(action, body, replayed.status, given, middleware)
    if not isinstance(actual, FailureImpact) or isinstance(expected, FailureImpact):
        return None
    return actual


def _through(middleware: JsonataExpression | None, document: Any) -> Any:
    """What the translation map reads: the body, or the middleware's result on it."""
    if middleware is None:
        return document
    try:
        result = middleware.evaluate(document)
    except ActionPactError:
        return UNSET
    return None if result is UNSET else result


def _variables(action: CompiledAction, before: Any, after: Any) -> tuple[VariableImpact, ...]:
    defaults = action.definition.response.translation_map_defaults
    found: list[VariableImpact] = []
    if before is UNSET or after is UNSET:
        return ()
    for key, path in action.paths.items():
        old, new = path.evaluate(before), path.evaluate(after)
        if old is UNSET or old == new:
            continue
        if new is UNSET:
            if key in defaults:
                found.append(VariableImpact(key, path.expression, "default", defaults[key]))
            else:
                found.append(VariableImpact(key, path.expression, "fails"))
        elif isinstance(new, list) and not new and old:
            found.append(VariableImpact(key, path.expression, "empty"))
        elif json_type(old) != json_type(new):
            found.append(
                VariableImpact(
                    key,
                    path.expression,
                    "type",
                    expected_type=json_type(old),
                    actual_type=json_type(new),
                )
            )
    return tuple(found)


def _outputs(expected: Any, actual: Any, fallen: set[str]) -> list[OutputImpact]:
    found: list[OutputImpact] = []
    _compare_outputs(expected, actual, "", fallen, found)
    return found


def _compare_outputs(
    expected: Any, actual: Any, prefix: str, fallen: set[str], out: list[OutputImpact]
) -> None:
    if isinstance(expected, Mapping) and isinstance(actual, Mapping):
        for key, value in expected.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if key not in actual:
                out.append(OutputImpact(name, "missing", value, UNSET))
            else:
                _compare_outputs(value, actual[key], name, fallen, out)
        return
    if expected == actual and json_type(expected) == json_type(actual):
        return
    name = prefix or "(output)"
    leaf = name.rsplit(".", 1)[-1]
    if leaf in fallen:
        out.append(OutputImpact(name, "default", expected, actual))
    elif actual is None:
        out.append(OutputImpact(name, "null", expected, actual))
    else:
        out.append(OutputImpact(name, "changed", expected, actual))


def _json(value: Any) -> str:
    if value is UNSET:
        return "nothing"
    return json.dumps(value, ensure_ascii=False)


def _a(kind: str | None) -> str:
    if kind is None:
        return "something"
    if kind == "null":
        return "null"
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"
