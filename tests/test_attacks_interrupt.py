"""Issue 9: Ctrl-C (SIGINT) or SIGTERM during a write ends with one line and the store intact.

Before, click printed "Aborted!" and exited 1 (documented as "some inputs were loaded"). Now a
write command stopped by a signal prints ``Error: <command>: interrupted (Ctrl-C); <the state of
the store>`` (or ``stopped by SIGTERM``) and exits 130 (143 for SIGTERM). Each test runs a real
``pledgegraph load`` of a generated N-Triples file, waits until the load has recorded its pending
write in the store's state file (the sign that it is writing, no fixed sleep), sends the signal,
and then checks the exit code, stderr, and that the store answers as before (the lock released:
the next command opens the store without waiting).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pledgegraph.graph.store import Store
from pledgegraph.graph.storedir import STATE_FILE

TRIPLES = 150_000
GRAPH = "https://w3id.org/pledgegraph/graph/file/big-nt"


def _cli(*args: str, store: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pledgegraph", "--store", str(store), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


def _answers(store: Path) -> tuple[str, str]:
    """What the store says: its stats, and the size of the big file's graph."""
    stats = _cli("stats", "--json", store=store)
    assert stats.returncode == 0, stats.stderr
    count = _cli(
        "sparql",
        "-f",
        "tsv",
        f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}",
        store=store,
    )
    assert count.returncode == 0, count.stderr
    return stats.stdout, count.stdout


def _pending(store: Path) -> dict[str, object]:
    for path in store.glob(f"*/{STATE_FILE}"):
        try:
            pending = json.loads(path.read_text(encoding="utf-8")).get("pending")
        except (OSError, ValueError):
            continue  # being rewritten
        if isinstance(pending, dict):
            return pending
    return {}


def _big(path: Path, label: str) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for i in range(TRIPLES):
            out.write(f'<https://example.org/s{i}> <https://example.org/p> "{label} {i}" .\n')
    return path


