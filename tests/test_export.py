"""Export: asserted data by default, the inferred graph on request, and round trips in every
format (export, import into a new store, every stored question gives the same answers)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from pledgegraph import queries
from pledgegraph.graph.export import EXPORT_FORMATS, export, import_dataset
from pledgegraph.graph.query import run
from pledgegraph.graph.reasoning.engine import materialise
from pledgegraph.graph.store import Store, summarise
from pledgegraph.loaders.rdf import ROW_PREDICATES
from pledgegraph.ontology import INFERRED_GRAPH
from tests.conftest import Invoke

EXTENSIONS = {"turtle": "ttl", "ntriples": "nt", "nquads": "nq", "trig": "trig",
              "jsonld": "jsonld", "rdfxml": "rdf"}  # fmt: skip
#: A file of another vocabulary, with what exports must carry through: language tags, typed
#: and multi-line literals, non-ASCII text, a blank node, IRIs outside our prefixes.
EXTRA = """
@prefix ex: <https://example.org/vocab#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/pledgegraph/id/region/CN-HE> ex:population "74610235"^^xsd:integer ;
    ex:nickname "Yan Zhao"@en, "燕赵"@zh ;
    ex:note "two\\nlines, a \\"quote\\" and a tab\\t" ;
    ex:census [ ex:year "2020"^^xsd:gYear ; ex:count 74610235 ] .
