"""Shared nodes keep one identity (graph/identity.py, docs/data-model.md "Shared nodes").

- One authority per (region, name): ``authority/<region key>/<name slug>`` never merges two
  authorities whose region keys and names run into each other.
- One name per node and language: a spelling that differs only in case, spacing or punctuation
  is kept as an alternative name, so no question repeats a row per spelling.
- A store written with the older IRIs is rewritten when it is opened.

End to end through the CLI on a store in ``tmp_path``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import Result
from hypothesis import given
from hypothesis import strategies as st

from pledgegraph.graph.store import Store
from pledgegraph.loaders.rdf import (
    IRI_FORMAT,
    SKOS_ALT_LABEL,
    authority_iri,
    name_slug,
    organization_iri,
    slug,
)
from pledgegraph.loaders.regions import gazetteer
from pledgegraph.ontology import ID, REFERENCE_GRAPH
from tests.conftest import Invoke

AUTHORITY = ID + "authority/"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SCHEMA_NAME = "https://schema.org/name"
ALTERNATE_NAME = "https://schema.org/alternateName"


def sheet(key: str, *, authority: str, region: str = "CN-BJ", publisher: str = "") -> str:
    return (
        f"source:\n  url: https://example.org/{key}\n  key: {key}\n  title: Article {key}\n"
        + (f'  publisher: "{publisher}"\n' if publisher else "")
        + f'pledges:\n  - region: {region}\n    authority: "{authority}"\n    deadline: 2025\n'
        "    targets:\n      - kind: parks\n        quantity: 2\n"
    )


def write(folder: Path, name: str, text: str) -> str:
    path = folder / f"{name}.pledges.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def rows(cli: Invoke, question: str, *params: str) -> list[list[str]]:
    """The answer as plain tab-separated rows (header dropped)."""
    args = [arg for p in params for arg in ("--param", p)]
    result = cli("query", question, "-f", "plain", *args)
    assert result.exit_code == 0, result.stderr
    return [line.split("\t") for line in result.stdout.splitlines()[1:]]


def names(store_path: Path, iri: str) -> dict[str, set[str]]:
    """The names the reference graph holds for ``iri``, by predicate."""
    found: dict[str, set[str]] = {}
    with Store.open(store_path) as store:
        reference = ox.NamedNode(REFERENCE_GRAPH)
        for quad in store.inner.quads_for_pattern(ox.NamedNode(iri), None, None, reference):
            if isinstance(quad.object, ox.Literal):
                found.setdefault(quad.predicate.value, set()).add(quad.object.value)
    return found


def only(table: list[list[str]], word: str) -> list[list[str]]:
    return [row for row in table if any(word.casefold() in cell.casefold() for cell in row)]


# --- IRIs ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (("CN-SC/chengdu", "Government"), ("CN-SC", "Chengdu Government")),
        (("CN-ZJ/ningbo", "Municipal Bureau"), ("CN-ZJ", "Ningbo Municipal Bureau")),
        (("US-CA", "Government"), ("US", "CA Government")),
        (("CN-BJ", "北京市人民政府"), ("CN-BJ", "北京市经济和信息化局")),
    ],
)
def test_pairs_that_once_shared_an_iri_are_two_authorities(
    one: tuple[str, str], other: tuple[str, str]
) -> None:
    assert authority_iri(*one) != authority_iri(*other)


def test_spellings_of_one_name_give_one_iri() -> None:
    assert authority_iri("CN-BJ", "Beijing Municipal Government") == authority_iri(
        "CN-BJ", "beijing municipal  GOVERNMENT"
    )
    assert organization_iri("Sichuan Daily") == organization_iri(" SICHUAN   daily")


def test_ascii_names_keep_their_old_slug() -> None:
    """Names in ASCII keep the name part they had (only the region became its own segment)."""
    for name in ("Hebei provincial government", "Ministry of Industry & IT", "A_B  c.d"):
        assert name_slug(name) == slug(name)


REGION_KEYS = sorted(region.key for region in gazetteer())


@given(
    st.sampled_from(REGION_KEYS),
    st.text(min_size=1, max_size=12),
    st.sampled_from(REGION_KEYS),
    st.text(min_size=1, max_size=12),
)
def test_an_authority_iri_names_its_region_and_name(
    region: str, name: str, other_region: str, other_name: str
) -> None:
    """The last segment is the name, the rest the region: equal IRIs, equal pairs."""
    iri = authority_iri(region, name)
    key, _, last = iri[len(AUTHORITY) :].rpartition("/")
    assert (key, last) == (region, name_slug(name))
    if authority_iri(other_region, other_name) == iri:
        assert other_region == region and name_slug(other_name) == name_slug(name)
    ox.NamedNode(iri)  # a valid IRI


# --- one name per node, end to end ------------------------------------------------------------


def test_case_variants_in_two_loads_give_each_row_once(
    cli: Invoke, tmp_path: Path, store_path: Path
) -> None:
    a = write(
        tmp_path,
        "a",
        sheet("a", authority="Beijing Municipal Government", publisher="Sichuan Daily"),
    )
    b = write(
        tmp_path,
        "b",
        sheet("b", authority="beijing municipal  government", publisher="SICHUAN   daily"),
    )
    assert cli("load", a).exit_code == 0
    second = cli("load", b)
    assert second.exit_code == 0
    iri = authority_iri("CN-BJ", "Beijing Municipal Government")
    organisation = organization_iri("Sichuan Daily")
    assert (
        f'Warning: {b}: <{iri}> is named "Beijing Municipal Government" already; '
        f'"beijing municipal government" is kept as its skos:altLabel'
    ) in second.stderr.splitlines()
    assert (
        f'Warning: {b}: <{organisation}> is named "Sichuan Daily" already; '
        f'"SICHUAN daily" is kept as its schema:alternateName'
    ) in second.stderr.splitlines()

    authorities = only(rows(cli, "authorities"), "beijing")
    assert [row[:5] for row in authorities] == [
        ["Beijing Municipal Government", "CN-BJ", "parks", "2", "2"]
    ]
    sources = rows(cli, "sources")
    assert sorted(row[1] for row in sources if row[0] in ("Article a", "Article b")) == [
        "Sichuan Daily",
        "Sichuan Daily",
    ]
    pledges = [
        r
        for r in rows(cli, "region-pledges", "region=CN-BJ")
        if "/pledge/a/" in r[2] or "/pledge/b/" in r[2]
    ]
    assert len(pledges) == 2 and {row[4] for row in pledges} == {"Beijing Municipal Government"}
    assert names(store_path, iri) == {
        LABEL: {"Beijing Municipal Government"},
        SKOS_ALT_LABEL: {"beijing municipal government"},
    }
    assert names(store_path, organisation) == {
        SCHEMA_NAME: {"Sichuan Daily"},
        ALTERNATE_NAME: {"SICHUAN daily"},
    }
    assert cli("validate").exit_code == 0
    # the same after reasoning: the attributions name the authority once per pledge
    assert cli("reason").exit_code == 0
    attributions = only(rows(cli, "reason-attributions"), "beijing")
    assert sorted(row[1] for row in attributions) == ["Beijing Municipal Government"] * 2


def test_in_one_load_the_first_sheet_names_the_node(
    cli: Invoke, tmp_path: Path, store_path: Path
) -> None:
    first = write(tmp_path, "x1", sheet("x1", authority="BEIJING municipal government"))
    second = write(tmp_path, "x2", sheet("x2", authority="Beijing Municipal Government"))
    result = cli("load", first, second)
    assert result.exit_code == 0
    assert 'is named "BEIJING municipal government" already' in result.stderr
    assert [row[0] for row in only(rows(cli, "authorities"), "beijing")] == [
        "BEIJING municipal government"
    ]
    # and one sheet naming it twice: its first spelling, the other an alternative
    both = sheet("y", authority="Shanghai Government", region="CN-SH") + (
        '  - region: CN-SH\n    authority: "shanghai   GOVERNMENT"\n'
        "    targets:\n      - kind: firms\n        quantity: 1\n"
    )
    assert cli("load", write(tmp_path, "y", both)).exit_code == 0
    assert names(store_path, authority_iri("CN-SH", "x")[: -len("x")] + "shanghai-government") == {
        LABEL: {"Shanghai Government"},
        SKOS_ALT_LABEL: {"shanghai GOVERNMENT"},
    }
    assert len(only(rows(cli, "authorities"), "shanghai")) == 2  # parks and firms, once each


def test_remove_leaves_the_shared_node_named_once(
    cli: Invoke, tmp_path: Path, store_path: Path
) -> None:
    a = write(tmp_path, "a", sheet("a", authority="Beijing Municipal Government"))
    b = write(tmp_path, "b", sheet("b", authority="beijing municipal government"))
    assert cli("load", a).exit_code == 0 and cli("load", b).exit_code == 0
    iri = authority_iri("CN-BJ", "Beijing Municipal Government")
    assert cli("remove", "a").exit_code == 0
    # b still names it: it stays, with the one label it has and b's spelling as alternative
    assert names(store_path, iri) == {
        LABEL: {"Beijing Municipal Government"},
        SKOS_ALT_LABEL: {"beijing municipal government"},
    }
    assert [row[:5] for row in only(rows(cli, "authorities"), "beijing")] == [
        ["Beijing Municipal Government", "CN-BJ", "parks", "1", "1"]
    ]
    assert cli("validate").exit_code == 0
    assert cli("remove", "b").exit_code == 0
    assert names(store_path, iri) == {}  # no source names it: gone, alternative names too
    assert only(rows(cli, "authorities"), "beijing") == []


def test_a_replacement_killed_after_its_journal_keeps_one_name(
    cli: Invoke, tmp_path: Path, store_path: Path
) -> None:
    """The settled names are part of the load's journal: replayed at the next open."""
    a = write(tmp_path, "a", sheet("a", authority="Beijing Municipal Government"))
    b = write(tmp_path, "b", sheet("b", authority="Chaoyang District Government"))
    assert cli("load", a, b).exit_code == 0
    write(tmp_path, "b", sheet("b", authority="BEIJING  Municipal Government"))
    env = {**os.environ, "PLEDGEGRAPH_TEST_KILL_AT": "replace-journalled"}
    killed = subprocess.run(
        [sys.executable, "-m", "pledgegraph", "--store", str(store_path), "load", "--replace", b],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert killed.returncode < 0  # SIGKILL
    authorities = only(rows(cli, "authorities"), "beijing")
    assert [row[:5] for row in authorities] == [
        ["Beijing Municipal Government", "CN-BJ", "parks", "2", "2"]
    ]
    assert names(store_path, authority_iri("CN-BJ", "Beijing Municipal Government")) == {
        LABEL: {"Beijing Municipal Government"},
        SKOS_ALT_LABEL: {"BEIJING Municipal Government"},
    }


def test_two_authorities_that_once_collided_answer_apart(cli: Invoke, tmp_path: Path) -> None:
    # (California's "Government" and the country's "CA Government"; a province's "Chengdu
    # Government" would now be filed under Chengdu, as a city's pledge: tests/test_city_pledges.py)
    state = write(tmp_path, "city", sheet("city", authority="Government", region="US-CA"))
    country = write(tmp_path, "prov", sheet("prov", authority="CA Government", region="US"))
    result = cli("load", state, country)
    assert result.exit_code == 0 and "Warning" not in result.stderr
    table = [row[:3] for row in rows(cli, "authorities") if row[1].startswith("US")]
    assert table == [
        ["CA Government", "US", "parks"],
        ["Government", "US-CA", "parks"],
    ]


# --- SHACL: a second name in one language is caught -------------------------------------------

TWO_LABELS = """@prefix pledge: <https://w3id.org/pledgegraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
<https://example.org/authority> a pledge:Authority ;
    rdfs:label "Beijing Government"@en, "beijing government"@en, "北京市政府"@zh ;
    pledge:governs <https://w3id.org/pledgegraph/id/region/CN-BJ> .
<https://w3id.org/pledgegraph/id/region/CN-BJ> a pledge:Region ; rdfs:label "Beijing"@en .
<https://example.org/org> a schema:Organization ; schema:name "Xinhua", "XINHUA" .
"""


@pytest.mark.parametrize("engine", ["pyshacl", "shacl"])
def test_the_shapes_catch_two_names_in_one_language(
    cli: Invoke, tmp_path: Path, engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if engine == "shacl":
        pytest.importorskip("shacl")
    monkeypatch.setenv("PLEDGEGRAPH_SHACL_ENGINE", engine)
    path = tmp_path / "two.ttl"
    path.write_text(TWO_LABELS, encoding="utf-8")
    result = cli("validate", str(path), "-f", "json")
    assert result.exit_code == 1
    found = {(p["focus"], p["rule"]) for p in json.loads(result.stdout)["problems"]}
    assert found == {
        ("https://example.org/authority", "shacl:AuthorityShape.label:maxCount"),
        ("https://example.org/org", "shacl:OrganizationShape.name:maxCount"),
    }
    # one label is fine, another language's name as skos:altLabel (the questions read an
    # authority's one label in any language: a second one, even in Chinese, doubled rows)
    path.write_text(
        TWO_LABELS.replace(', "beijing government"@en', "")
        .replace(', "北京市政府"@zh ;', ' ;\n    skos:altLabel "北京市政府"@zh ;')
        .replace(', "XINHUA"', "")
        .replace(
            "@prefix schema:",
            "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n@prefix schema:",
        )
    )
    assert cli("validate", str(path)).exit_code == 0
    path.write_text(TWO_LABELS.replace(', "beijing government"@en', "").replace(', "XINHUA"', ""))
    assert cli("validate", str(path)).exit_code == 1  # en and zh labels: two


# --- stores written before IRI_FORMAT 2 --------------------------------------------------------


def _old_iri(region: str, name: str) -> str:
    return AUTHORITY + slug(region + " " + name)


def _make_old(store_path: Path, *, lose: str | None = None) -> None:
    """Turn the store into what the older pledgegraph wrote: authority IRIs of format 1 (so
    California's "Government" and the country's "CA Government" are one node with both
    labels and both regions), other spellings as more labels, and no ``iri_format``.
    ``lose``: a label to leave out (the older loader kept one label per IRI within a sheet)."""
    with Store.open(store_path) as store:
        inner = store.inner
        reference = ox.NamedNode(REFERENCE_GRAPH)
        renames: dict[str, str] = {}
        for quad in inner.quads_for_pattern(None, ox.NamedNode(LABEL), None, reference):
            iri = quad.subject.value
            if iri.startswith(AUTHORITY):
                region = iri[len(AUTHORITY) :].rpartition("/")[0]
                renames[iri] = _old_iri(region, quad.object.value)
        assert len(set(renames.values())) < len(renames)  # two authorities merged
        for quad in list(inner):
            s, o = quad.subject, quad.object
            new_s = renames.get(s.value) if isinstance(s, ox.NamedNode) else None
            new_o = renames.get(o.value) if isinstance(o, ox.NamedNode) else None
            if new_s is None and new_o is None:
                continue
            inner.remove(quad)
            predicate = quad.predicate
            if predicate.value == SKOS_ALT_LABEL:
                predicate = ox.NamedNode(LABEL)  # older stores had two labels instead
            if predicate.value == LABEL and isinstance(o, ox.Literal) and o.value == lose:
                continue
            subject = ox.NamedNode(new_s) if new_s else s
            obj = ox.NamedNode(new_o) if new_o else o
            inner.add(ox.Quad(subject, predicate, obj, quad.graph_name))
        store.set_state(iri_format=None)


def _old_store_files(tmp_path: Path) -> list[str]:
    return [
        write(tmp_path, "city", sheet("city", authority="Government", region="US-CA")),
        write(tmp_path, "prov", sheet("prov", authority="CA Government", region="US")),
        write(tmp_path, "b1", sheet("b1", authority="Beijing Government")),
        write(tmp_path, "b2", sheet("b2", authority="beijing GOVERNMENT")),
    ]


QUESTIONS = ("authorities", "sources", "region-hierarchy", "reason-attributions")


def test_an_older_store_is_rewritten_when_opened(
    cli: Invoke, tmp_path: Path, store_path: Path
) -> None:
    assert cli("load", *_old_store_files(tmp_path)).exit_code == 0
    assert cli("reason").exit_code == 0
    expected = {q: rows(cli, q) for q in QUESTIONS}
    expected["region-pledges"] = rows(cli, "region-pledges", "region=CN")
    expected["region-pledges US"] = rows(cli, "region-pledges", "region=US")
    _make_old(store_path)
    with Store.open(store_path, initialise=False) as store:
        pass  # (opening rewrites it)
    assert store.notes == [
        "Note: the store's authority IRIs were written by an older pledgegraph; rewrote 3 as 4 "
        f"(authority/<region key>/<name>, IRI format {IRI_FORMAT})"
    ]
    got = {q: rows(cli, q) for q in QUESTIONS}
    got["region-pledges"] = rows(cli, "region-pledges", "region=CN")
    got["region-pledges US"] = rows(cli, "region-pledges", "region=US")
    # the merged node's inferred triples cannot be split: dropped, and the inferred graph is
    # out of date until the next 'reason'
    stale = cli("query", "reason-attributions")
    assert "Note: the inferred graph is out of date" in stale.stderr
    assert got["reason-attributions"] != expected["reason-attributions"]
    assert cli("reason").exit_code == 0
    got["reason-attributions"] = rows(cli, "reason-attributions")
    assert got == expected
    assert len(expected["authorities"]) == 3 + 7  # Beijing once, two in the US; bundled Hebei
    with Store.open(store_path) as store:
        assert store.state().get("iri_format") == IRI_FORMAT
    again = cli("query", "authorities")
    assert "Note:" not in again.stderr  # once
    assert cli("validate").exit_code == 0


def test_an_older_store_that_lost_a_label_keeps_the_authority_apart(
    cli: Invoke, tmp_path: Path, store_path: Path
) -> None:
    assert cli("load", *_old_store_files(tmp_path)).exit_code == 0
    _make_old(store_path, lose="CA Government")
    result = cli("query", "authorities", "-f", "plain")
    assert (
        "Note: could not tell which authority some pledges meant "
        f"(<{_old_iri('US', 'CA Government')}>); remove their sources and load them "
        "again"
    ) in result.stderr.splitlines()
    table = [row.split("\t")[:3] for row in result.stdout.splitlines()[1:]]
    # the province's authority is its own node again; its name survives only in the old IRI
    assert ["ca government", "US", "parks"] in table
    assert ["Government", "US-CA", "parks"] in table
    # the remedy the note gives
    assert cli("remove", "prov").exit_code == 0
    prov = write(tmp_path, "prov", sheet("prov", authority="CA Government", region="US"))
    assert cli("load", prov).exit_code == 0
    assert ["CA Government", "US", "parks"] in [r[:3] for r in rows(cli, "authorities")]


def test_authorities_named_in_chinese_are_apart_and_served(
    cli: Invoke, tmp_path: Path, store_path: Path
) -> None:
    """Once one node per region (the old slug dropped every Chinese letter); now one each,
    each at its own /id/ address (the server decodes the address to the IRI's letters)."""
    from urllib.parse import quote

    from tests.test_server import get, start_server

    text = sheet("z", authority="北京市人民政府") + (
        '  - region: CN-BJ\n    authority: "北京市经济和信息化局"\n'
        "    targets:\n      - kind: funds\n        quantity: 1\n"
    )
    result = cli("load", write(tmp_path, "z", text))
    assert result.exit_code == 0 and "Warning" not in result.stderr
    table = [row[:3] for row in only(rows(cli, "authorities"), "北京")]
    assert table == [
        ["北京市人民政府", "CN-BJ", "parks"],
        ["北京市经济和信息化局", "CN-BJ", "funds"],
    ]
    iri = authority_iri("CN-BJ", "北京市人民政府")
    assert iri == AUTHORITY + "CN-BJ/北京市人民政府"
    server = start_server(store_path)
    try:
        page = get(server, "/id/" + quote(iri[len(ID) :]), headers={"accept": "text/turtle"})
    finally:
        server.stop()
    assert page.status_code == 200 and "北京市人民政府" in page.text


def test_a_sparql_server_keeps_one_name_too(
    tmp_path: Path, oxigraph_server: Callable[[], str]
) -> None:
    """The same loads against an Oxigraph server: the same warning and the same answers."""
    from click.testing import CliRunner

    from pledgegraph.cli import main

    a = write(tmp_path, "a", sheet("a", authority="Beijing Municipal Government"))
    b = write(tmp_path, "b", sheet("b", authority="beijing municipal  government"))
    answers = []
    for store in (str(tmp_path / "embedded"), oxigraph_server()):

        def run(*args: str, store: str = store) -> Result:
            return CliRunner().invoke(main, ["--store", store, *args], catch_exceptions=False)

        assert run("load", a).exit_code == 0
        second = run("load", b)
        assert second.exit_code == 0 and "is kept as its skos:altLabel" in second.stderr
        table = run("query", "authorities", "-f", "plain")
        answers.append(only([r.split("\t") for r in table.stdout.splitlines()], "beijing"))
    assert answers[0] == answers[1] and len(answers[0]) == 1


# --- publishers (IRI format 3) ---------------------------------------------------------------

ORGANIZATION = ID + "organization/"


def _publisher_of(cli: Invoke) -> dict[str, str]:
    """Each source's URL -> its publisher, as the ``sources`` question answers."""
    result = cli("query", "sources", "-f", "json")
    assert result.exit_code == 0, result.stderr
    return {
        row["url"]["value"]: row.get("publisher", {}).get("value", "")
        for row in json.loads(result.stdout)["results"]["bindings"]
    }


def _as_format_2(
    store_path: Path,
    rename: Callable[[str], str | None],
    alternate: Callable[[str, str], bool],
) -> None:
    """Turn the store into what IRI format 2 wrote: IRIs renamed by ``rename``; a
    ``schema:name`` for which ``alternate(subject, name)`` holds becomes an alternate name."""
    with Store.open(store_path) as store:
        inner = store.inner
        for quad in list(inner):
            s, o = quad.subject, quad.object
            new_s = rename(s.value) if isinstance(s, ox.NamedNode) else None
            new_o = rename(o.value) if isinstance(o, ox.NamedNode) else None
            if not (new_s or new_o):
                continue
            inner.remove(quad)
            predicate = quad.predicate
            if predicate.value == SCHEMA_NAME and alternate(s.value, o.value):
                predicate = ox.NamedNode(ALTERNATE_NAME)
            inner.add(
                ox.Quad(
                    ox.NamedNode(new_s) if new_s else s,
                    predicate,
                    ox.NamedNode(new_o) if new_o else o,
                    quad.graph_name,
                )
            )
        store.set_state(iri_format=2)


def test_publishers_named_in_chinese_are_apart(cli: Invoke, tmp_path: Path) -> None:
    """The older IRI kept only ASCII letters: every Chinese publisher was organization/unnamed,
    one node, so every such source showed the first publisher's name."""
    assert organization_iri("四川日报") == ORGANIZATION + "四川日报"
    assert organization_iri("Région Grand Est") == ORGANIZATION + "région-grand-est"
    files = [
        write(tmp_path, "p1", sheet("p1", authority="A", publisher="四川日报")),
        write(tmp_path, "p2", sheet("p2", authority="B", publisher="北京日报")),
    ]
    assert cli("load", *files).exit_code == 0
    publishers = _publisher_of(cli)
    assert publishers["https://example.org/p1"] == "四川日报"
    assert publishers["https://example.org/p2"] == "北京日报"
    assert cli("validate").exit_code == 0


def test_an_older_store_with_publishers_in_chinese_is_rewritten(
    cli: Invoke, tmp_path: Path, store_path: Path
) -> None:
    files = [
        write(tmp_path, "p1", sheet("p1", authority="A", publisher="四川日报")),
        write(tmp_path, "p2", sheet("p2", authority="B", publisher="Région Grand Est")),
    ]
    assert cli("load", *files).exit_code == 0
    expected = _publisher_of(cli)
    old = {organization_iri(n): ORGANIZATION + slug(n) for n in ("四川日报", "Région Grand Est")}
    assert set(old.values()) == {ORGANIZATION + "unnamed", ORGANIZATION + "r-gion-grand-est"}
    _as_format_2(store_path, lambda iri: old.get(iri), lambda subject, name: False)
    with Store.open(store_path, initialise=False) as store:
        pass  # (opening rewrites it)
    assert store.notes == [
        "Note: rewrote 2 publisher or authority IRIs written by an older pledgegraph (names "
        f"with letters and marks of any script, IRI format {IRI_FORMAT})"
    ]
    assert _publisher_of(cli) == expected
    assert names(store_path, ORGANIZATION + "四川日报") == {SCHEMA_NAME: {"四川日报"}}
    assert names(store_path, ORGANIZATION + "unnamed") == {}
    assert cli("validate").exit_code == 0


def test_publishers_an_older_store_had_merged_are_named_in_a_note(
    cli: Invoke, tmp_path: Path, store_path: Path
) -> None:
    """Two Chinese publishers shared organization/unnamed (one name, the other an alternate):
    which source meant which cannot be told; the note says what to do, and doing it works."""
    files = [
        write(tmp_path, "p1", sheet("p1", authority="A", publisher="四川日报")),
        write(tmp_path, "p2", sheet("p2", authority="B", publisher="北京日报")),
    ]
    assert cli("load", *files).exit_code == 0
    unnamed = ORGANIZATION + "unnamed"
    _as_format_2(
        store_path,
        lambda iri: (
            unnamed if iri in {organization_iri("四川日报"), organization_iri("北京日报")} else None
        ),
        lambda subject, name: name == "四川日报",  # the later load's spelling: an alternate
    )
    result = cli("query", "sources", "-f", "json")
    assert (
        "Note: publishers or authorities of different names had shared one IRI "
        f"(<{unnamed}>); their sources now name the first of those names: remove those "
        "sources and load them again"
    ) in result.stderr.splitlines()
    merged = _publisher_of(cli)  # both sources name the node's main name
    assert merged["https://example.org/p1"] == merged["https://example.org/p2"] == "北京日报"
    assert cli("remove", "p1").exit_code == 0
    assert cli("load", files[0]).exit_code == 0
    publishers = _publisher_of(cli)
    assert publishers["https://example.org/p1"] == "四川日报"


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("किरण", "कीरण"),  # Hindi: only a vowel sign (a combining mark) differs
        ("กิน", "กัน"),  # Thai
        ("كَتَبَ", "كُتُبٌ"),  # Arabic with its vowel marks
        ("🚀", "★★"),  # no letter at all
    ],
)
def test_names_that_differ_only_in_marks_or_signs_are_apart(one: str, other: str) -> None:
    """An attack found these merged (the marks dropped; names without letters 'unnamed')."""
    assert organization_iri(one) != organization_iri(other)
    assert authority_iri("CN-SH", one) != authority_iri("CN-SH", other)
    assert organization_iri("★★") == organization_iri(" ★★ ")  # spacing is not a new name


