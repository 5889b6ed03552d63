"""Pact files to publish: read, checked, grouped by consumer and merged per integration.

Mirrors the official client (PBC ``publish_pacts.rb``, ``merge_pacts.rb``): a directory means its
``*.json`` files; pacts are published with one request per consumer; several files for the same
consumer/provider pair are merged into one pact, and two interactions with the same description
and provider state but different content are an error rather than a silent overwrite.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from actionpact.core.errors import PactFileError

if TYPE_CHECKING:
    from actionpact.broker._hal import Notice

__all__ = [
    "Contract",
    "PactFile",
    "PublishResult",
    "group_contracts",
    "read_pact_file",
    "read_pact_files",
]


@dataclass(frozen=True, slots=True, eq=False)
class PactFile:
    """One pact file read from disk.

    Attributes:
        path: where it was read. consumer, provider: the pacticipant names it names.
        content: the parsed pact. text: the file's text, sent as is when nothing is merged.
    """

    path: Path
    consumer: str
    provider: str
    content: Mapping[str, Any] = field(repr=False)
    text: str = field(repr=False)


@dataclass(frozen=True, slots=True, eq=False)
class Contract:
    """One pact to publish for a consumer/provider pair, maybe merged from several files.

    Attributes:
        consumer, provider: the pacticipant names. paths: the files it came from.
        text: the pact JSON to send.
    """

    consumer: str
    provider: str
    paths: tuple[Path, ...]
    text: str = field(repr=False)

    def to_json(self, on_conflict: str | None = None) -> dict[str, str]:
        """The ``contracts[]`` entry of ``POST /contracts/publish`` (content in base64)."""
        entry = {
            "consumerName": self.consumer,
            "providerName": self.provider,
            "specification": "pact",
            "contentType": "application/json",
            "content": base64.b64encode(self.text.encode("utf-8")).decode("ascii"),
        }
        if on_conflict:
            entry["onConflict"] = on_conflict
        return entry


@dataclass(frozen=True, slots=True, eq=False)
class PublishResult:
    """What the broker said about publishing one consumer version.

    Attributes:
        consumer, version: the pacticipant version published.
        contracts: the pacts sent. notices: the broker's messages, in its order.
        body: the broker's answer as JSON (built from the steps taken with the legacy API).
        legacy: whether the pre-2.86 API (``PUT`` per pact) was used.
    """

    consumer: str
    version: str
    contracts: tuple[Contract, ...]
    notices: tuple[Notice, ...]
    body: Any = field(repr=False)
    legacy: bool = False


def _pacticipant_name(pact: Mapping[str, Any], role: str, path: Path) -> str:
    party = pact.get(role)
    if not isinstance(party, Mapping):
        raise PactFileError(f"the pact has no {role} object", file=path, path=role)
    name = party.get("name")
    if not isinstance(name, str) or not name.strip():
        raise PactFileError(f"the pact has no {role} name", file=path, path=f"{role}.name")
    return name


def read_pact_file(path: Path) -> PactFile:
    """Read and check one pact file.

    Raises:
        PactFileError: unreadable, not JSON, or without ``consumer.name``/``provider.name``.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise PactFileError(f"cannot read: {reason}", file=path) from None
    try:
        pact = json.loads(text)
    except json.JSONDecodeError as error:
        raise PactFileError(
            f"not valid JSON ({error.msg} at line {error.lineno}, column {error.colno})", file=path
        ) from None
    if not isinstance(pact, Mapping):
        raise PactFileError("a pact must be a JSON object", file=path)
    consumer = _pacticipant_name(pact, "consumer", path)
    provider = _pacticipant_name(pact, "provider", path)
    return PactFile(path=path, consumer=consumer, provider=provider, content=pact, text=text)


def read_pact_files(paths: Iterable[Path]) -> tuple[PactFile, ...]:
    """Read the pact files named, a directory standing for its ``*.json`` files.

    Raises:
        PactFileError: a path does not exist, a directory has no pact, or a file is invalid.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.glob("*.json") if p.is_file())
            if not found:
                raise PactFileError("no pact files (*.json) in this directory", file=path)
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise PactFileError("no such file or directory", file=path)
    if not files:
        raise PactFileError("no pact files given", file=Path("."))
    unique = list(dict.fromkeys(p.resolve() for p in files))
    by_resolved = {p.resolve(): p for p in files}
    return tuple(read_pact_file(by_resolved[p]) for p in unique)


def _state(interaction: Mapping[str, Any]) -> object:
    return interaction.get("providerStates", interaction.get("providerState"))


def _merge(base: PactFile, other: PactFile, merged: dict[str, Any]) -> None:
    for key in ("interactions", "messages"):
        additions = other.content.get(key)
        if not isinstance(additions, list):
            continue
        target = merged.setdefault(key, [])
        for item in additions:
            same = next(
                (
                    existing
                    for existing in target
                    if isinstance(existing, Mapping)
                    and isinstance(item, Mapping)
                    and existing.get("description") == item.get("description")
                    and _state(existing) == _state(item)
                ),
                None,
            )
            if same is None:
                target.append(item)
            elif same != item:
                raise PactFileError(
                    f"interaction {item.get('description')!r} is also in an earlier pact for "
                    f"{base.consumer}/{base.provider} (first: {base.path}) with the same provider "
                    "state but a different request or response; use a different description "
                    "or provider state, or remove random data",
                    file=other.path,
                    path=key,
                )


def group_contracts(files: Sequence[PactFile]) -> dict[str, tuple[Contract, ...]]:
    """The contracts to publish, by consumer name, merging files of the same integration.

    Raises:
        PactFileError: two files hold different interactions under the same description
            and provider state.
    """
    pairs: dict[tuple[str, str], list[PactFile]] = {}
    for pact in files:
        pairs.setdefault((pact.consumer, pact.provider), []).append(pact)
    grouped: dict[str, list[Contract]] = {}
    for (consumer, provider), members in pairs.items():
        if len(members) == 1:
            text = members[0].text
        else:
            merged = json.loads(members[0].text)
            for other in members[1:]:
                _merge(members[0], other, merged)
            text = json.dumps(merged, ensure_ascii=False, separators=(",", ":"))
        contract = Contract(consumer, provider, tuple(m.path for m in members), text)
        grouped.setdefault(consumer, []).append(contract)
    return {consumer: tuple(contracts) for consumer, contracts in grouped.items()}
