"""Reconciliation: match regions the link table has no Wikidata id for against a SPARQL endpoint.

The endpoint is Wikidata-shaped: entities ``http://www.wikidata.org/entity/Q…`` with
``rdfs:label`` / ``skos:altLabel`` (language-tagged), ``wdt:P31`` (instance of), ``wdt:P17``
(country), ``wdt:P131`` (located in), ``wdt:P297`` / ``wdt:P300`` (ISO 3166-1 / 3166-2 codes) and
``wdt:P1566`` (GeoNames id). Queries are plain SPARQL 1.1, so a local copy or the public
Wikidata endpoint both work.

1. Candidates: entities whose label or alternative label equals one of the region's names
   (English and Chinese, from the store and the gazetteer), or whose ``wdt:P300`` is the
   region's ISO 3166-2 code. (Exact lookups, so they are fast on a large endpoint; fuzzy text
   search is not portable SPARQL.)
2. Each candidate is scored, 0–1::

       score = label × type × country × within

   ``label`` is the best similarity (difflib ratio of normalised names, generic words such as
   "city" or 市 dropped) between the region's names and the candidate's labels; the others
   weigh the evidence: ``type`` (the candidate's ``wdt:P31`` class labels against the region's
   type: a settlement, a subdivision or a country) 1 if compatible, 0.85 if unknown, 0.5 if not;
   ``country`` (``wdt:P17``, or its ``wdt:P297`` code, against the region's country) 1 / 0.9 /
   0.4; ``within`` (``wdt:P131`` against the Wikidata id of the region's parent in the table)
   1 / 0.9 / 0.6. A candidate with the region's own ISO 3166-2 code scores 1 unless its country
   disagrees.
3. The best candidate is accepted when it scores at least the threshold and at least
   :data:`MARGIN` more than the next one; all other regions go to the review file.
"""

from __future__ import annotations

import csv
import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from pledgegraph.errors import InputError
from pledgegraph.graph.linking.http import Row, sparql_select
from pledgegraph.graph.linking.links import (
    WD,
    WDT,
    WIKIDATA_DATASET,
    ExternalLink,
    LinkPlan,
    RegionNode,
    geonames_iri,
    qid_of,
    region_iri,
    table_ids,
    wikidata_iri,
)

if TYPE_CHECKING:
    from pledgegraph.loaders.regions import Gazetteer, Region

RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_ALT_LABEL = "http://www.w3.org/2004/02/skos/core#altLabel"
#: Accept the best candidate only if it leads the next one by at least this much.
MARGIN = 0.1
#: Candidates per region written to the review file.
REVIEW_CANDIDATES = 5
REVIEW_COLUMNS = ("region", "label", "candidate", "candidate_label", "score", "accept", "note")
_SEARCH_BATCH = 25
_DETAIL_BATCH = 40
_YES = {"yes", "y", "true", "1", "x", "accept"}
_NO = {"", "no", "n", "false", "0"}
_CJK = re.compile(r"[\u3400-\u9fff]")
_GENERIC_WORDS = re.compile(
    r"\b(city|province|provincial|municipality|municipal|autonomous region|region|state|"
    r"special administrative region|sar|sheng|shi|prefecture|county|of|the)\b"
)
_GENERIC_ZH = re.compile(r"(特别行政区|自治区|省|市)$")

# Region types, by the words of their names and of Wikidata class labels.
_KINDS: dict[str, tuple[str, ...]] = {
    "country": ("country", "sovereign state", "nation"),
    "settlement": (
        "city",
        "town",
        "municipality",
        "metropolis",
        "village",
        "settlement",
        "capital",
        "new area",
        "urban",
    ),
    "division": (
        "province",
        "state",
        "region",
        "land",
        "county",
        "prefecture",
        "district",
        "territory",
        "autonomous",
        "department",
        "canton",
        "oblast",
        "governorate",
        "emirate",
        "municipality",
        "division",
        "community",
        "parish",
        "voivodeship",
        "krai",
        "republic",
        "entity",
        "unitary authority",
    ),
}


