"""A write cut off after its commit, and other store attacks of 2026-12-03 (each reproduced first).

A load, reload or removal commits its data in one step, then does follow-up steps: summary rows
for an RDF file's targets, links for new regions, dropping shared nodes (regions, deadlines,
publishers) that no source names any more. Killed, stopped or out of disk between the two, the
store used to keep the new data without its follow-ups for good (questions missing targets,
regions without links, regions of removed sources listed), and Ctrl-C said "the store is
unchanged". The steps are now recorded in the same state update as the commit and finished at
the next open. Real processes on real stores, killed at named steps (``PLEDGEGRAPH_TEST_KILL_AT``).
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from pledgegraph.graph.storedir import MARKER, STATE_FILE
from tests.test_attacks_store import ENV, run  # (real processes, killed at named steps)

SHEET_A = """\
source:
  url: https://example.org/made-up/follow-a
  key: follow-a
  title: A made-up plan for parks in two regions
  publisher: Follow News
pledges:
  - region: FR
    deadline: 2023
    sector: ai
    targets:
      - {kind: parks, quantity: 4}
      - {kind: firms, quantity: 50}
  - region: CN-ZJ
    deadline: 2022
    sector: blockchain
    targets:
      - {kind: parks, quantity: 2}
"""

SHEET_B = """\
source:
  url: https://example.org/made-up/follow-b
  key: follow-b
  title: A made-up fund pledge
  publisher: Other News
pledges:
  - region: DE
    deadline: 2024
    sector: ai
    targets:
      - {kind: funds, quantity: 7}
