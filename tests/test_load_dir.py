"""``pledgegraph load DIR``: a folder loaded recursively, each file all-or-nothing (issue 12)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pledgegraph.errors import InputError
from pledgegraph.loaders.folders import files_in
from tests.conftest import Invoke


def _sheet(key: str, region: str = "Sichuan") -> str:
    return (
        f"source:\n  url: https://example.org/{key}\n  key: {key}\n  title: T {key}\n"
        f"pledges:\n  - region: {region}\n    deadline: 2025\n    targets:\n"
        "      - kind: parks\n        quantity: 2\n"
    )


def _tree(root: Path) -> dict[str, Path]:
    """A folder with sheets and RDF files at three depths, a bad sheet, and things to skip."""
    files = {
        "a": root / "a.pledges.yaml",
        "nested": root / "sub" / "deeper" / "b.pledges.yml",
        "ttl": root / "sub" / "extra.ttl",
        "bad": root / "sub" / "z-bad.pledges.yaml",
    }
    for path in files.values():
        path.parent.mkdir(parents=True, exist_ok=True)
    files["a"].write_text(_sheet("a"))
    files["nested"].write_text(_sheet("b", "Hunan"))
    files["ttl"].write_text("<https://e.org/s> <https://e.org/p> <https://e.org/o> .\n")
    files["bad"].write_text(_sheet("z", "Atlantis"))
    (root / ".hidden.pledges.yaml").write_text("not: [yaml")  # hidden: skipped
    (root / ".git").mkdir()
    (root / ".git" / "x.ttl").write_text("garbage")  # inside a hidden folder: skipped
    (root / "notes.txt").write_text("not RDF")  # unknown extension: skipped
    (root / "package.json").write_text("{}")  # .json is too generic: skipped
    return files


def test_files_in_is_recursive_sorted_and_skips_hidden(tmp_path: Path) -> None:
    files = _tree(tmp_path)
    assert files_in(str(tmp_path)) == [
        str(files["a"]),
        str(files["nested"]),
        str(files["ttl"]),
        str(files["bad"]),
    ]


def test_files_in_survives_symlink_loops(tmp_path: Path) -> None:
    files = _tree(tmp_path)
    os.symlink(tmp_path, tmp_path / "sub" / "loop")  # back up to the top
    os.symlink(tmp_path / "sub", tmp_path / "sub" / "deeper" / "up")  # a cycle one level down
    os.symlink(tmp_path / "nowhere", tmp_path / "dangling")
    found = files_in(str(tmp_path))
    assert found == [str(files["a"]), str(files["nested"]), str(files["ttl"]), str(files["bad"])]


def test_files_in_unreadable_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError) as raised:
        files_in(str(tmp_path / "missing"))
    assert raised.value.message == (
        f"{tmp_path / 'missing'}: cannot read the folder: No such file or directory; check it"
    )


def test_load_folder_with_a_bad_file(cli: Invoke, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    files = _tree(folder)
    result = cli("load", str(folder))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert f"Error: {files['bad']}:6: unknown region 'Atlantis'" in result.stderr
    assert lines[-1].startswith("3 of 4 files loaded (")  # one summary line
    assert lines[-1].endswith(" quads), 1 not loaded (the store holds the others)")
    stats = cli("sparql", "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", "-f", "csv")
    graphs = stats.stdout
    assert "/source/a" in graphs and "/source/b" in graphs and "/source/z" not in graphs
    assert "/file/extra-ttl" in graphs


def test_load_folder_all_good_exit_0(cli: Invoke, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    files = _tree(folder)
    files["bad"].unlink()
    result = cli("load", str(folder))
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[-1].startswith("3 of 3 files loaded (")
    # loading it again: the sheets the store holds as they are stay, the RDF file is replaced
    again = cli("load", str(folder))
    assert again.exit_code == 0
    verbs = [line.split(" ", 1)[0] for line in again.stderr.splitlines()[:-1]]
    assert sorted(verbs) == ["replaced", "unchanged", "unchanged"]


def test_standard_input_twice_is_read_once(cli: Invoke) -> None:
    """``load - -``: the second ``-`` would read an empty stream (an error, exit 1); it is a
    repeat, like a file named twice."""
    result = cli("load", "-", "-", input=_sheet("stdin-twice"))
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [
        "Note: -: given twice; loaded once",
        "loaded -: " + result.stderr.split("loaded -: ", 1)[1].splitlines()[0],
    ]
    checked = cli("validate", "-", "-", input=_sheet("stdin-twice"))
    assert checked.exit_code == 0, checked.stdout + checked.stderr
    assert "in -\n" in checked.stdout


def test_load_folder_all_bad_exit_2(cli: Invoke, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "x.pledges.yaml").write_text(_sheet("x", "Atlantis"))
    (folder / "y.ttl").write_text("<a> <b> .\n")
    before = cli("export", "--format", "nquads").stdout
    result = cli("load", str(folder))
    assert result.exit_code == 2
    # One summary line, not a second one saying the store "holds the others" (there are none).
    assert result.stderr.splitlines()[-1] == "0 of 2 files loaded (0 quads), 2 not loaded"
    assert cli("export", "--format", "nquads").stdout == before


def test_load_empty_folder(cli: Invoke, tmp_path: Path) -> None:
    (tmp_path / "empty" / ".hidden").mkdir(parents=True)
    result = cli("load", str(tmp_path / "empty"))
    assert result.exit_code == 0
    assert result.stderr == f"no fact sheets or RDF files in {tmp_path / 'empty'}: nothing loaded\n"


def test_load_folder_with_graph_is_refused(cli: Invoke, tmp_path: Path) -> None:
    _tree(tmp_path / "in")
    result = cli("load", str(tmp_path / "in"), "--graph", "https://e.org/g")
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {tmp_path / 'in'}: --graph names the graph of one RDF file; a folder holds "
        "many; load the folder without --graph, or the file on its own\n"
    )


def test_load_folder_with_symlink_loop(cli: Invoke, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    files = _tree(folder)
    files["bad"].unlink()
    os.symlink(folder, folder / "sub" / "loop")
    result = cli("load", str(folder))
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[-1].startswith("3 of 3 files loaded (")


def test_unknown_engine_is_one_error_line(
    cli: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sheet = tmp_path / "a.pledges.yaml"
    sheet.write_text(_sheet("a"))
    monkeypatch.setenv("PLEDGEGRAPH_SHACL_ENGINE", "jena")
    result = cli("load", str(sheet))
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: PLEDGEGRAPH_SHACL_ENGINE: unknown SHACL engine 'jena'; use one of auto, shacl, "
        "pyshacl (option --shacl-engine or $PLEDGEGRAPH_SHACL_ENGINE)\n"
    )


@pytest.mark.parametrize("engine", ["shacl", "pyshacl"])
def test_both_engines_report_the_same_lines(cli: Invoke, tmp_path: Path, engine: str) -> None:
    bad = Path(__file__).parent / "fixtures" / "invalid" / "shacl-region-undeclared.ttl"
    result = cli("load", "--shacl-engine", engine, str(bad))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{bad}:") and "shacl:PledgeShape.region:class" in lines[0]
    assert lines[-1] == (
        f"Error: {bad}: not loaded: 1 validation error (listed above); "
        "fix the source, or load it anyway with --lenient"
    )


def test_a_folder_loaded_again_writes_only_what_changed(cli: Invoke, tmp_path: Path) -> None:
    """A sheet the store holds already, quad for quad, is not replaced (a folder loaded again
    after a stop replaced every source, at several times the cost of a new one); a changed
    sheet is, and the store ends as a clean load of the folder leaves it."""
    from pledgegraph.graph.store import Store

    folder = tmp_path / "in"
    folder.mkdir()
    for key, region in (("a", "Sichuan"), ("b", "Hunan"), ("c", "Hebei")):
        (folder / f"{key}.pledges.yaml").write_text(_sheet(key, region))
    assert cli("load", str(folder)).exit_code == 0
    again = cli("load", str(folder))
    assert again.exit_code == 0, again.stderr
    assert [line.split(" ", 1)[0] for line in again.stderr.splitlines()[:3]] == ["unchanged"] * 3
    (folder / "b.pledges.yaml").write_text(
        _sheet("b", "Hunan").replace("quantity: 2", "quantity: 7")
    )
    changed = cli("load", str(folder))
    assert changed.exit_code == 0, changed.stderr
    verbs = [line.split(" ", 1)[0] for line in changed.stderr.splitlines()[:3]]
    assert verbs == ["unchanged", "replaced", "unchanged"]
    assert cli("reindex", "--check").exit_code == 0

    from tests.test_bulk_batches import data_quads

    def quads(path: Path) -> set[str]:
        with Store.open(path) as store:
            return data_quads(store)

    clean = tmp_path / "clean"
    from click.testing import CliRunner

    from pledgegraph.cli import main

    result = CliRunner().invoke(main, ["--store", str(clean), "load", str(folder)])
    assert result.exit_code == 0
    assert quads(tmp_path / "store") == quads(clean)


@pytest.mark.parametrize(("name", "content"), [("empty.ttl", ""), ("list.json", "[1, 2, 3]")])
def test_an_rdf_file_with_no_triples_is_refused(
    cli: Invoke, tmp_path: Path, name: str, content: str
) -> None:
    """It loaded as '0 quads', exit 0, and left nothing: a wrong file, or a .json that is no
    JSON-LD, said nothing."""
    path = tmp_path / name
    path.write_text(content)
    result = cli("load", str(path))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {path}: holds no RDF triples (")
    assert len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_a_reader_that_goes_away_does_not_stop_the_load(tmp_path: Path) -> None:
    """``pledgegraph load DIR 2>&1 | head -1``: the load's messages lose their reader after the
    first line; the load goes on to the end and its exit code says how it went (it said 0 with
    only the files before the broken pipe loaded)."""
    import subprocess
    import sys

    from tests.conftest import run_pledgegraph

    folder = tmp_path / "sheets"
    folder.mkdir()
    for n in range(6):  # RDF files: each one its own write, reported after it
        (folder / f"{n}.ttl").write_text(f"<https://e.org/s{n}> <https://e.org/p> {n} .\n")
    store = tmp_path / "store"
    loading = subprocess.Popen(
        [sys.executable, "-m", "pledgegraph", "--store", str(store), "load", str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    assert loading.stdout is not None
    first = loading.stdout.readline()
    loading.stdout.close()  # as `head -1` does
    assert loading.wait(timeout=120) == 0
    assert first.startswith(b"loaded ")
    graphs = run_pledgegraph(store, "stats", "--graphs").stdout
    assert [n for n in range(6) if f"/graph/file/{n}-ttl\n" in graphs] == list(range(6))


def test_an_export_still_ends_at_a_broken_pipe(tmp_path: Path) -> None:
    """A command whose output is its whole job stops when its reader goes (``export | head``),
    quietly and with 0, as before."""
    import subprocess
    import sys

    store = tmp_path / "store"
    exporting = subprocess.Popen(
        [sys.executable, "-m", "pledgegraph", "--store", str(store), "export", "-f", "nquads"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert exporting.stdout is not None and exporting.stderr is not None
    exporting.stdout.readline()
    exporting.stdout.close()
    assert exporting.wait(timeout=120) == 0
    assert exporting.stderr.read() == b""


def test_the_summary_says_what_was_loaded_again_unchanged(cli: Invoke, tmp_path: Path) -> None:
    """A new user's trial: a folder loaded again ended with 'N of N files loaded (…)' though
    nothing was written; and ``--quiet`` with one file printed no summary at all."""
    folder = tmp_path / "sheets"
    folder.mkdir()
    for name in ("a", "b"):
        (folder / f"{name}.pledges.yaml").write_text(_sheet(name))
    assert cli("load", str(folder)).exit_code == 0
    again = cli("load", str(folder))
    assert again.exit_code == 0
    assert again.stderr.splitlines()[-1].startswith("2 of 2 files loaded (")
    assert again.stderr.splitlines()[-1].endswith("; 2 unchanged, not written again)")
    one = cli("load", "-q", str(tmp_path / "sheets" / "a.pledges.yaml"))
    assert one.exit_code == 0
    assert one.stderr.startswith("1 of 1 files loaded (")


@pytest.mark.parametrize("how", ["stderr full", "stderr closed", "stdout closed", "stdout full"])
def test_a_load_whose_messages_cannot_be_written_still_loads(tmp_path: Path, how: str) -> None:
    """An outside attack: `load … 2>/dev/full` and `2>&-` lost the whole load with exit 1 (the
    first message failed); `>&-` gave a traceback and exit 1."""
    import subprocess
    import sys

    from tests.conftest import run_pledgegraph

    if "full" in how and not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    folder = tmp_path / "sheets"
    folder.mkdir()
    for n in range(6):  # (five or more: the progress bar's test of stderr runs)
        (folder / f"{n}.ttl").write_text(f"<https://e.org/s{n}> <https://e.org/p> {n} .\n")
    store = tmp_path / "store"
    stream = how.split()[0]
    target: dict[str, object] = {}
    if how.endswith("full"):
        target[stream] = open("/dev/full", "w")  # noqa: SIM115
    command = [sys.executable, "-m", "pledgegraph", "--store", str(store), "load", str(folder)]
    closed = {"stdout": 1, "stderr": 2}[stream]
    done = subprocess.run(
        command,
        stdout=target.get("stdout", subprocess.DEVNULL),  # type: ignore[arg-type]
        stderr=target.get("stderr", subprocess.PIPE),  # type: ignore[arg-type]
        # (a closed descriptor, as the shell's >&- leaves it)
        preexec_fn=(lambda: os.close(closed)) if how.endswith("closed") else None,
        timeout=120,
    )
    for handle in target.values():
        handle.close()  # type: ignore[attr-defined]
    assert done.returncode == 0, done.stderr
    assert b"Traceback" not in (done.stderr or b"")
    graphs = run_pledgegraph(store, "stats", "--graphs").stdout
    assert [n for n in range(6) if f"/graph/file/{n}-ttl\n" in graphs] == list(range(6))


def test_a_query_with_stdout_closed_ends_quietly(tmp_path: Path) -> None:
    """`pledgegraph query … >&-` gave a traceback and exit 1 (sys.stdout is None)."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "pledgegraph", "--store", str(tmp_path / "s"), "query", "kinds"],
        stderr=subprocess.PIPE,
        preexec_fn=lambda: os.close(1),
        timeout=120,
    )
    assert (done.returncode, done.stderr) == (0, b"")


def test_validate_keeps_its_answer_when_its_reader_goes(tmp_path: Path) -> None:
    """An outside attack: `validate | head -1` on a clean store exited 1 ("problems found"):
    rich's broken-pipe handler exits 1. Its exit code is its answer, so it is kept."""
    import subprocess
    import sys

    reading = subprocess.Popen(
        [sys.executable, "-m", "pledgegraph", "--store", str(tmp_path / "s"), "validate"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert reading.stdout is not None and reading.stderr is not None
    reading.stdout.close()  # gone before the report is written
    assert reading.wait(timeout=120) == 0
    assert b"Traceback" not in reading.stderr.read()
