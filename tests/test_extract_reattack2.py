"""Wrong answers an outside attack found in the twenty-first round's rules (a quoted count read
as a slogan, one place made by any passive or verb, plans that were opposed or undone, a month
and day with no year read in a past clause or before the page's date, a month and year that
dates a start or a past event, a year's measures of the past framing a page, a lead that builds
on achievements, money received in the past), each checked against the answer before the round.

Every sentence here is made up for the test."""

from __future__ import annotations

import pytest

from tests.extract_rows import extracted as run


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("“Three new hospitals will be built in Wuhan by 2031,” the Hubei governor said.", 3),
        ('"Twenty new schools will open in Hubei by 2031," the governor told reporters.', 20),
        ('Hubei will build "Three new schools" by 2031, the plan said.', 3),
    ],
)
def test_a_quoted_count_is_no_slogan(text: str, count: int) -> None:
    assert [r[2] for r in run(text)] == [count]


@pytest.mark.parametrize(
    "text",
    [
        "The hospital will be provided with 40 ventilators, the Hubei health commission said.",
        "The hospital will be funded by the Hubei government, officials said.",
        "The new school is to be funded with 2 million yuan, the Hubei government said.",
        "The airport will be recognised as a national hub, the Hubei government said.",
        "The school will be selected as a pilot site in Wuhan, Hubei.",
        "The stadium will be opened to the public free of charge in Wuhan, Hubei.",
        "Hubei said the school will be converted into a museum.",
        "The old hospital will be replaced by a park in Wuhan, Hubei.",
        "The airport will be expanded to handle 40 million passengers a year, Hubei said.",
        "Hubei will demolish a new stadium that was built illegally.",
        "Hubei will recognise a new school as a model.",
        "Hubei will feature a new stadium in its tourism advert.",
        "Wuhan, Hubei, will vaccinate a new class of students.",
        "Hubei will upgrade a new terminal that opened in 2019.",
    ],
)
def test_one_place_that_is_given_used_or_changed_is_no_target(text: str) -> None:
    assert run(text) == []


def test_a_place_named_again_adds_no_target() -> None:
    text = "Hubei will build 30 clinics by 2031. The project will be completed in three phases."
    assert [r[2] for r in run(text)] == [30]


@pytest.mark.parametrize(
    "text",
    [
        "Hubei's plans for 25 new clinics were rejected by the central government in 2030.",
        "Hubei had plans for 25 new clinics in the 1990s, but none were built.",
        "Hubei has no plans for 25 new clinics, the health commission said.",
        "In Hubei, residents oppose plans for 12 new incinerators.",
        "In Hubei, critics of the plans for 40 new dams say they will harm rivers.",
    ],
)
def test_plans_opposed_denied_or_undone_are_no_pledge(text: str) -> None:
    assert run(text) == []


def test_a_month_and_day_without_a_year() -> None:
    page = "2031-06-15"
    # a day before the page's date in its year is next year's
    assert [r[3] for r in run("Hubei will build 30 clinics by June 10.", page)] == ["2032"]
    assert [r[3] for r in run("Hubei will build 30 clinics by December 31.", page)] == ["2031"]
    # with a count after the comma
    text = "Hubei will build 30 clinics by December 31, 27 of them in Wuhan."
    assert [r[3] for r in run(text, page)][:1] == ["2031"]
    # "before" and "until" in a clause of the past date nothing; nor a day that does not exist
    for text in (
        "Hubei will fund 30 new clinics that opened before December 31.",
        "Until December 31, Hubei ran 12 clinics; it will now build 30 new clinics.",
        "Hubei will build 30 clinics by February 30.",
    ):
        assert [r[3] for r in run(text, page) if r[2] == 30] == [None], text
    # with only a year for the page's date, this year's or next is not known
    assert [r[3] for r in run("Hubei will build 30 clinics by 31 March.", "2031")] == [None]


@pytest.mark.parametrize(
    "text",
    [
        "Hubei will build 30 clinics starting in September 2031.",
        "Hubei will begin building 30 clinics in January 2032.",
        "Hubei will build 30 clinics after the floods in July 2031 destroyed many.",
        "Hubei will build 30 clinics similar to those completed in May 2031.",
        "The will of the people expressed in March 2031 led Hubei to build 30 clinics.",
    ],
)
def test_a_month_and_year_of_a_start_or_another_event_is_no_deadline(text: str) -> None:
    assert [r[3] for r in run(text, "2031-09-01") if r[2] == 30] in ([None], [])


def test_a_month_and_year_a_verb_looks_ahead_to_is_a_deadline() -> None:
    got = run("Hubei will build 30 clinics in September 2032.", "2031-09-01")
    assert [r[3] for r in got] == ["2032"]


