"""Issue 9, "Hangs and memory": runaway queries, Ctrl-C, and inputs past their limits.

A query that would run for hours is stopped by ``--timeout`` or Ctrl-C in a real process (the
CLI ends the process after the error line: pyoxigraph cannot stop a query), and the store is
reopened and queried afterwards to show it is intact.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from pledgegraph.errors import InputError, QueryError
from pledgegraph.graph.query import answer, check_query, run
from pledgegraph.graph.store import Store
from pledgegraph.limits import bracket_depth_exceeds, query_nesting_exceeds

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("limits") / "store"
    Store.open(path).close()
    return path


def _cli(
    *args: str, store: Path, env: dict[str, str] | None = None, stdin: bytes | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pledgegraph", "--store", str(store), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        input=None if stdin is None else stdin.decode("utf-8", "replace"),
    )


def _count(store: Path) -> str:
    done = _cli("sparql", "-f", "tsv", COUNT, store=store)
    assert done.returncode == 0, done.stderr
    return done.stdout


# --- 4: runaway queries ------------------------------------------------------------------------


def test_timeout_stops_a_runaway_query(store_dir: Path) -> None:
    before = _count(store_dir)
    started = time.monotonic()
    done = _cli("sparql", "--timeout", "1.5", RUNAWAY, store=store_dir)
    assert time.monotonic() - started < 15
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "Error: query: the query ran longer than 1.5 s; narrow it down, or raise --timeout "
        "or PLEDGEGRAPH_TIMEOUT (0 = no limit)\n"
    )
    assert _count(store_dir) == before  # the lock is free and the data unchanged


def test_the_timeout_comes_from_the_environment(store_dir: Path) -> None:
    done = _cli("sparql", RUNAWAY, store=store_dir, env={"PLEDGEGRAPH_TIMEOUT": "1"})
    assert done.returncode == 2
    assert "the query ran longer than 1 s" in done.stderr
    bad = _cli("sparql", COUNT, store=store_dir, env={"PLEDGEGRAPH_TIMEOUT": "soon"})
    assert bad.stderr == (
        "Error: PLEDGEGRAPH_TIMEOUT: 'soon' is not a number of 0 or more; "
        "set PLEDGEGRAPH_TIMEOUT to a number such as 60, or unset it\n"
    )


def test_stored_questions_have_a_timeout_too(store_dir: Path) -> None:
    done = _cli("query", "--timeout", "0", "parks-by-year", "-p", "year=2022", store=store_dir)
    assert done.returncode == 0, done.stderr
    assert "CN-HE" in done.stdout


def test_ctrl_c_ends_a_runaway_query_at_once(store_dir: Path) -> None:
    before = _count(store_dir)
    process = subprocess.Popen(
        [sys.executable, "-m", "pledgegraph", "--store", str(store_dir), "sparql", RUNAWAY],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PLEDGEGRAPH_TIMEOUT": "0"},
    )
    try:
        time.sleep(5)  # started, store open, query running (a busy machine is slow)
        assert process.poll() is None
        process.send_signal(signal.SIGINT)
        sent = time.monotonic()
        out, err = process.communicate(timeout=30)
        assert time.monotonic() - sent < 1.5
    finally:
        if process.poll() is None:
            process.kill()
    assert (process.returncode, out) == (130, "")
    assert err == "Error: query: interrupted (Ctrl-C); nothing was changed (queries only read)\n"
    assert _count(store_dir) == before


def test_answer_raises_the_timeout_in_the_library() -> None:
    store = Store.memory()
    from pledgegraph.errors import QueryTimeoutError

    with pytest.raises(QueryTimeoutError) as caught:
        answer(store, RUNAWAY, fmt="tsv", timeout=0.5, where="api")
    assert caught.value.message.startswith("api: the query ran longer than 0.5 s;")
    assert caught.value.work_left_running
    assert answer(store, "ASK {}", fmt="tsv", timeout=5) == "true\n"


# --- 7 and hostile queries: limits and messages before pyoxigraph parses --------------------


def test_deep_nesting_is_refused_before_it_crashes_the_parser() -> None:
    # 5,000 levels overflow pyoxigraph's parser stack and kill the process (measured)
    deep = "SELECT (" + "(" * 5000 + "1" + ")" * 5000 + " AS ?x) {}"
    with pytest.raises(QueryError) as caught:
        check_query(deep)
    assert caught.value.message == (
        "query: the query nests brackets more than 100 deep; "
        "flatten it, or set PLEDGEGRAPH_MAX_NESTING to raise the limit"
    )
    groups = "SELECT * " + "{" * 3000 + "}" * 3000
    with pytest.raises(QueryError):
        check_query(groups)
    # prefix operators nest in the parser too: 200,000 '!' segfaulted the CLI (outside attack)
    for operators in ("!" * 200_000, "- " * 5000, "!-+" * 1000):
        with pytest.raises(QueryError):
            check_query("SELECT * WHERE { FILTER(" + operators + "true) }")
    assert list(run(Store.memory(initialise=False), "SELECT * { FILTER(!!true) }"))  # type: ignore[call-overload]
    fine = "SELECT (" + "(" * 50 + "1" + ")" * 50 + " AS ?x) {}"
    assert list(run(Store.memory(initialise=False), fine))  # type: ignore[call-overload]
    # brackets inside strings, IRIs and comments do not count
    assert not query_nesting_exceeds('SELECT * { ?s ?p "' + "(" * 500 + '" } # ' + "{" * 500, 10)


def test_bracket_depth() -> None:
    assert not bracket_depth_exceeds(b"(())", 2)
    assert bracket_depth_exceeds(b"((()))", 2)
    assert not bracket_depth_exceeds(b"()()[]{}", 1)
    assert not bracket_depth_exceeds(b"((", 1)  # unbalanced: the parser says so


def test_long_queries_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLEDGEGRAPH_MAX_QUERY_KB", "1")
    with pytest.raises(QueryError) as caught:
        check_query("ASK {}" + " " * 2000)
    assert caught.value.message == (
        "query: the query is longer than the limit of 1 KB; "
        "shorten it, or set PLEDGEGRAPH_MAX_QUERY_KB to raise the limit"
    )


def test_a_query_file_that_never_ends(store_dir: Path) -> None:
    done = _cli("sparql", "-q", "/dev/zero", store=store_dir)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "Error: /dev/zero: the query is larger than the limit of 1 MB; "
        "set PLEDGEGRAPH_MAX_QUERY_KB to raise the limit\n"
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "INSERT DATA { <a:b> <a:c> <a:d> }",
            "INSERT is a SPARQL update, and queries only read; "
            "use 'pledgegraph load FILE' to add data",
        ),
        (
            "PREFIX x: <http://x/> # a comment\nLOAD <http://127.0.0.1:9/x>",
            "LOAD is a SPARQL update, and queries only read; "
            "use 'pledgegraph load FILE' to add data",
        ),
        (
            "SELECT * { ?s foo:bar ?o }",
            "unknown prefix foo: (line 1); declare it (PREFIX foo: <IRI>) or use a predeclared "
            "one: ",
        ),
        (
            "SELECT * {\n ?s ?p ?o",
            'SPARQL syntax error: error at 2:10: expected one of ",", ".", ";"',
        ),
    ],
)
def test_query_messages(query: str, message: str) -> None:
    with pytest.raises(QueryError) as caught:
        run(Store.memory(initialise=False), query)
    assert caught.value.message.startswith("query: " + message)
    assert "\\u{" not in caught.value.message and "\n" not in caught.value.message


def test_control_characters_never_reach_the_terminal(store_dir: Path) -> None:
    evil = "\x1b[2J\x1b]0;owned\x07"
    done = _cli("sparql", "-f", "table", f'SELECT ?x {{ BIND("{evil}" AS ?x) }}', store=store_dir)
    assert done.returncode == 0
    assert "\x1b" not in done.stdout and "\\x1b[2J" in done.stdout
    bad = _cli("sparql", f"SELECT * {{ ?s {evil}:p ?o }}", store=store_dir)
    assert bad.returncode == 2
    assert "\x1b" not in bad.stderr and "\x07" not in bad.stderr
    assert len(bad.stderr.splitlines()) == 1


def test_an_input_that_never_ends() -> None:
    from pledgegraph.loaders.text import read_bytes

    os.environ["PLEDGEGRAPH_MAX_INPUT_MB"] = "2"
    try:
        with pytest.raises(InputError) as caught:
            read_bytes("/dev/zero")
    finally:
        del os.environ["PLEDGEGRAPH_MAX_INPUT_MB"]
    assert caught.value.message == (
        "/dev/zero: the input is larger than the limit of 2 MB; "
        "set PLEDGEGRAPH_MAX_INPUT_MB to raise the limit"
    )


# --- 5: YAML fact sheets: no aliases, no duplicate or complex keys --------------------------

LAUGHS = """source:
  url: https://example.org/a
