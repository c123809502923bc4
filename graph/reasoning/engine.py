"""OWL 2 RL reasoning: materialise the entailments of the ontology and the data in their own graph.

:func:`materialise` computes what the OWL 2 RL rules entail from every graph of the store (the
ontology, the reference data, each source, links ...) and writes it, all or nothing, to the named
graph ``INFERRED_GRAPH``, which queries see by default and can leave out (``inferred=False``).
Inferred triples never repeat asserted ones, so dropping the graph leaves the asserted data
exactly as loaded; :func:`materialise` recomputes the whole graph from the asserted data, so
data removed since the last run loses its consequences too.

Design (figures measured on this project's 2-core machine; see bench/bench_reason.py):

1. **The schema is closed once, by owlrl.** The TBox (every triple with a schema predicate:
   rdfs:subClassOf, rdfs:domain, owl:inverseOf ..., the rdf:type declarations of properties and
   classes, and RDF lists) is a few hundred triples. owlrl, the reference implementation, closes
   it in well under a second: subclass and subproperty hierarchies, equivalences folded in,
   domains and ranges propagated up the hierarchies (scm-* rules). Its non-trivial additions go
   to the inferred graph; the closed relations become a small schema graph in the store.
2. **The instance rules run as SPARQL updates inside the store**, semi-naively to a fixpoint:
   cax-sco (with cax-eqc folded into the closed hierarchy), prp-dom, prp-rng, prp-spo1 (with
   prp-eqp1/2 folded in), prp-inv1/2, prp-trp, prp-symp, and eq-sym, eq-trans, eq-rep-s/p/o when
   the data holds owl:sameAs. Round 1 applies every rule to all the data; round k applies them
   to what round k-1 added (one body atom in the previous round's delta graph), until a round
   adds nothing. Each rule is one ``INSERT { GRAPH <delta> ... } WHERE { SELECT DISTINCT ...
   MINUS ... }``: joins run in Oxigraph on encoded term ids and only new triples are written;
   no triple of the data is ever turned into a Python object. New triples are told from known
   ones with a hash anti-join (``MINUS``, its right side narrowed to the classes or properties
   the rule can produce) when the delta is large, and with ``FILTER NOT EXISTS`` when it is
   small: on 1M quads ``NOT EXISTS`` cost 28 µs per candidate (9.9 s for prp-dom), ``MINUS``
   2.1 s. Finally the inferred graph is replaced by the union of the deltas in one update that
   deletes only what is no longer entailed and adds only what is new.

   The alternative suggested first, copying the store into an in-memory pyoxigraph store and
   reasoning there, spends its time in the copy: dumping 1M quads as N-Triples took 11.7 s and
   loading them 3.6 s, because every term must be turned back into text; in place, the whole
   run takes 9 s at 1M quads and 0.9 s at 100k (owlrl: 49 s at 100k, 53x slower).
3. **Consistency** (cax-dw, cax-adc, eq-diff1, cls-nothing2) is checked on the result and
   reported as messages, not written as triples. Not checked: prp-irp, prp-asyp, prp-pdw,
   prp-adp, prp-npa1/2, cls-com, cls-maxc1/maxqc1-2 (our ontology uses none of them).
4. **Anything else falls back to owlrl** on the whole graph (correct but slow): an ontology
   with restrictions (owl:someValuesFrom, owl:allValuesFrom, owl:hasValue, cardinalities),
   owl:intersectionOf / owl:unionOf / owl:oneOf, property chains, keys, functional properties,
   a property hierarchy that derives schema triples, or owl:sameAs on schema terms. The report
   says so (``engine="owlrl"`` and the reason).

The result equals what owlrl adds for the same input, minus owlrl's trivial triples (see
:mod:`pledgegraph.graph.reasoning.owlrl`) and with the rule for owl:sameAs below:
tests/test_reason.py checks this on the bundled data and on generated graphs.

owl:sameAs and our own IRIs: inferred triples may add answers to questions that ask for them
(super-classes, super-properties, inverses, the transitive ``partOf``) but must never change a
count of asserted things. Full equality replacement would: every region is linked to a Wikidata
and a GeoNames IRI, and eq-rep-o would give each pledge three regions (tripling every per-region
count), eq-rep-s would make both aliases regions with Hebei's code. So the equality rules close
the links (eq-sym, eq-trans: the aliases of a region are the same as each other) but apply
replacement (eq-rep-s/p/o) only where neither the term replaced, nor its replacement, nor the
other end of the triple is one of our own IRIs (``OWN``, ``https://w3id.org/pledgegraph/…``),
and never between the aliases of one of our IRIs (the members of its equality class: a file's
node stated the same as a region's Wikidata item is one more alias of the region).
Our IRIs are the canonical names: ask through the links (``?r owl:sameAs wd:Q21208``) to reach
them from an alias. The result is owlrl's closure under the same rule
(:func:`pledgegraph.graph.reasoning.owlrl.owlrl_closure_keeping_own_names`), which is also what
the owlrl fallback writes.

Non-rebuild runs: :func:`materialise` with ``force=False`` does nothing when the inferred graph
exists, no data changed since it was made (the store's ``inferred_stale`` flag, set by every
load and removal) and it was made by this version of the reasoner; otherwise it recomputes in
full, which at 1M triples takes seconds. There is no incremental mode: deletions would need DRed
bookkeeping, and a full run is already cheap.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache

import pyoxigraph as ox

from pledgegraph.errors import StoreError
from pledgegraph.graph.backend import briefly, writing
from pledgegraph.graph.store import Store
from pledgegraph.ontology import GRAPH, INFERRED_GRAPH

#: Recorded in the store's state; a different value makes ``materialise(force=False)`` rebuild.
REASONER_VERSION = "pledgegraph-rl/4"  # 2: no equality copies of our own IRIs; 3: nor second
#: values of what the questions read as one; 4: nor between the aliases of one of our IRIs
#: Prefix of the reasoner's working graphs (under the store's staging prefix, so the store's
#: graph listing hides them; a crashed run's leftovers are removed by the next run).
WORK_GRAPH = GRAPH + "staging/reason-"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
RDF_TYPE = RDF + "type"
SAME_AS = OWL + "sameAs"
#: Our own IRIs (data, vocabulary, concepts) start with this. Equality replacement leaves them
#: alone: see "owl:sameAs and our own IRIs" in the module docstring.
OWN = "https://w3id.org/pledgegraph/"

#: Predicates of schema (TBox) triples: these triples are closed by owlrl, not by the rules.
SCHEMA_PREDICATES: frozenset[str] = frozenset(
    [RDFS + n for n in ("subClassOf", "subPropertyOf", "domain", "range")]
    + [RDF + n for n in ("first", "rest")]
    + [
        OWL + n
        for n in (
            "equivalentClass",
            "equivalentProperty",
            "inverseOf",
            "disjointWith",
            "propertyDisjointWith",
            "members",
            "distinctMembers",
            "onProperty",
            "onProperties",
            "onClass",
            "onDataRange",
            "someValuesFrom",
            "allValuesFrom",
            "hasValue",
            "hasSelf",
            "intersectionOf",
            "unionOf",
            "complementOf",
            "oneOf",
            "disjointUnionOf",
            "cardinality",
            "minCardinality",
            "maxCardinality",
            "qualifiedCardinality",
            "minQualifiedCardinality",
            "maxQualifiedCardinality",
            "propertyChainAxiom",
            "hasKey",
            "sourceIndividual",
            "assertionProperty",
            "targetIndividual",
            "targetValue",
            "onDatatype",
            "withRestrictions",
            "datatypeComplementOf",
        )
    ]
)
#: Classes whose rdf:type declarations belong to the schema.
SCHEMA_CLASSES: frozenset[str] = frozenset(
    [RDFS + "Class", RDFS + "Datatype", RDF + "Property", RDF + "List"]
    + [
        OWL + n
        for n in (
            "Class",
            "Restriction",
            "ObjectProperty",
            "DatatypeProperty",
            "AnnotationProperty",
            "OntologyProperty",
            "TransitiveProperty",
            "SymmetricProperty",
            "AsymmetricProperty",
            "ReflexiveProperty",
            "IrreflexiveProperty",
            "FunctionalProperty",
            "InverseFunctionalProperty",
            "AllDisjointClasses",
            "AllDisjointProperties",
            "AllDifferent",
            "NegativePropertyAssertion",
            "DeprecatedClass",
            "DeprecatedProperty",
        )
    ]
)
#: Schema constructs with instance rules this engine does not implement (-> owlrl fallback).
_UNSUPPORTED_PREDICATES = {
    OWL + n: n
    for n in (
        "someValuesFrom",
        "allValuesFrom",
        "hasValue",
        "intersectionOf",
        "unionOf",
        "oneOf",
        "maxCardinality",
        "maxQualifiedCardinality",
        "propertyChainAxiom",
        "hasKey",
    )
}
_UNSUPPORTED_TYPES = {OWL + n: n for n in ("FunctionalProperty", "InverseFunctionalProperty")}

Progress = Callable[[str], None]
Term = ox.NamedNode | ox.BlankNode | ox.Literal


@dataclass(frozen=True, slots=True)
class ReasonReport:
    """What a reasoning run did."""

    inferred: int  # triples in the inferred graph now
    schema: int  # of which entailed by the schema alone (owlrl's closure of the TBox)
    rounds: int  # rule rounds until the fixpoint (the last one added nothing)
    seconds: float
    engine: str  # "rules", or "owlrl" when the ontology needs the fallback
    asserted: int = 0  # quads the reasoning read (every graph but the inferred one)
    up_to_date: bool = False  # nothing to do: the inferred graph was current (force=False)
    inconsistencies: tuple[str, ...] = ()
    note: str = ""  # why the fallback engine was used
    by_rule: tuple[tuple[str, int], ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class Schema:
    """The closed schema: owlrl's closure of the TBox, as the relations the rules need."""

    subclass: frozenset[tuple[Term, Term]]  # (c, d): c ⊑ d, c ≠ d, d ≠ owl:Thing
    subproperty: frozenset[tuple[Term, Term]]  # (p, q): p ⊑ q, p ≠ q
    domain: frozenset[tuple[Term, Term]]  # closed under scm-dom1/2, owl:Thing left out
    range: frozenset[tuple[Term, Term]]
    inverse: frozenset[tuple[Term, Term]]  # both directions
    transitive: frozenset[Term]
    symmetric: frozenset[Term]
    disjoint: frozenset[tuple[Term, Term]]  # owl:disjointWith and owl:AllDisjointClasses pairs
    entailed: frozenset[ox.Triple]  # non-trivial triples owlrl adds to the TBox
    terms: frozenset[Term]  # every IRI the TBox mentions (for the owl:sameAs check)
    unsupported: tuple[str, ...]  # constructs that need the owlrl fallback


