"""Pacticipants, versions, tags and branches (``/pacticipants/...``)."""

from __future__ import annotations

import sqlite3
from typing import Any

from actionpact.broker.server import _pacticipants as store
from actionpact.broker.server._deployments import environment_by_name, record_deployment
from actionpact.broker.server._http import Call, HttpError, Reply, enc
from actionpact.broker.server._router import Route
from actionpact.broker.server._views import (
    pacticipant_json,
    tag_json,
    timestamps,
    urls,
    version_json,
)
from actionpact.broker.server.db import now

__all__ = ["ROUTES"]

Row = sqlite3.Row

STRING_FIELDS = (
    "name",
    "displayName",
    "mainBranch",
    "repositoryUrl",
    "repositoryName",
    "repositoryNamespace",
)


def _pacticipant_errors(body: dict[str, Any], *, name_required: bool) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if name_required and "name" not in body:
        errors["name"] = ["is missing"]
    for key in STRING_FIELDS:
        if key not in body:
            continue
        value = body[key]
        messages = errors.setdefault(key, [])
        if value is None:
            if key == "name":
                messages.append("must be filled")
        elif not isinstance(value, str):
            messages.append("must be a string")
        else:
            if key == "name" and not value:
                messages.append("must be filled")
            if "\n" in value:
                messages.append("cannot contain multiple lines")
            if key == "mainBranch" and " " in value:
                messages.append("cannot contain spaces")
            if value and not value.strip() and key in ("name", "displayName", "mainBranch"):
                messages.append("cannot be blank")
        if not messages:
            del errors[key]
    return errors


def _pacticipant(conn: sqlite3.Connection, name: str, role: str = "pacticipant") -> Row:
    row = store.find_pacticipant(conn, name)
    if row is None:
        raise HttpError.not_found(f"No {role} with name '{name}' found")
    return row


def _version(conn: sqlite3.Connection, pacticipant: Row, number: str) -> Row:
    row = store.find_version(conn, pacticipant["id"], number)
    if row is None:
        raise HttpError.not_found()
    return row


# --------------------------------------------------------------------------- pacticipants


def list_pacticipants(call: Call) -> Reply:
    with call.db.read() as conn:
        rows = conn.execute("SELECT * FROM pacticipants ORDER BY lower(name), id").fetchall()
        items = [pacticipant_json(conn, call.base_url, row) for row in rows]
    links = [
        {
            "href": urls.pacticipant(call.base_url, r["name"]),
            "title": "Pacticipant",
            "name": r["name"],
        }
        for r in rows
    ]
    body = {
        "_embedded": {"pacticipants": items},
        "_links": {
            "self": {"href": f"{call.base_url}/pacticipants"},
            "pb:pacticipants-with-label": {
                "title": "Find pacticipants by label",
                "href": f"{call.base_url}/pacticipants/label/{{label}}",
                "templated": True,
            },
            "pb:pacticipants": links,
            "pacticipants": [
                {
                    "href": link["href"],
                    "title": link["name"],
                    "name": "DEPRECATED - please use pb:pacticipants",
                }
                for link in links
            ],
        },
        "pacticipants": [
            {**item, "title": "DEPRECATED - Please use the embedded pacticipants collection"}
            for item in items
        ],
    }
    return Reply(200, body)


def create_pacticipant(call: Call) -> Reply:
    body = call.json_object()
    errors = _pacticipant_errors(body, name_required=True)
    if errors:
        raise HttpError.validation(errors)
    with call.db.write() as conn:
        row = store.find_pacticipant(conn, body["name"])
        if row is None:
            row, _ = store.save_pacticipant(conn, body["name"], body, replace=False)
        result = pacticipant_json(conn, call.base_url, row)
    # the broker's create_path really says "pacticpants"
    location = f"{call.base_url}/pacticpants/{enc(body['name'])}"
    return Reply(201, result, {"Location": location})


def get_pacticipant(call: Call) -> Reply:
    with call.db.read() as conn:
        row = _pacticipant(conn, call.params["pacticipant"])
        return Reply(200, pacticipant_json(conn, call.base_url, row))


