"""Each write of the remote store is whole or absent on the server, whatever fails in between.

A real ``oxigraph serve`` sits behind a small forwarding proxy started here, which fails (HTTP
500), holds back, or answers late the request a test chooses. Afterwards the store's own
answers are checked: ``stats``, ``pledges-by-country`` (every pledge is counted for its country
only if the shared reference data of its region arrived with it), and removing and reloading the
file. A source is never written without its reference data or its owners note, an error that
may follow an applied write says so (exit 3, never exit 2), and a first use cut off part-way is
finished by the next command.
"""

from __future__ import annotations

import http.server
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pledgegraph.cli import main
from pledgegraph.graph.remote import (
    EXIT_UNCONFIRMED,
    Connection,
    Endpoints,
    RemoteDataset,
    RemoteStore,
)
from pledgegraph.ontology import LINKS_GRAPH, ONTOLOGY_GRAPH, REFERENCE_GRAPH, SOURCE_GRAPH

SHEET = """
source:
  url: https://example.org/news/shenzhen-ai-plan
  key: example-shenzhen
  title: Shenzhen sets AI goals
  publisher: Example Daily
  published: 2021-03-05
pledges:
  - region: Shenzhen
    sector: ai
    deadline: 2025-06
    targets:
      - kind: firms
        quantity: 10
  - region: CN-GZ
    sector: blockchain
    deadline: 2024
    targets:
      - kind: funds
        quantity: 2
"""

GRAPH = SOURCE_GRAPH + "example-shenzhen"

# A quad file that writes two graphs of its own besides its file graph (an owners note).
NQUADS = """<urn:x:a> <https://schema.org/name> "in g1" <urn:x:g1> .
<urn:x:b> <https://schema.org/name> "in g2" <urn:x:g2> .
<urn:x:c> <https://schema.org/name> "in the file's own graph" .
"""

Action = Callable[[str, str, bytes], "tuple[int, bytes] | None"]


class Proxy:
    """A loopback proxy in front of a server. ``before`` may answer instead of the server (or
    hold the request); ``after`` runs once the server has answered, before the client gets it
    (to answer late)."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self.before: Action = lambda method, path, body: None
        self.after: Callable[[str, str, bytes], None] = lambda method, path, body: None
        self.requests: list[tuple[str, str, bytes]] = []
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                proxy.requests.append((self.command, self.path, body))
                canned = proxy.before(self.command, self.path, body)
                if canned is not None:
                    status, data, kind = canned[0], canned[1], "text/plain"
                else:
                    status, kind, data = self._forward(body)
                    proxy.after(self.command, self.path, body)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up (timed out, or was killed)

            def _forward(self, body: bytes) -> tuple[int, str, bytes]:
                request = urllib.request.Request(
                    proxy.upstream + self.path, data=body or None, method=self.command
                )
                for name in ("Content-Type", "Accept"):
                    if self.headers.get(name):
                        request.add_header(name, self.headers[name])
                try:
                    with urllib.request.urlopen(request, timeout=60) as response:
                        kind = response.headers.get("Content-Type") or ""
                        return response.status, kind, response.read()
                except urllib.error.HTTPError as error:
                    return error.code, error.headers.get("Content-Type") or "", error.read()

            do_GET = do_POST = do_PUT = do_DELETE = _any

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def reset(self) -> None:
        self.before = lambda method, path, body: None
        self.after = lambda method, path, body: None

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def proxy(oxigraph_server: Callable[[], str]) -> Iterator[Proxy]:
    front = Proxy(oxigraph_server())
    yield front
    front.close()


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "shenzhen.pledges.yaml").write_text(SHEET, encoding="utf-8")
    (tmp_path / "parts.nq").write_text(NQUADS, encoding="utf-8")
    return tmp_path


def invoke(store: str, *args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, ["--store", store, *args], catch_exceptions=False, env=env)


def writes_to(graph: str) -> Callable[[str, str, bytes], bool]:
    """The requests that write ``graph`` (an update inserting into it)."""
    return lambda method, path, body: method == "POST" and f"GRAPH <{graph}> {{".encode() in body


def answers(url: str) -> dict[str, object]:
    """What the store says: its sources, pledges, and pledges per country."""
    stats = invoke(url, "stats", "--json")
    assert stats.exit_code == 0, stats.stderr
    summary = json.loads(stats.stdout)
    countries = invoke(url, "query", "pledges-by-country", "-f", "json")
    assert countries.exit_code == 0, countries.stderr
    rows = json.loads(countries.stdout)["results"]["bindings"]
    by_country = {row["country"]["value"]: int(row["pledges"]["value"]) for row in rows}
    publisher = invoke(
        url, "sparql", f'ASK {{ GRAPH <{REFERENCE_GRAPH}> {{ ?p ?name "Example Daily" }} }}'
    )
    return {
        "graphs": sorted(g for g in summary["graphs"] if "/graph/source/" in g),
        "pledges": summary["pledges"],
        "by_country": by_country,
        "publisher": publisher.stdout.strip(),
    }


def whole(found: dict[str, object]) -> None:
    """No source without its reference data: every pledge is counted for its country (all
    regions here are Chinese), and a source's publisher is in the reference graph."""
    by_country = found["by_country"]
    assert isinstance(by_country, dict)
    assert sum(by_country.values()) == found["pledges"], found
    assert (GRAPH in found["graphs"]) == (found["publisher"] == "true"), found  # type: ignore[operator]


