"""``remove`` takes away the alternative names a source gave a shared node (attack of 2026-12-03).

A sheet that spelled a bundled authority another way ("…Committee!!") added that spelling as
the authority's ``skos:altLabel`` in the reference graph (with a warning); removing the sheet
left it there for good. Now the store records which source gave which alternative name and
removes a name when the last source that gave it goes (a follow-up step of the removal, so a
kill at any step is finished at the next open). Real stores; killed runs are real processes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pledgegraph.graph.store import Store
from pledgegraph.loaders.factsheet import parse_factsheet
from pledgegraph.ontology import REFERENCE_GRAPH
from tests.test_attacks_store import run

AUTHORITY = (
    "https://w3id.org/pledgegraph/id/authority/CN-HE/"
    "information-technology-office-of-the-hebei-provincial-communist-party-committee"
)
ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
SPELLING = "Information technology office of the Hebei provincial Communist Party Committee!!"


def sheet(key: str, authority: str = SPELLING) -> str:
    return f"""\
source:
  url: https://example.org/{key}
  key: {key}
  title: A made-up sheet {key}
pledges:
  - region: CN-HE
    authority: {authority}
    deadline: 2022
    targets:
      - kind: firms
        quantity: 9
"""


def alternatives(store: Store) -> set[str]:
    import pyoxigraph as ox

    return {
        q.object.value
        for q in store.inner.quads_for_pattern(
            ox.NamedNode(AUTHORITY), ox.NamedNode(ALT), None, ox.NamedNode(REFERENCE_GRAPH)
        )
    }


def load(store: Store, text: str, name: str = "x.pledges.yaml") -> None:
    (report,) = store.load_factsheets([parse_factsheet(text, path=name)])
    assert report.quads > 0


def test_remove_takes_the_alternative_name_the_source_gave(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s") as store:
        before = sorted(str(q) for q in store.quads() if "modified" not in str(q.predicate))
        load(store, sheet("zj1"))
        assert alternatives(store) == {SPELLING}
        store.remove("zj1")
        assert alternatives(store) == set()
        after = sorted(str(q) for q in store.quads() if "modified" not in str(q.predicate))
        assert after == before
        assert store.names_given() == {}


def test_a_name_two_sources_gave_stays_until_the_last_goes(store: Store) -> None:
    load(store, sheet("zj1"))
    load(store, sheet("zj2"), "y.pledges.yaml")
    store.remove("zj1")
    assert alternatives(store) == {SPELLING}
    store.remove("zj2")
    assert alternatives(store) == set()


def test_a_reload_without_the_spelling_drops_it(store: Store) -> None:
    load(store, sheet("zj1"))
    load(store, sheet("zj1", "Information technology office of the Hebei provincial"))
    assert alternatives(store) == set()
    load(store, sheet("zj1"))  # (through load_factsheet: a replacement)
    assert alternatives(store) == {SPELLING}
    store.load_factsheet(parse_factsheet(sheet("zj1", "Hebei office"), path="x.pledges.yaml"))
    assert alternatives(store) == set()


@pytest.mark.parametrize("step", ["write-committed", "follow-names"])
def test_remove_killed_after_its_commit_drops_the_name_at_the_next_open(
    tmp_path: Path, step: str
) -> None:
    path = tmp_path / "zj.pledges.yaml"
    path.write_text(sheet("zj1"), encoding="utf-8")
    store = tmp_path / "s"
    assert run("--store", str(store), "load", str(path), cwd=tmp_path).returncode == 0
    killed = run("--store", str(store), "remove", "zj1", cwd=tmp_path, kill_at=step)
    assert killed.returncode == -9
    exported = run("--store", str(store), "export", "-f", "nquads", cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert "zj1" not in exported.stdout
    assert SPELLING not in exported.stdout
