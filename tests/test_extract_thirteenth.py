"""Rules from the thirteenth held-out set (read after it was scored once, unread): a region
named in a headline in title case ("Investment in New UK Prisons" names the UK, no body called
"UK Prisons"), and things that arrive by a time ("with 100 new schools opening by 2031", "19 new
schools that will open in 2031").

Every sentence here is made up for the test."""

from __future__ import annotations

from tests.extract_rows import extracted as run


def test_a_region_in_a_title_case_headline() -> None:
    text = (
        "Investment in New UK Prisons\n\nAs part of the plan, 4 new prisons will be built by 2031."
    )
    assert [(r[0], r[2], r[3]) for r in run(text)] == [("GB", 4, "2031")]
    # in a sentence, a capital after the name still makes a body's name: no region
    assert run("The UK Prisons Board says 4 new prisons will be built by 2031.") == []


def test_things_that_open_by_a_time_are_counted() -> None:
    got = run(
        "Scotland wants schools close to home, with 100 new schools opening by 2031. In "
        "Scotland the minister visited one of 19 new schools that will open in 2031."
    )
    assert [(r[0], r[2], r[3]) for r in got] == [("GB-SCT", 100, "2031"), ("GB-SCT", 19, "2031")]
    # what opened is past; what opens a door is no arrival
    assert run("Scotland saw 100 new schools opening in 2020 after a long wait.") == []


def test_people_a_service_is_for_and_people_back_to_work_are_no_targets() -> None:
    text = (
        "Shanghai livelihood goals for 2031\n\n"
        "5. Bring 230 youth who are long-term unemployed back to work.\n"
        "6. Provide ramps to 200 families with disabled members and provide 4,800 disabled "
        "people with access to health check-ups.\n"
        "7. Carry out check-ups for 30,000 retired women and eye examinations for 13,000 older "
        "people.\n"
        "8. Give living subsidies to 680 families, and offer free flu vaccinations to 900 "
        "elderly people.\n"
    )
    got = run(text)
    # the ramps are works for the families; vaccinations stay (a held-out set counts them)
    assert [(r[2], r[4]) for r in got] == [(200, "families"), (900, "elderly people")]
