"""The web application: SPARQL 1.1 Protocol, stored questions as an API, Linked Data, pages.

Every handler parses the request, calls the library (through
:class:`pledgegraph.server.workers.Runner` for anything that runs SPARQL, or through the
supervisor, which holds the store, for writes) and formats the answer. Routes:

- ``/sparql``: the SPARQL 1.1 Protocol (GET ``?query=``, POST form or ``application/sparql-query``;
  ``default-graph-uri``/``named-graph-uri``; ``inferred=false``), a Service Description when
  there is no query; SPARQL Update is refused (403).
- ``/api/{name}``: a stored question with its parameters; ``/api/queries`` lists them;
  ``/api/openapi.json`` documents them; ``/api/store/…``: writes, with ``--write-token`` only.
- ``/id/…``: our IRIs (``https://w3id.org/pledgegraph/id/…``) as Turtle, JSON-LD … or HTML.
- ``/``, ``/questions/{name}``, ``/query``: the HTML pages (see :mod:`pledgegraph.server.pages`).
"""

from __future__ import annotations

import asyncio
import hmac
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from pledgegraph.errors import QueryError
from pledgegraph.server.config import ServerConfig
from pledgegraph.server.core import HttpError, Server, server_of
from pledgegraph.server.negotiation import (
    RDF_TYPES,
    acceptable,
    media_type,
    not_acceptable,
    wants_html,
)
from pledgegraph.server.target import (
    CHECKED_BYTES,
    CHECKED_KEPT,
    TRANSPORT,
    check_once,
    one_format,
    pairs_of,
    read_target,
)
from pledgegraph.server.workers import HOW_TO_LOAD, Job, JobError

if TYPE_CHECKING:
    from pledgegraph.server.supervisor import WriteChannel
    from pledgegraph.server.workers import Runner

READ_ONLY = "update: SPARQL Update is not accepted, this endpoint is read-only; " + HOW_TO_LOAD
_CONTROL = frozenset({"format", "inferred"})


async def body_of(request: Request) -> bytes:
    """The request body, refused with 413 past the size limit (without reading it all)."""
    limit = server_of(request).config.max_body_bytes
    declared = request.headers.get("content-length")
    too_big = HttpError(
        413,
        f"the request body is larger than the server's limit of {limit} bytes; send less, or "
        "start the server with a larger --max-body-bytes",
    )
    if declared and declared.isdigit() and int(declared) > limit:
        raise too_big
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_big
        chunks.append(chunk)
    return b"".join(chunks)


