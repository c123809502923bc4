"""``pledgegraph serve``: the real server on a free loopback port, asked by real clients.

- the W3C SPARQL 1.1 Protocol tests that apply to a read-only query endpoint (the spec's test
  manifest, https://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest, rewritten
  here in our own words: one test per entry, named after it);
- SPARQLWrapper, rdflib's ``SPARQLStore`` and httpx as clients;
- the stored questions as a web API (same binding and messages as the CLI), the OpenAPI document
  (validated with openapi-spec-validator) and schemathesis fuzzing of the running API;
- Linked Data, guards (SERVICE allow-list, timeout of a runaway query, size limits, CORS),
  writes with a bearer token, and the store's lock naming the server.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from pledgegraph.graph.store import Store

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

SOURCE_GRAPH = "https://w3id.org/pledgegraph/graph/source/cryptonews-7376"
ONTOLOGY_GRAPH = "https://w3id.org/pledgegraph/graph/ontology"
HEBEI = "https://w3id.org/pledgegraph/id/region/CN-HE"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@dataclass
class ServerProcess:
    """A running ``pledgegraph serve``: its base URL, process and what it wrote on stderr."""

    url: str
    process: subprocess.Popen[str]
    store: Path
    log: list[str] = field(default_factory=list)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_server(store: Path, *options: str) -> ServerProcess:
    """Start ``pledgegraph --store STORE serve --port 0 OPTIONS`` and wait until it answers."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pledgegraph",
            "--store",
            str(store),
            "serve",
            "--port",
            "0",
            *options,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PLEDGEGRAPH_ALLOW_SERVICE": ""},
    )
    assert process.stderr is not None
    log: list[str] = []
    found = threading.Event()

    def drain() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            log.append(line)
            if " at http://" in line:
                found.set()

    threading.Thread(target=drain, daemon=True).start()
    if not found.wait(120):
        process.kill()
        raise RuntimeError("the server did not start: " + "".join(log))
    url = re.search(r"at (http://\S+?)/ ", "".join(log))
    assert url is not None, log
    server = ServerProcess(url.group(1), process, store, log)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(server.url + "/api/parks-by-year", timeout=30).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.1)
    server.stop()
    raise RuntimeError("the server did not answer: " + "".join(log))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A read-only server on a store with the bundled data and an inferred graph."""
    path = tmp_path_factory.mktemp("served") / "store"
    from pledgegraph.graph.reasoning.engine import materialise

    with Store.open(path) as store:
        materialise(store)
    running = start_server(
        path,
        "--timeout",
        "2",
        "--workers",
        "2",
        "--max-query-chars",
        "5000",
        "--max-body-bytes",
        "20000",
        "--no-access-log",
    )
    yield running
    running.stop()


@pytest.fixture(scope="module")
def writable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A server that takes writes with the token 'sesame', small result limit, CORS for one origin."""
    path = tmp_path_factory.mktemp("writable") / "store"
    running = start_server(
        path,
        "--write-token",
        "sesame",
        "--max-result-bytes",
        "4000",
        "--cors-origin",
        "https://example.org",
        "--workers",
        "2",
    )
    yield running
    running.stop()


def get(server: ServerProcess, path: str, **kwargs: object) -> httpx.Response:
    return httpx.get(server.url + path, timeout=30, **kwargs)  # type: ignore[arg-type]


def post(server: ServerProcess, path: str, **kwargs: object) -> httpx.Response:
    data = kwargs.pop("data", None)
    if isinstance(data, list):  # repeated form fields
        from urllib.parse import urlencode

        headers = dict(kwargs.pop("headers", None) or {})  # type: ignore[call-overload]
        headers["content-type"] = "application/x-www-form-urlencoded"
        kwargs["content"] = urlencode(data).encode()
        kwargs["headers"] = headers
    elif data is not None:
        kwargs["data"] = data
    return httpx.post(server.url + path, timeout=30, **kwargs)  # type: ignore[arg-type]


def select_values(response: httpx.Response, name: str) -> list[str]:
    assert response.status_code == 200, response.text
    return [b[name]["value"] for b in response.json()["results"]["bindings"] if name in b]


# --- W3C SPARQL 1.1 Protocol: query tests (manifest entries, in our words) --------------------

COUNT_SOURCES = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a schema:NewsArticle }"
JSON = {"accept": "application/sparql-results+json"}


def test_query_get(server: ServerProcess) -> None:
    # query_get: a query sent with GET and the query parameter is answered.
    response = get(server, "/sparql", params={"query": COUNT_SOURCES}, headers=JSON)
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    assert select_values(response, "n") == ["1"]


def test_query_post_form(server: ServerProcess) -> None:
    # query_post_form: a query in an application/x-www-form-urlencoded POST body.
    response = post(server, "/sparql", data={"query": COUNT_SOURCES}, headers=JSON)
    assert select_values(response, "n") == ["1"]


def test_query_post_direct(server: ServerProcess) -> None:
    # query_post_direct: the unencoded query as an application/sparql-query body.
    response = post(
        server,
        "/sparql",
        content=COUNT_SOURCES.encode(),
        headers={"content-type": "application/sparql-query", **JSON},
    )
    assert select_values(response, "n") == ["1"]


GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
TYPES_IN_DEFAULT = "ASK { ?s a owl:Ontology }"


def test_query_dataset_default_graph_get(server: ServerProcess) -> None:
    # query_dataset_default_graphs_get: default-graph-uri makes the default graph; the ontology
    # is in the default graph only when its graph is named.
    ask = {"query": TYPES_IN_DEFAULT, "default-graph-uri": SOURCE_GRAPH}
    assert get(server, "/sparql", params=ask, headers=JSON).json()["boolean"] is False
    ask["default-graph-uri"] = ONTOLOGY_GRAPH
    assert get(server, "/sparql", params=ask, headers=JSON).json()["boolean"] is True


def test_query_dataset_default_graphs_post(server: ServerProcess) -> None:
    # query_dataset_default_graphs_post: several default-graph-uri in a form POST merge.
    form = [
        ("query", TYPES_IN_DEFAULT),
        ("default-graph-uri", SOURCE_GRAPH),
        ("default-graph-uri", ONTOLOGY_GRAPH),
    ]
    assert post(server, "/sparql", data=form, headers=JSON).json()["boolean"] is True


