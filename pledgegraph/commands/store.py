"""``pledgegraph stats``, ``backup``, ``restore`` and ``remove``: what the store holds, copies
of it, and taking a source out."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from pledgegraph.commands._context import state
from pledgegraph.errors import counted

if TYPE_CHECKING:
    from pledgegraph.graph.store import Store

#: Graphs listed by ``stats`` without ``--graphs``: the largest ones (a store of 10,000
#: sources has 10,000 graphs; the totals are what a reader wants).
LARGEST_GRAPHS = 10


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON (every graph).")
@click.option(
    "--graphs",
    "all_graphs",
    is_flag=True,
    help=f"List every graph, not only the {LARGEST_GRAPHS} largest.",
)
def stats(as_json: bool, all_graphs: bool) -> None:
    """Show what the store holds: sources, pledges, targets, the regions pledges name (not
    the places they lie in) and the largest graphs.

    Quads are counted as 'export --inferred' writes them (plain 'export' leaves out the
    inferred graph, listed among the graphs); the index quads written for the stored
    questions (not data, never exported) are counted on their own line.
    """
    from pledgegraph.graph.store import summarise

    store = state().store()
    summary = summarise(store)
    _note_working_graphs(store)
    if as_json:
        import json

        data = {
            "store": store.location,
            "quads": summary.quads,
            "sources": summary.sources,
            "pledges": summary.pledges,
            "targets": summary.targets,
            "regions": summary.regions,
            "index_quads": summary.index,
            "graphs": {g.graph: g.quads for g in summary.graphs},
        }
        click.echo(json.dumps(data, indent=2))
        return
    click.echo(f"store:    {store.location}")
    click.echo(f"quads:    {summary.quads}")
    click.echo(f"sources:  {summary.sources}")
    click.echo(f"pledges:  {summary.pledges}")
    click.echo(f"targets:  {summary.targets}")
    click.echo(f"regions:  {summary.regions}")
    if summary.index:
        click.echo(f"index:    {summary.index} quads (precomputed for the stored questions)")
    shown = sorted(summary.graphs, key=lambda g: (-g.quads, g.graph))
    if not all_graphs and len(shown) > LARGEST_GRAPHS:
        rest = len(shown) - LARGEST_GRAPHS
        shown = shown[:LARGEST_GRAPHS]
        click.echo(
            f"graphs:   {len(summary.graphs)} (the {LARGEST_GRAPHS} largest; --graphs for all)"
        )
    else:
        rest = 0
        click.echo(f"graphs:   {len(summary.graphs)}")
    for g in shown:
        click.echo(f"  {g.quads:>8}  {g.graph}")
    if rest:
        click.echo(f"  ... and {rest} more")


def _note_working_graphs(store: Store) -> None:
    """One ``Note:`` line for working graphs a reasoning run left on a server (hidden from
    the counts: an embedded store removes them at open, a remote one at the next reason)."""
    from pledgegraph.graph.remote import RemoteStore

    if not isinstance(store, RemoteStore):
        return
    from pledgegraph.graph.reasoning.engine import WORK_GRAPH, leftover_work_graphs

    left = len(leftover_work_graphs(store))
    if left:
        one = left == 1
        click.echo(
            f"Note: {counted(left, 'working graph')} of a reasoning run that did not finish "
            f"(or is running) {'is' if one else 'are'} on the server ({WORK_GRAPH}…); "
            f"'pledgegraph reason' removes {'it' if one else 'them'}",
            err=True,
        )


def _backup_folder(directory: str, *, to_write: bool) -> None:
    """One clear line for a backup folder that cannot be one: missing, or a file."""
    from pathlib import Path

    from pledgegraph.errors import InputError

    path = Path(directory)
    if to_write:
        if path.exists() and not path.is_dir():
            raise InputError(
                "is a file, not a folder", hint="give a new folder for the backup", where=directory
            )
        parent = next((p for p in path.absolute().parents if p.exists()), None)
        if parent is not None and not parent.is_dir():
            raise InputError(
                f"{parent} is a file, not a folder",
                hint="give a new folder for the backup",
                where=directory,
            )
        return
    if not path.exists():
        raise InputError(
            "no such backup folder",
            hint="give the folder written by 'pledgegraph backup' (check the path)",
            where=directory,
        )
    if not path.is_dir():
        raise InputError(
            "is a file, not a backup folder",
            hint="give the folder written by 'pledgegraph backup'",
            where=directory,
        )


@click.command()
@click.argument("directory")
def backup(directory: str) -> None:
    """Write a consistent copy of the store to DIRECTORY (a new folder outside the store)."""
    _backup_folder(directory, to_write=True)
    import os

    existed = os.path.lexists(directory)  # store.backup refuses a folder that exists
    store = state().store()
    try:
        written = store.backup(directory)
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM: no half-written backup left behind
        if not existed:
            import shutil

            shutil.rmtree(directory, ignore_errors=True)
        raise
    click.echo(f"backed up {store.path} to {written}", err=True)


@click.command()
@click.argument("directory")
def restore(directory: str) -> None:
    """Replace the store by the backup in DIRECTORY (written by 'pledgegraph backup')."""
    from pledgegraph.errors import StoreError
    from pledgegraph.graph.remote import Endpoints, is_remote
    from pledgegraph.graph.store import Store, default_store_path
    from pledgegraph.graph.storedir import check as check_store_path

    current = state()
    target = current.store_path if current.store_path is not None else str(default_store_path())
    if is_remote(target):
        raise StoreError(
            "a remote store is restored by its server, not by pledgegraph",
            hint="use the server's restore tool, or 'pledgegraph import' into an empty server",
            where=Endpoints.from_url(target).base,
        )
    check_store_path(target)  # a bad --store first, as every command says it
    _backup_folder(directory, to_write=False)
    current.close()
    restored = Store.restore(directory, target)
    from pledgegraph.graph.store import index_quads

    data = len(restored.inner) - sum(index_quads(restored).values())  # as stats counts
    click.echo(f"restored {target} from {directory}: {counted(data, 'quad')}", err=True)
    restored.close()


@click.command()
@click.argument("source")
def remove(source: str) -> None:
    """Remove the source SOURCE, named by its graph IRI, its key, its URL or the fact sheet
    file it was loaded from (an RDF file also by its file name).

    All or nothing (also if killed: finished at the next open). A file's other named graphs go
    with it; the shared ontology, reference and links graphs stay.

    \b
    Examples:
      pledgegraph remove cryptonews-7376
      pledgegraph remove https://w3id.org/pledgegraph/graph/source/cryptonews-7376
      pledgegraph remove extra.ttl
      pledgegraph remove my-article.pledges.yaml
    """
    store = state().store()
    for graph in store.remove(source):
        click.echo(f"removed <{graph}>", err=True)
    note = store.stale_note()
    if note:
        click.echo(note, err=True)
