"""OWL 2 RL reasoning over the store.

In: the store's asserted graphs (ontology, reference data, sources, links).
Out: the entailments (super-classes, super-properties, inverses, transitive ``partOf``) written
to the rebuildable inferred graph, and a :class:`ReasonReport`; or, with :func:`check_profile`,
the places where the schema leaves the OWL 2 RL profile.

- :mod:`.engine` — the rules as SPARQL updates run inside the store (the engine);
- :mod:`.owlrl` — owlrl, the reference reasoner, used to close the schema and as a test oracle;
- :mod:`.profile` — the OWL 2 RL syntactic checks.
"""

from pledgegraph.graph.reasoning.engine import ReasonReport, is_current, materialise
from pledgegraph.graph.reasoning.profile import ProfileIssue, check_profile

__all__ = ["ProfileIssue", "ReasonReport", "check_profile", "is_current", "materialise"]
