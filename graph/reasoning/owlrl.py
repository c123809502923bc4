"""owlrl, the reference OWL 2 RL reasoner, seen through pyoxigraph terms.

Used three ways: :func:`pledgegraph.graph.reasoning.materialise.materialise` runs it once on the store's TBox
(a few hundred triples) to get the closed schema; it is the fallback engine when the ontology
uses constructs the rule engine does not implement; and the tests compare the rule engine with
it on whole graphs. rdflib and owlrl are imported inside the functions (0.2 s at start-up).

What counts as owlrl's *trivial* output (:func:`is_trivial`), left out of the inferred graph and
out of every comparison, precisely:

1. triples with a literal subject (owlrl works on generalised RDF: ``"CN-HE" rdf:type
   xsd:string`` from rule dt-type2 and from prp-rng on datatype properties, ``"x" owl:sameAs
   "x"``); RDF 1.1 cannot store them;
2. triples with a blank-node predicate (owlrl removes them itself in post-processing);
3. ``x owl:sameAs x`` (eq-ref, for every subject, predicate and object);
4. ``x rdfs:subClassOf x``, ``x owl:equivalentClass x``, ``x rdfs:subPropertyOf x``,
   ``x owl:equivalentProperty x`` (scm-cls, scm-op, scm-dp);
5. anything about ``owl:Thing`` as the class of everything: ``x rdf:type owl:Thing``,
   ``c rdfs:subClassOf owl:Thing``, ``p rdfs:domain owl:Thing``, ``p rdfs:range owl:Thing``
   (scm-cls then cax-sco, scm-dom1, scm-rng1), and ``owl:Nothing rdfs:subClassOf c`` (scm-cls);
6. ``owl:Thing rdf:type owl:Class`` and ``owl:Nothing rdf:type owl:Class`` (cls-thing,
   cls-nothing1);
7. ``a rdf:type owl:AnnotationProperty`` for owlrl's nine built-in annotation properties
   (rdfs:label, rdfs:comment, rdfs:seeAlso, rdfs:isDefinedBy, owl:deprecated, owl:versionInfo,
   owl:priorVersion, owl:backwardCompatibleWith, owl:incompatibleWith; prp-ap);
8. datatype axioms: ``d rdf:type rdfs:Datatype`` for owlrl's OWL 2 RL datatypes (dt-type1) and
   ``d1 owl:disjointWith d2`` between two of them (owlrl's datatype disjointness table);
9. owlrl's error reports (a blank node ``rdf:type err:ErrorMessage`` with ``err:error "..."``,
   namespace ``http://www.daml.org/2002/03/agents/agent-ont#``): returned as messages instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from pledgegraph.errors import InputError

if TYPE_CHECKING:
    import rdflib

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
ERRNS = "http://www.daml.org/2002/03/agents/agent-ont#"


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Any:
    """A pyoxigraph term as an rdflib term (literals keep their lexical form exactly)."""
    import rdflib

    from pledgegraph.graph.formats import quiet_rdflib

    quiet_rdflib()

    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language, normalize=False)
    datatype = term.datatype.value
    if datatype == XSD_STRING:
        return rdflib.Literal(term.value, normalize=False)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(datatype), normalize=False)


def from_rdflib(term: Any) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as a pyoxigraph term."""
    import rdflib

    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    assert isinstance(term, rdflib.Literal)
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype is None:
        return ox.Literal(str(term))
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))


def to_graph(triples: Iterable[ox.Triple]) -> rdflib.Graph:
    """An rdflib graph holding ``triples``."""
    import rdflib

    graph = rdflib.Graph()
    add = graph.add
    for t in triples:
        add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))  # type: ignore[arg-type]
    return graph


def is_trivial(triple: tuple[Any, Any, Any]) -> bool:
    """Whether an rdflib triple owlrl adds is one of its trivial ones (see the module docstring)."""
    import rdflib
    from owlrl.AxiomaticTriples import OWLRL_Datatypes_Disjointness
    from owlrl.OWLRL import OWLRL_Annotation_properties
    from owlrl.XsdDatatypes import OWL_RL_Datatypes
    from rdflib.namespace import OWL, RDF, RDFS

    s, p, o = triple
    if isinstance(s, rdflib.Literal) or isinstance(p, rdflib.BNode):
        return True
    if s == o and p in (OWL.sameAs, RDFS.subClassOf, OWL.equivalentClass, RDFS.subPropertyOf,
                        OWL.equivalentProperty):  # fmt: skip
        return True
    if o == OWL.Thing and p in (RDF.type, RDFS.subClassOf, RDFS.domain, RDFS.range):
        return True
    if s == OWL.Nothing and p == RDFS.subClassOf:
        return True
    if p == RDF.type:
        if o == OWL.Class and s in (OWL.Thing, OWL.Nothing):
            return True
        if o == OWL.AnnotationProperty and s in OWLRL_Annotation_properties:
            return True
        if o == RDFS.Datatype and s in OWL_RL_Datatypes:
            return True
    return p == OWL.disjointWith and (s, p, o) in _datatype_disjointness(
        OWLRL_Datatypes_Disjointness
    )


_DISJOINT: frozenset[Any] | None = None


def _datatype_disjointness(table: list[Any]) -> frozenset[Any]:
    global _DISJOINT
    if _DISJOINT is None:
        _DISJOINT = frozenset(table)
    return _DISJOINT


