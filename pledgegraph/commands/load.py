"""``pledgegraph load``: fact sheets and RDF files into the store, validated, all-or-nothing."""

from __future__ import annotations

import sys
from typing import Any

import click

from pledgegraph.commands._context import RDF_FORMAT_CHOICES, progress, state
from pledgegraph.errors import EXIT_PARTIAL, EXIT_USAGE, PledgeGraphError, counted

#: ``ctx.meta`` key: how many files a load has written for good so far ("2 of 5 files"), so
#: the line for a load stopped by Ctrl-C or SIGTERM can say so (see ``cli._interrupted``).
WRITTEN = "pledgegraph.written"
#: ``ctx.meta`` key: how many files the load was given (a load of several, stopped, cannot
#: always tell which were written: a batch of sheets is one write, counted after it).
FILES = "pledgegraph.files"


@click.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE_OR_DIR...")
@click.option(
    "--format",
    "--rdf-format",
    "fmt",
    type=click.Choice(RDF_FORMAT_CHOICES),
    help="RDF format of the files (--rdf-format as in validate) [default: from the extension].",
)
@click.option(
    "--graph", "graph", help="Named graph for an RDF file [default: one named after the file]."
)
@click.option(
    "--lenient",
    is_flag=True,
    help="Load a source even when validation finds errors (they are printed as warnings).",
)
@click.option(
    "--shapes/--no-shapes",
    default=True,
    show_default=True,
    help="Check the SHACL shapes before loading (the SPARQL rule checks always run).",
)
@click.option(
    "--replace",
    is_flag=True,
    help="Replace a source that holds the same article (same text_sha256 or URL) under "
    "another key, instead of refusing the sheet; for an RDF file, replace the data another "
    "file (or standard input) loaded into its graph.",
)
@click.option(
    "--reason", "then_reason", is_flag=True, help="Refresh the inferred graph after loading."
)
@click.option(
    "--shacl-engine",
    "engine",
    type=click.Choice(["auto", "shacl", "pyshacl"]),
    help="SHACL engine: 'shacl' (Rust, the fast-shacl extra) finds problems and pySHACL "
    "reports them; 'pyshacl' alone; 'auto' = shacl when installed "
    "[default: $PLEDGEGRAPH_SHACL_ENGINE or auto].",
)
def load(
    files: tuple[str, ...],
    fmt: str | None,
    graph: str | None,
    lenient: bool,
    shapes: bool,
    then_reason: bool,
    replace: bool,
    engine: str | None,
) -> None:
    """Load fact sheets (*.pledges.yaml) and RDF files into the store.

    Each file is one source in its own named graph; loading it again replaces it. An article
    loaded already as another source (same text_sha256, or same URL under another key) is
    refused, naming that source, unless --replace; so is another article (another URL) under
    the key of a loaded source. An RDF file's graph is named after its file name (or
    --graph): loading the same file (same path) again replaces it, but a graph that holds
    what another file, or standard input, loaded is refused, naming that file, unless
    --replace. Two files of one source (or one graph) in the same load: the second is
    refused. Every source is validated first (SHACL
    shapes and rule checks, as 'pledgegraph validate'): a source with
    errors is not loaded at all and each problem is listed; the store is left as it was. '-'
    reads standard input (a fact sheet, or RDF with --format).

    A folder is loaded recursively: its fact sheets (*.yaml, *.yml) and RDF files (*.ttl, *.nt,
    *.nq, *.trig, *.jsonld, *.rdf, *.owl), in path order, hidden files and folders skipped.
    The fact sheets are written first, then the RDF files, so that an RDF file may refer to
    the authorities, publishers and deadlines a fact sheet of the same load adds (as it could
    in a later load). Each file is all-or-nothing; a bad file is reported and the others are
    loaded (exit 1).

    \b
    Examples:
      pledgegraph load my-article.pledges.yaml
      pledgegraph load extra.ttl --graph https://example.org/graph/extra
      pledgegraph load sheets/
    """
    from pledgegraph.graph.formats import is_factsheet
    from pledgegraph.graph.validation.checks import BATCH_QUADS, validate_rdf_file
    from pledgegraph.graph.validation.shacl import engine_name
    from pledgegraph.loaders.factsheet import read_factsheet
    from pledgegraph.loaders.rdf import source_nquads
    from pledgegraph.loaders.text import read_bytes

    paths = _expand(files, graph)
    if shapes:
        engine = engine_name(engine)  # a bad name or a missing package: one error, up front
    if not paths:
        click.echo(f"no fact sheets or RDF files in {', '.join(files)}: nothing loaded", err=True)
        return
    store = state().store()
    click.get_current_context().meta[FILES] = len(paths)
    failed = 0
    quads = 0
    written = 0
    meta = click.get_current_context().meta
    sheets: list[object] = []  # checked fact sheets, written together, before the RDF files
    # Their source graphs as N-Quads (UTF-8: the rows' separator would make a str 2 bytes
    # a character), made once, validated and written.
    texts: list[bytes] = []
    read: list[tuple[str, object, str]] = []  # fact sheets read, not yet validated
    rdf_graphs: dict[str, str] = {}  # graph -> the RDF file of this load written to it

    def failure(error: PledgeGraphError) -> None:
        nonlocal failed
        if len(paths) == 1:
            raise error
        for line in error.lines:
            click.echo(f"Error: {line}", err=True)
        failed += 1

    def check_read() -> None:
        """Validate the fact sheets read so far (together), then list each one's problems and
        refuse or keep it, in path order: the same output as one sheet at a time."""
        chosen = [item for item in read if not isinstance(item[1], PledgeGraphError)]
        try:
            reports: list[Any] | None = _validate_sheets(chosen, shapes, engine)
        except PledgeGraphError:  # some sheet cannot be checked: find which, one at a time
            reports = None
        checked = iter(reports or ())
        for path, sheet, text in read:
            try:
                if isinstance(sheet, PledgeGraphError):
                    raise sheet
                report = (
                    next(checked) if reports is not None else _validate_one(sheet, shapes, engine)
                )
                _validated(report, path, lenient)
                store.check_article(sheet, among=sheets, replace=replace)
                sheets.append(sheet)
                texts.append(text.encode("utf-8"))
            except PledgeGraphError as error:
                failure(error)
        read.clear()

    def write_sheets(written: int, quads: int) -> tuple[int, int]:
        """Write the checked fact sheets (together: faster)."""
        for report in store.load_factsheets(sheets, replace=replace, nquads=texts):
            quads += _report(report)
            written += 1
            meta[WRITTEN] = f"{written} of {len(paths)} files"
        return written, quads

    def is_sheet(path: str) -> bool:
        return is_factsheet(path) or (path == "-" and fmt is None)

    # The fact sheets first (an RDF file may use the reference nodes they add), each kind in
    # path order.
    ordered = tuple(p for p in paths if is_sheet(p)) + tuple(p for p in paths if not is_sheet(p))
    pending = 0
    sheets_written = False
    for path in progress(ordered, "Checking" if len(paths) > 1 else "Loading"):
        if is_sheet(path):
            try:
                sheet = read_factsheet(path)
                text = "".join(source_nquads(sheet))
            except PledgeGraphError as error:
                read.append((path, error, ""))
            else:
                read.append((path, sheet, text))
                pending += text.count("\n")
            if pending >= BATCH_QUADS:
                check_read()
                pending = 0
            continue
        if not sheets_written:
            check_read()
            written, quads = write_sheets(written, quads)
            sheets_written = True
        try:
            # (before the file is read or validated: a graph another file holds is refused)
            target = store.check_rdf(path, graph=graph, among=rdf_graphs, replace=replace)
            data = read_bytes("-") if path == "-" else None  # stdin reads once, within the limit
            checked = validate_rdf_file(
                path,
                format=fmt,
                data=data,
                context=store,
                graph=graph,
                shacl=shapes,
                engine=engine,
            )
            _validated(checked, path, lenient)
            report = store.load_rdf(path, format=fmt, graph=graph, data=data, replace=replace)
        except PledgeGraphError as error:
            failure(error)
            continue
        rdf_graphs.setdefault(target, path)
        quads += _report(report)
        written += 1
        meta[WRITTEN] = f"{written} of {len(paths)} files"
    if not sheets_written:
        check_read()
        written, quads = write_sheets(written, quads)
    if len(paths) > 1:
        click.echo(
            f"{len(paths) - failed} of {len(paths)} files loaded ({counted(quads, 'quad')})"
            + (f", {failed} not loaded" if failed else "")
            + (" (the store holds the others)" if 0 < failed < len(paths) else ""),
            err=True,
        )
    if then_reason and failed < len(paths):
        from pledgegraph.commands.reason import print_summary, progress_printer
        from pledgegraph.graph.reasoning.engine import materialise

        print_summary(materialise(store, progress=progress_printer()))
    if failed:
        if failed < len(paths) and then_reason:  # (the summary line is above the reasoning's)
            click.echo(
                f"{failed} of {len(paths)} files were not loaded (the store holds the others)",
                err=True,
            )
        sys.exit(EXIT_USAGE if failed == len(paths) else EXIT_PARTIAL)


