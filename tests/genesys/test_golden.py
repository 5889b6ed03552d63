"""Golden cases: (definition, input, response) -> (request, output or failing step).

Each `golden/*.yaml` file holds a list of cases. A case names its definition inline
(`definition`, export shape), compactly (`action`, expanded below) or from the shared corpus
(`corpus`). `expect` may hold `request` (method, url, headers, body or body_json), `output`
and `error` (step, name, message or message_contains).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from actionpact.core import UNSET
from actionpact.definition import load_definition, parse_definitions
from actionpact.genesys import compile_action

GOLDEN = Path(__file__).parent / "golden"
CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"


def _cases() -> list[Any]:
    params = []
    for file in sorted(GOLDEN.glob("*.yaml")):
        for case in yaml.safe_load(file.read_text(encoding="utf-8")):
            params.append(pytest.param(file, case, id=f"{file.stem}: {case['name']}"))
    return params


def _expand(case: dict[str, Any]) -> dict[str, Any]:
    action = case["action"]
    return {
        "name": case["name"],
        "integrationType": "custom-rest-actions",
        "actionType": "custom",
        "config": {
            "request": {
                "requestUrlTemplate": action["url"],
                "requestType": action.get("method", "GET"),
                "headers": action.get("headers", {}),
                "requestTemplate": action.get("body", "${input.rawRequest}"),
            },
            "response": {
                "translationMap": action.get("map", {}),
                "translationMapDefaults": action.get("defaults", {}),
                "successTemplate": action.get("template", "${rawResult}"),
            },
        },
        "contract": {
            "input": {"inputSchema": case.get("input_schema", {"type": "object"})},
            "output": {
                "successSchema": action.get(
                    "output_schema", {"type": "object", "additionalProperties": True}
                )
            },
        },
        "secure": False,
    }


@pytest.mark.parametrize(("file", "case"), _cases())
def test_golden(file: Path, case: dict[str, Any]) -> None:
    if "corpus" in case:
        definition = load_definition(CORPUS / case["corpus"])
    else:
        raw = case["definition"] if "definition" in case else _expand(case)
        (definition,) = parse_definitions(raw, source=file)
    action = compile_action(definition)

    response: Any = UNSET
    if "response" in case:
        response = case["response"]
    elif "response_text" in case:
        response = case["response_text"]
    result = action.simulate(case["input"], response=response, status=case.get("status", 200))
    expect = case["expect"]

    if "request" in expect:
        assert result.request is not None, result.to_json()
        got = result.request.to_json()
        for key, want in expect["request"].items():
            if key == "body_json":
                assert got["body"] is not None
                assert json.loads(got["body"]) == want
            elif key == "body_starts_with":
                assert got["body"] is not None
                assert got["body"].startswith(want), got["body"]
            else:
                assert got[key] == want, f"request.{key}"

    if "error" in expect:
        assert not result.success, result.to_json()
        error = result.to_json()["error"]
        want = expect["error"]
        assert error["step"] == want["step"], error
        if "name" in want:
            assert error["name"] == want["name"]
        if "message" in want:
            assert error["message"] == want["message"]
        if "message_contains" in want:
            assert want["message_contains"] in error["message"], error["message"]
        failed = result.steps[-1]
        assert (failed.step, failed.success) == (want["step"], False)
    else:
        assert result.success, result.to_json()
        assert [step.step for step in result.steps] == list(
            range(1, 11 if result.response_ran else 8)
        )

    if "output" in expect:
        assert result.output == expect["output"]