def is_current(store: Store) -> bool:
    """Whether the inferred graph exists and reflects the data and this reasoner."""
    state = store.state()
    return (
        store.has_graph(INFERRED_GRAPH)
        and not state.get("inferred_stale")
        and state.get("inferred_reasoner") == REASONER_VERSION
    )


def materialise(
    store: Store, *, force: bool = True, progress: Progress | None = None
) -> ReasonReport:
    """(Re)build the inferred graph of ``store``; see the module docstring.

    With ``force=False`` nothing is done when the graph is current (:func:`is_current`). The
    graph is replaced in one transaction, then the store is marked up to date.
    """
    started = time.perf_counter()
    say = progress or (lambda message: None)
    if not force and is_current(store):
        return ReasonReport(
            store.count(INFERRED_GRAPH), 0, 0, time.perf_counter() - started, "none",
            up_to_date=True,
        )  # fmt: skip
    _remove_work_graphs(store)
    work = _Work(WORK_GRAPH + uuid.uuid4().hex)
    try:
        asserted = _asserted_count(store)
        say(f"reading the schema ({asserted:,} quads in the store)")
        schema = close_schema(_tbox(store))
        if not schema.unsupported and _same_as_on_schema(store, schema):
            schema = _with_unsupported(schema, "owl:sameAs on a class or property")
        if schema.unsupported:
            note = (
                "the ontology uses " + ", ".join(schema.unsupported) + ", which the rule engine "
                "does not implement; reasoning with owlrl (slow on large graphs)"
            )
            say(note)
            rounds, by_rule, messages = _owlrl_everything(store, work)
            engine = "owlrl"
        else:
            note = ""
            rounds, by_rule, messages = _run_rules(store, schema, work, say)
            _refuse_derived_aliases(store, work)
            engine = "rules"
        inferred = _swap_in(store, work)
    except BaseException:
        _clean_up(store, work)
        raise
    with writing(
        store.inner,
        "the note that the inferred graph is current",
        leaves="the inferred graph was written",
        hint="run 'pledgegraph reason' (it recomputes the graph if the note is missing)",
    ):
        store.set_state(inferred_stale=False, inferred_reasoner=REASONER_VERSION)
    return ReasonReport(
        inferred=inferred,
        schema=len(schema.entailed) if engine == "rules" else 0,
        rounds=rounds,
        seconds=time.perf_counter() - started,
        engine=engine,
        asserted=asserted,
        inconsistencies=tuple(messages),
        note=note,
        by_rule=tuple(by_rule),
    )


