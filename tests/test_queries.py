"""The stored questions (``queries/*.rq``): each parses, runs and gives the right answers.

Expected answers come from the facts in ``loaders/data/seed.pledges.yaml`` (one article, five
pledges, fifteen targets), not from running the queries: a mismatch is a bug in a query.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
import pytest
import yaml

from pledgegraph import queries
from pledgegraph.errors import QueryError
from pledgegraph.graph.query import run
from pledgegraph.graph.store import Store
from pledgegraph.loaders.factsheet import parse_factsheet
from pledgegraph.ontology import GRAPH, PLEDGE, TARGET_KINDS

if TYPE_CHECKING:
    from tests.conftest import Invoke

Row = dict[str, str]

NAMES = sorted(queries.catalogue())
HEADLINE = "Chinese Province Says It Will Nurture 20 Blockchain Companies by 2022"
HEBEI_AUTHORITY = "Information technology office of the Hebei provincial Communist Party committee"
PLAN = "Three-year blockchain development plan"

#: A value of each parameter type that the bundled dataset answers.
SAMPLES = {
    "iri": "pgid:region/CN-HE",
    "integer": "2022",
    "decimal": "0.8",
    "string": "park",
    "date": "2022-12-31",
    "boolean": "true",
    "year": "2022",
    "region": "CN-HE",
    "kind": "firms",
    "sector": "blockchain",
}

#: A second source, with what the seed lacks: a city, a national pledge, bounds, an approximate
#: range, a month deadline, a publication date and extractor confidences.
RICHER = """
source:
  url: https://example.org/news/shenzhen-ai-plan
  key: example-shenzhen
  title: Shenzhen sets AI goals
  publisher: Example Daily
  published: 2021-03-05
pledges:
  - region: Shenzhen
    authority: Shenzhen municipal government
    plan: AI action plan
    description: Shenzhen's AI goals.
    deadline: 2025-06
    sector: ai
    targets:
      - kind: firms
        quantity: 10
        bound: min
        description: At least ten AI firms.
        span: [10, 40]
        confidence: 0.5
      - kind: talent
        quantity: 20000
        bound: max
        description: Up to twenty thousand AI engineers.
        confidence: 0.95
      - kind: parks
        quantity: [1, 3]
        approximate: true
        description: Roughly one to three AI parks.
        deadline: 2023
  - region: CN
    description: A national fund for AI.
    sector: ai
    deadline: 2024
    targets:
      - kind: funds
        quantity: 1
        description: A national AI fund.
"""


# --- helpers -------------------------------------------------------------------------------


def _new_store(backend: str, request: pytest.FixtureRequest) -> Store:
    """A store filled on first use, embedded or on a real SPARQL server (``oxigraph serve``)."""
    if backend == "remote":
        from pledgegraph.graph.remote import RemoteStore

        return RemoteStore.connect(request.getfixturevalue("oxigraph_server")())
    return Store.memory()


@pytest.fixture(scope="module", params=["embedded", "remote"])
def seed(request: pytest.FixtureRequest) -> Store:
    """The bundled dataset, on both backends; module-scoped, so no test may write to it."""
    return _new_store(request.param, request)


@pytest.fixture(scope="module", params=["embedded", "remote"])
def richer(request: pytest.FixtureRequest) -> Store:
    store = _new_store(request.param, request)
    store.load_factsheet(parse_factsheet(RICHER, path="richer.pledges.yaml"))
    return store


def ask(store: Store, name: str, **params: str) -> list[Row]:
    """Rows of stored query ``name`` as ``{variable: lexical value}``, "" where unbound."""
    query = queries.get(name)
    sparql = queries.with_values(query.sparql, queries.bind(query, params))
    result = run(store, sparql, where=name)
    assert isinstance(result, ox.QuerySolutions)
    variables = [v.value for v in result.variables]
    rows = []
    for solution in result:
        row = {}
        for variable in variables:
            term = solution[variable]
            row[variable] = "" if term is None else term.value
        rows.append(row)
    return rows


def column(rows: list[Row], name: str) -> list[str]:
    return [row[name] for row in rows]


def by(rows: list[Row], key: str) -> dict[str, Row]:
    keyed = {row[key]: row for row in rows}
    assert len(keyed) == len(rows), f"{key} repeats"
    return keyed


def required_samples(query: queries.StoredQuery) -> dict[str, str]:
    return {p.name: SAMPLES[p.type] for p in query.parameters if p.required and p.default is None}


def all_samples(query: queries.StoredQuery) -> dict[str, str]:
    return {p.name: SAMPLES[p.type] for p in query.parameters}


def quad_count(store: Store) -> int:
    return len(store.inner)


# --- the catalogue -------------------------------------------------------------------------


def test_catalogue_has_the_analyst_questions() -> None:
    assert len(NAMES) >= 14
    assert {
        "parks-by-year",
        "targets-by-kind-and-year",
        "region-pledges",
        "totals-by-kind",
        "compare-regions",
        "sources",
        "provenance",
        "kinds",
    } <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_every_query_is_documented(name: str) -> None:
    query = queries.get(name)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name)
    assert query.summary and "\n" not in query.summary
    assert len(query.description.split()) >= 12, "describe the question in a few sentences"
    assert query.tags
    assert re.search(r"^ORDER BY ", query.sparql, re.MULTILINE), "order rows deterministically"
    header = "\n".join(
        line[2:].removeprefix(" ") for line in query.sparql.splitlines() if line.startswith("#+")
    )
    meta = yaml.safe_load(header)
    for entry in meta.get("defaults") or []:
        for key in entry:
            assert query.parameter(str(key)) is not None, f"a default for unknown {key!r}"


@pytest.mark.parametrize("name", NAMES)
def test_every_query_declares_its_prefixes(seed: Store, name: str) -> None:
    """Plain grlc files: they parse without pledgegraph's predeclared prefixes."""
    query = queries.get(name)
    sparql = queries.with_values(query.sparql, queries.bind(query, all_samples(query)))
    seed.inner.query(sparql, use_default_graph_as_union=True)


@pytest.mark.parametrize("name", NAMES)
def test_every_query_runs_with_its_defaults(seed: Store, name: str) -> None:
    query = queries.get(name)
    rows = ask(seed, name, **required_samples(query))
    assert isinstance(rows, list)


@pytest.mark.parametrize("name", NAMES)
def test_every_query_runs_with_every_parameter_given(seed: Store, name: str) -> None:
    query = queries.get(name)
    ask(seed, name, **all_samples(query))


