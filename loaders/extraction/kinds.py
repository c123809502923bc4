"""Stage 3: target kinds and sectors by their labels.

:func:`find_heads` finds the noun phrases whose head is a kind label from the ontology's SKOS
scheme ("parks", "R&D centres"), skipping labels that only modify a later noun ("park operators");
:func:`sectors_in` finds sector labels ("blockchain", "AI").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from pledgegraph.loaders.extraction import patterns as rules
from pledgegraph.loaders.extraction.quantities import participle_pair_end, zero_adjective
from pledgegraph.loaders.extraction.units import QUOTES, Tok
from pledgegraph.loaders.extraction.vocabulary import (
    KindEntry,
    kind_lexicon,
    sector_lexicon,
)


@dataclass(frozen=True, slots=True)
class Head:
    label_first: int  # token index of the label's first token
    head: int  # token index of the label's last token
    last: int  # token index where the noun phrase ends (a generic head noun may follow)
    entry: KindEntry
    plural: bool
    proper: bool
    count: int | None = None  # partitive "200 of these projects": the number's token index


def _label_ends(toks: list[Tok]) -> dict[int, tuple[int, KindEntry]]:
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


def _is_nounish(tok: Tok) -> bool:
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


OTHER = KindEntry("other", plural=True, mass=False)
#: Words after a label that show it is the subject noun, not a verb: "Fund will be ...".
_AFTER_A_NOUN = frozenset(
    {"will", "would", "shall", "is", "was", "has", "had", "of", "to", "can", "should", "must"}
)


_YEAR_TOKEN = re.compile(rules.YEAR)


def _is_count(tok: Tok) -> bool:
    low = tok.low
    return tok.word and (
        (low[:1].isdigit() and bool(rules.COUNT_TOKEN.fullmatch(low)))
        or (
            _number_word(low)  # ("forty-four")
            and low != "hundred"
            and low != "dozen"
            and low not in rules.SCALES
        )
    )


_OBJECT_DETERMINERS = frozenset({"the", "its", "our", "their", "his", "her", "total"})


def _grown_to(toks: list[Tok], i: int) -> int:
    """After a verb of growth at ``i`` whose plain plural object (no count, no "number of")
    is followed within eight words by "to" and a count, the index where the object starts;
    otherwise ``i``."""
    if toks[i].low not in rules.GROWTH_VERB_WORDS:
        return i
    n = len(toks)
    j = i + 1
    while j < n and toks[j].low in _OBJECT_DETERMINERS:
        j += 1
    for k in range(j + 1, min(n - 1, j + 9)):
        low = toks[k].low
        if not toks[k].word or low in ("of", "by", "from"):
            return i  # ("increase the number of …", "by 50%", a comma: not this form)
        if low == "to":
            return j if _is_count(toks[k + 1]) or _scale_after(toks, k + 1) > k + 1 else i
    return i


def _scale_after(toks: list[Tok], i: int) -> int:
    """After "a million" or "half a million" at ``i`` (a count in words whose first word is no
    number word), the index past the scale word; otherwise ``i``."""
    low = toks[i].low
    k = i + 1 if low == "a" else i + 2 if low == "half" else i
    if k == i or k >= len(toks) or (low == "half" and toks[i + 1].low != "a"):
        return i
    scale = toks[k].low
    return k + 1 if scale in rules.SCALES or scale in ("hundred", "dozen") else i


def _number_word(low: str) -> bool:
    """A word of a number phrase: "nine", "hundred", "quintillion", "ninety-nine" (not
    "seven-eleven" or "twenty-twenty", which are names)."""
    if low in rules.NUMBER_WORDS:
        return True
    if "-" not in low:
        return False
    parts = low.split("-")
    return len(parts) == 2 and parts[0] in rules.TENS_WORDS and parts[1] in rules.DIGIT_WORDS


#: After "job", nouns that are still jobs: "10,000 job openings" (not "100 job fairs").
_JOB_NOUNS = frozenset({"openings", "opportunities", "offers", "vacancies", "positions"})
#: Heads that count a flow of people over a time, not things a government makes or trains.
_FLOWS = frozenset(
    {"tourists", "passengers", "tourist", "visitors", "arrivals", "visits", "trips", "journeys"}
)  # (not "health visitors", "new arrivals")

#: Adverbs that may follow a counted noun without the "-ly" that marks most of them.
_ADVERBS = frozenset(
    {"now", "currently", "already", "today", "nationwide", "countrywide", "statewide",
     "worldwide", "overall", "again", "soon", "abroad", "annually", "yearly", "right", "there",
     "here"}
)  # fmt: skip


def _nominal(tok: Tok) -> bool:
    low = tok.low
    return (
        tok.word
        and not _number_word(low)
        and low not in _ADVERBS
        and low not in rules.FUNCTION_WORDS
        and low not in rules.FOLLOW_OK
        and low not in rules.VERB_FORMS
        and not _is_count(tok)
    )


#: Counted words that name domains of work ("in five key fields") or places ("20 cage football
#: fields"): places when another noun says what sort ("sports", "rest", "parking").
_PLACES_OR_DOMAINS = frozenset({"fields", "areas"})
#: After "day", words that make it a noun's modifier ("day care centres", "day service
#: stations"), not a time after a number.
_DAY_COMPOUNDS = frozenset({"care", "service", "services", "centre", "center", "activity"})
#: Before "posts", words that make the posts things ("charging posts"), not jobs.
_THINGS_POSTED = frozenset(
    {"charging", "charge", "lamp", "sentry", "police", "border", "first-aid", "health",
     "medical", "observation", "monitoring", "sign", "guard", "fire",
     # posts for trainees: "41 training posts", counted as places
     "training", "trainee", "foundation", "specialty", "specialist"}
)  # fmt: skip
_DOMAIN_WORDS = frozenset(
    {"key", "major", "important", "priority", "strategic", "emerging", "new", "different",
     "various", "core", "main", "related", "relevant", "specific", "other", "more", "such",
     "these", "those", "policy", "business", "subject", "research", "technology", "technical",
     "application", "industrial", "industry", "functional", "frontier", "cutting-edge"}
)  # fmt: skip


def _participle_before_noun(toks: list[Tok], at: int) -> bool:
    """A participle that describes the noun after it: "six designated rehabilitation
    institutions", "500 trained nurses" (not a verb's base or -s form: "10 firms build")."""
    form = rules.VERB_FORMS.get(toks[at].low)
    return (
        form is not None
        and form[1] in ("past", "ing")
        and at + 1 < len(toks)
        and _nominal(toks[at + 1])
    )


