"""Links from the graph's regions to other open data, and the guard on federated queries.

In: the store's ``pledge:Region`` nodes (and optionally a Wikidata-shaped SPARQL endpoint).
Out: ``owl:sameAs`` links to Wikidata and GeoNames plus ISO 3166 codes in the links graph,
described as VoID linksets; a review CSV of uncertain matches; and, for queries with
``SERVICE``, an allow-list check and a relay that bounds every remote request in time and size.

- :mod:`.run` — ``pledgegraph link`` as one call (:func:`run_link`);
- :mod:`.links` — the offline link table and the links graph (:func:`link`, :func:`link_regions`);
- :mod:`.countries` — bundled Wikidata/GeoNames ids of the ISO 3166-1 countries;
- :mod:`.reconcile` — matching unknown regions against an endpoint;
- :mod:`.federation` — the SERVICE guard, allow-list and relay (used by
  :func:`pledgegraph.graph.query.run`, the one way SPARQL is run);
- :mod:`.http` — the small SPARQL-protocol client they share.
"""
