"""Extract pledges from an English news article into a fact sheet for review: the stages in order.

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
import re
from dataclasses import replace
from functools import cache

from pledgegraph._version import __version__
from pledgegraph.loaders.extraction import patterns as rules
from pledgegraph.loaders.extraction.deadlines import (
    choose_deadline,
    opening_deadline,
    section_deadline,
    strongest_deadline,
)
from pledgegraph.loaders.extraction.kinds import document_sector, find_heads, sectors_in
from pledgegraph.loaders.extraction.page import read_page
from pledgegraph.loaders.extraction.regions import (
    _Mention,
    acting_units,
    choose_region,
    find_mentions,
    page_names,
    province_of,
    resolve_mentions,
    subject_region,
    unknown_actor,
)
from pledgegraph.loaders.extraction.sheet import assemble, plan_name
from pledgegraph.loaders.extraction.state import State
from pledgegraph.loaders.extraction.targets import (
    Candidate,
    counted_label,
    keep_pledged,
    qualifier_of,
    target_sector,
    unit_candidates,
)
from pledgegraph.loaders.extraction.units import (
    Tok,
    Unit,
    index_at,
    mark_chrome,
    opens_with_order,
    segment,
    unit_tokens,
)
from pledgegraph.loaders.extraction.vocabulary import region_lexicon, tokenize
from pledgegraph.loaders.facts import MAX_TEXT, FactSheet, PartialDate, Source
from pledgegraph.loaders.factsheet import holds_only_text
from pledgegraph.loaders.regions import ENGLISH_FIRST, Gazetteer, gazetteer

#: The extractor's name and version, recorded as the PROV agent of a load.
EXTRACTOR_NAME = "pledgegraph-extract"
EXTRACTOR_VERSION = __version__
EXTRACTOR_AGENT = f"{EXTRACTOR_NAME} {EXTRACTOR_VERSION}"

#: Words of a page's address, title or publisher that make it a page of plans.
_PLANS_PAGE = re.compile(
    r"budget|\bplans?\b|commitments?|priorities|manifesto|strategy|programme|program\b|"
    r"work[-\s]report|report\s+on\s+the\s+work",
    re.IGNORECASE,
)

#: What makes a sentence before "This includes ..." no pledge of its own: it denies, gives
#: up, looks back, or is another's plan ("the opposition's plan", "the last government's").
_NOT_OWN_PLAN = re.compile(
    r"\b(?:opposition|rival|critics?|previous|former|last|old|earlier)(?:['’]s)?\s+"
    r"(?:\w+['’]s\s+)?(?:\w+\s+)?(?:plans?|proposals?|government|administration)\b|"
    r"\b(?:completed|delivered|achieved|finished|failed|since)\b",
    re.IGNORECASE,
)
#: The same in the sentence itself: "This includes 20,000 homes built since 2015".
_PAST_OR_DENIED = re.compile(
    r"\b(?:since|completed|built|delivered|finished|failed|last\s+year|so\s+far|to\s+date|"
    r"not|never|no\s+longer)\b|n['’]t\b",
    re.IGNORECASE,
)


def _shadowed_on_page(text: str, gaz: Gazetteer) -> dict[str, str]:
    """For the regions of :func:`_shared_names`, the other subdivision's key when ``text``
    names that one's country."""
    out: dict[str, str] = {}
    for key, name in _shared_names(gaz).items():
        if name not in text:
            continue
        for other in gaz.shadowed(key):
            country = other.key.split("-")[0]
            if country in gaz and gaz.get(country).name_en[:6] in text:
                out[key] = other.key
                break
    return out


@cache
def _shared_names(gaz: Gazetteer) -> dict[str, str]:
    """The regions whose English name another country's subdivision shares and loses to them
    (loaders/regions.py puts the English-speaking countries first): "US-MT": "Montana"."""
    return {
        r.key: r.name_en
        for r in gaz
        if r.name_en
        and r.key.split("-")[0] in ENGLISH_FIRST
        and "-" in r.key
        and gaz.shadowed(r.key)
    }


def _other_bearer(mention: _Mention, shadowed: dict[str, str]) -> _Mention:
    key = mention.key
    return replace(mention, key=shadowed[key]) if key in shadowed else mention


