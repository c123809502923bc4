"""The store on a shared SPARQL 1.1 server: ``--store http(s)://host/…``.

:class:`RemoteDataset` is a :class:`pledgegraph.graph.backend.QuadStore` over HTTP, so the query,
export, validation, reasoning and linking code runs unchanged on a server:

- queries go to the **SPARQL 1.1 Protocol** endpoint (``<base>query``), answers are parsed by
  pyoxigraph (``parse_query_results`` / ``parse``) into the types the embedded store returns;
- writes go to the **SPARQL 1.1 Update** endpoint (``<base>update``): each write (a source with
  its shared reference quads and the store's notes about it, or a removal) is **one update
  request**, which the server applies whole or not at all (see :meth:`RemoteStore._write`);
- whole graphs are read with the **Graph Store HTTP Protocol** (``<base>store?graph=IRI``).

The endpoints default to Oxigraph's layout; ``PLEDGEGRAPH_STORE_QUERY_URL``, ``…_UPDATE_URL`` and
``…_DATA_URL`` name others (Fuseki: ``/ds/query``, ``/ds/update``, ``/ds/data``). Queries over
"all graphs" use the standard dataset parameters (every named graph as ``default-graph-uri``
and ``named-graph-uri``) or, on Oxigraph (recognised by its ``Server`` header, or
``PLEDGEGRAPH_STORE_UNION=param``), its ``union-default-graph`` parameter.

Credentials come from the environment only (``PLEDGEGRAPH_STORE_TOKEN`` for a bearer token, or
``PLEDGEGRAPH_STORE_USER`` and ``PLEDGEGRAPH_STORE_PASSWORD`` for basic auth) and never appear in
a message. Every request has a deadline (``PLEDGEGRAPH_STORE_TIMEOUT``, 60 s); requests that
never reached the server, and idempotent ones cut off by a reset connection, are retried a few
times; anything else fails with one ``StoreError`` line naming the server.

The small state the embedded store keeps in a file (whether the inferred graph is stale) lives in
a graph of its own on the server (:data:`STATE_GRAPH`), hidden from graph listings and counts.
A write that was sent but not answered (a timeout, a cut connection, a gateway's 502/504) may
have been applied: it fails with :class:`UnconfirmedWrite` (exit 3), never "nothing changed".
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from http.client import HTTPException
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from pledgegraph._version import __version__
from pledgegraph.errors import QueryError, RdfSyntaxError, StoreError
from pledgegraph.graph.backend import SEE_WHICH, WHOLE, GraphName, Term
from pledgegraph.graph.backend import is_remote as is_remote  # (where it was)
from pledgegraph.graph.formats import RDF_FORMATS
from pledgegraph.graph.store import (
    FILE_GRAPH,
    LOADED_FROM,
    SHEET_FILES,
    STAGING_GRAPH,
    LoadReport,
    Store,
    _base_iri,
    _Batches,
    _syntax_message,
    _triples_of,
    recorded_loader,
    sheet_files,
)
from pledgegraph.ontology import (
    GRAPH,
    ID,
    INFERRED_GRAPH,
    ONTOLOGY_GRAPH,
    PLEDGE,
    REFERENCE_GRAPH,
    SOURCE_GRAPH,
)

ENV_TOKEN = "PLEDGEGRAPH_STORE_TOKEN"
ENV_USER = "PLEDGEGRAPH_STORE_USER"
ENV_PASSWORD = "PLEDGEGRAPH_STORE_PASSWORD"
ENV_TIMEOUT = "PLEDGEGRAPH_STORE_TIMEOUT"
ENV_QUERY_URL = "PLEDGEGRAPH_STORE_QUERY_URL"
ENV_UPDATE_URL = "PLEDGEGRAPH_STORE_UPDATE_URL"
ENV_DATA_URL = "PLEDGEGRAPH_STORE_DATA_URL"
ENV_UNION = "PLEDGEGRAPH_STORE_UNION"

#: The graph holding the store's state (a JSON literal); never listed, counted or exported.
STATE_GRAPH = GRAPH + "state"
_STATE_PREDICATE = "https://w3id.org/pledgegraph/ontology#storeState"
#: ``<graph> _DERIVE true`` in the state graph: the graph was written, and the data derived
#: from it (region links, summary rows) may not be yet (see ``RemoteStore.recover``).
_DERIVE = "https://w3id.org/pledgegraph/ontology#derivedDataDue"
_STATE_DELETE = (
    f"DELETE WHERE {{ GRAPH <{STATE_GRAPH}> {{ <{STATE_GRAPH}> <{_STATE_PREDICATE}> ?state }} }}"
)

DEFAULT_TIMEOUT = 60.0
RETRIES = 3
USER_AGENT = f"pledgegraph/{__version__} (https://w3id.org/pledgegraph; store client)"
RESULTS_JSON = "application/sparql-results+json"
_ACCEPT = f"{RESULTS_JSON}, application/n-triples;q=0.9, text/turtle;q=0.8"
_RESULT_TYPES = {
    RESULTS_JSON: ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPH_TYPES = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}
_INSERT_BATCH = 20_000  # quads per INSERT DATA request
#: Characters of data per update request when a batch of new sources is split (servers limit
#: the size of a request body; ``oxigraph serve`` 0.5 took 20 MB in one update here).
UPDATE_LIMIT = 8 << 20


def _redacted(url: str) -> str:
    """``url`` without user info, query or fragment (what messages may show)."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    if parts.port is not None:
        host += f":{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, "", ""))


@dataclass(frozen=True, slots=True)
class Endpoints:
    """Where the server listens: the base URL (for messages) and its three services."""

    base: str
    query: str
    update: str
    data: str

    @classmethod
    def from_url(cls, url: str) -> Endpoints:
        """The endpoints of ``url`` (Oxigraph's layout unless the environment names others)."""
        parts = urllib.parse.urlsplit(url.strip())
        shown = _redacted(url.strip())
        if parts.username is not None or parts.password is not None:
            raise StoreError(
                "credentials in the store URL are not accepted (they would show in logs)",
                hint=f"set {ENV_TOKEN}, or {ENV_USER} and {ENV_PASSWORD}, instead",
                where=shown,
            )
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise StoreError(
                "is not an http(s) URL of a SPARQL server",
                hint="give the server's base URL, such as http://localhost:7878/",
                where=shown,
            )
        base = url.strip()
        if not base.endswith("/"):
            base += "/"
        return cls(
            base=shown,
            query=os.environ.get(ENV_QUERY_URL) or base + "query",
            update=os.environ.get(ENV_UPDATE_URL) or base + "update",
            data=os.environ.get(ENV_DATA_URL) or base + "store",
        )