a: &a ["x","x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g,*g]
pledges: [*h,*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""
NO_ALIASES = (
    "YAML anchors and aliases (&name, *name) are not allowed in a fact sheet; "
    "write the value out in full"
)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (LAUGHS, f"sheet.yaml:3: {NO_ALIASES}"),  # 10^9 nodes if expanded
        (
            "source:\n  url: https://example.org/a\npledges: &p [*p]\n",
            f"sheet.yaml:3: {NO_ALIASES}",
        ),
        (
            "source: &s\n  url: https://example.org/a\npledges: []\n",
            f"sheet.yaml:1: {NO_ALIASES}",
        ),
        (
            "source:\n  url: https://example.org/a\n  url: https://example.org/b\n",
            "sheet.yaml:3: duplicate key 'url' (also on line 2); keep one of them",
        ),
        (
            "source:\n  url: https://example.org/a\n? [a, b]\n: 1\n",
            "sheet.yaml:3: a key must be plain text, not a list or a mapping; "
            "write keys as 'name: value'",
        ),
        (
            "source:\n  url: https://example.org/a\npledges:\n"
            + "".join("  " * i + "- \n" for i in range(1, 80)),
            "sheet.yaml:",
        ),
    ],
)
def test_hostile_fact_sheets(text: str, message: str) -> None:
    from pledgegraph.errors import FactSheetError
    from pledgegraph.loaders.factsheet import parse_factsheet

    started = time.monotonic()
    with pytest.raises(FactSheetError) as caught:
        parse_factsheet(text, path="sheet.yaml")
    assert time.monotonic() - started < 2
    assert caught.value.message.startswith(message)
    assert "\n" not in caught.value.message


