"""Time validation: the bundled sheet, one big synthetic sheet, and a store (not a test).

    python bench/bench_validate.py                       # bundled + bench/data/10k
    python bench/bench_validate.py --sheets bench/data/100k/sheets --repeat 3

The big sheet merges the pledges of every ``*.pledges.yaml`` under ``--sheets`` into one sheet
(one source), so that "one sheet" holds about as many triples as the whole folder. Each case is
timed ``--repeat`` times; the best wall-clock and CPU times are printed (CPU time is the steadier
number on a busy machine). The pySHACL import is timed on its own, once. SHACL runs with each
engine: ``shacl`` (the Rust package screens; pySHACL reports only if it finds something) and
``pyshacl`` alone; "rules only" is the floor (no SHACL at all).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from pledgegraph.graph.validation.checks import Report


def _best(run: Callable[[], Report], repeat: int) -> tuple[float, float, Report]:
    walls, cpus = [], []
    report = Report()
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        report = run()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus), report


def _merged_sheet(folder: Path) -> str:
    """The YAML of one sheet holding the pledges of every sheet in ``folder``."""
    files = sorted(folder.glob("*.pledges.yaml"))
    if not files:
        raise SystemExit(f"no *.pledges.yaml in {folder} (run bench/generate.py first)")
    head, _, _ = files[0].read_text(encoding="utf-8").partition("pledges:\n")
    bodies = [f.read_text(encoding="utf-8").partition("pledges:\n")[2] for f in files]
    return head + "pledges:\n" + "".join(bodies)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sheets", default="bench/data/10k/sheets", type=Path)
    parser.add_argument("--repeat", default=5, type=int)
    args = parser.parse_args()

    from pledgegraph.graph.store import Store
    from pledgegraph.graph.validation.checks import validate_factsheet, validate_store
    from pledgegraph.loaders.bundled import bundled_factsheets
    from pledgegraph.loaders.factsheet import parse_factsheet
    from pledgegraph.loaders.rdf import reference_nquads, source_nquads

    start = time.perf_counter()
    import pyshacl  # noqa: F401  (timed: the first SHACL validation pays for it)

    print(f"import pyshacl (+ rdflib): {time.perf_counter() - start:.3f} s")

    big = parse_factsheet(_merged_sheet(args.sheets), path=f"{args.sheets}/* merged")
    (seed,) = bundled_factsheets()
    cases = []
    for label, sheet in (("bundled sheet", seed), ("merged sheet", big)):
        triples = len(source_nquads(sheet)) + len(reference_nquads(sheet))
        for engine in ("shacl", "pyshacl"):
            cases.append((f"{label} ({triples} triples), {engine} + rules", sheet, True, engine))
        cases.append((f"{label} ({triples} triples), rules only", sheet, False, None))
    print(f"{'case':<58} {'wall s':>8} {'cpu s':>8} {'problems':>9}")
    for label, sheet, shacl, engine in cases:
        run = partial(validate_factsheet, sheet, shacl=shacl, engine=engine)
        wall, cpu, report = _best(run, args.repeat)
        print(f"{label:<58} {wall:>8.3f} {cpu:>8.3f} {len(report.problems):>9}")
    store = Store.memory()
    store.load_factsheet(big)
    for shacl, engine in ((True, "shacl"), (True, "pyshacl"), (False, None)):
        run = partial(validate_store, store, shacl=shacl, engine=engine)
        wall, cpu, report = _best(run, args.repeat)
        what = f"{engine} + rules" if shacl else "rules only"
        label = f"store ({len(store.inner)} quads), {what}"
        print(f"{label:<58} {wall:>8.3f} {cpu:>8.3f} {len(report.problems):>9}")


if __name__ == "__main__":
    main()