def _looks_plural(low: str) -> bool:
    return (low.endswith("s") and not low.endswith(("ss", "us", "is"))) or low in _IRREGULAR_PLURALS


#: Plurals without an -s: "30,000 retired women and ..." ends the counted noun at "women".
_IRREGULAR_PLURALS = frozenset({"women", "men", "people", "children", "police", "staff"})


#: Words after a counted noun that start no object of a verb ("500 recruits by 2026").
_NOUN_FOLLOWERS = frozenset(
    {"by", "in", "for", "to", "across", "over", "from", "at", "with", "and", "or", "each",
     "per", "within", "under", "during", "before", "on", "this", "next", "nationwide"}
)  # fmt: skip


def _counted_heads(
    toks: list[Tok], ends: dict[int, tuple[int, KindEntry]], kind_heads: set[int]
) -> list[Head]:
    """Heads of kind ``other``: the noun a number counts when it is no kind label ("300 run-down
    residential compounds", "10,000 5G base stations", "the number of clients ... to 76,000").

    The counted noun is the last word of the run of words after the number (or after "number
    of"); a run that names a unit of measure, money, time or jobs is no target."""
    heads: list[Head] = []
    n = len(toks)
    starts = [
        i
        for i, t in enumerate(toks)
        if t.low[:1].isdigit()
        or (
            (t.low in rules.NUMBER_WORDS or ("-" in t.low and _number_word(t.low)))
            and not (t.low[:4] == "zero" and zero_adjective(toks, i))
        )
        or t.low == "of"
        or _scale_after(toks, i) > i
        or _grown_to(toks, i) > i
        or (t.low in ("a", "an") and i + 1 < n and toks[i + 1].low in _NEW_ONE)
        # "will build a special care hospital": one place after a verb of building
        or (t.low in ("a", "an") and i > 0 and toks[i - 1].low in _BUILD_VERBS)
        # "$19 million for a police complex": one place money is for
        or (
            t.low in ("a", "an")
            and i > 0
            and toks[i - 1].low == "for"
            and _money_before(toks, i - 1)
        )
        or (t.low == "the" and _be_ahead(toks, i))
        # a named place opening a unit: "Yuanjiang River Tunnel is expected to open in 2031"
        or (i == 0 and t.text[:1].isupper() and t.low != "the" and _be_ahead(toks, i - 1))
    ]
    for i in starts:
        tok = toks[i]
        count = None
        classified = False
        one = False  # "a new school": one new place, read as a count of one
        scaled = _scale_after(toks, i)
        if scaled > i:
            j = scaled  # "a million homes", "half a million trainees"
        elif tok.low in ("a", "an"):
            j, one = i + (2 if i + 1 < n and toks[i + 1].low in _NEW_ONE else 1), True
        elif tok.low == "the":
            j, one = i + 1, True  # "the new hospital will be built": kept only so
        elif i == 0 and tok.text[:1].isupper() and not _is_count(tok):
            j, one = i, True  # "Qianjiang Railway is expected to complete by 2031"
        elif _is_count(tok):
            if i > 0 and (toks[i - 1].low in rules.CURRENCY_WORDS or toks[i - 1].low == "us$"):
                continue  # "€341.5 million budget": an amount of money, not a count
            j = i + 1
            # The rest of the number phrase ("nine hundred ninety-nine thousand") and "more".
            while (
                j < n
                and toks[j].word
                and (
                    toks[j].low in rules.SCALE_WORDS
                    or toks[j].low in rules.COUNT_FILLERS
                    or (_number_word(toks[j].low) and not zero_adjective(toks, j))
                    or (toks[j].low == "and" and j + 1 < n and _number_word(toks[j + 1].low))
                )
            ):
                j += 1
            p = i - 1
            while p > 0 and toks[p].low in _FURTHER_BEFORE:
                p -= 1  # "…, and a further two in 2029"
            if (
                i > 0
                and j + 1 < n
                and (toks[p].low in (",", "and", "then", "including") or _rising_to(toks, p))
                and (
                    (
                        toks[p].low != "including"
                        and toks[j].low in ("in", "by")
                        and (
                            _YEAR_TOKEN.fullmatch(toks[j + 1].text)
                            # "…, 1,500 by June 2027"
                            or (
                                _MONTH_TOKEN.fullmatch(toks[j + 1].low)
                                and j + 2 < n
                                and _YEAR_TOKEN.fullmatch(toks[j + 2].text)
                            )
                        )
                    )
                    # "2,500 chargers for cars and 2,400 for lorries", "1 million places,
                    # including 110,000 for high schools": for whom, the noun left out
                    or (toks[j].low == "for" and bool(heads))
                )
            ):
                # "485,000 residents in 2024, 500,000 in 2025 and 500,000 in 2026": a schedule,
                # each later count of the thing counted before (its noun left out)
                heads.append(Head(i, i, i, OTHER, True, False, i))
                continue
            before = max((k for k in kind_heads if k < i), default=-1)  # a kind label
            if heads and heads[-1].last > before:
                before = heads[-1].last
            if (
                before >= 0
                and toks[j - 1].low in ("more", "further", "additional", "extra")
                # (the same actor: no name between, as in "…, and the Red Cross will open 6 more")
                and not any(t.text[:1].isupper() for t in toks[before + 1 : i])
                and (
                    j >= n
                    or not toks[j].word
                    or (
                        toks[j].low in ("in", "by")
                        and j + 1 < n
                        and _YEAR_TOKEN.fullmatch(toks[j + 1].text)
                    )
                )
            ):
                # "has opened 12 schools and will build 8 more by 2026": "more" of the thing
                # counted before (a kind's label or another noun), its noun left out
                entry = ends[before][1] if before in kind_heads and before in ends else OTHER
                heads.append(Head(i, i, i, replace(entry, plural=True), True, False, i))
                continue
            if j + 1 < n and toks[j].low == "of" and toks[j + 1].low in rules.PARTITIVE_DETERMINERS:
                count, j = i, j + 2  # "complete 200 of these projects"
            else:
                k = j
                while k < n and toks[k].low in rules.MORE_WORDS:
                    k += 1  # "20,000 new units of affordable housing"
                if k + 2 < n and toks[k].low in rules.CLASSIFIERS and toks[k + 1].low == "of":
                    j = k + 2  # "160,000 sets of public rental housing": the housing is counted
                    classified = True
        elif tok.low in rules.GROWTH_VERB_WORDS and _grown_to(toks, i) > i:
            j = _grown_to(toks, i)  # "double medical school places to 15,000"
        elif tok.low == "of" and i > 0 and toks[i - 1].low in rules.COUNTED_AFTER_OF:
            j = i + 1  # "the number of registered apprentices", "deployment of charging ports"
        else:
            continue
        run = j
        while run < n and run - j < 10 and run - 1 not in kind_heads:
            tok_r = toks[run]
            if tok_r.text == "." and run > j and "." in toks[run - 1].text:
                run += 1  # "500 U.S. employers"
                continue
            if (
                tok_r.text == ","
                and run > j
                and "-" in toks[run - 1].text
                and not toks[run - 1].low.endswith("s")
                and run + 1 < n
                and "-" in toks[run + 1].text
            ):
                # "100,000 all-age, high-quality apprenticeships": two compound adjectives
                run += 1
                continue
            if tok_r.text == "," and run > j and _comma_modifiers(toks, run):
                run += 1  # "5000 new public, community and affordable homes": listed modifiers
                continue
            if (
                tok_r.text == "("
                and run > j
                and run + 2 < n
                and toks[run + 2].text == ")"
                and toks[run + 1].text.isupper()
            ):
                run += 3  # "300,000 public electric vehicle (EV) chargepoints"
                continue
            if (
                tok_r.low in ("and", "or", "&")
                and (
                    run > j
                    # "190 new and upgraded schools": "new" was read with the number
                    or (run == j and toks[run - 1].low in rules.MORE_WORDS)
                )
                and run + 1 < n
                and (_nominal(toks[run + 1]) or _participle_before_noun(toks, run + 1))
                and not _looks_plural(toks[run - 1].low)
            ):
                # "10,000 new math and science teachers", "190 new and upgraded schools"
                run += 1
                continue
            if tok_r.text in QUOTES and run == j:
                # '120 "Dream Houses"', 'six "Enjoyable Gardens" small green spaces': a quoted
                # name of what is counted is part of the run
                close = next(
                    (k for k in range(run + 1, min(n, run + 8)) if toks[k].text in QUOTES),
                    None,
                )
                if (
                    close is not None
                    and close > run + 1
                    and all(toks[k].word for k in range(run + 1, close))
                ):
                    run = close + 1
                    continue
                break
            adjective = (  # "highly secure edge nodes": a verb's form after an adverb
                run > j
                and toks[run - 1].low.endswith("ly")
                and run + 1 < n
                and _nominal(toks[run + 1])
            )
            pair = participle_pair_end(toks, run)
            if pair:
                run = pair  # "60 newly built or renovated pocket parks"
                continue
            if run > j and tok_r.low in _RELATIVE_ING and _looks_plural(toks[run - 1].low):
                break  # "40 canteens serving senior residents": the canteens are counted
            plural_modifier = (  # "12 digital skills hubs": "skills" is no verb here
                run > j
                and rules.VERB_FORMS.get(tok_r.low, ("", ""))[1] == "s"
                and run + 1 < n
                and _nominal(toks[run + 1])
                and _looks_plural(toks[run + 1].low)
            )
            verb_modifier = (
                (  # "300 roll growth classrooms", "1,110 early childhood places"
                    run == j
                    # (not a clause's subject: "…, and 25 serve rural areas")
                    and i > 0
                    and (
                        toks[i - 1].low not in (",", "and", "or", "but", ";", "while")
                        # "150 officers and 40 support staff.": the phrase ends after the noun
                        or (
                            toks[i - 1].low == "and"
                            and run + 2 < n
                            and (not toks[run + 2].word or toks[run + 2].low in _PHRASE_ENDS)
                        )
                    )
                    and (
                        rules.VERB_FORMS.get(tok_r.low, ("", ""))[1] == "base"
                        or tok_r.low == "early"
                    )
                    and run not in ends  # ("30 fund managers": a kind's word, read as such)
                    and run + 2 < n
                    and _nominal(toks[run + 1])
                    and toks[run + 1].text[:1].islower()
                )
                or (  # "36,000 affordable purchase homes": a verb's form as a noun modifier
                    run > j
                    and rules.VERB_FORMS.get(tok_r.low, ("", ""))[1] == "base"
                    and run not in ends
                    and not _looks_plural(toks[run - 1].low)
                    and run + 1 < n
                    and _nominal(toks[run + 1])
                    and toks[run + 1].text[:1].islower()
                    and _looks_plural(toks[run + 1].low)
                )
            )
            agreeing_noun = (  # "500 new Garda recruits by 2026": many of them cannot be the
                # subject of a verb's -s form, so the word is the counted noun
                _is_count(tok)
                and tok.low not in ("1", "one")
                and rules.VERB_FORMS.get(tok_r.low, ("", ""))[1] == "s"
                and _looks_plural(tok_r.low)
                and (run + 1 >= n or not toks[run + 1].word or toks[run + 1].low in _NOUN_FOLLOWERS)
            )
            if (
                not _nominal(tok_r)
                and not _participle_before_noun(toks, run)
                and not adjective
                and not plural_modifier
                and not verb_modifier
                and not agreeing_noun
                and not zero_adjective(toks, run)  # "319 new zero emission buses"
            ):
                break
            run += 1
            if classified and _looks_plural(tok_r.low):
                break  # "500 units of flood-safe homes repaired": the first plural ends the noun
        if run - 3 > j and toks[run - 1].text == ")" and toks[run - 3].text == "(":
            run -= 3  # "30 Control Towers (ATCT)": the abbreviation after the noun is no noun
        while run > j and (not toks[run - 1].word or toks[run - 1].low.endswith("ly")):
            run -= 1
        last = run - 1
        if last < j or _modifier_list_to_label(toks, run, kind_heads):
            continue
        words = {t.low for t in toks[j:run]}
        blocked = words & rules.NOT_COUNTED
        if blocked and blocked <= _PLACES_OR_DOMAINS and not (words - blocked) <= _DOMAIN_WORDS:
            blocked = set()  # "20 cage football fields", "30 rest areas": places, counted
        if blocked == {"residents"} and (
            "permanent" in words or (i > 0 and toks[i - 1].low == "for")
        ):
            # "485,000 new permanent residents": admissions; "water for 90,000 rural
            # residents": those a work is for (counted only after a verb of providing)
            blocked = set()
        if (
            blocked <= {"job", "jobs"}
            and toks[last].low not in blocked
            and toks[last].low not in _JOB_NOUNS
        ):
            blocked = set()  # "100 job fairs": the fairs are counted, not jobs
        if toks[last].low in _FLOWS and not (last > 0 and toks[last - 1].low == "health"):
            continue  # "attract 23 million tourists": a flow of people, not things pledged
        if (
            blocked == {"years"}
            and any(
                t.low == "early" and k + 1 < run and toks[k + 1].low == "years"
                for k, t in enumerate(toks[j:run], start=j)
            )
            and toks[last].low != "years"
        ):
            blocked = set()  # "8 new early years centres": a kind of centre, not a time
        if blocked <= {"day", "days"} and run - j > 2 and _day_modifies(toks, j, run):
            # "12 day care centres", "1,280 additional day rehabilitation places": a noun's
            # modifier, not a time
            blocked = set()
        if blocked == {"posts"} and last > j and toks[last - 1].low in _THINGS_POSTED:
            blocked = set()  # "30 charging posts", "lamp posts": things, not jobs
        if blocked or toks[j].low in rules.CURRENCY_WORDS:
            continue
        if last in ends and count is None:
            continue  # a kind label heads the run: the vocabulary's head covers it
        if _kind_head_follows(toks, run, kind_heads):
            continue  # 'three AI open platforms', '5 blockchain "demonstration bases"'
        if sectors_in(toks, last, last + 1):
            continue  # the run ends on a sector word: the noun is cut off
        if toks[last].low.endswith(("ing", "ed")) and last > j and not classified:
            last -= 1  # "clients assisted": the participle is no part of the noun
        if one:
            if toks[last].low in _ONE_PLACES and (
                tok.low in ("a", "an") or (last + 1 < n and toks[last + 1].low in _BEFORE_BE)
            ):
                named = j == i and toks[last].text[:1].isupper()  # (no "the": a name)
                if not (named and last == j):  # ("Tunnel is expected to open": no name)
                    heads.append(Head(last, last, last, OTHER, False, named, None))
            continue
        proper = toks[last].text[:1].isupper() and not toks[j].text[:1].isupper()
        if proper and not (last > j and _looks_plural(toks[last].low)):
            # "3 Gorges" is a name; "20,000 unsheltered Veterans" counts
            # people written with a capital, as US texts write them.
            continue
        heads.append(Head(last, last, last, OTHER, True, False, count))
    return heads


