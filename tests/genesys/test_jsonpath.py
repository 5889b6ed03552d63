"""JSONPath with Jayway semantics: golden cases from real Jayway, structure, errors."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import pytest

from actionpact.core import UNSET
from actionpact.core.errors import DefinitionError, JsonPathSyntaxError
from actionpact.genesys._jsonpath import (
    And,
    Child,
    Compare,
    DeepScan,
    Exists,
    Filter,
    Index,
    JsonLiteral,
    Not,
    Or,
    Regex,
    Slice,
    SubPath,
    Union,
    Wildcard,
    compile_path,
)

GOLDEN = json.loads((Path(__file__).parent / "jsonpath_cases" / "jayway.json").read_text("utf-8"))
DOCUMENTS: dict[str, Any] = GOLDEN["documents"]

# Paths Jayway compiles but actionpact refuses on purpose (see _jsonpath_parse): unknown
# functions fail in Jayway at run time anyway; the others read nonsense or need arguments.
REFUSED = {
    "$.foo()": "Function with name: foo does not exist.",
    "$.a.length().b": "function length() must end the path",
    "$.sum(1)": "function sum() with arguments is not supported",
    "$..a.concat()": "concat() after a deep scan is not supported by actionpact",
    "$.append()": "function append() is not supported by actionpact",
    "$.index()": "function index() is not supported by actionpact",
}


def same(a: Any, b: Any) -> bool:
    """JSON equality that tells 1 from 1.0 and True from 1, as Java does."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int | float) and isinstance(b, int | float):
        if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
            return True
        return type(a) is type(b) and a == b
    if isinstance(a, list):
        return (
            isinstance(b, list)
            and len(a) == len(b)
            and all(same(x, y) for x, y in zip(a, b, strict=True))
        )
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return bool(a == b)


def _case_id(case: dict[str, Any]) -> str:
    return f"{case.get('doc', '-')}:{case['path']}"


@pytest.mark.parametrize("case", GOLDEN["cases"], ids=_case_id)
def test_evaluates_like_jayway(case: dict[str, Any]) -> None:
    if "compile_error" in case:
        with pytest.raises(JsonPathSyntaxError):
            compile_path(case["path"])
        return
    path = compile_path(case["path"])
    assert path.definite is case["definite"]
    result = path.evaluate(DOCUMENTS[case["doc"]])
    if case.get("unset"):
        assert result is UNSET, case.get("jayway")
    else:
        assert same(result, case["expect"]), f"got {result!r}, Jayway gives {case['expect']!r}"


@pytest.mark.parametrize("case", GOLDEN["syntax"], ids=lambda c: repr(c["path"]))
def test_compiles_like_jayway(case: dict[str, Any]) -> None:
    text = case["path"]
    if text in REFUSED:
        with pytest.raises(JsonPathSyntaxError, match=re.escape(REFUSED[text])):
            compile_path(text)
    elif "compile_error" in case:
        with pytest.raises(JsonPathSyntaxError) as caught:
            compile_path(text)
        if text:  # Jayway's empty-path message talks about "json"; ours says "path"
            assert str(caught.value).endswith(": " + case["compile_error"])
    else:
        assert compile_path(text).definite is case["definite"]


# --------------------------------------------------------------------------- structure