# --- what we know about a region -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Subject:
    """A region to reconcile, with what the store and the table say about it."""

    iri: str
    key: str
    label: str
    names: tuple[tuple[str, str], ...]  # (text, "en" | "zh")
    type: str | None
    iso_code: str | None  # ISO 3166-2 code, when it has one
    country_code: str | None  # ISO 3166-1 alpha-2 of its country
    country_qid: str | None
    parent_qid: str | None  # Wikidata id of the region it lies in (from the table)


def subject_of(node: RegionNode, region: Region | None, places: Gazetteer) -> Subject:
    names: dict[tuple[str, str], None] = {}
    for text, lang in node.labels:
        names[(text, "zh" if lang.startswith("zh") or _CJK.search(text) else "en")] = None
    if region is not None:
        for text in region.names:
            names[(text, "zh" if _CJK.search(text) else "en")] = None
    iso = next((c for c in node.iso_codes if "-" in c), None)
    if iso is None and region is not None and region.iso_code and "-" in region.iso_code:
        iso = region.iso_code
    kind = node.types[0] if node.types else (region.type if region is not None else None)
    parent_key = None
    if node.part_of and node.part_of[0].startswith(region_iri("")):
        parent_key = node.part_of[0][len(region_iri("")) :]
    elif region is not None:
        parent_key = region.part_of
    parent_qid = None
    if parent_key and parent_key in places:
        parent_qid = table_ids(places.get(parent_key)).wikidata
    country_code = None
    chain = (
        [places.get(parent_key), *places.ancestors(parent_key)]
        if parent_key is not None and parent_key in places
        else []
    )
    for ancestor in chain:
        if ancestor.type == "Country" and ancestor.iso_code and "-" not in ancestor.iso_code:
            country_code = ancestor.iso_code
            break
    if country_code is None:
        match = re.match(r"^([A-Z]{2})(?:[-/]|$)", node.key)
        country_code = match.group(1) if match else None
    country_qid = None
    if country_code and country_code in places:
        country_qid = table_ids(places.get(country_code)).wikidata
    return Subject(
        iri=node.iri,
        key=node.key,
        label=node.label,
        names=tuple(names),
        type=kind,
        iso_code=iso,
        country_code=country_code,
        country_qid=country_qid,
        parent_qid=parent_qid,
    )


# --- candidates and scores -----------------------------------------------------------------


@dataclass
class Entity:
    """What the endpoint says about one candidate entity."""

    iri: str
    labels: set[tuple[str, str]] = field(default_factory=set)  # (text, language), alt too
    preferred: set[tuple[str, str]] = field(default_factory=set)  # rdfs:label only
    classes: set[str] = field(default_factory=set)  # class labels (English)
    class_iris: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)  # entity IRIs
    country_codes: set[str] = field(default_factory=set)
    within: set[str] = field(default_factory=set)
    codes: set[str] = field(default_factory=set)  # P300
    geonames: set[str] = field(default_factory=set)

    @property
    def label(self) -> str:
        for labels in (self.preferred, self.labels):
            for wanted in ("en", "zh"):
                for text, lang in sorted(labels):
                    if lang.split("-")[0] == wanted:
                        return text
        return min(self.labels)[0] if self.labels else self.iri


@dataclass(frozen=True, slots=True)
class Candidate:
    iri: str
    label: str
    score: float
    geonames: str | None = None

    @property
    def qid(self) -> str:
        return qid_of(self.iri) or self.iri


@dataclass(frozen=True, slots=True)
class Decision:
    subject: Subject
    candidates: tuple[Candidate, ...]  # best first
    accepted: Candidate | None
    note: str  # why: "accepted", "below threshold", "ambiguous", "no candidate"


@dataclass(frozen=True, slots=True)
class Reconciliation:
    endpoint: str
    threshold: float
    decisions: tuple[Decision, ...]

    @property
    def accepted(self) -> list[Decision]:
        return [d for d in self.decisions if d.accepted is not None]

    @property
    def to_review(self) -> list[Decision]:
        return [d for d in self.decisions if d.accepted is None]

    def links(self) -> list[ExternalLink]:
        found = []
        for decision in self.accepted:
            assert decision.accepted is not None
            found.append(ExternalLink(decision.subject.iri, decision.accepted.iri, "endpoint"))
            if decision.accepted.geonames:
                target = geonames_iri(decision.accepted.geonames)
                found.append(ExternalLink(decision.subject.iri, target, "endpoint"))
        return found


