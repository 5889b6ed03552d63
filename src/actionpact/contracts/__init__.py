"""Pact contracts from Data Action definitions: specs, derived examples, matchers, the exercise.

``generate(paths)`` reads definitions and their companion ``*.spec.yaml`` files, turns each
example into a Pact interaction asking only for what the action reads, exercises it through
the real Pact mock server and the Genesys transform, and writes one pact per
consumer-provider pair. ``_pact`` is the only module in actionpact that imports ``pact``.
"""

from __future__ import annotations

from actionpact.contracts._config import (
    CONFIG_FILE_NAME,
    ProjectConfig,
    ProviderRule,
    default_provider_name,
    load_config,
)
from actionpact.contracts._generate import Progress, generate
from actionpact.contracts._origins import Origin, interaction_origins
from actionpact.contracts._pact import VerificationOutcome, verify_pacts
from actionpact.contracts._results import ActionResult, ExampleResult, GenerateResult, PairResult
from actionpact.contracts._spec import (
    ActionSpec,
    Example,
    Expectation,
    FailureExpectation,
    ProviderState,
    ResponseSpec,
    SpecFile,
    load_spec,
    spec_path_for,
)

__all__ = [
    "CONFIG_FILE_NAME",
    "ActionResult",
    "ActionSpec",
    "Example",
    "ExampleResult",
    "Expectation",
    "FailureExpectation",
    "GenerateResult",
    "Origin",
    "PairResult",
    "Progress",
    "ProjectConfig",
    "ProviderRule",
    "ProviderState",
    "ResponseSpec",
    "SpecFile",
    "VerificationOutcome",
    "default_provider_name",
    "generate",
    "interaction_origins",
    "load_config",
    "load_spec",
    "spec_path_for",
    "verify_pacts",
]