class _Failure(Exception):
    """A request that got no usable answer: what happened, and whether to try again."""

    def __init__(self, problem: str, hint: str, *, retry: bool, sent: bool) -> None:
        super().__init__(problem)
        self.problem = problem
        self.hint = hint
        self.retry = retry  # a transient failure (refused, reset, 502/503/504)
        self.sent = sent  # the server may have received (and applied) the request


class RequestFailed(StoreError):
    """A request that got no answer; ``sent``: the server may have received (and applied) it."""

    def __init__(self, problem: str, *, hint: str, where: str, sent: bool) -> None:
        super().__init__(problem, hint=hint, where=where)
        self.sent = sent


#: Exit code of a write the server may or may not have applied (README, "Exit codes").
EXIT_UNCONFIRMED = 3


class UnconfirmedWrite(StoreError):
    """A write that was sent but not confirmed (a timeout, a cut connection, a gateway error).

    The server applies each write as one update request, whole or not at all, so the store
    holds the old version or the new one, never a mix; which one, only the server knows.
    """

    exit_code = EXIT_UNCONFIRMED


@dataclass(frozen=True, slots=True)
class _Answer:
    status: int
    content_type: str
    server: str
    body: bytes


class Connection:
    """HTTP to one server: authentication, a deadline per request, bounded retries.

    ``retries`` more attempts are made (0.2 s, 0.4 s, 0.8 s apart) when the request never reached
    the server (connection refused), or when an idempotent request (a query, GET, PUT, DELETE)
    was cut off or got 502/503/504. A request that timed out is not retried: the server is busy.
    """

    def __init__(
        self,
        endpoints: Endpoints,
        *,
        timeout: float | None = None,
        retries: int = RETRIES,
        token: str | None = None,
        user: str | None = None,
        password: str | None = None,
    ) -> None:
        self.endpoints = endpoints
        self.timeout = timeout if timeout is not None else _env_timeout()
        self.retries = retries
        token = token if token is not None else os.environ.get(ENV_TOKEN)
        user = user if user is not None else os.environ.get(ENV_USER)
        password = password if password is not None else os.environ.get(ENV_PASSWORD)
        self._authorization: str | None = None
        if token:
            self._authorization = f"Bearer {token}"
        elif user is not None:
            pair = f"{user}:{password or ''}".encode()
            self._authorization = "Basic " + base64.b64encode(pair).decode("ascii")
        self.server = ""  # the Server header of the last answer

    def send(
        self,
        method: str,
        url: str,
        *,
        body: bytes | None = None,
        content_type: str | None = None,
        accept: str | None = None,
        idempotent: bool,
    ) -> _Answer:
        """One request (retried as described); HTTP error statuses are returned, not raised."""
        delay = 0.2
        for attempt in range(self.retries + 1):
            try:
                answer = self._once(method, url, body, content_type, accept)
            except _Failure as failure:
                again = failure.retry and (idempotent or not failure.sent)
                if not again or attempt == self.retries:
                    raise RequestFailed(
                        failure.problem,
                        hint=failure.hint,
                        where=self.endpoints.base,
                        sent=failure.sent,
                    ) from None
            else:
                if answer.status in (502, 503, 504) and idempotent and attempt < self.retries:
                    pass
                else:
                    self.server = answer.server
                    return answer
            time.sleep(delay)
            delay *= 2
        raise AssertionError("unreachable")  # pragma: no cover

    def _once(
        self,
        method: str,
        url: str,
        body: bytes | None,
        content_type: str | None,
        accept: str | None,
    ) -> _Answer:
        from pledgegraph.graph.linking.http import MAX_WAIT, Watchdog, watched_opener

        request = urllib.request.Request(url, data=body, method=method)
        request.add_header("User-Agent", USER_AGENT)
        if content_type:
            request.add_header("Content-Type", content_type)
        if accept:
            request.add_header("Accept", accept)
        if self._authorization:
            request.add_header("Authorization", self._authorization)
        late = _Failure(
            f"no answer from the SPARQL server within {self.timeout:g} s",
            f"check that the server is running, or raise {ENV_TIMEOUT}",
            retry=False,
            sent=True,
        )
        timeout = min(self.timeout, MAX_WAIT)
        # The watchdog cuts the connection at the deadline, so the timeout bounds the whole
        # answer (headers and body), not each read: a server dribbling a byte a second fails
        # in time. No redirect is followed: the credentials must not travel to another host.
        with Watchdog(timeout) as watchdog:
            try:
                try:
                    response = watched_opener(watchdog, None).open(request, timeout=timeout)
                except urllib.error.HTTPError as error:
                    response = error
                with response:
                    chunks = []
                    reader = getattr(response, "read1", response.read)
                    while chunk := reader(1 << 16):
                        if watchdog.fired:
                            raise late
                        chunks.append(chunk)
                    if watchdog.fired:
                        raise late
                    headers = response.headers
                    return _Answer(
                        int(response.status),
                        (headers.get("Content-Type") or "").split(";")[0].strip().lower(),
                        headers.get("Server") or "",
                        b"".join(chunks),
                    )
            except _Failure:
                raise
            except TimeoutError:
                raise late from None
            except urllib.error.URLError as error:
                if watchdog.fired:
                    raise late from None
                raise _connection_failure(error.reason, late) from None
            except (OSError, HTTPException) as error:
                if watchdog.fired:
                    raise late from None
                raise _connection_failure(error, late) from None


