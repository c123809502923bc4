"""The provenance row as the listing questions read it (row format 5, issue 12).

``pledge:rowProvenance`` holds what provenance, unspecified-quantities, undated-targets,
due-in-year, confidence-review, ranges-and-approximations and parks-by-year show of a target
(``loaders.rdf.PROVENANCE_FIELDS``), behind the offsets where each field ends
(``loaders.rdf.indexed``). The questions cut it with SPARQL's ``SUBSTR``; these tests hold the
offsets to what SPARQL counts, and the questions to the terms the graph holds where a file
carries literals the loader never writes (a plain description, a tagged qualifier).
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from hypothesis import given, settings
from hypothesis import strategies as st

from pledgegraph import queries
from pledgegraph.graph.query import run
from pledgegraph.graph.rows import stale_rows
from pledgegraph.graph.store import Store
from pledgegraph.loaders.rdf import PROVENANCE_FIELDS, ROW_PROVENANCE, indexed, unindexed

FIELDS = st.lists(st.text(max_size=20), min_size=2, max_size=6)
#: Letters of every width SPARQL and Python might count differently (BMP, astral, combining).
WIDE = st.lists(st.text(alphabet=st.sampled_from("aé河𝔘🙂\u0301 #0"), max_size=12), min_size=2)


@given(FIELDS)
def test_indexed_fields_come_back(fields: list[str]) -> None:
    assert list(unindexed(indexed(fields), len(fields))) == fields


@settings(max_examples=30, deadline=None)
@given(WIDE)
def test_sparql_cuts_the_fields_where_the_offsets_say(fields: list[str]) -> None:
    """The questions' SUBSTR arithmetic (a copy with "#" in front, field i from the end of
    field i - 1) gives back every field, whatever characters it holds."""
    row = ox.Literal(indexed(fields))
    head = (len(fields) - 1) * 5
    cut = []
    for i in range(len(fields)):
        start = str(head) if i == 0 else f"xsd:integer(SUBSTR(?c, {5 * (i - 1) + 2}, 5))"
        if i == len(fields) - 1:
            cut.append(f"(SUBSTR(?c, {start} + 2) AS ?f{i})")
        else:
            end = f"xsd:integer(SUBSTR(?c, {5 * i + 2}, 5))"
            cut.append(f"(SUBSTR(?c, {start} + 2, {end} - {start}) AS ?f{i})")
    query = (
        "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> SELECT "
        + " ".join(cut)
        + f' WHERE {{ BIND(CONCAT("#", {row}) AS ?c) }}'
    )
    (solution,) = list(ox.Store().query(query))  # type: ignore[union-attr]
    assert [solution[f"f{i}"].value for i in range(len(fields))] == fields  # type: ignore[union-attr]


TURTLE = """
@prefix pledge: <https://w3id.org/pledgegraph/ontology#> .
@prefix schema: <https://schema.org/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix kind: <https://w3id.org/pledgegraph/kind/> .
@base <https://w3id.org/pledgegraph/id/> .
<source/file1> a schema:NewsArticle ; schema:url <https://example.org/f/1> .
<pledge/file1/1> a pledge:Pledge ; pledge:region <region/CN-HE> ;
    pledge:plan "Plan B"@en ; prov:wasDerivedFrom <source/file1> ;
    pledge:hasTarget <pledge/file1/1/target/1> .
<pledge/file1/1/target/1> a pledge:Target ; pledge:kind kind:firms ;
    schema:description "plain words" ; pledge:qualifier "führend"@de ;
    prov:wasDerivedFrom <source/file1> .
