"""Publishing drift results to a real local broker: can-i-deploy then reflects the vendor."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from drift_vendor import FakeClock, Vendor, renamed

from actionpact.broker import (
    BrokerClient,
    BrokerSettings,
    CanIDeployQuery,
    Selector,
    read_pact_files,
)
from actionpact.drift import PactSource, Publish, plan_targets, record, run_drift

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

pytestmark = pytest.mark.e2e

CONSUMER_VERSION = "3f2c1a0"


@pytest.fixture
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from actionpact.broker.server import serve_in_thread

    with serve_in_thread(tmp_path_factory.mktemp("broker") / "broker.db") as url:
        yield url


def can_i_deploy(client: BrokerClient) -> bool | None:
    query = CanIDeployQuery(
        selectors=(Selector("ivr-flows", version=CONSUMER_VERSION),), to_environment="production"
    )
    return client.matrix(query).deployable


def publish_week(project: Path, vendor: Vendor, broker: str, version: str) -> bool:
    plan = plan_targets(["contracts"])
    record(plan.targets, project / "recordings", base_url=vendor.url, clock=FakeClock())
    result = run_drift(
        ["contracts"],
        pacts=PactSource(broker=BrokerSettings(base_url=broker)),
        publish=Publish(version=version, environments=("production",)),
    )
    (verification,) = result.verifications
    assert verification.published_version == version
    assert verification.environments == ("production",)
    assert verification.interactions == 4
    assert all(e.contract.verified for e in result.examples)
    return result.success


def test_published_results_make_can_i_deploy_reflect_the_vendor(
    project: Path, vendor: Vendor, project_pacts: Path, broker: str
) -> None:
    with BrokerClient(broker) as client:
        client.publish(read_pact_files([project_pacts]), version=CONSUMER_VERSION, branch="main")
        # Nothing has verified the consumer's pact yet: the gate is shut.
        assert can_i_deploy(client) is not True

        assert publish_week(project, vendor, broker, "recorded-2026-11-22")
        assert can_i_deploy(client) is True
        deployed = client.describe_version("vendor-crm", "recorded-2026-11-22")
        assert deployed.data.get("number") == "recorded-2026-11-22"

        # A week later the vendor renames a field: the new vendor version is what runs in
        # production now, and it fails the consumer's pact.
        vendor.mode = renamed
        assert not publish_week(project, vendor, broker, "recorded-2026-11-29")
        assert can_i_deploy(client) is False


def test_publishing_needs_a_broker(project: Path) -> None:
    with pytest.raises(ValueError, match="broker"):
        run_drift(["contracts"], publish=Publish(version="v"))
