"""Per-source summaries (``pledge:rowRegions``, ``pledge:rowDeadlines``, ``pledge:rowTotals``;
docs/data-model.md).

They are written by the loader with a source's rows, computed from the graph for RDF files and
by ``rebuild_rows``, reported by ``stale_rows`` when missing or wrong, kept true when a file
restates or describes other sources' targets, and left out of exports. The questions that read
them (compare-regions, deadlines, totals-by-kind) must answer as their earlier texts did, which read every
target's row: those texts are kept in ``tests/reference_questions/`` as the oracle.
"""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from pledgegraph import queries
from pledgegraph.graph.export import export
from pledgegraph.graph.query import run
from pledgegraph.graph.rows import rebuild_rows, stale_rows
from pledgegraph.graph.store import Store
from pledgegraph.loaders.factsheet import parse_factsheet
from pledgegraph.loaders.rdf import (
    PROVENANCE_FIELDS,
    ROW_DEADLINES,
    ROW_PROVENANCE,
    ROW_REGIONS,
    ROW_TOTALS,
    SUMMARY_PREDICATES,
    unindexed,
)

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = Path(__file__).parent / "reference_questions"
REGIONS, DEADLINES = ox.NamedNode(ROW_REGIONS), ox.NamedNode(ROW_DEADLINES)
TOTALS = ox.NamedNode(ROW_TOTALS)
#: Each question that reads the summaries, with the parameters it is asked with.
CASES = [
    ("compare-regions", {}),
    ("compare-regions", {"country": "CN"}),
    ("compare-regions", {"country": "CN-HE"}),
    ("deadlines", {}),
    ("totals-by-kind", {}),
    ("totals-by-kind", {"kind": "parks"}),
    ("totals-by-kind", {"year": "2025"}),
]
#: GROUP_CONCAT cells whose order SPARQL leaves to the engine: compared as sorted lists.
UNORDERED = {"approximateLabels", "boundedLabels"}


def sheets(count: int) -> list[str]:
    """``count`` synthetic sheets made by bench/generate.py's sheet maker."""
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_generate"] = module
    spec.loader.exec_module(module)
    maker = module.SheetMaker(random.Random("pledgegraph-summaries"))
    return [maker.sheet(n) for n in range(1, count + 1)]


def loaded(count: int = 4) -> Store:
    store = Store.memory()
    store.load_factsheets(
        [
            parse_factsheet(text, path=f"{n:05d}.pledges.yaml")
            for n, text in enumerate(sheets(count))
        ]
    )
    return store


def answer(store: Store, sparql: str, name: str, params: dict[str, str]) -> list[tuple[str, ...]]:
    query = queries.parse_stored_query(name, sparql)
    result = run(store, queries.with_values(query.sparql, queries.bind(query, params)), where=name)
    assert isinstance(result, ox.QuerySolutions)

    def cell(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None, name: str) -> str:
        if term is None:
            return ""
        if name in UNORDERED and isinstance(term, ox.Literal):
            return ", ".join(sorted(term.value.split(", ")))
        return str(term)

    return [tuple(cell(s[v], v.value) for v in result.variables) for s in result]


def assert_as_before(store: Store) -> None:
    """Every case answers exactly (same ordered rows) as the question's per-target text."""
    for name, params in CASES:
        now = answer(store, queries.get(name).sparql, name, params)
        before = (REFERENCE / f"{name}.rq").read_text(encoding="utf-8")
        expected = answer(store, before, name, params)
        if name == "totals-by-kind":  # kind other: counted, its quantities not added (since)
            expected = [_unadded(row) if row[0] == '"other"' else row for row in expected]
        assert now == expected, (name, params)
        assert now, (name, params)


def _unadded(row: tuple[str, ...]) -> tuple[str, ...]:
    """A totals-by-kind row without its sums (exactSum, rangeMin, rangeMax, pledgedAtLeast)."""
    return tuple("" if n in (4, 6, 7, 13) else cell for n, cell in enumerate(row))


def source_lines(store: Store, graph: str) -> list[str]:
    """The graph's quads as N-Triples lines, without the row index (as a file from elsewhere)."""
    return [
        f"{q.subject} {q.predicate} {q.object} ."
        for q in store.quads(graph)
        if not q.predicate.value.startswith("https://w3id.org/pledgegraph/ontology#row")
    ]


def test_the_loaders_summaries_are_the_ones_the_rows_imply() -> None:
    store = loaded()
    assert stale_rows(store) == []
    assert rebuild_rows(store).summaries == 0
    graphs = {q.graph_name for q in store.inner.quads_for_pattern(None, REGIONS, None, None)}
    assert len(graphs) == 5  # the bundled source and the four sheets
    for predicate in (REGIONS, DEADLINES, TOTALS):
        for quad in store.inner.quads_for_pattern(None, predicate, None, None):
            assert quad.subject == quad.graph_name  # on the graph's own IRI
    assert_as_before(store)