"""
VALUES = {"year": "2025", "integer": "2025", "decimal": "0.5", "date": "2025-12-31",
          "boolean": "true", "string": "park", "region": "CN-HE", "kind": "parks",
          "sector": "blockchain", "iri": "pgid:region/CN-HE"}  # fmt: skip


def answers(store: Store, *, inferred: bool = True) -> dict[str, list[tuple[str, ...]]]:
    """The rows of every stored question (defaults, and each optional parameter set)."""
    out = {}
    for name, query in sorted(queries.catalogue().items()):
        base = {p.name: VALUES[p.type] for p in query.parameters if p.required and not p.default}
        cases = [base] + [{**base, p.name: VALUES[p.type]} for p in query.parameters
                          if not p.required]  # fmt: skip
        for params in cases:
            sparql = queries.with_values(query.sparql, queries.bind(query, params))
            result = run(store, sparql, inferred=inferred)
            assert isinstance(result, ox.QuerySolutions)
            names = [v.value for v in result.variables]
            key = name + "".join(f" {k}={v}" for k, v in sorted(params.items()))
            out[key] = [tuple(str(s[n]) if s[n] is not None else "" for n in names)
                        for s in result]  # fmt: skip
    return out


def counts(store: Store) -> tuple[int, int, int, int]:
    s = summarise(store)
    return s.sources, s.pledges, s.targets, s.regions


@pytest.fixture(scope="module")
def exported() -> Store:
    """The bundled store plus a file of another vocabulary, reasoned."""
    store = Store.memory()
    store.load_rdf("extra.ttl", data=EXTRA.encode())
    materialise(store)
    return store


@pytest.fixture(scope="module")
def expected(exported: Store) -> dict[str, object]:
    return {
        "asserted": answers(exported, inferred=False),
        "reasoned": answers(exported),
        "counts": counts(exported),
    }


def test_the_default_export_leaves_the_inferred_graph_out(exported: Store) -> None:
    nquads = export(exported, "nquads")
    assert INFERRED_GRAPH not in nquads and "/graph/ontology>" in nquads
    assert f"<{INFERRED_GRAPH}>" in export(exported, "nquads", inferred=True)
    inferred_only = export(exported, "ntriples", graph=INFERRED_GRAPH)
    assert inferred_only and inferred_only.splitlines()[0] not in export(exported, "ntriples")
    asserted = {q for q in exported.inner if q.graph_name != ox.NamedNode(INFERRED_GRAPH)}
    index = {q for q in asserted if q.predicate.value in ROW_PREDICATES}  # pledge:row and keys
    assert index and len(nquads.splitlines()) == len(asserted - index)


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_round_trip_gives_the_same_answers(
    fmt: str, exported: Store, expected: dict[str, object], tmp_path: Path
) -> None:
    path = tmp_path / f"export.{EXTENSIONS[fmt]}"
    path.write_text(export(exported, fmt), encoding="utf-8")
    copy = Store.open(tmp_path / "copy", initialise=False)
    report = import_dataset(copy, str(path))
    assert report.quads > 1000
    assert INFERRED_GRAPH not in copy.graphs()
    assert counts(copy) == expected["counts"]
    assert answers(copy) == expected["asserted"]
    # Reasoning on the copy gives what reasoning gave on the original, for every question.
    materialise(copy)
    assert answers(copy) == expected["reasoned"]
    copy.close()
    reopened = Store.open(tmp_path / "copy")  # no bundled data is added on top at the next open
    assert counts(reopened) == expected["counts"]
    reopened.close()


def test_quad_formats_give_back_every_graph(exported: Store, tmp_path: Path) -> None:
    path = tmp_path / "export.trig"
    path.write_text(export(exported, "trig"), encoding="utf-8")
    copy = Store.open(tmp_path / "copy", initialise=False)
    import_dataset(copy, str(path))
    assert copy.graphs() == [g for g in exported.graphs() if g != INFERRED_GRAPH]
    assert canonical(export(copy, "nquads")) == canonical(export(exported, "nquads"))


def canonical(nquads: str) -> list[str]:
    """N-Quads with blank nodes relabelled canonically (RDFC-1.0), sorted."""
    dataset = ox.Dataset(ox.parse(nquads.encode(), ox.RdfFormat.N_QUADS))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted(str(q) for q in dataset)


def test_import_refuses_a_store_that_is_not_empty(tmp_path: Path) -> None:
    from pledgegraph.errors import InputError

    store = Store.open(tmp_path / "s")
    path = tmp_path / "x.nq"
    path.write_text(export(store, "nquads"), encoding="utf-8")
    from pledgegraph.graph.store import summarise

    held = f"{summarise(store).quads:,}"  # as stats counts (not the row index)
    with pytest.raises(InputError, match=rf"the store is not empty \({held} quads\)"):
        import_dataset(store, str(path))


def test_a_malformed_import_leaves_the_store_empty(tmp_path: Path) -> None:
    from pledgegraph.errors import InputError

    store = Store.open(tmp_path / "s", initialise=False)
    path = tmp_path / "bad.nq"
    path.write_text("<https://e.org/a> <https://e.org/b> <https://e.org/c> .\n<oops\n")
    with pytest.raises(InputError, match="cannot import"):
        import_dataset(store, str(path))
    assert len(store.inner) == 0 and store.graphs() == []
    assert not store.is_initialised()


def test_an_import_that_changes_names_says_so(tmp_path: Path) -> None:
    """A second outside attack: an export with a second English label on a region was
    imported with the label silently made a skos:altLabel (so validate could not see it)."""
    source = Store.open(tmp_path / "s")
    path = tmp_path / "x.nq"
    path.write_text(
        export(source, "nquads") + "<https://w3id.org/pledgegraph/id/region/CN-HE> "
        '<http://www.w3.org/2000/01/rdf-schema#label> "Hebei two"@en '
        "<https://w3id.org/pledgegraph/graph/reference> .\n",
        encoding="utf-8",
    )
    source.close()
    report = import_dataset(Store.open(tmp_path / "t", initialise=False), str(path))
    assert report.notes == (
        "Note: shared nodes of the store named twice (or with runs of spaces) now keep one "
        "name per language; the other spellings are kept as alternative names",
    )


def test_cli_round_trip(cli: Invoke, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from pledgegraph.cli import main

    assert cli("reason").exit_code == 0
    before = cli("query", "compare-regions", "-f", "csv").stdout
    stats = json.loads(cli("stats", "--json").stdout)
    out = tmp_path / "all.nq"
    result = cli("export", "-f", "nquads", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert INFERRED_GRAPH not in out.read_text(encoding="utf-8")
    copy = str(tmp_path / "copy")
    result = CliRunner().invoke(main, ["--store", copy, "import", str(out)])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith(
        f"imported {out}: {stats['quads'] - stats['graphs'][INFERRED_GRAPH]} quads in "
    )
    again = CliRunner().invoke(main, ["--store", copy, "query", "compare-regions", "-f", "csv"])
    assert again.stdout == before
    result = CliRunner().invoke(main, ["--store", copy, "import", str(out)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {copy}: the store is not empty (")


# --- papercuts (issue 9): one Error line, never a traceback or a destroyed file ----------------


@pytest.mark.parametrize("iri", ["not an iri", "http://example.org/a>b", "relative/graph"])
def test_export_of_a_graph_that_is_not_an_iri_is_one_error_line(cli: Invoke, iri: str) -> None:
    result = cli("export", "--graph", iri)
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: --graph: {iri!r} is not an absolute IRI; give an absolute IRI such as "
        "https://example.org/g\n"
    )


def run_cli(*args: str, stdout: Any = None, limit: int | None = None) -> Any:
    """``pledgegraph ARGS`` in a real process (optionally with a file size limit)."""
    import os
    import resource
    import signal
    import subprocess
    import sys

    def limited() -> None:
        if limit is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail (EFBIG)
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    env = {k: v for k, v in os.environ.items() if k != "PLEDGEGRAPH_STORE"}
    return subprocess.run(
        [sys.executable, "-m", "pledgegraph", *args],
        stdout=stdout if stdout is not None else subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        preexec_fn=limited,
        timeout=300,
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize(
    "args",
    [
        ("export",),
        ("export", "-f", "jsonld"),
        ("query", "kinds"),
        ("sparql", "SELECT * WHERE { ?s ?p ?o }"),
    ],
)
def test_a_full_disk_on_stdout_is_one_error_line(args: tuple[str, ...], tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    with open("/dev/full", "w") as full:
        result = run_cli("--store", store, *args, stdout=full)
    assert result.returncode == 2
    assert result.stderr == (
        "Error: output: cannot write: No space left on device; free some space, or write the "
        "output elsewhere\n"
    )


def test_export_to_an_existing_file_on_a_full_disk_leaves_it_as_it_was(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    assert run_cli("--store", store, "stats").returncode == 0
    existing = tmp_path / "existing.nq"
    existing.write_text("<https://e.org/s> <https://e.org/p> <https://e.org/o> .\n")
    # Every file of the process may grow to 200 kB: the store opens, the export (260 kB) fails.
    result = run_cli("--store", store, "export", "-f", "nquads", "-o", str(existing), limit=200_000)
    assert result.returncode == 2, result.stderr
    assert result.stderr == (
        f"Error: {existing}: cannot write: File too large; free some space or choose another "
        "path; an existing file was left as it was\n"
    )
    assert existing.read_text() == "<https://e.org/s> <https://e.org/p> <https://e.org/o> .\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["existing.nq", "store"]
    # Without the limit the same command replaces the file.
    result = run_cli("--store", store, "export", "-f", "nquads", "-o", str(existing))
    assert result.returncode == 0 and result.stderr == f"wrote {existing}\n"
    assert existing.stat().st_size > 200_000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["existing.nq", "store"]


def test_rdfxml_export_is_well_formed_xml_that_rdflib_reads(exported: Store) -> None:
    import xml.dom.minidom

    import rdflib

    text = export(exported, "rdfxml")
    xml.dom.minidom.parseString(text.encode("utf-8"))  # a standard XML parser
    parsed = rdflib.Graph().parse(data=text, format="xml")
    expected = rdflib.Graph().parse(data=export(exported, "ntriples"), format="nt")
    from rdflib.compare import isomorphic

    assert len(parsed) == len(expected) > 1000 and isomorphic(parsed, expected)


@pytest.mark.parametrize(
    ("triple", "problem"),
    [
        (
            '<https://e.org/s> <http://example.org/p/123> "x" .',
            "the predicate <http://example.org/p/123> cannot be written in RDF/XML (its IRI does "
            "not end in an XML name)",
        ),
        (
            '<https://e.org/s> <http://example.org/p/> "x" .',
            "the predicate <http://example.org/p/> cannot be written in RDF/XML (its IRI does not "
            "end in an XML name)",
        ),
        (
            '<https://e.org/s> <https://e.org/p> "bell\\u0007" .',
            '"bell\\u0007" holds a control character, which XML 1.0 cannot hold',
        ),
    ],
)
def test_what_rdfxml_cannot_hold_is_one_error_line(
    cli: Invoke, tmp_path: Path, triple: str, problem: str
) -> None:
    import xml.dom.minidom

    data = tmp_path / "odd.nt"
    data.write_text(triple + "\n", encoding="utf-8")
    assert cli("load", "--no-shapes", "--lenient", str(data)).exit_code == 0
    result = cli("export", "-f", "rdfxml")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (
        f"Error: rdfxml: {problem}; export in another format (turtle, ntriples, nquads, trig, "
        "jsonld)\n"
    )
    out = tmp_path / "all.rdf"
    assert cli("export", "-f", "rdfxml", "-o", str(out)).exit_code == 2 and not out.exists()
    assert not list(tmp_path.glob(".all.rdf.*"))
    # The other formats hold it, and RDF/XML of the other graphs is still well-formed.
    assert cli("export", "-f", "turtle").exit_code == 0
    fine = cli("export", "-f", "rdfxml", "--graph", "https://w3id.org/pledgegraph/graph/reference")
    assert fine.exit_code == 0
    xml.dom.minidom.parseString(fine.stdout.encode("utf-8"))


# --- golden files: the same data always exports to the same bytes -------------------------------

GOLDEN = Path(__file__).parent / "golden" / "export"


@pytest.fixture(scope="module")
def golden_store() -> Store:
    """tests/golden/export/dataset.nq: the bundled data, a file of another vocabulary, reasoned
    (import leaves the file's inferred graph out: ``reason`` makes it again, the same bytes)."""
    from pledgegraph.graph.reasoning.engine import materialise

    store = Store.memory(initialise=False)
    import_dataset(store, str(GOLDEN / "dataset.nq"))
    materialise(store)
    return store


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_export_is_byte_identical_to_its_golden_file(fmt: str, golden_store: Store) -> None:
    import io

    from pledgegraph.graph.export import write_export

    expected = (GOLDEN / f"export.{EXTENSIONS[fmt]}").read_bytes()
    assert export(golden_store, fmt).encode("utf-8") == expected
    streamed = io.BytesIO()
    write_export(golden_store, streamed, fmt)
    assert streamed.getvalue() == expected


def test_inferred_export_is_byte_identical_to_its_golden_files(golden_store: Store) -> None:
    assert export(golden_store, "nquads", inferred=True) == (GOLDEN / "dataset.nq").read_text(
        encoding="utf-8"
    )
    assert export(golden_store, "turtle", inferred=True) == (GOLDEN / "inferred.ttl").read_text(
        encoding="utf-8"
    )


def test_blank_node_labels_do_not_depend_on_the_store(golden_store: Store, tmp_path: Path) -> None:
    """Loading the same data again gives other internal blank node ids, never other bytes."""
    again = Store.memory(initialise=False)
    import_dataset(again, str(GOLDEN / "dataset.nq"))
    internal = {q.subject for q in again.inner if isinstance(q.subject, ox.BlankNode)}
    assert internal and not any(b.value.startswith("c14n") for b in internal)
    for fmt in EXPORT_FORMATS:
        assert export(again, fmt) == export(golden_store, fmt)


def test_jsonld_export_reads_back_as_the_same_graph_in_rdflib() -> None:
    """Our own compaction (lists, nested and shared blank nodes, empty lists, typed, language
    and native literals) is JSON-LD that rdflib expands to the graph we exported."""
    import rdflib
    from rdflib.compare import isomorphic

    extra = (
        EXTRA
        + """
    @prefix ex: <https://example.org/vocab#> .
    ex:a ex:items ( "x" "x" 3 ( ex:b ) [ ex:c "d" ] ) ; ex:none () ;
        ex:nest [ ex:in [ ex:in [ ex:leaf true ] ] ] ; ex:when "2026-01-02T03:04:05+00:00"^^xsd:dateTime .
    """
    )
    store = Store.memory()
    store.load_rdf("extra.ttl", data=extra.encode())
    expected = rdflib.Graph().parse(data=export(store, "ntriples"), format="nt")
    got = rdflib.Graph().parse(data=export(store, "jsonld"), format="json-ld")
    assert len(got) == len(expected) and isomorphic(got, expected)


def test_the_output_file_name_chooses_the_format(cli: Invoke, tmp_path: Path) -> None:
    """A new user's trial: 'export -o out.nq' wrote Turtle, which 'import out.nq' could not
    read (and its hint said to import an unchanged export). The name now chooses the format
    unless --format is given, and a name for another format than --format is refused."""
    import rdflib

    for name, check in (
        ("all.nq", lambda g: len(g) > 1000 and len(list(g.graphs())) > 3),
        ("all.jsonld", lambda g: len(g) > 1000),
        ("all.nt", lambda g: len(g) > 1000),
    ):
        out = tmp_path / name
        done = cli("export", "-o", str(out))
        assert done.exit_code == 0, done.stderr
        graph = rdflib.Dataset()
        graph.parse(out, format={"nq": "nquads", "jsonld": "json-ld", "nt": "nt"}[out.suffix[1:]])
        assert check(graph), name
    copy = cli("export", "-o", str(tmp_path / "plain.txt"))  # an unknown name: Turtle
    assert copy.exit_code == 0
    assert (tmp_path / "plain.txt").read_text(encoding="utf-8").startswith("@prefix")
    wrong = cli("export", "-f", "jsonld", "-o", str(tmp_path / "x.ttl"))
    assert wrong.exit_code == 2
    assert wrong.stderr.strip().splitlines() == [
        "Error: --output: the extension '.ttl' names turtle, not jsonld; name the file for "
        "jsonld (such as export.jsonld), or leave out --format to write the format the name says"
    ]
    assert not (tmp_path / "x.ttl").exists()


def test_notes_for_an_inferred_export_in_one_graph_and_an_unknown_extension(
    cli: Invoke, tmp_path: Path
) -> None:
    """A new user's trial: inferred triples exported as Turtle came back as data on import
    without a word, and ``-o x.foo`` wrote Turtle silently."""
    one = cli("export", "--inferred", "-o", str(tmp_path / "x.ttl"))
    assert one.exit_code == 0
    assert one.stderr.startswith("Note: turtle has one graph: the inferred triples are mixed")
    kept = cli("export", "--inferred", "-o", str(tmp_path / "x.nq"))
    assert kept.stderr == f"wrote {tmp_path / 'x.nq'}\n"
    odd = cli("export", "-o", str(tmp_path / "x.foo"))
    assert odd.stderr.splitlines()[0] == (
        f"Note: {tmp_path / 'x.foo'}: '.foo' names no RDF format; writing Turtle "
        "(--format chooses another)"
    )


def test_import_of_a_triple_format_says_sources_cannot_be_removed(
    cli: Invoke, tmp_path: Path
) -> None:
    """A new user's trial: after importing a Turtle export, stats counted the sources but
    'remove' found none of them, without a word at the import."""
    from click.testing import CliRunner

    from pledgegraph.cli import main

    assert cli("export", "-o", str(tmp_path / "all.ttl")).exit_code == 0
    assert cli("export", "-o", str(tmp_path / "all.nq")).exit_code == 0
    for name, noted in (("all.ttl", True), ("all.nq", False)):
        store = tmp_path / f"copy-{name}"
        done = CliRunner().invoke(main, ["--store", str(store), "import", str(tmp_path / name)])
        assert done.exit_code == 0, done.stderr
        assert ("'remove' cannot take a source out" in done.stderr) is noted


def test_remove_by_url_never_takes_other_sources_with_it(cli: Invoke, tmp_path: Path) -> None:
    """An outside attack: after importing a Turtle export (every source, and the ontology, in
    one graph), 'remove <one source's URL>' removed that graph, the whole store, with exit 0."""
    from tests.conftest import run_pledgegraph

    assert cli("export", "-o", str(tmp_path / "all.ttl")).exit_code == 0
    store = tmp_path / "copy"
    assert run_pledgegraph(store, "import", str(tmp_path / "all.ttl")).returncode == 0
    urls = run_pledgegraph(store, "sparql", "SELECT DISTINCT ?u WHERE { ?s schema:url ?u }")
    url = urls.stdout.splitlines()[1].strip("<>")
    before = run_pledgegraph(store, "export", "-f", "nquads").stdout
    refused = run_pledgegraph(store, "remove", url)
    assert refused.returncode == 2
    assert refused.stderr.startswith(
        f"Error: remove {url}: the graph <https://w3id.org/pledgegraph/graph/file/all-ttl> "
        "holds the ontology too"
    )
    # nor by the file's name
    assert run_pledgegraph(store, "remove", "all.ttl").returncode == 2
    assert run_pledgegraph(store, "export", "-f", "nquads").stdout == before


def test_rdf_1_2_triple_terms_export_where_the_format_holds_them(
    cli: Invoke, tmp_path: Path
) -> None:
    """An outside differential test (helper-144) found Turtle and TriG export crash with a
    traceback on a triple term (its ``<<(`` read as an IRI when the prefixes were gathered),
    and JSON-LD too: JSON-LD 1.1 cannot write one, so it is one error line."""
    data = tmp_path / "star.nt"
    data.write_text(
        "<https://e.org/s> <https://e.org/says> <<( <https://e.org/a> <https://e.org/b> "
        '"quoted" )>> .\n<https://e.org/s> <https://e.org/note> "not a <<( term" .\n',
        encoding="utf-8",
    )
    assert cli("load", "--no-shapes", "--lenient", str(data)).exit_code == 0
    graph = "https://w3id.org/pledgegraph/graph/file/star-nt"
    for fmt in ("turtle", "trig", "ntriples", "nquads"):
        result = cli("export", "-f", fmt, "--graph", graph)
        assert result.exit_code == 0, (fmt, result.stderr)
        assert "<<(" in result.stdout and "quoted" in result.stdout
    # (a literal that only looks like a triple term is no triple term, and is kept as it is)
    lines = cli("export", "-f", "ntriples", "--graph", graph).stdout.splitlines()
    assert '<https://e.org/s> <https://e.org/note> "not a <<( term" .' in lines
    result = cli("export", "-f", "jsonld", "--graph", graph)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("Error: jsonld: <https://e.org/s> <https://e.org/says> <<(")
    assert result.stderr.endswith(
        "holds an RDF 1.2 triple term, which JSON-LD 1.1 cannot hold; export in another format "
        "(nquads, trig, turtle, ntriples)\n"
    )
    out = tmp_path / "all.jsonld"
    assert cli("export", "-f", "jsonld", "-o", str(out)).exit_code == 2 and not out.exists()


def test_a_graph_named_by_an_iri_of_any_scheme_can_be_exported(cli: Invoke, tmp_path: Path) -> None:
    data = tmp_path / "tagged.nq"
    data.write_text(
        '<https://e.org/a> <https://e.org/p> "tag graph" <tag:example.org,2024:graph/a> .\n',
        encoding="utf-8",
    )
    assert cli("load", "--no-shapes", "--lenient", str(data)).exit_code == 0
    result = cli("export", "-f", "nquads", "--graph", "tag:example.org,2024:graph/a")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        '<https://e.org/a> <https://e.org/p> "tag graph" <tag:example.org,2024:graph/a> .\n'
    )