_MONTH_TOKEN = re.compile(rules.MONTH)


def _rising_to(toks: list[Tok], p: int) -> bool:
    """Whether ``toks[p]`` ends "rising to" or "rising to a total of" (a level the count before
    grows to: "12 hospitals, rising to a total of 20 by 2031")."""
    if p >= 3 and toks[p].low == "of" and toks[p - 1].low == "total" and toks[p - 2].low == "a":
        p -= 3
    if (
        p >= 3
        and toks[p].low == "of"
        and toks[p - 1].low in ("target", "goal")
        and toks[p - 2].low in ("our", "the", "its", "their")
        and toks[p - 3].low in ("meeting", "meet", "reaching", "reach", "hitting", "hit")
    ):
        return True  # "1,169 homes this year, meeting our target of 1,500 by June 2027"
    return p >= 1 and toks[p].low == "to" and toks[p - 1].low in rules.RISING_WORDS


def _money_before(toks: list[Tok], at: int) -> bool:
    """Whether an amount of money stands in the six tokens before ``at``."""
    return any(t.text[:1] in "$£€" for t in toks[max(0, at - 6) : at])


def _comma_modifiers(toks: list[Tok], comma: int) -> bool:
    """Whether the comma at ``comma`` parts modifiers listed before one noun: one or two
    singular words, "and" or "or", one or two words and a plural noun ("public, community and
    affordable homes"); the word before the comma is singular too."""
    n = len(toks)
    if _looks_plural(toks[comma - 1].low) or not _nominal(toks[comma - 1]):
        return False
    k = comma + 1
    while k < n and k - comma <= 2 and _nominal(toks[k]) and not _looks_plural(toks[k].low):
        k += 1
    if k == comma + 1 or k >= n or toks[k].low not in ("and", "or"):
        return False
    last = k + 1
    while last < n and last - k <= 3 and _nominal(toks[last]) and not _looks_plural(toks[last].low):
        last += 1
    return last > k + 1 and last < n and _nominal(toks[last]) and _looks_plural(toks[last].low)


