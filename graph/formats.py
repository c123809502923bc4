"""RDF and query-result formats: names users type -> pyoxigraph formats; RDF input limits.

Before any RDF is parsed, :func:`check_rdf` refuses what would make pyoxigraph's parsers eat
gigabytes or abort the process (measured with pyoxigraph 0.5.13): an RDF/XML internal-entity
bomb (763 bytes -> 3.3 GB, then a Rust abort) and JSON-LD or RDF/XML nested past
``PLEDGEGRAPH_MAX_NESTING`` (JSON-LD nested 10,000 deep: over 3 GB and an abort). A token
(literal or IRI) over 16 MB makes pyoxigraph raise ``MemoryError``; :func:`token_too_large`
is the error to raise instead. Turtle and TriG ``[ ]`` and ``( )`` nest within the same limit:
they parse fast, but what is stored must stay cheap to validate, describe and export.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pyoxigraph as ox

from pledgegraph.errors import InputError, RdfSyntaxError
from pledgegraph.limits import ENV_MAX_NESTING, bracket_depth_exceeds, max_nesting, only_brackets
from pledgegraph.loaders.text import read_bytes
from pledgegraph.ontology import PREFIXES

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
    "check_rdf",
    "is_factsheet",
    "rdf_format_for",
    "read_bytes",
    "read_rdf",
    "token_too_large",
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


def rdf_format_for(path: str, given: str | None = None, *, option: str = "--format") -> str:
    """The format name of an RDF file, from ``given`` or the file's extension (``option``:
    the command's option that names it, for the hint)."""
    if given is not None:
        if given not in RDF_FORMATS:
            raise InputError(
                f"unknown RDF format {given!r}", hint="use one of " + ", ".join(RDF_FORMATS)
            )
        return given
    suffix = Path(path).suffix.lower()
    named = format_of_name(path)
    if named is not None:
        return named
    if not suffix and path != "-" and not Path(path).exists():  # ('typo-dir/' is no format problem)
        raise InputError("no such file or folder", hint="check the path", path=path)
    article = suffix in (".txt", ".md", ".markdown", ".html", ".htm")
    raise InputError(
        f"cannot tell the RDF format from the extension {suffix or '(none)'!r}",
        hint=sheet_hint(path)
        or (  # (a new user's trial: 'load article.txt' was told of RDF formats only)
            f"if it is an article, extract its pledges first (pledgegraph extract {path} -o "
            f"{Path(path).stem}.pledges.yaml, or --load); if it is RDF, pass {option}"
            if article and path != "-"
            else None
        )
        or f"pass {option} ("
        + ", ".join(RDF_FORMATS)
        + ") or use a .ttl/.nt/.nq/.trig/.jsonld/.rdf name",
        path=path,
    )


def format_of_name(path: str) -> str | None:
    """The RDF format a file name's extension names (``all.nq``: nquads), or None."""
    return _EXTENSIONS.get(Path(path).suffix.lower())


def extension_of(fmt: str) -> str:
    """The usual extension of an RDF format (``nquads``: ``.nq``)."""
    return next(suffix for suffix, name in _EXTENSIONS.items() if name == fmt)


_SHEET_START = re.compile(r"(?m)^(?:source|pledges)[ \t]*:")


def sheet_hint(path: str) -> str | None:
    """What to do with a fact sheet whose name is not ``*.yaml``/``*.yml`` (a new user's
    trial: ``x.pledges.txt`` was told of RDF formats only, ``x.json`` got a Turtle parser's
    error), or None when the file does not read like one."""
    if path == "-":
        return None
    try:
        with open(path, "rb") as handle:
            head = handle.read(65536).decode("utf-8", errors="replace")
    except OSError:
        return None
    if not _SHEET_START.search(head) or head.lstrip().startswith(("{", "[", "<", "@")):
        return None
    name = Path(path).name
    stem = name[: -len(".pledges" + Path(name).suffix)] if ".pledges." in name else Path(name).stem
    return (
        f"it reads like a fact sheet: name it {stem}.pledges.yaml (a fact sheet is told by "
        "its .yaml or .yml name)"
    )


# --- input limits ----------------------------------------------------------------------------

