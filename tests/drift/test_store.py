"""The recordings folder: stable names, a run swapped in whole, stale leftovers cleared."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from actionpact.core.errors import InputFileError
from actionpact.drift import RunInfo, load_recordings, previous_dir
from actionpact.drift._store import RunWriter, _clean_stale, file_names, slug

if TYPE_CHECKING:
    from pathlib import Path

RUN = RunInfo("http://127.0.0.1:1", "2026-11-22T09:00:00Z", "2026-11-22T09:00:01Z", 0, {})


def test_slugs_are_stable_and_safe() -> None:
    assert slug("CRM - Lookup Customer By Phone") == "crm-lookup-customer-by-phone"
    assert slug("Café «spécial» / v2") == "cafe-special-v2"
    assert slug("***") == "unnamed"
    assert len(slug("x" * 200)) == 60


def test_clashing_names_get_a_hash_whatever_the_order() -> None:
    pairs = [("Lookup!", "a"), ("Lookup?", "a"), ("Other", "b b"), ("Other", "b-b")]
    names = file_names(pairs)
    assert names[0].startswith("lookup-")
    assert names[1].startswith("lookup-")
    assert names[0] != names[1]
    assert names[2].startswith("other/b-b-")
    assert names[3].startswith("other/b-b-")
    assert file_names(list(reversed(pairs))) == list(reversed(names))
    assert file_names([("Lookup!", "a")]) == ["lookup/a.json"]
    with pytest.raises(ValueError, match="duplicate"):
        file_names([("A", "x"), ("A", "x")])


def _write(folder: Path, name: str, text: str) -> None:
    (folder / name).parent.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def test_commit_swaps_the_whole_run_and_keeps_the_previous(tmp_path: Path) -> None:
    out = tmp_path / "recordings"
    with RunWriter(out) as writer:
        _write(writer.staging, "a/one.json", "1")
        writer.commit(RUN)
    assert (out / "a" / "one.json").read_text() == "1"
    with RunWriter(out) as writer:
        _write(writer.staging, "b/two.json", "2")
        writer.commit(RUN)
    assert not (out / "a").exists()
    assert (out / "b" / "two.json").read_text() == "2"
    assert (previous_dir(out) / "a" / "one.json").read_text() == "1"
    assert json.loads((out / "run.json").read_text())["format"] == "actionpact-recording-run/1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["recordings", "recordings.previous"]


def test_leaving_without_commit_changes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "recordings"
    _write(out, "a.json", "old")

    def half_run() -> None:
        with RunWriter(out) as writer:
            _write(writer.staging, "a.json", "new")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        half_run()
    assert (out / "a.json").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["recordings"]


def test_swap_without_atomic_exchange(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("actionpact.drift._store._exchange", lambda a, b: False)
    out = tmp_path / "recordings"
    _write(out, "a.json", "old")
    with RunWriter(out, keep_previous=False) as writer:
        _write(writer.staging, "a.json", "new")
        writer.commit(RUN)
    assert (out / "a.json").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["recordings"]


def test_a_run_moved_aside_by_a_killed_swap_is_restored(tmp_path: Path) -> None:
    out = tmp_path / "recordings"
    _write(tmp_path / ".recordings.old-1234", "a.json", "old")
    _write(tmp_path / ".recordings.new-1234", "a.json", "half")
    _clean_stale(out)
    assert (out / "a.json").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["recordings"]


def test_loading_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="no such recordings folder"):
        load_recordings(tmp_path / "missing")
    _write(tmp_path / "r", "x/bad.json", "{not json")
    with pytest.raises(InputFileError, match=r"bad\.json: not valid JSON \(.* at line 1"):
        load_recordings(tmp_path / "r")
    _write(tmp_path / "r", "x/bad.json", '{"format": "something else"}')
    with pytest.raises(InputFileError, match="not an actionpact recording"):
        load_recordings(tmp_path / "r")
