"""Running SPARQL on the store and formatting results: the one guarded way in.

:func:`run` returns pyoxigraph's own result types: solutions for SELECT, a boolean for ASK,
triples for CONSTRUCT/DESCRIBE. Every query goes through its guard first (:func:`check_query`):
size and nesting limits (``PLEDGEGRAPH_MAX_QUERY_KB``, ``PLEDGEGRAPH_MAX_NESTING``), no
updates, and ``SERVICE`` only to allowed endpoints through a relay with a deadline
(:mod:`pledgegraph.graph.linking.federation`). Nothing else in the project hands user SPARQL
to pyoxigraph.

pyoxigraph cannot stop a running query and has no timeout, but it releases the GIL while it
evaluates (measured: a thread keeps running at full rate during ``Store.query`` and while the
solutions are iterated, and a signal handler waits until the call returns). :func:`answer`
therefore evaluates and formats in a worker thread while the calling thread waits with a
deadline and stays responsive to Ctrl-C: past the deadline it raises
:class:`~pledgegraph.errors.QueryTimeoutError`, on Ctrl-C
:class:`~pledgegraph.errors.QueryInterrupted`. The worker thread cannot be stopped and runs on
until pyoxigraph returns, so a command-line caller ends the process after printing the error
(``work_left_running``), and a server runs :func:`answer` in a worker process it can kill.
The ``format_*`` functions turn results into text.
"""

from __future__ import annotations

import functools
import io
import math
import re
import threading
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any, TextIO, TypeVar

import pyoxigraph as ox

from pledgegraph.errors import (
    PledgeGraphError,
    QueryError,
    QueryInterrupted,
    QueryTimeoutError,
    printable,
)
from pledgegraph.graph.formats import RDF_FORMATS, RESULT_FORMATS, short
from pledgegraph.graph.store import Store
from pledgegraph.limits import (
    ENV_MAX_NESTING,
    ENV_MAX_QUERY_KB,
    ENV_TIMEOUT,
    max_nesting,
    max_query_chars,
    query_nesting_exceeds,
    size_text,
)
from pledgegraph.ontology import INFERRED_GRAPH, PREFIXES

Result = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples
#: Result formats for SELECT/ASK: SPARQL 1.1 results formats plus table, markdown and plain.
SELECT_FORMATS = ("table", "csv", "tsv", "json", "xml", "markdown", "plain")
#: Seconds each SERVICE request may take (the whole answer), unless the caller says otherwise.
DEFAULT_SERVICE_TIMEOUT = 10.0
_MAX_WAIT = 7 * 24 * 3600.0
T = TypeVar("T")

_UPDATE_WORDS = (
    "INSERT",
    "DELETE",
    "LOAD",
    "CLEAR",
    "DROP",
    "CREATE",
    "ADD",
    "MOVE",
    "COPY",
    "WITH",
)
_PROLOGUE = re.compile(
    r"""(?:\s+|\#[^\n]*|(?i:PREFIX)\s*[^\s:]*:\s*<[^>]*>|(?i:BASE)\s*<[^>]*>)*""", re.S
)


def check_query(sparql: str, *, where: str = "query") -> None:
    """The limits and rules every query meets before pyoxigraph parses it.

    Too long (``PLEDGEGRAPH_MAX_QUERY_KB``), nested too deeply (``PLEDGEGRAPH_MAX_NESTING``;
    pyoxigraph's parser overflows the stack near 5,000 levels and kills the process), or an
    update (``INSERT``, ``LOAD`` …: queries only read) -> :class:`QueryError`.

    The verdict is a pure function of the text and the two limits, so it is kept for recent
    short texts (a server is sent the same queries again and again); the limits are read from
    the environment on every call.
    """
    limit = max_query_chars()
    if len(sparql) > limit:
        raise QueryError(
            f"the query is longer than the limit of {size_text(limit)}",
            hint=f"shorten it, or set {ENV_MAX_QUERY_KB} to raise the limit",
            where=where,
        )
    depth = max_nesting()
    found = _verdict_kept(sparql, depth) if len(sparql) <= _KEPT_CHARS else _verdict(sparql, depth)
    if found is not None:
        message, hint = found
        raise QueryError(message, hint=hint, where=where)


#: Texts up to this length have their guard verdict kept (at most ``_KEPT`` of them).
_KEPT_CHARS, _KEPT = 8192, 1024


