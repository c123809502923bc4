"""The request's URL and form bodies, read strictly: length, percent-escapes, repeated names.

Starlette (and :func:`urllib.parse.parse_qsl` under it) reads a query string leniently: ``%zz``
and a cut-off ``%4`` stay as they are, and escapes that do not decode to UTF-8 (``%ff``)
become U+FFFD, so a client's broken URL would be run as some other query. Here a query string
or a form body is refused instead (400, naming what is wrong), before any handler reads it:

- every ``%`` starts an escape of two hex digits, and the escapes decode to UTF-8 text;
- a parameter that takes one value is given once (the SPARQL 1.1 Protocol calls a request
  with two queries invalid; two ``format`` values would leave one unused); only
  ``default-graph-uri`` and ``named-graph-uri``, lists by the protocol, and the stored
  questions' own parameters (refused when repeated by :func:`pledgegraph.queries.values_once`,
  with the CLI's message) may repeat here;
- the URL is at most :data:`MAX_URL_BYTES` long (414 otherwise, pointing to POST).

A URL longer than uvicorn's parser can take (httptools reads at most 65 535 bytes of it) never
reaches the app: :class:`UrlLimitedProtocol` answers it with the same 414 instead of uvicorn's
"Invalid HTTP request received." (see docs/server.md, "Bad requests").
"""

from __future__ import annotations

import asyncio
import functools
import re
from collections.abc import Callable
from typing import Any, cast
from urllib.parse import parse_qsl

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from pledgegraph.errors import printable
from pledgegraph.server.core import HttpError

#: The longest URL (path and query string, as sent) the app answers; longer ones get a 414.
#: Below the 65 535 bytes httptools can parse, so the answer is the app's (negotiated, JSON
#: under /api); past that :class:`UrlLimitedProtocol` gives the same message as plain text.
MAX_URL_BYTES = 32_768
#: What httptools' URL parser reads at most (``http_parser_parse_url`` keeps 16-bit offsets).
PARSER_URL_BYTES = 65_535
#: Parameters that may be given more than once (lists in the SPARQL 1.1 Protocol).
REPEATABLE = frozenset({"default-graph-uri", "named-graph-uri"})
#: Parameters of our own routes that take one value (a stored question's may not be here).
SINGLE = frozenset({"query", "update", "inferred", "graph", "lenient", "replace", "source"})

_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


def too_long(size: int) -> str:
    """The 414 message for a URL of ``size`` bytes (or more)."""
    return (
        f"URL: the request URL has {size} bytes, more than the {MAX_URL_BYTES} this server "
        "reads; send a long query with POST /sparql (Content-Type application/sparql-query, "
        "or a form)"
    )


def pairs_of(text: str, *, where: str) -> list[tuple[str, str]]:
    """The ``name=value`` pairs of a query string or form body; 400 for a broken escape."""
    if "%" in text:
        bad = _BAD_ESCAPE.search(text)
        if bad is not None:
            escape = printable(text[bad.start() : bad.start() + 3])
            raise HttpError(
                400,
                f"{where}: {escape!r} is not a percent-escape (a % and two hex digits); write "
                "a % itself as %25",
            )
        try:
            return parse_qsl(text, keep_blank_values=True, errors="strict")
        except UnicodeDecodeError:
            raise HttpError(
                400,
                f"{where}: the percent-escapes do not decode to UTF-8 text; percent-encode "
                "the UTF-8 bytes of each character (é is %C3%A9)",
            ) from None
    return parse_qsl(text, keep_blank_values=True)


def check_once(pairs: list[tuple[str, str]], *, also: frozenset[str] = frozenset()) -> None:
    """400 when a one-value parameter is given twice (``also``: names given elsewhere too)."""
    seen = set(also)
    for name, _ in pairs:
        if name in seen and name in SINGLE:
            if name == "query":
                raise HttpError(400, "query: more than one query given; send exactly one")
            raise HttpError(400, f"{name}: given more than once; give it once")
        seen.add(name)


def one_format(pairs: list[tuple[str, str]]) -> list[tuple[str, str]] | None:
    """``pairs`` with repeated ``format`` values made one, or ``None`` if not repeated.

    SPARQLWrapper sends ``format`` twice (``format=json-ld&format=application/ld+json,…``;
    also as ``output`` and ``results``): the first value this server knows is kept (a name,
    or media types it serves), else the first.
    """
    from pledgegraph.server.negotiation import FORMAT_ALIASES, RDF_TYPES, RESULT_TYPES, acceptable

    values = [value for name, value in pairs if name == "format"]
    if len(values) < 2:
        return None
    names = {**{n: n for n in (*RESULT_TYPES, *RDF_TYPES)}, **FORMAT_ALIASES}

    def known(value: str) -> str | None:
        if value in names:
            return names[value]
        if "/" in value:
            return acceptable(value, RESULT_TYPES) or acceptable(value, RDF_TYPES)
        return None

    chosen = next((k for k in map(known, values) if k), values[0])
    kept = [(name, value) for name, value in pairs if name != "format"]
    return [*kept, ("format", chosen)]


