"""Export speed and peak memory: ``pledgegraph.graph.export.write_export`` against the raw library.

    python bench/bench_export.py --sizes 100k,1m                # every format, 3 runs each
    python bench/bench_export.py --sizes 1m --formats nquads,turtle --runs 3

The store of a size is the data set of ``generate.py`` (``all.nq``: source and reference graphs)
bulk-loaded with the ontology into ``bench/data/export-<size>/`` once. Every measurement is a
fresh child process (wall time of the export call only; peak RSS of the whole child), ours and
the baseline interleaved, alternating which goes first. Baselines, on the same store object:

- nquads: ``Store.dump(f, RdfFormat.N_QUADS)`` (pyoxigraph's dump of the whole dataset);
- ntriples, turtle, trig, rdfxml: ``Store.dump(f, format, from_graph=g)`` for every graph, one
  after the other into one file (the raw dump cannot merge graphs, sort, or drop repeats);
- jsonld: rdflib's compacted JSON-LD of the same triples with the same context
  (``Graph.serialize(format="json-ld", context=…, auto_compact=True)``), timing only
  ``serialize`` (building the rdflib graph is not counted).

A ratio is baseline time / our time (1.0 = as fast as the baseline; higher is faster). The
CPU seconds of the same span (``time.process_time``: every thread of the child) are printed too:
on a loaded machine they vary less than wall time, and they show what the threads add (our
JSON-LD export dumps graphs in two threads while it writes).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import DATA, PYTHON, machine, mb, median, remove, spawn

FORMATS = ("nquads", "ntriples", "turtle", "trig", "rdfxml", "jsonld")
TARGETS = {"nquads": 0.8, "ntriples": 0.8, "turtle": 0.5, "jsonld": 3.0}
PEAK_LIMIT_MB = 1536


def store_dir(size: str) -> Path:
    """The store of ``size`` (built once from the generated data set)."""
    target = DATA / f"export-{size}" / "store"
    done = target.parent / "built.json"
    source = DATA / size / "all.nq"
    if not source.exists():
        spawn([PYTHON, str(Path(__file__).parent / "generate.py"), "--size", size])
    stamp = {"source": str(source), "bytes": source.stat().st_size}
    if done.exists() and json.loads(done.read_text()) == stamp:
        return target
    remove(target.parent)
    target.parent.mkdir(parents=True)
    code = (
        "import sys, pyoxigraph as ox\n"
        "from pledgegraph.graph.store import Store\n"
        "s = Store.open(sys.argv[1], initialise=False)\n"
        "s.load_ontology()\n"
        "s.inner.bulk_load(path=sys.argv[2], format=ox.RdfFormat.N_QUADS)\n"
        "s.close()\n"
    )
    spawn([PYTHON, "-c", code, str(target), str(source)])
    done.write_text(json.dumps(stamp))
    return target


def child(mode: str, fmt: str, store: str, out: str) -> None:
    """Run one export in this process; print {"seconds": …, "bytes": …} last."""
    import pyoxigraph as ox

    from pledgegraph.graph.export import context, export_graphs, write_export
    from pledgegraph.graph.formats import RDF_FORMATS
    from pledgegraph.graph.store import Store

    opened = Store.open(store, initialise=False)
    cpu = time.process_time()
    if mode == "ours":
        with open(out, "wb") as handle:
            started = time.perf_counter()
            write_export(opened, handle, fmt)
            handle.flush()
            seconds = time.perf_counter() - started
    elif fmt == "jsonld":
        import rdflib

        from pledgegraph.graph.reasoning.owlrl import to_rdflib

        graph = rdflib.Graph()
        for g in export_graphs(opened):
            for q in opened.inner.quads_for_pattern(None, None, None, g):
                graph.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
        started = time.perf_counter()
        cpu = time.process_time()
        text = graph.serialize(format="json-ld", context=context(), auto_compact=True)
        with open(out, "w", encoding="utf-8") as handle:
            handle.write(text)
        seconds = time.perf_counter() - started
    else:
        with open(out, "wb") as handle:
            started = time.perf_counter()
            if fmt == "nquads":
                opened.inner.dump(handle, ox.RdfFormat.N_QUADS)
            else:
                for g in export_graphs(opened):
                    opened.inner.dump(handle, RDF_FORMATS[fmt], from_graph=g)
            handle.flush()
            seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu
    opened.close()
    print(json.dumps({"seconds": seconds, "cpu": cpu, "bytes": Path(out).stat().st_size}))


def measure(size: str, formats: list[str], runs: int) -> list[dict[str, object]]:
    store = str(store_dir(size))
    out = str(DATA / f"export-{size}" / "out")
    rows = []
    for fmt in formats:
        times: dict[str, list[float]] = {"ours": [], "raw": []}
        cpus: dict[str, list[float]] = {"ours": [], "raw": []}
        peaks: dict[str, list[float]] = {"ours": [], "raw": []}
        sizes: dict[str, int] = {}
        for n in range(runs):
            order = ("ours", "raw") if n % 2 == 0 else ("raw", "ours")
            for mode in order:
                run = spawn([PYTHON, __file__, "--child", mode, fmt, store, out], timeout=900)
                result = json.loads(run.stdout.strip().splitlines()[-1])
                times[mode].append(result["seconds"])
                cpus[mode].append(result["cpu"])
                peaks[mode].append(mb(run.maxrss_kb))
                sizes[mode] = result["bytes"]
                print(f"  {size} {fmt} {mode}: {result['seconds']:.2f} s "
                      f"(CPU {result['cpu']:.2f} s), {mb(run.maxrss_kb):.0f} MB",
                      file=sys.stderr)  # fmt: skip
        ours, raw = median(times["ours"]), median(times["raw"])
        rows.append({
            "size": size, "format": fmt, "runs": runs,
            "ours_s": ours, "ours_min_max": [min(times["ours"]), max(times["ours"])],
            "raw_s": raw, "raw_min_max": [min(times["raw"]), max(times["raw"])],
            "ratio": raw / ours, "target": TARGETS.get(fmt),
            "ours_cpu_s": median(cpus["ours"]), "raw_cpu_s": median(cpus["raw"]),
            "ours_peak_mb": max(peaks["ours"]), "raw_peak_mb": max(peaks["raw"]),
            "ours_bytes": sizes["ours"], "raw_bytes": sizes["raw"],
        })  # fmt: skip
    remove(out)
    return rows


def table(rows: list[dict[str, object]]) -> str:
    lines = [
        "| size | format | ours (median, min–max) | baseline | ratio | target | CPU ours / baseline "
        "| peak ours / baseline |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        target = r["target"]
        ok = ""
        if isinstance(target, float):
            ok = " ✓" if float(r["ratio"]) >= target else " ✗"  # type: ignore[arg-type]
        lo, hi = r["ours_min_max"]  # type: ignore[misc]
        rlo, rhi = r["raw_min_max"]  # type: ignore[misc]
        lines.append(
            f"| {r['size']} | {r['format']} | {r['ours_s']:.2f} s ({lo:.2f}–{hi:.2f}) ×{r['runs']} "
            f"| {r['raw_s']:.2f} s ({rlo:.2f}–{rhi:.2f}) | {r['ratio']:.2f}x{ok} "
            f"| {'≥ ' + str(target) + 'x' if target else '—'} "
            f"| {r['ours_cpu_s']:.2f} / {r['raw_cpu_s']:.2f} s "
            f"| {r['ours_peak_mb']:.0f} / {r['raw_peak_mb']:.0f} MB"
            f"{' ✓' if float(r['ours_peak_mb']) < PEAK_LIMIT_MB else ' ✗'} |"  # type: ignore[arg-type]
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100k")
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", nargs=4, metavar=("MODE", "FORMAT", "STORE", "OUT"))
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    rows = []
    for size in args.sizes.split(","):
        rows += measure(size, args.formats.split(","), args.runs)
    print("command: python bench/bench_export.py " + " ".join(sys.argv[1:]))
    print("machine: " + json.dumps(machine()))
    print(table(rows))
    out = DATA.parent / "out"
    out.mkdir(exist_ok=True)
    (out / "export.json").write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
