"""The Velocity adapter's public surface: compile once, render many times, Java values."""

from __future__ import annotations

import dataclasses
from concurrent.futures import ThreadPoolExecutor
from types import MappingProxyType

import pytest

from actionpact.core.errors import ActionFailure, TemplateRenderError, TemplateSyntaxError
from actionpact.genesys._tools import genesys_tools
from actionpact.genesys._velocity import VelocityTemplate, compile_template, java_string, position


def test_compile_returns_an_immutable_template() -> None:
    template = compile_template("Hello ${input.name}", name="requestTemplate")
    assert isinstance(template, VelocityTemplate)
    assert template.name == "requestTemplate"
    assert template.source == "Hello ${input.name}"
    with pytest.raises(dataclasses.FrozenInstanceError):
        template.name = "other"  # type: ignore[misc]


def test_compiling_the_same_text_twice_reuses_the_compiled_template() -> None:
    first = compile_template("$input.a", name="x")
    assert compile_template("$input.a", name="x") is first
    assert compile_template("$input.a", name="y") is not first


def test_references_list_what_the_template_reads() -> None:
    template = compile_template(
        '{"p": "$esc.url(${input.phone})", "raw": ${input.rawRequest}, '
        '"k": "${credentials.apiKey}", "c": ${customerId}, "r": $rawResult, '
        '"key": "${input.Key.replace(" ", "%20")}"}',
        name="requestTemplate",
    )
    assert template.references == {
        "input.phone",
        "input.rawRequest",
        "credentials.apiKey",
        "customerId",
        "rawResult",
        "esc.url",
        "input.Key",
        "input.Key.replace",
    }


def test_references_leave_out_template_local_variables() -> None:
    template = compile_template(
        "#set($a = $input.x)#foreach($i in $items)$i $a $foreach.count $velocityCount#end"
        "#macro(m $p)$p $input.y#end#if($flag)#end${successTemplateUtils.firstFromArray($ids)}",
        name="t",
    )
    assert template.references == {
        "input.x",
        "items",
        "input.y",
        "flag",
        "successTemplateUtils.firstFromArray",
        "ids",
    }


def test_render_errors_carry_the_step_and_the_genesys_step_name() -> None:
    template = compile_template("/users/$userId", name="requestUrlTemplate")
    with pytest.raises(TemplateRenderError) as caught:
        template.render({}, step=5)
    error = caught.value
    assert isinstance(error, ActionFailure)
    assert (error.step, error.step_name) == (5, "Resolve request URL template")
    assert (error.template, error.line, error.column, error.variable) == (
        "requestUrlTemplate",
        1,
        8,
        "userId",
    )
    assert str(error) == "Variable $userId has not been set at requestUrlTemplate[line 1, column 8]"


def test_render_step_defaults_to_the_output_transformation() -> None:
    with pytest.raises(TemplateRenderError) as caught:
        compile_template("$x", name="successTemplate").render({})
    assert caught.value.step == 10


def test_syntax_errors_name_the_template_line_and_column() -> None:
    with pytest.raises(TemplateSyntaxError) as caught:
        compile_template("ok\n\n   #end", name="requestTemplate")
    error = caught.value
    assert (error.template, error.line, error.column) == ("requestTemplate", 3, 4)


def test_any_mapping_works_as_context_and_set_does_not_write_into_it() -> None:
    context = MappingProxyType({"input": {"a": "1"}, "b": "2"})
    template = compile_template("#set($b = 'local')$input.a$b", name="t")
    assert template.render(context) == "1local"
    assert context["b"] == "2"


def test_each_render_starts_afresh() -> None:
    template = compile_template("#if(!$seen)first#end#set($seen = true)", name="t")
    assert template.render({}) == "first"
    assert template.render({}) == "first"


def test_a_template_renders_concurrently_from_many_threads() -> None:
    template = compile_template(
        "#foreach($i in [1..50])#set($total = $i)$input.id#end:$total", name="t"
    )

    def render(n: int) -> str:
        return template.render({"input": {"id": n}})

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(render, range(200)))
    assert results == [str(n) * 50 + ":50" for n in range(200)]


def test_windows_line_breaks_are_gobbled_with_their_directive() -> None:
    template = compile_template('[\r\n  #if(true)\r\n  "a"\r\n  #end\r\n]', name="t")
    assert template.render({}) == '[\r\n  "a"\r\n]'


def test_a_macro_may_be_called_before_its_definition() -> None:
    template = compile_template("#hello('Ann')#macro(hello $who)Hi $who#end", name="t")
    assert template.render({}) == "Hi Ann"


def test_tools_render_through_the_template() -> None:
    template = compile_template("$esc.url($input.q)", name="requestUrlTemplate")
    assert template.render({**genesys_tools(), "input": {"q": "a b"}}) == "a+b"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (True, "true"),
        (False, "false"),
        (1, "1"),
        (1.0, "1.0"),
        (1.5, "1.5"),
        (100.0, "100.0"),
        (1e20, "1.0E20"),
        (-1.25e-5, "-1.25E-5"),
        (float("nan"), "NaN"),
        (float("-inf"), "-Infinity"),
        ("text", "text"),
        (None, "null"),
        ({"k": "v"}, "{k=v}"),
        (["a", "b"], "[a, b]"),
        ({"k": [1, {"n": None}]}, "{k=[1, {n=null}]}"),
    ],
)
def test_java_string(value: object, text: str) -> None:
    assert java_string(value) == text


def test_position_counts_like_velocity() -> None:
    assert position("abc", 0) == (1, 1)
    assert position("a\r\nb\rc\nd", 7) == (4, 1)
    assert position("\tx", 1) == (1, 9)
    assert position("1234567\tx", 8) == (1, 9)
    assert position("12345678\tx", 9) == (1, 17)
