"""A small SPARQL-protocol client on the standard library (urllib), with a real deadline.

Used by reconciliation (:mod:`pledgegraph.graph.linking.reconcile`) and by the ``SERVICE`` relay
(:mod:`pledgegraph.graph.linking.federation`). Nothing here runs unless the user names an endpoint.
"""

from __future__ import annotations

import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from typing import TYPE_CHECKING

from pledgegraph._version import __version__
from pledgegraph.errors import InputError, StoreError

if TYPE_CHECKING:
    import pyoxigraph as ox

RESULTS_JSON = "application/sparql-results+json"
USER_AGENT = f"pledgegraph/{__version__} (https://w3id.org/pledgegraph; SPARQL client)"
#: Queries up to this many bytes (URL-encoded) go by GET, longer ones by POST.
_GET_LIMIT = 2000
_CHUNK = 1 << 16


class HttpFailure(Exception):
    """The endpoint could not be reached or did not answer in time."""

    def __init__(self, problem: str, hint: str, *, timed_out: bool = False) -> None:
        super().__init__(problem)
        self.problem = problem
        self.hint = hint
        self.timed_out = timed_out


def check_endpoint(url: str, *, where: str = "--endpoint") -> str:
    """``url`` if it is an absolute http(s) URL, else an :class:`InputError`."""
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(
            f"{url!r} is not an http(s) URL",
            hint="give the endpoint's full URL, such as https://query.wikidata.org/sparql",
            where=where,
        )
    return url.strip()


def forward(
    url: str,
    *,
    method: str = "GET",
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float,
) -> tuple[int, str | None, bytes]:
    """One HTTP request: ``(status, content type, body)``; the whole answer within ``timeout``.

    HTTP error statuses are returned, not raised; a connection failure or a missed deadline
    raises :class:`HttpFailure`.
    """
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(url, data=body, method=method)
    request.add_header("User-Agent", USER_AGENT)
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    late = HttpFailure(
        f"no answer within {timeout:g} s", "try again later or raise --timeout", timed_out=True
    )
    try:
        try:
            response = urllib.request.urlopen(request, timeout=timeout)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            chunks = []
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise late
                _set_timeout(response, remaining)
                chunk = response.read(_CHUNK)
                if not chunk:
                    break
                chunks.append(chunk)
            status = int(response.status)
            content_type = response.headers.get("Content-Type")
    except HttpFailure:
        raise
    except TimeoutError:
        raise late from None
    except urllib.error.URLError as error:
        raise _failure(error.reason, late) from None
    except OSError as error:
        raise _failure(error, late) from None
    return status, content_type, b"".join(chunks)


def _set_timeout(response: object, seconds: float) -> None:
    """Shorten the socket timeout of an open response to the time left (best effort)."""
    fp = getattr(response, "fp", None)
    raw = getattr(fp, "raw", None)
    sock = getattr(raw, "_sock", None)
    if isinstance(sock, socket.socket):
        sock.settimeout(max(seconds, 0.001))


def _failure(reason: object, late: HttpFailure) -> HttpFailure:
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return late
    if isinstance(reason, socket.gaierror):
        return HttpFailure("unknown host", "check the URL")
    if isinstance(reason, ConnectionRefusedError):
        return HttpFailure(
            "cannot connect (connection refused)",
            "check that the endpoint is running and the URL is right",
        )
    text = getattr(reason, "strerror", None) or str(reason)
    return HttpFailure(f"cannot connect ({text})", "check the URL and the network")


Row = dict[str, "ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple"]


def sparql_select(endpoint: str, query: str, *, timeout: float) -> list[Row]:
    """Run a SELECT query on a remote endpoint (SPARQL 1.1 protocol, JSON results): its rows.

    Every failure is a :class:`StoreError` naming the endpoint: down, too slow, an HTTP error,
    or an answer that is not SPARQL JSON results.
    """
    import pyoxigraph as ox

    encoded = urllib.parse.urlencode({"query": query})
    headers = {"Accept": RESULTS_JSON}
    try:
        if len(encoded) <= _GET_LIMIT:
            separator = "&" if urllib.parse.urlsplit(endpoint).query else "?"
            status, content_type, data = forward(
                endpoint + separator + encoded, headers=headers, timeout=timeout
            )
        else:
            status, content_type, data = forward(
                endpoint,
                method="POST",
                body=encoded.encode("ascii"),
                headers={**headers, "Content-Type": "application/x-www-form-urlencoded"},
                timeout=timeout,
            )
    except HttpFailure as failure:
        raise StoreError(failure.problem, hint=failure.hint, where=endpoint) from None
    if status >= 400:
        hint = (
            "check the URL: it must be the endpoint's query URL"
            if status in (404, 405, 406)
            else "check the endpoint and try again later"
        )
        raise StoreError(f"the endpoint answered HTTP {status}", hint=hint, where=endpoint)
    try:
        parsed = ox.parse_query_results(data, ox.QueryResultsFormat.JSON)
        if not isinstance(parsed, ox.QuerySolutions):
            raise SyntaxError("a boolean, not solutions")
        return rows(parsed)  # parsing is lazy: errors surface while reading the rows
    except (SyntaxError, ValueError, UnicodeDecodeError) as exc:
        kind = (content_type or "no content type").split(";")[0]
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise StoreError(
            f"the answer ({kind}) is not SPARQL JSON results: {detail}",
            hint="check that the URL is a SPARQL endpoint",
            where=endpoint,
        ) from None


def rows(results: ox.QuerySolutions) -> list[Row]:
    """The solutions of a result set as ``{variable: term}`` (unbound variables left out)."""
    names = [v.value for v in results.variables]
    found: list[Row] = []
    for solution in results:
        row: Row = {}
        for name in names:
            term = solution[name]
            if term is not None:
                row[name] = term
        found.append(row)
    return found
