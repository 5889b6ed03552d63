"""Pact content as the broker sees it: the SHA of what affects verification, interaction ids.

Two publications with the same interactions (in any order, with any metadata) get the same
SHA, hence the same pact version, hence share verification results: that is how the broker
lets a new consumer version inherit an earlier verification.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from typing import Any

__all__ = [
    "add_interaction_ids",
    "compact_json",
    "formatted_diff",
    "merge_pacts",
    "pact_version_sha",
    "parse_json_object",
]


def compact_json(value: Any) -> str:
    """JSON the way Ruby's ``to_json`` writes it: no spaces, UTF-8, ``/`` not escaped."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _order_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _order_keys(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_order_keys(item) for item in value]
    return value


def _spec_version(pact: dict[str, Any]) -> Any:
    metadata = pact.get("metadata")
    if not isinstance(metadata, dict):
        return None
    for key in ("pactSpecification", "pact-specification"):
        section = metadata.get(key)
        if isinstance(section, dict) and section.get("version") is not None:
            return section["version"]
    return metadata.get("pactSpecificationVersion")


def _verifiable_content(pact: Any) -> Any:
    if not isinstance(pact, dict):
        return pact
    interactions = pact.get("interactions") if isinstance(pact.get("interactions"), list) else None
    messages = pact.get("messages") if isinstance(pact.get("messages"), list) else None
    # Ruby truthiness: an empty array still selects its key.
    key = "interactions" if pact.get("interactions") is not None else None
    key = key or ("messages" if pact.get("messages") is not None else None)
    sorted_pact = _order_keys(pact)
    if key is not None and isinstance(pact[key], list):
        sorted_pact[key] = sorted(_order_keys(pact[key]), key=compact_json)
    if interactions is None and messages is None:
        return sorted_pact
    content: dict[str, Any] = {}
    if interactions is not None:
        content["interactions"] = sorted_pact["interactions"]
    if messages is not None:
        content["messages"] = sorted_pact["messages"]
    version = _spec_version(pact)
    if version is not None:
        content["pact_specification_version"] = version
    return content


def pact_version_sha(pact: Any) -> str:
    """SHA-1 of the content that affects verification results (interactions, spec version)."""
    text = compact_json(_verifiable_content(pact))
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def _with_ids(items: list[Any]) -> list[Any]:
    result: list[Any] = []
    for item in items:
        if isinstance(item, dict):
            without = {k: v for k, v in item.items() if k != "_id"}
            digest = hashlib.sha1(
                compact_json(_order_keys(without)).encode("utf-8"), usedforsecurity=False
            ).hexdigest()
            result.append({"_id": digest, **without})
        else:
            result.append(item)
    return result


def add_interaction_ids(pact: dict[str, Any]) -> dict[str, Any]:
    """Give each interaction and message an ``_id`` (SHA-1 of its content), as stored."""
    stored = dict(pact)
    for key in ("interactions", "messages"):
        if isinstance(stored.get(key), list):
            stored[key] = _with_ids(stored[key])
    return stored


def _provider_states(interaction: dict[str, Any]) -> Any:
    for key in ("provider_state", "providerState", "providerStates"):
        if interaction.get(key) is not None:
            return interaction[key]
    return None


def merge_pacts(original: dict[str, Any], additional: dict[str, Any]) -> dict[str, Any]:
    """Merge ``additional``'s interactions into ``original`` (same description and state
    replace, others are appended), as ``onConflict: merge`` does."""
    merged = dict(original)
    interactions = list(original.get("interactions") or [])
    for new in additional.get("interactions") or []:
        for index, old in enumerate(interactions):
            if (
                isinstance(old, dict)
                and isinstance(new, dict)
                and old.get("description") == new.get("description")
                and _provider_states(old) == _provider_states(new)
            ):
                interactions[index] = new
                break
        else:
            interactions.append(new)
    merged["interactions"] = interactions
    return merged


def formatted_diff(new: dict[str, Any], old: dict[str, Any]) -> str:
    """A unified diff of two pacts' verifiable content, without interaction ids."""

    def lines(pact: dict[str, Any]) -> list[str]:
        content = dict(pact)
        for key in ("interactions", "messages"):
            if isinstance(content.get(key), list):
                content[key] = [
                    {k: v for k, v in item.items() if k != "_id"}
                    if isinstance(item, dict)
                    else item
                    for item in content[key]
                ]
        return json.dumps(_verifiable_content(content), indent=2, ensure_ascii=False).splitlines()

    diff = difflib.unified_diff(lines(old), lines(new), "existing", "new", lineterm="")
    return "\n".join(diff)


def parse_json_object(text: str) -> dict[str, Any] | None:
    """Parse text holding a JSON object; ``None`` if it is not one."""
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None
