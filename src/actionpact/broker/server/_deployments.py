"""Environments, deployed versions and released versions.

Recording a deployment ends the previous deployment of the same application (and application
instance) in that environment, as the broker does; a release is kept until its support ends.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from typing import Any

from actionpact.broker.server._pacticipants import generate_display_name
from actionpact.broker.server.db import now

__all__ = [
    "all_environments",
    "environment_by_name",
    "environment_by_uuid",
    "record_deployment",
    "record_release",
    "record_support_ended",
    "record_undeployment",
    "save_environment",
]

Row = sqlite3.Row


def all_environments(conn: sqlite3.Connection) -> list[Row]:
    """Every environment, by display name, case-insensitively (as the broker lists them)."""
    return conn.execute(
        "SELECT * FROM environments ORDER BY lower(coalesce(display_name, name)), id"
    ).fetchall()


def environment_by_name(conn: sqlite3.Connection, name: str) -> Row | None:
    """The environment called ``name``, or ``None``."""
    row: Row | None = conn.execute("SELECT * FROM environments WHERE name = ?", (name,)).fetchone()
    return row


def environment_by_uuid(conn: sqlite3.Connection, env_uuid: str) -> Row | None:
    """The environment with this UUID, or ``None``."""
    row: Row | None = conn.execute(
        "SELECT * FROM environments WHERE uuid = ?", (env_uuid,)
    ).fetchone()
    return row


def save_environment(conn: sqlite3.Connection, body: dict[str, Any], env_uuid: str | None) -> Row:
    """Create (``env_uuid=None``) or replace an environment from a validated body."""
    display = body.get("displayName")
    if not display or not str(display).strip():
        display = generate_display_name(body["name"])
    contacts = json.dumps(body["contacts"]) if body.get("contacts") is not None else None
    stamp = now()
    if env_uuid is None:
        env_uuid = str(uuid.uuid4())
        conn.execute(
            "INSERT INTO environments (uuid, name, display_name, production, contacts,"
            " created_at, updated_at) VALUES (?,?,?,?,?,?,?)",
            (env_uuid, body["name"], display, int(body["production"]), contacts, stamp, stamp),
        )
    else:
        conn.execute(
            "UPDATE environments SET name=?, display_name=?, production=?, contacts=?,"
            " updated_at=? WHERE uuid=?",
            (body["name"], display, int(body["production"]), contacts, stamp, env_uuid),
        )
    row = environment_by_uuid(conn, env_uuid)
    assert row is not None
    return row


def record_deployment(
    conn: sqlite3.Connection,
    version: Row,
    environment: Row,
    target: str | None,
    *,
    auto_created: bool = False,
) -> tuple[Row, bool]:
    """Record that a version is deployed (to an application instance) in an environment.

    Returns:
        The deployed version and whether it was created (an identical current one is kept).
    """
    target_key = target or ""
    existing: Row | None = conn.execute(
        "SELECT * FROM deployed_versions WHERE version_id = ? AND environment_id = ?"
        " AND target = ? AND undeployed_at IS NULL",
        (version["id"], environment["id"], target_key),
    ).fetchone()
    if existing is not None:
        return existing, False
    stamp = now()
    conn.execute(
        "UPDATE deployed_versions SET undeployed_at = ?, updated_at = ?"
        " WHERE pacticipant_id = ? AND environment_id = ? AND target = ? AND undeployed_at IS NULL",
        (stamp, stamp, version["pacticipant_id"], environment["id"], target_key),
    )
    new_uuid = str(uuid.uuid4())
    conn.execute(
        "INSERT INTO deployed_versions (uuid, version_id, pacticipant_id, environment_id, target,"
        " auto_created, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)",
        (
            new_uuid,
            version["id"],
            version["pacticipant_id"],
            environment["id"],
            target_key,
            int(auto_created),
            stamp,
            stamp,
        ),
    )
    row: Row = conn.execute(
        "SELECT * FROM deployed_versions WHERE uuid = ?", (new_uuid,)
    ).fetchone()
    return row, True


def record_undeployment(conn: sqlite3.Connection, deployed: Row) -> Row:
    """Mark a deployed version as no longer deployed."""
    if deployed["undeployed_at"] is None:
        stamp = now()
        conn.execute(
            "UPDATE deployed_versions SET undeployed_at = ?, updated_at = ? WHERE id = ?",
            (stamp, stamp, deployed["id"]),
        )
    row: Row = conn.execute(
        "SELECT * FROM deployed_versions WHERE id = ?", (deployed["id"],)
    ).fetchone()
    return row


def record_release(conn: sqlite3.Connection, version: Row, environment: Row) -> tuple[Row, bool]:
    """Record a release (or re-support an ended one); returns ``(row, created)``."""
    existing: Row | None = conn.execute(
        "SELECT * FROM released_versions WHERE version_id = ? AND environment_id = ?",
        (version["id"], environment["id"]),
    ).fetchone()
    stamp = now()
    if existing is None:
        conn.execute(
            "INSERT INTO released_versions (uuid, version_id, pacticipant_id, environment_id,"
            " created_at, updated_at) VALUES (?,?,?,?,?,?)",
            (
                str(uuid.uuid4()),
                version["id"],
                version["pacticipant_id"],
                environment["id"],
                stamp,
                stamp,
            ),
        )
    elif existing["support_ended_at"] is not None:
        conn.execute(
            "UPDATE released_versions SET support_ended_at = NULL, updated_at = ? WHERE id = ?",
            (stamp, existing["id"]),
        )
    row: Row = conn.execute(
        "SELECT * FROM released_versions WHERE version_id = ? AND environment_id = ?",
        (version["id"], environment["id"]),
    ).fetchone()
    return row, existing is None


def record_support_ended(conn: sqlite3.Connection, released: Row) -> Row:
    """Mark a released version as no longer supported."""
    if released["support_ended_at"] is None:
        stamp = now()
        conn.execute(
            "UPDATE released_versions SET support_ended_at = ?, updated_at = ? WHERE id = ?",
            (stamp, stamp, released["id"]),
        )
    row: Row = conn.execute(
        "SELECT * FROM released_versions WHERE id = ?", (released["id"],)
    ).fetchone()
    return row
