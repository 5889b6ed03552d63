"""The official `pact broker` CLI (pact-python-cli) against the local broker, for real."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from actionpact.broker.server import BrokerAuth, serve_in_thread

if TYPE_CHECKING:
    import httpx

    from conftest import Driver

pytestmark = pytest.mark.e2e

PACT_CLI = Path(sys.executable).parent / "pact"


def pact_broker(
    url: str, *args: str, auth: tuple[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `pact broker ARGS -b URL` and return the completed process."""
    # pact-python-cli is a dev dependency: a missing binary is a broken install, not a skip.
    assert PACT_CLI.exists(), (
        f"the official pact CLI is missing at {PACT_CLI}: pip install -e '.[dev]'"
    )
    extra = ["-u", auth[0], "-p", auth[1]] if auth else []
    return subprocess.run(
        [str(PACT_CLI), "broker", *args, "-b", url, *extra],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def pact_dir(tmp_path: Path, pact_factory: Any) -> Path:
    folder = tmp_path / "pacts"
    folder.mkdir()
    (folder / "CliC-CliP.json").write_text(json.dumps(pact_factory("CliC", "CliP")))
    return folder


def test_publish_environments_deployments_and_can_i_deploy(
    broker_url: str, driver: Driver, http: httpx.Client, pact_dir: Path
) -> None:
    published = pact_broker(broker_url, "publish", str(pact_dir), "-a", "1.0.0", "--branch", "main")
    assert published.returncode == 0, published.stderr
    assert (
        "Pact successfully published for CliC version 1.0.0 and provider CliP." in published.stdout
    )

    created = pact_broker(
        broker_url, "create-environment", "--name", "uat", "--display-name", "UAT"
    )
    assert created.returncode == 0, created.stderr
    assert "uat" in [
        e["name"] for e in http.get("/environments").json()["_embedded"]["environments"]
    ]

    no = pact_broker(
        broker_url,
        "can-i-deploy",
        "--pacticipant",
        "CliC",
        "--version",
        "1.0.0",
        "--to-environment",
        "production",
    )
    assert no.returncode == 1
    assert "There is no verified pact between version 1.0.0 of CliC" in no.stdout

    assert driver.verify("CliC", "1.0.0", "CliP", "p1", success=True).status_code == 201
    deployed = pact_broker(
        broker_url,
        "record-deployment",
        "--pacticipant",
        "CliP",
        "--version",
        "p1",
        "--environment",
        "production",
    )
    assert deployed.returncode == 0, deployed.stderr + deployed.stdout

    yes = pact_broker(
        broker_url,
        "can-i-deploy",
        "--pacticipant",
        "CliC",
        "--version",
        "1.0.0",
        "--to-environment",
        "production",
    )
    assert yes.returncode == 0, yes.stdout
    assert "All required verification results are published and successful" in yes.stdout

    as_json = pact_broker(
        broker_url,
        "can-i-deploy",
        "--pacticipant",
        "CliC",
        "--version",
        "1.0.0",
        "--to-environment",
        "production",
        "-o",
        "json",
    )
    assert json.loads(as_json.stdout)["summary"]["deployable"] is True

    released = pact_broker(
        broker_url,
        "record-release",
        "--pacticipant",
        "CliC",
        "--version",
        "1.0.0",
        "--environment",
        "uat",
    )
    assert released.returncode == 0, released.stderr + released.stdout
    version = http.get("/pacticipants/CliC/versions/1.0.0").json()
    assert [r["name"] for r in version["_links"]["pb:released-environments"]] == ["UAT"]

    described = pact_broker(
        broker_url, "describe-version", "--pacticipant", "CliC", "--version", "1.0.0"
    )
    assert described.returncode == 0, described.stderr
    assert "1.0.0" in described.stdout


def test_undeploy_and_support_ended(broker_url: str, driver: Driver, http: httpx.Client) -> None:
    driver.publish("CliC", "1.0.0", "CliP")
    assert (
        pact_broker(
            broker_url,
            "record-deployment",
            "--pacticipant",
            "CliC",
            "--version",
            "1.0.0",
            "--environment",
            "test",
        ).returncode
        == 0
    )
    assert (
        pact_broker(
            broker_url, "record-undeployment", "--pacticipant", "CliC", "--environment", "test"
        ).returncode
        == 0
    )
    assert (
        pact_broker(
            broker_url,
            "record-release",
            "--pacticipant",
            "CliC",
            "--version",
            "1.0.0",
            "--environment",
            "test",
        ).returncode
        == 0
    )
    assert (
        pact_broker(
            broker_url,
            "record-support-ended",
            "--pacticipant",
            "CliC",
            "--version",
            "1.0.0",
            "--environment",
            "test",
        ).returncode
        == 0
    )
    links = http.get("/pacticipants/CliC/versions/1.0.0").json()["_links"]
    assert [d["currently_deployed"] for d in links["pb:deployed-environments"]] == [False]
    assert [r["currently_supported"] for r in links["pb:released-environments"]] == [False]


def test_pacticipants_tags_versions_and_listings(
    broker_url: str, driver: Driver, http: httpx.Client
) -> None:
    driver.publish("CliC", "1.0.0", "CliP")
    pacts = pact_broker(broker_url, "get-pacts", "--provider", "CliP")
    assert pacts.returncode == 0, pacts.stderr
    assert "Pact between CliC (1.0.0) and CliP" in pacts.stdout
    assert (
        pact_broker(
            broker_url, "create-or-update-pacticipant", "--name", "CliC", "--main-branch", "trunk"
        ).returncode
        == 0
    )
    assert http.get("/pacticipants/CliC").json()["mainBranch"] == "trunk"
    assert (
        pact_broker(
            broker_url,
            "create-version-tag",
            "--pacticipant",
            "CliC",
            "--version",
            "1.0.0",
            "--tag",
            "prod",
        ).returncode
        == 0
    )
    assert (
        pact_broker(
            broker_url,
            "create-or-update-version",
            "--pacticipant",
            "CliC",
            "--version",
            "1.0.1",
            "--branch",
            "feat",
        ).returncode
        == 0
    )
    assert http.get("/pacticipants/CliC/branches/feat/latest-version").json()["number"] == "1.0.1"
    latest = pact_broker(broker_url, "list-latest-pact-versions")
    assert latest.returncode == 0, latest.stderr
    assert "CliC" in latest.stdout
    # the main branch is now "trunk", which has no pact yet
    assert "Pact between" not in pact_broker(broker_url, "get-pacts", "--provider", "CliP").stdout
    assert pact_broker(broker_url, "list-environments").returncode == 0
    assert pact_broker(broker_url, "list-pacticipants").returncode == 0


def test_publish_with_basic_auth(broker_db: Path, pact_dir: Path) -> None:
    auth = BrokerAuth(username="ci", password="ci-secret")
    with serve_in_thread(broker_db, auth=auth) as url:
        refused = pact_broker(url, "publish", str(pact_dir), "-a", "1.0.0", "--branch", "main")
        assert refused.returncode != 0
        ok = pact_broker(
            url,
            "publish",
            str(pact_dir),
            "-a",
            "1.0.0",
            "--branch",
            "main",
            auth=("ci", "ci-secret"),
        )
        assert ok.returncode == 0, ok.stderr
