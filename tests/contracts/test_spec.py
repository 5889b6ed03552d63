"""Companion specs: the format, and errors that name the file, line and field."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import pytest

from actionpact.contracts._spec import load_spec, spec_path_for
from actionpact.core import UNSET
from actionpact.core.errors import SpecError

if TYPE_CHECKING:
    from pathlib import Path


def write(tmp_path: Path, text: str, name: str = "a.spec.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


FULL = """
consumer: ivr-flows
provider: example-crm
middleware: '{"customer": data}'
examples:
  - name: known caller
    given:
      state: a customer exists
      params: {phone: "+15551234567"}
    input: {phone: "+15551234567", country: NO, since: 2024-01-02}
    response:
      status: 200
      headers: {X-Request-Id: abc}
      body: {customerId: C-1001, vip: true}
    expect:
      output: {customerId: C-1001}
      jsonata:
        - vip = true
  - name: unknown caller
    given: [no customers, {state: maintenance window, params: {until: "12:00"}}]
    input: {phone: "+15550000000"}
    response: {status: 404, body: {message: not found}}
  - name: server error
    response: {status: 500}
    expect:
      fails: {step: 8, message: "500"}
"""


def test_full_spec_reads_every_field(tmp_path: Path) -> None:
    spec = load_spec(write(tmp_path, FULL))
    section = spec.for_action("anything", only=True)
    assert section is not None
    assert (section.consumer, section.provider) == ("ivr-flows", "example-crm")
    assert section.middleware == '{"customer": data}'
    known, unknown, error = section.examples
    assert known.name == "known caller"
    assert known.given[0].name == "a customer exists"
    assert dict(known.given[0].params) == {"phone": "+15551234567"}
    # JSON-like scalars: YAML 1.1's Norway problem and dates do not apply.
    assert dict(known.input) == {"phone": "+15551234567", "country": "NO", "since": "2024-01-02"}  # type: ignore[arg-type]
    assert known.response.status == 200
    assert dict(known.response.headers) == {"X-Request-Id": "abc"}
    assert known.response.body == {"customerId": "C-1001", "vip": True}
    assert dict(known.expect.output) == {"customerId": "C-1001"}  # type: ignore[arg-type]
    assert known.expect.jsonata == ("vip = true",)
    assert not known.expects_failure
    assert known.line == 5
    # A non-2xx response without `expect` expects a failure at step 8 (Execute).
    assert [s.name for s in unknown.given] == ["no customers", "maintenance window"]
    assert unknown.expect.fails is not None
    assert unknown.expect.fails.step == 8
    assert error.expect.fails is not None
    assert (error.expect.fails.step, error.expect.fails.message) == (8, "500")
    assert error.input is UNSET
    assert error.response.body is UNSET


def test_actions_section_names_each_action(tmp_path: Path) -> None:
    spec = load_spec(
        write(
            tmp_path,
            """
            actions:
              Get Wait:
                examples: [{name: one}]
              Create Case:
                provider: cases
                examples: [{name: two}]
            """,
        )
    )
    assert spec.default is None
    wait = spec.for_action("Get Wait", only=False)
    assert wait is not None
    assert wait.examples[0].name == "one"
    case = spec.for_action("Create Case", only=False)
    assert case is not None
    assert case.provider == "cases"
    assert spec.for_action("Other", only=True) is None
    assert spec.action_lines["Create Case"] == 4


@pytest.mark.parametrize(
    ("text", "line", "field", "reason"),
    [
        (
            """
            examples:
              - name: a
                respnse: {status: 200}
            """,
            3,
            "examples[0].respnse",
            "unknown key 'respnse'; did you mean 'response'?",
        ),
        (
            """
            exmaples: []
            """,
            1,
            "exmaples",
            "did you mean 'examples'?",
        ),
        (
            """
            examples:
              - name: a
                response:
                  status: 200
                  bdy: {}
            """,
            5,
            "examples[0].response.bdy",
            "did you mean 'body'?",
        ),
        (
            """
            examples:
              - name: a
                expect:
                  ouptut: {x: 1}
            """,
            4,
            "examples[0].expect.ouptut",
            "did you mean 'output'?",
        ),
        (
            """
            examples:
              - name: a
                response: {status: "ok"}
            """,
            3,
            "examples[0].response.status",
            "expected an HTTP status, got a string",
        ),
        (
            """
            examples:
              - name: a
                response: {status: 700}
            """,
            3,
            "examples[0].response.status",
            "700 is not an HTTP status",
        ),
        (
            """
            examples:
              - name: a
              - name: a
            """,
            3,
            "examples[1].name",
            "duplicate example name 'a' (first at line 2)",
        ),
        (
            """
            examples:
              - given: x
            """,
            2,
            "examples[0]",
            "missing required key 'name'",
        ),
        (
            """
            examples:
              - name: a
                expect:
                  fails: {step: 11}
            """,
            4,
            "examples[0].expect.fails.step",
            "11 is not a Genesys test-mode step",
        ),
        (
            """
            examples:
              - name: a
                expect:
                  output: {x: 1}
                  fails: true
            """,
            5,
            "examples[0].expect.fails",
            "cannot also expect",
        ),
        (
            """
            examples:
              - name: a
                given: {state: s, parms: {}}
            """,
            3,
            "examples[0].given.parms",
            "did you mean 'params'?",
        ),
        (
            """
            {}
            """,
            1,
            None,
            "a spec needs 'examples'",
        ),
    ],
)
def test_errors_name_file_line_and_field(
    tmp_path: Path, text: str, line: int, field: str | None, reason: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(SpecError) as caught:
        load_spec(path)
    error = caught.value
    assert error.file == path
    assert error.line == line
    assert error.field == field
    assert reason in str(error)
    assert str(error).startswith(f"{path}:{line}: ")


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "examples:\n  - name: a\n    input: {x: [1, 2}\n")
    with pytest.raises(SpecError, match="not valid YAML") as caught:
        load_spec(path)
    assert caught.value.line == 3


def test_overrides_alone_keep_the_derived_example(tmp_path: Path) -> None:
    section = load_spec(write(tmp_path, "provider: crm\n")).for_action("x", only=True)
    assert section is not None
    assert section.provider == "crm"
    assert section.examples == ()


def test_spec_path_sits_beside_the_definition(tmp_path: Path) -> None:
    assert spec_path_for(tmp_path / "crm.json") == tmp_path / "crm.spec.yaml"
