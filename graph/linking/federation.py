"""Federated queries: the ``SERVICE`` guard, its allow-list, and a relay with a deadline.

What pyoxigraph 0.5 does (measured with 0.5.13 against a loopback listener):

- ``Store.query`` evaluates ``SERVICE <url>`` itself: it POSTs the inner pattern to ``url``.
  There is no hook for a custom service handler in the Python API and no HTTP timeout
  (oxigraph issue #1926): an endpoint that never answers hangs the query for good.
- ``\\u0065``-style escapes are decoded inside IRIs and strings (``<http://h/u\\u0065sc>``
  reaches ``/uesc``), never in keywords (``\\u0053ERVICE`` is a syntax error).
- Results are lazy: a ``SERVICE`` failure is raised while the solutions are iterated.

So every query goes through :func:`service_targets` before pyoxigraph sees it
(:func:`pledgegraph.graph.query.run` calls it; nothing else runs user SPARQL):

1. A query whose text does not contain the letters ``service`` (any case) cannot call one.
2. Otherwise the ``SERVICE`` targets are found twice, by a tokenizer here (comments, strings,
   IRIs and escaped local names skipped; ``PREFIX``/``BASE`` honoured) and by rdflib's SPARQL
   parser and algebra; both must agree, or the query is refused. ``\\u`` escapes in such a
   query are refused, so no decoding step can make the two readings differ from pyoxigraph's.
3. Every target must be on the allow-list (exact IRIs); ``SERVICE ?var`` is always refused.
4. :class:`ServiceRelay` is a loopback HTTP relay: allowed targets are rewritten to it, the
   rewritten text is checked again (every target must now be the relay), and the relay
   forwards each request with a deadline, a size cap and same-host redirects only
   (:func:`pledgegraph.graph.linking.http.forward`).

The allow-list comes from ``--allow-service URL`` options and the environment variable
``PLEDGEGRAPH_ALLOW_SERVICE`` (space-separated URLs): see :func:`allowed_services`.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from pledgegraph.errors import QueryError
from pledgegraph.ontology import PREFIXES

if TYPE_CHECKING:
    import pyoxigraph as ox

ENV_ALLOW_SERVICE = "PLEDGEGRAPH_ALLOW_SERVICE"
DEFAULT_TIMEOUT = 10.0
NOT_ALLOWED_HINT = "pass --allow-service URL or set PLEDGEGRAPH_ALLOW_SERVICE"
_MAX_PROBLEM = 300  # characters of an endpoint's own error text shown in a message

_IRI_CHARS = re.compile(r'<([^<>"{}|^`\\\x00-\x20]*)>')
_NAME_START = "A-Za-z_\u00b7-\uffff\U00010000-\U000effff"
_NAME_CHAR = "\\w.\\-\u00b7-\uffff\U00010000-\U000effff"
_LOCAL_ESCAPE = r"\\[_~.\-!$&'()*+,;=/?#@%]"
_NAME = re.compile(
    f"(?:[{_NAME_START}][{_NAME_CHAR}]*)?:(?:[{_NAME_CHAR}:%]|{_LOCAL_ESCAPE})*"
    f"|[{_NAME_START}][{_NAME_CHAR}]*"
)
_VAR = re.compile("[?$][\\w\u00b7-\uffff\U00010000-\U000effff]+")  # no "." or "-"
_ESCAPE = re.compile(r"\\[uU]")


# --- finding SERVICE clauses ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # "iri", "name", "var", "punct"
    text: str  # the IRI without <>, the name, the variable with its sigil, or the character
    start: int
    end: int


def tokens(sparql: str) -> Iterator[Token]:
    """The tokens of a query that matter for finding ``SERVICE``: comments and strings skipped."""
    i, n = 0, len(sparql)
    while i < n:
        c = sparql[i]
        if c.isspace():
            i += 1
        elif c == "#":
            end = sparql.find("\n", i)
            i = n if end < 0 else end + 1
        elif c in "\"'":
            i = _skip_string(sparql, i)
        elif c == "<":
            match = _IRI_CHARS.match(sparql, i)
            if match:
                yield Token("iri", match.group(1), i, match.end())
                i = match.end()
            else:
                yield Token("punct", c, i, i + 1)
                i += 1
        elif c in "?$":
            match = _VAR.match(sparql, i)
            if match:
                yield Token("var", match.group(0), i, match.end())
                i = match.end()
            else:
                yield Token("punct", c, i, i + 1)
                i += 1
        else:
            match = _NAME.match(sparql, i)
            if match and match.end() > i:
                text = match.group(0).rstrip(".")  # a local name never ends with "."
                yield Token("name", text, i, i + len(text))
                i += len(text)
            else:
                yield Token("punct", c, i, i + 1)
                i += 1


def _skip_string(text: str, i: int) -> int:
    quote = text[i]
    if text.startswith(quote * 3, i):
        j = i + 3
        while j < len(text):
            if text[j] == "\\":
                j += 2
            elif text.startswith(quote * 3, j):
                return j + 3
            else:
                j += 1
        return len(text)
    j = i + 1
    while j < len(text):
        if text[j] == "\\":
            j += 2
        elif text[j] == quote or text[j] == "\n":
            return j + 1
        else:
            j += 1
    return len(text)


@dataclass(frozen=True, slots=True)
class ServiceRef:
    """One ``SERVICE`` target in a query: an IRI, or a variable (``iri`` is then ``None``)."""

    iri: str | None
    variable: str | None
    start: int  # span of the target token in the query text
    end: int


def find_services(sparql: str, *, prefixes: Mapping[str, str] = PREFIXES) -> list[ServiceRef]:
    """Every ``SERVICE`` target of ``sparql`` by the tokenizer (names expanded, IRIs resolved).

    One of the two readings :func:`service_targets` compares; use that one to decide.
    """
    known = dict(prefixes)
    base: str | None = None
    found: list[ServiceRef] = []
    items = list(tokens(sparql))
    for index, token in enumerate(items):
        if token.kind != "name":
            continue
        word = token.text.upper()
        following = items[index + 1 : index + 4]
        if word == "PREFIX" and len(following) >= 2:
            name, iri = following[0], following[1]
            if name.kind == "name" and name.text.endswith(":") and iri.kind == "iri":
                known[name.text[:-1]] = _resolve(iri.text, base)
        elif word == "BASE" and following and following[0].kind == "iri":
            base = _resolve(following[0].text, base)
        elif word == "SERVICE":
            target = following[0] if following else Token("punct", "", token.end, token.end)
            if target.kind == "name" and target.text.upper() == "SILENT" and len(following) > 1:
                target = following[1]
            if target.kind == "iri":
                resolved = _resolve(target.text, base)
                found.append(ServiceRef(resolved, None, target.start, target.end))
            elif target.kind == "var":
                found.append(ServiceRef(None, target.text, target.start, target.end))
            elif target.kind == "name" and ":" in target.text:
                prefix, _, local = target.text.partition(":")
                expanded = known.get(prefix, prefix + ":") + re.sub(r"\\(.)", r"\1", local)
                found.append(ServiceRef(expanded, None, target.start, target.end))
            else:  # something pyoxigraph will reject; count it so the readings must agree
                found.append(ServiceRef("", None, target.start, target.end))
    return found


def _resolve(iri: str, base: str | None) -> str:
    return urljoin(base, iri) if base and not urlsplit(iri).scheme else iri


def _parsed_services(sparql: str, prefixes: Mapping[str, str]) -> list[str | None]:
    """The ``SERVICE`` targets rdflib's parser finds (``None`` for a variable), in any order."""
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import URIRef

    found: list[str | None] = []

    def walk(node: object) -> None:
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                term = node.get("term")
                found.append(str(term) if isinstance(term, URIRef) else None)
            for value in node.values():
                walk(value)
        elif isinstance(node, list | tuple | set):
            for value in node:
                walk(value)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)

    def parse() -> None:
        try:
            walk(translateQuery(parseQuery(sparql), initNs=dict(prefixes)).algebra)
        except Exception as exc:
            failed.append(exc)

    # The parser runs in a thread of its own: pyparsing leaves cycles of exceptions whose
    # tracebacks hold every calling frame, and the caller's frames hold the query's pyoxigraph
    # results, which must be dropped by the thread that made them (pyoxigraph aborts the drop
    # otherwise, printing "PyQuerySolutions is unsendable"). Here the cycles end at this thread.
    failed: list[Exception] = []
    quiet = logging.getLogger("rdflib")  # it logs odd IRIs as warnings: not for the user
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        worker = threading.Thread(target=parse, name="pledgegraph-service-check", daemon=True)
        worker.start()
        worker.join()
    finally:
        quiet.setLevel(level)
    if failed:
        raise failed[0]
    return found


