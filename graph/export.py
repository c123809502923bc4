"""Export the store (or one graph) in standard RDF formats, deterministically.

What is exported: the asserted graphs (every named graph but the inferred one and the working
graphs), or with ``inferred=True`` the inferred graph too, or one graph (``graph=``). Quad
formats (N-Quads, TriG) keep the graph names; triple formats (Turtle, N-Triples, RDF/XML,
JSON-LD) merge the graphs into one graph of distinct triples.

Triples and quads are sorted by their N-Triples form, and Turtle/TriG declare only the prefixes
they use, so the same store always exports to the same bytes. JSON-LD is compacted with the
bundled context (``ontology/context.jsonld``) using rdflib, imported only here.

Round trip: :func:`import_dataset` loads an export into a new, empty store (``pledgegraph
import``); quad formats give back every graph, triple formats one graph. Either way every
stored question then gives the answers it gave on the exported store (see the README).
"""

from __future__ import annotations

import io
import itertools
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from pledgegraph.errors import InputError
from pledgegraph.graph.formats import QUAD_FORMATS, RDF_FORMATS
from pledgegraph.graph.store import Store
from pledgegraph.ontology import INFERRED_GRAPH, PREFIXES

EXPORT_FORMATS = tuple(RDF_FORMATS)


def _sort_key(term: Any) -> str:
    return str(term)


def _used_prefixes(terms: Iterable[Any]) -> dict[str, str]:
    used: dict[str, str] = {}
    namespaces = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))
    for term in terms:
        values = []
        if isinstance(term, ox.NamedNode):
            values.append(term.value)
        elif isinstance(term, ox.Literal):
            values.append(term.datatype.value)
        for value in values:
            for prefix, namespace in namespaces:
                if value.startswith(namespace):
                    used[prefix] = namespace
                    break
    return dict(sorted(used.items()))


def export_graphs(
    store: Store, *, graph: str | None = None, inferred: bool = False
) -> list[ox.NamedNode | ox.DefaultGraph]:
    """The graphs an export holds: ``graph``, or the asserted graphs (+ the inferred one)."""
    if graph is not None:
        return [ox.NamedNode(graph)]
    names: list[ox.NamedNode | ox.DefaultGraph] = [
        ox.NamedNode(g) for g in store.graphs() if inferred or g != INFERRED_GRAPH
    ]
    if next(iter(store.inner.quads_for_pattern(None, None, None, ox.DefaultGraph())), None):
        names.insert(0, ox.DefaultGraph())
    return names


def _graph_lines(store: Store, graph: ox.NamedNode | ox.DefaultGraph) -> tuple[list[bytes], bool]:
    """The triples of one graph as sorted N-Triples lines, and whether they may hold a blank
    node. pyoxigraph writes the lines: no term becomes a Python object."""
    if isinstance(store.inner, ox.Store):
        data = store.inner.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
    else:  # a remote store: its quads are Python objects already
        triples = (
            ox.Triple(q.subject, q.predicate, q.object)
            for q in store.inner.quads_for_pattern(None, None, None, graph)
        )
        data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    assert isinstance(data, bytes)
    lines = data.splitlines(keepends=True)
    lines.sort()
    return lines, b"_:" in data


def _is_blank_line(line: bytes) -> bool:
    """Whether an N-Triples line may hold a blank node (a literal holding "_:" is a false
    alarm, which only costs a line more in the canonicalisation)."""
    return b"_:" in line


