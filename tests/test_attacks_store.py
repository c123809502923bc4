"""Attacks on the store (issue 9, "Lost or corrupted data"): each was reproduced before the fix.

Crash tests run real processes on real stores in tmp_path and kill them with SIGKILL, either at
a named step (``PLEDGEGRAPH_TEST_KILL_AT``, read only by these tests) or after a delay.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from pledgegraph.graph.store import Store
from pledgegraph.graph.storedir import BACKUP_MARKER, ENV_KILL_AT, LOCK_FILE, MARKER, STATE_FILE
from pledgegraph.ontology import (
    GRAPH,
    INFERRED_GRAPH,
    LINKS_GRAPH,
    ONTOLOGY_GRAPH,
    REFERENCE_GRAPH,
    SOURCE_GRAPH,
)

ROOT = Path(__file__).resolve().parents[1]
SEED_GRAPH = SOURCE_GRAPH + "cryptonews-7376"
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
ENV.pop(ENV_KILL_AT, None)
ENV.pop("PLEDGEGRAPH_STORE", None)


def run(
    *args: str, cwd: Path, kill_at: str | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """``pledgegraph ARGS`` in a real process (killing itself at ``kill_at`` if given)."""
    env = dict(ENV)
    if kill_at is not None:
        env[ENV_KILL_AT] = kill_at
    return subprocess.run(
        [sys.executable, "-m", "pledgegraph", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def graph_counts(store_dir: Path) -> dict[str, int]:
    with Store.open(store_dir, initialise=False) as store:
        assert store.state().get("pending") is None
        return {g: store.count(g) for g in store.graphs()}


def write_nt(path: Path, version: str, n: int = 50) -> None:
    path.write_text(
        "".join(
            f'<https://example.org/s{i}> <https://example.org/p> "{version}-{i}" .\n'
            for i in range(n)
        ),
        encoding="utf-8",
    )


def write_sheet(path: Path, kind: str, quantity: int) -> None:
    path.write_text(
        "source:\n  url: https://example.org/news/1\n  key: attack-1\npledges:\n"
        f"  - region: CN-SC\n    targets:\n      - kind: {kind}\n        quantity: {quantity}\n",
        encoding="utf-8",
    )


def journals(store_dir: Path) -> list[Path]:
    return list(store_dir.glob("db-*/pledgegraph-journal/*"))


# --- 1. a killed replace with a relative --store, reopened from another directory ----------


@pytest.mark.parametrize("step", ["replace-journalled", "replace-dropped"])
@pytest.mark.parametrize("kind", ["rdf", "factsheet"])
def test_killed_replace_with_relative_store_rolls_forward_from_anywhere(
    tmp_path: Path, step: str, kind: str
) -> None:
    work, elsewhere = tmp_path / "work", tmp_path / "elsewhere"
    work.mkdir()
    elsewhere.mkdir()
    if kind == "rdf":
        source, graph = work / "big.nt", GRAPH + "file/big-nt"
        write_nt(source, "v1")
    else:
        source, graph = work / "a.pledges.yaml", SOURCE_GRAPH + "attack-1"
        write_sheet(source, "parks", 3)
    assert run("--store", "rel", "load", source.name, cwd=work).returncode == 0
    if kind == "rdf":
        write_nt(source, "v2")
    else:
        write_sheet(source, "funds", 7)
    killed = run("--store", "rel", "load", source.name, cwd=work, kill_at=step)
    assert killed.returncode == -signal.SIGKILL, killed.stderr

    # Reopened from another directory: the new version is there, the journal is gone.
    shown = run(
        "--store", "../work/rel", "export", "--graph", graph, "-f", "ntriples", cwd=elsewhere
    )
    assert shown.returncode == 0, shown.stderr
    if kind == "rdf":
        assert shown.stdout.count('"v2-') == 50 and '"v1-' not in shown.stdout
    else:
        assert "kind/funds" in shown.stdout and "kind/parks" not in shown.stdout
    assert journals(work / "rel") == []


def test_a_damaged_journal_never_locks_the_store_for_good(tmp_path: Path) -> None:
    write_nt(tmp_path / "big.nt", "v1")
    assert run("--store", "s", "load", "big.nt", cwd=tmp_path).returncode == 0
    write_nt(tmp_path / "big.nt", "v2")
    killed = run("--store", "s", "load", "big.nt", cwd=tmp_path, kill_at="replace-dropped")
    assert killed.returncode == -signal.SIGKILL
    (journal,) = [j for j in journals(tmp_path / "s") if j.suffix == ".data"]
    journal.write_text("<https://e.org/broken\n")  # damaged after it was written
    result = run("--store", "s", "stats", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert GRAPH + "file/big-nt" not in result.stdout and SEED_GRAPH in result.stdout
    assert journals(tmp_path / "s") == []
    assert run("--store", "s", "load", "big.nt", cwd=tmp_path).returncode == 0


@pytest.mark.slow
def test_replace_killed_after_a_delay_with_relative_store(tmp_path: Path) -> None:
    """The issue's reproduction: a big replace killed after a while, reopened elsewhere."""
    work, elsewhere = tmp_path / "work", tmp_path / "elsewhere"
    work.mkdir()
    elsewhere.mkdir()
    write_nt(work / "big.nt", "v1", 100_000)
    assert run("--store", "rel", "load", "big.nt", cwd=work).returncode == 0
    write_nt(work / "big.nt", "v2", 100_000)
    outcomes = set()
    for delay in (0.5, 1.5, 2.5, 3.5):
        process = subprocess.Popen(
            [sys.executable, "-m", "pledgegraph", "--store", "rel", "load", "big.nt"],
            cwd=work,
            env=ENV,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        counts = graph_counts(work / "rel")  # opened by absolute path, from the test's cwd
        assert counts.get(GRAPH + "file/big-nt") == 100_000, (delay, counts)
        outcomes.add(process.returncode)
    assert journals(work / "rel") == []


# --- 2. a store never takes over a directory holding other files ---------------------------


def test_store_refuses_a_directory_with_other_files(tmp_path: Path) -> None:
    (tmp_path / "proj" / "src").mkdir(parents=True)
    (tmp_path / "proj" / "thesis.txt").write_text("x\n")
    assert run("--store", "s", "stats", cwd=tmp_path).returncode == 0
    assert run("--store", "s", "backup", "bk", cwd=tmp_path).returncode == 0
    expected = (
        "Error: proj: is not a pledgegraph store and not empty; pass --store with a new or empty "
        "directory (a store is never made in a directory holding other files)\n"
    )
    for command in (["stats"], ["restore", "bk"], ["load", "x.nt"]):
        result = run("--store", "proj", *command, cwd=tmp_path)
        assert (result.returncode, result.stderr) == (2, expected), command
    assert sorted(p.name for p in (tmp_path / "proj").iterdir()) == ["src", "thesis.txt"]
    assert (tmp_path / "proj" / "thesis.txt").read_text() == "x\n"


def test_store_path_errors_are_one_line(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    (tmp_path / "notes.txt").write_text("x")
    cases = {
        "": "Error: --store: the store path is empty; pass --store with a directory or set "
        "PLEDGEGRAPH_STORE\n",
        "afile": "Error: afile: is a file, not a store directory; pass --store with a directory "
        "or set PLEDGEGRAPH_STORE\n",
        ".": f"Error: . ({tmp_path}): is not a pledgegraph store and not empty; pass --store with "
        "a new or empty directory (a store is never made in a directory holding other files)\n",
    }
    for store, message in cases.items():
        for command in (["stats"], ["restore", "bk"]):
            result = run("--store", store, *command, cwd=tmp_path)
            assert (result.returncode, result.stderr) == (2, message), (store, command)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile", "notes.txt"]


def test_store_under_an_unreadable_parent(tmp_path: Path) -> None:
    parent = tmp_path / "locked"
    parent.mkdir()
    args = [sys.executable, "-m", "pledgegraph", "--store", str(parent / "s"), "stats"]
    if os.geteuid() == 0:  # root ignores permissions unless it drops its capability to
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv: permissions cannot be enforced")
        args = [
            "setpriv",
            "--inh-caps=-all",
            "--bounding-set=-dac_override,-dac_read_search",
            *args,
        ]
    parent.chmod(0)
    try:
        result = subprocess.run(args, env=ENV, capture_output=True, text=True)
    finally:
        parent.chmod(0o755)
    assert result.returncode == 2, result.stderr
    assert result.stderr == (
        f"Error: {parent / 's'}: cannot create or write the store here (permission denied); "
        "pass --store with a writable directory or set PLEDGEGRAPH_STORE\n"
    )


def test_an_empty_directory_becomes_a_store(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with Store.open(tmp_path / "empty") as store:
        assert store.is_initialised()
    names = sorted(p.name for p in (tmp_path / "empty").iterdir())
    assert names[0].startswith("db-") and names[1:] == [MARKER, LOCK_FILE]


def test_old_layout_store_is_converted_and_other_files_kept(tmp_path: Path) -> None:
    """A store written before the marker existed: database files in the directory itself."""
    old = tmp_path / "old"
    with Store.open(tmp_path / "model") as model:
        model.backup(old)  # RocksDB files + state file at the top: the old layout
        expected = {g: model.count(g) for g in model.graphs()}
    (old / BACKUP_MARKER).unlink()  # (what a backup adds, and an old store lacks)
    (old / "pledgegraph-journal").mkdir()
    (old / "pledgegraph-journal" / "orphan.data").write_text("x")
    (old / "mine.txt").write_text("keep me")
    assert graph_counts(old) == expected
    names = sorted(p.name for p in old.iterdir())
    assert names[0].startswith("db-") and names[1:] == ["mine.txt", MARKER, LOCK_FILE]
    assert graph_counts(old) == expected  # and it opens again


def test_a_backup_is_not_opened_as_a_store(tmp_path: Path) -> None:
    assert run("--store", "s", "backup", "bk", cwd=tmp_path).returncode == 0
    before = sorted(p.name for p in (tmp_path / "bk").iterdir())
    result = run("--store", "bk", "stats", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (
        2,
        "Error: bk: is a backup, not a store; restore it into a store: "
        "pledgegraph --store DIR restore bk\n",
    )
    assert sorted(p.name for p in (tmp_path / "bk").iterdir()) == before


def test_a_stores_database_folder_is_not_opened_as_a_store(tmp_path: Path) -> None:
    """Outside attack: --store s/db-<hex> was converted as an old-layout store, and the store
    then opened empty (the user's data hidden in a nested folder)."""
    assert run("--store", "s", "stats", cwd=tmp_path).returncode == 0
    before = graph_counts(tmp_path / "s")
    (database,) = [p for p in (tmp_path / "s").iterdir() if p.name.startswith("db-")]
    result = run("--store", f"s/{database.name}/", "stats", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        f"Error: s/{database.name}/: is the database folder inside the store "
        f"{(tmp_path / 's').resolve()}; pass --store {(tmp_path / 's').resolve()}\n"
    )
    assert not [p for p in database.iterdir() if p.name.startswith("db-")]
    assert graph_counts(tmp_path / "s") == before


def test_hostile_entries_in_a_store(tmp_path: Path) -> None:
    """A link named like a database is removed, never followed; a damaged marker is repaired
    by a restore; a store whose creation was interrupted opens as a new one."""
    store_dir = tmp_path / "s"
    with Store.open(store_dir) as store:
        store.backup(tmp_path / "bk")
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "data.txt").write_text("keep")
    (store_dir / ("db-" + "0" * 32)).symlink_to(precious)
    assert SEED_GRAPH in graph_counts(store_dir)
    assert (precious / "data.txt").read_text() == "keep"
    assert not (store_dir / ("db-" + "0" * 32)).exists()

    (store_dir / MARKER).write_text("{not json")
    result = run("--store", "s", "stats", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (
        2,
        f"Error: {store_dir}: the store's marker file {MARKER} is damaged; restore the store "
        "from a backup ('pledgegraph restore DIR')\n",
    )
    result = run("--store", "s", "restore", "bk", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert SEED_GRAPH in graph_counts(store_dir)
    assert len(list(store_dir.glob("db-*"))) == 1

    fresh = tmp_path / "fresh"
    (fresh / ("db-" + "1" * 32)).mkdir(parents=True)  # killed before its marker was written
    (fresh / LOCK_FILE).write_text("")
    with Store.open(fresh) as store:
        assert store.is_initialised()


@contextlib.contextmanager
def small_disk(disk: Path, size: str) -> Iterator[Path]:
    """A tmpfs of ``size`` mounted at ``disk`` (skips the test unless root may mount one)."""
    disk.mkdir()
    if (
        os.geteuid() != 0
        or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(disk)], capture_output=True
        ).returncode
    ):
        pytest.skip("cannot mount a small tmpfs (not root)")
    try:
        yield disk
    finally:
        subprocess.run(["umount", str(disk)], check=True)


def test_full_disk_gives_one_line_and_loses_nothing(tmp_path: Path) -> None:
    """On a small tmpfs (needs root to mount): a replace that runs out of space."""
    with small_disk(tmp_path / "disk", "4m") as disk:
        write_nt(disk / "x.nt", "v1", 2000)
        assert run("--store", "s", "load", "x.nt", cwd=disk).returncode == 0
        write_nt(tmp_path / "x.nt", "v2", 20_000)  # 1.3 MB: more than is left
        free = shutil.disk_usage(disk).free
        (disk / "filler").write_bytes(b"\0" * (free - 150_000))
        result = run(
            "--store", "s", "load", str(tmp_path / "x.nt"), "--graph", GRAPH + "file/x-nt", cwd=disk
        )
        assert result.returncode == 2
        assert result.stderr.count("\n") == 1 and "the disk is full" in result.stderr
        assert "free some space and run the command again" in result.stderr
        (disk / "filler").unlink()
        subprocess.run(["mount", "-o", "remount,size=32m", str(disk)], check=True)  # more room
        shown = run(
            "--store", "s", "export", "--graph", GRAPH + "file/x-nt", "-f", "ntriples", cwd=disk
        )
        # The old version, or the new one rolled forward: never a mix, never nothing.
        versions = {line.split('"')[1].split("-")[0] for line in shown.stdout.splitlines()}
        assert len(versions) == 1, (versions, shown.stderr)
        assert len(shown.stdout.splitlines()) in (2000, 20_000)
        assert list(disk.rglob("bulk-*")) == []


@pytest.mark.parametrize("step", ["migrate-copied", "migrate-switched", "migrate-removing"])
def test_old_layout_conversion_killed_at_each_step(tmp_path: Path, step: str) -> None:
    old = tmp_path / "old"
    with Store.open(tmp_path / "model") as model:
        model.backup(old)
        expected = {g: model.count(g) for g in model.graphs()}
    (old / BACKUP_MARKER).unlink()
    killed = run("--store", "old", "stats", cwd=tmp_path, kill_at=step)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert graph_counts(old) == expected
    names = sorted(p.name for p in old.iterdir())
    assert names[0].startswith("db-") and names[1:] == [MARKER, LOCK_FILE]


# --- 3. a load racing a restore -------------------------------------------------------------


@pytest.mark.slow
def test_load_racing_restore_never_corrupts(tmp_path: Path) -> None:
    assert run("--store", "s", "backup", "bk", cwd=tmp_path).returncode == 0
    write_nt(tmp_path / "big.nt", "v1", 100_000)
    for delay in (0.0, 0.3, 1.0):
        load = subprocess.Popen(
            [sys.executable, "-m", "pledgegraph", "--store", "s", "load", "big.nt"],
            cwd=tmp_path,
            env=ENV,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(delay)
        restore = run("--store", "s", "restore", "bk", cwd=tmp_path)
        load_err = load.communicate()[1]
        for code, err in ((load.returncode, load_err), (restore.returncode, restore.stderr)):
            assert code == 0 or (code == 2 and "in use by another pledgegraph process" in err), err
        counts = graph_counts(tmp_path / "s")
        assert counts.get(GRAPH + "file/big-nt", 100_000) == 100_000, counts
        assert SEED_GRAPH in counts
        assert run("--store", "s", "stats", cwd=tmp_path).returncode == 0


def test_restore_holds_the_lock_throughout(tmp_path: Path) -> None:
    """While a restore is between its steps, another process cannot open the store."""
    store_dir = tmp_path / "s"
    with Store.open(store_dir) as store:
        store.backup(tmp_path / "bk")
    env = {**ENV, ENV_KILL_AT: "never"}
    script = (
        "import sys, time, pledgegraph.graph.storedir as d\n"
        "original = d.kill_point\n"
        "def pause(step):\n"
        "    if step == 'restore-copied':\n"
        "        print('paused', flush=True); time.sleep(3)\n"
        "d.kill_point = pause\n"
        "import pledgegraph.graph.store as s\n"
        "s.kill_point = pause\n"
        "s.Store.restore(sys.argv[1], sys.argv[2]).close()\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script, str(tmp_path / "bk"), str(store_dir)],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline() == "paused\n"
    from pledgegraph.errors import StoreLockedError

    with pytest.raises(StoreLockedError):
        Store.open(store_dir, wait=0.2)
    assert process.wait() == 0
    assert SEED_GRAPH in graph_counts(store_dir)


# --- 4. a restore killed at every step ------------------------------------------------------


@pytest.mark.parametrize(
    ("step", "restored"),
    [
        ("restore-copy", False),
        ("restore-copied", False),
        ("restore-switched", True),
        ("restore-removing", True),
    ],
)
def test_restore_killed_at_each_step_leaves_old_or_new_store(
    tmp_path: Path, step: str, restored: bool
) -> None:
    write_nt(tmp_path / "extra.nt", "v1")
    assert run("--store", "s", "load", "extra.nt", cwd=tmp_path).returncode == 0
    assert run("--store", "s", "backup", "bk", cwd=tmp_path).returncode == 0
    extra = GRAPH + "file/extra-nt"
    with Store.open(tmp_path / "s") as store:
        store.remove_source(extra)
    killed = run("--store", "s", "restore", "bk", cwd=tmp_path, kill_at=step)
    assert killed.returncode == -signal.SIGKILL, killed.stderr

    counts = graph_counts(tmp_path / "s")
    assert (extra in counts) is restored, counts
    assert SEED_GRAPH in counts  # never a fresh empty store, never neither
    assert len(list((tmp_path / "s").glob("db-*"))) == 1  # the other copy is gone
    # A retried restore completes and keeps the backup intact.
    again = run("--store", "s", "restore", "bk", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert extra in graph_counts(tmp_path / "s")
    assert (tmp_path / "bk" / "CURRENT").exists()


# --- 5. reserved graphs are never written by load -------------------------------------------


@pytest.mark.parametrize(
    "graph",
    [
        REFERENCE_GRAPH,
        ONTOLOGY_GRAPH,
        LINKS_GRAPH,
        INFERRED_GRAPH,
        SEED_GRAPH,
        GRAPH + "new",
        # (anything else under our base: a pledge's IRI was taken as a graph; an attack)
        "https://w3id.org/pledgegraph/id/pledge/x",
        "https://w3id.org/pledgegraph/ontology",
    ],
)
@pytest.mark.parametrize("suffix", [".trig", ".nq"])
def test_a_file_cannot_write_a_reserved_graph(tmp_path: Path, graph: str, suffix: str) -> None:
    store_dir = tmp_path / "s"
    with Store.open(store_dir) as store:
        before = {g: store.count(g) for g in store.graphs()}
    path = tmp_path / f"x{suffix}"
    line = f"<https://e.org/s> <https://e.org/p> <https://e.org/o> <{graph}> .\n"
    path.write_text(line if suffix == ".nq" else f"<{graph}> {{ {line.rsplit('<', 1)[0]}. }}\n")
    result = run("--store", str(store_dir), "load", str(path), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        f"Error: {path}: names the graph <{graph}>, which is reserved for pledgegraph's own "
        "data; a file may write only its own graphs: rename that graph in the file\n"
    )
    assert graph_counts(store_dir) == before


@pytest.mark.parametrize(
    "graph", ["https://w3id.org/pledge%09graph/notes", "https://w3id.org/pledgegraphs/x"]
)
def test_graph_option_may_name_another_address(tmp_path: Path, graph: str) -> None:
    """A re-attack: "…/pledge%09graph/…" was refused as reserved (the tab dropped when the
    address was read); it is another address."""
    write_nt(tmp_path / "x.nt", "v1", 1)
    result = run("--store", "s", "load", "x.nt", "--graph", graph, cwd=tmp_path)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "graph",
    [
        REFERENCE_GRAPH,
        SEED_GRAPH,
        GRAPH + "file/other-nt",
        "https://w3id.org/pledgegraph/id/pledge/x",
        "https://w3id.org/pledgegraph/kind/parks",
        # the same addresses written otherwise (an attack loaded each of these)
        "HTTPS://W3ID.ORG/pledgegraph/graph/links",
        "http://w3id.org/pledgegraph/graph/links",
        "https://w3id.org/pledgegraph",
        "https://w3id.org/%70ledgegraph/graph/links",
        "https://w3id.org/x/../pledgegraph/graph/links",
        "https://w3id.org:443/pledgegraph/graph/links",
    ],
)
def test_graph_option_cannot_name_a_reserved_graph(tmp_path: Path, graph: str) -> None:
    store_dir = tmp_path / "s"
    write_nt(tmp_path / "x.nt", "v1", 1)
    write_nt(tmp_path / "other.nt", "v1", 3)
    assert run("--store", str(store_dir), "load", "other.nt", cwd=tmp_path).returncode == 0
    with Store.open(store_dir) as store:
        before = {g: store.count(g) for g in store.graphs()}
    result = run("--store", str(store_dir), "load", "x.nt", "--graph", graph, cwd=tmp_path)
    assert (result.returncode, result.stderr) == (
        2,
        f"Error: --graph: the graph <{graph}> is reserved for pledgegraph's own data; "
        "load the file into another graph (--graph IRI)\n",
    )
    assert graph_counts(store_dir) == before
    parks = run("--store", str(store_dir), "query", "parks-by-year", "-f", "csv", cwd=tmp_path)
    assert parks.returncode == 0 and len(parks.stdout.splitlines()) > 1


def test_a_file_cannot_replace_another_files_graph() -> None:
    store = Store.memory(initialise=False)
    triple = "<https://e.org/s> <https://e.org/p> <https://e.org/o>"
    store.load_rdf("a.nq", data=f"{triple} <https://e.org/g> .\n".encode())
    from pledgegraph.errors import InputError

    with pytest.raises(InputError) as caught:
        store.load_rdf("b.trig", data=f"<https://e.org/g> {{ {triple} . }}".encode())
    assert caught.value.message == (
        "b.trig: names the graph <https://e.org/g>, which belongs to another source "
        f"(<{GRAPH}file/a-nq>); a file may write only its own graphs: rename that graph in the file"
    )
    # The same file may reload its own graphs; graphs it no longer names go with the old version.
    store.load_rdf("a.nq", data=f"{triple} <https://e.org/h> .\n".encode())
    assert store.graphs() == ["https://e.org/h"]


# --- 6. staging graphs of a killed reasoning run --------------------------------------------


def test_staging_graphs_are_removed_at_open_and_never_shown(tmp_path: Path) -> None:
    store_dir = tmp_path / "s"
    with Store.open(store_dir) as store:
        before = {g: store.count(g) for g in store.graphs()}
        staging = ox.NamedNode(GRAPH + "staging/reason-0123")
        store.inner.add(
            ox.Quad(
                ox.NamedNode("https://e.org/s"),
                ox.NamedNode("https://e.org/p"),
                ox.Literal("x"),
                staging,
            )
        )
        assert staging.value not in store.graphs()  # hidden even before the next open
        assert all(q.graph_name != staging for q in store.quads())
    # A killed `reason` leaves such graphs: the next open removes them.
    stats = run("--store", str(store_dir), "stats", "--json", cwd=tmp_path)
    assert "graph/staging" not in stats.stdout
    exported = run("--store", str(store_dir), "export", "-f", "nquads", cwd=tmp_path)
    assert "graph/staging" not in exported.stdout
    with Store.open(store_dir) as store:
        assert not store.inner.contains_named_graph(staging)
        assert {g: store.count(g) for g in store.graphs()} == before


@pytest.mark.slow
def test_killed_reason_leaves_nothing_visible(tmp_path: Path) -> None:
    store_dir = tmp_path / "s"
    assert run("--store", str(store_dir), "stats", cwd=tmp_path).returncode == 0
    before = run("--store", str(store_dir), "stats", "--json", cwd=tmp_path).stdout
    for delay in (0.5, 1.0, 2.0):
        process = subprocess.Popen(
            [sys.executable, "-m", "pledgegraph", "--store", str(store_dir), "reason", "--rebuild"],
            env=ENV,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        after = run("--store", str(store_dir), "stats", "--json", cwd=tmp_path).stdout
        assert "graph/staging" not in after
        if INFERRED_GRAPH not in after:
            assert after == before


# --- 7. papercuts ---------------------------------------------------------------------------


def test_restore_from_a_damaged_backup_is_one_error_line(tmp_path: Path) -> None:
    assert run("--store", "s", "backup", "bk", cwd=tmp_path).returncode == 0
    (tmp_path / "bk" / "CURRENT").write_text("garbage\n")
    result = run("--store", "s", "restore", "bk", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("Error: bk: the backup cannot be read (")
    assert result.stderr.endswith(
        "); give a directory written by 'pledgegraph backup', unchanged\n"
    )
    assert result.stderr.count("\n") == 1
    assert SEED_GRAPH in graph_counts(tmp_path / "s")


def test_restore_into_the_current_directory(tmp_path: Path) -> None:
    assert run("--store", "s", "backup", "bk", cwd=tmp_path).returncode == 0
    result = run("--store", ".", "restore", str(tmp_path / "bk"), cwd=tmp_path / "s")
    assert result.returncode == 0, result.stderr
    assert SEED_GRAPH in graph_counts(tmp_path / "s")


def test_backup_into_the_store_is_refused(tmp_path: Path) -> None:
    assert run("--store", "s", "stats", cwd=tmp_path).returncode == 0
    for target in ("s/bk", "s/db-x/bk"):
        result = run("--store", "s", "backup", target, cwd=tmp_path)
        assert (result.returncode, result.stderr) == (
            2,
            f"Error: {target}: is inside the store; choose a directory outside the store for the "
            "backup\n",
        )
    assert not (tmp_path / "s" / "bk").exists()


def test_failed_bulk_load_leaves_no_files(tmp_path: Path) -> None:
    store_dir = tmp_path / "s"
    big = tmp_path / "bad.nt"
    write_nt(big, "v1", 60_000)  # > 4 MB: the bulk loader
    with big.open("a") as out:
        out.write("<https://e.org/broken\n")
    with Store.open(store_dir) as store:
        before = {g: store.count(g) for g in store.graphs()}
    result = run("--store", str(store_dir), "load", str(big), cwd=tmp_path)
    assert result.returncode == 2
    assert list(store_dir.rglob("bulk-*")) == []
    assert graph_counts(store_dir) == before


def test_info_logs_do_not_pile_up(tmp_path: Path) -> None:
    store_dir = tmp_path / "s"
    for _ in range(6):
        Store.open(store_dir).close()
    (database,) = store_dir.glob("db-*")
    assert len(list(database.glob("LOG.old.*"))) <= 1


def test_state_lives_with_the_database(tmp_path: Path) -> None:
    """Backups carry the state file, and a restored store reads it."""
    with Store.open(tmp_path / "s") as store:
        store.set_state(marker_test=True)
        store.backup(tmp_path / "bk")
    assert (tmp_path / "bk" / STATE_FILE).exists()
    shutil.rmtree(tmp_path / "s")
    restored = Store.restore(tmp_path / "bk", tmp_path / "s")
    try:
        assert restored.state().get("marker_test") is True
    finally:
        restored.close()


def test_import_on_a_full_disk_gives_one_line_and_leaves_the_store_empty(tmp_path: Path) -> None:
    """An attack (on a small tmpfs, needs root): an import that ran out of space printed a
    traceback from emptying the store again, with exit 1."""
    with small_disk(tmp_path / "disk", "3m") as disk:
        big = tmp_path / "big.nq"
        with big.open("w", encoding="utf-8") as out:
            for k in range(60_000):
                out.write(f'<https://e.org/s{k}> <https://e.org/p> "v{k}" <https://e.org/g> .\n')
        result = run("--store", "s", "import", str(big), cwd=disk)
        assert result.returncode == 2, result.stderr
        assert result.stderr.count("\n") == 1 and "the disk is full" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
        subprocess.run(["mount", "-o", "remount,size=64m", str(disk)], check=True)  # more room
        again = run("--store", "s", "import", str(big), cwd=disk)  # nothing was left behind
        assert again.returncode == 0, again.stderr
        assert again.stderr.startswith(f"imported {big}: 60000 quads in 1 graph"), again.stderr
