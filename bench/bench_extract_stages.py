"""Where the extractor loses targets, by stage, on the development sets (issue 10, sixth round).

For every gold target of every text (required and optional, counted apart) that the extractor's
sheet does not match, and for every target of the sheet that matches no gold target, names the
stage that lost or broke it. The extractor runs in process with its stages observed (the raw
candidates of ``unit_candidates``, the ones ``keep_pledged`` keeps, what ``assemble`` is given),
so the verdict is read from what each stage did, not guessed from the output:

- ``no candidate``: no candidate starts inside the gold span's words (no "number + noun" read);
- ``quantity wrong``: candidates there, none with the gold count;
- ``not a pledge``: a candidate with the gold count, dropped by ``keep_pledged``;
- ``no region``: kept, but no region was found for it (the sheet drops it);
- ``kind`` / ``region`` / ``deadline missing`` / ``deadline wrong``: kept with the gold count but
  that field does not match (several may be named);
- ``merged``: all fields right, but the sheet merged it with another statement.

An extra is ``distractor`` when its number is in one of the text's annotated distractors,
``field wrong`` when a gold target with its count is missed for a field, ``restated`` when a
gold target with its count was matched by another target, else ``unannotated``.

Texts are split into two halves by a hash of their id, balanced per set and publisher family
(``--half A`` / ``--half B`` scores one; the split is printed with ``--list``).

    python bench/bench_extract_stages.py [--sets corpus,devcorpus2] [--half A|B] [-v] [--list]

``--sets`` also takes ``devcorpus3`` (``/work/devcorpus3``, released as development data in the
seventh round); the default stays the two sets the sixth round's split was made on.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_extract_real as real

from pledgegraph.loaders.extraction import pipeline
from pledgegraph.loaders.extraction.targets import Candidate
from pledgegraph.loaders.facts import Quantity
from pledgegraph.loaders.factsheet import dump_factsheet
from pledgegraph.loaders.text import read_article

SETS = {
    "corpus": real.DEFAULT_CORPUS,
    "devcorpus2": Path("/work/devcorpus2"),
    "devcorpus3": Path("/work/devcorpus3"),
}
SCORE = real.DEFAULT_CORPUS / "score.py"


@dataclass
class Text:
    set: str
    family: str
    entry: dict[str, Any]
    path: Path

    @property
    def id(self) -> str:
        return str(self.entry["id"])


def texts(sets: list[str]) -> list[Text]:
    out = []
    for name in sets:
        root = SETS.get(name, Path(name))
        doc = yaml.safe_load((root / "annotations.yaml").read_text(encoding="utf-8"))
        for entry in doc["articles"]:
            path = root / "texts" / f"{entry['id']}.txt"
            if path.exists():
                out.append(Text(name, real.family_of(entry), entry, path))
    return out


def halves(all_texts: list[Text]) -> dict[str, str]:
    """id -> "A" or "B": within each (set, family), texts ordered by a hash of their id, alternating."""
    out: dict[str, str] = {}
    groups: dict[tuple[str, str], list[Text]] = {}
    for t in all_texts:
        groups.setdefault((t.set, t.family), []).append(t)
    for key in sorted(groups):
        ordered = sorted(groups[key], key=lambda t: hashlib.sha256(t.id.encode()).hexdigest())
        for i, t in enumerate(ordered):
            out[t.id] = "AB"[i % 2]
    return out


class Observer:
    """Wraps the pipeline's stage functions for one extraction and keeps what they returned."""

    def __init__(self) -> None:
        self.raw: list[Candidate] = []
        self.kept: list[Candidate] = []
        self._orig = (pipeline.unit_candidates, pipeline.keep_pledged)

    def __enter__(self) -> Observer:
        unit_candidates, keep_pledged = self._orig

        def uc(*args: Any, **kwargs: Any) -> list[Candidate]:
            cands = unit_candidates(*args, **kwargs)
            self.raw.extend(cands)
            return cands

        def kp(*args: Any, **kwargs: Any) -> list[Candidate]:
            kept = keep_pledged(*args, **kwargs)
            self.kept.extend(kept)
            return kept

        pipeline.unit_candidates = uc  # type: ignore[assignment]
        pipeline.keep_pledged = kp  # type: ignore[assignment]
        return self

    def __exit__(self, *exc: object) -> None:
        pipeline.unit_candidates, pipeline.keep_pledged = self._orig


def qty(q: Quantity | None) -> object:
    if q is None:
        return None
    if q.value is not None:
        return q.value
    return (q.minimum, q.maximum) if q.minimum != q.maximum else q.minimum


