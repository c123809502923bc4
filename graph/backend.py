"""What a store backend must do: the part of pyoxigraph's ``Store`` that pledgegraph uses.

:class:`pledgegraph.graph.store.Store` keeps its rules (one graph per source, all-or-nothing
loads, reserved graphs, first-use filling) above a backend, ``Store.inner``, which is either

- an embedded ``pyoxigraph.Store`` (it satisfies :class:`QuadStore` as it is), or
- a :class:`pledgegraph.graph.remote.RemoteDataset`: a SPARQL 1.1 server spoken to over HTTP
  (Protocol, Update and Graph Store HTTP Protocol).

Both answer with pyoxigraph's own types (``QuerySolutions``, ``QueryBoolean``, ``QueryTriples``,
``Quad``), so the query, export, validation, reasoning and linking code is the same for both.
The signatures copy pyoxigraph's (positional-only where it is), so that ``pyoxigraph.Store`` is a
:class:`QuadStore` for the type checker too.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from typing import IO, Protocol

import pyoxigraph as ox

GraphName = ox.NamedNode | ox.BlankNode | ox.DefaultGraph
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


class QuadStore(Protocol):
    """A quad store with SPARQL: the operations ``Store`` and the graph modules call."""

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
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples: ...

    def update(
        self, update: str, /, *, base_iri: str | None = None, prefixes: dict[str, str] | None = None
    ) -> None: ...

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
    ) -> None: ...

    def bulk_load(
        self,
        /,
        input: bytes | str | IO[bytes] | IO[str] | None = None,
        format: ox.RdfFormat | None = None,
        *,
        path: str | os.PathLike[str] | None = None,
        base_iri: str | None = None,
        to_graph: GraphName | None = None,
        lenient: bool = False,
    ) -> None: ...

    def add(self, /, quad: ox.Quad) -> None: ...

    def remove(self, /, quad: ox.Quad) -> None: ...

    def extend(self, /, quads: Iterable[ox.Quad]) -> None: ...

    def add_graph(self, /, graph_name: GraphName) -> None: ...

    def remove_graph(self, /, graph_name: GraphName) -> None: ...

    def contains_named_graph(self, /, graph_name: GraphName) -> bool: ...

    def named_graphs(self, /) -> Iterator[ox.NamedNode | ox.BlankNode]: ...

    def quads_for_pattern(
        self,
        /,
        subject: ox.NamedNode | ox.BlankNode | ox.Triple | None,
        predicate: ox.NamedNode | None,
        object: Term | None,
        graph_name: GraphName | None = None,
    ) -> Iterator[ox.Quad]: ...

    def flush(self, /) -> None: ...

    def optimize(self, /) -> None: ...

    def __len__(self, /) -> int: ...

    def __iter__(self, /) -> Iterator[ox.Quad]: ...


#: What a remote write that got no answer leaves, unless its writer says more.
WHOLE = "the server applies it whole or not at all: the store holds the old version or the new one"
SEE_WHICH = "run 'pledgegraph stats --graphs' to see which, or run the command again"


def writing(
    inner: QuadStore, what: str, *, leaves: str = WHOLE, hint: str = SEE_WHICH
) -> contextlib.AbstractContextManager[None]:
    """Name the updates sent to ``inner`` inside the block, for the exit-3 message of one the
    server does not answer (a remote store: :meth:`pledgegraph.graph.remote.RemoteDataset.writing`).
    ``what``: "the write of the links graph <…>"; ``leaves``: the state of the store then;
    ``hint``: what to do. Nothing for the embedded store, whose writes always answer."""
    named = getattr(inner, "writing", None)
    if named is None:
        return contextlib.nullcontext()
    block: contextlib.AbstractContextManager[None] = named(what, leaves=leaves, hint=hint)
    return block


def briefly(inner: QuadStore, seconds: float) -> contextlib.AbstractContextManager[None]:
    """Requests to ``inner`` inside the block wait at most ``seconds``, without retries (a
    remote store: :meth:`pledgegraph.graph.remote.RemoteDataset.briefly`); nothing for the
    embedded store."""
    brief = getattr(inner, "briefly", None)
    if brief is None:
        return contextlib.nullcontext()
    block: contextlib.AbstractContextManager[None] = brief(seconds)
    return block


def is_remote(location: str | os.PathLike[str] | None) -> bool:
    """Whether a ``--store`` value names a SPARQL server rather than a directory (here, not in
    graph/remote.py, so that opening a local store does not import the HTTP client: ~20 ms)."""
    return isinstance(location, str) and location.lower().startswith(("http://", "https://"))
