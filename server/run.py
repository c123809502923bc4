"""Running the server: bind the socket, note the server in the store, start the supervisor."""

from __future__ import annotations

import dataclasses
import socket
from collections.abc import Callable
from typing import TYPE_CHECKING

from pledgegraph.server.config import ServerConfig

if TYPE_CHECKING:
    from pledgegraph.graph.store import Store


def bind(host: str, port: int) -> socket.socket:
    """A listening socket; ``port`` 0 takes any free port."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        from pledgegraph.errors import InputError

        raise InputError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}",
            hint="choose another --port (or --port 0 for any free one)",
            where="--port",
        ) from None
    sock.listen(2048)
    return sock


def run_server(
    store: Store, config: ServerConfig, *, access_log: bool, say: Callable[[str], None]
) -> None:
    """Serve ``store`` until interrupted (Ctrl+C or SIGTERM): a supervisor and HTTP workers."""
    from pledgegraph.server import holder
    from pledgegraph.server.core import database_path
    from pledgegraph.server.supervisor import Supervisor

    sock = bind(config.host, config.port)
    port = sock.getsockname()[1]
    config = dataclasses.replace(config, port=port, store_path=str(store.path))
    assert store.path is not None
    holder.claim(store.path, config.url)
    try:
        supervisor = Supervisor(store, database_path(store), config, sock, access_log=access_log)
        supervisor.run(
            lambda: say(
                f"serving {store.path} at {config.url}/ (SPARQL endpoint {config.url}/sparql); "
                "Ctrl+C stops"
            )
        )
    finally:
        holder.release(store.path)
        sock.close()
