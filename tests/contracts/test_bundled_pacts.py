"""The pacts committed in pacts/ are exactly what `generate` makes from contracts/ today."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from actionpact.contracts import generate

if TYPE_CHECKING:
    import pytest

REPO = Path(__file__).resolve().parents[2]


def test_committed_pacts_are_up_to_date(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Source paths in pacts are relative to the working directory, as in the quick start.
    monkeypatch.chdir(REPO)
    result = generate([Path("contracts")], out=tmp_path)
    assert result.success
    fresh = {p.name: p.read_bytes() for p in sorted(tmp_path.glob("*.json"))}
    committed = {p.name: p.read_bytes() for p in sorted((REPO / "pacts").glob("*.json"))}
    assert fresh, "generate wrote no pact"
    assert fresh.keys() == committed.keys()
    for name, content in fresh.items():
        assert content == committed[name], f"pacts/{name} is stale: run actionpact generate"
