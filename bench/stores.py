"""The benchmark stores: a pledgegraph store holding a generated data set, built once.

    python bench/stores.py --size 1m     # -> bench/data/1m/store (prints its counts)

A store is built the way a user builds one: ``Store.open(path)`` (which initialises it with the
ontology and the bundled seed sheet), then ``load_factsheet(read_factsheet(p))`` for every
generated sheet, then ``close()``. It is rebuilt when the data set changes (its meta.json).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from common import DATA, PYTHON, child_json, remove


def store_path(size: str) -> Path:
    return DATA / size / "store"


def build(size: str) -> dict:  # type: ignore[type-arg]
    from pledgegraph.graph.store import Store
    from pledgegraph.loaders.factsheet import read_factsheet

    path = store_path(size)
    remove(path)
    started = time.perf_counter()
    store = Store.open(path)
    initial = len(store.inner)
    for sheet in sorted((DATA / size / "sheets").glob("*.pledges.yaml")):
        store.load_factsheet(read_factsheet(str(sheet)))
    quads = len(store.inner)
    store.close()
    meta = json.loads((DATA / size / "meta.json").read_text(encoding="utf-8"))
    info = {
        "size": size,
        "seed": meta["seed"],
        "fingerprint": meta["fingerprint"],
        "data_quads": meta["quads"],
        "initial_quads": initial,
        "quads": quads,
        "build_s": round(time.perf_counter() - started, 1),
    }
    (path / "bench-store.json").write_text(json.dumps(info) + "\n", encoding="utf-8")
    return info


def ensure_store(size: str) -> dict:  # type: ignore[type-arg]
    """The store of ``size``, built in a child process unless it is already there and current."""
    import fcntl

    from generate import ensure

    meta = ensure(size)
    marker = store_path(size) / "bench-store.json"
    with (DATA / f".{size}-store.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if marker.exists():
            info: dict = json.loads(marker.read_text(encoding="utf-8"))  # type: ignore[type-arg]
            if info.get("fingerprint") == meta["fingerprint"]:
                return info
        print(f"  building the {size} store (once) ...", file=sys.stderr)
        info, _run = child_json([PYTHON, __file__, "--size", size, "--build"])
        return info


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", required=True)
    parser.add_argument("--build", action="store_true", help="build now (in this process)")
    args = parser.parse_args()
    print(json.dumps(build(args.size) if args.build else ensure_store(args.size)))


if __name__ == "__main__":
    main()
