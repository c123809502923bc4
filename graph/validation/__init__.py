"""Validation: SHACL shapes and SPARQL rule checks, one report type.

In: a parsed fact sheet, an RDF file, or the whole store.
Out: a :class:`Report` of :class:`Problem` s, each with a severity, the node it is about and,
where known, the file and line; :func:`write_report` renders it as a table, JSON or CSV.

- :mod:`.checks` — the three entry points (:func:`validate_factsheet`, :func:`validate_rdf_file`,
  :func:`validate_store`), and :func:`validate_factsheets`: many sheets validated in batches,
  each sheet's report the one :func:`validate_factsheet` gives (what ``load`` runs);
- :mod:`.shacl` — ``ontology/shapes.ttl``: the ``shacl`` package (Rust, extra ``fast-shacl``)
  screens the data, pySHACL writes the report when there is something to report, or runs alone
  (``--shacl-engine``/``$PLEDGEGRAPH_SHACL_ENGINE``); both imported only when they run;
- :mod:`.rules` — named SPARQL rules with severities;
- :mod:`.report` — reports as text.
"""

from pledgegraph.graph.validation.checks import (
    Problem,
    Report,
    validate_factsheet,
    validate_factsheets,
    validate_rdf_file,
    validate_store,
)
from pledgegraph.graph.validation.report import problem_line, write_report

__all__ = [
    "Problem",
    "Report",
    "problem_line",
    "validate_factsheet",
    "validate_factsheets",
    "validate_rdf_file",
    "validate_store",
    "write_report",
]
