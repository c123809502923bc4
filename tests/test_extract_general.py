"""Rules of the extractor written for linguistic patterns rather than for one page: goals stated
as noun phrases, counts after money, given-up commitments, numbers that count nothing pledged,
the same target stated twice, page furniture, number words, the source line, empty sheets.

Every sentence here is made up for the test."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pledgegraph.commands.extract import extract as extract_command
from pledgegraph.loaders.extraction import extract
from pledgegraph.loaders.extraction import patterns as rules
from pledgegraph.loaders.extraction.page import source_line, url_date
from pledgegraph.loaders.facts import PartialDate, Source
from pledgegraph.loaders.factsheet import parse_factsheet
from pledgegraph.loaders.text import parse_article
from tests.extract_rows import Row, rows


def run(text: str) -> list[Row]:
    return rows(extract(text, source=Source(url="urn:test")))


# --- goals stated as noun phrases ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "Portugal set itself a target of reaching 40,000 qualified welders by 2031.",
            ("PT", "other", 40000, "2031", "qualified welders"),
        ),
        (
            "Austria has launched a mission for 60 car-free towns by 2033.",
            ("AT", "other", 60, "2033", "car-free towns"),
        ),
        (
            "Denmark confirmed the goal of 7,500 public charging bays by 2029.",
            ("DK", "other", 7500, "2029", "public charging bays"),
        ),
        (
            "Finland aims for 300 rural health kiosks by 2032.",
            ("FI", "other", 300, "2032", "rural health kiosks"),
        ),
        (
            "Norway will make progress towards having at least 400 hydrogen buses by 2030.",
            ("NO", "other", 400, "2030", "hydrogen buses"),
        ),
        (
            "Ireland's objective is 12 new research centres by 2030.",
            ("IE", "research_centres", 12, "2030", None),
        ),
    ],
)
def test_a_goal_noun_sets_the_count(text: str, want: Row) -> None:
    assert run(text) == [want]


def test_events_of_a_thing_named_before_count_that_thing() -> None:
    text = "Canada will expand apprenticeships, reaching 400,000 starts by 2030."
    assert run(text) == [("CA", "talent", 400000, "2030", None)]
    # without a thing named before, "starts" of what is unclear: no target
    assert run("Canada will expand its programme, reaching 400,000 starts by 2030.") == []


def test_a_goal_noun_in_a_past_report_is_no_pledge() -> None:
    assert run("Norway met its goal of 900 new ferries in 2019.") == []


# --- counts after money ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "In Belgium, €2 billion will be spent to open 3,000 nursery places by 2028.",
        "Belgium will invest €2 billion to open 3,000 nursery places by 2028.",
        "Belgium announced €2 billion for 3,000 nursery places by 2028.",
        "Belgium announced €2 billion in new funding for 3,000 nursery places by 2028.",
    ],
)
def test_the_count_after_money_is_the_target_and_the_money_is_not(text: str) -> None:
    assert run(text) == [("BE", "other", 3000, "2028", "nursery places")]


# --- commitments given up -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Spain's earlier plan to build 25 desalination plants by 2030 was scrapped last spring.",
        "Spain no longer intends to build 25 desalination plants by 2030.",
        "Spain has dropped its pledge to build 25 desalination plants by 2030.",
        "The Spanish pledge to build 25 desalination plants by 2030 has since been shelved.",
        "Spain had planned to build 25 desalination plants by 2030 until costs rose.",
    ],
)
def test_a_given_up_commitment_is_no_target(text: str) -> None:
    assert run(text) == []


def test_a_new_plan_after_a_given_up_one_is_kept() -> None:
    text = "Spain scrapped its plan for 25 dams, but will instead build 40 reservoirs by 2031."
    assert run(text) == [("ES", "other", 40, "2031", "reservoirs")]
    text = "Spain's plan for 25 dams was withdrawn; Spain will build 40 reservoirs by 2031."
    assert run(text) == [("ES", "other", 40, "2031", "reservoirs")]


def test_a_denied_give_up_keeps_the_target() -> None:
    text = "Greece will build 15 new ports by 2030, and none of that has been dropped."
    assert run(text) == [("GR", "other", 15, "2030", "new ports")]


# --- numbers that count nothing pledged -----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Croatia, one of the 27 member states, will issue new rules by 2027.",
        "Malta will roll out 4 phases of the reform by 2027.",
        "Under Article 14, Latvia will publish guidance in 3 stages by 2026.",
        "Estonia will run the scheme over 5 years in 2 waves by 2029.",
        "Cyprus will cover 6 policy areas and 3 pillars by 2028.",
    ],
)
def test_numbers_that_count_no_target(text: str) -> None:
    assert run(text) == []


def test_a_named_place_after_in_is_where_not_what() -> None:
    """A new user's trial: "set up in the Xi'an High-tech Zone" gave a target of 1 park."""
    for text in (
        "Xi'an said 20 research centres will open in the Xi'an High-tech Zone by 2027.",
        "Xi'an officials said 20 research centres would be set up at the Xi'an High-tech Zone by "
        "2027.",
    ):
        assert run(text) == [("CN-SN", "research_centres", 20, "2027", None)]
    # a named park that is built is still one park
    assert run("Xi'an will build the Qinling Science Park by 2026.") == [
        ("CN-SN", "parks", 1, "2026", None)
    ]


