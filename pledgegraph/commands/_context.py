"""What every command shares: the store of this invocation, output options, and formatting.

Imports none of the command modules (they import this one), so there are no cycles. Nothing
heavy is imported here: the store and the query machinery load inside the functions.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from pledgegraph.errors import PledgeGraphError

if TYPE_CHECKING:
    from pledgegraph.graph.store import Store

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")

RESULT_FORMAT_CHOICES = ("table", "csv", "tsv", "json", "xml", "markdown", "plain")
RDF_FORMAT_CHOICES = ("turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml")


class FiniteRange(click.FloatRange):
    """:class:`click.FloatRange` that also refuses ``nan`` (which passes every comparison of a
    range: ``link --threshold nan`` was taken) and ``inf`` (no timeout or score is endless)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        import math

        from pledgegraph.limits import reads_as_zero

        if isinstance(value, str):  # (before the range check, which would show "0.0")
            try:
                typed = float(value)
            except ValueError:
                typed = None
            if typed is not None and reads_as_zero(value, typed):
                below = value.strip().startswith("-")
                self.fail(
                    f"{value!r} is " + ("below 0" if below else "too small to tell from 0"),
                    param,
                    ctx,
                )
        number = super().convert(value, param, ctx)
        if isinstance(number, float) and not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number", param, ctx)
        return number


def test_kill_point(step: str) -> None:
    """:func:`pledgegraph.graph.storedir.kill_point` for the steps every command passes (its
    close), without importing the store's module where no test asked for it: 4 ms of start-up
    for commands that open no store."""
    import os

    if os.environ.get("PLEDGEGRAPH_TEST_KILL_AT"):  # (storedir.ENV_KILL_AT)
        from pledgegraph.graph.storedir import kill_point

        kill_point(step)


def fail(error: PledgeGraphError) -> NoReturn:
    """Print ``Error: …`` on stderr (one line per problem) and exit with the error's code.

    When the error leaves work running that cannot be stopped (a query pyoxigraph is still
    evaluating in a thread after a timeout or Ctrl-C), the process ends at once after the
    line is out: waiting for that thread, or tearing the store down under it, is not safe.
    """
    for line in error.lines:
        click.echo(f"Error: {line}", err=True)
    if getattr(error, "work_left_running", False):
        import contextlib
        import os

        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
        os._exit(error.exit_code)
    sys.exit(error.exit_code)


class State:
    """The store of one CLI invocation, opened on first use and closed when the command ends."""

    def __init__(self, store_path: str | None) -> None:
        self.store_path = store_path
        self._store: Store | None = None

    def store(self, *, initialise: bool = True) -> Store:
        """The store, opened on first use (filled with the bundled data unless ``initialise``
        is false, as for ``pledgegraph import``)."""
        if self._store is None:
            from pledgegraph.graph.backend import is_remote
            from pledgegraph.graph.store import Store

            if is_remote(self.store_path):
                from pledgegraph.graph.remote import RemoteStore

                assert self.store_path is not None
                self._store = RemoteStore.connect(self.store_path, initialise=initialise)
            elif self.store_path and re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", self.store_path):
                from pledgegraph.errors import InputError

                raise InputError(  # (it made a local folder './ftp:/host')
                    f"{self.store_path!r} is a URL of another kind than http(s)",
                    hint="give a folder, or the http:// or https:// URL of a SPARQL server",
                    where="--store",
                )
            else:
                self._store = Store.open(self.store_path, initialise=initialise)
            for note in self._store.notes:
                click.echo(note, err=True)
        return self._store

    @property
    def opened(self) -> Store | None:
        """The store if the command has opened it (nothing is opened to answer this)."""
        return self._store

    def close(self) -> None:
        """Release the store (and its lock) when the command ends."""
        test_kill_point("closing")  # (tests: a signal once the work is done)
        if self._store is not None:
            self._store.close()
            self._store = None


def state() -> State:
    """The :class:`State` of the running command."""
    found = click.get_current_context().find_object(State)
    assert found is not None
    return found


def progress(items: Iterable[T], label: str, *, total: int | None = None) -> Iterable[T]:
    """Iterate with a progress bar on stderr when there are many items and stderr is a terminal
    (``total``: how many, when ``items`` cannot say)."""
    count = total if total is not None else len(items)  # type: ignore[arg-type]
    if count < 5 or not sys.stderr.isatty():
        return items
    from rich.progress import track

    return track(items, description=label, total=count, console=None, transient=True)
