"""can-i-deploy and the deployment commands with typer's CliRunner, against the real local
broker served on 127.0.0.1.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from actionpact.broker import BrokerClient
from actionpact.cli import app

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from typer.testing import Result

pytestmark = pytest.mark.e2e

runner = CliRunner()


def run(*args: str) -> Result:
    return runner.invoke(app, list(args))


def write_pact(folder: Path, consumer: str, provider: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{consumer}-{provider}.json"
    content = {
        "consumer": {"name": consumer},
        "provider": {"name": provider},
        "interactions": [
            {
                "type": "Synchronous/HTTP",
                "description": "Get queue estimated wait time",
                "request": {"method": "GET", "path": "/api/v2/routing/queues/q1/estimatedwaittime"},
                "response": {"status": 200},
            }
        ],
        "metadata": {"pactSpecification": {"version": "4.0"}},
    }
    path.write_text(json.dumps(content))
    return path


@pytest.fixture
def broker_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    from actionpact.broker.server import serve_in_thread

    with serve_in_thread(tmp_path / "broker.db") as url:
        monkeypatch.setenv("PACT_BROKER_BASE_URL", url)
        yield url


@pytest.fixture
def published(broker_url: str, tmp_path: Path) -> str:
    """Flow 1.0.0 published with a pact on CRM; a production environment exists."""
    with BrokerClient(broker_url) as client:
        names = [link.name for link in client.environments().links("pb:environments")]
    if "production" not in names:
        created = run("create-environment", "--name", "production", "--production")
        assert created.exit_code == 0, created.output
        assert created.stdout.startswith("Created production environment in the Pact Broker")
    path = write_pact(tmp_path / "pacts", "Flow", "CRM")
    result = run("publish", str(path), "-a", "1.0.0", "--branch", "main")
    assert result.exit_code == 0, result.output
    return broker_url


CAN_I_DEPLOY = ("can-i-deploy", "--pacticipant", "Flow", "--version", "1.0.0")
TO_PROD = (*CAN_I_DEPLOY, "--to-environment", "production")


def test_unknown_is_not_deployable_then_yes_after_verification_and_deployment(
    published: str,
) -> None:
    no = run(*TO_PROD)
    assert no.exit_code == 1, no.output
    lines = no.stdout.splitlines()
    assert lines[0] == "Computer says no ¯\\_(ツ)_/¯"
    assert "CONSUMER | C.VERSION | PROVIDER | P.VERSION | SUCCESS? | RESULT#" in lines
    assert "Flow     | 1.0.0     | CRM      | ???       | ???      |" in lines
    assert lines[-1].startswith("There is no verified pact between version 1.0.0 of Flow")

    with BrokerClient(published) as client:
        client.publish_verification_result(
            "CRM", "Flow", "1.0.0", success=True, provider_version="p1"
        )
    deployed = run(
        "record-deployment",
        "--pacticipant",
        "CRM",
        "--version",
        "p1",
        "--environment",
        "production",
    )
    assert deployed.exit_code == 0, deployed.output
    assert deployed.stdout.strip() == (
        "Recorded deployment of CRM version p1 to production environment in the Pact Broker."
    )

    yes = run(*TO_PROD)
    assert yes.exit_code == 0, yes.output
    lines = yes.stdout.splitlines()
    assert lines[0] == "Computer says yes \\o/"
    assert "Flow     | 1.0.0     | CRM      | p1        | true     | 1" in lines
    assert "VERIFICATION RESULTS" in lines
    assert lines[-1] == "All required verification results are published and successful"


def test_json_output_is_one_object_with_summary_and_matrix(published: str) -> None:
    result = run(*TO_PROD, "--output", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["summary"]["deployable"] is None
    assert document["summary"]["unknown"] == 1
    assert document["matrix"][0]["consumer"]["name"] == "Flow"
    assert "dryRun" not in document


def test_dry_run_exits_0_says_so_and_skips_retries(published: str) -> None:
    result = run(*TO_PROD, "--dry-run", "--retry-while-unknown", "50", "--retry-interval", "600")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert all(line.startswith("[dry-run] ") for line in lines)
    assert lines[0] == (
        "[dry-run] Computer says no ¯\\_(ツ)_/¯ (but you're ignoring this by enabling dry run)"
    )
    assert lines[-1] == "[dry-run] Dry run enabled - ignoring any failures"
    assert "Waiting for" not in result.stderr
    as_json = run(*TO_PROD, "--dry-run", "-o", "json")
    assert as_json.exit_code == 0
    assert json.loads(as_json.stdout)["dryRun"] is True


def test_dry_run_from_the_environment(published: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PACT_BROKER_CAN_I_DEPLOY_DRY_RUN", "true")
    assert run(*TO_PROD).exit_code == 0


def test_retry_while_unknown_reports_the_wait(published: str) -> None:
    result = run(*TO_PROD, "--retry-while-unknown", "2", "--retry-interval", "0")
    assert result.exit_code == 1
    assert result.stderr.count("Waiting for 1 verification result to be published") == 1
    assert "(maximum of 0 seconds)" in result.stderr


def test_ignored_provider_makes_it_deployable(published: str) -> None:
    result = run(*TO_PROD, "--ignore", "CRM")
    assert result.exit_code == 0, result.output
    assert "[ignored]" in result.stdout


def test_branch_and_latest_selectors(published: str) -> None:
    by_branch = run(
        "can-i-deploy", "-a", "Flow", "--branch", "main", "--to-environment", "production"
    )
    assert by_branch.exit_code == 1
    assert "Flow     | 1.0.0" in by_branch.stdout
    latest = run("can-i-deploy", "-a", "Flow", "--latest", "--to-environment", "production")
    assert latest.exit_code == 1
    assert "Flow     | 1.0.0" in latest.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (CAN_I_DEPLOY, "give exactly one of --to-environment ENVIRONMENT or --to TAG"),
        ((*TO_PROD, "--to", "prod"), "give exactly one of --to-environment"),
        (("can-i-deploy", "-a", "Flow", "--to", "prod"), "exactly one of --version VERSION"),
        ((*TO_PROD, "--latest"), "exactly one of --version VERSION"),
        ((*CAN_I_DEPLOY, "--to-environment", " "), "--to-environment cannot be blank"),
    ],
)
def test_can_i_deploy_usage_errors_exit_2(args: tuple[str, ...], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_record_release_undeployment_and_versions(published: str) -> None:
    made = run("create-environment", "--name", "uat", "--display-name", "UAT", "-o", "json")
    assert made.exit_code == 0, made.output
    assert json.loads(made.stdout)["displayName"] == "UAT"
    again = run("create-environment", "--name", "uat")
    assert again.exit_code == 1
    assert again.stderr.startswith("error: POST ")

    released = run("record-release", "-a", "Flow", "-e", "1.0.0", "--environment", "uat")
    assert released.exit_code == 0, released.output
    assert "Recorded release of Flow version 1.0.0 to uat environment" in released.stdout

    deployed = run(
        "record-deployment",
        "-a",
        "Flow",
        "-e",
        "1.0.0",
        "--environment",
        "uat",
        "--application-instance",
        "eu",
        "-o",
        "json",
    )
    assert deployed.exit_code == 0, deployed.output
    assert json.loads(deployed.stdout)["currentlyDeployed"] is True
    undeployed = run(
        "record-undeployment", "-a", "Flow", "--environment", "uat", "--application-instance", "eu"
    )
    assert undeployed.exit_code == 0, undeployed.output
    assert "Recorded undeployment of Flow" in undeployed.stdout
    assert "from uat environment (application instance eu)" in undeployed.stdout
    nothing = run("record-undeployment", "-a", "Flow", "--environment", "uat")
    assert nothing.exit_code == 1
    assert "Flow is not currently deployed to uat environment" in nothing.stderr

    missing_env = run("record-deployment", "-a", "Flow", "-e", "1.0.0", "--environment", "mars")
    assert missing_env.exit_code == 1
    assert "error: No environment found with name 'mars'." in missing_env.stderr

    updated = run(
        "create-or-update-version", "-a", "Flow", "-e", "1.1.0", "--branch", "feat", "-t", "rc"
    )
    assert updated.exit_code == 0, updated.output
    assert updated.stdout.strip() == (
        "Created/updated pacticipant version 1.1.0 with branch feat and tag(s) rc "
        "in the Pact Broker"
    )
    described = run("describe-version", "-a", "Flow")
    assert described.exit_code == 0, described.output
    assert described.stdout.splitlines()[0].split(" | ") == ["NUMBER", "BRANCHES", "TAGS"]
    assert "1.1.0" in described.stdout
    as_json = run("describe-version", "-a", "Flow", "-e", "1.0.0", "-o", "json")
    assert json.loads(as_json.stdout)["number"] == "1.0.0"
    unknown = run("describe-version", "-a", "Flow", "-e", "7")
    assert unknown.exit_code == 1
    assert "version 7 of Flow not found" in unknown.stderr
