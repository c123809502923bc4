"""Seventh extraction round (issue 10): classes of misses and extras found on a third set of real
pages, each written here as a mechanism with sentences made up for the test (no page's words).
"""

from __future__ import annotations

from pledgegraph.loaders.extraction import extract
from pledgegraph.loaders.facts import Source
from tests.extract_rows import Row, rows


def run(text: str, **source: str) -> list[Row]:
    return rows(extract(text, source=Source(url=source.pop("url", "urn:test"), **source)))


# --- a short goal line ending in a colon dates its section ---------------------------------------

GOAL_LINE = (
    "Norway has published its new plan for coastal towns.\n\n"
    "Aims to be reached by 2031:\n\n"
    "1. Harbours and ferries\n\n"
    "Norway will also build eight ferry terminals.\n\n"
    "2. Clinics\n\n"
    "The country will open 40 maternity clinics."
)


def test_a_goal_line_with_a_year_before_a_colon_dates_the_prose_of_its_section() -> None:
    text = GOAL_LINE.replace("Aims to be", "Goals to be")
    assert run(text) == [
        ("NO", "other", 8, "2031", "ferry terminals"),
        ("NO", "other", 40, "2031", "maternity clinics"),
    ]


def test_a_goal_line_of_things_done_or_with_no_goal_noun_dates_nothing() -> None:
    for line in ("Aims to be reached by 2031:", "Goals achieved by 2031:"):
        found = run(GOAL_LINE.replace("Aims to be reached by 2031:", line))
        assert [r[3] for r in found] == [None, None], line


def test_a_long_sentence_ending_in_a_colon_is_no_goal_line() -> None:
    text = GOAL_LINE.replace(
        "Aims to be reached by 2031:",
        "Officials said on Monday that the goals to be met by 2031, which were set last spring,"
        " include the following:",
    )
    assert [r[3] for r in run(text)] == [None, None]


# --- a kind label inside a name whose head comes later -------------------------------------------


def test_a_kind_label_inside_a_capitalised_name_is_not_its_head() -> None:
    assert run("Norway will fund the Coastal Talent Compact from 2027.") == []
    assert run("The money will help carry out the Green Parks Charter.") == []


def test_a_capitalised_label_at_the_end_of_its_name_is_still_counted() -> None:
    assert run("Norway will build the Bergen Science Park by 2030.") == [
        ("NO", "parks", 1, "2030", None)
    ]


# --- research written as R&D ---------------------------------------------------------------------


def test_r_and_d_before_a_research_label_names_the_same_kind() -> None:
    found = run(
        "Norway will set up 12 new R&D institutions and four research and development "
        "institutes by 2030."
    )
    assert [(r[1], r[2]) for r in found] == [("research_centres", 12), ("research_centres", 4)]
