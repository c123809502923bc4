"""The pledgegraph vocabulary: namespaces, graph names and the bundled ontology files.

Nothing is read at import time; use :func:`read_text` or :func:`path` to reach the files.
"""

from __future__ import annotations

from importlib.resources import as_file, files
from importlib.resources.abc import Traversable

#: The ontology namespace (prefix ``pledge:``).
PLEDGE = "https://w3id.org/pledgegraph/ontology#"
#: The ontology IRI and its version IRI.
ONTOLOGY_IRI = "https://w3id.org/pledgegraph/ontology"
ONTOLOGY_VERSION = "0.1.0"
ONTOLOGY_VERSION_IRI = f"https://w3id.org/pledgegraph/ontology/{ONTOLOGY_VERSION}"
#: Base of data IRIs (regions, pledges, targets, sources ...).
ID = "https://w3id.org/pledgegraph/id/"
#: Base of target-kind and sector concepts.
KIND = "https://w3id.org/pledgegraph/kind/"
SECTOR = "https://w3id.org/pledgegraph/sector/"
#: Named graphs.
GRAPH = "https://w3id.org/pledgegraph/graph/"
ONTOLOGY_GRAPH = GRAPH + "ontology"
REFERENCE_GRAPH = GRAPH + "reference"
INFERRED_GRAPH = GRAPH + "inferred"
LINKS_GRAPH = GRAPH + "links"
SOURCE_GRAPH = GRAPH + "source/"

#: Prefixes used in queries, Turtle export and the JSON-LD context.
PREFIXES: dict[str, str] = {
    "pledge": PLEDGE,
    "pgid": ID,
    "kind": KIND,
    "sector": SECTOR,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "schema": "https://schema.org/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "time": "http://www.w3.org/2006/time#",
    "oa": "http://www.w3.org/ns/oa#",
    "dcterms": "http://purl.org/dc/terms/",
    "vann": "http://purl.org/vocab/vann/",
    "void": "http://rdfs.org/ns/void#",
    "sh": "http://www.w3.org/ns/shacl#",
    "wd": "http://www.wikidata.org/entity/",
    "gn": "https://sws.geonames.org/",
}

#: Target kinds (skos:notation of the pledge:TargetKind concepts), in display order.
TARGET_KINDS: tuple[str, ...] = (
    "firms",
    "parks",
    "brands",
    "applications",
    "funds",
    "talent",
    "alliances",
    "research_centres",
    "platforms",
    "standards",
    "other",
)


def resource(name: str) -> Traversable:
    """A bundled ontology file (``pledge.ttl``, ``shapes.ttl``, ``context.jsonld`` ...)."""
    return files("pledgegraph.ontology") / name


def read_text(name: str) -> str:
    """The text of a bundled ontology file."""
    return resource(name).read_text(encoding="utf-8")


__all__ = [
    "GRAPH",
    "ID",
    "INFERRED_GRAPH",
    "KIND",
    "LINKS_GRAPH",
    "ONTOLOGY_GRAPH",
    "ONTOLOGY_IRI",
    "PLEDGE",
    "PREFIXES",
    "REFERENCE_GRAPH",
    "SECTOR",
    "SOURCE_GRAPH",
    "TARGET_KINDS",
    "as_file",
    "read_text",
    "resource",
]
