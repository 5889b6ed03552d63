"""Fixtures for verification: the real CRM provider on 127.0.0.1 and its pact."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from verify_crm_provider import CrmProvider, write_crm_pact

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


@pytest.fixture
def crm() -> Iterator[CrmProvider]:
    """The CRM provider, serving the API the bundled CRM lookup action calls."""
    provider = CrmProvider().start()
    try:
        yield provider
    finally:
        provider.stop()


@pytest.fixture(scope="session")
def crm_pact_session(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_crm_pact(tmp_path_factory.mktemp("pacts"))


@pytest.fixture
def crm_pact(crm_pact_session: Path) -> Path:
    """The CRM lookup pact: a known caller and an unknown caller, with their origins."""
    return crm_pact_session