_CONDITION_AFTER = re.compile(
    r"[^.;:]*?(?<!even\s)\b(?:if|unless|provid(?:ed|ing)\s+that)\b(?!\s+(?:any|needed|necessary|"
    r"required|possible|so)\b)",
    re.IGNORECASE,
)
_QUESTION_END = re.compile(r"\?[\s\"'”’)\]]*$")


def _pledges_alone(body: str) -> bool:
    """Whether ``body`` pledges something itself (for the sentence after it to detail)."""
    return (
        rules.pledge_cue(body)
        and rules.NEGATION.search(body) is None
        and rules.ABANDONED.search(body) is None
        and _NOT_OWN_PLAN.search(body) is None
    )


#: A sentence that details the one before it: "This includes ...", "It will also involve ...".
_THIS_INCLUDES = re.compile(
    r"\s*(?:This|These|It|That)\s+(?:will\s+)?(?:also\s+)?(?:includes?|involves?|comprises?|"
    r"covers?|means?)\b"
)
_BLANK = str.maketrans(
    {
        **{c: " " for c in "*_#`>|"},
        # hyphens of other code points, one character for one: "well‑located" (U+2011)
        **{c: "-" for c in "\u2010\u2011\u2012"},
    }
)


#: Digits grouped by spaces, as the EU and many countries write them ("280 000", "1 500 000";
#: also no-break and thin spaces): read as with commas, one character for one, so that every
#: offset stays. Not a year before a count ("in 2030 500 homes": four digits first).
_SPACED_THOUSANDS = re.compile(
    r"(?<![\d.,])\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?!\d|[,.]\d|[-‐–]\w)"
)  # (not "50 100-million-yuan projects": 50 of them; not "June 30 2031": a date)


#: A hyphen left hanging for the word after the conjunction ("small- and medium-sized firms",
#: "short- or long-term"): read as a space, so that the count before it reaches the noun.
_SUSPENDED_HYPHEN = re.compile(r"(?<=[A-Za-z])-(?=\s+(?:and|or|to)\s+[A-Za-z]+-[A-Za-z])")


#: A web address in the text: its digits are no counts.
_WEB_ADDRESS = re.compile(r"\bhttps?://[^\s<>\"()]+")


def _comma_grouped(match: re.Match[str]) -> str:
    return re.sub(r"[ \u00a0\u202f\u2009]", ",", match.group())


def _quotable(words: str) -> str | None:
    """``words`` as a sheet's ``quote``, or ``None`` if a sheet cannot hold them (a control
    character or line separator of the article: ``load`` would refuse the sheet; an attack)."""
    return words if holds_only_text(words) and len(words) <= MAX_TEXT else None