def test_jsonld_export_reads_back_in_pyld_with_directional_text(tmp_path: Path) -> None:
    """A second JSON-LD processor, pyld (the JSON-LD API's reference implementation in Python),
    reads our compacted export of the bundled data, reasoned, back to the exported triples.
    RDF 1.2 directional text (``"…"@en--ltr``: helper-144's differential test found it a
    traceback) is written as JSON-LD 1.1's ``@direction``, which pyld turns into the i18n
    datatype; rdflib has no directional literals, so the expected lines are mapped the same way."""
    import re

    import rdflib
    from pyld import jsonld
    from rdflib.compare import isomorphic

    store = Store.memory()
    EX_SAY = "https://example.org/vocab#say"
    directional = (
        '<https://example.org/x> <https://example.org/vocab#say> "hi"@en--ltr, "مرحبا"@ar--rtl, '
        '"hello"@en .\n'
    )  # (not "hi"@en as well: pyld takes it for a duplicate of "hi"@en--ltr and drops it)
    store.load_rdf("extra.ttl", data=(EXTRA + directional).encode())
    materialise(store)
    document = json.loads(export(store, "jsonld"))
    say = next(n for n in document["@graph"] if n["@id"] == "https://example.org/x")
    assert {"@direction": "ltr", "@language": "en", "@value": "hi"} in say[EX_SAY]
    read = jsonld.to_rdf(
        document, {"format": "application/n-quads", "rdfDirection": "i18n-datatype"}
    )
    got = rdflib.Graph().parse(data=read, format="nt")
    lines = re.sub(
        r"@([A-Za-z0-9-]+)--(ltr|rtl) \.$",
        r"^^<https://www.w3.org/ns/i18n#\1_\2> .",
        export(store, "ntriples"),
        flags=re.M,
    )
    expected = rdflib.Graph().parse(data=lines, format="nt")
    assert len(got) == len(expected) > 1000 and isomorphic(got, expected)
    for fmt in ("turtle", "trig", "nquads", "ntriples"):
        assert '"hi"@en--ltr' in export(store, fmt), fmt


