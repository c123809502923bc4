"""Twenty-fifth extraction round: phrasings of the new user trial and the attack left-overs.

Every text here is written for the test (no sentence of a real page)."""

from __future__ import annotations

from extract_rows import extracted


def run(text: str) -> list[tuple[object, ...]]:
    return extracted(text, "2025-03-01")


def test_staff_a_government_will_employ_are_talent_but_not_jobs_or_machines() -> None:
    assert run("The Government of Ontario will employ 2,000 teachers by 2027.") == [
        ("CA-ON", "talent", 2000, "2027", "teachers")
    ]
    assert run("The new plant in Ontario will employ 500 workers by 2027.") == []
    assert run("Ontario will employ 300 drones by 2027.") == []
    assert run("Ontario employs 5,000 teachers.") == []


def test_staff_named_by_a_kind_label_keep_their_noun() -> None:
    assert run("Ontario will hire 2,000 more teachers by 2027.") == [
        ("CA-ON", "talent", 2000, "2027", "teachers")
    ]
    # a word that says no more than the kind stays without a description
    assert run("Beijing will cultivate 500 talents by 2025.") == [
        ("CN-BJ", "talent", 500, "2025", None)
    ]


def test_more_of_the_thing_counted_before_with_its_noun_left_out() -> None:
    text = "The Queensland Government has opened 12 new schools and will build 8 more by 2026."
    assert run(text) == [("AU-QLD", "other", 8, "2026", "new schools")]
    text = "Queensland will build 12 new schools by 2025 and 8 more by 2027."
    assert run(text) == [
        ("AU-QLD", "other", 12, "2025", "new schools"),
        ("AU-QLD", "other", 8, "2027", "new schools"),
    ]
    assert run("Queensland has 40 hospitals and will need 8 more.") == []
    # more of a kind's label: the kind
    text = "Guangdong has set up 50 innovation platforms and will establish 20 more by 2025."
    assert run(text) == [("CN-GD", "platforms", 20, "2025", None)]


def test_a_count_with_a_verb_of_its_own_after_and_is_not_the_verbs_object() -> None:
    text = "The Welsh Government will build 20 new schools by 2026 and 40 staff will move in."
    assert run(text) == [("GB-WLS", "other", 20, "2026", "new schools")]
    text = "The Welsh Government will build 20 new schools by 2026, 40 staff will move in."
    assert run(text) == [("GB-WLS", "other", 20, "2026", "new schools")]
    # things that arrive or are built in a clause of their own stay targets
    text = (
        "The Welsh Government will build 20 new schools by 2026 and 40 clinics will open by 2027."
    )
    assert run(text) == [
        ("GB-WLS", "other", 20, "2026", "new schools"),
        ("GB-WLS", "other", 40, "2027", "clinics"),
    ]
    text = (
        "The Welsh Government will build 20 new schools by 2026 and 40 homes will be built by 2027."
    )
    assert ("GB-WLS", "other", 40, "2027", "homes") in run(text)


def test_a_noun_that_looks_like_a_verb_after_a_count_of_many() -> None:
    assert run("Ireland will fund 500 new police recruits by 2026.") == [
        ("IE", "talent", 500, "2026", "new police recruits")
    ]
    assert run("Ireland will fund 500 new recruits by 2026.") == [
        ("IE", "talent", 500, "2026", "new recruits")
    ]
    assert run("The plan supports 500 firms. The agency recruits 20 staff each year.") == []


def test_a_region_that_owns_the_plan_acts_through_it() -> None:
    text = "As part of Queensland's plan, 500 new homes will be delivered by June 2026."
    assert run(text) == [("AU-QLD", "other", 500, "2026", "new homes")]
    text = "As part of Ontario's plan, the province will deliver 500 new homes by 2026."
    assert run(text) == [("CA-ON", "other", 500, "2026", "new homes")]
    # a place of a region is no plan of it
    assert run("Firms in the north of Queensland's coast will get 500 new chargers by 2026.") == []


def test_a_demonym_before_a_plan_names_its_region() -> None:
    assert run("The Scottish plan will deliver 40 new clinics by 2028.") == [
        ("GB-SCT", "other", 40, "2028", "new clinics")
    ]
    assert run("The Canadian plan includes 40 new clinics by 2028.") == [
        ("CA", "other", 40, "2028", "new clinics")
    ]


def test_committing_to_a_count_pledges_it() -> None:
    for text in (
        "Wales commits to 40 new clinics by 2028.",
        "Wales has committed to 40 new clinics by 2028.",
        "The Welsh Government is committed to 40 new clinics by 2028.",
        "The Welsh strategy commits to 40 new clinics by 2028.",
    ):
        assert run(text) == [("GB-WLS", "other", 40, "2028", "new clinics")], text


def test_a_noun_of_making_governs_past_a_measure_and_its_and() -> None:
    text = (
        "Fujian plans to complete the renovation of 1,200 kilometers of rural roads and 300 "
        "bridges by 2026."
    )
    assert run(text) == [("CN-FJ", "other", 300, "2026", "bridges")]
    # works stopped are no target, with "the" between the verb and its noun
    assert run("Fujian will halt the construction of the center and 300 bridges.") == []
    assert run("Fujian will halt the construction of 20 km of roads and 300 bridges.") == []


