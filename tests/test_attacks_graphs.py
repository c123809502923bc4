"""Attacks on "a file writes only its own graphs" (issue 9), each reproduced before the fix.

- JSON-LD named graphs went past the reserved-graph check: JSON-LD was loaded like a triple
  format, straight into pyoxigraph, whose JSON-LD parser keeps the named graphs; the load said
  "0 quads" and ``remove`` could not undo it. Every format that can name graphs (N-Quads, TriG,
  JSON-LD) now goes through one check of its parsed quads, on the embedded and remote store.
- A blank-node graph name (``_:b``) was stored as a graph that ``stats`` counted but nothing
  listed or removed, by ``load`` and by ``import``: such a file is refused.
- ``--graph`` could replace a graph another file's quads had written.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from pledgegraph.cli import main
from pledgegraph.errors import InputError
from pledgegraph.graph.export import export, import_dataset
from pledgegraph.graph.store import Store
from pledgegraph.ontology import (
    GRAPH,
    INFERRED_GRAPH,
    LINKS_GRAPH,
    ONTOLOGY_GRAPH,
    REFERENCE_GRAPH,
    SOURCE_GRAPH,
)
from tests.conftest import run_pledgegraph
from tests.test_attacks_store import graph_counts, run

SEED_GRAPH = SOURCE_GRAPH + "cryptonews-7376"
HEBEI = "https://w3id.org/pledgegraph/id/region/CN-HE"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RESERVED_LINE = (
    "names the graph <{graph}>, which is reserved for pledgegraph's own data; "
    "a file may write only its own graphs: rename that graph in the file"
)
BLANK_LINE = (
    "names a graph by a blank node (_:…), which could be neither listed nor removed; "
    "name the graph with an IRI, or put its triples in the default graph"
)
TRIPLE = '<https://e.org/s> <https://e.org/p> "x"'


def jsonld_graph(graph: str) -> str:
    # (a French label: a second English one is refused by the shapes before the graph is read)
    return (
        f'[{{"@id": "{graph}", "@graph": [{{"@id": "{HEBEI}", '
        f'"{LABEL}": {{"@value": "EVIL", "@language": "fr"}}}}]}}]'
    )


def every_quad(store: Store) -> list[str]:
    """Every quad of the store, blank-node graphs included (``graphs()`` leaves them out)."""
    return sorted(str(q) for q in store.inner)


@pytest.fixture(scope="module")
def seeded() -> Store:
    return Store.memory()


@pytest.mark.parametrize(
    "graph",
    [SEED_GRAPH, REFERENCE_GRAPH, ONTOLOGY_GRAPH, LINKS_GRAPH, INFERRED_GRAPH, GRAPH + "new"],
)
def test_jsonld_cannot_write_a_reserved_graph(seeded: Store, graph: str) -> None:
    before = every_quad(seeded)
    with pytest.raises(InputError) as caught:
        seeded.load_rdf("g2.jsonld", data=jsonld_graph(graph).encode())
    assert caught.value.message == "g2.jsonld: " + RESERVED_LINE.format(graph=graph)
    assert every_quad(seeded) == before


def test_jsonld_relative_graph_name_is_checked_after_resolving(seeded: Store) -> None:
    before = every_quad(seeded)
    data = (
        '{"@context": {"@base": "https://w3id.org/pledgegraph/graph/"}, "@id": "inferred", '
        '"@graph": [{"@id": "https://e.org/s", "https://e.org/p": "x"}]}'
    )
    with pytest.raises(InputError) as caught:
        seeded.load_rdf("g3.jsonld", data=data.encode())
    assert caught.value.message == "g3.jsonld: " + RESERVED_LINE.format(graph=INFERRED_GRAPH)
    assert every_quad(seeded) == before


def test_jsonld_cli_one_error_line_and_store_unchanged(tmp_path: Path) -> None:
    store_dir = tmp_path / "s"
    with Store.open(store_dir) as store:
        before = {g: store.count(g) for g in store.graphs()}
    path = tmp_path / "g2.jsonld"
    path.write_text(jsonld_graph(REFERENCE_GRAPH), encoding="utf-8")
    result = run("--store", str(store_dir), "load", "g2.jsonld", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert (
        result.stderr == "Error: g2.jsonld: " + RESERVED_LINE.format(graph=REFERENCE_GRAPH) + "\n"
    )
    assert graph_counts(store_dir) == before
    with Store.open(store_dir, initialise=False) as store:
        assert len(store.inner) == sum(before.values())  # no quad in a graph not listed


def test_jsonld_named_graphs_are_counted_and_removed_with_the_file() -> None:
    store = Store.memory(initialise=False)
    data = (
        '[{"@id": "https://e.org/g", "@graph": [{"@id": "https://e.org/s", "https://e.org/p": "x"}]},'
        ' {"@id": "https://e.org/t", "https://e.org/p": "y"}]'
    )
    report = store.load_rdf("g4.jsonld", data=data.encode())
    assert report.quads == 2  # was 0: only the file's own graph was counted
    own = GRAPH + "file/g4-jsonld"
    assert store.graphs() == sorted(["https://e.org/g", own])
    assert store.remove(own) == [own, "https://e.org/g"]
    assert store.graphs() == [] and len(store.inner) == 0
    # Another file may not write the graph this one wrote, in any format that names graphs.
    store.load_rdf("g4.jsonld", data=data.encode())
    for name, text in [
        ("b.nq", f"{TRIPLE} <https://e.org/g> .\n"),
        ("b.trig", f"<https://e.org/g> {{ {TRIPLE} . }}\n"),
        ("b.jsonld", data.replace("/t", "/u")),
    ]:
        with pytest.raises(InputError) as caught:
            store.load_rdf(name, data=text.encode())
        assert caught.value.message == (
            f"{name}: names the graph <https://e.org/g>, which belongs to another source "
            f"(<{own}>); a file may write only its own graphs: rename that graph in the file"
        )


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("b.nq", f"{TRIPLE} _:b .\n"),
        ("b.trig", f"_:b {{ {TRIPLE} . }}\n"),
        (
            "b.jsonld",
            '[{"@graph": [{"@id": "https://e.org/s", "https://e.org/p": "x"}], '
            '"https://e.org/p": "z"}]',
        ),
        (
            "c.jsonld",
            '[{"@id": "_:g", "@graph": [{"@id": "https://e.org/s", "https://e.org/p": "x"}]}]',
        ),
    ],
)
def test_a_blank_node_graph_is_refused_by_load_and_import(
    seeded: Store, tmp_path: Path, name: str, text: str
) -> None:
    before = every_quad(seeded)
    with pytest.raises(InputError) as caught:
        seeded.load_rdf(name, data=text.encode())
    assert caught.value.message == f"{name}: {BLANK_LINE}"
    assert every_quad(seeded) == before
    empty = Store.open(tmp_path / "s", initialise=False)
    with pytest.raises(InputError) as caught:
        import_dataset(empty, name, data=text.encode())
    assert caught.value.message == f"{name}: {BLANK_LINE}"
    assert len(empty.inner) == 0 and list(empty.inner.named_graphs()) == []
    assert not empty.is_initialised()
    empty.close()


def test_blank_node_graph_cli_one_error_line(tmp_path: Path) -> None:
    (tmp_path / "b.nq").write_text(f"{TRIPLE} _:b .\n", encoding="utf-8")
    for command in ("load", "import"):
        store_dir = tmp_path / command
        if command == "load":
            with Store.open(store_dir) as store:
                before = {g: store.count(g) for g in store.graphs()}
        result = run("--store", str(store_dir), command, "b.nq", cwd=tmp_path)
        assert (result.returncode, result.stderr) == (2, f"Error: b.nq: {BLANK_LINE}\n")
        if command == "load":
            assert graph_counts(store_dir) == before


@pytest.mark.parametrize(
    ("name", "text"), [("x.nt", f"{TRIPLE} .\n"), ("x.trig", f"{{ {TRIPLE} . }}\n")]
)
def test_graph_option_cannot_replace_another_files_graph(name: str, text: str) -> None:
    store = Store.memory(initialise=False)
    store.load_rdf("a.nq", data=f"{TRIPLE} <https://e.org/g> .\n".encode())
    before = every_quad(store)
    with pytest.raises(InputError) as caught:
        store.load_rdf(name, data=text.encode(), graph="https://e.org/g")
    assert caught.value.message == (
        f"--graph: the graph <https://e.org/g> belongs to another source (<{GRAPH}file/a-nq>); "
        "load the file into another graph (--graph IRI)"
    )
    assert every_quad(store) == before
    # A graph loaded with --graph is that file's own: the same file loaded into it again
    # replaces it; another file only with replace (tests/test_file_graphs.py).
    store.load_rdf(name, data=text.encode(), graph="https://e.org/h")
    store.load_rdf(name, data=text.encode(), graph="https://e.org/h")
    y = b'<https://e.org/s> <https://e.org/p> "y" .\n'
    with pytest.raises(InputError):
        store.load_rdf("y.nt", data=y, graph="https://e.org/h")
    store.load_rdf("y.nt", data=y, graph="https://e.org/h", replace=True)
    assert store.count("https://e.org/h") == 1


@pytest.mark.parametrize("fmt", ["nquads", "trig", "jsonld"])
def test_an_export_naming_pledgegraphs_graphs_still_imports(tmp_path: Path, fmt: str) -> None:
    seeded = Store.memory()
    copy = Store.open(tmp_path / "copy", initialise=False)
    report = import_dataset(copy, f"all.{fmt}", format=fmt, data=export(seeded, fmt).encode())
    if fmt == "jsonld":  # (a triple format: every triple in the file's graph)
        assert report.graphs == (GRAPH + "file/all-jsonld",)
    else:
        assert set(report.graphs) == set(seeded.graphs())
        assert {g: copy.count(g) for g in report.graphs} == {
            g: seeded.count(g) for g in report.graphs
        }
    copy.close()


def test_remote_store_refuses_jsonld_reserved_and_blank_graphs(
    oxigraph_server: Callable[[], str], tmp_path: Path
) -> None:
    url = oxigraph_server()
    runner = CliRunner()
    stats = runner.invoke(main, ["--store", url, "stats", "--json"], catch_exceptions=False)
    assert stats.exit_code == 0, stats.stderr
    (tmp_path / "g2.jsonld").write_text(jsonld_graph(SEED_GRAPH), encoding="utf-8")
    (tmp_path / "b.nq").write_text(f"{TRIPLE} _:b .\n", encoding="utf-8")
    for name, line in [
        ("g2.jsonld", RESERVED_LINE.format(graph=SEED_GRAPH)),
        ("b.nq", BLANK_LINE),
    ]:
        path = str(tmp_path / name)
        result = runner.invoke(main, ["--store", url, "load", path], catch_exceptions=False)
        assert (result.exit_code, result.stderr) == (2, f"Error: {path}: {line}\n")
    again = runner.invoke(main, ["--store", url, "stats", "--json"], catch_exceptions=False)
    assert again.stdout == stats.stdout


def test_a_file_that_wrote_only_named_graphs_can_be_removed(tmp_path: Path) -> None:
    # Its own graph is empty: remove found no source by any name, and the graph was stuck.
    data = tmp_path / "only.nq"
    data.write_text('<http://ex.org/a> <http://ex.org/p> "x" <http://ex.org/g8> .\n', "utf-8")
    store = tmp_path / "store"

    def pledgegraph(*args: str) -> subprocess.CompletedProcess[str]:
        return run_pledgegraph(store, *args)

    for name in ("http://ex.org/g8", "only-nq", "https://w3id.org/pledgegraph/graph/file/only-nq"):
        assert pledgegraph("load", str(data)).returncode == 0
        removed = pledgegraph("remove", name)
        assert removed.returncode == 0, removed.stderr
        assert "http://ex.org/g8" not in pledgegraph("stats", "--graphs").stdout
