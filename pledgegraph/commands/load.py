"""``pledgegraph load``: fact sheets and RDF files into the store, validated, all-or-nothing."""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator, Sequence
from typing import Any

import click

from pledgegraph.commands._context import RDF_FORMAT_CHOICES, progress, state
from pledgegraph.errors import EXIT_PARTIAL, EXIT_USAGE, PledgeGraphError, counted

#: ``ctx.meta`` key: how many files a load has written for good so far ("2 of 5 files"), so
#: the line for a load stopped by Ctrl-C or SIGTERM can say so (see ``cli._interrupted``).
WRITTEN = "pledgegraph.written"
#: ``ctx.meta`` key: how many files the load was given (a load of several, stopped, cannot
#: always tell which were written: a batch of sheets is one write, counted after it).
FILES = "pledgegraph.files"


@click.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE_OR_DIR...")
@click.option(
    "--format",
    "--rdf-format",
    "fmt",
    type=click.Choice(RDF_FORMAT_CHOICES),
    help="RDF format of the files (--rdf-format as in validate) [default: from the extension].",
)
@click.option(
    "--graph", "graph", help="Named graph for an RDF file [default: one named after the file]."
)
@click.option(
    "--lenient",
    is_flag=True,
    help="Load a source even when validation finds errors (they are printed as warnings).",
)
@click.option(
    "--shapes/--no-shapes",
    default=True,
    show_default=True,
    help="Check the SHACL shapes before loading (the SPARQL rule checks always run).",
)
@click.option(
    "--replace",
    is_flag=True,
    help="Replace a source that holds the same article (same text_sha256 or URL) under "
    "another key, instead of refusing the sheet; for an RDF file, replace the data another "
    "file (or standard input) loaded into its graph.",
)
@click.option(
    "--reason", "then_reason", is_flag=True, help="Refresh the inferred graph after loading."
)
@click.option(
    "--shacl-engine",
    "engine",
    type=click.Choice(["auto", "shacl", "pyshacl"]),
    help="SHACL engine: 'shacl' (Rust, the fast-shacl extra) finds problems and pySHACL "
    "reports them; 'pyshacl' alone; 'auto' = shacl when installed "
    "[default: $PLEDGEGRAPH_SHACL_ENGINE or auto].",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=0, max=64),
    default=0,
    help="Worker processes that read and validate fact sheets side by side, up to 64 (1: "
    "none, all in this process) [default: 0, one per CPU core, at most 4, when the sheets "
    "add up to more than about 250 KB].",
)
@click.option(
    "-q",
    "--quiet",
    is_flag=True,
    help="Print no line per file loaded and no --lenient warnings (their number is given at "
    "the end); errors and the summary are still printed.",
)
def load(
    files: tuple[str, ...],
    fmt: str | None,
    graph: str | None,
    lenient: bool,
    shapes: bool,
    then_reason: bool,
    replace: bool,
    engine: str | None,
    jobs: int,
    quiet: bool,
) -> None:
    """Load fact sheets (*.pledges.yaml) and RDF files into the store.

    Each file is one source in its own named graph; loading it again replaces it. An article
    loaded already as another source (same text_sha256, or same URL under another key) is
    refused, naming that source, unless --replace; so is another article (another URL) under
    the key of a loaded source, and another sheet file of a loaded source (the same URL or
    key), naming the file that loaded it. An RDF file's graph is named after its file name (or
    --graph): loading the same file (same path) again replaces it, but a graph that holds
    what another file, or standard input, loaded is refused, naming that file, unless
    --replace. Two files of one source, one article or one graph in the same load: the
    second is refused, also with --replace. Every source is validated first (SHACL
    shapes and rule checks, as 'pledgegraph validate'): a source with
    errors is not loaded at all and each problem is listed; the store is left as it was. '-'
    reads standard input (a fact sheet, or RDF with --format).

    A folder is loaded recursively: its fact sheets (*.yaml, *.yml) and RDF files (*.ttl, *.nt,
    *.nq, *.trig, *.jsonld, *.rdf, *.owl), in path order, hidden files and folders skipped.
    The fact sheets are written first, then the RDF files, so that an RDF file may refer to
    the authorities, publishers and deadlines a fact sheet of the same load adds (as it could
    in a later load). Each file is all-or-nothing; a bad file is reported and the others are
    loaded (exit 1).

    \b
    Examples:
      pledgegraph load my-article.pledges.yaml
      pledgegraph load extra.ttl --graph https://example.org/graph/extra
      pledgegraph load sheets/
    """
    from pledgegraph.graph.formats import is_factsheet
    from pledgegraph.graph.validation.checks import validate_rdf_file
    from pledgegraph.graph.validation.shacl import engine_name
    from pledgegraph.loaders.text import read_bytes

    paths = _expand(files, graph)
    # a folder gets its summary line even when it holds one file (a new user's trial saw none)
    folder = any(f != "-" and os.path.isdir(f) for f in files)
    if shapes:
        engine = engine_name(engine)  # a bad name or a missing package: one error, up front

    def is_sheet(path: str) -> bool:
        return is_factsheet(path) or (path == "-" and fmt is None)

    # The fact sheets first (an RDF file may use the reference nodes they add), each kind in
    # path order.
    sheet_paths = tuple(p for p in paths if is_sheet(p))
    rdf_paths = tuple(p for p in paths if not is_sheet(p))
    if not paths:
        click.echo(f"no fact sheets or RDF files in {', '.join(files)}: nothing loaded", err=True)
        return
    meta = click.get_current_context().meta
    meta[FILES] = len(paths)
    # The worker processes start before the store is opened (they never touch it).
    with _Preparer(sheet_paths, shapes, engine, jobs) as prepared:
        from pledgegraph.graph.store import EarlierSheets
        from pledgegraph.graph.storedir import kill_point

        kill_point("load-started")  # (tests: stopped before the store is opened)
        store = state().store()
        earlier = EarlierSheets()
        failed = quads = written = warned = 0  # (warned: --lenient warnings not shown)
        writes = 0  # bulk writes of checked sheets made
        unchanged = 0  # files loaded again as they were: not written
        sheets: list[object] = []  # checked fact sheets, written together, before the RDF files
        # Their source graphs as N-Quads (UTF-8: the rows' separator would make a str 2 bytes
        # a character), made once, validated and written; the quads each adds to the count;
        # their reference quads.
        texts: list[bytes] = []
        counts: list[int] = []
        references: list[list[str]] = []
        rdf_graphs: dict[str, str] = {}  # graph -> the RDF file of this load written to it

        def failure(error: PledgeGraphError) -> None:
            nonlocal failed
            if len(paths) == 1 and not folder:
                raise error
            for line in error.lines:
                click.echo(f"Error: {line}", err=True)
            failed += 1

        def write(upto: int) -> None:
            """Write the checked sheets from ``written`` to ``upto``, together (faster)."""
            nonlocal quads, written, unchanged, writes
            writes += upto > written  # (the last call may have nothing left to write)
            for report in store.load_factsheets(
                sheets[written:upto],
                replace=replace,
                nquads=texts[written:upto],
                counts=counts[written:upto],
                references=references[written:upto],
            ):
                quads += _report(report, quiet)
                unchanged += bool(report.unchanged)
                written += 1
                meta[WRITTEN] = f"{written} of {len(paths)} files"
            texts[:upto] = [b""] * upto  # (written: not kept)
            references[:upto] = [[]] * upto
            kill_point("load-written")

        label = "Checking" if len(paths) > 1 else "Loading"
        pending = 0  # quads checked and not yet written
        threshold = _FIRST_WRITE_QUADS
        # Each sheet's problems listed and the sheet refused or kept, in path order: the same
        # output as one sheet at a time. Written every 25,000 quads, then twice as many each
        # time up to _WRITE_QUADS, while the workers read and check the next sheets.
        try:
            each = progress(prepared, label, total=len(sheet_paths))
            for path, sheet, text, report, count, reference in each:
                try:
                    if isinstance(sheet, PledgeGraphError):
                        raise sheet
                    if isinstance(report, PledgeGraphError):
                        raise report
                    warned += _validated(report, path, lenient, quiet)
                    # (among every earlier sheet of the load, written or not)
                    store.check_article(sheet, among=earlier, replace=replace)
                    earlier.add(sheet)
                    sheets.append(sheet)
                    texts.append(text)
                    counts.append(count)
                    references.append(reference)
                except PledgeGraphError as error:
                    failure(error)
                    continue
                pending += text.count(b"\n")
                if pending >= threshold:
                    write(len(sheets))
                    pending, threshold = 0, min(threshold * 2, _WRITE_QUADS)
        except WorkerStopped as stopped:
            raise stopped.after(written, len(paths)) from None
        write(len(sheets))
        if quads >= _COMPACT_QUADS and writes > 1:
            # A big load written in several bulk writes leaves each index in overlapping pieces:
            # merged, lookups (what the stored questions do) cost about half.
            if not quiet:
                click.echo(
                    "Compacting the store after a big load (about 2 s per million quads)", err=True
                )
            store.compact()
    for path in progress(rdf_paths, label):
        try:
            # (before the file is read or validated: a graph another file holds is refused)
            target = store.check_rdf(path, graph=graph, among=rdf_graphs, replace=replace)
            data = read_bytes("-") if path == "-" else None  # stdin reads once, within the limit
            checked = validate_rdf_file(
                path,
                format=fmt,
                data=data,
                context=store,
                graph=graph,
                shacl=shapes,
                engine=engine,
                require_data=True,
            )
            warned += _validated(checked, path, lenient, quiet)
            report = store.load_rdf(path, format=fmt, graph=graph, data=data, replace=replace)
        except PledgeGraphError as error:
            failure(error)
            continue
        rdf_graphs.setdefault(target, path)
        quads += _report(report, quiet)
        unchanged += bool(report.unchanged)
        written += 1
        meta[WRITTEN] = f"{written} of {len(paths)} files"
    if len(paths) > 1 or quiet or folder:
        click.echo(
            f"{len(paths) - failed} of {len(paths)} files loaded ({counted(quads, 'quad')}"
            + (f"; {unchanged} unchanged, not written again" if unchanged else "")
            + ")"
            + (f", {failed} not loaded" if failed else "")
            + (" (the store holds the others)" if 0 < failed < len(paths) else ""),
            err=True,
        )
    if warned:
        click.echo(f"{counted(warned, 'validation warning')} not shown (--quiet)", err=True)
    if then_reason and failed < len(paths):
        from pledgegraph.commands.reason import print_summary, progress_printer
        from pledgegraph.graph.reasoning.engine import materialise

        print_summary(materialise(store, progress=progress_printer()))
    if failed:
        if failed < len(paths) and then_reason:  # (the summary line is above the reasoning's)
            click.echo(
                f"{failed} of {len(paths)} files were not loaded (the store holds the others)",
                err=True,
            )
        sys.exit(EXIT_USAGE if failed == len(paths) else EXIT_PARTIAL)


