"""Custom headers from the environment, state handlers by name, selectors."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import pytest

from actionpact.core.errors import ConfigError
from actionpact.verify import (
    DEFAULT_SELECTORS,
    default_selectors,
    load_state_handler,
    parse_header,
    parse_selector,
)

if TYPE_CHECKING:
    from pathlib import Path


def test_a_header_value_is_expanded_from_the_environment() -> None:
    header = parse_header("Authorization: Bearer $CRM_TOKEN", environ={"CRM_TOKEN": "s3cr3t-value"})
    assert (header.name, header.value, header.variables) == (
        "Authorization",
        "Bearer s3cr3t-value",
        ("CRM_TOKEN",),
    )
    assert "s3cr3t" not in repr(header)


def test_braced_variables_and_a_literal_dollar() -> None:
    header = parse_header("X-Key:${A}-$$-${B}", environ={"A": "one", "B": "two"})
    assert header.value == "one-$-two"


def test_a_missing_variable_is_named_and_no_value_shown() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_header("Authorization: Bearer $NOT_SET $SET", environ={"SET": "visible-secret"})
    assert "$NOT_SET" in str(caught.value)
    assert "visible-secret" not in str(caught.value)
    assert caught.value.setting == "--header"


@pytest.mark.parametrize("text", ["no colon here", ": value", "bad name: x"])
def test_malformed_headers(text: str) -> None:
    with pytest.raises(ConfigError):
        parse_header(text, environ={})


def test_a_state_handler_is_imported_by_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "my_states.py").write_text(
        "calls = []\n"
        "class Hooks:\n"
        "    @staticmethod\n"
        "    def setup(state, action, params):\n"
        "        calls.append((state, action, params))\n"
        "def handle(state, action, params):\n"
        "    calls.append((state, action, params))\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        handler = load_state_handler("my_states:handle")
        handler("a state", "setup", {"x": 1})
        load_state_handler("my_states:Hooks.setup")("b", "teardown", {})
        assert sys.modules["my_states"].calls == [
            ("a state", "setup", {"x": 1}),
            ("b", "teardown", {}),
        ]
        with pytest.raises(ConfigError, match="has no 'missing'"):
            load_state_handler("my_states:missing")
        with pytest.raises(ConfigError, match="not callable"):
            load_state_handler("my_states:calls")
    finally:
        sys.modules.pop("my_states", None)


@pytest.mark.parametrize("reference", ["no_colon", "a:b:c", "1bad:x"])
def test_malformed_state_handler_references(reference: str) -> None:
    with pytest.raises(ConfigError, match="module:function"):
        load_state_handler(reference)


def test_a_module_that_cannot_be_imported() -> None:
    with pytest.raises(ConfigError, match="cannot import 'no_such_module_here'"):
        load_state_handler("no_such_module_here:fn")


def test_selectors() -> None:
    assert parse_selector('{"branch": "main", "consumer": "ivr"}') == {
        "branch": "main",
        "consumer": "ivr",
    }
    for bad in ("[1]", "{}", "not json"):
        with pytest.raises(ConfigError):
            parse_selector(bad)


def test_default_selectors_follow_the_pact_recommendation() -> None:
    assert list(DEFAULT_SELECTORS) == [
        {"mainBranch": True},
        {"deployedOrReleased": True},
        {"matchingBranch": True},
    ]
    # matchingBranch means nothing without the provider's branch.
    assert list(default_selectors(None)) == [{"mainBranch": True}, {"deployedOrReleased": True}]
    assert default_selectors("main") == DEFAULT_SELECTORS
