"""Fixtures for the local broker: a real server on 127.0.0.1 (port 0) over a tmp SQLite file,
and a small driver that does what the official clients do (publish, verify, deploy, ask)."""

from __future__ import annotations

import base64
import json
from typing import TYPE_CHECKING, Any

import httpx
import pytest

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

HAL = {"Accept": "application/hal+json, application/json"}


def make_pact(consumer: str, provider: str, rev: int = 0, interactions: int = 10) -> dict[str, Any]:
    """A V4 pact whose content changes with ``rev`` (same ``rev``, same content)."""
    return {
        "consumer": {"name": consumer},
        "provider": {"name": provider},
        "interactions": [
            {
                "type": "Synchronous/HTTP",
                "description": f"request {i} (rev {rev})",
                "pending": False,
                "providerStates": [{"name": f"state {i}", "params": {"id": i}}],
                "request": {"method": "GET", "path": f"/items/{i}"},
                "response": {
                    "status": 200,
                    "headers": {"Content-Type": ["application/json"]},
                    "body": {
                        "content": {"id": i, "rev": rev},
                        "contentType": "application/json",
                        "encoded": False,
                    },
                },
            }
            for i in range(interactions)
        ],
        "metadata": {"pactSpecification": {"version": "4.0"}},
    }


class Driver:
    """Calls the broker the way the official clients do, through the HAL links."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client

    def publish(
        self,
        consumer: str,
        version: str,
        providers: list[str] | str,
        *,
        rev: int = 0,
        branch: str | None = "main",
        tags: list[str] | None = None,
    ) -> httpx.Response:
        providers = [providers] if isinstance(providers, str) else providers
        body: dict[str, Any] = {
            "pacticipantName": consumer,
            "pacticipantVersionNumber": version,
            "tags": ["main"] if tags is None else tags,
            "contracts": [
                {
                    "consumerName": consumer,
                    "providerName": provider,
                    "specification": "pact",
                    "contentType": "application/json",
                    "content": base64.b64encode(
                        json.dumps(make_pact(consumer, provider, rev)).encode()
                    ).decode(),
                }
                for provider in providers
            ],
        }
        if branch is not None:
            body["branch"] = branch
        return self.client.post("/contracts/publish", json=body)

    def verify(
        self,
        consumer: str,
        version: str,
        provider: str,
        provider_version: str,
        *,
        success: bool = True,
        branch: str | None = "main",
    ) -> httpx.Response:
        pact = self.client.get(f"/pacts/provider/{provider}/consumer/{consumer}/version/{version}")
        assert pact.status_code == 200, pact.text
        href = pact.json()["_links"]["pb:publish-verification-results"]["href"]
        body: dict[str, Any] = {"success": success, "providerApplicationVersion": provider_version}
        if branch is not None:
            body["providerVersionBranch"] = branch
        return self.client.post(href, json=body)

    def environment_uuid(self, name: str) -> str:
        envs = self.client.get("/environments").json()["_embedded"]["environments"]
        return str(next(env["uuid"] for env in envs if env["name"] == name))

    def deploy(
        self,
        pacticipant: str,
        version: str,
        environment: str = "production",
        body: dict[str, Any] | None = None,
    ) -> httpx.Response:
        env = self.environment_uuid(environment)
        return self.client.post(
            f"/pacticipants/{pacticipant}/versions/{version}/deployed-versions/environment/{env}",
            json=body or {},
        )

    def release(
        self, pacticipant: str, version: str, environment: str = "production"
    ) -> httpx.Response:
        env = self.environment_uuid(environment)
        return self.client.post(
            f"/pacticipants/{pacticipant}/versions/{version}/released-versions/environment/{env}",
            json={},
        )

    def can_i_deploy(
        self,
        pacticipant: str,
        version: str,
        environment: str = "production",
        extra: list[tuple[str, str]] | None = None,
    ) -> dict[str, Any]:
        params: list[tuple[str, str | int | float | bool | None]] = [
            ("pacticipant", pacticipant),
            ("version", version),
            ("environment", environment),
        ]
        params += extra or []
        response = self.client.get("/can-i-deploy", params=params)
        assert response.status_code == 200, response.text
        return dict(response.json())

    def matrix(self, query: str) -> httpx.Response:
        return self.client.get(f"/matrix?{query}")


@pytest.fixture
def pact_factory() -> Any:
    """``make_pact(consumer, provider, rev=0, interactions=10)`` for tests that build pacts."""
    return make_pact


@pytest.fixture
def broker_db(tmp_path: Path) -> Path:
    """A fresh database file for one test."""
    return tmp_path / "broker.db"


@pytest.fixture
def broker_url(broker_db: Path) -> Iterator[str]:
    """A real local broker on 127.0.0.1 (a free port), with no authentication."""
    from actionpact.broker.server import serve_in_thread

    with serve_in_thread(broker_db) as url:
        yield url


@pytest.fixture
def http(broker_url: str) -> Iterator[httpx.Client]:
    """An httpx client for the served broker, sending the official clients' Accept header."""
    with httpx.Client(base_url=broker_url, headers=HAL, timeout=30) as client:
        yield client


@pytest.fixture
def driver(http: httpx.Client) -> Driver:
    """Publish/verify/deploy/ask helpers over the served broker."""
    return Driver(http)
