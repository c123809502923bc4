"""What the reading carries from one unit to the next: the region in context, the regions named so
far, the last "X and Y" pair, the last deadline and the document's main sector."""

from __future__ import annotations

from dataclasses import dataclass, field

from pledgegraph.loaders.facts import PartialDate
from pledgegraph.loaders.regions import Gazetteer


@dataclass(slots=True)
class State:
    published: PartialDate | None
    gaz: Gazetteer
    context: str | None = None
    history: list[str] = field(default_factory=list)
    pair: tuple[str, str] | None = None
    last_deadline: PartialDate | None = None
    doc_sector: str | None = None
    section_deadline: PartialDate | None = None  # "Major tasks for 2024": the section's year
    section_open: bool = False
    section_goal: bool = False  # the section's year came from a goal heading ("Main targets")
    unit_name: str | None = (
        None  # the district or zone that speaks, kept as the authority  # under a goal heading that names no year yet
    )
