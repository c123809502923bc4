"""Validation: SHACL shapes (``ontology/shapes.ttl``, via pySHACL) plus named SPARQL rules.

Three entry points, one result type:

- :func:`validate_factsheet` — a parsed fact sheet, as the RDF it becomes (its source graph and
  its reference data) together with the ontology; problems carry the sheet's ``file:line``;
- :func:`validate_rdf_file` — an RDF file, with the ontology and the reference data of
  ``context`` (the store it would be loaded into) or the bundled ontology alone;
- :func:`validate_store` — every graph of a store (not the rebuildable inferred graph);

and :func:`validate_factsheets`, many sheets at once (``pledgegraph load``): batches of sheets in
one scratch store, each sheet's report the one :func:`validate_factsheet` gives it.

Each returns a :class:`Report`: the problems (severity, rule, focus node, message, and where:
``path``/``line`` for files, ``graph`` for the store). Only ``ERROR`` problems make a report not
``ok``. The rules are listed in :data:`pledgegraph.graph.validation.rules.RULES` and
:data:`CHECKS`; SHACL problems are named ``shacl:<Shape>.<property>:<constraint>``.

``shacl=False`` is the fast path: the SPARQL rules only, no pySHACL (nor rdflib) import.
``engine`` picks the SHACL engine (:func:`pledgegraph.graph.validation.shacl.engine_name`):
the ``shacl`` package screens, pySHACL reports; the problems are the same either way.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import re
import urllib.parse
from collections.abc import Callable, Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from pledgegraph.errors import InputError, RdfSyntaxError
from pledgegraph.graph.formats import (
    RDF_FORMATS,
    rdf_format_for,
    read_rdf,
    sheet_hint,
    short,
    token_too_large,
)
from pledgegraph.graph.store import (
    CONTAINS,
    FILE_GRAPH,
    GUARDED,
    MINTED_NODE,
    STAGING_GRAPH,
    Store,
    code_owner,
    description_conflicts,
    file_graph,
    line_naming,
    refuse_own_index,
    syntax_hint,
)
from pledgegraph.graph.validation.rules import RULES, Severity, run_rules
from pledgegraph.loaders.facts import FactSheet
from pledgegraph.loaders.rdf import (
    DEADLINE_IRI,
    RDF_TYPE,
    REGION_IRI,
    ROW_DUE_KEYS,
    named_reference_nquads,
)
from pledgegraph.ontology import (
    ID,
    INFERRED_GRAPH,
    LINKS_GRAPH,
    ONTOLOGY_GRAPH,
    ONTOLOGY_IRI,
    PLEDGE,
    REFERENCE_GRAPH,
    SOURCE_GRAPH,
)

if TYPE_CHECKING:
    from pledgegraph.graph.validation.shacl import ShaclResult

__all__ = [
    "CHECKS",
    "RULES",
    "Problem",
    "Report",
    "Severity",
    "validate_factsheet",
    "validate_factsheets",
    "validate_rdf_file",
    "validate_store",
]

#: Checks made in Python (they need the article text, which the graph does not hold).
CHECKS: tuple[tuple[str, Severity, str], ...] = (
    (
        "text-hash-mismatch",
        Severity.ERROR,
        "The text given with a fact sheet must be the one its source.text_sha256 names.",
    ),
    (
        "span-outside-text",
        Severity.ERROR,
        "A target's span must lie inside the text it points into.",
    ),
)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong (or worth a look) in the data."""

    severity: Severity
    rule: str
    focus: str  # the node the problem is about: an IRI, or "_:label" for a blank node
    message: str
    path: str | None = None  # the file it came from, if any
    line: int | None = None  # the line in that file, when known
    graph: str | None = None  # the named graph describing the focus (store validation)

    @property
    def where(self) -> str:
        """``path:line``, ``path``, the graph, or ``""``."""
        if self.path is not None:
            return f"{self.path}:{self.line}" if self.line is not None else self.path
        return self.graph or ""

    def sort_key(self) -> tuple[int, str, int, str, str, str]:
        return (
            self.severity.rank,
            self.path or self.graph or "",
            self.line if self.line is not None else 1 << 30,
            self.rule,
            self.focus,
            self.message,
        )


@dataclass(slots=True)
class Report:
    """What a validation found. ``ok`` unless there is at least one ``ERROR``."""

    problems: list[Problem] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)  # what was validated: paths, "store"
    shacl: bool = True  # whether the SHACL shapes were checked (else the rules only)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARN]

    @property
    def infos(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.INFO]

    @property
    def ok(self) -> bool:
        return not self.errors

    def extend(self, other: Report) -> None:
        """Add another report's problems (e.g. of the next file) to this one."""
        self.problems = sorted([*self.problems, *other.problems], key=Problem.sort_key)
        self.checked.extend(other.checked)
        self.shacl = self.shacl and other.shacl


# --- where a focus node comes from ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Where:
    path: str | None = None
    line: int | None = None
    graph: str | None = None


_Locate = Callable[[str], _Where]


def _sheet_locator(sheet: FactSheet) -> _Locate:
    """Focus IRI -> the sheet's line: the IRIs are deterministic (see loaders/rdf.py).

    ``pgid:pledge/<key>/<n>[/target/<m>[/…]]`` is the n-th pledge (m-th target) of the sheet;
    an authority, region or deadline maps to the first pledge or target that names it; the
    source and its publishers map to the ``source:`` line when the sheet's file can be read.
    """
    from pledgegraph.loaders.factsheet import source_key
    from pledgegraph.loaders.rdf import (
        authority_iri,
        deadline_iri,
        organization_iri,
        region_iri,
        source_iri,
    )

    key = source_key(sheet.source)
    source_nodes = {source_iri(key)} | {
        organization_iri(name)
        for name in (sheet.source.publisher, sheet.source.reported_via)
        if name
    }
    pattern = re.compile(re.escape(f"{ID}pledge/{key}/") + r"(\d+)(?:/target/(\d+))?(?:/|$)")
    named: dict[str, int] = {}
    for pledge in sheet.pledges:
        if pledge.line is None:
            continue
        named.setdefault(region_iri(pledge.region), pledge.line)
        if pledge.authority:
            named.setdefault(authority_iri(pledge.region, pledge.authority), pledge.line)
        if pledge.deadline:
            named.setdefault(deadline_iri(pledge.deadline), pledge.line)
        for target in pledge.targets:
            if target.deadline and target.line is not None:
                named.setdefault(deadline_iri(target.deadline), target.line)

    def locate(focus: str) -> _Where:
        if focus in source_nodes:
            return _Where(path=sheet.path, line=_source_line(sheet.path))
        match = pattern.match(focus)
        line: int | None = named.get(focus)
        if match:
            n, m = int(match.group(1)), match.group(2)
            if 1 <= n <= len(sheet.pledges):
                pledge = sheet.pledges[n - 1]
                line = pledge.line
                if m is not None and 1 <= int(m) <= len(pledge.targets):
                    line = pledge.targets[int(m) - 1].line or line
        return _Where(path=sheet.path, line=line)

    return locate


