"""``actionpact.yaml``: defaults, provider naming rules, consumer split, errors."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import pytest

from actionpact.contracts._config import (
    DEFAULT_CONSUMER,
    PLATFORM_PROVIDER,
    ProjectConfig,
    default_provider_name,
    load_config,
    url_host,
)
from actionpact.core.errors import ConfigError
from actionpact.definition import ActionDefinition, RequestConfig, ResponseConfig

if TYPE_CHECKING:
    from pathlib import Path


def definition(
    url: str, *, integration: str | None = "custom-rest-actions", method: str = "GET"
) -> ActionDefinition:
    return ActionDefinition(
        name="Lookup",
        shape="export",
        integration_type=integration,
        action_type="custom",
        request=RequestConfig(url, method, {}, "${input.rawRequest}"),
        response=ResponseConfig({}, {}, "${rawResult}"),
        input_schema=None,
        output_schema=None,
        raw={},
        content_hash="0" * 64,
    )


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "actionpact.yaml"
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def test_defaults_without_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ACTIONPACT_CONFIG", raising=False)
    config = load_config()
    assert config == ProjectConfig()
    assert config.consumer == DEFAULT_CONSUMER
    assert config.specification == "V4"


def test_found_in_the_current_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "consumer: ivr-flows\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ACTIONPACT_CONFIG", raising=False)
    assert load_config().consumer == "ivr-flows"


def test_every_setting(tmp_path: Path) -> None:
    config = load_config(
        write(
            tmp_path,
            """
            consumer: ivr-flows
            pact_specification: v3
            output: out/pacts
            min_coverage: 75
            consumers: {reads: ivr-reads, writes: ivr-writes}
            providers:
              - name: example-crm
                host: "*.example-crm.com"
              - name: routing
                integration: purecloud-data-actions
                url: /api/v2/routing/*
            credentials:
              example-crm: {apiToken: EXAMPLE_CRM_TOKEN}
            """,
        )
    )
    assert config.specification == "V3"
    assert config.output == tmp_path / "out" / "pacts"
    assert config.min_coverage == 75.0
    crm = definition("https://api.example-crm.com/customers?phone=${input.phone}")
    assert config.provider_for(crm) == "example-crm"
    routing = definition("/api/v2/routing/queues/${input.id}", integration="purecloud-data-actions")
    assert config.provider_for(routing) == "routing"
    users = definition("/api/v2/users/${input.id}", integration="purecloud-data-actions")
    assert config.provider_for(users) == PLATFORM_PROVIDER
    assert config.consumer_for(crm) == "ivr-reads"
    assert config.consumer_for(definition("https://x.io/", method="POST")) == "ivr-writes"
    # A --consumer flag wins over the split.
    assert config.consumer_for(crm, "flows") == "flows"
    assert dict(config.credential_env("example-crm")) == {"apiToken": "EXAMPLE_CRM_TOKEN"}
    assert dict(config.credential_env("other")) == {}


@pytest.mark.parametrize(
    ("url", "integration", "provider"),
    [
        ("https://api.example.com/v1/x", "custom-rest-actions", "api.example.com"),
        ("https://user@API.Example.com:8443/x", "custom-rest-actions", "api.example.com"),
        ("https://${input.tenant}.zendesk.com/api/v2", "custom-rest-actions", "zendesk.com"),
        ("/api/v2/users/${input.id}", "purecloud-data-actions", PLATFORM_PROVIDER),
        ("/api/v2/users/${input.id}", None, PLATFORM_PROVIDER),
        ("/services/data/v37.0/query", "salesforce-datadip", "salesforce"),
        ("/api/data/v8.1/leads", "microsoft-dynamics-data-actions", "microsoft-dynamics"),
        ("${credentials.loginUrl}", "custom-rest-actions", "custom-rest-actions"),
    ],
)
def test_default_provider_names(url: str, integration: str | None, provider: str) -> None:
    assert default_provider_name(definition(url, integration=integration)) == provider


def test_url_host_of_a_relative_url_is_none() -> None:
    assert url_host("/api/v2/x") is None


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("consumr: x\n", "line 1: unknown key 'consumr'; did you mean 'consumer'?"),
        ("pact_specification: V5\n", "expected V4 or V3"),
        ("min_coverage: 120\n", "between 0 and 100"),
        (
            "providers:\n  - name: x\n    hots: a\n",
            "line 3: unknown key 'hots'; did you mean 'host'?",
        ),
        ("providers:\n  - name: x\n", "needs at least one of host"),
        ("consumers: {reads: a}\n", "missing required key 'writes'"),
        ("credentials: {crm: {token: not-an-env}}\n", "not an environment variable name"),
        ("consumer: [a]\n", "expected a string, got a list"),
    ],
)
def test_errors(tmp_path: Path, text: str, needle: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert needle in str(caught.value)
    assert caught.value.file == path


def test_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        load_config(tmp_path / "nope.yaml")


def test_env_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "consumer: from-env\n")
    monkeypatch.setenv("ACTIONPACT_CONFIG", str(path))
    other = tmp_path / "elsewhere"
    other.mkdir()
    monkeypatch.chdir(other)
    assert load_config().consumer == "from-env"


def test_redact_section(tmp_path: Path) -> None:
    file = tmp_path / "actionpact.yaml"
    file.write_text(
        "redact:\n"
        "  paths: ['$.customers[*].name']\n"
        "  patterns: {account: 'ACC-[0-9]+'}\n"
        "  defaults: false\n",
        encoding="utf-8",
    )
    config = load_config(file)
    assert config.redact.paths == ("$.customers[*].name",)
    assert dict(config.redact.patterns) == {"account": "ACC-[0-9]+"}
    assert config.redact.defaults is False


def test_redact_pattern_must_be_a_regex(tmp_path: Path) -> None:
    file = tmp_path / "actionpact.yaml"
    file.write_text("redact:\n  patterns:\n    bad: '([a-z'\n", encoding="utf-8")
    with pytest.raises(
        ConfigError, match=r"actionpact.yaml: redact.patterns.bad: line 3: not a regular expression"
    ):
        load_config(file)
