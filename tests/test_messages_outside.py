"""Messages an outside attack found unclear or misleading (2026-12-03): each case now says
what is wrong with the user's own input, in one line, with the documented exit code."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import Invoke

SHEET = """source:
  url: https://example.org/news/messages
  title: Messages
pledges:
  - region: CN-HE
    deadline: {deadline}
    targets:
      - kind: parks
        quantity: {quantity}
"""


@pytest.mark.parametrize("command", ["load", "validate", "import"])
@pytest.mark.parametrize("name", ["typo-dir/", "typo"])
def test_a_missing_path_without_an_extension_is_no_such_file(
    cli: Invoke, tmp_path: Path, command: str, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It was blamed on the format ("cannot tell the RDF format from the extension")."""
    monkeypatch.chdir(tmp_path)
    result = cli(command, name)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {name}: no such file or folder; check the path\n"


@pytest.mark.parametrize(
    "rdf", ["<http://a.example/s> <http://a.example/p> <http://a.example/o> .\n", "@prefix a: <http://a.example/> .\na:s a:p a:o .\n"]
)  # fmt: skip
def test_rdf_on_standard_input_without_format_says_to_pass_it(cli: Invoke, rdf: str) -> None:
    result = cli("load", "-", input=rdf)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.rstrip().endswith(
        "RDF on standard input needs --rdf-format (turtle, nquads, …)"
    )
    assert cli("load", "--format", "turtle", "-", input=rdf).exit_code == 0
    assert "--format, --rdf-format" in cli("load", "--help").stdout  # (validate's name too)
    assert cli("validate", "--rdf-format", "turtle", "-", input=rdf).exit_code == 0


@pytest.mark.parametrize(
    ("quantity", "shown"),
    [("{a: 1}", "quantity {…} is"), ("true", "quantity true is"), ("[1]", "range [1] is")],
)
def test_quantities_of_the_wrong_type_are_shown_as_written(
    cli: Invoke, tmp_path: Path, quantity: str, shown: str
) -> None:
    """The message showed the parser's internal nodes (``_Node(value=…)``)."""
    sheet = tmp_path / "q.pledges.yaml"
    sheet.write_text(SHEET.format(deadline=2022, quantity=quantity), encoding="utf-8")
    result = cli("validate", str(sheet))
    assert result.exit_code == 2
    assert shown in result.stderr and "_Node" not in result.stderr


@pytest.mark.parametrize("deadline", ['"２０２２"', "２０２２"])
def test_a_deadline_in_other_digits_is_refused_as_the_readme_says(
    cli: Invoke, tmp_path: Path, deadline: str
) -> None:
    sheet = tmp_path / "d.pledges.yaml"
    sheet.write_text(SHEET.format(deadline=deadline, quantity=3), encoding="utf-8")
    result = cli("validate", str(sheet))
    assert result.exit_code == 2
    assert "is not a date; use YYYY, YYYY-MM or YYYY-MM-DD" in result.stderr


@pytest.mark.parametrize("year", ["٢٠٢٢", "２０２２"])
def test_a_year_parameter_in_other_digits_is_refused(cli: Invoke, year: str) -> None:
    result = cli("query", "parks-by-year", "--param", f"year={year}")
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: query parks-by-year: parameter year={year!r} is not a whole number; "
        "give --param year=<integer>\n"
    )


def test_extract_checks_url_before_it_writes_a_sheet_load_would_refuse(cli: Invoke) -> None:
    """It wrote the sheet (exit 0), and with --load failed on RDF the user never wrote."""
    text = "Hebei will build 3 parks by 2022.\n"
    for extra in ([], ["--load"]):
        result = cli("extract", "-", "--url", "not a url", *extra, input=text)
        assert result.exit_code == 2
        assert result.stderr == (
            "Error: --url: url 'not a url' is not an absolute address; write the full "
            "address, e.g. https://example.org/news/1\n"
        )
        assert result.stdout == ""