def _utf8(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise HttpError(400, f"{what}: the text is not valid UTF-8; send it as UTF-8") from None


def _media(request: Request) -> tuple[str, str | None]:
    """The request's media type (lower case, no parameters) and its charset, if any."""
    header = request.headers.get("content-type", "")
    fields = [f.strip() for f in header.split(";")]
    charset = None
    for field in fields[1:]:
        name, _, value = field.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return fields[0].lower(), charset


# --- /sparql -------------------------------------------------------------------------------


async def sparql_endpoint(request: Request) -> Response:
    server = server_of(request)
    params = request.query_params
    control: dict[str, str] = {}  # format and inferred given in a form body
    if request.method in ("GET", "HEAD"):  # HEAD: as GET, and uvicorn sends no body
        if "update" in params:
            raise HttpError(
                400,
                "update: SPARQL Update is never sent with GET, and this endpoint is read-only "
                "anyway; " + HOW_TO_LOAD,
            )
        texts = params.getlist("query")
        if not texts:
            return await service_description(request)
        defaults, named = params.getlist("default-graph-uri"), params.getlist("named-graph-uri")
    else:
        media, charset = _media(request)
        body = await body_of(request)
        if media == "application/x-www-form-urlencoded":
            form = pairs_of(_utf8(body, "form"), where="form")
            if any(name == "update" for name, _ in form):
                raise HttpError(403, READ_ONLY)
            check_once(form, also=frozenset(params.keys()))  # in the body, or the URL: once
            form = one_format(form) or form
            texts = [value for name, value in form if name == "query"]
            if not texts:
                raise HttpError(400, "form: no query parameter; send query=<SPARQL> in the form")
            defaults = [v for n, v in form if n == "default-graph-uri"]
            named = [v for n, v in form if n == "named-graph-uri"]
            control = {n: v for n, v in form if n in _CONTROL}
        elif media == "application/sparql-query":
            if charset not in (None, "utf-8", "utf8"):
                raise HttpError(415, f"charset {charset} is not supported; send the query as UTF-8")
            texts = [_utf8(body, "query"), *params.getlist("query")]
            defaults = params.getlist("default-graph-uri")
            named = params.getlist("named-graph-uri")
        elif media == "application/sparql-update":
            raise HttpError(403, READ_ONLY)
        elif not media:
            raise HttpError(
                400,
                "the POST has no Content-Type; send application/sparql-query or "
                "application/x-www-form-urlencoded",
            )
        else:
            raise HttpError(
                415,
                f"Content-Type {media} is not accepted; send application/sparql-query or "
                "application/x-www-form-urlencoded",
            )
    if len(texts) > 1:
        raise HttpError(400, "query: more than one query given; send exactly one")
    job = server.make_job(
        texts[0],
        given=control.get("format", params.get("format")),
        inferred=control.get("inferred", params.get("inferred")),
        accept=request.headers.get("accept"),
        where="query",
        default_graphs=tuple(defaults),
        named_graphs=tuple(named),
    )
    for iri in (*job.default_graphs, *job.named_graphs):
        _check_iri(iri)
    response = await server.answer(job)
    response.headers["vary"] = "Accept"
    return response


def _rdf_name(given: str | None) -> str | None:
    """``format=`` as our RDF format name: a name, or media types (as SPARQLWrapper sends)."""
    if given and "/" in given and given not in RDF_TYPES:
        return acceptable(given, RDF_TYPES) or given
    return given


def _rdf_format(accept: str | None) -> str:
    """The RDF format ``accept`` asks for, or a 406 when it takes none of ours."""
    fmt = acceptable(accept, RDF_TYPES)
    if fmt is None:
        raise HttpError(406, not_acceptable(accept, results=False))
    return fmt


def _check_iri(iri: str, where: str = "default-graph-uri/named-graph-uri") -> None:
    import pyoxigraph as ox

    try:
        ox.NamedNode(iri)
    except ValueError:
        raise HttpError(400, f"{where}: {iri!r} is not an IRI; give absolute IRIs") from None


async def service_description(request: Request) -> Response:
    """The SPARQL 1.1 Service Description of this endpoint (or the query page for browsers)."""
    accept = request.headers.get("accept")
    if wants_html(accept):
        from pledgegraph.server.pages import editor_page

        return await editor_page(request)
    from pledgegraph.graph.export import serialize_triples
    from pledgegraph.server.description import service_triples

    fmt = _rdf_name(request.query_params.get("format")) or _rdf_format(accept)
    if fmt not in RDF_TYPES:
        raise HttpError(400, f"format: unknown format {fmt!r}; use one of {', '.join(RDF_TYPES)}")
    endpoint = str(request.url.replace(query=""))
    federated = bool(server_of(request).config.allow_service)
    text = serialize_triples(service_triples(endpoint, federated=federated), fmt)
    return Response(text, headers={"content-type": media_type(fmt), "vary": "Accept"})


# --- /api -------------------------------------------------------------------------------------


async def stored_question(request: Request) -> Response:
    from pledgegraph import queries

    name = request.path_params["name"]
    server = server_of(request)
    try:
        stored = queries.get(name, listing="GET /api/queries lists them")
    except QueryError as error:
        raise HttpError(404, error.message) from None
    pairs = [(k, v) for k, v in request.query_params.multi_items() if k not in _CONTROL]
    try:
        bound = queries.bind(stored, queries.values_once(stored, pairs), flag=queries.URL_FLAG)
    except QueryError as error:
        raise HttpError(400, error.message) from None
    sparql = queries.with_values(stored.sparql, bound)
    response = await server.answer(server.job(sparql, request, where=f"query {name}"))
    response.headers["vary"] = "Accept"
    return response


async def list_questions(request: Request) -> Response:
    from pledgegraph.queries import catalogue

    return JSONResponse(
        [
            {
                "name": q.name,
                "summary": q.summary,
                "description": q.description,
                "path": f"/api/{q.name}",
                "parameters": [
                    {"name": p.name, "type": p.type, "required": p.required, "default": p.default}
                    for p in q.parameters
                ],
            }
            for q in catalogue().values()
        ]
    )


async def openapi_document(request: Request) -> Response:
    from pledgegraph.server.openapi import document

    return JSONResponse(document(write=server_of(request).config.write_token is not None))


# --- writes -----------------------------------------------------------------------------------


def _authorised(request: Request) -> None:
    token = server_of(request).config.write_token
    if token is None:
        raise HttpError(
            403,
            "writes are off: this server is read-only; start it with --write-token TOKEN to "
            "allow loading, removing, reasoning and linking",
        )
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip(), token):
        raise HttpError(
            401,
            "authorization: a valid bearer token is needed to write; send "
            "'Authorization: Bearer TOKEN' with the server's --write-token",
            headers={"www-authenticate": 'Bearer realm="pledgegraph"'},
        )