def _source_line(path: str | None) -> int | None:
    """The line of ``source:`` in a fact sheet file (``None`` if it cannot be read)."""
    if path is None or path == "-":
        return None
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return next((n for n, line in enumerate(lines, 1) if re.match(r"source\s*:", line)), None)


_SUBJECT = re.compile(r"\s*(<[^>]*>|[A-Za-z][\w.-]*:[^\s;,]*|:[^\s;,]*)")


def _file_locator(path: str, text: str, prefixes: dict[str, str]) -> _Locate:
    """Focus IRI -> the first line of an N-Triples/N-Quads/Turtle/TriG file that starts with it.

    A heuristic for line-based and Turtle-family files: the line where the node's description
    starts (written as ``<iri>`` or ``prefix:local``), preferring a line where it stands in the
    first column (a subject) over an indented one (an object list, or a TriG graph block);
    ``None`` when it is not found.
    """
    first: dict[str, int] = {}
    indented: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = _SUBJECT.match(line)
        if match:
            (indented if line[:1].isspace() else first).setdefault(match.group(1), number)
    for token, number in indented.items():
        first.setdefault(token, number)

    def spellings(iri: str) -> Iterable[str]:
        yield f"<{iri}>"
        for prefix, namespace in prefixes.items():
            if namespace and iri.startswith(namespace):
                local = iri[len(namespace) :]
                yield f"{prefix}:{local}"
                yield f"{prefix}:{local.replace('/', chr(92) + '/')}"

    def locate(focus: str) -> _Where:
        line = min((first[s] for s in spellings(focus) if s in first), default=None)
        return _Where(path=path, line=line)

    return locate


def _store_locator(store: ox.Store, graphs: Sequence[ox.NamedNode] | None) -> _Locate:
    """Focus -> the named graph that describes it (a source graph first)."""
    allowed = None if graphs is None else {g.value for g in graphs}

    def locate(focus: str) -> _Where:
        term: ox.NamedNode | ox.BlankNode = (
            ox.BlankNode(focus[2:]) if focus.startswith("_:") else ox.NamedNode(focus)
        )
        names = {
            q.graph_name.value
            for q in store.quads_for_pattern(term, None, None, None)
            if isinstance(q.graph_name, ox.NamedNode)
            and (allowed is None or q.graph_name.value in allowed)
        }
        if not names:
            return _Where()
        sources = sorted(n for n in names if n.startswith((SOURCE_GRAPH, FILE_GRAPH)))
        return _Where(graph=(sources or sorted(names))[0])

    return locate


# --- the two layers -------------------------------------------------------------------------


def _focus_text(term: ox.NamedNode | ox.BlankNode) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value


_Finding = tuple[Severity, str, str, str]  # severity, rule, focus, message


def _findings(
    store: ox.Store,
    graphs: Sequence[ox.NamedNode] | None,
    shacl: Callable[[], Iterable[ShaclResult]] | None,
) -> list[_Finding]:
    """Rules, then (optionally) the SHACL ``results``, over the union of ``graphs``.

    A SHACL result that a rule already reports (the rule's ``covers``) is left out: the rule
    says it in plainer words.
    """
    found: list[_Finding] = []
    covered: set[tuple[str, str, str]] = set()
    for hit in run_rules(store, default_graph=graphs):
        focus = _focus_text(hit.focus)
        found.append((hit.rule.severity, hit.rule.name, focus, hit.message))
        covered.update((focus, path, component) for path, component in hit.rule.covers)
    if shacl is not None:
        for result in shacl():
            if (result.focus, result.path or "", result.component) in covered:
                continue  # a rule already says this, in plainer words
            message = result.message
            if result.component == "Class" and (hint := _unknown_shared(message)):
                # (the shape's sentence, "must have exactly one pledge:region", misleads here:
                # there is one, named by an IRI no region has)
                match = _SHARED_VALUE.search(message)
                assert match is not None
                kind, rest = match.groups()
                message = f"pgid:{kind}/{rest} is not a pledge:{kind.capitalize()}{hint}"
            elif result.component == "Class" and (said := _unknown_concept(message)):
                message = said
            elif hint := _known_shared(result.focus):
                message = message.rstrip(".") + hint
            found.append((result.severity, result.rule, result.focus, message))
    return found


#: The rule of a change to what pledgegraph says of a region or deadline it describes.
KNOWN_NODE_RULE = "known-node-description"
#: In a shape's message about such a change (``_known_shared``).
KNOWN_NODE_MARK = ": a file may name it without describing it"

_CONCEPT_VALUE = re.compile(
    r"\(value: (?:(kind|sector):|<?https://w3id\.org/pledgegraph/(kind|sector)/)([^\s()<>]*)>?\)$"
)


def _unknown_concept(message: str) -> str:
    """A Class violation of a kind or sector IRI that names no concept of ours, said so with
    the one most likely meant (a new user's trial: ``kind:park`` read "must have exactly one
    pledge:kind", as if the target had none), or ""."""
    match = _CONCEPT_VALUE.search(message)
    if match is None:
        return ""
    scheme = match.group(1) or match.group(2)
    name = match.group(3)
    from pledgegraph.loaders.factsheet import SECTORS
    from pledgegraph.ontology import TARGET_KINDS

    names = TARGET_KINDS if scheme == "kind" else SECTORS
    if name in names:
        return ""  # one of ours: the class is missing for another reason
    import difflib

    key = re.sub(r"[\s-]+", "_", name.lower())
    meant = key if key in names else next(iter(difflib.get_close_matches(key, names, n=1)), None)
    what = "pledge:TargetKind" if scheme == "kind" else "sector of the sector scheme"
    guess = f"did you mean {scheme}:{meant}? " if meant else ""
    return f"{scheme}:{name} is no {what}; {guess}use one of " + ", ".join(
        f"{scheme}:{n}" for n in names
    )


_SHARED_VALUE = re.compile(
    r"\(value: (?:pgid:|<?https://w3id\.org/pledgegraph/id/)(region|deadline)(?:/|\\/)([^\s()<>]*)>?\)$"
)


