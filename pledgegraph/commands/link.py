"""``pledgegraph link``: link regions to Wikidata, GeoNames and ISO 3166 (the links graph).

Registered in :mod:`pledgegraph.cli` with ``main.add_command(link)``. Thin: one call to
:func:`pledgegraph.graph.linking.run.run_link`, then the report on stderr (like ``load``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from pledgegraph.commands._context import FiniteRange
from pledgegraph.errors import counted

if TYPE_CHECKING:
    from pledgegraph.graph.linking.links import LinkReport
    from pledgegraph.graph.linking.reconcile import Reconciliation

#: Unmatched regions listed with "closest known names" (finding those is slow for thousands).
SHOW_UNMATCHED = 20


@click.command("link")
@click.option(
    "--endpoint",
    metavar="URL",
    help="Also reconcile regions the bundled table has no Wikidata id for against this "
    "Wikidata-shaped SPARQL endpoint (e.g. https://query.wikidata.org/sparql).",
)
@click.option(
    "--threshold",
    type=FiniteRange(0.0, 1.0),
    default=0.8,
    show_default=True,
    help="Lowest score (0-1) at which a reconciled candidate is linked without review.",
)
@click.option(
    "--review",
    metavar="FILE.csv",
    help="Write the regions that need review, with their candidates, to this CSV.",
)
@click.option(
    "--accept",
    metavar="FILE.csv",
    help="Link the rows marked accept=yes in a review CSV (edited by you).",
)
@click.option(
    "--timeout",
    type=FiniteRange(min=0.0, min_open=True),
    default=10.0,
    show_default=True,
    help="Seconds to wait for each answer of the endpoint.",
)
@click.option(
    "--dry-run", is_flag=True, help="Show what would be linked; change nothing in the store."
)
def link(
    endpoint: str | None,
    threshold: float,
    review: str | None,
    accept: str | None,
    timeout: float,
    dry_run: bool,
) -> None:
    """Link regions to Wikidata, GeoNames and ISO 3166 codes.

    Every region in the store is matched against the bundled link table (offline) and gets
    owl:sameAs links to its Wikidata entity and GeoNames feature, its ISO 3166 code and its
    partOf link, in the named graph https://w3id.org/pledgegraph/graph/links, described as
    VoID linksets. Running it again replaces that graph.

    \b
    Examples:
      pledgegraph link
      pledgegraph link --endpoint https://query.wikidata.org/sparql --review review.csv
      pledgegraph link --accept review.csv
      pledgegraph export --graph https://w3id.org/pledgegraph/graph/links
    """
    from pledgegraph.commands._context import state
    from pledgegraph.graph.linking.run import run_link

    report = run_link(
        state().store(),
        endpoint=endpoint,
        threshold=threshold,
        timeout=timeout,
        review=review,
        accept=accept,
        dry_run=dry_run,
    )
    _print_report(report, review=review)


def _print_report(report: LinkReport, *, review: str | None) -> None:
    from pledgegraph.graph.linking.links import closest_names
    from pledgegraph.ontology import LINKS_GRAPH

    def say(text: str) -> None:
        click.echo(text, err=True)

    verb = "would link" if not report.written else "linked"
    say(
        f"{verb} {report.linked} of {report.regions} regions in <{LINKS_GRAPH}> "
        f"({counted(report.triples, 'triple')}): {report.wikidata} to Wikidata, {report.geonames} to "
        f"GeoNames, {report.iso_only} by ISO code only"
    )
    if report.kept or report.accepted:
        say(f"kept {report.kept} links accepted earlier; {report.accepted} accepted from the file")
    if report.reconciliation is not None:
        _print_reconciliation(report.reconciliation, review=review)
    if report.unlinked:
        shown = ", ".join(report.unlinked[:5]) + (" …" if len(report.unlinked) > 5 else "")
        say(
            f"{counted(len(report.unlinked), 'region')} "
            f"{'has' if len(report.unlinked) == 1 else 'have'} no id in the table ({shown}); "
            "reconcile them with --endpoint URL"
        )
    for unmatched in report.unmatched[:SHOW_UNMATCHED]:
        close = closest_names(unmatched.label if unmatched.label else unmatched.key)
        hint = f"; closest known names: {', '.join(close)}" if close else ""
        say(f"not matched: {unmatched.key} ({unmatched.label}){hint}")
    if len(report.unmatched) > SHOW_UNMATCHED:
        say(f"… and {len(report.unmatched) - SHOW_UNMATCHED} more regions not matched")
    if not report.written:
        say("dry run: the store was not changed")


def _print_reconciliation(reconciliation: Reconciliation, *, review: str | None) -> None:
    def say(text: str) -> None:
        click.echo(text, err=True)

    accepted, pending = reconciliation.accepted, reconciliation.to_review
    say(
        f"reconciled {len(reconciliation.decisions)} regions against {reconciliation.endpoint}: "
        f"{len(accepted)} accepted (score >= {reconciliation.threshold:g}), "
        f"{len(pending)} to review"
    )
    for decision in accepted:
        best = decision.accepted
        assert best is not None
        say(f"  {decision.subject.key} -> {best.qid} {best.label} ({best.score:.3f})")
    if pending and review is not None:
        say(
            f"review: wrote {len(pending)} regions to {review}; set accept to yes on the right "
            f"rows, then run 'pledgegraph link --accept {review}'"
        )
    elif pending:
        say("pass --review FILE.csv to write the regions to review, with their candidates")
