"""Fixtures for drift mode: a real vendor API on 127.0.0.1, a project calling it, its pacts."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from drift_vendor import SECRET_KEY, SECRET_TOKEN, FakeClock, Vendor, write_project

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


@pytest.fixture
def vendor() -> Iterator[Vendor]:
    """The vendor API, answering the baseline until a test changes its mode."""
    server = Vendor().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder (the current directory) with definitions, specs and actionpact.yaml,
    and the vendor's credentials in the environment."""
    write_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("VENDOR_CRM_TOKEN", SECRET_TOKEN)
    monkeypatch.setenv("VENDOR_CRM_KEY", SECRET_KEY)
    return tmp_path


@pytest.fixture(scope="session")
def project_pacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's pacts, generated once: drift tests verify recordings against them."""
    from actionpact.contracts import generate, load_config

    root = tmp_path_factory.mktemp("pact-project")
    contracts = write_project(root)
    out = root / "pacts"
    result = generate([contracts], out=out, config=load_config(root / "actionpact.yaml"))
    assert [p.file for p in result.pairs if p.file is not None], result
    return out


@pytest.fixture
def clock() -> FakeClock:
    """A clock whose sleeps return at once."""
    return FakeClock()
