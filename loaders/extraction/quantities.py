"""Stage 4: the modifiers and quantity before a kind label.

:func:`left_modifiers` walks left from a label over adjectives, quoted modifiers and money amounts
("a 10 billion yuan fund" is one fund) to where the quantity may start; the quantity phrase itself
("1-3", "some 100", "at least 10") is read by :func:`patterns.parse_quantity_end`.
"""

from __future__ import annotations

import re

from pledgegraph.loaders.extraction import patterns as rules
from pledgegraph.loaders.extraction.units import QUOTES, Tok

NUMERIC = re.compile(r"[\d,.~+–-]+")
AMBIGUOUS_VERBS = frozenset(
    {"form", "plan", "target", "set", "open", "draft", "issue", "release", "complete", "select",
     "draw", "reach"}
)  # fmt: skip
QUANTITY_REACH = 64  # characters before a noun that may hold its quantity phrase
YEAR_PREPS = re.compile(r"\b(?:in|by|since|from|until|before|of|to|through|for)\s*$", re.I)


def _is_amount(tok: Tok) -> bool:
    return bool(NUMERIC.fullmatch(tok.low)) or tok.low in rules.SCALE_WORDS


_SCALED_COUNT = re.compile(r"\d+(?:\.\d+)?(?:bn|mn|m)")
#: Words before an amount without a currency that make it the size of one thing: "a 10 billion
#: fund".
_ONE_THING = frozenset({"a", "an", "the", "its", "their", "this", "one", "each", "his", "her"})


def _money_start(toks: list[Tok], j: int, floor: int) -> int | None:
    """If toks[j] ends a money amount ("10 billion yuan", "$40 billion", "RMB 5bn"), its start."""
    low = toks[j].low
    scale_only = False
    if rules.MONEY_TOKEN.match(low):
        k = j
        # "1.5m homes" counts homes; "a 10m fund", "$5bn" are money.
        scale_only = bool(_SCALED_COUNT.fullmatch(low))
    elif (
        (low in rules.CURRENCY_WORDS or low in ("million", "billion", "trillion", "bn"))
        and j > floor
        and _is_amount(toks[j - 1])
    ):
        k = j - 1
        scale_only = low not in rules.CURRENCY_WORDS
    else:
        return None
    whole = scale_only is False and k == j and "-" in low and low[:1].isdigit()
    while not whole and k > floor and (_is_amount(toks[k - 1]) or toks[k - 1].text == "-"):
        k -= 1  # ("80 10-billion-yuan projects": the token holds its amount; 80 counts)
    if scale_only and not (
        k > floor and (toks[k - 1].low in _ONE_THING or toks[k - 1].low in rules.CURRENCY_WORDS)
    ):
        # "a 10 billion fund", "a €100 million fund" are money; "3 billion trees" and "1
        # million homes" are counts (a trial: "a €100 million fund" was 100,000,000 funds).
        return None
    if k > floor and (toks[k - 1].low in rules.CURRENCY_WORDS or toks[k - 1].low in ("us", "hk")):
        k -= 1
        if k > floor and toks[k - 1].low in ("us", "hk"):
            k -= 1
    return k


#: After "zero", words that make it an adjective: "319 new zero emission buses" counts buses.
_ZERO_OF = frozenset(
    {"emission", "emissions", "carbon", "waste", "net", "energy", "tolerance", "hunger", "harm",
     "plastic", "pollution", "fossil", "-emission"}
)  # fmt: skip


def zero_adjective(toks: list[Tok], i: int) -> bool:
    """Whether ``toks[i]`` is "zero" used as an adjective ("zero emission", "zero-carbon")."""
    low = toks[i].low
    if low.startswith("zero-"):
        return True
    return low == "zero" and i + 1 < len(toks) and toks[i + 1].low in _ZERO_OF


def _modifier(tok: Tok) -> bool:
    low = tok.low
    if not tok.word or low in rules.FUNCTION_WORDS or low in rules.NUMBER_WORDS:
        return False
    if "-" in low and all(part in rules.NUMBER_WORDS for part in low.split("-")):
        return False  # "twenty-five"
    if NUMERIC.fullmatch(low) or rules.COUNT_TOKEN.fullmatch(low):
        return False  # "300", "1.5m"
    verb = rules.VERB_FORMS.get(low)
    return not (verb and verb[1] != "past" and verb[0] not in AMBIGUOUS_VERBS)


