"""(c) Wall time of the headline CLI question, with baselines, and (d) its peak memory.

    python bench/bench_cli.py                    # default store and the 1m store; table + bench/out/cli.json
    python bench/bench_cli.py --reps 21 --stores default

Every command is a fresh process (``posix_spawn``, timed from spawn to reap, stdout to a file;
not a terminal, so the CLI writes TSV), repeated ``reps`` times round-robin; medians:

- ``python -c pass``: the interpreter's floor;
- ``python -c "import pyoxigraph …; Store(path).query(Q, …)"``: the same bound SPARQL text,
  run with pyoxigraph directly and written as TSV: the floor of any Python CLI over this store;
- ``python -c "import pledgegraph.cli"``: our import cost;
- ``pledgegraph query parks-by-year`` with ``PLEDGEGRAPH_STORE`` set.

Stores: ``default`` is a fresh store (bench/data/store-default, removed and created once by
``pledgegraph stats`` before the timing: ontology + bundled seed sheet), ``1m`` the store of
``bench/stores.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

from common import BIN, DATA, PYTHON, mb, median, rel, remove, save, spawn, verdict

TARGET_S = 0.2
QUERY = "parks-by-year"
RAW_CODE = (
    "import sys, json, pyoxigraph as ox; "
    "r = ox.Store(sys.argv[1]).query(sys.argv[2], use_default_graph_as_union=True, "
    "prefixes=json.loads(sys.argv[3])); "
    "sys.stdout.buffer.write(r.serialize(format=ox.QueryResultsFormat.TSV))"
)


def _store_dirs(names: list[str]) -> dict[str, str]:
    from stores import ensure_store, store_path

    dirs = {}
    for name in names:
        if name == "default":
            path = DATA / "store-default"
            remove(path)
            env = dict(os.environ, PLEDGEGRAPH_STORE=str(path))
            spawn([str(BIN / "pledgegraph"), "stats"], env=env)  # creates and fills it, untimed
            dirs[name] = str(path)
        else:
            ensure_store(name)
            dirs[name] = str(store_path(name))
    return dirs


def _commands(store: str) -> dict[str, list[str]]:
    from pledgegraph import queries
    from pledgegraph.ontology import PREFIXES

    stored = queries.get(QUERY)
    sparql = queries.with_values(stored.sparql, queries.bind(stored, {}))
    return {
        "python -c pass": [PYTHON, "-c", "pass"],
        "python -c 'pyoxigraph Store(path).query(…)' (TSV out)": [
            PYTHON,
            "-c",
            RAW_CODE,
            store,
            sparql,
            json.dumps(PREFIXES),
        ],
        "python -c 'import pledgegraph.cli'": [PYTHON, "-c", "import pledgegraph.cli"],
        f"pledgegraph query {QUERY}": [str(BIN / "pledgegraph"), "query", QUERY],
    }


def _import_profile(env: dict[str, str]) -> list[dict]:  # type: ignore[type-arg]
    """The slowest top-level imports of ``pledgegraph query`` (``-X importtime``)."""
    run = spawn(
        [str(BIN / "pledgegraph"), "query", QUERY], env=dict(env, PYTHONPROFILEIMPORTTIME="1")
    )
    found: dict[str, int] = {}
    for line in run.stderr.splitlines():
        parts = line.split("|")
        if not line.startswith("import time:") or len(parts) != 3 or "cumulative" in line:
            continue
        module = parts[2][1:]  # one space after the bar, then two per nesting level
        depth = (len(module) - len(module.lstrip())) // 2
        if depth <= 1:  # top-level imports and what they import directly
            found[module.strip()] = max(found.get(module.strip(), 0), int(parts[1]))
    top = sorted(found.items(), key=lambda kv: kv[1], reverse=True)[:10]
    return [{"module": m, "cumulative_ms": us / 1000} for m, us in top]


def breakdown(store: str) -> dict:  # type: ignore[type-arg]
    """In one process: import, open, bind, query+format, as the CLI does them."""
    t0 = time.perf_counter()
    import pledgegraph.cli  # noqa: F401
    from pledgegraph import queries
    from pledgegraph.graph.query import result_text, run
    from pledgegraph.graph.store import Store

    t1 = time.perf_counter()
    opened = Store.open(store)
    t2 = time.perf_counter()
    stored = queries.get(QUERY)
    sparql = queries.with_values(stored.sparql, queries.bind(stored, {}))
    t3 = time.perf_counter()
    text = result_text(run(opened, sparql), fmt="tsv")
    t4 = time.perf_counter()
    opened.close()
    t5 = time.perf_counter()
    return {
        "import_s": t1 - t0,
        "open_s": t2 - t1,
        "bind_s": t3 - t2,
        "query_format_s": t4 - t3,
        "close_s": t5 - t4,
        "rows": text.count("\n") - 1,
    }


def run_all(stores: list[str], reps: int) -> dict:  # type: ignore[type-arg]
    dirs = _store_dirs(stores)
    results: dict[str, object] = {"stores": {}}
    for name, path in dirs.items():
        env = dict(os.environ, PLEDGEGRAPH_STORE=path)
        commands = _commands(path)
        runs: dict[str, list] = {label: [] for label in commands}  # type: ignore[type-arg]
        for argv in commands.values():  # one warm-up each (page cache)
            spawn(argv, env=env)
        for _ in range(reps):
            for label, argv in commands.items():
                run = spawn(argv, env=env)
                runs[label].append({"wall": run.wall, "maxrss_kb": run.maxrss_kb})
        rows = {
            label: {
                "reps": len(items),
                "wall_median": median([r["wall"] for r in items]),
                "wall_min": min(r["wall"] for r in items),
                "wall_max": max(r["wall"] for r in items),
                "maxrss_mb": mb(max(r["maxrss_kb"] for r in items)),
            }
            for label, items in runs.items()
        }
        parts, _run = _child_breakdown(path, env)
        results["stores"][name] = {  # type: ignore[index]
            "path": rel(path),
            "rows": rows,
            "breakdown": parts,
            "imports": _import_profile(env),
        }
        for label, row in rows.items():
            print(f"  {name} {label}: {row['wall_median'] * 1000:.0f} ms", file=sys.stderr)
    return results


def _child_breakdown(path: str, env: dict[str, str]) -> tuple[dict, object]:  # type: ignore[type-arg]
    from common import child_json

    return child_json([PYTHON, __file__, "--breakdown", path], env=env)


def table(results: dict) -> str:  # type: ignore[type-arg]
    lines = [
        "| store | command | median wall s (min–max) | target | result | peak RSS MB |",
        "|---|---|---|---|---|---|",
    ]
    for name, block in results["stores"].items():
        for label, row in block["rows"].items():
            ours = label.startswith("pledgegraph query")
            lines.append(
                f"| {name} | `{label}` | {row['wall_median']:.3f} ({row['wall_min']:.3f}–{row['wall_max']:.3f})"
                f" ×{row['reps']} | {f'≤ {TARGET_S:.1f} s' if ours else '—'}"
                f" | {verdict(row['wall_median'] <= TARGET_S) if ours else ''} | {row['maxrss_mb']:.0f} |"
            )
    lines += [
        "",
        f"Where the time of `pledgegraph query {QUERY}` goes (one in-process run after the timed"
        " ones, seconds):",
        "",
        "| store | import pledgegraph.cli | Store.open | bind | query + TSV | close | rows |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, block in results["stores"].items():
        b = block["breakdown"]
        lines.append(
            f"| {name} | {b['import_s']:.3f} | {b['open_s']:.3f} | {b['bind_s']:.4f}"
            f" | {b['query_format_s']:.3f} | {b['close_s']:.3f} | {b['rows']} |"
        )
    first = next(iter(results["stores"].values()))
    lines += ["", "Slowest imports of `pledgegraph query` (`-X importtime`, cumulative ms):", ""]
    lines.append(", ".join(f"`{i['module']}` {i['cumulative_ms']:.0f}" for i in first["imports"]))
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stores", default="default,1m")
    parser.add_argument("--reps", type=int, default=15)
    parser.add_argument("--breakdown", metavar="STORE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.breakdown:
        print(json.dumps(breakdown(args.breakdown)))
        return
    results = run_all([s for s in args.stores.split(",") if s], args.reps)
    results["command"] = f"python {rel(__file__)} --stores {args.stores} --reps {args.reps}"
    results["markdown"] = table(results)
    save("cli", results)
    print(results["markdown"])


if __name__ == "__main__":
    main()
