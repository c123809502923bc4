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
import errno
import functools
import io
import itertools
import os
import re
import shutil
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from pledgegraph.errors import (
    InputError,
    PledgeGraphError,
    RdfSyntaxError,
    StoreError,
    resolved,
)
from pledgegraph.graph.backend import QuadStore
from pledgegraph.graph.formats import (
    RDF_FORMATS,
    is_factsheet,
    rdf_format_for,
    read_rdf,
    sheet_hint,
    short,
    token_too_large,
)
from pledgegraph.graph.storedir import (
    BACKUP_MARKER,
    JOURNAL_DIR,
    StoreDirectory,
    claim,
    kill_point,
    tidy_database,
)
from pledgegraph.graph.storedir import ENV_STORE as ENV_STORE
from pledgegraph.graph.storedir import STATE_FILE as STATE_FILE
from pledgegraph.graph.storedir import check as check_store_path
from pledgegraph.ontology import (
    GRAPH,
    ID,
    INFERRED_GRAPH,
    ONTOLOGY_GRAPH,
    ONTOLOGY_IRI,
    PLEDGE,
    PREFIXES,
    REFERENCE_GRAPH,
    SOURCE_GRAPH,
)

if TYPE_CHECKING:
    from pledgegraph.loaders.facts import FactSheet

FILE_GRAPH = GRAPH + "file/"
#: The state's record of who loaded each file source (its own graph -> :func:`file_identity`);
#: it rides in the write's follow record, so a replayed write records it too (see _finish).
LOADED_FROM = "loaded_from"
#: In the state: each fact sheet's source graph -> the sheet file that wrote it last
#: (:func:`file_identity`), so that another file of the same source is not taken for an edit.
SHEET_FILES = "sheet_files"
STDIN = "-"
SCHEMA = PREFIXES["schema"]
#: Working graphs (of a reasoning run): never shown, removed when the store is opened.
STAGING_GRAPH = GRAPH + "staging/"
#: Everything pledgegraph names starts with this (graphs, ids, kinds, the ontology).
OUR_BASE = "https://w3id.org/pledgegraph/"

#: pyoxigraph's bulk loader beats transactional loading from about this many bytes of input,
#: which fact sheets reach at about this many targets.
_BULK_THRESHOLD = 4_000_000
_BULK_TARGETS = 2_000
_VALUES_CHUNK = 400  # IRIs per query that asks about many nodes at once (Store._rows_about)
_BULK_BATCH = 48 << 20  # bytes of N-Quads per bulk load: ~200k quads, ~0.2 GB while sorted


def _data_lines(text: bytes) -> int:
    """:meth:`Store.data_count` of a source graph just written from ``text`` (its N-Quads as
    ``source_nquads`` writes them: one graph, one spelling per term, language tags in lower
    case as Oxigraph keeps them), counted in the text: a query per graph cost ~1 ms, 0.1 s
    of a 100k load's critical path."""
    from pledgegraph.loaders.rdf import ROW_PREDICATES

    index = {f"<{p}>".encode() for p in ROW_PREDICATES}
    count = 0
    for line in set(text.split(b"\n")):  # (each line once: a quad is stored once)
        if line:
            start = line.find(b" ") + 1
            if line[start : line.find(b" ", start)] not in index:
                count += 1
    return count