# --- the schema -------------------------------------------------------------------------


def _not_inferred(variable: str) -> str:
    return f"FILTER(?{variable} != <{INFERRED_GRAPH}>)"


def _tbox(store: Store) -> list[ox.Triple]:
    """The schema triples of every graph but the inferred one."""
    predicates = " ".join(f"<{p}>" for p in sorted(SCHEMA_PREDICATES))
    classes = " ".join(f"<{c}>" for c in sorted(SCHEMA_CLASSES))
    query = f"""
        CONSTRUCT {{ ?s ?p ?o }} WHERE {{
          {{ VALUES ?p {{ {predicates} }} GRAPH ?g {{ ?s ?p ?o }} {_not_inferred("g")} }}
          UNION
          {{ VALUES ?o {{ {classes} }} GRAPH ?g {{ ?s <{RDF_TYPE}> ?o }} {_not_inferred("g")}
             BIND(<{RDF_TYPE}> AS ?p) }}
        }}"""
    return list(store.inner.query(query))  # type: ignore[arg-type]


def close_schema(tbox: Iterable[ox.Triple]) -> Schema:
    """Close a TBox with owlrl and read off the relations the instance rules need."""
    from pledgegraph.graph.reasoning.owlrl import owlrl_closure

    tbox = set(tbox)
    entailed, _ = owlrl_closure(tbox)
    closed = tbox | entailed
    thing, nothing = OWL + "Thing", OWL + "Nothing"

    def pairs(predicate: str) -> set[tuple[Term, Term]]:
        return {
            (t.subject, t.object)  # type: ignore[misc]
            for t in closed
            if t.predicate.value == predicate and t.subject != t.object
        }

    def typed(cls: str) -> frozenset[Term]:
        return frozenset(
            t.subject  # type: ignore[misc]
            for t in closed
            if t.predicate.value == RDF_TYPE and isinstance(t.object, ox.NamedNode)
            and t.object.value == cls
        )  # fmt: skip

    subclass = {
        (c, d) for c, d in pairs(RDFS + "subClassOf") if d.value != thing and c.value != nothing
    }
    domain = {(p, c) for p, c in pairs(RDFS + "domain") if c.value != thing}
    range_ = {(p, c) for p, c in pairs(RDFS + "range") if c.value != thing}
    inverse = pairs(OWL + "inverseOf")
    inverse |= {(q, p) for p, q in inverse}
    disjoint = pairs(OWL + "disjointWith")
    for t in closed:
        if t.predicate.value == OWL + "members" and _is_all_disjoint(closed, t.subject):
            members = _list(closed, t.object)  # type: ignore[arg-type]
            disjoint |= {(a, b) for i, a in enumerate(members) for b in members[i + 1 :]}
    subproperty = pairs(RDFS + "subPropertyOf")
    transitive, symmetric = typed(OWL + "TransitiveProperty"), typed(OWL + "SymmetricProperty")

    unsupported = {
        name for t in closed for iri, name in _UNSUPPORTED_PREDICATES.items()
        if t.predicate.value == iri
    }  # fmt: skip
    unsupported |= {
        name
        for t in closed
        if t.predicate.value == RDF_TYPE
        for iri, name in _UNSUPPORTED_TYPES.items()
        if isinstance(t.object, ox.NamedNode) and t.object.value == iri
    }
    # Rules that would derive schema triples (the schema is closed once, before the rules).
    produced_properties = {q for _, q in subproperty} | {q for _, q in inverse}
    produced_properties |= transitive | symmetric
    produced_classes = {d for _, d in subclass} | {c for _, c in domain} | {c for _, c in range_}
    if any(getattr(p, "value", "") in SCHEMA_PREDICATES for p in produced_properties) or any(
        getattr(c, "value", "") in SCHEMA_CLASSES for c in produced_classes
    ):
        unsupported.add("a property or class hierarchy that derives schema triples")
    terms = frozenset(
        term
        for t in closed
        for term in (t.subject, t.object)
        if isinstance(term, ox.NamedNode) and not term.value.startswith((RDF, RDFS, OWL))
    )
    return Schema(
        subclass=frozenset(subclass),
        subproperty=frozenset(subproperty),
        domain=frozenset(domain),
        range=frozenset(range_),
        inverse=frozenset(inverse),
        transitive=transitive,
        symmetric=symmetric,
        disjoint=frozenset(disjoint),
        entailed=frozenset(entailed),
        terms=terms,
        unsupported=tuple(sorted(f"owl:{n}" if " " not in n else n for n in unsupported)),
    )


