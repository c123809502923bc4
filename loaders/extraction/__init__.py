"""The article extractor: English article text -> a fact sheet for review, with spans.

In: plain text (read by :mod:`pledgegraph.loaders.text`) and a :class:`Source`.
Out: a :class:`FactSheet` whose targets carry character spans and a confidence.

- :mod:`.pipeline` — the stages, in order (:func:`extract`);
- :mod:`.patterns` — numbers, quantities, deadlines, verbs and cues as regular expressions;
- :mod:`.vocabulary` — target kinds and sectors from the ontology's SKOS labels, and regions.
"""
