"""Issue 9, a further round of outside attacks: old stores, huge or odd fact-sheet values,
ill-typed RDF literals and numbers the extractor cannot hand to its own loader.

Real stores in tmp_path, the CLI in process (``CliRunner``, stdout and stderr kept apart).
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from pledgegraph.graph.rows import ROW, stored_rows
from pledgegraph.graph.store import STATE_FILE, Store
from pledgegraph.loaders.rdf import ROW_FORMAT, ROW_SEPARATOR
from pledgegraph.ontology import GRAPH
from tests.conftest import Invoke

# --- 1. a store whose rows an older pledgegraph wrote ----------------------------------------


def _age_rows(store_path: Path, *, delete: bool) -> int:
    """Make the store look as an earlier version left it: rows in the old format (U+001F
    separators) or none, and no row format recorded. Returns how many rows there were."""
    store = Store.open(store_path)
    rows = list(store.inner.quads_for_pattern(None, ROW, None, None))
    for quad in rows:
        store.inner.remove(quad)
        if not delete:
            assert isinstance(quad.object, ox.Literal)
            old = ox.Literal(quad.object.value.replace(ROW_SEPARATOR, "\x1f"))
            store.inner.add(ox.Quad(quad.subject, ROW, old, quad.graph_name))
    assert store._database is not None
    state_file = store._database / STATE_FILE
    state = json.loads(state_file.read_text(encoding="utf-8"))
    assert state.pop("row_format") == ROW_FORMAT
    state_file.write_text(json.dumps(state), encoding="utf-8")
    store.close()
    return len(rows)


@pytest.mark.parametrize("delete", [False, True], ids=["old-format", "deleted"])
def test_old_rows_are_rebuilt_at_open_with_one_note(
    cli: Invoke, store_path: Path, delete: bool
) -> None:
    fresh = cli("query", "parks-by-year")
    assert fresh.exit_code == 0 and fresh.stderr == ""
    count = _age_rows(store_path, delete=delete)
    assert count > 0

    result = cli("query", "parks-by-year")
    assert result.exit_code == 0
    assert result.stdout == fresh.stdout  # not "0 rows"
    assert result.stderr == (
        f"Note: the store's summary rows (pledge:row) were written by an older pledgegraph; "
        f"rebuilt {count} of {count} (row format {ROW_FORMAT})\n"
    )
    again = cli("query", "parks-by-year")  # recorded: no second rebuild, no note
    assert again.stderr == "" and again.stdout == fresh.stdout
    check = cli("reindex", "--check")
    assert check.exit_code == 0, check.stderr
    with Store.open(store_path) as store:
        assert all(ROW_SEPARATOR in row for row in stored_rows(store).values())
        assert store.state()["row_format"] == ROW_FORMAT


def test_a_new_store_records_the_row_format_and_says_nothing(cli: Invoke, store_path: Path) -> None:
    result = cli("stats")
    assert result.exit_code == 0 and result.stderr == ""
    with Store.open(store_path) as store:
        assert store.state()["row_format"] == ROW_FORMAT
        assert store.notes == []


# --- 3. huge text fields; running out of memory --------------------------------------------

SHEET = """\
source:
  url: https://example.org/news/attack
  title: {title}
pledges:
  - region: CN-ZJ
    deadline: {deadline}
    targets:
      - {{kind: parks, quantity: {quantity}}}
