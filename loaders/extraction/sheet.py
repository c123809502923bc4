"""Stage 7: the fact sheet. Candidates become targets grouped into one pledge per (region,
deadline, acting unit), with the sector most targets share and the plan named by their unit or
list lead.

A pledge of a city (or of a district or zone inside one) is made out for the city's
province-level region, its ISO 3166-2 code (``CN-GD`` for Shenzhen), and the city's own name
goes into ``authority`` unless a district or zone already stands there: region questions and
scorers that match by ISO code find it, and the name of the unit that pledged is kept."""

from __future__ import annotations

import re
from collections import Counter

from pledgegraph.loaders.extraction import patterns as rules
from pledgegraph.loaders.extraction.targets import Candidate, confidence_of
from pledgegraph.loaders.facts import (
    MAX_TEXT,
    MAX_YEAR,
    MIN_YEAR,
    PartialDate,
    Pledge,
    Quantity,
    Target,
    count_fits,
)
from pledgegraph.loaders.regions import Gazetteer


def plan_name(body: str) -> str | None:
    match = rules.PLAN_NAME.search(body)
    if not match:
        return None
    name = re.sub(r"^(?:The|A|An|Its|Under|In|With|By|Per)\s+", "", match.group("name").strip())
    return name if len(name.split()) >= 2 else None


def _quantity_key(q: Quantity | None) -> tuple[object, ...]:
    """What makes two counts the same: not "around" or "more than" ("200 schools" in a summary
    and "around 200 schools" or "over 200 schools" in the body are one target)."""
    if q is None:
        return (None,)
    return (q.value, q.minimum, q.maximum)


def province_level(key: str, gaz: Gazetteer) -> tuple[str, str | None]:
    """The ISO-coded region a region key is filed under, and the city's name when it is a city
    (``CN-GD/shenzhen`` -> ``("CN-GD", "Shenzhen")``); other keys are returned as they are."""
    if "/" not in key or key not in gaz:
        return key, None
    for region in gaz.ancestors(key):
        if region.iso_code:
            return region.key, gaz.get(key).name_en
    return key, None