async def _write(request: Request, name: str, **arguments: Any) -> Response:
    """Have the supervisor, which holds the store, run the write ``name`` (one at a time)."""
    server = server_of(request)
    status, body = await asyncio.to_thread(server.writes.perform, name, arguments)
    return JSONResponse(body, status_code=status)


async def load_source(request: Request) -> Response:
    """POST a fact sheet (YAML): validated, then loaded as its source's graph (as the CLI)."""
    _authorised(request)
    media, _ = _media(request)
    if media not in ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"):
        raise HttpError(
            415, f"Content-Type {media or '(none)'} is not a fact sheet; send application/yaml"
        )
    lenient = _flag(request, "lenient")
    replace = _flag(request, "replace")
    text = _utf8(await body_of(request), "fact sheet")
    return await _write(request, "load_source", text=text, lenient=lenient, replace=replace)


def _flag(request: Request, name: str) -> bool:
    """A true/false parameter of a write (``lenient=true``); anything else is refused, never
    read as false (``lenient=maybe`` loaded a sheet with errors refused... or not)."""
    value = request.query_params.get(name)
    if value is None:
        return False
    if value.lower() in ("true", "1", "yes"):
        return True
    if value.lower() in ("false", "0", "no", ""):
        return False
    raise HttpError(
        400, f"{name}: {value!r} is not true or false; give {name}=true or {name}=false"
    )


async def remove_source(request: Request) -> Response:
    _authorised(request)
    graph = request.query_params.get("graph")
    source = request.query_params.get("source")
    if graph and source:
        raise HttpError(400, "graph, source: give one of them, not both")
    if source is not None and not source.strip():
        raise HttpError(400, "source: empty; give source=<the source's key, graph IRI or URL>")
    if source:
        return await _write(request, "remove_source", source=source)
    if not graph:
        raise HttpError(
            400,
            "graph: missing; give graph=<the source's graph IRI> or source=<its key, graph "
            "IRI or URL>",
        )
    _check_iri(graph, "graph")
    return await _write(request, "remove_source", graph=graph)


async def reason(request: Request) -> Response:
    _authorised(request)
    return await _write(request, "reason")


async def link(request: Request) -> Response:
    _authorised(request)
    return await _write(request, "link")


# --- Linked Data --------------------------------------------------------------------------------


async def resource(request: Request) -> Response:
    from pledgegraph.graph.describe import describe
    from pledgegraph.ontology import ID

    iri = ID + request.path_params["path"]
    _check_resource(iri)
    server = server_of(request)
    triples = await server.runner.call(describe, server.store, iri)
    accept = request.headers.get("accept")
    given = request.query_params.get("format")
    if not triples:
        raise HttpError(404, f"{iri}: the store knows nothing about this resource")
    if given == "html" or (given is None and wants_html(accept)):
        from pledgegraph.server.pages import resource_page

        return await resource_page(request, iri, triples)
    from pledgegraph.graph.export import serialize_triples

    fmt = _rdf_name(given) or _rdf_format(accept)
    if fmt not in RDF_TYPES:
        raise HttpError(
            400, f"format: unknown format {fmt!r}; use html or one of {', '.join(RDF_TYPES)}"
        )
    text = await server.runner.call(serialize_triples, triples, fmt)
    return Response(text, headers={"content-type": media_type(fmt), "vary": "Accept"})


