"""Matrix selectors: what the user asked for, and what it resolves to in the database.

A port of the broker's ``UnresolvedSelector``/``ResolvedSelector``: a selector names a
pacticipant and optionally a version, tag, branch, main branch, environment or "latest"; it
resolves to one selector per matching version (or to a version that does not exist, whose
id is ``-1`` so that it matches no row). The descriptions are the broker's own words: they
end up verbatim in can-i-deploy's reasons.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import sqlite3

__all__ = [
    "NULL_ID",
    "ResolvedSelector",
    "UnresolvedSelector",
    "find_versions_for_selector",
    "resolve_selectors",
]

NULL_ID = -1  # matches no row: a pacticipant or version that does not exist

SelectorType = Literal["specified", "inferred", "ignored"]


@dataclass(frozen=True, slots=True)
class UnresolvedSelector:
    """A selector as given in a query (``q[][pacticipant]=Foo&q[][version]=1``)."""

    pacticipant_name: str | None = None
    pacticipant_version_number: str | None = None
    latest: bool = False
    tag: str | None = None
    branch: str | None = None
    environment_name: str | None = None
    main_branch: bool = False

    def all_for_pacticipant(self) -> bool:
        """Only the pacticipant is named: every version of it."""
        return bool(self.pacticipant_name) and not (
            self.pacticipant_version_number
            or self.tag
            or self.branch
            or self.latest
            or self.environment_name
            or self.main_branch
        )


@dataclass(frozen=True, slots=True)
class ResolvedSelector:
    """A selector with the ids found for it; one per version for multi-version selectors."""

    pacticipant_id: int
    pacticipant_name: str
    type: SelectorType
    ignore: bool
    original: UnresolvedSelector = field(compare=False)
    version_id: int | None = None  # None: every version of the pacticipant
    version_number: str | None = None
    latest: bool = False
    tag: str | None = None
    branch: str | None = None
    main_branch: bool = False
    environment_name: str | None = None
    one_of_many: bool = False

    # ------------------------------------------------------------------ predicates

    @property
    def specified(self) -> bool:
        """Named in the query (not inferred from the integrations)."""
        return self.type == "specified"

    @property
    def consider(self) -> bool:
        """Not ignored."""
        return not self.ignore

    def only_pacticipant_name_specified(self) -> bool:
        """The original selector names only the pacticipant."""
        return self.original.all_for_pacticipant()

    def pacticipant_does_not_exist(self) -> bool:
        """No pacticipant has this name (possible for ignore selectors only)."""
        return self.pacticipant_id == NULL_ID

    def version_does_not_exist(self) -> bool:
        """The selector asked for versions and none matched."""
        return self.version_id == NULL_ID

    def specified_version_that_does_not_exist(self) -> bool:
        """A specified selector whose version does not exist."""
        return self.specified and self.version_does_not_exist()

    def pacticipant_or_version_does_not_exist(self) -> bool:
        """Either the pacticipant or the version is missing."""
        return self.pacticipant_does_not_exist() or self.version_does_not_exist()

    def version_specified_in_original(self) -> bool:
        """The query gave a version number for this selector."""
        return bool(self.original.pacticipant_version_number)

    # ------------------------------------------------------------------ descriptions

    def description(self) -> str:
        """How the broker names this selector in reasons, e.g. ``version 1.0.0 of Foo``."""
        name, number = self.pacticipant_name, self.version_number
        latest, tag, branch, env = self.latest, self.tag, self.branch, self.environment_name
        if latest and tag and number:
            return f"the latest version of {name} with tag {tag} ({number})"
        if latest and tag:
            return f"the latest version of {name} with tag {tag} (no such version exists)"
        if latest and self.main_branch and number is None:
            return (
                f"the latest version of {name} from the main branch "
                "(no versions exist for this branch)"
            )
        if self.main_branch and number is None:
            return f"any version of {name} from the main branch (no versions exist for this branch)"
        if latest and branch and number:
            return f"the latest version of {name} from branch {branch} ({number})"
        if latest and branch:
            return f"the latest version of {name} from branch {branch} (no such version exists)"
        if branch and number:
            prefix = "one of the versions " if self.one_of_many else "the version "
            return f"{prefix}of {name} from branch {branch} ({number})"
        if branch:
            return f"a version of {name} from branch {branch} (no such version exists)"
        if latest and number:
            return f"the latest version of {name} ({number})"
        if latest:
            return f"the latest version of {name} (no such version exists)"
        if tag and number:
            return f"a version of {name} with tag {tag} ({number})"
        if tag:
            return f"a version of {name} with tag {tag} (no such version exists)"
        if env and number:
            prefix = "one of the versions" if self.one_of_many else "the version"
            return f"{prefix} of {name} currently in {env} ({number})"
        if env:
            return (
                f"a version of {name} currently in {env} (no version is currently recorded "
                "as deployed/released in this environment)"
            )
        if number and self.version_does_not_exist():
            return f"version {number} of {name} (no such version exists)"
        if number:
            return f"version {number} of {name}"
        if self.pacticipant_does_not_exist():
            return f"any version of {name} (no such pacticipant exists)"
        return f"any version of {name}"

    def version_does_not_exist_description(self) -> str:
        """Why a specified version matched nothing."""
        if not self.version_does_not_exist():
            return ""
        name = self.pacticipant_name
        if self.tag:
            return f"No version with tag {self.tag} exists for {name}"
        if self.branch:
            return f"No version of {name} from branch {self.branch} exists"
        if self.main_branch:
            return f"No version of {name} from the main branch exists"
        if self.environment_name:
            return (
                f"No version of {name} is currently recorded as deployed or released in "
                f"environment {self.environment_name}"
            )
        if self.version_number:
            return (
                f"No pacts or verifications have been published for version "
                f"{self.version_number} of {name}"
            )
        return f"No pacts or verifications have been published for {name}"


# --------------------------------------------------------------------------- resolution


def find_versions_for_selector(
    conn: sqlite3.Connection, selector: UnresolvedSelector, pacticipant_id: int
) -> list[sqlite3.Row]:
    """The versions a selector describes (``Version.for_selector``), oldest first.

    Each row has ``id``, ``number`` and ``branch_name`` (the branch the selector matched).
    """
    where = ["v.pacticipant_id = ?"]
    args: list[Any] = [pacticipant_id]
    joins = ""
    branch_col = "NULL"
    if selector.environment_name:
        where.append(
            "v.id IN (SELECT dv.version_id FROM deployed_versions dv JOIN environments e"
            " ON e.id = dv.environment_id WHERE e.name = ? AND dv.pacticipant_id = ?"
            " AND dv.undeployed_at IS NULL"
            " UNION SELECT rv.version_id FROM released_versions rv JOIN environments e"
            " ON e.id = rv.environment_id WHERE e.name = ? AND rv.pacticipant_id = ?"
            " AND rv.support_ended_at IS NULL)"
        )
        args += [selector.environment_name, pacticipant_id] * 2
    if selector.tag:
        where.append("EXISTS (SELECT 1 FROM tags t WHERE t.version_id = v.id AND t.name = ?)")
        args.append(selector.tag)
    if selector.pacticipant_version_number:
        where.append("v.number = ?")
        args.append(selector.pacticipant_version_number)
    latest_applied = False
    if selector.main_branch:
        table = "branch_heads" if selector.latest else "branch_versions"
        latest_applied = selector.latest
        joins += (
            f" JOIN {table} mb ON mb.version_id = v.id JOIN pacticipants mp"
            " ON mp.id = v.pacticipant_id AND mb.branch_name = mp.main_branch"
        )
        branch_col = "mb.branch_name"
    if selector.branch:
        table = "branch_heads" if selector.latest else "branch_versions"
        latest_applied = latest_applied or selector.latest
        joins += f" JOIN {table} b ON b.version_id = v.id AND b.branch_name = ?"
        args.insert(0, selector.branch)
        branch_col = "b.branch_name"
    sql = (
        f"SELECT v.id, v.number, {branch_col} AS branch_name FROM versions v{joins}"
        f" WHERE {' AND '.join(where)} ORDER BY v.id"
    )
    rows = conn.execute(sql, args).fetchall()
    if selector.latest and not latest_applied and rows:
        return [rows[-1]]
    return rows


def _ignored(
    ignore_selectors: list[ResolvedSelector], pacticipant_id: int, version_id: int | None
) -> bool:
    return any(
        s.pacticipant_id == pacticipant_id
        and (
            s.only_pacticipant_name_specified()
            or (version_id is not None and s.version_id == version_id)
        )
        for s in ignore_selectors
    )


def resolve_selectors(
    conn: sqlite3.Connection,
    selectors: list[UnresolvedSelector],
    selector_type: SelectorType,
    ignore_selectors: list[ResolvedSelector],
) -> list[ResolvedSelector]:
    """Resolve selectors to ids, marking those the ignore selectors cover."""
    resolved: list[ResolvedSelector] = []
    for selector in selectors:
        name = selector.pacticipant_name or ""
        row = conn.execute("SELECT id, name FROM pacticipants WHERE name = ?", (name,)).fetchone()
        if row is None:
            resolved.append(ResolvedSelector(NULL_ID, name, selector_type, False, selector))
            continue
        pid, pname = int(row["id"]), str(row["name"])
        if selector.all_for_pacticipant():
            ignore = _ignored(ignore_selectors, pid, None)
            resolved.append(ResolvedSelector(pid, pname, selector_type, ignore, selector))
            continue
        versions = find_versions_for_selector(conn, selector, pid)
        common: dict[str, Any] = {
            "latest": selector.latest,
            "tag": selector.tag,
            "main_branch": selector.main_branch,
            "environment_name": selector.environment_name,
        }
        if not versions:
            resolved.append(
                ResolvedSelector(
                    pid,
                    pname,
                    selector_type,
                    _ignored(ignore_selectors, pid, None),
                    selector,
                    version_id=NULL_ID,
                    version_number=selector.pacticipant_version_number,
                    branch=selector.branch,
                    **common,
                )
            )
            continue
        one_of_many = len(versions) > 1
        for version in versions:
            branch = selector.branch or (version["branch_name"] if selector.main_branch else None)
            resolved.append(
                ResolvedSelector(
                    pid,
                    pname,
                    selector_type,
                    _ignored(ignore_selectors, pid, int(version["id"])),
                    selector,
                    version_id=int(version["id"]),
                    version_number=str(version["number"]),
                    branch=branch,
                    one_of_many=one_of_many,
                    **common,
                )
            )
    return resolved
