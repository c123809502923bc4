"""Twenty-sixth extraction round: phrasings of a new held-out set (heldout-36, read after it
was scored unread).

Every text here is written for the test (no sentence of a real page)."""

from __future__ import annotations

from extract_rows import extracted


def run(text: str) -> list[tuple[object, ...]]:
    return extracted(text, "2025-03-01")


def test_half_a_million_and_a_million_in_words_are_counts() -> None:
    assert run(
        "The Welsh Government will open a million homes and half a million schools by 2030."
    ) == [
        ("GB-WLS", "other", 1000000, "2030", "homes"),
        ("GB-WLS", "other", 500000, "2030", "schools"),
    ]
    assert run("Scotland will train half a million teachers by 2028.") == [
        ("GB-SCT", "talent", 500000, "2028", "teachers")
    ]
    assert run("Wales will build a thousand homes and a dozen parks by 2030.") == [
        ("GB-WLS", "other", 1000, "2030", "homes"),
        ("GB-WLS", "parks", 12, "2030", None),
    ]
    # money is no count of things
    assert run("Wales will spend half a billion on new homes by 2030.") == []


def test_a_growth_verb_brings_its_plain_object_to_the_count_after_to() -> None:
    assert run("Scotland will double medical school training places to 15,000 by 2031.") == [
        ("GB-SCT", "other", 15000, "2031", "medical school training places")
    ]
    assert run("Scotland will increase public charging points to 6,000 by 2030.") == [
        ("GB-SCT", "other", 6000, "2030", "public charging points")
    ]
    # not a share, money, a measure or an age; not a growth that is reported
    assert run("Scotland will increase the share of buses to 40% by 2030.") == []
    assert run("Scotland will increase funding to £15 million by 2030.") == []
    assert run("Scotland will raise the school leaving age to 18 by 2030.") == []
    assert run("Scotland has doubled charging points to 15,000 since 2020.") == []
    # a count after the level counts its own noun: the beds, not the capacity
    assert run("Scotland will increase capacity to 5,000 beds by 2031.") == [
        ("GB-SCT", "other", 5000, "2031", "beds")
    ]


def test_number_of_places_with_a_verb_form_as_modifier() -> None:
    text = "Scotland will increase the number of GP training places by 50% to 6,000 by 2031."
    assert run(text) == [("GB-SCT", "other", 6000, "2031", "GP training places")]


def test_more_of_two_coordinated_nouns_and_a_comma_with_more() -> None:
    assert run("Scotland will add 24,000 more nurse and midwife training places by 2031.") == [
        ("GB-SCT", "other", 24000, "2031", "nurse and midwife training places")
    ]
    text = (
        "Scotland will expand training by 2031, with 24,000 more nurse and midwife training "
        "places a year by 2031."
    )
    assert run(text) == [("GB-SCT", "other", 24000, "2031", "nurse and midwife training places")]
    # a hospital's beds, or what was done, are no more things pledged
    assert run("Scotland opened a hospital in 2020, with 500 more beds.") == []
    assert run("Scotland will open a hospital, with 500 beds.") == []


def test_a_summary_and_a_narrower_body_restating_one_count_are_one_target() -> None:
    text = (
        "Solar panels for 200 schools\n\n"
        "- The UK Government's first project is to put solar panels on around 200 schools and "
        "200 NHS sites\n\n"
        "In England around £80 million will support around 200 schools, alongside £100 million "
        "for nearly 200 NHS sites, to install solar panels."
    )
    assert run(text) == [
        ("GB-ENG", "other", 200, None, "schools"),
        ("GB-ENG", "other", 200, None, "NHS sites"),
    ]


def test_a_country_others_are_measured_against_is_no_region() -> None:
    text = (
        "The aim is to overtake Germany by 2029. The government will build 20 new schools by 2030."
    )
    assert run(text) == []
    text = "Our aim is to build more homes than Germany. Wales will build 20 new schools by 2030."
    assert run(text) == [("GB-WLS", "other", 20, "2030", "new schools")]


def test_finance_with_a_count() -> None:
    text = "The EU fund will finance a total of 4 future AI gigafactories across the EU."
    assert run(text) == [("EU", "other", 4, None, "future AI gigafactories")]
    assert run("The EU financed 4 AI gigafactories in 2020.") == []
    assert run("The EU will finance projects in 2026.") == []


def test_a_deadline_opening_the_sentence_dates_its_main_clause() -> None:
    text = "By 2028, Wales will build 500 homes, rising to 900 by 2031."
    assert run(text) == [("GB-WLS", "other", 500, "2028", "homes")]
    text = (
        "By 2028, NHS England will have trained half a million nurses, on a path to more by 2031."
    )
    assert run(text) == [("GB-ENG", "talent", 500000, "2028", "nurses")]
    # a list under one trailing deadline keeps it
    text = "By 2028, Wales will build 500 homes, 200 schools and 30 clinics by 2031."
    assert [r[3] for r in run(text)] == ["2031", "2031", "2031"]


def test_capacity_for_a_count_is_no_count_but_growing_the_capacity_of_places_is_works() -> None:
    assert run("Scotland will bring additional capacity for around 9,400 procedures in 2024.") == []
    assert run("Scotland will build capacity for 2,000 homes by 2026.") == []
    assert run("Scotland will increase the capacity of 25 schools by 2026.") == [
        ("GB-SCT", "other", 25, "2026", "schools")
    ]
    assert run("Scotland increased the capacity of 25 schools in 2020.") == []
