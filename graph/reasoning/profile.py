"""Check that a schema stays inside the OWL 2 RL profile (the syntactic restrictions that matter).

OWL 2 RL (https://www.w3.org/TR/owl2-profiles/#OWL_2_RL) restricts where each class expression
may appear, so that rules can compute all entailments without inventing individuals:

- **subclass position** (left of rdfs:subClassOf, members of owl:disjointWith /
  owl:AllDisjointClasses, owl:hasKey): a class other than owl:Thing, owl:intersectionOf and
  owl:unionOf of subclass expressions, owl:oneOf, owl:someValuesFrom (of a subclass expression
  or owl:Thing), owl:hasValue;
- **superclass position** (right of rdfs:subClassOf, rdfs:domain, rdfs:range of object
  properties, the class of an rdf:type assertion): a class, owl:intersectionOf of superclass
  expressions, owl:complementOf of a subclass expression, owl:allValuesFrom (of a superclass
  expression), owl:hasValue, owl:maxCardinality / owl:maxQualifiedCardinality 0 or 1;
- **equivalent classes** (both sides of owl:equivalentClass): a class, owl:intersectionOf of such
  expressions, owl:hasValue;
- never: owl:disjointUnionOf, owl:ReflexiveProperty, owl:hasSelf, owl:minCardinality,
  owl:cardinality and their qualified forms, datatype restrictions (owl:onDatatype), data ranges
  other than RL datatypes and their intersections (owl:datatypeComplementOf, data owl:oneOf /
  owl:unionOf), and the datatypes owl:real and owl:rational or any outside the OWL 2 datatype map.

Deliberately lenient: ``C rdfs:subClassOf owl:Thing`` (a tautology) is accepted although the
grammar excludes owl:Thing as a superclass expression. Data values are not checked (a literal
typed xsd:date or xsd:gYear is opaque to OWL 2 RL reasoning but harmless).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from pledgegraph.graph.store import Store
from pledgegraph.ontology import INFERRED_GRAPH

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"

#: The datatypes OWL 2 RL supports (every OWL 2 datatype but owl:real and owl:rational).
RL_DATATYPES: frozenset[str] = frozenset(
    [RDF + "PlainLiteral", RDF + "XMLLiteral", RDFS + "Literal"]
    + [
        XSD + n
        for n in (
            "decimal",
            "integer",
            "nonNegativeInteger",
            "nonPositiveInteger",
            "positiveInteger",
            "negativeInteger",
            "long",
            "int",
            "short",
            "byte",
            "unsignedLong",
            "unsignedInt",
            "unsignedShort",
            "unsignedByte",
            "float",
            "double",
            "string",
            "normalizedString",
            "token",
            "language",
            "Name",
            "NCName",
            "NMTOKEN",
            "boolean",
            "hexBinary",
            "base64Binary",
            "anyURI",
            "dateTime",
            "dateTimeStamp",
        )
    ]
)
_THING = OWL + "Thing"
_CARDINALITIES = {
    OWL + "cardinality": "exactly",
    OWL + "minCardinality": "min",
    OWL + "maxCardinality": "max",
    OWL + "qualifiedCardinality": "exactly",
    OWL + "minQualifiedCardinality": "min",
    OWL + "maxQualifiedCardinality": "max",
}

Node = ox.NamedNode | ox.BlankNode | ox.Literal


@dataclass(frozen=True, slots=True)
class ProfileIssue:
    """One axiom outside OWL 2 RL."""

    axiom: str  # the axiom, class expressions in Manchester-like syntax
    problem: str  # what is not allowed, and where it would be
    graph: str  # the named graph holding it

    def __str__(self) -> str:
        return f"{self.axiom}: {self.problem}"


def check_profile(store: Store) -> list[ProfileIssue]:
    """Axioms outside OWL 2 RL in the schema of every graph of ``store`` (inferred one excluded)."""
    from pledgegraph.graph.reasoning.engine import SCHEMA_CLASSES, SCHEMA_PREDICATES

    predicates = " ".join(f"<{p}>" for p in sorted(SCHEMA_PREDICATES))
    classes = " ".join(f"<{c}>" for c in sorted(SCHEMA_CLASSES))
    query = f"""
        SELECT DISTINCT ?s ?p ?o ?g WHERE {{
          {{ VALUES ?p {{ {predicates} }} GRAPH ?g {{ ?s ?p ?o }} }}
          UNION
          {{ VALUES ?o {{ {classes} }} BIND(<{RDF}type> AS ?p) GRAPH ?g {{ ?s ?p ?o }} }}
          UNION
          {{ GRAPH ?g {{ ?s a ?o }} FILTER(isBlank(?o)) BIND(<{RDF}type> AS ?p) }}
          FILTER(?g != <{INFERRED_GRAPH}>)
        }}"""
    quads = [
        ox.Quad(row["s"], row["p"], row["o"], row["g"])
        for row in store.inner.query(query)  # type: ignore[union-attr]
    ]
    return check_quads(quads)


def check_quads(quads: Iterable[ox.Quad]) -> list[ProfileIssue]:
    """Axioms outside OWL 2 RL among ``quads`` (a schema: class and property axioms)."""
    return _Checker(list(quads)).run()


class _Checker:
    def __init__(self, quads: list[ox.Quad]) -> None:
        self.quads = quads
        self.out: dict[object, dict[str, list[Node]]] = defaultdict(lambda: defaultdict(list))
        self.graph = ""  # the graph of the axiom being checked
        for q in quads:
            if not isinstance(q.object, ox.Triple):
                self.out[q.subject][q.predicate.value].append(q.object)
        self.issues: list[ProfileIssue] = []
        self._seen: set[tuple[str, str]] = set()

    # --- reading the graph -------------------------------------------------------------

    def values(self, node: object, predicate: str) -> list[Node]:
        return self.out.get(node, {}).get(predicate, [])

    def one(self, node: object, predicate: str) -> Node | None:
        found = self.values(node, predicate)
        return found[0] if found else None

    def items(self, head: object) -> list[Node]:
        result: list[Node] = []
        seen: set[object] = set()
        while (
            head is not None
            and head not in seen
            and not (isinstance(head, ox.NamedNode) and head.value == RDF + "nil")
        ):
            seen.add(head)
            first = self.one(head, RDF + "first")
            if first is None:
                break
            result.append(first)
            head = self.one(head, RDF + "rest")
        return result

    def typed(self, node: object, cls: str) -> bool:
        return any(
            isinstance(t, ox.NamedNode) and t.value == cls for t in self.values(node, RDF + "type")
        )

    def is_data_property(self, prop: object) -> bool:
        return self.typed(prop, OWL + "DatatypeProperty")

    # --- showing expressions ------------------------------------------------------------

    def show(self, node: object, depth: int = 0) -> str:
        from pledgegraph.graph.formats import short

        if not isinstance(node, ox.BlankNode) or depth > 4:
            return short(node)  # type: ignore[arg-type]
        for predicate, word in ((OWL + "intersectionOf", "and"), (OWL + "unionOf", "or")):
            head = self.one(node, predicate)
            if head is not None:
                parts = [self.show(m, depth + 1) for m in self.items(head)]
                return "(" + f" {word} ".join(parts) + ")"
        complement = self.one(node, OWL + "complementOf") or self.one(
            node, OWL + "datatypeComplementOf"
        )
        if complement is not None:
            return f"(not {self.show(complement, depth + 1)})"
        one_of = self.one(node, OWL + "oneOf")
        if one_of is not None:
            return "{" + ", ".join(self.show(m, depth + 1) for m in self.items(one_of)) + "}"
        on_datatype = self.one(node, OWL + "onDatatype")
        if on_datatype is not None:
            return f"({self.show(on_datatype)} with facets)"
        prop = self.one(node, OWL + "onProperty")
        if prop is not None:
            p = self.show(prop)
            for predicate, word in (
                (OWL + "someValuesFrom", "some"),
                (OWL + "allValuesFrom", "only"),
                (OWL + "hasValue", "value"),
            ):
                filler = self.one(node, predicate)
                if filler is not None:
                    return f"({p} {word} {self.show(filler, depth + 1)})"
            if self.one(node, OWL + "hasSelf") is not None:
                return f"({p} Self)"
            for predicate, word in _CARDINALITIES.items():
                n = self.one(node, predicate)
                if n is not None:
                    on_class = self.one(node, OWL + "onClass") or self.one(
                        node, OWL + "onDataRange"
                    )
                    qualified = f" {self.show(on_class, depth + 1)}" if on_class else ""
                    return f"({p} {word} {getattr(n, 'value', n)}{qualified})"
        return "[]"

    # --- the rules ----------------------------------------------------------------------

    def report(self, axiom: str, problem: str) -> None:
        if (axiom, problem) in self._seen:
            return
        self._seen.add((axiom, problem))
        self.issues.append(ProfileIssue(axiom, problem, self.graph))

    def check_class(self, node: Node, position: str, axiom: str) -> None:
        """Check a class expression in ``position``: "subclass", "superclass" or "equivalent"."""
        if isinstance(node, ox.Literal):
            self.report(axiom, "a literal where a class is expected")
            return
        if isinstance(node, ox.NamedNode):
            if node.value == _THING and position == "subclass":
                self.report(axiom, "owl:Thing in a subclass expression")
            return
        where = (
            "in "
            + {
                "subclass": "a subclass expression",
                "superclass": "a superclass expression",
                "equivalent": "an equivalent-class expression",
            }[position]
        )
        allowed = {
            "subclass": "subclass position (left of rdfs:subClassOf)",
            "superclass": "superclass position (right of rdfs:subClassOf, domains, ranges)",
        }
        head = self.one(node, OWL + "intersectionOf")
        if head is not None:
            for member in self.items(head):
                self.check_class(member, position, axiom)
            return
        head = self.one(node, OWL + "unionOf")
        if head is not None:
            if position != "subclass":
                self.report(
                    axiom, f"owl:unionOf {where}; OWL 2 RL allows it only in {allowed['subclass']}")  # fmt: skip
            for member in self.items(head):
                self.check_class(member, "subclass", axiom)
            return
        complement = self.one(node, OWL + "complementOf")
        if complement is not None:
            if position != "superclass":
                self.report(
                    axiom,
                    f"owl:complementOf {where}; OWL 2 RL allows it only in {allowed['superclass']}",
                )
            self.check_class(complement, "subclass", axiom)
            return
        if self.one(node, OWL + "oneOf") is not None:
            if position != "subclass":
                self.report(
                    axiom, f"owl:oneOf {where}; OWL 2 RL allows it only in {allowed['subclass']}")  # fmt: skip
            return
        prop = self.one(node, OWL + "onProperty")
        if prop is None:
            if self.one(node, OWL + "onProperties") is not None:
                self.report(axiom, "an n-ary data restriction (owl:onProperties)")
            return
        data = self.is_data_property(prop)
        some = self.one(node, OWL + "someValuesFrom")
        if some is not None:
            if position != "subclass":
                self.report(
                    axiom,
                    f"owl:someValuesFrom {where}; OWL 2 RL allows it only in {allowed['subclass']}",
                )
            self.check_filler(some, "subclass", data, axiom)
            return
        only = self.one(node, OWL + "allValuesFrom")
        if only is not None:
            if position != "superclass":
                self.report(
                    axiom,
                    f"owl:allValuesFrom {where}; OWL 2 RL allows it only in "
                    f"{allowed['superclass']}",
                )
            self.check_filler(only, "superclass", data, axiom)
            return
        if self.one(node, OWL + "hasValue") is not None:
            return  # allowed everywhere
        if self.one(node, OWL + "hasSelf") is not None:
            self.report(axiom, "owl:hasSelf is not in OWL 2 RL")
            return
        for predicate in _CARDINALITIES:
            n = self.one(node, predicate)
            if n is None:
                continue
            name = "owl:" + predicate[len(OWL) :]
            if "max" not in predicate.lower():
                self.report(axiom, f"{name} is not in OWL 2 RL (only max 0 or 1 is)")
            elif position != "superclass":
                self.report(
                    axiom, f"{name} {where}; OWL 2 RL allows it only in {allowed['superclass']}"
                )
            elif not isinstance(n, ox.Literal) or n.value.strip() not in ("0", "1"):
                self.report(axiom, f"{name} {getattr(n, 'value', n)}; OWL 2 RL allows only 0 or 1")
            on_class = self.one(node, OWL + "onClass")
            if on_class is not None:
                self.check_class(on_class, "subclass", axiom)
            on_range = self.one(node, OWL + "onDataRange")
            if on_range is not None:
                self.check_data_range(on_range, axiom)
            return

    def check_filler(self, filler: Node, position: str, data: bool, axiom: str) -> None:
        if data or self.is_data_range(filler):
            self.check_data_range(filler, axiom)
        elif not (isinstance(filler, ox.NamedNode) and filler.value == _THING):
            self.check_class(filler, position, axiom)

    def is_data_range(self, node: Node) -> bool:
        if isinstance(node, ox.NamedNode):
            return node.value.startswith(XSD) or node.value in RL_DATATYPES or node.value in (
                OWL + "real", OWL + "rational"
            )  # fmt: skip
        return self.typed(node, RDFS + "Datatype")

    def check_data_range(self, node: Node, axiom: str) -> None:
        if isinstance(node, ox.NamedNode):
            if (node.value.startswith(XSD) or node.value.startswith(OWL)) and (
                node.value not in RL_DATATYPES
            ):
                self.report(axiom, f"datatype {self.show(node)} is not in OWL 2 RL")
            return
        if isinstance(node, ox.Literal):
            return
        if self.one(node, OWL + "onDatatype") is not None:
            self.report(axiom, "a datatype restriction (owl:onDatatype) is not in OWL 2 RL")
        elif self.one(node, OWL + "datatypeComplementOf") is not None:
            self.report(axiom, "owl:datatypeComplementOf is not in OWL 2 RL")
        elif self.one(node, OWL + "oneOf") is not None:
            self.report(axiom, "a data enumeration (owl:oneOf of literals) is not in OWL 2 RL")
        elif self.one(node, OWL + "unionOf") is not None:
            self.report(axiom, "a data union (owl:unionOf of datatypes) is not in OWL 2 RL")
        else:
            head = self.one(node, OWL + "intersectionOf")
            for member in self.items(head) if head is not None else []:
                self.check_data_range(member, axiom)

    def run(self) -> list[ProfileIssue]:
        for q in self.quads:
            s, p, o = q.subject, q.predicate.value, q.object
            self.graph = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
            if isinstance(s, ox.Triple) or isinstance(o, ox.Triple):
                continue
            if p == RDFS + "subClassOf":
                axiom = f"{self.show(s)} rdfs:subClassOf {self.show(o)}"
                self.check_class(s, "subclass", axiom)
                if not (isinstance(o, ox.NamedNode) and o.value == _THING):
                    self.check_class(o, "superclass", axiom)
            elif p == OWL + "equivalentClass":
                axiom = f"{self.show(s)} owl:equivalentClass {self.show(o)}"
                self.check_class(s, "equivalent", axiom)
                self.check_class(o, "equivalent", axiom)
            elif p == OWL + "disjointWith":
                axiom = f"{self.show(s)} owl:disjointWith {self.show(o)}"
                self.check_class(s, "subclass", axiom)
                self.check_class(o, "subclass", axiom)
            elif p == OWL + "members" and self.typed(s, OWL + "AllDisjointClasses"):
                members = self.items(o)
                axiom = "owl:AllDisjointClasses (" + ", ".join(self.show(m) for m in members) + ")"
                for member in members:
                    self.check_class(member, "subclass", axiom)
            elif p == OWL + "hasKey":
                self.check_class(s, "subclass", f"{self.show(s)} owl:hasKey (...)")
            elif p == OWL + "disjointUnionOf":
                self.report(
                    f"{self.show(s)} owl:disjointUnionOf {self.show_list(o)}",
                    "owl:disjointUnionOf is not in OWL 2 RL (state owl:unionOf in subclass "
                    "position and owl:AllDisjointClasses instead)",
                )
            elif p == RDFS + "domain":
                self.check_class(o, "superclass", f"{self.show(s)} rdfs:domain {self.show(o)}")
            elif p == RDFS + "range":
                axiom = f"{self.show(s)} rdfs:range {self.show(o)}"
                if self.is_data_property(s) or self.is_data_range(o):
                    self.check_data_range(o, axiom)
                else:
                    self.check_class(o, "superclass", axiom)
            elif p == RDF + "type":
                if isinstance(o, ox.NamedNode) and o.value == OWL + "ReflexiveProperty":
                    self.report(
                        f"{self.show(s)} a owl:ReflexiveProperty",
                        "reflexive properties are not in OWL 2 RL",
                    )
                elif isinstance(o, ox.BlankNode) and not isinstance(s, ox.BlankNode):
                    axiom = f"{self.show(s)} a {self.show(o)}"
                    self.check_class(o, "superclass", axiom)
        return sorted(self.issues, key=lambda i: (i.graph, i.axiom, i.problem))

    def show_list(self, head: object) -> str:
        return "(" + ", ".join(self.show(m) for m in self.items(head)) + ")"