def test_query_dataset_named_graphs(server: ServerProcess) -> None:
    # query_dataset_named_graphs_post/get: named-graph-uri are the only named graphs.
    params = {"query": GRAPHS, "named-graph-uri": SOURCE_GRAPH}
    assert select_values(get(server, "/sparql", params=params, headers=JSON), "g") == [SOURCE_GRAPH]
    form = [
        ("query", GRAPHS),
        ("named-graph-uri", SOURCE_GRAPH),
        ("named-graph-uri", ONTOLOGY_GRAPH),
    ]
    assert select_values(post(server, "/sparql", data=form, headers=JSON), "g") == sorted(
        [SOURCE_GRAPH, ONTOLOGY_GRAPH]
    )


def test_query_dataset_full(server: ServerProcess) -> None:
    # query_dataset_full: default and named graphs given together.
    query = "SELECT ?g (EXISTS { ?o a owl:Ontology } AS ?onto) WHERE { GRAPH ?g { ?s a pledge:Pledge } } LIMIT 1"
    params = {
        "query": query.replace("?o a", "?o a"),
        "default-graph-uri": ONTOLOGY_GRAPH,
        "named-graph-uri": SOURCE_GRAPH,
    }
    response = get(server, "/sparql", params=params, headers=JSON)
    assert select_values(response, "g") == [SOURCE_GRAPH]


def test_query_multiple_dataset(server: ServerProcess) -> None:
    # query_multiple_dataset: the protocol's dataset overrides the query's FROM.
    query = f"ASK FROM <{ONTOLOGY_GRAPH}> {{ ?s a owl:Ontology }}"
    assert get(server, "/sparql", params={"query": query}, headers=JSON).json()["boolean"] is True
    params = {"query": query, "default-graph-uri": SOURCE_GRAPH}
    assert get(server, "/sparql", params=params, headers=JSON).json()["boolean"] is False


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("*/*", "application/sparql-results+json"),
    ],
)
def test_query_content_type_select(server: ServerProcess, accept: str, media: str) -> None:
    # query_content_type_select: SELECT answers in a SPARQL results format the client accepts.
    response = get(server, "/sparql", params={"query": COUNT_SOURCES}, headers={"accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    assert "1" in response.text


def test_query_content_type_ask(server: ServerProcess) -> None:
    # query_content_type_ask: ASK answers with a boolean result.
    response = get(
        server,
        "/sparql",
        params={"query": "ASK { ?s a pledge:Pledge }"},
        headers={"accept": "application/sparql-results+xml"},
    )
    assert response.headers["content-type"].startswith("application/sparql-results+xml")
    assert "<boolean>true</boolean>" in response.text


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("text/turtle", "text/turtle"),
        ("application/n-triples", "application/n-triples"),
        ("application/ld+json", "application/ld+json"),
        ("application/rdf+xml", "application/rdf+xml"),
    ],
)
def test_query_content_type_construct_and_describe(
    server: ServerProcess, accept: str, media: str
) -> None:
    # query_content_type_describe / query_content_type_construct: an RDF format.
    import rdflib

    for query in (
        f"DESCRIBE <{HEBEI}>",
        f"CONSTRUCT {{ <{HEBEI}> ?p ?o }} WHERE {{ <{HEBEI}> ?p ?o }}",
    ):
        response = get(server, "/sparql", params={"query": query}, headers={"accept": accept})
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].split(";")[0] == media
        graph = rdflib.Graph().parse(
            data=response.text,
            format={
                "text/turtle": "turtle",
                "application/n-triples": "nt",
                "application/ld+json": "json-ld",
                "application/rdf+xml": "xml",
            }[media],
        )
        assert (
            rdflib.URIRef(HEBEI),
            rdflib.RDFS.label,
            rdflib.Literal("Hebei", lang="en"),
        ) in graph


def test_bad_query_method(server: ServerProcess) -> None:
    # bad_query_method: a method other than GET or POST is refused.
    response = httpx.put(server.url + "/sparql", params={"query": COUNT_SOURCES}, timeout=10)
    assert response.status_code == 405


def test_bad_multiple_queries(server: ServerProcess) -> None:
    # bad_multiple_queries: two query parameters are a client error.
    response = get(server, "/sparql", params=[("query", COUNT_SOURCES), ("query", COUNT_SOURCES)])
    assert response.status_code == 400
    assert response.text == "query: more than one query given; send exactly one\n"


def test_bad_query_wrong_media_type(server: ServerProcess) -> None:
    # bad_query_wrong_media_type: a POST body that is not a query or a form is refused.
    response = post(
        server, "/sparql", content=COUNT_SOURCES, headers={"content-type": "text/plain"}
    )
    assert response.status_code == 415
    assert "send application/sparql-query or application/x-www-form-urlencoded" in response.text


def test_bad_query_missing_form_type(server: ServerProcess) -> None:
    # bad_query_missing_form_type: a form POST without its Content-Type is refused.
    response = post(server, "/sparql", content=b"query=ASK%20%7B%7D")
    assert response.status_code == 400
    assert "the POST has no Content-Type" in response.text


def test_bad_query_missing_direct_type(server: ServerProcess) -> None:
    # bad_query_missing_direct_type: a direct POST without its Content-Type is refused.
    response = post(server, "/sparql", content=b"ASK {}")
    assert response.status_code == 400


def test_bad_query_non_utf8(server: ServerProcess) -> None:
    # bad_query_non_utf8: a direct POST in another encoding is refused.
    body = 'ASK { ?s rdfs:label "Hébei" }'.encode("iso-8859-1")
    response = post(
        server,
        "/sparql",
        content=body,
        headers={"content-type": "application/sparql-query; charset=ISO-8859-1"},
    )
    assert response.status_code == 415
    response = post(
        server, "/sparql", content=body, headers={"content-type": "application/sparql-query"}
    )
    assert response.status_code == 400
    assert response.text == "query: the text is not valid UTF-8; send it as UTF-8\n"