@pytest.mark.parametrize(
    "name",
    [n for n in NAMES if any(p.required and p.default is None for p in queries.get(n).parameters)],
)
def test_a_missing_required_parameter_is_an_error(name: str) -> None:
    query = queries.get(name)
    with pytest.raises(QueryError, match="missing parameter"):
        queries.bind(query, {})


# --- answers on the bundled dataset -------------------------------------------------------


def test_parks_by_year(seed: Store) -> None:
    rows = ask(seed, "parks-by-year", year="2022")
    assert [(r["region"], r["regionName"], r["quantity"], r["precision"]) for r in rows] == [
        ("CN-HE", "Hebei", "3", "exact"),
        ("CN-HN", "Hunan", "5", "exact"),
    ]
    assert {r["source"] for r in rows} == {HEADLINE}
    assert {r["deadline"] for r in rows} == {"by end of 2022"}
    assert ask(seed, "parks-by-year", year="2021") == []
    assert ask(seed, "parks-by-year") == rows
    assert ask(seed, "parks-by-year", year="2030") == rows


def test_targets_by_kind_and_year(seed: Store) -> None:
    rows = ask(seed, "targets-by-kind-and-year")  # firms by 2022
    assert [(r["region"], r["quantity"], r["precision"], r["qualifier"]) for r in rows] == [
        ("CN-GZ", "~100", "approximate", "locally based"),
        ("CN-HE", "20", "exact", "leading"),
    ]
    funds = ask(seed, "targets-by-kind-and-year", kind="funds", year="2022")
    assert [(r["region"], r["regionName"], r["quantity"]) for r in funds] == [
        ("CN-BJ", "Beijing", "1")
    ]
    assert ask(seed, "targets-by-kind-and-year", kind="parks", year="2021") == []
    # the five "other" targets have no deadline, so no year includes them
    assert ask(seed, "targets-by-kind-and-year", kind="other", year="2100") == []
    with pytest.raises(QueryError, match="is not a target kind") as refused:
        ask(seed, "targets-by-kind-and-year", kind="factories")
    assert str(refused.value).endswith("give --param kind=<kind>")  # nothing close


@pytest.mark.parametrize(
    ("question", "param", "given", "meant"),
    [
        ("targets-by-kind-and-year", "kind", "research centre", "research_centres"),
        ("targets-by-kind-and-year", "kind", "prks", "parks"),
        ("pledges-by-sector", "sector", "Big Dta", "big_data"),
        ("pledges-by-sector", "sector", "fintec", "fintech"),
    ],
)
def test_a_kind_or_sector_nearly_right_gets_a_did_you_mean(
    seed: Store, question: str, param: str, given: str, meant: str
) -> None:
    """Values stay exact but for case (the same on the CLI and the web API); the message names
    the one meant."""
    with pytest.raises(QueryError) as refused:
        ask(seed, question, **{param: given})
    assert str(refused.value).endswith(f"did you mean --param {param}={meant}?")


@pytest.mark.parametrize(
    ("question", "param", "given", "meant"),
    [
        ("targets-by-kind-and-year", "kind", "Parks", "parks"),
        ("targets-by-kind-and-year", "kind", "FUNDS", "funds"),
        ("pledges-by-sector", "sector", "Blockchain", "blockchain"),
        ("pledges-by-sector", "sector", "BLOCKCHAIN", "blockchain"),
    ],
)
def test_a_kind_or_sector_in_another_case_is_the_same(
    seed: Store, question: str, param: str, given: str, meant: str
) -> None:
    """Notations are lower case with "_": neither case nor a space or hyphen for "_" matters
    (as case does not for regions)."""
    rows = ask(seed, question, **{param: meant})
    assert rows  # (each case has answers on the seed)
    assert ask(seed, question, **{param: given}) == rows


@pytest.mark.parametrize(
    ("param", "given", "meant"),
    [
        ("kind", "Research Centres", "research_centres"),
        ("kind", "research-centres", "research_centres"),
        ("sector", "Big Data", "big_data"),
        ("sector", "cloud  computing", "cloud_computing"),
    ],
)
def test_a_space_or_hyphen_stands_for_underscore(param: str, given: str, meant: str) -> None:
    name = "targets-by-kind-and-year" if param == "kind" else "pledges-by-sector"
    query = queries.get(name)
    assert queries.bind(query, {param: given}) == queries.bind(query, {param: meant})


@pytest.mark.parametrize(
    ("param", "given", "hint"),
    [
        ("kind", "par\u212as", "did you mean --param kind=parks?"),  # the Kelvin sign, not k
        ("kind", "parks\x1f", "did you mean --param kind=parks?"),  # a control character
        ("kind", "parks\u3000", "did you mean --param kind=parks?"),  # an ideographic space
        ("region", "CN-HE\x1f", "did you mean CN-HE?"),
        ("region", "Hebei\u2028", "did you mean CN-HE?"),
    ],
)
def test_only_ascii_spaces_and_case_are_forgiven(
    seed: Store, param: str, given: str, hint: str
) -> None:
    name = "targets-by-kind-and-year" if param == "kind" else "region-pledges"
    with pytest.raises(QueryError) as refused:
        ask(seed, name, **{param: given})
    assert str(refused.value).endswith(hint)


def test_a_region_code_with_underscore(seed: Store) -> None:
    assert ask(seed, "region-pledges", region="cn_he") == ask(
        seed, "region-pledges", region="CN-HE"
    )
    assert ask(seed, "region-pledges", region=" cn-he\t") == ask(
        seed, "region-pledges", region="CN-HE"
    )


def test_region_pledges_of_hebei(seed: Store) -> None:
    rows = ask(seed, "region-pledges", region="Hebei")
    assert len(rows) == 11
    assert len({r["pledge"] for r in rows}) == 2
    assert len({r["target"] for r in rows}) == 11
    assert Counter(column(rows, "kind")) == {
        "other": 5,
        "firms": 1,
        "applications": 1,
        "brands": 1,
        "parks": 1,
        "alliances": 1,
        "platforms": 1,
    }
    assert {r["region"] for r in rows} == {"CN-HE"}
    assert {r["plan"] for r in rows} == {PLAN}
    assert {r["authority"] for r in rows} == {HEBEI_AUTHORITY}
    brands = next(r for r in rows if r["kind"] == "brands")
    assert (brands["quantity"], brands["precision"], brands["qualifier"]) == (
        "1–3",
        "range",
        "nationally recognised",
    )
    firms = next(r for r in rows if r["kind"] == "firms")
    assert (firms["quantity"], firms["precision"], firms["deadline"]) == (
        "20",
        "exact",
        "by end of 2022",
    )
    assert Counter(column(rows, "precision")) == {"unspecified": 7, "exact": 3, "range": 1}
    # first pledge's targets first, in sheet order
    assert column(rows, "target")[:4] == [
        f"https://w3id.org/pledgegraph/id/pledge/cryptonews-7376/1/target/{n}" for n in (1, 2, 3, 4)
    ]
    assert ask(seed, "region-pledges", region="CN-HE") == rows
    assert ask(seed, "region-pledges", region="河北") == rows


