"""The OpenAPI 3 document of the web API, generated from the stored questions' decorators.

Each ``queries/*.rq`` file becomes ``GET /api/{name}``: its ``#+ summary``/``description`` are the
operation's, its ``?_name_type`` / ``?__name_type`` variables its query parameters (required or
optional, with the ``#+ defaults``), typed as the binding checks them.
"""

from __future__ import annotations

from typing import Any

from pledgegraph.server.negotiation import RDF_TYPES, RESULT_TYPES

#: Parameter types -> JSON Schema (the binding's checks, as far as a schema can say them).
_SCHEMAS: dict[str, dict[str, Any]] = {
    "integer": {"type": "string", "pattern": r"^\s*[+-]?\d{1,18}\s*$"},
    "year": {"type": "string", "pattern": r"^\s*\+?0*[1-9]\d{0,3}\s*$"},  # 1 to 9999
    "decimal": {"type": "string", "pattern": r"^\s*[+-]?(\d{1,20}(\.\d{0,18})?|\.\d{1,18})\s*$"},
    "boolean": {"type": "string", "enum": ["true", "false"]},
    "date": {"type": "string", "format": "date"},
    "string": {"type": "string"},
    "iri": {"type": "string"},
    "region": {"type": "string"},
}

_ERROR = {"$ref": "#/components/schemas/Error"}


def _parameter_schema(kind: str, name: str = "") -> dict[str, Any]:
    if kind == "integer" and name == "year":  # (a year, checked as one: queries._term)
        kind = "year"
    if kind == "kind":
        from pledgegraph.ontology import TARGET_KINDS

        return {"type": "string", "enum": list(TARGET_KINDS)}
    if kind == "sector":
        from pledgegraph.loaders.factsheet import SECTORS

        return {"type": "string", "enum": list(SECTORS)}
    return dict(_SCHEMAS[kind])


def _error_response(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ERROR}}}


def _results_content() -> dict[str, Any]:
    content: dict[str, Any] = {
        RESULT_TYPES["json"]: {"schema": {"$ref": "#/components/schemas/SparqlResults"}}
    }
    for name, media in {**RESULT_TYPES, **RDF_TYPES}.items():
        if name != "json":
            content[media] = {"schema": {"type": "string"}}
    return content


def _operation(query: Any) -> dict[str, Any]:
    parameters = []
    for param in query.parameters:
        schema = _parameter_schema(param.type, param.name)
        if param.default is not None:
            schema["default"] = param.default
        parameters.append(
            {
                "name": param.name,
                "in": "query",
                "required": param.required and param.default is None,
                "description": f"{param.type} parameter ?{param.variable}",
                "schema": schema,
            }
        )
    parameters.append({"$ref": "#/components/parameters/format"})
    parameters.append({"$ref": "#/components/parameters/inferred"})
    return {
        "operationId": "query_" + query.name.replace("-", "_"),
        "summary": query.summary or query.name,
        "description": query.description,
        "tags": list(query.tags) or ["questions"],
        "parameters": parameters,
        "responses": {
            "200": {"description": "The question's answer", "content": _results_content()},
            "400": _error_response(
                "A parameter is missing, has a bad value or is given twice, or the URL has a "
                "broken percent-escape"
            ),
            "406": _error_response("The Accept header matches none of the formats given"),
            "413": _error_response("The result is larger than the server's limit"),
            "414": _error_response("The URL is longer than the server reads (32 768 bytes)"),
            "503": _error_response("The query ran past the server's time limit and was stopped"),
        },
    }


