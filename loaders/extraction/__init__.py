"""The article extractor: English article text -> a fact sheet for review, with spans.

In: plain text (read by :mod:`pledgegraph.loaders.text`) and a :class:`~pledgegraph.loaders.facts.Source`
(its ``published`` date resolves relative deadlines). Out: a
:class:`~pledgegraph.loaders.facts.FactSheet` whose targets carry character spans into the text
and a confidence; :data:`EXTRACTOR_AGENT` names the extractor and version for provenance.

The stages, in pipeline order (:mod:`.pipeline` runs them; :func:`extract` is the entry point):

1. :mod:`.units` — sentences, list items with their lead, headlines; tokens;
2. :mod:`.regions` — region mentions and the region each target is for;
3. :mod:`.kinds` — kind labels (the noun heads of targets) and sector labels;
4. :mod:`.quantities` — the modifiers and quantity before a kind label;
5. :mod:`.targets` — candidates, what governs them, which are pledged, their confidence;
6. :mod:`.deadlines` — the deadline of each target;
7. :mod:`.sheet` — targets grouped into pledges: the fact sheet.

:mod:`.state` is what the reading carries from unit to unit; :mod:`.patterns` holds numbers,
quantities, deadlines, verbs and cues as regular expressions; :mod:`.vocabulary` the target kinds
and sectors from the ontology's SKOS labels, and the region names.
"""

from pledgegraph.loaders.extraction.pipeline import EXTRACTOR_AGENT, extract

__all__ = ["EXTRACTOR_AGENT", "extract"]