def test_bad_query_syntax(server: ServerProcess) -> None:
    # bad_query_syntax: a query that does not parse is a 400 with the parser's message.
    response = get(server, "/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert response.status_code == 400
    assert response.text.startswith("query: SPARQL syntax error: ")


def test_bad_update_get(server: ServerProcess) -> None:
    # bad_update_get: an update sent with GET is refused.
    response = get(server, "/sparql", params={"update": "CLEAR ALL"})
    assert response.status_code == 400


HOW_TO_LOAD = (
    "load data with 'pledgegraph load FILE' while the server is stopped, or start the server "
    "with --write-token and POST a fact sheet to /api/store/sources\n"
)


@pytest.mark.parametrize("how", ["form", "direct", "query get", "query form", "query direct"])
def test_update_is_refused_with_how_to_load(server: ServerProcess, how: str) -> None:
    update = f"INSERT DATA {{ <{HEBEI}> rdfs:label 'x' }}"
    if how == "form":
        response = post(server, "/sparql", data={"update": update})
    elif how == "direct":
        response = post(
            server, "/sparql", content=update, headers={"content-type": "application/sparql-update"}
        )
    elif how == "query get":
        response = get(server, "/sparql", params={"query": update})
    elif how == "query form":
        response = post(server, "/sparql", data={"query": update})
    else:
        response = post(
            server, "/sparql", content=update, headers={"content-type": "application/sparql-query"}
        )
    assert response.status_code == 403
    if how.startswith("query"):
        expected = "query: INSERT is a SPARQL update, and this endpoint is read-only; "
    else:
        expected = "update: SPARQL Update is not accepted, this endpoint is read-only; "
    assert response.text == expected + HOW_TO_LOAD
    ask = get(
        server, "/sparql", params={"query": f"ASK {{ <{HEBEI}> rdfs:label 'x' }}"}, headers=JSON
    )
    assert ask.json()["boolean"] is False


def test_service_description(server: ServerProcess) -> None:
    import rdflib

    response = get(server, "/sparql", headers={"accept": "text/turtle"})
    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert (None, sd.endpoint, rdflib.URIRef(server.url + "/sparql")) in graph
    assert (None, sd.supportedLanguage, sd.SPARQL11Query) in graph


# --- prefixes, inferred view, stored questions ------------------------------------------------


def test_prefixes_are_predeclared_and_inferred_can_be_left_out(server: ServerProcess) -> None:
    ask = {"query": f"ASK {{ <{HEBEI}> a schema:AdministrativeArea }}"}
    assert get(server, "/sparql", params=ask, headers=JSON).json()["boolean"] is True
    asserted = get(server, "/sparql", params={**ask, "inferred": "false"}, headers=JSON)
    assert asserted.json()["boolean"] is False
    bad = get(server, "/sparql", params={**ask, "inferred": "maybe"})
    assert bad.status_code == 400
    assert bad.text == "inferred: 'maybe' is not true or false; give inferred=false or true\n"


def test_stored_question_answers_like_the_cli(server: ServerProcess, cli: object) -> None:
    response = get(
        server, "/api/parks-by-year", params={"year": "2022"}, headers={"accept": "text/csv"}
    )
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    lines = response.text.splitlines()
    assert lines[0].startswith("region,regionName,quantity,precision")
    assert sorted(line.split(",")[0] for line in lines[1:]) == ["CN-HE", "CN-HN"]
    earlier = get(server, "/api/parks-by-year", params={"year": "2021", "format": "json"})
    assert select_values(earlier, "region") == []


def test_stored_question_bad_value_is_the_cli_message(server: ServerProcess, cli) -> None:  # type: ignore[no-untyped-def]
    """The same problem as the CLI's; the hint writes the parameter as a URL does."""
    response = get(server, "/api/parks-by-year", params={"year": "soon"})
    assert response.status_code == 400
    result = cli("query", "parks-by-year", "--param", "year=soon")
    assert result.exit_code == 2
    problem = "query parks-by-year: parameter year='soon' is not a whole number"
    assert result.stderr == f"Error: {problem}; give --param year=<integer>\n"
    assert response.json() == {"error": f"{problem}; give year=<integer>", "status": 400}
    close = get(server, "/api/totals-by-kind", params={"kind": "Prks"})
    assert close.json()["error"].endswith("; did you mean kind=parks?")
    assert "--param" not in get(server, "/api/parks-by-year", params={"year": "x"}).text


def test_a_long_bad_value_is_not_echoed_whole(server: ServerProcess, cli) -> None:  # type: ignore[no-untyped-def]
    value = "9" * 5000
    response = get(server, "/api/parks-by-year", params={"year": value})
    assert response.status_code == 400
    message = response.json()["error"]
    assert len(message) < 300, message
    assert "(5000 characters)" in message
    result = cli("query", "parks-by-year", "--param", f"year={value}")
    assert result.exit_code == 2
    assert len(result.stderr) < 300 and "(5000 characters)" in result.stderr
    missing = get(server, "/api/" + "q" * 3000)
    assert missing.status_code == 404
    assert len(missing.json()["error"]) < 300
    assert missing.json()["error"].endswith("GET /api/queries lists them")


@pytest.mark.parametrize(
    ("form", "given", "media"),
    [
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 2", "json", "application/ld+json"),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 2", "xml", "application/rdf+xml"),
        ("ASK { ?s ?p ?o }", "jsonld", "application/sparql-results+json"),
        ("ASK { ?s ?p ?o }", "rdfxml", "application/sparql-results+xml"),
    ],
)
def test_format_names_its_kin_for_the_other_form(
    server: ServerProcess, form: str, given: str, media: str
) -> None:
    """format=json on a CONSTRUCT is JSON-LD (it was Turtle): the JSON of graphs."""
    response = get(server, "/sparql", params={"query": form, "format": given})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(media)
    if media == "application/ld+json":
        import json

        json.loads(response.text)


def test_stored_question_errors(server: ServerProcess) -> None:
    missing = get(server, "/api/no-such-question")
    assert missing.status_code == 404
    assert missing.json()["error"].startswith("query no-such-question: no such stored query")
    unknown = get(server, "/api/parks-by-year", params={"colour": "red"})
    assert unknown.status_code == 400
    assert (
        unknown.json()["error"]
        == "query parks-by-year: unknown parameter 'colour'; this query takes: year"
    )
    region = get(server, "/api/region-pledges", params={"region": "Hebei", "format": "tsv"})
    assert region.status_code == 200 and '"CN-HE"' in region.text