@pytest.mark.parametrize(
    ("text", "normalized", "definite", "segments"),
    [
        ("$", "$", True, ()),
        ("$.a.b", "$.a.b", True, (Child("a"), Child("b"))),
        (".total", "$..total", False, (DeepScan(), Child("total"))),
        ("['a']", "$['a']", True, (Child("a"),)),
        ("$.['presenceDefinition'].systemPresence", "$['presenceDefinition'].systemPresence",
         True, (Child("presenceDefinition"), Child("systemPresence"))),
        ("total", "$.total", True, (Child("total"),)),
        ("$.a  ", "$.a", True, (Child("a"),)),
        ("$['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'].id", None, True,
         (Child("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"), Child("id"))),
        ('$["a b"]', None, True, (Child("a b"),)),
        ("$.msgDialogue[-1].body", None, True, (Child("msgDialogue"), Index(-1), Child("body"))),
        ("$.a[-1000:]", None, False, (Child("a"), Slice(-1000, None))),
        ("$.a[:2]", None, False, (Child("a"), Slice(None, 2))),
        ("$.a[1:5:2]", None, False, (Child("a"), Slice(1, 5))),
        ("$.a[*].b", None, False, (Child("a"), Wildcard(), Child("b"))),
        ("$.a.*", None, False, (Child("a"), Wildcard())),
        ("$..data", None, False, (DeepScan(), Child("data"))),
        ("$..[0]", None, False, (DeepScan(), Index(0))),
        ("$['a','b']", None, True, (Union(("a", "b")),)),
        ("$['a','b'].c", None, False, (Union(("a", "b")), Child("c"))),
        ("$[0,2]", None, False, (Union((0, 2)),)),
        ("@.a", "@.a", True, (Child("a"),)),
    ],
)  # fmt: skip
def test_structure(
    text: str, normalized: str | None, definite: bool, segments: tuple[Any, ...]
) -> None:
    path = compile_path(text)
    assert path.expression == text
    if normalized is not None:
        assert path.normalized == normalized
    assert path.definite is definite
    assert path.segments == segments
    assert path.function is None


@pytest.mark.parametrize(
    ("text", "function", "definite", "segments"),
    [
        ("$.entities.size()", "size", True, (Child("entities"),)),
        ("$.size()", "size", True, ()),
        ("$.result.length()", "length", True, (Child("result"),)),
        ("$..price.sum()", "sum", True, (DeepScan(), Child("price"))),
        ("$.a[*].b.length()", "length", False, (Child("a"), Wildcard(), Child("b"))),
    ],
)
def test_functions_are_split_from_segments(
    text: str, function: str, definite: bool, segments: tuple[Any, ...]
) -> None:
    path = compile_path(text)
    assert (path.function, path.definite, path.segments) == (function, definite, segments)


def test_filter_conditions_expose_what_they_read() -> None:
    path = compile_path(
        "$..participants[?(@.purpose == 'acd' && @.sessions[0].flowInType == 'agent')]"
        ".participantId"
    )
    assert path.segments == (
        DeepScan(),
        Child("participants"),
        Filter(
            And(
                (
                    Compare(("purpose",), "==", "acd"),
                    Compare(("sessions", 0, "flowInType"), "==", "agent"),
                )
            )
        ),
        Child("participantId"),
    )


@pytest.mark.parametrize(
    ("text", "condition"),
    [
        ("[?(@.x)]", Exists(("x",))),
        ("[?(!@.x)]", Not(Exists(("x",)))),
        ("[?(@)]", Exists(())),
        ('[?(@.m=="o")]', Compare(("m",), "==", "o")),
        ("[?(@.n != 0)]", Compare(("n",), "!=", 0)),
        ("[?(@.n < 1.5)]", Compare(("n",), "<", 1.5)),
        ("[?(@.n >= -2)]", Compare(("n",), ">=", -2)),
        ("[?(@.b == true)]", Compare(("b",), "==", True)),
        ("[?(@.z == null)]", Compare(("z",), "==", None)),
        ("[?(@.a =~ /x.*/i)]", Compare(("a",), "=~", Regex("x.*", "i"))),
        ("[?(@.a IN ['x','y'])]", Compare(("a",), "in", JsonLiteral("['x','y']"))),
        ("[?(@.a nin [1])]", Compare(("a",), "nin", JsonLiteral("[1]"))),
        ("[?(@.a size 2)]", Compare(("a",), "size", 2)),
        ("[?(@.a empty false)]", Compare(("a",), "empty", False)),
        ("[?(@.a == 1 || @.b == 2)]", Or((Compare(("a",), "==", 1), Compare(("b",), "==", 2)))),
        ("[?(!(@.a == 1))]", Not(Compare(("a",), "==", 1))),
        ("[?(!@.a == 1)]", Compare(("a",), "==", 1)),
        ("[?('x' == @['a b'])]", Compare("x", "==", ("a b",))),
        ("[?(@.a == $.b)]", Compare(("a",), "==", SubPath("$.b", compile_path("$.b")))),
    ],
)
def test_conditions(text: str, condition: Any) -> None:
    (segment,) = compile_path(text).segments
    assert segment == Filter(condition)


