"""The verifier's mismatches in plain words."""

from __future__ import annotations

from actionpact.verify._mismatch import read_mismatches


def test_each_kind_in_plain_words() -> None:
    found = read_mismatches(
        {
            "type": "mismatches",
            "mismatches": [
                {"type": "StatusMismatch", "expected": 200, "actual": 404, "mismatch": "x"},
                {
                    "type": "HeaderMismatch",
                    "key": "Content-Type",
                    "mismatch": "Expected 'application/json' but was 'text/html'",
                },
                {
                    "type": "BodyTypeMismatch",
                    "expected": "application/json",
                    "actual": "text/html",
                    "mismatch": "y",
                },
                {
                    "type": "BodyMismatch",
                    "path": "$.tier",
                    "mismatch": "Expected 'platinum' to match '^(gold|silver)$'",
                },
                {"type": "QueryMismatch", "parameter": "q", "mismatch": "Expected 'a'"},
                {"type": "MetadataMismatch", "mismatch": "something else"},
            ],
        }
    )
    assert [m.text for m in found] == [
        "the provider answered HTTP 404 where the contract expects 200",
        "response header `Content-Type`: Expected 'application/json' but was 'text/html'",
        "the response body is text/html where the contract expects application/json",
        "$.tier: Expected 'platinum' to match '^(gold|silver)$'",
        "query parameter `q`: Expected 'a'",
        "something else",
    ]
    assert found[3].path == "$.tier"


def test_errors_name_their_cause() -> None:
    (state,) = read_mismatches(
        {"type": "error", "message": "One or more of the setup state change handlers has failed"}
    )
    assert state.text.startswith("the provider state could not be set up")
    (down,) = read_mismatches({"type": "error", "message": "error sending request for url (x)"})
    assert down.text.startswith("the provider could not be reached")
    assert read_mismatches(None) == []
