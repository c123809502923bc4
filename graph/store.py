"""The graph store: an embedded pyoxigraph store with pledgegraph's rules.

- One named graph per source; the ontology and the reference data (regions, deadlines) in graphs
  of their own; queries see the union of all graphs.
- A load is all-or-nothing per source: input is parsed and checked before anything is written,
  and a source's graph is replaced, never mixed with an older version.
- The default store lives at :func:`default_store_path` and is created on first use with the
  ontology and the bundled dataset, so queries work right after install.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import os
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from pledgegraph.errors import (
    InputError,
    PledgeGraphError,
    RdfSyntaxError,
    StoreError,
    StoreLockedError,
)
from pledgegraph.graph.backend import QuadStore
from pledgegraph.graph.formats import QUAD_FORMATS, RDF_FORMATS, rdf_format_for, read_bytes
from pledgegraph.ontology import (
    GRAPH,
    INFERRED_GRAPH,
    ONTOLOGY_GRAPH,
    ONTOLOGY_IRI,
    REFERENCE_GRAPH,
    SOURCE_GRAPH,
)

ENV_STORE = "PLEDGEGRAPH_STORE"
JOURNAL_DIR = "pledgegraph-journal"
PID_FILE = "pledgegraph.pid"
STATE_FILE = "pledgegraph-state.json"
FILE_GRAPH = GRAPH + "file/"

#: pyoxigraph's bulk loader beats transactional loading from about this many bytes of input,
#: which fact sheets reach at about this many targets.
_BULK_THRESHOLD = 4_000_000
_BULK_TARGETS = 2_000


class _LineReader(io.RawIOBase):
    """A binary stream of the UTF-8 encoded lines of an iterator (for the bulk loader)."""

    def __init__(self, lines: Iterator[str]) -> None:
        self._lines = lines
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while len(self._pending) < len(buffer):
            chunk = "".join(itertools.islice(self._lines, 4096))
            if not chunk:
                break
            self._pending += chunk.encode("utf-8")
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


def default_store_path() -> Path:
    """``$PLEDGEGRAPH_STORE``, else ``$XDG_DATA_HOME/pledgegraph/store`` (``~/.local/share/…``)."""
    explicit = os.environ.get(ENV_STORE)
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base).expanduser() / "pledgegraph" / "store"


@dataclass(frozen=True, slots=True)
class LoadReport:
    """What a load did: the graph written and how many quads it now holds."""

    source: str  # the input, as the user named it
    graph: str
    quads: int
    replaced: bool


@dataclass(frozen=True, slots=True)
class GraphStats:
    graph: str
    quads: int


def _locked(exc: OSError) -> bool:
    text = str(exc).lower()
    return "lock" in text and (
        "resource temporarily unavailable" in text or "hold" in text or "held" in text
    )


class Store:
    """The pledgegraph store. Open with :meth:`open` (on disk) or :meth:`memory` (tests)."""

    def __init__(self, inner: QuadStore, path: Path | None = None) -> None:
        self.inner = inner  # embedded pyoxigraph, or a SPARQL server (graph/remote.py)
        self.path = path
        self._state: dict[str, object] = {}  # in-memory stores keep their state here

    # --- small persistent state (a JSON file beside the database files) -------------------

    def _state_file(self) -> Path | None:
        return self.path / STATE_FILE if self.path is not None else None

    def state(self) -> dict[str, object]:
        """The store's small state: e.g. ``{"inferred_stale": true}``."""
        file = self._state_file()
        if file is None or not file.exists():
            return dict(self._state)
        import json

        try:
            value = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return value if isinstance(value, dict) else {}

    def set_state(self, **values: object) -> None:
        """Update the state atomically (write a temporary file, then rename it)."""
        current = self.state()
        current.update(values)
        file = self._state_file()
        if file is None:
            self._state = current
            return
        import json

        temporary = file.with_suffix(".tmp")
        with temporary.open("w", encoding="utf-8") as handle:
            handle.write(json.dumps(current, sort_keys=True))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, file)

    def inferred_is_stale(self) -> bool:
        """Whether data changed since the inferred graph was last built (and one exists)."""
        return bool(self.state().get("inferred_stale")) and self.has_graph(INFERRED_GRAPH)

    def mark_inferred(self, *, stale: bool) -> None:
        self.set_state(inferred_stale=stale)

    # --- opening -------------------------------------------------------------------------

    @classmethod
    def memory(cls, *, initialise: bool = True) -> Store:
        """An in-memory store, filled with the ontology and bundled dataset unless told not to."""
        store = cls(ox.Store())
        if initialise:
            store.initialise()
        return store

    @classmethod
    def open(
        cls, path: str | Path | None = None, *, initialise: bool = True, wait: float = 2.0
    ) -> Store:
        """Open (creating it if needed) the persistent store at ``path`` or the default path.

        The store is used by one process at a time: if another holds it, wait up to ``wait``
        seconds, then raise :class:`StoreLockedError` naming that process. Opening also
        finishes the recovery of a load that was interrupted (see :meth:`recover`).
        """
        target = Path(path) if path is not None else default_store_path()
        where = str(target)
        if target.exists() and not target.is_dir():
            raise StoreError(
                "is a file, not a store directory",
                hint=f"pass --store with a directory or set {ENV_STORE}",
                where=where,
            )
        try:
            target.mkdir(parents=True, exist_ok=True)
            inner = _open_locked(target, wait)
        except PermissionError:
            raise StoreError(
                "cannot create or write the store here (permission denied)",
                hint=f"pass --store with a writable directory or set {ENV_STORE}",
                where=where,
            ) from None
        except OSError as exc:
            if _locked(exc):
                owner = _read_pid(target)
                raise StoreLockedError(
                    f"the store at {where} is in use by another pledgegraph process"
                    + (f" (pid {owner})" if owner else ""),
                    hint="wait for it to finish, or use another --store",
                ) from None
            raise StoreError(
                f"cannot open the store: {exc}",
                hint=f"pass --store with a writable directory or set {ENV_STORE}",
                where=where,
            ) from None
        store = cls(inner, target)
        _write_pid(target)
        store.recover()
        if initialise and not store.is_initialised():
            store.initialise()
        return store

    def close(self) -> None:
        """Flush and release the store (the lock goes with the last reference)."""
        if not hasattr(self, "inner"):
            return
        if self.path is not None:
            self.inner.flush()
            (self.path / PID_FILE).unlink(missing_ok=True)
        del self.inner

    def backup(self, directory: str | Path) -> Path:
        """Write a consistent copy of the store to ``directory`` (which must not exist yet)."""
        target = Path(directory)
        if self.path is None:
            raise StoreError("an in-memory store cannot be backed up", where="backup")
        if target.exists():
            raise StoreError(
                "already exists", hint="choose a new directory for the backup", where=str(target)
            )
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            assert isinstance(self.inner, ox.Store)  # a store on disk is embedded
            self.inner.flush()
            self.inner.backup(str(target))
        except OSError as exc:
            raise StoreError(
                f"cannot write the backup: {exc}",
                hint="choose a writable directory",
                where=str(target),
            ) from None
        state = self._state_file()
        if state is not None and state.exists():
            (target / STATE_FILE).write_bytes(state.read_bytes())
        return target

    @classmethod
    def restore(
        cls, backup: str | Path, path: str | Path | None = None, *, wait: float = 2.0
    ) -> Store:
        """Replace the store at ``path`` (default path if None) by a copy of ``backup``.

        The backup is checked by opening it first; the old store is kept aside until the
        copy is in place, so a failure leaves the old store as it was.
        """
        import shutil

        source = Path(backup)
        target = Path(path) if path is not None else default_store_path()
        if not (source / "CURRENT").exists():
            raise StoreError(
                "is not a pledgegraph backup (no database files)",
                hint="give a directory written by 'pledgegraph backup'",
                where=str(source),
            )
        try:
            ox.Store.read_only(str(source))  # a readable database?
        except OSError as exc:
            raise StoreError(f"the backup cannot be read: {exc}", where=str(source)) from None
        holder = None
        if target.exists():
            holder = cls.open(target, initialise=False, wait=wait)  # takes the lock, or fails
        staging = target.with_name(target.name + ".restoring")
        aside = target.with_name(target.name + ".replaced")
        shutil.rmtree(staging, ignore_errors=True)
        shutil.copytree(source, staging)
        (staging / PID_FILE).unlink(missing_ok=True)
        if holder is not None:
            holder.close()
            del holder
            shutil.rmtree(aside, ignore_errors=True)
            os.replace(target, aside)
        os.replace(staging, target)
        shutil.rmtree(aside, ignore_errors=True)
        return cls.open(target, wait=wait)

    def recover(self) -> list[str]:
        """Undo what an interrupted load left behind; return the graphs removed.

        A load first records what it is about to write (its target graph if that is new, or
        the staging graph of a replacement) in the state file, and clears the record once the
        new version is in place. A record found here means the process died in between: the
        half-written graph is removed, so the store holds the old version of the source.
        """
        pending = self.state().get("pending")
        removed: list[str] = []
        if isinstance(pending, dict):
            for graph in pending.get("remove") or []:
                if isinstance(graph, str) and self.inner.contains_named_graph(ox.NamedNode(graph)):
                    self.inner.remove_graph(ox.NamedNode(graph))
                    removed.append(graph)
            journal = pending.get("journal")
            if pending.get("replace") and isinstance(journal, str) and Path(journal).exists():
                # The new version was complete in the journal: finish replacing (roll forward).
                graphs = [str(g) for g in pending["replace"]]
                to_graph = pending.get("to_graph")
                self._replay(
                    graphs,
                    Path(journal).read_bytes(),
                    str(pending.get("format")),
                    str(to_graph) if to_graph else None,
                    str(pending.get("where") or ""),
                )
                Path(journal).unlink(missing_ok=True)
        if pending is not None or removed:
            if self.path is not None:
                self.inner.flush()
            self.set_state(pending=None)
        return removed

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        if hasattr(self, "inner"):
            self.close()

    # --- first use -----------------------------------------------------------------------

    def is_initialised(self) -> bool:
        return bool(self.inner.contains_named_graph(ox.NamedNode(ONTOLOGY_GRAPH)))

    def initialise(self) -> None:
        """Load the ontology and the bundled dataset (a fresh store's contents)."""
        from pledgegraph.loaders.bundled import bundled_factsheets

        self.load_ontology()
        for sheet in bundled_factsheets():
            self.load_factsheet(sheet)

    def load_ontology(self) -> None:
        """(Re)load the bundled ontology into its own graph."""
        from pledgegraph.ontology import read_text

        data = read_text("pledge.ttl").encode("utf-8")
        self._write([ONTOLOGY_GRAPH], data, "turtle", ONTOLOGY_GRAPH, ONTOLOGY_IRI)

    # --- loading -------------------------------------------------------------------------

    def load_factsheet(
        self, sheet: object, *, text: str | None = None, extraction: object = None
    ) -> LoadReport:
        """Write a checked fact sheet as its source's named graph, replacing any older version.

        ``text`` is the article text its spans point into (adds quote selectors); ``extraction``
        a :class:`pledgegraph.loaders.rdf.Extraction` for sheets made by the extractor.
        """
        from pledgegraph.loaders.facts import FactSheet
        from pledgegraph.loaders.rdf import (
            Extraction,
            reference_nquads,
            source_graph,
            source_nquads,
        )

        assert isinstance(sheet, FactSheet)
        assert extraction is None or isinstance(extraction, Extraction)
        graph = source_graph(sheet)
        data = "".join(source_nquads(sheet, text=text, extraction=extraction)).encode("utf-8")
        reference = "".join(reference_nquads(sheet)).encode("utf-8")
        replaced = self.has_graph(graph)
        # Our own writer's output: well-formed by construction, no syntax check needed.
        self._write([graph], data, "nquads", None, sheet.path or graph, reference=reference)
        from pledgegraph.graph.linking.links import link_regions

        link_regions(self, sorted({pledge.region for pledge in sheet.pledges}))
        return LoadReport(sheet.path or graph, graph, self.count(graph), replaced)

    def load_factsheets(self, sheets: Sequence[object]) -> list[LoadReport]:
        """Load many checked fact sheets; each is all-or-nothing, and new ones go in one batch.

        Sheets whose source is not in the store yet are written in one load (much faster than
        one transaction per sheet); sheets that replace a source are written one by one. A
        crash in the middle leaves each source either absent (as before) or complete.
        """
        from pledgegraph.loaders.facts import FactSheet
        from pledgegraph.loaders.rdf import reference_nquads, source_graph, source_nquads

        typed = [s for s in sheets if isinstance(s, FactSheet)]
        assert len(typed) == len(sheets)
        graphs = [source_graph(s) for s in typed]
        fresh: dict[str, FactSheet] = {}
        for graph, sheet in zip(graphs, typed, strict=True):
            if not self.has_graph(graph) and graph not in fresh:
                fresh[graph] = sheet
        reports: dict[int, LoadReport] = {}
        if fresh:
            lines = (line for s in fresh.values() for line in source_nquads(s))
            targets = sum(len(p.targets) for s in fresh.values() for p in s.pledges)
            # Big batches stream into the bulk loader (one copy of the data never exists in
            # memory); small ones are one transaction.
            data: bytes | io.BufferedReader = (
                io.BufferedReader(_LineReader(lines), 1 << 20)
                if targets >= _BULK_TARGETS
                else "".join(lines).encode("utf-8")
            )
            reference = "".join(sorted({q for s in fresh.values() for q in reference_nquads(s)}))
            self._write(
                list(fresh),
                data,
                "nquads",
                None,
                "fact sheets",
                reference=reference.encode("utf-8"),
            )
            from pledgegraph.graph.linking.links import link_regions

            link_regions(self, sorted({p.region for s in fresh.values() for p in s.pledges}))
        for index, (graph, sheet) in enumerate(zip(graphs, typed, strict=True)):
            if fresh.get(graph) is sheet:
                reports[index] = LoadReport(sheet.path or graph, graph, self.count(graph), False)
            else:
                reports[index] = self.load_factsheet(sheet)
        return [reports[i] for i in range(len(typed))]

    def load_rdf(
        self,
        path: str,
        *,
        format: str | None = None,
        graph: str | None = None,
        data: bytes | None = None,
    ) -> LoadReport:
        """Load an RDF file (or ``data``) as one source, replacing an older load of it.

        Triples go to ``graph`` (default: a graph named after the file); quad formats keep
        their own named graphs, and their default-graph triples go to ``graph``.
        """
        name = rdf_format_for(path, format)
        target = graph or FILE_GRAPH + _file_key(path)
        _check_iri(target, "--graph")
        if data is None:
            data = read_bytes(path)
        replaced = self.has_graph(target)
        if name in QUAD_FORMATS:
            quads = self._parse_quads(data, name, path, target)
            graphs = sorted(
                {q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)}
            )
            nquads = ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""
            self._write(graphs, nquads, "nquads", None, path)
            report_graph = target if target in graphs else (graphs[0] if graphs else target)
            return LoadReport(path, report_graph, sum(self.count(g) for g in graphs), replaced)
        self._write([target], data, name, target, path)
        return LoadReport(path, target, self.count(target), replaced)

    def _write(
        self,
        graphs: list[str],
        data: bytes | io.BufferedReader,
        fmt: str,
        to_graph: str | None,
        where: str,
        *,
        reference: bytes = b"",
    ) -> None:
        """Make ``graphs`` hold exactly ``data``: all-or-nothing, also if the process dies.

        - All graphs new: the data is loaded straight into them; the pending record says to
          remove them, so a crash (or a syntax error) rolls the store back.
        - Some graph exists: the data is first checked (parsed, nothing written), then saved in
          a journal file; the pending record says to replay it. The old graphs are dropped and
          the journal loaded; a crash in between rolls forward at the next open.
        Reference quads are added at the end (they are shared and only ever added).
        """
        if not any(self.has_graph(g) for g in graphs):
            self.set_state(pending={"remove": graphs})
            try:
                self._load_bytes(data, fmt, to_graph, where)
            except PledgeGraphError:
                for graph in graphs:
                    self._drop(ox.NamedNode(graph))
                self.set_state(pending=None)
                raise
            self._finish(graphs, reference)
            return
        assert isinstance(data, bytes), "only new graphs are streamed"
        if to_graph is not None:  # a file: check it before anything is dropped
            self._check_syntax(data, fmt, where)
        journal = self._journal(data)
        self.set_state(
            pending={
                "replace": graphs,
                "journal": str(journal) if journal else None,
                "format": fmt,
                "to_graph": to_graph,
                "where": where,
            }
        )
        if journal is None:  # in memory: nothing survives a crash anyway
            self._replay(graphs, data, fmt, to_graph, where, reference)
        else:
            self._replay(graphs, journal.read_bytes(), fmt, to_graph, where, reference)
            journal.unlink(missing_ok=True)

    def _replay(
        self,
        graphs: list[str],
        data: bytes,
        fmt: str,
        to_graph: str | None,
        where: str,
        reference: bytes = b"",
    ) -> None:
        for graph in graphs:
            self._drop(ox.NamedNode(graph))
        self._load_bytes(data, fmt, to_graph, where)
        self._finish(graphs, reference)

    def _finish(self, graphs: list[str], reference: bytes) -> None:
        if reference:
            self.inner.update(
                f"INSERT DATA {{ GRAPH <{REFERENCE_GRAPH}> {{ {_triples_of(reference)} }} }}"
            )
        for graph in graphs:
            self.inner.add_graph(ox.NamedNode(graph))
        # No flush here: a committed transaction is in RocksDB's write-ahead log and a bulk load
        # is ingested whole, so both survive the process being killed (close() flushes).
        self.set_state(pending=None)
        self._data_changed()

    def _journal(self, data: bytes) -> Path | None:
        if self.path is None:
            return None
        folder = self.path / JOURNAL_DIR
        folder.mkdir(exist_ok=True)
        journal = folder / f"{uuid.uuid4().hex}.data"
        with journal.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        return journal

    def _load_bytes(
        self, data: bytes | io.BufferedReader, fmt: str, to_graph: str | None, where: str
    ) -> None:
        """Load with pyoxigraph: the bulk loader for big inputs, a transaction for small ones."""
        bulk = not isinstance(data, bytes) or len(data) >= _BULK_THRESHOLD
        base = _base_iri(where)
        target = ox.NamedNode(to_graph) if to_graph is not None else None
        try:
            # (no bound method kept in a local: a traceback must not keep the store open)
            if bulk:
                self.inner.bulk_load(data, RDF_FORMATS[fmt], to_graph=target, base_iri=base)
            else:
                self.inner.load(data, RDF_FORMATS[fmt], to_graph=target, base_iri=base)
        except SyntaxError as exc:
            raise RdfSyntaxError(
                _syntax_message(exc),
                hint="fix the file and load it again",
                path=where,
                line=exc.lineno,
            ) from None
        except (OSError, ValueError) as exc:
            raise InputError(f"cannot load: {exc}", hint="check the file", path=where) from None

    def _check_syntax(self, data: bytes, fmt: str, where: str) -> None:
        try:
            for _ in ox.parse(data, RDF_FORMATS[fmt], base_iri=_base_iri(where)):
                pass
        except SyntaxError as exc:
            raise RdfSyntaxError(
                _syntax_message(exc),
                hint="fix the file and load it again",
                path=where,
                line=exc.lineno,
            ) from None

    def _parse_quads(self, data: bytes, fmt: str, path: str, default_graph: str) -> list[ox.Quad]:
        target = ox.NamedNode(default_graph)
        try:
            parsed = ox.parse(data, RDF_FORMATS[fmt], base_iri=_base_iri(path))
            return [
                ox.Quad(q.subject, q.predicate, q.object, target)
                if isinstance(q.graph_name, ox.DefaultGraph)
                else q
                for q in parsed
            ]
        except SyntaxError as exc:
            raise RdfSyntaxError(
                _syntax_message(exc),
                hint="fix the file and load it again",
                path=path,
                line=exc.lineno,
            ) from None

    def _data_changed(self) -> None:
        if self.has_graph(INFERRED_GRAPH):
            self.mark_inferred(stale=True)

    def _drop(self, graph: ox.NamedNode) -> None:
        self.inner.remove_graph(graph)

    def remove_source(self, graph: str) -> bool:
        """Remove a source's graph; ``False`` if there was none."""
        node = ox.NamedNode(graph)
        if not self.inner.contains_named_graph(node):
            return False
        self.inner.remove_graph(node)
        self._data_changed()
        return True

    # --- reading -------------------------------------------------------------------------

    @property
    def location(self) -> str:
        """Where the store is, for messages: its directory, or a server's URL (no credentials)."""
        return str(self.path) if self.path is not None else "(store in memory)"

    def snapshot(self) -> ox.Store:
        """The store's quads as a pyoxigraph store to read: the store itself when embedded, a
        copy in memory when it is on a server (for validation, which needs local access)."""
        if isinstance(self.inner, ox.Store):
            return self.inner
        copy = ox.Store()
        copy.extend(self.inner)
        return copy

    def has_graph(self, graph: str) -> bool:
        return bool(self.inner.contains_named_graph(ox.NamedNode(graph)))

    def graphs(self) -> list[str]:
        """Named graphs, sorted."""
        return sorted(g.value for g in self.inner.named_graphs() if isinstance(g, ox.NamedNode))

    def count(self, graph: str | None = None) -> int:
        """Quads in one graph, or in the whole store."""
        if graph is None:
            return len(self.inner)
        rows = self.inner.query(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        )
        assert isinstance(rows, ox.QuerySolutions)
        term = next(iter(rows))["n"]
        return int(term.value) if isinstance(term, ox.Literal) else 0

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        node = ox.NamedNode(graph) if graph is not None else None
        return iter(self.inner.quads_for_pattern(None, None, None, node))

    def source_graphs(self) -> list[str]:
        return [g for g in self.graphs() if g.startswith((SOURCE_GRAPH, FILE_GRAPH))]


