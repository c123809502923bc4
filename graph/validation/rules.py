"""SPARQL rule checks, in the style of ROBOT's ``report``: each rule a named SELECT with a severity.

A rule's query selects ``?focus`` (the node the problem is about) and any variables its message
template names; rules run on pyoxigraph directly (fast: no rdflib), over the union of the graphs
being validated. Where a rule says the same thing as a SHACL shape, it lists the shape's
``(path, component)`` in ``covers`` so that :mod:`pledgegraph.graph.validation.checks` reports it once.

Dates are compared as text on purpose: a deadline's ``time:inXSDDate`` (the last day of its
period, ``YYYY-MM-DD``) sorts before an ``xsd:gYear``/``gYearMonth``/``date`` value (``YYYY``,
``YYYY-MM``, ``YYYY-MM-DD``) exactly when the deadline ends before that period starts
("2019-12-31" < "2020" but "2020-12-31" > "2020"), whatever the value's precision.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import pyoxigraph as ox

from pledgegraph.graph.formats import short
from pledgegraph.graph.query import query_scratch
from pledgegraph.ontology import PLEDGE

PROV = "http://www.w3.org/ns/prov#"
SCHEMA = "https://schema.org/"


class Severity(StrEnum):
    """How bad a problem is: only errors make a source invalid (exit code 1, load refused)."""

    ERROR = "ERROR"
    WARN = "WARN"
    INFO = "INFO"

    @property
    def rank(self) -> int:
        return {"ERROR": 0, "WARN": 1, "INFO": 2}[self.value]


@dataclass(frozen=True, slots=True)
class Rule:
    """A named SPARQL check. ``message`` is a template over the query's variables ({focus} too)."""

    name: str
    severity: Severity
    description: str
    message: str
    sparql: str
    covers: tuple[tuple[str, str], ...] = ()  # SHACL (result path, component) it duplicates


@dataclass(frozen=True, slots=True)
class RuleHit:
    """One solution of a rule: the focus node and the terms the message was made from."""

    rule: Rule
    focus: ox.NamedNode | ox.BlankNode
    message: str


_IS = "a/rdfs:subClassOf*"  # SHACL instance: rdf:type, then any rdfs:subClassOf chain

