"""Fact sheets: the bundled sheet, the JSON Schema, round trips and every kind of bad input."""

from __future__ import annotations

import json
from importlib.resources import files

import jsonschema
import pytest
import yaml

from pledgegraph.errors import FactSheetError
from pledgegraph.loaders.bundled import bundled_factsheets
from pledgegraph.loaders.facts import PartialDate, Quantity
from pledgegraph.loaders.factsheet import dump_factsheet, factsheet_to_dict, parse_factsheet

SHEET = """\
source:
  url: https://example.org/news/1
pledges:
  - region: {region}
    deadline: {deadline}
    targets:
      - kind: {kind}
        quantity: {quantity}
"""


def sheet(
    region: str = "CN-HE", deadline: str = "2022", kind: str = "parks", quantity: str = "3"
) -> str:
    return SHEET.format(region=region, deadline=deadline, kind=kind, quantity=quantity)


def schema() -> dict[str, object]:
    text = (files("pledgegraph.loaders") / "data" / "factsheet.schema.json").read_text("utf-8")
    value: dict[str, object] = json.loads(text)
    return value


def test_bundled_sheet_holds_every_fact_of_the_seed_article() -> None:
    (seed,) = bundled_factsheets()
    by_region: dict[str, list[tuple[str, object, bool, str | None]]] = {}
    for pledge in seed.pledges:
        for target in pledge.targets:
            q = target.quantity
            amount = (
                None if q is None else (q.value if q.value is not None else (q.minimum, q.maximum))
            )
            deadline = target.deadline or pledge.deadline
            by_region.setdefault(pledge.region, []).append(
                (
                    target.kind,
                    amount,
                    bool(q and q.approximate),
                    str(deadline) if deadline else None,
                )
            )
    assert by_region["CN-HE"][:4] == [
        ("firms", 20, False, "2022"),
        ("applications", None, False, "2022"),
        ("brands", (1, 3), False, "2022"),
        ("parks", 3, False, "2022"),
    ]
    assert sorted(k for k, *_ in by_region["CN-HE"][4:]) == [
        "alliances",
        "other",
        "other",
        "other",
        "other",
        "other",
        "platforms",
    ]
    assert by_region["CN-GZ"] == [("firms", 100, True, "2022")]
    assert by_region["CN-HN"] == [("parks", 5, False, "2022")]
    assert by_region["CN-BJ"] == [("talent", 1, False, "2022"), ("funds", 1, False, "2022")]
    assert seed.source.reported_via == "Shanghai Securities News"


def test_bundled_spans_point_at_the_seed_article(seed_text: str) -> None:
    import hashlib

    (seed,) = bundled_factsheets()
    assert seed.source.text_sha256 == hashlib.sha256(seed_text.encode("utf-8")).hexdigest()
    spans = [t.span for p in seed.pledges for t in p.targets]
    assert all(s is not None and 0 <= s[0] < s[1] <= len(seed_text) for s in spans)
    quoted = {
        t.kind: seed_text[t.span[0] : t.span[1]] for p in seed.pledges for t in p.targets if t.span
    }
    assert (
        "parks" in quoted["parks"]
        and "fund" in quoted["funds"]
        and "alliance" in quoted["alliances"]
    )


def test_bundled_sheet_matches_the_json_schema() -> None:
    text = (files("pledgegraph.loaders") / "data" / "seed.pledges.yaml").read_text("utf-8")
    jsonschema.validate(yaml.safe_load(text), schema())


