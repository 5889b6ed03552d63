"""The tools Genesys puts in every template's context: ``$esc``, ``$encoding``, ``$urlTool``,
``$math``, ``$successTemplateUtils``, ``$salesforce``, ``$msdynamics``.

``$esc`` and ``$math`` are Velocity Tools' EscapeTool and MathTool; the rest are Genesys's
own, implemented from the help pages ("Velocity macros for data actions", "URI (URL) form
encoding for data actions", "Phone number searches with the data action integration").
Where those pages are silent, the choice made is written next to the code. Like
EscapeTool, a tool given null returns null, so the reference renders as its own text.
"""

from __future__ import annotations

import base64
import html.entities
import re
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import quote, quote_plus, unquote_plus

from actionpact.genesys._tools_json import (
    escape_json_string,
    jackson_json,
    parse_json,
    unescape_json_string,
)
from actionpact.genesys._tools_math import MathTool
from actionpact.genesys._velocity_java import JavaObject, JavaThrown, MethodTable, java_string, jm

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

__all__ = [
    "EncodingTool",
    "EscapeTool",
    "MathTool",
    "MsDynamicsTool",
    "SalesforceTool",
    "SuccessTemplateUtils",
    "UrlTool",
    "genesys_tools",
    "url_encode",
]


def url_encode(text: str) -> str:
    """Java's ``URLEncoder.encode(text, "UTF-8")``: keeps letters, digits and ``.-*_``.

    >>> url_encode("a b~*")
    'a+b%7E*'
    """
    # quote_plus keeps "~" (RFC 3986) where Java encodes it; a lone surrogate becomes "?".
    return quote_plus(text, safe="*", errors="replace").replace("~", "%7E")


def _text_method(convert: Callable[[str], str]) -> Callable[[Any, Any], str | None]:
    """A tool method taking any object (``String.valueOf``) and returning null for null."""

    def method(tool: Any, value: Any) -> str | None:
        return None if value is None else convert(java_string(value))

    return method


# --------------------------------------------------------------------------- $esc

_JAVA_SHORT = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\n": "\\n", "\t": "\\t", "\f": "\\f"}
_JAVA_SHORT["\r"] = "\\r"


def _unicode_escape(char: str) -> str:
    code = ord(char)
    if code > 0xFFFF:  # Java escapes UTF-16 code units, so a pair of them
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04X}\\u{0xDC00 + (code & 0x3FF):04X}"
    return f"\\u{code:04X}"


def _escape_java(text: str, extra: Mapping[str, str] = MappingProxyType({})) -> str:
    """commons-lang3 ``escapeJava``: short escapes, ``\\uXXXX`` outside printable ASCII."""
    out: list[str] = []
    for char in text:
        replacement = extra.get(char) or _JAVA_SHORT.get(char)
        if replacement is not None:
            out.append(replacement)
        elif " " <= char <= "\x7f":
            out.append(char)
        else:
            out.append(_unicode_escape(char))
    return "".join(out)


_ECMASCRIPT = MappingProxyType({"'": "\\'", "/": "\\/"})


def _escape_html(text: str) -> str:
    """commons-lang3 ``escapeHtml4``: the HTML 4.0 named entities."""
    names = html.entities.codepoint2name
    return "".join(f"&{names[ord(c)]};" if ord(c) in names else c for c in text)


_XML = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;"}
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _escape_xml(text: str) -> str:
    """commons-lang3 ``escapeXml10``: the five entities; characters XML 1.0 forbids dropped."""
    return "".join(_XML.get(c, c) for c in _XML_INVALID.sub("", text))


def _uri_encode(text: str) -> str:
    # Genesys's uriEncode (not in EscapeTool): percent-encode everything but RFC 3986
    # unreserved characters, so a space is %20 (urlFormEncode gives "+"). Inferred from
    # the help page's description; not confirmed against a live org.
    return quote(text, safe="", errors="replace")


def _constant(value: str) -> Callable[[Any], str]:
    return lambda tool: value


class EscapeTool(JavaObject):
    """``$esc``: Velocity Tools' EscapeTool plus Genesys's JSON and URI methods."""

    java_class = "org.apache.velocity.tools.generic.EscapeTool"
    java_methods: ClassVar[MethodTable] = {
        "url": [jm(_text_method(url_encode), "Object")],
        "urlFormEncode": [jm(_text_method(url_encode), "Object")],
        "uriEncode": [jm(_text_method(_uri_encode), "Object")],
        "unurl": [jm(_text_method(lambda s: unquote_plus(s, errors="replace")), "Object")],
        "jsonString": [jm(_text_method(escape_json_string), "Object")],
        "jsonEncode": [jm(_text_method(escape_json_string), "Object")],
        "json": [jm(_text_method(escape_json_string), "Object")],
        "jsonDecode": [jm(_text_method(unescape_json_string), "Object")],
        "java": [jm(_text_method(_escape_java), "Object")],
        "javascript": [jm(_text_method(lambda s: _escape_java(s, _ECMASCRIPT)), "Object")],
        "html": [jm(_text_method(_escape_html), "Object")],
        "xml": [jm(_text_method(_escape_xml), "Object")],
        "sql": [jm(_text_method(lambda s: s.replace("'", "''")), "Object")],
        "getDollar": [jm(_constant("$"))],
        "getD": [jm(_constant("$"))],
        "getHash": [jm(_constant("#"))],
        "getH": [jm(_constant("#"))],
        "getBackslash": [jm(_constant("\\"))],
        "getB": [jm(_constant("\\"))],
        "getQuote": [jm(_constant('"'))],
        "getQ": [jm(_constant('"'))],
        "getSingleQuote": [jm(_constant("'"))],
        "getS": [jm(_constant("'"))],
        "getNewline": [jm(_constant("\n"))],
        "getN": [jm(_constant("\n"))],
        "getExclamation": [jm(_constant("!"))],
        "getE": [jm(_constant("!"))],
    }


