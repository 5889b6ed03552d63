"""Properties of the JSONPath adapter: it never raises where Jayway's callers cannot cope."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from actionpact.core import UNSET
from actionpact.core.errors import JsonPathSyntaxError
from actionpact.genesys._jsonpath import compile_path

GOLDEN = json.loads((Path(__file__).parent / "jsonpath_cases" / "jayway.json").read_text("utf-8"))
KNOWN_PATHS = sorted(
    {c["path"] for c in GOLDEN["cases"] if "compile_error" not in c}
    | {c["path"] for c in GOLDEN["syntax"] if "compile_error" not in c and "(" not in c["path"]}
)

NAMES = st.sampled_from(["a", "b", "id", "x", "purpose", "data"])
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(2**40), 2**40)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(["", "1", "1.0", "x", "agent", "ä😀"])
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(NAMES, inner, max_size=4),
    max_leaves=20,
)

LITERALS = st.sampled_from(
    ["1", "-1.5", "'x'", '"agent"', "true", "null", "['a',1]", "/a.*/i", "'1.0'", "{'a':1}"]
)
OPERATORS = st.sampled_from(
    ["==", "!=", "<", "<=", ">", ">=", "=~", "in", "nin", "size", "empty", "contains", "==="]
)
RELATIVE = st.builds(lambda n, m: f"@.{n}" if m else f"@.{n}[0]", NAMES, st.booleans()) | st.just(
    "@"
)


@st.composite
def conditions(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 4))
    if kind == 0:
        return draw(RELATIVE)
    if kind == 1:
        return "!" + draw(RELATIVE)
    if kind == 2:
        return f"{draw(conditions())} {draw(st.sampled_from(['&&', '||']))} {draw(conditions())}"
    if kind == 3:
        return f"!({draw(conditions())})"
    return f"{draw(RELATIVE)} {draw(OPERATORS)} {draw(LITERALS)}"


SEGMENTS = st.one_of(
    NAMES.map(lambda n: f".{n}"),
    NAMES.map(lambda n: f"..{n}"),
    NAMES.map(lambda n: f"['{n}']"),
    st.sampled_from(["[0]", "[-1]", "[1:3]", "[-2:]", "[:1]", "[*]", ".*", "[0,1]", "['a','b']"]),
    conditions().map(lambda c: f"[?({c})]"),
)
PATHS = st.builds(
    lambda root, segments, fn: root + "".join(segments) + fn,
    st.sampled_from(["$", "@", ""]),
    st.lists(SEGMENTS, max_size=5),
    st.sampled_from(["", "", "", ".length()", ".size()", ".sum()", ".keys()", ".first()"]),
)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(KNOWN_PATHS), JSON)
def test_known_paths_never_raise(text: str, document: Any) -> None:
    path = compile_path(text)
    result = path.evaluate(document)
    if not path.definite:
        assert result is UNSET or isinstance(result, list)


@settings(max_examples=400, deadline=None)
@given(PATHS, JSON)
def test_generated_paths_never_raise(text: str, document: Any) -> None:
    try:
        path = compile_path(text)
    except JsonPathSyntaxError:
        return
    result = path.evaluate(document)
    if not path.definite:
        assert result is UNSET or isinstance(result, list)
    assert compile_path(text) is path


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("$@.[]()'\"?*,:-!=<>&| ~/019ab\\\t")), max_size=30))
def test_compile_raises_only_syntax_errors(text: str) -> None:
    try:
        path = compile_path(text)
    except JsonPathSyntaxError as error:
        caught = error
    else:
        path.evaluate({"a": [{"b": 1}], "b": "x"})
        return
    assert caught.expression == text
    assert caught.position is None or 1 <= caught.position <= max(len(text), 1)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_compile_of_any_text_raises_only_syntax_errors(text: str) -> None:
    with contextlib.suppress(JsonPathSyntaxError):
        compile_path(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(NAMES, st.integers(-3, 3)), max_size=5), JSON)
def test_definite_paths_agree_with_plain_lookup(steps: list[str | int], document: Any) -> None:
    text = "$" + "".join(f"['{s}']" if isinstance(s, str) else f"[{s}]" for s in steps)
    expected: Any = document
    for step in steps:
        found = (isinstance(step, str) and isinstance(expected, dict) and step in expected) or (
            isinstance(step, int)
            and isinstance(expected, list)
            and -len(expected) <= step < len(expected)
        )
        if not found:
            expected = UNSET
            break
        expected = expected[step]
    if document is None:
        expected = UNSET
    assert compile_path(text).evaluate(document) == expected