def test_growing_the_number_of_staff_written_in_capitals() -> None:
    # one capitalised word is no title of a document
    text = "Scotland will increase the number of GPs by 800 by 2027."
    assert run(text) == [("GB-SCT", "talent", 800, "2027", "GPs")]
    text = "Scotland will increase the number of charging points by 2,000 by 2027."
    assert run(text) == [("GB-SCT", "other", 2000, "2027", "charging points")]


def test_funding_in_place_to_provide_pledges() -> None:
    text = "In Northern Ireland, funding is in place to provide an additional 300 nursing places this year."
    assert run(text) == [("GB-NIR", "other", 300, "2025", "nursing places")]


def test_a_priority_sets_the_count_that_follows() -> None:
    text = (
        "The Northern Ireland plan set out a key priority of providing a further 900 nursing "
        "training places over a 3 year period."
    )
    assert run(text) == [("GB-NIR", "other", 900, None, "nursing training places")]
    text = "Scotland's priority is 40 new clinics by 2028."
    assert run(text) == [("GB-SCT", "other", 40, "2028", "new clinics")]


def test_a_plan_named_with_its_period_in_a_heading_dates_the_goals_under_it() -> None:
    text = (
        "Source: https://www.gov.ie/en/press-release/x — Government of Ireland — CC BY 4.0\n\n"
        "Ministry approves Health Reform Action Plan 2021-23\n\n"
        "Over the next three years, the programme will:\n\n"
        "  • hire 7,000 new community-based healthcare staff\n"
        "  • deliver 31 new Primary Care Centres\n"
    )
    years = {row[3] for row in extracted(text)}
    assert years == {"2023"}
    assert len(extracted(text)) == 2


def test_places_created_for_people_count_the_people() -> None:
    assert run("Ireland will create places for 2,700 children by 2026.") == [
        ("IE", "other", 2700, "2026", "children")
    ]
    assert run("Ireland will create opportunities for 2,700 young people by 2026.") == []


def test_learners_a_government_funds_are_talent() -> None:
    text = "The Welsh Government would fund up to 140 students a year at the new school."
    assert run(text) == [("GB-WLS", "talent", 140, None, "students")]
    assert run("Wales will fund 500 new schools by 2027.") == [
        ("GB-WLS", "other", 500, "2027", "new schools")
    ]


def test_training_posts_are_counted_and_a_dated_part_of_a_package_is_planned() -> None:
    assert run("Northern Ireland will fund 41 training posts by 2026.") == [
        ("GB-NIR", "other", 41, "2026", "training posts")
    ]
    text = "The Northern Ireland package includes 1,335 nursing places for 2022/23."
    assert run(text) == [("GB-NIR", "other", 1335, "2023", "nursing places")]
    assert run("The Scottish budget includes 23 schools that will close.") == []


def test_learners_who_will_start_their_training_are_talent() -> None:
    text = "In Scotland, a further 335 students will begin a degree by 2027."
    assert run(text) == [("GB-SCT", "talent", 335, "2027", "students")]
    text = "In Scotland, 500 new trainees will start their training by 2026."
    assert run(text) == [("GB-SCT", "talent", 500, "2026", "new trainees")]
    # begun already: reported
    assert run("In Scotland, 335 students began a degree in 2023.") == []


# --- an outside attack on the round's rules (helper-143, /tmp/atk25): what they must not read


def test_attack_employ_only_for_the_government_that_will_hire() -> None:
    for text in (
        "If the budget is approved, Wales would employ 600 more teachers.",
        "Unions want the Scottish Government to employ 3,000 more teachers by 2026.",
        "The Scottish Government could employ 3,000 more teachers by 2026, a think-tank says.",
        "The Queensland mine will employ 500 nurses and doctors in its clinic by 2026.",
    ):
        assert run(text) == [], text
    assert run("Ontario plans to employ 2,000 teachers by 2027.") == [
        ("CA-ON", "talent", 2000, "2027", "teachers")
    ]


def test_attack_another_actor_denial_or_view_after_the_new_cues() -> None:
    for text in (
        "Ontario has opened 10 clinics, and the Red Cross will open 6 more by 2026.",
        "Scotland has not committed to 100 new schools, the minister admitted.",
        "Scotland has never committed to 100 new schools.",
        "The Ontario hospital association is committed to 40 new clinics by 2027.",
        "A critic of Ontario's plan said 300 schools should be built by 2030.",
        "The Scottish plan would deliver 40 clinics by 2026, opponents claim.",
        "The number of GPs in Scotland will increase by 800 by 2027, the Royal College forecasts.",
        "Ontario's key priority of providing 900 places was met in 2023.",
        "The Ontario package includes 1,335 families for 2022/23.",
        "The Ontario package includes 1,335 places for 2022/23, the opposition claims.",
        "Jiangsu will halt the construction of 30 coal power plants by 2025.",
        "Jiangsu will not proceed with the construction of 5 interchanges.",
    ):
        assert run(text) == [], text
    # a view closing the sentence is read only with who holds it
    text = "Changsha will build 40 parks by 2030, based on 2033 population forecasts."
    assert run(text) == [("CN-HN", "parks", 40, "2030", None)]
    assert run("Scotland will build 40 clinics by 2026, the minister said.") == [
        ("GB-SCT", "other", 40, "2026", "clinics")
    ]


def test_attack_sponsoring_learners_is_talent() -> None:
    assert run("The Welsh Government will sponsor 150 apprentices by 2026.") == [
        ("GB-WLS", "talent", 150, "2026", "apprentices")
    ]
    assert run("The Welsh Government sponsored 150 apprentices in 2023.") == []
