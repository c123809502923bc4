"""The search and provenance rows (pledge:rowSearch, pledge:rowProvenance; issue 12).

They are written at load from the fact sheet, equal what graph/rows.py computes from the
graph, are reported by ``stale_rows`` when missing or wrong, rebuilt by ``rebuild_rows``, and
stay out of exports like ``pledge:row``. The pieces they are made of (normalised search text,
packed fields, sort keys) keep the questions' answers: checked here as properties.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from hypothesis import given
from hypothesis import strategies as st

from pledgegraph import queries
from pledgegraph.graph.export import export, import_dataset
from pledgegraph.graph.query import run
from pledgegraph.graph.rows import expected_index, rebuild_rows, stale_rows
from pledgegraph.graph.store import Store
from pledgegraph.loaders.factsheet import parse_factsheet
from pledgegraph.loaders.rdf import (
    ROW_PROVENANCE,
    ROW_SEARCH,
    SEARCH_SEPARATOR,
    normalise,
    packed,
    search_text,
    sort_key,
    unpacked,
)

SEARCH, PROVENANCE = ox.NamedNode(ROW_SEARCH), ox.NamedNode(ROW_PROVENANCE)
SHEET = """
source:
  url: https://example.org/news/1
  title: "A city's park plan"
  key: quoted
pledges:
  - region: CN-HE
    authority: Hebei government
    description: "Build parks; (and) more."
    deadline: 2027
    targets:
      - kind: parks
        quantity: 3
        description: Three new science parks
        span: [4, 15]
      - kind: firms
        qualifier: "for exporters' hubs"
