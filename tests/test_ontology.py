"""Checks of the bundled vocabulary files: pledge.ttl, shapes.ttl and context.jsonld.

The sample data below follows docs/data-model.md; the SHACL and JSON-LD tests use it.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files

import pyoxigraph
import pytest
import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from pledgegraph.graph.reasoning.profile import RL_DATATYPES
from pledgegraph.loaders.factsheet import SECTORS
from pledgegraph.ontology import (
    KIND,
    ONTOLOGY_IRI,
    ONTOLOGY_VERSION,
    ONTOLOGY_VERSION_IRI,
    PLEDGE,
    PREFIXES,
    SECTOR,
    TARGET_KINDS,
)

P = rdflib.Namespace(PLEDGE)
SCHEMA = rdflib.Namespace("https://schema.org/")
XSD = rdflib.Namespace("http://www.w3.org/2001/XMLSchema#")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
TIME = rdflib.Namespace("http://www.w3.org/2006/time#")
ORG = rdflib.Namespace("http://www.w3.org/ns/org#")
VANN = rdflib.Namespace("http://purl.org/vocab/vann/")
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
OWLRL_ERROR = URIRef("http://www.daml.org/2002/03/agents/agent-ont#error")
ONTOLOGY = URIRef(ONTOLOGY_IRI)

CLASSES = {"Region", "Authority", "Pledge", "Target", "Deadline", "TargetKind", "Sector", "Bound"}
OBJECT_PROPERTIES = {
    "partOf",
    "hasPart",
    "governs",
    "governedBy",
    "pledgedBy",
    "region",
    "hasTarget",
    "targetOf",
    "kind",
    "quantity",
    "deadline",
    "sector",
    "bound",
    "reportedVia",
}
DATATYPE_PROPERTIES = {
    "isoCode",
    "regionType",
    "plan",
    "announced",
    "qualifier",
    "approximate",
    "year",
    "confidence",
    "textSha256",
    "row",
    "rowYear",
    "rowPrecision",
}
OTHER_TERMS = {"AtLeast", "UpTo", "TargetKindScheme", "SectorScheme"}

SAMPLE = """\
@base <https://w3id.org/pledgegraph/id/> .
@prefix pledge: <https://w3id.org/pledgegraph/ontology#> .
@prefix kind: <https://w3id.org/pledgegraph/kind/> .
@prefix sector: <https://w3id.org/pledgegraph/sector/> .
@prefix schema: <https://schema.org/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<region/CN-HE> a pledge:Region ; rdfs:label "Hebei"@en, "河北省"@zh ;
    pledge:isoCode "CN-HE" ;
    pledge:regionType "Province" ;
    pledge:partOf <region/CN> .
<region/CN> a pledge:Region ; rdfs:label "China"@en, "中国"@zh ;
    pledge:isoCode "CN" ;
    pledge:regionType "Country" .
<deadline/2022> a pledge:Deadline ; rdfs:label "by end of 2022" ;
    time:inXSDgYear "2022"^^xsd:gYear ;
    time:inXSDDate "2022-12-31"^^xsd:date ;
    pledge:year 2022 .

<source/demo> a schema:NewsArticle ;
    schema:headline "A made-up headline" ;
    schema:url <https://example.org/news/123> ;
    schema:publisher <organization/example-news> ;
    schema:datePublished "2020-08-20"^^xsd:date ;
    pledge:reportedVia <organization/example-wire> ;
    pledge:textSha256 "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" .
<organization/example-news> a schema:Organization ; schema:name "Example News" .
<organization/example-wire> a schema:Organization ; schema:name "Example Wire" .
<authority/cn-he-provincial-government> a pledge:Authority ;
    rdfs:label "Hebei Provincial Government"@en ;
    pledge:governs <region/CN-HE> .

