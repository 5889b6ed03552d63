"""Reading Data Action definitions: the export, Platform API, array and page shapes."""

from __future__ import annotations

from actionpact.definition._load import load_definition, load_definitions, parse_definitions
from actionpact.definition._model import (
    ActionDefinition,
    DefinitionShape,
    RawDefinition,
    RequestConfig,
    ResponseConfig,
    join_path,
)

__all__ = [
    "ActionDefinition",
    "DefinitionShape",
    "RawDefinition",
    "RequestConfig",
    "ResponseConfig",
    "join_path",
    "load_definition",
    "load_definitions",
    "parse_definitions",
]