class _Lines:
    """The N-Triples lines of the exported graphs, blank nodes labelled canonically.

    Each graph is dumped by pyoxigraph (two graphs at a time: the dump releases the GIL) and
    kept as its sorted lines (bytes): the sort key of a triple is its N-Triples form, and as a
    Python object a triple would cost ten times the memory.
    Blank nodes get canonical labels (RDFC-1.0) computed on the lines that hold them only,
    over the dataset (``quads=True``) or over the merged graph.
    """

    def __init__(
        self, store: Store, graphs: list[ox.NamedNode | ox.DefaultGraph], *, quads: bool
    ) -> None:
        self.graphs = sorted(graphs, key=str)
        self.by_graph: dict[str, list[bytes]] = {}
        blank: list[ox.Quad] = []
        if isinstance(store.inner, ox.Store):  # its dump runs without the GIL: two at a time
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(2) as pool:
                dumped = list(pool.map(lambda g: _graph_lines(store, g), self.graphs))
        else:
            dumped = [_graph_lines(store, g) for g in self.graphs]
        touched: set[str] = set()
        for g, (lines, has_blank) in zip(self.graphs, dumped, strict=True):
            if has_blank:
                kept = [line for line in lines if not _is_blank_line(line)]
                data = b"".join(line for line in lines if _is_blank_line(line))
                blank.extend(
                    ox.Quad(t.subject, t.predicate, t.object, g if quads else ox.DefaultGraph())
                    for t in ox.parse(data, ox.RdfFormat.N_TRIPLES)
                )
                lines = kept
            self.by_graph[str(g)] = lines
        if blank:
            dataset = ox.Dataset(blank)
            dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
            for q in dataset:
                triple = ox.serialize(
                    [ox.Triple(q.subject, q.predicate, q.object)], format=ox.RdfFormat.N_TRIPLES
                )
                assert isinstance(triple, bytes)
                key = str(q.graph_name) if quads else str(self.graphs[0])
                self.by_graph[key].append(triple)
                touched.add(key)
        for key in touched:
            self.by_graph[key].sort()

    def quad_lines(self) -> Iterator[bytes]:
        """N-Quads lines, sorted by graph, subject, predicate, object."""
        for g in self.graphs:
            lines = self.by_graph[str(g)]
            if isinstance(g, ox.DefaultGraph):
                yield from lines
                continue
            # Every line ends in " .\n", and only there (N-Triples escapes line breaks).
            yield b"".join(lines).replace(b" .\n", b" " + str(g).encode("utf-8") + b" .\n")

    def triple_lines(self) -> list[bytes]:
        """The distinct triples of all the graphs as sorted N-Triples lines."""
        merged = [line for lines in self.by_graph.values() for line in lines]
        merged.sort()  # sorted runs, one per graph: timsort merges them
        return [line for i, line in enumerate(merged) if i == 0 or line != merged[i - 1]]


#: IRIs and literals of N-Triples text: group 1 is a literal's suffix ("@" or "^^"), group 2
#: an IRI. Literals are matched whole, so an IRI written inside one is not taken for a term.
_TERMS = re.compile(rb'"(?:[^"\\\n]|\\.)*"(@|\^\^)?|<([^>\n]*)>')
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def _prefixes_of_lines(lines: Iterable[bytes]) -> dict[str, str]:
    """:func:`_used_prefixes` of the terms in N-Triples lines (subject, predicate, object, and
    the datatype of a literal: ``xsd:string`` for a plain one, ``rdf:langString`` for one with
    a language), without making a Python object of every term."""
    iris: set[bytes] = set()
    plain = language = False
    for line in lines:
        for suffix, iri in _TERMS.findall(line):
            if iri:
                iris.add(iri)
            elif suffix == b"@":
                language = True
            elif not suffix:
                plain = True
    values = {iri.decode("utf-8") for iri in iris}
    if plain:
        values.add(_XSD_STRING)
    if language:
        values.add(_RDF_LANG_STRING)
    return _used_prefixes(ox.NamedNode(v) for v in values)


