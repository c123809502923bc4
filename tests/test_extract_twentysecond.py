"""The twenty-second round: a page's one firm deadline lent as a guess to its undated counts,
"through to 2031", hiring needs and funded deliveries, one place built, the agencies of the US
federal government, an excerpt's last sentence cut off, "push forward".

Every sentence here is made up for the test."""

from __future__ import annotations

from tests.extract_rows import dated
from tests.extract_rows import extracted as run


def test_a_pages_one_firm_deadline_is_lent_as_a_guess() -> None:
    text = (
        "Norway will open 40 new maternity clinics by 2031.\n\n"
        "The health ministry said the country will also train 9,000 midwives."
    )
    assert [r[3] for r in run(text)] == ["2031", "2031"]
    # the lent year is below the review threshold; the stated one is not
    assert [sure < 0.8 for _year, sure in dated(text)] == [False, True]


def test_no_year_is_lent_where_the_page_states_two() -> None:
    text = (
        "Norway will open 40 new maternity clinics by 2031 and 12 ferry terminals by 2033.\n\n"
        "The country will also train 9,000 midwives."
    )
    assert [r[3] for r in run(text)] == ["2031", "2033", None]


def test_no_year_is_lent_to_another_regions_count() -> None:
    text = "Hebei will build three parks by 2031. Hunan will co-build an alliance."
    assert [(r[0], r[3]) for r in run(text)] == [("CN-HE", "2031"), ("CN-HN", None)]


def test_a_judged_or_past_plans_period_lends_nothing() -> None:
    text = (
        "Critics say the 2031-2033 action plan was a failure.\n\nHebei will implement 52 projects."
    )
    assert [r[3] for r in run(text)] == [None]
    text = "Hebei will do better than the 2031-33 action plan.\n\nHebei will implement 52 projects."
    assert [r[3] for r in run(text)] == [None]
    # a deadline of the past, on a page with its date, lends nothing either
    text = "Hebei was to build 12 parks by 2030.\n\nHebei will implement 52 projects."
    assert [r[3] for r in run(text, published="2032-05-01") if r[2] == 52] == [None]


def test_the_end_of_the_year_without_a_page_date_is_left_open() -> None:
    text = (
        "Hunan will build 40 community clinics by 2031.\n\n"
        "It will also train 3,000 rural doctors by the end of the year."
    )
    assert [r[3] for r in run(text)] == ["2031", None]
    assert [r[3] for r in run(text, published="2030-03-01")] == ["2031", "2030"]


def test_through_to_and_up_to_a_year_are_deadlines() -> None:
    for phrase in ("through to 2031", "up to 2031", "up until 2031"):
        text = f"Norway will deliver 2,650 additional houses {phrase}."
        assert [(r[2], r[3]) for r in run(text)] == [(2650, "2031")], phrase
    # "up to" before a noun is a bound on a count, no year
    assert [r[3] for r in run("Norway will build up to 2031 new houses by 2040.")] != ["2031"]


def test_a_need_to_hire_and_a_funded_delivery_are_pledged() -> None:
    text = "The United States needs to hire about 40,000 poll workers across the country in 2031."
    assert [(r[0], r[1], r[2], r[3]) for r in run(text)] == [("US", "talent", 40000, "2031")]
    text = "Norway has funded its housing agency to deliver around 2,650 new homes by 2031."
    assert [(r[0], r[2], r[3]) for r in run(text)] == [("NO", 2650, "2031")]
    # a need to do other things than hiring pledges nothing
    assert run("The United States needs to review 40,000 poll stations in 2031.") == []


def test_one_place_after_a_verb_of_building_is_a_target_of_one() -> None:
    text = "By 2031, Shanghai will build a special care hospital for older residents."
    assert run(text) == [("CN-SH", "other", 1, "2031", "special care hospital")]
    # figures of speech, one in each of many, other verbs: no place
    assert run("Shanghai will build a bridge to the future by 2031.") == []
    assert run("Shanghai will build a hospital in each district by 2031.") == []
    assert run("Shanghai will visit a special care hospital by 2031.") == []


