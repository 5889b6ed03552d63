"""Which Data Action and example each interaction of a generated pact came from.

V4 pacts carry it per interaction (``comments.actionpact``); V3 has no comments, so it sits in
the pact's metadata (``metadata.actionpact.interactions[<description>]``). Verification and
drift reports read it back to name the action and the Architect outputs a mismatch breaks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["Origin", "interaction_origins"]


@dataclass(frozen=True, slots=True)
class Origin:
    """Where one interaction came from.

    Attributes:
        description: the interaction's description. definition: the action's name.
        content_hash: SHA-256 of the definition's canonical JSON. source: its file, relative
        to where ``generate`` ran. location: its JSON path inside the file, if any.
        example: the example's name. derived: whether actionpact derived the example.
    """

    description: str
    definition: str
    content_hash: str
    example: str
    source: str | None = None
    location: str | None = None
    derived: bool = False


def _origin(description: str, data: Any) -> Origin | None:
    if not isinstance(data, Mapping) or not isinstance(data.get("definition"), str):
        return None
    return Origin(
        description=description,
        definition=data["definition"],
        content_hash=str(data.get("contentHash", "")),
        example=str(data.get("example", "")),
        source=data.get("source") if isinstance(data.get("source"), str) else None,
        location=data.get("location") if isinstance(data.get("location"), str) else None,
        derived=bool(data.get("derived", False)),
    )


def interaction_origins(pact: Mapping[str, Any]) -> dict[str, Origin]:
    """description -> :class:`Origin` for every interaction actionpact generated in ``pact``."""
    found: dict[str, Origin] = {}
    interactions = pact.get("interactions")
    for interaction in interactions if isinstance(interactions, list) else []:
        if not isinstance(interaction, Mapping):
            continue
        description = interaction.get("description")
        comments = interaction.get("comments")
        if isinstance(description, str) and isinstance(comments, Mapping):
            origin = _origin(description, comments.get("actionpact"))
            if origin is not None:
                found[description] = origin
    metadata = pact.get("metadata")
    ours = metadata.get("actionpact") if isinstance(metadata, Mapping) else None
    listed = ours.get("interactions") if isinstance(ours, Mapping) else None
    if isinstance(listed, Mapping):
        for description, data in listed.items():
            origin = _origin(str(description), data)
            if origin is not None:
                found.setdefault(str(description), origin)
    return found
