"""The floor under JSON-LD export: what reading the store alone costs, against rdflib's serialize.

    python bench/bench_dump_floor.py --size 100k --reps 3

Issue 12 asks for compacted JSON-LD at >= 3x rdflib's speed. Any export must first read every
quad out of the store; this script measures that floor in one process, on the store that
``bench_export.py`` builds (``bench/data/export-<size>/``), as CPU seconds (``process_time``,
medians of ``--reps``), so the figures hold on a loaded machine:

- ``disk dump``: pyoxigraph's N-Triples dump of every exported graph from the on-disk store
  (what ``pledgegraph export`` reads);
- ``memory dump``: the same dump from an in-memory pyoxigraph store holding the same quads;
- ``rdflib serialize``: rdflib's compacted JSON-LD of the same triples with our context (the
  baseline of ``bench_export.py``; building the rdflib graph not counted).

``ceiling`` = rdflib serialize / disk dump: the best ratio an exporter could reach against
rdflib if everything after the read cost nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_export import store_dir


def cpu(work: object, reps: int) -> float:
    times = []
    for _ in range(reps):
        started = time.process_time()
        work()  # type: ignore[operator]
        times.append(time.process_time() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="100k")
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()

    import pyoxigraph as ox
    import rdflib

    from pledgegraph.graph.export import context, export_graphs
    from pledgegraph.graph.reasoning.owlrl import to_rdflib
    from pledgegraph.graph.store import Store

    opened = Store.open(str(store_dir(args.size)), initialise=False)
    graphs = list(export_graphs(opened))
    memory = ox.Store()
    memory.bulk_extend(
        q for g in graphs for q in opened.inner.quads_for_pattern(None, None, None, g)
    )
    quads = len(memory)

    def dump(store: ox.Store) -> None:
        for g in graphs:
            store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=g)

    graph = rdflib.Graph()
    for q in memory.quads_for_pattern(None, None, None, None):
        graph.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    ctx = context()

    disk = cpu(lambda: dump(opened.inner), args.reps)
    mem = cpu(lambda: dump(memory), args.reps)
    ser = cpu(lambda: graph.serialize(format="json-ld", context=ctx, auto_compact=True), args.reps)
    print(f"{args.size}: {quads:,} quads in {len(graphs)} graphs; CPU s, medians of {args.reps}")
    print(f"  disk dump        {disk:8.3f}  ({disk / quads * 1e6:.1f} us per quad)")
    print(f"  memory dump      {mem:8.3f}  ({mem / quads * 1e6:.1f} us per quad)")
    print(f"  rdflib serialize {ser:8.3f}")
    print(f"  ceiling (rdflib serialize / disk dump): {ser / disk:.2f}x")
    opened.close()


if __name__ == "__main__":
    main()
