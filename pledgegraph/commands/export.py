"""``pledgegraph export`` and ``pledgegraph import``: the store in a standard RDF format, and back."""

from __future__ import annotations

import sys

import click

from pledgegraph.commands._context import RDF_FORMAT_CHOICES, state
from pledgegraph.errors import counted


@click.command()
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(RDF_FORMAT_CHOICES),
    help="RDF format [default: from the extension of --output (.ttl, .nt, .nq, .trig, "
    ".jsonld, .json, .rdf, .owl, .xml), else turtle].",
)
@click.option("--graph", help="Export only this named graph [default: every asserted graph].")
@click.option(
    "--inferred", is_flag=True, help="Add the inferred graph (written by 'pledgegraph reason')."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=str),
    help="Write to a file (outside the store's folder) instead of stdout.",
)
def export(fmt: str | None, graph: str | None, inferred: bool, output: str | None) -> None:
    """Export the store as Turtle, JSON-LD, N-Triples, N-Quads, TriG or RDF/XML.

    By default the asserted data: every graph but the inferred one (--inferred adds it). The
    output is deterministic: the same store always gives the same bytes. Triple formats merge
    all graphs; nquads and trig keep the graph names. 'pledgegraph import' loads an export into
    a new store, where every stored question gives the same answers.

    \b
    Examples:
      pledgegraph export -f nquads -o store.nq
      pledgegraph --store new-store import store.nq
    """
    from pledgegraph.graph.export import export_to_file, write_export

    fmt = _output_format(fmt, output)
    if inferred and fmt not in ("nquads", "trig"):
        click.echo(
            f"Note: {fmt} has one graph: the inferred triples are mixed with the data, and "
            "'import' will read them as data; export to nquads or trig to keep them apart",
            err=True,
        )
    store = state().store()
    if output is None:
        sys.stdout.flush()
        rdf_1_2 = write_export(store, sys.stdout.buffer, fmt, graph=graph, inferred=inferred)
        sys.stdout.buffer.flush()
    else:
        rdf_1_2 = export_to_file(store, output, fmt, graph=graph, inferred=inferred)
        click.echo(f"wrote {output}", err=True)
    if rdf_1_2:
        # (a new user's trial: rdflib 7 refused such an export without a word from us)
        click.echo(
            f"Note: the export holds RDF 1.2 {' and '.join(sorted(rdf_1_2))}, written in RDF "
            "1.2 syntax: 'pledgegraph import' and RDF 1.2 readers (pyoxigraph, Oxigraph) read "
            "it, RDF 1.1 readers such as rdflib 7 do not",
            err=True,
        )


def _output_format(given: str | None, output: str | None) -> str:
    """The format of an export: ``given``, else the one the output file's extension names,
    else Turtle. A file named for another format than the one given is refused (a new user's
    trial: ``export -o out.nq`` wrote Turtle, which ``import out.nq`` then could not read)."""
    from pathlib import Path

    from pledgegraph.errors import InputError
    from pledgegraph.graph.formats import extension_of, format_of_name

    named = format_of_name(output) if output is not None else None
    if given is not None and named is not None and given != named:
        raise InputError(
            f"the extension {Path(output or '').suffix!r} names {named}, not {given}",
            hint=f"name the file for {given} (such as export{extension_of(given)}), or leave "
            "out --format to write the format the name says",
            where="--output",
        )
    if given is None and named is None and output is not None and Path(output).suffix:
        click.echo(
            f"Note: {output}: {Path(output).suffix!r} names no RDF format; writing Turtle "
            "(--format chooses another)",
            err=True,
        )
    return given or named or "turtle"


@click.command("import")
@click.argument("file")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(RDF_FORMAT_CHOICES),
    help="RDF format of the file [default: from the extension].",
)
@click.option(
    "--graph", help="Graph for the triples of a triple format [default: one named after the file]."
)
def import_(file: str, fmt: str | None, graph: str | None) -> None:
    """Load an export into a new, empty store (the round trip of 'pledgegraph export').

    The store (--store) must be new or empty; it gets no bundled data, only the file's.
    N-Quads and TriG give back every graph; the triples of Turtle, N-Triples, RDF/XML or
    JSON-LD go into one graph. Either way every stored question gives the answers it gave on
    the exported store. All or nothing: a malformed file leaves the store empty. '-' reads
    standard input (with --format).

    \b
    Example:
      pledgegraph export -f trig -o all.trig
      pledgegraph --store copy import all.trig
    """
    from pledgegraph.graph.export import import_dataset
    from pledgegraph.loaders.text import read_bytes

    data = read_bytes("-") if file == "-" else None  # within the input limit
    store = state().store(initialise=False)
    report = import_dataset(store, file, format=fmt, graph=graph, data=data)
    count = len(report.graphs)
    click.echo(
        f"imported {file}: {counted(report.quads, 'quad')} in {counted(count, 'graph')}",
        err=True,
    )
    for note in report.notes:
        click.echo(note, err=True)
    from pledgegraph.graph.formats import format_of_name

    if (fmt or format_of_name(file)) not in ("nquads", "trig"):
        click.echo(
            "Note: a triple format has no graphs: the sources are in one graph here, so the "
            "questions answer as before but 'remove' cannot take a source out; import an "
            "N-Quads or TriG export to keep them apart",
            err=True,
        )
