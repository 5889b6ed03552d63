"""What a provider verification is asked to do: headers, provider states, selectors.

Custom headers carry real credentials where the pacts hold placeholders. Their values are read
from the environment (``Authorization: Bearer $CRM_TOKEN``) so they never sit in a file or a
process list, and every value is treated as a secret from then on.
"""

from __future__ import annotations

import importlib
import json
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from actionpact.core.errors import ConfigError

__all__ = [
    "DEFAULT_SELECTORS",
    "CustomHeader",
    "StateHandler",
    "default_selectors",
    "load_state_handler",
    "parse_header",
    "parse_selector",
]

StateHandler = Callable[[str, str, Mapping[str, Any]], None]
"""A provider-state handler: ``(state, action, params)``; ``action`` is setup or teardown."""

DEFAULT_SELECTORS: tuple[Mapping[str, Any], ...] = (
    {"mainBranch": True},
    {"deployedOrReleased": True},
    {"matchingBranch": True},
)
"""The selectors Pact recommends: main branch, deployed or released, and matching branch."""

_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+\Z")
_VARIABLE = re.compile(
    r"\$(?:\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)\}|(?P<plain>[A-Za-z_][A-Za-z0-9_]*)|(?P<dollar>\$))"
)
_MODULE_FUNCTION = re.compile(r"(?P<module>[A-Za-z_][\w.]*):(?P<function>[A-Za-z_][\w.]*)\Z")


@dataclass(frozen=True, slots=True)
class CustomHeader:
    """A header that replaces or adds to every request sent to the provider.

    Attributes:
        name: the header's name.
        value: its value, with environment variables expanded. Never shown in ``repr``.
        variables: the environment variables the value was built from.
    """

    name: str
    value: str = field(repr=False)
    variables: tuple[str, ...] = ()

    @property
    def secrets(self) -> tuple[str, ...]:
        """The values to mask wherever text leaves actionpact."""
        return (self.value,)


def parse_header(text: str, *, environ: Mapping[str, str] | None = None) -> CustomHeader:
    """Read ``'NAME: VALUE'``, expanding ``$VAR`` and ``${VAR}`` from the environment.

    ``$$`` stands for a literal ``$``.

    Raises:
        ConfigError: no colon, a blank or invalid name, or a variable that is not set. The
            message names the header and the variable, never a value.
    """
    env = os.environ if environ is None else environ
    name, colon, raw = text.partition(":")
    name = name.strip()
    if not colon or not name:
        raise ConfigError(
            "expected 'NAME: VALUE', e.g. 'Authorization: Bearer $TOKEN'", setting="--header"
        )
    if not _HEADER_NAME.match(name):
        raise ConfigError(f"{name!r} is not a valid header name", setting="--header")
    used: list[str] = []
    missing: list[str] = []

    def expand(match: re.Match[str]) -> str:
        if match.group("dollar"):
            return "$"
        variable = match.group("braced") or match.group("plain")
        if variable not in env:
            missing.append(variable)
            return ""
        used.append(variable)
        return env[variable]

    value = _VARIABLE.sub(expand, raw.strip())
    if missing:
        raise ConfigError(
            f"header {name!r} uses ${missing[0]}, which is not set in the environment",
            setting="--header",
        )
    return CustomHeader(name=name, value=value, variables=tuple(used))


def load_state_handler(reference: str) -> StateHandler:
    """Import the provider-state handler named ``module:function``.

    The module is imported as Python imports any module (the current directory first when
    run from the command line); ``function`` may be dotted (``module:Class.method``).

    Raises:
        ConfigError: the reference is malformed, the module cannot be imported, or the name
            is missing or not callable.
    """
    match = _MODULE_FUNCTION.match(reference.strip())
    if match is None:
        raise ConfigError(
            f"{reference!r} is not 'module:function' (e.g. 'tests.states:set_state')",
            setting="--state-handler",
        )
    module_name, function = match.group("module"), match.group("function")
    try:
        target: Any = importlib.import_module(module_name)
    except ImportError as error:
        raise ConfigError(
            f"cannot import {module_name!r}: {error}", setting="--state-handler"
        ) from None
    for part in function.split("."):
        try:
            target = getattr(target, part)
        except AttributeError:
            raise ConfigError(
                f"module {module_name!r} has no {function!r}", setting="--state-handler"
            ) from None
    if not callable(target):
        raise ConfigError(f"{reference!r} is not callable", setting="--state-handler")
    handler: StateHandler = target
    return handler


def parse_selector(text: str) -> dict[str, Any]:
    """Read one consumer version selector given as a JSON object.

    Raises:
        ConfigError: not JSON, or not an object.
    """
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise ConfigError(
            f"{text!r} is not JSON ({error.msg} at column {error.colno}); "
            'expected an object such as {"mainBranch": true}',
            setting="--consumer-version-selector",
        ) from None
    if not isinstance(value, dict) or not value:
        raise ConfigError(
            f'{text!r} is not a selector; expected an object such as {{"branch": "main"}}',
            setting="--consumer-version-selector",
        )
    return value


def default_selectors(provider_branch: str | None) -> tuple[Mapping[str, Any], ...]:
    """Pact's recommended selectors; ``matchingBranch`` only when the branch is known."""
    if provider_branch:
        return DEFAULT_SELECTORS
    return tuple(s for s in DEFAULT_SELECTORS if "matchingBranch" not in s)
