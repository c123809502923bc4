"""Another fact sheet of a loaded source does not replace it unasked (a new user's trial: a sheet
extracted from a saved page took the place of the reviewed sheet of the same article, exit 0,
no word). The store records which sheet file wrote each source; a sheet from another file is
refused, naming that file, unless ``--replace``; the same file (edited) replaces as before, and
standard input keeps no record. On both backends: the embedded store and a real ``oxigraph
serve`` (``backend``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import run_pledgegraph

SHEET = """\
source:
  url: https://example.org/news/one-article
  title: {title}
pledges:
  - region: CN-HE
    deadline: 2031
    targets:
      - kind: parks
        quantity: {count}
"""


@pytest.fixture
def store(backend: str, tmp_path: Path, oxigraph_server: Callable[[], str]) -> str:
    return str(tmp_path / "store") if backend == "embedded" else oxigraph_server()


def _parks(store: str) -> str:
    done = run_pledgegraph(
        store,
        "sparql",
        "SELECT ?q WHERE { ?t pledge:kind ?k ; pledge:quantity/schema:value ?q . "
        "?p pledge:hasTarget ?t ; pledge:deadline ?d . ?d time:inXSDDate ?day "
        'FILTER(STRSTARTS(STR(?day), "2031")) }',
        "--format",
        "csv",
    )
    assert done.returncode == 0, done.stderr
    return ",".join(done.stdout.split()[1:])


def test_a_sheet_of_another_file_does_not_replace_a_source(store: str, tmp_path: Path) -> None:
    reviewed, extracted = tmp_path / "reviewed.pledges.yaml", tmp_path / "page.pledges.yaml"
    reviewed.write_text(SHEET.format(title="Reviewed", count=3), encoding="utf-8")
    extracted.write_text(SHEET.format(title="From a saved page", count=9), encoding="utf-8")
    assert run_pledgegraph(store, "load", str(reviewed)).returncode == 0
    done = run_pledgegraph(store, "load", str(extracted))
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert f"was loaded from another fact sheet, {reviewed.resolve()}" in done.stderr
    assert "--replace" in done.stderr
    assert _parks(store) == "3"  # the reviewed source is as it was
    # the same file, edited, replaces its source as before
    reviewed.write_text(SHEET.format(title="Reviewed", count=4), encoding="utf-8")
    assert run_pledgegraph(store, "load", str(reviewed)).returncode == 0
    assert _parks(store) == "4"
    # asked for, the other file replaces it, and is then the one on record
    assert run_pledgegraph(store, "load", "--replace", str(extracted)).returncode == 0
    assert _parks(store) == "9"
    assert run_pledgegraph(store, "load", str(reviewed)).returncode == 2
    # a source removed keeps no record: any file may load it again
    assert run_pledgegraph(store, "remove", "https://example.org/news/one-article").returncode == 0
    if "://" not in store:  # (the embedded store's state: the record is gone too)
        from pledgegraph.graph.store import SHEET_FILES, Store

        with Store.open(store) as opened:
            assert not opened.state().get(SHEET_FILES)
    assert run_pledgegraph(store, "load", str(reviewed)).returncode == 0
    assert _parks(store) == "4"


def test_standard_input_keeps_no_record(store: str, tmp_path: Path) -> None:
    sheet = tmp_path / "one.pledges.yaml"
    sheet.write_text(SHEET.format(title="Reviewed", count=3), encoding="utf-8")
    other = tmp_path / "two.pledges.yaml"
    other.write_text(SHEET.format(title="Another", count=5), encoding="utf-8")
    assert run_pledgegraph(store, "load", str(sheet)).returncode == 0
    import subprocess
    import sys

    piped = subprocess.run(
        [sys.executable, "-m", "pledgegraph", "--store", store, "load", "-"],
        input=SHEET.format(title="Piped", count=7),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert piped.returncode == 0, piped.stderr  # (a pipe: as before, it replaces)
    assert _parks(store) == "7"
    # written last from a pipe, the source is no file's: another file may replace it
    assert run_pledgegraph(store, "load", str(other)).returncode == 0
    assert _parks(store) == "5"


def test_one_article_twice_in_a_load_is_refused_also_with_replace(
    store: str, tmp_path: Path
) -> None:
    """An attack: two sheets of one article (same text_sha256, keys dup-a and dup-b) loaded
    together with --replace printed "2 of 2 files loaded (36 quads)"; the second had removed
    the first."""
    folder = tmp_path / "dup"
    folder.mkdir()
    for key in ("a", "b"):
        (folder / f"{key}.pledges.yaml").write_text(
            f"source:\n  url: https://example.org/dup-{key}\n  key: dup-{key}\n  title: Dup\n"
            f"  text_sha256: {'ab' * 32}\npledges:\n  - region: CN-HE\n    deadline: 2031\n"
            "    targets:\n      - {kind: parks, quantity: 3}\n",
            encoding="utf-8",
        )
    done = run_pledgegraph(store, "load", "--replace", str(folder))
    assert done.returncode == 1, done.stderr
    assert "is given twice in this load" in done.stderr and "the same article (" in done.stderr
    assert "1 of 2 files loaded" in done.stderr
    sources = run_pledgegraph(
        store,
        "sparql",
        "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s a schema:NewsArticle } "
        'FILTER(CONTAINS(STR(?g), "dup-")) }',
        "--format",
        "csv",
    )
    assert sources.stdout.split()[1:] == ["1"]


def test_an_unchanged_reload_records_its_file_and_a_gone_file_blocks_nothing(
    store: str, tmp_path: Path
) -> None:
    """A re-attack: a source last written from standard input (or by a store from before the
    record) got no record from an "unchanged" reload of its file, so another file replaced it
    without a word; and after a folder is moved, every sheet was refused."""
    import subprocess
    import sys

    first = tmp_path / "first.pledges.yaml"
    first.write_text(SHEET.format(title="Reviewed", count=3), encoding="utf-8")
    other = tmp_path / "other.pledges.yaml"
    other.write_text(SHEET.format(title="Another", count=5), encoding="utf-8")
    piped = subprocess.run(
        [sys.executable, "-m", "pledgegraph", "--store", store, "load", "-"],
        input=first.read_text(encoding="utf-8"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert piped.returncode == 0, piped.stderr
    again = run_pledgegraph(store, "load", str(first))
    assert again.returncode == 0 and "unchanged" in again.stderr, again.stderr
    assert run_pledgegraph(store, "load", str(other)).returncode == 2  # recorded now
    # the file on record moved away: the moved file, or another, may load
    moved = tmp_path / "moved.pledges.yaml"
    first.rename(moved)
    assert run_pledgegraph(store, "load", str(other)).returncode == 0
    assert _parks(store) == "5"


def test_the_bundled_sheet_is_no_file_on_record(tmp_path: Path) -> None:
    """A re-attack: the bundled sheet was recorded as "(bundled) seed.pledges.yaml" under the
    current folder, so a copy of it was refused naming a file that does not exist."""
    store = tmp_path / "store"
    assert run_pledgegraph(store, "stats").returncode == 0  # (made with the bundled data)
    copy = tmp_path / "seed.pledges.yaml"
    copy.write_text(
        (Path(__file__).resolve().parents[1] / "loaders" / "data" / "seed.pledges.yaml").read_text(
            encoding="utf-8"
        ),
        encoding="utf-8",
    )
    done = run_pledgegraph(store, "load", str(copy))
    assert done.returncode == 0, done.stderr
    assert "unchanged" in done.stderr
