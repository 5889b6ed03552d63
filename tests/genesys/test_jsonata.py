"""The JSONata adapter: undefined vs null, error mapping, time box, plain results."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import threading
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from actionpact.core import UNSET
from actionpact.core.errors import TransformError
from actionpact.genesys._jsonata import JsonataExpression, compile_jsonata

ORDER = {
    "id": "o1",
    "customer": {"name": "Ada", "email": None},
    "lines": [
        {"sku": "a", "qty": 2, "price": 1.5},
        {"sku": "b", "qty": 1, "price": 10},
    ],
}


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("id", "o1"),
        ("customer.email", None),
        ("lines.sku", ["a", "b"]),
        ("lines[qty > 1].sku", "a"),
        ("lines[qty > 1][].sku", ["a"]),
        ("$sum(lines.(qty * price))", 13),
        ('{"who": customer.name, "n": $count(lines)}', {"who": "Ada", "n": 2}),
        ('[1, nothing, null, {"x": null, "y": nothing}]', [1, None, {"x": None}]),
        ("$string(lines[0].qty)", "2"),
        ("lines[sku = 'b'].price = 10", True),
    ],
)
def test_results_are_plain_json(expression: str, expected: Any) -> None:
    result = compile_jsonata(expression).evaluate(ORDER)
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize("expression", ["missing", "customer.missing", "lines[qty > 5].sku", "$x"])
def test_undefined_is_unset_not_null(expression: str) -> None:
    assert compile_jsonata(expression).evaluate(ORDER) is UNSET


def test_json_null_in_input_stays_null() -> None:
    assert compile_jsonata("$").evaluate({"a": None, "b": [None, 1]}) == {"a": None, "b": [None, 1]}
    assert compile_jsonata("$x = null").evaluate({}, {"x": None}) is True


def test_bindings() -> None:
    expression = compile_jsonata("$limit < $count(lines) ? $label : 'small'")
    assert expression.evaluate(ORDER, {"limit": 1, "label": "big"}) == "big"
    assert expression.evaluate(ORDER, {"limit": 5, "label": "big"}) == "small"


def test_compile_is_cached() -> None:
    first = compile_jsonata("lines.sku", source="a")
    assert compile_jsonata("lines.sku", source="a") is first
    assert compile_jsonata("lines.sku", source="b") is not first
    assert isinstance(first, JsonataExpression)
    assert first.expression == "lines.sku"


@pytest.mark.parametrize(
    ("expression", "code", "position"),
    [
        ("lines[", "S0203", 6),
        ("a ] b", "S0201", 3),
        ('"abc', "S0101", 4),
        ("1 +", "S0207", 3),
    ],
)
def test_syntax_errors_carry_code_and_position(expression: str, code: str, position: int) -> None:
    with pytest.raises(TransformError) as caught:
        compile_jsonata(expression, source="spec.yaml: examples[0].assert[0]")
    error = caught.value
    assert (error.code, error.position) == (code, position)
    assert error.expression == expression
    assert error.source == "spec.yaml: examples[0].assert[0]"
    assert str(error).startswith("spec.yaml: examples[0].assert[0]: JSONata ")
    assert f"at position {position}" in str(error)


@pytest.mark.parametrize(
    ("expression", "code"),
    [
        ('"x" + 1', "T2001"),
        ("$nofunction()", "T1006"),
        ("$string(1, 2, 3, 4)", "T0410"),
    ],
)
def test_evaluation_errors_carry_the_jsonata_code(expression: str, code: str) -> None:
    with pytest.raises(TransformError) as caught:
        compile_jsonata(expression).evaluate(ORDER)
    assert caught.value.code == code


def test_runaway_expression_is_stopped() -> None:
    looping = compile_jsonata("($f := function($x){ $f($x) }; $f(1))", timeout_ms=200)
    with pytest.raises(TransformError) as caught:
        looping.evaluate({})
    assert caught.value.code == "D1012"
    # The time box is armed per evaluation, not once at compile time.
    quick = compile_jsonata("id", timeout_ms=200)
    assert quick.evaluate(ORDER) == "o1"
    with pytest.raises(TransformError):
        looping.evaluate({})


def test_a_function_is_not_a_result() -> None:
    with pytest.raises(TransformError, match="not JSON"):
        compile_jsonata("function($x){ $x }").evaluate({})


def test_shared_expression_across_threads() -> None:
    expression = compile_jsonata("$sum(values)")
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for _ in range(50):
                assert expression.evaluate({"values": list(range(n))}) == sum(range(n))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(2, 8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors


def test_jsonata_is_imported_lazily() -> None:
    code = "import sys, actionpact.genesys._jsonata; print('jsonata' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "False"


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**31), 2**31) | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, min_size=1, max_size=3)
        | st.dictionaries(st.text(min_size=1, max_size=3), inner, max_size=3)
    ),
    max_leaves=10,
)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=3), JSON, max_size=4))
def test_identity_round_trips_objects(document: dict[str, Any]) -> None:
    assert compile_jsonata("$").evaluate(document) == document


@settings(max_examples=100, deadline=None)
@given(JSON, st.sampled_from(["a.b", "$count(*)", "**.x", "$keys($)", "$string($)", "a[0]"]))
def test_evaluate_raises_only_transform_errors(document: Any, expression: str) -> None:
    with contextlib.suppress(TransformError):
        compile_jsonata(expression).evaluate(document)