def test_region_pledges_of_a_country_include_its_provinces(seed: Store) -> None:
    rows = ask(seed, "region-pledges", region="CN")
    assert len(rows) == 15
    assert Counter(column(rows, "region")) == {"CN-HE": 11, "CN-BJ": 2, "CN-GZ": 1, "CN-HN": 1}
    guizhou = next(r for r in rows if r["region"] == "CN-GZ")
    assert (guizhou["quantity"], guizhou["precision"]) == ("~100", "approximate")
    assert ask(seed, "region-pledges", region="CN-SH") == []
    with pytest.raises(QueryError, match="not a region the gazetteer knows"):
        ask(seed, "region-pledges", region="Atlantis")


def test_totals_by_kind_keep_precisions_apart(seed: Store) -> None:
    rows = ask(seed, "totals-by-kind")
    table = {(r["kind"], r["deadlineYear"]): r for r in rows}
    assert set(table) == {
        ("alliances", ""),
        ("applications", "2022"),
        ("brands", "2022"),
        ("firms", "2022"),
        ("funds", "2022"),
        ("other", ""),
        ("parks", "2022"),
        ("platforms", ""),
        ("talent", "2022"),
    }
    firms = table["firms", "2022"]
    assert firms["targets"] == "2"
    assert firms["exact"] == "1"
    assert firms["exactSum"] == "20"  # ~100 is not added as if it were exact
    assert firms["approximate"] == "1"
    assert firms["approximateLabels"] == "~100"
    assert firms["unspecified"] == "0"
    assert firms["pledgedAtLeast"] == "20"
    parks = table["parks", "2022"]
    assert (parks["targets"], parks["exactSum"], parks["approximate"]) == ("2", "8", "0")
    brands = table["brands", "2022"]
    assert (brands["ranges"], brands["rangeMin"], brands["rangeMax"]) == ("1", "1", "3")
    assert (brands["exactSum"], brands["pledgedAtLeast"]) == ("0", "1")
    other = table["other", ""]
    # other counts different things: counted, never added
    assert (other["targets"], other["unspecified"], other["exactSum"]) == ("5", "5", "")
    assert other["pledgedAtLeast"] == other["rangeMin"] == other["rangeMax"] == ""
    assert sum(int(r["targets"]) for r in rows) == 15
    for row in rows:
        parts = ("exact", "ranges", "approximate", "bounded", "unspecified")
        assert sum(int(row[p]) for p in parts) == int(row["targets"])
    # undated rows come after dated ones within a kind; kinds in alphabetical order
    assert column(rows, "kind") == sorted(column(rows, "kind"))


def test_totals_by_kind_filters(seed: Store) -> None:
    only = ask(seed, "totals-by-kind", kind="firms", year="2022")
    assert [(r["kind"], r["deadlineYear"], r["exactSum"]) for r in only] == [
        ("firms", "2022", "20")
    ]
    assert {r["kind"] for r in ask(seed, "totals-by-kind", kind="other")} == {"other"}
    assert len(ask(seed, "totals-by-kind", year="2022")) == 6
    assert ask(seed, "totals-by-kind", year="2021") == []


def test_unspecified_quantities(seed: Store) -> None:
    rows = ask(seed, "unspecified-quantities")
    assert len(rows) == 7
    assert {r["region"] for r in rows} == {"CN-HE"}
    assert Counter(column(rows, "kind")) == {"other": 5, "applications": 1, "platforms": 1}
    applications = next(r for r in rows if r["kind"] == "applications")
    assert applications["deadline"] == "by end of 2022"
    assert ask(seed, "unspecified-quantities", region="Hebei") == rows
    assert ask(seed, "unspecified-quantities", region="Beijing") == []


def test_ranges_and_approximations(seed: Store) -> None:
    rows = ask(seed, "ranges-and-approximations")
    assert [
        (
            r["region"],
            r["kind"],
            r["quantity"],
            r["precision"],
            r["value"],
            r["minimum"],
            r["maximum"],
        )
        for r in rows
    ] == [
        ("CN-GZ", "firms", "~100", "approximate", "100", "", ""),
        ("CN-HE", "brands", "1–3", "range", "", "1", "3"),
    ]
    assert column(ask(seed, "ranges-and-approximations", kind="brands"), "quantity") == ["1–3"]
    assert ask(seed, "ranges-and-approximations", kind="parks") == []


def test_sources(seed: Store) -> None:
    rows = ask(seed, "sources")
    assert len(rows) == 1
    (row,) = rows
    assert row["headline"] == HEADLINE
    assert row["publisher"] == "Cryptonews"
    assert row["reportedVia"] == "Shanghai Securities News"
    assert row["url"].startswith("https://cryptonews.com/news/")
    assert (row["pledges"], row["targets"], row["regions"]) == ("5", "15", "4")
    assert row["source"] == "https://w3id.org/pledgegraph/id/source/cryptonews-7376"


def test_provenance(seed: Store) -> None:
    rows = ask(seed, "provenance")
    assert len(rows) == 15
    assert {r["source"] for r in rows} == {HEADLINE}
    starts = [int(r["start"]) for r in rows]
    assert starts == sorted(starts)
    assert all(int(r["start"]) < int(r["end"]) for r in rows)
    spans = {(r["region"], r["kind"], r["quantity"]): (r["start"], r["end"]) for r in rows}
    assert spans["CN-HE", "firms", "20"] == ("807", "854")
    assert spans["CN-GZ", "firms", "~100"] == ("1707", "1762")
    assert spans["CN-HN", "parks", "5"] == ("1783", "1836")
    beijing = ask(seed, "provenance", region="Beijing")
    assert [(r["kind"], r["start"], r["end"]) for r in beijing] == [
        ("talent", "1875", "1955"),
        ("funds", "1968", "2030"),
    ]


def test_authorities(seed: Store) -> None:
    rows = ask(seed, "authorities")
    assert {r["authorityName"] for r in rows} == {HEBEI_AUTHORITY}
    assert {r["region"] for r in rows} == {"CN-HE"}
    targets = {r["kind"]: int(r["targets"]) for r in rows}
    assert targets == {
        "alliances": 1,
        "applications": 1,
        "brands": 1,
        "firms": 1,
        "other": 5,
        "parks": 1,
        "platforms": 1,
    }
    assert by(rows, "kind")["other"]["quantified"] == "0"
    assert by(rows, "kind")["firms"]["quantified"] == "1"
    assert column(rows, "kind") == sorted(targets)


