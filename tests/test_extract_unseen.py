"""Rules of the fifth extraction round (issue 10, texts the rules were not written on): number
phrases read whole or refused, goal lists whose items open with any verb, years given once for
a section or a plan, counted nouns outside the vocabulary, places named only by a page's
address or publisher, recipients of a delivery, cited plan titles.

Every sentence here is made up for the test."""

from __future__ import annotations

import pytest

from pledgegraph.loaders.extraction import extract
from pledgegraph.loaders.facts import Source
from tests.extract_rows import Row, rows


def run(text: str, **source: str) -> list[Row]:
    return rows(extract(text, source=Source(url=source.pop("url", "urn:test"), **source)))


# --- number phrases: read whole, or refused -----------------------------------------------------


@pytest.mark.parametrize(
    "words",
    [
        "nine hundred ninety-nine quintillion nine hundred trillion",
        "nine hundred ninety nine quintillion nine hundred trillion",
        "twenty billion billion",
        "20 billion billion",
        "2 million million",
        "a billion billion",
        "five six",
        "1.5",
    ],
)
@pytest.mark.parametrize("noun", ["parks", "ponds"])
def test_a_number_phrase_is_read_whole_or_refused(words: str, noun: str) -> None:
    # Never cut down to its first words ("twenty", "999"): no target at all.
    assert run(f"Norway will build {words} {noun} by 2030.") == []


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("nine hundred ninety-nine thousand", 999_000),
        ("two hundred and five", 205),
        ("twenty five", 25),
    ],
)
def test_a_whole_number_phrase_counts_a_noun_outside_the_vocabulary(words: str, value: int) -> None:
    assert run(f"Norway will build {words} ponds by 2030.") == [
        ("NO", "other", value, "2030", "ponds")
    ]


def test_money_before_a_fund_is_still_one_fund() -> None:
    assert run("Norway will set up a 10 billion krone fund by 2030.") == [
        ("NO", "funds", 1, "2030", None)
    ]


def test_a_number_phrase_cut_short_is_no_count_of_a_kind_label() -> None:
    assert run("Norway will build twenty billion billion parks by 2030.") == []
    assert run("Norway will build 250 parks by 2030.") == [("NO", "parks", 250, "2030", None)]


# --- the year a plan ends, given once ------------------------------------------------------------


@pytest.mark.parametrize(
    "opening",
    [
        "With the year of 2027 as the final year,",
        "With 2027 as the target year,",
        "Taking 2027 as its target year,",
        "Looking into the year of 2027,",
        "Looking ahead to 2027,",
    ],
)
def test_a_final_year_phrase_dates_the_goals_after_it(opening: str) -> None:
    assert run(f"{opening} Hungary will foster twelve unicorn firms.") == [
        ("HU", "firms", 12, "2027", None)
    ]


def test_a_year_behind_a_semicolon_dates_the_next_clause() -> None:
    got = run(
        "Hungary will open 20 clinics in 2026; looking ahead to 2029, it will build "
        "5 research centres."
    )
    assert got == [
        ("HU", "other", 20, "2026", "clinics"),
        ("HU", "research_centres", 5, "2029", None),
    ]


# --- goal lists whose items open with any verb ---------------------------------------------------


def test_items_under_a_dated_lead_open_with_verbs_outside_the_vocabulary() -> None:
    text = (
        "In 2027, Ireland will:\n"
        "  • Rehome at least 4,000 families now living in hostels.\n"
        "  • Engage with at least 900 rough sleepers to offer them support.\n"
        "  • Providing 650 tenancy placements to young people.\n"
        "  • Housed 700 people in the winter.\n"
    )
    assert run(text) == [
        ("IE", "other", 4000, "2027", "families"),
        ("IE", "other", 900, "2027", "rough sleepers"),
        ("IE", "other", 650, "2027", "tenancy placements"),
    ]


def test_items_opening_with_verbs_under_a_lead_that_pledges_nothing_stay_out() -> None:
    text = "Last year Ireland:\n  • Rehomed 4,000 families.\n  • Planted 900 oaks.\n"
    assert run(text) == []


def test_a_count_of_capitalised_people_is_counted() -> None:
    assert run("Ireland will rehouse 300 homeless Veterans by 2028.")[0][2:] == (
        300,
        "2028",
        "homeless Veterans",
    )


