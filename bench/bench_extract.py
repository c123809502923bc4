"""Benchmark of the article extractor: articles per second on one core, and peak memory.

Generates a few thousand varied articles from templates (seeded, so every run reads the same
text), times :func:`pledgegraph.loaders.extraction.extract` over all of them five times, and prints
the median rate as a Markdown table row, with peak memory (tracemalloc over one pass, and the
process's maximum resident set size) and the command that made it.

    python bench/bench_extract.py [--articles 3000] [--seed 7]
"""

from __future__ import annotations

import argparse
import platform
import random
import resource
import statistics
import sys
import time
import tracemalloc

from pledgegraph.loaders.extraction import extract
from pledgegraph.loaders.facts import PartialDate, Source

PROVINCES = [
    "Hebei", "Guizhou", "Hunan", "Zhejiang", "Jiangsu", "Guangdong", "Sichuan", "Shandong",
    "Anhui", "Fujian", "Hubei", "Henan", "Yunnan", "Shaanxi", "Liaoning", "Jiangxi", "Hainan",
]  # fmt: skip
MUNICIPALITIES = ["Beijing", "Shanghai", "Tianjin", "Chongqing"]
CITIES = ["Shenzhen", "Hangzhou", "Nanjing", "Chengdu", "Wuhan", "Xiamen", "Qingdao", "Hefei"]
COUNTRIES = ["South Korea", "Germany", "India", "France", "Singapore", "Japan", "Brazil"]
SECTORS = ["blockchain", "artificial intelligence", "big data", "semiconductor", "5G",
           "quantum", "fintech", "cloud computing", "new energy", "robotics"]  # fmt: skip
NOUNS = {
    "firms": ["firms", "companies", "enterprises", "start-ups"],
    "parks": ["industrial parks", "parks", "clusters", "incubators", "demonstration zones"],
    "brands": ["brands"],
    "applications": ["applications", "application scenarios", "pilot projects", "products"],
    "funds": ["funds", "guidance funds"],
    "research_centres": ["research centres", "laboratories", "innovation centres", "institutes"],
    "platforms": ["platforms", "public service platforms", "data centres"],
    "standards": ["industry standards", "standards"],
    "alliances": ["alliances", "industry alliances"],
}
SINGULAR = {"funds": "fund", "alliances": "alliance", "platforms": "platform",
            "research_centres": "research centre", "talent": "talent programme"}  # fmt: skip
VERBS = ["build", "create", "foster", "nurture", "cultivate", "establish", "set up", "launch",
         "attract", "develop"]  # fmt: skip
WORDS = ["two", "three", "four", "five", "six", "eight", "ten", "twelve", "twenty", "fifty"]
QUALIFIERS = ["leading", "key", "world-class", "national-level", "innovative", ""]
FILLER = [
    "Officials did not say how the programme would be financed.",
    "The announcement was made at a press briefing on {weekday}.",
    "Analysts said the goals were in line with national policy.",
    "The local economy grew {pct} percent last year, according to the statistics bureau.",
    "Industry groups welcomed the move, saying it would bring clarity to investors.",
    "The region has long been known for heavy industry and agriculture.",
    "Similar plans have been published elsewhere in the country in recent months.",
]
DISTRACTORS = [
    "There are now {n} {sector} companies registered in {region}, up from {m} a year earlier.",
    "{region}'s {sector} industry had revenue of {n} billion yuan in {past}.",
    "In {past}, {region} had {n} {sector} firms and {m} dedicated parks.",
    "The plan expects the sector's output to reach {n} billion yuan by {year}.",
    "{region} set up {m} industrial parks in {past} and launched a fund the following year.",
]


def _quantity(rng: random.Random) -> str:
    n = rng.randint(2, 300)
    form = rng.randrange(9)
    if form == 0:
        return rng.choice(WORDS)
    if form == 1:
        low = rng.randint(1, 5)
        return f"{low}-{low + rng.randint(1, 4)}"
    if form == 2:
        return f"{rng.choice(['some', 'about', 'around', 'roughly', 'nearly'])} {n}"
    if form == 3:
        return f"{rng.choice(['at least', 'more than', 'over', 'no fewer than', 'up to'])} {n}"
    if form == 4:
        return rng.choice(["a number of", "a batch of", "several", "a raft of"])
    if form == 5:
        return f"{n:,}" if n > 999 else str(n * 10)
    if form == 6:
        return f"between {rng.choice(WORDS[:3])} and {rng.choice(WORDS[3:6])}"
    return str(n)


def _deadline(rng: random.Random, year: int) -> str:
    target = year + rng.randint(1, 5)
    return rng.choice(
        [
            f"by {target}",
            f"by the end of {target}",
            f"in {target}",
            "within three years",
            "in the next five years",
            "in the same time period",
            f"before {target}",
        ]
    )