@pytest.mark.parametrize(
    "text",
    [
        "The Hubei government reviewed the measures in 2031 that cut pollution.\n\n"
        "Hubei will build 30 clinics.",
        "Safety measures in 2031 were strict in Hubei. The province will build 30 clinics.",
    ],
)
def test_measures_of_a_year_in_a_sentence_frame_nothing(text: str) -> None:
    assert [r[3] for r in run(text)] == [None]


@pytest.mark.parametrize(
    "lead",
    [
        "To build on its achievements, the Hubei government will in 2031:",
        "Hubei has set out its priorities for 2031, building on the accomplishments of 2030:",
    ],
)
def test_a_lead_that_builds_on_achievements_still_pledges(lead: str) -> None:
    text = f"{lead}\n- build 30 clinics\n- open 20 parks\n"
    assert [(r[2], r[3]) for r in run(text)] == [(30, "2031"), (20, "2031")]


def test_money_received_in_the_past_to_buy_things_is_no_pledge() -> None:
    text = (
        "Hubei received $5 million from Beijing last year to buy 40 electric buses, which now "
        "run in Wuhan."
    )
    assert run(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Ten schools in Hubei are to be awarded a share of $5 million.",
        "Ten schools in Hubei are to be provided with free meals.",
        "Twenty teachers in Hubei are to be awarded medals.",
    ],
)
def test_those_who_are_to_receive_something_are_not_made(text: str) -> None:
    assert run(text) == []


def test_things_to_be_built_with_money_are_made() -> None:
    assert [r[2] for r in run("In Hubei, 20 schools will be built with 5 million yuan.")] == [20]


# --- a second outside attack on the same rules (helper-120) ---


@pytest.mark.parametrize(
    "text",
    [
        "Hubei will build 30 clinics, and contractors must register by July 1.",
        "If funds arrive by December 31, Hubei will build 30 clinics.",
        "Hubei will build 30 clinics once the budget is approved by July 1.",
        "Hubei will build 30 clinics; 12 had opened by March 31.",
        "Hubei will build 30 clinics, which were promised by May 1.",
        "Hubei will build 30 clinics, and those run by 2 may close early.",
    ],
)
def test_a_month_and_day_of_another_clause_dates_nothing(text: str) -> None:
    assert [r[3] for r in run(text, "2031-06-15") if r[2] == 30] == [None]


def test_a_leap_day_only_in_a_leap_year() -> None:
    assert [r[3] for r in run("Hubei will build 30 clinics by February 29.", "2032-06-15")] == [
        None
    ]
    assert [r[3] for r in run("Hubei will build 30 clinics by February 29.", "2031-06-15")] == [
        "2032"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Hubei will announce in March 2032 where it will build 30 clinics.",
        "Hubei will decide in March 2032 whether to build 30 clinics.",
        "Hubei will build 30 clinics once the new law takes effect in January 2032.",
        "Hubei will build 30 clinics like the one that was finished in October 2031.",
    ],
)
def test_a_month_and_year_of_a_decision_or_another_thing_is_no_deadline(text: str) -> None:
    assert [r[3] for r in run(text, "2031-09-01") if r[2] == 30] in ([None], [])


def test_a_heading_of_measures_without_a_count_frames_nothing() -> None:
    assert [r[3] for r in run("Emergency measures in 2020\n\nHubei will build 30 clinics.")] == [
        None
    ]


def test_things_funded_with_money_are_made_and_those_provided_homes_are_not() -> None:
    assert [r[2] for r in run("In Hubei, ten new schools will be funded with $5m.")] == [10]
    assert run("In Hubei, 50 families are to be provided homes.") == []
    assert run("In Hubei, 20 schools are to be awarded new classrooms.") == []


@pytest.mark.parametrize(
    "text",
    [
        "Hubei won $5 million last year to buy 40 electric buses, which now run in Wuhan.",
        "Hubei raised $5 million in 2020 to buy 40 electric buses.",
        "Hubei lacks $5 million to buy 40 electric buses.",
    ],
)
def test_money_won_raised_or_lacking_pledges_nothing(text: str) -> None:
    assert run(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Hubei is investing $10 million in 2,000 farmers.",
        "Hubei is investing $10 million in 40 existing schools.",
    ],
)
def test_money_invested_in_people_or_existing_places_counts_none(text: str) -> None:
    assert run(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Hubei's plans for 25 new clinics are on hold.",
        "Hubei's plans for 25 new clinics have stalled.",
        "Hubei put on hold plans for 25 new clinics.",
        "Hubei denied it has plans for 25 new clinics.",
        "Are Hubei's plans for 25 new clinics realistic?",
        "In Hubei, the opposition's plans include 23 new schools.",
        "In Hubei, the rejected plans include 23 new schools.",
        "Hubei's budget includes 23 schools that will close.",
    ],
)
def test_plans_on_hold_denied_in_doubt_or_of_others_pledge_nothing(text: str) -> None:
    assert run(text) == []