def _expand(files: tuple[str, ...], graph: str | None) -> tuple[str, ...]:
    """The arguments with each folder replaced by the files it holds, each file once."""
    from pledgegraph.errors import InputError
    from pledgegraph.loaders.folders import expand

    if graph is not None:
        for name in files:
            if name != "-" and os.path.isdir(name):
                raise InputError(
                    "--graph names the graph of one RDF file; a folder holds many",
                    hint="load the folder without --graph, or the file on its own",
                    path=name,
                )
    paths, repeated = expand(files)
    for path in repeated:
        click.echo(f"Note: {path}: given twice; loaded once", err=True)
    return tuple(paths)


#: One fact sheet read and validated: its path, the sheet (or why it cannot be read), its
#: source graph as N-Quads (UTF-8), its validation report (or why it cannot be checked), the
#: quads that graph holds once written (``store._data_lines`` of the N-Quads) and its
#: reference quads (``reference_nquads``): the main process, which writes, has them ready.
Prepared = tuple[str, Any, bytes, Any, int, list[str]]

#: Fact sheets are validated together in groups of about this many bytes of YAML (the
#: generated sheets give about 200,000 quads, ``checks.BATCH_QUADS``, per 1.5 MB).
_GROUP_BYTES = 1_500_000
#: The checked sheets of a load are written whenever they hold this many quads (and at the
#: end), while the workers read and check the next ones: a first write of _FIRST_WRITE_QUADS,
#: each next one twice as big, up to _WRITE_QUADS (the bulk loader's batch; each write has a
#: cost of its own). Each write is all-or-nothing for each of its sheets, as one write of all
#: would be.
_FIRST_WRITE_QUADS = 25_000
_WRITE_QUADS = 200_000
#: A load of fact sheets that wrote at least this many quads in more than one write compacts
#: the store after its last write (:meth:`Store.compact`, 1.4 s at 1M quads). Smaller loads do
#: not: their questions are fast either way, and the compaction's cost grows with the store.
_COMPACT_QUADS = 250_000
#: At most this many workers by default: the main process's writes are the critical path
#: beyond two or three (``--jobs`` may ask for more, up to 64).
_DEFAULT_JOBS = 4
#: Worker processes are started only for at least this many bytes of fact sheets: below it
#: their start costs more than they gain.
_PARALLEL_BYTES = 256_000


