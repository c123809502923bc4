"""Stage 0: what a page says about itself — its source line, publisher, address and date.

Saved pages often start with a line naming where they come from (``Source: <url> — <publisher>
— <licence>``) and carry a date line near the top ("2024-02-04", "Date: 2015-04-10",
"Published 10 February 2026"). When the text only says "the province" or "we", the publisher
("People's Government of Beijing Municipality", "U.S. Department of Energy") or the site's
address (a ``.gov`` host, ``*.beijing.gov.cn``, ``gov.scot``) is the evidence for the region;
the date line resolves "this year" and "by the end of the year" when the source gives no date.

In: the text and the :class:`~pledgegraph.loaders.facts.Source`. Out: a :class:`Page`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlparse

from pledgegraph.loaders.extraction import patterns as rules
from pledgegraph.loaders.extraction.regions import PageNames, acting_units, find_mentions
from pledgegraph.loaders.extraction.units import unit_tokens
from pledgegraph.loaders.facts import PartialDate, Source
from pledgegraph.loaders.regions import Gazetteer

_SOURCE_LINE = re.compile(
    r"\A\s*(?:source|retrieved\s+from|url)\s*:\s*(?P<url>\S+)(?P<rest>[^\n]*)", re.IGNORECASE
)
_TOP = 1500  # characters from the top of the page where a date line may stand
_ISO_DATE = re.compile(
    r"(?<![\d/])(?P<y>(?:19|20)\d{2})-(?P<m>[01]\d)(?:-(?P<d>[0-3]\d))?(?![\d/])"
)
_DAY_MONTH = re.compile(
    rf"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?P<m>{rules.MONTH})\s+(?P<y>(?:19|20)\d{{2}})\b",
    re.IGNORECASE,
)
_MONTH_DAY = re.compile(
    rf"\b(?P<m>{rules.MONTH})\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d{{2}})\b",
    re.IGNORECASE,
)
#: Words before a date that make it a deadline or a period, not the page's date:
#: "By September 30, 2026", "until 31 March 2025", "between 2018-01 and ...".
_DEADLINE_BEFORE = re.compile(
    r"\b(?:by|before|until|till|through|to|from|between|and|after|since|ending|end\s+of|"
    r"no\s+later\s+than|deadline|due|on\s+or\s+before)\s*(?:the\s+)?$",
    re.IGNORECASE,
)
#: Seats of government that stand for their country in a publisher's name.
_SEATS = {
    ("White", "House"): "US",
    ("HM", "Government"): "GB",
    ("HM", "Treasury"): "GB",
    ("Downing", "Street"): "GB",
    ("State", "Council"): "CN",
    # the Australian Capital Territory's government, as a publisher (in a text "an ACT
    # Government" may be New Zealand's ACT party in power; "ACT" alone is a verb)
    ("ACT", "Government"): "AU-ACT",
}
#: Two-letter site names of cities that are not their province's ISO letters ("gz" is
#: Guangzhou's site, while CN-GZ is Guizhou).
_CITY_SITES = {"sz": "CN-GD/shenzhen", "gz": "CN-GD/guangzhou"}
#: Address endings of national government sites.
_HOSTS = (
    (".gov.uk", "GB"),
    (".parliament.uk", "GB"),
    (".gov.scot", "GB-SCT"),
    ("gov.scot", "GB-SCT"),
    (".gov.wales", "GB-WLS"),
    (".gov.cn", "CN"),
    (".europa.eu", "EU"),
    # other national governments' address endings (the bare host, "gov.ie", matches too)
    (".gov.au", "AU"),
    (".govt.nz", "NZ"),
    (".gc.ca", "CA"),
    (".canada.ca", "CA"),
    (".gov.ie", "IE"),
    (".gov.in", "IN"),
    (".nic.in", "IN"),
    (".gov.sg", "SG"),
    (".go.jp", "JP"),
    (".go.kr", "KR"),
    (".gouv.fr", "FR"),
    (".bund.de", "DE"),
    (".gov.za", "ZA"),
    (".gov", "US"),
    (".mil", "US"),
)


@dataclass(frozen=True, slots=True)
class Page:
    """What the page says about itself."""

    region: str | None = None  # from the publisher, else the address
    published: PartialDate | None = None  # the source's date, else the page's date line
    body_start: int = 0  # where the text proper starts (after a source line)
    unit_name: str | None = None  # a district or zone named by the publisher
    evidence: tuple[str, ...] = ()  # the publisher and title, as given
    host_region: str | None = None  # the region the address gives


#: A date in a page's address: "/2016/02/05/", "/2024/3/5/", "t20240204_...", "/20170530-...",
#: "/202402/". A month or day of one digit needs a separator after it ("/2024/5-year-plan" is none).
_URL_DATE = re.compile(
    r"(?<![\d])(?P<y>(?:19|20)\d{2})(?:(?P<sep>[/_-])(?P<m>[01]?\d)(?:(?P=sep)(?P<d>[0-3]?\d))?"
    r"(?=(?P=sep)|[^\w-]|_|$)|(?P<m2>[01]\d)(?P<d2>[0-3]\d)?(?![\d]))"
)


@dataclass(frozen=True, slots=True)
class SourceLine:
    """What a saved page's first line says about it: ``Source: <url> — <publisher> — <licence>``."""

    url: str
    publisher: str | None
    end: int  # where the line ends in the text


