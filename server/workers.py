"""Query workers: SPARQL runs in child processes the server can kill.

pyoxigraph has no query timeout and a query may hold the GIL, so a thread cannot stop a runaway
query. Each worker is a process with its own read-only view of the store
(``pyoxigraph.Store.read_only``, which opens while the server holds the store's lock). The
server sends it a :class:`Job` over a pipe and waits for the answer with a deadline; past the
deadline it kills the process (SIGKILL: the work really stops, the memory is freed), answers
the client with a timeout error and starts a fresh worker in the background.

A read-only view is a snapshot: after a write the pool's ``generation`` goes up and each worker
reopens the store before its next job.

The worker calls the same library function as the CLI (:func:`pledgegraph.graph.query.run`,
with its guard: query size, no updates, ``SERVICE`` only to allowed endpoints) and serialises the result with pyoxigraph's writers (or :mod:`pledgegraph.graph.export` for
JSON-LD), stopping as soon as the result passes the size limit.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import IO, Any, cast

#: What a job's answer is: SELECT/ASK results, or a graph (CONSTRUCT/DESCRIBE).
SOLUTIONS, BOOLEAN, GRAPH = "solutions", "boolean", "graph"
#: What a new worker says once its store is open (it gets no job before).
READY = "ready"


@dataclass(frozen=True, slots=True)
class Job:
    """One query for a worker. ``result_format``/``rdf_format`` are our format names."""

    sparql: str
    where: str = "query"
    inferred: bool = True
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    result_format: str = "json"
    rdf_format: str = "turtle"
    allow_service: tuple[str, ...] = ()
    service_timeout: float = 10.0
    max_bytes: int = 50_000_000
    generation: int = 0


@dataclass(frozen=True, slots=True)
class Answer:
    """A worker's answer: ``kind`` is solutions/boolean/graph, ``fmt`` the format it used."""

    kind: str
    fmt: str
    body: bytes


class JobError(Exception):
    """A job failed: ``status`` is the HTTP status the server answers with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(status, message)  # both in args: it crosses the pipe pickled
        self.status = status
        self.message = message

    def __str__(self) -> str:
        return self.message


class _TooLarge(Exception):
    pass


class _Capped:
    """A binary sink that stops the writer once it has more than ``limit`` bytes."""

    def __init__(self, limit: int) -> None:
        self.parts: list[bytes] = []
        self.size = 0
        self.limit = limit

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.limit:
            raise _TooLarge
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def value(self) -> bytes:
        return b"".join(self.parts)


# --- the child process ----------------------------------------------------------------------


def _open(path: str) -> Any:
    import pyoxigraph as ox

    from pledgegraph.graph.store import Store

    # path=None: this process only reads, and must not touch the server's pid or state files.
    store = Store(ox.Store.read_only(path), None)
    store._state = _read_state(path)
    return store


def _read_state(path: str) -> dict[str, object]:
    import json
    from pathlib import Path

    from pledgegraph.graph.store import STATE_FILE

    try:
        value = json.loads((Path(path) / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _run(store: Any, job: Job) -> Answer:
    import pyoxigraph as ox

    from pledgegraph.graph.query import run

    result = run(
        store,
        job.sparql,
        where=job.where,
        inferred=job.inferred,
        default_graphs=job.default_graphs or None,
        named_graphs=job.named_graphs or None,
        allow_service=job.allow_service,
        service_timeout=job.service_timeout,
    )
    sink = _Capped(job.max_bytes)
    if isinstance(result, ox.QueryTriples):
        from pledgegraph.graph.export import serialize_triples
        from pledgegraph.graph.formats import RDF_FORMATS

        if job.rdf_format == "jsonld":
            triples = list(result)
            sink.write(serialize_triples(triples, "jsonld").encode("utf-8"))
        else:
            ox.serialize(result, cast(IO[bytes], sink), format=RDF_FORMATS[job.rdf_format])
        return Answer(GRAPH, job.rdf_format, sink.value())
    from pledgegraph.graph.formats import RESULT_FORMATS

    kind = BOOLEAN if isinstance(result, ox.QueryBoolean) else SOLUTIONS
    result.serialize(cast(IO[bytes], sink), format=RESULT_FORMATS[job.result_format])
    return Answer(kind, job.result_format, sink.value())


def _serve(path: str, conn: Connection, generation: int) -> None:
    """The worker's loop: answer jobs until the pipe closes."""
    from pledgegraph.errors import PledgeGraphError

    store = _open(path)
    conn.send(READY)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job.generation != generation:
            store = _open(path)
            generation = job.generation
        try:
            reply: Answer | JobError = _run(store, job)
        except PledgeGraphError as error:
            reply = JobError(400, error.message)
        except _TooLarge:
            reply = JobError(
                413,
                f"{job.where}: the result is larger than the server's limit of {job.max_bytes} "
                "bytes; add a LIMIT, or start the server with a larger --max-result-bytes",
            )
        except (OSError, ValueError, RuntimeError, SyntaxError) as exc:
            reply = JobError(400, f"{job.where}: the query failed: {exc}; check the query")
        except Exception as exc:  # a bug, not bad input: say so, and keep the worker alive
            reply = JobError(500, f"{job.where}: internal error: {type(exc).__name__}: {exc}")
        conn.send(reply)


