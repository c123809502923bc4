"""Facts -> RDF: the N-Quads of a fact sheet, in the shape of ``docs/data-model.md``.

The output is N-Quads text (fast to build, fast for pyoxigraph to load). IRIs are stable:
reloading the same sheet yields the same quads, so a reload replaces rather than duplicates.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from pledgegraph.loaders.facts import FactSheet, PartialDate, Pledge, Quantity, Target
from pledgegraph.loaders.factsheet import source_key
from pledgegraph.loaders.regions import Region, gazetteer
from pledgegraph.ontology import (
    ID,
    KIND,
    PLEDGE,
    REFERENCE_GRAPH,
    SECTOR,
    SOURCE_GRAPH,
    TARGET_KINDS,
)

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_ALT_LABEL = "http://www.w3.org/2004/02/skos/core#altLabel"
XSD = "http://www.w3.org/2001/XMLSchema#"
SCHEMA = "https://schema.org/"
PROV = "http://www.w3.org/ns/prov#"
TIME = "http://www.w3.org/2006/time#"
OA = "http://www.w3.org/ns/oa#"
SKOS = "http://www.w3.org/2004/02/skos/core#"

_ESCAPES = (("\\", "\\\\"), ('"', '\\"'), ("\n", "\\n"), ("\r", "\\r"))


def _escape(value: str) -> str:
    """A string as the inside of an N-Quads literal (``str.replace`` each: far quicker than
    ``str.translate`` on long or non-ASCII text)."""
    for char, escaped in _ESCAPES:
        if char in value:
            value = value.replace(char, escaped)
    return value


_SLUG = re.compile(r"[^a-z0-9]+")
_DASHES = re.compile(r"-+")


def decimal_text(value: float) -> str:
    """An ``xsd:decimal`` lexical form of ``value``: as ``:g`` writes it, without its exponent
    (``1e-05`` is no decimal: an attack's confidence of 0.00001 made a literal no question could
    compare, so confidence-review never listed it)."""
    text = f"{value:g}"
    if "e" in text:  # (at most 18 digits after the point, as Oxigraph's decimals hold)
        from decimal import Decimal

        exact = Decimal(repr(value)).quantize(Decimal("1e-18"))
        text = format(exact, "f").rstrip("0").rstrip(".") or "0"
    return text


def slug(text: str) -> str:
    """A lowercase, dash-separated form of a name, for IRIs."""
    return _SLUG.sub("-", text.casefold()).strip("-") or "unnamed"


def name_slug(text: str) -> str:
    """The IRI segment of an authority's or publisher's name: :func:`slug` for ASCII names,
    and letters, digits and combining marks of any script kept where :func:`slug` would drop
    them (IRIs hold them as they are; the server's ``/id/…`` addresses decode to them), so that
    two names in Chinese, Hindi (``किरण``, ``कीरण``) or Thai never share an IRI. A name with no
    letter or digit at all ("★★") gets ``sign-`` and a hash of its signs. Never holds a ``/``."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    kept = "".join(
        ch
        if ch.isalnum() or (unicodedata.category(ch).startswith("M") and ch < "\U000e0000")
        else "-"  # (the variation selectors U+E0100-E01EF are marks no IRI may hold)
        for ch in folded
    )
    words = _DASHES.sub("-", kept).strip("-")
    if any(ch.isalnum() for ch in words):
        return words
    signs = "".join(folded.split())
    if not signs:
        return "unnamed"
    return "sign-" + hashlib.sha256(signs.encode("utf-8")).hexdigest()[:12]


def clean_name(text: str) -> str:
    """A shared node's name as stored: runs of white space collapsed to one space."""
    return " ".join(text.split())


#: Names of shared nodes, and where a variant of a name goes (see docs/data-model.md: a node
#: keeps one name per language; other spellings that give the same IRI are alternative names).
NAME_PREDICATES = {RDFS_LABEL: SKOS_ALT_LABEL, SCHEMA + "name": SCHEMA + "alternateName"}


def source_graph(sheet_or_key: FactSheet | str) -> str:
    """The named graph of a sheet's source."""
    key = sheet_or_key if isinstance(sheet_or_key, str) else source_key(sheet_or_key.source)
    return SOURCE_GRAPH + key


def source_iri(key: str) -> str:
    return f"{ID}source/{key}"


def region_iri(key: str) -> str:
    return f"{ID}region/{key}"


def deadline_iri(date: PartialDate) -> str:
    return f"{ID}deadline/{date}"


@dataclass(frozen=True, slots=True)
class Extraction:
    """How a sheet was made by the extractor: recorded as a prov:Activity."""

    agent: str  # e.g. "pledgegraph-extract 0.1.0"
    ended: dt.datetime


class _Writer:
    def __init__(self, graph: str) -> None:
        self.graph = f"<{graph}>"
        self.lines: list[str] = []

    def iri(self, s: str, p: str, o: str) -> None:
        self.lines.append(f"<{s}> <{p}> <{o}> {self.graph} .\n")

    def lit(
        self, s: str, p: str, value: str, *, lang: str | None = None, dtype: str | None = None
    ) -> None:
        text = _escape(value)
        if lang:
            obj = f'"{text}"@{lang.lower()}'  # (as Oxigraph keeps it: one spelling a quad)
        elif dtype:
            obj = f'"{text}"^^<{dtype}>'
        else:
            obj = f'"{text}"'
        self.lines.append(f"<{s}> <{p}> {obj} {self.graph} .\n")

    def integer(self, s: str, p: str, value: int, dtype: str = "integer") -> None:
        self.lines.append(f'<{s}> <{p}> "{value}"^^<{XSD}{dtype}> {self.graph} .\n')


def _decimal(number: float) -> str:
    """An xsd:decimal lexical form (no exponent): 0.9 -> "0.9", 1.0 -> "1.0"."""
    text = f"{number:.6f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def _date_literal(date: PartialDate) -> tuple[str, str]:
    dtype = {"year": "gYear", "month": "gYearMonth", "day": "date"}[date.precision]
    return str(date), XSD + dtype


def _region(out: _Writer, region: Region) -> None:
    iri = region_iri(region.key)
    out.iri(iri, RDF_TYPE, PLEDGE + "Region")
    out.lit(iri, RDFS_LABEL, region.name_en, lang="en")
    if region.name_zh:
        out.lit(iri, RDFS_LABEL, region.name_zh, lang="zh")
    if region.iso_code:
        out.lit(iri, PLEDGE + "isoCode", region.iso_code)
    out.lit(iri, PLEDGE + "regionType", region.type)
    if region.part_of:
        out.iri(iri, PLEDGE + "partOf", region_iri(region.part_of))


