"""Scale (issue 12): output that stays short when the store holds thousands of sources."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from pledgegraph.graph.store import Store
from pledgegraph.ontology import SOURCE_GRAPH
from tests.conftest import Invoke


def test_stats_lists_the_largest_graphs_and_all_with_graphs(cli: Invoke, store_path: Path) -> None:
    assert cli("stats").exit_code == 0  # creates the store
    with Store.open(store_path) as store:
        store.inner.extend(
            ox.Quad(
                ox.NamedNode(f"https://example.org/s{n}"),
                ox.NamedNode("https://example.org/p"),
                ox.Literal(str(i)),
                ox.NamedNode(f"{SOURCE_GRAPH}extra-{n:03d}"),
            )
            for n in range(40)
            for i in range(n + 1)
        )
    short = cli("stats")
    assert short.exit_code == 0
    lines = short.stdout.splitlines()
    assert "graphs:   44 (the 10 largest; --graphs for all)" in lines
    listed = [line for line in lines if line.startswith("  ") and "graph/" in line]
    assert len(listed) == 10
    assert lines[-1] == "  ... and 34 more"
    sizes = [int(line.split()[0]) for line in listed]
    assert sizes == sorted(sizes, reverse=True)
    every = cli("stats", "--graphs")
    assert len([line for line in every.stdout.splitlines() if "graph/" in line]) == 44
    assert "... and" not in every.stdout
