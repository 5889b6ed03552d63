"""Provider verification: the real Pact verifier, then each failure's Genesys impact.

``verify_provider`` runs pact's verifier against pact files or a broker and, for each failing
interaction, replays its request, compares the actual body with the contract's and runs the
Data Action on it to say what the Architect flow would get.
"""

from __future__ import annotations

from actionpact.verify._diff import FieldChange, compare_bodies, name_similarity
from actionpact.verify._impact import FailureImpact, GenesysImpact, OutputImpact, VariableImpact
from actionpact.verify._mismatch import Mismatch
from actionpact.verify._model import InteractionOutcome, VerificationReport
from actionpact.verify._options import (
    DEFAULT_SELECTORS,
    CustomHeader,
    StateHandler,
    default_selectors,
    load_state_handler,
    parse_header,
    parse_selector,
)
from actionpact.verify._report import render_junit, render_text, write_junit
from actionpact.verify._run import verify_provider

__all__ = [
    "DEFAULT_SELECTORS",
    "CustomHeader",
    "FailureImpact",
    "FieldChange",
    "GenesysImpact",
    "InteractionOutcome",
    "Mismatch",
    "OutputImpact",
    "StateHandler",
    "VariableImpact",
    "VerificationReport",
    "compare_bodies",
    "default_selectors",
    "load_state_handler",
    "name_similarity",
    "parse_header",
    "parse_selector",
    "render_junit",
    "render_text",
    "verify_provider",
    "write_junit",
]