def _verdict(sparql: str, depth: int) -> tuple[str, str] | None:
    """What :func:`check_query` finds wrong with ``sparql`` past its length: message and hint."""
    if query_nesting_exceeds(sparql, depth):
        return (
            f"the query nests brackets more than {depth} deep",
            f"flatten it, or set {ENV_MAX_NESTING} to raise the limit",
        )
    word = update_keyword(sparql)
    if word is not None:
        return (
            f"{word} is a SPARQL update, and queries only read",
            "use 'pledgegraph load FILE' to add data",
        )
    return None


def update_keyword(sparql: str) -> str | None:
    """The keyword (``INSERT``, ``LOAD`` …) that makes ``sparql`` an update, if it is one.

    What the guard refuses as an update; the server answers such a query with a 403.
    """
    start = _PROLOGUE.match(sparql)
    word = re.match(r"[A-Za-z]+", sparql[start.end() if start else 0 :])
    if word and word.group(0).upper() in _UPDATE_WORDS:
        return word.group(0).upper()
    return None


_verdict_kept = functools.lru_cache(maxsize=_KEPT)(_verdict)


@functools.lru_cache(maxsize=_KEPT)
def _prefixes_kept(sparql: str) -> dict[str, str] | None:
    return {name: iri for name, iri in PREFIXES.items() if name + ":" in sparql} or None


def used_prefixes(sparql: str) -> dict[str, str] | None:
    """Our predeclared prefixes that ``sparql`` may use (``None`` when it uses none).

    A prefixed name is written with its prefix as is (no escapes), so a prefix whose
    ``name:`` is not in the text cannot be used by it; one that is there only inside a string
    or an IRI is passed needlessly and does no harm. pyoxigraph's parse time grows with each
    prefix it is given (all 20: about twice the time of a point query without them).
    """
    if len(sparql) <= _KEPT_CHARS:
        return _prefixes_kept(sparql)
    return {name: iri for name, iri in PREFIXES.items() if name + ":" in sparql} or None


def run(
    store: Store,
    sparql: str,
    *,
    substitutions: Mapping[ox.Variable, ox.NamedNode | ox.Literal] | None = None,
    where: str = "query",
    inferred: bool = True,
    default_graphs: Sequence[str] | None = None,
    named_graphs: Sequence[str] | None = None,
    allow_service: Collection[str] = (),
    service_timeout: float = DEFAULT_SERVICE_TIMEOUT,
) -> Result:
    """Run a SPARQL query over the union of the store's graphs, through the guard.

    With ``inferred=False`` the inferred graph is left out of the default graph (named-graph
    patterns still see it). ``default_graphs``/``named_graphs`` (graph IRIs) replace the
    dataset, as the SPARQL protocol's ``default-graph-uri``/``named-graph-uri`` do. Our
    prefixes (``pledge:``, ``pgid:``, ``schema:`` …) are predeclared; a query may still
    declare its own.

    ``SERVICE`` is refused unless every endpoint is in ``allow_service``; then the query runs
    through the relay (each request bounded by ``service_timeout`` seconds) and is evaluated
    completely before it returns. Without ``SERVICE`` the result is lazy, as pyoxigraph's is.
    """
    check_query(sparql, where=where)
    bindings: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] | None = (
        dict(substitutions) if substitutions else None
    )

    def execute(text: str) -> Result:
        return _execute(store, text, bindings, where, inferred, default_graphs, named_graphs)

    from pledgegraph.graph.linking.federation import mentions_service

    if not mentions_service(sparql):
        return execute(sparql)
    from pledgegraph.graph.linking.federation import check_services, service_handler

    if not check_services(sparql, allow_service, where=where):
        return execute(sparql)
    if not isinstance(store.inner, ox.Store):
        # A SPARQL server calls the (allowed) endpoints itself: the relay, on this machine's
        # loopback, would be out of its reach.
        return execute(sparql)
    with service_handler(allow_service, service_timeout) as services:
        return services.query(sparql, execute, where=where)


