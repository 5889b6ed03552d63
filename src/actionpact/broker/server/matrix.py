"""The matrix: consumer versions joined to provider versions through pacts and verifications.

A port of the broker's ``Matrix::Repository#find``. Each pact publication of a consumer
version is joined on its *pact version* (content) to the verifications of that content, so a
consumer version that republished verified content is verified too. The selectors in the
query are resolved first; when the query names a target (``environment``, ``tag``, ``latest``,
``mainBranch``) the other side of every integration is inferred from that target; the rows
are then reduced with ``latestby`` and split into considered and ignored rows.
:mod:`actionpact.broker.server._summary` turns the result into can-i-deploy's answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from actionpact.broker.server._selectors import (
    NULL_ID,
    ResolvedSelector,
    UnresolvedSelector,
    find_versions_for_selector,
    resolve_selectors,
)

if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Iterable

__all__ = ["Integration", "MatrixOptions", "MatrixResult", "MatrixRow", "find_matrix"]


@dataclass(frozen=True, slots=True)
class MatrixOptions:
    """The query options (``latestby``, target, ignores, limit, success filter)."""

    latestby: str | None = None
    latest: bool = False
    tag: str | None = None
    branch: str | None = None
    environment_name: str | None = None
    main_branch: bool = False
    limit: int | None = None
    success: tuple[bool | None, ...] | None = None
    ignore_selectors: tuple[UnresolvedSelector, ...] = ()

    def infer_selectors(self) -> bool:
        """A target was given: work out the other applications' versions from it."""
        return bool(
            self.latest or self.tag or self.branch or self.environment_name or self.main_branch
        )


@dataclass(frozen=True, slots=True)
class Integration:
    """A consumer/provider pair; ``required`` when the consumer needs the provider present."""

    consumer_id: int
    consumer_name: str
    provider_id: int
    provider_name: str
    required: bool


@dataclass(frozen=True, slots=True)
class MatrixRow:
    """One pact publication and (optionally) one verification of its content."""

    consumer_id: int
    consumer_name: str
    consumer_version_id: int
    consumer_version_number: str
    provider_id: int
    provider_name: str
    provider_version_id: int | None
    provider_version_number: str | None
    pact_publication_id: int
    pact_revision_number: int
    pact_created_at: str
    pact_version_sha: str
    verification_id: int | None
    verification_number: int | None
    success: bool | None
    verification_executed_at: str | None

    def sort_key(self) -> tuple[Any, ...]:
        """The broker's row order: consumer name, newest consumer version, provider name,
        newest provider version, newest verification (missing values first)."""

        def desc(value: int | None) -> tuple[int, int]:
            return (0, 0) if value is None else (1, -value)

        return (
            self.consumer_name,
            desc(self.consumer_version_id),
            desc(self.pact_revision_number),
            self.provider_name,
            desc(self.provider_version_id),
            desc(self.verification_id),
        )


@dataclass(slots=True)
class MatrixResult:
    """Rows, selectors and integrations of one matrix query."""

    considered_rows: list[MatrixRow]
    ignored_rows: list[MatrixRow]
    options: MatrixOptions
    resolved_selectors: list[ResolvedSelector]
    resolved_ignore_selectors: list[ResolvedSelector]
    integrations: list[Integration] = field(default_factory=list)

    @property
    def rows(self) -> list[MatrixRow]:
        """Considered rows, then ignored ones."""
        return self.considered_rows + self.ignored_rows


# --------------------------------------------------------------------------- integrations


def _names(conn: sqlite3.Connection, ids: Iterable[int]) -> dict[int, str]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    marks = ",".join("?" * len(wanted))
    rows = conn.execute(f"SELECT id, name FROM pacticipants WHERE id IN ({marks})", wanted)
    return {int(r[0]): str(r[1]) for r in rows}


def _marks(values: Iterable[Any]) -> tuple[str, list[Any]]:
    items = list(values)
    return ",".join("?" * len(items)) or "NULL", items


