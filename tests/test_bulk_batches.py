"""Big fact-sheet loads go to Oxigraph's bulk loader in batches of whole sources.

One bulk load sorts all its quads in memory (about 0.9 GB for the million quads of
``bench/data/1m``), so ``Store.load_factsheets`` hands it a few sources at a time
(``_BULK_BATCH`` bytes of N-Quads). The store must end up exactly as one load leaves it, and a
kill between two batches must leave no source behind (the pending record removes them).
"""

from __future__ import annotations

import importlib.util
import os
import random
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from pledgegraph.graph import store as store_module
from pledgegraph.graph.store import Store, _Batches
from pledgegraph.graph.storedir import ENV_KILL_AT
from pledgegraph.loaders.factsheet import parse_factsheet
from pledgegraph.loaders.rdf import source_graph
from pledgegraph.ontology import REFERENCE_GRAPH, SOURCE_GRAPH

ROOT = Path(__file__).resolve().parents[1]
SMALL_BATCH = 64 * 1024  # bytes: the test's sheets make dozens of batches
#: ``pledgegraph load`` writes the sheets of a folder in one write (it writes every 25,000 to
#: 200,000 quads otherwise: tests/test_load_parallel.py), so that this write takes the bulk path.
ONE_WRITE = "import pledgegraph.commands.load as c; c._FIRST_WRITE_QUADS = c._WRITE_QUADS = 10**9"


def write_sheets(folder: Path, count: int = 45) -> list[Path]:
    """``count`` synthetic sheets by bench/generate.py's maker: over 2,000 targets in all."""
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_generate"] = module
    spec.loader.exec_module(module)
    maker = module.SheetMaker(random.Random("pledgegraph-bulk-batches"))
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(1, count + 1):
        path = folder / f"{number:03d}.pledges.yaml"
        path.write_text(maker.sheet(number), encoding="utf-8")
        paths.append(path)
    return paths


def parsed(paths: list[Path]) -> list[object]:
    return [parse_factsheet(p.read_text(encoding="utf-8"), path=str(p)) for p in paths]


def data_quads(store: Store) -> set[str]:
    """The sources' and the shared nodes' quads (not the ontology's blank nodes, nor the
    time the links were made)."""
    kept = (SOURCE_GRAPH, REFERENCE_GRAPH)
    return {str(q) for q in store.inner if str(q.graph_name).strip("<>").startswith(kept)}


def test_batches_end_where_chunks_end_and_keep_every_byte() -> None:
    chunks = [f'<urn:s{n}> <urn:p> "{"x" * n}" <urn:g{n % 3}> .\n' for n in range(200)]
    batches = list(_Batches(iter(chunks), 1000))
    assert len(batches) > 5
    assert b"".join(batches) == "".join(chunks).encode("utf-8")
    assert all(b.endswith(b" .\n") for b in batches)
    assert list(_Batches(iter([]), 1000)) == []


def test_a_load_in_batches_holds_what_one_transaction_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sheets = parsed(write_sheets(tmp_path / "sheets"))
    targets = sum(len(p.targets) for s in sheets for p in s.pledges)  # type: ignore[attr-defined]
    assert targets >= store_module._BULK_TARGETS  # the bulk path is taken
    loads: list[int] = []
    real = _Batches.__iter__

    def counted(self: _Batches):  # type: ignore[no-untyped-def]
        for batch in real(self):
            loads.append(len(batch))
            yield batch

    monkeypatch.setattr(store_module, "_BULK_BATCH", SMALL_BATCH)
    monkeypatch.setattr(_Batches, "__iter__", counted)
    with Store.open(tmp_path / "batched") as batched:
        batched.load_factsheets(sheets)
        got = data_quads(batched)
    assert len(loads) > 10

    monkeypatch.setattr(store_module, "_BULK_TARGETS", 10**9)  # one transaction
    with Store.open(tmp_path / "whole") as whole:
        whole.load_factsheets(sheets)
        expected = data_quads(whole)
    assert got == expected


