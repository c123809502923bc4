"""``pledge:row``: the precomputed summary of each target that the listing questions read,
with its short keys ``pledge:rowYear`` and ``pledge:rowPrecision`` (``loaders.rdf.row_keys``).

A target's row holds what those questions show of it (deadline year, region code and English
name, quantity label, precision, sector label, deadline label, source headline and URL; see
docs/data-model.md), so a question reads one value per target instead of joining through the
pledge, region, deadline, quantity and source, each a hash join over the whole store in
Oxigraph. Loading a fact sheet writes the rows itself (``loaders.rdf.target_row``);
:func:`rebuild_rows` computes them from the graph with SPARQL, for RDF files loaded from
elsewhere and for ``pledgegraph reindex``; :func:`stale_rows` is what validation checks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox

from pledgegraph.loaders.rdf import (
    PROV,
    RDFS_LABEL,
    ROW_PREDICATES,
    ROW_SEPARATOR,
    SCHEMA,
    row_keys,
)
from pledgegraph.ontology import ID, INFERRED_GRAPH, PLEDGE

if TYPE_CHECKING:
    from pledgegraph.graph.store import Store

ROW = ox.NamedNode(PLEDGE + "row")
#: The row and its short keys (``loaders.rdf.row_keys``): the whole index, kept together.
INDEX = tuple(ox.NamedNode(p) for p in ROW_PREDICATES)
RDFS = RDFS_LABEL[: -len("label")]
SKOS = "http://www.w3.org/2004/02/skos/core#"
_INFERRED = ox.NamedNode(INFERRED_GRAPH)


@dataclass(frozen=True, slots=True)
class RowReport:
    """What :func:`rebuild_rows` did."""

    targets: int  # targets that now have a row
    changed: int  # rows written or replaced because they were missing or out of date


def expected_rows(store: Store, graphs: Sequence[str] | None = None) -> dict[tuple[str, str], str]:
    """``(graph, target) -> row`` as the graph says, for every target (or those in ``graphs``).

    Reads each predicate it needs in one scan (no per-target lookups), leaving out the inferred
    graph, and computes the rows as ``loaders.rdf.target_row`` does from a fact sheet.
    """
    wanted = set(graphs) if graphs is not None else None

    def scan(predicate: str) -> dict[str, list[ox.NamedNode | ox.BlankNode | ox.Literal]]:
        found: dict[str, list[ox.NamedNode | ox.BlankNode | ox.Literal]] = {}
        for quad in store.inner.quads_for_pattern(None, ox.NamedNode(predicate), None, None):
            if quad.graph_name != _INFERRED and isinstance(
                quad.subject, ox.NamedNode | ox.BlankNode
            ):
                found.setdefault(quad.subject.value, []).append(quad.object)  # type: ignore[arg-type]
        return found

    def first(
        values: dict[str, list[ox.NamedNode | ox.BlankNode | ox.Literal]],
        key: str | None,
        lang: str | None = None,
    ) -> ox.NamedNode | ox.BlankNode | ox.Literal | None:
        if key is None:
            return None
        terms = values.get(key, [])
        if lang is not None:
            terms = [t for t in terms if isinstance(t, ox.Literal) and t.language == lang]
        return min(terms, key=lambda t: t.value) if terms else None

    def text(term: ox.NamedNode | ox.BlankNode | ox.Literal | None, default: str = "") -> str:
        return term.value if term is not None else default

    label, region, iso = scan(RDFS + "label"), scan(PLEDGE + "region"), scan(PLEDGE + "isoCode")
    deadline, year = scan(PLEDGE + "deadline"), scan(PLEDGE + "year")
    quantity, approximate = scan(PLEDGE + "quantity"), scan(PLEDGE + "approximate")
    value, bound, sector = scan(SCHEMA + "value"), scan(PLEDGE + "bound"), scan(PLEDGE + "sector")
    pref, derived = scan(SKOS + "prefLabel"), scan(PROV + "wasDerivedFrom")
    headline, url = scan(SCHEMA + "headline"), scan(SCHEMA + "url")
    rows: dict[tuple[str, str], str] = {}
    for quad in store.inner.quads_for_pattern(None, ox.NamedNode(PLEDGE + "hasTarget"), None, None):
        graph, pledge, target = quad.graph_name, quad.subject, quad.object
        if not isinstance(graph, ox.NamedNode) or graph == _INFERRED:
            continue
        if wanted is not None and graph.value not in wanted:
            continue
        if not isinstance(target, ox.NamedNode) or not isinstance(pledge, ox.NamedNode):
            continue
        own = [r for r in region.get(pledge.value, []) if r.value.startswith(ID + "region/")]
        for region_iri in own:
            code = first(iso, region_iri.value)
            name = first(label, region_iri.value, "en")
            d = first(deadline, target.value)
            q = first(quantity, target.value)
            s = first(sector, target.value)
            src = first(derived, target.value)
            fields = (
                text(first(year, d.value if d else None)),
                code.value if code else region_iri.value.split("/id/region/", 1)[1],
                text(name),
                text(first(label, q.value if q else None), "unspecified"),
                _precision(q, approximate, value, bound),
                text(first(pref, s.value if s else None, "en")),
                text(first(label, d.value if d else None)),
                text(first(headline, src.value if src else None)),
                text(first(url, src.value if src else None)),
            )
            row = ROW_SEPARATOR.join(fields)
            key = (graph.value, target.value)
            rows[key] = min(rows.get(key, row), row)
    return rows


def _precision(
    quantity: ox.NamedNode | ox.BlankNode | ox.Literal | None,
    approximate: dict[str, list[ox.NamedNode | ox.BlankNode | ox.Literal]],
    value: dict[str, list[ox.NamedNode | ox.BlankNode | ox.Literal]],
    bound: dict[str, list[ox.NamedNode | ox.BlankNode | ox.Literal]],
) -> str:
    if quantity is None:
        return "unspecified"
    if any(t.value == "true" for t in approximate.get(quantity.value, [])):
        return "approximate"
    bounds = {t.value for t in bound.get(quantity.value, [])}
    if PLEDGE + "AtLeast" in bounds:
        return "at least"
    if PLEDGE + "UpTo" in bounds:
        return "up to"
    return "exact" if quantity.value in value else "range"


def stored_rows(store: Store, graphs: Sequence[str] | None = None) -> dict[tuple[str, str], str]:
    """``(graph, target) -> row`` as stored (one per target; the smallest if there are more)."""
    chosen = [ox.NamedNode(g) for g in graphs] if graphs is not None else [None]
    found: dict[tuple[str, str], str] = {}
    for graph in chosen:
        for quad in store.inner.quads_for_pattern(None, ROW, None, graph):
            name, subject = quad.graph_name, quad.subject
            if isinstance(name, ox.NamedNode) and isinstance(subject, ox.NamedNode):
                key = (name.value, subject.value)
                if isinstance(quad.object, ox.Literal):
                    value = quad.object.value
                    found[key] = min(found.get(key, value), value)
    return found


def _index_quads(row: str) -> set[tuple[str, ox.Literal]]:
    """The index a target with ``row`` carries: the row and its short keys, as (predicate, value)."""
    found = {(ROW.value, ox.Literal(row))}
    for predicate, lexical, dtype in row_keys(row):
        literal = (
            ox.Literal(lexical, datatype=ox.NamedNode(dtype)) if dtype else ox.Literal(lexical)
        )
        found.add((predicate, literal))
    return found


def _stored_index(store: Store, graphs: Sequence[str] | None) -> list[ox.Quad]:
    chosen = [ox.NamedNode(g) for g in graphs] if graphs is not None else [None]
    return [
        q
        for predicate in INDEX
        for graph in chosen
        for q in store.inner.quads_for_pattern(None, predicate, None, graph)
    ]


def stale_rows(store: Store, graphs: Sequence[str] | None = None) -> list[tuple[str, str, str]]:
    """Targets whose row (or a short key of it) is missing or differs from the graph:
    ``(graph, target, problem)``."""
    expected = expected_rows(store, graphs)
    stored = stored_rows(store, graphs)
    index: dict[tuple[str, str], set[tuple[str, ox.Literal]]] = {}
    for quad in _stored_index(store, graphs):
        name, subject = quad.graph_name, quad.subject
        if (
            isinstance(name, ox.NamedNode)
            and isinstance(subject, ox.NamedNode)
            and isinstance(quad.object, ox.Literal)
        ):
            key = (name.value, subject.value)
            index.setdefault(key, set()).add((quad.predicate.value, quad.object))
    problems = []
    for key, row in sorted(expected.items()):
        if key not in stored:
            problems.append((*key, "missing"))
        elif stored[key] != row or index.get(key) != _index_quads(row):
            problems.append((*key, "out of date"))
    return problems


def rebuild_rows(store: Store, graphs: Sequence[str] | None = None) -> RowReport:
    """Write every target's row and its short keys (or only those in ``graphs``) where they
    are missing or stale.

    Rows of targets that are no longer targets stay untouched only if their graph is not
    rebuilt; within a rebuilt graph, each target ends with exactly the index the graph implies.
    """
    expected = expected_rows(store, graphs)
    wanted = {key: _index_quads(row) for key, row in expected.items()}
    remove = []
    present: dict[tuple[str, str], set[tuple[str, ox.Literal]]] = {}
    for quad in _stored_index(store, graphs):
        key = (quad.graph_name.value, quad.subject.value)  # type: ignore[union-attr]
        value = (quad.predicate.value, quad.object)
        if isinstance(quad.object, ox.Literal) and value in wanted.get(key, ()):
            present.setdefault(key, set()).add(value)  # type: ignore[arg-type]
        else:
            remove.append(quad)
    add = [
        ox.Quad(ox.NamedNode(target), ox.NamedNode(predicate), literal, ox.NamedNode(graph))
        for (graph, target), values in sorted(wanted.items())
        for predicate, literal in sorted(values, key=lambda v: (v[0], v[1].value))
        if (predicate, literal) not in present.get((graph, target), set())
    ]
    changed = {(q.graph_name.value, q.subject.value) for q in add}  # type: ignore[union-attr]
    if remove or add:  # one update: all or nothing

        def data(quads: list[ox.Quad]) -> str:
            return " ".join(
                f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}" for q in quads
            )

        parts = []
        if remove:
            parts.append(f"DELETE DATA {{ {data(remove)} }}")
        if add:
            parts.append(f"INSERT DATA {{ {data(add)} }}")
        store.inner.update(" ;\n".join(parts))
    return RowReport(len(expected), len(changed))
