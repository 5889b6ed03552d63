"""``POST /contracts/publish``: validation, conflicts (409) and publication with notices.

The notices are the broker's, in its order: the version line, then for each pact its
publication line, the URL, the events detected and the next steps.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from actionpact.broker.server import _pacticipants as store
from actionpact.broker.server._content import (
    formatted_diff,
    merge_pacts,
    pact_version_sha,
    parse_json_object,
)
from actionpact.broker.server._http import Call, HttpError, Reply
from actionpact.broker.server._pacts import find_pact, publish_pact
from actionpact.broker.server._views import embedded_version, urls

if TYPE_CHECKING:
    import sqlite3

__all__ = ["duplicate_messages", "publish_contracts"]

MODIFICATION_NOT_ALLOWED = (
    "Cannot change the content of the pact for {consumer} version {version} and provider "
    "{provider}, as race conditions will cause unreliable results for can-i-deploy. Each pact "
    "must be published with a unique consumer version number. Some Pact libraries generate "
    "random data when a concrete value for a type matcher is not specified, and this can cause "
    "the contract to mutate - ensure you have given example values for all type matchers. For "
    "more information see https://docs.pact.io/go/versioning"
)
DUPLICATE_PACTICIPANT = (
    'This is the first time a pact has been published for "{new}".\n'
    'The name "{new}" is very similar to the following existing pacticipants:\n{existing}\n'
    "If you meant to specify one of the above names, please correct the pact configuration, "
    "and re-publish the pact.\n"
    'If the pact is intended to be for a new consumer or provider, please manually create "{new}"'
    " using the following command from the Pact Broker CLI, and then re-publish the pact:\n\n"
    'pact-broker create-or-update-pacticipant --name "{new}" --broker-base-url {base}\n\n'
    "For information on the Pact Broker CLI see https://docs.pact.io/go/pbc-cli\n"
    "To disable this check, set `check_for_potential_duplicate_pacticipant_names` to false in "
    "the configuration.\n"
)


@dataclass(frozen=True, slots=True)
class _Contract:
    consumer: str
    provider: str
    content: dict[str, Any]
    sha: str
    merge: bool


def _string_errors(
    body: dict[str, Any], key: str, *, required: bool, nullable: bool = False
) -> list[str]:
    if key not in body:
        return ["is missing"] if required else []
    value = body[key]
    if value is None:
        return [] if nullable else ["must be filled"]
    if not isinstance(value, str):
        return ["must be a string"]
    if not value and not nullable:
        return ["must be filled"]
    errors = []
    if value and not value.strip():
        errors.append("cannot be blank")
    if "\n" in value:
        errors.append("cannot contain multiple lines")
    return errors


def _decode(contract: dict[str, Any]) -> tuple[str | None, dict[str, Any] | None]:
    content = contract.get("content")
    if not isinstance(content, str):
        return None, None
    try:
        raw = base64.b64decode(content, validate=True)
    except (binascii.Error, ValueError):
        return None, None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None, None
    return text, parse_json_object(text) if "json" in str(contract.get("contentType")) else None


def _contract_errors(contract: Any, pacticipant: Any) -> list[str]:
    if not isinstance(contract, dict):
        return ["must be a hash"]
    errors: list[str] = []
    for key in ("consumerName", "providerName", "content"):
        errors += [f"{key} {m}" for m in _string_errors(contract, key, required=True)]
    for key, allowed in (("contentType", ("application/json",)), ("specification", ("pact",))):
        if key not in contract:
            errors.append(f"{key} is missing")
        elif contract[key] not in allowed:
            errors.append(f"{key} must be one of: {', '.join(allowed)}")
    if "onConflict" in contract and contract["onConflict"] not in ("overwrite", "merge"):
        errors.append("onConflict must be one of: overwrite, merge")
    if errors:
        return errors
    text, parsed = _decode(contract)
    if text is None:
        errors.append("is not valid Base64")
    if parsed is None:
        if text is not None and parse_json_object(text) is None and text.strip().startswith("["):
            errors.append("parsed content was expected to be a Hash but was a Array")
        else:
            errors.append(f"content could not be parsed as {contract['contentType']}")
        return errors
    consumer_in_content = (
        (parsed.get("consumer") or {}).get("name")
        if isinstance(parsed.get("consumer"), dict)
        else None
    )
    if consumer_in_content and consumer_in_content != contract["consumerName"]:
        errors.append(
            f"consumer name in contract content ('{consumer_in_content}') must match "
            f"consumerName in contract params ('{contract['consumerName']}')"
        )
    provider_in_content = (
        (parsed.get("provider") or {}).get("name")
        if isinstance(parsed.get("provider"), dict)
        else None
    )
    if provider_in_content and provider_in_content != contract["providerName"]:
        errors.append(
            f"provider name in contract content ('{provider_in_content}') must match "
            f"providerName in contract params ('{contract['providerName']}')"
        )
    if isinstance(pacticipant, str) and contract["consumerName"] != pacticipant:
        errors.append(
            f"consumerName ('{contract['consumerName']}') must match pacticipantName "
            f"('{pacticipant}')"
        )
    return errors


def validate(body: dict[str, Any]) -> dict[str, list[str]]:
    """The broker's ``PublishContractsSchema`` messages, ``{field: [messages]}``."""
    errors: dict[str, list[str]] = {}

    def add(key: str, messages: list[str]) -> None:
        if messages:
            errors.setdefault(key, []).extend(messages)

    add("pacticipantName", _string_errors(body, "pacticipantName", required=True))
    add("pacticipantVersionNumber", _string_errors(body, "pacticipantVersionNumber", required=True))
    add("branch", _string_errors(body, "branch", required=False, nullable=True))
    add("buildUrl", _string_errors(body, "buildUrl", required=False, nullable=True))
    tags = body.get("tags")
    if tags is not None:
        if not isinstance(tags, list):
            add("tags", ["must be an array"])
        else:
            for index, tag in enumerate(tags):
                if not isinstance(tag, str) or not tag.strip():
                    add("tags", [f"cannot be blank (at index {index})"])
    if "contracts" not in body:
        add("contracts", ["is missing"])
    elif not isinstance(body["contracts"], list):
        add("contracts", ["must be an array"])
    else:
        for index, contract in enumerate(body["contracts"]):
            add(
                "contracts",
                [
                    f"{message} (at index {index})"
                    for message in _contract_errors(contract, body.get("pacticipantName"))
                ],
            )
    return errors


