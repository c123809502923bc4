"""A city's pledge written under its province's code (as `extract` writes it) is filed under the
city, so the city's questions find it and its province's and country's still count it."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from conftest import Invoke

from pledgegraph.loaders.regions import gazetteer

SHEET = """\
source:
  url: https://example.org/city-goals
  title: Three cities and a province set goals
  published: 2024-03-05
pledges:
  - region: CN-SC
    authority: {authority}
    deadline: 2026
    targets:
      - kind: parks
        quantity: 12
  - region: CN-SC
    authority: Sichuan Provincial Government
    deadline: 2026
    targets:
      - kind: firms
        quantity: 40
"""

# Written for this test (not from any source): a city acts, named as cities are in the news.
ARTICLE = """\
Two western cities publish technology goals
Published 2024-03-05

The municipal government of Chengdu said on Tuesday that the city will build 12 new
artificial intelligence industrial parks by 2026.
"""


def _rows(cli: Invoke, *args: str) -> list[dict[str, str]]:
    result = cli("query", *args, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


@pytest.mark.parametrize(
    "authority",
    ["Chengdu", "Chengdu Municipal Government", "the government of Chengdu", "成都市人民政府"],
)
def test_a_pledge_named_after_a_city_is_the_citys(
    cli: Invoke, tmp_path: Path, authority: str
) -> None:
    sheet = tmp_path / "cities.pledges.yaml"
    sheet.write_text(SHEET.format(authority=authority), encoding="utf-8")
    (before,) = _rows(cli, "pledges-by-country")  # the bundled dataset's
    assert cli("load", str(sheet)).exit_code == 0

    city = _rows(cli, "region-pledges", "--param", "region=Chengdu")
    assert [(r["region"], r["kind"], r["quantity"]) for r in city] == [
        ("CN-SC/chengdu", "parks", "12")
    ]
    assert city[0]["authority"] == authority
    # the province's own pledge stays the province's, and the province still counts the city's
    province = _rows(cli, "region-pledges", "--param", "region=CN-SC")
    assert sorted((r["region"], r["kind"]) for r in province) == [
        ("CN-SC", "firms"),
        ("CN-SC/chengdu", "parks"),
    ]
    (country,) = _rows(cli, "pledges-by-country")
    assert country["country"] == "CN"
    assert int(country["pledges"]) - int(before["pledges"]) == 2
    assert int(country["targets"]) - int(before["targets"]) == 2


def test_extracted_city_pledges_answer_the_citys_question(cli: Invoke, tmp_path: Path) -> None:
    article = tmp_path / "chengdu.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    extracted = cli("extract", str(article))
    assert extracted.exit_code == 0, extracted.stderr
    assert "region: CN-SC\n" in extracted.stdout  # the province's code, as scorers match it
    sheet = tmp_path / "chengdu.pledges.yaml"
    sheet.write_text(extracted.stdout, encoding="utf-8")
    assert cli("load", str(sheet)).exit_code == 0
    rows = _rows(cli, "region-pledges", "--param", "region=成都")
    assert [(r["region"], r["kind"], r["quantity"]) for r in rows] == [
        ("CN-SC/chengdu", "parks", "12")
    ]


def test_extract_load_files_them_as_load_does(cli: Invoke, tmp_path: Path) -> None:
    """A new user's trial: 'extract --load' left a city's pledges under the province (only the
    parser filed them), so the same article answered otherwise by the route it took."""
    article = tmp_path / "chengdu.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    loaded = cli("extract", str(article), "--url", "https://example.org/chengdu", "--load")
    assert loaded.exit_code == 0, loaded.stderr
    rows = _rows(cli, "region-pledges", "--param", "region=Chengdu")
    assert [(r["region"], r["kind"], r["quantity"]) for r in rows] == [
        ("CN-SC/chengdu", "parks", "12")
    ]
    assert cli("validate").exit_code == 0


@pytest.mark.parametrize(
    ("region", "authority", "expected"),
    [
        ("CN", "Shenzhen Municipal People's Government", "CN-GD/shenzhen"),
        ("CN-SC", "People's Government of Chengdu Municipality", "CN-SC/chengdu"),
        ("CN-SC", "Chengdu's government", "CN-SC/chengdu"),
        ("CN-SC", "成都市", "CN-SC/chengdu"),
        ("CN-SN", "Xi'an", "CN-SN/xian"),
        # an outside attack: a name that merely began with a place's was filed under it
        ("CN-SC", "Chengdu Railway Bureau", None),
        ("CN-SC", "成都铁路局", None),
        ("CN", "Shanghai Cooperation Organisation", None),
        ("CN", "Shenzhen Stock Exchange", None),
        ("CN", "南京路步行街", None),
        ("CN-SC", "Chengdu and Chongqing governments", None),
        ("US", "Washington", None),  # only the bundled table's cities
        ("US", "California Energy Commission", None),
        ("GB", "Wales Office", None),
        ("CN", "Jilin City Government", None),  # a province's name, not a city's
        # a second attack: the province in front, an area's committee, other apostrophes, and
        # words that are not of government
        ("CN-SC", "四川省成都市人民政府", "CN-SC/chengdu"),
        ("CN-SC", "Sichuan Chengdu Municipal Government", "CN-SC/chengdu"),
        ("CN", "雄安新区管理委员会", "CN-HE/xiongan"),
        ("CN", "Xiongan New Area Administrative Committee", "CN-HE/xiongan"),
        ("CN-SN", "Xi\u2018an Municipal Government", "CN-SN/xian"),
        ("CN-SC", "Chengdu Province", None),
        ("CN-SC", "Chengdu Autonomous Region", None),
        ("CN-SC", "Chengdu People", None),
        ("CN-SC", "C h e n g d u", None),
        ("CN-SN", "Xianyang Government", None),  # a longer word, not Xi'an
        ("CN-HE", "Hebei Provincial Government", None),  # the region itself
        ("CN-GD", "Chengdu Municipal Government", None),  # not inside Guangdong
        ("CN-SC/chengdu", "Chengdu", None),  # already the city
        ("US", "Department of Energy", None),
    ],
)
def test_which_authority_names_a_region_inside(
    region: str, authority: str, expected: str | None
) -> None:
    found = gazetteer().named_inside(region, authority)
    assert (found.key if found else None) == expected


# --- the quote: evidence for a sheet loaded without its article ----------------------------------


def test_a_reviewed_sheet_keeps_its_evidence(cli: Invoke, tmp_path: Path) -> None:
    """A new user's trial: 'extract -o' then 'load' (the README's review route) lost the quoted
    words that 'extract --load' keeps; the sheet now carries each target's quote."""
    article = tmp_path / "chengdu.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    sheet = tmp_path / "chengdu.pledges.yaml"
    assert cli("extract", str(article), "-o", str(sheet)).exit_code == 0
    written = sheet.read_text(encoding="utf-8")
    assert "quote: build 12 new\n" not in written  # (one line, whatever the text's breaks)
    assert cli("load", str(sheet)).exit_code == 0
    (row,) = _rows(cli, "provenance", "--param", "region=Chengdu")
    start, end = int(row["start"]), int(row["end"])
    assert row["quote"] == ARTICLE[start:end]
    assert row["quote"].startswith("build 12 new") and row["quote"].endswith("by 2026")
    assert cli("validate").exit_code == 0


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (
            "span: [0, 5]\n        quote: four words here",
            "13: the quote has 15 characters but span [0, 5] covers 5; give the span of "
            "exactly the quoted words, or remove the quote (YAML drops the spaces around words "
            "not in quotes)",
        ),
        (
            "span: [0, 4]\n        quote: 1.50",
            '13: the quote 1.5 is not text; write it in quotes, as extract does: quote: "1.50"',
        ),
        (
            "quote: no span",
            "12: a quote without a span; add span: [start, end] of the quoted words",
        ),
    ],
)
def test_a_quote_must_fit_its_span(cli: Invoke, tmp_path: Path, target: str, message: str) -> None:
    sheet = tmp_path / "bad.pledges.yaml"
    sheet.write_text(
        SHEET.format(authority="Chengdu").replace(
            "        quantity: 12\n", f"        quantity: 12\n        {target}\n", 1
        ),
        encoding="utf-8",
    )
    result = cli("load", str(sheet))
    assert result.exit_code == 2
    assert result.stderr == f"Error: {sheet}:{message}\n"
    assert _rows(cli, "region-pledges", "--param", "region=Chengdu") == []


