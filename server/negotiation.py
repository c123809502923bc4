"""Content negotiation: the ``Accept`` header (or ``?format=``) -> our format names.

A query's form (SELECT/ASK or CONSTRUCT/DESCRIBE) is only known once it runs, so a request is
negotiated twice: one result format for solutions and one RDF format for graphs. A request
that accepts none of ours gets the default (JSON results, Turtle), as most endpoints do.
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


def quality(accept: str | None, media: str) -> float:
    """The q-value ``accept`` gives ``media`` (most specific matching range wins)."""
    if not accept:
        return 1.0
    best, specificity = 0.0, -1
    kind = media.split("/")[0]
    for pattern, q in _ranges(accept):
        if pattern == media:
            level = 2
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
    """The best format of ``table`` for ``accept`` and its q-value (default first on ties)."""
    chosen, best = next(iter(table)), 0.0
    for name, media in table.items():
        q = max(quality(accept, m) for m in (media, *_ALIASES.get(name, ())))
        # a wildcard must not pick an alias-only format over the default
        if q > best:
            chosen, best = name, q
    return chosen, best


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
