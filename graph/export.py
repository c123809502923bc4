"""Export the store (or one graph) in standard RDF formats, deterministically.

What is exported: the asserted graphs (every named graph but the inferred one and the working
graphs), or with ``inferred=True`` the inferred graph too, or one graph (``graph=``). Quad
formats (N-Quads, TriG) keep the graph names; triple formats (Turtle, N-Triples, RDF/XML,
JSON-LD) merge the graphs into one graph of distinct triples.

Triples and quads are sorted by their N-Triples form, and Turtle/TriG declare only the prefixes
they use, so the same store always exports to the same bytes. JSON-LD is compacted with the
bundled context (``ontology/context.jsonld``) one subject at a time, its text written straight
from the N-Triples bytes of each graph as the graphs are dumped (:func:`_write_jsonld_of_store`:
rdflib's compaction rules and term selection, our writing; rdflib is imported only here).
``pledge:row`` (an index) is left out of every export.

Round trip: :func:`import_dataset` loads an export into a new, empty store (``pledgegraph
import``); quad formats give back every graph, triple formats one graph. Either way every
stored question then gives the answers it gave on the exported store (see the README).
"""

from __future__ import annotations

import contextlib
import functools
import io
import itertools
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from json.encoder import encode_basestring as _ENCODE_STRING
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from pledgegraph.errors import InputError, PledgeGraphError, resolved
from pledgegraph.graph.formats import QUAD_FORMATS, RDF_FORMATS
from pledgegraph.graph.store import Store, index_quads
from pledgegraph.loaders.rdf import ROW_PREDICATES
from pledgegraph.ontology import INFERRED_GRAPH, PLEDGE, PREFIXES

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