def span_range(text: str, span: str | None) -> tuple[int, int] | None:
    """Where the gold span's words stand in the text (whitespace-normalised)."""
    words = (span or "").split()
    if not words:
        return None
    m = re.search(r"\s+".join(re.escape(w) for w in words), text)
    return (m.start(), m.end()) if m else None


def numbers_in(s: str) -> set[int]:
    return {int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", s) if n.replace(",", "")}


def analyse(t: Text, scorer: Any) -> dict[str, Any]:
    article = read_article(str(t.path))
    with Observer() as seen:
        sheet = pipeline.extract(article.text, source=real.source_for(article))
    text = article.text
    data = yaml.safe_load(dump_factsheet(sheet)) or {}
    preds = list(scorer.pred_targets(data))
    confidences = [
        float(t.get("confidence") or 0.0)
        for p in data.get("pledges", []) or []
        for t in p.get("targets", []) or []
    ]
    gold = list(scorer.gold_targets(t.entry))
    used: set[int] = set()
    matched_gold: set[int] = set()
    for gi, g in enumerate(gold):
        hit = next((i for i, p in enumerate(preds) if i not in used and scorer.matches(g, p)), None)
        if hit is not None:
            used.add(hit)
            matched_gold.add(gi)
    kept_ids = {id(c) for c in seen.kept}
    misses: list[tuple[str, dict[str, Any], str]] = []
    for gi, g in enumerate(gold):
        if gi in matched_gold:
            continue
        where = span_range(text, g["span"])
        if where is None:
            at = list(seen.raw)  # the span is not in the text as written: any candidate
        else:
            lo, hi = where
            at = [c for c in seen.raw if lo - 2 <= c.np_start <= hi or lo <= c.start <= hi]
        same = [c for c in at if qty(c.quantity) == g["qty"]]
        if not at:
            stage = "no candidate"
        elif not same:
            stage = "quantity wrong"
        else:
            kept = [c for c in same if id(c) in kept_ids]
            if not kept:
                stage = "not a pledge"
            elif all(c.region is None for c in kept):
                stage = "no region"
            else:
                c = next(c for c in kept if c.region is not None)
                wrong = []
                if c.head.entry.kind not in g["kinds"]:
                    wrong.append("kind")
                codes = {c.region.lower(), c.region.split("-")[0].lower()}
                gaz_code = next(
                    (p["codes"] for p in preds if p["qty"] == g["qty"] and p["codes"]), set()
                )
                if not (g["codes"] & (codes | gaz_code)):
                    wrong.append("region")
                if g["year_required"]:
                    year = c.deadline.year if c.deadline else None
                    if year is None:
                        wrong.append("deadline missing")
                    elif year != g["year"]:
                        wrong.append("deadline wrong")
                stage = " + ".join(wrong) or "merged"
        kind = "optional" if g["optional"] else "required"
        misses.append((kind, g, stage))
    distractor_numbers: set[int] = set()
    for d in t.entry.get("distractors") or []:
        distractor_numbers |= numbers_in(str(d))
    missed_q = {repr(g["qty"]) for gi, g in enumerate(gold) if gi not in matched_gold}
    matched_q = {repr(g["qty"]) for gi, g in enumerate(gold) if gi in matched_gold}
    extras: list[tuple[str, dict[str, Any]]] = []
    for i, p in enumerate(preds):
        if i in used:
            continue
        q = p["qty"]
        if repr(q) in missed_q:
            stage = "field wrong"
        elif repr(q) in matched_q:
            stage = "restated"
        elif isinstance(q, int) and q in distractor_numbers:
            stage = "distractor"
        else:
            stage = "unannotated"
        extras.append((stage, p))
    # Counts no governor took (a "number + noun" the generator read but no verb, list or goal
    # noun governs): would a broader generator that keeps them in pledging units gain anything?
    open_counts: list[str] = []
    req_q = {repr(g["qty"]) for g in gold if not g["optional"]}
    opt_q = {repr(g["qty"]) for g in gold if g["optional"]}
    for c in seen.raw:
        if c.governor != "none" or c.form not in ("number", "range"):
            continue
        u = c.unit
        where = "pledging" if (u.cue or (u.lead is not None and u.lead.cue)) else "other"
        q = repr(qty(c.quantity))
        label = "required" if q in req_q else "optional" if q in opt_q else "no gold"
        open_counts.append(f"{where}/{label}")
    required = [g for g in gold if not g["optional"]]
    tp = sum(1 for gi in matched_gold if not gold[gi]["optional"])
    return {
        "tp": tp,
        "fn": len(required) - tp,
        "fp": len(extras),
        "misses": misses,
        "extras": extras,
        "open": open_counts,
        "bands": [(confidences[i] >= real.THRESHOLD, i in used) for i in range(len(preds))],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", default="corpus,devcorpus2")
    parser.add_argument("--half", choices=("A", "B"), default=None)
    parser.add_argument("--list", action="store_true", help="print the split and exit")
    parser.add_argument("-v", action="store_true", help="each miss and extra, per text")
    args = parser.parse_args()
    names = [n for n in args.sets.split(",") if n]
    missing = [n for n in names if not (SETS.get(n, Path(n)) / "annotations.yaml").is_file()]
    if missing or not SCORE.is_file():
        print(
            f"sets not found: {missing or SCORE}; nothing measured (they live outside the project)"
        )
        return 0
    scorer = real.load_scorer(SCORE)
    all_texts = texts(names)
    split = halves(all_texts)
    if args.list:
        for t in all_texts:
            print(f"{split[t.id]} {t.set} {t.family} {t.id}")
        return 0
    chosen = [t for t in all_texts if args.half is None or split[t.id] == args.half]
    tp = fn = fp = 0
    stages: Counter[tuple[str, str]] = Counter()
    extra_stages: Counter[str] = Counter()
    open_counts: Counter[str] = Counter()
    bands = {True: [0, 0], False: [0, 0]}  # confidence >= 0.8 or not: [matched, output]
    for t in chosen:
        r = analyse(t, scorer)
        tp, fn, fp = tp + r["tp"], fn + r["fn"], fp + r["fp"]
        for kind, _g, stage in r["misses"]:
            stages[(kind, stage)] += 1
        for stage, _p in r["extras"]:
            extra_stages[stage] += 1
        open_counts.update(r["open"])
        for high, matched in r["bands"]:
            bands[high][0] += matched
            bands[high][1] += 1
        if args.v and (r["misses"] or r["extras"]):
            print(f"{t.id} [{split[t.id]}] tp={r['tp']} fn={r['fn']} fp={r['fp']}")
            for kind, g, stage in r["misses"]:
                print(f"  {kind} miss ({stage}): {sorted(g['kinds'])} {g['qty']} {g['year']}"
                      f" <- {g['span']}")  # fmt: skip
            for stage, p in r["extras"]:
                print(f"  extra ({stage}): {p['kind']} {p['qty']} {p['year']} {sorted(p['codes'])}")
    half = f" --half {args.half}" if args.half else ""
    print(f"\n`python bench/bench_extract_stages.py --sets {args.sets}{half}`: "
          f"{len(chosen)} texts, tp {tp} / fn {fn} / fp {fp}, "
          f"P {real.ratio(tp, tp + fp)} / R {real.ratio(tp, tp + fn)}\n")  # fmt: skip
    order = [
        "no candidate",
        "quantity wrong",
        "not a pledge",
        "no region",
    ]
    for high in (True, False):
        matched, output = bands[high]
        print(f"confidence {'>=' if high else '<'} {real.THRESHOLD}: {output} targets, "
              f"{matched} match a gold target ({real.ratio(matched, output)})")  # fmt: skip
    print()
    print("| stage that lost the gold target | required | optional |")
    print("|---|---:|---:|")
    names_seen = order + sorted({s for _k, s in stages} - set(order))
    for stage in names_seen:
        req, opt = stages[("required", stage)], stages[("optional", stage)]
        if req or opt:
            print(f"| {stage} | {req} | {opt} |")
    print(f"| **all missed** | {sum(v for (k, _s), v in stages.items() if k == 'required')} | "
          f"{sum(v for (k, _s), v in stages.items() if k == 'optional')} |")  # fmt: skip
    print("\n| why an output target matched nothing | targets |")
    print("|---|---:|")
    for stage in ("field wrong", "restated", "distractor", "unannotated"):
        if extra_stages[stage]:
            print(f"| {stage} | {extra_stages[stage]} |")
    print(f"| **all extras** | {sum(extra_stages.values())} |")
    print("\n| counts no governor took, in units that | its count is a required gold count |"
          " an optional one | no gold count |")  # fmt: skip
    print("|---|---:|---:|---:|")
    for where in ("pledging", "other"):
        cells = [open_counts[f"{where}/{label}"] for label in ("required", "optional", "no gold")]
        print(f"| {'pledge' if where == 'pledging' else 'pledge nothing'} | "
              + " | ".join(map(str, cells)) + " |")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
