"""What a load of fact sheets into a local store imports: not the SPARQL federation module
(its HTTP server and Unicode patterns cost each worker process of a load ~70 ms, for rule
queries that hold no SERVICE) nor the remote store's HTTP client (~20 ms of the process that
writes, the load's critical path)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.test_bulk_batches import write_sheets

_SCRIPT = """
import json, sys
from pledgegraph.cli import main
try:
    main.main(sys.argv[1:], standalone_mode=False)
except SystemExit:
    pass
print(json.dumps(sorted(m for m in sys.modules if m in {WATCHED})))
"""

_WATCHED = ("pledgegraph.graph.linking.federation", "http.server", "pledgegraph.graph.remote")


def test_a_local_load_of_sheets_imports_no_federation_or_http_client(tmp_path: Path) -> None:
    write_sheets(tmp_path / "sheets", count=3)
    script = _SCRIPT.replace("{WATCHED}", repr(set(_WATCHED)))
    command = [sys.executable, "-c", script, "--store", str(tmp_path / "store")]
    done = subprocess.run(
        [*command, "load", "--lenient", "--jobs", "1", str(tmp_path / "sheets")],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PLEDGEGRAPH_SHACL_ENGINE": "auto"},
    )
    assert "3 of 3 files loaded" in done.stderr, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
