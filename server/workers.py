"""Queries in the HTTP process, in a thread, with a deadline that retires the process.

pyoxigraph has no query timeout and no way to cancel a query, but it releases the GIL while it
evaluates. So each HTTP worker process (see :mod:`pledgegraph.server.supervisor`) runs a query in
a thread of its own with its own read-only view of the store (``pyoxigraph.Store.read_only``,
which opens while the supervisor holds the store's lock) and waits for it with a deadline. Past
the deadline the client gets a 503 at once, and the process *retires*: it stops taking
connections, finishes its other requests and exits (``os._exit``: the runaway thread dies with
it, its CPU and memory are freed); the supervisor starts a replacement while the other workers
keep serving.

A read-only view is a snapshot: after a write the supervisor's ``generation`` goes up and the
worker reopens the store before its next query.

The thread calls the same library function as the CLI (:func:`pledgegraph.graph.query.run`,
with its guard: query size, no updates, ``SERVICE`` only to allowed endpoints) and serialises
the result with pyoxigraph's writers (or :mod:`pledgegraph.graph.export` for JSON-LD),
stopping as soon as the result passes the size limit.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any, cast

from pledgegraph.errors import PledgeGraphError

#: What a job's answer is: SELECT/ASK results, or a graph (CONSTRUCT/DESCRIBE).
SOLUTIONS, BOOLEAN, GRAPH = "solutions", "boolean", "graph"
#: Query threads per HTTP worker process (a runaway holds one until the process exits).
THREADS = 4
#: Seconds every query thread must have been busy with its job before another is started.
SPILL_AFTER = 0.02
#: With ``fast_path``: a job whose last run on this snapshot took less than this (seconds)
#: runs on the event loop.
INLINE_BELOW = 0.001
#: A job run on the event loop that took longer than this (seconds, wall time) leaves it.
INLINE_LEAVE = 0.01
#: How many such jobs are remembered (the oldest is forgotten first), with texts up to how long.
INLINE_JOBS = 1024
INLINE_CHARS = 8192
#: How often (seconds, at most) the watchdog looks at the query running on the event loop.
WATCH_EVERY = 0.25


@dataclass(frozen=True, slots=True)
class Job:
    """One query for a worker. ``result_format``/``rdf_format`` are our format names.

    ``None``: the client's ``Accept`` takes no format of that kind, and a query of that form
    is answered with a 406 (after it ran: its form is known only then).
    """

    sparql: str
    where: str = "query"
    inferred: bool = True
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    result_format: str | None = "json"
    rdf_format: str | None = "turtle"
    accept: str | None = None  # the request's Accept, for a 406's message
    allow_service: tuple[str, ...] = ()
    service_timeout: float = 10.0
    max_bytes: int = 50_000_000


@dataclass(frozen=True, slots=True)
class Answer:
    """A worker's answer: ``kind`` is solutions/boolean/graph, ``fmt`` the format it used."""

    kind: str
    fmt: str
    body: bytes


class JobError(Exception):
    """A job failed: ``status`` is the HTTP status the server answers with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(status, message)
        self.status = status
        self.message = message

    def __str__(self) -> str:
        return self.message


class _TooLarge(Exception):
    pass


class _NotAcceptable(Exception):
    """The query's form has no format the client accepts (``graphs``: CONSTRUCT/DESCRIBE)."""

    def __init__(self, *, graphs: bool) -> None:
        super().__init__(graphs)
        self.graphs = graphs


#: How to add data to a store this server serves (SPARQL Update is refused: it skips validation).
HOW_TO_LOAD = (
    "load data with 'pledgegraph load FILE' while the server is stopped, or start the server "
    "with --write-token and POST a fact sheet to /api/store/sources"
)


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


# --- in the query thread ------------------------------------------------------------------


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


@functools.cache
def _library() -> tuple[Any, Callable[..., Any], dict[str, Any]]:
    """pyoxigraph, :func:`pledgegraph.graph.query.run` and the result formats, imported once.

    (Imports in the function that runs every query took about 7 µs per query.)
    """
    import pyoxigraph as ox

    from pledgegraph.graph.formats import RESULT_FORMATS
    from pledgegraph.graph.query import run

    return ox, run, RESULT_FORMATS


