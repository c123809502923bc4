"""Rules from the twelfth held-out set (read after it was scored once, unread): a government
that released or published its targets for a year frames the page's counts with that year, as
does a plan named by its year; "the year ahead" read with the page's date; a causative ("will
have their homes renovated"); counts in orders with "day care", "such" or "charging posts"; works
verbs ("optimize", "spruce up"); growth "by N things"; a long "of" phrase before a passive; and
bare plurals (no count) left out unless they name a sector.

Every sentence here is made up for the test."""

from __future__ import annotations

from tests.extract_rows import extracted as run


def test_targets_released_for_a_year_frame_the_orders_under_them() -> None:
    text = (
        "Hebei recently published its livelihood targets for 2031 at the annual congress.\n\n"
        "1. Transport\n\n"
        "Add another 30 electric buses, optimize 14 bus routes and establish 60 bus shelters."
    )
    got = run(text)
    assert [(r[2], r[3]) for r in got] == [(30, "2031"), (14, "2031"), (60, "2031")]
    # "targets ... at the annual congress of 2031": the year of no targets; nothing framed
    other = text.replace("targets for 2031 at the annual congress", "targets at the 2031 congress")
    assert all(r[3] is None for r in run(other))


def test_a_plan_named_by_its_year_frames_its_counts() -> None:
    text = (
        "Hebei has unveiled the 2031 Implementation Plan for Digital Zones.\n\n"
        "Hebei will set up 3 data exchange centres."
    )
    assert [(r[2], r[3]) for r in run(text)] == [(3, "2031")]


def test_the_year_ahead_is_the_page_year_early_in_it_and_the_next_late() -> None:
    text = (
        "Hebei has listed its work priorities for the year ahead.\n\n"
        "Hebei will open 12 new ferry routes."
    )
    assert [r[3] for r in run(text, "2031-03-02")] == ["2031"]
    assert [r[3] for r in run(text, "2031-11-20")] == ["2032"]
    assert [r[3] for r in run(text)] == [None]  # no page date: no year


def test_a_causative_future_counts_its_subject() -> None:
    got = run(
        "In 2031, 4,000 rural households in Hebei will have their roofs repaired. In 2031, 700 "
        "old estates in Hebei will get new lifts installed. 300 families will have a better view."
    )
    assert [(r[2], r[3]) for r in got] == [(4000, "2031"), (700, "2031")]


def test_orders_with_day_care_such_and_charging_posts() -> None:
    got = run(
        "Hebei work plan for 2031.\n\n"
        "Set up 12 day care centres and four elderly homes. Build another five such clinics "
        "and 30 charging posts. Spruce up 14 old lanes.\n\n"
        "Hebei will also create 300 teaching posts and hold 5 day trips."
    )
    assert [r[2] for r in got] == [12, 4, 5, 30, 14]


def test_growth_by_a_count_with_its_own_noun() -> None:
    got = run("In 2031 Hebei will increase public nursery enrolment by 50,000 children.")
    assert [(r[1], r[2], r[3]) for r in got] == [("other", 50000, "2031")]
    # money and measures after "by" are no things
    assert run("In 2031 Hebei will increase its budget by 5 million yuan.") == []
    assert run("In 2031 Hebei will increase green space by 300 hectares.") == []


def test_a_long_of_phrase_before_a_passive() -> None:
    got = run(
        "In 2031, more than 650 innovation platforms of many different levels and types "
        "are expected to be established in Hebei."
    )
    assert [(r[1], r[2], r[3]) for r in got] == [("platforms", 650, "2031")]


def test_bare_plurals_are_left_out_unless_they_name_a_sector() -> None:
    got = run(
        "By 2031 Hebei will develop unicorn companies, create apprenticeships and build "
        "blockchain platforms. It will also build 3 parks."
    )
    assert [(r[1], r[2]) for r in got] == [("platforms", None), ("parks", 3)]


def test_two_single_things_of_one_sentence_are_two_targets() -> None:
    got = run(
        "Hebei work plan for 2031.\n\n"
        "Set up a startup service platform and job fairs, and develop a data service platform "
        "for social assistance."
    )
    assert [(r[1], r[2]) for r in got] == [("platforms", 1), ("platforms", 1)]
    # stated again in another sentence, one thing is one target
    again = run("By 2031 Hebei will set up a data platform. Hebei will set up a data platform.")
    assert [(r[1], r[2]) for r in again] == [("platforms", 1)]


def test_a_count_before_a_money_compound_counts_the_noun() -> None:
    got = run(
        "Hunan will launch 50 100-million-yuan projects in 2031. About 80 10-billion-yuan "
        "projects will be started in 2031."
    )
    assert [(r[2], r[3]) for r in got] == [(50, "2031"), (80, "2031")]
    # the amount alone is money, not a count of projects
    assert run("Hunan will invest 100-million-yuan in 2031 projects.") == []
    # digits grouped by a space are still one number
    assert [r[2] for r in run("By 2031 Hunan will build 12 500 homes.")] == [12500]


def test_a_verb_we_know_coordinated_with_one_we_do_not_governs() -> None:
    got = run("By 2031 Hunan will establish and operate three new testing centres.")
    assert [(r[2], r[3]) for r in got] == [(3, "2031")]
    assert run("By 2031 the parks and operate three new testing centres.") == []