def test_due_in_year(seed: Store) -> None:
    rows = ask(seed, "due-in-year", year="2022")
    assert len(rows) == 8
    assert Counter(column(rows, "region")) == {"CN-HE": 4, "CN-BJ": 2, "CN-GZ": 1, "CN-HN": 1}
    assert {r["dueBy"] for r in rows} == {"2022-12-31"}
    assert ("CN-GZ", "firms", "~100", "approximate") in [
        (r["region"], r["kind"], r["quantity"], r["precision"]) for r in rows
    ]
    assert ask(seed, "due-in-year", year="2021") == []
    assert ask(seed, "due-in-year", year="2023") == []


def test_compare_regions(seed: Store) -> None:
    rows = ask(seed, "compare-regions")
    assert column(rows, "region") == ["CN-HE", "CN-BJ", "CN-GZ", "CN-HN"]
    table = by(rows, "region")
    hebei = table["CN-HE"]
    assert (hebei["regionName"], hebei["regionType"]) == ("Hebei", "Province")
    assert {k: hebei[k] for k in ("pledges", "targets", "quantified", "unspecified")} == {
        "pledges": "2",
        "targets": "11",
        "quantified": "4",
        "unspecified": "7",
    }
    assert {
        k: hebei[k]
        for k in ("firms", "parks", "brands", "applications", "alliances", "platforms", "other")
    } == {
        "firms": "1",
        "parks": "1",
        "brands": "1",
        "applications": "1",
        "alliances": "1",
        "platforms": "1",
        "other": "5",
    }
    assert (hebei["funds"], hebei["talent"]) == ("0", "0")
    beijing = table["CN-BJ"]
    assert (beijing["regionType"], beijing["funds"], beijing["talent"], beijing["firms"]) == (
        "Municipality",
        "1",
        "1",
        "0",
    )
    assert (table["CN-GZ"]["firms"], table["CN-HN"]["parks"]) == ("1", "1")
    kinds = [
        "firms",
        "parks",
        "brands",
        "applications",
        "funds",
        "talent",
        "alliances",
        "researchCentres",
        "platforms",
        "standards",
        "other",
    ]
    for row in rows:
        assert sum(int(row[k]) for k in kinds) == int(row["targets"])
    assert ask(seed, "compare-regions", country="CN") == rows
    assert column(ask(seed, "compare-regions", country="Hunan"), "region") == ["CN-HN"]
    assert ask(seed, "compare-regions", country="US") == []


def test_pledges_by_sector(seed: Store) -> None:
    rows = ask(seed, "pledges-by-sector")
    assert len(rows) == 1
    (row,) = rows
    assert (row["sector"], row["sectorName"]) == ("blockchain", "blockchain")
    assert (row["pledges"], row["targets"], row["regions"]) == ("5", "15", "4")
    assert sorted(row["regionCodes"].split(", ")) == ["CN-BJ", "CN-GZ", "CN-HE", "CN-HN"]
    assert ask(seed, "pledges-by-sector", sector="blockchain") == rows
    assert ask(seed, "pledges-by-sector", sector="ai") == []


def test_largest_targets(seed: Store) -> None:
    rows = ask(seed, "largest-targets")
    assert len(rows) == 8  # the quantified targets
    sizes = [int(r["size"]) for r in rows]
    assert sizes == sorted(sizes, reverse=True)
    assert (rows[0]["region"], rows[0]["quantity"], rows[0]["precision"]) == (
        "CN-GZ",
        "~100",
        "approximate",
    )
    assert (rows[1]["region"], rows[1]["quantity"]) == ("CN-HE", "20")
    brands = next(r for r in rows if r["kind"] == "brands")
    assert (brands["size"], brands["quantity"], brands["precision"]) == ("3", "1–3", "range")
    parks = ask(seed, "largest-targets", kind="parks")
    assert [(r["region"], r["quantity"]) for r in parks] == [("CN-HN", "5"), ("CN-HE", "3")]
    assert ask(seed, "largest-targets", kind="applications") == []


@pytest.mark.parametrize("backend", ["embedded", "remote"])
def test_largest_targets_cut_at_25_with_ties_and_a_restated_graph(
    backend: str, request: pytest.FixtureRequest
) -> None:
    """More than 25 sized targets, with ties at the 25th: the question reads only the targets
    at least as large as the 25th (pledge:rowSize) and must rank as reading every target's
    quantity does (here, a plain SPARQL over the quantity nodes): by size, then region, kind and
    target. A target restated in a second graph counts once; with kind, the 25 largest of it."""
    sizes = [7, 40, 12, 12, 3, 25, 25, 25, 9, 18, 30, 30, 1, 2, 64, 12, 12, 12, 5, 8]
    pledges = "".join(
        f"  - region: {region}\n    deadline: 2025\n    targets:\n"
        + "".join(
            f"      - kind: {kind}\n        quantity: {n}\n"
            for n in sizes
            for kind in ("parks", "firms")
        )
        for region in ("Hebei", "Hunan")
    )
    text = (
        "source:\n  url: https://example.org/many\n  key: example-many\n"
        f"  title: Many targets\npledges:\n{pledges}"
    )
    store = _new_store(backend, request)
    store.load_factsheet(parse_factsheet(text, path="many.pledges.yaml"))
    if backend == "embedded":
        _copy_graph(store, GRAPH + "source/example-many", GRAPH + "restated")
    every = run(
        store,
        "SELECT DISTINCT ?t ?size ?kind WHERE { ?t pledge:kind/skos:notation ?kind ; "
        "pledge:quantity ?q . OPTIONAL { ?q schema:value ?v } OPTIONAL { ?q schema:maxValue ?m } "
        "BIND(COALESCE(?v, ?m) AS ?size) FILTER(BOUND(?size)) }",
        where="test",
    )
    assert isinstance(every, ox.QuerySolutions)
    sized = [(int(r["size"].value), r["kind"].value) for r in every]  # type: ignore[union-attr]
    assert len(sized) > 80  # the bundled targets and this sheet's 80

    def ranked(rows: list[Row]) -> list[tuple[int, str, str]]:
        keys = [(-int(r["size"]), r["region"], r["kind"]) for r in rows]
        assert keys == sorted(keys)
        return keys

    rows = ask(store, "largest-targets")
    assert sorted(-k[0] for k in ranked(rows)) == sorted(n for n, _ in sized)[-25:]
    assert len({r["target"] for r in rows}) == 25
    for kind in ("parks", "firms"):
        of_kind = ask(store, "largest-targets", kind=kind)
        assert {r["kind"] for r in of_kind} == {kind}
        assert (
            sorted(-k[0] for k in ranked(of_kind)) == sorted(n for n, k in sized if k == kind)[-25:]
        )


