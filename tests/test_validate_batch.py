"""Batch validation (``validate_factsheets``, what ``pledgegraph load`` runs) against the oracle:
each sheet validated alone (``validate_factsheet``). Same problems, same messages, same lines.

The sheets here break rules and shapes on purpose, and some share nodes in the ways that could
let one sheet hide (or make) another's problem in a union: the same regions and deadlines
(shared alike: allowed in one batch), two organisation names written as one IRI, two
authorities written as one IRI with other regions, two sheets of one source.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import Result

from pledgegraph.graph.validation import checks
from pledgegraph.graph.validation.checks import (
    Report,
    validate_factsheet,
    validate_factsheets,
)
from pledgegraph.loaders.bundled import bundled_factsheets
from pledgegraph.loaders.facts import FactSheet
from pledgegraph.loaders.factsheet import parse_factsheet
from pledgegraph.loaders.rdf import (
    authority_iri,
    organization_iri,
    reference_nquads,
    source_nquads,
)

ID = "https://w3id.org/pledgegraph/id/"

BASE = """\
source:
  url: https://example.org/news/{n}
  title: Parks and firms in the west, number {n}
  published: 2021-05-01
  publisher: {publisher}
pledges:
  - region: CN-SC
    announced: {announced}
    deadline: 2023
    authority: {authority}
    targets:
      - kind: parks
        quantity: 2
      - kind: parks
        quantity: 2
  - region: {city}
    deadline: 2020
    targets:
      - kind: firms
        quantity: 10
        approximate: true
        bound: min
        confidence: 0.2
      - kind: firms
        quantity: [20, 30]
        deadline: 2019
"""


def sheet(n: int, **fields: str) -> FactSheet:
    values = {
        "n": str(n),
        "publisher": "Sichuan Daily",
        "announced": "2021-03",
        "authority": "Sichuan Government",
        "city": "Chengdu",
        **fields,
    }
    text = BASE.format(**values)
    if "title" in fields:
        text = text.replace(f"  title: Parks and firms in the west, number {n}\n", "")
    return parse_factsheet(text, path=f"s{n:02d}.pledges.yaml")


def bad_sheets() -> list[FactSheet]:
    sheets = [
        sheet(1),  # warnings and notes only
        sheet(2, announced="2024"),  # an error: deadlines before the announcement
        sheet(3, city="Guiyang"),
        sheet(4, title="none"),  # no title: a SHACL warning (pySHACL writes the report)
        sheet(5, publisher="SICHUAN  daily"),  # the organisation IRI of sheet 1, another name
        sheet(6, authority="Government", city="Chengdu"),
        sheet(7, announced="2019"),
    ]
    # Sheet 8: region Chengdu, authority "Government": not the authority "Chengdu Government"
    # of CN-SC (their IRIs once collided). Sheet 9: the authority of the other sheets, spelt
    # otherwise: one IRI, two labels.
    eight = parse_factsheet(
        BASE.format(
            n="8",
            publisher="Xinhua",
            announced="2021",
            authority="Sichuan Government",
            city="Chengdu",
        )
        .replace("  - region: CN-SC\n", "  - region: Chengdu\n")
        .replace("authority: Sichuan Government", "authority: Government"),
        path="s08.pledges.yaml",
    )
    nine = sheet(9, authority="SICHUAN  government")
    # Sheet 10: the source of sheet 3 again (same URL, so the same source key and graph), its
    # first pledge announced after its deadline: in a union with sheet 3, sheet 3's pledge
    # would get the error too.
    ten = parse_factsheet(
        BASE.format(
            n="3",
            publisher="Xinhua",
            announced="2024",
            authority="Sichuan Government",
            city="Chengdu",
        ),
        path="s10.pledges.yaml",
    )
    return [*sheets, eight, nine, ten]


def oracle(sheets: list[FactSheet], **options: object) -> list[Report]:
    return [validate_factsheet(s, **options) for s in sheets]  # type: ignore[arg-type]


def assert_same(batch: list[Report], alone: list[Report]) -> None:
    assert len(batch) == len(alone)
    for ours, theirs in zip(batch, alone, strict=True):
        assert ours.problems == theirs.problems  # severity, rule, focus, message, path, line
        assert (ours.checked, ours.shacl, ours.ok) == (theirs.checked, theirs.shacl, theirs.ok)


def test_the_sheets_share_nodes_the_ways_that_matter() -> None:
    """The premises of the cases below, so that they cannot pass by becoming vacuous."""
    sheets = bad_sheets()
    assert organization_iri("Sichuan Daily") == organization_iri("SICHUAN  daily")
    assert authority_iri(sheets[7].pledges[0].region, "Government") != authority_iri(
        "CN-SC", "Chengdu Government"
    )
    assert authority_iri(sheets[8].pledges[0].region, sheets[8].pledges[0].authority or "") == (
        authority_iri(sheets[0].pledges[0].region, "Sichuan Government")
    )
    assert sheets[2].source.url == sheets[9].source.url
    alone = oracle(sheets, shacl=False)
    assert all(report.problems for report in alone)
    assert not alone[1].ok and alone[0].ok
    rules = {p.rule for report in alone for p in report.problems}
    assert {"deadline-before-announcement", "duplicate-target", "approximate-with-bound"} <= rules


@pytest.mark.parametrize("size", [10**9, 1500, 1], ids=["one-batch", "batches", "each-alone"])
def test_batch_gives_each_sheet_its_own_problems_rules_only(
    size: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(checks, "BATCH_QUADS", size)
    sheets = bad_sheets()
    assert_same(validate_factsheets(sheets, shacl=False), oracle(sheets, shacl=False))


@pytest.mark.parametrize("size", [10**9, 1500], ids=["one-batch", "batches"])
def test_batch_gives_each_sheet_its_own_problems_with_the_shacl_screen(
    size: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("shacl")
    monkeypatch.setattr(checks, "BATCH_QUADS", size)
    sheets = bad_sheets()
    batch = validate_factsheets(sheets, engine="shacl")
    assert_same(batch, oracle(sheets, engine="shacl"))
    assert any(p.rule.startswith("shacl:") for p in batch[3].problems)  # the untitled one


def test_batch_with_pyshacl_alone_is_the_oracle() -> None:
    sheets = bad_sheets()[:3]
    assert_same(validate_factsheets(sheets, engine="pyshacl"), oracle(sheets, engine="pyshacl"))


def test_clean_sheets_and_the_bundled_one_in_one_batch() -> None:
    sheets = [*bundled_factsheets(), *(sheet(n, city="Guiyang") for n in range(20, 26))]
    for options in ({"shacl": False}, {}):
        assert_same(validate_factsheets(sheets, **options), oracle(sheets, **options))  # type: ignore[arg-type]


def test_sheets_that_share_a_node_unlike_are_split_apart() -> None:
    """Which sheets may share a batch (see ``checks._batches``)."""
    sheets = bad_sheets()
    parts = [
        checks._part(i, "".join(source_nquads(s)), reference_nquads(s))
        for i, s in enumerate(sheets)
    ]
    batches, alone = checks._batches(parts, 10**9)
    assert [[p.index for p in batch] for batch in batches] == [[0, 1, 2, 3, 5, 6, 7]]
    # 4: Sichuan Daily named otherwise; 8: the Sichuan Government named otherwise;
    # 9: the source of sheet 3.
    assert [p.index for p in alone] == [4, 8, 9]


def test_sheets_with_other_deadlines_for_one_kind_share_a_batch() -> None:
    """Each sheet adds the due keys of its own targets to the kind (``parks 2023``, ``parks
    2024``): no rule or shape reads them, so they do not keep the sheets apart (they once sent
    every sheet of a load to be validated alone, at twice the time)."""
    later = parse_factsheet(
        BASE.format(
            n="2",
            publisher="Sichuan Daily",
            announced="2021-03",
            authority="Sichuan Government",
            city="Guiyang",
        ).replace("deadline: 2023", "deadline: 2024"),
        path="s02.pledges.yaml",
    )
    sheets = [sheet(1, city="Guiyang"), later]
    references = [reference_nquads(s) for s in sheets]
    assert {line for line in references[0] if "rowDueKeys" in line} != {
        line for line in references[1] if "rowDueKeys" in line
    }
    parts = [
        checks._part(i, "".join(source_nquads(s)), references[i]) for i, s in enumerate(sheets)
    ]
    batches, alone = checks._batches(parts, 10**9)
    assert [[p.index for p in batch] for batch in batches] == [[0, 1]]
    assert alone == []
    for options in ({"shacl": False}, {}):
        assert_same(validate_factsheets(sheets, **options), oracle(sheets, **options))  # type: ignore[arg-type]


@pytest.mark.parametrize("index", range(10))
def test_a_sheet_describes_every_node_it_points_at(index: int) -> None:
    """The premise of batching: apart from the ontology's terms and the article's URL, every
    node a sheet's triples point at is described by the sheet's own triples (source graph or
    reference graph), so another sheet's triples never answer for it."""
    s = (bad_sheets() + list(bundled_factsheets()))[index]
    data = "".join([*source_nquads(s), *reference_nquads(s)]).encode("utf-8")
    quads = list(ox.parse(data, ox.RdfFormat.N_QUADS))
    subjects = {q.subject for q in quads}
    pointed = {q.object for q in quads if isinstance(q.object, ox.NamedNode)}
    ours = {node for node in pointed if node.value.startswith(ID)}
    assert ours and ours <= subjects