def query_scratch(
    inner: ox.Store,
    sparql: str,
    *,
    default_graph: Sequence[ox.NamedNode] | None = None,
    where: str = "query",
    own: bool = False,
) -> Result:
    """pyoxigraph's ``Store.query`` on a scratch store, behind the same guard as :func:`run`.

    For code that queries a store of its own (the validation rules): limits, no updates, and
    no ``SERVICE`` at all. ``default_graph`` ``None`` means the union of all graphs. ``own``:
    the text is pledgegraph's own (a rule), not the user's, so the user's size and nesting
    limits do not apply (an outside attack: PLEDGEGRAPH_MAX_NESTING=8 made every load fail
    with "flatten it", of a query the user cannot see).
    """
    if not own:
        check_query(sparql, where=where)
    # (the federation module, with its HTTP server and its Unicode patterns, costs each worker
    # process of a load ~70 ms to import: only for a text its mentions_service test passes,
    # the same test as this one)
    if "service" in sparql.lower():
        from pledgegraph.graph.linking.federation import check_services, mentions_service

        if mentions_service(sparql):
            check_services(sparql, (), where=where)
    return inner.query(
        sparql,
        prefixes=PREFIXES,
        use_default_graph_as_union=default_graph is None,
        default_graph=None if default_graph is None else list(default_graph),
    )


def _execute(
    store: Store,
    sparql: str,
    bindings: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] | None,
    where: str,
    inferred: bool,
    default_graphs: Sequence[str] | None,
    named_graphs: Sequence[str] | None,
) -> Result:
    prefixes = used_prefixes(sparql)
    try:
        if default_graphs is not None or named_graphs is not None:
            return store.inner.query(
                sparql,
                prefixes=prefixes,
                default_graph=[ox.NamedNode(g) for g in default_graphs or ()] or None,
                named_graphs=[ox.NamedNode(g) for g in named_graphs or ()] or None,
                substitutions=bindings,
            )
        if names_its_dataset(sparql):  # FROM / FROM NAMED: the query's own dataset
            return store.inner.query(sparql, prefixes=prefixes, substitutions=bindings)
        if inferred or not store.has_graph(INFERRED_GRAPH):
            return store.inner.query(
                sparql, prefixes=prefixes, use_default_graph_as_union=True, substitutions=bindings
            )
        asserted: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = [
            ox.NamedNode(g) for g in store.graphs() if g != INFERRED_GRAPH
        ]
        return store.inner.query(
            sparql, prefixes=prefixes, default_graph=asserted, substitutions=bindings
        )
    except SyntaxError as exc:
        raise syntax_error(sparql, exc, where=where) from None
    except (OSError, ValueError, RuntimeError) as exc:
        raise QueryError(f"the query failed: {exc}", hint="check the query", where=where) from None


def names_its_dataset(sparql: str) -> bool:
    """Whether the query has ``FROM`` or ``FROM NAMED`` (outside strings, IRIs and comments).

    Such a query defines its own dataset (SPARQL 1.1 Query, section 13.2): the default view
    (the union of our graphs) must not replace it.
    """
    if "from" not in sparql.lower():
        return False
    from pledgegraph.graph.linking.federation import tokens

    return any(t.kind == "name" and t.text.upper() == "FROM" for t in tokens(sparql))


_POSITION = re.compile(r"error at (\d+):(\d+): ")
_PNAME = re.compile(r"([A-Za-z\u00c0-\uffff][\w.\-\u00b7-\uffff]*)?:[\w.\-:%\\\u00b7-\uffff]*")


def syntax_error(sparql: str, exc: SyntaxError, *, where: str = "query") -> QueryError:
    """pyoxigraph's syntax error in a readable form (no dumps of Unicode ranges)."""
    text = exc.msg if isinstance(exc.msg, str) else str(exc)
    hint = "fix the query (see https://www.w3.org/TR/sparql11-query/)"
    position = _POSITION.match(text)
    if "Prefix not found" in text and position:
        line_no, column = int(position.group(1)), int(position.group(2))
        lines = sparql.split("\n")
        line = lines[line_no - 1] if 0 < line_no <= len(lines) else ""
        before = [m for m in _PNAME.finditer(line) if m.end() <= column]
        name = f"{before[-1].group(1) or ''}:" if before else "a prefix"
        return QueryError(
            f"unknown prefix {name} (line {line_no})",
            hint=f"declare it (PREFIX {name if before else 'p:'} <IRI>) or use a predeclared "
            "one: " + ", ".join(f"{p}:" for p in sorted(PREFIXES)),
            where=where,
        )
    if "expected one of" in text:  # keep the tokens, drop the character-class ranges
        head, _, rest = text.partition("expected one of")
        tokens = re.findall(r'"[^"]+"', rest)
        text = head + (
            "expected one of " + ", ".join(tokens[:12]) if tokens else "unexpected input"
        )
    slashed = _SLASHED.search(_without_iris_and_strings(sparql))
    if slashed:  # "pgid:region/CN-HE": a '/' ends a prefixed name (a path follows)
        name = slashed.group(0)
        escaped = name.replace("/", "\\/")
        hint = f"a '/' cannot stand in a prefixed name: write {escaped} or the full <IRI>"
    return QueryError("SPARQL syntax error: " + " ".join(text.split()), hint=hint, where=where)


