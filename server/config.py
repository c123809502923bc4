"""The server's settings (``pledgegraph serve`` options), in one frozen value."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878


@dataclass(frozen=True, slots=True)
class ServerConfig:
    """Everything the app needs to know; the defaults are the CLI's defaults."""

    store_path: str
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    timeout: float = 30.0  # seconds per query; the worker is killed past it
    workers: int = 2  # query worker processes
    fast_path: bool = False  # cheap queries on the event loop (server/workers.py, Runner)
    allow_service: tuple[str, ...] = ()
    service_timeout: float = 10.0
    write_token: str | None = None
    cors_origins: tuple[str, ...] = ()
    max_body_bytes: int = 1_000_000
    max_query_chars: int = 100_000
    max_result_bytes: int = 50_000_000

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"