def _integrations(
    conn: sqlite3.Connection, specified: list[ResolvedSelector], infer: bool
) -> list[Integration]:
    pairs: list[tuple[int, int, bool]] = []
    if infer or len(specified) == 1:
        for selector in specified:
            sql = "SELECT DISTINCT consumer_id, provider_id FROM latest_pact_publications"
            sql += " WHERE consumer_id = ?"
            args: list[Any] = [selector.pacticipant_id]
            if selector.version_id is not None:
                sql += " AND consumer_version_id = ?"
                args.append(selector.version_id)
            pairs += [(int(r[0]), int(r[1]), True) for r in conn.execute(sql, args)]
        marks, ids = _marks(s.pacticipant_id for s in specified)
        rows = conn.execute(
            f"SELECT consumer_id, provider_id FROM integrations WHERE provider_id IN ({marks})",
            ids,
        )
        pairs += [(int(r[0]), int(r[1]), False) for r in rows]
        chosen: dict[tuple[int, int], bool] = {}
        for consumer_id, provider_id, required in pairs:
            chosen[(consumer_id, provider_id)] = (
                chosen.get((consumer_id, provider_id), False) or required
            )
    else:
        version_ids: set[int] = set()
        for original in {s.original for s in specified}:
            pid = next(s.pacticipant_id for s in specified if s.original == original)
            if pid == NULL_ID:
                continue
            if original.all_for_pacticipant():
                rows = conn.execute("SELECT id FROM versions WHERE pacticipant_id = ?", (pid,))
                version_ids.update(int(r[0]) for r in rows)
            else:
                version_ids.update(
                    int(r["id"]) for r in find_versions_for_selector(conn, original, pid)
                )
        v_marks, v_ids = _marks(version_ids)
        p_marks, p_ids = _marks(s.pacticipant_id for s in specified)
        rows = conn.execute(
            "SELECT DISTINCT consumer_id, provider_id FROM latest_pact_publications"
            f" WHERE consumer_version_id IN ({v_marks}) AND provider_id IN ({p_marks})",
            [*v_ids, *p_ids],
        )
        specified_ids = {s.pacticipant_id for s in specified}
        chosen = {(int(r[0]), int(r[1])): int(r[0]) in specified_ids for r in rows}
    names = _names(conn, [i for pair in chosen for i in pair])
    integrations = [
        Integration(c, names[c], p, names[p], required) for (c, p), required in chosen.items()
    ]
    integrations.sort(key=lambda i: (i.consumer_name, i.provider_name))
    return integrations


def _inferred_selectors(
    integrations: list[Integration], specified: list[ResolvedSelector], options: MatrixOptions
) -> list[UnresolvedSelector]:
    seen: list[str] = []
    for integration in integrations:
        for name in (integration.consumer_name, integration.provider_name):
            if name not in seen:
                seen.append(name)
    specified_names = {s.pacticipant_name for s in specified}
    return [
        UnresolvedSelector(
            pacticipant_name=name,
            tag=options.tag,
            branch=options.branch,
            main_branch=options.main_branch,
            latest=options.latest,
            environment_name=options.environment_name,
        )
        for name in seen
        if name not in specified_names
    ]


# --------------------------------------------------------------------------- rows

_ROW_COLUMNS = (
    "SELECT r.consumer_id, c.name AS consumer_name, r.consumer_version_id,"
    " cv.number AS consumer_version_number, r.provider_id, pr.name AS provider_name,"
    " r.provider_version_id, prv.number AS provider_version_number,"
    " r.pact_publication_id, pp.revision_number AS pact_revision_number,"
    " pp.created_at AS pact_created_at, pv.sha AS pact_version_sha, r.verification_id,"
    " ve.number AS verification_number, ve.success, ve.execution_date AS verification_executed_at"
)
_ROW_JOINS = (
    " JOIN pacticipants c ON c.id = r.consumer_id"
    " JOIN pacticipants pr ON pr.id = r.provider_id"
    " JOIN versions cv ON cv.id = r.consumer_version_id"
    " LEFT JOIN versions prv ON prv.id = r.provider_version_id"
    " JOIN pact_publications pp ON pp.id = r.pact_publication_id"
    " JOIN pact_versions pv ON pv.id = r.pact_version_id"
    " LEFT JOIN verifications ve ON ve.id = r.verification_id"
)
_LAST_ACTION = (
    "CASE WHEN (r.provider_version_created_at IS NOT NULL AND"
    " r.provider_version_created_at > r.consumer_version_created_at)"
    " THEN r.provider_version_created_at ELSE r.consumer_version_created_at END"
)


