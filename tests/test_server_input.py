"""``pledgegraph serve`` on bad or unusual input (issue 11): the real server, real clients.

Each request here once got a wrong answer: HEAD refused, an update in ``query=`` answered 400,
broken percent-escapes run as some other query, a huge URL dropped, ``Accept: text/*`` given
XML, an ``Accept`` we cannot meet given JSON, a SERVICE refusal without its ``<where>:``,
parameters given twice kept silently, an empty query answered with a parser message. The
answers checked are what the SPARQL 1.1 Protocol, RFC 9110 and docs/server.md say.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import httpx
import pytest
from test_server import ServerProcess, start_server

from pledgegraph.graph.store import Store

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

HEBEI = "https://w3id.org/pledgegraph/id/region/CN-HE"
ASK = f"ASK {{ <{HEBEI}> rdfs:label ?l }}"
SELECT = f"SELECT ?l WHERE {{ <{HEBEI}> rdfs:label ?l }} ORDER BY ?l"
DESCRIBE = f"DESCRIBE <{HEBEI}>"
HOW_TO_LOAD = (
    "load data with 'pledgegraph load FILE' while the server is stopped, or start the server "
    "with --write-token and POST a fact sheet to /api/store/sources\n"
)
EMPTY = (
    "query: the query is empty; send the SPARQL text as query=… in the URL or in a form body, "
    "or as the body of a POST with Content-Type application/sparql-query\n"
)
RESULTS = (
    "application/sparql-results+json, application/sparql-results+xml, text/csv, "
    "text/tab-separated-values (SELECT and ASK results)"
)
GRAPHS = (
    "text/turtle, application/n-triples, application/ld+json, application/rdf+xml, "
    "application/n-quads, application/trig (graphs)"
)


def not_acceptable(accept: str, *offered: str) -> str:
    return (
        f"Accept: none of the formats this endpoint gives matches {accept!r}; accept "
        f"{' or '.join(offered)}, or */*, or name a format with format=\n"
    )


def too_long(size: int) -> str:
    return (
        f"URL: the request URL has {size} bytes, more than the 32768 this server reads; send a "
        "long query with POST /sparql (Content-Type application/sparql-query, or a form)\n"
    )


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    path = tmp_path_factory.mktemp("input") / "store"
    Store.open(path).close()
    running = start_server(path, "--workers", "2", "--no-access-log")
    yield running
    running.stop()


@pytest.fixture(scope="module")
def cors(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """With --cors-origin every request goes through starlette (no short path for GET /sparql)."""
    path = tmp_path_factory.mktemp("input-cors") / "store"
    Store.open(path).close()
    running = start_server(
        path, "--workers", "1", "--no-access-log", "--cors-origin", "https://example.org"
    )
    yield running
    running.stop()


def get(server: ServerProcess, target: str, **kwargs: object) -> httpx.Response:
    """GET ``target`` (path and query string) exactly as written: httpx keeps ``%zz`` as is."""
    return httpx.get(server.url + target, timeout=30, **kwargs)  # type: ignore[arg-type]


def post(server: ServerProcess, target: str, **kwargs: object) -> httpx.Response:
    return httpx.post(server.url + target, timeout=30, **kwargs)  # type: ignore[arg-type]


def q(text: str) -> str:
    return quote(text, safe="")


def raw_request(server: ServerProcess, request: bytes) -> bytes:
    """Send ``request`` on a socket of its own and read the answer until the server closes."""
    parts = urlsplit(server.url)
    assert parts.hostname is not None and parts.port is not None
    with socket.create_connection((parts.hostname, parts.port), timeout=60) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


# --- 1. HEAD answers as GET, without a body -----------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        f"/sparql?query={q(ASK)}",
        f"/sparql?query={q(SELECT)}&format=csv",
        "/sparql",
        "/",
        "/api/parks-by-year?year=2022",
        "/api/queries",
        "/api/openapi.json",
        "/id/region/CN-HE",
    ],
)
def test_head_is_answered_as_get_without_a_body(server: ServerProcess, target: str) -> None:
    got = get(server, target)
    head = httpx.head(server.url + target, timeout=30)
    assert got.status_code == head.status_code == 200, head.text
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    if "content-length" in got.headers:
        assert int(head.headers["content-length"]) == len(got.content)


def test_head_of_a_bad_query_is_its_status(server: ServerProcess, cors: ServerProcess) -> None:
    for running in (server, cors):
        head = httpx.head(running.url + "/sparql?query=" + q("SELECT ?x WHERE {"), timeout=30)
        assert head.status_code == 400
        assert head.content == b""
        assert httpx.head(running.url + "/sparql?query=" + q(ASK), timeout=30).status_code == 200


# --- 2. SPARQL Update, however sent, is a 403 saying how to load data ------------------------

UPDATES = [
    f"INSERT DATA {{ <{HEBEI}> rdfs:label 'x' }}",
    "DELETE WHERE { ?s ?p ?o }",
    "PREFIX ex: <http://example.org/> # a comment\n delete { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "LOAD <http://127.0.0.1:9/data.ttl>",
    "CLEAR ALL",
    "DROP GRAPH <http://example.org/g>",
    "CREATE GRAPH <http://example.org/g>",
    "ADD DEFAULT TO <http://example.org/g>",
    "MOVE DEFAULT TO <http://example.org/g>",
    "COPY DEFAULT TO <http://example.org/g>",
    "WITH <http://example.org/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
]


@pytest.mark.parametrize("update", UPDATES)
def test_an_update_given_as_query_is_403(server: ServerProcess, update: str) -> None:
    word = update.split("\n")[-1].split()[0] if "\n" in update else update.split()[0]
    expected = f"query: {word.upper()} is a SPARQL update, and this endpoint is read-only; "
    answers = [
        get(server, "/sparql?query=" + q(update)),
        post(server, "/sparql", data={"query": update}),
        post(
            server,
            "/sparql",
            content=update.encode(),
            headers={"content-type": "application/sparql-query"},
        ),
    ]
    for response in answers:
        assert response.status_code == 403, response.text
        assert response.text == expected + HOW_TO_LOAD
    as_json = get(server, "/sparql?query=" + q(update), headers={"accept": "application/json"})
    assert as_json.json() == {"error": (expected + HOW_TO_LOAD).rstrip("\n"), "status": 403}
    assert get(server, "/sparql?query=" + q(ASK) + "&format=json").json()["boolean"] is True


@pytest.mark.parametrize("how", ["form", "direct", "form with a query too"])
def test_an_update_parameter_is_403(server: ServerProcess, how: str) -> None:
    update = "CLEAR ALL"
    if how == "direct":
        response = post(
            server,
            "/sparql",
            content=update.encode(),
            headers={"content-type": "application/sparql-update"},
        )
    elif how == "form":
        response = post(server, "/sparql", data={"update": update})
    else:
        response = post(server, "/sparql", data={"update": update, "query": ASK})
    assert response.status_code == 403
    assert response.text == (
        "update: SPARQL Update is not accepted, this endpoint is read-only; " + HOW_TO_LOAD
    )


# --- 3. broken percent-encoding is a 400 --------------------------------------------------

BAD_ESCAPE = "'{}' is not a percent-escape (a % and two hex digits); write a % itself as %25\n"
NOT_UTF8 = (
    "the percent-escapes do not decode to UTF-8 text; percent-encode the UTF-8 bytes of each "
    "character (é is %C3%A9)\n"
)


@pytest.mark.parametrize(
    ("tail", "expected"),
    [
        ("%zz", BAD_ESCAPE.format("%zz")),
        ("%4", BAD_ESCAPE.format("%4")),
        ("%", BAD_ESCAPE.format("%")),
        ("%g1%20", BAD_ESCAPE.format("%g1")),
        ("%ff", NOT_UTF8),
        ("%C3", NOT_UTF8),
        ("%ED%A0%80", NOT_UTF8),  # a UTF-16 surrogate, not UTF-8
    ],
)
def test_broken_percent_encoding_is_400(server: ServerProcess, tail: str, expected: str) -> None:
    for running, target in (
        (server, "/sparql?query=" + q(ASK) + tail),
        (server, "/sparql?format=json&query=" + q(ASK) + tail),
        (server, "/api/parks-by-year?year=2022" + tail),
        (server, "/id/region/CN-HE?format=turtle" + tail),
        (server, "/?x=" + tail),
    ):
        response = get(running, target)
        assert response.status_code == 400, target
        body = response.json()["error"] + "\n" if target.startswith("/api") else response.text
        assert body == "URL: " + expected, target
    form = post(
        server,
        "/sparql",
        content=("query=" + q(ASK) + tail).encode(),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert form.status_code == 400
    assert form.text == "form: " + expected


def test_good_percent_encoding_still_works(server: ServerProcess, cors: ServerProcess) -> None:
    query = 'SELECT ?x WHERE { BIND("é+ü %" AS ?x) }'
    for running in (server, cors):
        for encoded in (q(query), quote(query, safe="").replace("%20", "+")):
            response = get(running, "/sparql?format=json&query=" + encoded)
            assert response.status_code == 200, response.text
            assert response.json()["results"]["bindings"][0]["x"]["value"] == "é+ü %"


def test_broken_percent_encoding_with_cors(cors: ServerProcess) -> None:
    response = get(cors, "/sparql?query=ASK%7B%7D%zz", headers={"origin": "https://example.org"})
    assert response.status_code == 400
    assert response.text == "URL: " + BAD_ESCAPE.format("%zz")
    assert response.headers["access-control-allow-origin"] == "https://example.org"


# --- 4. a URL too long is a 414 pointing to POST ------------------------------------------


def long_target(size: int) -> str:
    """A GET /sparql target of exactly ``size`` bytes: ASK {} and escaped spaces."""
    start = "/sparql?query=" + q("ASK {}")
    padding = size - len(start)
    return start + "%20" * (padding // 3) + "+" * (padding % 3)


def test_a_url_over_the_limit_is_414(server: ServerProcess, cors: ServerProcess) -> None:
    at_limit = get(server, long_target(32768), headers={"accept": "application/json"})
    assert at_limit.status_code == 200, at_limit.text[:200]
    for running in (server, cors):
        over = get(running, long_target(32769))
        assert over.status_code == 414
        assert over.text == too_long(32769)
    as_json = get(server, long_target(60000), headers={"accept": "application/json"})
    assert as_json.status_code == 414
    assert as_json.json() == {"error": too_long(60000).rstrip("\n"), "status": 414}
    target = "/api/parks-by-year?year=" + "2" * 40000
    api = get(server, target)
    assert api.status_code == 414
    assert api.json()["error"] + "\n" == too_long(len(target))


@pytest.mark.parametrize("size", [65535, 65536, 200_000, 3_000_000])
def test_a_url_too_long_to_parse_is_414_not_a_dropped_connection(
    server: ServerProcess, size: int
) -> None:
    # httpx will not send a URL over 65 536 bytes, so this one goes over a plain socket
    request = f"GET {long_target(size)} HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n".encode()
    answer = raw_request(server, request)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.split(b"\r\n")[0] in (
        b"HTTP/1.1 414 URI Too Long",
        b"HTTP/1.1 414 Request-URI Too Long",
    )
    assert body.decode() == too_long(size)
    # and the server keeps answering
    assert get(server, "/sparql?format=json&query=" + q(ASK)).status_code == 200


# --- 5. and 6. Accept: wildcards and q-values as RFC 9110 says; 406 when nothing matches ------


@pytest.mark.parametrize(
    ("accept", "query", "media"),
    [
        ("text/*", ASK, "text/csv"),
        ("text/*", SELECT, "text/csv"),
        ("text/*", DESCRIBE, "text/turtle"),
        ("text/*;q=0.5, text/tab-separated-values", SELECT, "text/tab-separated-values"),
        ("text/*, text/csv;q=0", SELECT, "text/tab-separated-values"),
        (
            "text/*;q=0.1, application/sparql-results+json;q=0.9",
            SELECT,
            "application/sparql-results+json",
        ),
        (
            "application/sparql-results+xml;q=0.5, application/sparql-results+json;q=0.8",
            ASK,
            "application/sparql-results+json",
        ),
        ("application/*", SELECT, "application/sparql-results+json"),
        ("application/*", DESCRIBE, "application/n-triples"),
        ("text/turtle;q=0.2, application/n-triples;q=0.9", DESCRIBE, "application/n-triples"),
        ("*/*", SELECT, "application/sparql-results+json"),
        ("*/*", DESCRIBE, "text/turtle"),
        ("image/png, */*;q=0.1", SELECT, "application/sparql-results+json"),
        ("text/xml", ASK, "application/sparql-results+xml"),
    ],
)
def test_accept_ranges_and_q_values(
    server: ServerProcess, accept: str, query: str, media: str
) -> None:
    response = get(server, "/sparql?query=" + q(query), headers={"accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == media + "; charset=utf-8"


def test_no_accept_gives_the_defaults(server: ServerProcess) -> None:
    for query, media in ((SELECT, "application/sparql-results+json"), (DESCRIBE, "text/turtle")):
        response = httpx.get(
            server.url + "/sparql", params={"query": query}, headers={"accept": ""}, timeout=30
        )
        assert response.headers["content-type"] == media + "; charset=utf-8"
    bare = raw_request(
        server,
        f"GET /sparql?query={q(SELECT)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode(),
    )
    assert bare.startswith(b"HTTP/1.1 200 OK")
    assert b"content-type: application/sparql-results+json; charset=utf-8" in bare


def test_an_accept_nothing_matches_is_406(server: ServerProcess, cors: ServerProcess) -> None:
    for running in (server, cors):
        for query in (ASK, SELECT, DESCRIBE):
            response = get(running, "/sparql?query=" + q(query), headers={"accept": "image/png"})
            assert response.status_code == 406
            assert response.text == not_acceptable("image/png", RESULTS, GRAPHS)
            posted = post(
                running, "/sparql", data={"query": query}, headers={"accept": "image/png"}
            )
            assert (posted.status_code, posted.text) == (406, response.text)
    # a format for the other form only: known once the query has run
    only_rdf = get(server, "/sparql?query=" + q(SELECT), headers={"accept": "text/turtle"})
    assert only_rdf.status_code == 406
    assert only_rdf.text == not_acceptable("text/turtle", RESULTS)
    only_results = get(server, "/sparql?query=" + q(DESCRIBE), headers={"accept": "text/csv"})
    assert only_results.status_code == 406
    assert only_results.text == not_acceptable("text/csv", GRAPHS)
    zero = get(server, "/sparql?query=" + q(ASK), headers={"accept": "*/*;q=0"})
    assert zero.status_code == 406
    # format= is the client naming one: Accept no longer matters
    named = get(server, "/sparql?format=csv&query=" + q(SELECT), headers={"accept": "image/png"})
    assert named.status_code == 200
    assert named.headers["content-type"] == "text/csv; charset=utf-8"


def test_406_on_the_other_routes(server: ServerProcess) -> None:
    api = get(server, "/api/parks-by-year", headers={"accept": "image/png"})
    assert api.status_code == 406
    assert api.json()["error"] + "\n" == not_acceptable("image/png", RESULTS, GRAPHS)
    for target in ("/sparql", "/id/region/CN-HE"):
        response = get(server, target, headers={"accept": "image/png"})
        assert response.status_code == 406
        assert response.text == not_acceptable("image/png", GRAPHS)
        assert get(server, target, headers={"accept": "*/*"}).status_code == 200


# --- 7. the SERVICE refusal names where, as the CLI's does ---------------------------------


def test_service_refusal_has_its_where_as_on_the_command_line(
    server: ServerProcess, tmp_path: Path
) -> None:
    from conftest import run_pledgegraph

    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    response = get(server, "/sparql?query=" + q(query))
    assert response.status_code == 400
    expected = (
        "query: SERVICE <http://127.0.0.1:9/sparql> is not allowed; pass --allow-service URL or "
        "set PLEDGEGRAPH_ALLOW_SERVICE\n"
    )
    assert response.text == expected
    variable = get(server, "/sparql?query=" + q("SELECT * { SERVICE ?e { ?s ?p ?o } }"))
    assert variable.text == (
        "query: SERVICE ?e is not allowed; name the endpoint with an IRI and pass "
        "--allow-service URL\n"
    )
    done = run_pledgegraph(tmp_path / "store", "sparql", query)
    assert done.returncode == 2
    assert done.stderr == "Error: " + expected


# --- 8. a parameter that takes one value, given twice, is a 400 ----------------------------


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        (
            f"/sparql?query={q(ASK)}&inferred=true&inferred=false",
            "inferred: given more than once; give it once\n",
        ),
        (
            f"/sparql?query={q(ASK)}&query={q(ASK)}",
            "query: more than one query given; send exactly one\n",
        ),
        (f"/sparql?query={q(ASK)}&query=", "query: more than one query given; send exactly one\n"),
    ],
)
def test_a_parameter_given_twice_is_400(
    server: ServerProcess, cors: ServerProcess, target: str, expected: str
) -> None:
    for running in (server, cors):
        response = get(running, target)
        assert response.status_code == 400, target
        assert response.text == expected


def test_a_parameter_given_twice_in_a_post(server: ServerProcess) -> None:
    form = {"content-type": "application/x-www-form-urlencoded"}
    for target, body, expected in (
        ("/sparql?query=" + q(ASK), f"query={q(ASK)}", "query: more than one query given"),
        ("/sparql", f"query={q(ASK)}&query={q(ASK)}", "query: more than one query given"),
    ):
        response = post(server, target, content=body.encode(), headers=form)
        assert response.status_code == 400, (target, body)
        assert response.text.startswith(expected), response.text
    direct = post(
        server,
        "/sparql?query=" + q(ASK),
        content=ASK.encode(),
        headers={"content-type": "application/sparql-query"},
    )
    assert direct.status_code == 400
    assert direct.text == "query: more than one query given; send exactly one\n"


def test_stored_question_parameters_twice_keep_the_cli_message(server: ServerProcess) -> None:
    response = get(server, "/api/parks-by-year?year=2020&year=2022")
    assert response.status_code == 400
    assert response.json()["error"] == (
        "query parks-by-year: parameter 'year' is given twice; give it once"
    )
    twice = get(server, "/api/parks-by-year?format=csv&format=json")
    assert twice.status_code == 200
    assert twice.headers["content-type"].startswith("text/csv")


@pytest.mark.parametrize(
    ("target", "media"),
    [
        (f"/sparql?query={q(ASK)}&format=json&format=xml", "application/sparql-results+json"),
        (f"/sparql?query={q(ASK)}&format=nonsense&format=csv", "text/csv"),
        ("/sparql?format=turtle&format=ntriples", "text/turtle"),
        ("/id/region/CN-HE?format=json-ld&format=application/ld%2Bjson", "application/ld+json"),
    ],
)
def test_format_given_twice_takes_the_first_known(
    server: ServerProcess, target: str, media: str
) -> None:
    """SPARQLWrapper repeats format (a name, then media types): the first one we know wins."""
    response = get(server, target)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(media)


def test_graph_lists_may_repeat(server: ServerProcess) -> None:
    graph = "https://w3id.org/pledgegraph/graph/ontology"
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    target = (
        f"/sparql?query={q(query)}&default-graph-uri={q(graph)}&default-graph-uri={q(graph)}"
        f"&named-graph-uri={q(graph)}&named-graph-uri={q(graph + '2')}&format=json"
    )
    response = get(server, target)
    assert response.status_code == 200, response.text
    assert int(response.json()["results"]["bindings"][0]["n"]["value"]) > 0


# --- 9. an empty query is a 400 saying how to send one -------------------------------------


def test_an_empty_query_is_400(server: ServerProcess, cors: ServerProcess) -> None:
    direct = {"content-type": "application/sparql-query"}
    for running in (server, cors):
        answers = [
            get(running, "/sparql?query="),
            get(running, "/sparql?query=%20%20+"),
            get(running, "/sparql?query=%0A%09&format=json"),
            post(running, "/sparql", data={"query": ""}),
            post(running, "/sparql", data={"query": " \n "}),
            post(running, "/sparql", content=b"", headers=direct),
            post(running, "/sparql", content=b"  \r\n", headers=direct),
        ]
        for response in answers:
            assert response.status_code == 400, response.request
            assert response.text == EMPTY
    as_json = get(server, "/sparql?query=", headers={"accept": "application/json"})
    assert as_json.json() == {"error": EMPTY.rstrip("\n"), "status": 400}


def test_the_query_page_is_not_held_to_the_browsers_accept(server: ServerProcess) -> None:
    """The page shows the answer in HTML: a browser's ``Accept: text/html`` is no 406."""
    for query in (SELECT, DESCRIBE):
        page = get(server, "/query?query=" + q(query), headers={"accept": "text/html"})
        assert page.status_code == 200
        assert "none of the formats" not in page.text
        assert "Hebei" in page.text
