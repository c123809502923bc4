"""Stage 5: candidate targets and whether the unit pledges them.

A candidate is a kind head with its quantity and what governs it: a creation verb ("build",
"foster"), a list, "the number of ... will reach N", a passive ("... will be built"), "including",
or a coordination with a governed phrase. :func:`keep_pledged` keeps the governed ones in units
that pledge; :func:`confidence_of` scores them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from pledgegraph.loaders.extraction import patterns as rules
from pledgegraph.loaders.extraction.kinds import OTHER, Head, find_heads, sectors_in
from pledgegraph.loaders.extraction.quantities import (
    AMBIGUOUS_VERBS,
    NUMERIC,
    QUANTITY_REACH,
    YEAR_PREPS,
    left_modifiers,
)
from pledgegraph.loaders.extraction.state import State
from pledgegraph.loaders.extraction.units import QUOTES, Tok, Unit, gerund_subject, index_at
from pledgegraph.loaders.extraction.vocabulary import KindEntry, region_lexicon
from pledgegraph.loaders.facts import BoundKind, PartialDate, Quantity

_MODAL = frozenset(
    {"to", "will", "would", "shall", "should", "must", "'ll", "’ll", "can", "could", "may"}
)
_PAST_AUX = frozenset({"has", "have", "had", "was", "were", "already", "been"})
#: Money or means spent on a purpose, in the past: "640 million yuan was used to build 18
#: avenues" reports what was built.
_SPENT_TO = re.compile(
    r"\b(?:was|were|had\s+been|has\s+been|have\s+been)\s+(?:\w+ly\s+)?(?:used|spent|invested|"
    r"allocated|earmarked|channelled|channeled)\s+(?:\w+\s+){0,3}?to\s+$",
    re.I,
)
_PAST_TIME = re.compile(r"\b(?:last\s+year|ago|previously|earlier|in\s+(?:19|20)\d{2})\b", re.I)
_GOAL_TO = re.compile(
    r"\b(?:targets?|goals?|aims?|plans?|pledged|vowed|promised|committed|decided)\s+to\s*$", re.I
)
_FUTURE = re.compile(r"\b(?:will|would|shall|to|plans?|aims?)\b", re.I)
_NOT_ONLY = re.compile(r"\bnot\s+only\b", re.IGNORECASE)
_MONEY_GOAL = re.compile(
    r"[^;]{0,60}?\b(?:revenue|revenues|output|market\s+value|valuation|sales|turnover|worth|"
    r"scale)\b[^;]{0,40}?\b(?:yuan|rmb|dollars?|euros?|billion|trillion|million)\b",
    re.IGNORECASE,
)
_OF_END = re.compile(
    r"(?<![\w-])([\w-]+)\s+of(?:\s+(?:an?\s+)?(?:additional|extra|further|another))?$"
)  # ("the recruitment of an additional 800 officers")
_PLANNED_PERFECT = re.compile(
    r"\b(?:have|has)\s+been\s+(?:planned|scheduled|slated|earmarked)\b", re.I
)
_SINCE_OR_BUT = re.compile(
    r"\b(?:since|but\s+(?:only|none)|claims?|reports?|rumou?rs?|denies|private|developers?)\b",
    re.IGNORECASE,
)
#: The subject of a government's work under way: "the European Commission is setting up".
_GOVERNMENT_SUBJECT = re.compile(
    r"\b(?:government|commission|ministry|department|council|authority|agency|administration|"
    r"executive|cabinet)\s+(?:is|are)\s+$",
    re.IGNORECASE,
)
#: "there will be an additional 1,125 staff": a future count of what there will be.
_THERE_WILL_BE_END = re.compile(
    r"\bthere\s+(?:will|would|shall)\s+(?:also\s+)?be"
    r"(?:\s+(?:an?\s+)?(?:additional|extra|further|another))?\s*$",
    re.IGNORECASE,
)
#: A list after "includes": what it names, one phrase after another, no verb in between ("the
#: package includes a new phone line, 140 more officers, …").
_LISTED_AFTER = re.compile(
    r"\b(?:includes|including|include|included)\b(?P<rest>[^.;:!?]{0,300}),\s*(?:and\s+)?$",
    re.IGNORECASE,
)
_FINITE = re.compile(
    r"\b(?:will|would|shall|is|are|was|were|has|have|had|be|been|can|could|may|must)\b", re.I
)
_GOVERNOR_REACH = 400  # characters before a noun phrase searched for what governs it
#: A preposition of place right before a noun phrase: the place something happens in.
_PLACE_BEFORE = re.compile(r"\b(?:in|at|inside|within|across|throughout|near)\s+$", re.IGNORECASE)
_ING_PREPS = frozenset({"of", "for", "about", "at", "on", "in", "from", "without", "after"})
#: Words of intent before "on" and a verb's -ing form: "focused on delivering".
_INTENT_ON = frozenset(
    {"focused", "focusing", "focus", "focuses", "intent", "working", "concentrating", "concentrate"}
)
_ONE_SET = re.compile(r"an?\s+(?:new\s+|single\s+|common\s+)?(?:set|package|suite)\s+of\b", re.I)
_ONE_OF_A_KIND = re.compile(r"\b(?:first|largest|biggest|only|sole|single)\b", re.I)


TALENT = KindEntry("talent", plural=True, mass=False)


@dataclass(slots=True)
class Candidate:
    unit: Unit
    head: Head
    start: int  # span start (verb or quantity)
    np_start: int
    np_end: int
    quantity: Quantity | None
    form: str
    governor: (
        str  # "verb", "passive", "future", "list", "include", "nominal", "number_of", "chain",
    )
    # "none"
    clause: int  # clause index within the unit
    region: str | None = None
    region_how: str = ""
    deadline: PartialDate | None = None
    sector: str | None = None
    qualifier: str | None = None
    group: int = 0
    in_item: bool = False
    span_end: int = 0
    count_end: int = 0  # where a count after the noun ends ("charging ports to 310,000")
    through: int | None = None  # verb before a coordinated phrase that is not a target
    label_start: int = 0  # the counted noun phrase without its quantity: "5G base stations"
    label_end: int = 0
    counted: str | None = None  # that phrase, for targets whose noun is no kind label
    authority: str | None = None  # a district or zone below the region that pledges it
    deadline_lent: bool = False  # the page's one year, not a phrase of the target's own unit
    deadline_guessed: bool = False  # lent from the page's deadline phrases, no goal frame
    item_goal: bool = False  # a count in an item of a goal list, with no other governor
    sector_named: bool = False  # its noun phrase names a sector ("blockchain applications")


def _clause_starts(clean: str, unit: Unit) -> list[int]:
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


_PARTICLE_LAST = ("place", "place ", "online", "online ", "stream", "stream ", "service",
                  "service ", "operation", "operation ", "use", "use ")  # fmt: skip


#: What those counted receive, after a passive that would otherwise make them: "Ten local
#: authorities are to be awarded funding" (the authorities are not made).
_GIVEN_AFTER = re.compile(
    r"\s+(?!(?:by|in|at|on|across|throughout|for|to|from|within|under|over|as|through|via|"
    r"during|before|after|until|and|or|but|if|when|where|which|who|this|next|each|every)\b)"
    r"[\w$€£]",
    re.IGNORECASE,
)
#: The participles after which :data:`_GIVEN_AFTER` names what is given ("are to be awarded
#: funding", "provided with free meals", "provided homes"; "will be built with £5m" and "funded
#: with $5m" make).
_GIVING_END = re.compile(
    r"\b(?:awarded|provided|given|granted|supplied|allocated|offered)$", re.IGNORECASE
)
#: Money a government invests (not has invested) in what it counts next: "is investing $237
#: million in", "will invest a further €40m in".
_INVESTING_IN_END = re.compile(
    r"\b(?:invests|investing|(?:will|to|shall)\s+(?:also\s+)?invest)\s+(?:an?\s+(?:additional|"
    r"extra|further)\s+|another\s+)?[$£€]\s?\d[\d,.]*\s*(?:bn|m|billion|million)?\s+in$",
    re.IGNORECASE,
)
_EXISTING = re.compile(r"\b(?:existing|current|old)\b", re.IGNORECASE)
#: Between the counts of a schedule by year: " in 2031, and ".
_SCHEDULE_GAP = re.compile(
    r"(?:\s+(?:will|are\s+to|are\s+due\s+to)\s[^,.;:]{0,40}?)?"  # (" will come online")
    r"\s+(?:in|by)\s+(?:19|20)\d\d\s*(?:,\s*(?:and\s+|then\s+)?|,?\s*(?:and|then)\s+)"
    r"(?:(?:a\s+)?(?:further|another|additional|more)\s+)?"  # ("and a further two in 2033")
)
_SCHEDULE_GOVERNORS = frozenset({"verb", "future", "passive", "chain", "chain+passive"})
#: A plan, before what it includes: "the plans include", "the budget also includes".
#: Learners who will start: "335 students will begin a degree" (rules.ARRIVAL_AFTER).
_STARTS_TRAINING = re.compile(
    r"[\s,]*(?:will|shall|are\s+(?:set|expected|due)\s+to)\s+(?:start|begin|commence)\b", re.I
)
#: A year right after a count, the time it is for: "1,335 places for 2022/23", "by 2026".
_DATED_AFTER = re.compile(r"\s*(?:by|for|before)\s+(?:the\s+end\s+of\s+)?(?:19|20)\d\d\b")
_PLAN_INCLUDES = re.compile(
    r"(?<!opposition's\s)(?<!opposition’s\s)(?<!rejected\s)(?<!previous\s)(?<!former\s)"
    r"(?<!abandoned\s)(?<!old\s)(?<!scrapped\s)"
    r"\b(?:plans?|proposals|package|budget)(?:\s+for(?:\s+[\w'’-]+){1,5}?)?"
    # "the package announced by the Health Minister includes"
    r"(?:\s+(?:announced|unveiled|confirmed|agreed|published|launched)\b[^.;:,]{0,60}?)?"
    r"\s+(?:also\s+)?(?:include|includes|will\s+include)\s+"
    r"(?:(?:an?\s+)?(?:additional|extra|further|another)\s+)?$",
    re.IGNORECASE,
)
_PLANS_DENIED = re.compile(
    r"\b(?:no|had|former|previous|old|earlier|oppos\w*|against|critics\s+of|protest\w*|"
    r"reject\w*|scrap\w*|denie[sd]\s+(?:it\s+)?(?:has|had|having)|on\s+hold|shelv\w*|"
    r"drop\w*|abandon\w*)\s+(?:(?:the|its|their)\s+)?plans\s+for\s+$",
    re.IGNORECASE,
)
_PLANS_UNDONE = re.compile(
    r"[^.;]{0,60}?\b(?:(?:were|was|have\s+been|has\s+been|had\s+been)\s+(?:\w+ly\s+)?(?:rejected|"
    r"dropped|scrapped|shelved|abandoned|cancell?ed|withdrawn|refused|blocked|delayed|"
    r"paused)|(?:are|is|were|was)\s+(?:now\s+|still\s+)?(?:on\s+hold|in\s+doubt|stalled|"
    r"unrealistic|realistic)|(?:have|has)\s+stalled|stalled|fell\s+through|collapsed)\b"
    r"|[^.;]{0,80}\?",
    re.IGNORECASE,
)
#: The words of including (of :data:`rules.INCLUDE_END`, which also holds "plans for").
_INCLUDE_WORD_END = re.compile(
    r"\b(?:include|includes|including|included|comprise|comprises|comprising|namely)"
    r"[\s:“”\"']*$",
    re.IGNORECASE,
)


#: Works pushed forward: "push forward more than 1,000 digitalized transformation projects".
_PROJECTS_AFTER = re.compile(
    r"[^.;:]{0,60}?\b(?:projects|programmes|programs|works|schemes)\b", re.IGNORECASE
)


#: Nouns of people, by their ending ("guards", "officers", "volunteers"; not "vans", "ships").
_PERSON_NOUN = re.compile(
    r"(?:ers|ors|ists|ians|ants|ents|guards|staff|people|members|personnel|troops|volunteers|"
    r"recruits|cadets|nurses|officials|workforce)$"
)
_FOR_END = re.compile(r"\bfor\s+(?:an?\s+)?(?:(?:additional|extra|further|another)\s+)?$", re.I)
#: Staff a government adds when it counts "more", "extra" or "additional" of them: talent.
_STAFF_NOUN = re.compile(
    r"^(?:officers|police|constables|detectives|investigators|nurses|midwives|doctors|"
    r"physicians|surgeons|gps|paramedics|teachers|lecturers|educators|firefighters|guards|"
    r"wardens|rangers|inspectors|staff|personnel|troops|soldiers|recruits|caseworkers|carers|"
    r"counsellors|counselors|psychologists|pharmacists|dentists|clinicians|therapists|"
    r"apprentices|trainees)$"
)
#: A count of staff after the verb: "2,000 more teachers", "1,500 additional police officers".
_STAFF_COUNT = re.compile(
    r"\W*(?:(?:an?\s+)?(?:additional|extra|further|another)\s+)?(?:up\s+to\s+|some\s+|about\s+|"
    r"around\s+|at\s+least\s+|over\s+|more\s+than\s+)?[\d][\d,.]*(?:\s+(?:million|thousand))?\s+"
    r"(?:(?:more|new|additional|extra|full-time|qualified|specialist|frontline|front-line|"
    r"police|school|community|mental\s+health)\s+){0,3}(?P<noun>[a-z]+)\b",
    re.IGNORECASE,
)


#: Another's view or forecast that closes the sentence: "…, opponents claim", "…, the Royal
#: College forecasts" (not "…, the minister said": a government states its pledges so).
_OPINION_AFTER = re.compile(
    # (who says it, without a preposition: not "…, based on 2033 population forecasts")
    r"[^.;!?]{0,120}?,\s*(?:(?!(?:on|of|with|from|in|to|per|by|under|after|before|for)\b)"
    r"[\w'’-]+\s+){1,5}?(?:forecasts?|forecast|predicts?|predicted|"
    r"estimates?|estimated|claims?|claimed|argues?|argued|warns?|warned|fears?|feared|suggests?|"
    r"suggested|believes?|believed|speculates?|contends?|alleges?|alleged)\s*[.;!?]?\s*$",
    re.IGNORECASE,
)
#: A goal said to be met right after its count: "… 900 places was met in 2023".
_MET_AFTER = re.compile(
    r"[^.;:,]{0,40}?\b(?:was|were|has\s+been|have\s+been|had\s+been)\s+(?:already\s+|now\s+)?"
    r"(?:met|achieved|exceeded|fulfilled|surpassed|hit)\b",
    re.IGNORECASE,
)
#: A body that is no government, as the subject of a commitment.
_ORGANISATION_BEFORE = re.compile(
    r"\b(?:associations?|unions?|compan(?:y|ies)|firms?|charit(?:y|ies)|foundations?|societ(?:y|ies)|"
    r"federations?|chambers?|industry|institutes?|universit(?:y|ies)|colleges?|hospitals?|NGOs?|"
    r"groups?|campaigners?|opposition|party|parties)\b[^.;:]*$",
    re.IGNORECASE,
)
#: Someone else's wish before "to employ": "unions want the government to employ".
_WISHED = re.compile(
    r"\b(?:want|wants|wanted|urge[sd]?|urging|call(?:s|ed)?\s+on|demand(?:s|ed)?|ask(?:s|ed)?|"
    r"press(?:es|ed)?|lobb(?:y|ies|ied))\b",
    re.IGNORECASE,
)
#: A business that employs, not a government that hires: "the mine will employ 500 nurses".
_EMPLOYER = re.compile(
    r"\b(?:mines?|plants?|factor(?:y|ies)|firms?|compan(?:y|ies)|business(?:es)?|developers?|"
    r"operators?|facilit(?:y|ies)|projects?|sites?|stores?|retailers?|banks?|corporations?|"
    r"employers?|(?:[A-Z][\w&-]*\s+)?(?:Ltd|Inc|plc|Group|Corp))\b"
)


def _counts_staff(clean: str, at: int) -> bool:
    """Whether a count of staff opens ``clean`` at ``at`` ("2,000 more teachers")."""
    found = _STAFF_COUNT.match(clean, at)
    return found is not None and _STAFF_NOUN.match(found["noun"].lower()) is not None


#: People trained, recruited or placed, besides staff: "15,000 job seekers", "4,000 volunteers".
_LEARNER_NOUN = re.compile(
    _STAFF_NOUN.pattern[:-2]
    + r"|seekers|jobseekers|students|graduates|learners|people|volunteers|youths|workers|"
    r"adults|women|men|farmers|veterans|unemployed|specialists|engineers)$"
)
#: A body of people before their count: "a standing corps of 10,000 border guards".
_PEOPLE_BODY_OF = re.compile(
    r"\b(?:corps|cohort|cadre|workforce|army)\s+of\s+(?:(?:up\s+to|some|about|around|at\s+least)"
    r"\s+)?$",
    re.IGNORECASE,
)


_NEW_AFTER_THE = frozenset({"extra", "additional", "further"})
#: A share of new things the actor is one of several to make: "some of the extra 3,000 homes".
_SOME_OF_THE_NEW = re.compile(
    r"\b(?:some|part|many|most)\s+of\s+the\s+(?:extra|additional|further|new)\s*$", re.IGNORECASE
)


def _verb_governor(
    clean: str, gov_start: int, gov_end: int, imperative: bool = False
) -> int | None:
    """Start offset of the creation verb that governs what follows ``gov_end``, if any.

    ``imperative``: a verb opening a list item ("- set up a fund") needs no "will" or "to".
    """
    text = clean[gov_start:gov_end]
    if text.endswith(_ASIDE_LAST):
        aside = _DASH_ASIDE_END.search(text, max(0, len(text) - 100))
        if aside is not None:
            text = text[: aside.start()]  # "will support - with up to €100 million - 19 ..."
    if text.endswith(_PARTICLE_LAST):
        # Searched only in the tail: the pattern ends at the end of the text.
        particle = rules.VERB_PARTICLE_END.search(text, max(0, len(text) - 30))
        if particle is not None:
            text = text[: particle.start()]
    partitive = _SOME_OF_THE_NEW.search(text, max(0, len(text) - 40))
    if partitive is not None:
        text = text[: partitive.start()]  # "will deliver some of the extra 3,000 homes"
    words = list(re.finditer(r"[\w'’&-]+", text))
    k = len(words) - 1
    skipped = 0
    while k >= 0 and skipped < 3:
        w = words[k].group().lower()
        if (
            w in rules.VERB_FILLERS
            or (w.endswith("ly") and w not in rules.VERB_FORMS)
            # "deliver the extra 3,000 homes": new ones, though "the"
            or (
                w == "the" and k + 1 < len(words) and words[k + 1].group().lower() in _NEW_AFTER_THE
            )
        ):
            k -= 1
            skipped += 1
            continue
        break
    if k < 0:
        return None
    word = words[k].group().lower().replace("’", "'")
    form = rules.VERB_FORMS.get(word)
    if form is None and k >= 2 and words[k - 1].group().lower() in ("and", "or"):
        # "establish and operate three hubs": a verb we know, and another we do not
        earlier_word = words[k - 2].group().lower().replace("’", "'")
        earlier_form = rules.VERB_FORMS.get(earlier_word)
        if earlier_form is not None and earlier_form[1] == "base" and word.isalpha():
            k, word, form = k - 2, earlier_word, earlier_form
    if form is None:
        return None
    lemma, tense = form
    after = words[k + 1].group().lower() if k + 1 < len(words) else ""
    if lemma == "carry" and after != "out":
        return None  # "carry out 150 projects", not "the buses will carry 500 people"
    if lemma == "push" and not (
        after in ("forward", "ahead") and _PROJECTS_AFTER.match(clean, gov_end, gov_end + 80)
    ):
        return None  # "push forward 1,000 projects"; not "push out 500 products", "push forward
        # 20 candidates"
    if lemma != "push" and after in ("forward", "ahead"):
        return None  # "put forward 10 proposals", "bring forward 12 bills"
    before = [words[m].group().lower() for m in range(max(0, k - 3), k)]
    before = [w for w in before if w not in rules.VERB_FILLERS and not w.endswith("ly")]
    p1 = before[-1] if before else ""
    p2 = before[-2] if len(before) > 1 else ""
    verb_start = gov_start + words[k].start()
    earlier = clean[gov_start:verb_start]
    if lemma == "employ" and not (
        (
            tense == "past"
            and k >= 2
            and words[k - 1].group().lower() == "have"
            and words[k - 2].group().lower() in _MODAL
        )
        or (imperative and tense in ("base", "ing") and not re.search(r"\w", earlier))
        or (
            tense == "base"
            and (
                p1 in ("will", "shall", "'ll", "’ll")
                or (p1 == "to" and not _WISHED.search(earlier))
            )
            and _counts_staff(clean, gov_end)
            and not _EMPLOYER.search(earlier)
        )
    ):
        return None  # "plans to have employed 5,750 firefighters", an item "Employing 78 new
        # paramedics", "will employ 2,000 more teachers"; not "employs 5,000 people" now, nor
        # "will employ 300 drones" (put to use), nor "the plant will employ 500 workers" (jobs)
    if lemma in rules.PLEDGE_VERBS:
        pass
    elif tense == "ing" and (
        (p1 in _ING_PREPS and p2 not in rules.NOMINAL_GOVERNORS and p2 not in _INTENT_ON)
        or (p1 in ("and", "or") and p2 in _ING_PREPS)
    ):
        # "the cost of building parks", "paying for and choosing training" (but "we remain
        # focused on delivering 110,000 homes" pledges them)
        return None
    elif tense == "past":
        if not (p1 in ("be", "being") or (p1 == "have" and p2 in _MODAL)):
            return None
    elif tense == "s" and lemma == "have":
        return None
    elif lemma in rules.WEAK_VERBS:
        # "... and launch checks of 60 lifts": in an order, a verb after "and" is one too
        # ... and after a comma in a list of what "will" be done: "will build three
        # kindergartens, set up five stations and treat five rivers"
        chained = (p1 in ("and", "or", "then") or earlier.rstrip().endswith(",")) and bool(
            imperative or _FUTURE.search(earlier)
        )
        opening = imperative and not re.search(r"\w", re.split(r"[:;•]", earlier)[-1])
        by_means = tense == "ing" and p1 == "by"  # "... by making 20,000 units safe"
        # "the Commission is setting up three new academies": under way, as "is building"
        setting_up = (
            tense == "ing"
            and lemma == "set"
            and after == "up"
            and p1 in ("is", "are")
            and _GOVERNMENT_SUBJECT.search(earlier[-60:]) is not None
            and rules.NEGATION.search(earlier) is None
        )
        # "... will expand apprenticeships, reaching 400,000 apprentices": the level a goal
        # reaches, in a participle clause after a comma in a clause that looks ahead.
        level = (
            tense == "ing"
            and lemma == "reach"
            and earlier.rstrip().endswith(",")
            and bool(_FUTURE.search(earlier))
        )
        past = (
            _PAST_TIME.search(earlier)
            and p1 not in ("will", "shall", "'ll")
            # "In 2020 the city set a target to offer 1 million places": a goal set then
            and not _GOAL_TO.search(earlier)
        )
        if (tense != "base" and not (by_means or level or setting_up)) or past:
            return None  # ("In 2025, we will set up 30 platforms": "will" looks ahead)
        if not (p1 in _MODAL or chained or opening or by_means or level or setting_up):
            return None
    elif tense == "base" and (
        p1 in _PAST_AUX or _SPENT_TO.search(earlier, max(0, len(earlier) - 60))
    ):
        return None
    window = clean[max(gov_start, verb_start - 40) : verb_start]
    if rules.NEGATION.search(_NOT_ONLY.sub(" ", window)):
        return None
    return verb_start


#: A verb of its own after a count: "... and 40 staff will move in", "and 300 firms would gain".
_MODAL_VERB_AFTER = re.compile(
    r"\s+(?:will|would|shall|can|could|may|might|must)\s+(?:also\s+|then\s+)?(?P<verb>[a-z]+)\b"
)


def _own_clause_after(clean: str, np_end: int, end: int) -> bool:
    """Whether the count that ends at ``np_end`` is the subject of a verb of its own that creates
    nothing, so that a verb before "and" does not govern it ("will build 20 schools and 40
    staff will move in"; not "... and 40 homes will be built", "... and 12 hubs will open")."""
    found = _MODAL_VERB_AFTER.match(clean, np_end, end)
    if found is None:
        return False
    verb = found["verb"]
    return (
        verb != "be"
        and verb not in rules.VERB_FORMS
        and not rules.ARRIVAL_AFTER.match(clean, np_end, end)
    )


def _governor(
    clean: str, unit: Unit, clause_start: int, q_start: int, list_ok: bool
) -> tuple[str, int | None]:
    # What governs a noun phrase stands close before it: looking further back only costs time
    # on run-on text (a megabyte with no full stop).
    clause_start = max(clause_start, q_start - _GOVERNOR_REACH)
    gov = clean[clause_start:q_start]
    stripped = gov.rstrip(" \t“”\"'‘’")
    # These patterns end at the end of the text: searching only its tail (long enough for the
    # longest match; \b still sees the character before) finds the same match, much faster.
    tail = len(stripped)
    # (over the unit, not the clause: the list's commas end clauses)
    window = clean[max(unit.start, q_start - 320) : q_start]
    if (
        unit.cue
        and rules.MONEY_FOR_TAIL.search(stripped, max(0, tail - 30))
        and rules.MONEY_FOR_END.search(stripped, max(0, tail - 100))
    ):
        # "The funding includes $445 million for an additional 200 officers": the money's
        # purpose, nearer than what the funding includes
        return "nominal", None
    listed = _LISTED_AFTER.search(window.rstrip()) if "nclud" in window else None
    if listed is not None and _FINITE.search(listed.group("rest")) is None:
        return "include", None
    coordinator = rules.COORDINATOR_END.search(stripped, max(0, tail - 60))
    if coordinator:
        # "build five testbeds and a fund": the verb of the phrase before also governs this one.
        through = _through_verb(clean, clause_start, clause_start + coordinator.start())
        if through is None and _nominal_before(
            clean, clause_start, clause_start + coordinator.start()
        ):
            return "nominal", None  # "complete construction of the center and 82 quarters"
        return "chain", through
    if not stripped.strip(" \t-–—•·:;,.(") or stripped.endswith(":"):
        return ("list", None) if list_ok else ("none", None)
    if rules.NUMBER_OF_END.search(stripped, max(0, tail - 60)):
        return "number_of", None
    if (
        unit.cue
        and rules.MONEY_FOR_TAIL.search(stripped, max(0, tail - 20))
        and rules.MONEY_FOR_END.search(stripped, max(0, tail - 80))
    ):
        return "nominal", None  # "£3 billion for 50,000 new school places"
    # A goal noun sets the count: "the goal of 10,000 chargers", "a mission for 100 cities".
    goal = rules.GOAL_OF_END.search(stripped, max(0, tail - 120))
    if (
        goal is not None
        # "the goal of installing 500,000 chargers": a verb we know governs as a verb, but
        # for the weak ones, which govern so only in the base form ("the goal of connecting
        # 20 million more people": the goal governs)
        and not (
            goal.group("ger")
            and rules.VERB_FORMS.get(goal.group("ger").lower(), ("", ""))[0]
            not in ("", *rules.WEAK_VERBS)
        )
        and (unit.imperative or unit.cue or rules.pledge_cue(stripped))
        and not (
            # "has not committed to 100 schools", "the hospital association is committed to"
            goal.group().lower().startswith("commit")
            and (
                rules.NEGATION.search(stripped, max(0, goal.start() - 30), goal.start())
                or _ORGANISATION_BEFORE.search(stripped, max(0, goal.start() - 80), goal.start())
            )
        )
    ):
        return "nominal", None
    if rules.INCLUDE_END.search(stripped, max(0, tail - 100)) or _PLAN_INCLUDES.search(
        stripped + " ", max(0, tail - 100)
    ):
        return "include", None  # (and "the plan will include an extra 68 officers")
    if _THERE_WILL_BE_END.search(stripped, max(0, tail - 60)):
        return "future", None

    increase = _INCREASE_OF_END.search(stripped, max(0, tail - 80))
    if (
        increase is not None
        and not _PAST_PERIOD.search(clean, q_start, unit.end)
        and not rules.NEGATION.search(stripped, max(0, increase.start() - 30), increase.start())
    ):
        return "nominal", None  # "announce an increase of 100 nurse training places"
    if _GROWN_CAPACITY_OF_END.search(stripped, max(0, tail - 60)):
        return "nominal", None  # "increase the capacity of 25 existing schools": works on them
    of = _OF_END.search(stripped, max(0, tail - 80))
    if of and (
        of.group(1).lower() in rules.NOMINAL_GOVERNORS
        # "the plugging of 7,000 wells": a creation or works verb's -ing form as its noun
        or rules.VERB_FORMS.get(of.group(1).lower(), ("", ""))[1] == "ing"
    ):
        if _making_stopped(stripped, of.start()):
            return "none", None  # "will halt the construction of 30 plants": works stopped
        return "nominal", None
    verb = _verb_governor(clean, clause_start, q_start, imperative=list_ok or unit.imperative)
    if verb is not None:
        return "verb", verb
    invest = _INVEST_IN_END.search(stripped, max(0, tail - 40))
    if invest is not None and (unit.cue or unit.imperative):
        return "verb", clause_start + invest.start()  # "the Province invests in 600 new spaces"
    growth = rules.GROWTH_BY_END.search(stripped, max(0, tail - 80))
    if growth is not None and (unit.cue or unit.imperative):
        # "increase kindergarten enrolment by 100,000 children": the count after "by", with a
        # noun of its own, is that many more of them
        return "verb", clause_start + growth.start()
    grown = _GROWN_OBJECT_END.search(stripped, max(0, tail - 40))
    if (
        grown is not None
        and (unit.cue or unit.imperative)
        and rules.TO_VALUE.match(clean[_np_end_after(clean, q_start, unit.end) : unit.end])
    ):
        # "will double medical school places to 15,000": the level the growth brings them to
        return "verb", clause_start + grown.start()
    return "none", None


#: Investing in a count of new things (not "invested in", which reports).
_INVEST_IN_END = re.compile(
    r"\binvest(?:s|ing)?\s+in(?:\s+(?:almost|nearly|about|around|over|some|more\s+than|up\s+to|"
    r"an?\s+(?:additional|extra|further)))?$",
    re.IGNORECASE,
)
#: A verb of growth right before a plain object: "will double", "to expand the".
_GROWN_OBJECT_END = re.compile(
    rf"\b(?:{'|'.join(sorted(rules.GROWTH_VERB_WORDS))})(?:\s+(?:the|its|our|their|total))*\s*$",
    re.IGNORECASE,
)


_WORDS_BEFORE_TO = re.compile(r"(?:[\w'’-]+\s+){1,8}?(?=to\s)")


def _np_end_after(clean: str, start: int, end: int) -> int:
    """Where the words from ``start`` stop before " to " (at most eight words on), or ``end``."""
    found = _WORDS_BEFORE_TO.match(clean, start, end)
    return found.end() - 1 if found else end


_TRAINING_OFFER_FOR = re.compile(
    r"\b(?P<noun>(?:traineeships?|training|apprenticeships?|internships?|placements?|"
    r"courses?|scholarships?|fellowships?|training\s+places|study\s+places))\s+for\s*$",
    re.IGNORECASE,
)
_LAST_WORD = re.compile(r"[\w'’&-]+\s*$")
#: A training for the people counted next, with what it is in between: "training courses in
#: advanced digital technologies for".
_TRAINED_FOR = re.compile(
    r"\b(?:training|courses?|traineeships?|apprenticeships?|upskilling|reskilling)\b"
    r"(?:(?!\band\b)[^.;:,]){0,80}?\bfor\s+(?:(?:up\s+to|around|about|some|at\s+least)\s+)?$",
    re.IGNORECASE,
)


def _training_offer_verb(clean: str, clause_start: int, q_start: int) -> int | None:
    """The verb of "<verb> (up to three modifiers) traineeships/training/places for" that ends
    right before a count, if there is one."""
    found = _TRAINING_OFFER_FOR.search(clean, max(clause_start, q_start - 60), q_start)
    if found is None:
        return None
    pos = found.start("noun")
    for _ in range(4):
        verb = _verb_governor(clean, clause_start, pos)
        if verb is not None:
            return verb
        word = _LAST_WORD.search(clean, max(clause_start, pos - 40), pos)
        if word is None:
            return None
        pos = word.start()
    return None


_NOT_IN_OBJECT = rules.FUNCTION_WORDS - {
    "a",
    "an",
    "the",
    "of",
    "more",
    "new",
    "other",
    "additional",
}
#: Verbs whose work is for those counted after "for" in prose ("build homes for 5,000
#: families"): building, fitting and repairing things people use.
_FOR_WHOM_VERBS = frozenset(
    {"build", "construct", "renovate", "retrofit", "upgrade", "equip", "install", "improve",
     "deliver", "provide", "connect", "open", "buy", "purchase"}
)  # fmt: skip
_HAS_LETTER = re.compile(r"[A-Za-z]")
#: Places one person each takes, counted by the people they are for.
_SEAT_NOUNS = frozenset({"places", "spaces", "seats", "beds", "slots"})
#: Verbs that are works done to buildings ("retrofit the heating across nine schools"), and
#: verbs that do works named by a noun ("complete renovation in 1,000 villages").
_WORKS_LEMMAS = frozenset({"renovate", "retrofit", "refurbish", "repair", "rebuild", "upgrade"})
_WORKS_DOING = frozenset({"complete", "carry", "make", "finish", "deliver"})
#: Nouns of works done to something: "make renovations to 15 schools".
_WORKS_NOUNS = frozenset(
    {"renovations", "improvements", "repairs", "upgrades", "alterations", "refurbishments",
     "renovation", "improvement", "repair", "upgrade", "refurbishment", "retrofits"}
)  # fmt: skip
#: Between a counted target and a count right after it that says whom it is for.
_FOR_GAP = re.compile(r"\s+for\s+(?:(?:some|about|around|nearly|over|up\s+to)\s+)?", re.I)
_TO_END = re.compile(r"(?<![\w-])(?P<prep>to|for|at|on|in|across)\s*$", re.IGNORECASE)
#: A count of places after "in", where works are done: "renovation in 1,000 villages".
_PLACES_COUNTED = re.compile(
    r"\S+\s+(?:[\w-]+\s+){0,3}?(?:villages|towns|townships|communities|counties|schools|"
    r"hospitals|neighbou?rhoods|compounds|districts|cities|streets|estates)\b",
    re.IGNORECASE,
)


def _recipient_verb(
    clean: str,
    clause_start: int,
    q_start: int,
    order: bool = False,
    before: list[Candidate] | None = None,
) -> int | None:
    """The verb of "<deliver/provide/bring> <up to five words> to" right before a count, if
    there is one: what is delivered is not counted, those it reaches are. In an order (a unit
    that opens with a verb of doing), any verb, and "for" or "at": those the work is for, or
    the places it is done at ("Upgrade the heating for 600 homes", "Fit alarms at 11 schools");
    an object after "and" takes the verb of the counted phrase before it."""
    found = _TO_END.search(clean, max(clause_start, q_start - 12), q_start)
    if found is None:
        return None
    prep = found.group("prep").lower()
    if prep in ("at", "on") and not order:
        return None
    if prep == "across":
        prep = "in"  # "upgrade the heating systems across nine public schools"
    if prep == "in" and not _PLACES_COUNTED.match(clean, q_start, q_start + 60):
        return None  # (only places where works are done: "run pilot reforms in 20 counties" no)
    pos = found.start()
    one_thing = False  # "build a stadium for 60,000 fans": a capacity, in prose
    works = False  # "make renovations to 15 schools": works done to those counted
    seats = False  # "create places for 2,700 children": one place each
    for _ in range(6):
        word = _LAST_WORD.search(clean, max(clause_start, pos - 40), pos)
        if word is None:
            return None
        pos = word.start()
        low = word.group().strip().lower()
        one_thing = one_thing or low in ("a", "an", "one")
        works = works or low in _WORKS_NOUNS
        seats = seats or low in _SEAT_NOUNS
        if order and low in ("and", "or") and before:
            prev = before[-1]
            if (
                prev.governor == "verb"
                and prev.form in ("number", "range")
                and not clean[prev.np_end : pos].strip()
            ):
                return prev.start  # "Pave 70 lanes and the drains for 600 homes"
            return None
        carry_out = low == "out" and clean[max(0, pos - 6) : pos].lower() == "carry "
        if (low in _NOT_IN_OBJECT and not carry_out) or (prep != "to" and _numberish(low)):
            return None  # "Build 30 parks for 9,000 people": the parks are the count
        if (
            order
            and prep != "in"
            and not _HAS_LETTER.search(clean, clause_start, pos)
            and not low.endswith(("ly", "ed"))
            and rules.VERB_FORMS.get(low, ("", ""))[1] != "past"
        ):
            return pos  # the verb that opens the order: "Fit alarms at 11 schools"
        verb = _verb_governor(clean, clause_start, pos + len(word.group().rstrip()), order)
        if verb is not None:
            lemma = _lemma_at(clean, verb)
            if (order or lemma in rules.DELIVERY_VERBS) and prep != "in":
                return verb
            # "will build homes for 5,000 families", "will upgrade the heating for 600 homes"
            ok = prep == "for" and lemma in _FOR_WHOM_VERBS and not one_thing
            ok = ok or (prep == "for" and lemma == "create" and seats and not one_thing)
            ok = ok or (prep == "to" and lemma in ("make", "carry") and works)
            # "will complete environment renovation in 1,000 villages", "upgrade the heating
            # across nine schools": the places works are done in (not "improve air quality in
            # 12 cities", "provide legal aid in 30 cities": an attack)
            ok = ok or (
                prep == "in"
                and not one_thing
                and (lemma in _WORKS_LEMMAS or (works and lemma in _WORKS_DOING))
            )
            return verb if ok else None
    return None


def _through_verb(clean: str, clause_start: int, end: int, depth: int = 0) -> int | None:
    """The creation verb before a noun phrase that ends at ``end``, if there is one."""
    np_start = _phrase_start(clean, clause_start, end)
    if np_start is None:
        return None
    measure = _MEASURE_OF_END.search(clean, max(clause_start, np_start - 40), np_start)
    if measure is not None:
        np_start = measure.start()  # "build 2 km of green way, three parks": past the measure
    found = _verb_governor(clean, clause_start, _count_start(clean, clause_start, np_start))
    if found is None and measure is not None and depth < 3:
        before = clean[clause_start:np_start].rstrip()
        if before.endswith(","):
            # "deliver 167 km of vinyl, 30 km of hallways, five helipads": measures listed
            return _through_verb(clean, clause_start, clause_start + len(before) - 1, depth + 1)
    return found


def _count_start(clean: str, clause_start: int, np_start: int) -> int:
    """Where the count before the words at ``np_start`` starts (``np_start`` if none)."""
    prefix_start = max(clause_start, np_start - QUANTITY_REACH)
    parsed = rules.parse_quantity_end(clean[prefix_start:np_start])
    return prefix_start + parsed.start if parsed.form != "bare" else np_start


def _making_stopped(text: str, at: int) -> bool:
    """Whether the words before ``at`` stop, put off or deny the making the noun at ``at``
    names ("will halt the construction of", "will not complete construction of")."""
    start = max(0, at - 40)
    return bool(_STOPPED_BEFORE.search(text, start, at) or rules.NEGATION.search(text, start, at))


def _nominal_before(clean: str, clause_start: int, end: int) -> bool:
    """Whether a noun of making governs the noun phrase that ends at ``end``: "complete
    construction of the health center" (and so the phrase coordinated after it)."""
    np_start = _phrase_start(clean, clause_start, end)
    if np_start is None:
        return False
    measure = _MEASURE_OF_END.search(clean, max(clause_start, np_start - 40), np_start)
    if measure is not None:
        # "the renovation of 1,200 km of rural roads and 300 bridges": past the measure
        np_start = _count_start(clean, clause_start, measure.start())
    before = _DETERMINER_END.sub("", clean[max(clause_start, np_start - 80) : np_start].rstrip())
    of = _OF_END.search(before)
    return (
        of is not None
        and of.group(1).lower() in rules.NOMINAL_GOVERNORS
        and not _making_stopped(before, of.start())
    )


#: An increase someone makes happen, whose count is of new things: "announce an increase of 100
#: training places", "will fund a further increase of 50 beds" (not "an increase of 1,200
#: nurses over the past four years", which reports).
_INCREASE_OF_END = re.compile(
    r"\b(?:announc\w*|fund(?:s|ed|ing)?|deliver\w*|provid\w*|confirm\w*|secur\w*|approv\w*)\s+"
    r"(?:an?\s+|the\s+)?(?:further\s+|additional\s+|extra\s+)?increase\s+of$",
    re.IGNORECASE,
)
#: An aside between dashes right before a count: "will support - with up to €100 million over
#: five years - 19 doctoral programmes".
_DASH_ASIDE_END = re.compile(r"\s[-–—]\s[^-–—;.]{1,80}?\s[-–—]\s*$")
_ASIDE_LAST = ("- ", "– ", "— ", "-", "–", "—")
#: Verbs of choosing among the training verbs: what they count is talent only if it is people.
_CHOOSING_VERBS = frozenset({"select", "appoint"})
_CHOSEN_PEOPLE = re.compile(
    r"(?:judges|commissioners|ambassadors|envoys|directors|trustees|governors|magistrates|"
    r"mentors|fellows|candidates|astronauts|cadets|officers|advisers|advisors|members)$"
)
_AND_OTHER_END = re.compile(r"\b(?:and|&)\s+other\s+$", re.IGNORECASE)
#: A period that has passed, after a count: "an increase of 1,200 nurses over the past four years".
_PAST_PERIOD = re.compile(
    r"\b(?:over|in|during|within)\s+the\s+(?:past|last|previous)\b|\blast\s+year\b|"
    r"\bsince\s+(?:\d{4}|then|the\s+\w+)\b|\bso\s+far\b|\bto\s+date\b|"
    r"\bcompared\s+(?:with|to)\b|\bup\s+from\b",
    re.IGNORECASE,
)
#: A verb that stops or puts off the making a noun names: "will halt construction of".
_STOPPED_BEFORE = re.compile(
    r"\b(?:halt|suspend|pause|stop|delay|postpone|defer|freeze|cancel|abandon|scrap|end)\w*\s+"
    r"(?:(?:the|its|their|all|further|any)\s+)?$",
    re.IGNORECASE,
)
_DETERMINER_END = re.compile(r"\s+(?:the|an?|its|their|this|that|a\s+new|the\s+new)$", re.I)


def _phrase_start(clean: str, clause_start: int, end: int) -> int | None:
    """Where the noun phrase that ends at ``end`` starts (after its function words, numbers
    and verbs), or None when no word of it is there."""
    words = list(re.finditer(r"[\w'’&-]+", clean[clause_start:end]))
    k = len(words) - 1
    while k >= 0 and len(words) - 1 - k < 6:
        w = words[k].group().lower()
        verb = rules.VERB_FORMS.get(w)
        if (
            w in rules.FUNCTION_WORDS
            or w in rules.NUMBER_WORDS
            or NUMERIC.fullmatch(w)
            or (verb and verb[1] != "past" and verb[0] not in AMBIGUOUS_VERBS)
        ):
            break
        k -= 1
    if k == len(words) - 1:
        return None
    return clause_start + words[k + 1].start()


#: A measured amount of something before its noun: "2 kilometers of", "57,000 square metres of".
_MEASURE_OF_END = re.compile(r"\b\d[\d,.]*\s*(?:[A-Za-z-]+\s+){1,2}of\s+$")


def unit_candidates(
    clean: str,
    unit: Unit,
    toks: list[Tok],
    deadlines: list[rules.DeadlineMatch],
    heads: list[Head] | None = None,
) -> list[Candidate]:
    heads = find_heads(toks) if heads is None else heads
    if not heads:
        return []
    head_ends = frozenset(h.last for h in heads)
    starts = _clause_starts(clean, unit)
    body = clean[unit.start : unit.end]
    colon = body.find(":")
    spans = [(unit.start + d.start, unit.start + d.end) for d in deadlines]
    out: list[Candidate] = []
    for head in heads:
        np_start_char = toks[head.label_first].start
        clause = _clause_of(starts, np_start_char)
        clause_start = starts[clause]
        floor = 0
        while floor < len(toks) and toks[floor].start < clause_start:
            floor += 1
        mod_first = left_modifiers(toks, head.label_first, floor, head_ends)
        mod_start = toks[mod_first].start if mod_first < head.label_first else np_start_char
        prefix_start = max(clause_start, mod_start - QUANTITY_REACH)
        parsed = rules.parse_quantity_end(clean[prefix_start:mod_start])
        form = parsed.form
        quantity = parsed.quantity
        elided = head.count is not None and head.count == head.label_first  # "…, 400 by 2028"
        count_end = 0
        if not elided and _number_cut(
            toks, mod_first, head.label_first, form, clean[prefix_start:mod_start]
        ):
            continue  # "twenty billion billion parks": a number is read whole or not at all
        q_start = prefix_start + parsed.start if form != "bare" else mod_start
        if form == "number" and quantity is not None and quantity.value is not None:
            number_at = prefix_start + parsed.number_start
            if _AND_OTHER_END.search(clean, max(clause_start, number_at - 12), number_at):
                continue  # "Huacao and other 3 towns": four towns, the count is not theirs
            in_deadline = any(s <= number_at < e for s, e in spans)
            if (
                in_deadline
                or _numbered_name(clean, clause_start, number_at, len(parsed.number_text))
                or _slogan(clean, number_at, parsed.number_text)
                or (
                    1900 <= quantity.value <= 2100
                    and "," not in parsed.number_text  # ("for 2,000 people" is no year)
                    and YEAR_PREPS.search(clean[max(0, number_at - 10) : number_at])
                )
            ):
                form, quantity, q_start = "bare", None, mod_start
        list_ok = (
            unit.kind == "item"
            and (unit.cue or (unit.lead is not None and unit.lead.cue))
            and not gerund_subject(body)  # ("Employing 40 more staff would cost too much;")
        )
        list_ok = list_ok or (colon >= 0 and unit.start + colon < q_start and unit.cue)
        if form == "bare" and unit.kind == "item":
            # A table-like item: "Robotics firms with sales above 100 million yuan: 50".
            value = rules.ITEM_VALUE.match(clean, toks[head.last].end, unit.end)
            number = rules.parse_number(value.group("num")) if value else None
            if number is not None and value is not None:
                form, quantity = "number", Quantity(value=number)
                count_end = value.end("num")
        if head.count is not None:
            count_tok = toks[head.count]
            number = rules.parse_number(count_tok.text)
            if number is None or not out:
                continue
            form, quantity, q_start = "number", Quantity(value=number), count_tok.start
            head = replace(head, entry=out[-1].head.entry)
            mod_start = out[-1].label_start
        governor, verb_start = _governor(clean, unit, clause_start, q_start, list_ok)
        if (
            elided
            and _MET_TARGET_BEFORE.search(clean, max(clause_start, q_start - 40), q_start)
            and _REPORTED.search(clean, unit.start, q_start)
        ):
            continue  # "has built 1,169 homes, meeting our target of 1,500": met, reported
        if elided and governor == "number_of" and out:
            # "12 hospitals, rising to a total of 20 by 2031": the level the count before grows
            # to, its noun left out, governed as that count is
            governor = out[-1].governor
        if (
            governor == "none"
            and clean.endswith(" in ", max(clause_start, q_start - 4), q_start)
            and toks[head.last].low in rules.ANNOUNCED_THINGS
            and _INVESTING_IN_END.search(clean[max(clause_start, q_start - 80) : q_start].rstrip())
            and _EXISTING.search(clean, q_start, toks[head.last].end) is None
        ):
            # "is investing $237 million in 119 rural facilities" (not in 2,000 farmers, nor in
            # existing schools)
            governor = "nominal"
        counted = form in ("number", "range")
        if governor == "none" and counted and list_ok and clause_start == unit.start:
            # "- Place at least 900 families into homes", "- Engaging with 300 farmers":
            # an item of a goal list that opens with a verb of any sort and counts right after.
            verb_start = _item_opening(clean, unit.start, q_start)
            if verb_start is not None:
                governor = "verb"
        if governor == "none" and counted and head.entry.kind in ("other", "talent"):
            # "provide traineeships for up to 6,000 students": the people a training offer is
            # for are its count (talent), governed by the verb that offers it.
            verb_start = _training_offer_verb(clean, clause_start, q_start)
            if verb_start is not None:
                governor = "verb"
                if head.entry.kind == "other":
                    head = replace(head, entry=TALENT)
        if governor == "none" and counted:
            # "deliver residential solar to 9,000 homes": who a delivery reaches is counted;
            # in an order, so are those or where the work is for ("Fit ramps for 200 homes").
            verb_start = _recipient_verb(
                clean, clause_start, q_start, unit.imperative or list_ok, out
            )
            if verb_start is not None:
                governor = "verb"
        if governor == "none" and counted and unit.cue:
            # "will double enrolment, from a low base, to more than 3,000 apprentices": the
            # level a growth verb in a clause that looks ahead brings a count to.
            growth = _GROWTH_TO_END.search(clean, max(clause_start, q_start - 120), q_start)
            if growth is not None:
                ahead = clean[clause_start : growth.start()]
                if _FUTURE.search(ahead) and not _PAST_TIME.search(ahead):
                    governor, verb_start = "verb", growth.start()
        item_goal = (
            governor in ("none", "chain")
            and counted
            and (
                list_ok
                # an order's object after "and", when what stands before is no target: "Repair
                # 30 km of roads and 200 bridges"
                or (
                    unit.imperative
                    and _AND_END.search(clean, max(unit.start, q_start - 8), q_start) is not None
                )
            )
            and _item_opening_ok(clean, unit)
            and not _DESCRIBES_END.search(clean, max(clause_start, q_start - 40), q_start)
            and not _SCOPE_END.search(clean, max(clause_start, q_start - 12), q_start)
            and not (
                # "• 3,000 new nurseries, with 100,000 places": a count within one counted before
                _WITH_END.search(clean, max(clause_start, q_start - 12), q_start)
                and any(c.form in ("number", "range") for c in out)
            )
            and not _REPORTED.search(clean, unit.start, q_start)
            and not (
                unit.lead is not None and _REPORTED.search(clean, unit.lead.start, unit.lead.end)
            )
            and not _REPORTED_AFTER.match(clean, toks[head.last].end, unit.end)
        )
        if item_goal and governor == "none":
            # Any count of things in an item of a goal list is one of its goals, whatever verb
            # or preposition stands before it: "- Safer streets, with 900 more wardens". Not in
            # an item that reports ("- Housed 700 people"), nor the size of what the item
            # describes ("- local groups involving at least 5 members"). Read on few pages:
            # its governor adds nothing to the confidence.
            governor = "item"
        if governor in ("list", "item") and _PAST_PASSIVE_AFTER.match(
            clean, toks[head.last].end, unit.end
        ):
            governor = "none"  # "Target: 500 chargers were installed in 2023": done, reported
        own_clause = governor in ("none", "chain") and _own_clause_after(
            clean, toks[head.last].end, unit.end
        )
        if own_clause:
            governor, verb_start = "none", None  # "build 20 schools and 40 staff will move in"
        through = None
        if governor == "chain":
            through, verb_start = verb_start, None
        np_end = toks[head.last].end
        if (
            np_end >= len(clean.rstrip())
            and clean.rstrip()[-1:].isalnum()
            and head.entry.kind == "other"
            and not toks[head.last].low.endswith(("s", "children", "people", "staff"))
        ):
            continue  # the text stops inside what a number counts ("for its 333 comm")
        if (
            head.last + 1 < len(toks)
            and toks[head.last + 1].text in '"”»'
            and sum(clean.count(q, q_start, np_end) for q in '"“«') % 2
        ):
            np_end = toks[head.last + 1].end  # '120 "Dream Houses"': the closing quote too
        if rules.RATE_AFTER.match(clean, np_end, unit.end):
            continue  # "5G base stations per 10,000 people": a rate, not a count of things
        if (
            head.entry.kind == "talent"
            or toks[head.last].low in rules.PEOPLE_NOUNS
            or toks[head.last].low in rules.SERVED_NOUNS
        ) and (
            rules.JOBS_AFTER.match(clean, np_end, unit.end)
            or rules.JOBS_BEFORE.search(clean, max(clause_start, q_start - 40), q_start)
        ):
            # "help 700,000 rural workers find jobs", "provide employment for 2.2 million
            # people": people employed, a jobs goal
            continue
        if counted and _CAPACITY_FOR_END.search(clean, max(clause_start, q_start - 40), q_start):
            continue  # "additional capacity for around 9,400 procedures": a capacity goal
        if counted and _IN_EACH_AFTER.match(clean, np_end, unit.end):
            continue  # "a minimum of three officers in each station": a level per place
        if (
            counted
            and _THAN_AFTER.match(clean, np_end, unit.end)
            and _MORE_OR_FEWER.search(clean, q_start, np_end)
        ):
            continue  # "20 more schools than England": a comparison, not a count
        if toks[head.last].low in rules.SERVED_NOUNS and (
            rules.SERVICE_BEFORE.search(clean, max(clause_start, q_start - 60), q_start)
            or rules.SERVICE_AFTER.match(clean, np_end, unit.end)
            # "$2 billion over the next decade for 300,000 students": whom money serves
            or (
                governor == "nominal"
                and rules.MONEY_FOR_END.search(clean, max(clause_start, q_start - 120), q_start)
            )
        ):
            continue  # "check-ups for 30,000 women": people a service is for, not things
        if governor == "number_of" and _REDUCE_NUMBER_OF.search(
            clean, max(clause_start, mod_start - 60), mod_start
        ):
            continue  # "reduce the number of unemployed residents to 5,000": a ceiling
        if governor == "number_of":
            # "the number of such firms will increase by 50 to 150": 50 more of them (as
            # "increase the number of ... by 50"), else the level it reaches
            relative = _RELATIVE_AFTER.match(clean, np_end, unit.end)
            growth = rules.GROWS_BY_AFTER.match(
                clean, relative.end() if relative else np_end, unit.end
            )
            number = rules.parse_number(growth.group("num")) if growth else None
            found = (
                (
                    Quantity(value=number, bound="min" if growth.group("bmin") else None),
                    growth.end() - np_end,
                )
                if growth is not None
                and number is not None
                and not rules.looks_like_a_year(number, growth.group("num"))
                else None
            )
            if found is None and head.plural:
                # "increase the number of firms by 20 to 50": 20 more, not the 50 reached
                found = rules.parse_number_of_increase(
                    clean[clause_start:mod_start], clean[np_end : unit.end]
                )
            if found is None:
                found = rules.parse_number_of_value(clean[np_end : unit.end])
            if found is None or not head.plural:
                continue
            quantity, after = found
            count_end = np_end + after if after else 0
            form = "number"
        elif form == "bare" and governor in ("verb", "nominal"):
            # "deployment of EV charging ports to 310,000": the count follows the noun.
            value = rules.TO_VALUE.match(clean[np_end : unit.end])
            number = rules.parse_number(value.group("num")) if value else None
            if value is not None and not rules.TO_VALUE_END.match(
                clean, np_end + value.end(), unit.end
            ):
                number = None  # "deliver solar to 9,000 homes": the homes are counted
            if value is not None and number is not None and not 1900 <= number <= 2100:
                form = "number"
                bound: BoundKind | None = None
                if value.group("bmin"):
                    bound = "min"
                elif value.group("bmax"):
                    bound = "max"
                quantity = Quantity(value=number, bound=bound)
                count_end = np_end + value.end()
        if (
            form == "bare"
            and governor in ("none", "chain")
            and head.plural
            and not _RELATIVE.search(clean, max(0, clause_start - 8), mod_start)
        ):
            # "high-tech firms are projected to increase by 300": that many more of them (the
            # firms of "firms that make products are …", not the products)
            relative = _RELATIVE_AFTER.match(clean, np_end, unit.end)
            growth = rules.GROWS_BY_AFTER.match(
                clean, relative.end() if relative else np_end, unit.end
            )
            number = rules.parse_number(growth.group("num")) if growth else None
            if (
                growth is not None
                and number is not None
                and not rules.looks_like_a_year(number, growth.group("num"))
            ):
                form, governor = "number", "future"
                quantity = Quantity(value=number, bound="min" if growth.group("bmin") else None)
                count_end = growth.end()
        passive = (
            rules.PASSIVE_AFTER.match(clean, np_end, unit.end)
            if governor in ("none", "chain")
            else None
        )
        if (
            passive is not None
            and _PLANNED_PERFECT.search(passive.group())
            and (rules.NEGATION.search(body) or _SINCE_OR_BUT.search(body))
        ):
            # "have been planned to be built": planned, unless the unit denies it or looks
            # back ("Since 2010, 300 parks have been planned to be built, but only 12 exist")
            passive = None
        if passive is not None and not (
            _GIVING_END.search(clean, passive.start(), passive.end())
            and _GIVEN_AFTER.match(clean, passive.end(), unit.end)
        ):
            governor = "passive" if governor == "none" else "chain+passive"
        if (
            governor == "none"
            and counted
            and _WITH_BEFORE.search(clean, max(clause_start, q_start - 8), q_start)
            and _WORKS_PARTICIPLE.match(clean, np_end, unit.end)
        ):
            governor = "passive"  # "..., with 2,000 beds renovated": a part of the works
        if (
            governor == "none"
            and counted
            and unit.cue
            and _COMMA_WITH_BEFORE.search(clean, max(unit.start, q_start - 8), q_start)
            and _MORE_AFTER_COUNT.match(clean, q_start, mod_start + 1)
            and _FUTURE.search(clean, unit.start, q_start)
            and not _PAST_TIME.search(clean, unit.start, q_start)
            and not _ATTRIBUTED_AFTER.search(clean, np_end, unit.end)
        ):
            governor = "nominal"  # "will double places by 2031, with 24,000 more a year": more
        if (
            governor == "none"
            and counted
            and unit.cue
            and clean.endswith(" of ", max(clause_start, q_start - 4), q_start)
            and rules.COLLECTIVE_OF_END.search(clean, max(clause_start, q_start - 80), q_start)
        ):
            governor = "nominal"  # "launch a study with a cohort of 1 million volunteers"
        if (
            (governor == "none" or (governor == "chain" and verb_start is None))
            and counted
            and not own_clause
            and out
            and out[-1].governor in _SCHEDULE_GOVERNORS
            and out[-1].np_end <= q_start
            and _SCHEDULE_GAP.fullmatch(clean, out[-1].np_end, q_start)
        ):
            # "two services will come online in 2031, four services in 2032 and a further
            # two in 2033": one schedule, each count governed as the first
            governor = out[-1].governor
        if governor in ("none", "chain") and counted:
            # "there will be 60 new bus routes", "will see 150 surgeries built", "(by 2029,)
            # 26 new routes will open": the count is what the future clause brings about.
            # Read by no text of the development sets: its confidence stays lower ("future").
            before = clean[max(clause_start, q_start - 40) : q_start]
            announced = (
                _NEW_WORD.search(clean, q_start, np_end) is not None
                and (head.entry.kind != "other" or toks[head.last].low in rules.ANNOUNCED_THINGS)
                and (
                    rules.ANNOUNCED_AFTER.match(clean, np_end, unit.end) is not None
                    or (
                        rules.ANNOUNCED_BEFORE.search(before) is not None
                        and not rules.NEGATION.search(before, max(0, len(before) - 30))
                        and _government_before(toks, clause_start, q_start)
                    )
                )
                # (an outside attack: "Kenya announced 12 new stations were closed", "2 new
                # lines of credit", "45 more schools than last year", "In 2019 Kenya announced
                # 40 new hospitals")
                and not _ANNOUNCED_NOT_MADE.match(clean, np_end, unit.end)
                and not _PAST_YEAR_IN.search(clean, unit.start, q_start)
            )
            if (
                rules.ARRIVAL_AFTER.match(clean, np_end, unit.end)
                or announced
                or rules.FUTURE_EXISTENTIAL_END.search(before)
                or (
                    rules.FUTURE_SEE_END.search(before)
                    and rules.SEE_PARTICIPLE.match(clean, np_end)
                )
            ):
                governor = "future"
        reaching = (
            verb_start is not None and clean[verb_start : verb_start + 8].lower() == "reaching"
        )
        if reaching and head.entry.kind == "other" and toks[head.last].low in rules.EVENT_NOUNS:
            # "expand apprenticeships, reaching 3 million starts": the starts are of the kind
            # named before in the sentence.
            earlier = [h for h in heads if h.last < head.label_first and h.entry.kind != "other"]
            if earlier:
                head = replace(head, entry=earlier[-1].entry)
        if (
            governor == "none"
            and counted
            and unit.cue
            and clean.endswith("such ", max(clause_start, q_start - 5), q_start)
            and _SUCH_AS_AFTER.match(clean, np_end, unit.end)
            and not rules.NEGATION.search(clean, max(clause_start, q_start - 40), q_start)
        ):
            # "will go into operation such 8 projects as the X Park and the Y Plant": the
            # projects the plan names
            governor = "nominal"
        completes = (
            form in ("definite", "bare")
            and head.entry.kind == "other"
            and not head.plural
            and _COMPLETES_AFTER.match(clean, np_end, unit.end) is not None
        )
        if completes and governor in ("none", "chain", "list"):
            governor = "future"  # "Yuanjiang River Tunnel is expected to open in 2031"
        if (
            head.entry.kind == "other"
            and (
                (
                    form not in ("number", "range")
                    # (but "is building a new school" is one new school)
                    and not _one_place(
                        clean,
                        unit,
                        head,
                        toks[head.last].low,
                        form,
                        governor,
                        verb_start,
                        (q_start, np_end),
                        completes,
                    )
                )
                # (not a part of a total counted before it: "1 million places, including 110,000
                # places for high schools"; nor what a thing "includes", described as it is ("a
                # network, which includes 400 colleges"); a part of a goal not counted is: "add new
                # housing, including 10,000 homes")
                or (
                    governor == "include"
                    and head.count is None
                    # (but the next item of a list a noun governs: "includes the delivery of
                    # 90,000 social homes, 36,000 affordable homes and ...")
                    and not (
                        out
                        and out[-1].governor == "nominal"
                        and out[-1].form in ("number", "range")
                        and out[-1].clause == clause
                        and rules.COORDINATOR_GAP.match(clean[out[-1].np_end : q_start]) is not None
                    )
                    and (
                        any(c.form in ("number", "range") for c in out)
                        or "including"
                        not in clean[max(clause_start, q_start - 40) : q_start].lower()
                    )
                    and (
                        # (but what a plan includes is planned: "The plans include 23 new
                        # schools"; not "the budget includes 23 schools that will close")
                        not (
                            (
                                plan := _PLAN_INCLUDES.search(
                                    clean, max(clause_start, q_start - 60), q_start
                                )
                            )
                            and (
                                _NEW_WORD.search(clean, plan.start(), np_end)
                                # "the package includes 1,335 places for 2022/23": dated
                                # (things, not the people it is for: "1,335 families")
                                or (
                                    _DATED_AFTER.match(clean, np_end, unit.end)
                                    and toks[head.last].low not in rules.PEOPLE_NOUNS
                                    and toks[head.last].low not in rules.SERVED_NOUNS
                                    and _PERSON_NOUN.search(toks[head.last].low) is None
                                )
                            )
                        )
                        if _INCLUDE_WORD_END.search(clean, max(clause_start, q_start - 20), q_start)
                        # "plans for 25 new clinics" are new things planned; "the costs and plans
                        # for 300 proposed projects" are not, nor plans denied or undone ("has no
                        # plans for", "had plans for", "plans for 25 clinics were rejected")
                        # ("an extra 68 officers": the word may stand before the count)
                        else (
                            _NEW_WORD.search(clean, max(clause_start, q_start - 16), np_end) is None
                            or _PLANS_DENIED.search(clean, max(clause_start, q_start - 40), q_start)
                            is not None
                            or _PLANS_UNDONE.match(clean, np_end, unit.end) is not None
                        )
                    )
                )
                or reaching
            )
        ):
            # A noun outside the vocabulary is a target only when it is counted, and not as
            # the level a goal reaches ("reaching 3 million starts": starts of what?).
            continue
        noun = toks[head.last].low
        is_staff = _STAFF_NOUN.search(noun) is not None
        is_learner = is_staff or _LEARNER_NOUN.search(noun) is not None
        if (
            verb_start is not None
            and not is_learner
            and _lemma_at(clean, verb_start) == "employ"
            and not re.search(r"\w", clean[unit.start : verb_start])  # (an order opening it)
        ):
            continue  # "Employing 300 drones to map the forests": put to use, not hired
        if (
            head.entry.kind == "other"
            and (
                (
                    verb_start is not None
                    and (lemma := _lemma_at(clean, verb_start)) in rules.TRAINING_VERBS
                    # (selected or appointed: people only; "select 12 sites" counts sites)
                    and (
                        lemma not in _CHOOSING_VERBS
                        or is_learner
                        or _CHOSEN_PEOPLE.search(noun) is not None
                    )
                )
                # "training courses in digital skills for around 150,000 job seekers": people a
                # training is for
                or (
                    is_learner
                    and _TRAINED_FOR.search(clean, max(clause_start, q_start - 120), q_start)
                    is not None
                )
                # "Recruiting 44 doctors and 25 nurses": staff joined to those a training verb
                # counts
                or (
                    governor == "chain"
                    and through is not None
                    and _lemma_at(clean, through) in rules.TRAINING_VERBS
                    and is_staff
                )
                # "Police numbers will be increased by 500 officers": staff added
                or (
                    is_staff
                    and (
                        staff := rules.GROWTH_BY_END.search(
                            clean[max(clause_start, q_start - 120) : q_start]
                        )
                    )
                    is not None
                    and staff.group("staff") is not None
                )
                # "a further 335 students will begin a degree": learners who start training
                or (
                    is_learner
                    and governor == "future"
                    and _STARTS_TRAINING.match(clean, np_end, unit.end) is not None
                )
                # "will fund up to 140 students a year": learners a government pays for
                or (
                    is_learner
                    and verb_start is not None
                    and _lemma_at(clean, verb_start) in ("fund", "sponsor")
                )
                # "increase the number of GPs by 800": 800 more of them, staff added
                or (is_staff and governor == "number_of" and form == "number")
                # "an extra 5,000 nurses", "880 additional frontline officers": staff added
                or (
                    is_staff
                    and _NEW_WORD.search(clean, max(clause_start, q_start - 16), np_end) is not None
                    # (not those a work is for: "homes for 500 more nurses")
                    and not _FOR_END.search(clean, max(clause_start, q_start - 30), q_start)
                )
                # "4,000 volunteers will be recruited": people a passive trains or recruits
                or (
                    governor in ("passive", "chain+passive")
                    and passive is not None
                    and _lemma_at(clean, _last_word_start(clean, passive.start(), passive.end()))
                    in rules.TRAINING_VERBS
                    and is_learner
                )
                # "a standing corps of 10,000 border guards": people, a body of staff
                or (
                    _PEOPLE_BODY_OF.search(clean, max(clause_start, q_start - 30), q_start)
                    and _PERSON_NOUN.search(toks[head.last].low) is not None
                )
            )
        ):
            head = replace(head, entry=TALENT)
        out.append(
            Candidate(
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
                label_start=mod_start if head.count is None else out[-1].label_start,
                label_end=np_end if head.count is None else out[-1].label_end,
                item_goal=item_goal,
                count_end=count_end,
            )
        )
    _group(clean, out, spans)
    return out


#: A relative clause after a counted noun, up to the verb of the noun's own clause: "the
#: number of firms| that make new products |is predicted to increase by 50".
_RELATIVE_AFTER = re.compile(
    r"\s+(?:that|which|who)\s+[^,;.]{1,80}?(?=\s(?:is|are|will|shall)\s)", re.IGNORECASE
)
_RELATIVE = re.compile(r"\b(?:that|which|who)\b", re.IGNORECASE)
#: A determiner before a count that makes it a count of things known: "the 3 newly opened".
_OWNED_BEFORE = re.compile(r"\b(?:the|its|their|these|those|our|his|her)\s+$", re.IGNORECASE)
_GROWTH_TO_END = re.compile(
    r"\b(?:doubl|tripl|increas|rais|expand|boost|lift|grow|ris)(?:e|es|ed|ing|s|n)?\b[^.;:]{0,80}?"
    r"(?<![\w-])to\s+(?:a\s+total\s+of\s+)?"  # "rising to a total of 10,000 new homes"
    r"(?:(?:more\s+than|at\s+least|over|some|about|around|nearly|almost)\s+)?$",
    re.IGNORECASE,
)
#: Words of a list, or of its lead, that report what was done: "Since 2022 the agency has:",
#: "- so far, 3,400 homes". An item's count after them is no goal.
_REPORTED = re.compile(
    r"\b(?:has|have|had|was|were|did|so\s+far|to\s+date|last\s+year|achievements?|results)\b",
    re.IGNORECASE,
)
#: "- 3,400 homes delivered", "- 12 clinics were opened": the count reported as done.
_REPORTED_AFTER = re.compile(
    r"\s*(?:(?:have|has|had|were|was)\s+(?:been\s+)?)?(?:already\s+)?[a-z]+ed\b(?!\s+by\s+(?:19|20)\d\d)"
)
_PAST_PASSIVE_AFTER = re.compile(
    r"\s*(?:were|was|have\s+been|has\s+been|had\s+been)\s+(?:\w+ly\s+)?(?:already\s+)?[a-z]+(?:ed|en|lt|wn)\b",
    re.IGNORECASE,
)
#: Singular nouns that, uncounted and unnamed, name a role a place takes rather than a thing
#: built: "become a global hub", "develop a hub leading the belt's growth".
_ROLE_NOUNS = ("hub",)
_AND_END = re.compile(r"(?<![\w-])and\s+$", re.IGNORECASE)
_WITH_BEFORE = re.compile(r"(?<![\w-])with\s+$", re.IGNORECASE)
_GROWN_CAPACITY_OF_END = re.compile(
    r"\b(?:increas(?:e|es|ing)|expand(?:s|ing)?|boost(?:s|ing)?|rais(?:e|es|ing)|doubl(?:e|es|ing)|"
    r"upgrad(?:e|es|ing)|improv(?:e|es|ing)|enhanc(?:e|es|ing))"
    r"\s+(?:the\s+)?capacity\s+of$",
    re.IGNORECASE,
)
#: Room for a number of things or people, which counts none of them: "capacity for 500 more
#: patients", "capacity for up to 2,000 homes".
_CAPACITY_FOR_END = re.compile(r"\bcapacity\s+for\s+$", re.IGNORECASE)
_MET_TARGET_BEFORE = re.compile(
    r"\b(?:meeting|meets?|reaching|reach(?:es)?|hitting|hits?)\s+(?:our|the|its|their)\s+"
    r"(?:target|goal)\s+of\s+$",
    re.IGNORECASE,
)
_THAN_AFTER = re.compile(r"\s+than\b", re.IGNORECASE)
_MORE_OR_FEWER = re.compile(r"\b(?:more|fewer|less)\b", re.IGNORECASE)
#: After a count, words that make it someone's expectation: "…, expected by 2030, according to".
_ATTRIBUTED_AFTER = re.compile(
    r"\baccording\s+to\b|\b(?:expected|forecast|predicted|projected|estimated)\b", re.IGNORECASE
)
_IN_EACH_AFTER = re.compile(r"\s+(?:in|at|for|across|per)\s+(?:each|every)\b", re.IGNORECASE)
_COMMA_WITH_BEFORE = re.compile(r",\s+with\s+$", re.IGNORECASE)
#: A count that adds to what is there: "24,000 more", "500 additional".
_MORE_AFTER_COUNT = re.compile(r"\S+\s+(?:more|additional|extra|further|new)\b", re.IGNORECASE)
#: A participle of building or works right after a counted noun: "with 2,000 beds renovated".
_WORKS_PARTICIPLE = re.compile(
    r"\s+(?:newly\s+)?(?:built|rebuilt|renovated|upgraded|refurbished|retrofitted|added|installed|"
    r"constructed|established|repaired|modernized|modernised|expanded|opened)\b",
    re.IGNORECASE,
)
#: A noun a number names a thing after, not counts: "metro line 5 will open", "Phase 2",
#: "Route 12", "No. 3 Middle School" (no word that is also a verb before a count: "building",
#: "stage").
_NUMBERED_NAME_END = re.compile(
    r"\b(?:line|route|phase|section|lot|terminal|gate|runway|berth|no\.?|highway|metro|"
    r"subway)\s+$",
    re.IGNORECASE,
)


#: A ranking's name right before its number: "Global 500", "Fortune 500", "Top 100".
_RANKING_END = re.compile(r"\b(?:Global|Fortune|Forbes|Top|TOP)\s+$")


def _numbered_name(clean: str, clause_start: int, number_at: int, length: int) -> bool:
    """Whether the number at ``number_at`` names a thing after a noun rather than counting
    ("metro line 5 started", "Phase 2 of the park", "Route 12"): the noun is capitalised, or
    the number stands alone before a verb ("In the first phase 200 homes will be built" and
    "on the subway 30 new stations" count)."""
    if _RANKING_END.search(clean, max(clause_start, number_at - 10), number_at):
        return True  # "Global 500 enterprises", "Top 100 firms": a ranking's name
    noun = _NUMBERED_NAME_END.search(clean, max(clause_start, number_at - 12), number_at)
    if noun is None:
        return False
    after = _WORD_AFTER.match(clean, number_at + length)
    word = after.group(1).lower() if after else ""
    if word in rules.MORE_WORDS:
        return False  # "Along the Northern Line 8 new stations will be built": a count
    if clean[noun.start()].isupper():
        return True
    return word in _AUXILIARIES or rules.VERB_FORMS.get(word, ("", ""))[1] in ("past", "s")


def _slogan(clean: str, number_at: int, number_text: str) -> bool:
    """Whether a number in words opens a quoted name in title case: a slogan or a programme's
    name ("create the “Seven Big Cities”", "the ‘Three Rural Issues’"), not a count ("the
    ‘40 new hospitals’" counts)."""
    if not (number_text[:1].isupper() and number_text.replace("-", "").isalpha()):
        return False
    before = clean[max(0, number_at - 2) : number_at].rstrip()
    if not before.endswith(("“", "‘", '"', "'")):
        return False
    # a short name that closes its quote ("“Seven big cities”"), with no word for new things
    # ("“Three new hospitals will be built by 2031,” the governor said" is a count)
    return _SLOGAN.match(clean, number_at + len(number_text), number_at + 60) is not None


_SLOGAN = re.compile(
    r"(?:\s+(?!(?:new|more|additional|extra|further|will|are|to|for|in|of|at|on|by)\b)"
    r"[A-Za-z][\w-]*){1,3}[”’\"](?!\s*(?:will|shall|are|is|to\s+be)\b)",
    re.IGNORECASE,
)
_WORD_AFTER = re.compile(r"\s+([A-Za-z]+)")
_AUXILIARIES = frozenset(
    {"will", "is", "was", "are", "were", "has", "had", "have", "would", "shall", "started",
     "opened", "began", "begins", "starts", "opens", "runs", "ran"}
)  # fmt: skip


_KEPT_BEFORE = re.compile(
    r"\b(?:keep|keeps|honou?r|honou?rs|maintain|maintains|adopt|adopts|retain|retains|"
    r"deliver\s+on|stand\s+by|stick\s+to|reaffirm|reaffirms|renew|renews)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_NOTE_THAT = re.compile(r"\s+(?:note|notice|know|be\s+aware)\s+that\b", re.IGNORECASE)
_REQUIREMENT_END = re.compile(r";|,\s+(?:and|as|while|but|whereas)\b|\s+as\s+", re.IGNORECASE)


#: Words for a government or its people, who announce what it pledges.
_GOVERNMENT_WORDS = rules.GOVERNMENT_WORDS | rules.words(
    """minister ministers secretary premier mayor president taoiseach agency executive cabinet
    official provincial municipal"""
)


def _government_before(toks: list[Tok], clause_start: int, end: int) -> bool:
    """Whether a government announces in the clause before ``end``: a word for one, or a region
    the gazetteer names ("Kenya announced ..."; not "Amazon announced 3 new centres")."""
    names = region_lexicon().names
    # (the announcer stands near the verb: at most 120 characters back, so that a unit of
    # thousands of announcements is not read whole for each)
    words = [t for t in toks if max(clause_start, end - 120) <= t.start < end and t.word]
    for i, tok in enumerate(words):
        if tok.low in _GOVERNMENT_WORDS:
            return True
        for length in (1, 2, 3):
            if tuple(t.text for t in words[i : i + length]) in names:
                return True
    return False


#: What follows an announced count when it was no pledge.
_ANNOUNCED_NOT_MADE = re.compile(
    r"\s+(?:of\s+(?:credit|contention|concern|interest|view|sale)\b|than\b|"
    r"(?:were|was|are|is|had\s+been|have\s+been)\s+(?:\w+\s+)?(?:closed|shut|cut|cancell?ed|"
    r"scrapped|sold|demolished|lost|axed)\b)",
    re.IGNORECASE,
)
#: A year before an announced count, the time of the announcement: "In 2019 Kenya announced
#: ...", "back in 2015" ("… are being created in 2031" after it is when they come).
_PAST_YEAR_IN = re.compile(r"\b(?:[Ii]n|[Bb]ack\s+in|[Ss]ince|[Dd]uring)\s+(?:19|20)\d\d\b(?!\s*/)")
#: A word for things not there yet, in a counted phrase: "399 new special classes".
_NEW_WORD = re.compile(
    r"\b(?:" + "|".join(sorted(rules.MORE_WORDS - {"more"})) + r"|more(?!\s+than))\b",
    re.IGNORECASE,
)
_WITH_END = re.compile(r"(?<![\w-])(?:with|including|of\s+which)\s+$", re.IGNORECASE)
#: "pilot reforms in 20 counties", "across 12 sectors": where the item's work is done, its scope.
_SCOPE_END = re.compile(r"(?<![\w-])(?:in|across|throughout|within|among)\s+$", re.IGNORECASE)
_DESCRIBES_END = re.compile(
    r"\b(?:involving|comprising|consisting\s+of|containing|made\s+up\s+of|equivalent\s+of|"
    r"each\s+with|average\s+of)\s+(?:(?:at\s+least|up\s+to|over|more\s+than|some|about|"
    r"around|nearly|almost)\s+)?$",
    re.IGNORECASE,
)
_FIRST_WORD = re.compile(r"[^A-Za-z]*([A-Za-z][\w'’-]*)")


def _item_opening_ok(clean: str, unit: Unit) -> bool:
    """Whether an item opens with no report of what was done ("Housed", "Engaged with")."""
    found = _FIRST_WORD.match(clean, unit.start, unit.end)
    if found is None:
        return False
    word = found.group(1).lower()
    return not word.endswith("ed") and rules.VERB_FORMS.get(word, ("", ""))[1] != "past"


_REDUCE_NUMBER_OF = re.compile(
    r"\b(?:reduc(?:e|es|ed|ing)|cut(?:s|ting)?|lower(?:s|ed|ing)?|decreas(?:e|es|ed|ing)|"
    r"curb(?:s|ed|ing)?|limit(?:s|ed|ing)?|halv(?:e|es|ed|ing)|bring(?:s|ing)?\s+down|"
    r"keep(?:s|ing)?|hold(?:s|ing)?)\s+(?:down\s+)?(?:the\s+)?(?:total\s+)?numbers?\s+of\b",
    re.IGNORECASE,
)
_ITEM_OPENING = re.compile(
    r"[\s\W]*?(?P<verb>[A-Za-z][a-z]+)(?:\s+(?:up|out|in|on|with|to|for|into|of))?\s*$"
)


def _item_opening(clean: str, item_start: int, q_start: int) -> int | None:
    """Where the verb opening a list item starts, when it is all that stands before the count:
    "Place", "Engage with", "Providing". A word that is no verb (a function word, an adverb, a
    past form that reports what was done) does not open an order."""
    found = _ITEM_OPENING.match(clean, item_start, q_start)
    if found is None:
        return None
    word = found.group("verb").lower()
    if (
        word in rules.FUNCTION_WORDS
        or word.endswith(("ly", "ed"))
        or rules.VERB_FORMS.get(word, ("", ""))[1] == "past"
    ):
        return None
    return found.start("verb")


_LAST_TOKEN = re.compile(r"[\w.,+-]+\s*$")


def _numberish(low: str) -> bool:
    return bool(NUMERIC.fullmatch(low)) or low in rules.NUMBER_WORDS or low in rules.SCALE_WORDS


def _number_cut(toks: list[Tok], mod_first: int, label_first: int, form: str, prefix: str) -> bool:
    """Whether the count before a noun is a number phrase read only in part: a phrase of
    number words that is no number ("five six", "twenty billion billion") or too large for a
    fact sheet leaves a number word or digits before the noun that no quantity took."""
    if (
        form in ("bare", "number", "range")
        and mod_first < label_first
        and _numberish(toks[mod_first].low)
    ):
        return True  # "20 billion billion parks": the rest read as an amount of money
    if (
        form == "single"
        and mod_first < label_first
        and (toks[mod_first].low in rules.NUMBER_WORDS or toks[mod_first].low in rules.SCALES)
    ):
        return True  # "a billion billion parks": "a" opens a number phrase that is no number
    if form == "bare":
        last = _LAST_TOKEN.search(prefix, max(0, len(prefix) - 40))
        return last is not None and any(
            _numberish(w) for w in re.split(r"[\s-]+", last.group().strip().lower()) if w
        )
    return False


def _one_place(
    clean: str,
    unit: Unit,
    head: Head,
    noun: str,
    form: str,
    governor: str,
    verb_start: int | None,
    span: tuple[int, int],
    completes: bool,
) -> bool:
    """Whether an uncounted noun of kind ``other`` is one place, a target of one: one new place
    (:func:`_one_new_place`), or a definite or named one that a future passive makes ("The
    Xinyu Railway will be completed") or that completes ("Yuanjiang Tunnel is expected to
    open", ``completes``); not one in a denial or doubt, nor "the hospital" named again after
    "a new hospital"."""
    q_start, np_end = span
    if form not in ("single", "definite", "bare") or head.plural:
        return False
    if _NOT_ONE_BEFORE.search(clean, max(unit.start, q_start - 60), np_end):
        return False
    if _NOT_ONE_LATER.search(clean, np_end, unit.end):
        return False
    if form == "single":
        if (
            governor == "nominal"
            and rules.MONEY_FOR_END.search(clean, max(unit.start, q_start - 100), q_start)
            and not _NOT_ONE_AFTER.match(clean, np_end, unit.end)
        ):
            return True  # "$19 million for a police complex": the place the money is for
        return _one_new_place(clean, governor, verb_start, np_end, unit.end)
    if form == "bare" and not head.proper:
        return False
    made = governor in ("passive", "chain+passive") and bool(
        _MADE_AFTER.match(clean, np_end, unit.end)
    )
    return (made or completes) and not _named_before(clean, noun, q_start)


def _one_new_place(
    clean: str, governor: str, verb_start: int | None, np_end: int, end: int
) -> bool:
    """Whether one new place ("a new school": the only singular heads of kind ``other``, see
    :func:`kinds.find_heads`) is made by what governs it: a verb of making ("is building a new
    school", "Establish a new medical school") or a passive of making ("a new clinic will be
    built"); not another verb ("will have", "demolish", "recognise a new school")."""
    if _NOT_ONE_AFTER.match(clean, np_end, end):
        return False  # "a new road to prosperity", "a new school in each of its 17 cities"
    if governor in ("passive", "chain+passive"):
        return _MADE_AFTER.match(clean, np_end, end) is not None
    if governor not in ("verb", "chain") or verb_start is None:
        return False
    return _lemma_at(clean, verb_start) in _MAKING


#: After one place: a figure of speech ("a new road to prosperity", "a new school of thought",
#: "a new centre of excellence", "a new bridge between citizens and government"), one in each
#: of many ("a new school in each of its 17 cities"), or what it is given ("provide a new school
#: with books").
_NOT_ONE_AFTER = re.compile(
    r"['’]s\b|\s+(?:to|of|between|with|in\s+(?:each|every)|for\s+(?:each|every)|per|to\s+each|"
    r"built|opened|founded)\b",
    re.IGNORECASE,
)
#: Before one place: a denial, doubt or study ("denied reports that", "rumours that", "nobody
#: believes", "will study whether to build"), or a place that exists ("the old school").
_NOT_ONE_BEFORE = re.compile(
    r"\b(?:den(?:y|ies|ied)|rumou?rs?|nobody|no\s+one|doubt\w*|whether|study|studies|"
    r"consider\w*|false|old|existing|former|asked|urged|should|would|could|might)\b",
    re.IGNORECASE,
)
#: After one place, in its unit: a condition ("… by 2030 if it wins the bid") or a question.
_NOT_ONE_LATER = re.compile(r"\b(?:if|unless|provided\s+that)\b|\?", re.IGNORECASE)


def _named_before(clean: str, noun: str, before: int) -> bool:
    """Whether ``noun`` stands in the text before ``before`` (a place named again)."""
    return re.search(rf"\b{re.escape(noun)}", clean[:before], re.IGNORECASE) is not None


#: A place that completes or opens: "is expected to complete by the end of 2031", "will open to
#: traffic in 2031", "is scheduled for completion in 2031".
_COMPLETES_AFTER = re.compile(
    r"\s+(?:is|will)\s+(?:(?:expected|scheduled|set|due|planned)\s+to\s+|also\s+)?"
    r"(?:complete|be\s+completed|open|be\s+opened|open\s+to\s+traffic|be\s+put\s+into\s+"
    r"(?:use|operation|service)|go\s+into\s+(?:use|operation|service)|be\s+finished)"
    # with no object: the date follows ("is expected to complete its audit" is no work done)
    r"\s+(?:in|by|before)\s+(?:the\s+)?(?:end\s+of\s+|first\s+half\s+of\s+|"
    r"second\s+half\s+of\s+)?(?:19|20)\d\d\b(?![^.;]{0,30}?\b(?:or|at\s+the\s+earliest|if|"
    r"unless)\b)"
    r"|\s+is\s+scheduled\s+for\s+completion\s+(?:in|by)\s+(?:19|20)\d\d\b",
    re.IGNORECASE,
)


#: After "such N projects": "as" and the names, perhaps after what they will do ("such 27
#: projects to begin construction as …").
_SUCH_AS_AFTER = re.compile(r"(?:\s+to\s+[a-z]+(?:\s+[a-z]+){0,2})?\s+as\s+(?:the\s+)?[A-Z]")


#: The verbs that make one new place.
_MAKING = frozenset(
    {"build", "construct", "establish", "open", "create", "set", "develop", "launch", "deliver",
     "complete", "erect", "add", "provide", "fund", "finish", "rebuild"}
)  # fmt: skip
#: A future passive that makes a place: "will be built", "is to be completed by 2031" (not "will
#: be funded by", "converted into", "opened to the public", "provided with 40 ventilators").
_MADE_AFTER = re.compile(
    r"(?:\s+in\s+[A-Z][^,.;]{1,40}?)?\s*,?\s+(?:will|shall|is\s+to|is\s+(?:set|expected|"
    r"scheduled|due|planned)\s+to)\s+"
    r"(?:also\s+|soon\s+|then\s+)?be\s+(?:\w+ly\s+)?(?:built|constructed|completed|established|"
    r"set\s+up|erected|finished|delivered|rebuilt|put\s+into\s+(?:use|operation|service))\b"
    r"(?!\s+(?:with|over|by\s+(?!(?:19|20)\d\d|the\s+end|end|mid|early|late|" + rules.MONTH + r")|"
    r"as|into|to|for)\b)",
    re.IGNORECASE,
)


def _last_word_start(clean: str, start: int, end: int) -> int:
    """Where the last word of ``clean[start:end]`` starts (``end`` if it has none)."""
    words = list(re.finditer(r"[\w'’-]+", clean[start:end]))
    return start + words[-1].start() if words else end


def _lemma_at(clean: str, start: int) -> str | None:
    word = re.match(r"[\w'’-]+", clean[start : start + 40])
    form = rules.VERB_FORMS.get(word.group().lower()) if word else None
    return form[0] if form else None


_ASIDE = re.compile(r"\s*\([^()]{0,120}\)")


def _gap_is_coordination(clean: str, start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    gap = clean[start:end]
    for s, e in spans:
        if start <= s and e <= end:
            gap = gap.replace(clean[s:e], " ")
    if "(" in gap:
        # "ten firms (each worth a billion) and 80 SMEs": an aside in brackets does not part them
        gap = _ASIDE.sub(" ", gap)
    return bool(rules.COORDINATOR_GAP.match(gap) or rules.POSTMODIFIER_GAP.match(gap))


def _group(clean: str, cands: list[Candidate], spans: list[tuple[int, int]]) -> None:
    """Coordinated noun phrases share a governor: "create a fund, as well as an alliance"."""
    group = 0
    outer: Candidate | None = None  # the last candidate not inside another one's phrase
    for cand in cands:
        if outer is not None and outer.np_start <= cand.np_start and cand.np_end <= outer.np_end:
            # "25,000 small and medium-sized enterprises (SMEs)": the noun in brackets is part
            # of the phrase before it, not a target between it and the next one
            cand.governor, cand.group = "merged", outer.group
            continue
        if (
            outer is not None
            and cand.form in ("definite", "bare")
            and outer.governor != "none"
            and rules.PREPOSITION_GAP.match(clean, outer.np_end, cand.np_start)
            and not rules.COORDINATOR_IN_GAP.search(clean, outer.np_end, cand.np_start)
        ):
            # "2,400 chargers for lorries along the TEN-T network, 35 hydrogen stations": a
            # phrase in the target's postmodifier, not a target that parts it from the next one
            cand.governor, cand.group = "merged", outer.group
            continue
        chained = False
        if outer is not None:
            prev = outer
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
        outer = cand
        if not chained:
            group += 1
            if cand.governor.startswith("chain") and cand.through is not None:
                cand.governor, cand.start = "verb", cand.through
        cand.group = group
    governed: set[int] = set()
    for cand in cands:
        if cand.governor in ("verb", "passive", "future", "chain+passive", "list", "include", "nominal",
                             "number_of", "item"):  # fmt: skip
            governed.add(cand.group)
    for cand in cands:
        if cand.governor == "merged":
            continue
        if cand.group in governed and cand.governor in ("chain", "none"):
            cand.governor = "chain"
        elif cand.group not in governed:
            # "- Safer streets, with a warden for each ward, and 900 more wardens"
            cand.governor = "item" if cand.item_goal else "none"


def keep_pledged(clean: str, unit: Unit, cands: list[Candidate]) -> list[Candidate]:
    cue = unit.cue or (unit.lead is not None and unit.lead.cue)
    if not cue:
        return []
    required = rules.REQUIREMENT.match(clean, unit.start, unit.end) if cands else None
    if required is not None and not _NOTE_THAT.match(clean, required.end(), unit.end):
        # An eligibility rule ("applicants must have three partners") pledges nothing up to
        # where its clause ends ("...; India will build 50 airports" still pledges).
        end = _REQUIREMENT_END.search(clean, required.end(), unit.end)
        upto = end.start() if end else unit.end
        cands = [c for c in cands if c.start >= upto]
    kept = []
    # Words of a given-up plan are rare: look for them once per unit.
    gave_up = bool(cands) and (
        rules.ABANDONED_LOW.search(clean[unit.start : unit.end].lower()) is not None
    )
    group_governor: dict[int, str] = {}
    group_verb: dict[int, int] = {}
    for cand in cands:
        if not cand.governor.startswith("chain"):
            group_governor.setdefault(cand.group, cand.governor)
            if cand.governor == "verb":
                group_verb.setdefault(cand.group, cand.start)
    previous: Candidate | None = None
    for cand in cands:
        before, previous = previous, cand
        if cand.governor in ("none", "merged"):
            continue
        if (
            before is not None
            and before.form in ("number", "range")
            and _FOR_GAP.fullmatch(clean, before.np_end, cand.np_start)
        ):
            continue  # "Build 30 parks for 200,000 residents": whom the parks are for
        superseded = rules.SUPERSEDED.search(
            clean, max(cand.unit.start, cand.start - 60), cand.start
        )
        if superseded is not None and not _KEPT_BEFORE.search(
            clean, max(cand.unit.start, superseded.start() - 30), superseded.start()
        ):
            continue  # "the previous goal of training 50,000 workers" (not one kept: "will keep
            # the previous government's commitment to deliver 40 new hospitals")
        if rules.NOT_A_PLEDGE.search(clean, max(cand.unit.start, cand.start - 300), cand.start):
            continue  # "the report recommended that ... should ensure 150,000 charge points"
        if _OPINION_AFTER.match(clean, cand.np_end, cand.unit.end):
            continue  # "... would deliver 40 clinics by 2026, opponents claim": another's view
        if _MET_AFTER.match(clean, cand.np_end, cand.unit.end):
            continue  # "the priority of providing 900 places was met in 2023": done, reported
        if gave_up and _abandoned(clean, cand):
            continue  # "the plan to build 40 hospitals was scrapped": given up, not pledged
        verb_at = cand.start if cand.governor == "verb" else group_verb.get(cand.group)
        if (
            verb_at is not None
            and cand.form in ("bare", "unspecified")
            and _lemma_at(clean, verb_at) in rules.COUNT_ONLY_VERBS
        ):
            continue  # "deliver products": these verbs make a goal only of a count
        if cand.form == "bare" and cand.governor == "verb" and _gerund_after_prep(clean, cand):
            continue  # "help firms in building new apps": a means, not a goal
        if cand.form != "number" and _INTO_AFTER.match(clean, cand.np_end, cand.unit.end):
            continue  # "build the park of Xinhua into a hub": made into something, not made
        if _in_title(clean, cand):
            continue  # "the Opinions on ... and Building a World-Class Science Park": a title
        if (
            cand.form == "bare"
            and cand.start < cand.np_start
            and _WHERE_AFTER_VERB.match(clean, cand.start, cand.np_start)
        ):
            continue  # "50 tables will be established in communities and parks": where, not what
        if rules.ALREADY_MADE.search(clean, cand.np_start, cand.np_end) and not (
            cand.form in ("number", "range")
            and not _OWNED_BEFORE.search(clean, max(0, cand.np_start - 12), cand.np_start)
        ):
            # "the newly formed alliance": made already, reported, not pledged ("60 newly built
            # or renovated parks" counts what is to be built, as Chinese plans word it)
            continue
        if cand.form == "definite" and cand.governor == "include" and cand.head.proper:
            continue  # "its platforms, including the Liangjiang Park": named, so there already
        if cand.form == "definite":
            first_word = (
                cand.head.proper
                or _ONE_OF_A_KIND.search(clean, cand.np_start, cand.np_end)
                # one place a passive makes: "the new hospital will be built"
                or (
                    cand.head.entry.kind == "other"
                    and cand.governor in ("passive", "chain+passive", "future")
                )
            )
            if not first_word:
                continue
            if _PLACE_BEFORE.search(clean, max(0, cand.np_start - 12), cand.np_start):
                continue  # "set up in the Xi'an High-tech Zone": where, not what (a trial)
            cand.quantity, cand.form = Quantity(value=1), "single"
        if cand.form == "single" and cand.head.plural:
            cand.quantity, cand.form = None, "unspecified"
        if (
            cand.form == "single"
            and not cand.head.proper
            and clean[cand.np_start : cand.np_end].lower().endswith(_ROLE_NOUNS)
        ):
            continue  # "develop a hub leading the region's growth": a role the place takes
        if (
            cand.form == "unspecified"
            and cand.head.entry.kind == "standards"
            and _ONE_SET.match(clean, cand.np_start, cand.np_end)
        ):
            # "issue a set of minimum standards": the set is published as one standard
            cand.quantity, cand.form = Quantity(value=1), "single"
        if cand.quantity is None and _MONEY_GOAL.match(clean, cand.np_end, cand.unit.end):
            continue  # "firms with a combined market value of 1 trillion yuan"
        if (
            cand.form == "bare"
            and (
                cand.governor in ("include", "nominal")
                # a long item opening with a verb we do not know ("Distribute formula funds
                # through ...") is a sentence, not a list of things
                or (cand.governor == "list" and len(clean[unit.start : unit.end].split()) > 12)
                or (
                    cand.governor == "chain"
                    and group_governor.get(cand.group) in ("include", "nominal")
                )
                or cand.head.entry.mass
            )
        ):
            continue  # "including college graduates", "deploy infrastructure": no count, no target
        if cand.form == "single" and cand.head.entry.mass and not cand.head.proper:
            continue  # "develop a globally competitive STEM infrastructure": no thing counted
        if (
            cand.form == "bare"
            and not cand.head.plural
            and cand.head.proper
            and not cand.head.entry.mass
        ):
            cand.quantity, cand.form = Quantity(value=1), "single"
        kept.append(cand)
    counted = [c for c in kept if c.form in ("number", "range")]
    if counted and len(counted) < len(kept):
        # "train more engineers to reach 2 million engineers": the uncounted mention of a kind
        # the unit counts is that target again; in a list item, uncounted things after its
        # count are what it is for ("house 900 families to help them find other services").
        kinds = {c.head.entry.kind for c in counted}
        first = counted[0].np_start
        kept = [
            c
            for c in kept
            if c.quantity is not None
            or not (c.head.entry.kind in kinds or (unit.kind == "item" and c.np_start > first))
        ]
    return kept


_INTO_AFTER = re.compile(r"(?:\s+(?:of|in)\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3})?\s+into\b")
_OPENING = re.compile(r"[\s\W]*$")


_WHERE_AFTER_VERB = re.compile(
    r"[\w'’-]+\s+(?:in|at|within|across|throughout|near|around|inside|beside)\b", re.IGNORECASE
)


def _in_title(clean: str, cand: Candidate) -> bool:
    """Whether a target stands inside the title of a document the text cites: its verb and its
    noun written with capitals in mid-sentence ("... implement the Opinions on Promoting
    Innovation and Building a World Leading Science Park ...")."""
    start, end = cand.start, cand.np_end
    if not clean[start : start + 1].isupper() or not (end - start) < 200:
        return False
    if _OPENING.match(clean, cand.unit.start, start) or clean[
        max(0, start - 8) : start
    ].rstrip().endswith((":", ";")):
        # an item, sentence or clause that opens with the verb: "Build 80 parks.", "three
        # goals: Fix 40 Locks; Construct 30 Towers"
        return False
    words = re.findall(r"[A-Za-z][\w'’-]*", clean[start:end])
    return (
        len(words) >= 2  # (one word is no title: "the number of GPs by 800")
        and words[-1][0].isupper()
        and sum(w[0].isupper() for w in words) * 2 > len(words)
    )


def _abandoned(clean: str, cand: Candidate) -> bool:
    """Whether the unit says the commitment of a target was given up: before it ("no longer
    intends to build"), or after it ("... 40 hospitals by 2030 was scrapped"), with no word in
    between that turns to another plan ("but", "instead", ";")."""
    unit = cand.unit
    lo = max(unit.start, cand.start - 200)
    before = None
    for found in rules.ABANDONED.finditer(clean, lo, cand.start):
        before = found
    if (
        before is not None
        and not _denied(clean, before.start())
        and not rules.ABANDON_STOP.search(clean, before.end(), cand.start)
    ):
        return True
    hi = min(unit.end, cand.np_end + 200)
    after = rules.ABANDONED.search(clean, cand.np_end, hi)
    return (
        after is not None
        and not _denied(clean, after.start())
        and not rules.ABANDON_STOP.search(clean, cand.np_end, after.start())
    )


_DENIED = re.compile(r"\b(?:not|never|none|nothing|neither|nor)\b[^.;]{0,25}$|n['’]t\s*$", re.I)


def _denied(clean: str, at: int) -> bool:
    """Whether the words just before ``at`` deny what follows: "none of it has been dropped"."""
    return bool(_DENIED.search(clean, max(0, at - 40), at))


_GERUND_AFTER_PREP = re.compile(
    r"\b(?:of|for|about|at|on|in|from|without|after)\s+\w+ing\s+$", re.I
)


def _gerund_after_prep(clean: str, cand: Candidate) -> bool:
    """Whether an uncounted noun phrase is the object of a gerund after a preposition."""
    verb_end = clean.find(" ", cand.start, cand.np_start + 1)
    if verb_end < 0:
        return False
    return bool(_GERUND_AFTER_PREP.search(clean, max(0, cand.start - 20), verb_end + 1))


def qualifier_of(toks: list[Tok], lo: int, hi: int) -> str | None:
    words: list[str] = []
    quoted = False
    take_next = False
    sectors = {i for i, _ in sectors_in(toks, lo, hi)}
    for i in range(lo, hi):
        tok = toks[i]
        if tok.text in QUOTES:
            quoted = not quoted
            continue
        if not tok.word or i in sectors:
            take_next = False
            continue
        if quoted or tok.low in rules.QUALIFIER_WORDS or take_next:
            words.append(tok.text)
        take_next = tok.low.endswith("ly") and tok.low in rules.QUALIFIER_WORDS
    return " ".join(words) if words else None


def confidence_of(cand: Candidate) -> float:
    score = 0.55
    score += {"verb": 0.15, "passive": 0.12, "list": 0.15, "number_of": 0.15, "nominal": 0.1,
              "include": 0.08, "chain": 0.1, "chain+passive": 0.12}.get(cand.governor, 0.0)  # fmt: skip
    score += {"number": 0.1, "range": 0.1, "single": 0.08, "unspecified": 0.04}.get(
        cand.form, -0.05
    )
    score += {"explicit": 0.1, "lead": 0.06, "anaphor": 0.06, "after": 0.04}.get(
        cand.region_how, 0.0
    )
    if cand.region_how == "unknown-actor":  # a place the gazetteer does not know acts
        score -= 0.2
    if cand.deadline is not None and not cand.deadline_lent:
        score += 0.05
    if cand.deadline_guessed:  # its year is the page's, not its own: review it
        return round(min(0.75, max(0.3, score - 0.1)), 2)
    return round(min(0.95, max(0.3, score)), 2)


def target_sector(
    cand: Candidate, toks: list[Tok], unit_sectors: list[tuple[int, str]], state: State
) -> str | None:
    lo = index_at(toks, cand.np_start)
    inside = [s for i, s in unit_sectors if lo <= i <= cand.head.last]
    cand.sector_named = bool(inside)
    if inside:
        return inside[0]
    if unit_sectors:
        head_at = cand.head.head
        return sorted(unit_sectors, key=lambda iv: abs(iv[0] - head_at))[0][1]
    if cand.unit.lead is not None and cand.unit.lead.sector:
        return cand.unit.lead.sector
    return state.doc_sector


def counted_label(clean: str, cand: Candidate) -> str | None:
    """The counted noun phrase of a target whose noun is no kind label, or of staff (the kind
    label "teachers" says more than the kind), in one line."""
    text = " ".join(clean[cand.label_start : cand.label_end].split())
    if (
        cand.head.entry is not OTHER
        and cand.head.entry is not TALENT
        and not (
            cand.head.entry.kind == "talent" and _STAFF_NOUN.match(text.rpartition(" ")[2].lower())
        )
    ):
        return None
    return text or None
