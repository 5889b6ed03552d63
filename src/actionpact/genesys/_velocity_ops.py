"""Velocity 2's operators with Java number semantics and strict-mode failures.

``/`` on two integers truncates toward zero, ``%`` keeps the dividend's sign, ``+`` with
a String concatenates, a zero divisor or a non-number operand is an error (strict mode
throws where lenient Velocity would log and return null).
"""

from __future__ import annotations

import math
from typing import Any

from actionpact.genesys._velocity_java import java_class_name, java_string, velocity_equals

__all__ = ["MAX_STRING", "OperatorError", "arithmetic", "compare", "negate"]

MAX_STRING = 10_000_000  # an emulator's guard: Genesys would run out of time first


class OperatorError(Exception):
    """An operator cannot be applied; the message is the reason Velocity gives."""


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _to_float(value: int | float) -> float:
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def _check_operands(op: str, left: Any, right: Any, left_text: str, right_text: str) -> None:
    for side, value, text in (("Left", left, left_text), ("Right", right, right_text)):
        if value is None:
            raise OperatorError(f"{side} side ({text}) of '{op}' operation has null value")
        if not _is_number(value):
            raise OperatorError(
                f"{side} side ({text}) of '{op}' operation is not a Number "
                f"({java_class_name(value)})"
            )


def arithmetic(op: str, left: Any, right: Any, left_text: str, right_text: str) -> Any:
    """``+ - * / %`` as Velocity's ``MathUtils`` computes them."""
    if op == "+" and (isinstance(left, str) or isinstance(right, str)):
        # Velocity concatenates when either side is a String; a null side shows its text.
        left_str = left_text if left is None else java_string(left)
        right_str = right_text if right is None else java_string(right)
        if len(left_str) + len(right_str) > MAX_STRING:
            raise OperatorError(f"a string grew past {MAX_STRING} characters")
        return left_str + right_str
    _check_operands(op, left, right, left_text, right_text)
    integral = isinstance(left, int) and isinstance(right, int)
    if op in ("/", "%") and right == 0:
        name = "division" if op == "/" else "modulus"
        raise OperatorError(f"Right side of {name} operation is zero. Must be non-zero")
    if integral:
        if op == "+":
            return left + right
        if op == "-":
            return left - right
        if op == "*":
            return left * right
        quotient = abs(left) // abs(right)
        if (left < 0) != (right < 0):
            quotient = -quotient
        return quotient if op == "/" else left - right * quotient
    a, b = _to_float(left), _to_float(right)
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "/":
        return a / b
    return math.fmod(a, b)


def compare(op: str, left: Any, right: Any, left_text: str, right_text: str) -> bool:
    """``== != < <= > >=``: equality by Velocity's rules, ordering on numbers only."""
    if op == "==":
        return velocity_equals(left, right)
    if op == "!=":
        return not velocity_equals(left, right)
    _check_operands(op, left, right, left_text, right_text)
    if isinstance(left, float) or isinstance(right, float):
        a, b = _to_float(left), _to_float(right)
    else:
        a, b = left, right
    if op == "<":
        return bool(a < b)
    if op == "<=":
        return bool(a <= b)
    if op == ">":
        return bool(a > b)
    return bool(a >= b)


def negate(value: Any, text: str) -> Any:
    """Unary minus."""
    if not _is_number(value):
        kind = "has null value" if value is None else f"is not a Number ({java_class_name(value)})"
        raise OperatorError(f"Operand ({text}) of unary '-' operation {kind}")
    return -value