def test_a_federal_agency_places_a_page_in_the_united_states() -> None:
    text = (
        "The Federal Aviation Administration (FAA) will hire and train nearly 9,000 air"
        " traffic controllers by 2031."
    )
    assert [(r[0], r[1], r[2]) for r in run(text)] == [("US", "talent", 9000)]
    text = "AmeriCorps will enrol 4,000 members in its new forest programme by 2031."
    assert [(r[0], r[2]) for r in run(text)] == [("US", 4000)]


def test_an_excerpts_last_sentence_cut_off_is_read() -> None:
    text = (
        "Preschools for every suburb\n\n"
        "The New South Wales Government is reforming early learning.\n\n"
        "The NSW Government has also made a big investment to deliver 70 new preschools by 2031"
    )
    assert [(r[0], r[2], r[3]) for r in run(text)] == [("AU-NSW", 70, "2031")]
    # a short last line, or one in title case, is still a heading
    text = (
        "Norway will build 12 parks by 2031.\n\nMore Parks For Every Town In The Whole Country Soon"
    )
    assert [r[2] for r in run(text)] == [12]


def test_push_forward_governs_a_count_but_put_forward_does_not() -> None:
    text = "Shanghai will push forward more than 1,000 digital transformation projects by 2031."
    assert [(r[2], r[3], r[4]) for r in run(text)] == [
        (1000, "2031", "digital transformation projects")
    ]
    assert run("Shanghai will put forward 10 proposals by 2031.") == []
    assert run("Shanghai will push 500 products by 2031.") == []


# --- read from the twenty-first and twenty-second sets after they were scored unread ---------


def test_a_years_aims_cue_the_list_they_lead() -> None:
    text = (
        "Chongqing released its list of key projects.\n\n"
        "The annual aims of the 2031 key projects include: implementing 250 key projects,"
        " with an investment of 80 billion yuan."
    )
    assert [(r[0], r[2]) for r in run(text, published="2031-02-01")] == [("CN-CQ", 250)]


def test_the_pages_region_with_its_neighbour_keeps_the_page_region() -> None:
    text = (
        "Anhui province will build 20 railways by 2035.\n\n"
        "For Anhui and Zhejiang, 5 railways and 1 shipping channel will be built."
    )
    assert {r[0] for r in run(text)} == {"CN-AH"}
    # a neighbour named alone is the neighbour's
    text = "Anhui province will build 20 railways by 2035.\n\nZhejiang will build 5 railways."
    assert [r[0] for r in run(text)] == ["CN-AH", "CN-ZJ"]


def test_a_record_count_and_a_count_employed_are_governed() -> None:
    text = "The United States aims to hire a record 30,000 new nurses in fiscal year 2031."
    assert [(r[0], r[2], r[3]) for r in run(text)] == [("US", 30000, "2031")]
    text = "By the end of 2031, the United States plans to have employed 4,000 park rangers."
    assert [(r[0], r[2], r[3]) for r in run(text)] == [("US", 4000, "2031")]
    # a record reached is no pledge
    assert run("The United States hired a record 30,000 nurses in 2030.") == []


def test_a_passive_after_a_longer_phrase_of_whom_it_is_for() -> None:
    text = "Meanwhile, about 90 nursery places for children under three years old will be added by 2031 in Macao."
    assert [(r[0], r[2], r[3]) for r in run(text)] == [("CN-MO", 90, "2031")]


def test_agencies_and_the_act_government_place_a_page() -> None:
    text = "The Veterans Health Administration will hire 3,000 new doctors in 2031."
    assert [r[0] for r in run(text)] == ["US"]
    text = "The ACT Government will deliver at least 150 new public homes by 2031."
    assert [r[0] for r in run(text)] == ["AU-ACT"]


def test_day_after_a_word_for_new_things_modifies_the_noun() -> None:
    text = "Hong Kong will provide 900 additional day rehabilitation places by 2031."
    assert [(r[2], r[4]) for r in run(text)] == [(900, "day rehabilitation places")]
    # days counted stay no target
    assert run("Hong Kong will add 5 additional days of leave by 2031.") == []