def read_target(scope: Any) -> list[tuple[str, str]]:
    """The checked query-string pairs of an HTTP request's ``scope`` (or an HttpError)."""
    raw: bytes = scope["query_string"]
    size = len(scope.get("raw_path") or b"") + len(raw) + (1 if raw else 0)
    if size > MAX_URL_BYTES:
        raise HttpError(414, too_long(size))
    if not raw:
        return []
    pairs, rewritten = _checked(raw) if len(raw) <= CHECKED_BYTES else _check(raw)
    if rewritten is not None:  # what every route then reads
        scope["query_string"] = rewritten
    return list(pairs)


def _check(raw: bytes) -> tuple[tuple[tuple[str, str], ...], bytes | None]:
    """The pairs of query string ``raw``, and ``raw`` rewritten if ``format`` was repeated."""
    pairs = pairs_of(raw.decode("latin-1"), where="URL")  # as starlette decodes it
    if len(pairs) > 1:
        check_once(pairs)
        merged = one_format(pairs)
        if merged is not None:
            from urllib.parse import urlencode

            return tuple(merged), urlencode(merged).encode("ascii")
    return tuple(pairs), None


#: Query strings up to this many bytes have their checked pairs kept (:data:`CHECKED_KEPT` of
#: them, least recently used out first): clients send the same queries again and again, and
#: decoding one took about a twentieth of a point query's time in the HTTP worker.
CHECKED_BYTES = 8192
CHECKED_KEPT = 1024
_checked = functools.lru_cache(maxsize=CHECKED_KEPT)(_check)


class UrlLimitedProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, answering a URL past what it can parse with a 414.

    uvicorn keeps every byte of the URL until the request's head ends, then httptools refuses
    one over 65 535 bytes and uvicorn answers "400 Invalid HTTP request received.". Here the
    URL's bytes past :data:`PARSER_URL_BYTES` are dropped as they come (a 3 MB URL does not
    take 3 MB), the head is read to its end (so the client, done sending, reads the answer
    instead of a reset connection), and the answer is a 414 with the message of
    :func:`too_long`, then the connection is closed, as uvicorn does after a 400.
    """

    _url_size = 0

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._url_size = 0

    def on_url(self, url: bytes) -> None:
        self._url_size += len(url)
        if self._url_size <= PARSER_URL_BYTES:
            super().on_url(url)

    def on_headers_complete(self) -> None:
        if self._url_size > PARSER_URL_BYTES:
            raise _UrlTooLong  # httptools stops; uvicorn calls send_400_response
        super().on_headers_complete()

    def send_400_response(self, msg: str) -> None:
        if self._url_size <= PARSER_URL_BYTES:
            super().send_400_response(msg)
            return
        self._answer_and_close(b"414 URI Too Long", too_long(self._url_size))

    def _answer_and_close(self, status: bytes, message: str) -> None:
        """A plain-text answer written straight to the connection, which is then closed."""
        text = (message + "\n").encode("utf-8")
        head = [b"HTTP/1.1 " + status + b"\r\n"]
        for name, value in self.server_state.default_headers:  # date, server
            head.append(name + b": " + value + b"\r\n")
        head.append(b"content-type: text/plain; charset=utf-8\r\n")
        head.append(b"content-length: " + str(len(text)).encode("ascii") + b"\r\n")
        head.append(b"connection: close\r\n\r\n")
        self.transport.write(b"".join(head) + text)
        self.transport.close()


class _UrlTooLong(Exception):
    pass


#: The scope key under which :class:`WorkerProtocol` gives the app the request's transport (for
#: the watchdog's 503, written from another thread when the event loop is stuck: see
#: :meth:`pledgegraph.server.workers.Runner._inline`).
TRANSPORT = "pledgegraph.transport"

#: Seconds a retiring worker keeps an idle kept-alive connection open for one more request.
LINGER = 1.0


#: Seconds a client has to send a request's head (request line and headers): from the
#: connection's start, or from the first byte of a request that did not come in one piece.
HEAD_TIMEOUT = 10.0


def head_too_slow(seconds: float) -> str:
    """The 408 message for a request whose head did not arrive within ``seconds``."""
    return (
        f"request: the request line and headers did not arrive within {seconds:g} s; send "
        "the request's head at once"
    )


class WorkerProtocol(UrlLimitedProtocol):
    """The HTTP workers' protocol: :class:`UrlLimitedProtocol`, and a gentler retirement.

    When a worker retires (a runaway query), uvicorn closes its idle kept-alive connections at
    once. A client may have sent its next request on one of them at that moment; the request
    is lost and the client reads a reset connection (CI saw "Connection reset by peer" while a
    worker was replaced). Here an idle connection instead stays open up to :data:`LINGER`
    seconds: its next request is answered with ``connection: close``, and the client opens its
    next connection to a worker that stays. A connection that stays idle is closed after that,
    as any kept-alive connection is after uvicorn's keep-alive timeout.

    uvicorn also has no time limit for reading a request's head: a client that connects and
    sends nothing, or half a request line, holds the connection for ever. Here a connection
    must bring a request's head within :attr:`head_timeout` seconds of its start, and a
    request whose head does not come in one piece has that long from its first byte; past
    it, a connection that sent nothing is closed, and one in the middle of a head gets a 408
    and is closed. (Once uvicorn has answered, its keep-alive timeout holds until the next
    request's first byte.) Bodies are not timed.
    """

    _leaving = False
    _in_head = False
    _head_timer: asyncio.TimerHandle | None = None
    head_timeout = HEAD_TIMEOUT

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._head_timer = self.loop.call_later(self.head_timeout, self._head_timed_out)

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_head_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        # A head cut between two reads: time the rest (not armed for a head read at once).
        if self._in_head and self._head_timer is None and not self.transport.is_closing():
            self._head_timer = self.loop.call_later(self.head_timeout, self._head_timed_out)

    def _stop_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self.transport.is_closing():
            return
        if not self._in_head:  # a connection that never sent a byte: close it, as keep-alive
            self.transport.close()
            return
        if self.cycle is not None and not self.cycle.response_complete:
            # The head of a pipelined request: an answer is still being written before it,
            # so no 408 in its middle; the connection closes after that answer instead.
            self.cycle.keep_alive = False
            return
        self._answer_and_close(b"408 Request Timeout", head_too_slow(self.head_timeout))

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._in_head = True
        cast(dict[str, Any], self.scope)[TRANSPORT] = self.transport

    def shutdown(self) -> None:
        if self.cycle is not None and not self.cycle.response_complete:
            self.cycle.keep_alive = False  # answering: uvicorn closes after the response
            return
        self._leaving = True
        if self.timeout_keep_alive_task is not None:
            self.timeout_keep_alive_task.cancel()
        self.timeout_keep_alive_task = self.loop.call_later(LINGER, self.timeout_keep_alive_handler)

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._stop_head_timer()
        before = self.cycle
        super().on_headers_complete()
        if self.cycle is not None and self.cycle is not before:
            joined = _HeadWithBody(self.transport, self.cycle.on_response)
            self.cycle.transport = cast(Any, joined)
            self.cycle.on_response = joined.completed
            if self._leaving:
                self.cycle.keep_alive = False


class _HeadWithBody:
    """The transport one request's answer is written to: the head waits for the body.

    uvicorn writes a response's head when the app sends ``http.response.start`` and its body
    when the app sends the body: two writes, two system calls and, on loopback, two wake-ups
    of the client per answer (a third of a point query's time in the HTTP worker went to
    them). Here the head is held and written with the first part of the body (or alone,
    when the answer ends without one, or the connection is closed). ``100 Continue`` is
    written at once. Everything else is the connection's transport.
    """

    __slots__ = ("_head", "_on_response", "_transport")

    def __init__(self, transport: Any, on_response: Callable[[], None]) -> None:
        self._transport = transport
        self._on_response = on_response
        self._head: bytes | None = None

    def completed(self) -> None:
        """The answer is complete (uvicorn's ``on_response``): write what is held, go on."""
        self.flush()
        self._on_response()

    def write(self, data: bytes) -> None:
        if self._head is not None:
            data, self._head = self._head + data, None
        elif data.startswith(b"HTTP/1.1 ") and data[9:10] != b"1":  # a head, not 1xx
            self._head = data
            return
        self._transport.write(data)

    def flush(self) -> None:
        if self._head is not None:
            head, self._head = self._head, None
            self._transport.write(head)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)
