"""Stage 2: region mentions in a unit and the region each target is for.

A mention is a gazetteer name ("Hebei", "Shenzhen city"), a demonym with "government", an anaphor
("the province", "the city", "the former") or a CJK name. Mentions inside organisation names
("Bank of China") or after a location preposition ("firms in Beijing") cannot be the pledger.
:func:`choose_region` picks the nearest pledging region before a target, else one after it that
reports ("..., Hebei said"), else the list's lead, else the running context.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from pledgegraph.loaders.extraction import patterns as rules
from pledgegraph.loaders.extraction.state import State
from pledgegraph.loaders.extraction.units import Tok, Unit, index_at
from pledgegraph.loaders.extraction.vocabulary import (
    AMBIGUOUS_DEMONYMS,
    AMBIGUOUS_STATE_NAMES,
    AMBIGUOUS_SUBDIVISIONS,
    DEMONYM_FOLLOWERS,
    region_lexicon,
    tokenize,
)
from pledgegraph.loaders.regions import Gazetteer

_REPORTING = frozenset(
    {"said", "says", "announced", "stated", "added", "noted", "told", "reported", "unveiled",
     "pledged", "promised", "vowed", "plans", "planned", "government", "officials"}
)  # fmt: skip
#: Words that make a region's name before them a newspaper's or a broadcaster's.
_MEDIA_WORDS = frozenset(
    {"daily", "news", "times", "post", "radio", "television", "tv", "network", "online",
     "today", "net", "gazette", "herald", "weekly", "press", "broadcasting"}
)  # fmt: skip
_ANAPHOR_FIRSTS = frozenset(k[0] for k in (*rules.ANAPHORS, *rules.FORMER_LATTER))


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


#: What a region owns that makes it the one who acts: "as part of Canada's plan".
_OWNED_PLANS = frozenset(
    {"plan", "plans", "strategy", "programme", "program", "budget", "package", "government",
     "commitment", "commitments", "pledge", "agenda", "roadmap", "blueprint", "scheme",
     "initiative", "investment", "policy", "framework", "housing", "health"}
)  # fmt: skip


#: "as part of Canada's plan", "under the first phase of …" (not "a critic of Ontario's plan").
_PARTS_OF_A_PLAN = frozenset(
    {"part", "parts", "heart", "centre", "center", "core", "pillar", "pillars", "phase", "stage",
     "element", "elements", "terms", "delivery", "implementation"}
)  # fmt: skip


#: Words before a place that make it what another is measured against.
_COMPARED_WITH = frozenset(
    {"overtake", "overtakes", "overtaking", "overtook", "overtaken", "outpace", "outpacing",
     "surpass", "surpassing", "outperform", "outperforming", "than", "rival", "rivalling",
     "rivaling", "emulate", "emulating"}
)  # fmt: skip


def _eligible(toks: list[Tok], first: int, last: int | None = None) -> bool:
    j = first - 1
    if j >= 0 and toks[j].low == "the":
        j -= 1
    if j < 0:
        return True
    if toks[j].text in (",", "and", "or"):
        # A later member of a list of places takes the list's preposition: "firms in Hebei,
        # Hunan and Anhui", "approval of Kansas, Ohio and Texas plans".
        k = j
        while (
            k >= 0
            and first - k <= 10
            and (toks[k].text in (",", "and", "or", "the") or toks[k].text[:1].isupper())
        ):
            k -= 1
        if (
            k >= 0
            and k < j
            and toks[k + 1].text[:1].isupper()
            and toks[k].low in rules.LOCATION_PREPS
        ):
            j = k
    word = toks[j].low
    if word in _COMPARED_WITH:
        return False  # "with the aim of overtaking Germany": a yardstick, not who pledges
    if word not in rules.LOCATION_PREPS:
        return True
    if word == "of":
        if (
            last is not None
            and j > 0
            and toks[j - 1].low in _PARTS_OF_A_PLAN
            and last + 2 < len(toks)
            and toks[last + 1].low in ("'s", "’s")
            and toks[last + 2].low in _OWNED_PLANS
        ):
            return True  # "as part of Queensland's plan, 500 homes will be built"
        k = j - 1
        while k >= 0 and toks[k].low in ("the", "local", "municipal", "provincial"):
            k -= 1
        return k >= 0 and toks[k].low in rules.GOVERNMENT_WORDS
    # "In Shenzhen, ..." at the start of a sentence names the subject's place.
    return j == 0 and toks[j].text[:1].isupper()


@dataclass(frozen=True, slots=True)
class PageNames:
    """Names a page lets stand for a region that they do not name on every page
    (:func:`page_names`), by tokens, as the lexicon keeps them."""

    names: dict[tuple[str, ...], str]
    demonyms: dict[tuple[str, ...], str]
    firsts: frozenset[str]


#: Words that make an ambiguous name a state wherever they stand with it: "the state of
#: Georgia", "Victoria's Premier", "the Governor of Georgia" (a country has none of them;
#: "the Government of Georgia" may be the country's, so it is no such word).
_STATE_WORDS = r"(?:[Ss]tate|[Gg]overnor|[Pp]remier|[Ll]egislature|[Gg]eneral\s+[Aa]ssembly)"


#: A state's own government by its demonym: "the Victorian Government", "the Victorian Budget".
_STATE_GOVERNMENT = re.compile(
    r"\b(?:Victorian)\s+(?:[Gg]overnment|[Pp]remier|[Bb]udget|[Pp]arliament|[Ll]abor\s+[Gg]overnment)\b"
)


_COUNTRY_OF_STATE = {
    "Victoria": r"Australia\b",
    "Georgia": r"(?:USA\b|U\.S\.(?:A\.)?|United\s+States\b)",
}


def _named_as_state(name: str, texts: tuple[str, ...]) -> bool:
    pattern = _state_words_pattern(name)
    return any(pattern.search(t) for t in texts)


@cache
def _state_words_pattern(name: str) -> re.Pattern[str]:
    return re.compile(
        rf"\b{_STATE_WORDS}\s+of\s+{name}\b|\b{name}(?:['’]s)?\s+{_STATE_WORDS}\b"
        # the name with its own country: "Victoria, Australia", "Georgia (USA)"
        rf"|\b{name},?\s+\(?{_COUNTRY_OF_STATE.get(name, '(?!)')}"
    )


def page_names(
    text: str,
    evidence: tuple[str, ...],
    page_region: str | None,
    host_region: str | None = None,
) -> PageNames | None:
    """The ambiguous subdivision names (vocabulary.AMBIGUOUS_SUBDIVISIONS) that stand for their
    subdivision on this page: those the page calls a state ("the state of Georgia", "the
    Governor of Georgia", "Victoria's Premier", "the Victorian Government"), and those whose
    country the page's address or publisher gives or another of whose country's subdivisions
    the page names ("New South Wales"). A country named in passing is no evidence ("Victoria
    will build 500 homes, Canada said. Australian investors are keen."): "Victoria" may be a
    lake, a Canadian city or a person and then stays no region, and "Georgia" the country. None
    when no such name is in the text.

    ``evidence``: the publisher and title, read like the text; ``host_region``: the region the
    page's address gives (a ``.gov`` site: the United States)."""
    wanted = {
        name: key
        for name, key in (*AMBIGUOUS_SUBDIVISIONS.items(), *AMBIGUOUS_DEMONYMS.items())
        if name in text or any(name in e for e in evidence)
    }
    if not wanted:
        return None
    countries: set[str] = set()  # where the page's address or publisher puts it
    for region in (page_region, host_region):
        if region:
            countries.add(region.split("-")[0])
    texts = (text, *evidence)
    chosen = {
        name: key
        for name, key in wanted.items()
        if _named_as_state(AMBIGUOUS_STATE_NAMES.get(name, name), texts)
        or any(_STATE_GOVERNMENT.search(t) for t in texts if key == "AU-VIC")
        or (
            _country_evidence(key, countries, host_region, texts)
            and not any(_OTHER_MEANING[key].search(t) for t in texts)
        )
    }
    if not chosen:
        return None
    names = {tuple(tokenize(n)): k for n, k in chosen.items() if n in AMBIGUOUS_SUBDIVISIONS}
    demonyms = {tuple(tokenize(n)): k for n, k in chosen.items() if n in AMBIGUOUS_DEMONYMS}
    return PageNames(names, demonyms, frozenset(k[0] for k in (*names, *demonyms)))


#: Words that show a page means the other bearer of an ambiguous name: the country Georgia,
#: a Canadian or African Victoria (then only state words make it the state).
_OTHER_MEANING = {
    "US-GA": re.compile(
        r"\b(?:Tbilisi|Batumi|Kutaisi|Georgian|Caucasus|[Pp]rime\s+[Mm]inister|Abkhazia|"
        r"South\s+Ossetia|former\s+Soviet|Black\s+Sea)\b"
    ),
    "AU-VIC": re.compile(
        r"\b(?:British\s+Columbia|B\.C\.|Vancouver\s+Island|Canadian?|Kenyan?|Ugandan?|"
        r"Tanzanian?|Seychelles|Lake\s+Victoria|Victoria\s+Falls|Zambian?|Zimbabwean?)\b"
    ),
}


@cache
def _state_names(country: str) -> str:
    """A regular-expression alternation of the subdivision names of ``country`` the lexicon
    knows (four letters or more), longest first."""
    names = {" ".join(k) for k, v in region_lexicon().names.items() if v.startswith(country + "-")}
    return "|".join(
        re.escape(n) for n in sorted((n for n in names if len(n) >= 4), key=len, reverse=True)
    )


def _country_evidence(
    key: str, countries: set[str], host_region: str | None, texts: tuple[str, ...]
) -> bool:
    """Whether the page puts an ambiguous name's state in its country. For Victoria: the
    address or publisher, or another Australian state named in the text. For Georgia only the
    address (a ``.gov`` site) or another state in one list with it: American states and a New
    York publisher are named on pages about the country Georgia too (an attack: "... told the
    UN in New York")."""
    country = key.split("-")[0]
    if key == "US-GA":
        return (host_region is not None and host_region.split("-")[0] == country) or any(
            _listed_with_a_state(t) for t in texts
        )
    return country in countries or _names_another_state(key, texts)


@cache
def _state_list_pattern() -> re.Pattern[str]:
    """Georgia in one list with another American state: "Alabama and Georgia", "Georgia,
    Florida and Texas"."""
    states = _state_names("US")
    return re.compile(
        rf"\b(?:{states})\s*(?:,|and|or|&)\s+Georgia\b|\bGeorgia\s*(?:,|and|or|&)\s+(?:{states})\b"
    )


def _listed_with_a_state(text: str) -> bool:
    return "Georgia" in text and _state_list_pattern().search(text) is not None


def _names_another_state(key: str, texts: tuple[str, ...]) -> bool:
    """Whether the page names another subdivision of ``key``'s country ("New South Wales" on a
    page about Victoria)."""
    pattern = _state_pattern(key.split("-")[0])
    names = region_lexicon().names
    return any(
        names.get(tuple(m.group().split())) not in (None, key)
        for t in texts
        for m in pattern.finditer(t)
    )


@cache
def _state_pattern(country: str) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{_state_names(country)})\b")


#: Words around an ambiguous name that make it something else: "Lake Victoria", "Victoria
#: Falls", "Queen Victoria", "Victoria, British Columbia".
_NOT_THE_STATE_BEFORE = frozenset(
    {"lake", "queen", "princess", "saint", "st", "port", "mount", "mt"}
)
_NOT_THE_STATE_AFTER = frozenset(
    {"falls", "harbour", "harbor", "park", "station", "street", "road", "square", "island",
     "cross", "beckham", "memorial", "hospital", "university", "line", "embankment"}
)  # fmt: skip
_NOT_THE_STATE_PLACE = re.compile(r",?\s*(?:British\s+Columbia|B\.?C\.?|Canada|Seychelles)\b")


def _not_the_state(toks: list[Tok], found: _Mention) -> bool:
    before = toks[found.first - 1].low if found.first > 0 else ""
    after = toks[found.last + 1] if found.last + 1 < len(toks) else None
    if before in _NOT_THE_STATE_BEFORE or (after is not None and after.low in _NOT_THE_STATE_AFTER):
        return True
    rest = " ".join(t.text for t in toks[found.last + 1 : found.last + 5])
    return _NOT_THE_STATE_PLACE.match(rest) is not None


def find_mentions(toks: list[Tok], page: PageNames | None = None) -> list[_Mention]:
    lex = region_lexicon()
    firsts = lex.firsts if page is None else lex.firsts | page.firsts
    title_case = cache(lambda: _title_case(toks))
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
            if tok.low in rules.LANGUAGE_NAMES:
                continue  # "日本語" in a language switcher is a language, not Japan
            for name, cjk_key in _cjk_names():
                if name in tok.text:
                    out.append(_Mention(i, i, tok.start, tok.end, cjk_key))
                    break
            continue
        if tok.text in firsts:
            found = _name_at(toks, i, title_case, page)
            if (
                found is not None
                and page is not None
                and tuple(t.text for t in toks[found.first : found.first + 1]) in page.names
                and _not_the_state(toks, found)
            ):
                found = _name_at(toks, i, title_case)  # "Lake Victoria": what it means elsewhere
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


def _title_case(toks: list[Tok]) -> bool:
    """Whether a unit is a headline in title case: a capital on nearly every word of four letters
    or more (two at least)."""
    long = [t.text for t in toks if t.word and len(t.text) >= 4 and t.text[:1].isalpha()]
    return len(long) >= 2 and sum(w[:1].isupper() for w in long) >= 0.9 * len(long)


def _name_at(
    toks: list[Tok], i: int, title_case: Callable[[], bool], page: PageNames | None = None
) -> _Mention | None:
    """The region name (or demonym + "government") that starts at token ``i``, if any.
    ``title_case``: whether the unit is a title-case headline (asked only when it matters, and
    once per unit: asked once per name, a unit of thousands of names was quadratic)."""
    lex = region_lexicon()
    n = len(toks)
    for length in range(min(lex.max_len, n - i), 0, -1):
        words = tuple(t.text for t in toks[i : i + length])
        key: str | None = page.names.get(words) if page else None
        key = key or lex.names.get(words)
        demonym = False
        if key is None:
            key = (page.demonyms.get(words) if page else None) or lex.demonyms.get(words)
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
            # (in a headline in title case every word has a capital: "Investment in New UK
            # Prisons" names the UK, no body called "UK Prisons"; "China Daily" is a paper
            # there too)
            and (not title_case() or toks[j].low in _MEDIA_WORDS)
        )
        if i >= 2 and toks[i - 1].low == "of" and toks[i - 2].text[:1].isupper():
            org = org or toks[i - 2].low not in rules.GOVERNMENT_WORDS
        eligible = not org and _eligible(toks, i, j - 1)
        return _Mention(i, j - 1, toks[i].start, toks[j - 1].end, key, org=org, eligible=eligible)
    return None


