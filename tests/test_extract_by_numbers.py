"""Numbers after "by" that an outside attack found misread (each case gave a wrong answer at
confidence 0.95): a count after "by YEAR and" taken for the end of a period ("by 2025 and 40
industrial parks" gave a deadline of 2040 and lost the parks), and money or measures after a
growth's "by" counted as things ("increase the number of parks by 5 billion yuan" gave
5,000,000,000 parks).

Every sentence here is made up for the test."""

from __future__ import annotations

import pytest

from tests.extract_rows import extracted as run


@pytest.mark.parametrize("count", [10, 30, 40, 50, 99])
def test_a_count_after_by_year_and_is_no_period(count: int) -> None:
    got = run(f"Jiangsu will set up 20 data centres by 2025 and {count} industrial parks by 2027.")
    assert [(r[1], r[2], r[3]) for r in got] == [
        ("platforms", 20, "2025"),
        ("parks", count, "2027"),
    ]


@pytest.mark.parametrize(
    ("period", "year"),
    [
        ("between 2021 and 25", "2025"),
        ("in the 2021-25 period", "2025"),
        ("from 2021 to 28", "2028"),
    ],
)
def test_periods_with_two_digits_still_end_there(period: str, year: str) -> None:
    assert [r[3] for r in run(f"Hebei will build 10 parks {period}.")] == [year]


@pytest.mark.parametrize(
    "amount",
    [
        "5 billion yuan",
        "5 billion US dollars",
        "5 bn yuan",
        "5 million tonnes",
        "5 gigawatts",
        "500 square metres",
        "3,000 kilowatts",
    ],
)
def test_money_and_measures_after_a_growths_by_are_no_count(amount: str) -> None:
    assert run(f"Guangdong will increase the number of parks by {amount} by 2031.") == []
    assert run(f"In Guangdong, high-tech firms are projected to grow by {amount} by 2031.") == []


def test_a_growth_by_a_plain_number_still_counts() -> None:
    got = run("Guangdong will increase the number of parks by 5 by 2031.")
    assert [(r[1], r[2], r[3]) for r in got] == [("parks", 5, "2031")]
