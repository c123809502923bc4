"""The HTTP server: a SPARQL 1.1 endpoint, the stored questions as a web API, Linked Data and pages.

In: a store path and :class:`~pledgegraph.server.config.ServerConfig`; out: an ASGI app
(:func:`pledgegraph.server.app.create_app`) that ``pledgegraph serve`` runs with uvicorn in
several HTTP worker processes under a supervisor (:mod:`pledgegraph.server.supervisor`). The
server only parses requests, calls library functions and formats their results: SPARQL runs in
threads of the worker (:mod:`pledgegraph.server.workers`; a runaway query retires its process),
writes go through the supervisor, which holds the store, to the store's own validated methods,
pages are Jinja2 templates with server-side SVG charts.
Nothing here is imported by the rest of pledgegraph.
"""
