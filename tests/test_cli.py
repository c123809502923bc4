"""The command line, in process: results on stdout, one ``Error:`` line on stderr, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from pledgegraph import __version__
from tests.conftest import Invoke

HEADLINE = ("query", "parks-by-year", "--param", "year=2022")


def test_version(cli: Invoke) -> None:
    result = cli("--version")
    assert result.exit_code == 0
    assert result.stdout == f"pledgegraph, version {__version__}\n"


def test_headline_question_as_csv(cli: Invoke) -> None:
    import csv
    import io

    result = cli(*HEADLINE, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["region"], r["regionName"], r["quantity"], r["deadline"]) for r in rows] == [
        ("CN-HE", "Hebei", "3", "by end of 2022"),
        ("CN-HN", "Hunan", "5", "by end of 2022"),
    ]
    assert all("cryptonews.com" in r["url"] for r in rows)


def test_headline_question_as_table(cli: Invoke) -> None:
    result = cli(*HEADLINE, "--format", "table")
    assert result.exit_code == 0
    assert "Hebei" in result.stdout and "Hunan" in result.stdout and "2 rows" in result.stdout
    assert "Guizhou" not in result.stdout


def test_earlier_year_has_no_parks(cli: Invoke) -> None:
    result = cli("query", "parks-by-year", "-p", "year=2021", "--format", "json")
    assert json.loads(result.stdout)["results"]["bindings"] == []


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv", "markdown"])
def test_result_formats_parse(cli: Invoke, fmt: str) -> None:
    result = cli(*HEADLINE, "--format", fmt)
    assert result.exit_code == 0
    if fmt == "csv":  # lossy: pyoxigraph does not parse it back
        assert len(result.stdout.splitlines()) == 3
    elif fmt in ("json", "xml", "tsv"):
        parsed = ox.parse_query_results(
            result.stdout.encode(), ox.QueryResultsFormat.from_extension(fmt)
        )
        assert len(list(parsed)) == 2  # type: ignore[arg-type]
    else:
        assert result.stdout.startswith("| region | regionName |")


def test_show_prints_the_bound_query(cli: Invoke) -> None:
    result = cli("query", "parks-by-year", "-p", "year=2030", "--show")
    assert (
        'VALUES (?_year_integer) { ("2030"^^<http://www.w3.org/2001/XMLSchema#integer>) }'
        in result.stdout
    )


def test_queries_lists_summaries_and_parameters(cli: Invoke) -> None:
    result = cli("queries")
    assert (
        "parks-by-year\n    Regions that pledged technology parks by a given year" in result.stdout
    )
    assert "year=<integer> (default 2022)" in result.stdout
    listed = json.loads(cli("queries", "--json").stdout)
    assert {q["name"] for q in listed} >= {"parks-by-year"}


def test_sparql_from_text_file_and_stdin(cli: Invoke, tmp_path: Path) -> None:
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?t a pledge:Target }"
    assert cli("sparql", text, "-f", "csv").stdout.splitlines() == ["n", "15"]
    path = tmp_path / "q.rq"
    path.write_text(text)
    assert cli("sparql", "-q", str(path), "-f", "tsv").stdout == "?n\n15\n"
    assert cli("sparql", "-", "-f", "tsv", input=text).stdout == "?n\n15\n"
    assert cli("sparql", "ASK { ?t a pledge:Target }").stdout == "true\n"


def test_sparql_construct_gives_turtle(cli: Invoke) -> None:
    result = cli(
        "sparql", "CONSTRUCT { ?r rdfs:label ?l } WHERE { ?r a pledge:Region ; rdfs:label ?l }"
    )
    graph = rdflib.Graph().parse(data=result.stdout, format="turtle")
    assert len(graph) == 10  # 5 regions (4 provinces + China) x en/zh


def test_load_and_reload_fact_sheet(cli: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "sc.pledges.yaml"
    path.write_text(
        "source:\n  url: https://example.org/sc\n  key: sc\npledges:\n  - region: Sichuan\n"
        "    deadline: 2025\n    targets:\n      - kind: parks\n        quantity: 2\n"
    )
    first = cli("load", str(path))
    assert first.exit_code == 0
    assert first.stderr.startswith(f"loaded {path}: ")
    assert cli("load", str(path)).stderr.startswith(f"unchanged {path}: ")
    path.write_text(path.read_text().replace("quantity: 2", "quantity: 3"))
    assert cli("load", str(path)).stderr.startswith(f"replaced {path}: ")
    rows = cli(*HEADLINE[:2], "-p", "year=2025", "-f", "csv").stdout.splitlines()
    assert [r.split(",")[0] for r in rows[1:]] == ["CN-HE", "CN-HN", "CN-SC"]


def _nquads(cli: Invoke) -> str:
    return cli("export", "--format", "nquads").stdout


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (
            ("query", "no-such-query"),
            None,
            "Error: query no-such-query: no such stored query; run 'pledgegraph queries' to list them\n",
        ),
        (
            ("query", "parks-by-yaer"),
            None,
            "Error: query parks-by-yaer: no such stored query; did you mean parks-by-year",
        ),
        (  # a new user's trial: "did you mean search?" for a name nothing like it
            ("query", "nosuch"),
            None,
            "Error: query nosuch: no such stored query; run 'pledgegraph queries' to list them\n",
        ),
        (
            ("query", "parks-by-year", "-p", "year=soon"),
            None,
            "Error: query parks-by-year: parameter year='soon' is not a whole number; give --param year=<integer>\n",
        ),
        (  # a new user's trial: a mistyped year listed every park without a word
            ("query", "parks-by-year", "-p", "year=20222"),
            None,
            "Error: query parks-by-year: parameter year='20222' is not a year from 1 to 9999; give --param year=<integer>\n",
        ),
        (
            ("query", "due-in-year", "-p", "year=-5"),
            None,
            "Error: query due-in-year: parameter year='-5' is not a year from 1 to 9999; give --param year=<year>\n",
        ),
        (
            ("query", "parks-by-year", "-p", "colour=red"),
            None,
            "Error: query parks-by-year: unknown parameter 'colour'; this query takes: year\n",
        ),
        (
            ("query", "parks-by-year", "-p", "year"),
            None,
            "Error: --param: 'year' is not name=value; write --param year=2022\n",
        ),
        (
            ("query", "ranges-and-approximations", "-p", "kind"),
            None,
            "Error: --param: 'kind' is not name=value; write --param kind=parks\n",
        ),
        (
            ("query", "authorities", "-p", "kind"),
            None,
            "Error: --param: 'kind' is not name=value; authorities takes no parameters\n",
        ),
        (
            ("query", "authorities", "-p", "region=CN"),
            None,
            "Error: query authorities: unknown parameter 'region'; this query takes no parameters\n",
        ),
        (
            ("sparql", "SELEC * WHERE {}"),
            None,
            "Error: query: SPARQL syntax error: error at 1:10: expected CONSTRUCT; fix the query",
        ),
        (
            ("sparql",),
            None,
            "Error: sparql: give the query as TEXT, with -q FILE, or '-' to read stdin\n",
        ),
        (
            ("export", "--graph", "https://nowhere.example/g"),
            None,
            "Error: --graph https://nowhere.example/g: no such graph in the store; run 'pledgegraph stats' to list the graphs\n",
        ),
        (
            ("load", "-", "--format", "turtle"),
            "<a> <b> .",
            "Error: -:1: malformed RDF: at line 1 between columns 1 and 4: No scheme found in an absolute IRI; fix the file",
        ),
        (("load", "-"), "source: [", "Error: -:1: malformed YAML: "),
    ],
)
def test_bad_input_one_line_exit_2_store_unchanged(
    cli: Invoke, args: tuple[str, ...], stdin: str | None, message: str
) -> None:
    before = _nquads(cli)
    result = cli(*args, input=stdin)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(message.rstrip("\n") if not message.endswith("\n") else message)
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert _nquads(cli) == before


def test_load_missing_and_bad_files_among_good_ones(cli: Invoke, tmp_path: Path) -> None:
    good = tmp_path / "ok.ttl"
    good.write_text("<https://e.org/a> <https://e.org/b> <https://e.org/c> .\n")
    bad = tmp_path / "bad.pledges.yaml"
    bad.write_text(
        "source:\n  url: https://e.org/x\npledges:\n  - region: Atlantis\n    targets: [{kind: parks}]\n"
    )
    result = cli("load", str(good), str(bad), str(tmp_path / "missing.ttl"))
    assert result.exit_code == 1
    assert f"Error: {bad}:4: unknown region 'Atlantis'" in result.stderr
    assert f"Error: {tmp_path / 'missing.ttl'}: no such file; check the path" in result.stderr
    assert "1 of 3 files loaded (" in result.stderr
    assert "2 not loaded (the store holds the others)" in result.stderr


def test_a_folder_of_one_file_gets_its_summary(cli: Invoke, tmp_path: Path) -> None:
    """A new user's trial (helper-153): a folder holding one refused sheet printed its error
    and no summary, unlike a folder of two."""
    folder = tmp_path / "sheets"
    folder.mkdir()
    (folder / "bad.pledges.yaml").write_text(
        "source:\n  url: https://e.org/x\npledges:\n  - region: Atlantis\n    targets: [{kind: parks}]\n"
    )
    before = _nquads(cli)
    result = cli("load", str(folder))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {folder / 'bad.pledges.yaml'}:4: unknown region")
    assert result.stderr.endswith("0 of 1 files loaded (0 quads), 1 not loaded\n")
    assert _nquads(cli) == before
    (folder / "bad.pledges.yaml").unlink()
    (folder / "ok.ttl").write_text("<https://e.org/a> <https://e.org/b> <https://e.org/c> .\n")
    result = cli("load", str(folder))
    assert result.exit_code == 0
    assert result.stderr.endswith("1 of 1 files loaded (1 quad)\n")


def test_unwritable_store(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from pledgegraph.cli import main

    blocker = tmp_path / "f"
    blocker.write_text("")
    result = CliRunner().invoke(main, ["--store", str(blocker / "store"), *HEADLINE])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {blocker / 'store'}: ")
    assert "Traceback" not in result.stderr


def _store_graph(cli: Invoke) -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.parse(data=cli("export", "--format", "ntriples").stdout, format="nt")
    return graph


@pytest.mark.parametrize(
    ("fmt", "rdflib_format"),
    [("turtle", "turtle"), ("jsonld", "json-ld"), ("rdfxml", "xml"), ("ntriples", "nt")],
)
def test_export_round_trips_and_is_deterministic(cli: Invoke, fmt: str, rdflib_format: str) -> None:
    first = cli("export", "--format", fmt).stdout
    assert first == cli("export", "--format", fmt).stdout
    parsed = rdflib.Graph().parse(data=first, format=rdflib_format)
    assert isomorphic(parsed, _store_graph(cli))


def test_turtle_export_declares_only_used_prefixes(cli: Invoke) -> None:
    text = cli("export", "--graph", "https://w3id.org/pledgegraph/graph/reference").stdout
    prefixes = {line.split()[1] for line in text.splitlines() if line.startswith("@prefix")}
    # the reference graph holds the shared publishers (schema:Organization) since issue 12
    assert prefixes == {"pgid:", "pledge:", "rdf:", "rdfs:", "schema:", "time:", "xsd:"}


def test_jsonld_export_uses_our_context(cli: Invoke) -> None:
    document = json.loads(cli("export", "--format", "jsonld").stdout)
    assert document["@context"]["pledge"] == "https://w3id.org/pledgegraph/ontology#"
    (hebei,) = [n for n in document["@graph"] if n["@id"].endswith("/id/region/CN-HE")]
    assert hebei["@type"] == "Region" and hebei["isoCode"] == "CN-HE"


def test_export_to_file_and_quads(cli: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "all.trig"
    result = cli("export", "--format", "trig", "-o", str(out))
    assert result.stderr == f"wrote {out}\n"
    dataset = ox.Dataset(ox.parse(path=str(out), format=ox.RdfFormat.TRIG))
    assert len(dataset) == len(_nquads(cli).splitlines())


def test_stats(cli: Invoke) -> None:
    data = json.loads(cli("stats", "--json").stdout)
    assert (data["sources"], data["pledges"], data["targets"], data["regions"]) == (1, 5, 15, 4)
    assert "https://w3id.org/pledgegraph/graph/source/cryptonews-7376" in data["graphs"]


def test_stats_counts_quads_as_export_writes_them(cli: Invoke) -> None:
    """The index quads written for the stored questions are not data: counted apart."""
    data = json.loads(cli("stats", "--json").stdout)
    exported = ox.Dataset(ox.parse(_nquads(cli), format=ox.RdfFormat.N_QUADS))
    assert data["quads"] == len(exported)
    per_graph: dict[str, int] = {}
    for quad in exported:
        assert isinstance(quad.graph_name, ox.NamedNode)
        per_graph[quad.graph_name.value] = per_graph.get(quad.graph_name.value, 0) + 1
    assert data["graphs"] == per_graph
    assert data["index_quads"] > 0  # one row per target at least
    text = cli("stats").stdout
    assert f"quads:    {len(exported)}\n" in text
    assert f"index:    {data['index_quads']} quads" in text


FIXTURES = Path(__file__).parent / "fixtures" / "invalid"


def test_load_validates_before_writing(cli: Invoke) -> None:
    before = _nquads(cli)
    bad = FIXTURES / "range-min-above-max.ttl"
    result = cli("load", str(bad))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{bad}:") and "ERROR range-min-above-max" in lines[0]
    assert lines[-1] == (
        f"Error: {bad}: not loaded: 1 validation error (listed above); "
        "fix the source, or load it anyway with --lenient"
    )
    assert _nquads(cli) == before


def test_load_lenient_loads_with_warnings(cli: Invoke) -> None:
    bad = FIXTURES / "range-min-above-max.ttl"
    result = cli("load", "--lenient", str(bad))
    assert result.exit_code == 0
    assert result.stderr.startswith(f"Warning: {bad}:")
    assert "loaded " in result.stderr


@pytest.mark.parametrize("name", ["nb.pledges.txt", "nb.json", "nb.ttl"])
def test_a_fact_sheet_with_another_name_is_told_to_be_named_so(
    cli: Invoke, tmp_path: Path, name: str
) -> None:
    """A new user's trial: a fact sheet named *.pledges.txt heard only of RDF formats, and one
    named *.json or *.ttl got a parser's error."""
    sheet = tmp_path / name
    sheet.write_text(
        "source:\n  url: https://example.org/nb\n  title: NB\npledges:\n  - region: Ningbo\n"
        "    targets:\n      - kind: parks\n        quantity: 2\n",
        encoding="utf-8",
    )
    for command in (("load",), ("load", "--no-shapes"), ("validate",)):
        done = cli(*command, str(sheet))
        assert done.exit_code == 2, done.stderr
        (line,) = done.stderr.splitlines()
        assert line.startswith(f"Error: {sheet}") and line.endswith(
            "it reads like a fact sheet: name it nb.pledges.yaml (a fact sheet is told by its "
            ".yaml or .yml name)"
        ), line