class WorkerStopped(PledgeGraphError):
    """A worker process ended without its results (killed, out of memory, a full disk)."""

    def after(self, written: int, files: int) -> PledgeGraphError:
        """Said with what the load had written: exit 1 (partly done) if anything, else 2."""
        if written:
            self.problem += f"; {written} of {files} files were loaded (each whole), the rest not"
            self.exit_code = EXIT_PARTIAL
        else:
            self.problem += "; nothing was loaded"
        return self


def _prepare(paths: Sequence[str], shapes: bool, engine: str | None) -> list[Prepared]:
    """Read, convert and validate a group of fact sheets (together, with the same reports as
    one at a time: ``validate_factsheets``). Runs in a worker process or in this one; touches
    no store."""
    from pledgegraph.graph.store import _data_lines
    from pledgegraph.graph.validation.checks import validate_factsheet, validate_factsheets
    from pledgegraph.loaders.factsheet import read_factsheet
    from pledgegraph.loaders.rdf import reference_nquads, source_nquads

    read: list[tuple[str, Any, str, list[str]]] = []
    for path in paths:
        try:
            sheet = read_factsheet(path)
            text = "".join(source_nquads(sheet))
            reference = reference_nquads(sheet)
        except PledgeGraphError as error:
            read.append((path, error, "", []))
        else:
            read.append((path, sheet, text, reference))
    chosen = [entry for entry in read if not isinstance(entry[1], PledgeGraphError)]
    try:
        reports: list[Any] | None = validate_factsheets(
            [sheet for _, sheet, _, _ in chosen],
            shacl=shapes,
            engine=engine,
            nquads=[text for _, _, text, _ in chosen],
            references=[reference for _, _, _, reference in chosen],
        )
    except PledgeGraphError:  # some sheet cannot be checked: find which, one at a time
        reports = None
    checked = iter(reports or ())
    prepared: list[Prepared] = []
    for path, sheet, text, reference in read:
        report: Any = None
        if not isinstance(sheet, PledgeGraphError):
            if reports is not None:
                report = next(checked)
            else:
                try:
                    report = validate_factsheet(sheet, shacl=shapes, engine=engine)
                except PledgeGraphError as error:
                    report = error
        # (UTF-8: the rows' separator would make a str 2 bytes a character)
        data = text.encode("utf-8")
        prepared.append((path, sheet, data, report, _data_lines(data), reference))
    return prepared


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:  # reading it will say why
        return 0


