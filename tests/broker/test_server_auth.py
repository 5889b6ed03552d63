"""Authentication as the official broker image (basic, read-only) and PactFlow (bearer)."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from typing import TYPE_CHECKING

import httpx
import pytest
from typer.testing import CliRunner

from actionpact.broker.server import BrokerAuth, check_bind, serve_in_thread
from actionpact.cli import app
from actionpact.core.errors import ConfigError

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

pytestmark = pytest.mark.e2e

AUTH = BrokerAuth(
    username="writer",
    password="w-secret",
    read_only_username="reader",
    read_only_password="r-secret",
    token="t-secret",
)
PUBLISH = {"pacticipantName": "Foo", "pacticipantVersionNumber": "1", "contracts": []}


@pytest.fixture
def secured(broker_db: Path) -> Iterator[str]:
    with serve_in_thread(broker_db, auth=AUTH) as url:
        yield url


def _client(url: str, **kwargs: object) -> httpx.Client:
    return httpx.Client(base_url=url, timeout=30, **kwargs)  # type: ignore[arg-type]


def test_no_credentials_is_401(secured: str) -> None:
    with _client(secured) as client:
        response = client.get("/")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Basic realm="Restricted area"'
    with _client(secured, auth=("writer", "wrong")) as client:
        assert client.get("/").status_code == 401


def test_read_write_user(secured: str) -> None:
    with _client(secured, auth=("writer", "w-secret")) as client:
        assert client.get("/").status_code == 200
        assert client.post("/contracts/publish", json=PUBLISH).status_code == 200
        assert client.post("/pacticipants", json={"name": "Bar"}).status_code == 201


def test_read_only_user_reads_and_is_forbidden_to_write(secured: str) -> None:
    with _client(secured, auth=("writer", "w-secret")) as writer:
        writer.post("/pacticipants", json={"name": "Bar"})
    with _client(secured, auth=("reader", "r-secret")) as reader:
        assert reader.get("/pacticipants/Bar").status_code == 200
        assert reader.post("/contracts/publish", json=PUBLISH).status_code == 403
        assert reader.put("/pacticipants/Bar/versions/1", json={}).status_code == 403
        # pacts for verification is a read, even as a POST (as in the official image)
        response = reader.post("/pacts/provider/Bar/for-verification", json={})
        assert response.status_code == 200


def test_bearer_token(secured: str) -> None:
    with _client(secured, headers={"Authorization": "Bearer t-secret"}) as client:
        assert client.post("/contracts/publish", json=PUBLISH).status_code == 200
    with _client(secured, headers={"Authorization": "Bearer nope"}) as client:
        assert client.get("/").status_code == 401


def test_public_read_and_heartbeat(broker_db: Path) -> None:
    auth = BrokerAuth(username="writer", password="w", allow_public_read=True)
    with serve_in_thread(broker_db, auth=auth) as url, _client(url) as client:
        assert client.get("/").status_code == 200
        assert client.post("/contracts/publish", json=PUBLISH).status_code == 401
    auth = BrokerAuth(username="writer", password="w", public_heartbeat=True)
    with serve_in_thread(broker_db, auth=auth) as url, _client(url) as client:
        assert client.get("/diagnostic/status/heartbeat").status_code == 200
        assert client.get("/").status_code == 401


def test_token_only_challenges_with_bearer(broker_db: Path) -> None:
    with serve_in_thread(broker_db, auth=BrokerAuth(token="t")) as url, _client(url) as client:
        assert client.get("/").headers["www-authenticate"] == "Bearer"


def test_auth_from_the_official_environment_names() -> None:
    auth = BrokerAuth.from_env(
        {
            "PACT_BROKER_BASIC_AUTH_USERNAME": "u",
            "PACT_BROKER_BASIC_AUTH_PASSWORD": "pw-1",
            "PACT_BROKER_BASIC_AUTH_READ_ONLY_USERNAME": "ru",
            "PACT_BROKER_BASIC_AUTH_READ_ONLY_PASSWORD": "pw-2",
            "ACTIONPACT_BROKER_TOKEN": "tok-3",
            "PACT_BROKER_ALLOW_PUBLIC_READ": "true",
        }
    )
    assert auth == BrokerAuth("u", "pw-1", "ru", "pw-2", "tok-3", allow_public_read=True)
    assert not any(secret in repr(auth) for secret in ("pw-1", "pw-2", "tok-3"))
    assert not BrokerAuth.from_env({}).configured


# --------------------------------------------------------------------------- listening


def test_open_broker_only_on_loopback(broker_db: Path) -> None:
    check_bind("127.0.0.1", None)
    check_bind("localhost", None)
    check_bind("::1", None)
    check_bind("0.0.0.0", AUTH)
    with pytest.raises(
        ConfigError, match=r"refusing to listen on 0\.0\.0\.0 without authentication"
    ):
        check_bind("0.0.0.0", None)
    with pytest.raises(ConfigError), serve_in_thread(broker_db, host="192.168.1.10"):
        pytest.fail("serving on a LAN address without credentials must be refused")


def test_cli_refuses_a_public_address_without_credentials(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["broker", "serve", "--host", "0.0.0.0", "--db", str(tmp_path / "b.db")]
    )
    assert result.exit_code == 2
    assert "refusing to listen on 0.0.0.0 without authentication" in result.output


def test_cli_wants_both_username_and_password(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["broker", "serve", "--db", str(tmp_path / "b.db")],
        env={"PACT_BROKER_BASIC_AUTH_USERNAME": "u"},
    )
    assert result.exit_code == 2
    assert "PACT_BROKER_BASIC_AUTH_PASSWORD is not set" in result.output


def test_cli_serves_with_credentials_from_the_environment_and_never_logs_them(
    tmp_path: Path,
) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "PACT_BROKER_BASIC_AUTH_USERNAME": "writer",
        "PACT_BROKER_BASIC_AUTH_PASSWORD": "s3cr3t-pw",
        "ACTIONPACT_BROKER_TOKEN": "tok-123",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "actionpact",
            "broker",
            "serve",
            "--port",
            "0",
            "--db",
            str(tmp_path / "b.db"),
            "--log-level",
            "debug",
        ],
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        match = re.search(r"(http://127\.0\.0\.1:\d+)", line)
        assert match, line
        url = match.group(1)
        assert "with authentication" in line
        for _ in range(300):
            try:
                httpx.get(url + "/", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.05)
        assert httpx.get(url + "/").status_code == 401
        assert httpx.get(url + "/", auth=("writer", "s3cr3t-pw")).status_code == 200
        assert httpx.get(url + "/", headers={"Authorization": "Bearer tok-123"}).status_code == 200
    finally:
        process.terminate()
        out, err = process.communicate(timeout=15)
    assert "s3cr3t-pw" not in out + line + err
    assert "tok-123" not in out + line + err