def _write_operations() -> dict[str, Any]:
    secured: dict[str, Any] = {"security": [{"bearer": []}]}
    errors = {
        "400": _error_response("The request cannot be carried out"),
        "401": _error_response("No valid bearer token"),
        "403": _error_response("Writes are off"),
    }
    ok = {"description": "Done", "content": {"application/json": {"schema": {"type": "object"}}}}
    return {
        "/api/store/sources": {
            "post": {
                **secured,
                "operationId": "load_source",
                "summary": "Load a fact sheet (validated, all or nothing; replaces its source)",
                "parameters": [
                    {
                        "name": name,
                        "in": "query",
                        "required": False,
                        "description": what,
                        "schema": {"type": "string", "enum": ["true", "false"]},
                    }
                    for name, what in (
                        ("lenient", "Load even when validation finds errors (as --lenient)"),
                        ("replace", "Replace a source holding the same article (as --replace)"),
                    )
                ],
                "requestBody": {
                    "required": True,
                    "content": {"application/yaml": {"schema": {"type": "string"}}},
                },
                "responses": {
                    "200": ok,
                    **errors,
                    "413": _error_response("The body is too large"),
                    "415": _error_response("Not a fact sheet"),
                    "409": _error_response("It conflicts with a source (replace=true)"),
                    "422": _error_response("The fact sheet does not validate"),
                },
            },
            "delete": {
                **secured,
                "operationId": "remove_source",
                "summary": "Remove a source (by graph=IRI, or source=key, graph IRI or URL)",
                "parameters": [
                    {"name": name, "in": "query", "required": False, "schema": {"type": "string"}}
                    for name in ("graph", "source")
                ],
                "responses": {"200": ok, **errors, "404": _error_response("No such graph")},
            },
        },
        "/api/store/reason": {
            "post": {
                **secured,
                "operationId": "reason",
                "summary": "Rebuild the inferred graph (OWL 2 RL)",
                "responses": {"200": ok, **errors},
            }
        },
        "/api/store/link": {
            "post": {
                **secured,
                "operationId": "link",
                "summary": "Link regions to Wikidata, GeoNames and ISO 3166 (offline table)",
                "responses": {"200": ok, **errors},
            }
        },
    }


def document(*, write: bool = False) -> dict[str, Any]:
    """The OpenAPI 3.1 document (write operations only when the server takes writes)."""
    from pledgegraph._version import __version__
    from pledgegraph.queries import catalogue

    paths: dict[str, Any] = {
        "/api/queries": {
            "get": {
                "operationId": "list_queries",
                "summary": "The stored questions and their parameters",
                "responses": {
                    "200": {
                        "description": "The catalogue",
                        "content": {
                            "application/json": {
                                "schema": {"type": "array", "items": {"type": "object"}}
                            }
                        },
                    }
                },
            }
        }
    }
    for query in catalogue().values():
        paths[f"/api/{query.name}"] = {"get": _operation(query)}
    if write:
        paths.update(_write_operations())
    formats = [*RESULT_TYPES, *RDF_TYPES]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "pledgegraph",
            "version": __version__,
            "description": "Stored questions about government technology pledges, as a web API "
            "(one GET per queries/*.rq file). The SPARQL 1.1 endpoint is at /sparql.",
        },
        "paths": paths,
        "components": {
            "parameters": {
                "format": {
                    "name": "format",
                    "in": "query",
                    "required": False,
                    "description": "Result format (overrides the Accept header)",
                    "schema": {"type": "string", "enum": formats},
                },
                "inferred": {
                    "name": "inferred",
                    "in": "query",
                    "required": False,
                    "description": "false: leave the inferred graph out (the asserted view)",
                    "schema": {"type": "string", "enum": ["true", "false"]},
                },
            },
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error", "status"],
                    "properties": {
                        "error": {"type": "string"},
                        "status": {"type": "integer"},
                        "problems": {"type": "array", "items": {"type": "string"}},
                    },
                },
                "SparqlResults": {
                    "type": "object",
                    "required": ["head"],
                    "properties": {
                        "head": {"type": "object"},
                        "results": {
                            "type": "object",
                            "required": ["bindings"],
                            "properties": {
                                "bindings": {"type": "array", "items": {"type": "object"}}
                            },
                        },
                        "boolean": {"type": "boolean"},
                    },
                },
            },
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
