"""What-if: variants of the fact-sheet load path, to show what each change buys (or bought).

    python bench/whatif.py                 # 100k, 3 reps -> bench/out/whatif-100k.json + table
    python bench/whatif.py --size 1m --reps 1

Variants (each in a fresh child process and store; the same data as bench_load.py). Patches
apply to the child process only; the library is never edited:

- ``raw-nt``          pyoxigraph bulk_load of all.nt (the baseline of the ratios)
- ``sheets-pyyaml``   load_factsheet(read_factsheet(p)) per sheet, YAML composed by the
                      pure-Python ``yaml.SafeLoader`` (what the reader used before libyaml)
- ``sheets``          load_factsheet(read_factsheet(p)) per sheet, the library as it is
- ``sheets-nosync``   the same with ``pyoxigraph.Store.flush`` and ``os.fsync`` made no-ops for
                      the store: what per-load durability work costs
- ``batch``           ``load_factsheets([read_factsheet(p) …])``, the library's batch API (if the
                      library has it)
- ``bulk-proto``      the floor of any batch path: parse every sheet, then ONE ``bulk_load`` of
                      all the sources' N-Quads and reference quads (no state file, no links),
                      joined into one ``bytes`` first (as ``load_factsheets`` does)
- ``bulk-stream``     the same, but ``bulk_load`` reads the N-Quads from a file-like object that
                      encodes them sheet by sheet: the batch without the whole text in memory
- ``rdf-nt``          the library's load_rdf(all.nt), for reference

Before timing, every sheet is parsed with both YAML composers and the FactSheets compared
(line numbers included).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import types

from bench_load import _data_quads
from common import (
    DATA,
    NT_GRAPH,
    PYTHON,
    child_json,
    fresh_dir,
    median,
    rel,
    remove,
    save,
)

VARIANTS = (
    "raw-nt",
    "sheets-pyyaml",
    "sheets",
    "sheets-nosync",
    "batch",
    "bulk-proto",
    "bulk-stream",
    "rdf-nt",
)


def _use_composer(name: str) -> None:
    """Make pledgegraph's fact-sheet reader compose YAML with ``yaml.<name>`` (this process)."""
    import yaml

    from pledgegraph.loaders import factsheet

    loader = getattr(yaml, name)
    if hasattr(factsheet, "_COMPOSER"):
        factsheet._COMPOSER = loader  # type: ignore[attr-defined]
    else:  # a reader that names yaml.SafeLoader at the call
        shim = types.SimpleNamespace(**{k: getattr(yaml, k) for k in dir(yaml)})
        shim.SafeLoader = loader
        factsheet.yaml = shim  # type: ignore[assignment]


class _NoFlush:
    """A pyoxigraph.Store whose flush() does nothing (everything else passes through)."""

    def __init__(self, inner: object) -> None:
        self._inner = inner

    def flush(self) -> None:
        pass

    def __getattr__(self, name: str) -> object:
        return getattr(self._inner, name)

    def __len__(self) -> int:
        return len(self._inner)  # type: ignore[arg-type]


def _without_sync(store: object) -> None:
    """No flush or fsync for this store's loads (this process only)."""
    import os

    from pledgegraph.graph import store as store_module

    store.inner = _NoFlush(store.inner)  # type: ignore[attr-defined]
    shim = types.SimpleNamespace(**{k: getattr(os, k) for k in dir(os) if not k.startswith("__")})
    shim.fsync = lambda fd: None
    store_module.os = shim  # type: ignore[attr-defined]


# The streaming reader proposed here is now the library's own.
from pledgegraph.graph.store import _LineReader  # noqa: E402


def check_libyaml(size: str) -> dict:  # type: ignore[type-arg]
    """Every sheet parses to the same FactSheet (line numbers included) with either composer."""
    from pledgegraph.loaders import factsheet

    sheets = sorted((DATA / size / "sheets").glob("*.pledges.yaml"))
    _use_composer("SafeLoader")
    plain = [factsheet.read_factsheet(str(p)) for p in sheets]
    _use_composer("CSafeLoader")
    fast = [factsheet.read_factsheet(str(p)) for p in sheets]
    return {"sheets": len(sheets), "identical": plain == fast}


