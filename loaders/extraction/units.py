"""Stage 1: cut the text into units (sentences, list items, headlines) and units into tokens.

In: the article's text with markdown marks blanked. Out: :class:`Unit` s in text order, each list
item linked to the unit that leads its list (a sentence ending in ":" or a goal cue); headlines,
captions and blocks of links to other stories are marked or skipped. :func:`unit_tokens` gives a
unit's tokens with their character offsets.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import NamedTuple

from pledgegraph.loaders.extraction import patterns as rules
from pledgegraph.loaders.extraction.vocabulary import (
    TOKEN,
)
from pledgegraph.loaders.facts import PartialDate

QUOTES = frozenset("“”\"'‘’«»")
_TERMINAL = re.compile(r"[.!?:;][\"”’')\]]*\s*$")
_SENTENCE_END = re.compile(r"[.!?]+[\"”’')\]]*\s+")


@dataclass(slots=True)
class Unit:
    start: int
    end: int
    kind: str  # "sentence", "item", "headline"
    lead: Unit | None = None
    is_lead: bool = False
    cue: bool = False
    imperative: bool = False  # opens with a verb of doing: "Build 120 more stations."
    region: str | None = None  # for leads: the region their items inherit
    deadline: PartialDate | None = None
    sector: str | None = None
    plan: str | None = None
    continues: bool = False  # a sentence after the first one of a list item
    semicolon: bool = False  # an item of a list written a line each with semicolons
    chrome: bool = False  # page furniture: a language switcher, a menu of short links
    reports: bool = False  # for leads: their items report what was done ("Achievements:")


def _lines(text: str) -> list[tuple[int, int]]:
    out = []
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        out.append((pos, pos + len(body)))
        pos += len(line)
    return out


def _is_title_case(line: str) -> bool:
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", line) if len(w) > 3]
    return bool(words) and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


#: A line that ends one entry of a list laid out a line each without bullets: "...; and".
_SEMICOLON_LINE = re.compile(r";\s*(?:and|or)?\s*$", re.IGNORECASE)
_AND_LINE = re.compile(r";\s*(?:and|or)\s*$", re.IGNORECASE)
#: At least this many such lines in a row make a list.
_SEMICOLON_RUN = 3


def _semicolon_items(text: str, lines: list[tuple[int, int]]) -> set[int]:
    """The lines (by start) of lists written a line each, each line ending with a semicolon
    ("Employing 78 paramedics;" ... "Recruiting 44 doctors; and" / "Building four centres."):
    a run of three or more such lines, each opening with a capital (not a sentence wrapped
    over lines that has semicolons in it), with the line after one ending "; and" as its last,
    and not after a line that reports, denies or looks back ("Last year we delivered:")."""
    items: set[int] = set()
    run: list[int] = []
    for index, (start, end) in enumerate([*lines, (len(text), len(text))]):
        line = text[start:end]
        opens = line.lstrip()[:1]
        if line.strip() and _SEMICOLON_LINE.search(line) and (opens.isupper() or opens.isdigit()):
            run.append(index)
            continue
        if (
            run
            and line.strip()
            and (opens.isupper() or opens.isdigit())
            and _AND_LINE.search(text[slice(*lines[run[-1]])])
        ):
            run.append(index)  # the list's last entry, after "; and"
        if len(run) >= _SEMICOLON_RUN and not _looks_back(text, lines, run[0]):
            items.update(lines[i][0] for i in run)
        run = []
    return items


def _looks_back(text: str, lines: list[tuple[int, int]], first: int) -> bool:
    """Whether the last line with words before line ``first`` reports, denies or looks back:
    what a list after it names is not pledged by it."""
    for start, end in reversed(lines[:first]):
        before = text[start:end].strip()
        if not before:
            continue
        return bool(
            rules.LEAD_REPORTS.search(before)
            or rules.LEAD_ACHIEVEMENTS.search(before)
            or rules.NEGATION.search(before)
            or _LOOKS_BACK.search(before)
        )
    return False


#: Words of a lead that looks back or reports others' wishes: "Last year the department
#: delivered:", "Our record in 2019-2021", "ruled out:", "Greens want:", "praised for:".
_LOOKS_BACK = re.compile(
    r"\b(?:last\s+year|record|delivered|completed|finished|achieved|ruled\s+out|want(?:s|ed)?|"
    r"demand(?:s|ed)?|call(?:s|ed)\s+for|proposals|praised|since|promised|wish(?:es|ed)?)\b",
    re.IGNORECASE,
)


_ROMAN_ITEM = re.compile(r"[ \t]*[IVX]{1,4}[.)][ \t]")
#: An item that says it is done: "III. Upgrading 20 clinics: completed in 2024".
_ITEM_DONE = re.compile(
    r"[:(–—-]\s*(?:already\s+)?(?:completed|achieved|done|finished|delivered|met|accomplished)\b",
    re.IGNORECASE,
)


def _blocks(text: str) -> list[tuple[int, int, int]]:
    """Paragraph-like blocks: (start, end, is_list_item: 0, 1 for a bullet, 2 for a line of a
    list written with semicolons)."""
    blocks: list[tuple[int, int, int]] = []
    current: list[int] | None = None  # [start, end, is_item]
    lines = _lines(text)
    listed = _semicolon_items(text, lines) if ";" in text else set()
    roman_back: bool | None = None  # whether the line before the first Roman item looks back
    for index, (start, end) in enumerate(lines):
        line = text[start:end]
        if not line.strip():
            if current:
                blocks.append((current[0], current[1], current[2]))
                current = None
            continue
        bullet = rules.BULLET.match(line)
        if bullet and _ROMAN_ITEM.match(line):
            # "III. Optimizing 5 bus lines": an item of a list of the year's projects, unless
            # the list comes after a line that reports or looks back ("Projects completed in
            # 2025", "Achievements") or the item says it is done ("...: completed in 2024")
            if roman_back is None:
                roman_back = _looks_back(text, lines, index)
            if roman_back or _ITEM_DONE.search(line):
                bullet = None
        content_start = start + len(line) - len(line.lstrip())
        if bullet or start in listed:
            if current:
                blocks.append((current[0], current[1], current[2]))
            current = [start + bullet.end() if bullet else content_start, end, 1 if bullet else 2]
            continue
        if current is not None:
            previous = text[current[0] : current[1]]
            last_line = previous.splitlines()[-1] if previous else ""
            indented = line[:1] in (" ", "\t")
            joins = not _TERMINAL.search(last_line) and (
                (current[2] and indented)
                or (not current[2] and line.lstrip()[:1].islower())
                or (not current[2] and len(last_line) >= 60 and not _is_title_case(last_line))
            )
            if joins:
                current[1] = end
                continue
            blocks.append((current[0], current[1], current[2]))
        current = [content_start, end, 0]
    if current:
        blocks.append((current[0], current[1], current[2]))
    return blocks


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    pos = start
    for match in _SENTENCE_END.finditer(text, start, end):
        cut = match.end()
        if cut >= end:
            break
        before = re.search(r"([\w.]+)[.!?]+[\"”’')\]]*\s+$", text[max(start, cut - 30) : cut])
        word = before.group(1).lower().rstrip(".") if before else ""
        nxt = text[cut : cut + 1]
        if word in rules.ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
            continue
        if not (nxt.isupper() or nxt.isdigit() or nxt in QUOTES or nxt in "(•-–"):
            continue
        out.append((pos, match.start() + len(match.group().rstrip())))
        pos = cut
    if pos < end:
        out.append((pos, end))
    return [piece for s, e in out if text[s:e].strip() for piece in _bounded(text, s, e)]


#: The longest unit read as one: a "sentence" longer than this (a page without full stops, or
#: an attack) is cut at a comma or semicolon, else a space, so that the work per unit, which
#: grows with its length times its targets, stays bounded.
MAX_UNIT = 2_000
_CLAUSE_END = re.compile(r"[,;]\s+")


def _bounded(text: str, start: int, end: int) -> list[tuple[int, int]]:
    pieces: list[tuple[int, int]] = []
    while end - start > MAX_UNIT:
        limit = start + MAX_UNIT
        cut = -1
        for match in _CLAUSE_END.finditer(text, start + MAX_UNIT // 2, limit):
            cut = match.end()
        if cut < 0:
            space = text.rfind(" ", start + MAX_UNIT // 2, limit)
            cut = space + 1 if space > 0 else limit
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces


#: The first word of a heading that asks (a question without its mark) or a trail of links.
_NOT_PROSE = re.compile(
    r"(?:will|would|how|why|what|when|where|who|which|should|can|could|is|are|do|does|did)\b|"
    r".*[>|»]|.*\S {3}",  # (the extractor's cleaning turns "Home > News" into "Home   News")
    re.IGNORECASE,
)


def _cut_off_prose(body: str, words: int) -> bool:
    """Whether a text's last block, without a full stop, is prose cut off mid-sentence (the
    page excerpt stops there) rather than a heading: ten words or more, opening with a capital,
    not in title case, no question's first word and no trail of links ("Home > News > ...")."""
    return (
        words >= 10
        and body[:1].isupper()
        and not _is_title_case(body)
        and _NOT_PROSE.match(body) is None
    )


