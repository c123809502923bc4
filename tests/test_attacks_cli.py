"""Issue 9, the command line from the outside: each test is an attack that once gave a wrong
answer, a silent choice, a usage block or a misleading hint.

Real stores in tmp_path, the CLI in process (``CliRunner``, stdout and stderr kept apart),
real sockets on loopback.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import Result

from pledgegraph.graph.store import Store
from tests.conftest import Invoke, run_pledgegraph

ZHEJIANG = """\
source:
  url: https://example.org/news/ningbo-parks
  title: Ningbo plans parks
  publisher: Example Ningbo Daily
pledges:
  - region: CN-ZJ/ningbo
    authority: Ningbo city government
    deadline: 2031
    sector: blockchain
    targets:
      - kind: parks
        quantity: 4
"""

#: Stored questions about regions (and the headline one), compared before a load and after
#: the removal of what was loaded.
REGION_QUESTIONS = (
    "region-hierarchy",
    "regions-linked",
    "compare-regions",
    "pledges-by-country",
    "authorities",
    "deadlines",
    "parks-by-year",
)


def _sheet(tmp_path: Path, text: str, name: str = "sheet.pledges.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _one_error(result: Result, line: str) -> None:
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == line


# --- 1: a parameter given twice ----------------------------------------------------------


def test_a_parameter_given_twice_is_refused(cli: Invoke) -> None:
    result = cli("query", "parks-by-year", "-p", "year=2020", "-p", "year=2022")
    _one_error(
        result, "Error: query parks-by-year: parameter 'year' is given twice; give it once\n"
    )


def test_a_parameter_once_still_works(cli: Invoke) -> None:
    result = cli("query", "parks-by-year", "-p", "year=2022", "-f", "csv")
    assert result.exit_code == 0
    assert "CN-HE" in result.stdout


def test_the_server_and_the_cli_share_the_message() -> None:
    from pledgegraph import queries
    from pledgegraph.errors import QueryError

    stored = queries.get("parks-by-year")
    with pytest.raises(QueryError) as caught:
        queries.values_once(stored, [("year", "2020"), ("year", "2022")])
    assert caught.value.message == (
        "query parks-by-year: parameter 'year' is given twice; give it once"
    )
    assert queries.values_once(stored, [("year", "2020")]) == {"year": "2020"}


# --- 2: link twice, the same bytes ---------------------------------------------------------


def test_linking_again_keeps_the_creation_time(tmp_path: Path) -> None:
    from pledgegraph.graph.export import export
    from pledgegraph.graph.linking.run import run_link
    from pledgegraph.ontology import LINKS_GRAPH

    with Store.open(tmp_path / "s") as store:
        store.inner.remove_graph(ox.NamedNode(LINKS_GRAPH))  # as before any link
        run_link(store, now="2020-01-01T00:00:00Z")
        first = {fmt: export(store, fmt) for fmt in ("nquads", "turtle")}
        run_link(store, now="2021-06-30T12:00:00Z")  # a later run, on the same data
        second = {fmt: export(store, fmt) for fmt in ("nquads", "turtle")}
    assert first == second
    assert '"2020-01-01T00:00:00Z"' in first["nquads"]
    assert "2021-06-30" not in second["nquads"]


def test_link_then_export_twice_gives_the_same_bytes(cli: Invoke, tmp_path: Path) -> None:
    assert cli("link").exit_code == 0
    first = cli("export", "-f", "nquads").stdout_bytes
    assert cli("link").exit_code == 0
    assert cli("export", "-f", "nquads").stdout_bytes == first
    assert b"http://purl.org/dc/terms/created" in first


# --- 3: the timeout hint names the option of the command that ran ---------------------------


@pytest.fixture
def silent_endpoint() -> object:
    """A loopback port that accepts connections and never answers."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        yield f"http://127.0.0.1:{server.getsockname()[1]}/sparql"


@pytest.mark.parametrize(
    ("option", "hint"),
    [
        (None, "try again later or raise --timeout"),  # link --endpoint
        ("--service-timeout", "try again later or raise --service-timeout"),  # query, sparql
    ],
)
def test_the_timeout_hint_names_the_right_option(
    silent_endpoint: str, option: str | None, hint: str
) -> None:
    from pledgegraph.graph.linking.http import HttpFailure, forward

    with pytest.raises(HttpFailure) as caught:
        if option is None:
            forward(silent_endpoint, timeout=0.3)
        else:
            forward(silent_endpoint, timeout=0.3, timeout_option=option)
    assert caught.value.problem == "no answer within 0.3 s"
    assert caught.value.hint == hint


