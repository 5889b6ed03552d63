"""``$math``: Velocity Tools' ``MathTool`` (2.0), as Genesys documents it.

Arguments may be numbers or numeric strings; anything that is not a number makes the
method return null, so the reference renders as its own text. Results are Integer when
the value is whole and no argument was written with a decimal point, else Double.
"""

from __future__ import annotations

import math
import re
from typing import Any, ClassVar

from actionpact.genesys._velocity_java import (
    JavaObject,
    MethodTable,
    java_int,
    java_long,
    java_string,
    jm,
)

__all__ = ["MathTool"]

_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1
# NumberFormat.parse as MathTool uses it: a leading number, grouping commas allowed.
_LEADING_NUMBER = re.compile(r"(-)?(\d[\d,]*)?(\.(\d*))?")


def to_number(value: Any) -> int | float | None:
    """MathTool's ``toNumber``: a Number as is, else the number a string starts with."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value
    text = java_string(value)
    match = _LEADING_NUMBER.match(text)
    if match is None or not (match.group(2) or match.group(4)):
        return None
    whole = (match.group(2) or "0").replace(",", "")
    fraction = (match.group(4) or "").rstrip("0")
    negative = match.group(1) is not None
    if fraction:
        number = float(f"{whole}.{fraction}")
        return -number if negative else number
    if negative and int(whole) == 0:
        return -0.0  # DecimalFormat returns a Double for negative zero
    return -int(whole) if negative else int(whole)


def _double(value: int | float) -> float:
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def _match_type(out: float, *numbers: int | float) -> int | float:
    """Integer/Long when ``out`` is whole and no input was written with a ``.``."""
    integral = not math.isnan(out) and (math.isinf(out) or out == math.floor(out))
    if integral and any("." in java_string(number) for number in numbers):
        integral = False
    if not integral:
        return out
    if out > _INT_MAX or out < _INT_MIN:
        return java_long(out)
    return int(out)


def _numbers(values: tuple[Any, ...]) -> list[int | float] | None:
    numbers = [to_number(value) for value in values]
    if any(number is None for number in numbers):
        return None
    return numbers  # type: ignore[return-value]


def _fold(values: tuple[Any, ...], start: float | None, op: Any) -> int | float | None:
    numbers = _numbers(values)
    if numbers is None:
        return None
    total = start
    for number in numbers:
        total = _double(number) if total is None else op(total, _double(number))
    return _match_type(0.0 if total is None else total, *numbers)


def _div(tool: MathTool, *values: Any) -> int | float | None:
    numbers = _numbers(values)
    if numbers is None or any(_double(n) == 0.0 for n in numbers[1:]):
        return None
    total = _double(numbers[0]) if numbers else 0.0
    for number in numbers[1:]:
        total /= _double(number)
    return _match_type(total, *numbers)


def _extreme(values: tuple[Any, ...], pick: Any) -> int | float | None:
    numbers = _numbers(values)
    if not numbers:
        return None
    return _match_type(pick(_double(n) for n in numbers), *numbers)


def _unary(convert: Any) -> Any:
    def method(tool: MathTool, value: Any) -> Any:
        number = to_number(value)
        return None if number is None else convert(number)

    return method


def _int_op(op: Any) -> Any:
    def method(tool: MathTool, left: Any, right: Any) -> int | None:
        a, b = to_number(left), to_number(right)
        if a is None or b is None or java_int(b) == 0:
            return None
        return op(java_int(a), java_int(b))  # type: ignore[no-any-return]

    return method


def _java_int_div(a: int, b: int) -> int:
    quotient = abs(a) // abs(b)
    return java_int(quotient if (a < 0) == (b < 0) else -quotient)


def _java_int_mod(a: int, b: int) -> int:
    return a - b * _java_int_div(a, b)


def _round_to(tool: MathTool, decimals: Any, value: Any) -> float | None:
    places, number = to_number(decimals), to_number(value)
    if places is None or number is None:
        return None
    delta = 10
    for _ in range(1, min(java_int(places), 40)):
        delta = java_int(delta * 10)  # Java int arithmetic wraps around
    if delta == 0:
        return math.nan
    scaled = _double(number) * delta
    rounded = java_long(math.floor(scaled + 0.5)) if math.isfinite(scaled) else java_long(scaled)
    return rounded / delta


def _pow(tool: MathTool, base: Any, exponent: Any) -> int | float | None:
    a, b = to_number(base), to_number(exponent)
    if a is None or b is None:
        return None
    try:
        result = math.pow(_double(a), _double(b))
    except (OverflowError, ValueError):
        result = math.inf if _double(a) > 0 else math.nan
    return _match_type(result, a, b)


def _integer(function: Any) -> Any:
    """``(int) Math.xxx(n.doubleValue())`` as MathTool's ceil/floor/round return it."""

    def convert(number: int | float) -> int:
        value = _double(number)
        return java_int(float(function(value)) if math.isfinite(value) else value)

    return _unary(convert)


class MathTool(JavaObject):
    """``$math.add(1, 2)``, ``$math.div``, ``$math.roundTo(2, $x)``... (no ``random``)."""

    java_class = "org.apache.velocity.tools.generic.MathTool"
    java_methods: ClassVar[MethodTable] = {
        "add": [jm(lambda t, *v: _fold(v, None, lambda a, b: a + b), varargs="Object")],
        "sub": [jm(lambda t, *v: _fold(v, None, lambda a, b: a - b), varargs="Object")],
        "mul": [jm(lambda t, *v: _fold(v, None, lambda a, b: a * b), varargs="Object")],
        "div": [jm(_div, varargs="Object")],
        "max": [jm(lambda t, *v: _extreme(v, max), varargs="Object")],
        "min": [jm(lambda t, *v: _extreme(v, min), varargs="Object")],
        "pow": [jm(_pow, "Object", "Object")],
        "idiv": [jm(_int_op(_java_int_div), "Object", "Object")],
        "mod": [jm(_int_op(_java_int_mod), "Object", "Object")],
        "abs": [jm(_unary(lambda n: _match_type(abs(_double(n)), n)), "Object")],
        "ceil": [jm(_integer(math.ceil), "Object")],
        "floor": [jm(_integer(math.floor), "Object")],
        # Math.rint: halves go to the even neighbour, as Python's round does.
        "round": [jm(_integer(round), "Object")],
        "roundTo": [jm(_round_to, "Object", "Object")],
        "toInteger": [jm(_unary(java_int), "Object")],
        "toDouble": [jm(_unary(_double), "Object")],
        "toNumber": [jm(_unary(lambda n: n), "Object")],
    }
