"""The HTTP workers' protocol and query runner, in this process, over real sockets.

- :class:`WorkerProtocol` on a real uvicorn (uvloop, httptools) serving a small ASGI app on a
  loopback port: a request's head must arrive in time (a 408, or a silent close for a
  connection that sends nothing), and an answer's head, held to be written with its body,
  still reaches the client for HEAD, empty bodies, pipelined requests and ``100 Continue``.
- :class:`Runner` over a real read-only store: a job that ran cheaply in the query thread
  then runs on the event loop, a write (a new snapshot) sends it back to the thread, and a
  job that runs away on the event loop gets its 503 from the watchdog, written straight to
  the request's socket, before the worker process is abandoned.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import uvicorn

from pledgegraph.graph.store import Store
from pledgegraph.server.core import database_path
from pledgegraph.server.target import WorkerProtocol, head_too_slow
from pledgegraph.server.workers import Job, JobError, Runner

HEBEI = "https://w3id.org/pledgegraph/id/region/CN-HE"
POINT = f"SELECT ?l WHERE {{ <{HEBEI}> rdfs:label ?l }} ORDER BY ?l"
#: Takes a second or two on the bundled store (a cross product of its triples, four times).
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . VALUES ?k { 1 2 3 4 } }"


class QuickProtocol(WorkerProtocol):
    head_timeout = 1.0


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """GET: ``ok``; ``/empty``: no body; POST: the body's length (read: ``100 Continue``)."""
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    body = b"ok"
    if scope["method"] == "POST":
        size, more = 0, True
        while more:
            message = await receive()
            size += len(message.get("body", b""))
            more = message.get("more_body", False)
        body = str(size).encode()
    if scope["path"] == "/empty":
        body = b""
    if scope["path"] == "/slow":  # longer than the head timeout
        await asyncio.sleep(2 * QuickProtocol.head_timeout)
    headers = [(b"content-type", b"text/plain"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})


@dataclass
class Running:
    port: int

    def connect(self) -> socket.socket:
        return socket.create_connection(("127.0.0.1", self.port), timeout=15)


@pytest.fixture(scope="module")
def server() -> Iterator[Running]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    config = uvicorn.Config(
        app, http=QuickProtocol, loop="uvloop", log_level="warning", lifespan="on"
    )
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not running.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert running.started
    yield Running(port)
    running.should_exit = True
    thread.join(timeout=10)
    listener.close()


