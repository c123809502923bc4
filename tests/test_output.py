"""Output for machines never depends on the terminal: piped tables are not wrapped (STYLE 12).

Regression: the validate table was hard-wrapped at 160 columns when piped, so a test broke in a
checkout whose path was longer than the author's.
"""

from __future__ import annotations

import io

import pyoxigraph as ox

from pledgegraph.graph.query import format_table
from pledgegraph.graph.validation.checks import Problem, Report
from pledgegraph.graph.validation.report import write_table
from pledgegraph.graph.validation.rules import Severity

LONG_PATH = "/tmp/" + "a-very-long-checkout-folder/" * 12 + "hebei.pledges.yaml"


def test_piped_validation_table_keeps_every_problem_on_one_line() -> None:
    message = "a target's quantity range has its minimum above its maximum " * 4
    problem = Problem(Severity.ERROR, "range-order", "_:b0", message.strip(), LONG_PATH, 7)
    out = io.StringIO()
    write_table(Report(problems=[problem], checked=[LONG_PATH]), out, color=False)
    lines = out.getvalue().splitlines()
    assert any(f"{LONG_PATH}:7" in line and message.strip() in line for line in lines)
    assert not any(len(line) == 160 for line in lines)


def test_piped_summary_line_is_not_wrapped() -> None:
    checked = [LONG_PATH + str(i) for i in range(5)]
    out = io.StringIO()
    write_table(Report(checked=checked), out, color=False)
    assert out.getvalue().splitlines()[0] == "No problems found."
    assert len(out.getvalue().splitlines()) == 2


def test_piped_result_table_is_not_wrapped() -> None:
    store = ox.Store()
    value = "x" * 500
    store.add(ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal(value)))
    out = io.StringIO()
    format_table(store.query("SELECT ?o WHERE { ?s ?p ?o }"), out, color=False)
    assert any(value in line for line in out.getvalue().splitlines())