def test_queries_list(server: ServerProcess) -> None:
    from pledgegraph.queries import catalogue

    listed = get(server, "/api/queries").json()
    assert [q["name"] for q in listed] == list(catalogue())


# --- real clients --------------------------------------------------------------------------


def test_sparqlwrapper(server: ServerProcess) -> None:
    from SPARQLWrapper import JSON as WRAPPER_JSON
    from SPARQLWrapper import SPARQLWrapper

    client = SPARQLWrapper(server.url + "/sparql")
    client.setQuery(
        "SELECT ?code WHERE { ?r a pledge:Region ; pledge:isoCode ?code } ORDER BY ?code"
    )
    client.setReturnFormat(WRAPPER_JSON)
    data = client.queryAndConvert()
    assert isinstance(data, dict)
    codes = [b["code"]["value"] for b in data["results"]["bindings"]]
    assert {"CN-BJ", "CN-GZ", "CN-HE", "CN-HN"} <= set(codes)
    client.setQuery("ASK { ?s a pledge:Pledge }")
    assert client.queryAndConvert()["boolean"] is True  # type: ignore[index]
    client.setMethod("POST")
    client.setQuery(f"CONSTRUCT {{ <{HEBEI}> ?p ?o }} WHERE {{ <{HEBEI}> ?p ?o }}")
    client.setReturnFormat("turtle")
    graph_text = client.queryAndConvert()
    assert b"Hebei" in graph_text  # type: ignore[operator]


def test_sparqlwrapper_jsonld_and_media_types_in_format(server: ServerProcess) -> None:
    """SPARQLWrapper sends media types in format= (JSON-LD: two of them); they were a 400."""
    from SPARQLWrapper import JSONLD, SPARQLWrapper

    client = SPARQLWrapper(server.url + "/sparql")
    client.setQuery(f"CONSTRUCT {{ <{HEBEI}> ?p ?o }} WHERE {{ <{HEBEI}> ?p ?o }}")
    client.setReturnFormat(JSONLD)
    graph = client.queryAndConvert()
    assert any("Hebei" in str(o) for o in graph.objects())  # type: ignore[union-attr]
    select = "SELECT ?s WHERE { ?s a pledge:Pledge } LIMIT 1"
    for media, expected in (
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("text/csv", "text/csv"),
    ):
        answer = get(server, "/sparql", params={"query": select, "format": media})
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"].startswith(expected)
    bad = get(server, "/sparql", params={"query": select, "format": "image/png"})
    assert bad.status_code == 400 and "format:" in bad.text


def test_rdflib_sparqlstore(server: ServerProcess) -> None:
    import rdflib

    graph = rdflib.Graph("SPARQLStore")
    graph.open(server.url + "/sparql")
    rows = list(
        graph.query(
            "PREFIX pledge: <https://w3id.org/pledgegraph/ontology#> "
            "SELECT (COUNT(?p) AS ?n) WHERE { ?p a pledge:Pledge }"
        )
    )
    assert int(rows[0][0]) == 5  # type: ignore[index]
    labels = set(graph.objects(rdflib.URIRef(HEBEI), rdflib.RDFS.label))
    assert rdflib.Literal("Hebei", lang="en") in labels
    from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore

    writer = SPARQLUpdateStore(server.url + "/sparql", server.url + "/sparql")
    with pytest.raises(Exception, match="403"):
        writer.update("INSERT DATA { <urn:a> <urn:b> <urn:c> }")


# --- Linked Data -------------------------------------------------------------------------------


def test_linked_data_turtle_with_source_and_span(server: ServerProcess) -> None:
    import rdflib

    target = "https://w3id.org/pledgegraph/id/pledge/cryptonews-7376/1/target/1"
    response = get(
        server, "/id/pledge/cryptonews-7376/1/target/1", headers={"accept": "text/turtle"}
    )
    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    oa = rdflib.Namespace("http://www.w3.org/ns/oa#")
    starts = [int(o) for o in graph.objects(None, oa.start)]
    assert starts == [807]
    assert (None, oa.hasBody, rdflib.URIRef(target)) in graph
    headline = rdflib.URIRef("https://schema.org/headline")
    assert any(True for _ in graph.triples((None, headline, None)))
    # a new user's trial: the target's page did not lead up to its pledge
    pledge = rdflib.Namespace("https://w3id.org/pledgegraph/ontology#")
    assert list(graph.subjects(pledge.hasTarget, rdflib.URIRef(target))) == [
        rdflib.URIRef("https://w3id.org/pledgegraph/id/pledge/cryptonews-7376/1")
    ]
    html = get(server, "/id/pledge/cryptonews-7376/1/target/1", headers={"accept": "text/html"})
    assert 'href="/id/pledge/cryptonews-7376/1"' in html.text


def test_linked_data_negotiation(server: ServerProcess) -> None:
    jsonld = get(server, "/id/region/CN-HE", headers={"accept": "application/ld+json"})
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    assert "@context" in jsonld.json()
    html = get(
        server, "/id/region/CN-HE", headers={"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    )
    assert html.headers["content-type"].startswith("text/html")
    assert "<h1>Hebei</h1>" in html.text
    assert get(server, "/id/region/XX-NOPE").status_code == 404


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        ("/id/%3E", ">"),
        ("/id/a%00b", "a\\x00b"),
        ("/id/%FF%FE", "\ufffd\ufffd"),
        ("/id/x>%20<y", "x> <y"),
        ("/id/pledge/a%7Bb%7D", "pledge/a{b}"),
    ],
    ids=["gt", "nul", "not-utf8", "space", "braces"],
)
def test_an_address_that_is_no_iri_is_400_in_the_negotiated_format(
    server: ServerProcess, path: str, shown: str
) -> None:
    """Issue 9: these answered 500 with a traceback in the log (pyoxigraph refused the IRI)."""
    message = (
        f"https://w3id.org/pledgegraph/id/{shown}: not a valid IRI (it holds a space, a control "
        'character or one of <>"{}|^`\\); check the address, or see / for the resources this '
        "server has"
    )
    before = len(server.log)
    plain = get(server, path, headers={"accept": "text/turtle"})
    assert (plain.status_code, plain.text) == (400, message + "\n")
    as_json = get(server, path, headers={"accept": "application/json"})
    assert (as_json.status_code, as_json.json()) == (400, {"error": message, "status": 400})
    page = get(server, path, headers={"accept": "text/html"})
    assert page.status_code == 400 and page.headers["content-type"].startswith("text/html")
    assert "Traceback" not in "".join(server.log[before:])


