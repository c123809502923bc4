"""SHACL validation of pyoxigraph data against ``ontology/shapes.ttl`` with pySHACL.

pySHACL and rdflib are imported only when a validation runs (STYLE 9). Choices, measured:

- **inference='none'.** The data graph already holds the ontology (its class axioms and the
  kind/sector concepts), and SHACL's ``sh:class``/``sh:targetClass`` follow
  ``rdf:type/rdfs:subClassOf*`` in the data graph, so subclasses are honoured without inference.
  RDFS inference would add types from ``rdfs:domain``/``rdfs:range`` (an undeclared region
  would *become* a ``pledge:Region`` because a pledge points at it, hiding the real problem) and
  costs 2-3x the time. The ontology is not passed as ``ont_graph``: pySHACL copies only RDFS/OWL
  axioms from it, not the SKOS concepts (``kind:firms a pledge:TargetKind``), so every
  ``sh:class pledge:TargetKind``/``pledge:Sector`` check would fail.
- **Conversion**: pyoxigraph terms -> rdflib terms directly (twice as fast as N-Triples text
  through rdflib's parser), blank-node labels kept so both layers name a blank node alike.
- **SHACL-SPARQL constraints run on pyoxigraph.** pySHACL re-parses a ``sh:sparql`` query with
  rdflib's pyparsing parser for every focus node (~10 ms each: 1.3 s of CPU for the 127
  deadlines of a 10k-triple sheet). Constraints whose shape has only ``sh:targetClass`` targets
  and that use no ``$PATH``/``$currentShape``/``$shapesGraph`` are taken out of the shapes graph
  given to pySHACL and run here instead, with ``$this`` pre-bound per focus node (pyoxigraph
  ``substitutions``), which is SHACL's own semantics for them; a query of one group of
  patterns with ``$this`` its first subject (ours) runs once for all focus nodes, its solutions
  shared out by ``$this``: the same solutions (``_one_group``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from pledgegraph.graph.formats import short
from pledgegraph.graph.validation.rules import Severity

if TYPE_CHECKING:
    import rdflib

SH = "http://www.w3.org/ns/shacl#"
SHAPES_IRI = "https://w3id.org/pledgegraph/shapes"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_SEVERITIES = {
    SH + "Violation": Severity.ERROR,
    SH + "Warning": Severity.WARN,
    SH + "Info": Severity.INFO,
}
_TARGETS_OTHER_THAN_CLASS = ("targetNode", "targetSubjectsOf", "targetObjectsOf", "target")
_UNSUPPORTED_SPARQL = ("$PATH", "$currentShape", "$shapesGraph")
_MESSAGE_VARIABLE = re.compile(r"\{[?$](\w+)\}")


@dataclass(frozen=True, slots=True)
class ShaclResult:
    """One SHACL validation result, in plain text."""

    severity: Severity
    rule: str  # "shacl:<NodeShape>[.<property name>]:<component>", e.g. "shacl:PledgeShape.region:class"
    focus: str  # IRI, or "_:label" for a blank node
    path: str | None  # the result path's IRI ("^IRI" for an inverse path)
    component: str  # "MinCount", "Class", "Sparql" …
    message: str


@dataclass(frozen=True, slots=True)
class _SparqlConstraint:
    rule: str
    target_classes: tuple[str, ...]
    query: str  # PREFIX declarations + the SELECT
    messages: tuple[str, ...]
    severity: Severity


@dataclass(frozen=True, slots=True)
class _Shapes:
    graph: rdflib.Graph  # the shapes, without the SPARQL constraints run by pyoxigraph
    sparql: tuple[_SparqlConstraint, ...]
    owners: dict[Any, str]  # property shape node -> "<NodeShape>.<name>"
    owners_by_path: dict[tuple[str, str], str]  # (NodeShape IRI, path IRI) -> the same name


def _local(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1]


def _component(iri: str) -> str:
    name = _local(iri).removesuffix("ConstraintComponent")
    return name[:1].upper() + name[1:]


@cache
def _split_shapes() -> tuple[bytes, tuple[_SparqlConstraint, ...]]:
    """The bundled shapes as N-Triples without the SPARQL constraints that pyoxigraph runs, and
    those constraints; parsed with pyoxigraph (no rdflib), once per process."""
    from pledgegraph.ontology import read_text

    store = ox.Store()
    store.load(read_text("shapes.ttl").encode("utf-8"), ox.RdfFormat.TURTLE, base_iri=SHAPES_IRI)

    def values(subject: Any, name: str) -> list[Any]:
        return [q.object for q in store.quads_for_pattern(subject, ox.NamedNode(SH + name), None)]

    def value(subject: Any, name: str) -> Any:
        found = values(subject, name)
        return found[0] if found else None

    constraints: list[_SparqlConstraint] = []
    for quad in list(store.quads_for_pattern(None, ox.NamedNode(SH + "sparql"), None)):
        shape, constraint = quad.subject, quad.object
        if not isinstance(shape, ox.NamedNode):
            continue  # an anonymous shape's constraint: left to the engine (never in ours)
        select = value(constraint, "select")
        classes = tuple(c.value for c in values(shape, "targetClass"))
        deactivated = value(constraint, "deactivated")
        if (
            select is None
            or not classes
            or any(t in select.value for t in _UNSUPPORTED_SPARQL)
            or any(value(shape, t) is not None for t in _TARGETS_OTHER_THAN_CLASS)
            or value(shape, "path") is not None
            or (isinstance(deactivated, ox.Literal) and deactivated.value in ("true", "1"))
        ):
            continue  # left to the engine
        prefixes = [
            f"PREFIX {value(d, 'prefix').value}: <{value(d, 'namespace').value}>"
            for p in values(constraint, "prefixes")
            for d in values(p, "declare")
        ]
        severity = value(shape, "severity")
        constraints.append(
            _SparqlConstraint(
                rule=f"shacl:{_local(shape.value)}:sparql",
                target_classes=classes,
                query="\n".join([*prefixes, select.value]),
                messages=tuple(m.value for m in values(constraint, "message")),
                severity=_SEVERITIES.get(severity.value if severity else "", Severity.ERROR),
            )
        )
        store.remove(quad)
    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()) or b""
    return data, tuple(constraints)


@cache
def _shapes() -> _Shapes:
    """The shapes of :func:`_split_shapes` as an rdflib graph (for pySHACL), once per process."""
    import rdflib

    data, constraints = _split_shapes()
    graph = rdflib.Graph()
    graph.parse(data=data.decode("utf-8"), format="nt")
    sh = rdflib.Namespace(SH)

    owners: dict[Any, str] = {}
    owners_by_path: dict[tuple[str, str], str] = {}
    for node_shape, property_shape in graph.subject_objects(sh.property):
        if isinstance(node_shape, rdflib.URIRef):
            name = graph.value(property_shape, sh.name)
            path = graph.value(property_shape, sh.path)
            label = str(name) if name is not None else _local(str(path))
            owners[property_shape] = f"{_local(str(node_shape))}.{label}"
            path_text = _path_text(graph, path) or ""
            owners_by_path[(str(node_shape), path_text)] = owners[property_shape]
    return _Shapes(graph, constraints, owners, owners_by_path)


def to_rdflib(quads: Iterable[ox.Quad]) -> rdflib.Graph:
    """The triples of ``quads`` as an rdflib graph (graph names dropped, duplicates merged).

    Blank nodes keep their pyoxigraph labels; ``xsd:string`` literals become plain literals
    (rdflib tells them apart, RDF 1.1 does not); RDF-star triple terms are skipped.
    Ill-typed literals (``"notadate"^^xsd:date``) are converted without rdflib's log noise.
    """
    import rdflib

    from pledgegraph.graph.formats import quiet_rdflib

    quiet_rdflib()

    graph = rdflib.Graph()
    terms: dict[object, Any] = {}

    def convert(term: object) -> Any:
        found = terms.get(term)
        if found is not None:
            return found
        if isinstance(term, ox.NamedNode):
            found = rdflib.URIRef(term.value)
        elif isinstance(term, ox.BlankNode):
            found = rdflib.BNode(term.value)
        elif isinstance(term, ox.Literal):
            datatype = term.datatype.value
            found = rdflib.Literal(
                term.value,
                lang=term.language,
                datatype=None
                if term.language or datatype == _XSD_STRING
                else rdflib.URIRef(datatype),
            )
        else:
            return None
        terms[term] = found
        return found

    def triples() -> Iterable[tuple[Any, Any, Any, rdflib.Graph]]:
        for quad in quads:
            s, p, o = convert(quad.subject), convert(quad.predicate), convert(quad.object)
            if s is not None and o is not None:
                yield s, p, o, graph

    graph.addN(triples())
    return graph


def _focus_text(term: object) -> str:
    import rdflib

    if isinstance(term, rdflib.BNode):
        return f"_:{term}"
    return str(term)


def _path_text(results: rdflib.Graph, path: object) -> str | None:
    import rdflib

    if path is None:
        return None
    if isinstance(path, rdflib.BNode):
        inverse = results.value(path, rdflib.URIRef(SH + "inversePath"))
        return f"^{inverse}" if inverse is not None else None
    return str(path)


def _value_text(term: object) -> str:
    import rdflib

    if isinstance(term, rdflib.URIRef):
        return short(ox.NamedNode(str(term)))
    if isinstance(term, rdflib.BNode):
        return f"_:{term}"
    return repr(str(term))


def _pick_message(messages: Sequence[object]) -> str:
    """The English message if there is one, else any."""
    for message in messages:
        if getattr(message, "language", None) in ("en", None):
            return str(message)
    return str(messages[0]) if messages else ""


def _pyshacl_results(data: rdflib.Graph, shapes: _Shapes) -> list[ShaclResult]:
    import pyshacl
    import rdflib
    from pyshacl.errors import ReportableRuntimeError

    from pledgegraph.errors import InputError

    try:
        _conforms, results, _text = pyshacl.validate(
            data,
            shacl_graph=shapes.graph,
            inference="none",
            advanced=False,
            inplace=True,  # ``data`` is our own throw-away graph: no copy
            allow_warnings=True,
        )
    except ReportableRuntimeError as exc:  # e.g. a blank node where sh:lessThanOrEquals compares
        raise InputError(
            f"the SHACL shapes cannot be checked: {exc.message.rstrip('.')}",
            hint="fix the value it names (a number or date is expected there)",
        ) from None
    assert isinstance(results, rdflib.Graph)
    sh = rdflib.Namespace(SH)
    found: list[ShaclResult] = []
    for result in results.subjects(rdflib.RDF.type, sh.ValidationResult):
        focus = results.value(result, sh.focusNode)
        source_shape = results.value(result, sh.sourceShape)
        component = _component(str(results.value(result, sh.sourceConstraintComponent)))
        owner = shapes.owners.get(source_shape)
        if owner is None:
            owner = (
                _local(str(source_shape))
                if isinstance(source_shape, rdflib.URIRef)
                else "(anonymous shape)"
            )
        message = _pick_message(list(results.objects(result, sh.resultMessage)))
        value = results.value(result, sh.value)
        if value is not None and value != focus:
            message = f"{message} (value: {_value_text(value)})"
        severity = _SEVERITIES.get(str(results.value(result, sh.resultSeverity)), Severity.ERROR)
        found.append(
            ShaclResult(
                severity=severity,
                rule=f"shacl:{owner}:{component[:1].lower()}{component[1:]}",
                focus=_focus_text(focus),
                path=_path_text(results, results.value(result, sh.resultPath)),
                component=component,
                message=message or f"violates {owner} ({component})",
            )
        )
    return found


def _message(template: str, solution: ox.QuerySolution, names: Sequence[str]) -> str:
    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        term = solution[name] if name in names else None
        return short(term) if term is not None else match.group(0)

    return _MESSAGE_VARIABLE.sub(fill, template)


def _sparql_results(
    store: ox.Store,
    graphs: Sequence[ox.NamedNode] | None,
    constraints: Sequence[_SparqlConstraint],
) -> list[ShaclResult]:
    union = graphs is None
    default: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | None = (
        None if graphs is None else list(graphs)
    )
    found: list[ShaclResult] = []
    for constraint in constraints:
        values = " ".join(f"<{c}>" for c in constraint.target_classes)
        focus_query = (
            "SELECT DISTINCT ?this WHERE { VALUES ?class { "
            + values
            + " } ?this a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?class }"
        )
        focus_nodes = store.query(
            focus_query, use_default_graph_as_union=union, default_graph=default
        )
        assert isinstance(focus_nodes, ox.QuerySolutions)
        foci = [
            row["this"]
            for row in focus_nodes
            if isinstance(row["this"], ox.NamedNode | ox.BlankNode)
        ]
        if not foci:
            continue
        for this, solutions in _solutions_by_focus(store, constraint, foci, union, default):
            names = [v.value for v in solutions.variables]
            for solution in solutions:
                template = constraint.messages[0] if constraint.messages else ""
                message = _message(template, solution, names) or "violates a SPARQL constraint"
                value = solution["value"] if "value" in names else None
                if value is not None and value != this:
                    message = f"{message} (value: {short(value)})"
                path = solution["path"] if "path" in names else None
                found.append(
                    ShaclResult(
                        severity=constraint.severity,
                        rule=constraint.rule,
                        focus=f"_:{this.value}" if isinstance(this, ox.BlankNode) else this.value,
                        path=path.value if isinstance(path, ox.NamedNode) else None,
                        component="Sparql",
                        message=message,
                    )
                )
    return found


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def _one_group(query: str) -> bool:
    """Whether a constraint's SELECT projects ``$this`` and variables only, and its WHERE
    clause is one group of triple patterns and filters, the first with ``$this`` as its
    subject, with no solution modifier after it (one ``{ }``; no EXISTS, OPTIONAL, MINUS,
    UNION, subquery, BIND, VALUES, GRAPH or SERVICE; no aggregate, GROUP BY, ORDER BY, LIMIT
    or OFFSET): then its solutions with ``$this`` pre-bound to a focus node are exactly those
    of the query run once, unbound, whose ``$this`` is that node."""
    match = _WHERE.search(query)
    if match is None:
        return False
    select = query[: match.start()].rsplit("SELECT", 1)
    projection = _PROJECTION.fullmatch(select[-1].strip()) if len(select) == 2 else None
    if projection is None or not re.search(r"[?$]this\b", select[-1]):
        return False
    # (string literals left out: an IRI holds no brace, and a keyword in one only says no)
    where = re.sub(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'', " ", query[match.end() :])
    body, closing, rest = where.partition("}")
    return (
        bool(closing)
        and re.match(r"\s*[?$]this\b", body) is not None  # (the first pattern's subject)
        and "{" not in body
        and not rest.strip()
        and _NOT_ONE_GROUP.search(body.upper()) is None
    )


_PROJECTION = re.compile(r"(?:(?:DISTINCT|REDUCED)\s+)?(?:[?$]\w+\s*)+", re.IGNORECASE)
_NOT_ONE_GROUP = re.compile(r"\b(?:EXISTS|OPTIONAL|MINUS|UNION|SELECT|BIND|VALUES|GRAPH|SERVICE)\b")


def _solutions_by_focus(
    store: ox.Store,
    constraint: _SparqlConstraint,
    foci: Sequence[ox.NamedNode | ox.BlankNode],
    union: bool,
    default: Any,
) -> Iterator[tuple[ox.NamedNode | ox.BlankNode, ox.QuerySolutions | _Solutions]]:
    """Each focus node with the constraint's solutions for it (``$this`` pre-bound, SHACL's
    semantics). A constraint of one group of patterns (:func:`_one_group`) runs once for all
    of them (a query per focus node cost ~0.1 ms each, tens of a batch's regions and
    deadlines); any other one query per focus node."""
    if len(foci) > 1 and _one_group(constraint.query):
        every = store.query(
            constraint.query, use_default_graph_as_union=union, default_graph=default
        )
        assert isinstance(every, ox.QuerySolutions)
        by_focus: dict[Any, list[Any]] = {}
        for solution in every:
            by_focus.setdefault(solution["this"], []).append(solution)
        variables = every.variables
        for this in foci:
            yield this, _Solutions(variables, by_focus.get(this, []))
        return
    for this in foci:
        solutions = store.query(
            constraint.query,
            use_default_graph_as_union=union,
            default_graph=default,
            substitutions={ox.Variable("this"): this},
        )
        assert isinstance(solutions, ox.QuerySolutions)
        yield this, solutions


class _Solutions(list[Any]):
    """Solutions kept in a list, with their variables (as ``ox.QuerySolutions`` has)."""

    def __init__(self, variables: Sequence[ox.Variable], rows: list[Any]) -> None:
        super().__init__(rows)
        self.variables = variables


#: The engines :func:`shacl_results` can use; ``auto`` is ``shacl`` when it is installed.
ENGINES = ("auto", "shacl", "pyshacl")
ENGINE_VARIABLE = "PLEDGEGRAPH_SHACL_ENGINE"


def engine_name(engine: str | None = None) -> str:
    """The engine that will run: ``engine``, else ``$PLEDGEGRAPH_SHACL_ENGINE``, else ``auto``.

    ``auto`` picks the ``shacl`` package (Rust) when it can be imported, pySHACL otherwise.
    Raises :class:`InputError` for an unknown name or a ``shacl`` that is not installed.
    """
    import os
    from importlib.util import find_spec

    from pledgegraph.errors import InputError

    chosen = engine or os.environ.get(ENGINE_VARIABLE) or "auto"
    if chosen not in ENGINES:
        raise InputError(
            f"unknown SHACL engine {chosen!r}",
            hint=f"use one of {', '.join(ENGINES)} (option --shacl-engine or ${ENGINE_VARIABLE})",
            where=ENGINE_VARIABLE if engine is None else "--shacl-engine",
        )
    installed = find_spec("shacl") is not None
    if chosen == "shacl" and not installed:
        raise InputError(
            "the SHACL engine 'shacl' is not installed",
            hint="pip install 'pledgegraph[fast-shacl]', or use --shacl-engine pyshacl",
            where=ENGINE_VARIABLE if engine is None else "--shacl-engine",
        )
    if chosen == "auto":
        return "shacl" if installed else "pyshacl"
    return chosen


@cache
def _compiled_shapes() -> Any:
    """The shapes of :func:`_shapes` compiled by the ``shacl`` package, once per process."""
    import shacl

    return shacl.Shapes.from_text(_split_shapes()[0].decode("utf-8"), format="nt", base=SHAPES_IRI)


def _rust_term(text: str | None) -> str | None:
    """An N-Triples IRI or blank node as :class:`ShaclResult` writes it (``None`` otherwise)."""
    if text is None:
        return None
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    return text if text.startswith("_:") else None


def _rust_path(text: str | None) -> str | None:
    if text is None:
        return None
    if text.startswith("^"):
        inner = _rust_term(text[1:])
        return f"^{inner}" if inner is not None else None
    return _rust_term(text)


def _rust_value(value: str, plain: str | None) -> str:
    if value.startswith("<"):
        return short(ox.NamedNode(value[1:-1]))
    if value.startswith("_:"):
        return value
    return repr(plain if plain is not None else value)


def _rust_report(data: bytes, format: str) -> Any:
    return _compiled_shapes().validate_text(
        data.decode("utf-8"), format=format, inference="none", allow_warnings=True
    )


def rust_results(
    data: bytes, shapes: _Shapes | None = None, *, format: str = "nt"
) -> list[ShaclResult]:
    """The results of the ``shacl`` package on N-Triples ``data``, named as pySHACL's are.

    Used as a screen (see :func:`shacl_results`) and by the differential test; blank nodes get
    the package's own labels.
    """
    shapes = shapes or _shapes()
    found: list[ShaclResult] = []
    for result in _rust_report(data, format).results:
        component = _component(result.component_iri)
        path = _rust_path(result.path)
        root = _rust_term(result.root_shape)
        if result.source_shape == result.root_shape and root is not None:
            owner = _local(root)
        else:
            owner = shapes.owners_by_path.get((root or "", path or ""), "(anonymous shape)")
        # The package gives messages without their language tags; our shapes have English
        # messages only (one per shape), so the first is the one pySHACL picks too.
        message = result.messages[0] if result.messages else ""
        focus = _rust_term(result.focus_node) or result.focus_node
        if result.value is not None and result.value != result.focus_node:
            message = f"{message} (value: {_rust_value(result.value, result.value_plain)})"
        found.append(
            ShaclResult(
                severity=_SEVERITIES.get(result.severity_iri, Severity.ERROR),
                rule=f"shacl:{owner}:{component[:1].lower()}{component[1:]}",
                focus=focus,
                path=path,
                component=component,
                message=message or f"violates {owner} ({component})",
            )
        )
    return found


def shacl_results(
    store: ox.Store, graphs: Sequence[ox.NamedNode] | None, *, engine: str | None = None
) -> list[ShaclResult]:
    """Validate the union of ``graphs`` of ``store`` (``None``: of all its graphs).

    ``engine`` (see :func:`engine_name`): with ``shacl``, the Rust package screens the data
    and pySHACL runs only when it finds something, so every report is pySHACL's own words and
    a clean load never pays for pySHACL. The two agree on whether data conforms on every case
    of tests/test_shacl_differential.py; they differ in some reports (blank-node labels, values
    that cannot be compared), which is why the report stays pySHACL's.
    """

    def quads() -> Iterable[ox.Quad]:
        if graphs is None:
            return store.quads_for_pattern(None, None, None, None)
        return (q for g in graphs for q in store.quads_for_pattern(None, None, None, g))

    found: list[ShaclResult] = []
    if engine_name(engine) != "shacl" or screen(store, graphs):
        found = _pyshacl_results(to_rdflib(quads()), _shapes())
    return found + _sparql_results(store, graphs, _split_shapes()[1])


def screen(store: ox.Store, graphs: Sequence[ox.NamedNode] | None) -> bool:
    """Whether the ``shacl`` package finds anything (of any severity) in the union of
    ``graphs`` of ``store`` (``None``: of all its graphs)."""
    if graphs is None:  # N-Quads written by pyoxigraph itself; the package merges the graphs
        return bool(_rust_report(store.dump(format=ox.RdfFormat.N_QUADS) or b"", "nq").results)
    data = b"".join(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=g) or b"" for g in graphs)
    return bool(_rust_report(data, "nt").results)


def sparql_results(store: ox.Store, graphs: Sequence[ox.NamedNode] | None) -> list[ShaclResult]:
    """The results of the shapes' SHACL-SPARQL constraints alone (run on pyoxigraph, see the
    module's docstring), over the union of ``graphs`` of ``store`` (``None``: all)."""
    return _sparql_results(store, graphs, _split_shapes()[1])


def screen_foci(text: str, format: str) -> set[str]:
    """The focus nodes of everything (of any severity) the ``shacl`` package finds in
    ``text`` (N-Triples ``nt`` or N-Quads ``nq``, its graphs merged): IRIs, or ``_:label``
    in the package's own blank-node labels."""
    report = _compiled_shapes().validate_text(
        text, format=format, inference="none", allow_warnings=True
    )
    return {_rust_term(r.focus_node) or r.focus_node for r in report.results}
