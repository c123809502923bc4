"""What ``remove`` costs on a reasoned store, with and without its clean-up of inferred triples
and alternative names (the follow-up steps ``inferred`` and ``names`` of graph/store.py).

The store: the ``generate.py`` fact sheets of a size (``bench/data/<size>/sheets``) loaded with
``Store.load_factsheets`` into the bundled store, then ``materialise`` (built once, kept in
``bench/data/scratch/remove-<size>``). Each run copies it, opens the copy in a fresh child
process and times ``Store.remove`` of one source (the middle sheet's): ``new`` as the code is,
``old`` with the two new steps switched off in that child only (``_inferred_about`` and
``_names_follow`` return nothing: the removal as it was before them). Runs alternate, medians.

    .venv/bin/python bench/bench_remove.py --size 100k --reps 5
    PLEDGEGRAPH_BENCH_DATA=../main/bench/data .venv/bin/python bench/bench_remove.py  # other data
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
#: The generated data sets (``generate.py``); another checkout's with PLEDGEGRAPH_BENCH_DATA.
DATA = Path(os.environ.get("PLEDGEGRAPH_BENCH_DATA") or BENCH / "data")
SCRATCH = BENCH / "data" / "scratch"

CHILD = r"""
import json, sys, time
from pledgegraph.graph.store import Store
if sys.argv[2] == "old":
    Store._inferred_about = lambda self, graphs: []
    Store._names_follow = lambda self, written, dropped: {}
store = Store.open(sys.argv[1])
inferred = store.count("https://w3id.org/pledgegraph/graph/inferred")
start = time.perf_counter()
store.remove(sys.argv[3])
took = time.perf_counter() - start
after = store.count("https://w3id.org/pledgegraph/graph/inferred")
store.close()
print(json.dumps({"s": took, "inferred_before": inferred, "inferred_after": after}))
"""


def build(size: str) -> tuple[Path, str]:
    from pledgegraph.graph.reasoning.engine import materialise
    from pledgegraph.graph.store import Store
    from pledgegraph.loaders.factsheet import read_factsheet
    from pledgegraph.loaders.rdf import source_graph

    sheets = sorted((DATA / size / "sheets").glob("*.pledges.yaml"))
    middle = source_graph(read_factsheet(str(sheets[len(sheets) // 2])))
    store_dir = SCRATCH / f"remove-{size}"
    if not store_dir.exists():
        with Store.open(store_dir) as store:
            store.load_factsheets([read_factsheet(str(p)) for p in sheets])
            materialise(store)
    return store_dir, middle


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", default="100k")
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()
    store_dir, graph = build(args.size)
    times: dict[str, list[float]] = {"old": [], "new": []}
    last: dict[str, dict[str, int]] = {}
    for rep in range(args.reps):
        for variant in ("old", "new") if rep % 2 == 0 else ("new", "old"):
            copy = SCRATCH / f"remove-{args.size}-{variant}"
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(store_dir, copy)
            done = subprocess.run(
                [sys.executable, "-c", CHILD, str(copy), variant, graph],
                capture_output=True,
                text=True,
                check=True,
            )
            result = json.loads(done.stdout)
            times[variant].append(result.pop("s"))
            last[variant] = result
            shutil.rmtree(copy, ignore_errors=True)
    print(f"$ {sys.executable} {' '.join(sys.argv)}")
    print(f"store: {args.size} sheets + bundled, reasoned; remove <{graph}>")
    print(f"load average: {os.getloadavg()}; {time.strftime('%Y-%m-%d %H:%M:%S %Z')}")
    for variant, values in times.items():
        print(
            f"{variant}: median {statistics.median(values):.3f} s "
            f"(min {min(values):.3f}, max {max(values):.3f}, x{len(values)}); "
            f"inferred triples {last[variant]['inferred_before']} -> "
            f"{last[variant]['inferred_after']}"
        )
    ratio = statistics.median(times["new"]) / statistics.median(times["old"])
    print(f"new/old: {ratio:.2f}")


if __name__ == "__main__":
    main()
