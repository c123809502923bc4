"""Shared fixtures: real pyoxigraph stores (in memory or in tmp_path) and the CLI runner."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pledgegraph.graph.store import Store

ROOT = Path(__file__).resolve().parents[1]
SEED_ARTICLE = ROOT.parent / "shared" / "seed" / "article.txt"


@pytest.fixture(scope="session")
def seed_text() -> str:
    if not SEED_ARTICLE.exists():
        pytest.skip(f"the seed article is not at {SEED_ARTICLE}")
    return SEED_ARTICLE.read_text(encoding="utf-8")


@pytest.fixture(autouse=True, scope="session")
def _no_default_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """No test reads or writes the user's own default store: a test (or a process it starts)
    that names no store gets one under this session's temporary directory instead (a new
    user's trial found ~/.local/share/pledgegraph/store made by a CI run)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("xdg-data-home")))
        # (and no test writes the user's cache folder: the kept gazetteer, loaders/regions.py)
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache-home")))
        patch.delenv("PLEDGEGRAPH_STORE", raising=False)
        yield


@pytest.fixture
def store() -> Store:
    """An in-memory store with the ontology and the bundled dataset."""
    return Store.memory()


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "store"


Invoke = Callable[..., Result]


@pytest.fixture
def cli(store_path: Path) -> Invoke:
    """Run ``pledgegraph --store <tmp> ARGS`` in process; stdout and stderr kept apart."""
    from pledgegraph.cli import main

    def invoke(*args: str, input: str | bytes | None = None) -> Result:
        runner = CliRunner()
        return runner.invoke(
            main, ["--store", str(store_path), *args], input=input, catch_exceptions=False
        )

    return invoke


def run_pledgegraph(store: Path | str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``pledgegraph --store STORE ARGS`` in a process of its own (text, 120 s at most)."""
    return subprocess.run(
        [sys.executable, "-m", "pledgegraph", "--store", str(store), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


# --- a real SPARQL server (Oxigraph) for the remote store ------------------------------------

OXIGRAPH = Path(sys.executable).with_name("oxigraph")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[], str]]:
    """Start ``oxigraph serve`` on a free loopback port, as often as asked: each call gives a
    new, empty server's base URL. Every server is stopped when the session ends."""
    if not OXIGRAPH.exists():
        pytest.skip(f"no oxigraph server binary at {OXIGRAPH} (pip install -e '.[dev]')")
    started: list[subprocess.Popen[bytes]] = []

    def start() -> str:
        port = _free_port()
        location = tmp_path_factory.mktemp("oxigraph")
        process = subprocess.Popen(
            [str(OXIGRAPH), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        started.append(process)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    return f"http://127.0.0.1:{port}/"
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError(f"oxigraph serve exited with {process.returncode}") from None
                time.sleep(0.05)
        raise RuntimeError("oxigraph serve did not start within 30 s")

    yield start
    for process in started:
        process.terminate()
    for process in started:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(params=["embedded", "remote"])
def backend(request: pytest.FixtureRequest) -> str:
    """Parametrise a test over the two store backends."""
    return str(request.param)