def test_ampersands_in_text_are_not_anchors() -> None:
    from pledgegraph.loaders.factsheet import parse_factsheet

    sheet = parse_factsheet(
        "source:\n  url: https://example.org/a?x=1&y=2\n  title: 'AT&T * news'\npledges: []\n"
    )
    assert sheet.source.title == "AT&T * news"


# --- 6: RDF that would exhaust memory is refused before it is parsed ------------------------


def _entity_bomb(levels: int = 10) -> bytes:
    entities = '<!ENTITY a0 "xxxxxxxxxx">' + "".join(
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, levels)
    )
    return (
        f'<?xml version="1.0"?><!DOCTYPE rdf:RDF [{entities}]>'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="http://e/">'
        f'<rdf:Description rdf:about="http://e/a"><e:p>&a{levels - 1};</e:p>'
        "</rdf:Description></rdf:RDF>"
    ).encode()


def _deep_jsonld(depth: int) -> bytes:
    return ('{"@id":"http://e/a","http://e/p":' * depth + '"x"' + "}" * depth).encode()


def _deep_rdfxml(depth: int) -> bytes:
    return (
        '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:e="http://e/"><rdf:Description rdf:about="http://e/a">'
        + '<e:p><rdf:Description e:n="/>">' * depth  # a '/>' that does not end the tag
        + '<e:q>x</e:q><e:r rdf:resource="http://e/r"/>'
        + "</rdf:Description></e:p>" * depth
        + "</rdf:Description></rdf:RDF>"
    ).encode()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "bomb.rdf",
            _entity_bomb(),  # 763 bytes -> 3.3 GB and a Rust abort before
            "bomb.rdf: declares XML entities (<!ENTITY …>), which RDF/XML input may not use; "
            "remove the DOCTYPE and write the values out",
        ),
        (
            "deep.jsonld",
            _deep_jsonld(20_000),  # 680 KB -> over 3 GB and an abort before
            "deep.jsonld: nests JSON arrays and objects more than 100 deep; "
            "flatten it, or set PLEDGEGRAPH_MAX_NESTING to raise the limit",
        ),
        (
            "deep.rdf",
            _deep_rdfxml(20_000),
            "deep.rdf: nests XML elements more than 100 deep; "
            "flatten it, or set PLEDGEGRAPH_MAX_NESTING to raise the limit",
        ),
    ],
)
def test_rdf_bombs_are_refused_by_load_and_validate(
    name: str, data: bytes, message: str, tmp_path: Path
) -> None:
    from pledgegraph.graph.validation.checks import validate_rdf_file

    with Store.open(tmp_path / "store") as store:
        before = len(store.inner)
        with pytest.raises(InputError) as loaded:
            store.load_rdf(name, data=data)
        assert loaded.value.message == message
        assert len(store.inner) == before
    with pytest.raises(InputError) as validated:
        validate_rdf_file(name, data=data)
    assert validated.value.message == message