#: Words that end a noun phrase after its noun: "40 support staff across the state".
_PHRASE_ENDS = frozenset({"across", "in", "at", "for", "by", "to", "over", "within", "from"})


#: Between a schedule's comma and its next count: "…, and a further two in 2029".
_FURTHER_BEFORE = frozenset({"a", "further", "another", "additional", "more"})
#: After "a" or "an", the words that make what follows one new place: "a new school".
_NEW_ONE = frozenset({"new", "additional", "extra"})
#: Verbs right before "a" that build one place: "will build a special care hospital".
_BUILD_VERBS = frozenset({"build", "construct", "erect"})
#: After "the" and a place, what may open a passive that makes it: "the hospital will be built".
_BEFORE_BE = frozenset({"will", "shall", "is"})
#: The places that may be counted one without a number ("a new school", "the new hospital will
#: be built"): buildings and works, not projects, services, classes or units, which a sentence
#: names again ("The project will be completed in three phases").
_ONE_PLACES = rules.words(
    """school classroom hospital clinic centre center station nursery hub library academy
    college campus kindergarten ward depot pool playground laboratory lab institute incubator
    theatre museum railway highway airport terminal stadium surgery headquarters bridge
    road tunnel complex facility courthouse prison"""
)


def _day_modifies(toks: list[Tok], j: int, run: int) -> bool:
    """Whether "day" in the run ``toks[j:run]`` modifies a noun after it ("day care centres",
    "additional day community rehabilitation places") rather than counting days: it stands
    first, before a word of :data:`_DAY_COMPOUNDS`, or after a word for new things ("1,280
    additional day ..."), with two words after it."""
    if j + 1 >= run or toks[j].low not in ("day", "days"):
        return False
    # ("2 extra days school holidays": days, counted)
    return toks[j + 1].low in _DAY_COMPOUNDS or (
        toks[j].low == "day" and toks[j - 1].low in _NEW_ONE and run - j > 2
    )


