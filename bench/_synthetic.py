"""N synthetic Data Action definitions shaped like the real corpus, deterministically.

Six kinds, in the proportions the corpus shows: Genesys Cloud API lookups with definite
paths and ``firstFromArray`` over filters, web-services lookups with ``$esc.url`` queries and
credential headers, POSTs with ``#if`` bodies and ``$esc.jsonString``, ``${rawResult}``
pass-throughs with an output schema, wildcard lists, and deep-scan filters with ``&&`` and
numeric defaults. Same ``n`` and ``seed``, same files.

    from _synthetic import write_definitions
    write_definitions(folder, 1000)
"""

from __future__ import annotations

import json
import random
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["definitions", "write_definitions"]

_HOSTS = ("crm.example.com", "billing.example.net", "orders.example.org", "tickets.example.io")
_FIELDS = ("name", "email", "status", "tier", "city", "phone", "title", "language")
_ENUM = ("gold", "silver", "bronze")


def _schema(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "$schema": "http://json-schema.org/draft-04/schema#",
        "type": "object",
        "properties": properties,
        "additionalProperties": True,
    }
    if required:
        schema["required"] = required
    return schema


def _definition(
    name: str,
    integration: str,
    url: str,
    method: str,
    *,
    headers: dict[str, str],
    body: str,
    translation: dict[str, str],
    defaults: dict[str, str],
    template: str,
    inputs: dict[str, Any],
    required: list[str],
    output: dict[str, Any],
) -> dict[str, Any]:
    return {
        "name": name,
        "integrationType": integration,
        "actionType": "custom",
        "config": {
            "request": {
                "requestUrlTemplate": url,
                "requestType": method,
                "headers": headers,
                "requestTemplate": body,
            },
            "response": {
                "translationMap": translation,
                "translationMapDefaults": defaults,
                "successTemplate": template,
            },
        },
        "contract": {
            "input": {"inputSchema": _schema(inputs, required)},
            "output": {"successSchema": output},
        },
        "secure": False,
    }


def _platform_lookup(i: int, rng: random.Random) -> dict[str, Any]:
    fields = rng.sample(_FIELDS, 3)
    translation = {f: f"$.entity.{f}" for f in fields}
    translation["kind"] = "$.entity.attributes[?(@.type=='kind')].value"
    template = ", ".join(f'"{f}": ${{{f}}}' for f in fields)
    template = (
        "{" + template + ', "kind": ${successTemplateUtils.firstFromArray("${kind}", '
        '"$esc.quote$esc.quote")}}'
    )
    return _definition(
        f"Synthetic {i:05d} - Get Entity",
        "purecloud-data-actions",
        f"/api/v2/synthetic{i % 7}/entities/${{input.entityId}}",
        "GET",
        headers={"UserAgent": "PureCloudIntegrations/1.0", "Content-Type": "application/json"},
        body="${input.rawRequest}",
        translation=translation,
        defaults={"kind": "[]"},
        template=template,
        inputs={"entityId": {"type": "string"}},
        required=["entityId"],
        output=_schema({**{f: {"type": "string"} for f in fields}, "kind": {"type": "string"}}),
    )


def _web_lookup(i: int, rng: random.Random) -> dict[str, Any]:
    host = _HOSTS[i % len(_HOSTS)]
    return _definition(
        f"Synthetic {i:05d} - Lookup By Phone",
        "custom-rest-actions",
        f"https://{host}/api/v1/customers/search?phone=$esc.url(${{input.phone}})&limit=1",
        "GET",
        headers={"Authorization": "Bearer ${credentials.apiToken}", "Accept": "application/json"},
        body="${input.rawRequest}",
        translation={
            "customerId": "$.customers[0].id",
            "tier": "$.customers[0].tier",
            "openCases": "$.customers[0].cases.length()",
            "manager": "$.customers[0].contacts[?(@.role == 'manager')].name",
        },
        defaults={"customerId": '""', "tier": '"bronze"', "openCases": "0", "manager": "[]"},
        template=(
            '{"customerId": ${customerId}, "tier": ${tier}, "openCases": ${openCases}, '
            '"manager": ${successTemplateUtils.firstFromArray("${manager}", '
            '"$esc.quote$esc.quote")}, "found": #if($customerId == \'""\')false#else true#end}'
        ),
        inputs={"phone": {"type": "string", "pattern": r"^\+[1-9][0-9]{6,14}$"}},
        required=["phone"],
        output=_schema(
            {
                "customerId": {"type": "string"},
                "tier": {"type": "string", "enum": list(_ENUM)},
                "openCases": {"type": "integer", "minimum": 0},
                "manager": {"type": "string"},
                "found": {"type": "boolean"},
            },
            ["customerId", "found"],
        ),
    )


