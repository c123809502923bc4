"""The article extractor: English article text -> a fact sheet for review, with spans.

In: plain text (read by :mod:`pledgegraph.loaders.text`) and a :class:`~pledgegraph.loaders.facts.Source`
(its ``published`` date resolves relative deadlines). Out: a
:class:`~pledgegraph.loaders.facts.FactSheet` whose targets carry character spans into the text
and a confidence; :data:`EXTRACTOR_AGENT` names the extractor and version for provenance.

The stages, in pipeline order (:mod:`.pipeline` runs them; :func:`extract` is the entry point):

0. :mod:`.page` — what the page says about itself: source line, publisher, address, date line;
1. :mod:`.units` — sentences, list items with their lead, headlines; tokens;
2. :mod:`.regions` — region mentions, districts and zones that act, the region of each target;
3. :mod:`.kinds` — kind labels and counted nouns outside them (kind ``other``); sector labels;
4. :mod:`.quantities` — the modifiers and quantity before a kind label;
5. :mod:`.targets` — candidates, what governs them, which are pledged, their confidence;
6. :mod:`.deadlines` — the deadline of each target, and of a section under a goal heading;
7. :mod:`.sheet` — targets grouped into pledges (region, deadline, acting unit): the fact sheet.

See ``docs/extraction.md`` for the rules and their known failure modes.

:mod:`.state` is what the reading carries from unit to unit; :mod:`.patterns` holds numbers,
quantities, deadlines, verbs and cues as regular expressions; :mod:`.vocabulary` the target kinds
and sectors from the ontology's SKOS labels, and the region names.
"""

from pledgegraph.loaders.extraction.pipeline import EXTRACTOR_AGENT, extract

__all__ = ["EXTRACTOR_AGENT", "extract"]
