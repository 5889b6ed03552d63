"""The client against the real local broker served on 127.0.0.1 (SQLite in tmp_path)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from actionpact.broker import BrokerClient, CanIDeployQuery, RetryPolicy, Selector, read_pact_files
from actionpact.core.errors import BrokerError

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

pytestmark = pytest.mark.e2e


def write_pact(folder: Path, consumer: str, provider: str, rev: int = 0) -> Path:
    """A small V4 pact, as the contracts stage writes for a Data Action."""
    folder.mkdir(parents=True, exist_ok=True)
    content: dict[str, Any] = {
        "consumer": {"name": consumer},
        "provider": {"name": provider},
        "interactions": [
            {
                "type": "Synchronous/HTTP",
                "description": f"Get customer by phone (rev {rev})",
                "providerStates": [{"name": "a customer with phone +15551234567 exists"}],
                "request": {
                    "method": "GET",
                    "path": "/api/customers",
                    "query": {"phone": ["+15551234567"]},
                },
                "response": {
                    "status": 200,
                    "headers": {"Content-Type": ["application/json"]},
                    "body": {
                        "content": {"id": "c-1", "name": "Ada"},
                        "contentType": "application/json",
                        "encoded": False,
                    },
                },
            }
        ],
        "metadata": {"pactSpecification": {"version": "4.0"}},
    }
    path = folder / f"{consumer}-{provider}.json"
    path.write_text(json.dumps(content, indent=2))
    return path


@pytest.fixture
def broker_url(tmp_path: Path) -> Iterator[str]:
    from actionpact.broker.server import serve_in_thread

    with serve_in_thread(tmp_path / "broker.db") as url:
        yield url


@pytest.fixture
def client(broker_url: str) -> Iterator[BrokerClient]:
    with BrokerClient(broker_url) as broker:
        yield broker


def ensure_environment(client: BrokerClient, name: str, *, production: bool = False) -> None:
    names = [link.name for link in client.environments().links("pb:environments")]
    if name not in names:
        client.create_environment(name, production=production)


def to_production(pacticipant: str, version: str) -> CanIDeployQuery:
    return CanIDeployQuery((Selector(pacticipant, version=version),), to_environment="production")


def publish(
    client: BrokerClient,
    tmp_path: Path,
    consumer: str,
    provider: str,
    version: str,
    *,
    rev: int = 0,
) -> None:
    path = write_pact(tmp_path / f"pacts-{version}-{rev}", consumer, provider, rev)
    client.publish(read_pact_files([path]), version=version, branch="main", tags=["main"])


def test_unknown_until_verified_and_deployed(client: BrokerClient, tmp_path: Path) -> None:
    ensure_environment(client, "production", production=True)
    publish(client, tmp_path, "Flow", "CRM", "1.0.0")

    unknown = client.can_i_deploy(to_production("Flow", "1.0.0"))
    assert unknown.deployable is None
    assert unknown.unknown == 1
    assert unknown.reason == (
        "There is no verified pact between version 1.0.0 of Flow and a version of CRM currently "
        "in production (no version is currently recorded as deployed/released in this "
        "environment)"
    )
    (row,) = unknown.rows
    assert (row.consumer, row.consumer_version, row.provider) == ("Flow", "1.0.0", "CRM")
    assert (row.provider_version, row.success) == (None, None)

    client.publish_verification_result(
        "CRM", "Flow", "1.0.0", success=True, provider_version="p1", provider_branch="main"
    )
    client.record_deployment("CRM", "p1", "production")
    yes = client.can_i_deploy(to_production("Flow", "1.0.0"))
    assert yes.deployable is True
    assert yes.reason == "All required verification results are published and successful"
    assert [(r.provider_version, r.success) for r in yes.rows] == [("p1", True)]
    # the same answer through /matrix (a branch selector cannot use the index relation)
    by_branch = client.can_i_deploy(
        CanIDeployQuery((Selector("Flow", branch="main"),), to_environment="production")
    )
    assert by_branch.deployable is True


def test_failed_verification_is_not_deployable(client: BrokerClient, tmp_path: Path) -> None:
    ensure_environment(client, "production", production=True)
    publish(client, tmp_path, "S2C", "S2P", "1.0.0")
    client.publish_verification_result("S2P", "S2C", "1.0.0", success=False, provider_version="p1")
    client.record_deployment("S2P", "p1", "production")
    matrix = client.can_i_deploy(to_production("S2C", "1.0.0"))
    assert matrix.deployable is False
    assert matrix.failed == 1
    assert "failed" in matrix.reason


def test_retry_while_unknown_waits_for_the_provider(client: BrokerClient, tmp_path: Path) -> None:
    ensure_environment(client, "production", production=True)
    publish(client, tmp_path, "Flow", "CRM", "2.0.0")
    waits: list[tuple[int | None, int]] = []
    sleeps: list[float] = []

    def provider_build_finishes(seconds: float) -> None:
        sleeps.append(seconds)
        if len(sleeps) == 2:  # the provider's verification lands during the second wait
            client.publish_verification_result(
                "CRM", "Flow", "2.0.0", success=True, provider_version="p9"
            )
            client.record_deployment("CRM", "p9", "production")

    with BrokerClient(client.base_url, retry=RetryPolicy(sleep=provider_build_finishes)) as waiting:
        matrix = waiting.can_i_deploy(
            to_production("Flow", "2.0.0"),
            retry_while_unknown=5,
            retry_interval=7.5,
            on_wait=lambda m, tries: waits.append((m.unknown, tries)),
        )
    assert matrix.deployable is True
    assert sleeps == [7.5, 7.5]
    assert waits == [(1, 5), (1, 4)]


def test_retries_run_out_and_unknown_stays_not_deployable(
    client: BrokerClient, tmp_path: Path
) -> None:
    ensure_environment(client, "production", production=True)
    publish(client, tmp_path, "Flow", "CRM", "3.0.0")
    sleeps: list[float] = []
    with BrokerClient(client.base_url, retry=RetryPolicy(sleep=sleeps.append)) as waiting:
        matrix = waiting.can_i_deploy(
            to_production("Flow", "3.0.0"), retry_while_unknown=2, retry_interval=1
        )
    assert matrix.deployable is None
    assert sleeps == [1, 1]


def test_republishing_changed_content_is_a_409_with_the_reason(
    client: BrokerClient, tmp_path: Path
) -> None:
    publish(client, tmp_path, "Flow", "CRM", "1.0.0", rev=0)
    publish(client, tmp_path, "Flow", "CRM", "1.0.0", rev=0)  # same content: fine
    with pytest.raises(BrokerError) as caught:
        publish(client, tmp_path, "Flow", "CRM", "1.0.0", rev=1)
    error = caught.value
    assert error.status == 409
    assert error.url == client.base_url + "/contracts/publish"
    assert error.errors, "the broker's reason must be kept"
    assert "409 Conflict" in str(error)
    assert any("Cannot change the content of the pact" in line for line in error.errors)
    assert "+++ new" in str(error)  # the broker's diff says what changed


def test_publish_returns_the_broker_notices(client: BrokerClient, tmp_path: Path) -> None:
    path = write_pact(tmp_path / "pacts", "Flow", "CRM")
    (result,) = client.publish(read_pact_files([path]), version="1.0.0", branch="main")
    assert not result.legacy
    assert result.notices
    assert any("Flow" in notice.text for notice in result.notices)


def test_describe_and_create_versions(client: BrokerClient, tmp_path: Path) -> None:
    publish(client, tmp_path, "Flow", "CRM", "1.0.0")
    version = client.describe_version("Flow", "1.0.0")
    assert version.data["number"] == "1.0.0"
    tags = [t["name"] for t in version.embedded("tags")]
    assert tags == ["main"]

    client.create_version("Flow", "1.1.0", branch="feat/x", tags=["rc", "qa"])
    latest = client.describe_version("Flow")
    assert latest.data["number"] == "1.1.0"
    assert sorted(t["name"] for t in latest.embedded("tags")) == ["qa", "rc"]
    tagged = client.describe_version("Flow", latest_tag="main")
    assert tagged.data["number"] == "1.0.0"

    with pytest.raises(BrokerError) as caught:
        client.describe_version("Flow", "9.9.9")
    assert caught.value.status == 404
    assert "version 9.9.9 of Flow not found" in str(caught.value)


def test_environments_and_record_release(client: BrokerClient, tmp_path: Path) -> None:
    created = client.create_environment("uat", display_name="User acceptance", production=False)
    assert created.data["name"] == "uat"
    assert created.data["uuid"]
    assert client.environment("uat").data["displayName"] == "User acceptance"
    with pytest.raises(BrokerError) as caught:
        client.create_environment("uat")
    assert caught.value.status in (400, 409)
    assert caught.value.errors

    publish(client, tmp_path, "MobileApp", "CRM", "5.0.0")
    released = client.record_release("MobileApp", "5.0.0", "uat")
    assert released.data.get("currentlySupported") is True


def test_record_deployment_errors_say_what_is_missing(client: BrokerClient, tmp_path: Path) -> None:
    ensure_environment(client, "production", production=True)
    publish(client, tmp_path, "Flow", "CRM", "1.0.0")
    with pytest.raises(BrokerError, match="No environment found with name 'nowhere'"):
        client.record_deployment("Flow", "1.0.0", "nowhere")
    with pytest.raises(BrokerError, match=r"Flow version 0\.0\.1 not found") as caught:
        client.record_deployment("Flow", "0.0.1", "production")
    assert caught.value.status == 404


def test_record_undeployment(client: BrokerClient, tmp_path: Path) -> None:
    ensure_environment(client, "production", production=True)
    publish(client, tmp_path, "Flow", "CRM", "1.0.0")
    client.record_deployment("Flow", "1.0.0", "production", application_instance="eu")
    with pytest.raises(BrokerError, match="specify one of the following application instances"):
        client.record_undeployment("Flow", "production")
    (undeployed,) = client.record_undeployment("Flow", "production", application_instance="eu")
    assert undeployed.data["currentlyDeployed"] is False
    with pytest.raises(BrokerError, match="Flow is not currently deployed to production"):
        client.record_undeployment("Flow", "production", application_instance="eu")
    with pytest.raises(BrokerError, match="No pacticipant with name 'Ghost' found"):
        client.record_undeployment("Ghost", "production")


def test_can_i_deploy_to_a_tag(client: BrokerClient, tmp_path: Path) -> None:
    publish(client, tmp_path, "Flow", "CRM", "1.0.0")
    to_prod_tag = CanIDeployQuery((Selector("Flow", version="1.0.0"),), to_tag="prod")
    client.publish_verification_result("CRM", "Flow", "1.0.0", success=True, provider_version="p1")
    client.create_version("CRM", "p1", tags=["prod"])
    assert client.can_i_deploy(to_prod_tag).deployable is True
    client.publish_verification_result("CRM", "Flow", "1.0.0", success=False, provider_version="p2")
    client.create_version("CRM", "p2", tags=["prod"])  # the latest prod version failed
    assert client.can_i_deploy(to_prod_tag).deployable is False
