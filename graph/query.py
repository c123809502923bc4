"""Running SPARQL on the store and formatting results.

:func:`run` returns pyoxigraph's own result types: solutions for SELECT, a boolean for ASK,
triples for CONSTRUCT/DESCRIBE. The ``format_*`` functions turn them into text.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any, TextIO

import pyoxigraph as ox

from pledgegraph.errors import QueryError
from pledgegraph.graph.formats import RDF_FORMATS, RESULT_FORMATS
from pledgegraph.graph.store import Store
from pledgegraph.ontology import INFERRED_GRAPH, PREFIXES

Result = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples
#: Result formats for SELECT/ASK: SPARQL 1.1 results formats plus table and markdown.
SELECT_FORMATS = ("table", "csv", "tsv", "json", "xml", "markdown")


def run(
    store: Store,
    sparql: str,
    *,
    substitutions: Mapping[ox.Variable, ox.NamedNode | ox.Literal] | None = None,
    where: str = "query",
    inferred: bool = True,
) -> Result:
    """Run a SPARQL query over the union of the store's graphs.

    With ``inferred=False`` the inferred graph is left out of the default graph (named-graph
    patterns still see it). Our prefixes (``pledge:``, ``pgid:``, ``schema:`` …) are predeclared;
    a query may still declare its own.
    """
    bindings: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] | None = (
        dict(substitutions) if substitutions else None
    )
    try:
        if inferred or not store.has_graph(INFERRED_GRAPH):
            return store.inner.query(
                sparql, prefixes=PREFIXES, use_default_graph_as_union=True, substitutions=bindings
            )
        asserted: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = [
            ox.NamedNode(g) for g in store.graphs() if g != INFERRED_GRAPH
        ]
        return store.inner.query(
            sparql, prefixes=PREFIXES, default_graph=asserted, substitutions=bindings
        )
    except SyntaxError as exc:
        raise QueryError(
            f"SPARQL syntax error: {exc.msg if isinstance(exc.msg, str) else exc}",
            hint="fix the query (see https://www.w3.org/TR/sparql11-query/)",
            where=where,
        ) from None
    except (OSError, ValueError, RuntimeError) as exc:
        raise QueryError(f"the query failed: {exc}", hint="check the query", where=where) from None


def short(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> str:
    """A human form of a term: IRIs shortened with our prefixes, literals by their value."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        iri = term.value
        best = ""
        for prefix, namespace in PREFIXES.items():
            if iri.startswith(namespace) and len(namespace) > len(PREFIXES.get(best, "")):
                best = prefix
        return f"{best}:{iri[len(PREFIXES[best]) :]}" if best else iri
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def _rows(solutions: ox.QuerySolutions) -> tuple[list[str], list[list[str]]]:
    names = [v.value for v in solutions.variables]
    rows = [[short(solution[name]) for name in names] for solution in solutions]
    return names, rows


def format_table(solutions: ox.QuerySolutions, out: TextIO, *, color: bool = False) -> None:
    """A readable table (rich) of SELECT solutions."""
    from rich.table import Table

    names, rows = _rows(solutions)
    table = Table(*names, show_lines=False, highlight=False, header_style="bold")
    for row in rows:
        table.add_row(*row)
    console = table_console(out, table, color=color)
    console.print(table)
    console.print(f"{len(rows)} row{'s' if len(rows) != 1 else ''}", style="dim", soft_wrap=True)


def table_console(out: TextIO, table: Any, *, color: bool) -> Any:
    """A rich console for ``table``: the terminal's width on a terminal (``color``), else the
    table's natural width, so piped output is never wrapped and does not depend on the terminal
    or the checkout path (STYLE 12)."""
    import shutil

    from rich.console import Console
    from rich.measure import Measurement

    if color:
        width = shutil.get_terminal_size((200, 24)).columns
    else:
        probe = Console(file=out, width=1 << 20, no_color=True)
        width = max(Measurement.get(probe, probe.options, table).maximum, 20)
    return Console(file=out, force_terminal=color, no_color=not color, width=width, soft_wrap=False)


def format_markdown(solutions: ox.QuerySolutions, out: TextIO) -> None:
    """A GitHub-flavoured Markdown table of SELECT solutions."""
    names, rows = _rows(solutions)

    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    out.write("| " + " | ".join(names) + " |\n")
    out.write("|" + "|".join("---" for _ in names) + "|\n")
    for row in rows:
        out.write("| " + " | ".join(cell(c) for c in row) + " |\n")


def write_result(
    result: Result, out: TextIO, *, fmt: str, rdf_format: str = "turtle", color: bool = False
) -> None:
    """Write any query result in the chosen format (``fmt`` for SELECT/ASK, ``rdf_format`` for graphs)."""
    if isinstance(result, ox.QueryTriples):
        from pledgegraph.graph.export import serialize_triples

        out.write(serialize_triples(list(result), rdf_format))
        return
    if isinstance(result, ox.QueryBoolean):
        if fmt in ("json", "xml"):
            out.write(_serialized(result, fmt) + "\n")
        else:
            out.write("true\n" if bool(result) else "false\n")
        return
    if fmt == "table":
        format_table(result, out, color=color)
    elif fmt == "markdown":
        format_markdown(result, out)
    else:
        text = _serialized(result, fmt)
        if not text.endswith("\n"):
            text += "\r\n" if fmt == "csv" else "\n"  # RFC 4180 lines end in CRLF
        out.write(text)


def _serialized(result: ox.QuerySolutions | ox.QueryBoolean, fmt: str) -> str:
    data = result.serialize(format=RESULT_FORMATS[fmt])
    assert data is not None  # no output file given: bytes come back
    return data.decode("utf-8")


def result_text(result: Result, *, fmt: str, rdf_format: str = "turtle") -> str:
    buffer = io.StringIO()
    write_result(result, buffer, fmt=fmt, rdf_format=rdf_format)
    return buffer.getvalue()


assert set(RDF_FORMATS) >= {"turtle"}
