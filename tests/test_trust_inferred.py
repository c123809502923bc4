"""After ``remove``, nothing inferred about the removed source's nodes stays (attack of 2026-12-03).

A sheet loaded with ``--reason`` and then removed left its pledges typed ``prov:Entity`` (and
more) in the inferred graph: ``sparql`` still listed them (with a note on stderr) and the HTTP
API gave them with no note at all. A removal now also removes, in its recorded follow-up step,
the inferred triples about every node no asserted graph mentions any more; the note stays for
what may still be stale, and the HTTP answer carries it.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pyoxigraph as ox
import pytest

from pledgegraph.graph.reasoning.engine import materialise
from pledgegraph.graph.store import Store
from pledgegraph.loaders.factsheet import parse_factsheet
from pledgegraph.ontology import INFERRED_GRAPH
from pledgegraph.server.writes import perform
from tests.test_attacks_store import run

SHEET = """\
source:
  url: https://example.org/hk
  key: hk1
  title: HK
pledges:
  - region: HK
    deadline: 2022
    targets:
      - kind: parks
        quantity: 11
"""
ZONES = """\
@prefix pgid: <https://w3id.org/pledgegraph/id/> .
@prefix pledge: <https://w3id.org/pledgegraph/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .

pgid:source\\/zones a schema:NewsArticle ; schema:headline "Zones" ;
    schema:url <https://example.org/zones> .
<https://example.org/place/zone> a pledge:Region ; rdfs:label "Zone"@en ;
    pledge:regionType "District" ; pledge:partOf pgid:region\\/PARENT .
pgid:pledge\\/zones\\/1 a pledge:Pledge ; prov:wasDerivedFrom pgid:source\\/zones ;
    pledge:region <https://example.org/place/zone> ;
    pledge:hasTarget pgid:pledge\\/zones\\/1\\/target\\/1 .
pgid:pledge\\/zones\\/1\\/target\\/1 a pledge:Target ;
    prov:wasDerivedFrom pgid:source\\/zones ;
    pledge:kind <https://w3id.org/pledgegraph/kind/parks> .