def test_a_rate_is_no_count() -> None:
    text = "Chile will raise the number of doctors per 10,000 people to 30 by 2030."
    assert run(text) == []
    assert run("Chile will train 40 midwives for every 1,000 births by 2030.") == []
    # a yearly rate is a yearly pledge, not a ratio
    assert run("Chile will train 400 midwives per year by 2030.") != []


# --- the same target stated twice ------------------------------------------------------------------


def test_a_restatement_with_a_finer_deadline_of_the_same_year_is_one_target() -> None:
    text = (
        "Poland will open 600 new day-care centres by 2027. In the detailed plan, Poland will "
        "deliver 600 additional day-care centres by June 2027."
    )
    assert run(text) == [("PL", "other", 600, "2027-06", "day-care centres")]


def test_a_restatement_without_a_deadline_is_the_dated_target() -> None:
    text = (
        "Poland will open 600 new day-care centres by 2027. Poland will open 600 day-care "
        "centres in small towns first."
    )
    assert run(text) == [("PL", "other", 600, "2027", "new day-care centres")]


def test_the_same_count_by_other_years_or_of_other_things_stays_apart() -> None:
    text = "Poland will build 20 new parks by 2030. Poland will build 20 new parks by 2035."
    assert [r[3] for r in run(text)] == ["2030", "2035"]
    text = "Poland will build 20 science parks by 2030. Poland will also build 20 clinics by 2030."
    assert [r[1] for r in run(text)] == ["parks", "other"]


# --- page furniture --------------------------------------------------------------------------------


def test_a_language_switcher_names_no_region() -> None:
    text = (
        "日本語\nDeutsch\nCymraeg\nFrançais\nEnglish\n\n"
        "The council will open 30 innovation hubs by 2029.\n"
    )
    assert run(text) == []


def test_a_navigation_menu_names_no_region() -> None:
    text = "Home\nNews\nJapan\nContact\n\nThe council will open 30 innovation hubs by 2029.\n"
    assert run(text) == []


def test_a_region_heading_on_its_own_still_counts() -> None:
    text = "Japan\n\nThe government will open 30 innovation hubs by 2029.\n"
    assert run(text) == [("JP", "parks", 30, "2029", None)]


# --- number words ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("twenty-five thousand", 25_000),
        ("one hundred and twenty", 120),
        ("three hundred thousand", 300_000),
        ("two million five hundred thousand", 2_500_000),
        ("a dozen", 12),
        ("two dozen", 24),
        ("eleven hundred", 1_100),
        ("twenty quintillion", None),  # 21 digits: more than a count may have, not "twenty"
        ("five six", None),
        ("two and three", None),
        ("a thousand million", None),
        ("a", None),
    ],
)
def test_number_words(text: str, value: int | None) -> None:
    assert rules.parse_number(text) == value


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("twenty-five thousand", 25_000),
        ("three hundred thousand", 300_000),
        ("one hundred and twenty", 120),
        ("twenty quintillion", None),
    ],
)
def test_number_words_in_a_sentence(words: str, value: int | None) -> None:
    got = run(f"Sweden will train {words} engineers by 2030.")
    if value is None:
        assert got == []
    else:
        assert got == [("SE", "talent", value, "2030", None)]


# --- the source line -----------------------------------------------------------------------------

LINE = (
    "Source: https://www.example.gov.uk/news/2025/03/14/plan — Office for Examples — OGL v3.0\n\n"
)


def test_the_source_line_is_read() -> None:
    line = source_line(LINE)
    assert line is not None
    assert (line.url, line.publisher) == (
        "https://www.example.gov.uk/news/2025/03/14/plan",
        "Office for Examples",
    )
    assert source_line("Nothing to see here.") is None


