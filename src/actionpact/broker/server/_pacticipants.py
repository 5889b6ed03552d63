"""Pacticipants, versions, branches and tags, with the real broker's side effects.

The defaults of the official broker are kept: versions are ordered by creation, the first
branch named ``develop``, ``main`` or ``master`` becomes the main branch
(``auto_detect_main_branch``), the first tag applied within 10 s of a version's creation
becomes its branch (``use_first_tag_as_branch``) and a tag named like an environment records
a deployment (``create_deployed_versions_for_tags``). Names are case sensitive.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime
from typing import Any

from actionpact.broker.server.db import now

__all__ = [
    "MAIN_BRANCH_CANDIDATES",
    "add_branch",
    "create_tag",
    "find_branch",
    "find_branch_version",
    "find_or_create_pacticipant",
    "find_or_create_version",
    "find_pacticipant",
    "find_version",
    "generate_display_name",
    "latest_version",
    "maybe_set_main_branch",
    "potential_duplicate_names",
    "save_pacticipant",
]

MAIN_BRANCH_CANDIDATES = ("develop", "main", "master")
FIRST_TAG_AS_BRANCH_SECONDS = 10

Row = sqlite3.Row


def generate_display_name(name: str | None) -> str | None:
    """``"example-app"`` → ``"Example App"``, ``"fooBar"`` → ``"Foo Bar"``, as the broker does."""
    if name is None:
        return None
    text = re.sub(r"([A-Z])([A-Z])([a-z])", r"\1 \2\3", name)
    text = re.sub(r"([a-z\d])([A-Z])(\S)", r"\1 \2\3", text)
    text = re.sub(r"(\S)([\-_\s\.])(\S)", r"\1 \3", text)
    text = re.sub(r"\s+", " ", text).strip()
    return " ".join(word[:1].upper() + word[1:] for word in text.split(" ") if word)


# --------------------------------------------------------------------------- pacticipants


def find_pacticipant(conn: sqlite3.Connection, name: str) -> Row | None:
    """The pacticipant called ``name`` (exact, case-sensitive match), or ``None``."""
    row: Row | None = conn.execute("SELECT * FROM pacticipants WHERE name = ?", (name,)).fetchone()
    return row


def find_or_create_pacticipant(conn: sqlite3.Connection, name: str) -> Row:
    """Find or create; a created pacticipant gets a generated display name."""
    row = find_pacticipant(conn, name)
    if row is not None:
        return row
    stamp = now()
    conn.execute(
        "INSERT INTO pacticipants (name, display_name, created_at, updated_at) VALUES (?,?,?,?)",
        (name, generate_display_name(name), stamp, stamp),
    )
    created = find_pacticipant(conn, name)
    assert created is not None
    return created


PACTICIPANT_FIELDS = {
    "displayName": "display_name",
    "repositoryUrl": "repository_url",
    "repositoryName": "repository_name",
    "repositoryNamespace": "repository_namespace",
    "mainBranch": "main_branch",
}


def save_pacticipant(
    conn: sqlite3.Connection, name: str, body: dict[str, Any], *, replace: bool
) -> tuple[Row, bool]:
    """Create or update a pacticipant from a JSON body.

    ``replace`` (PUT) resets the fields the body leaves out; otherwise (POST, PATCH) only the
    given ones change. A blank display name is generated from the name, as the broker does.

    Returns:
        The row and whether it was created.
    """
    existing = find_pacticipant(conn, name)
    values: dict[str, Any] = {}
    for key, column in PACTICIPANT_FIELDS.items():
        if key in body:
            values[column] = body[key]
        elif replace or existing is None:
            values[column] = None
        else:
            values[column] = existing[column]
    if not values["display_name"] or not str(values["display_name"]).strip():
        values["display_name"] = generate_display_name(name)
    stamp = now()
    if existing is None:
        conn.execute(
            "INSERT INTO pacticipants (name, display_name, repository_url, repository_name,"
            " repository_namespace, main_branch, created_at, updated_at)"
            " VALUES (?,?,?,?,?,?,?,?)",
            (
                name,
                values["display_name"],
                values["repository_url"],
                values["repository_name"],
                values["repository_namespace"],
                values["main_branch"],
                stamp,
                stamp,
            ),
        )
    else:
        conn.execute(
            "UPDATE pacticipants SET display_name=?, repository_url=?, repository_name=?,"
            " repository_namespace=?, main_branch=?, updated_at=? WHERE id=?",
            (
                values["display_name"],
                values["repository_url"],
                values["repository_name"],
                values["repository_namespace"],
                values["main_branch"],
                stamp,
                existing["id"],
            ),
        )
    row = find_pacticipant(conn, name)
    assert row is not None
    return row, existing is None


def maybe_set_main_branch(conn: sqlite3.Connection, pacticipant_id: int, branch: str) -> None:
    """Set the main branch from the first ``develop``/``main``/``master`` branch or tag seen."""
    if branch in MAIN_BRANCH_CANDIDATES:
        conn.execute(
            "UPDATE pacticipants SET main_branch = ?, updated_at = ?"
            " WHERE id = ? AND main_branch IS NULL",
            (branch, now(), pacticipant_id),
        )


def _split_words(name: str) -> list[str]:
    text = re.sub(r"\s", "_", name).replace("::", "/")
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", text)
    text = re.sub(r"([a-z\d])([A-Z])", r"\1_\2", text)
    return text.replace("-", "_").lower().split("_")


def _clean(name: str) -> list[str]:
    words = [w[:-1] if w.endswith("s") else w for w in _split_words(name)]
    return [w for w in words if w not in ("api", "provider", "service")]


def potential_duplicate_names(conn: sqlite3.Connection, new_name: str) -> list[str]:
    """Existing names that look like ``new_name`` (``check_for_potential_duplicate...``)."""
    names = [row[0] for row in conn.execute("SELECT name FROM pacticipants")]
    if new_name in names:
        return []
    cleaned = _clean(new_name)
    return [name for name in names if _clean(name) == cleaned]


# --------------------------------------------------------------------------- versions


def find_version(conn: sqlite3.Connection, pacticipant_id: int, number: str) -> Row | None:
    """The version ``number`` of a pacticipant, or ``None``."""
    row: Row | None = conn.execute(
        "SELECT * FROM versions WHERE pacticipant_id = ? AND number = ?", (pacticipant_id, number)
    ).fetchone()
    return row


def find_or_create_version(
    conn: sqlite3.Connection, pacticipant_id: int, number: str, *, build_url: str | None = None
) -> tuple[Row, bool]:
    """Find or create a version; returns ``(row, created)``."""
    row = find_version(conn, pacticipant_id, number)
    if row is not None:
        return row, False
    stamp = now()
    conn.execute(
        "INSERT INTO versions (pacticipant_id, number, build_url, created_at, updated_at)"
        " VALUES (?,?,?,?,?)",
        (pacticipant_id, number, build_url, stamp, stamp),
    )
    created = find_version(conn, pacticipant_id, number)
    assert created is not None
    return created, True


def latest_version(
    conn: sqlite3.Connection,
    pacticipant_id: int,
    *,
    tag: str | None = None,
    branch: str | None = None,
) -> Row | None:
    """The latest version overall, with a tag, or the head of a branch."""
    if branch is not None:
        sql = (
            "SELECT v.* FROM versions v JOIN branch_heads bh ON bh.version_id = v.id"
            " WHERE bh.pacticipant_id = ? AND bh.branch_name = ?"
        )
        args: tuple[Any, ...] = (pacticipant_id, branch)
    elif tag is not None:
        sql = (
            "SELECT v.* FROM versions v JOIN tags t ON t.version_id = v.id"
            " WHERE v.pacticipant_id = ? AND t.name = ? ORDER BY v.id DESC LIMIT 1"
        )
        args = (pacticipant_id, tag)
    else:
        sql = "SELECT * FROM versions WHERE pacticipant_id = ? ORDER BY id DESC LIMIT 1"
        args = (pacticipant_id,)
    row: Row | None = conn.execute(sql, args).fetchone()
    return row


# --------------------------------------------------------------------------- branches


def find_branch(conn: sqlite3.Connection, pacticipant_id: int, name: str) -> Row | None:
    """The branch called ``name``, or ``None``."""
    row: Row | None = conn.execute(
        "SELECT * FROM branches WHERE pacticipant_id = ? AND name = ?", (pacticipant_id, name)
    ).fetchone()
    return row


def find_branch_version(conn: sqlite3.Connection, version_id: int, branch_id: int) -> Row | None:
    """The membership of a version in a branch, or ``None``."""
    row: Row | None = conn.execute(
        "SELECT * FROM branch_versions WHERE version_id = ? AND branch_id = ?",
        (version_id, branch_id),
    ).fetchone()
    return row


def add_branch(
    conn: sqlite3.Connection, version: Row, branch_name: str, *, auto_created: bool = False
) -> tuple[Row, bool]:
    """Add a version to a branch (creating the branch); the new member becomes the head.

    Returns:
        The branch version row and whether it was created.
    """
    pacticipant_id = version["pacticipant_id"]
    stamp = now()
    branch = find_branch(conn, pacticipant_id, branch_name)
    if branch is None:
        conn.execute(
            "INSERT INTO branches (pacticipant_id, name, created_at, updated_at) VALUES (?,?,?,?)",
            (pacticipant_id, branch_name, stamp, stamp),
        )
        branch = find_branch(conn, pacticipant_id, branch_name)
        assert branch is not None
    existing = find_branch_version(conn, version["id"], branch["id"])
    created = existing is None
    if existing is None:
        conn.execute(
            "INSERT INTO branch_versions (branch_id, version_id, pacticipant_id, branch_name,"
            " auto_created, created_at, updated_at) VALUES (?,?,?,?,?,?,?)",
            (
                branch["id"],
                version["id"],
                pacticipant_id,
                branch_name,
                int(auto_created),
                stamp,
                stamp,
            ),
        )
        existing = find_branch_version(conn, version["id"], branch["id"])
        assert existing is not None
        conn.execute(
            "INSERT INTO branch_heads (branch_id, branch_version_id, version_id, pacticipant_id,"
            " branch_name) VALUES (?,?,?,?,?) ON CONFLICT (branch_id) DO UPDATE SET"
            " branch_version_id = excluded.branch_version_id, version_id = excluded.version_id",
            (branch["id"], existing["id"], version["id"], pacticipant_id, branch_name),
        )
        conn.execute("UPDATE branches SET updated_at = ? WHERE id = ?", (stamp, branch["id"]))
    maybe_set_main_branch(conn, pacticipant_id, branch_name)
    return existing, created


def delete_branch_version(conn: sqlite3.Connection, branch_version: Row) -> None:
    """Remove a version from a branch; the branch's newest remaining member becomes head."""
    conn.execute("DELETE FROM branch_versions WHERE id = ?", (branch_version["id"],))
    _reset_branch_head(conn, branch_version["branch_id"])