def _unknown_shared(message: str) -> str:
    """Why a value named by a region or deadline IRI of ours is not of its class: the IRI is
    none that pledgegraph describes (a file's known regions and canonical deadlines are
    described when it is loaded: loaders/rdf.py ``named_reference_nquads``)."""
    match = _SHARED_VALUE.search(message)
    if match is None:
        return ""
    kind, rest = match.groups()
    iri = (REGION_IRI if kind == "region" else DEADLINE_IRI) + rest.replace("\\/", "/")
    if named_reference_nquads([iri]):
        return ""  # one we describe: the class is missing for another reason
    if kind == "region":
        from pledgegraph.loaders.regions import gazetteer

        meant = gazetteer().resolve(urllib.parse.unquote(rest))  # (cn-sn, HK, Shaanxi …)
        if meant is not None:
            return (
                f"; no region the gazetteer knows has this IRI: did you mean "
                f"pgid:region/{meant.key} ({meant.name_en})? A region's IRI ends in its key"
            )
        return (
            "; no region the gazetteer knows has this IRI: use a region's key"
            " (pgid:region/CN-HE, pgid:region/CN-ZJ/ningbo) or describe the region in the file"
        )
    from pledgegraph.loaders.facts import PartialDate

    shape = "a deadline's IRI ends in its date: pgid:deadline/2025, 2025-06 or 2025-06-30"
    parts = re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", rest)
    if parts is None:
        return f"; {shape}"
    padded = "-".join(f"{int(p):02d}" if n else p for n, p in enumerate(parts.groups()) if p)
    try:
        date = PartialDate.parse(padded)
    except ValueError:
        return f"; {rest} is no date in the calendar ({shape})"
    return f"; did you mean pgid:deadline/{date}? ({shape})"


_SHARED_FOCUS = re.compile(r"^(?:pgid:|https://w3id\.org/pledgegraph/id/)(region|deadline)/(\S+)$")


def _known_shared(focus: str) -> str:
    """Why a region or deadline pledgegraph describes itself breaks a shape: a file gave it a
    description of its own that differs (a second label, another ``pledge:partOf``…). Loading
    describes every known one a file names, described there or not (``refuse_own_index``)."""
    match = _SHARED_FOCUS.match(focus or "")
    if match is None:
        return ""
    kind, rest = match.groups()
    iri = (REGION_IRI if kind == "region" else DEADLINE_IRI) + rest
    if not named_reference_nquads([iri]):
        return ""  # not one of ours: the file's own node
    if kind == "region":
        from pledgegraph.loaders.regions import gazetteer

        name = f' (named "{gazetteer().get(rest).name_en}"@en)'
    else:
        name = ""
    return (
        f"; pledgegraph describes pgid:{kind}/{rest} itself{name}{KNOWN_NODE_MARK}, or "
        "describe it as pledgegraph does, but not otherwise"
    )


def _placed(found: Iterable[_Finding], locate: _Locate) -> list[Problem]:
    """One problem per finding, placed by ``locate`` (duplicates merged), in report order."""
    problems = set()
    places: dict[str, _Where] = {}
    for severity, rule, focus, message in found:
        if focus not in places:
            places[focus] = locate(focus)
        where = places[focus]
        problems.add(Problem(severity, rule, focus, message, where.path, where.line, where.graph))
    return sorted(problems, key=Problem.sort_key)


def _validate(
    store: ox.Store,
    graphs: Sequence[ox.NamedNode] | None,
    locate: _Locate,
    *,
    shacl: bool,
    engine: str | None = None,
) -> list[Problem]:
    """Rules, then (optionally) SHACL, over the union of ``graphs``; one problem per finding.

    ``graphs=None`` means every graph of ``store``: pyoxigraph's union default graph, which is
    much faster than a list of graphs (rules on 100k quads in 96 graphs: 0.14 s against 3.7 s).
    """

    def results() -> list[ShaclResult]:
        from pledgegraph.graph.validation.shacl import shacl_results

        try:
            return shacl_results(store, graphs, engine=engine)
        except InputError as exc:  # pySHACL could not run: name the input
            if exc.path is None and exc.where is None:
                exc.path = locate("").path
            raise

    return _placed(_findings(store, graphs, results if shacl else None), locate)


@cache
def _ontology_quads() -> tuple[ox.Quad, ...]:
    from pledgegraph.ontology import read_text

    graph = ox.NamedNode(ONTOLOGY_GRAPH)
    return tuple(
        ox.Quad(q.subject, q.predicate, q.object, graph)
        for q in ox.parse(
            read_text("pledge.ttl").encode("utf-8"), ox.RdfFormat.TURTLE, base_iri=ONTOLOGY_IRI
        )
    )


# --- entry points ---------------------------------------------------------------------------


def validate_factsheet(
    sheet: FactSheet, *, text: str | None = None, shacl: bool = True, engine: str | None = None
) -> Report:
    """Validate the RDF a fact sheet becomes, with its reference data and the ontology.

    ``text`` is the article text its spans point into, if known: it is hashed against
    ``source.text_sha256`` and the spans are checked against its length (and quoted, so the rule
    ``quote-does-not-match-span`` applies). Nothing is written anywhere.
    """
    from pledgegraph.loaders.rdf import reference_nquads, source_nquads

    store = ox.Store()
    store.extend(_ontology_quads())
    data = "".join([*source_nquads(sheet, text=text), *reference_nquads(sheet)])
    store.load(data.encode("utf-8"), ox.RdfFormat.N_QUADS)
    locate = _sheet_locator(sheet)
    problems = [*_validate(store, None, locate, shacl=shacl, engine=engine), *_elsewhere(sheet)]
    if text is not None:
        problems = [*problems, *_text_problems(sheet, text, locate)]
    return Report(sorted(problems, key=Problem.sort_key), [sheet.path or "(fact sheet)"], shacl)


AUTHORITY_ELSEWHERE = "authority-of-a-city-elsewhere"


def _elsewhere(sheet: FactSheet) -> list[Problem]:
    """A warning for each pledge whose authority is a city of the region table (by the rule
    of ``Gazetteer.named_inside``) that lies outside the pledge's region: a slip in the region
    more often than a city pledging elsewhere (a new user's trial: Ningbo's government under
    CN-GD listed Ningbo's targets as Guangdong's, silently)."""
    from pledgegraph.loaders.factsheet import source_key
    from pledgegraph.loaders.regions import gazetteer

    places = gazetteer()
    key = source_key(sheet.source)
    found = []
    for n, pledge in enumerate(sheet.pledges, start=1):
        if pledge.authority is None:
            continue
        region = places.get(pledge.region)
        top = ([region, *places.ancestors(region.key)])[-1]
        city = places.named_inside(top.key, pledge.authority)
        if city is None or city.key == pledge.region:
            continue
        if any(r.key == pledge.region for r in places.ancestors(city.key)):
            continue
        found.append(
            Problem(
                Severity.WARN,
                AUTHORITY_ELSEWHERE,
                f"{ID}pledge/{key}/{n}",
                f"the authority {pledge.authority!r} is {city.name_en}'s ({city.key}), which "
                f"lies outside {region.name_en} ({pledge.region}): the pledge is filed under "
                f"{region.name_en}; if it is {city.name_en}'s own, write region: {city.key}",
                path=sheet.path,
                line=pledge.line,
            )
        )
    return found


