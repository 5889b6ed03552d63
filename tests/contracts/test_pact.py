"""The pact adapter: building, the mock-server exercise, joining batches, requests."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from actionpact.contracts._join import PactJoiner
from actionpact.contracts._matchers import Contains, EachLike, Like, Term
from actionpact.contracts._pact import (
    HttpRequest,
    HttpResponse,
    InteractionSpec,
    build_pact,
    exercise_batch,
    mask_secrets,
)
from actionpact.contracts._requests import RequestProblem, build_request
from actionpact.contracts._spec import ProviderState
from actionpact.core.errors import ContractError
from actionpact.genesys import RenderedRequest

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.e2e


def spec(number: int, *, status: int = 200) -> InteractionSpec:
    return InteractionSpec(
        description=f"Action {number:02d}: example ü",
        states=(ProviderState("a thing exists", {"id": number}),) if number % 2 else (),
        request=HttpRequest(
            method="GET" if number % 3 else "POST",
            path=f"/things/{number}",
            query=(("q", "a b+c", None), ("key", "<redacted>", "^.+$")),
            headers=(("Authorization", "Bearer <credentials.token>", "^Bearer .+$"),),
            body=None if number % 3 else json.dumps({"n": number, "ratio": 0.1}),
            content_type=None if number % 3 else "application/json",
        ),
        response=HttpResponse(
            status=status,
            body={
                "id": Like(number, "integer"),
                "ratio": Like(1.5e-7, "number"),
                "big": Like(1e20, "number"),
                "tier": Term("gold", "^(gold|silver)$"),
                "items": EachLike(({"v": Like("x")}, {"v": "y"}), 1),
                "emails": Contains(({"type": "work", "value": Like("a@b.c")},)),
                "name": "Zoë",
            },
        ),
        origin={"definition": f"Action {number}", "contentHash": "0" * 64, "example": "e"},
    )


@pytest.mark.parametrize("version", ["V4", "V3"])
def test_pacts_are_the_same_whatever_the_order(version: str) -> None:
    specs = [spec(n) for n in range(7)]
    text = build_pact("flow", "api", specs, specification=version)
    assert build_pact("flow", "api", list(reversed(specs)), specification=version) == text
    pact = json.loads(text)
    descriptions = [i["description"] for i in pact["interactions"]]
    assert descriptions == sorted(descriptions)
    interaction = pact["interactions"][1]
    content = interaction["response"]["body"]
    content = content["content"] if version == "V4" else content
    # Floats and non-ASCII text as written: 1e20 stays a number, Zoë stays Zoë.
    assert content["big"] == 1e20
    assert content["ratio"] == 1.5e-7
    assert content["name"] == "Zoë"
    assert "Zoë" in text
    if version == "V4":
        assert interaction["comments"]["actionpact"]["definition"] == "Action 1"
        rules = interaction["response"]["matchingRules"]["body"]
        assert rules["$.tier"]["matchers"] == [{"match": "regex", "regex": "^(gold|silver)$"}]
        assert rules["$.emails"]["matchers"][0]["match"] == "arrayContains"


def test_the_mock_server_answers_each_interaction() -> None:
    exchanges = exercise_batch("flow", "api", [spec(1), spec(3, status=404)])
    first, second = exchanges
    assert first.status == 200
    assert json.loads(first.body)["items"] == [{"v": "x"}, {"v": "y"}]
    assert first.mismatches == ()
    assert second.status == 404


def test_a_request_the_pact_does_not_expect_is_a_mismatch() -> None:
    good = spec(1)
    # A raw space in the stated path: the request goes out encoded (`%20`) and no longer
    # matches what the pact says, as any drift between request and pact would.
    drifted = InteractionSpec(
        good.description,
        good.states,
        HttpRequest("GET", "/things/a b", good.request.query, good.request.headers),
        good.response,
    )
    exchanges = exercise_batch("flow", "api", [drifted])
    assert exchanges[0].status == 500
    assert exchanges[0].mismatches


def test_extra_metadata_is_added_pact_style() -> None:
    text = build_pact("flow", "api", [spec(1)], extra_metadata={"interactions": {"x": {"a": 1}}})
    pact = json.loads(text)
    assert pact["metadata"]["actionpact"] == {"interactions": {"x": {"a": 1}}}
    assert "pactSpecification" in pact["metadata"]
    assert '\n  "metadata": {\n    "actionpact": {\n      "interactions": {\n' in text


def test_mask_secrets() -> None:
    assert mask_secrets("token abc123 and abc", ["abc123", "abc", None, ""]) == "token *** and ***"


# --------------------------------------------------------------------------- requests


def rendered(
    url: str,
    headers: dict[str, str] | None = None,
    body: str | None = None,
    method: str = "GET",
) -> RenderedRequest:
    return RenderedRequest(method=method, url=url, headers=headers or {}, body=body)


def test_credentials_become_regexes_with_the_literal_text_around_them() -> None:
    request = build_request(
        rendered(
            "https://api.example.com/v1/x%20y?apiKey=<credentials.key>&q=a+b",
            {"Authorization": "Basic PGNyZWRlbnRpYWxzLmlkPjo8Y3JlZGVudGlhbHMuc2VjcmV0Pg=="},
        ),
        rendered(
            "https://api.example.com/v1/x%20y?apiKey=0000000000000000&q=a+b",
            {"Authorization": "Basic MDAwMDAwMDAwMDAwMDAwMDowMDAwMDAwMDAwMDAwMDAw"},
        ),
    )
    assert request.path == "/v1/x%20y"
    assert request.query == (("apiKey", "<credentials.key>", "^.+$"), ("q", "a b", None))
    assert request.headers == (
        (
            "Authorization",
            "Basic PGNyZWRlbnRpYWxzLmlkPjo8Y3JlZGVudGlhbHMuc2VjcmV0Pg==",
            "^Basic .+$",
        ),
    )


def test_literal_secrets_are_redacted() -> None:
    request = build_request(
        rendered(
            "/api?token=abc&page=2",
            {"X-API-Key": "live-key-123", "Authorization": "Bearer live-123", "Accept": "x/y"},
        )
    )
    assert request.query == (("token", "<redacted>", "^.+$"), ("page", "2", None))
    assert request.headers == (
        ("X-API-Key", "<redacted>", "^.+$"),
        ("Authorization", "Bearer <redacted>", "^Bearer .+$"),
        ("Accept", "x/y", None),
    )


def test_a_json_body_with_trailing_text_is_read_as_jackson_reads_it() -> None:
    request = build_request(
        rendered("/a", {"Content-Type": "application/json"}, '{"a": 1}\n}', "POST")
    )
    assert request.body == '{"a": 1}'
    assert request.content_type == "application/json"


def test_a_body_gets_a_content_type() -> None:
    request = build_request(rendered("/a", {}, "a=1&b=2", "POST"))
    assert request.headers == (("Content-Type", "text/plain", None),)


@pytest.mark.parametrize(
    ("request_", "message", "step"),
    [
        (rendered("arn:aws:lambda:us-east-1:1:function:f"), "not an HTTP URL", 5),
        (rendered("<credentials.loginUrl>"), "comes from the integration's credentials", 5),
        (rendered("/a", {"X-Note": "a\nb"}), "line break", 6),
        (rendered("/a", {"Bad Name": "x"}), "cannot be sent", 6),
        (rendered("/a", {"Content-Type": "application/json"}, "nope", "POST"), "not valid JSON", 7),
    ],
)
def test_requests_that_cannot_be_stated(request_: RenderedRequest, message: str, step: int) -> None:
    with pytest.raises(RequestProblem, match=message) as caught:
        build_request(request_)
    assert caught.value.step == step


def test_parts_join_to_the_bytes_of_one_pact(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import actionpact.contracts._pact as module

    specs = [spec(n) for n in range(9)]
    whole = build_pact("flow", "api", specs)
    monkeypatch.setattr(module, "WRITE_CHUNK", 2)
    parts = module.build_pact_parts("flow", "api", specs)
    assert len(parts) == 5
    joiner = PactJoiner()
    for part in reversed(parts):
        joiner.add(part)
    assert joiner.text() == whole
    written = joiner.write(tmp_path / "out" / "flow-api.json")
    assert written.read_text(encoding="utf-8") == whole
    assert [p.name for p in written.parent.iterdir()] == ["flow-api.json"]
    with pytest.raises(ContractError, match="both described"):
        joiner.add(parts[0])