def test_the_summaries_add_up_to_every_target() -> None:
    store = loaded()
    targets = sum(
        1 for _ in store.inner.quads_for_pattern(None, ox.NamedNode(ROW_PROVENANCE), None)
    )
    for predicate in (REGIONS, DEADLINES, TOTALS):  # (totals: every target here has a kind)
        counted = sum(
            int(q.object.value[:8]) for q in store.inner.quads_for_pattern(None, predicate, None)
        )
        assert counted == targets


@pytest.mark.parametrize("predicate", [REGIONS, DEADLINES, TOTALS])
def test_a_missing_or_wrong_summary_is_stale_and_rebuilt(predicate: ox.NamedNode) -> None:
    store = loaded(2)
    quads = list(store.inner.quads_for_pattern(None, predicate, None, None))
    gone, wrong = quads[0], quads[-1]
    store.inner.remove(gone)
    store.inner.remove(wrong)
    store.inner.add(ox.Quad(wrong.subject, predicate, ox.Literal("0" * 40), wrong.graph_name))
    stale = {(g, problem) for g, _, problem in stale_rows(store)}
    expected = {gone.graph_name.value, wrong.graph_name.value}  # type: ignore[union-attr]
    assert stale == {(g, "summary out of date") for g in expected}
    report = rebuild_rows(store)
    assert (report.changed, report.summaries) == (0, len(expected))
    assert stale_rows(store) == []
    assert set(store.inner.quads_for_pattern(None, predicate, None, None)) == set(quads)


def test_a_file_restating_a_sources_targets_counts_them_once(tmp_path: Path) -> None:
    store = loaded()
    before = {name: answer(store, queries.get(name).sparql, name, p) for name, p in CASES[:1]}
    graph = sorted(g for g in store.source_graphs() if "/source/" in g)[1]
    path = tmp_path / "restated.nt"  # the same source's quads, loaded into a graph of its own
    path.write_text("\n".join(source_lines(store, graph)) + "\n", encoding="utf-8")
    report = store.load_rdf(str(path))
    assert report.graph != graph
    assert stale_rows(store) == []
    assert_as_before(store)
    for name, params in CASES[:1]:  # the restated targets count once, as before the file
        assert answer(store, queries.get(name).sparql, name, params) == before[name]
    store.remove(report.graph)
    assert stale_rows(store) == []
    assert_as_before(store)


#: Quantities a file may give a target, as Turtle for ``<q>``: the per-target texts leave a sum
#: unbound when one of its values is missing or not a 64-bit integer, and so must the summaries.
QUANTITIES = {
    "exact": 'schema:value 7 ; pledge:approximate false ; rdfs:label "7"',
    "range without maximum": 'schema:minValue 3 ; pledge:approximate false ; rdfs:label "3–"',
    "at least without value": (
        "schema:minValue 2 ; schema:maxValue 9 ; pledge:bound pledge:AtLeast ; "
        'pledge:approximate false ; rdfs:label "≥ 2"'
    ),
    "too large": 'schema:value 99999999999999999999 ; pledge:approximate false ; rdfs:label "a lot"',
    "approximate": 'schema:value 40 ; pledge:approximate true ; rdfs:label "~40"',
}


@pytest.mark.parametrize("quantity", sorted(QUANTITIES))
def test_a_file_describing_another_sources_targets_changes_its_summaries(
    tmp_path: Path, quantity: str
) -> None:
    """A quantity given in a file for a target of a fact sheet changes that source's
    summaries, as it changes the per-target texts' answers; removing the file changes them
    back."""
    store = loaded()
    bare = next(
        q
        for q in store.inner.quads_for_pattern(None, ox.NamedNode(ROW_PROVENANCE), None, None)
        if unindexed(q.object.value, len(PROVENANCE_FIELDS))[7] == "unspecified"
        and unindexed(q.object.value, len(PROVENANCE_FIELDS))[5]  # a kind: totals count it
    )
    target = bare.subject.value
    first = [answer(store, queries.get(name).sparql, name, p) for name, p in CASES]
    path = tmp_path / "quantity.ttl"
    path.write_text(
        "@prefix pledge: <https://w3id.org/pledgegraph/ontology#> .\n"
        "@prefix schema: <https://schema.org/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        f"<{target}> pledge:quantity <{target}/quantity> .\n"
        f"<{target}/quantity> a schema:QuantitativeValue ; {QUANTITIES[quantity]} .\n",
        encoding="utf-8",
    )
    report = store.load_rdf(str(path))
    assert stale_rows(store) == []
    assert_as_before(store)
    after = answer(store, queries.get("deadlines").sparql, "deadlines", {})
    assert sum(int(r[2].split('"')[1]) for r in after) == 1 + sum(
        int(r[2].split('"')[1]) for r in first[CASES.index(("deadlines", {}))]
    )  # one more quantified target
    store.remove(report.graph)
    assert stale_rows(store) == []
    assert [answer(store, queries.get(name).sparql, name, p) for name, p in CASES] == first


def test_exports_leave_the_summaries_out() -> None:
    store = loaded(1)
    text = export(store, "nquads")
    assert not any(p in text for p in SUMMARY_PREDICATES)