@pytest.mark.parametrize(
    ("url", "date"),
    [
        ("https://a.example.gov/news/2016/02/05/post", "2016-02-05"),
        ("https://a.example.gov.cn/reports/202402/t20240204_1.html", "2024-02-04"),
        ("https://a.example.eu/news/20170530-some-news", "2017-05-30"),
        ("https://a.example.gov/apg/fy-22-23/", None),
        ("https://a.example.gov/foi-202500494278/", None),
        ("https://a.example.gov/2024-13-01/x", None),
        ("https://2024.example.org/", None),
    ],
)
def test_a_date_in_the_address(url: str, date: str | None) -> None:
    found = url_date(url)
    assert (str(found) if found else None) == date


def test_a_text_file_takes_address_publisher_and_date_from_its_source_line() -> None:
    text = LINE + "The department will recruit 800 school nurses by 2027.\n"
    article = parse_article(text.encode(), name="a.txt", format="text")
    assert article.url == "https://www.example.gov.uk/news/2025/03/14/plan"
    assert article.publisher == "Office for Examples"
    assert article.published == "2025-03-14"
    source = Source(
        url=article.url,
        publisher=article.publisher,
        published=PartialDate.parse(article.published),
    )
    assert rows(extract(article.text, source=source)) == [
        ("GB", "talent", 800, "2027", "school nurses")
    ]


def test_within_years_is_resolved_from_the_date_in_the_address(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(LINE + "The UK will build 12 new prisons within three years.\n", "utf-8")
    result = CliRunner().invoke(extract_command, [str(path)])
    assert result.exit_code == 0, result.output
    sheet = parse_factsheet(result.stdout, path="stdout")
    assert sheet.source.url == "https://www.example.gov.uk/news/2025/03/14/plan"
    assert sheet.source.publisher == "Office for Examples"
    assert str(sheet.source.published) == "2025-03-14"
    assert rows(sheet) == [("GB", "other", 12, "2028", "new prisons")]


# --- empty extractions ------------------------------------------------------------------------------


def test_an_empty_extraction_is_printed_but_not_written(tmp_path: Path) -> None:
    path = tmp_path / "calm.txt"
    path.write_text("The weather was mild all week.", "utf-8")
    out = tmp_path / "calm.pledges.yaml"
    result = CliRunner().invoke(extract_command, [str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert not out.exists()
    assert result.stderr == f"Note: {path}: no pledges found; nothing written\n"


def test_an_empty_extraction_is_not_loaded(tmp_path: Path) -> None:
    from pledgegraph.cli import main

    path = tmp_path / "calm.txt"
    path.write_text("The weather was mild all week.", "utf-8")
    store = tmp_path / "store"
    result = CliRunner().invoke(main, ["--store", str(store), "extract", str(path), "--load"])
    assert result.exit_code == 0, result.output
    assert f"Note: {path}: no pledges found; nothing loaded" in result.stderr
    stats = CliRunner().invoke(main, ["--store", str(store), "stats"])
    assert stats.exit_code == 0, stats.output
    assert "calm" not in stats.output


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # (a hub is no park unless it is an innovation or technology hub)
        ("Scotland will open 12 new digital skills hubs by 2026.", ("GB-SCT", "other", 12)),
        ("Norway will build 15 skills academies by 2029.", ("NO", "research_centres", 15)),
        ("Wales pledges 30 arts centres by 2028.", ("GB-WLS", "other", 30)),
    ],
)
def test_a_noun_like_a_verb_form_between_count_and_noun_keeps_the_count(
    text: str, want: tuple[str, str, int]
) -> None:
    """ "skills" reads as the verb "skill": between a count and the noun it is a modifier."""
    assert [row[:3] for row in run(text)] == [want]


def test_a_relative_deadline_without_a_publication_date_gets_a_note(tmp_path: Path) -> None:
    article = tmp_path / "plan.txt"
    article.write_text("Shenzhen will build 30 data centres within four years.\n", encoding="utf-8")
    out = tmp_path / "plan.pledges.yaml"
    result = CliRunner().invoke(extract_command, [str(article), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert '1 target left without a deadline: "within four years"' in result.stderr
    assert "--published YYYY-MM-DD" in result.stderr
    assert f"wrote {out} (1 target)" in result.stderr
    dated = CliRunner().invoke(
        extract_command, [str(article), "--published", "2024-03-01", "--title", "A plan"]
    )
    assert dated.exit_code == 0
    assert "deadline: 2028" in dated.stdout and "Note" not in dated.stderr