def _check_resource(iri: str) -> None:
    """A 400 for an address whose path cannot be part of an IRI (``/id/%3E``, ``/id/a%00b``)."""
    import pyoxigraph as ox

    from pledgegraph.errors import printable

    try:
        ox.NamedNode(iri)
    except ValueError:
        raise HttpError(
            400,
            f"{printable(iri)}: not a valid IRI (it holds a space, a control character or one "
            'of <>"{}|^`\\); check the address, or see / for the resources this server has',
        ) from None


# --- errors and the app ---------------------------------------------------------------------


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HttpError)
    accept = request.headers.get("accept")
    if request.url.path.startswith("/api") or (
        accept and "json" in accept and not wants_html(accept)
    ):
        return JSONResponse(
            {"error": exc.message, "status": exc.status},
            status_code=exc.status,
            headers=exc.headers,
        )
    if wants_html(accept):
        from pledgegraph.server.pages import error_page

        return await error_page(request, exc.status, exc.message, exc.headers)
    return PlainTextResponse(exc.message + "\n", status_code=exc.status, headers=exc.headers)


async def starlette_error(request: Request, exc: Exception) -> Response:
    from starlette.exceptions import HTTPException

    assert isinstance(exc, HTTPException)
    message = {404: "no such page; see / or /api/openapi.json", 405: "method not allowed here"}
    text = message.get(exc.status_code, str(exc.detail))
    return await http_error(
        request, HttpError(exc.status_code, f"{request.url.path}: {text}", dict(exc.headers or {}))
    )


def create_app(
    config: ServerConfig,
    runner: Runner,
    writes: WriteChannel,
    *,
    ready: Callable[[], None] | None = None,
) -> ASGIApp:
    """The ASGI app of one HTTP worker: queries through ``runner``, writes through ``writes``.

    ``ready`` is called once the app has started. Without CORS, ``GET /sparql?query=…`` takes
    a short path past starlette's routing and middleware (:func:`sparql_fast_path`): the same
    handler and the same error answers, fewer layers per request.
    """
    from pledgegraph.server import pages

    server = Server(config, runner, writes)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if ready is not None:
            ready()
        yield

    routes = [
        Route("/", pages.home, methods=["GET"]),
        Route("/sparql", sparql_endpoint, methods=["GET", "POST"]),
        Route("/query", pages.editor_page, methods=["GET"]),
        Route("/questions/{name}", pages.question_page, methods=["GET"]),
        Route("/api/openapi.json", openapi_document, methods=["GET"]),
        Route("/api/queries", list_questions, methods=["GET"]),
        Route("/api/store/sources", load_source, methods=["POST"]),
        Route("/api/store/sources", remove_source, methods=["DELETE"]),
        Route("/api/store/reason", reason, methods=["POST"]),
        Route("/api/store/link", link, methods=["POST"]),
        Route("/api/{name}", stored_question, methods=["GET"]),
        Route("/id/{path:path}", resource, methods=["GET"]),
        Mount("/static", StaticFiles(packages=[("pledgegraph.server", "static")]), name="static"),
    ]
    middleware = []
    if config.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(config.cors_origins),
                allow_methods=["GET", "POST", "DELETE"],
                allow_headers=["Accept", "Content-Type", "Authorization"],
            )
        )
        middleware.append(Middleware(_TargetChecked))  # inside CORS: its answers get the headers
    from starlette.exceptions import HTTPException

    app = Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={HttpError: http_error, HTTPException: starlette_error},
        lifespan=lifespan,
    )
    app.state.server = server
    if config.cors_origins:
        return app
    return sparql_fast_path(app)


