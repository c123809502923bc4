"""What an outside attack fed ``extract``: a title with control and direction-override
characters, a Source line whose address holds ``<>{}``, and escape codes next to a
target. The sheet ``extract -o`` writes must load, and ``extract --load`` must leave a store
every export format can write (RDF/XML refused the control characters)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import run_pledgegraph

ARTICLE = (
    "Source: https://example.org/a<1>{x} — Hebei \u202eoffice\x07 — public domain\n\n"
    "# Hebei plan \u202e for parks \x07\n\n"
    "Hebei will build 50 parks by 2031.\x1b[0m The province said so.\n"
)


def _extract(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pledgegraph", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_hostile_page_gives_a_sheet_that_loads(tmp_path: Path) -> None:
    article = tmp_path / "page.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    sheet = tmp_path / "page.pledges.yaml"
    done = _extract("extract", str(article), "-o", str(sheet))
    assert done.returncode == 0, done.stderr
    text = sheet.read_text(encoding="utf-8")
    assert "\u202e" not in text and "\x07" not in text
    assert "https://example.org/a%3C1%3E%7Bx%7D" in text
    loaded = run_pledgegraph(tmp_path / "store", "load", str(sheet))
    assert loaded.returncode == 0, loaded.stderr


def test_extract_load_leaves_a_store_every_format_exports(tmp_path: Path) -> None:
    article = tmp_path / "page.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    store = tmp_path / "store"
    done = _extract("--store", str(store), "extract", str(article), "--load")
    assert done.returncode == 0, done.stderr
    for fmt in ("rdfxml", "turtle", "jsonld"):
        exported = run_pledgegraph(store, "export", "-f", fmt)
        assert exported.returncode == 0, (fmt, exported.stderr)
        assert "\x1b" not in exported.stdout and "\u202e" not in exported.stdout


@pytest.mark.parametrize(
    ("first_line", "url"),
    [
        ("Source: https://example.org/a#b#c — Red — public domain", "urn:sha256:"),
        ("Source: <https://example.org/x> — Red — public domain", "https://example.org/x"),
        ("Source: https://[::1/x — Red — public domain", "urn:sha256:"),
    ],
)
def test_an_address_no_iri_can_hold_gives_the_texts_hash(
    tmp_path: Path, first_line: str, url: str
) -> None:
    """A re-attack: such addresses were written to the sheet, and load or validate then ended
    in a traceback ("https://[::1/x" stopped extract itself)."""
    article = tmp_path / "page.txt"
    article.write_text(f"{first_line}\n\nHebei will build 50 parks by 2031.\n", encoding="utf-8")
    sheet = tmp_path / "page.pledges.yaml"
    done = _extract("extract", str(article), "-o", str(sheet))
    assert done.returncode == 0, done.stderr
    assert f"url: {url}" in sheet.read_text(encoding="utf-8")
    loaded = run_pledgegraph(tmp_path / "store", "load", str(sheet))
    assert loaded.returncode == 0, loaded.stderr


def test_a_sheet_with_such_an_address_gets_one_line(tmp_path: Path) -> None:
    sheet = tmp_path / "hand.pledges.yaml"
    sheet.write_text(
        "source:\n  url: https://example.org/a#b#c\n  title: T\npledges:\n  - region: CN-HE\n"
        "    deadline: 2031\n    targets:\n      - {kind: parks, quantity: 3}\n",
        encoding="utf-8",
    )
    for command in ("load", "validate"):
        done = run_pledgegraph(tmp_path / "store", command, str(sheet))
        assert done.returncode == 2, done.stderr
        assert "Traceback" not in done.stderr
        assert (
            f"Error: {sheet}:2: url 'https://example.org/a#b#c' is not a valid IRI" in done.stderr
        )


def test_a_terminal_colour_code_leaves_no_trace_in_a_title() -> None:
    from pledgegraph.commands.extract import _plain

    assert _plain("Hubei Plan\x1b[31m in red\x1b[0m\x07") == "Hubei Plan in red"
    assert _plain("\x1b[1;33m\x1b[0m") is None
