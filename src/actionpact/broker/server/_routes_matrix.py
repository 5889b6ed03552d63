"""``/matrix``, ``/can-i-deploy`` and the branch-to-environment can-i-deploy."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from actionpact.broker.server._deployments import environment_by_name
from actionpact.broker.server._http import Call, HttpError, Reply, encode_metadata, format_time
from actionpact.broker.server._pacticipants import find_pacticipant, latest_version
from actionpact.broker.server._router import Route
from actionpact.broker.server._selectors import UnresolvedSelector
from actionpact.broker.server._summary import Summary, summarize
from actionpact.broker.server._views import branch_version_links, environment_json, urls
from actionpact.broker.server.matrix import MatrixOptions, MatrixRow, find_matrix

if TYPE_CHECKING:
    import sqlite3

__all__ = ["ROUTES", "matrix_json"]


def _selector(item: Any) -> UnresolvedSelector:
    if not isinstance(item, dict):
        return UnresolvedSelector()

    def text(key: str) -> str | None:
        value = item.get(key)
        return value if isinstance(value, str) and value != "" else None

    return UnresolvedSelector(
        pacticipant_name=text("pacticipant"),
        pacticipant_version_number=text("version"),
        latest=item.get("latest") == "true",
        tag=text("tag"),
        branch=text("branch"),
        environment_name=text("environment"),
        main_branch=item.get("mainBranch") == "true",
    )


def _matrix_query(call: Call) -> tuple[list[UnresolvedSelector], MatrixOptions]:
    params = call.nested_query()
    raw_selectors = params.get("q")
    selectors = [_selector(i) for i in raw_selectors] if isinstance(raw_selectors, list) else []
    success = params.get("success")
    success_values: tuple[bool | None, ...] | None = None
    if isinstance(success, list):
        success_values = tuple(None if v == "" else v == "true" for v in success)
    elif isinstance(success, str):
        success_values = (None if success == "" else success == "true",)

    def opt(key: str) -> str | None:
        value = params.get(key)
        return value if isinstance(value, str) and value != "" else None

    limit = opt("limit") or "100"
    ignore = params.get("ignore")
    options = MatrixOptions(
        latestby=opt("latestby"),
        latest=opt("latest") == "true",
        tag=opt("tag"),
        environment_name=opt("environment"),
        main_branch=opt("mainBranch") == "true",
        limit=int(limit) if limit.lstrip("-").isdigit() else 0,
        success=success_values,
        ignore_selectors=tuple(_selector(i) for i in ignore) if isinstance(ignore, list) else (),
    )
    return selectors, options


def _matrix_errors(
    conn: sqlite3.Connection, selectors: list[UnresolvedSelector], options: MatrixOptions
) -> list[str]:
    errors = []
    for s in selectors:
        if s.pacticipant_name is None:
            errors.append("Please specify the pacticipant name")
        elif s.pacticipant_version_number and s.latest:
            errors.append(
                "A version number and latest flag cannot both be specified for "
                f"{s.pacticipant_name}"
            )
    for s in selectors:
        if s.pacticipant_name and find_pacticipant(conn, s.pacticipant_name) is None:
            errors.append(f"Pacticipant {s.pacticipant_name} not found")
    if not selectors:
        errors.append("Please provide 1 or more version selectors.")
    for s in options.ignore_selectors:
        if s.pacticipant_name is None:
            errors.append("Please specify the pacticipant name to ignore")
        elif s.pacticipant_version_number and s.latest:
            errors.append(
                "A version number and latest flag cannot both be specified for "
                f"{s.pacticipant_name} to ignore"
            )
    if (
        sum(1 for v in (options.tag, options.environment_name, options.main_branch or None) if v)
        > 1
    ):
        errors.append("Cannot specify more than one of tag, environment and mainBranch.")
    if options.latest and options.environment_name:
        errors.append("Cannot specify both latest=true and an environment.")
    if options.environment_name and environment_by_name(conn, options.environment_name) is None:
        errors.append(f"Environment with name '{options.environment_name}' does not exist")
    if options.limit is not None and options.limit < 1:
        errors.append("The limit must be 1 or greater.")
    return errors


# --------------------------------------------------------------------------- JSON


def _version_details(
    conn: sqlite3.Connection, base: str, rows: list[MatrixRow]
) -> dict[int, dict[str, Any]]:
    by_pacticipant: dict[str, set[int]] = {}
    numbers: dict[int, tuple[str, str]] = {}
    for row in rows:
        by_pacticipant.setdefault(row.consumer_name, set()).add(row.consumer_version_id)
        numbers[row.consumer_version_id] = (row.consumer_name, row.consumer_version_number)
        if row.provider_version_id is not None and row.provider_version_number is not None:
            by_pacticipant.setdefault(row.provider_name, set()).add(row.provider_version_id)
            numbers[row.provider_version_id] = (row.provider_name, row.provider_version_number)
    details: dict[int, dict[str, Any]] = {}
    for name, ids in by_pacticipant.items():
        branches = branch_version_links(conn, base, name, sorted(ids))
        for vid in ids:
            details[vid] = {"branchVersions": branches[vid], "environments": [], "tags": []}
    if not numbers:
        return details
    marks = ",".join("?" * len(numbers))
    version_ids = list(numbers)
    envs = conn.execute(
        "SELECT x.version_id, x.created_at AS at, e.* FROM ("
        " SELECT version_id, environment_id, created_at FROM deployed_versions"
        f"  WHERE undeployed_at IS NULL AND version_id IN ({marks})"
        " UNION ALL SELECT version_id, environment_id, created_at FROM released_versions"
        f"  WHERE support_ended_at IS NULL AND version_id IN ({marks})"
        ") x JOIN environments e ON e.id = x.environment_id ORDER BY x.created_at",
        version_ids + version_ids,
    )
    for env in envs:
        full = environment_json(base, env)
        entry: dict[str, Any] = {
            key: full[key]
            for key in ("uuid", "name", "displayName", "production", "createdAt", "updatedAt")
            if key in full
        }
        entry["_links"] = {"self": full["_links"]["self"]}
        current = details[env["version_id"]]["environments"]
        if all(e["uuid"] != entry["uuid"] for e in current):
            current.append(entry)
    tags = conn.execute(
        "SELECT t.version_id, t.name, t.created_at, t.version_id = (SELECT max(t2.version_id)"
        " FROM tags t2 WHERE t2.pacticipant_id = t.pacticipant_id AND t2.name = t.name) AS latest"
        f" FROM tags t WHERE t.version_id IN ({marks}) ORDER BY t.created_at, t.id",
        version_ids,
    )
    for tag in tags:
        name, number = numbers[tag["version_id"]]
        details[tag["version_id"]]["tags"].append(
            {
                "name": tag["name"],
                "latest": bool(tag["latest"]),
                "_links": {"self": {"href": urls.tag(base, name, number, tag["name"])}},
            }
        )
    return details


def _side(
    base: str, name: str, number: str | None, detail: dict[str, Any] | None
) -> dict[str, Any]:
    version = None
    if number is not None and detail is not None:
        branches = detail["branchVersions"]
        version = {
            "number": number,
            "branch": branches[-1]["name"] if branches else None,
            "branches": branches,
            "branchVersions": branches,
            "environments": detail["environments"],
            "_links": {"self": {"href": urls.version(base, name, number)}},
            "tags": detail["tags"],
        }
    return {
        "name": name,
        "version": version,
        "_links": {"self": {"href": urls.pacticipant(base, name)}},
    }


def _row_json(base: str, row: MatrixRow, details: dict[int, dict[str, Any]]) -> dict[str, Any]:
    verification = None
    if row.success is not None:
        sha_url = urls.pact_version(
            base, row.provider_name, row.consumer_name, row.pact_version_sha
        )
        metadata = encode_metadata({"cvn": row.consumer_version_number})
        verification = {
            "success": row.success,
            "verifiedAt": format_time(row.verification_executed_at),
            "_links": {
                "self": {
                    "href": f"{sha_url}/metadata/{metadata}/verification-results/"
                    f"{row.verification_number}"
                }
            },
        }
    return {
        "consumer": _side(
            base,
            row.consumer_name,
            row.consumer_version_number,
            details.get(row.consumer_version_id),
        ),
        "provider": _side(
            base,
            row.provider_name,
            row.provider_version_number,
            details.get(row.provider_version_id) if row.provider_version_id else None,
        ),
        "pact": {
            "createdAt": format_time(row.pact_created_at),
            "_links": {
                "self": {
                    "href": urls.pact(
                        base, row.provider_name, row.consumer_name, row.consumer_version_number
                    )
                }
            },
        },
        "verificationResult": verification,
    }


def matrix_json(conn: sqlite3.Connection, base: str, summary: Summary) -> dict[str, Any]:
    """``MatrixDecorator``: summary, notices and the rows (ignored ones flagged)."""
    result = summary.result
    details = _version_details(conn, base, result.rows)
    rows = [_row_json(base, row, details) for row in result.considered_rows]
    rows += [{**_row_json(base, row, details), "ignored": True} for row in result.ignored_rows]
    return {"summary": summary.summary_json(), "notices": summary.notices_json(), "matrix": rows}


# --------------------------------------------------------------------------- resources


def matrix(call: Call) -> Reply:
    selectors, options = _matrix_query(call)
    with call.db.read() as conn:
        errors = _matrix_errors(conn, selectors, options)
        if errors:
            raise HttpError.validation(errors)
        summary = summarize(find_matrix(conn, selectors, options))
        return Reply(200, matrix_json(conn, call.base_url, summary))


def can_i_deploy(call: Call) -> Reply:
    params = call.nested_query()
    with call.db.read() as conn:
        errors: dict[str, list[str]] = {}
        for key in ("pacticipant", "version"):
            value = params.get(key)
            if key not in params:
                errors[key] = ["is missing"]
            elif not isinstance(value, str) or not value:
                errors[key] = ["must be filled"]
        for key in ("to", "environment"):
            if key in params and (not isinstance(params[key], str) or not params[key]):
                errors[key] = ["must be filled"]
        pacticipant = params.get("pacticipant")
        known = isinstance(pacticipant, str) and find_pacticipant(conn, pacticipant) is not None
        if (
            isinstance(pacticipant, str)
            and pacticipant
            and "pacticipant" not in errors
            and not known
        ):
            errors["pacticipant"] = ["does not match an existing pacticipant"]
        environment = params.get("environment")
        if (
            isinstance(environment, str)
            and environment
            and environment_by_name(conn, environment) is None
        ):
            errors["environment"] = [f"with name '{environment}' does not exist"]
        to = params.get("to")
        given = [v for v in (to, environment) if isinstance(v, str) and v.strip()]
        if len(given) == 2:
            errors.setdefault("", []).append("Cannot specify both a 'to' tag and an environment.")
        elif not given:
            errors.setdefault("", []).append("Must specify either an environment or a 'to' tag.")
        if errors:
            raise HttpError.validation(errors)
        ignore = []
        for item in params.get("ignore") or []:
            if isinstance(item, str):
                ignore.append(UnresolvedSelector(pacticipant_name=item))
            elif isinstance(item, dict) and "pacticipant" in item:
                ignore.append(
                    UnresolvedSelector(
                        pacticipant_name=item["pacticipant"],
                        pacticipant_version_number=item.get("version"),
                    )
                )
        selector = UnresolvedSelector(
            pacticipant_name=pacticipant, pacticipant_version_number=params.get("version")
        )
        options = MatrixOptions(
            latestby="cvpv" if environment else "cvp",
            tag=to if isinstance(to, str) else None,
            latest=isinstance(to, str),
            environment_name=environment if isinstance(environment, str) else None,
            ignore_selectors=tuple(ignore),
        )
        summary = summarize(find_matrix(conn, [selector], options))
        return Reply(200, matrix_json(conn, call.base_url, summary))


def can_i_deploy_branch(call: Call) -> Reply:
    name, branch, env = (call.params[k] for k in ("pacticipant", "branch", "environment"))
    with call.db.read() as conn:
        pacticipant = find_pacticipant(conn, name)
        version = pacticipant and latest_version(conn, pacticipant["id"], branch=branch)
        if not version or environment_by_name(conn, env) is None:
            raise HttpError.not_found()
        selector = UnresolvedSelector(pacticipant_name=name, latest=True, branch=branch)
        options = MatrixOptions(latestby="cvpv", environment_name=env)
        summary = summarize(find_matrix(conn, [selector], options))
        return Reply(200, matrix_json(conn, call.base_url, summary))


ROUTES = [
    Route("/matrix", {"GET": matrix}),
    Route("/can-i-deploy", {"GET": can_i_deploy}),
    Route(
        "/pacticipants/{pacticipant}/branches/{branch}/latest-version/can-i-deploy/"
        "to-environment/{environment}",
        {"GET": can_i_deploy_branch},
    ),
]
