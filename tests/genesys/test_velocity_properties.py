"""Property tests: whatever the template or input, Velocity fails only with our errors."""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actionpact.core.errors import TemplateRenderError, TemplateSyntaxError
from actionpact.genesys._tools import genesys_tools, url_encode
from actionpact.genesys._tools_json import escape_json_string
from actionpact.genesys._velocity import compile_template
from actionpact.genesys._velocity_java import java_double

CORPUS = (Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus").resolve()

SETTINGS = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(),
    st.text(max_size=20),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=8,
)
contexts = st.fixed_dictionaries(
    {"input": st.dictionaries(st.sampled_from(["a", "b", "s", "n", "x"]), scalars)},
    optional=dict.fromkeys(("a", "b", "x", "ids", "rawResult"), values),
)

# Pieces of Velocity that combine into templates worth parsing (and failing to parse).
FRAGMENTS = [
    "$", "$!", "${", "}", "$!{", "#", "##", "#*", "*#", "#[[", "]]#", "\\", '"', "'", "(", ")",
    "[", "]", "{", ",", ".", "..", " ", "\n", "\t", "=", "==", "!=", "<", "&&", "||", "!", "+",
    "-", "*", "/", "%", "0", "1", "2.5", "-3", "true", "null", "a", "x", "input", "input.a",
    "input.s", "$a", "$x", "$input.a", "${input.s}", "$!{input.n}", "$ids", "$rawResult",
    "#if(", "#elseif(", "#else", "#end", "#{else}", "#{end}", "#foreach($i in ", "#set($a = ",
    "#macro(m $p)", "#m(", "#break", "#stop", "#define($d)", "#evaluate(", "[1..3]",
    "$esc.url(", "$esc.jsonString(", "$esc.quote", "$math.add(", "$math.div(",
    "$successTemplateUtils.firstFromArray(", "$encoding.base64(", ".substring(", ".split(",
    ".replaceAll(", ".length()", ".get(", ".size()", "$foreach.count", "$velocityCount",
    "$urlTool.optionalQueryParam(", "$salesforce.escReserved(", "$msdynamics.phoneNumberFilter(",
    "$successTemplateUtils.moveKeysIntoArrayOfObjects(", ".toUpperCase()", ".matches(",
]  # fmt: skip
templates = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(FRAGMENTS), max_size=25).map("".join),
)


def _outcome(source: str, context: dict[str, Any]) -> str | Exception:
    """The rendered text, or the error; any other exception escapes and fails the test."""
    try:
        template = compile_template(source, name="requestTemplate")
    except TemplateSyntaxError as error:
        return error
    try:
        return template.render({**genesys_tools(), **context}, step=7)
    except TemplateRenderError as error:
        return error


def _render_checked(source: str, context: dict[str, Any]) -> None:
    outcome = _outcome(source, context)
    if isinstance(outcome, TemplateSyntaxError | TemplateRenderError):
        assert outcome.line >= 1
        assert outcome.column >= 1
        assert str(outcome).endswith(f"[line {outcome.line}, column {outcome.column}]")
    if isinstance(outcome, TemplateRenderError):
        assert outcome.step == 7
    else:
        assert isinstance(outcome, str | TemplateSyntaxError)


@SETTINGS
@given(source=templates, context=contexts)
def test_any_template_parses_or_fails_with_a_syntax_error_and_renders_or_fails_cleanly(
    source: str, context: dict[str, Any]
) -> None:
    _render_checked(source, context)


@cache
def _corpus_templates() -> tuple[str, ...]:
    found: list[str] = []
    for path in sorted(CORPUS.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for action in data if isinstance(data, list) else data.get("entities", [data]):
            config = action.get("config") or {}
            request, response = config.get("request") or {}, config.get("response") or {}
            for source in (
                request.get("requestUrlTemplate"),
                request.get("requestTemplate"),
                response.get("successTemplate"),
                *(request.get("headers") or {}).values(),
            ):
                if isinstance(source, str) and source not in found:
                    found.append(source)
    return tuple(found)


json_texts = st.one_of(values.map(lambda v: json.dumps(v, allow_nan=True)), st.text(max_size=20))


@SETTINGS
@given(data=st.data())
def test_corpus_templates_render_any_input_or_fail_cleanly(data: st.DataObject) -> None:
    source = data.draw(st.sampled_from(_corpus_templates()), label="template")
    template = compile_template(source, name="successTemplate")
    names = {ref.split(".", 1)[0] for ref in template.references}
    inputs = {
        ref.split(".", 1)[1].split(".")[0]
        for ref in template.references
        if ref.startswith("input.")
    }
    context: dict[str, Any] = {
        "input": data.draw(st.fixed_dictionaries({}, optional=dict.fromkeys(inputs, scalars))),
        "credentials": {"client_id": "id", "client_secret": "secret"},
    }
    context["input"]["rawRequest"] = json.dumps(context["input"])
    for name in names - {"input", "credentials", *genesys_tools()}:
        context[name] = data.draw(json_texts, label=name)
    _render_checked(source, context)


@SETTINGS
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_java_double_round_trips(value: float) -> None:
    text = java_double(value)
    assert float(text) == value
    assert "." in text or "E" in text
    if 1e-3 <= abs(value) < 1e7:
        assert "E" not in text
    elif value != 0:
        mantissa = text.lstrip("-").split("E")[0]
        assert 1 <= float(mantissa) < 10


@SETTINGS
@given(st.text())
def test_url_encode_is_javas_url_encoder(text: str) -> None:
    encoded = url_encode(text)
    assert set(encoded) <= set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-*_+%"
    )
    if not any(0xD800 <= ord(char) <= 0xDFFF for char in text):
        assert unquote_plus(encoded) == text


@SETTINGS
@given(st.text())
def test_json_string_escaping_round_trips_through_a_json_parser(text: str) -> None:
    escaped = escape_json_string(text)
    assert json.loads(f'"{escaped}"') == text
    assert "/" not in text or "/" in escaped


@SETTINGS
@given(st.floats(allow_nan=False), st.floats(allow_nan=False))
def test_arithmetic_on_doubles_matches_ieee(a: float, b: float) -> None:
    template = compile_template(
        "$math.add($input.a, $input.b)|#set($s = $input.a + $input.b)$s", name="t"
    )
    output = template.render({**genesys_tools(), "input": {"a": a, "b": b}})
    expected = a + b
    rendered = output.split("|")[1]
    if math.isnan(expected):
        assert rendered == "NaN"
    else:
        assert rendered == java_double(expected)
