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
from actionpact.contracts._examples import derive_body, derive_input
from actionpact.contracts._generate import Progress, generate
from actionpact.contracts._origins import Origin, interaction_origins
from actionpact.contracts._pact import (
    BrokerSourceSettings,
    PublishOptions,
    VerificationOutcome,
    run_verifier,
    verify_pacts,
)
from actionpact.contracts._prepare import DERIVED_EXAMPLE
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
    "DERIVED_EXAMPLE",
    "ActionResult",
    "ActionSpec",
    "BrokerSourceSettings",
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
    "PublishOptions",
    "ResponseSpec",
    "SpecFile",
    "VerificationOutcome",
    "default_provider_name",
    "derive_body",
    "derive_input",
    "generate",
    "interaction_origins",
    "load_config",
    "load_spec",
    "run_verifier",
    "spec_path_for",
    "verify_pacts",
]
