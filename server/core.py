"""What the handlers and pages share: the server's state, its errors, and how a job is made.

A module of its own so that :mod:`pledgegraph.server.app` and :mod:`pledgegraph.server.pages`
both use it without importing each other.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response

from pledgegraph.server.config import ServerConfig
from pledgegraph.server.negotiation import (
    FORMAT_ALIASES,
    RDF_TYPES,
    RESULT_TYPES,
    acceptable,
    media_type,
    not_acceptable,
)
from pledgegraph.server.workers import Answer, Job, JobError, Runner

if TYPE_CHECKING:
    from pledgegraph.graph.store import Store
    from pledgegraph.server.supervisor import WriteChannel

#: ``format=`` names one of the two forms' formats; the other form takes its kin: JSON results
#: and JSON-LD, XML results and RDF/XML (``format=json`` on a CONSTRUCT is JSON-LD, not Turtle).
_KIN = {"json": "jsonld", "jsonld": "json", "xml": "rdfxml", "rdfxml": "xml"}

#: What is wrong with an empty query, and how to send one.
EMPTY_QUERY = (
    "the query is empty; send the SPARQL text as query=… in the URL or in a form body, or as "
    "the body of a POST with Content-Type application/sparql-query"
)


class HttpError(Exception):
    """An answer other than 200, with a one-line message (JSON, text or HTML by negotiation)."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


class Server:
    """The state one worker's handlers share: settings, the query runner, the write channel."""

    def __init__(self, config: ServerConfig, runner: Runner, writes: WriteChannel) -> None:
        self.config = config
        self.runner = runner
        self.writes = writes

    @property
    def store(self) -> Store:
        """This worker's read-only view of the store (current: reopened after a write)."""
        found: Store = self.runner.store
        return found

    def job(self, sparql: str, request: Request, *, where: str, **fields: Any) -> Job:
        params = request.query_params
        return self.make_job(
            sparql,
            given=params.get("format"),
            inferred=params.get("inferred"),
            accept=request.headers.get("accept"),
            where=where,
            **fields,
        )

    def make_job(
        self,
        sparql: str,
        *,
        given: str | None,
        inferred: str | None,
        accept: str | None,
        where: str,
        **fields: Any,
    ) -> Job:
        """The job for ``sparql`` with the request's ``format``, ``inferred`` and ``Accept``.

        A format ``Accept`` does not take is ``None`` in the job: the query's form decides
        whether that is a 406 (see :func:`pledgegraph.server.workers.answer_job`); one that
        takes neither a results nor an RDF format is a 406 at once.
        """
        if not sparql or sparql.isspace():
            raise HttpError(400, f"{where}: {EMPTY_QUERY}")
        if len(sparql) > self.config.max_query_chars:
            raise HttpError(
                413,
                f"{where}: the query has {len(sparql)} characters, more than the server's limit "
                f"of {self.config.max_query_chars}; shorten it or start the server with a larger "
                "--max-query-chars",
            )
        if given is not None:
            given = FORMAT_ALIASES.get(given, given)
        if given is not None and given not in RESULT_TYPES and given not in RDF_TYPES:
            if "/" in given and any(_negotiate(given)):
                # Media types, as SPARQLWrapper sends them in format= (with the same Accept):
                # read as an Accept header.
                given, accept = None, given
            else:
                known = ", ".join([*RESULT_TYPES, *RDF_TYPES])
                raise HttpError(
                    400,
                    f"format: unknown format {given!r}; use one of {known}, or a media type "
                    "of one of them",
                )
        negotiated = (
            _negotiated(accept) if accept is None or len(accept) <= 512 else _negotiate(accept)
        )
        result_format, rdf_format = negotiated
        if given is None:
            if result_format is None and rdf_format is None:
                raise HttpError(406, not_acceptable(accept))
        elif given in RESULT_TYPES:  # format= names one form's format; the other is its kin
            result_format = given  # (json -> JSON-LD, xml -> RDF/XML) or as asked
            rdf_format = _KIN.get(given) or rdf_format or next(iter(RDF_TYPES))
        else:
            rdf_format = given
            result_format = _KIN.get(given) or result_format or next(iter(RESULT_TYPES))
        return Job(
            sparql,
            where=where,
            inferred=fields.pop("inferred", _inferred(inferred)),
            result_format=result_format,
            rdf_format=rdf_format,
            accept=accept,
            allow_service=self.config.allow_service,
            service_timeout=self.config.service_timeout,
            max_bytes=self.config.max_result_bytes,
            **fields,
        )

    async def answer(self, job: Job) -> Response:
        try:
            result: Answer = await self.runner.run(job)
        except JobError as error:
            raise HttpError(error.status, error.message) from None
        return Response(result.body, headers={"content-type": media_type(result.fmt)})


def database_path(store: Store) -> str:
    """The directory of the store's database files (what the workers open read-only)."""
    database = getattr(store, "_database", None)  # the store directory's current database
    return str(database if database is not None else store.path)


def _negotiate(accept: str | None) -> tuple[str | None, str | None]:
    """The results format and the RDF format ``accept`` asks for (``None``: none of them)."""
    return acceptable(accept, RESULT_TYPES), acceptable(accept, RDF_TYPES)


#: :func:`_negotiate` for the short ``Accept`` values clients send again and again.
_negotiated = functools.lru_cache(maxsize=256)(_negotiate)


def _inferred(value: str | None) -> bool:
    if value is None or value.lower() in ("true", "1", "yes"):
        return True
    if value.lower() in ("false", "0", "no"):
        return False
    raise HttpError(400, f"inferred: {value!r} is not true or false; give inferred=false or true")


def server_of(request: Request) -> Server:
    found: Server = request.app.state.server
    return found