def test_extract_names_only_the_options_given_for_a_batch(cli: Invoke, tmp_path: Path) -> None:
    one, two = tmp_path / "a.txt", tmp_path / "b.txt"
    one.write_text("x\n", encoding="utf-8")
    two.write_text("y\n", encoding="utf-8")
    result = cli("extract", str(one), str(two), "--url", "https://example.org/a")
    assert result.exit_code == 2
    assert "--url describes one article" in result.stderr and "--title" not in result.stderr


def test_an_empty_sparql_query_says_so(cli: Invoke) -> None:
    result = cli("sparql", "")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: query: the query is empty; give the SPARQL text, -q FILE or '-'\n"
    )


def test_a_utf16_article_is_named_as_such(cli: Invoke, tmp_path: Path) -> None:
    article = tmp_path / "utf16.txt"
    article.write_bytes("Hebei will build 3 parks by 2022.\n".encode("utf-16"))
    result = cli("extract", str(article))
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {article}: is UTF-16 text, not UTF-8; convert it to UTF-8 first, e.g. "
        "iconv -f UTF-16 -t UTF-8\n"
    )


def test_a_store_url_of_another_scheme_is_refused_not_made_a_folder(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from pledgegraph.cli import main

    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner().invoke(main, ["--store", "ftp://example.org/x", "stats"])
    finally:
        os.chdir(cwd)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: --store: 'ftp://example.org/x' is a URL of another")
    assert list(tmp_path.iterdir()) == []


def test_validate_names_its_own_rdf_format_option_and_checks_folders(
    cli: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An outside attack: ``validate`` told users to "pass --format", which is validate's
    output format (table, json, csv), and a folder got the same line."""
    monkeypatch.chdir(tmp_path)
    triple = '<https://e.org/s> <https://e.org/p> "x" .\n'
    Path("b.data").write_text(triple, encoding="utf-8")
    result = cli("validate", "b.data")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: b.data: cannot tell the RDF format from the extension '.data'; pass "
        "--rdf-format (turtle, ntriples, nquads, trig, jsonld, rdfxml) or use a "
        ".ttl/.nt/.nq/.trig/.jsonld/.rdf name\n"
    )
    assert cli("validate", "--rdf-format", "ntriples", "b.data").exit_code == 0
    assert cli("validate", "--rdf-format", "ntriples", "-", input=triple).exit_code == 0
    Path("d/e").mkdir(parents=True)
    Path("d/e/a.nt").write_text(triple, encoding="utf-8")
    Path("d/e/bad.ttl").write_text("<https://e.org/s> <https://e.org/p> .\n", encoding="utf-8")
    Path("d/notes.txt").write_text("not RDF", encoding="utf-8")
    result = cli("validate", "d")
    assert result.exit_code == 2  # the malformed file; the other one is still checked
    assert "in d/e/a.nt" in result.stdout
    assert result.stderr.startswith("Error: d/e/bad.ttl:")
    assert result.stderr.count("\n") == 1
    Path("d/e/bad.ttl").unlink()
    assert cli("validate", "d").exit_code == 0
    Path("empty").mkdir()
    result = cli("validate", "empty")
    assert (result.exit_code, result.stderr) == (
        0,
        "no fact sheets or RDF files in empty: nothing checked\n",
    )


def test_targets_written_as_a_mapping_are_named_as_such(cli: Invoke, tmp_path: Path) -> None:
    """A new user's trial: 'targets:' with 'kind: parks' under it (no '- ') was called "a
    pledge has no targets"."""
    sheet = tmp_path / "tm.pledges.yaml"
    sheet.write_text(
        "source:\n  url: https://example.org/t\npledges:\n  - region: CN-HE\n    targets:\n"
        "      kind: parks\n      quantity: 2\n",
        encoding="utf-8",
    )
    result = cli("validate", str(sheet))
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {sheet}:5: targets must be a list; begin each target with '- ' (for example "
        "'  - kind: parks')\n"
    )


def test_validating_an_export_says_to_import_it(cli: Invoke, tmp_path: Path) -> None:
    """A new user's trial: 'validate' of the store's own export said to remove pledge:row
    from the file (the export holds the ontology, which declares it)."""
    export = tmp_path / "all.nq"
    assert cli("export", "-f", "nquads", "-o", str(export)).exit_code == 0
    result = cli("validate", str(export))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "if the file is an export of a pledgegraph store, import it into a new, empty store" in (
        result.stderr
    )


@pytest.mark.parametrize("graph", ["ontology", "reference", "links", "inferred"])
def test_removing_one_of_pledgegraphs_own_graphs_says_so(cli: Invoke, graph: str) -> None:
    """A new user's trial: it said "no such source", while 'stats --graphs' listed it."""
    iri = f"https://w3id.org/pledgegraph/graph/{graph}"
    result = cli("remove", iri)
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: remove {iri}: is one of pledgegraph's own graphs, not a source; name a "
        "source: a graph under graph/source/ or graph/file/ ('pledgegraph stats --graphs' "
        "lists them)\n"
    )


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_validate_json_and_csv_hold_the_files_it_could_not_read(
    cli: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    """A new user's trial: 'validate DIR -f json' left the unreadable files out of the JSON
    (only Error: lines on stderr), so a program reading it undercounted the problems."""
    import csv
    import io
    import json

    monkeypatch.chdir(tmp_path)
    Path("d").mkdir()
    Path("d/ok.nt").write_text('<https://e.org/s> <https://e.org/p> "x" .\n', encoding="utf-8")
    Path("d/bad.nt").write_text("<https://e.org/s> <https://e.org/p> .\n", encoding="utf-8")
    Path("d/bad.pledges.yaml").write_text("source:\n  url: nope\n", encoding="utf-8")
    result = cli("validate", "d", "-f", fmt)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 2  # the Error: lines stay
    rows = (
        json.loads(result.stdout)["problems"]
        if fmt == "json"
        else list(csv.DictReader(io.StringIO(result.stdout)))
    )
    assert [(r["severity"], r["rule"], r["path"], str(r["line"])) for r in rows] == [
        ("ERROR", "unreadable", "d/bad.nt", "1"),
        ("ERROR", "unreadable", "d/bad.pledges.yaml", "2"),
    ]
    if fmt == "json":
        document = json.loads(result.stdout)
        assert document["ok"] is False and document["counts"]["ERROR"] == 2


@pytest.mark.parametrize("fmt", ["json", "csv"])
@pytest.mark.parametrize("given", ["file", "folder"])
def test_validate_json_and_csv_hold_a_single_file_it_could_not_read(
    cli: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str, given: str
) -> None:
    """A new user's trial: with one file (or a folder of one) that could not be read,
    'validate -f json/csv' printed nothing on stdout, only the Error: line; with two it was
    in the output, so a script's input changed shape with the number of files."""
    import csv
    import io
    import json

    monkeypatch.chdir(tmp_path)
    Path("d").mkdir()
    Path("d/bad.pledges.yaml").write_text("source: [\n", encoding="utf-8")
    result = cli("validate", "d" if given == "folder" else "d/bad.pledges.yaml", "-f", fmt)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: d/bad.pledges.yaml:1: malformed YAML")
    rows = (
        json.loads(result.stdout)["problems"]
        if fmt == "json"
        else list(csv.DictReader(io.StringIO(result.stdout)))
    )
    assert [(r["severity"], r["rule"], r["path"], str(r["line"])) for r in rows] == [
        ("ERROR", "unreadable", "d/bad.pledges.yaml", "1"),
    ]


def test_loading_an_article_says_to_extract_it_first(cli: Invoke, tmp_path: Path) -> None:
    """A new user's trial: 'load article.txt' was told to pass an RDF format."""
    article = tmp_path / "news.txt"
    article.write_text("Hubei will build 3 parks by 2026.\n", encoding="utf-8")
    result = cli("load", str(article))
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {article}: cannot tell the RDF format from the extension '.txt'; if it is an "
        f"article, extract its pledges first (pledgegraph extract {article} -o "
        "news.pledges.yaml, or --load); if it is RDF, pass --format\n"
    )
