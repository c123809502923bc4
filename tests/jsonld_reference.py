"""The JSON-LD writer as it was before the fast one (graph/export.py at 641e7c0), kept as the
reference the new writer must match byte for byte (tests/test_export_jsonld.py).

A copy, not an import: changing graph/export.py must not change what the tests compare with.
Only the list finder (``_lists``), the context and the N-Triples parsing helper are shared.
"""
# ruff: noqa

from __future__ import annotations

import functools
import json
from json.encoder import encode_basestring as _ENCODE_STRING
from typing import IO, Any

import pyoxigraph as ox

from pledgegraph.graph.export import _canonical_json, _lists, _parsed, context

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_FIRST, _REST, _NIL, _TYPE = _RDF + "first", _RDF + "rest", _RDF + "nil", _RDF + "type"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_NATIVE = frozenset(_XSD + t for t in ("string", "integer", "double", "boolean"))


class _JsonLd:
    """rdflib's JSON-LD compaction (``rdflib.plugins.serializers.jsonld.Converter``) for one
    subject at a time, with rdflib's own term selection (its ``Context``), so the same data
    gives the same nodes. Unlike rdflib, a blank node is always its own top-level node
    (rdflib reaches them by recursion), so nothing nests deeper than one ``@list``."""

    def __init__(self, ctx: dict[str, Any], lists: dict[str, list[Any]]) -> None:
        from rdflib.plugins.shared.jsonld.context import Context

        self.context = Context(ctx)
        self.lists = lists
        self._shrunk: dict[str, str] = {}
        self._symbols: dict[str, str] = {}
        self._terms: dict[tuple[str, str | None, str | None, bool], Any] = {}

    def shrink(self, iri: str) -> str:
        found = self._shrunk.get(iri)
        if found is None:
            found = self._shrunk[iri] = str(self.context.shrink_iri(iri))
        return found

    def symbol(self, iri: str) -> str:
        found = self._symbols.get(iri)
        if found is None:
            found = self._symbols[iri] = str(self.context.to_symbol(iri))
        return found

    def term(self, predicate: str, obj: Any, is_list: bool) -> Any:
        if isinstance(obj, ox.Literal):
            key = (predicate, None if obj.language else obj.datatype.value, obj.language, False)
        else:
            key = (predicate, None, None, is_list)
        if key in self._terms:
            return self._terms[key]
        from rdflib.plugins.shared.jsonld.context import UNDEF
        from rdflib.plugins.shared.jsonld.keys import ID, LIST, VOCAB

        context = self.context
        term = None
        if isinstance(obj, ox.Literal):
            term = context.find_term(predicate, key[1], language=key[2])
        else:
            for container in [LIST, None] if is_list else [None]:
                for coercion in (ID, VOCAB, UNDEF):
                    # None: no container (as rdflib's own converter passes it)
                    term = context.find_term(predicate, coercion, container)  # type: ignore[arg-type]
                    if term:
                        break
                if term:
                    break
        self._terms[key] = term
        return term

    def node(self, subject: Any, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        from rdflib.plugins.shared.jsonld.keys import LANG, LIST, SET

        context = self.context
        node: dict[str, Any] = {"@id": self.ident(subject)}
        for predicate, obj in pairs:
            is_list = isinstance(obj, ox.BlankNode) and obj.value in self.lists
            term = self.term(predicate, obj, is_list)
            value: Any = None
            use_set = False
            language = obj.language if isinstance(obj, ox.Literal) else None
            if term:
                key = term.name
                if term.type:
                    value = self.coerce(obj, term.type)
                elif term.language and language == term.language:
                    value = obj.value
                if LIST in term.container and is_list:
                    value = [
                        self.coerce(v, term.type) or self.raw(v) for v in self.lists[obj.value]
                    ]
                elif LANG in term.container and language:
                    by_language = node.setdefault(key, {})
                    values = by_language.get(language)
                    if values or SET in term.container:
                        if not isinstance(values, list):
                            by_language[language] = values = [values]
                        values.append(obj.value)
                    else:
                        by_language[language] = obj.value
                    continue
                elif SET in term.container:
                    use_set = True
            else:
                key = self.symbol(predicate)
                key_term = context.terms.get(key)
                if key_term and (key_term.type or key_term.container):
                    key = predicate
                if predicate == _TYPE:
                    if isinstance(obj, ox.NamedNode):
                        value = self.symbol(obj.value)
                    key = "@type"
            if value is None:
                value = self.raw(obj)
            held = node.get(key)
            if held is not None:
                if not isinstance(held, list):
                    node[key] = held = [held]
                held.append(value)
            else:
                node[key] = [value] if use_set else value
        return node

    def ident(self, term: Any) -> str:
        return "_:" + term.value if isinstance(term, ox.BlankNode) else self.shrink(term.value)

    def coerce(self, obj: Any, coercion: str) -> Any:
        from rdflib.plugins.shared.jsonld.keys import ID, VOCAB

        if coercion == ID:
            return self.ident(obj) if not isinstance(obj, ox.Literal) else obj.value
        if coercion == VOCAB and isinstance(obj, ox.NamedNode):
            return self.symbol(obj.value)
        if isinstance(obj, ox.Literal) and obj.datatype.value == coercion and not obj.language:
            return _lexical(obj)
        return None

    def raw(self, obj: Any) -> Any:
        if isinstance(obj, ox.BlankNode):
            items = self.lists.get(obj.value)
            if items is not None:
                return {"@list": [self.raw_item(v) for v in items]}
            return {"@id": "_:" + obj.value}
        if isinstance(obj, ox.NamedNode):
            if obj.value == _NIL:
                return {"@list": []}
            return {"@id": self.shrink(obj.value)}
        return self.raw_item(obj)

    def raw_item(self, obj: Any) -> Any:
        if not isinstance(obj, ox.Literal):
            return {"@id": self.ident(obj)}
        if obj.language:
            return {"@language": obj.language, "@value": obj.value}
        datatype = obj.datatype.value
        if datatype in _NATIVE:
            native = _native(obj.value, datatype)
            if native is not None:
                return native
        return {"@type": self.symbol(datatype), "@value": _lexical(obj)}


def _lexical(literal: ox.Literal) -> str:
    """A typed literal's lexical form as rdflib writes it (it normalises some: a dateTime's
    ``+00:00`` becomes ``Z``), so JSON-LD exports stay the bytes they were."""
    datatype = literal.datatype.value
    if datatype == _XSD + "string":
        return literal.value
    return _rdflib_lexical(literal.value, datatype)


@functools.lru_cache(maxsize=1 << 16)
def _rdflib_lexical(value: str, datatype: str) -> str:
    import rdflib

    from pledgegraph.graph.formats import quiet_rdflib

    quiet_rdflib()

    return str(rdflib.Literal(value, datatype=rdflib.URIRef(datatype)))


def _native(value: str, datatype: str) -> Any:
    """A literal as a JSON value (as rdflib's ``toPython``), or None if it is not well formed."""
    if datatype.endswith("#string"):
        return value
    if datatype.endswith("#integer"):
        try:
            return int(value.strip())
        except ValueError:
            return None
    if datatype.endswith("#boolean"):
        return {"true": True, "1": True, "false": False, "0": False}.get(value.strip())
    try:
        number = float(value)
    except ValueError:
        return None
    return number if number not in (float("inf"), float("-inf")) and number == number else None


def _indented(value: Any, pad: str, ordered: bool = False) -> str:
    """``json.dumps(_canonical_json(value), ensure_ascii=False, indent=2)``, the first line
    unindented and the others indented by ``pad`` more, in one pass (the json module's own
    indenting encoder is pure Python and was a third of the JSON-LD export's time)."""
    if isinstance(value, str):
        return _encode_string(value)
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = pad + "  "
        return (
            "{\n"
            + ",\n".join(
                f"{inner}{_encode_string(k)}: {_indented(v, inner, k == '@list')}"
                for k, v in sorted(value.items())
            )
            + "\n"
            + pad
            + "}"
        )
    if isinstance(value, list):
        if not value:
            return "[]"
        inner = pad + "  "
        items = value if ordered else sorted(value, key=_sort_text)
        return "[\n" + ",\n".join(inner + _indented(v, inner) for v in items) + "\n" + pad + "]"
    return json.dumps(value)


def _sort_text(value: Any) -> str:
    """The order of :func:`_canonical_json` for array items."""
    if isinstance(value, str):
        return _encode_string(value)
    return json.dumps(_canonical_json(value), sort_keys=True, ensure_ascii=False)


def _encode_string(text: str) -> str:
    return str(_ENCODE_STRING(text))


def write_jsonld(lines: list[bytes], out: IO[bytes]) -> None:
    """Sorted, distinct N-Triples lines (blank nodes labelled already) as compacted JSON-LD.

    One node object per subject, built as the subject's triples stream by (the lines are
    sorted, so a subject's triples are together), canonicalised (keys and values sorted) and
    written with ``json.dumps``; the nodes are then written in the order of their ``@id``.
    Memory: the lines and the written text, never a document of Python objects.
    """
    ctx = context()
    lists, consumed = _lists(lines)
    writer = _JsonLd(ctx, lists)
    texts: list[tuple[str, str]] = []
    subject: Any = None
    pairs: list[tuple[str, Any]] = []

    def flush() -> None:
        if subject is None or (isinstance(subject, ox.BlankNode) and subject.value in consumed):
            return
        node = writer.node(subject, pairs)
        texts.append((node["@id"], "    " + _indented(node, "    ")))

    import warnings

    with warnings.catch_warnings():  # rdflib warns on an ill-formed typed literal: kept as is
        warnings.simplefilter("ignore")
        for t in _parsed(lines, ox.RdfFormat.N_TRIPLES):
            if t.subject != subject:
                flush()
                subject, pairs = t.subject, []
            pairs.append((t.predicate.value, t.object))
        flush()
    texts.sort()
    head = json.dumps({"@context": ctx}, ensure_ascii=False, indent=2)[: -len("\n}")]
    if not texts:
        out.write((head + ',\n  "@graph": []\n}\n').encode("utf-8"))
        return
    out.write((head + ',\n  "@graph": [\n').encode("utf-8"))
    for i, (_, text) in enumerate(texts):
        out.write(((",\n" if i else "") + text).encode("utf-8"))
    out.write(b"\n  ]\n}\n")
