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

from pledgegraph.graph.storedir import kill_point
from pledgegraph.loaders.rdf import (
    OA,
    PROV,
    RDFS_LABEL,
    ROW_DUE,
    ROW_DUE_KEYS,
    ROW_PROVENANCE,
    ROW_RANGE,
    ROW_SEARCH,
    ROW_SEPARATOR,
    ROW_SIZE,
    SCHEMA,
    SKOS,
    SUMMARY_PREDICATES,
    TARGET_INDEX,
    TIME,
    XSD,
    due_key,
    provenance_row,
    range_row,
    row_keys,
    search_row,
    size_key,
    summaries,
)
from pledgegraph.ontology import ID, INFERRED_GRAPH, KIND, PLEDGE, REFERENCE_GRAPH, SOURCE_GRAPH

if TYPE_CHECKING:
    from pledgegraph.graph.store import Store

ROW = ox.NamedNode(PLEDGE + "row")
#: The row and its short keys (``loaders.rdf.row_keys``): the whole index of a target, kept
#: together. (The per-source summaries, ``SUMMARIES``, are on the graph's own IRI.)
INDEX = tuple(ox.NamedNode(p) for p in TARGET_INDEX)
SUMMARIES = tuple(ox.NamedNode(p) for p in SUMMARY_PREDICATES)
RDFS = RDFS_LABEL[: -len("label")]
_INFERRED = ox.NamedNode(INFERRED_GRAPH)
_INTEGER = ox.NamedNode(XSD + "integer")


@dataclass(frozen=True, slots=True)
class RowReport:
    """What :func:`rebuild_rows` did."""

    targets: int  # targets that now have a row
    changed: int  # rows written or replaced because they were missing or out of date
    summaries: int = 0  # graphs whose per-source summaries were written or replaced
    stray: int = 0  # index quads removed from nodes that are no target of their graph


Term = ox.NamedNode | ox.BlankNode | ox.Literal


def expected_rows(store: Store, graphs: Sequence[str] | None = None) -> dict[tuple[str, str], str]:
    """``(graph, target) -> row`` as the graph says, for every target (or those in ``graphs``)."""
    return {key: values[0] for key, values in _expected(store, graphs).items()}


def expected_index(
    store: Store, graphs: Sequence[str] | None = None
) -> dict[tuple[str, str], set[tuple[str, ox.Literal]]]:
    """``(graph, target) -> {(predicate, literal)}``: the whole index each target should carry
    (row, short keys, search and provenance rows), as the graph says."""
    return {
        key: _index_quads(row, search, provenance)
        for key, (row, search, provenance) in _expected(store, graphs).items()
    }