def owlrl_closure(triples: Iterable[ox.Triple]) -> tuple[set[ox.Triple], list[str]]:
    """What ``owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)`` adds to ``triples``.

    Returns the non-trivial added triples (as pyoxigraph triples, none of them in the input)
    and owlrl's inconsistency messages, sorted.
    """
    import owlrl
    import rdflib
    from rdflib.namespace import RDF

    graph = to_graph(triples)
    before = set(graph)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    error_class = rdflib.URIRef(ERRNS + "ErrorMessage")
    error_property = rdflib.URIRef(ERRNS + "error")
    reports = set(graph.subjects(RDF.type, error_class))
    messages = sorted(str(m) for r in reports for m in graph.objects(r, error_property))
    added: set[ox.Triple] = set()
    for t in graph:
        if t in before or t[0] in reports or is_trivial(t):
            continue
        s, p, o = (from_rdflib(x) for x in t)
        assert not isinstance(s, ox.Literal) and isinstance(p, ox.NamedNode)
        added.add(ox.Triple(s, p, o))
    return added, messages


OWN = "https://w3id.org/pledgegraph/"
SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"


def _own(term: object) -> bool:
    return isinstance(term, ox.NamedNode) and term.value.startswith(OWN)


def owlrl_closure_keeping_own_names(
    triples: Iterable[ox.Triple],
) -> tuple[set[ox.Triple], list[str]]:
    """owlrl's closure with pledgegraph's rule for ``owl:sameAs``: our own IRIs are never replaced.

    The rule engine (:mod:`pledgegraph.graph.reasoning.engine`) closes ``owl:sameAs`` links
    (symmetric, transitive) but applies equality replacement (eq-rep-s/p/o) only to triples
    that mention none of our own IRIs (``https://w3id.org/pledgegraph/…``) as subject or
    object, and never between the members of an equality class that holds one of our IRIs
    (:func:`tied_to_own`): an alias such as a Wikidata IRI, or a file's node stated the same as
    it, never receives a copy of our data or of each other's, and our IRIs never receive copies
    of an alias's data. This is the same result computed with owlrl, the reference: owlrl
    closes the triples without the links that touch a tied term, and the symmetric, transitive
    closure of all the links is added. (The two differ only on data where a triple with one of
    our IRIs as subject points to a foreign IRI that is an alias of another foreign IRI: owlrl
    then copies the triple to the other alias, the rule engine does not.)
    """
    given = set(triples)
    stated = tied_to_own(t for t in given if t.predicate.value == SAME_AS)
    tied: set[object] = set()
    while True:
        base = {
            t
            for t in given
            if not (t.predicate.value == SAME_AS and (t.subject in tied or t.object in tied))
        }
        added, messages = owlrl_closure(base)
        links = [t for t in given | added if t.predicate.value == SAME_AS]
        now = tied_to_own(links)
        merged = own_merged(links)
        if merged:  # two of our nodes made the same
            raise merged_error(merged)
        if now - stated:  # owlrl derived a link to our IRIs (a functional property ...)
            raise derived_alias_error(now - stated)
        if now <= tied:  # links owlrl derives may tie more terms: run again without them
            break
        tied |= now
    closure = {
        ox.Triple(a, ox.NamedNode(SAME_AS), b)  # type: ignore[arg-type]
        for members in _equality_classes(links)
        for a in members
        for b in members
        if a != b
    }
    return (added | closure) - given, messages


def _named(terms: Iterable[object]) -> list[str]:
    """The first three of ``terms``, sorted, as a message names them."""
    from pledgegraph.graph.formats import short

    return [short(t) for t in sorted(terms, key=str)[:3]]  # type: ignore[arg-type]


def derived_alias_error(terms: Iterable[object]) -> InputError:
    """The error of data from which owl:sameAs between our IRIs and others is inferred."""
    return InputError(
        f"the data entails that {', '.join(_named(terms))} "
        "is the same as one of pledgegraph's regions or other nodes (owl:sameAs inferred "
        "through a property, not stated), so reasoning would merge them; the inferred graph "
        "was left as it was",
        hint="state owl:sameAs links to pledgegraph's IRIs directly, or remove the source "
        "that declares a property equivalent to owl:sameAs (or functional or "
        "inverse-functional over pledgegraph's nodes), then run 'pledgegraph reason' again",
        where="reason",
    )


def merged_error(terms: Iterable[object]) -> InputError:
    """The error of data that makes two of pledgegraph's own nodes the same."""
    return InputError(
        f"the data makes {' and '.join(_named(terms))} the same (owl:sameAs, stated or inferred "
        "through their aliases), which are different nodes of pledgegraph's; the inferred "
        "graph was left as it was",
        hint="remove the owl:sameAs (or the property declared equivalent to it) that links "
        "their aliases, then run 'pledgegraph reason' again",
        where="reason",
    )


def own_merged(links: Iterable[ox.Triple]) -> list[object]:
    """Our own IRIs that ``links`` (``owl:sameAs`` triples) put in one class with another of
    ours (two regions made the same through their Wikidata items: an attack), sorted."""
    return sorted(
        (
            term
            for members in _equality_classes(links)
            if sum(1 for m in members if _own(m)) > 1
            for term in members
            if _own(term)
        ),
        key=str,
    )


def tied_to_own(links: Iterable[ox.Triple]) -> set[object]:
    """The terms ``links`` (``owl:sameAs`` triples) put in one class with one of our IRIs."""
    return {
        term
        for members in _equality_classes(links)
        if any(_own(m) for m in members)
        for term in members
    }


def _equality_classes(same_as: Iterable[ox.Triple]) -> list[set[object]]:
    """The classes of terms linked by ``owl:sameAs`` (literals left out)."""
    parent: dict[object, object] = {}

    def find(x: object) -> object:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for t in same_as:
        if isinstance(t.object, ox.Literal) or isinstance(t.subject, ox.Literal):
            continue
        parent[find(t.subject)] = find(t.object)
    classes: dict[object, set[object]] = {}
    for x in list(parent):
        classes.setdefault(find(x), set()).add(x)
    return [c for c in classes.values() if len(c) > 1]