# --- through the CLI: the same output as sheet by sheet -----------------------------------------


def _write(folder: Path, sheets: list[FactSheet]) -> None:
    from pledgegraph.loaders.factsheet import dump_factsheet

    folder.mkdir()
    for s in sheets:
        assert s.path is not None
        (folder / s.path).write_text(dump_factsheet(s), encoding="utf-8")


def _load(cli: object, folder: Path, *options: str) -> Result:
    result = cli("load", *options, str(folder))  # type: ignore[operator]
    assert isinstance(result, Result)
    return result


@pytest.mark.parametrize("options", [("--lenient",), (), ("--lenient", "--no-shapes")])
def test_load_prints_what_sheet_by_sheet_validation_prints(
    options: tuple[str, ...],
    cli: object,
    tmp_path: Path,
    store_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pytest.importorskip("shacl")
    _write(tmp_path / "sheets", bad_sheets()[:9])  # (not sheet 10: a duplicate article)
    batch = _load(cli, tmp_path / "sheets", *options)

    import shutil

    shutil.rmtree(store_path)
    monkeypatch.setattr(
        checks,
        "validate_factsheets",
        lambda sheets, *, shacl=True, engine=None, nquads=None, references=None: oracle(
            list(sheets), shacl=shacl, engine=engine
        ),
    )
    alone = _load(cli, tmp_path / "sheets", *options)
    assert batch.exit_code == alone.exit_code == (0 if "--lenient" in options else 1)
    assert batch.stderr == alone.stderr
    assert re.search(r"Warning: .*s02\.pledges\.yaml:\d+: ERROR deadline-before", batch.stderr) or (
        "--lenient" not in options
    )
