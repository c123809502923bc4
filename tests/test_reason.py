"""OWL 2 RL reasoning: the same entailments as owlrl, the stored questions, the CLI, the profile."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from pledgegraph import queries
from pledgegraph.graph.query import result_text, run
from pledgegraph.graph.reasoning import engine as reasoning
from pledgegraph.graph.reasoning.engine import WORK_GRAPH, materialise
from pledgegraph.graph.reasoning.owlrl import owlrl_closure, owlrl_closure_keeping_own_names
from pledgegraph.graph.reasoning.profile import check_profile
from pledgegraph.graph.store import Store
from pledgegraph.loaders.factsheet import parse_factsheet
from pledgegraph.ontology import GRAPH, ID, INFERRED_GRAPH, KIND, PLEDGE
from tests.conftest import Invoke

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SCHEMA = "https://schema.org/"
PROV = "http://www.w3.org/ns/prov#"
XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")

NINGBO = """\
source:
  url: https://example.org/news/ningbo-parks
  key: ningbo-parks
  title: Ningbo plans two AI parks
  publisher: Example News
pledges:
  - region: Ningbo
    authority: Ningbo municipal people's government
    deadline: 2023
    sector: ai
    targets:
      - kind: parks
        quantity: 2
      - kind: firms
        quantity: 30
