"""Validation reports as text: a readable table (rich), JSON, CSV, and one-line problems."""

from __future__ import annotations

import csv
import json
from typing import TextIO

import pyoxigraph as ox

from pledgegraph.errors import counted
from pledgegraph.graph.formats import short
from pledgegraph.graph.query import table_console
from pledgegraph.graph.validation.checks import Problem, Report
from pledgegraph.ontology import GRAPH

REPORT_FORMATS = ("table", "json", "csv")
_FIELDS = ("severity", "rule", "focus", "path", "line", "graph", "message")


def short_focus(focus: str) -> str:
    """``pgid:pledge/…/target/2`` for a data IRI; blank nodes stay ``_:label``."""
    if focus.startswith("_:"):
        return focus
    try:
        return short(ox.NamedNode(focus))
    except ValueError:
        return focus


def short_where(problem: Problem) -> str:
    """``file:line``, ``file``, or the graph without its common base (``source/<key>``)."""
    if problem.path is not None:
        return problem.where
    if problem.graph is not None:
        return problem.graph.removeprefix(GRAPH)
    return ""


def summary(report: Report) -> str:
    """``2 errors, 1 warning, 0 notes in a.ttl, b.pledges.yaml``."""
    counts = ", ".join(
        [
            counted(len(report.errors), "error"),
            counted(len(report.warnings), "warning"),
            counted(len(report.infos), "note"),
        ]
    )
    scope = "" if report.shacl else " (SPARQL rules only, no SHACL)"
    return f"{counts} in {', '.join(report.checked) or 'nothing'}{scope}"


def problem_line(problem: Problem) -> str:
    """One line for a log: ``file:line: ERROR rule: message [focus]``."""
    where = short_where(problem)
    head = f"{where}: " if where else ""
    return (
        f"{head}{problem.severity.value} {problem.rule}: {problem.message} "
        f"[{short_focus(problem.focus)}]"
    )


def write_table(report: Report, out: TextIO, *, color: bool = False) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(
        file=out, force_terminal=color, no_color=not color, width=None if color else 80
    )
    if report.problems:
        table = Table(header_style="bold", highlight=False)
        table.add_column("Severity", no_wrap=True)
        table.add_column("Rule", no_wrap=True)
        table.add_column("Focus", overflow="fold")
        table.add_column("Where", overflow="fold")  # never "…": the line number is at the end
        table.add_column("Message", ratio=1)
        styles = {"ERROR": "bold red", "WARN": "yellow", "INFO": "cyan"}
        for problem in report.problems:
            table.add_row(
                problem.severity.value,
                problem.rule,
                short_focus(problem.focus),
                short_where(problem),
                problem.message,
                style=styles[problem.severity.value] if color else None,
            )
        console = table_console(out, table, color=color)
        console.print(table)
    else:
        console.print("No problems found.", soft_wrap=True)
    console.print(summary(report), style="dim" if color else None, highlight=False, soft_wrap=True)


def _record(problem: Problem) -> dict[str, str | int | None]:
    return {
        "severity": problem.severity.value,
        "rule": problem.rule,
        "focus": problem.focus,
        "path": problem.path,
        "line": problem.line,
        "graph": problem.graph,
        "message": problem.message,
    }


def write_json(report: Report, out: TextIO) -> None:
    data = {
        "ok": report.ok,
        "checked": report.checked,
        "shacl": report.shacl,
        "counts": {
            "ERROR": len(report.errors),
            "WARN": len(report.warnings),
            "INFO": len(report.infos),
        },
        "problems": [_record(p) for p in report.problems],
    }
    out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def write_csv(report: Report, out: TextIO) -> None:
    """RFC 4180 CSV (CRLF line ends), one problem a row, header first."""
    writer = csv.DictWriter(out, fieldnames=_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for problem in report.problems:
        writer.writerow(_record(problem))


def write_report(report: Report, out: TextIO, *, fmt: str = "table", color: bool = False) -> None:
    """Write ``report`` as ``table``, ``json`` or ``csv``."""
    if fmt == "table":
        write_table(report, out, color=color)
    elif fmt == "json":
        write_json(report, out)
    elif fmt == "csv":
        write_csv(report, out)
    else:
        raise ValueError(f"unknown report format {fmt!r}; use one of {', '.join(REPORT_FORMATS)}")
