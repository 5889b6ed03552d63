"""Java semantics for values inside Velocity templates: rendering, truth, equality, members.

Genesys runs Velocity on the JVM, so a template sees Java objects: ``true`` renders as
``true``, ``1e20`` as ``1.0E20``, a list as ``[a, b]``, a map as ``{k=v}``. Python values
stand in for them here (``str`` for String, ``int`` for Integer/Long/BigInteger, ``float``
for Double, ``list`` for ArrayList, ``dict`` for LinkedHashMap) and :class:`JavaObject`
subclasses for the tools. Members are looked up in explicit tables, so a method Java does
not have is an error (strict mode), never silently rendered as text.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, ClassVar

__all__ = [
    "JavaMethod",
    "JavaObject",
    "JavaThrown",
    "NoSuchMember",
    "get_index",
    "get_property",
    "invoke",
    "java_class_name",
    "java_double",
    "java_equals",
    "java_int",
    "java_long",
    "java_string",
    "jm",
    "truthy",
    "velocity_equals",
]

_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1
_LONG_MIN, _LONG_MAX = -(2**63), 2**63 - 1


class NoSuchMember(Exception):
    """The object has no such method or property (a strict-mode error in Velocity)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class JavaThrown(Exception):
    """A Java method threw: becomes Velocity's ``Invocation of method ... threw exception``."""

    def __init__(self, exception: str, message: str | None = None):
        super().__init__(exception)
        self.exception = exception
        self.message = message

    def describe(self) -> str:
        """``java.lang.X: message`` the way Java prints an exception."""
        return f"{self.exception}: {self.message}" if self.message else self.exception


# --------------------------------------------------------------------------- rendering


