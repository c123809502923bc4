"""Shared fixtures: real pyoxigraph stores (in memory or in tmp_path) and the CLI runner."""

from __future__ import annotations

from collections.abc import Callable
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