def _run(store: Any, job: Job, *, small: bool) -> Answer:
    """``job``'s answer; ``small``: its result is known to be small, so it is serialised in
    one piece (faster than through the capped sink) and measured after."""
    ox, run, result_formats = _library()
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

        if job.rdf_format is None:
            raise _NotAcceptable(graphs=True)
        if job.rdf_format == "jsonld":
            triples = list(result)
            sink.write(serialize_triples(triples, "jsonld").encode("utf-8"))
        else:
            ox.serialize(result, cast(IO[bytes], sink), format=RDF_FORMATS[job.rdf_format])
        return Answer(GRAPH, job.rdf_format, sink.value())
    kind = BOOLEAN if isinstance(result, ox.QueryBoolean) else SOLUTIONS
    if job.result_format is None:
        raise _NotAcceptable(graphs=False)
    if small:
        body: bytes = result.serialize(format=result_formats[job.result_format])
        if len(body) > job.max_bytes:
            raise _TooLarge
        return Answer(kind, job.result_format, body)
    result.serialize(cast(IO[bytes], sink), format=result_formats[job.result_format])
    return Answer(kind, job.result_format, sink.value())


def answer_job(store: Any, job: Job, *, small: bool = False) -> Answer:
    """Run ``job`` on ``store``; a failure is a :class:`JobError` with its HTTP status.

    ``small``: the job ran cheaply before (on the event loop): its SELECT or ASK result is
    serialised in one piece; otherwise the writer stops as soon as the result passes the
    size limit, and a huge result is never built in full.
    """
    try:
        return _run(store, job, small=small)
    except PledgeGraphError as error:
        from pledgegraph.graph.query import update_keyword

        word = update_keyword(job.sparql)  # the guard refused an update: a 403, as update=
        if word is not None:
            raise JobError(
                403,
                f"{job.where}: {word} is a SPARQL update, and this endpoint is read-only; "
                + HOW_TO_LOAD,
            ) from None
        raise JobError(400, error.message) from None
    except _NotAcceptable as refused:
        from pledgegraph.server.negotiation import not_acceptable

        raise JobError(
            406, not_acceptable(job.accept, results=not refused.graphs, graphs=refused.graphs)
        ) from None
    except _TooLarge:
        raise JobError(
            413,
            f"{job.where}: the result is larger than the server's limit of {job.max_bytes} "
            "bytes; add a LIMIT, or start the server with a larger --max-result-bytes",
        ) from None
    except (OSError, ValueError, RuntimeError, SyntaxError) as exc:
        raise JobError(400, f"{job.where}: the query failed: {exc}; check the query") from None
    except Exception as exc:  # a bug, not bad input: say so, and keep serving
        raise JobError(500, f"{job.where}: internal error: {type(exc).__name__}: {exc}") from None


def _timed(store: Any, job: Job) -> tuple[Answer | JobError, float]:
    """:func:`answer_job` and the CPU time it took this thread (not swayed by other load)."""
    started = time.thread_time()
    try:
        outcome: Answer | JobError = answer_job(store, job)
    except JobError as error:
        # Dropped here, not on the event loop: what it was raised from may hold pyoxigraph
        # objects (a result), which must be freed by the thread that made them.
        error.__context__ = None
        outcome = error.with_traceback(None)
    return outcome, time.thread_time() - started


#: The reason phrases of the statuses :func:`answer_raw` sends.
_REASONS = {503: "Service Unavailable"}


def answer_raw(transport: Any, status: int, message: str) -> None:
    """Write a plain-text answer straight to ``transport``'s socket, from any thread.

    For the watchdog, while the event loop is stuck and cannot write: nothing else writes to
    the socket then. Skipped when part of an earlier answer still waits in the transport's
    buffer (the bytes would be out of order); the connection is then just closed.
    """
    import contextlib
    import os
    import socket

    with contextlib.suppress(Exception):  # a closed or odd transport: the process ends anyway
        if transport.is_closing() or transport.get_write_buffer_size():
            return
        fd = transport.get_extra_info("socket").fileno()
        text = (message + "\n").encode("utf-8")
        head = (
            f"HTTP/1.1 {status} {_REASONS[status]}\r\ncontent-type: text/plain; charset=utf-8"
            f"\r\ncontent-length: {len(text)}\r\nconnection: close\r\n\r\n"
        )
        os.write(fd, head.encode("latin-1") + text)
        with socket.socket(fileno=os.dup(fd)) as sock:
            sock.shutdown(socket.SHUT_WR)