#: Sheets validated together (:func:`validate_factsheets`) hold at most about this many quads:
#: the scratch store and the SHACL screen's copy stay small whatever the number of sheets.
BATCH_QUADS = 200_000


@dataclass(slots=True)
class _Part:
    """One sheet of a batch: its quads and the nodes they describe (subjects)."""

    index: int
    source: str  # its source graph, as N-Quads
    reference: list[str]  # its reference quads, one line each
    nodes: set[str]  # the subjects of both
    shared: dict[str, frozenset[str]]  # each reference subject -> the lines describing it


def _subject(line: str) -> str:
    return line[1 : line.index(">", 1)]  # our writer's lines start with "<subject-iri> "


#: A reference line of the row index (a kind's due keys: each sheet adds the keys of its own
#: targets): no rule or shape reads it, so sheets that list other keys on one kind still share
#: the kind alike.
_DUE_KEYS_LINE = f"> <{ROW_DUE_KEYS}> "


#: How the predicate of a line of the row index in a source graph (``pledge:row…``, written
#: for the questions: no rule or shape reads it) begins. The validation of a batch leaves
#: those lines out: a third of the lines and most of the bytes, which the scratch store and
#: the screen would read for nothing.
_ROW_PREDICATE = f"<{PLEDGE}row"


def _part(index: int, source: str, reference: list[str]) -> _Part:
    # The source's lines without the row index: the predicate is the term after the
    # subject's space (an IRI or a blank node holds none), so a literal that holds the same
    # text is not cut. (Lines and subjects in Python: a third of two regular expressions'
    # time on the same text.)
    lines = [
        line
        for line in source.split("\n")
        if not line.startswith(_ROW_PREDICATE, line.find(" ") + 1)
    ]
    source = "\n".join(lines)
    shared: dict[str, set[str]] = {}
    for line in reference:
        if _DUE_KEYS_LINE not in line:
            shared.setdefault(_subject(line), set()).add(line)
    nodes = {line[1 : line.index(">", 1)] for line in lines if line.startswith("<")}
    nodes.update(shared)
    return _Part(index, source, reference, nodes, {k: frozenset(v) for k, v in shared.items()})


def _batches(parts: Sequence[_Part], size: int) -> tuple[list[list[_Part]], list[_Part]]:
    """Sheets that can be validated together, in batches of about ``size`` quads, and the
    sheets that must be validated alone.

    Validating a batch gives each sheet the problems it has alone when the sheets share no
    node except reference nodes described alike (a region, a deadline, an organisation:
    the same lines in every sheet that has them). Then no sheet adds a triple about another
    sheet's node, and every node a sheet's triples point at (other than the ontology's) is
    described by its own triples (the fact-sheet writer makes it so; tested), so no
    constraint or rule can see a triple of another sheet. A sheet that shares a node any
    other way (two sheets with one source key; two organisation names written as one IRI
    with other labels) is validated alone: nothing one sheet says can hide, or make, a
    problem of another.
    """
    batches: list[list[_Part]] = []
    alone: list[_Part] = []
    batch: list[_Part] = []
    own: set[str] = set()  # the batch's source-graph subjects
    shared: dict[str, frozenset[str]] = {}
    quads = 0
    for part in parts:
        clash = any(
            node in own or (node in shared and node not in part.shared) for node in part.nodes
        ) or any(shared.get(node, lines) != lines for node, lines in part.shared.items())
        if clash:
            alone.append(part)
            continue
        batch.append(part)
        own.update(part.nodes - part.shared.keys())
        shared.update(part.shared)
        quads += part.source.count("\n") + len(part.reference)
        if quads >= size:
            batches.append(batch)
            batch, own, shared, quads = [], set(), {}, 0
    if batch:
        batches.append(batch)
    return batches, alone


@cache
def _ontology_nquads() -> str:
    return (ox.serialize(_ontology_quads(), format=ox.RdfFormat.N_QUADS) or b"").decode("utf-8")


def validate_factsheets(
    sheets: Sequence[FactSheet],
    *,
    shacl: bool = True,
    engine: str | None = None,
    nquads: Sequence[str] | None = None,
    references: Sequence[list[str]] | None = None,
) -> list[Report]:
    """:func:`validate_factsheet` of each sheet (without article text): the same reports,
    made by validating batches of sheets together.

    Each batch (about :data:`BATCH_QUADS` quads; see :func:`_batches` for which sheets may
    share one) is loaded once into one scratch store with the ontology: the rules and the
    SHACL-SPARQL constraints run once over it, the ``shacl`` screen reads it once, and each
    finding goes to every sheet whose own triples describe its focus node, placed by that
    sheet's lines. A sheet the screen finds anything about is validated alone, so that its
    report is pySHACL's as before. With pySHACL as the only engine each sheet is validated
    alone. ``nquads`` is each sheet's source graph as :func:`source_nquads` writes it, if the
    caller has it already (a load writes the same text); ``references``, each sheet's
    :func:`reference_nquads`, likewise.
    """
    from pledgegraph.graph.validation.shacl import engine_name, screen_foci, sparql_results
    from pledgegraph.loaders.rdf import reference_nquads, source_nquads

    if shacl:
        engine = engine_name(engine)
    if (shacl and engine != "shacl") or len(sheets) < 2:
        return [validate_factsheet(s, shacl=shacl, engine=engine) for s in sheets]
    texts = nquads if nquads is not None else ["".join(source_nquads(s)) for s in sheets]
    given = references if references is not None else [reference_nquads(s) for s in sheets]
    parts = [_part(i, texts[i], given[i]) for i in range(len(sheets))]
    batches, apart = _batches(parts, BATCH_QUADS)
    alone = {part.index for part in apart}
    reports: dict[int, Report] = {}
    for batch in batches:
        reference = sorted({line for part in batch for line in part.reference})
        text = "".join([_ontology_nquads(), *(part.source for part in batch), *reference])
        owners: dict[str, list[int]] = {}
        for part in batch:
            for node in part.nodes:
                owners.setdefault(node, []).append(part.index)
        screened: set[int] = set()
        if shacl:  # the sheets the screen finds anything about get pySHACL's report, alone
            foci = screen_foci(text, "nq")
            if any(focus not in owners for focus in foci):  # the ontology's? be safe
                alone.update(part.index for part in batch)
                continue
            screened = {index for focus in foci for index in owners[focus]}
        store = ox.Store()
        store.bulk_load(text.encode("utf-8"), ox.RdfFormat.N_QUADS)
        found = _findings(
            store, None, functools.partial(sparql_results, store, None) if shacl else None
        )
        if any(focus not in owners for _, _, focus, _ in found):  # no sheet's: be safe
            alone.update(part.index for part in batch)
            continue
        alone.update(screened)
        per_sheet: dict[int, list[_Finding]] = {part.index: [] for part in batch}
        for finding in found:
            for index in owners[finding[2]]:
                per_sheet[index].append(finding)
        for index, findings in per_sheet.items():
            sheet = sheets[index]
            problems = [*_placed(findings, _sheet_locator(sheet)), *_elsewhere(sheet)]
            reports[index] = Report(
                sorted(problems, key=Problem.sort_key), [sheet.path or "(fact sheet)"], shacl
            )
    for index in sorted(alone):
        reports[index] = validate_factsheet(sheets[index], shacl=shacl, engine=engine)
    return [reports[i] for i in range(len(sheets))]