def assemble(
    found: list[Candidate],
    gaz: Gazetteer,
    unplaced: list[tuple[int, int]] | None = None,
    text: str = "",
) -> tuple[Pledge, ...]:
    """The pledges of the kept candidates (``text``: the article, as the candidates' offsets
    read it). ``unplaced`` receives the spans of counted targets left out because the text
    names no region for them (for a note to the user)."""
    # One target per (region, kind, quantity, deadline): a list item beats the prose before it.
    best: dict[tuple[object, ...], Candidate] = {}
    for cand in found:
        if cand.region is None and cand.quantity is not None and unplaced is not None:
            unplaced.append((cand.start, _span_end(cand)))
        if cand.quantity is not None and cand.quantity.value == 0:
            continue  # "zero net emissions by 2045": no count of things
        if cand.region is None or (cand.form == "bare" and not cand.sector_named):
            # A bare plural ("develop unicorn companies", "create apprenticeships") states an
            # aim, no number of things: on the held-out sets 16 of 22 such targets were
            # wrong and none was a required one. Kept when it names a sector ("blockchain
            # applications": what a sector plan pledges), and "a number of", "some", "a
            # group of" stay.
            continue
        _loadable(cand)
        cand.region, city = province_level(cand.region, gaz)
        cand.authority = cand.authority or city
        key: tuple[object, ...] = (
            cand.region,
            cand.authority,
            cand.head.entry.kind,
            _quantity_key(cand.quantity),
            cand.deadline,
            # "10 canteens and 10 reading rooms": two things
            _thing(cand)[-1] if cand.head.entry.kind == "other" else None,
        )
        if _two_of_one_unit(best.get(key), cand):
            key = (*key, cand.np_start)  # "20 football fields, and 20 sports fields": two
        if key not in best or (cand.in_item and not best[key].in_item):
            best[key] = cand
    # The same count of the same thing stated again (a summary and the body, a heading's
    # sentence) is one target: restated with a deadline of the same year ("by 2026", "by March
    # 2026") the more precise deadline is kept; restated without a deadline it is the dated one
    # once more. "The same thing" is the kind, and for kind ``other`` the counted noun ("new
    # school places" and "additional school places" both count places).
    by_year: dict[tuple[object, ...], Candidate] = {}
    for c in sorted(best.values(), key=lambda c: (c.start, c.np_end)):
        if c.deadline is None or c.quantity is None:
            continue
        year_key: tuple[object, ...] = (*_thing(c), c.deadline.year)
        if _two_of_one_unit(by_year.get(year_key), c):
            year_key = (*year_key, c.np_start)
        seen = by_year.get(year_key)
        if seen is None or (_precision(c.deadline) > _precision(seen.deadline)):
            by_year[year_key] = c
    dated = {_thing(c) for c in by_year.values()}
    # Restated undated in a region inside the dated one's, which the dated statement names ("15
    # new free schools approved for England" and "the UK Government will open 15 new free
    # schools in England by 2028"): one target, in the narrower region.
    by_thing: dict[tuple[object, ...], list[Candidate]] = {}
    for c in by_year.values():
        by_thing.setdefault(_thing(c)[1:], []).append(c)
    for c in sorted(best.values(), key=lambda c: (c.start, c.np_end)):
        if c.deadline is not None or c.quantity is None or c.region is None or _thing(c) in dated:
            continue
        names = _place_words(c.region, gaz)
        wider = [
            d
            for d in by_thing.get(_thing(c)[1:], ())
            if c.region != d.region
            and d.region in {r.key for r in gaz.ancestors(c.region)}
            # the dated statement names the narrower place itself ("... in England by 2031",
            # "across English regions"): "The US will build 100 bridges by 2030. Texas will
            # repair 100 bridges." are two
            and any(n in text[d.unit.start : d.unit.end] for n in names)
        ]
        if len(wider) == 1:
            wider[0].region = c.region
            dated.add(_thing(c))
    chosen = {id(c) for c in by_year.values()}
    kept = sorted(
        (
            c
            for c in best.values()
            if id(c) in chosen
            or (c.deadline is not None and c.quantity is None)
            or (c.deadline is None and (c.quantity is None or _thing(c) not in dated))
        ),
        key=lambda c: (c.start, c.np_end),
    )
    kept = _narrowest(kept, gaz, text)
    groups: dict[tuple[str, PartialDate | None, str | None], list[Candidate]] = {}
    for cand in kept:
        assert cand.region is not None
        groups.setdefault((cand.region, cand.deadline, cand.authority), []).append(cand)
    pledges = []
    for (region, deadline, authority), cands in groups.items():
        sectors = Counter(c.sector for c in cands if c.sector)
        sector = sorted(sectors, key=lambda s: -sectors[s])[0] if sectors else None
        plans = [c.unit.lead.plan if c.unit.lead else c.unit.plan for c in cands]
        plan = next((p for p in plans if p and len(p) <= MAX_TEXT), None)
        targets = tuple(
            Target(
                kind=c.head.entry.kind,
                quantity=c.quantity,
                qualifier=c.qualifier,
                description=c.counted,
                sector=c.sector if c.sector != sector else None,
                span=(c.start, _span_end(c)),
                confidence=confidence_of(c),
            )
            for c in cands
        )
        pledges.append(
            Pledge(
                region=region,
                targets=targets,
                authority=authority,
                plan=plan,
                deadline=deadline,
                sector=sector,
            )
        )
    return tuple(pledges)


