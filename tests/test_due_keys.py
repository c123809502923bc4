"""Due keys (``pledge:rowDue`` "parks 2022" on each target, ``pledge:rowDueKeys`` on the kind in
the reference graph; docs/data-model.md, row format 7).

parks-by-year finds its targets through them, so they must be written at load for fact sheets
and RDF files alike, agree between the target and its kind, be reported by ``stale_rows`` and
rebuilt by ``rebuild_rows`` (and at open, for a store of an older row format), and stay out of
exports, descriptions and an import's copy (which rebuilds them).
"""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path

import pyoxigraph as ox

from pledgegraph import queries
from pledgegraph.graph.describe import describe
from pledgegraph.graph.export import export, import_dataset
from pledgegraph.graph.query import run
from pledgegraph.graph.rows import rebuild_rows, stale_rows
from pledgegraph.graph.store import Store
from pledgegraph.loaders.factsheet import parse_factsheet
from pledgegraph.loaders.rdf import ROW_DUE, ROW_DUE_KEYS
from pledgegraph.ontology import KIND, REFERENCE_GRAPH

ROOT = Path(__file__).resolve().parents[1]
DUE, KEYS = ox.NamedNode(ROW_DUE), ox.NamedNode(ROW_DUE_KEYS)
REFERENCE = ox.NamedNode(REFERENCE_GRAPH)


def generated(count: int) -> list[object]:
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_generate"] = module
    spec.loader.exec_module(module)
    maker = module.SheetMaker(random.Random("pledgegraph-due-keys"))
    return [parse_factsheet(maker.sheet(n), path=f"{n:03d}.pledges.yaml") for n in range(1, count)]


def listed(store: Store) -> set[tuple[str, str]]:
    """(kind IRI, key) of the reference graph's due keys."""
    return {
        (str(q.subject).strip("<>"), q.object.value)  # type: ignore[union-attr]
        for q in store.inner.quads_for_pattern(None, KEYS, None, None)
        if q.graph_name == REFERENCE
    }


def used(store: Store) -> set[str]:
    return {q.object.value for q in store.inner.quads_for_pattern(None, DUE, None, None)}  # type: ignore[union-attr]


def parks(store: Store, year: str = "2030") -> list[tuple[str, ...]]:
    query = queries.get("parks-by-year")
    sparql = queries.with_values(query.sparql, queries.bind(query, {"year": year}))
    result = run(store, sparql, where="parks-by-year")
    assert isinstance(result, ox.QuerySolutions)
    return [tuple(str(v) for v in solution) for solution in result]


def test_each_targets_key_is_its_kind_and_year_and_listed_on_the_kind() -> None:
    store = Store.memory()
    store.load_factsheets(generated(12))
    keys = used(store)
    assert len(keys) > 20
    assert listed(store) == {(KIND + key.split(" ")[0], key) for key in keys}
    for quad in store.inner.quads_for_pattern(None, DUE, None, None):
        kind = store.inner.query(
            f"ASK {{ GRAPH ?g {{ {quad.subject} <https://w3id.org/pledgegraph/ontology#kind> "
            f"<{KIND}{quad.object.value.split(' ')[0]}> ; "  # type: ignore[union-attr]
            f"<https://w3id.org/pledgegraph/ontology#rowYear> "
            f"{quad.object.value.split(' ')[1]} }} }}"  # type: ignore[union-attr]
        )
        assert kind, quad
    assert stale_rows(store) == []


def test_a_missing_key_is_reported_and_rebuilt_and_the_question_answers_again() -> None:
    store = Store.memory()
    before = parks(store)
    assert before
    for quad in list(store.inner.quads_for_pattern(None, DUE, None, None)):
        store.inner.remove(quad)
    assert parks(store) == []
    problems = stale_rows(store)
    assert {p for _, _, p in problems} == {
        "out of date",
        *{f'due key "{k}" unused' for _, k in listed(store)},
    }
    rebuild_rows(store)
    assert stale_rows(store) == []
    assert parks(store) == before


def test_the_kinds_lists_are_checked_and_rebuilt_to_the_keys_the_targets_carry() -> None:
    store = Store.memory()
    before = listed(store)
    dropped = next(iter(store.inner.quads_for_pattern(None, KEYS, None, None)))
    store.inner.remove(dropped)
    stray = ox.Quad(ox.NamedNode(KIND + "funds"), KEYS, ox.Literal("funds 1999"), REFERENCE)
    store.inner.add(stray)
    problems = stale_rows(store)
    assert (REFERENCE_GRAPH, KIND + "funds", 'due key "funds 1999" unused') in problems
    assert (
        REFERENCE_GRAPH,
        str(dropped.subject).strip("<>"),
        f"due key {dropped.object} missing",
    ) in problems
    assert len(problems) == 2
    rebuild_rows(store)
    assert stale_rows(store) == [] and listed(store) == before


def test_removing_the_only_source_of_a_key_takes_the_key_from_its_kind(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s") as store:
        before = listed(store)
        sheet = "source:\n  url: https://example.org/n/1\npledges:\n  - region: CN-SC\n    deadline: 2031\n    targets:\n      - kind: parks\n        quantity: 4\n"
        store.load_factsheet(parse_factsheet(sheet))
        assert (KIND + "parks", "parks 2031") in listed(store)
        assert len(parks(store, "2031")) == len(parks(store, "2030")) + 1
        store.remove("https://example.org/n/1")
        assert listed(store) == before and stale_rows(store) == []


def test_an_rdf_file_and_an_import_get_the_keys_and_exports_leave_them_out() -> None:
    store = Store.memory()
    text = export(store, "nquads")
    parsed = list(ox.parse(text.encode(), ox.RdfFormat.N_QUADS))
    assert not [q for q in parsed if q.predicate in (DUE, KEYS)]
    target = next(iter(store.inner.quads_for_pattern(None, DUE, None, None))).subject
    described = describe(store, target.value)  # type: ignore[union-attr]
    assert not {t.predicate for t in described} & {DUE, KEYS}
    copy = Store.memory(initialise=False)
    import_dataset(copy, "x.nq", data=text.encode())
    assert used(copy) == used(store) and listed(copy) == listed(store)
    assert parks(copy) == parks(store)


def test_a_store_of_row_format_6_gains_the_keys_at_open(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with Store.open(path) as store:
        before = parks(store)
        for quad in [
            *store.inner.quads_for_pattern(None, DUE, None, None),
            *store.inner.quads_for_pattern(None, KEYS, None, None),
        ]:
            store.inner.remove(quad)
        store.set_state(row_format=6)
    with Store.open(path) as store:
        assert parks(store) == before
        assert stale_rows(store) == []
