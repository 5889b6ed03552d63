"""`actionpact record` and `actionpact drift`: outputs, reports and exit codes a pipeline uses."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from typer.testing import CliRunner

from actionpact.cli import app

# The vendor API and the project live with the drift tests.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "drift"))
from drift_vendor import (
    SECRET_KEY,
    SECRET_TOKEN,
    Vendor,
    renamed,
    write_project,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

pytestmark = pytest.mark.e2e

runner = CliRunner()
KNOWN = Path("recordings/vendor-crm-lookup-by-phone/known-caller.json")


@pytest.fixture
def vendor() -> Iterator[Vendor]:
    server = Vendor().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("VENDOR_CRM_TOKEN", SECRET_TOKEN)
    monkeypatch.setenv("VENDOR_CRM_KEY", SECRET_KEY)
    return tmp_path


def run(*args: str) -> Any:
    return runner.invoke(app, [str(a) for a in args])


def test_record_then_drift_unchanged(project: Path, vendor: Vendor) -> None:
    result = run("record", "--base-url", vendor.url)
    assert result.exit_code == 0, result.output
    assert "Recorded 4 example(s) into recordings: 1 http-error, 3 ok" in result.stdout
    assert "[1/4]" in result.stderr
    assert run("record", "contracts", "--base-url", vendor.url).exit_code == 0
    result = run("drift", "contracts", "--report-md", "out/drift.md", "--junit", "out/junit.xml")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        "Vendor drift check passed: 0 broken, 0 with warnings, 4 passed"
    )
    assert (project / "out" / "drift.md").read_text().startswith("# Vendor drift check passed")
    assert ET.parse(project / "out" / "junit.xml").getroot().get("failures") == "0"


def test_drift_json_output_and_exit_1_on_a_rename(project: Path, vendor: Vendor) -> None:
    assert run("record", "--base-url", vendor.url, "--output", "json").exit_code == 0
    vendor.mode = renamed
    result = run("record", "--base-url", vendor.url, "--output", "json")
    data = json.loads(result.stdout)
    assert data["complete"] is True
    assert {r["outcome"] for r in data["recordings"]} == {"ok", "http-error"}
    result = run("drift", "--output", "json", "--report-json", "drift.json")
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert data == json.loads((project / "drift.json").read_text())
    assert data["summary"]["broken"] == 2
    known = next(e for e in data["examples"] if e["example"] == "known caller")
    assert known["changes"][0]["message"].startswith(
        "`$.customers[*].customerId` looks renamed to `$.customers[*].customer_id`"
    )


def test_usage_errors_exit_2(project: Path, vendor: Vendor) -> None:
    result = run("drift", "--environment", "production")
    assert result.exit_code == 2
    assert "need --publish-verification-results" in result.stderr
    result = run("drift", "--publish-verification-results", "--pacts", "pacts")
    assert result.exit_code == 2
    result = run("drift")
    assert result.exit_code == 2
    assert "error: recordings: no such recordings folder" in result.stderr
    result = run("record", "--base-url", "ftp://example.com")
    assert result.exit_code == 2
    assert "--base-url must be an http(s) URL" in result.stderr
    result = run("record", "--base-url", vendor.url, "--redact-pattern", "no-equals-sign")
    assert result.exit_code == 2
    assert "NAME=REGEX" in result.stderr
    result = run("record", "--base-url", vendor.url, "--redact-path", "$.a[?(@.x)]")
    assert result.exit_code == 2
    assert "unsupported syntax" in result.stderr


def test_record_exits_1_when_the_time_budget_runs_out(project: Path, vendor: Vendor) -> None:
    result = run("record", "--base-url", vendor.url, "--max-rate", "1", "--max-time", "0.5")
    assert result.exit_code == 1, result.output
    assert "3 skipped" in result.stdout
    assert "not sent: the time budget ran out" in result.stderr


def test_missing_credential_is_a_warning(
    project: Path, vendor: Vendor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VENDOR_CRM_KEY")
    result = run("record", "--base-url", vendor.url)
    assert result.exit_code == 0
    assert "credential 'apiKey' renders as a placeholder" in result.stderr
    assert "VENDOR_CRM_KEY is not set" in result.stderr


# --------------------------------------------------------------------------- real processes


def _actionpact(*args: str, cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "actionpact", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def _wait_for_requests(vendor: Vendor, count: int) -> None:
    for _ in range(400):
        if vendor.count() >= count:
            return
        time.sleep(0.025)
    raise AssertionError(f"the vendor saw {vendor.count()} requests, not {count}")


@pytest.mark.parametrize("how", ["interrupt", "kill"])
def test_a_stopped_run_leaves_the_recordings_as_they_were(
    project: Path, vendor: Vendor, how: str
) -> None:
    assert run("record", "--base-url", vendor.url).exit_code == 0
    before = {p: p.read_bytes() for p in sorted(project.rglob("recordings/**/*.json"))}
    vendor.mode = renamed
    vendor.delay = 5.0
    process = _actionpact("record", "--base-url", vendor.url, "--concurrency", "1", cwd=project)
    try:
        _wait_for_requests(vendor, 5)
        process.send_signal(signal.SIGINT if how == "interrupt" else signal.SIGKILL)
        _, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    if how == "interrupt":
        assert process.returncode == 130
        assert "interrupted; the recordings in recordings are as they were" in stderr
    after = {p: p.read_bytes() for p in sorted(project.rglob("recordings/**/*.json"))}
    assert after == before
    # A killed run leaves its hidden folder; the next run clears it away.
    vendor.mode, vendor.delay = None, 0.0
    assert run("record", "--base-url", vendor.url).exit_code == 0
    assert [p.name for p in project.iterdir() if p.name.startswith(".recordings")] == []


def test_redaction_rules_from_actionpact_yaml(project: Path, vendor: Vendor) -> None:
    config = project / "actionpact.yaml"
    config.write_text(
        config.read_text(encoding="utf-8") + "redact:\n  paths: ['$.customers[*].name']\n",
        encoding="utf-8",
    )
    assert run("record", "--base-url", vendor.url).exit_code == 0
    body = json.loads((project / KNOWN).read_text(encoding="utf-8"))["response"]["body"]
    name = body["customers"][0]["name"]
    assert isinstance(name, str)
    assert name
    assert name != "Ada Lovelace"
