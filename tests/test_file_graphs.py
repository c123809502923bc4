"""An RDF file's graph, and who may replace it (lost data found by an outside attacker).

A file graph is named after the file's name alone (``…/graph/file/`` + a slug of it: kept, since
renaming would orphan the graphs of existing stores), so different files can share one:
``a.b.nt`` and ``a-b.nt``, ``x/data.nt`` and ``y/data.nt``, ``ü.ttl`` and ``河北.ttl``, and every
``load -``. The store records who loaded each file graph (the resolved path, or standard input)
with the write itself; the same file loaded again replaces its graph, another file (or a second
pipe) is refused, naming the first, unless ``--replace``; so is ``--graph IRI`` onto what
another file loaded. Each case through the CLI, on the embedded store in tmp_path and on a real
``oxigraph serve`` (``backend``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner, Result

from pledgegraph.cli import main
from pledgegraph.graph.remote import RemoteStore, is_remote
from pledgegraph.graph.store import FILE_GRAPH, LOADED_FROM, Store
from pledgegraph.graph.storedir import ENV_KILL_AT, STATE_FILE
from pledgegraph.ontology import SOURCE_GRAPH

ROOT = Path(__file__).resolve().parents[1]
P = "<https://e.org/p>"


@pytest.fixture
def store(backend: str, tmp_path: Path, oxigraph_server: Callable[[], str]) -> str:
    """A new store: a directory in tmp_path, or a new, empty Oxigraph server."""
    return str(tmp_path / "store") if backend == "embedded" else oxigraph_server()


def invoke(store: str, *args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(main, ["--store", store, *args], input=input, catch_exceptions=False)


def nt(path: Path, value: str) -> Path:
    """Write a one-triple N-Triples file whose object is ``value``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'<https://e.org/s> {P} "{value}" .\n', "utf-8")
    return path


def opened(store: str) -> Store:
    return RemoteStore.connect(store) if is_remote(store) else Store.open(store)


def values(store: str, graph: str) -> list[str]:
    """The literals of ``P`` in ``graph``: whose data the graph holds."""
    with opened(store) as st:
        return sorted(
            q.object.value
            for q in st.quads(graph)
            if q.predicate.value == "https://e.org/p" and isinstance(q.object, ox.Literal)
        )


def dump(store: str) -> str:
    result = invoke(store, "export", "-f", "nquads")
    assert result.exit_code == 0, result.stderr
    return result.stdout


def refusal(path: str, graph: str, other: str) -> str:
    return (
        f"Error: {path}: its graph <{graph}> holds the data loaded from {other} (loaded "
        "before); pass --graph IRI to load it under another name, or --replace to replace "
        f"that data, or remove that data first (pledgegraph remove {graph})\n"
    )


def twice(path: str, graph: str, other: str) -> str:
    return (
        f"Error: {path}: its graph <{graph}> is also the graph of {other}, given earlier in "
        "this load; a file's graph is named after its file name only: load one of the two on "
        "its own with --graph IRI, or leave one out"
    )


# --- two files, one graph name, loaded one after the other ---------------------------------


@pytest.mark.parametrize(
    ("first", "second", "graph"),
    [
        ("d/x/data.nt", "d/y/data.nt", "data-nt"),
        ("d/a.b.nt", "d/a-b.nt", "a-b-nt"),
        ("d/a b.nt", "d/a.b.nt", "a-b-nt"),
        ("ü.ttl", "河北.ttl", "ttl"),
    ],
)
def test_another_file_with_the_same_graph_name_is_refused(
    store: str, tmp_path: Path, first: str, second: str, graph: str
) -> None:
    a, b = nt(tmp_path / first, "first"), nt(tmp_path / second, "second")
    assert invoke(store, "load", str(a)).exit_code == 0
    before = dump(store)
    result = invoke(store, "load", str(b))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == refusal(str(b), FILE_GRAPH + graph, str(a.resolve()))
    assert dump(store) == before  # nothing written
    assert values(store, FILE_GRAPH + graph) == ["first"]
    # The same file again (edited) still replaces its graph, by any path to it.
    nt(a, "first, edited")
    link = tmp_path / "link" / a.name  # (same name: a link elsewhere is the same file)
    link.parent.mkdir()
    link.symlink_to(a)
    for path in (str(a), str(a.parent / ".." / a.parent.name / a.name), str(link)):
        again = invoke(store, "load", path)
        assert again.exit_code == 0, again.stderr
        assert again.stderr.startswith(f"replaced {path}: 1 quad in <{FILE_GRAPH + graph}>")
    assert values(store, FILE_GRAPH + graph) == ["first, edited"]