def test_a_literal_past_the_parsers_buffer(store_dir: Path, tmp_path: Path) -> None:
    big = tmp_path / "big.ttl"  # pyoxigraph's parser raised MemoryError (16 MB buffer)
    big.write_bytes(b'<http://e/a> <http://e/p> "' + b"x" * (17 << 20) + b'" .\n')
    before = _count(store_dir)
    for command in ("load", "validate"):
        done = _cli(command, str(big), store=store_dir)
        assert (done.returncode, done.stdout) == (2, "")
        assert done.stderr == (
            f"Error: {big}: holds a literal or IRI larger than 16 MB, more than the parser "
            "accepts; split the value or keep it outside the graph\n"
        )
    assert _count(store_dir) == before


def test_shallow_rdf_still_loads() -> None:
    store = Store.memory(initialise=False)
    store.load_rdf("ok.jsonld", data=_deep_jsonld(40))
    expected = len(list(ox.parse(_deep_rdfxml(40), ox.RdfFormat.RDF_XML)))
    assert expected > 80
    before = len(store.inner)
    store.load_rdf("ok.rdf", data=_deep_rdfxml(40))
    assert len(store.inner) - before == expected


def test_load_from_a_stream_that_never_ends(store_dir: Path) -> None:
    before = _count(store_dir)
    done = _cli(
        "load",
        "--format",
        "turtle",
        "/dev/zero",
        store=store_dir,
        env={"PLEDGEGRAPH_MAX_INPUT_MB": "4"},
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "Error: /dev/zero: the input is larger than the limit of 4 MB; "
        "set PLEDGEGRAPH_MAX_INPUT_MB to raise the limit\n"
    )
    assert _count(store_dir) == before


def test_timeouts_that_are_not_numbers(store_dir: Path) -> None:
    from pledgegraph.graph.linking.http import HttpFailure, forward

    done = _cli("sparql", "--timeout", "nan", "ASK {}", store=store_dir)
    assert (done.returncode, done.stderr) == (
        2,
        "Error: sparql: invalid value for --timeout: 'nan' is not a finite number; "
        "see 'pledgegraph sparql --help'\n",
    )
    huge = _cli("sparql", "--timeout", "1e308", "ASK {}", store=store_dir)
    assert (huge.returncode, huge.stdout, huge.stderr) == (0, "true\n", "")
    with pytest.raises(HttpFailure, match="not a positive number"):
        forward("http://127.0.0.1:9/", timeout=float("nan"))
    with pytest.raises(HttpFailure, match="connection refused"):  # no OverflowError
        forward("http://127.0.0.1:9/", timeout=1e308)


def test_a_timeout_too_small_to_tell_from_zero_is_refused(store_dir: Path) -> None:
    """0 means "no limit": a tiny timeout that becomes 0.0 as a float (an attack:
    ``--timeout 1e-400``) ran the query with no limit at all."""
    done = _cli("sparql", "--timeout", "1e-400", "ASK {}", store=store_dir)
    assert (done.returncode, done.stdout, done.stderr) == (
        2,
        "",
        "Error: sparql: invalid value for --timeout: '1e-400' is too small to tell from 0; "
        "see 'pledgegraph sparql --help'\n",
    )
    done = _cli("sparql", "ASK {}", store=store_dir, env={"PLEDGEGRAPH_TIMEOUT": "1e-999"})
    assert (done.returncode, done.stdout, done.stderr) == (
        2,
        "",
        "Error: PLEDGEGRAPH_TIMEOUT: '1e-999' is too small to tell from 0 (which means no "
        "limit); set PLEDGEGRAPH_TIMEOUT to 0 or to a number such as 60, or unset it\n",
    )
    for zero in ("0", "0.0", "-0", "0e-400"):
        done = _cli("sparql", "--timeout", zero, "ASK {}", store=store_dir)
        assert (done.returncode, done.stdout, done.stderr) == (0, "true\n", ""), zero
    # (a second attack: the wording for the other options and limits)
    for args, said in (
        (["--timeout", "-1e-400"], "invalid value for --timeout: '-1e-400' is below 0"),
        (
            ["--service-timeout", "1e-400"],
            "invalid value for --service-timeout: '1e-400' is too small to tell from 0",
        ),
    ):
        done = _cli("sparql", *args, "ASK {}", store=store_dir)
        assert done.returncode == 2
        assert done.stderr == f"Error: sparql: {said}; see 'pledgegraph sparql --help'\n"
    for variable, raw, said in (
        (
            "PLEDGEGRAPH_MAX_QUERY_KB",
            "1e-400",
            "'1e-400' is too small to tell from 0; set PLEDGEGRAPH_MAX_QUERY_KB to a number "
            "such as 1024, or unset it",
        ),
        (
            "PLEDGEGRAPH_TIMEOUT",
            "1e400",
            "'1e400' is not a finite number; set PLEDGEGRAPH_TIMEOUT to a number such as 60, "
            "or unset it",
        ),
    ):
        done = _cli("sparql", "ASK {}", store=store_dir, env={variable: raw})
        assert (done.returncode, done.stderr) == (2, f"Error: {variable}: {said}\n")


