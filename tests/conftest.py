"""Shared fixtures for the whole suite."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = (REPO / ".." / "shared" / "corpus").resolve()
EXAMPLES = REPO / "contracts"


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No broker or actionpact setting leaks in from the machine running the tests."""
    for name in list(os.environ):
        if name.startswith(("PACT_BROKER_", "ACTIONPACT_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("PACT_DO_NOT_TRACK", "true")


@pytest.fixture
def corpus_dir() -> Path:
    """The 150 real public Data Action definitions shared with the project."""
    assert CORPUS.is_dir(), f"the shared corpus is missing at {CORPUS}"
    return CORPUS


@pytest.fixture
def examples_dir() -> Path:
    """The project's bundled example definitions and specs."""
    return EXAMPLES