def test_replace_takes_the_graph_over(store: str, tmp_path: Path) -> None:
    """--replace (as for a fact sheet's article under another key) lets the other file's data
    go; the graph is then the new file's, and the first one is refused in turn."""
    x, y = nt(tmp_path / "x" / "data.nt", "x"), nt(tmp_path / "y" / "data.nt", "y")
    graph = FILE_GRAPH + "data-nt"
    assert invoke(store, "load", str(x)).exit_code == 0
    result = invoke(store, "load", str(y), "--replace")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith(f"replaced {y}: 1 quad in <{graph}>")
    assert values(store, graph) == ["y"]
    back = invoke(store, "load", str(x))
    assert (back.exit_code, back.stderr) == (2, refusal(str(x), graph, str(y.resolve())))
    assert invoke(store, "load", str(y)).exit_code == 0  # its own again: a plain reload


def test_remove_frees_the_graph(store: str, tmp_path: Path) -> None:
    x, y = nt(tmp_path / "x" / "data.nt", "x"), nt(tmp_path / "y" / "data.nt", "y")
    assert invoke(store, "load", str(x)).exit_code == 0
    assert invoke(store, "load", str(y)).exit_code == 2
    removed = invoke(store, "remove", "data-nt")  # (its key: no fact sheet has it)
    assert removed.exit_code == 0, removed.stderr
    assert invoke(store, "load", str(y)).exit_code == 0
    assert values(store, FILE_GRAPH + "data-nt") == ["y"]
    with opened(store) as st:
        assert st.state()[LOADED_FROM] == {FILE_GRAPH + "data-nt": str(y.resolve())}


def test_graph_option_never_replaces_another_files_graph(store: str, tmp_path: Path) -> None:
    """README: a named graph in a file, or --graph, never replaces a graph that another file
    (or --graph) loaded."""
    g = "https://example.org/g"
    other, mine = nt(tmp_path / "other.nt", "other"), nt(tmp_path / "mine.nt", "mine")
    assert invoke(store, "load", str(other), "--graph", g).exit_code == 0
    before = dump(store)
    result = invoke(store, "load", str(mine), "--graph", g)
    assert (result.exit_code, result.stderr) == (2, refusal(str(mine), g, str(other.resolve())))
    assert dump(store) == before
    # A file's own graph (named after it) is another graph: loading it there is fine.
    assert invoke(store, "load", str(mine)).exit_code == 0
    # The same file with --graph again replaces; --replace lets another file take it over.
    assert invoke(store, "load", str(other), "--graph", g).exit_code == 0
    assert invoke(store, "load", str(mine), "--graph", g, "--replace").exit_code == 0
    assert values(store, g) == ["mine"]


def test_a_quad_file_is_known_by_the_graphs_it_named(store: str, tmp_path: Path) -> None:
    """A quad file whose quads all name graphs has no triples in its own graph; that source
    is still present (it owns those graphs), and another file of its name is refused: loaded,
    it would have dropped them."""
    named = '<https://e.org/s> <https://e.org/p> "{}" <https://example.org/{}> .\n'
    x, y = tmp_path / "x" / "a.nq", tmp_path / "y" / "a.nq"
    x.parent.mkdir()
    y.parent.mkdir()
    x.write_text(named.format("x", "gx"), "utf-8")
    y.write_text(named.format("y", "gy"), "utf-8")
    assert invoke(store, "load", str(x)).exit_code == 0
    before = dump(store)
    result = invoke(store, "load", str(y))
    assert result.exit_code == 2
    assert result.stderr == refusal(str(y), FILE_GRAPH + "a-nq", str(x.resolve()))
    assert dump(store) == before
    assert values(store, "https://example.org/gx") == ["x"]