def _expected(
    store: Store, graphs: Sequence[str] | None = None
) -> dict[tuple[str, str], tuple[str, str, str]]:
    """``(graph, target) -> (row, search row, provenance row)`` as the graph says.

    Reads each predicate it needs in one scan (no per-target lookups), leaving out the inferred
    graph, and computes the rows as ``loaders.rdf`` does from a fact sheet (``target_row``,
    ``target_search``, ``target_provenance``).
    """
    wanted = set(graphs) if graphs is not None else None

    def scan(predicate: str) -> dict[str, list[Term]]:
        found: dict[str, list[Term]] = {}
        for quad in store.inner.quads_for_pattern(None, ox.NamedNode(predicate), None, None):
            if quad.graph_name != _INFERRED and isinstance(
                quad.subject, ox.NamedNode | ox.BlankNode
            ):
                found.setdefault(quad.subject.value, []).append(quad.object)  # type: ignore[arg-type]
        return found

    def first(
        values: dict[str, list[Term]], key: str | None, lang: str | None = None
    ) -> Term | None:
        if key is None:
            return None
        terms = values.get(key, [])
        if lang is not None:
            terms = [t for t in terms if isinstance(t, ox.Literal) and t.language == lang]
        return min(terms, key=lambda t: t.value) if terms else None

    def text(term: Term | None, default: str = "") -> str:
        return term.value if term is not None else default

    def smallest(values: dict[str, list[Term]], key: str) -> tuple[str, str | None] | None:
        found = [(t.value, t.language) for t in values.get(key, []) if isinstance(t, ox.Literal)]
        return min(found, key=lambda d: (d[0], d[1] or "")) if found else None

    def texts(values: dict[str, list[Term]], key: str) -> list[str]:
        return [t.value for t in values.get(key, []) if not isinstance(t, ox.BlankNode)]

    label, region, iso = scan(RDFS + "label"), scan(PLEDGE + "region"), scan(PLEDGE + "isoCode")
    deadline, year = scan(PLEDGE + "deadline"), scan(PLEDGE + "year")
    quantity, approximate = scan(PLEDGE + "quantity"), scan(PLEDGE + "approximate")
    value, bound, sector = scan(SCHEMA + "value"), scan(PLEDGE + "bound"), scan(PLEDGE + "sector")
    pref, derived = scan(SKOS + "prefLabel"), scan(PROV + "wasDerivedFrom")
    due = scan(TIME + "inXSDDate")
    minimum, maximum = scan(SCHEMA + "minValue"), scan(SCHEMA + "maxValue")
    headline, url = scan(SCHEMA + "headline"), scan(SCHEMA + "url")
    alt, notation, kind = scan(SKOS + "altLabel"), scan(SKOS + "notation"), scan(PLEDGE + "kind")
    description, qualifier = scan(SCHEMA + "description"), scan(PLEDGE + "qualifier")
    plan, part_of = scan(PLEDGE + "plan"), scan(PLEDGE + "partOf")
    annotations: dict[str, list[str]] = {}  # target -> annotations whose oa:hasBody it is
    for quad in store.inner.quads_for_pattern(None, ox.NamedNode(OA + "hasBody"), None, None):
        subject = quad.subject
        if (
            quad.graph_name != _INFERRED
            and isinstance(quad.object, ox.NamedNode)
            and isinstance(subject, ox.NamedNode | ox.BlankNode)
        ):
            annotations.setdefault(quad.object.value, []).append(subject.value)
    specifics, selectors = scan(OA + "hasTarget"), scan(OA + "hasSelector")
    starts, ends, exact = scan(OA + "start"), scan(OA + "end"), scan(OA + "exact")

    def concept(iri: str) -> list[str]:
        return [*texts(pref, iri), *texts(alt, iri), *texts(notation, iri)]

    def within(region_iri: str) -> set[str]:
        found, pending = set(), [region_iri]
        while pending:
            node = pending.pop()
            if node not in found:
                found.add(node)
                pending.extend(
                    t.value for t in part_of.get(node, []) if isinstance(t, ox.NamedNode)
                )
        return found

    def evidence(target: str) -> tuple[tuple[int, int] | None, str | None]:
        found = []
        for annotation in annotations.get(target, []):
            for specific in specifics.get(annotation, []):
                chosen = [s.value for s in selectors.get(specific.value, [])]
                quotes = sorted(t for s in chosen for t in texts(exact, s))
                for s in chosen:
                    for start in starts.get(s, []):
                        for end in ends.get(s, []):
                            try:
                                span = (int(start.value), int(end.value))
                            except ValueError:
                                continue
                            found.append((span, quotes[0] if quotes else None))
        return min(found, key=lambda f: (f[0], f[1] or "")) if found else (None, None)

    rows: dict[tuple[str, str], tuple[str, str, str]] = {}
    for quad in store.inner.quads_for_pattern(None, ox.NamedNode(PLEDGE + "hasTarget"), None, None):
        graph, pledge, target = quad.graph_name, quad.subject, quad.object
        if not isinstance(graph, ox.NamedNode) or graph == _INFERRED:
            continue
        if wanted is not None and graph.value not in wanted:
            continue
        if not isinstance(target, ox.NamedNode) or not isinstance(pledge, ox.NamedNode):
            continue
        regions = region.get(pledge.value, [])
        # (a file's own region too: its pledges were listed without quantity or deadline, and
        # left out of every question that reads the row; a helper's trial)
        own = [r for r in regions if isinstance(r, ox.NamedNode)]
        if not own:
            continue
        d = first(deadline, target.value)
        q = first(quantity, target.value)
        s = first(sector, target.value)
        src = first(derived, target.value)
        candidates = []
        for region_iri in own:
            code = first(iso, region_iri.value)
            name = first(label, region_iri.value, "en")
            fields = (
                text(first(year, d.value if d else None)),
                # (a region of a file's own without a code: its IRI, as the other columns show
                # it; "" made every such region one in compare-regions: an attack)
                code.value
                if code
                else region_iri.value.removeprefix(ID + "region/")
                if region_iri.value.startswith(ID + "region/")
                else region_iri.value,
                text(name),
                text(first(label, q.value if q else None))
                or _quantity_label(q, value, minimum, maximum, approximate, bound),
                _precision(q, approximate, value, bound),
                text(first(pref, s.value if s else None, "en")),
                text(first(label, d.value if d else None)),
                text(first(headline, src.value if src else None)),
                text(first(url, src.value if src else None)),
            )
            candidates.append((ROW_SEPARATOR.join(fields), region_iri.value))
        row, chosen = min(candidates)
        key = (graph.value, target.value)
        if key in rows and rows[key][0] <= row:
            continue
        kinds = [t for k in kind.get(target.value, []) for t in texts(notation, k.value)]
        described = smallest(description, target.value)
        span, quote = evidence(target.value)
        search = search_row(
            row=row,
            kind=min(kinds, default=""),
            target=target.value,
            description=described,
            texts=[
                *texts(description, target.value),
                *texts(qualifier, target.value),
                *([quote] if quote is not None else []),  # (the words its evidence quotes)
                *texts(description, pledge.value),
                *texts(plan, pledge.value),
                *(t for k in kind.get(target.value, []) for t in concept(k.value)),
                *(t for c in sector.get(target.value, []) for t in concept(c.value)),
                *(t for r in regions for t in [*texts(label, r.value), *texts(iso, r.value)]),
            ],
        )
        provenance = provenance_row(
            source=text(src),
            target=target.value,
            within=within(chosen),
            row=row,
            kind=min(kinds, default=""),
            span=span,
            quote=quote,
            due_by=text(first(due, d.value if d else None)),
            description=described,
            qualifier=smallest(qualifier, target.value),
            plan=smallest(plan, pledge.value),
            numbers=(
                text(first(value, q.value if q else None)),
                text(first(minimum, q.value if q else None)),
                text(first(maximum, q.value if q else None)),
            ),
            pledge=pledge.value,
        )
        rows[key] = (row, search, provenance)
    return rows


