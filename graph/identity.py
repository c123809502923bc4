"""Shared nodes keep one identity: one IRI per (region, name), one name per language.

Authorities, publishers, regions and deadlines live once, in the reference graph (see
docs/data-model.md), and every source that names them points there. Two things keep a
question from repeating a row per spelling or merging two different authorities:

- :func:`settle_names` (every load): a node keeps the name the store holds already; a load
  that brings another spelling giving the same IRI (other case or punctuation; white space is
  collapsed before) adds it as an alternative name (``skos:altLabel`` for an ``rdfs:label``,
  ``schema:alternateName`` for a ``schema:name``) and says so in a warning. Within one load,
  the first sheet's spelling wins. The result is part of the load's reference quads, so it is
  written in the same all-or-nothing write as the source (and journalled with it).
- :func:`migrate_identities` (at open, once per store, see ``IRI_FORMAT``): publishers whose
  IRI kept only the ASCII letters of their name (format 2) are renamed; a store written
  before authority IRIs held the region key as its own segment gets them rewritten, per
  pledge (the pledge's region and the label whose old IRI it was tell which authority it
  meant, also where the old IRI had merged two), and each shared node left with two names in
  one language keeps one (:func:`_ordered`: single-spaced first, then the first in code-point
  order, as the older store cannot say which came first) and the others as alternative
  names. One SPARQL update: all or nothing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import pyoxigraph as ox

from pledgegraph.loaders.rdf import (
    IRI_FORMAT,
    NAME_PREDICATES,
    RDF_TYPE,
    RDFS_LABEL,
    SCHEMA,
    SKOS_ALT_LABEL,
    authority_iri,
    clean_name,
    organization_iri,
    region_iri,
)
from pledgegraph.ontology import ID, INFERRED_GRAPH, PLEDGE, REFERENCE_GRAPH, SOURCE_GRAPH

if TYPE_CHECKING:
    from pledgegraph.graph.backend import QuadStore
    from pledgegraph.graph.store import Store

_REFERENCE = ox.NamedNode(REFERENCE_GRAPH)
_AUTHORITY = ID + "authority/"
_REGION = ID + "region/"
_OLD_SLUG = re.compile(r"[^a-z0-9]+")
#: What the loaders wrote about an authority (its description, rewritten by the migration).
_OWN = {RDF_TYPE, RDFS_LABEL, SKOS_ALT_LABEL, PLEDGE + "governs"}

_Key = tuple[str, str, str]  # (subject, name predicate, language or "")


def _old_authority_slug(region: str, name: str) -> str:
    """The last segment of an authority IRI before ``IRI_FORMAT`` 2."""
    return _OLD_SLUG.sub("-", (region + " " + name).casefold()).strip("-") or "unnamed"


def _name_quad(line: str) -> tuple[_Key, ox.Literal] | None:
    """(key, name) of an N-Quads line that names a node, else None."""
    for predicate in NAME_PREDICATES:
        if f"> <{predicate}> " in line:
            quad = next(iter(ox.parse(line.encode("utf-8"), ox.RdfFormat.N_QUADS)))
            subject, name = quad.subject, quad.object
            if isinstance(subject, ox.NamedNode) and isinstance(name, ox.Literal):
                return (subject.value, predicate, name.language or ""), name
    return None


def _stored_names(inner: QuadStore, subjects: set[str]) -> dict[_Key, str]:
    """The names the reference graph holds for ``subjects`` (the first in :func:`_ordered`
    order, if an older store has two), in one query (one request to a SPARQL server)."""
    if not subjects:
        return {}
    values = " ".join(f"<{iri}>" for iri in sorted(subjects))
    predicates = ", ".join(f"<{p}>" for p in NAME_PREDICATES)
    query = (
        f"SELECT ?s ?p ?name WHERE {{ GRAPH <{REFERENCE_GRAPH}> {{ VALUES ?s {{ {values} }} "
        f"?s ?p ?name FILTER(?p IN ({predicates})) }} }}"
    )
    solutions = inner.query(query)
    assert isinstance(solutions, ox.QuerySolutions)
    found: dict[_Key, list[str]] = defaultdict(list)
    for row in solutions:
        subject, predicate, name = row["s"], row["p"], row["name"]
        if isinstance(name, ox.Literal) and subject is not None and predicate is not None:
            found[(subject.value, predicate.value, name.language or "")].append(name.value)
    return {key: _ordered(names)[0] for key, names in found.items()}


def settle_names(
    inner: QuadStore, sheets: Sequence[tuple[str, Sequence[str]]]
) -> tuple[bytes, list[tuple[int, str]]]:
    """The reference quads of a load, each node keeping one name per language.

    ``sheets``: in load order, each sheet's name (for messages) and its reference N-Quads
    lines (``loaders.rdf.reference_nquads``). Returns the lines to write (sorted, without
    repeats) and warnings as (index of the sheet, line) for each spelling kept only as an
    alternative name because the node is named otherwise already.
    """
    lines: set[str] = set()
    warnings: list[tuple[int, str]] = []
    parsed: dict[str, tuple[_Key, ox.Literal] | None] = {}  # (sheets share most lines)
    for _, quads in sheets:
        for line in quads:
            if line not in parsed:
                parsed[line] = _name_quad(line)
    named = {found[0][0] for found in parsed.values() if found is not None}
    chosen = _stored_names(inner, named)
    for index, (where, quads) in enumerate(sheets):
        for line in quads:
            found = parsed[line]
            if found is None:
                lines.add(line)
                continue
            key, name = found
            chosen.setdefault(key, name.value)
            if name.value == chosen[key]:
                lines.add(line)
                continue
            subject, predicate, _ = key
            alternative = NAME_PREDICATES[predicate]
            lines.add(line.replace(f"> <{predicate}> ", f"> <{alternative}> ", 1))
            warnings.append(
                (
                    index,
                    f'Warning: {where}: <{subject}> is named "{chosen[key]}" already; '
                    f'"{name.value}" is kept as its {_short(alternative)}',
                )
            )
        # (a sheet's own later spellings are alternative names already: reference_nquads)
    return "".join(sorted(lines)).encode("utf-8"), warnings


def _short(predicate: str) -> str:
    return "skos:altLabel" if predicate == SKOS_ALT_LABEL else "schema:alternateName"


# --- stores written before IRI_FORMAT --------------------------------------------------------


def settle_identities(store: Store, *, existing: bool) -> None:
    """Run :func:`migrate_identities` once on a store written in an older ``IRI_FORMAT``
    (recorded in its state after the update, so a crash in between runs it again)."""
    if store.state().get("iri_format") == IRI_FORMAT:
        return
    if existing:
        notes = migrate_identities(store)
        if store.path is not None:
            store.inner.flush()
        store.notes.extend(notes)
    store.set_state(iri_format=IRI_FORMAT)


def migrate_identities(store: Store) -> list[str]:
    """Rewrite authority IRIs of ``IRI_FORMAT`` 1 and give each shared node one name per
    language, in one update; return notes for the user (empty if nothing changed)."""
    inner = store.inner
    old_nodes = _old_authorities(inner)
    delete: list[str] = []
    insert: list[str] = []
    names: dict[str, set[str]] = defaultdict(set)  # new authority -> its labels
    governs: dict[str, str] = {}
    targets: dict[str, set[str]] = defaultdict(set)  # old IRI -> the new ones it became
    unsure: set[str] = set()
    for old, labels in sorted(old_nodes.items()):
        local = old[len(_AUTHORITY) :]
        regions = [
            q.object.value
            for q in inner.quads_for_pattern(
                ox.NamedNode(old), ox.NamedNode(PLEDGE + "governs"), None, None
            )
            if isinstance(q.object, ox.NamedNode)
            and q.object.value.startswith(_REGION)
            and _ours(q.graph_name)
        ]
        by = ox.NamedNode(PLEDGE + "pledgedBy")
        for quad in inner.quads_for_pattern(None, by, ox.NamedNode(old), None):
            pledge, graph = quad.subject, quad.graph_name
            if not isinstance(pledge, ox.NamedNode) or isinstance(graph, ox.BlankNode):
                unsure.add(old)  # (DELETE DATA cannot name a blank node)
                continue
            region = _pledge_region(inner, pledge, graph) or (
                regions[0][len(_REGION) :] if len(regions) == 1 else None
            )
            if region is None:
                unsure.add(old)
                continue
            fits = [n for n in labels if _old_authority_slug(region, n) == local]
            if fits:
                new = authority_iri(region, _ordered(fits)[0])
                names[new].update(n for n in fits if authority_iri(region, n) == new)
                if any(authority_iri(region, n) != new for n in fits):
                    unsure.add(old)  # (names in Chinese all had one old IRI per region)
            else:
                # The old IRI had merged this authority into another one, whose label alone
                # was kept: its name is known only as the rest of the old IRI.
                prefix = _old_authority_slug(region, "")
                rest = local[len(prefix) + 1 :] if local.startswith(prefix + "-") else local
                new = authority_iri(region, rest)
                names[new].add(rest.replace("-", " "))
                unsure.add(old)
            governs[new] = region_iri(region)
            targets[old].add(new)
            delete.append(_nq(quad))
            insert.append(_nq(ox.Quad(pledge, by, ox.NamedNode(new), graph)))
    # The old nodes go; their other mentions (inferred triples, files) follow a node that
    # became one new node, and are dropped (inferred: marked stale) where it became several.
    stale = False
    for old in sorted(old_nodes):
        node = ox.NamedNode(old)
        single = targets.get(old, set())
        new_node = ox.NamedNode(next(iter(single))) if len(single) == 1 else None
        mentions = [
            *inner.quads_for_pattern(node, None, None, None),
            *inner.quads_for_pattern(None, None, node, None),
        ]
        for quad in mentions:
            if any(isinstance(t, ox.BlankNode | ox.Triple) for t in (quad.subject, quad.object)):
                unsure.add(old)
                continue
            if quad.predicate.value == PLEDGE + "pledgedBy":
                continue  # rewritten per pledge above
            if _ours(quad.graph_name) and quad.subject == node and quad.predicate.value in _OWN:
                delete.append(_nq(quad))  # the node's description: written anew, in reference
                continue
            delete.append(_nq(quad))
            if new_node is not None:
                subject = new_node if quad.subject == node else quad.subject
                obj = new_node if quad.object == node else quad.object
                insert.append(_nq(ox.Quad(subject, quad.predicate, obj, quad.graph_name)))
            elif quad.graph_name == ox.NamedNode(INFERRED_GRAPH):
                stale = True
    reference = f"<{REFERENCE_GRAPH}>"
    for new in sorted(names):
        ordered = _ordered(names[new])
        insert.append(f"<{new}> <{RDF_TYPE}> <{PLEDGE}Authority> {reference} .")
        insert.append(f"<{new}> <{PLEDGE}governs> <{governs[new]}> {reference} .")
        label = ox.Literal(clean_name(ordered[0]), language="en")
        insert.append(f"<{new}> <{RDFS_LABEL}> {label} {reference} .")
        for other in ordered[1:]:
            if clean_name(other) != label.value:
                alternative = ox.Literal(other, language="en")
                insert.append(f"<{new}> <{SKOS_ALT_LABEL}> {alternative} {reference} .")
    renamed, unsure_publishers = _organizations(inner, delete, insert)
    twice = _names_twice(inner, exclude=set(old_nodes) | renamed)
    delete.extend(twice[0])
    insert.extend(twice[1])
    if not delete and not insert:
        return []
    update = (
        f"DELETE DATA {{ {_graphs(delete)} }} ;\n" if delete else ""
    ) + f"INSERT DATA {{ {_graphs(insert)} }}"
    inner.update(update)
    if stale:
        store.mark_inferred(stale=True)
    notes = []
    if old_nodes:
        notes.append(
            f"Note: the store's authority IRIs were written by an older pledgegraph; rewrote "
            f"{len(old_nodes)} as {len(names)} (authority/<region key>/<name>, IRI format "
            f"{IRI_FORMAT})"
        )
    if renamed:
        notes.append(
            f"Note: rewrote {len(renamed)} publisher or authority IRI"
            f"{'s' if len(renamed) != 1 else ''} written by an older pledgegraph (names with "
            f"letters and marks of any script, IRI format {IRI_FORMAT})"
        )
    if unsure_publishers:
        notes.append(
            "Note: publishers or authorities of different names had shared one IRI ("
            + ", ".join(f"<{o}>" for o in sorted(unsure_publishers))
            + "); their sources now name the first of those names: remove those sources "
            "and load them again"
        )
    if twice[0]:
        notes.append(
            "Note: shared nodes of the store named twice (or with runs of spaces) now keep one "
            "name per language; the other spellings are kept as alternative names"
        )
    if unsure:
        notes.append(
            "Note: could not tell which authority some pledges meant ("
            + ", ".join(f"<{o}>" for o in sorted(unsure))
            + "); remove their sources and load them again"
        )
    return notes


def _organizations(
    inner: QuadStore, delete: list[str], insert: list[str]
) -> tuple[set[str], set[str]]:
    """Rename publishers and authorities (of IRI format 2 or later) whose IRI is not the one
    their name gives now, everywhere they are mentioned; adds to ``delete`` and ``insert``.
    (Format 3: publishers' names in other scripts had only their ASCII letters in the IRI, or
    none: ``organization/unnamed``; format 4: names lost their combining marks, and names
    without letters were all ``unnamed``.) Returns the old IRIs renamed, and those that had
    merged nodes of different names (which source meant which cannot be told: they follow the
    node's main name)."""
    renamed: set[str] = set()
    merged: set[str] = set()
    kinds = (
        (SCHEMA + "Organization", ID + "organization/", SCHEMA + "name", SCHEMA + "alternateName"),
        (PLEDGE + "Authority", _AUTHORITY, RDFS_LABEL, SKOS_ALT_LABEL),
    )
    for type_iri, prefix, main, other in kinds:
        typed = inner.quads_for_pattern(
            None, ox.NamedNode(RDF_TYPE), ox.NamedNode(type_iri), _REFERENCE
        )
        for quad in list(typed):
            node = quad.subject
            if not isinstance(node, ox.NamedNode) or not node.value.startswith(prefix):
                continue
            region, slash, _ = node.value[len(prefix) :].rpartition("/")
            if prefix == _AUTHORITY and not slash:
                continue  # format 1: rewritten per pledge by migrate_identities

            def iri(name: str, region: str = region, prefix: str = prefix) -> str:
                if prefix == _AUTHORITY:
                    return authority_iri(region, name)
                return organization_iri(name)

            names = [
                q.object.value
                for predicate in (main, other)
                for q in inner.quads_for_pattern(node, ox.NamedNode(predicate), None, _REFERENCE)
                if isinstance(q.object, ox.Literal)
            ]
            mains = [
                q.object.value
                for q in inner.quads_for_pattern(node, ox.NamedNode(main), None, _REFERENCE)
                if isinstance(q.object, ox.Literal)
            ]
            if not mains:
                continue
            new = iri(_ordered(mains)[0])
            if new == node.value:
                continue
            mentions = [
                *inner.quads_for_pattern(node, None, None, None),
                *inner.quads_for_pattern(None, None, node, None),
            ]
            if any(
                isinstance(t, ox.BlankNode | ox.Triple)
                for q in mentions
                for t in (q.subject, q.object)
            ):
                continue  # (DELETE DATA cannot name a blank node): left as it is
            renamed.add(node.value)
            if any(iri(n) != new for n in names):
                merged.add(node.value)
            target = ox.NamedNode(new)
            for mention in mentions:
                delete.append(_nq(mention))
                subject = target if mention.subject == node else mention.subject
                obj = target if mention.object == node else mention.object
                insert.append(_nq(ox.Quad(subject, mention.predicate, obj, mention.graph_name)))
    return renamed, merged


def _ours(graph: object) -> bool:
    """The reference graph or a source graph: where our loaders wrote an authority (stores
    older than the reference graph kept it in each source's graph)."""
    return isinstance(graph, ox.NamedNode) and (
        graph == _REFERENCE or graph.value.startswith(SOURCE_GRAPH)
    )


def _old_authorities(inner: QuadStore) -> dict[str, set[str]]:
    """Authorities with an IRI of format 1, with their labels."""
    found: dict[str, set[str]] = {}
    typed = inner.quads_for_pattern(
        None, ox.NamedNode(RDF_TYPE), ox.NamedNode(PLEDGE + "Authority"), None
    )
    for quad in typed:
        iri = quad.subject
        if not isinstance(iri, ox.NamedNode) or not iri.value.startswith(_AUTHORITY):
            continue
        if "/" in iri.value[len(_AUTHORITY) :] or not _ours(quad.graph_name):
            continue  # format 2 already, or a file's own description
        found.setdefault(iri.value, set()).update(
            q.object.value
            for predicate in (RDFS_LABEL, SKOS_ALT_LABEL)
            for q in inner.quads_for_pattern(iri, ox.NamedNode(predicate), None, None)
            if isinstance(q.object, ox.Literal) and _ours(q.graph_name)
        )
    return found


def _pledge_region(
    inner: QuadStore, pledge: ox.NamedNode, graph: ox.NamedNode | ox.DefaultGraph
) -> str | None:
    """The region key of a pledge: as its own graph says, else as any graph says."""
    region = ox.NamedNode(PLEDGE + "region")
    for name in (graph, None):
        for quad in inner.quads_for_pattern(pledge, region, None, name):
            if isinstance(quad.object, ox.NamedNode) and quad.object.value.startswith(_REGION):
                return quad.object.value[len(_REGION) :]
    return None


def _names_twice(inner: QuadStore, *, exclude: set[str]) -> tuple[list[str], list[str]]:
    """Shared nodes (not in ``exclude``) with two names in one language, or a name with runs
    of white space: (delete, insert) quads that keep one name (:func:`_ordered`), white space
    collapsed, and make the others alternative names."""
    delete: list[str] = []
    insert: list[str] = []
    for predicate, alternative in NAME_PREDICATES.items():
        grouped: dict[tuple[str, str], list[ox.Literal]] = defaultdict(list)
        for quad in inner.quads_for_pattern(None, ox.NamedNode(predicate), None, _REFERENCE):
            subject, name = quad.subject, quad.object
            named = isinstance(subject, ox.NamedNode) and subject.value not in exclude
            if named and isinstance(name, ox.Literal):
                assert isinstance(subject, ox.NamedNode)
                grouped[(subject.value, name.language or "")].append(name)
        for (iri, language), found in sorted(grouped.items()):
            ordered = _ordered([n.value for n in found])
            first = clean_name(ordered[0])
            if len(ordered) == 1 and first == ordered[0]:
                continue
            for name in found:
                delete.append(f"<{iri}> <{predicate}> {name} <{REFERENCE_GRAPH}> .")
            tag = language or None
            insert.append(
                f"<{iri}> <{predicate}> {ox.Literal(first, language=tag)} <{REFERENCE_GRAPH}> ."
            )
            for other in ordered[1:]:
                if clean_name(other) != first:
                    name = ox.Literal(other, language=tag)
                    insert.append(f"<{iri}> <{alternative}> {name} <{REFERENCE_GRAPH}> .")
    return delete, insert


def _ordered(names: Iterable[str]) -> list[str]:
    """Names of one node, the one to keep first: written with single spaces, then the first
    in code-point order (capitals first: "Beijing Government" before "beijing government")."""
    return sorted(set(names), key=lambda n: (n != clean_name(n), n))


def _nq(quad: ox.Quad) -> str:
    graph = quad.graph_name
    tail = "" if isinstance(graph, ox.DefaultGraph) else f" {graph}"
    return f"{quad.subject} {quad.predicate} {quad.object}{tail} ."


def _graphs(lines: list[str]) -> str:
    """N-Quads lines as the body of INSERT DATA / DELETE DATA (GRAPH blocks)."""
    grouped: dict[str, list[str]] = defaultdict(list)
    for line in dict.fromkeys(lines):
        quad = next(iter(ox.parse(line.encode("utf-8"), ox.RdfFormat.N_QUADS)))
        graph = quad.graph_name
        triple = f"{quad.subject} {quad.predicate} {quad.object} ."
        grouped["" if isinstance(graph, ox.DefaultGraph) else str(graph)].append(triple)
    parts = []
    for graph, triples in sorted(grouped.items()):
        body = "\n".join(triples)
        parts.append(f"GRAPH {graph} {{ {body} }}" if graph else body)
    return "\n".join(parts)
