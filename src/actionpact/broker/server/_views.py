"""HAL representations, shaped like the broker's decorators (same keys, links and titles).

Optional properties that are ``null`` are left out, as Roar/Representable does; timestamps
use the broker's ``xmlschema`` form; ``updatedAt`` appears only when it differs from
``createdAt``.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from actionpact.broker.server._http import enc, format_time

__all__ = [
    "branch_version_links",
    "deployed_version_json",
    "embedded_version",
    "environment_json",
    "pacticipant_json",
    "released_version_json",
    "tag_json",
    "timestamps",
    "urls",
    "version_json",
]

Row = sqlite3.Row


class urls:  # noqa: N801 - a namespace of URL builders, named like the broker's module
    """The broker's URL builders (``PactBrokerUrls``)."""

    @staticmethod
    def pacticipant(base: str, name: str) -> str:
        return f"{base}/pacticipants/{enc(name)}"

    @staticmethod
    def version(base: str, name: str, number: str) -> str:
        return f"{urls.pacticipant(base, name)}/versions/{enc(number)}"

    @staticmethod
    def tag(base: str, name: str, number: str, tag: str) -> str:
        return f"{urls.version(base, name, number)}/tags/{enc(tag)}"

    @staticmethod
    def branch(base: str, name: str, branch: str) -> str:
        return f"{urls.pacticipant(base, name)}/branches/{enc(branch)}"

    @staticmethod
    def branch_version(base: str, name: str, branch: str, number: str) -> str:
        return f"{urls.branch(base, name, branch)}/versions/{enc(number)}"

    @staticmethod
    def integration(base: str, provider: str, consumer: str) -> str:
        return f"{base}/pacts/provider/{enc(provider)}/consumer/{enc(consumer)}"

    @staticmethod
    def pact(base: str, provider: str, consumer: str, number: str) -> str:
        return f"{urls.integration(base, provider, consumer)}/version/{enc(number)}"

    @staticmethod
    def pact_version(base: str, provider: str, consumer: str, sha: str) -> str:
        return f"{urls.integration(base, provider, consumer)}/pact-version/{sha}"

    @staticmethod
    def environment(base: str, env_uuid: str) -> str:
        return f"{base}/environments/{env_uuid}"

    @staticmethod
    def deployed_version(base: str, dv_uuid: str) -> str:
        return f"{base}/deployed-versions/{dv_uuid}"

    @staticmethod
    def released_version(base: str, rv_uuid: str) -> str:
        return f"{base}/released-versions/{rv_uuid}"


def timestamps(row: Row | dict[str, Any]) -> dict[str, str]:
    """``createdAt`` and, when different, ``updatedAt``."""
    result: dict[str, str] = {"createdAt": format_time(row["created_at"]) or ""}
    keys = row.keys() if isinstance(row, Row) else row
    if "updated_at" in keys and row["updated_at"] != row["created_at"]:
        result["updatedAt"] = format_time(row["updated_at"]) or ""
    return result