def test_a_citys_authority_under_another_province_is_warned_of(cli: Invoke, tmp_path: Path) -> None:
    """A new user's trial: region CN-GD with the authority "Ningbo Municipal Government"
    loaded silently, and Guangdong's questions listed Ningbo's targets."""
    sheet = tmp_path / "wrong.pledges.yaml"
    sheet.write_text(
        SHEET.format(authority="Ningbo Municipal Government").replace("CN-SC", "CN-GD", 1),
        encoding="utf-8",
    )
    warning = (
        f"Warning: {sheet}:6: the authority 'Ningbo Municipal Government' is Ningbo's "
        "(CN-ZJ/ningbo), which lies outside Guangdong (CN-GD): the pledge is filed under "
        "Guangdong; if it is Ningbo's own, write region: CN-ZJ/ningbo\n"
    )
    checked = cli("validate", "--format", "json", str(sheet))
    assert checked.exit_code == 0  # (a city may pledge elsewhere: a warning, not an error)
    assert [p["rule"] for p in json.loads(checked.stdout)["problems"]] == [
        "authority-of-a-city-elsewhere"
    ]
    loaded = cli("load", str(sheet))
    assert loaded.exit_code == 0 and loaded.stderr.startswith(warning), loaded.stderr
    # a batch of sheets (validated together) says the same
    other = tmp_path / "other.pledges.yaml"
    other.write_text(SHEET.format(authority="Chengdu").replace("city-goals", "more"), "utf-8")
    again = cli("load", "--replace", str(sheet), str(other))
    assert again.exit_code == 0 and warning in again.stderr, again.stderr