# --- places named only by the page -----------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "region"),
    [
        ("https://gov.uk/government/news/some-story", "GB"),
        ("https://www.gov.uk/government/news/some-story", "GB"),
        ("https://gov.scot/news/some-story", "GB-SCT"),
        ("https://gov.wales/some-story", "GB-WLS"),
        ("https://europa.eu/some-story", "EU"),
    ],
)
def test_a_government_address_without_www_names_the_region(url: str, region: str) -> None:
    got = run("The government will build 40 new clinics by 2030.", url=url)
    assert got == [(region, "other", 40, "2030", "new clinics")]


@pytest.mark.parametrize(
    ("place", "code"),
    [
        ("Wales", "GB-WLS"),
        ("England", "GB-ENG"),
        ("Scotland", "GB-SCT"),
        ("Northern Ireland", "GB-NIR"),
    ],
)
def test_the_nations_of_the_united_kingdom(place: str, code: str) -> None:
    assert run(f"{place} will open 15 new libraries by 2029.") == [
        (code, "other", 15, "2029", "new libraries")
    ]


# --- counts in billions, counts grown "by N", restatements ------------------------------------


def test_a_count_in_billions_is_a_count_not_money() -> None:
    assert run("Chile commits to planting at least 2 billion native trees by 2035.") == [
        ("CL", "other", 2_000_000_000, "2035", "native trees")
    ]


def test_the_same_count_stated_with_and_without_its_bound_is_one_target() -> None:
    text = (
        "Chile commits to planting at least 2 billion trees by 2035. Planting 2 billion trees "
        "by 2035 will cool its cities."
    )
    assert run(text) == [("CL", "other", 2_000_000_000, "2035", "trees")]


@pytest.mark.parametrize(
    "phrase",
    [
        "will increase the number of midwives by 3,000",
        "committed to increasing the numbers of midwives on its wards by 3,000",
        "will boost the number of midwives by an additional 3,000",
    ],
)
def test_growing_the_number_of_a_thing_by_n_counts_n(phrase: str) -> None:
    # staff added, as "3,000 more midwives" (twenty-fifth round: talent, was other)
    assert run(f"Chile {phrase} by 2029.") == [("CL", "talent", 3000, "2029", "midwives")]


def test_growing_the_number_by_a_share_is_no_count() -> None:
    assert run("Chile will increase the number of midwives by 30% by 2029.") == []


# --- the year of a statement, and the end of a term of office ------------------------------------


def test_a_year_before_a_statement_in_the_past_dates_the_statement() -> None:
    got = run("In 2021, Chile committed to building 400 rural schools.")
    assert got == [("CL", "other", 400, None, "rural schools")]


def test_a_year_before_a_pledge_dates_the_pledge() -> None:
    assert run("In 2027, Chile will build 400 rural schools.") == [
        ("CL", "other", 400, "2027", "rural schools")
    ]


@pytest.mark.parametrize(
    "term", ["over this Parliament", "by the end of the current term", "during its mandate"]
)
def test_the_end_of_a_term_of_office_lends_no_other_year(term: str) -> None:
    text = f"Under the 2030 strategy, Chile will build 400 rural schools {term}."
    assert run(text) == [("CL", "other", 400, None, "rural schools")]


# --- the recipients of a delivery -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "Kenya will deliver off-grid solar systems to more than 90,000 rural households.",
            ("KE", "other", 90000, None, "rural households"),
        ),
        (
            "Kenya will bring clean water to 1,200 villages by 2028.",
            ("KE", "other", 1200, "2028", "villages"),
        ),
    ],
)
def test_who_a_delivery_reaches_is_counted_not_what_is_delivered(text: str, want: Row) -> None:
    assert run(text) == [want]


def test_a_count_after_to_that_ends_the_phrase_is_the_level_reached() -> None:
    got = run("Kenya will raise the deployment of public charging ports to 31,000 by 2028.")
    assert got == [("KE", "other", 31000, "2028", "public charging ports")]


def test_a_commitment_reported_as_surpassed_is_no_pledge() -> None:
    text = "Kenya has surpassed it's commitment to deliver water connections to 9,000 homes."
    assert run(text) == []


# --- agencies, year headings, multi-word verbs, modifier lists ------------------------------------


@pytest.mark.parametrize(
    ("agency", "code"),
    [
        ("the Environmental Protection Agency", "US"),
        ("the Department of Veterans Affairs", "US"),
        ("the Home Office", "GB"),
        ("the European Commission", "EU"),
    ],
)
def test_a_national_agency_stands_for_its_country(agency: str, code: str) -> None:
    assert run(f"In 2028, {agency} will open 45 regional offices.") == [
        (code, "other", 45, "2028", "regional offices")
    ]