# --- 4: usage errors are one line --------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ("query", "--foo", "x"),
            "Error: query: no such option --foo (did you mean --format?); "
            "see 'pledgegraph query --help'",
        ),
        (("query",), "Error: query: missing argument NAME; see 'pledgegraph query --help'"),
        (
            ("export", "-f", "bogus"),
            "Error: export: invalid value for -f/--format: 'bogus' is not one of 'turtle', "
            "'ntriples', 'nquads', 'trig', 'jsonld', 'rdfxml'; see 'pledgegraph export --help'",
        ),
        (
            ("query", "parks-by-year", "-p"),
            "Error: query: option '-p' requires an argument; see 'pledgegraph query --help'",
        ),
        (
            ("query", "parks-by-year", "extra"),
            "Error: query: got unexpected extra argument (extra); see 'pledgegraph query --help'",
        ),
        (
            ("link", "--threshold", "3"),
            "Error: link: invalid value for --threshold: 3.0 must be from 0.0 to 1.0; "
            "see 'pledgegraph link --help'",
        ),
        (
            ("link", "--threshold", "nan"),
            "Error: link: invalid value for --threshold: 'nan' is not a finite number; "
            "see 'pledgegraph link --help'",
        ),
        (
            ("link", "--timeout", "-1"),
            "Error: link: invalid value for --timeout: -1.0 must be more than 0.0; "
            "see 'pledgegraph link --help'",
        ),
        (
            ("query", "kinds", "--timeout", "inf"),
            "Error: query: invalid value for --timeout: 'inf' is not a finite number; "
            "see 'pledgegraph query --help'",
        ),
        (
            ("query", "parks-by-year", "--param", "year=99999999999999999999"),
            "Error: query parks-by-year: parameter year='99999999999999999999' is not a year "
            "from 1 to 9999; give --param year=<integer>",
        ),
        (
            ("load", "--jobs", "abc", "x"),
            "Error: load: invalid value for -j/--jobs: 'abc' is not a whole number; "
            "see 'pledgegraph load --help'",
        ),
        (
            ("restore",),
            "Error: restore: missing argument DIRECTORY; see 'pledgegraph restore --help'",
        ),
        (
            ("stats", "--json=yes"),
            "Error: stats: option '--json' does not take a value; see 'pledgegraph stats --help'",
        ),
        (
            ("extract", "-o", "x", "--load", "y.txt"),
            "Error: extract: give either -o/--output or --load, not both; "
            "see 'pledgegraph extract --help'",
        ),
        (
            ("nosuch",),
            "Error: pledgegraph: no such command 'nosuch'; see 'pledgegraph --help'",
        ),
        (  # a new user's trial: --store after the command
            ("query", "parks-by-year", "--store", "/tmp/elsewhere"),
            "Error: query: no such option --store (it is an option of pledgegraph itself, given "
            "before 'query'); write 'pledgegraph --store … query …'",
        ),
        (
            ("--nope", "stats"),
            "Error: pledgegraph: no such option --nope (did you mean --store?); "
            "see 'pledgegraph --help'",
        ),
    ],
)
def test_usage_errors_are_one_line(cli: Invoke, args: tuple[str, ...], line: str) -> None:
    result = cli(*args)
    _one_error(result, line + "\n")
    assert "Usage:" not in result.stderr


def test_store_option_without_a_value_is_one_line() -> None:
    from click.testing import CliRunner

    from pledgegraph.cli import main

    result = CliRunner().invoke(main, ["--store"])
    _one_error(
        result,
        "Error: pledgegraph: option '--store' requires an argument; see 'pledgegraph --help'\n",
    )


# --- 5 and 7: notes about the inferred graph -----------------------------------------------


def test_a_failing_query_prints_only_its_error_line(cli: Invoke, tmp_path: Path) -> None:
    assert cli("reason").exit_code == 0
    assert cli("load", _sheet(tmp_path, ZHEJIANG)).exit_code == 0  # the closure is now stale
    failed = cli("query", "parks-by-year", "-p", "year=soon")
    _one_error(
        failed,
        "Error: query parks-by-year: parameter year='soon' is not a whole number; "
        "give --param year=<integer>\n",
    )
    bad_sparql = cli("sparql", "SELECT * WHERE { ?s ?p }")
    assert bad_sparql.exit_code == 2
    assert bad_sparql.stderr.startswith("Error: query: SPARQL syntax error")
    assert bad_sparql.stderr.count("\n") == 1
    answered = cli("query", "reason-region-totals", "-f", "csv")
    assert answered.exit_code == 0
    assert answered.stderr == (
        "Note: the inferred graph is out of date (data changed since the last 'pledgegraph "
        "reason'); run 'pledgegraph reason' to refresh it, or pass --no-inferred\n"
    )
    # a question that reads no inferred triple (its rows are the store's own) needs no note
    quiet = cli("query", "parks-by-year", "-f", "csv")
    assert quiet.exit_code == 0 and quiet.stderr == ""


