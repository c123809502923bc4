"""Generate synthetic fact sheets, and the same data as N-Triples and N-Quads.

    python bench/generate.py --size 100k          # -> bench/data/100k/
    python bench/generate.py --size 1m --seed 7   # -> bench/data/1m/

Seeded and deterministic. Each sheet is a realistic ``*.pledges.yaml`` in the documented format
(one source, 2-20 pledges for Chinese provinces and cities from ``ontology/regions.csv`` and for
countries and their subdivisions, 1-8 targets each of every kind, exact / range / approximate /
bound / null quantities, deadlines 2020-2030, spans, confidences). Sheets are written until the
data holds about the requested number of distinct triples.

The RDF files are made *from the written YAML*, through the library itself
(``parse_factsheet`` -> ``source_nquads`` + ``reference_nquads``), so they hold exactly what
loading the sheets writes:

- ``all.nq``: the distinct quads (one named graph per source, plus the shared reference graph):
  what ``Store.load_factsheet`` leaves in a store opened with ``initialise=False``;
- ``all.nt``: the distinct triples of those quads (graph names dropped; a triple repeated across
  sources, such as a shared publisher, appears once);
- ``meta.json``: counts (sheets, pledges, targets, triples, quads, bytes) and the seed.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import shutil
import sys
import time
from pathlib import Path

from pledgegraph.loaders.factsheet import parse_factsheet
from pledgegraph.loaders.rdf import reference_nquads, source_nquads
from pledgegraph.loaders.regions import gazetteer
from pledgegraph.ontology import TARGET_KINDS, resource

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DATA = BENCH / "data"
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}

# Countries and subdivisions the gazetteer knows from pycountry.
FOREIGN = ["DE", "US", "FR", "GB", "JP", "KR", "SG", "IN", "US-CA", "US-NY", "DE-BY", "FR-IDF"]
FOREIGN_NAMES = ["Germany", "United States", "France", "Japan", "South Korea", "Singapore"]
SECTORS = ["blockchain"] * 6 + ["ai", "big_data", "cloud_computing", "5g", "iot", "fintech"]
PUBLISHERS = [
    "Xinhua",
    "China Daily",
    "Caixin",
    "South China Morning Post",
    "Cryptonews",
    "CoinDesk",
    "The Block",
    "Shanghai Securities News",
    "Securities Times",
    "21st Century Business Herald",
    "People's Daily",
    "Global Times",
    "Reuters",
    "Bloomberg",
    "Nikkei Asia",
    "Handelsblatt",
    "Les Echos",
    "The Korea Herald",
    "Straits Times",
    "Economic Times",
]
AUTHORITIES = [
    "provincial government",
    "municipal people's government",
    "development and reform commission",
    "department of industry and information technology",
    "big data development bureau",
    "information technology office of the provincial party committee",
    "science and technology department",
    "Ministry of Economic Affairs",
]
PLANS = [
    "Three-year blockchain development plan",
    "Action plan for the digital economy",
    "Five-year plan for new infrastructure",
    "Blockchain industry cultivation programme",
    "Smart city pilot programme",
    "Plan for an innovation demonstration zone",
]
QUALIFIERS = ["leading", "locally based", "nationally recognised", "world-class", "key", "new"]
ADJECTIVES = ["innovative", "flagship", "demonstration", "pilot", "industrial", "high-tech"]
KIND_WORDS = {
    "firms": "firms",
    "parks": "industry parks",
    "brands": "brands",
    "applications": "applications",
    "funds": "investment funds",
    "talent": "talent programmes",
    "alliances": "alliances",
    "research_centres": "research centres",
    "platforms": "service platforms",
    "standards": "standards",
    "other": "supporting measures",
}
# Weights of the target kinds: firms and parks are the common ones.
KIND_WEIGHTS = [6, 5, 2, 3, 2, 2, 1, 2, 2, 1, 4]
assert len(KIND_WEIGHTS) == len(TARGET_KINDS)


def _cn_regions() -> list[tuple[str, str, str]]:
    """(key, English name, Chinese name) of the bundled Chinese provinces and cities."""
    with resource("regions.csv").open(encoding="utf-8", newline="") as handle:
        return [
            (row["key"], row["name_en"], row["name_zh"])
            for row in csv.DictReader(handle)
            # (London's rows, added 2026-12-04, left out: the generated sets, and the answers
            # recorded on them in tests/golden, stay as they were)
            if row["key"] != "CN" and not row["key"].startswith("GB-")
        ]


def _scalar(text: str) -> str:
    """A YAML scalar: plain when obviously safe, else a JSON (= YAML double-quoted) string."""
    safe = (
        text
        and text[0].isalpha()
        and text.isascii()
        and all(c.isalnum() or c in " ,.'()-" for c in text)
        and text.lower() not in ("yes", "no", "on", "off", "true", "false", "null", "y", "n")
    )
    return text if safe else json.dumps(text, ensure_ascii=False)


class SheetMaker:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.cn = _cn_regions()
        self.names = {key: name for key, name, _ in self.cn}
        places = gazetteer()
        self.names.update({key: places.get(key).name_en for key in FOREIGN})

    def region(self) -> tuple[str, str]:
        """(what the sheet says, English name): mostly codes, sometimes names."""
        r = self.rng.random()
        if r < 0.75:
            key, name_en, name_zh = self.rng.choice(self.cn)
            roll = self.rng.random()
            if roll < 0.8:
                return key, name_en
            return (name_en if roll < 0.9 else name_zh), name_en
        if r < 0.95:
            key = self.rng.choice(FOREIGN)
            return key, self.names[key]
        name = self.rng.choice(FOREIGN_NAMES)
        return name, name

    def date(self, first: int, last: int, *, precisions: tuple[float, float]) -> str:
        """YYYY (as a number), YYYY-MM (text) or YYYY-MM-DD (a YAML date)."""
        year = self.rng.randint(first, last)
        r = self.rng.random()
        if r < precisions[0]:
            return str(year)
        month = self.rng.randint(1, 12)
        if r < precisions[0] + precisions[1]:
            return f"{year}-{month:02d}"
        return f"{year}-{month:02d}-{self.rng.randint(1, 28):02d}"

    def deadline(self) -> str:
        """A deadline 2020-2030: mostly a year, sometimes a full date (mixed within a sheet)."""
        return self.date(2020, 2030, precisions=(0.9, 0.0))

    def quantity(self) -> list[str]:
        rng = self.rng
        r = rng.random()
        value = max(1, int(rng.lognormvariate(2.0, 1.4)))
        if r < 0.45:
            return [f"quantity: {value}"]
        if r < 0.60:
            return [f"quantity: [{value}, {value + rng.randint(0, 3 * value + 2)}]"]
        if r < 0.70:
            return [f"quantity: {value}", "approximate: true"]
        if r < 0.80:
            return [f"quantity: {value}", f"bound: {rng.choice(['min', 'max'])}"]
        return ["quantity: null"]

    def target(self, region_name: str, sector: str, offset: list[int]) -> list[str]:
        rng = self.rng
        kind = rng.choices(TARGET_KINDS, weights=KIND_WEIGHTS)[0]
        lines = [f"kind: {kind}", *self.quantity()]
        if rng.random() < 0.3:
            lines.append(f"qualifier: {_scalar(rng.choice(QUALIFIERS))}")
        if rng.random() < 0.6:
            adjective = rng.choice(ADJECTIVES)
            text = f"{adjective.capitalize()} {sector.replace('_', ' ')} {KIND_WORDS[kind]} in {region_name}."
            lines.append(f"description: {_scalar(text)}")
        if rng.random() < 0.1:
            lines.append(f"sector: {rng.choice(SECTORS)}")
        if rng.random() < 0.15:
            lines.append(f"deadline: {self.deadline()}")
        if rng.random() < 0.7:
            start = offset[0] + rng.randint(2, 200)
            end = start + rng.randint(20, 160)
            offset[0] = end
            lines.append(f"span: [{start}, {end}]")
        if rng.random() < 0.3:
            lines.append(f"confidence: {rng.randint(50, 99) / 100}")
        return lines

    def pledge(self, offset: list[int]) -> list[str]:
        rng = self.rng
        said, name = self.region()
        sector = rng.choice(SECTORS)
        lines = [f"region: {_scalar(said)}"]
        if rng.random() < 0.6:
            lines.append(f"authority: {_scalar(name + ' ' + rng.choice(AUTHORITIES))}")
        if rng.random() < 0.5:
            lines.append(f"plan: {_scalar(rng.choice(PLANS))}")
        if rng.random() < 0.7:
            lines.append(f"description: {_scalar(f'{name} pledges on {sector} (synthetic).')}")
        if rng.random() < 0.6:
            lines.append(f"announced: {self.date(2017, 2024, precisions=(0.2, 0.6))}")
        if rng.random() < 0.85:
            lines.append(f"deadline: {self.deadline()}")
        if rng.random() < 0.9:
            lines.append(f"sector: {sector}")
        lines.append("targets:")
        out = ["  - " + lines[0], *("    " + line for line in lines[1:])]
        for _ in range(rng.randint(1, 8)):
            target = self.target(name, sector, offset)
            out.append("      - " + target[0])
            out.extend("        " + line for line in target[1:])
        return out

    def sheet(self, number: int) -> str:
        rng = self.rng
        publisher = rng.choice(PUBLISHERS)
        slug = publisher.lower().replace(" ", "-").replace("'", "")
        lines = [
            f"# Synthetic fact sheet {number} (bench/generate.py; not real pledges).",
            "source:",
            f"  url: https://news.example.org/{slug}/{number}-{rng.randrange(10**6):06d}",
        ]
        if rng.random() < 0.7:
            lines.append(f"  key: syn-{number:05d}")
        lines.append(f"  title: {_scalar(f'Regions pledge technology targets ({number})')}")
        lines.append(f"  publisher: {_scalar(publisher)}")
        if rng.random() < 0.8:
            lines.append(f"  published: {self.date(2018, 2024, precisions=(0.05, 0.15))}")
        if rng.random() < 0.3:
            lines.append(f"  reported_via: {_scalar(rng.choice(PUBLISHERS))}")
        if rng.random() < 0.5:
            lines.append(f"  text_sha256: {rng.randbytes(32).hex()}")
        lines.append("pledges:")
        offset = [rng.randint(0, 400)]
        for _ in range(rng.randint(2, 20)):
            lines.extend(self.pledge(offset))
        return "\n".join(lines) + "\n"


def _triple(quad_line: str) -> str:
    """An N-Quads line of our writer (graph last) -> the N-Triples line."""
    head, _, _graph = quad_line.rstrip(" .\n").rpartition(" <")
    return head + " .\n"


def generate(size: str, seed: int, out: Path) -> dict[str, object]:
    wanted = SIZES[size]
    if out.exists():
        shutil.rmtree(out)
    sheets_dir = out / "sheets"
    sheets_dir.mkdir(parents=True)
    maker = SheetMaker(random.Random(f"pledgegraph-bench-{seed}-{size}"))
    triples: dict[str, None] = {}
    reference: dict[str, None] = {}
    source_quads: list[str] = []
    started = time.perf_counter()
    number = pledges = targets = yaml_bytes = 0
    while len(triples) < wanted:
        number += 1
        text = maker.sheet(number)
        path = sheets_dir / f"{number:05d}.pledges.yaml"
        path.write_text(text, encoding="utf-8")
        yaml_bytes += len(text.encode("utf-8"))
        sheet = parse_factsheet(text, path=str(path))  # the library reads what we wrote
        pledges += len(sheet.pledges)
        targets += sum(len(p.targets) for p in sheet.pledges)
        own = list(dict.fromkeys(source_nquads(sheet)))  # distinct quads of this sheet's graph
        source_quads.extend(own)
        for line in own:
            triples.setdefault(_triple(line), None)
        for line in reference_nquads(sheet):
            if line not in reference:
                reference[line] = None
                triples.setdefault(_triple(line), None)
    with (out / "all.nq").open("w", encoding="utf-8") as handle:
        handle.writelines(source_quads)
        handle.writelines(reference)
    with (out / "all.nt").open("w", encoding="utf-8") as handle:
        handle.writelines(triples)
    meta: dict[str, object] = {
        "size": size,
        "seed": seed,
        "fingerprint": fingerprint(),
        "sheets": number,
        "pledges": pledges,
        "targets": targets,
        "triples": len(triples),
        "quads": len(source_quads) + len(reference),
        "yaml_bytes": yaml_bytes,
        "nt_bytes": (out / "all.nt").stat().st_size,
        "nq_bytes": (out / "all.nq").stat().st_size,
        "generate_s": round(time.perf_counter() - started, 1),
    }
    (out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return meta


def without_index(path: Path) -> Path:
    """A copy of the N-Triples or N-Quads file ``path`` without the row index quads
    (``data-only/<name>``: the same file name, so the same graph), made once: what a user's RDF file holds. ``load`` refuses a file
    that writes pledgegraph's own index and computes the rows itself, so the library's
    ``load_rdf`` is measured on this copy (raw ``bulk_load`` keeps the whole file: the same
    quads the store ends with)."""
    from pledgegraph.loaders.rdf import ROW_PREDICATES

    copy = path.parent / "data-only" / path.name
    copy.parent.mkdir(exist_ok=True)
    if copy.exists() and copy.stat().st_mtime >= path.stat().st_mtime:
        return copy
    index = {f"<{p}>" for p in ROW_PREDICATES}
    partial = copy.with_name(copy.name + ".part")
    with path.open(encoding="utf-8") as source, partial.open("w", encoding="utf-8") as out:
        for line in source:
            parts = line.split(" ", 2)
            if len(parts) < 2 or parts[1] not in index:
                out.write(line)
    partial.replace(copy)
    return copy


def fingerprint() -> str:
    """A hash of what decides the generated data: this script, the loaders, the regions table.

    The RDF files are the library's output for the sheets, so they are made again whenever the
    fact-sheet reader or the RDF writer changes.
    """
    digest = hashlib.sha256()
    files = [
        Path(__file__),
        *sorted((ROOT / "loaders").glob("*.py")),
        ROOT / "ontology" / "regions.csv",
    ]
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def ensure(size: str, seed: int = 1, *, force: bool = False) -> dict[str, object]:
    """The data of ``size``: generated unless there with the same seed and code fingerprint.

    Holds a lock file meanwhile, so benchmarks started together never generate it twice.
    """
    import fcntl

    out = DATA / size
    meta_path = out / "meta.json"
    DATA.mkdir(parents=True, exist_ok=True)
    with (DATA / f".{size}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not force and meta_path.exists():
            meta: dict[str, object] = json.loads(meta_path.read_text(encoding="utf-8"))
            if meta.get("seed") == seed and meta.get("fingerprint") == fingerprint():
                return meta
        print(f"  generating the {size} data set ...", file=sys.stderr)
        return generate(size, seed, out)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="Writes bench/data/SIZE/ (sheets/, all.nt, all.nq, meta.json) in this checkout. "
        "Some sheets break a rule on purpose (a deadline before the announcement), as real "
        "ones do: load them with 'pledgegraph load --lenient bench/data/SIZE/sheets', or about "
        "half are refused.",
    )
    parser.add_argument(
        "--size",
        choices=sorted(SIZES),
        action="append",
        required=True,
        help="about how many triples",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--force", action="store_true", help="regenerate even if present")
    args = parser.parse_args()
    for size in args.size:
        meta = ensure(size, args.seed, force=args.force)
        json.dump(meta, sys.stdout)
        print()


if __name__ == "__main__":
    main()
