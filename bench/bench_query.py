"""(b) Stored questions through pledgegraph against the same SPARQL run directly with pyoxigraph,
on the same store, and (d) the peak memory of doing so.

    python bench/bench_query.py                     # sizes 1m (and 100k): table + bench/out/query.json
    python bench/bench_query.py --sizes 1m --reps 9
    python bench/bench_query.py --one parks-by-year --size 1m   # one query (what the parent runs)

For every query in ``pledgegraph.queries.catalogue()`` (new ``.rq`` files are picked up), in one
child process per query on the store built by ``bench/stores.py`` (a user-built store: the
ontology, the seed sheet and every generated sheet loaded with ``load_factsheet``):

- ours: ``sparql = queries.with_values(q.sparql, queries.bind(q, {}))`` (the defaults), then
  ``pledgegraph.graph.query.run(store, sparql)``, consuming every row (binding is timed too);
- raw:  ``store.inner.query(sparql, use_default_graph_as_union=True, prefixes=PREFIXES)`` on the
  same ``pyoxigraph.Store``, consuming every row the same way.

One warm-up run of each, then ``reps`` runs of each, alternating which goes first; medians.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import sys
import time

from common import PYTHON, TimedOut, child_json, mb, median, rel, save, verdict

TARGET = 1.2  # maximum ratio ours/raw
DEFAULT_REPS = 15  # at most; fewer for slow queries (BUDGET_S), at least one
BUDGET_S = 10  # timed runs per query (after one warm-up of each), seconds
TIMEOUT_S = 45  # a query child still running after this is killed and reported
#: Values for required parameters that have no default (by type), so every query runs.
BENCH_VALUES = {
    "year": "2025",
    "integer": "2025",
    "decimal": "0.5",
    "date": "2025-12-31",
    "boolean": "true",
    "string": "park",
    "region": "CN-HE",
    "kind": "parks",
    "sector": "blockchain",
    "iri": "https://w3id.org/pledgegraph/id/region/CN-HE",
}
#: Issue 12: every question within the time of a full quad count, the headline within a quarter.
FULL_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
HEADLINE = "parks-by-year"


def count_target(name: str) -> float:
    return 0.25 if name == HEADLINE else 1.0


TOTAL_S = 560  # queries not started by then are reported as not run (keeps the script < 10 min)


def _consume(result: object) -> int:
    import pyoxigraph as ox

    if isinstance(result, ox.QueryBoolean):
        return int(bool(result))
    return sum(1 for _ in result)  # type: ignore[attr-defined]


def measure(name: str, size: str, reps: int) -> dict:  # type: ignore[type-arg]
    import pyoxigraph as ox
    from stores import store_path

    from pledgegraph import queries
    from pledgegraph.graph.query import run
    from pledgegraph.graph.store import Store
    from pledgegraph.ontology import PREFIXES

    started = time.perf_counter()
    store = Store.open(store_path(size))
    opened = time.perf_counter() - started
    query = queries.catalogue()[name]
    values = {
        p.name: BENCH_VALUES[p.type]
        for p in query.parameters
        if p.required and p.default is None and p.type in BENCH_VALUES
    }
    try:
        sparql = queries.with_values(query.sparql, queries.bind(query, values))
    except Exception as exc:  # e.g. a required parameter of an unknown type
        return {"query": name, "skipped": f"{type(exc).__name__}: {exc}"}

    def ours() -> int:
        text = queries.with_values(query.sparql, queries.bind(query, values))
        return _consume(run(store, text, where=f"query {name}"))

    def raw() -> int:
        inner: ox.Store = store.inner
        return _consume(inner.query(sparql, use_default_graph_as_union=True, prefixes=PREFIXES))

    def count() -> int:  # the yardstick of issue 12: scanning every quad of the store
        inner: ox.Store = store.inner
        return _consume(inner.query(FULL_COUNT))

    def timed(func: object) -> tuple[float, int]:
        t0 = time.perf_counter()
        rows = func()  # type: ignore[operator]
        return time.perf_counter() - t0, rows

    # warm-up, raw first: if a query is too slow, the parent can tell whether raw was already
    warm_raw, rows_raw = timed(raw)
    print(f"raw warm-up {warm_raw:.1f} s", file=sys.stderr, flush=True)
    warm_ours, rows = timed(ours)
    # keep every query bounded: about BUDGET_S of timed runs after the warm-up (at least one)
    reps = max(1, min(reps, int(BUDGET_S / (warm_ours + warm_raw))))
    timed(count)
    times: dict[str, list[float]] = {"ours": [], "raw": [], "count": []}
    for rep in range(reps):
        pair = (("ours", ours), ("raw", raw)) if rep % 2 == 0 else (("raw", raw), ("ours", ours))
        for label, func in (*pair, ("count", count)):
            elapsed, _rows = timed(func)
            times[label].append(elapsed)
    store.close()
    return {
        "query": name,
        "values": values,
        "rows": rows,
        "rows_raw": rows_raw,
        "open_s": opened,
        "warm_ours_s": warm_ours,
        "warm_raw_s": warm_raw,
        "ours": times["ours"],
        "raw": times["raw"],
        "count": times["count"],
        "self_maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }


def run_all(sizes: list[str], reps: int) -> dict:  # type: ignore[type-arg]
    from stores import ensure_store

    from pledgegraph import queries

    names = list(queries.catalogue())
    results: dict[str, object] = {"queries": names, "sizes": {}, "timeout_s": TIMEOUT_S}
    for size in sizes:
        info = ensure_store(size)  # (building a store is not part of the budget)
        deadline = time.monotonic() + TOTAL_S
        rows = []
        for name in names:
            if time.monotonic() > deadline:
                rows.append({"query": name, "skipped": f"not run: the script's {TOTAL_S} s budget"})
                continue
            argv = [PYTHON, __file__, "--one", name, "--size", size, "--reps", str(reps)]
            try:
                data, run = child_json(argv, timeout=TIMEOUT_S)
            except TimedOut as exc:
                done = re.search(r"raw warm-up ([0-9.]+) s", exc.stderr)
                why = (
                    f"ours > {TIMEOUT_S - float(done.group(1)):.0f} s after raw took {done.group(1)} s"
                    if done
                    else f"raw pyoxigraph alone > {TIMEOUT_S} s"
                )
                print(f"  {size} {name}: timed out ({why})", file=sys.stderr)
                raw_s = float(done.group(1)) if done else None
                rows.append(
                    {
                        "query": name,
                        "skipped": f"timed out, killed: {why}",
                        "raw_warm_s": raw_s,
                        # no room left for ours in the time limit: the query's own cost
                        "raw_too_slow": raw_s is None or raw_s > TIMEOUT_S / 3,
                    }
                )
                continue
            data["maxrss_kb"] = run.maxrss_kb
            data["wall"] = run.wall
            if "skipped" not in data:
                data["ours_median"] = median(data["ours"])
                data["raw_median"] = median(data["raw"])
                data["ratio"] = data["ours_median"] / data["raw_median"]
                data["count_median"] = median(data["count"])
                data["vs_count"] = data["ours_median"] / data["count_median"]
                print(
                    f"  {size} {name}: ours {data['ours_median'] * 1000:.1f} ms,"
                    f" raw {data['raw_median'] * 1000:.1f} ms, {data['rows']} rows",
                    file=sys.stderr,
                )
            rows.append(data)
        results["sizes"][size] = {"store": info, "rows": rows}  # type: ignore[index]
    return results


def table(results: dict) -> str:  # type: ignore[type-arg]
    lines = [
        "| store | query | rows | ours median ms | raw median ms | ours/raw | target | result"
        " | full count ms | ours/count | target | result | peak RSS MB |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for size, block in results["sizes"].items():
        label = f"{size} ({block['store']['quads']:,} quads)"
        for row in block["rows"]:
            if "skipped" in row:
                lines.append(
                    f"| {label} | {row['query']} | skipped: {row['skipped']} | | | | | | | | | | |"
                )
                continue
            n = len(row["ours"])
            given = " ".join(f"{k}={v}" for k, v in row.get("values", {}).items())
            name = f"{row['query']} ({given})" if given else row["query"]
            lines.append(
                f"| {label} | {name} | {row['rows']:,} | {row['ours_median'] * 1000:.1f} ×{n}"
                f" | {row['raw_median'] * 1000:.1f} ×{n} | {row['ratio']:.2f}x | ≤ {TARGET}x"
                f" | {verdict(row['ratio'] <= TARGET)}"
                f" | {row['count_median'] * 1000:.1f} | {row['vs_count']:.2f}x"
                f" | ≤ {count_target(row['query'])}x"
                f" | {verdict(row['vs_count'] <= count_target(row['query']))}"
                f" | {mb(row['maxrss_kb']):.0f} |"
            )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--one", metavar="QUERY", help="measure one stored query")
    parser.add_argument("--size", default="1m")
    parser.add_argument("--sizes", default="1m")
    parser.add_argument("--reps", type=int, default=DEFAULT_REPS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.size, args.reps)))
        return
    sizes = [s for s in args.sizes.split(",") if s]
    results = run_all(sizes, args.reps)
    results["command"] = f"python {rel(__file__)} --sizes {args.sizes} --reps {args.reps}"
    results["markdown"] = table(results)
    save("query", results)
    print(results["markdown"])


if __name__ == "__main__":
    main()