def _quantity_label(
    quantity: ox.NamedNode | ox.BlankNode | ox.Literal | None,
    value: dict[str, list[Term]],
    minimum: dict[str, list[Term]],
    maximum: dict[str, list[Term]],
    approximate: dict[str, list[Term]],
    bound: dict[str, list[Term]],
) -> str:
    """The quantity's human form when it has no ``rdfs:label`` (an RDF file need not give
    one), as a fact sheet's label reads (``loaders.facts.Quantity.label``): ``7``, ``1–3``,
    ``~100``, ``≥ 10``; "unspecified" without a number (a listing showed "unspecified" for
    ``schema:value 7``, while totals-by-kind added the 7)."""
    if quantity is None:
        return "unspecified"

    def number(found: dict[str, list[Term]]) -> str | None:
        terms = sorted(t.value for t in found.get(quantity.value, []) if isinstance(t, ox.Literal))
        return terms[0] if terms else None

    exact, low, high = number(value), number(minimum), number(maximum)
    if exact is not None:
        shown = exact
    elif low is not None and high is not None:
        shown = f"{low}–{high}"
    else:
        return "unspecified"
    bounds = {t.value for t in bound.get(quantity.value, [])}
    if PLEDGE + "AtLeast" in bounds:
        shown = f"≥ {shown}"
    elif PLEDGE + "UpTo" in bounds:
        shown = f"≤ {shown}"
    if any(t.value == "true" for t in approximate.get(quantity.value, [])):
        shown = f"~{shown}"
    return shown


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


