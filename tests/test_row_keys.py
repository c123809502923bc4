"""The short row keys (pledge:rowYear, pledge:rowPrecision) are kept with pledge:row.

They are written at load, follow the row, are reported by ``stale_rows`` when missing or
wrong, rebuilt by ``rebuild_rows``, and stay out of exports and descriptions like the row.
"""

from __future__ import annotations

import pyoxigraph as ox

from pledgegraph.graph.describe import describe
from pledgegraph.graph.export import export, import_dataset
from pledgegraph.graph.rows import INDEX, ROW, rebuild_rows, stale_rows, stored_rows
from pledgegraph.graph.store import Store
from pledgegraph.loaders.rdf import ROW_PRECISION, ROW_SEPARATOR, ROW_YEAR

YEAR, PRECISION = ox.NamedNode(ROW_YEAR), ox.NamedNode(ROW_PRECISION)


def keys(store: Store, predicate: ox.NamedNode) -> dict[tuple[str, str], list[ox.Literal]]:
    found: dict[tuple[str, str], list[ox.Literal]] = {}
    for quad in store.inner.quads_for_pattern(None, predicate, None, None):
        assert isinstance(quad.object, ox.Literal)
        found.setdefault((quad.graph_name.value, quad.subject.value), []).append(quad.object)  # type: ignore[union-attr]
    return found


def test_keys_repeat_the_rows_fields() -> None:
    store = Store.memory()
    rows = stored_rows(store)
    years, precisions = keys(store, YEAR), keys(store, PRECISION)
    assert rows and set(precisions) == set(rows)
    integer = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    for key, row in rows.items():
        fields = row.split(ROW_SEPARATOR)
        assert precisions[key] == [ox.Literal(fields[4])]
        if fields[0]:
            assert years[key] == [ox.Literal(fields[0], datatype=integer)]
        else:
            assert key not in years
    assert any(not row.split(ROW_SEPARATOR)[0] for row in rows.values()) or years


def test_a_missing_or_wrong_key_is_stale_and_rebuilt() -> None:
    store = Store.memory()
    quad = next(iter(store.inner.quads_for_pattern(None, PRECISION, None, None)))
    store.inner.remove(quad)
    wrong = next(iter(store.inner.quads_for_pattern(None, YEAR, None, None)))
    store.inner.remove(wrong)
    store.inner.add(
        ox.Quad(
            wrong.subject,
            YEAR,
            ox.Literal("1900", datatype=wrong.object.datatype),
            wrong.graph_name,
        )
    )  # type: ignore[union-attr]
    problems = stale_rows(store)
    stale = {(g, t) for g, t, p in problems if p == "out of date"}
    assert stale == {
        (quad.graph_name.value, quad.subject.value),  # type: ignore[union-attr]
        (wrong.graph_name.value, wrong.subject.value),  # type: ignore[union-attr]
    }
    report = rebuild_rows(store)
    assert report.changed == len(stale)
    assert stale_rows(store) == []
    assert quad in set(store.inner.quads_for_pattern(None, PRECISION, None, None))
    assert wrong in set(store.inner.quads_for_pattern(None, YEAR, None, None))
    assert not list(
        store.inner.quads_for_pattern(
            None, YEAR, ox.Literal("1900", datatype=wrong.object.datatype), None
        )
    )  # type: ignore[union-attr]


def test_exports_and_descriptions_leave_the_keys_out() -> None:
    store = Store.memory()
    text = export(store, "nquads")
    parsed = list(ox.parse(text.encode(), ox.RdfFormat.N_QUADS))
    assert parsed and not [q for q in parsed if q.predicate in INDEX]
    target = next(iter(store.inner.quads_for_pattern(None, YEAR, None, None))).subject
    described = describe(store, target.value)  # type: ignore[union-attr]
    assert described and not {t.predicate for t in described} & set(INDEX)
    copy = Store.memory(initialise=False)  # an import rebuilds row and keys alike
    import_dataset(copy, "x.nq", data=text.encode())
    for predicate in (ROW, YEAR, PRECISION):
        assert sorted(
            map(str, copy.inner.quads_for_pattern(None, predicate, None, None))
        ) == sorted(map(str, store.inner.quads_for_pattern(None, predicate, None, None)))