# --- a load: the source, its reference data and its notes in one request -----------------------


def test_a_server_error_on_the_write_changes_nothing(proxy: Proxy, files: Path) -> None:
    before = answers(proxy.url)
    is_write = writes_to(GRAPH)
    proxy.before = lambda m, p, b: (500, b"disk full") if is_write(m, p, b) else None
    result = invoke(proxy.url, "load", str(files / "shenzhen.pledges.yaml"))
    assert result.exit_code == 2  # the server said no: nothing changed, as exit 2 says
    assert "HTTP 500" in result.stderr and result.stderr.count("\n") == 1
    proxy.reset()
    assert answers(proxy.url) == before
    assert invoke(proxy.url, "load", str(files / "shenzhen.pledges.yaml")).exit_code == 0
    after = answers(proxy.url)
    whole(after)
    assert after["graphs"] == [*before["graphs"], GRAPH]  # type: ignore[misc]
    assert after["pledges"] == before["pledges"] + 2  # type: ignore[operator]


def test_a_write_answered_late_may_have_been_applied(proxy: Proxy, files: Path) -> None:
    """PLEDGEGRAPH_STORE_TIMEOUT=1 and an answer 3 s late: the client cannot know; it says so
    (exit 3), and the store holds the new version whole, which the next commands use."""
    before = answers(proxy.url)
    is_write = writes_to(GRAPH)
    proxy.after = lambda m, p, b: time.sleep(3) if is_write(m, p, b) else None
    result = invoke(
        proxy.url,
        "load",
        str(files / "shenzhen.pledges.yaml"),
        env={"PLEDGEGRAPH_STORE_TIMEOUT": "1"},
    )
    assert result.exit_code == EXIT_UNCONFIRMED == 3
    assert result.stderr == (
        f"Error: {proxy.url}: no answer from the SPARQL server within 1 s, so the write of "
        f"<{GRAPH}> may have been applied or not (the server applies it "
        "whole or not at all: the store holds the old version or the new one); run "
        "'pledgegraph stats --graphs' to see which, or run the command again\n"
    )
    proxy.reset()
    after = answers(proxy.url)
    whole(after)
    assert after["graphs"] == [*before["graphs"], GRAPH]  # type: ignore[misc]
    again = invoke(proxy.url, "load", str(files / "shenzhen.pledges.yaml"))  # safe to repeat
    assert again.exit_code == 0, again.stderr
    assert answers(proxy.url) == after
    assert invoke(proxy.url, "remove", "example-shenzhen").exit_code == 0
    assert answers(proxy.url) == before