def extract(
    text: str, *, source: Source, unplaced: list[tuple[int, int]] | None = None
) -> FactSheet:
    """The pledges an article's text reports, as a fact sheet for review.

    Pure and deterministic. ``source`` describes the article (its ``published`` date resolves
    "within three years"); the returned sheet's source also carries ``text_sha256``, the SHA-256
    of ``text`` as UTF-8, which every target's ``span`` points into. ``unplaced`` receives the
    spans of counted targets left out because the text names no region for them.
    """
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    sheet_source = replace(source, text_sha256=digest)
    clean = _SPACED_THOUSANDS.sub(_comma_grouped, text.translate(_BLANK))  # "280 000": 280,000
    clean = _SUSPENDED_HYPHEN.sub(" ", clean)  # "small- and medium-sized": one adjective
    addresses = [m.span() for m in _WEB_ADDRESS.finditer(clean)] if "://" in clean else []
    units = segment(clean)
    mark_chrome(clean, units)
    gaz = gazetteer()
    # A shared name of a subdivision means the other country's one on a page that names that
    # country: "Montana" in Bulgaria, "Maryland County" in Liberia.
    shadowed = _shadowed_on_page(clean, gaz)
    page = read_page(text, source, gaz)
    all_toks = [unit_tokens(clean, unit.start, unit.end) for unit in units]
    names = page_names(clean, page.evidence, page.region, page.host_region)
    if names is not None:  # "Victoria" is the state on this page: the publisher may name it
        page = read_page(text, source, gaz, names)
    state = State(published=page.published, gaz=gaz, context=page.region, unit_name=page.unit_name)
    all_sectors = [sectors_in(toks, 0, len(toks)) for toks in all_toks]
    state.doc_sector = document_sector(all_sectors)
    if source.title:
        title_toks = unit_tokens(source.title, 0, len(source.title))
        for m in find_mentions(title_toks, names):
            if m.key and not m.org:
                state.context = m.key
                break
    found: list[Candidate] = []
    # a page of plans, by its address, title or publisher ("budget-2024/budget-overview")
    plans_page = bool(
        _PLANS_PAGE.search(" ".join(filter(None, (source.url, source.title, source.publisher))))
    )
    page_years: set[int] = set()  # years that frame the page's goals: "the 2030 targets"
    undated_units: set[int] = set()  # units whose deadline the text leaves open ("this term")
    deadline_years: set[int] = set()  # years of the page's firm deadline phrases ("by 2027")
    deadline_regions: set[str | None] = set()  # the regions whose pledges those phrases date
    seen_headline = False
    previous_period: PartialDate | None = None
    previous_body: str | None = None  # the sentence before, for "This includes ..."
    for unit, toks, unit_sectors in zip(units, all_toks, all_sectors, strict=True):
        if unit.chrome:
            continue  # a language switcher or a menu: no region, no pledge
        body = clean[unit.start : unit.end]
        mentions = find_mentions(toks, names)
        if shadowed:
            mentions = [_other_bearer(m, shadowed) for m in mentions]
        if unit.kind == "headline":
            if not seen_headline and state.context in (None, page.region):
                for m in mentions:
                    if m.key and not m.org:
                        state.context = m.key
                        seen_headline = True
                        break
            heading_units = acting_units(body)
            if heading_units:
                state.unit_name = heading_units[0][1]
            unit.cue = bool(rules.LEAD_CUE.search(body))
            section_deadline(body, state)
            if state.section_deadline is not None:
                page_years.add(state.section_deadline.year)
            page_years.update(rules.framing_years(body, heading=True))  # "Projects 2025"
            previous_body = None
            continue
        unit.imperative = (
            unit.kind in ("sentence", "item")
            # ("Our achievements include: - Establishing a new school": done, no order)
            and not (unit.lead is not None and unit.lead.reports)
            # a line of a list written with semicolons orders only under a lead that pledges
            # or on a page of plans ("Tasmania spending review / Employing 64 midwives cost
            # the state $9 million;" reports)
            and not (
                unit.semicolon and not (unit.lead is not None and unit.lead.cue) and not plans_page
            )
            and not body.rstrip().endswith("?")  # ("Employ 20 staff or more? The tax ...")
            and opens_with_order(body, item=unit.kind == "item" and not body.rstrip().endswith(":"))
        )
        deadlines = rules.find_deadlines(body, state.published)
        heads = find_heads(toks)
        # Whether the unit pledges matters only where it has targets, deadlines or a list.
        unit.cue = unit.imperative or (
            bool(heads or deadlines or unit.is_lead) and rules.pledge_cue(body)
        )
        if (
            heads
            and not unit.cue
            and previous_body is not None
            and _THIS_INCLUDES.match(body)
            and _pledges_alone(previous_body)
            and not _PAST_OR_DENIED.search(body)
        ):
            # "X is the Government's plan to ... . This includes the delivery of 90,000 social
            # homes": what the sentence before pledges, this one details
            unit.cue = True
        previous_body = body if unit.kind == "sentence" else None
        if unit.kind == "item" and heads and state.section_goal:
            # "Main targets for 2022" and the topics after it ("New infrastructure"), each
            # with bullets of counted things ("- 26,000 new 5G base stations"): goals
            unit.cue = True
        if unit.is_lead and (
            rules.LEAD_REPORTS.search(body)
            or (rules.LEAD_ACHIEVEMENTS.search(body) and not rules.LEAD_AHEAD.search(body))
        ):
            unit.cue = False  # "Milestones reached so far:": what follows was done
            unit.reports = True
        if (
            unit.is_lead
            and not heads
            and body.rstrip().endswith(":")
            and len(body.split()) <= 12
            and rules.SECTION_GOAL.search(body.rstrip().rstrip(":"))
        ):
            # "Goals to be achieved by 2025:" leads the section's goals as a heading does.
            section_deadline(body.rstrip().rstrip(":"), state)
            if state.section_deadline is not None:
                page_years.add(state.section_deadline.year)
        # a pledge's deadline, not a past plan's ("the 2031-33 plan failed")
        firm = (
            [
                d.date.year
                for d in deadlines
                if d.strength >= 2
                and d.date not in (rules.INHERIT, rules.UNKNOWN)
                and not rules.period_set_aside(body, d.start, d.end)
            ]
            if unit.cue
            else []
        )
        resolved = resolve_mentions(mentions, toks, state)
        opening_deadline(deadlines, state)
        if any(d.date is rules.UNKNOWN for d in deadlines) or (
            # "by the end of the year" on a page without a date: a deadline, left open
            state.published is None and "year" in body and rules.DEADLINE_THIS_YEAR.search(body)
        ):
            undated_units.add(unit.start)
        page_years.update(
            rules.framing_years(
                rules.dated_relative_years(body, state.published) if state.published else body
            )
        )
        cands = unit_candidates(clean, unit, toks, deadlines, heads)
        if addresses:  # "?oppId=305116" in a web address counts nothing
            cands = [c for c in cands if not any(a <= c.np_start < b for a, b in addresses)]
        kept = keep_pledged(clean, unit, cands)
        if kept and _QUESTION_END.search(body):
            kept = []  # "Will Wales build five more schools by 2027?": asked, not pledged
        if kept and ("if" in body or "unless" in body or "provided" in body):
            # "will appoint 30 judges by 2027 if the legislature agrees": a condition after the
            # target, in its clause or the next (not "even if costs rise")
            kept = [c for c in kept if not _CONDITION_AFTER.match(clean, c.np_end, unit.end)]
        units_here = acting_units(body)
        if not units_here and any(
            m.eligible and not m.org and (m.key or m.types) for m, _key in resolved
        ):
            state.unit_name = None  # a region speaks now: "the province will ..."
        for cand in kept:
            pos = cand.start
            before = [name for at, name in units_here if unit.start + at < pos]
            cand.authority = (
                before[-1] if before else (units_here[0][1] if units_here else state.unit_name)
            )
            cand.region, cand.region_how = choose_region(
                resolved,
                toks,
                pos,
                unit,
                state,
                place_ok=cand.governor in ("passive", "future", "chain+passive", "number_of"),
            )
            if cand.region_how in ("context", "lead"):
                stranger = unknown_actor(body[: pos - unit.start], state.gaz)
                if stranger is not None:
                    # "Yiwu city will build ..." in an article about Shenzhen: the place that
                    # acts is none the gazetteer knows, so the region carried over from before
                    # may not be its own. Kept, named, and below the review threshold.
                    cand.region_how, cand.authority = "unknown-actor", stranger
            if cand.authority and cand.region_how in ("context", "lead"):
                # A zone named by its city speaks ("Meanwhile the Suzhou Industrial Park aims
                # to ..." in an article about Chengdu): its city is its region, not the one
                # carried over (a trial found it filed under Sichuan).
                own = _named_place(cand.authority)
                if own is not None and own != cand.region:
                    cand.region, cand.region_how = own, "unit-name"
            if cand.authority and cand.region:
                # A district or zone speaks: its pledge is its province's, under its own name.
                cand.region = province_of(cand.region, state.gaz)
            cand.deadline = (
                choose_deadline(cand, cands, deadlines, state, clean) or state.section_deadline
            )
            # (the evidence ends with a count that follows the noun: "ports to 310,000")
            cand.span_end = max(cand.np_end, cand.count_end)
            for d in deadlines:
                if unit.start + d.start >= cand.span_end:
                    if not clean[cand.span_end : unit.start + d.start].strip():
                        cand.span_end = unit.start + d.end
                    break
            if cand.deadline is not None:
                state.last_deadline = cand.deadline
            cand.sector = target_sector(cand, toks, unit_sectors, state)
            if cand.head.label_first == cand.head.head and cand.head.entry.kind in (
                "other",
                "talent",
            ):
                cand.counted = counted_label(clean, cand)
            cand.qualifier = qualifier_of(toks, index_at(toks, cand.np_start), cand.head.head + 1)
            found.append(cand)
        if not kept and deadlines:
            _date_the_same_things(clean, body, deadlines, found, state)
        # What the unit leaves for the units after it.
        region_here = subject_region(resolved, toks, state)
        if firm and (kept or _makes_something(toks) or _GOAL_NOUN.search(body)):
            # (a deadline of things made or of goals, not of a forecast, an election or a
            # contract's end)
            deadline_years.update(firm)
            if kept:
                deadline_regions.update(c.region for c in kept)
            else:
                deadline_regions.add(region_here or state.context)
        if unit.is_lead:
            unit.region = region_here or state.context
            unit.deadline = strongest_deadline(deadlines, state) or previous_period
            if unit.deadline is not None and unit.cue:
                state.last_deadline = unit.deadline
            unit.sector = unit_sectors[0][1] if unit_sectors else None
            unit.plan = plan_name(text[unit.start : unit.end])
        previous_period = None
        if unit.cue and not kept:
            # A plan's period ("the 2023-2025 action plan") is what "the same period" means next,
            # and what a list right after it ("The main goals are:") is due by.
            strong = [
                d
                for d in deadlines
                if d.strength >= 2 and d.date not in (rules.INHERIT, rules.UNKNOWN)
            ]
            if strong:
                state.last_deadline = previous_period = strong[-1].date
        if units_here:
            state.unit_name = units_here[-1][1]
        if kept and kept[-1].region:
            state.context = kept[-1].region
        elif region_here:
            state.context = region_here
        for m, key in resolved:
            if m.key and not m.org and key:
                state.history.append(key)
    if state.published is not None:  # a frame of past goals ("our 2022 goals") lends nothing
        page_years = {y for y in page_years if y >= state.published.year}
        deadline_years = {y for y in deadline_years if y >= state.published.year}
    if len(page_years) == 1:
        lend_page_year(found, PartialDate(page_years.pop()), undated_units)
    elif not page_years and len(deadline_years) == 1:
        # Nothing frames the page, but every firm deadline it states names one year ("by 2027"
        # twice), and its dated targets, if any, are all one region's: that region's undated
        # counts are most likely due then too. A guess, and marked as one. (A page of many regions' pledges
        # dates each region's by its own words.)
        regions = {c.region for c in found if c.deadline is not None} | deadline_regions
        if len(regions) == 1 and None not in regions:
            lend_page_year(
                [c for c in found if c.region in regions and not _own_time(clean, c.unit)],
                PartialDate(deadline_years.pop()),
                undated_units,
                guessed=True,
            )
    named: set[int] = set()
    for cand in found:
        if cand.unit.plan is None and cand.unit.start not in named:
            named.add(cand.unit.start)
            cand.unit.plan = plan_name(text[cand.unit.start : cand.unit.end])
    pledges = tuple(
        replace(
            pledge,
            targets=tuple(
                replace(t, quote=_quotable(text[t.span[0] : t.span[1]])) if t.span else t
                for t in pledge.targets
            ),
        )
        for pledge in assemble(found, gaz, unplaced, clean)
    )
    return FactSheet(source=sheet_source, pledges=pledges)


