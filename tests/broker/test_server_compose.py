"""docker-compose.yml and broker/: the official broker with PostgreSQL, no secrets committed.

Docker cannot run here; these checks keep the files consistent with what the official image
expects and with the README.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
SECRETS = (
    "PACT_BROKER_DATABASE_PASSWORD",
    "PACT_BROKER_BASIC_AUTH_PASSWORD",
    "PACT_BROKER_BASIC_AUTH_READ_ONLY_PASSWORD",
)


def _compose() -> dict[str, Any]:
    return dict(yaml.safe_load((REPO / "docker-compose.yml").read_text()))


def _env_file(name: str) -> dict[str, str]:
    pairs = {}
    for line in (REPO / "broker" / name).read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            pairs[key.strip()] = value.strip()
    return pairs


def test_services_images_and_order() -> None:
    services = _compose()["services"]
    assert set(services) == {"postgres", "pact-broker"}
    assert "pactfoundation/pact-broker" in services["pact-broker"]["image"]
    assert "postgres" in services["postgres"]["image"]
    assert services["pact-broker"]["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    assert services["pact-broker"]["ports"][0].startswith("127.0.0.1:")


def test_health_check_uses_the_public_heartbeat() -> None:
    broker = _compose()["services"]["pact-broker"]
    assert "/diagnostic/status/heartbeat" in " ".join(broker["healthcheck"]["test"])
    assert _env_file("pact-broker.env")["PACT_BROKER_PUBLIC_HEARTBEAT"] == "true"
    assert "pg_isready" in " ".join(_compose()["services"]["postgres"]["healthcheck"]["test"])


def test_passwords_come_from_the_environment_only() -> None:
    text = (REPO / "docker-compose.yml").read_text()
    for secret in SECRETS:
        assert re.search(rf"\$\{{{secret}:\?[^}}]+\}}", text), secret
    for name in ("pact-broker.env", "postgres.env"):
        values = _env_file(name)
        assert not any("PASSWORD" in key for key in values), name
    example = _env_file(".env.example")
    assert set(example) == set(SECRETS)
    assert set(example.values()) == {"replace-me"}


def test_broker_settings_match_the_official_image() -> None:
    env = _env_file("pact-broker.env")
    assert env["PACT_BROKER_DATABASE_ADAPTER"] == "postgres"
    assert env["PACT_BROKER_DATABASE_HOST"] == "postgres"
    postgres = _env_file("postgres.env")
    assert env["PACT_BROKER_DATABASE_NAME"] == postgres["POSTGRES_DB"]
    assert env["PACT_BROKER_DATABASE_USERNAME"] == postgres["POSTGRES_USER"]
    assert env["PACT_BROKER_BASIC_AUTH_USERNAME"]
    assert env["PACT_BROKER_BASIC_AUTH_READ_ONLY_USERNAME"]


def test_readme_explains_the_three_brokers() -> None:
    readme = (REPO / "broker" / "README.md").read_text()
    for needle in (
        "actionpact broker serve",
        "docker compose --env-file broker/.env up -d",
        "PACT_BROKER_BASE_URL",
        "PACT_BROKER_TOKEN",
        "PactFlow",
        "ACTIONPACT_BROKER_TOKEN",
    ):
        assert needle in readme, needle