def _text_problems(sheet: FactSheet, text: str, locate: _Locate) -> list[Problem]:
    from pledgegraph.loaders.factsheet import source_key
    from pledgegraph.loaders.rdf import source_iri

    key = source_key(sheet.source)
    problems: list[Problem] = []
    expected = sheet.source.text_sha256
    if expected is not None:
        actual = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if actual != expected:
            focus = source_iri(key)
            problems.append(
                Problem(
                    Severity.ERROR,
                    "text-hash-mismatch",
                    focus,
                    f"the text given has SHA-256 {actual[:12]}…, not the source's text_sha256 "
                    f"{expected[:12]}…: the spans point into another text",
                    sheet.path,
                )
            )
    for n, pledge in enumerate(sheet.pledges, start=1):
        for m, target in enumerate(pledge.targets, start=1):
            if target.span is not None and target.span[1] > len(text):
                focus = f"{ID}pledge/{key}/{n}/target/{m}"
                where = locate(focus)
                problems.append(
                    Problem(
                        Severity.ERROR,
                        "span-outside-text",
                        focus,
                        f"the span [{target.span[0]}, {target.span[1]}] ends after the end of "
                        f"the text ({len(text)} characters)",
                        where.path,
                        where.line,
                    )
                )
    return problems


def validate_rdf_file(
    path: str,
    *,
    format: str | None = None,
    data: bytes | None = None,
    context: Store | None = None,
    graph: str | None = None,
    shacl: bool = True,
    engine: str | None = None,
    reference: Sequence[ox.Quad] = (),
    sheets: Sequence[ox.Quad] = (),
    require_data: bool = False,
) -> Report:
    """Validate an RDF file (or ``data``, named ``path`` in messages) before it is loaded.

    With ``context`` (the store it would join), the store's ontology and reference graphs are
    validated with it, so a file may point at regions and deadlines the store already has, and
    so is what the store's other graphs say about the nodes the file names (:func:`_described`;
    ``graph``, the graph the file would be loaded into, and the graphs it replaces, left out):
    the file is checked as it would be in the store, and only problems of nodes it names are
    reported. Without ``context``, the bundled ontology alone. ``reference`` and ``sheets``:
    the reference quads and the source graphs' quads that the load writes before the file
    (those of its fact sheets: ``validate`` of sheets and a file together); a sheet's graph
    replaces the context's graph of that name. A file that writes the store's
    row index (``pledge:row``…) is refused (:class:`InputError`), as ``load`` refuses it. ``format`` as for ``load`` (default: from the
    extension). Raises :class:`RdfSyntaxError`/:class:`InputError` when it cannot be read.
    """
    name = rdf_format_for(path, format)
    data = read_rdf(path, name, data)  # size, entity and nesting limits (formats.py)
    try:
        parser = ox.parse(data, RDF_FORMATS[name], base_iri=_base_iri(path))
        quads = list(parser)
    except SyntaxError as exc:
        text = exc.msg if isinstance(exc.msg, str) else str(exc)
        raise RdfSyntaxError(
            f"malformed RDF: {text.replace('Parser error ', '').strip()}",
            hint=sheet_hint(path)
            or syntax_hint(exc, "fix the file and run the command again", data),
            path=path,
            line=exc.lineno,
        ) from None
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read RDF: {exc}", hint="check the file", path=path) from None
    except MemoryError as exc:  # pyoxigraph: a token past its 16 MB buffer
        raise token_too_large(path) if "maximal size" in str(exc) else exc from None
    if require_data and not quads:  # (``load``: a source with nothing in it is a mistake)
        raise InputError(
            f"holds no RDF triples ({name}): nothing to load",
            hint="check that it is the file you meant"
            + (" (a .json file is read as JSON-LD)" if name == "jsonld" else "")
            + "; to take a loaded file's data out, use 'pledgegraph remove'",
            path=path,
        )
    found: set[str] = set()
    about: list[ox.Quad] = []
    refuse_own_index(quads, path, data, found, about)  # the row index is the store's to compute
    # the regions and deadlines the file names by our IRIs: load describes them as a fact
    # sheet does (loaders/rdf.py named_reference_nquads)
    described_here = "".join(named_reference_nquads(found))
    conflicts = description_conflicts(about, described_here.encode("utf-8"), found)
    named_reference = list(ox.parse(described_here, ox.RdfFormat.N_QUADS))
    given = set(reference)  # (the reference quads a load writes before the file)
    reference = [*reference, *named_reference]
    prefixes = dict(getattr(parser, "prefixes", {}) or {})
    default = ox.NamedNode(FILE_GRAPH + "validating")
    store = ox.Store()
    store.extend(
        ox.Quad(q.subject, q.predicate, q.object, default)
        if isinstance(q.graph_name, ox.DefaultGraph)
        else q
        for q in quads
    )
    named = {t.value for q in quads for t in (q.subject, q.object) if isinstance(t, ox.NamedNode)}
    before: ox.Store | None = None  # the store's description of the same nodes, alone
    if context is None:
        store.extend(_ontology_quads())
        store.extend(reference)
    else:
        common = [q for shared in (ONTOLOGY_GRAPH, REFERENCE_GRAPH) for q in context.quads(shared)]
        given.update(common)
        common.extend(reference)
        store.extend(common)
        own = graph or file_graph(path)
        replaced = {own} | {g for g, owner in context.owned_graphs().items() if owner == own}
        replaced.update(q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode))
        classes = {
            q.object.value
            for q in quads
            if q.predicate.value == RDF_TYPE and isinstance(q.object, ox.NamedNode)
        } - {q.subject.value for q in quads if isinstance(q.subject, ox.NamedNode)}
        sheet_graphs = {
            q.graph_name.value for q in sheets if isinstance(q.graph_name, ox.NamedNode)
        }
        replaced.update(sheet_graphs)  # (the store's old version of a sheet's source)
        described = list(_described(context, named, replaced, classes))
        if sheets:  # the sheets' graphs that name a node the file names, whole
            touching = {
                q.graph_name.value
                for q in sheets
                if isinstance(q.graph_name, ox.NamedNode)
                and any(
                    isinstance(t, ox.NamedNode) and t.value in named for t in (q.subject, q.object)
                )
            }
            described.extend(
                q
                for q in sheets
                if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value in touching
            )
        if described:
            # (the store as it is: without the reference quads this load adds, which may be
            # the very cause of a problem, e.g. a second English label of a region)
            before = ox.Store()
            before.extend(q for q in common if q in given)
            before.extend(described)
        store.extend(described)
    locate: _Locate = (
        _file_locator(path, data.decode("utf-8", errors="replace"), prefixes)
        if name in ("turtle", "ntriples", "nquads", "trig")
        else (lambda focus: _Where(path=path))
    )
    problems = _validate(store, None, locate, shacl=shacl, engine=engine)
    if context is not None:
        # A problem of a node the file does not name is the store's own (its reference data,
        # written by others on a shared server): not this file's to report. Of the blank
        # nodes, only the file's own.
        blanks = {
            f"_:{t.value}"
            for q in quads
            for t in (q.subject, q.object)
            if isinstance(t, ox.BlankNode)
        }
        problems = [p for p in problems if not p.focus or p.focus in blanks or p.focus in named]
    if before is not None and problems:
        # A problem the store already had without the file is not the file's (an attack: a
        # file adding a comment to a target given a second kind by an earlier --lenient load
        # was refused for it).
        already = {
            (p.rule, p.focus, p.message)
            for p in _validate(
                before, None, lambda focus: _Where(path=path), shacl=shacl, engine=engine
            )
        }
        problems = [p for p in problems if (p.rule, p.focus, p.message) not in already]
    # What load refuses even under --lenient and --no-shapes, where no shape or rule says it
    # already (a label without a language, another code: validate passed what load refused)
    errors = {p.focus for p in problems if p.severity is Severity.ERROR}
    for iri, message, hint in conflicts:
        if iri in errors and MINTED_NODE not in message:  # (a minted node: say why, always)
            continue
        errors.add(iri)
        problems.append(
            Problem(
                Severity.ERROR,
                KNOWN_NODE_RULE,
                iri,
                f"{message[0].upper()}{message[1:]}; {hint}",
                path=path,
                line=line_naming(iri, data),
            )
        )
    return Report(problems, [path], shacl)


