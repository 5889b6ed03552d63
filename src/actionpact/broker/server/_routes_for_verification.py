"""``/pacts/provider/{provider}/for-verification`` (GET, deprecated, and POST)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from actionpact.broker.server import _pacticipants as store
from actionpact.broker.server._deployments import environment_by_name
from actionpact.broker.server._for_verification import (
    ForVerificationQuery,
    VerifiablePact,
    find_pacts_for_verification,
)
from actionpact.broker.server._fv_messages import notices, short_description
from actionpact.broker.server._fv_selectors import parse_selectors, selector_errors
from actionpact.broker.server._http import Call, HttpError, Reply, encode_metadata
from actionpact.broker.server._router import Route
from actionpact.broker.server._views import urls

__all__ = ["ROUTES"]


def _parse_query(call: Call) -> tuple[ForVerificationQuery, bool]:
    deprecated = call.method == "GET"
    if deprecated:
        raw: dict[str, Any] = call.nested_query()
        branch = raw.get("provider_version_branch")
        tags = raw.get("provider_version_tags") or []
        selectors_raw = raw.get("consumer_version_selectors") or []
        pending_raw = raw.get("include_pending_status", True)
        since = raw.get("include_wip_pacts_since")
    else:
        if not call.content_type_json():
            raise HttpError(415, None)
        raw = call.json_object()
        branch = raw.get("providerVersionBranch")
        tags = raw.get("providerVersionTags") or []
        selectors_raw = raw.get("consumerVersionSelectors") or []
        pending_raw = raw.get("includePendingStatus", True)
        since = raw.get("includeWipPactsSince")
    errors = _query_errors(
        call, branch=branch, tags=tags, selectors=selectors_raw, since=since, pending=pending_raw
    )
    if errors:
        raise HttpError.validation(errors)
    wip_since = None
    if since:
        parsed = datetime.fromisoformat(str(since))
        wip_since = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    query = ForVerificationQuery(
        selectors=tuple(
            parse_selectors(
                [s for s in selectors_raw if isinstance(s, dict)],
                branch if isinstance(branch, str) else None,
            )
        ),
        provider_version_branch=branch if isinstance(branch, str) and branch else None,
        provider_version_tags=tuple(t for t in tags if isinstance(t, str)),
        include_pending_status=pending_raw is True or pending_raw == "true",
        include_wip_pacts_since=wip_since,
    )
    return query, deprecated


def _query_errors(
    call: Call,
    *,
    branch: Any,
    tags: Any,
    selectors: Any,
    since: Any,
    pending: Any,
) -> dict[str, list[str]]:
    keys = {
        "branch": "providerVersionBranch",
        "tags": "providerVersionTags",
        "selectors": "consumerVersionSelectors",
        "pending": "includePendingStatus",
        "since": "includeWipPactsSince",
    }
    if call.method == "GET":
        keys = {k: "_".join(w.lower() for w in _split_camel(v)) for k, v in keys.items()}
    errors: dict[str, list[str]] = {}
    if branch is not None and not isinstance(branch, str):
        errors[keys["branch"]] = ["must be a string"]
    elif isinstance(branch, str) and branch and not branch.strip():
        errors[keys["branch"]] = ["cannot be blank"]
    elif isinstance(branch, str) and not branch.strip() and not tags and (since or pending is True):
        errors[keys["branch"]] = [
            "when pending or WIP pacts are enabled and there are no tags provided, the provider "
            "version branch must not be an empty string, as it is used in the calculations for "
            "WIP/pending. A value must be provided (recommended), or it must not be set at all."
        ]
    if not isinstance(tags, list):
        errors[keys["tags"]] = ["must be an array"]
    if pending not in (True, False, "true", "false"):
        errors[keys["pending"]] = ["must be one of: true, false"]
    if since:
        try:
            datetime.fromisoformat(str(since))
        except ValueError:
            errors[keys["since"]] = ["must be a date"]
    if not isinstance(selectors, list):
        errors[keys["selectors"]] = ["must be an array"]
        return errors
    with call.db.read() as conn:

        def exists(name: str) -> bool:
            return environment_by_name(conn, name) is not None

        for index, item in enumerate(selectors):
            selector = item
            if call.method == "GET" and isinstance(item, dict):
                # the query string form: snake_case keys, "true"/"false" strings
                selector = {
                    ("fallbackTag" if k == "fallback_tag" else k): (
                        True if v == "true" else False if v == "false" else v
                    )
                    for k, v in item.items()
                }
            messages = selector_errors(selector, branch, exists)
            errors.setdefault(keys["selectors"], []).extend(
                f"{m} (at index {index})" for m in messages
            )
    return {k: v for k, v in errors.items() if v}


def _split_camel(name: str) -> list[str]:
    words, current = [], ""
    for char in name:
        if char.isupper() and current:
            words.append(current)
            current = char
        else:
            current += char
    return [*words, current]


def _verifiable_json(
    call: Call, item: VerifiablePact, query: ForVerificationQuery, deprecated: bool
) -> dict[str, Any]:
    pact = item.pact
    version_url = urls.pact_version(call.base_url, pact.provider_name, pact.consumer_name, pact.sha)
    if item.wip:
        metadata: dict[str, Any] = {"w": True}
        notice_url = f"{version_url}/metadata/{encode_metadata({'wip': True})}"
    else:
        metadata = {"s": [s.metadata() for s in item.selectors]}
        if item.pending is not None:
            metadata["p"] = item.pending
        notice_url = version_url
    properties: dict[str, Any] = {}
    if query.include_pending_status:
        properties["pending"] = item.pending
    if item.wip:
        properties["wip"] = True
    properties["notices"] = notices(
        item, notice_url, include_pending_status=query.include_pending_status, deprecated=deprecated
    )
    return {
        "shortDescription": short_description(item),
        "verificationProperties": properties,
        "_links": {
            "self": {
                "href": f"{version_url}/metadata/{encode_metadata(metadata)}",
                "name": pact.name,
            }
        },
    }


def pacts_for_verification(call: Call) -> Reply:
    query, deprecated = _parse_query(call)
    with call.db.read() as conn:
        provider = store.find_pacticipant(conn, call.params["provider"])
        if provider is None:
            raise HttpError.not_found(f"No provider with name '{call.params['provider']}' found")
        pacts = find_pacts_for_verification(conn, provider["id"], query)
    body = {
        "_embedded": {"pacts": [_verifiable_json(call, p, query, deprecated) for p in pacts]},
        "_links": {"self": {"href": call.url, "title": "Pacts to be verified"}},
    }
    return Reply(200, body)


ROUTES = [
    Route(
        "/pacts/provider/{provider}/for-verification",
        {"GET": pacts_for_verification, "POST": pacts_for_verification},
        read_only_post=True,
    ),
]
