"""Fact sheets (``*.pledges.yaml``): read, check and write.

A fact sheet holds one source and the pledges it reports (format: README "Fact sheets",
JSON Schema: ``loaders/data/factsheet.schema.json``). Reading checks every value and reports the
first problem as ``<file>:<line>: <what is wrong>; <what to do>``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, TypeVar

import yaml

from pledgegraph.errors import FactSheetError
from pledgegraph.loaders.facts import (
    MAX_DIGITS,
    MAX_TEXT,
    FactSheet,
    PartialDate,
    Pledge,
    Quantity,
    Source,
    Target,
    count_fits,
)
from pledgegraph.loaders.regions import gazetteer
from pledgegraph.ontology import TARGET_KINDS

SECTORS: tuple[str, ...] = (
    "blockchain",
    "ai",
    "big_data",
    "cloud_computing",
    "semiconductors",
    "5g",
    "iot",
    "quantum",
    "biotech",
    "new_energy",
    "robotics",
    "fintech",
    "digital_economy",
    "other",
)

_SOURCE_FIELDS = {"url", "title", "publisher", "published", "reported_via", "text_sha256", "key"}
_PLEDGE_FIELDS = {
    "region",
    "authority",
    "plan",
    "description",
    "announced",
    "deadline",
    "sector",
    "targets",
}
_TARGET_FIELDS = {
    "kind",
    "quantity",
    "approximate",
    "bound",
    "qualifier",
    "description",
    "deadline",
    "sector",
    "span",
    "quote",
    "confidence",
}


@dataclass(frozen=True, slots=True)
class _Node:
    """A YAML value with the line it starts on (1-based)."""

    value: Any
    line: int


class _Oversized(str):
    """A YAML integer with more than :data:`MAX_DIGITS` digits, kept as its text."""

    __slots__ = ()


class _NotDecimal(str):
    """A YAML 1.1 integer not in plain decimal digits (``0x10``, ``1_000``, ``0o17``, ``010``,
    ``1:30``), kept as written: such a count is almost always a slip, and the reader refuses
    it rather than guess (``0x10`` would be 16, ``010`` would be 8)."""

    __slots__ = ()


_DECIMAL = re.compile(r"-?(0|[1-9][0-9]*)")  # "+5" is not plain digits either


class _YamlProblem(Exception):
    """A YAML construct fact sheets do not allow, at a line."""

    def __init__(self, line: int, problem: str, hint: str) -> None:
        super().__init__(problem)
        self.line, self.problem, self.hint = line, problem, hint


_MAX_DEPTH = 64  # a fact sheet nests 5 deep; anything deeper is not one


def _convert(node: yaml.Node, depth: int = 0) -> _Node:
    """The plain value of a composed node, with lines.

    A tag that changes how a value is read (``!foo bar``, ``!!float x``, ``!!!``, a tagged
    mapping or list) is refused on its own line: a sheet holds plain text, numbers, dates and
    lists, and PyYAML's error for an unknown tag named line 1 and quoted its own internals
    (``!!float x`` even crashed it). A tag that changes nothing (``!!str text``) is let be.
    """
    line = node.start_mark.line + 1
    if depth > _MAX_DEPTH:
        raise _YamlProblem(
            line, f"the YAML nests more than {_MAX_DEPTH} deep", "see README, Fact sheets"
        )
    if isinstance(node, yaml.MappingNode):
        if node.tag != _MAP:
            raise _tagged(node)
        mapping: dict[str, _Node] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                raise _YamlProblem(
                    key_line,
                    "a key must be plain text, not a list or a mapping",
                    "write keys as 'name: value'",
                )
            key = str(key_node.value)
            if key in mapping:
                raise _YamlProblem(
                    key_line,
                    f"duplicate key {key!r} (also on line {mapping[key].line})",
                    "keep one of them",
                )
            mapping[key] = _Node(_convert(value_node, depth + 1), key_line)
        return _Node(mapping, line)
    if isinstance(node, yaml.SequenceNode):
        if node.tag != _SEQ:
            raise _tagged(node)
        return _Node([_convert(item, depth + 1) for item in node.value], line)
    tag = node.tag
    if tag == _STR:  # the common cases first, without PyYAML's generic constructor
        return _Node(node.value, line)
    plain = getattr(node, "style", None) in (None, "")  # (libyaml says "" for plain)
    # Read as a number only as YAML reads plain ASCII digits: "!!int" on a quoted value, or on
    # digits of other scripts ("①", "٣٠": str.isdigit() says yes, int() fails or converts), is
    # a tag that changes how the value is read, refused below.
    whole = tag == _INT and plain and node.value.isascii()
    if whole and len(node.value.lstrip("+-0")) > MAX_DIGITS:
        return _Node(_Oversized(node.value), line)  # int() of 4,300+ digits raises
    if whole and node.value.isdigit() and (node.value == "0" or node.value[0] != "0"):
        return _Node(int(node.value), line)
    if whole and not _DECIMAL.fullmatch(node.value):
        return _Node(_NotDecimal(node.value), line)
    if tag == _TIMESTAMP and plain:
        return _Node(node.value, line)  # dates stay text; PartialDate.parse checks them
    implicit = _LOADER.resolve(yaml.ScalarNode, node.value, (True, False))  # type: ignore[no-untyped-call]
    if not plain or implicit != tag:
        raise _tagged(node)  # (quoted, or plain but not what the text alone would be read as)
    if tag in _AS_TEXT:  # a plain "=" or "<<" is YAML 1.1's value or merge key: text here
        return _Node(node.value, line)
    try:  # null, bool, float: implicit, so PyYAML reads them
        return _Node(_LOADER.construct_object(node), line)
    except (yaml.YAMLError, ValueError, KeyError, TypeError):
        raise _YamlProblem(
            line,
            f"the value {node.value!r} cannot be read as {_tag_text(tag)}",
            "write the value as plain text or a number",
        ) from None


def _tag_text(tag: str) -> str:
    """A YAML tag as a sheet would write it (``!!int``, ``!foo``)."""
    return "!!" + tag.removeprefix(_YAML_TAG) if tag.startswith(_YAML_TAG) else tag


def _tagged(node: yaml.Node) -> _YamlProblem:
    return _YamlProblem(
        node.start_mark.line + 1,
        f"YAML tags ({_tag_text(node.tag)}) are not allowed in a fact sheet",
        "remove the tag and write the value plainly (in quotes to keep it as text)",
    )


def _no_anchors(text: str) -> None:
    """Refuse YAML anchors and aliases (``&name``, ``*name``): a fact sheet needs neither, and
    aliases can expand a few hundred bytes into billions of nodes, or into themselves."""
    if "&" not in text and "*" not in text:
        return
    for event in yaml.parse(text, Loader=_COMPOSER):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            mark = event.start_mark
            raise _YamlProblem(
                mark.line + 1 if mark is not None else 1,
                "YAML anchors and aliases (&name, *name) are not allowed in a fact sheet",
                "write the value out in full",
            )


_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_YAML_TAG = "tag:yaml.org,2002:"
_MAP, _SEQ = _YAML_TAG + "map", _YAML_TAG + "seq"
_AS_TEXT = {_YAML_TAG + "value", _YAML_TAG + "merge"}


def _quantity_advice(problem: str) -> str:
    """What to do about a quantity that ``Quantity`` refused (its message names the problem)."""
    if "negative" in problem:
        return "write a count of 0 or more"
    if "bound" in problem:
        return "drop bound from a range, or give one number with bound: min or max"
    if "range" in problem:
        return "write a range as [min, max] with min <= max"
    return "write a number (20), a range ([1, 3]) or null when unspecified"


#: Characters a text field may not hold: control characters but tab, line feed and carriage
#: return (C0, DEL, C1), lone surrogates and U+FFFE/U+FFFF. XML 1.0 cannot carry most of them
#: (``query -f xml`` and the server's XML results were not well-formed with a U+0007 in an
#: authority's name), and none belongs in a name, a title or a description. Also the line and
#: paragraph separators U+2028/U+2029 (a line break inside a one-line name) and the direction
#: overrides U+202D/U+202E, which make a name display as other letters than it holds (the
#: marks U+200E/U+200F and the isolates that right-to-left text uses stay allowed).
_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u2028\u2029\u202d\u202e]"
)


def holds_only_text(value: str) -> bool:
    """Whether a text field may hold ``value`` (no character of :data:`_CONTROL`)."""
    return _CONTROL.search(value) is None


def readable(value: str) -> str:
    """``value`` with each character of :data:`_CONTROL` made a space: text a field may hold
    (and that every RDF format, RDF/XML too, can write)."""
    return _CONTROL.sub(" ", value) if _CONTROL.search(value) else value


_LOADER = yaml.SafeLoader("")
#: libyaml's composer when PyYAML was built with it (about 10x faster), else the Python one.
_COMPOSER: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = getattr(
    yaml, "CSafeLoader", yaml.SafeLoader
)


#: The most targets one pledge may list, pledges one sheet may hold, and targets in one sheet:
#: an article states a few dozen; far more is a generated or hostile file (README, Limits).
MAX_TARGETS_PER_PLEDGE = 1_000
MAX_PLEDGES_PER_SHEET = 1_000
MAX_TARGETS_PER_SHEET = 10_000

#: Problems of one sheet reported at most (each one line); past it, one line says how many more.
MAX_PROBLEMS = 20

T = TypeVar("T")


def _likely_cause(exc: yaml.MarkedYAMLError, text: str) -> str:
    """The hint for a YAML syntax error: what people most often got wrong to cause it."""
    problem = str(exc.problem or exc.context or "")
    mark = exc.problem_mark or exc.context_mark
    line = text.splitlines()[mark.line] if mark and mark.line < len(text.splitlines()) else ""
    if "\t" in problem or "\t" in line[: len(line) - len(line.lstrip())]:
        return "indent with spaces: YAML does not allow a tab there"
    if "mapping values are not allowed" in problem:
        return "a value that holds ': ' must be quoted (title: \"Plan: the next step\")"
    if "end of stream" in problem and "quoted scalar" in str(exc.context or ""):
        return "a quoted value is not closed: add its closing quote"
    if "expected <block end>" in problem or "did not find expected key" in problem:
        return "check the indentation of this line and the one before (spaces, same depth)"
    return "fix the YAML syntax"


class _Reader:
    """Checks one sheet, remembering the file for messages.

    A malformed document (YAML syntax, no mapping at the top) stops the reading at once. Past
    that, the source, each pledge and each target are checked on their own: the problems of
    all of them are collected, and the first one is raised with the others attached
    (``FactSheetError.also``, at most :data:`MAX_PROBLEMS` in all), so one run shows every
    line to fix.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[FactSheetError] = []

    def fail(self, line: int, problem: str, hint: str) -> FactSheetError:
        return FactSheetError(problem, hint=hint, path=self.path, line=line)

    def checked(self, read: Callable[[], T]) -> T | None:
        """``read()``, or ``None`` with its problem collected."""
        try:
            return read()
        except FactSheetError as problem:
            self.problems.append(problem)
            return None

    def raise_problems(self) -> None:
        """Raise the first collected problem (by line) with the others attached."""
        if not self.problems:
            return
        found = sorted(self.problems, key=lambda p: p.line or 0)
        shown = found[:MAX_PROBLEMS]
        also: list[FactSheetError] = shown[1:]
        if len(found) > MAX_PROBLEMS:
            also.append(
                FactSheetError(
                    f"{len(found) - MAX_PROBLEMS} more problems not shown",
                    hint="fix these and check the sheet again",
                    path=self.path,
                )
            )
        first = shown[0]
        first.also = tuple(also)
        raise first

    def _syntax_hint(self, hint: str = "fix the YAML syntax") -> str:
        """``hint``, and on standard input that RDF there needs --rdf-format (load and validate
        both take it; it is read as a
        fact sheet otherwise: Turtle fails as YAML, N-Triples as a sheet that is no mapping)."""
        if self.path == "-":
            return f"{hint}; RDF on standard input needs --rdf-format (turtle, nquads, …)"
        return hint

    def mapping(self, node: _Node, what: str, allowed: set[str]) -> dict[str, _Node]:
        if not isinstance(node.value, dict):
            hint = "see README, Fact sheets"
            if what == "the fact sheet":
                hint = self._syntax_hint(hint)
            raise self.fail(node.line, f"{what} must be a mapping of fields", hint)
        for name, entry in node.value.items():
            if name not in allowed:
                raise self.fail(
                    entry.line,
                    f"unknown field {name!r} in {what}",
                    "allowed fields are " + ", ".join(sorted(allowed)),
                )
        # unwrap: field name -> value node (line of the key kept on the wrapper)
        return {name: _Node(entry.value.value, entry.line) for name, entry in node.value.items()}

    def text(
        self, fields: dict[str, _Node], name: str, *, required: bool = False, url: bool = False
    ) -> str | None:
        """The text of field ``name``, stripped (``None`` if absent or empty). ``url``: its
        characters are left to :func:`url_problem`, which names them as an IRI's."""
        node = fields.get(name)
        if node is None or node.value is None:
            if required:
                raise self.fail(self._line(fields), f"missing field {name!r}", f"add {name}: …")
            return None
        if isinstance(node.value, bool) or not isinstance(node.value, str | int | float):
            raise self.fail(node.line, f"{name} must be text", f"write {name} as a plain string")
        bad = None if url or not isinstance(node.value, str) else _CONTROL.search(node.value)
        if bad is not None:
            code = ord(bad.group())
            what = (
                "a lone surrogate"
                if 0xD800 <= code <= 0xDFFF
                else "a noncharacter"
                if code >= 0xFFFE
                else "a line or paragraph separator"
                if code in (0x2028, 0x2029)
                else "a direction override"
                if code in (0x202D, 0x202E)
                else "a control character"
            )
            raise self.fail(
                node.line,
                f"{name} holds {what} (U+{code:04X})",
                "remove it (an escape such as \\u0007 in a quoted string writes one too)",
            )
        if isinstance(node.value, str) and len(node.value) > MAX_TEXT:
            raise self.fail(
                node.line,
                f"{name} is {len(node.value):,} characters long, more than the {MAX_TEXT:,} "
                "a fact-sheet field may hold",
                "shorten it (the article's full text belongs in the article, not the sheet)",
            )
        value = str(node.value).strip()
        if required and not value:
            raise self.fail(node.line, f"{name} is empty", f"give a {name}")
        return value or None

    def date(self, fields: dict[str, _Node], name: str) -> PartialDate | None:
        node = fields.get(name)
        if node is None or node.value is None:
            return None
        value = node.value
        if isinstance(value, dt.date):
            return PartialDate(value.year, value.month, value.day)
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise self.fail(node.line, f"{name} is not a date", "use YYYY, YYYY-MM or YYYY-MM-DD")
        try:
            return PartialDate.parse(str(value))
        except ValueError as exc:
            problem = str(exc).replace(
                " of the form YYYY, YYYY-MM or YYYY-MM-DD", ""
            )  # the advice says it
            raise self.fail(
                node.line, f"bad {name}: {problem}", "use YYYY, YYYY-MM or YYYY-MM-DD"
            ) from None

    def choice(self, fields: dict[str, _Node], name: str, allowed: tuple[str, ...]) -> str | None:
        value = self.text(fields, name)
        if value is None:
            return None
        if value in allowed:
            return value
        # "AI", "Big Data", "research-centres": the notation as typed in another case or with
        # spaces (as the questions' parameters take them; a new user's trial)
        written = re.sub(r"[ \t-]+", "_", value.strip().lower()) if value.isascii() else value
        if written in allowed:
            return written
        meant = _labelled(name, value)
        if meant not in allowed:
            import difflib

            close = difflib.get_close_matches(written, allowed, n=1, cutoff=0.75)
            meant = close[0] if close else None
        raise self.fail(
            fields[name].line,
            f"unknown {name} {value!r}",
            (f"did you mean {meant}? " if meant in allowed else "")
            + "use one of "
            + ", ".join(allowed),
        )

    @staticmethod
    def _line(fields: dict[str, _Node]) -> int:
        return min((n.line for n in fields.values()), default=1)

    def quantity(self, fields: dict[str, _Node]) -> Quantity | None:
        node = fields.get("quantity")
        approximate_node = fields.get("approximate")
        bound_node = fields.get("bound")
        approximate = False
        if approximate_node is not None and approximate_node.value is not None:
            if not isinstance(approximate_node.value, bool):
                raise self.fail(
                    approximate_node.line,
                    "approximate must be true or false",
                    "write approximate: true",
                )
            approximate = approximate_node.value
        bound = None
        if bound_node is not None and bound_node.value is not None:
            if bound_node.value not in ("min", "max"):
                raise self.fail(
                    bound_node.line,
                    f"unknown bound {bound_node.value!r}",
                    "use min (at least / more than) or max (up to), or leave it out",
                )
            bound = bound_node.value
        if node is None or node.value is None:
            if approximate or bound:
                line = (approximate_node or bound_node or _Node(None, 1)).line
                raise self.fail(
                    line, "approximate or bound given without a quantity", "give quantity: N"
                )
            return None
        line = node.line
        value = node.value
        written = [v.value for v in (value if isinstance(value, list) else [node])]
        odd = [v for v in written if isinstance(v, _NotDecimal)]
        if odd:
            raise self.fail(
                line,
                f"quantity {str(odd[0])!r} is not written in plain decimal digits",
                "write the count in digits only, e.g. 1000 (no +, 0x, 0o, _, : or leading zeros)",
            )
        oversized = [v for v in (value if isinstance(value, list) else [node]) if _too_big(v.value)]
        if oversized:
            digits = len(str(oversized[0].value).lstrip("+-0"))
            raise self.fail(
                line,
                f"quantity has {digits} digits, more than the {MAX_DIGITS} a count may have",
                "check the number (money and output values are not targets)",
            )
        try:
            if isinstance(value, list):
                items = [item.value for item in value]
                if len(items) != 2 or not all(_is_int(i) for i in items):
                    raise self.fail(
                        line,
                        f"quantity range {_described(items)} is not [min, max] of two whole "
                        "numbers",
                        "write quantity: [1, 3]",
                    )
                return Quantity(
                    minimum=items[0], maximum=items[1], approximate=approximate, bound=bound
                )
            if not _is_int(value):
                raise self.fail(
                    line,
                    f"quantity {_described(value)} is not a whole number",
                    "write a number (20), a range ([1, 3]) or null when unspecified",
                )
            return Quantity(value=value, approximate=approximate, bound=bound)
        except ValueError as exc:
            raise self.fail(line, f"bad quantity: {exc}", _quantity_advice(str(exc))) from None

    def span(self, fields: dict[str, _Node]) -> tuple[int, int] | None:
        node = fields.get("span")
        if node is None or node.value is None:
            return None
        items = [i.value for i in node.value] if isinstance(node.value, list) else None
        if (
            items is None
            or len(items) != 2
            or not all(_is_int(i) for i in items)
            or not 0 <= items[0] <= items[1]
        ):
            raise self.fail(
                node.line,
                f"span {_plain(node.value)!r} is not [start, end] offsets",
                "write span: [120, 171] with start <= end",
            )
        return (items[0], items[1])

    def quote(self, fields: dict[str, _Node], span: tuple[int, int] | None) -> str | None:
        """The span's text as the extractor read it (``quote``), as long as the span."""
        node = fields.get("quote")
        if node is not None and node.value is not None and not isinstance(node.value, str):
            raise self.fail(  # (YAML reads 1.50 as the number 1.5, .inf as infinity; an attack)
                node.line,
                f"the quote {_plain(node.value)!r} is not text",
                'write it in quotes, as extract does: quote: "1.50"',
            )
        quote = self.text(fields, "quote")
        if quote is None:
            return None
        line = fields["quote"].line
        if span is None:
            raise self.fail(
                line, "a quote without a span", "add span: [start, end] of the quoted words"
            )
        if len(quote) != span[1] - span[0]:
            raise self.fail(
                line,
                f"the quote has {len(quote):,} characters but span [{span[0]}, {span[1]}] "
                f"covers {span[1] - span[0]:,}",
                "give the span of exactly the quoted words, or remove the quote (YAML drops the "
                "spaces around words not in quotes)",
            )
        return quote

    def confidence(self, fields: dict[str, _Node]) -> float | None:
        node = fields.get("confidence")
        if node is None or node.value is None:
            return None
        value = node.value
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            raise self.fail(
                node.line,
                f"confidence {value!r} is not a number between 0 and 1",
                "write confidence: 0.9",
            )
        return float(value)

    def target(self, node: _Node) -> Target:
        fields = self.mapping(node, "a target", _TARGET_FIELDS)
        kind = self.choice(fields, "kind", TARGET_KINDS)
        if kind is None:
            raise self.fail(
                node.line, "a target has no kind", "add kind: one of " + ", ".join(TARGET_KINDS)
            )
        return Target(
            kind=kind,
            quantity=self.quantity(fields),
            qualifier=self.text(fields, "qualifier"),
            description=self.text(fields, "description"),
            sector=self.choice(fields, "sector", SECTORS),
            deadline=self.date(fields, "deadline"),
            span=(span := self.span(fields)),
            confidence=self.confidence(fields),
            line=node.line,
            quote=self.quote(fields, span),
        )

    def pledge(self, node: _Node) -> Pledge | None:
        """The pledge, or ``None`` when it has problems (collected, with its targets')."""
        fields = self.mapping(node, "a pledge", _PLEDGE_FIELDS)
        before = len(self.problems)
        region = self.checked(lambda: self.region(fields, node))
        targets_node = fields.get("targets")
        targets: list[Target | None] = []
        if (
            targets_node is None
            or not isinstance(targets_node.value, list)
            or not targets_node.value
        ):
            line = targets_node.line if targets_node else node.line
            if targets_node is not None and isinstance(targets_node.value, dict):
                problem = (  # "targets:\n  kind: parks": a target, not written as a list item
                    "targets must be a list",
                    "begin each target with '- ' (for example '  - kind: parks')",
                )
            else:
                problem = ("a pledge has no targets", "list at least one target under targets:")
            self.problems.append(self.fail(line, *problem))
        else:
            targets = [self.checked(partial(self.target, t)) for t in targets_node.value]
        rest = self.checked(
            lambda: (
                self.text(fields, "authority"),
                self.text(fields, "plan"),
                self.text(fields, "description"),
                self.date(fields, "announced"),
                self.date(fields, "deadline"),
                self.choice(fields, "sector", SECTORS),
            )
        )
        if len(self.problems) > before or region is None or rest is None:
            return None
        authority, plan, description, announced, deadline, sector = rest
        return filed_by_authority(
            Pledge(
                region=region,
                targets=tuple(t for t in targets if t is not None),
                authority=authority,
                plan=plan,
                description=description,
                announced=announced,
                deadline=deadline,
                sector=sector,
                line=node.line,
            )
        )

    def _check_size(self, pledges: _Node) -> None:
        """Refuse a sheet past the size limits at once, with one line (README, Limits)."""
        hint = "split the sheet into several (see README, Limits)"
        if len(pledges.value) > MAX_PLEDGES_PER_SHEET:
            raise self.fail(
                pledges.line,
                f"the sheet has {len(pledges.value):,} pledges, more than the "
                f"{MAX_PLEDGES_PER_SHEET:,} a fact sheet may hold",
                hint,
            )
        total = 0
        for pledge in pledges.value:
            entry = pledge.value.get("targets") if isinstance(pledge.value, dict) else None
            # (a mapping's entry: the key's line, around the value's node)
            targets = entry.value.value if entry is not None else None
            if entry is None or not isinstance(targets, list):
                continue
            if len(targets) > MAX_TARGETS_PER_PLEDGE:
                raise self.fail(
                    entry.line,
                    f"a pledge has {len(targets):,} targets, more than the "
                    f"{MAX_TARGETS_PER_PLEDGE:,} one pledge may list",
                    "split it into several pledges, or the sheet into several (see README, Limits)",
                )
            total += len(targets)
        if total > MAX_TARGETS_PER_SHEET:
            raise self.fail(
                pledges.line,
                f"the sheet has {total:,} targets, more than the {MAX_TARGETS_PER_SHEET:,} a "
                "fact sheet may hold",
                hint,
            )

    def region(self, fields: dict[str, _Node], node: _Node) -> str:
        """The key of the pledge's region (a code or a name the gazetteer knows)."""
        region_text = self.text(fields, "region")
        if region_text is None:
            raise self.fail(
                node.line,
                "a pledge has no region",
                "add region: an ISO 3166 code such as CN-HE, or a region name",
            )
        region = gazetteer().resolve(region_text)
        if region is None:
            close = gazetteer().closest(region_text)
            hint = (
                f"did you mean {' or '.join(close)}?"
                if close
                else "use an ISO 3166-2 code such as CN-HE"
            ) + (
                " (a place the gazetteer does not know can be described in an RDF file: README, "
                "'A place the gazetteer does not know')"
            )
            raise self.fail(fields["region"].line, f"unknown region {region_text!r}", hint)
        return region.key

    def source(self, node: _Node) -> Source:
        fields = self.mapping(node, "source", _SOURCE_FIELDS)
        url = self.text(fields, "url", required=True, url=True)
        assert url is not None
        wrong = url_problem(url)
        if wrong is not None:
            raise self.fail(fields["url"].line, *wrong)
        key = self.text(fields, "key")
        if key is not None and not key.replace("-", "").replace("_", "").isalnum():
            raise self.fail(
                fields["key"].line,
                f"key {key!r} may hold only letters, digits, - and _",
                "choose a simpler key",
            )
        sha = self.text(fields, "text_sha256")
        if sha is not None and (len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha)):
            raise self.fail(
                fields["text_sha256"].line,
                "text_sha256 is not 64 lowercase hex digits",
                "use sha256sum's output",
            )
        return Source(
            url=normal_url(url),
            title=self.text(fields, "title"),
            publisher=self.text(fields, "publisher"),
            published=self.date(fields, "published"),
            reported_via=self.text(fields, "reported_via"),
            text_sha256=sha,
            key=key,
        )

    def sheet(self, text: str) -> FactSheet:
        try:
            _no_anchors(text)
            root = yaml.compose(text, Loader=_COMPOSER)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            last = max(1, len(text.splitlines()))  # a problem at the end of input: last line
            line = min(mark.line + 1, last) if mark else 1
            raise self.fail(
                line,
                f"malformed YAML: {exc.problem or exc.context}",
                self._syntax_hint(_likely_cause(exc, text)),
            ) from None
        except yaml.reader.ReaderError as exc:  # a character YAML does not allow (NUL…)
            line = text.count("\n", 0, max(exc.position, 0)) + 1
            raise self.fail(
                line,
                f"malformed YAML: unacceptable character #x{exc.character:04x} "
                "(control characters are not allowed)",
                "remove the character, or write it as an escape in a double-quoted string",
            ) from None
        except yaml.YAMLError as exc:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise self.fail(1, f"malformed YAML: {first}", "fix the YAML syntax") from None
        except _YamlProblem as problem:
            raise self.fail(problem.line, problem.problem, problem.hint) from None
        if root is None:
            raise self.fail(1, "the fact sheet is empty", "give a source: and pledges:")
        try:
            document = _convert(root)
        except _YamlProblem as problem:
            raise self.fail(problem.line, problem.problem, problem.hint) from None
        except yaml.MarkedYAMLError as exc:  # (not expected: _convert reports its own)
            mark = exc.problem_mark or exc.context_mark or root.start_mark
            text = " ".join(str(exc.problem or exc.context or "").split())
            raise self.fail(
                mark.line + 1, f"malformed YAML: {text}", "fix the YAML syntax"
            ) from None
        except yaml.YAMLError as exc:  # (unmarked: the node's own line, one line of text)
            text = " ".join(str(exc).split()) or type(exc).__name__
            raise self.fail(
                root.start_mark.line + 1, f"malformed YAML: {text}", "fix the YAML syntax"
            ) from None
        fields = self.mapping(document, "the fact sheet", {"source", "pledges"})
        if "source" not in fields:
            raise self.fail(1, "missing source:", "add a source with at least url:")
        source_node = _Node(fields["source"].value, fields["source"].line)
        source = self.checked(lambda: self.source(source_node))
        pledges_node = fields.get("pledges")
        pledges: list[Pledge | None] = []
        if pledges_node is not None and pledges_node.value is not None:
            if not isinstance(pledges_node.value, list):
                self.problems.append(
                    self.fail(
                        pledges_node.line,
                        "pledges must be a list",
                        "write each pledge as '- region: …'",
                    )
                )
            else:
                self._check_size(pledges_node)
                pledges = [self.checked(partial(self.pledge, p)) for p in pledges_node.value]
        self.raise_problems()
        assert source is not None
        return FactSheet(
            source=source, pledges=tuple(p for p in pledges if p is not None), path=self.path
        )