def _leave_now(why: str) -> None:
    """End this process at once (its stuck event loop cannot stop it gracefully)."""
    import logging
    import os

    logging.getLogger("uvicorn.error").error("worker %d: %s", os.getpid(), why)
    for handler in logging.getLogger("uvicorn.error").handlers:
        handler.flush()
    os._exit(3)


# --- in the HTTP worker process ---------------------------------------------------------------


class _Lanes:
    """Query threads that take jobs in turn from one queue: one stays warm, more when stuck.

    A pool whose threads all wait for work hands each job to another sleeping thread, and
    they take turns at the GIL with the event loop (measured: about a quarter more CPU per
    point query than one thread taking the jobs one after another). Here one thread takes the
    jobs while it keeps up; a watcher starts another (up to ``size``) only when every thread
    has been busy with its job for ``spill_after`` seconds and jobs wait (a slow or runaway
    query must not hold up the others). A thread past the first that finds no work for a
    second exits.
    """

    def __init__(self, size: int, spill_after: float) -> None:
        self.size = size
        self.spill_after = spill_after
        self._jobs: queue.SimpleQueue[tuple[Any, ...]] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._started: dict[int, float | None] = {}  # thread number -> its job's start, or idle
        self._count = 0
        self._add(first=True)
        threading.Thread(target=self._watch, name="query-watch", daemon=True).start()

    def submit(self, function: Callable[..., Any], *args: Any) -> asyncio.Future[Any]:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        self._jobs.put((loop, future, function, args))
        return future

    def _add(self, *, first: bool = False) -> None:
        with self._lock:
            number = self._count
            self._count += 1
            self._started[number] = None
        threading.Thread(
            target=self._work, args=(number, first), name=f"query_{number}", daemon=True
        ).start()

    def _watch(self) -> None:
        while True:
            time.sleep(self.spill_after)
            if self._jobs.empty():
                continue
            now = time.monotonic()
            with self._lock:
                starts = list(self._started.values())
            stuck = all(t is not None and now - t >= self.spill_after for t in starts)
            if stuck and len(starts) < self.size:
                self._add()

    def _work(self, number: int, first: bool) -> None:
        while True:
            try:
                loop, future, function, args = self._jobs.get(timeout=None if first else 1.0)
            except queue.Empty:
                with self._lock:
                    if not self._jobs.empty():
                        continue
                    del self._started[number]
                return
            self._started[number] = time.monotonic()
            try:
                result, error = function(*args), None
            except BaseException as exc:  # handed to the waiting coroutine
                result, error = None, exc
            self._started[number] = None
            with contextlib.suppress(RuntimeError):  # a closed loop: the process is stopping
                loop.call_soon_threadsafe(_settle, future, result, error)
            del loop, future, function, args, result, error


def _settle(future: asyncio.Future[Any], result: Any, error: BaseException | None) -> None:
    if future.cancelled():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)