def duplicate_messages(conn: sqlite3.Connection, names: list[str], base: str) -> list[str]:
    """``check_for_potential_duplicate_pacticipant_names``: new names resembling old ones."""
    messages = []
    for name in names:
        similar = store.potential_duplicate_names(conn, name)
        if similar:
            existing = "\n".join(f"* {s}" for s in similar)
            messages.append(DUPLICATE_PACTICIPANT.format(new=name, existing=existing, base=base))
    return messages


def _version_notice(body: dict[str, Any], existed: bool) -> list[dict[str, str]]:
    action = "Updated" if existed else "Created"
    text = f"{action} {body['pacticipantName']} version {body['pacticipantVersionNumber']}"
    tags = body.get("tags") or []
    if body.get("branch"):
        text += f" with branch {body['branch']}"
        if tags:
            text += f" and tags {', '.join(tags)}"
    elif tags:
        text += f" with tags {', '.join(tags)}"
    notices = [{"type": "debug", "text": text}]
    if body.get("branch") is None:
        notices.append(
            {
                "type": "prompt",
                "text": "  Next steps:\n    Configure the version "
                "branch to be the value of your repository branch.",
            }
        )
    return notices


def publish_contracts(call: Call) -> Reply:
    """Handle ``POST /contracts/publish``."""
    body = call.json_object() if call.body.strip() else {}
    errors = validate(body)
    if errors:
        raise HttpError.validation(errors)
    if not call.content_type_json():
        return Reply(415, None)
    contracts = []
    for item in body["contracts"]:
        _, parsed = _decode(item)
        assert parsed is not None
        contracts.append(
            _Contract(
                item["consumerName"],
                item["providerName"],
                parsed,
                pact_version_sha(parsed),
                item.get("onConflict") == "merge",
            )
        )
    name, number = body["pacticipantName"], body["pacticipantVersionNumber"]
    base = call.base_url
    with call.db.write() as conn:
        conflicts: list[dict[str, str]] = []
        for contract in contracts:
            existing = find_pact(conn, name, contract.provider, version_number=number)
            if existing is not None and existing.sha != contract.sha:
                conflicts.append(
                    {
                        "type": "error",
                        "text": MODIFICATION_NOT_ALLOWED.format(
                            consumer=contract.consumer, version=number, provider=contract.provider
                        ),
                    }
                )
                conflicts.append(
                    {
                        "type": "info",
                        "text": formatted_diff(contract.content, existing.content_dict()),
                    }
                )
        names: list[str] = []
        for contract in contracts:
            names += [n for n in (contract.consumer, contract.provider) if n not in names]
        conflicts += [{"type": "error", "text": m} for m in duplicate_messages(conn, names, base)]
        if conflicts:
            errors_list = [n["text"] for n in conflicts if n["type"] == "error"]
            return Reply(
                409,
                {"notices": conflicts, "errors": {"contracts": errors_list}},
                content_type="application/json;charset=utf-8",
            )
        pacticipant = store.find_or_create_pacticipant(conn, name)
        existed = store.find_version(conn, pacticipant["id"], number) is not None
        version, _ = store.find_or_create_version(conn, pacticipant["id"], number)
        if body.get("buildUrl") is not None:
            conn.execute(
                "UPDATE versions SET build_url = ? WHERE id = ?", (body["buildUrl"], version["id"])
            )
        if body.get("branch"):
            store.add_branch(conn, version, body["branch"])
        tags = [store.create_tag(conn, version, tag)[0] for tag in body.get("tags") or []]
        notices = _version_notice(body, existed)
        published = []
        for contract in contracts:
            provider = store.find_or_create_pacticipant(conn, contract.provider)
            consumer = store.find_or_create_pacticipant(conn, name)
            previous = find_pact(conn, name, contract.provider, version_number=number)
            content = contract.content
            sha = contract.sha
            if contract.merge and previous is not None:
                content = merge_pacts(previous.content_dict(), content)
                sha = pact_version_sha(content)
            result = publish_pact(
                conn,
                consumer=consumer,
                provider=provider,
                version=version,
                sha=sha,
                content=content,
            )
            pact = result.pact
            params = f"{name} version {number} and provider {pact.provider_name}"
            if contract.merge and previous is not None:
                notices.append(
                    {
                        "type": "success",
                        "text": f"Pact content merged with existing content for {params}.",
                    }
                )
            elif previous is not None and previous.sha != pact.sha:
                notices.append(
                    {
                        "type": "warning",
                        "text": (
                            "Pact with changed content published over existing content for "
                            f"{params}. This is not recommended in normal circumstances and may "
                            "indicate that you have not configured your Pact pipeline correctly. "
                            "For more information see https://docs.pact.io/go/versioning"
                        ),
                    }
                )
            elif previous is not None:
                notices.append(
                    {
                        "type": "success",
                        "text": f"Pact successfully republished for "
                        f"{params} with no content changes.",
                    }
                )
            else:
                notices.append(
                    {"type": "success", "text": f"Pact successfully published for {params}."}
                )
            pact_url = urls.pact(base, pact.provider_name, pact.consumer_name, number)
            notices.append({"type": "debug", "text": f"  View the published pact at {pact_url}"})
            if result.events:
                notices.append(
                    {"type": "debug", "text": "  Events detected: " + ", ".join(result.events)}
                )
            steps = []
            verified = conn.execute(
                "SELECT 1 FROM verifications WHERE consumer_id = ? AND provider_id = ? LIMIT 1",
                (pact.consumer_id, pact.provider_id),
            ).fetchone()
            if verified is None:
                steps.append(
                    f"    * Add Pact verification tests to the {pact.provider_name} "
                    "build. See https://docs.pact.io/go/provider_verification"
                )
            steps.append(
                f"    * Configure separate {pact.provider_name} pact verification build "
                "and webhook to trigger it when the pact content changes. See "
                "https://docs.pact.io/go/webhooks"
            )
            notices += [{"type": "prompt", "text": "  Next steps:"}]
            notices += [{"type": "prompt", "text": step} for step in steps]
            published.append(pact)
    pacticipant_url = urls.pacticipant(base, name)
    response = {
        "logs": [
            {"level": n["type"], "message": n["text"], "deprecationWarning": "Replaced by notices"}
            for n in notices
        ],
        "notices": notices,
        "_embedded": {
            "pacticipant": {"name": name, "_links": {"self": {"href": pacticipant_url}}},
            "version": embedded_version(base, name, number),
        },
        "_links": {
            "pb:pacticipant": {"title": "Pacticipant", "name": name, "href": pacticipant_url},
            "pb:pacticipant-version": {
                "title": "Pacticipant version",
                "name": number,
                "href": urls.version(base, name, number),
            },
            "pb:pacticipant-version-tags": [
                {
                    "title": "Tag",
                    "name": tag["name"],
                    "href": urls.tag(base, name, number, tag["name"]),
                }
                for tag in tags
            ],
            "pb:contracts": [
                {
                    "title": "Pact",
                    "name": pact.name,
                    "href": urls.pact(base, pact.provider_name, pact.consumer_name, number),
                }
                for pact in published
            ],
        },
    }
    return Reply(200, response)