def test_a_missing_size_key_is_out_of_date_and_reindex_writes_it() -> None:
    from pledgegraph.graph.rows import rebuild_rows, stale_rows

    store = Store.memory()
    before = ask(store, "largest-targets")
    store.inner.update(f"DELETE WHERE {{ GRAPH ?g {{ ?t <{PLEDGE}rowSize> ?v }} }}")
    assert len(stale_rows(store)) == 8  # the 8 sized targets
    assert rebuild_rows(store).changed == 8
    assert stale_rows(store) == [] and ask(store, "largest-targets") == before


@pytest.mark.parametrize("backend", ["embedded", "remote"])
def test_index_quads_in_the_default_graph_are_reported_removed_and_change_no_answer(
    backend: str, request: pytest.FixtureRequest
) -> None:
    """A SPARQL update without GRAPH writes into the default graph: reindex --check lists such
    index quads, reindex removes them, and largest-targets never counts them."""
    from pledgegraph.graph.rows import rebuild_rows, stale_rows

    store = _new_store(backend, request)
    before = ask(store, "largest-targets")
    keys = " ".join(
        f"<https://example.org/n{i}> <{PLEDGE}rowSize> {10**9 + i} ." for i in range(25)
    )
    store.inner.update(f"INSERT DATA {{ {keys} _:b <{PLEDGE}rowRange> 'x' . }}")
    assert ask(store, "largest-targets") == before
    problems = stale_rows(store)
    assert len(problems) == 26
    assert {p[0] for p in problems} == {"(default graph)"}
    assert {p[2] for p in problems} == {"index outside a source graph"}
    rebuild_rows(store)
    assert stale_rows(store) == [] and ask(store, "largest-targets") == before


def test_deadlines(seed: Store) -> None:
    rows = ask(seed, "deadlines")
    assert [
        (r["year"], r["targets"], r["quantified"], r["pledges"], r["regions"]) for r in rows
    ] == [
        ("2022", "8", "7", "4", "4"),
        ("", "7", "1", "1", "1"),  # Hebei's second pledge has no date
    ]
    assert sorted(rows[0]["regionCodes"].split(", ")) == ["CN-BJ", "CN-GZ", "CN-HE", "CN-HN"]
    assert rows[1]["regionCodes"] == "CN-HE"


def test_region_hierarchy(seed: Store) -> None:
    rows = ask(seed, "region-hierarchy")
    assert column(rows, "region") == ["CN", "CN-BJ", "CN-GZ", "CN-HE", "CN-HN"]
    table = by(rows, "region")
    china = table["CN"]
    assert (china["regionName"], china["regionNameZh"], china["regionType"], china["parent"]) == (
        "China",
        "中国",
        "Country",
        "",
    )
    assert (china["directPledges"], china["pledgesWithin"], china["targetsWithin"]) == (
        "0",
        "5",
        "15",
    )
    hebei = table["CN-HE"]
    assert (hebei["regionNameZh"], hebei["parent"], hebei["parentName"]) == (
        "河北省",
        "CN",
        "China",
    )
    assert (hebei["directPledges"], hebei["directTargets"]) == ("2", "11")
    assert (hebei["pledgesWithin"], hebei["targetsWithin"]) == ("2", "11")
    assert table["CN-BJ"]["regionType"] == "Municipality"


def test_kinds(seed: Store) -> None:
    rows = ask(seed, "kinds")
    assert column(rows, "notation") == sorted(TARGET_KINDS)
    table = by(rows, "notation")
    assert (table["firms"]["label"], table["firms"]["labelZh"]) == ("firms", "企业")
    assert table["parks"]["labelZh"] == "产业园区"
    assert all(r["definition"] for r in rows)
    counts = {r["notation"]: int(r["targets"]) for r in rows}
    assert counts == {
        "firms": 2,
        "parks": 2,
        "brands": 1,
        "applications": 1,
        "funds": 1,
        "talent": 1,
        "alliances": 1,
        "research_centres": 0,
        "platforms": 1,
        "standards": 0,
        "other": 5,
    }
    assert (table["firms"]["regions"], table["other"]["regions"]) == ("2", "1")


def test_sectors(seed: Store) -> None:
    rows = ask(seed, "sectors")
    table = by(rows, "notation")
    assert len(rows) == 14
    assert column(rows, "notation") == sorted(table)
    blockchain = table["blockchain"]
    assert (blockchain["labelZh"], blockchain["pledges"], blockchain["targets"]) == (
        "区块链",
        "5",
        "15",
    )
    assert table["ai"]["label"] == "artificial intelligence"
    assert {r["targets"] for r in rows if r["notation"] != "blockchain"} == {"0"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("park", [("CN-HE", "3"), ("CN-HN", "5")]),
        ("PARKS", [("CN-HE", "3"), ("CN-HN", "5")]),
        ("incubator", [("CN-HE", "3"), ("CN-HN", "5")]),  # an altLabel of kind:parks
        ("园区", [("CN-HE", "3"), ("CN-HN", "5")]),
        ("hunan", [("CN-HN", "5")]),
        ("BaaS", [("CN-HE", "unspecified")]),
        ("ai", []),  # a word start: not the "ai" inside "blockchain"
        ("nothing like this", []),
    ],
)
def test_search(seed: Store, text: str, expected: list[tuple[str, str]]) -> None:
    rows = ask(seed, "search", text=text)
    assert [(r["region"], r["quantity"]) for r in rows] == expected


def test_search_in_chinese_finds_a_region(seed: Store) -> None:
    rows = ask(seed, "search", text="河北")
    assert len(rows) == 11
    assert {r["region"] for r in rows} == {"CN-HE"}


def test_undated_targets(seed: Store) -> None:
    rows = ask(seed, "undated-targets")
    assert len(rows) == 7
    assert {(r["region"], r["plan"]) for r in rows} == {("CN-HE", PLAN)}
    assert Counter(column(rows, "kind")) == {"other": 5, "alliances": 1, "platforms": 1}
    alliances = next(r for r in rows if r["kind"] == "alliances")
    assert alliances["quantity"] == "1"
    assert ask(seed, "undated-targets", region="Hunan") == []


def test_confidence_review_is_empty_for_curated_facts(seed: Store) -> None:
    assert ask(seed, "confidence-review") == []
    assert ask(seed, "confidence-review", threshold="1.01") == []


