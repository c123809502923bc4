"""Precision and recall of the article extractor on real government texts, per publisher family.

Reads the development corpus in ``../shared/corpus`` (beside the checkout; ``--corpus`` to point
elsewhere): ``annotations.yaml``, ``texts/<id>.txt`` and its ``score.py``, whose matching rules
(region incl. province, kind or kind_alt, quantity, attached deadline year) are imported and
used unchanged. Each text is read and extracted in process, exactly as ``pledgegraph extract
texts/<id>.txt`` does, its fact sheet dumped to YAML and read back, and matched against the gold
targets the way ``score.py`` matches them (optional gold targets are neither rewarded nor
penalised). Prints one Markdown table per publisher family (China, US, EU, UK, from the gold
region or the URL) with the totals, then the precision of the targets at confidence >= 0.8 and below.

    python bench/bench_extract_real.py [--corpus ../shared/corpus] [--score FILE] [-v]

Exits 0 with a note when the corpus is absent (it is not part of the project).
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlparse

import yaml

from pledgegraph.loaders.extraction import extract
from pledgegraph.loaders.facts import PartialDate, Source
from pledgegraph.loaders.factsheet import dump_factsheet
from pledgegraph.loaders.text import read_article

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
FAMILIES = ("China", "US", "EU", "UK", "other")
THRESHOLD = 0.8  # the confidence the review query uses


def family_of(entry: dict[str, Any]) -> str:
    """The publisher family of a text: from its gold region's code, else its URL's host."""
    for pledge in entry.get("pledges") or []:
        code = str((pledge.get("region") or {}).get("iso") or "")
        for prefix, family in (("CN", "China"), ("US", "US"), ("EU", "EU"), ("GB", "UK")):
            if code.split("-")[0] == prefix:
                return family
    host = (urlparse(str(entry.get("url", ""))).hostname or "").lower()
    if host.endswith(".cn"):
        return "China"
    if host.endswith("europa.eu"):
        return "EU"
    if host.endswith((".uk", ".scot", ".wales")):
        return "UK"
    if host.endswith((".gov", ".mil")):
        return "US"
    return "other"


def load_scorer(score: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("corpus_score", score)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def source_for(article: Any) -> Source:
    """The source ``pledgegraph extract`` gives a file read without extra options."""
    published = None
    if article.published:
        try:
            published = PartialDate.parse(article.published)
        except ValueError:
            published = None
    return Source(
        url=article.url or f"file:{article.name}",
        title=article.title,
        publisher=article.publisher,
        published=published,
    )


def score_article(
    scorer: ModuleType, entry: dict[str, Any], path: Path
) -> tuple[int, int, list[tuple[float, bool]], list[str]]:
    """(tp, fn, [(confidence, matched) per predicted target], notes) for one text."""
    article = read_article(str(path))
    sheet = extract(article.text, source=source_for(article))
    data = yaml.safe_load(dump_factsheet(sheet)) or {}
    preds = list(scorer.pred_targets(data))
    confidences = [
        float(t.get("confidence") or 0.0)
        for p in data.get("pledges", []) or []
        for t in p.get("targets", []) or []
    ]
    gold = list(scorer.gold_targets(entry))
    used: set[int] = set()
    tp = fn = 0
    notes: list[str] = []
    for g in gold:
        hit = next((i for i, p in enumerate(preds) if i not in used and scorer.matches(g, p)), None)
        if hit is not None:
            used.add(hit)
            tp += 0 if g["optional"] else 1
        elif not g["optional"]:
            fn += 1
            notes.append(f"  missed: {sorted(g['kinds'])} {g['qty']} {g['year']} <- {g['span']}")
    for i, p in enumerate(preds):
        if i not in used:
            notes.append(f"  extra: {p['kind']} {p['qty']} {p['year']} {sorted(p['codes'])}")
    scored = [(confidences[i], i in used) for i in range(len(preds))]
    return tp, fn, scored, notes


def ratio(a: int, b: int) -> str:
    return f"{a / b:.2f}" if b else "–"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("-v", action="store_true", help="list misses and extras per text")
    parser.add_argument(
        "--score",
        type=Path,
        default=None,
        help="the scorer whose matching rules are used (default: the corpus's score.py; "
        "for a held-out set that has none, the development corpus's)",
    )
    args = parser.parse_args()
    corpus: Path = args.corpus
    score: Path = args.score or corpus / "score.py"
    if not (corpus / "annotations.yaml").is_file() or not score.is_file():
        print(f"corpus not found at {corpus}; nothing measured (it lives outside the project)")
        return 0
    scorer = load_scorer(score)
    doc = yaml.safe_load((corpus / "annotations.yaml").read_text(encoding="utf-8"))
    rows: dict[str, list[int]] = {f: [0, 0, 0, 0] for f in FAMILIES}  # texts, tp, fn, fp
    by_confidence = {"high": [0, 0], "low": [0, 0]}  # [matched, predicted]
    started = time.perf_counter()
    for entry in doc["articles"]:
        path = corpus / "texts" / f"{entry['id']}.txt"
        if not path.exists():
            continue
        family = family_of(entry)
        tp, fn, scored, notes = score_article(scorer, entry, path)
        fp = sum(1 for _, matched in scored if not matched)
        row = rows[family]
        row[0] += 1
        row[1] += tp
        row[2] += fn
        row[3] += fp
        for confidence, matched in scored:
            band = by_confidence["high" if confidence >= THRESHOLD else "low"]
            band[0] += matched
            band[1] += 1
        if args.v:
            print(f"{entry['id']} ({family}): tp={tp} fn={fn} fp={fp}")
            for note in notes:
                print(note)
    elapsed = time.perf_counter() - started
    scored = f" --score {score}" if args.score else ""
    print(f"\n`python bench/bench_extract_real.py --corpus {corpus}{scored}` ({elapsed:.1f} s)\n")
    print("| family | texts | tp | fn | fp | precision | recall |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    total = [0, 0, 0, 0]
    for family in FAMILIES:
        texts, tp, fn, fp = rows[family]
        if not texts:
            continue
        total = [a + b for a, b in zip(total, rows[family], strict=True)]
        print(f"| {family} | {texts} | {tp} | {fn} | {fp} | {ratio(tp, tp + fp)} | "
              f"{ratio(tp, tp + fn)} |")  # fmt: skip
    texts, tp, fn, fp = total
    print(f"| **all** | {texts} | {tp} | {fn} | {fp} | {ratio(tp, tp + fp)} | "
          f"{ratio(tp, tp + fn)} |")  # fmt: skip
    print("\n| confidence | targets | matched a gold target | precision |")
    print("|---|---:|---:|---:|")
    for band, label in (("high", f">= {THRESHOLD}"), ("low", f"< {THRESHOLD}")):
        matched, predicted = by_confidence[band]
        print(f"| {label} | {predicted} | {matched} | {ratio(matched, predicted)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