class _LineReader(io.RawIOBase):
    """A binary stream over byte chunks (lets pyoxigraph parse lines without one big copy)."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = iter(chunks)
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            chunk = b"".join(itertools.islice(self._chunks, 4096))
            if not chunk:
                return 0
            self._pending = chunk
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


def _parsed(lines: Iterable[bytes], fmt: ox.RdfFormat) -> Iterator[Any]:
    return iter(ox.parse(io.BufferedReader(_LineReader(lines), 1 << 20), fmt))


def serialize_triples(triples: list[ox.Triple], fmt: str) -> str:
    """Sorted triples in ``fmt`` (any triple format, or jsonld)."""
    if fmt in QUAD_FORMATS:
        quads = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
        return _serialize(quads, fmt)
    triples = sorted(
        triples, key=lambda t: (_sort_key(t.subject), _sort_key(t.predicate), _sort_key(t.object))
    )
    if fmt == "jsonld":
        return to_jsonld(triples)
    return _serialize(triples, fmt)


def _serialize(items: list[Any], fmt: str) -> str:
    prefixes = None
    if fmt == "rdfxml":
        check_rdfxml(items)
    if fmt in ("turtle", "trig", "rdfxml"):
        terms = (term for item in items for term in (item.subject, item.predicate, item.object))
        prefixes = _used_prefixes(terms)
    data = ox.serialize(items, format=RDF_FORMATS[fmt], prefixes=prefixes)
    assert data is not None
    return data.decode("utf-8")


def export(store: Store, fmt: str, *, graph: str | None = None, inferred: bool = False) -> str:
    """The asserted graphs (with ``inferred``: and the inferred one), or one graph, in ``fmt``.

    Quad formats (nquads, trig) keep graph names; triple formats (turtle, ntriples, rdfxml,
    jsonld) merge the graphs into one graph of distinct triples. (For big stores, stream with
    :func:`write_export` instead.)
    """
    buffer = io.BytesIO()
    write_export(store, buffer, fmt, graph=graph, inferred=inferred)
    return buffer.getvalue().decode("utf-8")


def _checked(store: Store, fmt: str, graph: str | None) -> None:
    if fmt not in RDF_FORMATS:
        raise InputError(
            f"unknown export format {fmt!r}",
            hint="use one of " + ", ".join(RDF_FORMATS),
            where="--format",
        )
    if graph is not None:
        check_graph_iri(graph)
    if graph is not None and not store.has_graph(graph):
        raise InputError(
            "no such graph in the store",
            hint="run 'pledgegraph stats' to list the graphs",
            where=f"--graph {graph}",
        )


#: XML 1.0 name characters (NameStartChar, NameChar without ':'), and the characters XML 1.0
#: cannot hold at all, not even escaped.
_NAME_START = (
    "A-Z_a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff"
    "\u200c-\u200d\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd"
    "\U00010000-\U000effff"
)
_XML_NAME_END = re.compile(
    f"[{_NAME_START}][{_NAME_START}\\-.0-9\u00b7\u0300-\u036f\u203f-\u2040]*$"
)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def check_rdfxml(items: Iterable[Any]) -> None:
    """Raise an :class:`InputError` if RDF/XML cannot hold these triples (or quads).

    RDF/XML writes a predicate as an XML element name, so its IRI must end in an XML name
    (``http://example.org/p/123`` does not; pyoxigraph would write ``<oxprefix: …>``, which
    is not XML), and XML 1.0 has no way to write most control characters.
    """
    predicates: set[str] = set()
    for item in items:
        predicates.add(item.predicate.value)
        for term in (item.subject, item.object):
            if isinstance(term, ox.Literal | ox.NamedNode) and _NOT_XML.search(term.value):
                raise InputError(
                    f"{_short(term)} holds a control character, which XML 1.0 cannot hold",
                    hint="export in another format (turtle, ntriples, nquads, trig, jsonld)",
                    where="rdfxml",
                )
    for predicate in sorted(predicates):
        if not _XML_NAME_END.search(predicate):
            raise InputError(
                f"the predicate <{predicate}> cannot be written in RDF/XML (its IRI does not "
                "end in an XML name)",
                hint="export in another format (turtle, ntriples, nquads, trig, jsonld)",
                where="rdfxml",
            )


def _short(term: ox.Literal | ox.NamedNode) -> str:
    text = str(term)
    return text if len(text) <= 60 else text[:57] + "..."


def write_export(
    store: Store, out: IO[bytes], fmt: str, *, graph: str | None = None, inferred: bool = False
) -> None:
    """Write the export (see :func:`export`) to a binary stream, in UTF-8.

    Each graph is dumped by pyoxigraph as N-Triples and sorted as lines of bytes (see
    :class:`_Lines`); N-Quads and N-Triples are those lines; Turtle, TriG and RDF/XML are
    pyoxigraph's writers fed the sorted lines, parsed again as they go; JSON-LD is compacted by
    rdflib. Nothing is written when the export cannot be made (unknown graph, RDF/XML that
    cannot hold a term).
    """
    _checked(store, fmt, graph)
    graphs = export_graphs(store, graph=graph, inferred=inferred)
    lines = _Lines(store, graphs, quads=fmt in QUAD_FORMATS)
    if fmt == "nquads":
        out.writelines(lines.quad_lines())
        return
    if fmt == "trig":
        quad_lines = list(lines.quad_lines())
        prefixes = _prefixes_of_lines(line for g in lines.by_graph.values() for line in g)
        ox.serialize(_parsed(quad_lines, ox.RdfFormat.N_QUADS), out, ox.RdfFormat.TRIG,
                     prefixes=prefixes)  # fmt: skip
        return
    triples = lines.triple_lines()
    del lines
    if fmt == "ntriples":
        out.writelines(triples)
        return
    if fmt == "jsonld":
        out.write(to_jsonld(list(_parsed(triples, ox.RdfFormat.N_TRIPLES))).encode("utf-8"))
        return
    prefixes = _prefixes_of_lines(triples)
    if fmt == "rdfxml":  # checked whole before a byte is written
        parsed = list(_parsed(triples, ox.RdfFormat.N_TRIPLES))
        check_rdfxml(parsed)
        ox.serialize(parsed, out, ox.RdfFormat.RDF_XML, prefixes=prefixes)
        return
    ox.serialize(_parsed(triples, ox.RdfFormat.N_TRIPLES), out, RDF_FORMATS[fmt], prefixes=prefixes)


def export_to_file(
    store: Store, path: str, fmt: str, *, graph: str | None = None, inferred: bool = False
) -> None:
    """:func:`write_export` into the file ``path``, which is replaced only when complete.

    The export goes to a temporary file in the same directory, is flushed to disk, and is
    renamed over ``path`` in one step: a full disk, a kill or a bad graph leaves an existing
    file as it was (and no temporary file behind).
    """
    import os
    import uuid

    target = Path(path)
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex[:12]}.tmp")
    try:
        handle = os.fdopen(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), "wb")
        with handle:
            write_export(store, handle, fmt, graph=graph, inferred=inferred)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except OSError as exc:
        raise InputError(
            f"cannot write: {exc.strerror or exc}",
            hint="free some space or choose another path; an existing file was left as it was",
            path=path,
        ) from None
    finally:
        temporary.unlink(missing_ok=True)
    try:  # make the rename itself durable
        directory = os.open(target.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(directory)
    except OSError:
        pass
    finally:
        os.close(directory)


def context() -> dict[str, Any]:
    """The bundled JSON-LD context (the value of ``@context``)."""
    from pledgegraph.ontology import read_text

    document = json.loads(read_text("context.jsonld"))
    value: dict[str, Any] = document["@context"]
    return value


def _canonical_json(value: Any, *, ordered: bool = False) -> Any:
    """Keys sorted, and arrays sorted too unless they are RDF lists (``@list``), whose order counts."""
    if isinstance(value, dict):
        return {k: _canonical_json(v, ordered=k == "@list") for k, v in sorted(value.items())}
    if isinstance(value, list):
        items = [_canonical_json(v) for v in value]
        if ordered:
            return items
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def _has_blank(item: Any) -> bool:
    return (
        isinstance(item.subject, ox.BlankNode)
        or isinstance(item.object, ox.BlankNode)
        or isinstance(getattr(item, "graph_name", None), ox.BlankNode)
    )


def _canonical_blank_nodes(triples: list[ox.Triple]) -> list[ox.Triple]:
    """The same triples with blank nodes relabelled canonically (RDFC-1.0), so labels are stable.

    Only the triples with a blank node take part (the canonical labels depend on nothing else).
    """
    blank = [t for t in triples if _has_blank(t)]
    if not blank:
        return triples
    dataset = ox.Dataset(
        ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in blank
    )
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return [t for t in triples if not _has_blank(t)] + [
        ox.Triple(q.subject, q.predicate, q.object) for q in dataset
    ]


def _to_rdflib(term: Any) -> Any:
    import rdflib

    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


def to_jsonld(triples: list[ox.Triple]) -> str:
    """Compacted JSON-LD with the bundled context; nodes and values in a stable order."""
    import rdflib

    graph = rdflib.Graph()
    for triple in _canonical_blank_nodes(triples):
        graph.add(
            (_to_rdflib(triple.subject), _to_rdflib(triple.predicate), _to_rdflib(triple.object))
        )
    ctx = context()
    text = graph.serialize(format="json-ld", context=ctx, auto_compact=True)
    document = json.loads(text)
    body = {k: v for k, v in document.items() if k != "@context"}
    if "@graph" not in body and body:
        body = {"@graph": [body]}
    nodes = sorted(
        (_canonical_json(node) for node in body.get("@graph", [])),
        key=lambda n: (str(n.get("@id", "")), json.dumps(n, sort_keys=True, ensure_ascii=False)),
    )
    return json.dumps({"@context": ctx, "@graph": nodes}, ensure_ascii=False, indent=2) + "\n"


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did: the graphs written and the quads the store now holds."""

    path: str
    graphs: tuple[str, ...]
    quads: int


