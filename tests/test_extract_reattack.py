"""What a second outside attack (2026-12-05) found in the eighteenth and nineteenth rounds'
rules, each case a sentence of its own: the country Georgia read as the state, a national target
merged into a province's, announcements by companies or of the past, an eligibility rule that
hid a pledge, counts after a line's name, a kept commitment, and a demolition.

Every sentence here is made up for the test."""

from __future__ import annotations

from tests.extract_rows import extracted as run


def test_the_country_georgia_stays_the_country() -> None:
    for text in (
        "Georgia will build 12 new schools by 2030, its prime minister told the UN General "
        "Assembly in New York.",
        "Georgia will build 12 new schools by 2030, Tbilisi said. Russia and Texas oil prices "
        "fell.",
    ):
        assert [r[0] for r in run(text)] == ["GE"], text
    assert [r[0] for r in run("Alabama and Georgia will add 300 charging stations by 2027.")] == [
        "US-GA"
    ]


def test_a_national_target_is_not_merged_into_a_provinces() -> None:
    got = run("The US will build 100 new bridges by 2030. Texas will repair 100 bridges.")
    assert [(r[0], r[3]) for r in got] == [("US", "2030"), ("US-TX", None)]
    got = run("Canada will plant 2 billion trees by 2030. Ontario will plant 2 billion trees.")
    assert [(r[0], r[3]) for r in got] == [("CA", "2030"), ("CA-ON", None)]


def test_announcements_by_companies_of_the_past_or_not_made_pledge_nothing() -> None:
    for text in (
        "Amazon announced 3 new fulfilment centres in Kenya.",
        "Tesla unveiled 50 new charging stations in Norway.",
        "Back in 2015, the government of Kenya unveiled 40 new hospitals.",
        "In 2019 Kenya announced 40 new hospitals; only 3 were built.",
        "Kenya has yet to approve 40 new schools.",
        "Kenya announced 12 new stations were closed.",
        "Kenya announced 2 new lines of credit worth $10 million.",
        "Kenya announced 5 new seats in parliament for women.",
        "Kenya approved 45 more schools than last year.",
    ):
        assert run(text) == [], text
    # a minister's announcement of what comes in a later year is still one
    text = "Australia's minister today announced up to 534 additional kindergarten places are being created in 2031."
    assert [(r[2], r[3]) for r in run(text)] == [(534, "2031")]


def test_an_eligibility_rule_leaves_the_pledge_after_its_clause() -> None:
    for text in (
        "Applications must be submitted online, and the Kenyan government will build 200 new "
        "schools by 2030.",
        "Proposals should be sent to the ministry; India will build 50 new airports by 2030.",
        "Applicants should note that the UK government will build 40 new hospitals by 2030.",
    ):
        assert len(run(text)) == 1, text


def test_a_count_after_a_lines_name_and_a_kept_commitment() -> None:
    got = run(
        "Along the Northern Line 8 new stations will be built by 2030, the UK government said."
    )
    assert [r[2] for r in got] == [8]
    text = (
        "The UK government will keep the previous government's commitment to deliver 40 new "
        "hospitals by 2030."
    )
    assert [r[2] for r in run(text)] == [40]


def test_schools_put_on_the_schedule_for_demolition_are_no_pledge() -> None:
    assert run("Kenya said 350 schools have been put on the schedule for demolition by 2030.") == []
    assert [r[2] for r in run("Kenya said 350 schools have been put on the schedule.")] == [350]


def test_a_web_address_ends_at_a_bracket_and_a_capital_preposition_reads_a_fiscal_year() -> None:
    assert [r[2] for r in run("Kenya will build (https://moe.go.ke/x)40 new schools by 2030.")] == [
        40
    ]
    assert [r[3] for r in run("In FY 30, the US will build 200 new schools.")] == ["2030"]


def test_things_due_to_open_and_a_state_with_its_country() -> None:
    got = run("In Scotland, three National Treatment Centres are due to open in 2031.")
    assert [(r[0], r[2], r[3]) for r in got] == [("GB-SCT", 3, "2031")]
    # "due to" as "because of" is no cue
    assert run("Due to the pandemic, Scotland's three centres closed in 2020.") == []
    got = run("In Victoria, Australia, two childcare services will come online in 2031.")
    # the state with its country; services of any sort are counted as kind other
    assert [(r[0], r[1], r[2]) for r in got] == [("AU-VIC", "other", 2)]


def test_american_names_in_passing_leave_the_country_georgia() -> None:
    # (a third attack: each came out as US-GA)
    for text in (
        "Georgia will build 30 new bridges by 2027 with Indiana Jones style flair, the "
        "president said.",
        "Georgia will build 30 new schools by 2028, the education ministry said. The loan was "
        "agreed at the UN in New York.",
        "Georgia will build 30 new bridges by 2027. Talks with Virginia-based contractors "
        "continue.",
    ):
        assert [r[0] for r in run(text)] == ["GE"], text
    # a state named with its own country only
    assert (
        run("Victoria will build 3 new hospitals by 2029 (Victoria, USA is another place).") == []
    )


def test_a_dated_sentence_may_name_the_narrower_place_by_its_adjective() -> None:
    text = (
        "15 new free schools were approved for England. The UK Government will open 15 new free "
        "schools across English regions by 2031."
    )
    assert [(r[0], r[3]) for r in run(text)] == [("GB-ENG", "2031")]