_ENTITY = re.compile(rb"<!\s*ENTITY", re.I)
_XML_SKIP = re.compile(rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<![^>]*>", re.S)
_XML_ATTRIBUTES = rb"""[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*"""
_XML_EMPTY = re.compile(rb"<[^\s/>!?]" + _XML_ATTRIBUTES + rb"/>")
_XML_OPEN = re.compile(rb"<[^\s/>!?]" + _XML_ATTRIBUTES + rb">")
_XML_CLOSE = re.compile(rb"</[^>]*>")


def check_rdf(data: bytes, fmt: str, where: str) -> None:
    """Refuse RDF that would exhaust memory while parsing, before it is parsed.

    RDF/XML may not declare entities (``<!ENTITY``: RDF needs none, and nested entities are
    the "billion laughs" bomb); RDF/XML elements and JSON-LD arrays/objects may not nest
    deeper than ``PLEDGEGRAPH_MAX_NESTING`` (default 100).
    """
    if fmt == "rdfxml":
        if _ENTITY.search(data):
            raise RdfSyntaxError(
                "declares XML entities (<!ENTITY …>), which RDF/XML input may not use",
                hint="remove the DOCTYPE and write the values out",
                path=where,
            )
        depth = max_nesting()
        if _xml_depth_exceeds(data, depth):
            raise RdfSyntaxError(
                f"nests XML elements more than {depth} deep",
                hint=f"flatten it, or set {ENV_MAX_NESTING} to raise the limit",
                path=where,
            )
    elif fmt in ("turtle", "trig") and data.count(b"[") + data.count(b"(") > max_nesting():
        depth = max_nesting()
        if bracket_depth_exceeds(only_brackets(_TURTLE_SKIP.sub(b" ", data)), depth):
            raise RdfSyntaxError(
                f"nests blank nodes or lists ([ ], ( )) more than {depth} deep",
                hint=f"flatten it, or set {ENV_MAX_NESTING} to raise the limit",
                path=where,
            )
    elif fmt == "jsonld":
        depth = max_nesting()
        if _json_depth_exceeds(data, depth):
            raise RdfSyntaxError(
                f"nests JSON arrays and objects more than {depth} deep",
                hint=f"flatten it, or set {ENV_MAX_NESTING} to raise the limit",
                path=where,
            )


#: What holds brackets that do not nest in Turtle and TriG: strings, IRIs, comments, escapes.
_TURTLE_SKIP = re.compile(
    rb"""'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\""""
    rb"""|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|<[^<>"{}|^`\\\x00-\x20]*>|\#[^\n]*|\\.""",
    re.S,
)


def _xml_depth_exceeds(data: bytes, limit: int) -> bool:
    text = data.translate(None, b"()[]{}")
    if b"<!" in text or b"<?" in text:
        text = _XML_SKIP.sub(b"", text)
    text = _XML_CLOSE.sub(b")", _XML_OPEN.sub(b"(", _XML_EMPTY.sub(b"", text)))
    return bracket_depth_exceeds(only_brackets(text), limit)


def _json_depth_exceeds(data: bytes, limit: int) -> bool:
    # no escaped quote is left after these two replacements, so every other piece between
    # quotes is a string; brackets in strings do not count
    plain = data.replace(b"\\\\", b"").replace(b'\\"', b"")
    outside = b"".join(plain.split(b'"')[::2])
    return bracket_depth_exceeds(only_brackets(outside), limit)


def read_rdf(path: str, fmt: str, data: bytes | None = None) -> bytes:
    """The bytes of an RDF input (``data``, else the file or ``-``), checked by :func:`check_rdf`."""
    if data is None:
        data = read_bytes(path)
    check_rdf(data, fmt, path)
    return data


def token_too_large(where: str) -> InputError:
    """The error for pyoxigraph's ``MemoryError`` on a token (literal, IRI) past 16 MB."""
    return InputError(
        "holds a literal or IRI larger than 16 MB, more than the parser accepts",
        hint="split the value or keep it outside the graph",
        path=where,
    )


class _NoLiteralConversionNoise(logging.Filter):
    """Drops rdflib's "Failed to convert Literal lexical form to value" records."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Failed to convert Literal lexical form")


def quiet_rdflib() -> None:
    """Silence rdflib's warning, with a traceback, for every ill-typed literal it meets.

    An RDF file may hold ``"notadate"^^xsd:date``: RDF allows it, pyoxigraph stores it as
    written, and rdflib (SHACL with pySHACL, reasoning with owlrl, JSON-LD/RDF/XML export)
    logs ~14 lines for each when it turns the literal into an rdflib term. Those lines told
    the user nothing they could act on; the shapes report ill-typed values of our own
    properties as problems. Idempotent; call it wherever rdflib terms are made.
    """
    logger = logging.getLogger("rdflib.term")
    if not any(isinstance(f, _NoLiteralConversionNoise) for f in logger.filters):
        logger.addFilter(_NoLiteralConversionNoise())


def short(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> str:
    """A human form of a term: IRIs shortened with our prefixes, literals by their value."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        iri = term.value
        best = ""
        for prefix, namespace in PREFIXES.items():
            if iri.startswith(namespace) and len(namespace) > len(PREFIXES.get(best, "")):
                best = prefix
        return f"{best}:{iri[len(PREFIXES[best]) :]}" if best else iri
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)