def _index_quads(row: str, search: str, provenance: str) -> set[tuple[str, ox.Literal]]:
    """The index a target carries: the row, its short keys, the search and provenance rows,
    as (predicate, value)."""
    found = {
        (ROW.value, ox.Literal(row)),
        (ROW_SEARCH, ox.Literal(search)),
        (ROW_PROVENANCE, ox.Literal(provenance)),
    }
    for predicate, lexical, dtype in row_keys(row):
        literal = (
            ox.Literal(lexical, datatype=ox.NamedNode(dtype)) if dtype else ox.Literal(lexical)
        )
        found.add((predicate, literal))
    due = due_key(provenance)
    if due is not None:
        found.add((ROW_DUE, ox.Literal(due)))
    size = size_key(provenance)
    if size is not None:
        found.add((ROW_SIZE, ox.Literal(size, datatype=_INTEGER)))
    ranged = range_row(provenance)
    if ranged is not None:
        found.add((ROW_RANGE, ox.Literal(ranged)))
    return found


_DUE = ox.NamedNode(ROW_DUE)
_DUE_KEYS = ox.NamedNode(ROW_DUE_KEYS)
_REFERENCE = ox.NamedNode(REFERENCE_GRAPH)


def due_key_changes(store: Store) -> tuple[list[ox.Quad], list[ox.Quad]]:
    """The kinds' due-key lists (``loaders.rdf.ROW_DUE_KEYS``, reference graph) to remove and
    to add so that they list exactly the keys the targets carry (``ROW_DUE``, any graph but
    the inferred one)."""
    used = {
        q.object.value
        for q in store.inner.quads_for_pattern(None, _DUE, None, None)
        if isinstance(q.object, ox.Literal) and q.graph_name != _INFERRED
    }
    wanted = {(KIND + key.split(" ", 1)[0], key) for key in used}
    remove, held = [], set()
    for quad in store.inner.quads_for_pattern(None, _DUE_KEYS, None, None):
        pair = (str(quad.subject).strip("<>"), quad.object.value)  # type: ignore[union-attr]
        if quad.graph_name == _REFERENCE and pair in wanted and isinstance(quad.object, ox.Literal):
            held.add(pair)
        else:
            remove.append(quad)
    add = [
        ox.Quad(ox.NamedNode(kind), _DUE_KEYS, ox.Literal(key), _REFERENCE)
        for kind, key in sorted(wanted - held)
    ]
    return remove, add


def settle_due_keys(store: Store) -> int:
    """Make the kinds' due-key lists match the targets' keys (one update); how many quads
    changed. Run after the targets' keys change: a rebuild, a removal or a replacement."""
    remove, add = due_key_changes(store)
    if remove or add:
        store.inner.update(_update(remove, add))
    return len(remove) + len(add)


def _update(remove: Sequence[ox.Quad], add: Sequence[ox.Quad]) -> str:
    """One SPARQL update that deletes ``remove`` and inserts ``add``."""

    def data(quads: Sequence[ox.Quad]) -> str:
        return " ".join(
            f"{q.subject} {q.predicate} {q.object} ."
            if isinstance(q.graph_name, ox.DefaultGraph)
            else f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}"
            for q in quads
        )

    parts = []
    if remove:
        parts.append(f"DELETE DATA {{ {data(remove)} }}")
    if add:
        parts.append(f"INSERT DATA {{ {data(add)} }}")
    return " ;\n".join(parts)


def _stored_index(store: Store, graphs: Sequence[str] | None) -> list[ox.Quad]:
    chosen = [ox.NamedNode(g) for g in graphs] if graphs is not None else [None]
    return [
        q
        for predicate in INDEX
        for graph in chosen
        for q in store.inner.quads_for_pattern(None, predicate, None, graph)
    ]


Summary = set[tuple[str, str]]  # (predicate, lexical form) of a graph's summaries
_CHUNK = 500  # targets per query when reading other graphs' rows of the same targets


def _own(graph: str, target: str) -> bool:
    """Whether ``graph`` is the source graph of ``target`` (a fact sheet's targets are
    ``pgid:pledge/<key>/<n>/target/<m>`` in ``graph/source/<key>``)."""
    return graph.startswith(SOURCE_GRAPH) and target.startswith(
        f"{ID}pledge/{graph[len(SOURCE_GRAPH) :]}/"
    )