def _be_ahead(toks: list[Tok], at: int) -> bool:
    """Whether a word of :data:`_BEFORE_BE` follows ``toks[at]`` within eight words (a cheap
    test before a run after "the" is read)."""
    return any(toks[k].low in _BEFORE_BE for k in range(at + 2, min(at + 10, len(toks))))


#: Verbs whose -ing form after a plural noun opens what it does, not a longer noun: "40
#: canteens serving senior residents" (not "sports training centres": a noun's modifier).
_RELATIVE_ING = frozenset(
    {"serving", "providing", "offering", "covering", "benefiting", "benefitting", "targeting",
     "linking", "connecting", "supporting", "employing", "helping", "reaching", "involving"}
)  # fmt: skip


def _kind_head_follows(toks: list[Tok], at: int, kind_heads: set[int]) -> bool:
    """Whether a kind label heads the phrase a few words on from toks[at] ('three AI open
    platforms'); not past "and", a comma or another count: "30 hospitals and 12 parks" are
    two targets (the hospitals were dropped)."""
    for k in range(at, min(at + 4, len(toks))):
        if k in kind_heads:
            return True
        if toks[k].low in _PHRASE_ENDS or _is_count(toks[k]):
            return False
    return False


#: Words that end the phrase a count heads: a coordinator, or a preposition ("20 thousand beds
#: for pension service": the beds are counted, not the service).
_PHRASE_ENDS = frozenset(
    {
        "and",
        "or",
        "&",
        ",",
        ";",
        "for",
        "in",
        "at",
        "with",
        "to",
        "from",
        "on",
        "by",
        "across",
        "as",
    }
)


