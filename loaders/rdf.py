"""Facts -> RDF: the N-Quads of a fact sheet, in the shape of ``docs/data-model.md``.

The output is N-Quads text (fast to build, fast for pyoxigraph to load). IRIs are stable:
reloading the same sheet yields the same quads, so a reload replaces rather than duplicates.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from pledgegraph.loaders.facts import FactSheet, PartialDate, Quantity, Target
from pledgegraph.loaders.factsheet import source_key
from pledgegraph.loaders.regions import Region, gazetteer
from pledgegraph.ontology import ID, KIND, PLEDGE, REFERENCE_GRAPH, SECTOR, SOURCE_GRAPH

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD = "http://www.w3.org/2001/XMLSchema#"
SCHEMA = "https://schema.org/"
PROV = "http://www.w3.org/ns/prov#"
TIME = "http://www.w3.org/2006/time#"
OA = "http://www.w3.org/ns/oa#"

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """A lowercase, dash-separated form of a name, for IRIs."""
    return _SLUG.sub("-", text.casefold()).strip("-") or "unnamed"


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
        text = value.translate(_ESCAPES)
        if lang:
            obj = f'"{text}"@{lang}'
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


def _deadline(out: _Writer, date: PartialDate) -> None:
    iri = deadline_iri(date)
    out.iri(iri, RDF_TYPE, PLEDGE + "Deadline")
    out.lit(iri, RDFS_LABEL, f"by {date}" if date.precision == "day" else f"by end of {date}")
    out.lit(iri, TIME + "inXSDgYear", f"{date.year:04d}", dtype=XSD + "gYear")
    out.lit(iri, TIME + "inXSDDate", date.end().isoformat(), dtype=XSD + "date")
    out.integer(iri, PLEDGE + "year", date.year)


def reference_nquads(sheet: FactSheet) -> list[str]:
    """Quads for the shared reference graph: the sheet's regions (with their ancestors) and deadlines."""
    out = _Writer(REFERENCE_GRAPH)
    places = gazetteer()
    regions: dict[str, Region] = {}
    dates: set[PartialDate] = set()
    for pledge in sheet.pledges:
        region = places.get(pledge.region)
        for r in (region, *places.ancestors(region.key)):
            regions[r.key] = r
        if pledge.deadline:
            dates.add(pledge.deadline)
        for target in pledge.targets:
            deadline = target.deadline or pledge.deadline
            if deadline:
                dates.add(deadline)
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
    if text is not None and end <= len(text):
        quote = f"{annotation}/quote"
        out.iri(specific, OA + "hasSelector", quote)
        out.iri(quote, RDF_TYPE, OA + "TextQuoteSelector")
        out.lit(quote, OA + "exact", text[start:end])
        out.lit(quote, OA + "prefix", text[max(0, start - 32) : start])
        out.lit(quote, OA + "suffix", text[end : end + 32])


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
        if name:
            org = f"{ID}organization/{slug(name)}"
            out.iri(source, predicate, org)
            out.iri(org, RDF_TYPE, SCHEMA + "Organization")
            out.lit(org, SCHEMA + "name", name)
    activity = None
    if extraction is not None:
        activity = f"{ID}extraction/{key}"
        agent = f"{ID}agent/{slug(extraction.agent)}"
        out.iri(activity, RDF_TYPE, PROV + "Activity")
        out.iri(activity, PROV + "used", source)
        out.iri(activity, PROV + "wasAssociatedWith", agent)
        out.lit(
            activity, PROV + "endedAtTime", extraction.ended.isoformat(), dtype=XSD + "dateTime"
        )
        out.iri(agent, RDF_TYPE, PROV + "SoftwareAgent")
        out.lit(agent, RDFS_LABEL, extraction.agent)

    authorities: set[str] = set()
    for n, pledge in enumerate(sheet.pledges, start=1):
        iri = f"{ID}pledge/{key}/{n}"
        out.iri(iri, RDF_TYPE, PLEDGE + "Pledge")
        out.iri(iri, PLEDGE + "region", region_iri(pledge.region))
        out.iri(iri, PROV + "wasDerivedFrom", source)
        if activity:
            out.iri(iri, PROV + "wasGeneratedBy", activity)
        if pledge.authority:
            authority = f"{ID}authority/{slug(pledge.region + ' ' + pledge.authority)}"
            out.iri(iri, PLEDGE + "pledgedBy", authority)
            if authority not in authorities:
                authorities.add(authority)
                out.iri(authority, RDF_TYPE, PLEDGE + "Authority")
                out.lit(authority, RDFS_LABEL, pledge.authority, lang="en")
                out.iri(authority, PLEDGE + "governs", region_iri(pledge.region))
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
                    t_iri, PLEDGE + "confidence", f"{target.confidence:g}", dtype=XSD + "decimal"
                )
            if target.span is not None:
                _evidence(out, t_iri, source, target, text)
    return out.lines