def test_a_gateway_error_is_not_taken_for_nothing_changed(proxy: Proxy, files: Path) -> None:
    """A 504 from a gateway in front of the server: the server behind it may have applied it
    (here it did: the gateway passed the write on, then answered 504 instead of its answer)."""
    is_write = writes_to(GRAPH)
    gateway = Proxy(proxy.url)
    gateway.before = lambda m, p, b: (
        (504, b"gateway timeout") if is_write(m, p, b) and _forward(proxy.url, p, b) else None
    )
    try:
        result = invoke(gateway.url, "load", str(files / "shenzhen.pledges.yaml"))
    finally:
        gateway.close()
    assert result.exit_code == 3
    assert "answered HTTP 504, so the write of" in result.stderr
    found = answers(proxy.url)
    whole(found)
    assert GRAPH in found["graphs"]  # type: ignore[operator]


def _forward(url: str, path: str, body: bytes) -> bool:
    request = urllib.request.Request(
        url.rstrip("/") + path,
        data=body,
        method="POST",
        headers={"Content-Type": "application/sparql-update"},
    )
    urllib.request.urlopen(request, timeout=60).close()
    return True


@pytest.mark.parametrize("applied", [False, True], ids=["never-arrives", "arrives-after-kill"])
def test_a_client_killed_mid_write_leaves_either_version(
    proxy: Proxy, files: Path, applied: bool
) -> None:
    """The process is killed (SIGKILL) while its write is held at the proxy; then the write is
    dropped, or passed on to the server. Either way the store is one version, whole."""
    before = answers(proxy.url)
    is_write = writes_to(GRAPH)
    held, release = threading.Event(), threading.Event()

    def hold(method: str, path: str, body: bytes) -> tuple[int, bytes] | None:
        if not is_write(method, path, body):
            return None
        held.set()
        release.wait(30)
        if applied:
            return None  # forwarded to the server, after the client is gone
        return 500, b"the client went away"

    proxy.before = hold
    command = [str(Path(sys.executable).parent / "pledgegraph"), "--store", proxy.url, "load"]
    process = subprocess.Popen(
        [*command, str(files / "shenzhen.pledges.yaml")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=os.environ.copy(),
    )
    try:
        assert held.wait(60), "the write never reached the proxy"
        process.kill()
        process.wait(30)
    finally:
        release.set()
    time.sleep(0.5)  # let the proxy pass the held request on (or not)
    proxy.reset()
    after = answers(proxy.url)
    whole(after)
    if applied:
        assert after["graphs"] == [*before["graphs"], GRAPH]  # type: ignore[misc]
        assert after["pledges"] == before["pledges"] + 2  # type: ignore[operator]
    else:
        assert after == before


@pytest.mark.parametrize(
    ("sig", "code", "how"),
    [(signal.SIGINT, 130, "Ctrl-C"), (signal.SIGTERM, 143, "SIGTERM")],
    ids=["ctrl-c", "sigterm"],
)
def test_a_write_interrupted_while_out_is_not_called_unchanged(
    proxy: Proxy, files: Path, sig: signal.Signals, code: int, how: str
) -> None:
    """Ctrl-C or SIGTERM while the write is at the server: the client cannot know whether it
    was applied (here it was: the proxy passes it on afterwards), so it must not say "the
    store is unchanged"."""
    before = answers(proxy.url)
    is_write = writes_to(GRAPH)
    held, release = threading.Event(), threading.Event()

    def hold(method: str, path: str, body: bytes) -> tuple[int, bytes] | None:
        if is_write(method, path, body):
            held.set()
            release.wait(30)
        return None  # then forwarded to the server

    proxy.before = hold
    command = [str(Path(sys.executable).parent / "pledgegraph"), "--store", proxy.url, "load"]
    process = subprocess.Popen(
        [*command, str(files / "shenzhen.pledges.yaml")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=os.environ.copy(),
    )
    try:
        assert held.wait(60), "the write never reached the proxy"
        process.send_signal(sig)
        _, stderr = process.communicate(timeout=60)
    finally:
        release.set()
    assert process.returncode == code, stderr
    assert stderr.decode() == (
        f"Error: {proxy.url}: stopped by {how}, so the write of <{GRAPH}> may have been "
        "applied or not (the server applies it whole or not at all: the store holds the old "
        "version or the new one); run 'pledgegraph stats --graphs' to see which, or run the "
        "command again\n"
    )
    time.sleep(0.5)  # let the proxy pass the held request on
    proxy.reset()
    after = answers(proxy.url)
    whole(after)
    assert after["graphs"] == [*before["graphs"], GRAPH]  # type: ignore[misc]


# --- a quad file: its graphs and its owners note together --------------------------------------


def _parts(url: str) -> list[str]:
    result = invoke(url, "stats", "--json")
    return sorted(g for g in json.loads(result.stdout)["graphs"] if g.startswith("urn:x:"))


def test_a_quad_file_is_never_left_without_its_owners_note(proxy: Proxy, files: Path) -> None:
    """The owners note (which graphs the file wrote) goes in the write itself: a failed write
    leaves no unowned graph, and an unconfirmed one can be reloaded and removed."""
    path = str(files / "parts.nq")
    is_write = writes_to("urn:x:g1")
    proxy.before = lambda m, p, b: (500, b"no") if is_write(m, p, b) else None
    failed = invoke(proxy.url, "load", path)
    assert failed.exit_code == 2
    proxy.reset()
    assert _parts(proxy.url) == []
    proxy.after = lambda m, p, b: time.sleep(3) if is_write(m, p, b) else None
    late = invoke(proxy.url, "load", path, env={"PLEDGEGRAPH_STORE_TIMEOUT": "1"})
    assert late.exit_code == 3, late.stderr
    proxy.reset()
    assert _parts(proxy.url) == ["urn:x:g1", "urn:x:g2"]  # applied, with its note
    again = invoke(proxy.url, "load", path)
    assert again.exit_code == 0, again.stderr  # not "belongs to another source"
    removed = invoke(proxy.url, "remove", "parts-nq")
    assert removed.exit_code == 0, removed.stderr
    assert _parts(proxy.url) == []
    assert invoke(proxy.url, "load", path).exit_code == 0
    assert _parts(proxy.url) == ["urn:x:g1", "urn:x:g2"]


def test_a_removal_answered_late_is_whole(proxy: Proxy, files: Path) -> None:
    path = str(files / "parts.nq")
    assert invoke(proxy.url, "load", path).exit_code == 0
    is_drop = lambda m, p, b: m == "POST" and b"DROP SILENT GRAPH <urn:x:g1>" in b  # noqa: E731
    proxy.after = lambda m, p, b: time.sleep(3) if is_drop(m, p, b) else None
    result = invoke(proxy.url, "remove", "parts-nq", env={"PLEDGEGRAPH_STORE_TIMEOUT": "1"})
    assert result.exit_code == 3
    assert (
        "so the removal of <https://w3id.org/pledgegraph/graph/file/parts-nq> and 2 more "
        "graphs may have been applied" in result.stderr
    )
    proxy.reset()
    assert _parts(proxy.url) == []
    assert invoke(proxy.url, "load", path).exit_code == 0  # the notes went with the graphs
    assert _parts(proxy.url) == ["urn:x:g1", "urn:x:g2"]


# --- first use ---------------------------------------------------------------------------------


@pytest.mark.parametrize("failing", ["bundled", "ontology"])
def test_a_first_use_cut_off_is_finished_by_the_next_command(
    oxigraph_server: Callable[[], str], failing: str
) -> None:
    """The bundled data is written before the ontology graph (what marks a filled store), so a
    first use that fails part-way is not taken for a filled store: the next one fills it."""
    reference = RemoteStore.connect(oxigraph_server())
    full = (reference.count(), reference.graphs())
    front = Proxy(oxigraph_server())
    try:
        marker = (
            writes_to(ONTOLOGY_GRAPH)
            if failing == "ontology"
            else writes_to(SOURCE_GRAPH + "cryptonews-7376")
        )
        front.before = lambda m, p, b: (500, b"no") if marker(m, p, b) else None
        first = invoke(front.url, "stats")
        assert first.exit_code == 2
        front.reset()
        assert not RemoteStore.connect(front.url, initialise=False).is_initialised()
        second = invoke(front.url, "stats", "--json")
        assert second.exit_code == 0, second.stderr
        filled = RemoteStore.connect(front.url, initialise=False)
        assert (filled.count(), filled.graphs()) == full
        whole(answers(front.url))
    finally:
        front.close()


def test_a_big_batch_is_split_into_whole_sources(
    proxy: Proxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch of new sources past the request-size limit goes in several updates, each of
    whole sources; one refused leaves the sources before it whole (with their reference data)
    and the others absent."""
    from pledgegraph.graph import remote
    from pledgegraph.loaders.factsheet import parse_factsheet

    store = RemoteStore.connect(proxy.url)
    before = answers(proxy.url)
    monkeypatch.setattr(remote, "UPDATE_LIMIT", 1)  # one source per request
    sheets = [
        parse_factsheet(
            SHEET.replace("example-shenzhen", f"example-{n}").replace("ai-plan", f"plan-{n}"),
            path=f"s{n}.pledges.yaml",
        )
        for n in range(3)
    ]
    third = writes_to(SOURCE_GRAPH + "example-2")
    proxy.before = lambda m, p, b: (500, b"too big") if third(m, p, b) else None
    with pytest.raises(Exception, match="HTTP 500"):
        store.load_factsheets(sheets)
    proxy.reset()
    after = answers(proxy.url)
    assert after["graphs"] == sorted(  # type: ignore[call-overload]
        [*before["graphs"], SOURCE_GRAPH + "example-0", SOURCE_GRAPH + "example-1"]  # type: ignore[misc]
    )
    assert after["pledges"] == before["pledges"] + 4  # type: ignore[operator]
    by_country = after["by_country"]
    assert isinstance(by_country, dict) and sum(by_country.values()) == after["pledges"]
    create = f"CREATE SILENT GRAPH <{SOURCE_GRAPH}example-".encode()
    posts = [b for m, p, b in proxy.requests if p == "/update" and create in b]
    assert len(posts) == 3 and all(b.count(b"CREATE SILENT GRAPH") == 1 for b in posts)


def test_links_of_a_load_killed_after_its_write_are_added_by_the_next_command(
    oxigraph_server: Callable[[], str], files: Path
) -> None:
    """The links of a load's regions follow its write as a request of their own; the write
    records that they are due, so a client killed in between leaves them to the next command."""
    from pledgegraph.graph import remote

    sheet = str(files / "shenzhen.pledges.yaml")
    clean = oxigraph_server()
    assert invoke(clean, "load", sheet).exit_code == 0
    expected = RemoteStore.connect(clean).count(LINKS_GRAPH)
    front = Proxy(oxigraph_server())
    try:
        assert invoke(front.url, "stats").exit_code == 0  # filled
        bundled = RemoteStore.connect(front.url).count(LINKS_GRAPH)
        assert expected > bundled  # the sheet's regions bring links of their own
        held = threading.Event()

        def hold(method: str, path: str, body: bytes) -> tuple[int, bytes] | None:
            if method == "POST" and f"GRAPH <{LINKS_GRAPH}>".encode() in body:
                held.set()
                time.sleep(60)  # never forwarded: the client is killed meanwhile
                return 500, b"gone"
            return None

        front.before = hold
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "pledgegraph"), "--store", front.url, "load", sheet],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert held.wait(60), "the links were never written"
        process.kill()
        process.wait(30)
        front.reset()
        store = RemoteStore(RemoteDataset(Connection(Endpoints.from_url(front.url))))  # as is
        assert store.count(LINKS_GRAPH) == bundled  # the source is whole, its links not yet
        due = f"SELECT ?g WHERE {{ GRAPH ?s {{ ?g <{remote._DERIVE}> true }} }}"
        assert [row["g"].value for row in store.inner._select(due)] == [GRAPH]
        assert invoke(front.url, "stats").exit_code == 0  # the next command adds them
        store = RemoteStore.connect(front.url, initialise=False)
        assert store.count(LINKS_GRAPH) == expected
        assert list(store.inner._select(due)) == []
        whole(answers(front.url))
    finally:
        front.close()


def test_unused_shared_nodes_of_a_removal_killed_after_its_write_go_at_the_next_command(
    oxigraph_server: Callable[[], str], files: Path
) -> None:
    """An outside attack: a removal whose answer was lost (here: the client killed) after the
    server applied it left the regions and publisher only that source named in the reference
    graph for ever. The removal now records the step with its write; the next command runs it."""
    sheet = str(files / "shenzhen.pledges.yaml")
    front = Proxy(oxigraph_server())
    shenzhen = "https://w3id.org/pledgegraph/id/region/CN-GD/shenzhen"
    ask = f"ASK {{ GRAPH <{REFERENCE_GRAPH}> {{ <{shenzhen}> ?p ?o }} }}"
    try:
        assert invoke(front.url, "stats").exit_code == 0  # filled
        assert invoke(front.url, "sparql", ask).stdout.strip() == "false"  # not bundled
        assert invoke(front.url, "load", sheet).exit_code == 0
        assert invoke(front.url, "sparql", ask).stdout.strip() == "true"
        held = threading.Event()

        def hold(method: str, path: str, body: bytes) -> tuple[int, bytes] | None:
            if method == "POST" and f"DELETE {{ GRAPH <{REFERENCE_GRAPH}>".encode() in body:
                held.set()
                time.sleep(60)  # never forwarded: the client is killed meanwhile
                return 500, b"gone"
            return None

        front.before = hold
        process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "pledgegraph"),
                "--store",
                front.url,
                "remove",
                "example-shenzhen",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert held.wait(60), "the unused shared nodes were never removed"
        process.kill()
        process.wait(30)
        front.reset()
        store = RemoteStore(RemoteDataset(Connection(Endpoints.from_url(front.url))))  # as is
        assert GRAPH not in store.source_graphs()  # the removal itself was applied
        assert store.state().get("follow")  # with what is left to do
        finished = invoke(front.url, "sparql", ask)
        assert finished.exit_code == 0, finished.stderr
        assert finished.stdout.strip() == "false"
        assert "cut off before it finished" in finished.stderr
        assert RemoteStore.connect(front.url, initialise=False).state().get("follow") is None
        assert invoke(front.url, "load", sheet).exit_code == 0  # and it loads again, whole
        whole(answers(front.url))
    finally:
        front.close()


def test_a_server_gone_right_after_the_write_says_the_write_is_in(
    oxigraph_server: Callable[[], str], files: Path
) -> None:
    """An attack: the server stopped right after applying a load's write; what follows it
    (links, the notes that rows and links are due) got "cannot connect", exit 2, as if
    nothing had been written. The message now says the write is in, and the next command
    that reaches the server finishes the rest."""
    upstream = oxigraph_server()
    front = Proxy(upstream)
    try:
        assert invoke(front.url, "stats").exit_code == 0  # filled

        def stop(method: str, path: str, body: bytes) -> None:
            if writes_to(GRAPH)(method, path, body):
                front.server.socket.close()  # no new connection from now on

        front.after = stop
        done = invoke(front.url, "load", str(files / "shenzhen.pledges.yaml"))
        assert done.exit_code == 2, done.stderr
        (line,) = done.stderr.splitlines()
        assert line.startswith(f"Error: {front.url}: cannot connect to the SPARQL server"), line
        assert "The write itself was applied" in line, line
        assert "finished by the next pledgegraph command" in line, line
    finally:
        front.close()
    assert invoke(upstream, "stats").exit_code == 0  # the next command finishes it
    found = answers(upstream)
    whole(found)
    assert GRAPH in found["graphs"]  # type: ignore[operator]
    store = RemoteStore.connect(upstream, initialise=False)
    from pledgegraph.graph import remote

    due = f"SELECT ?g WHERE {{ GRAPH ?s {{ ?g <{remote._DERIVE}> true }} }}"
    assert list(store.inner._select(due)) == []