"""
QUESTION = 'SELECT ?p WHERE { ?p a prov:Entity FILTER(CONTAINS(STR(?p), "hk1")) }'


def inferred(store: Store) -> set[str]:
    return {str(q.triple) for q in store.quads(INFERRED_GRAPH)}


def about_hk1(store: Store) -> set[str]:
    return {t for t in inferred(store) if "hk1" in t}


def test_remove_takes_what_was_inferred_about_the_removed_nodes(store: Store) -> None:
    materialise(store)
    reasoned = inferred(store)
    store.load_factsheets([parse_factsheet(SHEET, path="hk.pledges.yaml")])
    materialise(store)
    assert about_hk1(store)
    store.remove("hk1")
    assert about_hk1(store) == set()
    # every triple inferred only from the removed source went (the region HK it alone named
    # went with it), and what was inferred about the other nodes stays
    assert inferred(store) == reasoned
    assert store.inferred_is_stale()  # (facts about remaining nodes may be stale: the note)


def test_the_cli_answers_nothing_about_the_removed_source(tmp_path: Path) -> None:
    path = tmp_path / "hk.pledges.yaml"
    path.write_text(SHEET, encoding="utf-8")
    store = str(tmp_path / "s")
    loaded = run("--store", store, "load", str(path), "--reason", cwd=tmp_path)
    assert loaded.returncode == 0, loaded.stderr
    removed = run("--store", store, "remove", "hk1", cwd=tmp_path)
    assert removed.returncode == 0, removed.stderr
    assert "Note: the inferred graph is out of date" in removed.stderr
    assert "run 'pledgegraph reason' to refresh it" in removed.stderr
    assert "/api/" not in removed.stderr  # an HTTP route is no advice on the command line
    answer = run("--store", store, "sparql", QUESTION, "-f", "tsv", cwd=tmp_path)
    assert answer.returncode == 0, answer.stderr
    assert answer.stdout.splitlines()[1:] == []


def test_the_http_removal_carries_the_note(store: Store) -> None:
    store.load_factsheets([parse_factsheet(SHEET, path="hk.pledges.yaml")])
    graph = "https://w3id.org/pledgegraph/graph/source/hk1"
    status, body = perform(store, "remove_source", {"graph": graph})
    assert status == 200
    assert body["note"] is None  # no inferred graph: nothing to say
    store.load_factsheets([parse_factsheet(SHEET, path="hk.pledges.yaml")])
    materialise(store)
    status, body = perform(store, "remove_source", {"graph": graph})
    assert status == 200
    assert body["note"] == store.stale_note(refresh="POST /api/store/reason")
    assert body["note"].startswith("Note: the inferred graph is out of date")
    rows = store.inner.query(
        "SELECT ?p WHERE { ?p a <http://www.w3.org/ns/prov#Entity> "
        'FILTER(CONTAINS(STR(?p), "hk1")) }',
        use_default_graph_as_union=True,
    )
    assert isinstance(rows, ox.QuerySolutions)
    assert list(rows) == []


@pytest.mark.parametrize("step", ["write-committed", "follow-unused", "follow-inferred"])
def test_remove_killed_after_its_commit_is_finished_at_the_next_open(
    tmp_path: Path, step: str
) -> None:
    path = tmp_path / "hk.pledges.yaml"
    path.write_text(SHEET, encoding="utf-8")
    store = str(tmp_path / "s")
    assert run("--store", store, "load", str(path), "--reason", cwd=tmp_path).returncode == 0
    killed = run("--store", store, "remove", "hk1", cwd=tmp_path, kill_at=step)
    assert killed.returncode == -9
    answer = run("--store", store, "sparql", QUESTION, "-f", "tsv", cwd=tmp_path)
    assert answer.returncode == 0, answer.stderr
    assert answer.stdout.splitlines()[1:] == []


def test_a_replacement_takes_what_was_inferred_about_nodes_it_no_longer_names(
    tmp_path: Path,
) -> None:
    """An attack: reloading a sheet whose new version names another region left what was
    inferred about the old region (and the old version's other nodes) behind, though
    ``remove`` cleans it; a replacement now does the same follow-up step."""
    path = tmp_path / "hk.pledges.yaml"
    path.write_text(SHEET, encoding="utf-8")
    store = str(tmp_path / "s")
    assert run("--store", store, "load", str(path), "--reason", cwd=tmp_path).returncode == 0
    about_hk = (
        "SELECT ?p ?o WHERE { GRAPH <https://w3id.org/pledgegraph/graph/inferred> "
        "{ <https://w3id.org/pledgegraph/id/region/CN-HK> ?p ?o } }"
    )
    before = run("--store", store, "sparql", about_hk, "-f", "tsv", cwd=tmp_path)
    assert before.stdout.splitlines()[1:], "the premise: something is inferred about HK"
    path.write_text(SHEET.replace("region: HK", "region: MO"), encoding="utf-8")
    reloaded = run("--store", store, "load", str(path), cwd=tmp_path)
    assert reloaded.returncode == 0, reloaded.stderr
    after = run("--store", store, "sparql", about_hk, "-f", "tsv", cwd=tmp_path)
    assert after.returncode == 0, after.stderr
    assert after.stdout.splitlines()[1:] == []


@pytest.mark.parametrize("step", ["write-committed", "follow-unused"])
def test_a_replacement_killed_after_its_commit_leaves_reason_out_of_date(
    tmp_path: Path, step: str
) -> None:
    """An outside attack: a replacement killed right after its commit never marked the
    inferred graph out of date, so 'reason' said "up to date" and the reasoned totals still
    counted the pledge in the region the old version named."""
    store = str(tmp_path / "s")
    path = tmp_path / "zones.ttl"
    path.write_text(ZONES.replace("PARENT", "CN-SN"), encoding="utf-8")
    assert run("--store", store, "load", str(path), "--reason", cwd=tmp_path).returncode == 0
    path.write_text(ZONES.replace("PARENT", "CN-HE"), encoding="utf-8")  # the zone moves
    killed = run("--store", store, "load", "--replace", str(path), cwd=tmp_path, kill_at=step)
    assert killed.returncode == -9
    again = run("--store", store, "reason", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "up to date" not in again.stdout + again.stderr
    totals = run("--store", store, "query", "reason-region-totals", "-f", "csv", cwd=tmp_path)
    rows = {row["region"]: row for row in csv.DictReader(io.StringIO(totals.stdout))}
    assert "CN-SN" not in rows and rows["CN-HE"]["pledges"] == "3", totals.stdout


def test_no_file_makes_a_known_region_a_deadline_by_inference(store: Store) -> None:
    """An outside attack: one file declares a class of its own a sub-class of pledge:Deadline
    (allowed: its own nodes may be deadlines), a later one types Shaanxi with it; 'reason'
    made Shaanxi a pledge:Deadline. No class of ours is inferred for a region or deadline
    pledgegraph describes (none of ours is a sub-class of another)."""
    first = (
        "<https://example.org/Due> <http://www.w3.org/2000/01/rdf-schema#subClassOf> "
        "<https://w3id.org/pledgegraph/ontology#Deadline> .\n"
    )
    second = (
        "<https://w3id.org/pledgegraph/id/region/CN-SN> "
        "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://example.org/Due> .\n"
    )
    store.load_rdf("first.nt", data=first.encode())
    store.load_rdf("second.nt", data=second.encode())
    report = materialise(store)
    about = {
        q.object.value
        for q in store.quads(INFERRED_GRAPH)
        if q.subject == ox.NamedNode("https://w3id.org/pledgegraph/id/region/CN-SN")
        and q.predicate.value.endswith("#type")
        and isinstance(q.object, ox.NamedNode)
    }
    assert not {t for t in about if t.startswith("https://w3id.org/pledgegraph/ontology#")}
    assert report.inconsistencies  # (said, as for any disjoint classes)
