"""`actionpact publish` with typer's CliRunner, against the real local broker on 127.0.0.1."""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from actionpact.cli import app

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

runner = CliRunner()
LOCAL_NOTE = (
    "using the local broker at .actionpact/broker.db (set PACT_BROKER_BASE_URL to use another)"
)


def write_pact(folder: Path, consumer: str = "Flow", provider: str = "CRM", rev: int = 0) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{consumer}-{provider}.json"
    content = {
        "consumer": {"name": consumer},
        "provider": {"name": provider},
        "interactions": [
            {
                "type": "Synchronous/HTTP",
                "description": f"Get customer (rev {rev})",
                "request": {"method": "GET", "path": "/customers/1"},
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

    with serve_in_thread(tmp_path / "served.db") as url:
        monkeypatch.setenv("PACT_BROKER_BASE_URL", url)
        yield url


@pytest.mark.e2e
def test_quick_start_runs_on_the_embedded_local_broker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_pact(tmp_path / "pacts")
    published = runner.invoke(
        app, ["publish", "--consumer-app-version", "1.0.0", "--branch", "main"]
    )
    assert published.exit_code == 0, published.output
    assert published.stderr.count(LOCAL_NOTE) == 1
    assert (tmp_path / ".actionpact" / "broker.db").is_file()
    assert "Flow" in published.stdout

    # the local broker seeds `test` and `production`, as the official one does
    asked = runner.invoke(
        app,
        [
            "can-i-deploy",
            "--pacticipant",
            "Flow",
            "--version",
            "1.0.0",
            "--to-environment",
            "production",
        ],
    )
    assert asked.exit_code == 1, asked.output
    assert "Computer says no" in asked.stdout
    assert asked.stderr.count(LOCAL_NOTE) == 1


@pytest.mark.e2e
def test_publish_text_and_json(broker_url: str, tmp_path: Path) -> None:
    write_pact(tmp_path / "pacts", "Flow", "CRM")
    write_pact(tmp_path / "pacts", "Flow", "Billing")
    text = runner.invoke(
        app,
        ["publish", str(tmp_path / "pacts"), "-a", "1.0.0", "--branch", "main", "-t", "main"],
    )
    assert text.exit_code == 0, text.output
    assert LOCAL_NOTE not in text.stderr
    assert "\x1b[" not in text.stdout  # no colours off a terminal
    as_json = runner.invoke(
        app, ["publish", str(tmp_path / "pacts"), "-a", "1.0.1", "--output", "json"]
    )
    assert as_json.exit_code == 0, as_json.output
    document = json.loads(as_json.stdout)
    (published,) = document["published"]
    assert (published["consumer"], published["version"]) == ("Flow", "1.0.1")
    assert published["legacyApi"] is False
    assert "notices" in published["response"]


@pytest.mark.e2e
def test_changed_content_under_the_same_version_is_refused(
    broker_url: str,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    token = "tok-VERY-secret-4242"
    monkeypatch.setenv("PACT_BROKER_TOKEN", token)
    caplog.set_level(logging.DEBUG)
    first = write_pact(tmp_path / "v0", rev=0)
    second = write_pact(tmp_path / "v1", rev=1)
    assert runner.invoke(app, ["publish", str(first), "-a", "1.0.0"]).exit_code == 0
    result = runner.invoke(app, ["publish", str(second), "-a", "1.0.0"])
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"error: POST {broker_url}/contracts/publish failed: 409 Conflict"
    )
    for text in (result.stdout, result.stderr, caplog.text):
        assert token not in text
    for record in caplog.records:
        assert token not in record.getMessage()
    assert any("/contracts/publish -> 409" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{oops", "bad.json: not valid JSON (Expecting property name"),
        (json.dumps({"consumer": {"name": "Flow"}, "provider": {}}), "bad.json: provider.name:"),
        (json.dumps({"provider": {"name": "CRM"}}), "bad.json: consumer: the pact has no consumer"),
    ],
)
def test_invalid_pact_files_exit_2_naming_file_and_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str, expected: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.json").write_text(content)
    result = runner.invoke(app, ["publish", "bad.json", "--consumer-app-version", "1"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {expected}")
    assert not (tmp_path / ".actionpact").exists()  # checked before any broker starts


def test_usage_errors_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_pact(tmp_path / "pacts")
    assert runner.invoke(app, ["publish"]).exit_code == 2  # no --consumer-app-version
    blank = runner.invoke(app, ["publish", "-a", "  "])
    assert blank.exit_code == 2
    assert "--consumer-app-version cannot be blank" in blank.stderr
    missing = runner.invoke(app, ["publish", "nowhere", "-a", "1"])
    assert missing.exit_code == 2
    assert "nowhere: no such file or directory" in missing.stderr


def test_a_secret_in_actionpact_yaml_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_pact(tmp_path / "pacts")
    (tmp_path / "actionpact.yaml").write_text("broker:\n  base_url: http://b\n  token: hunter2\n")
    result = runner.invoke(app, ["publish", "-a", "1"])
    assert result.exit_code == 2
    assert "broker.token: secrets are never read from files" in result.stderr
    assert "hunter2" not in result.output


@pytest.mark.e2e
def test_tokens_and_passwords_never_appear_in_output_or_logs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from actionpact.broker.server import BrokerAuth, serve_in_thread

    token, password = "tok-5ecret-9f1c", "pw-5ecret-77aa"
    write_pact(tmp_path / "pacts")
    monkeypatch.chdir(tmp_path)
    caplog.set_level(logging.DEBUG)
    auth = BrokerAuth(token=token, username="ci", password=password)
    with serve_in_thread(tmp_path / "auth.db", auth=auth) as url:
        monkeypatch.setenv("PACT_BROKER_BASE_URL", url)
        monkeypatch.setenv("PACT_BROKER_TOKEN", token)
        with_token = runner.invoke(app, ["publish", "-a", "1.0.0", "-o", "json"])
        monkeypatch.delenv("PACT_BROKER_TOKEN")
        monkeypatch.setenv("PACT_BROKER_USERNAME", "ci")
        monkeypatch.setenv("PACT_BROKER_PASSWORD", password)
        with_password = runner.invoke(
            app, ["describe-version", "--pacticipant", "Flow", "--version", "1.0.0"]
        )
        monkeypatch.setenv("PACT_BROKER_PASSWORD", "wrong-" + password)
        refused = runner.invoke(app, ["publish", "-a", "1.0.1"])
        in_url = runner.invoke(
            app,
            ["publish", "-a", "1.0.2", "-b", url.replace("http://", f"http://ci:{password}@")],
        )
    assert with_token.exit_code == 0, with_token.output
    assert with_password.exit_code == 0, with_password.output
    assert refused.exit_code == 1
    assert refused.stderr.splitlines() == [
        f"error: authentication failed at {url} (401 Unauthorized)",
        "  hint: check PACT_BROKER_TOKEN or PACT_BROKER_USERNAME/PACT_BROKER_PASSWORD",
    ]
    assert in_url.exit_code == 0, in_url.output  # a flag's credentials beat the environment's
    outputs = [r.stdout + r.stderr for r in (with_token, with_password, refused, in_url)]
    for text in [*outputs, caplog.text, *(r.getMessage() for r in caplog.records)]:
        assert token not in text
        assert password not in text
    assert any(f"GET {url} -> 401" in r.getMessage() for r in caplog.records)