def _typed(types: frozenset[str], state: State, local: list[str]) -> str | None:
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


def resolve_mentions(
    mentions: list[_Mention], toks: list[Tok], state: State
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


def choose_region(
    resolved: list[tuple[_Mention, str | None]],
    toks: list[Tok],
    pos: int,
    unit: Unit,
    state: State,
    *,
    place_ok: bool = False,
) -> tuple[str | None, str]:
    """The region of a target at ``pos``. ``place_ok``: the target has no actor (a passive,
    "the number of ... will reach"), so a place named after it may stand for its region."""
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
            if (
                pm.key
                and pkey == state.context
                and key != pkey
                and [t.low for t in gap] in (["and"], ["&"])
                and pm.first > 0
                and toks[pm.first - 1].low == "for"
                and m.last + 1 < len(toks)
                and toks[m.last + 1].text == ","
                and not any(t.low == "by" for t in toks[m.last + 1 : index_at(toks, pos)])
            ):
                # "For Anhui and Zhejiang, 6 railways will be built" on a page about Anhui:
                # the page's region with its neighbour, not the neighbour alone
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
    if place_ok and state.context is None and after:
        # Nothing else names a region: "By 2025, 500 parks will be built in Hunan".
        return after[0][1], "place"
    return state.context, "context"


def subject_region(
    resolved: list[tuple[_Mention, str | None]], toks: list[Tok], state: State
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
        if (
            "-" not in key
            and nkey
            and "-" not in nkey
            and nkey != key
            and all(t.text == "," or t.low in ("and", "&") for t in toks[m.last + 1 : nm.first])
            # (a list that opens the sentence is its subject: "Spain, Portugal and Italy signed")
            and any(t.word for t in toks[: m.first])
        ):
            return None  # "the countries with the most projects are Spain, France and Ireland"
    return key


#: A named place with a word for a local unit that acts: "Yiwu city will", "Suqian County
#: plans to" (the name capitalised, the unit word either way).
_PLACE_THAT_ACTS = re.compile(
    r"(?P<name>(?:[A-Z][\w'’-]+\s+){1,3}?(?:[Cc]ity|[Cc]ounty|[Pp]refecture|[Tt]ownship|"
    r"[Dd]istrict|[Tt]own|[Vv]illage))\s+(?:government\s+|authorities\s+|officials\s+)?"
    r"(?:will|plans?|aims?|pledged|pledges|promised|promises|vowed|vows|has\s+pledged|"
    r"intends?|expects?\s+to|is\s+to|wants\s+to)\b"
)


def unknown_actor(before: str, gaz: Gazetteer) -> str | None:
    """The name of a place none of ``gaz``'s names denotes that acts in ``before`` (the unit's
    text up to a target): "Yiwu city" of "Yiwu city will build ...", or ``None``."""
    found = None
    for match in _PLACE_THAT_ACTS.finditer(before):
        found = match
    if found is None:
        return None
    name = " ".join(found.group("name").split())
    words = name.split()
    if words[0] in ("The", "A", "An", "This", "Our", "Its", "Each", "Every"):
        return None
    place = " ".join(words[:-1])
    if gaz.resolve(place) is not None or gaz.resolve(name) is not None:
        return None  # a place the gazetteer knows: its mention decides
    return name


def acting_units(body: str) -> list[tuple[int, str]]:
    """(offset, name) of the units below the city that act in a sentence: "Nanshan District
    will ...", "the Hi-Tech Zone", not "firms in Dongcheng District"."""
    out: list[tuple[int, str]] = []
    if not rules.SUBUNIT_WORD.search(body):
        return out
    for match in rules.SUBUNIT.finditer(body):
        name = " ".join(match.group("name").split())
        name = re.sub(r"^.*['’]s\s+", "", name)  # "Shenzhen's Futian District"
        first = name.split()[0]
        if first in ("The", "A", "An", "This", "Our", "Its", "In", "By", "Under", "With"):
            name = name.split(None, 1)[1] if " " in name else name
            if name in ("District", "County", "New Area"):
                continue
        if rules.PLACE_BEFORE.search(body[max(0, match.start() - 12) : match.start()]):
            continue
        out.append((match.start(), name))
    return out


def province_of(key: str, gaz: Gazetteer) -> str:
    """The province-level region (province, municipality, state ...) a city key lies in, or the
    key itself when it is one already."""
    if key not in gaz or "/" not in key:
        return key
    for region in gaz.ancestors(key):
        if "/" not in region.key:
            return region.key
    return key