"""


def ok(*args: str, cwd: Path) -> str:
    done = run(*args, cwd=cwd)
    assert done.returncode == 0, done.stderr
    return done.stdout


def answer(store: Path, question: str, cwd: Path) -> list[str]:
    return ok("--store", str(store), "query", question, "--format", "tsv", cwd=cwd).splitlines()


@pytest.fixture
def sheets(tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "a.pledges.yaml", tmp_path / "b.pledges.yaml"
    a.write_text(SHEET_A, encoding="utf-8")
    b.write_text(SHEET_B, encoding="utf-8")
    return a, b


def fresh(tmp_path: Path, name: str) -> Path:
    store = tmp_path / name
    ok("--store", str(store), "stats", cwd=tmp_path)
    return store


def test_fact_sheet_killed_after_commit_gets_its_links_at_next_open(
    tmp_path: Path, sheets: tuple[Path, Path]
) -> None:
    whole = fresh(tmp_path, "whole")
    ok("--store", str(whole), "load", str(sheets[0]), cwd=tmp_path)
    cut = fresh(tmp_path, "cut")
    killed = run(
        "--store", str(cut), "load", str(sheets[0]), cwd=tmp_path, kill_at="write-committed"
    )
    assert killed.returncode == -9
    assert answer(cut, "regions-linked", tmp_path) == answer(whole, "regions-linked", tmp_path)
    assert answer(cut, "pledges-by-country", tmp_path) == answer(
        whole, "pledges-by-country", tmp_path
    )


def test_ctrl_c_after_commit_says_the_data_is_in(tmp_path: Path, sheets: tuple[Path, Path]) -> None:
    store = fresh(tmp_path, "s")
    stopped = run(
        "--store", str(store), "load", str(sheets[0]), cwd=tmp_path, kill_at="write-committed:INT"
    )
    assert stopped.returncode == 130
    assert "unchanged" not in stopped.stderr
    assert "already reached the store" in stopped.stderr
    assert "follow-a" in ok("--store", str(store), "stats", "--graphs", cwd=tmp_path)


def test_remove_killed_after_commit_drops_unused_regions_at_next_open(
    tmp_path: Path, sheets: tuple[Path, Path]
) -> None:
    baseline = answer(fresh(tmp_path, "base"), "regions-linked", tmp_path)
    store = fresh(tmp_path, "s")
    ok("--store", str(store), "load", str(sheets[0]), cwd=tmp_path)
    assert answer(store, "regions-linked", tmp_path) != baseline
    killed = run(
        "--store", str(store), "remove", "follow-a", cwd=tmp_path, kill_at="write-committed"
    )
    assert killed.returncode == -9
    assert answer(store, "regions-linked", tmp_path) == baseline
    assert answer(store, "region-hierarchy", tmp_path) == answer(
        tmp_path / "base", "region-hierarchy", tmp_path
    )


def test_reload_with_another_region_forgets_the_old_one(
    tmp_path: Path, sheets: tuple[Path, Path]
) -> None:
    store = fresh(tmp_path, "s")
    ok("--store", str(store), "load", str(sheets[1]), cwd=tmp_path)
    moved = tmp_path / "b2.pledges.yaml"
    moved.write_text(SHEET_B.replace("region: DE", "region: JP"), encoding="utf-8")
    # (another file of the source: it replaces the first only when asked to)
    ok("--store", str(store), "load", "--replace", str(moved), cwd=tmp_path)
    only = fresh(tmp_path, "only")
    ok("--store", str(only), "load", str(moved), cwd=tmp_path)
    for question in ("regions-linked", "region-hierarchy", "pledges-by-country"):
        assert answer(store, question, tmp_path) == answer(only, question, tmp_path), question


def test_rdf_file_killed_after_commit_gets_its_rows_at_next_open(
    tmp_path: Path, sheets: tuple[Path, Path]
) -> None:
    source = fresh(tmp_path, "source")
    ok("--store", str(source), "load", str(sheets[0]), cwd=tmp_path)
    graph = "https://w3id.org/pledgegraph/graph/source/follow-a"
    data = tmp_path / "a.ttl"
    data.write_text(
        ok("--store", str(source), "export", "--graph", graph, cwd=tmp_path), encoding="utf-8"
    )
    assert "pledge:row " not in data.read_text(encoding="utf-8")  # exports leave rows out
    whole = fresh(tmp_path, "whole")
    ok("--store", str(whole), "load", "--lenient", str(data), cwd=tmp_path)
    cut = fresh(tmp_path, "cut")
    killed = run(
        "--store", str(cut), "load", "--lenient", str(data), cwd=tmp_path, kill_at="write-committed"
    )
    assert killed.returncode == -9
    assert run("--store", str(cut), "reindex", "--check", cwd=tmp_path).returncode == 0
    assert answer(cut, "parks-by-year", tmp_path) == answer(whole, "parks-by-year", tmp_path)


def test_first_fill_killed_is_done_again(tmp_path: Path) -> None:
    store = tmp_path / "s"
    killed = run("--store", str(store), "stats", cwd=tmp_path, kill_at="write-committed")
    assert killed.returncode == -9  # (the ontology's write: the bundled data not yet in)
    assert answer(store, "parks-by-year", tmp_path) == answer(
        fresh(tmp_path, "whole"), "parks-by-year", tmp_path
    )


def test_import_killed_is_undone(tmp_path: Path) -> None:
    source = fresh(tmp_path, "source")
    dump = tmp_path / "all.nq"
    ok("--store", str(source), "export", "-f", "nquads", "-o", str(dump), cwd=tmp_path)
    store = tmp_path / "s"
    killed = run("--store", str(store), "import", str(dump), cwd=tmp_path, kill_at="import-loaded")
    assert killed.returncode == -9
    again = run("--store", str(store), "import", str(dump), cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert f"import of {dump}" in again.stderr and "cut off" in again.stderr
    assert answer(store, "parks-by-year", tmp_path) == answer(source, "parks-by-year", tmp_path)


def test_import_killed_then_another_command_says_what_it_did(tmp_path: Path) -> None:
    """An outside attack: the note told users to run the import again, while the command
    that printed it had just filled the store with the bundled data (so the import was
    refused as "not empty")."""
    source = fresh(tmp_path, "source")
    dump = tmp_path / "all.nq"
    ok("--store", str(source), "export", "-f", "nquads", "-o", str(dump), cwd=tmp_path)
    store = tmp_path / "s"
    killed = run("--store", str(store), "import", str(dump), cwd=tmp_path, kill_at="import-loaded")
    assert killed.returncode == -9
    stats = run("--store", str(store), "stats", cwd=tmp_path)
    assert stats.returncode == 0, stats.stderr
    assert "filled with the bundled data as a new store" in stats.stderr
    new = tmp_path / "new"
    assert f"pledgegraph --store NEW_DIR import {dump}" in stats.stderr
    refused = run("--store", str(store), "import", str(dump), cwd=tmp_path)
    assert refused.returncode == 2 and "not empty" in refused.stderr  # as the note says
    assert run("--store", str(new), "import", str(dump), cwd=tmp_path).returncode == 0
    assert answer(new, "parks-by-year", tmp_path) == answer(source, "parks-by-year", tmp_path)


def test_missing_marker_keeps_the_database(tmp_path: Path, sheets: tuple[Path, Path]) -> None:
    store = fresh(tmp_path, "s")
    ok("--store", str(store), "load", str(sheets[1]), cwd=tmp_path)
    (store / MARKER).unlink()
    assert "follow-b" in ok("--store", str(store), "stats", "--graphs", cwd=tmp_path)
    (store / MARKER).unlink()
    database = next(store.glob("db-*"))
    copy = store / ("db-" + "0" * 32)
    copy.mkdir()
    (copy / "CURRENT").write_text("x", encoding="utf-8")
    refused = run("--store", str(store), "stats", cwd=tmp_path)
    assert refused.returncode != 0
    assert refused.stderr.count("\n") == 1 and "Traceback" not in refused.stderr
    assert "marker file" in refused.stderr and "2 databases" in refused.stderr
    assert database.is_dir() and copy.is_dir()  # nothing removed


@pytest.mark.parametrize(
    "pending",
    [
        {"remove": "https://example.org/not-a-list"},
        {"remove": ["not an iri"]},
        {"replace": [1, 2]},
        "nonsense",
    ],
)
def test_damaged_state_file_is_one_line(tmp_path: Path, pending: object) -> None:
    store = fresh(tmp_path, "s")
    state = next(store.glob("db-*")) / STATE_FILE
    value = json.loads(state.read_text(encoding="utf-8"))
    value["pending"] = pending
    state.write_text(json.dumps(value), encoding="utf-8")
    done = run("--store", str(store), "stats", cwd=tmp_path)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("Error: ") and done.stderr.count("\n") == 1
    assert "state file is damaged" in done.stderr
    for damaged in ({**value, "pending": None, "importing": 7}, []):
        state.write_text(json.dumps(damaged), encoding="utf-8")
        done = run("--store", str(store), "stats", cwd=tmp_path)
        assert done.returncode != 0 and "state file is damaged" in done.stderr, done.stderr
    state.write_text("{not json", encoding="utf-8")
    done = run("--store", str(store), "stats", cwd=tmp_path)
    assert done.returncode != 0 and "state file cannot be read" in done.stderr


def test_export_follows_a_link_and_writes_into_devices_and_pipes(tmp_path: Path) -> None:
    store = fresh(tmp_path, "s")
    kept = tmp_path / "real.ttl"
    kept.write_text("old", encoding="utf-8")
    link = tmp_path / "link.ttl"
    link.symlink_to(kept.name)
    ok("--store", str(store), "export", "-o", str(link), cwd=tmp_path)
    assert link.is_symlink() and kept.read_text(encoding="utf-8").startswith("@prefix")
    ok("--store", str(store), "export", "-o", os.devnull, cwd=tmp_path)
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    ok("--store", str(store), "export", "-o", str(fifo), cwd=tmp_path)
    reader.join(timeout=60)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert received and received[0].startswith(b"@prefix")
    if os.path.exists("/dev/full"):
        full = run("--store", str(store), "export", "-o", "/dev/full", cwd=tmp_path)
        assert full.returncode == 2 and "No space left" in full.stderr
        assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_sheet_without_pledges_never_replaces_a_source(
    tmp_path: Path, sheets: tuple[Path, Path]
) -> None:
    store = fresh(tmp_path, "s")
    ok("--store", str(store), "load", str(sheets[1]), cwd=tmp_path)
    before = answer(store, "pledges-by-country", tmp_path)
    head = SHEET_B.split("pledges:")[0]
    for body in (head, head + "pledges: []\n", head + "pledges:\n"):
        empty = tmp_path / "empty.pledges.yaml"
        empty.write_text(body, encoding="utf-8")
        refused = run("--store", str(store), "load", str(empty), cwd=tmp_path)
        assert refused.returncode == 2, refused.stderr
        assert refused.stderr.count("\n") == 1 and "has no pledges" in refused.stderr
        assert answer(store, "pledges-by-country", tmp_path) == before


def test_pledges_by_sector_with_a_target_of_no_sector(tmp_path: Path) -> None:
    """A target with no sector got every notation in the store (kinds too) as its sector."""
    store = fresh(tmp_path, "s")
    before = answer(store, "pledges-by-sector", tmp_path)
    sheet = tmp_path / "none.pledges.yaml"
    sheet.write_text(
        SHEET_B.replace("    sector: ai\n", "").replace("funds, quantity: 7", "parks, quantity: 3"),
        encoding="utf-8",
    )
    ok("--store", str(store), "load", str(sheet), cwd=tmp_path)
    after = answer(store, "pledges-by-sector", tmp_path)
    assert after == [*before, '""\t""\t1\t1\t1\t"DE"']
    only = ok(
        "--store",
        str(store),
        "query",
        "pledges-by-sector",
        "-p",
        "sector=ai",
        "--format",
        "tsv",
        cwd=tmp_path,
    )
    assert only.splitlines()[1:] == []


def test_serve_killed_with_sigkill_takes_its_workers_with_it(tmp_path: Path) -> None:
    """Its HTTP workers used to keep the port and answer from an old snapshot of the store."""
    import signal
    import socket
    import time
    import urllib.request

    store = fresh(tmp_path, "s")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "pledgegraph", "--store", str(store), "serve", "--port", str(port)],
        cwd=tmp_path,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/api/queries"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as answer:
                    assert answer.status == 200
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.5)
        server.send_signal(signal.SIGKILL)
        server.wait()
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=2):
                    pass
            except OSError:
                break  # nobody listens any more
            assert time.monotonic() < deadline, "the workers still hold the port"
            time.sleep(0.5)
    finally:
        if server.poll() is None:
            server.kill()


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("10-20 thousand", [10_000, 20_000]),
        ("between 5 and 8 thousand", [5_000, 8_000]),
        ("10 to 20 million", [10_000_000, 20_000_000]),
        ("ten to twenty thousand", [10_000, 20_000]),
        ("10-20", [10, 20]),
    ],
)
def test_a_range_shares_its_scale_word(phrase: str, expected: list[int]) -> None:
    """'10-20 thousand parks' was read as [10, 20000]: the scale word belongs to both ends."""
    from pledgegraph.loaders.extraction.patterns import parse_quantity_end

    parsed = parse_quantity_end(f"Hunan will build {phrase} ")
    assert parsed.quantity is not None
    assert [parsed.quantity.minimum, parsed.quantity.maximum] == expected
