"""The example context of an interaction: the spec's input and middleware, or a derived input."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from actionpact.definition import load_definition
from actionpact.verify import compare_bodies
from actionpact.verify._examples import example_context
from actionpact.verify._impact import assess_impact
from actionpact.verify._pacts import Origin, PactInteraction, PactRequest
from actionpact.verify._replay import Replay

if TYPE_CHECKING:
    from pathlib import Path

DEFINITION: dict[str, Any] = {
    "name": "Wrapped Lookup",
    "integrationType": "custom-rest-actions",
    "actionType": "custom",
    "config": {
        "request": {
            "requestUrlTemplate": "https://crm.example.com/c?phone=$esc.url(${input.phone})",
            "requestType": "GET",
            "headers": {},
            "requestTemplate": "${input.rawRequest}",
        },
        "response": {
            "translationMap": {"customerId": "$.id", "tier": "$.t"},
            "translationMapDefaults": {"customerId": '"none"'},
            "successTemplate": (
                '{"customerId": ${customerId}, "tier": ${tier}, "asked": "${input.phone}"}'
            ),
        },
    },
    "contract": {
        "input": {
            "inputSchema": {
                "type": "object",
                "required": ["phone"],
                "properties": {"phone": {"type": "string"}},
            }
        },
        "output": {"successSchema": {"type": "object", "properties": {}}},
    },
}
SPEC = """
middleware: '{"id": data.customer.ref, "t": data.customer.level}'
examples:
  - name: wrapped
    input: {phone: "+13175550123"}
    response:
      body: {data: {customer: {ref: C-9, level: silver}}}
"""
BODY = {"data": {"customer": {"ref": "C-9", "level": "silver"}}}


def write(tmp_path: Path, spec: str | None) -> Path:
    file = tmp_path / "lookup.json"
    file.write_text(json.dumps(DEFINITION))
    if spec is not None:
        (tmp_path / "lookup.spec.yaml").write_text(spec)
    return file


def interaction(example: str) -> PactInteraction:
    return PactInteraction(
        consumer="flows",
        provider="crm",
        description=f"Wrapped Lookup: {example}",
        states=(),
        request=PactRequest("GET", "/c"),
        status=200,
        body=BODY,
        origin=Origin("Wrapped Lookup", example=example),
    )


def test_the_spec_gives_the_input_and_the_middleware(tmp_path: Path) -> None:
    definition = load_definition(write(tmp_path, SPEC))
    context = example_context(definition, Origin("Wrapped Lookup", example="wrapped"))
    assert dict(context.input) == {"phone": "+13175550123"}
    assert context.middleware is not None
    assert context.note is None

    actual = {"data": {"customer": {"REF": "C-9", "level": "silver"}}}
    changes = compare_bodies(BODY, actual)
    assert [c.describe() for c in changes] == [
        "`ref` is missing from the response ($.data.customer.ref); a new key `REF` looks "
        "like its rename"
    ]
    impact = assess_impact(
        interaction("wrapped"),
        definition,
        Replay(200, body=actual),
        changes,
        given=context.input,
        middleware=context.middleware,
    )
    assert impact.failure is None
    assert [(o.output, o.change, o.actual) for o in impact.outputs] == [
        ("customerId", "default", "none")
    ]
    assert [(v.key, v.expression, v.change) for v in impact.variables] == [
        ("customerId", "$.id", "default")
    ]


def test_without_a_spec_the_input_is_derived_as_generate_derives_it(tmp_path: Path) -> None:
    definition = load_definition(write(tmp_path, None))
    context = example_context(definition, Origin("Wrapped Lookup", example="derived example"))
    assert set(context.input) == {"phone"}
    assert context.middleware is None


def test_a_broken_spec_is_a_note_not_a_crash(tmp_path: Path) -> None:
    definition = load_definition(write(tmp_path, "examples: [1, 2"))
    context = example_context(definition, Origin("Wrapped Lookup", example="wrapped"))
    assert context.note is not None
    assert "cannot be read" in context.note
    assert set(context.input) == {"phone"}
