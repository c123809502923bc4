"""Shared helpers of the benchmarks: child processes with peak memory, medians, machine facts.

Every measurement runs in a child process started with ``posix_spawn`` and reaped with
``os.wait4``, so each one has its own wall time and peak resident memory. The peak comes from
GNU ``/usr/bin/time -f %M`` (the child's ``ru_maxrss``, in KiB) when it is there: the ``ru_maxrss``
of a child spawned straight from this (Python) process would include this process's own size at
spawn time (Linux records the high-water mark of the memory the child had before ``exec``).
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DATA = BENCH / "data"
OUT = BENCH / "out"
SCRATCH = DATA / "scratch"  # fresh stores of load runs (same disk as the data)
PYTHON = sys.executable
GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None
#: How peak memory is read (printed with the tables).
MAXRSS_SOURCE = (
    "GNU time %M of each child"
    if GNU_TIME
    else "os.wait4 ru_maxrss (includes the parent's size at spawn)"
)
BIN = Path(sys.executable).parent

#: The RDF graph ``Store.load_rdf`` gives a file called all.nt (used for the raw loads too).
NT_GRAPH = "https://w3id.org/pledgegraph/graph/file/all-nt"


@dataclass(frozen=True, slots=True)
class Run:
    wall: float  # seconds, spawn to reap
    maxrss_kb: int  # peak resident set of the child (KiB)
    returncode: int
    stdout: str
    stderr: str


class TimedOut(RuntimeError):
    """A child killed for taking too long; ``stderr`` holds what it wrote until then."""

    def __init__(self, message: str, stderr: str = "") -> None:
        super().__init__(message)
        self.stderr = stderr


def spawn(
    argv: list[str],
    *,
    env: dict[str, str] | None = None,
    check: bool = True,
    timeout: float | None = None,
) -> Run:
    """Run ``argv`` (argv[0] a path) as a child; its wall time, peak RSS and output.

    With ``timeout``, a child still running after that many seconds is killed and
    :class:`TimedOut` raised.
    """
    with tempfile.TemporaryDirectory(dir=_scratch()) as tmp:
        out_path, err_path = os.path.join(tmp, "out"), os.path.join(tmp, "err")
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
        actions = [
            (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
            (os.POSIX_SPAWN_OPEN, 1, out_path, flags, 0o644),
            (os.POSIX_SPAWN_OPEN, 2, err_path, flags, 0o644),
        ]
        rss_path = os.path.join(tmp, "rss")
        command = [GNU_TIME, "-f", "%M", "-o", rss_path, *argv] if GNU_TIME else argv
        started = time.perf_counter()
        pid = os.posix_spawn(command[0], command, env if env is not None else dict(os.environ),
                             file_actions=actions, setpgroup=0)  # fmt: skip
        while True:
            reaped, status, usage = os.wait4(pid, os.WNOHANG if timeout else 0)
            if reaped:
                break
            if time.perf_counter() - started > timeout:  # type: ignore[operator]
                os.killpg(pid, 9)  # the child's own process group: time and what it runs
                os.wait4(pid, 0)
                raise TimedOut(
                    f"{' '.join(argv[:6])} took more than {timeout:.0f} s (killed)",
                    Path(err_path).read_text(encoding="utf-8", errors="replace"),
                )
            time.sleep(0.005)
        wall = time.perf_counter() - started
        code = os.waitstatus_to_exitcode(status)
        maxrss = usage.ru_maxrss
        if GNU_TIME:
            maxrss = int(Path(rss_path).read_text(encoding="utf-8").split()[-1])
        out = Path(out_path).read_text(encoding="utf-8", errors="replace")
        err = Path(err_path).read_text(encoding="utf-8", errors="replace")
    if check and code != 0:
        raise RuntimeError(f"{' '.join(argv)} exited with {code}:\n{err[-3000:]}")
    return Run(wall, maxrss, code, out, err)


def child_json(
    argv: list[str], *, env: dict[str, str] | None = None, timeout: float | None = None
) -> tuple[dict, Run]:  # type: ignore[type-arg]
    """Run a child that prints one JSON object last on stdout; the object and the run."""
    run = spawn(argv, env=env, timeout=timeout)
    lines = [line for line in run.stdout.splitlines() if line.strip()]
    return json.loads(lines[-1]), run


def _scratch() -> str:
    SCRATCH.mkdir(parents=True, exist_ok=True)
    return str(SCRATCH)


def fresh_dir(prefix: str) -> str:
    """A new empty directory under bench/data/scratch (remove it with :func:`remove`)."""
    return tempfile.mkdtemp(prefix=prefix, dir=_scratch())


def remove(path: str | Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def median(values: list[float]) -> float:
    return statistics.median(values)


def mb(kilobytes: float) -> float:
    return kilobytes / 1024


def machine() -> dict[str, str]:
    """What the numbers were measured on."""
    import pyoxigraph

    cpu = "unknown"
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8")
        found = re.search(r"^model name\s*:\s*(.+)$", text, re.MULTILINE)
        cpu = found.group(1).strip() if found else cpu
    except OSError:
        pass
    try:
        memory = Path("/proc/meminfo").read_text(encoding="utf-8").splitlines()[0]
        mem_total = f"{int(memory.split()[1]) / 1024 / 1024:.1f} GiB"
    except (OSError, IndexError, ValueError):
        mem_total = "unknown"
    nproc = subprocess.run(["nproc"], capture_output=True, text=True, check=False).stdout.strip()
    return {
        "nproc": nproc or str(os.cpu_count()),
        "python": sys.version.replace("\n", " "),
        "pyoxigraph": pyoxigraph.__version__,
        "cpu": cpu,
        "memory": mem_total,
        "kernel": platform.release(),
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
    }


def save(name: str, payload: dict) -> Path:  # type: ignore[type-arg]
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.json"
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def load(name: str) -> dict:  # type: ignore[type-arg]
    return json.loads((OUT / f"{name}.json").read_text(encoding="utf-8"))


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def rel(path: str | Path) -> str:
    """A path relative to the repository root, for printed commands."""
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)