REASON_QUESTIONS = (
    "reason-administrative-areas",
    "reason-any-park",
    "reason-attributions",
    "reason-region-totals",
)


@pytest.mark.parametrize("name", REASON_QUESTIONS)
def test_reasoning_questions_say_they_need_the_inferred_graph(cli: Invoke, name: str) -> None:
    fresh = cli("query", name, "-f", "json")
    assert fresh.exit_code == 0
    found = json.loads(fresh.stdout)["results"]["bindings"]  # a valid answer
    if name != "reason-region-totals":  # that one counts direct parents without it
        assert found == []
    assert fresh.stderr == (
        f"Note: query {name} reads the inferred graph, and the store has none yet, so its "
        "answer may be empty or incomplete; run 'pledgegraph reason' first\n"
    )
    assert cli("reason").exit_code == 0
    reasoned = cli("query", name, "-f", "json")
    assert reasoned.exit_code == 0
    assert reasoned.stderr == ""
    assert json.loads(reasoned.stdout)["results"]["bindings"] != []
    left_out = cli("query", name, "--no-inferred", "-f", "json")
    assert left_out.stderr == (
        f"Note: query {name} reads the inferred graph, which --no-inferred leaves out, so its "
        "answer may be empty or incomplete; drop --no-inferred to get the whole answer\n"
    )


def test_other_questions_get_no_note(cli: Invoke) -> None:
    result = cli("query", "parks-by-year", "-f", "csv")
    assert result.exit_code == 0
    assert result.stderr == ""


# --- 6: backup and restore inputs ----------------------------------------------------------


def test_restore_from_a_missing_folder(cli: Invoke, tmp_path: Path) -> None:
    missing = tmp_path / "nonexistent"
    _one_error(
        cli("restore", str(missing)),
        f"Error: {missing}: no such backup folder; give the folder written by "
        "'pledgegraph backup' (check the path)\n",
    )


def test_restore_from_a_file(cli: Invoke, tmp_path: Path) -> None:
    afile = tmp_path / "notes.txt"
    afile.write_text("x")
    _one_error(
        cli("restore", str(afile)),
        f"Error: {afile}: is a file, not a backup folder; give the folder written by "
        "'pledgegraph backup'\n",
    )


def test_restore_from_a_folder_that_is_no_backup(cli: Invoke, tmp_path: Path) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "a.jpg").write_text("x")
    _one_error(
        cli("restore", str(folder)),
        f"Error: {folder}: is not a pledgegraph backup (no database files); give a directory "
        "written by 'pledgegraph backup'\n",
    )
    assert (folder / "a.jpg").read_text() == "x"


def test_backup_into_a_file_or_under_one(cli: Invoke, tmp_path: Path) -> None:
    afile = tmp_path / "notes.txt"
    afile.write_text("x")
    _one_error(
        cli("backup", str(afile)),
        f"Error: {afile}: is a file, not a folder; give a new folder for the backup\n",
    )
    under = afile / "bk"
    _one_error(
        cli("backup", str(under)),
        f"Error: {under}: {afile} is a file, not a folder; give a new folder for the backup\n",
    )
    assert afile.read_text() == "x"


def test_backup_and_restore_still_work(cli: Invoke, tmp_path: Path) -> None:
    folder = tmp_path / "bk"
    assert cli("backup", str(folder)).exit_code == 0
    restored = cli("restore", str(folder))
    assert restored.exit_code == 0
    assert restored.stderr.startswith("restored ")


# --- 8: every problem of a fact sheet ------------------------------------------------------

MANY_PROBLEMS = """\
source:
  url: https://example.org/news/bad
  published: notadate
pledges:
  - region: Atlantis
    targets:
      - kind: factories
        quantity: 3
      - kind: parks
        quantity: -1
  - region: CN-HE
    deadline: soon
    targets:
      - kind: parks
        quantity: 2
"""