<pledge/demo/1> a pledge:Pledge ;
    pledge:pledgedBy <authority/cn-he-provincial-government> ;
    pledge:region <region/CN-HE> ;
    pledge:plan "A made-up plan" ;
    schema:description "Our own summary."@en ;
    pledge:announced "2020-08"^^xsd:gYearMonth ;
    pledge:deadline <deadline/2022> ;
    pledge:sector sector:blockchain ;
    pledge:hasTarget <pledge/demo/1/target/1> ;
    pledge:hasTarget <pledge/demo/1/target/2> ;
    prov:wasDerivedFrom <source/demo> .

<pledge/demo/1/target/1> a pledge:Target ;
    pledge:kind kind:firms ;
    pledge:quantity <pledge/demo/1/target/1/quantity> ;
    pledge:qualifier "leading" ;
    pledge:sector sector:blockchain ;
    pledge:deadline <deadline/2022> ;
    pledge:confidence 0.9 ;
    prov:wasDerivedFrom <source/demo> .
<pledge/demo/1/target/1/quantity> a schema:QuantitativeValue ;
    schema:value 20 ;
    pledge:approximate false ;
    pledge:bound pledge:AtLeast ;
    rdfs:label "≥ 20" .

<pledge/demo/1/target/2> a pledge:Target ;
    pledge:kind kind:parks ;
    pledge:quantity <pledge/demo/1/target/2/quantity> ;
    pledge:sector sector:blockchain ;
    pledge:deadline <deadline/2022> ;
    prov:wasDerivedFrom <source/demo> .
<pledge/demo/1/target/2/quantity> a schema:QuantitativeValue ;
    schema:minValue 1 ;
    schema:maxValue 3 ;
    pledge:approximate true ;
    rdfs:label "1–3" .

<pledge/demo/1/target/1/evidence> a oa:Annotation ;
    oa:motivatedBy oa:identifying ;
    oa:hasBody <pledge/demo/1/target/1> ;
    oa:hasTarget <pledge/demo/1/target/1/evidence/target> .
<pledge/demo/1/target/1/evidence/target> a oa:SpecificResource ;
    oa:hasSource <source/demo> ;
    oa:hasSelector <pledge/demo/1/target/1/evidence/position> .
<pledge/demo/1/target/1/evidence/position> a oa:TextPositionSelector ;
    oa:start "120"^^xsd:nonNegativeInteger ;
    oa:end "171"^^xsd:nonNegativeInteger .