def _open_locked(target: Path, wait: float) -> ox.Store:
    """``pyoxigraph.Store(target)``, retrying while another process holds the lock."""
    import time

    deadline = time.monotonic() + wait
    delay = 0.05
    while True:
        try:
            return ox.Store(str(target))
        except OSError as exc:
            if not _locked(exc) or time.monotonic() >= deadline:
                raise
        time.sleep(delay)
        delay = min(delay * 2, 0.5)


def _write_pid(target: Path) -> None:
    with contextlib.suppress(OSError):
        (target / PID_FILE).write_text(f"{os.getpid()}\n", encoding="utf-8")


def _read_pid(target: Path) -> int | None:
    try:
        return int((target / PID_FILE).read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return None


def _file_key(path: str) -> str:
    from pledgegraph.loaders.rdf import slug

    return slug(Path(path).name if path != "-" else "stdin")


def _base_iri(where: str) -> str | None:
    if where.startswith(("http://", "https://")):
        return where
    if where in ("-", "") or where.startswith("<"):
        return None
    return Path(where).resolve().as_uri()


def _check_iri(iri: str, what: str) -> None:
    try:
        ox.NamedNode(iri)
    except ValueError:
        raise InputError(
            f"{iri!r} is not a valid IRI",
            hint="give an absolute IRI such as https://example.org/g",
            where=what,
        ) from None
    if "://" not in iri and not iri.startswith("urn:"):
        raise InputError(
            f"{iri!r} is not an absolute IRI",
            hint="give an absolute IRI such as https://example.org/g",
            where=what,
        )


def _syntax_message(exc: SyntaxError) -> str:
    text = exc.msg if isinstance(exc.msg, str) else str(exc)
    text = text.replace("Parser error ", "").strip()
    return f"malformed RDF: {text}"


def _triples_of(nquads: bytes) -> str:
    """N-Quads lines of one graph -> the triples part (for INSERT DATA)."""
    out = []
    for line in nquads.decode("utf-8").splitlines():
        head, _, _graph = line.rstrip(" .").rpartition(" <")
        out.append(head + " .")
    return "\n".join(out)


@dataclass(frozen=True, slots=True)
class Summary:
    """What the store holds, for ``pledgegraph stats``."""

    quads: int
    graphs: tuple[GraphStats, ...]
    sources: int
    pledges: int
    targets: int
    regions: int


_SUMMARY_QUERY = """
SELECT
  (COUNT(DISTINCT ?source) AS ?sources) (COUNT(DISTINCT ?pledge) AS ?pledges)
  (COUNT(DISTINCT ?target) AS ?targets) (COUNT(DISTINCT ?region) AS ?regions)
WHERE {
  ?pledge a <https://w3id.org/pledgegraph/ontology#Pledge> ;
          <https://w3id.org/pledgegraph/ontology#region> ?region ;
          <http://www.w3.org/ns/prov#wasDerivedFrom> ?source .
  OPTIONAL { ?pledge <https://w3id.org/pledgegraph/ontology#hasTarget> ?target }
}
"""


def summarise(store: Store) -> Summary:
    """Counts of quads per graph and of sources, pledges, targets and regions."""
    graphs = tuple(GraphStats(g, store.count(g)) for g in store.graphs())
    solutions = store.inner.query(_SUMMARY_QUERY, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    row = next(iter(solutions))

    def number(name: str) -> int:
        term = row[name]
        return int(term.value) if isinstance(term, ox.Literal) else 0

    return Summary(
        quads=len(store.inner),
        graphs=graphs,
        sources=number("sources"),
        pledges=number("pledges"),
        targets=number("targets"),
        regions=number("regions"),
    )