def _deadline_label(date: PartialDate) -> str:
    return f"by {date}" if date.precision == "day" else f"by end of {date}"


def _deadline(out: _Writer, date: PartialDate) -> None:
    iri = deadline_iri(date)
    out.iri(iri, RDF_TYPE, PLEDGE + "Deadline")
    out.lit(iri, RDFS_LABEL, _deadline_label(date))
    out.lit(iri, TIME + "inXSDgYear", f"{date.year:04d}", dtype=XSD + "gYear")
    out.lit(iri, TIME + "inXSDDate", date.end().isoformat(), dtype=XSD + "date")
    out.integer(iri, PLEDGE + "year", date.year)


def organization_iri(name: str) -> str:
    """``pgid:organization/<name slug>``: letters of any script kept (:func:`name_slug`), so
    that two publishers named in Chinese never share an IRI (IRI format 3)."""
    return f"{ID}organization/{name_slug(name)}"


#: The version of the shared nodes' IRIs (authorities): a store records the version its data
#: was written in and rewrites older IRIs when it is opened (graph/identity.py).
#: (1: ``authority/<slug of "region name">``; 2: ``authority/<region key>/<name slug>``;
#: 3: ``organization/<name slug>``, letters of any script kept, where format 2 had ASCII only;
#: 4: combining marks kept in name slugs, and ``sign-<hash>`` for a name without letters.)
IRI_FORMAT = 4


def authority_iri(region: str, name: str) -> str:
    """``pgid:authority/<region key>/<name slug>``: the region key as in its IRI (an ISO code,
    or ``<code>/<city slug>``), then the name. A name slug holds no ``/``, so the last segment
    is the name and the rest the region: two (region, name) pairs never share an IRI unless
    their names differ only in case, spacing or punctuation."""
    return f"{ID}authority/{region}/{name_slug(name)}"


def agent_iri(extraction: Extraction) -> str:
    return f"{ID}agent/{slug(extraction.agent)}"


def reference_nquads(sheet: FactSheet, *, extraction: Extraction | None = None) -> list[str]:
    """Quads for the shared reference graph: the nodes a sheet shares with other sheets.

    Its regions (with their ancestors), deadlines, publishers, authorities and the extractor
    that made it. Each shared node lives in this one graph only, so a pattern through it never
    repeats rows per source.
    """
    out = _Writer(REFERENCE_GRAPH)
    if extraction is not None:
        agent = agent_iri(extraction)
        out.iri(agent, RDF_TYPE, PROV + "SoftwareAgent")
        out.lit(agent, RDFS_LABEL, extraction.agent)
    places = gazetteer()
    regions: dict[str, Region] = {}
    dates: set[PartialDate] = set()
    dues: set[str] = set()
    # A node's first spelling in the sheet is its name; a later one that gives the same IRI
    # (other case or punctuation) is kept as an alternative name (the store then keeps the
    # name it holds already: graph/identity.py).
    names: dict[str, set[str]] = {}

    def name(iri: str, predicate: str, value: str, lang: str | None) -> None:
        value = clean_name(value)
        seen = names.setdefault(iri, set())
        if value in seen:
            return
        out.lit(iri, predicate if not seen else NAME_PREDICATES[predicate], value, lang=lang)
        seen.add(value)

    for publisher in (sheet.source.publisher, sheet.source.reported_via):
        if publisher:
            org = organization_iri(publisher)
            if org not in names:
                out.iri(org, RDF_TYPE, SCHEMA + "Organization")
            name(org, SCHEMA + "name", publisher, None)
    for pledge in sheet.pledges:
        if pledge.authority:
            authority = authority_iri(pledge.region, pledge.authority)
            if authority not in names:
                out.iri(authority, RDF_TYPE, PLEDGE + "Authority")
                out.iri(authority, PLEDGE + "governs", region_iri(pledge.region))
            name(authority, RDFS_LABEL, pledge.authority, "en")
        region = places.get(pledge.region)
        for r in (region, *places.ancestors(region.key)):
            regions[r.key] = r
        if pledge.deadline:
            dates.add(pledge.deadline)
        for target in pledge.targets:
            deadline = target.deadline or pledge.deadline
            if deadline:
                dates.add(deadline)
                if target.kind in TARGET_KINDS:
                    dues.add(f"{target.kind} {deadline.year}")  # = due_key(its provenance)
    for key in sorted(regions):
        _region(out, regions[key])
    for date in sorted(dates, key=str):
        _deadline(out, date)
    for due in sorted(dues):
        out.lit(KIND + due.split(" ", 1)[0], ROW_DUE_KEYS, due)
    return out.lines


#: Where the IRIs of the shared nodes an RDF file may name without describing them start.
REGION_IRI = ID + "region/"
DEADLINE_IRI = ID + "deadline/"


def named_reference_nquads(iris: Iterable[str]) -> list[str]:
    """Reference quads for the regions and deadlines an RDF file names by their own IRIs, as a
    fact sheet naming them writes them: ``pgid:region/<key>`` of a region the gazetteer knows
    (with the regions it lies in), ``pgid:deadline/<date>`` of a date in its canonical form
    (``2025``, ``2025-06``, ``2025-06-30``). Other IRIs get nothing: the file describes them,
    or validation says they are unknown."""
    places = gazetteer()
    regions: dict[str, Region] = {}
    dates: set[PartialDate] = set()
    for iri in iris:
        if iri.startswith(REGION_IRI):
            key = iri[len(REGION_IRI) :]
            if key in places:
                for r in (places.get(key), *places.ancestors(key)):
                    regions[r.key] = r
        elif iri.startswith(DEADLINE_IRI):
            try:
                date = PartialDate.parse(iri[len(DEADLINE_IRI) :])
            except ValueError:
                continue
            if deadline_iri(date) == iri:
                dates.add(date)
    out = _Writer(REFERENCE_GRAPH)
    for key in sorted(regions):
        _region(out, regions[key])
    for date in sorted(dates, key=str):
        _deadline(out, date)
    return out.lines


