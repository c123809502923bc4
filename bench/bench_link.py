"""Time ``pledgegraph link`` (``run_link``) on a store with 10,000 generated ``pledge:Region`` nodes.

    python bench/bench_link.py                 # 10k regions, 3 runs, in memory and on disk
    python bench/bench_link.py --regions 50000 --runs 5

The regions are what ``link`` meets in practice: every region the gazetteer knows (5,336:
countries, China's divisions and cities, other countries' subdivisions) written as the loader
writes them (labels, type, ISO code, partOf), then nodes known only by an ISO code
(``pgid:region/gen-N`` with ``pledge:isoCode``), and 1% that match nothing. Each run rebuilds the
whole links graph (``DROP SILENT GRAPH`` + ``INSERT DATA`` in one update) and is timed from the
call to its return: reading the regions, matching, building and writing the graph. Also timed:
``link_regions`` for 3 regions on the linked 10k store (what a load adds).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from itertools import cycle
from pathlib import Path

import pyoxigraph as ox

from pledgegraph.graph.linking.links import link_regions
from pledgegraph.graph.linking.run import run_link
from pledgegraph.graph.store import Store
from pledgegraph.loaders.regions import gazetteer
from pledgegraph.ontology import LINKS_GRAPH, PLEDGE

REGION = "https://w3id.org/pledgegraph/id/region/"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def regions_ntriples(count: int) -> str:
    """``count`` region nodes as N-Triples (gazetteer regions first, then generated ones)."""
    places = list(gazetteer())
    lines: list[str] = []

    def node(key: str, label: str, code: str | None, kind: str | None, parent: str | None) -> None:
        s = f"<{REGION}{key}>"
        lines.append(f"{s} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{PLEDGE}Region> .")
        lines.append(f"{s} <{RDFS_LABEL}> {ox.Literal(label, language='en')} .")
        if code:
            lines.append(f"{s} <{PLEDGE}isoCode> {ox.Literal(code)} .")
        if kind:
            lines.append(f"{s} <{PLEDGE}regionType> {ox.Literal(kind)} .")
        if parent:
            lines.append(f"{s} <{PLEDGE}partOf> <{REGION}{parent}> .")

    unmatched = count // 100
    known = min(len(places), count - unmatched)
    for region in places[:known]:
        node(region.key, region.name_en, region.iso_code, region.type, region.part_of)
    coded = cycle([r for r in places if r.iso_code])
    for n in range(count - unmatched - known):
        region = next(coded)
        node(f"gen-{n:06d}", f"Generated {n}", region.iso_code, None, None)
    for n in range(unmatched):
        node(f"x-{n:05d}", f"Nowhere {n}", None, None, None)
    return "\n".join(lines) + "\n"


def fill(store: Store, data: bytes) -> None:
    store.load_rdf("regions.nt", data=data)


def timed_runs(store: Store, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        report = run_link(store)
        times.append(time.perf_counter() - started)
    assert report.written and store.count(LINKS_GRAPH) == report.triples
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    data = regions_ntriples(args.regions).encode("utf-8")
    print(f"command: {Path(sys.executable).name} bench/bench_link.py " + " ".join(sys.argv[1:]))
    print(f"python {platform.python_version()}, pyoxigraph {ox.__version__}, {platform.machine()}")

    memory = Store.memory(initialise=False)
    fill(memory, data)
    report = run_link(memory)
    regions = report.regions
    print(
        f"regions: {regions} ({dict(report.matched)} matched, {len(report.unmatched)} unmatched); "
        f"links graph: {report.triples} triples; Wikidata {report.wikidata}, "
        f"GeoNames {report.geonames}, ISO code only {report.iso_only}"
    )
    results = {"in memory": timed_runs(memory, args.runs)}
    with (
        tempfile.TemporaryDirectory() as tmp,
        Store.open(Path(tmp) / "store", initialise=False) as disk,
    ):
        fill(disk, data)
        results["on disk"] = timed_runs(disk, args.runs)
        started = time.perf_counter()
        added = link_regions(disk, ["CN-ZJ/ningbo", "DE-BY", "FR"])
        one_load = time.perf_counter() - started
    for name, times in results.items():
        runs = ", ".join(f"{t:.3f}" for t in times)
        print(
            f"link, {regions} regions, {name}: median {statistics.median(times):.3f} s "
            f"of {args.runs} runs ({runs})"
        )
    print(f"link_regions, 3 keys on the linked store, on disk: {one_load:.3f} s ({added} regions)")


if __name__ == "__main__":
    main()