"""
NINGBO_GRAPH = GRAPH + "source/ningbo-parks"


# --- helpers -------------------------------------------------------------------------------


def asserted_triples(store: Store) -> set[ox.Triple]:
    return {
        ox.Triple(q.subject, q.predicate, q.object)
        for q in store.inner
        if not (isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value == INFERRED_GRAPH)
    }


def inferred_triples(store: Store) -> set[ox.Triple]:
    return {ox.Triple(q.subject, q.predicate, q.object) for q in store.quads(INFERRED_GRAPH)}


def assert_same_as_owlrl(store: Store) -> None:
    """The inferred graph is exactly owlrl's non-trivial additions for the same input (with our
    rule for owl:sameAs: our own IRIs are never replaced by, or copied to, their aliases)."""
    expected, _ = owlrl_closure_keeping_own_names(asserted_triples(store))
    got = inferred_triples(store)
    assert got - expected == set(), "inferred, but not by owlrl"
    assert expected - got == set(), "inferred by owlrl, but missing"


def ask(store: Store, name: str, *, inferred: bool = True, **params: str) -> list[dict[str, str]]:
    """Rows of a stored query, values as text (via the library's own result formatting)."""
    import csv
    import io

    query = queries.get(name)
    sparql = queries.with_values(query.sparql, queries.bind(query, params))
    text = result_text(run(store, sparql, inferred=inferred), fmt="csv")
    return list(csv.DictReader(io.StringIO(text)))


def generated_sheets(seed: int, sheets: int, pledges: int = 6) -> list[str]:
    """Fact sheets following docs/data-model.md: cities, provinces, countries, authorities,
    every target kind, exact / range / approximate / bounded / unspecified quantities."""
    rng = random.Random(seed)
    regions = ["CN-HE", "CN-ZJ", "Ningbo", "Hangzhou", "Shenzhen", "CN-GD", "Beijing",
               "Chengdu", "CN-SC", "DE", "US-CA", "Wuhan", "FR"]  # fmt: skip
    kinds = ["firms", "parks", "brands", "applications", "funds", "talent", "alliances",
             "research_centres", "platforms", "standards", "other"]  # fmt: skip
    sectors = ["blockchain", "ai", "big_data", "fintech", "iot"]
    out = []
    for n in range(sheets):
        lines = [
            "source:",
            f"  url: https://example.org/generated/{seed}/{n}",
            f"  title: Generated pledges {n}",
            f"  publisher: {rng.choice(['Xinhua', 'Caixin', 'Reuters'])}",
            "pledges:",
        ]
        for _ in range(rng.randint(1, pledges)):
            region = rng.choice(regions)
            lines.append(f"  - region: {region}")
            if rng.random() < 0.7:
                lines.append(f"    authority: {region} {rng.choice(['government', 'bureau'])}")
            if rng.random() < 0.5:
                lines.append(f"    plan: Plan {rng.randint(1, 9)}")
            if rng.random() < 0.6:
                lines.append(f"    announced: {rng.randint(2018, 2023)}")
            if rng.random() < 0.8:
                lines.append(f"    deadline: {rng.randint(2020, 2030)}")
            lines.append(f"    sector: {rng.choice(sectors)}")
            lines.append("    targets:")
            for _ in range(rng.randint(1, 5)):
                lines.append(f"      - kind: {rng.choice(kinds)}")
                value = rng.randint(1, 200)
                lines.append(
                    "        "
                    + rng.choice(
                        [
                            f"quantity: {value}",
                            f"quantity: [{value}, {value + rng.randint(1, 50)}]",
                            f"quantity: {value}\n        approximate: true",
                            f"quantity: {value}\n        bound: min",
                            "quantity: null",
                        ]
                    )
                )
                if rng.random() < 0.3:
                    lines.append("        qualifier: leading")
        out.append("\n".join(lines) + "\n")
    return out


def store_with(*sheets: str) -> Store:
    store = Store.memory()
    for text in sheets:
        store.load_factsheet(parse_factsheet(text))
    return store


# --- the same entailments as owlrl ---------------------------------------------------------


def test_bundled_dataset_gives_what_owlrl_gives(store: Store) -> None:
    report = materialise(store)
    assert report.engine == "rules" and report.inferred > 0 and not report.inconsistencies
    assert_same_as_owlrl(store)


@pytest.mark.parametrize("seed", [1, 2])
def test_generated_graphs_give_what_owlrl_gives(seed: int) -> None:
    store = store_with(NINGBO, *generated_sheets(seed, sheets=12))
    assert len(store.inner) > 3000
    report = materialise(store)
    assert report.engine == "rules"
    assert report.rounds >= 2  # partOf chains need a second round (hasPart of city in country)
    assert_same_as_owlrl(store)


def test_owl_same_as_links_give_what_owlrl_gives(store: Store) -> None:
    """eq-* rules: a region linked to Wikidata and GeoNames, one link stated only one way."""
    links = """
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix wd: <http://www.wikidata.org/entity/> .
        @prefix gn: <https://sws.geonames.org/> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <https://w3id.org/pledgegraph/id/region/CN-HE> owl:sameAs wd:Q21208 .
        wd:Q21208 owl:sameAs gn:1808773 ; rdfs:label "Hebei (Wikidata)"@en .
        gn:1808773 <http://www.geonames.org/ontology#population> 75000000 .
    """
    store.load_rdf("more-links.ttl", data=links.encode())
    report = materialise(store)
    assert report.engine == "rules"
    assert_same_as_owlrl(store)
    inferred = inferred_triples(store)
    wikidata, geonames = (
        ox.NamedNode("http://www.wikidata.org/entity/Q21208"),
        ox.NamedNode("https://sws.geonames.org/1808773"),
    )
    hebei = ox.NamedNode(f"{ID}region/CN-HE")
    same_as = ox.NamedNode("http://www.w3.org/2002/07/owl#sameAs")
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    # The links are closed both ways and through Hebei ...
    assert ox.Triple(wikidata, same_as, hebei) in inferred
    assert ox.Triple(geonames, same_as, wikidata) in inferred
    # ... but the aliases of one of our IRIs are only names for it: no alias becomes a region
    # (with Hebei's types, code and pledges), the aliases copy nothing to each other (GeoNames
    # gets no Wikidata label), and Hebei gets no second English label or population.
    population = ox.NamedNode("http://www.geonames.org/ontology#population")
    about_aliases = {
        (t.subject, t.predicate) for t in inferred if t.subject in (wikidata, geonames)
    }
    assert about_aliases == {(wikidata, same_as), (geonames, same_as)}
    assert not [t for t in inferred if t.subject == hebei and t.predicate in (label, population)]
    assert not [t for t in inferred if t.object in (wikidata, geonames) and t.predicate != same_as]


#: A file's region stated the same as Hebei's Wikidata item (so, through the links, as Hebei).
SAME_AS_HEBEI = """
@prefix pgid: <https://w3id.org/pledgegraph/id/> .
@prefix pledge: <https://w3id.org/pledgegraph/ontology#> .
@prefix schema: <https://schema.org/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix ex: <https://example.org/NAME/> .
ex:q a schema:QuantitativeValue ; rdfs:label "7" ; schema:value 7 ; pledge:approximate false .
ex:t a pledge:Target ; prov:wasDerivedFrom ex:src ; pledge:deadline pgid:deadline\\/2033 ;
  pledge:kind <https://w3id.org/pledgegraph/kind/parks> ; pledge:quantity ex:q .
ex:office a pledge:Authority ; rdfs:label "The NAME office"@en ; pledge:governs ex:r .
ex:p a pledge:Pledge ; prov:wasDerivedFrom ex:src ; pledge:hasTarget ex:t ;
  pledge:deadline pgid:deadline\\/2033 ; pledge:pledgedBy ex:office ; pledge:region ex:r .
ex:r a pledge:Region ; rdfs:label "NAME"@en ; owl:sameAs <http://www.wikidata.org/entity/Q21208> .
ex:src a schema:NewsArticle ; schema:headline "NAME" ; schema:url <https://example.org/NAME> .
"""


def test_nodes_stated_the_same_as_an_alias_of_ours_copy_nothing(store: Store) -> None:
    """An outside attack: two files' regions stated the same as Hebei's Wikidata item. Before,
    the aliases copied to each other: the Wikidata and GeoNames IRIs became regions with both
    files' names and pledges, each file's pledge got the other's region, and the questions
    after `reason` listed four regions of two pledges each where the files made one each."""
    for name in ("somewhere", "elsewhere"):
        text = SAME_AS_HEBEI.replace("NAME", name.capitalize()).replace(
            "example.org/" + name.capitalize(), "example.org/" + name
        )
        store.load_rdf(f"{name}.ttl", data=text.encode())
    store.load_rdf(
        "links.ttl",
        data=(
            b"<https://w3id.org/pledgegraph/id/region/CN-HE> <http://www.w3.org/2002/07/owl#sameAs>"
            b" <http://www.wikidata.org/entity/Q21208>, <https://sws.geonames.org/1808773/> ."
        ),
    )
    before = {
        name: ask(store, name, inferred=False)
        for name in ("compare-regions", "authorities", "reason-region-totals", "parks-by-year")
    }
    report = materialise(store)
    assert report.engine == "rules"
    assert_same_as_owlrl(store)
    for name, rows in before.items():
        assert ask(store, name) == rows, name
    totals = {row["region"]: row["pledges"] for row in ask(store, "reason-region-totals")}
    assert totals["https://example.org/somewhere/r"] == "1"
    assert totals["https://example.org/elsewhere/r"] == "1"
    assert not [r for r in totals if "wikidata" in r or "geonames" in r]


def test_symmetric_and_chained_properties_give_what_owlrl_gives(store: Store) -> None:
    """Rules our ontology does not use yet (prp-symp, equivalences, deeper hierarchies)."""
    extra = """
        @prefix ex: <https://example.org/ex#> .
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix pledge: <https://w3id.org/pledgegraph/ontology#> .
        ex:borders a owl:ObjectProperty , owl:SymmetricProperty ; rdfs:subPropertyOf ex:near .
        ex:near a owl:ObjectProperty , owl:TransitiveProperty ; rdfs:domain ex:Place .
        ex:Place owl:equivalentClass ex:Location .
        ex:Location rdfs:subClassOf ex:Thing2 .
        ex:twinnedWith owl:equivalentProperty ex:partnerOf .
        ex:hosts owl:inverseOf ex:hostedBy ; rdfs:range ex:Place .
        <{ID}region/CN-HE> ex:borders <{ID}region/CN-BJ> .
        <{ID}region/CN-BJ> ex:borders <{ID}region/CN-TJ> .
        <{ID}region/CN-HE> ex:twinnedWith <{ID}region/DE> .
        <{ID}region/CN-HN> ex:hostedBy <{ID}region/CN> .
    """.replace("{ID}", ID)
    store.load_rdf("extra.ttl", data=extra.encode())
    report = materialise(store)
    assert report.engine == "rules"
    assert dict(report.by_rule)["prp-symp"] > 0
    assert_same_as_owlrl(store)


def test_constructs_outside_the_rule_engine_fall_back_to_owlrl(store: Store) -> None:
    extra = """
        @prefix ex: <https://example.org/ex#> .
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix pledge: <https://w3id.org/pledgegraph/ontology#> .
        @prefix kind: <https://w3id.org/pledgegraph/kind/> .
        ex:ParkTarget owl:equivalentClass
            [ a owl:Restriction ; owl:onProperty pledge:kind ; owl:hasValue kind:parks ] .
    """
    store.load_rdf("extra.ttl", data=extra.encode())
    report = materialise(store)
    assert report.engine == "owlrl" and "owl:hasValue" in report.note
    assert_same_as_owlrl(store)
    park_target = ox.NamedNode("https://example.org/ex#ParkTarget")
    assert any(t.object == park_target for t in inferred_triples(store))


def test_inconsistent_data_is_reported_like_owlrl_does(store: Store) -> None:
    # (written straight to a graph, as another client of a shared server could: load refuses
    # a file that gives a region pledgegraph describes another type of ours)
    store.inner.add(
        ox.Quad(
            ox.NamedNode(ID + "region/CN-HE"),
            ox.NamedNode(RDF_TYPE),
            ox.NamedNode(PLEDGE + "Authority"),
            ox.NamedNode(GRAPH + "file/bad-nt"),
        )
    )
    report = materialise(store)
    # Hebei only: its owl:sameAs aliases (links graph) do not receive its types.
    assert report.inconsistencies == (
        "pgid:region/CN-HE is both a pledge:Authority and a pledge:Region, which are disjoint "
        "classes",
    )
    _, messages = owlrl_closure(asserted_triples(store))
    assert any("CN-HE" in m for m in messages)
    assert_same_as_owlrl(store)


# --- what the inferred graph holds ----------------------------------------------------------


def test_inferred_triples_never_repeat_asserted_ones() -> None:
    store = store_with(NINGBO)
    materialise(store)
    assert inferred_triples(store) & asserted_triples(store) == set()


def test_reasoning_leaves_the_asserted_graphs_as_they_were(store: Store) -> None:
    before = sorted(str(q) for q in store.inner)
    materialise(store)
    after = sorted(str(q) for q in store.inner if q.graph_name.value != INFERRED_GRAPH)  # type: ignore[union-attr]
    assert after == before
    assert store.graphs() == sorted([*{q.graph_name.value for q in store.inner}])  # type: ignore[union-attr]
    assert INFERRED_GRAPH in store.graphs()


def test_a_hand_edited_inferred_graph_is_put_right(store: Store) -> None:
    materialise(store)
    expected = inferred_triples(store)
    junk = ox.NamedNode("https://example.org/junk")
    store.inner.add(ox.Quad(junk, junk, junk, ox.NamedNode(INFERRED_GRAPH)))
    removed = next(iter(expected))
    store.inner.remove(ox.Quad(*removed, ox.NamedNode(INFERRED_GRAPH)))  # type: ignore[misc]
    materialise(store)
    assert inferred_triples(store) == expected


def test_schema_entailments_are_in_the_inferred_graph(store: Store) -> None:
    report = materialise(store)
    domain = ox.Triple(
        ox.NamedNode(PLEDGE + "partOf"),
        ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#domain"),
        ox.NamedNode(SCHEMA + "AdministrativeArea"),
    )
    assert domain in inferred_triples(store)
    assert report.schema > 0


def test_removed_data_loses_its_consequences() -> None:
    store = store_with(NINGBO)
    materialise(store)
    pledge = ox.NamedNode(f"{ID}pledge/ningbo-parks/1")
    entity = ox.Triple(pledge, ox.NamedNode(RDF_TYPE), ox.NamedNode(PROV + "Entity"))
    assert entity in inferred_triples(store)
    assert store.remove_source(NINGBO_GRAPH)
    assert store.inferred_is_stale()
    materialise(store)
    assert entity not in inferred_triples(store)
    assert not store.inferred_is_stale()
    assert_same_as_owlrl(store)


def test_the_inferred_graph_is_replaced_all_or_nothing(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    materialise(store)
    before = inferred_triples(store)
    store.load_factsheet(parse_factsheet(NINGBO))

    def broken(*args: object, **kwargs: object) -> str:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(reasoning, "_inconsistencies", broken)
    with pytest.raises(RuntimeError):
        materialise(store)
    assert inferred_triples(store) == before
    assert store.inferred_is_stale()
    assert not [g for g in store.inner.named_graphs() if g.value.startswith(WORK_GRAPH)]  # type: ignore[union-attr]


def test_force_false_does_nothing_when_current(store: Store) -> None:
    first = materialise(store, force=False)
    assert not first.up_to_date
    again = materialise(store, force=False)
    assert again.up_to_date and again.inferred == first.inferred
    store.load_factsheet(parse_factsheet(NINGBO))
    assert not materialise(store, force=False).up_to_date


def test_a_reasoner_upgrade_makes_the_graph_out_of_date(store: Store) -> None:
    materialise(store)
    store.set_state(inferred_reasoner="pledgegraph-rl/0")
    assert not reasoning.is_current(store)
    assert not materialise(store, force=False).up_to_date


# --- the stored questions on real data -------------------------------------------------------


@pytest.fixture
def reasoned() -> Store:
    store = store_with(NINGBO)
    materialise(store)
    return store


def test_a_city_counts_in_its_province_and_country(reasoned: Store) -> None:
    rows = {r["region"]: r for r in ask(reasoned, "reason-region-totals")}
    assert rows["CN-ZJ/ningbo"]["pledges"] == "1"
    assert (rows["CN-ZJ"]["pledges"], rows["CN-ZJ"]["directPledges"]) == ("1", "0")
    assert (rows["CN"]["pledges"], rows["CN"]["targets"]) == ("6", "17")  # seed 5/15 + Ningbo
    without = {r["region"]: r for r in ask(reasoned, "reason-region-totals", inferred=False)}
    assert without["CN"]["pledges"] == "5"  # Ningbo is only partOf Zhejiang as asserted
    assert ask(reasoned, "reason-region-totals", region="CN") == [rows["CN"]]


def test_a_hebei_blockchain_park_is_found_when_asking_for_any_park(reasoned: Store) -> None:
    rows = ask(reasoned, "reason-any-park")
    assert [(r["region"], r["kind"], r["sector"], r["quantity"]) for r in rows] == [
        ("CN-HE", "parks", "blockchain", "3"),
        ("CN-HN", "parks", "blockchain", "5"),
        ("CN-ZJ/ningbo", "parks", "ai", "2"),
    ]
    assert [r["region"] for r in ask(reasoned, "reason-any-park", region="CN-HE")] == ["CN-HE"]
    assert [r["region"] for r in ask(reasoned, "reason-any-park", region="CN-ZJ")] == [
        "CN-ZJ/ningbo"
    ]
    assert ask(reasoned, "reason-any-park", inferred=False) == []


#: The ontology addition recommended to the lead: SKOS's own axioms for broader/narrower.
SKOS_AXIOMS = """
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
skos:broader a owl:ObjectProperty ; rdfs:subPropertyOf skos:broaderTransitive ;
    owl:inverseOf skos:narrower .
skos:narrower a owl:ObjectProperty ; rdfs:subPropertyOf skos:narrowerTransitive .
skos:broaderTransitive a owl:ObjectProperty , owl:TransitiveProperty ;
    owl:inverseOf skos:narrowerTransitive .
skos:narrowerTransitive a owl:ObjectProperty , owl:TransitiveProperty .
"""


def test_a_narrower_kind_of_park_counts_as_a_park_with_the_skos_axioms(reasoned: Store) -> None:
    narrower = f"""
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix pledge: <{PLEDGE}> .
        <{KIND}blockchain_parks> a pledge:TargetKind ; skos:notation "blockchain_parks" ;
            skos:broader <{KIND}industrial_parks> .
        <{KIND}industrial_parks> a pledge:TargetKind ; skos:broader <{KIND}parks> .
        <{ID}pledge/extra/1> a pledge:Pledge ; pledge:region <{ID}region/CN-HE> ;
            pledge:hasTarget <{ID}pledge/extra/1/target/1> .
        <{ID}pledge/extra/1/target/1> a pledge:Target ; pledge:kind <{KIND}blockchain_parks> .
    """
    reasoned.load_rdf("skos.ttl", data=SKOS_AXIOMS.encode())
    reasoned.load_rdf("narrower.ttl", data=narrower.encode())
    materialise(reasoned)
    kinds = [(r["region"], r["kind"]) for r in ask(reasoned, "reason-any-park", region="CN-HE")]
    assert kinds == [("CN-HE", "parks"), ("CN-HE", "blockchain_parks")]
    assert check_profile(reasoned) == []
    assert_same_as_owlrl(reasoned)


def test_regions_are_found_as_schema_org_administrative_areas(reasoned: Store) -> None:
    rows = {r["area"]: r for r in ask(reasoned, "reason-administrative-areas")}
    # each list in order, so that a cell reads the same on every store
    assert rows["CN-ZJ/ningbo"]["containedIn"] == "China; Zhejiang"
    for row in rows.values():
        for cell in (row["containedIn"], row["governedBy"]):
            assert cell.split("; ") == sorted(cell.split("; "))
    assert rows["CN-ZJ/ningbo"]["governedBy"] == "Ningbo municipal people's government"
    assert rows["CN-HE"]["containedIn"] == "China"
    assert "Hebei provincial" in rows["CN-HE"]["governedBy"]
    assert rows["CN"]["parts"] == "6" and rows["CN-ZJ"]["parts"] == "1"
    assert ask(reasoned, "reason-administrative-areas", inferred=False) == []


def test_pledges_are_found_as_prov_entities_attributed_to_organisations(reasoned: Store) -> None:
    rows = ask(reasoned, "reason-attributions")
    assert [(r["entity"].rsplit("/id/", 1)[1], r["governs"]) for r in rows] == [
        ("pledge/cryptonews-7376/1", "CN-HE"),
        ("pledge/cryptonews-7376/2", "CN-HE"),
        ("pledge/ningbo-parks/1", "CN-ZJ/ningbo"),
    ]
    assert ask(reasoned, "reason-attributions", inferred=False) == []


# --- the OWL 2 RL profile -------------------------------------------------------------------

BAD_ONTOLOGY = """
@prefix ex: <https://example.org/bad#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:Park rdfs:subClassOf [ a owl:Restriction ; owl:onProperty ex:in ; owl:someValuesFrom ex:Zone ] .
ex:Zone rdfs:subClassOf [ owl:unionOf ( ex:City ex:Province ) ] .
ex:Ruler owl:equivalentClass [ a owl:Restriction ; owl:onProperty ex:rules ; owl:allValuesFrom ex:Zone ] .
ex:Fund rdfs:subClassOf [ a owl:Restriction ; owl:onProperty ex:owner ; owl:maxCardinality 2 ] .
ex:Fund rdfs:subClassOf [ a owl:Restriction ; owl:onProperty ex:manager ; owl:minCardinality 1 ] .
[ owl:complementOf ex:Park ] rdfs:subClassOf ex:Zone .
ex:Place owl:disjointUnionOf ( ex:City ex:Province ) .
ex:near a owl:ObjectProperty , owl:ReflexiveProperty .
ex:size a owl:DatatypeProperty ; rdfs:range owl:real .
ex:Small rdfs:subClassOf [ a owl:Restriction ; owl:onProperty ex:owner ; owl:maxCardinality 1 ] .
ex:Big owl:equivalentClass [ a owl:Restriction ; owl:onProperty ex:owner ; owl:hasValue ex:State ] .
[ a owl:Restriction ; owl:onProperty ex:in ; owl:someValuesFrom ex:Zone ] rdfs:subClassOf ex:Local .
"""


def test_our_ontology_is_inside_owl2_rl(store: Store) -> None:
    assert check_profile(store) == []


def test_a_bad_ontology_is_outside_owl2_rl(store: Store) -> None:
    store.load_rdf("bad.ttl", data=BAD_ONTOLOGY.encode())
    problems = sorted(issue.problem.split(";")[0] for issue in check_profile(store))
    assert problems == [
        "datatype owl:real is not in OWL 2 RL",
        "owl:allValuesFrom in an equivalent-class expression",
        "owl:complementOf in a subclass expression",
        "owl:disjointUnionOf is not in OWL 2 RL (state owl:unionOf in subclass position and "
        "owl:AllDisjointClasses instead)",
        "owl:maxCardinality 2",
        "owl:minCardinality is not in OWL 2 RL (only max 0 or 1 is)",
        "owl:someValuesFrom in a superclass expression",
        "owl:unionOf in a superclass expression",
        "reflexive properties are not in OWL 2 RL",
    ]
    assert {issue.graph for issue in check_profile(store)} == {GRAPH + "file/bad-ttl"}


# --- the command line -------------------------------------------------------------------------


@pytest.fixture
def rcli(cli: Invoke) -> Invoke:
    """The CLI with ``reason`` registered (the lead registers it in pledgegraph/cli.py)."""
    from pledgegraph.cli import main
    from pledgegraph.commands.reason import reason

    if "reason" not in main.commands:
        main.add_command(reason)
    return cli


NOTE = "Note: the inferred graph is out of date"


@pytest.fixture(scope="module")
def fresh() -> reasoning.ReasonReport:
    """What reasoning on a fresh store gives (its count depends on the bundled data)."""
    return materialise(Store.memory())


def test_reason_summarises_on_stderr(rcli: Invoke, fresh: reasoning.ReasonReport) -> None:
    result = rcli("reason")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith(f"inferred {fresh.inferred} triples in {fresh.rounds} rounds, ")
    assert result.stderr.endswith(" s\n")


def test_reason_again_is_a_no_op_until_data_changes(
    rcli: Invoke, tmp_path: Path, fresh: reasoning.ReasonReport
) -> None:
    rcli("reason")
    again = rcli("reason")
    assert again.stderr == (
        f"the inferred graph is up to date ({fresh.inferred} triples); "
        "pass --rebuild to recompute it\n"
    )
    rebuilt = rcli("reason", "--rebuild")
    assert rebuilt.stderr.startswith(f"inferred {fresh.inferred} triples in {fresh.rounds} rounds")
    sheet = tmp_path / "ningbo.pledges.yaml"
    sheet.write_text(NINGBO, encoding="utf-8")
    assert rcli("load", str(sheet)).exit_code == 0
    assert re.match(r"inferred (\d+) triples in 3 rounds", rcli("reason").stderr)


def test_stale_note_after_a_load_and_none_after_reason(rcli: Invoke, tmp_path: Path) -> None:
    rcli("reason")
    fresh = rcli("query", "reason-region-totals", "-p", "region=CN", "--format", "csv")
    assert NOTE not in fresh.stderr
    sheet = tmp_path / "ningbo.pledges.yaml"
    sheet.write_text(NINGBO, encoding="utf-8")
    rcli("load", str(sheet))
    stale = rcli("query", "reason-region-totals", "-p", "region=CN", "--format", "csv")
    assert NOTE in stale.stderr
    assert stale.stdout.splitlines()[1].split(",")[3:5] == ["5", "15"]  # Ningbo not in CN yet
    assert NOTE not in rcli("query", "kinds", "--no-inferred").stderr
    assert NOTE not in rcli("query", "kinds").stderr  # (its rows read no inferred triple)
    assert NOTE in rcli("sparql", "ASK { ?s ?p ?o }").stderr  # (an ad-hoc query may)
    rcli("reason")
    current = rcli("query", "reason-region-totals", "-p", "region=CN", "--format", "csv")
    assert NOTE not in current.stderr
    assert current.stdout.splitlines()[1].split(",")[3:5] == ["6", "17"]


def test_no_inferred_leaves_the_inferred_graph_out(rcli: Invoke) -> None:
    rcli("reason")
    args = ("query", "reason-any-park", "--format", "csv")
    assert len(rcli(*args).stdout.splitlines()) == 3  # header + Hebei + Hunan
    assert len(rcli(*args, "--no-inferred").stdout.splitlines()) == 1
    sparql = "SELECT ?r WHERE { ?r a schema:AdministrativeArea } ORDER BY ?r"
    assert f"{ID}region/CN-HE" in rcli("sparql", sparql, "--format", "csv").stdout.split()
    assert rcli("sparql", sparql, "--format", "csv", "--no-inferred").stdout.split() == ["r"]


def test_check_profile_of_our_ontology(rcli: Invoke) -> None:
    result = rcli("reason", "--check-profile")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "the ontology is inside OWL 2 RL\n"
    assert NOTE not in result.stderr


def test_check_profile_lists_axioms_outside_owl2_rl(rcli: Invoke, tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix pledge: <https://w3id.org/pledgegraph/ontology#> .\n"
        "pledge:Pledge rdfs:subClassOf [ a owl:Restriction ; "
        "owl:onProperty pledge:hasTarget ; owl:someValuesFrom pledge:Target ] .\n",
        encoding="utf-8",
    )
    rcli("load", str(bad))
    result = rcli("reason", "--check-profile")
    assert result.exit_code == 1
    assert result.stdout == (
        "pledge:Pledge rdfs:subClassOf (pledge:hasTarget some pledge:Target): owl:someValuesFrom "
        "in a superclass expression; OWL 2 RL allows it only in subclass position (left of "
        "rdfs:subClassOf) [https://w3id.org/pledgegraph/graph/file/bad-ttl]\n"
    )
    assert result.stderr == "1 axiom outside OWL 2 RL\n"


def test_reason_with_an_ontology_the_rules_cannot_handle_says_so(
    rcli: Invoke, tmp_path: Path
) -> None:
    extra = tmp_path / "extra.ttl"
    extra.write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "@prefix pledge: <https://w3id.org/pledgegraph/ontology#> .\n"
        "pledge:region a owl:FunctionalProperty .\n",
        encoding="utf-8",
    )
    rcli("load", str(extra))
    result = rcli("reason")
    assert result.exit_code == 0
    assert result.stderr.startswith(
        "Note: the ontology uses owl:FunctionalProperty, which the rule engine does not "
        "implement; reasoning with owlrl (slow on large graphs)\ninferred "
    )


@pytest.mark.parametrize(
    "entails",
    [
        # the rule engine: a sub-property of owl:sameAs reached through an inverse
        "ex:inv owl:inverseOf ex:sub . ex:sub rdfs:subPropertyOf owl:sameAs .\n"
        "<http://www.wikidata.org/entity/Q21208> ex:inv ex:r .\n",
        # the owlrl fallback: an inverse-functional key Hebei shares with the file's node
        "ex:key a owl:InverseFunctionalProperty . ex:r ex:key 'X' .\n"
        "<https://w3id.org/pledgegraph/id/region/CN-HE> ex:key 'X' .\n",
        # (a second attack) a sub-property of owl:sameAs stated directly
        "ex:same rdfs:subPropertyOf owl:sameAs .\n"
        "ex:r ex:same <https://w3id.org/pledgegraph/id/region/CN-HE> .\n",
        # ... and owl:sameAs on rdf:type, which the rules alone missed
        "ex:kind owl:sameAs <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> .\n"
        "ex:seat ex:kind owl:FunctionalProperty .\n"
        "ex:gov ex:seat <https://w3id.org/pledgegraph/id/region/CN-HE>, ex:r .\n",
    ],
)
def test_an_alias_of_ours_only_inferred_is_refused(store: Store, entails: str) -> None:
    """An outside attack: owl:sameAs between a file's node and Hebei (or its Wikidata item)
    that the data entails but does not state. Replacement had run before the link was known,
    so the Wikidata IRI became a region holding the file's pledge, or Hebei got the file's name
    and pledges (compare-regions doubled Hebei's row). Reasoning now refuses such data, and
    the inferred graph stays as it was."""
    from pledgegraph.errors import InputError

    store.load_rdf(
        "links.ttl",
        data=b"<https://w3id.org/pledgegraph/id/region/CN-HE> "
        b"<http://www.w3.org/2002/07/owl#sameAs> <http://www.wikidata.org/entity/Q21208> .",
    )
    text = SAME_AS_HEBEI.replace("NAME", "a").replace(
        " ; owl:sameAs <http://www.wikidata.org/entity/Q21208>", ""
    )
    store.load_rdf("a.ttl", data=(text + entails).encode())
    before = ask(store, "compare-regions", inferred=False)
    with pytest.raises(InputError, match="is the same as one of pledgegraph's"):
        materialise(store)
    assert not store.has_graph(INFERRED_GRAPH)
    assert ask(store, "compare-regions") == before


def test_two_regions_of_ours_made_the_same_are_refused(store: Store) -> None:
    """A second attack: two Wikidata items stated the same made Hebei the same as Hunan
    through the links, and regions-linked listed each of them four times after reason."""
    from pledgegraph.errors import InputError

    store.load_rdf(
        "links.ttl",
        data=b"<https://w3id.org/pledgegraph/id/region/CN-HE> <http://www.w3.org/2002/07/owl#sameAs>"
        b" <http://www.wikidata.org/entity/Q21208> .\n"
        b"<https://w3id.org/pledgegraph/id/region/CN-HN> <http://www.w3.org/2002/07/owl#sameAs>"
        b" <http://www.wikidata.org/entity/Q45761> .\n",
    )
    store.load_rdf(
        "same.nt",
        data=b"<http://www.wikidata.org/entity/Q21208> <http://www.w3.org/2002/07/owl#sameAs>"
        b" <http://www.wikidata.org/entity/Q45761> .\n",
    )
    with pytest.raises(InputError, match="pgid:region/CN-HE and pgid:region/CN-HN the same"):
        materialise(store)
    assert not store.has_graph(INFERRED_GRAPH)


def test_a_link_between_two_foreign_items_changes_no_answer(store: Store) -> None:
    """A second attack: a file's wd:Q148 owl:sameAs wd:Q1 gave China the Wikidata id Q1 in
    pledges-by-country after reason (the least of its closed links); the questions read the
    links graph's own links."""
    from pledgegraph.graph.linking.run import run_link

    run_link(store)
    store.load_rdf(
        "q1.nt",
        data=b"<http://www.wikidata.org/entity/Q148> <http://www.w3.org/2002/07/owl#sameAs>"
        b" <http://www.wikidata.org/entity/Q1> .\n",
    )
    before = {q: ask(store, q, inferred=False) for q in ("pledges-by-country", "regions-linked")}
    assert before["pledges-by-country"][0]["wikidata"] == "Q148"
    materialise(store)
    for question, rows in before.items():
        assert ask(store, question) == rows, question