def _with_unsupported(schema: Schema, what: str) -> Schema:
    return Schema(
        schema.subclass, schema.subproperty, schema.domain, schema.range, schema.inverse,
        schema.transitive, schema.symmetric, schema.disjoint, schema.entailed, schema.terms,
        (*schema.unsupported, what),
    )  # fmt: skip


def _is_all_disjoint(triples: set[ox.Triple], node: object) -> bool:
    kind = ox.NamedNode(OWL + "AllDisjointClasses")
    return any(
        t.subject == node and t.predicate.value == RDF_TYPE and t.object == kind for t in triples
    )


def _list(triples: set[ox.Triple], head: Term) -> list[Term]:
    """The members of an RDF list held in ``triples``."""
    first: dict[object, Term] = {}
    rest: dict[object, object] = {}
    for t in triples:
        if t.predicate.value == RDF + "first" and not isinstance(t.object, ox.Triple):
            first[t.subject] = t.object
        elif t.predicate.value == RDF + "rest":
            rest[t.subject] = t.object
    items: list[Term] = []
    node: object = head
    seen: set[object] = set()
    while node in first and node not in seen:
        seen.add(node)
        items.append(first[node])
        node = rest.get(node)
    return items


def _same_as_on_schema(store: Store, schema: Schema) -> bool:
    """Whether an owl:sameAs triple touches a class or property of the schema."""
    named = [t for t in schema.terms if isinstance(t, ox.NamedNode)]
    if named:
        values = " ".join(f"<{t.value}>" for t in named)
        query = f"""ASK {{ VALUES ?t {{ {values} }}
            {{ GRAPH ?g {{ ?t <{SAME_AS}> ?x }} }} UNION {{ GRAPH ?g {{ ?x <{SAME_AS}> ?t }} }}
            {_not_inferred("g")} }}"""
        if store.inner.query(query):
            return True
    # ... or a term of RDF, RDFS or OWL themselves (an attack: ``ex:kind owl:sameAs rdf:type``
    # and ``ex:sub owl:sameAs rdfs:subPropertyOf`` entailed links to Hebei the rules missed)
    query = f"""ASK {{ GRAPH ?g {{ {{ ?t <{SAME_AS}> ?x }} UNION {{ ?x <{SAME_AS}> ?t }} }}
        {_not_inferred("g")} FILTER(isIRI(?t) && (STRSTARTS(STR(?t), "{RDF}")
          || STRSTARTS(STR(?t), "{RDFS}") || STRSTARTS(STR(?t), "{OWL}"))) }}"""
    return bool(store.inner.query(query))


# --- the instance rules -----------------------------------------------------------------


