"""Pact publications: finding pacts, publishing one, and the events the broker reports.

A publication links a consumer version to a pact version (content). Publishing the same
content again creates no new pact version; publishing different content under the same
consumer version is refused by the callers (409) unless merging, which makes a new revision.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from actionpact.broker.server._content import add_interaction_ids, compact_json
from actionpact.broker.server.db import now

__all__ = [
    "Pact",
    "PublishedPact",
    "find_latest_pact",
    "find_pact",
    "pacts_for_version",
    "provider_pact_list",
    "publish_pact",
    "required_verification_provider_versions",
]

Row = sqlite3.Row

_SELECT = (
    "SELECT pp.id AS publication_id, pp.revision_number, pp.created_at, pp.consumer_id,"
    " c.name AS consumer_name, c.main_branch AS consumer_main_branch, pp.provider_id,"
    " pr.name AS provider_name, pp.consumer_version_id, v.number AS consumer_version_number,"
    " pp.pact_version_id, pv.sha, pv.content"
    " FROM pact_publications pp"
    " JOIN pacticipants c ON c.id = pp.consumer_id"
    " JOIN pacticipants pr ON pr.id = pp.provider_id"
    " JOIN versions v ON v.id = pp.consumer_version_id"
    " JOIN pact_versions pv ON pv.id = pp.pact_version_id"
)
_LATEST_REVISION = " JOIN latest_pact_publications lp ON lp.pact_publication_id = pp.id"


@dataclass(frozen=True, slots=True)
class Pact:
    """One pact publication with its consumer, provider, consumer version and content."""

    publication_id: int
    revision_number: int
    created_at: str
    consumer_id: int
    consumer_name: str
    consumer_main_branch: str | None
    provider_id: int
    provider_name: str
    consumer_version_id: int
    consumer_version_number: str
    pact_version_id: int
    sha: str
    content: str

    @property
    def consumer_version_order(self) -> int:
        """The broker's version order: creation order."""
        return self.consumer_version_id

    @property
    def name(self) -> str:
        """``Pact between C (1.0.0) and P``, the broker's name for a publication."""
        return (
            f"Pact between {self.consumer_name} ({self.consumer_version_number}) "
            f"and {self.provider_name}"
        )

    def content_dict(self) -> dict[str, Any]:
        """The stored pact JSON."""
        value = json.loads(self.content)
        return value if isinstance(value, dict) else {"content": value}


def _pact(row: Row | None) -> Pact | None:
    return Pact(**dict(row)) if row is not None else None


def find_pact(
    conn: sqlite3.Connection,
    consumer_name: str,
    provider_name: str,
    *,
    version_number: str | None = None,
    sha: str | None = None,
) -> Pact | None:
    """A pact by consumer version and/or pact version SHA, as the broker's ``find_pact``."""
    names = " WHERE c.name = ? AND pr.name = ?"
    by_version = None
    if version_number is not None:
        by_version = _pact(
            conn.execute(
                _SELECT + _LATEST_REVISION + names + " AND v.number = ?",
                (consumer_name, provider_name, version_number),
            ).fetchone()
        )
        if sha is None or (by_version is not None and by_version.sha == sha):
            return by_version
    if sha is not None:
        return _pact(
            conn.execute(
                _SELECT + names + " AND pv.sha = ?"
                " ORDER BY pp.consumer_version_id DESC, pp.revision_number DESC LIMIT 1",
                (consumer_name, provider_name, sha),
            ).fetchone()
        )
    return _pact(
        conn.execute(
            _SELECT + _LATEST_REVISION + names + " ORDER BY pp.consumer_version_id DESC LIMIT 1",
            (consumer_name, provider_name),
        ).fetchone()
    )


def find_latest_pact(
    conn: sqlite3.Connection,
    consumer_name: str,
    provider_name: str,
    *,
    tag: str | None = None,
    untagged: bool = False,
    branch: str | None = None,
) -> Pact | None:
    """The pact of the latest consumer version (with a tag, untagged, or on a branch)."""
    sql = _SELECT + _LATEST_REVISION + " WHERE c.name = ? AND pr.name = ?"
    args: list[Any] = [consumer_name, provider_name]
    if untagged:
        sql += " AND NOT EXISTS (SELECT 1 FROM tags t WHERE t.version_id = pp.consumer_version_id)"
    elif tag is not None:
        sql += " AND EXISTS (SELECT 1 FROM tags t WHERE t.version_id = pp.consumer_version_id"
        sql += " AND t.name = ?)"
        args.append(tag)
    elif branch is not None:
        sql += " AND EXISTS (SELECT 1 FROM branch_versions bv"
        sql += " WHERE bv.version_id = pp.consumer_version_id AND bv.branch_name = ?)"
        args.append(branch)
    sql += " ORDER BY pp.consumer_version_id DESC LIMIT 1"
    return _pact(conn.execute(sql, args).fetchone())


