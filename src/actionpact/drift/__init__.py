"""Recorded-response mode: the weekly drift check of vendor APIs that will never run Pact.

``record`` sends every example's request to the vendor's staging API and stores each answer
(secrets removed, personal data pseudonymised) as one diff-friendly file; ``run_drift``
verifies the pacts against those recordings with the real Pact verifier, runs the Genesys
transform on them and compares them with the previous run. See ARCHITECTURE.md.
"""

from __future__ import annotations

from actionpact.drift._check import OutputCheck, check_recording
from actionpact.drift._compare import Change, compare_recordings, compare_runs, shape_of
from actionpact.drift._drift import run_drift
from actionpact.drift._model import (
    BodyKind,
    Outcome,
    RecordedRequest,
    RecordedResponse,
    Recording,
    RunInfo,
)
from actionpact.drift._plan import Plan, Target, plan_targets
from actionpact.drift._rate import Clock, RateLimiter, SystemClock
from actionpact.drift._record import RecordOptions, RecordResult, join_url, record
from actionpact.drift._redact import KEY_ENV, PatternRule, RedactionRules, Redactor
from actionpact.drift._report import render_json, render_junit, render_markdown, render_text
from actionpact.drift._result import (
    ContractCheck,
    DriftResult,
    ExampleResult,
    ProviderVerification,
)
from actionpact.drift._serve import RecordingServer, serve_recordings
from actionpact.drift._store import RecordingSet, load_recordings, previous_dir
from actionpact.drift._verify import (
    DEFAULT_SELECTORS,
    PactSource,
    Publish,
    default_provider_version,
)

__all__ = [
    "DEFAULT_SELECTORS",
    "KEY_ENV",
    "BodyKind",
    "Change",
    "Clock",
    "ContractCheck",
    "DriftResult",
    "ExampleResult",
    "Outcome",
    "OutputCheck",
    "PactSource",
    "PatternRule",
    "Plan",
    "ProviderVerification",
    "Publish",
    "RateLimiter",
    "RecordOptions",
    "RecordResult",
    "RecordedRequest",
    "RecordedResponse",
    "Recording",
    "RecordingServer",
    "RecordingSet",
    "RedactionRules",
    "Redactor",
    "RunInfo",
    "SystemClock",
    "Target",
    "check_recording",
    "compare_recordings",
    "compare_runs",
    "default_provider_version",
    "join_url",
    "load_recordings",
    "plan_targets",
    "previous_dir",
    "record",
    "render_json",
    "render_junit",
    "render_markdown",
    "render_text",
    "run_drift",
    "serve_recordings",
    "shape_of",
]
