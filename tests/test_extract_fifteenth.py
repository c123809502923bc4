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


def test_victoria_is_the_state_on_an_australian_page() -> None:
    text = "Victoria will open 40 new kindergartens by 2028, the most of any state in Australia."
    assert [(r[0], r[2], r[3]) for r in run(text)] == [("AU-VIC", 40, "2028")]
    # with nothing Australian on the page, the name is left alone (a lake, a city, a person)
    assert run("Victoria will open 40 new kindergartens by 2028.") == []
    # another state of the country is evidence too, and so is an Australian minister
    got = run(
        "Like New South Wales, Victoria will open 40 new kindergartens by 2028. The Australian "
        "minister welcomed it."
    )
    assert {r[0] for r in got} == {"AU-VIC"}


def test_the_victorian_government_as_publisher_gives_the_region() -> None:
    text = (
        "Families across Australia want schools near home. The government will build 12 new "
        "schools by 2029."
    )
    assert _with_publisher(text, "Victorian Government, Minister for Education") == [
        ("AU-VIC", 12, "2029")
    ]


def test_georgia_is_the_state_on_an_american_page() -> None:
    text = "Georgia will add 300 charging stations by 2027 under the United States program."
    assert [r[0] for r in run(text)] == ["US-GA"]
    assert [r[0] for r in run("Georgia will add 300 charging stations by 2027.")] == ["GE"]


def test_a_school_term_or_a_quarter_dates_a_target() -> None:
    got = run("Victoria in Australia will open 19 new schools in Term 1, 2031.")
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
        "Victoria (Australia) funded two new schools in Clyde and Kalkallo, that will open in 2031."
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
    # with no publisher, the line's country is the page's region as before
    assert [p.region for p in _sheet(text).pledges] == ["CN"]


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
        "In Wales, nine new nursery groups to open in rural areas."
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