_DEFAULT_PORTS = {"http": 80, "https": 443}
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def normal_url(url: str) -> str:
    """``url`` in RFC 3986 normal form (section 6.2.2), so that equivalent addresses of one
    article name one source: scheme and host in lower case, the default port dropped,
    percent-encoded unreserved characters decoded and other escapes in upper case.

    >>> normal_url("HTTPS://News.Example.ORG:443/a%2Eb/%7euser?q=%3f")
    'https://news.example.org/a.b/~user?q=%3F'
    """
    import re
    from urllib.parse import urlsplit, urlunsplit

    def unescape(match: re.Match[str]) -> str:
        char = chr(int(match.group(1), 16))
        return char if char in _UNRESERVED else "%" + match.group(1).upper()

    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url  # not a URL the standard library reads (e.g. a URN): kept as written
    scheme = parts.scheme.lower()
    if not parts.hostname:
        return url
    host = parts.hostname.lower()
    netloc = f"[{host}]" if ":" in host else host
    if parts.username or parts.password:
        return url
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        netloc += f":{port}"
    fixed = [re.sub(r"%([0-9A-Fa-f]{2})", unescape, x) for x in (parts.path, parts.query)]
    return urlunsplit((scheme, netloc, fixed[0], fixed[1], parts.fragment))


