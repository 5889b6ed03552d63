"""The emulation: what Genesys does with a Data Action definition, step by step."""

from __future__ import annotations

from actionpact.genesys._action import (
    CompiledAction,
    compile_action,
    credential_placeholders,
    json_text,
)
from actionpact.genesys._jsonata import JsonataExpression, compile_jsonata
from actionpact.genesys._jsonpath import CompiledPath, compile_path
from actionpact.genesys._result import RenderedRequest, Simulation, StepResult
from actionpact.genesys._schema import SchemaValidator, compile_schema
from actionpact.genesys._velocity import VelocityTemplate, compile_template

__all__ = [
    "CompiledAction",
    "CompiledPath",
    "JsonataExpression",
    "RenderedRequest",
    "SchemaValidator",
    "Simulation",
    "StepResult",
    "VelocityTemplate",
    "compile_action",
    "compile_jsonata",
    "compile_path",
    "compile_schema",
    "compile_template",
    "credential_placeholders",
    "json_text",
]