def test_an_older_store_with_authorities_named_with_marks_is_rewritten(
    cli: Invoke, tmp_path: Path, store_path: Path
) -> None:
    """IRI format 3 dropped combining marks: the two authorities below were one node. Here
    each was loaded apart, then renamed to its format-3 IRI: opening the store renames them
    back to their own IRIs, and the questions answer as before."""
    files = [
        write(tmp_path, "h1", sheet("h1", authority="किरण", region="CN-SH")),
        write(tmp_path, "h2", sheet("h2", authority="Sun Bureau", region="CN-SH")),
    ]
    assert cli("load", *files).exit_code == 0
    expected = rows(cli, "authorities")
    new = authority_iri("CN-SH", "किरण")
    old = AUTHORITY + "CN-SH/क-रण"  # what format 3 wrote
    assert new != old
    _as_format_2(store_path, lambda iri: old if iri == new else None, lambda s, n: False)
    with Store.open(store_path, initialise=False) as store:
        pass  # (opening rewrites it)
    assert store.notes == [
        "Note: rewrote 1 publisher or authority IRI written by an older pledgegraph (names "
        f"with letters and marks of any script, IRI format {IRI_FORMAT})"
    ]
    assert rows(cli, "authorities") == expected
    assert names(store_path, new) == {LABEL: {"किरण"}}
    assert cli("validate").exit_code == 0