"""
TEXT = "The three new science parks plan."


def values(store: Store, predicate: ox.NamedNode) -> dict[str, str]:
    found = {}
    for quad in store.inner.quads_for_pattern(None, predicate, None, None):
        assert isinstance(quad.object, ox.Literal)
        found[quad.subject.value] = quad.object.value  # type: ignore[union-attr]
    return found


def loaded() -> Store:
    store = Store.memory()
    store.load_factsheet(parse_factsheet(SHEET, path="quoted.pledges.yaml"), text=TEXT)
    return store


def ask(store: Store, name: str, **params: str) -> list[tuple[str, ...]]:
    query = queries.get(name)
    result = run(store, queries.with_values(query.sparql, queries.bind(query, params)), where=name)
    assert isinstance(result, ox.QuerySolutions)
    rows = [tuple(str(s[v]) if s[v] is not None else "" for v in result.variables) for s in result]
    return [r for r in rows if "/pledge/quoted/" in r[-1]]  # the bundled seed is there too


def test_every_target_has_both_rows_and_they_equal_the_graphs() -> None:
    store = loaded()
    targets = {q.object.value for q in store.inner.quads_for_pattern(None, ox.NamedNode(
        "https://w3id.org/pledgegraph/ontology#hasTarget"), None, None)}  # fmt: skip
    assert set(values(store, SEARCH)) == targets
    assert set(values(store, PROVENANCE)) == targets
    assert stale_rows(store) == []  # the loader's rows are the ones the graph implies
    index = expected_index(store)
    assert {p for found in index.values() for p, _ in found} >= {ROW_SEARCH, ROW_PROVENANCE}


def test_the_questions_read_the_rows() -> None:
    store = loaded()
    (row,) = [r for r in ask(store, "provenance") if r[-1].endswith("quoted/1/target/1>")]
    region, kind, quantity, source, start, end, quote, url, _ = row
    assert (region, kind, quantity) == ('"CN-HE"', '"parks"', '"3"')
    assert source == '"A city\'s park plan"' and url == "<https://example.org/news/1>"
    assert start.startswith('"4"^^') and end.startswith('"15"^^')
    assert quote == '"three new s"'  # the words of the span, kept at load
    found = ask(store, "search", text="Exporters-Hubs")  # the qualifier, punctuation as space
    assert [r[-1] for r in found] == ["<https://w3id.org/pledgegraph/id/pledge/quoted/1/target/2>"]
    assert ask(store, "search", text="igh") == []  # Latin-script text starts a word
    assert ask(store, "search", text="plan") == []  # the source's headline is not searched
    assert len(ask(store, "search", text="河北")) == 2  # the region's Chinese name, anywhere
    assert len(ask(store, "provenance", region="CN")) == 2  # the region and what it lies in
    assert ask(store, "provenance", region="DE") == []


def test_a_missing_or_wrong_row_is_stale_and_rebuilt() -> None:
    store = loaded()
    gone = next(iter(store.inner.quads_for_pattern(None, SEARCH, None, None)))
    store.inner.remove(gone)
    wrong = next(
        q
        for q in store.inner.quads_for_pattern(None, PROVENANCE, None, None)
        if q.subject != gone.subject
    )
    store.inner.remove(wrong)
    store.inner.add(ox.Quad(wrong.subject, PROVENANCE, ox.Literal("x"), wrong.graph_name))
    stale = {(g, t) for g, t, _ in stale_rows(store)}
    assert stale == {
        (gone.graph_name.value, gone.subject.value),  # type: ignore[union-attr]
        (wrong.graph_name.value, wrong.subject.value),  # type: ignore[union-attr]
    }
    assert rebuild_rows(store).changed == 2
    assert stale_rows(store) == []
    assert gone in set(store.inner.quads_for_pattern(None, SEARCH, None, None))
    assert wrong in set(store.inner.quads_for_pattern(None, PROVENANCE, None, None))


def test_exports_leave_the_rows_out_and_an_import_makes_them_again(tmp_path: Path) -> None:
    store = loaded()
    text = export(store, "nquads")
    parsed = list(ox.parse(text.encode(), ox.RdfFormat.N_QUADS))
    assert parsed and not [q for q in parsed if q.predicate in (SEARCH, PROVENANCE)]
    copy = Store.memory(initialise=False)
    import_dataset(copy, "x.nq", data=text.encode())
    for predicate in (SEARCH, PROVENANCE):
        assert values(copy, predicate) == values(store, predicate)


def test_an_rdf_file_without_rows_gets_them(tmp_path: Path) -> None:
    store = loaded()
    graph = "https://w3id.org/pledgegraph/graph/source/quoted"
    lines = [
        f"{q.subject} {q.predicate} {q.object} ." for q in store.quads(graph)
        if not q.predicate.value.startswith("https://w3id.org/pledgegraph/ontology#row")
    ]  # fmt: skip
    path = tmp_path / "quoted.nt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    other = Store.memory()
    other.load_rdf(str(path))
    assert stale_rows(other) == []  # computed from the graph where the file lacked them
    quoted = {t for t in values(store, SEARCH) if "/pledge/quoted/" in t}
    assert quoted and quoted <= set(values(other, SEARCH)) & set(values(other, PROVENANCE))
    assert [r[6] for r in ask(other, "provenance")] == ["", '"three new s"']  # no span first


texts = st.text(alphabet=st.sampled_from("ab Ac-é河北 .,_1"), max_size=12)


@given(st.lists(texts, min_size=1, max_size=6), texts)
def test_search_text_finds_what_each_text_would(items: list[str], needle_text: str) -> None:
    """The question's test on the joined texts equals its old test on each text alone."""
    needle = normalise(needle_text)
    word = needle if any(ord(c) > 127 for c in needle) else " " + needle
    joined = search_text(items)
    assert all(SEARCH_SEPARATOR not in s for s in (needle, word))
    assert (word in joined) == any(word in " " + normalise(t) for t in items)
    half = len(items) // 2  # the loader passes the texts many targets share apart
    assert search_text(items[:half], tuple(items[half:])) == joined


@given(st.lists(st.text(max_size=30), min_size=1, max_size=8))
def test_packed_fields_come_back(fields: list[str]) -> None:
    assert unpacked(packed(fields), len(fields)) == fields


PREFIX = "https://w3id.org/x/"
IRI_TEXT = st.text(alphabet=st.sampled_from("htps:/w3id.orgx~é-9"), max_size=24)


@given(st.lists(st.one_of(IRI_TEXT, IRI_TEXT.map(lambda t: PREFIX + t)), min_size=2))
def test_sort_keys_order_like_the_iris(iris: list[str]) -> None:
    keys = [sort_key(i, PREFIX) for i in sorted(iris)]
    assert keys == sorted(keys)