_VALUES_CHUNK = 400  # IRIs per query of _described


def _described(
    context: Store, named: set[str], replaced: set[str], classes: AbstractSet[str] = frozenset()
) -> list[ox.Quad]:
    """What the store says about the nodes a file names, as ``validate`` of the whole store
    would see it once the file is loaded: so a file cannot give another source's target a
    second kind, or a pledge a second region, unseen.

    The quads of every graph of data (not the inferred one, nor ``replaced``: the graphs the
    file replaces; the ontology and reference graphs are added whole already) that have a
    named node as subject, then those of the nodes they lead to (a target's quantity, a
    pledge's targets, a source's publisher: the nodes a shape or rule reads through), and the
    quads pointing at a named node that is not a shared one (a target's pledge, with its
    type: the shapes read ``pledge:hasTarget`` backwards). Shared nodes (regions, deadlines,
    kinds, authorities: described in the ontology or reference graphs) and ``classes`` (the
    file's ``rdf:type`` objects it does not describe) are not followed backwards: every pledge
    of a region, every instance of a class, would come along, and no check reads them.
    """
    skip = {*replaced, ONTOLOGY_GRAPH, REFERENCE_GRAPH, INFERRED_GRAPH}
    inner = context.inner
    rdf_type = ox.NamedNode(RDF_TYPE)
    Node = ox.NamedNode | ox.BlankNode

    def data(found: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
        for quad in found:
            name = quad.graph_name
            if (
                isinstance(name, ox.NamedNode)
                and name.value not in skip
                and not name.value.startswith(STAGING_GRAPH)
            ):
                yield quad

    # Many nodes per query (a few hundred IRIs in VALUES), not one lookup per node: on a
    # server, a file of a thousand pledges took 16,000 requests (200 s) to check. A blank node
    # cannot be named in a query: it is looked up alone (the embedded store only).
    def solutions(nodes: Iterable[ox.NamedNode], pattern: str, variables: str) -> Iterator[Any]:
        ordered = sorted({n.value for n in nodes})
        for start in range(0, len(ordered), _VALUES_CHUNK):
            values = " ".join(f"<{iri}>" for iri in ordered[start : start + _VALUES_CHUNK])
            query = f"SELECT {variables} WHERE {{ VALUES ?n {{ {values} }} {pattern} }}"
            result = inner.query(query)
            assert isinstance(result, ox.QuerySolutions)
            yield from result

    def quads_of(
        given: Iterable[Node], *, backwards: bool = False, types: bool = False
    ) -> Iterator[ox.Quad]:
        nodes = list(given)
        iris = [n for n in nodes if isinstance(n, ox.NamedNode)]
        if backwards:
            for row in solutions(iris, "GRAPH ?g { ?s ?p ?n }", "?s ?p ?n ?g"):
                yield ox.Quad(row["s"], row["p"], row["n"], row["g"])
        elif types:
            pattern = f"GRAPH ?g {{ ?n <{RDF_TYPE}> ?o }}"
            for row in solutions(iris, pattern, "?n ?o ?g"):
                yield ox.Quad(row["n"], rdf_type, row["o"], row["g"])
        else:
            for row in solutions(iris, "GRAPH ?g { ?n ?p ?o }", "?n ?p ?o ?g"):
                yield ox.Quad(row["n"], row["p"], row["o"], row["g"])
        for node in nodes:
            if isinstance(node, ox.BlankNode):
                if backwards:
                    yield from inner.quads_for_pattern(None, None, node, None)
                else:
                    yield from inner.quads_for_pattern(node, rdf_type if types else None, None)

    known: dict[Node, bool] = {}

    def learn_shared(nodes: Iterable[Node]) -> None:
        """Whether each node is described in the ontology or reference graphs (shared)."""
        asked = [n for n in nodes if n not in known]
        for node in asked:
            known[node] = False
        pattern = (
            f"{{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?n ?p ?o }} }} "
            f"UNION {{ GRAPH <{REFERENCE_GRAPH}> {{ ?n ?p ?o }} }}"
        )
        iris = [n for n in asked if isinstance(n, ox.NamedNode)]
        for row in solutions(iris, pattern, "DISTINCT ?n"):
            known[row["n"]] = True
        for node in asked:
            if isinstance(node, ox.BlankNode):
                known[node] = any(
                    next(iter(inner.quads_for_pattern(node, None, None, ox.NamedNode(g))), None)
                    is not None
                    for g in (ONTOLOGY_GRAPH, REFERENCE_GRAPH)
                )

    found: dict[ox.Quad, None] = {}
    start = [ox.NamedNode(iri) for iri in sorted(named)]
    learn_shared(start)
    # (a class: every instance would come; a shared node: every pledge of a region)
    back = [n for n in start if n.value not in classes and not known[n]]
    pointing = list(data(quads_of(back, backwards=True)))
    found.update(dict.fromkeys(pointing))
    subjects = {q.subject for q in pointing if isinstance(q.subject, ox.NamedNode | ox.BlankNode)}
    found.update(dict.fromkeys(data(quads_of(subjects, types=True))))
    seen: set[Node] = set()
    layer: set[Node] = set(start)
    while layer:
        seen |= layer
        quads = list(data(quads_of(layer)))
        found.update(dict.fromkeys(quads))
        following = {
            q.object
            for q in quads
            if isinstance(q.object, ox.NamedNode | ox.BlankNode) and q.predicate != rdf_type
        } - seen
        learn_shared(following)
        layer = {node for node in following if not known[node]}
    return list(found)


def validate_store(store: Store, *, shacl: bool = True, engine: str | None = None) -> Report:
    """Validate every graph of the store together (the inferred graph, rebuildable, excepted)."""
    named = store.graphs()  # (without the staging graphs of unfinished loads)
    inner = store.snapshot()  # (a store on a server is validated on a copy in memory)
    everything = len(named) == sum(1 for _ in inner.named_graphs())
    graphs = (
        None  # all of them: the union default graph, the fast way
        if everything and INFERRED_GRAPH not in named
        else [ox.NamedNode(g) for g in named if g != INFERRED_GRAPH]
    )
    locate = _store_locator(inner, graphs)
    where = store.location
    problems = _validate(inner, graphs, locate, shacl=shacl, engine=engine)
    problems += _node_problems(inner, locate)
    return Report(problems, [where], shacl)


#: The predicates that name a place or a date (``GUARDED``: those that place regions, and the
#: code).
_PLACE_PREDICATES = (GUARDED - {PLEDGE + "isoCode"}) | frozenset(
    PLEDGE + name for name in ("region", "deadline", "governs", "governedBy")
)
#: Of those, the ones whose subject is a pledge or a target, not a place.
_NAMING_ONLY = frozenset(PLEDGE + name for name in ("region", "deadline", "governs"))
#: The types of which every source holds many nodes, none a place or a date.
_BULK_TYPES = frozenset(
    {PLEDGE + "Pledge", PLEDGE + "Target", "https://schema.org/QuantitativeValue"}
    | {f"http://www.w3.org/ns/oa#{name}" for name in ("Annotation", "SpecificResource")}
    | {"http://www.w3.org/ns/oa#TextPositionSelector", "http://www.w3.org/ns/oa#TextQuoteSelector"}
)
_RDF_TYPE_NODE = ox.NamedNode(RDF_TYPE)

#: owl:sameAs, which links a region to its Wikidata and GeoNames ids.
_SAME_AS = ox.NamedNode("http://www.w3.org/2002/07/owl#sameAs")


def _node_problems(inner: ox.Store, locate: _Locate) -> list[Problem]:
    """What ``load`` refuses in a file under any option, looked for in a whole store (which
    ``import`` fills without validation, and another client of a server may write to): a node
    described in pledgegraph's namespaces for regions and deadlines that names none
    pledgegraph knows, and another node with the ISO code of a region pledgegraph describes.
    (An attack: an edited export imported, `validate` passed, and the questions listed
    "CN-НЕ, Hebei" and a second CN-SN row.)"""
    # Every node the questions could read a region or deadline from (by the predicates that
    # name one, and by type, in every graph: an attack hid the type in a subclass and in an
    # imported inferred graph, or gave none) and what contains regions: each from an index.
    places = " ".join(f"<{p}>" for p in sorted(_PLACE_PREDICATES))
    holders = " ".join(f"<{p}>" for p in sorted(_PLACE_PREDICATES - _NAMING_ONLY))
    minted = f"""SELECT DISTINCT ?x WHERE {{
        {{ VALUES ?p {{ {places} }} GRAPH ?g {{ ?s ?p ?x }} }}
        UNION {{ VALUES ?p {{ {holders} }} GRAPH ?g {{ ?x ?p ?o }} }}
        FILTER(isIRI(?x)) }}"""
    named = {row["x"].value for row in inner.query(minted)}  # type: ignore[union-attr]
    # ... and every node of a type other than the bulk ones a source has thousands of (an
    # attack typed a look-alike schema:AdministrativeArea, which reason-administrative-areas
    # lists): the types first, then each type's nodes, from the type index (a filter on every
    # typed node's IRI took 1.6 s at 1M, this a few ms)
    types = "SELECT ?type (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?x a ?type } } GROUP BY ?type"
    for row in inner.query(types):  # type: ignore[union-attr]
        if not isinstance(row["type"], ox.NamedNode) or row["type"].value in _BULK_TYPES:
            continue
        for quad in inner.quads_for_pattern(None, _RDF_TYPE_NODE, row["type"], None):
            if isinstance(quad.subject, ox.NamedNode):
                named.add(quad.subject.value)
    ours = sorted(iri for iri in named if iri.startswith((REGION_IRI, DEADLINE_IRI)))
    known = [iri for iri in ours if named_reference_nquads([iri])]  # pledgegraph describes
    problems = []
    for iri in sorted(set(ours) - set(known)):
        node = ox.NamedNode(iri)
        problems.append(
            Problem(
                Severity.ERROR,
                KNOWN_NODE_RULE,
                iri,
                f"The store names {short(node)}, an IRI in pledgegraph's own namespace "
                f"that {MINTED_NODE}; remove the source that describes it, and describe a "
                "place or date of its own under an IRI of its own",
                graph=locate(iri).graph,
            )
        )
    codes = f"""SELECT DISTINCT ?s ?code WHERE {{ GRAPH ?g {{ ?s <{PLEDGE}isoCode> ?code }} }}"""
    for row in inner.query(codes):  # type: ignore[union-attr]
        taken = code_owner(row["s"], row["code"])
        if taken is None:
            continue
        owner = ox.NamedNode(taken)
        focus = row["s"].value if isinstance(row["s"], ox.NamedNode) else f"_:{row['s'].value}"
        problems.append(
            Problem(
                Severity.ERROR,
                KNOWN_NODE_RULE,
                focus,
                f"{short(row['s'])} has the ISO code {row['code'].value!r} of {short(owner)}, a "
                "region pledgegraph describes (the questions list two regions "
                f"{row['code'].value}); remove the source that says so, or name that region by "
                f"pledgegraph's IRI, {short(owner)}",
                graph=locate(focus).graph,
            )
        )
    # The regions and deadlines pledgegraph describes, as the store describes them: what a
    # load refuses of a file (another name, code, type, region it lies in, a region placed
    # inside it), looked for in every graph but the inferred one, the reference graph too (an
    # attack: an export edited to put Hebei in Hunan, or to rename it, passed validate).
    inferred_graph = ox.NamedNode(INFERRED_GRAPH)
    # ... and the regions only linked (a region named nowhere else was given another region's
    # Wikidata id: an attack)
    linked: set[str] = set()
    for quad in inner.quads_for_pattern(None, _SAME_AS, None, None):
        if quad.graph_name == inferred_graph:
            continue
        for term in (quad.subject, quad.object):
            if isinstance(term, ox.NamedNode) and term.value.startswith(REGION_IRI):
                linked.add(term.value)
    known = sorted(set(known) | {iri for iri in linked if named_reference_nquads([iri])})
    known_set = set(known)
    by_graph: dict[str, list[ox.Quad]] = {}
    for iri in known:
        node = ox.NamedNode(iri)
        for quad in itertools.chain(
            inner.quads_for_pattern(node, None, None, None),
            inner.quads_for_pattern(None, _SAME_AS, node, None),  # (links the other way round)
        ):
            if isinstance(quad.graph_name, ox.NamedNode) and quad.graph_name != inferred_graph:
                by_graph.setdefault(quad.graph_name.value, []).append(quad)
    contains = " ".join(f"<{p}>" for p in sorted(CONTAINS))
    for row in inner.query(  # type: ignore[union-attr]
        f"SELECT ?s ?p ?o ?g WHERE {{ VALUES ?p {{ {contains} }} GRAPH ?g {{ ?s ?p ?o }} }}"
    ):
        graph = row["g"]
        if (
            graph != inferred_graph
            and isinstance(row["o"], ox.NamedNode)
            and row["o"].value in known_set
            and not row["s"].value.startswith(REGION_IRI)  # (those are read above)
        ):
            quad = ox.Quad(row["s"], row["p"], row["o"], graph)
            by_graph.setdefault(graph.value, []).append(quad)
    reference = "".join(named_reference_nquads(known)).encode("utf-8")
    for graph_iri, about in sorted(by_graph.items()):
        for focus, message, _hint in description_conflicts(about, reference):
            problems.append(
                Problem(
                    Severity.ERROR,
                    KNOWN_NODE_RULE,
                    focus,
                    f"{short(ox.NamedNode(graph_iri))} {message} (edited, or written by an "
                    "older pledgegraph); remove or reload the source that says it (an export "
                    "edited by hand: import the unedited one)",
                    graph=graph_iri,
                )
            )
    # links: one Wikidata and one GeoNames id per region ('link' writes one; a second one
    # listed the region twice in regions-linked)
    links = f"""SELECT ?r (COUNT(DISTINCT ?wd) AS ?w) (COUNT(DISTINCT ?gn) AS ?n) WHERE {{
        GRAPH <{LINKS_GRAPH}> {{ ?r <http://www.w3.org/2002/07/owl#sameAs> ?x }}
        BIND(IF(STRSTARTS(STR(?x), "http://www.wikidata.org/entity/"), ?x, ?none) AS ?wd)
        BIND(IF(STRSTARTS(STR(?x), "https://sws.geonames.org/"), ?x, ?none) AS ?gn)
    }} GROUP BY ?r HAVING (COUNT(DISTINCT ?wd) > 1 || COUNT(DISTINCT ?gn) > 1)"""
    for row in inner.query(links):  # type: ignore[union-attr]
        problems.append(
            Problem(
                Severity.ERROR,
                KNOWN_NODE_RULE,
                row["r"].value,
                f"the links graph gives {short(row['r'])} {row['w'].value} Wikidata and "
                f"{row['n'].value} GeoNames ids, where 'pledgegraph link' writes one of each; "
                "run 'pledgegraph link' again on a store loaded from the unedited sources",
                graph=LINKS_GRAPH,
            )
        )
    # what a file may not say at all: anything about the code and containment properties
    guarded = " ".join(f"<{p}>" for p in sorted(GUARDED))
    said = f"""SELECT DISTINCT ?s ?p ?o ?g WHERE {{
        VALUES ?guarded {{ {guarded} }}
        {{ GRAPH ?g {{ ?guarded ?p ?o }} BIND(?guarded AS ?s) }}
        UNION {{ GRAPH ?g {{ ?s ?p ?guarded }} BIND(?guarded AS ?o) }}
        FILTER(?g NOT IN (<{ONTOLOGY_GRAPH}>, <{INFERRED_GRAPH}>)) }}"""
    ontology = _ontology_triples()
    for row in inner.query(said):  # type: ignore[union-attr]
        if (str(row["s"]), str(row["p"]), str(row["o"])) in ontology:
            continue  # the ontology's own definition, in an export read back as one graph
        problems.append(
            Problem(
                Severity.ERROR,
                KNOWN_NODE_RULE,
                row["s"].value if isinstance(row["s"], ox.NamedNode) else f"_:{row['s'].value}",
                f"{short(row['g'])} says {short(row['s'])} {short(row['p'])} "
                f"{short(row['o'])}: how regions contain each other, and their codes, are "
                "pledgegraph's to say (a sub-property or inverse could give a node a known "
                "region's code, or move a region, by inference); remove the source that says it",
                graph=row["g"].value,
            )
        )
    return problems


# --- small helpers ----------------------------------------------------------------------------


@cache
def _ontology_triples() -> frozenset[tuple[str, str, str]]:
    """The bundled ontology's triples without blank nodes, as N-Triples terms: what an export
    in a triple format (Turtle, JSON-LD …) carries in its one graph, and import reads back
    outside the ontology graph (an attack: an unedited Turtle export failed validate with 26
    errors, every one the ontology's definition of a containment property)."""
    from pledgegraph.ontology import read_text

    return frozenset(
        (str(t.subject), str(t.predicate), str(t.object))
        for t in ox.parse(read_text("pledge.ttl").encode("utf-8"), ox.RdfFormat.TURTLE)
        if not isinstance(t.subject, ox.BlankNode) and not isinstance(t.object, ox.BlankNode)
    )


def _base_iri(path: str) -> str | None:
    if path.startswith(("http://", "https://")):
        return path
    if path in ("-", ""):
        return None
    return Path(path).resolve().as_uri()


assert {rule.name for rule in RULES}.isdisjoint(name for name, _, _ in CHECKS)
