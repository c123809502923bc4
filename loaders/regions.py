"""The gazetteer: region names and codes -> region keys.

Chinese provincial-level divisions and major cities come from the bundled ``regions.csv``
(built from the checked reference table); countries and other countries' subdivisions come from
pycountry (ISO 3166-1 and ISO 3166-2). A region key is its ISO code (``CN-HE``, ``DE``,
``US-CA``), or ``<province code>/<slug>`` for a city (``CN-ZJ/ningbo``).
"""

from __future__ import annotations

import contextlib
import csv
import difflib
import os
import re
import time
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from pledgegraph import ontology

_GENERIC = re.compile(
    r"\b(provinces|province|provincial|municipality|municipal|city|autonomous region|region|"
    r"special administrative region|sar|sheng|shi|government|of)\b"
)
#: Words of government around a city's name in an authority's name (``named_inside``).
_GOVERNMENT = re.compile(
    r"\b(people(?:'s| s)? government|the|of|city|municipal|municipality|government|shi|administration|"
    r"administrative|committee|new area)\b"
)
_GOVERNMENT_LIGHT = re.compile(
    r"\b(people(?:'s| s)? government|municipal|municipality|provincial|government|"
    r"administration|administrative|committee|corporation)\b"
)
_LOCAL_GOVERNMENT = re.compile(
    r"\b(municipal|municipality|provincial|people(?:'s| s)? government)\b"
)
_LEADING_OF_THE = re.compile(r"^(?:(?:of|the)\s+)+")
_GOVERNMENT_ZH = re.compile(r"(人民政府|政府|管理委员会|管委会)$")
_POSSESSIVE = re.compile(r"(?<=\w)'s\b")
_CODE = re.compile(r"^[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?$")


@dataclass(frozen=True, slots=True)
class Region:
    """One region the gazetteer knows."""

    key: str
    name_en: str
    name_zh: str | None = None
    iso_code: str | None = None
    type: str = "Region"
    part_of: str | None = None
    wikidata: str | None = None  # QID, e.g. "Q21208"
    geonames: str | None = None  # GeoNames feature id
    alt_names: tuple[str, ...] = field(default_factory=tuple)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(n for n in (self.name_en, self.name_zh, *self.alt_names) if n)