def test_sub_paths_keep_their_compiled_form() -> None:
    (segment,) = compile_path("$[?(@.items[*].id contains 'x' && @.n.length() > 1)]").segments
    assert isinstance(segment, Filter)
    assert isinstance(segment.condition, And)
    first, second = segment.condition.parts
    assert isinstance(first, Compare)
    assert isinstance(second, Compare)
    assert isinstance(first.left, SubPath)
    assert first.left.path.segments == (Child("items"), Wildcard(), Child("id"))
    assert isinstance(second.left, SubPath)
    assert second.left.path.function == "length"


def test_json_literal_keeps_its_value() -> None:
    (segment,) = compile_path("$[?(@.a in ['x', 2, {'k': null}])]").segments
    assert isinstance(segment, Filter)
    assert isinstance(segment.condition, Compare)
    literal = segment.condition.right
    assert isinstance(literal, JsonLiteral)
    assert literal.value == ["x", 2, {"k": None}]


# --------------------------------------------------------------------------- behaviour


def test_compile_is_cached() -> None:
    assert compile_path("$.cached.path") is compile_path("$.cached.path")


def test_null_is_a_value_and_missing_is_unset() -> None:
    path = compile_path("$.a.b")
    assert path.evaluate({"a": {"b": None}}) is None
    assert path.evaluate({"a": {}}) is UNSET
    assert path.evaluate({"a": None}) is UNSET
    assert path.evaluate([]) is UNSET


def test_indefinite_results_are_lists() -> None:
    path = compile_path("$.a[*].b")
    assert path.evaluate({"a": []}) == []
    assert path.evaluate({"a": [{"b": 1}, {"c": 2}, {"b": None}]}) == [1, None]


def test_a_filter_applies_to_an_object_itself() -> None:
    path = compile_path("$.a[?(@.k == 1)].v")
    assert path.evaluate({"a": {"k": 1, "v": "yes"}}) == ["yes"]
    assert path.evaluate({"a": {"k": 2, "v": "no"}}) == []


def test_functions_on_indefinite_paths_give_one_result_per_match() -> None:
    path = compile_path("$.p[?(@.ok)].m.length()")
    assert path.evaluate({"p": [{"ok": 1, "m": [1, 2]}, {"ok": 1, "m": {"a": 1}}, {"m": []}]}) == [
        2,
        1,
    ]
    assert path.evaluate({"p": []}) == []


def test_syntax_error_carries_expression_and_position() -> None:
    with pytest.raises(JsonPathSyntaxError) as caught:
        compile_path("$$.id")
    error = caught.value
    assert isinstance(error, DefinitionError)
    assert error.expression == "$$.id"
    assert error.position == 2
    assert "Illegal character at position 1 expected '.' or '['" in str(error)


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("$.a b", 3),
        ("a b", 1),
        ("$['a',]", 7),
        ("$[?(@.a == 'x)]", 4),
        ("$[?(@.a ~ 1)]", 8),
    ],
)
def test_syntax_error_positions_are_one_based(text: str, position: int) -> None:
    with pytest.raises(JsonPathSyntaxError) as caught:
        compile_path(text)
    assert caught.value.position == position


def test_deep_documents_do_not_raise() -> None:
    document: Any = "leaf"
    for _ in range(3000):
        document = {"a": document}
    # Python's recursion limit decides whether a scan this deep completes (Jayway would hit
    # a StackOverflowError): either way it must not raise.
    scanned = compile_path("$..a").evaluate(document)
    assert scanned is UNSET or len(scanned) == 3000
    assert compile_path("$.a.a.a").evaluate(document) == {"a": document["a"]["a"]["a"]["a"]}