@pytest.mark.parametrize(
    ("written", "key"),
    [("HK", "CN-HK"), ("hk", "CN-HK"), ("HKG", "CN-HK"), ("CN-HK", "CN-HK"),
     ("Hong Kong", "CN-HK"), ("香港", "CN-HK"), ("MO", "CN-MO"), ("Macau", "CN-MO"),
     ("TW", "TW")],
)  # fmt: skip
def test_one_place_is_one_region_whatever_code_names_it(written: str, key: str) -> None:
    """An outside attack: a sheet for region HK and one for CN-HK made two regions, each
    with its own totals. TW stays its own (its Wikidata item is not CN-TW's)."""
    region = gazetteer().resolve(written)
    assert region is not None and region.key == key


def test_hk_and_cn_hk_sheets_count_in_one_region(cli: Invoke, tmp_path: Path) -> None:
    for n, region in enumerate(["HK", "CN-HK"]):
        sheet = tmp_path / f"hk{n}.pledges.yaml"
        sheet.write_text(
            f"source:\n  url: https://example.org/hk/{n}\npledges:\n  - region: {region}\n"
            "    deadline: 2021\n    targets:\n      - kind: parks\n        quantity: 4\n",
            encoding="utf-8",
        )
        assert cli("load", str(sheet)).exit_code == 0
    rows = cli("query", "region-pledges", "-p", "region=HK", "-f", "csv").stdout.splitlines()
    assert [row.split(",")[0] for row in rows[1:]] == ["CN-HK", "CN-HK"]


@pytest.mark.parametrize("name", ["a\U000e0100", "\U000e0101b", "河北\U000e01ef"])
def test_a_name_with_a_supplementary_variation_selector_gives_a_valid_iri(name: str) -> None:
    """Found by the property test above in a CI run: a variation selector of the supplement
    (U+E0100-E01EF, a combining mark that no IRI may hold) was kept in the IRI segment."""
    iri = authority_iri("CN-HE", name)
    ox.NamedNode(iri)
    assert "\U000e0100" not in iri and iri.endswith(("/a", "/b", "/河北"))
