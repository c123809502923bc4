"""Stored SPARQL questions: ``queries/*.rq`` with decorators in the style of grlc.

A file starts with ``#+ key: value`` lines (``summary``, ``description``, ``tags``, ``defaults``).
Variables named ``?_name_type`` are required parameters and ``?__name_type`` optional ones;
values are bound by the library as typed RDF terms (pyoxigraph ``substitutions``), never pasted
into the query text.

Parameter types: ``iri``, ``integer``, ``decimal``, ``string``, ``date``, ``boolean``, ``year``
(an xsd:integer year), plus the pledgegraph shorthands ``region`` (an ISO code or region name),
``kind`` (a target-kind notation) and ``sector`` (a sector notation), which bind IRIs (in
any case, with spaces or hyphens for ``_``: ``Research Centres`` is ``research_centres``).
These types are ours: grlc's rewriter would read them as language tags, so grlc cannot serve
these files (README, "Stored questions").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

import pyoxigraph as ox
import yaml

from pledgegraph.errors import QueryError
from pledgegraph.ontology import ID, KIND, PREFIXES, SECTOR, TARGET_KINDS

XSD = "http://www.w3.org/2001/XMLSchema#"
_PARAM = re.compile(r"\?(__?)([A-Za-z][A-Za-z0-9]*)_([a-z]+)\b")
_TYPES = (
    "iri",
    "integer",
    "decimal",
    "string",
    "date",
    "boolean",
    "year",
    "region",
    "kind",
    "sector",
)
_DECORATOR = re.compile(r"^#\+ ?(.*)$")


@dataclass(frozen=True, slots=True)
class Parameter:
    """A parameter of a stored query."""

    name: str
    type: str
    required: bool
    default: str | None = None

    @property
    def variable(self) -> str:
        return f"{'_' if self.required else '__'}{self.name}_{self.type}"


@dataclass(frozen=True, slots=True)
class StoredQuery:
    """A named, documented SPARQL query with typed parameters."""

    name: str
    summary: str
    description: str
    sparql: str
    parameters: tuple[Parameter, ...] = field(default_factory=tuple)
    tags: tuple[str, ...] = field(default_factory=tuple)

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)

    @property
    def needs_inferred(self) -> bool:
        """Tagged ``reasoning``: the question reads the inferred graph (``pledgegraph reason``)
        and answers nothing without it."""
        return "reasoning" in self.tags


def _code_only(sparql: str) -> str:
    """The query with comments, strings and IRIs blanked out (so ``?_x`` in them is no parameter)."""
    parts = []
    for match in _TOKEN.finditer(sparql):
        if match.lastgroup in ("comment", "string", "iri"):
            parts.append(" " * len(match.group()))
        else:
            parts.append(match.group())
    return "".join(parts)


def parse_stored_query(name: str, text: str) -> StoredQuery:
    """Read the decorators and parameters of one ``.rq`` file."""
    header = []
    for line in text.splitlines():
        match = _DECORATOR.match(line)
        if match:
            header.append(match.group(1))
        elif line.strip() and not line.startswith("#"):
            break
    try:
        meta = yaml.safe_load("\n".join(header)) or {} if header else {}
    except yaml.YAMLError as exc:
        raise QueryError(
            f"the #+ decorators are not valid YAML: {exc}".replace("\n", " "),
            query_name=name,
            hint="quote values that contain ': '",
        ) from None
    if not isinstance(meta, dict):
        raise QueryError("the #+ decorators are not a YAML mapping", query_name=name)
    defaults: dict[str, str] = {}
    for entry in meta.get("defaults") or []:
        if isinstance(entry, dict):
            defaults.update({str(k): str(v) for k, v in entry.items()})
    seen: dict[str, Parameter] = {}
    for match in _PARAM.finditer(_code_only(text)):
        underscores, pname, ptype = match.groups()
        if ptype not in _TYPES:
            raise QueryError(
                f"parameter ?{underscores}{pname}_{ptype} has an unknown type", query_name=name
            )
        seen.setdefault(pname, Parameter(pname, ptype, underscores == "_", defaults.get(pname)))
    tags = meta.get("tags") or []
    return StoredQuery(
        name=name,
        summary=str(meta.get("summary", "")).strip(),
        description=str(meta.get("description", "")).strip(),
        sparql=text,
        parameters=tuple(seen.values()),
        tags=tuple(str(t) for t in tags),
    )


@cache
def catalogue() -> dict[str, StoredQuery]:
    """Every bundled stored query, by name (the file name without ``.rq``), sorted."""
    folder = files("pledgegraph.queries")
    found = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            name = entry.name[: -len(".rq")]
            found[name] = parse_stored_query(name, entry.read_text(encoding="utf-8"))
    return found


def get(name: str, *, listing: str = "run 'pledgegraph queries' to list them") -> StoredQuery:
    """The stored query ``name``; a :class:`QueryError` with close names if there is none
    (else ``listing``, how to see them all)."""
    if re.fullmatch(r"[A-Za-z0-9_-]{1,100}", name):  # a file name: no need to parse them all
        entry = files("pledgegraph.queries") / f"{name}.rq"  # (a 3,000-character name is no
        if entry.is_file():  # file name the system takes: it raised OSError, a 500)
            return parse_stored_query(name, entry.read_text(encoding="utf-8"))
    queries = catalogue()
    import difflib

    close = difflib.get_close_matches(name, list(queries), n=3, cutoff=0.6)
    hint = f"did you mean {' or '.join(close)}?" if close else listing
    raise QueryError("no such stored query", query_name=_cut(name), hint=hint)


#: How hints write a parameter: ``--param year=2022`` on the command line, ``year=2022`` in a URL.
CLI_FLAG = "--param "
URL_FLAG = ""


def _bad(
    query: StoredQuery,
    param: Parameter,
    value: str,
    expected: str,
    choices: Sequence[str] = (),
    *,
    flag: str = CLI_FLAG,
) -> QueryError:
    hint = f"give {flag}{param.name}=<{param.type}>"
    closest = _closest(value, choices)
    if closest:
        hint = f"did you mean {flag}{param.name}={closest}?"
    return QueryError(
        f"parameter {param.name}={_shown(value)} is not {expected}",
        query_name=query.name,
        hint=hint,
    )


def _shown(value: str, limit: int = 80) -> str:
    """``value`` quoted for a message, cut to ``limit`` characters with its length named (a
    5 KB parameter is not echoed whole)."""
    if len(value) <= limit:
        return repr(value)
    return f"{value[:limit]!r}… ({len(value)} characters)"


def _cut(value: str, limit: int = 80) -> str:
    """``value`` cut to ``limit`` characters with "…" (names echoed in a message's place)."""
    return value if len(value) <= limit else value[:limit] + "…"


def _closest(value: str, choices: Sequence[str]) -> str | None:
    """The choice ``value`` most likely meant: the same but for case, spaces and hyphens, or
    a close spelling ("Parks", "research centres", "prks")."""
    if not choices:
        return None
    key = re.sub(r"[\s-]+", "_", value.strip().lower())
    if key in choices:
        return key
    import difflib

    close = difflib.get_close_matches(key, choices, n=1, cutoff=0.75)
    return close[0] if close else None


#: What is trimmed from a parameter value: ASCII spaces, tabs and line ends.
ASCII_SPACE = " \t\r\n"


def notation(text: str) -> str:
    """A kind or sector value as typed, in the form of the notations: lower case with "_"
    ("Firms" is firms, as cn-he is CN-HE; "research centres" and "Big-Data" are
    research_centres and big_data). ASCII only: ``lower()`` would make the Kelvin sign a k."""
    text = text.strip(ASCII_SPACE)
    return re.sub(r"[ \t-]+", "_", text.lower()) if text.isascii() else text


def _term(
    query: StoredQuery, param: Parameter, value: str, flag: str = CLI_FLAG
) -> ox.NamedNode | ox.Literal:
    kind = param.type
    text = value.strip(ASCII_SPACE)  # (str.strip() would also drop control characters)
    if kind in ("integer", "year"):
        if not re.fullmatch(r"[+-]?[0-9]{1,18}", text):
            digits = re.fullmatch(r"[+-]?[0-9]+", text) is not None  # (too many of them)
            year = kind == "year" or param.name == "year"
            if digits:
                wanted = "a year from 1 to 9999" if year else "a whole number of at most 18 digits"
            else:
                wanted = "a whole number" if kind == "integer" else "a year such as 2022"
            return _raise(_bad(query, param, value, wanted, flag=flag))
        if (kind == "year" or param.name == "year") and not 1 <= int(text) <= 9999:
            # (a new user's trial: year=20222 listed every park, year=-5 none, without a word;
            # deadlines are years 1 to 9999, as fact sheets have them)
            return _raise(_bad(query, param, value, "a year from 1 to 9999", flag=flag))
        return ox.Literal(str(int(text)), datatype=ox.NamedNode(XSD + "integer"))
    if kind == "decimal":
        if not re.fullmatch(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)", text):
            return _raise(_bad(query, param, value, "a number", flag=flag))
        whole, _, fraction = text.lstrip("+-").partition(".")
        if len(whole.lstrip("0")) > 20 or len(fraction.rstrip("0")) > 18:
            # (Oxigraph compares decimals with 18 digits after the point, in 128 bits: an
            # attack's 0.800000000000000000000000000001 was rounded to 0.8 without a word)
            wanted = "a number of at most 20 digits before the point and 18 after it"
            return _raise(_bad(query, param, value, wanted, flag=flag))
        from decimal import Decimal, localcontext

        with localcontext() as exact:
            exact.prec = 60
            number = Decimal(text)
            canonical = "0" if number == 0 else format(number.normalize(), "f")  # Oxigraph's
        return ox.Literal(canonical, datatype=ox.NamedNode(XSD + "decimal"))
    if kind == "boolean":
        if text.lower() not in ("true", "false"):
            return _raise(_bad(query, param, value, "true or false", flag=flag))
        return ox.Literal(text.lower(), datatype=ox.NamedNode(XSD + "boolean"))
    if kind == "date":
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            return _raise(_bad(query, param, value, "a date YYYY-MM-DD", flag=flag))
        import datetime as dt

        try:
            dt.date.fromisoformat(text)
        except ValueError:
            return _raise(_bad(query, param, value, "a real date YYYY-MM-DD", flag=flag))
        return ox.Literal(text, datatype=ox.NamedNode(XSD + "date"))
    if kind == "string":
        return ox.Literal(value)
    if kind in ("kind", "sector"):
        text = notation(text)
    if kind == "kind":
        if text not in TARGET_KINDS:
            return _raise(
                _bad(
                    query,
                    param,
                    value,
                    "a target kind (" + ", ".join(TARGET_KINDS) + ")",
                    TARGET_KINDS,
                    flag=flag,
                )
            )
        return ox.NamedNode(KIND + text)
    if kind == "sector":
        from pledgegraph.loaders.factsheet import SECTORS

        if text not in SECTORS:
            return _raise(
                _bad(
                    query,
                    param,
                    value,
                    "a sector (" + ", ".join(SECTORS) + ")",
                    tuple(SECTORS),
                    flag=flag,
                )
            )
        return ox.NamedNode(SECTOR + text)
    if kind == "region":
        from pledgegraph.loaders.regions import gazetteer

        # (a value with other spaces or control characters at its ends is no region)
        region = gazetteer().resolve(text) if text == text.strip() else None
        if region is None and "_" in text:
            region = gazetteer().resolve(text.replace("_", "-"))  # cn_he: CN-HE
        if region is None:
            bare = text.strip().replace("_", "-")
            meant = gazetteer().resolve(bare)  # one with other spaces or controls around it
            close = [meant.iso_code or meant.key] if meant else gazetteer().closest(bare)
            raise QueryError(
                f"parameter {param.name}={_shown(value)} is not a region the gazetteer knows",
                query_name=query.name,
                hint=f"did you mean {' or '.join(close)}?"
                if close
                else "use an ISO code such as CN-HE",
            )
        return ox.NamedNode(f"{ID}region/{region.key}")
    # iri: absolute, or a known prefix
    prefix, colon, rest = text.partition(":")
    if colon and prefix in PREFIXES and not rest.startswith("//"):
        text = PREFIXES[prefix] + rest
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*", text):
        return _raise(
            _bad(
                query,
                param,
                value,
                "an absolute IRI or a prefixed name such as pgid:region/CN-HE",
                flag=flag,
            )
        )
    try:
        return ox.NamedNode(text)
    except ValueError:
        return _raise(_bad(query, param, value, "a valid IRI", flag=flag))


def _raise(error: QueryError) -> ox.NamedNode:
    raise error


def values_once(query: StoredQuery, pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """``name -> value`` from ``(name, value)`` pairs; a name given twice is an error.

    The CLI (``-p year=2020 -p year=2022``) and the server (``?year=2020&year=2022``) both go
    through this, so neither silently keeps one of the values and the message is the same.
    """
    values: dict[str, str] = {}
    for name, value in pairs:
        if name in values:
            raise QueryError(
                f"parameter {_shown(name)} is given twice",
                query_name=query.name,
                hint="give it once",
            )
        values[name] = value
    return values


def bind(
    query: StoredQuery, values: dict[str, str], *, flag: str = CLI_FLAG
) -> dict[ox.Variable, ox.NamedNode | ox.Literal]:
    """Typed substitutions for ``query`` from ``name -> text`` values (defaults filled in).

    ``flag`` is how a message's hint writes a parameter: ``--param year=…`` for the CLI,
    ``year=…`` (:data:`URL_FLAG`) for the web API and pages.
    """
    for name in values:
        if query.parameter(name) is None:
            known = ", ".join(p.name for p in query.parameters)
            raise QueryError(
                f"unknown parameter {_shown(name)}",
                query_name=query.name,
                hint=f"this query takes: {known}" if known else "this query takes no parameters",
            )
    bound: dict[ox.Variable, ox.NamedNode | ox.Literal] = {}
    for param in query.parameters:
        value = values.get(param.name, param.default)
        if value is None:
            if param.required:
                raise QueryError(
                    f"missing parameter {param.name!r}",
                    query_name=query.name,
                    hint=f"give {flag}{param.name}=<{param.type}>",
                )
            continue
        try:
            bound[ox.Variable(param.variable)] = _term(query, param, value, flag)
        except ValueError:  # e.g. text that is not valid Unicode (lone surrogates)
            raise _bad(query, param, value, "valid text", flag=flag) from None
    return bound


_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<open>\{)
  | (?P<close>\})
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


def _where_brace(sparql: str) -> int:
    """Offset just after the ``{`` that opens the query's top-level WHERE group."""
    depth = 0
    previous = ""
    first_open = -1
    form = ""
    for match in _TOKEN.finditer(sparql):
        kind = match.lastgroup
        if kind in ("comment", "string", "iri"):
            continue
        if kind == "other":
            if not match.group().isspace():
                previous = match.group()
            continue
        if kind == "word":
            word = match.group().upper()
            if depth == 0 and not form and word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
                form = word
            previous = word
            continue
        if kind == "open":
            if depth == 0:
                if previous == "WHERE":
                    return match.end()
                if first_open < 0 and form in ("SELECT", "ASK", "DESCRIBE"):
                    first_open = match.end()
            depth += 1
        else:
            depth -= 1
        previous = match.group()
    if first_open >= 0:
        return first_open
    raise QueryError(
        "cannot find the query's WHERE clause to bind parameters", hint="check the query"
    )


def with_values(sparql: str, bindings: dict[ox.Variable, ox.NamedNode | ox.Literal]) -> str:
    """The query with a ``VALUES`` block of typed terms at the start of its WHERE group.

    Terms are written by pyoxigraph in N-Triples syntax (escaped), so a value can never change
    the query's structure. Parameters must be used in the top-level group, not only inside a
    sub-select.
    """
    if not bindings:
        return sparql
    at = _where_brace(sparql)
    names = " ".join(str(v) for v in bindings)
    values = " ".join(str(t) for t in bindings.values())
    block = f"\n  VALUES ({names}) {{ ({values}) }}\n"
    return sparql[:at] + block + sparql[at:]