def pacts_for_version(conn: sqlite3.Connection, consumer_version_id: int) -> list[Pact]:
    """The latest revision of each pact a consumer version published, by provider name."""
    rows = conn.execute(
        _SELECT + _LATEST_REVISION + " WHERE pp.consumer_version_id = ? ORDER BY lower(pr.name)",
        (consumer_version_id,),
    ).fetchall()
    return [Pact(**dict(row)) for row in rows]


def pact_by_publication_id(conn: sqlite3.Connection, publication_id: int) -> Pact:
    """The pact of a publication id (which must exist)."""
    pact = _pact(conn.execute(_SELECT + " WHERE pp.id = ?", (publication_id,)).fetchone())
    assert pact is not None
    return pact


@dataclass(frozen=True, slots=True)
class PublishedPact:
    """What publishing one pact did: the pact now stored, what was there, the events."""

    pact: Pact
    previous: Pact | None
    events: tuple[str, ...]


def _pact_version_id(
    conn: sqlite3.Connection, consumer_id: int, provider_id: int, sha: str, content: dict[str, Any]
) -> int:
    row = conn.execute(
        "SELECT id FROM pact_versions WHERE consumer_id = ? AND provider_id = ? AND sha = ?",
        (consumer_id, provider_id, sha),
    ).fetchone()
    if row is not None:
        return int(row[0])
    stored = add_interaction_ids(content)
    interactions = stored.get("interactions")
    messages = stored.get("messages")
    cursor = conn.execute(
        "INSERT INTO pact_versions (consumer_id, provider_id, sha, content, interactions_count,"
        " messages_count, created_at) VALUES (?,?,?,?,?,?,?)",
        (
            consumer_id,
            provider_id,
            sha,
            compact_json(stored),
            len(interactions) if isinstance(interactions, list) else 0,
            len(messages) if isinstance(messages, list) else 0,
            now(),
        ),
    )
    return int(cursor.lastrowid or 0)


def _previous_pacts(conn: sqlite3.Connection, pact: Pact) -> dict[str, Pact | None]:
    tags = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM tags WHERE version_id = ? ORDER BY created_at, id",
            (pact.consumer_version_id,),
        )
    ]
    base = (
        _SELECT
        + _LATEST_REVISION
        + " WHERE pp.consumer_id = ? AND pp.provider_id = ? AND pp.consumer_version_id < ?"
    )
    args = (pact.consumer_id, pact.provider_id, pact.consumer_version_id)
    order = " ORDER BY pp.consumer_version_id DESC LIMIT 1"
    if not tags:
        untagged = " AND NOT EXISTS (SELECT 1 FROM tags t WHERE t.version_id = v.id)"
        return {"": _pact(conn.execute(base + untagged + order, args).fetchone())}
    tagged = " AND EXISTS (SELECT 1 FROM tags t WHERE t.version_id = v.id AND t.name = ?)"
    return {
        tag: _pact(conn.execute(base + tagged + order, (*args, tag)).fetchone()) for tag in tags
    }


def _creation_events(conn: sqlite3.Connection, pact: Pact) -> list[str]:
    previous = _previous_pacts(conn, pact)
    changed = {
        tag: prior for tag, prior in previous.items() if prior is None or prior.sha != pact.sha
    }
    if not changed:
        tags = [tag for tag in previous if tag]
        if len(tags) == 1:
            comment = f"pact content is the same as previous version with tag {tags[0]} and no "
            comment += "new tags were applied"
        else:
            comment = "pact content is the same as previous versions with tags "
            comment += f"{', '.join(tags)} and no new tags were applied"
        return [f"contract_published ({comment})"]
    reasons = []
    for tag, prior in changed.items():
        if not tag:
            reasons.append(
                "pact content has changed since previous untagged version"
                if prior
                else "first time untagged pact published"
            )
        elif prior:
            reasons.append(
                f"pact content has changed since the last consumer version tagged with {tag}"
            )
        else:
            reasons.append(
                "first time any pact published for this consumer with consumer version "
                f"tagged {tag}"
            )
    return ["contract_published", f"contract_content_changed ({', '.join(reasons)})"]


def required_verification_provider_versions(conn: sqlite3.Connection, pact: Pact) -> list[int]:
    """Provider versions that should verify this content and have not: the head of the
    provider's main branch and the versions deployed or released anywhere."""
    rows = conn.execute(
        "SELECT bh.version_id FROM branch_heads bh JOIN pacticipants p ON p.id = bh.pacticipant_id"
        " WHERE p.id = ? AND bh.branch_name = p.main_branch"
        " UNION SELECT version_id FROM deployed_versions"
        " WHERE pacticipant_id = ? AND undeployed_at IS NULL"
        " UNION SELECT version_id FROM released_versions"
        " WHERE pacticipant_id = ? AND support_ended_at IS NULL",
        (pact.provider_id, pact.provider_id, pact.provider_id),
    ).fetchall()
    required = []
    for (version_id,) in rows:
        verified = conn.execute(
            "SELECT 1 FROM verifications WHERE pact_version_id = ? AND provider_version_id = ?"
            " LIMIT 1",
            (pact.pact_version_id, version_id),
        ).fetchone()
        if verified is None:
            required.append(int(version_id))
    return required