def mentions_service(sparql: str) -> bool:
    """Whether ``sparql`` could hold a ``SERVICE`` clause at all (keywords are never escaped)."""
    return "service" in sparql.lower()


def service_targets(
    sparql: str, *, prefixes: Mapping[str, str] = PREFIXES, where: str = "query"
) -> list[ServiceRef]:
    """Every ``SERVICE`` target of ``sparql``, read two ways that must agree.

    Raises :class:`QueryError` when the query cannot be read with certainty: ``\\u`` escapes
    in a query that mentions ``SERVICE``, a query rdflib's parser cannot read, or a tokenizer
    and a parser that find different targets. Refusing is the safe side: the query could
    otherwise reach an endpoint nobody allowed.
    """
    if not mentions_service(sparql):
        return []
    if _ESCAPE.search(sparql):
        raise QueryError(
            "a query with SERVICE may not use \\u or \\U escapes",
            hint="write the characters themselves",
            where=where,
        )
    refs = find_services(sparql, prefixes=prefixes)
    try:
        parsed = _parsed_services(sparql, prefixes)
    except Exception as exc:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise QueryError(
            f"the query mentions SERVICE and its endpoints cannot be checked ({detail})",
            hint="write it in plain SPARQL 1.1 (no extensions) so its endpoints can be checked",
            where=where,
        ) from None
    if Counter(ref.iri for ref in refs) != Counter(parsed):
        raise QueryError(
            "the query's SERVICE endpoints cannot be read unambiguously",
            hint="write each endpoint as a full <IRI> after SERVICE",
            where=where,
        )
    return refs


