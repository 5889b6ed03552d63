"""Shared building blocks with no knowledge of Genesys or Pact: errors, sentinel, files."""

from __future__ import annotations

from actionpact.core._files import (
    atomic_write_bytes,
    atomic_write_text,
    canonical_json,
    content_hash,
)
from actionpact.core._sentinel import UNSET, Unset
from actionpact.core.errors import (
    STEP_NAMES,
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

__all__ = [
    "STEP_NAMES",
    "UNSET",
    "ActionFailure",
    "ActionPactError",
    "BrokerError",
    "ConfigError",
    "ContractError",
    "DefinitionError",
    "InputFileError",
    "InputValidationError",
    "JsonPathSyntaxError",
    "NotSimulatableError",
    "OutputValidationError",
    "PactFileError",
    "RemoteError",
    "SpecError",
    "TemplateRenderError",
    "TemplateSyntaxError",
    "TransformError",
    "TranslationError",
    "Unset",
    "VerificationError",
    "atomic_write_bytes",
    "atomic_write_text",
    "canonical_json",
    "content_hash",
]
