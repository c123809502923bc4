"""``pledgegraph load`` of many fact sheets: read and validated in worker processes, written by
the main process every 25,000 to 200,000 quads while the workers go on (issue 12, validated
loads at 0.5x raw ``bulk_load``).

What must not change: the lines printed (in order), the exit code and the store, against the
same load in one process (``--jobs 1``); and what a kill or Ctrl-C leaves: each sheet written
whole or not at all, no worker left running, no traceback.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from pledgegraph.commands import load as load_module
from pledgegraph.graph.store import Store
from pledgegraph.graph.storedir import ENV_KILL_AT
from pledgegraph.loaders.factsheet import parse_factsheet
from pledgegraph.loaders.rdf import source_graph
from tests.test_bulk_batches import data_quads, write_sheets

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux")


def _folder(root: Path) -> Path:
    """45 generated sheets (some break rules on purpose), and the bad inputs of a real folder:
    a sheet that is no YAML, one with an unknown region, the same source twice, and the same
    article under another key."""
    folder = root / "sheets"
    paths = write_sheets(folder)
    (folder / "010a-broken.pledges.yaml").write_text("source: [unclosed\n", encoding="utf-8")
    third = paths[2].read_text(encoding="utf-8")
    (folder / "020a-unknown.pledges.yaml").write_text(
        third.replace("region: ", "region: Atlantis-", 1),
        encoding="utf-8",
    )
    (folder / "030a-same-source.pledges.yaml").write_text(third, encoding="utf-8")
    (folder / "040a-same-article.pledges.yaml").write_text(
        third.replace("  url: ", "  key: another-key\n  url: ", 1), encoding="utf-8"
    )
    return folder


def _cli(
    store: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pledgegraph", "--store", str(store), *args]
    return subprocess.run(
        command, capture_output=True, text=True, check=False, env={**os.environ, **(env or {})}
    )


def _load_stopped_after_a_write(
    store: Path, folder: Path, kill_at: str, temp: Path
) -> subprocess.CompletedProcess[str]:
    """``load --lenient --jobs 2`` of ``folder``, killed (or sent SIGINT/SIGTERM: ``kill_at``)
    right after its first write, with its handover folder under ``temp``."""
    return _cli(
        store,
        "load",
        "--lenient",
        "--jobs",
        "2",
        str(folder),
        env={ENV_KILL_AT: kill_at, "TMPDIR": str(temp)},
    )


def _paths(folder: Path) -> list[str]:
    return sorted(str(p) for p in folder.iterdir())


def test_the_folder_is_big_enough_for_workers(tmp_path: Path) -> None:
    """The premise of the tests below: ``--jobs 2`` starts two workers for this folder."""
    paths = _paths(_folder(tmp_path))
    with load_module._Preparer(paths, True, None, 2) as prepared:
        assert load_module._Preparer  # (the pool is made in __init__)
    preparer = load_module._Preparer(paths, True, None, 2)
    try:
        assert len(preparer._workers) == 2
        assert len(preparer._groups) >= 4
    finally:
        preparer.__exit__(None, None, None)
    del prepared
    alone = load_module._Preparer(paths, True, None, 1)
    assert not alone._workers


@pytest.mark.parametrize("options", [(), ("--lenient",), ("--lenient", "--no-shapes")])
def test_workers_print_and_store_what_one_process_does(
    tmp_path: Path, options: tuple[str, ...]
) -> None:
    folder = _folder(tmp_path)
    one = _cli(tmp_path / "one", "load", "--jobs", "1", *options, str(folder))
    two = _cli(tmp_path / "two", "load", "--jobs", "2", *options, str(folder))
    assert one.returncode == two.returncode == 1, two.stderr
    assert two.stderr == one.stderr
    assert "Traceback" not in two.stderr
    assert "010a-broken.pledges.yaml:1: " in two.stderr  # each bad input has its line
    assert "unknown region 'Atlantis-" in two.stderr
    assert "is given twice in this load" in two.stderr
    assert "the same article (" in two.stderr
    with Store.open(tmp_path / "one") as a, Store.open(tmp_path / "two") as b:
        assert data_quads(a) == data_quads(b)
        assert len(a.graphs()) > 10


def test_a_load_is_written_in_several_writes_each_whole(tmp_path: Path) -> None:
    """Killed (SIGKILL) right after its first write, a load leaves the sheets of that write
    whole and no other; no worker outlives it; the same load run again completes."""
    folder = tmp_path / "sheets"
    paths = write_sheets(folder)
    store = tmp_path / "store"
    assert _cli(store, "stats").returncode == 0
    temp = tmp_path / "temp"  # where the workers hand their results over
    temp.mkdir()
    killed = _load_stopped_after_a_write(store, folder, "load-written", temp)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert "Traceback" not in killed.stderr
    _no_worker_left(store)
    assert len(list(temp.iterdir())) == 1  # (a SIGKILL leaves the handover folder)
    graphs = [
        source_graph(parse_factsheet(p.read_text(encoding="utf-8"), path=str(p))) for p in paths
    ]
    with Store.open(store) as opened:
        held = [g for g in graphs if opened.has_graph(g)]
    assert 0 < len(held) < len(graphs)  # several writes: the first one stayed
    assert held == graphs[: len(held)]  # in path order
    check = _cli(store, "reindex", "--check")
    assert check.returncode == 0, check.stdout + check.stderr
    again = _cli(store, "load", "--lenient", "--jobs", "2", str(folder), env={"TMPDIR": str(temp)})
    assert again.returncode == 0, again.stderr
    with Store.open(store) as opened:
        assert all(opened.has_graph(g) for g in graphs)
    assert not list(temp.iterdir())  # the next load removed it, and its own


@pytest.mark.parametrize("how", ["INT", "TERM"])
def test_ctrl_c_or_sigterm_stops_the_workers_too(tmp_path: Path, how: str) -> None:
    folder = tmp_path / "sheets"
    write_sheets(folder)
    store = tmp_path / "store"
    stopped = _load_stopped_after_a_write(store, folder, f"load-written:{how}", tmp_path)
    assert stopped.returncode == (130 if how == "INT" else 143), stopped.stderr
    assert not list(tmp_path.glob("pledgegraph-load-*"))  # (the handover folder is removed)
    assert "Traceback" not in stopped.stderr
    last = stopped.stderr.strip().splitlines()[-1]
    assert last.startswith("Error: ") and "files" in last, stopped.stderr
    _no_worker_left(store)
    check = _cli(store, "reindex", "--check")
    assert check.returncode == 0, check.stdout + check.stderr


def test_ctrl_c_before_the_store_is_opened_says_nothing_was_loaded(tmp_path: Path) -> None:
    """Stopped while the workers read the first sheets: no store was opened, so the line does
    not send the user to `stats --graphs` to find out which files went in."""
    folder = tmp_path / "sheets"
    write_sheets(folder)
    store = tmp_path / "store"
    stopped = _load_stopped_after_a_write(store, folder, "load-started:INT", tmp_path)
    assert stopped.returncode == 130, stopped.stderr
    last = stopped.stderr.strip().splitlines()[-1]
    assert last == (
        "Error: load: interrupted (Ctrl-C); nothing was loaded: the store was not opened "
        "yet; run the command again"
    ), stopped.stderr
    assert not list(tmp_path.glob("pledgegraph-load-*"))
    _no_worker_left(store)


@pytest.mark.parametrize("value", ["-1", "65", "two"])
def test_jobs_must_be_a_count(tmp_path: Path, value: str) -> None:
    result = _cli(tmp_path / "store", "load", "--jobs", value, str(tmp_path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "--jobs" in result.stderr


def _no_worker_left(store: Path, wait: float = 10.0) -> None:
    """No process that runs a command on ``store`` is left (forked workers keep the command
    line of the process they came from)."""
    deadline = time.monotonic() + wait
    while True:
        left = []
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            if str(store).encode() in cmdline and b"pledgegraph" in cmdline:
                left.append(pid)
        if not left:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"processes still running on {store}: {left}")
        time.sleep(0.1)


def test_a_worker_dies_with_its_main_process(tmp_path: Path) -> None:
    """The main process killed while the workers read (not at a write): they end too."""
    process, store = _start_load(tmp_path, text=False)
    _await_workers(process)
    workers = _children(process.pid)
    process.kill()
    process.wait()
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() and not _zombie(pid) for pid in workers):
        assert time.monotonic() < deadline, f"workers {workers} outlived their main process"
        time.sleep(0.05)
    assert process.stderr is not None
    assert b"Traceback" not in process.stderr.read()
    shutil.rmtree(store, ignore_errors=True)


def _children(pid: int) -> list[str]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(entry)
    return found


def _zombie(pid: str) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def test_a_worker_killed_mid_load_ends_the_load_with_one_line(tmp_path: Path) -> None:
    """A worker that dies (the OOM killer) once left the load waiting for ever, store locked."""
    process, store = _start_load(tmp_path)
    _await_workers(process)
    os.kill(int(_children(process.pid)[0]), signal.SIGKILL)
    try:
        _, stderr = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        raise AssertionError("the load hangs after one of its workers died") from None
    if process.returncode == 0:
        pytest.skip("the worker had finished its work")
    last = stderr.splitlines()[-1]
    assert last.startswith("Error: load: a worker process"), stderr
    # The exit code is the README's: 2 when nothing was loaded, 1 when some files were.
    if "nothing was loaded" in last:
        assert process.returncode == 2, stderr
    else:
        assert process.returncode == 1, stderr
        assert re.search(r"; \d+ of \d+ files were loaded \(each whole\), the rest not;", last)
    assert "Traceback" not in stderr
    _no_worker_left(store)
    again = _cli(store, "load", "--lenient", "--jobs", "2", str(tmp_path / "sheets"))
    assert again.returncode == 0, again.stderr


def test_sigterm_to_the_process_group_stops_the_load(tmp_path: Path) -> None:
    """As `timeout` and service managers send it: the idle workers once held a lock the stop
    waited for, for ever."""
    process, store = _start_load(tmp_path, start_new_session=True)
    time.sleep(1.0)
    os.killpg(process.pid, signal.SIGTERM)
    try:
        _, stderr = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        raise AssertionError("the load did not stop on SIGTERM") from None
    assert process.returncode in (143, 0), stderr
    assert "Traceback" not in stderr
    _no_worker_left(store)


def _start_load(
    tmp_path: Path, *, text: bool = True, start_new_session: bool = False
) -> tuple[subprocess.Popen[Any], Path]:
    """A ``load --jobs 2`` of 90 generated sheets, running, into a store made first."""
    folder = tmp_path / "sheets"
    write_sheets(folder, count=90)
    store = tmp_path / "store"
    assert _cli(store, "stats").returncode == 0
    command = [sys.executable, "-m", "pledgegraph", "--store", str(store), "load", "--lenient"]
    process = subprocess.Popen(
        [*command, "--jobs", "2", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=text,
        start_new_session=start_new_session,
    )
    return process, store


def _await_workers(process: subprocess.Popen[Any]) -> None:
    """Wait until the load has its two workers (skip if it finished first)."""
    deadline = time.monotonic() + 30
    while len(_children(process.pid)) < 2 and process.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    if process.poll() is not None:
        pytest.skip("the load finished before its workers could be seen")


def test_a_sheet_survives_the_handover_whole(tmp_path: Path) -> None:
    """Workers hand sheets over pickled (with the quick pickling of loaders/facts.py): every
    field comes back, so the main process writes what the worker read."""
    import pickle

    for path in write_sheets(tmp_path / "sheets", count=5):
        sheet = parse_factsheet(path.read_text(encoding="utf-8"), path=str(path))
        back = pickle.loads(pickle.dumps(sheet, protocol=pickle.HIGHEST_PROTOCOL))
        assert back == sheet
        assert back.pledges[0].targets[0] == sheet.pledges[0].targets[0]
        assert source_graph(back) == source_graph(sheet)


def test_quiet_prints_errors_and_the_summary_only(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    loud = _cli(tmp_path / "loud", "load", "--lenient", str(folder))
    quiet = _cli(tmp_path / "quiet", "load", "--lenient", "--quiet", str(folder))
    assert quiet.returncode == loud.returncode == 1
    assert "\nloaded " not in "\n" + quiet.stderr and "Warning:" not in quiet.stderr
    errors = [line for line in loud.stderr.splitlines() if line.startswith("Error: ")]
    assert (
        errors
        and [line for line in quiet.stderr.splitlines() if line.startswith("Error: ")] == errors
    )
    warnings = sum(line.startswith("Warning: ") for line in loud.stderr.splitlines())
    assert quiet.stderr.splitlines()[-2:] == [
        loud.stderr.splitlines()[-1],  # the summary
        f"{warnings} validation warnings not shown (--quiet)",
    ]
    with Store.open(tmp_path / "loud") as a, Store.open(tmp_path / "quiet") as b:
        assert data_quads(a) == data_quads(b)


def test_only_handover_folders_no_load_holds_are_swept(tmp_path: Path) -> None:
    """The next load removes what a killed load left (a folder with the lock file, not held),
    and nothing else: not a user's folder of the same name (helper-90 had one deleted), not the
    folder of a load running in another PID namespace (the lock, not a process id, says so)."""
    import fcntl

    left = tmp_path / "pledgegraph-load-left"
    left.mkdir()
    (left / "load.lock").write_text("")
    (left / "3.pickle").write_bytes(b"x" * 100)
    users = tmp_path / "pledgegraph-load-999999-my-notes"
    users.mkdir()
    (users / "notes.txt").write_text("precious", encoding="utf-8")
    running = tmp_path / "pledgegraph-load-running"
    running.mkdir()
    lock = os.open(running / "load.lock", os.O_CREAT | os.O_RDWR)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        load_module._sweep(str(tmp_path))
        assert not left.exists()
        assert (users / "notes.txt").read_text(encoding="utf-8") == "precious"
        assert running.exists()
    finally:
        os.close(lock)
    load_module._sweep(str(tmp_path))  # (released: now a leftover like any other)
    assert not running.exists() and users.exists()


def test_no_temporary_folder_means_no_workers(tmp_path: Path) -> None:
    """A TMPDIR where no folder can be made (a name too long) loads in this process, as
    --jobs 1 would, instead of a traceback (helper-90)."""
    import tempfile

    folder = _folder(tmp_path)
    saved = tempfile.tempdir
    tempfile.tempdir = str(tmp_path / ("x" * 300))  # (longer than any file name may be)
    try:
        preparer = load_module._Preparer(_paths(folder), True, None, 2)
    finally:
        tempfile.tempdir = saved
    try:
        assert not preparer._workers and preparer._folder is None
        with preparer as prepared:
            assert [p for p, *_ in prepared] == _paths(folder)
    finally:
        preparer.__exit__(None, None, None)


def test_a_worker_hands_over_the_count_and_reference_quads_of_each_sheet(tmp_path: Path) -> None:
    """A worker gives the main process, with each sheet's N-Quads, the quads that sheet's graph
    holds once written and its reference quads (made there, so the main process, the load's
    critical path, does not make them again): the same as the store counts and as
    ``reference_nquads`` makes; and the load reports the same counts as a load without them."""
    import pyoxigraph as ox

    from pledgegraph.graph.store import _data_lines
    from pledgegraph.loaders.rdf import reference_nquads
    from pledgegraph.ontology import LINKS_GRAPH

    folder = _folder(tmp_path)
    paths = sorted(str(p) for p in folder.iterdir())
    prepared = load_module._prepare(paths, True, None)
    assert [p[0] for p in prepared] == paths
    good = [p for p in prepared if not isinstance(p[1], Exception) and p[3].ok]
    assert len(good) > 10
    for _path, sheet, text, _report, count, reference in good:
        assert count == _data_lines(text) > 0
        assert reference == reference_nquads(sheet)
    store = Store.open(tmp_path / "given", initialise=False)
    plain = Store.open(tmp_path / "made", initialise=False)
    chosen = [p for p in good if "-same-" not in p[0]]
    reports = store.load_factsheets(
        [p[1] for p in chosen],
        nquads=[p[2] for p in chosen],
        counts=[p[4] for p in chosen],
        references=[p[5] for p in chosen],
    )
    made = plain.load_factsheets([p[1] for p in chosen], nquads=[p[2] for p in chosen])
    assert reports == made
    assert [r.quads for r in reports] == [store.data_count(r.graph) for r in reports]
    links = ox.NamedNode(LINKS_GRAPH)  # (stamped with the time of the write)
    assert sorted(str(q) for q in store.inner if q.graph_name != links) == sorted(
        str(q) for q in plain.inner if q.graph_name != links
    )