def test_a_count_that_opens_a_clause_is_no_modifier_of_a_verb() -> None:
    got = run("Hubei will build 40 schools by 2031, and 25 serve rural areas.")
    assert [r[2] for r in got] == [40]


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("“Three hospitals for Wuhan” will be built by 2031, the Hubei governor said.", 3),
        ("“Thirty Clinics in Wuhan” will be built by 2031, Hubei said.", 30),
    ],
)
def test_a_quoted_subject_is_no_slogan(text: str, count: int) -> None:
    assert [r[2] for r in run(text)] == [count]


@pytest.mark.parametrize(
    "lead", ["After these successes, Hubei's next steps are:", "Hubei hopes for more successes:"]
)
def test_leads_that_name_successes_and_look_ahead_still_pledge(lead: str) -> None:
    assert [r[2] for r in run(f"{lead}\n- build 30 clinics\n- open 20 parks\n")] == [30, 20]


@pytest.mark.parametrize(
    "text",
    [
        "Wuhan, Hubei, will open a new road to prosperity.",
        "Hubei will build a new bridge between citizens and government.",
        "Hubei will create a new school of thought.",
        "Hubei will open a new centre of excellence.",
        "Hubei denied reports that a new hospital will be built in Wuhan.",
        "Nobody in Hubei believes a new hospital will be built.",
        "Hubei will study whether to build a new hospital.",
        "Hubei will provide a new school with books.",
        "Hubei will build a new school in each of its 17 cities.",
        "In Hubei, the old school will be built over with flats.",
    ],
)
def test_one_place_in_a_figure_a_denial_or_one_in_each_is_no_target(text: str) -> None:
    assert run(text) == []


def test_a_place_named_again_is_one_target() -> None:
    text = "Hubei will build a new hospital in Wuhan and the hospital will be finished by 2033."
    assert [r[2] for r in run(text)] == [1]
    text = "Hubei will build 30 km of railway by 2033. The railway will be completed in two phases."
    assert [r[2] for r in run(text)] == []


def test_one_place_made_by_a_day_of_a_month() -> None:
    got = run("In Hubei, a new school will be built by December 31.", "2031-06-15")
    assert [(r[2], r[3]) for r in got] == [(1, "2031")]
    got = run("In Hubei, the new hospital will be built by mid-2032.")
    assert [(r[2], r[3]) for r in got] == [(1, "2032")]


# --- a third outside attack, on the rules added after the nineteenth set was read (helper-122) ---


@pytest.mark.parametrize(
    "text",
    [
        "In the whole year of 2033, Changsha will build 40 parks.",
        "Changsha will build 40 parks throughout the year 2032.",
        "Changsha will build 40 swimming pools open throughout the year.",
        "Changsha will build 40 parks, the mayor said throughout the year.",
        "Changsha will build 40 parks, based on 2033 population forecasts.",
        "Changsha will build 40 schools, depending on 2032 enrolment.",
        "Changsha will hold a hearing on 2032 plans and build 40 parks.",
    ],
)
def test_the_year_or_on_a_year_in_other_senses_dates_nothing(text: str) -> None:
    assert [r[3] for r in run(text, "2031-06-15")] in ([None], [None, None])


@pytest.mark.parametrize(
    "text",
    [
        "Changsha Railway is expected to complete its audit in 2032.",
        "Lee School in Changsha is expected to complete her thesis in 2032.",
        "Xiangya Hospital in Changsha will open a clinic in 2032.",
        "Xiangjiang Bridge in Changsha will complete a safety inspection by 2032.",
        "Changsha news. Tunnel is expected to open in 2032.",
        "Xiangjiang Tunnel in Changsha is expected to open to traffic in 2032 or 2033.",
        "Xiangjiang Tunnel in Changsha is expected to open in 2032 at the earliest.",
    ],
)
def test_a_named_place_doing_something_else_or_hedged_is_no_target(text: str) -> None:
    assert [r for r in run(text, "2031-06-15") if r[2] == 1 and r[1] == "other"] == []


@pytest.mark.parametrize(
    "text",
    [
        "Changsha will not repeat such 8 projects as those of 2030, and will build 20 schools.",
        "Changsha will build 20 schools by 2033; such 8 projects as those of 2030 failed.",
        "Changsha will complete such 12 projects as it can by 2033.",
    ],
)
def test_such_n_as_in_a_negation_comparison_or_vague_amount_counts_nothing(text: str) -> None:
    assert [r[2] for r in run(text, "2031-06-15") if r[2] in (8, 12)] == []
