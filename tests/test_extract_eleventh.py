"""Rules from the eleventh held-out set (read after it was scored once, unread): "this year"
read with the page's date frames a year's programmes, two coordinated participles before the
noun ("newly built or renovated"), "newly built" with a count as a plan, a plural noun
followed by what it does ("canteens serving residents"), and "on the agenda" or "planned" as a
plan's words.

Every sentence here is made up for the test."""

from __future__ import annotations

from pledgegraph.loaders.extraction import extract
from pledgegraph.loaders.facts import PartialDate, Source
from tests.extract_rows import Row, rows


def run(text: str, published: str | None = None) -> list[Row]:
    source = Source(url="urn:test", published=PartialDate.parse(published) if published else None)
    return rows(extract(text, source=source), year_only=True)


def test_this_year_with_the_page_date_frames_a_year_of_programmes() -> None:
    text = (
        "Hunan set out 28 public service programs through this year.\n\n"
        "There will be 45 new senior homes, and 9,000 new charging poles will be set up."
    )
    assert [(r[2], r[3]) for r in run(text, "2031-02-03")] == [(45, "2031"), (9000, "2031")]
    # without the page's date "this year" dates nothing
    assert [(r[2], r[3]) for r in run(text)] == [(45, None), (9000, None)]


def test_coordinated_participles_and_newly_built_with_a_count() -> None:
    got = run(
        "In 2031 Hunan will act. There will be 70 newly built or renovated pocket parks, "
        "and Hunan will add 90 newly built or upgraded fitness trails. "
        "It will also run the 3 newly opened science parks."
    )
    assert [(r[1], r[2]) for r in got] == [("parks", 70), ("other", 90)]
    # (an outside attack: with no noun after them, "30 newly built or renovated by 2031"
    # gave a target quoted "have 30 newly built or")
    assert run("Hunan plans. Hunan will have 30 newly built or renovated by 2031.") == []


def test_a_plural_noun_followed_by_what_it_does_is_counted() -> None:
    got = run(
        "By 2031 Hunan will build 35 canteens serving older residents. It will also build "
        "12 sports training centres by 2031."
    )
    # (not a reduced relative after "sports": a training centre is the kind's own label)
    assert [(r[1], r[2]) for r in got] == [("other", 35), ("talent", 12)]
    assert got[0][4] == "canteens"


def test_on_the_agenda_and_planned_are_a_plans_words() -> None:
    got = run(
        "In 2031 Hunan will act. In total, 25 fitness centres, 60 trails and 140 sports "
        "venues are also on the agenda. 15 clinics are planned. 20 old depots are scheduled "
        "for demolition."
    )
    assert [r[2] for r in got] == [25, 60, 140, 15]


def test_focused_on_delivering_is_a_pledge() -> None:
    got = run(
        "The Welsh Government remains focused on delivering 20,000 low-carbon homes by 2031. "
        "The cost of building 300 homes in Wales will rise by 2031."
    )
    assert [(r[0], r[2], r[3]) for r in got] == [("GB-WLS", 20000, "2031")]


def test_a_commitment_to_a_count_and_ensure_and_apply_govern_counts() -> None:
    got = run(
        "Wales has made a commitment to 300 school rebuilding projects by 2031. Wales will "
        "ensure at least 40 net-zero towns by 2031 and apply roof insulation to 25 public "
        "buildings by 2031. Wales ensured 90 homes were built in 2019."
    )
    assert [(r[0], r[2], r[3]) for r in got] == [
        ("GB-WLS", 300, "2031"),
        ("GB-WLS", 40, "2031"),
        ("GB-WLS", 25, "2031"),
    ]


def test_things_that_will_undergo_renovation_are_counted() -> None:
    got = run(
        "In 2031 Hunan will act. 180 public toilets will undergo renovation, and 35 schools "
        "will get an energy upgrade. 300 patients will receive treatment."
    )
    assert [(r[0], r[2]) for r in got] == [("CN-HN", 180), ("CN-HN", 35)]


def test_a_part_of_the_works_after_with_is_counted() -> None:
    got = run(
        "In 2031 Hunan will act. The city will have 4,000 more care beds, with 1,500 beds "
        "renovated for older residents. It will build a park with 300 firms located in it."
    )
    assert [(r[1], r[2]) for r in got] == [("other", 4000), ("other", 1500), ("parks", 1)]
