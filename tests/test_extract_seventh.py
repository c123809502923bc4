"""Seventh extraction round (issue 10): classes of misses and extras found on a third set of real
pages, each written here as a mechanism with sentences made up for the test (no page's words).
"""

from __future__ import annotations

from pledgegraph.loaders.extraction import extract
from pledgegraph.loaders.facts import Source
from tests.extract_rows import Row, dated, rows


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
    # Goals done lend nothing; a line without a goal noun frames nothing, and its year is at
    # most the page's one firm deadline, a guess below the review threshold.
    found = run(GOAL_LINE.replace("Aims to be reached by 2031:", "Goals achieved by 2031:"))
    assert [r[3] for r in found] == [None, None]
    assert all(year is None or sure < 0.8 for year, sure in dated(GOAL_LINE))


def test_a_long_sentence_ending_in_a_colon_is_no_goal_line() -> None:
    text = GOAL_LINE.replace(
        "Aims to be reached by 2031:",
        "Officials said on Monday that the goals to be met by 2031, which were set last spring,"
        " include the following:",
    )
    assert all(year is None or sure < 0.8 for year, sure in dated(text))


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


# --- two different things with the same count ----------------------------------------------------


def test_two_other_things_with_the_same_count_are_two_targets() -> None:
    found = run("Norway will open 12 canteens and build 12 reading rooms by 2027.")
    assert [(r[2], r[4]) for r in found] == [(12, "canteens"), (12, "reading rooms")]


# --- a ceiling is no target ----------------------------------------------------------------------


def test_reducing_the_number_of_something_to_n_is_no_target() -> None:
    assert run("Norway will reduce the number of idle ferries to 40 by 2030.") == []
    assert run("Norway will raise the number of ferries to 40 by 2030.") == [
        ("NO", "other", 40, "2030", "ferries")
    ]


# --- a goal noun and any gerund before the count -------------------------------------------------


def test_a_goal_noun_sets_the_count_after_any_gerund() -> None:
    text = "The agency is on track towards its goal of staging 30 harbour festivals by 2028."
    assert run(text, url="https://example.gov/x") == [
        ("US", "other", 30, "2028", "harbour festivals")
    ]


def test_a_goal_of_reducing_a_count_sets_no_target() -> None:
    text = "The agency is on track towards its goal of closing 30 harbour depots by 2028."
    assert run(text, url="https://example.gov/x") == []


# --- in an order, the count a preposition names ---------------------------------------------------


def test_an_order_counts_those_its_work_is_for_or_the_places_it_is_done_at() -> None:
    text = (
        "Targets of the Harbour District for 2027:\n\n"
        "1. Fit smoke alarms at 40 old housing estates and lay new drains for 900 village homes.\n\n"
        "2. Pave 70 farm lanes and the storm drains for 300 hill farms."
    )
    found = [(r[2], r[4]) for r in run(text, url="https://example.gov.cn/x")]
    assert (40, "old housing estates") in found
    assert (900, "village homes") in found
    assert (70, "farm lanes") in found and (300, "hill farms") in found


def test_in_prose_without_an_order_a_count_after_for_stays_out() -> None:
    text = "The district's drains serve 900 village homes, and its lanes lead to 40 old estates."
    assert run(text, url="https://example.gov.cn/x") == []


def test_a_count_after_for_when_the_object_is_counted_already_stays_out() -> None:
    text = "Targets for 2027:\n\n1. Build 30 parks for 200,000 residents."
    assert [(r[2], r[4]) for r in run(text, url="https://example.gov.cn/x")] == [(30, None)]


# --- verbs of doing added ---------------------------------------------------------------------------


def test_skilling_by_means_and_improving_in_an_order_are_verbs_of_doing() -> None:
    text = "The institute is running the scheme by skilling 40,000 people in robotics by 2027."
    assert run(text, url="https://example.europa.eu/x") == [
        ("EU", "talent", 40000, "2027", "people")
    ]
    assert run("Targets for 2027:\n\n1. Improve the lifts at 25 old estates.",
               url="https://example.gov.cn/x")[0][2:] == (25, "2027", "old estates")  # fmt: skip