def _groups(paths: Sequence[str], size: int) -> list[list[str]]:
    """``paths`` in order, cut into groups of about ``size`` bytes (standard input alone)."""
    groups: list[list[str]] = []
    group: list[str] = []
    total = 0
    for path in paths:
        total += _size(path) if path != "-" else size
        group.append(path)
        if total >= size:
            groups.append(group)
            group, total = [], 0
    if group:
        groups.append(group)
    return groups


def _worker_start(main: int) -> None:
    """In a worker, first: Ctrl-C and SIGTERM are the main process's to handle (it stops the
    workers; a worker that took them too would print a traceback of its own); the worker dies
    with the main process, even by SIGKILL (Linux); and it yields the CPU to the main process,
    whose writes are the load's critical path (measured: 1M triples in 15.9 s instead of 17.3 s
    at the same priority)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # (the main process SIGKILLs its workers)
    # Both were blocked while the worker was forked (a signal then reached the worker with
    # the main process's handlers): ignored now, they are let through.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
    if sys.platform == "linux":
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != main:  # the main process died before the line above
            os._exit(1)
    os.nice(10)


#: prctl's option "send me this signal when my parent dies" (linux/prctl.h).
_PR_SET_PDEATHSIG = 1
#: Held back while workers are forked (see ``_worker_start``).
_STOP_SIGNALS = frozenset({2, 15})  # SIGINT, SIGTERM


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class _Preparer:
    """The fact sheets of a load, read and validated group by group, in path order: in worker
    processes (``--jobs``) when there are enough of them to gain, else in this process.

    Workers only read files and validate; the main process keeps the store and writes. They
    are started (forked) before the store is opened, so that none holds a copy of an open
    store, and stopped when the load ends, is interrupted or fails.
    """

    def __init__(self, paths: Sequence[str], shapes: bool, engine: str | None, jobs: int) -> None:
        self._shapes, self._engine = shapes, engine
        size = sum(_size(p) for p in paths if p != "-")
        workers = jobs or min(_cores(), _DEFAULT_JOBS)
        if (
            workers > 1
            and sys.platform == "linux"  # (forked, and stopped with their main process)
            and size >= _PARALLEL_BYTES
            and "-" not in paths
        ):
            # Several groups per worker, so that they finish at about the same time.
            per_group = max(min(_GROUP_BYTES, size // (workers * 8)), 1)
            self._groups = _groups(paths, per_group)
            workers = min(workers, len(self._groups))
        else:
            self._groups = _groups(paths, _GROUP_BYTES)
            workers = 1
        self._workers: list[tuple[int, int]] = []  # (pid, the read end of its pipe)
        self._folder: str | None = None
        self._lock: int | None = None  # (held while the folder is in use: see _sweep)
        if workers > 1:
            import signal
            import tempfile

            from pledgegraph.loaders.regions import gazetteer

            gazetteer()  # (fork: the workers start with this process's imports and gazetteer)
            # Each group's result goes through a file, so that a worker never waits for the
            # main process (busy writing) to read it.
            _sweep(tempfile.gettempdir())
            try:
                self._folder = tempfile.mkdtemp(prefix=_FOLDER_PREFIX)
                self._lock = _hold(self._folder)
            except OSError:  # no temporary folder to be had: the work is done here instead
                self._drop_folder()
                self._groups = _groups(paths, _GROUP_BYTES)
                return
            # All workers forked now, with Ctrl-C and SIGTERM held back meanwhile (delivered
            # to this process after, and then this stops the workers too).
            held = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
            try:
                try:
                    for number in range(workers):
                        self._workers.append(self._fork(number, workers))
                finally:
                    signal.pthread_sigmask(signal.SIG_SETMASK, held)  # (a Ctrl-C held: now)
            except BaseException:
                self.__exit__()
                raise

    def _fork(self, number: int, workers: int) -> tuple[int, int]:
        """Start worker ``number``: it prepares groups ``number``, ``number + workers``, …,
        writes each one's result to a file and then one byte to its pipe."""
        import pickle

        main = os.getpid()
        reader, writer = os.pipe()
        pid = os.fork()
        if pid:
            os.close(writer)
            return pid, reader
        # The worker. It leaves only by os._exit (no atexit, no cleanup of the main's state).
        code = 0
        try:
            os.close(reader)
            for _, earlier in self._workers:
                os.close(earlier)
            _worker_start(main)
            assert self._folder is not None
            for index in range(number, len(self._groups), workers):
                # At most two results a worker waiting to be read: the files are about 35
                # times the size of the YAML (the temporary folder would fill while the main
                # process is busy writing).
                waiting = os.path.join(self._folder, f"{index - 2 * workers}.pickle")
                while index >= 2 * workers and os.path.exists(waiting):
                    time.sleep(0.005)
                try:
                    result: tuple[bool, Any] = (
                        True,
                        _prepare(self._groups[index], self._shapes, self._engine),
                    )
                except Exception as error:  # (a bug: shown by the main process)
                    result = (False, error)
                path = os.path.join(self._folder, f"{index}.pickle")
                with open(path + ".part", "wb") as out:
                    pickle.dump(result, out, protocol=pickle.HIGHEST_PROTOCOL)
                os.rename(path + ".part", path)
                os.write(writer, b".")
        except BaseException as error:  # (a full disk, say: one line for the main process)
            said = str(error)
            if isinstance(error, OSError):
                said = f"{error.strerror or error}, in the temporary folder {self._folder}"
            with contextlib.suppress(BaseException):
                os.write(writer, b"!" + said.encode("utf-8", "replace")[:2000])
            code = 1
        finally:
            os._exit(code)

    def __enter__(self) -> Iterator[Prepared]:
        return self._each()

    def _each(self) -> Iterator[Prepared]:
        import pickle

        if not self._workers:
            for group in self._groups:
                yield from _prepare(group, self._shapes, self._engine)
            return
        assert self._folder is not None
        for index in range(len(self._groups)):
            _, reader = self._workers[index % len(self._workers)]
            said = os.read(reader, 1)
            if said != b".":
                trouble = os.read(reader, 4096).decode("utf-8", "replace") if said else ""
                raise WorkerStopped(
                    "a worker process that reads and checks the fact sheets stopped"
                    + (f" ({trouble})" if trouble else " (killed, or out of memory?)"),
                    hint="run the same load again (sheets loaded already are not written "
                    "again), or with --jobs 1"
                    + (
                        " (or set TMPDIR to a folder with more room)"
                        if "temporary folder" in trouble
                        else ""
                    ),
                    where="load",
                )
            path = os.path.join(self._folder, f"{index}.pickle")
            with open(path, "rb") as handed:
                done, result = pickle.load(handed)
            os.unlink(path)
            if not done:
                raise result
            yield from result

    def __exit__(self, *exc: object) -> None:
        # SIGKILL, not a polite stop: the workers hold nothing the load needs (their results
        # are in files, each whole), and a stopped one would not heed anything else.
        for pid, reader in self._workers:
            with contextlib.suppress(OSError):
                os.kill(pid, 9)  # SIGKILL
            with contextlib.suppress(OSError):
                os.close(reader)
        for pid, _ in self._workers:
            with contextlib.suppress(OSError):
                os.waitpid(pid, 0)
        self._workers = []
        self._drop_folder()

    def _drop_folder(self) -> None:
        if self._folder is not None:
            import shutil

            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None
        if self._lock is not None:
            with contextlib.suppress(OSError):
                os.close(self._lock)
            self._lock = None