def check_services(
    sparql: str,
    allowed: Collection[str],
    *,
    prefixes: Mapping[str, str] = PREFIXES,
    where: str = "query",
) -> list[ServiceRef]:
    """Refuse a query whose ``SERVICE`` endpoints are not all in ``allowed`` (exact IRIs).

    ``SERVICE ?var`` is always refused: its endpoint is only known while the query runs.
    Returns the targets found (empty for a query without ``SERVICE``).
    """
    allow = {url.strip() for url in allowed}
    refs = service_targets(sparql, prefixes=prefixes, where=where)
    for ref in refs:
        if ref.iri is None:
            raise QueryError(
                f"SERVICE {ref.variable} is not allowed",
                hint="name the endpoint with an IRI and pass --allow-service URL",
                where=where,
            )
        if ref.iri not in allow:
            raise QueryError(
                f"SERVICE <{ref.iri}> is not allowed", hint=NOT_ALLOWED_HINT, where=where
            )
    return refs


def allowed_services(cli_values: Iterable[str] = ()) -> list[str]:
    """The allow-list: ``PLEDGEGRAPH_ALLOW_SERVICE`` (space-separated) plus ``--allow-service``."""
    from pledgegraph.graph.linking.http import check_endpoint

    given = tuple(cli_values)
    values = [*os.environ.get(ENV_ALLOW_SERVICE, "").split(), *given]
    urls: list[str] = []
    for value in values:
        url = check_endpoint(
            value, where="--allow-service" if value in given else ENV_ALLOW_SERVICE
        )
        if url not in urls:
            urls.append(url)
    return urls


# --- the relay -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ServiceFailure:
    endpoint: str
    problem: str
    hint: str


class ServiceRelay:
    """A loopback HTTP relay that forwards ``SERVICE`` requests with a deadline.

    Use as a context manager; :meth:`route` gives the relay URL that stands for an endpoint.
    """

    def __init__(self, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.timeout = timeout
        self._routes: list[str] = []
        self._failures: list[ServiceFailure] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> ServiceRelay:
        relay = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                relay._forward(self)

            def do_POST(self) -> None:
                relay._forward(self)

            def log_message(self, format: str, *args: object) -> None:
                return

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    @property
    def base(self) -> str:
        assert self._server is not None, "use ServiceRelay as a context manager"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/service/"

    def route(self, endpoint: str) -> str:
        """The relay URL that forwards to ``endpoint``."""
        with self._lock:
            if endpoint not in self._routes:
                self._routes.append(endpoint)
            return f"{self.base}{self._routes.index(endpoint)}"

    def endpoints(self) -> dict[str, str]:
        """Relay URL -> endpoint, for messages."""
        return {f"{self.base}{i}": url for i, url in enumerate(self._routes)}

    def failure(self) -> ServiceFailure | None:
        with self._lock:
            return self._failures[0] if self._failures else None

    def _fail(self, failure: ServiceFailure) -> None:
        with self._lock:
            self._failures.append(failure)

    def _forward(self, handler: BaseHTTPRequestHandler) -> None:
        from pledgegraph.graph.linking.http import HttpFailure, forward

        path, _, query = handler.path.partition("?")
        try:
            endpoint = self._routes[int(path.rsplit("/", 1)[-1])]
        except (ValueError, IndexError):
            handler.send_error(404)
            return
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else None
        headers = {
            name: value
            for name in ("Content-Type", "Accept")
            if (value := handler.headers.get(name)) is not None
        }
        url = endpoint + ("?" + query if query else "")
        try:
            status, content_type, data = forward(
                url,
                method=handler.command,
                body=body,
                headers=headers,
                timeout=self.timeout,
                timeout_option="--service-timeout",
            )
        except HttpFailure as failure:
            self._fail(ServiceFailure(endpoint, failure.problem, failure.hint))
            reply = failure.problem.encode("utf-8")
            handler.send_response(504 if failure.timed_out else 502)
            handler.send_header("Content-Type", "text/plain; charset=utf-8")
            handler.send_header("Content-Length", str(len(reply)))
            handler.end_headers()
            handler.wfile.write(reply)
            return
        handler.send_response(status)
        if content_type:
            handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)