def test_the_readmes_per_region_count_counts_cities(cli: Invoke, tmp_path: Path) -> None:
    """A new user's trial: the README's ad-hoc SPARQL grouped by pledge:isoCode and so left out
    every city's targets (cities have no ISO code); it groups by the region's name now."""
    from tests.test_answers import PER_REGION

    sheet = tmp_path / "cities.pledges.yaml"
    sheet.write_text(SHEET.format(authority="Chengdu"), encoding="utf-8")
    assert cli("load", str(sheet)).exit_code == 0
    counted = cli("sparql", PER_REGION, "-f", "csv")
    assert counted.exit_code == 0, counted.stderr
    assert {"Chengdu,1", "Sichuan,1", "Hebei,11"} <= set(counted.stdout.splitlines())
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert " ".join(PER_REGION.split()) in readme


def test_search_looks_in_the_words_quoted_as_evidence(cli: Invoke, tmp_path: Path) -> None:
    """A new user's trial: "apprenticeships" was only in the evidence, and search found
    nothing (the extractor writes a description for kind other only)."""
    article = tmp_path / "skills.txt"
    article.write_text(
        "Skills plan for Wales\nPublished 2024-05-02\n\n"
        "The Welsh Government said it will create 12,000 apprenticeships by 2028.\n",
        encoding="utf-8",
    )
    sheet = tmp_path / "skills.pledges.yaml"
    assert (
        cli("extract", str(article), "--url", "https://example.org/s", "-o", str(sheet)).exit_code
        == 0
    )
    assert cli("load", str(sheet)).exit_code == 0
    found = _rows(cli, "search", "--param", "text=apprenticeships")
    assert [(r["region"], r["kind"], r["quantity"]) for r in found] == [
        ("GB-WLS", "talent", "12000")
    ]
    check = cli("reindex", "--check")
    assert check.exit_code == 0, check.stdout + check.stderr


def test_a_quote_a_sheet_cannot_hold_is_left_out(cli: Invoke, tmp_path: Path) -> None:
    """An attack: a form feed inside the quoted words made 'extract -o' write a sheet that
    'load' refused (a text field holds no control character); the quote is left out."""
    article = tmp_path / "ff.txt"
    article.write_text("Chengdu will build 12 data\x0ccentres by 2026.\n", encoding="utf-8")
    sheet = tmp_path / "ff.pledges.yaml"
    assert (
        cli("extract", str(article), "--url", "https://example.org/ff", "-o", str(sheet)).exit_code
        == 0
    )
    assert "span:" in sheet.read_text(encoding="utf-8")
    loaded = cli("load", str(sheet))
    assert loaded.exit_code == 0, loaded.stderr


UK_SHEET = """\
source:
  url: https://example.org/uk-nations
  title: Goals of the United Kingdom and two of its nations
pledges:
  - region: GB-ENG
    deadline: 2030
    targets:
      - kind: parks
        quantity: 3
  - region: GB-SCT
    deadline: 2030
    targets:
      - kind: firms
        quantity: 4
  - region: GB
    deadline: 2030
    targets:
      - kind: funds
        quantity: 1
"""


def test_a_country_inside_a_country_is_counted_in_it_once(cli: Invoke, tmp_path: Path) -> None:
    """A new user's trial (and left open before): England and Scotland, countries of the
    United Kingdom in ISO 3166-2, were listed by pledges-by-country beside GB with their
    pledges counted twice, once under each; the column added up to more pledges than loaded."""
    sheet = tmp_path / "uk.pledges.yaml"
    sheet.write_text(UK_SHEET, encoding="utf-8")
    assert cli("load", str(sheet)).exit_code == 0
    for inferred in ([], ["--no-inferred"]):
        rows = {r["country"]: r for r in _rows(cli, "pledges-by-country", *inferred)}
        assert sorted(rows) == ["CN", "GB"]
        assert (rows["GB"]["pledges"], rows["GB"]["targets"]) == ("3", "3")
    assert cli("reason").exit_code == 0
    rows = {r["country"]: r for r in _rows(cli, "pledges-by-country")}
    assert sorted(rows) == ["CN", "GB"] and rows["GB"]["pledges"] == "3"


