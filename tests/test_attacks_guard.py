"""Issue 9, "Requests the user did not allow": the SERVICE guard and the HTTP client, attacked.

Every network test uses a real listener on a loopback port (never the internet): a recorder
that answers empty SPARQL results and remembers each path it was asked for, a server that
dribbles one byte a second, a huge answer, and redirects.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest

from pledgegraph.errors import QueryError, StoreError
from pledgegraph.graph.linking.http import HttpFailure, forward, sparql_select
from pledgegraph.graph.query import run
from pledgegraph.graph.store import Store

EMPTY = b'{"head":{"vars":[]},"results":{"bindings":[{}]}}'


class Listener:
    """A loopback HTTP server; ``mode`` says how it answers, ``paths`` what it was asked."""

    def __init__(self, mode: str = "record") -> None:
        self.mode = mode
        self.paths: list[str] = []
        self.target = ""  # where "redirect" points
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                listener.paths.append(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                listener.reply(self)

            do_GET = _answer
            do_POST = _answer

            def log_message(self, format: str, *args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def reply(self, handler: BaseHTTPRequestHandler) -> None:
        try:
            if self.mode == "dribble":  # headers, then one byte a second, for ever
                handler.send_response(200)
                handler.send_header("Content-Type", "application/sparql-results+json")
                handler.end_headers()
                for _ in range(600):
                    handler.wfile.write(b" ")
                    handler.wfile.flush()
                    time.sleep(1)
                return
            if self.mode == "dribble-headers":  # the status line itself, a byte a second
                for byte in b"HTTP/1.1 200 OK\r\n" * 40:
                    handler.wfile.write(bytes([byte]))
                    handler.wfile.flush()
                    time.sleep(1)
                return
            if self.mode in ("huge", "huge-unsized"):
                size = 3 << 20
                handler.send_response(200)
                handler.send_header("Content-Type", "application/sparql-results+json")
                if self.mode == "huge":
                    handler.send_header("Content-Length", str(size))
                handler.end_headers()
                for _ in range(size >> 16):
                    handler.wfile.write(b" " * (1 << 16))
                return
            if self.mode == "error-page":  # a long error page with terminal escapes
                page = b"\x1b[31mboom\x1b[0m\nline two " + b"y" * 100_000
                handler.send_response(500)
                handler.send_header("Content-Type", "text/plain")
                handler.send_header("Content-Length", str(len(page)))
                handler.end_headers()
                handler.wfile.write(page)
                return
            if self.mode == "redirect":
                handler.send_response(302)
                handler.send_header("Location", self.target)
                handler.send_header("Content-Length", "0")
                handler.end_headers()
                return
            handler.send_response(200)
            handler.send_header("Content-Type", "application/sparql-results+json")
            handler.send_header("Content-Length", str(len(EMPTY)))
            handler.end_headers()
            handler.wfile.write(EMPTY)
        except OSError:
            return

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


@pytest.fixture
def bare() -> Store:
    return Store.memory(initialise=False)


def _refused(store: Store, sparql: str, allowed: tuple[str, ...] = ()) -> str:
    with pytest.raises(QueryError) as caught:
        result = run(store, sparql, allow_service=allowed)
        list(result)  # type: ignore[call-overload]  # lazy results: evaluate
    return caught.value.message


# --- 1 and 2: no SERVICE request the user did not allow -------------------------------------


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ SERVICE <{base}/sparql> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ OPTIONAL {{ service <{base}/lower> {{ ?s ?p ?o }} }} }}",
        "SELECT * WHERE {{ SERVICE SILENT <{base}/silent> {{ ?s ?p ?o }} }}",
        "PREFIX e: <{base}/> SELECT * WHERE {{ SERVICE e:prefixed {{ ?s ?p ?o }} }}",
        "BASE <{base}/b/> SELECT * WHERE {{ SERVICE <relative> {{ ?s ?p ?o }} }}",
        "BASE <{base}/b/x/> SELECT * WHERE {{ SERVICE <../dots> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ SERVICE <{base}/u\\u0065sc> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ SERVICE <{base}/U\\U00000065sc> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ VALUES ?e {{ <{base}/var> }} SERVICE ?e {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ FILTER EXISTS {{ SERVICE <{base}/exists> {{ }} }} }}",
        "SELECT * WHERE {{ {{ SELECT * {{ SERVICE <{base}/sub> {{ }} }} }} }}",
        "ASK {{ SERVICE <{base}/ask> {{ }} }}",
        "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{base}/construct> {{ ?s ?p ?o }} }}",
        # a local name with an escaped '#': a tokenizer that takes it for a comment misses
        # the SERVICE after it
        "PREFIX e: <{base}/> SELECT * {{ ?s ?p e:a\\#. SERVICE <{base}/esc> {{ }} }}",
        "SELECT * {{ BIND('\\u0027' AS ?x) SERVICE <{base}/quote> {{ }} }}",
        "SELECT * {{ SERVICE<{base}/nospace>{{}} }}",
        "SELECT * {{ SERVICE#comment\n<{base}/comment>{{}} }}",
        "PREFIX : <{base}/> SELECT * {{ SERVICE :empty {{}} }}",
        "PREFIX e: <http://a.example/> PREFIX e: <{base}/> SELECT * {{ SERVICE e:again {{}} }}",
        "SELECT * {{ ?s ?p ?o.SERVICE <{base}/dotvar> {{}} }}",
        "SELECT * {{ {{ SERVICE <{base}/j> {{}} }} UNION {{ GRAPH ?g {{ SERVICE <{base}/k> {{}} }} }} }}",
        "SELECT * {{ ?s ?p ?o MINUS {{ SERVICE <{base}/minus> {{ ?s ?p ?o }} }} }}",
        "SELECT * {{ ?s ?p '''x\\''' . SERVICE <{base}/longstring> {{}} }}",
    ],
)
def test_no_request_leaves_without_permission(
    bare: Store, listener: Listener, template: str
) -> None:
    bare.inner.add(ox.Quad(ox.NamedNode("http://a/s"), ox.NamedNode("http://a/p"), ox.Literal("o")))
    query = template.format(base=listener.base)
    message = _refused(bare, query, allowed=(listener.base + "/allowed",))
    assert listener.paths == []
    assert "SERVICE" in message


def test_the_refusal_names_the_endpoint(bare: Store, listener: Listener) -> None:
    url = f"{listener.base}/sparql"
    assert _refused(bare, f"SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}") == (
        f"query: SERVICE <{url}> is not allowed; pass --allow-service URL or set PLEDGEGRAPH_ALLOW_SERVICE"
    )
    escaped = f"SELECT * {{ SERVICE <{listener.base}/u\\u0065sc> {{ ?s ?p ?o }} }}"
    assert _refused(bare, escaped, allowed=(f"{listener.base}/uesc",)) == (
        "query: a query with SERVICE may not use \\u or \\U escapes; "
        "write the characters themselves"
    )
    assert listener.paths == []


def test_an_allowed_service_is_reached_through_the_relay(bare: Store, listener: Listener) -> None:
    url = f"{listener.base}/sparql"
    for query in (
        f"SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"PREFIX e: <{listener.base}/> SELECT * {{ SERVICE e:sparql {{ ?s ?p ?o }} }}",
        f"BASE <{listener.base}/x/> SELECT * {{ SERVICE SILENT <../sparql> {{ ?s ?p ?o }} }}",
    ):
        result = run(bare, query, allow_service=[url])
        assert isinstance(result, ox.QuerySolutions)
        assert len(list(result)) == 1
    assert listener.paths == ["/sparql", "/sparql", "/sparql"]


def test_words_that_only_look_like_service_are_not_refused(bare: Store) -> None:
    for query in (
        "SELECT ?service WHERE { ?service ?p ?o }",
        'SELECT * WHERE { ?s ?p "SERVICE <http://evil.example/> {}" }',
        "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://evil.example/> {}",
        "SELECT * WHERE { ?s <http://x.example/SERVICE> ?o }",
    ):
        assert list(run(bare, query)) == []  # type: ignore[call-overload]


def _cli(
    *args: str, store: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pledgegraph", "--store", str(store), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture(scope="module")
def cli_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("guard") / "store"
    Store.open(path).close()
    return path


def test_sparql_command_refuses_service_and_honours_the_allow_list(
    cli_store: Path, listener: Listener
) -> None:
    url = f"{listener.base}/sparql"
    query = f"SELECT * WHERE {{ OPTIONAL {{ service <{url}> {{ ?s ?p ?o }} }} }}"
    refused = _cli("sparql", query, store=cli_store)
    assert (refused.returncode, refused.stdout) == (2, "")
    assert refused.stderr == (
        f"Error: query: SERVICE <{url}> is not allowed; pass --allow-service URL or set PLEDGEGRAPH_ALLOW_SERVICE\n"
    )
    assert listener.paths == []
    allowed = _cli("sparql", "--allow-service", url, "-f", "json", query, store=cli_store)
    assert allowed.returncode == 0, allowed.stderr
    assert allowed.stderr == ""  # no stray "PyQuerySolutions is unsendable" at exit
    assert listener.paths == ["/sparql"]


def test_sparql_service_timeout_bounds_a_dribbling_endpoint(cli_store: Path) -> None:
    slow = Listener("dribble")
    try:
        url = f"{slow.base}/sparql"
        started = time.monotonic()
        done = _cli(
            "sparql",
            "--allow-service",
            url,
            "--service-timeout",
            "2",
            f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
            store=cli_store,
        )
        assert time.monotonic() - started < 20
        assert done.returncode == 2
        assert done.stderr == (
            f"Error: SERVICE <{url}>: no answer within 2 s; try again later or raise --service-timeout\n"
        )
    finally:
        slow.close()


# --- 3: the HTTP client: whole-answer deadline, size cap, redirects, bad URLs --------------


@pytest.mark.parametrize("mode", ["dribble", "dribble-headers"])
def test_a_deadline_bounds_the_whole_answer(mode: str) -> None:
    slow = Listener(mode)
    try:
        started = time.monotonic()
        with pytest.raises(HttpFailure) as caught:
            forward(f"{slow.base}/q", timeout=2)
        assert time.monotonic() - started < 4
        assert caught.value.timed_out
        with pytest.raises(StoreError) as failed:
            sparql_select(f"{slow.base}/q", "SELECT * {}", timeout=1.5)
        assert failed.value.message == (
            f"{slow.base}/q: no answer within 1.5 s; try again later or raise --timeout"
        )
    finally:
        slow.close()


@pytest.mark.parametrize("mode", ["huge", "huge-unsized"])
def test_answers_past_the_size_limit_are_refused(
    mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLEDGEGRAPH_MAX_RESPONSE_MB", "1")
    big = Listener(mode)
    try:
        with pytest.raises(StoreError) as caught:
            sparql_select(f"{big.base}/q", "SELECT * {}", timeout=30)
        assert caught.value.message == (
            f"{big.base}/q: the answer is larger than the limit of 1 MB; "
            "ask for less, or set PLEDGEGRAPH_MAX_RESPONSE_MB to raise the limit"
        )
    finally:
        big.close()


def test_redirects_to_another_host_are_not_followed(listener: Listener) -> None:
    hop = Listener("redirect")
    try:
        other = listener.base.replace("127.0.0.1", "localhost")  # same port, another host
        hop.target = f"{other}/sparql"
        with pytest.raises(StoreError) as caught:
            sparql_select(f"{hop.base}/q", "SELECT * {}", timeout=5)
        assert caught.value.message == (
            f"{hop.base}/q: the endpoint redirects to another host ({other}/sparql); "
            "use the URL it redirects to, if you trust that host"
        )
        assert listener.paths == []
    finally:
        hop.close()


def test_same_host_redirects_are_followed_a_few_times() -> None:
    hop = Listener("redirect")
    try:
        hop.target = f"{hop.base}/again"
        status, _, _ = forward(f"{hop.base}/q", timeout=5)  # a loop: stopped after 3 hops
        assert status == 302
        assert hop.paths == ["/q", "/again", "/again", "/again"]
    finally:
        hop.close()


@pytest.mark.parametrize("url", ["http://[::1", "http://host:99999/", "ftp://x/", "http:///x"])
def test_bad_urls_are_one_error_line(cli_store: Path, url: str) -> None:
    link = _cli("link", "--endpoint", url, store=cli_store)
    assert (link.returncode, link.stdout) == (2, "")
    assert link.stderr == (
        f"Error: --endpoint: {url!r} is not an http(s) URL; give the endpoint's full URL, "
        "such as https://query.wikidata.org/sparql\n"
    )
    query = _cli("sparql", "--allow-service", url, "ASK {}", store=cli_store)
    assert query.returncode == 2
    assert query.stderr == (
        f"Error: --allow-service: {url!r} is not an http(s) URL; give the endpoint's full "
        "URL, such as https://query.wikidata.org/sparql\n"
    )


BAVARIA = """
<https://w3id.org/pledgegraph/id/region/DE-BY> a <https://w3id.org/pledgegraph/ontology#Region> ;
  <http://www.w3.org/2000/01/rdf-schema#label> "Bayern"@en ;
  <https://w3id.org/pledgegraph/ontology#isoCode> "DE-BY" .
