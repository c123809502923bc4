"""Content negotiation: the ``Accept`` header (or ``?format=``) -> our format names.

A query's form (SELECT/ASK or CONSTRUCT/DESCRIBE) is only known once it runs, so a request is
negotiated twice: one result format for solutions and one RDF format for graphs. Media ranges
are matched as RFC 9110 (section 12.5.1) says: the most specific range that matches a type
gives its q-value (``text/csv`` over ``text/*`` over ``*/*``), q=0 means "not acceptable", and
the default is taken on ties. A wildcard matches a format's own media type only, never one of
the other names clients use for it (``text/*`` picks CSV, not XML by way of ``text/xml``). No
``Accept`` (or ``*/*``) gives the defaults (JSON results, Turtle); an ``Accept`` that none of
our formats matches gets a 406 listing them (:func:`not_acceptable`).
"""

from __future__ import annotations

#: SPARQL results formats: our name -> media type (the first is the default).
RESULT_TYPES: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
#: RDF formats for CONSTRUCT/DESCRIBE and resource descriptions (the first is the default).
RDF_TYPES: dict[str, str] = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "nquads": "application/n-quads",
    "trig": "application/trig",
}
#: Other media types clients send for the same formats.
_ALIASES: dict[str, tuple[str, ...]] = {
    "json": ("application/json",),
    "xml": ("application/xml", "text/xml"),
    "turtle": ("application/x-turtle",),
    "ntriples": ("text/plain",),
    "jsonld": ("application/json",),
    "rdfxml": ("application/xml", "text/xml"),
}
HTML = "text/html"
#: Other spellings of our format names that clients send in ``format=``.
FORMAT_ALIASES = {"json-ld": "jsonld", "n-triples": "ntriples", "rdf+xml": "rdfxml"}


def _ranges(accept: str) -> list[tuple[str, float]]:
    ranges = []
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        quality = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = max(0.0, min(1.0, float(value)))
                except ValueError:
                    quality = 0.0
        ranges.append((media, quality))
    return ranges


def quality(accept: str | None, media: str, *, wildcards: bool = True) -> float:
    """The q-value ``accept`` gives ``media`` (most specific matching range wins).

    ``wildcards=False``: only a range naming ``media`` itself counts (for the aliases).
    """
    ranges = _ranges(accept) if accept else []
    if not ranges:  # no Accept (or an empty one): anything goes
        return 1.0
    best, specificity = 0.0, -1
    kind = media.split("/")[0]
    for pattern, q in ranges:
        if pattern == media:
            level = 2
        elif not wildcards:
            continue
        elif pattern == f"{kind}/*":
            level = 1
        elif pattern == "*/*":
            level = 0
        else:
            continue
        if level > specificity:
            best, specificity = q, level
    return best


def choose(accept: str | None, table: dict[str, str]) -> tuple[str, float]:
    """The best format of ``table`` for ``accept`` and its q-value (default first on ties).

    A q-value of 0 means ``accept`` takes none of ``table``'s formats (the default is named).
    """
    chosen, best = next(iter(table)), 0.0
    for name, media in table.items():
        q = quality(accept, media)
        for alias in _ALIASES.get(name, ()):  # named exactly, never through a wildcard
            q = max(q, quality(accept, alias, wildcards=False))
        if q > best:
            chosen, best = name, q
    return chosen, best


def acceptable(accept: str | None, table: dict[str, str]) -> str | None:
    """The best format of ``table`` for ``accept``, or ``None`` when it takes none of them."""
    name, q = choose(accept, table)
    return name if q > 0 else None


def not_acceptable(accept: str | None, *, results: bool = True, graphs: bool = True) -> str:
    """The 406 message: ``accept`` takes none of our formats; the ones it could ask for."""
    from pledgegraph.errors import printable

    shown = printable(accept or "")
    if len(shown) > 120:
        shown = shown[:117] + "..."
    offered = []
    if results:
        offered.append(", ".join(RESULT_TYPES.values()) + " (SELECT and ASK results)")
    if graphs:
        offered.append(", ".join(RDF_TYPES.values()) + " (graphs)")
    return (
        f"Accept: none of the formats this endpoint gives matches {shown!r}; accept "
        f"{' or '.join(offered)}, or */*, or name a format with format="
    )


def wants_html(accept: str | None) -> bool:
    """Whether a browser-like ``Accept`` prefers HTML to every RDF and results format."""
    if not accept or HTML not in accept.lower():
        return False
    html = quality(accept, HTML)
    others = [quality(accept, m) for m in (*RESULT_TYPES.values(), *RDF_TYPES.values())]
    explicit = [
        q for media, q in _ranges(accept) if media in (*RESULT_TYPES.values(), *RDF_TYPES.values())
    ]
    return html > 0 and (not explicit or html >= max(others))


def media_type(fmt: str) -> str:
    """The media type (with charset for text) of one of our format names."""
    media = RESULT_TYPES.get(fmt) or RDF_TYPES[fmt]
    return media + "; charset=utf-8"
