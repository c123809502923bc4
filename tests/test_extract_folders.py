"""``pledgegraph extract DIR``: articles found recursively, sheets written in the same layout.

The articles are written here (made-up sentences); ``load`` then reads the sheets back from the
output folder, recursively too.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Invoke


def _articles(root: Path) -> None:
    (root / "north" / "2024").mkdir(parents=True)
    (root / ".drafts").mkdir()
    (root / "north" / "2024" / "hebei.txt").write_text(
        "Hebei province will build 7 technology parks by 2024.\n", encoding="utf-8"
    )
    (root / "north" / "hebei.txt").write_text(
        "Hebei province plans to set up 2 innovation funds by 2023.\n", encoding="utf-8"
    )
    (root / "north" / "hebei.md").write_text(
        "Hebei province aims to attract 30 blockchain firms by 2025.\n", encoding="utf-8"
    )
    (root / "henan.txt").write_text(
        "Henan province will create 4 technology parks by 2026.\n", encoding="utf-8"
    )
    (root / ".drafts" / "hunan.txt").write_text(  # hidden: skipped
        "Hunan province will build 9 technology parks by 2024.\n", encoding="utf-8"
    )
    (root / "north" / "old.pledges.yaml").write_text("not an article\n", encoding="utf-8")


def test_extract_dir_reads_sub_folders_and_keeps_their_layout(cli: Invoke, tmp_path: Path) -> None:
    articles, sheets = tmp_path / "articles", tmp_path / "sheets"
    _articles(articles)
    printed = cli("extract", str(articles))
    assert printed.exit_code == 0, printed.stderr
    assert [line for line in printed.stdout.splitlines() if line.startswith("--- # ")] == [
        f"--- # {articles / 'henan.txt'}",
        f"--- # {articles / 'north' / '2024' / 'hebei.txt'}",
        f"--- # {articles / 'north' / 'hebei.md'}",
        f"--- # {articles / 'north' / 'hebei.txt'}",
    ]
    written = cli("extract", str(articles), "-o", str(sheets))
    assert written.exit_code == 0, written.stderr
    assert sorted(p.relative_to(sheets).as_posix() for p in sheets.rglob("*.yaml")) == [
        "henan.pledges.yaml",
        "north/2024/hebei.pledges.yaml",
        "north/hebei.pledges.yaml",
        "north/hebei.txt.pledges.yaml",  # beside hebei.md's sheet: the full name
    ]
    before = json.loads(cli("stats", "--json").stdout)["sources"]
    loaded = cli("load", str(sheets))
    assert loaded.exit_code == 0, loaded.stderr
    assert json.loads(cli("stats", "--json").stdout)["sources"] == before + 4
    parks = cli("query", "targets-by-kind-and-year", "-p", "kind=parks", "-p", "year=2026",
                "-f", "csv").stdout  # fmt: skip
    assert "CN-HA" in parks and "CN-HE" in parks


def test_extract_dir_without_articles_in_any_folder(cli: Invoke, tmp_path: Path) -> None:
    (tmp_path / "empty" / "deeper").mkdir(parents=True)
    (tmp_path / "empty" / "deeper" / "notes.pdf").write_bytes(b"%PDF-1.4\n")
    result = cli("extract", str(tmp_path / "empty"))
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {tmp_path / 'empty'}: holds no .txt, .md or .html files; "
        "give a directory of article files, or the files themselves\n"
    )


def test_extract_dir_keeps_sheets_that_exist_unless_forced(cli: Invoke, tmp_path: Path) -> None:
    """A second run into the same -o must not overwrite sheets a person may have reviewed
    (an attack found reviewed sheets replaced by another folder's articles of the same name)."""
    first, second, sheets = tmp_path / "first", tmp_path / "second", tmp_path / "sheets"
    for folder, count in ((first, 3), (second, 8)):
        folder.mkdir()
        (folder / "a.txt").write_text(
            f"Hebei province will build {count} technology parks by 2024.\n", encoding="utf-8"
        )
    assert cli("extract", str(first), "-o", str(sheets)).exit_code == 0
    sheet = sheets / "a.pledges.yaml"
    sheet.write_text(sheet.read_text(encoding="utf-8") + "# reviewed\n", encoding="utf-8")
    kept = cli("extract", str(second), "-o", str(sheets))
    assert kept.exit_code == 0  # kept, as the README says: a note, not a failed input
    assert kept.stderr.splitlines()[0] == (
        f"Note: {sheet}: a fact sheet of that name exists already (it may have been "
        "reviewed); kept (--force replaces it)"
    )
    assert sheet.read_text(encoding="utf-8").endswith("# reviewed\n")
    assert "quantity: 3" in sheet.read_text(encoding="utf-8")
    forced = cli("extract", str(second), "-o", str(sheets), "--force")
    assert forced.exit_code == 0, forced.stderr
    assert "quantity: 8" in sheet.read_text(encoding="utf-8")


def test_a_reviewed_sheet_is_not_overwritten(cli: Invoke, tmp_path: Path) -> None:
    """A sheet written with -o, reviewed and loaded, is neither overwritten by extracting the
    same article to the same file nor replaced in the store by ``extract --load`` (a new
    user's trial: both happened without a word); ``--force`` does either."""
    article = tmp_path / "henan.txt"
    article.write_text("Henan province will create 4 technology parks by 2026.\n", "utf-8")
    sheet = tmp_path / "henan.pledges.yaml"
    url = "https://example.org/henan"
    assert cli("extract", str(article), "--url", url, "-o", str(sheet)).exit_code == 0
    reviewed = sheet.read_text("utf-8").replace("quantity: 4", "quantity: 5")
    sheet.write_text(reviewed, "utf-8")

    again = cli("extract", str(article), "--url", url, "-o", str(sheet))
    assert again.exit_code == 2
    assert again.stderr == (
        f"Error: {sheet}: a fact sheet of that name exists already (it may have been "
        "reviewed); pass --force to replace it, or write to another file\n"
    )
    assert sheet.read_text("utf-8") == reviewed

    assert cli("load", str(sheet)).exit_code == 0
    before = cli("export", "-f", "nquads").stdout
    loaded = cli("extract", str(article), "--url", url, "--load")
    assert loaded.exit_code == 2
    assert "the store holds this article's source from a fact sheet" in loaded.stderr
    assert cli("export", "-f", "nquads").stdout == before

    forced = cli("extract", str(article), "--url", url, "--load", "--force", "--title", "T")
    assert forced.exit_code == 0, forced.stderr
    assert forced.stderr.startswith("replaced ")
    # an extraction loaded again replaces itself, as before
    assert cli("extract", str(article), "--url", url, "--load").exit_code == 0
    assert cli("extract", str(article), "--url", url, "-o", str(sheet), "--force").exit_code == 0


def test_extract_load_of_an_article_loaded_under_another_key_names_force(
    cli: Invoke, tmp_path: Path
) -> None:
    """An outside attack: the refusal said "load it with --replace", an option extract lacks."""
    article = tmp_path / "henan.txt"
    article.write_text("Henan province will create 4 technology parks by 2026.\n", "utf-8")
    url = "https://example.org/henan-keyed"
    sheet = tmp_path / "keyed.pledges.yaml"
    assert cli("extract", str(article), "--url", url, "-o", str(sheet)).exit_code == 0
    sheet.write_text(sheet.read_text("utf-8").replace("  url:", "  key: reviewed-1\n  url:", 1))
    assert cli("load", str(sheet)).exit_code == 0
    refused = cli("extract", str(article), "--url", url, "--load")
    assert refused.exit_code == 2
    assert "pass --force to replace that source" in refused.stderr
    assert "--replace" not in refused.stderr
    forced = cli("extract", str(article), "--url", url, "--load", "--force")
    assert forced.exit_code == 0, forced.stderr


def test_o_with_a_slash_names_a_folder(cli: Invoke, tmp_path: Path) -> None:
    """An outside attack: `extract a.txt -o newdir/` wrote a file named newdir."""
    article = tmp_path / "henan.txt"
    article.write_text("Henan province will create 4 technology parks by 2026.\n", "utf-8")
    out = tmp_path / "newdir"
    done = cli("extract", str(article), "-o", f"{out}/")
    assert done.exit_code == 0, done.stderr
    assert (out / "henan.pledges.yaml").is_file()


def test_a_sheet_without_a_title_gets_a_note(cli: Invoke, tmp_path: Path) -> None:
    """A new user's trial: sheets extracted from saved pages had no title, so every one drew a
    validation warning and 'sources' showed a blank, with nothing said at extraction."""
    article = tmp_path / "henan.txt"
    article.write_text("Henan province will create 4 technology parks by 2026.\n", "utf-8")
    one = cli("extract", str(article))
    assert one.exit_code == 0
    assert one.stderr == (
        f"Note: {article}: no title found in the article; give one with --title (the "
        "'sources' and 'provenance' questions show it, and validate warns without it)\n"
    )
    assert cli("extract", str(article), "--title", "Henan parks").stderr == ""
    folder = tmp_path / "articles"
    folder.mkdir()
    for name in ("a.txt", "b.md"):
        (folder / name).write_text(
            ("# Henan parks\n\n" if name == "b.md" else "")
            + "Henan province will create 4 technology parks by 2026.\n",
            "utf-8",
        )
    many = cli("extract", str(folder), "-o", str(tmp_path / "sheets"))
    assert many.exit_code == 0
    assert many.stderr.splitlines()[-1] == (
        "Note: 1 fact sheet without a title (none found in the article); add title: to each "
        "source (the 'sources' and 'provenance' questions show it, and validate warns without "
        "it)"
    )


def test_an_article_past_the_limits_is_one_line_for_o_and_load(
    cli: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An outside attack: ten megabytes of sentences took 214 s and 808 MB to extract, and a
    list of 1,001 items gave a sheet that load refused with -o, while --load loaded it past
    the limit. Now each is one line, exit 2, nothing written or loaded."""
    listed = tmp_path / "list.txt"
    listed.write_text(
        "Hunan will achieve the following by 2031:\n"
        + "".join(f"- {n} parks\n" for n in range(2, 1003)),
        "utf-8",
    )
    before = cli("export", "-f", "nquads").stdout
    for extra in (["-o", str(tmp_path / "list.pledges.yaml")], ["--load"]):
        done = cli("extract", str(listed), "--title", "A list", *extra)
        assert (done.exit_code, done.stderr) == (
            2,
            f"Error: {listed}: the article gives 1,001 targets in one pledge, more than the "
            "1,000 one pledge may list; split the article into several (see README, Limits)\n",
        )
    assert not (tmp_path / "list.pledges.yaml").exists()
    assert cli("export", "-f", "nquads").stdout == before
    long = tmp_path / "long.txt"
    long.write_text("Hunan will build 12 science parks by 2031. " * 3000, "utf-8")
    with monkeypatch.context() as patch:
        patch.setenv("PLEDGEGRAPH_MAX_ARTICLE_KB", "64")
        done = cli("extract", str(long))
    assert (done.exit_code, done.stdout) == (2, "")
    assert done.stderr == (
        f"Error: {long}: the article's text has 129,000 characters, more than the 65,536 (64 "
        "KB) one extraction reads; split it into its articles, or set "
        "PLEDGEGRAPH_MAX_ARTICLE_KB to raise the limit\n"
    )
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>Hunan will build 3 parks by 2031.</p>" + "<i></i>" * 80_000)
    with monkeypatch.context() as patch:
        patch.setenv("PLEDGEGRAPH_MAX_ARTICLE_KB", "64")
        done = cli("extract", str(page))
    assert (done.exit_code, done.stderr) == (
        2,
        f"Error: {page}: the HTML page is 546.9 KB, more than the 512 KB one extraction "
        "parses (8 times the article text it reads); save the article's own text, or set "
        "PLEDGEGRAPH_MAX_ARTICLE_KB to raise the limit\n",
    )
    assert cli("extract", str(long), "--title", "Long").exit_code == 0  # within 1 MB
