"""Joining pacts that pact itself wrote, at the text level, into one.

Large pacts are written in parts (pact's writer needs memory in proportion to what it
writes), and large runs are split between processes, so a pair's pact arrives in pieces.
Joining them must give exactly the bytes pact would write for the whole: every interaction
keeps the text pact wrote, interactions are ordered by description as pact orders them, and
the file is streamed to disk (temp file, fsync, rename) rather than built in memory.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from typing import TYPE_CHECKING, Any

from actionpact.core.errors import ContractError

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence
    from pathlib import Path

__all__ = ["PactJoiner", "join_pacts", "with_metadata"]


_OPEN = '\n  "interactions": [\n'
_EMPTY = '\n  "interactions": []'
_BETWEEN = "\n    },\n    {\n"


def _split_interactions(text: str) -> tuple[str, list[str], str]:
    """Split pact's pretty JSON into (head, interaction texts, tail) without re-encoding.

    Pact writes two-space indented JSON where no string holds a raw line break, so a line
    ``    },`` followed by ``    {`` (four spaces) only ever separates two interactions.
    """
    start = text.find(_OPEN)
    if start < 0:
        empty = text.find(_EMPTY)
        if empty < 0:
            raise ContractError("pact wrote a file without interactions")
        return text[: empty + 1], [], text[empty + len(_EMPTY) :]
    body_start = start + len(_OPEN)
    end = text.find("\n  ]", body_start)
    inner = text[body_start + len("    {\n") : end - len("\n    }")]
    items = ["    {\n" + chunk + "\n    }" for chunk in inner.split(_BETWEEN)]
    return text[: start + 1], items, text[end + len("\n  ]") :]


def _description(item: str) -> str:
    match = re.search(r'^      "description": (".*"),?$', item, re.MULTILINE)
    if match is None:  # pragma: no cover - pact always writes one
        raise ContractError("pact wrote an interaction without a description")
    return str(json.loads(match.group(1)))


class PactJoiner:
    """Joins pacts of one consumer-provider pair, each written by pact, into one.

    Every interaction keeps the exact text pact wrote, and they are ordered by description
    as pact orders them, so joining parts gives the bytes pact writes for the whole. Parts
    are not kept once added: only their interactions are.
    """

    def __init__(self) -> None:
        self._head = ""
        self._tail = ""
        self._items: dict[str, str] = {}

    def add(self, text: str) -> None:
        """Add the interactions of one pact text.

        Raises:
            ContractError: an interaction's description is already there, or not a pact.
        """
        head, items, tail = _split_interactions(text)
        if not self._head:
            self._head, self._tail = head, tail
        for item in items:
            description = _description(item)
            if description in self._items:
                raise ContractError(f"two interactions are both described as {description!r}")
            self._items[description] = item

    def __len__(self) -> int:
        return len(self._items)

    def pieces(self, extra_metadata: Mapping[str, Any] | None = None) -> Iterator[str]:
        """The joined pact, piece by piece (to write it without building one big string)."""
        if not self._head:
            raise ContractError("no pact to join")
        yield self._head
        if not self._items:
            yield _EMPTY[1:]
        else:
            yield _OPEN[1:]
            for number, description in enumerate(sorted(self._items)):
                if number:
                    yield ",\n"
                yield self._items[description]
            yield "\n  ]"
        yield with_metadata(self._tail, extra_metadata) if extra_metadata else self._tail

    def text(self, extra_metadata: Mapping[str, Any] | None = None) -> str:
        """The joined pact as one string."""
        return "".join(self.pieces(extra_metadata))

    def write(self, target: Path, extra_metadata: Mapping[str, Any] | None = None) -> Path:
        """Write the joined pact to ``target`` atomically (temp file, fsync, rename)."""
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, scratch = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
        )
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
                for piece in self.pieces(extra_metadata):
                    stream.write(piece)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(scratch, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(scratch)
            raise
        return target


def join_pacts(texts: Sequence[str], *, extra_metadata: Mapping[str, Any] | None = None) -> str:
    """Join pacts of one consumer-provider pair (see :class:`PactJoiner`) into one text."""
    joiner = PactJoiner()
    for text in texts:
        joiner.add(text)
    return joiner.text(extra_metadata)


def with_metadata(tail: str, extra: Mapping[str, Any]) -> str:
    """Re-render the metadata block of ``tail`` with ``actionpact`` added, pact-style."""
    match = re.search(r'\n  "metadata": (\{\n.*?\n  \})', tail, re.DOTALL)
    if match is None:  # pragma: no cover - pact always writes metadata
        raise ContractError("pact wrote a file without metadata")
    metadata = json.loads(match.group(1))
    metadata["actionpact"] = extra
    rendered = json.dumps(metadata, indent=2, sort_keys=True, ensure_ascii=False)
    rendered = rendered.replace("\n", "\n  ")
    return tail[: match.start(1)] + rendered + tail[match.end(1) :]
