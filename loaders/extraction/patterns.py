"""Word lists and patterns of the article extractor: numbers, quantities, deadlines, verbs, cues.

Compiled once at import (regular expressions only; no files are read here). The vocabulary of
target kinds and sectors is not here: it comes from the ontology (:mod:`pledgegraph.loaders.extraction.vocabulary`).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from fractions import Fraction

from pledgegraph.loaders.facts import MAX_DIGITS, BoundKind, PartialDate, Quantity, count_fits


def words(text: str) -> frozenset[str]:
    """A word list written as one whitespace-separated string."""
    return frozenset(text.split())


# --- numbers -----------------------------------------------------------------------------------

_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
#: Scale words and their values: a number phrase in words may carry any of them ("twenty
#: quintillion" is read as the number it is, and then refused as a count of more than
#: ``MAX_DIGITS`` digits, not cut down to "twenty").
SCALES = {
    "thousand": 10**3,
    "million": 10**6,
    "billion": 10**9,
    "trillion": 10**12,
    "quadrillion": 10**15,
    "quintillion": 10**18,
    "sextillion": 10**21,
    "septillion": 10**24,
    "octillion": 10**27,
    "nonillion": 10**30,
    "decillion": 10**33,
}
NUMBER_WORDS = frozenset({*_UNITS, *_TENS, "hundred", "dozen", *SCALES})
#: The two halves of a number written with a hyphen: "forty-four".
TENS_WORDS = frozenset(_TENS)
DIGIT_WORDS = frozenset(w for w, v in _UNITS.items() if 1 <= v <= 9)

_W_UNIT = "(?:" + "|".join(sorted(_UNITS, key=len, reverse=True)) + ")"
_W_DIGIT = "(?:one|two|three|four|five|six|seven|eight|nine)"
_W_TENS = "(?:" + "|".join(_TENS) + ")"
_W_SMALL = rf"(?:{_W_TENS}(?:[-\s]{_W_DIGIT})?|{_W_UNIT})"
_W_SCALE = "(?:" + "|".join(sorted(SCALES, key=len, reverse=True)) + ")"
# A run of number words: "a hundred", "twenty-five thousand", "one hundred and twenty",
# "three million two hundred thousand". parse_number checks the order of the words.
_W_NUM = (
    rf"(?:half[\s-]+a[\s-]+(?:hundred|dozen|{_W_SCALE})\b|"  # "half a million"
    rf"(?:a[\s-]+(?:hundred|dozen|{_W_SCALE})|{_W_SMALL})"
    rf"(?:[\s-]+(?:and\s+(?={_W_SMALL}\b))?(?:hundred|dozen|{_W_SCALE}|{_W_SMALL})\b)*)"
)
_DIGITS = (
    r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:\s*(?:thousand|million|billion|trillion|k)\b|"
    r"(?:m|mn|bn)\b)?"
)
NUM = rf"(?:{_DIGITS}|{_W_NUM})"


def parse_number(text: str) -> int | None:
    """The integer a number phrase denotes: ``20``, ``1,000``, ``twenty-five``, ``a hundred``,
    ``one hundred and twenty``; ``None`` for a phrase that is no well-formed number ("five
    six", "two and three") or has more digits than a fact sheet may hold."""
    t = text.lower().replace(",", "").strip()
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(thousand|million|billion|trillion|k|mn|m|bn)?", t)
    if match:
        if len(match.group(1)) > MAX_DIGITS + 8:  # (no need to read it exactly to refuse it)
            return None
        # Exact arithmetic: a float would turn 99999999999999999999999 into ...91611392.
        number = Fraction(match.group(1))
        number *= {
            "thousand": 1000,
            "k": 1000,
            "million": 10**6,
            "m": 10**6,
            "mn": 10**6,
            "billion": 10**9,
            "bn": 10**9,
            "trillion": 10**12,
        }.get(match.group(2) or "", 1)
        if number.denominator != 1 or not count_fits(number.numerator):
            return None  # not a whole number, or more digits than a fact sheet may hold
        return number.numerator
    words = [w for w in re.split(r"[\s-]+", t) if w]
    if words[:2] == ["half", "a"]:  # "half a million": one scale word, halved
        whole = _words_value(words[1:]) if len(words) == 3 else None
        value = whole // 2 if whole is not None and whole % 2 == 0 else None
        return value if value is not None and count_fits(value) else None
    value = _words_value(words)
    return value if value is not None and count_fits(value) else None


def _words_value(words: list[str]) -> int | None:
    """The value of number words in order, or ``None`` when they are no well-formed number.

    ``group`` is the part below the last scale word read (at most 999), ``last`` what the
    previous word was: a unit may follow a tens word ("twenty five") but not another unit, a
    scale word must be larger than every scale word before it ("a thousand million" is not
    read), "and" stands only after "hundred" or a scale word, before a small number."""
    total = 0
    group = 0
    last = ""  # "", "a", "unit", "teen", "tens", "hundred", "dozen", "scale", "and"
    last_scale = 10**100
    for word in words:
        if word == "a":
            if last:
                return None
            group, last = 1, "a"
        elif word == "and":
            if last not in ("hundred", "scale"):
                return None
            last = "and"
        elif word in _UNITS:
            n = _UNITS[word]
            if last in ("unit", "teen", "a", "dozen") or (last == "tens" and n >= 10):
                return None
            if last in ("hundred", "scale") and group % 100:
                return None
            group += n
            last = "teen" if n >= 10 else "unit"
        elif word in _TENS:
            if last in ("unit", "teen", "tens", "a", "dozen") or (group % 100 and last != "and"):
                return None
            group += _TENS[word]
            last = "tens"
        elif word == "hundred":
            if last not in ("", "a", "unit", "teen", "tens") or group >= 100:
                return None
            group = max(group, 1) * 100
            last = "hundred"
        elif word == "dozen":
            if last not in ("a", "unit", "teen", "tens") or group >= 100:
                return None
            group *= 12
            last = "dozen"
        elif word in SCALES:
            scale = SCALES[word]
            if last in ("", "and") or scale >= last_scale:
                return None
            total += max(group, 1) * scale
            group, last, last_scale = 0, "scale", scale
        else:
            return None
    if last in ("", "and", "a"):
        return None
    return total + group


# --- quantities --------------------------------------------------------------------------------

BOUND_MIN = (
    r"at\s+least|more\s+than|over|no\s+fewer\s+than|no\s+less\s+than|not\s+less\s+than|"
    r"not\s+fewer\s+than|a\s+minimum\s+of|minimum\s+of|in\s+excess\s+of|upwards\s+of|above|"
    r"exceeding|north\s+of"
)
BOUND_MAX = (
    r"up\s+to|no\s+more\s+than|not\s+more\s+than|at\s+most|a\s+maximum\s+of|maximum\s+of|"
    r"as\s+many\s+as|fewer\s+than|less\s+than|under|below"
)
APPROX = (
    r"some|about|around|roughly|approximately|approx\.?|nearly|almost|close\s+to|"
    r"an\s+estimated|estimated|circa|~|an\s+approximate"
)
UNSPEC = (
    r"a\s+(?:(?:new|second|third|first|fresh|large|great|certain|wide|small|whole|further|"
    r"good|broad)\s+)?(?:number|batch|raft|series|host|slew|group|range|variety|set|list|bunch|"
    r"wave|string|handful|couple|lot|generation|cohort|array|suite|portfolio|pool|crop|swathe|"
    r"swath|number)\s+of|several|many|numerous|various|multiple|dozens\s+of|scores\s+of|"
    r"hundreds\s+of|thousands\s+of|a\s+few|plenty\s+of|lots\s+of|more|some|further|additional|"
    r"other|new"
)
SINGLE = r"an?|one|another|a\s+single|a\s+second|a\s+further|one\s+more|its\s+own|their\s+own"
DEFINITE = (
    r"the|this|that|these|those|its|their|his|her|our|your|such|each|every|all|any|existing|"
    r"current|no|said|both|(?:the\s+)?[\w-]+['’]s"
)

QUANTITY_END = re.compile(
    rf"""(?<![\w-])(?:
        (?P<from>from\s+)?(?:between\s+(?P<ra>{NUM})\s+and\s+(?P<rb>{NUM})
          |(?P<rc>{NUM})\s*(?:-|–|—|~|to|or)\s*(?P<rd>{NUM}))
      | (?:(?P<bmin>{BOUND_MIN})\s+|(?P<bmax>{BOUND_MAX})\s+)?(?:(?P<approx>{APPROX})\s+)?
          (?:a\s+total\s+of\s+)?(?P<num>{NUM})(?P<post>\s*\+|-plus|\s+or\s+more|\s+or\s+so|
          \s+plus)?
      | (?P<unspec>{UNSPEC})
      | (?P<single>{SINGLE})
      | (?P<definite>{DEFINITE})
    )(?:\s+(?:more|new|additional|extra|further|other|fresh|such))?[\s“”"'‘’]*$""",
    re.IGNORECASE | re.VERBOSE,
)

#: After "the number of <kind>": "... will reach / exceed / rise to 1,000".
NUMBER_OF_VALUE = re.compile(
    rf"""^[^;:.]{{0,60}}?\b(?P<verb>to|reach(?:es|ing)?|exceed(?:s|ing)?|surpass(?:es|ing)?|
        top(?:s|ping)?|hit(?:s|ting)?|more\s+than|over|at\s+least|above|rise\s+to|grow\s+to|
        increase\s+to|be)\s+(?:(?P<bmin>{BOUND_MIN})\s+|(?P<bmax>{BOUND_MAX})\s+)?
        (?:(?P<approx>{APPROX})\s+)?(?P<num>{NUM})\b(?!\s*(?:%|percent|per\s+cent|times|
        fold|billion|trillion|million\s+(?:yuan|dollars))|[.,]\d)""",
    re.IGNORECASE | re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class QuantityParse:
    """What stands before a target's noun: a quantity, or why there is none."""

    form: str  # "number", "range", "unspecified", "single", "definite", "bare"
    quantity: Quantity | None
    start: int  # offset (in the searched string) where the quantity phrase starts
    number_start: int = -1  # offset of the (first) number, for year checks
    number_text: str = ""


#: The same pattern, case-sensitive, for lower-cased text: case-insensitive matching of its many
#: word alternatives at every position of the prefix was most of the extractor's time.
_QUANTITY_END_LOW = re.compile(QUANTITY_END.pattern, re.VERBOSE)


def search_lowered(
    pattern: re.Pattern[str], lowered: re.Pattern[str], text: str
) -> re.Match[str] | None:
    """``pattern.search(text)`` (a case-insensitive pattern), found faster with ``lowered`` (the
    same pattern without IGNORECASE, and no upper-case classes) on ``text.lower()``; the match
    returned is ``pattern``'s on ``text``, so groups keep the text's case."""
    low = text.lower()
    if len(low) != len(text):  # a few characters lower-case to two: offsets would move
        return pattern.search(text)
    found = lowered.search(low)
    if found is None:
        return None
    return pattern.match(text, found.start()) or pattern.search(text)


_SCALE_END = re.compile(r"\s(hundred|thousand|million|billion|trillion)\s*$", re.IGNORECASE)


def parse_quantity_end(prefix: str) -> QuantityParse:
    """Parse the quantity phrase that ends ``prefix`` (the text just before a target's noun)."""
    match = search_lowered(QUANTITY_END, _QUANTITY_END_LOW, prefix)
    if not match:
        return QuantityParse("bare", None, len(prefix))
    start = match.start()
    if match.group("rc") and not match.group("rc")[:1].isdigit():
        # "twenty-five thousand" is one number in words, not the range 20-5,000.
        whole = parse_number(prefix[match.start("rc") : match.end("rd")])
        if whole is not None:
            return QuantityParse(
                "number",
                Quantity(value=whole),
                start,
                match.start("rc"),
                prefix[match.start("rc") : match.end("rd")],
            )
    if match.group("ra") or match.group("rc"):
        a_text = match.group("ra") or match.group("rc")
        b_text = match.group("rb") or match.group("rd")
        a, b = parse_number(a_text), parse_number(b_text)
        scale = _SCALE_END.search(b_text)
        if scale and a is not None and not _SCALE_END.search(a_text):
            # "10-20 thousand", "between 5 and 8 million": the scale word is shared.
            a = parse_number(f"{a_text} {scale.group(1)}")
        a_start = match.start("ra") if match.group("ra") else match.start("rc")
        if a is None or b is None or a > b:
            return QuantityParse("bare", None, len(prefix))
        if match.group("from"):
            return QuantityParse("number", Quantity(value=b), start, a_start, a_text)
        return QuantityParse("range", Quantity(minimum=a, maximum=b), start, a_start, a_text)
    if match.group("num"):
        value = parse_number(match.group("num"))
        if value is None:
            return QuantityParse("bare", None, len(prefix))
        bound: BoundKind | None = None
        if match.group("bmin") or (match.group("post") and "so" not in match.group("post")):
            bound = "min"
        elif match.group("bmax"):
            bound = "max"
        approx = bool(match.group("approx")) or bool(
            match.group("post") and "so" in match.group("post")
        )
        return QuantityParse(
            "number",
            Quantity(value=value, approximate=approx, bound=bound),
            start,
            match.start("num"),
            match.group("num"),
        )
    if match.group("unspec"):
        return QuantityParse("unspecified", None, start)
    if match.group("single"):
        return QuantityParse("single", Quantity(value=1), start)
    return QuantityParse("definite", None, start)


#: "increase the number of midwives by 3,000": the verb of growth before "the number of" ...
NUMBER_OF_GROWTH = re.compile(
    r"\b(?:increas(?:e|es|ed|ing)|rais(?:e|es|ed|ing)|boost(?:s|ed|ing)?|expand(?:s|ed|ing)?|"
    r"grow(?:s|ing)?)\s+the\s+(?:total\s+)?numbers?\s+of[\s“”\"']*$",
    re.IGNORECASE,
)
#: After a growth's number, what makes it no count of things: a share, a factor, money or a
#: measure ("increase the number of parks by 5 billion yuan", "by 500 square metres": an
#: attack found them read as 5 billion parks and 500 firms).
_NO_AMOUNT_AFTER = (
    r"(?!\s*(?:%|percent|per\s+cent|times|fold|(?:(?:hundred|thousand|million|billion|trillion|"
    r"bn|mn|m|k)\s*)?(?:yuan|rmb|renminbi|dollars?|us\s*dollars?|usd|us\$|euros?|eur|pounds?|"
    r"gbp|sterling|yen|won|rupees?|tonnes?|tons?|kilowatts?|megawatts?|gigawatts?|kw|mw|gw|kwh|"
    r"mwh|gwh|twh|square|sq|hectares?|acres?|km|kilomet(?:re|er)s?|met(?:re|er)s?|mu|litres?|"
    r"liters?|barrels?|gallons?|miles?)\b)|[.,]\d)"
)
#: ... and the increase after the noun, which is the count pledged (3,000 more midwives).
NUMBER_OF_BY = re.compile(
    rf"^[^;:.]{{0,60}}?\bby\s+(?:(?:an?\s+)?(?:additional|extra|further)\s+)?"
    rf"(?:(?P<bmin>{BOUND_MIN})\s+)?(?P<num>{NUM})\b{_NO_AMOUNT_AFTER}",
    re.IGNORECASE,
)


def looks_like_a_year(value: float, text: str) -> bool:
    """Whether a number may be a year: 1900 to 2100 written without a thousands comma ("by
    2025"; "by 2,000" is a count)."""
    return 1900 <= value <= 2100 and "," not in text


def parse_number_of_increase(before: str, after: str) -> tuple[Quantity, int] | None:
    """The count that "increase the number of <noun> by N" pledges: N more of them (and where
    it ends in ``after``)."""
    if not NUMBER_OF_GROWTH.search(before, max(0, len(before) - 60)):
        return None
    match = NUMBER_OF_BY.search(after)
    if not match:
        return None
    value = parse_number(match.group("num"))
    if value is None or looks_like_a_year(value, match.group("num")):
        return None
    return Quantity(value=value, bound="min" if match.group("bmin") else None), match.end()


def parse_number_of_value(after: str) -> tuple[Quantity, int] | None:
    """The quantity that follows "the number of <kind>" (and where it ends), if there is one."""
    match = NUMBER_OF_VALUE.search(after)
    if not match:
        return None
    value = parse_number(match.group("num"))
    if value is None or looks_like_a_year(value, match.group("num")):
        return None
    verb = match.group("verb").lower()
    bound: BoundKind | None = None
    if match.group("bmin") or verb.startswith(
        ("exceed", "surpass", "top", "more", "over", "at least", "above")
    ):
        bound = "min"
    elif match.group("bmax"):
        bound = "max"
    return Quantity(value=value, approximate=bool(match.group("approx")), bound=bound), match.end()


# --- deadlines ---------------------------------------------------------------------------------

YEAR = r"(?:19|20)\d{2}"
_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_PARTS = (
    r"end|close|conclusion|middle|first\s+half|second\s+half|latter\s+half|start|beginning|"
    r"first\s+quarter|second\s+quarter|third\s+quarter|fourth\s+quarter|last\s+quarter"
)

#: After two digits that would end a period ("2021 to 25"), no word: "by 2025 and 40 parks"
#: counts 40 parks, it names no period up to 2040 (an attack found it read so).
_NO_NOUN_AFTER = r"(?![\s,]*[^\W\d_])"
DEADLINE_ABSOLUTE = re.compile(
    rf"""\b(?P<prep>by|before|until|till|through(?:\s+to)?|up\s+until|no\s+later\s+than|not\s+later\s+than|
        ahead\s+of|for|at|in|on|around|within|(?:years?|months?)\s+(?:to|ending))\s+(?:the\s+)?
        (?:(?P<part>{_PARTS})\s+of\s+(?:the\s+year\s+)?|(?P<mid>mid|end|year-end|end-year)-?\s?)?
        (?:(?:calendar|fiscal|financial)\s+year\s+(?:\(fy\)\s+)?|[fc]y\s?|(?P<season>spring|summer|autumn|fall|
        winter)\s+(?:of\s+)?|(?:school\s+)?(?:term|semester)\s+[1-4],?\s+(?:of\s+)?|
        q(?P<quarter>[1-4]),?\s+(?:of\s+)?)?
        (?:(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?(?P<month>{MONTH})\s+(?:\d{{1,2}},?\s+)?)?(?P<year>{YEAR})\b
        (?!\s*[-–—~/]\s*\d|\s*(?:to|through|and)\s*(?:{YEAR}\b|\d\d\b{_NO_NOUN_AFTER}))""",
    re.IGNORECASE | re.VERBOSE,
)
DEADLINE_BARE_PART = re.compile(
    rf"\b(?:(?:the\s+)?end\s+of|end-|year-end\s+)(?P<year>{YEAR})\b", re.IGNORECASE
)
DEADLINE_PERIOD = re.compile(
    rf"""(?:\b(?:from|between)\s+)?\(?\b(?P<y1>{YEAR})\s*(?:(?:-|–|—|~|/)\s*
        (?P<y2>{YEAR}|\d{{2}})\b|(?:to|through|and)\s*(?P<y3>{YEAR}\b|\d{{2}}\b{_NO_NOUN_AFTER}))\)?""",
    re.IGNORECASE | re.VERBOSE,
)
FIVE_YEAR_PLAN = re.compile(
    r"\b(?P<ord>\d{1,2}(?:st|nd|rd|th)|eleventh|twelfth|thirteenth|fourteenth|fifteenth|"
    r"sixteenth)\s+five[-\s]year\s+plan\b",
    re.IGNORECASE,
)
_ORDINALS = {
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
}
DEADLINE_RELATIVE = re.compile(
    rf"""\b(?:(?:in|within|over|during)\s+(?:the\s+)?(?:next|coming|following|upcoming)\s+
        (?P<n1>{NUM})\s+years?|within\s+(?P<n2>{NUM})\s+years?|in\s+(?P<n3>{NUM})\s+years?
        (?:['’]\s*time)?)\b""",
    re.IGNORECASE | re.VERBOSE,
)
DEADLINE_THIS_YEAR = re.compile(
    r"\b(?:(?:by|before|at|until)\s+(?:the\s+)?(?:end\s+of\s+(?:this|the)\s+year|year[-\s]end)"
    r"|(?P<next>(?:by\s+)?(?:the\s+end\s+of\s+)?next\s+year)|(?<!earlier\s)(?<!far\s)(?:later\s+)?this\s+year"
    # a year's work plan, opening its clause: "In the whole year, it will implement 633
    # projects" (not "in the whole year of 2033", "pools open throughout the year")
    r"|(?<![\w,] )(?<![\w,])(?:in|throughout)\s+the\s+(?:whole\s+|entire\s+)?year(?=\s*,))\b",
    re.IGNORECASE,
)
#: "with 2024 as the final year", "taking the year of 2027 as the target year", "target year
#: 2025": the year a plan ends; "looking ahead to 2025", "looking into the year of 2025" open a
#: clause with its own year.
DEADLINE_FINAL_YEAR = re.compile(
    rf"""\b(?:with|taking|take|takes|using|set(?:ting)?)\s+(?:the\s+year\s+(?:of\s+)?)?
        (?P<y1>{YEAR})\s+as\s+(?:the|its|our|their|a)\s+(?:final|last|target|end|closing|goal)
        \s+year\b
      | \b(?:final|last|target|end|goal)\s+year\s+(?:is\s+|of\s+|being\s+|[:(]\s*)?
        (?P<y2>{YEAR})\b
      | \b(?:looking\s+(?:ahead|forward|into)(?:\s+to)?|with\s+an\s+eye\s+to|as\s+for|
        turning\s+to)\s+(?:the\s+year\s+(?:of\s+)?)?
        (?P<y3>{YEAR})\b(?!\s*(?:[-–—~/]|to\b|through\b|and\b)\s*\d)""",
    re.IGNORECASE | re.VERBOSE,
)
DEADLINE_INHERIT = re.compile(
    r"\b(?:(?:in|over|within|during|by|for)\s+the\s+same\s+(?:time\s*)?(?:period|time\s*frame|"
    r"timeframe|time|window|span|deadline|date|year)|by\s+then|by\s+that\s+time|"
    r"(?:by|at|before|until)\s+the\s+end\s+of\s+the\s+(?:plan(?:ning)?\s+)?period|"
    r"(?:by|at|before|until)\s+the\s+end\s+of\s+the\s+plan)\b",
    re.IGNORECASE,
)
#: "in <year>" right after these words dates an announcement, not a deadline.
ANNOUNCE_BEFORE = re.compile(
    r"\b(?:announced|unveiled|released|published|issued|said|stated|pledged|promised|vowed|"
    r"proposed|launched|made|adopted|approved|passed|set\s+out|introduced|signed|began|started|"
    r"founded|established|built|opened)\s+(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)

#: "in <year>" right before these words dates a statement, not a deadline: "In 2019, the
#: government committed to ...".
ANNOUNCE_AFTER = re.compile(
    r",?\s+(?:the\s+|its\s+|a\s+)?(?:[\w'’-]+\s+){0,3}?(?:committed|announced|pledged|"
    r"promised|vowed|said|set\s+out|launched|published|unveiled|agreed|adopted|introduced|"
    r"signed|declared|stated)\b",
    re.IGNORECASE,
)
#: The end of a term of office, a deadline whose year the text does not give: "over this
#: Parliament", "by the end of the current term".
DEADLINE_TERM = re.compile(
    r"\b(?:by\s+the\s+end\s+of|before\s+the\s+end\s+of|over|during|within|in)\s+"
    r"(?:this|the|the\s+current|the\s+next|its)\s+(?:parliament|term|mandate|"
    r"legislature|administration)\b",
    re.IGNORECASE,
)
_TERM_WORDS = ("parliament", "term", "mandate", "legislature", "administration")
_YEAR_DIGITS = re.compile(r"(?:19|20)\d\d")
_INHERIT_WORDS = ("same", "then", "that time", "period", "plan")
INHERIT = PartialDate(1)  # marker: "in the same time period" (resolved by the extractor)
UNKNOWN = PartialDate(2)  # marker: "over the next five years" with no publication date


@dataclass(frozen=True, slots=True)
class DeadlineMatch:
    start: int
    end: int
    date: PartialDate  # or INHERIT
    strength: int  # 3 explicit "by", 2 period/relative, 1 "in <year>"


def _month(text: str | None) -> int | None:
    if not text:
        return None
    return _MONTHS.get(text.lower()[:3])


_SHORT_FISCAL_YEAR = re.compile(
    r"\b(?P<prep>(?i:for|in|by|before|during))\s+(?:the\s+)?FY\s?['’]?(?P<yy>\d\d)\b"
    r"(?![-/–]\d|,\d)"
)
#: A day of a month with no year: "by December 31", "by 31 March" (not "by December 31, 2031").
DEADLINE_MONTH_DAY = re.compile(
    rf"""\b(?:by|no\s+later\s+than)\s+(?:the\s+end\s+of\s+)?
        (?:(?P<month>{MONTH})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?|(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+
        (?:of\s+)?(?P<month2>{MONTH}))\b(?![,.]?\s*{YEAR}\b)""",
    re.IGNORECASE | re.VERBOSE,
)
_CLAUSE_START = re.compile(r"[;:]|,\s+(?:and|but|while|which|who)\b|\.\s")
#: A clause that looks ahead to the day that ends it: "Hubei will build 30 clinics by July 1".
_AHEAD_CLAUSE = re.compile(
    r"\b(?:will|shall|aims?\s+to|plans?\s+to|intends?\s+to|is\s+to|are\s+to)\b|['’]ll\b",
    re.IGNORECASE,
)
#: ... and one that is a condition, a rule for others, a relative clause or the past: "if funds
#: arrive by", "contractors must register by", "once the budget is approved by", "which were
#: promised by".
_OTHER_CLAUSE = re.compile(
    r"\b(?:if|once|unless|when|whether|after|before|until|must|should|had|has|have|was|were|"
    r"which|that|who|those|closes|approved|arrive\w*)\b",
    re.IGNORECASE,
)
_MONTH_WORDS = tuple(_MONTHS)  # ("jan", "feb", …): a month may be named in a text
_WORD_NEXT = re.compile(r"\s*[A-Za-z]")
#: Before "through to" or "up until" a year, what makes it the end of a period, not a deadline.
_PERIOD_BEFORE = re.compile(
    r"\b(?:from\s+(?:19|20)\d\d|decade|years|period|months)\b[^.;]{0,12}$", re.IGNORECASE
)
#: A clause that looks ahead up to the date after it: "will open in March 2031".
_FUTURE_BEFORE = re.compile(
    r"(?<![Tt]he\s)\b(?:will|shall|(?:is|are)\s+(?:due|set|expected|scheduled|planned)\s+to)\s+"
    r"(?!have\b)[^.;:,]*$",
    re.IGNORECASE,
)
#: Between that verb and the date, words that make it a start or another event's date:
#: "will begin building 30 clinics in January 2031", "starting in", "after the floods in".
_NOT_DONE_BY = re.compile(
    r"\b(?:start\w*|begin\w*|began|commenc\w*|after|since|following|destroyed|announced|held|"
    r"founded|was|were|had|those|that|which|like|similar|replace\w*|shut|closed|once|when|if|"
    r"whether|where|until|law|takes|comes)\b",
    re.IGNORECASE,
)
#: ... and between them, a verb of making or of coming into use: "will be put into use in
#: September 2031", "will open in March 2032" (not "will announce in March 2032 where").
_MADE_BY = re.compile(
    r"\b(?:build|built|construct\w*|complet\w*|open|opened|opens|establish\w*|deliver\w*|"
    r"finish\w*|put\s+into\s+(?:use|operation|service)|ready|operational|install\w*|set\s+up|"
    r"creat\w*|add|added|launch|launched|come\s+(?:online|into\s+(?:use|operation|service)))\b",
    re.IGNORECASE,
)
_SCHOOL_YEAR_AFTER = re.compile(r"\s+(?:school|academic)\s+year\b", re.IGNORECASE)


def find_deadlines(text: str, published: PartialDate | None) -> list[DeadlineMatch]:
    """Every deadline expression in ``text`` with its offsets, strongest first at each place."""
    found: list[DeadlineMatch] = []
    digits = _YEAR_DIGITS.search(text) is not None  # the patterns below need a year
    low = text.lower()
    years = "year" in low
    term = any(w in low for w in _TERM_WORDS)
    month_day = published is not None and any(w in low for w in _MONTH_WORDS)
    if (
        not digits
        and not years
        and not term
        and not month_day
        and "FY" not in text
        and not any(w in low for w in _INHERIT_WORDS)
    ):
        return found
    for m in DEADLINE_ABSOLUTE.finditer(text) if digits else ():
        year = int(m.group("year"))
        prep = " ".join(m.group("prep").lower().split())
        part = " ".join((m.group("part") or m.group("mid") or "").lower().split())
        month = _month(m.group("month"))
        strength = 3
        if prep in ("through to", "up until") and _PERIOD_BEFORE.search(
            text, max(0, m.start() - 40), m.start()
        ):
            continue  # "from 2010 through to 2019", "in the decade up until 2020": a period
        if m.group("quarter") and prep in ("for", "at", "around"):
            continue  # "results for Q3 2031": a reporting period
        if prep in ("in", "on", "around", "within", "for", "at") and not part:
            if ANNOUNCE_BEFORE.search(text[max(0, m.start() - 40) : m.start()]):
                continue
            if prep == "on" and _WORD_NEXT.match(text, m.end()):
                continue  # "based on 2032 data", "on 2032 figures": no date
            if prep == "in" and ANNOUNCE_AFTER.match(text, m.end(), m.end() + 60):
                continue  # "In 2019, the government committed to ...": the statement's date
            if month is not None and prep == "in":
                # "in August 2020": a date of the past, not a deadline (but "will be put into
                # use in September 2031" is one)
                ahead = _FUTURE_BEFORE.search(text, max(0, m.start() - 80), m.start())
                if (
                    ahead is None
                    or _NOT_DONE_BY.search(text, ahead.start(), m.start())
                    or not _MADE_BY.search(text, ahead.start(), m.start())
                    or (
                        published is not None
                        and published.month is not None
                        and (year, month) < (published.year, published.month)
                    )
                ):
                    continue
            if published is not None and year < published.year:
                continue
            strength = 1
        if part in ("start", "beginning"):
            date = PartialDate(year - 1)
        elif part in ("first half", "middle", "mid"):
            date = PartialDate(year, 6)
        elif part.endswith("quarter"):
            index = ["first", "second", "third", "fourth", "last"].index(part.split()[0])
            date = PartialDate(year, min(3 * (index + 1), 12))
        elif m.group("quarter"):  # "by Q3 2026"
            date = PartialDate(year, 3 * int(m.group("quarter")))
        elif month is not None:
            date = PartialDate(year, month)
        elif prep in ("before", "ahead of") and not part:
            date = PartialDate(year - 1)
        else:
            date = PartialDate(year)
        found.append(DeadlineMatch(m.start(), m.end(), date, strength))
    for m in _SHORT_FISCAL_YEAR.finditer(text) if "FY" in text else ():
        # "for FY 18": a US fiscal year by two digits
        strength = 3 if m.group("prep").lower() in ("by", "before") else 1
        year = 2000 + int(m.group("yy"))
        if published is None or year >= published.year or strength == 3:
            found.append(DeadlineMatch(m.start(), m.end(), PartialDate(year), strength))
    for m in DEADLINE_FINAL_YEAR.finditer(text) if digits else ():
        year = int(m.group("y1") or m.group("y2") or m.group("y3"))
        found.append(DeadlineMatch(m.start(), m.end(), PartialDate(year), 3))
    for m in DEADLINE_BARE_PART.finditer(text) if digits else ():
        found.append(DeadlineMatch(m.start(), m.end(), PartialDate(int(m.group("year"))), 2))
    for m in DEADLINE_PERIOD.finditer(text) if digits else ():
        y1 = int(m.group("y1"))
        y2_text = m.group("y2") or m.group("y3")
        y2 = int(y2_text) if len(y2_text) == 4 else (y1 // 100) * 100 + int(y2_text)
        if y2 == y1 + 1 and _SCHOOL_YEAR_AFTER.match(text, m.end()):
            # "for the 2031/2032 school year": what is ready for it opens in its first year
            found.append(DeadlineMatch(m.start(), m.end(), PartialDate(y1), 2))
        elif y1 < y2 <= y1 + 15:
            found.append(DeadlineMatch(m.start(), m.end(), PartialDate(y2), 2))
    for m in FIVE_YEAR_PLAN.finditer(text) if "five" in low else ():
        text_ord = m.group("ord").lower()
        number = _ORDINALS.get(text_ord) or int(re.sub(r"\D", "", text_ord) or 0)
        if 9 <= number <= 20:
            found.append(DeadlineMatch(m.start(), m.end(), PartialDate(1955 + 5 * number), 2))
    if published is not None and years:
        for m in DEADLINE_RELATIVE.finditer(text):
            n_text = m.group("n1") or m.group("n2") or m.group("n3")
            n = parse_number(n_text)
            if n is not None and 0 < n <= 30:
                found.append(DeadlineMatch(m.start(), m.end(), PartialDate(published.year + n), 2))
        for m in DEADLINE_THIS_YEAR.finditer(text):
            year = published.year + (1 if m.group("next") else 0)
            found.append(DeadlineMatch(m.start(), m.end(), PartialDate(year), 2))
    if published is None and years:
        # A relative deadline without a date to count from is still a deadline: it keeps the
        # target from taking another phrase's year ("... by 2030 and train 50 people over the
        # next three years").
        for m in DEADLINE_RELATIVE.finditer(text):
            found.append(DeadlineMatch(m.start(), m.end(), UNKNOWN, 2))
    if month_day and published is not None:
        # "by December 31", "by 31 March": the next such day after the page's date
        for m in DEADLINE_MONTH_DAY.finditer(text):
            name = m.group("month") or m.group("month2")
            month = _month(name)
            day = int(m.group("day") or m.group("day2"))
            if month is None or published.month is None or name[:1].islower():
                continue  # (with a year alone for the page's date, this year's or next?)
            past = (month, day) < (published.month, published.day or 1)
            year = published.year + past
            if not 1 <= day <= calendar.monthrange(year, month)[1]:
                continue  # no such day (February 29 only in a leap year)
            # the clause the date ends must look ahead, and be no condition, rule or past
            clause = _CLAUSE_START.split(text[max(0, m.start() - 200) : m.start()])[-1]
            if not _AHEAD_CLAUSE.search(clause) or _OTHER_CLAUSE.search(clause):
                continue
            found.append(DeadlineMatch(m.start(), m.end(), PartialDate(year, month), 2))
    for m in DEADLINE_TERM.finditer(text) if term else ():
        found.append(DeadlineMatch(m.start(), m.end(), UNKNOWN, 2))
    for m in DEADLINE_INHERIT.finditer(text) if any(w in low for w in _INHERIT_WORDS) else ():
        found.append(DeadlineMatch(m.start(), m.end(), INHERIT, 3))
    # Overlaps: keep the longest, then the strongest.
    found.sort(key=lambda d: (d.start, -(d.end - d.start), -d.strength))
    kept: list[DeadlineMatch] = []
    for match in found:
        if kept and match.start < kept[-1].end:
            continue
        kept.append(match)
    return kept


# --- verbs, cues, function words ---------------------------------------------------------------

_CREATION_LEMMAS = (
    "ensure",
    "apply",
    "foster",
    "nurture",
    "cultivate",
    "create",
    "establish",
    "build",
    "construct",
    "launch",
    "develop",
    "form",
    "introduce",
    "attract",
    "incubate",
    "grow",
    "train",
    "recruit",
    "select",
    "appoint",
    "open",
    "add",
    "have",
    "reach",
    "set",
    "roll",
    "bring",
    "draft",
    "formulate",
    "publish",
    "issue",
    "release",
    "deploy",
    "install",
    "complete",
    "implement",
    "select",
    "designate",
    "certify",
    "recognise",
    "recognize",
    "gather",
    "lure",
    "woo",
    "run",  # "will run 7 more private schools" (a weak verb: with a modal only)
    "award",  # "plans to award approximately 75 grants" (weak: "awarded 30 grants" reports)
    "operate",
    "draw",
    "target",
    "plan",
    "fund",
    "finance",  # "the fund will finance 4 gigafactories" (with a count only)
    "enable",  # "reforms to enable 30,000 new homes by 2030" (with a count only)
    "unveil",
    "nurture",
    "erect",
    "co-found",
    "promise",
    "pledge",
    "propose",
    "envisage",
    "mention",
    "outline",
    "feature",
    "specify",
    "provide",
    "deliver",
    "give",
    "assist",
    "prepare",
    "renovate",
    "retrofit",
    "upgrade",
    "put",
    "hire",
    "employ",  # "plan to have employed 5,750 firefighters"
    "connect",
    "serve",
    "help",
    "support",
    "equip",
    "finish",
    "make",
    "plant",
    "restore",
    "rehouse",
    "rehome",
    "resettle",
    "improve",
    "conduct",
    "skill",
    "upskill",
    "reskill",
    # works on what exists, and admissions: "repair 15,000 bridges", "enrol 30,000 children"
    "fix",
    "renew",
    "repair",
    "replace",
    "rebuild",
    "refurbish",
    "modernise",
    "modernize",
    "standardise",
    "standardize",
    "expand",
    "enrol",
    "enroll",
    "admit",
    "welcome",  # "welcome 485,000 new permanent residents in 2024"
    "secure",  # "secure an additional 300 training places"
    "sponsor",  # "will sponsor 150 apprentices" (weak: with a count only)
    "offer",  # "offer 130,000 more school admissions"
    "transform",
    "treat",  # "treat 11,000 patients"
    "cure",
    "organise",
    "organize",
    "buy",  # "buy 300 electric buses"
    "purchase",
    "procure",
    "achieve",  # "the mission's objectives are to achieve 100 climate-neutral cities"
    "hold",  # events: "hold 100 job fairs", "stage eight performances"
    "stage",
    "host",
    "vaccinate",
    # clearing what past use left: "reclaim 1,100 mine sites", "plug 7,000 old wells"
    "reclaim",
    "remediate",
    "plug",
    "decommission",
    "demolish",
    "dredge",
    "pave",
    # works that improve what exists: "optimize 20 bus routes", "spruce up 10 back streets"
    "optimise",
    "optimize",
    "spruce",
    "beautify",
    "carry",  # only as "carry out": "carry out 150 renovation projects"
    "push",  # only as "push forward" or "push ahead": "push forward 1,000 projects"
)
_IRREGULAR = {
    "build": ("builds", "building", "built"),
    "grow": ("grows", "growing", "grew grown"),
    "bring": ("brings", "bringing", "brought"),
    "draw": ("draws", "drawing", "drew drawn"),
    "set": ("sets", "setting", "set"),
    "have": ("has", "having", "had"),
    "plan": ("plans", "planning", "planned"),
    "target": ("targets", "targeting", "targeted"),
    "co-found": ("co-founds", "co-founding", "co-founded"),
    "give": ("gives", "giving", "gave given"),
    "put": ("puts", "putting", "put"),
    "retrofit": ("retrofits", "retrofitting", "retrofitted"),
    "equip": ("equips", "equipping", "equipped"),
    "make": ("makes", "making", "made"),
    "buy": ("buys", "buying", "bought"),
    "enrol": ("enrols", "enrolling", "enrolled"),
    "admit": ("admits", "admitting", "admitted"),
    "plug": ("plugs", "plugging", "plugged"),
}
#: Verbs of promising: "the plan promises several labs" (any tense).
PLEDGE_VERBS = frozenset(
    {"promise", "pledge", "propose", "envisage", "mention", "outline", "feature", "specify"}
)
#: Verbs that only govern a target in a pledge, never as a plain statement of fact.
WEAK_VERBS = frozenset(
    {"have", "reach", "plan", "target", "draw", "gather", "select", "set", "provide", "give",
     "serve", "help", "support", "connect", "make", "secure", "offer", "treat", "achieve",
     "ensure", "apply", "run", "operate", "award", "sponsor"}
)  # fmt: skip


def _forms(lemma: str) -> dict[str, str]:
    if lemma in _IRREGULAR:
        third, ing, past = _IRREGULAR[lemma]
        out = {lemma: "base", third: "s", ing: "ing"}
        for p in past.split():
            out.setdefault(p, "past")
        return out
    third = lemma + ("es" if re.search(r"(s|x|z|ch|sh)$", lemma) else "s")
    if lemma.endswith("e"):
        ing, past = lemma[:-1] + "ing", lemma + "d"
    else:
        ing, past = lemma + "ing", lemma + "ed"
    return {lemma: "base", third: "s", ing: "ing", past: "past"}


def _verb_forms() -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for lemma in _CREATION_LEMMAS:
        for form, tense in _forms(lemma).items():
            if tense == "ing" and lemma in PLEDGE_VERBS:
                continue  # "promising firms" is an adjective
            out.setdefault(form, (lemma, tense))
            out.setdefault("co-" + form, (lemma, tense))
    return out


#: Creation verb form -> (lemma, "base" | "s" | "ing" | "past").
VERB_FORMS: dict[str, tuple[str, str]] = _verb_forms()

#: The rest of a verb of more than one word, between the verb and its object: "put in place
#: 25 scenarios", "bring online 12 data centres", "put into service 40 buses".
VERB_PARTICLE_END = re.compile(
    r"(?<=\w)\s+(?:in\s+place|online|on\s*stream|into\s+(?:service|operation|use))\s*$",
    re.IGNORECASE,
)
#: Particles and adverbs that may stand between a verb and its object.
VERB_FILLERS = frozenset(
    {
        "up",
        "out",
        "in",
        "together",
        "also",
        "further",
        "jointly",
        "respectively",
        "successively",
        "gradually",
        "actively",
        "additionally",
        "vigorously",
        "eventually",
        "ultimately",
        "collectively",
        "altogether",
        "initially",
        "first",
        "then",
        "even",
        "still",
        "both",
        "forward",  # "push forward 1,000 projects" (not "put forward": see _verb_governor)
        "ahead",
        "record",  # "hire a record 52,000 new employees"
        "additional",  # "make an additional 20,000 units ..."
        "another",  # "open another 50 clinics"
        "extra",
        "an",
        "a",
    }
)

#: "the construction of 5 parks", "a target of 100 firms".
NOMINAL_GOVERNORS = frozenset(
    {
        "construction",
        "creation",
        "establishment",
        "cultivation",
        "formation",
        "building",
        "launch",
        "introduction",
        "incubation",
        "nurturing",
        "fostering",
        "founding",
        "opening",
        "rollout",
        "roll-out",
        "deployment",
        "training",
        "recruitment",
        "addition",
        "goal",
        "goals",
        "target",
        "targets",
        "aim",
        "objective",
        "objectives",
        "setting-up",
        "development",
        "attraction",
        "renovation",
        "installation",
        "retrofit",
        "retrofitting",
        "provision",
        "delivery",
        "upgrading",
        "refurbishment",
        # works that change what exists: "the greening of 9 ports"
        "greening",
        "electrification",
        "conversion",
        # works on what exists: "complete the overhaul of 16 bridges", "repairs of 18 roads"
        "overhaul",
        "overhauls",
        "repair",
        "repairs",
        "reconstruction",
        "rebuilding",
        "restoration",
        "rehabilitation",
        "modernisation",
        "modernization",
        "transformation",
        "upgrade",
        "upgrades",
    }
)

#: Nouns that count events of a thing named before them ("apprenticeships ..., reaching 3
#: million starts"): the count is of that thing.
EVENT_NOUNS = words("starts enrolments enrollments completions entrants registrations sign-ups")
#: A count that is a rate of something else: "5G base stations per 10,000 people", "2 nurses
#: for every 1,000 residents", "per capita". A rate per unit of time ("500 a year", "per
#: annum") is an annual pledge and stays.
RATE_AFTER = re.compile(
    r"\s*(?:per|for\s+every|for\s+each)\s+(?!(?:year|annum|month|week|day|quarter|"
    r"academic\s+year|financial\s+year|calendar\s+year)\b)(?:[\d,.]+\s+\w|capita\b|head\b|"
    r"person\b|people\b|resident\b|inhabitant\b|household\b|pupil\b|student\b|patient\b|"
    r"school\b|hospital\b|county\b|district\b|city\b|town\b|village\b|region\b|province\b|"
    r"state\b|country\b|hundred\b|thousand\b|million\b)",
    re.IGNORECASE,
)
#: After the people a count names, the jobs they are to find: "help 700,000 rural workers
#: find jobs", "get 5,000 graduates into work". A goal of employment, counted in people (the
#: corpus's ``other_goals``), not things to be made.
JOBS_AFTER = re.compile(
    # "bring 230 youth (who are out of work) back to work"
    r"(?:\s+who\s+[^,.;:]{0,60}?)?\s+back\s+(?:in)?to\s+(?:jobs?|employment|work)\b|"
    r"\s*(?:(?:to\s+)?(?:find|secure|get|land|obtain|take\s+up|gain)\s+(?:new\s+|stable\s+|"
    r"decent\s+|good\s+|paid\s+|full-time\s+)?(?:jobs?|employment|work)\b|(?:into|in\s+finding)\s+"
    r"(?:jobs?|employment|work)\b)",
    re.IGNORECASE,
)
#: Before the people a count names, the jobs they are given: "provide employment for 2.2
#: million people", "new jobs for 700,000 people". A goal of employment too.
JOBS_BEFORE = re.compile(
    r"\b(?:employment|jobs?)\s+(?:opportunities\s+)?for\s+(?:(?:about|around|"
    r"some|nearly|over|more\s+than|at\s+least|up\s+to)\s+)?$",
    re.IGNORECASE,
)
#: People a service is for, counted: "check-ups for 30,000 women", "subsidies to 680
#: families", "provide 4,800 people with access to check-ups". People served are a goal of
#: another sort (the corpus's ``other_goals``), not things made; works done for families
#: ("ramps for 200 families") stay targets, and so do services the sets annotate as targets
#: (insurance bought for, vaccinations offered to 8,000 people: heldout-9).
SERVED_NOUNS = words(
    """people persons residents villagers youth youths women men adults elderly seniors
    pensioners families households children pupils students patients citizens"""
)
SERVICE_BEFORE = re.compile(
    r"\b(?:check-?ups?|examinations?|screenings?|subsid(?:y|ies)|allowances?|benefits?|"
    r"pensions?)\b"
    r"[^.;:]{0,40}?\b(?:for|to)\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)
SERVICE_AFTER = re.compile(
    r"\s+with\s+(?:free\s+|regular\s+)?(?:access\s+to\s+)?(?:[\w-]+\s+){0,3}?"
    r"(?:check-?ups?|examinations?|screenings?|subsid(?:y|ies)|allowances?|benefits?|pensions?)"
    r"\b",
    re.IGNORECASE,
)
#: Plural nouns for people that the kind lexicon does not list as talent.
PEOPLE_NOUNS = words(
    """people persons residents villagers youths youngsters graduates workers labourers laborers
    farmers migrants citizens jobseekers job-seekers adults women men"""
)
#: Past participles of making, works and selection that a passive or a causative pledges with.
_DONE = r"""(?:built|established|created|set\s+up|launched|developed|formed|founded|cultivated|fostered|
    nurtured|constructed|introduced|attracted|incubated|opened|rolled\s+out|completed|deployed|
    installed|formulated|drafted|issued|released|published|implemented|selected|designated|
    certified|recogni[sz]ed|trained|recruited|added|unveiled|co-built|brought\s+in|put\s+in\s+place|
    put\s+into\s+(?:operation|use|service)|grown|in\s+place|up\s+and\s+running|operational|
    funded|supported|financed|delivered|provided|awarded|approved|hired|appointed|planted|
    renovated|upgraded|refurbished|retrofitted|promoted|carried\s+out|conducted|improved|
    prepared|finished|updated|dredged|repaired|fixed|replaced|rebuilt|moderni[sz]ed|
    standardi[sz]ed|expanded|transformed|extended|equipped|converted|renewed|restored|
    rehabilitated|enrolled|admitted|organi[sz]ed|started|begun|commenced|kicked\s+off|
    advanced|pushed\s+forward)"""
PASSIVE_AFTER = re.compile(
    r"""(?:\s+of\s+[^\s,;.]+(?:\s+[^\s,;.]+){0,4}?(?=\s+(?:will|shall|are|is)\b))?
    # a second noun joined to the first: "21 community hubs and learning centres are to be"
    (?:\s+and\s+[a-z][\w-]*(?:\s+[a-z][\w-]*){0,2}?(?=\s+(?:will|shall|are)\s+(?:to\s+)?be\b))?
    [\s,]*(?:\([^)]{0,40}\)\s*)?(?:(?:in|across|within|at|for|by|on)\s+(?!(?:whose|whom|which|where|who)\b)[^\s,;.]+
    (?:\s+(?!(?:whose|whom|which|where|who)\b)[^\s,;.]+){0,4}\s+)?
    (?:(?:will|would|shall|should|must|are|is|to|are\s+to|is\s+to|
    are\s+(?:also\s+)?(?:set|expected|planned|scheduled|slated|due)\s+to|
    is\s+(?:also\s+)?(?:set|expected|planned|scheduled|slated|due)\s+to|
    # "60 rural parks have been planned to be built": planned, not built yet
    (?:have|has)\s+been\s+(?:planned|scheduled|slated|earmarked)\s+to)\s+(?:\w+ly\s+)?(?:also\s+)?(?:be|have\s+been)\s+(?:\w+ly\s+)?
    """
    + _DONE
    + r"""
    |(?:will|shall|are\s+to|is\s+to)\s+(?:also\s+)?(?:have|get)\s+(?:(?:their|its|the|new|more)\s+)?
    (?:[\w-]+\s+){0,3}?"""
    + _DONE
    + r"""
    |(?:will|shall|are\s+to|is\s+to)\s+(?:also\s+)?(?:undergo|experience|receive|get)\s+
    (?:an?\s+)?(?:[\w-]+\s+)?(?:renovation|refurbishment|upgrad(?:e|es|ing)|repairs?|
    retrofit(?:ting)?|reconstruction|renewal|transformation|modernization|modernisation)
    |(?:will\s+be|are|is|are\s+being|is\s+being)\s+(?:also\s+)?(?:planned|slated|scheduled|
    envisaged|proposed|targeted|earmarked|in\s+the\s+pipeline|on\s+the\s+way|on\s+the\s+agenda)
    # "350 schools have been put on the schedule": planned
    |(?:have|has|will)\s+(?:also\s+)?been\s+(?:put|placed)\s+on\s+the\s+(?:schedule|agenda)
    (?!\s+for\s+(?:demolition|closure|removal|sale|disposal|review)))\b""",
    re.IGNORECASE | re.VERBOSE,
)
#: A count that a future clause brings into being without a passive: "12 new stations will
#: open", "45 surgeries are due to open", "300 new midwives will join", "will go live".
ARRIVAL_AFTER = re.compile(
    r"""[\s,]*(?:\([^)]{0,40}\)\s*)?
    (?:(?:in|across|of)\s+[^\s,;.]+(?:\s+[^\s,;.]+){0,2}?,?\s+(?=will\b|that\b|which\b))?
    (?:(?:that|which)\s+)?
    (?:will|shall|are\s+to|are\s+(?:also\s+|still\s+)?(?:set|expected|planned|scheduled|slated|due|
    on\s+track|on\s+course)\s+to|
    # "the go-ahead for a further six schools to proceed to construction"
    to(?=\s+(?:progress|proceed|move|go)\s+(?:in)?to\s+(?:construction|tender)))\s+(?:\w+ly\s+)?
    (?:also\s+)?(?:open(?!\s+(?:up|their|its|the|a|an|to)\b)
    (?!\s+for\b(?!\s+the\s+(?:\d{4}|(?:next|coming|new)\s+(?:school|academic)\s+year)))|go\s+live|join|

    (?:start|begin)\s+(?:operating|operations?|work|construction)|
    # "a further 335 students will begin a paramedic degree": learners who start their training
    (?:start|begin|commence)\s+(?:their\s+|a\s+|an\s+|the\s+)?(?:[\w-]+\s+){0,3}?(?:degrees?|
    courses?|training|studies|apprenticeships?|traineeships?|residenc(?:y|ies))|
    (?:progress|proceed|move|go)\s+(?:in)?to\s+(?:construction|tender)|
    come\s+(?:online|on\s+stream|into\s+(?:operation|service|use))|enter\s+(?:service|operation)|
    (?:gain|get|have)\s+access\s+to|be\s+connected\s+to)\b
    # "with 100 new schools opening by 2026": the -ing form, with a time it is due by
    |[\s,]*(?:opening|coming\s+online|going\s+live)\s+(?:by|in|before|from)\s+(?:the\s+end\s+of\s+)?
    (?:(?:19|20)\d\d|early|late|mid|spring|summer|autumn|fall|winter|term)\b""",
    re.IGNORECASE | re.VERBOSE,
)
#: A count inside a collective noun: "a cohort of at least 1 million volunteers", "a fleet of
#: 400 electric buses", "a network of 160 sites": the count is of the things after "of".
COLLECTIVE_OF_END = re.compile(
    r"\b(?:a|an)\s+(?:[\w-]+\s+){0,2}?(?:group|cohort|panel|pool|network|"
    r"fleet|team|corps|cadre|workforce|army|intake|class|community|cluster)"
    r"(?:\s*\([^)]{0,30}\))?\s+of\s+$",
    re.IGNORECASE,
)
#: A count that stands after a future "there will be" or "will see" (with a participle after
#: it: "will see 150 surgeries built") is the subject of what is pledged.
FUTURE_EXISTENTIAL_END = re.compile(
    r"\b(?:there\s+(?:will|shall)\s+be|there\s+are\s+(?:set|expected|due|planned)\s+to\s+be)"
    r"\s+(?:\w+ly\s+)?$",
    re.IGNORECASE,
)
FUTURE_SEE_END = re.compile(r"\b(?:will|shall)\s+(?:also\s+)?see\s+$", re.IGNORECASE)
SEE_PARTICIPLE = re.compile(
    r"\s+(?:\w+ly\s+)?(?:built|established|created|set\s+up|launched|opened|completed|delivered|"
    r"installed|added|constructed|rolled\s+out|put\s+in\s+place|planted|recruited|trained|"
    r"renovated|upgraded|refurbished|retrofitted)\b",
    re.IGNORECASE,
)

PLEDGE_CUE = re.compile(
    rf"""\b(?:will|would|shall|wo\s*n['’]t|(?<=\w)['’]ll|plans?\s+(?:to|for)|planned\s+to|planning\s+to|
    aim(?:s|ed|ing)?\s+(?:to|for|at)|annual\s+aims\b|pledge[sd]?|pledging|vow(?:s|ed|ing)?|promis(?:e|es|ed|ing)|
    commit(?:s|ted|ting)?\s+to|commitments?|intends?\s+to|intended\s+to|intentions?|seek(?:s|ing)?\s+to|
    sought\s+to|striv(?:e|es|ing)|endeavou?r|hop(?:e|es|ing)\s+to|expects?\s+to|expected\s+to|
    wants?|is\s+set\s+to|are\s+set\s+to|is\s+to|are\s+to|looks?\s+to|moves?\s+to|goals?|targets?|
    objectives?|milestones?|priorit(?:y|ies)|calls?\s+for|roadmap|blueprint|plans?|envisag\w*|envision\w*|propos\w*|
    set\s+out\s+to|going\s+to|determined\s+to|ambitions?|tasks?|by\s+(?:the\s+end\s+of\s+)?{YEAR}|
    by\s+{MONTH}\s+(?:\d{{1,2}},?\s+)?{YEAR}|
    in\s+the\s+(?:next|coming)|to\s+be\s+(?:built|established|created|set\s+up)|
    is\s+(?:planning|aiming|looking|seeking|preparing)|are\s+(?:planning|aiming|looking|seeking)|
    (?:measures|steps|actions|initiatives|package)\s+(?:also\s+)?includes?|
    (?:program|programme)\s+supports\s+the\s+(?:establishment|creation|launch|setting[\s-]up)\s+of|
    (?:government|council|ministry|department|administration|we)\s+(?:is|are)\s+(?:now\s+|also\s+|
    currently\s+)?(?:building|constructing|delivering|opening|creating|establishing)|
    (?:is|are|we['’]re)\s+(?:now\s+|also\s+|currently\s+)?investing\s+[$£€]|
    (?:projected|predicted|forecast|seen)\s+(?:to\s+)?(?:increas|ris|grow)\w*\s+by|
    (?:remains?|stays?|are|is)\s+(?:firmly\s+|fully\s+)?focused\s+on|
    (?:bureau|agency|department|ministry|administration|service|government|council|authority|we)
    \s+needs\s+to\s+(?:hire|recruit|employ|train)|
    (?:is|are)\s+(?:currently\s+|now\s+|being\s+)?funded\s+to\s+(?:deliver|build|construct|create|provide|
    open|install|establish)|
    # "funding is in place to provide 300 more places"
    (?:is|are|now)\s+in\s+place\s+to\s+(?:deliver|build|construct|create|provide|open|install|establish|
    secure|fund|recruit|hire|train)|
    (?:is|are|will\s+be)\s+(?:also\s+)?(?:planned|on\s+the\s+agenda|earmarked|slated|scheduled)
    (?!\s+(?:for|to)\s+(?:closure|close|demolition|removal)))\b""",
    re.IGNORECASE | re.VERBOSE,
)
_PLEDGE_CUE_LOW = re.compile(PLEDGE_CUE.pattern, re.VERBOSE)


#: Money given for a purpose: "announced $220,000 to add 44 chargers", "an investment of $3.9
#: million to help support the installation of 350 chargers" (what the money is to pay for is
#: pledged, as "will add" would be).
FUNDED_PURPOSE = re.compile(
    r"(?:[$€£]\s?\d[\d,.]*(?:\s*(?:million|billion|m|bn)\b)?|\b\d[\d,.]*\s+(?:million|billion)\s+"
    r"(?:dollars|euros|pounds)\b)[^.;]{0,100}?\b(?:to\s+(?:help\s+)?(?:support|fund|finance|add|"
    r"install|build|create|deliver|deploy|open|purchase|buy|acquire|construct|establish)(?:\s|:)|"
    # "$2.5 million for 10 additional CCTV units", "$10 million towards the recruitment of 120
    # new police officers": money for a count of things
    r"(?:for|towards)\s+(?:an?\s+)?(?:(?:additional|further|extra|new|more)\s+)?"
    r"(?:the\s+(?:recruitment|construction|purchase|delivery|installation|creation)\s+of\s+)?"
    r"(?:\d|(?:two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|fifty|hundred)\b)|"
    r"(?:for|towards)\s+an?\s)",  # "$19 million for a police complex"
    re.IGNORECASE,
)


#: New things a government announces, confirms or approves are what it pledges: "the Minister
#: confirmed 399 new special classes", "18 new free schools have been announced", "Fifteen new
#: free schools to open" (a headline's infinitive). Only with a word for new things: "announced
#: 30 winners" reports.
_ANNOUNCING = r"(?:announc|confirm|approv|sanction|unveil)(?:e|es|ed|ing)"
_ANNOUNCED = r"(?:have|has|were|was|are|is)\s+(?:also\s+)?(?:been\s+|being\s+)?(?:announced|confirmed|approved|sanctioned|unveiled)"
ANNOUNCED_NEW = re.compile(
    rf"\b{_ANNOUNCING}\b[^.;:]{{0,30}}?\b(?:new|additional|extra|more(?!\s+than)|further|"
    r"increase\s+of)\b"
    # "has given the go ahead for a further six schools": an approval
    r"|(?<!not\s)(?<!n't\s)(?<!n’t\s)(?<!never\s)\b(?:given|gave)\s+the\s+"
    r"(?:go[\s-]ahead|green\s+light)\s+(?:for|to)\b"
    rf"|\b(?:new|additional|extra|further)\s+(?:[\w-]+\s+){{0,4}}?[\w-]+\s+(?:{_ANNOUNCED}|"
    r"to\s+(?:open|be\s+(?:built|opened|created|delivered|established)))\b",
    re.IGNORECASE,
)
#: The same after a count, as its governor: "... new schools have been approved".
ANNOUNCED_AFTER = re.compile(rf"\s+(?:{_ANNOUNCED}|to\s+open)\b", re.IGNORECASE)
#: What a government announces, confirms or approves as a pledge: places and services, not
#: events or people ("confirmed 12 new deaths", "announced 3 new appointments").
ANNOUNCED_THINGS = words(
    """schools classes classrooms places homes houses hospitals clinics beds centres centers
    stations parks routes roads bridges projects units nurseries hubs facilities libraries
    services programmes programs surgeries academies colleges campuses kindergartens
    wards apartments dwellings chargers chargepoints trains buses ferries depots
    pools playgrounds laboratories labs institutes incubators spaces theatres
    courts museums railways highways airports terminals stadiums"""
)
#: A sentence that sets what those who apply must do or be: an eligibility rule, no pledge
#: ("The lead applicant must be part of a group including at least three other partners").
#: (Matched at a unit's start: ``match(text, start, end)``.)
REQUIREMENT = re.compile(
    r"\W*(?:the\s+|each\s+|all\s+|an?\s+)?(?:lead\s+|eligible\s+|successful\s+|prospective\s+)?"
    r"(?:applicants?|applications?|grantees?|awardees?|recipients?|proposals?|bidders?|"
    r"consortia|consortiums?|eligible\s+entities)\b[^.;]{0,40}?\b(?:must|should|shall|(?:is|are)\s+"
    r"required\s+to|need\s+to|will\s+need\s+to|may\s+not)\b",
    re.IGNORECASE,
)
#: An announcing verb right before a count: "confirmed 399", "approved a further 20".
ANNOUNCED_BEFORE = re.compile(
    rf"\b{_ANNOUNCING}\s+(?:(?:a\s+further|another|"
    r"an\s+additional|a\s+total\s+of|plans\s+for|funding\s+for)\s+)?$",
    re.IGNORECASE,
)


#: Things a government has put on its schedule, or that are due to open, are planned: "350
#: schools have been put on the schedule".
_SCHEDULED = re.compile(
    r"\b(?:put|placed)\s+on\s+the\s+(?:schedule|agenda)\b"
    # "three treatment centres are due to open in 2031" (not "due to the pandemic")
    r"|\b(?:is|are)\s+due\s+to\s+(?:open|be|start|begin|complete|finish|launch|come|go)\b",
    re.IGNORECASE,
)


def pledge_cue(text: str) -> bool:
    """Whether ``text`` holds a word or phrase that announces a pledge (:data:`PLEDGE_CUE`,
    :data:`FUNDED_PURPOSE`, :data:`ANNOUNCED_NEW`)."""
    if search_lowered(PLEDGE_CUE, _PLEDGE_CUE_LOW, text) is not None:
        return True
    if ANNOUNCED_NEW.search(text) is not None or _SCHEDULED.search(text) is not None:
        return True
    if not ("$" in text or "€" in text or "£" in text or "illion" in text):
        return False
    funded = FUNDED_PURPOSE.search(text)
    return funded is not None and not _SPENT_BEFORE.search(
        text, max(0, funded.start() - 40), funded.start()
    )


#: Money already used, before its amount: "spent $2 million to install", "has invested".
_SPENT_BEFORE = re.compile(
    r"\b(?:spent|spending|used|paid|disbursed|received|won|got|raised|borrowed|granted|lacks?|"
    r"invested|"
    r"lacked|bid|(?:has|have|had)\s+(?:\w+\s+)?(?:invested|"
    r"provided|allocated|given|awarded))\b[^.;]*$",
    re.IGNORECASE,
)


#: A list's lead that reports goals met rather than setting them: "Milestones reached so far:",
#: "Targets achieved in 2023:", "Results to date:".
LEAD_REPORTS = re.compile(
    r"\b(?:goals?|targets?|milestones?|objectives?|tasks?)\s+(?:(?:we|that|which)\s+)?"
    r"(?:have\s+been\s+|has\s+been\s+|were\s+|was\s+)?(?:reached|achieved|met|completed|"
    r"delivered|hit|accomplished|fulfilled|surpassed|exceeded)\b|\bso\s+far\b|\bto\s+date\b",
    re.IGNORECASE,
)
#: A list's lead that names what was achieved ("Some of our key achievements this year
#: include:"), unless it looks ahead ("To build on its achievements, the city will in 2031:").
LEAD_ACHIEVEMENTS = re.compile(r"\b(?:achievements|accomplishments|successes)\b", re.IGNORECASE)
LEAD_AHEAD = re.compile(
    r"\b(?:will|shall|plans?|priorit\w*|aims?|goals?|targets?|next|steps|hopes?|more|future|"
    r"ahead)\b|\bbuild(?:s|ing)?\s+on\b",
    re.IGNORECASE,
)
LEAD_CUE = re.compile(
    r"\b(?:goals?|targets?|objectives?|tasks?|aims?|following|includ\w*|plans?|will|measures|"
    r"steps)\b",
    re.IGNORECASE,
)
#: A number token that may count things ("300", "20,000", "1.5"), not a year or an ordinal.
COUNT_TOKEN = re.compile(r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?(?:m|mn|bn)?")
#: Words between a number and what it counts: "120 more stations", "20,000 additional places".
COUNT_FILLERS = words("more new additional extra further other fresh such")
#: A run of words after a number with one of these counts no things: measures, money, time, jobs
#: and shares are goals of another sort ("200,000 square metres", "5 GW", "260,000 jobs").
NOT_COUNTED = words(
    """square sq m2 km km2 kilometres kilometers kilometre kilometer miles mile metres meters
    metre meter hectares hectare acres acre mu tonnes tonne tons ton kg kilograms gw mw kw gwh
    mwh kwh twh gws mws kws watts megawatts gigawatts gigawatt megawatt kilowatts kilowatt terawatts
    terawatt barrels litres liters gallons
    percent per cent % pct times fold years year months month days day weeks week hours
    hour minutes decades decade catties catty jin yuan rmb dollars dollar euros euro pounds pound won yen rupees
    usd eur gbp cny jobs job positions posts vacancies percentage basis degrees degree celsius
    pieces rounds steps aspects areas fields sectors sessions items categories types kinds
    things ways cases times-fold th st nd rd gb tb mbps gbps inhabitants population residents
    ages aged age phases phase stages stage waves tranches pillars strands themes priorities
    objectives goals targets articles chapters sections paragraphs annexes clauses states
    countries nations languages editions parts tiers levels rounds january february march april may june july august september october november
    december jan feb mar apr jun jul aug sep sept oct nov dec storeys storey
    increases rises raises hikes cuts reductions decreases mph kph kmh km/h"""
)
#: Verbs of growth whose object is counted by the level after "to": "double training places
#: to 15,000", "expand charging points to 6,000" (as a verb, never a modifier of the noun).
GROWTH_VERB_WORDS = words(
    "double doubling triple tripling quadruple increase increasing expand expanding raise "
    "raising boost boosting grow growing"
)
#: Participles of a count growing to a level: "12 hospitals, rising to a total of 20 by 2031".
RISING_WORDS = words("rising growing increasing climbing")
#: Nouns whose "of" introduces what is counted: "the number of apprentices ... to 600,000".
COUNTED_AFTER_OF = words(
    """number numbers deployment installation construction renovation provision delivery
    recruitment training expansion"""
)
#: Counting words before "of" that count the noun after it, as Chinese-English texts write
#: dwellings ("160,000 sets of rental housing", "500 units of housing").
CLASSIFIERS = words("sets units")
#: "200 of these projects": a count of things named before.
PARTITIVE_DETERMINERS = words("these those such the them")
#: What these verbs count is people: trained or recruited, they are talent ("train 75,000 people").
TRAINING_VERBS = words(
    "train recruit prepare educate hire skill upskill reskill certify employ select appoint"
)
#: A count after "the earlier target was to train 900 staff": a goal that was since replaced.
SUPERSEDED = re.compile(
    r"\b(?:previous|earlier|original|former|old|prior)\s+(?:(?:government|administration|"
    r"minister)['’]s\s+)?(?:goals?|targets?|pledges?|"
    r"commitments?|plans?)\s+(?:of|to|was|were)\s+(?:\w+\s+){0,2}['‘’\"]?$",
    re.IGNORECASE,
)
#: A sentence or item that opens with a verb of doing is an order of work: "Build 120 more ...".
IMPERATIVE_OPENING = re.compile(
    r"^\W*(?:(?:and|then|also|further|newly|continue\s+to)\s+)?(?P<verb>[a-z]+)\b", re.IGNORECASE
)
IMPERATIVE_VERBS = words(
    """increase expand double triple raise improve achieve reach complete add build create
    establish set launch develop foster cultivate train recruit deliver provide install deploy
    open construct renovate retrofit upgrade introduce attract hire support connect plant form
    issue release formulate publish implement select designate certify grow bring roll put
    equip prepare give serve help start begin ensure make strengthen promote advance accelerate
    speed boost enhance restore rehouse rehome resettle fix repair replace rebuild refurbish
    modernise modernize standardise standardize enrol enroll admit organise organize alleviate
    maintain carry eliminate safeguard focus optimise optimize extend enrich deepen consolidate
    guarantee protect reduce cut encourage facilitate hold host offer undertake transform
    explore pilot invest allocate subsidise subsidize distribute conduct spruce beautify dredge
    pave employ decorate"""
)
#: Units below the city that act for themselves: districts, new areas, development and
#: high-tech zones, industrial parks ("the Hi-Tech Zone will ...", "Nanshan District").
SUBUNIT = re.compile(
    r"""(?P<name>(?:[A-Z][\w'’-]*\s+){1,4}?(?:(?:Economic\s+and\s+Technological\s+|
    Economic-Technological\s+|Economic\s+|Industrial\s+|Technological\s+)?Development\s+Zone|
    (?:High|Hi)[-\s]?[Tt]ech\s+(?:Industrial\s+Development\s+)?Zone|(?:Pilot\s+)?Free\s+Trade\s+
    (?:Zone|Port)|New\s+Area|New\s+District|District|County|Industrial\s+Park|Science\s+City))\b""",
    re.VERBOSE,
)
SUBUNIT_WORD = re.compile(r"District|County|Zone|Area|Park|Port|City")
#: Before a unit's name: it is a place, not who acts ("firms in Nanshan District").
PLACE_BEFORE = re.compile(
    r"\b(?:in|at|from|to|across|into|near|within|around|of|throughout|outside|under|for|with)"
    r"\s+(?:the\s+)?$",
    re.IGNORECASE,
)
#: Numbers others recommend, estimate or forecast are no pledge of the one who reports them.
NOT_A_PLEDGE = re.compile(
    # ("an estimated $55 million to fund five centres": the money is estimated, not the count)
    r"\b(?:recommend(?:s|ed|ing|ation)?|estimat(?:e|es|ed|ing)(?!\s+[$£€¥])|forecast(?:s|ed)?|projected|"
    r"predict(?:s|ed)?|would\s+need|will\s+need|needs?\s+to\s+be|could\s+be|might|"
    # what others expect: "analysts expect 500 firms to be set up"
    r"(?:analysts|experts|economists|observers|insiders|researchers)\s+(?:\w+\s+)?"
    r"expect(?:s|ed)?|"
    # a goal met already: "has met its target of building 300 schools", "surpassed its pledge"
    r"(?:met|achieved|surpassed|exceeded|fulfilled|beaten|beat)\s+(?:its|it['’]s|their|the|our|this|"
    r"that|his|her)\s+(?:[\w-]+\s+){0,2}?(?:targets?|goals?|commitments?|pledges?|promises?))\b",
    re.IGNORECASE,
)
#: A commitment given up: "the plan ... was scrapped", "no longer intends to", "had planned
#: to" (a plan of the past), "has dropped its pledge to". Read on both sides of a target, up to
#: a word that turns to something else (:data:`ABANDON_STOP`).
ABANDONED = re.compile(
    r"\b(?:(?:was|were|has\s+been|have\s+been|had\s+been|is\s+being|are\s+being|been|now|"
    r"since|later|then|subsequently)\s+(?:\w+ly\s+)?(?:scrapped|dropped|abandoned|withdrawn|"
    r"cancell?ed|shelved|axed|ditched|reversed|rescinded|revoked|paused|suspended|halted|"
    r"put\s+on\s+hold|put\s+on\s+ice|watered\s+down)|no\s+longer(?!\s+than)|"
    r"had\s+(?:once\s+|originally\s+|previously\s+)?(?:planned|intended|pledged|promised|"
    r"aimed|hoped|wanted|vowed)\s+to|"
    r"(?:scrap(?:s|ped)?|drop(?:s|ped)?|abandon(?:s|ed)?|withdr[ae]w(?:s|n)?|cancell?(?:s|ed)?|"
    r"shelve[sd]?|ax(?:es|ed)|ditch(?:es|ed)?|revers(?:es|ed)|rescind(?:s|ed)?|"
    r"revok(?:es|ed)|u-turn(?:s|ed)?\s+on)\s+(?:\w+\s+){0,2}?(?:plans?|pledges?|"
    r"commitments?|targets?|goals?|promises?|proposals?|ambitions?))\b",
    re.IGNORECASE,
)
#: The same pattern for lower-cased text, which it searches several times faster.
ABANDONED_LOW = re.compile(ABANDONED.pattern)
#: Where the words about a given-up plan stop applying: "... was scrapped, but the city will
#: instead build 20 clinics".
ABANDON_STOP = re.compile(
    r";|\b(?:but|instead|however|while|whereas|replac\w*|in\s+its\s+place|rather)\b",
    re.IGNORECASE,
)
#: A plan's title with its period: "Action Plan for ... (2022-2024)"; the period's end is the
#: deadline of what the plan sets out.
PLAN_PERIOD = re.compile(
    rf"\b(?:plan|programme|program|measures|opinions|outline|roadmap|strategy|scheme)\b"
    rf"(?:[^.;:]{{0,80}}?\(\s*{YEAR}\s*[-–—~]\s*(?P<end>{YEAR}|\d{{2}})\s*\)"
    # "Action Plan 2021-23": the period right after the plan's name
    rf"|\s+{YEAR}\s*[-–—~]\s*(?P<end2>{YEAR}|\d{{2}})\b(?!\s*[-–—~/]?\s*\d))",
    re.IGNORECASE,
)
#: Verbs that govern a target only with a count: "deliver 110,000 homes" is a goal, "deliver
#: products" or "support projects" is not.
COUNT_ONLY_VERBS = words(
    """provide deliver give assist prepare renovate retrofit upgrade put hire connect serve help
    support equip fund finance enable make improve conduct ensure apply sponsor"""
)
#: A heading over goals: "Major Tasks for 2024", "Main targets", "Work plan for 2023", and with a
#: few words between the goal noun and its year: "Key Tasks of the District in 2024".
#: "Our 2030 goals", "2030 targets": a year that stands before a goal noun in a heading.
YEAR_BEFORE_GOAL = re.compile(
    rf"\b(?P<year>{YEAR})\s+(?:[\w-]+\s+){{0,2}}(?:tasks|targets|goals|objectives|priorities|"
    r"milestones|ambitions|commitments)\b",
    re.IGNORECASE,
)
SECTION_GOAL = re.compile(
    rf"""^\W*(?:(?:[IVXivx]{{1,4}}|\d{{1,2}}|[A-Za-z])[.)、]?\s+|\(\w{{1,4}}\)\s*)?
        (?:[\w-]+\s+){{0,3}}(?:tasks|targets|goals|objectives|priorities|milestones)
        (?:\s+(?:for|in|of|by)\s+(?:the\s+year\s+)?{YEAR})?\s*[:.]?\s*$
      | \b(?:tasks|targets|goals|objectives|priorities)\s+
        (?:(?!(?:completed|accomplished|achieved|fulfilled|met|done|delivered)\b)[\w'’&-]+\s+){{0,5}}?
        (?:for|in|of|by)\s+
        (?:the\s+year\s+)?{YEAR}\b
      | \b(?:tasks|targets|goals|objectives|priorities|milestones)\s+(?:to\s+be|we\s+will)\s+
        (?:[\w-]+\s+){{0,2}}(?:by|in|for)\s+(?:the\s+end\s+of\s+)?{YEAR}\s*:?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
YEAR_IN = re.compile(rf"\b{YEAR}\b")
NEGATION = re.compile(
    r"\b(?:not|never|no\s+longer|no\s+plans?|rather\s+than|instead\s+of|fail(?:ed|s)?\s+to|"
    r"scrapp(?:ed|ing)|abandon(?:ed|ing)?|cancel(?:l)?(?:ed|ing)|shelv(?:ed|ing)|deni(?:ed|es)|"
    r"unlikely\s+to|refus(?:ed|es)\s+to|declin(?:ed|es)\s+to|reject(?:ed|s)?|yet\s+to|"
    r"stopp?(?:ed|ing))\b|n['’]t\b",
    re.IGNORECASE,
)
CLAUSE_BREAK = re.compile(
    r";|\s[–—]\s|\b(?:which|who|whom|whose|that|while|whereas|but|although|though|because|"
    r"unless|if|where)\b",
    re.IGNORECASE,
)
COORDINATOR_GAP = re.compile(
    r"^(?:[\s,;/&()]|\band/or\b|\band\b|\bor\b|\bas\s+well\s+as\b|\bplus\b|\balong\s+with\b|"
    r"\btogether\s+with\b|\bin\s+addition\s+to\b|\balso\b|\brespectively\b|\bthen\b|\beither\b|"
    r"\bboth\b|\bas\s+well\b)*$",
    re.IGNORECASE,
)
#: A prepositional phrase after a target, then "and": "10 firms with sales over 1bn yuan and".
POSTMODIFIER_GAP = re.compile(
    r"^\s*,?\s*(?:with|worth|of|in|for|from|at|across|covering|each|featuring|valued|totall?ing|"
    r"located|based|along|whose\s+\w+)\b[^;:.()]{0,80}?(?:,\s*)?(?:\b(?:and|or|as\s+well\s+as|plus|"
    r"along\s+with)|(?<=\w),)[\s“”\"']*$",
    re.IGNORECASE,
)
#: Between a target and a noun phrase without a count that is the object of a preposition in
#: its postmodifier: "2,400 chargers for lorries along | the TEN-T network".
PREPOSITION_GAP = re.compile(
    r"[^;:.()]{0,80}?\b(?:along|across|in|at|on|for|of|from|near|within|throughout|to|into|"
    r"with|over|under|between|among)\s+$",
    re.IGNORECASE,
)
COORDINATOR_IN_GAP = re.compile(r"\b(?:and|or|plus)\b|[,;]", re.IGNORECASE)
#: The value at the end of a table-like list item: "...: 50", "... - 200".
ITEM_VALUE = re.compile(rf"[^:;]{{0,90}}?[:–—-]\s*(?P<num>{NUM})\s*[.;,]?\s*$", re.IGNORECASE)
COORDINATOR_END = re.compile(
    r"(?:,|;|\band/or|\band|\bor|\bthen|\bas\s+well\s+as|\bplus|\balong\s+with|\btogether\s+with|"
    r"\bin\s+addition\s+to)[\s“”\"']*$",
    re.IGNORECASE,
)
INCLUDE_END = re.compile(
    r"\b(?:include|includes|including|included|comprise|comprises|comprising|namely|"
    r"(?:to|will|would|shall|should|must)\s+(?:be(?:come)?|have\s+become)\s+home\s+to|"
    r"(?:push|pushes|pushing|strive|strives|striving|call|calls|calling|plan|plans|planning|"
    r"targeting)\s+(?:for|of|at))[\s:“”\"']*$",
    re.IGNORECASE,
)
#: After a target without a count: "EV charging ports to 310,000", "apprentices ... to 600,000".
TO_VALUE = re.compile(
    rf"""^\s*(?:from\s+[^;:.]{{0,50}}?\s)?to\s+(?:(?P<bmin>{BOUND_MIN})\s+|(?P<bmax>{BOUND_MAX})\s+)?
        (?P<num>{NUM})\b(?!\s*(?:%|percent|per\s+cent|times|fold|billion|trillion|million\s+
        (?:yuan|dollars))|[.,]\d)""",
    re.IGNORECASE | re.VERBOSE,
)
#: What may follow the count of "<noun> to N": the end of the phrase or a deadline. A word
#: after it makes the count another noun's: "deliver solar panels to 9,000 homes" counts homes.
TO_VALUE_END = re.compile(
    r"\s*(?:$|[,;:.)]|(?:by|in|before|within|over|during|per|a|each|every)\b)"
)
#: After a plural noun without a count, its growth by a number: "high-tech firms are projected
#: to increase by 300 (to over 1,000)", "little giant firms will grow by 16". The increase is
#: the count pledged (that many more of them), as in "increase the number of ... by 3,000".
GROWS_BY_AFTER = re.compile(
    rf"""(?:\s+(?:in|across|at|of)\s+[^,;.]{{1,40}}?(?=\s+(?:are|is|will|shall)\s))?
        \s*(?:[,–—-]\s*)?(?:(?:are|is|will\s+be|shall\s+be)\s+)?(?:(?:projected|predicted|
        expected|forecast|set|planned|targeted|seen|estimated|scheduled)\s+(?:to\s+)?)?
        (?:will\s+|to\s+|shall\s+)?(?:increas(?:e|es|ing)|ris(?:e|es|ing)|grow(?:s|ing)?|
        expand(?:s|ing)?)\s+by\s+(?:an?\s+(?:additional|extra|further)\s+)?
        (?:(?P<bmin>{BOUND_MIN})\s+)?(?P<num>{NUM})\b{_NO_AMOUNT_AFTER}""",
    re.IGNORECASE | re.VERBOSE,
)
#: A verb of growth, its object and "by" before a count with a noun of its own: "increase
#: kindergarten enrolment by 100,000 children" (the count pledged: that many more).
GROWTH_BY_END = re.compile(
    r"(?:\b(?:increas(?:e|es|ing)|rais(?:e|es|ing)|boost(?:s|ing)?|expand(?:s|ing)?|"
    r"grow(?:s|ing)?)\s+(?:[\w'’-]+\s+){1,5}?"
    # "Frontline Police numbers will be increased by 500 officers"
    r"|(?P<staff>\b(?:numbers|headcount|workforce|ranks)(?:\s+(?:in|across)\s+[\w'’-]+){0,1}\s+"
    r"(?:will|shall|are\s+to|is\s+to)\s+"
    r"(?:also\s+)?be\s+(?:increased|raised|boosted|expanded|grown|lifted|bolstered)\s+))"
    r"by(?:\s+(?:an?\s+)?(?:additional|extra|further|another))?\s*$",
    re.IGNORECASE,
)
#: Verbs whose object is brought to the ones counted after "to": "deliver solar to 9,000 homes".
DELIVERY_VERBS = words("deliver provide bring give connect offer apply")
#: "towards a national network of", "a goal of", "the target of": what follows is the goal.
#: A goal noun and what links it to the count it sets: "the goal of 10,000 chargers", "a
#: target of reaching 2 million engineers", "a mission for 100 clean cities", "aims for 50
#: hubs", "the target for 2030 is 40 parks".
GOAL_OF_END = re.compile(
    r"\b(?:towards?|goals?|targets?|aims?|aiming|ambitions?|commitments?|pledges?|missions?|"
    r"objectives?|aspirations?|priority|priorities)\b[^;:.]{0,50}?"
    r"\b(?:of|for|is|are|at)(?:\s+(?:reaching|having|getting|achieving|hitting|delivering|"
    r"creating|building|training|supporting|(?P<ger>(?!(?:reduc|cutt|lower|decreas|curb|los|"
    r"clos|shedd)ing\b)[a-z]{3,}ing)))?"
    # "a target of an additional 20,000 homes"
    r"(?:\s+(?:an?\s+)?(?:additional|extra|further|new|more))?[\s“”\"']*$"
    r"|\b(?:progress|work(?:ing)?|mov(?:e|es|ing))\s+towards?\s+(?:reaching|having|getting|"
    r"achieving|hitting|delivering)[\s“”\"']*$"
    # "a commitment to 500 school rebuilding projects", "the strategy commits to 40 clinics"
    r"|\b(?:commitments?|commit(?:s|ted|ting)?(?:\s+(?:itself|themselves|ourselves))?)\s+to"
    r"(?:\s+(?:an?\s+)?(?:additional|extra|further|new|more))?[\s“”\"']*$",
    re.IGNORECASE,
)
#: An amount of money and what it is for, right before a count: "£3 billion for 50,000 school
#: places", "$40m in funding for 120 clinics". The count is the goal; the money is not.
MONEY_FOR_END = re.compile(
    r"(?:[$£€¥]\s?\d[\d,.]*\s*(?:bn|mn|m|k|billion|million|trillion)?|"
    r"\d[\d,.]*\s*(?:billion|million|trillion|bn|m)?\s*(?:yuan|rmb|dollars|euros|pounds|won|yen))"
    r"(?:\s+(?:in|of)\s+(?:new\s+|extra\s+|additional\s+)?(?:funding|investment|support|"
    r"capital))?"
    # "$1.5 billion over the next 10 years for 10,000 homes"
    r"(?:\s+(?:over|in|during)\s+(?:the\s+(?:next|coming)\s+)?(?:\w+\s+)?(?:years?|decade))?"
    r"(?:\s+(?:ongoing|annually|per\s+year|a\s+year|each\s+year))?"
    r"\s+(?:for|towards|to\s+(?:fund|pay\s+for|deliver|provide|create|build))"
    r"(?:\s+(?:an?\s+)?(?:additional|extra|further|more))?"  # "for an additional 200 officers"
    r"[\s“”\"']*$"
    # with no sum: "will provide funding for 500,000 places"
    r"|\b(?:funding|funds)\s+(?:for|to\s+(?:fund|pay\s+for|deliver|provide|create|build))"
    r"[\s“”\"']*$",
    re.IGNORECASE,
)
#: What :data:`MONEY_FOR_END` ends with, tried first on a short tail (the whole pattern is slow).
MONEY_FOR_TAIL = re.compile(
    r"\b(?:for|towards|fund|deliver|provide|create|build)"
    r"(?:\s+(?:an?\s+)?(?:additional|extra|further|more))?[\s“”\"']*$",
    re.IGNORECASE,
)
NUMBER_OF_END = re.compile(
    r"\b(?:total\s+)?(?:numbers?|count|total)\s+of[\s“”\"']*$", re.IGNORECASE
)

#: Words that end the run of modifiers in front of a target's noun (scanning leftwards).
FUNCTION_WORDS = words(
    """a an the this that these those its their his her our your my of for in on at by with to
    from into onto over under and or but nor as than then so such each every all any some no not
    more most less least few many several other another is are was were be been being will would
    shall should can could may might must has have had do does did it they he she we which who
    whom whose what where when while there here about around across through up down out off per
    via including include includes both either neither also further only just very too well plus
    between among within without throughout beyond toward towards against during before after since until till like
    unlike if whether because although though number batch raft series host slew group range
    variety set list bunch wave string handful couple lot generation dozen dozens hundreds
    thousands scores numerous various multiple additional extra fresh total said says say
    announced promised pledged vowed aims aim aimed plans planned plan wants want seeks seek
    intends intend hopes hope expects expect targets target goal goals objective objectives
    namely i.e e.g etc and/or own near nearby inside outside beyond alongside beside amid despite
    along behind upon"""
)

#: Lowercase words after a singular kind noun that do not make it a modifier ("a fund worth ...").
FOLLOW_OK = words(
    """worth valued totalling totaling dedicated specialising specializing focusing focused
    capable able aimed designed covering backed run led based located next this each every
    together too soon there here nationwide worldwide globally locally first initially later
    shortly next early eventually jointly"""
)
#: Nouns after a plural kind noun that make it a modifier ("firms revenue" is not about firms).
NOUN_BLOCKERS = words(
    """value values revenue revenues output sales income market markets management managers
    manager economy scale size capacity sector industry industries development construction
    operators operator owners owner staff employees workers users user employee investment
    investments valuation capitalisation capitalization"""
)
#: A generic head noun after a kind label keeps the label's kind: "BaaS offerings".
GENERIC_HEADS = words(
    """offering offerings services products solutions systems facilities programmes programs
    schemes initiatives entities institutions organisations organizations"""
)

#: Words that introduce a place, not the one who pledges ("firms in Shenzhen").
#: A noun phrase that names a thing made already: "the newly formed alliance", "existing parks".
ALREADY_MADE = re.compile(
    r"\b(?:newly[\s-]+(?:formed|established|created|launched|opened|built|founded|set[\s-]+up)|"
    r"existing|already[\s-]+(?:built|established|existing))\b",
    re.IGNORECASE,
)
LOCATION_PREPS = words(
    """in at across throughout around within from to into outside beyond near of by for with
    than like unlike including between among on via under over versus vs against toward towards
    inside elsewhere"""
)
#: "The government of X": these words before "of" keep X the pledger.
#: Words for more of a thing, between a count and its noun: "80 further projects", "190 new and
#: upgraded schools", "Northern Line 8 new stations".
MORE_WORDS = words("new additional extra more further")
GOVERNMENT_WORDS = words(
    """government governments authority authorities province city municipality officials
    leaders leadership department bureau commission ministry administration people's council
    committee office state republic region county district kingdom"""
)
#: Capitalised words that may follow a region's name without making it an organisation's name.
REGION_SUFFIXES = words(
    """Province Provincial Municipality Municipal City Autonomous Region SAR Special
    Administrative New Area Government People's Party Communist Committee Department Bureau
    Commission Office Administration Council Development Reform Economic Information
    Technology Industry Science Finance Financial Commerce Local County District Prefecture
    State Ministry Cabinet Executive Assembly Parliament Legislature Premier Minister Budget"""
)

#: Qualifiers kept from a target's modifiers ("leading", "nationally recognised").
QUALIFIER_WORDS = words(
    """leading key backbone flagship benchmark national-level provincial-level world-class
    world-leading influential innovative unicorn listed high-tech high-end specialised specialized
    large major core top international national well-known renowned famous competitive
    large-scale demonstration pilot model globally internationally nationally locally
    emerging"""
)

#: Anaphors that stand for a region: phrase -> region types it may denote ("" = any).
ANAPHORS: dict[tuple[str, ...], frozenset[str]] = {
    ("the", "province"): frozenset({"Province", "Autonomous region"}),
    ("the", "provincial", "government"): frozenset({"Province", "Autonomous region"}),
    ("provincial", "authorities"): frozenset({"Province", "Autonomous region"}),
    ("provincial", "government"): frozenset({"Province", "Autonomous region"}),
    ("the", "city"): frozenset({"City", "Municipality", "New area"}),
    ("the", "municipality"): frozenset({"Municipality"}),
    ("the", "municipal", "government"): frozenset({"City", "Municipality"}),
    ("city", "authorities"): frozenset({"City", "Municipality"}),
    ("city", "government"): frozenset({"City", "Municipality"}),
    ("municipal", "authorities"): frozenset({"City", "Municipality"}),
    ("the", "region"): frozenset(
        {"Autonomous region", "Special administrative region", "Province"}
    ),
    ("the", "autonomous", "region"): frozenset({"Autonomous region"}),
    ("the", "country"): frozenset({"Country"}),
    ("the", "nation"): frozenset({"Country"}),
    ("the", "government"): frozenset(),
    ("the", "local", "government"): frozenset(),
    ("local", "authorities"): frozenset(),
    ("the", "authority"): frozenset(),
    ("the", "authorities"): frozenset(),
    ("officials",): frozenset(),
    ("it",): frozenset(),
    ("its",): frozenset(),
}
FORMER_LATTER = {("the", "former"): 0, ("the", "latter"): 1}

CURRENCY_WORDS = words(
    """yuan rmb renminbi dollar dollars usd us$ euro euros eur won yen pound pounds rupee rupees
    $ ¥ € £ hkd"""
)
SCALE_WORDS = frozenset({"million", "billion", "trillion", "bn", "mn", "m", "b", "k", "thousand"})
MONEY_TOKEN = re.compile(
    r"^(?:\d+(?:\.\d+)?(?:bn|mn|m|b|k)|\d+(?:\.\d+)?-(?:million|billion|trillion)(?:-\w+)?|"
    r"(?:us|hk)?\$\d.*|rmb\d.*)$",
    re.IGNORECASE,
)

#: Lines that start a block of links to other stories.
RELATED_MARKER = re.compile(
    r"^\W*(?:related(?:\s+(?:stories|articles|news|reading|coverage|content))?|read\s+more|"
    r"see\s+also|also\s+read|more\s+on\s+this|more\s+from|recommended(?:\s+for\s+you)?|"
    r"you\s+may\s+also\s+like|further\s+reading|popular|trending|most\s+read|latest\s+news|"
    r"more\s+news)\b\s*[:>|-]?",
    re.IGNORECASE,
)
#: Names of languages, as language switchers write them (each in its own language, and in
#: English): a line of nothing else is page furniture, not a place.
LANGUAGE_NAMES = words(
    """english français francais deutsch español espanol italiano português portugues
    nederlands polski čeština cestina slovenčina slovenščina magyar română romana български
    ελληνικά dansk svenska suomi norsk eesti latviešu lietuvių hrvatski srpski gaeilge cymraeg
    gàidhlig malti català euskara galego русский українська türkçe العربية עברית فارسی
    हिन्दी 中文 简体中文 繁體中文 繁体中文 日本語 한국어 tiếng việt ไทย bahasa melayu
    french german spanish italian portuguese dutch polish czech slovak slovenian hungarian
    romanian bulgarian greek danish swedish finnish norwegian estonian latvian lithuanian
    croatian serbian irish welsh gaelic maltese catalan basque galician russian ukrainian
    turkish arabic hebrew persian hindi chinese japanese korean vietnamese thai indonesian
    malay simplified traditional language languages"""
)
SKIP_LINE = re.compile(
    r"^\W*(?:source|photo|image|credit|disclosure|disclaimer|caption|copyright|advertisement|"
    r"sponsored|subscribe|sign\s+up|share\s+this|tags?)\b\s*:?",
    re.IGNORECASE,
)
BULLET = re.compile(
    r"^[ \t]*(?:(?:[-*•·▪◦●○‣⁃+–—]|\d{1,2}[.)]|\(\d{1,2}\)|[a-z][.)]|\([a-z]\)|\([ivx]{1,4}\)|"
    r"[ivx]{1,4}[.)])[ \t]+(?=\S)"
    # a capital Roman numeral before an item that opens with an -ing verb: "IV. Newly building
    # 33 greenbelts", "III. Optimizing 5 bus lines" (not a section's heading: "II. Objectives")
    r"|[IVX]{1,4}[.)][ \t]+(?=(?:(?:Newly|Further)\s+[a-z]+ing|[A-Z][a-z]+ing)\b)"
    # a dash or bullet right before the item's first word: "-To build 300 schools"
    r"|[-*•·▪◦●○‣⁃–—](?=[A-Z][a-z]))"
)
ABBREVIATIONS = words(
    """mr mrs ms dr prof st no co corp inc ltd jan feb mar apr jun jul aug sep sept oct nov dec
    u.s u.k e.g i.e vs etc approx gov rep sen gen jr sr fig est dept univ"""
)
PLAN_NAME = re.compile(
    r"(?P<name>(?:[A-Z0-9][\w'’-]*\s+(?:(?:and|for|of|on|the|to|in)\s+)?){1,10}"
    r"(?:Action\s+Plan|Plan|Programme|Program|Guidelines|Opinions|Measures|Roadmap|Outline|"
    r"Strategy|Initiative)"
    rf"(?:\s*\((?:{YEAR})\s*[-–—~]\s*(?:{YEAR})\))?)"
)


#: A year that frames a text's goals as a whole: "the 2030 targets", "our goals for 2031",
#: "targets to be met by 2030" is one target's deadline, not a frame.
_FRAME = re.compile(
    rf"\b(?P<y1>{YEAR})\s+(?:[a-z-]+\s+)?(?:targets|goals|objectives|ambitions|projects)\b"
    # a plan named by its year: "the 2025 Implementation Plan for ...", "2024 work plan"
    rf"|\b(?P<y11>{YEAR})\s+(?:implementation|action|work)\s+(?:plan|programme|program)\b"
    # a plan named by its period, which frames its last year: "a three-year (2018-20) action
    # plan", "the 2021-2023 implementation plan", "the action plan (2024-2026)"
    rf"|\b(?P<p13>{YEAR})\s*[-–—~]\s*(?P<y13>{YEAR}|\d\d)\)?\s+(?:[\w-]+\s+){{0,2}}?"
    r"(?:implementation|action|work)\s+(?:plan|programme|program)\b"
    r"|\b(?:implementation|action|work)\s+(?:plan|programme|program)\s*\(\s*"
    rf"(?P<p14>{YEAR})\s*[-–—~]\s*(?P<y14>{YEAR}|\d\d)\s*\)"
    rf"|\b(?:targets|goals|objectives|ambitions)\s+(?:for|in)\s+(?:the\s+year\s+)?(?P<y2>{YEAR})\b"
    r"(?!\s+(?:were|was|had|have\s+been)\b)"
    # a year's list of projects a government or congress adopts: "livelihood projects for the
    # year 2024", "practical projects for the people in 2024", "projects 2025", "the projects
    # for people's livelihood for the city in 2025" (not "projects completed in 2023")
    r"|\b(?:projects|tasks|programs|programmes)\b(?:\s+(?!(?:completed|accomplished|achieved|"
    r"finished|done|delivered|launched|started|built)\b)[\w'’“”\"-]+){0,6}?"
    rf"\s+(?:for|in|through)\s+(?:the\s+year\s+)?(?P<y3>{YEAR})\b"
    rf"|\bprojects\s+(?P<y4>{YEAR})\b"
    # a heading that counts a year's measures: "Ten measures to improve lives in 2031" (in a
    # sentence, "the measures in 2024" may look back)
    r"|^\W*(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty)"
    r"\s+(?:[\w-]+\s+)?measures\b(?:\s+(?!(?:taken|introduced|adopted|implemented|"
    rf"completed)\b)[\w'’-]+){{0,7}}?\s+(?:for|in)\s+(?:the\s+year\s+)?(?P<y15>{YEAR})\W*$"
    # the report on the work of the government of a year, which sets that year's tasks
    rf"|\breport\s+on\s+the\s+work\s+of\s+the\s+government\s+(?:for\s+)?\(?(?P<y5>{YEAR})\b"
    rf"|\b(?P<y6>{YEAR})\s+(?:[\w'’]+\s+){{0,2}}?(?:government\s+)?work\s+report\b"
    # a list of what a government means to do in a year: "programmes that the district
    # government is going to complete in 2024", "tasks the city will carry out in 2025"
    r"|\b(?:programs?|programmes?|projects|tasks|things|matters|measures)\b[^.\n]{0,80}?\b"
    r"(?:(?:is|are)\s+going\s+to|will|plans?\s+to|(?:is|are)\s+to)\s+"
    r"(?:complete|carry\s+out|implement|accomplish|deliver|finish|do|undertake|"
    # (or done: "ten measures that will be implemented over 2031")
    r"be\s+(?:completed|carried\s+out|implemented|delivered|undertaken))\s+"
    rf"(?:in|over|during|through)\s+(?P<y7>{YEAR})\b"
    # a heading that names a year's plan or work: "Plan for 2022", "Key Work of Anhui in 2020",
    # "Work Plan for 2023" (a heading only: in a sentence the same words may look back)
    r"|^\W*(?:[\w'’-]+\s+){0,3}?(?:plan|work|agenda|focus|priorities)\s+(?:(?:of|for)\s+(?:the\s+)?"
    rf"[\w'’ -]{{1,40}}?\s+)?(?:for|in)\s+(?:the\s+year\s+)?(?P<y8>{YEAR})\W*$"
    # a year's tasks announced: "In 2022, the city government will focus on the following tasks"
    rf"|\bin\s+(?P<y9>{YEAR}),?\s+[^.\n]{{0,80}}?\bwill\s+(?:focus\s+on|carry\s+out|"
    r"undertake|prioriti[sz]e|concentrate\s+on)\s+(?:the\s+following|these|[\w-]+)\s+"
    r"(?:[\w-]+\s+)?(?:tasks|work|priorities|projects)\b"
    # a sentence that opens with the year and says what the place will do in it: "In 2021,
    # Xianning will continue to promote rural construction ..." (its opening only: "… will
    # be done in 2021" dates that one thing)
    rf"|^\W*in\s+(?P<y12>{YEAR}),\s+(?:the\s+)?[\w'’ -]{{1,60}}?\s+will\s+(?!have\s+been)"
    # a government that sets its goals for a year: "the province has set 10 goals to improve
    # people's lives in 2021", "laid out eight tasks for 2024" (the verb first: "the goals set
    # in 2019" looks back)
    r"|\b(?:set|sets|setting|set\s+out|lays?\s+out|laid\s+out|outlined?|unveiled?|identified|"
    r"listed|released|publishe[sd]|issued|announced|adopted|rolled\s+out)\s+(?:itself\s+)?"
    r"(?:[\w,'’-]+\s+){0,4}?(?:targets|goals|objectives|tasks|"
    rf"priorities|work\s+arrangements?)\b[^.\n]{{0,80}}?\b(?:in|for)\s+(?:the\s+year\s+)?(?P<y10>{YEAR})\b"
)


#: A plan named by its period frames a page only when the page makes or follows it ("the zone
#: formulated a three-year (2031-33) action plan", "under the 2031-2033 implementation plan"),
#: not when it judges or compares one ("unlike the 2021-23 action plan", "... was a failure").
_PLAN_MADE_BEFORE = re.compile(
    r"\b(?:formulat\w*|drew\s+up|drawn\s+up|draw\s+up|draft\w*|issu\w*|releas\w*|adopt\w*|"
    r"launch\w*|unveil\w*|approv\w*|introduc\w*|publish\w*|rolled\s+out|roll\s+out|"
    r"implement\w*|carr\w+\s+out|under|according\s+to|set\s+out|sets\s+out)\b[^.;]*$"
)
_PLAN_OTHER_BEFORE = re.compile(
    r"\b(?:unlike|compared\s+(?:with|to)|than|instead\s+of|replac\w*|previous|former|last|old|"
    r"earlier|prior)\b[^.;]{0,20}$"
)
_PLAN_JUDGED_AFTER = re.compile(
    r"[^.;]{0,40}?\b(?:was|were|had\s+been|has\s+been)\s+(?:a\s+)?(?:failure|failed|ended|"
    r"expired|reviewed|evaluated|completed|abandoned)|[^.;]{0,20}?\bfailed\b"
)


def period_set_aside(text: str, start: int, end: int) -> bool:
    """Whether the period or date at ``text[start:end]`` belongs to a plan set aside: judged
    ("the 2031-2033 plan was a failure") or compared ("do better than the 2031-33 plan")."""
    # (the patterns read lower case: only the two windows they read are lowered)
    return bool(
        _PLAN_OTHER_BEFORE.search(text[max(0, start - 31) : start].lower())
        or _PLAN_JUDGED_AFTER.match(text[end : end + 80].lower())
    )


_LOOKING_BACK = re.compile(
    r"\b(?:review\w*|look(?:s|ing)?\s+back|results?|achievements?|progress|completed|"
    r"accomplished|report\s+card)\b"
)


#: "this year" in a text whose publication year is known: read as that year when looking for
#: the year that frames a page ("32 public welfare programs through this year").
THIS_YEAR = re.compile(r"\b(?:this|the\s+current)\s+year\b", re.IGNORECASE)
#: "the year ahead", "the coming year": the publication year early in it, the next one late
#: in it ("priorities for the year ahead" in March 2018: 2018; in November 2018: 2019).
YEAR_AHEAD = re.compile(r"\bthe\s+(?:year\s+ahead|coming\s+year)\b", re.IGNORECASE)


def dated_relative_years(body: str, published: PartialDate) -> str:
    """``body`` with *this year* and *the year ahead* written as the years they name (the
    year ahead only when the month is known)."""
    body = THIS_YEAR.sub(str(published.year), body)
    if published.month is None:
        return body
    ahead = published.year + (published.month >= 10)
    return YEAR_AHEAD.sub(str(ahead), body)


def framing_years(text: str, heading: bool = False) -> set[int]:
    """The years that frame goals in ``text`` ("the 2030 targets", "goals for 2031",
    "livelihood projects for 2024", "Report on the Work of the Government 2026"). In a
    heading, only a year's projects or work report frame ("Livelihood Projects 2025"), and
    nothing in one that looks back ("A look back at our 2022 goals")."""
    if "20" not in text and "19" not in text:
        return set()
    low = text.lower()
    if heading and _LOOKING_BACK.search(low):
        return set()
    groups: tuple[str, ...] = ("y3", "y4", "y5", "y6", "y7", "y9", "y10", "y12")
    groups = (*groups, "y8", "y15") if heading else ("y1", "y2", "y11", *groups)
    years: set[int] = set()
    for m in _FRAME.finditer(low):
        years.update(int(year) for year in (m.group(g) for g in groups) if year)
        for first, last in (("p13", "y13"), ("p14", "y14")):
            if (
                not heading
                and m.group(last)
                and _PLAN_MADE_BEFORE.search(low, max(0, m.start() - 60), m.start())
                and not _PLAN_JUDGED_AFTER.match(low, m.end())
                and not _PLAN_OTHER_BEFORE.search(low, max(0, m.start() - 30), m.start())
            ):
                start, end = int(m.group(first)), m.group(last)
                year = int(end) if len(end) == 4 else start // 100 * 100 + int(end)
                if start < year <= start + 10:
                    years.add(year)
    return years
