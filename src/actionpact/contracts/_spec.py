"""Companion specs: ``<definition file stem>.spec.yaml`` beside a definition.

A spec gives an action's examples (provider state, input, the provider's response and what
the Genesys output must then be), and may override the consumer and provider names or put a
JSONata ``middleware`` between the provider and the translation map::

    consumer: ivr-flows                 # optional, default from actionpact.yaml
    provider: example-crm               # optional, default from the integration
    middleware: '{"customer": data}'    # optional JSONata: provider body -> what Genesys reads
    examples:
      - name: known caller
        given:                          # provider state: a string, a mapping, or a list of them
          state: a customer exists
          params: {phone: "+15551234567"}
        input: {phone: "+15551234567"}  # optional, derived from the input schema when absent
        response:                       # optional, derived from the translation map when absent
          status: 200
          headers: {X-Request-Id: abc}
          body: {customerId: C-1001, name: Ada, tier: gold}
        expect:
          output: {customerId: C-1001}  # these output values (objects compared key by key)
          jsonata:                      # JSONata over the output; each must give true
            - tier in ["gold", "silver"]
      - name: unknown caller
        given: no customer has phone +15550000000
        input: {phone: "+15550000000"}
        response: {status: 404, body: {message: not found}}
        expect:
          fails: {step: 8}              # the action fails at this Genesys test-mode step

A definition file holding several actions uses ``actions: {<action name>: {...same keys...}}``.
A non-2xx ``response.status`` without ``expect`` expects a failure at step 8 (Execute).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from actionpact.contracts._yaml import Node, load_yaml
from actionpact.core import UNSET, Unset
from actionpact.core.errors import STEP_NAMES, SpecError

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

__all__ = [
    "SPEC_SUFFIX",
    "ActionSpec",
    "Example",
    "Expectation",
    "FailureExpectation",
    "ProviderState",
    "ResponseSpec",
    "SpecFile",
    "load_spec",
    "spec_path_for",
]

SPEC_SUFFIX = ".spec.yaml"
_SECTION_KEYS = ("consumer", "provider", "middleware", "examples")
_EXAMPLE_KEYS = ("name", "given", "input", "response", "expect")


@dataclass(frozen=True, slots=True)
class ProviderState:
    """A Pact provider state, with parameters for the state handler."""

    name: str
    params: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True, slots=True)
class ResponseSpec:
    """The provider's response in an example.

    Attributes:
        status: HTTP status. headers: extra response headers.
        body: the JSON body (or text); ``UNSET`` to derive it from the translation map.
    """

    status: int = 200
    headers: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    body: Any = UNSET


@dataclass(frozen=True, slots=True)
class FailureExpectation:
    """The example expects the action to fail, at ``step`` if given, with ``message`` in it."""

    step: int | None = None
    message: str | None = None


@dataclass(frozen=True, slots=True)
class Expectation:
    """What must hold of the Genesys output.

    Attributes:
        output: values the output must have (objects compared key by key); ``UNSET``: none.
        jsonata: JSONata expressions over the output that must each give ``true``.
        fails: set when the action must fail instead.
        line: the line of the ``expect`` key, for error messages.
    """

    output: Mapping[str, Any] | Unset = UNSET
    jsonata: tuple[str, ...] = ()
    fails: FailureExpectation | None = None
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Example:
    """One example of an action: state, input, provider response, expectation.

    Attributes:
        name: unique within the action. given: provider states.
        input: the action input; ``UNSET`` to derive it from the input schema.
        response: the provider's response. expect: what must hold of the output.
        file, line: where it was written (``None`` for a derived example).
        derived: whether actionpact made it up from the definition.
    """

    name: str
    given: tuple[ProviderState, ...] = ()
    input: Mapping[str, Any] | Unset = UNSET
    response: ResponseSpec = field(default_factory=ResponseSpec)
    expect: Expectation = field(default_factory=Expectation)
    file: Path | None = None
    line: int | None = None
    derived: bool = False

    @property
    def expects_failure(self) -> bool:
        """Whether the action is expected to fail on this example."""
        return self.expect.fails is not None


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """The spec of one action: overrides and examples.

    Attributes:
        consumer, provider: name overrides. middleware: a JSONata expression applied to the
        provider's body before the translation map reads it. examples: the examples, in order.
        file, line: where the section starts. middleware_line: where the middleware stands.
    """

    consumer: str | None = None
    provider: str | None = None
    middleware: str | None = None
    examples: tuple[Example, ...] = ()
    file: Path | None = None
    line: int | None = None
    middleware_line: int | None = None


@dataclass(frozen=True, slots=True)
class SpecFile:
    """A parsed ``*.spec.yaml``.

    Attributes:
        file: the spec file. default: the top-level section (for a one-action file).
        actions: action name -> section, from ``actions:``.
        action_lines: action name -> line of its key, to report a name that matches nothing.
    """

    file: Path
    default: ActionSpec | None
    actions: Mapping[str, ActionSpec]
    action_lines: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))

    def for_action(self, name: str, *, only: bool) -> ActionSpec | None:
        """The section for the action ``name``; the top-level one applies when it is ``only``."""
        if name in self.actions:
            return self.actions[name]
        return self.default if only else None


def spec_path_for(definition_file: Path) -> Path:
    """``contracts/a.json`` -> ``contracts/a.spec.yaml``."""
    return definition_file.with_name(definition_file.stem + SPEC_SUFFIX)


def load_spec(file: str | Path, *, text: str | None = None) -> SpecFile:
    """Read and check a companion spec.

    Raises:
        SpecError: with the file, line and field of the first problem; unknown keys come with
            a "did you mean" suggestion.
    """
    root = load_yaml(file, kind="spec", text=text)
    keys = root.mapping((*_SECTION_KEYS, "actions"))
    default = None
    if any(k in keys for k in _SECTION_KEYS):
        default = _section(root, keys)
    actions: dict[str, ActionSpec] = {}
    lines: dict[str, int] = {}
    if "actions" in keys:
        node = keys["actions"]
        for name, section in node.mapping(node.children).items():
            actions[name] = _section(section, section.mapping(_SECTION_KEYS))
            lines[name] = node.key_lines[name]
    if default is None and not actions:
        root.error(
            "a spec needs 'examples', 'consumer', 'provider' or 'middleware' "
            "(or 'actions' for a file with several actions)"
        )
    return SpecFile(root.file, default, MappingProxyType(actions), MappingProxyType(lines))


# --------------------------------------------------------------------------- sections


def _optional_str(node: Node) -> str:
    value = node.expect(str)
    if not value.strip():
        node.error("must not be empty")
    return value


def _section(node: Node, keys: dict[str, Node]) -> ActionSpec:
    examples: list[Example] = []
    if "examples" in keys:
        seen: dict[str, int] = {}
        for item in keys["examples"].items():
            example = _example(item)
            if example.name in seen:
                item.children["name"].error(
                    f"duplicate example name {example.name!r} (first at line {seen[example.name]})"
                )
            seen[example.name] = item.line
            examples.append(example)
    middleware = keys.get("middleware")
    return ActionSpec(
        consumer=node.get("consumer", _optional_str, None),
        provider=node.get("provider", _optional_str, None),
        middleware=_optional_str(middleware) if middleware is not None else None,
        examples=tuple(examples),
        file=node.file,
        line=node.line,
        middleware_line=middleware.line if middleware is not None else None,
    )


def _example(node: Node) -> Example:
    keys = node.mapping(_EXAMPLE_KEYS, required=("name",))
    name = _optional_str(keys["name"])
    given: tuple[ProviderState, ...] = node.get("given", _states, ())
    input_value: Mapping[str, Any] | Unset = UNSET
    if "input" in keys:
        input_value = MappingProxyType(dict(keys["input"].expect(dict, "a mapping of inputs")))
    response = node.get("response", _response, ResponseSpec())
    expect = node.get("expect", _expect, Expectation())
    if "expect" not in keys and not 200 <= response.status < 300:
        # A non-2xx answer makes Genesys fail at Execute: that is the contract being stated.
        expect = Expectation(fails=FailureExpectation(step=8))
    return Example(
        name=name,
        given=given,
        input=input_value,
        response=response,
        expect=expect,
        file=node.file,
        line=node.line,
    )


def _states(node: Node) -> tuple[ProviderState, ...]:
    items = node.items() if isinstance(node.value, list) else [node]
    return tuple(_state(item) for item in items)


def _state(node: Node) -> ProviderState:
    if isinstance(node.value, str):
        return ProviderState(_optional_str(node))
    keys = node.mapping(("state", "params"), required=("state",))
    params: dict[str, Any] = node.get("params", lambda n: dict(n.expect(dict)), {})
    return ProviderState(_optional_str(keys["state"]), MappingProxyType(params))


def _response(node: Node) -> ResponseSpec:
    keys = node.mapping(("status", "headers", "body"))
    status = node.get("status", _status, 200)
    headers: dict[str, str] = {}
    if "headers" in keys:
        for name, value in keys["headers"].mapping(keys["headers"].children).items():
            if not isinstance(value.value, (str, int, float)) or isinstance(value.value, bool):
                value.error("a header value must be a string")
            headers[name] = str(value.value)
    body = keys["body"].value if "body" in keys else UNSET
    return ResponseSpec(status=status, headers=MappingProxyType(headers), body=body)


def _status(node: Node) -> int:
    value = node.expect(int, "an HTTP status")
    if not 100 <= value <= 599:
        node.error(f"{value} is not an HTTP status (100-599)")
    return value


def _expect(node: Node) -> Expectation:
    keys = node.mapping(("output", "jsonata", "fails"))
    fails = node.get("fails", _fails, None)
    if fails is not None and ("output" in keys or "jsonata" in keys):
        node.error("an example that 'fails' cannot also expect 'output' or 'jsonata'", key="fails")
    output: Mapping[str, Any] | Unset = UNSET
    if "output" in keys:
        output = MappingProxyType(dict(keys["output"].expect(dict, "a mapping of output values")))
    jsonata: tuple[str, ...] = ()
    if "jsonata" in keys:
        source = keys["jsonata"]
        items = source.items() if isinstance(source.value, list) else [source]
        jsonata = tuple(_optional_str(item) for item in items)
    return Expectation(output=output, jsonata=jsonata, fails=fails, line=node.line)


def _fails(node: Node) -> FailureExpectation:
    if node.value is True:
        return FailureExpectation()
    if isinstance(node.value, int) and not isinstance(node.value, bool):
        return FailureExpectation(step=_step(node))
    node.mapping(("step", "message"))
    return FailureExpectation(
        step=node.get("step", _step, None), message=node.get("message", _optional_str, None)
    )


def _step(node: Node) -> int:
    value = node.expect(int, "a Genesys test-mode step (1-10)")
    if value not in STEP_NAMES:
        node.error(f"{value} is not a Genesys test-mode step (1-10)")
    return value


def example_error(example: Example, reason: str, *, field: str | None = None) -> SpecError:
    """A :class:`SpecError` located at ``example`` (for problems found once the action is known)."""
    return SpecError(reason, file=example.file, line=example.line, field=field)
