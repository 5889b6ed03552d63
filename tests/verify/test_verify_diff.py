"""Comparing the contract's body with the provider's: missing keys, renames, types."""

from __future__ import annotations

import pytest

from actionpact.verify import compare_bodies, name_similarity
from actionpact.verify._diff import apply_changes, json_path, json_type

EXPECTED = {
    "customers": [
        {"customerId": "C-1", "name": "Ada", "tier": "gold", "openCases": [{"id": "CS-1"}]}
    ]
}


def kinds(expected: object, actual: object) -> list[tuple[str, str, str | None]]:
    return [(c.kind, c.path, c.new_key) for c in compare_bodies(expected, actual)]


def test_the_same_shape_with_other_values_is_no_change() -> None:
    actual = {
        "customers": [
            {"customerId": "C-9", "name": "Bo", "tier": "silver", "openCases": [{"id": "X"}]},
            {"customerId": "C-8", "name": "Cy", "tier": "bronze", "openCases": []},
        ]
    }
    assert compare_bodies(EXPECTED, actual) == []


def test_a_renamed_key_is_named_with_its_new_name() -> None:
    actual = {
        "customers": [
            {"customer_id": "C-1", "name": "Ada", "tier": "gold", "openCases": [{"id": "CS-1"}]}
        ]
    }
    (change,) = compare_bodies(EXPECTED, actual)
    assert change.kind == "renamed"
    assert change.path == "$.customers[0].customerId"
    assert change.new_path == "$.customers[0].customer_id"
    assert change.similarity == 1.0
    assert change.describe() == (
        "`customerId` is missing from the response ($.customers[0].customerId); a new key "
        "`customer_id` looks like its rename"
    )


def test_a_new_key_of_another_type_is_not_a_rename() -> None:
    actual = {"customers": [{"customer_id": 1, "name": "Ada", "tier": "gold", "openCases": []}]}
    assert kinds(EXPECTED, actual) == [
        ("missing", "$.customers[0].customerId", None),
        ("empty", "$.customers[0].openCases", None),
        ("added", "$.customers[0].customer_id", None),
    ]


def test_an_unrelated_new_key_is_not_a_rename() -> None:
    assert kinds({"customerId": "a"}, {"region": "b"}) == [
        ("missing", "$.customerId", None),
        ("added", "$.region", None),
    ]


def test_each_removed_key_gets_its_most_similar_new_key() -> None:
    expected = {"firstName": "A", "lastName": "B"}
    actual = {"last-name": "B", "first_name": "A"}
    assert kinds(expected, actual) == [
        ("renamed", "$.firstName", "first_name"),
        ("renamed", "$.lastName", "last-name"),
    ]


def test_type_changes_and_a_null_example() -> None:
    expected = {"count": 3, "note": None, "tags": ["a"]}
    actual = {"count": "3", "note": "x", "tags": "a"}
    changes = compare_bodies(expected, actual)
    assert [(c.kind, c.path, c.expected_type, c.actual_type) for c in changes] == [
        ("type", "$.count", "number", "string"),
        ("type", "$.tags", "array", "string"),
    ]
    assert (
        changes[0].describe() == "`count` is a string where the contract expects a number ($.count)"
    )


def test_a_whole_body_of_another_type() -> None:
    (change,) = compare_bodies({"a": 1}, [1])
    assert (change.kind, change.path, change.key) == ("type", "$", None)
    assert change.describe() == "the body is an array where the contract expects an object ($)"


def test_odd_keys_are_bracketed_in_paths() -> None:
    assert kinds({"first name": "x"}, {}) == [("missing", "$['first name']", None)]
    assert json_path("$", "it's") == "$['it\\'s']"


@pytest.mark.parametrize(
    ("old", "new", "alike"),
    [
        ("customerId", "customer_id", True),
        ("customerId", "CUSTOMER-ID", True),
        ("customerId", "customerID", True),
        ("phoneNumber", "phoneNum", True),
        ("customerId", "custId", False),
        ("name", "email", False),
    ],
)
def test_name_similarity(old: str, new: str, alike: bool) -> None:
    assert (name_similarity(old, new) >= 0.8) is alike


def test_json_types() -> None:
    assert [json_type(v) for v in (None, True, 1, 1.5, "", [], {})] == [
        "null",
        "boolean",
        "number",
        "number",
        "string",
        "array",
        "object",
    ]


def test_apply_changes_keeps_the_contracts_values_and_only_the_breaking_changes() -> None:
    actual = {
        "customers": [
            {"customer_id": "C-9", "name": "Bo", "tier": 2, "openCases": [], "extra": True}
        ]
    }
    changed = apply_changes(EXPECTED, actual, compare_bodies(EXPECTED, actual))
    assert changed == {
        "customers": [{"customer_id": "C-1", "name": "Ada", "tier": 2, "openCases": []}]
    }
    assert EXPECTED["customers"][0]["customerId"] == "C-1"  # the original is left alone
