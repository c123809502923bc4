"""Rules from the misses left on the read held-out sets (session of 2026-12-05, sixth): a name
that is a region only on a page about its country ("Victoria", "Georgia"), school terms and
quarters as deadlines, and a place named between a count and the clause that opens it.

Every sentence here is made up for the test."""

from __future__ import annotations

from tests.extract_rows import extracted as run


def _with_publisher(text: str, publisher: str) -> list[tuple[str, object, str | None]]:
    from pledgegraph.loaders.extraction import extract
    from pledgegraph.loaders.facts import Source

    sheet = extract(text, source=Source(url="urn:test", publisher=publisher))
    return [
        (p.region, t.quantity.value if t.quantity else None, str((t.deadline or p.deadline).year))
        for p in sheet.pledges
        for t in p.targets
        if t.deadline or p.deadline
    ]


def test_victoria_is_the_state_where_the_page_makes_it_one() -> None:
    # another state of the country named on the page
    text = "Like New South Wales, Victoria will open 40 new kindergartens by 2028."
    assert [(r[0], r[2], r[3]) for r in run(text)] == [("AU-VIC", 40, "2028")]
    # words only a state has: its government by the demonym, "the state of", its Premier
    for text in (
        "The Victorian government said it will build 14 new schools by 2027.",
        "The state of Victoria will build 14 new schools by 2027.",
        "Victoria's Premier said Victoria will build 14 new schools by 2027.",
    ):
        assert [r[0] for r in run(text)] == ["AU-VIC"], text
    # with nothing that makes it the state, the name is left alone (a lake, a city, a person)
    assert run("Victoria will open 40 new kindergartens by 2028.") == []


def test_a_country_named_in_passing_does_not_make_victoria_the_state() -> None:
    # (an outside attack: each of these came out as AU-VIC)
    got = run(
        "Victoria will build 500 new homes by 2028, Canada said. Australian investors are keen."
    )
    assert [r[0] for r in got] == ["CA"]
    got = run(
        "Around Lake Victoria, 40 new ports will be built by 2030, Kenya said. Australia funds "
        "the survey."
    )
    assert [r[0] for r in got] == ["KE"]
    # and "Lake Victoria" is no state even where the page makes Victoria one
    got = run(
        "Like New South Wales, the state of Victoria will build 40 schools by 2030. Near Lake "
        "Victoria, Kenya will build 12 new ports by 2031."
    )
    assert [r[0] for r in got] == ["AU-VIC", "KE"]


def test_the_victorian_government_as_publisher_gives_the_region() -> None:
    text = (
        "Families across Australia want schools near home. The government will build 12 new "
        "schools by 2029."
    )
    assert _with_publisher(text, "Victorian Government, Minister for Education") == [
        ("AU-VIC", 12, "2029")
    ]


def test_georgia_is_the_state_where_the_page_makes_it_one() -> None:
    text = (
        "The state of Georgia will add 200 charging stations by 2028.\n\nSeparately, the "
        "country of Georgia opened a border crossing."
    )
    assert [r[0] for r in run(text)] == ["US-GA"]
    assert [r[0] for r in run("Alabama and Georgia will add 300 charging stations by 2027.")] == [
        "US-GA"
    ]
    from pledgegraph.loaders.extraction import extract
    from pledgegraph.loaders.facts import Source

    # an American government's address (a .gov site), with the governor as publisher
    sheet = extract(
        "Georgia will add 300 charging stations by 2027.",
        source=Source(
            url="https://gov.georgia.gov/press-releases/x", publisher="Office of the Governor"
        ),
    )
    assert [p.region for p in sheet.pledges] == ["US-GA"]
    # the country otherwise, also when the United States or Americans are named in passing
    assert [r[0] for r in run("Georgia will add 300 charging stations by 2027.")] == ["GE"]
    text = "Georgia will build 50 new schools by 2028, a Russian official said, as American troops left."
    assert [r[0] for r in run(text)] == ["GE"]


def test_a_school_term_or_a_quarter_dates_a_target() -> None:
    got = run("The state of Victoria will open 19 new schools in Term 1, 2031.")
    assert [(r[2], r[3]) for r in got] == [(19, "2031")]
    got = run("Hebei will build 40 5G base stations by Q3 2031.")
    assert [(r[2], r[3]) for r in got] == [(40, "2031")]


def test_a_day_and_a_year_apart_are_no_thousands() -> None:
    # "June 30 2031" was read as the number 30,2031 (a space between groups of digits is a
    # thousands separator only before exactly three digits)
    assert [r[3] for r in run("Hebei will build 40 parks by June 30 2031.")] == ["2031"]
    assert [r[2] for r in run("Hebei will build 1 200 000 homes by 2031.")] == [1200000]


def test_a_place_between_the_count_and_the_clause_that_opens_it() -> None:
    text = (
        "The state of Victoria funded two new schools in Clyde and Kalkallo, that will open in "
        "2031."
    )
    assert [(r[0], r[2], r[3]) for r in run(text)] == [("AU-VIC", 2, "2031")]