def import_dataset(
    store: Store,
    path: str,
    *,
    format: str | None = None,
    graph: str | None = None,
    data: bytes | None = None,
) -> ImportReport:
    """Load an export (``path``, or ``data``) into ``store``, which must be empty.

    Quad formats give back every graph of the export; triple formats put every triple in
    ``graph`` (default: the file graph named after the file, as ``load`` would). The store is
    then marked as filled (it gets no bundled data on top). All or nothing: if the file is
    malformed, the store is emptied again. Nothing is validated: an export of a pledgegraph
    store was validated when its sources were loaded (``pledgegraph validate`` checks it).
    """
    from pledgegraph.graph.formats import rdf_format_for, read_rdf
    from pledgegraph.graph.store import FILE_GRAPH
    from pledgegraph.loaders.rdf import slug

    name = rdf_format_for(path, format)
    target = graph or FILE_GRAPH + slug(Path(path).name if path != "-" else "stdin")
    check_graph_iri(target)
    held = len(store.inner)
    if held or store.graphs():
        raise InputError(
            f"the store is not empty ({held:,} quads)",
            hint="import into a new store: pass --store with a new directory",
            where=str(store.path or "import"),
        )
    data = read_rdf(path, name, data)  # size, entity and nesting limits
    store.set_state(importing=path)
    try:
        store.inner.bulk_load(
            data,
            RDF_FORMATS[name],
            to_graph=ox.NamedNode(target),
            base_iri=_base_iri(path),
        )
    except (SyntaxError, ValueError, OSError) as exc:
        _empty(store)
        raise InputError(
            f"cannot import: {_first_line(exc)}",
            hint="import an unchanged file written by 'pledgegraph export'",
            path=path,
        ) from None
    except BaseException:
        _empty(store)
        raise
    graphs = tuple(store.graphs())
    for g in graphs:
        store.inner.add_graph(ox.NamedNode(g))
    store.set_state(importing=None, imported=path)
    return ImportReport(path, graphs, len(store.inner))


def _empty(store: Store) -> None:
    """Remove every quad and graph (after a failed import into an empty store)."""
    for g in list(store.inner.named_graphs()):
        store.inner.remove_graph(g)
    store.inner.remove_graph(ox.DefaultGraph())
    store.set_state(importing=None)


def _base_iri(path: str) -> str | None:
    return None if path in ("-", "") else Path(path).resolve().as_uri()


def check_graph_iri(iri: str, where: str = "--graph") -> None:
    """An :class:`InputError` unless ``iri`` is an absolute IRI pyoxigraph accepts."""
    try:
        ox.NamedNode(iri)
        valid = "://" in iri or iri.startswith("urn:")
    except ValueError:
        valid = False
    if not valid:
        raise InputError(
            f"{iri!r} is not an absolute IRI",
            hint="give an absolute IRI such as https://example.org/g",
            where=where,
        )


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
