"""The fact model: what a fact sheet says, checked and typed, before it becomes RDF.

Fact sheets (``*.pledges.yaml``), the article extractor and the RDF writer all speak this model.
Values here are already validated: a region is a known ISO code, a kind a known notation, a
quantity well ordered, a date a real date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field, fields
from typing import Literal

BoundKind = Literal["min", "max"]

_PARTIAL_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")

#: The most digits a whole number in a fact sheet may have: a count of firms or parks has far
#: fewer, and Python refuses to convert strings of more than 4,300 digits anyway. The fact-sheet
#: reader refuses more; the extractor never writes more (it drops such a number).
MAX_DIGITS = 15
#: The years a date may have (four digits, as ``YYYY``; there is no year 0).
MIN_YEAR, MAX_YEAR = 1, 9999
#: The longest text a fact-sheet field (title, publisher, names, plan, description, notes…)
#: may hold, in characters: a headline or a plan's name is a few hundred at most.
MAX_TEXT = 10_000


_COUNT_LIMIT: int = 10**MAX_DIGITS


def count_fits(value: int) -> bool:
    """Whether a whole number has at most :data:`MAX_DIGITS` digits."""
    return abs(value) < _COUNT_LIMIT


@dataclass(frozen=True, slots=True, order=True)
class PartialDate:
    """A date known to the year, the month or the day: ``2022``, ``2022-08``, ``2022-08-20``."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise ``ValueError`` otherwise."""
        match = _PARTIAL_DATE.match(text.strip())
        if not match:
            raise ValueError(f"{text!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = (int(g) if g else None for g in match.groups())
        assert year is not None
        if year < MIN_YEAR:
            raise ValueError(f"{text!r} is year 0; years run from 0001 to 9999")
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"{text!r} has no month {month}")
        if day is not None:
            assert month is not None
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:  # (2022-02-30: datetime's message did not echo the value)
                raise ValueError(f"{text!r} has no day {day}: that month has {last} days")
        return cls(year, month, day)

    def end(self) -> dt.date:
        """The last day of the period: ``by 2022`` means by 2022-12-31."""
        if self.month is None:
            return dt.date(self.year, 12, 31)
        if self.day is None:
            return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return dt.date(self.year, self.month, self.day)

    @property
    def precision(self) -> Literal["year", "month", "day"]:
        if self.month is None:
            return "year"
        return "month" if self.day is None else "day"

    def __str__(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


@dataclass(frozen=True, slots=True)
class Quantity:
    """How many: an exact value, or a range ``minimum``..``maximum``, maybe approximate or bounded.

    ``bound="min"`` reads "at least / more than value", ``bound="max"`` reads "up to value".
    """

    value: int | None = None
    minimum: int | None = None
    maximum: int | None = None
    approximate: bool = False
    bound: BoundKind | None = None

    def __post_init__(self) -> None:
        exact = self.value is not None
        ranged = self.minimum is not None or self.maximum is not None
        if exact == ranged:
            raise ValueError("give either a value or a range [min, max]")
        if ranged:
            if self.minimum is None or self.maximum is None:
                raise ValueError("a range needs both a minimum and a maximum")
            if self.minimum > self.maximum:
                raise ValueError(
                    f"the range [{self.minimum}, {self.maximum}] is not well ordered (min > max)"
                )
            if self.bound is not None:
                raise ValueError("a range cannot also have a bound")
        for number in (self.value, self.minimum, self.maximum):
            if number is not None and number < 0:
                raise ValueError(f"{number} is negative; quantities count things")

    @property
    def label(self) -> str:
        """A human form: ``20``, ``1–3``, ``~100``, ``≥ 10``, ``≤ 20000``."""
        text = f"{self.minimum}–{self.maximum}" if self.value is None else str(self.value)
        if self.bound == "min":
            text = f"≥ {text}"
        elif self.bound == "max":
            text = f"≤ {text}"
        if self.approximate:
            text = f"~{text}"
        return text


@dataclass(frozen=True, slots=True)
class Target:
    """One thing pledged: so many of a kind (firms, parks ...), maybe by its own deadline."""

    kind: str
    quantity: Quantity | None = None
    qualifier: str | None = None
    description: str | None = None
    sector: str | None = None
    deadline: PartialDate | None = None
    span: tuple[int, int] | None = None
    confidence: float | None = None
    line: int | None = None
    # the text of the span, as the extractor read it: the evidence for a sheet loaded without
    # its article
    quote: str | None = None


@dataclass(frozen=True, slots=True)
class Pledge:
    """A commitment by an authority for a region, with its targets."""

    region: str  # ISO 3166-2 or ISO 3166-1 alpha-2 code, already resolved
    targets: tuple[Target, ...]
    authority: str | None = None
    plan: str | None = None
    description: str | None = None
    announced: PartialDate | None = None
    deadline: PartialDate | None = None
    sector: str | None = None
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Source:
    """Where the pledges were reported: a news article, one per fact sheet."""

    url: str
    title: str | None = None
    publisher: str | None = None
    published: PartialDate | None = None
    reported_via: str | None = None
    text_sha256: str | None = None
    key: str | None = None  # stable key of the source's graph; default: sha256(url)[:12]


@dataclass(frozen=True, slots=True)
class FactSheet:
    """One source and what it reports."""

    source: Source
    pledges: tuple[Pledge, ...] = field(default_factory=tuple)
    path: str | None = None  # where it was read from, for messages


def _quick_pickling(cls: type) -> None:
    """Pickle ``cls`` (a dataclass with slots) by its fields' values in order, without the
    field lookup dataclasses' own ``__setstate__`` makes per object: a parallel load hands every
    fact sheet from its worker to the main process (100k triples: 0.07 s to unpickle, 0.02 s
    this way)."""
    names = tuple(f.name for f in fields(cls))

    def getstate(self: object) -> tuple[object, ...]:
        return tuple([getattr(self, name) for name in names])

    def setstate(self: object, state: tuple[object, ...]) -> None:
        for name, value in zip(names, state, strict=True):
            object.__setattr__(self, name, value)

    setattr(cls, "__getstate__", getstate)  # noqa: B010 (a method on a made class)
    setattr(cls, "__setstate__", setstate)  # noqa: B010


for _cls in (PartialDate, Quantity, Target, Pledge, Source, FactSheet):
    _quick_pickling(_cls)