class FederatedRunner:
    """What :func:`service_handler` returns: checks, rewrites and runs federated queries."""

    def __init__(self, allowed: Collection[str], timeout: float) -> None:
        self.allowed = list(allowed)
        self.relay = ServiceRelay(timeout)

    def __enter__(self) -> FederatedRunner:
        self.relay.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.relay.__exit__(exc_type, exc, tb)

    def prepare(
        self, sparql: str, *, prefixes: Mapping[str, str] = PREFIXES, where: str = "query"
    ) -> str:
        """Check the ``SERVICE`` endpoints and point them at the relay.

        The rewritten text is read again: every ``SERVICE`` in it must now name the relay, so
        a target the rewrite missed can never reach the network directly.
        """
        refs = check_services(sparql, self.allowed, prefixes=prefixes, where=where)
        out, last = [], 0
        for ref in sorted(refs, key=lambda r: r.start):
            assert ref.iri is not None
            out.append(sparql[last : ref.start])
            out.append(f"<{self.relay.route(ref.iri)}>")
            last = ref.end
        out.append(sparql[last:])
        text = "".join(out)
        routes = self.relay.endpoints()
        again = service_targets(text, prefixes=prefixes, where=where)
        if len(again) != len(refs) or any(ref.iri not in routes for ref in again):
            raise QueryError(
                "the query's SERVICE endpoints cannot be read unambiguously",
                hint="write each endpoint as a full <IRI> after SERVICE",
                where=where,
            )
        return text

    def error(self, problem: str, *, where: str, hint: str | None = None) -> QueryError:
        """The error to show for a failed federated query (relay URLs never show)."""
        failure = self.relay.failure()
        if failure is not None:
            return QueryError(
                failure.problem, hint=failure.hint, where=f"SERVICE <{failure.endpoint}>"
            )
        for relay_url, endpoint in self.relay.endpoints().items():
            problem = problem.replace(relay_url, endpoint)
        if len(problem) > _MAX_PROBLEM:  # an endpoint's error page can be megabytes long
            problem = problem[:_MAX_PROBLEM] + " …"
        if hint is None:
            problem, hint = f"the query failed: {problem}", "check the query and the endpoint"
        return QueryError(problem, hint=hint, where=where)

    def query(
        self,
        sparql: str,
        execute: Callable[[str], ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples],
        *,
        prefixes: Mapping[str, str] = PREFIXES,
        where: str = "query",
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Check and rewrite ``sparql``, run it with ``execute``, evaluated fully before return.

        ``execute`` runs SPARQL text on the store (:func:`pledgegraph.graph.query.run` passes
        its own evaluation, so this module never imports the query module).
        """
        text = self.prepare(sparql, prefixes=prefixes, where=where)
        try:
            return _materialise(execute(text))
        except QueryError as error:  # raised by the executor: keep its words
            raise self.error(error.problem, where=error.where or where, hint=error.hint) from None
        except (OSError, ValueError, RuntimeError, SyntaxError) as exc:
            raise self.error(str(exc), where=where) from None


def service_handler(allowed: Collection[str], timeout: float = DEFAULT_TIMEOUT) -> FederatedRunner:
    """A context manager that runs queries whose ``SERVICE`` endpoints are in ``allowed``.

    pyoxigraph 0.5 has no custom service handlers, so this is a checked rewrite of the query to
    a loopback relay that enforces ``timeout`` (seconds per ``SERVICE`` request, the whole
    answer), a size cap and same-host redirects. Queries with ``SERVICE`` are run through
    :func:`pledgegraph.graph.query.run` with ``allow_service=…``, which uses this.
    """
    return FederatedRunner(allowed, timeout)


def _materialise(
    result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples,
) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    """The same result, evaluated now (pyoxigraph evaluates lazily, SERVICE calls included)."""
    import pyoxigraph as ox

    if isinstance(result, ox.QueryBoolean):
        return result
    if isinstance(result, ox.QuerySolutions):
        data = result.serialize(format=ox.QueryResultsFormat.JSON)
        parsed = ox.parse_query_results(data, ox.QueryResultsFormat.JSON)
        assert isinstance(parsed, ox.QuerySolutions)
        return parsed
    triples = list(result)
    scratch = ox.Store()
    scratch.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
    again = scratch.query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert isinstance(again, ox.QueryTriples)
    return again
