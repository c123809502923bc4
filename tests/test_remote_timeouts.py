"""Every write of ``reason`` and ``link`` on a remote store that gets no answer is exit 3.

A real ``oxigraph serve`` sits behind the holding proxy of ``test_remote_atomic``: it passes
every update on to the server, then answers late (after the client's
``PLEDGEGRAPH_STORE_TIMEOUT``). The server applied the write, so "nothing changed" (exit 2)
would be false: the command must say the write may have been applied (exit 3). A reasoning run
cut off so leaves no working graph behind once the server answers again, and one it could not
remove is named by ``stats`` and removed by the next ``reason``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pledgegraph.graph.reasoning.engine import WORK_GRAPH
from pledgegraph.graph.remote import EXIT_UNCONFIRMED, RemoteStore
from pledgegraph.ontology import INFERRED_GRAPH, LINKS_GRAPH
from tests.test_remote_atomic import Proxy, invoke

LATE = {"PLEDGEGRAPH_STORE_TIMEOUT": "1"}


@pytest.fixture
def proxy(oxigraph_server: Callable[[], str]) -> Iterator[Proxy]:
    front = Proxy(oxigraph_server())
    assert invoke(front.url, "stats").exit_code == 0  # filled before the proxy holds anything
    yield front
    front.close()


def _late_updates(proxy: Proxy, chosen: Callable[[bytes], bool] = lambda body: True) -> None:
    """Pass the chosen updates on to the server, then answer 3 s late (the client waits 1 s)."""

    def late(method: str, path: str, body: bytes) -> None:
        if method == "POST" and path.startswith("/update") and chosen(body):
            time.sleep(3)

    proxy.after = late


def _work_graphs(url: str) -> list[str]:
    store = RemoteStore.connect(url, initialise=False)
    return sorted(g.value for g in store.inner.named_graphs() if g.value.startswith(WORK_GRAPH))


def _settle(proxy: Proxy) -> None:
    proxy.reset()
    time.sleep(3.5)  # the late answers still held by the proxy go out (to no one)


def test_reason_with_no_answer_to_its_first_write_is_exit_3_and_leaves_no_working_graph(
    proxy: Proxy,
) -> None:
    _late_updates(proxy)
    result = invoke(proxy.url, "reason", "--rebuild", env=LATE)
    assert result.exit_code == EXIT_UNCONFIRMED == 3, result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr == (
        f"Error: {proxy.url}: no answer from the SPARQL server within 1 s, so the write of "
        f"the reasoner's working graphs ({WORK_GRAPH}…) may have been applied or not (the "
        "inferred graph is unchanged); run 'pledgegraph reason' again: it removes working "
        "graphs a failed run left ('pledgegraph stats' lists them)\n"
    )
    _settle(proxy)
    # The run removed its working graphs at its end (the server applied the removal too).
    assert _work_graphs(proxy.url) == []
    stats = invoke(proxy.url, "stats")
    assert stats.exit_code == 0 and "working graph" not in stats.stderr, stats.stderr
    done = invoke(proxy.url, "reason", "--rebuild")
    assert done.exit_code == 0, done.stderr
    assert RemoteStore.connect(proxy.url).count(INFERRED_GRAPH) > 0


def test_reason_whose_swap_in_is_not_answered_is_exit_3(proxy: Proxy) -> None:
    """The write of the inferred graph itself: one request, old version or new."""
    _late_updates(proxy, lambda body: f"INSERT {{ GRAPH <{INFERRED_GRAPH}>".encode() in body)
    result = invoke(proxy.url, "reason", "--rebuild", env=LATE)
    assert result.exit_code == 3, result.stderr
    assert f"so the write of the inferred graph <{INFERRED_GRAPH}> may have been applied" in (
        result.stderr
    )
    assert "pledgegraph reason --rebuild" in result.stderr
    _settle(proxy)
    assert _work_graphs(proxy.url) == []
    assert RemoteStore.connect(proxy.url).count(INFERRED_GRAPH) > 0  # (here it was applied)


def test_a_working_graph_left_on_the_server_is_listed_by_stats_and_removed_by_reason(
    proxy: Proxy,
) -> None:
    """A run whose clean-up gets no answer either, and whose removal never reached the server:
    its working graph stays; ``stats`` names it, the next ``reason`` removes it."""

    def lost(method: str, path: str, body: bytes) -> tuple[int, bytes] | None:
        if method == "POST" and b"DROP SILENT GRAPH <" + WORK_GRAPH.encode() in body:
            time.sleep(3)  # never passed on: the removal is lost
            return 500, b"gone"
        return None

    proxy.before = lost
    _late_updates(proxy)
    result = invoke(proxy.url, "reason", "--rebuild", env=LATE)
    assert result.exit_code == 3, result.stderr
    _settle(proxy)
    left = _work_graphs(proxy.url)
    assert len(left) == 1 and left[0].endswith("/delta-0"), left
    stats = invoke(proxy.url, "stats")
    assert stats.exit_code == 0
    assert stats.stderr == (
        "Note: 1 working graph of a reasoning run that did not finish (or is running) is on "
        f"the server ({WORK_GRAPH}…); 'pledgegraph reason' removes it\n"
    )
    assert WORK_GRAPH not in stats.stdout
    assert WORK_GRAPH not in invoke(proxy.url, "stats", "--json").stdout
    done = invoke(proxy.url, "reason")
    assert done.exit_code == 0, done.stderr
    assert _work_graphs(proxy.url) == []
    assert invoke(proxy.url, "stats").stderr == ""


def test_link_with_no_answer_to_its_write_is_exit_3(proxy: Proxy) -> None:
    before = RemoteStore.connect(proxy.url).count(LINKS_GRAPH)
    assert invoke(proxy.url, "reason").exit_code == 0
    _late_updates(proxy, lambda body: f"GRAPH <{LINKS_GRAPH}>".encode() in body)
    result = invoke(proxy.url, "link", env=LATE)
    assert result.exit_code == 3, result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert f"so the write of the links graph <{LINKS_GRAPH}> may have been applied or not" in (
        result.stderr
    )
    _settle(proxy)
    store = RemoteStore.connect(proxy.url)
    assert store.count(LINKS_GRAPH) == before  # one request: the whole graph, rewritten
    # The links may have changed, so the inferred graph is no longer taken for current.
    assert store.state().get("inferred_stale") is True
    again = invoke(proxy.url, "link")
    assert again.exit_code == 0, again.stderr
    # A read that gets no answer changed nothing: it stays exit 2.
    proxy.after = lambda m, p, b: time.sleep(3) if p.startswith("/query") else None
    read = invoke(proxy.url, "stats", env=LATE)
    assert read.exit_code == 2, read.stderr
    assert "no answer from the SPARQL server within 1 s; check" in read.stderr
    proxy.reset()


def test_stats_json_is_unchanged_by_a_leftover(proxy: Proxy) -> None:
    """A working graph is never counted (the note goes to stderr only)."""
    before = json.loads(invoke(proxy.url, "stats", "--json").stdout)
    store = RemoteStore.connect(proxy.url)
    store.inner.update(f"INSERT DATA {{ GRAPH <{WORK_GRAPH}x/delta-0> {{ <urn:a> <urn:b> 1 }} }}")
    after = invoke(proxy.url, "stats", "--json")
    assert json.loads(after.stdout) == before
    assert "1 working graph" in after.stderr


def test_reindex_with_no_answer_to_its_write_is_exit_3(proxy: Proxy) -> None:
    from pledgegraph.ontology import PLEDGE

    store = RemoteStore.connect(proxy.url)
    store.inner.update(f"DELETE WHERE {{ GRAPH ?g {{ ?t <{PLEDGE}row> ?r }} }}")
    _late_updates(proxy)
    result = invoke(proxy.url, "reindex", env=LATE)
    assert result.exit_code == 3, result.stderr
    assert "so the write of the summary rows (pledge:row) may have been applied" in result.stderr
    _settle(proxy)
    assert invoke(proxy.url, "reindex", "--check").exit_code == 0  # (here it was applied)


def test_import_with_no_answer_to_its_write_is_exit_3(
    oxigraph_server: Callable[[], str], tmp_path: Path
) -> None:
    source = oxigraph_server()
    export = tmp_path / "all.nq"
    assert invoke(source, "export", "-f", "nquads", "-o", str(export)).exit_code == 0
    front = Proxy(oxigraph_server())
    try:
        _late_updates(front)
        result = invoke(front.url, "import", str(export), env=LATE)
        assert result.exit_code == 3, result.stderr
        assert "may have been applied or not" in result.stderr
    finally:
        front.close()
