"""Export the store (or one graph) in standard RDF formats, deterministically.

Triples and quads are sorted by their N-Triples form, and Turtle/TriG declare only the prefixes
they use, so the same store always exports to the same bytes. JSON-LD is compacted with the
bundled context (``ontology/context.jsonld``) using rdflib, imported only here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox

from pledgegraph.errors import InputError
from pledgegraph.graph.formats import QUAD_FORMATS, RDF_FORMATS
from pledgegraph.graph.store import Store
from pledgegraph.ontology import PREFIXES

EXPORT_FORMATS = tuple(RDF_FORMATS)


def _sort_key(term: Any) -> str:
    return str(term)


def _used_prefixes(terms: Iterable[Any]) -> dict[str, str]:
    used: dict[str, str] = {}
    namespaces = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))
    for term in terms:
        values = []
        if isinstance(term, ox.NamedNode):
            values.append(term.value)
        elif isinstance(term, ox.Literal):
            values.append(term.datatype.value)
        for value in values:
            for prefix, namespace in namespaces:
                if value.startswith(namespace):
                    used[prefix] = namespace
                    break
    return dict(sorted(used.items()))


def sorted_triples(store: Store, graph: str | None = None) -> list[ox.Triple]:
    """The distinct triples of one graph or of the union of all graphs, sorted."""
    unique = {ox.Triple(q.subject, q.predicate, q.object) for q in store.quads(graph)}
    return sorted(
        unique, key=lambda t: (_sort_key(t.subject), _sort_key(t.predicate), _sort_key(t.object))
    )


def sorted_quads(store: Store, graph: str | None = None) -> list[ox.Quad]:
    quads = list(store.quads(graph))
    return sorted(
        quads,
        key=lambda q: (
            _sort_key(q.graph_name),
            _sort_key(q.subject),
            _sort_key(q.predicate),
            _sort_key(q.object),
        ),
    )


def serialize_triples(triples: list[ox.Triple], fmt: str) -> str:
    """Sorted triples in ``fmt`` (any triple format, or jsonld)."""
    if fmt in QUAD_FORMATS:
        quads = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
        return _serialize(quads, fmt)
    triples = sorted(
        triples, key=lambda t: (_sort_key(t.subject), _sort_key(t.predicate), _sort_key(t.object))
    )
    if fmt == "jsonld":
        return to_jsonld(triples)
    return _serialize(triples, fmt)


def _serialize(items: list[Any], fmt: str) -> str:
    prefixes = None
    if fmt in ("turtle", "trig", "rdfxml"):
        terms = (term for item in items for term in (item.subject, item.predicate, item.object))
        prefixes = _used_prefixes(terms)
    data = ox.serialize(items, format=RDF_FORMATS[fmt], prefixes=prefixes)
    assert data is not None
    return data.decode("utf-8")


def export(store: Store, fmt: str, *, graph: str | None = None) -> str:
    """The store (all graphs) or one named graph in ``fmt``.

    Quad formats (nquads, trig) keep graph names; triple formats (turtle, ntriples, rdfxml,
    jsonld) merge the graphs into one graph of distinct triples.
    """
    if fmt not in RDF_FORMATS:
        raise InputError(
            f"unknown export format {fmt!r}",
            hint="use one of " + ", ".join(RDF_FORMATS),
            where="--format",
        )
    if graph is not None and not store.has_graph(graph):
        raise InputError(
            "no such graph in the store",
            hint="run 'pledgegraph stats' to list the graphs",
            where=f"--graph {graph}",
        )
    if fmt in QUAD_FORMATS:
        return _serialize(sorted_quads(store, graph), fmt)
    return serialize_triples(sorted_triples(store, graph), fmt)


def context() -> dict[str, Any]:
    """The bundled JSON-LD context (the value of ``@context``)."""
    from pledgegraph.ontology import read_text

    document = json.loads(read_text("context.jsonld"))
    value: dict[str, Any] = document["@context"]
    return value


def _canonical_json(value: Any, *, ordered: bool = False) -> Any:
    """Keys sorted, and arrays sorted too unless they are RDF lists (``@list``), whose order counts."""
    if isinstance(value, dict):
        return {k: _canonical_json(v, ordered=k == "@list") for k, v in sorted(value.items())}
    if isinstance(value, list):
        items = [_canonical_json(v) for v in value]
        if ordered:
            return items
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def _canonical_blank_nodes(triples: list[ox.Triple]) -> list[ox.Triple]:
    """The same triples with blank nodes relabelled canonically (RDFC-1.0), so labels are stable."""
    if not any(
        isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in triples
    ):
        return triples
    dataset = ox.Dataset(
        ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples
    )
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return [ox.Triple(q.subject, q.predicate, q.object) for q in dataset]


def _to_rdflib(term: Any) -> Any:
    import rdflib

    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


def to_jsonld(triples: list[ox.Triple]) -> str:
    """Compacted JSON-LD with the bundled context; nodes and values in a stable order."""
    import rdflib

    graph = rdflib.Graph()
    for triple in _canonical_blank_nodes(triples):
        graph.add(
            (_to_rdflib(triple.subject), _to_rdflib(triple.predicate), _to_rdflib(triple.object))
        )
    ctx = context()
    text = graph.serialize(format="json-ld", context=ctx, auto_compact=True)
    document = json.loads(text)
    body = {k: v for k, v in document.items() if k != "@context"}
    if "@graph" not in body and body:
        body = {"@graph": [body]}
    nodes = sorted(
        (_canonical_json(node) for node in body.get("@graph", [])),
        key=lambda n: (str(n.get("@id", "")), json.dumps(n, sort_keys=True, ensure_ascii=False)),
    )
    return json.dumps({"@context": ctx, "@graph": nodes}, ensure_ascii=False, indent=2) + "\n"
