"""pledgegraph: a SPARQL knowledge graph of government technology pledges.

Importing this package reads no files and imports no heavy library; the parts live in
``pledgegraph.graph`` (store, queries, export), ``pledgegraph.loaders`` (fact sheets, extractor,
RDF writer), ``pledgegraph.ontology`` and ``pledgegraph.queries``.
"""

from pledgegraph._version import __version__

__all__ = ["__version__"]
