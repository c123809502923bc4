"""What a new user's trial of ``extract`` found in its messages (2026-12-05): an empty standard
input was told to "give a file", ``-o`` into a folder not there yet failed, and a second run
over a folder whose sheets were all kept still asked to add titles to them."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Invoke

ARTICLE = "Hebei Province will build three blockchain parks by 2031.\n"


def test_an_empty_standard_input_says_to_pipe_the_text(cli: Invoke) -> None:
    result = cli("extract", "-", input="")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Error: -: is empty; pipe the article's text in, e.g. cat article.txt | pledgegraph "
        "extract -"
    )


def test_output_into_a_folder_not_there_yet_makes_it(cli: Invoke, tmp_path: Path) -> None:
    article = tmp_path / "hebei.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    target = tmp_path / "new dir" / "sub" / "hebei.pledges.yaml"
    result = cli("extract", str(article), "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert "blockchain" not in result.stdout  # the sheet went to the file
    assert "kind: parks" in target.read_text(encoding="utf-8")


def test_sheets_kept_as_they_were_are_not_asked_for_titles(cli: Invoke, tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name in ("a.txt", "b.txt"):
        (folder / name).write_text(ARTICLE.replace("three", "four" if name == "b.txt" else "three"))
    out = tmp_path / "sheets"
    first = cli("extract", str(folder), "-o", str(out))
    assert first.exit_code == 0, first.stderr
    assert "Note: 2 fact sheets without a title" in first.stderr
    again = cli("extract", str(folder), "-o", str(out))
    assert again.exit_code == 0, again.stderr
    assert "kept (--force replaces it)" in again.stderr
    assert "without a title" not in again.stderr


def test_a_region_name_that_names_two_regions_gets_a_note(cli: Invoke) -> None:
    result = cli("query", "region-pledges", "-p", "region=Georgia")
    assert result.exit_code == 0, result.stderr
    assert "Note: region=Georgia is read as GE, the country; the US state is US-GA" in (
        result.stderr
    )
    plain = cli("query", "region-pledges", "-p", "region=US-GA")
    assert plain.exit_code == 0 and "Note" not in plain.stderr


def test_counted_targets_without_a_region_are_named_in_a_note(cli: Invoke) -> None:
    text = "The state government will build 14 new schools by 2031 and 3 hospitals by 2032.\n"
    result = cli("extract", "-", input=text)
    assert result.exit_code == 0, result.stderr
    assert "pledges: []" in result.stdout
    assert (
        "Note: -: left out 'build 14 new schools by 2031' and 1 other: the text names no region "
        "for them;" in result.stderr
    )
    placed = cli("extract", "-", input=text.replace("The state government", "Hebei"))
    assert "left out" not in placed.stderr


def test_a_fund_sized_in_money_is_one_fund() -> None:
    from tests.extract_rows import extracted as run

    # (a trial: "a €100 million fund" was stored as 100,000,000 funds)
    for text in (
        "Ireland will create a \u20ac100 million fund for start-ups by 2031.",
        "Ireland will create a $50 million fund by 2031.",
    ):
        assert [(r[1], r[2]) for r in run(text)] == [("funds", 1)], text
    assert [r[2] for r in run("Ireland will create two \u20ac100 million funds by 2031.")] == [2]
    # a million things are still counted
    assert [r[2] for r in run("Ireland will plant 1 million trees by 2031.")] == [1000000]


def test_a_zone_named_by_its_city_is_filed_under_that_city() -> None:
    from tests.extract_rows import extracted as run

    text = (
        "Chengdu will build 10 blockchain industrial parks by 2031. Meanwhile the Suzhou "
        "Industrial Park aims to nurture between 50 and 80 AI enterprises by 2032."
    )
    assert [r[0] for r in run(text)] == ["CN-SC", "CN-JS"]
