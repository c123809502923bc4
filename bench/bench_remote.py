"""The remote store against the embedded one, on the same generated data, in the same run.

    python bench/bench_remote.py --size 100k
    python bench/bench_remote.py --size 1m --reps 3
    python bench/bench_remote.py --size 100k --union graphs   # the portable dataset parameters

For the data set of ``--size`` (``bench/generate.py``), in this one process:

1. **load**: the generated fact sheets (parsed once, beforehand, not timed) are loaded with
   ``Store.load_factsheets`` — what ``pledgegraph load`` does after validation — into a new
   embedded store (``Store.open``) and into a new, empty ``oxigraph serve`` on loopback
   (``RemoteStore.connect``: first-use filling, then one Graph Store PUT per source). Both
   start by filling themselves with the ontology and the seed; that is timed separately. Then
   the copy ``validate`` makes of a remote graph (``Store.snapshot``) is timed.
2. **questions**: every stored question (defaults; ``BENCH_VALUES`` for required parameters)
   through ``pledgegraph.graph.query.run`` on each store, consuming every row; the rows must be
   the same on both. One warm-up each, then up to ``--reps`` runs alternating which goes first,
   within a time budget per question; medians. The full-store quad count
   (``SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }``) is measured the same way.

The server is ``oxigraph serve`` of the ``oxigraph`` package (the same engine and version as the
embedded pyoxigraph), so the ratio is the cost of the protocol: HTTP, result serialisation and
parsing, and the dataset parameters. Results: a table on stdout and bench/out/remote-SIZE.json.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time

from common import BIN, DATA, fresh_dir, machine, median, rel, remove, save

from pledgegraph import queries

BUDGET_S = 20.0  # timed runs per question and backend (after the warm-up)
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
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(location: str) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    process = subprocess.Popen(
        [str(BIN / "oxigraph"), "serve", "--location", location, "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process, f"http://127.0.0.1:{port}/"
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("oxigraph serve did not start")


def _rows(result: object) -> list[tuple[str, ...]]:
    import pyoxigraph as ox

    if isinstance(result, ox.QueryBoolean):
        return [(str(bool(result)),)]
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [tuple(_text(solution[n]) for n in names) for solution in result]


def _text(term: object) -> str:
    import pyoxigraph as ox

    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return "_:b"  # labels differ between any two stores
    return str(term)


def _time(func: object) -> tuple[float, list[tuple[str, ...]]]:
    started = time.perf_counter()
    rows = func()  # type: ignore[operator]
    return time.perf_counter() - started, rows


def compare(stores: dict[str, object], sparql: str, reps: int) -> dict[str, object]:
    """Warm-up, then alternating timed runs of ``sparql`` on each store; medians and rows."""
    from pledgegraph.graph.query import run

    def runner(store: object) -> object:
        return lambda: _rows(run(store, sparql))  # type: ignore[arg-type]

    funcs = {name: runner(store) for name, store in stores.items()}
    warm = {name: _time(func) for name, func in funcs.items()}
    same = sorted(warm["embedded"][1]) == sorted(warm["remote"][1])
    slowest = max(t for t, _ in warm.values())
    reps = min(reps, int(BUDGET_S / max(slowest * len(funcs), 1e-3)))
    # (a question slower than the budget is timed by its warm-up run alone: reps 0)
    times: dict[str, list[float]] = {name: [] for name in funcs}
    order = list(funcs)
    for rep in range(reps):
        for name in order if rep % 2 == 0 else order[::-1]:
            times[name].append(_time(funcs[name])[0])
    if not reps:
        times = {name: [warm[name][0]] for name in funcs}
    medians = {name: median(values) for name, values in times.items()}
    return {
        "rows": len(warm["embedded"][1]),
        "same_rows": same,
        "reps": reps,
        "embedded_s": medians["embedded"],
        "remote_s": medians["remote"],
        "ratio": medians["remote"] / medians["embedded"],
    }


def bench(size: str, reps: int, only: set[str]) -> dict[str, object]:
    from generate import ensure

    from pledgegraph.errors import PledgeGraphError
    from pledgegraph.graph.remote import RemoteStore
    from pledgegraph.graph.store import Store
    from pledgegraph.loaders.factsheet import read_factsheet

    meta = ensure(size)
    started = time.perf_counter()
    sheets = [read_factsheet(str(p)) for p in sorted((DATA / size / "sheets").glob("*.yaml"))]
    parse_s = time.perf_counter() - started
    print(f"  parsed {len(sheets)} sheets in {parse_s:.1f} s", file=sys.stderr, flush=True)
    scratch = fresh_dir("remote-")
    process, url = start_server(os.path.join(scratch, "server"))
    try:
        load: dict[str, dict[str, float]] = {}
        stores: dict[str, object] = {}
        for name in ("embedded", "remote"):
            t0 = time.perf_counter()
            store = (
                Store.open(os.path.join(scratch, "embedded"))
                if name == "embedded"
                else RemoteStore.connect(url)
            )
            t1 = time.perf_counter()
            store.load_factsheets(sheets)
            t2 = time.perf_counter()
            load[name] = {"first_use_s": t1 - t0, "load_s": t2 - t1, "quads": store.count()}
            stores[name] = store
            print(
                f"  {name}: first use {t1 - t0:.1f} s, load {t2 - t1:.1f} s,"
                f" {load[name]['quads']:,} quads",
                file=sys.stderr,
                flush=True,
            )
        t0 = time.perf_counter()  # what 'validate' reads first on a server: a copy of the graph
        copied = len(stores["remote"].snapshot())  # type: ignore[attr-defined]
        load["remote"]["copy_s"] = time.perf_counter() - t0
        load["remote"]["copied_quads"] = copied
        print(
            f"  remote: copied {copied:,} quads in {load['remote']['copy_s']:.1f} s",
            file=sys.stderr,
        )
        rows: list[dict[str, object]] = []
        count = compare(stores, COUNT_ALL, reps)
        rows.append({"query": "full quad count", **count})
        for name, query in queries.catalogue().items():
            if only and name not in only:
                continue
            values = {
                p.name: BENCH_VALUES[p.type]
                for p in query.parameters
                if p.required and p.default is None and p.type in BENCH_VALUES
            }
            sparql = queries.with_values(query.sparql, queries.bind(query, values))
            try:
                row = {"query": name, **compare(stores, sparql, reps)}
            except PledgeGraphError as error:  # e.g. the remote request timed out
                rows.append({"query": name, "failed": error.message})
                print(f"  {name}: failed: {error.message}", file=sys.stderr, flush=True)
                continue
            rows.append(row)
            print(
                f"  {name}: embedded {row['embedded_s'] * 1000:.1f} ms,"  # type: ignore[operator]
                f" remote {row['remote_s'] * 1000:.1f} ms ({row['ratio']:.2f}x),"
                f" {row['rows']} rows, same: {row['same_rows']}",
                file=sys.stderr,
                flush=True,
            )
        stores["embedded"].close()  # type: ignore[attr-defined]
    finally:
        process.terminate()
        process.wait(timeout=30)
        remove(scratch)
    return {
        "size": size,
        "data": meta,
        "sheets": len(sheets),
        "union": os.environ.get("PLEDGEGRAPH_STORE_UNION") or "auto (param on Oxigraph)",
        "load": load,
        "rows": rows,
        "machine": machine(),
    }


def table(results: dict) -> str:  # type: ignore[type-arg]
    load = results["load"]
    lines = [
        f"Data: {results['size']} ({results['sheets']} sheets), union mode: {results['union']}.",
        "",
        "| step | embedded s | remote s | remote/embedded |",
        "|---|---|---|---|",
    ]
    for step in ("first_use_s", "load_s"):
        e, r = load["embedded"][step], load["remote"][step]
        lines.append(f"| {step[:-2].replace('_', ' ')} | {e:.1f} | {r:.1f} | {r / e:.2f}x |")
    lines.append(
        f"| copy of the graph into memory (validate) | | {load['remote']['copy_s']:.1f}"
        f" ({load['remote']['copied_quads']:,} quads) | |"
    )
    lines += [
        "",
        "| question | rows | same rows | embedded ms | remote ms | remote/embedded |",
        "|---|---|---|---|---|---|",
    ]
    for row in results["rows"]:
        if "failed" in row:
            lines.append(f"| {row['query']} | failed: {row['failed']} | | | | |")
            continue
        lines.append(
            f"| {row['query']} | {row['rows']:,} | {'yes' if row['same_rows'] else 'NO'}"
            f" | {row['embedded_s'] * 1000:.1f} ×{row['reps']} | {row['remote_s'] * 1000:.1f}"
            f" ×{row['reps']} | {row['ratio']:.2f}x |"
        )
    ratios = sorted(row["ratio"] for row in results["rows"] if "ratio" in row)
    lines.append("")
    lines.append(
        f"Median ratio over the {len(ratios)} rows: {median(ratios):.2f}x"
        f" (min {ratios[0]:.2f}x, max {ratios[-1]:.2f}x)."
    )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="100k")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--union", choices=("auto", "param", "graphs"), default="auto")
    parser.add_argument("--questions", default="", help="comma-separated names (default: all)")
    args = parser.parse_args()
    os.environ["PLEDGEGRAPH_STORE_UNION"] = args.union
    os.environ.setdefault("PLEDGEGRAPH_STORE_TIMEOUT", "600")
    only = {q for q in args.questions.split(",") if q}
    results = bench(args.size, args.reps, only)
    results["union"] = args.union
    command = f"python {rel(__file__)} --size {args.size} --reps {args.reps} --union {args.union}"
    if only:
        command += f" --questions {args.questions}"
    results["command"] = command
    results["markdown"] = table(results)
    suffix = ("" if args.union == "auto" else f"-{args.union}") + ("-some" if only else "")
    save(f"remote-{args.size}{suffix}", results)
    print(command)
    print(results["markdown"])


if __name__ == "__main__":
    main()