def source_line(text: str) -> SourceLine | None:
    """The page's source line, if its first line is one (the development corpus's form)."""
    line = _SOURCE_LINE.match(text)
    if not line:
        return None
    parts = [p.strip() for p in re.split(r"\s[—–]\s|\s-\s", line.group("rest")) if p.strip()]
    return SourceLine(url=line.group("url"), publisher=parts[0] if parts else None, end=line.end())


def url_date(url: str | None) -> PartialDate | None:
    """The publication date an address carries in its path ("/2016/02/05/", "t20240204_1.html",
    "/202402/"), to the precision it gives; ``None`` without one. The host is not read."""
    if not url or "://" not in url:
        return None
    best: PartialDate | None = None
    try:
        path = urlparse(url).path
    except ValueError:  # ("https://[::1/x": an address urllib cannot split carries no date)
        return None
    for match in _URL_DATE.finditer(path):
        year = match.group("y")
        month = match.group("m") or match.group("m2")
        day = match.group("d") or match.group("d2")
        if month is None:
            continue
        try:
            date = PartialDate.parse(
                f"{year}-{int(month):02d}" + (f"-{int(day):02d}" if day else "")
            )
        except ValueError:
            continue
        if best is None or (date.day is not None and best.day is None):
            best = date  # the most precise date: "/202402/t20240204_..." is 2024-02-04
    return best


def read_page(text: str, source: Source, gaz: Gazetteer, names: PageNames | None = None) -> Page:
    """The page's own evidence: region from publisher or address, date, start of the text.

    ``names``: the page's own names (regions.page_names), where the text lets an ambiguous
    name ("the Victorian Government") stand for a region."""
    url = source.url
    publisher = source.publisher
    body_start = 0
    line = source_line(text)
    if line:
        body_start = line.end
        url = line.url
        publisher = publisher or line.publisher
    region = None
    for evidence in (publisher, source.title):
        region = region or _named_region(evidence, gaz, names)
    host_region = _host_region(url, gaz)
    region = region or host_region
    published = (
        source.published or url_date(url) or _date_line(text[body_start : body_start + _TOP])
    )
    units = acting_units(publisher) if publisher else []
    unit_name = units[0][1] if units else None
    return Page(
        region=region,
        published=published,
        body_start=body_start,
        unit_name=unit_name,
        evidence=tuple(e for e in (publisher, source.title) if e),
        host_region=host_region,
    )


def _named_region(text: str | None, gaz: Gazetteer, names: PageNames | None = None) -> str | None:
    if not text:
        return None
    toks = unit_tokens(text, 0, len(text))
    for mention in find_mentions(toks, names):
        if mention.key and mention.key in gaz:
            return mention.key
    words = [t.text for t in toks]
    for i in range(len(words) - 1):
        key = _SEATS.get((words[i], words[i + 1]))
        if key is not None and key in gaz:
            return key
    return None


def _host_region(url: str | None, gaz: Gazetteer) -> str | None:
    try:
        host = (urlparse(url).hostname or "").lower() if url and "://" in url else ""
    except ValueError:  # ("https://[::1/x": no host urllib can read)
        return None
    if not host:
        return None
    # "gov.uk" itself as well as "www.gov.uk": the ending, or the whole host without its dot.
    country = next(
        (key for end, key in _HOSTS if host.endswith(end) or host == end.lstrip(".")), None
    )
    if country is None or country not in gaz:
        return None
    if country == "CN":
        # A provincial or city site: "english.beijing.gov.cn" (a name), "www.zj.gov.cn" (the
        # province's ISO 3166-2 letters), "www.sz.gov.cn" (a city's customary letters).
        for label in host.split(".")[:-2]:
            if label in _CITY_SITES and _CITY_SITES[label] in gaz:
                return _CITY_SITES[label]
            if len(label) == 2 and f"CN-{label.upper()}" in gaz:
                return f"CN-{label.upper()}"
            found = gaz.resolve(label)
            if found is not None and found.key.startswith("CN-") and len(label) > 3:
                return found.key
    return country


def _date_line(top: str) -> PartialDate | None:
    best: tuple[int, PartialDate] | None = None
    for pattern in (_ISO_DATE, _DAY_MONTH, _MONTH_DAY):
        match = next(
            (
                m
                for m in pattern.finditer(top)
                if not _DEADLINE_BEFORE.search(top[max(0, m.start() - 40) : m.start()])
            ),
            None,
        )
        if match is None:
            continue
        year = int(match.group("y"))
        month_text = match.group("m")
        month = int(month_text) if month_text.isdigit() else _month(month_text)
        day_text = match.group("d")
        if month is None:
            continue
        text = f"{year:04d}-{month:02d}" + (f"-{int(day_text):02d}" if day_text else "")
        try:
            date = PartialDate.parse(text)
        except ValueError:
            continue
        if best is None or match.start() < best[0]:
            best = (match.start(), date)
    return best[1] if best else None


def _month(text: str) -> int | None:
    months = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    key = text.lower()[:3]
    return months.index(key) + 1 if key in months else None
