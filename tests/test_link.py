"""Links to Wikidata, GeoNames and ISO 3166: the offline table, reconciliation, federation.

The endpoint tests run against a real SPARQL server: ``oxigraph serve-read-only`` (from the
``oxigraph`` package of the dev extras) on a free loopback port, loaded with
``tests/fixtures/wikidata-mini.ttl``. Broken endpoints are small ``http.server`` threads on
loopback. Nothing here reaches the internet.
"""

from __future__ import annotations

import csv
import http.server
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import click
import pycountry
import pyoxigraph as ox
import pytest
from click.testing import CliRunner, Result

from pledgegraph.errors import InputError, QueryError
from pledgegraph.graph.linking.countries import COUNTRY_IDS
from pledgegraph.graph.linking.federation import (
    ENV_ALLOW_SERVICE,
    allowed_services,
    check_services,
    find_services,
)
from pledgegraph.graph.linking.links import (
    GEONAMES_LINKSET,
    WIKIDATA_LINKSET,
    link_regions,
    region_nodes,
    table_version,
)
from pledgegraph.graph.linking.run import run_link
from pledgegraph.graph.query import run
from pledgegraph.graph.store import Store
from pledgegraph.loaders.regions import gazetteer
from pledgegraph.ontology import INFERRED_GRAPH, LINKS_GRAPH, PLEDGE

FIXTURE = Path(__file__).parent / "fixtures" / "wikidata-mini.ttl"
NOW = "2024-05-01T12:00:00Z"
WD = "http://www.wikidata.org/entity/"
WDT = "http://www.wikidata.org/prop/direct/"
GN = "https://sws.geonames.org/"
R = "https://w3id.org/pledgegraph/id/region/"
OWL_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
VOID = "http://rdfs.org/ns/void#"
DCTERMS = "http://purl.org/dc/terms/"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
#: Regions the fixture endpoint knows (or has decoys for), loaded on top of the bundled data.
RECONCILE_KEYS = (
    "CN-ZJ/ningbo",
    "CN-GD/shenzhen",
    "CN-JS/suzhou",
    "CN-JS/wuxi",
    "CN-ZJ/hangzhou",
    "CN-HN/loudi",
    "DE-BY",
    "US-GA",
    "IN-PB",
    "PK-PB",
)
NOT_ALLOWED = "query: SERVICE <{url}> is not allowed; pass --allow-service URL or set PLEDGEGRAPH_ALLOW_SERVICE"


# --- helpers -------------------------------------------------------------------------------


def regions_turtle(keys: tuple[str, ...], *, with_links: bool = True) -> str:
    """Region nodes as the loader writes them (labels, type, ISO code, partOf)."""
    places = gazetteer()
    lines = []
    for key in keys:
        region = places.get(key)
        s = f"<{R}{key}>"
        lines.append(f"{s} a <{PLEDGE}Region> ; <{PLEDGE}regionType> {ox.Literal(region.type)} .")
        lines.append(f"{s} <{RDFS_LABEL}> {ox.Literal(region.name_en, language='en')} .")
        if region.name_zh:
            lines.append(f"{s} <{RDFS_LABEL}> {ox.Literal(region.name_zh, language='zh')} .")
        if with_links and region.iso_code:
            lines.append(f"{s} <{PLEDGE}isoCode> {ox.Literal(region.iso_code)} .")
        if with_links and region.part_of:
            lines.append(f"{s} <{PLEDGE}partOf> <{R}{region.part_of}> .")
    return "\n".join(lines) + "\n"


def add_regions(store: Store, keys: tuple[str, ...], **options: bool) -> None:
    """Regions in the store that are not linked yet. Written directly, as SPARQL Update on a
    server or an older store may have left them: a load now links the regions a file names
    (tests/test_load_mixed.py), and describes them as the gazetteer does, ISO code and place
    included."""
    text = regions_turtle(keys, **options)
    graph = ox.NamedNode("https://w3id.org/pledgegraph/graph/file/regions-ttl")
    store.inner.extend(
        ox.Quad(t.subject, t.predicate, t.object, graph)
        for t in ox.parse(text.encode("utf-8"), ox.RdfFormat.TURTLE)
    )


def links(store: Store) -> set[tuple[str, str, str]]:
    """The links graph as (subject, predicate, object) strings."""
    return {
        (q.subject.value, q.predicate.value, q.object.value)  # type: ignore[union-attr]
        for q in store.inner.quads_for_pattern(None, None, None, ox.NamedNode(LINKS_GRAPH))
    }


def same_as(store: Store, key: str) -> set[str]:
    return {o for s, p, o in links(store) if s == R + key and p == OWL_SAME_AS}


def nquads(store: Store) -> str:
    data = ox.serialize(
        sorted(store.inner.quads_for_pattern(None, None, None, None), key=str),
        format=ox.RdfFormat.N_QUADS,
    )
    return (data or b"").decode("utf-8")


def triples(quads: Iterable[ox.Quad]) -> set[ox.Triple]:
    return {ox.Triple(q.subject, q.predicate, q.object) for q in quads}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