def _interrupt(store: Path, data: Path, sig: signal.Signals, step: str) -> tuple[int, str, str]:
    """Load ``data``; once its pending record names ``step`` ("remove": new graphs, "replace"),
    send ``sig``. Returns the exit code, stdout and stderr."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pledgegraph",
            "--store",
            str(store),
            "load",
            "--no-shapes",
            str(data),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 240
        while not _pending(store).get(step):
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the load never started writing"
            time.sleep(0.02)
        process.send_signal(sig)
        out, err = process.communicate(timeout=300)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return process.returncode, out, err


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _big(tmp_path_factory.mktemp("interrupt") / "big.nt", "first")


@pytest.mark.parametrize(
    ("sig", "code", "stopped"),
    [
        (signal.SIGINT, 130, "interrupted (Ctrl-C)"),
        (signal.SIGTERM, 143, "stopped by SIGTERM"),
    ],
    ids=["sigint", "sigterm"],
)
def test_a_signal_during_a_new_load_leaves_the_store_unchanged(
    tmp_path: Path, big: Path, sig: signal.Signals, code: int, stopped: str
) -> None:
    store = tmp_path / "store"
    Store.open(store).close()
    before = _answers(store)
    returncode, out, err = _interrupt(store, big, sig, "remove")
    assert (returncode, out) == (code, "")
    assert err == f"Error: load: {stopped}; the store is unchanged; run the command again\n"
    assert not _pending(store)
    assert _answers(store) == before  # the lock is free and nothing of the file is in the store


def test_a_signal_during_a_load_of_several_files_says_what_it_can(
    tmp_path: Path, big: Path
) -> None:
    """A fact sheet and a big file: the sheet is written first, then the file is cut off.
    Which files were written is not known to the count (a batch of sheets is one write,
    counted after it), so the line says what holds (each file whole or absent) and how to see
    which; it said "the store is unchanged" with the sheets written."""
    import shutil

    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(big, folder / "big.nt")
    (folder / "a.pledges.yaml").write_text(
        "source:\n  url: https://example.org/several\n  key: several\n"
        "pledges:\n  - region: CN-HE\n    deadline: 2030\n    targets:\n"
        "      - kind: parks\n        quantity: 2\n",
        encoding="utf-8",
    )
    store = tmp_path / "store"
    Store.open(store).close()
    returncode, out, err = _interrupt(store, folder, signal.SIGTERM, "remove")
    assert (returncode, out) == (143, "")
    assert err.splitlines()[-1].startswith(
        "Error: load: stopped by SIGTERM; each file is in the store whole or not at all"
    ), err
    assert "'pledgegraph stats --graphs' shows which" in err
    assert not _pending(store)
    graphs = _cli("stats", "--graphs", store=store)
    assert graphs.returncode == 0, graphs.stderr
    assert "graph/file/big-nt" not in graphs.stdout  # cut off: not there at all
    assert _cli("validate", store=store).returncode == 0
    assert _cli("reindex", "--check", store=store).returncode == 0


def test_ctrl_c_during_a_replacement_finishes_it_from_the_journal(
    tmp_path: Path, big: Path
) -> None:
    store = tmp_path / "store"
    mine = tmp_path / "big.nt"  # (a file of this test's own: its second version replaces it)
    shutil.copyfile(big, mine)
    done = _cli("load", "--no-shapes", str(mine), store=store)
    assert done.returncode == 0, done.stderr
    second = _big(mine, "second")  # the same file, edited: it replaces its graph
    returncode, out, err = _interrupt(store, second, signal.SIGINT, "replace")
    assert (returncode, out) == (130, "")
    assert err == (
        "Error: load: interrupted (Ctrl-C); the write in progress was already whole in the "
        "store's journal and has been finished (the store holds the new version)\n"
    )
    _, count = _answers(store)
    assert count == f"?n\n{TRIPLES}\n"
    ask = _cli(
        "sparql", f'ASK {{ GRAPH <{GRAPH}> {{ ?s ?p "second 7" }} }}', "-f", "tsv", store=store
    )
    assert ask.stdout.strip().endswith("true"), ask.stdout


def test_sigterm_during_a_query_is_143_and_says_so(tmp_path: Path) -> None:
    store = tmp_path / "store"
    Store.open(store).close()
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    process = subprocess.Popen(
        [sys.executable, "-m", "pledgegraph", "--store", str(store), "sparql", runaway],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PLEDGEGRAPH_TIMEOUT": "0"},
    )
    try:
        lock = store / "pledgegraph.lock"
        deadline = time.monotonic() + 120
        while lock.read_text(encoding="utf-8").strip() != str(process.pid):  # store open
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.02)
        time.sleep(0.5)  # (the query starts right after; either way the answer is the same)
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert (process.returncode, out) == (143, "")
    assert err == "Error: query: stopped by SIGTERM; nothing was changed (queries only read)\n"


def test_ctrl_c_while_the_cli_is_imported_is_one_line() -> None:
    """An outside attack: SIGINT in the first ~50 ms (Python still importing) printed a
    KeyboardInterrupt traceback from importlib. The import stopped the same way here."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "class Stop:\n"
        "    def find_spec(self, name, path, target=None):\n"
        "        if name == 'pledgegraph.cli':\n"
        "            raise KeyboardInterrupt\n"
        "sys.meta_path.insert(0, Stop())\n"
        "from pledgegraph.__main__ import run\n"
        "run()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, "--version"], capture_output=True, text=True, timeout=60
    )
    assert (done.returncode, done.stderr) == (
        130,
        "Error: pledgegraph: stopped by Ctrl-C while starting; nothing was done\n",
    )


@pytest.mark.parametrize("how", ["INT", "TERM"])
@pytest.mark.parametrize("when", ["closing", "closed"])
def test_a_signal_after_the_work_is_done_changes_nothing(
    tmp_path: Path, how: str, when: str
) -> None:
    """An outside attack: Ctrl-C while a finished load closed its store made click print
    'Aborted!' and exit 1 ("partly done"), the sheet loaded."""
    import os
    import subprocess
    import sys

    from graph.storedir import ENV_KILL_AT

    sheet = tmp_path / "a.pledges.yaml"
    sheet.write_text(
        "source:\n  url: https://example.org/closing\n  title: T\npledges:\n"
        "  - region: Hunan\n    deadline: 2027\n    targets:\n      - kind: parks\n"
        "        quantity: 2\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "pledgegraph", "--store", str(tmp_path / "s"), "load", str(sheet)],
        capture_output=True,
        text=True,
        env={**os.environ, ENV_KILL_AT: f"{when}:{how}"},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Aborted" not in done.stderr and "Traceback" not in done.stderr
    assert done.stderr.startswith("loaded ")
