"""Verification results: recorded against a pact version (content) and a provider version."""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING, Any

from actionpact.broker.server._pacticipants import add_branch, find_or_create_version
from actionpact.broker.server.db import now

if TYPE_CHECKING:
    from actionpact.broker.server._pacts import Pact

__all__ = ["create_verification", "find_verification", "latest_verification_for_pact_version"]

Row = sqlite3.Row


def create_verification(
    conn: sqlite3.Connection,
    pact: Pact,
    body: dict[str, Any],
    *,
    wip: bool = False,
    pending: bool | None = None,
    selectors: Any = None,
) -> Row:
    """Record a verification result; the newest one per (content, provider version) counts.

    ``providerVersionBranch`` in the body adds the provider version to that branch when it has
    none yet, so a verifier that sends only the results still gets pending status right.
    """
    number = conn.execute("SELECT coalesce(max(number), 0) + 1 FROM verifications").fetchone()[0]
    version, _ = find_or_create_version(
        conn, pact.provider_id, str(body["providerApplicationVersion"])
    )
    branch = body.get("providerVersionBranch")
    if isinstance(branch, str) and branch.strip():
        has_branch = conn.execute(
            "SELECT 1 FROM branch_versions WHERE version_id = ? LIMIT 1", (version["id"],)
        ).fetchone()
        if has_branch is None:
            add_branch(conn, version, branch)
    raw_verified_by = body.get("verifiedBy")
    verified_by: dict[str, Any] = raw_verified_by if isinstance(raw_verified_by, dict) else {}
    raw_client = verified_by.get("clientLanguage")
    client: dict[str, Any] = raw_client if isinstance(raw_client, dict) else {}
    stamp = now()
    test_results = body.get("testResults")
    cursor = conn.execute(
        "INSERT INTO verifications (number, pact_version_id, provider_version_id, consumer_id,"
        " provider_id, success, build_url, test_results, wip, pact_pending,"
        " verified_by_implementation, verified_by_version, verified_by_client_implementation,"
        " verified_by_client_version, verified_by_client_test_framework,"
        " consumer_version_selector_hashes, execution_date, created_at)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            number,
            pact.pact_version_id,
            version["id"],
            pact.consumer_id,
            pact.provider_id,
            int(bool(body["success"])),
            body.get("buildUrl"),
            json.dumps(test_results) if test_results is not None else None,
            int(wip),
            None if pending is None else int(pending),
            verified_by.get("implementation"),
            verified_by.get("version"),
            client.get("name"),
            client.get("version"),
            client.get("testFramework"),
            json.dumps(selectors) if selectors else None,
            stamp,
            stamp,
        ),
    )
    verification_id = cursor.lastrowid
    conn.execute(
        "INSERT INTO latest_verifications (pact_version_id, provider_version_id, provider_id,"
        " consumer_id, verification_id, created_at) VALUES (?,?,?,?,?,?)"
        " ON CONFLICT (pact_version_id, provider_version_id) DO UPDATE SET"
        " verification_id = excluded.verification_id, created_at = excluded.created_at",
        (
            pact.pact_version_id,
            version["id"],
            pact.provider_id,
            pact.consumer_id,
            verification_id,
            stamp,
        ),
    )
    row: Row = conn.execute(
        "SELECT ve.*, v.number AS provider_version_number FROM verifications ve"
        " JOIN versions v ON v.id = ve.provider_version_id WHERE ve.id = ?",
        (verification_id,),
    ).fetchone()
    return row


def find_verification(
    conn: sqlite3.Connection, pact_version_id: int, number: int | None
) -> Row | None:
    """A verification of a pact version by number, or the newest one (``number=None``)."""
    sql = (
        "SELECT ve.*, v.number AS provider_version_number FROM verifications ve"
        " JOIN versions v ON v.id = ve.provider_version_id WHERE ve.pact_version_id = ?"
    )
    if number is None:
        row: Row | None = conn.execute(
            sql + " ORDER BY ve.execution_date DESC, ve.id DESC LIMIT 1", (pact_version_id,)
        ).fetchone()
    else:
        row = conn.execute(sql + " AND ve.number = ?", (pact_version_id, number)).fetchone()
    return row


def latest_verification_for_pact_version(
    conn: sqlite3.Connection, pact_version_id: int
) -> Row | None:
    """The newest verification of a pact content, by any provider version."""
    return find_verification(conn, pact_version_id, None)