# --- any count in an item of a goal list -----------------------------------------------------------

MILESTONES = (
    "Over this Parliament we will focus on clear milestones for each mission:\n\n"
    "  • Safer harbours, with a warden for every quay, and 900 more harbour wardens in post.\n"
    "  • Building 40,000 homes in Wales and speeding up permits for at least 60 large ferry "
    "projects.\n"
)


def test_a_milestone_lead_pledges_and_any_count_in_its_items_is_a_goal() -> None:
    found = [(r[0], r[2], r[3], r[4]) for r in run(MILESTONES, url="https://www.gov.uk/x")]
    assert ("GB", 900, None, "harbour wardens") in found
    assert (40000, "homes") in [(r[1], r[3]) for r in found]
    assert (60, "large ferry projects") in [(r[1], r[3]) for r in found]


def test_a_count_in_an_item_adds_nothing_to_the_confidence() -> None:
    sheet = extract(MILESTONES, source=Source(url="https://www.gov.uk/x"))
    wardens = [t for p in sheet.pledges for t in p.targets if t.description == "harbour wardens"]
    assert wardens and wardens[0].confidence is not None and wardens[0].confidence < 0.8


def test_items_that_report_or_describe_give_no_count() -> None:
    reported = "Since March the agency has also:\n\n  • Engaged with 3,400 rough sleepers.\n"
    assert run(reported, url="https://www.gov.uk/x") == []
    described = (
        "The plan will fund these actions:\n\n"
        "  • local clubs involving at least 5 members each\n"
        "  • solar roofs to power the equivalent of 9,000 homes\n"
    )
    assert run(described, url="https://www.gov.uk/x") == []


def test_projects_of_any_sort_are_counted_as_other_with_their_words() -> None:
    found = run("Norway will complete 45 coastal road projects by 2029.")
    assert found == [("NO", "other", 45, "2029", "coastal road projects")]


# --- a future perfect passive, and the level a growth verb brings a count to ----------------------


def test_a_count_that_will_have_been_made_by_a_year_is_a_target() -> None:
    found = run("By 2029, 45 coastal road projects will have been carried out in Norway.")
    assert found == [("NO", "other", 45, "2029", "coastal road projects")]
    assert run("By 2020, 45 coastal road projects had been carried out in Norway.") == []


def test_a_growth_verb_looking_ahead_brings_a_count_to_its_level() -> None:
    text = (
        "By 2028, the agency will have opened new courses and tripled enrolment, from a low "
        "base, to more than 6,000 apprentices."
    )
    assert run(text, url="https://example.gov/x") == [("US", "talent", 6000, "2028", "apprentices")]
    past = "In 2021 the agency tripled enrolment, from a low base, to more than 6,000 apprentices."
    assert run(past, url="https://example.gov/x") == []


def test_a_list_whose_lead_or_item_reports_what_was_done_gives_no_count() -> None:
    lead = "Under the plan, the agency has so far:\n\n  • With local partners, 3,400 homes.\n"
    assert run(lead, url="https://www.gov.uk/x") == []
    item = "The plan will fund these actions:\n\n  • Alongside councils, 3,400 homes delivered.\n"
    assert run(item, url="https://www.gov.uk/x") == []
    ahead = "The plan will fund these actions:\n\n  • Alongside councils, 3,400 homes by 2029.\n"
    assert [r[2] for r in run(ahead, url="https://www.gov.uk/x")] == [3400]


def test_a_lead_of_goals_met_pledges_nothing_in_its_items() -> None:
    text = "Milestones reached so far:\n\n  • 900 new harbour wardens on patrol\n  • 12 quays rebuilt\n"
    assert run(text, url="https://www.gov.uk/x") == []
    ahead = text.replace("Milestones reached so far:", "Milestones for this Parliament:")
    assert 900 in [r[2] for r in run(ahead, url="https://www.gov.uk/x")]