def test_a_long_chain_of_operators_does_not_crash_the_process(
    store_dir: Path, tmp_path: Path
) -> None:
    # 11,000 terms joined by || (99 KB, nesting 2): pyoxigraph recursed past the default
    # thread stack and the process died with SIGSEGV; now it is an ordinary (slow) query.
    chain = "||".join(f"?o={i}" for i in range(11_000))
    query = tmp_path / "chain.rq"
    query.write_text(f"SELECT * WHERE {{ ?s ?p ?o FILTER({chain}) }} LIMIT 1", encoding="utf-8")
    done = _cli("sparql", "--timeout", "3", "-q", str(query), store=store_dir)
    assert done.returncode in (0, 2), done.stderr  # answered, or stopped by the timeout
    assert done.returncode == 0 or done.stderr == (
        f"Error: {query}: the query ran longer than 3 s; narrow it down, or raise --timeout "
        "or PLEDGEGRAPH_TIMEOUT (0 = no limit)\n"
    )


def test_from_and_from_named_define_the_dataset(store_dir: Path) -> None:
    links = "https://w3id.org/pledgegraph/graph/links"
    store = Store.open(store_dir)
    try:
        in_links = len(list(store.inner.quads_for_pattern(None, None, None, ox.NamedNode(links))))
        assert in_links > 0
        cases = {
            f"SELECT (COUNT(*) AS ?n) FROM <{links}> WHERE {{ ?s ?p ?o }}": in_links,
            "SELECT (COUNT(*) AS ?n) FROM <http://example.org/none> WHERE { ?s ?p ?o }": 0,
            f"select (count(*) as ?n) from named <{links}> where {{ graph ?g {{ ?s ?p ?o }} }}": (
                in_links
            ),
        }
        for query, expected in cases.items():
            (row,) = list(run(store, query))  # type: ignore[call-overload]
            assert int(row["n"].value) == expected, query
        # "from" as a word in a string or a variable name changes nothing
        (row,) = list(run(store, 'SELECT (COUNT(*) AS ?from) WHERE { ?s ?p "from" }'))  # type: ignore[call-overload]
        assert row["from"].value == "0"
    finally:
        store.close()


def test_huge_or_odd_limit_settings_are_one_line(store_dir: Path) -> None:
    done = _cli("sparql", "ASK {}", store=store_dir, env={"PLEDGEGRAPH_MAX_NESTING": "4294967296"})
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "Error: PLEDGEGRAPH_MAX_NESTING: '4294967296' is more than 65,535; set "
        "PLEDGEGRAPH_MAX_NESTING to a number such as 100, or unset it\n"
    )
    for odd in ("nan", "inf", "1e400"):
        done = subprocess.run(
            [sys.executable, "-m", "pledgegraph", "--store", "http://127.0.0.1:1/", "stats"],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "PLEDGEGRAPH_STORE_TIMEOUT": odd},
        )
        assert done.returncode == 2
        assert done.stderr == (
            f"Error: PLEDGEGRAPH_STORE_TIMEOUT: {odd!r} is not a number of seconds above 0; "
            "set PLEDGEGRAPH_STORE_TIMEOUT to e.g. 60\n"
        )