def _quantity(out: _Writer, iri: str, quantity: Quantity) -> None:
    out.iri(iri, RDF_TYPE, SCHEMA + "QuantitativeValue")
    if quantity.value is not None:
        out.integer(iri, SCHEMA + "value", quantity.value)
    else:
        assert quantity.minimum is not None and quantity.maximum is not None
        out.integer(iri, SCHEMA + "minValue", quantity.minimum)
        out.integer(iri, SCHEMA + "maxValue", quantity.maximum)
    out.lit(
        iri,
        PLEDGE + "approximate",
        "true" if quantity.approximate else "false",
        dtype=XSD + "boolean",
    )
    if quantity.bound:
        out.iri(iri, PLEDGE + "bound", PLEDGE + ("AtLeast" if quantity.bound == "min" else "UpTo"))
    out.lit(iri, RDFS_LABEL, quantity.label)


#: The fields of ``pledge:row``, in order, separated by :data:`ROW_SEPARATOR`.
ROW_FIELDS = (
    "deadlineYear",  # the target's deadline year ("" if none)
    "region",  # the pledge region's ISO code, else its key
    "regionName",  # its English name
    "quantity",  # the quantity's label, else "unspecified"
    "precision",  # exact, range, approximate, at least, up to, unspecified
    "sector",  # the English label of the target's sector ("" if none)
    "deadline",  # the deadline's label ("" if none)
    "source",  # the source's headline ("" if none)
    "url",  # the source's URL
)
#: U+241F SYMBOL FOR UNIT SEPARATOR: printable (RDF/XML cannot hold control characters) and
#: in no name, label or headline.
ROW_SEPARATOR = "\u241f"
#: The version of the row format above. Raise it whenever a field or the separator changes:
#: a store records the version its rows were written in, and rebuilds them when it is older.
#: (1: fields separated by U+001F; 2: separated by U+241F; 3: with the short row keys below;
#: 4: with the search and provenance rows below; 5: the provenance row holds what the listing
#: questions show too, with field offsets instead of lengths; 6: with the per-source summaries
#: below; 7: with the due keys; 8: with the sector summaries; 9: with the size keys; 10: rows
#: for the targets of pledges in a region of an RDF file's own too.)
ROW_FORMAT = 10

#: The short row keys: two fields of the row again, each its own small value on the target, so a
#: question can filter or group targets on them before it reads any long row (Oxigraph keeps
#: integers and strings of up to 15 bytes inside the index, a longer literal such as the row is
#: one more lookup per read). Derived from the row (:func:`row_keys`), kept with it.
ROW_YEAR = PLEDGE + "rowYear"  # xsd:integer, the deadline year; absent if the target has none
ROW_PRECISION = PLEDGE + "rowPrecision"  # exact, range, approximate, at least, up to, unspecified
#: What the ``search`` question looks in, precomputed (:func:`search_text`): every text of the
#: target, its pledge, kind, sector and region, each normalised as the question normalises its
#: own text, one after the other.
ROW_SEARCH = PLEDGE + "rowSearch"
#: What the ``provenance`` question and the listing questions (unspecified-quantities,
#: undated-targets, due-in-year, confidence-review, parks-by-year...) show of a target,
#: precomputed (:data:`PROVENANCE_FIELDS`, :func:`indexed`).
ROW_PROVENANCE = PLEDGE + "rowProvenance"
#: The kind and deadline year of a target as one short key, ``"parks 2022"`` (absent if the
#: target has no listed kind or no deadline; :func:`due_key`), and the keys each kind has in the
#: store, on the kind's IRI in the reference graph (only ever added, as shared nodes are):
#: parks-by-year finds the kind's keys up to a year, then the targets of each key, by index
#: lookups, without reading the other kinds' targets.
ROW_DUE = PLEDGE + "rowDue"
ROW_DUE_KEYS = PLEDGE + "rowDueKeys"
#: What largest-targets ranks a target by, as a short key (an ``xsd:integer``: the quantity's
#: value, or the maximum of a range; absent if the target has no listed kind or neither number;
#: :func:`size_key`): the question finds the 25th largest size among these small values, then
#: reads the long rows of only the targets at least that large.
ROW_SIZE = PLEDGE + "rowSize"
#: What ranges-and-approximations shows of a target whose quantity is a range, approximate or
#: bounded (and that has a listed kind), as one short row (:data:`RANGE_FIELDS`,
#: :func:`range_row`): the question reads these rows alone, instead of picking the targets by
#: their precision key and joining them with their long provenance rows.
ROW_RANGE = PLEDGE + "rowRange"
#: The index each target carries (its subject is the target).
TARGET_INDEX = (
    PLEDGE + "row",
    ROW_YEAR,
    ROW_PRECISION,
    ROW_SEARCH,
    ROW_PROVENANCE,
    ROW_DUE,
    ROW_SIZE,
    ROW_RANGE,
)
#: Per-source summaries (:func:`summaries`): one literal per (source graph, region) and per
#: (source graph, deadline year, region), on the graph's own IRI, counting what the
#: compare-regions and deadlines questions count of the graph's targets.
ROW_REGIONS = PLEDGE + "rowRegions"
ROW_DEADLINES = PLEDGE + "rowDeadlines"
#: One literal per (source graph, kind, deadline year): what totals-by-kind adds up.
ROW_TOTALS = PLEDGE + "rowTotals"
#: One literal per (source graph, sector, region): what pledges-by-sector counts.
ROW_SECTORS = PLEDGE + "rowSectors"
SUMMARY_PREDICATES = (ROW_REGIONS, ROW_DEADLINES, ROW_TOTALS, ROW_SECTORS)
#: Every predicate of the row index: left out of exports and descriptions, rebuilt by reindex.
#: (Each starts with ``pledge:row``: graph/export.py relies on it.)
ROW_PREDICATES = (*TARGET_INDEX, *SUMMARY_PREDICATES, ROW_DUE_KEYS)


def row_keys(row: str) -> list[tuple[str, str, str | None]]:
    """The short row keys of a row: ``(predicate, lexical form, datatype or None)``."""
    fields = row.split(ROW_SEPARATOR)
    keys: list[tuple[str, str, str | None]] = []
    if fields[0]:
        keys.append((ROW_YEAR, str(int(fields[0])), XSD + "integer"))
    keys.append((ROW_PRECISION, fields[4], None))
    return keys


def precision(quantity: Quantity | None) -> str:
    """How exact a quantity is, as the stored questions name it."""
    if quantity is None:
        return "unspecified"
    if quantity.approximate:
        return "approximate"
    if quantity.bound:
        return "at least" if quantity.bound == "min" else "up to"
    return "range" if quantity.value is None else "exact"