def test_a_decimal_parameter_is_bound_exactly_or_refused() -> None:
    """An outside attack: threshold=0.800000000000000000000000000001 was rounded to 0.8 (28
    digits of Python's default context), and Oxigraph compares 18 digits after the point:
    such a value is refused in one line, not changed."""
    from pledgegraph.errors import QueryError

    query = queries.get("confidence-review")
    for fine, bound in (
        ("0.8", "0.8"),
        ("0.000000000000000001", "0.000000000000000001"),
        ("12345678901234567890.5", "12345678901234567890.5"),
        ("000001.50000000000000000000000", "1.5"),
    ):
        [literal] = queries.bind(query, {"threshold": fine}).values()
        assert literal.value == bound
    for odd in ("0.800000000000000000000000000001", "123456789012345678901234567891"):
        with pytest.raises(QueryError, match="at most 20 digits before the point and 18 after"):
            queries.bind(query, {"threshold": odd})


def test_the_questions_agree_on_the_totals(seed: Store) -> None:
    total = 15
    assert len(ask(seed, "region-pledges", region="CN")) == total
    assert sum(int(r["targets"]) for r in ask(seed, "compare-regions")) == total
    assert sum(int(r["targets"]) for r in ask(seed, "deadlines")) == total
    assert sum(int(r["targets"]) for r in ask(seed, "totals-by-kind")) == total
    assert sum(int(r["targets"]) for r in ask(seed, "kinds")) == total
    assert len(ask(seed, "provenance")) == total
    quantified = len(ask(seed, "largest-targets"))
    assert quantified + len(ask(seed, "unspecified-quantities")) == total


# --- richer data: a city, a national pledge, bounds, month deadlines, confidences ---------


def test_richer_totals_keep_bounds_apart(richer: Store) -> None:
    table = {(r["kind"], r["deadlineYear"]): r for r in ask(richer, "totals-by-kind")}
    firms = table["firms", "2025"]
    assert (firms["bounded"], firms["boundedLabels"], firms["exactSum"]) == ("1", "≥ 10", "0")
    assert firms["pledgedAtLeast"] == "10"
    talent = table["talent", "2025"]
    assert (talent["boundedLabels"], talent["pledgedAtLeast"]) == ("≤ 20000", "0")
    parks = table["parks", "2023"]  # "~1–3" is approximate, not a range to add
    assert (parks["approximate"], parks["approximateLabels"], parks["ranges"]) == ("1", "~1–3", "0")
    assert parks["pledgedAtLeast"] == "0"
    assert table["firms", "2022"]["exactSum"] == "20"


def test_richer_quantity_labels(richer: Store) -> None:
    rows = ask(richer, "ranges-and-approximations")
    shown = {(r["quantity"], r["precision"]) for r in rows}
    assert shown == {
        ("~100", "approximate"),
        ("~1–3", "approximate"),
        ("1–3", "range"),
        ("≥ 10", "at least"),
        ("≤ 20000", "up to"),
    }
    largest = ask(richer, "largest-targets")
    assert (largest[0]["quantity"], largest[0]["precision"]) == ("≤ 20000", "up to")


def test_richer_cities_and_countries(richer: Store) -> None:
    compared = by(ask(richer, "compare-regions"), "region")
    shenzhen = compared["CN-GD/shenzhen"]  # cities have no ISO code: their key stands in
    assert (shenzhen["regionName"], shenzhen["regionType"], shenzhen["targets"]) == (
        "Shenzhen",
        "City",
        "3",
    )
    assert compared["CN"]["funds"] == "1"
    guangdong = ask(richer, "region-pledges", region="Guangdong")
    assert {r["region"] for r in guangdong} == {"CN-GD/shenzhen"}
    assert len(guangdong) == 3
    assert len(ask(richer, "region-pledges", region="CN")) == 19
    hierarchy = by(ask(richer, "region-hierarchy"), "region")
    assert (hierarchy["CN-GD/shenzhen"]["parent"], hierarchy["CN-GD"]["targetsWithin"]) == (
        "CN-GD",
        "3",
    )
    assert (hierarchy["CN"]["directPledges"], hierarchy["CN"]["pledgesWithin"]) == ("1", "7")
    authorities = {r["authorityName"]: r["region"] for r in ask(richer, "authorities")}
    assert authorities["Shenzhen municipal government"] == "CN-GD/shenzhen"


def test_richer_deadlines_and_confidence(richer: Store) -> None:
    due = ask(richer, "due-in-year", year="2025")
    assert {(r["kind"], r["dueBy"], r["precision"]) for r in due} == {
        ("firms", "2025-06-30", "at least"),
        ("talent", "2025-06-30", "up to"),
    }
    years = [r["year"] for r in ask(richer, "deadlines")]
    assert years == ["2022", "2023", "2024", "2025", ""]
    review = ask(richer, "confidence-review")
    assert [(r["confidence"], r["kind"], r["start"], r["end"]) for r in review] == [
        ("0.5", "firms", "10", "40")
    ]
    assert ask(richer, "confidence-review", threshold="0.4") == []
    assert [r["kind"] for r in ask(richer, "confidence-review", threshold="1")] == [
        "firms",
        "talent",
    ]


def test_richer_sources_and_sectors(richer: Store) -> None:
    sources = ask(richer, "sources")
    assert [(r["publisher"], r["published"], r["pledges"], r["targets"]) for r in sources] == [
        ("Cryptonews", "", "5", "15"),
        ("Example Daily", "2021-03-05", "2", "4"),
    ]
    (ai,) = ask(richer, "pledges-by-sector", sector="ai")
    assert (ai["pledges"], ai["targets"], sorted(ai["regionCodes"].split(", "))) == (
        "2",
        "4",
        ["CN", "CN-GD/shenzhen"],
    )
    assert [r["region"] for r in ask(richer, "search", text="ai")] == [
        "CN",
        "CN-GD/shenzhen",
        "CN-GD/shenzhen",
        "CN-GD/shenzhen",
    ]


# --- the same facts in more than one graph -------------------------------------------------


def _copy_graph(store: Store, source: str, target: str) -> None:
    for quad in list(store.inner.quads_for_pattern(None, None, None, ox.NamedNode(source))):
        store.inner.add(ox.Quad(quad.subject, quad.predicate, quad.object, ox.NamedNode(target)))


@pytest.fixture(scope="module")
def restated() -> Store:
    """Regions and deadlines described again in the links graph, the TBox in the inferred one."""
    store = Store.memory()
    _copy_graph(store, GRAPH + "reference", GRAPH + "links")
    _copy_graph(store, GRAPH + "ontology", GRAPH + "inferred")
    return store


@pytest.fixture(scope="module")
def restated_facts() -> Store:
    """The source graph's facts restated in the inferred graph too (a full OWL 2 RL closure)."""
    store = Store.memory()
    _copy_graph(store, GRAPH + "source/cryptonews-7376", GRAPH + "inferred")
    return store


