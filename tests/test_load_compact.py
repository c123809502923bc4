"""A big load written in several bulk writes compacts the store afterwards (``Store.compact``):
each write leaves every index in pieces of its own, and merged pieces halve what a lookup
costs (bench/README.md, "Compacting after a load"). Compacting changes no quad and no answer."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

import pledgegraph.commands.load as load_command
from pledgegraph import queries
from pledgegraph.graph.query import run
from pledgegraph.graph.store import Store
from tests.test_bulk_batches import data_quads, write_sheets


def load(store: Path, folder: Path, *, quiet: bool = True) -> str:
    """What ``pledgegraph load`` says on stderr."""
    from pledgegraph.cli import main

    result = CliRunner().invoke(
        main,
        ["--store", str(store), "load", "--lenient", *(["-q"] if quiet else []), str(folder)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.stderr
    return result.stderr


def answers(store: Store) -> dict[str, list[tuple[str | None, ...]]]:
    out = {}
    for name in ("parks-by-year", "targets-by-kind-and-year", "provenance", "sources"):
        query = queries.get(name)
        result = run(store, queries.with_values(query.sparql, queries.bind(query, {})), where=name)
        assert isinstance(result, ox.QuerySolutions)
        names = [v.value for v in result.variables]
        out[name] = [tuple(None if s[v] is None else str(s[v]) for v in names) for s in result]
    return out


def test_a_load_in_several_writes_compacts_once_and_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "sheets"
    write_sheets(folder, 30)
    calls: list[Path | None] = []
    real = Store.compact

    def counted(self: Store) -> None:
        calls.append(self.path)
        real(self)

    monkeypatch.setattr(Store, "compact", counted)
    # One write, no compaction: what the store holds without it.
    monkeypatch.setattr(load_command, "_FIRST_WRITE_QUADS", 10**9)
    monkeypatch.setattr(load_command, "_COMPACT_QUADS", 0)
    assert "Compacting" not in load(tmp_path / "one", folder, quiet=False)
    assert calls == []  # (one write: nothing to merge)
    # Several writes, compacted after the last, and said so (it takes seconds at 1M).
    monkeypatch.setattr(load_command, "_FIRST_WRITE_QUADS", 2_000)
    monkeypatch.setattr(load_command, "_WRITE_QUADS", 4_000)
    assert "Compacting the store" in load(tmp_path / "several", folder, quiet=False)
    assert len(calls) == 1
    one, several = Store.open(tmp_path / "one"), Store.open(tmp_path / "several")
    try:
        assert data_quads(one) == data_quads(several)
        assert answers(one) == answers(several)
        assert answers(several)["parks-by-year"]  # (the comparison compares something)
    finally:
        one.close()
        several.close()


def test_a_small_load_does_not_compact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "sheets"
    write_sheets(folder, 12)
    calls: list[int] = []
    monkeypatch.setattr(Store, "compact", lambda self: calls.append(1))
    monkeypatch.setattr(load_command, "_FIRST_WRITE_QUADS", 2_000)
    monkeypatch.setattr(load_command, "_WRITE_QUADS", 2_000)
    load(tmp_path / "store", folder)  # (several writes, but far fewer quads than 250,000)
    assert calls == []


def test_compacting_a_store_keeps_every_quad(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "store")
    try:
        before = {str(q) for q in store.inner}
        store.compact()
        assert {str(q) for q in store.inner} == before
    finally:
        store.close()
    Store.memory().compact()  # (a store in memory: nothing to do)