def _sources(latestby: bool) -> tuple[str, str]:
    if latestby:
        # the newest revision per consumer version, the newest verification per provider version
        pacts = (
            "SELECT consumer_id, provider_id, consumer_version_id, pact_publication_id,"
            " pact_version_id, created_at FROM latest_pact_publications"
        )
        verifications = (
            "SELECT pact_version_id, provider_version_id, provider_id, consumer_id,"
            " verification_id, created_at FROM latest_verifications"
        )
    else:
        pacts = (
            "SELECT consumer_id, provider_id, consumer_version_id, id AS pact_publication_id,"
            " pact_version_id, created_at FROM pact_publications"
        )
        verifications = (
            "SELECT pact_version_id, provider_version_id, provider_id, consumer_id,"
            " id AS verification_id, created_at FROM verifications"
        )
    return pacts, verifications


def _limited(sql: str, limit: int | None) -> str:
    if limit is None:
        return sql
    return f"SELECT * FROM ({sql} ORDER BY created_at DESC LIMIT {int(limit)})"


def _criteria(
    selectors: list[ResolvedSelector], id_col: str, version_col: str
) -> tuple[str, list[Any]]:
    name_only = sorted({s.pacticipant_id for s in selectors if s.only_pacticipant_name_specified()})
    versioned = sorted(
        {
            s.version_id
            for s in selectors
            if not s.only_pacticipant_name_specified() and s.version_id is not None
        }
    )
    parts: list[str] = []
    args: list[Any] = []
    if name_only:
        parts.append(f"{id_col} IN ({','.join('?' * len(name_only))})")
        args += name_only
    if versioned:
        parts.append(f"{version_col} IN ({','.join('?' * len(versioned))})")
        args += versioned
    return "(" + (" OR ".join(parts) or "0") + ")", args


def _query_rows(
    conn: sqlite3.Connection, selectors: list[ResolvedSelector], options: MatrixOptions
) -> list[MatrixRow]:
    pacts, verifications = _sources(options.latestby is not None)
    limit = options.limit
    join_v = " ON p.pact_version_id = v.pact_version_id"
    p_cols = "p.consumer_id, p.provider_id, p.consumer_version_id, p.pact_publication_id,"
    p_cols += " p.pact_version_id, p.created_at AS consumer_version_created_at,"
    p_cols += " v.verification_id, v.provider_version_id,"
    p_cols += " v.created_at AS provider_version_created_at"
    args: list[Any] = []
    if len(selectors) == 1:
        consumer_where, c_args = _criteria(selectors, "p.consumer_id", "p.consumer_version_id")
        provider_where, v_args = _criteria(selectors, "provider_id", "provider_version_id")
        inner = (
            f"SELECT {p_cols} FROM ({_limited(pacts, limit)}) p"
            f" LEFT JOIN ({verifications}) v{join_v} WHERE {consumer_where}"
            f" UNION SELECT {p_cols} FROM ({_limited(pacts, limit)}) p"
            f" JOIN ({verifications} WHERE {provider_where}) v{join_v}"
        )
        args = c_args + v_args
    else:
        all_marks, all_ids = _marks(sorted({s.pacticipant_id for s in selectors}))
        name_only = [s for s in selectors if s.only_pacticipant_name_specified()]
        versioned = [s for s in selectors if not s.only_pacticipant_name_specified()]
        p_parts: list[str] = []
        v_parts: list[str] = []
        if name_only:
            where, w_args = _criteria(name_only, "consumer_id", "consumer_version_id")
            p_parts.append(
                _limited(f"{pacts} WHERE {where} AND provider_id IN ({all_marks})", limit)
            )
            args += w_args + all_ids
        if versioned:
            where, w_args = _criteria(versioned, "consumer_id", "consumer_version_id")
            p_parts.append(
                _limited(f"{pacts} WHERE {where} AND provider_id IN ({all_marks})", limit)
            )
            args += w_args + all_ids
        if name_only:
            where, w_args = _criteria(name_only, "provider_id", "provider_version_id")
            v_parts.append(f"{verifications} WHERE {where} AND consumer_id IN ({all_marks})")
            args += w_args + all_ids
        if versioned:
            where, w_args = _criteria(versioned, "provider_id", "provider_version_id")
            v_parts.append(f"{verifications} WHERE {where} AND consumer_id IN ({all_marks})")
            args += w_args + all_ids
        spec_marks, spec_ids = _marks(sorted({s.pacticipant_id for s in selectors if s.specified}))
        inner = (
            f"SELECT {p_cols} FROM ({' UNION '.join(p_parts)}) p"
            f" LEFT JOIN ({' UNION '.join(v_parts)}) v{join_v}"
            f" WHERE p.consumer_id IN ({spec_marks}) OR p.provider_id IN ({spec_marks})"
        )
        args += spec_ids + spec_ids
    sql = (
        f"{_ROW_COLUMNS} FROM ({inner}) r{_ROW_JOINS}"
        f" ORDER BY {_LAST_ACTION} DESC, r.pact_publication_id DESC, r.verification_id DESC"
    )
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    rows = []
    for row in conn.execute(sql, args):
        values = dict(row)
        success = values["success"]
        values["success"] = None if success is None else bool(success)
        rows.append(MatrixRow(**values))
    return rows