def _target(rng: random.Random) -> str:
    kind = rng.choice(list(NOUNS))
    sector = rng.choice(SECTORS)
    if kind in SINGULAR and rng.random() < 0.4:
        return f"{rng.choice(['a', 'an additional', 'one'])} {sector} {SINGULAR[kind]}"
    qualifier = rng.choice(QUALIFIERS)
    return f"{_quantity(rng)} {qualifier} {sector} {rng.choice(NOUNS[kind])}".replace("  ", " ")


def _region(rng: random.Random) -> str:
    pool = rng.choice([PROVINCES, MUNICIPALITIES, CITIES, COUNTRIES])
    return rng.choice(pool)


def _pledge_sentence(rng: random.Random, region: str, year: int) -> str:
    verb = rng.choice(VERBS)
    first = _target(rng)
    second = _target(rng)
    forms = [
        f"{region} will {verb} {first} {_deadline(rng, year)}.",
        f"{region} has pledged to {verb} {first} and {rng.choice(VERBS)} {second} "
        f"{_deadline(rng, year)}.",
        f"The province also aims to {verb} {first}, as well as {second}.",
        f"Under the plan, {region} vowed to {verb} {first} {_deadline(rng, year)}, officials said.",
        f"The city said it would {verb} {first} {_deadline(rng, year)}.",
        f"{region} and {_region(rng)} made similar pledges, with the former vowing to {verb} "
        f"{first} {_deadline(rng, year)}.",
    ]
    return rng.choice(forms)


def make_article(rng: random.Random) -> tuple[str, PartialDate]:
    year = rng.randint(2018, 2024)
    region = _region(rng)
    sector = rng.choice(SECTORS)
    parts = [f"{region} Unveils {sector.title()} Plan With Ambitious Goals", ""]
    parts.append(
        f"{region} has released a three-year {sector} development plan, the local government "
        f"said on {rng.choice(['Monday', 'Tuesday', 'Friday'])}."
    )
    for _ in range(rng.randint(3, 6)):
        paragraph = [_pledge_sentence(rng, region, year)]
        if rng.random() < 0.6:
            paragraph.append(
                rng.choice(DISTRACTORS).format(
                    n=rng.randint(5, 900),
                    m=rng.randint(2, 9),
                    sector=sector,
                    region=region,
                    past=year - rng.randint(1, 3),
                    year=year + 3,
                )
            )
        for filler in rng.sample(FILLER, rng.randint(1, 3)):
            paragraph.append(filler.format(weekday="Monday", pct=rng.randint(2, 9)))
        parts.append("")
        parts.append(" ".join(paragraph))
    if rng.random() < 0.5:
        parts += ["", f"Its goals for the end of {year + 3} are the following:", ""]
        for _ in range(rng.randint(2, 5)):
            parts.append(f"- {rng.choice(VERBS)} {_target(rng)}")
    if rng.random() < 0.3:
        parts += ["", "Related:", f"- {_region(rng)} to build {rng.randint(2, 20)} parks by 2021"]
    return "\n".join(parts) + "\n", PartialDate(year, rng.randint(1, 12))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    corpus = [make_article(rng) for _ in range(args.articles)]
    sources = [Source(url=f"urn:bench:{i}", published=date) for i, (_, date) in enumerate(corpus)]
    chars = sum(len(text) for text, _ in corpus)
    extract(corpus[0][0], source=sources[0])  # vocabularies load once, outside the timing

    rates = []  # per CPU second of this process: one core, whatever else the machine runs
    walls = []
    targets = 0
    for _ in range(args.runs):
        start, wall = time.process_time(), time.perf_counter()
        targets = 0
        for (text, _), source in zip(corpus, sources, strict=True):
            sheet = extract(text, source=source)
            targets += sum(len(p.targets) for p in sheet.pledges)
        rates.append(len(corpus) / (time.process_time() - start))
        walls.append(len(corpus) / (time.perf_counter() - wall))
    rate = statistics.median(rates)

    tracemalloc.start()
    for (text, _), source in zip(corpus[:500], sources, strict=False):
        extract(text, source=source)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux

    command = "python bench/bench_extract.py " + " ".join(sys.argv[1:] if argv is None else argv)
    print("| articles | avg chars | targets/article | articles/s, one core (median of "
          f"{args.runs}) | chars/s | peak traced (500 articles) | max RSS | Python |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|")
    print(
        f"| {len(corpus)} | {chars / len(corpus):.0f} | {targets / len(corpus):.1f} "
        f"| {rate:.0f} | {rate * chars / len(corpus) / 1e3:.0f} k | {peak / 2**20:.1f} MiB "
        f"| {rss:.0f} MiB | {platform.python_version()} |"
    )
    print(f"\ncommand: {command.strip()}")
    print(f"runs (articles per CPU second): {', '.join(f'{r:.0f}' for r in rates)}")
    print(f"runs (articles per wall-clock second): {', '.join(f'{r:.0f}' for r in walls)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
