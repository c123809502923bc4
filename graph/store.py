"""The graph store: an embedded pyoxigraph store with pledgegraph's rules.

- One named graph per source; the ontology and the reference data (regions, deadlines) in graphs
  of their own; queries see the union of all graphs.
- A load is all-or-nothing per source: input is parsed and checked before anything is written,
  and a source's graph is replaced, never mixed with an older version.
- The default store lives at :func:`default_store_path` and is created on first use with the
  ontology and the bundled dataset, so queries work right after install.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from pledgegraph.errors import InputError, RdfSyntaxError, StoreError, StoreLockedError
from pledgegraph.graph.formats import QUAD_FORMATS, RDF_FORMATS, rdf_format_for
from pledgegraph.ontology import (
    GRAPH,
    INFERRED_GRAPH,
    ONTOLOGY_GRAPH,
    ONTOLOGY_IRI,
    REFERENCE_GRAPH,
    SOURCE_GRAPH,
)

ENV_STORE = "PLEDGEGRAPH_STORE"
STATE_FILE = "pledgegraph-state.json"
FILE_GRAPH = GRAPH + "file/"
_STAGING = GRAPH + "staging/"

#: pyoxigraph's bulk loader beats transactional loading from about this many bytes of input.
_BULK_THRESHOLD = 4_000_000


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

    def __init__(self, inner: ox.Store, path: Path | None = None) -> None:
        self.inner = inner
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
        temporary.write_text(json.dumps(current, sort_keys=True), encoding="utf-8")
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
    def open(cls, path: str | Path | None = None, *, initialise: bool = True) -> Store:
        """Open (creating it if needed) the persistent store at ``path`` or the default path."""
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
            inner = ox.Store(str(target))
        except PermissionError:
            raise StoreError(
                "cannot create or write the store here (permission denied)",
                hint=f"pass --store with a writable directory or set {ENV_STORE}",
                where=where,
            ) from None
        except OSError as exc:
            if _locked(exc):
                raise StoreLockedError(
                    "the store is in use by another pledgegraph process",
                    hint="wait for it to finish, or use another --store",
                    where=f"the store at {where}",
                ) from None
            raise StoreError(
                f"cannot open the store: {exc}",
                hint=f"pass --store with a writable directory or set {ENV_STORE}",
                where=where,
            ) from None
        store = cls(inner, target)
        if initialise and not store.is_initialised():
            store.initialise()
        return store

    def close(self) -> None:
        """Flush and release the store (the lock goes with the last reference)."""
        if self.path is not None:
            self.inner.flush()
        del self.inner

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

        graph = ox.NamedNode(ONTOLOGY_GRAPH)
        staged = self._stage(
            read_text("pledge.ttl").encode("utf-8"), "turtle", ONTOLOGY_IRI, graph.value
        )
        self._commit(staged, graph)

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
        staged = self._stage(data, "nquads", sheet.path or graph, graph, rename_from=graph)
        self._commit(staged, ox.NamedNode(graph), reference=reference)
        self._data_changed()
        return LoadReport(sheet.path or graph, graph, self.count(graph), replaced)

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
            data = _read_bytes(path)
        replaced = self.has_graph(target)
        if name in QUAD_FORMATS:
            quads = self._parse_quads(data, name, path, target)
            graphs = sorted(
                {q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)}
            )
            self._replace_quads(quads, graphs)
            self._data_changed()
            return LoadReport(path, target, self.count(target), replaced)
        staged = self._stage(data, name, path, target)
        self._commit(staged, ox.NamedNode(target))
        self._data_changed()
        return LoadReport(path, target, self.count(target), replaced)

    def _stage(
        self, data: bytes, fmt: str, where: str, target: str, *, rename_from: str | None = None
    ) -> ox.NamedNode:
        """Parse ``data`` into a graph no query sees yet; nothing visible changes on failure.

        A new source is written straight into its (so far empty) graph ``target``, which is
        removed again on failure; a source that is already there is staged in a fresh graph
        and swapped in by :meth:`_commit`. For N-Quads built by our own writer, the quads of
        graph ``rename_from`` are the ones staged.
        """
        fresh = not self.has_graph(target)
        staging = ox.NamedNode(target if fresh else _STAGING + uuid.uuid4().hex)
        bulk = len(data) >= _BULK_THRESHOLD
        if rename_from is not None:
            data = data.replace(f"<{rename_from}> .\n".encode(), f"<{staging.value}> .\n".encode())
        try:
            # (no bound method kept in a local: a traceback must not keep the store open)
            if fmt in QUAD_FORMATS and bulk:
                self.inner.bulk_load(data, RDF_FORMATS[fmt])
            elif fmt in QUAD_FORMATS:
                self.inner.load(data, RDF_FORMATS[fmt])
            elif bulk:
                self.inner.bulk_load(
                    data, RDF_FORMATS[fmt], to_graph=staging, base_iri=_base_iri(where)
                )
            else:
                self.inner.load(data, RDF_FORMATS[fmt], to_graph=staging, base_iri=_base_iri(where))
        except SyntaxError as exc:
            self._drop(staging)
            raise RdfSyntaxError(
                _syntax_message(exc),
                hint="fix the file and load it again",
                path=where,
                line=exc.lineno,
            ) from None
        except (OSError, ValueError) as exc:
            self._drop(staging)
            raise InputError(f"cannot load: {exc}", hint="check the file", path=where) from None
        return staging

    def _commit(
        self, staging: ox.NamedNode, graph: ox.NamedNode, *, reference: bytes = b""
    ) -> None:
        """Replace ``graph`` by the staged graph in one transaction, and add reference quads."""
        g, s = graph.value, staging.value
        steps = (
            []
            if g == s
            else [f"DROP SILENT GRAPH <{g}>", f"MOVE SILENT GRAPH <{s}> TO GRAPH <{g}>"]
        )
        if reference:
            steps.append(
                f"INSERT DATA {{ GRAPH <{REFERENCE_GRAPH}> {{ {_triples_of(reference)} }} }}"
            )
        if not steps:
            self.inner.add_graph(graph)
            return
        update = " ; ".join(steps)
        try:
            self.inner.update(update)
        except OSError as exc:  # pragma: no cover - disk failure
            self._drop(staging)
            raise StoreError(
                f"cannot write the store: {exc}", where=str(self.path or "memory")
            ) from None
        self.inner.add_graph(graph)

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

    def _replace_quads(self, quads: list[ox.Quad], graphs: list[str]) -> None:
        """Replace each named graph of ``quads`` by its new contents (checked input only)."""
        stagings = {g: ox.NamedNode(_STAGING + uuid.uuid4().hex) for g in graphs}
        try:
            self.inner.extend(
                ox.Quad(q.subject, q.predicate, q.object, stagings[q.graph_name.value])  # type: ignore[union-attr]
                for q in quads
            )
        except (OSError, ValueError) as exc:
            for staging in stagings.values():
                self._drop(staging)
            raise StoreError(
                f"cannot write the store: {exc}", where=str(self.path or "memory")
            ) from None
        steps = [
            f"DROP SILENT GRAPH <{g}> ; MOVE SILENT GRAPH <{s.value}> TO GRAPH <{g}>"
            for g, s in stagings.items()
        ]
        self.inner.update(" ; ".join(steps))

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

    def has_graph(self, graph: str) -> bool:
        return bool(self.inner.contains_named_graph(ox.NamedNode(graph)))

    def graphs(self) -> list[str]:
        """Named graphs, sorted (staging graphs of unfinished loads excluded)."""
        return sorted(
            g.value
            for g in self.inner.named_graphs()
            if isinstance(g, ox.NamedNode) and not g.value.startswith(_STAGING)
        )

    def count(self, graph: str | None = None) -> int:
        """Quads in one graph, or in the whole store."""
        if graph is None:
            return len(self.inner)
        node = ox.NamedNode(graph)
        return sum(1 for _ in self.inner.quads_for_pattern(None, None, None, node))

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        node = ox.NamedNode(graph) if graph is not None else None
        return iter(self.inner.quads_for_pattern(None, None, None, node))

    def source_graphs(self) -> list[str]:
        return [g for g in self.graphs() if g.startswith((SOURCE_GRAPH, FILE_GRAPH))]


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


def _read_bytes(path: str) -> bytes:
    import sys

    try:
        return sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", hint="check the path", path=path) from None
    except IsADirectoryError:
        raise InputError(
            "is a directory, not a file", hint="name the files inside it", path=path
        ) from None
    except OSError as exc:
        raise InputError(
            f"cannot read: {exc.strerror}", hint="check the path and its permissions", path=path
        ) from None


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