LONDON_SHEET = """\
source:
  url: https://example.org/london-goals
  title: Goals of London and two of its parts
pledges:
  - region: {london}
    deadline: 2030
    targets:
      - kind: parks
        quantity: 2
  - region: City of London
    deadline: 2030
    targets:
      - kind: firms
        quantity: 5
  - region: Camden
    deadline: 2030
    targets:
      - kind: funds
        quantity: 1
"""


@pytest.mark.parametrize("london", ["London", "Greater London", "伦敦"])
def test_london_is_greater_london_with_its_boroughs_and_the_city(
    cli: Invoke, tmp_path: Path, london: str
) -> None:
    """A new user's trial: 'region: London' was filed silently under GB-LND, the City of
    London (the Square Mile, ISO 3166-2's only London code). London is now a city of the
    table (GB-ENG/london) holding the City and the 32 boroughs, which ISO places in England."""
    sheet = tmp_path / "london.pledges.yaml"
    sheet.write_text(LONDON_SHEET.format(london=london), encoding="utf-8")
    assert cli("load", str(sheet)).exit_code == 0
    rows = _rows(cli, "region-pledges", "--param", "region=London")
    assert sorted((r["region"], r["kind"]) for r in rows) == [
        ("GB-CMD", "funds"),
        ("GB-ENG/london", "parks"),
        ("GB-LND", "firms"),
    ]
    (city,) = _rows(cli, "region-pledges", "--param", "region=City of London")
    assert (city["region"], city["kind"]) == ("GB-LND", "firms")
    countries = {r["country"]: r["pledges"] for r in _rows(cli, "pledges-by-country")}
    assert countries["GB"] == "3"


@pytest.mark.parametrize(
    ("authority", "region"),
    [
        ("City of London", "GB-LND"),  # (was filed under Greater London: "London" once the
        ("the City of London Corporation", "GB-LND"),  # words of government were taken off)
        ("City of London government", "GB-LND"),
        ("Government of the City of London", "GB-LND"),
        ("Mayor of London", "GB"),
        ("London", "GB-ENG/london"),
        ("Greater London Authority", "GB"),
        ("Сity of London", "GB"),  # (a Cyrillic С: no name pledgegraph knows)
    ],
)
def test_an_authority_named_after_a_place_inside_the_region_files_the_pledge_there(
    cli: Invoke, tmp_path: Path, authority: str, region: str
) -> None:
    """An attack: a pledge of region GB whose authority was 'City of London' was filed under
    Greater London (GB-ENG/london), since without its words of government the name read
    'London'. The whole name names the City, a region of its own (GB-LND)."""
    sheet = tmp_path / "col.pledges.yaml"
    sheet.write_text(
        "source:\n  url: https://example.org/col\npledges:\n  - region: GB\n"
        f"    authority: {authority}\n    deadline: 2030\n    targets:\n"
        "      - kind: parks\n        quantity: 3\n",
        encoding="utf-8",
    )
    assert cli("load", str(sheet)).exit_code == 0
    rows = _rows(cli, "region-pledges", "--param", "region=GB")
    assert [r["region"] for r in rows if r["kind"] == "parks"] == [region]


@pytest.mark.parametrize(
    ("region", "authority", "filed"),
    [
        ("GB-ENG/london", "City of London", "GB-LND"),  # (stayed in Greater London; an attack)
        ("CN", "Beijing Municipal Government", "CN-BJ"),
        ("CN", "Guangdong Provincial Government", "CN-GD"),
        ("CN-GD", "Guangdong Provincial Government", "CN-GD"),  # (its own name: stays)
        ("CN-HE", "Hebei provincial government", "CN-HE"),
        ("CN", "Shenzhen", "CN-GD/shenzhen"),
        ("CN", "Beijing", "CN"),  # (a bare name may stand for the national government)
        ("US", "Washington", "US"),
        ("US", "Washington government", "US"),  # (the federal government, as often as not)
        ("US", "the Washington administration", "US"),
    ],
)
def test_an_authority_named_after_a_region_inside_is_filed_there(
    region: str, authority: str, filed: str
) -> None:
    from pledgegraph.loaders.facts import Pledge, Target
    from pledgegraph.loaders.factsheet import filed_by_authority

    pledge = Pledge(region=region, authority=authority, targets=(Target(kind="parks"),))
    assert filed_by_authority(pledge).region == filed
