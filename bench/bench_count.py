"""Each stored question against a full-store quad count, in the same process (issue 12).

    python bench/bench_count.py DB [NAME ...] [--reps 3] [--timeout 150] [--before REV]

``DB`` is a pyoxigraph database directory (a store built by ``bench/stores.py``, or the
``db-*`` folder inside a pledgegraph store), opened read-only. For each question (all by
default), one child process runs, ``--reps`` times interleaved, the full count
``SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }`` and the question (defaults and the
fixed values of ``bench_query.BENCH_VALUES``, rows consumed), and prints one JSON line with the
medians and ``ratio`` = question / count. Targets: every question <= 1, the headline
(parks-by-year) <= 0.25. ``bench_query.py`` reports the same ratio next to ours/raw.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

FULL_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def one(db: str, name: str, reps: int, before: str | None = None) -> dict[str, object]:
    import pyoxigraph as ox
    from bench_query import BENCH_VALUES

    from pledgegraph import queries
    from pledgegraph.ontology import PREFIXES

    inner = ox.Store.read_only(db)
    query = queries.get(name)
    if before is not None:  # the question's text at another commit (an A/B in one run)
        text = subprocess.run(
            ["git", "show", f"{before}:queries/{name}.rq"],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).resolve().parents[1],
        ).stdout
        query = queries.parse_stored_query(name, text)
    values = {
        p.name: BENCH_VALUES[p.type]
        for p in query.parameters
        if p.required and p.default is None and p.type in BENCH_VALUES
    }
    sparql = queries.with_values(query.sparql, queries.bind(query, values))
    counts, times, rows = [], [], 0
    for _ in range(reps):
        started = time.perf_counter()
        sum(1 for _ in inner.query(FULL_COUNT))  # type: ignore[union-attr]
        counts.append(time.perf_counter() - started)
        started = time.perf_counter()
        result = inner.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=True)
        rows = sum(1 for _ in result)  # type: ignore[union-attr]
        times.append(time.perf_counter() - started)
    count, took = statistics.median(counts), statistics.median(times)
    return {
        "name": name,
        "text": before or "HEAD",
        "values": values,
        "count_s": round(count, 3),
        "query_s": round(took, 3),
        "ratio": round(took / count, 3),
        "rows": rows,
        "target": 0.25 if name == "parks-by-year" else 1.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db")
    parser.add_argument("names", nargs="*")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=150)
    parser.add_argument(
        "--before",
        metavar="REV",
        help="also time each question's text at git revision REV, alternating with today's",
    )
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.db, args.names[0], args.reps, args.before)), flush=True)
        return
    from pledgegraph import queries

    runs = [
        (name, before)
        for name in args.names or sorted(queries.catalogue())
        for before in ([None, args.before, None, args.before] if args.before else [None])
    ]
    for name, before in runs:
        argv = [sys.executable, __file__, "--one", args.db, name, "--reps", str(args.reps)]
        argv += ["--before", before] if before else []
        try:
            done = subprocess.run(
                argv,
                capture_output=True,
                text=True,
                timeout=args.timeout,
                check=True,
                cwd=Path(__file__).parent,
            )
            print(done.stdout.strip(), flush=True)
        except subprocess.TimeoutExpired:
            print(json.dumps({"name": name, "timeout_s": args.timeout}), flush=True)


if __name__ == "__main__":
    main()