def _env_timeout() -> float:
    text = os.environ.get(ENV_TIMEOUT)
    if not text:
        return DEFAULT_TIMEOUT
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < 1e9:  # also NaN and inf, which the socket refuses with a traceback
        raise StoreError(
            f"{text!r} is not a number of seconds above 0",
            hint=f"set {ENV_TIMEOUT} to e.g. 60",
            where=ENV_TIMEOUT,
        )
    return value


def _connection_failure(reason: object, late: _Failure) -> _Failure:
    if isinstance(reason, TimeoutError | socket.timeout):
        return late
    if isinstance(reason, socket.gaierror):
        return _Failure(
            "unknown host", "check the store URL", retry=False, sent=False
        )  # DNS said no: a typo, not a transient failure
    if isinstance(reason, ConnectionRefusedError):
        return _Failure(
            "cannot connect to the SPARQL server (connection refused)",
            "check that the server is running and the store URL is right",
            retry=True,
            sent=False,
        )
    text = getattr(reason, "strerror", None) or str(reason) or type(reason).__name__
    return _Failure(
        f"the connection to the SPARQL server failed ({text})",
        "check that the server is running and try again",
        retry=True,
        sent=True,
    )


def _iri(term: ox.NamedNode | ox.BlankNode | ox.DefaultGraph, what: str) -> str:
    if not isinstance(term, ox.NamedNode):
        raise StoreError(
            f"a remote store cannot address {what} {term} (blank nodes have no name on a server)",
            where="remote store",
        )
    return term.value


def _nt(term: Term) -> str:
    """The N-Triples form of a term (escaped by pyoxigraph: safe to put in a query)."""
    return str(term)