class Runner:
    """Runs jobs over a read-only view of the store at ``path``: in a thread of this process,
    or on the event loop itself when the same job ran cheaply on this snapshot (:meth:`run`).

    ``generation`` is a number the supervisor raises after each write (a shared
    ``multiprocessing.Value``, or anything with ``.value``); the view is reopened when it moved.
    ``retire`` is called once, when a query passes ``timeout``: the caller then stops this
    process gracefully (its runaway thread cannot be stopped otherwise).
    """

    def __init__(
        self,
        path: str,
        timeout: float,
        generation: Any,
        retire: Callable[[], None],
        abandon: Callable[[str], None] | None = None,
        *,
        fast_path: bool = False,
    ) -> None:
        self.path = path
        #: ``serve --fast-path``: cheap jobs on the event loop (off: every job in a thread)
        self.fast_path = fast_path
        self.timeout = timeout
        self.generation = generation
        self.retire = retire
        self.abandon = abandon or _leave_now
        self.retiring = False
        self._seen = generation.value
        self._store = _open(path)
        self._lock = threading.Lock()
        from pledgegraph.graph.query import QUERY_STACK

        # Set before the query threads are made: the stack size is for this worker process
        # (its queries need a deep stack, see QUERY_STACK).
        threading.stack_size(QUERY_STACK)
        self._threads = _Lanes(THREADS, SPILL_AFTER)
        self._fast: dict[Job, None] = {}  # jobs cheap on this snapshot, oldest first
        self._fast_seen = self._seen
        self._inline_lock = threading.Lock()
        self._inline_now: tuple[float, Job, Any] | None = None
        threading.Thread(target=self._watch, name="inline-watch", daemon=True).start()

    @property
    def store(self) -> Any:
        """The read-only view, reopened if the store was written since it was opened."""
        current = self.generation.value
        if current != self._seen:
            with self._lock:
                if current != self._seen:
                    self._store = _open(self.path)
                    self._seen = current
        return self._store

    async def run(self, job: Job, transport: Any = None) -> Answer:
        """The answer to ``job``; :class:`JobError` with an HTTP status when it fails.

        ``transport``: the request's connection (an asyncio transport), to which the watchdog
        writes the 503 should the job run away on the event loop (see :meth:`_inline`).
        """
        store = self.store
        if self._fast_seen != self._seen:  # a new snapshot: what was cheap may not be now
            self._fast.clear()
            self._fast_seen = self._seen
        if job in self._fast:
            return self._inline(store, job, transport)
        work = self._threads.submit(_timed, store, job)
        try:
            timed: tuple[Answer | JobError, float] = await asyncio.wait_for(work, self.timeout)
        except TimeoutError:
            self._retire()
            raise JobError(503, self._too_long(job)) from None
        outcome, cpu = timed
        from pledgegraph.graph.linking.federation import mentions_service

        # SERVICE waits on another server, not on this one's CPU: never on the event loop.
        if (
            self.fast_path
            and cpu < INLINE_BELOW
            and len(job.sparql) <= INLINE_CHARS
            and self._fast_seen == self._seen
            and not mentions_service(job.sparql)
        ):
            if len(self._fast) >= INLINE_JOBS:
                del self._fast[next(iter(self._fast))]
            self._fast[job] = None
        if isinstance(outcome, JobError):
            raise outcome
        return outcome

    def _retire(self) -> None:
        if not self.retiring:
            self.retiring = True
            self.retire()

    def _too_long(self, job: Job) -> str:
        return (
            f"{job.where}: the query ran longer than the server's limit of "
            f"{self.timeout:g} s and was stopped; make it more selective (add a LIMIT or "
            "more patterns), or start the server with a larger --timeout"
        )

    def _inline(self, store: Any, job: Job, transport: Any) -> Answer:
        """``job`` on the event loop itself: its last run on this snapshot was cheap.

        The same query on the same snapshot does the same work, so it is cheap again; but
        should it run past the timeout all the same, the event loop is stuck in it and can
        answer no one. The watchdog (:meth:`_watch`) then writes the 503 to ``transport``
        itself and ends this process (``abandon``); the supervisor starts a replacement.
        """
        with self._inline_lock:
            self._inline_now = (time.monotonic(), job, transport)
        # Wall time here (the thread's CPU time costs a system call on this machine, about a
        # twentieth of a point query), and a wider bound, as other load stretches wall time:
        # a job past it goes back to the query thread, where its CPU time decides again.
        started = time.perf_counter()
        try:
            return answer_job(store, job, small=True)  # cheap: its result cannot be huge
        finally:
            with self._inline_lock:  # the watchdog may hold it: then this process is ending
                self._inline_now = None
            if time.perf_counter() - started >= INLINE_LEAVE:
                self._fast.pop(job, None)

    def _watch(self) -> None:
        """Watch the query run on the event loop: past the timeout, answer it and leave."""
        period = min(WATCH_EVERY, self.timeout / 4)
        while True:
            time.sleep(period)
            with self._inline_lock:
                now = self._inline_now
                if now is None or time.monotonic() - now[0] <= self.timeout:
                    continue
                _, job, transport = now
                self.retiring = True
                if transport is not None:
                    answer_raw(transport, 503, self._too_long(job))
                self.abandon(
                    f"a query run on the event loop (it had been cheap on this snapshot) ran "
                    f"past --timeout {self.timeout:g} s; this worker process ends, and its "
                    "other connections are closed"
                )
                return

    async def call(self, function: Callable[..., Any], *args: Any) -> Any:
        """``function(*args)`` in a query thread (work on the store that is not SPARQL)."""
        return await self._threads.submit(function, *args)