def test_an_export_of_rdf_1_2_terms_says_so(cli: Invoke, tmp_path: Path) -> None:
    """A new user's trial (helper-153): rdflib 7 refused a Turtle export holding text with a
    direction, and nothing had said the export was RDF 1.2. A note on stderr now says which RDF
    1.2 terms it holds; JSON-LD (``@direction``) and data without them get none."""
    plain = cli("export", "-f", "turtle")
    assert plain.exit_code == 0 and "RDF 1.2" not in plain.stderr
    data = tmp_path / "directed.ttl"
    data.write_text('<https://e.org/s> <https://e.org/says> "hi"@en--ltr .\n', encoding="utf-8")
    assert cli("load", "--no-shapes", "--lenient", str(data)).exit_code == 0
    note = (
        "Note: the export holds RDF 1.2 text with a direction, written in RDF 1.2 syntax: "
        "'pledgegraph import' and RDF 1.2 readers (pyoxigraph, Oxigraph) read it, RDF 1.1 "
        "readers such as rdflib 7 do not\n"
    )
    for fmt in ("turtle", "trig", "ntriples", "nquads", "rdfxml"):
        result = cli("export", "-f", fmt)
        assert result.exit_code == 0 and result.stderr == note, fmt
    written = cli("export", "-o", str(tmp_path / "all.nq"))
    assert written.exit_code == 0 and written.stderr.endswith(note)
    jsonld = cli("export", "-f", "jsonld")
    assert jsonld.exit_code == 0 and "RDF 1.2" not in jsonld.stderr
    assert '"@direction": "ltr"' in jsonld.stdout
