"""A load killed between writing its targets' rows and settling the kinds' due keys
(attack of 2026-12-04 on an RDF file whose targets lack rows).

The rows went in one update and the due keys (``pledge:rowDueKeys``, which parks-by-year reads)
in the next. The follow-up step run again at the next open saw the rows present and skipped
the rebuild, so the keys stayed missing for good: ``reindex --check`` failed and parks-by-year
left the file's targets out. The step now settles the due keys whenever it finds the rows
written. On both backends: the embedded store and a real ``oxigraph serve``.
"""

from __future__ import annotations

import signal
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.test_attacks_store import run

FILE = """\
@prefix pledge: <https://w3id.org/pledgegraph/ontology#> .
@prefix schema: <https://schema.org/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <https://example.org/due-crash/> .

ex:q a schema:QuantitativeValue ; rdfs:label "7" ; schema:value 7 ; pledge:approximate false .
ex:t a pledge:Target ; prov:wasDerivedFrom ex:src ;
  pledge:deadline <https://w3id.org/pledgegraph/id/deadline/2033> ;
  pledge:kind <https://w3id.org/pledgegraph/kind/parks> ; pledge:quantity ex:q .
ex:a a pledge:Authority ; rdfs:label "Due crash bureau"@en ; prov:wasDerivedFrom ex:src ;
  pledge:governs <https://w3id.org/pledgegraph/id/region/CN-SN> .
ex:p a pledge:Pledge ; prov:wasDerivedFrom ex:src ; pledge:hasTarget ex:t ;
  pledge:deadline <https://w3id.org/pledgegraph/id/deadline/2033> ;
  pledge:pledgedBy ex:a ;
  pledge:region <https://w3id.org/pledgegraph/id/region/CN-SN> .
ex:src a schema:NewsArticle ; schema:headline "Due crash" ; schema:url <https://example.org/d> .
"""


@pytest.fixture
def store(backend: str, tmp_path: Path, oxigraph_server: Callable[[], str]) -> str:
    return str(tmp_path / "store") if backend == "embedded" else oxigraph_server()


def test_a_load_killed_before_the_due_keys_are_settled_is_finished(
    store: str, tmp_path: Path
) -> None:
    path = tmp_path / "due-crash.ttl"
    path.write_text(FILE, encoding="utf-8")
    assert run("--store", store, "stats", cwd=tmp_path).returncode == 0  # (bundled data in)
    killed = run("--store", store, "load", str(path), cwd=tmp_path, kill_at="rows-written")
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    answer = run(
        "--store",
        store,
        "query",
        "parks-by-year",
        "--param",
        "year=2033",
        "-f",
        "csv",
        cwd=tmp_path,
    )
    assert answer.returncode == 0, answer.stderr
    mine = [line for line in answer.stdout.splitlines() if "due-crash/t" in line]
    assert len(mine) == 1 and mine[0].startswith("CN-SN,Shaanxi,7,"), answer.stdout
    check = run("--store", store, "reindex", "--check", cwd=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
