"""End to end: generate from contracts/, then verify with pact's Verifier against a provider.

The provider runs on 127.0.0.1 and serves the documented APIs with more fields than the
actions read. Verification passes; when the provider renames ``customerId`` (a field the
CRM lookup's translation map reads) to ``customer_id``, it fails and names the field.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from contract_provider import ContractProvider

from actionpact.contracts import generate, interaction_origins, load_config, verify_pacts

if TYPE_CHECKING:
    from collections.abc import Iterator

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def pacts(tmp_path_factory: pytest.TempPathFactory, examples_dir_module: Path) -> Path:
    out = tmp_path_factory.mktemp("pacts")
    # The project's own actionpact.yaml names the CRM "example-crm".
    config = load_config(examples_dir_module.parent / "actionpact.yaml")
    result = generate([examples_dir_module], out=out, config=config)
    assert result.success, [a.reason for a in result.failed]
    return out


@pytest.fixture(scope="module")
def examples_dir_module() -> Path:
    return Path(__file__).resolve().parents[2] / "contracts"


@pytest.fixture
def provider() -> Iterator[ContractProvider]:
    running = ContractProvider().start()
    try:
        yield running
    finally:
        running.stop()


def test_the_pacts_name_their_definitions(pacts: Path) -> None:
    crm = json.loads((pacts / "genesys-data-actions-example-crm.json").read_text())
    origins = interaction_origins(crm)
    known = origins["CRM - Lookup Customer By Phone: known caller"]
    assert known.definition == "CRM - Lookup Customer By Phone"
    assert known.example == "known caller"
    assert known.source == "contracts/crm-lookup-by-phone.json" or known.source.endswith(
        "contracts/crm-lookup-by-phone.json"
    )
    assert len(known.content_hash) == 64


@pytest.mark.parametrize("provider_name", ["example-crm", "genesys-cloud-platform-api"])
def test_a_provider_that_keeps_the_contract_passes(
    pacts: Path, provider: ContractProvider, provider_name: str
) -> None:
    pact = pacts / f"genesys-data-actions-{provider_name}.json"
    outcome = verify_pacts(provider_name, [pact], provider.url, state_handler=provider.apply_state)
    assert outcome.success, outcome.output
    results = outcome.results.get("interactionResults") or []
    assert results
    assert all(r.get("result") == "OK" for r in results), results


def test_renaming_a_field_the_action_reads_fails_naming_it(
    pacts: Path, provider: ContractProvider
) -> None:
    provider.rename = True
    pact = pacts / "genesys-data-actions-example-crm.json"
    outcome = verify_pacts("example-crm", [pact], provider.url, state_handler=provider.apply_state)
    assert not outcome.success
    mismatches = [
        m
        for error in outcome.results.get("errors") or []
        for m in (error.get("mismatch") or {}).get("mismatches") or []
    ]
    texts = [m.get("mismatch", "") for m in mismatches]
    assert any("customerId" in text for text in texts), texts
    failed = {e.get("interaction") for e in outcome.results.get("errors") or []}
    assert any("Lookup Customer By Phone" in str(name) for name in failed), failed
    # Interactions that do not read customers still pass.
    assert "customerId" in outcome.output


def test_a_failing_state_handler_fails_at_once_and_is_named(
    pacts: Path, provider: ContractProvider
) -> None:
    def broken(state: str, action: str, params: object) -> None:
        raise RuntimeError("database is down")

    pact = pacts / "genesys-data-actions-example-crm.json"
    outcome = verify_pacts("example-crm", [pact], provider.url, state_handler=broken)
    assert not outcome.success
    assert "'a customer exists' (setup): RuntimeError: database is down" in outcome.state_errors
    assert "Provider state handler errors:" in outcome.output
    assert "database is down" in outcome.output