def segment(text: str) -> list[Unit]:
    units: list[Unit] = []
    related = False
    blocks = list(_blocks(text))
    last_start = blocks[-1][0] if blocks else -1
    for start, end, is_item in blocks:
        body = text[start:end].strip()
        words = len(body.split())
        terminated = bool(_TERMINAL.search(body))
        if rules.RELATED_MARKER.match(body) and (words <= 12 or not terminated):
            related = True
            continue
        if related:
            if words >= 12 and terminated and not is_item:
                related = False
            else:
                continue
        if is_item:
            # An item is its first sentence; sentences after it in the same item explain it
            # and are read as prose ("These partnerships ... by 2015" dates no earlier target).
            parts = _sentences(text, start, end)
            units.append(
                Unit(parts[0][0], parts[0][1], "item", semicolon=is_item == 2)
                if parts
                else Unit(start, end, "item", semicolon=is_item == 2)
            )
            units.extend(
                Unit(s, e, "sentence", continues=True)
                for s, e in parts[1:]
                if not rules.SKIP_LINE.match(text[s:e])
            )
            continue
        # (a block that ends on a comma is a sentence cut off, as a page excerpt may be)
        # (and one whose first sentences end with full stops is prose cut off in its last one:
        # "Open 10 bus lines. Launch 500 terminals. Build a cloud se")
        # (and so is the text's last block, unless a title: an excerpt that stops mid-sentence,
        # "The State has also made an investment to deliver 40 new clinics by 2031")
        sentences = _sentences(text, start, end)
        if (
            not terminated
            and not body.endswith((",", ";"))
            and (words <= 25 or _is_title_case(body))
            and (len(sentences) < 2 or _is_title_case(body))
            and not (start == last_start and _cut_off_prose(body, words))
        ):
            units.append(Unit(start, end, "headline"))
            continue
        for s, e in sentences:
            if rules.SKIP_LINE.match(text[s:e]):
                continue
            units.append(Unit(s, e, "sentence"))
    # Items take the unit that leads their list; an item that ends with a colon leads the
    # items indented under it ("• $11.82 million to deliver:" over "    • 75 inspectors").
    lead: Unit | None = None
    inner: tuple[Unit, int] | None = None  # (the leading item, its indent)
    for index, unit in enumerate(units):
        if unit.kind != "item":
            if not unit.continues:  # the rest of an item keeps the list going
                lead = inner = None
            continue
        if lead is None and index > 0:
            previous = units[index - 1]
            if previous.kind != "item" and not previous.continues:
                body = text[previous.start : previous.end].rstrip()
                if body.endswith(":") or rules.LEAD_CUE.search(body):
                    lead = previous
        indent = _indent(text, unit.start)
        if inner is not None and indent <= inner[1]:
            inner = None
        unit.lead = inner[0] if inner is not None else lead
        if unit.lead is not None:
            unit.lead.is_lead = True
        if text[unit.start : unit.end].rstrip().endswith(":"):
            inner = (unit, indent)
    return units


