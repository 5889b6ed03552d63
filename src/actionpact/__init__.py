"""actionpact: consumer-driven contract testing of Genesys Cloud Data Actions with Pact.

The public API is re-exported here. Attributes load lazily, so that importing the package
(and `actionpact --help`) stays fast and never loads the Pact engine.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    "ActionDefinition": "actionpact.definition",
    "ActionFailure": "actionpact.core.errors",
    "ActionPactError": "actionpact.core.errors",
    "BrokerClient": "actionpact.broker",
    "BrokerError": "actionpact.core.errors",
    "CanIDeployQuery": "actionpact.broker",
    "ConfigError": "actionpact.core.errors",
    "ContractError": "actionpact.core.errors",
    "GenerateResult": "actionpact.contracts",
    "generate": "actionpact.contracts",
    "DefinitionError": "actionpact.core.errors",
    "InputFileError": "actionpact.core.errors",
    "InputValidationError": "actionpact.core.errors",
    "JsonPathSyntaxError": "actionpact.core.errors",
    "NotSimulatableError": "actionpact.core.errors",
    "OutputValidationError": "actionpact.core.errors",
    "PactFileError": "actionpact.core.errors",
    "RemoteError": "actionpact.core.errors",
    "RetryPolicy": "actionpact.broker",
    "SpecError": "actionpact.core.errors",
    "TemplateRenderError": "actionpact.core.errors",
    "TemplateSyntaxError": "actionpact.core.errors",
    "TransformError": "actionpact.core.errors",
    "TranslationError": "actionpact.core.errors",
    "UNSET": "actionpact.core",
    "load_definition": "actionpact.definition",
    "load_definitions": "actionpact.definition",
    "parse_definitions": "actionpact.definition",
    "VerificationError": "actionpact.core.errors",
}

__all__ = [
    "UNSET",
    "ActionDefinition",
    "ActionFailure",
    "ActionPactError",
    "BrokerClient",
    "BrokerError",
    "CanIDeployQuery",
    "ConfigError",
    "ContractError",
    "DefinitionError",
    "GenerateResult",
    "InputFileError",
    "InputValidationError",
    "JsonPathSyntaxError",
    "NotSimulatableError",
    "OutputValidationError",
    "PactFileError",
    "RemoteError",
    "RetryPolicy",
    "SpecError",
    "TemplateRenderError",
    "TemplateSyntaxError",
    "TransformError",
    "TranslationError",
    "VerificationError",
    "__version__",
    "generate",
    "load_definition",
    "load_definitions",
    "parse_definitions",
]

if TYPE_CHECKING:  # pragma: no cover
    from actionpact.broker import BrokerClient, CanIDeployQuery, RetryPolicy
    from actionpact.contracts import GenerateResult, generate
    from actionpact.core import UNSET
    from actionpact.core.errors import (
        ActionFailure,
        ActionPactError,
        BrokerError,
        ConfigError,
        ContractError,
        DefinitionError,
        InputFileError,
        InputValidationError,
        JsonPathSyntaxError,
        NotSimulatableError,
        OutputValidationError,
        PactFileError,
        RemoteError,
        SpecError,
        TemplateRenderError,
        TemplateSyntaxError,
        TransformError,
        TranslationError,
        VerificationError,
    )
    from actionpact.definition import (
        ActionDefinition,
        load_definition,
        load_definitions,
        parse_definitions,
    )


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'actionpact' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