def expected_summaries(
    store: Store,
    graphs: Sequence[str] | None,
    index: dict[tuple[str, str], set[tuple[str, ox.Literal]]],
) -> dict[str, Summary]:
    """``graph -> {(predicate, summary)}``: the per-source summaries (``loaders.rdf.summaries``)
    each graph (every graph, or those in ``graphs``) should carry, given the expected target
    ``index`` of those graphs.

    The questions count a target's row once however many graphs restate it (the same row of
    the same target in two graphs), so each (target, row) is counted by one graph only: the
    target's own source graph if it holds that row, else the smallest graph that does. The
    other graphs' rows of the same targets are read from the store (for a full rebuild,
    ``index`` holds them all).
    """
    holders: dict[str, dict[str, str]] = {}
    for (graph, target), values in index.items():
        for predicate, literal in values:
            if predicate == ROW_PROVENANCE:
                holders.setdefault(target, {})[graph] = literal.value
    rebuilt = {g for g, _ in index} if graphs is None else set(graphs)
    if graphs is not None:
        targets = sorted(holders)
        for at in range(0, len(targets), _CHUNK):  # one query per chunk (a remote store too)
            listed = " ".join(f"<{t}>" for t in targets[at : at + _CHUNK])
            solutions = store.inner.query(
                f"SELECT ?t ?g ?r WHERE {{ VALUES ?t {{ {listed} }} "
                f"GRAPH ?g {{ ?t <{ROW_PROVENANCE}> ?r }} }}"
            )
            assert isinstance(solutions, ox.QuerySolutions)
            for solution in solutions:
                target, name, row = solution["t"], solution["g"], solution["r"]
                if (
                    isinstance(target, ox.NamedNode)
                    and isinstance(name, ox.NamedNode)
                    and name != _INFERRED
                    and name.value not in rebuilt
                    and isinstance(row, ox.Literal)
                ):
                    held = holders[target.value]
                    held[name.value] = min(held.get(name.value, row.value), row.value)
    counted: dict[str, list[str]] = {g: [] for g in rebuilt}
    for target, held in holders.items():
        for graph, row in held.items():
            if graph not in rebuilt:
                continue
            same = [g for g, r in held.items() if r == row]
            own = [g for g in same if _own(g, target)]
            if (own or sorted(same))[0] == graph:
                counted[graph].append(row)
    return {graph: set(summaries(rows)) for graph, rows in counted.items()}


def _stored_summaries(store: Store, graphs: Sequence[str] | None) -> list[ox.Quad]:
    chosen = [ox.NamedNode(g) for g in graphs] if graphs is not None else [None]
    return [
        q
        for predicate in SUMMARIES
        for graph in chosen
        for q in store.inner.quads_for_pattern(None, predicate, None, graph)
    ]


def _summary_changes(
    store: Store, graphs: Sequence[str] | None, wanted: dict[str, Summary]
) -> tuple[list[ox.Quad], list[ox.Quad]]:
    """The summary quads to remove and to add so that each graph carries ``wanted``."""
    remove, present = [], set()
    for quad in _stored_summaries(store, graphs):
        name = quad.graph_name
        if (
            isinstance(name, ox.NamedNode)
            and quad.subject == name
            and isinstance(quad.object, ox.Literal)
            and quad.object.language is None
            and quad.object.datatype.value.endswith("#string")
            and (quad.predicate.value, quad.object.value) in wanted.get(name.value, ())
        ):
            present.add((name.value, quad.predicate.value, quad.object.value))
        else:
            remove.append(quad)
    add = [
        ox.Quad(
            ox.NamedNode(graph), ox.NamedNode(predicate), ox.Literal(value), ox.NamedNode(graph)
        )
        for graph, values in sorted(wanted.items())
        for predicate, value in sorted(values)
        if (graph, predicate, value) not in present
    ]
    return remove, add