def test_a_count_of_places_an_item_works_in_is_its_scope() -> None:
    text = (
        "Main tasks for 2027:\n\n1. Run pilot reforms in 20 counties and train 500 village nurses."
    )
    assert [(r[2], r[4]) for r in run(text, url="https://example.gov.cn/x")] == [
        (500, "village nurses")
    ]


def test_in_prose_those_a_building_work_is_for_are_counted_but_not_a_capacity() -> None:
    text = "Norway will build new flood walls for 40,000 homes by 2028."
    assert run(text) == [("NO", "other", 40000, "2028", "homes")]
    # (one stadium is built; the fans it holds are no target)
    assert run("Norway will build a stadium for 60,000 fans by 2028.") == [
        ("NO", "other", 1, "2028", "stadium")
    ]
    assert run("Norway's new flood walls protect 40,000 homes.") == []


def test_a_count_within_one_counted_before_in_an_item_is_no_second_goal() -> None:
    text = "Over this Parliament we will deliver:\n\n  • 3,000 new nurseries, with 90,000 places\n"
    assert [r[2] for r in run(text, url="https://www.gov.uk/x")] == [3000]


def test_an_order_counts_what_its_work_is_done_on() -> None:
    text = "Main tasks for 2027\n\nLaunch safety checks on 500 old bridges."
    assert [(r[2], r[4]) for r in run(text, url="https://example.gov.cn/x")] == [
        (500, "old bridges")
    ]


def test_an_uncounted_unnamed_hub_is_a_role_a_place_takes() -> None:
    assert run("Norway will develop a hub leading the growth of its coastal towns by 2030.") == []
    assert [r[2] for r in run("Norway will build three hydrogen hubs by 2030.")] == [3]


def test_an_orders_object_after_and_counts_when_a_measure_stands_before_it() -> None:
    text = "Main tasks for 2027\n\nUpgrade 30 km of coastal roads and 200 old footbridges."
    assert [(r[2], r[4]) for r in run(text, url="https://example.gov.cn/x")] == [
        (200, "old footbridges")
    ]
    prose = "Last year the district upgraded 30 km of roads and 200 old footbridges."
    assert run(prose, url="https://example.gov.cn/x") == []


def test_a_count_in_a_goal_list_reported_as_done_in_a_past_passive_is_no_goal() -> None:
    for lead in ("Milestone", "Target"):
        assert (
            run(f"{lead}: 500 chargers were installed in 2023.", url="https://example.gov/x") == []
        )
    assert [r[2] for r in run("Target: 500 chargers will be installed by 2027.",
                              url="https://example.gov/x")] == [500]  # fmt: skip


# --- a period in brackets right after the counted phrase (an outside attack) -------------------


def test_a_period_in_brackets_after_the_counted_phrase_is_its_deadline() -> None:
    """ "12 parks (2021-2023)" at the end of a sentence: the brackets were read as part of the
    counted phrase, so the period, inside it, dated nothing."""
    assert run("Norway will build 12 science parks (2026-2028).") == [
        ("NO", "parks", 12, "2028", None)
    ]
    assert run("Norway will build 12 science parks (2026-2028), officials said.") == [
        ("NO", "parks", 12, "2028", None)
    ]


def test_a_count_of_other_things_before_and_a_counted_kind_is_kept() -> None:
    """'30 clinics and 12 parks': a kind label a few words on, past 'and' and another count,
    made the clinics look like a modifier of the parks, and they were dropped."""
    assert run("Norway will build 30 clinics and 12 science parks by 2028.") == [
        ("NO", "other", 30, "2028", "clinics"),
        ("NO", "parks", 12, "2028", None),
    ]
    assert run("Norway will build three AI open platforms by 2028.") == [
        ("NO", "platforms", 3, "2028", None)
    ]