"""


# ---------------------------------------------------------------- helpers


def _text(name: str) -> str:
    return files("pledgegraph.ontology").joinpath(name).read_text(encoding="utf-8")


@cache
def _graph(name: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=_text(name), format="turtle")


def _onto() -> rdflib.Graph:
    return _graph("pledge.ttl")


def _shapes() -> rdflib.Graph:
    return _graph("shapes.ttl")


def _context() -> dict[str, object]:
    ctx = json.loads(_text("context.jsonld"))["@context"]
    assert isinstance(ctx, dict)
    return ctx


def _sample(text: str = SAMPLE) -> rdflib.Graph:
    return rdflib.Graph().parse(data=text, format="turtle")


def _pledge_terms(g: rdflib.Graph) -> set[str]:
    return {
        str(s)[len(PLEDGE) :]
        for s in set(g.subjects())
        if isinstance(s, URIRef) and str(s).startswith(PLEDGE)
    }


def _langs(g: rdflib.Graph, s: URIRef, p: URIRef) -> list[str | None]:
    return [o.language for o in g.objects(s, p) if isinstance(o, Literal)]


def _concepts(scheme: URIRef) -> list[URIRef]:
    g = _onto()
    return [c for c in g.subjects(SKOS.inScheme, scheme) if isinstance(c, URIRef)]


# ---------------------------------------------------------------- parsing


def _ttl_names() -> list[str]:
    return sorted(
        f.name for f in files("pledgegraph.ontology").iterdir() if f.name.endswith(".ttl")
    )


def test_bundled_turtle_files_present() -> None:
    assert {"pledge.ttl", "shapes.ttl"} <= set(_ttl_names())


@pytest.mark.parametrize("name", _ttl_names())
def test_turtle_parses_with_rdflib_and_pyoxigraph(name: str) -> None:
    g = _graph(name)
    assert len(g) > 50
    quads = list(pyoxigraph.parse(_text(name), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(set(quads)) == len(g)
    # Same triples apart from blank node labels.
    nt = "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)
    assert isomorphic(g, rdflib.Graph().parse(data=nt, format="nt"))


# ---------------------------------------------------------------- ontology header and terms


def test_ontology_header() -> None:
    g = _onto()
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in g
    assert set(g.objects(ONTOLOGY, OWL.versionIRI)) == {URIRef(ONTOLOGY_VERSION_IRI)}
    assert {str(v) for v in g.objects(ONTOLOGY, OWL.versionInfo)} == {ONTOLOGY_VERSION}
    assert set(g.objects(ONTOLOGY, DCTERMS.license)) == {
        URIRef("https://creativecommons.org/licenses/by/4.0/")
    }
    assert {str(v) for v in g.objects(ONTOLOGY, VANN.preferredNamespacePrefix)} == {"pledge"}
    assert {str(v) for v in g.objects(ONTOLOGY, VANN.preferredNamespaceUri)} == {PLEDGE}
    assert {str(v) for v in g.objects(ONTOLOGY, DCTERMS.creator)} == {"pledgegraph contributors"}
    assert "en" in _langs(g, ONTOLOGY, DCTERMS.title)
    assert "en" in _langs(g, ONTOLOGY, DCTERMS.description)


def test_pledge_terms_are_exactly_the_documented_ones() -> None:
    g = _onto()
    assert _pledge_terms(g) == CLASSES | OBJECT_PROPERTIES | DATATYPE_PROPERTIES | OTHER_TERMS
    assert {t for t in CLASSES if (P[t], RDF.type, OWL.Class) in g} == CLASSES
    for t in OBJECT_PROPERTIES:
        assert (P[t], RDF.type, OWL.ObjectProperty) in g, t
        assert (P[t], RDF.type, OWL.DatatypeProperty) not in g, t
    for t in DATATYPE_PROPERTIES:
        assert (P[t], RDF.type, OWL.DatatypeProperty) in g, t
        assert (P[t], RDF.type, OWL.ObjectProperty) not in g, t
    for t in ("AtLeast", "UpTo"):
        assert (P[t], RDF.type, P.Bound) in g
    for t in ("TargetKindScheme", "SectorScheme"):
        assert (P[t], RDF.type, SKOS.ConceptScheme) in g


def test_every_term_has_english_label_definition_and_is_defined_by() -> None:
    g = _onto()
    for t in sorted(CLASSES | OBJECT_PROPERTIES | DATATYPE_PROPERTIES | OTHER_TERMS):
        s = P[t]
        assert _langs(g, s, RDFS.label).count("en") == 1, f"{t}: one English rdfs:label"
        assert _langs(g, s, RDFS.label).count("zh") <= 1, f"{t}: at most one Chinese label"
        assert _langs(g, s, SKOS.definition).count("en") == 1, f"{t}: one English definition"
        assert set(g.objects(s, RDFS.isDefinedBy)) == {ONTOLOGY}, t


def test_alignment_with_external_vocabularies() -> None:
    g = _onto()
    expected_sub = {
        (P.Region, SCHEMA.AdministrativeArea),
        (P.Authority, ORG.Organization),
        (P.Authority, SCHEMA.GovernmentOrganization),
        (P.Pledge, PROV.Entity),
        (P.Deadline, TIME.Instant),
        (P.TargetKind, SKOS.Concept),
        (P.Sector, SKOS.Concept),
    }
    for sub, sup in expected_sub:
        assert (sub, RDFS.subClassOf, sup) in g, (sub, sup)
    assert (P.partOf, RDF.type, OWL.TransitiveProperty) in g
    assert (P.partOf, RDFS.subPropertyOf, SCHEMA.containedInPlace) in g
    assert (P.pledgedBy, RDFS.subPropertyOf, PROV.wasAttributedTo) in g
    assert (P.hasPart, OWL.inverseOf, P.partOf) in g
    assert (P.governedBy, OWL.inverseOf, P.governs) in g
    assert (P.targetOf, OWL.inverseOf, P.hasTarget) in g


@pytest.mark.parametrize(
    ("prop", "domain", "range_"),
    [
        (P.partOf, P.Region, P.Region),
        (P.hasPart, P.Region, P.Region),
        (P.governs, P.Authority, P.Region),
        (P.governedBy, P.Region, P.Authority),
        (P.pledgedBy, P.Pledge, P.Authority),
        (P.region, P.Pledge, P.Region),
        (P.hasTarget, P.Pledge, P.Target),
        (P.targetOf, P.Target, P.Pledge),
        (P.kind, P.Target, P.TargetKind),
        (P.quantity, P.Target, SCHEMA.QuantitativeValue),
        (P.deadline, None, P.Deadline),
        (P.sector, None, P.Sector),
        (P.bound, SCHEMA.QuantitativeValue, P.Bound),
        (P.isoCode, P.Region, XSD.string),
        (P.year, P.Deadline, XSD.integer),
        (P.approximate, SCHEMA.QuantitativeValue, XSD.boolean),
        (P.confidence, P.Target, XSD.decimal),
        (P.announced, P.Pledge, RDFS.Literal),
    ],
)
def test_domain_and_range(prop: URIRef, domain: URIRef | None, range_: URIRef) -> None:
    g = _onto()
    assert set(g.objects(prop, RDFS.domain)) == ({domain} if domain else set())
    assert set(g.objects(prop, RDFS.range)) == {range_}


# ---------------------------------------------------------------- concept schemes


def _check_scheme(scheme: URIRef, base: str, cls: URIRef, notations: tuple[str, ...]) -> None:
    g = _onto()
    concepts = _concepts(scheme)
    found = sorted(str(n) for c in concepts for n in g.objects(c, SKOS.notation))
    assert found == sorted(notations)
    assert set(g.objects(scheme, SKOS.hasTopConcept)) == set(concepts)
    for c in concepts:
        (notation,) = g.objects(c, SKOS.notation)
        assert c == URIRef(base + str(notation))
        assert (c, RDF.type, cls) in g and (c, RDF.type, SKOS.Concept) in g
        assert (c, SKOS.topConceptOf, scheme) in g
        assert sorted(_langs(g, c, SKOS.prefLabel)) == ["en", "zh"], c
        assert _langs(g, c, SKOS.definition) == ["en"], c
        assert "en" in _langs(g, c, SKOS.altLabel) or "zh" in _langs(g, c, SKOS.altLabel), c
    # SKOS: preferred and alternative labels are disjoint; no label names two concepts.
    owner: dict[tuple[str, str | None], URIRef] = {}
    for c in concepts:
        for p in (SKOS.prefLabel, SKOS.altLabel):
            for lab in g.objects(c, p):
                assert isinstance(lab, Literal)
                key = (str(lab).casefold(), lab.language)
                assert owner.setdefault(key, c) == c, f"{lab!r} labels {owner[key]} and {c}"
        assert not set(g.objects(c, SKOS.prefLabel)) & set(g.objects(c, SKOS.altLabel))


def test_target_kind_scheme_matches_target_kinds() -> None:
    _check_scheme(P.TargetKindScheme, KIND, P.TargetKind, TARGET_KINDS)


def test_sector_scheme() -> None:
    _check_scheme(P.SectorScheme, SECTOR, P.Sector, SECTORS)


@pytest.mark.parametrize(
    ("notation", "labels"),
    [
        ("firms", {"firm", "company", "companies", "enterprise", "startup", "leading enterprise"}),
        (
            "parks",
            {
                "industrial park",
                "tech park",
                "cluster",
                "pilot zone",
                "innovation hub",
                "incubator",
            },
        ),
        ("applications", {"application", "use case", "pilot project", "solution", "app"}),
        ("funds", {"fund", "guidance fund", "venture fund"}),
        ("talent", {"talent programme", "talent program", "training centre", "training center"}),
        ("alliances", {"alliance", "consortium", "consortia", "association"}),
        ("research_centres", {"research centre", "research center", "laboratory", "laboratories"}),
        ("platforms", {"platform", "public service platform", "BaaS", "infrastructure"}),
        ("standards", {"standard", "technical standard", "specification"}),
    ],
)
def test_target_kind_alt_labels_for_the_extractor(notation: str, labels: set[str]) -> None:
    g = _onto()
    alt = {str(o) for o in g.objects(URIRef(KIND + notation), SKOS.altLabel) if o.language == "en"}
    assert labels <= alt, labels - alt
    assert len(alt) >= 3 or notation == "brands"


# ---------------------------------------------------------------- OWL 2 RL profile


def test_stays_inside_owl2_rl() -> None:
    g = _onto()
    # Constructs that OWL 2 RL never allows, whatever their position.
    for p in (
        OWL.disjointUnionOf,
        OWL.hasSelf,
        OWL.cardinality,
        OWL.qualifiedCardinality,
        OWL.minCardinality,
        OWL.minQualifiedCardinality,
        OWL.imports,
    ):
        assert not list(g.triples((None, p, None))), p
    assert not list(g.triples((None, RDF.type, OWL.ReflexiveProperty)))
    for p in (OWL.maxCardinality, OWL.maxQualifiedCardinality):
        assert all(int(v) in (0, 1) for v in g.objects(None, p)), p
    # Superclass positions: no existentials, unions, enumerations or complements.
    superclass_positions = [o for _, o in g.subject_objects(RDFS.subClassOf)]
    superclass_positions += [o for _, o in g.subject_objects(OWL.equivalentClass)]
    superclass_positions += [o for _, o in g.subject_objects(RDFS.domain)]
    superclass_positions += [
        o for s, o in g.subject_objects(RDFS.range) if (s, RDF.type, OWL.ObjectProperty) in g
    ]
    for o in superclass_positions:
        if isinstance(o, BNode):
            for p in (OWL.unionOf, OWL.someValuesFrom, OWL.oneOf, OWL.complementOf):
                assert (o, p, None) not in g, (o, p)
        else:
            assert (o, RDF.type, OWL.Class) in g, f"{o} is used as a class but not declared"
    # Data ranges: only the RL datatypes.
    for s in g.subjects(RDF.type, OWL.DatatypeProperty):
        for r in g.objects(s, RDFS.range):
            assert str(r) in RL_DATATYPES, (s, r)  # OWL 2 Profiles, section 4.3
    # OWL 2 DL typing: transitive and inverse properties are object properties.
    for s in g.subjects(RDF.type, OWL.TransitiveProperty):
        assert (s, RDF.type, OWL.ObjectProperty) in g
    for s, o in g.subject_objects(OWL.inverseOf):
        assert (s, RDF.type, OWL.ObjectProperty) in g and (o, RDF.type, OWL.ObjectProperty) in g
    for o in g.objects(None, RDFS.subPropertyOf):
        assert (o, RDF.type, OWL.ObjectProperty) in g or (o, RDF.type, OWL.DatatypeProperty) in g


def test_owl_rl_closure_gives_the_expected_entailments() -> None:
    owlrl = pytest.importorskip("owlrl")
    g = rdflib.Graph()
    g += _onto()
    g += _sample()
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
    assert not list(g.objects(None, OWLRL_ERROR))
    pgid = rdflib.Namespace("https://w3id.org/pledgegraph/id/")
    assert (pgid["region/CN"], P.hasPart, pgid["region/CN-HE"]) in g
    assert (pgid["region/CN-HE"], SCHEMA.containedInPlace, pgid["region/CN"]) in g
    assert (pgid["region/CN-HE"], RDF.type, SCHEMA.AdministrativeArea) in g
    assert (pgid["region/CN-HE"], P.governedBy, pgid["authority/cn-he-provincial-government"]) in g
    assert (pgid["authority/cn-he-provincial-government"], RDF.type, ORG.Organization) in g
    assert (
        pgid["pledge/demo/1"],
        PROV.wasAttributedTo,
        pgid["authority/cn-he-provincial-government"],
    ) in g
    assert (pgid["pledge/demo/1/target/2"], P.targetOf, pgid["pledge/demo/1"]) in g
    assert (pgid["deadline/2022"], RDF.type, TIME.Instant) in g


def test_owl_rl_closure_detects_disjoint_classes() -> None:
    owlrl = pytest.importorskip("owlrl")
    g = rdflib.Graph()
    g += _onto()
    g += _sample()
    g.add((URIRef("https://w3id.org/pledgegraph/id/region/CN"), RDF.type, P.Pledge))
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
    assert list(g.objects(None, OWLRL_ERROR))


# ---------------------------------------------------------------- SHACL shapes


def _validate(data: rdflib.Graph) -> tuple[bool, rdflib.Graph]:
    pyshacl = pytest.importorskip("pyshacl")
    union = rdflib.Graph()
    union += _onto()
    union += data
    conforms, report, _ = pyshacl.validate(union, shacl_graph=_shapes())
    return bool(conforms), report


def test_shapes_graph_is_valid_shacl() -> None:
    pyshacl = pytest.importorskip("pyshacl")
    conforms, _, text = pyshacl.validate(rdflib.Graph(), shacl_graph=_shapes(), meta_shacl=True)
    assert conforms, text
    shapes = _shapes()
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
    assert len(node_shapes) >= 7
    targets = {o for s in node_shapes for o in shapes.objects(s, SH.targetClass)}
    assert {
        P.Pledge,
        P.Target,
        SCHEMA.QuantitativeValue,
        P.Deadline,
        P.Region,
        SCHEMA.NewsArticle,
        P.Authority,
    } <= targets
    for s in node_shapes:
        assert list(shapes.objects(s, SH.name)), s
        for ps in shapes.objects(s, SH.property):
            assert list(shapes.objects(ps, SH.name)), (s, ps)
            assert [m.language for m in shapes.objects(ps, SH.message)] == ["en"], (s, ps)


def test_sample_data_conforms() -> None:
    conforms, report = _validate(_sample())
    assert conforms, report.serialize(format="turtle")


def test_ontology_itself_conforms() -> None:
    # The concept schemes are data too: TargetKind and Sector shapes check them.
    conforms, report = _validate(rdflib.Graph())
    assert conforms, report.serialize(format="turtle")


@pytest.mark.parametrize(
    ("old", "new", "component"),
    [
        ("    pledge:region <region/CN-HE> ;\n", "", "MinCountConstraintComponent"),
        (
            "    pledge:region <region/CN-HE> ;\n",
            "    pledge:region <region/CN-HE>, <region/CN> ;\n",
            "MaxCountConstraintComponent",
        ),
        (
            "    pledge:hasTarget <pledge/demo/1/target/1> ;\n"
            "    pledge:hasTarget <pledge/demo/1/target/2> ;\n",
            "",
            "MinCountConstraintComponent",
        ),
        ("    pledge:kind kind:parks ;", "    pledge:kind sector:ai ;", "ClassConstraintComponent"),
        (
            "    schema:value 20 ;",
            "    schema:value 20 ; schema:minValue 1 ;",
            "XoneConstraintComponent",
        ),
        (
            "    schema:maxValue 3 ;",
            "    schema:maxValue 0 ;",
            "LessThanOrEqualsConstraintComponent",
        ),
        ("    schema:value 20 ;", "    schema:value -20 ;", "MinInclusiveConstraintComponent"),
        ("    pledge:approximate true ;", "", "MinCountConstraintComponent"),
        (
            "    pledge:bound pledge:AtLeast ;",
            "    pledge:bound pledge:Exactly ;",
            "InConstraintComponent",
        ),
        (
            "    pledge:confidence 0.9 ;",
            "    pledge:confidence 1.5 ;",
            "MaxInclusiveConstraintComponent",
        ),
        (
            "    pledge:confidence 0.9 ;",
            '    pledge:confidence "0.9"^^xsd:double ;',
            "DatatypeConstraintComponent",
        ),
        ("    pledge:year 2022 .", "    pledge:year 2023 .", "SPARQLConstraintComponent"),
        (
            '    time:inXSDgYear "2022"^^xsd:gYear ;',
            '    time:inXSDgYear "2023"^^xsd:gYear ;',
            "SPARQLConstraintComponent",
        ),
        (
            '    time:inXSDgYear "2022"^^xsd:gYear ;',
            '    time:inXSDgYear "2022Z"^^xsd:gYear ;',
            "SPARQLConstraintComponent",
        ),
        ('    time:inXSDgYear "2022"^^xsd:gYear ;\n', "", "MinCountConstraintComponent"),
        (
            '    pledge:isoCode "CN-HE" ;',
            '    pledge:isoCode "cn-he" ;',
            "PatternConstraintComponent",
        ),
        (
            '    pledge:announced "2020-08"^^xsd:gYearMonth ;',
            '    pledge:announced "August 2020" ;',
            "OrConstraintComponent",
        ),
        ("    schema:url <https://example.org/news/123> ;\n", "", "MinCountConstraintComponent"),
        ('    schema:headline "A made-up headline" ;\n', "", "OrConstraintComponent"),
        (
            "    pledge:governs <region/CN-HE> .",
            '    rdfs:comment "governs nothing" .',
            "MinCountConstraintComponent",
        ),
        (
            '    oa:start "120"^^xsd:nonNegativeInteger ;',
            '    oa:start "200"^^xsd:nonNegativeInteger ;',
            "LessThanOrEqualsConstraintComponent",
        ),
        (
            '    oa:start "120"^^xsd:nonNegativeInteger ;',
            '    oa:start "120"^^xsd:decimal ;',
            "OrConstraintComponent",
        ),
    ],
)
def test_shapes_reject_broken_data(old: str, new: str, component: str) -> None:
    assert SAMPLE.count(old) == 1, old
    conforms, report = _validate(_sample(SAMPLE.replace(old, new)))
    assert not conforms
    found = {str(o).rsplit("#", 1)[-1] for o in report.objects(None, SH.sourceConstraintComponent)}
    assert component in found, found


def test_shapes_and_context_only_use_defined_pledge_terms() -> None:
    defined = _pledge_terms(_onto())
    used_in_shapes = {
        str(t)[len(PLEDGE) :]
        for triple in _shapes()
        for t in triple
        if isinstance(t, URIRef) and str(t).startswith(PLEDGE)
    }
    assert used_in_shapes <= defined, used_in_shapes - defined
    ctx = _context()
    used_in_context = set()
    for v in ctx.values():
        iri = v["@id"] if isinstance(v, dict) else v
        if isinstance(iri, str) and iri.startswith("pledge:"):
            used_in_context.add(iri.removeprefix("pledge:"))
    assert used_in_context == defined


# ---------------------------------------------------------------- JSON-LD context


def test_context_is_valid_json_without_duplicate_terms() -> None:
    def no_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
        keys = [k for k, _ in pairs]
        assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)
        return dict(pairs)

    doc = json.loads(_text("context.jsonld"), object_pairs_hook=no_duplicates)
    assert list(doc) == ["@context"]
    ctx = doc["@context"]
    # No two terms share an IRI and coercion: compaction would have to pick one at random.
    seen: dict[str, str] = {}
    for k, v in ctx.items():
        if k.startswith("@"):
            continue
        key = json.dumps(v if isinstance(v, dict) else {"@id": v}, sort_keys=True)
        assert key not in seen, f"{k} and {seen[key]} are the same term"
        seen[key] = k


def test_context_prefixes_equal_prefixes() -> None:
    ctx = _context()
    prefixes = {
        k: v
        for k, v in ctx.items()
        if isinstance(v, str) and not k.startswith("@") and v.endswith(("/", "#"))
    }
    assert prefixes == PREFIXES
    # Every other term expands through one of those prefixes (or is a keyword alias).
    for k, v in ctx.items():
        if k.startswith("@") or k in PREFIXES:
            continue
        iri = v["@id"] if isinstance(v, dict) else v
        assert isinstance(iri, str) and iri.split(":", 1)[0] in PREFIXES, (k, v)
        if isinstance(v, dict) and "@type" in v:
            t = v["@type"]
            assert t in ("@id", "@vocab") or t.split(":", 1)[0] in PREFIXES, (k, v)


def test_context_has_expected_terms() -> None:
    ctx = _context()
    assert ctx["Pledge"] == "pledge:Pledge"
    assert ctx["region"] == {"@id": "pledge:region", "@type": "@id"}
    assert ctx["hasTarget"] == {"@id": "pledge:hasTarget", "@type": "@id", "@container": "@set"}
    assert ctx["year"] == "pledge:year"  # native JSON number
    assert ctx["approximate"] == "pledge:approximate"  # native JSON boolean
    assert ctx["url"] == {"@id": "schema:url", "@type": "@id"}
    assert ctx["inXSDgYear"] == {"@id": "time:inXSDgYear", "@type": "xsd:gYear"}
    assert ctx["inXSDDate"] == {"@id": "time:inXSDDate", "@type": "xsd:date"}
    assert ctx["start"] == {"@id": "oa:start", "@type": "xsd:nonNegativeInteger"}
    assert ctx["label"] == "rdfs:label"
    for term in (
        "value",
        "minValue",
        "maxValue",
        "headline",
        "publisher",
        "datePublished",
        "wasDerivedFrom",
        "description",
        "name",
        "end",
    ):
        assert term in ctx, term


def _compact(g: rdflib.Graph) -> str:
    # rdflib wants the inner dictionary, not {"@context": ...}.
    return g.serialize(format="json-ld", context=_context())


def test_json_ld_round_trip_with_rdflib() -> None:
    g = _sample()
    text = _compact(g)
    doc = json.loads(text)
    nodes = {n["@id"]: n for n in doc["@graph"]}
    pledge = nodes["https://w3id.org/pledgegraph/id/pledge/demo/1"]
    assert pledge["@type"] == "Pledge"
    assert pledge["region"] == "https://w3id.org/pledgegraph/id/region/CN-HE"
    assert isinstance(pledge["hasTarget"], list) and len(pledge["hasTarget"]) == 2
    assert isomorphic(g, rdflib.Graph().parse(data=text, format="json-ld"))


def test_json_ld_round_trip_of_the_ontology() -> None:
    g = _onto()
    assert isomorphic(g, rdflib.Graph().parse(data=_compact(g), format="json-ld"))


def test_compacted_json_ld_reads_the_same_in_pyoxigraph() -> None:
    g = _sample()
    quads = list(pyoxigraph.parse(_compact(g), format=pyoxigraph.RdfFormat.JSON_LD))
    nt = "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)
    assert isomorphic(g, rdflib.Graph().parse(data=nt, format="nt"))