@pytest.mark.parametrize(
    "path",
    [
        "/api/region-pledges?region=a%00b",
        "/api/region-pledges?region=%3E",
        "/questions/region-pledges?region=%FF%FE&run=1",
        "/sparql?query=ASK%7B%7D&default-graph-uri=x%3E%20%3Cy",
        "/sparql?query=ASK%7B%7D&named-graph-uri=%00",
        "/api/%3E",
        "/questions/%00",
    ],
)
def test_other_parameters_that_become_iris_never_answer_500(
    server: ServerProcess, path: str
) -> None:
    before = len(server.log)
    response = get(server, path)
    assert response.status_code in (200, 400, 404), response.text
    if response.status_code != 200:  # the question page shows a bad value inside the page
        assert response.text.count("\n") <= 1 or "<html" in response.text.lower()
    assert "Traceback" not in "".join(server.log[before:])


# --- guards -------------------------------------------------------------------------------------


def test_service_is_refused_unless_allowed(server: ServerProcess) -> None:
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    response = get(server, "/sparql", params={"query": query})
    assert response.status_code == 400
    assert "SERVICE" in response.text and "not allowed" in response.text, response.text


def test_runaway_query_is_stopped_while_others_are_served(server: ServerProcess) -> None:
    finished: list[float] = []

    def quick() -> int:
        status = get(server, "/api/parks-by-year").status_code
        finished.append(time.monotonic())
        return status

    with ThreadPoolExecutor(4) as pool:
        started = time.monotonic()
        runaway = pool.submit(get, server, "/sparql", params={"query": RUNAWAY})
        time.sleep(0.3)
        statuses = [quick() for _ in range(5)]
        answer = runaway.result()
        answered = time.monotonic()
    assert statuses == [200] * 5
    assert max(finished) < answered  # all served while the runaway query was still running
    assert answer.status_code == 503
    # 2 s of query, then the answer; the < 3 s target is measured by bench/bench_server.py
    # (here the margin allows for a loaded test machine)
    assert answered - started < 6.0
    assert answer.text.startswith(
        "query: the query ran longer than the server's limit of 2 s and was stopped"
    )
    # the killed worker was replaced: the server still answers
    assert get(server, "/api/parks-by-year").status_code == 200


def workers_of(server: ServerProcess) -> set[int]:
    """The pids of the server's HTTP worker processes (its children running the app)."""
    pid = server.process.pid
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    found = set()
    for child in children:
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"spawn_main" in command:
            found.add(int(child))
    return found


