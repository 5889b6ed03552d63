"""`actionpact verify` against a real CRM provider on 127.0.0.1, with the real Pact verifier."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from typer.testing import CliRunner

from actionpact.cli import app

if TYPE_CHECKING:
    from collections.abc import Iterator
    from types import ModuleType

pytestmark = pytest.mark.e2e

runner = CliRunner()
REPO = Path(__file__).resolve().parents[2]
ACTION = "CRM - Lookup Customer By Phone"


def _load_provider_module() -> ModuleType:
    # The provider and its pact are shared with tests/verify (not an importable package).
    path = REPO / "tests" / "verify" / "verify_crm_provider.py"
    spec = importlib.util.spec_from_file_location("verify_cli_crm_provider", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


crm_provider = _load_provider_module()


@pytest.fixture
def crm() -> Iterator[Any]:
    provider = crm_provider.CrmProvider().start()
    try:
        yield provider
    finally:
        provider.stop()


@pytest.fixture(scope="module")
def pact_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path: Path = crm_provider.write_crm_pact(tmp_path_factory.mktemp("pacts"))
    return path


@pytest.fixture
def token(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("CRM_TOKEN", crm_provider.TOKEN)
    return str(crm_provider.TOKEN)


def args(crm: Any, pact_file: Path, *more: str) -> list[str]:
    return [
        "verify",
        "--provider",
        "example-crm",
        "--provider-base-url",
        crm.url,
        "--pacts",
        str(pact_file),
        "--definitions",
        str(REPO / "contracts"),
        *more,
    ]


def test_a_passing_provider_exits_0(crm: Any, pact_file: Path, token: str) -> None:
    result = runner.invoke(
        app,
        args(
            crm,
            pact_file,
            "--state-change-url",
            f"{crm.url}/_states",
            "--header",
            "Authorization: Bearer $CRM_TOKEN",
        ),
    )

    assert result.exit_code == 0, result.output
    assert f"{ACTION}\n  passed: caller with no account manager" in result.stdout
    assert "  passed: known caller" in result.stdout
    assert result.stdout.endswith("Verification passed\n")
    # The engine's own report is caught, not printed.
    assert "Verifying a pact between" not in result.output


def test_a_renamed_field_exits_1_with_its_impact(crm: Any, pact_file: Path, token: str) -> None:
    crm.rename = True

    result = runner.invoke(
        app,
        args(
            crm,
            pact_file,
            "--state-change-url",
            f"{crm.url}/_states",
            "-H",
            "Authorization: Bearer $CRM_TOKEN",
        ),
    )

    assert result.exit_code == 1, result.output
    out = result.stdout
    assert "FAILED: known caller" in out
    assert (
        "mismatch: `customerId` is missing from the response ($.customers[0].customerId); "
        "a new key `customer_id` looks like its rename"
    ) in out
    assert f"genesys impact: {ACTION}'s output `customerId` would fall back to its default" in out


def test_a_python_state_handler_by_name(
    crm: Any, pact_file: Path, token: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "crm_states.py").write_text(
        "import httpx\n"
        f"URL = {crm.url + '/_states'!r}\n"
        "seen = []\n"
        "def set_state(state, action, params):\n"
        "    seen.append((state, action, dict(params)))\n"
        "    httpx.post(URL, json={'state': state, 'action': action, 'params': params})\n"
    )
    monkeypatch.chdir(tmp_path)
    try:
        result = runner.invoke(
            app,
            args(
                crm,
                pact_file,
                "--state-handler",
                "crm_states:set_state",
                "--header",
                "Authorization: Bearer $CRM_TOKEN",
            ),
        )
        assert result.exit_code == 0, result.output
        seen = sys.modules["crm_states"].seen
    finally:
        sys.modules.pop("crm_states", None)
    owns = {"phone": "+13175550123", "customerId": "C-1001"}
    assert ("a customer owns the phone number", "setup", owns) in seen
    assert ("no customer owns the phone number", "teardown", {"phone": "+13175550199"}) in seen


def test_json_and_junit(crm: Any, pact_file: Path, token: str, tmp_path: Path) -> None:
    crm.rename = True
    junit = tmp_path / "reports" / "verify.xml"

    result = runner.invoke(
        app,
        args(
            crm,
            pact_file,
            "--state-change-url",
            f"{crm.url}/_states",
            "--header",
            "Authorization: Bearer $CRM_TOKEN",
            "--output",
            "json",
            "--junit",
            str(junit),
        ),
    )

    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert data["success"] is False
    assert data["summary"] == {"passed": 1, "failed": 2, "pending": 0}
    (action,) = data["actions"]
    assert action["action"] == ACTION
    known = action["examples"][1]
    assert known["example"] == "known caller"
    assert known["impact"]["outputs"][0] == {
        "output": "customerId",
        "change": "default",
        "expected": "C-1001",
        "actual": "",
        "missing": False,
    }
    root = ET.parse(junit).getroot()
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == ACTION
    assert [c.get("name") for c in suite.findall("testcase")] == [
        "caller with no account manager",
        "known caller",
        "unknown caller",
    ]
    assert suite.get("failures") == "2"


def test_custom_header_values_never_appear_anywhere(
    crm: Any, pact_file: Path, tmp_path: Path
) -> None:
    """Run the real console script, so anything the engine prints would show."""
    crm.rename = True
    junit = tmp_path / "verify.xml"
    env = {
        "PATH": str(Path(sys.executable).parent),
        "CRM_TOKEN": crm_provider.TOKEN,
        "PACT_DO_NOT_TRACK": "true",
        "HOME": str(tmp_path),
    }
    outputs = []
    for output in ("text", "json"):
        done = subprocess.run(
            [
                str(Path(sys.executable).parent / "actionpact"),
                *args(
                    crm,
                    pact_file,
                    "--state-change-url",
                    f"{crm.url}/_states",
                    "--header",
                    "Authorization: Bearer $CRM_TOKEN",
                    "--header",
                    f"X-Api-Key: {crm_provider.TOKEN}-key",
                    "--output",
                    output,
                    "--junit",
                    str(junit),
                ),
            ],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=120,
            check=False,
        )
        assert done.returncode == 1, done.stderr
        outputs.extend([done.stdout, done.stderr, junit.read_text()])
    assert all(h.get("authorization") == f"Bearer {crm_provider.TOKEN}" for h in crm.headers)
    assert crm.headers[0]["x-api-key"] == f"{crm_provider.TOKEN}-key"
    assert "would fall back to its default" in outputs[0]
    for text in outputs:
        assert crm_provider.TOKEN not in text


@pytest.mark.parametrize(
    ("more", "message"),
    [
        (["--header", "Authorization: Bearer $NOT_SET_ANYWHERE"], "$NOT_SET_ANYWHERE"),
        (["--state-handler", "a:b", "--state-change-url", "http://x"], "not both"),
        (["--state-handler", "no_module_like_this:fn"], "cannot import"),
        (["--consumer-version-selector", "nope"], "--consumer-version-selector"),
        (["--enable-pending"], "need pacts from a broker"),
        (["--timeout", "0"], "--timeout"),
        (["--publish-verification-results"], "provider version"),
    ],
)
def test_bad_usage_exits_2(crm: Any, pact_file: Path, more: list[str], message: str) -> None:
    result = runner.invoke(app, args(crm, pact_file, *more))

    assert result.exit_code == 2, result.output
    assert message in result.stderr


def test_a_missing_pact_file_and_a_bad_url_exit_2(tmp_path: Path) -> None:
    missing = runner.invoke(
        app,
        [
            "verify",
            "--provider",
            "p",
            "--provider-base-url",
            "http://127.0.0.1:9",
            "--pacts",
            str(tmp_path / "none.json"),
        ],
    )
    assert missing.exit_code == 2
    assert "no such file or folder" in missing.stderr
    bad_url = runner.invoke(
        app, ["verify", "--provider", "p", "--provider-base-url", "ftp://x", "--pacts", "x"]
    )
    assert bad_url.exit_code == 2
    assert "--provider-base-url" in bad_url.stderr


def test_broker_pacts_and_published_results(
    crm: Any, pact_file: Path, token: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from actionpact.broker import BrokerClient, CanIDeployQuery, Selector, read_pact_files
    from actionpact.broker.server import serve_in_thread

    with serve_in_thread(tmp_path / "broker.db") as url:
        with BrokerClient(url) as client:
            client.publish(read_pact_files([pact_file]), version="c1", branch="main")
        monkeypatch.setenv("PACT_BROKER_BASE_URL", url)
        result = runner.invoke(
            app,
            [
                "verify",
                "--provider",
                "example-crm",
                "--provider-base-url",
                crm.url,
                "--state-change-url",
                f"{crm.url}/_states",
                "--header",
                "Authorization: Bearer $CRM_TOKEN",
                "--provider-app-version",
                "p1",
                "--provider-version-branch",
                "main",
                "--publish-verification-results",
                "--enable-pending",
            ],
        )
        assert result.exit_code == 0, result.output
        assert "results published for example-crm p1" in result.stdout
        with BrokerClient(url) as client:
            matrix = client.can_i_deploy(
                CanIDeployQuery((Selector(crm_provider.CONSUMER, version="c1"),))
            )
    assert [(r.provider_version, r.success) for r in matrix.rows] == [("p1", True)]
    assert matrix.deployable is True
