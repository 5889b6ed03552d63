"""Which pacts a provider must verify: consumer version selectors, pending and WIP pacts.

A port of the broker's ``PactsForVerificationRepository`` and ``SquashPactsForVerification``:
the pacts each selector finds are merged by content (one verification per content), each is
marked pending when no version of the provider's branch has verified it successfully yet,
and the WIP pacts (heads of consumer branches and tags, published since a date, never
verified by the branch) are added after them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from actionpact.broker.server._fv_selectors import Selector, sort_selectors
from actionpact.broker.server._pacts import _SELECT, Pact

if TYPE_CHECKING:
    import sqlite3

__all__ = ["ForVerificationQuery", "VerifiablePact", "find_pacts_for_verification"]

# verifications older than this do not count for WIP (the broker's default look-back)
WIP_LOOKBACK_DAYS = 30


@dataclass(frozen=True, slots=True)
class ForVerificationQuery:
    """A parsed request body."""

    selectors: tuple[Selector, ...]
    provider_version_branch: str | None = None
    provider_version_tags: tuple[str, ...] = ()
    include_pending_status: bool = True
    include_wip_pacts_since: datetime | None = None


@dataclass(frozen=True, slots=True)
class VerifiablePact:
    """A pact to verify, the selectors that chose it and its pending/WIP state."""

    pact: Pact
    selectors: tuple[Selector, ...]
    pending: bool | None = None
    pending_provider_tags: tuple[str, ...] = ()
    non_pending_provider_tags: tuple[str, ...] = ()
    provider_branch: str | None = None
    wip: bool = False


def _pacts_by_id(conn: sqlite3.Connection, ids: list[int]) -> dict[int, Pact]:
    if not ids:
        return {}
    marks = ",".join("?" * len(set(ids)))
    rows = conn.execute(_SELECT + f" WHERE pp.id IN ({marks})", sorted(set(ids)))
    return {int(row["publication_id"]): Pact(**dict(row)) for row in rows}


# --------------------------------------------------------------------------- selection


def _selector_queries(
    selector: Selector, provider_id: int, consumer_id: int | None
) -> list[tuple[str, list[Any]]]:
    base_joins = ""
    where = ["lp.provider_id = ?"]
    args: list[Any] = [provider_id]
    extra = "NULL AS environment_name, NULL AS target"
    if selector.consumer is not None:
        where.append("lp.consumer_id = ?")
        args.append(consumer_id if consumer_id is not None else -1)
    if selector.all_for_tag():
        where.append(
            "EXISTS (SELECT 1 FROM tags t WHERE t.version_id = lp.consumer_version_id"
            " AND t.name = ?)"
        )
        args.append(selector.tag)
    join_args: list[Any] = []
    if selector.latest_for_main_branch():
        base_joins += (
            " JOIN pacticipants cons ON cons.id = lp.consumer_id JOIN branch_heads bh"
            " ON bh.version_id = lp.consumer_version_id AND bh.branch_name = cons.main_branch"
        )
    if selector.latest_for_each_branch():
        base_joins += " JOIN branch_heads bh ON bh.version_id = lp.consumer_version_id"
    if selector.latest_for_branch():
        base_joins += (
            " JOIN branch_heads bh ON bh.version_id = lp.consumer_version_id AND bh.branch_name = ?"
        )
        join_args.append(selector.branch)
    if selector.latest_for_tag():
        base_joins += (
            " JOIN (SELECT pacticipant_id, max(version_id) AS latest_id FROM tags WHERE name = ?"
            " GROUP BY pacticipant_id) ht ON ht.pacticipant_id = lp.consumer_id"
            " AND ht.latest_id = lp.consumer_version_id"
        )
        join_args.append(selector.tag)
    if selector.overall_latest():
        consumer_filter = " AND consumer_id = ?" if selector.consumer is not None else ""
        base_joins += (
            " JOIN (SELECT consumer_id AS cid, max(consumer_version_id) AS latest_id"
            f" FROM latest_pact_publications WHERE provider_id = ?{consumer_filter}"
            " GROUP BY consumer_id) ol ON ol.cid = lp.consumer_id"
            " AND ol.latest_id = lp.consumer_version_id"
        )
        join_args.append(provider_id)
        if selector.consumer is not None:
            join_args.append(consumer_id if consumer_id is not None else -1)
    deployed = (
        " JOIN deployed_versions dv ON dv.version_id = lp.consumer_version_id"
        " AND dv.undeployed_at IS NULL JOIN environments e ON e.id = dv.environment_id"
    )
    released = (
        " JOIN released_versions rv ON rv.version_id = lp.consumer_version_id"
        " AND rv.support_ended_at IS NULL JOIN environments e ON e.id = rv.environment_id"
    )
    variants: list[tuple[str, str]] = []
    if selector.currently_deployed:
        variants.append((deployed, "e.name AS environment_name, dv.target AS target"))
    elif selector.currently_supported:
        variants.append((released, "e.name AS environment_name, NULL AS target"))
    elif selector.environment_name:
        variants.append((deployed, "e.name AS environment_name, dv.target AS target"))
        variants.append((released, "e.name AS environment_name, NULL AS target"))
    else:
        variants.append(("", extra))
    queries = []
    for env_join, columns in variants:
        env_where = list(where)
        env_args = list(args)
        if env_join and selector.environment_name:
            env_where.append("e.name = ?")
            env_args.append(selector.environment_name)
        sql = (
            f"SELECT lp.pact_publication_id AS id, {columns} FROM latest_pact_publications lp"
            f"{base_joins}{env_join} WHERE {' AND '.join(env_where)}"
        )
        queries.append((sql, join_args + env_args))
    return queries


def _environment(conn: sqlite3.Connection, name: str | None) -> tuple[str | None, bool]:
    if name is None:
        return None, False
    row = conn.execute("SELECT production FROM environments WHERE name = ?", (name,)).fetchone()
    return name, bool(row[0]) if row else False


def _select(
    conn: sqlite3.Connection, provider_id: int, selectors: tuple[Selector, ...]
) -> list[tuple[Pact, Selector]]:
    found: list[tuple[int, Selector, str | None, str | None]] = []
    for selector in selectors:
        consumer_id = None
        if selector.consumer is not None:
            row = conn.execute(
                "SELECT id FROM pacticipants WHERE name = ?", (selector.consumer,)
            ).fetchone()
            consumer_id = int(row[0]) if row else None
        for sql, args in _selector_queries(selector, provider_id, consumer_id):
            for row in conn.execute(sql, args):
                found.append((int(row["id"]), selector, row["environment_name"], row["target"]))
    pacts = _pacts_by_id(conn, [item[0] for item in found])
    selected = []
    for publication_id, selector, env_name, target in found:
        pact = pacts[publication_id]
        if selector.currently_deployed or selector.currently_supported or selector.in_environment():
            env, production = _environment(conn, env_name)
            resolved = selector.resolve(
                pact.consumer_version_id,
                pact.consumer_version_number,
                environment=env,
                environment_production=production,
                target=target or None,
            )
        else:
            resolved = selector.resolve(pact.consumer_version_id, pact.consumer_version_number)
        selected.append((pact, resolved))
    return selected


def _fallbacks(
    conn: sqlite3.Connection,
    provider_id: int,
    selectors: tuple[Selector, ...],
    selected: list[tuple[Pact, Selector]],
) -> list[tuple[Pact, Selector]]:
    extra: list[tuple[Pact, Selector]] = []
    for selector in selectors:
        if selector.fallback_tag and not any(s.latest_for_tag(selector.tag) for _, s in selected):
            fallback = replace(selector, tag=selector.fallback_tag)
        elif (
            selector.fallback_branch
            and isinstance(selector.branch, str)
            and not any(s.branch == selector.branch for _, s in selected)
        ):
            fallback = replace(selector, branch=selector.fallback_branch)
        else:
            continue
        for pact, resolved in _select(
            conn, provider_id, (replace(fallback, fallback_tag=None, fallback_branch=None),)
        ):
            kept = replace(
                resolved,
                tag=selector.tag,
                branch=selector.branch,
                fallback_tag=selector.fallback_tag,
                fallback_branch=selector.fallback_branch,
            )
            extra.append((pact, kept))
    return extra


def _default_selectors(conn: sqlite3.Connection, provider_id: int) -> tuple[Selector, ...]:
    selectors: list[Selector] = []
    consumers = conn.execute(
        "SELECT p.id, p.name, p.main_branch FROM integrations i JOIN pacticipants p"
        " ON p.id = i.consumer_id WHERE i.provider_id = ? ORDER BY lower(p.name)",
        (provider_id,),
    ).fetchall()
    for consumer in consumers:
        main = consumer["main_branch"]
        has_branch = (
            main
            and conn.execute(
                "SELECT 1 FROM branch_heads WHERE pacticipant_id = ? AND branch_name = ?",
                (consumer["id"], main),
            ).fetchone()
        )
        has_tag = (
            main
            and conn.execute(
                "SELECT 1 FROM tags WHERE pacticipant_id = ? AND name = ? LIMIT 1",
                (consumer["id"], main),
            ).fetchone()
        )
        if has_branch:
            selectors.append(Selector(main_branch=True, latest=True, consumer=consumer["name"]))
        elif has_tag:
            selectors.append(Selector(latest=True, tag=main, consumer=consumer["name"]))
        else:
            selectors.append(Selector(latest=True, consumer=consumer["name"]))
    selectors.append(Selector(currently_deployed=True))
    selectors.append(Selector(currently_supported=True))
    return tuple(selectors)


def _merge_by_content(selected: list[tuple[Pact, Selector]]) -> list[tuple[Pact, list[Selector]]]:
    groups: dict[tuple[str, str], list[tuple[Pact, Selector]]] = {}
    for pact, selector in selected:
        groups.setdefault((pact.consumer_name, pact.sha), []).append((pact, selector))
    merged = []
    for items in groups.values():
        latest = max((pact for pact, _ in items), key=lambda p: p.consumer_version_order)
        selectors = []
        for _, selector in items:
            if selector not in selectors:
                selectors.append(selector)
        merged.append((latest, sort_selectors(selectors)))
    merged.sort(key=lambda item: _pact_order(item[0]))
    return merged


def _pact_order(pact: Pact) -> tuple[str, str, int]:
    return (pact.consumer_name.lower(), pact.provider_name.lower(), pact.consumer_version_order)


# --------------------------------------------------------------------------- pending


def _any(conn: sqlite3.Connection, sql: str, args: tuple[Any, ...]) -> bool:
    return bool(conn.execute(f"SELECT EXISTS ({sql})", args).fetchone()[0] == 1)


def _pending_for_branch(conn: sqlite3.Connection, pact: Pact, branch: str) -> bool:
    verified_by_branch = _any(
        conn,
        "SELECT 1 FROM verifications ve JOIN branch_versions bv"
        " ON bv.version_id = ve.provider_version_id AND bv.branch_name = ?"
        " WHERE ve.pact_version_id = ? AND ve.success = 1",
        (branch, pact.pact_version_id),
    )
    if verified_by_branch:
        return False
    created = conn.execute(
        "SELECT created_at FROM branches WHERE pacticipant_id = ? AND name = ?",
        (pact.provider_id, branch),
    ).fetchone()
    sql = (
        "SELECT 1 FROM verifications ve JOIN branch_versions bv"
        " ON bv.version_id = ve.provider_version_id AND bv.branch_name != ?"
        " WHERE ve.pact_version_id = ? AND ve.success = 1"
    )
    args: tuple[Any, ...] = (branch, pact.pact_version_id)
    if created is not None:
        sql += " AND ve.created_at < ?"
        args += (created[0],)
    return not _any(conn, sql, args)


def _pending_tags(conn: sqlite3.Connection, pact: Pact, tags: tuple[str, ...]) -> tuple[str, ...]:
    pending = []
    for tag in tags:
        verified = _any(
            conn,
            "SELECT 1 FROM verifications ve JOIN tags t ON t.version_id = ve.provider_version_id"
            " AND t.name = ? WHERE ve.pact_version_id = ? AND ve.success = 1",
            (tag, pact.pact_version_id),
        )
        first = conn.execute(
            "SELECT min(created_at) FROM tags WHERE pacticipant_id = ? AND name = ?",
            (pact.provider_id, tag),
        ).fetchone()[0]
        sql = (
            "SELECT 1 FROM verifications ve JOIN tags t ON t.version_id = ve.provider_version_id"
            " AND t.name != ? WHERE ve.pact_version_id = ? AND ve.success = 1"
        )
        args: tuple[Any, ...] = (tag, pact.pact_version_id)
        if first is not None:
            sql += " AND ve.created_at < ?"
            args += (first,)
        if not verified and not _any(conn, sql, args):
            pending.append(tag)
    return tuple(pending)


def _squash(
    conn: sqlite3.Connection, pact: Pact, selectors: list[Selector], query: ForVerificationQuery
) -> VerifiablePact:
    if not query.include_pending_status:
        return VerifiablePact(pact, tuple(selectors))
    pending_tags: tuple[str, ...] = ()
    if query.provider_version_branch:
        pending = _pending_for_branch(conn, pact, query.provider_version_branch)
    elif query.provider_version_tags:
        pending_tags = _pending_tags(conn, pact, query.provider_version_tags)
        pending = bool(pending_tags)
    else:
        pending = not _any(
            conn,
            "SELECT 1 FROM verifications WHERE pact_version_id = ? AND success = 1",
            (pact.pact_version_id,),
        )
    non_pending = tuple(t for t in query.provider_version_tags if t not in pending_tags)
    return VerifiablePact(
        pact, tuple(selectors), pending, pending_tags, non_pending, query.provider_version_branch
    )


# --------------------------------------------------------------------------- WIP


def _heads(
    conn: sqlite3.Connection, provider_id: int, since: str
) -> list[tuple[int, str | None, str | None]]:
    """(publication id, consumer branch, consumer tag) of the pacts of consumer branch heads
    and tag heads published after ``since``."""
    rows = conn.execute(
        "SELECT lp.pact_publication_id, bh.branch_name FROM latest_pact_publications lp"
        " JOIN pact_publications pp ON pp.id = lp.pact_publication_id"
        " JOIN branch_heads bh ON bh.version_id = lp.consumer_version_id"
        " WHERE lp.provider_id = ? AND pp.created_at > ?",
        (provider_id, since),
    ).fetchall()
    heads: list[tuple[int, str | None, str | None]] = [(int(r[0]), str(r[1]), None) for r in rows]
    rows = conn.execute(
        "SELECT lp.pact_publication_id, ht.name FROM latest_pact_publications lp"
        " JOIN pact_publications pp ON pp.id = lp.pact_publication_id"
        " JOIN (SELECT pacticipant_id, name, max(version_id) AS latest_id FROM tags"
        "  WHERE pacticipant_id IN (SELECT consumer_id FROM integrations WHERE provider_id = ?)"
        "  GROUP BY pacticipant_id, name) ht"
        " ON ht.pacticipant_id = lp.consumer_id AND ht.latest_id = lp.consumer_version_id"
        " WHERE lp.provider_id = ? AND pp.created_at > ?",
        (provider_id, provider_id, since),
    ).fetchall()
    heads += [(int(r[0]), None, str(r[1])) for r in rows]
    return heads


def _verified_for_wip_by_branch(
    conn: sqlite3.Connection, pact_version_id: int, provider_id: int, branch: str
) -> bool:
    cutoff = (datetime.now(UTC) - timedelta(days=WIP_LOOKBACK_DAYS)).isoformat()
    if _any(
        conn,
        "SELECT 1 FROM verifications ve JOIN branch_versions bv"
        " ON bv.version_id = ve.provider_version_id AND bv.pacticipant_id = ?"
        " AND bv.branch_name = ? WHERE ve.pact_version_id = ? AND ve.success = 1"
        " AND ve.wip = 0 AND ve.provider_id = ? AND ve.execution_date >= ?",
        (provider_id, branch, pact_version_id, provider_id, cutoff),
    ):
        return True
    first = conn.execute(
        "SELECT v.created_at FROM branch_versions bv JOIN versions v ON v.id = bv.version_id"
        " WHERE bv.pacticipant_id = ? AND bv.branch_name = ? ORDER BY bv.created_at LIMIT 1",
        (provider_id, branch),
    ).fetchone()
    sql = (
        "SELECT 1 FROM verifications ve JOIN branch_versions bv"
        " ON bv.version_id = ve.provider_version_id AND bv.pacticipant_id = ?"
        " AND bv.branch_name != ? WHERE ve.pact_version_id = ? AND ve.success = 1"
        " AND ve.wip = 0 AND ve.provider_id = ? AND ve.execution_date >= ?"
    )
    args: tuple[Any, ...] = (provider_id, branch, pact_version_id, provider_id, cutoff)
    if first is not None:
        sql += " AND ve.execution_date < ?"
        args += (first[0],)
    return _any(conn, sql, args)


def _verified_for_wip_by_tag(
    conn: sqlite3.Connection, pact_version_id: int, provider_id: int, tag: str
) -> bool:
    if _any(
        conn,
        "SELECT 1 FROM verifications ve JOIN tags t ON t.version_id = ve.provider_version_id"
        " AND t.name = ? WHERE ve.pact_version_id = ? AND ve.success = 1 AND ve.wip = 0",
        (tag, pact_version_id),
    ):
        return True
    first = conn.execute(
        "SELECT min(created_at) FROM tags WHERE pacticipant_id = ? AND name = ?",
        (provider_id, tag),
    ).fetchone()[0]
    sql = (
        "SELECT 1 FROM verifications ve JOIN tags t ON t.version_id = ve.provider_version_id"
        " AND t.name != ? WHERE ve.pact_version_id = ? AND ve.success = 1 AND ve.wip = 0"
        " AND ve.provider_id = ?"
    )
    args: tuple[Any, ...] = (tag, pact_version_id, provider_id)
    if first is not None:
        sql += " AND ve.execution_date < ?"
        args += (first,)
    return _any(conn, sql, args)


def _wip(
    conn: sqlite3.Connection,
    provider_id: int,
    query: ForVerificationQuery,
    explicit: list[VerifiablePact],
) -> list[VerifiablePact]:
    since_date = query.include_wip_pacts_since
    branch = query.provider_version_branch
    if since_date is None or (not branch and not query.provider_version_tags):
        return []
    since = since_date.astimezone(UTC).isoformat(timespec="microseconds")
    heads = _heads(conn, provider_id, since)
    pacts = _pacts_by_id(conn, [h[0] for h in heads])
    explicit_keys = {(v.pact.consumer_id, v.pact.provider_id, v.pact.sha) for v in explicit}
    found: list[VerifiablePact] = []
    for publication_id, consumer_branch, consumer_tag in heads:
        pact = pacts[publication_id]
        if (pact.consumer_id, pact.provider_id, pact.sha) in explicit_keys:
            continue
        if consumer_tag is not None:
            selector = Selector(latest=True, tag=consumer_tag)
        else:
            selector = Selector(latest=True, branch=consumer_branch)
        resolved = selector.resolve(pact.consumer_version_id, pact.consumer_version_number)
        if branch:
            if not _verified_for_wip_by_branch(conn, pact.pact_version_id, provider_id, branch):
                found.append(VerifiablePact(pact, (resolved,), True, (), (), branch, True))
            continue
        for tag in query.provider_version_tags:
            if not _verified_for_wip_by_tag(conn, pact.pact_version_id, provider_id, tag):
                found.append(VerifiablePact(pact, (resolved,), True, (tag,), (), None, True))
    return _deduplicate(found)


def _deduplicate(pacts: list[VerifiablePact]) -> list[VerifiablePact]:
    groups: dict[tuple[str, str], list[VerifiablePact]] = {}
    for item in pacts:
        groups.setdefault((item.pact.consumer_name, item.pact.sha), []).append(item)
    merged = []
    for items in groups.values():
        latest = max(items, key=lambda v: v.pact.consumer_version_order).pact
        selectors: list[Selector] = []
        pending_tags: list[str] = []
        for item in items:
            selectors += [s for s in item.selectors if s not in selectors]
            pending_tags += [t for t in item.pending_provider_tags if t not in pending_tags]
        first = items[0]
        merged.append(
            VerifiablePact(
                latest,
                tuple(selectors),
                any(i.pending for i in items),
                tuple(pending_tags),
                first.non_pending_provider_tags,
                first.provider_branch,
                any(i.wip for i in items),
            )
        )
    merged.sort(key=lambda v: _pact_order(v.pact))
    return merged


def find_pacts_for_verification(
    conn: sqlite3.Connection, provider_id: int, query: ForVerificationQuery
) -> list[VerifiablePact]:
    """The pacts a provider version should verify, explicit ones first, then WIP ones."""
    selectors = query.selectors or _default_selectors(conn, provider_id)
    selected = _select(conn, provider_id, selectors)
    selected += _fallbacks(conn, provider_id, selectors, selected)
    explicit = [_squash(conn, pact, chosen, query) for pact, chosen in _merge_by_content(selected)]
    return explicit + _wip(conn, provider_id, query, explicit)