def _modifier_list_to_label(toks: list[Tok], at: int, kind_heads: set[int]) -> bool:
    """Whether toks[at:] goes on, after a comma, with a list of modifiers that ends in a kind
    label: "80 specialised, refined and innovative firms" counts the firms."""
    if at >= len(toks) or toks[at].text != ",":
        return False
    for k in range(at + 1, min(at + 9, len(toks))):
        if k in kind_heads:
            return True
        tok = toks[k]
        if tok.text != "," and not (tok.word and (_nominal(tok) or tok.low in ("and", "or"))):
            return False
    return False


def _contains_plural_things(toks: list[Tok], j: int) -> bool:
    """Whether toks[j:] opens with "of" and a plural noun phrase without a count."""
    if j >= len(toks) or toks[j].low != "of":
        return False
    for tok in toks[j + 1 : j + 9]:
        if tok.text in ("(", ")") or (tok.word and tok.text.isupper()):
            continue  # "electric vehicle (EV) chargers"
        if not tok.word or _is_count(tok) or tok.low in rules.FUNCTION_WORDS:
            return False
        if _looks_plural(tok.low) and tok.low not in rules.VERB_FORMS:
            return True
    return False


def find_heads(toks: list[Tok]) -> list[Head]:
    ends = _label_ends(toks)
    heads: list[Head] = []
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
        if (
            first == i
            and not entry.plural
            and (first == 0 or toks[first - 1].low == "to")
            and rules.VERB_FORMS.get(toks[i].low, ("", ""))[1] == "base"
            and i + 1 < n
            and toks[i + 1].text[:1].islower()
            and toks[i + 1].low not in _AFTER_A_NOUN
        ):
            continue  # "plans to fund and grow start-ups", "- fund ten more hubs": a verb
        if toks[i].low == "network" and _contains_plural_things(toks, i + 1):
            continue  # "a national network of chargers": the chargers are what is counted
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
            if (
                toks[i].text[:1].isupper()
                and follow.text[:1].isupper()
                and follow.low not in rules.FUNCTION_WORDS
                and follow.low not in _AFTER_A_NOUN
                and not _number_word(follow.low)
            ):
                continue  # "the Deep Tech Talent Initiative": a name whose head comes later
            if plural and follow.low in rules.NOUN_BLOCKERS:
                continue
            if not plural and (_is_nounish(follow) or follow.low in rules.NOUN_BLOCKERS):
                continue
            if (
                not plural
                and follow.low.endswith("ing")
                and nxt + 1 < n
                and toks[nxt + 1].word
                and toks[nxt + 1].text[:1].islower()
                and _looks_plural(toks[nxt + 1].low)
            ):
                continue  # "24 researcher training programmes": the programmes are counted
            if (
                not plural
                and entry.kind == "standards"
                and follow.text[:1].islower()
                and follow.low not in rules.FUNCTION_WORDS
                and not _number_word(follow.low)
            ):
                continue  # "50 standard nursing homes": "standard" describes what is counted
        elif nxt > i + 1:
            last = nxt - 1  # keep "(BaaS)" in the phrase
        proper = (
            toks[i].text[:1].isupper()
            and first > 0
            and toks[first - 1].word
            and toks[first - 1].text[:1].isupper()
        )
        heads.append(Head(first, i, last, entry, plural, proper))
    taken = {h.head for h in heads} | {h.last for h in heads}
    for counted in _counted_heads(toks, ends, {h.head for h in heads}):
        if counted.count is not None:
            heads = [h for h in heads if h.head != counted.head]
            heads.append(counted)
        elif counted.head not in taken:
            heads.append(counted)
            taken.add(counted.head)  # "twenty five trees": one head, not one per number word
    heads.sort(key=lambda h: h.head)
    return heads


def sectors_in(toks: list[Tok], lo: int, hi: int) -> list[tuple[int, str]]:
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


def document_sector(all_sectors: list[list[tuple[int, str]]]) -> str | None:
    counts: Counter[str] = Counter()
    first: dict[str, tuple[int, int]] = {}
    for u, sectors in enumerate(all_sectors):
        for i, sector in sectors:
            counts[sector] += 1
            first.setdefault(sector, (u, i))
    if not counts:
        return None
    return sorted(counts, key=lambda s: (-counts[s], first[s]))[0]
