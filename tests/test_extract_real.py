"""The extractor on the phrasing of real government texts: goal sections, work-report orders,
districts and zones, page evidence, plan periods, counted nouns outside the vocabulary, and the
numbers that are no pledge. Sentences here are our own; the real texts are read from
``../shared/corpus`` (skipped when it is absent) for a corpus-wide floor."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from pledgegraph.loaders.extraction import extract
from pledgegraph.loaders.facts import FactSheet, PartialDate, Quantity, Source
from pledgegraph.loaders.factsheet import dump_factsheet
from pledgegraph.loaders.text import read_article
from tests.extract_rows import Row
from tests.extract_rows import rows as target_rows

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def rows(sheet: FactSheet) -> list[Row]:
    """(region, kind, quantity, deadline year, authority) of every target, in sheet order."""
    return target_rows(sheet, year_only=True, authority=True)


def run(text: str, *, url: str = "urn:test", published: str | None = None) -> FactSheet:
    date = PartialDate.parse(published) if published else None
    return extract(text, source=Source(url=url, published=date))


# --- goal phrasing and goal sections ----------------------------------------------------------


def test_goals_listed_with_gerunds_after_such_as() -> None:
    text = (
        "Anhui's new plan sets out quantitative goals such as nurturing eight unicorn firms and "
        "40 specialised SMEs, putting 30 application scenarios in place and building three data "
        "zones by 2026.\n"
    )
    assert [(r[1], r[2]) for r in rows(run(text))] == [
        ("firms", 8),
        ("firms", 40),
        ("applications", 30),
        ("parks", 3),
    ]


def test_a_goal_section_without_a_year_takes_its_first_by_year() -> None:
    text = (
        "II. Objectives\n\n"
        "By 2027, the province will have become a national hub for industrial software.\n\n"
        "Some 12 software parks will be built.\n\n"
        "III. Measures\n"
    )
    assert rows(run(text, url="https://english.hunan.gov.cn/a.html")) == [
        ("CN-HN", "parks", 12, "2027", None)
    ]


def test_a_goal_heading_with_a_year_dates_the_section() -> None:
    text = (
        "III Major Tasks for 2025\n\n"
        "We will launch the renovation of 150 old residential compounds and finish 90 of these "
        "projects.\n"
    )
    got = run(text, url="https://english.sichuan.gov.cn/report.html")
    assert [(r[0], r[1], r[2], r[3]) for r in rows(got)] == [
        ("CN-SC", "other", 150, "2025"),
        ("CN-SC", "other", 90, "2025"),
    ]
    # The partitive count takes the noun it refers back to.
    assert [t.description for t in got.pledges[0].targets] == ["old residential compounds"] * 2


def test_work_report_orders_are_pledges() -> None:
    text = "Key tasks\n\nBuild 80 more community canteens.\n\nAdd 2,500 public parking spaces.\n"
    got = rows(run(text, url="https://english.yunnan.gov.cn/x.html"))
    assert got == [("CN-YN", "other", 80, None, None), ("CN-YN", "other", 2500, None, None)]


# --- regions: page evidence, districts and zones -------------------------------------------------


def test_the_source_line_names_the_publisher_and_the_region() -> None:
    text = (
        "Source: https://www.example.org/plan — People's Government of Hunan Province — public\n\n"
        "The province will set up 6 innovation centres by 2025.\n"
    )
    assert rows(run(text)) == [("CN-HN", "research_centres", 6, "2025", None)]


def test_a_national_government_address_gives_the_country() -> None:
    text = "By September 30, 2026, the agency will install 4,000 charging ports at federal sites.\n"
    got = rows(run(text, url="https://www.energy.gov/goals"))
    assert got == [("US", "other", 4000, "2026", None)]


@pytest.mark.parametrize(
    ("url", "region", "authority"),
    [
        ("https://www.zj.gov.cn/art/1.html", "CN-ZJ", None),  # the province's ISO letters
        ("https://www.sz.gov.cn/cn/x.html", "CN-GD", "Shenzhen"),  # a city's own letters
        ("https://www.gz.gov.cn/x.html", "CN-GD", "Guangzhou"),  # not Guizhou (CN-GZ)
        ("https://www.hubei.gov.cn/x.html", "CN-HB", None),
    ],
)
def test_a_chinese_government_site_names_its_region(
    url: str, region: str, authority: str | None
) -> None:
    text = "The government will set up 6 innovation centres by 2025.\n"
    assert rows(run(text, url=url)) == [(region, "research_centres", 6, "2025", authority)]


def test_a_district_that_acts_keeps_its_name_and_pledges_for_its_province() -> None:
    text = (
        "Shenzhen's Futian District will cultivate 15 listed companies by 2025, the district "
        "government said. Shenzhen will also build 3 software parks by 2025.\n"
    )
    got = rows(run(text))
    assert ("CN-GD", "firms", 15, "2025", "Futian District") in got
    assert ("CN-GD", "parks", 3, "2025", "Shenzhen") in got


def test_a_zone_named_in_the_title_is_the_actor_of_what_follows() -> None:
    text = (
        "Source: https://example.org/z — People's Government of Hubei Province — public\n\n"
        "Xiangyang High-tech Zone Action Plan (2024-2026)\n\n"
        "The zone will attract 25 research institutes and open 2 incubators.\n"
    )
    assert rows(run(text)) == [
        ("CN-HB", "research_centres", 25, "2026", "Xiangyang High-tech Zone"),
        ("CN-HB", "parks", 2, "2026", "Xiangyang High-tech Zone"),
    ]


def test_a_unit_in_place_position_is_no_actor() -> None:
    got = rows(run("Hubei will build 4 data centres in Jiangxia District by 2025.\n"))
    assert got == [("CN-HB", "platforms", 4, "2025", None)]


# --- deadlines ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "year"),
    [
        ("with 2026 as the final year", "2026"),
        ("during the 14th Five-Year Plan period", "2025"),
        ("by 2024-25", "2025"),
        ("by the end of the year", "2023"),
        ("by the end of calendar year 2027", "2027"),
    ],
)
def test_deadline_phrases_of_plans(phrase: str, year: str) -> None:
    got = rows(run(f"Jiangsu will build 9 parks {phrase}.\n", published="2023-04-02"))
    assert got == [("CN-JS", "parks", 9, year, None)]


def test_a_date_line_at_the_top_resolves_the_end_of_the_year() -> None:
    text = "Date: 2022-03-14\n\nHenan will open 30 new nurseries by the end of the year.\n"
    assert rows(run(text)) == [("CN-HA", "other", 30, "2022", None)]


# --- kinds beyond the vocabulary --------------------------------------------------------------


def test_a_counted_noun_outside_the_vocabulary_is_kind_other_with_its_noun() -> None:
    got = run("Zhejiang will build 1,200 5G base stations and 40 county hospitals by 2025.\n")
    assert [(r[1], r[2]) for r in rows(got)] == [("other", 1200), ("other", 40)]
    assert [t.description for t in got.pledges[0].targets] == [
        "5G base stations",
        "county hospitals",
    ]


def test_people_trained_or_recruited_are_talent() -> None:
    got = rows(run("The state will train 12,000 people and recruit 900 nurses by 2026.\n",
                   url="https://www.labor.gov/x"))  # fmt: skip
    assert [(r[1], r[2]) for r in got] == [("talent", 12000), ("talent", 900)]


def test_the_sentences_after_an_item_explain_it_and_keep_the_list_going() -> None:
    text = (
        "The ministry will deliver the following by 2026:\n\n"
        "- 40 new clinics. Each of them is to serve a rural county until 2031.\n"
        "- 12 new laboratories\n"
    )
    got = rows(run(text, url="https://www.hhs.gov/x"))
    assert got == [("US", "other", 40, "2026", None), ("US", "research_centres", 12, "2026", None)]


def test_the_people_a_training_offer_is_for_are_its_count() -> None:
    text = "The scheme will create paid internships for up to 4,500 pupils and young graduates by 2027.\n"
    got = run(text, url="https://ec.europa.eu/x")
    assert rows(got) == [("EU", "talent", 4500, "2027", None)]
    assert got.pledges[0].targets[0].quantity == Quantity(value=4500, bound="max")


def test_the_european_union_is_a_region() -> None:
    text = "The Commission will set up 12 testing facilities for robotics by 2027.\n"
    assert rows(run(text, url="https://digital-strategy.ec.europa.eu/x")) == [
        ("EU", "other", 12, "2027", None)
    ]
    assert rows(run("The EU plans to build 3 supercomputer sites by 2026.\n")) == [
        ("EU", "other", 3, "2026", None)
    ]


def test_a_count_stated_again_without_its_deadline_is_the_same_target() -> None:
    text = (
        "The government will build 40 new hospitals by 2030, ministers said.\n\n"
        "The plan to build 40 new hospitals will cut waiting lists, they added.\n"
    )
    assert rows(run(text, url="https://www.gov.uk/x")) == [("GB", "other", 40, "2030", None)]


def test_a_set_of_standards_is_one_standard() -> None:
    text = "By 2026 the agency will publish a set of common standards for charging points.\n"
    assert rows(run(text, url="https://www.energy.gov/x")) == [("US", "standards", 1, "2026", None)]
    text = "By 2026 the agency will publish a number of standards for charging points.\n"
    assert rows(run(text, url="https://www.energy.gov/x")) == [
        ("US", "standards", None, "2026", None)
    ]


def test_the_level_a_goal_reaches_after_a_comma() -> None:
    text = (
        "The state will grow its digital workforce, reaching 5 million skilled engineers by 2030.\n"
    )
    assert rows(run(text, url="https://www.gov.uk/x")) == [("GB", "talent", 5000000, "2030", None)]
    for sentence in (
        "Sales rose sharply last year, reaching 400 stores.",  # no goal: the past
        "The state will expand training, reaching 400,000 course starts in 2027.",  # starts of?
    ):
        assert rows(run(sentence + "\n", url="https://www.gov.uk/x")) == []


def test_a_goal_still_to_be_met_is_a_pledge() -> None:
    text = "The council will hit its target of building 300 schools by 2026.\n"
    assert rows(run(text, url="https://www.gov.uk/x")) == [("GB", "other", 300, "2026", None)]


def test_a_count_after_the_noun() -> None:
    text = "The agency will increase the number of registered apprentices to 250,000 by 2027.\n"
    assert rows(run(text, url="https://www.dol.gov/x")) == [("US", "talent", 250000, "2027", None)]


# --- what is no pledge -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Last year the district has built 23 parks and opened 12 hospitals.",
        "Revenue of the sector will exceed 500 billion yuan by 2025.",
        "The share of digital services will reach 45 percent by 2025.",
        "Our town intends to add at least 3,100 jobs in services during the year.",
        "By 2025 some 200,000 square metres of ageing housing are to be renovated.",
        "There are now 56 communities taking part in the programme.",
        "The watchdog recommended that the government should ensure 150,000 charge points by 2025.",
        "This is up from the previous goal of training 20,000 workers by 2020.",
        "The government will deliver better products and support projects across the country.",
        "We will promote youth employment, including college graduates.",
        "A €120.5 million budget will give firms the means to grow by 2026.",
        "The province will help firms in building new apps by 2025.",
        "The newly formed alliance of 30 firms will hold its first meeting by 2025.",
        "Operators will be asked to fund and run the sites by 2025.",
        "The province will build a statewide network of fast (DC) chargers by 2026.",
        "The agency has met its target of opening 300 schools, two years early.",
        "The province surpassed its housing commitment to deliver 20,000 homes in 2023.",
        "Analysts expect 500 new firms to be created in the province by 2026.",
    ],
)
def test_numbers_that_are_no_pledge(sentence: str) -> None:
    assert rows(run(sentence + "\n", url="https://english.hebei.gov.cn/x")) == []


# --- the development corpus ------------------------------------------------------------------


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("corpus_score", CORPUS / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _corpus_run(corpus: Path = CORPUS) -> tuple[int, int, int, list[tuple[float, bool]]]:
    scorer = _scorer()
    doc = yaml.safe_load((corpus / "annotations.yaml").read_text(encoding="utf-8"))
    tp = fn = fp = 0
    scored: list[tuple[float, bool]] = []
    for entry in doc["articles"]:
        path = corpus / "texts" / f"{entry['id']}.txt"
        if not path.exists():
            continue
        article = read_article(str(path))
        sheet = extract(article.text, source=Source(url=f"file:{path.name}"))
        for pledge in sheet.pledges:  # every target points at its own words
            for target in pledge.targets:
                assert target.span is not None
                start, end = target.span
                assert 0 <= start < end <= len(article.text)
                assert article.text[start:end].strip()
        data: dict[str, Any] = yaml.safe_load(dump_factsheet(sheet)) or {}
        preds = list(scorer.pred_targets(data))
        confidences = [
            float(t.get("confidence") or 0)
            for p in data.get("pledges") or []
            for t in p.get("targets") or []
        ]
        used: set[int] = set()
        for gold in scorer.gold_targets(entry):
            hit = next(
                (i for i, p in enumerate(preds) if i not in used and scorer.matches(gold, p)), None
            )
            if hit is not None:
                used.add(hit)
                tp += 0 if gold["optional"] else 1
            elif not gold["optional"]:
                fn += 1
        fp += len(preds) - len(used)
        scored += [(confidences[i], i in used) for i in range(len(preds))]
    return tp, fn, fp, scored


@pytest.mark.skipif(not (CORPUS / "annotations.yaml").exists(), reason="no ../shared/corpus")
def test_development_corpus_floor() -> None:
    """A floor a little below what the extractor reaches (bench/bench_extract_real.py)."""
    tp, fn, fp, scored = _corpus_run()
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert precision >= 0.85, (tp, fn, fp)
    assert recall >= 0.85, (tp, fn, fp)
    high = [matched for confidence, matched in scored if confidence >= 0.8]
    low = [matched for confidence, matched in scored if confidence < 0.8]
    # The review threshold means something: confident targets are right far more often.
    assert sum(high) / len(high) >= 0.9
    # (With fewer than five targets below 0.8 their share says nothing either way.)
    assert len(low) < 5 or sum(low) / len(low) < sum(high) / len(high)


@pytest.mark.parametrize(
    ("name", "floor"),
    [
        # held-out sets whose misses were read in the eighth round (bench/README.md): floors a
        # little below what the extractor reaches on them, so a later rule cannot undo that
        ("corpus-heldout-cn", (0.85, 0.85)),
        ("corpus-heldout-west", (0.8, 0.8)),
        ("corpus-heldout-3", (0.8, 0.5)),
        # read in the ninth round (2026-12-05)
        ("corpus-heldout-5", (0.75, 0.75)),
    ],
)
def test_read_held_out_sets_floor(name: str, floor: tuple[float, float]) -> None:
    corpus = CORPUS.parent / name
    if not (corpus / "annotations.yaml").exists() or not (CORPUS / "score.py").exists():
        pytest.skip(f"no ../shared/{name}")
    tp, fn, fp, _scored = _corpus_run(corpus)
    assert tp / (tp + fp) >= floor[0], (tp, fn, fp)
    assert tp / (tp + fn) >= floor[1], (tp, fn, fp)


def test_a_deadline_near_the_top_is_not_the_pages_date() -> None:
    from pledgegraph.loaders.extraction.page import read_page
    from pledgegraph.loaders.regions import gazetteer

    def page_date(text: str) -> str | None:
        date = read_page(text, Source(url="urn:test"), gazetteer()).published
        return str(date) if date else None

    assert (
        page_date("Clinic goals\n\nBy September 30, 2026, the agency will open 40 clinics.") is None
    )
    assert page_date("Goals\n\nThe plan runs until 31 March 2027 and opens 40 clinics.") is None
    assert page_date("Goals\nPublished 10 February 2026\n\nThe plan opens 40 clinics.") == (
        "2026-02-10"
    )
    assert page_date("Date: 2015-04-10\n\nThe district will open 40 clinics by 2017.") == (
        "2015-04-10"
    )


def test_an_extracted_eu_pledge_validates_links_and_answers_region_questions(
    tmp_path: Path,
) -> None:
    from click.testing import CliRunner

    from pledgegraph.cli import main

    article = tmp_path / "robotics.txt"
    article.write_text(
        "The Commission will set up 12 testing facilities for robotics by 2027.\n",
        encoding="utf-8",
    )
    sheet = tmp_path / "robotics.pledges.yaml"

    def cli(*args: str) -> str:
        result = CliRunner().invoke(main, ["--store", str(tmp_path / "s"), *args])
        assert result.exit_code == 0, result.output
        return result.output

    cli("extract", str(article), "--url", "https://ec.europa.eu/robotics", "-o", str(sheet))
    assert "region: EU" in sheet.read_text(encoding="utf-8")
    assert "0 errors" in cli("validate", str(sheet))
    cli("load", str(sheet))
    cli("link")
    assert "0 errors" in cli("validate")
    same_as = cli(
        "sparql",
        "SELECT ?o WHERE { <https://w3id.org/pledgegraph/id/region/EU> "
        "<http://www.w3.org/2002/07/owl#sameAs> ?o }",
    )
    # Wikidata's European Union; no GeoNames link (6255148 is the continent Europe, not the EU).
    assert "http://www.wikidata.org/entity/Q458" in same_as
    assert "geonames" not in same_as
    hierarchy = cli("query", "region-hierarchy", "-f", "csv")
    row = next(line for line in hierarchy.splitlines() if line.startswith("EU,"))
    assert row.split(",")[1:4] == ["European Union", "欧洲联盟", "Supranational union"]