def measure(variant: str, size: str, where: str) -> dict:  # type: ignore[type-arg]
    import pyoxigraph as ox

    from pledgegraph.graph.store import Store
    from pledgegraph.loaders.factsheet import read_factsheet
    from pledgegraph.loaders.rdf import reference_nquads, source_graph, source_nquads

    folder = DATA / size
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    sheets = [str(p) for p in sorted((folder / "sheets").glob("*.pledges.yaml"))]
    _use_composer("SafeLoader" if variant == "sheets-pyyaml" else "CSafeLoader")
    nt = variant.endswith("nt")
    expected = meta["triples"] if nt else meta["quads"]
    if variant == "raw-nt":
        inner = ox.Store(where)
        started = time.perf_counter()
        inner.bulk_load(path=str(folder / "all.nt"), format=ox.RdfFormat.N_TRIPLES,
                        to_graph=ox.NamedNode(NT_GRAPH))  # fmt: skip
        elapsed = time.perf_counter() - started
        quads = _data_quads(inner, variant)
    else:
        if variant == "rdf-nt":  # (a user's file has no row index: made before the clock)
            from generate import without_index

            data_file = without_index(folder / "all.nt")
        store = Store.open(where, initialise=False)
        if variant == "batch" and not hasattr(store, "load_factsheets"):
            store.close()
            return {"variant": variant, "missing": "Store.load_factsheets"}
        if variant == "sheets-nosync":
            _without_sync(store)
        started = time.perf_counter()
        if variant == "rdf-nt":
            store.load_rdf(str(data_file))
        elif variant.startswith("sheets"):
            for path in sheets:
                store.load_factsheet(read_factsheet(path))
        elif variant == "batch":
            store.load_factsheets([read_factsheet(path) for path in sheets])  # type: ignore[attr-defined]
        elif variant == "bulk-proto":  # all sources are new in this fresh store
            parsed = [read_factsheet(path) for path in sheets]
            lines: list[str] = []
            for sheet in parsed:
                lines += source_nquads(sheet)
                lines += reference_nquads(sheet)
            store.inner.bulk_load("".join(lines).encode("utf-8"), ox.RdfFormat.N_QUADS)
        else:  # bulk-stream
            parsed = [read_factsheet(path) for path in sheets]
            stream = (
                line
                for sheet in parsed
                for part in (source_nquads(sheet), reference_nquads(sheet))
                for line in part
            )
            store.inner.bulk_load(_LineReader(stream), ox.RdfFormat.N_QUADS)
        if variant.startswith("bulk"):
            for sheet in parsed:  # what a load also does: mark each graph as present
                store.inner.add_graph(ox.NamedNode(source_graph(sheet)))
        elapsed = time.perf_counter() - started
        quads = _data_quads(store.inner, "nt" if nt else variant)
        if isinstance(store.inner, _NoFlush):
            store.inner = store.inner._inner
        store.close()
    return {"variant": variant, "load_s": elapsed, "quads": quads, "ok": quads == expected}


def table(result: dict) -> str:  # type: ignore[type-arg]
    meta, summary = result["meta"], result["summary"]
    raw = summary["raw-nt"]["load_s"]
    base = summary.get("sheets", {}).get("load_s")
    lines = [
        f"{result['size']}: {meta['triples']:,} triples, {meta['sheets']} sheets; medians of"
        f" {result['reps']} runs; libyaml and pure-Python YAML give identical FactSheets (lines"
        f" included): {result['libyaml_check']['identical']}.",
        "",
        "| variant | median load s | triples/s | ours/raw | vs `sheets` (the library, per sheet) | peak RSS MB |",
        "|---|---|---|---|---|---|",
    ]
    for variant, row in summary.items():
        if row.get("load_s") is None:
            lines.append(f"| {variant} | not in this library | | | | |")
            continue
        relative = (
            f"{base / row['load_s']:.2f}x" if base and variant not in ("raw-nt", "rdf-nt") else ""
        )
        lines.append(
            f"| {variant} | {row['load_s']:.2f} | {meta['triples'] / row['load_s']:,.0f}"
            f" | {raw / row['load_s']:.2f}x | {relative} | {row.get('maxrss_mb') or 0:.0f} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--one", choices=[*VARIANTS, "check-libyaml"])
    parser.add_argument("--size", default="100k")
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    if args.one:
        if args.one == "check-libyaml":
            print(json.dumps(check_libyaml(args.size)))
            return
        where = fresh_dir("whatif-")
        try:
            print(json.dumps(measure(args.one, args.size, where)))
        finally:
            remove(where)
        return

    from generate import ensure

    meta = ensure(args.size)
    check, _ = child_json([PYTHON, __file__, "--one", "check-libyaml", "--size", args.size])
    runs: dict[str, list[float]] = {v: [] for v in VARIANTS}
    peaks: dict[str, list[int]] = {v: [] for v in VARIANTS}
    for rep in range(args.reps):
        for variant in VARIANTS if rep % 2 == 0 else reversed(VARIANTS):
            data, _run = child_json([PYTHON, __file__, "--one", variant, "--size", args.size])
            if "missing" in data:
                continue
            if not data["ok"]:
                raise SystemExit(f"{variant}: wrong quad count {data['quads']}")
            runs[variant].append(data["load_s"])
            peaks[variant].append(_run.maxrss_kb)
            print(f"  {variant:13} rep {rep + 1}: {data['load_s']:.2f} s", file=sys.stderr)
    result = {
        "command": f"python {rel(__file__)} --size {args.size} --reps {args.reps}",
        "size": args.size,
        "reps": args.reps,
        "meta": meta,
        "libyaml_check": check,
        "runs": runs,
        "summary": {
            v: {
                "load_s": median(t) if t else None,
                "maxrss_mb": max(peaks[v]) / 1024 if peaks[v] else None,
            }
            for v, t in runs.items()
        },
    }
    result["markdown"] = table(result)
    save(f"whatif-{args.size}", result)
    print(result["markdown"])


if __name__ == "__main__":
    main()