async def _refuse(
    app: ASGIApp, error: HttpError, scope: Scope, receive: Receive, send: Send
) -> None:
    """Answer ``error`` as the app's handlers would (JSON, HTML or text by negotiation)."""
    scope["app"] = app  # what request.app reads (server_of)
    failed = await http_error(Request(scope, receive), error)
    await failed(scope, receive, send)


class _TargetChecked:
    """Middleware: a request whose URL :func:`read_target` refuses is answered with its error."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            try:
                read_target(scope)
            except HttpError as error:
                await _refuse(scope["app"], error, scope, receive, send)
                return
        await self.app(scope, receive, send)


#: The parameters a plain ``GET /sparql`` may have to take the short path.
_PLAIN = frozenset({"query", "format", "inferred"})


def sparql_fast_path(app: Starlette) -> ASGIApp:
    """``app``, with the URL checked and a plain ``GET /sparql?query=…`` answered without starlette.

    Every request's URL is checked first (:func:`pledgegraph.server.target.read_target`:
    length, percent-escapes, parameters given twice). Starlette's router, its middleware
    stack and its request and response objects cost a good part of a point query's time here
    (see docs/server.md). A GET whose parameters are one ``query`` and at most one ``format``
    and ``inferred`` is read from the raw ASGI scope, run by the same runner and answered with
    the same headers (``content-type``, ``content-length``, ``vary``) as
    :func:`sparql_endpoint` would, and a failed query with the same error answer; any other
    request to ``/sparql`` (and a plain one the handler would refuse before running it) goes
    to :func:`sparql_endpoint` through a :class:`Request` as before. Everything else goes
    through the app.
    """
    server: Server = app.state.server
    # The job of each query string and Accept seen (or None: the handler's path), as a client
    # sends the same ones again and again; the oldest is forgotten first.
    jobs: dict[tuple[bytes, str | None], Job | None] = {}

    async def fast(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        try:
            pairs = read_target(scope)
        except HttpError as error:
            await _refuse(app, error, scope, receive, send)
            return
        if scope["path"] != "/sparql" or scope["method"] != "GET":
            await app(scope, receive, send)
            return
        scope["app"] = app  # what request.app reads (server_of)
        accept = None
        for name, value in scope["headers"]:
            if name == b"accept":
                accept = value.decode("latin-1")
                break
        key = (scope["query_string"], accept)
        try:
            job = jobs[key]
        except KeyError:
            job = _plain_job(server, pairs, accept)
            if len(key[0]) <= CHECKED_BYTES and (accept is None or len(accept) <= 512):
                if len(jobs) >= CHECKED_KEPT:
                    del jobs[next(iter(jobs))]
                jobs[key] = job
        if job is not None:
            try:
                result = await server.runner.run(job, scope.get(TRANSPORT))
            except JobError as error:  # as Server.answer turns it into an answer
                request = Request(scope, receive)
                failed = await http_error(request, HttpError(error.status, error.message))
                await failed(scope, receive, send)
                return
            else:
                await send(
                    {
                        "type": "http.response.start",
                        "status": 200,
                        "headers": [
                            (b"content-type", media_type(result.fmt).encode("latin-1")),
                            (b"content-length", str(len(result.body)).encode("latin-1")),
                            (b"vary", b"Accept"),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": result.body})
                return
        request = Request(scope, receive)
        try:
            response = await sparql_endpoint(request)
        except HttpError as error:
            response = await http_error(request, error)
        await response(scope, receive, send)

    return fast


def _plain_job(server: Server, params: list[tuple[str, str]], accept: str | None) -> Job | None:
    """The job of a plain ``GET /sparql?query=…``, or ``None`` to take the handler's path.

    ``params``: the query string's pairs, checked (no name given twice but the graph lists);
    ``accept``: the request's ``Accept``.
    """
    names = [name for name, _ in params]
    if not names or not _PLAIN.issuperset(names) or "query" not in names:
        return None
    given = dict(params)
    try:
        return server.make_job(
            given["query"],
            given=given.get("format"),
            inferred=given.get("inferred"),
            accept=accept,
            where="query",
        )
    except HttpError:
        return None  # the handler answers it


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