def stale_rows(store: Store, graphs: Sequence[str] | None = None) -> list[tuple[str, str, str]]:
    """Targets whose row (or a short key of it) is missing or differs from the graph, and
    nodes that carry index quads in a graph where they are no target (written there by a
    SPARQL update, or by a file loaded before ``load`` refused them): ``(graph, node,
    problem)``; and graphs whose per-source summaries differ from their rows: ``(graph,
    graph, "summary out of date")``."""
    expected = expected_index(store, graphs)
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
    problems = [  # index quads a SPARQL update put in the default graph, or on a blank node
        (
            "(default graph)" if isinstance(q.graph_name, ox.DefaultGraph) else str(q.graph_name),
            str(q.subject).strip("<>"),
            "index outside a source graph",
        )
        for q in _stored_index(store, graphs)
        if not isinstance(q.graph_name, ox.NamedNode) or not isinstance(q.subject, ox.NamedNode)
    ]
    for key, values in sorted(expected.items()):
        if key not in stored:
            problems.append((*key, "missing"))
        elif index.get(key) != values:
            problems.append((*key, "out of date"))
    for key in sorted(index.keys() - expected.keys()):  # index quads on no target of the graph
        problems.append((*key, "not a target of this graph"))
    remove, add = _summary_changes(store, graphs, expected_summaries(store, graphs, expected))
    for graph in sorted({q.graph_name.value for q in (*remove, *add)}):  # type: ignore[union-attr]
        problems.append((graph, graph, "summary out of date"))
    if graphs is None:  # (the lists serve every graph: checked with the whole store)
        unused, missing = due_key_changes(store)
        for quad, problem in [(q, "unused") for q in unused] + [(q, "missing") for q in missing]:
            kind = str(quad.subject).strip("<>")
            problems.append((REFERENCE_GRAPH, kind, f"due key {quad.object} {problem}"))
    return sorted(problems)


def rebuild_rows(store: Store, graphs: Sequence[str] | None = None) -> RowReport:
    """Write every target's row and its short keys (or only those in ``graphs``) where they
    are missing or stale.

    Rows of targets that are no longer targets stay untouched only if their graph is not
    rebuilt; within a rebuilt graph, each target ends with exactly the index the graph implies.
    """
    wanted = expected_index(store, graphs)
    remove = []
    present: dict[tuple[str, str], set[tuple[str, ox.Literal]]] = {}
    for quad in _stored_index(store, graphs):
        if not isinstance(quad.graph_name, ox.NamedNode) or not isinstance(
            quad.subject, ox.NamedNode
        ):  # written by a SPARQL update into the default graph, or on a blank node
            remove.append(quad)
            continue
        key = (quad.graph_name.value, quad.subject.value)
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
    removed = [
        (getattr(q.graph_name, "value", ""), getattr(q.subject, "value", "")) for q in remove
    ]
    changed.update(key for key in removed if key in wanted)  # (a stale or repeated quad removed)
    stray = sum(1 for key in removed if key not in wanted)
    old, new = _summary_changes(store, graphs, expected_summaries(store, graphs, wanted))
    summarised = {q.graph_name.value for q in (*old, *new)}  # type: ignore[union-attr]
    remove.extend(old)
    add.extend(new)
    blank = [q for q in remove if isinstance(q.subject, ox.BlankNode)]
    remove = [q for q in remove if not isinstance(q.subject, ox.BlankNode)]
    if remove or add or blank:  # one update: all or nothing
        update = _update(remove, add)
        if blank:  # (DELETE DATA cannot name a blank node: delete the index on any of them)
            listed = ", ".join(str(p) for p in INDEX)
            pattern = f"?b ?p ?o FILTER(isBlank(?b) && ?p IN ({listed}))"
            update = " ;\n".join(
                part
                for part in (
                    update,
                    f"DELETE {{ GRAPH ?g {{ ?b ?p ?o }} }} WHERE {{ GRAPH ?g {{ {pattern} }} }}",
                    f"DELETE {{ ?b ?p ?o }} WHERE {{ {pattern} }}",
                )
                if part
            )
        store.inner.update(update)
    kill_point("rows-written")
    settle_due_keys(store)  # (derived from the keys just written; run again by the next rebuild)
    return RowReport(len(wanted), len(changed), len(summarised), stray)