Invoke = Callable[..., Result]


def _command_group() -> click.Group:
    """``pledgegraph`` itself."""
    from pledgegraph.cli import main

    return main


@pytest.fixture
def store() -> Store:
    """The bundled store as it was before any link: loading links regions, so drop the graph."""
    fresh = Store.memory()
    fresh.inner.remove_graph(ox.NamedNode(LINKS_GRAPH))
    return fresh


@pytest.fixture
def run_cli(tmp_path: Path) -> Invoke:
    """``pledgegraph --store <tmp>/s ARGS`` in process."""
    group = _command_group()

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(
            group, ["--store", str(tmp_path / "s"), *args], catch_exceptions=False
        )

    return invoke


def cli_store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "s")


# --- servers on loopback -------------------------------------------------------------------


def _oxigraph() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(found).exists():
        pytest.fail("the oxigraph server is missing: pip install -e '.[dev]'")
    return found


@pytest.fixture(scope="session")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A read-only ``oxigraph`` SPARQL server with the Wikidata-shaped fixture; its query URL."""
    binary = _oxigraph()
    location = tmp_path_factory.mktemp("wikidata-mini")
    subprocess.run(
        [binary, "load", "--location", str(location), "--file", str(FIXTURE)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    port = free_port()
    process = subprocess.Popen(
        [binary, "serve-read-only", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/query"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                probe = url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
                with urllib.request.urlopen(probe, timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("the oxigraph server did not start")
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class _Server:
    """A tiny HTTP server on loopback in a thread: ``garbage`` or ``sleep`` behaviour."""

    def __init__(self, behaviour: str) -> None:
        self.release = threading.Event()
        release = self.release

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if behaviour == "sleep":
                    release.wait(10)  # longer than any timeout the tests use
                body = b"<html><body>Service temporarily unavailable</body></html>"
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass

            do_POST = do_GET

            def log_message(self, format: str, *args: object) -> None:
                return

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sparql"

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def garbage_endpoint() -> Iterator[str]:
    server = _Server("garbage")
    yield server.url
    server.close()


@pytest.fixture
def slow_endpoint() -> Iterator[str]:
    server = _Server("sleep")
    yield server.url
    server.close()


@pytest.fixture
def dead_endpoint() -> str:
    return f"http://127.0.0.1:{free_port()}/sparql"


# --- the bundled link table ----------------------------------------------------------------


def test_country_ids_cover_every_iso_country() -> None:
    codes = {c.alpha_2 for c in pycountry.countries}
    assert set(COUNTRY_IDS) == codes
    for code, (qid, geonames) in COUNTRY_IDS.items():
        assert qid.startswith("Q") and qid[1:].isdigit(), code
        assert geonames.isdigit(), code
    # Agree with the checked reference table where both have the entity.
    places = gazetteer()
    for country, division in (("CN", "CN"), ("HK", "CN-HK"), ("MO", "CN-MO")):
        region = places.get(division)
        assert COUNTRY_IDS[country] == (region.wikidata, region.geonames)
    assert COUNTRY_IDS["TW"][1] == places.get("CN-TW").geonames


def test_every_provincial_division_has_ids_in_the_table() -> None:
    divisions = [r for r in gazetteer() if r.key.startswith("CN-") and "/" not in r.key]
    assert len(divisions) == 34
    assert all(r.wikidata and r.geonames and r.part_of == "CN" for r in divisions)


# --- offline linking -----------------------------------------------------------------------


def test_bundled_regions_are_all_linked(store: Store) -> None:
    report = run_link(store, now=NOW)
    assert (report.regions, report.linked, report.wikidata, report.geonames) == (5, 5, 5, 5)
    assert report.unmatched == () and report.unlinked == ()
    assert same_as(store, "CN-HE") == {WD + "Q21208", GN + "1808773/"}
    assert same_as(store, "CN") == {WD + "Q148", GN + "1814991/"}
    graph = links(store)
    assert (R + "CN-HE", WDT + "P300", "CN-HE") in graph
    assert (R + "CN", WDT + "P297", "CN") in graph
    # isoCode and partOf are in the reference graph already: not repeated in the links graph.
    assert not {t for t in graph if t[1] in (PLEDGE + "isoCode", PLEDGE + "partOf")}
    assert report.triples == len(graph)


def test_void_linksets_describe_the_links(store: Store) -> None:
    run_link(store, now=NOW)
    graph = links(store)
    for linkset, target in ((WIKIDATA_LINKSET, "wikidata"), (GEONAMES_LINKSET, "geonames")):
        dataset = f"https://w3id.org/pledgegraph/id/dataset/{target}"
        assert (
            linkset,
            "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
            VOID + "Linkset",
        ) in graph
        assert (linkset, VOID + "linkPredicate", OWL_SAME_AS) in graph
        assert (linkset, VOID + "target", dataset) in graph
        assert (linkset, VOID + "objectsTarget", dataset) in graph
        assert (linkset, VOID + "triples", "5") in graph
        assert (linkset, DCTERMS + "created", NOW) in graph
        assert (linkset, "http://www.w3.org/2002/07/owl#versionInfo", table_version()) in graph
    assert table_version().startswith("sha256:") and len(table_version()) == 7 + 64


def test_rerunning_replaces_and_never_duplicates(store: Store) -> None:
    run_link(store, now=NOW)
    first = nquads(store)
    again = run_link(store, now=NOW)
    assert nquads(store) == first
    assert again.triples == store.count(LINKS_GRAPH)


class _Recorder:
    """Stands in for the pyoxigraph store and records the updates sent to it."""

    def __init__(self, inner: ox.Store) -> None:
        self.inner = inner
        self.updates: list[str] = []

    def update(self, text: str) -> None:
        self.updates.append(text)
        self.inner.update(text)

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)


def test_the_links_graph_is_replaced_in_one_update(store: Store) -> None:
    recorder = _Recorder(store.inner)
    store.inner = recorder  # type: ignore[assignment]
    run_link(store, now=NOW)
    (update,) = recorder.updates
    assert update.startswith(
        f"DROP SILENT GRAPH <{LINKS_GRAPH}> ;\nINSERT DATA {{ GRAPH <{LINKS_GRAPH}>"
    )


def test_dry_run_writes_nothing(store: Store) -> None:
    before = nquads(store)
    report = run_link(store, dry_run=True)
    assert nquads(store) == before and not report.written
    assert report.wikidata == 5 and report.triples > 10


def test_missing_iso_code_and_part_of_are_added(store: Store) -> None:
    add_regions(store, ("CN-ZJ", "DE-BY", "FR"), with_links=False)
    report = run_link(store, now=NOW)
    graph = links(store)
    assert (R + "CN-ZJ", PLEDGE + "isoCode", "CN-ZJ") in graph
    assert (R + "CN-ZJ", PLEDGE + "partOf", R + "CN") in graph
    assert same_as(store, "CN-ZJ") == {WD + "Q16967", GN + "1784764/"}
    assert (R + "DE-BY", WDT + "P300", "DE-BY") in graph and same_as(store, "DE-BY") == set()
    assert (R + "DE-BY", PLEDGE + "partOf", R + "DE") in graph
    assert same_as(store, "FR") == {WD + "Q142", GN + "3017382/"}
    assert (report.regions, report.wikidata, report.iso_only) == (8, 7, 1)


def test_regions_match_by_iso_code_and_by_name(store: Store) -> None:
    # (regions of the file's own, under IRIs of its own: no file may mint one in ours)
    gen = "http://example.org/gen/"
    data = f"""
    <{gen}1> a <{PLEDGE}Region> ; <{PLEDGE}isoCode> "cn-zj" .
    <http://example.org/place/hebei> a <{PLEDGE}Region> ; <{RDFS_LABEL}> "Hebei Province"@en .
    <{gen}2> a <{PLEDGE}Region> ; <{RDFS_LABEL}> "Georgia"@en ; <{PLEDGE}regionType> "State" .
    <{gen}3> a <{PLEDGE}Region> ; <{RDFS_LABEL}> "Hebie"@en .
    """
    store.load_rdf("mixed.ttl", data=data.encode())
    report = run_link(store, now=NOW)
    linked = {o for s, p, o in links(store) if s == gen + "1" and p == OWL_SAME_AS}
    assert linked == {WD + "Q16967", GN + "1784764/"}
    assert WD + "Q21208" in {
        o for s, p, o in links(store) if s == "http://example.org/place/hebei" and p == OWL_SAME_AS
    }
    assert dict(report.matched) == {"key": 5, "iso code": 1, "name": 1}
    # A state called Georgia is not the country Georgia; a misspelling is not a match.
    assert [u.iri for u in report.unmatched] == [gen + "2", gen + "3"]


def test_link_regions_adds_without_dropping(store: Store) -> None:
    run_link(store, now=NOW)
    before = links(store)
    add_regions(store, ("CN-ZJ", "CN-GD"))
    # CN-ZJ and CN-GD get links; their ancestor CN was linked by run_link already
    assert link_regions(store, ["CN-ZJ", "CN-GD", "XX-nowhere"], now=NOW) == 2
    after = links(store)
    assert {t for t in before if t[1] not in (VOID + "triples",)} <= after
    assert same_as(store, "CN-GD") == {WD + "Q15175", GN + "1809935/"}
    assert (WIKIDATA_LINKSET, VOID + "triples", "7") in after
    assert (GEONAMES_LINKSET, VOID + "triples", "7") in after
    assert link_regions(store, ["CN-ZJ"], now=NOW) == 0  # already linked: nothing to add
    assert links(store) == after


def test_a_rebuild_keeps_the_last_modification_unless_it_changes_the_links(store: Store) -> None:
    later, latest = "2024-06-01T00:00:00Z", "2024-07-01T00:00:00Z"

    def modified() -> set[str]:
        return {o for s, p, o in links(store) if p == DCTERMS + "modified"}

    run_link(store, now=NOW)
    assert modified() == set()  # just made: created, not modified
    add_regions(store, ("CN-ZJ",))
    assert link_regions(store, ["CN-ZJ"], now=later) == 1
    assert modified() == {later}
    first = nquads(store)
    run_link(store, now=latest)  # the same links: the store stays byte for byte the same
    assert modified() == {later} and nquads(store) == first
    add_regions(store, ("CN-GD",))  # a region the links graph does not have yet
    run_link(store, now=latest)
    assert modified() == {latest}
    assert {o for s, p, o in links(store) if p == DCTERMS + "created"} == {NOW}


def test_link_regions_before_any_link_creates_the_description(store: Store) -> None:
    assert link_regions(store, ["CN-HE"], now=NOW) == 2
    graph = links(store)
    assert (WIKIDATA_LINKSET, VOID + "triples", "2") in graph
    assert (WIKIDATA_LINKSET, DCTERMS + "created", NOW) in graph


# --- the command ---------------------------------------------------------------------------


def test_link_command(run_cli: Invoke, tmp_path: Path) -> None:
    result = run_cli("link")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        f"linked 5 of 5 regions in <{LINKS_GRAPH}> (52 triples): 5 to Wikidata, "
        "5 to GeoNames, 0 by ISO code only\n"
    )


def test_link_command_lists_unmatched_regions_with_close_names(
    run_cli: Invoke, tmp_path: Path
) -> None:
    assert run_cli("link", "--dry-run").exit_code == 0
    with cli_store(tmp_path) as store:
        store.load_rdf(
            "odd.ttl",
            # (a region of the file's own, under its own IRI: none may be minted in ours)
            data=f'<http://example.org/x1> a <{PLEDGE}Region> ; <{RDFS_LABEL}> "Hebie"@en .'.encode(),
        )
    result = run_cli("link")
    assert result.exit_code == 0
    assert "not matched: http://example.org/x1 (Hebie); closest known names: Hebei" in result.stderr


def test_link_help_is_there(run_cli: Invoke) -> None:
    result = run_cli("link", "--help")
    assert result.exit_code == 0
    for option in ("--endpoint", "--dry-run", "--threshold", "--review", "--accept", "--timeout"):
        assert option in result.stdout


@pytest.mark.parametrize("fmt", ["turtle", "jsonld"])
def test_export_of_the_links_graph(run_cli: Invoke, tmp_path: Path, fmt: str) -> None:
    assert run_cli("link").exit_code == 0
    result = run_cli("export", "--format", fmt, "--graph", LINKS_GRAPH)
    assert result.exit_code == 0, result.stderr
    with cli_store(tmp_path) as store:
        expected = {
            ox.Triple(q.subject, q.predicate, q.object)
            for q in store.inner.quads_for_pattern(None, None, None, ox.NamedNode(LINKS_GRAPH))
        }
    if fmt == "turtle":
        parsed = triples(ox.parse(result.stdout.encode(), ox.RdfFormat.TURTLE))
        assert "wd:Q21208" in result.stdout
    else:
        document = json.loads(result.stdout)
        assert "@context" in document and document["@graph"]
        parsed = triples(ox.parse(result.stdout.encode(), ox.RdfFormat.JSON_LD))
    assert {same_instant(t) for t in parsed} == {same_instant(t) for t in expected}


def same_instant(triple: ox.Triple) -> ox.Triple:
    """rdflib writes the dateTime "…Z" as "…+00:00" in JSON-LD: the same value."""
    obj = triple.object
    if isinstance(obj, ox.Literal) and obj.datatype.value.endswith("#dateTime"):
        obj = ox.Literal(obj.value.replace("+00:00", "Z"), datatype=obj.datatype)
    return ox.Triple(triple.subject, triple.predicate, obj)


def test_stored_questions_use_the_links(store: Store) -> None:
    from pledgegraph import queries
    from pledgegraph.graph.query import run

    def rows(name: str) -> list[dict[str, str]]:
        result = run(store, queries.get(name).sparql)
        assert isinstance(result, ox.QuerySolutions)
        names = [v.value for v in result.variables]
        return [{n: (s[n].value if s[n] is not None else "") for n in names} for s in result]

    assert [r["wikidata"] for r in rows("regions-linked")] == ["", "", "", "", ""]
    run_link(store, now=NOW)
    assert [
        (r["region"], r["iso"], r["wikidata"], r["geonames"]) for r in rows("regions-linked")
    ] == [
        ("CN", "CN", "Q148", "1814991"),
        ("CN-BJ", "CN-BJ", "Q956", "2038349"),
        ("CN-GZ", "CN-GZ", "Q47097", "1809445"),
        ("CN-HE", "CN-HE", "Q21208", "1808773"),
        ("CN-HN", "CN-HN", "Q45761", "1806691"),
    ]
    assert rows("pledges-by-country") == [
        {
            "country": "CN",
            "countryName": "China",
            "wikidata": "Q148",
            "pledges": "5",
            "targets": "15",
        }
    ]


def test_stored_questions_hold_after_owl_reasoning(store: Store) -> None:
    """owl:sameAs makes the Wikidata and GeoNames IRIs regions too: rows must not triple."""
    reason = pytest.importorskip("pledgegraph.graph.reasoning.materialise")
    from pledgegraph import queries
    from pledgegraph.graph.query import result_text, run

    run_link(store, now=NOW)
    graph = links(store)
    before = {n: result_text(run(store, queries.get(n).sparql), fmt="tsv") for n in QUESTIONS}
    reason.materialise(store)
    assert store.has_graph(INFERRED_GRAPH) and store.count(INFERRED_GRAPH) > 0
    after = {n: result_text(run(store, queries.get(n).sparql), fmt="tsv") for n in QUESTIONS}
    assert after == before
    # Linking again ignores the inferred graph (where wd:Q21208 is a pledge:Region too) ...
    assert run_link(store, now=NOW).regions == 5
    assert links(store) == graph
    # ... and marks the closure out of date.
    assert store.inferred_is_stale()


QUESTIONS = ("regions-linked", "pledges-by-country")


# --- reconciliation against a live endpoint --------------------------------------------------


@pytest.fixture
def wide(store: Store) -> Store:
    """The bundled data plus cities and foreign states the table has no Wikidata id for."""
    add_regions(store, RECONCILE_KEYS)
    return store


def test_reconcile_accepts_good_matches_and_leaves_the_rest(
    wide: Store, endpoint: str, tmp_path: Path
) -> None:
    review = tmp_path / "review.csv"
    report = run_link(wide, endpoint=endpoint, review=str(review), now=NOW)
    assert report.reconciliation is not None
    decisions = {d.subject.key: d for d in report.reconciliation.decisions}
    assert {k: (d.accepted.qid if d.accepted else d.note) for k, d in decisions.items()} == {
        "CN-ZJ/ningbo": "Q9000000101",  # not the railway station
        "CN-GD/shenzhen": "Q9000000103",  # not the ship
        "CN-JS/suzhou": "Q9000000105",  # not Suzhou in Anhui
        "DE-BY": "Q9000000201",  # by its ISO 3166-2 code (named "Bayern" here)
        "US-GA": "Q9000000202",  # the state, not the country Georgia
        "IN-PB": "Q9000000203",  # Punjab in India ...
        "PK-PB": "Q9000000204",  # ... and in Pakistan
        "CN-JS/wuxi": "ambiguous",  # two equally good entities
        "CN-ZJ/hangzhou": "below threshold",  # only a bay of that name
        "CN-HN/loudi": "no candidate",
    }
    assert same_as(wide, "CN-ZJ/ningbo") == {WD + "Q9000000101", GN + "9000101/"}
    assert same_as(wide, "CN-JS/wuxi") == set()
    assert (WIKIDATA_LINKSET, DCTERMS + "source", endpoint) in links(wide)
    counted = {o for s, p, o in links(wide) if s == WIKIDATA_LINKSET and p == VOID + "triples"}
    assert counted == {"12"}  # the 12 places (written without the regions they lie in)
    with review.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows == [
        ["region", "label", "candidate", "candidate_label", "score", "accept", "note"],
        ["CN-HN/loudi", "Loudi", "", "", "", "", "no candidate"],
        ["CN-JS/wuxi", "Wuxi", "Q9000000107", "Wuxi", "1.000", "", "ambiguous"],
        ["CN-JS/wuxi", "Wuxi", "Q9000000108", "Wuxi", "1.000", "", "ambiguous"],
        [
            "CN-ZJ/hangzhou",
            "Hangzhou",
            "Q9000000109",
            "Hangzhou Bay",
            "0.500",
            "",
            "below threshold",
        ],
    ]


def test_threshold_decides(wide: Store, endpoint: str) -> None:
    report = run_link(wide, endpoint=endpoint, threshold=0.45, dry_run=True)
    assert report.reconciliation is not None
    accepted = {d.subject.key for d in report.reconciliation.accepted}
    assert "CN-ZJ/hangzhou" in accepted and "CN-JS/wuxi" not in accepted
    assert links(wide) == set()  # a dry run


def test_review_accept_round_trip(run_cli: Invoke, tmp_path: Path, endpoint: str) -> None:
    with cli_store(tmp_path) as store:
        add_regions(store, RECONCILE_KEYS)
    review = tmp_path / "review.csv"
    result = run_cli("link", "--endpoint", endpoint, "--review", str(review))
    assert result.exit_code == 0, result.stderr
    assert "reconciled 10 regions against" in result.stderr
    assert "  CN-ZJ/ningbo -> Q9000000101 Ningbo (1.000)\n" in result.stderr
    assert f"review: wrote 3 regions to {review};" in result.stderr
    # The user accepts the first Wuxi.
    rows = list(csv.DictReader(review.open(encoding="utf-8", newline="")))
    for row in rows:
        if row["candidate"] == "Q9000000107":
            row["accept"] = "yes"
    with review.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = run_cli("link", "--accept", str(review))
    assert result.exit_code == 0, result.stderr
    assert "1 accepted from the file" in result.stderr
    with cli_store(tmp_path) as store:
        assert same_as(store, "CN-JS/wuxi") == {WD + "Q9000000107"}
        assert same_as(store, "CN-ZJ/ningbo") == {WD + "Q9000000101", GN + "9000101/"}
    # A plain offline run keeps what was accepted before.
    result = run_cli("link")
    assert "kept 9 links accepted earlier" in result.stderr
    with cli_store(tmp_path) as store:
        assert same_as(store, "CN-JS/wuxi") == {WD + "Q9000000107"}
        assert (WIKIDATA_LINKSET, DCTERMS + "source", endpoint) in links(store)


def _write_review(path: Path, *rows: tuple[str, str, str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["region", "label", "candidate", "candidate_label", "score", "accept"])
        for region, candidate, accept in rows:
            writer.writerow([region, "", candidate, "", "", accept])


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [("CN-ZJ/ningbo", "Q9000000101", "yes"), ("CN-XX/nowhere", "Q1", "yes")],
            "{path}:3: unknown region key 'CN-XX/nowhere'; use a key from the review file's "
            "region column",
        ),
        (
            [("CN-ZJ/ningbo", "Ningbo", "yes")],
            "{path}:2: 'Ningbo' is not a Wikidata id; write a QID such as Q956 in the candidate column",
        ),
        (
            [("CN-ZJ/ningbo", "Q9000000101", "maybe")],
            "{path}:2: accept is 'maybe'; write yes to accept a row, or leave it empty",
        ),
        (
            [("CN-ZJ/ningbo", "Q9000000101", "yes"), ("CN-ZJ/ningbo", "Q9000000102", "yes")],
            "{path}:3: region CN-ZJ/ningbo is accepted twice (Q9000000101 on line 2, Q9000000102 "
            "here); accept one candidate per region",
        ),
        (
            [("CN-HE", "Q1", "yes")],
            "{path}:2: region CN-HE is Q21208 in the bundled table, not Q1; remove the row: the "
            "checked table wins",
        ),
    ],
    ids=["unknown-region", "not-a-qid", "bad-accept", "accepted-twice", "against-the-table"],
)
def test_bad_review_files(
    run_cli: Invoke, tmp_path: Path, rows: list[tuple[str, str, str]], message: str
) -> None:
    with cli_store(tmp_path) as store:
        add_regions(store, RECONCILE_KEYS)
    assert run_cli("link").exit_code == 0
    with cli_store(tmp_path) as store:
        before = nquads(store)
    path = tmp_path / "bad.csv"
    _write_review(path, *rows)
    result = run_cli("link", "--accept", str(path))
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: " + message.format(path=path))
    assert len(result.stderr.splitlines()) == 1
    with cli_store(tmp_path) as store:
        assert nquads(store) == before


def test_accepted_ids_must_exist_at_the_endpoint(
    wide: Store, endpoint: str, tmp_path: Path
) -> None:
    path = tmp_path / "review.csv"
    _write_review(path, ("CN-ZJ/ningbo", "Q9000000101", "yes"), ("CN-HN/loudi", "Q12345", "y"))
    with pytest.raises(InputError) as caught:
        run_link(wide, endpoint=endpoint, accept=str(path))
    assert str(caught.value) == (
        f"{path}:3: Q12345 is not an entity at {endpoint}; check the id, or remove the row"
    )
    assert links(wide) == set()


def test_missing_review_file(wide: Store, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file; check the path given to --accept"):
        run_link(wide, accept=str(tmp_path / "nope.csv"))


def test_review_needs_an_endpoint(run_cli: Invoke) -> None:
    result = run_cli("link", "--review", "r.csv")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: --review: a review file needs an endpoint to reconcile against; "
        "pass --endpoint URL, or drop --review\n"
    )


# --- broken endpoints: one clear line, nothing written -------------------------------------


def _fails(run_cli: Invoke, tmp_path: Path, *args: str) -> str:
    with cli_store(tmp_path) as store:
        add_regions(store, RECONCILE_KEYS)
    assert run_cli("link").exit_code == 0
    with cli_store(tmp_path) as store:
        before = nquads(store)
    result = run_cli("link", *args)
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1
    with cli_store(tmp_path) as store:
        assert nquads(store) == before
    return result.stderr


def test_endpoint_down(run_cli: Invoke, tmp_path: Path, dead_endpoint: str) -> None:
    assert _fails(run_cli, tmp_path, "--endpoint", dead_endpoint) == (
        f"Error: {dead_endpoint}: cannot connect (connection refused); "
        "check that the endpoint is running and the URL is right\n"
    )


def test_endpoint_too_slow(run_cli: Invoke, tmp_path: Path, slow_endpoint: str) -> None:
    started = time.monotonic()
    stderr = _fails(run_cli, tmp_path, "--endpoint", slow_endpoint, "--timeout", "0.5")
    assert time.monotonic() - started < 8
    assert stderr == (
        f"Error: {slow_endpoint}: no answer within 0.5 s; try again later or raise --timeout\n"
    )


def test_endpoint_answers_garbage(run_cli: Invoke, tmp_path: Path, garbage_endpoint: str) -> None:
    stderr = _fails(run_cli, tmp_path, "--endpoint", garbage_endpoint)
    assert stderr.startswith(
        f"Error: {garbage_endpoint}: the answer (text/html) is not SPARQL JSON results: "
    )
    assert stderr.endswith("; check that the URL is a SPARQL endpoint\n")


def test_unknown_endpoint(run_cli: Invoke, tmp_path: Path, endpoint: str) -> None:
    wrong = endpoint.replace("/query", "/nowhere")
    assert _fails(run_cli, tmp_path, "--endpoint", wrong) == (
        f"Error: {wrong}: the endpoint answered HTTP 404; "
        "check the URL: it must be the endpoint's query URL\n"
    )
    assert _fails(run_cli, tmp_path, "--endpoint", "wikidata") == (
        "Error: --endpoint: 'wikidata' is not an http(s) URL; give the endpoint's full URL, "
        "such as https://query.wikidata.org/sparql\n"
    )


# --- federated queries ---------------------------------------------------------------------


def test_service_not_on_the_allow_list_is_refused() -> None:
    url = "https://query.wikidata.org/sparql"
    query = f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"
    with pytest.raises(QueryError) as caught:
        check_services(query, [])
    assert f"Error: {caught.value.message}" == "Error: " + NOT_ALLOWED.format(url=url)
    check_services(query, [url])


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("SELECT * { SERVICE <http://a.example/s> { ?s ?p ?o } }", ["http://a.example/s"]),
        ("select * { service silent <http://a.example/s> { ?s ?p ?o } }", ["http://a.example/s"]),
        (
            "PREFIX ex: <http://a.example/> SELECT * { SERVICE ex:sparql { ?s ?p ?o } }",
            ["http://a.example/sparql"],
        ),
        (
            "BASE <http://a.example/x/> SELECT * { SERVICE <s> { ?s ?p ?o } }",
            ["http://a.example/x/s"],
        ),
        ("SELECT * { ?s ?p ?o } # SERVICE <http://evil.example/> { }", []),
        ('SELECT * { ?s ?p "SERVICE <http://evil.example/> {}" }', []),
        ("SELECT * { ?s ?p '''x\nSERVICE <http://evil.example/>''' }", []),
        ("SELECT * { ?s ?p ?o FILTER(?o<?p) } ", []),
        ("SELECT * { ?s <http://x.example/SERVICE> ?o }", []),
        (
            "SELECT * { SERVICE <http://a.example/1> { SERVICE <http://b.example/2> { ?s ?p ?o } } }",
            ["http://a.example/1", "http://b.example/2"],
        ),
    ],
)
def test_service_iris_are_found_and_nothing_else(query: str, found: list[str]) -> None:
    assert [ref.iri for ref in find_services(query)] == found


def test_service_variable_is_refused() -> None:
    with pytest.raises(QueryError) as caught:
        check_services("SELECT * { ?e a ?t . SERVICE ?e { ?s ?p ?o } }", ["http://a.example/"])
    assert caught.value.message == (
        "query: SERVICE ?e is not allowed; name the endpoint with an IRI and pass --allow-service URL"
    )


def test_allowed_services_from_options_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_ALLOW_SERVICE, "http://a.example/sparql  http://b.example/sparql")
    assert allowed_services(["http://c.example/q", "http://a.example/sparql"]) == [
        "http://a.example/sparql",
        "http://b.example/sparql",
        "http://c.example/q",
    ]
    monkeypatch.delenv(ENV_ALLOW_SERVICE)
    assert allowed_services([]) == []
    with pytest.raises(InputError, match="--allow-service: 'wikidata' is not an http"):
        allowed_services(["wikidata"])


def federated_query(
    store: Store, sparql: str, *, allowed: list[str], timeout: float = 10.0
) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    """A query with SERVICE, the way every caller runs one: through the guard in run()."""
    return run(store, sparql, allow_service=allowed, service_timeout=timeout)


POPULATION = """
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT ?region ?population WHERE {
  ?r pledge:isoCode ?region ; owl:sameAs ?item .
  SERVICE <URL> { ?item wdt:P1082 ?population }
}
ORDER BY ?region
"""


def test_federated_query_joins_local_links_with_remote_data(store: Store, endpoint: str) -> None:
    run_link(store, now=NOW)
    result = federated_query(store, POPULATION.replace("URL", endpoint), allowed=[endpoint])
    assert isinstance(result, ox.QuerySolutions)
    rows = [(s["region"].value, s["population"].value) for s in result]
    assert rows == [
        ("CN", "1400000000"),
        ("CN-BJ", "22000000"),
        ("CN-GZ", "39000000"),
        ("CN-HE", "75000000"),
        ("CN-HN", "66000000"),
    ]


def test_federated_construct_keeps_its_type(store: Store, endpoint: str) -> None:
    query = (
        "PREFIX wdt: <http://www.wikidata.org/prop/direct/> "
        f"CONSTRUCT {{ ?item wdt:P300 ?code }} WHERE {{ SERVICE <{endpoint}> "
        '{ ?item wdt:P300 ?code FILTER(STRSTARTS(?code, "CN-Z")) } }'
    )
    result = federated_query(store, query, allowed=[endpoint])
    assert isinstance(result, ox.QueryTriples)
    assert [str(t.object) for t in result] == ['"CN-ZJ"']


def test_federated_query_refuses_unlisted_services(store: Store, endpoint: str) -> None:
    with pytest.raises(QueryError) as caught:
        federated_query(store, POPULATION.replace("URL", endpoint), allowed=[])
    assert caught.value.message == NOT_ALLOWED.format(url=endpoint)


def test_federated_query_with_the_endpoint_down(store: Store, dead_endpoint: str) -> None:
    run_link(store, now=NOW)
    with pytest.raises(QueryError) as caught:
        federated_query(store, POPULATION.replace("URL", dead_endpoint), allowed=[dead_endpoint])
    assert caught.value.message == (
        f"SERVICE <{dead_endpoint}>: cannot connect (connection refused); "
        "check that the endpoint is running and the URL is right"
    )
    silent = POPULATION.replace("SERVICE <URL>", f"SERVICE SILENT <{dead_endpoint}>")
    result = federated_query(store, silent, allowed=[dead_endpoint])
    assert isinstance(result, ox.QuerySolutions)


def test_federated_query_times_out(store: Store, slow_endpoint: str) -> None:
    run_link(store, now=NOW)
    started = time.monotonic()
    with pytest.raises(QueryError) as caught:
        federated_query(
            store, POPULATION.replace("URL", slow_endpoint), allowed=[slow_endpoint], timeout=0.5
        )
    assert time.monotonic() - started < 8
    assert caught.value.message == (
        f"SERVICE <{slow_endpoint}>: no answer within 0.5 s; try again later or raise --service-timeout"
    )


def test_federated_query_with_garbage_results(store: Store, garbage_endpoint: str) -> None:
    run_link(store, now=NOW)
    with pytest.raises(QueryError) as caught:
        federated_query(
            store, POPULATION.replace("URL", garbage_endpoint), allowed=[garbage_endpoint]
        )
    assert caught.value.message.startswith("query: the query failed: ")
    assert garbage_endpoint in caught.value.message and "127.0.0.1:" in caught.value.message
    assert "/service/" not in caught.value.message  # the relay never shows


def test_queries_without_service_are_untouched(store: Store) -> None:
    result = federated_query(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", allowed=[])
    assert isinstance(result, ox.QuerySolutions)


def test_region_nodes_reads_the_store(store: Store) -> None:
    nodes = region_nodes(store)
    assert [n.key for n in nodes] == ["CN", "CN-BJ", "CN-GZ", "CN-HE", "CN-HN"]
    hebei = nodes[3]
    assert hebei.label == "Hebei" and hebei.iso_codes == ("CN-HE",)
    assert hebei.part_of == (R + "CN",) and hebei.types == ("Province",)


def test_removing_the_last_source_of_a_region_restamps_the_linksets(
    run_cli: Invoke, tmp_path: Path
) -> None:
    """The removal takes the region's links out (void:triples recounted): the linksets'
    dcterms:modified must move too (an attack saw it kept)."""
    query = (
        f"SELECT DISTINCT ?m WHERE {{ GRAPH <{LINKS_GRAPH}> {{ ?ls a <{VOID}Linkset> ; "
        f"<{DCTERMS}modified> ?m }} }}"
    )
    sheet = tmp_path / "gx.pledges.yaml"
    sheet.write_text(
        "source:\n  url: https://example.org/gx\n  key: gx\n  title: Guangxi parks\n"
        "pledges:\n  - region: CN-GX\n    deadline: 2025\n    targets:\n"
        "      - kind: parks\n        quantity: 5\n",
        encoding="utf-8",
    )
    assert run_cli("load", str(sheet)).exit_code == 0
    with cli_store(tmp_path) as store:  # an old stamp, so that a new one can be told apart
        store.inner.update(
            f"DELETE {{ GRAPH <{LINKS_GRAPH}> {{ ?ls <{DCTERMS}modified> ?m }} }} "
            f'INSERT {{ GRAPH <{LINKS_GRAPH}> {{ ?ls <{DCTERMS}modified> "{NOW}"^^'
            "<http://www.w3.org/2001/XMLSchema#dateTime> } } "
            f"WHERE {{ GRAPH <{LINKS_GRAPH}> {{ ?ls <{DCTERMS}modified> ?m }} }}"
        )
    assert NOW in run_cli("sparql", query).stdout
    assert run_cli("remove", "gx").exit_code == 0
    stamps = run_cli("sparql", query).stdout
    assert NOW not in stamps and stamps.count("dateTime") == 1
