"""An RDF file of many pledges on the embedded store and on a server, in the same run.

    python bench/bench_rdf_file.py --pledges 1000 --reps 3

Writes a Turtle file of ``--pledges`` pledges (one target each, each due on a day of its own,
so the file names as many shared deadline nodes as pledges; all in one known region), then, for
each backend — a new embedded store, and a new, empty ``oxigraph serve`` on loopback — runs the
real CLI in a subprocess: ``load FILE`` (validated, the default), ``load FILE`` again (a
replacement) and ``remove FILE``. Wall time per step, medians over ``--reps`` rounds (a fresh
store each round), and the ratio of the server to the embedded store. The steps' lookups of
shared nodes and of what the store says about the file's nodes are queries of a few hundred
nodes each; before, one request per node made the server 20-60x slower on such a file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import time
from pathlib import Path

from bench_remote import start_server
from common import BIN, fresh_dir, machine, median, remove, save

HEAD = """\
@prefix pledge: <https://w3id.org/pledgegraph/ontology#> .
@prefix schema: <https://schema.org/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <https://example.org/bench-file/> .
ex:src a schema:NewsArticle ; schema:headline "A generated plan" ;
  schema:url <https://example.org/bench-file> .
"""
PLEDGE = """\
ex:q{n} a schema:QuantitativeValue ; rdfs:label "{v}" ; schema:value {v} ;
  pledge:approximate false .
ex:t{n} a pledge:Target ; prov:wasDerivedFrom ex:src ; pledge:quantity ex:q{n} ;
  pledge:deadline <https://w3id.org/pledgegraph/id/deadline/{day}> ;
  pledge:kind <https://w3id.org/pledgegraph/kind/parks> .
ex:p{n} a pledge:Pledge ; prov:wasDerivedFrom ex:src ; pledge:hasTarget ex:t{n} ;
  pledge:deadline <https://w3id.org/pledgegraph/id/deadline/{day}> ;
  pledge:region <https://w3id.org/pledgegraph/id/region/CN-SN> .
"""


def write_file(path: Path, pledges: int) -> None:
    first = dt.date(2030, 1, 1)
    parts = [HEAD]
    for n in range(pledges):
        day = (first + dt.timedelta(days=n)).isoformat()
        parts.append(PLEDGE.format(n=n, v=n % 50 + 1, day=day))
    path.write_text("".join(parts), encoding="utf-8")


def timed(store: str, *args: str) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        [str(BIN / "pledgegraph"), "--store", store, *args], capture_output=True, text=True
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"pledgegraph {' '.join(args)} failed: {done.stderr.strip()}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pledges", type=int, default=1000)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    work = Path(fresh_dir("bench-rdf-file"))
    path = work / "many.ttl"
    write_file(path, args.pledges)
    steps = ("load", "reload", "remove")
    times: dict[str, dict[str, list[float]]] = {
        b: {s: [] for s in steps} for b in ("embedded", "server")
    }
    for rep in range(args.reps):
        for backend in ("embedded", "server") if rep % 2 == 0 else ("server", "embedded"):
            location = str(work / f"{backend}-{rep}")
            server = None
            if backend == "server":
                server, store = start_server(location)
            else:
                store = location
            try:
                timed(store, "stats")  # first use: the ontology and the bundled data (not timed)
                times[backend]["load"].append(timed(store, "load", str(path)))
                times[backend]["reload"].append(timed(store, "load", str(path)))
                times[backend]["remove"].append(timed(store, "remove", path.name))
            finally:
                if server is not None:
                    server.terminate()
                    server.wait(30)
                remove(location)
    print(
        f"{args.pledges} pledges ({path.stat().st_size // 1024} KiB of Turtle), {args.reps} rounds"
    )
    print("| step | embedded (s) | server (s) | server / embedded |")
    print("|---|---|---|---|")
    result = {}
    for step in steps:
        e, s = median(times["embedded"][step]), median(times["server"][step])
        result[step] = {"embedded": e, "server": s, "ratio": s / e}
        print(f"| {step} | {e:.2f} | {s:.2f} | {s / e:.2f}x |")
    save(
        f"rdf-file-{args.pledges}", {"machine": machine(), "pledges": args.pledges, "steps": result}
    )
    remove(work)


if __name__ == "__main__":
    sys.exit(main())
