"""The JSON-LD writer gives the same bytes as the writer it replaced (tests/jsonld_reference.py)
on varied data: every term of the bundled context and predicates outside it, with objects of
every kind (IRIs, rdf:nil, blank nodes, RDF lists, plain, language-tagged and typed literals,
ill-formed ones, escapes, control characters, non-ASCII text), subjects spread over several
graphs, and the generated bench data."""

from __future__ import annotations

import importlib.util
import io
import random
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from pledgegraph.graph.export import (
    _Lines,
    _write_jsonld,
    context,
    export,
    export_graphs,
    import_dataset,
    write_export,
)
from pledgegraph.graph.store import Store
from tests.jsonld_reference import write_jsonld as reference_write_jsonld

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden" / "export"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
EX = "https://example.org/vocab#"


def reference(store: Store, *, graph: str | None = None, inferred: bool = False) -> bytes:
    """The old writer on the merged, sorted lines of the export (as write_export made them)."""
    graphs = export_graphs(store, graph=graph, inferred=inferred)
    lines = _Lines(store, graphs, quads=False).triple_lines()
    out = io.BytesIO()
    reference_write_jsonld(lines, out)
    return out.getvalue()


def ours(store: Store, *, graph: str | None = None, inferred: bool = False) -> bytes:
    out = io.BytesIO()
    write_export(store, out, "jsonld", graph=graph, inferred=inferred)
    assert export(store, "jsonld", graph=graph, inferred=inferred).encode("utf-8") == out.getvalue()
    return out.getvalue()


def context_predicates() -> list[str]:
    """The IRI of every term of the bundled context, and of each of its prefixes plus a name."""
    ctx = context()
    prefixes = {k: v for k, v in ctx.items() if isinstance(v, str) and v.endswith(("/", "#"))}

    def expand(curie: str) -> str:
        prefix, _, name = curie.partition(":")
        return prefixes[prefix] + name if prefix in prefixes else curie

    iris = {namespace + "thing" for namespace in prefixes.values()}
    for key, value in ctx.items():
        if key.startswith("@") or key in prefixes:
            continue
        iris.add(expand(value if isinstance(value, str) else value["@id"]))
    return sorted(iris)


def literals() -> list[ox.Literal]:
    text = [
        "plain",
        "",
        'a "quote" and a \\ backslash',
        "two\nlines\r\tand a tab",
        "controls \x00\x01\x1f and \x7f",
        "燕赵 · ümlaut · 😀 · \u2028",
        "  spaces  ",
        "_:not-a-blank <not:an-iri> @en ^^x",
    ]
    typed = {
        "integer": ["7", "007", " 5 ", "-0", "x", "99999999999999999999"],
        "double": ["1e3", "1.5", "NaN", "INF", "-INF", "x", "0.1"],
        "boolean": ["true", "false", "1", "0", " true", "yes"],
        "decimal": ["0.5", "1.50", "x"],
        "date": ["2025-12-31", "2025-1-1"],
        "dateTime": ["2026-01-02T03:04:05+00:00", "2026-01-02T03:04:05Z"],
        "gYear": ["2025"],
        "gYearMonth": ["2025-07"],
        "nonNegativeInteger": ["12", "-1"],
        "string": ["typed string"],
    }
    out = [ox.Literal(t) for t in text]
    out += [ox.Literal(t, language=lang) for t in text[:4] for lang in ("en", "zh", "en-GB")]
    out += [ox.Literal(v, datatype=ox.NamedNode(XSD + t)) for t, vs in typed.items() for v in vs]
    out.append(ox.Literal("custom", datatype=ox.NamedNode(EX + "Custom")))
    return out