def java_double(value: float) -> str:
    """Render a float the way Java's ``Double.toString`` does.

    >>> java_double(1.5), java_double(100.0), java_double(1e20), java_double(0.0001)
    ('1.5', '100.0', '1.0E20', '1.0E-4')
    """
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0.0:
        return "-0.0" if math.copysign(1.0, value) < 0 else "0.0"
    sign = "-" if value < 0 else ""
    # repr gives the shortest round-tripping digits, as Java 19+ does.
    mantissa, _, exp_text = repr(abs(value)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    all_digits = whole + fraction
    digits = all_digits.lstrip("0")
    # value = 0.<digits> x 10^point
    point = len(whole) + int(exp_text or 0) - (len(all_digits) - len(digits))
    digits = digits.rstrip("0") or "0"
    magnitude = point - 1  # value = d.ddd x 10^magnitude
    if -3 <= magnitude < 7:
        if point <= 0:
            return f"{sign}0.{'0' * -point}{digits}"
        if point >= len(digits):
            return f"{sign}{digits}{'0' * (point - len(digits))}.0"
        return f"{sign}{digits[:point]}.{digits[point:]}"
    return f"{sign}{digits[0]}.{digits[1:] or '0'}E{magnitude}"


def java_string(value: Any) -> str:
    """How Velocity renders a value: Java's ``String.valueOf``.

    >>> java_string(True), java_string(1.0), java_string({"k": [1, None]})
    ('true', '1.0', '{k=[1, null]}')
    """
    kind = type(value)
    if kind is str:
        return value  # type: ignore[no-any-return]
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    if kind is float:
        return java_double(value)
    if value is None:
        return "null"
    if isinstance(value, JavaObject):
        return value.java_to_string()
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{java_string(k)}={java_string(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple | range):
        return "[" + ", ".join(java_string(item) for item in value) + "]"
    if isinstance(value, bool):  # subclasses of the JSON types
        return "true" if value else "false"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        return java_double(float(value))
    if isinstance(value, str):
        return str.__str__(value)
    return str(value)


def java_class_name(value: Any) -> str:
    """The Java class Genesys would see for ``value`` (used in strict-mode messages)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "java.lang.Boolean"
    if isinstance(value, int):
        if _INT_MIN <= value <= _INT_MAX:
            return "java.lang.Integer"
        if _LONG_MIN <= value <= _LONG_MAX:
            return "java.lang.Long"
        return "java.math.BigInteger"
    if isinstance(value, float):
        return "java.lang.Double"
    if isinstance(value, str):
        return "java.lang.String"
    if isinstance(value, JavaObject):
        return value.java_class
    if isinstance(value, Mapping):
        return "java.util.LinkedHashMap"
    if isinstance(value, list | tuple | range):
        return "java.util.ArrayList"
    return type(value).__name__


# --------------------------------------------------------------------------- truth, equality


def truthy(value: Any) -> bool:
    """Velocity 2's ``#if`` truth with ``directive.if.empty_check`` (its default).

    null, false, empty strings, empty collections and maps and zero numbers are false.
    """
    if value is None or value is False:
        return False
    if value is True:
        return True
    if isinstance(value, str | list | tuple | dict | range):
        return len(value) > 0
    if isinstance(value, int | float):
        return value != 0
    if isinstance(value, JavaObject):
        return value.java_to_string() != ""
    return True


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def java_equals(left: Any, right: Any) -> bool:
    """Java's ``Object.equals``: a Long 1 does not equal a Double 1.0."""
    if left is None or right is None:
        return left is None and right is None
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    if isinstance(left, int) and isinstance(right, int):
        return left == right
    if isinstance(left, float) and isinstance(right, float):
        return left == right or (math.isnan(left) and math.isnan(right))
    if isinstance(left, str) and isinstance(right, str):
        return left == right
    if isinstance(left, list | tuple | range) and isinstance(right, list | tuple | range):
        return len(left) == len(right) and all(
            java_equals(a, b) for a, b in zip(left, right, strict=True)
        )
    if isinstance(left, Mapping) and isinstance(right, Mapping):
        return left.keys() == right.keys() and all(java_equals(left[k], right[k]) for k in left)
    return left is right


def _family(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, str):
        return "str"
    if isinstance(value, list | tuple | range):
        return "list"
    if isinstance(value, Mapping):
        return "map"
    return java_class_name(value)


def velocity_equals(left: Any, right: Any) -> bool:
    """Velocity's ``==``: numbers by value, same classes by ``equals``, else by ``toString``."""
    if left is None or right is None:
        return left is None and right is None
    if _is_number(left) and _is_number(right):
        return bool(left == right)
    if _family(left) == _family(right):
        return java_equals(left, right)
    return java_string(left) == java_string(right)


# --------------------------------------------------------------------------- members


@dataclass(frozen=True, slots=True)
class JavaMethod:
    """One Java overload: the implementation and its declared parameter kinds.

    ``impl`` is called as ``impl(target, *converted_args)``. Parameter kinds: ``String``,
    ``int``, ``double``, ``boolean``, ``Object``; ``varargs`` names the kind of trailing
    variadic arguments.
    """

    impl: Callable[..., Any]
    params: tuple[str, ...] = ()
    varargs: str | None = None


def jm(impl: Callable[..., Any], *params: str, varargs: str | None = None) -> JavaMethod:
    """Shorthand for :class:`JavaMethod`."""
    return JavaMethod(impl, params, varargs)


MethodTable = Mapping[str, Sequence[JavaMethod]]


class JavaObject:
    """Base of the tool objects Genesys puts in the context (``$esc``, ``$math``...).

    Subclasses list their Java methods in ``java_methods``; a property ``$tool.quote``
    resolves to the getter ``getQuote()`` like a Java bean.
    """

    java_class: ClassVar[str] = "java.lang.Object"
    java_methods: ClassVar[MethodTable] = {}

    def java_to_string(self) -> str:
        """What ``toString()`` returns; Java's default names the class."""
        return f"{self.java_class}@{id(self) & 0xFFFFFF:x}"


_MISSING: Any = object()


def _convert(value: Any, kind: str) -> Any:
    """Velocity 2's argument conversion for one parameter, or ``_MISSING`` if impossible."""
    if kind == "Object":
        return value
    if kind == "String":
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, bool | int | float):
            return java_string(value)
        return _MISSING
    if value is None:
        return _MISSING  # a primitive parameter cannot take null
    if kind == "int":
        if isinstance(value, bool):
            return _MISSING
        if isinstance(value, int):
            return value if _LONG_MIN <= value <= _LONG_MAX else _MISSING
        if isinstance(value, float):
            return java_long(value)
        if isinstance(value, str):
            try:
                return int(value.strip())
            except ValueError:
                return _MISSING
        return _MISSING
    if kind == "double":
        if isinstance(value, bool):
            return _MISSING
        if isinstance(value, int | float):
            return float(value)
        if isinstance(value, str):
            try:
                return float(value.strip())
            except ValueError:
                return _MISSING
        return _MISSING
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        return _MISSING
    raise AssertionError(f"unknown parameter kind {kind}")


def java_long(value: float) -> int:
    """Java's ``(long)`` cast of a double: truncation, saturating, NaN is 0."""
    if math.isnan(value):
        return 0
    if value >= _LONG_MAX:
        return _LONG_MAX
    if value <= _LONG_MIN:
        return _LONG_MIN
    return int(value)


def _exact(value: Any, kind: str) -> Any:
    """The argument as is when Java would accept it without conversion, else ``_MISSING``."""
    if kind == "Object":
        return value
    if kind == "String":
        return value if value is None or isinstance(value, str) else _MISSING
    if isinstance(value, bool):
        return value if kind == "boolean" else _MISSING
    if kind == "int":
        return value if isinstance(value, int) and _LONG_MIN <= value <= _LONG_MAX else _MISSING
    if kind == "double":
        return float(value) if isinstance(value, int | float) else _MISSING
    return _MISSING


def _match(
    method: JavaMethod, args: Sequence[Any], convert: Callable[[Any, str], Any]
) -> list[Any] | None:
    fixed = len(method.params)
    if len(args) < fixed or (method.varargs is None and len(args) != fixed):
        return None
    kinds = list(method.params) + [method.varargs or "Object"] * (len(args) - fixed)
    converted: list[Any] = []
    for value, kind in zip(args, kinds, strict=True):
        result = convert(value, kind)
        if result is _MISSING:
            return None
        converted.append(result)
    return converted


def _table_for(target: Any) -> MethodTable:
    if isinstance(target, str):
        return _string_methods()
    if isinstance(target, JavaObject):
        return target.java_methods
    if isinstance(target, bool):
        return _BOOLEAN_METHODS
    if isinstance(target, int | float):
        return _NUMBER_METHODS
    if isinstance(target, dict):
        return _MAP_METHODS
    if isinstance(target, list | tuple | range):
        return _LIST_METHODS
    if isinstance(target, Mapping):
        return _MAP_METHODS
    return {}


@cache
def _string_methods() -> MethodTable:
    # String methods live in their own module, which imports this one.
    from actionpact.genesys._velocity_jstring import STRING_METHODS

    return STRING_METHODS


def invoke(target: Any, name: str, args: Sequence[Any]) -> Any:
    """Call Java method ``name`` on ``target``.

    Raises:
        NoSuchMember: Velocity found no method of that name taking those arguments.
        JavaThrown: the method threw.
    """
    overloads = [*_table_for(target).get(name, ()), *_OBJECT_METHODS.get(name, ())]
    # Like Java, an overload that takes the arguments as they are wins over a conversion.
    for convert in (_exact, _convert):
        for method in overloads:
            converted = _match(method, args, convert)
            if converted is not None:
                return method.impl(target, *converted)
    types = ", ".join(java_class_name(arg) for arg in args)
    raise NoSuchMember(
        f"Object '{java_class_name(target)}' does not contain method {name}({types})"
    )


def get_property(target: Any, name: str) -> Any:
    """``$target.name``: a map key (null when absent) or a bean getter.

    Raises:
        NoSuchMember: no key semantics and no ``getName()``/``isName()`` getter.
    """
    if isinstance(target, Mapping):
        return target.get(name)
    table = _table_for(target)
    capital = name[:1].upper() + name[1:]
    for getter in (f"get{capital}", f"get{name}", f"is{capital}"):
        for method in table.get(getter, ()):
            if not method.params and method.varargs is None:
                return method.impl(target)
    raise NoSuchMember(f"Object '{java_class_name(target)}' does not contain property '{name}'")


def get_index(target: Any, index: Any) -> Any:
    """``$target[index]``: list element or map value, as Velocity 2 resolves it."""
    if isinstance(target, Mapping):
        return target.get(index)
    if isinstance(target, list | tuple | range) and isinstance(index, int):
        if isinstance(index, bool):
            raise NoSuchMember(
                f"Object '{java_class_name(target)}' does not contain method get(java.lang.Boolean)"
            )
        if 0 <= index < len(target):
            return target[index]
        raise JavaThrown(
            "java.lang.IndexOutOfBoundsException",
            f"Index {index} out of bounds for length {len(target)}",
        )
    raise NoSuchMember(
        f"Object '{java_class_name(target)}' does not contain method get({java_class_name(index)})"
    )


# --------------------------------------------------------------------------- tables


def _list_get(target: Sequence[Any], index: int) -> Any:
    if 0 <= index < len(target):
        return target[index]
    raise JavaThrown(
        "java.lang.IndexOutOfBoundsException",
        f"Index {index} out of bounds for length {len(target)}",
    )


def _list_index_of(target: Sequence[Any], value: Any) -> int:
    return next((i for i, item in enumerate(target) if java_equals(item, value)), -1)


def _list_add(target: Any, value: Any) -> bool:
    if not isinstance(target, list):
        raise JavaThrown("java.lang.UnsupportedOperationException")
    target.append(value)
    return True


def _list_set(target: Any, index: int, value: Any) -> Any:
    previous = _list_get(target, index)
    if not isinstance(target, list):
        raise JavaThrown("java.lang.UnsupportedOperationException")
    target[index] = value
    return previous


_LIST_METHODS: MethodTable = {
    "size": [jm(len)],
    "isEmpty": [jm(lambda t: len(t) == 0)],
    "get": [jm(_list_get, "int")],
    "contains": [jm(lambda t, v: _list_index_of(t, v) >= 0, "Object")],
    "indexOf": [jm(_list_index_of, "Object")],
    "add": [jm(_list_add, "Object")],
    "set": [jm(_list_set, "int", "Object")],
}


def _map_put(target: Any, key: Any, value: Any) -> Any:
    if not isinstance(target, dict):
        raise JavaThrown("java.lang.UnsupportedOperationException")
    previous = target.get(key)
    target[key] = value
    return previous


_MAP_METHODS: MethodTable = {
    "get": [jm(lambda t, k: t.get(k), "Object")],
    "containsKey": [jm(lambda t, k: k in t, "Object")],
    "containsValue": [jm(lambda t, v: any(java_equals(x, v) for x in t.values()), "Object")],
    "keySet": [jm(lambda t: list(t.keys()))],
    "values": [jm(lambda t: list(t.values()))],
    "size": [jm(len)],
    "isEmpty": [jm(lambda t: len(t) == 0)],
    "put": [jm(_map_put, "Object", "Object")],
}


def java_int(value: float) -> int:
    """Java's ``intValue()``: a double saturates (NaN is 0), a long wraps around."""
    if isinstance(value, float):
        return max(_INT_MIN, min(_INT_MAX, java_long(value)))
    return ((value - _INT_MIN) % 2**32) + _INT_MIN


_NUMBER_METHODS: MethodTable = {
    "intValue": [jm(java_int)],
    "longValue": [jm(lambda t: java_long(t) if isinstance(t, float) else t)],
    "doubleValue": [jm(float)],
}

_BOOLEAN_METHODS: MethodTable = {
    "booleanValue": [jm(lambda t: t)],
}

_OBJECT_METHODS: MethodTable = {
    "toString": [jm(java_string)],
    "equals": [jm(java_equals, "Object")],
}