def _too_big(value: object) -> bool:
    return isinstance(value, _Oversized) or (
        isinstance(value, int) and not isinstance(value, bool) and not count_fits(value)
    )


def url_problem(url: str) -> tuple[str, str] | None:
    """What is wrong with a source's ``url`` (problem, hint), or ``None``: it must be an
    absolute address an IRI can hold (fact sheets, and ``extract --url``)."""
    if "://" not in url and not url.startswith("urn:"):
        return (
            f"url {url!r} is not an absolute address",
            "write the full address, e.g. https://example.org/news/1",
        )
    if any(c in url for c in ' <>"{}|\\^`\t\n\r') or _CONTROL.search(url):
        return f"url {url!r} holds characters an IRI cannot", "percent-encode spaces and brackets"
    import pyoxigraph as ox

    try:  # (what the store will make of it: "a#b#c" and "%ZZ" are no IRI either)
        ox.NamedNode(url)
    except ValueError as error:
        return f"url {url!r} is not a valid IRI ({error})", "correct or percent-encode the address"
    return None


def _described(value: object) -> str:
    """A value as the sheet wrote it, for a message (no internal reprs of parsed nodes)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{…}"
    if isinstance(value, list):
        return "[" + ", ".join(_described(v) for v in value) + "]"
    if isinstance(value, _Node):
        return _described(value.value)
    return repr(value)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _plain(value: object) -> object:
    if isinstance(value, list):
        return [_plain(v.value if isinstance(v, _Node) else v) for v in value]
    return value


def parse_factsheet(text: str, *, path: str = "<fact sheet>") -> FactSheet:
    """Read and check a fact sheet's YAML text; raise :class:`FactSheetError` for its first
    problem, with the others (up to :data:`MAX_PROBLEMS`) in the error's ``also``."""
    return _Reader(path).sheet(text)


