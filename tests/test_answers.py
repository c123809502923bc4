"""Right answers: inferred triples never change a count of asserted things (issue 9).

``pledgegraph reason`` adds answers to questions that ask for them (super-classes, the
transitive ``partOf``, inverses); every other answer, every count in a stored question, in
ad-hoc SPARQL and in ``stats``, is the same before and after it. The data: the bundled article
(its regions linked to Wikidata and GeoNames), plus a city and generated sheets with cities,
provinces and countries, and extra owl:sameAs links stated in a loaded file.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from pledgegraph import queries
from pledgegraph.graph.query import run
from pledgegraph.graph.reasoning.engine import materialise
from pledgegraph.graph.store import Store, summarise
from pledgegraph.loaders.factsheet import parse_factsheet
from tests.conftest import Invoke
from tests.test_reason import NINGBO, generated_sheets

#: The README's ad-hoc question: targets per region code.
PER_REGION = (
    "SELECT ?region (COUNT(?t) AS ?targets) WHERE { ?p pledge:region/pledge:isoCode ?region ; "
    "pledge:hasTarget ?t } GROUP BY ?region ORDER BY ?region"
)
MORE_LINKS = b"""
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix wd: <http://www.wikidata.org/entity/> .
@prefix gn: <https://sws.geonames.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
wd:Q21208 owl:sameAs gn:1808773 ; rdfs:label "Hebei Province"@en .
wd:Q21208 owl:sameAs <https://example.org/places/hebei> .
"""

#: Values for required parameters without a default, by type.
VALUES = {"year": "2025", "integer": "2025", "decimal": "0.5", "date": "2025-12-31",
          "boolean": "true", "string": "park", "region": "CN-HE", "kind": "parks",
          "sector": "blockchain", "iri": "pgid:region/CN-HE"}  # fmt: skip


def cases() -> list[tuple[str, dict[str, str]]]:
    """Every stored question that does not ask for inferred answers: with its defaults, and
    once more with each optional parameter set."""
    found = []
    for name, query in sorted(queries.catalogue().items()):
        if "reasoning" in query.tags:
            continue
        base = {p.name: VALUES[p.type] for p in query.parameters if p.required and not p.default}
        found.append((name, base))
        found += [
            (name, {**base, p.name: VALUES[p.type]}) for p in query.parameters if not p.required
        ]
    return found


def rows(store: Store, sparql: str) -> list[tuple[str, ...]]:
    result = run(store, sparql)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [tuple(str(s[n]) if s[n] is not None else "" for n in names) for s in result]


def answers(store: Store) -> dict[str, list[tuple[str, ...]]]:
    out = {}
    for name, params in cases():
        query = queries.get(name)
        key = name + "".join(f" {k}={v}" for k, v in sorted(params.items()))
        out[key] = rows(store, queries.with_values(query.sparql, queries.bind(query, params)))
    out["README per-region count"] = rows(store, PER_REGION)
    return out


def counts(store: Store) -> tuple[int, int, int, int]:
    summary = summarise(store)
    return summary.sources, summary.pledges, summary.targets, summary.regions


@pytest.fixture(scope="module")
def richer() -> Store:
    store = Store.memory()
    for text in (NINGBO, *generated_sheets(3, sheets=6)):
        store.load_factsheet(parse_factsheet(text))
    store.load_rdf("more-links.ttl", data=MORE_LINKS)
    return store


def test_the_cases_cover_every_stored_question_but_the_reasoning_ones() -> None:
    names = {name for name, _ in cases()}
    reasoning = {n for n, q in queries.catalogue().items() if "reasoning" in q.tags}
    assert names | reasoning == set(queries.catalogue()) and len(names) >= 20


@pytest.mark.parametrize("data", ["bundled", "richer"])
def test_reasoning_changes_no_answer_to_a_stored_or_ad_hoc_question(
    data: str, richer: Store
) -> None:
    store = Store.memory() if data == "bundled" else richer
    before, before_counts = answers(store), counts(store)
    assert materialise(store).inferred > 0
    after = answers(store)
    changed = sorted(key for key in before if before[key] != after[key])
    assert changed == []
    assert counts(store) == before_counts
    assert any(before.values())


def test_the_bundled_counts_after_reasoning(store: Store) -> None:
    materialise(store)
    assert rows(store, PER_REGION) == [
        ('"CN-BJ"', '"2"^^<http://www.w3.org/2001/XMLSchema#integer>'),
        ('"CN-GZ"', '"1"^^<http://www.w3.org/2001/XMLSchema#integer>'),
        ('"CN-HE"', '"11"^^<http://www.w3.org/2001/XMLSchema#integer>'),
        ('"CN-HN"', '"1"^^<http://www.w3.org/2001/XMLSchema#integer>'),
    ]
    assert counts(store) == (1, 5, 15, 4)


def test_region_totals_with_inferred_places_count_each_target_once(store: Store) -> None:
    """The reasoning question counts Hebei's 11 targets once, not once per alias."""
    materialise(store)
    query = queries.get("reason-region-totals")
    found = rows(store, queries.with_values(query.sparql, queries.bind(query, {})))
    hebei = next(r for r in found if r[0] == '"CN-HE"')
    integer = "^^<http://www.w3.org/2001/XMLSchema#integer>"
    assert hebei[3:] == (f'"2"{integer}', f'"11"{integer}', f'"2"{integer}')
    assert {r[0] for r in found} >= {'"CN"', '"CN-HE"', '"CN-BJ"', '"CN-GZ"', '"CN-HN"'}
    assert not [r for r in found if "wikidata" in r[0] or "geonames" in r[0]]


def test_cli_counts_are_the_same_after_reason(cli: Invoke) -> None:
    before_sparql = cli("sparql", PER_REGION, "-f", "csv")
    before_stats = cli("stats", "--json")
    before_compare = cli("query", "compare-regions", "-f", "csv")
    assert cli("reason").exit_code == 0
    after_sparql = cli("sparql", PER_REGION, "-f", "csv")
    assert after_sparql.stdout == before_sparql.stdout
    assert "CN-HE,11" in after_sparql.stdout.splitlines()
    assert cli("query", "compare-regions", "-f", "csv").stdout == before_compare.stdout
    import json

    stats_before, stats_after = (
        json.loads(before_stats.stdout),
        json.loads(cli("stats", "--json").stdout),
    )
    for key in ("sources", "pledges", "targets", "regions"):
        assert stats_after[key] == stats_before[key]
    assert stats_after["regions"] == 4
