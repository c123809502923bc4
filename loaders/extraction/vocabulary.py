"""Vocabularies of the article extractor, built lazily and cached.

Target kinds and sectors come from the SKOS concept schemes of ``ontology/pledge.ttl``
(``skos:notation``, ``skos:prefLabel`` and ``skos:altLabel`` in English), so adding an altLabel
there teaches the extractor a new word. Region names come from the gazetteer
(:mod:`pledgegraph.loaders.regions`) plus a few common short forms and demonyms.

Every phrase is keyed by the same tokens the extractor splits text into (:func:`tokenize`), so
lookups are dictionary hits on token n-grams, not large regular expressions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pledgegraph.ontology import KIND, SECTOR, read_text

# A token: a number with thousands separators, a possessive 's, a word (letters/digits joined
# by - & / . or an apostrophe not starting 's), or any other single character.
TOKEN = re.compile(
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?"
    r"|['’]s\b"
    r"|[^\W_]+(?:(?:[-&/.]|['’](?!s\b))[^\W_]+)*"
    r"|\S"
)

_SKOS = "http://www.w3.org/2004/02/skos/core#"
_LABEL_PREDICATES = (_SKOS + "prefLabel", _SKOS + "altLabel")


def tokenize(text: str) -> list[str]:
    """The tokens of ``text`` (no offsets), as used to key vocabulary phrases."""
    return TOKEN.findall(text)


def key_of(words: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """The lookup key of a token sequence: lower case, one kind of apostrophe."""
    return tuple(w.lower().replace("’", "'") for w in words)


# --- target kinds and sectors -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KindEntry:
    """One surface form of a target-kind label."""

    kind: str  # notation, e.g. "parks"
    plural: bool  # "parks" vs "park"
    mass: bool  # "talent", "infrastructure": no count when bare


@dataclass(frozen=True, slots=True)
class KindLexicon:
    """Kind labels keyed by token tuples; ``max_len`` is the longest label in tokens."""

    entries: dict[tuple[str, ...], KindEntry]
    max_len: int
    lasts: frozenset[str]  # every label's last token, to skip other words fast


@dataclass(frozen=True, slots=True)
class SectorLexicon:
    """Sector labels keyed by token tuples; ``exact_case`` holds acronyms matched case-sensitively."""

    entries: dict[tuple[str, ...], str]
    exact_case: dict[tuple[str, ...], str]
    max_len: int
    firsts: frozenset[str]  # first tokens (lower case) of all labels


_IRREGULAR_PLURALS = {"consortium": "consortia", "personnel": "personnel", "talent": "talents"}
#: Labels that name no kind on their own: "150 infrastructure projects" and "two (childcare)
#: services" count projects and services of any sort (kind ``other``, with the counted words
#: kept); "benchmark project" and the like stay labels.
_TOO_GENERIC = frozenset({"project", "service"})
_MASS_NOUNS = frozenset(
    {"talent", "infrastructure", "personnel", "talent training", "talent cultivation"}
)


def _plural(word: str) -> str:
    if word in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[word]
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    if re.search(r"(s|x|z|ch|sh)$", word):
        return word + "es"
    return word + "s"


def _singulars(word: str) -> set[str]:
    """Possible singulars of a word that looks plural (used to tell a label's number)."""
    out = set()
    if word.endswith("ies"):
        out.add(word[:-3] + "y")
    if word.endswith("es"):
        out.add(word[:-2])
    if word.endswith("s") and not word.endswith("ss"):
        out.add(word[:-1])
    if word.endswith("ia"):
        out.add(word[:-2] + "ium")
        out.add(word[:-1] + "um")
    return out


_SPELLINGS = (("centre", "center"), ("programme", "program"), ("organisation", "organization"))


#: Ways of writing "research" before a noun that name the same body: "research institution",
#: "R&D institution", "research and development institution".
_RESEARCH = (("research",), ("r&d",), ("research", "and", "development"))


def _spelling_variants(words: tuple[str, ...]) -> set[tuple[str, ...]]:
    out = {words}
    for form in _RESEARCH:
        if len(words) > len(form) and words[: len(form)] == form:
            out |= {(*other, *words[len(form) :]) for other in _RESEARCH}
    for british, american in _SPELLINGS:
        for variant in list(out):
            out.add(tuple(w.replace(british, american) for w in variant))
            out.add(tuple(w.replace(american, british) for w in variant))
    return out


def concept_labels(scheme_prefix: str) -> dict[str, list[tuple[str, str]]]:
    """notation -> [(label, language tag)] for the concepts under ``scheme_prefix``."""
    import pyoxigraph as ox

    data = read_text("pledge.ttl").encode("utf-8")
    notations: dict[str, str] = {}
    labels: dict[str, list[tuple[str, str]]] = {}
    for triple in ox.parse(data, format=ox.RdfFormat.TURTLE):
        subject = triple.subject
        if not isinstance(subject, ox.NamedNode) or not subject.value.startswith(scheme_prefix):
            continue
        obj = triple.object
        if not isinstance(obj, ox.Literal):
            continue
        predicate = triple.predicate.value
        if predicate == _SKOS + "notation":
            notations[subject.value] = obj.value
        elif predicate in _LABEL_PREDICATES:
            labels.setdefault(subject.value, []).append((obj.value, obj.language or ""))
    out: dict[str, list[tuple[str, str]]] = {}
    for iri in sorted(labels):
        notation = notations.get(iri, iri[len(scheme_prefix) :])
        out[notation] = sorted(labels[iri])
    return out


@cache
def kind_lexicon() -> KindLexicon:
    """The target-kind labels of ``pledge:TargetKindScheme`` (English), with plural forms."""
    concepts = concept_labels(KIND)
    entries: dict[tuple[str, ...], KindEntry] = {}
    for kind, labels in concepts.items():
        if kind == "other":
            continue  # "other" is a fallback, never named in text
        words = {
            key_of(tokenize(label))
            for label, lang in labels
            if lang.startswith("en") and label not in _TOO_GENERIC
        }
        lasts = {w[-1] for w in words if w}
        for label in sorted(words):
            if not label:
                continue
            last = label[-1]
            plural = last != _plural(last) and (
                bool(_singulars(last) & lasts) or (last.endswith("s") and last == kind)
            )
            mass = " ".join(label) in _MASS_NOUNS
            for variant in _spelling_variants(label):
                entries.setdefault(variant, KindEntry(kind, plural, mass))
                if not plural and not mass:
                    many = (*variant[:-1], _plural(variant[-1]))
                    entries.setdefault(many, KindEntry(kind, True, False))
    max_len = max((len(k) for k in entries), default=1)
    return KindLexicon(entries, max_len, frozenset(k[-1] for k in entries))


@cache
def sector_lexicon() -> SectorLexicon:
    """The sector labels of ``pledge:SectorScheme`` (English and Chinese)."""
    concepts = concept_labels(SECTOR)
    entries: dict[tuple[str, ...], str] = {}
    exact: dict[tuple[str, ...], str] = {}
    for sector, labels in concepts.items():
        if sector == "other":
            continue
        for label, _lang in labels:
            words = tuple(tokenize(label))
            if not words:
                continue
            if any(c.isupper() for c in label):
                exact.setdefault(words, sector)
            else:
                entries.setdefault(key_of(words), sector)
                entries.setdefault(key_of((*words[:-1], _plural(words[-1].lower()))), sector)
    max_len = max((len(k) for k in (*entries, *exact)), default=1)
    firsts = frozenset(k[0].lower() for k in (*entries, *exact))
    return SectorLexicon(entries, exact, max_len, firsts)


# --- regions ---------------------------------------------------------------------------------

#: Short forms and demonyms the gazetteer does not hold. A demonym only names a government when
#: a word like "government" follows it (see ``DEMONYM_FOLLOWERS``).
REGION_ALIASES: dict[str, str] = {
    "U.S.": "US",
    "U.S": "US",
    "US": "US",
    "USA": "US",
    "America": "US",
    "UK": "GB",
    "U.K.": "GB",
    "U.K": "GB",
    "Britain": "GB",
    "Great Britain": "GB",
    "Russia": "RU",
    "UAE": "AE",
    "Korea": "KR",
    "Holland": "NL",
    "Turkey": "TR",
    "European Union": "EU",
    "EU": "EU",
    "E.U.": "EU",
    "European Commission": "EU",
    # National agencies whose name is no other country's: a page that names only the agency
    # pledges for its country.
    "Department of Veterans Affairs": "US",
    "Department of Housing and Urban Development": "US",
    "Department of Homeland Security": "US",
    "Environmental Protection Agency": "US",
    "EPA": "US",
    "HUD": "US",
    "National Science Foundation": "US",
    "National Institutes of Health": "US",
    "NASA": "US",
    "Small Business Administration": "US",
    "Biden Administration": "US",
    "Biden-Harris Administration": "US",
    "Trump Administration": "US",
    "Obama Administration": "US",
    "White House": "US",
    "Department of Health and Social Care": "GB",
    "Department for Education": "GB",
    "Department for Transport": "GB",
    "Department for Work and Pensions": "GB",
    "Home Office": "GB",
    "HM Government": "GB",
    "HM Treasury": "GB",
    "Downing Street": "GB",
    # Ireland's parliament and government by their Irish names (a debate's reply names no
    # country)
    "Oireachtas": "IE",
    "Houses of the Oireachtas": "IE",
    "Dáil": "IE",
    "Dáil Éireann": "IE",
    "Seanad Éireann": "IE",
    "Taoiseach": "IE",
    "Tánaiste": "IE",
    "Health Resources and Services Administration": "US",
    "HRSA": "US",
    # More US federal agencies, whose texts are often republished off .gov hosts (a news wire,
    # a web archive) with only the agency's name left to place them: only names no other
    # country's agency bears (not "Census Bureau", "National Park Service", "Department of the
    # Interior", "Army Corps of Engineers", "FAA": an attack found Cambodia's, Korea's, the
    # Philippines', Nigeria's and Fiji's).
    "Federal Aviation Administration": "US",
    "Federal Highway Administration": "US",
    "FHWA": "US",
    "Federal Transit Administration": "US",
    "Federal Railroad Administration": "US",
    "Federal Emergency Management Agency": "US",
    "FEMA": "US",
    "National Oceanic and Atmospheric Administration": "US",
    "NOAA": "US",
    "Bureau of Labor Statistics": "US",
    "Bureau of Land Management": "US",
    "USDA": "US",
    "AmeriCorps": "US",
    "Peace Corps": "US",
    "USAID": "US",
    "Federal Communications Commission": "US",
    "Internal Revenue Service": "US",
    "Indian Health Service": "US",
    "Veterans Health Administration": "US",
}

DEMONYMS: dict[str, str] = {
    "Chinese": "CN",
    "American": "US",
    "British": "GB",
    "Japanese": "JP",
    "South Korean": "KR",
    "Korean": "KR",
    "German": "DE",
    "French": "FR",
    "Indian": "IN",
    "Russian": "RU",
    "Singaporean": "SG",
    "Australian": "AU",
    "Canadian": "CA",
    "Italian": "IT",
    "Spanish": "ES",
    "Brazilian": "BR",
    "Vietnamese": "VN",
    "Emirati": "AE",
    "Saudi": "SA",
    "Dutch": "NL",
    "Swiss": "CH",
    "Swedish": "SE",
    "Thai": "TH",
    "Malaysian": "MY",
    "Indonesian": "ID",
    "Turkish": "TR",
    "Israeli": "IL",
    "Mexican": "MX",
    "Nigerian": "NG",
    "Kenyan": "KE",
    "South African": "ZA",
    "Pakistani": "PK",
    "Philippine": "PH",
    "Estonian": "EE",
    "Irish": "IE",
    "Polish": "PL",
    "Norwegian": "NO",
    "Danish": "DK",
    "Finnish": "FI",
    "Ukrainian": "UA",
    "Egyptian": "EG",
    "Scottish": "GB-SCT",
    "Welsh": "GB-WLS",
    "Tasmanian": "AU-TAS",
    "Queensland": "AU-QLD",  # ("the Queensland Government": the name as an adjective)
    "South Australian": "AU-SA",
    "Western Australian": "AU-WA",
    "NSW": "AU-NSW",
    "Ontario": "CA-ON",
    "Albertan": "CA-AB",
    "European": "EU",
}

DEMONYM_FOLLOWERS = frozenset(
    {
        "government",
        "authorities",
        "officials",
        "ministry",
        "cabinet",
        "state",
        "regulators",
        "regulator",
        "lawmakers",
        "parliament",
        "leadership",
        "premier",
        "president",
        "administration",
        "central",
        # what a government makes: "the Scottish plan will deliver 40 clinics"
        "executive",
        "plan",
        "strategy",
        "budget",
        "programme",
        "program",
    }
)

# Subdivisions of these countries are matched by name (types that are one level below the
# country); others resolve only by code. Names that mostly mean something else are left out.
_SUBDIVISION_COUNTRIES = frozenset(
    {"US", "CA", "AU", "IN", "JP", "DE", "GB"}
)  # GB: Northern Ireland
_SUBDIVISION_TYPES = frozenset({"State", "Province", "Territory", "Prefecture", "Land"})
_AMBIGUOUS_NAMES = frozenset({"Washington", "Georgia", "Jersey", "Victoria", "Chad", "Turkey"})
#: Of those, the subdivision names a page about their country lets stand for them
#: (regions.page_names): "Victoria" on an Australian page, "Georgia" on an American one (the
#: country's name otherwise). "Washington" stays out: an American release opens with it as its
#: dateline, the capital.
AMBIGUOUS_SUBDIVISIONS = {"Victoria": "AU-VIC", "Georgia": "US-GA"}
AMBIGUOUS_DEMONYMS = {"Victorian": "AU-VIC"}  # "the Victorian Government"
#: The name a demonym's state goes by, where the page calls it a state.
AMBIGUOUS_STATE_NAMES = {"Victorian": "Victoria"}


@dataclass(frozen=True, slots=True)
class RegionLexicon:
    """Region names keyed by token tuples (case kept: names are proper nouns)."""

    names: dict[tuple[str, ...], str]  # tokens -> region key
    demonyms: dict[tuple[str, ...], str]
    max_len: int
    firsts: frozenset[str]  # first tokens of all names


@cache
def region_lexicon() -> RegionLexicon:
    """Every name the extractor recognises as a region, mapped to its gazetteer key."""
    from pledgegraph.loaders.regions import gazetteer

    gaz = gazetteer()
    names: dict[tuple[str, ...], str] = {}

    def add(name: str, key: str) -> None:
        if not name or "," in name or "(" in name:
            return
        words = tuple(tokenize(name))
        if words and (words[0][0].isupper() or not words[0][0].isascii()):
            names.setdefault(words, key)

    regions = list(gaz)
    # Bundled table first (China), then countries, then chosen subdivisions.
    for region in regions:
        if region.key.startswith("CN"):
            for name in region.names:
                add(name, region.key)
    # The bundled table's places outside China: London (and the City of London inside it).
    table = {r.key for r in regions if r.iso_code is None and not r.key.startswith("CN")}
    for region in regions:
        if not region.key.startswith("CN") and (
            region.key in table or (region.part_of in table and region.type != "Country")
        ):
            for name in region.names:
                add(name, region.key)
    for region in regions:
        if region.type == "Country":
            for name in region.names:
                if name == region.key or (len(name) == 3 and name.isupper() and name != "USA"):
                    continue  # ISO codes as words ("AND", "CAN") are not names in prose
                if name in _AMBIGUOUS_NAMES and region.key not in ("GE", "TR"):
                    continue
                add(name, region.key)
    for region in regions:
        if (
            region.type in _SUBDIVISION_TYPES
            and region.key[:2] in _SUBDIVISION_COUNTRIES
            and region.name_en not in _AMBIGUOUS_NAMES
        ):
            found = gaz.resolve(region.name_en)
            if found is not None and found.key == region.key:
                add(region.name_en, region.key)
    for alias, key in REGION_ALIASES.items():
        if key in gaz:  # "EU" only once the region table knows the Union
            names.setdefault(tuple(tokenize(alias)), key)
    demonyms = {tuple(tokenize(d)): key for d, key in DEMONYMS.items() if key in gaz}
    max_len = max(len(k) for k in (*names, *demonyms))
    firsts = frozenset(k[0] for k in (*names, *demonyms))
    return RegionLexicon(names, demonyms, max_len, firsts)
