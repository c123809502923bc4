"""The twenty-third round: lists laid out a line each with semicolons, "have been planned to be
built", number words with a hyphen, rankings, job openings and flows of people, two orders
joined by "or", people recruited or trained in a passive or a course, "is setting up".

Every sentence here is made up for the test."""

from __future__ import annotations

from tests.extract_rows import extracted as run

BUDGET = (
    "Tasmania will keep these promises this year:\n"
    "Employing 64 new full-time midwives, including 12 for rural wards;\n"
    "Recruiting 31 additional surgeons and 18 nurses for the county hospital; and\n"
    "Building three new day surgery units at Ashford and Dover.\n"
    "Homes\n"
    "Planning for a larger housing register;\n"
)


def test_a_list_a_line_each_with_semicolons_is_read_as_items_of_orders() -> None:
    found = run(BUDGET)
    assert ("AU-TAS", "talent", 64, None, "new full-time midwives") in found
    assert ("AU-TAS", "talent", 31, None, "surgeons") in found
    assert ("AU-TAS", "talent", 18, None, "nurses") in found  # (joined to those recruited)
    assert ("AU-TAS", "other", 3, None, "new day surgery units") in found


def test_lines_with_semicolons_under_a_report_or_on_no_page_of_plans_order_nothing() -> None:
    report = "Tasmania spending review\n" + "\n".join(BUDGET.splitlines()[1:4])
    assert run(report) == []  # (a heading that pledges nothing, on a page of no plans)
    looking_back = "Last year the department delivered:\n" + "\n".join(BUDGET.splitlines()[1:4])
    assert run(looking_back) == []
    asked = "Tasmania payroll tax guide\n\nEmploy 20 staff or more? The new tax applies to you."
    assert run(asked) == []


def test_two_lines_with_semicolons_are_no_list() -> None:
    text = (
        "Tasmania reported its results for last year.\n"
        "Employing 64 midwives cost the county more than planned;\n"
        "Recruiting 31 surgeons took a year; the rest is in the annex.\n"
    )
    assert run(text) == []


def test_employing_is_an_order_only_when_it_opens_the_item() -> None:
    text = (
        "Tasmania hospitals: our plan for this year\n"
        "Wards employing 64 midwives were merged;\n"
        "Opening four clinics;\n"
        "Repairing roads; and\n"
        "Hiring 20 porters.\n"
    )
    found = run(text)
    assert not [r for r in found if r[2] == 64]
    assert ("AU-TAS", "other", 4, None, "clinics") in found
    assert ("AU-TAS", "talent", 20, None, "porters") in found


def test_counts_planned_to_be_built_are_pledged() -> None:
    text = (
        "Hunan parks plan\n\n"
        "In 2027, 74 new pocket parks and 60 rural parks have been planned to be built in Hunan."
    )
    found = run(text)
    assert [(r[1], r[2], r[3]) for r in found] == [("parks", 74, "2027"), ("parks", 60, "2027")]
    done = "In 2021, 74 new pocket parks have been built in Hunan."
    assert run(done) == []


def test_a_number_written_with_a_hyphen_counts_any_noun() -> None:
    assert run("Hunan will build forty-four boulevards by 2027.") == [
        ("CN-HN", "other", 44, "2027", "boulevards")
    ]


def test_a_ranking_a_job_opening_and_a_flow_of_people_are_no_targets() -> None:
    text = (
        "Fujian will woo Global 500 enterprises and Top 100 firms, create some 10,000 job "
        "openings, attract 23 million tourists and build 5 parks by 2027."
    )
    assert run(text) == [("CN-FJ", "parks", 5, "2027", None)]
    # (still counted: fairs about jobs, health visitors)
    assert run("Fujian will hold 100 job fairs by 2027.") == [
        ("CN-FJ", "other", 100, "2027", "job fairs")
    ]


def test_two_orders_joined_by_or_open_an_order() -> None:
    text = "Fujian's tasks for 2027:\n\nBuild or decorate 10 parks.\n\nRenovate 12 piers.\n"
    found = run(text)
    assert ("CN-FJ", "parks", 10, "2027", None) in found