class _ChunkReader(io.RawIOBase):
    """A binary stream of the chunks of an iterator, text UTF-8 encoded (for the bulk loader)."""

    def __init__(self, chunks: Iterator[str | bytes]) -> None:
        self._chunks = chunks
        self._pending = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._pending = memoryview(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


class _Batches:
    """N-Quads of new sources as a few bulk loads instead of one (see ``_BULK_BATCH``).

    Oxigraph's bulk loader sorts up to a million quads in memory at once (about 0.9 GB for
    the million of ``bench/data/1m``); loading the same quads in batches of ~200k holds a
    fifth of that. A batch ends only where a chunk ends (whole lines, here whole sources
    or groups of lines with no blank node), because each load renames blank nodes apart.
    """

    def __init__(self, chunks: Iterator[str | bytes], size: int) -> None:
        self._chunks = chunks
        self._size = size

    def __iter__(self) -> Iterator[bytes]:
        batch: list[bytes] = []
        held = 0
        for chunk in self._chunks:
            data = chunk.encode("utf-8") if isinstance(chunk, str) else chunk
            batch.append(data)
            held += len(data)
            if held >= self._size:
                yield b"".join(batch)
                batch, held = [], 0
        if batch:
            yield b"".join(batch)


def _grouped(lines: Iterator[str], size: int = 4096) -> Iterator[str]:
    """The lines joined ``size`` at a time."""
    while chunk := "".join(itertools.islice(lines, size)):
        yield chunk


class _LineReader(_ChunkReader):
    """A binary stream of the UTF-8 encoded lines of an iterator (for the bulk loader)."""

    def __init__(self, lines: Iterator[str]) -> None:
        super().__init__(_grouped(lines))


def default_store_path() -> Path:
    """``$PLEDGEGRAPH_STORE``, else ``$XDG_DATA_HOME/pledgegraph/store`` (``~/.local/share/…``)."""
    explicit = os.environ.get(ENV_STORE)
    if explicit:
        return Path(explicit).expanduser()
    base = os.path.expanduser(os.environ.get("XDG_DATA_HOME", ""))
    if not os.path.isabs(base):  # (unset, or relative: ignored, as the XDG spec says)
        base = str(Path.home() / ".local" / "share")
    return Path(base) / "pledgegraph" / "store"


@dataclass(frozen=True, slots=True)
class LoadReport:
    """What a load did: the graph written and how many quads it now holds."""

    source: str  # the input, as the user named it
    graph: str
    quads: int
    replaced: bool
    #: Warnings about the load for the user (e.g. a shared node's name kept as an alternative).
    notes: tuple[str, ...] = ()
    #: The store held this version already: nothing was written.
    unchanged: bool = False


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

    def __init__(
        self, inner: QuadStore, path: Path | None = None, directory: StoreDirectory | None = None
    ) -> None:
        self.inner = inner  # embedded pyoxigraph, or a SPARQL server (graph/remote.py)
        self.path = path  # the store directory (absolute), None in memory
        self._directory = directory  # holds the lock; None in memory or read-only
        self._database = directory.database if directory is not None else None
        self._state: dict[str, object] = {}  # in-memory stores keep their state here
        #: One-line notes for the user about what opening did (e.g. rows rebuilt): stderr.
        self.notes: list[str] = []
        #: What the write in progress leaves to do after its commit (see :meth:`_settle_write`).
        self._follow: dict[str, list[str]] | None = None
        #: Whether :meth:`_finish` wrote ``self._follow`` into the state (cleared after it).
        self._follow_recorded = False

    # --- small persistent state (a JSON file inside the database directory) ---------------

    def _state_file(self) -> Path | None:
        return self._database / STATE_FILE if self._database is not None else None

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

    def stale_note(self, *, refresh: str = "run 'pledgegraph reason'") -> str | None:
        """What a write that left the inferred graph out of date tells the user (``remove``
        on the command line and over HTTP, each with its own ``refresh``), or None when the
        graph is current or absent."""
        if not self.inferred_is_stale():
            return None
        return (
            "Note: the inferred graph is out of date: what was inferred about the nodes of "
            "removed data went with them, but facts inferred about the nodes that remain are "
            f"as the last 'reason' left them; {refresh} to refresh it"
        )

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

        ``path`` must be a new or empty directory, or a store (see :mod:`.storedir`). The store
        is used by one process at a time: if another holds it, wait up to ``wait`` seconds,
        then raise :class:`StoreLockedError` naming that process. Opening also finishes what
        an interrupted load, reasoning run or restore left (see :meth:`recover`).
        """
        directory = claim(path if path is not None else default_store_path(), wait)
        try:
            inner = _open_database(directory.database, str(path or directory.path), wait)
        except BaseException:
            directory.release()
            raise
        store = cls(inner, directory.path, directory)
        try:
            store.recover(filling=initialise)
            existing = store.is_initialised()
            if initialise and not existing:
                store.initialise()
            from pledgegraph.graph.identity import settle_identities

            settle_identities(store, existing=existing)
            store.settle_rows(existing=existing)
        except OSError as exc:
            store.close()
            raise write_error(exc, str(path or directory.path)) from None
        except BaseException:
            store.close()
            raise
        return store

    def compact(self) -> None:
        """Merge the store's files into one sorted run per index (RocksDB's full compaction).

        Each bulk write leaves files of its own; a load written in several of them leaves every
        index in pieces whose key ranges overlap, and a lookup reads each piece. Measured at 1M
        quads loaded in three writes (bench/README.md, "Compacting after a load"): 1.4 s, after
        which lookups cost about half (the headline question 0.12 -> 0.06 s). Crash-safe: the
        files it replaces are dropped only once the merged ones are recorded."""
        if self.path is None:
            return  # (a store in memory has no files)
        try:
            self.inner.optimize()
        except OSError as exc:
            raise write_error(exc, str(self.path)) from None

    def close(self) -> None:
        """Flush and release the store and its lock."""
        if not hasattr(self, "inner"):
            return
        try:
            if self.path is not None:
                self.inner.flush()
        except OSError:
            pass  # (a full disk) what was committed is in the write-ahead log already
        finally:
            del self.inner
            if self._directory is not None:
                self._directory.release()

    def backup(self, directory: str | Path) -> Path:
        """Write a consistent copy of the store to ``directory`` (which must not exist yet)."""
        target = Path(directory)
        if self.path is None or self._database is None:
            raise StoreError("an in-memory store cannot be backed up", where="backup")
        if target.exists():
            raise StoreError(
                "already exists", hint="choose a new directory for the backup", where=str(target)
            )
        if _inside(target, self.path):
            raise StoreError(
                "is inside the store",
                hint="choose a directory outside the store for the backup",
                where=str(target),
            )
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            assert isinstance(self.inner, ox.Store)  # a store on disk is embedded
            self.inner.flush()
            self.inner.backup(str(target))
            state = self._state_file()
            if state is not None and state.exists():
                (target / STATE_FILE).write_bytes(state.read_bytes())
            (target / BACKUP_MARKER).write_text(
                '{"backup": "pledgegraph", "version": "1"}\n', encoding="utf-8"
            )
        except OSError as exc:
            shutil.rmtree(target, ignore_errors=True)
            raise StoreError(
                f"cannot write the backup: {exc.strerror or exc}",
                hint="choose a writable directory with enough space",
                where=str(target),
            ) from None
        return target

    @classmethod
    def restore(
        cls, backup: str | Path, path: str | Path | None = None, *, wait: float = 2.0
    ) -> Store:
        """Replace the store at ``path`` (default path if None) by a copy of ``backup``.

        The backup is checked by opening it first. The lock is held throughout: the copy goes
        into a new database directory, the store's marker is switched to it (the one atomic
        step), then the old database is removed. A crash at any point leaves the old store or
        the new one, never neither; the next open removes the other.
        """
        source = Path(backup)
        target = path if path is not None else default_store_path()
        check_store_path(target)
        if not (source / "CURRENT").is_file():
            raise StoreError(
                "is not a pledgegraph backup (no database files)",
                hint="give a directory written by 'pledgegraph backup'",
                where=str(source),
            )
        if _inside(source, Path(target)):
            raise StoreError(
                "is inside the store it would replace",
                hint="give a backup directory outside the store",
                where=str(source),
            )
        try:
            ox.Store.read_only(str(source))  # a readable database?
        except (OSError, RuntimeError, ValueError) as exc:
            raise StoreError(
                f"the backup cannot be read ({_first_line(exc)})",
                hint="give a directory written by 'pledgegraph backup', unchanged",
                where=str(source),
            ) from None
        directory = claim(target, wait, repair=True)
        new = directory.new_database()
        switched = False
        try:
            _copy_database(source, new)
            kill_point("restore-copied")
            old = directory.switch_to(new)
            switched = True
            kill_point("restore-switched")
            if old is not None:
                (old / "CURRENT").unlink(missing_ok=True)
                kill_point("restore-removing")
                shutil.rmtree(old)
            inner = _open_database(new, str(target), wait)
        except OSError as exc:
            if not switched:
                shutil.rmtree(new, ignore_errors=True)
            directory.release()
            raise StoreError(
                f"cannot restore: {exc.strerror or exc}",
                hint="the store is unchanged; free some space or fix the permissions and retry"
                if not switched
                else "the backup is in place; open the store again to finish",
                where=str(target),
            ) from None
        except BaseException:
            directory.release()
            raise
        store = cls(inner, directory.path, directory)
        try:
            store.recover()
            from pledgegraph.graph.identity import settle_identities

            settle_identities(store, existing=True)
            store.settle_rows(existing=True)
        except BaseException:
            store.close()
            raise
        return store

    def recover(self, *, filling: bool = False) -> list[str]:
        """Undo or finish what an interrupted write left behind; return the graphs removed.

        ``filling``: the opener fills an empty store with the bundled data next (its notes
        say so).

        A load first records what it is about to write in the state file (its target graphs
        if they are new, or a journal of the new version if it replaces graphs) and clears
        the record once the new version is in place. A record found here means the process
        died in between: new graphs are removed (the store is as before the load) and a
        journalled replacement is replayed (the store holds the new version). The journal is
        named relative to the database, so this works from any working directory. Working
        graphs of an unfinished reasoning run are removed too.
        """
        file = self._state_file()
        if file is not None and file.exists():
            import json

            try:
                parsed = json.loads(file.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise StoreError(
                    f"the store's state file cannot be read ({_first_line(exc)})",
                    hint="restore the store from a backup ('pledgegraph restore DIR')",
                    where=str(file),
                ) from None
            if not isinstance(parsed, dict):
                raise StoreError(
                    "the store's state file is damaged (it is not a JSON object)",
                    hint="restore the store from a backup ('pledgegraph restore DIR')",
                    where=str(file),
                )
        state = self.state()
        pending = state.get("pending")
        _check_pending(pending, state.get("follow"), self._state_where())
        if state.get("importing") is not None and not isinstance(state.get("importing"), str):
            raise StoreError(
                'the store\'s state file is damaged ("importing" is not a file name)',
                hint="restore the store from a backup ('pledgegraph restore DIR'); or, if no "
                'import was cut off, delete the "importing" entry of that file',
                where=self._state_where(),
            )
        removed: list[str] = []
        if isinstance(pending, dict):
            follow = pending.get("follow")
            self._follow = follow if isinstance(follow, dict) else None
            for graph in pending.get("remove") or []:
                if isinstance(graph, str) and self.inner.contains_named_graph(ox.NamedNode(graph)):
                    self.inner.remove_graph(ox.NamedNode(graph))
                    removed.append(graph)
            if pending.get("unused"):  # shared nodes a write cut off before its commit added
                from pledgegraph.graph.rows import settle_due_keys

                self._drop_unused({str(iri) for iri in pending["unused"]})
                settle_due_keys(self)
            journal = self._journal_file(pending.get("journal"))
            replaces = pending.get("replace") or pending.get("drop")  # a removal only drops
            if replaces and journal is not None and journal.exists():
                # The new version was complete in the journal: finish replacing (roll forward).
                reference = self._journal_file(pending.get("reference"))
                to_graph = pending.get("to_graph")
                owners = pending.get("owners")
                try:
                    self._replay(
                        [str(g) for g in pending.get("replace") or []],
                        journal.read_bytes(),
                        str(pending.get("format")),
                        str(to_graph) if to_graph else None,
                        str(pending.get("where") or ""),
                        pending.get("base") if isinstance(pending.get("base"), str) else None,
                        reference.read_bytes()
                        if reference is not None and reference.exists()
                        else b"",
                        owners if isinstance(owners, dict) else None,
                        [str(g) for g in pending.get("drop") or []],
                    )
                except InputError:
                    # A journal that cannot be loaded (it was checked before it was written, so
                    # only a damaged file): give the replacement up rather than refuse to open
                    # the store for ever. The replaced source is absent; load it again.
                    for graph in pending.get("replace") or []:
                        self._drop(ox.NamedNode(str(graph)))
        for graph in self.inner.named_graphs():
            if isinstance(graph, ox.NamedNode) and graph.value.startswith(STAGING_GRAPH):
                self.inner.remove_graph(graph)
                removed.append(graph.value)
        if pending is not None or removed:
            if self.path is not None:
                self.inner.flush()
            self.set_state(pending=None)
        if pending is not None or state.get("follow"):
            self._data_changed()  # what a cut-off write changed, 'reason' has not seen
        self._follow, self._follow_recorded = None, False  # (a replay above recorded its own)
        follow = self.state().get("follow")
        if isinstance(follow, dict):  # a write committed, then died before finishing
            self._run_follow(follow)
            self.set_state(follow=None)
            self.notes.append(
                "Note: the last write reached the store but was cut off before it finished "
                "(summary rows, links, unused shared nodes); finished now"
            )
        importing = self.state().get("importing")
        if importing:
            self.empty_after_import()
            self.notes.append(
                f"Note: an import of {importing} was cut off; the store was emptied again (as "
                "before it)"
                + (
                    ", then filled with the bundled data as a new store (this command is "
                    "not an import); an import needs an empty store: import into a new one "
                    f"(pledgegraph --store NEW_DIR import {importing})"
                    if filling
                    else ""
                )
            )
        if self._database is not None:  # journals of writes that are over
            shutil.rmtree(self._database / JOURNAL_DIR, ignore_errors=True)
            tidy_database(self._database)
        return removed

    def settle_rows(self, *, existing: bool) -> None:
        """Rebuild every ``pledge:row`` if the store's rows are in an older format.

        The state file records the row format (``loaders.rdf.ROW_FORMAT``) the rows were
        written in; a store made by an earlier pledgegraph has none or an older one, and its
        listing questions would answer nothing. Rows are derived data: the rebuild is one
        update (all or nothing), and the format is recorded only after it, so a crash in
        between rebuilds again at the next open. ``existing`` false: a new store, whose rows
        are written by this version, only records the format. Called under the store lock.
        """
        from pledgegraph.loaders.rdf import ROW_FORMAT

        if self.state().get("row_format") == ROW_FORMAT:
            return
        if existing:
            from pledgegraph.graph.rows import rebuild_rows

            report = rebuild_rows(self)
            if self.path is not None:
                self.inner.flush()
            if report.changed:
                self.notes.append(
                    f"Note: the store's summary rows (pledge:row) were written by an older "
                    f"pledgegraph; rebuilt {report.changed} of {report.targets} "
                    f"(row format {ROW_FORMAT})"
                )
        self.set_state(row_format=ROW_FORMAT)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        if hasattr(self, "inner"):
            self.close()

    # --- first use -----------------------------------------------------------------------

    def is_initialised(self) -> bool:
        """Filled already: it has the ontology graph, or an export was imported into it."""
        state = self.state()
        if state.get("initialising"):  # a first fill that was cut off: do it again
            return False
        return bool(self.inner.contains_named_graph(ox.NamedNode(ONTOLOGY_GRAPH))) or bool(
            state.get("imported")
        )

    def initialise(self) -> None:
        """Load the ontology and the bundled dataset (a fresh store's contents)."""
        from pledgegraph.loaders.bundled import bundled_factsheets

        # Marked first and cleared last: a first fill cut off half-way is done again at the
        # next open (each step replaces what it wrote), never taken for a filled store.
        self.set_state(initialising=True)
        self.load_ontology()
        for sheet in bundled_factsheets():
            self.load_factsheet(sheet)
        self.set_state(initialising=None)

    def load_ontology(self) -> None:
        """(Re)load the bundled ontology into its own graph."""
        from pledgegraph.ontology import read_text

        data = read_text("pledge.ttl").encode("utf-8")
        self._write([ONTOLOGY_GRAPH], data, "turtle", ONTOLOGY_GRAPH, ONTOLOGY_IRI)

    # --- loading -------------------------------------------------------------------------

    def load_factsheet(
        self,
        sheet: object,
        *,
        text: str | None = None,
        extraction: object = None,
        replace: bool = False,
    ) -> LoadReport:
        """Write a checked fact sheet as its source's named graph, replacing any older version.

        ``text`` is the article text its spans point into (adds quote selectors); ``extraction``
        a :class:`pledgegraph.loaders.rdf.Extraction` for sheets made by the extractor. The
        same article loaded already as another source (same ``text_sha256`` or URL, see
        :meth:`same_article`) is refused, or with ``replace`` removed in the same write.
        """
        from pledgegraph.loaders.facts import FactSheet
        from pledgegraph.loaders.factsheet import filed_sheet
        from pledgegraph.loaders.rdf import (
            Extraction,
            reference_nquads,
            source_graph,
            source_nquads,
        )

        assert isinstance(sheet, FactSheet)
        assert extraction is None or isinstance(extraction, Extraction)
        sheet = filed_sheet(sheet)  # (as the parser files it: extract --load's sheets)
        graph = source_graph(sheet)
        data = "".join(source_nquads(sheet, text=text, extraction=extraction)).encode("utf-8")
        replaced = self.has_graph(graph)
        copies = self.check_article(sheet, replace=replace)
        lines = reference_nquads(sheet, extraction=extraction)
        if replaced and not copies and self._holds(graph, data, lines):
            # The same sheet loaded again (a folder loaded again after a stop): a replacement
            # would write the same quads, at several times the cost of a new source. The file
            # is recorded as the source's (a store from before the record, or a source last
            # written from standard input, gets it now: a later other file is refused).
            mine = _sheet_file(sheet)
            if mine is not None and self._sheet_files().get(graph) != mine:
                self._record_sheet_file(graph, mine)
            count = self.data_count(graph)
            return LoadReport(sheet.path or graph, graph, count, False, unchanged=True)
        # Shared nodes the old version (or the copies) named: those only it named go after.
        shared = self._shared_nodes([graph, *copies]) if replaced or copies else set()
        regions = sorted({pledge.region for pledge in sheet.pledges})
        # Our own writer's output: well-formed by construction, no syntax check needed.
        where = sheet.path or graph
        # Each shared node keeps the name the store holds (graph/identity.py).
        from pledgegraph.graph.identity import settle_names

        reference, warnings = settle_names(self.inner, [(where, lines)])
        kept = _lines(reference)
        mine = _sheet_file(sheet)
        self._follow = {
            "unused": sorted(shared),
            "link": regions,
            **self._names_follow({graph: _alternative_names(lines, kept)}, [*copies]),
            # (standard input or memory: no file, and none recorded any more)
            SHEET_FILES: [f"{graph} {mine or ''}"],
        }
        if replaced or copies:  # what was inferred about nodes only the old version named
            self._note_inferred([graph, *copies])
        if copies:  # the copies go in the same all-or-nothing write
            drop = sorted(copies)
            self._write([graph], data, "nquads", None, where, reference=reference, drop=drop)
        else:
            self._write([graph], data, "nquads", None, where, reference=reference)
        self._settle_write()
        notes = tuple(line for _, line in warnings)
        return LoadReport(
            sheet.path or graph, graph, self.data_count(graph), replaced or bool(copies), notes
        )

    def _holds(self, graph: str, data: bytes, reference: Sequence[str]) -> bool:
        """Whether ``graph`` holds exactly the quads of ``data`` (N-Quads, no blank nodes) and
        the store every quad of ``reference``: a sheet's version the store has already."""
        # (read back from a store in memory: Oxigraph keeps some literals in a canonical form,
        # a derived integer type as xsd:integer, so the parsed quads would differ)
        scratch = ox.Store()
        try:
            scratch.load(data, ox.RdfFormat.N_QUADS)
            scratch.load("".join(reference).encode("utf-8"), ox.RdfFormat.N_QUADS)
        except SyntaxError:
            return False
        name = ox.NamedNode(graph)
        given = set(scratch.quads_for_pattern(None, None, None, name))
        shared = [q for q in scratch if q.graph_name != name]
        if any(
            isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode) for q in given
        ):
            return False  # (stored blank nodes are other nodes than the text's)
        held = 0
        for quad in self.inner.quads_for_pattern(None, None, None, name):
            if quad not in given:
                return False
            held += 1
        return held == len(given) and self._has_all(shared)

    def _has_all(self, quads: Sequence[ox.Quad]) -> bool:
        return all(quad in self.inner for quad in quads)

    def check_article(
        self,
        sheet: object,
        *,
        among: Sequence[object] | EarlierSheets = (),
        replace: bool = False,
    ) -> dict[str, str]:
        """:meth:`same_article`, raising an :class:`InputError` naming the source already
        loaded unless ``replace``. Also refused: a sheet whose source (its key, else its URL)
        is given by an earlier sheet of the same load, and, unless ``replace``, one whose key
        names a source loaded already from another URL (another article under the same key),
        and a sheet with no pledges (loading it would replace a loaded source with nothing)."""
        from pledgegraph.loaders.facts import FactSheet

        if isinstance(sheet, FactSheet) and not sheet.pledges:
            raise InputError(
                "the fact sheet has no pledges: nothing to load",
                hint="add pledges: with at least one '- region: …'; to take a loaded source "
                "out of the store, use 'pledgegraph remove KEY'",
                path=sheet.path or sheet.source.key or sheet.source.url,
            )
        earlier = among if isinstance(among, EarlierSheets) else EarlierSheets(among)
        self._check_source_key(sheet, among=earlier, replace=replace)
        copies = self.same_article(sheet, among=earlier)
        if copies and isinstance(sheet, FactSheet):
            # An article twice in one load is refused, --replace or not: the second would
            # remove what the first just wrote (an attack: "2 of 2 files loaded", one source).
            from pledgegraph.loaders.rdf import source_graph

            src = sheet.source
            batch = {g for g, _ in earlier.sharing(src.text_sha256, src.url)}
            twice = sorted(g for g in copies if g in batch and g != source_graph(sheet))
            if twice:
                other = earlier.of_graph(twice[0])
                raise InputError(
                    f"the same article ({copies[twice[0]]}) is given twice in this load "
                    f"(also by {other.path or other.source.url if other else twice[0]})",
                    hint="load only one of the files",
                    path=sheet.path or src.url,
                )
        if copies and not replace:
            raise _duplicate(sheet, copies)
        return copies

    def _check_source_key(self, sheet: object, *, among: EarlierSheets, replace: bool) -> None:
        """Refuse a source given twice in one load, or another article under a loaded key."""
        from pledgegraph.loaders.facts import FactSheet
        from pledgegraph.loaders.rdf import source_graph

        assert isinstance(sheet, FactSheet)
        graph, where = source_graph(sheet), sheet.path or sheet.source.url
        other = among.of_graph(graph)
        if other is not None:
            raise InputError(
                f"the source <{graph}> is given twice in this load "
                f"(also by {other.path or other.source.url})",
                hint="give each article its own source key, or load only one of the files",
                path=where,
            )
        if replace or not self.has_graph(graph):
            return
        query = f"""SELECT ?url WHERE {{ GRAPH {ox.NamedNode(graph)} {{
            ?s a <{SCHEMA}NewsArticle> ; <{SCHEMA}url> ?url }} }}"""
        urls = {row["url"].value for row in self.inner.query(query)}  # type: ignore[union-attr]
        if urls and sheet.source.url not in urls:
            raise InputError(
                f"the source <{graph}> holds another article (url {min(urls)}), "
                f"not {sheet.source.url}",
                hint="give this sheet its own source key, or load it with --replace to "
                "replace that article",
                path=where,
            )
        mine, theirs = _sheet_file(sheet), self._sheet_files().get(graph)
        # (a file on record that is gone was moved or renamed, most likely: no refusal)
        if mine is not None and theirs is not None and mine != theirs and os.path.exists(theirs):
            # (a new user's trial: a sheet extracted from a saved page replaced the reviewed
            # sheet of the same article without a word)
            raise InputError(
                f"the source <{graph}> was loaded from another fact sheet, {theirs}; loading "
                "this one would replace it",
                hint="load it with --replace to replace that source, or load the other file "
                "again if this one is an older copy",
                path=where,
            )

    def same_article(
        self, sheet: object, *, among: Sequence[object] | EarlierSheets = ()
    ) -> dict[str, str]:
        """Other sources holding the same article as ``sheet``: graph -> what they share.

        The same article is the same ``text_sha256`` or the same URL under another source key
        (another graph): loading it twice would count its pledges twice. ``among`` adds the
        sheets of the same batch that come before ``sheet``.
        """
        from pledgegraph.loaders.facts import FactSheet
        from pledgegraph.loaders.rdf import source_graph

        assert isinstance(sheet, FactSheet)
        graph, src = source_graph(sheet), sheet.source
        found: dict[str, str] = {}
        earlier = among if isinstance(among, EarlierSheets) else EarlierSheets(among)
        for other_graph, other in earlier.sharing(src.text_sha256, src.url):
            if other_graph == graph:
                continue
            if src.text_sha256 and other.source.text_sha256 == src.text_sha256:
                found[other_graph] = f"text_sha256 {src.text_sha256}"
            elif other.source.url == src.url:
                found[other_graph] = f"url {src.url}"
        tests = []  # (predicate value) pairs: looked up by value first (a UNION of the two
        # patterns was evaluated article by article: 6 ms a sheet at 1M triples, not 0.07)
        if src.text_sha256:
            tests.append(f"(<{PLEDGE}textSha256> {ox.Literal(src.text_sha256)})")
        for spelling in _url_spellings(src.url):  # (http or https, with or without a final /)
            with contextlib.suppress(ValueError):  # (a URL that is no IRI is in no store)
                tests.append(f"(<{SCHEMA}url> {ox.NamedNode(spelling)})")
        query = f"""SELECT ?g ?shared WHERE {{ VALUES (?p ?shared) {{ {" ".join(tests)} }}
            GRAPH ?g {{ ?s ?p ?shared . ?s a <{SCHEMA}NewsArticle> }}
            FILTER(?g != {ox.NamedNode(graph)}) }}"""
        stored: dict[str, str] = {}  # (the same text over the same URL, as among the sheets)
        for row in self.inner.query(query) if tests else ():  # type: ignore[union-attr]
            name, shared = row["g"], row["shared"]
            if isinstance(name, ox.NamedNode):
                same_text = isinstance(shared, ox.Literal)
                if same_text or name.value not in stored:
                    kind = "text_sha256" if same_text else "url"
                    stored[name.value] = f"{kind} {shared.value}"
        for name, shared in stored.items():
            found.setdefault(name, shared)
        return found

    def load_factsheets(
        self,
        sheets: Sequence[object],
        *,
        replace: bool = False,
        nquads: Sequence[bytes] | None = None,
        counts: Sequence[int] | None = None,
        references: Sequence[Sequence[str]] | None = None,
    ) -> list[LoadReport]:
        """Load many checked fact sheets; each is all-or-nothing, and new ones go in one batch.

        Sheets whose source is not in the store yet are written in one load (much faster than
        one transaction per sheet); sheets that replace a source are written one by one. A
        crash in the middle leaves each source either absent (as before) or complete. An
        article loaded already as another source, or twice in the batch, is refused before
        anything is written (with ``replace``, the other source is replaced). ``nquads``: each
        sheet's source graph as ``source_nquads`` writes it (UTF-8), if the caller made it
        already (``pledgegraph load`` validates that same text); ``counts``, with ``nquads``,
        each one's :func:`_data_lines`, and ``references`` each sheet's ``reference_nquads``, if
        the caller made them already (``pledgegraph load``: its worker processes do).
        """
        from pledgegraph.loaders.facts import FactSheet
        from pledgegraph.loaders.factsheet import filed_sheet
        from pledgegraph.loaders.rdf import reference_nquads, source_graph, source_nquads

        typed = [filed_sheet(s) for s in sheets if isinstance(s, FactSheet)]
        assert len(typed) == len(sheets)
        graphs = [source_graph(s) for s in typed]
        copied: set[int] = set()
        earlier = EarlierSheets()
        for index, sheet in enumerate(typed):
            if self.check_article(sheet, among=earlier, replace=replace):
                copied.add(index)
            earlier.add(sheet)
        assert nquads is None or len(nquads) == len(typed)
        assert counts is None or (nquads is not None and len(counts) == len(typed))
        assert references is None or len(references) == len(typed)
        fresh: dict[str, FactSheet] = {}
        texts: dict[str, bytes] = {}
        counted: dict[str, int] = {}
        given: dict[str, Sequence[str]] = {}
        for index, (graph, sheet) in enumerate(zip(graphs, typed, strict=True)):
            if not self.has_graph(graph) and graph not in fresh and index not in copied:
                fresh[graph] = sheet
                if nquads is not None:
                    texts[graph] = nquads[index]
                if counts is not None:
                    counted[graph] = counts[index]
                if references is not None:
                    given[graph] = references[index]
        reports: dict[int, LoadReport] = {}
        fresh_notes: dict[str, list[str]] = {}
        if fresh:
            chunks: Iterator[str | bytes] = (
                iter(texts.values())
                if nquads is not None
                else _grouped(line for s in fresh.values() for line in source_nquads(s))
            )
            targets = sum(len(p.targets) for s in fresh.values() for p in s.pledges)
            # Big batches go to the bulk loader a few sources at a time (one copy of the data
            # never exists in memory, nor one sort of all of it); small ones are one transaction.
            data: bytes | _Batches = (
                _Batches(chunks, _BULK_BATCH)
                if targets >= _BULK_TARGETS
                else b"".join(c.encode("utf-8") if isinstance(c, str) else c for c in chunks)
            )
            # Each shared node keeps the name the store holds, else the first sheet's.
            from pledgegraph.graph.identity import settle_names

            for g, s in fresh.items():
                if g not in given:
                    given[g] = reference_nquads(s)
            reference, warnings = settle_names(
                self.inner, [(s.path or g, given[g]) for g, s in fresh.items()]
            )
            kept = _lines(reference)
            files = {g: _sheet_file(s) or "" for g, s in fresh.items()}
            self._follow = {
                "link": sorted({p.region for s in fresh.values() for p in s.pledges}),
                **self._names_follow(
                    {g: _alternative_names(lines, kept) for g, lines in given.items()}, []
                ),
                **({SHEET_FILES: [f"{g} {f}" for g, f in files.items()]} if files else {}),
            }
            self._write(list(fresh), data, "nquads", None, "fact sheets", reference=reference)
            self._settle_write()
            order = list(fresh)
            for position, line in warnings:
                fresh_notes.setdefault(order[position], []).append(line)
        for index, (graph, sheet) in enumerate(zip(graphs, typed, strict=True)):
            if fresh.get(graph) is sheet:
                notes = tuple(fresh_notes.get(graph, ()))
                count = (
                    counted[graph]
                    if graph in counted
                    else _data_lines(texts[graph])
                    if graph in texts
                    else self.data_count(graph)
                )
                reports[index] = LoadReport(sheet.path or graph, graph, count, False, notes)
            else:
                reports[index] = self.load_factsheet(sheet, replace=replace)
        return [reports[i] for i in range(len(typed))]

    def load_rdf(
        self,
        path: str,
        *,
        format: str | None = None,
        graph: str | None = None,
        data: bytes | None = None,
        replace: bool = False,
    ) -> LoadReport:
        """Load an RDF file (or ``data``) as one source, replacing an older load of it.

        Triples go to ``graph`` (default: a graph named after the file); quad formats keep
        their own named graphs, and their default-graph triples go to ``graph``. The same file
        (the same resolved path) loaded again replaces its graphs; a graph that holds what
        another file or standard input loaded is refused (see :meth:`check_rdf`) unless
        ``replace``. The path is recorded with the write, as the graph's loader.
        """
        from pledgegraph.loaders.rdf import named_reference_nquads

        name = rdf_format_for(path, format)
        target = self.check_rdf(path, graph=graph, replace=replace)
        owners = self._owners()
        data = read_rdf(path, name, data)  # size, entity and nesting limits (formats.py)
        replaced = self.has_graph(target)
        if RDF_FORMATS[name].supports_datasets:  # N-Quads, TriG, JSON-LD: may name graphs
            quads = self._parse_quads(data, name, path, target)
            found: set[str] = set()
            about: list[ox.Quad] = []
            refuse_own_index(quads, path, data, found, about)
            reference = "".join(named_reference_nquads(found)).encode("utf-8")
            refuse_other_description(about, reference, path, data, found)
            named = self._graphs_written(quads, target, owners, path)
            # A reload replaces every graph the last load of this source wrote.
            earlier = {g for g, owner in owners.items() if owner == target and self.has_graph(g)}
            graphs = sorted(named)
            nquads = ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""
            old = sorted(earlier | {g for g in named if self.has_graph(g)})
            self._follow = {
                "unused": sorted(self._shared_nodes(old)),
                "rows": graphs,
                "rebuild": self._rows_depending_on(old),
                "depends": graphs,
                "link": _known_regions(found),
                LOADED_FROM: [target, file_identity(path)],
            }
            self._note_inferred(old)
            self._write(
                graphs,
                nquads,
                "nquads",
                None,
                path,
                owners={g: target for g in named},
                drop=sorted(earlier - named),
                reference=reference,
            )
            self._settle_write()
            report_graph = target if target in graphs else (graphs[0] if graphs else target)
            return LoadReport(path, report_graph, sum(self.data_count(g) for g in graphs), replaced)
        # (one streamed parse before anything is written: also the syntax check)
        found = set()
        about = []
        self._check_syntax(
            data, name, path, _base_iri(path), own_index=True, shared=found, about=about
        )
        # the regions and deadlines it names by our IRIs, described as a fact sheet would
        reference = "".join(named_reference_nquads(found)).encode("utf-8")
        refuse_other_description(about, reference, path, data, found)
        shared = self._shared_nodes([target]) if replaced else set()
        self._follow = {
            "unused": sorted(shared),
            "rows": [target],
            "rebuild": self._rows_depending_on([target]) if replaced else [],
            "depends": [target],
            "link": _known_regions(found),  # (linked at load, as a fact sheet's regions are)
            LOADED_FROM: [target, file_identity(path)],
        }
        if replaced:
            self._note_inferred([target])
        self._write(
            [target], data, name, target, path, owners={target: target}, reference=reference
        )
        self._settle_write()
        return LoadReport(path, target, self.data_count(target), replaced)

    def check_rdf(
        self,
        path: str,
        *,
        graph: str | None = None,
        among: Mapping[str, str] | None = None,
        replace: bool = False,
    ) -> str:
        """The graph the RDF file ``path`` loads into (``graph``, else one named after the
        file), checked before the file is read. Refused: an IRI that is not absolute, one of
        pledgegraph's own graphs, a graph a quad file wrote as part of another source, a
        graph earlier files of the same load go to (``among``: graph -> path; also with
        ``replace``), and, unless ``replace``, a graph that holds what another file or
        standard input loaded. A file graph is named after the file's name alone (``a.b.nt``
        and ``a-b.nt``, or ``x/data.nt`` and ``y/data.nt``, share one), so only the path
        recorded with each load tells them apart; a store that recorded none (an older
        pledgegraph) lets the file replace the graph, as it always did."""
        own = file_graph(path)
        target = graph or own
        _check_iri(target, "--graph")
        if reserved_graph(target) and target != own:  # (another file's graph is reserved too)
            raise InputError(
                f"the graph <{target}> is reserved for pledgegraph's own data",
                hint="load the file into another graph (--graph IRI)",
                where="--graph",
            )
        state = self.state()  # (read once: it grows with the number of files loaded)
        owners = self._owners(state)
        owner = owners.get(target)
        if owner is not None and owner != target and self.has_graph(target):
            raise InputError(
                f"the graph <{target}> belongs to another source (<{owner}>)",
                hint="load the file into another graph (--graph IRI)",
                where="--graph",
            )
        me = file_identity(path)
        earlier = (among or {}).get(target)
        if earlier is not None and file_identity(earlier) != me:
            raise InputError(
                f"its graph <{target}> is also the graph of {_loader_name(earlier)}, given "
                "earlier in this load",
                hint="a file's graph is named after its file name only: load one of the two "
                "on its own with --graph IRI, or leave one out",
                path=path,
            )
        holder = self._loader_of(target, owners, self._loaders(state))
        if holder is not None and not replace and (holder != me or me == STDIN):
            raise InputError(
                f"its graph <{target}> holds the data loaded from {_loader_name(holder)} "
                "(loaded before)",
                hint="pass --graph IRI to load it under another name, or --replace to replace "
                f"that data, or remove that data first (pledgegraph remove {target})",
                path=path,
            )
        return target

    def _loader_of(
        self, graph: str, owners: Mapping[str, str], loaders: Mapping[str, str]
    ) -> str | None:
        """Who loaded the data a file's own graph (``load --graph`` or named after the file)
        holds: the file's resolved path, or ``-`` for standard input. None when the source
        holds nothing (neither the graph nor a graph its quads named, ``owners``, is in the
        store), or when no loader was recorded (a store written by an older pledgegraph)."""
        loader = loaders.get(graph)
        if loader is None:
            return None
        if self.has_graph(graph):
            return loader
        parts = (g for g, owner in owners.items() if owner == graph)
        return loader if any(self.has_graph(g) for g in parts) else None

    def _loaders(self, state: Mapping[str, object] | None = None) -> dict[str, str]:
        """Each file source's own graph -> who loaded it (:func:`file_identity`)."""
        loaders = (self.state() if state is None else state).get(LOADED_FROM)
        if not isinstance(loaders, dict):
            return {}
        return {str(k): str(v) for k, v in loaders.items()}

    def _record_sheet_file(self, graph: str, file: str) -> None:
        """Record ``file`` as the sheet file of ``graph`` without a write of data."""
        self.set_state(**{SHEET_FILES: {**self._sheet_files(), graph: file}})

    def _sheet_files(self, state: Mapping[str, object] | None = None) -> dict[str, str]:
        """Each fact sheet's source graph -> the sheet file that wrote it last."""
        files = (self.state() if state is None else state).get(SHEET_FILES)
        if not isinstance(files, dict):
            return {}
        return {str(k): str(v) for k, v in files.items()}

    def _rows_depending_on(self, graphs: Sequence[str]) -> list[str]:
        """The graphs holding rows (of targets outside ``graphs``) that read what ``graphs``
        say: about the target itself, its pledge, or its pledge's region or a region above it
        (a description, a confidence, a region's ``partOf``: a row holds its region's
        ancestors, so a province given a new parent changes its cities' rows too). A file
        loaded or removed changes those rows."""
        present = [g for g in graphs if self.has_graph(g)]
        if not present:
            return []
        values = " ".join(f"<{g}>" for g in present)
        query = f"""SELECT DISTINCT ?g WHERE {{
  VALUES ?file {{ {values} }}
  {{ GRAPH ?file {{ ?t ?p ?o }} GRAPH ?g {{ ?t <{PLEDGE}row> ?r }} }}
  UNION {{ GRAPH ?file {{ ?pl ?p ?o }} ?pl <{PLEDGE}hasTarget> ?t . GRAPH ?g {{ ?t <{PLEDGE}row> ?r }} }}
  UNION {{ GRAPH ?file {{ ?reg ?p ?o }} ?sub <{PLEDGE}partOf>* ?reg .
           ?pl <{PLEDGE}region> ?sub ; <{PLEDGE}hasTarget> ?t .
           GRAPH ?g {{ ?t <{PLEDGE}row> ?r }} }}
  FILTER(?g != ?file)
}}"""
        solutions = self.inner.query(query, use_default_graph_as_union=True)
        assert isinstance(solutions, ox.QuerySolutions)
        found = {row["g"].value for row in solutions if isinstance(row["g"], ox.NamedNode)}
        return sorted(found - set(graphs))

    def _add_rows(self, graphs: list[str]) -> None:
        """Compute the targets' pledge:row (graph/rows.py) where a loaded file lacks them, and
        the kinds' due keys derived from them."""
        from pledgegraph.graph.rows import rebuild_rows, settle_due_keys

        has_target = ox.NamedNode(PLEDGE + "hasTarget")
        row = ox.NamedNode(PLEDGE + "row")
        rebuilt = False
        for graph in graphs:
            if not self.has_graph(graph):
                continue
            name = ox.NamedNode(graph)
            targets = {q.object for q in self.inner.quads_for_pattern(None, has_target, None, name)}
            rows = {q.subject for q in self.inner.quads_for_pattern(None, row, None, name)}
            if targets - rows:
                rebuild_rows(self, [graph])  # (settles the due keys too)
                rebuilt = True
        if not rebuilt:
            # The rows were there: written by the file, or by a rebuild cut off before it settled
            # the due keys (the step run again at the next open). Settle them: idempotent.
            settle_due_keys(self)

    def owned_graphs(self) -> dict[str, str]:
        """Each named graph a quad file wrote -> the file's own graph (the source it is part
        of: it is replaced and removed with it)."""
        return self._owners()

    def _owners(self, state: Mapping[str, object] | None = None) -> dict[str, str]:
        """Which source (its own graph) wrote each named graph of a quad file (from ``state``,
        if read already)."""
        owners = (self.state() if state is None else state).get("owners")
        if not isinstance(owners, dict):
            return {}
        return {str(k): str(v) for k, v in owners.items()}

    def _graphs_written(
        self, quads: Sequence[ox.Quad], target: str, owners: dict[str, str], path: str
    ) -> set[str]:
        """The graphs the parsed ``quads`` of a file (its own graph ``target``) would write,
        each checked: the one check for every format that can name graphs (N-Quads, TriG,
        JSON-LD). A blank-node graph is refused: it could be neither listed nor removed."""
        named: set[str] = set()
        for quad in quads:
            name = quad.graph_name
            if isinstance(name, ox.BlankNode):
                raise blank_graph_error(path)
            if isinstance(name, ox.NamedNode):
                named.add(name.value)
        for other in sorted(named - {target}):
            self._check_may_write(other, target, owners, path)
        return named

    def _check_may_write(self, graph: str, target: str, owners: dict[str, str], path: str) -> None:
        """A file may write only its own graphs: never a reserved one or another source's."""
        if reserved_graph(graph):
            raise InputError(
                f"names the graph <{graph}>, which is reserved for pledgegraph's own data",
                hint="a file may write only its own graphs: rename that graph in the file",
                path=path,
            )
        if self.has_graph(graph) and owners.get(graph) != target:
            owner = owners.get(graph)
            raise InputError(
                f"names the graph <{graph}>, which belongs to another source"
                + (f" (<{owner}>)" if owner else ""),
                hint="a file may write only its own graphs: rename that graph in the file",
                path=path,
            )

    def _write(
        self,
        graphs: list[str],
        data: bytes | _Batches,
        fmt: str,
        to_graph: str | None,
        where: str,
        *,
        reference: bytes = b"",
        owners: dict[str, str] | None = None,
        drop: Sequence[str] = (),
    ) -> None:
        """Make ``graphs`` hold exactly ``data`` (and remove ``drop``): all-or-nothing.

        - All graphs new: the data is loaded straight into them; the pending record says to
          remove them, so a crash (or a syntax error) rolls the store back.
        - Some graph exists: the data is first checked (parsed, nothing written), then saved in
          a journal (with the reference quads); the pending record names the journal relative
          to the database and holds the base IRI, so it replays the same from any directory.
          The old graphs are dropped and the journal loaded; a crash in between rolls forward
          at the next open.
        Reference quads are added at the end (they are shared and only ever added).
        """
        try:
            self._write_or_fail(graphs, data, fmt, to_graph, where, reference, owners, drop)
        except OSError as exc:  # the disk is full, or the store's files cannot be written
            self._follow = None
            raise write_error(exc, str(self.path or "memory")) from None
        except BaseException:
            self._follow = None
            raise

    def _write_or_fail(
        self,
        graphs: list[str],
        data: bytes | _Batches,
        fmt: str,
        to_graph: str | None,
        where: str,
        reference: bytes,
        owners: dict[str, str] | None,
        drop: Sequence[str],
    ) -> None:
        base = _base_iri(where)
        if not any(self.has_graph(g) for g in [*graphs, *drop]):
            # The shared nodes the write adds are named too: a crash after they were added
            # (and before the commit) rolls them back with the graphs, unless other data uses
            # them.
            added = sorted(
                {line.split(" ", 1)[0][1:-1] for line in _lines(reference) if line[:1] == "<"}
            )
            self.set_state(pending={"remove": graphs, **({"unused": added} if added else {})})
            try:
                self._load_bytes(data, fmt, to_graph, where, base)
            except PledgeGraphError:
                try:
                    for graph in graphs:
                        self._drop(ox.NamedNode(graph))
                    self.set_state(pending=None)
                except OSError:
                    pass  # the pending record stays: the next open removes the graphs
                raise
            self._finish(graphs, reference, owners)
            return
        assert isinstance(data, bytes), "only new graphs are streamed"
        if to_graph is not None:  # a file: check it before anything is dropped
            self._check_syntax(data, fmt, where, base)
        journal = self._journal(data, ".data")
        journal_reference = self._journal(reference, ".nq") if reference else None
        self.set_state(
            pending={
                "replace": graphs,
                "drop": list(drop),
                "journal": journal.name if journal else None,
                "reference": journal_reference.name if journal_reference else None,
                "format": fmt,
                "to_graph": to_graph,
                "where": where,
                "base": base,
                "owners": owners,
                "follow": self._follow,
            }
        )
        kill_point("replace-journalled")
        if journal is None:  # in memory: nothing survives a crash anyway
            self._replay(graphs, data, fmt, to_graph, where, base, reference, owners, drop)
        else:
            data = journal.read_bytes()
            self._replay(graphs, data, fmt, to_graph, where, base, reference, owners, drop)
            journal.unlink(missing_ok=True)
            if journal_reference is not None:
                journal_reference.unlink(missing_ok=True)

    def _replay(
        self,
        graphs: list[str],
        data: bytes,
        fmt: str,
        to_graph: str | None,
        where: str,
        base: str | None,
        reference: bytes = b"",
        owners: dict[str, str] | None = None,
        drop: Sequence[str] = (),
    ) -> None:
        for graph in [*graphs, *drop]:
            self._drop(ox.NamedNode(graph))
        kill_point("replace-dropped")
        self._load_bytes(data, fmt, to_graph, where, base)
        self._finish(graphs, reference, owners)

    def _finish(self, graphs: list[str], reference: bytes, owners: dict[str, str] | None) -> None:
        if reference:
            self.inner.update(
                f"INSERT DATA {{ GRAPH <{REFERENCE_GRAPH}> {{ {_triples_of(reference)} }} }}"
            )
            kill_point("reference-added")
        for graph in graphs:
            self.inner.add_graph(ox.NamedNode(graph))
        # No flush here: a committed transaction is in RocksDB's write-ahead log and a bulk load
        # is ingested whole, so both survive the process being killed (close() flushes).
        # The commit point: the pending record goes, and what is left to do after the write
        # (self._follow) is recorded in the same state update, so a crash from here on is
        # finished at the next open (recover), never left half done.
        # A file's loader (load_rdf) is recorded here, with its data: not a follow-up step.
        loader = recorded_loader(self._follow, owners)
        sheets = sheet_files(self._follow)
        follow = {
            k: v for k, v in (self._follow or {}).items() if k not in (LOADED_FROM, SHEET_FILES)
        } or None
        updates: dict[str, object] = {}
        state = self.state() if owners or sheets else {}
        if owners:
            updates["owners"] = {**self._owners(state), **owners}
        if loader is not None:
            updates[LOADED_FROM] = {**self._loaders(state), loader[0]: loader[1]}
        if sheets:
            merged = {**self._sheet_files(state), **sheets}
            updates[SHEET_FILES] = {g: f for g, f in merged.items() if f}
        if self.has_graph(INFERRED_GRAPH):  # in the same update: a crash right after the
            updates["inferred_stale"] = True  # commit left 'reason' saying "up to date"
        self.set_state(pending=None, follow=follow, **updates)
        self._follow_recorded = follow is not None
        kill_point("write-committed")

    def empty_after_import(self) -> None:
        """Remove every quad and graph: an import into an empty store failed or was cut off."""
        for g in list(self.inner.named_graphs()):
            self.inner.remove_graph(g)
        self.inner.remove_graph(ox.DefaultGraph())
        self.set_state(importing=None)

    def _settle_write(self) -> None:
        """Do what the write just committed left to do, then clear its record in the state.

        (A backend whose write does not go through :meth:`_finish`, the remote store, keeps its
        own record of what is due and has the steps here only.)"""
        follow, self._follow = self._follow, None
        if follow:
            try:
                self._run_follow(follow)
            except OSError as exc:
                raise write_error(exc, str(self.path or "memory")) from None
        if self._follow_recorded:
            self._follow_recorded = False
            self.set_state(follow=None)

    def _run_follow(self, follow: Mapping[str, object]) -> None:
        """Each step is idempotent, so a step cut off is simply run again at the next open."""

        def strings(name: str) -> list[str]:
            value = follow.get(name)
            return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []

        if strings("names_check") or strings("names_set") or strings("names_drop"):
            self._settle_names_given(
                strings("names_set"), strings("names_drop"), strings("names_check")
            )
        kill_point("follow-names")
        if strings("unused"):
            self._drop_unused(set(strings("unused")))
            from pledgegraph.graph.rows import settle_due_keys

            settle_due_keys(self)  # the kinds' due keys no target carries any more
        kill_point("follow-unused")
        if strings("inferred"):
            self._drop_inferred_orphans(strings("inferred"))
        kill_point("follow-inferred")
        if strings("rows"):
            self._add_rows(strings("rows"))
        rebuild = set(strings("rebuild")) | set(self._rows_depending_on(strings("depends")))
        rebuild = {g for g in rebuild if self.has_graph(g)}
        if rebuild:  # rows of other sources whose targets, pledges or regions a file describes
            from pledgegraph.graph.rows import rebuild_rows

            rebuild_rows(self, sorted(rebuild))
        kill_point("follow-rows")
        if strings("link"):
            from pledgegraph.graph.linking.links import link_regions

            link_regions(self, strings("link"))

    def _state_where(self) -> str:
        file = self._state_file()
        return str(file) if file is not None else "store"

    def _journal(self, data: bytes, suffix: str) -> Path | None:
        if self._database is None:
            return None
        folder = self._database / JOURNAL_DIR
        folder.mkdir(exist_ok=True)
        journal = folder / f"{uuid.uuid4().hex}{suffix}"
        with journal.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        return journal

    def _journal_file(self, name: object) -> Path | None:
        """A journal named in a pending record (older stores recorded a path: keep its name)."""
        if self._database is None or not isinstance(name, str) or not name:
            return None
        return self._database / JOURNAL_DIR / Path(name).name

    def _load_bytes(
        self,
        data: bytes | _Batches,
        fmt: str,
        to_graph: str | None,
        where: str,
        base: str | None,
    ) -> None:
        """Load with pyoxigraph: the bulk loader for big inputs, a transaction for small ones."""
        bulk = not isinstance(data, bytes) or len(data) >= _BULK_THRESHOLD
        target = ox.NamedNode(to_graph) if to_graph is not None else None
        try:
            try:
                # (no bound method kept in a local: a traceback must not keep the store open)
                if isinstance(data, _Batches):
                    for batch in data:
                        self.inner.bulk_load(batch, RDF_FORMATS[fmt], to_graph=target)
                        kill_point("bulk-batch-loaded")
                elif bulk:
                    self.inner.bulk_load(data, RDF_FORMATS[fmt], to_graph=target, base_iri=base)
                else:
                    self.inner.load(data, RDF_FORMATS[fmt], to_graph=target, base_iri=base)
            finally:
                if bulk and self._database is not None:
                    tidy_database(self._database)  # a failed bulk load leaves bulk-*.sst files
        except SyntaxError as exc:
            raise RdfSyntaxError(
                _syntax_message(exc),
                hint=syntax_hint(
                    exc, "fix the file and load it again", data if isinstance(data, bytes) else None
                ),
                path=where,
                line=exc.lineno,
            ) from None
        except ValueError as exc:
            raise InputError(f"cannot load: {exc}", hint="check the file", path=where) from None
        except MemoryError as exc:  # pyoxigraph: a token past its 16 MB buffer
            raise token_too_large(where) if "maximal size" in str(exc) else exc from None
        except OSError as exc:
            raise write_error(exc, str(self.path or "memory")) from None

    def _check_syntax(
        self,
        data: bytes,
        fmt: str,
        where: str,
        base: str | None,
        *,
        own_index: bool = False,
        shared: set[str] | None = None,
        about: list[ox.Quad] | None = None,
    ) -> None:
        """Parse ``data`` (nothing kept): a syntax error, or with ``own_index`` a predicate of
        the row index (:func:`refuse_own_index`, which also fills ``shared``), is raised as
        the one line for the user."""
        try:
            parsed = ox.parse(data, RDF_FORMATS[fmt], base_iri=base)
            if own_index:
                refuse_own_index(parsed, where, data, shared, about)
            else:
                for _ in parsed:
                    pass
        except MemoryError as exc:  # pyoxigraph: a token past its 16 MB buffer
            raise token_too_large(where) if "maximal size" in str(exc) else exc from None
        except SyntaxError as exc:
            raise RdfSyntaxError(
                _syntax_message(exc),
                hint=sheet_hint(where) or syntax_hint(exc, "fix the file and load it again", data),
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
        except MemoryError as exc:  # pyoxigraph: a token past its 16 MB buffer
            raise token_too_large(path) if "maximal size" in str(exc) else exc from None
        except SyntaxError as exc:
            raise RdfSyntaxError(
                _syntax_message(exc),
                hint=sheet_hint(path) or syntax_hint(exc, "fix the file and load it again", data),
                path=path,
                line=exc.lineno,
            ) from None

    def _data_changed(self) -> None:
        if self.has_graph(INFERRED_GRAPH):
            self.mark_inferred(stale=True)

    def _drop(self, graph: ox.NamedNode) -> None:
        self.inner.remove_graph(graph)

    def remove_source(self, graph: str) -> bool:
        """Remove a source's graph; ``False`` if there was none. pledgegraph's own graphs
        (ontology, reference, links, inferred…) are never removed."""
        if not graph.startswith((SOURCE_GRAPH, FILE_GRAPH)):
            raise InputError(
                "is one of pledgegraph's own graphs, not a source",
                hint="name a source graph ('pledgegraph stats --graphs' lists them)",
                where=f"remove {graph}",
            )
        node = ox.NamedNode(graph)
        if not self.inner.contains_named_graph(node):
            return False
        self.inner.remove_graph(node)
        self._data_changed()
        return True

    def find_source(self, name: str) -> str:
        """The graph of the source named by its graph IRI, its key, its URL or (an RDF file
        loaded into the graph named after it) its file name or path."""
        return self._find_source(name)[0]

    def _find_source(self, name: str) -> tuple[str, bool]:
        """:meth:`find_source`, and whether the name was a source's URL (one article)."""
        if name.startswith(GRAPH) and not name.startswith((SOURCE_GRAPH, FILE_GRAPH)):
            raise InputError(  # (the ontology, reference, links, inferred … graphs)
                "is one of pledgegraph's own graphs, not a source",
                hint="name a source: a graph under graph/source/ or graph/file/ ('pledgegraph "
                "stats --graphs' lists them)",
                where=f"remove {name}",
            )
        graphs = self.source_graphs()
        # A file whose quads all went to named graphs has an empty graph of its own: it is
        # known by the graphs it owns (named by its own IRI or key, or by one of them).
        owners = {g: o for g, o in self._owners().items() if self.has_graph(g)}
        # (an RDF file is also named by its file name or path: its graph unless loaded --graph;
        # not a URL, whose last part may look like a file name: an attack removed report.ttl
        # for https://example.org/pub/report.ttl, another source's address)
        url_like = "://" in name or name.startswith("urn:")
        # (not a fact sheet's name: *.yaml is never loaded as an RDF file)
        by_file = (
            file_graph(name)
            if not url_like and name != "-" and "." in Path(name).name and not is_factsheet(name)
            else None
        )
        found = [
            candidate
            for candidate in dict.fromkeys(
                c for c in (name, SOURCE_GRAPH + name, FILE_GRAPH + name, by_file) if c
            )
            if candidate in graphs or candidate in owners.values()
        ]
        if not found and name in owners:
            found = [owners[name]]
        by_url = self._graphs_with_url(name, graphs, owners) if url_like else []
        # A fact sheet's file names the source it loads (its key is in the sheet, not the
        # file name: a new user's trial tried 'remove my.pledges.yaml' first); weighed with
        # the other readings (an attack: an RDF file loaded from 'ka-pledges-yaml' was taken
        # for the sheet ka.pledges.yaml)
        by_sheet = None if url_like else self._source_of_sheet_file(name, graphs)
        named = list(dict.fromkeys([*found, *by_url, *([by_sheet] if by_sheet else [])]))
        if len(named) > 1:  # a key and a file name, a graph IRI and a URL: never guess which
            raise InputError(
                f"names {len(named)} sources: " + ", ".join(f"<{g}>" for g in named),
                hint="name one by its graph IRI",
                where=f"remove {name}",
            )
        if named:
            return named[0], named[0] in by_url and named[0] not in found
        raise InputError(
            "no such source in the store",
            hint="name a source by its graph IRI, key, URL, RDF file name or fact sheet file "
            "('pledgegraph stats --graphs' lists the graphs)",
            where=f"remove {name}",
        )

    @staticmethod
    def _source_of_sheet_file(name: str, graphs: Sequence[str]) -> str | None:
        """The source graph of the fact sheet in file ``name``, if it is in the store."""
        from pledgegraph.loaders.factsheet import read_factsheet, source_key
        from pledgegraph.loaders.rdf import source_graph

        if name == "-" or not is_factsheet(name) or not Path(name).is_file():
            return None
        try:
            sheet = read_factsheet(name)
        except PledgeGraphError:  # not a sheet that could have been loaded
            return None
        graph = source_graph(source_key(sheet.source))
        return graph if graph in graphs else None

    def _graphs_with_url(
        self, url: str, graphs: Sequence[str], owners: Mapping[str, str]
    ) -> list[str]:
        """The sources (their own graphs) holding an article with this ``schema:url``."""
        try:
            iri = ox.NamedNode(url)
        except ValueError:
            return []
        rows = self.inner.query(
            f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s <{SCHEMA}url> {iri} }} }}"
        )
        assert isinstance(rows, ox.QuerySolutions)
        held = set(graphs)
        found: set[str] = set()
        for row in rows:
            graph = row["g"]
            if isinstance(graph, ox.NamedNode):
                own = owners.get(graph.value, graph.value)  # (a file's part: the file)
                if own in held or own in owners.values():
                    found.add(own)
        return sorted(found)

    def _sources_in(self, graph: str) -> int:
        """How many sources (subjects with a ``schema:url``) one graph describes."""
        return self._number(
            f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s <{SCHEMA}url> ?u }} }}"
        )

    def _number(self, query: str) -> int:
        """The ``?n`` of the one row of a counting query."""
        rows = self.inner.query(query)
        assert isinstance(rows, ox.QuerySolutions)
        term = next(iter(rows))["n"]
        return int(term.value) if isinstance(term, ox.Literal) else 0

    def _check_removable(self, name: str, graphs: Sequence[str], *, one_article: bool) -> None:
        """Refuse a removal that would take the ontology (an import of a triple format puts it
        in the one graph with every source: removing that emptied the store), or, for a source
        named by its URL, any other article (a file of several articles goes whole)."""
        for graph in graphs:
            if self._holds_ontology(graph):
                raise InputError(
                    f"the graph <{graph}> holds the ontology too (an import of a triple format "
                    "keeps everything in one graph), so removing it would empty the store",
                    hint="import an N-Quads or TriG export to keep each source in its own graph",
                    where=f"remove {name}",
                )
        if one_article:
            others = sum(self._sources_in(g) for g in graphs) - 1
            if others > 0:
                raise InputError(
                    f"this source is in <{graphs[0]}> with {others} other "
                    f"source{'' if others == 1 else 's'} of the same file, and remove takes a "
                    "file whole",
                    hint=f"name the file's graph <{graphs[0]}> to remove them all, or load the "
                    "sources as fact sheets or N-Quads to keep each in a graph of its own",
                    where=f"remove {name}",
                )

    def _holds_ontology(self, graph: str) -> bool:
        found = self.inner.query(
            f"ASK {{ GRAPH <{graph}> {{ ?o a <http://www.w3.org/2002/07/owl#Ontology> }} }}"
        )
        return bool(found)

    def remove(self, name: str) -> list[str]:
        """Remove the source named by its graph IRI, key or URL; return the graphs removed.

        A file source's other graphs (those its quads named) go with it. All or nothing, also
        if the process is killed: the removal is recorded first and finished at the next open.
        Shared data (ontology, reference, links) stays.
        """
        graph, by_url = self._find_source(name)
        owners = self._owners()
        parts = {g for g, owner in owners.items() if owner == graph and self.has_graph(g)}
        graphs = [graph, *sorted(parts - {graph})]
        self._check_removable(name, graphs, one_article=by_url)
        held = [g for g in graphs if self.has_graph(g)]  # (a quad file's own may be empty)
        shared = self._shared_nodes(graphs)
        rebuild = sorted(set(self._rows_depending_on(graphs)) - set(graphs))
        self._follow = {
            "unused": sorted(shared),
            "rebuild": rebuild,
            **self._names_follow({}, graphs),
        }
        self._note_inferred(graphs)
        self._write([], b"", "nquads", None, f"remove {name}", drop=graphs)
        left = {g: owner for g, owner in owners.items() if owner != graph and g not in graphs}
        loaders, files = self._loaders(), self._sheet_files()
        if left != owners or graph in loaders or graph in files:
            loaders.pop(graph, None)
            files.pop(graph, None)  # (a source removed is no file's any more)
            self.set_state(owners=left, **{LOADED_FROM: loaders, SHEET_FILES: files})
        self._settle_write()
        return held or graphs

    def _shared_nodes(self, graphs: Sequence[str]) -> set[str]:
        """The shared nodes (subjects of the reference graph: regions and their ancestors,
        deadlines, publishers, authorities) that ``graphs`` name, with those they lead to.

        (A few queries of many nodes each, not one lookup per node: on a server, a file naming
        a thousand deadlines took a thousand requests, 50 s, to remove.)"""
        named: set[str] = set()
        for graph in graphs:
            for quad in self.inner.quads_for_pattern(None, None, None, ox.NamedNode(graph)):
                for term in (quad.subject, quad.object):
                    if isinstance(term, ox.NamedNode):
                        named.add(term.value)
        found: set[str] = set()
        asked: set[str] = set()
        layer = named
        while layer:  # then a city's province, an authority's region
            asked |= layer
            rows = self._rows_about(layer, f"GRAPH <{REFERENCE_GRAPH}> {{ ?n ?p ?o }}", "?n ?o")
            found.update(row["n"].value for row in rows)
            layer = {row["o"].value for row in rows if isinstance(row["o"], ox.NamedNode)} - asked
        return found

    def _rows_about(self, iris: Iterable[str], pattern: str, variables: str) -> list[Any]:
        """The solutions of ``pattern`` for each IRI of ``iris`` as ``?n`` (selecting
        ``variables``), a few hundred IRIs per query."""
        ordered = sorted(set(iris))
        rows: list[Any] = []
        for start in range(0, len(ordered), _VALUES_CHUNK):
            values = " ".join(f"<{iri}>" for iri in ordered[start : start + _VALUES_CHUNK])
            query = f"SELECT DISTINCT {variables} WHERE {{ VALUES ?n {{ {values} }} {pattern} }}"
            solutions = self.inner.query(query)
            assert isinstance(solutions, ox.QuerySolutions)
            rows.extend(solutions)
        return rows

    def _drop_unused(self, candidates: set[str]) -> None:
        """Remove the shared nodes among ``candidates`` that no source names any more (their
        reference triples and links), except the bundled dataset's, in one update.

        A node stays while a source or file graph names it, or while a shared node that stays
        points to it (a province of a city still named). Run after a removal or a replacement,
        as a step the write records before its commit (``follow``): killed before it, the step
        is run at the next open.
        """
        from pledgegraph.graph.linking.links import unlink_update

        unused = candidates - _bundled_shared_nodes()
        unused -= self._named_by_data_among(unused)
        pointing = self._rows_about(unused, f"GRAPH <{REFERENCE_GRAPH}> {{ ?s ?p ?n }}", "?n ?s")
        pointers: dict[str, set[str]] = {}
        for row in pointing:
            if isinstance(row["s"], ox.NamedNode):
                pointers.setdefault(row["n"].value, set()).add(row["s"].value)
        changed = True
        while changed and unused:
            changed = False
            for iri in sorted(unused):
                if pointers.get(iri, set()) - unused:  # a node that stays points to it
                    unused.discard(iri)
                    changed = True
        if not unused:
            return
        nodes = sorted(unused)
        values = " ".join(f"<{iri}>" for iri in nodes)
        update = (
            f"DELETE {{ GRAPH <{REFERENCE_GRAPH}> {{ ?s ?p ?o }} }} "
            f"WHERE {{ VALUES ?s {{ {values} }} GRAPH <{REFERENCE_GRAPH}> {{ ?s ?p ?o }} }} ;\n"
            + unlink_update(nodes)
        )
        self.inner.update(update)

    def names_given(self) -> dict[str, list[str]]:
        """Which alternative names (``skos:altLabel``, ``schema:alternateName`` of a shared
        node, as reference N-Quads lines) each source graph gave: the state's record, kept by
        every fact-sheet load and removal (:meth:`_settle_names_given`)."""
        record = self.state().get("names")
        if not isinstance(record, dict):
            return {}
        return {
            str(g): [v for v in lines if isinstance(v, str)]
            for g, lines in record.items()
            if isinstance(lines, list)
        }

    def _names_follow(
        self, written: Mapping[str, Sequence[str]], dropped: Sequence[str]
    ) -> dict[str, list[str]]:
        """The follow-up step of a write that gives ``written`` (graph -> its alternative-name
        lines) and removes ``dropped``: record the new names, forget those of the graphs
        replaced or removed, and check each name they gave (it goes if no source gives it)."""
        record = self.names_given()
        check = sorted({line for g in [*written, *dropped] for line in record.get(g, [])})
        given = [f"{g} {line}" for g, lines in sorted(written.items()) for line in lines]
        if not (check or given or any(g in record for g in [*written, *dropped])):
            return {}
        # (a graph written again is forgotten first: its new names are set after)
        forget = sorted({*dropped, *written})
        return {"names_set": given, "names_drop": forget, "names_check": check}

    def _settle_names_given(
        self, given: Sequence[str], dropped: Sequence[str], check: Sequence[str]
    ) -> None:
        """Update the record of alternative names (:meth:`names_given`), then remove from the
        reference graph each name of ``check`` that no source gives any more. Idempotent (a
        follow-up step: a write killed after its commit runs it again at the next open)."""
        record = self.names_given()
        written: dict[str, list[str]] = {}
        for entry in given:
            graph, _, line = entry.partition(" ")
            written.setdefault(graph, []).append(line)
        for graph in dropped:
            record.pop(graph, None)
        record.update({g: lines for g, lines in written.items() if lines})
        self.set_state(names=record or None)
        still = {line for lines in record.values() for line in lines}
        gone = [line for line in check if line not in still]
        if gone:
            triples = _triples_of("".join(gone).encode("utf-8"))
            self.inner.update(f"DELETE DATA {{ GRAPH <{REFERENCE_GRAPH}> {{ {triples} }} }}")

    def _note_inferred(self, graphs: Sequence[str]) -> None:
        """Record in the write's follow-up the nodes ``graphs`` (about to be removed or
        replaced) name that the inferred graph says something about: what is inferred about
        those no asserted graph names afterwards goes in the follow-up step."""
        inferred = self._inferred_about(graphs) if graphs else []
        if inferred and self._follow is not None:
            self._follow["inferred"] = inferred

    def _inferred_about(self, graphs: Sequence[str]) -> list[str]:
        """The nodes ``graphs`` name (subjects and objects; ``_:id`` for a blank node) that the
        inferred graph says something about: those a removal may leave without any asserted
        triple (:meth:`_drop_inferred_orphans`). Empty when there is no inferred graph."""
        if not self.has_graph(INFERRED_GRAPH):
            return []
        inferred = ox.NamedNode(INFERRED_GRAPH)
        nodes: set[ox.NamedNode | ox.BlankNode] = set()
        for graph in graphs:
            for quad in self.inner.quads_for_pattern(None, None, None, ox.NamedNode(graph)):
                for term in (quad.subject, quad.object):
                    if isinstance(term, ox.NamedNode | ox.BlankNode):
                        nodes.add(term)
        found = [
            node
            for node in nodes
            if next(iter(self.inner.quads_for_pattern(node, None, None, inferred)), None)
            or next(iter(self.inner.quads_for_pattern(None, None, node, inferred)), None)
        ]
        return sorted(_node_name(node) for node in found)

    def _drop_inferred_orphans(self, names: Sequence[str]) -> int:
        """Remove the inferred triples about each node of ``names`` that no asserted graph
        mentions any more (a removed source's pledges, targets, quantities ...): nothing
        inferred about a removed node outlives it. Inferred facts about nodes that remain are
        left (they may be out of date until the next ``reason``: the store says so).
        Idempotent: a follow-up step of a removal. Returns the triples removed."""
        inferred = ox.NamedNode(INFERRED_GRAPH)

        def asserted(node: ox.NamedNode | ox.BlankNode) -> bool:
            for quad in itertools.chain(
                self.inner.quads_for_pattern(node, None, None, None),
                self.inner.quads_for_pattern(None, None, node, None),
            ):
                name = quad.graph_name
                if name != inferred and not (
                    isinstance(name, ox.NamedNode) and name.value.startswith(STAGING_GRAPH)
                ):
                    return True
            return False

        gone: dict[ox.Quad, None] = {}
        todo = [node for node in map(_node_named, names) if node is not None]
        seen: set[ox.NamedNode | ox.BlankNode] = set()
        while todo:  # (a removed node's neighbours in the inferred graph: its links' targets)
            node = todo.pop()
            if node in seen:
                continue
            seen.add(node)  # (each node is checked once: a class is reached many times)
            if asserted(node):
                continue
            for quad in itertools.chain(
                self.inner.quads_for_pattern(node, None, None, inferred),
                self.inner.quads_for_pattern(None, None, node, inferred),
            ):
                gone[quad] = None
                todo.extend(
                    t
                    for t in (quad.subject, quad.object)
                    if isinstance(t, ox.NamedNode | ox.BlankNode) and t not in seen
                )
        for quad in gone:
            self.inner.remove(quad)
        return len(gone)

    def _named_by_data_among(self, iris: Iterable[str]) -> set[str]:
        """Those of ``iris`` that a graph of data names (as :meth:`_named_by_data`), found
        a few hundred per query."""
        data = (
            f'!STRSTARTS(STR(?g), "{GRAPH}") || STRSTARTS(STR(?g), "{SOURCE_GRAPH}") '
            f'|| STRSTARTS(STR(?g), "{FILE_GRAPH}")'
        )
        pattern = (
            "{ { ?n ?p ?o } UNION { ?s ?p ?n } } UNION "
            f"{{ GRAPH ?g {{ {{ ?n ?p ?o }} UNION {{ ?s ?p ?n }} }} FILTER({data}) }}"
        )
        return {row["n"].value for row in self._rows_about(iris, pattern, "?n")}

    def _named_by_data(self, iri: str) -> bool:
        """Whether a graph of data (a source, a file's graph, the default graph) names ``iri``."""
        node = ox.NamedNode(iri)
        naming = itertools.chain(
            self.inner.quads_for_pattern(node, None, None, None),
            self.inner.quads_for_pattern(None, None, node, None),
        )
        for quad in naming:
            graph = quad.graph_name
            if not isinstance(graph, ox.NamedNode) or not graph.value.startswith(GRAPH):
                return True
            if graph.value.startswith((SOURCE_GRAPH, FILE_GRAPH)):
                return True
        return False

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
        """Named graphs, sorted (without working graphs: see :data:`STAGING_GRAPH`)."""
        return sorted(
            g.value
            for g in self.inner.named_graphs()
            if isinstance(g, ox.NamedNode) and not g.value.startswith(STAGING_GRAPH)
        )

    def count(self, graph: str | None = None, *, where: str = "") -> int:
        """Quads in one graph (those that pass the filter ``where`` on ``?s ?p ?o``), or in
        the whole store."""
        if graph is None:
            return len(self.inner)
        return self._number(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o {where} }} }}"
        )

    def data_count(self, graph: str) -> int:
        """Quads of data in one graph: :meth:`count` without the row index the loaders add
        (what ``stats`` and ``export`` count)."""
        from pledgegraph.loaders.rdf import ROW_PREDICATES

        index = ", ".join(f"<{p}>" for p in ROW_PREDICATES)
        return self.count(graph, where=f"FILTER(?p NOT IN ({index}))")

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        """Quads of one graph, or of every graph but the working ones."""
        if graph is not None:
            return iter(self.inner.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
        return (
            q
            for q in self.inner.quads_for_pattern(None, None, None, None)
            if not (
                isinstance(q.graph_name, ox.NamedNode)
                and q.graph_name.value.startswith(STAGING_GRAPH)
            )
        )

    def source_graphs(self) -> list[str]:
        return [g for g in self.graphs() if g.startswith((SOURCE_GRAPH, FILE_GRAPH))]


def refuse_own_index(
    quads: Iterable[ox.Quad],
    path: str,
    data: bytes | None = None,
    shared: set[str] | None = None,
    about: list[ox.Quad] | None = None,
) -> None:
    """Raise an :class:`InputError` if ``quads`` (of the file ``path``, whose text is ``data``)
    hold a predicate of pledgegraph's own index (``pledge:row`` and its keys, see
    ``loaders.rdf.ROW_PREDICATES``): the store computes those from the data (graph/rows.py),
    and a file that wrote them could make a question list another source's target under
    another year, unseen by ``reindex --check``. Names the first such predicate and its line.
    With ``shared``, the IRIs of regions and deadlines the quads name (as subject or object)
    are added to it (for :func:`pledgegraph.loaders.rdf.named_reference_nquads`: the same
    pass). A known one the file describes is described as the gazetteer does all the same, so a
    file cannot give it another name, whatever the order of loads (two English labels of one
    region made every row of its pledges come out twice): a description that differs is a
    validation error, one that agrees changes nothing. With ``about``, the quads whose
    subject is such an IRI are added to it (for :func:`refuse_other_description`).
    """
    from pledgegraph.loaders.rdf import DEADLINE_IRI, REGION_IRI, ROW_PREDICATES

    own = frozenset(ROW_PREDICATES)
    starts = (REGION_IRI, DEADLINE_IRI)
    for quad in quads:
        subject, object_ = quad.subject, quad.object  # (each read once: a new object per read)
        s = subject.value if isinstance(subject, ox.NamedNode) else None
        o = object_.value if isinstance(object_, ox.NamedNode) else None
        p = quad.predicate.value
        # (as subject or object too: 'ex:y rdfs:subPropertyOf pledge:rowYear' made reason
        # write the index into the inferred graph)
        if p in own or s in own or o in own:
            predicate = next(v for v in (p, s, o) if v in own)
            raise InputError(
                f"pledge:{predicate[len(PLEDGE) :]} is pledgegraph's own index, computed "
                "from the data",
                # (an export holds the ontology, which declares the index's predicates)
                hint="if the file is an export of a pledgegraph store, import it into a new, "
                "empty store (pledgegraph --store NEW_DIR import FILE) and validate that store; "
                "else remove it from the file"
                if s in own
                else "remove it from the file",
                path=path,
                line=line_naming(predicate, data) if data is not None else None,
            )
        if shared is not None:
            if o is not None and o.startswith(starts):
                shared.add(o)
            if s is not None and s.startswith(starts):
                shared.add(s)
                if about is not None:
                    about.append(quad)
            elif about is not None and (
                p == _ISO_CODE  # a node of the file's own with a known region's code
                or p in _CONTAINMENT
                or s in GUARDED
                or o in GUARDED
                or p in _CLASS_AXIOMS
                or p in _TYPING
                or (p in _PROPERTY_AXIOMS and o == _RDF_TYPE)
                or (p == _SAME_AS and o is not None and o.startswith(REGION_IRI))
            ):
                about.append(quad)


_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
#: Names, which a file may add in a language pledgegraph gives none in (a French name).
_NAMES = frozenset({_RDFS + "label", _SKOS + "prefLabel"})  # (skos:altLabel: any, "Shensi")
#: Containment: no file's triple may have a known region inside another by these, or say
#: anything about the properties themselves (an inverse or sub-property of pledge:partOf, a
#: blank node with pledge:hasPart, moved Shaanxi into Zhejiang past the shapes; an attack).
_CONTAINMENT = frozenset(
    {
        PLEDGE + "partOf",
        PLEDGE + "hasPart",
        "https://schema.org/containedInPlace",
        "https://schema.org/containsPlace",
    }
)
CONTAINS = frozenset({PLEDGE + "hasPart", "https://schema.org/containsPlace"})
_ISO_CODE = PLEDGE + "isoCode"
_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
#: Wikidata entities and GeoNames features, however written (scheme, host, page or entity form).
_WIKIDATA_LIKE = re.compile(
    r"^https?://(?:[^/@]*@)?(?:[a-z0-9.-]+\.)?wikidata\.org\.?(?::\d*)?(?:/|$)", re.IGNORECASE
)
_GEONAMES_LIKE = re.compile(
    r"^https?://(?:[^/@]*@)?(?:[a-z0-9.-]+\.)?geonames\.org\.?(?::\d*)?(?:/|$)", re.IGNORECASE
)


def wrong_link(region: str, target: str) -> str | None:
    """What is wrong with ``<region> owl:sameAs <target>`` where ``region`` (an IRI, with or
    without angle brackets) is a region pledgegraph describes and ``target`` a Wikidata entity
    or GeoNames feature that is not the one its link table gives, written as 'link' writes it:
    ``None`` if nothing is. (An attack: a file linked Hebei to Hunan's item and China to Q1;
    validate passed and pledges-by-country listed Q1. Written with https, a right id dropped
    out of regions-linked.)"""
    from urllib.parse import unquote

    from pledgegraph.graph.linking.links import geonames_iri, table_ids, wikidata_iri
    from pledgegraph.loaders.regions import gazetteer

    if _WIKIDATA_LIKE.match(target):
        what = "Wikidata"
    elif _GEONAMES_LIKE.match(target):
        what = "GeoNames"
    else:
        return None
    iri = region.strip("<>")
    prefix = f"{ID}region/"
    places = gazetteer()
    key = unquote(iri[len(prefix) :]) if iri.startswith(prefix) else ""
    if key not in places:
        return None
    ids = table_ids(places.get(key))
    known = ids.wikidata if what == "Wikidata" else ids.geonames
    if known is None:
        # (a link the table has none for may come from an endpoint, but not another region's:
        # an attack linked Ningbo to China's item and the City of London to Hebei's)
        owner = _table_owners().get(target)
        if owner is None or owner == key:
            return None
        return (
            f"the {what} id <{target}> of {owner}, another region (the questions would list "
            "both regions under one id)"
        )
    expected = wikidata_iri(known) if what == "Wikidata" else geonames_iri(known)
    if target == expected:
        return None
    return (
        f"the {what} id <{target}>, where pledgegraph's link table has <{expected}> (the "
        "questions would list the region under another id, or none)"
    )


def _link_conflict(region: object, other: ox.NamedNode) -> tuple[str, str, str] | None:
    """The conflict of ``region owl:sameAs other`` (either way round in the file), if
    :func:`wrong_link` finds one."""
    wrong = wrong_link(str(region), other.value)
    if wrong is None:
        return None
    return (
        _iri_of(region),
        f"gives {_term_text(region)} {wrong}",
        "give it the link table's id (what 'pledgegraph link' writes), or none",
    )


@functools.cache
def _table_owners() -> dict[str, str]:
    """The link table's Wikidata and GeoNames IRIs, each to the key of its region."""
    from pledgegraph.graph.linking.links import geonames_iri, table_ids, wikidata_iri
    from pledgegraph.loaders.regions import gazetteer

    owners: dict[str, str] = {}
    for region in gazetteer():
        ids = table_ids(region)
        if ids.wikidata:
            owners.setdefault(wikidata_iri(ids.wikidata), region.key)
        if ids.geonames:
            owners.setdefault(geonames_iri(ids.geonames), region.key)
    return owners


_OWL = "http://www.w3.org/2002/07/owl#"
_CLASS_AXIOMS = frozenset({_RDFS + "subClassOf", _OWL + "equivalentClass"})
_TYPING = frozenset({_RDFS + "domain", _RDFS + "range"})
_PROPERTY_AXIOMS = frozenset({_RDFS + "subPropertyOf", _OWL + "equivalentProperty"})
_OUR_NODE_CLASSES = frozenset(
    ox.NamedNode(PLEDGE + name) for name in ("Region", "Deadline", "Pledge", "Target", "Authority")
)
_TYPE_NODE = ox.NamedNode(_RDF_TYPE)


#: What :func:`description_conflicts` says of a node a file mints in our namespaces.
MINTED_NODE = "names no region or deadline pledgegraph knows"
MINTED_HINT = (
    "name a known region or deadline by its IRI (pgid:region/CN-HE, pgid:region/CN-ZJ/ningbo, "
    "pgid:deadline/2025), or describe a place or date of your own under an IRI of your own "
    "(https://example.org/…)"
)
#: Our namespaces for regions and deadlines: no file may mint a node there
#: (``description_conflicts``) nor name a graph so (``reserved_graph``).
_OUR_NAMESPACES = (f"{ID}region/", f"{ID}deadline/")
_OUR_PLACES_AND_DATES = tuple(f"<{namespace}" for namespace in _OUR_NAMESPACES)  # (as ``str``)


def _minted(term: ox.NamedNode, verb: str) -> tuple[str, str, str]:
    """The conflict of a file that ``verb`` (describes, names) an IRI in our namespaces that
    pledgegraph does not know."""
    return (
        term.value,
        f"{verb} {_term_text(term)}, an IRI in pledgegraph's own namespace that {MINTED_NODE} "
        "(the questions would read a code or a date from it)",
        MINTED_HINT,
    )


def description_conflicts(
    about: Sequence[ox.Quad], reference: bytes, named: Iterable[str] = ()
) -> list[tuple[str, str, str]]:
    """What the quads of ``about`` (from :func:`refuse_own_index`) say about the regions and
    deadlines that pledgegraph describes itself (``reference``: its description, as N-Quads)
    beyond that description: ``(node IRI, message, hint)`` each. A file may name such a node,
    repeat what pledgegraph says, add facts of its own (a population, links) and names in a
    language pledgegraph gives none in; not another English name, region, code, type of ours
    or year (the questions would list rows twice or count a region in another), nor another
    region inside it, nor say what the properties that contain regions are."""
    if not about and not named:
        return []
    ours: dict[str, dict[str, set[object]]] = {}
    for quad in ox.parse(reference, ox.RdfFormat.N_QUADS):
        ours.setdefault(str(quad.subject), {}).setdefault(quad.predicate.value, set()).add(
            quad.object
        )
    found: list[tuple[str, str, str]] = []
    minted: set[str] = set()
    # the classes the file defines (a type of them on a region could make it a pledge:Deadline
    # by inference, as rdfs:domain and rdfs:range of ours, or a sub-property of rdf:type, can)
    defined = {q.subject for q in about if q.predicate.value in _CLASS_AXIOMS}
    for quad in about:
        subject, predicate, object_ = str(quad.subject), quad.predicate.value, quad.object
        if predicate in _CLASS_AXIOMS:
            continue  # (collected for ``defined`` above)
        if (
            predicate == _SAME_AS
            and isinstance(object_, ox.NamedNode)
            and isinstance(quad.subject, ox.NamedNode)
        ):
            # a link written the other way round: "wd:Q1 owl:sameAs <region>" (an attack)
            conflict = _link_conflict(object_, quad.subject)
            if conflict is not None:
                found.append(conflict)
                continue
        if (predicate in _TYPING and object_ in _OUR_NODE_CLASSES) or (
            predicate in _PROPERTY_AXIOMS and object_ == _TYPE_NODE
        ):
            found.append(
                (
                    _iri_of(quad.subject),
                    f"says {_term_text(quad.subject)} {_short(predicate)} {_term_text(object_)}: "
                    "that could make a region or deadline pledgegraph describes another "
                    "kind of node by inference",
                    KNOWN_NODE_HINT,
                )
            )
            continue
        if (
            predicate in _CONTAINMENT
            or quad.subject in _GUARDED_NODES
            or (object_ in _GUARDED_NODES)
        ):
            iri = predicate if predicate in _CONTAINMENT else None
            if iri is None:
                term = quad.subject if quad.subject in _GUARDED_NODES else object_
                assert isinstance(term, ox.NamedNode)
                found.append(
                    (
                        term.value,
                        f"says what {_short(term.value)} is ({_short(predicate)}); how regions "
                        "contain each other, and their codes, are pledgegraph's to say",
                        KNOWN_NODE_HINT,
                    )
                )
                continue
            if predicate in CONTAINS and str(object_) in ours:
                found.append(
                    (
                        _iri_of(object_),
                        f"places {_term_text(object_)}, which pledgegraph describes itself, "
                        f"inside {_term_text(quad.subject)} ({_short(predicate)})",
                        KNOWN_NODE_HINT,
                    )
                )
                continue
        described = ours.get(subject)
        if predicate == _ISO_CODE and described is None:
            taken = code_owner(quad.subject, object_)
            if taken is not None and isinstance(object_, ox.Literal):
                found.append(
                    (
                        _iri_of(quad.subject),
                        f"gives {_term_text(quad.subject)} the ISO code {object_.value!r} of "
                        f"{_short(taken)}, a region pledgegraph describes (the questions would "
                        f"list two regions {object_.value})",
                        f"name that region by pledgegraph's IRI, {_short(taken)}, or give your "
                        "node no code of a known region",
                    )
                )
            continue
        if described is None:
            if subject.startswith(_OUR_PLACES_AND_DATES) and subject not in minted:
                # (an attack: pgid:region/CN-НЕ, Cyrillic letters, described as a region,
                # was listed as "CN-НЕ, Hebei" beside Hebei: the questions read a code there)
                minted.add(subject)
                assert isinstance(quad.subject, ox.NamedNode)
                found.append(_minted(quad.subject, "describes"))
            continue  # a node of the file's own
        if predicate == _SAME_AS and isinstance(object_, ox.NamedNode):
            conflict = _link_conflict(quad.subject, object_)
            if conflict is not None:
                found.append(conflict)
                continue
        if predicate == _RDF_TYPE and object_ in defined:
            found.append(
                (
                    _iri_of(quad.subject),
                    f"gives {_term_text(quad.subject)}, which pledgegraph describes itself, a "
                    f"type the file defines ({_term_text(object_)})",
                    KNOWN_NODE_HINT,
                )
            )
            continue
        if object_ in described.get(predicate, ()) or not _read_by_questions(
            predicate, object_, described
        ):
            continue  # what pledgegraph says, or a fact of the file's own (a population)
        given = described.get(predicate, set())
        if (
            predicate in _NAMES
            and isinstance(object_, ox.Literal)
            and object_.language
            and not subject.startswith(f"<{ID}deadline/")  # (one label: the shapes)
        ):
            # (a name without a language, a deadline's, stands for English)
            languages = {_primary(o) or "en" for p in _NAMES for o in described.get(p, ())}
            if _primary(object_) not in languages:
                continue  # a name in another language
        node = _term_text(quad.subject)
        if given:
            theirs = ", ".join(sorted(_term_text(o) for o in given))
            message = (
                f"gives {node}, which pledgegraph describes itself, another "
                f"{_short(predicate)} ({_term_text(object_)}; pledgegraph's: {theirs})"
            )
        else:
            message = (
                f"gives {node}, which pledgegraph describes itself, {_short(predicate)} "
                f"{_term_text(object_)}, which pledgegraph does not"
            )
        found.append((_iri_of(quad.subject), message, KNOWN_NODE_HINT))
    # ``named``: the IRIs in our namespaces the file names anywhere (a pledge's region given
    # by a look-alike IRI and never described was listed beside the region: an attack)
    for iri in sorted(named):
        node = f"<{iri}>"
        if node in ours or node in minted or not node.startswith(_OUR_PLACES_AND_DATES):
            continue
        minted.add(node)
        found.append(_minted(ox.NamedNode(iri), "names"))
    return found


def _read_by_questions(predicate: str, object_: object, described: Mapping[str, object]) -> bool:
    """Whether a triple of this predicate (and object) about a region or deadline changes
    what the questions read of it (``described``: what pledgegraph says of it, by predicate):
    pledgegraph's own vocabulary, a property pledgegraph describes it by (its ``time:``
    dates), its English or Chinese name, containment, a type of ours or one the file defines.
    A link, a description, a French ``schema:name`` or a ``skos:notation`` are not (an
    attack found them refused: the properties other shapes hold to one value, for sources and
    targets, were taken for the region's)."""
    if predicate == _RDF_TYPE:
        return isinstance(object_, ox.NamedNode) and object_.value.startswith(PLEDGE)
    return (
        predicate.startswith(PLEDGE)
        or predicate in _NAMES
        or predicate in _CONTAINMENT
        or predicate in described
    )


#: The properties no file may say anything about (an attack: a sub-property of pledge:isoCode
#: gave a file's own node Shaanxi's code after reason).
GUARDED = _CONTAINMENT | {PLEDGE + "isoCode"}
_GUARDED_NODES = frozenset(ox.NamedNode(iri) for iri in GUARDED)
KNOWN_NODE_HINT = (
    "a file may name a region or deadline that pledgegraph describes and add facts of its own "
    "(a population, links, a name in another language), but not change what pledgegraph says "
    "of it: remove that from the file, or describe a place or date of your own under an IRI "
    "of your own"
)


def refuse_other_description(
    about: Sequence[ox.Quad],
    reference: bytes,
    path: str,
    data: bytes | None = None,
    named: Iterable[str] = (),
) -> None:
    """Raise an :class:`InputError` for the first of :func:`description_conflicts`.
    Validation reports them as errors; this holds under ``--lenient`` and ``--no-shapes``
    too (an attack: a second English label listed each row of the region's pledges twice)."""
    conflicts = description_conflicts(about, reference, named)
    if conflicts:
        iri, message, hint = conflicts[0]
        raise InputError(
            message,
            hint=hint,
            path=path,
            line=line_naming(iri, data) if data is not None else None,
        )


#: Letters of other scripts that look like the Latin capitals of ISO codes (an attack: a
#: node with the code "CN‐HE", a Unicode hyphen, was listed beside Hebei under --lenient).
_LOOK_ALIKES = str.maketrans(
    "АВЕКМНОРСТХУІЈЅΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
    "ABEKMHOPCTXYIJSABEZHIKMNOPTYX",
)


def _unconfused(text: str) -> str:
    """``text`` with compatibility forms (full-width letters), dashes and look-alike capitals
    of other scripts folded to the ASCII an ISO code is written in."""
    import unicodedata

    folded = unicodedata.normalize("NFKC", text).translate(_LOOK_ALIKES)
    return "".join("-" if unicodedata.category(c) == "Pd" or c == "\u2212" else c for c in folded)


def code_owner(subject: object, code: object) -> str | None:
    """The IRI of the known region whose ISO code ``code`` is, if ``subject`` is another node;
    else ``None``."""
    from pledgegraph.loaders.rdf import REGION_IRI
    from pledgegraph.loaders.regions import gazetteer

    if not isinstance(code, ox.Literal):
        return None
    # (as written, spaces and invisible characters aside: "cn-zj" is another code to the
    # questions, and the shapes refuse it; ``link`` may still match it to CN-ZJ by its code)
    written = _unconfused("".join(c for c in code.value if c.isprintable() and not c.isspace()))
    if len(written) > 80:  # (an ISO code, or a city key such as CN-SC/chengdu)
        return None
    region = gazetteer().resolve(written)
    if region is None:
        return None
    if (
        written != region.key
        and not (  # (a city's key: "CN-SC/chengdu"; an attack)
            region.iso_code
            and (written == region.iso_code or region.iso_code.endswith(f"-{written}"))
        )
        and not (  # (a code reserved for a country: "UK" for GB, as a sheet's region says)
            region.type == "Country"
            and len(written) == 2
            and written.isalpha()
            and written.isupper()
        )
    ):
        return None  # ("HK", the code of CN-HK's place, is taken: one place, one node)
    owner = REGION_IRI + region.key
    return None if isinstance(subject, ox.NamedNode) and subject.value == owner else owner


def _iri_of(term: object) -> str:
    return term.value if isinstance(term, ox.NamedNode) else str(term)


def _primary(term: object) -> str:
    """The primary subtag of a literal's language, lower case ("en" of "en-GB"), or ""."""
    return _language(term).split("-")[0].lower()


def _language(term: object) -> str:
    return term.language or "" if isinstance(term, ox.Literal) else ""


def _short(iri: str) -> str:
    return _term_text(ox.NamedNode(iri))


def _term_text(term: object) -> str:
    """A term for a message: an IRI by our prefixes (``pgid:region/CN-SN``, ``rdfs:label``)
    or whole in angle brackets, a literal as written (``"Xian"@en-us``)."""
    if isinstance(term, ox.NamedNode):
        compact = short(term)
        return compact if compact != term.value else f"<{term.value}>"
    return str(term)


_PREFIX_DECLARATION = re.compile(rb"(?im)^\s*@?prefix\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>")


def line_naming(iri: str, data: bytes) -> int | None:
    """The first line of a Turtle-family or N-Triples/N-Quads text that writes ``iri`` (as
    ``<iri>`` or ``prefix:local`` with a prefix declared for its namespace); None if none."""
    spellings = [re.escape(f"<{iri}>".encode())]
    for match in _PREFIX_DECLARATION.finditer(data):
        namespace = match.group(2).decode("utf-8", errors="replace")
        if namespace and iri.startswith(namespace):
            local = iri[len(namespace) :].encode()
            for written in dict.fromkeys((local, local.replace(b"/", b"\\/"))):  # region\/CN-SN
                spellings.append(
                    rb"(?<![\w:.-])"
                    + re.escape((match.group(1) or b"") + b":" + written)
                    + rb"(?![\w\\/-])"
                )
    found = re.search(b"|".join(spellings), data)
    return data.count(b"\n", 0, found.start()) + 1 if found else None


def _open_database(database: Path, where: str, wait: float) -> ox.Store:
    """``pyoxigraph.Store(database)``, retrying while a closing process still holds it."""
    import time

    deadline = time.monotonic() + wait
    delay = 0.05
    while True:
        try:
            return ox.Store(str(database))
        except OSError as exc:
            if _locked(exc) and time.monotonic() < deadline:
                if "current process" in str(exc):  # an earlier Store of ours not yet freed
                    import gc

                    gc.collect()
                time.sleep(delay)
                delay = min(delay * 2, 0.5)
                continue
            if exc.errno == errno.ENOSPC or "no space left" in str(exc).lower():
                raise write_error(exc, where) from None
            raise StoreError(
                f"cannot open the database: {_first_line(exc)}",
                hint=f"pass --store with a writable directory or set {ENV_STORE}",
                where=where,
            ) from None
        except RuntimeError as exc:  # RocksDB reports a damaged database so
            raise StoreError(
                f"the database is damaged ({_first_line(exc)})",
                hint="restore the store from a backup ('pledgegraph restore DIR')",
                where=where,
            ) from None


def _check_pending(pending: object, follow: object, where: str) -> None:
    """A :class:`StoreError` if the state's record of an unfinished write cannot be read.

    Only a file changed by hand looks like this (the state is written atomically); acting on
    it could remove or replay the wrong graphs, so the store is not opened.
    """

    def damaged(detail: str) -> StoreError:
        return StoreError(
            f"the store's state file is damaged ({detail})",
            hint="restore the store from a backup ('pledgegraph restore DIR'); or, if no write "
            'was cut off, delete the "pending" and "follow" entries of that file',
            where=where,
        )

    def iris(record: dict[str, object], name: str) -> None:
        value = record.get(name)
        if value is None:
            return
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise damaged(f'"{name}" is not a list of graph IRIs')
        for iri in value:
            try:
                ox.NamedNode(iri)
            except ValueError:
                raise damaged(f'"{name}" holds {iri!r}, which is not an IRI') from None

    if pending is not None:
        if not isinstance(pending, dict):
            raise damaged('"pending" is not a record')
        for name in ("remove", "replace", "drop", "unused"):
            iris(pending, name)
        for name in ("journal", "reference", "format", "to_graph", "where", "base"):
            if pending.get(name) is not None and not isinstance(pending.get(name), str):
                raise damaged(f'"pending.{name}" is not text')
        if pending.get("owners") is not None and not isinstance(pending.get("owners"), dict):
            raise damaged('"pending.owners" is not a record')
    for label, record in (("pending.follow", _get(pending, "follow")), ("follow", follow)):
        if record is None:
            continue
        if not isinstance(record, dict):
            raise damaged(f'"{label}" is not a record')
        for name in (
            "unused",
            "rows",
            "link",
            "rebuild",
            "depends",
            "names_set",
            "names_drop",
            "names_check",
            "inferred",
            LOADED_FROM,
        ):
            value = record.get(name)
            if value is not None and (
                not isinstance(value, list) or not all(isinstance(v, str) for v in value)
            ):
                raise damaged(f'"{label}.{name}" is not a list of names')


def _get(record: object, name: str) -> object:
    return record.get(name) if isinstance(record, dict) else None


def write_error(exc: OSError, where: str) -> StoreError:
    """A store write that failed (a full disk, a read-only or failing file system); import
    uses it too."""
    text = _first_line(exc)
    full = exc.errno == errno.ENOSPC or "no space left" in text.lower()
    return StoreError(
        ("the disk is full" if full else "cannot write the store") + f" ({text})",
        hint="free some space and run the command again; the interrupted write is finished "
        "or undone when the store is next opened",
        where=where,
    )


def _inside(path: Path, directory: Path) -> bool:
    """Whether ``path`` is ``directory`` or lies inside it (after resolving links)."""
    inner, outer = resolved(path), resolved(directory)
    return inner == outer or outer in inner.parents


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _copy_database(source: Path, target: Path) -> None:
    """Copy a backup's files (not its lock or logs), stopping at the first error."""
    target.mkdir()
    for entry in sorted(source.iterdir()):
        if entry.name in ("LOCK", BACKUP_MARKER) or entry.name.startswith("LOG"):
            continue
        if entry.name.endswith(".pid"):
            continue
        if entry.is_dir():
            shutil.copytree(entry, target / entry.name)
        else:
            shutil.copy2(entry, target / entry.name)
        kill_point("restore-copy")  # (crash tests: a restore killed half-way through its copy)


@cache
def _bundled_shared_nodes() -> frozenset[str]:
    """The shared nodes of the bundled dataset: they stay when its source is removed."""
    from pledgegraph.loaders.bundled import bundled_factsheets
    from pledgegraph.loaders.rdf import reference_nquads

    data = "".join(line for sheet in bundled_factsheets() for line in reference_nquads(sheet))
    return frozenset(
        quad.subject.value
        for quad in ox.parse(data.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
        if isinstance(quad.subject, ox.NamedNode)
    )


def blank_graph_error(where: str) -> InputError:
    """The error for a file naming a graph by a blank node (``_:b``): refused, not merged.

    (No label in the message: parsers and stores relabel blank nodes.)"""
    return InputError(
        "names a graph by a blank node (_:…), which could be neither listed nor removed",
        hint="name the graph with an IRI, or put its triples in the default graph",
        path=where,
    )


def reserved_graph(graph: str) -> bool:
    """pledgegraph's own graphs (ontology, reference, links, inferred, sources, staging…), and
    every other IRI of its namespace: its regions and deadlines (a graph <…/id/region/CN-НЕ>
    was listed as a source; an attack), pledges, targets, kinds and the ontology (a graph
    <…/id/pledge/x> was taken; an attack)."""
    plain = _plain_iri(graph)
    return plain == OUR_BASE.rstrip("/") or plain.startswith(OUR_BASE)


def _plain_iri(iri: str) -> str:
    """``iri`` as the same address written plainly, for the reserved-name test: scheme and host
    in lower case, ``http`` as ``https``, no default port, percent-escapes decoded, dot
    segments resolved (an attack loaded graphs named ``HTTPS://W3ID.ORG/pledgegraph/…``,
    ``…/%70ledgegraph/…``, ``…/x/../pledgegraph/…`` and ``https://w3id.org:443/…``)."""
    import posixpath
    from urllib.parse import unquote, urlsplit

    decoded = unquote(iri)
    if any(ord(c) < 0x21 or c == "\x7f" for c in decoded):
        return iri  # ("…/pledge%09graph/…" is another address; urlsplit drops the tab)
    try:
        parts = urlsplit(decoded)
        host = (parts.hostname or "").rstrip(".")
        port = parts.port
    except ValueError:
        return iri
    if parts.scheme.lower() not in ("http", "https") or port not in (None, 80, 443):
        return iri
    path = posixpath.normpath(parts.path) if parts.path else ""
    if parts.path.endswith("/") and not path.endswith("/"):
        path += "/"
    path = path.lstrip("/")
    return f"https://{host.lower()}/{path}"


class EarlierSheets:
    """The fact sheets of a load that come before the one being checked, looked up by source
    graph, ``text_sha256`` and URL (a load of thousands of sheets checks each against all the
    earlier ones: a list scanned each time made that quadratic)."""

    def __init__(self, sheets: Iterable[object] = ()) -> None:
        self._sheets: list[tuple[str, FactSheet]] = []
        self._by_graph: dict[str, int] = {}
        self._by_sha: dict[str, list[int]] = {}
        self._by_url: dict[str, list[int]] = {}
        for sheet in sheets:
            self.add(sheet)

    def add(self, sheet: object) -> None:
        from pledgegraph.loaders.facts import FactSheet
        from pledgegraph.loaders.rdf import source_graph

        assert isinstance(sheet, FactSheet)
        position, graph = len(self._sheets), source_graph(sheet)
        self._sheets.append((graph, sheet))
        self._by_graph.setdefault(graph, position)
        if sheet.source.text_sha256:
            self._by_sha.setdefault(sheet.source.text_sha256, []).append(position)
        self._by_url.setdefault(sheet.source.url, []).append(position)

    def of_graph(self, graph: str) -> FactSheet | None:
        """The first earlier sheet of this source graph."""
        position = self._by_graph.get(graph)
        return self._sheets[position][1] if position is not None else None

    def sharing(self, sha: str | None, url: str) -> list[tuple[str, FactSheet]]:
        """The earlier sheets with this ``text_sha256`` or URL (graph, sheet), in order."""
        positions = set(self._by_url.get(url, ()))
        if sha:
            positions.update(self._by_sha.get(sha, ()))
        return [self._sheets[p] for p in sorted(positions)]


def _url_spellings(url: str) -> list[str]:
    """``url`` and the spellings of the same page that differ only in ``http``/``https`` or a
    final ``/`` (an attack: a reviewed sheet's article extracted again under the other
    spelling loaded as a second source, its pledges counted twice)."""
    spellings = [url]
    for scheme, other in (("https://", "http://"), ("http://", "https://")):
        if url.startswith(scheme):
            spellings.append(other + url[len(scheme) :])
    for spelling in list(spellings):
        if ("://" in spelling and spelling.count("/") > 2) or spelling.endswith("/"):
            spellings.append(spelling[:-1] if spelling.endswith("/") else spelling + "/")
    return list(dict.fromkeys(spellings))


def _duplicate(sheet: object, copies: dict[str, str]) -> InputError:
    """The error for an article loaded already as another source."""
    from pledgegraph.loaders.facts import FactSheet

    assert isinstance(sheet, FactSheet)
    graph, shared = sorted(copies.items())[0]
    key = graph.rsplit("/", 1)[-1]
    return InputError(
        f"the same article ({shared}) is loaded already as the source <{graph}>",
        hint=f"load it with --replace to replace that source, or remove it first with "
        f"'pledgegraph remove {key}'",
        path=sheet.path or sheet.source.url,
    )


def _known_regions(iris: Iterable[str]) -> list[str]:
    """The keys of the regions the gazetteer knows among ``iris`` (those an RDF file names by
    our IRIs), to link at load as a fact sheet's regions are."""
    from pledgegraph.loaders.rdf import REGION_IRI
    from pledgegraph.loaders.regions import gazetteer

    places = gazetteer()
    keys = (iri[len(REGION_IRI) :] for iri in iris if iri.startswith(REGION_IRI))
    return sorted(key for key in keys if key in places)


def file_graph(path: str) -> str:
    """The graph an RDF file is loaded into unless told otherwise (named after the file)."""
    return FILE_GRAPH + _file_key(path)


def _file_key(path: str) -> str:
    from pledgegraph.loaders.rdf import slug

    # A link is named after the file it leads to: loaded by its own name or the link's, one
    # file is one graph (a link named otherwise made a second graph of the same triples).
    if path == "-":
        return slug("stdin")
    named = Path(path)
    if named.is_symlink():
        named = resolved(named)
    return slug(named.name)


def sheet_files(follow: Mapping[str, object] | None) -> dict[str, str]:
    """The sheet files of a write's fact sheets, from its follow record (``"<graph> <file>"``
    each: an IRI holds no space): graph -> file."""
    files = (follow or {}).get(SHEET_FILES)
    pairs = (str(item).split(" ", 1) for item in (files if isinstance(files, list) else ()))
    return {pair[0]: pair[1] for pair in pairs if len(pair) == 2}  # ("" : no file)


def _sheet_file(sheet: object) -> str | None:
    """Who writes a fact sheet's source, as the store records it: the sheet file's identity, or
    ``None`` for a sheet from standard input or from memory (``extract --load``)."""
    from pledgegraph.loaders.facts import FactSheet

    assert isinstance(sheet, FactSheet)
    if not sheet.path or sheet.path == STDIN or not os.path.isfile(sheet.path):
        return None  # (also the bundled sheet, "(bundled) seed.pledges.yaml": no file of yours)
    try:
        return file_identity(sheet.path)
    except (OSError, RuntimeError, ValueError):  # (a path that cannot be resolved: no record)
        return None


def recorded_loader(
    follow: Mapping[str, object] | None, owners: Mapping[str, str] | None
) -> tuple[str, str] | None:
    """``(file graph, who loaded it)`` from a write's follow record (``load_rdf``), when the
    write holds that graph (its ``owners``); else None."""
    loader = (follow or {}).get(LOADED_FROM)
    if not owners or not isinstance(loader, list) or len(loader) != 2:
        return None
    graph, who = str(loader[0]), str(loader[1])
    return (graph, who) if graph in owners.values() else None


def file_identity(path: str) -> str:
    """Who loads a file graph, as the store records it: the file's resolved absolute path
    (the same file by any relative path or link is the same loader), or ``-`` for standard
    input (never the same loader twice: two pipes are two inputs)."""
    return STDIN if path == STDIN else str(resolved(path))


def _loader_name(loader: str) -> str:
    return "standard input" if loader == STDIN else loader


def _base_iri(where: str) -> str | None:
    if where.startswith(("http://", "https://")):
        return where
    if where in ("-", "") or where.startswith("<"):
        return None
    return resolved(where).as_uri()


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


def syntax_hint(exc: SyntaxError, hint: str, data: bytes | None = None) -> str:
    """``hint``, after how to write an IRI with a slash when the parser stopped at one in a
    prefixed name (``pgid:region/CN-SN``: the form the documentation reads, not Turtle): the
    name of the failing line of ``data`` escaped, and its full IRI when it is one of ours."""
    text = exc.msg if isinstance(exc.msg, str) else str(exc)
    if not ("'/'" in text and "prefix" in text):
        return hint
    name = _slashed_name(data, exc.lineno) if data is not None else None
    if name is None:
        name = "pgid:region/CN-SN"
    escaped = re.sub(r"(?<!\\)/", r"\\/", name)
    full = ""
    if name.startswith("pgid:"):
        full = f", or the full IRI <{ID}{name[len('pgid:') :].replace(chr(92), '')}>"
    return f"a '/' in a prefixed name must be escaped: write {escaped}{full}; {hint}"


_LINE_NAME = re.compile(r"(?<![\w\\])[A-Za-z][\w.-]*:[\w.\\/-]*(?<!\\)/[\w.\\/-]*")


def _slashed_name(data: bytes, line: int | None) -> str | None:
    """The first prefixed name with an unescaped '/' on ``line`` of ``data``, IRIs and
    strings left out; None if there is none."""
    if not line:
        return None
    lines = data.split(b"\n")
    if not 0 < line <= len(lines):
        return None
    text = lines[line - 1].decode("utf-8", errors="replace")
    text = re.sub(r'<[^>]*>|"(?:[^"\\]|\\.)*"', " ", text)
    found = _LINE_NAME.search(text)
    return found.group(0).rstrip(".") if found else None


def _syntax_message(exc: SyntaxError) -> str:
    text = exc.msg if isinstance(exc.msg, str) else str(exc)
    text = text.replace("Parser error ", "").strip()
    return f"malformed RDF: {text}"


def _node_name(node: ox.NamedNode | ox.BlankNode) -> str:
    return f"_:{node.value}" if isinstance(node, ox.BlankNode) else node.value


def _node_named(name: str) -> ox.NamedNode | ox.BlankNode | None:
    try:
        return ox.BlankNode(name[2:]) if name.startswith("_:") else ox.NamedNode(name)
    except ValueError:
        return None


def _lines(nquads: bytes) -> set[str]:
    return set(nquads.decode("utf-8").splitlines(keepends=True))


def _alternative_names(lines: Sequence[str], kept: set[str]) -> list[str]:
    """The alternative-name lines (``skos:altLabel``, ``schema:alternateName``) a sheet whose
    reference lines are ``lines`` gives, as written (``kept``: the lines of the load's settled
    reference quads, where a name the store held otherwise already became an alternative)."""
    from pledgegraph.loaders.rdf import NAME_PREDICATES

    found = []
    for line in lines:
        for name, alternative in NAME_PREDICATES.items():
            if f"> <{alternative}> " in line:
                found.append(line)
            elif f"> <{name}> " in line and line not in kept:
                other = line.replace(f"> <{name}> ", f"> <{alternative}> ", 1)
                if other in kept:
                    found.append(other)
    return sorted(set(found))


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
    #: Index quads (``pledge:row`` and the other precomputed row keys of the stored
    #: questions): in the store, but not data: left out of ``quads``, the graphs' counts,
    #: exports and descriptions.
    index: int = 0


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


# Sources as the `sources` question lists them: articles and reports, with or without pledges
# (a sheet in which extraction found nothing is still a source the store holds).
_SOURCES_QUERY = """
SELECT (COUNT(DISTINCT ?source) AS ?sources) WHERE {
  { ?source a <https://schema.org/NewsArticle> }
  UNION { ?source a <https://schema.org/Article> }
  UNION { ?source a <https://schema.org/Report> }
  UNION {
    ?pledge a <https://w3id.org/pledgegraph/ontology#Pledge> ;
            <http://www.w3.org/ns/prov#wasDerivedFrom> ?source .
  }
}
"""


def index_quads(store: Store) -> dict[str, int]:
    """Index quads per graph: the precomputed row keys the loaders write for the stored
    questions (not data: exports and descriptions leave them out)."""
    from pledgegraph.loaders.rdf import ROW_PREDICATES

    predicates = " ".join(f"<{p}>" for p in ROW_PREDICATES)
    solutions = store.inner.query(
        f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?p {{ {predicates} }} "
        "GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    )
    assert isinstance(solutions, ox.QuerySolutions)
    index: dict[str, int] = {}
    for solution in solutions:
        graph, count = solution["g"], solution["n"]
        if isinstance(graph, ox.NamedNode) and isinstance(count, ox.Literal):
            index[graph.value] = int(count.value)
    return index


def summarise(store: Store) -> Summary:
    """Counts of quads per graph and of sources, pledges, targets and regions.

    The counts are of data, as ``export`` writes it: the index quads the loaders add for the
    stored questions are counted apart (:attr:`Summary.index`).
    """
    index = index_quads(store)
    graphs = tuple(GraphStats(g, store.count(g) - index.get(g, 0)) for g in store.graphs())
    solutions = store.inner.query(_SUMMARY_QUERY, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    row = next(iter(solutions))

    def number(name: str) -> int:
        term = row[name]
        return int(term.value) if isinstance(term, ox.Literal) else 0

    counted = store.inner.query(_SOURCES_QUERY, use_default_graph_as_union=True)
    assert isinstance(counted, ox.QuerySolutions)
    sources = next(iter(counted))["sources"]
    return Summary(
        quads=len(store.inner) - sum(index.values()),
        graphs=graphs,
        sources=int(sources.value) if isinstance(sources, ox.Literal) else 0,
        pledges=number("pledges"),
        targets=number("targets"),
        regions=number("regions"),
        index=sum(index.values()),
    )