def test_json_schema_rejects_what_the_reader_rejects() -> None:
    bad = yaml.safe_load(sheet(kind="factories"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema())


def test_dump_and_parse_round_trip() -> None:
    (seed,) = bundled_factsheets()
    text = dump_factsheet(seed)
    again = parse_factsheet(text, path="again.yaml")
    assert factsheet_to_dict(again) == factsheet_to_dict(seed)
    jsonschema.validate(yaml.safe_load(text), schema())


def test_region_names_resolve_to_codes() -> None:
    parsed = parse_factsheet(sheet(region="Hebei Province"))
    assert parsed.pledges[0].region == "CN-HE"
    assert parse_factsheet(sheet(region="河北")).pledges[0].region == "CN-HE"
    assert parse_factsheet(sheet(region="Ningbo")).pledges[0].region == "CN-ZJ/ningbo"
    assert parse_factsheet(sheet(region="DE")).pledges[0].region == "DE"


def test_quantities_and_dates() -> None:
    parsed = parse_factsheet(sheet(quantity="[1, 3]", deadline="2022-06"))
    target = parsed.pledges[0].targets[0]
    assert target.quantity == Quantity(minimum=1, maximum=3)
    assert parsed.pledges[0].deadline == PartialDate(2022, 6)
    assert PartialDate(2022, 6).end().isoformat() == "2022-06-30"
    assert Quantity(value=100, approximate=True).label == "~100"
    assert Quantity(value=10, bound="min").label == "≥ 10"
    assert Quantity(minimum=1, maximum=3).label == "1–3"


def test_malformed_yaml_names_the_line() -> None:
    with pytest.raises(FactSheetError) as caught:
        parse_factsheet("source: [\n", path="x.yaml")
    # libyaml and the pure-Python parser word the problem differently
    assert caught.value.message.startswith("x.yaml:1: malformed YAML: ")
    assert caught.value.message.endswith("node content; fix the YAML syntax")
    assert "\n" not in caught.value.message


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("source:\n  key: x\n  title: Plan: the next step\n", "must be quoted"),
        ("source:\n\tkey: x\n", "indent with spaces"),
        ('source:\n  key: x\n  title: "unclosed\n', "is not closed"),
    ],
)
def test_malformed_yaml_names_the_likely_cause(text: str, hint: str) -> None:
    """The usual slips (an unquoted ': ' in a value, a tab, a quote left open) get a hint
    that says what to change, not only "fix the YAML syntax"."""
    with pytest.raises(FactSheetError) as caught:
        parse_factsheet(text, path="x.yaml")
    assert caught.value.message.startswith("x.yaml:")
    assert hint in caught.value.message.split("; ", 1)[1]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "x.yaml:1: the fact sheet is empty; give a source: and pledges:"),
        ("pledges: []\n", "x.yaml:1: missing source:; add a source with at least url:"),
        (
            sheet() + "        colour: red\n",
            "x.yaml:9: unknown field 'colour' in a target; allowed fields are approximate, bound, "
            "confidence, deadline, description, kind, qualifier, quantity, quote, sector, span",
        ),
        (
            sheet(region="Hebie"),
            "x.yaml:4: unknown region 'Hebie'; did you mean Hebei? (a place the gazetteer does not "
            "know can be described in an RDF file: README, 'A place the gazetteer does not know')",
        ),
        (
            sheet(kind="factories"),
            "x.yaml:7: unknown kind 'factories'; use one of firms, parks, brands, applications, funds, "
            "talent, alliances, research_centres, platforms, standards, other",
        ),
        (  # a kind's label: the notation it is (a new user's trial)
            sheet(kind="Industrial Park"),
            "x.yaml:7: unknown kind 'Industrial Park'; did you mean parks? use one of firms, "
            "parks, brands, applications, funds, talent, alliances, research_centres, platforms, "
            "standards, other",
        ),
        (
            sheet(kind="prks"),
            "x.yaml:7: unknown kind 'prks'; did you mean parks? use one of firms, "
            "parks, brands, applications, funds, talent, alliances, research_centres, platforms, "
            "standards, other",
        ),
        (
            sheet(quantity="many"),
            "x.yaml:8: quantity 'many' is not a whole number; write a number (20), a range ([1, 3]) or null when unspecified",
        ),
        (
            sheet(quantity="2.5"),
            "x.yaml:8: quantity 2.5 is not a whole number; write a number (20), a range ([1, 3]) or null when unspecified",
        ),
        (
            sheet(quantity="[3, 1]"),
            "x.yaml:8: bad quantity: the range [3, 1] is not well ordered (min > max); write a range as [min, max] with min <= max",
        ),
        (
            sheet(quantity="[1, 2, 3]"),
            "x.yaml:8: quantity range [1, 2, 3] is not [min, max] of two whole numbers; write quantity: [1, 3]",
        ),
        (
            sheet(quantity="-3"),
            "x.yaml:8: bad quantity: -3 is negative; quantities count things; write a count of 0 or more",
        ),
        (
            sheet(quantity="9" * 5000),
            "x.yaml:8: quantity has 5000 digits, more than the 15 a count may have; "
            "check the number (money and output values are not targets)",
        ),
        (
            sheet(quantity="[1, 10000000000000000]"),
            "x.yaml:8: quantity has 17 digits, more than the 15 a count may have; "
            "check the number (money and output values are not targets)",
        ),
        (
            sheet(deadline="2022-13"),
            "x.yaml:5: bad deadline: '2022-13' has no month 13; use YYYY, YYYY-MM or YYYY-MM-DD",
        ),
        (
            sheet(deadline="2022-02-30"),
            "x.yaml:5: bad deadline: '2022-02-30' has no day 30: that month has 28 days; use YYYY, YYYY-MM or YYYY-MM-DD",
        ),
        (
            sheet(deadline="next year"),
            "x.yaml:5: bad deadline: 'next year' is not a date; use YYYY, YYYY-MM or YYYY-MM-DD",
        ),
        (
            'source:\n  url: "https://example.org/nul\\0x"\n',
            "x.yaml:2: url 'https://example.org/nul\\x00x' holds characters an IRI cannot; "
            "percent-encode spaces and brackets",
        ),
        (
            "source:\n  url: not a url\n",
            "x.yaml:2: url 'not a url' is not an absolute address; write the full address, e.g. https://example.org/news/1",
        ),
        (
            "source:\n  url: https://e.org/1\npledges:\n  - region: CN-HE\n",
            "x.yaml:4: a pledge has no targets; list at least one target under targets:",
        ),
    ],
)
def test_bad_input_gets_one_clear_line(text: str, message: str) -> None:
    with pytest.raises(FactSheetError) as caught:
        parse_factsheet(text, path="x.yaml")
    assert caught.value.message == message


@pytest.mark.parametrize(
    ("written", "kind"), [("Parks", "parks"), ("Research Centres", "research_centres")]
)
def test_a_kind_in_another_case_or_with_spaces_is_the_kind(written: str, kind: str) -> None:
    """As the questions' parameters take them (a new user's trial: 'sector: AI' was refused
    by a sheet though 'query ... -p sector=AI' worked)."""
    text = (
        "source:\n  url: https://example.org/k\n  title: K\npledges:\n  - region: Hebei\n"
        f"    sector: AI\n    targets:\n      - kind: {written}\n        quantity: 2\n"
    )
    sheet = parse_factsheet(text)
    assert sheet.pledges[0].sector == "ai"
    assert sheet.pledges[0].targets[0].kind == kind
