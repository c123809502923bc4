"""Issue 9, a further round of outside attacks: old stores, huge or odd fact-sheet values,
ill-typed RDF literals and numbers the extractor cannot hand to its own loader.

Real stores in tmp_path, the CLI in process (``CliRunner``, stdout and stderr kept apart).
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from pledgegraph.graph.rows import ROW, stored_rows
from pledgegraph.graph.store import STATE_FILE, Store
from pledgegraph.loaders.rdf import ROW_FORMAT, ROW_SEPARATOR
from tests.conftest import Invoke

# --- 1. a store whose rows an older pledgegraph wrote ----------------------------------------


def _age_rows(store_path: Path, *, delete: bool) -> int:
    """Make the store look as an earlier version left it: rows in the old format (U+001F
    separators) or none, and no row format recorded. Returns how many rows there were."""
    store = Store.open(store_path)
    rows = list(store.inner.quads_for_pattern(None, ROW, None, None))
    for quad in rows:
        store.inner.remove(quad)
        if not delete:
            assert isinstance(quad.object, ox.Literal)
            old = ox.Literal(quad.object.value.replace(ROW_SEPARATOR, "\x1f"))
            store.inner.add(ox.Quad(quad.subject, ROW, old, quad.graph_name))
    assert store._database is not None
    state_file = store._database / STATE_FILE
    state = json.loads(state_file.read_text(encoding="utf-8"))
    assert state.pop("row_format") == ROW_FORMAT
    state_file.write_text(json.dumps(state), encoding="utf-8")
    store.close()
    return len(rows)


@pytest.mark.parametrize("delete", [False, True], ids=["old-format", "deleted"])
def test_old_rows_are_rebuilt_at_open_with_one_note(
    cli: Invoke, store_path: Path, delete: bool
) -> None:
    fresh = cli("query", "parks-by-year")
    assert fresh.exit_code == 0 and fresh.stderr == ""
    count = _age_rows(store_path, delete=delete)
    assert count > 0

    result = cli("query", "parks-by-year")
    assert result.exit_code == 0
    assert result.stdout == fresh.stdout  # not "0 rows"
    assert result.stderr == (
        f"Note: the store's summary rows (pledge:row) were written by an older pledgegraph; "
        f"rebuilt {count} of {count} (row format {ROW_FORMAT})\n"
    )
    again = cli("query", "parks-by-year")  # recorded: no second rebuild, no note
    assert again.stderr == "" and again.stdout == fresh.stdout
    check = cli("reindex", "--check")
    assert check.exit_code == 0, check.stderr
    with Store.open(store_path) as store:
        assert all(ROW_SEPARATOR in row for row in stored_rows(store).values())
        assert store.state()["row_format"] == ROW_FORMAT


def test_a_new_store_records_the_row_format_and_says_nothing(cli: Invoke, store_path: Path) -> None:
    result = cli("stats")
    assert result.exit_code == 0 and result.stderr == ""
    with Store.open(store_path) as store:
        assert store.state()["row_format"] == ROW_FORMAT
        assert store.notes == []