@pytest.mark.parametrize("command", ["validate", "load"])
def test_every_reader_problem_is_reported(cli: Invoke, tmp_path: Path, command: str) -> None:
    path = _sheet(tmp_path, MANY_PROBLEMS)
    result = cli(command, path)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"Error: {path}:3: bad published: 'notadate' is not a date; "
        "use YYYY, YYYY-MM or YYYY-MM-DD",
        f"Error: {path}:5: unknown region 'Atlantis'; did you mean Atlántida or Atlántico or Atlantique? (a "
        "place the gazetteer does not know can be described in an RDF file: README, 'A place "
        "the gazetteer does not know')",
        f"Error: {path}:7: unknown kind 'factories'; use one of firms, parks, brands, "
        "applications, funds, talent, alliances, research_centres, platforms, standards, other",
        f"Error: {path}:10: bad quantity: -1 is negative; quantities count things; write a "
        "count of 0 or more",
        f"Error: {path}:12: bad deadline: 'soon' is not a date; use YYYY, YYYY-MM or YYYY-MM-DD",
    ]


def test_reader_problems_are_capped(cli: Invoke, tmp_path: Path) -> None:
    from pledgegraph.loaders.factsheet import MAX_PROBLEMS

    targets = "".join(f"      - kind: nope{i}\n" for i in range(MAX_PROBLEMS + 5))
    text = f"source:\n  url: https://example.org/x\npledges:\n  - region: CN-HE\n    targets:\n{targets}"
    path = _sheet(tmp_path, text)
    result = cli("validate", path)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == MAX_PROBLEMS + 1
    assert lines[0].startswith(f"Error: {path}:6: unknown kind 'nope0'")
    assert lines[-1] == (
        f"Error: {path}: 5 more problems not shown; fix these and check the sheet again"
    )


def test_a_sheet_with_one_problem_still_gives_one_line(cli: Invoke, tmp_path: Path) -> None:
    path = _sheet(tmp_path, ZHEJIANG.replace("kind: parks", "kind: factories"))
    result = cli("validate", path)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"Error: {path}:11: unknown kind 'factories'")


# --- 9: remove takes the shared nodes only its source brought ------------------------------


def _answers(cli: Invoke) -> dict[str, str]:
    found = {name: cli("query", name, "-f", "csv").stdout for name in REGION_QUESTIONS}
    stats = json.loads(cli("stats", "--json").stdout)
    found["stats"] = json.dumps({k: v for k, v in stats.items() if k != "graphs"})
    reference = "https://w3id.org/pledgegraph/graph/reference"
    found["reference"] = cli("export", "-f", "nquads", "--graph", reference).stdout
    return found


def test_remove_takes_away_the_regions_only_its_source_brought(cli: Invoke, tmp_path: Path) -> None:
    before = _answers(cli)
    assert cli("load", _sheet(tmp_path, ZHEJIANG)).exit_code == 0
    loaded = _answers(cli)
    assert "CN-ZJ" in loaded["region-hierarchy"] and "CN-ZJ" not in before["region-hierarchy"]
    assert "Example Ningbo Daily" in loaded["reference"]
    removed = cli("remove", "https://example.org/news/ningbo-parks")
    assert removed.exit_code == 0
    after = _answers(cli)
    assert after == before
    links = cli(
        "export", "-f", "nquads", "--graph", "https://w3id.org/pledgegraph/graph/links"
    ).stdout
    assert "/region/CN-ZJ" not in links
    assert '"5"^^<http://www.w3.org/2001/XMLSchema#integer>' in links  # void:triples recounted


def test_a_region_another_source_names_stays(cli: Invoke, tmp_path: Path) -> None:
    other = (
        ZHEJIANG.replace("ningbo-parks", "hangzhou-parks")
        .replace("CN-ZJ/ningbo", "CN-ZJ")
        # (a Zhejiang pledge by "Ningbo city government" is filed under Ningbo)
        .replace("Ningbo city government", "Zhejiang provincial government")
    )
    assert cli("load", _sheet(tmp_path, ZHEJIANG), _sheet(tmp_path, other, "b.pledges.yaml"))
    assert cli("remove", "https://example.org/news/ningbo-parks").exit_code == 0
    hierarchy = cli("query", "region-hierarchy", "-f", "csv").stdout
    assert "CN-ZJ" in hierarchy and "Ningbo" not in hierarchy
    reference = cli(
        "export", "-f", "nquads", "--graph", "https://w3id.org/pledgegraph/graph/reference"
    ).stdout
    assert "Example Ningbo Daily" in reference  # the other sheet names the publisher too
    assert "/region/CN-ZJ/ningbo>" not in reference


def test_the_bundled_regions_stay_when_its_source_goes(cli: Invoke) -> None:
    reference = "https://w3id.org/pledgegraph/graph/reference"
    before = cli("export", "-f", "nquads", "--graph", reference).stdout
    assert cli("remove", "cryptonews-7376").exit_code == 0
    assert cli("export", "-f", "nquads", "--graph", reference).stdout == before


# --- 10: output for cut -------------------------------------------------------------------


