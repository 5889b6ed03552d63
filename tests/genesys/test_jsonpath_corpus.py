"""Every translation-map path in the shared corpus compiles the way Jayway compiles it."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from actionpact.core import UNSET
from actionpact.core.errors import JsonPathSyntaxError
from actionpact.genesys._jsonpath import compile_path

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

# Jayway rejects this one ("Illegal character at position 1 expected '.' or '['"): it comes
# from a Terraform file where `$$` was meant as an escaped `$`.
JAYWAY_REJECTS = {"$$.id"}


def _definitions(document: Any) -> Iterator[dict[str, Any]]:
    if isinstance(document, list):
        for item in document:
            yield from _definitions(item)
    elif isinstance(document, dict):
        if isinstance(document.get("entities"), list):
            yield from _definitions(document["entities"])
        else:
            yield document


def _translation_maps(corpus: Path) -> Iterator[tuple[str, str, str]]:
    for file in sorted(corpus.glob("*.json")):
        for definition in _definitions(json.loads(file.read_text("utf-8"))):
            response = (definition.get("config") or {}).get("response") or {}
            for key, expression in (response.get("translationMap") or {}).items():
                yield file.name, key, expression


def test_every_corpus_path_compiles(corpus_dir: Path) -> None:
    seen = 0
    for name, key, expression in _translation_maps(corpus_dir):
        seen += 1
        if expression in JAYWAY_REJECTS:
            with pytest.raises(JsonPathSyntaxError) as caught:
                compile_path(expression)
            assert caught.value.position == 2
            continue
        path = compile_path(expression)
        assert path.segments or path.function, (name, key)
        # Whatever the response, reading never raises.
        documents: tuple[Any, ...] = ({}, [], "text", {"entities": None})
        for document in documents:
            result = path.evaluate(document)
            assert result is UNSET or isinstance(result, list) or path.definite
    assert seen >= 200


def test_corpus_paths_without_a_dollar(corpus_dir: Path) -> None:
    rootless = {e for _, _, e in _translation_maps(corpus_dir) if not e.startswith("$")}
    assert ".total" in rootless
    assert compile_path(".total").normalized == "$..total"
    for expression in rootless - {".total"}:
        assert expression.startswith("['participants']")
        assert compile_path(expression).normalized.startswith("$['participants']")
