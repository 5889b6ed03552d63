"""Reading interactions back from pact files: V4 and V3 bodies, queries, headers, origins."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from actionpact.core import UNSET
from actionpact.core.errors import PactFileError
from actionpact.verify._pacts import pact_files, read_interactions, read_pact_document

if TYPE_CHECKING:
    from pathlib import Path

V4 = {
    "consumer": {"name": "flows"},
    "provider": {"name": "crm"},
    "interactions": [
        {
            "type": "Synchronous/HTTP",
            "description": "lookup",
            "comments": {
                "actionpact": {
                    "definition": {"name": "CRM", "contentHash": "abc", "file": "c/crm.json"},
                    "example": {"name": "known", "input": {"phone": "+1"}},
                }
            },
            "providerStates": [{"name": "exists", "params": {"id": 1}}, {"name": "second"}],
            "request": {
                "method": "post",
                "path": "/x",
                "query": {"a": ["1", "2"], "b": ["c d"]},
                "headers": {"Accept": ["application/json", "text/plain"]},
                "body": {"content": {"k": 1}, "contentType": "application/json", "encoded": False},
            },
            "response": {
                "status": 201,
                "body": {"content": {"ok": True}, "contentType": "application/json"},
            },
        },
        {"type": "Asynchronous/Messages", "description": "skipped"},
        {
            "type": "Synchronous/HTTP",
            "description": "text",
            "request": {"method": "GET", "path": "y"},
            "response": {
                "status": 200,
                "body": {"content": "aGk=", "contentType": "text/plain", "encoded": "base64"},
            },
        },
    ],
}

V3 = {
    "consumer": {"name": "flows"},
    "provider": {"name": "crm"},
    "interactions": [
        {
            "description": "v3",
            "providerState": "legacy state",
            "request": {"method": "GET", "path": "/v3", "query": "a=1&b=x%20y"},
            "response": {"status": 200, "body": {"plain": [1, 2]}},
        }
    ],
}


def test_v4_interactions() -> None:
    first, text = read_interactions(V4, source="p.json")
    assert first.key == ("flows", "lookup", ("exists", "second"))
    assert first.states[0].params == {"id": 1}
    assert first.request.method == "POST"
    assert first.request.query == (("a", "1"), ("a", "2"), ("b", "c d"))
    assert first.request.headers == (("Accept", "application/json, text/plain"),)
    assert json.loads(first.request.body or b"") == {"k": 1}
    assert (first.status, first.body) == (201, {"ok": True})
    assert first.origin is not None
    assert (first.origin.action, first.origin.content_hash, first.origin.source) == (
        "CRM",
        "abc",
        "c/crm.json",
    )
    assert (first.origin.example, dict(first.origin.input)) == ("known", {"phone": "+1"})
    assert text.request.path == "/y"
    assert text.body == b"hi"
    assert text.origin is None


def test_v3_interactions() -> None:
    (only,) = read_interactions(V3)
    assert only.key == ("flows", "v3", ("legacy state",))
    assert only.request.query == (("a", "1"), ("b", "x y"))
    assert only.body == {"plain": [1, 2]}
    assert only.request.body is None


def test_an_interaction_without_a_response_body() -> None:
    pact = {"interactions": [{"description": "d", "request": {}, "response": {"status": 204}}]}
    (only,) = read_interactions(pact)
    assert only.body is UNSET
    assert (only.consumer, only.request.method, only.request.path) == ("", "GET", "/")


def test_files_and_folders(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.json").write_text(json.dumps(V3))
    (tmp_path / "a.json").write_text(json.dumps(V4))
    assert [p.name for p in pact_files([tmp_path])] == ["a.json", "b.json"]
    assert read_pact_document(tmp_path / "a.json")["provider"] == {"name": "crm"}
    with pytest.raises(PactFileError, match="no such file"):
        pact_files([tmp_path / "missing.json"])
    (tmp_path / "bad.json").write_text("{nope")
    with pytest.raises(PactFileError, match="not a JSON pact"):
        read_pact_document(tmp_path / "bad.json")
    (tmp_path / "other.json").write_text("{}")
    with pytest.raises(PactFileError, match="interactions"):
        read_pact_document(tmp_path / "other.json")


def test_origins_as_generate_writes_them() -> None:
    origin = {
        "definition": "CRM",
        "contentHash": "h1",
        "source": "contracts/crm.json",
        "location": "[2]",
        "example": "derived example",
        "derived": True,
    }
    v4 = {
        "interactions": [
            {
                "description": "d",
                "comments": {"actionpact": origin},
                "request": {"method": "GET", "path": "/"},
                "response": {"status": 200},
            }
        ]
    }
    v3 = {
        "interactions": [
            {"description": "d", "request": {"method": "GET", "path": "/"}, "response": {}}
        ],
        "metadata": {"actionpact": {"interactions": {"d": origin}}},
    }
    for pact in (v4, v3):
        (only,) = read_interactions(pact)
        assert only.origin is not None
        assert (
            only.origin.action,
            only.origin.content_hash,
            only.origin.source,
            only.origin.location,
            only.origin.example,
            only.origin.derived,
            dict(only.origin.input),
        ) == ("CRM", "h1", "contracts/crm.json", "[2]", "derived example", True, {})