"""


def test_a_files_literals_keep_their_terms(tmp_path: Path) -> None:
    """Plain, tagged and absent literals come out of the row as the graph holds them."""
    path = tmp_path / "file1.ttl"
    path.write_text(TURTLE, encoding="utf-8")
    store = Store.memory()
    store.load_rdf(str(path))
    assert stale_rows(store) == []
    target = "https://w3id.org/pledgegraph/id/pledge/file1/1/target/1"
    (row,) = [
        q.object.value
        for q in store.inner.quads_for_pattern(
            ox.NamedNode(target), ox.NamedNode(ROW_PROVENANCE), None, None
        )
    ]
    fields = dict(zip(PROVENANCE_FIELDS, unindexed(row, len(PROVENANCE_FIELDS)), strict=True))
    assert (fields["descriptionTag"], fields["qualifierTag"], fields["planTag"]) == (
        "^",
        "@de",
        "@en",
    )
    assert fields["precision"] == "unspecified" and fields["deadline"] == ""

    def ask(name: str) -> list[dict[str, str]]:
        query = queries.get(name)
        result = run(store, queries.with_values(query.sparql, queries.bind(query, {})), where=name)
        assert isinstance(result, ox.QuerySolutions)
        names = [v.value for v in result.variables]
        found = [{n: str(s[n]) if s[n] is not None else "" for n in names} for s in result]
        return [r for r in found if r["target"] == f"<{target}>"]

    (unspecified,) = ask("unspecified-quantities")
    assert unspecified["description"] == '"plain words"'
    assert unspecified["qualifier"] == '"führend"@de'
    assert unspecified["deadline"] == ""
    assert unspecified["regionName"] == '"Hebei"@en'
    (undated,) = ask("undated-targets")
    assert undated["plan"] == '"Plan B"@en' and undated["quantity"] == '"unspecified"'


def test_a_plan_too_long_for_a_row_is_shown_cut_and_the_store_stays_usable(
    tmp_path: Path,
) -> None:
    """A 120,000-character plan from an RDF file: the row cannot hold it whole (five-digit
    offsets); writing it failed, and every later open of the store failed with it. Now the
    question shows its first part, ending with "…", and the rows are current."""
    from click.testing import CliRunner

    from pledgegraph.cli import main

    long_plan = "Plan " + "L" * 120_000
    path = tmp_path / "file1.ttl"
    path.write_text(TURTLE.replace('"Plan B"@en', f'"{long_plan}"@en'), encoding="utf-8")
    store_dir = str(tmp_path / "store")

    def cli(*args: str) -> str:
        result = CliRunner().invoke(main, ["--store", store_dir, *args], catch_exceptions=False)
        assert result.exit_code == 0, result.stderr
        return result.stdout

    cli("load", str(path))
    assert (
        "every target's row is current"
        in CliRunner().invoke(main, ["--store", store_dir, "reindex", "--check"]).stderr
    )
    import json

    rows = json.loads(cli("query", "undated-targets", "-f", "json"))["results"]["bindings"]
    (plan,) = [
        r["plan"]["value"] for r in rows if r["target"]["value"].endswith("file1/1/target/1")
    ]
    assert plan.startswith("Plan LLLL") and plan.endswith("\u2026")
    assert 90_000 < len(plan) < len(long_plan)
    assert '"sources": 2' in cli("stats", "--json")  # the store still opens


def test_a_file_describing_other_sources_targets_updates_their_rows(tmp_path: Path) -> None:
    """A file that adds a description and a low confidence to a bundled target: the rows of the bundled source follow (an attack found
    them stale: 'reindex --check' listed them and the questions showed the old values), and
    follow back when the file is removed."""
    import json

    from click.testing import CliRunner

    from pledgegraph.cli import main

    target = "https://w3id.org/pledgegraph/id/pledge/cryptonews-7376/1/target/1"
    extra = tmp_path / "extra.ttl"
    extra.write_text(
        f"<{target}> <https://w3id.org/pledgegraph/ontology#confidence> 0.1 ;\n"
        '    <https://schema.org/description> "eine Beschreibung"@de .\n',
        encoding="utf-8",
    )
    store_dir = str(tmp_path / "store")

    def cli(*args: str) -> tuple[int, str, str]:
        result = CliRunner().invoke(main, ["--store", store_dir, *args], catch_exceptions=False)
        return result.exit_code, result.stdout, result.stderr

    def review() -> dict[str, str]:
        code, out, err = cli("query", "confidence-review", "-f", "json")
        assert code == 0, err
        rows = json.loads(out)["results"]["bindings"]
        return {r["target"]["value"]: r.get("description", {}).get("value", "") for r in rows}

    assert target not in review()
    assert cli("load", "--lenient", str(extra))[0] == 0
    assert cli("reindex", "--check")[0] == 0
    assert target in review()  # its confidence is now below the review threshold
    assert cli("remove", "extra-ttl")[0] == 0
    assert cli("reindex", "--check")[0] == 0
    assert target not in review()


def test_a_file_giving_a_region_a_new_parent_updates_the_rows_below_it(tmp_path: Path) -> None:
    """Rows hold each pledge region's ancestors: a file that puts a province under a new
    region changes the rows of pledges in the province's cities too, not only of pledges
    in the province itself (an attack found those stale)."""
    from click.testing import CliRunner

    from pledgegraph.cli import main

    sheet = tmp_path / "city.pledges.yaml"
    sheet.write_text(
        "source:\n  url: https://example.org/news/city-parks\n  title: City parks\n"
        "  publisher: Example News\npledges:\n  - region: Shijiazhuang\n    deadline: 2024\n"
        "    targets:\n      - kind: parks\n        quantity: 3\n",
        encoding="utf-8",
    )
    parent = tmp_path / "parent.ttl"
    parent.write_text(
        "<https://w3id.org/pledgegraph/id/region/CN-HE> "
        "<https://w3id.org/pledgegraph/ontology#partOf> "
        "<https://w3id.org/pledgegraph/id/region/north-china-plain> .\n",
        encoding="utf-8",
    )
    store_dir = str(tmp_path / "store")

    def cli(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(main, ["--store", store_dir, *args], catch_exceptions=False)
        return result.exit_code, result.stdout + result.stderr

    assert cli("load", str(sheet))[0] == 0
    # Such a file is refused now, --lenient or not: a region pledgegraph describes keeps the
    # region it lies in (tests/test_load_mixed.py); the rows stay as they were.
    code, said = cli("load", "--lenient", str(parent))
    assert code == 2 and "pledgegraph describes pgid:region/CN-HE itself" in said, said
    code, said = cli("reindex", "--check")
    assert code == 0, said