def read_all(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    return data


def read_answer(reader: Any, *, body: bool = True) -> bytes:
    """One answer with a content-length from ``sock.makefile("rb")`` (no body for HEAD)."""
    head = b""
    while not head.endswith(b"\r\n\r\n"):
        line = reader.readline()
        assert line, f"closed after {head!r}"
        head += line
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.lower() == b"content-length":
            length = int(value)
    return head + (reader.read(length) if body else b"")


# --- the request's head must come in time -------------------------------------------------


def test_half_a_request_line_gets_a_408_and_the_connection_is_closed(server: Running) -> None:
    with server.connect() as sock:
        sock.sendall(b"GET /sparql?query=ASK")
        answer = read_all(sock)  # without the head timeout: socket.timeout
    assert answer.startswith(b"HTTP/1.1 408 Request Timeout\r\n")
    assert b"\r\nconnection: close\r\n" in answer
    assert answer.endswith(b"\r\n\r\n" + head_too_slow(1.0).encode() + b"\n")


def test_a_connection_that_sends_nothing_is_closed_without_an_answer(server: Running) -> None:
    with server.connect() as sock:
        assert read_all(sock) == b""


def test_headers_cut_after_a_kept_alive_answer_get_a_408(server: Running) -> None:
    with server.connect() as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        assert read_answer(sock.makefile("rb")).endswith(b"\r\n\r\nok")
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")  # the blank line never comes
        assert read_all(sock).startswith(b"HTTP/1.1 408 Request Timeout\r\n")


def test_a_late_pipelined_head_closes_the_connection_after_the_answer_before_it(
    server: Running,
) -> None:
    with server.connect() as sock:
        sock.sendall(b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET / HT")
        answer = read_all(sock)  # no 408 written into the middle of the first answer
    assert answer.startswith(b"HTTP/1.1 200 OK\r\n")
    assert answer.endswith(b"\r\n\r\nok")
    assert answer.count(b"HTTP/1.1 ") == 1


def test_a_head_sent_in_pieces_within_the_time_is_answered(server: Running) -> None:
    with server.connect() as sock:
        sock.sendall(b"GET / HTT")
        time.sleep(0.1)
        sock.sendall(b"P/1.1\r\nHost: x\r\n")
        time.sleep(0.1)
        sock.sendall(b"\r\n")
        answer = read_answer(sock.makefile("rb"))
    assert answer.startswith(b"HTTP/1.1 200 OK\r\n")
    assert answer.endswith(b"\r\n\r\nok")


# --- an answer's head, held for its body, always goes out --------------------------------


def test_head_and_get_pipelined_on_one_connection_are_both_answered(server: Running) -> None:
    with server.connect() as sock:
        sock.sendall(
            b"HEAD / HTTP/1.1\r\nHost: x\r\n\r\n"
            b"GET /empty HTTP/1.1\r\nHost: x\r\n\r\n"
            b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"
        )
        reader = sock.makefile("rb")
        head = read_answer(reader, body=False)
        empty = read_answer(reader)
        full = read_answer(reader)
        sock.settimeout(0.5)
        with pytest.raises(TimeoutError):  # nothing more than the three answers
            sock.recv(1)
    assert head.startswith(b"HTTP/1.1 200 OK\r\n")
    assert b"\r\ncontent-length: 2\r\n" in head
    assert head.endswith(b"\r\n\r\n")
    assert b"\r\ncontent-length: 0\r\n" in empty
    assert empty.endswith(b"\r\n\r\n")
    assert full.endswith(b"\r\n\r\nok")


def test_100_continue_is_sent_before_the_body_comes(server: Running) -> None:
    with server.connect() as sock:
        sock.sendall(
            b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"
        )
        interim = b""
        while not interim.endswith(b"\r\n\r\n"):
            chunk = sock.recv(1)
            assert chunk
            interim += chunk
        assert interim == b"HTTP/1.1 100 Continue\r\n\r\n"
        sock.sendall(b"12345")
        assert read_answer(sock.makefile("rb")).endswith(b"\r\n\r\n5")


# --- queries on the event loop --------------------------------------------------------------


@dataclass
class Generation:
    value: int = 0


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    with Store.open(tmp_path_factory.mktemp("runner") / "store") as store:
        return database_path(store)


@pytest.fixture
def make_runner(database: str) -> Iterator[Any]:
    previous = threading.stack_size()  # a Runner sets its query threads' stack size

    def make(timeout: float, abandon: Any = None) -> Runner:
        return Runner(
            database, timeout, Generation(), retire=lambda: None, abandon=abandon, fast_path=True
        )

    yield make
    threading.stack_size(previous)


def test_a_cheap_job_moves_to_the_event_loop_until_the_next_snapshot(make_runner: Any) -> None:
    runner = make_runner(30.0)
    job = Job(POINT, result_format="csv")

    async def twice() -> list[bytes]:
        first = await runner.run(job)
        for _ in range(2):  # the first run may import and warm up more than a query
            if job not in runner._fast:
                await runner.run(job)
        assert job in runner._fast  # ran in the thread, cheaply: next time on the loop
        loop_thread = threading.get_ident()
        seen: list[int] = []
        original = runner._inline

        def spy(store: Any, job: Job, transport: Any) -> Any:
            seen.append(threading.get_ident())
            return original(store, job, transport)

        runner._inline = spy  # type: ignore[method-assign]
        second = await runner.run(job)
        assert seen == [loop_thread]
        runner.generation.value += 1  # a write: a new snapshot
        third = await runner.run(job)
        assert seen == [loop_thread]  # in the thread again
        return [first.body, second.body, third.body]

    bodies = asyncio.run(twice())
    assert bodies[0].decode().split("\r\n")[:3] == ["l", "Hebei", "河北省"]
    assert bodies[0] == bodies[1] == bodies[2]


def test_a_job_that_runs_away_on_the_event_loop_gets_its_503_from_the_watchdog(
    make_runner: Any,
) -> None:
    abandoned: list[str] = []
    runner = make_runner(0.3, abandon=abandoned.append)
    job = Job(SLOW, result_format="csv")
    runner._fast[job] = None  # as if it had been cheap on this snapshot

    async def blocking() -> bytes:
        ours, client = socket.socketpair()
        client.settimeout(30)
        loop = asyncio.get_running_loop()
        transport, _ = await loop.connect_accepted_socket(asyncio.Protocol, ours)
        answer = await runner.run(job, transport)  # on the loop: blocks it for the query
        assert answer.body.startswith(b"n\r\n")  # the query ends here (no process exit)
        with client:
            return read_all(client)

    answer = asyncio.run(blocking())
    assert abandoned and "ran past --timeout 0.3 s" in abandoned[0]
    assert answer.startswith(b"HTTP/1.1 503 Service Unavailable\r\n")
    assert b"\r\nconnection: close\r\n" in answer
    assert answer.endswith(
        b"the server's limit of 0.3 s and was stopped; make it more "
        b"selective (add a LIMIT or more patterns), or start the server "
        b"with a larger --timeout\n"
    )
    assert runner.retiring


def test_a_result_over_the_limit_is_refused_on_the_event_loop_too(make_runner: Any) -> None:
    runner = make_runner(30.0)
    job = Job(POINT, result_format="csv", max_bytes=10)

    async def answers() -> list[int]:
        statuses = []
        for _ in range(4):  # in the thread until it is known cheap, then on the loop
            on_loop = job in runner._fast
            try:
                await runner.run(job)
            except JobError as error:
                statuses.append(error.status)
                assert "larger than the server's limit of 10 bytes" in error.message
            if on_loop:
                return statuses
        raise AssertionError("the job never ran on the event loop")

    assert set(asyncio.run(answers())) == {413}
