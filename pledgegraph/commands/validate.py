"""``pledgegraph validate``: check fact sheets, RDF files or the whole store.

Registered by ``pledgegraph/cli.py`` (``main.add_command(validate)``). Like every command it
parses options, calls the library (:mod:`pledgegraph.graph.validation.checks`) and formats the result;
importing this module imports nothing heavy.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from pledgegraph.commands._context import RDF_FORMAT_CHOICES
from pledgegraph.errors import EXIT_PARTIAL

if TYPE_CHECKING:
    from pyoxigraph import Quad

    from pledgegraph.errors import PledgeGraphError
    from pledgegraph.graph.store import Store
    from pledgegraph.graph.validation.checks import Problem
    from pledgegraph.loaders.facts import FactSheet

_FORMATS = ("table", "json", "csv")  # = pledgegraph.graph.validation.report.REPORT_FORMATS


@click.command()
@click.argument("files", nargs=-1)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(_FORMATS),
    default="table",
    show_default=True,
    help="Output: a readable table, or JSON / CSV for programs.",
)
@click.option(
    "--rdf-format",
    "rdf_format",
    type=click.Choice(RDF_FORMAT_CHOICES),
    help="RDF format of the FILEs (needed for '-' holding RDF, or a name without a known "
    "extension) [default: from the extension; '-' is a fact sheet].",
)
@click.option(
    "--store-only",
    is_flag=True,
    help="Validate the store (what happens anyway when no FILE is given); refuses FILEs, "
    "so a script whose file list came out empty cannot validate the store by mistake.",
)
def validate(files: tuple[str, ...], fmt: str, rdf_format: str | None, store_only: bool) -> None:
    """Check fact sheets, RDF files, folders of them or (no FILE) the whole store.

    Checks the SHACL shapes (ontology/shapes.ttl) and named SPARQL rules, each with a severity:
    ERROR (the data is wrong), WARN (probably wrong), INFO (worth a look). A fact sheet is
    checked as the RDF it becomes, with its regions and deadlines and the ontology, and its
    problems point to file:line; an RDF file is checked with the store's ontology and
    reference data (the context it would be loaded into). A folder is checked recursively,
    file by file, as 'pledgegraph load DIR' would load it: fact sheets first, so an RDF
    file may use what a sheet given with it adds (its authorities, publishers, deadlines).

    \b
    Exit codes: 0 no errors (warnings and notes allowed), 1 errors found,
    2 could not validate (unreadable or malformed input; the other FILEs are still checked,
    and with -f json/csv each such problem is in the output too, rule "unreadable").

    \b
    Examples:
      pledgegraph validate my-article.pledges.yaml
      pledgegraph validate extra.ttl --format json
      pledgegraph validate sheets/
      cat extra.nt | pledgegraph validate --rdf-format ntriples -
      pledgegraph validate            # the whole store
    """
    from pledgegraph.errors import InputError
    from pledgegraph.graph.formats import is_factsheet, rdf_format_for
    from pledgegraph.graph.validation.checks import (
        Report,
        validate_factsheet,
        validate_rdf_file,
        validate_store,
    )
    from pledgegraph.graph.validation.report import write_report
    from pledgegraph.loaders.factsheet import read_factsheet

    if store_only and files:
        raise InputError(
            "give FILEs or --store-only, not both",
            hint="drop --store-only to check the files",
            where="validate",
        )
    report = Report()
    if not files:
        report.extend(validate_store(_store()))
    from pledgegraph.loaders.folders import expand
    from pledgegraph.loaders.text import read_bytes

    paths, _ = expand(files)  # (as load DIR reads them, each file once)
    if files and not paths:
        click.echo(f"no fact sheets or RDF files in {', '.join(files)}: nothing checked", err=True)
    unreadable: list[InputError] = []

    def is_sheet(path: str) -> bool:
        return is_factsheet(path) or (path == "-" and rdf_format is None)

    # As load writes them: the fact sheets first, so an RDF file is checked with the
    # reference nodes (authorities, publishers, deadlines) of the sheets that would load.
    written: list[tuple[str, FactSheet]] = []  # the sheets load would write
    loaded: tuple[list[Quad], list[Quad]] | None = None
    for path in [p for p in paths if is_sheet(p)] + [p for p in paths if not is_sheet(p)]:
        try:
            if is_sheet(path):
                sheet = read_factsheet(path)
                checked = validate_factsheet(sheet)
                report.extend(checked)
                if not checked.errors:
                    written.append((path, sheet))
            else:
                if loaded is None:
                    loaded = _as_loaded(_store(), written)
                name = rdf_format_for(path, rdf_format, option="--rdf-format")
                data = read_bytes("-") if path == "-" else None  # (within the input limit)
                report.extend(
                    validate_rdf_file(
                        path,
                        format=name,
                        data=data,
                        context=_store(),
                        reference=loaded[0],
                        sheets=loaded[1],
                    )
                )
        except InputError as error:  # this file cannot be read or checked
            if len(paths) == 1 and fmt == "table":
                raise  # (with -f json/csv a program reads it in the output, as for several)
            unreadable.append(error)  # the other files are still checked
    if fmt != "table" and unreadable:
        # A program reading the JSON or CSV alone sees them too (rule "unreadable"); the
        # table leaves them to the Error: lines below.
        report.problems.extend(_unreadable_problems(unreadable))
        report.problems.sort(key=lambda problem: problem.sort_key())
        report.checked.extend(p for p in dict.fromkeys(paths) if p not in report.checked)
    color = fmt == "table" and sys.stdout.isatty()
    write_report(report, sys.stdout, fmt=fmt, color=color)
    for problem in unreadable:
        for line in problem.lines:
            click.echo(f"Error: {line}", err=True)
    if unreadable:
        sys.exit(max(problem.exit_code for problem in unreadable))
    if not report.ok:
        sys.exit(EXIT_PARTIAL)


def _unreadable_problems(errors: Sequence[PledgeGraphError]) -> list[Problem]:
    """One ERROR per problem of a file that could not be read or checked (``errors``), with
    the file and line of each (its first, and the further problems it found)."""
    from pledgegraph.errors import printable
    from pledgegraph.graph.validation.checks import Problem, Severity

    found = []
    for error in errors:
        for one in (error, *error.also):
            text = one.problem + (f"; {one.hint}" if one.hint else "")
            found.append(
                Problem(
                    Severity.ERROR,
                    "unreadable",
                    "",
                    printable(text),
                    path=one.path if one.path is not None else one.where,
                    line=one.line,
                )
            )
    return found


def _as_loaded(store: Store, sheets: list[tuple[str, FactSheet]]) -> tuple[list[Quad], list[Quad]]:
    """What loading ``sheets`` (checked, in order) writes before the RDF files: the reference
    quads, each shared node keeping one name as load settles it, and the sources' quads (a
    second sheet of one source is refused by load: left out)."""
    import pyoxigraph as ox

    from pledgegraph.graph.identity import settle_names
    from pledgegraph.loaders.rdf import reference_nquads, source_graph, source_nquads

    first: dict[str, tuple[str, FactSheet]] = {}
    for path, sheet in sheets:
        first.setdefault(source_graph(sheet), (path, sheet))
    if not first:
        return [], []
    reference, _ = settle_names(
        store.inner, [(path, reference_nquads(sheet)) for path, sheet in first.values()]
    )
    sources = "".join(line for _, sheet in first.values() for line in source_nquads(sheet))
    return (
        list(ox.parse(reference, ox.RdfFormat.N_QUADS)),
        list(ox.parse(sources.encode("utf-8"), ox.RdfFormat.N_QUADS)),
    )


def _store() -> Store:
    """The command's store (opened on first use, closed when the command ends)."""
    from pledgegraph.commands._context import state

    return state().store()