def _indent(text: str, at: int) -> int:
    """How far the line holding ``at`` is indented (its bullet counted as indent)."""
    line = text.rfind("\n", 0, at) + 1
    return len(text[line:at]) if not text[line:at].strip(" \t-–—•*·▪◦○■□●") else 0


class Tok(NamedTuple):
    start: int
    end: int
    text: str
    low: str
    word: bool


def unit_tokens(clean: str, start: int, end: int) -> list[Tok]:
    new = tuple.__new__  # Tok(...) runs a Python-level __new__; this is the same tuple, faster
    out: list[Tok] = []
    append = out.append
    body = clean[start:end]
    lowered = body.lower()
    if len(lowered) != len(body):  # a character that lower-cases to two: token by token
        for m in TOKEN.finditer(clean, start, end):
            t = m.group()
            low = t.lower().replace("’", "'")
            b, e = m.span()
            append(new(Tok, (b, e, t, low, t[0].isalnum())))
        return out
    lowered = lowered.replace("’", "'")  # one character for one: offsets stay
    for m in TOKEN.finditer(body):
        b, e = m.span()
        t = body[b:e]
        append(new(Tok, (b + start, e + start, t, lowered[b:e], t[0].isalnum())))
    return out


def index_at(toks: list[Tok], pos: int) -> int:
    """The index of the first token that ends after ``pos`` (``len(toks)`` if none)."""
    return bisect.bisect_right(toks, pos, key=lambda tok: tok.end)