#: The folder a load's workers hand their results over in starts so (tempfile adds the rest).
_FOLDER_PREFIX = "pledgegraph-load-"
#: In that folder: the file the load holds a lock on while it runs (its mark, too).
_FOLDER_LOCK = "load.lock"


def _hold(folder: str) -> int:
    """Make the lock file of a handover folder and hold its lock (an ``flock``: released when
    the load and its workers end, however they end; seen from any process on the machine)."""
    import fcntl

    path = os.path.join(folder, _FOLDER_LOCK)
    lock = os.open(path + ".new", os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.rename(path + ".new", path)  # (held before another load can see it)
    except OSError:
        os.close(lock)
        raise
    return lock


def _sweep(folder: str) -> None:
    """Remove the handover folders that loads stopped by SIGKILL left in ``folder`` (results
    never read): those with our lock file that no running load holds. A folder without the
    lock file is not ours and is left alone."""
    import fcntl
    import shutil

    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if not entry.name.startswith(_FOLDER_PREFIX) or not entry.is_dir(follow_symlinks=False):
                continue
            try:
                lock = os.open(os.path.join(entry.path, _FOLDER_LOCK), os.O_RDWR | os.O_NOFOLLOW)
            except OSError:
                continue  # no lock file: not a handover folder, or one being made this moment
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                shutil.rmtree(entry.path, ignore_errors=True)
            except OSError:
                pass  # a load is using it
            finally:
                os.close(lock)


def _report(report: Any, quiet: bool = False) -> int:
    if not quiet:
        verb = "unchanged" if report.unchanged else "replaced" if report.replaced else "loaded"
        click.echo(
            f"{verb} {report.source}: {counted(report.quads, 'quad')} in <{report.graph}>",
            err=True,
        )
        for note in report.notes:
            click.echo(note, err=True)
    return int(report.quads)


def _validated(report: Any, path: str, lenient: bool, quiet: bool = False) -> int:
    """List a source's validation errors; refuse it unless ``lenient``. Returns the number of
    warnings not shown (``quiet``)."""
    from pledgegraph.errors import InputError
    from pledgegraph.graph.validation.checks import (
        AUTHORITY_ELSEWHERE,
        KNOWN_NODE_MARK,
        KNOWN_NODE_RULE,
    )
    from pledgegraph.graph.validation.report import problem_line

    # A change to what pledgegraph says of a region or deadline it describes: --lenient does
    # not load it either (the load refuses it), so it is not a warning (an attack found a
    # warning and then the refusal, repeating it) and --lenient is not offered.
    held = [
        p
        for p in report.errors
        if p.rule == KNOWN_NODE_RULE or KNOWN_NODE_MARK in p.message  # (or a shape's, said so)
    ]
    if lenient and held:
        problem = held[0]
        raise InputError(
            problem.message[0].lower() + problem.message[1:],
            path=problem.path or path,
            line=problem.line,
        )
    hidden = 0
    for problem in report.errors:
        if quiet and lenient:
            hidden += 1
            continue
        click.echo(("Warning: " if lenient else "") + problem_line(problem), err=True)
    for problem in report.warnings:  # (the one warning load shows: the answers would mislead)
        if problem.rule == AUTHORITY_ELSEWHERE:
            if quiet:
                hidden += 1
                continue
            click.echo(f"Warning: {problem.where}: {problem.message}", err=True)
    if report.errors and not lenient:
        count = len(report.errors)
        raise InputError(
            f"not loaded: {count} validation error{'s' if count != 1 else ''} (listed above)",
            hint="fix the source (--lenient does not load a change to what pledgegraph says of "
            "a region or deadline it describes)"
            if held
            else "fix the source, or load it anyway with --lenient",
            path=path,
        )
    return hidden