def _reset_branch_head(conn: sqlite3.Connection, branch_id: int) -> None:
    newest = conn.execute(
        "SELECT * FROM branch_versions WHERE branch_id = ? ORDER BY created_at DESC, id DESC"
        " LIMIT 1",
        (branch_id,),
    ).fetchone()
    conn.execute("DELETE FROM branch_heads WHERE branch_id = ?", (branch_id,))
    if newest is not None:
        conn.execute(
            "INSERT INTO branch_heads (branch_id, branch_version_id, version_id, pacticipant_id,"
            " branch_name) VALUES (?,?,?,?,?)",
            (
                branch_id,
                newest["id"],
                newest["version_id"],
                newest["pacticipant_id"],
                newest["branch_name"],
            ),
        )


# --------------------------------------------------------------------------- tags


def _seconds_since(stamp: str) -> float:
    return (datetime.fromisoformat(now()) - datetime.fromisoformat(stamp)).total_seconds()


def create_tag(conn: sqlite3.Connection, version: Row, tag_name: str) -> tuple[Row, bool]:
    """Tag a version, with the broker's tag side effects (branch from first tag, main branch).

    Returns:
        The tag row and whether it was created.
    """
    existing: Row | None = conn.execute(
        "SELECT * FROM tags WHERE version_id = ? AND name = ?", (version["id"], tag_name)
    ).fetchone()
    if existing is not None:
        return existing, False
    tag_count = conn.execute(
        "SELECT count(*) FROM tags WHERE version_id = ?", (version["id"],)
    ).fetchone()[0]
    has_branch = conn.execute(
        "SELECT 1 FROM branch_versions WHERE version_id = ? LIMIT 1", (version["id"],)
    ).fetchone()
    if (
        tag_count == 0
        and has_branch is None
        and _seconds_since(version["created_at"]) <= FIRST_TAG_AS_BRANCH_SECONDS
    ):
        add_branch(conn, version, tag_name, auto_created=True)
    maybe_set_main_branch(conn, version["pacticipant_id"], tag_name)
    stamp = now()
    conn.execute(
        "INSERT INTO tags (name, version_id, pacticipant_id, created_at, updated_at)"
        " VALUES (?,?,?,?,?)",
        (tag_name, version["id"], version["pacticipant_id"], stamp, stamp),
    )
    row: Row = conn.execute(
        "SELECT * FROM tags WHERE version_id = ? AND name = ?", (version["id"], tag_name)
    ).fetchone()
    return row, True