def _plain(text: str) -> str:
    from pledgegraph.loaders.regions import normalise

    norm = _GENERIC_ZH.sub("", normalise(text))
    bare = " ".join(_GENERIC_WORDS.sub(" ", norm).split())
    return bare or norm


def _kinds(text: str) -> set[str]:
    words = f" {text.casefold()} "
    found = {
        kind
        for kind, keywords in _KINDS.items()
        if any(re.search(rf"\b{re.escape(k)}\b", words) for k in keywords)
    }
    return {"country"} if "country" in found else found


def label_similarity(names: Iterable[str], labels: Iterable[str]) -> float:
    ours = {_plain(n) for n in names if n.strip()}
    theirs = {_plain(label) for label in labels if label.strip()}
    best = 0.0
    for a in ours:
        for b in theirs:
            best = max(best, 1.0 if a == b else difflib.SequenceMatcher(None, a, b).ratio())
    return best


def score(subject: Subject, entity: Entity) -> float:
    """The candidate's score for ``subject`` (see the module docstring)."""
    agrees = (
        subject.country_qid is not None and wikidata_iri(subject.country_qid) in entity.countries
    ) or (subject.country_code is not None and subject.country_code in entity.country_codes)
    if agrees:
        country = 1.0
    elif entity.countries and (subject.country_qid or subject.country_code):
        country = 0.4
    else:
        country = 0.9
    if subject.iso_code and subject.iso_code in entity.codes and country > 0.4:
        return 1.0
    label = label_similarity((n for n, _ in subject.names), (t for t, _ in entity.labels))
    ours = _kinds(subject.type or "")
    theirs = set().union(*(_kinds(c) for c in entity.classes)) if entity.classes else set()
    if not ours or not (entity.classes or entity.class_iris):
        kind = 0.85
    else:
        kind = 1.0 if ours & theirs else 0.5
    if subject.parent_qid and entity.within:
        within = 1.0 if wikidata_iri(subject.parent_qid) in entity.within else 0.6
    else:
        within = 0.9
    return round(label * kind * country * within, 3)


def decide(subject: Subject, candidates: Sequence[Candidate], threshold: float) -> Decision:
    ranked = tuple(sorted(candidates, key=lambda c: (-c.score, c.iri)))
    if not ranked:
        return Decision(subject, ranked, None, "no candidate")
    best = ranked[0]
    if best.score < threshold:
        return Decision(subject, ranked, None, "below threshold")
    if len(ranked) > 1 and best.score - ranked[1].score < MARGIN:
        return Decision(subject, ranked, None, "ambiguous")
    return Decision(subject, ranked, best, "accepted")


# --- talking to the endpoint ---------------------------------------------------------------


def _literal(text: str, lang: str) -> str:
    return str(ox.Literal(text, language=lang))


def _search_query(subjects: Sequence[Subject]) -> str:
    by_name: list[str] = []
    by_code: list[str] = []
    for s in subjects:
        key = str(ox.Literal(s.key))
        for text, lang in s.names:
            tags = ("zh", "zh-hans", "zh-cn") if lang == "zh" else ("en",)
            by_name.extend(f"({key} {_literal(text, tag)})" for tag in tags)
        if s.iso_code:
            by_code.append(f"({key} {ox.Literal(s.iso_code)})")
    parts = []
    if by_name:
        parts.append(
            "{ VALUES (?key ?name) { " + " ".join(by_name) + " }\n"
            f"    {{ ?item <{RDFS_LABEL}> ?name }} UNION {{ ?item <{SKOS_ALT_LABEL}> ?name }} }}"
        )
    if by_code:
        parts.append(
            "{ VALUES (?key ?code) { " + " ".join(by_code) + f" }}\n    ?item <{WDT}P300> ?code }}"
        )
    return "SELECT DISTINCT ?key ?item WHERE {\n  " + "\n  UNION\n  ".join(parts) + "\n}"