def read_factsheet(path: str) -> FactSheet:
    """Read and check a fact sheet file (``-`` is standard input)."""
    return parse_factsheet(read_text_file(path), path=path)


def read_text_file(path: str) -> str:
    """The UTF-8 text of a file, or of standard input for ``-``, with clear errors."""
    from pledgegraph.loaders.text import read_bytes

    data = read_bytes(path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FactSheetError(
            f"not UTF-8 text (byte {exc.start})", hint="save the file as UTF-8", path=path
        ) from None


def source_key(source: Source) -> str:
    """The stable key of a source's graph: its own key, else the first 12 hex digits of sha256(url)."""
    return source.key or hashlib.sha256(source.url.encode("utf-8")).hexdigest()[:12]


# --- writing -------------------------------------------------------------------------------


def _quantity_fields(quantity: Quantity | None) -> dict[str, Any]:
    if quantity is None:
        return {"quantity": None}
    fields: dict[str, Any] = {
        "quantity": quantity.value
        if quantity.value is not None
        else [quantity.minimum, quantity.maximum]
    }
    if quantity.approximate:
        fields["approximate"] = True
    if quantity.bound:
        fields["bound"] = quantity.bound
    return fields


def _drop_none(fields: dict[str, Any], keep: tuple[str, ...] = ()) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v is not None or k in keep}