def _apply_latestby(rows: list[MatrixRow], latestby: str | None) -> list[MatrixRow]:
    if latestby not in ("cvpv", "cvp", "cp"):
        return rows
    groups: dict[tuple[Any, ...], list[MatrixRow]] = {}
    for row in rows:
        if latestby == "cvpv":
            key: tuple[Any, ...] = (
                row.consumer_name,
                row.consumer_version_number,
                row.provider_name,
                row.provider_version_number,
            )
        elif latestby == "cvp":
            key = (row.consumer_name, row.consumer_version_number, row.provider_name)
        else:
            key = (row.consumer_name, row.provider_name)
        groups.setdefault(key, []).append(row)
    reduced = []
    for group in groups.values():
        first = group[0]
        if first.provider_version_number is None:
            reduced.append(first)
        else:
            # Ruby's sort_by(...).last: the newest provider version, first of equals kept last
            best = first
            for row in group[1:]:
                if (row.provider_version_id or 0) >= (best.provider_version_id or 0):
                    best = row
            reduced.append(best)
    return reduced


def _is_ignored(row: MatrixRow, ignore_selectors: list[ResolvedSelector]) -> bool:
    return any(
        (
            s.pacticipant_id == row.consumer_id
            and (s.only_pacticipant_name_specified() or s.version_id == row.consumer_version_id)
        )
        or (
            s.pacticipant_id == row.provider_id
            and (s.only_pacticipant_name_specified() or s.version_id == row.provider_version_id)
        )
        for s in ignore_selectors
    )


def find_matrix(
    conn: sqlite3.Connection, selectors: list[UnresolvedSelector], options: MatrixOptions
) -> MatrixResult:
    """Run a matrix query (the broker's ``Matrix::Repository#find``)."""
    ignore = resolve_selectors(conn, list(options.ignore_selectors), "ignored", [])
    specified = resolve_selectors(conn, selectors, "specified", ignore)
    infer = options.infer_selectors()
    integrations = _integrations(conn, specified, infer)
    inferred: list[ResolvedSelector] = []
    if infer:
        wanted = _inferred_selectors(integrations, specified, options)
        inferred = resolve_selectors(conn, wanted, "inferred", ignore)
    all_selectors = specified + inferred
    rows = _query_rows(conn, all_selectors, options)
    rows = _apply_latestby(rows, options.latestby)
    if options.success is not None:
        rows = [row for row in rows if row.success in options.success]
    considered = [row for row in rows if not _is_ignored(row, ignore)]
    ignored = [row for row in rows if _is_ignored(row, ignore)]
    considered.sort(key=MatrixRow.sort_key)
    ignored.sort(key=MatrixRow.sort_key)
    return MatrixResult(considered, ignored, options, all_selectors, ignore, integrations)