def wait_for_workers(server: ServerProcess, count: int, timeout: float = 60.0) -> set[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = workers_of(server)
        if len(found) == count:
            return found
        time.sleep(0.1)
    raise AssertionError(f"expected {count} workers, found {workers_of(server)}")


@pytest.mark.parametrize("workers", [2, 1])
def test_runaway_worker_is_replaced_and_requests_meanwhile_are_answered(
    tmp_path: Path, workers: int
) -> None:
    """A runaway query retires its worker (the process exits, freeing the CPU) and the
    supervisor starts another; requests sent throughout, on new and kept-alive connections,
    are all answered, even with a single worker (they wait for the replacement)."""
    path = tmp_path / "store"
    with Store.open(path):
        pass
    running = start_server(path, "--timeout", "2", "--workers", str(workers), "--no-access-log")
    statuses: list[int] = []
    stop = threading.Event()

    def hammer() -> None:
        with httpx.Client(timeout=30) as client:  # keep-alive
            while not stop.is_set():
                try:
                    response = client.get(running.url + "/api/parks-by-year")
                except httpx.HTTPError as error:  # a dropped connection: a failure
                    statuses.append(-1)
                    print(error)
                    continue
                statuses.append(response.status_code)
                time.sleep(0.02)

    try:
        before = wait_for_workers(running, workers)
        threads = [threading.Thread(target=hammer) for _ in range(2)]
        for thread in threads:
            thread.start()
        started = time.monotonic()
        runaway = get(running, "/sparql", params={"query": RUNAWAY})
        assert runaway.status_code == 503, runaway.text
        assert time.monotonic() - started < 6.0
        # the retired worker exits and a new one takes its place
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (workers_of(running) - before):
            time.sleep(0.1)
        after = wait_for_workers(running, workers)
        assert after - before, "no replacement worker was started"
        assert before - after, "the worker that ran the runaway query did not exit"
        # new connections during and after the replacement are answered
        fresh = [get(running, "/api/parks-by-year").status_code for _ in range(5)]
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        assert fresh == [200] * 5
        assert len(statuses) > 10
        assert set(statuses) == {200}, sorted(set(statuses))
    finally:
        stop.set()
        running.stop()
    assert running.process.returncode == 0
    assert not workers_of_alive(before | after)


def test_a_retiring_worker_answers_the_next_request_on_an_idle_kept_alive_connection(
    tmp_path: Path,
) -> None:
    """An idle kept-alive connection of a retiring worker is not closed under the client.

    uvicorn closed such connections at once; a request sent on one at that moment was lost
    ("Connection reset by peer" in CI). The connection now takes one more request, answered
    with ``connection: close``.
    """
    import http.client
    from urllib.parse import urlsplit

    path = tmp_path / "store"
    with Store.open(path):
        pass
    running = start_server(path, "--timeout", "1", "--workers", "1", "--no-access-log")
    address = urlsplit(running.url)
    try:
        before = wait_for_workers(running, 1)
        kept = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
        kept.request("GET", "/api/parks-by-year")
        first = kept.getresponse()
        first.read()
        assert first.status == 200 and first.getheader("connection") is None
        # the connection is now idle and kept alive; a runaway query retires its worker
        runaway = get(running, "/sparql", params={"query": RUNAWAY})
        assert runaway.status_code == 503, runaway.text
        time.sleep(0.4)  # uvicorn looks at its exit flag every 0.1 s, then shuts down
        kept.request("GET", "/api/parks-by-year")  # on the same socket: not reopened
        second = kept.getresponse()
        assert second.status == 200 and second.read()
        assert second.getheader("connection") == "close"
        kept.close()
        deadline = time.monotonic() + 60  # and the worker is replaced
        while time.monotonic() < deadline and not (workers_of(running) - before):
            time.sleep(0.1)
        assert wait_for_workers(running, 1) != before
    finally:
        running.stop()


def workers_of_alive(pids: set[int]) -> set[int]:
    """Which of ``pids`` still run (after the server stopped: none should)."""
    alive = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().split()[2]
        except OSError:
            continue
        if state != "Z":
            alive.add(pid)
    return alive


def test_limits(server: ServerProcess) -> None:
    long_query = "ASK {}" + " " * 6000
    too_long = get(server, "/sparql", params={"query": long_query})
    assert too_long.status_code == 413
    assert too_long.text.startswith(
        "query: the query has 6006 characters, more than the server's limit of 5000"
    )
    too_big = post(
        server,
        "/sparql",
        content=b"#" * 30000,
        headers={"content-type": "application/sparql-query"},
    )
    assert too_big.status_code == 413
    assert "larger than the server's limit of 20000 bytes" in too_big.text


def test_result_size_limit(writable: ServerProcess) -> None:
    response = get(
        writable,
        "/sparql",
        params={"query": "SELECT * WHERE { ?s ?p ?o }"},
        headers={"accept": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["error"].startswith(
        "query: the result is larger than the server's limit of 4000 bytes"
    )


def test_cors(writable: ServerProcess, server: ServerProcess) -> None:
    allowed = get(writable, "/api/queries", headers={"origin": "https://example.org"})
    assert allowed.headers["access-control-allow-origin"] == "https://example.org"
    other = get(writable, "/api/queries", headers={"origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers
    assert (
        "access-control-allow-origin"
        not in get(server, "/api/queries", headers={"origin": "https://example.org"}).headers
    )


def test_access_log(writable: ServerProcess) -> None:
    get(writable, "/api/queries")
    time.sleep(0.2)
    assert any('"GET /api/queries HTTP/1.1" 200' in line for line in writable.log)


# --- the store lock names the server --------------------------------------------------------


def test_cli_on_a_served_store_names_the_server(server: ServerProcess) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pledgegraph", "--store", str(server.store), "stats"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr == (
        f"Error: the store at {server.store} is in use by pledgegraph serve at {server.url} "
        f"(pid {server.process.pid}); query it over HTTP ({server.url}/sparql), or stop the "
        "server first\n"
    )


# --- writes -----------------------------------------------------------------------------------

SHEET = """source:
  url: https://example.org/news/server-test
  title: A test article for the server
  publisher: Example News
pledges:
  - region: CN-SH
    deadline: 2021
    sector: blockchain
    targets:
      - kind: parks
        quantity: 4
"""
TOKEN = {"authorization": "Bearer sesame"}


def test_writes_need_the_token(server: ServerProcess, writable: ServerProcess) -> None:
    off = post(server, "/api/store/reason")
    assert off.status_code == 403
    assert off.json()["error"].startswith("writes are off: this server is read-only")
    wrong = post(writable, "/api/store/reason", headers={"authorization": "Bearer nope"})
    assert wrong.status_code == 401
    assert wrong.headers["www-authenticate"].startswith("Bearer")


GRAPH_LIST = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"


def test_write_load_remove_reason_link(writable: ServerProcess) -> None:
    yaml_type = {"content-type": "application/yaml", **TOKEN}
    before = select_values(get(writable, "/api/parks-by-year", params={"year": "2021"}), "region")
    assert before == []
    loaded = post(writable, "/api/store/sources", content=SHEET.encode(), headers=yaml_type)
    assert loaded.status_code == 200, loaded.text
    graph = loaded.json()["graph"]
    assert loaded.json()["replaced"] is False
    after = select_values(get(writable, "/api/parks-by-year", params={"year": "2021"}), "region")
    assert after == ["CN-SH"]  # the workers see the write
    bad = post(
        writable,
        "/api/store/sources",
        content=SHEET.replace("parks", "castles").encode(),
        headers=yaml_type,
    )
    assert bad.status_code == 422  # (not a fact sheet that validates: docs/server.md)
    assert "castles" in bad.json()["error"]
    two = SHEET.replace("parks", "castles") + "      - kind: moats\n        quantity: 3\n"
    both = post(writable, "/api/store/sources", content=two.encode(), headers=yaml_type)
    assert both.status_code == 422
    problems = both.json()["problems"]  # every problem, as the CLI prints them
    assert len(problems) == 2 and "castles" in problems[0] and "moats" in problems[1], problems
    assert select_values(
        get(writable, "/api/parks-by-year", params={"year": "2021"}), "region"
    ) == ["CN-SH"]
    reasoned = post(writable, "/api/store/reason", headers=TOKEN)
    assert reasoned.status_code == 200 and reasoned.json()["inferred"] > 0
    linked = post(writable, "/api/store/link", headers=TOKEN)
    assert linked.status_code == 200 and linked.json()["regions"] >= 5
    graphs_before = get(writable, "/sparql", params={"query": GRAPH_LIST}).text
    for own in ("ontology", "reference", "links", "inferred"):  # attack: never removable
        refused = httpx.request(
            "DELETE",
            writable.url + "/api/store/sources",
            params={"graph": "https://w3id.org/pledgegraph/graph/" + own},
            headers=TOKEN,
            timeout=30,
        )
        assert refused.status_code == 404, refused.text
        assert "own graphs" in refused.json()["error"]
    assert get(writable, "/sparql", params={"query": GRAPH_LIST}).text == graphs_before
    removed = httpx.request(
        "DELETE",
        writable.url + "/api/store/sources",
        params={"graph": graph},
        headers=TOKEN,
        timeout=30,
    )
    assert removed.status_code == 200
    assert (
        select_values(get(writable, "/api/parks-by-year", params={"year": "2021"}), "region") == []
    )
    again = httpx.request(
        "DELETE",
        writable.url + "/api/store/sources",
        params={"graph": graph},
        headers=TOKEN,
        timeout=30,
    )
    assert again.status_code == 404
    no_iri = httpx.request(
        "DELETE",
        writable.url + "/api/store/sources",
        params={"graph": "d1"},
        headers=TOKEN,
        timeout=30,
    )
    assert no_iri.status_code == 400  # (it named default-graph-uri/named-graph-uri)
    assert no_iri.json()["error"] == "graph: 'd1' is not an IRI; give absolute IRIs"
    spelled = SHEET.replace("server-test", "server-spelling").replace(
        "    deadline: 2021\n", "    authority: Shanghai Municipal Government\n    deadline: 2021\n"
    )
    first = post(writable, "/api/store/sources", content=spelled.encode(), headers=yaml_type)
    assert first.status_code == 200, first.text
    other = spelled.replace("server-spelling", "server-spelling-2").replace(
        "Shanghai Municipal Government", "SHANGHAI municipal government!"
    )
    second = post(writable, "/api/store/sources", content=other.encode(), headers=yaml_type)
    assert second.status_code == 200, second.text
    assert any(  # the CLI's Warning line about the other spelling (it was dropped)
        "is kept as its skos:altLabel" in w for w in second.json()["warnings"]
    ), second.json()


def test_write_parameters_and_advice_are_the_http_apis(writable: ServerProcess) -> None:
    """An outside attack: ``lenient=maybe`` was read as false, ``replace=true`` was ignored,
    a conflict was a 400 (the docs say 409 now) and its advice named the CLI's --replace and
    ``pledgegraph remove``, which a client of the API cannot use."""
    yaml_type = {"content-type": "application/yaml", **TOKEN}
    sheet = SHEET.replace("server-test", "server-words").replace(
        "source:\n", "source:\n  key: words-one\n"
    )
    maybe = post(
        writable, "/api/store/sources", content=sheet.encode(), headers=yaml_type,
        params={"lenient": "maybe"},
    )  # fmt: skip
    assert maybe.status_code == 400
    assert (
        maybe.json()["error"]
        == "lenient: 'maybe' is not true or false; give lenient=true or lenient=false"
    )
    assert (
        post(writable, "/api/store/sources", content=sheet.encode(), headers=yaml_type).status_code
        == 200
    )
    other_key = sheet.replace("words-one", "words-two")
    conflict = post(writable, "/api/store/sources", content=other_key.encode(), headers=yaml_type)
    assert conflict.status_code == 409, conflict.text
    error = conflict.json()["error"]
    assert "--replace" not in error and "pledgegraph remove" not in error, error
    assert "replace=true" in error and "DELETE /api/store/sources?source=words-one" in error
    replaced = post(
        writable, "/api/store/sources", content=other_key.encode(), headers=yaml_type,
        params={"replace": "true"},
    )  # fmt: skip
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["graph"].endswith("/source/words-two")

    def delete(**params: str) -> httpx.Response:
        return httpx.request(
            "DELETE", writable.url + "/api/store/sources", params=params, headers=TOKEN, timeout=30
        )

    assert delete(source="words-one").status_code == 404  # (replaced: gone)
    assert delete(source="words-two", graph="https://e.org/g").status_code == 400
    empty = delete(source="")
    assert empty.status_code == 400 and empty.json()["error"].startswith("source: empty")
    gone = delete(source="https://example.org/news/server-words")  # by its URL, as the CLI
    assert gone.status_code == 200, gone.text
    assert gone.json()["graph"].endswith("/source/words-two")


def test_a_sheet_that_crashed_the_server_is_refused_and_the_server_keeps_serving(
    writable: ServerProcess,
) -> None:
    """An outside attack: ``quantity: !!int "①"`` raised ValueError in the supervisor, which
    took the whole server down (every worker with it)."""
    yaml_type = {"content-type": "application/yaml", **TOKEN}
    for value in ('!!int "①"', '!!int "٣٠"', '!!int "5"'):
        sheet = SHEET.replace("quantity: 4", f"quantity: {value}")
        refused = post(writable, "/api/store/sources", content=sheet.encode(), headers=yaml_type)
        assert refused.status_code == 422, refused.text
        assert "YAML tags (!!int) are not allowed" in refused.json()["error"]
    assert get(writable, "/api/parks-by-year").status_code == 200


def test_a_write_that_fails_unexpectedly_is_a_500_not_a_dead_server(store: Store) -> None:
    from pledgegraph.server import writes

    def broken(store: Store) -> dict[str, object]:
        raise RuntimeError("a bug\nover two lines")

    writes.WRITES["broken"] = broken
    try:
        status, body = writes.perform(store, "broken", {})
    finally:
        del writes.WRITES["broken"]
    assert status == 500
    assert body["error"] == (
        "broken: internal error: RuntimeError: a bug over two lines; please report it"
    )


# --- OpenAPI -----------------------------------------------------------------------------------


def test_openapi_document_is_valid(server: ServerProcess, writable: ServerProcess) -> None:
    from openapi_spec_validator import validate

    from pledgegraph.queries import catalogue

    document = get(server, "/api/openapi.json").json()
    validate(document)
    assert {f"/api/{name}" for name in catalogue()} <= set(document["paths"])
    year = document["paths"]["/api/parks-by-year"]["get"]["parameters"][0]
    assert (year["name"], year["required"], year["schema"]["default"]) == ("year", False, "2022")
    assert "/api/store/sources" not in document["paths"]
    writes = get(writable, "/api/openapi.json").json()
    validate(writes)
    assert "/api/store/sources" in writes["paths"]


def test_schemathesis_fuzzes_the_api(server: ServerProcess, tmp_path: Path) -> None:
    """Fuzz every stored question from the OpenAPI document: no 5xx, responses match the schema."""
    command = Path(sys.executable).with_name("schemathesis")
    result = subprocess.run(
        [
            str(command),
            "run",
            server.url + "/api/openapi.json",
            "--url",
            server.url,
            "--checks",
            "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
            "--max-examples",
            "8",
            "--phases",
            "examples,fuzzing",
            "--mode",
            "all",
            "--request-timeout",
            "20",
            "--no-color",
            "--seed",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        env={**os.environ, "SCHEMATHESIS_HOOKS": ""},
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    from pledgegraph.queries import catalogue

    operations = len(catalogue()) + 1  # one per stored question, and the list
    assert f"Tested: {operations}" in result.stdout, result.stdout[-2000:]
    assert re.search(r"(\d+) generated, \1 passed", result.stdout), result.stdout[-2000:]


def test_small_answers_are_not_held_back(server: ServerProcess) -> None:
    """TCP_NODELAY: without it a keep-alive client waits ~40 ms per answer (Nagle + delayed ACK)."""
    import statistics

    with httpx.Client(base_url=server.url, timeout=30) as client:
        client.get("/sparql", params={"query": COUNT_SOURCES})
        times = []
        for _ in range(20):
            started = time.perf_counter()
            assert client.get("/sparql", params={"query": COUNT_SOURCES}).status_code == 200
            times.append(time.perf_counter() - started)
    assert statistics.median(times) < 0.03, times


def test_workers_that_cannot_start_stop_the_server_with_one_error(tmp_path: Path) -> None:
    """A worker that cannot open the store exits; before any worker was ready the supervisor
    gives up after a few tries with one error (instead of restarting them forever)."""
    from pledgegraph.errors import StoreError
    from pledgegraph.server.config import ServerConfig
    from pledgegraph.server.run import bind
    from pledgegraph.server.supervisor import STARTS, Supervisor

    missing = tmp_path / "no-database-here"
    config = ServerConfig(store_path=str(missing), port=0, workers=1)
    sock = bind("127.0.0.1", 0)
    announced: list[bool] = []
    supervisor = Supervisor(None, str(missing), config, sock, access_log=False)  # type: ignore[arg-type]
    try:
        with pytest.raises(StoreError) as raised:
            supervisor.run(lambda: announced.append(True))
    finally:
        sock.close()
    assert raised.value.message.startswith(
        f"{missing}: the server's worker processes could not start ({STARTS} tried, "
        "the last exited with code 1)"
    ), raised.value.message
    assert not announced
    assert not supervisor.workers


def test_plain_get_is_answered_as_through_the_handler(server: ServerProcess) -> None:
    """``GET /sparql?query=…`` takes the short path; a POST goes through starlette: same answers."""
    point = f"SELECT ?label WHERE {{ <{HEBEI}> rdfs:label ?label }} ORDER BY ?label"
    for query, status in ((point, 200), ("SELECT ?x WHERE { ?x ", 400), (RUNAWAY + " #", 503)):
        for accept in ("application/sparql-results+json", "text/csv", "text/*"):
            headers = {"accept": accept}
            got = httpx.get(
                server.url + "/sparql", params={"query": query}, headers=headers, timeout=30
            )
            posted = httpx.post(
                server.url + "/sparql", data={"query": query}, headers=headers, timeout=30
            )
            assert got.status_code == posted.status_code == status, (query, got.text)
            assert got.text == posted.text
            for name in ("content-type", "content-length", "vary"):
                assert got.headers.get(name) == posted.headers.get(name), name
            if status != 200:
                break  # the runaway once per request kind is enough (each retires a worker)


def test_format_and_inferred_in_a_form_body_count_as_in_the_url(server: ServerProcess) -> None:
    """A form POST may carry ``format`` and ``inferred`` in its body: the same answer as GET."""
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    for extra in ({"format": "csv"}, {"format": "tsv", "inferred": "false"}, {"inferred": "true"}):
        got = httpx.get(server.url + "/sparql", params={"query": query, **extra}, timeout=30)
        posted = httpx.post(server.url + "/sparql", data={"query": query, **extra}, timeout=30)
        assert got.status_code == posted.status_code == 200, posted.text
        assert got.headers["content-type"] == posted.headers["content-type"]
        assert got.text == posted.text
    for bad in ({"format": "bogus"}, {"inferred": "bogus"}):
        got = httpx.get(server.url + "/sparql", params={"query": query, **bad}, timeout=30)
        posted = httpx.post(server.url + "/sparql", data={"query": query, **bad}, timeout=30)
        assert got.status_code == posted.status_code == 400
        assert got.text == posted.text


def test_query_threads_are_not_held_up_by_a_stuck_one() -> None:
    """A job that never ends (a runaway) does not keep the next jobs from their thread."""
    import asyncio

    from pledgegraph.server.workers import _Lanes

    lanes = _Lanes(3, 0.01)
    release = threading.Event()

    def fails() -> None:
        raise ValueError("bad")

    async def main() -> list[object]:
        stuck = lanes.submit(release.wait)
        answers = [await asyncio.wait_for(lanes.submit(pow, 2, n), 30) for n in range(5)]
        with pytest.raises(ValueError, match="bad"):
            await asyncio.wait_for(lanes.submit(fails), 30)
        assert not stuck.done()
        release.set()
        answers.append(await asyncio.wait_for(stuck, 30))
        return answers

    assert asyncio.run(main()) == [1, 2, 4, 8, 16, True]


def test_service_description_claims_no_federation_when_service_is_refused(
    server: ServerProcess,
) -> None:
    """Without --allow-service every SERVICE is refused: BasicFederatedQuery was advertised."""
    answer = get(server, "/sparql", headers={"accept": "text/turtle"})
    assert answer.status_code == 200
    assert "sd:Service" in answer.text or "Service" in answer.text
    assert "BasicFederatedQuery" not in answer.text


def test_a_question_page_url_with_values_shows_its_answer(server: ServerProcess) -> None:
    """A shared or bookmarked question URL showed an empty form unless it had run=1."""
    page = get(server, "/questions/region-pledges", params={"region": "Hebei"})
    assert page.status_code == 200
    assert "/id/pledge/cryptonews-7376/" in page.text
    bad = get(server, "/questions/region-pledges", params={"region": "Atlantis"})
    assert bad.status_code == 400
    assert "is not a region the gazetteer knows" in bad.text
    twice = get(server, "/questions/region-pledges?region=Hebei&region=Hunan")
    assert twice.status_code == 400  # as /api refuses it (the page took the last value)
    assert "is given twice" in twice.text
    empty = get(server, "/questions/region-pledges")
    assert "/id/pledge/" not in empty.text  # a required value not given: the form only
    # the form shows the value used, as its notation: "Parks" selects parks (it showed "(any)")
    parks = get(server, "/questions/largest-targets", params={"kind": "Parks"})
    assert parks.status_code == 200
    assert "<option selected>parks</option>" in parks.text