def _expand(files: tuple[str, ...], graph: str | None) -> tuple[str, ...]:
    """The arguments with each folder replaced by the files it holds, each file once."""
    import os

    from pledgegraph.errors import InputError
    from pledgegraph.loaders.folders import expand

    if graph is not None:
        for name in files:
            if name != "-" and os.path.isdir(name):
                raise InputError(
                    "--graph names the graph of one RDF file; a folder holds many",
                    hint="load the folder without --graph, or the file on its own",
                    path=name,
                )
    paths, repeated = expand(files)
    for path in repeated:
        click.echo(f"Note: {path}: given twice; loaded once", err=True)
    return tuple(paths)


def _validate_sheets(
    read: list[tuple[str, Any, str]], shapes: bool, engine: str | None
) -> list[Any]:
    from pledgegraph.graph.validation.checks import validate_factsheets

    return validate_factsheets(
        [sheet for _, sheet, _ in read], shacl=shapes, engine=engine, nquads=[t for *_, t in read]
    )


def _validate_one(sheet: Any, shapes: bool, engine: str | None) -> Any:
    from pledgegraph.graph.validation.checks import validate_factsheet

    return validate_factsheet(sheet, shacl=shapes, engine=engine)


def _report(report: Any) -> int:
    verb = "replaced" if report.replaced else "loaded"
    click.echo(
        f"{verb} {report.source}: {counted(report.quads, 'quad')} in <{report.graph}>", err=True
    )
    for note in report.notes:
        click.echo(note, err=True)
    return int(report.quads)