def _detail_query(iris: Sequence[str]) -> str:
    values = " ".join(f"<{iri}>" for iri in iris)
    lang = 'LANGMATCHES(LANG(?{0}), "en") || LANGMATCHES(LANG(?{0}), "zh")'
    return f"""SELECT ?item ?label ?alt ?class ?classLabel ?country ?countryCode ?within ?code ?geonames
WHERE {{
  VALUES ?item {{ {values} }}
  {{ ?item <{RDFS_LABEL}> ?label }}
  UNION {{ ?item <{SKOS_ALT_LABEL}> ?alt FILTER({lang.format("alt")}) }}
  UNION {{ ?item <{WDT}P31> ?class
           OPTIONAL {{ ?class <{RDFS_LABEL}> ?classLabel FILTER({lang.format("classLabel")}) }} }}
  UNION {{ ?item <{WDT}P17> ?country OPTIONAL {{ ?country <{WDT}P297> ?countryCode }} }}
  UNION {{ ?item <{WDT}P131> ?within }}
  UNION {{ ?item <{WDT}P300> ?code }}
  UNION {{ ?item <{WDT}P1566> ?geonames }}
}}"""


def _value(row: Row, name: str) -> str | None:
    term = row.get(name)
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return None


def _entities(endpoint: str, iris: Sequence[str], timeout: float) -> dict[str, Entity]:
    entities = {iri: Entity(iri) for iri in iris}
    for start in range(0, len(iris), _DETAIL_BATCH):
        batch = iris[start : start + _DETAIL_BATCH]
        for row in sparql_select(endpoint, _detail_query(batch), timeout=timeout):
            item = _value(row, "item")
            if item not in entities:
                continue
            entity = entities[item]
            for name in ("label", "alt"):
                term = row.get(name)
                if isinstance(term, ox.Literal):
                    entity.labels.add((term.value, term.language or ""))
                    if name == "label":
                        entity.preferred.add((term.value, term.language or ""))
            if (value := _value(row, "class")) is not None:
                entity.class_iris.add(value)
            if (value := _value(row, "classLabel")) is not None:
                entity.classes.add(value)
            if (value := _value(row, "country")) is not None:
                entity.countries.add(value)
            if (value := _value(row, "countryCode")) is not None:
                entity.country_codes.add(value)
            if (value := _value(row, "within")) is not None:
                entity.within.add(value)
            if (value := _value(row, "code")) is not None:
                entity.codes.add(value)
            if (value := _value(row, "geonames")) is not None and value.isdigit():
                entity.geonames.add(value)
    return entities


def reconcile(
    plan: LinkPlan, endpoint: str, *, threshold: float = 0.8, timeout: float = 10.0
) -> Reconciliation:
    """Score candidates for every region of ``plan`` without a Wikidata link (no writes)."""
    from pledgegraph.loaders.regions import gazetteer

    places = gazetteer()
    subjects = [
        subject_of(node, m.region if (m := plan.matches.get(node.iri)) else None, places)
        for node in plan.pending()
    ]
    subjects = [s for s in subjects if s.names or s.iso_code]
    found: dict[str, set[str]] = {s.key: set() for s in subjects}
    for start in range(0, len(subjects), _SEARCH_BATCH):
        batch = subjects[start : start + _SEARCH_BATCH]
        for row in sparql_select(endpoint, _search_query(batch), timeout=timeout):
            key, item = _value(row, "key"), _value(row, "item")
            if key in found and item is not None and isinstance(row.get("item"), ox.NamedNode):
                found[key].add(item)
    iris = sorted(set().union(*found.values())) if found else []
    entities = _entities(endpoint, iris, timeout) if iris else {}
    decisions = []
    for subject in subjects:
        candidates = []
        for iri in found[subject.key]:
            entity = entities[iri]
            candidates.append(
                Candidate(
                    iri,
                    entity.label,
                    score(subject, entity),
                    min(entity.geonames) if len(entity.geonames) == 1 else None,
                )
            )
        decisions.append(decide(subject, candidates, threshold))
    return Reconciliation(endpoint, threshold, tuple(decisions))


# --- the review file -----------------------------------------------------------------------


def write_review(path: str, reconciliation: Reconciliation) -> int:
    """Write the regions that were not accepted, with their best candidates; rows written."""
    rows = []
    for decision in reconciliation.to_review:
        s = decision.subject
        shown = decision.candidates[:REVIEW_CANDIDATES]
        if not shown:
            rows.append([s.key, s.label, "", "", "", "", decision.note])
        for candidate in shown:
            rows.append(
                [
                    s.key,
                    s.label,
                    candidate.qid,
                    candidate.label,
                    f"{candidate.score:.3f}",
                    "",
                    decision.note,
                ]
            )
    try:
        with Path(path).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(REVIEW_COLUMNS)
            writer.writerows(rows)
    except OSError as exc:
        raise InputError(
            f"cannot write: {exc.strerror}", path=path, hint="choose a writable path for --review"
        ) from None
    return len(rows)