_INFINITIVE = re.compile(r"^(\W*)to\s+(?=[a-z])", re.IGNORECASE)


def opens_with_order(body: str, item: bool = False) -> bool:
    """Whether a sentence or item opens with a verb of doing in the base form ("Build 120 more
    stations.", "- increase the number of ..."): an order of work in a plan or work report."""
    if item:  # "1. To build 500 schools": in a numbered list, an infinitive is an order too
        body = _INFINITIVE.sub("", body, count=1)
    match = rules.IMPERATIVE_OPENING.match(body)
    if match is None:
        return False
    verb = match.group("verb").lower()
    if item and verb.endswith("ing"):
        # "III. Optimizing 5 bus lines", "- Newly building 33 pocket parks": a list of a
        # year's projects names each by its verb's -ing form
        verb = rules.VERB_FORMS.get(verb, ("", ""))[0] or _ING_BASE.get(verb, verb)
        if _GERUND_SUBJECT.match(body, match.end()):
            return False  # "Employing 40 more staff would cost too much": a subject, no order
    if verb not in rules.IMPERATIVE_VERBS:
        return False
    after = body[match.end() :].split(None, 2)
    if len(after) > 1 and after[0].lower() in ("and", "or"):
        # "Maintain and enhance mental health ...", "Build or decorate 10 parks": two orders
        second = rules.VERB_FORMS.get(after[1].lower())
        return after[1].lower() in rules.IMPERATIVE_VERBS or (
            second is not None and second[1] == "base"
        )
    return bool(after) and after[0].lower() not in _NOT_AFTER_VERB


#: -ing forms of the orders' verbs that are not creation verbs: "optimizing" -> "optimize".
_ING_BASE = {
    verb[:-1] + "ing" if verb.endswith("e") and not verb.endswith("ee") else verb + "ing": verb
    for verb in rules.IMPERATIVE_VERBS
}


def gerund_subject(body: str) -> bool:
    """Whether ``body`` opens with a verb's -ing form that is its sentence's subject ("Employing
    40 more staff would cost too much"), not an order."""
    match = rules.IMPERATIVE_OPENING.match(body)
    return (
        match is not None
        and match.group("verb").lower().endswith("ing")
        and _GERUND_SUBJECT.match(body, match.end()) is not None
    )


#: After an opening -ing form, a finite verb in the same clause (no comma, no relative word
#: before it): the -ing phrase is the sentence's subject ("Opening 12 clinics was delayed").
_GERUND_SUBJECT = re.compile(
    r"(?:(?!\b(?:which|that|who|to|and|or)\b)[^,;:(])*?\b(?:would|will|is|was|were|are|has|"
    r"had|cost|costs|took|takes|ran|runs|remains|remained|proved|became)\b",
    re.IGNORECASE,
)

_NOT_AFTER_VERB = frozenset({"in", "of", "was", "is", "were", "are", "has", "have", "and", ","})


_CHROME_SHORT = 30  # characters: a menu entry is a word or two


def _chrome_words(body: str) -> list[str]:
    return [w for w in re.split(r"[\s|/·•,;]+", body.strip(" \t-–—*•·|>»")) if w]


def mark_chrome(text: str, units: list[Unit]) -> None:
    """Mark page furniture, which names no region and pledges nothing: a line of language names
    (a language switcher: "Deutsch | Français", "日本語"), and a run of three or more short
    headlines or items of a few words with no number and no full stop (a navigation menu)."""
    short: list[bool] = []
    for unit in units:
        if unit.kind == "sentence" or unit.end - unit.start > 4 * _CHROME_SHORT:
            short.append(False)
            continue
        body = text[unit.start : unit.end].strip()
        words = _chrome_words(body)
        if words and all(
            w.lower() in rules.LANGUAGE_NAMES or (w == "Indonesia" and "Bahasa" in words)
            for w in words
        ):
            unit.chrome = True
        short.append(
            len(body) <= _CHROME_SHORT
            and len(words) <= 3
            and not any(c.isdigit() for c in body)
            and not _TERMINAL.search(body)
        )
    k = 0
    while k < len(units):
        if not short[k]:
            k += 1
            continue
        end = k
        while end < len(units) and short[end] and units[end].kind == units[k].kind:
            end += 1
        if end - k >= 3:
            for unit in units[k:end]:
                unit.chrome = True
        k = max(end, k + 1)