def _is_number(toks: list[Tok], k: int, floor: int) -> bool:
    return k >= floor and (
        toks[k].low in rules.NUMBER_WORDS or bool(NUMERIC.fullmatch(toks[k].low))
    )


def _participle(tok: Tok) -> bool:
    """A past participle that may describe a noun: "renovated", "built", "rebuilt"."""
    return tok.word and (tok.low.endswith("ed") or tok.low in ("built", "rebuilt", "made"))


def participle_pair_end(toks: list[Tok], at: int) -> int:
    """Where two coordinated participles that describe the noun after them, starting at
    ``toks[at]``, end ("newly built or renovated pocket parks"); 0 if none start there."""
    n = len(toks)
    k = at + (at < n and toks[at].low == "newly")
    if k + 2 < n and _participle(toks[k]) and toks[k + 1].low in ("or", "and"):
        k += 2
        k += toks[k].low == "newly"
        if (
            k + 1 < n
            and _participle(toks[k])
            and toks[k + 1].word
            and toks[k + 1].low not in rules.FUNCTION_WORDS
        ):
            return k + 1
    return 0


def _after_count(toks: list[Tok], j: int, floor: int) -> bool:
    """Whether a count comes just before token ``j``, or a count and up to two modifiers (and
    a word for more of them: "80 further school building projects")."""
    k = j - 1
    words = crossed = 0
    while k >= floor and words < 2 + crossed:
        if (
            toks[k].text == ")"
            and k - 2 >= floor
            and toks[k - 2].text == "("
            and toks[k - 1].text.isupper()
        ):
            k -= 3  # "41 Allied Health Profession (AHP) training posts": an abbreviation
            continue
        if _modifier(toks[k]) or (crossed and toks[k].word and toks[k].low.endswith("ing")):
            words += 1  # ("pre-registration nursing and midwifery training places")
            name = 0
            while (
                k - 1 >= floor
                and name < 4
                and toks[k].text[:1].isupper()
                and toks[k - 1].text[:1].isupper()
                and toks[k - 1].word
            ):
                k -= 1  # "41 Allied Health Profession training posts": a name is one modifier
                name += 1
        elif toks[k].low in ("and", "or") and k - 1 >= floor and not crossed:
            crossed = 1  # "24,000 more nurse and midwife training places": coordinated nouns
        else:
            break
        k -= 1
    if k >= floor and toks[k].low in rules.MORE_WORDS:
        k -= 1
    if k - 1 >= floor and toks[k].low == "of" and toks[k - 1].low in rules.COUNTED_AFTER_OF:
        return True  # "the number of training places": counted as after a number
    while k >= floor and toks[k].low in ("the", "its", "our", "their"):
        k -= 1
    if k >= floor and toks[k].low in rules.GROWTH_VERB_WORDS:
        return True  # "double medical school training places to 15,000"
    return _is_number(toks, k, floor)


