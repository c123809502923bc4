"""The remote store (``--store http://…``) against a real ``oxigraph serve`` on loopback.

- The same commands give the same results on a server as on the embedded store: load, remove,
  query, sparql, export, stats, validate, reason and link (outputs compared after the two
  things that differ between any two stores: blank-node labels and the links' timestamps).
- Each source is written as one Graph Store PUT; a failed write leaves the old version.
- Authentication from the environment, never printed; timeouts; bounded retries; one-line
  errors when the server is down, never answers, answers garbage or fails (HTTP 500) — each
  against a real loopback listener started here.

(The stored-question suite, tests/test_queries.py, runs on both backends too.)
"""

from __future__ import annotations

import base64
import http.server
import os
import re
import shlex
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner, Result

from pledgegraph.cli import main
from pledgegraph.graph.remote import RemoteStore, is_remote
from pledgegraph.graph.store import FILE_GRAPH, Store
from pledgegraph.loaders.factsheet import parse_factsheet
from pledgegraph.ontology import REFERENCE_GRAPH, SOURCE_GRAPH

SHEET = """
source:
  url: https://example.org/news/shenzhen-ai-plan
  key: example-shenzhen
  title: Shenzhen sets AI goals
  publisher: Example Daily
  published: 2021-03-05
pledges:
  - region: Shenzhen
    authority: Shenzhen municipal government
    plan: AI action plan
    deadline: 2025-06
    sector: ai
    targets:
      - kind: firms
        quantity: 10
        bound: min
      - kind: parks
        quantity: [1, 3]
        approximate: true
        deadline: 2023
  - region: CN-GZ
    sector: blockchain
    deadline: 2024
    targets:
      - kind: funds
        quantity: 2
"""

TURTLE = """@prefix schema: <https://schema.org/> .
<#note> schema:name "a note with a relative IRI" ; schema:about <https://w3id.org/pledgegraph/id/region/CN-HE> .
_:b schema:name "a blank node" .
"""

STAMP = re.compile(r'"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)"')


def invoke(store: str, *args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, ["--store", store, *args], catch_exceptions=False, env=env)


def canonical(nquads: str) -> list[str]:
    """N-Quads with blank nodes relabelled canonically and link timestamps fixed, sorted."""
    text = STAMP.sub('"2000-01-01T00:00:00Z"', nquads)
    dataset = ox.Dataset(ox.parse(text.encode("utf-8"), ox.RdfFormat.N_QUADS))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted(str(q) for q in dataset)


def canonical_rdf(text: str, fmt: ox.RdfFormat) -> list[str]:
    quads = ox.parse(STAMP.sub('"2000-01-01T00:00:00Z"', text).encode("utf-8"), fmt)
    return canonical(ox.serialize(list(quads), format=ox.RdfFormat.N_QUADS).decode("utf-8"))


# --- the same results on both backends --------------------------------------------------------