def _named_place(unit_name: str) -> str | None:
    """The region a zone's or district's name opens with ("Suzhou Industrial Park": Suzhou),
    if the region lexicon knows it."""
    words = tuple(tokenize(unit_name))
    names = region_lexicon().names
    for length in (3, 2, 1):
        key = names.get(words[:length])
        if key is not None and length < len(words):
            return key
    return None


#: A sentence that dates things counted before it: "The new clinics will open during the
#: 2031-32 financial year", "These homes will be completed by 2030".
_THE_SAME_THINGS = re.compile(
    r"^\W*(?:the|these|those|all\s+(?:the|these|of\s+the))\s+(?:new\s+|additional\s+|extra\s+|"
    r"\d[\d,]*\s+)?(?P<noun>[a-z][\w-]*(?:\s+[a-z][\w-]*){0,3}?)\s+will\s+(?:all\s+)?"
    r"(?:open|be\s+(?:built|opened|delivered|completed|finished|in\s+place|operational|ready|"
    r"up\s+and\s+running|set\s+up|installed))\b",
    re.IGNORECASE,
)


def _date_the_same_things(
    clean: str,
    body: str,
    deadlines: list[rules.DeadlineMatch],
    found: list[Candidate],
    state: State,
) -> None:
    """A sentence with no count of its own that says when the things counted before will be
    ready ("The new clinics will open during 2031-32") dates those of them left undated whose
    counted noun ends with the same word."""
    match = _THE_SAME_THINGS.match(body)
    if match is None:
        return
    when = strongest_deadline(deadlines, state)
    if when is None:
        return
    noun = match.group("noun").lower().split()[-1].rstrip("s")
    for cand in found:
        if cand.deadline is None and cand.quantity is not None:
            words = clean[cand.label_start : cand.label_end].lower().split()
            if words and words[-1].rstrip("s") == noun:
                cand.deadline = when