def left_modifiers(toks: list[Tok], first: int, floor: int, heads: frozenset[int]) -> int:
    """Token index where the modifiers before a label start (``heads``: other labels' ends)."""
    j = first - 1
    count = 0
    while j >= floor and count < 7:
        tok = toks[j]
        if tok.text == '"' and sum(t.text == '"' for t in toks[floor:j]) % 2 == 0:
            # The opening quote of the label's own name: 'add 30 "family toilets"' (the quote
            # before it closes another name: '50 "smart toilets", add 30 "family toilets"').
            j -= 1
            continue
        if tok.text in QUOTES:
            # A quoted modifier is one word, whatever it holds: "specialized and sophisticated".
            k = j - 1
            while k >= floor and j - k <= 8 and toks[k].text not in QUOTES:
                k -= 1
            if k >= floor and toks[k].text in QUOTES and toks[k].text not in "”’" and j - k > 1:
                j = k - 1
                count += 1
            else:
                j -= 1
            continue
        if (
            tok.text == ")"
            and j - 2 >= floor
            and toks[j - 2].text == "("
            and toks[j - 1].text.isupper()
        ):
            j -= 3  # "electric vehicle (EV) chargepoints": an abbreviation in brackets
            continue
        if tok.low == "of" and j - 2 >= floor and toks[j - 1].low in rules.CLASSIFIERS:
            k = j - 2
            while k > floor and toks[k].low in rules.MORE_WORDS:
                k -= 1  # "20,000 new units of housing"
            if _is_number(toks, k, floor):
                j = k  # "160 thousand sets of rental houses": the count is before "sets of"
                break
        if tok.text == "." and j - 1 >= floor and "." in toks[j - 1].text:
            j -= 1  # "500 U.S. employers"
            continue
        if (
            tok.text == ","
            and j - 1 >= floor
            and j + 1 < first
            and "-" in toks[j - 1].text
            and not toks[j - 1].low.endswith("s")
            and "-" in toks[j + 1].text
        ):
            j -= 1  # "100,000 all-age, high-quality apprenticeships": two compound adjectives
            continue
        if tok.low in rules.GROWTH_VERB_WORDS and not _is_number(toks, j - 1, floor):
            break  # "will double medical school places to 15,000": the verb is no modifier
        money = _money_start(toks, j, floor)
        if money is not None:
            j = money - 1
            count += 1
            continue
        if tok.low in ("and", "or", "&") and j - 1 >= floor and j - 1 not in heads:
            # "20 charging and swapping zones": coordinated modifiers, not two targets.
            k = j - 1
            # "80 specialised, refined and innovative firms": a list of modifiers, commas too.
            while (
                k >= floor
                and j - k <= 9
                and (_modifier(toks[k]) or (toks[k].text == "," and k < j - 1 and k - 1 >= floor))
            ):
                k -= 1
            more = (
                k < j - 1
                and k - 1 >= floor
                and toks[k].low in rules.MORE_WORDS
                and _is_number(toks, k - 1, floor)
            )  # "24,000 more nurse and midwife training places"
            stop = toks[k - 1] if more else toks[k] if k >= floor else None
            if (
                k < j - 1
                and stop is not None
                and stop.word
                and (stop.low in rules.NUMBER_WORDS or NUMERIC.fullmatch(stop.low))
            ):
                j = k
            elif (
                k < j - 1
                and stop is not None
                and stop.text in QUOTES
                and k - 1 >= floor
                and _is_number(toks, k - 1, floor)
            ):
                j = k - 1  # '105 "Harmonious and Beautiful Villages"': a quoted name
            break
        if _participle(tok) and j - 2 >= floor and toks[j - 1].low in ("or", "and"):
            # "60 newly built or renovated pocket parks": two participles, coordinated, after
            # a count (an adverb before the first)
            k = j - 2
            if _participle(toks[k]):
                k -= 1 if k - 1 >= floor and toks[k - 1].low == "newly" else 0
                if _is_number(toks, k - 1, floor):
                    j = k - 1
                    break
        in_name = (
            tok.text[:1].isupper() and j - 1 >= floor and toks[j - 1].text[:1].isupper()
        )  # "Solar Instructor Training Network": a verb form inside a name is part of it
        # "10,000 public charging points": a verb's -ing form between a count (or another
        # modifier) and the noun describes it.
        # So does a word that could be a verb's -s form: "12 new skills hubs", "40 sports
        # centres" (a count, adjectives, then no finite verb before the noun).
        ing_modifier = (
            tok.word
            and (tok.low.endswith("ing") or tok.low in rules.VERB_FORMS)
            and j + 1 < len(toks)
            and _after_count(toks, j, floor)
        )
        if (
            tok.word
            and tok.low in rules.VERB_FORMS
            and j - 1 >= floor
            and toks[j - 1].low.endswith("ly")
            and toks[j - 1].low not in rules.VERB_FORMS
        ):
            j -= 2  # "highly secure edge nodes": an adverb and its adjective (a verb's form)
            count += 2
            continue
        zero = zero_adjective(toks, j)  # "319 new zero emission buses": an adjective
        if not _modifier(tok) and not (in_name and tok.word) and not ing_modifier and not zero:
            break
        j -= 1
        count += 1
    return j + 1
