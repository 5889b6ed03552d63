"""The Genesys tool objects, checked against independent statements of their Java behaviour."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from actionpact.genesys._tools import (
    EscapeTool,
    MathTool,
    SuccessTemplateUtils,
    genesys_tools,
    url_encode,
)
from actionpact.genesys._tools_json import jackson_json, unescape_json_string
from actionpact.genesys._tools_math import to_number
from actionpact.genesys._velocity_java import invoke

_URL_SAFE = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-*_")


def _java_url_encoder(text: str) -> str:
    """java.net.URLEncoder.encode(text, UTF_8), written from its Javadoc, byte by byte."""
    out = []
    for byte in text.encode("utf-8", errors="replace"):
        if byte in _URL_SAFE:
            out.append(chr(byte))
        elif byte == 0x20:
            out.append("+")
        else:
            out.append(f"%{byte:02X}")
    return "".join(out)


def test_genesys_tools_are_the_seven_documented_names() -> None:
    tools = genesys_tools()
    assert set(tools) == {
        "esc",
        "encoding",
        "urlTool",
        "math",
        "successTemplateUtils",
        "salesforce",
        "msdynamics",
    }
    again = genesys_tools()
    assert again is not tools
    assert all(again[name] is tools[name] for name in tools)  # shared, stateless instances


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_esc_url_matches_javas_url_encoder(text: str) -> None:
    assert url_encode(text) == _java_url_encoder(text)
    assert invoke(EscapeTool(), "url", [text]) == _java_url_encoder(text)


@pytest.mark.parametrize(
    ("text", "encoded"),
    [
        ("~", "%7E"),
        ("*", "*"),
        (" ", "+"),
        ("é", "%C3%A9"),
        ("\ud800", "%3F"),  # a lone surrogate: Java's encoder writes "?"
    ],
)
def test_esc_url_edge_characters(text: str, encoded: str) -> None:
    assert url_encode(text) == encoded


def test_jackson_json_writes_like_jackson() -> None:
    assert jackson_json({"a": [1, 1.5, 1e20, None, True], "s": 'q"\\/\x01\x1fé'}) == (
        '{"a":[1,1.5,1.0E20,null,true],"s":"q\\"\\\\/\\u0001\\u001Fé"}'
    )


def test_json_unescape_leaves_invalid_escapes_alone() -> None:
    assert unescape_json_string("\\x \\u12 \\n") == "\\x \\u12 \n"


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("12", 12),
        ("12abc", 12),
        ("-3.50", -3.5),
        ("1,000", 1000),
        (".5", 0.5),
        ("2.0", 2),
        ("abc", None),
        ("", None),
        ("+5", None),
        (" 5", None),
        (True, None),
        (None, None),
        (7.25, 7.25),
    ],
)
def test_math_tool_reads_numbers_like_number_format(text: object, number: object) -> None:
    assert to_number(text) == number
    assert type(to_number(text)) is type(number)


@pytest.mark.parametrize(
    ("method", "args", "result"),
    [
        ("add", [1, 2], 3),
        ("add", [1, "2.5"], 3.5),
        ("add", ["2.0", 1], 3),  # NumberFormat reads "2.0" as a whole number
        ("add", [2.0, 1], 3.0),  # a Double written with a point stays a Double
        ("div", [1, 0], None),
        ("div", [2147483648, 1], 2147483648),
        ("roundTo", [0, 2.26], 2.3),  # MathTool's delta starts at 10, even for 0 places
        ("round", [-2.5], -2),
        ("toInteger", [3e10], 2147483647),
        ("max", [-5, -3], -3),
    ],
)
def test_math_tool(method: str, args: list[object], result: object) -> None:
    value = invoke(MathTool(), method, args)
    assert value == result
    assert type(value) is type(result)


def test_first_from_array_directly() -> None:
    utils = SuccessTemplateUtils()
    assert invoke(utils, "firstFromArray", ['["a", 2]']) == '"a"'
    assert invoke(utils, "firstFromArray", ["[]", '""']) == '""'
    assert invoke(utils, "firstFromArray", ["[]"]) == ""
    assert invoke(utils, "firstFromArray", [None, "x"]) == "x"
