"""``pledgegraph serve`` against ``oxigraph serve-read-only`` on the same store (issue 11).

Measures, in one run and on one store (the bundled dataset, made fresh):

1. point-query throughput and latency at concurrency 16 (wrk, keep-alive, 2 threads): the same
   query string against ``oxigraph serve-read-only --union-default-graph`` (``/query``) and
   ``pledgegraph serve`` (``/sparql``), each server alone, alternating, ``--rounds`` times;
   medians, and the ratios ours/oxigraph (targets: throughput >= 0.5x, p99 <= 3x), and the CPU
   time each server's processes used per request (less swayed by other load than requests/s);
2. the headline question (``parks-by-year``, TSV) over HTTP (keep-alive, one client) against
   the same question answered in-process (``queries.bind`` + ``graph.query.answer``, what
   ``pledgegraph query parks-by-year`` does after start-up): medians, ratio (target <= 2x);
3. a runaway cross product on a server started with ``--timeout 2``: when its error comes back
   (target < 3 s) and how the point queries sent meanwhile by another client fared.

    .venv/bin/python bench/bench_server.py [--rounds 3] [--seconds 10] [--json bench/out/server.json]

Needs ``wrk`` (``apt-get install wrk``) and the ``oxigraph`` binary of the dev extras.
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlencode

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from common import machine  # noqa: E402

BIN = Path(sys.executable).parent
POINT = (
    "SELECT ?label WHERE { <https://w3id.org/pledgegraph/id/region/CN-HE> "
    "<http://www.w3.org/2000/01/rdf-schema#label> ?label }"
)
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
ACCEPT = "application/sparql-results+json"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_up(port: int, path: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", path, headers={"accept": ACCEPT})
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


def start_oxigraph(database: Path) -> tuple[subprocess.Popen[bytes], int, str]:
    port = free_port()
    process = subprocess.Popen(
        [
            str(BIN / "oxigraph"),
            "serve-read-only",
            "--location",
            str(database),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    path = "/query?" + urlencode({"query": POINT}, quote_via=quote)
    wait_until_up(port, path, process)
    return process, port, path


def start_ours(store: Path, *options: str) -> tuple[subprocess.Popen[bytes], int, str]:
    port = free_port()
    process = subprocess.Popen(
        [
            str(BIN / "pledgegraph"),
            "--store",
            str(store),
            "serve",
            "--port",
            str(port),
            "--no-access-log",
            *options,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    path = "/sparql?" + urlencode({"query": POINT}, quote_via=quote)
    wait_until_up(port, path, process)
    return process, port, path


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _duration(text: str) -> float:
    """wrk's latency (``574.00us``, ``18.23ms``, ``1.20s``) in milliseconds."""
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by process ``pid`` and its children (Linux /proc)."""
    import os

    tick, total = os.sysconf("SC_CLK_TCK"), 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) == pid or int(fields[1]) == pid:
            total += int(fields[11]) + int(fields[12])
    return total / tick


def wrk(port: int, path: str, seconds: int) -> dict[str, float]:
    url = f"http://127.0.0.1:{port}{path}"
    command = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency", "-H", f"Accept: {ACCEPT}", url]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _duration(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _duration(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rps,
        "p50_ms": p50,
        "p99_ms": p99,
        "non_2xx": float(errors.group(1)) if errors else 0.0,
    }


def headline_in_process(store: Path, reps: int) -> list[float]:
    """Seconds per answer of parks-by-year in this process (store opened once)."""
    from pledgegraph import queries
    from pledgegraph.graph.query import answer
    from pledgegraph.graph.store import Store

    times = []
    with Store.open(store) as opened:
        for _ in range(reps + 5):
            started = time.perf_counter()
            stored = queries.get("parks-by-year")
            sparql = queries.with_values(stored.sparql, queries.bind(stored, {}))
            text = answer(opened, sparql, fmt="tsv", where="query parks-by-year")
            times.append(time.perf_counter() - started)
            assert "CN-HE" in text
    return times[5:]


def headline_over_http(port: int, reps: int) -> list[float]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    times = []
    for _ in range(reps + 5):
        started = time.perf_counter()
        connection.request("GET", "/api/parks-by-year?format=tsv")
        response = connection.getresponse()
        body = response.read()
        times.append(time.perf_counter() - started)
        assert response.status == 200 and b"CN-HE" in body
    return times[5:]


def runaway(store: Path) -> dict[str, float]:
    process, port, path = start_ours(store, "--timeout", "2", "--workers", "2")
    try:
        result: dict[str, float] = {}
        stop_flag = threading.Event()
        latencies: list[float] = []
        statuses: list[int] = []

        def others() -> None:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            while not stop_flag.is_set():
                started = time.perf_counter()
                try:
                    connection.request("GET", path, headers={"accept": ACCEPT})
                    response = connection.getresponse()
                    response.read()
                    status = response.status
                except (OSError, http.client.HTTPException):  # a dropped connection: failed
                    connection.close()
                    status = -1
                latencies.append(time.perf_counter() - started)
                statuses.append(status)

        thread = threading.Thread(target=others)
        thread.start()
        time.sleep(0.5)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        started = time.perf_counter()
        connection.request("GET", "/sparql?" + urlencode({"query": RUNAWAY}, quote_via=quote))
        response = connection.getresponse()
        body = response.read().decode()
        result["runaway_seconds"] = time.perf_counter() - started
        result["runaway_status"] = response.status
        time.sleep(2.0)  # and after it: while the retired worker's replacement starts
        stop_flag.set()
        thread.join()
        result["others_served"] = len(latencies)
        result["others_ok"] = sum(1 for s in statuses if s == 200)
        result["others_p50_ms"] = statistics.median(latencies) * 1000
        result["others_max_ms"] = max(latencies) * 1000
        print(f"  runaway answer: {response.status} {body.strip()[:120]}")
        return result
    finally:
        stop(process)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--reps", type=int, default=200, help="headline answers timed per side")
    parser.add_argument("--json", type=Path, default=BENCH / "out" / "server.json")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk")
    scratch = Path(tempfile.mkdtemp(prefix="bench-server-"))
    store = scratch / "store"
    from pledgegraph.graph.store import Store

    with Store.open(store) as opened:
        database = Path(getattr(opened, "_database", None) or store)
    print(f"store: {store} (bundled dataset); database {database.name}")
    print(f"point query: {POINT}")
    runs: dict[str, list[dict[str, float]]] = {"oxigraph": [], "pledgegraph": []}
    for round_no in range(args.rounds):
        order = ["oxigraph", "pledgegraph"] if round_no % 2 == 0 else ["pledgegraph", "oxigraph"]
        for name in order:
            process, port, path = (
                start_oxigraph(database) if name == "oxigraph" else start_ours(store)
            )
            try:
                wrk(port, path, 2)  # warm-up
                used = cpu_seconds(process.pid)
                measured = wrk(port, path, args.seconds)
                used = cpu_seconds(process.pid) - used
                measured["cpu_us"] = used / (measured["rps"] * args.seconds) * 1e6
            finally:
                stop(process)
            runs[name].append(measured)
            print(
                f"  round {round_no + 1} {name:12} {measured['rps']:9.0f} req/s  "
                f"p50 {measured['p50_ms']:.2f} ms  p99 {measured['p99_ms']:.2f} ms  "
                f"non-2xx {measured['non_2xx']:.0f}  CPU {measured['cpu_us']:.0f} µs/request"
            )
    summary = {
        name: {key: statistics.median(r[key] for r in results) for key in results[0]}
        for name, results in runs.items()
    }
    throughput = summary["pledgegraph"]["rps"] / summary["oxigraph"]["rps"]
    p99 = summary["pledgegraph"]["p99_ms"] / summary["oxigraph"]["p99_ms"]
    in_process = headline_in_process(store, args.reps)
    process, port, _ = start_ours(store)
    try:
        over_http = headline_over_http(port, args.reps)
    finally:
        stop(process)
    headline = statistics.median(over_http) / statistics.median(in_process)
    stopped = runaway(store)
    report = {
        "machine": machine(),
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "rounds": runs,
        "medians": summary,
        "throughput_ratio": throughput,
        "p99_ratio": p99,
        "headline_in_process_ms": statistics.median(in_process) * 1000,
        "headline_http_ms": statistics.median(over_http) * 1000,
        "headline_ratio": headline,
        "runaway": stopped,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    ox, ours = summary["oxigraph"], summary["pledgegraph"]
    print()
    print(
        "| measurement | oxigraph serve-read-only | pledgegraph serve | ratio | target | result |"
    )
    print("|---|---|---|---|---|---|")
    print(
        f"| point query, c16: requests/s (median of {args.rounds}) | {ox['rps']:.0f} | {ours['rps']:.0f} | "
        f"{throughput:.2f}x | >= 0.5x | {'PASS' if throughput >= 0.5 else 'FAIL'} |"
    )
    print(
        f"| point query, c16: p50 ms | {ox['p50_ms']:.2f} | {ours['p50_ms']:.2f} | "
        f"{ours['p50_ms'] / ox['p50_ms']:.2f}x | — | |"
    )
    print(
        f"| point query, c16: p99 ms | {ox['p99_ms']:.2f} | {ours['p99_ms']:.2f} | {p99:.2f}x | "
        f"<= 3x | {'PASS' if p99 <= 3 else 'FAIL'} |"
    )
    print(
        f"| point query, c16: server CPU µs per request | {ox['cpu_us']:.0f} | "
        f"{ours['cpu_us']:.0f} | {ours['cpu_us'] / ox['cpu_us']:.2f}x | — | |"
    )
    print()
    print("| measurement | in-process | over HTTP | ratio | target | result |")
    print("|---|---|---|---|---|---|")
    print(
        f"| parks-by-year (TSV), ms per answer (median of {args.reps}) | "
        f"{report['headline_in_process_ms']:.2f} | {report['headline_http_ms']:.2f} | "
        f"{headline:.2f}x | <= 2x | {'PASS' if headline <= 2 else 'FAIL'} |"
    )
    print()
    print(
        f"runaway query with --timeout 2: status {stopped['runaway_status']:.0f} after "
        f"{stopped['runaway_seconds']:.2f} s (target < 3 s: "
        f"{'PASS' if stopped['runaway_seconds'] < 3 and stopped['runaway_status'] == 503 else 'FAIL'}); "
        f"meanwhile another client got {stopped['others_ok']:.0f}/{stopped['others_served']:.0f} "
        f"point answers, p50 {stopped['others_p50_ms']:.2f} ms, slowest {stopped['others_max_ms']:.1f} ms"
    )
    print(f"machine: {report['machine']}")
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