@pytest.mark.parametrize(
    "command", [["load", "-", "--format", "ntriples"], ["import", "-", "--format", "ntriples"]]
)
def test_rdf_on_standard_input_keeps_the_input_limit(tmp_path: Path, command: list[str]) -> None:
    """``load -`` and ``import -`` read RDF from standard input within PLEDGEGRAPH_MAX_INPUT_MB,
    as a file is read (both read it whole before, past the limit)."""
    lines = "".join(f'<urn:x:s{n}> <urn:x:p> "{"v" * 60}" .\n' for n in range(20_000))
    store = tmp_path / "store"
    result = subprocess.run(
        [sys.executable, "-m", "pledgegraph", "--store", str(store), *command],
        input=lines.encode(),
        capture_output=True,
        env={**os.environ, "PLEDGEGRAPH_MAX_INPUT_MB": "1"},
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.decode() == (
        "Error: -: the input is larger than the limit of 1 MB; "
        "set PLEDGEGRAPH_MAX_INPUT_MB to raise the limit\n"
    )


def test_a_loop_of_symbolic_links_is_one_line(store_dir: Path, tmp_path: Path) -> None:
    """An outside attack: ``ln -s loop.ttl loop.ttl`` gave a RuntimeError traceback in load,
    remove, export and backup (Python 3.11's Path.resolve)."""
    loop = tmp_path / "loop.ttl"
    loop.symlink_to(loop)
    before = _count(store_dir)
    for args in (
        ["load", str(loop)],
        ["load", "--graph", "http://example.org/g", str(loop)],
        ["remove", str(loop)],
        ["export", "-o", str(loop)],
        ["backup", str(loop)],
    ):
        done = _cli(*args, store=store_dir)
        assert done.returncode == 2, args
        assert done.stderr.endswith(
            "is a loop of symbolic links; point the link at a real file\n"
        ), (args, done.stderr)
        assert "Traceback" not in done.stderr
    assert _count(store_dir) == before


def test_the_users_query_limits_leave_pledgegraphs_own_rules_alone(
    store_dir: Path, tmp_path: Path
) -> None:
    """An outside attack: PLEDGEGRAPH_MAX_NESTING=8 made every load fail with "rule
    duplicate-target: the query nests brackets more than 8 deep; flatten it", a query the
    user cannot see; PLEDGEGRAPH_MAX_QUERY_KB=0.001 did the same to validate."""
    sheet = tmp_path / "copy.pledges.yaml"
    sheet.write_bytes(
        (Path(__file__).parents[1] / "loaders" / "data" / "seed.pledges.yaml").read_bytes()
    )
    tight = {"PLEDGEGRAPH_MAX_NESTING": "8", "PLEDGEGRAPH_MAX_QUERY_KB": "0.5"}
    done = _cli("validate", str(sheet), store=store_dir, env=tight)
    assert done.returncode == 0, done.stderr
    done = _cli("load", "--replace", str(sheet), store=store_dir, env=tight)
    assert done.returncode == 0, done.stderr
    # the user's own queries still meet them
    deep = "ASK { " + "{ " * 9 + "?s ?p ?o " + "} " * 9 + "}"
    done = _cli("sparql", deep, store=store_dir, env=tight)
    assert done.returncode == 2
    assert "nests brackets more than 8 deep" in done.stderr


def test_a_huge_size_limit_is_no_limit_not_a_traceback(store_dir: Path) -> None:
    """An outside attack: PLEDGEGRAPH_MAX_QUERY_KB=1e308 (and the other size limits) gave an
    OverflowError traceback: the limit times 1024 was infinite."""
    for variable in (
        "PLEDGEGRAPH_MAX_QUERY_KB",
        "PLEDGEGRAPH_MAX_INPUT_MB",
        "PLEDGEGRAPH_MAX_ARTICLE_KB",
        "PLEDGEGRAPH_MAX_RESPONSE_MB",
    ):
        done = _cli("sparql", "ASK {}", store=store_dir, env={variable: "1e308"})
        assert (done.returncode, done.stdout, done.stderr) == (0, "true\n", ""), variable
    done = _cli(
        "sparql",
        "-q",
        "-",
        store=store_dir,
        env={"PLEDGEGRAPH_MAX_INPUT_MB": "1e308"},
        stdin=b"ASK {}",
    )
    assert (done.returncode, done.stdout) == (0, "true\n")