#: Lemmas of verbs that make or deliver what a deadline can date ("by 2030 the mission will
#: restore 25,000 km of rivers"), as against forecasts, elections and contracts' ends.
_MAKING_LEMMAS = frozenset(
    {"build", "construct", "establish", "open", "create", "set", "develop", "launch", "deliver",
     "complete", "erect", "add", "provide", "install", "restore", "plant", "train", "hire",
     "recruit", "renovate", "upgrade", "cultivate", "foster", "implement", "achieve", "reach",
     "finish", "introduce", "roll", "expand", "support", "fill", "employ"}
)  # fmt: skip


_GOAL_NOUN = re.compile(r"\b(?:goals?|targets?|objectives?|plan|filled)\b", re.IGNORECASE)


def _makes_something(toks: list[Tok]) -> bool:
    """Whether a verb of making stands in ``toks`` in a form that may look ahead ("will
    build", "to be completed"; not "had built" alone)."""
    for i, t in enumerate(toks):
        lemma, tense = rules.VERB_FORMS.get(t.low, ("", ""))
        if lemma in _MAKING_LEMMAS and (
            tense != "past" or (i > 0 and toks[i - 1].low in ("be", "been", "being"))
        ):
            return True
    return False


#: A unit's own word for when (or how often, or on what condition) its count is due, which
#: a year lent from elsewhere on the page must not override: "from 2035 onwards", "by the end
#: of the decade", "900 a year", "if re-elected".
_OWN_TIME = re.compile(
    r"\b(?:(?:19|20)\d\d|centur(?:y|ies)|decades?|terms?|soon|eventually|later|after|beyond|"
    r"onwards?|long\s+run|long\s+term|coming\s+years|next\s+(?:plan|years?|decade|phase|stage)|"
    r"(?:a|per|each|every)\s+(?:year|month|week|day|annum)|annually|if|unless|would|now|once|"
    r"(?:full|whole|entire|overall)\s+(?:programme|program|plan|project|scheme))\b",
    re.IGNORECASE,
)


def _own_time(clean: str, unit: Unit) -> bool:
    return _OWN_TIME.search(clean, unit.start, unit.end) is not None


def lend_page_year(
    found: list[Candidate], year: PartialDate, undated_units: set[int], *, guessed: bool = False
) -> None:
    """A page whose goals are framed by one year — a goal heading or plan title ("Key Tasks for
    2025", "… Action Plan (2024-2026)") or a goal phrase in its text ("the 2030 targets", "our
    goals for 2031") — dates its undated counts by that year. One target's own "by 2027" frames
    nothing. The deadline is lent, not read: it adds nothing to the target's confidence. A
    count in a unit that leaves its deadline open ("over this Parliament") stays undated.

    ``guessed``: no goal frame names the year; it is the one year of every firm deadline on
    the page ("by 2027", "over 2025-2027"). Annotators of real pages leave many such counts
    undated, so the target's confidence drops below the review threshold."""
    for cand in found:
        if cand.deadline is None and cand.quantity is not None:
            lead = cand.unit.lead
            if cand.unit.start in undated_units or (lead and lead.start in undated_units):
                continue
            cand.deadline = year
            cand.deadline_lent = True
            cand.deadline_guessed = guessed
