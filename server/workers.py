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
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import IO, Any, cast

#: What a job's answer is: SELECT/ASK results, or a graph (CONSTRUCT/DESCRIBE).
SOLUTIONS, BOOLEAN, GRAPH = "solutions", "boolean", "graph"
#: Query threads per HTTP worker process (a runaway holds one until the process exits).
THREADS = 4


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


def answer_job(store: Any, job: Job) -> Answer:
    """Run ``job`` on ``store``; a failure is a :class:`JobError` with its HTTP status."""
    from pledgegraph.errors import PledgeGraphError

    try:
        return _run(store, job)
    except PledgeGraphError as error:
        raise JobError(400, error.message) from None
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


# --- in the HTTP worker process ---------------------------------------------------------------


class Runner:
    """Runs jobs in threads of this process over a read-only view of the store at ``path``.

    ``generation`` is a number the supervisor raises after each write (a shared
    ``multiprocessing.Value``, or anything with ``.value``); the view is reopened when it moved.
    ``retire`` is called once, when a query passes ``timeout``: the caller then stops this
    process gracefully (its runaway thread cannot be stopped otherwise).
    """

    def __init__(
        self, path: str, timeout: float, generation: Any, retire: Callable[[], None]
    ) -> None:
        self.path = path
        self.timeout = timeout
        self.generation = generation
        self.retire = retire
        self.retiring = False
        self._seen = generation.value
        self._store = _open(path)
        self._lock = threading.Lock()
        from pledgegraph.graph.query import QUERY_STACK

        # The pool makes its threads later, when queries come: the stack size is set for this
        # worker process (its queries need a deep stack, see QUERY_STACK).
        threading.stack_size(QUERY_STACK)
        self._threads = ThreadPoolExecutor(THREADS, thread_name_prefix="query")

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

    async def run(self, job: Job) -> Answer:
        """The answer to ``job``; :class:`JobError` with an HTTP status when it fails."""
        loop = asyncio.get_running_loop()
        work = loop.run_in_executor(self._threads, answer_job, self.store, job)
        try:
            return await asyncio.wait_for(work, self.timeout)
        except TimeoutError:
            if not self.retiring:
                self.retiring = True
                self.retire()
            raise JobError(
                503,
                f"{job.where}: the query ran longer than the server's limit of "
                f"{self.timeout:g} s and was stopped; make it more selective (add a LIMIT or "
                "more patterns), or start the server with a larger --timeout",
            ) from None

    async def call(self, function: Callable[..., Any], *args: Any) -> Any:
        """``function(*args)`` in a query thread (work on the store that is not SPARQL)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._threads, function, *args)
