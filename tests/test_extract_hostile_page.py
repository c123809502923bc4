"""What an outside attack fed ``extract``: a title with control and direction-override
characters, a Source line whose address holds ``<>{}``, and escape codes next to a
target. The sheet ``extract -o`` writes must load, and ``extract --load`` must leave a store
every export format can write (RDF/XML refused the control characters)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