def update_pacticipant(call: Call) -> Reply:
    name = call.params["pacticipant"]
    body = call.json_object()
    errors = _pacticipant_errors(body, name_required=False)
    if errors:
        raise HttpError.validation(errors)
    with call.db.write() as conn:
        existing = store.find_pacticipant(conn, name)
        if existing is None and call.method == "PUT":
            raise HttpError.not_found()
        row, created = store.save_pacticipant(conn, name, body, replace=call.method == "PUT")
        result = pacticipant_json(conn, call.base_url, row)
    headers = {"Location": urls.pacticipant(call.base_url, name)} if created else {}
    return Reply(201 if created else 200, result, headers)


def delete_pacticipant(call: Call) -> Reply:
    with call.db.write() as conn:
        row = _pacticipant(conn, call.params["pacticipant"])
        conn.execute("DELETE FROM pacticipants WHERE id = ?", (row["id"],))
    return Reply(204)


# --------------------------------------------------------------------------- versions


def _version_reply(
    call: Call, conn: sqlite3.Connection, version: Row, name: str, status: int = 200
) -> Reply:
    return Reply(status, version_json(conn, call.base_url, version, name, call.url))


def list_versions(call: Call) -> Reply:
    with call.db.read() as conn:
        pacticipant = _pacticipant(conn, call.params["pacticipant"])
        rows = conn.execute(
            "SELECT * FROM versions WHERE pacticipant_id = ? ORDER BY id DESC LIMIT 100",
            (pacticipant["id"],),
        ).fetchall()
        name = pacticipant["name"]
        versions = [
            version_json(
                conn, call.base_url, row, name, urls.version(call.base_url, name, row["number"])
            )
            for row in rows
        ]
    body = {
        "_embedded": {"versions": versions},
        "_links": {
            "self": {"title": "Versions", "href": call.url},
            "pb:pacticipant": {
                "title": "Pacticipant",
                "name": name,
                "href": urls.pacticipant(call.base_url, name),
            },
            "pb:versions": [
                {
                    "title": "Version",
                    "name": r["number"],
                    "href": urls.version(call.base_url, name, r["number"]),
                }
                for r in rows
            ],
        },
    }
    return Reply(200, body)


def get_version(call: Call) -> Reply:
    with call.db.read() as conn:
        pacticipant = _pacticipant(conn, call.params["pacticipant"])
        version = _version(conn, pacticipant, call.params["version"])
        return _version_reply(call, conn, version, pacticipant["name"])


def latest_version(call: Call) -> Reply:
    with call.db.read() as conn:
        pacticipant = _pacticipant(conn, call.params["pacticipant"])
        version = store.latest_version(
            conn, pacticipant["id"], tag=call.params.get("tag"), branch=call.params.get("branch")
        )
        if version is None:
            raise HttpError.not_found()
        return _version_reply(call, conn, version, pacticipant["name"])


def put_version(call: Call) -> Reply:
    name, number = call.params["pacticipant"], call.params["version"]
    content_type = call.headers.get("content-type", "")
    merge = "merge-patch" in content_type
    if (call.method == "PUT" and merge) or (call.method == "PATCH" and not merge):
        return Reply(415, None)
    body = call.json_object()
    build_url = body.get("buildUrl")
    with call.db.write() as conn:
        pacticipant = store.find_or_create_pacticipant(conn, name)
        version, created = store.find_or_create_version(conn, pacticipant["id"], number)
        if call.method == "PUT" or "buildUrl" in body:
            conn.execute(
                "UPDATE versions SET build_url = ?, updated_at = ? WHERE id = ?",
                (build_url, now(), version["id"]),
            )
        tags = body.get("tags")
        if isinstance(tags, list) and call.method == "PUT":
            conn.execute("DELETE FROM tags WHERE version_id = ?", (version["id"],))
            for tag in tags:
                tag_name = tag.get("name") if isinstance(tag, dict) else tag
                if isinstance(tag_name, str) and tag_name:
                    conn.execute(
                        "INSERT OR IGNORE INTO tags (name, version_id, pacticipant_id, created_at,"
                        " updated_at) VALUES (?,?,?,?,?)",
                        (
                            tag_name,
                            version["id"],
                            pacticipant["id"],
                            version["created_at"],
                            version["created_at"],
                        ),
                    )
        version = _version(conn, pacticipant, number)
        return _version_reply(call, conn, version, name, 201 if created else 200)