class RemoteDataset:
    """A SPARQL 1.1 server as a :class:`pledgegraph.graph.backend.QuadStore`."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.endpoints = connection.endpoints
        mode = (os.environ.get(ENV_UNION) or "auto").lower()
        if mode not in ("auto", "param", "graphs"):
            raise StoreError(
                f"unknown union mode {mode!r}",
                hint="use auto, param (Oxigraph's union-default-graph) or graphs",
                where=ENV_UNION,
            )
        self.union_mode = mode
        #: What the writes in progress are, innermost last: (what, what it leaves, hint).
        self._writing: list[tuple[str, str, str]] = []

    @contextlib.contextmanager
    def writing(
        self, what: str, *, leaves: str = WHOLE, hint: str = SEE_WHICH, outer: bool = False
    ) -> Iterator[None]:
        """Name the updates sent inside the block for the message of an unconfirmed one
        (``what``: "the write of the links graph <…>"; ``leaves``: the state of the store it
        leaves; ``hint``: what to do). ``outer``: only if no enclosing block named them."""
        named = not (outer and self._writing)
        if named:
            self._writing.append((what, leaves, hint))
        try:
            yield
        finally:
            if named:
                self._writing.pop()

    @contextlib.contextmanager
    def briefly(self, seconds: float) -> Iterator[None]:
        """Requests inside the block wait at most ``seconds`` and are not retried (a clean-up
        after a failure: the user waited once already)."""
        connection = self.connection
        timeout, retries = connection.timeout, connection.retries
        connection.timeout, connection.retries = min(timeout, seconds), 0
        try:
            yield
        finally:
            connection.timeout, connection.retries = timeout, retries

    # --- SPARQL 1.1 Protocol ---------------------------------------------------------------

    def query(
        self,
        query: str,
        /,
        *,
        base_iri: str | None = None,
        prefixes: dict[str, str] | None = None,
        use_default_graph_as_union: bool = False,
        default_graph: GraphName | list[GraphName] | None = None,
        named_graphs: list[ox.NamedNode | ox.BlankNode] | None = None,
        substitutions: dict[ox.Variable, Term] | None = None,
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Run a query on the server; the same result types as ``pyoxigraph.Store.query``."""
        if substitutions:
            raise QueryError(
                "a remote store cannot bind variables by substitution",
                hint="bind parameters with a VALUES block (as stored questions do)",
            )
        prologue = _prologue(base_iri, prefixes)
        fields: list[tuple[str, str]] = [("query", prologue + query)]
        fields += self._dataset(use_default_graph_as_union, default_graph, named_graphs)
        answer = self.connection.send(
            "POST",
            self.endpoints.query,
            body=urllib.parse.urlencode(fields).encode("ascii"),
            content_type="application/x-www-form-urlencoded",
            accept=_ACCEPT,
            idempotent=True,
        )
        self._check(answer, "query", shift=prologue.count("\n"))
        return self._result(answer)

    def _dataset(
        self,
        union: bool,
        default_graph: GraphName | list[GraphName] | None,
        named_graphs: list[ox.NamedNode | ox.BlankNode] | None,
    ) -> list[tuple[str, str]]:
        """The protocol's dataset parameters for pyoxigraph's ``query`` options."""
        fields: list[tuple[str, str]] = []
        if union:
            if self._union_by_param():
                return [("union-default-graph", "")]
            every = self._graph_names()
            fields += [("default-graph-uri", g) for g in every]
            fields += [("named-graph-uri", g) for g in every]
            return fields
        if default_graph is None and named_graphs is None:
            return fields  # the server's own dataset: its default graph and all named graphs
        defaults = default_graph if isinstance(default_graph, list) else [default_graph]
        for graph in defaults:
            if graph is None or isinstance(graph, ox.DefaultGraph):
                continue  # (the protocol cannot name the real default graph; ours is empty)
            fields.append(("default-graph-uri", _iri(graph, "graph")))
        named = named_graphs if named_graphs is not None else None
        names = (
            [_iri(g, "graph") for g in named] if named is not None else self._graph_names()
        )  # pyoxigraph: all named graphs stay available unless told otherwise
        fields += [("named-graph-uri", g) for g in names]
        return fields

    def _union_by_param(self) -> bool:
        if self.union_mode == "auto":
            if not self.connection.server:
                self._graph_names()  # any request tells who answers
            return self.connection.server.lower().startswith("oxigraph")
        return self.union_mode == "param"

    def _graph_names(self) -> list[str]:
        return [g.value for g in self.named_graphs() if isinstance(g, ox.NamedNode)]

    def _check(self, answer: _Answer, what: str, *, shift: int = 0) -> None:
        """Raise the error an HTTP error status means. ``shift``: lines of prologue we added
        in front of the caller's text (taken off the line numbers the server reports)."""
        if answer.status < 300:
            return
        detail = _detail(answer, shift)
        if answer.status in (401, 403):
            raise StoreError(
                f"the SPARQL server refused the {what} (HTTP {answer.status})",
                hint=f"set {ENV_TOKEN}, or {ENV_USER} and {ENV_PASSWORD}, to credentials it accepts",
                where=self.endpoints.base,
            )
        if answer.status == 400 and what in ("query", "update"):
            raise QueryError(
                f"the SPARQL server rejected the {what}{detail}",
                hint="fix the query (see https://www.w3.org/TR/sparql11-query/)",
                where=self.endpoints.base,
            )
        if 300 <= answer.status < 400:
            hint = "give the address it redirects to as the store URL (redirects are not followed)"
        elif answer.status in (404, 405, 406, 415):
            hint = (
                "check the store URL: it must be the server's base URL (or set the endpoint URLs)"
            )
        else:
            hint = "check the server's log and try again later"
        raise StoreError(
            f"the SPARQL server answered HTTP {answer.status} to the {what}{detail}",
            hint=hint,
            where=self.endpoints.base,
        )

    def _garbage(self, answer: _Answer, expected: str, exc: Exception | None) -> StoreError:
        kind = answer.content_type or "no content type"
        reason = f": {str(exc).splitlines()[0]}" if exc is not None and str(exc) else ""
        return StoreError(
            f"the server's answer ({kind}) is not {expected}{reason}",
            hint="check that the store URL is a SPARQL 1.1 server's base URL",
            where=self.endpoints.base,
        )

    def _result(self, answer: _Answer) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        kind = answer.content_type
        if kind in _GRAPH_TYPES and kind != "text/plain":
            return _as_query_triples(self._parse_graph(answer, _GRAPH_TYPES[kind]))
        format = _RESULT_TYPES.get(kind)
        if format is None:
            raise self._garbage(answer, "SPARQL results", None)
        try:
            # Read it all once first: pyoxigraph parses lazily, and a broken answer must fail
            # here with one line, not halfway through a caller's loop.
            checked = ox.parse_query_results(answer.body, format)
            if isinstance(checked, ox.QuerySolutions):
                for _ in checked:
                    pass
            return ox.parse_query_results(answer.body, format)
        except (SyntaxError, ValueError, OSError) as exc:
            raise self._garbage(answer, "SPARQL results", exc) from None

    def _parse_graph(self, answer: _Answer, format: ox.RdfFormat) -> list[ox.Quad]:
        try:
            return list(ox.parse(answer.body, format))
        except (SyntaxError, ValueError, OSError) as exc:
            raise self._garbage(answer, "RDF", exc) from None

    def _select(self, query: str) -> ox.QuerySolutions:
        result = self.query(query)
        if not isinstance(result, ox.QuerySolutions):
            raise self._garbage(_Answer(200, "", "", b""), "SELECT results", None)
        return result

    # --- SPARQL 1.1 Update -----------------------------------------------------------------

    def update(
        self, update: str, /, *, base_iri: str | None = None, prefixes: dict[str, str] | None = None
    ) -> None:
        """Run a SPARQL update on the server (applied atomically by the server).

        Sent but not answered, it may have been applied: :class:`UnconfirmedWrite` (exit 3),
        named as the enclosing :meth:`writing` block says."""
        what, leaves, hint = (
            self._writing[-1] if self._writing else ("an update request", WHOLE, SEE_WHICH)
        )
        self.send_update(_prologue(base_iri, prefixes) + update, what, leaves=leaves, hint=hint)

    def send_update(
        self, update: str, what: str, *, leaves: str = WHOLE, hint: str = SEE_WHICH
    ) -> None:
        """Send one update request (``what``: "the write of <graph>", for messages). Without
        an answer saying it failed (a timeout, a cut connection, a gateway's 502/504, Ctrl-C
        or SIGTERM while it is out), it may have been applied: :class:`UnconfirmedWrite`."""
        try:
            answer = self.connection.send(
                "POST",
                self.endpoints.update,
                body=update.encode("utf-8"),
                content_type="application/sparql-update",
                idempotent=False,
            )
        except RequestFailed as failure:
            if not failure.sent:
                raise
            raise self.unconfirmed(failure.problem, what, leaves, hint) from None
        except KeyboardInterrupt as stop:  # Ctrl-C or SIGTERM while the request was out
            terminated = type(stop).__name__ == "Terminated"  # (pledgegraph.cli.Terminated)
            unconfirmed = self.unconfirmed(
                "stopped by SIGTERM" if terminated else "stopped by Ctrl-C", what, leaves, hint
            )
            unconfirmed.exit_code = 143 if terminated else 130  # as shells report a signal
            raise unconfirmed from None
        if answer.status in (502, 504):  # a gateway: the server behind it may have applied it
            raise self.unconfirmed(
                f"the SPARQL server answered HTTP {answer.status}", what, leaves, hint
            )
        self._check(answer, "update")

    def unconfirmed(
        self, problem: str, what: str, leaves: str = WHOLE, hint: str = SEE_WHICH
    ) -> UnconfirmedWrite:
        return UnconfirmedWrite(
            f"{problem}, so {what} may have been applied or not ({leaves})",
            hint=hint,
            where=self.endpoints.base,
        )

    # --- Graph Store HTTP Protocol ---------------------------------------------------------

    def _graph_url(self, graph: str) -> str:
        separator = "&" if "?" in self.endpoints.data else "?"
        return f"{self.endpoints.data}{separator}graph={urllib.parse.quote(graph, safe='')}"

    def get_graph(self, graph: str | None) -> list[ox.Quad]:
        """The quads of ``graph``, or of the default graph (none if the server has no such graph)."""
        if graph is None:
            separator = "&" if "?" in self.endpoints.data else "?"
            url = f"{self.endpoints.data}{separator}default"
        else:
            url = self._graph_url(graph)
        answer = self.connection.send("GET", url, accept="application/n-triples", idempotent=True)
        if answer.status == 404:
            return []
        self._check(answer, "graph read")
        format = _GRAPH_TYPES.get(answer.content_type)
        if format is None:
            raise self._garbage(answer, "RDF", None)
        name = ox.NamedNode(graph) if graph is not None else ox.DefaultGraph()
        return [
            ox.Quad(q.subject, q.predicate, q.object, name)
            for q in self._parse_graph(answer, format)
        ]

    def _every_quad(self) -> Iterator[ox.Quad]:
        """Every quad, one Graph Store GET per graph (much faster than one big SELECT)."""
        yield from self.get_graph(None)
        for graph in self._graph_names():
            yield from self.get_graph(graph)

    # --- the rest of QuadStore ---------------------------------------------------------------

    def load(
        self,
        /,
        input: bytes | str | IO[bytes] | IO[str] | None = None,
        format: ox.RdfFormat | None = None,
        *,
        path: str | os.PathLike[str] | None = None,
        base_iri: str | None = None,
        to_graph: GraphName | None = None,
        lenient: bool = False,
    ) -> None:
        """Parse here, add on the server (``INSERT DATA``; atomic per batch of quads)."""
        if path is not None:
            input = Path(path).read_bytes()
        target = to_graph if to_graph is not None else ox.DefaultGraph()
        quads = (
            ox.Quad(q.subject, q.predicate, q.object, target)
            if isinstance(q.graph_name, ox.DefaultGraph)
            else q
            for q in ox.parse(input, format, base_iri=base_iri, lenient=lenient)
        )
        self.extend(quads)

    bulk_load = load

    def extend(self, /, quads: Iterable[ox.Quad]) -> None:
        batch: list[ox.Quad] = []
        for quad in quads:
            batch.append(quad)
            if len(batch) >= _INSERT_BATCH:
                self._insert(batch)
                batch = []
        if batch:
            self._insert(batch)

    def _insert(self, quads: Sequence[ox.Quad]) -> None:
        self.update("INSERT DATA {\n" + _quad_block(quads) + "}")

    def add(self, /, quad: ox.Quad) -> None:
        self._insert([quad])

    def remove(self, /, quad: ox.Quad) -> None:
        if any(isinstance(t, ox.BlankNode) for t in (quad.subject, quad.object)):
            raise StoreError(
                "a remote store cannot delete a triple with a blank node by its label",
                where="remote store",
            )
        self.update("DELETE DATA {\n" + _quad_block([quad]) + "}")

    def add_graph(self, /, graph_name: GraphName) -> None:
        if isinstance(graph_name, ox.DefaultGraph):
            return
        self.update(f"CREATE SILENT GRAPH <{_iri(graph_name, 'graph')}>")

    def remove_graph(self, /, graph_name: GraphName) -> None:
        if isinstance(graph_name, ox.DefaultGraph):
            self.update("CLEAR SILENT DEFAULT")
            return
        self.update(f"DROP SILENT GRAPH <{_iri(graph_name, 'graph')}>")

    def contains_named_graph(self, /, graph_name: GraphName) -> bool:
        if isinstance(graph_name, ox.DefaultGraph):
            return True
        return bool(self.query(f"ASK {{ GRAPH <{_iri(graph_name, 'graph')}> {{ }} }}"))

    def named_graphs(self, /) -> Iterator[ox.NamedNode | ox.BlankNode]:
        rows = self._select(
            f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ }} FILTER(?g != <{STATE_GRAPH}>) }}"
        )
        return iter([g for g in (row["g"] for row in rows) if isinstance(g, ox.NamedNode)])

    def quads_for_pattern(
        self,
        /,
        subject: ox.NamedNode | ox.BlankNode | ox.Triple | None,
        predicate: ox.NamedNode | None,
        object: Term | None,
        graph_name: GraphName | None = None,
    ) -> Iterator[ox.Quad]:
        everything = subject is None and predicate is None and object is None
        if everything and isinstance(graph_name, ox.NamedNode):
            return iter(self.get_graph(graph_name.value))
        if everything and isinstance(graph_name, ox.DefaultGraph):
            return iter(self.get_graph(None))
        if everything:
            return self._every_quad()
        for term in (subject, object, graph_name):
            if isinstance(term, ox.BlankNode):
                raise StoreError(
                    "a remote store cannot look up a blank node by its label",
                    where="remote store",
                )
        s = _nt(subject) if subject is not None else "?s"
        p = _nt(predicate) if predicate is not None else "?p"
        o = _nt(object) if object is not None else "?o"
        pattern = f"{s} {p} {o}"
        if isinstance(graph_name, ox.DefaultGraph):
            where = f"{{ {pattern} }}"
        elif isinstance(graph_name, ox.NamedNode):
            where = f"GRAPH <{graph_name.value}> {{ {pattern} }} BIND(<{graph_name.value}> AS ?g)"
        else:
            where = (
                f"{{ {pattern} }} UNION {{ GRAPH ?g {{ {pattern} }} "
                f"FILTER(?g != <{STATE_GRAPH}>) }}"
            )
        rows = self._select(f"SELECT ?s ?p ?o ?g WHERE {{ {where} }}")
        found = []
        for row in rows:
            found.append(
                ox.Quad(
                    subject if subject is not None else row["s"],
                    predicate if predicate is not None else row["p"],
                    object if object is not None else row["o"],
                    row["g"] if row["g"] is not None else ox.DefaultGraph(),
                )
            )
        return iter(found)

    def flush(self, /) -> None:
        """Nothing to do: the server makes every request durable itself."""

    def optimize(self, /) -> None:
        """Nothing to do: the server keeps its own files."""

    def __len__(self, /) -> int:
        """Quads, but for pledgegraph's state and working graphs (hidden, as on the embedded
        store, where no other command can count while a reasoning run has them)."""
        total = self._count(
            f"{{ ?s ?p ?o }} UNION {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{STATE_GRAPH}>) }}"
        )
        for graph in self._graph_names():
            if graph.startswith(STAGING_GRAPH):
                total -= self._count(f"GRAPH <{graph}> {{ ?s ?p ?o }}")
        return total

    def _count(self, pattern: str) -> int:
        term = next(iter(self._select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")))["n"]
        return int(term.value) if isinstance(term, ox.Literal) else 0

    def __iter__(self, /) -> Iterator[ox.Quad]:
        return self.quads_for_pattern(None, None, None, None)


def _prologue(base_iri: str | None, prefixes: dict[str, str] | None) -> str:
    lines = [f"BASE <{base_iri}>"] if base_iri else []
    lines += [f"PREFIX {name}: <{iri}>" for name, iri in (prefixes or {}).items()]
    return "\n".join(lines) + "\n" if lines else ""


def _quad_block(quads: Iterable[ox.Quad]) -> str:
    by_graph: dict[str, list[str]] = defaultdict(list)
    for quad in quads:
        key = "" if isinstance(quad.graph_name, ox.DefaultGraph) else _iri(quad.graph_name, "graph")
        by_graph[key].append(f"{_nt(quad.subject)} {_nt(quad.predicate)} {_nt(quad.object)} .")
    parts = []
    for graph, lines in by_graph.items():
        body = "\n".join(lines)
        parts.append(f"GRAPH <{graph}> {{\n{body}\n}}\n" if graph else body + "\n")
    return "".join(parts)


def _detail(answer: _Answer, shift: int = 0) -> str:
    """The first line of a short plain-text error body, if the server sent one."""
    if answer.content_type not in ("text/plain", "") or not answer.body:
        return ""
    lines = answer.body[:300].decode("utf-8", errors="replace").strip().splitlines()
    first = lines[0].strip() if lines else ""
    if shift:
        first = re.sub(
            r"\b(at |line )(\d+)(?=:\d)",
            lambda m: f"{m.group(1)}{max(int(m.group(2)) - shift, 1)}",
            first,
        )
    return f" ({first})" if first else ""


def _as_query_triples(quads: list[ox.Quad]) -> ox.QueryTriples:
    """Triples as pyoxigraph's ``QueryTriples`` (what the embedded store returns for CONSTRUCT)."""
    scratch = ox.Store()
    scratch.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads)
    result = scratch.query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert isinstance(result, ox.QueryTriples)
    return result


class RemoteStore(Store):
    """The pledgegraph store on a SPARQL server: the same rules, written with the protocols.

    Differences from the embedded store (README, "Remote store"): no lock (several users at
    once; the last write of a source wins), no journal or pending record (each write is one
    update request, applied whole by the server), no backup/restore (use the server's), and
    blank nodes cannot be looked up by label.
    """

    inner: RemoteDataset

    def __init__(self, dataset: RemoteDataset) -> None:
        super().__init__(dataset, None)
        self.url = dataset.endpoints.base
        self._written: list[str] = []  # source graphs written by the load in progress

    @classmethod
    def connect(cls, url: str, *, initialise: bool = True) -> RemoteStore:
        """Connect to the server at ``url``; fill it like a new store if it has no ontology."""
        store = cls(RemoteDataset(Connection(Endpoints.from_url(url))))
        store.recover()
        if initialise and not store.is_initialised():
            store.initialise()
        return store

    @property
    def location(self) -> str:
        return self.url

    def close(self) -> None:
        """Nothing to flush or unlock: the server owns durability."""

    def recover(self, *, filling: bool = False) -> list[str]:
        """Finish what a load killed after its write left: the links of its regions and the
        summary rows of an RDF file, both derived from the graphs written (nothing is half
        written: every write is one update request, whole or absent), and the steps the write
        recorded with it (``follow``: shared nodes no source names any more …). Returns no
        graphs."""
        follow = self.state().get("follow")
        if isinstance(follow, dict):
            self._run_follow(follow)
            self.set_state(follow=None)
            self.notes.append(
                "Note: the last write reached the server but was cut off before it finished "
                "(unused shared nodes, alternative names, rows); finished now"
            )
        rows = self.inner._select(
            f"SELECT ?g WHERE {{ GRAPH <{STATE_GRAPH}> {{ ?g <{_DERIVE}> true }} }}"
        )
        pending = sorted(g.value for g in (row["g"] for row in rows) if isinstance(g, ox.NamedNode))
        if not pending:
            return []
        graphs = [g for g in pending if self.has_graph(g)]
        if graphs:
            from pledgegraph.graph.linking.links import link_regions

            values = " ".join(f"<{g}>" for g in graphs)
            rows = self.inner._select(
                f"SELECT DISTINCT ?r WHERE {{ VALUES ?g {{ {values} }} "
                f"GRAPH ?g {{ ?p <{PLEDGE}region> ?r }} }}"
            )
            prefix = ID + "region/"
            keys = sorted(
                r.value[len(prefix) :]
                for r in (row["r"] for row in rows)
                if isinstance(r, ox.NamedNode) and r.value.startswith(prefix)
            )
            link_regions(self, keys)
            self._add_rows(graphs)
        self._settle_notes(pending)
        return []

    def _settle_write(self) -> None:
        with _after_the_write():
            super()._settle_write()

    def _settle(self, graphs: Sequence[str]) -> None:
        with _after_the_write():
            self._settle_notes(graphs)

    def _settle_notes(self, graphs: Sequence[str]) -> None:
        """Take ``graphs`` off the notes of graphs whose derived data is not written yet
        (one triple each in the state graph, so that writers at once do not lose them)."""
        if graphs:
            notes = " ".join(f"<{g}> <{_DERIVE}> true ." for g in dict.fromkeys(graphs))
            with self.inner.writing(
                "the removal of the note that the write's region links and summary rows are due",
                leaves="the write itself was applied; a note left makes the next command add "
                "them again",
                hint="run 'pledgegraph stats' to finish",
            ):
                self.inner.update(f"DELETE DATA {{ GRAPH <{STATE_GRAPH}> {{ {notes} }} }}")

    def _has_all(self, quads: Sequence[ox.Quad]) -> bool:
        """One ASK for all of them (a request for each would cost more than the update that
        replaces a source)."""
        if not quads:
            return True
        patterns = " ".join(
            f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}" for q in quads
        )
        answer = self.inner.query(f"ASK {{ {patterns} }}")
        return bool(answer) if isinstance(answer, ox.QueryBoolean) else False

    def load_factsheet(
        self,
        sheet: object,
        *,
        text: str | None = None,
        extraction: object = None,
        replace: bool = False,
    ) -> LoadReport:
        start = len(self._written)  # (load_factsheets calls load_factsheet)
        report = super().load_factsheet(sheet, text=text, extraction=extraction, replace=replace)
        self._settle(self._written[start:])
        del self._written[start:]
        return report

    def load_factsheets(
        self,
        sheets: Sequence[object],
        *,
        replace: bool = False,
        nquads: Sequence[bytes] | None = None,
        counts: Sequence[int] | None = None,
        references: Sequence[Sequence[str]] | None = None,
    ) -> list[LoadReport]:
        start = len(self._written)  # (load_factsheets calls load_factsheet)
        reports = super().load_factsheets(
            sheets, replace=replace, nquads=nquads, counts=counts, references=references
        )
        self._settle(self._written[start:])
        del self._written[start:]
        return reports

    def load_rdf(
        self,
        path: str,
        *,
        format: str | None = None,
        graph: str | None = None,
        data: bytes | None = None,
        replace: bool = False,
    ) -> LoadReport:
        start = len(self._written)  # (load_factsheets calls load_factsheet)
        report = super().load_rdf(path, format=format, graph=graph, data=data, replace=replace)
        self._settle(self._written[start:])
        del self._written[start:]
        return report

    def backup(self, directory: str | Path) -> Path:
        raise StoreError(
            "a remote store is backed up by its server, not by pledgegraph",
            hint="use the server's backup tool, or 'pledgegraph export -f nquads'",
            where=self.url,
        )

    # --- state, on the server ----------------------------------------------------------------

    def state(self) -> dict[str, object]:
        rows = self.inner._select(
            f"SELECT ?v WHERE {{ GRAPH <{STATE_GRAPH}> {{ <{STATE_GRAPH}> <{_STATE_PREDICATE}> ?v }} }}"
        )
        for row in rows:
            term = row["v"]
            try:
                value = json.loads(term.value) if isinstance(term, ox.Literal) else None
            except ValueError:
                value = None
            if isinstance(value, dict):
                return value
        return {}

    def set_state(self, **values: object) -> None:
        current = self.state()
        current.update(values)
        with self.inner.writing(f"the update of pledgegraph's state <{STATE_GRAPH}>", outer=True):
            self.inner.update(
                f"{_STATE_DELETE} ;\n"
                f"INSERT DATA {{ GRAPH <{STATE_GRAPH}> {{ {_state_triple(current)} }} }}"
            )

    # --- writing: one SPARQL update per write ------------------------------------------------

    def initialise(self) -> None:
        """Fill a new server: the bundled sources first, the ontology last.

        :meth:`is_initialised` looks for the ontology graph, so a first use cut off part-way
        (a client killed, a server error) is not taken for a filled store: the next command
        fills it again, replacing the bundled sources already written (each write is whole).
        """
        from pledgegraph.loaders.bundled import bundled_factsheets

        self.load_factsheets(list(bundled_factsheets()))
        self.load_ontology()

    def remove_source(self, graph: str) -> bool:
        """As on the embedded store, in one update (the graph, its owners note, the stale mark)."""
        if not graph.startswith((SOURCE_GRAPH, FILE_GRAPH)):
            return super().remove_source(graph)  # (refused there: one of pledgegraph's graphs)
        if not self.has_graph(graph):
            return False
        self._write([], b"", "nquads", None, f"remove {graph}", drop=[graph])
        return True

    def _write(
        self,
        graphs: list[str],
        data: bytes | _Batches,
        fmt: str,
        to_graph: str | None,
        where: str,
        *,
        reference: bytes = b"",
        owners: dict[str, str] | None = None,
        drop: Sequence[str] = (),
    ) -> None:
        """Make each of ``graphs`` hold exactly its part of ``data``, in one update request.

        The data is parsed here first, so input that does not parse changes nothing. Then one
        SPARQL update carries the whole write: ``DROP`` of the graphs it replaces or removes
        (``graphs`` and ``drop``), ``INSERT DATA`` of the new graphs with their shared
        reference quads (regions, deadlines, publishers), and the new state (which file owns
        which graph; the inferred graph out of date). The server applies one request whole or
        not at all (SPARQL 1.1 Update asks services to; Oxigraph runs it as one transaction),
        so every reader, and the next command, sees the old version or the new one: there is
        nothing to finish or undo afterwards, and no pending record.
        """
        bodies: dict[str, list[str]] = {graph: [] for graph in graphs}
        pieces = [data] if isinstance(data, bytes) else data
        try:
            for quad in (
                quad
                for piece in pieces
                for quad in ox.parse(piece, RDF_FORMATS[fmt], base_iri=_base_iri(where))
            ):
                name = quad.graph_name
                default = isinstance(name, ox.DefaultGraph)
                graph = (to_graph or "") if default else _iri(name, "graph")
                if graph not in bodies:
                    raise StoreError(
                        f"data for the unexpected graph {graph or '(default)'}",
                        where=where,
                    )  # pragma: no cover - the callers name every graph of the data
                bodies[graph].append(f"{quad.subject} {quad.predicate} {quad.object} .\n")
        except SyntaxError as exc:
            raise RdfSyntaxError(
                _syntax_message(exc),
                hint="fix the file and load it again",
                path=where,
                line=exc.lineno,
            ) from None
        current = self.state()
        state = self._state_after(current, drop, owners)
        self._follow_recorded = "follow" in state and state.get("follow") != current.get("follow")
        sources = [g for g in graphs if g != ONTOLOGY_GRAPH]
        self._written.extend(sources)  # derived data (links, rows) follows: see recover()
        for chunk, first in _chunks(graphs, bodies, fresh=not drop and not owners):
            operations = [f"DROP SILENT GRAPH <{g}>" for g in dict.fromkeys([*drop, *chunk])]
            operations += [f"CREATE SILENT GRAPH <{graph}>" for graph in chunk]
            # One INSERT DATA for everything: a blank-node label means one node in it (as in
            # the file), and SPARQL forbids one label in two INSERT DATA operations of a request.
            blocks = [f"GRAPH <{g}> {{\n{''.join(bodies[g])}}}\n" for g in chunk if bodies[g]]
            if reference and first:
                blocks.append(f"GRAPH <{REFERENCE_GRAPH}> {{\n{_triples_of(reference)}\n}}\n")
            notes = [f"<{g}> <{_DERIVE}> true ." for g in chunk if g in sources]
            if state != current and first:
                operations.append(_STATE_DELETE)
                notes.append(_state_triple(state))
            if notes:
                blocks.append(f"GRAPH <{STATE_GRAPH}> {{ {' '.join(notes)} }}\n")
            if blocks:
                operations.append("INSERT DATA {\n" + "".join(blocks) + "}")
            if chunk:
                what = f"the write of <{chunk[0]}>"
                what += f" and {len(chunk) - 1} more graphs" if len(chunk) > 1 else ""
            else:
                what = f"the removal of <{drop[0]}>" if drop else f"the write of {where}"
                what += f" and {len(drop) - 1} more graphs" if len(drop) > 1 else ""
            self._apply(" ;\n".join(operations), what)

    def _state_after(
        self, current: dict[str, object], drop: Sequence[str], owners: dict[str, str] | None
    ) -> dict[str, object]:
        """The state once a write is done: owners notes of removed graphs (or of graphs owned
        by a removed source) gone, the new ones added, and so for the note of who loaded a
        file source; the inferred graph marked out of date."""
        state = dict(current)
        known = current.get("owners")
        gone = set(drop)
        kept = {
            str(g): str(o)
            for g, o in (known.items() if isinstance(known, dict) else ())
            if g not in gone and o not in gone
        }
        kept.update(owners or {})
        if kept or "owners" in state:
            state["owners"] = kept
        # Who loaded each file source (Store.check_rdf), written with the source's data.
        loaders = current.get(LOADED_FROM)
        known_loaders = {
            str(g): str(p)
            for g, p in (loaders.items() if isinstance(loaders, dict) else ())
            if g not in gone
        }
        loader = recorded_loader(self._follow, owners)
        if loader is not None:
            known_loaders[loader[0]] = loader[1]
        if known_loaders or LOADED_FROM in state:
            state[LOADED_FROM] = known_loaders
        # Which sheet file wrote each fact sheet's source (Store._check_source_key).
        files = current.get(SHEET_FILES)
        known_files = {
            str(g): str(f)
            for g, f in (files.items() if isinstance(files, dict) else ())
            if g not in gone
        }
        known_files.update(sheet_files(self._follow))
        known_files = {g: f for g, f in known_files.items() if f}
        if known_files or SHEET_FILES in state:
            state[SHEET_FILES] = known_files
        state.pop("pending", None)  # (the embedded store's record; a server never needs one)
        # What is left to do after the write (shared nodes no source names any more, alternative
        # names, inferred orphans, other sources' rows) rides in the same request, so a client
        # killed, or an answer lost, before those steps leaves them to the next command
        # (recover), as the embedded store's commit record does. (Links and the write's own
        # rows have their _DERIVE notes.)
        follow = {k: v for k, v in (self._follow or {}).items() if k not in _NOTED and v}
        if follow:
            state["follow"] = _merged(current.get("follow"), follow)
        if self.has_graph(INFERRED_GRAPH):
            state["inferred_stale"] = True
        return state

    def _apply(self, update: str, what: str) -> None:
        """Send one write (``what``: "the write of <graph>", for messages). Without an answer
        saying it failed, it may have been applied."""
        self.inner.send_update(update, what)


