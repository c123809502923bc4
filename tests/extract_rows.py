"""What the extraction tests compare: one tuple per extracted target, in sheet order."""

from __future__ import annotations

from pledgegraph.loaders.facts import FactSheet

Row = tuple[str, str, object, str | None, str | None]


def rows(sheet: FactSheet, *, year_only: bool = False, authority: bool = False) -> list[Row]:
    """(region, kind, quantity, deadline, description) of every target, in sheet order.

    ``year_only``: the deadline's year rather than the whole date; ``authority``: the pledge's
    authority in place of the target's description. A range is ``(min, max)``."""
    out: list[Row] = []
    for pledge in sheet.pledges:
        for target in pledge.targets:
            q = target.quantity
            value: object = None
            if q is not None:
                value = q.value if q.value is not None else (q.minimum, q.maximum)
            deadline = target.deadline or pledge.deadline
            when = None if not deadline else str(deadline.year) if year_only else str(deadline)
            last = pledge.authority if authority else target.description
            out.append((pledge.region, target.kind, value, when, last))
    return out


def extracted(text: str, published: str | None = None) -> list[Row]:
    """The rows (deadline years) of what ``extract`` finds in ``text``, a page with no address
    (``urn:test``) and, if given, its publication date."""
    from pledgegraph.loaders.extraction import extract
    from pledgegraph.loaders.facts import PartialDate, Source

    source = Source(url="urn:test", published=PartialDate.parse(published) if published else None)
    return rows(extract(text, source=source), year_only=True)


def dated(text: str, published: str | None = None) -> list[tuple[str | None, float]]:
    """(deadline year, confidence) of every target ``extract`` finds in ``text``, in sheet
    order: a year the page only lends (its one firm deadline, no goal frame) comes with a
    confidence below the review threshold of 0.8."""
    from pledgegraph.loaders.extraction import extract
    from pledgegraph.loaders.facts import PartialDate, Source

    source = Source(url="urn:test", published=PartialDate.parse(published) if published else None)
    out: list[tuple[str | None, float]] = []
    for pledge in extract(text, source=source).pledges:
        for target in pledge.targets:
            deadline = target.deadline or pledge.deadline
            out.append((str(deadline.year) if deadline else None, target.confidence))
    return out