def publish_pact(
    conn: sqlite3.Connection,
    *,
    consumer: Row,
    provider: Row,
    version: Row,
    sha: str,
    content: dict[str, Any],
) -> PublishedPact:
    """Store a pact for a consumer version: a first publication, or a new revision when the
    content differs from the existing one (the caller decides whether that is allowed)."""
    previous = find_pact(conn, consumer["name"], provider["name"], version_number=version["number"])
    stamp = now()
    pact_version_id = _pact_version_id(conn, consumer["id"], provider["id"], sha, content)
    if previous is not None and previous.pact_version_id == pact_version_id:
        pact = previous
        events = ["contract_published"]
    else:
        revision = previous.revision_number + 1 if previous is not None else 1
        cursor = conn.execute(
            "INSERT INTO pact_publications (consumer_id, provider_id, consumer_version_id,"
            " pact_version_id, revision_number, created_at) VALUES (?,?,?,?,?,?)",
            (consumer["id"], provider["id"], version["id"], pact_version_id, revision, stamp),
        )
        conn.execute(
            "INSERT INTO latest_pact_publications (consumer_version_id, provider_id, consumer_id,"
            " pact_publication_id, pact_version_id, created_at) VALUES (?,?,?,?,?,?)"
            " ON CONFLICT (consumer_version_id, provider_id) DO UPDATE SET"
            " pact_publication_id = excluded.pact_publication_id,"
            " pact_version_id = excluded.pact_version_id",
            (
                version["id"],
                provider["id"],
                consumer["id"],
                cursor.lastrowid,
                pact_version_id,
                version["created_at"],
            ),
        )
        pact = pact_by_publication_id(conn, int(cursor.lastrowid or 0))
        if previous is None:
            events = _creation_events(conn, pact)
        else:
            events = [
                "contract_published",
                "contract_content_changed (pact content modified since previous publication for "
                f"{pact.consumer_name} version {pact.consumer_version_number})",
            ]
    if required_verification_provider_versions(conn, pact):
        events.insert(1, "contract_requiring_verification_published")
    conn.execute(
        "INSERT INTO integrations (consumer_id, provider_id, created_at, contract_data_updated_at)"
        " VALUES (?,?,?,?) ON CONFLICT (consumer_id, provider_id) DO UPDATE SET"
        " contract_data_updated_at = excluded.contract_data_updated_at",
        (consumer["id"], provider["id"], stamp, stamp),
    )
    return PublishedPact(pact, previous, tuple(events))


def provider_pact_list(
    conn: sqlite3.Connection,
    provider_id: int,
    *,
    tag: str | None = None,
    branch: str | None = None,
    main_branch: bool = False,
    latest: bool = False,
) -> list[Pact]:
    """A provider's pacts: every publication, by consumer tag or branch, or the latest of
    each consumer (the broker's provider-pacts resources)."""
    sql = _SELECT + _LATEST_REVISION + " WHERE pp.provider_id = ?"
    args: list[Any] = [provider_id]
    if main_branch or branch is not None:
        table = "branch_heads" if latest else "branch_versions"
        target = "c.main_branch" if main_branch else "?"
        sql += (
            f" AND EXISTS (SELECT 1 FROM {table} b WHERE b.version_id = pp.consumer_version_id"
            f" AND b.branch_name = {target})"
        )
        if not main_branch:
            args.append(branch)
    elif latest:
        tagged = ""
        if tag is not None:
            tagged = (
                " AND EXISTS (SELECT 1 FROM tags t WHERE t.version_id = l2.consumer_version_id"
                " AND t.name = ?)"
            )
            args.append(tag)
        sql += (
            " AND pp.consumer_version_id = (SELECT max(l2.consumer_version_id)"
            " FROM latest_pact_publications l2 WHERE l2.provider_id = pp.provider_id"
            f" AND l2.consumer_id = pp.consumer_id{tagged})"
        )
    elif tag is not None:
        sql += " AND EXISTS (SELECT 1 FROM tags t WHERE t.version_id = pp.consumer_version_id"
        sql += " AND t.name = ?)"
        args.append(tag)
    pacts = [Pact(**dict(row)) for row in conn.execute(sql, args)]
    pacts.sort(
        key=lambda p: (p.consumer_name.lower(), p.provider_name.lower(), p.consumer_version_order)
    )
    return pacts