#: A prefixed name with '/' inside, not a property path (``pledge:partOf/rdfs:label``).
_SLASHED = re.compile(r"(?<![\w<])[A-Za-z][\w.-]*:[\w.-]+(?:/[\w.-]+)+(?![\w.:-])")


def _without_iris_and_strings(sparql: str) -> str:
    """The query with its <IRIs>, "strings" and comments blanked (they may hold '/')."""
    return re.sub(
        r'<[^<>"{}|^`\s]*>|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|#[^\n]*', " ", sparql
    )


# --- answering within a deadline -------------------------------------------------------------


#: Stack of a thread that parses and evaluates a query. pyoxigraph recurses once per operator
#: of an expression (``?o = 1 || ?o = 2 || …``): at the default 8 MiB a valid query of
#: 11,000 terms (99 KB) overflowed the stack and killed the process. Address space only:
#: pages are used as the recursion reaches them. 512 MiB holds what the query-length limit admits.
QUERY_STACK = 512 * 1024 * 1024
_STACK_LOCK = threading.Lock()


def query_thread(target: Callable[[], None], *, name: str) -> threading.Thread:
    """A daemon thread with :data:`QUERY_STACK` bytes of stack (not yet started)."""
    with _STACK_LOCK:  # the stack size is process-wide; set it only for this thread
        previous = threading.stack_size(QUERY_STACK)
        try:
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
        finally:
            threading.stack_size(previous)
    return thread


def within(timeout: float | None, work: Callable[[], T], *, where: str = "query") -> T:
    """``work()`` evaluated in a worker thread, waited for at most ``timeout`` seconds.

    Raises :class:`QueryTimeoutError` past the deadline and :class:`QueryInterrupted` on
    Ctrl-C (the waiting thread keeps taking signals, unlike one inside pyoxigraph). Errors of
    ``work`` are raised as they are. The worker thread runs on after either error; the error's
    ``work_left_running`` is then true. ``work`` must return plain Python values: pyoxigraph's
    result objects belong to the thread that made them.
    """
    if timeout is not None and (math.isnan(timeout) or timeout < 0):
        raise QueryError(
            f"the timeout {timeout!r} is not a number of 0 or more",
            hint="pass seconds",
            where=where,
        )
    if timeout is not None and timeout > _MAX_WAIT:
        timeout = None  # a week or more: no limit (larger values overflow the platform's timers)
    box: dict[str, Any] = {}
    done = threading.Event()

    def target() -> None:
        try:
            box["value"] = work()
        except PledgeGraphError as exc:
            # pyoxigraph's result objects must be dropped by the thread that made them: the
            # traceback (its frames hold them) is let go here, not in the waiting thread
            exc.__traceback__ = exc.__context__ = exc.__cause__ = None
            box["error"] = exc
        except BaseException as exc:
            box["error"] = exc
        finally:
            done.set()

    thread = query_thread(target, name="pledgegraph-query")
    deadline = None if timeout is None else time.monotonic() + timeout
    try:
        while not done.wait(0.1 if deadline is None else min(0.1, deadline - time.monotonic())):
            if deadline is not None and time.monotonic() >= deadline:
                error = QueryTimeoutError(
                    f"the query ran longer than {timeout:g} s",
                    hint=f"narrow it down, or raise --timeout or {ENV_TIMEOUT} (0 = no limit)",
                    where=where,
                )
                error.work_left_running = thread.is_alive()
                raise error
    except KeyboardInterrupt:
        stopped = QueryInterrupted(
            "interrupted (Ctrl-C)", hint="nothing was changed (queries only read)", where=where
        )
        stopped.work_left_running = thread.is_alive()
        raise stopped from None
    if "error" in box:
        raise box["error"]
    value: T = box["value"]
    return value