def delete_version(call: Call) -> Reply:
    with call.db.write() as conn:
        pacticipant = _pacticipant(conn, call.params["pacticipant"])
        version = _version(conn, pacticipant, call.params["version"])
        branches = [
            r[0]
            for r in conn.execute(
                "SELECT branch_id FROM branch_heads WHERE version_id = ?", (version["id"],)
            )
        ]
        conn.execute("DELETE FROM versions WHERE id = ?", (version["id"],))
        for branch_id in branches:
            store._reset_branch_head(conn, branch_id)
    return Reply(204)


# --------------------------------------------------------------------------- tags


def get_tag(call: Call) -> Reply:
    with call.db.read() as conn:
        pacticipant = _pacticipant(conn, call.params["pacticipant"])
        version = _version(conn, pacticipant, call.params["version"])
        tag = conn.execute(
            "SELECT * FROM tags WHERE version_id = ? AND name = ?",
            (version["id"], call.params["tag"]),
        ).fetchone()
        if tag is None:
            raise HttpError.not_found()
    return Reply(200, tag_json(call.base_url, tag, pacticipant["name"], version["number"]))


def put_tag(call: Call) -> Reply:
    name, number, tag_name = call.params["pacticipant"], call.params["version"], call.params["tag"]
    with call.db.write() as conn:
        pacticipant = store.find_or_create_pacticipant(conn, name)
        version, _ = store.find_or_create_version(conn, pacticipant["id"], number)
        tag, created = store.create_tag(conn, version, tag_name)
        # create_deployed_versions_for_tags: a tag named like an environment records a deployment
        environment = environment_by_name(conn, tag_name)
        if environment is not None:
            record_deployment(conn, version, environment, None, auto_created=True)
    body = tag_json(call.base_url, tag, name, number)
    headers = {"Location": urls.tag(call.base_url, name, number, tag_name)} if created else {}
    return Reply(201 if created else 200, body, headers)


def delete_tag(call: Call) -> Reply:
    with call.db.write() as conn:
        pacticipant = _pacticipant(conn, call.params["pacticipant"])
        version = _version(conn, pacticipant, call.params["version"])
        deleted = conn.execute(
            "DELETE FROM tags WHERE version_id = ? AND name = ?",
            (version["id"], call.params["tag"]),
        ).rowcount
        if not deleted:
            raise HttpError.not_found()
    return Reply(204)


# --------------------------------------------------------------------------- branches


def _branch_json(call: Call, name: str, branch: Row) -> dict[str, Any]:
    url = urls.branch(call.base_url, name, branch["name"])
    return {
        "name": branch["name"],
        **timestamps(branch),
        "_links": {
            "self": {"title": "Branch", "href": url},
            "pb:latest-version": {
                "title": "Latest version for branch",
                "href": f"{url}/latest-version",
            },
        },
    }


def list_branches(call: Call) -> Reply:
    with call.db.read() as conn:
        pacticipant = _pacticipant(conn, call.params["pacticipant"])
        rows = conn.execute(
            "SELECT * FROM branches WHERE pacticipant_id = ? ORDER BY updated_at DESC, id DESC",
            (pacticipant["id"],),
        ).fetchall()
    name = pacticipant["name"]
    body = {
        "_embedded": {"branches": [_branch_json(call, name, row) for row in rows]},
        "_links": {"self": {"title": f"{name} branches", "href": call.url}},
    }
    return Reply(200, body)


def get_branch(call: Call) -> Reply:
    with call.db.read() as conn:
        pacticipant = _pacticipant(conn, call.params["pacticipant"])
        branch = store.find_branch(conn, pacticipant["id"], call.params["branch"])
        if branch is None:
            raise HttpError.not_found()
    return Reply(200, _branch_json(call, pacticipant["name"], branch))