#: Steps of a write's follow record that the remote store keeps no record of: the links and
#: rows of the graphs written have their _DERIVE notes, and the loader is part of the state.
_NOTED = frozenset({"link", "rows", LOADED_FROM, SHEET_FILES})


@contextlib.contextmanager
def _after_the_write() -> Iterator[None]:
    """A failure after the server applied a write (of what follows it: summary rows, links,
    the notes that they are due) says that the write itself is in, and what finishes the rest
    (an attack: a server stopped right after a load's write got "cannot connect", as if
    nothing had been written)."""
    try:
        yield
    except UnconfirmedWrite:
        raise
    except StoreError as exc:
        raise StoreError(
            exc.problem,
            hint=f"{exc.hint}. The write itself was applied; what follows it (summary rows, "
            "links) is finished by the next pledgegraph command that reaches the server",
            where=exc.where,
        ) from None


def _merged(old: object, new: Mapping[str, object]) -> dict[str, object]:
    """Another client's follow record not finished yet, with this write's: each step's items
    together (every step is idempotent)."""
    merged: dict[str, object] = dict(old) if isinstance(old, dict) else {}
    for name, items in new.items():
        before = merged.get(name)
        if isinstance(before, list) and isinstance(items, list):
            merged[name] = sorted({*map(str, before), *map(str, items)})
        else:
            merged[name] = items
    return merged


def _chunks(
    graphs: list[str], bodies: dict[str, list[str]], *, fresh: bool
) -> Iterator[tuple[list[str], bool]]:
    """The graphs of a write in the groups sent as one update each, and whether a group is the
    first (which carries the removals, the reference quads and the state).

    One group, unless a batch of new sources (``fresh``: nothing dropped, no owners note) is
    bigger than :data:`UPDATE_LIMIT`: then groups of whole sources, so that no request passes
    a server's size limit. Each source is still whole or absent; the reference quads of the
    whole batch go with the first group, so a source never lacks its own.
    """
    if not fresh or len(graphs) < 2:
        yield graphs, True
        return
    group: list[str] = []
    size = 0
    first = True
    for graph in graphs:
        length = sum(len(line) for line in bodies[graph])
        if group and size + length > UPDATE_LIMIT:
            yield group, first
            group, size, first = [], 0, False
        group.append(graph)
        size += length
    yield group, first


def _state_triple(state: dict[str, object]) -> str:
    text = ox.Literal(json.dumps(state, sort_keys=True))
    return f"<{STATE_GRAPH}> <{_STATE_PREDICATE}> {text} ."
