"""Jayway's filter value semantics: how ``==``, ``<``, ``in``, ``=~``... compare operands.

Operands become tagged nodes, one tag per Jayway ValueNode class: ``S`` string, ``N``
number (compared as BigDecimal), ``B`` boolean, ``Z`` null, ``J`` a document array or object,
``T`` a JSON literal written in the filter, ``U`` undefined (the path did not resolve), ``P``
a regex, ``X`` a path held in a literal list (equal to nothing). The rules are Jayway's, some
of which surprise: ``'1' == 1`` is true, ``1 == '1.0'`` is true but ``'1.0' == 1`` is false,
a missing property is ``!=`` to everything, and a missing property matches ``=~ /.*/``.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from actionpact.genesys._jsonpath_eval import Failure, Invalid
from actionpact.genesys._jsonpath_model import JsonLiteral
from actionpact.genesys._jsonpath_text import (
    java_decimal,
    java_number_text,
    java_string_compare,
    java_string_length,
    java_trim,
    unescape,
)

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "OPERATORS",
    "UNDEFINED",
    "Node",
    "compile_regex",
    "doc_node",
    "literal_node",
    "parse_json_literal",
    "relational",
]

Node = tuple[str, Any]
UNDEFINED: Node = ("U", None)
_JSONISH = ("J", "T")

# Jayway's RelationalOperator strings, in lower case.
OPERATORS = frozenset(
    {
        ">=", "<=", "==", "===", "!=", "!==", "<", ">", "=~", "nin", "in", "contains", "all",
        "size", "exists", "type", "matches", "empty", "subsetof", "anyof", "noneof",
    }
)  # fmt: skip


def doc_node(value: Any) -> Node:
    """A value read from the document, as Jayway's PathNode.evaluate converts it."""
    if value is None:
        return ("Z", None)
    if isinstance(value, str):
        return ("S", value)
    if isinstance(value, bool):
        return ("B", value)
    if isinstance(value, int):
        return ("N", value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise Failure(f"Could not convert {value} to a ValueNode")
        return ("N", value)
    if isinstance(value, list | dict):
        return ("J", value)
    raise Failure(f"Could not convert {type(value).__name__} to a ValueNode")


def literal_node(value: Any) -> Node:
    """An element of a JSON array used as a value list (Jayway's ValueNode.toValueNode)."""
    if value is None:
        return ("Z", None)
    if isinstance(value, str):
        text = java_trim(value)
        if text[:1] in ("@", "$"):
            # A string that compiles as a path becomes a path node, equal to nothing.
            # Imported here: the path compiler imports this module.
            from actionpact.genesys._jsonpath_parse import is_valid_path

            if is_valid_path(text):
                return ("X", value)
        if len(text) > 1 and (text[0], text[-1]) in (("[", "]"), ("{", "}")):
            parsed = parse_json_literal(text)
            if parsed is not None:
                return ("T", JsonLiteral(value, parsed))
        return ("S", _string_literal(value))
    if isinstance(value, bool):
        return ("B", value)
    if isinstance(value, int | float):
        return doc_node(value)
    raise Failure("Could not determine value type")


def _string_literal(text: str) -> str:
    # StringNode(text, escape=true) strips one pair of matching quotes, then unescapes.
    if len(text) > 1:
        if text[0] == text[-1] and text[0] in "'\"":
            text = text[1:-1]
        return unescape(text)
    return text


def _dec(value: Any) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    return Decimal(repr(value))


def _parsed(node: Node) -> Any:
    if node[0] == "J":
        return node[1]
    literal: JsonLiteral = node[1]
    if literal.value is None:
        raise Failure(f"invalid JSON literal {literal.text}")
    return literal.value


def _json_equals(a: Any, b: Any) -> bool:
    # Java's equals over parsed JSON: Integer and Double are never equal, nor is true and 1.
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, int) or isinstance(b, int):
        return type(a) is type(b) and a == b
    if isinstance(a, list):
        return (
            isinstance(b, list)
            and len(a) == len(b)
            and all(_json_equals(x, y) for x, y in zip(a, b, strict=True))
        )
    if isinstance(a, dict):
        return (
            isinstance(b, dict)
            and a.keys() == b.keys()
            and all(_json_equals(v, b[k]) for k, v in a.items())
        )
    return type(a) is type(b) and bool(a == b)


def node_equals(a: Node, b: Node) -> bool:
    """Java ``a.equals(b)`` between two ValueNodes (not symmetric)."""
    ka, kb = a[0], b[0]
    if ka == "S":
        if kb == "S":
            return bool(a[1] == b[1])
        return kb == "N" and a[1] == java_number_text(b[1])
    if ka == "N":
        if kb == "N":
            return _dec(a[1]) == _dec(b[1])
        if kb == "S":
            other = java_decimal(b[1])
            return other is not None and other == _dec(a[1])
        return False
    if ka == "B":
        return kb == "B" and a[1] == b[1]
    if ka == "Z":
        return kb == "Z"
    if ka == "J":
        return kb == "J" and _json_equals(a[1], b[1])
    if ka == "T":
        return kb == "T" and a[1].text == b[1].text
    return False