class _Work:
    """The working graphs of one run: the schema relations and one delta graph per round."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.schema = base + "/schema"
        self.deltas: list[str] = []
        self.written = False  # a write of a working graph was sent (it may be on the store)

    def delta(self, k: int) -> str:
        name = f"{self.base}/delta-{k}"
        if name not in self.deltas:
            self.deltas.append(name)
        return name

    def graphs(self) -> list[str]:
        return [self.schema, *self.deltas]


@dataclass(frozen=True, slots=True)
class _Rule:
    """One rule as SPARQL: ``head`` holds when ``body`` matches, for the head's values ``guard``
    allows (the guard only narrows the set of existing triples a new one is checked against).

    In ``body`` and ``guard``, ``{D:s p o}`` is a pattern matched in the previous round's delta
    (in all the data in round 1), ``{A:s p o}`` one matched in all the data (asserted and
    inferred so far, the old inferred graph excluded), and ``{S}`` names the schema graph.
    """

    name: str
    head: str
    body: str
    guard: str = ""
    #: For rules with two data atoms: the body with the delta in the other atom (semi-naive
    #: evaluation needs both from round 2 on; in round 1 they are the same join) and the
    #: patterns and filters both share.
    mirror: str = ""
    shared: str = ""


_SCO = f"<{RDFS}subClassOf>"
_SPO = f"<{RDFS}subPropertyOf>"
_DOM = f"<{RDFS}domain>"
_RNG = f"<{RDFS}range>"
_INV = f"<{OWL}inverseOf>"
_SAME = f"<{SAME_AS}>"


def _foreign(*variables: str) -> str:
    """A SPARQL condition: none of ``variables`` is one of our own IRIs (see :data:`OWN`)."""
    return " && ".join(f'!(isIRI(?{v}) && STRSTARTS(STR(?{v}), "{OWN}"))' for v in variables)


#: The schema graph's mark of a term tied to one of our IRIs by owl:sameAs (``?t _TIED ?t``).
_TIED = "<https://w3id.org/pledgegraph/reasoning#tiedToOwn>"


def _refuse_derived_aliases(store: Store, work: _Work) -> None:
    """An :class:`InputError` if the rules derived an owl:sameAs that makes a term an alias of
    one of our IRIs which no stated link did (an attack: a sub-property of owl:sameAs reached
    through an inverse, or a property stated the same as owl:sameAs). Equality replacement ran
    for that term before it was known to be tied, so the inferred graph would copy our data to
    it or its data to us; nothing is written."""
    from pledgegraph.graph.reasoning.owlrl import (
        derived_alias_error,
        merged_error,
        own_merged,
        tied_to_own,
    )

    links = _links(store)  # (stated and, in the working graphs, derived)
    marked = {
        q.subject
        for q in store.inner.quads_for_pattern(
            None, ox.NamedNode(_TIED[1:-1]), None, ox.NamedNode(work.schema)
        )
    }
    new = tied_to_own(links) - marked
    if new:
        raise derived_alias_error(new)
    merged = own_merged(links)
    if merged:
        raise merged_error(merged)


def _links(store: Store) -> list[ox.Triple]:
    """The owl:sameAs triples of every graph but the inferred one."""
    query = f"SELECT ?x ?y WHERE {{ GRAPH ?g {{ ?x {_SAME} ?y }} {_not_inferred('g')} }}"
    return [
        ox.Triple(row["x"], ox.NamedNode(SAME_AS), row["y"])
        for row in store.inner.query(query)  # type: ignore[union-attr]
    ]


def _untied(variable: str) -> str:
    """A SPARQL condition: ``variable`` is not an alias of one of our IRIs (see _tied_quads)."""
    return f"FILTER NOT EXISTS {{ {{S}} {{ ?{variable} {_TIED} ?{variable} }} }}"


def _tied_quads(store: Store, graph: str) -> Iterator[ox.Quad]:
    """The marks of every term owl:sameAs ties to one of our own IRIs, in the schema graph.

    The members of an equality class (the links closed both ways and through each other) that
    holds one of our IRIs are all names of that one thing, and our IRI is its canonical name:
    nothing is copied between them. Without this, a file's node stated the same as a region's
    Wikidata item would give that item (and the region's GeoNames IRI, and every other file node
    stated the same) its type, its name and its pledges. The classes are those of the stated
    links; a link the rules derive that ties a further term is refused after the run.
    """
    # (only stated links: one through a sub-property or inverse of owl:sameAs is entailed,
    # and refused after the run, as the owlrl fallback refuses it: _refuse_derived_aliases)
    from pledgegraph.graph.reasoning.owlrl import tied_to_own

    mark, g = ox.NamedNode(_TIED[1:-1]), ox.NamedNode(graph)
    for term in sorted(tied_to_own(_links(store)), key=str):
        yield ox.Quad(term, mark, term, g)  # type: ignore[arg-type]


def _rules(schema: Schema, same_as: bool) -> list[_Rule]:
    """The rules this schema needs."""
    rules = []
    if schema.subclass:
        rules.append(_Rule(
            "cax-sco", "?x a ?d", f"{{S}} {{ ?c {_SCO} ?d }} {{D:?x a ?c}}",
            f"{{ SELECT DISTINCT ?d WHERE {{ {{S}} {{ ?c {_SCO} ?d }} }} }}",
        ))  # fmt: skip
    if schema.domain:
        rules.append(_Rule(
            "prp-dom", "?x a ?d", f"{{S}} {{ ?p {_DOM} ?d }} {{D:?x ?p ?y}}",
            f"{{ SELECT DISTINCT ?d WHERE {{ {{S}} {{ ?p {_DOM} ?d }} }} }}",
        ))  # fmt: skip
    if schema.range:
        rules.append(_Rule(
            "prp-rng", "?y a ?d",
            f"{{S}} {{ ?p {_RNG} ?d }} {{D:?x ?p ?y}} FILTER(!isLiteral(?y))",
            f"{{ SELECT DISTINCT ?d WHERE {{ {{S}} {{ ?p {_RNG} ?d }} }} }}",
        ))  # fmt: skip
    if schema.subproperty:
        rules.append(_Rule(
            "prp-spo1", "?x ?q ?y", f"{{S}} {{ ?p {_SPO} ?q }} {{D:?x ?p ?y}}",
            f"{{ SELECT DISTINCT ?q WHERE {{ {{S}} {{ ?p {_SPO} ?q }} }} }}",
        ))  # fmt: skip
    if schema.inverse:
        rules.append(_Rule(
            "prp-inv", "?y ?q ?x",
            f"{{S}} {{ ?p {_INV} ?q }} {{D:?x ?p ?y}} FILTER(!isLiteral(?y))",
            f"{{ SELECT DISTINCT ?q WHERE {{ {{S}} {{ ?p {_INV} ?q }} }} }}",
        ))  # fmt: skip
    if schema.symmetric:
        rules.append(_Rule(
            "prp-symp", "?y ?p ?x",
            f"{{S}} {{ ?p a <{OWL}SymmetricProperty> }} {{D:?x ?p ?y}} FILTER(!isLiteral(?y))",
            f"{{S}} {{ ?p a <{OWL}SymmetricProperty> }}",
        ))  # fmt: skip
    if schema.transitive:
        rules.append(_Rule(
            "prp-trp", "?x ?p ?z", "{D:?x ?p ?y} {A:?y ?p ?z}",
            f"{{S}} {{ ?p a <{OWL}TransitiveProperty> }}",
            mirror="{A:?x ?p ?y} {D:?y ?p ?z}",
            shared=f"{{S}} {{ ?p a <{OWL}TransitiveProperty> }}",
        ))  # fmt: skip
    if same_as:
        rules += [
            _Rule("eq-sym", f"?y {_SAME} ?x",
                  f"{{D:?x {_SAME} ?y}} FILTER(!isLiteral(?y) && ?x != ?y)"),
            _Rule("eq-trans", f"?x {_SAME} ?z",
                  f"{{D:?x {_SAME} ?y}} {{A:?y {_SAME} ?z}}",
                  mirror=f"{{A:?x {_SAME} ?y}} {{D:?y {_SAME} ?z}}",
                  shared="FILTER(?x != ?z)"),
            _Rule("eq-rep-s", "?t ?p ?o",
                  f"{{D:?s {_SAME} ?t}} {{A:?s ?p ?o}}",
                  f"{{ SELECT DISTINCT ?t WHERE {{ {{A:?s {_SAME} ?t}} }} }}",
                  mirror=f"{{A:?s {_SAME} ?t}} {{D:?s ?p ?o}}",
                  shared=f"FILTER(!isLiteral(?t) && ?s != ?t && !(?p = {_SAME} && ?o = ?t)"
                         f" && {_foreign('s', 't', 'o')}) {_untied('s')}"),
            _Rule("eq-rep-p", "?s ?q ?o",
                  f"{{D:?p {_SAME} ?q}} {{A:?s ?p ?o}}",
                  f"{{ SELECT DISTINCT ?q WHERE {{ {{A:?p {_SAME} ?q}} }} }}",
                  mirror=f"{{A:?p {_SAME} ?q}} {{D:?s ?p ?o}}",
                  shared=f"FILTER(isIRI(?q) && ?p != ?q && {_foreign('p', 'q', 's', 'o')})"
                         f" {_untied('p')}"),
            _Rule("eq-rep-o", "?s ?p ?t",
                  f"{{D:?o {_SAME} ?t}} {{A:?s ?p ?o}}",
                  f"{{ SELECT DISTINCT ?t WHERE {{ {{A:?o {_SAME} ?t}} }} }}",
                  mirror=f"{{A:?o {_SAME} ?t}} {{D:?s ?p ?o}}",
                  shared=f"FILTER(?o != ?t && !(?p = {_SAME} && ?s = ?t)"
                         f" && {_foreign('o', 't', 's')}) {_untied('o')}"),
        ]  # fmt: skip
    return rules


def _render(rule: _Rule, *, schema: str, previous: str | None, delta: str, anti_join: bool) -> str:
    """The SPARQL update that writes ``rule``'s new triples of one round to graph ``delta``.

    ``previous`` is the last round's delta graph (None in round 1: all the data). New triples
    are found with a hash anti-join (``MINUS``) when many candidates are expected, else with a
    per-candidate ``FILTER NOT EXISTS`` (cheaper for a handful).
    """
    import re

    excluded = f"<{INFERRED_GRAPH}>, <{schema}>"
    counter = iter(range(1_000_000))

    def atom(kind: str, pattern: str) -> str:
        if kind == "D" and previous is not None:
            return f"GRAPH <{previous}> {{ {pattern} }}"
        g = f"g{next(counter)}"
        return f"GRAPH ?{g} {{ {pattern} }} FILTER(?{g} NOT IN ({excluded}))"

    def expand(text: str) -> str:
        text = re.sub(r"\{(D|A):([^{}]*)\}", lambda m: atom(m.group(1), m.group(2)), text)
        return text.replace("{S}", f"GRAPH <{schema}>")

    variables = " ".join(dict.fromkeys(re.findall(r"\?\w+", rule.head)))
    body = rule.body
    if rule.mirror and previous is not None:
        body = f"{{ {rule.body} }} UNION {{ {rule.mirror} }}"
    body = f"{rule.shared} {body}" if rule.shared.startswith("{S}") else f"{body} {rule.shared}"
    existing = atom("A", rule.head)
    check = (
        f"MINUS {{ {expand(rule.guard)} {existing} }}"
        if anti_join
        else f"FILTER NOT EXISTS {{ {existing} }}"
    )
    return (
        f"INSERT {{ GRAPH <{delta}> {{ {rule.head} }} }} WHERE {{\n"
        f"  {{ SELECT DISTINCT {variables} WHERE {{ {expand(body)} }} }}\n"
        f"  {check}\n}}"
    )


#: Above this many triples in the last delta, new triples are found with MINUS (see _render).
_ANTI_JOIN_FROM = 2_000


def _schema_quads(schema: Schema, graph: str) -> Iterator[ox.Quad]:
    g = ox.NamedNode(graph)
    rdf_type = ox.NamedNode(RDF_TYPE)
    relations = (
        (RDFS + "subClassOf", schema.subclass),
        (RDFS + "subPropertyOf", schema.subproperty),
        (RDFS + "domain", schema.domain),
        (RDFS + "range", schema.range),
        (OWL + "inverseOf", schema.inverse),
        (OWL + "disjointWith", schema.disjoint),
    )
    for predicate, pairs in relations:
        p = ox.NamedNode(predicate)
        for a, b in pairs:
            yield ox.Quad(a, p, b, g)  # type: ignore[arg-type]
    for cls, members in (
        (OWL + "TransitiveProperty", schema.transitive),
        (OWL + "SymmetricProperty", schema.symmetric),
    ):
        for member in members:
            yield ox.Quad(member, rdf_type, ox.NamedNode(cls), g)  # type: ignore[arg-type]


def _run_rules(
    store: Store, schema: Schema, work: _Work, say: Progress
) -> tuple[int, list[tuple[str, int]], list[str]]:
    """Apply the instance rules to a fixpoint; (rounds, new triples per rule, inconsistencies)."""
    with writing(store.inner, _WORK_WRITE, leaves=_WORK_LEAVES, hint=_WORK_HINT):
        return _run_rules_writing(store, schema, work, say)


def _run_rules_writing(
    store: Store, schema: Schema, work: _Work, say: Progress
) -> tuple[int, list[tuple[str, int]], list[str]]:
    """:func:`_run_rules`, its writes named for the message of one a server does not answer."""
    # Round 0: the schema's own entailments (not asserted anywhere), as the first delta.
    first = ox.NamedNode(work.delta(0))
    work.written = True
    store.inner.extend(
        [
            ox.Quad(t.subject, t.predicate, t.object, first)
            for t in schema.entailed
            if not _asserted(store, t)
        ]
    )
    store.inner.extend(_schema_quads(schema, work.schema))
    store.inner.add_graph(ox.NamedNode(work.schema))
    same_as = bool(
        store.inner.query(f"ASK {{ GRAPH ?g {{ ?x {_SAME} ?y }} {_not_inferred('g')} }}")
    ) or any(getattr(p, "value", "") == SAME_AS for _, p in schema.subproperty | schema.inverse)
    if same_as:  # the aliases of our IRIs, which equality replacement leaves alone
        store.inner.extend(_tied_quads(store, work.schema))
    rules = _rules(schema, same_as)
    by_rule = {rule.name: 0 for rule in rules}
    previous: str | None = None
    previous_size = 0
    rounds = 0
    while True:
        rounds += 1
        delta = work.delta(rounds)
        anti_join = previous is None or previous_size >= _ANTI_JOIN_FROM
        added = 0
        for rule in rules:
            update = _render(
                rule, schema=work.schema, previous=previous, delta=delta, anti_join=anti_join
            )
            try:
                store.inner.update(update)
            except OSError as exc:  # pragma: no cover - disk failure
                raise StoreError(
                    f"cannot reason: {exc}", where=str(store.path or "memory")
                ) from None
            new = _count(store, delta) - added
            by_rule[rule.name] += new
            added += new
        say(f"round {rounds}: {added:,} new triples")
        if not added:
            break
        previous, previous_size = delta, added
    return rounds, sorted(by_rule.items()), _inconsistencies(store, work)


def _inconsistencies(store: Store, work: _Work, limit: int = 20) -> list[str]:
    """Consistency checks on asserted + inferred data (cax-dw, cax-adc, eq-diff1, cls-nothing2)."""
    from pledgegraph.graph.formats import short

    excluded = f"<{INFERRED_GRAPH}>, <{work.schema}>"

    def a(pattern: str, g: str) -> str:
        return f"GRAPH ?{g} {{ {pattern} }} FILTER(?{g} NOT IN ({excluded}))"

    messages: list[str] = []
    query = f"""SELECT DISTINCT ?x ?c ?d WHERE {{
        GRAPH <{work.schema}> {{ ?c <{OWL}disjointWith> ?d }}
        {a("?x a ?c", "g1")} {a("?x a ?d", "g2")} }} LIMIT {limit}"""
    for row in store.inner.query(query):  # type: ignore[union-attr]
        first, second = sorted((short(row["c"]), short(row["d"])))
        messages.append(
            f"{short(row['x'])} is both a {first} and a {second}, which are disjoint classes"
        )
    query = f"""SELECT DISTINCT ?x ?y WHERE {{
        {a(f"?x <{SAME_AS}> ?y", "g1")} {a(f"?x <{OWL}differentFrom> ?y", "g2")} }} LIMIT {limit}"""
    for row in store.inner.query(query):  # type: ignore[union-attr]
        messages.append(
            f"{short(row['x'])} and {short(row['y'])} are stated both the same and different"
        )
    query = f"SELECT DISTINCT ?x WHERE {{ {a(f'?x a <{OWL}Nothing>', 'g1')} }} LIMIT {limit}"
    for row in store.inner.query(query):  # type: ignore[union-attr]
        messages.append(f"{short(row['x'])} is an owl:Nothing, which has no members")
    return sorted(set(messages))


def _owlrl_everything(store: Store, work: _Work) -> tuple[int, list[tuple[str, int]], list[str]]:
    """The fallback: owlrl on all asserted triples; its non-trivial additions as the delta.

    owl:sameAs links of our own IRIs are closed but not used for replacement, as by the rules.
    """
    from pledgegraph.graph.reasoning.owlrl import owlrl_closure_keeping_own_names

    triples = {
        ox.Triple(q.subject, q.predicate, q.object)
        for q in store.inner
        if not (isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value == INFERRED_GRAPH)
    }
    added, messages = owlrl_closure_keeping_own_names(triples)
    delta = ox.NamedNode(work.delta(0))
    work.written = True
    with writing(store.inner, _WORK_WRITE, leaves=_WORK_LEAVES, hint=_WORK_HINT):
        store.inner.extend(ox.Quad(t.subject, t.predicate, t.object, delta) for t in added)
    return 1, [("owlrl", len(added))], messages


# --- store helpers ----------------------------------------------------------------------


def _asserted(store: Store, triple: ox.Triple) -> bool:
    """Whether ``triple`` is in a graph other than the inferred one and the working graphs."""
    return any(
        not (
            isinstance(q.graph_name, ox.NamedNode)
            and (q.graph_name.value == INFERRED_GRAPH or q.graph_name.value.startswith(WORK_GRAPH))
        )
        for q in store.inner.quads_for_pattern(triple.subject, triple.predicate, triple.object)
    )


def _count(store: Store, graph: str) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    row = next(iter(store.inner.query(query)))  # type: ignore[arg-type]
    return int(row["n"].value)


def _asserted_count(store: Store) -> int:
    """Quads outside the inferred graph (run after the working graphs were removed)."""
    return len(store.inner) - store.count(INFERRED_GRAPH)


@cache
def single_valued() -> frozenset[str]:
    """The properties the shapes hold to one value (``sh:maxCount 1``) or one per language
    (``sh:uniqueLang``), and ``rdfs:label``: what the stored questions read as one value.

    Not a transitive one: a region lies directly in at most one region (the shapes), and in
    all of that one's ancestors by inference (a city counts in its country)."""
    from pledgegraph.ontology import read_text

    shapes = ox.Store()
    shapes.load(read_text("shapes.ttl").encode("utf-8"), ox.RdfFormat.TURTLE)
    shapes.load(read_text("pledge.ttl").encode("utf-8"), ox.RdfFormat.TURTLE)
    found = {RDFS + "label"}
    rows = shapes.query(
        "PREFIX sh: <http://www.w3.org/ns/shacl#> PREFIX owl: <http://www.w3.org/2002/07/owl#> "
        "SELECT DISTINCT ?p WHERE { "
        "?shape sh:path ?p . { ?shape sh:maxCount 1 } UNION { ?shape sh:uniqueLang true } "
        "FILTER(isIRI(?p)) FILTER NOT EXISTS { ?p a owl:TransitiveProperty } }"
    )
    assert isinstance(rows, ox.QuerySolutions)
    for row in rows:
        path = row["p"]
        if isinstance(path, ox.NamedNode):
            found.add(path.value)
    return frozenset(found)