@cache
def sector_labels() -> dict[str, str]:
    """English ``skos:prefLabel`` of each sector in the bundled ontology, by IRI."""
    import pyoxigraph as ox

    from pledgegraph.ontology import read_text

    labels: dict[str, str] = {}
    for triple in ox.parse(read_text("pledge.ttl").encode("utf-8"), ox.RdfFormat.TURTLE):
        subject, obj = triple.subject, triple.object
        if (
            triple.predicate.value == "http://www.w3.org/2004/02/skos/core#prefLabel"
            and subject.value.startswith(SECTOR)
            and isinstance(obj, ox.Literal)
            and obj.language == "en"
        ):
            labels[subject.value] = obj.value
    return labels


def target_row(sheet: FactSheet, pledge: Pledge, target: Target) -> str:
    """The ``pledge:row`` of a target: what the listing questions show of it, precomputed.

    The same value the SPARQL rebuild (``pledgegraph.graph.rows``, ``pledgegraph reindex``) computes from the graph; the
    rule check ``row-out-of-date`` compares the two.
    """
    region = gazetteer().get(pledge.region)
    deadline = target.deadline or pledge.deadline
    sector = target.sector or pledge.sector
    fields = (
        str(deadline.year) if deadline else "",
        region.iso_code or region.key,
        region.name_en,
        target.quantity.label if target.quantity is not None else "unspecified",
        precision(target.quantity),
        sector_labels().get(SECTOR + sector, "") if sector else "",
        _deadline_label(deadline) if deadline else "",
        sheet.source.title or "",
        sheet.source.url,
    )
    return ROW_SEPARATOR.join(fields)


@lru_cache(maxsize=1 << 16)
def normalise(text: str) -> str:
    """``REPLACE(LCASE(?text), "[^\\p{L}\\p{N}]+", " ")``: a text as the search question compares it."""
    out: list[str] = []
    gap = False
    for char in text.lower():
        if unicodedata.category(char)[0] in "LN":
            out.append(char)
            gap = False
        elif not gap:
            out.append(" ")
            gap = True
    return "".join(out)


#: Between the texts of a search row: in no normalised text and in no search text.
SEARCH_SEPARATOR = "|"


def search_text(texts: Iterable[str], shared: tuple[str, ...] = ()) -> str:
    """The search text of a target (the last field of ``pledge:rowSearch``) from the texts the
    search looks in: ``texts`` and ``shared`` (texts many targets share, such as the labels of
    a kind; only their work is cached).

    Each text becomes a space and its normalised form (what the question compares its own
    text with), the texts are sorted and joined by :data:`SEARCH_SEPARATOR`; a text that is part
    of another one is left out (whatever a search finds in it, it finds in the longer one).
    """
    base = _pruned(shared)
    own = sorted({" " + normalise(t) for t in texts}.difference(base))
    mine = SEARCH_SEPARATOR.join(own)
    joined = SEARCH_SEPARATOR.join((*base, *own))  # a text found twice is inside another one
    kept = [b for b in base if b not in mine] + [o for o in own if joined.count(o) == 1]
    return SEARCH_SEPARATOR.join(sorted(kept))


@cache
def _pruned(texts: tuple[str, ...]) -> tuple[str, ...]:
    """The normalised texts, each with a space in front, but those inside another one."""
    segments = sorted({" " + normalise(t) for t in texts})
    joined = SEARCH_SEPARATOR.join(segments)  # a segment found twice is inside another one
    return tuple(s for s in segments if joined.count(s) == 1)


@cache
def concept_texts() -> dict[str, tuple[str, ...]]:
    """``skos:prefLabel``, ``skos:altLabel`` and ``skos:notation`` texts of each kind and sector
    of the bundled ontology, by IRI (what the search looks in for a target's kind and sector)."""
    import pyoxigraph as ox

    from pledgegraph.ontology import read_text

    wanted = {SKOS + name for name in ("prefLabel", "altLabel", "notation")}
    texts: dict[str, list[str]] = {}
    for triple in ox.parse(read_text("pledge.ttl").encode("utf-8"), ox.RdfFormat.TURTLE):
        if triple.predicate.value in wanted and isinstance(triple.subject, ox.NamedNode):
            texts.setdefault(triple.subject.value, []).append(triple.object.value)
    return {iri: tuple(found) for iri, found in texts.items()}


def packed(fields: Sequence[str]) -> str:
    """Fields as one literal that a question cuts without creating long strings: the length of
    each field but the last (5 digits, in characters as SPARQL's ``STRLEN`` counts them), then
    the fields one after the other.

    (Oxigraph checks its store for every string of more than 15 bytes a question computes, and
    reads a stored long literal again at each use; ``SUBSTR`` at offsets computed from short
    header fields creates only the fields a question shows.)
    """
    limit = 10**_LENGTH_DIGITS - 1
    fields = [*(_shortened(f, limit) for f in fields[:-1]), fields[-1]]
    lengths = [len(f) for f in fields[:-1]]
    return "".join(f"{n:0{_LENGTH_DIGITS}d}" for n in lengths) + "".join(fields)


def unpacked(text: str, count: int) -> list[str]:
    """The ``count`` fields of a :func:`packed` literal."""
    head = (count - 1) * _LENGTH_DIGITS
    lengths = [int(text[i : i + _LENGTH_DIGITS]) for i in range(0, head, _LENGTH_DIGITS)]
    fields, at = [], head
    for n in lengths:
        fields.append(text[at : at + n])
        at += n
    fields.append(text[at:])
    return fields


_LENGTH_DIGITS = 5
#: Ends a field shortened to fit a row (see :func:`_fitted`).
ELLIPSIS = "\u2026"


def _shortened(field: str, limit: int) -> str:
    return field if len(field) <= limit else field[: limit - 1] + ELLIPSIS


def _fitted(fields: Sequence[str], budget: int) -> list[str]:
    """``fields`` with all but the last at most ``budget`` characters together: the longest
    are cut (to one length, ending with "…") until they fit. Only a text of tens of
    thousands of characters (a plan or description loaded from an RDF file) is ever cut; the
    question then shows its first part. (A row that could not be written made the load fail,
    and every later open of the store with it.)"""
    head = [len(f) for f in fields[:-1]]
    if sum(head) <= budget:
        return list(fields)
    low, high = 1, max(head)  # the largest cap c with sum(min(n, c)) <= budget
    while low < high:
        cap = (low + high + 1) // 2
        if sum(min(n, cap) for n in head) <= budget:
            low = cap
        else:
            high = cap - 1
    return [*(_shortened(f, low) for f in fields[:-1]), fields[-1]]


