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
import collections
import contextlib
import multiprocessing
import os
import pickle
import struct
import time
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

#: Jobs sent ahead to one worker (it answers them in order): the pipe stays busy, and the
#: server reads several answers per wake-up.
DEPTH = 4
#: A worker whose current job has run this long gets no more jobs while another can take them.
SLOW = 0.05
#: Jobs larger than this (pickled) go only to an idle worker, so a write never blocks the server.
SMALL = 8_192
_HEADER = struct.Struct("!i")  # multiprocessing.Connection's framing


@dataclass(eq=False)
class _Pending:
    job: Job
    future: asyncio.Future[Answer]
    data: bytes
    timer: asyncio.TimerHandle | None = None


@dataclass(eq=False)
class _Worker:
    process: Any
    conn: Connection
    pending: collections.deque[_Pending] = field(default_factory=collections.deque)
    buffer: bytearray = field(default_factory=bytearray)
    head_started: float = 0.0
    ready: bool = False


@dataclass
class Pool:
    """``size`` query workers over the store at ``path``; :meth:`run` answers one job.

    Each worker gets up to :data:`DEPTH` jobs at a time over its pipe and answers them in
    order; the job at the head is the one running, and only it has a deadline (from when it
    started). Past the deadline the worker is killed, the head job fails with a 503 and the
    jobs queued behind it (not started) go to other workers.
    """

    path: str
    size: int = 2
    timeout: float = 30.0
    generation: int = 0
    _workers: list[_Worker] = field(default_factory=list)
    _waiting: collections.deque[_Pending] = field(default_factory=collections.deque)
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
        return _Worker(process, parent)

    async def start(self) -> None:
        await asyncio.gather(*(self._admit(self._spawn()) for _ in range(self.size)))

    async def _admit(self, worker: _Worker) -> None:
        """Take ``worker`` into the pool once it has opened the store (a start takes ~1 s)."""
        loop = asyncio.get_running_loop()
        worker.ready = False
        ready: asyncio.Future[bool] = loop.create_future()
        self._workers.append(worker)
        loop.add_reader(worker.conn.fileno(), self._readable, worker, ready)
        if await ready:
            self._drain_waiting()
            return
        self._drop(worker)
        if not self._closed:
            await asyncio.sleep(1.0)  # do not spin if workers cannot start at all
            await self._admit(self._spawn())

    def reopen(self) -> None:
        """The store changed: workers take a fresh snapshot before their next job."""
        self.generation += 1

    async def run(self, job: Job) -> Answer:
        """The answer to ``job``; :class:`JobError` with an HTTP status when it fails."""
        from dataclasses import replace

        job = replace(job, generation=self.generation)
        data = pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)
        loop = asyncio.get_running_loop()
        pending = _Pending(job, loop.create_future(), _HEADER.pack(len(data)) + data)
        self._dispatch(pending)
        return await pending.future

    # --- dispatching ------------------------------------------------------------------------

    def _dispatch(self, pending: _Pending) -> None:
        worker = self._choose(len(pending.data) > SMALL)
        if worker is None:
            self._waiting.append(pending)
            return
        if not worker.pending:
            worker.head_started = time.monotonic()
            self._arm(worker, pending)
        worker.pending.append(pending)
        os.write(worker.conn.fileno(), pending.data)

    def _choose(self, large: bool) -> _Worker | None:
        now = time.monotonic()
        best: _Worker | None = None
        for worker in self._workers:
            if not worker.ready or len(worker.pending) >= DEPTH:
                continue
            if worker.pending and (large or now - worker.head_started > SLOW):
                continue
            if best is None or len(worker.pending) < len(best.pending):
                best = worker
        return best

    def _drain_waiting(self) -> None:
        while self._waiting:
            worker = self._choose(len(self._waiting[0].data) > SMALL)
            if worker is None:
                return
            self._dispatch(self._waiting.popleft())

    def _arm(self, worker: _Worker, pending: _Pending) -> None:
        loop = asyncio.get_running_loop()
        pending.timer = loop.call_later(self.timeout, self._expired, worker, pending)

    # --- answers ------------------------------------------------------------------------------

    def _readable(self, worker: _Worker, ready: asyncio.Future[bool]) -> None:
        try:
            data = os.read(worker.conn.fileno(), 1 << 20)
        except OSError:
            data = b""
        if not data:  # the worker died
            if not ready.done():
                ready.set_result(False)
                return
            self._fail(worker, 500, "the query worker stopped unexpectedly; try again")
            return
        worker.buffer += data
        while len(worker.buffer) >= 4:
            (size,) = _HEADER.unpack_from(worker.buffer)
            if len(worker.buffer) < 4 + size:
                break
            message = pickle.loads(bytes(worker.buffer[4 : 4 + size]))
            del worker.buffer[: 4 + size]
            if message == READY:
                worker.ready = True
                ready.set_result(True)
            else:
                self._answered(worker, message)
        self._drain_waiting()

    def _answered(self, worker: _Worker, reply: Answer | JobError) -> None:
        pending = worker.pending.popleft()
        if pending.timer is not None:
            pending.timer.cancel()
        if worker.pending:
            worker.head_started = time.monotonic()
            self._arm(worker, worker.pending[0])
        if pending.future.done():  # the request went away
            return
        if isinstance(reply, JobError):
            pending.future.set_exception(reply)
        else:
            pending.future.set_result(reply)

    def _expired(self, worker: _Worker, pending: _Pending) -> None:
        if not worker.pending or worker.pending[0] is not pending:
            return
        self._fail(
            worker,
            503,
            f"{pending.job.where}: the query ran longer than the server's limit of "
            f"{self.timeout:g} s and was stopped; make it more selective (add a LIMIT or "
            "more patterns), or start the server with a larger --timeout",
        )

    def _fail(self, worker: _Worker, status: int, message: str) -> None:
        """Kill ``worker``: its running job fails, the jobs behind it go to other workers."""
        queued = list(worker.pending)
        worker.pending.clear()
        self._drop(worker)
        if queued:
            head, rest = queued[0], queued[1:]
            if head.timer is not None:
                head.timer.cancel()
            if not head.future.done():
                where = head.job.where
                text = message if message.startswith(where) else f"{where}: {message}"
                head.future.set_exception(JobError(status, text))
            for pending in rest:
                self._waiting.appendleft(pending)
        if not self._closed:
            task = asyncio.get_running_loop().create_task(self._admit(self._spawn()))
            self._starting.add(task)
            task.add_done_callback(self._starting.discard)
        self._drain_waiting()

    def _drop(self, worker: _Worker) -> None:
        with contextlib.suppress(OSError, ValueError):
            asyncio.get_running_loop().remove_reader(worker.conn.fileno())
        worker.process.kill()
        with contextlib.suppress(OSError):
            worker.conn.close()
        if worker in self._workers:
            self._workers.remove(worker)
        worker.process.join(timeout=0)

    async def close(self) -> None:
        self._closed = True
        for worker in list(self._workers):
            self._drop(worker)
            worker.process.join(timeout=2)
        for pending in self._waiting:
            if not pending.future.done():
                pending.future.set_exception(JobError(503, "the server is stopping"))
        self._waiting.clear()