def _swap_in(store: Store, work: _Work) -> int:
    """Make the inferred graph the union of the deltas, in one transaction.

    Only the difference is written: triples of the old graph that are no longer entailed are
    deleted and new ones added, so re-reasoning after a small change writes little. The
    working graphs are removed afterwards (outside the transaction: they are scratch).
    """
    from pledgegraph.loaders.rdf import ROW_PREDICATES

    inferred = f"<{INFERRED_GRAPH}>"
    # Never the row index (the store computes it: an attack made a file's sub-property of
    # pledge:rowYear put a target under another year in the questions after reason).
    index = ", ".join(f"<{p}>" for p in ROW_PREDICATES)
    # Nor, about our own nodes, a value of what the questions read as one value (a second
    # headline or name through a file's sub-property of schema:headline or rdfs:label repeated
    # rows after reason, past the shapes, which hold the asserted data; a second attack).
    single = ", ".join(f"<{p}>" for p in sorted(single_valued()))
    deltas = (
        "{ SELECT DISTINCT ?s ?p ?o WHERE { "
        + " UNION ".join(f"{{ GRAPH <{d}> {{ ?s ?p ?o }} }}" for d in work.deltas)
        + f" }} }} FILTER(?p NOT IN ({index}) && "
        f'!(?p IN ({single}) && isIRI(?s) && STRSTARTS(STR(?s), "{OWN}")) && '
        # Nor a class of ours for a region or deadline pledgegraph describes: no class of ours
        # is a sub-class of another, so only a file's axioms (a class of its own declared a
        # sub-class of pledge:Deadline, in an earlier file) could make Shaanxi a deadline.
        f'!(?p = <{RDF_TYPE}> && isIRI(?s) && (STRSTARTS(STR(?s), "{OWN}id/region/") || '
        f'STRSTARTS(STR(?s), "{OWN}id/deadline/")) && STRSTARTS(STR(?o), "{OWN}ontology#")))'
    )
    update = f"""
        CREATE SILENT GRAPH {inferred} ;
        DELETE {{ GRAPH {inferred} {{ ?s ?p ?o }} }}
        WHERE {{ GRAPH {inferred} {{ ?s ?p ?o }} MINUS {{ {deltas} }} }} ;
        INSERT {{ GRAPH {inferred} {{ ?s ?p ?o }} }}
        WHERE {{ {deltas} MINUS {{ GRAPH {inferred} {{ ?s ?p ?o }} }} }}"""
    try:
        with writing(
            store.inner,
            f"the write of the inferred graph <{INFERRED_GRAPH}>",
            hint="run 'pledgegraph reason --rebuild' to be sure it is current",
        ):
            store.inner.update(update)
    except OSError as exc:  # pragma: no cover - disk failure
        raise StoreError(f"cannot write the inferred graph: {exc}", where=str(store.path)) from None
    with writing(
        store.inner,
        "the removal of the reasoner's working graphs",
        leaves="the inferred graph was written; working graphs left on the server are "
        "hidden from queries and exports",
        hint=_WORK_HINT,
    ):
        _drop(store, work.graphs())
    return store.count(INFERRED_GRAPH)


