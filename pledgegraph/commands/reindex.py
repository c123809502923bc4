"""``pledgegraph reindex``: rebuild (or check) every target's precomputed ``pledge:row``.

Registered by ``pledgegraph/cli.py``. Parses options, calls one library function
(:func:`pledgegraph.graph.rows.rebuild_rows` or :func:`pledgegraph.graph.rows.stale_rows`) and
prints the result; importing this module imports nothing heavy.
"""

from __future__ import annotations

import sys

import click

from pledgegraph.errors import EXIT_PARTIAL, counted

#: The problems of ``reindex --check`` that are index quads on a node that is no target of the
#: graph holding them (written there by a SPARQL update): counted apart from the rows.
_STRAY = ("not a target of this graph", "index outside a source graph")


@click.command()
@click.option(
    "--check",
    is_flag=True,
    help="Only list the targets whose row is missing or out of date (exit 1 if any). "
    "Writes nothing.",
)
def reindex(check: bool) -> None:
    """Rebuild the summary row (pledge:row) of every target, and its short keys, from the graph.

    The listing questions (parks-by-year, targets-by-kind-and-year, due-in-year, ...) read a
    row precomputed on each target (and its short keys pledge:rowYear and pledge:rowPrecision,
    which they filter on first; search reads pledge:rowSearch, provenance and most listing
    and counting questions pledge:rowProvenance) instead of joining through the whole store;
    compare-regions, deadlines and totals-by-kind read per-source summaries (pledge:rowRegions,
    pledge:rowDeadlines, pledge:rowTotals), parks-by-year the due keys (pledge:rowDue on
    each target, pledge:rowDueKeys on each kind), largest-targets the size keys
    (pledge:rowSize) and ranges-and-approximations the range rows (pledge:rowRange), rebuilt and
    checked here too. Loading a fact
    sheet writes its rows, and loading an RDF file whose targets lack them computes them; run
    this after editing the data some other way (e.g. SPARQL Update on a server). Only rows that
    are missing or differ from the graph are written, in one update.

    \b
    Exit codes: 0 done (or, with --check, every row is current), 1 --check found rows
    missing or out of date, 2 could not run (e.g. the store is in use), 3 a remote store
    did not answer the write in time (it may have been applied or not; run it again).

    \b
    Examples:
      pledgegraph reindex
      pledgegraph reindex --check
    """
    from pledgegraph.commands._context import state
    from pledgegraph.graph.rows import rebuild_rows, stale_rows

    store = state().store()
    if check:
        problems = stale_rows(store)
        for graph, target, problem in problems:
            click.echo(f"{target}\t{problem}\t{graph}")
        if problems:
            stray = sum(1 for p in problems if p[2] in _STRAY)
            count = len(problems) - stray
            parts = (
                [f"{count} row{'s' if count != 1 else ''} missing or out of date"] if count else []
            )
            if stray:
                parts.append(
                    f"index on {counted(stray, 'node')} that {'is' if stray == 1 else 'are'} no target"
                )
            click.echo(f"{', '.join(parts)}; run 'pledgegraph reindex'", err=True)
            sys.exit(EXIT_PARTIAL)
        click.echo("every target's row is current", err=True)
        return
    from pledgegraph.graph.backend import writing

    with writing(store.inner, "the write of the summary rows (pledge:row)"):  # exit 3 if unanswered
        report = rebuild_rows(store)
    click.echo(
        f"{counted(report.targets, 'target')}, {counted(report.changed, 'row')} written"
        + (f", summaries of {counted(report.summaries, 'source')}" if report.summaries else "")
        + (f", {counted(report.stray, 'stray index quad')} removed" if report.stray else ""),
        err=True,
    )
