"""The HTML pages: home (the headline answer and charts), one form per stored question, a query
editor, and one page per resource (``/id/…``).

Pages are rendered on the server with Jinja2 and work without JavaScript and without network
access (no CDN: one stylesheet and one small script of our own under ``/static``). Questions run
through the same query workers as the API; their SPARQL JSON results become table rows here.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import TYPE_CHECKING, Any

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

if TYPE_CHECKING:
    import jinja2
    import pyoxigraph as ox

HEADLINE = "parks-by-year"


@cache
def _environment() -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("pledgegraph.server", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(
    name: str, status: int = 200, headers: dict[str, str] | None = None, **values: Any
) -> HTMLResponse:
    html = _environment().get_template(name).render(**values)
    return HTMLResponse(html, status_code=status, headers=headers)


def cell(term: dict[str, str] | None) -> dict[str, str]:
    """A table cell from a SPARQL JSON term: text, and a link for IRIs (ours stay local)."""
    import pyoxigraph as ox

    from pledgegraph.graph.formats import short
    from pledgegraph.ontology import ID

    if term is None:
        return {"text": ""}
    value = term.get("value", "")
    if term.get("type") == "uri":
        href = "/id/" + value[len(ID) :] if value.startswith(ID) else value
        return {"text": short(ox.NamedNode(value)), "href": href}
    return {"text": value}


async def run_question(request: Request, name: str, values: dict[str, str]) -> dict[str, Any]:
    """Columns and rows of a stored question's answer (or ``error``: the binding's message)."""
    from pledgegraph import queries
    from pledgegraph.errors import QueryError
    from pledgegraph.server.core import server_of
    from pledgegraph.server.workers import Job, JobError

    server = server_of(request)
    stored = queries.get(name)
    try:
        sparql = queries.with_values(
            stored.sparql, queries.bind(stored, values, flag=queries.URL_FLAG)
        )
        answer = await server.runner.run(
            Job(
                sparql,
                where=f"query {name}",
                result_format="json",
                max_bytes=server.config.max_result_bytes,
                allow_service=server.config.allow_service,
            )
        )
    except (QueryError, JobError) as error:
        return {"error": error.message}
    return _table(json.loads(answer.body))


def _table(data: dict[str, Any]) -> dict[str, Any]:
    if "boolean" in data:
        return {"columns": ["answer"], "rows": [[{"text": str(data["boolean"]).lower()}]]}
    columns = data["head"]["vars"]
    rows = [[cell(b.get(c)) for c in columns] for b in data["results"]["bindings"]]
    return {"columns": columns, "rows": rows}


def _number(row: list[dict[str, str]], index: int) -> int:
    try:
        return int(row[index]["text"])
    except (ValueError, KeyError, IndexError):
        return 0


async def home(request: Request) -> Response:
    from pledgegraph import queries
    from pledgegraph.ontology import TARGET_KINDS
    from pledgegraph.server.charts import bar_chart

    headline = queries.get(HEADLINE)
    year = request.query_params.get("year") or (headline.parameter("year") or _none()).default or ""
    answer = await run_question(request, HEADLINE, {"year": year})
    charts = []
    totals = await run_question(request, "totals-by-kind", {})
    if "rows" in totals:
        cols = totals["columns"]
        k, y, n = cols.index("kind"), cols.index("deadlineYear"), cols.index("targets")
        years = sorted({row[y]["text"] or "no deadline" for row in totals["rows"]})
        series = {kind: [0] * len(years) for kind in TARGET_KINDS}
        for row in totals["rows"]:
            series.setdefault(row[k]["text"], [0] * len(years))
            series[row[k]["text"]][years.index(row[y]["text"] or "no deadline")] += _number(row, n)
        charts.append(bar_chart("Targets due per deadline year, by kind", years, series))
    regions = await run_question(request, "compare-regions", {})
    if "rows" in regions:
        cols = regions["columns"]
        names = [row[cols.index("regionName")]["text"] or row[0]["text"] for row in regions["rows"]]
        # The question's kind columns are SPARQL names ("researchCentres"); the chart names
        # kinds as everywhere else ("research_centres").
        column = {re.sub(r"_(.)", lambda m: m.group(1).upper(), k): k for k in TARGET_KINDS}
        series = {
            column[c]: [_number(row, i) for row in regions["rows"]]
            for i, c in enumerate(cols)
            if c in column
        }
        charts.append(bar_chart("Targets per region, by kind", names, series))
    sources = await run_question(request, "sources", {})
    if "rows" in sources:
        cols = sources["columns"]
        heads = [_shorten(row[cols.index("headline")]["text"]) for row in sources["rows"]]
        pledges = [_number(row, cols.index("pledges")) for row in sources["rows"]]
        charts.append(bar_chart("Pledges per source", heads, {"pledges": pledges}, unit="pledge"))
    return render(
        "home.html",
        headline=headline,
        year=year,
        answer=answer,
        charts=[Markup(svg) for svg in charts],
        questions=list(queries.catalogue().values()),
    )


def _none() -> Any:
    class _Empty:
        default = None

    return _Empty()


def _shorten(text: str, size: int = 48) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


async def question_page(request: Request) -> Response:
    from pledgegraph import queries
    from pledgegraph.errors import QueryError
    from pledgegraph.ontology import TARGET_KINDS

    name = request.path_params["name"]
    try:
        stored = queries.get(name)
    except QueryError as error:
        return await error_page(request, 404, error.message)
    pairs = [
        (k, v)
        for k, v in request.query_params.multi_items()
        if v != "" and k not in ("run", "format", "inferred")
    ]
    given = dict(pairs)
    answer = None
    try:  # a value given twice is refused, as /api/NAME refuses it (it took the last one)
        queries.values_once(stored, pairs)
    except QueryError as error:
        answer = {"error": error.message}
    if answer is None and (  # a shared or bookmarked URL with values shows the answer
        "run" in request.query_params
        or given
        or not any(p.required and p.default is None for p in stored.parameters)
    ):
        answer = await run_question(request, name, given)
    choices: dict[str, list[str]] = {"kind": list(TARGET_KINDS)}
    from pledgegraph.loaders.factsheet import SECTORS

    choices["sector"] = list(SECTORS)
    choices["boolean"] = ["true", "false"]
    from urllib.parse import urlencode

    types = {p.name: p.type for p in stored.parameters}
    shown = {  # the form shows the value used: "Parks" selects parks
        k: queries.notation(v) if types.get(k) in ("kind", "sector") else v
        for k, v in given.items()
    }
    return render(
        "question.html",
        status=400 if answer is not None and "error" in answer else 200,
        query=stored,
        values=shown,
        answer=answer,
        choices=choices,
        api=f"/api/{name}" + ("?" + urlencode(given) if given else ""),
        sep="&" if given else "?",
    )


async def editor_page(request: Request) -> Response:
    from pledgegraph.server.core import HttpError, server_of

    text = request.query_params.get("query", "")
    answer = None
    if text.strip():
        server = server_of(request)
        try:
            job = server.make_job(  # the page shows the answer: Accept is the page's, not the job's
                text,
                given=None,
                inferred=request.query_params.get("inferred"),
                accept=None,
                where="query",
            )
            from dataclasses import replace

            result = await server.runner.run(
                replace(job, result_format="json", rdf_format="ntriples")
            )
            if result.kind == "graph":
                answer = {"graph": result.body.decode("utf-8")}
            else:
                answer = _table(json.loads(result.body))
        except HttpError as error:
            answer = {"error": error.message}
        except Exception as error:  # JobError
            answer = {"error": getattr(error, "message", str(error))}
    return render("editor.html", text=text or _EXAMPLE, answer=answer)


_EXAMPLE = """SELECT ?region ?kind (COUNT(?target) AS ?targets)
WHERE {
  ?pledge a pledge:Pledge ; pledge:region ?region ; pledge:hasTarget ?target .
  ?target pledge:kind ?kind .
}
GROUP BY ?region ?kind
ORDER BY ?region ?kind"""


async def resource_page(request: Request, iri: str, triples: list[ox.Triple]) -> Response:
    import pyoxigraph as ox

    from pledgegraph.graph.formats import short

    label = iri
    rows = []
    for triple in triples:
        subject = _term_cell(triple.subject)
        if (
            triple.subject == ox.NamedNode(iri)
            and short(triple.predicate) in ("rdfs:label", "schema:headline")
            and label == iri
        ):
            label = triple.object.value if isinstance(triple.object, ox.Literal) else label
        rows.append([subject, _term_cell(triple.predicate), _term_cell(triple.object)])
    return render("resource.html", iri=iri, label=label, rows=rows)


def _term_cell(term: Any) -> dict[str, str]:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return cell({"type": "uri", "value": term.value})
    if isinstance(term, ox.BlankNode):
        return {"text": f"_:{term.value}"}
    return {"text": term.value}


async def error_page(
    request: Request, status: int, message: str, headers: dict[str, str] | None = None
) -> Response:
    return render("error.html", status=status, headers=headers, code=status, message=message)
