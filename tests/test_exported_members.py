"""The public API stays small, sorted and importable."""

from __future__ import annotations

import subprocess
import sys

import pytest

import actionpact


def test_all_is_unique() -> None:
    # Its order is isort-style (constants, classes, functions), kept by ruff's RUF022.
    assert len(actionpact.__all__) == len(set(actionpact.__all__))


def test_all_matches_the_lazy_export_table() -> None:
    assert set(actionpact.__all__) == {*actionpact._EXPORTS, "__version__"}


def test_every_exported_name_resolves() -> None:
    for name in actionpact.__all__:
        assert getattr(actionpact, name) is not None, name


def test_exported_errors_share_one_root() -> None:
    errors = [getattr(actionpact, name) for name in actionpact.__all__ if name.endswith("Error")]
    assert errors
    for error in errors:
        assert issubclass(error, actionpact.ActionPactError), error


def test_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="nothing_here"):
        actionpact.nothing_here  # type: ignore[attr-defined]  # noqa: B018


HEAVY = ("pact", "jsonschema", "httpx", "airspeed", "jsonata", "jsonpath", "starlette", "uvicorn")


def test_help_imports_no_engine() -> None:
    """`actionpact --help` must not load the Pact FFI nor any other heavy engine."""
    code = (
        "import sys\n"
        "from actionpact.cli import app\n"
        "try:\n"
        "    app(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        f"heavy = {HEAVY!r}\n"
        "print(sorted({m.split('.')[0] for m in sys.modules if m.split('.')[0] in heavy}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip().splitlines()[-1] == "[]"
