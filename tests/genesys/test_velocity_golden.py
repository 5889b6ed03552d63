"""Golden Velocity cases as data: (template, context) -> output or error.

The cases live in ``velocity_cases/*.yaml``; each one names the behaviour it pins down.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from actionpact.core.errors import TemplateRenderError, TemplateSyntaxError
from actionpact.genesys._tools import genesys_tools
from actionpact.genesys._velocity import compile_template

CASES_DIR = Path(__file__).parent / "velocity_cases"


def _cases() -> list[Any]:
    params = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            label = re.sub(r"[^\w ,.'()-]+", "", case["name"]).strip()
            params.append(pytest.param(case, id=f"{path.stem}: {label}"))
    return params


@pytest.mark.parametrize("case", _cases())
def test_golden_case(case: dict[str, Any]) -> None:
    name = case.get("template_name", "successTemplate")
    expected_error = case.get("error")
    context = {**genesys_tools(), **(case.get("context") or {})}

    if expected_error is None:
        template = compile_template(case["template"], name=name)
        assert template.render(context) == case["output"]
        return

    kind = {"render": TemplateRenderError, "syntax": TemplateSyntaxError}[expected_error["kind"]]
    with pytest.raises(kind) as caught:
        compile_template(case["template"], name=name).render(context)
    error = caught.value
    if "message" in expected_error:
        assert str(error) == expected_error["message"]
    if "message_contains" in expected_error:
        assert expected_error["message_contains"] in str(error)
    if "reason" in expected_error:
        # TemplateSyntaxError's reason carries the location too; the message starts alike.
        assert str(error).startswith(f"{expected_error['reason']} at {name}[line ")
    for attribute in ("line", "column", "variable"):
        if attribute in expected_error:
            assert getattr(error, attribute) == expected_error[attribute], attribute
    assert error.template == name


def test_every_case_file_has_cases() -> None:
    files = sorted(CASES_DIR.glob("*.yaml"))
    assert {path.stem for path in files} >= {"references", "directives", "java", "tools", "syntax"}
    assert all(yaml.safe_load(path.read_text(encoding="utf-8")) for path in files)
