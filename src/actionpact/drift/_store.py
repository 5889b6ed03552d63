"""The recordings folder: stable file names, a whole run swapped in at once, reading it back.

A run is written into a hidden folder beside the target and swapped in only when it is
complete, so an interrupted run (Ctrl-C, a killed CI job) leaves the previous recordings where
they were. The run it replaces is kept as ``<folder>.previous`` for ``actionpact drift``.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import hashlib
import logging
import os
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from actionpact.core import atomic_write_text
from actionpact.core.errors import InputFileError
from actionpact.drift._model import Recording, RunInfo, dump_json

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

__all__ = [
    "RUN_FILE",
    "RecordingSet",
    "RunWriter",
    "file_names",
    "load_recordings",
    "previous_dir",
    "slug",
]

logger = logging.getLogger("actionpact.drift")

RUN_FILE = "run.json"
_NEW = ".new-"
_OLD = ".old-"


def slug(text: str, *, limit: int = 60) -> str:
    """A file-name-safe, lower-case form of ``text`` (``CRM - Lookup`` -> ``crm-lookup``)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    cleaned = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return cleaned[:limit].rstrip("-") or "unnamed"


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def file_names(pairs: Sequence[tuple[str, str]]) -> list[str]:
    """One stable relative file name per ``(action, example)`` pair, in order.

    Names are ``<action slug>/<example slug>.json``. When two different names give the same
    slug, every member of the clash gets a short hash of its name, so a name does not depend
    on the order the pairs come in.

    Raises:
        ValueError: the same pair appears twice.
    """
    if len(set(pairs)) != len(pairs):
        raise ValueError("duplicate (action, example) pair")
    actions = _disambiguate(sorted({action for action, _ in pairs}))
    names: list[str] = []
    examples_of: dict[str, list[str]] = {}
    for action, example in pairs:
        examples_of.setdefault(action, []).append(example)
    example_slugs = {a: _disambiguate(sorted(set(e))) for a, e in examples_of.items()}
    for action, example in pairs:
        names.append(f"{actions[action]}/{example_slugs[action][example]}.json")
    return names


def _disambiguate(texts: Iterable[str]) -> dict[str, str]:
    by_slug: dict[str, list[str]] = {}
    for text in texts:
        by_slug.setdefault(slug(text), []).append(text)
    out: dict[str, str] = {}
    for base, members in by_slug.items():
        for text in members:
            out[text] = base if len(members) == 1 else f"{base}-{_short_hash(text)}"
    return out


def previous_dir(folder: Path) -> Path:
    """Where the run a new one replaces is kept: ``recordings`` -> ``recordings.previous``."""
    return folder.with_name(folder.name + ".previous")


# --------------------------------------------------------------------------- writing


class RunWriter:
    """Write one run into a hidden folder, then swap it in with :meth:`commit`.

    Use it as a context manager: leaving the block without committing (an exception, a
    ``KeyboardInterrupt``) deletes the new files and leaves the previous recordings untouched.

    Args:
        folder: the recordings folder (created on commit when missing).
        keep_previous: keep the replaced run as ``<folder>.previous``.
    """

    def __init__(self, folder: Path, *, keep_previous: bool = True) -> None:
        self.folder = Path(folder)
        self.keep_previous = keep_previous
        self.folder.parent.mkdir(parents=True, exist_ok=True)
        _clean_stale(self.folder)
        self.staging = Path(
            tempfile.mkdtemp(prefix=f".{self.folder.name}{_NEW}", dir=self.folder.parent)
        )
        self._committed = False

    def __enter__(self) -> RunWriter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if not self._committed:
            self.discard()

    def write(self, recording: Recording) -> Path:
        """Write one recording into the new run."""
        return atomic_write_text(self.staging / recording.name, dump_json(recording.to_json()))

    def discard(self) -> None:
        """Delete the new run; the previous recordings stay as they are."""
        shutil.rmtree(self.staging, ignore_errors=True)

    def commit(self, run: RunInfo) -> Path:
        """Write ``run.json`` and swap the new run in for the old one.

        Returns:
            The recordings folder.
        """
        atomic_write_text(self.staging / RUN_FILE, dump_json(run.to_json()))
        _fsync_dir(self.staging)
        if self.folder.exists():
            if not _exchange(self.staging, self.folder):
                # No atomic exchange here: two renames, each atomic, old run moved aside first.
                aside = self.staging.with_name(self.staging.name.replace(_NEW, _OLD))
                os.rename(self.folder, aside)
                os.rename(self.staging, self.folder)
                os.rename(aside, self.staging)
            old = self.staging  # after the exchange it holds the previous run
            if self.keep_previous:
                target = previous_dir(self.folder)
                if target.exists():
                    shutil.rmtree(target)
                os.rename(old, target)
            else:
                shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(self.staging, self.folder)
        _fsync_dir(self.folder.parent)
        self._committed = True
        return self.folder


def _clean_stale(folder: Path) -> None:
    """Remove what a killed run left beside ``folder``; restore a run moved aside."""
    parent = folder.parent
    if not parent.is_dir():
        return
    for entry in parent.iterdir():
        if entry.name.startswith(f".{folder.name}{_OLD}") and not folder.exists():
            logger.warning("restoring %s from an interrupted swap", folder)
            os.rename(entry, folder)
        elif entry.name.startswith((f".{folder.name}{_NEW}", f".{folder.name}{_OLD}")):
            shutil.rmtree(entry, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux ``renameat2``); ``False`` when unsupported."""
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    try:
        libc = ctypes.CDLL(libc_name, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    renameat2.restype = ctypes.c_int
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True, slots=True)
class RecordingSet:
    """The recordings of one run, by file name.

    Attributes:
        folder: where they were read from. run: ``run.json``, if present.
        recordings: in file-name order.
    """

    folder: Path
    run: RunInfo | None
    recordings: tuple[Recording, ...]

    def by_name(self) -> dict[str, Recording]:
        """File name -> recording."""
        return {r.name: r for r in self.recordings}

    def __iter__(self) -> Iterator[Recording]:
        return iter(self.recordings)

    def __len__(self) -> int:
        return len(self.recordings)


def load_recordings(folder: str | Path) -> RecordingSet:
    """Read every recording under ``folder``.

    Raises:
        InputFileError: the folder does not exist or a file in it is not a recording.
    """
    root = Path(folder)
    if not root.is_dir():
        raise InputFileError(f"{root}: no such recordings folder (run `actionpact record` first)")
    import json

    run = None
    run_file = root / RUN_FILE
    if run_file.is_file():
        try:
            run = RunInfo.from_json(json.loads(run_file.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError, AttributeError) as error:
            raise InputFileError(f"{run_file}: not a recording run file ({error})") from None
    recordings = [
        Recording.read(file, name=file.relative_to(root).as_posix())
        for file in sorted(root.rglob("*.json"))
        if file != run_file
        and not any(part.startswith(".") for part in file.relative_to(root).parts)
    ]
    return RecordingSet(root, run, tuple(recordings))
