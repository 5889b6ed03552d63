"""Rendering and translation never crash: they succeed or fail with an ActionPactError."""

from __future__ import annotations

import contextlib
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actionpact.core.errors import ActionFailure, ActionPactError, DefinitionError
from actionpact.definition import load_definitions
from actionpact.genesys import CompiledAction, compile_action

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**53), max_value=2**53),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@cache
def _compiled() -> tuple[tuple[CompiledAction, ...], dict[str, str]]:
    actions: list[CompiledAction] = []
    rejected: dict[str, str] = {}
    for definition in load_definitions(CORPUS):
        if not definition.simulatable:
            continue
        try:
            actions.append(compile_action(definition))
        except DefinitionError as error:
            assert definition.source is not None
            rejected[definition.source.name] = str(error)
    return tuple(actions), rejected


def _actions() -> tuple[CompiledAction, ...]:
    return _compiled()[0]


def test_only_the_jayway_invalid_corpus_path_fails_to_compile() -> None:
    # `$$.id` (HCL's `$${` un-escaping does not apply to `$$.`) is rejected by Jayway, so
    # Genesys would refuse the action; every other simulatable corpus file compiles.
    rejected = _compiled()[1]
    assert list(rejected) == [
        "GenesysCloudBlueprints__survey-sms-delivery-blueprint__tf-action.json"
    ]
    message = next(iter(rejected.values()))
    assert "config.response.translationMap.id" in message
    assert "'$$.id'" in message


def _inputs_for(action: CompiledAction) -> st.SearchStrategy[dict[str, Any]]:
    schema = action.definition.input_schema or {}
    names = sorted((schema.get("properties") or {}).keys()) or ["x"]
    return st.fixed_dictionaries({}, optional=dict.fromkeys(names, scalars))


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_simulation_never_crashes(data: st.DataObject) -> None:
    actions = _actions()
    action = data.draw(st.sampled_from(actions), label="action")
    inputs = data.draw(_inputs_for(action), label="input")
    response = data.draw(
        st.one_of(
            json_values, st.text(max_size=40), st.dictionaries(st.text(max_size=5), json_values)
        ),
        label="response",
    )
    status = data.draw(st.sampled_from([200, 201, 204, 400, 404, 500]), label="status")
    result = action.simulate(inputs, response=response, status=status)
    if not result.success:
        assert isinstance(result.error, ActionFailure)
        assert result.steps[-1].error


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_request_and_transform_raise_only_actionpact_errors(data: st.DataObject) -> None:
    action = data.draw(st.sampled_from(_actions()), label="action")
    inputs = data.draw(
        st.dictionaries(st.text(max_size=10), json_values, max_size=5), label="input"
    )
    # Anything but an ActionPactError escapes suppress() and fails the test.
    with contextlib.suppress(ActionPactError):
        action.render_request(inputs)
    body = data.draw(json_values, label="body")
    with contextlib.suppress(ActionPactError):
        action.transform(body)


def test_corpus_has_simulatable_actions() -> None:
    # Guards the properties above from passing vacuously on an empty sample.
    assert len(_actions()) >= 100


@pytest.mark.parametrize("status", [301, 404, 500])
def test_non_2xx_always_fails_at_execute(status: int) -> None:
    for action in _actions()[:20]:
        result = action.simulate({}, response={}, status=status)
        assert not result.success
        assert result.error is not None
        assert result.error.step in (1, 3, 8)
