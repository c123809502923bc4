"""Never lose or half-write data: kills in the middle of a load, two processes, backup/restore."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pledgegraph.errors import StoreLockedError
from pledgegraph.graph.store import Store

GRAPH = "https://example.org/graph/big"
N = 100_000  # triples per version: large enough for the bulk loader, small enough for CI

LOADER = """
import sys
from pledgegraph.graph.store import Store
store = Store.open(sys.argv[1], initialise=False)
print("open", flush=True)
store.load_rdf(sys.argv[2], graph=sys.argv[3])
print("done", flush=True)
"""


def _write_version(path: Path, version: str) -> None:
    with path.open("w", encoding="utf-8") as out:
        for i in range(N):
            out.write(f'<https://example.org/s{i}> <https://example.org/p> "{version}-{i}" .\n')


def _versions(store_dir: Path) -> dict[str, int]:
    """How many triples of each version the graph holds."""
    with Store.open(store_dir, initialise=False) as store:
        rows = store.inner.query(
            f"SELECT ?v (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} "
            'BIND(STRBEFORE(STR(?o), "-") AS ?v) } GROUP BY ?v'
        )
        counts = {row["v"].value: int(row["n"].value) for row in rows}  # type: ignore[union-attr]
        assert store.state().get("pending") is None
        return counts


@pytest.mark.slow
def test_sigkill_during_loads_leaves_old_or_new_version(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    v1, v2 = tmp_path / "v1.nt", tmp_path / "v2.nt"
    _write_version(v1, "v1")
    _write_version(v2, "v2")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}

    def start(version: Path) -> subprocess.Popen[str]:
        process = subprocess.Popen(
            [sys.executable, "-c", LOADER, str(store_dir), str(version), GRAPH],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert process.stdout is not None
        assert process.stdout.readline() == "open\n"
        return process

    # A first load killed at random points: afterwards the graph is absent or complete.
    rng = random.Random(20261127)
    outcomes: list[str] = []
    first = start(v1)
    time.sleep(rng.uniform(0.0, 0.3))
    first.send_signal(signal.SIGKILL)
    first.wait()
    counts = _versions(store_dir)
    assert counts in ({}, {"v1": N}), counts
    if not counts:
        finished = start(v1)
        assert finished.wait() == 0
    assert _versions(store_dir) == {"v1": N}

    # Replacements killed at random points: old or new version, never a mix.
    current = "v1"
    kills = 10
    for _ in range(kills):
        target = v2 if current == "v1" else v1
        process = start(target)
        time.sleep(rng.uniform(0.0, 3.5))  # a replacement takes ~3 s here
        process.send_signal(signal.SIGKILL)
        process.wait()
        counts = _versions(store_dir)
        assert len(counts) == 1 and next(iter(counts.values())) == N, counts
        current = next(iter(counts))
        outcomes.append(current)
    print(f"{kills + 1} kills, outcomes {outcomes}: all consistent")


HOLDER = """
import sys, time
from pledgegraph.graph.store import Store
store = Store.open(sys.argv[1])
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
"""


def _hold(store_dir: Path, seconds: float) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(store_dir), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    assert process.stdout.readline() == "holding\n"
    return process


def test_second_process_gets_a_clear_error(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    holder = _hold(store_dir, 6)
    try:
        with pytest.raises(StoreLockedError) as caught:
            Store.open(store_dir, wait=0.2)
        assert caught.value.message == (
            f"the store at {store_dir} is in use by another pledgegraph process (pid {holder.pid}); "
            "wait for it to finish, or use another --store"
        )
        result = subprocess.run(
            [sys.executable, "-m", "pledgegraph", "--store", str(store_dir), "stats"],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
        )
        assert result.returncode == 2
        assert result.stderr == f"Error: {caught.value.message}\n"
    finally:
        holder.kill()
        holder.wait()
    with Store.open(store_dir) as store:  # opens cleanly afterwards
        assert store.is_initialised()


def test_waits_for_a_short_holder(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    holder = _hold(store_dir, 0.5)
    with Store.open(store_dir, wait=10) as store:
        assert store.is_initialised()
    holder.wait()


def test_two_loads_at_once(tmp_path: Path) -> None:
    """Both finish (the second waits for the lock) or one is told the store is busy."""
    store_dir = tmp_path / "store"
    Store.open(store_dir).close()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    sheets = []
    for n in (1, 2):
        path = tmp_path / f"s{n}.pledges.yaml"
        path.write_text(
            f"source:\n  url: https://example.org/{n}\n  key: s{n}\npledges:\n  - region: CN-SC\n"
            "    targets:\n      - kind: parks\n        quantity: 2\n"
        )
        sheets.append(path)
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "pledgegraph", "--store", str(store_dir), "load", str(p)],
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for p in sheets
    ]
    results = [(p.wait(), p.stderr.read() if p.stderr else "") for p in processes]
    for code, err in results:
        assert code == 0 or (code == 2 and "is in use by another pledgegraph process" in err), err
    with Store.open(store_dir) as store:
        loaded = {g.rsplit("/", 1)[-1] for g in store.source_graphs()}
    expected = {"cryptonews-7376"} | {
        f"s{n}" for (code, _), n in zip(results, (1, 2), strict=True) if code == 0
    }
    assert loaded == expected


def test_backup_and_restore(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    with Store.open(store_dir) as store:
        before = len(store.inner)
        store.backup(tmp_path / "backup")
        store.remove_source(store.source_graphs()[0])
        assert len(store.inner) < before
    restored = Store.restore(tmp_path / "backup", store_dir)
    assert len(restored.inner) == before
    restored.close()


def test_restore_rejects_a_directory_that_is_no_backup(tmp_path: Path) -> None:
    from pledgegraph.errors import StoreError

    (tmp_path / "empty").mkdir()
    with pytest.raises(StoreError, match="is not a pledgegraph backup"):
        Store.restore(tmp_path / "empty", tmp_path / "store")
