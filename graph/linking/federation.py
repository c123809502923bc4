"""Federated queries: ``SERVICE`` clauses, their allow-list, and a timeout pyoxigraph lacks.

What pyoxigraph 0.5 does (measured with 0.5.13 against a local ``oxigraph serve``):

- ``Store.query`` evaluates ``SERVICE <url>`` itself: it POSTs the inner pattern to ``url`` as
  ``application/sparql-query`` and reads JSON or XML results. There is no hook for a custom
  service handler in the Python API, and no query or HTTP timeout either (oxigraph issue
  #1926): a ``SERVICE`` endpoint that never answers hangs the query for good.
- Results are lazy: a ``SERVICE`` failure is raised while the solutions are *iterated*, not by
  ``Store.query``, so a caller that only wraps ``query()`` in ``try`` shows a traceback.

So federation is off by default and goes through :func:`federated_query`:

1. :func:`check_services` finds every ``SERVICE`` target with a small tokenizer (comments,
   strings and IRIs are skipped properly; ``PREFIX``/``BASE`` are honoured) and refuses any
   endpoint not on the allow-list, and ``SERVICE ?var`` always.
2. :class:`ServiceRelay` (see :func:`service_handler`) is a loopback HTTP relay: the allowed
   ``SERVICE`` IRIs are rewritten to it, and it forwards each request to the real endpoint with
   a deadline (``timeout`` seconds per ``SERVICE`` request), answering pyoxigraph with an error
   when the endpoint is down, slow or broken.
3. The result is evaluated completely while the relay is up, then handed back with the usual
   types (solutions, boolean, triples), and any failure becomes one :class:`QueryError`.

Limits: the timeout bounds each ``SERVICE`` request, not the local part of the query (pyoxigraph
offers no query timeout); a syntax error in a federated query reports a column of the rewritten
text; ``SERVICE`` endpoints must be exact IRIs on the list (no prefixes or patterns).

The allow-list comes from ``--allow-service URL`` options and, as "the config", the environment
variable ``PLEDGEGRAPH_ALLOW_SERVICE`` (space-separated URLs): see :func:`allowed_services`.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from pledgegraph.errors import InputError, QueryError
from pledgegraph.ontology import PREFIXES

if TYPE_CHECKING:
    import pyoxigraph as ox

    from pledgegraph.graph.store import Store

ENV_ALLOW_SERVICE = "PLEDGEGRAPH_ALLOW_SERVICE"
DEFAULT_TIMEOUT = 10.0
NOT_ALLOWED_HINT = "pass --allow-service URL or set it in the config"

_IRI_CHARS = re.compile(r'<([^<>"{}|^`\\\x00-\x20]*)>')
_NAME = re.compile(
    r"[A-Za-z_\u00b7-\uffff][\w.\-\u00b7-\uffff]*(:[\w.\-:%\u00b7-\uffff]*)?|:[\w.\-:%]*"
)
_VAR = re.compile(r"[?$][\w\u00b7-\uffff]+")


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
    """Every ``SERVICE`` target of ``sparql`` (prefixed names expanded, relative IRIs resolved)."""
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
        elif word == "SERVICE" and following:
            target = following[0]
            if target.kind == "name" and target.text.upper() == "SILENT" and len(following) > 1:
                target = following[1]
            if target.kind == "iri":
                found.append(
                    ServiceRef(_resolve(target.text, base), None, target.start, target.end)
                )
            elif target.kind == "var":
                found.append(ServiceRef(None, target.text, target.start, target.end))
            elif target.kind == "name" and ":" in target.text:
                prefix, _, local = target.text.partition(":")
                if prefix in known:
                    expanded = known[prefix] + local.replace("\\", "")
                    found.append(ServiceRef(expanded, None, target.start, target.end))
    return found


def _resolve(iri: str, base: str | None) -> str:
    return urljoin(base, iri) if base and not urlsplit(iri).scheme else iri


def check_services(
    sparql: str, allowed: Collection[str], *, prefixes: Mapping[str, str] = PREFIXES
) -> None:
    """Refuse a query whose ``SERVICE`` endpoints are not all in ``allowed`` (exact IRIs).

    ``SERVICE ?var`` is always refused: its endpoint is only known while the query runs.
    """
    allow = {url.strip() for url in allowed}
    for ref in find_services(sparql, prefixes=prefixes):
        if ref.iri is None:
            raise QueryError(
                f"SERVICE {ref.variable} is not allowed",
                hint="name the endpoint with an IRI and pass --allow-service URL",
            )
        if ref.iri not in allow:
            raise QueryError(f"SERVICE <{ref.iri}> is not allowed", hint=NOT_ALLOWED_HINT)


def allowed_services(cli_values: Iterable[str] = ()) -> list[str]:
    """The allow-list: ``PLEDGEGRAPH_ALLOW_SERVICE`` (space-separated) plus ``--allow-service``."""
    given = tuple(cli_values)
    values = [*os.environ.get(ENV_ALLOW_SERVICE, "").split(), *given]
    urls: list[str] = []
    for value in values:
        url = value.strip()
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise InputError(
                f"{url!r} is not an http(s) URL",
                hint="give the endpoint's full URL, such as https://query.wikidata.org/sparql",
                where="--allow-service" if value in given else ENV_ALLOW_SERVICE,
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
                url, method=handler.command, body=body, headers=headers, timeout=self.timeout
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

    def prepare(self, sparql: str, *, prefixes: Mapping[str, str] = PREFIXES) -> str:
        """Check the ``SERVICE`` endpoints and point them at the relay."""
        check_services(sparql, self.allowed, prefixes=prefixes)
        refs = find_services(sparql, prefixes=prefixes)
        out, last = [], 0
        for ref in refs:
            assert ref.iri is not None
            out.append(sparql[last : ref.start])
            out.append(f"<{self.relay.route(ref.iri)}>")
            last = ref.end
        out.append(sparql[last:])
        return "".join(out)

    def error(self, problem: str, *, where: str, hint: str | None = None) -> QueryError:
        """The error to show for a failed federated query (relay URLs never show)."""
        failure = self.relay.failure()
        if failure is not None:
            return QueryError(
                failure.problem, hint=failure.hint, where=f"SERVICE <{failure.endpoint}>"
            )
        for relay_url, endpoint in self.relay.endpoints().items():
            problem = problem.replace(relay_url, endpoint)
        if hint is None:
            problem, hint = f"the query failed: {problem}", "check the query and the endpoint"
        return QueryError(problem, hint=hint, where=where)

    def query(
        self, store: Store, sparql: str, *, where: str = "query"
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Run ``sparql`` with its ``SERVICE`` calls, fully evaluated before it returns."""
        from pledgegraph.graph.query import run

        text = self.prepare(sparql)
        try:
            result = run(store, text, where=where)
            return _materialise(result)
        except QueryError as error:  # raised by run(): keep its words
            raise self.error(error.problem, where=error.where or where, hint=error.hint) from None
        except (OSError, ValueError, RuntimeError, SyntaxError) as exc:
            raise self.error(str(exc), where=where) from None


def service_handler(allowed: Collection[str], timeout: float = DEFAULT_TIMEOUT) -> FederatedRunner:
    """A context manager that runs queries whose ``SERVICE`` endpoints are in ``allowed``.

    pyoxigraph 0.5 has no custom service handlers, so this is a checked rewrite of the query to
    a loopback relay that enforces ``timeout`` (seconds per ``SERVICE`` request).
    """
    return FederatedRunner(allowed, timeout)


def federated_query(
    store: Store,
    sparql: str,
    *,
    allowed: Collection[str],
    timeout: float = DEFAULT_TIMEOUT,
    where: str = "query",
    inferred: bool = True,
) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    """Run a query that may use ``SERVICE``: refused unless every endpoint is allowed.

    Without ``SERVICE`` this is :func:`pledgegraph.graph.query.run`; with it, the query runs
    through a :class:`ServiceRelay` and is evaluated completely before it returns, so endpoint
    failures are a :class:`QueryError`, never a traceback while printing.
    """
    from pledgegraph.graph.query import run

    refs = find_services(sparql)
    if not refs:
        return run(store, sparql, where=where, inferred=inferred)
    check_services(sparql, allowed)
    with service_handler(allowed, timeout) as runner:
        return runner.query(store, sparql, where=where)


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
