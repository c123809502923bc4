"""The ``pledgegraph`` command line: parse options, call one library function, format the result.

Exit codes: 0 success; 1 partly done (some inputs of a batch failed); 2 bad input or usage
(the message says what and where; the store is unchanged).
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from pledgegraph._version import __version__
from pledgegraph.errors import EXIT_PARTIAL, EXIT_USAGE, PledgeGraphError

if TYPE_CHECKING:
    from pledgegraph.graph.store import Store

F = TypeVar("F", bound=Callable[..., Any])

RESULT_FORMAT_CHOICES = ("table", "csv", "tsv", "json", "xml", "markdown")
RDF_FORMAT_CHOICES = ("turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml")


def fail(error: PledgeGraphError) -> NoReturn:
    """Print ``Error: …`` on stderr and exit with the error's code."""
    click.echo(f"Error: {error.message}", err=True)
    sys.exit(error.exit_code)


class _Group(click.Group):
    """Turns every :class:`PledgeGraphError` into one ``Error:`` line and its exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PledgeGraphError as error:
            fail(error)
        except BrokenPipeError:  # `pledgegraph export | head`
            sys.stderr.close()
            sys.exit(0)


class _State:
    def __init__(self, store_path: str | None) -> None:
        self.store_path = store_path
        self._store: Store | None = None

    def store(self) -> Store:
        if self._store is None:
            from pledgegraph.graph.store import Store

            self._store = Store.open(self.store_path)
        return self._store

    def close(self) -> None:
        """Release the store (and its lock) when the command ends."""
        if self._store is not None:
            self._store.close()
            self._store = None


def _state() -> _State:
    state = click.get_current_context().find_object(_State)
    assert state is not None
    return state


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="pledgegraph")
@click.option(
    "--store",
    "store_path",
    envvar="PLEDGEGRAPH_STORE",
    type=click.Path(file_okay=False, path_type=str),
    help="Store directory [env: PLEDGEGRAPH_STORE; default: ~/.local/share/pledgegraph/store]. "
    "Created on first use with the ontology and the bundled dataset.",
)
@click.pass_context
def main(ctx: click.Context, store_path: str | None) -> None:
    """A SPARQL knowledge graph of government technology pledges.

    \b
    Examples:
      pledgegraph queries
      pledgegraph query parks-by-year --param year=2022
      pledgegraph sparql 'SELECT ?r WHERE { ?p pledge:region ?r }'
      pledgegraph load my-article.pledges.yaml
      pledgegraph export --format jsonld -o pledges.jsonld
    """
    state = _State(store_path)
    ctx.obj = state
    ctx.call_on_close(state.close)


# --- queries ------------------------------------------------------------------------------


def _default_format() -> str:
    return "table" if sys.stdout.isatty() else "tsv"


def _output_options(func: F) -> F:
    func = click.option(
        "--allow-service",
        "allow_service",
        multiple=True,
        metavar="URL",
        help="Allow SERVICE calls to this SPARQL endpoint (repeatable) "
        "[env: PLEDGEGRAPH_ALLOW_SERVICE, space-separated]. SERVICE is refused otherwise.",
    )(func)
    func = click.option(
        "--service-timeout",
        type=click.FloatRange(min=0, min_open=True),
        default=10.0,
        show_default=True,
        help="Seconds to wait for each SERVICE request.",
    )(func)
    func = click.option(
        "--inferred/--no-inferred",
        default=True,
        show_default=True,
        help="Include the inferred graph (made by 'pledgegraph reason') in the default graph.",
    )(func)
    func = click.option(
        "--rdf-format",
        type=click.Choice(RDF_FORMAT_CHOICES),
        default="turtle",
        show_default=True,
        help="Format of CONSTRUCT/DESCRIBE results.",
    )(func)
    return click.option(
        "-f",
        "--format",
        "fmt",
        type=click.Choice(RESULT_FORMAT_CHOICES),
        default=None,
        help="Format of SELECT/ASK results [default: table on a terminal, else tsv].",
    )(func)


def _queried_store(inferred: bool) -> Store:
    """The store, with a note on stderr when the inferred graph is out of date."""
    store = _state().store()
    if inferred and store.inferred_is_stale():
        click.echo(
            "Note: the inferred graph is out of date (data changed since the last 'pledgegraph "
            "reason'); run 'pledgegraph reason' to refresh it, or pass --no-inferred",
            err=True,
        )
    return store


def _run(
    sparql_text: str, where: str, inferred: bool, allow_service: tuple[str, ...], timeout: float
) -> Any:
    """Run a query on the store; SERVICE only to allowed endpoints."""
    if "service" not in sparql_text.lower():  # the common case: no federation machinery
        from pledgegraph.graph.query import run

        return run(_queried_store(inferred), sparql_text, where=where, inferred=inferred)
    from pledgegraph.graph.link_federation import allowed_services, federated_query

    return federated_query(
        _queried_store(inferred),
        sparql_text,
        allowed=allowed_services(allow_service),
        timeout=timeout,
        where=where,
        inferred=inferred,
    )


def _print_result(result: Any, fmt: str | None, rdf_format: str, *, where: str = "query") -> None:
    from pledgegraph.errors import QueryError
    from pledgegraph.graph.query import write_result

    chosen = fmt or _default_format()
    buffer = io.StringIO()
    try:  # pyoxigraph evaluates lazily: errors can surface while the rows are read
        write_result(
            result,
            buffer,
            fmt=chosen,
            rdf_format=rdf_format,
            color=sys.stdout.isatty() and chosen == "table",
        )
    except (OSError, ValueError, RuntimeError, SyntaxError) as exc:
        raise QueryError(f"the query failed: {exc}", hint="check the query", where=where) from None
    sys.stdout.write(buffer.getvalue())


@main.command("queries")
@click.option("--json", "as_json", is_flag=True, help="List as JSON (name, summary, parameters).")
def list_queries(as_json: bool) -> None:
    """List the stored questions with their summaries and parameters."""
    from pledgegraph.queries import catalogue

    queries = catalogue()
    if as_json:
        import json

        data = [
            {
                "name": q.name,
                "summary": q.summary,
                "description": q.description,
                "parameters": [
                    {"name": p.name, "type": p.type, "required": p.required, "default": p.default}
                    for p in q.parameters
                ],
            }
            for q in queries.values()
        ]
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    for query in queries.values():
        params = " ".join(
            f"{p.name}=<{p.type}>"
            + (f" (default {p.default})" if p.default else "" if p.required else " (optional)")
            for p in query.parameters
        )
        click.echo(
            f"{query.name}\n    {query.summary}" + (f"\n    parameters: {params}" if params else "")
        )


def _parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    from pledgegraph.errors import QueryError

    values: dict[str, str] = {}
    for pair in pairs:
        name, eq, value = pair.partition("=")
        if not eq or not name.strip():
            raise QueryError(
                f"--param {pair!r} is not name=value",
                where="--param",
                hint="write --param year=2022",
            )
        values[name.strip()] = value
    return values


@main.command()
@click.argument("name")
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A parameter value (repeatable).",
)
@click.option("--show", is_flag=True, help="Print the query's SPARQL instead of running it.")
@_output_options
def query(
    name: str,
    params: tuple[str, ...],
    show: bool,
    fmt: str | None,
    rdf_format: str,
    inferred: bool,
    allow_service: tuple[str, ...],
    service_timeout: float,
) -> None:
    """Run the stored question NAME (see 'pledgegraph queries').

    \b
    Example:
      pledgegraph query parks-by-year --param year=2022
    """
    from pledgegraph import queries

    stored = queries.get(name)
    substitutions = queries.bind(stored, _parse_params(params))
    if show:
        click.echo(queries.with_values(stored.sparql, substitutions), nl=False)
        return
    sparql_text = queries.with_values(stored.sparql, substitutions)
    result = _run(sparql_text, f"query {name}", inferred, allow_service, service_timeout)
    _print_result(result, fmt, rdf_format, where=f"query {name}")


@main.command()
@click.argument("text", required=False)
@click.option(
    "-q", "--file", "query_file", type=str, help="Read the query from a file ('-' for stdin)."
)
@_output_options
def sparql(
    text: str | None,
    query_file: str | None,
    fmt: str | None,
    rdf_format: str,
    inferred: bool,
    allow_service: tuple[str, ...],
    service_timeout: float,
) -> None:
    """Run an ad-hoc SPARQL query: TEXT, -q FILE, or '-' for stdin.

    Prefixes pledge:, pgid:, kind:, sector:, schema:, prov:, time:, skos: … are predeclared.

    \b
    Example:
      pledgegraph sparql 'SELECT ?label WHERE { ?r a pledge:Region ; rdfs:label ?label }'
    """
    from pledgegraph.errors import InputError
    from pledgegraph.graph.query import run

    if (text is None) == (query_file is None):
        raise InputError(
            "give the query as TEXT, with -q FILE, or '-' to read stdin", where="sparql"
        )
    where = "query"
    if query_file is not None or text == "-":
        source = query_file if query_file is not None else "-"
        try:
            text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(
                f"cannot read the query: {exc}", path=source, hint="check the path"
            ) from None
        where = source if source != "-" else "stdin"
    assert text is not None
    _print_result(
        run(_queried_store(inferred), text, where=where, inferred=inferred), fmt, rdf_format
    )


# --- loading and export --------------------------------------------------------------------


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(RDF_FORMAT_CHOICES),
    help="RDF format of the files [default: from the extension].",
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
    "--reason", "then_reason", is_flag=True, help="Refresh the inferred graph after loading."
)
def load(
    files: tuple[str, ...],
    fmt: str | None,
    graph: str | None,
    lenient: bool,
    shapes: bool,
    then_reason: bool,
) -> None:
    """Load fact sheets (*.pledges.yaml) and RDF files into the store.

    Each file is one source in its own named graph; loading it again replaces it. Every source
    is validated first (SHACL shapes and rule checks, as 'pledgegraph validate'): a source with
    errors is not loaded at all and each problem is listed; the store is left as it was. '-'
    reads standard input (a fact sheet, or RDF with --format).

    \b
    Examples:
      pledgegraph load my-article.pledges.yaml
      pledgegraph load extra.ttl --graph https://example.org/graph/extra
    """
    from pledgegraph.graph.formats import is_factsheet
    from pledgegraph.graph.validate import validate_factsheet, validate_rdf_file
    from pledgegraph.loaders.factsheet import read_factsheet

    store = _state().store()
    failed = 0
    sheets = []  # checked fact sheets, loaded together at the end (one batch is much faster)
    for path in _progress(files, "Checking" if len(files) > 1 else "Loading"):
        try:
            if is_factsheet(path) or (path == "-" and fmt is None):
                sheet = read_factsheet(path)
                _validated(validate_factsheet(sheet, shacl=shapes), path, lenient)
                sheets.append(sheet)
                continue
            else:
                data = sys.stdin.buffer.read() if path == "-" else None  # stdin reads once
                checked = validate_rdf_file(
                    path, format=fmt, data=data, context=store, shacl=shapes
                )
                _validated(checked, path, lenient)
                report = store.load_rdf(path, format=fmt, graph=graph, data=data)
        except PledgeGraphError as error:
            if len(files) == 1:
                raise
            click.echo(f"Error: {error.message}", err=True)
            failed += 1
            continue
        _report(report)
    for report in store.load_factsheets(sheets):
        _report(report)
    if then_reason and failed < len(files):
        from pledgegraph.cli_reason import print_summary, progress_printer
        from pledgegraph.graph.reason import materialise

        print_summary(materialise(store, progress=progress_printer()))
    if failed:
        click.echo(
            f"{failed} of {len(files)} files were not loaded (the store holds the others)", err=True
        )
        sys.exit(EXIT_USAGE if failed == len(files) else EXIT_PARTIAL)


def _report(report: Any) -> None:
    verb = "replaced" if report.replaced else "loaded"
    click.echo(f"{verb} {report.source}: {report.quads} quads in <{report.graph}>", err=True)


def _validated(report: Any, path: str, lenient: bool) -> None:
    """List a source's validation errors; refuse it unless ``lenient``."""
    from pledgegraph.errors import InputError
    from pledgegraph.graph.validate_format import problem_line

    for problem in report.errors:
        click.echo(("Warning: " if lenient else "") + problem_line(problem), err=True)
    if report.errors and not lenient:
        count = len(report.errors)
        raise InputError(
            f"not loaded: {count} validation error{'s' if count != 1 else ''} (listed above)",
            hint="fix the source, or load it anyway with --lenient",
            path=path,
        )