def sort_key(iri: str, prefix: str) -> str:
    """An IRI as a text that sorts like the IRI and is short when it starts with ``prefix``:
    ``1`` and the rest; IRIs that sort before the prefix get ``0``, after it ``2``."""
    if iri.startswith(prefix):
        return "1" + iri[len(prefix) :]
    return ("0" if iri < prefix else "2") + iri


#: The fields of ``pledge:rowSearch`` (:func:`packed`).
SEARCH_FIELDS = (
    "region",  # as in pledge:row
    "regionName",  # as in pledge:row
    "kind",  # the kind's skos:notation ("" if none: the target is not listed)
    "quantity",  # as in pledge:row
    "deadline",  # as in pledge:row
    "targetLength",  # the number of characters of the target's IRI
    "target",  # sort_key(target IRI, ID + "pledge/")
    "descriptionTag",  # "" no description, "@<language>" or "^" (a plain string)
    "description",  # the target's description
    "text",  # search_text(): every text the question looks in
)


def search_row(
    *,
    row: str,
    kind: str,
    target: str,
    description: tuple[str, str | None] | None,
    texts: Iterable[str],
    shared: tuple[str, ...] = (),
) -> str:
    """A ``pledge:rowSearch`` from the target's ``pledge:row`` and the rest (:data:`SEARCH_FIELDS`)."""
    fields = row.split(ROW_SEPARATOR)
    tag, text = "", ""
    if description is not None:
        text, language = description
        tag = "@" + language if language else "^"
    return packed(
        (
            fields[1],
            fields[2],
            kind,
            fields[3],
            fields[6],
            str(len(target)),
            sort_key(target, ID + "pledge/"),
            tag,
            text,
            search_text(texts, shared),
        )
    )


def quote_of(target: Target, text: str | None) -> str | None:
    """The words a target's evidence quotes: its span of ``text`` if given, else the sheet's
    ``quote`` (a sheet loaded without its article); ``None`` without a span."""
    if target.span is None:
        return None
    if text is not None:
        return text[target.span[0] : target.span[1]] if target.span[1] <= len(text) else None
    return target.quote


def target_search(
    row: str, pledge: Pledge, target: Target, target_iri: str, quote: str | None = None
) -> str:
    """The ``pledge:rowSearch`` of a target: what the ``search`` question looks in and shows.

    It looks in the target's description and qualifier, the words its evidence quotes
    (``quote``), its pledge's description and plan, the labels of its kind and sector, its
    region's names and ISO code; the same value ``graph/rows.py`` computes from the graph.
    """
    region = gazetteer().get(pledge.region)
    sector = target.sector or pledge.sector
    texts = [
        *(t for t in (target.description, target.qualifier, quote) if t is not None),
        *(t for t in (pledge.description, pledge.plan) if t is not None),
        region.name_en,
        *(t for t in (region.name_zh, region.iso_code) if t),
    ]
    shared = (
        *concept_texts().get(KIND + target.kind, ()),
        *(concept_texts().get(SECTOR + sector, ()) if sector else ()),
    )
    description = (target.description, "en") if target.description else None
    return search_row(
        row=row,
        kind=target.kind,
        target=target_iri,
        description=description,
        texts=texts,
        shared=shared,
    )


def indexed(fields: Sequence[str]) -> str:
    """Fields as one literal that a question cuts with one ``SUBSTR`` per field it shows: where
    each field but the last ends (5 digits each, the 0-based offset in characters, as SPARQL's
    ``STRLEN`` counts them, from the start of the literal), then the fields one after the other.

    Field ``i`` starts where field ``i - 1`` ends (field 0 right after the offsets), so a
    question reads two offsets per field instead of adding up the lengths of every field
    before it (each ``BIND`` costs a few microseconds per row in Oxigraph).
    """
    head = (len(fields) - 1) * _LENGTH_DIGITS
    fields = _fitted(fields, 10**_LENGTH_DIGITS - 1 - head)
    at = head
    ends = []
    for field in fields[:-1]:
        at += len(field)
        ends.append(at)
    return "".join(f"{n:0{_LENGTH_DIGITS}d}" for n in ends) + "".join(fields)


@functools.lru_cache(maxsize=64)
def unindexed(text: str, count: int) -> tuple[str, ...]:
    """The ``count`` fields of an :func:`indexed` literal (kept for the last few: each key and
    summary of a target is cut from its one provenance row)."""
    head = (count - 1) * _LENGTH_DIGITS
    ends = [int(text[i : i + _LENGTH_DIGITS]) for i in range(0, head, _LENGTH_DIGITS)]
    starts = [head, *ends]
    return (*(text[a:b] for a, b in zip(starts, ends, strict=False)), text[starts[-1] :])


def tagged(value: tuple[str, str | None] | None) -> tuple[str, str]:
    """A literal as two row fields, its tag and its text: ``("", "")`` for none, ``"^"`` for a
    plain string, ``"@<language>"`` for a language-tagged one."""
    if value is None:
        return "", ""
    text, language = value
    return ("@" + language if language else "^"), text


#: The fields of ``pledge:rowProvenance`` (:func:`indexed`).
PROVENANCE_FIELDS = (
    "source",  # sort_key(source IRI, ID + "source/")
    "start",  # the evidence's start offset ("" if none)
    "end",  # its end offset ("" if none)
    "region",  # as in pledge:row
    "regionName",  # as in pledge:row
    "kind",  # the kind's skos:notation ("" if none: the target is not listed)
    "quantity",  # as in pledge:row
    "precision",  # as in pledge:row
    "sector",  # as in pledge:row
    "deadline",  # as in pledge:row
    "dueBy",  # the deadline's time:inXSDDate ("" if none)
    "targetLength",  # the number of characters of the target's IRI, 5 digits
    "target",  # sort_key(target IRI, ID + "pledge/")
    "headline",  # as in pledge:row ("source")
    "url",  # as in pledge:row
    "quote",  # "=" and the quoted words, "" if none
    "descriptionTag",  # tagged(): "" none, "^" plain string, "@<language>"
    "description",  # the target's schema:description
    "qualifierTag",  # tagged()
    "qualifier",  # the target's pledge:qualifier
    "planTag",  # tagged()
    "plan",  # the pledge's pledge:plan
    "value",  # the quantity's schema:value, an xsd:integer's lexical form ("" if none)
    "minimum",  # its schema:minValue ("" if none)
    "maximum",  # its schema:maxValue ("" if none)
    "year",  # as in pledge:row ("deadlineYear")
    "pledge",  # sort_key(pledge IRI, ID + "pledge/")
    "within",  # the IRIs of the pledge region and every region it lies in, each between spaces
)