#: How an unconfirmed write of the working graphs is named (exit 3; README, "Remote store").
_WORK_WRITE = f"the write of the reasoner's working graphs ({WORK_GRAPH}…)"
_WORK_LEAVES = "the inferred graph is unchanged"
_WORK_HINT = (
    "run 'pledgegraph reason' again: it removes working graphs a failed run left "
    "('pledgegraph stats' lists them)"
)


def _drop(store: Store, graphs: list[str]) -> None:
    """Remove ``graphs``, in one update (one request on a remote store)."""
    if graphs:
        store.inner.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs))


def _clean_up(store: Store, work: _Work) -> None:
    """Remove the working graphs of a run that failed (or was stopped), if the store answers.

    On a remote store whose server gave no answer this may get none either (one more
    request, waiting at most 10 s; Ctrl-C cuts it short): the error of the run is what is
    reported, and what is left is named by ``stats`` (:func:`leftover_work_graphs`) and
    removed by the next run (:func:`_remove_work_graphs`)."""
    import contextlib

    from pledgegraph.errors import PledgeGraphError

    if not work.written:
        return  # failed before its first write: nothing to remove (and no request to wait for)
    with contextlib.suppress(PledgeGraphError, OSError), briefly(store.inner, _CLEAN_UP_WAIT):
        _drop(store, work.graphs())


#: Seconds the clean-up after a failed run waits for a remote server (at most its timeout).
_CLEAN_UP_WAIT = 10.0


def leftover_work_graphs(store: Store) -> list[str]:
    """Working graphs in the store: a run in progress, or one that failed on a remote store
    (the embedded store removes them at the next open, under its lock)."""
    return sorted(
        g.value
        for g in store.inner.named_graphs()
        if isinstance(g, ox.NamedNode) and g.value.startswith(WORK_GRAPH)
    )


def _remove_work_graphs(store: Store) -> None:
    """Remove working graphs left by a reasoning run that did not finish."""
    with writing(
        store.inner,
        "the removal of working graphs an earlier reasoning run left",
        leaves="the inferred graph is unchanged",
        hint="run 'pledgegraph reason' again",
    ):
        _drop(store, leftover_work_graphs(store))
