"""A small SPARQL-protocol client on the standard library (urllib), with a real deadline.

Used by reconciliation (:mod:`pledgegraph.graph.linking.reconcile`) and by the ``SERVICE`` relay
(:mod:`pledgegraph.graph.linking.federation`). Nothing here runs unless the user names an endpoint.

Every request is bounded three ways:

- **time**: ``timeout`` bounds the whole exchange (connecting, the headers, the body), not each
  read: a watchdog shuts the socket down at the deadline, so a server that sends one byte a
  second cannot keep a request alive for minutes (name resolution is the one step it cannot
  interrupt);
- **size**: an answer larger than ``PLEDGEGRAPH_MAX_RESPONSE_MB`` (default 64 MB) is refused
  as soon as its ``Content-Length`` or the bytes read pass the limit;
- **redirects**: at most three, and only to the same host (``http`` may become ``https``); a
  redirect to another host is an error, never followed.
"""

from __future__ import annotations

import contextlib
import http.client
import math
import os
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pledgegraph._version import __version__
from pledgegraph.errors import InputError, StoreError, printable
from pledgegraph.limits import ENV_MAX_RESPONSE_MB, max_response_bytes, size_text

if TYPE_CHECKING:
    import pyoxigraph as ox

RESULTS_JSON = "application/sparql-results+json"
USER_AGENT = f"pledgegraph/{__version__} (https://w3id.org/pledgegraph; SPARQL client)"
#: Queries up to this many bytes (URL-encoded) go by GET, longer ones by POST.
_GET_LIMIT = 2000
_CHUNK = 1 << 16
MAX_REDIRECTS = 3
#: The longest wait in seconds (a week); a larger timeout means this one.
MAX_WAIT = 7 * 24 * 3600.0


class HttpFailure(Exception):
    """The endpoint could not be reached, did not answer in time, or answered too much."""

    def __init__(self, problem: str, hint: str, *, timed_out: bool = False) -> None:
        super().__init__(problem)
        self.problem = problem
        self.hint = hint
        self.timed_out = timed_out


def check_endpoint(url: str, *, where: str = "--endpoint") -> str:
    """``url`` if it is an absolute http(s) URL, else an :class:`InputError`."""
    text = url.strip()
    try:
        parts = urllib.parse.urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a bad port
        valid = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        valid = False
    if not valid or any(c.isspace() or ord(c) < 0x20 for c in text):
        raise InputError(
            f"{printable(repr(url))} is not an http(s) URL",
            hint="give the endpoint's full URL, such as https://query.wikidata.org/sparql",
            where=where,
        )
    return text


class Watchdog:
    """Shuts down the sockets of one request when its deadline passes."""

    def __init__(self, timeout: float) -> None:
        self.deadline = time.monotonic() + timeout
        self.fired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(timeout, self._fire)
        self._timer.daemon = True

    def __enter__(self) -> Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            sock.close()

    def connect(self, *args: Any, **kwargs: Any) -> socket.socket:
        """``socket.create_connection`` whose connection the deadline can cut at once.

        The watchdog keeps a duplicate of the socket's descriptor: shutting that down ends the
        connection for every descriptor, so a TLS handshake (whose socket object replaces the
        plain one) or a header dribbled a byte a second is cut too.
        """
        sock = socket.create_connection(*args, **kwargs)
        twin = socket.socket(fileno=os.dup(sock.fileno()))
        with self._lock:
            self._sockets.append(twin)
            fired = self.fired
        if fired:
            _shut(twin)
        return sock

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


def watched_opener(
    watchdog: Watchdog, origin: urllib.parse.SplitResult | None
) -> urllib.request.OpenerDirector:
    """A urllib opener whose connections the watchdog can cut.

    It follows redirects to the host of ``origin`` (at most :data:`MAX_REDIRECTS`); with no
    ``origin`` it follows none (a 3xx answer is returned as it is, as an ``HTTPError``). The
    remote store uses it that way, so its credentials never travel to another address.
    """

    class Watched(http.client.HTTPConnection):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._create_connection = watchdog.connect

    class WatchedTls(http.client.HTTPSConnection):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._create_connection = watchdog.connect

    class Plain(urllib.request.HTTPHandler):
        def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(Watched, req)

    class Tls(urllib.request.HTTPSHandler):
        def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(WatchedTls, req, context=self._context)  # type: ignore[attr-defined]

    class SameHost(urllib.request.HTTPRedirectHandler):
        max_redirections = max_repeats = MAX_REDIRECTS

        def redirect_request(
            self,
            req: urllib.request.Request,
            fp: Any,
            code: int,
            msg: str,
            headers: Any,
            newurl: str,
        ) -> urllib.request.Request | None:
            if origin is None:
                return None
            target = urllib.parse.urlsplit(urllib.parse.urljoin(req.full_url, newurl))
            if not _same_host(origin, target):
                raise HttpFailure(
                    f"the endpoint redirects to another host ({printable(target.geturl())})",
                    "use the URL it redirects to, if you trust that host",
                )
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    return urllib.request.build_opener(Plain, Tls, SameHost)