def provenance_row(
    *,
    source: str,
    target: str,
    within: Iterable[str],
    row: str,
    kind: str,
    span: tuple[int, int] | None,
    quote: str | None,
    due_by: str = "",
    description: tuple[str, str | None] | None = None,
    qualifier: tuple[str, str | None] | None = None,
    plan: tuple[str, str | None] | None = None,
    numbers: tuple[str, str, str] = ("", "", ""),
    pledge: str = "",
) -> str:
    """A ``pledge:rowProvenance`` from the target's ``pledge:row`` and the rest
    (:data:`PROVENANCE_FIELDS`)."""
    fields = row.split(ROW_SEPARATOR)
    return indexed(
        (
            sort_key(source, ID + "source/"),
            str(span[0]) if span is not None else "",
            str(span[1]) if span is not None else "",
            fields[1],
            fields[2],
            kind,
            fields[3],
            fields[4],
            fields[5],
            fields[6],
            due_by,
            f"{len(target):0{_LENGTH_DIGITS}d}",
            sort_key(target, ID + "pledge/"),
            fields[7],
            fields[8],
            "=" + quote if quote is not None else "",
            *tagged(description),
            *tagged(qualifier),
            *tagged(plan),
            *numbers,
            fields[0],
            sort_key(pledge, ID + "pledge/"),
            " " + "".join(f"{iri} " for iri in sorted(set(within))),
        )
    )


def target_provenance(
    sheet: FactSheet, row: str, pledge: Pledge, target: Target, target_iri: str, text: str | None
) -> str:
    """The ``pledge:rowProvenance`` of a target: what the ``provenance`` question and the
    listing questions show of it."""
    places = gazetteer()
    region = places.get(pledge.region)
    quote = quote_of(target, text)
    deadline = target.deadline or pledge.deadline
    return provenance_row(
        source=source_iri(source_key(sheet.source)),
        target=target_iri,
        within=[region_iri(r.key) for r in (region, *places.ancestors(region.key))],
        row=row,
        kind=target.kind,
        span=target.span,
        quote=quote,
        due_by=deadline.end().isoformat() if deadline else "",
        description=(target.description, "en") if target.description else None,
        qualifier=(target.qualifier, None) if target.qualifier else None,
        plan=(pledge.plan, None) if pledge.plan else None,
        numbers=_numbers(target.quantity),
        pledge=target_iri.rsplit("/target/", 1)[0],  # a target IRI is <pledge IRI>/target/<m>
    )


#: The width of a sum in a summary: a sign or zero, then digits (an xsd:integer lexical form
#: with leading zeros, as wide as the largest 64-bit integer); a sum that cannot be made is
#: :data:`NO_SUM`, on which the question's cast fails, as its per-target text's sum did.
SUM_DIGITS = 20
NO_SUM = "x" * SUM_DIGITS


def _sum(values: Sequence[str]) -> str:
    """The sum of integer lexical forms as a fixed-width field; :data:`NO_SUM` when one is not
    an integer (``""``: a number the target lacks, which the per-target text summed unbound)
    or the sum leaves 64 bits."""
    try:
        total = sum(int(v) for v in values)
    except ValueError:
        return NO_SUM
    if not -(2**63) <= total < 2**63:
        return NO_SUM
    return ("-" if total < 0 else "0") + f"{abs(total):0{SUM_DIGITS - 1}d}"


_PRECISIONS = ("exact", "range", "approximate", "bounded", "unspecified")


def _totals(rows: list[tuple[str, ...]]) -> str:
    """A :data:`ROW_TOTALS` literal from the provenance fields of one group's targets."""
    counts = dict.fromkeys(("targets", *_PRECISIONS), 0)
    sums: dict[str, list[str]] = {"exact": [], "min": [], "max": [], "floor": []}
    labels: dict[str, list[str]] = {"approximate": [], "bounded": []}

    def add(name: str, value: str) -> None:
        sums[name].append(value)

    for fields in rows:
        precision = fields[_FIELD["precision"]]
        value = fields[_FIELD["value"]]
        low, high = fields[_FIELD["minimum"]], fields[_FIELD["maximum"]]
        group = "bounded" if precision in ("at least", "up to") else precision
        counts["targets"] += 1
        if group in counts:
            counts[group] += 1
        if precision == "exact":
            add("exact", value)
            add("floor", value)
        elif precision == "range":
            add("min", low if high else "")
            add("max", high if low else "")
            add("floor", low if high else "")
        elif precision == "at least":
            add("floor", value)
        if group in labels:
            labels[group].append(fields[_FIELD["quantity"]] + ", ")
    kind, year = rows[0][_FIELD["kind"]], rows[0][_FIELD["year"]]
    # sorted: the same text whichever order the targets come in (the sheet's or the graph's)
    approximate = "".join(sorted(labels["approximate"]))
    bounded = "".join(sorted(labels["bounded"]))
    return (
        "".join(_count(counts[name]) for name in ("targets", *_PRECISIONS))
        + "".join(_sum(sums[name]) for name in ("exact", "min", "max", "floor"))
        + "".join(f"{len(t):0{_LENGTH_DIGITS}d}" for t in (approximate, bounded, kind))
        + approximate
        + bounded
        + kind
        + year
    )


#: The kinds compare-regions has a column for, in the order of its region summary's counts
#: (the ontology's display order: a change to it changes the summaries' layout, ROW_FORMAT).
KIND_COLUMNS = TARGET_KINDS
#: The width of a count in a summary (zero-padded: a question cuts it at a fixed offset).
COUNT_DIGITS = 8
_FIELD = {name: n for n, name in enumerate(PROVENANCE_FIELDS)}


def due_key(provenance: str) -> str | None:
    """A target's :data:`ROW_DUE`: its kind's notation and deadline year, from its
    ``pledge:rowProvenance`` (None without a listed kind or a deadline)."""
    fields = unindexed(provenance, len(PROVENANCE_FIELDS))
    kind, year = fields[_FIELD["kind"]], fields[_FIELD["year"]]
    return f"{kind} {year}" if kind and year else None


#: The fields of ``pledge:rowRange`` (:func:`indexed`), each as in the provenance row.
RANGE_FIELDS = (
    "precision",
    "region",
    "regionName",
    "kind",
    "quantity",
    "value",
    "minimum",
    "maximum",
    "deadline",
    "descriptionTag",
    "description",
    "target",
)


