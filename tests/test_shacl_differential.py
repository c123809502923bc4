"""The ``shacl`` package (Rust) against pySHACL, the oracle: the same results or it is not used.

Three layers:

- **our shapes, our data**: every fixture, the bundled sheet, bad sheets, a generated sheet, and
  the bundled data with violations injected for every predicate the shapes name (removed,
  doubled, given a literal of the wrong type, pointed at an undeclared node): both engines
  through :func:`shacl_results` must give the same set of results (rule, focus, path,
  component, severity, message);
- **each constraint component our shapes use**, on small graphs written here from the SHACL
  specification's definitions (not copied from the W3C test suite): both engines must agree
  with each other and with the number of results the definition gives;
- the CLI: ``--shacl-engine`` and ``$PLEDGEGRAPH_SHACL_ENGINE`` pick the engine, a bad name is
  one Error line.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from pledgegraph.errors import InputError
from pledgegraph.graph.validation.checks import _ontology_quads
from pledgegraph.graph.validation.shacl import (
    ShaclResult,
    _shapes,
    engine_name,
    rust_results,
    shacl_results,
)
from pledgegraph.loaders.bundled import bundled_factsheets
from pledgegraph.loaders.factsheet import parse_factsheet
from pledgegraph.loaders.rdf import reference_nquads, source_nquads
from pledgegraph.ontology import read_text
from tests.test_outside_inputs import DOUBLED

pytest.importorskip("shacl")

FIXTURES = Path(__file__).parent / "fixtures" / "invalid"
SH = "http://www.w3.org/ns/shacl#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
GRAPH = ox.NamedNode("https://w3id.org/pledgegraph/id/graph/differential")


def _nt(store: ox.Store) -> bytes:
    triples = (ox.Triple(q.subject, q.predicate, q.object) for q in store)
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)


def _named(results: list[ShaclResult]) -> list[tuple[str, str, str, str]]:
    """Results without blank-node labels (each engine labels blank nodes its own way)."""
    return sorted(
        (r.rule, r.focus if not r.focus.startswith("_:") else "_:", r.path or "", r.component)
        for r in results
    )


def _assert_same(store: ox.Store, *, exact: bool = True) -> list[ShaclResult] | None:
    """Both engines on ``store``: they must agree on whether it conforms; with ``exact``, on
    every result, word for word. And the engine pledgegraph uses (``shacl`` screening, pySHACL
    reporting) must give pySHACL's results exactly. ``None`` when pySHACL cannot check the
    data at all (both engines then refuse it)."""
    try:
        oracle = sorted(shacl_results(store, None, engine="pyshacl"), key=repr)
    except InputError:  # pySHACL gives up (a blank node in sh:lessThanOrEquals)
        assert rust_results(_nt(store)), "pySHACL refused data the shacl package passed"
        with pytest.raises(InputError):  # and so does the engine pledgegraph uses
            shacl_results(store, None, engine="shacl")
        return None
    sparql = {r for r in oracle if r.component == "Sparql"}  # run by pyoxigraph either way
    fast = sorted(rust_results(_nt(store)), key=repr)
    assert bool([r for r in oracle if r not in sparql]) == bool(fast), (oracle, fast)
    if exact:
        missing = [r for r in oracle if r not in fast and r not in sparql]
        extra = [r for r in fast if r not in oracle]
        assert not missing and not extra, f"only pySHACL: {missing}\nonly shacl: {extra}"
    assert sorted(shacl_results(store, None, engine="shacl"), key=repr) == oracle
    return oracle


def _with_ontology(quads: Iterator[ox.Quad] | list[ox.Quad]) -> ox.Store:
    store = ox.Store()
    store.extend(_ontology_quads())
    store.extend(quads)
    return store


def _sheet_store(text: str) -> ox.Store:
    sheet = parse_factsheet(text, path="sheet.pledges.yaml")
    data = "".join([*source_nquads(sheet), *reference_nquads(sheet)]).encode()
    return _with_ontology(list(ox.parse(data, ox.RdfFormat.N_QUADS)))


def _bundled_quads() -> list[ox.Quad]:
    (sheet,) = bundled_factsheets()
    data = "".join([*source_nquads(sheet), *reference_nquads(sheet)]).encode()
    return list(ox.parse(data, ox.RdfFormat.N_QUADS))


# --- our shapes on our data -----------------------------------------------------------------


def test_every_property_shape_has_one_name_per_path() -> None:
    """The Rust engine's results are named by (node shape, path): that must be unambiguous."""
    shapes = _shapes()
    assert len(shapes.owners_by_path) == len(shapes.owners)


