"""`actionpact generate`: the summary, --output json, --check and the exit codes."""

from __future__ import annotations

import json
import shutil
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from actionpact.cli import app

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.e2e

runner = CliRunner()


@pytest.fixture
def project(tmp_path: Path, examples_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder holding the bundled examples, as the current directory."""
    shutil.copytree(examples_dir, tmp_path / "contracts")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_default_paths_and_summary(project: Path) -> None:
    result = runner.invoke(app, ["generate"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "5 of 5 actions got a contract; 2 pact(s) (V4) written."
    assert lines[1].split() == ["PAIR", "ACTIONS", "INTERACTIONS", "COVERAGE", "FILE"]
    assert lines[2].split() == [
        "genesys-data-actions",
        "->",
        "crm.example.com",
        "2",
        "6",
        "100.0%",
        "pacts/genesys-data-actions-crm.example.com.json",
    ]
    assert (project / "pacts" / "genesys-data-actions-crm.example.com.json").is_file()


def test_config_file_and_flags(project: Path) -> None:
    (project / "actionpact.yaml").write_text(
        "consumer: ivr\noutput: out\nproviders:\n  - {name: crm, host: crm.example.com}\n"
    )
    result = runner.invoke(app, ["generate", "--spec-version", "V3", "--consumer", "flows"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (project / "out").iterdir()) == [
        "flows-crm.json",
        "flows-genesys-cloud-platform-api.json",
    ]
    pact = json.loads((project / "out" / "flows-crm.json").read_text())
    assert pact["metadata"]["pactSpecification"]["version"] == "3.0.0"


def test_json_output_is_one_object(project: Path) -> None:
    result = runner.invoke(app, ["generate", "--output", "json", "--out", "elsewhere"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["success"] is True
    assert data["written"] is True
    assert [p["interactions"] for p in data["pairs"]] == [6, 5]
    assert data["pairs"][0]["file"] == "elsewhere/genesys-data-actions-crm.example.com.json"
    assert {a["name"] for a in data["actions"]} >= {"CRM - Lookup Customer By Phone"}


def test_check_writes_nothing(project: Path) -> None:
    result = runner.invoke(app, ["generate", "--check"])
    assert result.exit_code == 0, result.output
    assert "checked" in result.stdout.splitlines()[0]
    assert not (project / "pacts").exists()


def test_exit_1_lists_the_actions_without_a_contract(project: Path) -> None:
    definition = json.loads((project / "contracts" / "crm-lookup-by-phone.json").read_text())
    definition["name"] = "Broken Lookup"
    definition["config"]["response"]["successTemplate"] = '{"customerId": ${missing}}'
    (project / "contracts" / "broken.json").write_text(json.dumps(definition))
    result = runner.invoke(app, ["generate"])
    assert result.exit_code == 1, result.output
    assert "No contract for 1 action(s):" in result.stdout
    assert (
        "Broken Lookup (contracts/broken.json): example 'derived example' fails at step 10"
        in result.stdout
    )
    # The others are still written.
    assert (project / "pacts" / "genesys-data-actions-crm.example.com.json").is_file()


def test_exit_1_below_the_coverage_bar(project: Path) -> None:
    definition = json.loads((project / "contracts" / "get-queue-estimated-wait.json").read_text())
    definition["contract"]["output"]["successSchema"]["properties"]["never"] = {"type": "string"}
    (project / "contracts" / "get-queue-estimated-wait.json").write_text(json.dumps(definition))
    result = runner.invoke(app, ["generate", "--min-coverage", "90"])
    assert result.exit_code == 1, result.output
    assert "Below 90% output coverage:" in result.stdout
    assert "Get Queue Estimated Wait Time: 66.7% (never filled: never)" in result.stdout


def test_exit_2_for_an_invalid_spec_and_nothing_written(project: Path) -> None:
    spec = project / "contracts" / "create-support-case.spec.yaml"
    spec.write_text(spec.read_text().replace("  - name: minimal case", "  - nme: minimal case"))
    result = runner.invoke(app, ["generate"])
    assert result.exit_code == 2
    assert "error: contracts/create-support-case.spec.yaml:" in result.stderr
    assert "unknown key 'nme'; did you mean 'name'?" in result.stderr
    assert not (project / "pacts").exists()


def test_exit_2_for_a_missing_path(project: Path) -> None:
    result = runner.invoke(app, ["generate", "nowhere"])
    assert result.exit_code == 2
    assert "nowhere: no such file or folder" in result.stderr


def test_exit_2_for_a_bad_spec_version(project: Path) -> None:
    result = runner.invoke(app, ["generate", "--spec-version", "V5"])
    assert result.exit_code == 2
    assert "unknown Pact specification 'V5'" in result.stderr