# --- standard input ----------------------------------------------------------------------


def test_a_second_pipe_does_not_replace_the_first(store: str, tmp_path: Path) -> None:
    graph = FILE_GRAPH + "stdin"
    first = invoke(
        store, "load", "-", "--format", "ntriples", input=f'<https://e.org/a> {P} "1" .\n'
    )
    assert first.exit_code == 0, first.stderr
    before = dump(store)
    second = f'<https://e.org/b> {P} "2" .\n'
    result = invoke(store, "load", "-", "--format", "ntriples", input=second)
    assert (result.exit_code, result.stderr) == (2, refusal("-", graph, "standard input"))
    assert dump(store) == before
    # A file named 'stdin' gets the same graph name: refused too, naming standard input.
    named = nt(tmp_path / "stdin", "file")
    result = invoke(store, "load", str(named), "--format", "ntriples")
    assert result.stderr == refusal(str(named), graph, "standard input")
    # On purpose: --replace.
    again = invoke(store, "load", "-", "--format", "ntriples", "--replace", input=second)
    assert again.exit_code == 0, again.stderr
    assert values(store, graph) == ["2"]


# --- one load command, two files of one graph ---------------------------------------------


def test_a_folder_with_two_files_of_one_graph(store: str, tmp_path: Path) -> None:
    d = tmp_path / "d"
    files = {
        name: nt(d / name, name)
        for name in ("a-b.nt", "a.b.nt", "x/data.nt", "y/data.nt", "ü.ttl", "河北.ttl", "湖南.ttl")
    }
    result = invoke(store, "load", str(d))
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    path = {name: str(p) for name, p in files.items()}
    assert errors == [
        twice(path["a.b.nt"], FILE_GRAPH + "a-b-nt", path["a-b.nt"]),
        twice(path["y/data.nt"], FILE_GRAPH + "data-nt", path["x/data.nt"]),
        twice(path["河北.ttl"], FILE_GRAPH + "ttl", path["ü.ttl"]),
        twice(path["湖南.ttl"], FILE_GRAPH + "ttl", path["ü.ttl"]),
    ]
    assert result.stderr.splitlines()[-1] == (
        "3 of 7 files loaded (3 quads), 4 not loaded (the store holds the others)"
    )
    assert values(store, FILE_GRAPH + "a-b-nt") == ["a-b.nt"]
    assert values(store, FILE_GRAPH + "data-nt") == ["x/data.nt"]
    assert values(store, FILE_GRAPH + "ttl") == ["ü.ttl"]
    # Loading the folder again replaces the three it loaded and refuses the others again.
    again = invoke(store, "load", str(d))
    assert again.exit_code == 1
    assert sum(line.startswith("replaced ") for line in again.stderr.splitlines()) == 3
    assert [line for line in again.stderr.splitlines() if line.startswith("Error:")] == errors
    # One of the others on its own: refused as held by the file loaded before.
    alone = invoke(store, "load", path["y/data.nt"])
    assert alone.stderr == refusal(
        path["y/data.nt"], FILE_GRAPH + "data-nt", str(files["x/data.nt"].resolve())
    )


def test_two_files_of_one_graph_in_one_load_even_with_replace(store: str, tmp_path: Path) -> None:
    x, y = nt(tmp_path / "x" / "data.nt", "x"), nt(tmp_path / "y" / "data.nt", "y")
    result = invoke(store, "load", str(x), str(y), "--replace")
    assert result.exit_code == 1
    assert twice(str(y), FILE_GRAPH + "data-nt", str(x)) in result.stderr.splitlines()
    assert values(store, FILE_GRAPH + "data-nt") == ["x"]
    # One file named twice is one file: loaded, then reloaded.
    same = invoke(store, "load", str(x), str(tmp_path / "x" / ".." / "x" / "data.nt"))
    assert same.exit_code == 0, same.stderr