"""


def _write(
    tmp_path: Path, title: str = "Parks", deadline: str = "2030", quantity: str = "3"
) -> str:
    path = tmp_path / "attack.pledges.yaml"
    path.write_text(
        SHEET.format(title=title, deadline=deadline, quantity=quantity), encoding="utf-8"
    )
    return str(path)


def _refused(cli: Invoke, store_path: Path, args: list[str], line: str) -> None:
    before = cli("stats")
    assert before.exit_code == 0
    result = cli(*args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", line + "\n")
    assert cli("stats").stdout == before.stdout  # the store is unchanged


@pytest.mark.parametrize("command", ["validate", "load"])
def test_a_twenty_megabyte_title_is_one_error_line(
    cli: Invoke, store_path: Path, tmp_path: Path, command: str
) -> None:
    sheet = _write(tmp_path, title="a" * 20_000_000)
    _refused(
        cli,
        store_path,
        [command, sheet],
        f"Error: {sheet}:3: title is 20,000,000 characters long, more than the 10,000 a "
        "fact-sheet field may hold; shorten it (the article's full text belongs in the "
        "article, not the sheet)",
    )


def test_the_longest_allowed_title_loads(cli: Invoke, tmp_path: Path) -> None:
    from pledgegraph.loaders.factsheet import MAX_TEXT

    result = cli("load", _write(tmp_path, title="a" * MAX_TEXT))
    assert result.exit_code == 0, result.stderr


OUT_OF_MEMORY = """\
import resource, sys
from pledgegraph.cli import main
def size() -> int:
    for line in open("/proc/self/status"):
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    raise SystemExit("no VmSize")
limit = size() + 120 * 1024 * 1024
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
main(sys.argv[1:])
"""


def test_running_out_of_memory_is_one_error_line(tmp_path: Path) -> None:
    """A real MemoryError: a 200 MB sheet (under the input limit) read with 120 MB to spare."""
    import subprocess
    import sys

    sheet = tmp_path / "sparse.pledges.yaml"
    with sheet.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: no disk used
    script = tmp_path / "oom.py"
    script.write_text(OUT_OF_MEMORY, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script), "--store", str(tmp_path / "s"), "validate", str(sheet)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "Error: validate: ran out of memory; give a smaller input (see README, Limits) or "
        "free some memory; a write cut short is undone at the next open\n"
    )


# --- 5. integers only in decimal digits; what the user wrote; NUL bytes ----------------------


@pytest.mark.parametrize("written", ["0x10", "1_000", "0b101", "010", "1:30", "+5"])
def test_a_quantity_not_in_plain_decimal_digits_is_refused(
    cli: Invoke, store_path: Path, tmp_path: Path, written: str
) -> None:
    sheet = _write(tmp_path, quantity=written)
    _refused(
        cli,
        store_path,
        ["load", sheet],
        f"Error: {sheet}:8: quantity {written!r} is not written in plain decimal digits; "
        "write the count in digits only, e.g. 1000 (no +, 0x, 0o, _, : or leading zeros)",
    )


@pytest.mark.parametrize("written", ["1000", "0"])
def test_plain_decimal_quantities_still_load(cli: Invoke, tmp_path: Path, written: str) -> None:
    result = cli("load", _write(tmp_path, quantity=written))
    assert result.exit_code == 0, result.stderr


def test_a_year_zero_deadline_is_shown_as_written(
    cli: Invoke, store_path: Path, tmp_path: Path
) -> None:
    sheet = _write(tmp_path, deadline="0000")
    _refused(
        cli,
        store_path,
        ["load", sheet],
        f"Error: {sheet}:6: bad deadline: '0000' is year 0; years run from 0001 to 9999; "
        "use YYYY, YYYY-MM or YYYY-MM-DD",
    )


def test_a_nul_byte_is_one_clean_line(cli: Invoke, store_path: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "nul.pledges.yaml"
    sheet.write_text(
        'source:\n  url: https://example.org/x\n  title: "a\0b"\npledges: []\n', encoding="utf-8"
    )
    _refused(
        cli,
        store_path,
        ["load", str(sheet)],
        f"Error: {sheet}:3: malformed YAML: unacceptable character #x0000 (control characters "
        "are not allowed); remove the character, or write it as an escape in a double-quoted "
        "string",
    )


# --- 4. ill-typed literals: no rdflib log noise ----------------------------------------------

ILL_TYPED = """\
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<http://example.org/a> <http://example.org/p> "99999-01-01"^^xsd:date .
<http://example.org/b> <http://example.org/p> "notadate"^^xsd:date .
"""


def test_ill_typed_literals_load_validate_reason_and_export_without_log_noise(
    tmp_path: Path,
) -> None:
    """In a subprocess: pytest's log capture would hide what rdflib prints on stderr."""
    import subprocess
    import sys

    data = tmp_path / "dates.ttl"
    data.write_text(ILL_TYPED, encoding="utf-8")
    store = str(tmp_path / "s")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pledgegraph", "--store", store, *args],
            capture_output=True,
            text=True,
            timeout=300,
        )

    loaded = run("load", "--shacl-engine", "pyshacl", str(data))
    assert loaded.returncode == 0
    assert loaded.stderr == f"loaded {data}: 2 quads in <{GRAPH}file/dates-ttl>\n"
    for args in (
        ("validate", "--format", "csv"),
        ("validate", str(data)),
        ("reason",),
        ("export", "-f", "jsonld"),
        ("export", "-f", "rdfxml"),
    ):
        done = run(*args)
        assert done.returncode == 0, (args, done.stderr)
        assert "Failed to convert" not in done.stderr and "Traceback" not in done.stderr, args
        if args[0] == "export":
            assert "notadate" in done.stdout  # kept as written


