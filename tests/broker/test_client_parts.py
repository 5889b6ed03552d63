"""The client's pure parts: URI templates, retry timing, settings, pact files, the matrix."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from actionpact.broker import (
    BrokerSettings,
    CanIDeployQuery,
    Matrix,
    Resource,
    RetryPolicy,
    Selector,
    expand_template,
    format_matrix_table,
    group_contracts,
    matrix_query_params,
    parse_retry_after,
    read_pact_files,
    redact_url,
    resolve_broker_settings,
)
from actionpact.core.errors import ConfigError, PactFileError

if TYPE_CHECKING:
    from pathlib import Path

# --------------------------------------------------------------------------- HAL


@pytest.mark.parametrize(
    ("template", "params", "expected"),
    [
        (
            "/p/{pacticipant}/v/{version}",
            {"pacticipant": "A B", "version": "1/2"},
            "/p/A%20B/v/1%2F2",
        ),
        ("/p/{name}", {"name": "ü?&#"}, "/p/%C3%BC%3F%26%23"),
        ("{+base}/x", {"base": "http://h/a"}, "http://h/a/x"),
        ("/m{?a,b}", {"a": "1", "b": None}, "/m?a=1"),
        ("/m{?a}", {}, "/m"),
        ("/m?x=1{&a}", {"a": "y z"}, "/m?x=1&a=y%20z"),
        (
            "/can-i-deploy?pacticipant={pacticipant}&version={version}&environment={environment}",
            {"pacticipant": "My Flow", "version": "1.0.0+b", "environment": "prod"},
            "/can-i-deploy?pacticipant=My%20Flow&version=1.0.0%2Bb&environment=prod",
        ),
    ],
)
def test_expand_template(template: str, params: dict[str, Any], expected: str) -> None:
    assert expand_template(template, params) == expected


def test_expand_template_refuses_a_missing_path_variable() -> None:
    with pytest.raises(ValueError, match="'version'"):
        expand_template("/p/{pacticipant}/v/{version}", {"pacticipant": "A"})


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://user:pw@broker.example:8443/x?y=1", "https://broker.example:8443/x?y=1"),
        ("http://token@broker/", "http://broker/"),
        ("http://[::1]:9292/", "http://[::1]:9292/"),
        ("http://u:p@[::1]:9292/", "http://[::1]:9292/"),
    ],
)
def test_redact_url(url: str, expected: str) -> None:
    assert redact_url(url) == expected


def test_resource_links_lists_and_names() -> None:
    resource = Resource(
        "u",
        {
            "_links": {
                "pb:record-deployment": [
                    {"name": "test", "href": "/t"},
                    {"name": "production", "href": "/p", "title": "Record deployment"},
                ],
                "self": {"href": "/self"},
            },
            "_embedded": {"version": {"number": "1"}},
        },
    )
    assert resource.has("self")
    assert not resource.has("pb:publish-contracts")
    assert resource.named_link("pb:record-deployment", "production").href == "/p"  # type: ignore[union-attr]
    assert resource.named_link("pb:record-deployment", "nope") is None
    assert [link.name for link in resource.links("pb:record-deployment")] == ["test", "production"]
    assert resource.links("self")[0].href == "/self"
    assert resource.embedded("version") == ({"number": "1"},)


# --------------------------------------------------------------------------- retry


def test_parse_retry_after() -> None:
    assert parse_retry_after("5", now=0) == 5.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412490.0) == 0.0
    assert parse_retry_after("soon", now=0) is None
    assert parse_retry_after(None, now=0) is None


def test_backoff_is_full_jitter_below_an_exponential_cap() -> None:
    top = RetryPolicy(base_delay=0.5, max_delay=3.0, random=lambda: 0.999999)
    assert [round(top.backoff(n), 3) for n in range(1, 6)] == [0.5, 1.0, 2.0, 3.0, 3.0]
    bottom = RetryPolicy(random=lambda: 0.0)
    assert bottom.backoff(3) == 0.0


def test_retry_after_is_capped() -> None:
    policy = RetryPolicy(max_retry_after=5.0, wall_clock=lambda: 0.0)
    assert policy.delay(1, "120") == 5.0
    assert policy.delay(1, "2") == 2.0


def test_retry_policy_rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="max_attempts"):
        RetryPolicy(max_attempts=0)
    with pytest.raises(ValueError, match="negative"):
        RetryPolicy(max_total=-1)


# --------------------------------------------------------------------------- settings

ENV_URL = {"PACT_BROKER_BASE_URL": "https://env.example"}


def write_config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "actionpact.yaml"
    path.write_text(text)
    return path


def test_flag_beats_environment_beats_config_beats_default(tmp_path: Path) -> None:
    config = write_config(tmp_path, "broker:\n  base_url: https://config.example/\n")
    flag = resolve_broker_settings(
        base_url="https://flag.example", environ=ENV_URL, config_file=config
    )
    assert (flag.base_url, flag.source) == ("https://flag.example", "flag")
    env = resolve_broker_settings(environ=ENV_URL, config_file=config)
    assert (env.base_url, env.source) == ("https://env.example", "environment")
    from_file = resolve_broker_settings(environ={}, config_file=config)
    assert (from_file.base_url, from_file.source) == ("https://config.example", "config")
    default = resolve_broker_settings(environ={}, config_file=tmp_path / "missing.yaml")
    assert default.uses_local_broker
    assert default.source == "default"


def test_credentials_come_from_the_environment_and_never_show(tmp_path: Path) -> None:
    settings = resolve_broker_settings(
        environ={**ENV_URL, "PACT_BROKER_TOKEN": "tok-123"}, config_file=None
    )
    assert settings.token == "tok-123"
    assert "tok-123" not in repr(settings)
    basic = resolve_broker_settings(
        base_url="https://alice:pw%21@b.example",
        environ={},
        config_file=None,
    )
    assert (basic.base_url, basic.username, basic.password) == ("https://b.example", "alice", "pw!")
    assert "pw!" not in repr(basic)
    env_user = {"PACT_BROKER_USERNAME": "bob", "PACT_BROKER_PASSWORD": "env-pw"}
    flag_wins = resolve_broker_settings(
        base_url="https://alice:pw@b.example", environ=env_user, config_file=None
    )
    assert (flag_wins.username, flag_wins.password) == ("alice", "pw")
    env_wins = resolve_broker_settings(
        environ={**env_user, "PACT_BROKER_BASE_URL": "https://alice:pw@b.example"},
        config_file=None,
    )
    assert (env_wins.username, env_wins.password) == ("bob", "env-pw")


@pytest.mark.parametrize("key", ["token", "password"])
def test_a_secret_in_the_config_file_is_refused(tmp_path: Path, key: str) -> None:
    config = write_config(tmp_path, f"broker:\n  base_url: https://b\n  {key}: hunter2\n")
    with pytest.raises(ConfigError) as caught:
        resolve_broker_settings(environ={}, config_file=config)
    assert caught.value.setting == f"broker.{key}"
    assert "hunter2" not in str(caught.value)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("broker: [1]\n", "must be a mapping"),
        ("broker:\n  base_url: ftp://x\n", "not an http"),
        ("broker: {base_url: [\n", "not valid YAML at line"),
    ],
)
def test_bad_config_files(tmp_path: Path, text: str, match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        resolve_broker_settings(environ={}, config_file=write_config(tmp_path, text))


def test_token_and_username_together_are_refused() -> None:
    with pytest.raises(ConfigError, match="not both"):
        resolve_broker_settings(
            environ={**ENV_URL, "PACT_BROKER_TOKEN": "t", "PACT_BROKER_USERNAME": "u"},
            config_file=None,
        )


def test_settings_dataclass_is_frozen() -> None:
    settings = BrokerSettings(base_url=None)
    with pytest.raises(AttributeError):
        settings.base_url = "x"  # type: ignore[misc]


# --------------------------------------------------------------------------- pact files


def pact(consumer: str, provider: str, *interactions: dict[str, Any]) -> dict[str, Any]:
    return {
        "consumer": {"name": consumer},
        "provider": {"name": provider},
        "interactions": list(interactions),
        "metadata": {"pactSpecification": {"version": "4.0"}},
    }


def interaction(description: str, status: int = 200) -> dict[str, Any]:
    return {
        "type": "Synchronous/HTTP",
        "description": description,
        "providerStates": [{"name": "a customer exists"}],
        "request": {"method": "GET", "path": "/x"},
        "response": {"status": status},
    }


@pytest.mark.parametrize(
    ("content", "field", "reason"),
    [
        ("{not json", None, "not valid JSON"),
        ("[]", None, "must be a JSON object"),
        (json.dumps({"provider": {"name": "P"}}), "consumer", "no consumer object"),
        (json.dumps({"consumer": {"name": " "}, "provider": {"name": "P"}}), "consumer.name", ""),
        (json.dumps({"consumer": {"name": "C"}, "provider": {}}), "provider.name", "no provider"),
    ],
)
def test_invalid_pact_files_name_the_file_and_field(
    tmp_path: Path, content: str, field: str | None, reason: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(PactFileError) as caught:
        read_pact_files([path])
    assert caught.value.file == path
    assert caught.value.path == field
    assert str(caught.value).startswith(str(path))
    assert reason in str(caught.value)


def test_directories_mean_their_json_files(tmp_path: Path) -> None:
    (tmp_path / "b.json").write_text(json.dumps(pact("C", "P2")))
    (tmp_path / "a.json").write_text(json.dumps(pact("C", "P1")))
    (tmp_path / "notes.txt").write_text("not a pact")
    files = read_pact_files([tmp_path, tmp_path / "a.json"])
    assert [f.path.name for f in files] == ["a.json", "b.json"]
    with pytest.raises(PactFileError, match="no such file"):
        read_pact_files([tmp_path / "nope"])
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(PactFileError, match=r"no pact files \(\*\.json\)"):
        read_pact_files([empty])


def test_pacts_of_one_integration_are_merged(tmp_path: Path) -> None:
    (tmp_path / "1.json").write_text(json.dumps(pact("C", "P", interaction("a"), interaction("b"))))
    (tmp_path / "2.json").write_text(json.dumps(pact("C", "P", interaction("b"), interaction("c"))))
    (tmp_path / "3.json").write_text(json.dumps(pact("C", "Q", interaction("a"))))
    (tmp_path / "4.json").write_text(json.dumps(pact("D", "P", interaction("a"))))
    grouped = group_contracts(read_pact_files([tmp_path]))
    assert sorted(grouped) == ["C", "D"]
    merged = next(c for c in grouped["C"] if c.provider == "P")
    assert [p.name for p in merged.paths] == ["1.json", "2.json"]
    assert [i["description"] for i in json.loads(merged.text)["interactions"]] == ["a", "b", "c"]
    single = next(c for c in grouped["C"] if c.provider == "Q")
    assert single.text == (tmp_path / "3.json").read_text()


def test_conflicting_interactions_are_not_merged(tmp_path: Path) -> None:
    (tmp_path / "1.json").write_text(json.dumps(pact("C", "P", interaction("a", 200))))
    (tmp_path / "2.json").write_text(json.dumps(pact("C", "P", interaction("a", 404))))
    with pytest.raises(PactFileError, match="'a' is also in an earlier pact") as caught:
        group_contracts(read_pact_files([tmp_path]))
    assert caught.value.file == tmp_path / "2.json"


# --------------------------------------------------------------------------- matrix


def test_matrix_query_matches_the_official_client() -> None:
    one = CanIDeployQuery((Selector("Foo", version="1"),), to_environment="production")
    assert matrix_query_params(one) == [
        ("q[][pacticipant]", "Foo"),
        ("q[][version]", "1"),
        ("latestby", "cvp"),
        ("environment", "production"),
    ]
    tagged = CanIDeployQuery(
        (Selector("Foo", branch="main"), Selector("Bar", latest=True, tag="prod")),
        to_tag="prod",
        ignore=(Selector("Baz"),),
    )
    assert matrix_query_params(tagged) == [
        ("q[][pacticipant]", "Foo"),
        ("q[][branch]", "main"),
        ("q[][pacticipant]", "Bar"),
        ("q[][latest]", "true"),
        ("q[][tag]", "prod"),
        ("latestby", "cvpv"),
        ("latest", "true"),
        ("tag", "prod"),
        ("ignore[][pacticipant]", "Baz"),
    ]
    with pytest.raises(ValueError, match="not both"):
        CanIDeployQuery((Selector("Foo"),), to_environment="e", to_tag="t")


S5 = {
    "summary": {
        "deployable": None,
        "reason": "There is no verified pact between version 1.0.0 of S5C and a version of S5P "
        "currently in production (no version is currently recorded as deployed/released in "
        "this environment)",
        "success": 0,
        "failed": 0,
        "unknown": 1,
    },
    "notices": [{"type": "warning", "text": "There is no verified pact..."}],
    "matrix": [
        {
            "consumer": {"name": "S5C", "version": {"number": "1.0.0"}},
            "provider": {"name": "S5P", "version": None},
            "pact": {"createdAt": "2026-01-01T00:00:00+00:00"},
            "verificationResult": None,
        }
    ],
}

SHA = "a" * 40


def test_unknown_matrix_is_not_deployable_and_shows_question_marks() -> None:
    matrix = Matrix.from_json(S5)
    assert matrix.deployable is None
    assert matrix.any_unknown
    assert matrix.unknown == 1
    assert format_matrix_table(matrix).splitlines() == [
        "CONSUMER | C.VERSION | PROVIDER | P.VERSION | SUCCESS? | RESULT#",
        "---------|-----------|----------|-----------|----------|--------",
        "S5C      | 1.0.0     | S5P      | ???       | ???      |",
    ]


def test_table_lists_verification_results_and_abbreviates_shas() -> None:
    row = {
        "consumer": {"name": "Flow", "version": {"number": SHA}},
        "provider": {"name": "CRM", "version": {"number": "p1"}},
        "verificationResult": {"success": False, "_links": {"self": {"href": "http://b/v/1"}}},
    }
    ignored = {
        "consumer": {"name": "Bot", "version": {"number": "1"}},
        "provider": {"name": "CRM", "version": {"number": "p1"}},
        "verificationResult": {"success": True},
        "ignored": True,
    }
    body = {"summary": {"deployable": False, "reason": "failed"}, "matrix": [row, ignored]}
    matrix = Matrix.from_json(body)
    assert matrix.deployable is False
    assert not matrix.any_unknown  # an old broker without counts
    assert format_matrix_table(matrix).splitlines() == [
        "CONSUMER | C.VERSION  | PROVIDER | P.VERSION | SUCCESS?       | RESULT#",
        "---------|------------|----------|-----------|----------------|--------",
        "Bot      | 1          | CRM      | p1        | true [ignored] |",
        "Flow     | aaaaaaa... | CRM      | p1        | false          | 1",
        "",
        "VERIFICATION RESULTS",
        "--------------------",
        "1. http://b/v/1 (failure)",
    ]
    assert format_matrix_table(Matrix.from_json({"summary": {}, "matrix": []})) == ""


def test_broker_all_is_unique_and_resolves() -> None:
    from actionpact import broker

    # the order is ruff's (RUF022: constants, classes, functions)
    assert len(broker.__all__) == len(set(broker.__all__))
    for name in broker.__all__:
        assert getattr(broker, name) is not None, name
