"""Stage 6: the deadline of each target.

The unit's deadline phrases are found by :func:`patterns.find_deadlines`; a target takes the
nearest one after it (before the next coordinated group), else the nearest before it, else its
list's lead. "In the same period" stands for the last deadline read.
"""

from __future__ import annotations

import re

from pledgegraph.loaders.extraction import patterns as rules
from pledgegraph.loaders.extraction.state import State
from pledgegraph.loaders.extraction.targets import Candidate
from pledgegraph.loaders.facts import PartialDate

#: Between a count and a deadline: the level it grows to, which the deadline dates.
_RISING_TO = re.compile(rf",\s*(?:{'|'.join(rules.RISING_WORDS)})\s+to\b", re.IGNORECASE)


def choose_deadline(
    cand: Candidate,
    cands: list[Candidate],
    deadlines: list[rules.DeadlineMatch],
    state: State,
    text: str = "",
) -> PartialDate | None:
    """The deadline of ``cand``. A phrase after the target but behind a semicolon belongs to
    the next clause ("open 20 clinics in 2024; looking ahead to 2025, a cluster ...") and is
    taken only when nothing nearer dates the target."""
    unit = cand.unit
    later_groups = [c.np_start for c in cands if c.group > cand.group and c.governor != "merged"]
    bound = min(later_groups) if later_groups else unit.end
    # "By 2028, Wales will build 500 homes, rising to 900 by 2031": a deadline that opens the
    # sentence dates its main clause; one behind a comma after the target, with no other
    # target between, dates what the comma adds.
    fronted = any(
        unit.start + d.end <= cand.np_start
        and not text[unit.start : unit.start + d.start].strip(" \t-–—•*·")
        for d in deadlines
    )
    options: list[tuple[int, int, int, PartialDate]] = []
    for d in deadlines:
        start, end = unit.start + d.start, unit.start + d.end
        if cand.np_end <= start and _RISING_TO.search(text, cand.np_end, start):
            continue  # "12 hospitals, rising to a total of 20 by 2031": the total's
        if cand.np_end <= start < bound:
            rank = 2 if ";" in text[cand.np_end : start] else 0
            if (
                fronted
                and "," in text[cand.np_end : start]
                and not any(cand.np_end <= c.np_start < start for c in cands)
            ):
                rank = 2
            options.append((rank, -d.strength, start - cand.np_end, d.date))
        elif cand.np_start < start and end <= cand.np_end:
            # inside the counted phrase, after its number: "12 parks (2021-2023)"
            options.append((0, -d.strength, 0, d.date))
        elif end <= cand.np_start:
            options.append((1, -d.strength, cand.np_start - end, d.date))
        elif start >= bound:
            options.append((2, -d.strength, start - cand.np_end, d.date))
    if options:
        options.sort(key=lambda o: (o[0], o[1], o[2]))
        date = options[0][3]
        if date is rules.UNKNOWN:
            return None
        return state.last_deadline if date is rules.INHERIT else date
    if unit.lead is not None:
        return unit.lead.deadline
    return None


def strongest_deadline(deadlines: list[rules.DeadlineMatch], state: State) -> PartialDate | None:
    if not deadlines:
        return None
    best = sorted(deadlines, key=lambda d: -d.strength)[0]
    if best.date is rules.UNKNOWN:
        return None
    return state.last_deadline if best.date is rules.INHERIT else best.date


def section_deadline(heading: str, state: State) -> None:
    """A heading that names a year sets the deadline of the section under it: a goal heading
    ("Major Tasks for 2024", "Targets for 2025", "Our 2030 goals") to that year, any other ("Review of 2023") to
    none."""
    found = [
        d
        for d in rules.find_deadlines(heading, state.published)
        if d.date is not rules.INHERIT and d.date is not rules.UNKNOWN
    ]
    period = rules.PLAN_PERIOD.search(heading)
    if period is not None:
        end = period.group("end") or period.group("end2")
        year = int(end) if len(end) == 4 else 2000 + int(end)
        state.section_deadline = PartialDate(year)
        state.section_open = False
        return
    goal = bool(rules.SECTION_GOAL.search(heading))
    before_goal = rules.YEAR_BEFORE_GOAL.search(heading)
    if goal and not found and before_goal is not None:
        state.section_deadline = PartialDate(int(before_goal.group("year")))
        state.section_open = False
        state.section_goal = True
    elif goal and found:
        state.section_deadline = found[-1].date
        state.section_open = False
        state.section_goal = True
    elif found or rules.YEAR_IN.search(heading):
        state.section_deadline = None
        state.section_open = False
        state.section_goal = False
    elif goal and state.section_deadline is None:
        state.section_open = True


def opening_deadline(deadlines: list[rules.DeadlineMatch], state: State) -> None:
    """Under a goal heading without a year ("Objectives"), the first "by <year>" of the section
    ("By 2025, the city will have ...") is the deadline of the goals that follow it."""
    if not state.section_open:
        return
    strong = [
        d
        for d in deadlines
        if d.strength >= 3 and d.date is not rules.INHERIT and d.date is not rules.UNKNOWN
    ]
    if strong:
        state.section_deadline = strong[0].date
        state.section_open = False
