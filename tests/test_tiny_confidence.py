"""Two attacks on what a sheet writes: a confidence too small for ``:g`` to write without an
exponent (0.00001 became ``"1e-05"^^xsd:decimal``, no decimal, so ``confidence-review`` never
listed the target), and a year before 1000 (an extracted sheet that load refused)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pledgegraph.loaders.rdf import decimal_text
from tests.conftest import run_pledgegraph

SHEET = """\
source:
  url: https://example.org/news/tiny-confidence
  title: A guess
pledges:
  - region: CN-HE
    deadline: 2031
    targets:
      - {{kind: parks, quantity: 3, confidence: {confidence}}}
"""


@pytest.mark.parametrize(
    ("value", "text"),
    [(0.9, "0.9"), (1.0, "1"), (0.0, "0"), (1e-05, "0.00001"), (1.234e-7, "0.0000001234"),
     (1e-300, "0")],
)  # fmt: skip
def test_decimal_text_has_no_exponent(value: float, text: str) -> None:
    assert decimal_text(value) == text


def test_a_tiny_confidence_is_listed_for_review(tmp_path: Path) -> None:
    sheet = tmp_path / "tiny.pledges.yaml"
    sheet.write_text(SHEET.format(confidence="0.00001"), encoding="utf-8")
    store = tmp_path / "store"
    done = run_pledgegraph(store, "load", str(sheet))
    assert done.returncode == 0, done.stderr
    review = run_pledgegraph(store, "query", "confidence-review", "-f", "csv")
    assert review.returncode == 0, review.stderr
    assert "0.00001" in review.stdout


def test_a_sheet_extracted_with_a_year_before_1000_loads(tmp_path: Path) -> None:
    """An attack: ``extract --published 0001 -o`` wrote ``published: 1`` (no YYYY date) and a
    deadline the deadline shape refused ("0004" against the year 4)."""
    import subprocess
    import sys

    article = tmp_path / "old.txt"
    article.write_text("Hebei will build 50 parks within three years.\n", encoding="utf-8")
    sheet = tmp_path / "old.pledges.yaml"
    done = subprocess.run(
        [sys.executable, "-m", "pledgegraph", "extract", str(article), "--published", "0001",
         "--title", "Old", "-o", str(sheet)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    text = sheet.read_text(encoding="utf-8")
    assert "published: '0001'" in text and "deadline: '0004'" in text
    loaded = run_pledgegraph(tmp_path / "store", "load", str(sheet))
    assert loaded.returncode == 0, loaded.stderr
