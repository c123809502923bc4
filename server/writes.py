"""The writes of ``--write-token``, run by the supervisor, which holds the store.

The HTTP worker processes only read (see :mod:`pledgegraph.server.supervisor`): a write request
is parsed and authorised there, then sent to the supervisor as ``(name, arguments)``; the
supervisor runs the function of :data:`WRITES` with its store, one write at a time, and
answers with :func:`perform`'s ``(status, body)``. Each function calls the same library path as
its command. After a write the workers reopen their read-only views.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pledgegraph.graph.store import Store


class Refused(Exception):
    """A write that is not done: ``status`` and the JSON ``body`` to answer with."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(status, body)
        self.status = status
        self.body = body


#: How a client of the write API refreshes the inferred graph.
REFRESH = "POST /api/store/reason"


def load_source(store: Store, text: str, lenient: bool) -> dict[str, Any]:
    """A fact sheet (YAML text): validated, then loaded as its source's graph (as the CLI)."""
    from pledgegraph.graph.validation.checks import validate_factsheet
    from pledgegraph.graph.validation.report import problem_line
    from pledgegraph.loaders.factsheet import parse_factsheet

    sheet = parse_factsheet(text, path="request body")
    report = validate_factsheet(sheet, shacl=True)
    problems = [problem_line(p) for p in report.errors]
    if problems and not lenient:
        count = len(problems)
        raise Refused(
            422,
            {
                "error": f"request body: not loaded: {count} validation error"
                f"{'s' if count != 1 else ''}; fix the fact sheet, or pass lenient=true",
                "status": 422,
                "problems": problems,
            },
        )
    (loaded,) = store.load_factsheets([sheet])
    return {
        "graph": loaded.graph,
        "quads": loaded.quads,
        "replaced": loaded.replaced,
        "warnings": problems + [note.removeprefix("Warning: ") for note in loaded.notes],
    }


def remove_source(store: Store, graph: str) -> dict[str, Any]:
    """The CLI's ``remove``: journalled, and a file's other graphs go with it."""
    if graph not in store.source_graphs():  # never pledgegraph's own graphs
        message = (
            f"graph {graph}: no such source in the store (pledgegraph's own graphs "
            "cannot be removed); see /api/sources"
        )
        raise Refused(404, {"error": message, "status": 404})
    removed = store.remove(graph)
    return {
        "graph": graph,
        "removed": True,
        "graphs": removed,
        "note": store.stale_note(refresh=REFRESH),
    }


def reason(store: Store) -> dict[str, Any]:
    from pledgegraph.graph.reasoning.engine import materialise

    report = materialise(store, force=True)
    return {
        "inferred": report.inferred,
        "rounds": report.rounds,
        "inconsistencies": list(report.inconsistencies),
    }


def link(store: Store) -> dict[str, Any]:
    from pledgegraph.graph.linking.run import run_link

    report = run_link(
        store,
        endpoint=None,
        threshold=0.8,
        timeout=10.0,
        review=None,
        accept=None,
        dry_run=False,
    )
    return {
        "regions": report.regions,
        "linked": report.linked,
        "wikidata": report.wikidata,
        "geonames": report.geonames,
        "triples": report.triples,
    }


WRITES: dict[str, Callable[..., dict[str, Any]]] = {
    "load_source": load_source,
    "remove_source": remove_source,
    "reason": reason,
    "link": link,
}


def perform(store: Store, name: str, arguments: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """Run the write ``name``: ``(200, result)``, or the status and JSON body of its refusal."""
    from pledgegraph.errors import PledgeGraphError

    try:
        return 200, WRITES[name](store, **arguments)
    except Refused as refused:
        return refused.status, refused.body
    except PledgeGraphError as error:  # every problem the CLI would print, not the first only
        return 400, {"error": error.message, "status": 400, "problems": error.lines}
