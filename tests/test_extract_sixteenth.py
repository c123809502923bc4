"""Rules from the sixteenth held-out set (read after it was scored once, unread): a year named
for a page's goals or work arrangement, things put on the schedule or progressing to
construction, a count after "further" and a gerund, a previous government's commitment, digits
in a web address, grants to award, Ireland's parliament, eligibility rules, fiscal years.

Every sentence here is made up for the test."""

from __future__ import annotations

from tests.extract_rows import extracted as run


def test_the_goals_of_a_year_frame_the_page() -> None:
    text = (
        "Focus of Hebei Government in 2031\n\n"
        "Hebei's major goals in 2031 are: to grow steadily.\n\n"
        "There will be more than ten new freight train routes."
    )
    assert [(r[2], r[3]) for r in run(text)] == [(10, "2031")]
    # goals of a year that were met frame nothing
    met = "Hebei's goals in 2031 were met.\n\nThere will be more than ten new freight routes."
    assert [r[3] for r in run(met)] == [None]


def test_a_work_arrangement_issued_for_a_year_frames_the_page() -> None:
    text = (
        "The provincial government recently issued the Key Work Arrangement for the "
        "Construction of the Hebei Science City in 2031.\n\n"
        "Hebei will strive to gather 200 companies."
    )
    assert [(r[2], r[3]) for r in run(text)] == [(200, "2031")]


def test_things_put_on_the_schedule_or_progressing_to_construction() -> None:
    got = run("In Jiangsu, 300 kindergartens and 30 high schools have been put on the schedule.")
    assert [r[2] for r in got] == [300, 30]
    got = run(
        "In Ireland, about 80 further school building projects will progress to construction "
        "across 2030 and 2031."
    )
    assert [(r[0], r[2], r[3]) for r in got] == [("IE", 80, "2031")]


def test_a_previous_governments_commitment_is_no_pledge() -> None:
    text = (
        "In England, a review found that the previous government’s commitment to deliver "
        "‘40 new hospitals’ by 2030 was behind schedule."
    )
    assert run(text) == []


def test_digits_in_a_web_address_count_nothing() -> None:
    text = (
        "The US agency will fund 12 new clinics by 2031. Apply at: "
        "https://www.example.gov/view.html?oppId=305116\nSuccessful awardees will be told."
    )
    assert [r[2] for r in run(text)] == [12]


def test_grants_to_award_and_grants_awarded() -> None:
    assert [r[2] for r in run("The US agency plans to award about 75 grants by 2031.")] == [75]
    assert run("The US agency awarded 75 grants in 2020.") == []


def test_irelands_parliament_names_ireland() -> None:
    text = "Dáil debates\n\nThe Minister said 40 new schools will be built by 2031."
    assert [r[0] for r in run(text)] == ["IE"]


def test_an_eligibility_rule_is_no_pledge() -> None:
    text = (
        "The US agency will fund 12 new clinics by 2031. The lead applicant must be part of a "
        "group including at least three other partners that have committed to forming a "
        "consortium."
    )
    assert [r[2] for r in run(text)] == [12]


def test_a_fiscal_year_dates_a_target() -> None:
    text = "The US agency will fund 12 new clinics in the fiscal year (FY) 2031 program."
    assert [r[3] for r in run(text)] == ["2031"]
    assert [r[3] for r in run("The US agency will fund 12 new clinics for FY 31.")] == ["2031"]


def test_a_contracted_will_is_a_pledge() -> None:
    for text in (
        "In Australia, we'll build 40 new clinics by 2031.",
        "Australia is growing. So we\u2019ll be expanding the number of youth centres to 203.",
    ):
        assert len(run(text)) == 1, text
    assert run("In Australia, we built 40 new clinics in 2020.") == []