# --- 6. the extractor writes only what its own loader reads ----------------------------------


def _extracted(text: str, published: str | None = None) -> list[tuple[object, ...]]:
    """What the extractor finds, after its sheet went through the loader's own reader."""
    from pledgegraph.loaders.extraction import extract
    from pledgegraph.loaders.facts import PartialDate, Source
    from pledgegraph.loaders.factsheet import dump_factsheet, parse_factsheet

    source = Source(
        url="https://example.org/a",
        published=PartialDate.parse(published) if published else None,
    )
    sheet = parse_factsheet(dump_factsheet(extract(text, source=source)))  # raises if refused
    return [
        (
            pledge.region,
            str(target.deadline or pledge.deadline or ""),
            target.kind,
            target.quantity.value if target.quantity else None,
        )
        for pledge in sheet.pledges
        for target in pledge.targets
    ]


@pytest.mark.parametrize(
    ("text", "published", "found"),
    [
        # 23 digits: was written as 99999999999999991611392 (float rounding), then refused.
        ("Hebei will build 99999999999999999999999 parks by 99999.", None, []),
        ("Hebei will build 20 firms and 99999999999999999999999 parks by 2030.", None,
         [("CN-HE", "2030", "firms", 20)]),
        # 16 digits: one more than a fact sheet may hold.
        ("Hebei will build 2,000,000,000,000,000 parks by 2030.", None, []),
        # 15 digits, exactly: kept, exactly.
        ("Hebei will build 999,999,999,999,999 parks by 2030.", None,
         [("CN-HE", "2030", "parks", 999_999_999_999_999)]),
        ("Hebei will build 2.5 million parks by 2030.", None,
         [("CN-HE", "2030", "parks", 2_500_000)]),
        # No valid deadline: the target stays, without one.
        ("Zhejiang will build 3 parks by 0000.", None, [("CN-ZJ", "", "parks", 3)]),
        # A relative deadline past year 9999 (published 9990, 20 years on): dropped.
        ("Hebei will build 20 parks within the next 20 years.", "9990",
         [("CN-HE", "", "parks", 20)]),
        ("Hebei will build 20 parks within the next 5 years.", "9990",
         [("CN-HE", "9995", "parks", 20)]),
    ],
)  # fmt: skip
def test_the_extractor_never_writes_what_its_loader_refuses(
    text: str, published: str | None, found: list[tuple[object, ...]]
) -> None:
    assert _extracted(text, published) == found


def test_the_digit_limit_is_shared_by_reader_and_extractor() -> None:
    from pledgegraph.loaders import facts, factsheet
    from pledgegraph.loaders.extraction import patterns

    assert factsheet.MAX_DIGITS is facts.MAX_DIGITS is patterns.MAX_DIGITS
    assert patterns.parse_number("9" * facts.MAX_DIGITS) == int("9" * facts.MAX_DIGITS)
    assert patterns.parse_number("1" + "0" * facts.MAX_DIGITS) is None