def test_people_a_passive_recruits_are_talent() -> None:
    found = run("Nearly 4,000 volunteers will be recruited in Norway by 2027.")
    assert [(r[1], r[2]) for r in found] == [("talent", 4000)]
    built = run("By 2027, 4,000 drones will be recruited in Norway.")
    assert [(r[1], r[2]) for r in built] in ([], [("other", 4000)])


def test_people_a_course_is_for_are_talent_with_words_between() -> None:
    text = (
        "Norway's plan funds these actions by 2027:\n\n"
        "1. Short-term specialised training courses in advanced digital technologies for "
        "around 15,000 job seekers and employed people.\n"
        "2. 300 new fibre cabinets.\n"
    )
    found = run(text)
    assert ("NO", "talent", 15000, "2027", "job seekers") in found


def test_a_government_setting_up_things_pledges_them() -> None:
    text = "Under the new plan, Norway's government is setting up three new data academies by 2027."
    assert [(r[1], r[2]) for r in run(text)] == [("research_centres", 3)]
    assert (
        run("Under the old plan, Norway's government was setting up three academies in 2019.") == []
    )
    # (not anyone's work: "Rumours that Norway is setting up 3 academies are false")
    assert run("Norway's football clubs are setting up three new youth academies by 2027.") == []


# --- the second half: from heldout-27 and -28, read after their unread scoring ------------------


def test_zero_before_emission_is_an_adjective_not_the_count() -> None:
    text = "England will deliver 319 new zero emission buses by 2027."
    assert run(text) == [("GB-ENG", "other", 319, "2027", "new zero emission buses")]
    assert run("England will build zero new coal plants by 2027.") == []


def test_staff_counted_as_more_extra_or_additional_are_talent() -> None:
    found = run("Fujian will fund 500 more nurses and build 40 extra clinics by 2025.")
    assert ("CN-FJ", "talent", 500, "2025", "nurses") in found
    assert ("CN-FJ", "other", 40, "2025", "clinics") in found
    # (those a work is for are not added staff)
    homes = run("Fujian will build homes for 500 more nurses by 2025.")
    assert [r[1] for r in homes] == ["other"]


def test_there_will_be_counts_what_there_will_be() -> None:
    found = run("Fujian announced there would be an additional 1125 police staff by 2026.")
    assert found == [("CN-FJ", "talent", 1125, "2026", "police staff")]


def test_a_list_after_includes_is_governed_by_it() -> None:
    text = (
        "Fujian's new package will include a hotline, 140 more officers for rural stations, "
        "80 additional detectives and 12 mobile policing units."
    )
    assert [(r[1], r[2]) for r in run(text)] == [("talent", 140), ("talent", 80), ("other", 12)]
    past = "Last year's package included a hotline, 140 more officers and 80 extra detectives."
    assert run(past) == []
    covered = "Fujian will extend its insurance to include an additional 40,000 farm workers."
    assert run(covered) == []


def test_a_plan_that_will_include_an_extra_count_pledges_it() -> None:
    found = run("Fujian's plan will include an extra 68 police officers on the streets in 2026.")
    assert found == [("CN-FJ", "talent", 68, "2026", "police officers")]


def test_staff_numbers_increased_by_a_count_are_talent() -> None:
    found = run("Fujian's frontline police numbers will be increased by 500 officers by 2025.")
    assert [(r[1], r[2], r[3]) for r in found] == [("talent", 500, "2025")]
    buses = run("Fujian's bus numbers will be increased by 40 buses by 2025.")
    assert [(r[1], r[2]) for r in buses] == [("other", 40)]


def test_a_non_breaking_hyphen_joins_a_compound_adjective() -> None:
    found = run("Fujian will build one million new well\u2011located homes by 2029.")
    assert [(r[1], r[2]) for r in found] == [("other", 1000000)]


def test_an_ing_phrase_that_is_a_sentences_subject_orders_nothing() -> None:
    text = (
        "Tasmania will keep these promises in 2027:\n"
        "Employing 40 more staff would cost too much, the Treasurer said;\n"
        "Opening 6 clinics; and\n"
        "Hiring 20 porters.\n"
    )
    found = [(r[1], r[2]) for r in run(text)]
    assert found == [("other", 6), ("talent", 20)]