"""


def test_link_timeout_bounds_a_dribbling_endpoint(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with Store.open(path) as store:  # a region the bundled link table does not know
        store.load_rdf("regions.ttl", data=BAVARIA.encode("utf-8"))
    slow = Listener("dribble")
    try:
        started = time.monotonic()
        done = _cli("link", "--timeout", "3", "--endpoint", f"{slow.base}/q", store=path)
        assert time.monotonic() - started < 25
        assert done.returncode == 2
        assert done.stderr == (
            f"Error: {slow.base}/q: no answer within 3 s; try again later or raise --timeout\n"
        )
    finally:
        slow.close()


def test_the_refusal_is_one_line_even_when_the_checker_frowns(
    cli_store: Path, listener: Listener
) -> None:
    # rdflib logs a warning for the escaped local name; it must not reach the user
    query = f"PREFIX e: <http://x.example/> SELECT * {{ ?s ?p e:x\\~ . SERVICE <{listener.base}/t> {{}} }}"
    done = _cli("sparql", query, store=cli_store)
    assert done.returncode == 2
    assert done.stderr == (
        f"Error: query: SERVICE <{listener.base}/t> is not allowed; "
        "pass --allow-service URL or set PLEDGEGRAPH_ALLOW_SERVICE\n"
    )
    assert listener.paths == []


def test_an_endpoints_error_page_is_one_short_escaped_line(cli_store: Path) -> None:
    broken = Listener("error-page")
    try:
        url = f"{broken.base}/sparql"
        done = _cli(
            "sparql",
            "--allow-service",
            url,
            f"SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
            store=cli_store,
        )
        assert done.returncode == 2
        assert done.stderr.count("\n") == 1 and "\x1b" not in done.stderr
        assert "\\x1b[31mboom\\x1b[0m\\nline two" in done.stderr
        assert len(done.stderr) < 1000
    finally:
        broken.close()


def test_a_tls_handshake_dribbled_a_byte_a_second_is_cut_at_the_deadline() -> None:
    import socket

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    stop = threading.Event()

    def dribble() -> None:
        conn, _ = server.accept()
        with conn:
            while not stop.is_set():
                try:
                    conn.sendall(b"\x16")  # never a whole TLS record
                except OSError:
                    return
                time.sleep(0.5)

    threading.Thread(target=dribble, daemon=True).start()
    try:
        started = time.monotonic()
        with pytest.raises(HttpFailure) as caught:
            forward(f"https://127.0.0.1:{server.getsockname()[1]}/q", timeout=2)
        assert time.monotonic() - started < 4
        assert caught.value.timed_out
    finally:
        stop.set()
        server.close()


def test_scratch_store_queries_go_through_the_same_guard(listener: Listener) -> None:
    from pledgegraph.graph.query import query_scratch

    scratch = ox.Store()
    with pytest.raises(QueryError) as caught:
        query_scratch(
            scratch, f"SELECT * {{ SERVICE <{listener.base}/rule> {{}} }}", where="rule x"
        )
    assert caught.value.message.startswith(f"rule x: SERVICE <{listener.base}/rule> is not allowed")
    assert listener.paths == []
    with pytest.raises(QueryError, match="INSERT is a SPARQL update"):
        query_scratch(scratch, "INSERT DATA { <a:b> <a:c> <a:d> }")
