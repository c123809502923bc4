"""``pledgegraph link`` as one library call: table links plus reviewed and reconciled ones.

Sits above :mod:`.links` (the table and the links graph) and :mod:`.reconcile` (matching against
an endpoint), which both it uses; neither of them imports this module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pledgegraph.errors import InputError
from pledgegraph.graph.linking.links import (
    LINKSETS,
    LinkReport,
    make_report,
    plan_links,
    rebuilt_links,
    write_links,
)
from pledgegraph.graph.linking.reconcile import read_accepted, reconcile, write_review

if TYPE_CHECKING:
    from pledgegraph.graph.store import Store


def run_link(
    store: Store,
    *,
    endpoint: str | None = None,
    threshold: float = 0.8,
    timeout: float = 10.0,
    review: str | None = None,
    accept: str | None = None,
    dry_run: bool = False,
    now: str | None = None,
) -> LinkReport:
    """``pledgegraph link``: table links, plus reviewed and reconciled ones, in one update.

    With ``endpoint``, regions the table gives no Wikidata id are reconciled against it
    (:func:`pledgegraph.graph.linking.reconcile.reconcile`); matches scoring at least
    ``threshold`` are linked and the rest written to ``review`` (a CSV the user edits and
    feeds back as ``accept``). Everything that talks to the network runs before anything is
    written, so a failure leaves the links graph as it was. ``dry_run`` writes nothing to the
    store (the review file is still written).
    """
    if review is not None and endpoint is None:
        raise InputError(
            "a review file needs an endpoint to reconcile against",
            hint="pass --endpoint URL, or drop --review",
            where="--review",
        )
    if endpoint is not None:
        from pledgegraph.graph.linking.http import check_endpoint

        endpoint = check_endpoint(endpoint)
    plan = plan_links(store)
    accepted = 0
    if accept is not None:
        for accepted_link in read_accepted(accept, plan, endpoint=endpoint, timeout=timeout):
            plan.add(accepted_link)
            accepted += 1
    reconciliation = None
    if endpoint is not None:
        reconciliation = reconcile(plan, endpoint, threshold=threshold, timeout=timeout)
        for found in reconciliation.links():
            plan.add(found)
            plan.sources.add((LINKSETS[found.dataset][0], endpoint))
        if review is not None:
            write_review(review, reconciliation)
    triples = (
        len(rebuilt_links(store, plan, now=now)) if dry_run else write_links(store, plan, now=now)
    )
    return make_report(
        plan,
        triples=triples,
        written=not dry_run,
        accepted=accepted,
        reconciliation=reconciliation,
    )