def _compact(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


def _curies(base: str, context: str) -> list[dict[str, Any]]:
    return [{"name": "pb", "href": f"{base}/doc/{{rel}}?context={context}", "templated": True}]


def embedded_version(base: str, pacticipant: str, number: str) -> dict[str, Any]:
    """``EmbeddedVersionDecorator``."""
    return {
        "number": number,
        "_links": {
            "self": {
                "title": "Version",
                "name": number,
                "href": urls.version(base, pacticipant, number),
            }
        },
    }


def _embedded_pacticipant(base: str, name: str) -> dict[str, Any]:
    return {"name": name, "_links": {"self": {"href": urls.pacticipant(base, name)}}}


# --------------------------------------------------------------------------- pacticipants


def pacticipant_json(conn: sqlite3.Connection, base: str, row: Row) -> dict[str, Any]:
    """``PacticipantDecorator``."""
    name = row["name"]
    url = urls.pacticipant(base, name)
    body = _compact(
        {
            "name": name,
            "displayName": row["display_name"],
            "repositoryUrl": row["repository_url"],
            "repositoryName": row["repository_name"],
            "repositoryNamespace": row["repository_namespace"],
            "mainBranch": row["main_branch"],
        }
    )
    body.update(timestamps(row))
    latest = conn.execute(
        "SELECT number FROM versions WHERE pacticipant_id = ? ORDER BY id DESC LIMIT 1",
        (row["id"],),
    ).fetchone()
    embedded: dict[str, Any] = {"labels": []}
    if latest is not None:
        embedded["latestVersion"] = embedded_version(base, name, latest[0])
        deprecated = embedded_version(base, name, latest[0])
        deprecated["title"] = deprecated["name"] = "DEPRECATED - please use latestVersion"
        embedded["latest-version"] = deprecated
    deployed = conn.execute(
        "SELECT dv.uuid, e.display_name FROM deployed_versions dv JOIN environments e"
        " ON e.id = dv.environment_id WHERE dv.pacticipant_id = ? AND dv.undeployed_at IS NULL"
        " ORDER BY dv.created_at, dv.id",
        (row["id"],),
    ).fetchall()
    body["_embedded"] = embedded
    body["_links"] = {
        "self": {"href": url},
        "pb:versions": {"href": f"{url}/versions"},
        "pb:branches": {"href": f"{url}/branches"},
        "pb:deployed-environments": [
            {
                "title": f"Version deployed to {d['display_name']}",
                "name": d["display_name"],
                "href": urls.deployed_version(base, d["uuid"]),
                "currently_deployed": True,
            }
            for d in deployed
        ],
        "pb:version": {
            "title": "Get, create or delete a pacticipant version",
            "href": f"{url}/versions/{{version}}",
            "templated": True,
        },
        "pb:version-tag": {
            "title": f"Get, create or delete a tag for a version of {name}",
            "href": f"{url}/versions/{{version}}/tags/{{tag}}",
            "templated": True,
        },
        "pb:branch-version": {
            "title": f"Get or add/create a version for a branch of {name}",
            "href": f"{url}/branches/{{branch}}/versions/{{version}}",
            "templated": True,
        },
        "pb:label": {
            "title": f"Get, create or delete a label for {name}",
            "href": f"{url}/labels/{{label}}",
            "templated": True,
        },
        "versions": {"title": "Deprecated - use pb:versions", "href": f"{url}/versions"},
        "pb:can-i-deploy-badge": {
            "title": f"Can I Deploy {name} badge",
            "href": f"{url}/latest-version/{{tag}}/can-i-deploy/to/{{environmentTag}}/badge",
            "templated": True,
        },
        "pb:can-i-deploy-branch-to-environment-badge": {
            "title": f"Can I Deploy {name} from branch to environment badge",
            "href": f"{url}/branches/{{branch}}/latest-version/can-i-deploy/to-environment/"
            "{environment}/badge",
            "templated": True,
        },
        "curies": _curies(base, "pacticipant"),
    }
    return body


def branch_version_links(
    conn: sqlite3.Connection, base: str, pacticipant: str, version_ids: list[int]
) -> dict[int, list[dict[str, Any]]]:
    """``EmbeddedBranchVersionDecorator`` entries for each version, oldest first."""
    result: dict[int, list[dict[str, Any]]] = {vid: [] for vid in version_ids}
    if not version_ids:
        return result
    marks = ",".join("?" * len(version_ids))
    rows = conn.execute(
        "SELECT bv.version_id, bv.branch_name, v.number,"
        " EXISTS (SELECT 1 FROM branch_heads bh WHERE bh.branch_version_id = bv.id) AS latest"
        f" FROM branch_versions bv JOIN versions v ON v.id = bv.version_id"
        f" WHERE bv.version_id IN ({marks}) ORDER BY bv.created_at, bv.id",
        version_ids,
    )
    for row in rows:
        result[row["version_id"]].append(
            {
                "name": row["branch_name"],
                "latest": bool(row["latest"]),
                "_links": {
                    "self": {
                        "title": "Branch version",
                        "name": row["branch_name"],
                        "href": urls.branch_version(
                            base, pacticipant, row["branch_name"], row["number"]
                        ),
                    }
                },
            }
        )
    return result


def version_json(
    conn: sqlite3.Connection, base: str, version: Row, pacticipant: str, self_url: str
) -> dict[str, Any]:
    """``VersionDecorator`` with the record-deployment/release links of every environment."""
    number = version["number"]
    vurl = urls.version(base, pacticipant, number)
    branches = branch_version_links(conn, base, pacticipant, [version["id"]])[version["id"]]
    tags = conn.execute(
        "SELECT name FROM tags WHERE version_id = ? ORDER BY created_at, id", (version["id"],)
    ).fetchall()
    body: dict[str, Any] = _compact({"number": number, "buildUrl": version["build_url"]})
    body.update(timestamps(version))
    body["_embedded"] = {
        "branches": branches,
        "branchVersions": branches,
        "tags": [
            {
                "name": t[0],
                "_links": {
                    "self": {
                        "title": "Tag",
                        "name": t[0],
                        "href": urls.tag(base, pacticipant, number, t[0]),
                    }
                },
            }
            for t in tags
        ],
    }
    pacts = conn.execute(
        "SELECT pr.name FROM latest_pact_publications lp JOIN pacticipants pr"
        " ON pr.id = lp.provider_id WHERE lp.consumer_version_id = ? ORDER BY lower(pr.name)",
        (version["id"],),
    ).fetchall()
    deployed = conn.execute(
        "SELECT dv.*, e.display_name FROM deployed_versions dv JOIN environments e"
        " ON e.id = dv.environment_id WHERE dv.version_id = ? ORDER BY dv.created_at, dv.id",
        (version["id"],),
    ).fetchall()
    released = conn.execute(
        "SELECT rv.*, e.display_name FROM released_versions rv JOIN environments e"
        " ON e.id = rv.environment_id WHERE rv.version_id = ? ORDER BY rv.created_at, rv.id",
        (version["id"],),
    ).fetchall()
    environments = conn.execute(
        "SELECT * FROM environments ORDER BY lower(coalesce(display_name, name)), id"
    ).fetchall()
    body["_links"] = {
        "self": {"title": "Version", "name": number, "href": self_url},
        "pb:pacticipant": {
            "title": "Pacticipant",
            "name": pacticipant,
            "href": urls.pacticipant(base, pacticipant),
        },
        "pb:tag": {
            "href": f"{vurl}/tags/{{tag}}",
            "title": "Get, create or delete a tag for this pacticipant version",
            "templated": True,
        },
        "pb:latest-verification-results-where-pacticipant-is-consumer": {
            "title": "Latest verification results for consumer version",
            "href": f"{base}/verification-results/consumer/{enc(pacticipant)}/version/"
            f"{enc(number)}/latest",
        },
        "pb:pact-versions": [
            {
                "title": "Pact",
                "name": f"Pact between {pacticipant} ({number}) and {p[0]}",
                "href": urls.pact(base, p[0], pacticipant, number),
            }
            for p in pacts
        ],
        "pb:deployed-environments": [
            _compact(
                {
                    "title": f"Version deployed to {d['display_name']}",
                    "name": d["display_name"],
                    "href": urls.deployed_version(base, d["uuid"]),
                    "currently_deployed": d["undeployed_at"] is None,
                    "application_instance": d["target"] or None,
                }
            )
            for d in deployed
        ],
        "pb:released-environments": [
            {
                "title": f"Version released to {r['display_name']}",
                "name": r["display_name"],
                "href": urls.released_version(base, r["uuid"]),
                "currently_supported": r["support_ended_at"] is None,
            }
            for r in released
        ],
        "pb:record-deployment": [
            {
                "title": f"Record deployment to {e['display_name']}",
                "name": e["name"],
                "href": f"{vurl}/deployed-versions/environment/{e['uuid']}",
            }
            for e in environments
        ],
        "pb:record-release": [
            {
                "title": f"Record release to {e['display_name']}",
                "name": e["name"],
                "href": f"{vurl}/released-versions/environment/{e['uuid']}",
            }
            for e in environments
        ],
        "curies": _curies(base, "version"),
    }
    return body


def tag_json(base: str, tag: Row, pacticipant: str, number: str) -> dict[str, Any]:
    """``TagDecorator``."""
    body: dict[str, Any] = {"name": tag["name"], **timestamps(tag)}
    body["_links"] = {
        "self": {
            "title": "Tag",
            "name": tag["name"],
            "href": urls.tag(base, pacticipant, number, tag["name"]),
        },
        "version": {
            "title": "Version",
            "name": number,
            "href": urls.version(base, pacticipant, number),
        },
        "pacticipant": {
            "title": "Pacticipant",
            "name": pacticipant,
            "href": urls.pacticipant(base, pacticipant),
        },
    }
    return body


# --------------------------------------------------------------------------- environments


def environment_json(base: str, env: Row) -> dict[str, Any]:
    """``EnvironmentDecorator``."""
    url = urls.environment(base, env["uuid"])
    body: dict[str, Any] = _compact(
        {
            "uuid": env["uuid"],
            "name": env["name"],
            "displayName": env["display_name"],
            "production": bool(env["production"]),
            "contacts": json.loads(env["contacts"]) if env["contacts"] else None,
        }
    )
    body.update(timestamps(env))
    display = env["display_name"]
    body["_links"] = {
        "self": {"title": "Environment", "name": env["name"], "href": url},
        "pb:currently-deployed-deployed-versions": {
            "title": f"Versions currently deployed to {display} environment",
            "href": f"{url}/deployed-versions/currently-deployed",
        },
        "pb:currently-supported-released-versions": {
            "title": f"Versions released and supported in {display} environment",
            "href": f"{url}/released-versions/currently-supported",
        },
        "pb:environments": {"title": "Environments", "href": f"{base}/environments"},
    }
    return body


def _deployment_embedded(
    conn: sqlite3.Connection, base: str, row: Row
) -> tuple[dict[str, Any], str, str]:
    version = conn.execute(
        "SELECT v.number, p.name FROM versions v JOIN pacticipants p ON p.id = v.pacticipant_id"
        " WHERE v.id = ?",
        (row["version_id"],),
    ).fetchone()
    env = conn.execute(
        "SELECT * FROM environments WHERE id = ?", (row["environment_id"],)
    ).fetchone()
    embedded = {
        "pacticipant": _embedded_pacticipant(base, version["name"]),
        "version": embedded_version(base, version["name"], version["number"]),
        "environment": environment_json(base, env),
    }
    return embedded, version["name"], version["number"]


def deployed_version_json(conn: sqlite3.Connection, base: str, row: Row) -> dict[str, Any]:
    """``DeployedVersionDecorator``."""
    target = row["target"] or None
    body: dict[str, Any] = _compact(
        {
            "uuid": row["uuid"],
            "currentlyDeployed": row["undeployed_at"] is None,
            "target": target,
            "applicationInstance": target,
            "undeployedAt": format_time(row["undeployed_at"]),
        }
    )
    body.update(timestamps(row))
    body["_embedded"], _, _ = _deployment_embedded(conn, base, row)
    body["_links"] = {"self": {"href": urls.deployed_version(base, row["uuid"])}}
    return body


def released_version_json(conn: sqlite3.Connection, base: str, row: Row) -> dict[str, Any]:
    """``ReleasedVersionDecorator``."""
    body: dict[str, Any] = {
        "uuid": row["uuid"],
        "currentlySupported": row["support_ended_at"] is None,
    }
    body.update(timestamps(row))
    if row["support_ended_at"] is not None:
        body["supportEndedAt"] = format_time(row["support_ended_at"])
    body["_embedded"], _, _ = _deployment_embedded(conn, base, row)
    body["_links"] = {"self": {"href": urls.released_version(base, row["uuid"])}}
    return body