def test_a_year_before_a_goal_noun_in_a_heading_dates_the_section() -> None:
    text = "Our 2031 goals\n\nLatvia will build 75 rural libraries.\n"
    assert run(text) == [("LV", "other", 75, "2031", "rural libraries")]


def test_a_heading_reviewing_a_years_goals_dates_nothing() -> None:
    text = "A look back at our 2022 goals\n\nLatvia will build 75 rural libraries.\n"
    assert run(text) == [("LV", "other", 75, None, "rural libraries")]


def test_verbs_of_more_than_one_word() -> None:
    got = run("Latvia will put in place 25 application scenarios and bring online 8 data centres.")
    assert [(kind, value) for _r, kind, value, _d, _s in got] == [
        ("applications", 25),
        ("platforms", 8),
    ]


def test_a_list_of_modifiers_with_commas_before_a_kind_label() -> None:
    got = run("Latvia will foster 80 specialised, refined, distinctive and novel firms by 2029.")
    assert got == [("LV", "firms", 80, "2029", None)]


def test_an_aside_in_brackets_does_not_part_coordinated_targets() -> None:
    got = run(
        "Latvia will nurture ten unicorn firms (each worth over EUR 1 billion) and 80 "
        "specialised firms by 2029."
    )
    assert got == [("LV", "firms", 10, "2029", None), ("LV", "firms", 80, "2029", None)]


# --- cited titles, things made into others, uncounted mentions -----------------------------------


def test_a_cited_document_title_is_no_pledge() -> None:
    got = run(
        "Latvia will carry out the Opinions on Supporting Startups and Building a World-Class "
        "Science Park, and set up 3 research centres by 2027."
    )
    assert got == [("LV", "research_centres", 3, "2027", None)]


def test_a_sentence_that_opens_with_the_verb_is_no_title() -> None:
    assert run("Latvia will: Build 20 parks by 2027.") == [("LV", "parks", 20, "2027", None)]


def test_a_thing_made_into_another_is_not_made() -> None:
    got = run("Latvia will build the Riga Park of Vidzeme into a hub and open 3 new parks.")
    assert got == [("LV", "parks", 3, None, None)]


def test_an_uncounted_mention_of_a_counted_kind_is_the_same_target() -> None:
    got = run("Latvia will train more data experts to reach 40,000 ICT professionals by 2030.")
    assert got == [("LV", "talent", 40000, "2030", None)]


def test_uncounted_things_an_item_is_for_are_no_targets() -> None:
    text = (
        "In 2026, Latvia will:\n"
        "  • Reach at least 2,000 rough sleepers to help them find homes and other services.\n"
    )
    assert run(text) == [("LV", "other", 2000, "2026", "rough sleepers")]


# --- fiscal years and seasons, counts written "1.5m" ---------------------------------------------


@pytest.mark.parametrize(
    "deadline",
    ["by FY2027", "by fiscal year 2027", "by the end of FY 2027", "by spring 2027", "in FY 2027"],
)
def test_fiscal_years_and_seasons_are_deadlines(deadline: str) -> None:
    assert run(f"Malta will open 14 new health centres {deadline}.") == [
        ("MT", "other", 14, "2027", "new health centres")
    ]


@pytest.mark.parametrize(("count", "value"), [("1.5m", 1_500_000), ("2bn", 2_000_000_000)])
def test_a_count_written_with_m_or_bn_counts_things(count: str, value: int) -> None:
    assert run(f"Malta will plant {count} trees by 2030.") == [
        ("MT", "other", value, "2030", "trees")
    ]


def test_an_amount_written_with_m_before_one_thing_is_money() -> None:
    assert run("Malta will set up a 10m euro fund by 2030.") == [("MT", "funds", 1, "2030", None)]


def test_what_a_delivery_is_made_of_may_hold_of() -> None:
    got = run("Malta will provide 30 hours of free childcare to 9,000 families by 2027.")
    assert got == [("MT", "other", 9000, "2027", "families")]


def test_a_place_is_the_region_when_nothing_else_names_one() -> None:
    assert run("By 2028, over 600 new parks will be built in Hunan.") == [
        ("CN-HN", "parks", 600, "2028", None)
    ]


def test_a_place_does_not_override_the_region_that_acts() -> None:
    got = run("Canada will help build 30 schools in Kenya by 2028.")
    assert [r[0] for r in got] == ["CA"]


def test_an_order_may_open_with_newly() -> None:
    got = run("Hunan's tasks are set out below. Newly build 50 community canteens.")
    assert got == [("CN-HN", "other", 50, None, "community canteens")]