def _validated(report: Any, path: str, lenient: bool) -> None:
    """List a source's validation errors; refuse it unless ``lenient``."""
    from pledgegraph.errors import InputError
    from pledgegraph.graph.validation.checks import (
        AUTHORITY_ELSEWHERE,
        KNOWN_NODE_MARK,
        KNOWN_NODE_RULE,
    )
    from pledgegraph.graph.validation.report import problem_line

    # A change to what pledgegraph says of a region or deadline it describes: --lenient does
    # not load it either (the load refuses it), so it is not a warning (an attack found a
    # warning and then the refusal, repeating it) and --lenient is not offered.
    held = [
        p
        for p in report.errors
        if p.rule == KNOWN_NODE_RULE or KNOWN_NODE_MARK in p.message  # (or a shape's, said so)
    ]
    if lenient and held:
        problem = held[0]
        raise InputError(
            problem.message[0].lower() + problem.message[1:],
            path=problem.path or path,
            line=problem.line,
        )
    for problem in report.errors:
        click.echo(("Warning: " if lenient else "") + problem_line(problem), err=True)
    for problem in report.warnings:  # (the one warning load shows: the answers would mislead)
        if problem.rule == AUTHORITY_ELSEWHERE:
            click.echo(f"Warning: {problem.where}: {problem.message}", err=True)
    if report.errors and not lenient:
        count = len(report.errors)
        raise InputError(
            f"not loaded: {count} validation error{'s' if count != 1 else ''} (listed above)",
            hint="fix the source (--lenient does not load a change to what pledgegraph says of "
            "a region or deadline it describes)"
            if held
            else "fix the source, or load it anyway with --lenient",
            path=path,
        )