#: ``pledge:row`` and its short keys are an index (rebuilt at load and by ``reindex``), not
#: data: exports leave them out, and :func:`import_dataset` rebuilds them.
_ROW_PREFIX = b"<" + (PLEDGE + "row").encode("utf-8")  # each index predicate starts so
_ROW_IRIS = b"|".join(re.escape(b"<" + p.encode("utf-8") + b">") for p in ROW_PREDICATES)
_ROW_LINE = re.compile(rb"^[^ \n]+ (?:" + _ROW_IRIS + rb") [^\n]*\n", re.M)
#: Every triple of the query's default graph but the precomputed rows.
_WITHOUT_INDEX = (
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(?p NOT IN ("
    + ", ".join(f"<{p}>" for p in ROW_PREDICATES)
    + ")) }"
)


def _graph_lines(
    store: Store, graph: ox.NamedNode | ox.DefaultGraph, *, directions: bool = False
) -> tuple[list[bytes], bool, bool, bool]:
    """The triples of one graph as sorted N-Triples lines, whether they may hold a blank node,
    an RDF 1.2 triple term, and (looked for only with ``directions``: a scan of the bytes,
    which JSON-LD, writing ``@direction``, does without) RDF 1.2 text with a direction
    (``"…"@en--ltr``). pyoxigraph writes the lines: no term becomes a Python object."""
    if isinstance(store.inner, ox.Store):
        # The precomputed rows (a quarter of the quads at 1M, and the longest terms) are left
        # out by the engine rather than dumped and cut out here: each long term costs a lookup
        # to decode (bench/README.md, "Exports without the index").
        found = store.inner.query(_WITHOUT_INDEX, default_graph=graph)
        assert isinstance(found, ox.QueryTriples)
        data = found.serialize(format=ox.RdfFormat.N_TRIPLES)
    else:  # a remote store: its quads are Python objects already
        triples = (
            ox.Triple(q.subject, q.predicate, q.object)
            for q in store.inner.quads_for_pattern(None, None, None, graph)
        )
        data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        assert isinstance(data, bytes)
        if _ROW_PREFIX in data:
            data = _ROW_LINE.sub(b"", data)
    assert isinstance(data, bytes)
    lines = data.splitlines(keepends=True)
    lines.sort()
    directed = directions and b"--" in data and _DIRECTED.search(data) is not None
    return lines, b"_:" in data, b"<<(" in data, directed


#: The end of an N-Triples line whose object is text with a direction: ``"…"@en--ltr .``.
_DIRECTED = re.compile(rb'"@[A-Za-z]+(?:-[A-Za-z0-9]+)*--(?:ltr|rtl) \.$', re.MULTILINE)
#: What each flag of :func:`_graph_lines` past the first two names, for a note to the user.
RDF_1_2_TERMS = ("triple terms", "text with a direction")


def _is_blank_line(line: bytes) -> bool:
    """Whether an N-Triples line may hold a blank node (a literal holding "_:" is a false
    alarm, which only costs a line more in the canonicalisation)."""
    return b"_:" in line


class _Lines:
    """The N-Triples lines of the exported graphs, blank nodes labelled canonically.

    Each graph is dumped by pyoxigraph (two graphs at a time: the dump releases the GIL) and
    kept as its sorted lines (bytes): the sort key of a triple is its N-Triples form, and as a
    Python object a triple would cost ten times the memory.
    Blank nodes get canonical labels (:func:`canonical_blank_nodes`) computed on the lines that
    hold them only, over the dataset (``quads=True``) or over the merged graph.
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
                dumped = list(
                    pool.map(lambda g: _graph_lines(store, g, directions=True), self.graphs)
                )
        else:
            dumped = [_graph_lines(store, g, directions=True) for g in self.graphs]
        touched: set[str] = set()
        #: The RDF 1.2 terms the graphs hold (:data:`RDF_1_2_TERMS`), for a note.
        self.rdf_1_2 = frozenset(
            name for d in dumped for name, held in zip(RDF_1_2_TERMS, d[2:], strict=True) if held
        )
        for g, (lines, has_blank, *_) in zip(self.graphs, dumped, strict=True):
            if has_blank:
                kept = [line for line in lines if not _is_blank_line(line)]
                data = b"".join(line for line in lines if _is_blank_line(line))
                blank.extend(
                    ox.Quad(t.subject, t.predicate, t.object, g if quads else ox.DefaultGraph())
                    for t in ox.parse(data, ox.RdfFormat.N_TRIPLES)
                )
                lines = kept
            self.by_graph[str(g)] = lines
        relabelled: dict[str, list[ox.Triple]] = {}
        for q in canonical_blank_nodes(blank):
            key = str(q.graph_name) if quads else str(self.graphs[0])
            relabelled.setdefault(key, []).append(ox.Triple(q.subject, q.predicate, q.object))
        for key, triples in relabelled.items():
            written = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
            assert isinstance(written, bytes)
            self.by_graph[key].extend(written.splitlines(keepends=True))
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
# (an IRI holds no "<" nor space: the "<<(" of an RDF 1.2 triple term opens none)
_TERMS = re.compile(rb'"(?:[^"\\\n]|\\.)*"(@|\^\^)?|<([^<>\s]*)>')
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
) -> frozenset[str]:
    """Write the export (see :func:`export`) to a binary stream, in UTF-8.

    Each graph is dumped by pyoxigraph as N-Triples and sorted as lines of bytes (see
    :class:`_Lines`); N-Quads and N-Triples are those lines; Turtle, TriG and RDF/XML are
    pyoxigraph's writers fed the sorted lines, parsed again as they go; JSON-LD is written one
    node object per subject, each graph's nodes made while the next graphs are dumped
    (:func:`_write_jsonld_of_store`). Nothing is written when the export cannot
    be made (unknown graph, RDF/XML that cannot hold a term).

    Returns the RDF 1.2 terms written in RDF 1.2 syntax (:data:`RDF_1_2_TERMS`), which RDF 1.1
    readers refuse: none for JSON-LD, which writes a direction as ``@direction`` and refuses a
    triple term.
    """
    _checked(store, fmt, graph)
    graphs = export_graphs(store, graph=graph, inferred=inferred)
    if fmt == "jsonld":
        _write_jsonld_of_store(store, graphs, out)
        return frozenset()
    lines = _Lines(store, graphs, quads=fmt in QUAD_FORMATS)
    rdf_1_2 = lines.rdf_1_2
    if fmt == "nquads":
        out.writelines(lines.quad_lines())
        return rdf_1_2
    if fmt == "trig":
        quad_lines = list(lines.quad_lines())
        prefixes = _prefixes_of_lines(line for g in lines.by_graph.values() for line in g)
        ox.serialize(_parsed(quad_lines, ox.RdfFormat.N_QUADS), out, ox.RdfFormat.TRIG,
                     prefixes=prefixes)  # fmt: skip
        return rdf_1_2
    triples = lines.triple_lines()
    del lines
    if fmt == "ntriples":
        out.writelines(triples)
        return rdf_1_2
    prefixes = _prefixes_of_lines(triples)
    if fmt == "rdfxml":  # checked whole before a byte is written
        parsed = list(_parsed(triples, ox.RdfFormat.N_TRIPLES))
        check_rdfxml(parsed)
        ox.serialize(parsed, out, ox.RdfFormat.RDF_XML, prefixes=prefixes)
        return rdf_1_2
    ox.serialize(_parsed(triples, ox.RdfFormat.N_TRIPLES), out, RDF_FORMATS[fmt], prefixes=prefixes)
    return rdf_1_2


class ExportTerminated(PledgeGraphError):
    """``export -o`` was stopped with SIGTERM: the target is as it was, no temporary is left."""

    exit_code = 128 + 15  # as shells report a SIGTERM


class _Stop(BaseException):
    """Raised by the SIGTERM handler wherever the export is (as KeyboardInterrupt is, so no
    ``except Exception`` in a library turns it into another error: an import of rdflib did,
    a traceback), and turned into its :class:`ExportTerminated` by :func:`export_to_file`."""

    def __init__(self, error: ExportTerminated) -> None:
        super().__init__(error.message)
        self.error = error


def export_to_file(
    store: Store, path: str, fmt: str, *, graph: str | None = None, inferred: bool = False
) -> frozenset[str]:
    """:func:`write_export` into the file ``path``, which is replaced only when complete (and
    what it returns).

    The export is written to a temporary file ``.<name>.<pid>-<random>.pgtmp`` in the
    target's directory, flushed to disk and renamed over ``path``: a full disk, a kill or a
    bad graph leaves an existing file as it was. SIGTERM (caught in the main thread) and
    Ctrl-C remove the temporary file (SIGTERM raises :class:`ExportTerminated`); one left by
    SIGKILL is removed by the next export to the same target (its process is gone).
    (``O_TMPFILE`` would leave nothing even then, but linking it into place fails in some
    containers: EXDEV.)

    A symbolic link is followed: the file it points to is replaced and the link stays. A
    target that exists and is not a regular file (``/dev/stdout``, ``/dev/null``, a named
    pipe) cannot be replaced: the export is written into it directly.
    """
    import os
    import signal
    import stat
    import threading

    try:
        mode = os.stat(path).st_mode  # (through a symbolic link)
    except OSError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        return _export_into(store, Path(path), path, fmt, graph=graph, inferred=inferred)
    target = Path(os.path.realpath(path)) if os.path.islink(path) else Path(path)
    _check_target(target, path)
    if store.path is not None and resolved(target).is_relative_to(resolved(store.path)):
        where = "points into the store" if os.path.islink(path) else "is inside the store"
        raise InputError(where, hint="choose a file outside the store's folder", path=path)
    _remove_stale_temporaries(target)
    main = threading.current_thread() is threading.main_thread()
    previous: Any = None

    temporary: Path | None = None
    written: list[tuple[int, int]] = []  # the complete temporary file's (device, inode)

    def terminated(signum: int, frame: Any) -> None:
        # (the signal may land just after the rename: say what is true)
        whole = False
        if written:
            with contextlib.suppress(OSError):
                found = os.stat(target)
                whole = (found.st_dev, found.st_ino) == written[0]
        raise _Stop(  # (a BaseException: library code's "except Exception" cannot swallow it)
            ExportTerminated(
                "stopped by SIGTERM",
                hint="the export had been written whole before it stopped"
                if whole
                else "the file was not written or changed; run the export again",
                path=path,
            )
        )

    if main:
        previous = signal.signal(signal.SIGTERM, terminated)
    try:
        temporary = _temporary_name(target)
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "wb") as handle:
            rdf_1_2 = write_export(store, handle, fmt, graph=graph, inferred=inferred)
            handle.flush()
            os.fsync(handle.fileno())
            found = os.fstat(handle.fileno())
            written.append((found.st_dev, found.st_ino))
        os.replace(temporary, target)
        temporary = None
    except OSError as exc:
        raise _write_error(exc, target, path) from None
    except _Stop as stop:
        raise stop.error from None
    finally:
        try:
            if temporary is not None:
                temporary.unlink(missing_ok=True)
        finally:
            if main:
                signal.signal(signal.SIGTERM, previous)
    try:  # make the rename itself durable
        directory = os.open(target.parent, os.O_RDONLY)
    except OSError:
        return rdf_1_2
    try:
        os.fsync(directory)
    except OSError:
        pass
    finally:
        os.close(directory)
    return rdf_1_2


def _export_into(
    store: Store, target: Path, path: str, fmt: str, *, graph: str | None, inferred: bool
) -> frozenset[str]:
    """Write the export straight into a device or a named pipe (nothing to replace)."""
    try:
        with open(target, "wb") as handle:
            rdf_1_2 = write_export(store, handle, fmt, graph=graph, inferred=inferred)
            handle.flush()
            return rdf_1_2
    except BrokenPipeError:
        raise  # `-o /dev/stdout | head`: the reader left, as for standard output
    except OSError as exc:
        raise _write_error(exc, target, path, replacing=False) from None


_TEMPORARY = re.compile(r"\.(?P<name>.+)\.(?P<pid>[0-9]+)-[0-9a-f]{12}\.pgtmp")


def _temporary_name(target: Path) -> Path:
    import os
    import uuid

    return target.with_name(f".{target.name}.{os.getpid()}-{uuid.uuid4().hex[:12]}.pgtmp")


def _remove_stale_temporaries(target: Path) -> None:
    """Remove the temporary files of earlier exports to ``target`` whose process is gone."""
    import os

    try:
        names = os.listdir(target.parent)
    except OSError:
        return
    for name in names:
        found = _TEMPORARY.fullmatch(name)
        if not found or found["name"] != target.name:
            continue
        try:
            os.kill(int(found["pid"]), 0)
            continue  # still running (an export in progress)
        except PermissionError:
            continue  # another user's process, running
        except (ProcessLookupError, OverflowError):
            pass  # gone: its temporary file is left from a kill
        (target.parent / name).unlink(missing_ok=True)


def _check_target(target: Path, path: str) -> None:
    """Errors known before anything is written: no such folder, the target is a folder."""
    parent = target.parent
    if target.is_dir():
        raise InputError(
            "is a folder", hint="give a file name, such as store.ttl inside it", path=path
        )
    if not parent.exists():
        raise InputError(
            f"the folder {str(parent)!r} does not exist",
            hint="create it first, or choose another path",
            path=path,
        )
    if not parent.is_dir():
        raise InputError(f"{str(parent)!r} is not a folder", hint="choose another path", path=path)


def _write_error(exc: OSError, target: Path, path: str, *, replacing: bool = True) -> InputError:
    """One error line for a failed write, worded by what went wrong."""
    import errno

    kept = "; an existing file was left as it was" if replacing and target.exists() else ""
    code = exc.errno
    if code in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        problem, hint = f"cannot write: {exc.strerror}", "free some space or choose another path"
    elif code in (errno.EACCES, errno.EPERM):
        problem = f"permission denied: cannot write in the folder {str(target.parent)!r}"
        hint = "choose a folder you may write to"
    elif code == errno.EROFS:
        problem, hint = "the file system is read-only", "choose a path on a writable disk"
    elif code == errno.ENOENT and target.parent.is_dir():
        problem = f"cannot create a file in the folder {str(target.parent)!r}"
        hint = "choose another path"
    elif code == errno.ENOENT:
        problem = f"the folder {str(target.parent)!r} does not exist"
        hint = "create it first, or choose another path"
    elif code == errno.EISDIR:
        problem, hint = "is a folder", "give a file name, such as store.ttl inside it"
    elif code == errno.ENOTDIR:
        problem, hint = "a part of the path is not a folder", "choose another path"
    else:
        problem, hint = f"cannot write: {exc.strerror or exc}", "choose another path"
    return InputError(problem, hint=hint + kept, path=path)


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


#: A blank-node component this small is canonicalised by RDFC-1.0 even when its nodes look
#: alike: RDFC-1.0 tries every order of look-alike nodes (a clique of 7 took 1 s, of 8: 15 s).
SMALL_COMPONENT = 4


def canonical_blank_nodes(quads: list[ox.Quad]) -> list[ox.Quad]:
    """The same quads (each holding a blank node) with canonical blank node labels.

    Deterministic, in time and memory linear in the quads: the same data gets the same labels
    whatever the store's internal ids. The blank nodes fall into components (linked through
    the quads that hold two of them). A component whose nodes each have a distinct
    neighbourhood (their quads, with the other blank nodes blanked out: RDFC-1.0's first
    degree hash), or that has at most :data:`SMALL_COMPONENT` nodes, gets RDFC-1.0 labels
    (``_:c14nN``), computed over all such components together; RDFC-1.0 needs no search for
    those. Any other component (a long chain or a deep nest of look-alike nodes, where
    RDFC-1.0 takes cubic time or worse) is labelled ``_:hN`` in the order of
    :func:`_structural_hashes`.
    """
    if not quads:
        return quads
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    keys: dict[str, list[str]] = {}
    edges: list[tuple[str, str, str]] = []  # (subject, predicate, object), both blank
    for q in quads:  # graph names are IRIs (or the default graph) in an export
        s, o = q.subject, q.object
        sb = s.value if isinstance(s, ox.BlankNode) else None
        ob = o.value if isinstance(o, ox.BlankNode) else None
        p = str(q.predicate)
        g = "" if isinstance(q.graph_name, ox.DefaultGraph) else f" {q.graph_name}"
        if sb is not None:
            other = ("_:a" if ob == sb else "_:z") if ob is not None else str(o)
            keys.setdefault(sb, []).append(f"_:a {p} {other}{g} .")
        if ob is not None and ob != sb:
            other = "_:z" if sb is not None else str(s)
            keys.setdefault(ob, []).append(f"{other} {p} _:a{g} .")
        if sb is not None and ob is not None and ob != sb:
            edges.append((sb, p, ob))
            ra, rb = root(sb), root(ob)
            if ra != rb:
                parent[rb] = ra
    digests = {b: _digest(lines) for b, lines in keys.items()}
    del keys
    seen: dict[str, int] = {}
    for d in digests.values():
        seen[d] = seen.get(d, 0) + 1
    members: dict[str, list[str]] = {}
    for b in digests:
        members.setdefault(root(b), []).append(b)
    hard = {
        b
        for nodes in members.values()
        if len(nodes) > SMALL_COMPONENT and any(seen[digests[n]] > 1 for n in nodes)
        for b in nodes
    }
    if not hard:
        dataset = ox.Dataset(quads)
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        return list(dataset)
    easy: list[ox.Quad] = []
    rest: list[ox.Quad] = []
    for q in quads:
        s, o = q.subject, q.object
        if (isinstance(s, ox.BlankNode) and s.value in hard) or (
            isinstance(o, ox.BlankNode) and o.value in hard
        ):
            rest.append(q)
        else:
            easy.append(q)
    out: list[ox.Quad] = []
    if easy:
        dataset = ox.Dataset(easy)
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        out.extend(dataset)
    hashes = _structural_hashes([e for e in edges if e[0] in hard], {b: digests[b] for b in hard})
    order = sorted(hard, key=lambda b: (hashes[b], b))
    label = {b: ox.BlankNode(f"h{i}") for i, b in enumerate(order)}

    def term(t: Any) -> Any:
        return label[t.value] if isinstance(t, ox.BlankNode) else t

    out.extend(ox.Quad(term(q.subject), q.predicate, term(q.object), q.graph_name) for q in rest)
    return out


def _digest(lines: list[str]) -> str:
    """A digest of lines, in sorted order."""
    import hashlib

    lines.sort()
    return hashlib.sha1("\n".join(lines).encode("utf-8")).hexdigest()


def _structural_hashes(
    edges: list[tuple[str, str, str]], digests: dict[str, str]
) -> dict[str, str]:
    """A hash of each blank node from its neighbourhood, its descendants and its ancestors.

    ``edges`` are the (subject, predicate, object) of the quads between two blank nodes,
    ``digests`` each node's first-degree digest. Bottom-up first (a node after every blank
    node it points to, in Kahn's order; nodes on or above a cycle use their neighbours'
    first-degree digests), then top-down (a node after the blank nodes that point to it). No
    recursion, each edge read a fixed number of times. Two nodes get the same hash only when
    their surroundings look the same both ways (in a tree, only when swapping them changes
    no quad, so their order cannot change the output).
    """
    children: dict[str, list[tuple[str, str]]] = {b: [] for b in digests}
    parents: dict[str, list[tuple[str, str]]] = {b: [] for b in digests}
    for s, p, o in edges:
        children[s].append((p, o))
        parents[o].append((p, s))
    waiting = {b: len(c) for b, c in children.items()}
    ready = [b for b, n in waiting.items() if n == 0]
    order: list[str] = []
    up: dict[str, str] = {}
    while ready:
        b = ready.pop()
        order.append(b)
        below = children[b]
        up[b] = _digest([digests[b], *(p + " " + up[c] for p, c in below)]) if below else digests[b]
        for _, p in parents[b]:
            waiting[p] -= 1
            if waiting[p] == 0:
                ready.append(p)
    acyclic = set(up)
    for b in digests:  # on a cycle, or above one: the first-degree digests of such neighbours
        if b not in acyclic:
            up[b] = _digest(
                [
                    digests[b],
                    *(p + " " + (up[c] if c in acyclic else digests[c]) for p, c in children[b]),
                ]
            )
            order.append(b)
    final: dict[str, str] = {}
    for b in reversed(order):  # parents first: a parent comes after its children in Kahn's order
        above = parents[b]
        if b not in acyclic or not above:
            final[b] = up[b]
        else:
            final[b] = _digest(
                [up[b], *(p + " " + (final[s] if s in acyclic else up[s]) for p, s in above)]
            )
    return final


def to_jsonld(triples: list[ox.Triple]) -> str:
    """Compacted JSON-LD with the bundled context; nodes and values in a stable order."""
    blank = [ox.Quad(t.subject, t.predicate, t.object) for t in triples if _has_blank(t)]
    plain = [t for t in triples if not _has_blank(t)]
    relabelled = plain + [
        ox.Triple(q.subject, q.predicate, q.object) for q in canonical_blank_nodes(blank)
    ]
    data = ox.serialize(relabelled, format=ox.RdfFormat.N_TRIPLES)
    assert isinstance(data, bytes)
    lines = sorted(set(data.splitlines(keepends=True)))
    out = io.BytesIO()
    _write_jsonld(lines, out)
    return out.getvalue().decode("utf-8")


_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_FIRST, _REST, _NIL, _TYPE = _RDF + "first", _RDF + "rest", _RDF + "nil", _RDF + "type"
_XSD = "http://www.w3.org/2001/XMLSchema#"
#: Literals written as JSON values (as rdflib does): strings, integers, doubles, booleans.
_NATIVE = frozenset(_XSD + t for t in ("string", "integer", "double", "boolean"))


def _lists(lines: Iterable[bytes]) -> tuple[dict[str, list[Any]], set[str]]:
    """The well-formed RDF lists among blank nodes (head label -> items), and their nodes.

    A list is written as ``{"@list": [...]}`` where it is used. Its nodes must be blank, hold
    just ``rdf:first`` and ``rdf:rest``, be used once each (the head by a triple other than a
    list's own), and end in ``rdf:nil``. A list item is never written as a list in turn, so
    no value nests deeper than one ``@list``.
    """
    used: dict[str, int] = {}
    used_by: dict[str, str] = {}
    first: dict[str, Any] = {}
    rest: dict[str, Any] = {}
    other: set[str] = set()
    for t in _parsed((line for line in lines if _is_blank_line(line)), ox.RdfFormat.N_TRIPLES):
        s, p, o = t.subject, t.predicate.value, t.object
        if isinstance(o, ox.BlankNode):
            used[o.value] = used.get(o.value, 0) + 1
            used_by[o.value] = p
        if isinstance(s, ox.BlankNode):
            if p == _FIRST and s.value not in first:
                first[s.value] = o
            elif p == _REST and s.value not in rest:
                rest[s.value] = o
            else:
                other.add(s.value)
    lists: dict[str, list[Any]] = {}
    consumed: set[str] = set()
    for head, predicate in used_by.items():
        if predicate in (_FIRST, _REST) or used[head] != 1:
            continue
        items: list[Any] = []
        node: Any = ox.BlankNode(head)
        chain: set[str] = set()
        while isinstance(node, ox.BlankNode):
            label = node.value
            if (
                label in chain
                or label in other
                or label not in first
                or label not in rest
                or used.get(label) != 1
            ):
                break
            chain.add(label)
            items.append(first[label])
            node = rest[label]
        else:
            if isinstance(node, ox.NamedNode) and node.value == _NIL:
                lists[head] = items
                consumed |= chain
    return lists, consumed


class _JsonLd:
    """rdflib's JSON-LD compaction (``rdflib.plugins.serializers.jsonld.Converter``) for one
    subject at a time, with rdflib's own term selection (its ``Context``), so the same data
    gives the same nodes. Unlike rdflib, a blank node is always its own top-level node
    (rdflib reaches them by recursion), so nothing nests deeper than one ``@list``."""

    def __init__(self, ctx: dict[str, Any], lists: dict[str, list[Any]]) -> None:
        from rdflib.plugins.shared.jsonld.context import Context

        self.context = Context(ctx)
        self.lists = lists
        self._shrunk: dict[str, str] = {}
        self._symbols: dict[str, str] = {}
        self._terms: dict[tuple[str, str | None, str | None, bool], Any] = {}

    def shrink(self, iri: str) -> str:
        found = self._shrunk.get(iri)
        if found is None:
            found = self._shrunk[iri] = str(self.context.shrink_iri(iri))
        return found

    def symbol(self, iri: str) -> str:
        found = self._symbols.get(iri)
        if found is None:
            found = self._symbols[iri] = str(self.context.to_symbol(iri))
        return found

    def term(self, predicate: str, obj: Any, is_list: bool) -> Any:
        if isinstance(obj, ox.Literal):
            key = (predicate, None if obj.language else obj.datatype.value, obj.language, False)
        else:
            key = (predicate, None, None, is_list)
        if key in self._terms:
            return self._terms[key]
        from rdflib.plugins.shared.jsonld.context import UNDEF
        from rdflib.plugins.shared.jsonld.keys import ID, LIST, VOCAB

        context = self.context
        term = None
        if isinstance(obj, ox.Literal):
            term = context.find_term(predicate, key[1], language=key[2])
        else:
            for container in [LIST, None] if is_list else [None]:
                for coercion in (ID, VOCAB, UNDEF):
                    # None: no container (as rdflib's own converter passes it)
                    term = context.find_term(predicate, coercion, container)  # type: ignore[arg-type]
                    if term:
                        break
                if term:
                    break
        self._terms[key] = term
        return term

    def node(self, subject: Any, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        from rdflib.plugins.shared.jsonld.keys import LANG, LIST, SET

        context = self.context
        node: dict[str, Any] = {"@id": self.ident(subject)}
        for predicate, obj in pairs:
            is_list = isinstance(obj, ox.BlankNode) and obj.value in self.lists
            term = self.term(predicate, obj, is_list)
            value: Any = None
            use_set = False
            language = obj.language if isinstance(obj, ox.Literal) else None
            if language and obj.direction:  # "…"@en--ltr: a value object keeps its direction
                language = None
            if term:
                key = term.name
                if term.type:
                    value = self.coerce(obj, term.type)
                elif term.language and language == term.language:
                    value = obj.value
                if LIST in term.container and is_list:
                    value = [
                        self.coerce(v, term.type) or self.raw(v) for v in self.lists[obj.value]
                    ]
                elif LANG in term.container and language:
                    by_language = node.setdefault(key, {})
                    values = by_language.get(language)
                    if values or SET in term.container:
                        if not isinstance(values, list):
                            by_language[language] = values = [values]
                        values.append(obj.value)
                    else:
                        by_language[language] = obj.value
                    continue
                elif SET in term.container:
                    use_set = True
            else:
                key = self.symbol(predicate)
                key_term = context.terms.get(key)
                if key_term and (key_term.type or key_term.container):
                    key = predicate
                if predicate == _TYPE:
                    if isinstance(obj, ox.NamedNode):
                        value = self.symbol(obj.value)
                    key = "@type"
            if value is None:
                value = self.raw(obj)
            held = node.get(key)
            if held is not None:
                if not isinstance(held, list):
                    node[key] = held = [held]
                held.append(value)
            else:
                node[key] = [value] if use_set else value
        return node

    def ident(self, term: Any) -> str:
        return "_:" + term.value if isinstance(term, ox.BlankNode) else self.shrink(term.value)

    def coerce(self, obj: Any, coercion: str) -> Any:
        from rdflib.plugins.shared.jsonld.keys import ID, VOCAB

        if coercion == ID:
            return self.ident(obj) if not isinstance(obj, ox.Literal) else obj.value
        if coercion == VOCAB and isinstance(obj, ox.NamedNode):
            return self.symbol(obj.value)
        if isinstance(obj, ox.Literal) and obj.datatype.value == coercion and not obj.language:
            return _lexical(obj)
        return None

    def raw(self, obj: Any) -> Any:
        if isinstance(obj, ox.BlankNode):
            items = self.lists.get(obj.value)
            if items is not None:
                return {"@list": [self.raw_item(v) for v in items]}
            return {"@id": "_:" + obj.value}
        if isinstance(obj, ox.NamedNode):
            if obj.value == _NIL:
                return {"@list": []}
            return {"@id": self.shrink(obj.value)}
        return self.raw_item(obj)

    def raw_item(self, obj: Any) -> Any:
        if not isinstance(obj, ox.Literal):
            return {"@id": self.ident(obj)}
        if obj.language:
            if obj.direction:  # RDF 1.2's directional text, JSON-LD 1.1's @direction
                return {
                    "@direction": obj.direction.value,
                    "@language": obj.language,
                    "@value": obj.value,
                }
            return {"@language": obj.language, "@value": obj.value}
        datatype = obj.datatype.value
        if datatype in _NATIVE:
            native = _native(obj.value, datatype)
            if native is not None:
                return native
        return {"@type": self.symbol(datatype), "@value": _lexical(obj)}


def _lexical(literal: ox.Literal) -> str:
    """A typed literal's lexical form as rdflib writes it (it normalises some: a dateTime's
    ``+00:00`` becomes ``Z``), so JSON-LD exports stay the bytes they were."""
    datatype = literal.datatype.value
    if datatype == _XSD + "string":
        return literal.value
    return _rdflib_lexical(literal.value, datatype)


@functools.lru_cache(maxsize=1 << 16)
def _rdflib_lexical(value: str, datatype: str) -> str:
    import rdflib

    from pledgegraph.graph.formats import quiet_rdflib

    quiet_rdflib()

    return str(rdflib.Literal(value, datatype=rdflib.URIRef(datatype)))


def _native(value: str, datatype: str) -> Any:
    """A literal as a JSON value (as rdflib's ``toPython``), or None if it is not well formed."""
    if datatype.endswith("#string"):
        return value
    if datatype.endswith("#integer"):
        try:
            return int(value.strip())
        except ValueError:
            return None
    if datatype.endswith("#boolean"):
        return {"true": True, "1": True, "false": False, "0": False}.get(value.strip())
    try:
        number = float(value)
    except ValueError:
        return None
    return number if number not in (float("inf"), float("-inf")) and number == number else None


def _indented(value: Any, pad: str, ordered: bool = False) -> str:
    """``json.dumps(_canonical_json(value), ensure_ascii=False, indent=2)``, the first line
    unindented and the others indented by ``pad`` more, in one pass (the json module's own
    indenting encoder is pure Python and was a third of the JSON-LD export's time)."""
    if isinstance(value, str):
        return _encode_string(value)
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = pad + "  "
        return (
            "{\n"
            + ",\n".join(
                f"{inner}{_encode_string(k)}: {_indented(v, inner, k == '@list')}"
                for k, v in sorted(value.items())
            )
            + "\n"
            + pad
            + "}"
        )
    if isinstance(value, list):
        if not value:
            return "[]"
        inner = pad + "  "
        items = value if ordered else sorted(value, key=_sort_text)
        return "[\n" + ",\n".join(inner + _indented(v, inner) for v in items) + "\n" + pad + "]"
    return json.dumps(value)


def _sort_text(value: Any) -> str:
    """The order of :func:`_canonical_json` for array items."""
    if isinstance(value, str):
        return _encode_string(value)
    return json.dumps(_canonical_json(value), sort_keys=True, ensure_ascii=False)


def _encode_string(text: str) -> str:
    return str(_ENCODE_STRING(text))


#: How a plan (:meth:`_NodeTexts.plan`) turns an object into a JSON value: as a string (the
#: compacted IRI, the vocabulary symbol, the literal's value or its lexical form), as a node
#: reference or a value object (``{"@id"}``, ``{"@language", "@value"}``, ``{"@type",
#: "@value"}``), as a native JSON value (strings, numbers, booleans) or, for what the plans
#: leave out (lists, language maps, ``rdf:nil``), by the general writer (:class:`_JsonLd`).
_AS_ID, _AS_SYMBOL, _AS_REFERENCE = 0, 1, 2
_AS_VALUE, _AS_LEXICAL, _AS_LANGUAGE, _AS_NATIVE, _AS_TYPED = 3, 4, 5, 6, 7
_GENERAL = 8
_NIL_TAIL = b"<" + _NIL.encode() + b"> .\n"
#: Literal values kept per plan (its JSON text by the literal's bytes) before the cache is
#: emptied: a bound on memory, however many distinct literals an export has.
_CACHED_LITERALS = 1 << 16
#: A JSON value in a node: its text (a string, number or boolean, written the same at any
#: depth), or the ``"key": value`` members of a value object (written at the depth it is at).
_Value = str | tuple[str, ...]
_Plan = tuple[str, bool, int, str, dict[bytes, _Value]]


class _NodeTexts:
    """The text of each node object, straight from the sorted N-Triples lines of its subject.

    The same JSON as :class:`_JsonLd` then :func:`_indented` give (tests/test_export_jsonld.py
    compares the two on varied data), without making Python terms or dicts: each line is split
    as bytes, and what :class:`_JsonLd` decides from a triple's predicate and the kind of its
    object (the key, ``@set``, how the value is written) is decided once per predicate and
    kind (a *plan*); compacted IRIs and JSON strings of IRIs are cached. A subject whose
    triples need what no plan covers (an RDF list, a language map, ``rdf:nil``, an escape in
    an IRI) is written by :class:`_JsonLd` as before.
    """

    def __init__(self, writer: _JsonLd, consumed: set[str]) -> None:
        self.writer = writer
        self.consumed = consumed
        self.lists = writer.lists
        self.ids: dict[bytes, str] = {}  # <iri> -> its compacted form as a JSON string
        self.symbols: dict[bytes, str] = {}  # <iri> -> its vocabulary symbol as a JSON string
        self.references: dict[bytes, _Value] = {}  # <iri> -> {"@id": …}
        self.keys: dict[str, str] = {}  # key -> '      "key": '
        self.iri_plans: dict[bytes, _Plan] = {}  # by predicate
        self.literal_plans: dict[tuple[bytes, bytes], _Plan] = {}  # by predicate and kind
        self.blank_plans: dict[bytes, _Plan] = {}  # by predicate

    def iri(self, term: bytes) -> str:
        """The IRI of ``<iri>`` (an IRI with an escape, or a triple term, is left to the
        general writer)."""
        if b"\\" in term or term[1:2] == b"<":
            raise _NotPlanned
        return term[1:-1].decode("utf-8")

    def compacted(self, term: bytes) -> str:
        found = self.ids.get(term)
        if found is None:
            found = self.ids[term] = _encode_string(self.writer.shrink(self.iri(term[:-3])))
        return found

    def symbol(self, term: bytes) -> str:
        found = self.symbols.get(term)
        if found is None:
            found = self.symbols[term] = _encode_string(self.writer.symbol(self.iri(term[:-3])))
        return found

    def plan(self, predicate: bytes, kind: bytes) -> _Plan:
        """(key, whether the key holds a set, how the value is written, the datatype) for a
        triple of ``predicate`` whose object is an IRI (``kind`` ``<``), a blank node (``_``)
        or a literal (``kind`` is what follows its closing quote: ``@lang``, ``^^<datatype>``
        or nothing). The branches are :meth:`_JsonLd.node`'s, for an object that is no list."""
        from rdflib.plugins.shared.jsonld.keys import ID, LANG, SET, VOCAB

        writer = self.writer
        p = self.iri(predicate)
        datatype = language = None
        obj: Any
        if kind == b"<":
            obj = ox.NamedNode("https://example.org/")
        elif kind == b"_":
            obj = ox.BlankNode("b")
        elif kind.startswith(b"@"):
            if b"--" in kind:  # a direction ("…"@en--ltr) is left to the general writer
                raise _NotPlanned
            language = kind[1:].decode("utf-8")
            obj = ox.Literal("x", language=language)
        else:
            datatype = self.iri(kind[2:]) if kind else _XSD_STRING
            obj = ox.Literal("x", datatype=ox.NamedNode(datatype))
        literal = isinstance(obj, ox.Literal)
        term = writer.term(p, obj, False)
        how: int | None = None
        use_set = False
        if term:
            key = term.name
            if term.type:
                if term.type == ID:
                    how = _AS_VALUE if literal else _AS_ID
                elif term.type == VOCAB:
                    how = _AS_SYMBOL if isinstance(obj, ox.NamedNode) else None
                elif literal and datatype == term.type and not language:
                    how = _AS_LEXICAL
            elif term.language and language == term.language:
                how = _AS_VALUE
            if LANG in term.container and language:
                raise _NotPlanned
            if SET in term.container:
                use_set = True
        else:
            key = writer.symbol(p)
            key_term = writer.context.terms.get(key)
            if key_term and (key_term.type or key_term.container):
                key = p
            if p == _TYPE:
                if isinstance(obj, ox.NamedNode):
                    how = _AS_SYMBOL
                key = "@type"
        if how is None:
            if not literal:
                how = _AS_REFERENCE
            elif language:
                how = _AS_LANGUAGE
            elif datatype in _NATIVE:
                how = _AS_NATIVE
            else:
                how = _AS_TYPED
        assert isinstance(key, str)
        return key, use_set, how, datatype or "", {}

    def reference(self, obj: bytes) -> _Value:
        """``{"@id": …}`` of ``<iri> .\\n`` (``rdf:nil`` is left to the general writer)."""
        if obj == _NIL_TAIL:
            raise _NotPlanned
        found = self.references[obj] = ('"@id": ' + self.compacted(obj),)
        return found

    def blank(self, plan: _Plan, obj: bytes) -> _Value:
        """The value of a blank node object ``_:label .\\n`` (a list is left to the general
        writer)."""
        label = obj[2:-3].decode("utf-8")
        if label in self.lists:
            raise _NotPlanned
        text = _encode_string("_:" + label)
        return text if plan[2] == _AS_ID else ('"@id": ' + text,)

    def literal(self, plan: _Plan, obj: bytes, end: int) -> _Value:
        """The value of a literal object (``obj`` its N-Triples bytes, ``end`` the index of
        its closing quote)."""
        how = plan[2]
        cache = plan[4]
        if how >= _AS_LEXICAL and how != _AS_LANGUAGE:
            found = cache.get(obj)
            if found is not None:
                return found
        lexical = obj[1:end]
        if b"\\" in lexical:  # unescaped by pyoxigraph (N-Triples escapes are not JSON's)
            parsed = next(iter(ox.parse(b"<a:> <a:> " + obj, ox.RdfFormat.N_TRIPLES)))
            value = parsed.object.value
        else:
            value = lexical.decode("utf-8")
        if how == _AS_VALUE:
            return _encode_string(value)
        if how == _AS_LANGUAGE:
            language = _encode_string(obj[end + 2 : -3].decode("utf-8"))
            return ('"@language": ' + language, '"@value": ' + _encode_string(value))
        datatype = plan[3]
        made: _Value | None = None
        if how == _AS_LEXICAL:
            made = _encode_string(_literal_lexical(value, datatype))
        elif how == _AS_NATIVE:
            native = _native(value, datatype)
            if native is not None:
                if isinstance(native, str):
                    made = _encode_string(native)
                elif isinstance(native, bool):
                    made = "true" if native else "false"
                else:
                    made = repr(native)  # an int, or a finite float: as json.dumps writes them
        if made is None:
            made = (
                '"@type": ' + self.symbol(obj[end + 3 :]),
                '"@value": ' + _encode_string(_literal_lexical(value, datatype)),
            )
        if len(cache) >= _CACHED_LITERALS:
            cache.clear()
        cache[obj] = made
        return made

    def write(
        self, lines: list[bytes], texts: list[tuple[str, str]], subjects: list[bytes]
    ) -> None:
        """Append (``@id``, text) of the node of each subject of ``lines`` (sorted N-Triples
        lines) to ``texts``, and the subject (its N-Triples bytes) to ``subjects``.

        A node's members map each key to its value, or to a list of values (a set, or a key
        seen twice), as :meth:`_JsonLd.node` builds them."""
        ids, symbols, references = self.ids, self.symbols, self.references
        iri_plans, literal_plans, blank_plans = self.iri_plans, self.literal_plans, self.blank_plans
        plan_of = self.plan
        subject = b""
        ident = ""
        start = 0
        members: dict[str, Any] | None = None
        failed = False
        for index, line in enumerate(lines):
            s, predicate, obj = line.split(b" ", 2)  # obj ends in " .\n"
            if s != subject:
                if failed:
                    made = self.general(lines[start:index])
                    if made is not None:
                        texts.append(made)
                        subjects.append(subject)
                elif members is not None:
                    texts.append((ident, self.text(members)))
                    subjects.append(subject)
                subject, start, failed = s, index, False
                ident, members = self.members(s)
            if members is None:
                continue
            try:
                first = obj[0]
                value: _Value | None
                if first == 60:  # <iri>
                    plan = iri_plans.get(predicate)
                    if plan is None:
                        plan = iri_plans[predicate] = plan_of(predicate, b"<")
                    how = plan[2]
                    if how == _AS_ID:
                        value = ids.get(obj)
                        if value is None:
                            value = self.compacted(obj)
                    elif how == _AS_SYMBOL:
                        value = symbols.get(obj)
                        if value is None:
                            value = self.symbol(obj)
                    else:
                        value = references.get(obj)
                        if value is None:
                            value = self.reference(obj)
                elif first == 34:  # a literal: its kind is what follows the closing quote
                    end = obj.rindex(b'"')
                    kind = obj[end + 1 : -3]
                    plan = literal_plans.get((predicate, kind))
                    if plan is None:
                        plan = literal_plans[(predicate, kind)] = plan_of(predicate, kind)
                    value = self.literal(plan, obj, end)
                else:  # _:label
                    plan = blank_plans.get(predicate)
                    if plan is None:
                        plan = blank_plans[predicate] = plan_of(predicate, b"_")
                    value = self.blank(plan, obj)
            except _NotPlanned:
                failed = True
                members = None
                continue
            key = plan[0]
            held = members.get(key)
            if held is None:
                members[key] = [value] if plan[1] else value
            elif held.__class__ is list:
                held.append(value)
            else:
                members[key] = [held, value]
        if failed:
            made = self.general(lines[start:])
            if made is not None:
                texts.append(made)
                subjects.append(subject)
        elif members is not None:
            texts.append((ident, self.text(members)))
            subjects.append(subject)

    def general(self, block: list[bytes]) -> tuple[str, str] | None:
        """(``@id``, text) of the node of a subject's lines, by :class:`_JsonLd` (as before
        :class:`_NodeTexts`), None for a node of an RDF list."""
        triples = list(ox.parse(b"".join(block), ox.RdfFormat.N_TRIPLES))
        subject = triples[0].subject
        if isinstance(subject, ox.BlankNode) and subject.value in self.consumed:
            return None
        node = self.writer.node(subject, [(t.predicate.value, t.object) for t in triples])
        return node["@id"], "    " + _indented(node, "    ")

    def members(self, subject: bytes) -> tuple[str, dict[str, Any] | None]:
        """The ``@id`` of a new node and its members (``@id`` only); no members for a node of
        an RDF list."""
        if subject[0] == 95:  # _:label
            label = subject[2:].decode("utf-8")
            if label in self.consumed:
                return "", None
            ident = "_:" + label
        else:
            ident = self.shrink(self.iri(subject))
        return ident, {"@id": _encode_string(ident)}

    def shrink(self, iri: str) -> str:
        """``Context.shrink_iri`` of a subject (each is shrunk once: not cached), its
        ``split_iri`` and prefix lookup done here when the context has no base."""
        context = self.writer.context
        if not context._base:
            for delimiter in "#/:":
                at = iri.rfind(delimiter)
                if at > -1:
                    prefix = context._prefixes.get(iri[: at + 1])
                    return prefix + ":" + iri[at + 1 :] if prefix else iri
        return str(context.shrink_iri(iri))

    def text(self, members: dict[str, Any]) -> str:
        """The text of a node from its members."""
        parts = []
        keys = self.keys
        for key in sorted(members):
            prefix = keys.get(key)
            if prefix is None:
                prefix = keys[key] = "      " + _encode_string(key) + ": "
            held = members[key]
            if held.__class__ is str:
                parts.append(prefix + held)
            elif held.__class__ is tuple:
                parts.append(prefix + _value_text(held, "      "))
            else:
                if len(held) > 1:
                    try:  # strings sort as their texts, value objects as their members
                        held.sort()
                    except TypeError:  # both kinds
                        held.sort(key=_value_sort_text)
                parts.append(
                    prefix
                    + "[\n        "
                    + ",\n        ".join(
                        [v if v.__class__ is str else _value_text(v, "        ") for v in held]
                    )
                    + "\n      ]"
                )
        return "    {\n" + ",\n".join(parts) + "\n    }"


class _NotPlanned(Exception):
    """A subject's triples need what the plans leave out: :class:`_JsonLd` writes its node."""


def _value_text(value: _Value, pad: str) -> str:
    """:func:`_indented` of a value of :class:`_NodeTexts` at the depth of ``pad``."""
    if isinstance(value, str):
        return value
    inner = pad + "  "
    return "{\n" + inner + (",\n" + inner).join(value) + "\n" + pad + "}"


def _value_sort_text(value: _Value) -> str:
    """:func:`_sort_text` of a value of :class:`_NodeTexts`."""
    if isinstance(value, str):
        return value
    return "{" + ", ".join(value) + "}"


def _literal_lexical(value: str, datatype: str) -> str:
    """:func:`_lexical` of a literal given by its value and datatype."""
    return value if datatype == _XSD_STRING else _rdflib_lexical(value, datatype)


def _write_jsonld(lines: list[bytes], out: IO[bytes]) -> None:
    """Sorted, distinct N-Triples lines (blank nodes labelled already) as compacted JSON-LD.

    One node object per subject (the lines are sorted, so a subject's triples are together),
    its keys and values sorted, written by :class:`_NodeTexts` (or by :class:`_JsonLd` and
    :func:`_indented` for the few it leaves out); the nodes are then written in the order of
    their ``@id``. Memory: the lines and the written text, never a document of Python objects.
    """
    import warnings

    lists, consumed = _lists(lines)
    nodes = _NodeTexts(_JsonLd(context(), lists), consumed)
    texts: list[tuple[str, str]] = []
    with warnings.catch_warnings():  # rdflib warns on an ill-formed typed literal: kept as is
        warnings.simplefilter("ignore")
        nodes.write(lines, texts, [])
    _write_nodes(texts, out)


def _write_jsonld_of_store(
    store: Store, graphs: list[ox.NamedNode | ox.DefaultGraph], out: IO[bytes]
) -> None:
    """:func:`_write_jsonld` of the merged graphs, the nodes made while the graphs are dumped.

    pyoxigraph dumps the graphs two at a time (:func:`_graph_lines`, without the GIL) while
    this thread writes the nodes of each dumped graph. A subject with triples in more than one
    graph, or with a blank node, has its node made again at the end from all its lines (the
    distinct ones, blank nodes labelled canonically as :class:`_Lines` does), and so does a
    blank node subject; so the bytes are those of :func:`_write_jsonld` of
    :meth:`_Lines.triple_lines`, without merging and sorting all the lines again.
    """
    import bisect
    import warnings

    nodes = _NodeTexts(_JsonLd(context(), {}), set())
    texts: list[tuple[str, str]] = []
    subjects: list[bytes] = []
    seen: set[bytes] = set()
    again: set[bytes] = set()  # subjects whose nodes are made again at the end
    blank: list[ox.Quad] = []
    dumped: list[list[bytes]] = []
    ordered = sorted(graphs, key=str)
    with warnings.catch_warnings(), _dumps(store, ordered) as results:
        warnings.simplefilter("ignore")  # rdflib warns on an ill-formed typed literal
        for lines, has_blank, has_triple_term, _ in results:
            if has_triple_term:
                _check_no_triple_terms(lines)
            if has_blank:
                data = b"".join(line for line in lines if b"_:" in line)
                blank.extend(
                    ox.Quad(t.subject, t.predicate, t.object)
                    for t in ox.parse(data, ox.RdfFormat.N_TRIPLES)
                )
                lines = [line for line in lines if b"_:" not in line]
            dumped.append(lines)
            first = len(subjects)
            nodes.write(lines, texts, subjects)
            for subject in subjects[first:]:
                if subject in seen:
                    again.add(subject)
                else:
                    seen.add(subject)
        del seen
        redo: set[bytes] = set()
        if blank:
            triples = [ox.Triple(q.subject, q.predicate, q.object)
                       for q in canonical_blank_nodes(blank)]  # fmt: skip
            written = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
            assert isinstance(written, bytes)
            redo.update(written.splitlines(keepends=True))
            again.update(line[: line.index(b" ")] for line in redo if line[:1] == b"<")
        if again:
            keep = [i for i, subject in enumerate(subjects) if subject not in again]
            texts = [texts[i] for i in keep]
            for subject in again:
                low, high = subject + b" ", subject + b"!"  # the lines of subject
                for lines in dumped:
                    redo.update(
                        lines[bisect.bisect_left(lines, low) : bisect.bisect_left(lines, high)]
                    )
        if redo:
            lines = sorted(redo)
            lists, consumed = _lists(lines)
            nodes.writer.lists = nodes.lists = lists
            nodes.consumed = consumed
            nodes.write(lines, texts, [])
    _write_nodes(texts, out)


def _check_no_triple_terms(lines: list[bytes]) -> None:
    """Raise an :class:`InputError` if a line holds an RDF 1.2 triple term, which JSON-LD 1.1
    has no way to write (a literal that only looks like one is let through)."""
    for line in lines:
        if b"<<(" in line:
            triple = next(iter(ox.parse(line, ox.RdfFormat.N_TRIPLES)))
            if isinstance(triple.subject, ox.Triple) or isinstance(triple.object, ox.Triple):
                raise InputError(
                    f"{line.decode('utf-8').strip()[:120]} holds an RDF 1.2 triple term, which "
                    "JSON-LD 1.1 cannot hold",
                    hint="export in another format (nquads, trig, turtle, ntriples)",
                    where="jsonld",
                )


@contextlib.contextmanager
def _dumps(
    store: Store, graphs: list[ox.NamedNode | ox.DefaultGraph]
) -> Iterator[Iterator[tuple[list[bytes], bool, bool, bool]]]:
    """:func:`_graph_lines` of each graph, in order; pyoxigraph's own store dumps two graphs
    at a time in threads (its dump runs without the GIL) while the caller reads the results."""
    if not isinstance(store.inner, ox.Store):
        yield (_graph_lines(store, g) for g in graphs)
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2) as pool:
        futures = [pool.submit(_graph_lines, store, g) for g in graphs]
        try:
            yield (future.result() for future in futures)
        finally:
            for future in futures:
                future.cancel()


