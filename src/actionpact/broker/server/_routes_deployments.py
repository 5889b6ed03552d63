"""Environments, deployed versions and released versions."""

from __future__ import annotations

import sqlite3
from typing import Any

from actionpact.broker.server import _deployments as deploy
from actionpact.broker.server import _pacticipants as store
from actionpact.broker.server._http import Call, HttpError, Reply
from actionpact.broker.server._router import Route
from actionpact.broker.server._views import (
    deployed_version_json,
    environment_json,
    released_version_json,
    urls,
)

__all__ = ["ROUTES"]

Row = sqlite3.Row


def _environment_errors(
    conn: sqlite3.Connection, body: dict[str, Any], env_uuid: str | None
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    name = body.get("name")
    if "name" not in body:
        errors["name"] = ["is missing"]
    elif not isinstance(name, str) or not name:
        errors["name"] = ["must be filled" if not name else "must be a string"]
    else:
        messages = []
        if "\n" in name:
            messages.append("cannot contain multiple lines")
        if " " in name:
            messages.append("cannot contain spaces")
        other = deploy.environment_by_name(conn, name)
        if other is not None and other["uuid"] != env_uuid:
            messages.append(f"name '{name}' is already used by an existing environment.")
        if messages:
            errors["name"] = messages
    display = body.get("displayName")
    if display is not None and not isinstance(display, str):
        errors["displayName"] = ["must be a string"]
    elif isinstance(display, str) and "\n" in display:
        errors["displayName"] = ["cannot contain multiple lines"]
    if "production" not in body:
        errors["production"] = ["is missing"]
    elif body["production"] not in (True, False):
        errors["production"] = ["must be one of: true, false"]
    contacts = body.get("contacts")
    if contacts is not None:
        if not isinstance(contacts, list) or not all(isinstance(c, dict) for c in contacts):
            errors["contacts"] = ["must be an array"]
        else:
            for index, contact in enumerate(contacts):
                if not isinstance(contact.get("name"), str) or not contact["name"]:
                    errors.setdefault("contacts", []).append(f"name is missing (at index {index})")
    return errors


def _environment(conn: sqlite3.Connection, env_uuid: str) -> Row:
    env = deploy.environment_by_uuid(conn, env_uuid)
    if env is None:
        raise HttpError.not_found()
    return env


def list_environments(call: Call) -> Reply:
    name = call.query().get("name")
    with call.db.read() as conn:
        if name is not None:
            found = deploy.environment_by_name(conn, name)
            rows = [found] if found is not None else []
        else:
            rows = deploy.all_environments(conn)
    body = {
        "_embedded": {"environments": [environment_json(call.base_url, row) for row in rows]},
        "_links": {
            "self": {"title": "Environments", "href": call.url},
            "pb:environments": [
                {
                    "title": "Environment",
                    "name": row["name"],
                    "href": urls.environment(call.base_url, row["uuid"]),
                }
                for row in rows
            ],
        },
    }
    return Reply(200, body)


def create_environment(call: Call) -> Reply:
    body = call.json_object()
    with call.db.write() as conn:
        errors = _environment_errors(conn, body, None)
        if errors:
            raise HttpError.validation(errors)
        env = deploy.save_environment(conn, body, None)
    url = urls.environment(call.base_url, env["uuid"])
    return Reply(201, environment_json(call.base_url, env), {"Location": url})


def get_environment(call: Call) -> Reply:
    with call.db.read() as conn:
        env = _environment(conn, call.params["uuid"])
    return Reply(200, environment_json(call.base_url, env))


def update_environment(call: Call) -> Reply:
    body = call.json_object()
    with call.db.write() as conn:
        _environment(conn, call.params["uuid"])
        errors = _environment_errors(conn, body, call.params["uuid"])
        if errors:
            raise HttpError.validation(errors)
        env = deploy.save_environment(conn, body, call.params["uuid"])
    return Reply(200, environment_json(call.base_url, env))


def delete_environment(call: Call) -> Reply:
    with call.db.write() as conn:
        env = _environment(conn, call.params["uuid"])
        conn.execute("DELETE FROM environments WHERE id = ?", (env["id"],))
    return Reply(204)


def _current_in_environment(call: Call, table: str) -> Reply:
    query = call.query()
    with call.db.read() as conn:
        env = _environment(conn, call.params["uuid"])
        column = "undeployed_at" if table == "deployed_versions" else "support_ended_at"
        sql = (
            f"SELECT x.* FROM {table} x JOIN versions v ON v.id = x.version_id"
            " JOIN pacticipants p ON p.id = x.pacticipant_id"
            f" WHERE x.environment_id = ? AND x.{column} IS NULL"
        )
        args: list[Any] = [env["id"]]
        if query.get("pacticipant"):
            sql += " AND p.name = ?"
            args.append(query["pacticipant"])
        if query.get("version"):
            sql += " AND v.number = ?"
            args.append(query["version"])
        rows = conn.execute(sql + " ORDER BY x.created_at DESC, x.id DESC", args).fetchall()
        if table == "deployed_versions":
            items = [deployed_version_json(conn, call.base_url, r) for r in rows]
            key, title = "deployedVersions", "Currently deployed versions"
        else:
            items = [released_version_json(conn, call.base_url, r) for r in rows]
            key, title = "releasedVersions", "Currently supported released versions"
    title += f" for {env['display_name']}"
    return Reply(
        200, {"_embedded": {key: items}, "_links": {"self": {"href": call.url, "title": title}}}
    )


def currently_deployed(call: Call) -> Reply:
    return _current_in_environment(call, "deployed_versions")


def currently_supported(call: Call) -> Reply:
    return _current_in_environment(call, "released_versions")


# --------------------------------------------------------------------------- deployments


def _version_and_environment(call: Call, conn: sqlite3.Connection) -> tuple[Row, Row]:
    pacticipant = store.find_pacticipant(conn, call.params["pacticipant"])
    version = pacticipant and store.find_version(conn, pacticipant["id"], call.params["version"])
    env = deploy.environment_by_uuid(conn, call.params["uuid"])
    if not version or env is None:
        raise HttpError.not_found()
    return version, env


def record_deployment(call: Call) -> Reply:
    body = call.json_object()
    instance = body.get("applicationInstance", body.get("target"))
    with call.db.write() as conn:
        version, env = _version_and_environment(call, conn)
        row, _ = deploy.record_deployment(
            conn, version, env, None if instance is None else str(instance)
        )
        result = deployed_version_json(conn, call.base_url, row)
    return Reply(201, result, {"Location": urls.deployed_version(call.base_url, row["uuid"])})


def list_deployments(call: Call) -> Reply:
    with call.db.read() as conn:
        version, env = _version_and_environment(call, conn)
        rows = conn.execute(
            "SELECT * FROM deployed_versions WHERE version_id = ? AND environment_id = ?"
            " ORDER BY created_at DESC, id DESC",
            (version["id"], env["id"]),
        ).fetchall()
        items = [deployed_version_json(conn, call.base_url, r) for r in rows]
    title = (
        f"Deployed versions for {call.params['pacticipant']} version "
        f"{call.params['version']} in environment {env['display_name']}"
    )
    return Reply(
        200,
        {
            "_embedded": {"deployedVersions": items},
            "_links": {"self": {"href": call.url, "title": title}},
        },
    )


def record_release(call: Call) -> Reply:
    call.json(default={})
    with call.db.write() as conn:
        version, env = _version_and_environment(call, conn)
        row, created = deploy.record_release(conn, version, env)
        result = released_version_json(conn, call.base_url, row)
    location = urls.released_version(call.base_url, row["uuid"])
    return Reply(201 if created else 200, result, {"Location": location})


def list_releases(call: Call) -> Reply:
    with call.db.read() as conn:
        version, env = _version_and_environment(call, conn)
        rows = conn.execute(
            "SELECT * FROM released_versions WHERE version_id = ? AND environment_id = ?",
            (version["id"], env["id"]),
        ).fetchall()
        items = [released_version_json(conn, call.base_url, r) for r in rows]
        display = store.find_pacticipant(conn, call.params["pacticipant"])
    name = display["display_name"] if display else call.params["pacticipant"]
    title = (
        f"Released versions for {name} version {call.params['version']} in {env['display_name']}"
    )
    return Reply(
        200,
        {
            "_embedded": {"releasedVersions": items},
            "_links": {"self": {"href": call.url, "title": title}},
        },
    )


def _patch(call: Call, table: str, flag: str) -> Reply:
    with call.db.read() as conn:
        row = conn.execute(
            f"SELECT * FROM {table} WHERE uuid = ?", (call.params["uuid"],)
        ).fetchone()
    if row is None:
        raise HttpError.not_found()
    if call.method == "GET":
        with call.db.read() as conn:
            view = deployed_version_json if table == "deployed_versions" else released_version_json
            return Reply(200, view(conn, call.base_url, row))
    if "merge-patch" not in call.headers.get("content-type", ""):
        return Reply(415, None)
    value = call.json_object().get(flag)
    if value is True:
        again = "Please record a new deployment."
        name = "currentlyDeployed" if flag == "currentlyDeployed" else "currentlySupported"
        raise HttpError(
            422, {"errors": {name: [f"The {name} property cannot be set back to true. {again}"]}}
        )
    with call.db.write() as conn:
        if value is False:
            row = (
                deploy.record_undeployment(conn, row)
                if table == "deployed_versions"
                else deploy.record_support_ended(conn, row)
            )
        view = deployed_version_json if table == "deployed_versions" else released_version_json
        return Reply(200, view(conn, call.base_url, row))


def deployed_version(call: Call) -> Reply:
    return _patch(call, "deployed_versions", "currentlyDeployed")


def released_version(call: Call) -> Reply:
    return _patch(call, "released_versions", "currentlySupported")


V = "/pacticipants/{pacticipant}/versions/{version}"
ROUTES = [
    Route("/environments", {"GET": list_environments, "POST": create_environment}),
    Route(
        "/environments/{uuid}",
        {"GET": get_environment, "PUT": update_environment, "DELETE": delete_environment},
    ),
    Route("/environments/{uuid}/deployed-versions/currently-deployed", {"GET": currently_deployed}),
    Route(
        "/environments/{uuid}/released-versions/currently-supported", {"GET": currently_supported}
    ),
    Route(
        V + "/deployed-versions/environment/{uuid}",
        {"GET": list_deployments, "POST": record_deployment},
    ),
    Route(
        V + "/released-versions/environment/{uuid}", {"GET": list_releases, "POST": record_release}
    ),
    Route("/deployed-versions/{uuid}", {"GET": deployed_version, "PATCH": deployed_version}),
    Route("/released-versions/{uuid}", {"GET": released_version, "PATCH": released_version}),
]