def answer(
    store: Store,
    sparql: str,
    *,
    fmt: str,
    rdf_format: str = "turtle",
    color: bool = False,
    timeout: float | None = None,
    substitutions: Mapping[ox.Variable, ox.NamedNode | ox.Literal] | None = None,
    where: str = "query",
    inferred: bool = True,
    default_graphs: Sequence[str] | None = None,
    named_graphs: Sequence[str] | None = None,
    allow_service: Collection[str] = (),
    service_timeout: float = DEFAULT_SERVICE_TIMEOUT,
) -> str:
    """Run a query (:func:`run`) and format its result, all within ``timeout`` seconds.

    The text is complete when it returns: evaluation errors that pyoxigraph raises while the
    rows are read are a :class:`QueryError` here, never a traceback while printing.
    """

    def work() -> str:
        result = run(
            store,
            sparql,
            substitutions=substitutions,
            where=where,
            inferred=inferred,
            default_graphs=default_graphs,
            named_graphs=named_graphs,
            allow_service=allow_service,
            service_timeout=service_timeout,
        )
        buffer = io.StringIO()
        try:  # pyoxigraph evaluates lazily: errors can surface while the rows are read
            write_result(result, buffer, fmt=fmt, rdf_format=rdf_format, color=color)
        except (OSError, ValueError, RuntimeError, SyntaxError) as exc:
            raise QueryError(
                f"the query failed: {exc}", hint="check the query", where=where
            ) from None
        return buffer.getvalue()

    return within(timeout, work, where=where)


#: A SPARQL/Turtle local name that needs no escapes (PN_LOCAL without PLX, ASCII letters):
#: what follows ``prefix:`` in a compact IRI a user can paste back into a query.
_PLAIN_LOCAL = re.compile(r"(?:[A-Za-z0-9_:]|[A-Za-z0-9_:][A-Za-z0-9_.:-]*[A-Za-z0-9_:-])?")


def pasteable(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> str:
    """A form of a term for result tables that is also valid SPARQL for IRIs.

    An IRI is shortened to ``prefix:local`` only when that is a valid prefixed name as written
    (``kind:parks``); otherwise it is printed whole in angle brackets
    (``<https://w3id.org/pledgegraph/id/pledge/k/4>``), never as an invalid ``pgid:pledge/k/4``.
    Literals print as their value, as :func:`short` does.
    """
    if isinstance(term, ox.NamedNode):
        compact = short(term)
        prefix, colon, local = compact.partition(":")
        if colon and prefix in PREFIXES and _PLAIN_LOCAL.fullmatch(local):
            return compact
        return f"<{term.value}>"
    return short(term)


def _rows(solutions: ox.QuerySolutions) -> tuple[list[str], list[list[str]]]:
    names = [v.value for v in solutions.variables]
    rows = [[pasteable(solution[name]) for name in names] for solution in solutions]
    return names, rows


def format_table(solutions: ox.QuerySolutions, out: TextIO, *, color: bool = False) -> None:
    """A readable table (rich) of SELECT solutions."""
    from rich.table import Table
    from rich.text import Text

    names, rows = _rows(solutions)
    table = Table(*names, show_lines=False, highlight=False, header_style="bold")
    for row in rows:  # as Text: no rich markup, and control characters shown as escapes
        table.add_row(*(Text(printable(cell)) for cell in row))
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
        return printable(text.replace("|", "\\|").replace("\n", " "))

    out.write("| " + " | ".join(names) + " |\n")
    out.write("|" + "|".join("---" for _ in names) + "|\n")
    for row in rows:
        out.write("| " + " | ".join(cell(c) for c in row) + " |\n")


def format_plain(solutions: ox.QuerySolutions, out: TextIO) -> None:
    """Tab-separated plain values for ``cut`` and ``awk``.

    A header of variable names, then one line per solution with each term's value (an IRI
    whole, a literal's lexical form, an unbound variable empty). Tabs, line breaks and other
    control characters inside a value are written as escapes (``\\t``, ``\\n``; a backslash
    as ``\\\\``), so every row is one line with the same columns. Unlike ``tsv`` (SPARQL 1.1
    TSV), nothing is quoted and no IRI is in angle brackets.
    """
    names = [v.value for v in solutions.variables]
    out.write("\t".join(names) + "\n")
    for solution in solutions:
        cells = []
        for name in names:
            term = solution[name]
            if term is None:
                cells.append("")
            elif isinstance(term, ox.BlankNode):
                cells.append(f"_:{term.value}")
            elif isinstance(term, (ox.NamedNode, ox.Literal)):
                cells.append(printable(term.value.replace("\\", "\\\\")))
            else:
                cells.append(printable(str(term)))
        out.write("\t".join(cells) + "\n")


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
    elif fmt == "plain":
        format_plain(result, out)
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
