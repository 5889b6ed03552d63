"""`actionpact simulate`: output shapes and exit codes a pipeline can rely on."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from typer.testing import CliRunner

from actionpact.cli import app

if TYPE_CHECKING:
    from pathlib import Path

runner = CliRunner()

DEFINITION: dict[str, Any] = {
    "name": "CRM Lookup",
    "integrationType": "custom-rest-actions",
    "actionType": "custom",
    "config": {
        "request": {
            "requestUrlTemplate": "https://crm.example.com/customers?phone=$esc.url(${input.phone})",
            "requestType": "GET",
            "headers": {"Authorization": "Bearer ${credentials.apiToken}"},
            "requestTemplate": "${input.rawRequest}",
        },
        "response": {
            "translationMap": {"customerId": "$.customerId"},
            "translationMapDefaults": {},
            "successTemplate": '{"customerId": ${customerId}}',
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
        "output": {
            "successSchema": {"type": "object", "properties": {"customerId": {"type": "string"}}}
        },
    },
    "secure": False,
}


@pytest.fixture
def definition(tmp_path: Path) -> Path:
    path = tmp_path / "crm.json"
    path.write_text(json.dumps(DEFINITION), encoding="utf-8")
    return path


def run(*args: str) -> Any:
    return runner.invoke(app, [str(a) for a in args])


def test_json_output_is_one_object_with_the_documented_shape(definition: Path) -> None:
    result = run(
        "simulate",
        definition,
        "--input",
        '{"phone": "+1 555"}',
        "--response",
        '{"customerId": "C-1"}',
        "--output",
        "json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"action", "success", "request", "output", "error", "steps"}
    assert data["action"] == "CRM Lookup"
    assert data["success"] is True
    assert data["request"] == {
        "method": "GET",
        "url": "https://crm.example.com/customers?phone=%2B1+555",
        "headers": {"Authorization": "Bearer <credentials.apiToken>"},
        "body": None,
    }
    assert data["output"] == {"customerId": "C-1"}
    assert data["error"] is None
    assert [s["step"] for s in data["steps"]] == list(range(1, 11))
    assert all(set(s) == {"step", "name", "success", "result", "error"} for s in data["steps"])
    assert data["steps"][9]["name"] == "Apply output transformation"


def test_request_side_only_without_response(definition: Path) -> None:
    result = run("simulate", definition, "--input", '{"phone": "1"}', "--output", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["success"] is True
    assert data["output"] is None
    assert [s["step"] for s in data["steps"]] == list(range(1, 8))


def test_action_failure_exits_1_and_names_the_step(definition: Path) -> None:
    result = run(
        "simulate",
        definition,
        "--input",
        '{"phone": "1"}',
        "--response",
        '{"customer_id": "C-1"}',
        "--output",
        "json",
    )
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["success"] is False
    assert data["error"]["step"] == 9
    assert data["error"]["name"] == "Resolve translation map"
    assert "customerId" in data["error"]["message"]


def test_non_2xx_status_fails(definition: Path) -> None:
    result = run(
        "simulate",
        definition,
        "--input",
        '{"phone": "1"}',
        "--response",
        "{}",
        "--status",
        "503",
    )
    assert result.exit_code == 1
    assert "would fail at step 8" in result.stdout


def test_input_breaking_the_schema_exits_1(definition: Path) -> None:
    result = run("simulate", definition, "--input", '{"phone": 5}', "--output", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["error"]["step"] == 3


def test_input_from_file(definition: Path, tmp_path: Path) -> None:
    (tmp_path / "in.json").write_text('{"phone": "42"}', encoding="utf-8")
    result = run("simulate", definition, "--input", f"@{tmp_path / 'in.json'}")
    assert result.exit_code == 0, result.output
    assert "GET https://crm.example.com/customers?phone=42" in result.stdout


def test_invalid_input_json_exits_2(definition: Path) -> None:
    result = run("simulate", definition, "--input", "{nope")
    assert result.exit_code == 2
    assert "error: --input: not valid JSON" in result.stderr


def test_invalid_definition_exits_2_naming_file_and_field(tmp_path: Path) -> None:
    broken = json.loads(json.dumps(DEFINITION))
    broken["config"]["response"]["translationMap"]["customerId"] = "$.customers[?(@.id=="
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    # The definition is checked before the input, which is invalid here too.
    result = run("simulate", path, "--input", "{nope")
    assert result.exit_code == 2
    assert str(path) in result.stderr
    assert "config.response.translationMap.customerId" in result.stderr


def test_template_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    broken = json.loads(json.dumps(DEFINITION))
    broken["config"]["response"]["successTemplate"] = '{\n  "a": #if($x) 1\n}'
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    result = run("simulate", path, "--input", "{}")
    assert result.exit_code == 2
    assert "config.response.successTemplate" in result.stderr
    assert "successTemplate[line" in result.stderr


def test_missing_file_exits_2(tmp_path: Path) -> None:
    result = run("simulate", tmp_path / "nope.json", "--input", "{}")
    assert result.exit_code == 2
    assert "nope.json" in result.stderr


def test_transform_reshapes_the_response(definition: Path, tmp_path: Path) -> None:
    transform = tmp_path / "reshape.jsonata"
    transform.write_text('{"customerId": data.customer.id}', encoding="utf-8")
    result = run(
        "simulate",
        definition,
        "--input",
        '{"phone": "1"}',
        "--transform",
        transform,
        "--response",
        '{"data": {"customer": {"id": "C-9"}}}',
        "--output",
        "json",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["output"] == {"customerId": "C-9"}


def test_transform_error_names_expression_and_position(definition: Path, tmp_path: Path) -> None:
    transform = tmp_path / "bad.jsonata"
    transform.write_text("data.[", encoding="utf-8")
    result = run(
        "simulate",
        definition,
        "--input",
        '{"phone": "1"}',
        "--transform",
        transform,
        "--response",
        "{}",
    )
    assert result.exit_code == 2
    assert "bad.jsonata" in result.stderr
    assert "position" in result.stderr


def test_example_from_the_companion_spec(examples_dir: Path) -> None:
    result = run(
        "simulate",
        examples_dir / "crm-lookup-by-phone.json",
        "--example",
        "known caller",
        "--output",
        "json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["output"]["customerId"] == "C-1001"
    assert data["request"]["url"].endswith("?phone=%2B13175550123")


def test_example_parts_can_be_overridden(examples_dir: Path) -> None:
    result = run(
        "simulate",
        examples_dir / "crm-lookup-by-phone.json",
        "--example",
        "known caller",
        "--status",
        "500",
        "--output",
        "json",
    )
    assert result.exit_code == 1
    assert json.loads(result.stdout)["error"]["step"] == 8


def test_unknown_example_lists_the_known_ones(examples_dir: Path) -> None:
    result = run("simulate", examples_dir / "crm-lookup-by-phone.json", "--example", "nope")
    assert result.exit_code == 2
    assert "no example 'nope'" in result.stderr
    assert "'known caller'" in result.stderr