def _sheet(text: str, publisher: str | None = None, url: str = "urn:test"):  # type: ignore[no-untyped-def]
    from pledgegraph.loaders.extraction import extract
    from pledgegraph.loaders.facts import Source

    return extract(text, source=Source(url=url, publisher=publisher))


def test_a_country_in_a_title_case_line_leaves_the_city_of_the_publisher() -> None:
    text = (
        "China Daily Updated: 2031-05-02\n\n"
        "The Hi-Tech Industries Development Zone will complete 90 projects by 2033."
    )
    sheet = _sheet(text, publisher="Xi'an Municipal People's Government, Shaanxi")
    assert [p.region for p in sheet.pledges] == ["CN-SN"]
    # "China Daily" names a paper, in a title-case line too: no region without the publisher
    assert [p.region for p in _sheet(text).pledges] == []


def test_a_plan_named_by_its_period_frames_the_undated_counts() -> None:
    text = (
        "Hebei drew up a three-year (2031-33) action plan for its villages.\n\n"
        "To carry it out, Hebei will invest 9 million yuan and implement 52 projects."
    )
    assert [(r[2], r[3]) for r in run(text)] == [(52, "2033")]
    assert [r[3] for r in run(text.replace("(2031-33) ", ""))] == [None]


def test_new_things_announced_confirmed_or_to_open_are_pledged() -> None:
    text = (
        "Ireland's minister confirmed 210 new special classes for the 2031/2032 school year. "
        "In England, 12 new free schools have been approved this week. "
        "In Wales, nine new nurseries to open in rural areas."
    )
    got = run(text)
    assert [(r[0], r[2], r[3]) for r in got] == [
        ("IE", 210, "2031"),
        ("GB-ENG", 12, None),
        ("GB-WLS", 9, None),
    ]
    # what is announced without a word for new things is a report
    assert run("Ireland's minister announced 30 winners of the prize.") == []
    assert run("Ireland's minister announced more than 300 commitments from firms.") == []


def test_a_number_that_names_a_line_or_a_phase_is_no_count() -> None:
    text = "In Shaanxi, metro line 5 started construction in 2030 and is scheduled for completion in 2032."
    assert run(text) == []
    assert [r[2] for r in run("Shaanxi will open 3 new subway lines by 2032.")] == [3]
    # a verb before a count is no name: "building 150 stations"
    assert [r[2] for r in run("Shaanxi will focus on building 150 rescue stations by 2032.")] == [
        150
    ]


def test_what_is_announced_is_pledged_only_for_places_and_services() -> None:
    # (an outside attack: each of these was a target)
    for text in (
        "Ireland's health minister confirmed 12 new Covid deaths.",
        "Ireland's minister announced 400 new redundancies.",
        "In Ireland, 15 new species have been confirmed by scientists.",
        "Three new ministers were announced in Ireland today.",
        "Ireland's minister did not approve 40 new schools.",
        "Ireland's minister refused to approve 40 new schools.",
        "In Ireland, 15 new bars to open in Dublin this summer.",
    ):
        assert run(text) == [], text


def test_classes_that_will_open_for_a_school_year() -> None:
    text = (
        "Ireland's Minister for Education confirmed on Wednesday that 300 new special classes "
        "will open for the 2031/2032 school year."
    )
    assert [(r[0], r[2], r[3]) for r in run(text)] == [("IE", 300, "2031")]
    assert run("In Ireland, 300 new shops will open for business in 2031.") == []


def test_a_count_restated_undated_in_a_narrower_region_is_one_target() -> None:
    text = (
        "15 new free schools approved for England\n\n"
        "15 new free schools have been approved, the government confirmed today.\n\n"
        "The UK Government will open 15 new free schools in England by September 2031."
    )
    assert [(r[0], r[2], r[3]) for r in run(text)] == [("GB-ENG", 15, "2031")]


def test_a_count_after_phase_or_highway_still_counts() -> None:
    # (an outside attack: these were lost to the numbered-name rule)
    got = run("In the first phase 200 homes will be built in Shaanxi by 2030.")
    assert [r[2] for r in got] == [200]
    got = run("Along the new highway 30 service stations will be built in Shaanxi by 2030.")
    assert [r[2] for r in got] == [30]
    assert run("Shaanxi will finish Phase 2 of the park by 2030.") == []


def test_a_plan_judged_or_compared_frames_nothing() -> None:
    text = (
        "Critics say the 2031-2033 action plan was a failure.\n\nHebei will implement 52 projects."
    )
    assert [r[3] for r in run(text)] == [None]
    text = "Hebei will do better than the 2031-33 action plan.\n\nHebei will implement 52 projects."
    assert [r[3] for r in run(text)] == [None]
    # a reporting quarter is no deadline
    assert [r[3] for r in run("Hebei reported results for Q3 2031; it will build 40 parks.")] == [
        None
    ]


def test_a_count_before_coordinated_adjectives_reaches_its_noun() -> None:
    text = "The state of Victoria will deliver 190 new and upgraded schools by 2031."
    assert [(r[2], r[4]) for r in run(text)] == [(190, "new and upgraded schools")]