def _progress(items: tuple[str, ...], label: str) -> Any:
    """Iterate with a progress bar on stderr when there are many items and stderr is a terminal."""
    if len(items) < 5 or not sys.stderr.isatty():
        return items
    from rich.progress import track

    return track(items, description=label, console=None, transient=True)


@main.command()
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(RDF_FORMAT_CHOICES),
    default="turtle",
    show_default=True,
    help="RDF format.",
)
@click.option("--graph", help="Export only this named graph [default: every graph].")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=str),
    help="Write to a file instead of stdout.",
)
def export(fmt: str, graph: str | None, output: str | None) -> None:
    """Export the store as Turtle, JSON-LD, N-Triples, N-Quads, TriG or RDF/XML.

    The output is deterministic: the same store always gives the same bytes. Triple formats
    merge all graphs; nquads and trig keep the graph names.
    """
    from pledgegraph.graph.export import export as run_export

    text = run_export(_state().store(), fmt, graph=graph)
    if output is None:
        sys.stdout.write(text)
        return
    from pledgegraph.errors import InputError

    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(
            f"cannot write: {exc.strerror}", path=output, hint="choose a writable path"
        ) from None
    click.echo(f"wrote {output}", err=True)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
def stats(as_json: bool) -> None:
    """Show what the store holds: sources, pledges, targets, regions and graphs."""
    from pledgegraph.graph.store import summarise

    store = _state().store()
    summary = summarise(store)
    if as_json:
        import json

        data = {
            "store": str(store.path) if store.path else None,
            "quads": summary.quads,
            "sources": summary.sources,
            "pledges": summary.pledges,
            "targets": summary.targets,
            "regions": summary.regions,
            "graphs": {g.graph: g.quads for g in summary.graphs},
        }
        click.echo(json.dumps(data, indent=2))
        return
    click.echo(f"store:    {store.path}")
    click.echo(f"quads:    {summary.quads}")
    click.echo(f"sources:  {summary.sources}")
    click.echo(f"pledges:  {summary.pledges}")
    click.echo(f"targets:  {summary.targets}")
    click.echo(f"regions:  {summary.regions}")
    click.echo("graphs:")
    for g in summary.graphs:
        click.echo(f"  {g.quads:>8}  {g.graph}")


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=str))
def backup(directory: str) -> None:
    """Write a consistent copy of the store to DIRECTORY (which must not exist)."""
    store = _state().store()
    written = store.backup(directory)
    click.echo(f"backed up {store.path} to {written}", err=True)


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=str))
def restore(directory: str) -> None:
    """Replace the store by the backup in DIRECTORY (written by 'pledgegraph backup')."""
    from pledgegraph.graph.store import Store, default_store_path

    state = _state()
    target = state.store_path or str(default_store_path())
    state.close()
    restored = Store.restore(directory, target)
    click.echo(f"restored {target} from {directory}: {len(restored.inner)} quads", err=True)
    restored.close()


def _register_optional_commands() -> None:
    from pledgegraph.cli_extract import extract
    from pledgegraph.cli_link import link
    from pledgegraph.cli_reason import reason
    from pledgegraph.cli_validate import validate

    main.add_command(extract)
    main.add_command(link)
    main.add_command(reason)
    main.add_command(validate)


_register_optional_commands()