def _same_host(origin: urllib.parse.SplitResult, target: urllib.parse.SplitResult) -> bool:
    try:
        if (target.hostname or "").lower() != (origin.hostname or "").lower():
            return False
        if target.scheme == origin.scheme:
            return target.port == origin.port
        # an upgrade to https on the default ports is the same host
        return (origin.scheme, target.scheme) == ("http", "https") and (
            origin.port in (None, 80) and target.port in (None, 443)
        )
    except ValueError:
        return False


def forward(
    url: str,
    *,
    method: str = "GET",
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float,
    timeout_option: str = "--timeout",
    max_bytes: int | None = None,
) -> tuple[int, str | None, bytes]:
    """One HTTP request: ``(status, content type, body)``; the whole answer within ``timeout``.

    ``timeout_option`` is the option that set ``timeout`` in the command that runs (``link``'s
    ``--timeout``, ``query``'s and ``sparql``'s ``--service-timeout``): the hint of a missed
    deadline names it.

    HTTP error statuses are returned, not raised; a connection failure, a missed deadline, an
    answer larger than ``max_bytes`` (default: ``PLEDGEGRAPH_MAX_RESPONSE_MB``) or a redirect
    to another host raises :class:`HttpFailure`.
    """
    limit = max_response_bytes() if max_bytes is None else max_bytes
    if math.isnan(timeout) or timeout <= 0:
        raise HttpFailure(f"the timeout {timeout!r} is not a positive number", "pass seconds")
    timeout = min(timeout, MAX_WAIT)  # larger values overflow the platform's timers
    try:
        origin = urllib.parse.urlsplit(url)
    except ValueError:
        raise HttpFailure("the URL is malformed", "check the URL") from None
    request = urllib.request.Request(url, data=body, method=method)
    request.add_header("User-Agent", USER_AGENT)
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    late = HttpFailure(
        f"no answer within {timeout:g} s",
        f"try again later or raise {timeout_option}",
        timed_out=True,
    )
    with Watchdog(timeout) as watchdog:
        try:
            try:
                response: Any = watched_opener(watchdog, origin).open(request, timeout=timeout)
            except urllib.error.HTTPError as error:
                response = error
            with response:
                status = int(response.status)
                content_type = response.headers.get("Content-Type")
                data = _read(response, limit, watchdog)
        except HttpFailure:
            raise
        except (OSError, http.client.HTTPException, ValueError) as error:
            if watchdog.fired:
                raise late from None
            reason = error.reason if isinstance(error, urllib.error.URLError) else error
            raise _failure(reason, late) from None
        if watchdog.fired:
            raise late
    return status, content_type, data


def _read(response: Any, limit: int, watchdog: Watchdog) -> bytes:
    too_big = HttpFailure(
        f"the answer is larger than the limit of {size_text(limit)}",
        f"ask for less, or set {ENV_MAX_RESPONSE_MB} to raise the limit",
    )
    declared = response.headers.get("Content-Length")
    if declared is not None and declared.strip().isdigit() and int(declared) > limit:
        raise too_big
    chunks: list[bytes] = []
    size = 0
    reader = getattr(response, "read1", response.read)
    while True:
        chunk = reader(_CHUNK)
        if watchdog.fired:
            raise OSError("deadline")
        if not chunk:
            break
        size += len(chunk)
        if size > limit:
            raise too_big
        chunks.append(chunk)
    return b"".join(chunks)


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
    if isinstance(reason, http.client.HTTPException):
        return HttpFailure(
            f"the endpoint's answer is not valid HTTP ({type(reason).__name__})",
            "check that the URL is a SPARQL endpoint",
        )
    text = getattr(reason, "strerror", None) or str(reason)
    return HttpFailure(f"cannot connect ({printable(str(text))})", "check the URL and the network")


Row = dict[str, "ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple"]


def sparql_select(endpoint: str, query: str, *, timeout: float) -> list[Row]:
    """Run a SELECT query on a remote endpoint (SPARQL 1.1 protocol, JSON results): its rows.

    Every failure is a :class:`StoreError` naming the endpoint: down, too slow, too large, an
    HTTP error, a redirect to another host, or an answer that is not SPARQL JSON results.
    """
    import pyoxigraph as ox

    encoded = urllib.parse.urlencode({"query": query})
    headers = {"Accept": RESULTS_JSON}
    where = printable(endpoint)
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
        raise StoreError(failure.problem, hint=failure.hint, where=where) from None
    if status >= 400:
        hint = (
            "check the URL: it must be the endpoint's query URL"
            if status in (404, 405, 406)
            else "check the endpoint and try again later"
        )
        raise StoreError(f"the endpoint answered HTTP {status}", hint=hint, where=where)
    try:
        parsed = ox.parse_query_results(data, ox.QueryResultsFormat.JSON)
        if not isinstance(parsed, ox.QuerySolutions):
            raise SyntaxError("a boolean, not solutions")
        return rows(parsed)  # parsing is lazy: errors surface while reading the rows
    except (SyntaxError, ValueError, UnicodeDecodeError, MemoryError) as exc:
        kind = (content_type or "no content type").split(";")[0]
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise StoreError(
            f"the answer ({printable(kind)}) is not SPARQL JSON results: {printable(detail)}",
            hint="check that the URL is a SPARQL endpoint",
            where=where,
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
