"""No secret value from the environment appears in any recording, report, log or output."""

from __future__ import annotations

import base64
import json
import logging
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, quote_plus

import pytest
from drift_vendor import SECRET_KEY, SECRET_TOKEN, Vendor, baseline, json_answer
from typer.testing import CliRunner

from actionpact.cli import app

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.e2e

REDACT_KEY = "pseudonym-key-7Hq2"


def forms(secret: str) -> set[str]:
    return {
        secret,
        quote(secret, safe=""),
        quote_plus(secret),
        base64.b64encode(secret.encode()).decode(),
        json.dumps(secret)[1:-1],
    }


def echo(
    vendor: Vendor, method: str, path: str, query: Any, headers: dict[str, str], body: bytes
) -> Any:
    """A careless vendor: it echoes the credentials it received back, everywhere."""
    answer = baseline(vendor, method, path, query, headers, body)
    token = headers.get("authorization", "")
    key = (query.get("key") or [headers.get("x-api-key", "")])[0]
    if answer is None or answer[0] != 200:
        page = f"<html>denied for {token} / {key}</html>".encode()
        return 500, {"Content-Type": "text/html", "X-Debug-Auth": token}, page
    data = json.loads(answer[2])
    data["debug"] = {"authorization": token, "key": key, "url": f"/x?key={quote(key)}"}
    headers_out = {**answer[1], "X-Echo-Key": key, "WWW-Authenticate": f"Bearer realm={key}"}
    return 200, headers_out, json.dumps(data).encode()


def test_no_secret_anywhere(
    project: Path,
    vendor: Vendor,
    project_pacts: Path,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ACTIONPACT_REDACT_KEY", REDACT_KEY)
    caplog.set_level(logging.DEBUG)
    runner = CliRunner()
    outputs: list[str] = []
    for mode in (None, echo):
        vendor.mode = mode
        result = runner.invoke(app, ["record", "contracts", "--base-url", vendor.url])
        outputs += [result.stdout, result.stderr]
        assert result.exit_code == 0, result.output
    assert any(
        r["headers"].get("authorization") == f"Bearer {SECRET_TOKEN}" for r in vendor.requests
    )
    result = runner.invoke(
        app,
        [
            "drift",
            "contracts",
            "--pacts",
            str(project_pacts),
            "--report-md",
            "report.md",
            "--report-json",
            "report.json",
            "--junit",
            "junit.xml",
            "--output",
            "json",
        ],
    )
    outputs += [result.stdout, result.stderr]
    captured = capfd.readouterr()
    outputs += [captured.out, captured.err, caplog.text]
    outputs += [r.getMessage() for r in caplog.records]

    written = [p for p in project.rglob("*") if p.is_file()]
    assert {p.name for p in written} >= {"report.md", "report.json", "junit.xml", "run.json"}
    assert any(p.parent.name == "recordings.previous" for p in written)
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in written]
    leaks = [
        (where, form)
        for where, text in [*zip(map(str, written), texts, strict=True), *enumerate(outputs)]
        for secret in (SECRET_TOKEN, SECRET_KEY, REDACT_KEY)
        for form in forms(secret)
        if form in str(text)
    ]
    assert leaks == []
    # The vendor's echo is in the recordings, with the secrets replaced by placeholders.
    recording = json.loads(
        (project / "recordings" / "vendor-crm-lookup-by-phone" / "known-caller.json").read_text()
    )
    debug = recording["response"]["body"]["debug"]
    assert debug["authorization"] == "Bearer <credentials.apiToken>"
    assert debug["key"] == "<credentials.apiKey>"
    assert recording["response"]["headers"]["x-echo-key"] == "<credentials.apiKey>"
    assert "www-authenticate" in recording["redacted"]["headers"]
    run = json.loads((project / "recordings" / "run.json").read_text())
    assert run["redaction"]["keyed"] is True


def test_secret_in_an_error_page_is_scrubbed(project: Path, vendor: Vendor) -> None:
    def deny(v: Vendor, method: str, path: str, query: Any, headers: Any, body: bytes) -> Any:
        token = headers.get("authorization", "")
        return 401, {"Content-Type": "text/html"}, f"<p>bad token {token}</p>".encode()

    vendor.mode = deny
    result = CliRunner().invoke(app, ["record", "contracts", "--base-url", vendor.url])
    assert result.exit_code == 0, result.output
    for file in (project / "recordings").rglob("*.json"):
        text = file.read_text(encoding="utf-8")
        assert SECRET_TOKEN not in text
    recording = json.loads(
        (project / "recordings" / "vendor-crm-lookup-by-phone" / "known-caller.json").read_text()
    )
    assert recording["response"]["body"] == "<p>bad token Bearer <credentials.apiToken></p>"
    assert recording["outcome"] == "http-error"


def test_json_answer_helper_is_plain() -> None:
    # The helper the vendor uses must not add anything secret by itself.
    assert json_answer(200, {"a": 1})[1] == {"Content-Type": "application/json"}