# --------------------------------------------------------------------------- Genesys tools


class EncodingTool(JavaObject):
    """``$encoding.base64(text)``: Base64 of the UTF-8 bytes (Basic auth headers)."""

    java_class = "EncodingTool"
    java_methods: ClassVar[MethodTable] = {
        "base64": [
            jm(
                _text_method(
                    lambda s: base64.b64encode(s.encode("utf-8", errors="replace")).decode()
                ),
                "Object",
            )
        ],
    }


def _optional_query_param(tool: Any, name: Any, value: Any) -> str:
    # Documented as escaping the value and emitting it only when present. No leading
    # "&" or "?" is added: the help text shows none (not confirmed against a live org).
    if value is None:
        return ""
    text = java_string(value)
    if text == "":
        return ""
    return f"{java_string(name)}={url_encode(text)}"


class UrlTool(JavaObject):
    """``$urlTool.optionalQueryParam(name, value)``: ``name=<encoded value>`` or nothing."""

    java_class = "UrlTool"
    java_methods: ClassVar[MethodTable] = {
        "optionalQueryParam": [jm(_optional_query_param, "Object", "Object")]
    }


def _parse(text: Any) -> Any:
    try:
        return parse_json(java_string(text))
    except (ValueError, RecursionError):
        return _NOT_JSON


_NOT_JSON: Any = object()


def _first_from_array(tool: Any, array: Any, default: Any = None) -> str:
    # The argument is JSON text (a translation-map value). The first element comes back
    # as JSON text (a string keeps its quotes); an empty array, or text that is not a JSON
    # array, gives the default as written, or "" without one (inference: Genesys's help
    # and the corpus only show arrays).
    fallback = "" if default is None else java_string(default)
    data = _NOT_JSON if array is None else _parse(array)
    if isinstance(data, list) and data:
        return jackson_json(data[0])
    return fallback


def _move_keys_into_array_of_objects(tool: Any, document: Any, key_name: Any) -> str | None:
    # Inferred from the macro's name and the help page's one-line description: an object
    # whose keys are ids ({"id1": {...}, "id2": {...}}) becomes an array of its values,
    # each carrying its key under `key_name` ([{..., "<key_name>": "id1"}, ...]).
    if document is None:
        return None
    data = _parse(document)
    if not isinstance(data, dict):
        raise JavaThrown(
            "java.lang.IllegalArgumentException", "moveKeysIntoArrayOfObjects needs a JSON object"
        )
    name = java_string(key_name)
    result = []
    for key, value in data.items():
        if not isinstance(value, dict):
            raise JavaThrown(
                "java.lang.IllegalArgumentException",
                f"the value of key {key!r} is not a JSON object",
            )
        result.append({**value, name: key})
    return jackson_json(result)


class SuccessTemplateUtils(JavaObject):
    """``$successTemplateUtils``: ``firstFromArray`` and ``moveKeysIntoArrayOfObjects``."""

    java_class = "SuccessTemplateUtils"
    java_methods: ClassVar[MethodTable] = {
        "firstFromArray": [
            jm(_first_from_array, "Object"),
            jm(_first_from_array, "Object", "Object"),
        ],
        "moveKeysIntoArrayOfObjects": [
            jm(_move_keys_into_array_of_objects, "Object", "Object"),
        ],
    }


# SOSL reserved characters, escaped with a backslash (Salesforce's SOSL reference).
_SOSL_RESERVED = re.compile(r"""([?&|!{}\[\]()^~*:\\"'+\-])""")


class SalesforceTool(JavaObject):
    """``$salesforce.escReserved(text)``: backslash before each SOSL reserved character."""

    java_class = "SalesforceTool"
    java_methods: ClassVar[MethodTable] = {
        "escReserved": [jm(_text_method(lambda s: _SOSL_RESERVED.sub(r"\\\1", s)), "Object")],
    }


def _phone_number_filter(tool: Any, phone: Any, fields: Any) -> str | None:
    # Genesys's help ("Phone number searches with the data action integration") says the
    # integration searches each phone field for the number as given (tel:+1317...) and for
    # its digits only (1317...), and finds exact matches only. So: field eq 'as given' or
    # field eq 'digits', for every field, joined with "or" (inference from that page).
    if phone is None:
        return None
    given = java_string(phone)
    digits = re.sub(r"\D", "", given)
    formats = [given] + ([digits] if digits and digits != given else [])
    names = fields if isinstance(fields, list | tuple) else [fields]
    return " or ".join(
        f"{java_string(field)} eq '{value.replace(chr(39), chr(39) * 2)}'"
        for field in names
        if field is not None
        for value in formats
    )


class MsDynamicsTool(JavaObject):
    """``$msdynamics.phoneNumberFilter(phone, [fields])``: an OData ``$filter``."""

    java_class = "MsDynamicsTool"
    java_methods: ClassVar[MethodTable] = {
        "phoneNumberFilter": [jm(_phone_number_filter, "Object", "Object")]
    }


_TOOLS: Mapping[str, Any] = MappingProxyType(
    {
        "esc": EscapeTool(),
        "encoding": EncodingTool(),
        "urlTool": UrlTool(),
        "math": MathTool(),
        "successTemplateUtils": SuccessTemplateUtils(),
        "salesforce": SalesforceTool(),
        "msdynamics": MsDynamicsTool(),
    }
)


def genesys_tools() -> dict[str, Any]:
    """The tool objects for a template context (shared, stateless instances)."""
    return dict(_TOOLS)