def _value_list(node: Node) -> list[Node] | None:
    """JsonNode.asValueListNode(ctx): None (UNDEFINED) when the JSON is not an array."""
    parsed = _parsed(node)
    if not isinstance(parsed, list):
        return None
    return [literal_node(v) for v in parsed]


def _eq(a: Node, b: Node) -> bool:
    if a[0] in _JSONISH and b[0] in _JSONISH:
        # Jayway compares the left node's raw JSON with the right one parsed: a literal on
        # the left is still text and equals nothing.
        return a[0] == "J" and _json_equals(a[1], _parsed(b))
    return node_equals(a, b)


def _order(a: Node, b: Node) -> int | None:
    if a[0] == "N" and b[0] == "N":
        x, y = _dec(a[1]), _dec(b[1])
        return (x > y) - (x < y)
    if a[0] == "S" and b[0] == "S":
        return java_string_compare(a[1], b[1])
    return None


def _regex_input(node: Node) -> str:
    if node[0] == "S":
        return str(node[1])
    if node[0] == "N":
        return java_number_text(node[1])
    if node[0] == "B":
        return "true" if node[1] else "false"
    return ""


def _regex(a: Node, b: Node) -> bool:
    if (a[0] == "P") == (b[0] == "P"):
        return False
    pattern, other = (a[1], b) if a[0] == "P" else (b[1], a)
    if other[0] in _JSONISH and isinstance(_parsed(other), list):
        items = _value_list(other) or []
        return any(pattern.fullmatch(_regex_input(item)) for item in items)
    return pattern.fullmatch(_regex_input(other)) is not None


def _list_operand(node: Node) -> list[Node] | None:
    # JsonNode.asValueListNode(ctx) for JSON; any other node throws "Expected value list node".
    if node[0] in _JSONISH:
        return _value_list(node)
    raise Invalid("Expected value list node")


def _in(a: Node, b: Node) -> bool:
    items = _list_operand(b)
    return items is not None and any(node_equals(a, item) for item in items)


def _contains(a: Node, b: Node) -> bool:
    if a[0] == "S" and b[0] == "S":
        return b[1] in a[1]
    if a[0] in _JSONISH:
        items = _value_list(a)
        return items is not None and any(node_equals(b, item) for item in items)
    return False


def _boolean(node: Node) -> bool:
    if node[0] != "B":
        raise Invalid("Expected boolean node")
    return bool(node[1])


def _size(a: Node, b: Node) -> bool:
    if b[0] != "N":
        return False
    expected = int(_dec(b[1]))
    if a[0] == "S":
        return java_string_length(a[1]) == expected
    if a[0] in _JSONISH:
        parsed = _parsed(a)
        return (len(parsed) if isinstance(parsed, list) else -1) == expected
    return False


def _empty(a: Node, b: Node) -> bool:
    if a[0] == "S":
        return bool(a[1] == "") == _boolean(b)
    if a[0] in _JSONISH:
        parsed = _parsed(a)
        if isinstance(parsed, dict):
            # Jayway casts the map to a Collection: ClassCastException, the read fails.
            raise Failure("class LinkedHashMap cannot be cast to class Collection")
        empty = len(parsed) == 0 if isinstance(parsed, list | str) else True
        return bool(empty == _boolean(b))
    return False


def _set_operands(a: Node, b: Node) -> tuple[list[Node], list[Node]] | None:
    right = _list_operand(b)
    if right is None:
        return None
    left = _list_operand(a)
    if left is None:
        return None
    return left, right


def _subsetof(a: Node, b: Node) -> bool:
    pair = _set_operands(a, b)
    return pair is not None and all(any(node_equals(x, y) for y in pair[1]) for x in pair[0])


def _anyof(a: Node, b: Node) -> bool:
    pair = _set_operands(a, b)
    return pair is not None and any(node_equals(x, y) for x in pair[0] for y in pair[1])


def _noneof(a: Node, b: Node) -> bool:
    pair = _set_operands(a, b)
    return pair is not None and not any(node_equals(x, y) for x in pair[0] for y in pair[1])


def _all(a: Node, b: Node) -> bool:
    # Jayway asks the right node for a value list without a context, which only a Java
    # Filter API list provides: from a string filter it always throws.
    raise Invalid("Expected value list node")


def _exists(a: Node, b: Node) -> bool:
    if a[0] != "B" and b[0] != "B":
        raise Failure("Failed to evaluate exists expression")
    return _boolean(a) == _boolean(b)