def _date_out(date: PartialDate | None) -> int | str | None:
    if date is None:
        return None
    # (a year before 1000 as text, "0999": written as the number 999 it is no YYYY date, and
    # an attack's extracted sheet was refused by load)
    return date.year if date.precision == "year" and date.year >= 1000 else str(date)


def factsheet_to_dict(sheet: FactSheet) -> dict[str, Any]:
    """The plain-data form of a sheet (what the YAML holds), fields in documented order."""
    src = sheet.source
    source = _drop_none(
        {
            "url": src.url,
            "key": src.key,
            "title": src.title,
            "publisher": src.publisher,
            "published": _date_out(src.published),
            "reported_via": src.reported_via,
            "text_sha256": src.text_sha256,
        }
    )
    pledges = []
    for pledge in sheet.pledges:
        targets = []
        for target in pledge.targets:
            targets.append(
                _drop_none(
                    {
                        "kind": target.kind,
                        **_quantity_fields(target.quantity),
                        "qualifier": target.qualifier,
                        "description": target.description,
                        "sector": target.sector,
                        "deadline": _date_out(target.deadline),
                        "span": list(target.span) if target.span else None,
                        "quote": target.quote,
                        "confidence": target.confidence,
                    },
                    keep=("quantity",),
                )
            )
        pledges.append(
            _drop_none(
                {
                    "region": pledge.region,
                    "authority": pledge.authority,
                    "plan": pledge.plan,
                    "description": pledge.description,
                    "announced": _date_out(pledge.announced),
                    "deadline": _date_out(pledge.deadline),
                    "sector": pledge.sector,
                    "targets": targets,
                }
            )
        )
    return {"source": source, "pledges": pledges}