def delete_branch(call: Call) -> Reply:
    with call.db.write() as conn:
        pacticipant = _pacticipant(conn, call.params["pacticipant"])
        branch = store.find_branch(conn, pacticipant["id"], call.params["branch"])
        if branch is None:
            raise HttpError.not_found()
        conn.execute("DELETE FROM branches WHERE id = ?", (branch["id"],))
    return Reply(204)


def _branch_version_json(
    call: Call, name: str, branch: str, number: str, row: Row
) -> dict[str, Any]:
    return {
        **timestamps(row),
        "_links": {
            "self": {
                "title": "Branch version",
                "href": urls.branch_version(call.base_url, name, branch, number),
            },
            "pb:branch": {
                "title": "Branch",
                "name": branch,
                "href": urls.branch(call.base_url, name, branch),
            },
            "pb:version": {
                "title": "Version",
                "name": number,
                "href": urls.version(call.base_url, name, number),
            },
        },
    }


def get_branch_version(call: Call) -> Reply:
    name, branch, number = (call.params[k] for k in ("pacticipant", "branch", "version"))
    with call.db.read() as conn:
        pacticipant = _pacticipant(conn, name)
        version = _version(conn, pacticipant, number)
        branch_row = store.find_branch(conn, pacticipant["id"], branch)
        row = branch_row and store.find_branch_version(conn, version["id"], branch_row["id"])
        if not row:
            raise HttpError.not_found()
    return Reply(200, _branch_version_json(call, name, branch, number, row))


def put_branch_version(call: Call) -> Reply:
    name, branch, number = (call.params[k] for k in ("pacticipant", "branch", "version"))
    call.json(default={})
    with call.db.write() as conn:
        pacticipant = store.find_or_create_pacticipant(conn, name)
        version, _ = store.find_or_create_version(conn, pacticipant["id"], number)
        row, created = store.add_branch(conn, version, branch)
    body = _branch_version_json(call, name, branch, number, row)
    url = urls.branch_version(call.base_url, name, branch, number)
    return Reply(201 if created else 200, body, {"Location": url} if created else {})


def delete_branch_version(call: Call) -> Reply:
    name, branch, number = (call.params[k] for k in ("pacticipant", "branch", "version"))
    with call.db.write() as conn:
        pacticipant = _pacticipant(conn, name)
        version = _version(conn, pacticipant, number)
        branch_row = store.find_branch(conn, pacticipant["id"], branch)
        row = branch_row and store.find_branch_version(conn, version["id"], branch_row["id"])
        if not row:
            raise HttpError.not_found()
        store.delete_branch_version(conn, row)
    return Reply(204)


P = "/pacticipants/{pacticipant}"
ROUTES = [
    Route("/pacticipants", {"GET": list_pacticipants, "POST": create_pacticipant}),
    Route(
        P,
        {
            "GET": get_pacticipant,
            "PUT": update_pacticipant,
            "PATCH": update_pacticipant,
            "DELETE": delete_pacticipant,
        },
    ),
    Route(P + "/versions", {"GET": list_versions}),
    Route(
        P + "/versions/{version}",
        {"GET": get_version, "PUT": put_version, "PATCH": put_version, "DELETE": delete_version},
    ),
    Route(P + "/latest-version", {"GET": latest_version}),
    Route(P + "/latest-version/{tag}", {"GET": latest_version}),
    Route(
        P + "/versions/{version}/tags/{tag}", {"GET": get_tag, "PUT": put_tag, "DELETE": delete_tag}
    ),
    Route(P + "/branches", {"GET": list_branches}),
    Route(P + "/branches/{branch}", {"GET": get_branch, "DELETE": delete_branch}),
    Route(P + "/branches/{branch}/latest-version", {"GET": latest_version}),
    Route(
        P + "/branches/{branch}/versions/{version}",
        {"GET": get_branch_version, "PUT": put_branch_version, "DELETE": delete_branch_version},
    ),
]
