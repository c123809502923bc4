"""A resource's description: what the store says about one IRI, for Linked Data and pages.

The description of ``<iri>`` is every triple with it as subject, the triples of the resources
minted under it (``<iri>/…``: a pledge's targets, a target's quantity and its evidence
annotation with the text-position selector), the evidence annotations whose body it is, and,
for every other IRI it points to (its source, region, kind, deadline), that resource's labels,
headline and URL so a reader sees names rather than bare IRIs; for a target, the triple of the
pledge that holds it. Triples are deduplicated across
graphs and sorted, like :mod:`pledgegraph.graph.export`; the ``pledge:row`` index literal is
left out, as exports leave it out (it repeats what the description shows).
"""

from __future__ import annotations

import pyoxigraph as ox

from pledgegraph.graph.store import Store
from pledgegraph.loaders.rdf import ROW_PREDICATES
from pledgegraph.ontology import PLEDGE

OA_HAS_BODY = "http://www.w3.org/ns/oa#hasBody"
#: Properties copied from the resources a description points to.
NAMING = (
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2004/02/skos/core#notation",
    "https://schema.org/headline",
    "https://schema.org/name",
    "https://schema.org/url",
)
MAX_NODES = 2_000
#: Left out of every description: an index, rebuilt by ``pledgegraph reindex`` (see rows.py).
ROW = ox.NamedNode(PLEDGE + "row")
#: The row and its short keys (``loaders.rdf.ROW_PREDICATES``): an index, never described.
INDEX = frozenset(ox.NamedNode(p) for p in ROW_PREDICATES)


def describe(store: Store, iri: str) -> list[ox.Triple]:
    """The sorted triples describing ``iri`` (empty if the store knows nothing about it)."""
    inner = store.inner
    root = ox.NamedNode(iri)
    found: set[ox.Triple] = set()
    pending: list[ox.NamedNode | ox.BlankNode] = [root]
    seen: set[ox.NamedNode | ox.BlankNode] = {root}
    for evidence in inner.quads_for_pattern(None, ox.NamedNode(OA_HAS_BODY), root, None):
        annotation = evidence.subject
        if isinstance(annotation, ox.NamedNode | ox.BlankNode) and annotation not in seen:
            seen.add(annotation)
            pending.append(annotation)
    while pending and len(seen) < MAX_NODES:
        node = pending.pop()
        for quad in inner.quads_for_pattern(node, None, None, None):
            if quad.predicate in INDEX:
                continue
            found.add(ox.Triple(quad.subject, quad.predicate, quad.object))
            value = quad.object
            if not isinstance(value, ox.NamedNode | ox.BlankNode):
                continue
            inside = isinstance(value, ox.BlankNode) or value.value.startswith(iri + "/")
            if inside and value not in seen:
                seen.add(value)
                pending.append(value)
    if not found:
        return []
    # the pledge that holds a target, so a reader can go up from it (a new user's trial: a
    # target's page led nowhere: not to its pledge, region or authority)
    for held in inner.quads_for_pattern(None, ox.NamedNode(PLEDGE + "hasTarget"), root, None):
        found.add(ox.Triple(held.subject, held.predicate, held.object))
    pointed = {
        t.object for t in found if isinstance(t.object, ox.NamedNode) and t.object not in seen
    }
    for target in pointed:
        for predicate in NAMING:
            for quad in inner.quads_for_pattern(target, ox.NamedNode(predicate), None, None):
                found.add(ox.Triple(quad.subject, quad.predicate, quad.object))
    return sorted(found, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