def _params_for(name: str) -> dict[str, str]:
    params = required_samples(queries.get(name))
    if name == "region-pledges":
        params["region"] = "CN"
    return params


@pytest.mark.parametrize("name", NAMES)
def test_shared_nodes_described_in_two_graphs_change_no_answer(
    seed: Store, restated: Store, name: str
) -> None:
    """pyoxigraph's union default graph repeats a triple once per graph that holds it."""
    assert ask(restated, name, **_params_for(name)) == ask(seed, name, **_params_for(name))


#: The counting questions. Listing questions are left out: they stay right (DISTINCT) but every
#: restated triple doubles the rows they must collapse, so a full closure costs them seconds.
COUNTING = [
    "authorities",
    "compare-regions",
    "deadlines",
    "kinds",
    "pledges-by-sector",
    "region-hierarchy",
    "sectors",
    "sources",
    "totals-by-kind",
]


@pytest.mark.parametrize("name", COUNTING)
def test_restated_facts_inflate_no_count(seed: Store, restated_facts: Store, name: str) -> None:
    assert ask(restated_facts, name, **_params_for(name)) == ask(seed, name, **_params_for(name))


def test_inferred_transitive_part_of_is_not_taken_for_the_parent(richer: Store) -> None:
    store = Store.memory()
    store.load_factsheet(parse_factsheet(RICHER, path="richer.pledges.yaml"))
    store.inner.add(
        ox.Quad(
            ox.NamedNode("https://w3id.org/pledgegraph/id/region/CN-GD/shenzhen"),
            ox.NamedNode(PLEDGE + "partOf"),
            ox.NamedNode("https://w3id.org/pledgegraph/id/region/CN"),
            ox.NamedNode(GRAPH + "inferred"),
        )
    )
    assert ask(store, "region-hierarchy") == ask(richer, "region-hierarchy")
    assert ask(store, "compare-regions", country="CN") == ask(
        richer, "compare-regions", country="CN"
    )


# --- hostile parameter values --------------------------------------------------------------

HOSTILE = [
    "2022 } ; DROP ALL ; #",
    '2022" } ; DROP ALL ; #',
    "2022' } ; DELETE WHERE { ?s ?p ?o } #",
    '"""\n} INSERT DATA { <urn:x> <urn:y> <urn:z> } #',
    "<urn:evil> } UNION { ?s ?p ?o",
    "CN-HE\n} ; CLEAR DEFAULT",
    "河北 } ; DROP ALL",
    "\\u0022 } ; DROP ALL ; #",
    "a\x00b\u202e\u200b😀",
    "",
]

#: A stored query with one parameter of every type, to try each binder.
EVERY_TYPE = """#+ summary: every parameter type
PREFIX pledge: <https://w3id.org/pledgegraph/ontology#>
SELECT ?pledge WHERE {
  ?pledge a pledge:Pledge .
  FILTER(?_a_iri != ?_b_integer || ?_c_decimal != ?_d_string || ?_e_date != ?_f_boolean
         || ?_g_year != ?_h_region || ?_i_kind != ?_j_sector)
}
ORDER BY ?pledge
"""


def _every_type_values() -> dict[str, str]:
    query = queries.parse_stored_query("every-type", EVERY_TYPE)
    return {p.name: SAMPLES[p.type] for p in query.parameters}


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("name", NAMES)
def test_a_hostile_value_is_rejected_or_bound_as_a_literal(
    seed: Store, name: str, value: str
) -> None:
    before = quad_count(seed)
    query = queries.get(name)
    for param in query.parameters:
        values = {**all_samples(query), param.name: value}
        try:
            bound = queries.bind(query, values)
        except QueryError:
            assert param.type != "string", "any text is a valid string"
            continue
        assert param.type == "string", f"{param.type} parameter took {value!r}"
        term = bound[ox.Variable(param.variable)]
        assert isinstance(term, ox.Literal)
        assert term.value == value
        assert term.datatype == ox.NamedNode("http://www.w3.org/2001/XMLSchema#string")
        sparql = queries.with_values(query.sparql, bound)
        assert sparql.count("VALUES (") == 1
        rows = ask(seed, name, **values)
        if name == "search" and param.name == "text" and value.strip():
            assert rows == [], "hostile text matches nothing"
    assert quad_count(seed) == before


@pytest.mark.parametrize("value", HOSTILE)
def test_every_binder_rejects_or_escapes_a_hostile_value(seed: Store, value: str) -> None:
    before = quad_count(seed)
    query = queries.parse_stored_query("every-type", EVERY_TYPE)
    assert {p.type for p in query.parameters} == set(SAMPLES)
    for param in query.parameters:
        values = {**_every_type_values(), param.name: value}
        try:
            bound = queries.bind(query, values)
        except QueryError:
            continue
        assert param.type == "string", f"{param.type} parameter took {value!r}"
        result = run(seed, queries.with_values(query.sparql, bound))
        assert isinstance(result, ox.QuerySolutions)
        list(result)
    assert quad_count(seed) == before


def test_an_undecodable_string_is_a_query_error() -> None:
    with pytest.raises(QueryError):
        queries.bind(queries.get("search"), {"text": "caf\udce9"})


def test_the_store_is_unchanged_by_every_question(seed: Store) -> None:
    before = sorted(str(q) for q in seed.inner)
    for name in NAMES:
        ask(seed, name, **all_samples(queries.get(name)))
    assert sorted(str(q) for q in seed.inner) == before


def test_inferred_triples_change_no_answer_of_the_plain_questions() -> None:
    """After 'reason' (owl:sameAs aliases, inverses, super-classes), the questions that are not
    about reasoning give the same rows as on the asserted data alone."""
    from pledgegraph.graph.reasoning.engine import materialise

    store = Store.memory()
    materialise(store)
    for name in NAMES:
        if name.startswith("reason-"):
            continue
        query = queries.get(name)
        sparql = queries.with_values(query.sparql, queries.bind(query, all_samples(query)))
        with_inferred = run(store, sparql, inferred=True)
        asserted = run(store, sparql, inferred=False)
        assert isinstance(with_inferred, ox.QuerySolutions) and isinstance(
            asserted, ox.QuerySolutions
        )
        assert [str(r) for r in with_inferred] == [str(r) for r in asserted], name


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_iris_in_tables_can_be_pasted_into_a_query(seed: Store, fmt: str) -> None:
    """Issue 9: a table printed ``pgid:pledge/cryptonews-7376/4``, which is not valid SPARQL.
    Every IRI cell (prefixed name or <IRI>) now works pasted into DESCRIBE."""
    from pledgegraph.graph.query import result_text

    query = queries.get("region-pledges")
    sparql = queries.with_values(query.sparql, queries.bind(query, {"region": "CN-HE"}))
    text = result_text(run(seed, sparql), fmt=fmt)
    cells = {c.strip() for line in text.splitlines() for c in re.split(r"[|│┃]", line)}
    iris = sorted(c for c in cells if c.startswith("<") or re.match(r"^[a-z]+:\S", c))
    assert any(c.startswith("<https://w3id.org/pledgegraph/id/pledge/") for c in iris), iris
    assert "pgid:pledge/" not in text
    for cell in iris:
        described = run(seed, f"DESCRIBE {cell}", where=cell)
        assert isinstance(described, ox.QueryTriples)
        assert list(described), f"{cell} pasted into DESCRIBE found nothing"