def _never(a: Node, b: Node) -> bool:
    # `type` and `matches` need a Java class or predicate on the right, which a string
    # filter cannot express: Jayway throws, and the item is rejected.
    raise Invalid("Expected class node")


def _tseq(a: Node, b: Node) -> bool:
    same_class = a[0] == b[0] or (a[0] in _JSONISH and b[0] in _JSONISH)
    return same_class and _eq(a, b)


_EVALUATORS: dict[str, Callable[[Node, Node], bool]] = {
    "==": _eq,
    "!=": lambda a, b: not _eq(a, b),
    "===": _tseq,
    "!==": lambda a, b: not _tseq(a, b),
    "<": lambda a, b: (c := _order(a, b)) is not None and c < 0,
    "<=": lambda a, b: (c := _order(a, b)) is not None and c <= 0,
    ">": lambda a, b: (c := _order(a, b)) is not None and c > 0,
    ">=": lambda a, b: (c := _order(a, b)) is not None and c >= 0,
    "=~": _regex,
    "in": _in,
    "nin": lambda a, b: not _in(a, b),
    "contains": _contains,
    "all": _all,
    "size": _size,
    "empty": _empty,
    "subsetof": _subsetof,
    "anyof": _anyof,
    "noneof": _noneof,
    "exists": _exists,
    "type": _never,
    "matches": _never,
}


def relational(op: str) -> Callable[[Node, Node], bool]:
    """The evaluator for operator ``op`` (lower case); raises Invalid/Failure like Jayway."""
    return _EVALUATORS[op]


def compile_regex(pattern: str, flags: str) -> re.Pattern[str]:
    """A Java regex with Jayway's flag letters, as closely as Python's ``re`` allows."""
    value = 0
    if "u" not in flags and "U" not in flags:
        # Java matches \w, \d and case-insensitively in ASCII unless told otherwise.
        value |= re.ASCII
    if "i" in flags:
        value |= re.IGNORECASE
    if "m" in flags:
        value |= re.MULTILINE
    if "s" in flags:
        value |= re.DOTALL
    if "x" in flags:
        value |= re.VERBOSE
    return re.compile(pattern, value)


# --------------------------------------------------------------------------- JSON literals


class _Lenient:
    """A JSON reader as lenient as json-smart's MODE_PERMISSIVE for filter literals:
    single quotes, unquoted words, useless commas."""

    __slots__ = ("i", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0

    def blank(self) -> None:
        while self.i < len(self.text) and self.text[self.i] in " \t\r\n":
            self.i += 1

    def value(self) -> Any:
        self.blank()
        c = self.text[self.i]
        if c == "[":
            return self.sequence("]")
        if c == "{":
            return self.mapping()
        if c in "'\"":
            return self.quoted(c)
        return self.word()

    def sequence(self, close: str) -> list[Any]:
        self.i += 1
        items: list[Any] = []
        while True:
            self.blank()
            if self.text[self.i] == close:
                self.i += 1
                return items
            if self.text[self.i] == ",":
                self.i += 1
                continue
            items.append(self.value())
            self.blank()
            if self.text[self.i] not in ("," + close):
                raise ValueError("expected , or " + close)

    def mapping(self) -> dict[str, Any]:
        self.i += 1
        result: dict[str, Any] = {}
        while True:
            self.blank()
            c = self.text[self.i]
            if c == "}":
                self.i += 1
                return result
            if c == ",":
                self.i += 1
                continue
            key = self.quoted(c) if c in "'\"" else self.word(stop=":,}")
            self.blank()
            if self.text[self.i] != ":":
                raise ValueError("expected :")
            self.i += 1
            result[str(key)] = self.value()
            self.blank()
            if self.text[self.i] not in ",}":
                raise ValueError("expected , or }")

    def quoted(self, quote: str) -> str:
        start = self.i + 1
        i = start
        while self.text[i] != quote:
            i += 2 if self.text[i] == "\\" else 1
        self.i = i + 1
        return unescape(self.text[start:i])

    def word(self, stop: str = ",]}") -> Any:
        start = self.i
        while self.i < len(self.text) and self.text[self.i] not in stop:
            self.i += 1
        word = self.text[start : self.i].strip()
        if not word:
            raise ValueError("empty value")
        if word in ("true", "false"):
            return word == "true"
        if word == "null":
            return None
        if re.fullmatch(r"-?[0-9]+", word):
            return int(word)
        if re.fullmatch(r"-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", word):
            return float(word)
        return word


def parse_json_literal(text: str) -> Any:
    """Parse a filter's ``[...]``/``{...}`` literal; None when json-smart would reject it."""
    reader = _Lenient(text)
    try:
        value = reader.value()
        reader.blank()
    except (IndexError, ValueError, RecursionError):
        return None
    if reader.i != len(text):
        return None
    return value
