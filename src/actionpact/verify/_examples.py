"""The example an interaction was generated from: its Genesys input and the spec's middleware.

Running the action on the provider's answer needs what ``generate`` used: the example's input
(success templates may read ``$input``) and the spec's JSONata ``middleware`` between the
provider and the translation map. Both come from the companion spec beside the definition; an
example without an input, or a derived one, gets the input ``generate`` derives.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from actionpact.core import UNSET
from actionpact.core.errors import ActionPactError

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from actionpact.contracts import SpecFile
    from actionpact.definition import ActionDefinition
    from actionpact.genesys import JsonataExpression
    from actionpact.verify._pacts import Origin

__all__ = ["ExampleContext", "example_context"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ExampleContext:
    """What the action ran with when the interaction was generated.

    Attributes:
        input: the example's Genesys input. middleware: the spec's JSONata, if any.
        note: a caveat when the example could not be found (the input was derived instead).
    """

    input: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    middleware: JsonataExpression | None = None
    note: str | None = None


def example_context(
    definition: ActionDefinition,
    origin: Origin,
    *,
    specs: dict[Path, SpecFile | ActionPactError] | None = None,
) -> ExampleContext:
    """The input and middleware of ``origin``'s example of ``definition``.

    Args:
        definition: the Data Action. origin: the interaction's origin.
        specs: spec files already read (or the error reading them), shared between calls.

    Never raises: a spec that cannot be read gives the derived input and a note.
    """
    from actionpact.contracts import spec_path_for
    from actionpact.genesys import compile_jsonata

    given: Mapping[str, Any] | None = origin.input or None
    middleware = None
    note = None
    spec_file = spec_path_for(definition.source) if definition.source is not None else None
    if spec_file is not None and spec_file.is_file():
        try:
            section = _read_spec(spec_file, specs).for_action(definition.name, only=True)
            if section is not None:
                if section.middleware is not None:
                    middleware = compile_jsonata(section.middleware, source=str(spec_file))
                for example in section.examples:
                    if example.name == origin.example and example.input is not UNSET:
                        given = given or example.input
        except ActionPactError as error:
            note = f"note: {spec_file} cannot be read ({error}); the impact uses a derived input"
    if given is None:
        given = _derived_input(definition)
    return ExampleContext(MappingProxyType(dict(given)), middleware, note)


def _read_spec(file: Path, specs: dict[Path, SpecFile | ActionPactError] | None) -> SpecFile:
    from actionpact.contracts import load_spec

    cache = specs if specs is not None else {}
    if file not in cache:
        try:
            cache[file] = load_spec(file)
        except ActionPactError as error:
            cache[file] = error
    found = cache[file]
    if isinstance(found, ActionPactError):
        raise found
    return found


def _derived_input(definition: ActionDefinition) -> Mapping[str, Any]:
    # The same deterministic input `generate` gives an example without one.
    from actionpact.contracts import derive_input
    from actionpact.genesys import compile_action

    try:
        return derive_input(compile_action(definition))
    except ActionPactError as error:
        logger.debug("no derived input for %s: %s", definition.name, error)
        return {}