def test_the_readme_does_not_claim_grlc_serves_the_questions() -> None:
    """Issue 9: grlc 1.3.11's rewriter turns ``?_region_region`` into ``"CN-HE"@region`` and
    pastes values unescaped; the README says so instead of claiming grlc can serve the files."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Stored questions", 1)[1].split("\n## ", 1)[0]
    assert "grlc itself cannot serve them" in section
    assert "the same files can be served" not in section
    uses_our_types = {p.type for q in queries.catalogue().values() for p in q.parameters} & {
        "region",
        "kind",
        "sector",
        "year",
        "decimal",
        "string",
    }
    assert uses_our_types, "no pledgegraph-only parameter type left: revisit the grlc note"


# --- pledge:row, the targets' precomputed summaries (issue 12) ------------------------------

ROW_IRI = PLEDGE + "row"


def test_rows_computed_from_the_graph_equal_the_rows_the_loader_writes(richer: Store) -> None:
    from pledgegraph.graph.rows import expected_rows, stale_rows, stored_rows

    stored = stored_rows(richer)
    assert len(stored) == 15 + 4  # the seed's targets and the richer sheet's
    assert expected_rows(richer) == stored
    assert stale_rows(richer) == []


def test_an_rdf_file_without_rows_gets_them_and_the_same_answers(tmp_path: Path) -> None:
    """A source loaded as N-Quads from elsewhere (no pledge:row) answers the listing questions
    exactly as the same source loaded from its fact sheet."""
    from pledgegraph.graph.rows import stale_rows
    from pledgegraph.loaders.rdf import reference_nquads, source_nquads

    sheet = parse_factsheet(RICHER, path="richer.pledges.yaml")
    from_sheet = Store.memory()
    from_sheet.load_factsheet(sheet)
    path = tmp_path / "richer.nt"  # as triples: a file has its own graph
    path.write_text(
        "".join(
            line.rsplit(" <", 1)[0] + " .\n" for line in source_nquads(sheet) if ROW_IRI not in line
        )
    )
    from_file = Store.memory()
    from_file.inner.load("".join(reference_nquads(sheet)).encode(), ox.RdfFormat.N_QUADS)
    from_file.load_rdf(str(path))
    assert stale_rows(from_file) == []
    for name in ("parks-by-year", "targets-by-kind-and-year", "largest-targets", "due-in-year"):
        query = queries.get(name)
        params = {p.name: SAMPLES[p.type] for p in query.parameters if p.required}
        assert ask(from_file, name, **params) == ask(from_sheet, name, **params), name


def test_reindex_counts_stray_index_quads_apart_from_rows(cli: Invoke, store_path: Path) -> None:
    assert cli("reindex", "--check").exit_code == 0
    with Store.open(store_path) as store:  # index quads on nodes that are no target, by hand
        keys = " ".join(f"<https://example.org/n{i}> <{PLEDGE}rowSize> {i} ." for i in range(30))
        store.inner.update(f"INSERT DATA {{ {keys} }}")
    checked = cli("reindex", "--check")
    assert checked.exit_code == 1
    assert checked.stderr.strip() == (
        "index on 30 nodes that are no target; run 'pledgegraph reindex'"
    )
    rebuilt = cli("reindex")
    assert rebuilt.stderr.strip() == "15 targets, 0 rows written, 30 stray index quads removed"
    assert cli("reindex", "--check").exit_code == 0


def test_reindex_rebuilds_a_stale_row_and_check_reports_it(cli: Invoke, store_path: Path) -> None:
    assert cli("reindex", "--check").exit_code == 0
    with Store.open(store_path) as store:  # a row edited by hand, as an Update on a server might
        store.inner.update(
            "DELETE { GRAPH ?g { ?t pledge:row ?r } } INSERT { GRAPH ?g { ?t pledge:row 'x' } } "
            "WHERE { GRAPH ?g { ?t pledge:row ?r } FILTER(STRENDS(STR(?t), '/1/target/1')) }",
            prefixes={"pledge": PLEDGE},
        )
    checked = cli("reindex", "--check")
    assert checked.exit_code == 1
    assert checked.stdout.startswith(
        "https://w3id.org/pledgegraph/id/pledge/cryptonews-7376/1/target/1\tout of date\t"
    )
    assert checked.stderr.strip() == "1 row missing or out of date; run 'pledgegraph reindex'"
    rebuilt = cli("reindex")
    assert rebuilt.exit_code == 0
    assert rebuilt.stderr.strip() == "15 targets, 1 row written"
    assert cli("reindex", "--check").exit_code == 0
    answer = cli("query", "parks-by-year", "-f", "csv")
    assert answer.exit_code == 0 and "CN-HE" in answer.stdout


def test_a_slash_in_a_prefixed_name_gets_a_hint_and_a_path_does_not() -> None:
    """``pgid:region/CN-HE`` reads well in the docs but is no SPARQL: the error says how to
    write it; a property path (``pledge:partOf/rdfs:label``) in a broken query gets no such hint."""
    from pledgegraph.graph.query import syntax_error

    def hint(sparql: str) -> str:
        try:
            ox.Store().query(sparql)
        except SyntaxError as exc:
            return syntax_error(sparql, exc).hint or ""
        raise AssertionError("the query parsed")

    slashed = "SELECT ?p WHERE { ?p <urn:r> pgid:region/CN-ZJ/ningbo }"
    assert "write pgid:region\\/CN-ZJ\\/ningbo or the full <IRI>" in hint(
        "PREFIX pgid: <urn:x/> " + slashed
    )
    path = "PREFIX p: <urn:p#> SELECT ?l WHERE { ?s p:partOf/p:label ?l GROUP BY }"
    assert "prefixed name" not in hint(path)
    quoted = 'SELECT ?p WHERE { ?p <urn:a/b> "x:y/z" GROUP BY }'
    assert "prefixed name" not in hint(quoted)
