"""The writes of ``--write-token``, run by the supervisor, which holds the store.

The HTTP worker processes only read (see :mod:`pledgegraph.server.supervisor`): a write request
is parsed and authorised there, then sent to the supervisor as ``(name, arguments)``; the
supervisor runs the function of :data:`WRITES` with its store, one write at a time, and
answers with :func:`perform`'s ``(status, body)``. Each function calls the same library path as
its command. After a write the workers reopen their read-only views.
"""

from __future__ import annotations

import re
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


def load_source(store: Store, text: str, lenient: bool, replace: bool = False) -> dict[str, Any]:
    """A fact sheet (YAML text): validated, then loaded as its source's graph (as the CLI).

    422: the body is not a fact sheet that validates (it cannot be read as one, or the shapes
    and rules find errors and not ``lenient``); 409: it conflicts with a source of the store
    (the same article under another key, another article under its key) and not ``replace``.
    """
    from pledgegraph.errors import PledgeGraphError
    from pledgegraph.graph.validation.checks import validate_factsheet
    from pledgegraph.graph.validation.report import problem_line
    from pledgegraph.loaders.factsheet import parse_factsheet

    try:
        sheet = parse_factsheet(text, path="request body")
    except PledgeGraphError as error:
        raise Refused(422, _body(422, error.message, error.lines)) from None
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
    try:
        (loaded,) = store.load_factsheets([sheet], replace=replace)
    except PledgeGraphError as error:  # (InputError: a conflict with the store's sources)
        raise Refused(409, _body(409, error.message, error.lines)) from None
    return {
        "graph": loaded.graph,
        "quads": loaded.quads,
        "replaced": loaded.replaced,
        "unchanged": loaded.unchanged,  # (the store held this version: nothing written)
        "warnings": problems + [note.removeprefix("Warning: ") for note in loaded.notes],
    }


def remove_source(
    store: Store, graph: str | None = None, source: str | None = None
) -> dict[str, Any]:
    """The CLI's ``remove``: journalled, and a file's other graphs go with it. ``graph``: the
    source's graph IRI; ``source``: its graph IRI, key or URL, as ``pledgegraph remove``."""
    from pledgegraph.errors import InputError

    if graph is not None and graph not in store.source_graphs():  # never pledgegraph's own
        message = (
            f"graph {graph}: no such source in the store (pledgegraph's own graphs "
            "cannot be removed); see /api/sources"
        )
        raise Refused(404, {"error": message, "status": 404})
    if graph is None:
        assert source is not None
        try:
            graph = store.find_source(source)
        except InputError:
            message = (
                f"source {source}: no such source in the store; name it by its graph IRI, "
                "key or URL (see /api/sources)"
            )
            raise Refused(404, {"error": message, "status": 404}) from None
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
        return 400, _body(400, error.message, error.lines)
    except Exception as exc:  # a bug: answered, logged, and the server keeps serving
        import sys
        import traceback

        traceback.print_exc(file=sys.stderr)
        try:  # finish or undo what the write left, as the next open would
            store.recover()
        except Exception:  # (logged above; the next open tries again)
            traceback.print_exc(file=sys.stderr)
        text = " ".join(str(exc).split())[:300]
        message = f"{name}: internal error: {type(exc).__name__}: {text}; please report it"
        return 500, {"error": message, "status": 500}


def _body(status: int, message: str, lines: list[str]) -> dict[str, Any]:
    """A refusal's JSON, its advice in the HTTP API's own terms (not the CLI's options)."""
    return {
        "error": http_words(message),
        "status": status,
        "problems": [http_words(line) for line in lines],
    }


#: The CLI's words in a library message, and what a client of the write API does instead.
_HTTP_WORDS = (
    (re.compile(r"pledgegraph remove ([^\s)'\"]+)"), r"DELETE /api/store/sources?source=\1"),
    (re.compile(r"--replace\b"), "replace=true"),
    (re.compile(r"--lenient\b"), "lenient=true"),
    (re.compile(r"'pledgegraph stats --graphs'"), "GET /api/sources"),
)


def http_words(text: str) -> str:
    """``text`` with the command-line advice in it said for the HTTP write API."""
    for pattern, words in _HTTP_WORDS:
        text = pattern.sub(words, text)
    return text