def _write_nodes(texts: list[tuple[str, str]], out: IO[bytes]) -> None:
    """The JSON-LD document: the context, then the node texts in the order of their ``@id``."""
    texts.sort()
    head = json.dumps({"@context": context()}, ensure_ascii=False, indent=2)[: -len("\n}")]
    if not texts:
        out.write((head + ',\n  "@graph": []\n}\n').encode("utf-8"))
        return
    out.write((head + ',\n  "@graph": [\n').encode("utf-8"))
    for i in range(0, len(texts), 4096):
        chunk = ",\n".join(text for _, text in texts[i : i + 4096])
        out.write(((",\n" if i else "") + chunk).encode("utf-8"))
    out.write(b"\n  ]\n}\n")


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did: the graphs written and the quads of data the store now holds."""

    path: str
    graphs: tuple[str, ...]
    quads: int
    #: What the import changed on the way in (``Note:`` lines): authority IRIs of an older
    #: pledgegraph rewritten, second names of a shared node kept as alternative names.
    notes: tuple[str, ...] = ()


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
    from pledgegraph.graph.store import FILE_GRAPH, reserved_graph, write_error
    from pledgegraph.loaders.rdf import slug

    name = rdf_format_for(path, format)
    own = FILE_GRAPH + slug(Path(path).name if path != "-" else "stdin")
    target = graph or own
    check_graph_iri(target)
    if target != own and reserved_graph(target):
        # (an attack: --graph …/graph/links put an export there, and the next 'link' replaced
        # it all; …/graph/inferred and …/staging/ were dropped whole, with exit 0)
        raise InputError(
            f"the graph <{target}> is reserved for pledgegraph's own data",
            hint="import the triples into another graph (--graph IRI), or leave --graph out",
            where="--graph",
        )
    held = len(store.inner)
    if held or store.graphs():
        held -= sum(index_quads(store).values())  # (as stats counts)
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
        _empty_if_possible(store)
        if isinstance(exc, OSError) and _cannot_write(exc):  # a full disk: not the file's fault
            raise write_error(exc, str(store.path or "memory")) from None
        raise InputError(
            f"cannot import: {_first_line(exc)}",
            hint="import an unchanged file written by 'pledgegraph export'",
            path=path,
        ) from None
    except BaseException:
        _empty_if_possible(store)
        raise
    try:
        return _finish_import(store, path)
    except OSError as exc:
        _empty_if_possible(store)
        raise write_error(exc, str(store.path or "memory")) from None


def _cannot_write(exc: OSError) -> bool:
    import errno

    return exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS) or (
        "no space left" in str(exc).lower()
    )


def _empty_if_possible(store: Store) -> None:
    """Empty the store after a failed import; if that fails too (the disk is full), the state
    still says an import was under way, and the next command empties it."""
    import contextlib

    with contextlib.suppress(OSError):
        _empty(store)


def _finish_import(store: Store, path: str) -> ImportReport:
    """What an import does once the file is in the store: the graphs it may not hold left out
    with a note, the rows rebuilt, older identities migrated."""
    from pledgegraph.graph.store import blank_graph_error

    # As for load: a blank-node graph could be neither listed nor removed.
    if any(isinstance(g, ox.BlankNode) for g in store.inner.named_graphs()):
        _empty(store)
        raise blank_graph_error(path)
    # The inferred graph is rebuilt from the data, never read: one edited in the export (an
    # attack: Hunan placed in Hebei there) passed validate, which checks asserted data only.
    dropped: list[str] = []
    inferred = ox.NamedNode(INFERRED_GRAPH)
    derived = sum(1 for _ in store.inner.quads_for_pattern(None, None, None, inferred))
    if derived:
        store.inner.remove_graph(inferred)
        dropped.append(
            f"Note: the export's inferred graph ({derived:,} quad{'' if derived == 1 else 's'}) "
            "was left out (it is recomputed from the data, not read from a file): run "
            "'pledgegraph reason'"
        )
    # Working graphs hold a reasoning run's unfinished work, never data, and opening the store
    # removes them: an edited export's quads there were counted, then silently gone (an attack).
    from pledgegraph.graph.store import STAGING_GRAPH

    working = [
        name
        for name in store.inner.named_graphs()
        if isinstance(name, ox.NamedNode) and name.value.startswith(STAGING_GRAPH)
    ]
    if working:
        left = sum(
            sum(1 for _ in store.inner.quads_for_pattern(None, None, None, name))
            for name in working
        )
        for work in working:
            store.inner.remove_graph(work)
        dropped.append(
            f"Note: the export's working graphs (<{STAGING_GRAPH}…>, {left:,} "
            f"quad{'' if left == 1 else 's'}) were left "
            "out (they hold unfinished work of a run, never data): move those quads to another "
            "graph in the file to keep them"
        )
    graphs = tuple(store.graphs())
    for g in graphs:
        store.inner.add_graph(ox.NamedNode(g))
    from pledgegraph.graph.rows import rebuild_rows
    from pledgegraph.graph.storedir import kill_point

    kill_point("import-loaded")

    rebuild_rows(store)  # exports leave the pledge:row index out
    from pledgegraph.graph.identity import migrate_identities

    # an export of an older pledgegraph (its authority IRIs), or a node named twice
    notes = [*migrate_identities(store), *dropped]
    store.set_state(importing=None, imported=path)

    quads = len(store.inner) - sum(index_quads(store).values())
    return ImportReport(path, graphs, quads, tuple(notes))


def _empty(store: Store) -> None:
    """Remove every quad and graph (after a failed import into an empty store)."""
    store.empty_after_import()


def _base_iri(path: str) -> str | None:
    return None if path in ("-", "") else resolved(path).as_uri()


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def check_graph_iri(iri: str, where: str = "--graph") -> None:
    """An :class:`InputError` unless ``iri`` is an absolute IRI pyoxigraph accepts."""
    try:
        ox.NamedNode(iri)
        # any scheme: a store may hold graphs named tag:, urn: or did: IRIs (from a TriG file)
        valid = _SCHEME.match(iri) is not None
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