#: Fixtures on which the engines are known to differ, and why (each has its own test below).
KNOWN_DIFFERENT = {
    # an ill-formed literal typed xsd:integer (" 12"): the shacl package reports
    # sh:datatype and sh:minInclusive on it, pySHACL (the oracle, which reports) nothing; the rule
    # quantity-not-an-integer refuses it under either
    "quantity-not-an-integer",
}


@pytest.mark.parametrize(
    "fixture",
    sorted(p for p in FIXTURES.glob("*.ttl") if p.stem not in KNOWN_DIFFERENT),
    ids=lambda p: p.stem,
)
def test_fixture(fixture: Path) -> None:
    store = ox.Store()
    store.load(path=str(fixture), format=ox.RdfFormat.TURTLE, to_graph=GRAPH)
    store.extend(_ontology_quads())
    _assert_same(store)


def test_an_ill_formed_integer_is_a_known_difference_and_refused_either_way() -> None:
    """The one known difference: on ``" 12"^^xsd:integer`` the shacl package (pledgegraph's
    screen) reports sh:datatype and sh:minInclusive, pySHACL nothing (rdflib reads the number); pledgegraph reports pySHACL's results,
    so the screen only sends the data on to pySHACL, and the rule quantity-not-an-integer makes
    the file an error under both engines."""
    from pledgegraph.graph.validation.checks import validate_rdf_file

    fixture = FIXTURES / "quantity-not-an-integer.ttl"
    store = ox.Store()
    store.load(path=str(fixture), format=ox.RdfFormat.TURTLE, to_graph=GRAPH)
    store.extend(_ontology_quads())
    assert shacl_results(store, None, engine="pyshacl") == []
    assert sorted(r.component for r in rust_results(_nt(store))) == ["Datatype", "MinInclusive"]
    assert shacl_results(store, None, engine="shacl") == []
    assert [p.rule for p in validate_rdf_file(str(fixture)).problems] == ["quantity-not-an-integer"]


def test_bundled_sheet() -> None:
    assert _assert_same(_with_ontology(_bundled_quads())) == []


BAD_SHEETS = {
    "no-pledges": "source: {url: 'https://example.org/a'}\npledges: []\n",
    "range-and-title-missing": (
        "source: {url: 'https://example.org/b', published: 2020-08-20}\n"
        "pledges:\n  - region: CN-HE\n    deadline: 2022\n    targets:\n"
        "      - {kind: parks, quantity: [5, 10]}\n      - {kind: firms, quantity: null}\n"
    ),
    "deadline-before-announcement": (
        "source: {url: 'https://example.org/c', title: T}\n"
        "pledges:\n  - region: CN-GZ\n    announced: 2021-05\n    deadline: 2020\n"
        "    targets:\n      - {kind: funds, quantity: 3, bound: min, approximate: true}\n"
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_SHEETS))
def test_bad_sheet(name: str) -> None:
    _assert_same(_sheet_store(BAD_SHEETS[name]))


def test_generated_sheet() -> None:
    """A sheet as bench/generate.py writes them (the 100k set, when it has been generated)."""
    sheets = sorted((Path(__file__).parents[1] / "bench/data/100k/sheets").glob("*.yaml"))
    if not sheets:
        pytest.skip("bench/data/100k not generated (python bench/generate.py --size 100k)")
    _assert_same(_sheet_store(sheets[0].read_text(encoding="utf-8")))