def _scenario(store: str, files: Path) -> dict[str, object]:
    """Run every command on ``store``; what each printed (normalised where stores differ)."""
    out: dict[str, object] = {}

    def run(name: str, *args: str, rdf: ox.RdfFormat | None = None) -> None:
        result = invoke(store, *args)
        assert result.exit_code in (0, 1), (name, result.stderr)
        text = result.stdout.replace(store, "STORE")
        if rdf is None:  # (blank-node labels differ between any two stores)
            text = STAMP.sub('"2000-01-01T00:00:00Z"', re.sub(r"_:[A-Za-z0-9]+", "_:b", text))
        out[name] = (
            result.exit_code,
            canonical_rdf(text, rdf) if rdf is not None else text,
            re.sub(r"\d+\.\d\d s", "T s", result.stderr.replace(store, "STORE")),
        )

    run("stats-first", "stats", "--json")
    run("load-sheet", "load", str(files / "shenzhen.pledges.yaml"))
    run("load-ttl", "load", str(files / "note.ttl"))
    run("reload-sheet", "load", str(files / "shenzhen.pledges.yaml"))
    for name in ("parks-by-year", "totals-by-kind", "sources", "provenance", "region-hierarchy"):
        run(f"query {name}", "query", name, "-f", "json")
    run("sparql", "sparql", "SELECT ?s ?name WHERE { ?s schema:name ?name } ORDER BY ?name")
    run("construct", "sparql", "CONSTRUCT WHERE { ?s schema:about ?o }", rdf=ox.RdfFormat.TURTLE)
    run("ask", "sparql", "ASK { ?s schema:name 'a blank node' }")
    run("validate", "validate", "-f", "json")
    run("reason", "reason")
    run("query reason-any-park", "query", "reason-any-park", "-f", "json")
    run("query --no-inferred", "query", "reason-any-park", "-f", "json", "--no-inferred")
    run("reason again", "reason")
    run("link", "link")
    run("export nquads", "export", "-f", "nquads", rdf=ox.RdfFormat.N_QUADS)
    run("export turtle", "export", "-f", "turtle", rdf=ox.RdfFormat.TURTLE)
    run("export trig", "export", "-f", "trig", rdf=ox.RdfFormat.TRIG)
    run("export jsonld", "export", "-f", "jsonld")
    run("export graph", "export", "--graph", SOURCE_GRAPH + "example-shenzhen", "-f", "ntriples")
    run("remove", "remove", "example-shenzhen")
    gone = invoke(store, "remove", "example-shenzhen")
    out["remove again"] = (gone.exit_code, gone.stderr.replace(store, "STORE"))
    opened = RemoteStore.connect(store) if is_remote(store) else Store.open(store)
    try:
        out["stale after remove"] = opened.inferred_is_stale()
        out["remove_source"] = (
            opened.remove_source(FILE_GRAPH + "note-ttl"),
            opened.remove_source(FILE_GRAPH + "note-ttl"),
        )
    finally:
        opened.close()
    run("stats-last", "stats", "--json")
    run("export after remove", "export", "-f", "nquads", rdf=ox.RdfFormat.N_QUADS)
    return out


@pytest.fixture
def files(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "shenzhen.pledges.yaml").write_text(SHEET, encoding="utf-8")
    (folder / "note.ttl").write_text(TURTLE, encoding="utf-8")
    return folder


def test_every_command_gives_the_same_results_on_a_server(
    oxigraph_server: Callable[[], str], files: Path, tmp_path: Path
) -> None:
    embedded = _scenario(str(tmp_path / "store"), files)
    remote = _scenario(oxigraph_server(), files)
    assert embedded.keys() == remote.keys()
    for step in embedded:
        assert remote[step] == embedded[step], step
    # and the scenario did something: the source was there, then removed; data went in
    assert embedded["remove_source"] == (True, False)
    assert embedded["remove again"][0] == 2
    assert "example-shenzhen" in str(embedded["export graph"])
    assert "a relative IRI" in str(embedded["sparql"])