def _create(i: int, rng: random.Random) -> dict[str, Any]:
    host = _HOSTS[(i + 1) % len(_HOSTS)]
    return _definition(
        f"Synthetic {i:05d} - Create Case",
        "custom-rest-actions",
        f"https://{host}/api/v1/cases",
        "POST",
        headers={
            "Authorization": "Bearer ${credentials.apiToken}",
            "Content-Type": "application/json",
        },
        body=(
            '{"customerId": "$esc.jsonString(${input.customerId})", '
            '"subject": "$esc.jsonString(${input.subject})"'
            '#if("$!{input.priority}" != ""), "priority": "${input.priority}"#end'
            '#if("$!{input.severity}" != ""), "severity": ${input.severity}#end}'
        ),
        translation={"caseId": "$.caseId", "status": "$.status", "url": "$.links.self"},
        defaults={"status": '"new"', "url": '""'},
        template='{"caseId": ${caseId}, "status": ${status}, "caseUrl": ${url}}',
        inputs={
            "customerId": {"type": "string"},
            "subject": {"type": "string"},
            "priority": {"type": "string", "enum": ["low", "normal", "high"]},
            "severity": {"type": "integer", "minimum": 1, "maximum": 4},
        },
        required=["customerId", "subject"],
        output=_schema(
            {
                "caseId": {"type": "string"},
                "status": {"type": "string"},
                "caseUrl": {"type": "string"},
            },
            ["caseId"],
        ),
    )


def _pass_through(i: int, rng: random.Random) -> dict[str, Any]:
    fields = rng.sample(_FIELDS, 4)
    return _definition(
        f"Synthetic {i:05d} - Get Profile",
        "purecloud-data-actions",
        f"/api/v2/users/${{input.userId}}/profile{i % 5}",
        "GET",
        headers={},
        body="${input.rawRequest}",
        translation={},
        defaults={},
        template="${rawResult}",
        inputs={"userId": {"type": "string"}},
        required=["userId"],
        output=_schema(
            {
                **{f: {"type": "string"} for f in fields},
                "address": {
                    "type": "object",
                    "properties": {"city": {"type": "string"}, "zip": {"type": "string"}},
                },
                "version": {"type": "integer"},
            }
        ),
    )


def _wildcard(i: int, rng: random.Random) -> dict[str, Any]:
    return _definition(
        f"Synthetic {i:05d} - Queue Members",
        "purecloud-data-actions",
        "/api/v2/routing/queues/${input.queueId}/members?presence=$esc.url(${input.presence})",
        "GET",
        headers={"UserAgent": "PureCloudIntegrations/1.0"},
        body="${input.rawRequest}",
        translation={
            "ids": "$.entities[*].id",
            "names": "$.entities[*].user.name",
            "total": "$.total",
        },
        defaults={"ids": "[]", "names": "[]", "total": "0"},
        template='{"ids": ${ids}, "names": ${names}, "total": ${total}}',
        inputs={
            "queueId": {"type": "string"},
            "presence": {"type": "string", "default": "Available"},
        },
        required=["queueId"],
        output=_schema(
            {
                "ids": {"type": "array", "items": {"type": "string"}},
                "names": {"type": "array", "items": {"type": "string"}},
                "total": {"type": "integer"},
            }
        ),
    )


def _deep_scan(i: int, rng: random.Random) -> dict[str, Any]:
    metrics = rng.sample(("oWaiting", "oInteracting", "oOnQueueUsers", "oAlerting"), 2)
    translation = {
        m: f"$..data[?(@.metric == '{m}' && @.qualifier == 'q{i % 3}')].stats.count"
        for m in metrics
    }
    template = ", ".join(
        f'"{m}": $successTemplateUtils.firstFromArray("${{{m}}}", "0")' for m in metrics
    )
    return _definition(
        f"Synthetic {i:05d} - Queue Observations",
        "purecloud-data-actions",
        "/api/v2/analytics/queues/observations/query",
        "POST",
        headers={"Content-Type": "application/json"},
        body=(
            '{"filter": {"type": "or", "predicates": [{"dimension": "queueId", '
            '"value": "${input.queueId}"}]}, "metrics": ["oWaiting", "oInteracting"]}'
        ),
        translation=translation,
        defaults=dict.fromkeys(metrics, "[]"),
        template="{" + template + "}",
        inputs={"queueId": {"type": "string"}},
        required=["queueId"],
        output=_schema({m: {"type": "integer"} for m in metrics}),
    )


# Proportions after the corpus: lookups dominate, then writes and pass-throughs.
_KINDS = (
    (_platform_lookup, 3),
    (_web_lookup, 2),
    (_create, 2),
    (_pass_through, 2),
    (_wildcard, 1),
    (_deep_scan, 1),
)


def definitions(n: int, seed: int = 7) -> list[dict[str, Any]]:
    """``n`` synthetic definitions, the same for the same ``n`` and ``seed``."""
    rng = random.Random(seed)
    cycle = [kind for kind, weight in _KINDS for _ in range(weight)]
    return [cycle[i % len(cycle)](i, rng) for i in range(n)]


def write_definitions(folder: Path, n: int, seed: int = 7) -> list[Path]:
    """Write ``n`` definitions as one export file each into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, definition in enumerate(definitions(n, seed)):
        path = folder / f"synthetic-{i:05d}.json"
        path.write_text(json.dumps(definition, indent=2), encoding="utf-8")
        paths.append(path)
    return paths