def range_row(provenance: str) -> str | None:
    """A target's :data:`ROW_RANGE`, from its ``pledge:rowProvenance`` (None unless it has a
    listed kind and its precision is range, approximate, at least or up to)."""
    fields = unindexed(provenance, len(PROVENANCE_FIELDS))
    if not fields[_FIELD["kind"]] or fields[_FIELD["precision"]] in ("exact", "unspecified"):
        return None
    return indexed([fields[_FIELD[name]] for name in RANGE_FIELDS])


def size_key(provenance: str) -> str | None:
    """A target's :data:`ROW_SIZE` (the lexical form of an ``xsd:integer``): its quantity's
    value, or the maximum of a range, from its ``pledge:rowProvenance`` (None without a listed
    kind or either number), as largest-targets ranks it."""
    fields = unindexed(provenance, len(PROVENANCE_FIELDS))
    size = fields[_FIELD["value"]] or fields[_FIELD["maximum"]]
    return size if fields[_FIELD["kind"]] and size else None


def _count(n: int) -> str:
    if n >= 10**COUNT_DIGITS:  # more targets in one source than any sheet or file holds
        raise ValueError(f"a summary count of {n} does not fit {COUNT_DIGITS} digits")
    return f"{n:0{COUNT_DIGITS}d}"


def summaries(provenance: Iterable[str]) -> list[tuple[str, str]]:
    """The per-source summaries of one graph, from the ``pledge:rowProvenance`` of the targets
    it counts (each target once): ``(predicate, literal)``, sorted.

    - :data:`ROW_REGIONS`, one per region (code and the regions it lies in): the numbers of
      targets, of targets with a quantity, of distinct pledges, and of targets of each kind of
      :data:`KIND_COLUMNS` (:data:`COUNT_DIGITS` digits each), then the region code's length
      (5 digits), the code, and the IRIs the region lies in as in the provenance row
      (``" <iri> <iri> "``).
    - :data:`ROW_DEADLINES`, one per deadline year and region: the numbers of targets, of
      targets with a quantity and of distinct pledges, the region code's length, the code,
      then the year (``""`` if none).
    - :data:`ROW_TOTALS`, one per kind and deadline year (:func:`_totals`).
    - :data:`ROW_SECTORS`, one per sector and region: the numbers of targets and of distinct
      pledges, the region code's length, the code, then the sector's English label as the
      row shows it (``""`` if none).

    A pledge's targets all carry the same region (the row's), so distinct pledges add up over
    groups of one region; summed over sources they count each pledge once.
    """
    count = len(PROVENANCE_FIELDS)
    regions: dict[tuple[str, str], list[int]] = {}  # targets, quantified, then each kind
    region_pledges: dict[tuple[str, str], set[str]] = {}
    deadlines: dict[tuple[str, str], list[int]] = {}  # targets, quantified
    deadline_pledges: dict[tuple[str, str], set[str]] = {}
    totals: dict[
        tuple[str, str], list[tuple[str, ...]]
    ] = {}  # (kind, year) -> fields of each target
    sectors: dict[tuple[str, str], list[int]] = {}  # (sector, region) -> [targets]
    sector_pledges: dict[tuple[str, str], set[str]] = {}
    for row in provenance:
        fields = unindexed(row, count)
        if fields[_FIELD["kind"]]:  # totals-by-kind leaves out targets without a kind
            totals.setdefault((fields[_FIELD["kind"]], fields[_FIELD["year"]]), []).append(fields)
        region, kind = fields[_FIELD["region"]], fields[_FIELD["kind"]]
        pledge = fields[_FIELD["pledge"]]
        quantified = int(fields[_FIELD["precision"]] != "unspecified")
        key = (region, fields[_FIELD["within"]])
        group = regions.setdefault(key, [0] * (2 + len(KIND_COLUMNS)))
        group[0] += 1
        group[1] += quantified
        if kind in KIND_COLUMNS:
            group[2 + KIND_COLUMNS.index(kind)] += 1
        region_pledges.setdefault(key, set()).add(pledge)
        due = (fields[_FIELD["year"]], region)
        numbers = deadlines.setdefault(due, [0, 0])
        numbers[0] += 1
        numbers[1] += quantified
        deadline_pledges.setdefault(due, set()).add(pledge)
        by_sector = (fields[_FIELD["sector"]], region)
        sectors.setdefault(by_sector, [0])[0] += 1
        sector_pledges.setdefault(by_sector, set()).add(pledge)
    found = []
    for (region, within), (targets, quantified, *kinds) in regions.items():
        pledges = len(region_pledges[region, within])
        text = "".join(_count(n) for n in (targets, quantified, pledges, *kinds))
        found.append((ROW_REGIONS, f"{text}{len(region):0{_LENGTH_DIGITS}d}{region}{within}"))
    for (year, region), (targets, quantified) in deadlines.items():
        pledges = len(deadline_pledges[year, region])
        text = "".join(_count(n) for n in (targets, quantified, pledges))
        found.append((ROW_DEADLINES, f"{text}{len(region):0{_LENGTH_DIGITS}d}{region}{year}"))
    found.extend((ROW_TOTALS, _totals(rows)) for rows in totals.values())
    for (sector, region), (targets,) in sectors.items():
        pledges = len(sector_pledges[sector, region])
        text = _count(targets) + _count(pledges)
        found.append((ROW_SECTORS, f"{text}{len(region):0{_LENGTH_DIGITS}d}{region}{sector}"))
    return sorted(found)


def _numbers(quantity: Quantity | None) -> tuple[str, str, str]:
    """``schema:value``, ``schema:minValue``, ``schema:maxValue`` of a quantity as row fields."""
    if quantity is None:
        return "", "", ""
    return tuple(
        "" if n is None else str(n) for n in (quantity.value, quantity.minimum, quantity.maximum)
    )  # type: ignore[return-value]


