"""RDF and query-result formats: names users type -> pyoxigraph formats."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from pledgegraph.errors import InputError
from pledgegraph.loaders.text import read_bytes

#: Format names accepted by ``--format`` (and their file extensions).
RDF_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
_EXTENSIONS: dict[str, str] = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "ntriples",
    ".ntriples": "ntriples",
    ".nq": "nquads",
    ".nquads": "nquads",
    ".trig": "trig",
    ".jsonld": "jsonld",
    ".json": "jsonld",
    ".rdf": "rdfxml",
    ".owl": "rdfxml",
    ".xml": "rdfxml",
}
QUAD_FORMATS = frozenset({"nquads", "trig"})

__all__ = [
    "QUAD_FORMATS",
    "RDF_FORMATS",
    "RESULT_FORMATS",
    "is_factsheet",
    "rdf_format_for",
    "read_bytes",
]

RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}


def is_factsheet(path: str) -> bool:
    """Whether a path names a fact sheet (``*.yaml`` / ``*.yml``)."""
    return path.lower().endswith((".yaml", ".yml"))


def rdf_format_for(path: str, given: str | None = None) -> str:
    """The format name of an RDF file, from ``given`` or the file's extension."""
    if given is not None:
        if given not in RDF_FORMATS:
            raise InputError(
                f"unknown RDF format {given!r}", hint="use one of " + ", ".join(RDF_FORMATS)
            )
        return given
    suffix = Path(path).suffix.lower()
    if suffix in _EXTENSIONS:
        return _EXTENSIONS[suffix]
    raise InputError(
        f"cannot tell the RDF format from the extension {suffix or '(none)'!r}",
        hint="pass --format ("
        + ", ".join(RDF_FORMATS)
        + ") or use a .ttl/.nt/.nq/.trig/.jsonld/.rdf name",
        path=path,
    )