# --- stores written before the record existed ---------------------------------------------


def test_a_store_without_the_record_lets_the_file_replace(store: str, tmp_path: Path) -> None:
    """An older pledgegraph recorded no loader: the graph's loader is unknown, taken as the
    same file (as it always was), and the load that replaces it records its own path."""
    x, y = nt(tmp_path / "x" / "data.nt", "x"), nt(tmp_path / "y" / "data.nt", "y")
    assert invoke(store, "load", str(x)).exit_code == 0
    with opened(store) as st:
        st.set_state(**{LOADED_FROM: None})  # as an older store: no record
    result = invoke(store, "load", str(y))
    assert result.exit_code == 0, result.stderr
    assert values(store, FILE_GRAPH + "data-nt") == ["y"]
    back = invoke(store, "load", str(x))
    assert back.stderr == refusal(str(x), FILE_GRAPH + "data-nt", str(y.resolve()))


# --- the record goes with the write ----------------------------------------------------------


def test_a_replacement_killed_after_its_journal_records_its_file(tmp_path: Path) -> None:
    """The loader is recorded in the write's commit: a --replace killed once its new version
    is journalled is rolled forward at the next open, and the graph is then the new file's."""
    store = tmp_path / "store"
    x, y = nt(tmp_path / "x" / "data.nt", "x"), nt(tmp_path / "y" / "data.nt", "y")
    assert invoke(str(store), "load", str(x)).exit_code == 0
    env = {**os.environ, "PYTHONPATH": str(ROOT), ENV_KILL_AT: "replace-journalled"}
    env.pop("PLEDGEGRAPH_STORE", None)
    killed = subprocess.run(
        [sys.executable, "-m", "pledgegraph", "--store", str(store), "load", str(y), "--replace"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert killed.returncode == -9, killed.stderr
    state = json.loads(next(store.glob(f"db-*/{STATE_FILE}")).read_text("utf-8"))
    assert state["pending"]["replace"] == [FILE_GRAPH + "data-nt"]  # (killed where asked)
    assert values(str(store), FILE_GRAPH + "data-nt") == ["y"]  # rolled forward on open
    back = invoke(str(store), "load", str(x))
    assert back.stderr == refusal(str(x), FILE_GRAPH + "data-nt", str(y.resolve()))


def test_a_key_that_names_a_sheet_and_a_file_is_refused_by_remove(tmp_path: Path) -> None:
    """A second outside attack: the refusal advised 'pledgegraph remove data-nt', which removed
    the fact sheet with the key data-nt, not the file's graph; a name that fits two sources now
    removes neither, and the advice names the graph's IRI."""
    store = str(tmp_path / "s")
    sheet = tmp_path / "dn.pledges.yaml"
    sheet.write_text(
        "source:\n  url: https://example.org/dn\n  key: data-nt\npledges:\n  - region: CN-HE\n"
        "    targets:\n      - kind: parks\n        quantity: 3\n",
        encoding="utf-8",
    )
    (tmp_path / "x").mkdir()
    data = nt(tmp_path / "x" / "data.nt", "x")
    assert invoke(store, "load", str(sheet), str(data)).exit_code == 0
    before = dump(store)
    result = invoke(store, "remove", "data-nt")
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: remove data-nt: names 2 sources: <{SOURCE_GRAPH}data-nt>, <{FILE_GRAPH}data-nt>; "
        "name one by its graph IRI\n"
    )
    assert dump(store) == before
    assert invoke(store, "remove", FILE_GRAPH + "data-nt").exit_code == 0
    assert SOURCE_GRAPH + "data-nt" in dump(store)


def test_the_same_file_twice_in_one_load_is_loaded_once(tmp_path: Path) -> None:
    """A second outside attack: 'load x/data.nt x/data.nt' said '2 of 2 files loaded (2
    quads)' for a store that holds one."""
    store = str(tmp_path / "s")
    data = nt(tmp_path / "x" / "data.nt", "x")
    (tmp_path / "link.nt").symlink_to(data)
    result = invoke(store, "load", str(data), str(data), str(tmp_path / "link.nt"))
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count("given twice; loaded once") == 2
    assert "loaded" in result.stderr and "2 of" not in result.stderr
    assert values(store, FILE_GRAPH + "data-nt") == ["x"]


def test_a_link_loads_into_the_graph_of_the_file_it_leads_to(tmp_path: Path) -> None:
    """A new user's trial: 'load link.nt' (a link to x/data.nt) made a second graph,
    file/link-nt, of the same triples; the README says a linked file replaces its data."""
    store = str(tmp_path / "s")
    data = nt(tmp_path / "x" / "data.nt", "x")
    (tmp_path / "link.nt").symlink_to(data)
    assert invoke(store, "load", str(data)).exit_code == 0
    again = invoke(store, "load", str(tmp_path / "link.nt"))
    assert again.exit_code == 0, again.stderr
    assert f"replaced {tmp_path / 'link.nt'}: 1 quad in <{FILE_GRAPH}data-nt>" in again.stderr
    assert FILE_GRAPH + "link-nt" not in dump(store)


def test_remove_takes_only_the_source_it_names(tmp_path: Path) -> None:
    """A third outside attack: `remove <a sheet's URL ending in report.ttl>` removed the RDF
    file report.ttl; `remove <one article's URL>` removed a TriG file's other article too; a
    URL that is another source's graph IRI removed that source without a word."""
    from tests.conftest import run_pledgegraph

    store = tmp_path / "s"
    rdf = tmp_path / "x"
    rdf.mkdir()
    (rdf / "report.ttl").write_text(
        "@prefix schema: <https://schema.org/> .\n"
        "<http://example.org/r> a schema:NewsArticle ; schema:url <http://example.org/r> .\n"
    )
    (tmp_path / "mixed.trig").write_text(
        "@prefix schema: <https://schema.org/> .\n"
        "<http://example.org/a3> a schema:NewsArticle ; schema:url <http://example.org/a3> .\n"
        "<http://example.org/g4> { <http://example.org/a4> a schema:NewsArticle ; "
        "schema:url <http://example.org/a4> . }\n"
    )
    sheet = tmp_path / "rep.pledges.yaml"
    sheet.write_text(
        "source:\n  url: https://example.org/pub/report.ttl\n  key: rep-sheet\n  title: T\n"
        "pledges:\n  - region: Hunan\n    deadline: 2027\n    targets:\n"
        "      - kind: parks\n        quantity: 2\n"
    )
    loaded = run_pledgegraph(
        store, "load", str(rdf / "report.ttl"), str(sheet), str(tmp_path / "mixed.trig")
    )
    assert loaded.returncode == 0, loaded.stderr
    before = run_pledgegraph(store, "export", "-f", "nquads").stdout

    # a URL is never read as a file name: the sheet with that URL goes, report.ttl stays
    gone = run_pledgegraph(store, "remove", "https://example.org/pub/report.ttl")
    assert gone.returncode == 0, gone.stderr
    assert "graph/source/rep-sheet" in gone.stderr
    graphs = run_pledgegraph(store, "stats", "--graphs").stdout
    assert "graph/file/report-ttl" in graphs

    # one article of a file that holds two: refused, nothing removed
    refused = run_pledgegraph(store, "remove", "http://example.org/a3")
    assert refused.returncode == 2
    assert "with 1 other source of the same file" in refused.stderr
    assert "graph/file/mixed-trig" in run_pledgegraph(store, "stats", "--graphs").stdout
    assert before != run_pledgegraph(store, "export", "-f", "nquads").stdout  # (the sheet)