def test_plain_format_is_for_cut(cli: Invoke) -> None:
    tsv = cli("query", "parks-by-year", "-f", "tsv").stdout.splitlines()
    assert tsv[1].split("\t")[0] == '"CN-HE"'  # W3C SPARQL TSV: terms in SPARQL syntax
    plain = cli("query", "parks-by-year", "-f", "plain").stdout.splitlines()
    assert plain[0].split("\t")[:2] == ["region", "regionName"]
    assert [line.split("\t")[0] for line in plain[1:]] == ["CN-HE", "CN-HN"]
    assert plain[1].split("\t")[-1] == (
        "https://w3id.org/pledgegraph/id/pledge/cryptonews-7376/1/target/4"
    )


def test_plain_format_keeps_one_line_per_row(cli: Invoke) -> None:
    query = 'SELECT ?a ?b ?c WHERE { VALUES (?a ?b ?c) { ("x\\ty\\nz" UNDEF "back\\\\slash") } }'
    result = cli("sparql", "-f", "plain", query)
    assert result.exit_code == 0
    assert result.stdout == "a\tb\tc\nx\\ty\\nz\t\tback\\\\slash\n"


def test_help_says_what_tsv_is(cli: Invoke) -> None:
    for command in ("query", "sparql"):
        text = " ".join(cli(command, "--help").stdout.split())
        assert "W3C SPARQL 1.1 results formats" in text
        assert "for 'cut' and 'awk' use plain" in text


def test_remove_on_a_remote_store_takes_them_too(
    oxigraph_server: Callable[[], str], tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from pledgegraph.cli import main

    url = oxigraph_server()

    def remote(*args: str) -> Result:
        return CliRunner().invoke(main, ["--store", url, *args], catch_exceptions=False)

    before = _answers(remote)
    assert remote("load", _sheet(tmp_path, ZHEJIANG)).exit_code == 0
    assert "CN-ZJ" in remote("query", "region-hierarchy", "-f", "csv").stdout
    assert remote("remove", "https://example.org/news/ningbo-parks").exit_code == 0
    assert _answers(remote) == before


def test_no_arguments_still_prints_the_help() -> None:
    from click.testing import CliRunner

    from pledgegraph.cli import main

    result = CliRunner().invoke(main, [])
    assert "Error:" not in result.output
    assert "Commands:" in result.output


def test_serve_without_the_server_extra_is_one_line(tmp_path: Path) -> None:
    # A plain install (make demo) has no starlette: the command said so with a traceback.
    program = (
        "import sys; sys.modules['starlette'] = None\n"
        "from pledgegraph.cli import main\n"
        f"main(['--store', {str(tmp_path / 'store')!r}, 'serve', '--port', '0'])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=120
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "Error: serve: the HTTP server needs starlette, which is not installed; install the "
        "server extra: pip install 'pledgegraph[server]' (from a checkout: pip install -e "
        "'.[server]')\n"
    )


def test_stats_counts_a_source_without_pledges(tmp_path: Path) -> None:
    # An article in which extraction found nothing is still a source the store holds: stats
    # said 22 sources where the sources question listed 39.
    article = tmp_path / "calm.txt"
    article.write_text("The council met on Tuesday and talked about the weather.\n", "utf-8")
    sheets = tmp_path / "sheets"
    sheets.mkdir()
    store = tmp_path / "store"

    def pledgegraph(*args: str) -> str:
        done = run_pledgegraph(store, *args)
        assert done.returncode == 0, done.stderr
        return done.stdout

    # (extract -o writes no sheet for an article without pledges; its printed sheet is saved)
    # Such a sheet is not loaded at all now (it would replace a loaded source with nothing), so
    # stats and the sources question agree on the bundled source alone.
    (sheets / "calm.pledges.yaml").write_text(pledgegraph("extract", str(article)), "utf-8")
    refused = run_pledgegraph(store, "load", str(sheets))
    assert refused.returncode == 2 and "has no pledges" in refused.stderr
    stats = json.loads(pledgegraph("stats", "--json"))
    listed = pledgegraph("query", "sources", "-f", "plain").splitlines()[1:]
    assert stats["sources"] == len(listed) == 1


@pytest.mark.parametrize("option", ["--help", "--version"])
def test_help_and_version_that_cannot_be_written(option: str) -> None:
    """An outside attack: `pledgegraph --version > /dev/full` printed a 38-line traceback."""
    import subprocess
    import sys
    from pathlib import Path

    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "pledgegraph", option],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    assert (done.returncode, done.stderr) == (
        2,
        "Error: output: cannot write: No space left on device; free some space, or write "
        "the output elsewhere\n",
    )
