"""The server's processes: a supervisor that holds the store, and HTTP workers that answer.

``pledgegraph serve`` runs as one supervisor process and ``--workers`` HTTP worker processes.
The supervisor holds the store (its lock, the only writable handle), binds the listening
socket, and starts the workers; each worker gets the same socket (the kernel hands each new
connection to one of the processes waiting in ``accept``), opens its own read-only view of the
store and runs the whole app with uvicorn, answering queries in threads of its own process
(:class:`pledgegraph.server.workers.Runner`): no pipe between the socket and the query.

A query past ``--timeout`` is answered with a 503 by its worker, which then retires: uvicorn
stops accepting on that process, finishes the requests it has, and the process exits (the
runaway query's thread with it). The supervisor sees the exit and starts a replacement; the
other workers keep accepting meanwhile, and connections that arrive while none accepts wait
in the socket's backlog.

Writes (``--write-token``) are parsed and authorised in the worker, then sent over the
worker's pipe to the supervisor, which runs them one at a time on its store
(:mod:`pledgegraph.server.writes`) and raises the shared ``generation``; every worker reopens
its read-only view before its next query.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import TYPE_CHECKING, Any

from pledgegraph.server.config import ServerConfig

if TYPE_CHECKING:
    from pledgegraph.graph.store import Store

#: What a new worker says on its pipe once its store is open and its app has started.
READY = "ready"
#: Seconds a retiring worker may take to finish its other requests.
GRACE = 5.0
#: Workers that may fail to start before any was ready, before the server gives up.
STARTS = 3


# --- in the worker process ------------------------------------------------------------------


class WriteChannel:
    """The worker's side of its pipe: one write at a time, answered by the supervisor."""

    def __init__(self, conn: Connection) -> None:
        import threading

        self.conn = conn
        self._lock = threading.Lock()

    def perform(self, name: str, arguments: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Blocking: call from a thread."""
        with self._lock:
            self.conn.send((name, arguments))
            reply: tuple[int, dict[str, Any]] = self.conn.recv()
        return reply


def worker_main(
    config: ServerConfig,
    path: str,
    sock: socket.socket,
    conn: Connection,
    generation: Any,
    access_log: bool,
) -> None:
    """An HTTP worker: the app on ``sock`` until told to stop, or until a query runs away."""
    import uvicorn

    from pledgegraph.server.app import create_app
    from pledgegraph.server.target import WorkerProtocol
    from pledgegraph.server.workers import Runner

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the supervisor's to handle
    holder: list[uvicorn.Server] = []
    _leave_with(os.getppid(), holder)

    def retire() -> None:
        holder[0].should_exit = True

    runner = Runner(path, config.timeout, generation, retire, fast_path=config.fast_path)
    app = create_app(config, runner, WriteChannel(conn), ready=lambda: conn.send(READY))
    settings = uvicorn.Config(
        app,
        access_log=access_log,
        log_config=log_config(),
        log_level="info",
        http=WorkerProtocol,  # httptools: a 414 for a URL it cannot parse, gentle retirement
        loop="uvloop",
        lifespan="on",
        timeout_graceful_shutdown=int(GRACE),
        # No X-Forwarded-* rewriting: the server is not meant to sit behind a proxy that sets
        # them, and uvicorn trusts them from loopback clients by default (a client could then
        # name any address in the access log); it also saves a middleware per request.
        proxy_headers=False,
    )
    server = uvicorn.Server(settings)
    holder.append(server)
    import gc

    # What start-up made lives as long as the worker: out of the collector's sight, so that a
    # full collection during a request walks only what requests made (a tail-latency cost).
    gc.collect()
    gc.freeze()
    server.run(sockets=[sock])
    # the runaway query's thread cannot be joined: leave without waiting for it
    os._exit(0)


#: How often (seconds) an HTTP worker checks that its supervisor is still alive.
PARENT_CHECK = 0.5


def _leave_with(parent: int, holder: list[Any]) -> None:
    """Stop this worker when the supervisor is gone (killed with SIGKILL, it cannot stop us).

    Without this the workers, re-parented to init, kept the port and answered from the
    store's old snapshot while the next command wrote to the store. A thread checks the
    parent pid; when it changes, the server is told to exit (its open requests are finished
    within the grace time) and the process leaves after that at the latest.
    """
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK)
        if holder:
            holder[0].should_exit = True
        time.sleep(GRACE + 1)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def log_config() -> dict[str, object]:
    """uvicorn's logging, with the access log on stderr too (stdout stays free for data)."""
    import copy

    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["handlers"]["access"]["stream"] = "ext://sys.stderr"
    return config


# --- in the supervisor ----------------------------------------------------------------------


@dataclass(eq=False)
class _Worker:
    process: Any
    conn: Connection
    ready: bool = False


class Supervisor:
    """Starts ``config.workers`` HTTP workers on ``sock``, replaces those that exit, runs writes."""

    def __init__(
        self,
        store: Store,
        path: str,
        config: ServerConfig,
        sock: socket.socket,
        *,
        access_log: bool,
    ) -> None:
        self.store = store
        self.path = path
        self.config = config
        self.sock = sock
        self.access_log = access_log
        self.context = multiprocessing.get_context("spawn")
        self.generation = self.context.Value("q", 0, lock=False)
        self.workers: list[_Worker] = []
        self.started = 0  # workers started, replacements included
        self.failed = 0  # workers that exited before they were ready
        self.announced = False  # every first worker was ready
        self.stopping = False

    def _spawn(self) -> _Worker:
        parent, child = self.context.Pipe()
        process = self.context.Process(
            target=worker_main,
            args=(self.config, self.path, self.sock, child, self.generation, self.access_log),
            daemon=True,
            name="pledgegraph-serve-worker",
        )
        process.start()
        child.close()
        self.started += 1
        worker = _Worker(process, parent)
        self.workers.append(worker)
        return worker

    def run(self, on_ready: Callable[[], None]) -> None:
        """Serve until SIGINT or SIGTERM; ``on_ready`` once every first worker is ready."""
        from pledgegraph.server.writes import perform

        def stop(signum: int, frame: object) -> None:
            raise KeyboardInterrupt

        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            for _ in range(self.config.workers):
                self._spawn()
            while True:
                by_conn = {w.conn: w for w in self.workers}
                by_sentinel = {w.process.sentinel: w for w in self.workers}
                for ready in wait([*by_conn, *by_sentinel], timeout=1.0):
                    if isinstance(ready, int):
                        self._replace(by_sentinel[ready])
                        continue
                    assert isinstance(ready, Connection)
                    worker = by_conn[ready]
                    try:
                        message = worker.conn.recv()
                    except (EOFError, OSError):
                        continue  # the process is exiting; its sentinel says so
                    if message == READY:
                        worker.ready = True
                        if not self.announced and all(w.ready for w in self.workers):
                            self.announced = True
                            on_ready()
                        continue
                    name, arguments = message
                    try:
                        reply = perform(self.store, name, arguments)
                    finally:
                        self.generation.value += 1
                    with contextlib.suppress(OSError):
                        worker.conn.send(reply)
        except KeyboardInterrupt:
            pass
        finally:
            self.stopping = True
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            self.close()

    def _replace(self, worker: _Worker) -> None:
        """``worker`` exited (retired after a runaway query, or died): start another."""
        if worker in self.workers:
            self.workers.remove(worker)
        worker.process.join(timeout=0)
        with contextlib.suppress(OSError):
            worker.conn.close()
        if self.stopping:
            return
        if not worker.ready:
            self.failed += 1
            if not self.announced and self.failed >= STARTS:
                from pledgegraph.errors import StoreError

                raise StoreError(
                    f"the server's worker processes could not start ({self.failed} tried, "
                    f"the last exited with code {worker.process.exitcode})",
                    hint="see the messages above; check the store with 'pledgegraph status'",
                    where=self.path,
                )
            time.sleep(1.0)  # it died while starting: do not spin
        self._spawn()

    def close(self) -> None:
        for worker in self.workers:
            if worker.process.is_alive():
                with contextlib.suppress(OSError):
                    os.kill(worker.process.pid, signal.SIGTERM)
        deadline = time.monotonic() + GRACE + 1
        for worker in self.workers:
            worker.process.join(timeout=max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(timeout=2)
        self.workers.clear()