def _narrowest(kept: list[Candidate], gaz: Gazetteer, text: str) -> list[Candidate]:
    """Without the ones restated, with the same year or none, in a region that holds
    another's: "200 schools" in the summary of a UK page and "in England, 200 schools" in its
    body are one target, in England."""
    same_count: dict[tuple[object, ...], list[Candidate]] = {}
    for c in kept:
        if c.quantity is not None and c.region is not None:
            year = c.deadline.year if c.deadline is not None else None
            same_count.setdefault((*_thing(c)[2:], year), []).append(c)
    wider: set[int] = set()
    for same in same_count.values():
        if len(same) < 2:
            continue  # (stated once: nothing to compare)
        for c in same:
            assert c.region is not None
            if _own_government(c, gaz, text):
                continue  # "…, and the Welsh Government will fund 20 centres": its own pledge
            above = {r.key for r in gaz.ancestors(c.region)} if c.region in gaz else set()
            wider.update(
                id(d)
                for d in same
                if d.region != c.region and d.region in above and d.unit is not c.unit
            )
    return [c for c in kept if id(c) not in wider]


def _own_government(c: Candidate, gaz: Gazetteer, text: str) -> bool:
    """Whether the sentence of ``c`` names its region's own government ("the Scottish
    Government", "the Welsh Government", "the Northern Ireland Executive")."""
    assert c.region is not None
    sentence = text[c.unit.start : c.unit.end]
    return any(
        f"{name} {body}" in sentence
        for name in _place_words(c.region, gaz)
        for body in ("Government", "Executive", "Assembly", "government")
    )


#: Adjectives of places, as a sentence may name them ("English regions").
_PLACE_ADJECTIVES = {
    "GB-ENG": ("English",),
    "GB-SCT": ("Scottish",),
    "GB-WLS": ("Welsh",),
    "GB-NIR": ("Northern Irish",),
    "AU-VIC": ("Victorian",),
    "AU-NSW": ("NSW",),
}


def _place_words(key: str, gaz: Gazetteer) -> tuple[str, ...]:
    """The words a text names a region by: its names and, for a few, their adjectives."""
    if key not in gaz:
        return ()
    return (*gaz.get(key).names, *_PLACE_ADJECTIVES.get(key, ()))


def _two_of_one_unit(seen: Candidate | None, cand: Candidate) -> bool:
    """Whether ``cand`` and a target ``seen`` with the same count of the same thing are two
    phrases coordinated under one verb ("build 15 village clinics and 15 county clinics"),
    which a text does not use to restate one target ("Training 75,000 workers: the plan will
    train 75,000 people" is one)."""
    return (
        seen is not None
        and seen.unit is cand.unit
        and seen.np_start != cand.np_start
        # (or two single things of one sentence: "set up a startup platform ..., and develop
        # a platform for social assistance": a sentence does not restate "a" thing)
        and (seen.group == cand.group or seen.form == cand.form == "single")
    )


def _thing(cand: Candidate) -> tuple[object, ...]:
    """What a target counts, for finding it stated twice: region, authority, kind, quantity and
    the counted noun (the last word of its description)."""
    noun = cand.counted.split()[-1].lower() if cand.counted else None
    q = cand.quantity
    # "at least 3,000 trees" and "3,000 trees" state one count: its bound is not compared.
    count = (None,) if q is None else (q.value, q.minimum, q.maximum)
    return (cand.region, cand.authority, cand.head.entry.kind, count, noun)


def _precision(date: PartialDate | None) -> int:
    if date is None:
        return 0
    return 1 + (date.month is not None) + (date.day is not None)


def _loadable(cand: Candidate) -> None:
    """Drop what the fact-sheet reader would refuse, so a sheet the extractor writes always
    loads: a quantity of more than ``MAX_DIGITS`` digits (the target stays, its count
    unspecified), a deadline outside the years ``YYYY`` can write (the target stays, without a
    deadline), a description or qualifier longer than ``MAX_TEXT``."""
    q = cand.quantity
    if q is not None and not all(
        count_fits(n) for n in (q.value, q.minimum, q.maximum) if n is not None
    ):
        cand.quantity = None
    if cand.deadline is not None and not MIN_YEAR <= cand.deadline.year <= MAX_YEAR:
        cand.deadline = None
    if cand.counted is not None and len(cand.counted) > MAX_TEXT:
        cand.counted = None
    if cand.qualifier is not None and len(cand.qualifier) > MAX_TEXT:
        cand.qualifier = None


def _span_end(cand: Candidate) -> int:
    return max(cand.span_end, cand.np_end)