def normalise(name: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a name, used for matching."""
    if name.isascii():  # (no decomposition, no combining marks: the gazetteer's most names)
        text = name.casefold()
    else:
        text = unicodedata.normalize("NFKD", name)
        text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = text.replace("’", "'").replace("‘", "'").replace("ʼ", "'").replace("the ", " ")
    text = re.sub(r"[^\w']+", " ", text)
    return " ".join(text.split())


class Gazetteer:
    """Look regions up by key, ISO code or name (English, Chinese, short forms)."""

    def __init__(self, regions: list[Region]) -> None:
        self._by_key: dict[str, Region] = {}
        self._by_name: dict[str, str] = {}
        self._primary: list[str] = []  # names of the bundled table and of countries
        self._children: dict[str, list[Region]] | None = None  # built on first use
        # key -> named_inside's table: the names of the cities inside it (None: two share one)
        self._inside: dict[str, dict[str, Region | None]] = {}
        self._named: dict[tuple[str, str], Region | None] = {}  # named_inside's answers
        for region in regions:
            self._by_key.setdefault(region.key, region)
        # the regions a name also belongs to, behind the one it resolves to ("Montana": the
        # US state, and Bulgaria's province behind it)
        self._shadowed: dict[str, list[str]] = {}
        # Names: the table's own names first, so pycountry never shadows them.
        for region in regions:
            for name in region.names:
                owner = self._by_name.setdefault(normalise(name), region.key)
                if owner != region.key and region.type != "Country" and region.part_of:
                    self._shadowed.setdefault(normalise(name), []).append(region.key)
                if (
                    region.iso_code is None
                    or region.type == "Country"
                    or region.key.startswith("CN")
                ):
                    self._primary.append(normalise(name))
                bare = _GENERIC.sub(" ", normalise(name)).strip()
                if bare and " ".join(bare.split()) != normalise(name):
                    self._by_name.setdefault(" ".join(bare.split()), region.key)

    def __contains__(self, key: str) -> bool:
        return key in self._by_key

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._by_key.values())

    def __len__(self) -> int:
        return len(self._by_key)

    def get(self, key: str) -> Region:
        """The region with this key; ``KeyError`` if unknown."""
        return self._by_key[key]

    def shadowed(self, key: str) -> list[Region]:
        """The other countries' subdivisions that share a name with ``key``'s region and lost
        it to it (for "Montana" the US state: Bulgaria's province)."""
        region = self._by_key.get(key)
        if region is None:
            return []
        found = {k for name in region.names for k in self._shadowed.get(normalise(name), ())}
        return [self._by_key[k] for k in sorted(found) if k != key]

    def resolve(self, text: str) -> Region | None:
        """The region a code or name denotes, or ``None``."""
        text = text.strip()
        if not text:
            return None
        if text in self._by_key:
            return self._by_key[text]
        if len(text) <= 3 and text.upper() in _SAME_PLACE:
            return self._by_key.get(_SAME_PLACE[text.upper()])
        if _CODE.match(text) and text.upper() in self._by_key:
            return self._by_key[text.upper()]
        if "/" in text:
            head, _, tail = text.partition("/")
            candidate = f"{head.upper()}/{tail.lower()}"
            if candidate in self._by_key:
                return self._by_key[candidate]
        norm = normalise(text)
        key = self._by_name.get(norm)
        if key is None:
            bare = " ".join(_GENERIC.sub(" ", norm).split())
            key = self._by_name.get(bare) if bare else None
        return self._by_key[key] if key else None

    def closest(self, text: str, n: int = 3) -> list[str]:
        """Known names closest to ``text``, for "did you mean" hints."""
        found = difflib.get_close_matches(normalise(text), self._primary, n=n, cutoff=0.7)
        if not found:
            found = difflib.get_close_matches(normalise(text), list(self._by_name), n=n, cutoff=0.7)
        return list(dict.fromkeys(self._by_key[self._by_name[name]].name_en for name in found))

    def named_inside(self, key: str, authority: str) -> Region | None:
        """The city (a region of the bundled table without an ISO code of its own, such as
        ``CN-SC/chengdu``) inside ``key`` that ``authority`` names, or ``None``.

        The authority must be the city's name and nothing else but words of government and,
        in front, the name of ``key`` or a region it lies in: ``Chengdu``, ``Chengdu Municipal
        Government``, ``the government of Chengdu``, ``People's Government of Chengdu
        Municipality``, ``Chengdu's government``, ``成都市``, ``成都市人民政府``,
        ``四川省成都市人民政府``, ``雄安新区管理委员会``. Any other word keeps the pledge where
        it is (``Chengdu Railway Bureau``, ``Shanghai Cooperation Organisation``, ``Washington
        Post``: an outside attack found these filed under a place when a name that merely began
        with it was enough), and so does a name two cities inside ``key`` share.
        """
        asked = (key, authority)
        if asked in self._named:  # (a batch of sheets names the same authorities again and again)
            return self._named[asked]
        if len(self._named) > 10_000:
            self._named.clear()
        found = self._named[asked] = self._named_inside(key, authority)
        return found

    def _named_inside(self, key: str, authority: str) -> Region | None:
        text = _POSSESSIVE.sub("", normalise(authority))
        # A region with a code of its own inside ``key`` that the name names, words of
        # government aside: "City of London" (and "the City of London Corporation") in GB is
        # GB-LND, not the London it lies in, which it read as once "city" and "of" were taken
        # off (an attack); "Beijing Municipal Government" in CN is CN-BJ.
        exact = self._exact_inside(key, text)
        if exact is not None:
            return exact
        inside = self._inside.get(key)
        if inside is None:
            inside = self._inside[key] = self._cities_inside(key)
        if not inside:
            return None
        forms = [text, " ".join(_GOVERNMENT.sub(" ", text).split())]
        if not text.isascii():  # (Chinese names: no spaces; "C h e n g d u" is no name)
            forms.append(_GOVERNMENT_ZH.sub("", text.replace(" ", "")))
        # the region's own name in front: "四川省成都市人民政府", "Sichuan Chengdu Government"
        for name in self._own_names(key):
            forms += [f[len(name) :].strip() for f in list(forms) if f.startswith(name)]
        for form in dict.fromkeys(forms):
            found = inside.get(form)
            if found is not None:
                return found
        return None

    def _exact_inside(self, key: str, text: str) -> Region | None:
        """The region strictly inside ``key`` whose name is ``text`` (of more than one word),
        or ``text`` without its words of government (but "city" and "of", parts of names)."""
        light = " ".join(_GOVERNMENT_LIGHT.sub(" ", text).split())
        light = _LEADING_OF_THE.sub("", light)
        # A bare one-word place stays where it is: "Washington" or "Beijing" as an authority is
        # often the national government ("Washington will fund ..."), not the state or city.
        # Nor does a name with "government" alone ("Washington government"): a municipal or
        # provincial one names the place ("Beijing Municipal Government").
        local = _LOCAL_GOVERNMENT.search(text) is not None
        forms = [f for f in (text, light) if len(f.split()) > 1 or (f != text and local)]
        for form in dict.fromkeys(forms):
            hit = self._by_key.get(self._by_name.get(form, "")) if form else None
            if (
                hit is not None
                and hit.key != key
                and key in {r.key for r in self.ancestors(hit.key)}
            ):
                return hit
        return None

    def _own_names(self, key: str) -> list[str]:
        """The normalised names of ``key`` and the regions it lies in, longest first."""
        region = self._by_key.get(key)
        chain = [region, *self.ancestors(key)] if region is not None else []
        return sorted({normalise(n) for r in chain for n in r.names} - {""}, key=len, reverse=True)

    def _cities_inside(self, key: str) -> dict[str, Region | None]:
        """The cities (regions without an ISO code) inside ``key`` at any depth, by each of
        their names normalised; ``None`` for a name two of them share."""
        if self._children is None:
            self._children = {}
            for region in self._by_key.values():
                if region.part_of:
                    self._children.setdefault(region.part_of, []).append(region)
        cities: dict[str, Region | None] = {}
        todo = list(self._children.get(key, ()))
        seen: set[str] = {key}
        while todo:
            region = todo.pop()
            if region.key in seen:
                continue
            seen.add(region.key)
            todo += self._children.get(region.key, ())
            if region.iso_code is not None:
                continue
            for name in filter(None, map(normalise, region.names)):
                known = cities.setdefault(name, region)
                if known is not None and known.key != region.key:
                    cities[name] = None  # two cities of one name: neither
        return cities

    def ancestors(self, key: str) -> list[Region]:
        """The regions ``key`` lies in, nearest first (city -> province -> country)."""
        chain: list[Region] = []
        region = self._by_key.get(key)
        while region is not None and region.part_of and region.part_of in self._by_key:
            region = self._by_key[region.part_of]
            if region in chain:
                break
            chain.append(region)
        return chain


#: ISO 3166-1 codes of places the bundled table holds under their ISO 3166-2:CN code: one place,
#: one node (Hong Kong was two regions, HK and CN-HK, each with its own totals). TW stays its
#: own region: CN-TW's Wikidata item (Q57251, the province) is not Taiwan's (Q865).
_SAME_PLACE: dict[str, str] = {"HK": "CN-HK", "MO": "CN-MO", "HKG": "CN-HK", "MAC": "CN-MO"}

#: Common English names that pycountry does not list.
_COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "GB": ("UK", "U.K.", "Britain", "Great Britain", "United Kingdom"),
    "US": ("USA", "U.S.", "U.S.A.", "America", "United States of America"),
    "KR": ("Korea", "Republic of Korea"),
    "KP": ("North Korea",),
    "RU": ("Russia",),
    "AE": ("UAE", "U.A.E."),
    "TW": (),
}


def _table_regions() -> list[Region]:
    import io

    regions = []
    text = ontology.read_text("regions.csv")
    for row in csv.DictReader(io.StringIO(text, newline="")):
        regions.append(
            Region(
                key=row["key"],
                name_en=row["name_en"],
                name_zh=row["name_zh"] or None,
                iso_code=row["iso_3166"] or None,
                type=row["type"],
                part_of=row["part_of"] or None,
                wikidata=row["wikidata"] or None,
                geonames=row["geonames"] or None,
                alt_names=tuple(a for a in row["alt_names"].split(";") if a),
            )
        )
    return regions


def _country_zh_names() -> dict[str, str]:
    import gettext

    import pycountry

    try:
        translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"])
    except OSError:
        return {}
    return {c.alpha_2: translation.gettext(c.name) for c in pycountry.countries}


#: Subdivisions that lie in a region of the bundled table, by type: ISO 3166-2 places the 32
#: London boroughs in England, and has no code for London itself (GB-LND is the City of
#: London, the Square Mile), which the table gives as GB-ENG/london.
_PLACED_BY_TYPE = {("GB", "London borough"): "GB-ENG/london"}


ENGLISH_FIRST = frozenset({"US", "GB", "AU", "CA", "IE", "NZ", "IN"})


def _pycountry_regions() -> list[Region]:
    import pycountry

    zh = _country_zh_names()
    regions = []
    for country in pycountry.countries:
        if country.alpha_2 in _SAME_PLACE:
            continue  # (the bundled table's CN-HK and CN-MO)
        alts = [
            getattr(country, attr)
            for attr in ("common_name", "official_name")
            if getattr(country, attr, None)
        ]
        alts.append(country.alpha_3)
        alts.extend(_COUNTRY_ALIASES.get(country.alpha_2, ()))
        name_zh = zh.get(country.alpha_2)
        regions.append(
            Region(
                key=country.alpha_2,
                name_en=getattr(country, "common_name", None) or country.name,
                name_zh=name_zh if name_zh and name_zh != country.name else None,
                iso_code=country.alpha_2,
                type="Country",
                alt_names=tuple([country.name, *alts]),
            )
        )
    # Subdivisions of the countries whose governments publish in English come first, so that
    # their names win where another country's unit has the same one: "Montana" is the US state,
    # not Bulgaria's province, "Maryland" not Liberia's county (first name wins).
    for sub in sorted(pycountry.subdivisions, key=lambda s: s.country_code not in ENGLISH_FIRST):
        if sub.country_code == "CN":
            continue  # the bundled table is the checked source for China
        name, sub_alts = _subdivision_names(sub.name)
        regions.append(
            Region(
                key=sub.code,
                name_en=name,
                iso_code=sub.code,
                type=sub.type,
                part_of=_PLACED_BY_TYPE.get(
                    (sub.country_code, sub.type), sub.parent_code or sub.country_code
                ),
                alt_names=sub_alts,
            )
        )
    return regions


_BRACKET = re.compile(r"^(?P<name>[^\[]+?)\s*\[(?P<inner>[^\]]*)\]\s*$")


def _subdivision_names(raw: str) -> tuple[str, tuple[str, ...]]:
    """pycountry writes a second name in brackets, with a code ("Wales [Cymru GB-CYM]"): the
    name is the part before them, the bracketed words without the code a further name."""
    match = _BRACKET.match(raw)
    if match is None:
        return raw, ()
    inner = " ".join(
        w for w in match.group("inner").split() if not re.fullmatch(r"[A-Z]{2}-\w+", w)
    )
    return match.group("name"), (inner,) if inner else ()


@cache
def gazetteer() -> Gazetteer:
    """The bundled gazetteer: built once per process, or read from the user's cache folder
    (:func:`_cached`), where the first build is kept."""
    kept = _cached()
    if kept is not None:
        return kept
    built = _built()
    _keep(built)
    return built


def _built() -> Gazetteer:
    table = _table_regions()
    known = {r.key for r in table}
    extra = [r for r in _pycountry_regions() if r.key not in known]
    # Subdivision names clash across countries (many "Central" regions): countries and the
    # bundled table win; subdivisions still resolve by code.
    countries = [r for r in extra if r.type == "Country"]
    subdivisions = [r for r in extra if r.type != "Country"]
    return Gazetteer(table + countries + subdivisions)


# The built gazetteer is kept between runs (building it reads pycountry's databases: ~0.12 s
# of every command that resolves a region, ~0.02 s to read back; bench/README.md), in
# ``$XDG_CACHE_HOME/pledgegraph`` (``~/.cache/pledgegraph``) under a name that changes with
# what it is built from: the bundled table, this module and pycountry's installed files.
# A copy that is unreadable, not the user's own, writable by others or not a gazetteer is
# ignored (and replaced); a cache folder that cannot be written only costs the build.

_CACHE_PREFIX = "gazetteer-"


def _cache_folder() -> Path | None:
    base = os.path.expanduser(os.environ.get("XDG_CACHE_HOME", ""))
    if not os.path.isabs(base):  # (a relative one is ignored, as the XDG spec says)
        try:
            base = str(Path.home() / ".cache")
        except (RuntimeError, KeyError):  # no home folder
            return None
    return Path(base) / "pledgegraph"


def _cache_file() -> Path | None:
    import hashlib
    import importlib.util
    import sys

    folder = _cache_folder()
    if folder is None:
        return None
    digest = hashlib.sha256()
    digest.update(repr(sys.version_info[:2]).encode())
    digest.update(ontology.resource("regions.csv").read_bytes())
    digest.update(Path(__file__).read_bytes())
    try:
        spec = importlib.util.find_spec("pycountry")
    except (ImportError, ValueError):
        spec = None
    if spec is not None and spec.origin:
        place = Path(spec.origin).parent
        for name in ("__init__.py", "databases/iso3166-2.json", "databases/iso3166-1.json"):
            try:
                info = (place / name).stat()
            except OSError:
                continue
            digest.update(f"{place / name} {info.st_size} {info.st_mtime_ns}".encode())
    return folder / f"{_CACHE_PREFIX}{digest.hexdigest()[:24]}.pickle"


def _cached() -> Gazetteer | None:
    """The kept gazetteer, if there is a sound one."""
    import pickle
    import stat

    try:
        path = _cache_file()
        if path is None:
            return None
        # (not blocking: a FIFO put in its place would wait for a writer for ever)
        handle = os.open(
            path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        )
    except OSError:
        return None
    try:
        info = os.fstat(handle)
        if (
            not stat.S_ISREG(info.st_mode)
            or info.st_uid != os.geteuid()
            or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
        ):
            return None  # (only the user's own copy is unpickled)
        with os.fdopen(handle, "rb") as kept:
            handle = -1
            found = pickle.load(kept)
    except Exception:  # cut short, from another version, not a pickle: built again
        return None
    finally:
        if handle >= 0:
            os.close(handle)
    return found if isinstance(found, Gazetteer) else None


def _keep(built: Gazetteer) -> None:
    """Write ``built`` to the cache (atomically: a reader sees the whole copy or none), and
    drop the copies of other versions. Best effort: any failure leaves the cache as it was."""
    import pickle
    import tempfile

    try:
        path = _cache_file()
        if path is None:
            return
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, part = tempfile.mkstemp(prefix="." + _CACHE_PREFIX, dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as out:
            pickle.dump(built, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(part, path)
    except BaseException as stopped:  # (Ctrl-C or SIGTERM too: no half-written copy left)
        with contextlib.suppress(OSError):
            os.unlink(part)
        if isinstance(stopped, Exception):
            return
        raise
    # Copies of other versions go, and so do the parts of writes cut off by SIGKILL (an hour
    # old: a part that young may be another process's write in progress).
    now = time.time()
    try:
        entries = list(path.parent.iterdir())
    except OSError:
        return
    for old in entries:
        name = old.name
        stale = (name.startswith(_CACHE_PREFIX) and name.endswith(".pickle") and old != path) or (
            name.startswith("." + _CACHE_PREFIX) and _older_than(old, now - 3600)
        )
        if stale:
            with contextlib.suppress(OSError):
                old.unlink()


def _older_than(path: Path, when: float) -> bool:
    try:
        return path.lstat().st_mtime < when
    except OSError:
        return False
