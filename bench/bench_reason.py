"""OWL 2 RL reasoning: owlrl (the reference, pure Python) against ``pledgegraph reason``.

    python bench/bench_reason.py                    # owlrl 1k/10k/100k, ours 1k..1M
    python bench/bench_reason.py --owlrl-timeout 600 --reps 3

Inputs: "1k" is a fresh store (the ontology and the bundled seed sheet); "10k", "100k" and "1m"
add the generated data of bench/generate.py (bench/data/<size>/all.nq, exactly what loading
its fact sheets writes). Every measurement runs in a child process, so each has its own peak
resident memory:

- **owlrl**: the store's triples in an rdflib Graph (conversion not timed), then
  ``owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)`` timed; killed after
  ``--owlrl-timeout`` seconds, and reported as such.
- **ours**: a persistent store on disk (built beforehand with ``bulk_load``, not timed), the
  inferred graph dropped, then ``materialise(store)`` timed (median of ``--reps`` runs).

Where both finish, their entailments are compared (owlrl's minus its trivial triples, as in
tests/test_reason.py) and the table says whether they are identical. Prints a Markdown table,
the machine and the command; saves bench/out/reason.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from common import DATA, PYTHON, fresh_dir, machine, mb, median, remove, save

SIZES = ("1k", "10k", "100k", "1m")
OWLRL_SIZES = ("1k", "10k", "100k")


# --- the children ------------------------------------------------------------------------------


def _fill(store_path: str | None, size: str) -> Any:
    """A store holding the ontology, the seed sheet and the generated data of ``size``."""
    import pyoxigraph as ox

    from pledgegraph.graph.store import Store

    store = Store.open(store_path) if store_path else Store.memory()
    if size != "1k":
        store.inner.bulk_load(path=str(DATA / size / "all.nq"), format=ox.RdfFormat.N_QUADS)
    return store


def child_build(store_path: str, size: str) -> dict[str, Any]:
    store = _fill(store_path, size)
    quads = len(store.inner)
    store.close()
    return {"quads": quads}


def child_owlrl(size: str, out: str) -> dict[str, Any]:
    """owlrl's closure of a store's triples; its non-trivial additions written to ``out``."""
    import owlrl
    import pyoxigraph as ox
    import rdflib

    from pledgegraph.graph.reasoning.owlrl import from_rdflib, is_trivial, to_graph

    store = _fill(None, size)
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in store.inner}
    graph = to_graph(triples)
    before = set(graph)
    started = time.perf_counter()
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    seconds = time.perf_counter() - started
    errors = set(graph.subjects(rdflib.RDF.type, rdflib.URIRef(
        "http://www.daml.org/2002/03/agents/agent-ont#ErrorMessage")))  # fmt: skip
    added = [t for t in graph if t not in before and t[0] not in errors]
    kept = [t for t in added if not is_trivial(t)]
    with open(out, "w", encoding="utf-8") as handle:
        for t in kept:
            s, p, o = (from_rdflib(x) for x in t)
            handle.write(f"{ox.Triple(s, p, o)} .\n")
    return {
        "triples": len(before),
        "seconds": seconds,
        "added": len(added),
        "nontrivial": len(kept),
    }


def child_ours(store_path: str, out: str | None) -> dict[str, Any]:
    """``materialise`` on a persistent store whose inferred graph was dropped first."""
    import pyoxigraph as ox

    from pledgegraph.graph.reasoning.engine import materialise
    from pledgegraph.graph.store import Store
    from pledgegraph.ontology import INFERRED_GRAPH

    store = Store.open(store_path)
    store.inner.remove_graph(ox.NamedNode(INFERRED_GRAPH))
    store.inner.flush()
    quads = len(store.inner)
    report = materialise(store)
    if out:
        with open(out, "w", encoding="utf-8") as handle:
            for q in store.quads(INFERRED_GRAPH):
                handle.write(f"{ox.Triple(q.subject, q.predicate, q.object)} .\n")
    store.close()
    return {
        "quads": quads,
        "seconds": report.seconds,
        "inferred": report.inferred,
        "rounds": report.rounds,
        "engine": report.engine,
    }


# --- the parent --------------------------------------------------------------------------------


def run_child(
    args: list[str], timeout: float | None = None
) -> tuple[dict[str, Any] | None, float, int]:
    """Run this script as a child; (its JSON result or None on timeout, wall s, peak RSS kB)."""
    argv = [PYTHON, str(Path(__file__).resolve()), "--child", *args]
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = None if timeout is None else started + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if deadline is not None and time.perf_counter() > deadline:
            process.kill()
            _, status, usage = os.wait4(process.pid, 0)
            return None, time.perf_counter() - started, usage.ru_maxrss
        time.sleep(0.2)
    wall = time.perf_counter() - started
    out = process.stdout.read().decode() if process.stdout else ""
    err = process.stderr.read().decode() if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{err[-3000:]}")
    return json.loads(out.strip().splitlines()[-1]), wall, usage.ru_maxrss


def _lines(path: str) -> set[str]:
    return set(Path(path).read_text(encoding="utf-8").splitlines())


def measure(reps: int, owlrl_timeout: float, sizes: tuple[str, ...]) -> dict[str, Any]:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from generate import ensure

    for size in sizes:
        if size != "1k":
            ensure(size)
    scratch = Path(fresh_dir("reason-"))
    results: dict[str, Any] = {"owlrl": {}, "ours": {}, "identical": {}}
    try:
        for size in sizes:
            store_path = str(scratch / f"store-{size}")
            build, _, _ = run_child(["build", store_path, size])
            assert build is not None
            ours_out = str(scratch / f"ours-{size}.nt")
            runs = []
            for rep in range(reps):
                result, wall, rss = run_child(["ours", store_path, ours_out if rep == 0 else ""])
                assert result is not None
                runs.append((result, wall, rss))
                print(f"ours {size}: {result['seconds']:.2f} s", file=sys.stderr)
            seconds = median([float(r[0]["seconds"]) for r in runs])
            results["ours"][size] = {
                **runs[0][0],
                "seconds": seconds,
                "runs": [round(float(r[0]["seconds"]), 3) for r in runs],
                "peak_mb": round(mb(max(r[2] for r in runs)), 1),
                "store_quads": build["quads"],
            }
            remove(store_path)
            if size in OWLRL_SIZES:
                owlrl_out = str(scratch / f"owlrl-{size}.nt")
                result, wall, rss = run_child(["owlrl", size, owlrl_out], timeout=owlrl_timeout)
                if result is None:
                    results["owlrl"][size] = {
                        "timeout": owlrl_timeout,
                        "peak_mb": round(mb(rss), 1),
                    }
                    print(f"owlrl {size}: timed out after {owlrl_timeout:.0f} s", file=sys.stderr)
                else:
                    results["owlrl"][size] = {**result, "peak_mb": round(mb(rss), 1)}
                    print(f"owlrl {size}: {result['seconds']:.1f} s", file=sys.stderr)
                    results["identical"][size] = _lines(owlrl_out) == _lines(ours_out)
    finally:
        remove(scratch)
    return results


def table(results: dict[str, Any]) -> str:
    owl: dict[str, dict[str, Any]] = results["owlrl"]
    ours: dict[str, dict[str, Any]] = results["ours"]
    same: dict[str, bool] = results["identical"]
    rows = [
        "| input (store quads) | owlrl | owlrl peak RSS | ours (persistent store) | ours peak RSS "
        "| inferred triples | rounds | ratio | identical entailments |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for size in SIZES:
        if size not in ours:
            continue
        o = ours[size]
        w = owl.get(size)
        if w is None:
            owl_s, owl_mb, ratio = "not run", "", ""
        elif "timeout" in w:
            owl_s = f"> {float(w['timeout']):.0f} s (killed)"
            owl_mb = f"{w['peak_mb']} MB"
            ratio = f"> {float(w['timeout']) / float(o['seconds']):.0f}x"
        else:
            owl_s = f"{float(w['seconds']):.2f} s"
            owl_mb = f"{w['peak_mb']} MB"
            ratio = f"{float(w['seconds']) / float(o['seconds']):.0f}x"
        identical = "n/a" if size not in same else "yes" if same[size] else "NO"
        rows.append(
            f"| {size} ({int(o['store_quads']):,}) | {owl_s} | {owl_mb} | "
            f"{float(o['seconds']):.2f} s | {o['peak_mb']} MB | {int(o['inferred']):,} | "
            f"{o['rounds']} | {ratio} | {identical} |"
        )
    return "\n".join(rows)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        kind, *rest = sys.argv[2:]
        if kind == "build":
            result = child_build(rest[0], rest[1])
        elif kind == "owlrl":
            result = child_owlrl(rest[0], rest[1])
        else:
            result = child_ours(rest[0], rest[1] or None)
        print(json.dumps(result))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=3, help="runs of ours per size (median)")
    parser.add_argument("--owlrl-timeout", type=float, default=600.0, help="seconds per owlrl run")
    parser.add_argument("--size", action="append", choices=SIZES, help="only these sizes")
    args = parser.parse_args()
    sizes = tuple(args.size) if args.size else SIZES
    load_before = os.getloadavg()
    results = measure(args.reps, args.owlrl_timeout, sizes)
    info = machine()
    info["load average at start"] = " ".join(f"{x:.2f}" for x in load_before)
    command = "python bench/bench_reason.py " + " ".join(sys.argv[1:])
    save("reason", {"results": results, "machine": info, "command": command.strip()})
    print(table(results))
    print()
    print(f"Command: `{command.strip()}`")
    print()
    print("Machine: " + "; ".join(f"{k}: {v}" for k, v in info.items()))


if __name__ == "__main__":
    main()
