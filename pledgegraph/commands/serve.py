"""``pledgegraph serve``: the store over HTTP (SPARQL endpoint, web API, Linked Data, pages).

Opens the store (taking its lock, so other pledgegraph processes are told the server holds it),
starts the supervisor of :mod:`pledgegraph.server.supervisor` (HTTP workers running the app
with uvicorn). Nothing heavy is imported until the command runs.
"""

from __future__ import annotations

import click

from pledgegraph.commands._context import FiniteRange, state

#: What the server extra brings (pyproject.toml: server = [...]), checked before it is imported.
SERVER_MODULES = ("starlette", "uvicorn", "jinja2")


@click.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (loopback by default).",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=7878,
    show_default=True,
    help="Port (0: any free port).",
)
@click.option(
    "--timeout",
    type=FiniteRange(min=0, min_open=True),
    default=30.0,
    show_default=True,
    help="Seconds a query may run; past it the query is stopped and the client gets a 503.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=2,
    show_default=True,
    help="HTTP worker processes (each answers requests and runs queries in its own threads; "
    "one whose query passes --timeout is replaced).",
)
@click.option(
    "--fast-path",
    "fast_path",
    is_flag=True,
    help="Run a query that was cheap before (< 1 ms) on the worker's event loop, without the "
    "hand-over to a query thread: about 1.6x the point-query throughput, but a worse p99 "
    "latency, and should such a query run away, the worker's other open requests are lost "
    "(its own client still gets the 503). Off by default.",
)
@click.option(
    "--allow-service",
    "allow_service",
    multiple=True,
    metavar="URL",
    help="Allow SERVICE calls to this SPARQL endpoint (repeatable) "
    "[env: PLEDGEGRAPH_ALLOW_SERVICE, space-separated]. SERVICE is refused otherwise.",
)
@click.option(
    "--write-token",
    envvar="PLEDGEGRAPH_WRITE_TOKEN",
    metavar="TOKEN",
    help="Allow writes (load, remove, reason, link) to clients sending 'Authorization: Bearer "
    "TOKEN' [env: PLEDGEGRAPH_WRITE_TOKEN]. Read-only without it.",
)
@click.option(
    "--cors-origin",
    "cors_origins",
    multiple=True,
    metavar="ORIGIN",
    help="Allow cross-origin requests from ORIGIN (repeatable; '*' for any).",
)
@click.option(
    "--max-body-bytes",
    type=click.IntRange(min=1),
    default=1_000_000,
    show_default=True,
    help="Largest request body.",
)
@click.option(
    "--max-query-chars",
    type=click.IntRange(min=1),
    default=100_000,
    show_default=True,
    help="Longest query.",
)
@click.option(
    "--max-result-bytes",
    type=click.IntRange(min=1),
    default=50_000_000,
    show_default=True,
    help="Largest result.",
)
@click.option(
    "--access-log/--no-access-log",
    default=True,
    show_default=True,
    help="Log each request on stderr.",
)
def serve(
    host: str,
    port: int,
    timeout: float,
    workers: int,
    fast_path: bool,
    allow_service: tuple[str, ...],
    write_token: str | None,
    cors_origins: tuple[str, ...],
    max_body_bytes: int,
    max_query_chars: int,
    max_result_bytes: int,
    access_log: bool,
) -> None:
    """Serve the store over HTTP: SPARQL endpoint, stored questions as an API, and pages.

    \b
    /sparql            SPARQL 1.1 Protocol (read-only; SPARQL Update gets 403)
    /api/NAME?PARAM=V  a stored question (see /api/openapi.json)
    /id/...            our IRIs as Turtle, JSON-LD or HTML
    /                  the headline answer, charts and a form per question

    While it runs, the server holds the store: other pledgegraph commands on the same store
    are refused with a message naming the server; query it over HTTP instead.

    \b
    Example:
      pledgegraph serve --port 7878 --timeout 10
    """
    import importlib.util

    from pledgegraph.errors import InputError
    from pledgegraph.graph.linking.federation import allowed_services

    missing = [m for m in SERVER_MODULES if importlib.util.find_spec(m) is None]
    if missing:
        raise InputError(
            f"the HTTP server needs {', '.join(missing)}, which "
            + ("is" if len(missing) == 1 else "are")
            + " not installed",
            hint="install the server extra: pip install 'pledgegraph[server]' "
            "(from a checkout: pip install -e '.[server]')",
            where="serve",
        )
    from pledgegraph.server.config import ServerConfig
    from pledgegraph.server.run import run_server

    config = ServerConfig(
        store_path="",
        host=host,
        port=port,
        timeout=timeout,
        workers=workers,
        fast_path=fast_path,
        allow_service=tuple(allowed_services(allow_service)),
        write_token=write_token or None,
        cors_origins=cors_origins,
        max_body_bytes=max_body_bytes,
        max_query_chars=max_query_chars,
        max_result_bytes=max_result_bytes,
    )
    store = state().store()
    if store.path is None:
        raise InputError(
            "pledgegraph serve needs a local store directory, not a remote SPARQL server",
            hint="pass --store DIR (a remote server has an endpoint of its own)",
            where="--store",
        )
    run_server(store, config, access_log=access_log, say=lambda text: click.echo(text, err=True))
