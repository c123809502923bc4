"""``pledgegraph queries``, ``query`` and ``sparql``: stored questions and ad-hoc SPARQL."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from pledgegraph.commands._context import (
    RDF_FORMAT_CHOICES,
    RESULT_FORMAT_CHOICES,
    F,
    FiniteRange,
    state,
)

if TYPE_CHECKING:
    from pledgegraph.graph.store import Store
    from pledgegraph.queries import StoredQuery

#: An example value of each parameter type, for the hint of a --param that is not name=value.
_EXAMPLE = {
    "year": "2022",
    "integer": "10",
    "decimal": "0.8",
    "date": "2025-12-31",
    "boolean": "true",
    "string": "park",
    "region": "CN-HE",
    "kind": "parks",
    "sector": "blockchain",
    "iri": "pgid:region/CN-HE",
}


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
        type=FiniteRange(min=0, min_open=True),
        default=10.0,
        show_default=True,
        help="Seconds each SERVICE request may take, the whole answer (at most "
        "PLEDGEGRAPH_MAX_RESPONSE_MB, default 64 MB).",
    )(func)
    func = click.option(
        "--timeout",
        "timeout",
        type=FiniteRange(min=0),
        default=None,
        metavar="SECONDS",
        help="Stop the query after this many seconds (0 = no limit) "
        "[env: PLEDGEGRAPH_TIMEOUT; default: 60]. Ctrl-C stops it at once (exit 130).",
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
        help="Format of SELECT/ASK results [default: table on a terminal, else tsv]. "
        "tsv, csv, json and xml are the W3C SPARQL 1.1 results formats: tsv writes terms in "
        "SPARQL syntax (<iri>, \"literal\"@en); for 'cut' and 'awk' use plain (tab-separated "
        "values, nothing quoted).",
    )(func)


def _notes(store: Store, where: str, *, inferred: bool, needs_inferred: bool | None) -> list[str]:
    """Notes for stderr about the inferred graph: missing for a question that reads it, left
    out with --no-inferred, or older than the data. ``needs_inferred``: whether a stored
    question reads it (None: an ad-hoc query, which may). A stored question that does not
    (it reads the rows the store computes from the asserted data) gets no note: a new user's
    trial found it on every question after a load, noise."""
    from pledgegraph.ontology import INFERRED_GRAPH

    if needs_inferred and not inferred:
        return [
            f"Note: {where} reads the inferred graph, which --no-inferred leaves out, so its "
            "answer may be empty or incomplete; drop --no-inferred to get the whole answer"
        ]
    if needs_inferred and not store.has_graph(INFERRED_GRAPH):
        return [
            f"Note: {where} reads the inferred graph, and the store has none yet, so its "
            "answer may be empty or incomplete; run 'pledgegraph reason' first"
        ]
    if inferred and needs_inferred is not False and store.inferred_is_stale():
        return [
            "Note: the inferred graph is out of date (data changed since the last 'pledgegraph "
            "reason'); run 'pledgegraph reason' to refresh it, or pass --no-inferred"
        ]
    return []


def _answer(
    sparql_text: str,
    where: str,
    *,
    fmt: str | None,
    rdf_format: str,
    inferred: bool,
    allow_service: tuple[str, ...],
    service_timeout: float,
    timeout: float | None,
    needs_inferred: bool | None = None,
) -> None:
    """Run a query on the store through the library's guard and print the answer.

    Notes about the inferred graph go to stderr only when the query answered: a failing
    command prints its one ``Error:`` line and nothing else.
    """
    from pledgegraph.errors import QueryInterrupted
    from pledgegraph.graph.linking.federation import allowed_services
    from pledgegraph.graph.query import answer
    from pledgegraph.limits import default_timeout

    chosen = fmt or _default_format()
    allowed = allowed_services(allow_service)
    try:
        store = state().store()
    except KeyboardInterrupt:  # Ctrl-C while the store opens: the same exit as during a query
        stopped = QueryInterrupted(
            "interrupted (Ctrl-C)", hint="nothing was changed (queries only read)", where=where
        )
        stopped.work_left_running = False  # nothing runs on: exit the normal way
        raise stopped from None
    text = answer(
        store,
        sparql_text,
        fmt=chosen,
        rdf_format=rdf_format,
        color=sys.stdout.isatty() and chosen == "table",
        timeout=default_timeout() if timeout is None else (timeout or None),
        where=where,
        inferred=inferred,
        allow_service=allowed,
        service_timeout=service_timeout,
    )
    for note in _notes(store, where, inferred=inferred, needs_inferred=needs_inferred):
        click.echo(note, err=True)
    sys.stdout.write(text)


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


#: Region names that name another region too: what the gazetteer reads, and what else.
_OTHER_REGION = {
    "georgia": "GE, the country; the US state is US-GA",
    "washington": "US-WA, the US state; the capital is US-DC",
}


def _parse_params(pairs: tuple[str, ...], stored: StoredQuery) -> list[tuple[str, str]]:
    from pledgegraph.errors import QueryError

    values: list[tuple[str, str]] = []
    for pair in pairs:
        name, eq, value = pair.partition("=")
        if not eq or not name.strip():
            first = stored.parameters[0] if stored.parameters else None
            raise QueryError(
                f"{pair!r} is not name=value",
                where="--param",
                hint=f"write --param {first.name}={_EXAMPLE.get(first.name) or _EXAMPLE.get(first.type, '…')}"
                if first is not None
                else f"{stored.name} takes no parameters",
            )
        values.append((name.strip(), value))
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
    timeout: float | None,
) -> None:
    """Run the stored question NAME (see 'pledgegraph queries').

    \b
    Example:
      pledgegraph query parks-by-year --param year=2022
    """
    from pledgegraph import queries

    stored = queries.get(name)
    parsed = _parse_params(params, stored)
    substitutions = queries.bind(stored, queries.values_once(stored, parsed))
    for param_name, value in parsed:
        other = _OTHER_REGION.get(value.strip().lower())
        param = next((p for p in stored.parameters if p.name == param_name), None)
        if other is not None and param is not None and param.type == "region":
            click.echo(f"Note: {param_name}={value} is read as {other}", err=True)
    if show:
        click.echo(queries.with_values(stored.sparql, substitutions), nl=False)
        return
    _answer(
        queries.with_values(stored.sparql, substitutions),
        f"query {name}",
        fmt=fmt,
        rdf_format=rdf_format,
        inferred=inferred,
        allow_service=allow_service,
        service_timeout=service_timeout,
        timeout=timeout,
        needs_inferred=stored.needs_inferred,
    )


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
    timeout: float | None,
) -> None:
    """Run an ad-hoc SPARQL query: TEXT, -q FILE, or '-' for stdin.

    Prefixes pledge:, pgid:, kind:, sector:, schema:, prov:, time:, skos: … are predeclared.
    Queries only read (updates are refused: add data with 'pledgegraph load'). SERVICE is
    refused unless the endpoint is allowed with --allow-service.

    Limits (README, "Limits"): the query runs at most --timeout seconds (default 60;
    PLEDGEGRAPH_TIMEOUT), its text at most 1 MB (PLEDGEGRAPH_MAX_QUERY_KB), brackets at most
    100 deep (PLEDGEGRAPH_MAX_NESTING). Ctrl-C stops a query at once (exit 130).

    \b
    Example:
      pledgegraph sparql 'SELECT ?label WHERE { ?r a pledge:Region ; rdfs:label ?label }'
    """
    from pledgegraph.errors import InputError, QueryError
    from pledgegraph.limits import max_query_chars
    from pledgegraph.loaders.text import read_bytes

    if (text is None) == (query_file is None):
        raise InputError(
            "give the query as TEXT, with -q FILE, or '-' to read stdin", where="sparql"
        )
    where = "query"
    if query_file is not None or text == "-":
        source = query_file if query_file is not None else "-"
        data = read_bytes(source, limit=max_query_chars(), what="query")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(
                f"is not UTF-8 text (byte {exc.start})", hint="save it as UTF-8", path=source
            ) from None
        where = source if source != "-" else "stdin"
    assert text is not None
    if not text.strip():  # (the parser's "expected [_]" says nothing useful)
        raise QueryError(
            "the query is empty", hint="give the SPARQL text, -q FILE or '-'", where=where
        )
    _answer(
        text,
        where,
        fmt=fmt,
        rdf_format=rdf_format,
        inferred=inferred,
        allow_service=allow_service,
        service_timeout=service_timeout,
        timeout=timeout,
    )
