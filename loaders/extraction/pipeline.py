"""Extract pledges from an English news article into a fact sheet for review.

Rule-based and vocabulary-driven: target kinds and sectors are the labels of the ontology's SKOS
schemes, regions the gazetteer's names. :func:`extract` is a pure function of its input: the same
text and source always give the same sheet. Each target records the character span (Python
``str`` offsets into the text) of the phrase that states it and a confidence in [0, 1].

How a target is found, in short:

1. The text is cut into units: sentences, list items (with the sentence that leads the list) and
   headlines (skipped, as are captions and blocks of links to other stories).
2. In each unit, a *target* is a noun phrase whose head is a kind label ("parks", "R&D centre"),
   with what stands before it read as a quantity ("1-3", "some 100", "at least 10", "a number
   of", "a" = 1), governed by a creation verb ("build", "foster", "set up"), a list, "the number
   of … will reach N", or a passive ("… will be built"), in a unit that pledges ("will", "vowed
   to", "by 2022", a goal list). Past facts ("there are 23 firms"), money ("a 10 billion yuan
   fund" is one fund) and other regions' names inside organisations are not targets.
3. Its region is the nearest pledging region before it (names, "the former/latter", "the
   province", cities mapped to their key), else the list's lead or the running context; its
   deadline the nearest deadline phrase ("by 2022", "(2020-2022)", "within three years" from the
   publication date, "in the same time period" = the previous deadline).
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cache
from typing import NamedTuple

from pledgegraph._version import __version__
from pledgegraph.loaders.extraction import patterns as rules
from pledgegraph.loaders.extraction.vocabulary import (
    DEMONYM_FOLLOWERS,
    TOKEN,
    KindEntry,
    kind_lexicon,
    region_lexicon,
    sector_lexicon,
)
from pledgegraph.loaders.facts import FactSheet, PartialDate, Pledge, Quantity, Source, Target
from pledgegraph.loaders.regions import Gazetteer, gazetteer

#: The extractor's name and version, recorded as the PROV agent of a load.
EXTRACTOR_NAME = "pledgegraph-extract"
EXTRACTOR_VERSION = __version__
EXTRACTOR_AGENT = f"{EXTRACTOR_NAME} {EXTRACTOR_VERSION}"

_BLANK = str.maketrans({c: " " for c in "*_#`>|"})
_QUOTES = frozenset("“”\"'‘’«»")
_TERMINAL = re.compile(r"[.!?:;][\"”’')\]]*\s*$")
_SENTENCE_END = re.compile(r"[.!?]+[\"”’')\]]*\s+")
_AMBIGUOUS_VERBS = frozenset(
    {"form", "plan", "target", "set", "open", "draft", "issue", "release", "complete", "select",
     "draw", "reach"}
)  # fmt: skip
_MODAL = frozenset({"to", "will", "would", "shall", "should", "must", "'ll", "can", "could", "may"})
_PAST_AUX = frozenset({"has", "have", "had", "was", "were", "already", "been"})
_YEAR_PREPS = re.compile(r"\b(?:in|by|since|from|until|before|of|to|through|for)\s*$", re.I)
_MONEY_GOAL = re.compile(
    r"[^;]{0,60}?\b(?:revenue|revenues|output|market\s+value|valuation|sales|turnover|worth|"
    r"scale)\b[^;]{0,40}?\b(?:yuan|rmb|dollars?|euros?|billion|trillion|million)\b",
    re.IGNORECASE,
)
_NUMERIC = re.compile(r"[\d,.~+–-]+")
_PAST_TIME = re.compile(r"\b(?:last\s+year|ago|previously|earlier|in\s+(?:19|20)\d{2})\b", re.I)
_FUTURE = re.compile(r"\b(?:will|would|shall|to|plans?|aims?)\b", re.I)
_REPORTING = frozenset(
    {"said", "says", "announced", "stated", "added", "noted", "told", "reported", "unveiled",
     "pledged", "promised", "vowed", "plans", "planned", "government", "officials"}
)  # fmt: skip
_ANAPHOR_FIRSTS = frozenset(k[0] for k in (*rules.ANAPHORS, *rules.FORMER_LATTER))
_QUANTITY_REACH = 64  # characters before a noun that may hold its quantity phrase
_ONE_OF_A_KIND = re.compile(r"\b(?:first|largest|biggest|only|sole|single)\b", re.I)
_NOT_ONLY = re.compile(r"\bnot\s+only\b", re.IGNORECASE)


# --- units -------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Unit:
    start: int
    end: int
    kind: str  # "sentence", "item", "headline"
    lead: _Unit | None = None
    is_lead: bool = False
    cue: bool = False
    region: str | None = None  # for leads: the region their items inherit
    deadline: PartialDate | None = None
    sector: str | None = None
    plan: str | None = None


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


def _blocks(text: str) -> list[tuple[int, int, bool]]:
    """Paragraph-like blocks: (start, end, is_list_item)."""
    blocks: list[tuple[int, int, bool]] = []
    current: list[int] | None = None  # [start, end, is_item]
    for start, end in _lines(text):
        line = text[start:end]
        if not line.strip():
            if current:
                blocks.append((current[0], current[1], bool(current[2])))
                current = None
            continue
        bullet = rules.BULLET.match(line)
        content_start = start + len(line) - len(line.lstrip())
        if bullet:
            if current:
                blocks.append((current[0], current[1], bool(current[2])))
            current = [start + bullet.end(), end, 1]
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
            blocks.append((current[0], current[1], bool(current[2])))
        current = [content_start, end, 0]
    if current:
        blocks.append((current[0], current[1], bool(current[2])))
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
        if not (nxt.isupper() or nxt.isdigit() or nxt in _QUOTES or nxt in "(•-–"):
            continue
        out.append((pos, match.start() + len(match.group().rstrip())))
        pos = cut
    if pos < end:
        out.append((pos, end))
    return [(s, e) for s, e in out if text[s:e].strip()]


def _segment(text: str) -> list[_Unit]:
    units: list[_Unit] = []
    related = False
    for start, end, is_item in _blocks(text):
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
            units.append(_Unit(start, end, "item"))
            continue
        if not terminated and (words <= 25 or _is_title_case(body)):
            units.append(_Unit(start, end, "headline"))
            continue
        for s, e in _sentences(text, start, end):
            if rules.SKIP_LINE.match(text[s:e]):
                continue
            units.append(_Unit(s, e, "sentence"))
    # Items take the unit that leads their list.
    lead: _Unit | None = None
    for index, unit in enumerate(units):
        if unit.kind != "item":
            lead = None
            continue
        if lead is None and index > 0:
            previous = units[index - 1]
            if previous.kind != "item":
                body = text[previous.start : previous.end].rstrip()
                if body.endswith(":") or rules.LEAD_CUE.search(body):
                    lead = previous
        unit.lead = lead
        if lead is not None:
            lead.is_lead = True
    return units


# --- tokens and mentions -----------------------------------------------------------------------


class _Tok(NamedTuple):
    start: int
    end: int
    text: str
    low: str
    word: bool


def _tokens(clean: str, start: int, end: int) -> list[_Tok]:
    make = _Tok
    out = []
    for m in TOKEN.finditer(clean, start, end):
        t = m.group()
        low = t.lower()
        if "’" in low:
            low = low.replace("’", "'")
        b, e = m.span()
        out.append(make(b, e, t, low, t[0].isalnum()))
    return out


@dataclass(frozen=True, slots=True)
class _Mention:
    first: int  # token indices [first, last]
    last: int
    start: int  # char offsets
    end: int
    key: str | None  # explicit region key
    types: frozenset[str] | None = None  # anaphor: region types it may denote
    pair_index: int | None = None  # "the former" (0) / "the latter" (1)
    org: bool = False
    eligible: bool = True  # may be the one who pledges (not "in X", "from X")


@cache
def _cjk_names() -> list[tuple[str, str]]:
    lex = region_lexicon()
    names = [(k[0], v) for k, v in lex.names.items() if len(k) == 1 and not k[0][0].isascii()]
    return sorted(names, key=lambda nv: -len(nv[0]))


def _eligible(toks: list[_Tok], first: int) -> bool:
    j = first - 1
    if j >= 0 and toks[j].low == "the":
        j -= 1
    if j < 0:
        return True
    word = toks[j].low
    if word not in rules.LOCATION_PREPS:
        return True
    if word == "of":
        k = j - 1
        while k >= 0 and toks[k].low in ("the", "local", "municipal", "provincial"):
            k -= 1
        return k >= 0 and toks[k].low in rules.GOVERNMENT_WORDS
    # "In Shenzhen, ..." at the start of a sentence names the subject's place.
    return j == 0 and toks[j].text[:1].isupper()


def _find_mentions(toks: list[_Tok]) -> list[_Mention]:
    lex = region_lexicon()
    firsts = lex.firsts
    out: list[_Mention] = []
    n = len(toks)
    candidates = [
        i
        for i, t in enumerate(toks)
        if t.word and (t.text in firsts or t.low in _ANAPHOR_FIRSTS or not t.text[0].isascii())
    ]
    next_free = 0
    for i in candidates:
        if i < next_free:
            continue
        tok = toks[i]
        if not tok.text[0].isascii():
            for name, cjk_key in _cjk_names():
                if name in tok.text:
                    out.append(_Mention(i, i, tok.start, tok.end, cjk_key))
                    break
            continue
        if tok.text in firsts:
            found = _name_at(toks, i)
            if found is not None:
                out.append(found)
                next_free = found.last + 1
                continue
        if tok.low not in _ANAPHOR_FIRSTS:
            continue
        for length in (3, 2, 1):
            if i + length > n:
                continue
            words_low = tuple(t.low for t in toks[i : i + length])
            last = toks[i + length - 1]
            if words_low in rules.FORMER_LATTER:
                index = rules.FORMER_LATTER[words_low]
                out.append(_Mention(i, i + length - 1, tok.start, last.end, None, pair_index=index))
                next_free = i + length
                break
            if words_low in rules.ANAPHORS:
                types = rules.ANAPHORS[words_low]
                eligible = _eligible(toks, i)
                out.append(
                    _Mention(
                        i, i + length - 1, tok.start, last.end, None, types=types, eligible=eligible
                    )
                )
                next_free = i + length
                break
    return out


def _name_at(toks: list[_Tok], i: int) -> _Mention | None:
    """The region name (or demonym + "government") that starts at token ``i``, if any."""
    lex = region_lexicon()
    n = len(toks)
    for length in range(min(lex.max_len, n - i), 0, -1):
        words = tuple(t.text for t in toks[i : i + length])
        key: str | None = lex.names.get(words)
        demonym = False
        if key is None:
            key = lex.demonyms.get(words)
            demonym = key is not None
            if demonym and not (i + length < n and toks[i + length].low in DEMONYM_FOLLOWERS):
                key = None
        if key is None:
            continue
        j = i + length
        while (
            j < n
            and toks[j].word
            and (
                toks[j].text in rules.REGION_SUFFIXES
                or toks[j].low in ("province", "city", "municipality", "government")
            )
        ):
            j += 1
        org = (
            not demonym
            and j < n
            and toks[j].word
            and toks[j].text[:1].isupper()
            and toks[j].text not in rules.REGION_SUFFIXES
            and toks[j].low not in ("and", "or")
        )
        if i >= 2 and toks[i - 1].low == "of" and toks[i - 2].text[:1].isupper():
            org = org or toks[i - 2].low not in rules.GOVERNMENT_WORDS
        eligible = not org and _eligible(toks, i)
        return _Mention(i, j - 1, toks[i].start, toks[j - 1].end, key, org=org, eligible=eligible)
    return None


# --- kinds, sectors ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Head:
    label_first: int  # token index of the label's first token
    head: int  # token index of the label's last token
    last: int  # token index where the noun phrase ends (a generic head noun may follow)
    entry: KindEntry
    plural: bool
    proper: bool


def _label_ends(toks: list[_Tok]) -> dict[int, tuple[int, KindEntry]]:
    lex = kind_lexicon()
    ends: dict[int, tuple[int, KindEntry]] = {}
    lasts = lex.lasts
    for i, tok in enumerate(toks):
        if not tok.word or tok.low not in lasts:
            continue
        for length in range(min(lex.max_len, i + 1), 0, -1):
            seg = toks[i - length + 1 : i + 1]
            if not all(t.word for t in seg):
                continue
            entry = lex.entries.get(tuple(t.low for t in seg))
            if entry is not None:
                ends[i] = (i - length + 1, entry)
                break
    return ends


def _is_nounish(tok: _Tok) -> bool:
    low = tok.low
    return (
        tok.word
        and tok.text[:1].islower()
        and low.isascii()
        and not low[:1].isdigit()
        and low not in rules.FUNCTION_WORDS
        and low not in rules.FOLLOW_OK
        and low not in rules.VERB_FORMS
        and not low.endswith(("ing", "ed", "ly"))
    )


def _find_heads(toks: list[_Tok]) -> list[_Head]:
    ends = _label_ends(toks)
    heads: list[_Head] = []
    n = len(toks)
    for i in sorted(ends):
        first, entry = ends[i]
        # A later label in the same run of words makes this one a modifier ("bases ... firms").
        later = False
        for j in range(i + 1, min(i + 5, n)):
            if not toks[j].word or toks[j].low in rules.FUNCTION_WORDS:
                break
            if j in ends and ends[j][0] <= j:
                later = True
                break
        if later:
            continue
        last = i
        plural = entry.plural
        nxt = i + 1
        if nxt + 2 < n and toks[nxt].text == "(" and toks[nxt + 2].text == ")":
            nxt += 3  # "blockchain-as-a-service (BaaS) offerings"
        follow = toks[nxt] if nxt < n else None
        if follow is not None and follow.low in ("'s",):
            continue
        if follow is not None and follow.text in ("’", "'") and toks[i].low.endswith("s"):
            continue  # "firms’ revenue"
        if follow is not None and follow.low in rules.GENERIC_HEADS:
            last = nxt
            plural = follow.low.endswith("s")
        elif follow is not None and follow.word and nxt == i + 1:
            if plural and follow.low in rules.NOUN_BLOCKERS:
                continue
            if not plural and (_is_nounish(follow) or follow.low in rules.NOUN_BLOCKERS):
                continue
        elif nxt > i + 1:
            last = nxt - 1  # keep "(BaaS)" in the phrase
        proper = (
            toks[i].text[:1].isupper()
            and first > 0
            and toks[first - 1].word
            and toks[first - 1].text[:1].isupper()
        )
        heads.append(_Head(first, i, last, entry, plural, proper))
    return heads


def _sectors_in(toks: list[_Tok], lo: int, hi: int) -> list[tuple[int, str]]:
    """(token index, sector) of the sector labels among toks[lo:hi]."""
    lex = sector_lexicon()
    out: list[tuple[int, str]] = []
    firsts = lex.firsts
    starts = [
        i for i in range(lo, hi) if toks[i].word and (toks[i].low in firsts or "-" in toks[i].low)
    ]
    next_free = lo
    for i in starts:
        if i < next_free:
            continue
        found = None
        for length in range(min(lex.max_len, hi - i), 0, -1):
            seg = toks[i : i + length]
            exact = lex.exact_case.get(tuple(t.text for t in seg))
            sector = exact or lex.entries.get(tuple(t.low for t in seg))
            if sector is not None:
                found = (length, sector)
                break
        if found is None:
            # "blockchain-related": a sector word inside a hyphenated token.
            head, _, _ = toks[i].low.partition("-")
            sector = lex.entries.get((head,)) if head != toks[i].low else None
            if sector:
                out.append((i, sector))
            continue
        out.append((i, found[1]))
        next_free = i + found[0]
    return out


# --- candidates ---------------------------------------------------------------------------------


@dataclass(slots=True)
class _Candidate:
    unit: _Unit
    head: _Head
    start: int  # span start (verb or quantity)
    np_start: int
    np_end: int
    quantity: Quantity | None
    form: str
    governor: str  # "verb", "passive", "list", "include", "nominal", "number_of", "chain", "none"
    clause: int  # clause index within the unit
    region: str | None = None
    region_how: str = ""
    deadline: PartialDate | None = None
    sector: str | None = None
    qualifier: str | None = None
    group: int = 0
    in_item: bool = False
    span_end: int = 0
    through: int | None = None  # verb before a coordinated phrase that is not a target


@dataclass(slots=True)
class _State:
    published: PartialDate | None
    gaz: Gazetteer
    context: str | None = None
    history: list[str] = field(default_factory=list)
    pair: tuple[str, str] | None = None
    last_deadline: PartialDate | None = None
    doc_sector: str | None = None


def _clause_starts(clean: str, unit: _Unit) -> list[int]:
    starts = [unit.start]
    for m in rules.CLAUSE_BREAK.finditer(clean, unit.start, unit.end):
        starts.append(m.end())
    return starts


def _clause_of(starts: list[int], pos: int) -> int:
    index = 0
    for k, s in enumerate(starts):
        if s <= pos:
            index = k
    return index


def _is_amount(tok: _Tok) -> bool:
    return bool(_NUMERIC.fullmatch(tok.low)) or tok.low in rules.SCALE_WORDS


def _money_start(toks: list[_Tok], j: int, floor: int) -> int | None:
    """If toks[j] ends a money amount ("10 billion yuan", "$40 billion", "RMB 5bn"), its start."""
    low = toks[j].low
    if rules.MONEY_TOKEN.match(low):
        k = j
    elif (
        (low in rules.CURRENCY_WORDS or low in ("billion", "trillion", "bn"))
        and j > floor
        and _is_amount(toks[j - 1])
    ):
        k = j - 1
    else:
        return None
    while k > floor and (_is_amount(toks[k - 1]) or toks[k - 1].text == "-"):
        k -= 1
    if k > floor and (toks[k - 1].low in rules.CURRENCY_WORDS or toks[k - 1].low in ("us", "hk")):
        k -= 1
        if k > floor and toks[k - 1].low in ("us", "hk"):
            k -= 1
    return k


def _modifier(tok: _Tok) -> bool:
    low = tok.low
    if not tok.word or low in rules.FUNCTION_WORDS or low in rules.NUMBER_WORDS:
        return False
    if _NUMERIC.fullmatch(low):
        return False
    verb = rules.VERB_FORMS.get(low)
    return not (verb and verb[1] != "past" and verb[0] not in _AMBIGUOUS_VERBS)


def _left_modifiers(toks: list[_Tok], first: int, floor: int, heads: frozenset[int]) -> int:
    """Token index where the modifiers before a label start (``heads``: other labels' ends)."""
    j = first - 1
    count = 0
    while j >= floor and count < 7:
        tok = toks[j]
        if tok.text in _QUOTES:
            # A quoted modifier is one word, whatever it holds: "specialized and sophisticated".
            k = j - 1
            while k >= floor and j - k <= 8 and toks[k].text not in _QUOTES:
                k -= 1
            if k >= floor and toks[k].text in _QUOTES and toks[k].text not in "”’" and j - k > 1:
                j = k - 1
                count += 1
            else:
                j -= 1
            continue
        money = _money_start(toks, j, floor)
        if money is not None:
            j = money - 1
            count += 1
            continue
        if tok.low in ("and", "or", "&") and j - 1 >= floor and j - 1 not in heads:
            # "20 charging and swapping zones": coordinated modifiers, not two targets.
            k = j - 1
            while k >= floor and j - k <= 3 and _modifier(toks[k]):
                k -= 1
            stop = toks[k] if k >= floor else None
            if (
                k < j - 1
                and stop is not None
                and stop.word
                and (stop.low in rules.NUMBER_WORDS or _NUMERIC.fullmatch(stop.low))
            ):
                j = k
            break
        if not _modifier(tok):
            break
        j -= 1
        count += 1
    return j + 1


def _verb_governor(
    clean: str, gov_start: int, gov_end: int, imperative: bool = False
) -> int | None:
    """Start offset of the creation verb that governs what follows ``gov_end``, if any.

    ``imperative``: a verb opening a list item ("- set up a fund") needs no "will" or "to".
    """
    text = clean[gov_start:gov_end]
    words = list(re.finditer(r"[\w'’&-]+", text))
    k = len(words) - 1
    skipped = 0
    while k >= 0 and skipped < 3:
        w = words[k].group().lower()
        if w in rules.VERB_FILLERS or (w.endswith("ly") and w not in rules.VERB_FORMS):
            k -= 1
            skipped += 1
            continue
        break
    if k < 0:
        return None
    word = words[k].group().lower().replace("’", "'")
    form = rules.VERB_FORMS.get(word)
    if form is None:
        return None
    lemma, tense = form
    before = [words[m].group().lower() for m in range(max(0, k - 3), k)]
    before = [w for w in before if w not in rules.VERB_FILLERS and not w.endswith("ly")]
    p1 = before[-1] if before else ""
    p2 = before[-2] if len(before) > 1 else ""
    verb_start = gov_start + words[k].start()
    earlier = clean[gov_start:verb_start]
    if lemma in rules.PLEDGE_VERBS:
        pass
    elif tense == "past":
        if not (p1 in ("be", "being") or (p1 == "have" and p2 in _MODAL)):
            return None
    elif tense == "s" and lemma == "have":
        return None
    elif lemma in rules.WEAK_VERBS:
        chained = p1 in ("and", "or", "then") and _FUTURE.search(earlier)
        opening = imperative and not re.search(r"\w", re.split(r"[:;•]", earlier)[-1])
        if tense != "base" or _PAST_TIME.search(earlier):
            return None
        if not (p1 in _MODAL or chained or opening):
            return None
    elif tense == "base" and p1 in _PAST_AUX:
        return None
    window = clean[max(gov_start, verb_start - 40) : verb_start]
    if rules.NEGATION.search(_NOT_ONLY.sub(" ", window)):
        return None
    return verb_start


def _governor(
    clean: str, unit: _Unit, clause_start: int, q_start: int, list_ok: bool
) -> tuple[str, int | None]:
    gov = clean[clause_start:q_start]
    stripped = gov.rstrip(" \t“”\"'‘’")
    coordinator = rules.COORDINATOR_END.search(stripped)
    if coordinator:
        # "build five testbeds and a fund": the verb of the phrase before also governs this one.
        return "chain", _through_verb(clean, clause_start, clause_start + coordinator.start())
    if not stripped.strip(" \t-–—•·:;,.(") or stripped.endswith(":"):
        return ("list", None) if list_ok else ("none", None)
    if rules.NUMBER_OF_END.search(stripped):
        return "number_of", None
    if rules.INCLUDE_END.search(stripped):
        return "include", None
    of = re.search(r"([\w-]+)\s+of$", stripped)
    if of and of.group(1).lower() in rules.NOMINAL_GOVERNORS:
        return "nominal", None
    verb = _verb_governor(clean, clause_start, q_start, imperative=list_ok)
    if verb is not None:
        return "verb", verb
    return "none", None


def _through_verb(clean: str, clause_start: int, end: int) -> int | None:
    """The creation verb before a noun phrase that ends at ``end``, if there is one."""
    words = list(re.finditer(r"[\w'’&-]+", clean[clause_start:end]))
    k = len(words) - 1
    while k >= 0 and len(words) - 1 - k < 6:
        w = words[k].group().lower()
        verb = rules.VERB_FORMS.get(w)
        if (
            w in rules.FUNCTION_WORDS
            or w in rules.NUMBER_WORDS
            or _NUMERIC.fullmatch(w)
            or (verb and verb[1] != "past" and verb[0] not in _AMBIGUOUS_VERBS)
        ):
            break
        k -= 1
    if k == len(words) - 1:
        return None
    np_start = clause_start + words[k + 1].start()
    prefix_start = max(clause_start, np_start - _QUANTITY_REACH)
    parsed = rules.parse_quantity_end(clean[prefix_start:np_start])
    q_start = prefix_start + parsed.start if parsed.form != "bare" else np_start
    return _verb_governor(clean, clause_start, q_start)


def _unit_candidates(
    clean: str, unit: _Unit, toks: list[_Tok], deadlines: list[rules.DeadlineMatch]
) -> list[_Candidate]:
    heads = _find_heads(toks)
    if not heads:
        return []
    head_ends = frozenset(h.last for h in heads)
    starts = _clause_starts(clean, unit)
    body = clean[unit.start : unit.end]
    colon = body.find(":")
    spans = [(unit.start + d.start, unit.start + d.end) for d in deadlines]
    out: list[_Candidate] = []
    for head in heads:
        np_start_char = toks[head.label_first].start
        clause = _clause_of(starts, np_start_char)
        clause_start = starts[clause]
        floor = 0
        while floor < len(toks) and toks[floor].start < clause_start:
            floor += 1
        mod_first = _left_modifiers(toks, head.label_first, floor, head_ends)
        mod_start = toks[mod_first].start if mod_first < head.label_first else np_start_char
        prefix_start = max(clause_start, mod_start - _QUANTITY_REACH)
        parsed = rules.parse_quantity_end(clean[prefix_start:mod_start])
        form = parsed.form
        quantity = parsed.quantity
        q_start = prefix_start + parsed.start if form != "bare" else mod_start
        if form == "number" and quantity is not None and quantity.value is not None:
            number_at = prefix_start + parsed.number_start
            in_deadline = any(s <= number_at < e for s, e in spans)
            if in_deadline or (
                1900 <= quantity.value <= 2100
                and _YEAR_PREPS.search(clean[max(0, number_at - 10) : number_at])
            ):
                form, quantity, q_start = "bare", None, mod_start
        list_ok = unit.kind == "item" and (unit.cue or (unit.lead is not None and unit.lead.cue))
        list_ok = list_ok or (colon >= 0 and unit.start + colon < q_start and unit.cue)
        if form == "bare" and unit.kind == "item":
            # A table-like item: "Robotics firms with sales above 100 million yuan: 50".
            value = rules.ITEM_VALUE.match(clean, toks[head.last].end, unit.end)
            number = rules.parse_number(value.group("num")) if value else None
            if number is not None:
                form, quantity = "number", Quantity(value=number)
        governor, verb_start = _governor(clean, unit, clause_start, q_start, list_ok)
        through = None
        if governor == "chain":
            through, verb_start = verb_start, None
        np_end = toks[head.last].end
        if governor == "number_of":
            found = rules.parse_number_of_value(clean[np_end : unit.end])
            if found is None or not head.plural:
                continue
            quantity, _end = found
            form = "number"
        elif governor in ("none", "chain") and rules.PASSIVE_AFTER.match(clean, np_end, unit.end):
            governor = "passive" if governor == "none" else "chain+passive"
        out.append(
            _Candidate(
                unit=unit,
                head=head,
                start=verb_start if verb_start is not None else q_start,
                np_start=q_start,
                np_end=np_end,
                quantity=quantity,
                form=form,
                governor=governor,
                clause=clause,
                in_item=unit.kind == "item",
                through=through,
            )
        )
    _group(clean, out, spans)
    return out


def _gap_is_coordination(clean: str, start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    gap = clean[start:end]
    for s, e in spans:
        if start <= s and e <= end:
            gap = gap.replace(clean[s:e], " ")
    return bool(rules.COORDINATOR_GAP.match(gap) or rules.POSTMODIFIER_GAP.match(gap))


def _group(clean: str, cands: list[_Candidate], spans: list[tuple[int, int]]) -> None:
    """Coordinated noun phrases share a governor: "create a fund, as well as an alliance"."""
    group = 0
    for k, cand in enumerate(cands):
        chained = False
        if k > 0:
            prev = cands[k - 1]
            chained = cand.governor.startswith("chain") and _gap_is_coordination(
                clean, prev.np_end, cand.np_start, spans
            )
            # A bare noun right after a coordinated one of the same kind is one target:
            # "a number of apps and/or products".
            if (
                chained
                and cand.form == "bare"
                and prev.head.entry.kind == cand.head.entry.kind
                and prev.clause == cand.clause
            ):
                prev.np_end = cand.np_end
                cand.governor = "merged"
                cand.group = prev.group
                continue
        if not chained:
            group += 1
            if cand.governor.startswith("chain") and cand.through is not None:
                cand.governor, cand.start = "verb", cand.through
        cand.group = group
    governed: set[int] = set()
    for cand in cands:
        if cand.governor in ("verb", "passive", "chain+passive", "list", "include", "nominal",
                             "number_of"):  # fmt: skip
            governed.add(cand.group)
    for cand in cands:
        if cand.governor == "merged":
            continue
        if cand.group in governed and cand.governor in ("chain", "none"):
            cand.governor = "chain"
        elif cand.group not in governed:
            cand.governor = "none"


# --- resolving regions, deadlines, sectors --------------------------------------------------------


def _typed(types: frozenset[str], state: _State, local: list[str]) -> str | None:
    gaz = state.gaz
    if not types:
        return local[-1] if local else state.context
    for key in reversed(local):
        if key in gaz and gaz.get(key).type in types:
            return key
    if state.context and state.context in gaz and gaz.get(state.context).type in types:
        return state.context
    for key in reversed(state.history):
        if key in gaz and gaz.get(key).type in types:
            return key
    if state.context:
        for region in gaz.ancestors(state.context):
            if region.type in types:
                return region.key
    return state.context


def _resolve_mentions(
    mentions: list[_Mention], toks: list[_Tok], state: _State
) -> list[tuple[_Mention, str | None]]:
    """Each mention with the region it stands for; also records "X and Y" pairs."""
    out: list[tuple[_Mention, str | None]] = []
    local: list[str] = []
    explicit: list[_Mention] = [m for m in mentions if m.key and not m.org]
    for a, b in itertools.pairwise(explicit):
        between = [t.low for t in toks[a.last + 1 : b.first]]
        if between == ["and"] and a.key and b.key:
            state.pair = (a.key, b.key)
    for m in mentions:
        if m.key is not None:
            if not m.org:
                local.append(m.key)
            out.append((m, m.key))
        elif m.pair_index is not None:
            out.append((m, state.pair[m.pair_index] if state.pair else state.context))
        else:
            types = m.types or frozenset()
            if types:
                previous = [k for (mm, k) in out if mm.key and mm.eligible and k is not None]
            else:  # "it", "the government": the nearest pledger named before, by name or not
                previous = [k for (mm, k) in out if mm.eligible and not mm.org and k is not None]
            out.append((m, _typed(types, state, previous)))
    return out


def _choose_region(
    resolved: list[tuple[_Mention, str | None]],
    toks: list[_Tok],
    pos: int,
    unit: _Unit,
    state: _State,
) -> tuple[str | None, str]:
    before = [(m, k) for m, k in resolved if m.end <= pos and m.eligible and k]
    if before:
        m, key = before[-1]
        if len(before) >= 2 and m.key:
            pm, pkey = before[-2]
            gap = [t for t in toks[pm.last + 1 : m.first] if t.word]
            if (
                pm.key
                and pkey
                and len(gap) <= 2
                and key in {r.key for r in state.gaz.ancestors(pkey)}
            ):
                return pkey, "explicit"
        return key, "explicit" if m.key else "anaphor"
    after = [(m, k) for m, k in resolved if m.start >= pos and m.key and not m.org and k]
    for m, key in after:
        following = {t.low for t in toks[m.last + 1 : m.last + 5]}
        by = m.first > 0 and toks[m.first - 1].low == "by"
        if by or (m.eligible and following & _REPORTING):
            return key, "after"
    if unit.lead is not None and unit.lead.region:
        return unit.lead.region, "lead"
    return state.context, "context"


def _choose_deadline(
    cand: _Candidate, cands: list[_Candidate], deadlines: list[rules.DeadlineMatch], state: _State
) -> PartialDate | None:
    unit = cand.unit
    later_groups = [c.np_start for c in cands if c.group > cand.group and c.governor != "merged"]
    bound = min(later_groups) if later_groups else unit.end
    options: list[tuple[int, int, int, PartialDate]] = []
    for d in deadlines:
        start, end = unit.start + d.start, unit.start + d.end
        if cand.np_end <= start < bound:
            options.append((0, -d.strength, start - cand.np_end, d.date))
        elif end <= cand.np_start:
            options.append((1, -d.strength, cand.np_start - end, d.date))
        elif start >= bound:
            options.append((2, -d.strength, start - cand.np_end, d.date))
    if options:
        options.sort(key=lambda o: (o[0], o[1], o[2]))
        date = options[0][3]
        return state.last_deadline if date is rules.INHERIT else date
    if unit.lead is not None:
        return unit.lead.deadline
    return None


def _strongest_deadline(deadlines: list[rules.DeadlineMatch], state: _State) -> PartialDate | None:
    if not deadlines:
        return None
    best = sorted(deadlines, key=lambda d: -d.strength)[0]
    return state.last_deadline if best.date is rules.INHERIT else best.date


def _qualifier(toks: list[_Tok], lo: int, hi: int) -> str | None:
    words: list[str] = []
    quoted = False
    take_next = False
    sectors = {i for i, _ in _sectors_in(toks, lo, hi)}
    for i in range(lo, hi):
        tok = toks[i]
        if tok.text in _QUOTES:
            quoted = not quoted
            continue
        if not tok.word or i in sectors:
            take_next = False
            continue
        if quoted or tok.low in rules.QUALIFIER_WORDS or take_next:
            words.append(tok.text)
        take_next = tok.low.endswith("ly") and tok.low in rules.QUALIFIER_WORDS
    return " ".join(words) if words else None


def _plan_name(body: str) -> str | None:
    match = rules.PLAN_NAME.search(body)
    if not match:
        return None
    name = re.sub(r"^(?:The|A|An|Its|Under|In|With|By|Per)\s+", "", match.group("name").strip())
    return name if len(name.split()) >= 2 else None


def _confidence(cand: _Candidate) -> float:
    score = 0.55
    score += {"verb": 0.15, "passive": 0.12, "list": 0.15, "number_of": 0.15, "nominal": 0.1,
              "include": 0.08, "chain": 0.1, "chain+passive": 0.12}.get(cand.governor, 0.0)  # fmt: skip
    score += {"number": 0.1, "range": 0.1, "single": 0.08, "unspecified": 0.04}.get(
        cand.form, -0.05
    )
    score += {"explicit": 0.1, "lead": 0.06, "anaphor": 0.06, "after": 0.04}.get(
        cand.region_how, 0.0
    )
    if cand.deadline is not None:
        score += 0.05
    return round(min(0.95, max(0.3, score)), 2)


# --- the extractor ---------------------------------------------------------------------------------


def extract(text: str, *, source: Source) -> FactSheet:
    """The pledges an article's text reports, as a fact sheet for review.

    Pure and deterministic. ``source`` describes the article (its ``published`` date resolves
    "within three years"); the returned sheet's source also carries ``text_sha256``, the SHA-256
    of ``text`` as UTF-8, which every target's ``span`` points into.
    """
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    sheet_source = replace(source, text_sha256=digest)
    clean = text.translate(_BLANK)
    units = _segment(clean)
    state = _State(published=source.published, gaz=gazetteer())
    all_toks = [_tokens(clean, unit.start, unit.end) for unit in units]
    all_sectors = [_sectors_in(toks, 0, len(toks)) for toks in all_toks]
    state.doc_sector = _document_sector(all_sectors)
    if source.title:
        title_toks = _tokens(source.title, 0, len(source.title))
        for m in _find_mentions(title_toks):
            if m.key and not m.org:
                state.context = m.key
                break
    found: list[_Candidate] = []
    seen_headline = False
    previous_period: PartialDate | None = None
    for unit, toks, unit_sectors in zip(units, all_toks, all_sectors, strict=True):
        body = clean[unit.start : unit.end]
        mentions = _find_mentions(toks)
        if unit.kind == "headline":
            if not seen_headline and state.context is None:
                for m in mentions:
                    if m.key and not m.org:
                        state.context = m.key
                        break
            seen_headline = True
            unit.cue = bool(rules.LEAD_CUE.search(body))
            continue
        unit.cue = bool(rules.PLEDGE_CUE.search(body))
        resolved = _resolve_mentions(mentions, toks, state)
        deadlines = rules.find_deadlines(body, state.published)
        cands = _unit_candidates(clean, unit, toks, deadlines)
        kept = _keep(clean, unit, cands)
        for cand in kept:
            pos = cand.start
            cand.region, cand.region_how = _choose_region(resolved, toks, pos, unit, state)
            cand.deadline = _choose_deadline(cand, cands, deadlines, state)
            cand.span_end = cand.np_end
            for d in deadlines:
                if unit.start + d.start >= cand.np_end:
                    if not clean[cand.np_end : unit.start + d.start].strip():
                        cand.span_end = unit.start + d.end
                    break
            if cand.deadline is not None:
                state.last_deadline = cand.deadline
            cand.sector = _target_sector(cand, toks, unit_sectors, state)
            cand.qualifier = _qualifier(toks, _index_at(toks, cand.np_start), cand.head.head + 1)
            found.append(cand)
        # What the unit leaves for the units after it.
        region_here = _subject_region(resolved, toks, state)
        if unit.is_lead:
            unit.region = region_here or state.context
            unit.deadline = _strongest_deadline(deadlines, state) or previous_period
            if unit.deadline is not None and unit.cue:
                state.last_deadline = unit.deadline
            unit.sector = unit_sectors[0][1] if unit_sectors else None
            unit.plan = _plan_name(text[unit.start : unit.end])
        previous_period = None
        if unit.cue and not kept:
            # A plan's period ("the 2023-2025 action plan") is what "the same period" means next,
            # and what a list right after it ("The main goals are:") is due by.
            strong = [d for d in deadlines if d.strength >= 2 and d.date is not rules.INHERIT]
            if strong:
                state.last_deadline = previous_period = strong[-1].date
        if kept and kept[-1].region:
            state.context = kept[-1].region
        elif region_here:
            state.context = region_here
        for m, key in resolved:
            if m.key and not m.org and key:
                state.history.append(key)
    for cand in found:
        if cand.unit.plan is None:
            cand.unit.plan = _plan_name(text[cand.unit.start : cand.unit.end])
    return FactSheet(source=sheet_source, pledges=_assemble(found))


def _index_at(toks: list[_Tok], pos: int) -> int:
    for i, tok in enumerate(toks):
        if tok.end > pos:
            return i
    return len(toks)


def _subject_region(
    resolved: list[tuple[_Mention, str | None]], toks: list[_Tok], state: _State
) -> str | None:
    eligible = [(m, k) for m, k in resolved if m.key and m.eligible and k]
    if not eligible:
        return None
    m, key = eligible[0]
    if len(eligible) >= 2:
        nm, nkey = eligible[1]
        gap = [t for t in toks[m.last + 1 : nm.first] if t.word]
        if nkey and len(gap) <= 2 and key in {r.key for r in state.gaz.ancestors(nkey)}:
            return nkey
    return key


def _keep(clean: str, unit: _Unit, cands: list[_Candidate]) -> list[_Candidate]:
    cue = unit.cue or (unit.lead is not None and unit.lead.cue)
    if not cue:
        return []
    kept = []
    for cand in cands:
        if cand.governor in ("none", "merged"):
            continue
        if cand.form == "definite":
            first_word = cand.head.proper or _ONE_OF_A_KIND.search(
                clean, cand.np_start, cand.np_end
            )
            if not first_word:
                continue
            cand.quantity, cand.form = Quantity(value=1), "single"
        if cand.form == "single" and cand.head.plural:
            cand.quantity, cand.form = None, "unspecified"
        if cand.quantity is None and _MONEY_GOAL.match(clean, cand.np_end, cand.unit.end):
            continue  # "firms with a combined market value of 1 trillion yuan"
        if cand.form == "bare" and not cand.head.plural and cand.head.proper:
            cand.quantity, cand.form = Quantity(value=1), "single"
        kept.append(cand)
    return kept


def _document_sector(all_sectors: list[list[tuple[int, str]]]) -> str | None:
    counts: Counter[str] = Counter()
    first: dict[str, tuple[int, int]] = {}
    for u, sectors in enumerate(all_sectors):
        for i, sector in sectors:
            counts[sector] += 1
            first.setdefault(sector, (u, i))
    if not counts:
        return None
    return sorted(counts, key=lambda s: (-counts[s], first[s]))[0]


def _target_sector(
    cand: _Candidate, toks: list[_Tok], unit_sectors: list[tuple[int, str]], state: _State
) -> str | None:
    lo = _index_at(toks, cand.np_start)
    inside = [s for i, s in unit_sectors if lo <= i <= cand.head.last]
    if inside:
        return inside[0]
    if unit_sectors:
        head_at = cand.head.head
        return sorted(unit_sectors, key=lambda iv: abs(iv[0] - head_at))[0][1]
    if cand.unit.lead is not None and cand.unit.lead.sector:
        return cand.unit.lead.sector
    return state.doc_sector


def _quantity_key(q: Quantity | None) -> tuple[object, ...]:
    if q is None:
        return (None,)
    return (q.value, q.minimum, q.maximum, q.approximate, q.bound)


def _assemble(found: list[_Candidate]) -> tuple[Pledge, ...]:
    # One target per (region, kind, quantity, deadline): a list item beats the prose before it.
    best: dict[tuple[object, ...], _Candidate] = {}
    for cand in found:
        if cand.region is None:
            continue
        key = (cand.region, cand.head.entry.kind, _quantity_key(cand.quantity), cand.deadline)
        if key not in best or (cand.in_item and not best[key].in_item):
            best[key] = cand
    kept = sorted(best.values(), key=lambda c: (c.start, c.np_end))
    groups: dict[tuple[str, PartialDate | None], list[_Candidate]] = {}
    for cand in kept:
        assert cand.region is not None
        groups.setdefault((cand.region, cand.deadline), []).append(cand)
    pledges = []
    for (region, deadline), cands in groups.items():
        sectors = Counter(c.sector for c in cands if c.sector)
        sector = sorted(sectors, key=lambda s: -sectors[s])[0] if sectors else None
        plans = [c.unit.lead.plan if c.unit.lead else c.unit.plan for c in cands]
        plan = next((p for p in plans if p), None)
        targets = tuple(
            Target(
                kind=c.head.entry.kind,
                quantity=c.quantity,
                qualifier=c.qualifier,
                sector=c.sector if c.sector != sector else None,
                span=(c.start, _span_end(c)),
                confidence=_confidence(c),
            )
            for c in cands
        )
        pledges.append(
            Pledge(region=region, targets=targets, plan=plan, deadline=deadline, sector=sector)
        )
    return tuple(pledges)


def _span_end(cand: _Candidate) -> int:
    return max(cand.span_end, cand.np_end)
