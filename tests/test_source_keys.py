"""A source key names one article: another article under a loaded key, or one source given by
two files of the same load, is refused (it used to replace the other article silently)."""

from __future__ import annotations

from pathlib import Path

from conftest import run_pledgegraph


def _sheet(folder: Path, name: str, url: str, key: str | None, count: int) -> Path:
    key_line = f"  key: {key}\n" if key else ""
    path = folder / f"{name}.pledges.yaml"
    path.write_text(
        f"source:\n  url: {url}\n{key_line}  title: Invented article {name}\n"
        "pledges:\n  - region: CN-GD\n    deadline: 2027\n    targets:\n"
        f"      - kind: talent\n        quantity: {count}\n",
        encoding="utf-8",
    )
    return path


def _quantities(store: Path) -> list[str]:
    done = run_pledgegraph(
        store,
        "sparql",
        "SELECT ?q WHERE { ?t pledge:quantity/schema:value ?q ; "
        "<http://www.w3.org/ns/prov#wasDerivedFrom>/schema:url ?u "
        'FILTER(STRSTARTS(STR(?u), "https://example.org/")) } ORDER BY ?q',
        "-f",
        "csv",
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()[1:]


def test_another_article_under_a_loaded_key_is_refused(tmp_path: Path) -> None:
    store = tmp_path / "store"
    first = _sheet(tmp_path, "f", "https://example.org/news/f", "shared-key", 100)
    second = _sheet(tmp_path, "g", "https://example.org/news/g", "shared-key", 200)
    assert run_pledgegraph(store, "load", str(first)).returncode == 0
    done = run_pledgegraph(store, "load", str(second))
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert any(
        line.startswith(f"Error: {second}: the source <")
        and "holds another article (url https://example.org/news/f)" in line
        and "--replace" in line
        for line in lines
    ), done.stderr
    assert "Traceback" not in done.stderr
    assert _quantities(store) == ["100"]  # the first article is still there
    # loading the same article again still replaces it; --replace replaces the other one
    assert run_pledgegraph(store, "load", str(first)).returncode == 0
    assert run_pledgegraph(store, "load", "--replace", str(second)).returncode == 0
    assert _quantities(store) == ["200"]


def test_one_source_given_twice_in_a_load_is_refused(tmp_path: Path) -> None:
    store, folder = tmp_path / "store", tmp_path / "sheets"
    folder.mkdir()
    _sheet(folder, "h2", "https://example.org/news/h", None, 100)
    late = _sheet(folder, "h3", "https://example.org/news/h", None, 300)
    done = run_pledgegraph(store, "load", str(folder))
    assert done.returncode == 1, done.stderr  # one file not loaded, the other loaded
    assert f"Error: {late}: the source <" in done.stderr
    assert "is given twice in this load (also by" in done.stderr
    assert _quantities(store) == ["100"]
    # the summary does not claim the refused file
    assert "1 of 2 files were not loaded" in done.stderr or "1 not loaded" in done.stderr


def test_validate_checks_every_file_when_one_cannot_be_read(tmp_path: Path) -> None:
    """An unreadable sheet is reported on its own line; the other files are still checked."""
    good = _sheet(tmp_path, "good", "https://example.org/news/good", None, 10)
    broken = tmp_path / "broken.pledges.yaml"
    broken.write_text("source: [unclosed\n", encoding="utf-8")
    wrong = tmp_path / "wrong.pledges.yaml"
    wrong.write_text(
        _sheet(tmp_path, "w", "https://example.org/news/w", None, 5)
        .read_text(encoding="utf-8")
        .replace("kind: talent", "kind: unicorn-stables"),
        encoding="utf-8",
    )
    for order in ((broken, good, wrong), (good, wrong, broken)):
        done = run_pledgegraph(tmp_path / "store", "validate", *map(str, order))
        assert done.returncode == 2, done.stderr  # could not validate one of them
        assert f"Error: {broken}" in done.stderr
        assert str(wrong) in done.stdout + done.stderr  # its problem is still reported
        assert "Traceback" not in done.stderr


def test_the_same_page_under_another_spelling_of_its_url_is_refused(tmp_path: Path) -> None:
    """An outside attack: a sheet for http://…/page/ loaded beside one for https://…/page, the
    same page's pledges counted twice."""
    store = tmp_path / "store"
    first = _sheet(tmp_path, "f", "https://example.org/news/f", "key-one", 100)
    again = _sheet(tmp_path, "g", "http://example.org/news/f/", "key-two", 100)
    assert run_pledgegraph(store, "load", str(first)).returncode == 0
    refused = run_pledgegraph(store, "load", str(again))
    assert refused.returncode == 2
    assert "is loaded already as the source" in refused.stderr
    assert _quantities(store) == ["100"]
