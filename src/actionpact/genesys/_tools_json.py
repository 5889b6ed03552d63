"""JSON the way Genesys's Java side (Jackson) writes it, for the tools that emit JSON text.

Jackson writes compact JSON, keeps ``/`` and non-ASCII characters as they are, escapes
control characters as ``\\b \\t \\n \\f \\r`` or ``\\u00XX`` with upper-case hex, and
writes a double with Java's ``Double.toString`` (``1.0E20``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from actionpact.genesys._velocity_java import java_double

__all__ = ["escape_json_string", "jackson_json", "parse_json", "unescape_json_string"]

_SHORT = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f]')
_ESCAPED = re.compile(r'\\(["\\/bfnrt]|u[0-9a-fA-F]{4})')
_UNESCAPE = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    return _SHORT.get(char) or f"\\u{ord(char):04X}"


def escape_json_string(text: str) -> str:
    """JSON string escaping without the surrounding quotes (Jackson's ``quoteAsString``).

    >>> escape_json_string('say "hi"\\n/\\x01')
    'say \\\\"hi\\\\"\\\\n/\\\\u0001'
    """
    return _NEEDS_ESCAPE.sub(_escape_char, text)


def unescape_json_string(text: str) -> str:
    """Undo JSON string escapes; anything that is not a valid escape stays as written."""

    def replace(match: re.Match[str]) -> str:
        code = match.group(1)
        return chr(int(code[1:], 16)) if code[0] == "u" else _UNESCAPE[code]

    return _ESCAPED.sub(replace, text)


def jackson_json(value: Any) -> str:
    """Compact JSON text of a parsed value, as Jackson writes it."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return java_double(value)
    if isinstance(value, str):
        return f'"{escape_json_string(value)}"'
    if isinstance(value, Mapping):
        return (
            "{"
            + ",".join(
                f'"{escape_json_string(str(k))}":{jackson_json(v)}' for k, v in value.items()
            )
            + "}"
        )
    if isinstance(value, list | tuple):
        return "[" + ",".join(jackson_json(item) for item in value) + "]"
    return f'"{escape_json_string(str(value))}"'


def parse_json(text: str) -> Any:
    """Parse JSON text as Jackson would read it; raises ``ValueError`` when it is not JSON."""
    return json.loads(text, parse_constant=_reject_constant)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")
