"""JSON paths of fields, for messages from this stage and the later ones."""

from __future__ import annotations

from typing import Any

import pytest

import actionpact.definition
from actionpact.definition import join_path, parse_definitions


@pytest.mark.parametrize(
    ("base", "parts", "expected"),
    [
        ("config.request.headers", ("Content-Type",), "config.request.headers.Content-Type"),
        (
            "config.response.translationMap",
            ("first name",),
            "config.response.translationMap['first name']",
        ),
        ("x", ("it's",), "x['it\\'s']"),
        ("x", ("a.b",), "x['a.b']"),
        ("x", ("9lives",), "x['9lives']"),
        ("", (2, "config"), "[2].config"),
        ("entities", (0, "config", "request"), "entities[0].config.request"),
        ("", ("name",), "name"),
        ("contract", (), "contract"),
    ],
)
def test_join_path(base: str, parts: tuple[str | int, ...], expected: str) -> None:
    assert join_path(base, *parts) == expected


@pytest.mark.parametrize(
    ("data", "path", "keys", "expected"),
    [
        ("single", "config.request.requestType", (), "config.request.requestType"),
        ("array", "config.request.requestType", (), "[1].config.request.requestType"),
        (
            "page",
            "config.response.translationMap",
            ("a b",),
            "entities[1].config.response.translationMap['a b']",
        ),
        ("array", "", (), "[1]"),
        ("single", "", (), ""),
    ],
)
def test_field_path_prefixes_the_location(
    make_export: Any, data: str, path: str, keys: tuple[str, ...], expected: str
) -> None:
    pair = [make_export(name="a"), make_export(name="b")]
    value: Any = {"single": pair[1], "array": pair, "page": {"entities": pair}}[data]

    definition = parse_definitions(value)[-1]

    assert definition.field_path(path, *keys) == expected


def test_public_names_are_sorted_and_importable() -> None:
    names = actionpact.definition.__all__

    assert list(names) == sorted(names)
    for name in names:
        assert getattr(actionpact.definition, name) is not None