def test_extract_then_load_a_huge_number(cli: Invoke, tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(
        "Hebei will build 20 firms and 99999999999999999999999 parks by 2030.\n",
        encoding="utf-8",
    )
    sheet = tmp_path / "a.pledges.yaml"
    extracted = cli("extract", str(article), "-o", str(sheet))
    assert extracted.exit_code == 0, extracted.stderr
    assert "99999" not in sheet.read_text(encoding="utf-8")
    loaded = cli("load", str(sheet))
    assert loaded.exit_code == 0, loaded.stderr


# --- 2. validation is linear in the targets of a pledge; limits on sheet size ----------------

#: The rule duplicate-target pairing every target of a pledge with every other (its filters as now):
#: the reference the linear rule must agree with.
PAIRWISE_DUPLICATE_TARGET = """
SELECT ?focus (MIN(?twin) AS ?other) WHERE {
  ?pledge pledge:hasTarget ?focus , ?twin .
  FILTER (STR(?twin) < STR(?focus))  # report the later of two, once
  ?focus pledge:kind ?kind . ?twin pledge:kind ?kind .
  OPTIONAL {
    ?focus pledge:quantity ?q1 .
    OPTIONAL { ?q1 schema:value ?v1 }       OPTIONAL { ?q1 schema:minValue ?min1 }
    OPTIONAL { ?q1 schema:maxValue ?max1 }  OPTIONAL { ?q1 pledge:approximate ?a1 }
    OPTIONAL { ?q1 pledge:bound ?b1 }
  }
  OPTIONAL {
    ?twin pledge:quantity ?q2 .
    OPTIONAL { ?q2 schema:value ?v2 }       OPTIONAL { ?q2 schema:minValue ?min2 }
    OPTIONAL { ?q2 schema:maxValue ?max2 }  OPTIONAL { ?q2 pledge:approximate ?a2 }
    OPTIONAL { ?q2 pledge:bound ?b2 }
  }
  FILTER (BOUND(?q1) = BOUND(?q2))
  OPTIONAL { ?focus pledge:deadline ?d1 } OPTIONAL { ?twin pledge:deadline ?d2 }
  OPTIONAL { ?focus pledge:qualifier ?l1 } OPTIONAL { ?twin pledge:qualifier ?l2 }
  OPTIONAL { ?focus schema:description ?t1 } OPTIONAL { ?twin schema:description ?t2 }
  FILTER (COALESCE(?v1 = ?v2, !BOUND(?v1) && !BOUND(?v2)))
  FILTER (COALESCE(?min1 = ?min2, !BOUND(?min1) && !BOUND(?min2)))
  FILTER (COALESCE(?max1 = ?max2, !BOUND(?max1) && !BOUND(?max2)))
  FILTER (COALESCE(?a1 = ?a2, !BOUND(?a1) && !BOUND(?a2)))
  FILTER (COALESCE(?b1 = ?b2, !BOUND(?b1) && !BOUND(?b2)))
  FILTER (COALESCE(?d1 = ?d2, !BOUND(?d1) && !BOUND(?d2)))
  FILTER (COALESCE(sameTerm(?l1, ?l2), !BOUND(?l1) && !BOUND(?l2)))
  FILTER ((BOUND(?q1) && !sameTerm(?kind, <https://w3id.org/pledgegraph/kind/other>))
          || COALESCE(LCASE(STR(?t1)) = LCASE(STR(?t2)), !BOUND(?t1) && !BOUND(?t2)))
} GROUP BY ?focus
"""


def _duplicate_hits(store: ox.Store, sparql: str) -> set[tuple[str, str]]:
    from pledgegraph.graph.query import query_scratch

    solutions = query_scratch(store, sparql, where="test")
    assert isinstance(solutions, ox.QuerySolutions)
    return {(str(s["focus"]), str(s["other"])) for s in solutions}


def _scratch(sheet_text: str | None = None, rdf: Path | None = None) -> ox.Store:
    from pledgegraph.graph.validation.checks import _ontology_quads
    from pledgegraph.loaders.factsheet import parse_factsheet
    from pledgegraph.loaders.rdf import reference_nquads, source_nquads

    store = ox.Store()
    store.extend(_ontology_quads())
    if sheet_text is not None:
        sheet = parse_factsheet(sheet_text)
        data = "".join([*source_nquads(sheet), *reference_nquads(sheet)])
        store.load(data.encode("utf-8"), ox.RdfFormat.N_QUADS)
    if rdf is not None:
        store.load(path=str(rdf), format=ox.RdfFormat.TURTLE)
    return store


def _many_twins() -> str:
    """Two pledges whose targets vary in every field the rule compares, many of them twins."""
    lines = ["source:", "  url: https://example.org/twins", "pledges:"]
    quantities = ["3", "3", "4", "[1, 3]", "[1, 3]", "null", "null"]
    for region in ("CN-ZJ", "CN-HE"):
        lines += [f"  - region: {region}", "    deadline: 2030", "    targets:"]
        for i in range(84):
            kind = ("parks", "firms")[i % 2]
            quantity = quantities[i % 7]
            fields = [f"kind: {kind}", f"quantity: {quantity}"]
            if quantity != "null" and i % 3 == 0:
                fields.append("approximate: true")
            if quantity not in ("null", "[1, 3]") and i % 5 == 0:
                fields.append("bound: min")
            if i % 4 == 0:
                fields.append("deadline: 2025")
            if i % 6 == 0:
                fields.append("qualifier: leading")
            if i % 11 < 3:
                fields.append(f"description: thing {i % 11}")
            lines.append("      - {" + ", ".join(fields) + "}")
    return "\n".join(lines) + "\n"


def test_duplicate_target_is_linear_and_says_what_the_pairwise_rule_said() -> None:
    from pledgegraph.graph.validation.rules import rule_named

    linear = rule_named("duplicate-target").sparql
    here = Path(__file__).parent / "fixtures" / "invalid"
    cases = [
        _scratch(_many_twins()),
        *(_scratch(rdf=path) for path in sorted(here.glob("*.ttl"))),
    ]
    bundled = Store.memory()
    total = 0
    for store in [*cases, bundled.inner]:
        expected = _duplicate_hits(store, PAIRWISE_DUPLICATE_TARGET)
        assert _duplicate_hits(store, linear) == expected
        total += len(expected)
    assert total > 50  # the cases hold many twins (the rule is tested, not just run)


def _big_sheet(pledges: int, targets: int) -> str:
    lines = ["source:", "  url: https://example.org/big", "pledges:"]
    for _ in range(pledges):
        lines += ["  - region: CN-ZJ", "    deadline: 2030", "    targets:"]
        lines += [f"      - {{kind: parks, quantity: {i}}}" for i in range(1, targets + 1)]
    return "\n".join(lines) + "\n"


def test_targets_per_pledge_past_the_limit_is_one_error_line(
    cli: Invoke, store_path: Path, tmp_path: Path
) -> None:
    from pledgegraph.loaders.factsheet import MAX_TARGETS_PER_PLEDGE

    sheet = tmp_path / "big.pledges.yaml"
    sheet.write_text(_big_sheet(1, MAX_TARGETS_PER_PLEDGE + 1), encoding="utf-8")
    _refused(
        cli,
        store_path,
        ["load", str(sheet)],
        f"Error: {sheet}:6: a pledge has 1,001 targets, more than the 1,000 one pledge may "
        "list; split it into several pledges, or the sheet into several (see README, Limits)",
    )
    sheet.write_text(_big_sheet(1, MAX_TARGETS_PER_PLEDGE), encoding="utf-8")
    loaded = cli("load", str(sheet))  # at the limit: loads (in seconds, not minutes)
    assert loaded.exit_code == 0, loaded.stderr


@pytest.mark.parametrize(
    ("pledges", "targets", "problem"),
    [
        (1_001, 1, "the sheet has 1,001 pledges, more than the 1,000 a fact sheet may hold"),
        (11, 1_000, "the sheet has 11,000 targets, more than the 10,000 a fact sheet may hold"),
    ],
)
def test_sheet_size_past_the_limits_is_one_problem(
    pledges: int, targets: int, problem: str
) -> None:
    from pledgegraph.errors import FactSheetError
    from pledgegraph.loaders.factsheet import parse_factsheet

    with pytest.raises(FactSheetError) as caught:
        parse_factsheet(_big_sheet(pledges, targets), path="big.pledges.yaml")
    assert caught.value.lines == [
        f"big.pledges.yaml:3: {problem}; split the sheet into several (see README, Limits)"
    ]
