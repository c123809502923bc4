"""Rules from the fourteenth held-out set (read after it was scored once, unread): a sentence
that opens with the year and says what the place will do frames the page; money spent to build
reports what was built; "will be advanced", "will gain access to" and "will run" as a plan's
words.

Every sentence here is made up for the test."""

from __future__ import annotations

from tests.extract_rows import extracted as run


def test_a_sentence_opening_with_the_year_frames_the_page() -> None:
    text = (
        "In 2031, Hubei will keep improving its villages in six ways.\n\n"
        "First, Hubei will rebuild 120 old bridges and build 5,000 rural toilets."
    )
    assert [(r[2], r[3]) for r in run(text)] == [(120, "2031"), (5000, "2031")]
    # a year that closes a sentence dates its own clause only
    other = text.replace("In 2031, Hubei will keep", "Hubei kept").replace(
        "six ways.", "six ways in 2030."
    )
    assert [r[3] for r in run(other)] == [None, None]


def test_money_spent_to_build_reports_what_was_built() -> None:
    text = (
        "Hebei City Construction\n\nHebei also promoted county construction. Total investment "
        "of 640 million yuan ($98 million) was used to build 18 high-standard landscape "
        "avenues, 17 landmark streets, and 34 entrances."
    )
    assert run(text) == []
    assert [r[2] for r in run("In 2031 Hebei will use 60 million yuan to build 18 avenues.")] == [
        18
    ]


def test_advanced_access_and_run_as_a_plans_words() -> None:
    got = run(
        "In Hainan, 34 key projects will be advanced in 2031. A total of 103 villages in "
        "Hainan will gain access to buses by the end of 2031. Hainan will run 7 more private "
        "schools by 2031."
    )
    assert [(r[2], r[3]) for r in got] == [(34, "2031"), (103, "2031"), (7, "2031")]
    # "ran" looks back
    assert run("Hainan ran 7 private schools in 2030.") == []