def varied_store() -> Store:
    """Each predicate with objects of every kind, on subjects spread over three graphs."""
    store = Store.memory(initialise=False)
    graphs = [ox.NamedNode(f"https://example.org/graph/{n}") for n in range(3)]
    predicates = [ox.NamedNode(p) for p in context_predicates()]
    predicates += [ox.NamedNode(EX + "other"), ox.NamedNode("urn:x:odd"),
                   ox.NamedNode(RDF + "type")]  # fmt: skip
    objects: list[ox.NamedNode | ox.BlankNode | ox.Literal] = [
        ox.NamedNode("https://w3id.org/pledgegraph/id/region/CN-HE"),
        ox.NamedNode("https://w3id.org/pledgegraph/ontology#Pledge"),
        ox.NamedNode("https://example.org/elsewhere/x"),
        ox.NamedNode(RDF + "nil"),
        *literals(),
    ]
    rng = random.Random(12)
    quads = []
    for n, predicate in enumerate(predicates):
        subject = ox.NamedNode(f"https://w3id.org/pledgegraph/id/thing/{n}")
        for obj in [*rng.sample(objects, 6), objects[n % len(objects)]]:
            quads.append(ox.Quad(subject, predicate, obj, rng.choice(graphs)))
        blank = ox.BlankNode()
        quads.append(ox.Quad(subject, predicate, blank, graphs[0]))
        quads.append(ox.Quad(blank, predicate, rng.choice(objects), graphs[0]))
        # an RDF list ( "x" <iri> "x" ) used by this predicate
        head = cell = ox.BlankNode()
        items = [ox.Literal("x"), objects[0], ox.Literal("x")]
        for i, item in enumerate(items):
            quads.append(ox.Quad(cell, ox.NamedNode(RDF + "first"), item, graphs[1]))
            rest = ox.BlankNode() if i < len(items) - 1 else ox.NamedNode(RDF + "nil")
            quads.append(ox.Quad(cell, ox.NamedNode(RDF + "rest"), rest, graphs[1]))
            cell = rest  # type: ignore[assignment]
        quads.append(ox.Quad(subject, predicate, head, graphs[1]))
    # the same triple in two graphs (written once), a blank subject in every graph
    repeated = ox.NamedNode("https://w3id.org/pledgegraph/id/thing/0")
    for g in graphs:
        quads.append(ox.Quad(repeated, predicates[0], ox.Literal("in every graph"), g))
        quads.append(ox.Quad(ox.BlankNode(), predicates[1], ox.Literal(str(g)), g))
    quads.append(ox.Quad(repeated, predicates[2], objects[0], ox.DefaultGraph()))
    store.inner.extend(quads)
    return store


def test_varied_data_gives_the_old_bytes() -> None:
    store = varied_store()
    got = ours(store)
    assert got == reference(store)
    text = got.decode("utf-8")
    # the data did reach the cases it was made for
    assert '"@list": [' in text and '"@language": "zh"' in text and "\\u0000" in text
    assert '"@type": "xsd:date"' in text and '"nan"' in text and '"_:c14n' in text


def test_one_graph_gives_the_old_bytes() -> None:
    store = varied_store()
    for graph in ("https://example.org/graph/0", "https://example.org/graph/1"):
        assert ours(store, graph=graph) == reference(store, graph=graph)


def test_sorted_lines_give_the_old_bytes() -> None:
    """_write_jsonld of lines (serialize_triples, to_jsonld) as the old writer of them."""
    store = varied_store()
    lines = _Lines(store, export_graphs(store), quads=False).triple_lines()
    for part in (lines, lines[: len(lines) // 3], lines[len(lines) // 2 :], []):
        new, old = io.BytesIO(), io.BytesIO()
        _write_jsonld(part, new)
        reference_write_jsonld(part, old)
        assert new.getvalue() == old.getvalue()


def test_golden_data_with_the_inferred_graph_gives_the_old_bytes() -> None:
    store = Store.memory(initialise=False)
    import_dataset(store, str(GOLDEN / "dataset.nq"))
    assert ours(store) == (GOLDEN / "export.jsonld").read_bytes()
    assert ours(store, inferred=True) == reference(store, inferred=True)


@pytest.mark.parametrize("sheets", [12])
def test_generated_bench_data_gives_the_old_bytes(sheets: int) -> None:
    """Sheets of bench/generate.py (about 10k triples), loaded as ``load`` does."""
    from pledgegraph.loaders.factsheet import parse_factsheet

    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_generate"] = module
    spec.loader.exec_module(module)
    maker = module.SheetMaker(random.Random("pledgegraph-bench-1-10k"))
    parsed = [
        parse_factsheet(maker.sheet(n), path=f"{n:05d}.pledges.yaml") for n in range(1, sheets + 1)
    ]
    store = Store.memory()
    store.load_factsheets(parsed)
    assert len(store.inner) > 5000
    assert ours(store) == reference(store)
