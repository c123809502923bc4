"""Rules from the sixth held-out set (read after it was scored once): a schedule of counts with
the noun left out after the first, "another" before a count, admissions ("welcome"), funding
with no sum for a count, "secure" in an order, an adverb before an adjective that looks like a
verb, and headings or sentences that name the year a page's tasks are for.

Every sentence here is made up for the test."""

from __future__ import annotations

import pytest

from pledgegraph.loaders.extraction import extract
from pledgegraph.loaders.extraction import patterns as rules
from pledgegraph.loaders.facts import Source
from tests.extract_rows import Row, rows


def run(text: str) -> list[Row]:
    return rows(extract(text, source=Source(url="urn:test")), year_only=True)


def test_a_schedule_counts_the_same_thing_each_year() -> None:
    got = run("Norway will build 300 schools by 2026, 400 by 2028 and 500 by 2030.")
    assert [(r[2], r[3]) for r in got] == [(300, "2026"), (400, "2028"), (500, "2030")]
    assert {r[1] for r in got} == {"other"}
    got = run("Norway will build 30 clinics in 2026, then 40 in 2027.")
    assert [(r[2], r[3]) for r in got] == [(30, "2026"), (40, "2027")]


def test_a_number_before_a_year_is_no_count_of_its_own() -> None:
    """Only a number after a counted phrase, with its own year, is a schedule's next count."""
    assert [r[2] for r in run("Norway will build 30 clinics by 2026 and 2028.")] == [30]


def test_admissions_are_counted() -> None:
    got = run("Canada aims to welcome 410,000 new permanent residents in 2027.")
    assert [(r[0], r[2], r[3]) for r in got] == [("CA", 410000, "2027")]
    # a population is no target
    assert run("Norway, with 5,000,000 residents, will build 3 science parks by 2029.") == [
        ("NO", "parks", 3, "2029", None)
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Norway will open another 50 walk-in clinics by 2027.",
        "Norway will provide funding for 50 walk-in clinics by 2027.",
        "Norway has agreed funding to secure an additional 50 walk-in clinics by 2027.",
    ],
)
def test_more_ways_of_pledging_a_count(text: str) -> None:
    assert [(r[0], r[2], r[3]) for r in run(text)] == [("NO", 50, "2027")]


def test_secure_as_an_adjective_is_no_verb() -> None:
    got = run("By 2030, 8,000 highly secure data nodes will be deployed in Norway.")
    assert [(r[0], r[2], r[3]) for r in got] == [("NO", 8000, "2030")]


@pytest.mark.parametrize(
    ("heading", "year"),
    [("Plan for 2031", 2031), ("Key Work of Hunan in 2031", 2031), ("Work Plan for 2031", 2031)],
)
def test_a_heading_names_the_year_of_the_tasks_below_it(heading: str, year: int) -> None:
    assert rules.framing_years(heading, heading=True) == {year}
    assert rules.framing_years("Review of the work in 2031", heading=True) == set()
    text = f"{heading}\n\nNorway will open 40 walk-in clinics and build 12 science parks.\n"
    assert {r[3] for r in run(text)} == {str(year)}


def test_a_sentence_names_the_year_of_the_tasks_after_it() -> None:
    text = (
        "In 2031, the government of Norway will focus on the following tasks.\n\n"
        "Norway will open 40 walk-in clinics.\n"
    )
    assert run(text) == [("NO", "other", 40, "2031", "walk-in clinics")]


# --- from the seventh held-out set (read after one unread score) ---------------------------------


def test_a_dash_right_before_an_item_opens_it() -> None:
    text = "Norway's plan for 2031:\n\n-To build 40 walk-in clinics\n\n-To open 12 science parks\n"
    assert [(r[1], r[2], r[3]) for r in run(text)] == [
        ("other", 40, "2031"),
        ("parks", 12, "2031"),
    ]


def test_a_calendar_year_written_cy() -> None:
    assert run("Norway will train at least 9,000 nurses in CY 2031.")[0][2:4] == (9000, "2031")


def test_items_named_by_a_verb_in_ing_are_orders() -> None:
    text = (
        "Norway's practical projects for 2031:\n\n1. Optimizing 5 ferry lines\n\n"
        "2. Newly building 33 pocket parks\n"
    )
    assert [(r[2], r[3]) for r in run(text)] == [(5, "2031"), (33, "2031")]
    # not outside a list: a sentence that opens with an -ing form reports
    assert run("Optimizing 5 ferry lines took Norway two years.") == []


@pytest.mark.parametrize(
    ("text", "counted"),
    [
        ("Norway will offer 130,000 additional school admissions by 2031.", "school admissions"),
        ("Norway will transform 300 free markets by 2031.", "free markets"),
        ("Norway will treat and cure 11 thousand patients by 2031.", "patients"),
    ],
)
def test_more_verbs_of_services(text: str, counted: str) -> None:
    assert [(r[3], r[4]) for r in run(text)] == [("2031", counted)]
    # in a statement of what is done now ("treats 300 patients a day"), no target
    assert run(text.replace("will ", "").replace(" by 2031", " a year")) == []
