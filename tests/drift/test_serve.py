"""Recordings served on 127.0.0.1: matched by method, path, query, body and provider state."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

import httpx
import pytest

from actionpact.drift import (
    BodyKind,
    Outcome,
    RecordedRequest,
    RecordedResponse,
    Recording,
    serve_recordings,
)

pytestmark = pytest.mark.e2e


def recording(
    name: str,
    *,
    method: str = "GET",
    path: str = "/c",
    query: str = "",
    body: str | None = None,
    states: tuple[str, ...] = (),
    answer: Any = None,
    status: int = 200,
    kind: BodyKind = BodyKind.json,
    outcome: Outcome = Outcome.ok,
) -> Recording:
    request = RecordedRequest(
        method, f"https://x.example.com{path}?{query}", path, query, body=body
    )
    response = (
        RecordedResponse(
            status,
            MappingProxyType({"content-type": "application/json", "x-a": "1"}),
            kind,
            answer,
            10,
        )
        if outcome.has_response
        else None
    )
    return Recording(
        name=name,
        action="A",
        definition_hash="h",
        source="a.json",
        provider="p",
        consumer="c",
        example=name,
        derived=False,
        given=tuple(MappingProxyType({"state": s, "params": {}}) for s in states),
        input=MappingProxyType({}),
        request=request,
        response=response,
        outcome=outcome,
        problem="no answer within 1 s" if outcome is Outcome.timeout else None,
        attempts=1,
        when="2026-11-22T09:00:00Z",
    )


def test_query_order_and_encoding_do_not_matter() -> None:
    recordings = [
        recording("one", query="phone=%2B1%20555&key=%3Ck%3E", answer={"n": 1}),
        recording("two", query="phone=%2B1%20556", answer={"n": 2}),
    ]
    with serve_recordings(recordings) as server, httpx.Client(base_url=server.url) as client:
        answer = client.get("/c", params={"key": "<k>", "phone": "+1 555"})
        assert (answer.status_code, answer.json()) == (200, {"n": 1})
        assert answer.headers["x-a"] == "1"
        assert client.get("/c?phone=%2B1+556").json() == {"n": 2}
        missing = client.get("/c", params={"phone": "+1 557"})
        assert missing.status_code == 404
        assert "no recording matches GET /c?phone=%2B1+557" in missing.json()["error"]
        assert server.unmatched == ["GET /c?phone=%2B1+557"]
    assert not server.index.needs_states


def test_body_then_state_pick_between_equal_requests() -> None:
    recordings = [
        recording("a", method="POST", body='{"s": "x"}', answer={"r": "a"}),
        recording("b", method="POST", body='{"s": "y"}', answer={"r": "b"}),
        recording("c", states=("gold customer",), answer={"r": "c"}),
        recording("d", states=("no customer",), answer={"r": "d"}, status=404),
    ]
    with serve_recordings(recordings) as server, httpx.Client(base_url=server.url) as client:
        assert client.post("/c", content=b'{ "s" : "y" }').json() == {"r": "b"}
        assert server.index.needs_states
        server.set_state("no customer", "setup", {})
        answer = client.get("/c")
        assert (answer.status_code, answer.json()) == (404, {"r": "d"})
        server.set_state("no customer", "teardown")
        server.set_state("gold customer", "setup")
        assert client.get("/c").json() == {"r": "c"}


def test_a_recording_without_an_answer_is_a_502() -> None:
    recordings = [
        recording("slow", outcome=Outcome.timeout),
        recording("html", kind=BodyKind.text, answer="<html/>", path="/h"),
    ]
    with serve_recordings(recordings) as server, httpx.Client(base_url=server.url) as client:
        answer = client.get("/c")
        assert answer.status_code == 502
        assert answer.json() == {
            "error": "no recorded response body: no answer within 1 s",
            "recording": "slow",
        }
        assert client.get("/h").text == "<html/>"
