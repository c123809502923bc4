"""``pledgegraph export``: the store (or one graph) in a standard RDF format."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pledgegraph.commands._context import RDF_FORMAT_CHOICES, state


@click.command()
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(RDF_FORMAT_CHOICES),
    default="turtle",
    show_default=True,
    help="RDF format.",
)
@click.option("--graph", help="Export only this named graph [default: every graph].")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=str),
    help="Write to a file instead of stdout.",
)
def export(fmt: str, graph: str | None, output: str | None) -> None:
    """Export the store as Turtle, JSON-LD, N-Triples, N-Quads, TriG or RDF/XML.

    The output is deterministic: the same store always gives the same bytes. Triple formats
    merge all graphs; nquads and trig keep the graph names.
    """
    from pledgegraph.graph.export import export as run_export

    text = run_export(state().store(), fmt, graph=graph)
    if output is None:
        sys.stdout.write(text)
        return
    from pledgegraph.errors import InputError

    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(
            f"cannot write: {exc.strerror}", path=output, hint="choose a writable path"
        ) from None
    click.echo(f"wrote {output}", err=True)