def test_a_kill_between_batches_leaves_no_source_and_the_load_can_be_run_again(
    tmp_path: Path,
) -> None:
    write_sheets(tmp_path / "sheets")
    store = tmp_path / "store"
    script = (
        "import sys\n"
        "from pledgegraph.graph import store\n"
        f"store._BULK_BATCH = {SMALL_BATCH}\n"
        f"{ONE_WRITE}\n"
        "from pledgegraph.cli import main\n"
        "sys.exit(main())\n"
    )
    args = [sys.executable, "-c", script, "--store", str(store), "load", "--lenient", "--no-shapes"]
    args.append(str(tmp_path / "sheets"))
    env = {**os.environ, ENV_KILL_AT: "bulk-batch-loaded"}
    killed = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    assert killed.returncode == -9, killed.stderr

    def cli(*more: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "pledgegraph", "--store", str(store), *more]
        return subprocess.run(command, capture_output=True, text=True, check=False)

    graphs = {source_graph(s) for s in parsed(sorted((tmp_path / "sheets").iterdir()))}
    stats = cli("stats", "--graphs")
    assert stats.returncode == 0, stats.stderr
    assert not [g for g in graphs if g in stats.stdout]  # the pending record removed them
    again = subprocess.run(args, capture_output=True, text=True, check=False)
    assert again.returncode == 0, again.stderr
    stats = cli("stats", "--graphs")
    assert [g for g in graphs if g not in stats.stdout] == []
    check = cli("reindex", "--check")
    assert check.returncode == 0, check.stdout + check.stderr


@pytest.mark.parametrize("step", ["reference-added", "bulk-batch-loaded"])
def test_a_kill_before_the_commit_leaves_no_shared_node_of_the_load_behind(
    tmp_path: Path, step: str
) -> None:
    """Regions, authorities, publishers and deadlines a cut-off load added to the reference
    graph go with its graphs at the next open (an outside attack found 245 quads left)."""
    write_sheets(tmp_path / "sheets")
    store = tmp_path / "store"

    def cli(*more: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        script = (
            "import sys\n"
            "from pledgegraph.graph import store\n"
            f"store._BULK_BATCH = {SMALL_BATCH}\n"
            f"{ONE_WRITE}\n"
            "from pledgegraph.cli import main\n"
            "sys.exit(main())\n"
        )
        command = [sys.executable, "-c", script, "--store", str(store), *more]
        return subprocess.run(
            command, capture_output=True, text=True, check=False, env={**os.environ, **(env or {})}
        )

    def reference() -> list[str]:
        with Store.open(store) as opened:
            return sorted(
                str(q)
                for q in opened.inner.quads_for_pattern(
                    None, None, None, ox.NamedNode(REFERENCE_GRAPH)
                )
            )

    assert cli("stats").returncode == 0
    before = reference()
    killed = cli(
        "load", "--lenient", "--no-shapes", str(tmp_path / "sheets"), env={ENV_KILL_AT: step}
    )
    assert killed.returncode == -9, killed.stderr
    assert reference() == before
    check = cli("reindex", "--check")
    assert check.returncode == 0, check.stdout + check.stderr


def test_counts_reported_from_the_text_are_the_stores(tmp_path: Path) -> None:
    """``load_factsheets`` counts each new source's quads in the N-Quads it was given (a query
    per graph was a tenth of a 100k load's critical path): the same number the store holds,
    without the row index, for generated sheets and the bundled one, whose names carry
    language tags."""
    from pledgegraph.loaders.rdf import source_nquads

    paths = write_sheets(tmp_path / "sheets", count=12)
    paths.append(ROOT / "loaders" / "data" / "seed.pledges.yaml")
    sheets = parsed(paths)
    texts = ["".join(source_nquads(s)).encode("utf-8") for s in sheets]  # type: ignore[arg-type]
    store = Store.open(tmp_path / "store", initialise=False)  # (the bundled sheet: new here)
    reports = store.load_factsheets(sheets, nquads=texts)
    assert not any(r.unchanged or r.replaced for r in reports)
    assert [r.quads for r in reports] == [store.data_count(r.graph) for r in reports]
    assert all(r.quads > 0 for r in reports)