class _Dumper(yaml.SafeDumper):
    pass


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flow = all(isinstance(item, int | float | str) for item in data) and len(data) <= 4
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _represent_list)


def filed_by_authority(pledge: Pledge) -> Pledge:
    """``pledge``, filed under the region inside its own that its authority is named after
    (``Chengdu Municipal Government`` in ``CN-SC``: ``CN-SC/chengdu``), if there is one: how
    ``extract`` writes a city's pledge (under its province's code, as scorers match it). Every
    way a sheet reaches the store applies it: the parser, ``Store.load_factsheet`` and
    ``Store.load_factsheets``."""
    if pledge.authority is None:
        return pledge
    inside = gazetteer().named_inside(pledge.region, pledge.authority)
    return pledge if inside is None else replace(pledge, region=inside.key)


def filed_sheet(sheet: FactSheet) -> FactSheet:
    """``sheet`` with :func:`filed_by_authority` applied to each pledge (itself if none moves)."""
    pledges = tuple(filed_by_authority(p) for p in sheet.pledges)
    if all(new is old for new, old in zip(pledges, sheet.pledges, strict=True)):
        return sheet
    return replace(sheet, pledges=pledges)


def dump_factsheet(sheet: FactSheet) -> str:
    """The YAML text of a sheet: deterministic, fields in documented order, dates as strings."""
    body = yaml.dump(
        factsheet_to_dict(sheet),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
    return body


def _labelled(field: str, value: str) -> str | None:
    """The kind or sector (``field``) whose label ``value`` is, in any case ("artificial
    intelligence", "人工智能"), or None."""
    if field not in ("kind", "sector"):
        return None
    from pledgegraph.loaders.extraction.vocabulary import concept_labels
    from pledgegraph.ontology import KIND, SECTOR

    wanted = " ".join(value.split()).casefold()
    for notation, labels in concept_labels(KIND if field == "kind" else SECTOR).items():
        if any(" ".join(label.split()).casefold() == wanted for label, _ in labels):
            return notation
    return None
