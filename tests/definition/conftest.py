"""Helpers for the definition tests: a small valid definition to break in each test."""

from __future__ import annotations

import copy
import json
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from pathlib import Path

_EXPORT: dict[str, Any] = {
    "name": "Get Customer",
    "integrationType": "custom-rest-actions",
    "actionType": "custom",
    "config": {
        "request": {
            "requestUrlTemplate": "https://crm.example.com/customers/${input.customerId}",
            "requestType": "GET",
            "headers": {"Accept": "application/json"},
            "requestTemplate": "${input.rawRequest}",
        },
        "response": {
            "translationMap": {"customerName": "$.name"},
            "translationMapDefaults": {"customerName": '""'},
            "successTemplate": '{"customerName": ${customerName}}',
        },
    },
    "contract": {
        "input": {
            "inputSchema": {
                "type": "object",
                "required": ["customerId"],
                "properties": {"customerId": {"type": "string"}},
            }
        },
        "output": {
            "successSchema": {
                "type": "object",
                "properties": {"customerName": {"type": "string"}},
            }
        },
    },
    "secure": False,
}


def _export(**changes: Any) -> dict[str, Any]:
    """A fresh valid export-shape definition; ``changes`` set top-level keys."""
    data = copy.deepcopy(_EXPORT)
    data.update(changes)
    return data


def _api_object(**changes: Any) -> dict[str, Any]:
    """The same definition in Platform API shape."""
    data = _export()
    del data["integrationType"], data["actionType"]
    data.update(
        id="custom_-_0f8c2a54-7e1b-4d3a-9c6e-1b2a3c4d5e6f",
        category="CRM",
        integrationId="5d2a1f0e-8c3b-4a79-b6e4-0c1d2e3f4a5b",
        version=3,
        selfUri="/api/v2/integrations/actions/custom_-_0f8c2a54-7e1b-4d3a-9c6e-1b2a3c4d5e6f",
    )
    data["config"]["timeoutSeconds"] = 15
    data.update(changes)
    return data


@pytest.fixture
def make_export() -> Any:
    """Factory of fresh valid export-shape definitions (keyword arguments set top-level keys)."""
    return _export


@pytest.fixture
def make_api() -> Any:
    """Factory of fresh valid Platform-API-shape definitions."""
    return _api_object


@pytest.fixture
def write_json(tmp_path: Path) -> Any:
    """Write a value as JSON under ``tmp_path`` and return the file's path."""

    def write(value: Any, name: str = "action.json") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value, indent=2), encoding="utf-8")
        return path

    return write