def _evidence(out: _Writer, target_iri: str, source: str, target: Target, text: str | None) -> None:
    assert target.span is not None
    start, end = target.span
    annotation = f"{target_iri}/evidence"
    specific = f"{annotation}/target"
    position = f"{annotation}/position"
    out.iri(annotation, RDF_TYPE, OA + "Annotation")
    out.iri(annotation, OA + "motivatedBy", OA + "identifying")
    out.iri(annotation, OA + "hasBody", target_iri)
    out.iri(annotation, OA + "hasTarget", specific)
    out.iri(specific, RDF_TYPE, OA + "SpecificResource")
    out.iri(specific, OA + "hasSource", source)
    out.iri(specific, OA + "hasSelector", position)
    out.iri(position, RDF_TYPE, OA + "TextPositionSelector")
    out.integer(position, OA + "start", start, "nonNegativeInteger")
    out.integer(position, OA + "end", end, "nonNegativeInteger")
    words = quote_of(target, text)  # (the article's, or a sheet's quote without its article)
    if words is not None:
        quote = f"{annotation}/quote"
        out.iri(specific, OA + "hasSelector", quote)
        out.iri(quote, RDF_TYPE, OA + "TextQuoteSelector")
        out.lit(quote, OA + "exact", words)
        if text is not None:
            # (the words around it, for reading: a control character there, an escape code of
            # a terminal's copy, say, becomes a space; no export format may refuse the store)
            from pledgegraph.loaders.factsheet import readable

            out.lit(quote, OA + "prefix", readable(text[max(0, start - 32) : start]))
            out.lit(quote, OA + "suffix", readable(text[end : end + 32]))


def source_nquads(
    sheet: FactSheet, *, text: str | None = None, extraction: Extraction | None = None
) -> list[str]:
    """Quads for the sheet's own named graph.

    With ``text`` (the article text the spans point into, as given to the extractor), each
    evidence also gets an ``oa:TextQuoteSelector``; with ``extraction``, the pledges are linked
    to a ``prov:Activity`` that generated them.
    """
    key = source_key(sheet.source)
    out = _Writer(source_graph(key))
    src = sheet.source
    source = source_iri(key)
    out.iri(source, RDF_TYPE, SCHEMA + "NewsArticle")
    out.iri(source, SCHEMA + "url", src.url)
    if src.title:
        out.lit(source, SCHEMA + "headline", src.title)
    if src.published:
        value, dtype = _date_literal(src.published)
        out.lit(source, SCHEMA + "datePublished", value, dtype=dtype)
    if src.text_sha256:
        out.lit(source, PLEDGE + "textSha256", src.text_sha256)
    for predicate, name in (
        (SCHEMA + "publisher", src.publisher),
        (PLEDGE + "reportedVia", src.reported_via),
    ):
        if name:  # the organization itself is in the reference graph
            out.iri(source, predicate, organization_iri(name))
    activity = None
    if extraction is not None:
        activity = f"{ID}extraction/{key}"
        agent = agent_iri(extraction)  # the agent itself is in the reference graph
        out.iri(activity, RDF_TYPE, PROV + "Activity")
        out.iri(activity, PROV + "used", source)
        out.iri(activity, PROV + "wasAssociatedWith", agent)
        out.lit(
            activity, PROV + "endedAtTime", extraction.ended.isoformat(), dtype=XSD + "dateTime"
        )

    counted: list[str] = []  # the targets' provenance rows, for the summaries
    for n, pledge in enumerate(sheet.pledges, start=1):
        iri = f"{ID}pledge/{key}/{n}"
        out.iri(iri, RDF_TYPE, PLEDGE + "Pledge")
        out.iri(iri, PLEDGE + "region", region_iri(pledge.region))
        out.iri(iri, PROV + "wasDerivedFrom", source)
        if activity:
            out.iri(iri, PROV + "wasGeneratedBy", activity)
        if pledge.authority:  # the authority itself is in the reference graph
            out.iri(iri, PLEDGE + "pledgedBy", authority_iri(pledge.region, pledge.authority))
        if pledge.plan:
            out.lit(iri, PLEDGE + "plan", pledge.plan)
        if pledge.description:
            out.lit(iri, SCHEMA + "description", pledge.description, lang="en")
        if pledge.announced:
            value, dtype = _date_literal(pledge.announced)
            out.lit(iri, PLEDGE + "announced", value, dtype=dtype)
        if pledge.deadline:
            out.iri(iri, PLEDGE + "deadline", deadline_iri(pledge.deadline))
        if pledge.sector:
            out.iri(iri, PLEDGE + "sector", SECTOR + pledge.sector)
        for m, target in enumerate(pledge.targets, start=1):
            t_iri = f"{iri}/target/{m}"
            out.iri(iri, PLEDGE + "hasTarget", t_iri)
            out.iri(t_iri, RDF_TYPE, PLEDGE + "Target")
            out.iri(t_iri, PLEDGE + "kind", KIND + target.kind)
            out.iri(t_iri, PROV + "wasDerivedFrom", source)
            if target.quantity is not None:
                q_iri = f"{t_iri}/quantity"
                out.iri(t_iri, PLEDGE + "quantity", q_iri)
                _quantity(out, q_iri, target.quantity)
            if target.qualifier:
                out.lit(t_iri, PLEDGE + "qualifier", target.qualifier)
            if target.description:
                out.lit(t_iri, SCHEMA + "description", target.description, lang="en")
            sector = target.sector or pledge.sector
            if sector:
                out.iri(t_iri, PLEDGE + "sector", SECTOR + sector)
            deadline = target.deadline or pledge.deadline
            if deadline:
                out.iri(t_iri, PLEDGE + "deadline", deadline_iri(deadline))
            if target.confidence is not None:
                out.lit(
                    t_iri,
                    PLEDGE + "confidence",
                    decimal_text(target.confidence),
                    dtype=XSD + "decimal",
                )
            row = target_row(sheet, pledge, target)
            out.lit(t_iri, PLEDGE + "row", row)
            for key_predicate, lexical, key_type in row_keys(row):
                out.lit(t_iri, key_predicate, lexical, dtype=key_type)
            out.lit(
                t_iri, ROW_SEARCH, target_search(row, pledge, target, t_iri, quote_of(target, text))
            )
            provenance = target_provenance(sheet, row, pledge, target, t_iri, text)
            out.lit(t_iri, ROW_PROVENANCE, provenance)
            due = due_key(provenance)
            if due is not None:
                out.lit(t_iri, ROW_DUE, due)
            size = size_key(provenance)
            if size is not None:
                out.lit(t_iri, ROW_SIZE, size, dtype=XSD + "integer")
            ranged = range_row(provenance)
            if ranged is not None:
                out.lit(t_iri, ROW_RANGE, ranged)
            counted.append(provenance)
            if target.span is not None:
                _evidence(out, t_iri, source, target, text)
    graph = source_graph(key)
    for predicate, summary in summaries(counted):
        out.lit(graph, predicate, summary)
    return out.lines
