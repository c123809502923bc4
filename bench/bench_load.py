"""(a) Load throughput and (d) its peak memory: fact sheets and RDF files through pledgegraph
against pyoxigraph's raw ``bulk_load`` of the same N-Triples, in the same run.

    python bench/bench_load.py                         # all sizes, table on stdout + bench/out/load.json
    python bench/bench_load.py --sizes 100k --reps 5
    python bench/bench_load.py --one factsheet --size 1m   # one measurement (what the parent runs)
    python bench/bench_load.py --one profile --size 100k   # cProfile of the fact-sheet path
    python bench/bench_load.py --cli --sizes 100k,1m --reps 100k=3,1m=2   # validated CLI loads

``--cli`` (issue 12, validated loads) times what a user runs, ``pledgegraph --store S load
--lenient [--shacl-engine E | --no-shapes] sheets/`` (the folder of the data set), as a whole
process, against raw ``bulk_load`` of the same triples (``raw-nt`` above) in the same run, and
reads each process's peak RSS and CPU time (user + system: steadier than wall time on a
shared machine, where a busy neighbour stretches wall time more for a longer run).
``--lenient`` because the generated sheets break rules on purpose (deadlines before
announcements): every sheet is validated and loaded, warnings printed. The store is created (ontology and bundled data) before the timed load. Two ratios:
against the ``bulk_load`` call alone (strict), and against the whole raw child process (Python
start, imports, open, load, close: what a process-to-process comparison sees).

Methods (each one run in a fresh child process, into a fresh store directory):

- ``raw-nt``    ``pyoxigraph.Store(dir).bulk_load(path=all.nt, format=N_TRIPLES, to_graph=G)``
- ``rdf-nt``    ``Store.open(dir, initialise=False).load_rdf(all.nt)``
- ``factsheet`` ``Store.open(dir, initialise=False)``, then for every sheet
                ``store.load_factsheet(read_factsheet(path))`` (parse and write timed apart)
- ``raw-nq``    ``pyoxigraph.Store(dir).bulk_load(path=all.nq, format=N_QUADS)`` (extra)
- ``rdf-nq``    ``Store.open(dir, initialise=False).load_rdf(all.nq)`` (extra)

Only the load calls are timed (not opening or closing the store). Each run checks that the store
then holds exactly the expected number of quads. Throughput is always distinct triples of the
data set per second, so every method is measured on the same amount of data.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

from common import (
    DATA,
    NT_GRAPH,
    PYTHON,
    child_json,
    fresh_dir,
    mb,
    median,
    rel,
    remove,
    save,
    verdict,
)

METHODS = ("raw-nt", "rdf-nt", "factsheet", "factsheets", "raw-nq", "rdf-nq")
EXTRAS = ("raw-nq", "rdf-nq")  # not run at 1m
TARGETS = {"rdf-nt": 0.8, "factsheet": 0.5, "factsheets": 0.5}  # minimum ratio ours/raw-nt
DEFAULT_REPS = {"10k": 5, "100k": 5, "1m": 3}
DESCRIBE = {
    "raw-nt": "pyoxigraph `bulk_load(path=all.nt, N_TRIPLES, to_graph=…)` (baseline)",
    "rdf-nt": "`Store.load_rdf(all.nt)`",
    "factsheet": "`load_factsheet(read_factsheet(p))` for each sheet",
    "factsheets": "`load_factsheets([read_factsheet(p) for p in sheets])` (batch)",
    "raw-nq": "pyoxigraph `bulk_load(path=all.nq, N_QUADS)` (extra)",
    "rdf-nq": "`Store.load_rdf(all.nq)` (extra)",
}


def _meta(size: str) -> dict:  # type: ignore[type-arg]
    return json.loads((DATA / size / "meta.json").read_text(encoding="utf-8"))


# --- one measurement (runs in the child) ------------------------------------------------------


def _index_quads(where: str, graph: str = f"<{NT_GRAPH}>") -> int:
    """Row index quads in the store at ``where`` (computed by the store, not in the file)."""
    import pyoxigraph as ox

    from pledgegraph.loaders.rdf import ROW_PREDICATES

    inner = ox.Store.read_only(str(next(Path(where).glob("db-*"), Path(where))))
    values = " ".join(f"<{p}>" for p in ROW_PREDICATES)
    rows = inner.query(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?p {{ {values} }} GRAPH {graph} {{ ?s ?p ?o }} }}"
    )
    return int(next(iter(rows))["n"].value)  # type: ignore[index, union-attr]


def _data_quads(inner: object, method: str) -> int:
    """Quads of the data set in the store: the N-Triples graph, or the source and reference
    graphs (the store may add graphs of its own on a load, such as links)."""
    from pledgegraph.ontology import REFERENCE_GRAPH, SOURCE_GRAPH

    if method.endswith("nt"):
        where = f"GRAPH <{NT_GRAPH}> {{ ?s ?p ?o }}"
    else:
        where = (
            f"GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), {json.dumps(SOURCE_GRAPH)})"
            f" || ?g = <{REFERENCE_GRAPH}>)"
        )
    rows = inner.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")  # type: ignore[attr-defined]
    return int(next(iter(rows))["n"].value)


def measure(method: str, size: str, where: str) -> dict:  # type: ignore[type-arg]
    import pyoxigraph as ox

    from pledgegraph.graph.store import Store
    from pledgegraph.loaders.factsheet import read_factsheet

    folder = DATA / size
    meta = _meta(size)
    nt, nq = str(folder / "all.nt"), str(folder / "all.nq")
    result: dict[str, object] = {"method": method, "size": size}
    if method.startswith("rdf"):  # (made before the clock starts: a user's file has no index)
        from generate import without_index

        data_file = str(without_index(Path(nt if method == "rdf-nt" else nq)))
    started = time.perf_counter()
    if method.startswith("raw"):
        inner = ox.Store(where)
        opened = time.perf_counter()
        if method == "raw-nt":
            inner.bulk_load(path=nt, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(NT_GRAPH))
        else:
            inner.bulk_load(path=nq, format=ox.RdfFormat.N_QUADS)
        loaded = time.perf_counter()
        quads, total = _data_quads(inner, method), len(inner)
        inner.flush()
        del inner
    else:
        store = Store.open(where, initialise=False)
        opened = time.perf_counter()
        if method == "factsheet":
            sheets = sorted((folder / "sheets").glob("*.pledges.yaml"))
            parse_s = write_s = 0.0
            for path in sheets:
                t0 = time.perf_counter()
                sheet = read_factsheet(str(path))
                t1 = time.perf_counter()
                store.load_factsheet(sheet)
                t2 = time.perf_counter()
                parse_s += t1 - t0
                write_s += t2 - t1
            result.update(parse_s=parse_s, write_s=write_s, sheets=len(sheets))
        elif method == "factsheets":
            sheets = sorted((folder / "sheets").glob("*.pledges.yaml"))
            t0 = time.perf_counter()
            parsed = [read_factsheet(str(path)) for path in sheets]
            t1 = time.perf_counter()
            store.load_factsheets(parsed)  # type: ignore[attr-defined]
            result.update(parse_s=t1 - t0, write_s=time.perf_counter() - t1, sheets=len(sheets))
        else:
            store.load_rdf(data_file)
        loaded = time.perf_counter()
        quads, total = _data_quads(store.inner, method), len(store.inner)
        store.close()
    closed = time.perf_counter()
    expected = meta["triples"] if method.endswith("nt") else meta["quads"]
    if method.startswith("rdf"):  # the file's data quads, the index the store computes
        with open(data_file, encoding="utf-8") as lines:
            expected = sum(1 for _ in lines)
        quads -= _index_quads(where, f"<{NT_GRAPH}>" if method == "rdf-nt" else "?g")
    result.update(
        open_s=opened - started,
        load_s=loaded - opened,
        close_s=closed - loaded,
        quads=quads,
        store_quads=total,
        expected=expected,
        ok=quads == expected,
        self_maxrss_kb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    )
    return result


def profile(size: str, where: str, top: int = 25) -> dict:  # type: ignore[type-arg]
    """cProfile of the fact-sheet path: cumulative time of the steps, and the top functions."""
    import cProfile
    import pstats

    from pledgegraph.graph.store import Store
    from pledgegraph.loaders.factsheet import read_factsheet

    sheets = sorted((DATA / size / "sheets").glob("*.pledges.yaml"))
    store = Store.open(where, initialise=False)

    def load_all_sheets() -> None:
        for path in sheets:
            store.load_factsheet(read_factsheet(str(path)))

    profiler = cProfile.Profile()
    profiler.runcall(load_all_sheets)
    store.close()
    stats = pstats.Stats(profiler)
    entries = stats.stats  # type: ignore[attr-defined]
    total = next(v[3] for k, v in entries.items() if k[2] == "load_all_sheets")

    def name(key: tuple[str, int, str]) -> str:
        file, line, func = key
        if file == "~":
            return func
        return f"{'/'.join(Path(file).parts[-2:])}:{line}({func})"

    # Every function of pledgegraph (store, loaders) and the pyoxigraph / yaml / os calls they
    # make, by cumulative time: robust to the store's internals changing.
    ours = ("/graph/", "/loaders/", "/pledgegraph/")
    foreign = {"compose", "fsync", "replace"}
    rows = []
    for key, (_cc, nc, tt, ct, _callers) in entries.items():
        file, _line, func = key
        mine = any(part in file for part in ours) and "site-packages" not in file
        native = file == "~" and ("pyoxigraph" in func or any(f in func for f in foreign))
        wanted = mine or native or (func == "compose" and file.endswith("yaml/__init__.py"))
        if wanted and ct >= 0.01 * total and func != "load_all_sheets":
            rows.append(
                {"step": name(key), "calls": nc, "cumtime": ct, "share": ct / total, "tottime": tt}
            )
    rows.sort(key=lambda r: r["cumtime"], reverse=True)
    hottest = sorted(entries.items(), key=lambda kv: kv[1][2], reverse=True)[:top]
    return {
        "size": size,
        "sheets": len(sheets),
        "total_s": total,
        "steps": rows,
        "top_tottime": [
            {"function": name(key), "calls": nc, "tottime": tt, "cumtime": ct}
            for key, (_cc, nc, tt, ct, _callers) in hottest
        ],
    }


# --- the parent: repeated child runs, medians, tables -----------------------------------------


def run_sizes(sizes: list[str], reps: dict[str, int], methods: list[str]) -> dict:  # type: ignore[type-arg]
    from generate import ensure

    results: dict[str, object] = {"sizes": {}}
    for size in sizes:
        meta = ensure(size)
        # the extras (N-Quads) only below 1m: keeps this script under ~10 minutes
        chosen = [m for m in methods if size != "1m" or m not in EXTRAS]
        runs: dict[str, list[dict]] = {m: [] for m in chosen}  # type: ignore[type-arg]
        for rep in range(reps.get(size, 3)):
            order = chosen if rep % 2 == 0 else list(reversed(chosen))
            for method in order:
                where = fresh_dir(f"load-{method}-")
                try:
                    data, run = child_json(
                        [PYTHON, __file__, "--one", method, "--size", size, "--store", where]
                    )
                finally:
                    remove(where)
                data.update(wall=run.wall, maxrss_kb=run.maxrss_kb)
                if not data["ok"]:
                    raise SystemExit(
                        f"{method} {size}: {data['quads']} quads, expected {data['expected']}"
                    )
                runs[method].append(data)
                print(
                    f"  {size} {method:9} rep {rep + 1}: load {data['load_s']:.2f} s,"
                    f" peak {mb(run.maxrss_kb):.0f} MB",
                    file=sys.stderr,
                )
        results["sizes"][size] = {"meta": meta, "runs": runs}  # type: ignore[index]
    return results


def summarise(results: dict) -> dict:  # type: ignore[type-arg]
    for _size, block in results["sizes"].items():
        meta, runs = block["meta"], block["runs"]
        triples = meta["triples"]
        summary = {}
        raw = median([r["load_s"] for r in runs["raw-nt"]]) if runs.get("raw-nt") else None
        for method, items in runs.items():
            if not items:
                continue
            load_s = median([r["load_s"] for r in items])
            row = {
                "reps": len(items),
                "load_s": load_s,
                "min_s": min(r["load_s"] for r in items),
                "max_s": max(r["load_s"] for r in items),
                "triples_per_s": triples / load_s,
                "ratio": (raw / load_s) if raw else None,
                "maxrss_mb": mb(max(r["maxrss_kb"] for r in items)),
                "maxrss_median_mb": mb(median([r["maxrss_kb"] for r in items])),
            }
            if method in ("factsheet", "factsheets"):
                row["parse_s"] = median([r["parse_s"] for r in items])
                row["write_s"] = median([r["write_s"] for r in items])
            summary[method] = row
        block["summary"] = summary
    return results


def table(results: dict) -> str:  # type: ignore[type-arg]
    lines = [
        "| data | method | median load s (min–max) | triples/s | ours/raw | target | result | peak RSS MB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for size, block in results["sizes"].items():
        meta = block["meta"]
        label = f"{size}: {meta['triples']:,} triples / {meta['sheets']} sheets"
        for method, row in block["summary"].items():
            target = TARGETS.get(method)
            ratio = row["ratio"]
            result = verdict(ratio >= target) if target and ratio else ""
            lines.append(
                f"| {label} | {DESCRIBE[method]} | {row['load_s']:.2f} ({row['min_s']:.2f}–{row['max_s']:.2f})"
                f" ×{row['reps']} | {row['triples_per_s']:,.0f} | {ratio:.2f}x"
                f" | {f'≥ {target:.1f}x' if target else '—'} | {result} | {row['maxrss_mb']:.0f} |"
            )
    lines += [
        "",
        "Fact-sheet paths, split (medians, seconds): parse = `read_factsheet` (all sheets),"
        " write = `load_factsheet` (summed) or `load_factsheets` (one call).",
        "",
        "| data | method | parse s | write s | parse share |",
        "|---|---|---|---|---|",
    ]
    for size, block in results["sizes"].items():
        for method in ("factsheet", "factsheets"):
            row = block["summary"].get(method)
            if row:
                total = row["parse_s"] + row["write_s"]
                lines.append(
                    f"| {size} | {method} | {row['parse_s']:.2f} | {row['write_s']:.2f}"
                    f" | {row['parse_s'] / total:.0%} |"
                )

    return "\n".join(lines) + "\n"


def profile_table(prof: dict) -> str:  # type: ignore[type-arg]
    lines = [
        f"cProfile of the fact-sheet load, {prof['size']} ({prof['sheets']} sheets),"
        f" {prof['total_s']:.2f} s under the profiler (which inflates pure-Python code):",
        "",
        "| function (pledgegraph, and the pyoxigraph/yaml/os calls) | calls | cumulative s | share |",
        "|---|---|---|---|",
    ]
    for row in prof["steps"]:
        lines.append(
            f"| `{row['step']}` | {row['calls']} | {row['cumtime']:.2f} | {row['share']:.0%} |"
        )
    lines += [
        "",
        "Top functions by own time:",
        "",
        "| function | calls | own s | cumulative s |",
        "|---|---|---|---|",
    ]
    for row in prof["top_tottime"][:12]:
        lines.append(
            f"| `{row['function']}` | {row['calls']} | {row['tottime']:.2f} | {row['cumtime']:.2f} |"
        )
    return "\n".join(lines) + "\n"


# --- validated loads through the CLI (issue 12) ------------------------------------------------

CLI_MODES = {  # mode -> extra load options
    "shacl": ["--shacl-engine", "shacl"],
    "pyshacl": ["--shacl-engine", "pyshacl"],
    "no-shapes": ["--no-shapes"],
}
CLI_DESCRIBE = {
    "shacl": "`pledgegraph load --lenient DIR` (validation on; the shacl screen, the default)",
    "pyshacl": "`pledgegraph load --lenient --shacl-engine pyshacl DIR` (validation on)",
    "no-shapes": "`pledgegraph load --lenient --no-shapes DIR` (rules only)",
}


def run_cli(sizes: list[str], reps: dict[str, int], modes: list[str]) -> dict:  # type: ignore[type-arg]
    from common import BIN, spawn
    from generate import ensure

    pledgegraph = str(BIN / "pledgegraph")
    results: dict[str, object] = {"sizes": {}}
    for size in sizes:
        meta = ensure(size)
        sheets = str(DATA / size / "sheets")
        chosen = [m for m in modes if not (size == "1m" and m == "pyshacl")]  # ~500 s a run
        runs: dict[str, list[dict]] = {m: [] for m in ["raw-nt", *chosen]}  # type: ignore[type-arg]
        for rep in range(reps.get(size, 3)):
            order = ["raw-nt", *chosen] if rep % 2 == 0 else [*reversed(chosen), "raw-nt"]
            for mode in order:
                where = fresh_dir(f"cli-{mode}-")
                try:
                    if mode == "raw-nt":
                        cpu = _children_cpu()
                        data, run = child_json(
                            [PYTHON, __file__, "--one", mode, "--size", size, "--store", where]
                        )
                        data.update(
                            wall=run.wall, maxrss_kb=run.maxrss_kb, cpu=_children_cpu() - cpu
                        )
                    else:
                        spawn([pledgegraph, "--store", where, "stats"])  # create: untimed
                        argv = [pledgegraph, "--store", where, "load", "--lenient"]
                        cpu = _children_cpu()
                        run = spawn([*argv, *CLI_MODES[mode], sheets], check=False)
                        cpu = _children_cpu() - cpu
                        last = run.stderr.strip().splitlines()[-1]
                        expected = f"{meta['sheets']} of {meta['sheets']} files loaded ("
                        if run.returncode != 0 or not last.startswith(expected):
                            raise SystemExit(f"{mode} {size}: exit {run.returncode}: {last}")
                        data = {
                            "wall": run.wall,
                            "maxrss_kb": run.maxrss_kb,
                            "cpu": cpu,
                            "summary": last,
                        }
                finally:
                    remove(where)
                runs[mode].append(data)
                print(
                    f"  {size} {mode:9} rep {rep + 1}: {data['wall']:.2f} s wall"
                    + f", {data['cpu']:.2f} s CPU"
                    + (f" (bulk_load {data['load_s']:.2f} s)" if "load_s" in data else "")
                    + f", peak {mb(data['maxrss_kb']):.0f} MB",
                    file=sys.stderr,
                )
        results["sizes"][size] = {"meta": meta, "runs": runs}  # type: ignore[index]
    return results


def _children_cpu() -> float:
    """CPU seconds (user + system) of the children waited for so far (with theirs)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cli_table(results: dict) -> str:  # type: ignore[type-arg]
    lines = [
        "| data | what | median s (min–max) | bulk_load call / this | raw process / this "
        "| target ≥ 0.5x | peak RSS MB | CPU s (raw process CPU / this) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for size, block in results["sizes"].items():
        runs, meta = block["runs"], block["meta"]
        raw_call = median([r["load_s"] for r in runs["raw-nt"]])
        raw_wall = median([r["wall"] for r in runs["raw-nt"]])
        raw_cpu = median([r.get("cpu", 0.0) for r in runs["raw-nt"]])
        label = f"{size}: {meta['triples']:,} triples / {meta['sheets']} sheets"
        for mode, items in runs.items():
            walls = [r["wall"] for r in items]
            wall = median(walls)
            peak = mb(max(r["maxrss_kb"] for r in items))
            cpu = median([r.get("cpu", 0.0) for r in items])
            cpu_cell = f"{cpu:.2f} ({raw_cpu / cpu:.2f}x)" if cpu else "—"
            if mode == "raw-nt":
                lines.append(
                    f"| {label} | raw `bulk_load` child process (the call alone: "
                    f"{raw_call:.2f} s) | {wall:.2f} ({min(walls):.2f}–{max(walls):.2f}) ×"
                    f"{len(items)} | — | 1.00x | | {peak:.0f} | {cpu_cell} |"
                )
                continue
            strict = raw_call / wall
            lines.append(
                f"| {label} | {CLI_DESCRIBE[mode]} | {wall:.2f} ({min(walls):.2f}–"
                f"{max(walls):.2f}) ×{len(items)} | {strict:.2f}x | {raw_wall / wall:.2f}x"
                f" | {verdict(strict >= 0.5)} | {peak:.0f} | {cpu_cell} |"
            )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--one", choices=[*METHODS, "profile"], help="run one measurement")
    parser.add_argument("--size", default="100k")
    parser.add_argument("--store", help="store directory for --one (default: a fresh one)")
    parser.add_argument("--sizes", default="100k,1m")
    parser.add_argument("--reps", help="repetitions per size, e.g. 100k=5,1m=3")
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument(
        "--profile-size", default="100k", help="size for the cProfile run ('' to skip)"
    )
    parser.add_argument("--cli", action="store_true", help="validated loads through the CLI")
    parser.add_argument("--modes", default=",".join(CLI_MODES), help="for --cli")
    args = parser.parse_args()

    if args.cli:
        reps = dict(DEFAULT_REPS)
        if args.reps:
            reps.update({k: int(v) for k, v in (p.split("=") for p in args.reps.split(","))})
        sizes = [s for s in args.sizes.split(",") if s]
        results = run_cli(sizes, reps, [m for m in args.modes.split(",") if m])
        results["command"] = (
            f"python {rel(__file__)} --cli --sizes {args.sizes}"
            + (f" --reps {args.reps}" if args.reps else "")
            + f" --modes {args.modes}"
        )
        results["markdown"] = cli_table(results)
        save("load-cli", results)
        print(results["markdown"])
        return

    if args.one:
        where = args.store or fresh_dir("load-")
        try:
            data = (
                profile(args.size, where)
                if args.one == "profile"
                else measure(args.one, args.size, where)
            )
        finally:
            if not args.store:
                remove(where)
        print(json.dumps(data))
        return

    reps = dict(DEFAULT_REPS)
    if args.reps:
        reps.update({k: int(v) for k, v in (p.split("=") for p in args.reps.split(","))})
    sizes = [s for s in args.sizes.split(",") if s]
    methods = [m for m in args.methods.split(",") if m]
    results = summarise(run_sizes(sizes, reps, methods))
    results["command"] = f"python {rel(__file__)} --sizes {args.sizes}"
    text = table(results)
    if args.profile_size:
        from generate import ensure

        ensure(args.profile_size)
        prof, _run = child_json([PYTHON, __file__, "--one", "profile", "--size", args.profile_size])
        results["profile"] = prof
        text += "\n" + profile_table(prof)
    results["markdown"] = text
    save("load", results)
    print(text)


if __name__ == "__main__":
    main()