RULES: tuple[Rule, ...] = (
    Rule(
        name="pledge-without-source",
        severity=Severity.ERROR,
        description="A pledge must say which source reports it (prov:wasDerivedFrom).",
        message="pledge has no source: add prov:wasDerivedFrom <the article>",
        sparql=f"""
SELECT DISTINCT ?focus WHERE {{
  ?focus {_IS} pledge:Pledge .
  FILTER NOT EXISTS {{ ?focus prov:wasDerivedFrom ?source }}
}}""",
        covers=((PROV + "wasDerivedFrom", "MinCount"),),
    ),
    Rule(
        name="target-without-kind",
        severity=Severity.ERROR,
        description="A target must have a kind (pledge:kind, a pledge:TargetKind concept).",
        message="target has no kind: add pledge:kind kind:firms, kind:parks …",
        sparql=f"""
SELECT DISTINCT ?focus WHERE {{
  ?focus {_IS} pledge:Target .
  FILTER NOT EXISTS {{ ?focus pledge:kind ?kind }}
}}""",
        covers=((PLEDGE + "kind", "MinCount"),),
    ),
    Rule(
        name="range-min-above-max",
        severity=Severity.ERROR,
        description="A quantity range must have schema:minValue <= schema:maxValue.",
        message="the range [{min}, {max}] has its minimum above its maximum",
        sparql="""
SELECT DISTINCT ?focus ?min ?max WHERE {
  ?focus schema:minValue ?min ; schema:maxValue ?max .
  FILTER (?min > ?max)
}""",
        covers=((SCHEMA + "minValue", "LessThanOrEquals"),),
    ),
    Rule(
        name="quantity-too-large",
        severity=Severity.ERROR,
        description=(
            "A quantity's numbers have at most 15 digits, as in a fact sheet: a count, not money "
            "or an output value (larger integers do not compare as numbers in the questions)."
        ),
        message="the quantity {number} has more than the 15 digits a count may have: check the "
        "number (money and output values are not targets)",
        sparql="""
SELECT DISTINCT ?focus ?number WHERE {
  ?target pledge:quantity ?focus .
  ?focus schema:value|schema:minValue|schema:maxValue ?number .
  FILTER (REGEX(STR(?number), "^[+-]?[0-9]+$")
          && STRLEN(REPLACE(STR(?number), "^[+-]?0*", "")) > 15)
}""",
    ),
    Rule(
        name="quantity-not-an-integer",
        severity=Severity.ERROR,
        description=(
            "A quantity's number typed xsd:integer must be written as one (digits, maybe a sign): "
            "an ill-formed one sorts as text in the questions."
        ),
        message="the quantity {number} is typed xsd:integer but is not written as a whole number: "
        "write digits only, such as 12",
        sparql="""
SELECT DISTINCT ?focus ?number WHERE {
  ?target pledge:quantity ?focus .
  ?focus schema:value|schema:minValue|schema:maxValue ?number .
  FILTER (DATATYPE(?number) = xsd:integer && !REGEX(STR(?number), "^[+-]?[0-9]+$"))
}""",
    ),
    Rule(
        name="deadline-before-announcement",
        severity=Severity.ERROR,
        description="A pledge or target cannot be due before the pledge was announced.",
        message="the deadline ({end}, end of period) is before the announcement ({announced})",
        sparql="""
SELECT DISTINCT ?focus ?end ?announced WHERE {
  ?pledge a/rdfs:subClassOf* pledge:Pledge ; pledge:announced ?announced .
  { ?pledge pledge:deadline ?deadline . BIND (?pledge AS ?focus) }
  UNION
  { ?pledge pledge:hasTarget ?focus . ?focus pledge:deadline ?deadline .
    FILTER NOT EXISTS { ?pledge pledge:deadline ?deadline } }
  ?deadline time:inXSDDate ?end .
  FILTER (STR(?end) < STR(?announced))
}""",
    ),
    Rule(
        name="deadline-before-publication",
        severity=Severity.WARN,
        description="A deadline before the source was published is a past goal, not a pledge.",
        message="the deadline ({end}, end of period) is before the source was published "
        "({published}): is this a past goal rather than a pledge?",
        sparql="""
SELECT DISTINCT ?focus ?end ?published WHERE {
  ?pledge a/rdfs:subClassOf* pledge:Pledge ; prov:wasDerivedFrom ?source .
  ?source schema:datePublished ?published .
  { ?pledge pledge:deadline ?deadline . BIND (?pledge AS ?focus) }
  UNION
  { ?pledge pledge:hasTarget ?focus . ?focus pledge:deadline ?deadline .
    FILTER NOT EXISTS { ?pledge pledge:deadline ?deadline } }
  ?deadline time:inXSDDate ?end .
  FILTER (STR(?end) < STR(?published))
  FILTER NOT EXISTS {
    ?pledge pledge:announced ?announced . FILTER (STR(?end) < STR(?announced))
  }
}""",
    ),
    Rule(
        name="region-without-iso-code",
        severity=Severity.WARN,
        description="A region other than a city should have an ISO 3166 code (pledge:isoCode).",
        message="region has no ISO 3166 code (pledge:isoCode): it cannot be linked to ISO, "
        "Wikidata or GeoNames data by code",
        sparql=f"""
SELECT DISTINCT ?focus WHERE {{
  ?focus {_IS} pledge:Region .
  FILTER NOT EXISTS {{ ?focus pledge:isoCode ?code }}
  FILTER NOT EXISTS {{
    ?focus pledge:regionType ?type . FILTER (CONTAINS(LCASE(STR(?type)), "city"))
  }}
}}""",
    ),
    Rule(
        name="city-without-iso-code",
        severity=Severity.INFO,
        description="Cities have no ISO 3166 code; they are placed by pledge:partOf.",
        message="city has no ISO 3166 code (ISO 3166 codes no cities); it is placed by "
        "pledge:partOf {parent}",
        sparql=f"""
SELECT ?focus (SAMPLE(?part) AS ?parent) WHERE {{
  ?focus {_IS} pledge:Region ; pledge:regionType ?type .
  FILTER (CONTAINS(LCASE(STR(?type)), "city"))
  FILTER NOT EXISTS {{ ?focus pledge:isoCode ?code }}
  OPTIONAL {{ ?focus pledge:partOf ?part }}
}} GROUP BY ?focus""",
    ),
    Rule(
        name="region-without-parent",
        severity=Severity.WARN,
        description="A region that is not a country should be part of one (pledge:partOf).",
        message="region is not a country and is not part of another region (no pledge:partOf): "
        "questions by country or province will miss it",
        sparql=f"""
SELECT DISTINCT ?focus WHERE {{
  ?focus {_IS} pledge:Region .
  FILTER NOT EXISTS {{ ?focus pledge:partOf ?parent }}
  FILTER NOT EXISTS {{
    ?focus pledge:regionType ?type . FILTER (LCASE(STR(?type)) = "country")
  }}
  FILTER NOT EXISTS {{ ?focus pledge:isoCode ?code . FILTER (!CONTAINS(STR(?code), "-")) }}
}}""",
    ),
    Rule(
        name="duplicate-target",
        severity=Severity.WARN,
        description="Two targets of one pledge with the same kind, quantity, deadline and "
        "qualifier (and, when neither has a number or the kind is other, the same "
        "description, in any case) are one target entered twice.",
        message="same kind, quantity and deadline as {other} in the same pledge",
        sparql="""
SELECT ?focus (MIN(?twin) AS ?other) WHERE {
  # Candidate pairs first: targets of one pledge that share a coarse key (kind, numeric
  # value, deadline), found by hash-joining two sub-selects: linear in the targets of a pledge,
  # where pairing every target with every other was quadratic (issue 9: 4,000 targets took
  # 282 s). Every pair the exact tests below accept shares the key, so the answers are the
  # same. The outer COALESCE keeps ?key always bound (Oxigraph hashes only on variables it
  # knows are bound), and the kind is compared per pair (a join on it would pair all again).
  { SELECT ?focus ?twin WHERE {
    { SELECT ?pledge ?focus ?key WHERE {
        ?pledge pledge:hasTarget ?focus . ?focus pledge:kind ?k0 .
        OPTIONAL { ?focus pledge:quantity/schema:value ?v0 }
        OPTIONAL { ?focus pledge:deadline ?d0 }
        BIND (COALESCE(CONCAT(STR(?k0), "|", COALESCE(STR(xsd:double(?v0)), STR(?v0), ""),
                              "|", COALESCE(STR(?d0), "")), "") AS ?key) } }
    { SELECT ?pledge ?twin ?key WHERE {
        ?pledge pledge:hasTarget ?twin . ?twin pledge:kind ?k0 .
        OPTIONAL { ?twin pledge:quantity/schema:value ?v0 }
        OPTIONAL { ?twin pledge:deadline ?d0 }
        BIND (COALESCE(CONCAT(STR(?k0), "|", COALESCE(STR(xsd:double(?v0)), STR(?v0), ""),
                              "|", COALESCE(STR(?d0), "")), "") AS ?key) } }
    FILTER (STR(?twin) < STR(?focus))  # report the later of two, once
  } }
  ?focus pledge:kind ?kind . FILTER EXISTS { ?twin pledge:kind ?kind }
  OPTIONAL {
    ?focus pledge:quantity ?q1 .
    OPTIONAL { ?q1 schema:value ?v1 }       OPTIONAL { ?q1 schema:minValue ?min1 }
    OPTIONAL { ?q1 schema:maxValue ?max1 }  OPTIONAL { ?q1 pledge:approximate ?a1 }
    OPTIONAL { ?q1 pledge:bound ?b1 }
  }
  OPTIONAL {
    ?twin pledge:quantity ?q2 .
    OPTIONAL { ?q2 schema:value ?v2 }       OPTIONAL { ?q2 schema:minValue ?min2 }
    OPTIONAL { ?q2 schema:maxValue ?max2 }  OPTIONAL { ?q2 pledge:approximate ?a2 }
    OPTIONAL { ?q2 pledge:bound ?b2 }
  }
  FILTER (BOUND(?q1) = BOUND(?q2))
  OPTIONAL { ?focus pledge:deadline ?d1 } OPTIONAL { ?twin pledge:deadline ?d2 }
  OPTIONAL { ?focus pledge:qualifier ?l1 } OPTIONAL { ?twin pledge:qualifier ?l2 }
  OPTIONAL { ?focus schema:description ?t1 } OPTIONAL { ?twin schema:description ?t2 }
  FILTER (COALESCE(?v1 = ?v2, !BOUND(?v1) && !BOUND(?v2)))
  FILTER (COALESCE(?min1 = ?min2, !BOUND(?min1) && !BOUND(?min2)))
  FILTER (COALESCE(?max1 = ?max2, !BOUND(?max1) && !BOUND(?max2)))
  FILTER (COALESCE(?a1 = ?a2, !BOUND(?a1) && !BOUND(?a2)))
  FILTER (COALESCE(?b1 = ?b2, !BOUND(?b1) && !BOUND(?b2)))
  FILTER (COALESCE(?d1 = ?d2, !BOUND(?d1) && !BOUND(?d2)))
  FILTER (COALESCE(sameTerm(?l1, ?l2), !BOUND(?l1) && !BOUND(?l2)))
  # (kind other counts different things by their descriptions: "two schools" and "two
  # libraries" are two targets, numbers or not)
  FILTER ((BOUND(?q1) && !sameTerm(?kind, <https://w3id.org/pledgegraph/kind/other>))
          || COALESCE(LCASE(STR(?t1)) = LCASE(STR(?t2)), !BOUND(?t1) && !BOUND(?t2)))
} GROUP BY ?focus""",
    ),
    Rule(
        name="approximate-with-bound",
        severity=Severity.WARN,
        description="A quantity that is both approximate and bounded ('at least about 10') "
        "is usually a misreading: keep the one the source means.",
        message="quantity is both approximate and bounded ({bound}): keep the one the source means",
        sparql="""
SELECT DISTINCT ?focus ?bound WHERE {
  ?focus pledge:approximate true ; pledge:bound ?bound .
}""",
    ),
    Rule(
        name="authority-outside-region",
        severity=Severity.WARN,
        description="A pledge's authority should govern the pledge's region or a region "
        "containing it.",
        message="the authority {authority} governs neither {region} nor a region containing it",
        sparql="""
SELECT DISTINCT ?focus ?authority ?region WHERE {
  ?focus pledge:region ?region ; pledge:pledgedBy ?authority .
  ?authority pledge:governs ?governed .
  FILTER NOT EXISTS { ?authority pledge:governs ?area . ?region pledge:partOf* ?area }
}""",
    ),
    Rule(
        name="quote-does-not-match-span",
        severity=Severity.ERROR,
        description="An evidence quote must be as long as its span (end - start): otherwise the "
        "offsets point into another text.",
        message="the quoted text has {length} characters but the span [{start}, {end}] has "
        "{width}: the offsets point into another text",
        sparql="""
SELECT DISTINCT ?focus ?start ?end ?length ?width WHERE {
  ?resource oa:hasSelector ?focus , ?quote .
  ?focus oa:start ?start ; oa:end ?end .
  ?quote oa:exact ?exact .
  BIND (STRLEN(?exact) AS ?length)
  BIND (?end - ?start AS ?width)
  FILTER (?length != ?width)
}""",
    ),
    Rule(
        name="span-without-text-hash",
        severity=Severity.INFO,
        description="Span offsets can be checked only against a known text: give the source "
        "a pledge:textSha256.",
        message="{spans} evidence span(s) point into this source's text, but it has no "
        "pledge:textSha256 (text_sha256) saying which text",
        sparql="""
SELECT ?focus (COUNT(DISTINCT ?selector) AS ?spans) WHERE {
  ?resource oa:hasSource ?focus ; oa:hasSelector ?selector .
  ?selector oa:start ?start .
  FILTER NOT EXISTS { ?focus pledge:textSha256 ?hash }
} GROUP BY ?focus""",
    ),
    Rule(
        name="low-confidence",
        severity=Severity.INFO,
        description="The extractor was unsure of this target (pledge:confidence < 0.5).",
        message="the extractor's confidence is {confidence} (< 0.5): check the target "
        "against the source",
        sparql="""
SELECT DISTINCT ?focus ?confidence WHERE {
  ?focus pledge:confidence ?confidence .
  FILTER (?confidence < 0.5)
}""",
    ),
    Rule(
        name="source-without-pledges",
        severity=Severity.INFO,
        description="A source from which no pledge is derived adds nothing to answers.",
        message="no pledge is derived from this source",
        sparql=f"""
SELECT DISTINCT ?focus WHERE {{
  ?focus {_IS} schema:NewsArticle .
  FILTER NOT EXISTS {{ ?pledge prov:wasDerivedFrom ?focus }}
}}""",
    ),
)


def rule_named(name: str) -> Rule:
    """The rule called ``name``; ``KeyError`` if there is none."""
    for rule in RULES:
        if rule.name == name:
            return rule
    raise KeyError(name)


def _text(term: object) -> str:
    if term is None:
        return "?"
    assert isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple)
    return short(term)


def run_rules(
    store: ox.Store,
    *,
    default_graph: Sequence[ox.NamedNode] | None = None,
    rules: Sequence[Rule] = RULES,
) -> list[RuleHit]:
    """Run the rules over ``default_graph`` (default: the union of all graphs of ``store``)."""
    hits: list[RuleHit] = []
    for rule in rules:
        solutions = query_scratch(  # the one guard every SPARQL text goes through
            store, rule.sparql, default_graph=default_graph, where=f"rule {rule.name}", own=True
        )
        assert isinstance(solutions, ox.QuerySolutions)
        names = [v.value for v in solutions.variables]
        for solution in solutions:
            focus = solution["focus"]
            if not isinstance(focus, ox.NamedNode | ox.BlankNode):
                continue  # a literal cannot be a focus node (only ill-formed data gets here)
            values = {name: _text(solution[name]) for name in names}
            hits.append(RuleHit(rule, focus, rule.message.format(**values)))
    return hits
