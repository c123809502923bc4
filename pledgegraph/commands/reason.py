"""``pledgegraph reason``: materialise the OWL 2 RL entailments, or check the ontology's profile.

Registered by ``pledgegraph/cli.py`` (``main.add_command(reason)``). Like every command it
parses options, calls one library function (:func:`pledgegraph.graph.reasoning.materialise.materialise` or
:func:`pledgegraph.graph.reasoning.profile.check_profile`) and formats the result; importing this
module imports nothing heavy.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from pledgegraph.errors import EXIT_PARTIAL, counted

if TYPE_CHECKING:
    from pledgegraph.graph.reasoning.engine import ReasonReport
    from pledgegraph.graph.store import Store


@click.command()
@click.option(
    "--rebuild",
    is_flag=True,
    help="Recompute even when the inferred graph is up to date (e.g. after editing the "
    "ontology by hand or upgrading pledgegraph).",
)
@click.option(
    "--check-profile",
    is_flag=True,
    help="Only check that the ontology stays inside OWL 2 RL: list the axioms outside it "
    "(exit 1 if any). Writes nothing.",
)
def reason(rebuild: bool, check_profile: bool) -> None:
    """Materialise what the ontology entails into the inferred graph.

    Applies the OWL 2 RL rules to every graph of the store and writes the new triples,
    all or nothing, to the graph https://w3id.org/pledgegraph/graph/inferred: superclasses
    (a pledge:Region is a schema:AdministrativeArea), superproperties (pledge:pledgedBy is
    prov:wasAttributedTo), inverses (pledge:hasPart, pledge:targetOf, pledge:governedBy) and
    the transitive pledge:partOf (a city's pledges count in its province and its country).
    Queries see the inferred graph unless given --no-inferred.

    Without --rebuild nothing is done when the inferred graph is current (no load or removal
    since it was made); otherwise it is recomputed from the asserted data in full.

    \b
    Exit codes: 0 done (or the ontology is inside OWL 2 RL), 1 --check-profile found axioms
    outside OWL 2 RL, 2 could not reason (e.g. the store is in use, or the data entails
    an owl:sameAs with a region of pledgegraph's that no link states), 3 a remote store
    did not answer a write in time (it may have been applied or not; run it again).

    \b
    Examples:
      pledgegraph reason
      pledgegraph query reason-region-totals --param region=CN
      pledgegraph reason --check-profile
    """
    store = _store()
    if check_profile:
        _check_profile(store)
        return
    from pledgegraph.graph.reasoning.engine import materialise

    report = materialise(store, force=rebuild, progress=progress_printer())
    print_summary(report)


def _store() -> Store:
    """The command's store (opened on first use, closed when the command ends)."""
    from pledgegraph.commands._context import state

    return state().store()


def progress_printer() -> Callable[[str], None] | None:
    """Progress lines on stderr when it is a terminal (a run on a large store takes seconds)."""
    if not sys.stderr.isatty():
        return None

    def say(message: str) -> None:
        click.echo(f"  {message}", err=True)

    return say


def print_summary(report: ReasonReport) -> None:
    """The run's one-line summary (and any note or inconsistency) on stderr."""
    if report.up_to_date:
        click.echo(
            f"the inferred graph is up to date ({counted(report.inferred, 'triple')}); "
            "pass --rebuild to recompute it",
            err=True,
        )
        return
    if report.note:
        click.echo(f"Note: {report.note}", err=True)
    rounds = f"{report.rounds} round{'s' if report.rounds != 1 else ''}"
    click.echo(
        f"inferred {counted(report.inferred, 'triple')} in {rounds}, {report.seconds:.2f} s",
        err=True,
    )
    for message in report.inconsistencies:
        click.echo(f"Warning: inconsistent data: {message}", err=True)


def _check_profile(store: Store) -> None:
    from pledgegraph.graph.reasoning.profile import check_profile

    issues = check_profile(store)
    for issue in issues:
        where = f" [{issue.graph}]" if issue.graph else ""
        click.echo(f"{issue}{where}")
    if not issues:
        click.echo("the ontology is inside OWL 2 RL", err=True)
        return
    count = len(issues)
    click.echo(f"{count} axiom{'s' if count != 1 else ''} outside OWL 2 RL", err=True)
    sys.exit(EXIT_PARTIAL)
