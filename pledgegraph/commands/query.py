"""``pledgegraph queries``, ``query`` and ``sparql``: stored questions and ad-hoc SPARQL."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from pledgegraph.commands._context import RDF_FORMAT_CHOICES, RESULT_FORMAT_CHOICES, F, state

if TYPE_CHECKING:
    from pledgegraph.graph.store import Store


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
    store = state().store()
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
    from pledgegraph.graph.linking.federation import allowed_services, federated_query

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


@click.command("queries")
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


@click.command()
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


@click.command()
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
