"""Pacts (``/pacts/...``), verification results and pacts for verification."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from actionpact.broker.server import _pacticipants as store
from actionpact.broker.server._content import merge_pacts, pact_version_sha
from actionpact.broker.server._http import (
    Call,
    HttpError,
    Reply,
    decode_metadata,
    encode_metadata,
    format_time,
)
from actionpact.broker.server._pacts import (
    Pact,
    find_latest_pact,
    find_pact,
    provider_pact_list,
    publish_pact,
)
from actionpact.broker.server._publish import (
    MODIFICATION_NOT_ALLOWED,
    duplicate_messages,
    publish_contracts,
)
from actionpact.broker.server._router import Route
from actionpact.broker.server._verifications import create_verification, find_verification
from actionpact.broker.server._views import embedded_version, urls
from actionpact.broker.server._views_pacts import pact_json, verification_json

if TYPE_CHECKING:
    import sqlite3

__all__ = ["ROUTES"]


def _names(call: Call) -> tuple[str, str]:
    return call.params["consumer"], call.params["provider"]


def _require(pact: Pact | None) -> Pact:
    if pact is None:
        raise HttpError.not_found()
    return pact


# --------------------------------------------------------------------------- pacts


def get_pact(call: Call) -> Reply:
    consumer, provider = _names(call)
    with call.db.read() as conn:
        pact = _require(find_pact(conn, consumer, provider, version_number=call.params["version"]))
    return Reply(200, pact_json(call.base_url, pact))


def _metadata_versions(
    conn: sqlite3.Connection, consumer: str, metadata: dict[str, Any]
) -> list[str]:
    """Consumer version numbers named by URL metadata (``s[][cv]`` ids or ``cvn``), oldest
    first."""
    selectors = metadata.get("s")
    if isinstance(selectors, list):
        ids = sorted(
            {
                int(s["cv"])
                for s in selectors
                if isinstance(s, dict) and str(s.get("cv", "")).isdigit()
            }
        )
        numbers = []
        for version_id in ids:
            row = conn.execute(
                "SELECT v.number FROM versions v JOIN pacticipants p ON p.id = v.pacticipant_id"
                " WHERE v.id = ? AND p.name = ?",
                (version_id, consumer),
            ).fetchone()
            if row is not None:
                numbers.append(str(row[0]))
        return numbers
    if isinstance(metadata.get("cvn"), str):
        return [metadata["cvn"]]
    return []


def get_pact_version(call: Call) -> Reply:
    consumer, provider = _names(call)
    segment = call.params.get("metadata")
    with call.db.read() as conn:
        numbers = _metadata_versions(conn, consumer, decode_metadata(segment))
        pact = _require(
            find_pact(
                conn,
                consumer,
                provider,
                sha=call.params["sha"],
                version_number=numbers[-1] if numbers else None,
            )
        )
    return Reply(
        200,
        pact_json(
            call.base_url, pact, metadata=segment, consumer_versions=list(reversed(numbers)) or None
        ),
    )


def get_latest_pact(call: Call) -> Reply:
    consumer, provider = _names(call)
    tag = call.params.get("tag")
    with call.db.read() as conn:
        pact = _require(
            find_latest_pact(
                conn,
                consumer,
                provider,
                tag=tag,
                branch=call.params.get("branch"),
                untagged=call.path.rstrip("/").endswith("/latest-untagged"),
            )
        )
    meta: dict[str, Any] = (
        {"cvt": [tag], "cv": pact.consumer_version_id} if tag else {"cv": pact.consumer_version_id}
    )
    reply = Reply(200, pact_json(call.base_url, pact, metadata=encode_metadata(meta)))
    reply.headers["X-Pact-Consumer-Version"] = pact.consumer_version_number
    return reply


def put_pact(call: Call) -> Reply:
    consumer_name, provider_name = _names(call)
    number = call.params["version"]
    body = call.json()
    if body is None:
        raise HttpError(400, {"error": "Missing request body"})
    if not isinstance(body, dict):
        raise HttpError(400, {"error": "Expected JSON Object in request body but found Array"})
    errors: dict[str, list[str]] = {}
    for role, name in (("consumer", consumer_name), ("provider", provider_name)):
        in_pact = body.get(role, {}).get("name") if isinstance(body.get(role), dict) else None
        if isinstance(in_pact, str) and in_pact.strip() and in_pact != name:
            errors[f"{role}.name"] = [
                f"name in pact '{in_pact}' does not match name in URL path '{name}'."
            ]
    if errors:
        raise HttpError.validation(errors)
    sha = pact_version_sha(body)
    with call.db.write() as conn:
        existing = find_pact(conn, consumer_name, provider_name, version_number=number)
        duplicates = duplicate_messages(conn, [consumer_name, provider_name], call.base_url)
        if duplicates:
            raise HttpError(409, {"error": "\n".join(duplicates)})
        content = body
        if call.method == "PATCH" and existing is not None:
            content = merge_pacts(existing.content_dict(), body)
            sha = pact_version_sha(content)
        elif existing is not None and existing.sha != sha:
            raise HttpError(
                409,
                {
                    "error": MODIFICATION_NOT_ALLOWED.format(
                        consumer=consumer_name, version=number, provider=provider_name
                    )
                },
            )
        consumer = store.find_or_create_pacticipant(conn, consumer_name)
        provider = store.find_or_create_pacticipant(conn, provider_name)
        version, _ = store.find_or_create_version(conn, consumer["id"], number)
        result = publish_pact(
            conn, consumer=consumer, provider=provider, version=version, sha=sha, content=content
        )
    return Reply(200 if existing else 201, pact_json(call.base_url, result.pact))


def delete_pact(call: Call) -> Reply:
    consumer, provider = _names(call)
    with call.db.write() as conn:
        pact = _require(find_pact(conn, consumer, provider, version_number=call.params["version"]))
        conn.execute(
            "DELETE FROM pact_publications WHERE consumer_version_id = ? AND provider_id = ?",
            (pact.consumer_version_id, pact.provider_id),
        )
        latest = find_pact(conn, consumer, provider)
    links: dict[str, Any] = {"index": {"href": call.base_url}}
    if latest is not None:
        links["pb:latest-pact-version"] = {
            "href": f"{urls.integration(call.base_url, provider, consumer)}/latest",
            "title": "Latest pact",
        }
    return Reply(200, {"_links": links})


def latest_pacts(call: Call) -> Reply:
    """``GET /pacts/latest``: the latest pact of every integration (``PactCollectionDecorator``)."""
    base = call.base_url
    with call.db.read() as conn:
        pairs = conn.execute(
            "SELECT c.name AS consumer, pr.name AS provider FROM integrations i"
            " JOIN pacticipants c ON c.id = i.consumer_id"
            " JOIN pacticipants pr ON pr.id = i.provider_id ORDER BY lower(c.name), lower(pr.name)"
        ).fetchall()
        pacts = [
            p
            for p in (find_latest_pact(conn, r["consumer"], r["provider"]) for r in pairs)
            if p is not None
        ]

    def latest_url(p: Pact) -> str:
        return f"{urls.integration(base, p.provider_name, p.consumer_name)}/latest"

    items = [
        {
            "_embedded": {
                "consumer": {
                    "name": p.consumer_name,
                    "_embedded": {
                        "version": embedded_version(
                            base, p.consumer_name, p.consumer_version_number
                        )
                    },
                    "_links": {"self": {"href": urls.pacticipant(base, p.consumer_name)}},
                },
                "provider": {
                    "name": p.provider_name,
                    "_links": {"self": {"href": urls.pacticipant(base, p.provider_name)}},
                },
            },
            "_links": {
                "self": [
                    {"href": latest_url(p)},
                    {
                        "href": urls.pact(
                            base, p.provider_name, p.consumer_name, p.consumer_version_number
                        )
                    },
                ]
            },
            "createdAt": format_time(p.created_at),
        }
        for p in pacts
    ]
    titles = [f"Latest pact between {p.consumer_name} and {p.provider_name}" for p in pacts]
    return Reply(
        200,
        {
            "pacts": items,
            "_links": {
                "self": {"href": f"{base}/pacts/latest"},
                "pb:pacts": [
                    {"href": latest_url(p), "title": t} for p, t in zip(pacts, titles, strict=True)
                ],
                "pacts": [
                    {
                        "href": latest_url(p),
                        "title": t,
                        "name": "DEPRECATED - please use the pb:pacts relation",
                    }
                    for p, t in zip(pacts, titles, strict=True)
                ],
                "curies": [
                    {"name": "pb", "href": f"{base}/doc/{{rel}}?context=pacts", "templated": True}
                ],
            },
        },
    )


def provider_pacts(call: Call) -> Reply:
    """The pacts of a provider (``ProviderPactsDecorator``): all, by consumer tag or branch,
    or the latest of each consumer (``.../latest``)."""
    provider_name = call.params["provider"]
    tag, branch = call.params.get("tag"), call.params.get("branch")
    path = call.path.rstrip("/")
    latest = path.endswith("/latest") or "/latest/" in path
    by_branch = "/branch" in path
    with call.db.read() as conn:
        provider = store.find_pacticipant(conn, provider_name)
        if provider is None:
            raise HttpError.not_found(f"No provider with name '{provider_name}' found")
        pacts = provider_pact_list(
            conn,
            provider["id"],
            tag=tag,
            branch=branch,
            main_branch=by_branch and branch is None,
            latest=latest,
        )
    base = call.base_url
    title = (
        "Latest pact versions" if latest else "All pact versions"
    ) + f" for the provider {provider_name}"
    if tag:
        title += f" with consumer version tag '{tag}'"
    if branch:
        title += f" with consumer version branch '{branch}'"
    provider_url = urls.pacticipant(base, provider_name)
    pact_links = [
        (urls.pact(base, provider_name, p.consumer_name, p.consumer_version_number), p)
        for p in pacts
    ]
    return Reply(
        200,
        {
            "_links": {
                "self": {"href": call.url, "title": title},
                "pb:provider": {"href": provider_url, "name": provider_name},
                "pb:pacts": [
                    {"href": href, "title": p.name, "name": p.consumer_name}
                    for href, p in pact_links
                ],
                "provider": {
                    "href": provider_url,
                    "title": provider_name,
                    "name": "DEPRECATED - please use the pb:provider relation",
                },
                "pacts": [
                    {
                        "href": href,
                        "title": f"DEPRECATED - please use the pb:pacts relation. {p.name}",
                        "name": p.consumer_name,
                    }
                    for href, p in pact_links
                ],
            }
        },
    )


# --------------------------------------------------------------------------- verifications


def _verification_errors(body: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if "success" not in body:
        errors["success"] = ["is missing"]
    elif not isinstance(body["success"], bool):
        errors["success"] = ["must be boolean"]
    version = body.get("providerApplicationVersion")
    if "providerApplicationVersion" not in body:
        errors["providerApplicationVersion"] = ["is missing"]
    elif not isinstance(version, str):
        errors["providerApplicationVersion"] = ["must be a string"]
    elif not version.strip():
        errors["providerApplicationVersion"] = [
            "must be filled" if not version else "cannot be blank"
        ]
    build_url = body.get("buildUrl")
    if build_url is not None and (
        not isinstance(build_url, str) or any(c.isspace() for c in build_url)
    ):
        errors["buildUrl"] = ["is not a valid URL eg. http://example.org"]
    return errors


def post_verification(call: Call) -> Reply:
    consumer, provider = _names(call)
    metadata = decode_metadata(call.params.get("metadata"))
    if not call.content_type_json():
        return Reply(415, None)
    body = call.json_object()
    errors = _verification_errors(body)
    if errors:
        raise HttpError.validation(errors)
    with call.db.write() as conn:
        numbers = _metadata_versions(conn, consumer, metadata)
        pact = _require(
            find_pact(
                conn,
                consumer,
                provider,
                sha=call.params["sha"],
                version_number=numbers[-1] if numbers else None,
            )
        )
        pending = metadata.get("p")
        row = create_verification(
            conn,
            pact,
            body,
            wip=metadata.get("w") == "true",
            pending=None if pending is None else pending == "true",
            selectors=metadata.get("s"),
        )
    result = verification_json(call.base_url, pact, row)
    return Reply(201, result, {"Location": result["_links"]["self"]["href"]})


def get_verification(call: Call) -> Reply:
    consumer, provider = _names(call)
    number = call.params.get("number", "latest")
    with call.db.read() as conn:
        pact = _require(find_pact(conn, consumer, provider, sha=call.params["sha"]))
        if number != "latest" and not number.isdigit():
            raise HttpError.not_found()
        row = find_verification(
            conn, pact.pact_version_id, None if number == "latest" else int(number)
        )
        if row is None:
            raise HttpError.not_found()
    return Reply(200, verification_json(call.base_url, pact, row))


PAIR = "/pacts/provider/{provider}/consumer/{consumer}"
SHA = PAIR + "/pact-version/{sha}"
ROUTES = [
    Route("/contracts/publish", {"POST": publish_contracts}),
    Route("/pacts/latest", {"GET": latest_pacts}),
    Route("/pacts/provider/{provider}", {"GET": provider_pacts}),
    Route("/pacts/provider/{provider}/latest", {"GET": provider_pacts}),
    Route("/pacts/provider/{provider}/latest/{tag}", {"GET": provider_pacts}),
    Route("/pacts/provider/{provider}/tag/{tag}", {"GET": provider_pacts}),
    Route("/pacts/provider/{provider}/branch", {"GET": provider_pacts}),
    Route("/pacts/provider/{provider}/branch/latest", {"GET": provider_pacts}),
    Route("/pacts/provider/{provider}/branch/{branch}", {"GET": provider_pacts}),
    Route("/pacts/provider/{provider}/branch/{branch}/latest", {"GET": provider_pacts}),
    Route(
        PAIR + "/version/{version}",
        {"GET": get_pact, "PUT": put_pact, "PATCH": put_pact, "DELETE": delete_pact},
    ),
    Route(
        "/pact/provider/{provider}/consumer/{consumer}/version/{version}",
        {"GET": get_pact, "PUT": put_pact},
    ),
    Route(PAIR + "/latest", {"GET": get_latest_pact}),
    Route(PAIR + "/latest-untagged", {"GET": get_latest_pact}),
    Route(PAIR + "/latest/{tag}", {"GET": get_latest_pact}),
    Route(PAIR + "/branch/{branch}/latest", {"GET": get_latest_pact}),
    Route(SHA, {"GET": get_pact_version}),
    Route(SHA + "/metadata/{metadata}", {"GET": get_pact_version}),
    Route(SHA + "/verification-results", {"POST": post_verification}),
    Route(SHA + "/metadata/{metadata}/verification-results", {"POST": post_verification}),
    Route(SHA + "/verification-results/{number}", {"GET": get_verification}),
    Route(SHA + "/metadata/{metadata}/verification-results/{number}", {"GET": get_verification}),
]