def read_accepted(
    path: str, plan: LinkPlan, *, endpoint: str | None = None, timeout: float = 10.0
) -> list[ExternalLink]:
    """The links a user accepted in a review file (``accept`` = yes), checked before any write.

    Every row must name a region of the store and, when accepted, a Wikidata id (``Q…`` or its
    IRI); with ``endpoint``, the ids must exist there.
    """
    regions = {node.key: node for node in plan.nodes}
    chosen: dict[str, tuple[str, int]] = {}
    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = {"region", "candidate", "accept"} - set(reader.fieldnames or ())
            if missing:
                raise InputError(
                    "missing column " + ", ".join(sorted(missing)),
                    hint="use the file 'pledgegraph link --review FILE' wrote",
                    path=path,
                    line=1,
                )
            for row in reader:
                line = reader.line_num
                accept = (row.get("accept") or "").strip().casefold()
                if accept in _NO:
                    continue
                if accept not in _YES:
                    raise InputError(
                        f"accept is {row.get('accept')!r}",
                        hint="write yes to accept a row, or leave it empty",
                        path=path,
                        line=line,
                    )
                key = (row.get("region") or "").strip()
                if key not in regions:
                    from pledgegraph.graph.linking.links import closest_names

                    close = closest_names(key)
                    raise InputError(
                        f"unknown region key {key!r}",
                        hint="use a key from the review file's region column"
                        + (f" (did you mean {', '.join(close)}?)" if close else ""),
                        path=path,
                        line=line,
                    )
                candidate = (row.get("candidate") or "").strip()
                qid = qid_of(candidate) or (
                    candidate if re.fullmatch(r"Q[1-9]\d*", candidate) else None
                )
                if qid is None:
                    raise InputError(
                        f"{candidate!r} is not a Wikidata id",
                        hint="write a QID such as Q956 in the candidate column",
                        path=path,
                        line=line,
                    )
                if key in chosen and chosen[key][0] != qid:
                    raise InputError(
                        f"region {key} is accepted twice ({chosen[key][0]} on line "
                        f"{chosen[key][1]}, {qid} here)",
                        hint="accept one candidate per region",
                        path=path,
                        line=line,
                    )
                table = [
                    link.target
                    for (region, dataset), link in plan.links.items()
                    if region == regions[key].iri
                    and dataset == WIKIDATA_DATASET
                    and link.source == "table"
                ]
                if table and table[0] != wikidata_iri(qid):
                    raise InputError(
                        f"region {key} is {qid_of(table[0])} in the bundled table, not {qid}",
                        hint="remove the row: the checked table wins",
                        path=path,
                        line=line,
                    )
                chosen[key] = (qid, line)
    except FileNotFoundError:
        raise InputError(
            "no such file", hint="check the path given to --accept", path=path
        ) from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"cannot read: {exc}", hint="give the review CSV", path=path) from None
    if endpoint is not None and chosen:
        _check_exist(path, endpoint, chosen, timeout)
    return [
        ExternalLink(regions[key].iri, wikidata_iri(qid), "review")
        for key, (qid, _line) in sorted(chosen.items())
    ]


def _check_exist(
    path: str, endpoint: str, chosen: dict[str, tuple[str, int]], timeout: float
) -> None:
    qids = sorted({qid for qid, _ in chosen.values()})
    values = " ".join(f"<{WD}{qid}>" for qid in qids)
    query = f"SELECT DISTINCT ?item WHERE {{ VALUES ?item {{ {values} }} ?item ?p ?o }}"
    known = {_value(row, "item") for row in sparql_select(endpoint, query, timeout=timeout)}
    for _key, (qid, line) in sorted(chosen.items(), key=lambda kv: kv[1][1]):
        if wikidata_iri(qid) not in known:
            raise InputError(
                f"{qid} is not an entity at {endpoint}",
                hint="check the id, or remove the row",
                path=path,
                line=line,
            )