def test_union_by_dataset_parameters_gives_the_same_answers(
    oxigraph_server: Callable[[], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The portable way (every graph as default-graph-uri / named-graph-uri) = Oxigraph's own."""
    url = oxigraph_server()
    answers = {}
    for mode in ("param", "graphs"):
        monkeypatch.setenv("PLEDGEGRAPH_STORE_UNION", mode)
        result = invoke(url, "query", "totals-by-kind", "-f", "csv")
        assert result.exit_code == 0, result.stderr
        answers[mode] = result.stdout
    assert answers["param"] == answers["graphs"]
    assert answers["param"].count("\n") > 3


def test_a_new_server_is_filled_on_first_use_once(oxigraph_server: Callable[[], str]) -> None:
    url = oxigraph_server()
    first = RemoteStore.connect(url)
    size = first.count()
    assert first.is_initialised() and size > 1000
    second = RemoteStore.connect(url)  # already filled: nothing added
    assert second.count() == size
    assert "https://w3id.org/pledgegraph/graph/state" not in second.graphs()


# --- a proxy that records (and can break) what the client sends -------------------------------


class Proxy:
    """A loopback HTTP proxy in front of a server: records requests; ``fail`` may answer."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self.requests: list[tuple[str, str, dict[str, str], bytes]] = []
        self.fail: Callable[[str, str, bytes], tuple[int, str, bytes] | str | None] = (
            lambda method, path, body: None
        )
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                proxy.requests.append((self.command, self.path, dict(self.headers), body))
                canned = proxy.fail(self.command, self.path, body)
                if canned == "drop":
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                extra: dict[str, str] = {}
                if isinstance(canned, tuple):
                    status, kind, data = canned[:3]
                    extra = canned[3] if len(canned) > 3 else {}  # type: ignore[misc]
                else:
                    status, kind, data = self._forward(body)
                self.send_response(status)
                self.send_header("Content-Type", kind)
                for name, value in extra.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _forward(self, body: bytes) -> tuple[int, str, bytes]:
                request = urllib.request.Request(
                    proxy.upstream + self.path, data=body or None, method=self.command
                )
                for name in ("Content-Type", "Accept"):
                    if self.headers.get(name):
                        request.add_header(name, self.headers[name])
                try:
                    with urllib.request.urlopen(request, timeout=30) as response:
                        return (
                            response.status,
                            response.headers.get("Content-Type") or "",
                            response.read(),
                        )
                except urllib.error.HTTPError as error:
                    return error.code, error.headers.get("Content-Type") or "", error.read()

            do_GET = do_POST = do_PUT = do_DELETE = _any

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def methods(self) -> list[tuple[str, str]]:
        return [(method, path.split("?")[0]) for method, path, _, _ in self.requests]


@pytest.fixture
def proxy(oxigraph_server: Callable[[], str]) -> Iterator[Proxy]:
    front = Proxy(oxigraph_server())
    yield front
    front.close()


def test_a_source_is_replaced_by_one_update(proxy: Proxy, files: Path) -> None:
    """The whole write (the old graph dropped, the new one, its reference quads) is one request."""
    sheet = str(files / "shenzhen.pledges.yaml")
    assert invoke(proxy.url, "load", sheet).exit_code == 0
    proxy.requests.clear()
    unchanged = invoke(proxy.url, "load", sheet)  # the same sheet again: nothing written
    assert unchanged.stderr.startswith("unchanged "), unchanged.stderr
    assert not [path for _, path, _, _ in proxy.requests if path == "/update"]
    (files / "shenzhen.pledges.yaml").write_text(
        SHEET.replace("quantity: 10", "quantity: 11"), encoding="utf-8"
    )
    proxy.requests.clear()
    result = invoke(proxy.url, "load", sheet)
    assert result.exit_code == 0, result.stderr
    assert not [path for method, path, _, _ in proxy.requests if method in ("PUT", "DELETE")]
    updates = [body.decode() for method, path, _, body in proxy.requests if path == "/update"]
    graph = SOURCE_GRAPH + "example-shenzhen"
    writes = [u for u in updates if f"GRAPH <{graph}> {{" in u]
    assert len(writes) == 1
    assert f"DROP SILENT GRAPH <{graph}>" in writes[0]
    assert f"GRAPH <{REFERENCE_GRAPH}> {{" in writes[0]
    assert "Example Daily" in writes[0]  # the publisher (a shared node) goes with it


def test_a_failed_write_leaves_the_old_version(proxy: Proxy, files: Path) -> None:
    sheet = files / "shenzhen.pledges.yaml"
    assert invoke(proxy.url, "load", str(sheet)).exit_code == 0
    before = invoke(proxy.url, "export", "-f", "nquads").stdout
    sheet.write_text(SHEET.replace("quantity: 10", "quantity: 11"), encoding="utf-8")
    proxy.fail = lambda method, path, body: (
        (500, "text/plain", b"disk full") if b"example-shenzhen> {" in body else None
    )
    result = invoke(proxy.url, "load", str(sheet))
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {proxy.url}: the SPARQL server answered HTTP 500 to the update (disk full); "
        "check the server's log and try again later\n"
    )
    proxy.fail = lambda method, path, body: None
    assert invoke(proxy.url, "export", "-f", "nquads").stdout == before


def test_a_query_cut_off_is_retried_an_update_is_not(proxy: Proxy) -> None:
    assert invoke(proxy.url, "stats").exit_code == 0  # filled
    dropped: list[str] = []

    def drop_first(method: str, path: str, body: bytes) -> str | None:
        if not dropped:
            dropped.append(path)
            return "drop"
        return None

    proxy.fail = drop_first
    proxy.requests.clear()
    result = invoke(proxy.url, "query", "parks-by-year", "-f", "csv")
    assert result.exit_code == 0, result.stderr
    assert "CN-HE" in result.stdout
    assert proxy.methods()[:2] == [("POST", "/query"), ("POST", "/query")]  # the same, again

    store = RemoteStore.connect(proxy.url)
    dropped.clear()
    proxy.requests.clear()
    from pledgegraph.graph.remote import UnconfirmedWrite

    with pytest.raises(UnconfirmedWrite) as raised:  # exit 3, not "nothing changed"
        store.inner.update("INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }")
    assert proxy.methods() == [("POST", "/update")]  # not sent twice: it may have been applied
    assert str(raised.value) == (
        f"{proxy.url}: the connection to the SPARQL server failed (Remote end closed "
        "connection without response), so an update request may have been applied or not "
        "(the server applies it whole or not at all: the store holds the old version or the "
        "new one); run 'pledgegraph stats --graphs' to see which, or run the command again"
    )


# --- authentication ----------------------------------------------------------------------------


def _guarded(proxy: Proxy, expected: str) -> None:
    def check(method: str, path: str, body: bytes) -> tuple[int, str, bytes] | None:
        headers = proxy.requests[-1][2]
        if headers.get("Authorization") != expected:
            return 401, "text/plain", b"who are you?"
        return None

    proxy.fail = check


def test_bearer_token_from_the_environment_never_printed(proxy: Proxy) -> None:
    _guarded(proxy, "Bearer s3cret-token")
    good = invoke(
        proxy.url, "query", "parks-by-year", env={"PLEDGEGRAPH_STORE_TOKEN": "s3cret-token"}
    )
    assert good.exit_code == 0, good.stderr
    assert all(h.get("Authorization") == "Bearer s3cret-token" for _, _, h, _ in proxy.requests)
    bad = invoke(proxy.url, "stats", env={"PLEDGEGRAPH_STORE_TOKEN": "wrong-token"})
    assert bad.exit_code == 2
    assert bad.stderr == (
        f"Error: {proxy.url}: the SPARQL server refused the query (HTTP 401); set "
        "PLEDGEGRAPH_STORE_TOKEN, or PLEDGEGRAPH_STORE_USER and PLEDGEGRAPH_STORE_PASSWORD, "
        "to credentials it accepts\n"
    )
    assert "wrong-token" not in bad.stdout + bad.stderr


def test_basic_auth_from_the_environment(proxy: Proxy) -> None:
    expected = "Basic " + base64.b64encode(b"ana:pa ss:word").decode()
    _guarded(proxy, expected)
    env = {"PLEDGEGRAPH_STORE_USER": "ana", "PLEDGEGRAPH_STORE_PASSWORD": "pa ss:word"}
    result = invoke(proxy.url, "stats", env=env)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"store:    {proxy.url}\n")


def test_credentials_in_the_url_are_refused_without_showing_them() -> None:
    result = invoke("http://ana:hunter2@127.0.0.1:9/sparql/", "stats")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: http://127.0.0.1:9/sparql/: credentials in the store URL are not accepted (they "
        "would show in logs); set PLEDGEGRAPH_STORE_TOKEN, or PLEDGEGRAPH_STORE_USER and "
        "PLEDGEGRAPH_STORE_PASSWORD, instead\n"
    )
    assert "hunter2" not in result.stderr


# --- servers that are down, silent, broken or not SPARQL servers -----------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_server_down_is_one_line_after_bounded_retries() -> None:
    url = f"http://127.0.0.1:{_free_port()}/"
    started = time.monotonic()
    result = invoke(url, "query", "parks-by-year")
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {url}: cannot connect to the SPARQL server (connection refused); check that the "
        "server is running and the store URL is right\n"
    )
    assert 1.2 < time.monotonic() - started < 10  # three retries (0.2 + 0.4 + 0.8 s), no more


def test_server_that_comes_up_during_the_retries(oxigraph_server: Callable[[], str]) -> None:
    upstream = oxigraph_server()
    port = _free_port()
    holder: list[Proxy] = []

    def later() -> None:
        time.sleep(0.3)
        front = Proxy(upstream)
        front.server.server_close()  # rebind the same handler on the chosen port
        front.server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", port), front.server.RequestHandlerClass
        )
        threading.Thread(target=front.server.serve_forever, daemon=True).start()
        holder.append(front)

    thread = threading.Thread(target=later)
    thread.start()
    try:
        result = invoke(f"http://127.0.0.1:{port}/", "query", "parks-by-year", "-f", "csv")
    finally:
        thread.join()
    assert result.exit_code == 0, result.stderr
    assert "CN-HN" in result.stdout
    holder[0].close()


def test_server_that_never_answers_times_out() -> None:
    with socket.socket() as listener:  # accepts connections (the backlog), never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/"
        started = time.monotonic()
        result = invoke(url, "stats", env={"PLEDGEGRAPH_STORE_TIMEOUT": "0.5"})
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {url}: no answer from the SPARQL server within 0.5 s; check that the server is "
        "running, or raise PLEDGEGRAPH_STORE_TIMEOUT\n"
    )
    assert time.monotonic() - started < 5  # a timeout is not retried


class _Dribbler:
    """A loopback server that answers every connection one byte a second: the headers first
    (``body``), or the status line itself (``headers``), for as long as it is let."""

    def __init__(self, part: str) -> None:
        self.part = part
        self.stop = threading.Event()
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(8)
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}/"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(connection,), daemon=True).start()

    def _answer(self, connection: socket.socket) -> None:
        head = b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n\r\n"
        with connection:
            try:
                connection.recv(65536)
                if self.part == "body":
                    connection.sendall(head)
                for byte in head if self.part == "headers" else b" " * 600:
                    if self.stop.wait(1):
                        return
                    connection.sendall(bytes([byte]))
            except OSError:
                return

    def close(self) -> None:
        self.stop.set()
        self.listener.close()


@pytest.mark.parametrize("part", ["body", "headers"])
def test_a_server_dribbling_its_answer_is_cut_at_the_store_timeout(part: str) -> None:
    """PLEDGEGRAPH_STORE_TIMEOUT bounds the whole answer, not each read (issue 9: a byte a
    second kept ``stats`` waiting 150 s with a timeout of 5 s)."""
    dribbler = _Dribbler(part)
    try:
        started = time.monotonic()
        result = subprocess.run(
            [str(Path(sys.executable).parent / "pledgegraph"), "--store", dribbler.url, "stats"],
            env={**os.environ, "PLEDGEGRAPH_STORE_TIMEOUT": "2"},
            capture_output=True,
            text=True,
            timeout=60,
        )
        elapsed = time.monotonic() - started
    finally:
        dribbler.close()
    assert result.returncode == 2
    assert result.stderr == (
        f"Error: {dribbler.url}: no answer from the SPARQL server within 2 s; check that the "
        "server is running, or raise PLEDGEGRAPH_STORE_TIMEOUT\n"
    )
    assert elapsed < 12  # 2 s and the start of the process; before the fix: minutes


def _canned(status: int, kind: str, body: bytes) -> Proxy:
    front = Proxy("http://127.0.0.1:9")
    front.fail = lambda method, path, data: (status, kind, body)
    return front


@pytest.mark.parametrize(
    ("status", "kind", "body", "message"),
    [
        (
            200,
            "text/html",
            b"<html><body>Welcome to nginx!</body></html>",
            "the server's answer (text/html) is not SPARQL results; check that the store URL "
            "is a SPARQL 1.1 server's base URL",
        ),
        (
            200,
            "application/sparql-results+json",
            b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": ',
            "the server's answer (application/sparql-results+json) is not SPARQL results: ",
        ),
        (
            500,
            "text/plain",
            b"internal error\nstack trace...",
            "the SPARQL server answered HTTP 500 to the query (internal error); check the "
            "server's log and try again later",
        ),
        (
            404,
            "text/html",
            b"<h1>Not Found</h1>",
            "the SPARQL server answered HTTP 404 to the query; check the store URL: it must be "
            "the server's base URL (or set the endpoint URLs)",
        ),
    ],
    ids=["html", "truncated-json", "http-500", "http-404"],
)
def test_server_answering_garbage_is_one_line(
    status: int, kind: str, body: bytes, message: str
) -> None:
    front = _canned(status, kind, body)
    try:
        result = invoke(front.url, "query", "parks-by-year")
    finally:
        front.close()
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {front.url}: {message}")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert len(front.requests) == 1  # answered, so not retried


def test_store_path_that_is_not_a_url_stays_a_directory(tmp_path: Path) -> None:
    assert not is_remote(str(tmp_path))
    assert is_remote("HTTPS://example.org/sparql/")
    result = invoke(str(tmp_path / "store"), "stats", "--json")
    assert result.exit_code == 0
    assert f'"store": "{tmp_path / "store"}"' in result.stdout


def test_backup_of_a_remote_store_is_refused(
    oxigraph_server: Callable[[], str], tmp_path: Path
) -> None:
    url = oxigraph_server()
    result = invoke(url, "backup", str(tmp_path / "copy"))
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {url}: a remote store is backed up by its server, not by pledgegraph; use the "
        "server's backup tool, or 'pledgegraph export -f nquads'\n"
    )


def test_library_load_on_a_server(oxigraph_server: Callable[[], str]) -> None:
    store = RemoteStore.connect(oxigraph_server())
    report = store.load_factsheet(parse_factsheet(SHEET, path="s.pledges.yaml"))
    assert report.graph == SOURCE_GRAPH + "example-shenzhen" and not report.replaced
    again = store.load_factsheet(parse_factsheet(SHEET, path="s.pledges.yaml"))
    assert again.unchanged and not again.replaced and again.quads == report.quads
    changed = SHEET.replace("quantity: 10", "quantity: 11")
    again = store.load_factsheet(parse_factsheet(changed, path="s.pledges.yaml"))
    assert again.replaced and again.quads == report.quads


def test_readme_remote_example_runs(
    oxigraph_server: Callable[[], str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worked example of README's "Remote store" runs as written (on a server started here)."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Remote store", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    assert "oxigraph serve" in block and "PLEDGEGRAPH_STORE=http://" in block
    lines = [line for line in block.splitlines() if line.startswith("pledgegraph ")]
    assert len(lines) >= 4
    monkeypatch.chdir(tmp_path)
    # (the sheet the README's extraction example writes; a made-up one here)
    (tmp_path / "article.pledges.yaml").write_text(SHEET, encoding="utf-8")
    url = oxigraph_server()
    for line in lines:
        result = CliRunner().invoke(
            main,
            shlex.split(line, comments=True)[1:],
            env={"PLEDGEGRAPH_STORE": url},
            catch_exceptions=False,
        )
        assert result.exit_code == 0, (line, result.stderr)
    assert "example-shenzhen" in (tmp_path / "graph.nq").read_text(encoding="utf-8")


def test_a_syntax_error_is_the_servers_message_at_the_users_line(
    oxigraph_server: Callable[[], str],
) -> None:
    url = oxigraph_server()
    result = invoke(url, "sparql", "SELECT ?x WHERE { ?x ?y }")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"Error: {url}: the SPARQL server rejected the query (error at 1:26: "
    )  # (the predeclared prefixes sent in front of the query are not counted)
    assert result.stderr.endswith("; fix the query (see https://www.w3.org/TR/sparql11-query/)\n")


def test_an_allowed_service_is_called_by_the_server(oxigraph_server: Callable[[], str]) -> None:
    """The allow-list is checked here; the server makes the call (no loopback relay for it)."""
    other = oxigraph_server()
    request = urllib.request.Request(
        other + "update",
        data=b'INSERT DATA { <urn:x:s> <urn:x:p> "from the other server" }',
        headers={"Content-Type": "application/sparql-update"},
        method="POST",
    )
    urllib.request.urlopen(request, timeout=10).close()
    url = oxigraph_server()
    query = f"SELECT ?o WHERE {{ SERVICE <{other}query> {{ ?s ?p ?o }} }}"
    refused = invoke(url, "sparql", query)
    assert refused.exit_code == 2
    assert refused.stderr.startswith(f"Error: query: SERVICE <{other}query> is not allowed; ")
    allowed = invoke(url, "sparql", "--allow-service", other + "query", query)
    assert allowed.exit_code == 0, allowed.stderr
    assert allowed.stdout == '?o\n"from the other server"\n'


def test_a_redirect_is_not_followed_so_credentials_stay_home(
    oxigraph_server: Callable[[], str],
) -> None:
    elsewhere = Proxy(oxigraph_server())  # would answer, and records what reaches it
    front = Proxy("http://127.0.0.1:9")
    front.fail = lambda method, path, data: (
        302,
        "text/plain",
        b"",
        {"Location": elsewhere.url + path.lstrip("/")},
    )
    try:
        result = invoke(front.url, "stats", env={"PLEDGEGRAPH_STORE_TOKEN": "s3cret"})
    finally:
        front.close()
        elsewhere.close()
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {front.url}: the SPARQL server answered HTTP 302 to the query; give the address "
        "it redirects to as the store URL (redirects are not followed)\n"
    )
    assert elsewhere.requests == []


def test_restore_into_a_remote_store_is_refused(
    oxigraph_server: Callable[[], str], tmp_path: Path
) -> None:
    url = oxigraph_server()
    result = invoke(url, "restore", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {url}: a remote store is restored by its server, not by pledgegraph; use the "
        "server's restore tool, or 'pledgegraph import' into an empty server\n"
    )
    assert not Path("http:").exists()
