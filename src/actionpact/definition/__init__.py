"""Reading Data Action definitions: the export, Platform API, array and page shapes."""

from __future__ import annotations

from actionpact.definition._model import (
    ActionDefinition,
    DefinitionShape,
    RawDefinition,
    RequestConfig,
    ResponseConfig,
)

__all__ = [
    "ActionDefinition",
    "DefinitionShape",
    "RawDefinition",
    "RequestConfig",
    "ResponseConfig",
]