# --- the server side ------------------------------------------------------------------------


@dataclass(eq=False)
class _Worker:
    process: Any
    conn: Connection


@dataclass
class Pool:
    """``size`` query workers over the store at ``path``; :meth:`run` answers one job."""

    path: str
    size: int = 2
    timeout: float = 30.0
    generation: int = 0
    _idle: asyncio.Queue[_Worker] = field(default_factory=asyncio.Queue)
    _all: set[_Worker] = field(default_factory=set)
    _starting: set[asyncio.Task[None]] = field(default_factory=set)
    _closed: bool = False

    def _spawn(self) -> _Worker:
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        process = context.Process(
            target=_serve, args=(self.path, child, self.generation), daemon=True
        )
        process.start()
        child.close()
        worker = _Worker(process, parent)
        self._all.add(worker)
        return worker

    async def start(self) -> None:
        await asyncio.gather(*(self._admit(self._spawn()) for _ in range(self.size)))

    async def _admit(self, worker: _Worker) -> None:
        """Put ``worker`` in the pool once it has opened the store (a start takes ~1 s)."""
        loop = asyncio.get_running_loop()
        ready: asyncio.Future[bool] = loop.create_future()

        def readable() -> None:
            loop.remove_reader(worker.conn.fileno())
            try:
                ready.set_result(worker.conn.recv() == READY)
            except Exception:  # died while starting
                ready.set_result(False)

        loop.add_reader(worker.conn.fileno(), readable)
        if await ready:
            self._idle.put_nowait(worker)
        elif not self._closed:
            worker.process.kill()
            worker.conn.close()
            self._all.discard(worker)
            await asyncio.sleep(1.0)  # do not spin if workers cannot start at all
            await self._admit(self._spawn())

    def reopen(self) -> None:
        """The store changed: workers take a fresh snapshot before their next job."""
        self.generation += 1

    async def run(self, job: Job) -> Answer:
        """The answer to ``job``; :class:`JobError` with an HTTP status when it fails."""
        from dataclasses import replace

        worker = await self._idle.get()
        job = replace(job, generation=self.generation)
        loop = asyncio.get_running_loop()
        done: asyncio.Future[Any] = loop.create_future()

        def readable() -> None:
            loop.remove_reader(worker.conn.fileno())
            try:
                done.set_result(worker.conn.recv())
            except Exception as exc:  # a dead worker (EOF) or an answer that does not unpickle
                done.set_exception(exc)

        try:
            worker.conn.send(job)
            loop.add_reader(worker.conn.fileno(), readable)
            reply = await asyncio.wait_for(done, self.timeout)
        except TimeoutError:
            self._replace(worker, loop)
            raise JobError(
                503,
                f"{job.where}: the query ran longer than the server's limit of "
                f"{self.timeout:g} s and was stopped; make it more selective (add a LIMIT or "
                "more patterns), or start the server with a larger --timeout",
            ) from None
        except (EOFError, OSError):
            self._replace(worker, loop)
            raise JobError(
                500, f"{job.where}: the query worker stopped unexpectedly; try again"
            ) from None
        except BaseException:  # e.g. the request was cancelled: never reuse the worker
            self._replace(worker, loop)
            raise
        self._idle.put_nowait(worker)
        if isinstance(reply, JobError):
            raise reply
        assert isinstance(reply, Answer)
        return reply

    def _replace(self, worker: _Worker, loop: asyncio.AbstractEventLoop) -> None:
        """Kill ``worker`` (a runaway or broken one) and put a fresh one in the pool."""
        with contextlib.suppress(OSError, ValueError):
            loop.remove_reader(worker.conn.fileno())
        worker.process.kill()
        worker.conn.close()
        self._all.discard(worker)
        if not self._closed:
            task = loop.create_task(self._admit(self._spawn()))
            self._starting.add(task)
            task.add_done_callback(self._starting.discard)
        worker.process.join(timeout=0)

    async def close(self) -> None:
        self._closed = True
        for worker in list(self._all):
            worker.conn.close()
            worker.process.kill()
            worker.process.join(timeout=2)
        self._all.clear()