@pytest.mark.parametrize("name", sorted(DOUBLED))
def test_a_second_value_where_the_questions_read_one(name: str) -> None:
    """The bundled data with a second headline, an English label, a plan… (the outside
    attack of tests/test_outside_inputs.py): both engines find it, word for word."""
    line, rule = DOUBLED[name]
    extra = list(ox.parse(line.encode("utf-8"), ox.RdfFormat.N_TRIPLES))
    results = _assert_same(_with_ontology([*_bundled_quads(), *extra]))
    assert results is not None and [r.rule for r in results] == [rule]


def _shape_predicates() -> list[ox.NamedNode]:
    shapes = list(ox.parse(read_text("shapes.ttl").encode(), ox.RdfFormat.TURTLE))
    paths = {q.object for q in shapes if q.predicate.value == SH + "path"}
    return sorted((p for p in paths if isinstance(p, ox.NamedNode)), key=lambda p: p.value)


WRONG = [
    ox.Literal("not a number"),
    ox.Literal("-7", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
    ox.Literal("2020-13", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYearMonth")),
    ox.Literal("chinese", language="zz"),
    ox.NamedNode("https://example.org/undeclared"),
    ox.BlankNode("stray"),
]


def _mutants(seed: int) -> Iterator[tuple[str, list[ox.Quad]]]:
    """The bundled data with one triple of every shape predicate removed, doubled or replaced."""
    quads = _bundled_quads()
    predicates = _shape_predicates()
    rng = random.Random(seed)
    for kind in ("remove", "double", "replace", "untype"):
        changed = list(quads)
        for predicate in predicates:
            hits = [q for q in changed if q.predicate == predicate]
            if kind == "untype":
                hits = [q for q in changed if q.predicate == RDF_TYPE]
            if not hits:
                continue
            quad = rng.choice(hits)
            if kind in ("remove", "replace", "untype"):
                changed.remove(quad)
            if kind in ("double", "replace"):
                value = rng.choice(WRONG) if kind == "replace" else rng.choice(WRONG[:3])
                changed.append(ox.Quad(quad.subject, quad.predicate, value, quad.graph_name))
            if kind == "untype":
                break
        yield kind, changed
    for n in range(6):  # random mixes: several mutations of several kinds at once
        changed = list(quads)
        for _ in range(8):
            quad = rng.choice(changed)
            changed.remove(quad)
            if rng.random() < 0.6:
                value = rng.choice(WRONG)
                changed.append(ox.Quad(quad.subject, quad.predicate, value, quad.graph_name))
        yield f"mix{n}", changed


def test_injected_violations_agree_and_cover_every_component() -> None:
    """Same verdict everywhere; the same results too, but for blank-node labels and for
    sh:lessThanOrEquals on values that cannot be compared (an ill-typed literal): the SHACL
    definition reports those, pySHACL does not, the shacl package does. Reports stay pySHACL's.
    """
    components: set[str] = set()
    total = exact = 0
    for _name, quads in [*_mutants(seed=12), *_mutants(seed=3)]:
        store = _with_ontology(quads)
        results = _assert_same(store, exact=False)
        if results is None:  # pySHACL gave up (checked above): no report to compare
            continue
        components.update(r.component for r in results)
        total += len(results)
        fast = rust_results(_nt(store))
        if not any(r.component == "LessThanOrEquals" for r in [*fast, *results]):
            assert _named([r for r in results if r.component != "Sparql"]) == _named(fast)
            exact += 1
    assert total > 40 and exact >= 10
    # the mutations reach the components the bundled data can break
    assert {"MinCount", "MaxCount", "Datatype", "Class", "NodeKind", "Or"} <= components


# --- each constraint component, on its own --------------------------------------------------

PREFIXES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> .
"""

# component -> (shape body on ex:S targeting ex:C, data, results the definition gives)
COMPONENTS: dict[str, tuple[str, str, int]] = {
    "class": (
        "sh:property [ sh:path ex:p ; sh:class ex:D ]",
        "ex:a a ex:C ; ex:p ex:x , ex:y . ex:x a ex:D . ex:y a ex:E . ex:E a ex:F .",
        1,
    ),
    "class-subclass": (
        "sh:property [ sh:path ex:p ; sh:class ex:D ]",
        "ex:a a ex:C ; ex:p ex:x . ex:x a ex:E . "
        "ex:E <http://www.w3.org/2000/01/rdf-schema#subClassOf> ex:D .",
        0,
    ),
    "datatype": (
        "sh:property [ sh:path ex:p ; sh:datatype xsd:integer ]",
        'ex:a a ex:C ; ex:p 1 , "1" , "x"^^xsd:integer , 1.5 .',
        3,
    ),
    "nodeKind-iri": (
        "sh:property [ sh:path ex:p ; sh:nodeKind sh:IRI ]",
        'ex:a a ex:C ; ex:p ex:x , "x" , [] .',
        2,
    ),
    "nodeKind-literal": (
        "sh:property [ sh:path ex:p ; sh:nodeKind sh:Literal ]",
        'ex:a a ex:C ; ex:p ex:x , "x" , [] .',
        2,
    ),
    "minCount": (
        "sh:property [ sh:path ex:p ; sh:minCount 2 ]",
        "ex:a a ex:C ; ex:p 1 . ex:b a ex:C ; ex:p 1 , 2 . ex:c a ex:C .",
        2,
    ),
    "maxCount": (
        "sh:property [ sh:path ex:p ; sh:maxCount 1 ]",
        "ex:a a ex:C ; ex:p 1 , 2 . ex:b a ex:C ; ex:p 1 .",
        1,
    ),
    "maxCount-zero": (
        "sh:property [ sh:path ex:p ; sh:maxCount 0 ]",
        "ex:a a ex:C ; ex:p 1 . ex:b a ex:C .",
        1,
    ),
    "minInclusive": (
        "sh:property [ sh:path ex:p ; sh:minInclusive 0 ]",
        'ex:a a ex:C ; ex:p 0 , -1 , 5 , "text" .',
        2,
    ),
    "maxInclusive": (
        "sh:property [ sh:path ex:p ; sh:maxInclusive 1.0 ]",
        "ex:a a ex:C ; ex:p 1 , 0.5 , 1.01 .",
        1,
    ),
    "pattern": (
        'sh:property [ sh:path ex:p ; sh:pattern "^[A-Z]{2}-[A-Z0-9]{1,3}$" ]',
        'ex:a a ex:C ; ex:p "CN-HE" , "cn-he" , "CN-HEBEI" .',
        2,
    ),
    "in": (
        "sh:property [ sh:path ex:p ; sh:in ( ex:x ex:y 1 ) ]",
        'ex:a a ex:C ; ex:p ex:x , 1 , ex:z , "1" .',
        2,
    ),
    "languageIn": (
        'sh:property [ sh:path ex:p ; sh:languageIn ( "en" "zh" ) ]',
        'ex:a a ex:C ; ex:p "a"@en , "b"@zh-Hans , "c"@fr , "d" .',
        2,
    ),
    "uniqueLang": (
        "sh:property [ sh:path ex:p ; sh:uniqueLang true ]",
        'ex:a a ex:C ; ex:p "a"@en , "b"@en , "c"@zh , "d" , "e" .',
        1,
    ),
    "lessThanOrEquals": (
        "sh:property [ sh:path ex:p ; sh:lessThanOrEquals ex:q ]",
        "ex:a a ex:C ; ex:p 1 , 5 ; ex:q 3 . ex:b a ex:C ; ex:p 2 ; ex:q 2 .",
        1,
    ),
    "hasValue": (
        "sh:property [ sh:path ex:p ; sh:hasValue ex:x ]",
        "ex:a a ex:C ; ex:p ex:x , ex:y . ex:b a ex:C ; ex:p ex:y .",
        1,
    ),
    "inversePath": (
        "sh:property [ sh:path [ sh:inversePath ex:p ] ; sh:minCount 1 ]",
        "ex:a a ex:C . ex:x ex:p ex:a . ex:b a ex:C .",
        1,
    ),
    "or": (
        "sh:property [ sh:path ex:p ; sh:or ( [ sh:datatype xsd:gYear ] [ sh:datatype xsd:date ] ) ]",
        'ex:a a ex:C ; ex:p "2020"^^xsd:gYear , "2020-01-02"^^xsd:date , "2020" .',
        1,
    ),
    "or-node": (
        "sh:or ( [ sh:path ex:p ; sh:minCount 1 ] [ sh:path ex:q ; sh:minCount 1 ] )",
        "ex:a a ex:C ; ex:p 1 . ex:b a ex:C ; ex:q 1 . ex:c a ex:C .",
        1,
    ),
    "xone": (
        "sh:xone ( [ sh:property [ sh:path ex:p ; sh:minCount 1 ] ] "
        "[ sh:property [ sh:path ex:q ; sh:minCount 1 ] ] )",
        "ex:a a ex:C ; ex:p 1 . ex:b a ex:C ; ex:p 1 ; ex:q 2 . ex:c a ex:C .",
        2,
    ),
    "severity-warning": (
        "sh:severity sh:Warning ; sh:property [ sh:path ex:p ; sh:minCount 1 ]",
        "ex:a a ex:C .",
        1,
    ),
    "targetClass-subclass": (
        "sh:property [ sh:path ex:p ; sh:minCount 1 ]",
        "ex:a a ex:Sub . ex:Sub <http://www.w3.org/2000/01/rdf-schema#subClassOf> ex:C .",
        1,
    ),
}


def _pyshacl_count(shapes: str, data: str) -> tuple[int, set[tuple[str, str, str]]]:
    import pyshacl
    import rdflib

    shapes_graph = rdflib.Graph().parse(data=shapes, format="turtle")
    data_graph = rdflib.Graph().parse(data=data, format="turtle")
    _, results, _ = pyshacl.validate(
        data_graph, shacl_graph=shapes_graph, inference="none", allow_warnings=True
    )
    assert isinstance(results, rdflib.Graph)
    sh = rdflib.Namespace(SH)
    found = set()
    for result in results.subjects(rdflib.RDF.type, sh.ValidationResult):
        focus = results.value(result, sh.focusNode)
        component = results.value(result, sh.sourceConstraintComponent)
        severity = results.value(result, sh.resultSeverity)
        found.add((str(focus), str(component), str(severity)))
    return len(list(results.subjects(rdflib.RDF.type, sh.ValidationResult))), found


def _shacl_count(shapes: str, data: str) -> tuple[int, set[tuple[str, str, str]]]:
    import shacl

    report = shacl.Shapes.from_turtle(shapes).validate_turtle(data, allow_warnings=True)
    found = {(r.focus_node.strip("<>"), r.component_iri, r.severity_iri) for r in report.results}
    return len(report.results), found


@pytest.mark.parametrize("name", sorted(COMPONENTS))
def test_component(name: str) -> None:
    body, data, expected = COMPONENTS[name]
    shapes = PREFIXES + f"ex:S a sh:NodeShape ; sh:targetClass ex:C ; {body} ."
    data = PREFIXES + data
    oracle_count, oracle = _pyshacl_count(shapes, data)
    fast_count, fast = _shacl_count(shapes, data)
    assert oracle_count == expected, "pySHACL disagrees with the definition"
    assert (fast_count, fast) == (oracle_count, oracle)


# --- choosing the engine --------------------------------------------------------------------


def test_engine_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PLEDGEGRAPH_SHACL_ENGINE", raising=False)
    assert engine_name() == "shacl"  # installed here: auto picks it
    assert engine_name("pyshacl") == "pyshacl"
    monkeypatch.setenv("PLEDGEGRAPH_SHACL_ENGINE", "pyshacl")
    assert engine_name() == "pyshacl"
    assert engine_name("shacl") == "shacl"  # the option wins over the variable
    monkeypatch.setenv("PLEDGEGRAPH_SHACL_ENGINE", "jena")
    with pytest.raises(InputError) as raised:
        engine_name()
    assert raised.value.message == (
        "PLEDGEGRAPH_SHACL_ENGINE: unknown SHACL engine 'jena'; use one of auto, shacl, pyshacl "
        "(option --shacl-engine or $PLEDGEGRAPH_SHACL_ENGINE)"
    )


def test_a_constraint_of_one_group_run_once_finds_what_one_query_per_focus_node_finds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The shapes' SHACL-SPARQL constraints (one group of patterns each, ``$this`` the first
    subject) run once for all focus nodes, their solutions shared out by ``$this``: the same
    results as one query per focus node with ``$this`` pre-bound (SHACL's semantics, and what
    ran before), on regions with a second label in a language and deadlines whose years
    disagree, IRIs and blank nodes, alone or among many; a query of any other form still runs
    once per focus node."""
    from pledgegraph.graph.validation import shacl as module
    from pledgegraph.loaders.rdf import RDF_TYPE

    constraints = module._split_shapes()[1]
    assert constraints and all(module._one_group(c.query) for c in constraints)
    for other in (
        "SELECT $this ?v WHERE { $this <p> ?v OPTIONAL { ?v <q> ?w } }",
        "SELECT $this WHERE { $this <p> ?x . FILTER NOT EXISTS { ?x <q> ?y } }",
        "SELECT $this (COUNT(*) AS ?n) WHERE { $this <p> ?v }",
        "SELECT $this ?v WHERE { $this <p> ?v } LIMIT 1",
        "SELECT $this ?v WHERE { ?x <p> ?v FILTER(?x = $this) }",
        "SELECT ?v WHERE { $this <p> ?v }",
    ):
        assert not module._one_group(other), other
    pledge = "https://w3id.org/pledgegraph/ontology#"
    label = "http://www.w3.org/2000/01/rdf-schema#label"
    time_ = "http://www.w3.org/2006/time#"
    xsd = "http://www.w3.org/2001/XMLSchema#"
    lines = []
    for n in range(12):
        node = f"<https://example.org/region/{n}>" if n % 3 else f"_:r{n}"
        lines.append(f"{node} <{RDF_TYPE}> <{pledge}Region> .")
        lines.append(f'{node} <{label}> "Region {n}"@en .')
        if n % 2:
            lines.append(f'{node} <{label}> "Other {n}"@en-GB .')
        if n % 4 == 1:
            lines.append(f'{node} <{label}> "Third {n}"@EN .')
        day = f"<https://example.org/deadline/{n}>" if n % 3 else f"_:d{n}"
        year = 2020 + n
        lines.append(f"{day} <{RDF_TYPE}> <{pledge}Deadline> .")
        lines.append(f'{day} <{time_}inXSDDate> "{year}-12-31"^^<{xsd}date> .')
        lines.append(f'{day} <{time_}inXSDgYear> "{year + n % 2}"^^<{xsd}gYear> .')
        lines.append(f'{day} <{pledge}year> "{year + (n % 5 == 2)}"^^<{xsd}integer> .')
    store = ox.Store()
    store.load("\n".join(lines).encode(), ox.RdfFormat.N_TRIPLES)
    store.extend(_ontology_quads())
    once = module._sparql_results(store, None, constraints)
    assert {r.rule for r in once} == {c.rule for c in constraints}
    monkeypatch.setattr(module, "_one_group", lambda query: False)
    each = module._sparql_results(store, None, constraints)
    assert sorted(once, key=repr) == sorted(each, key=repr)
    assert len(once) == len(each) > 12
