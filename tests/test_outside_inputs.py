"""An outside attacker's inputs: one-line RDF files that gave wrong answers, control characters
in fact sheets that broke XML results, and YAML tags whose error named the wrong line.

1. A one-line file giving the bundled source a second ``schema:headline``, or Hebei a second
   English ``rdfs:label``, passed validation, and then ``query sources`` listed the source twice
   and ``region-pledges`` gave every row twice. The shapes now say which properties the stored
   questions read as single (sh:maxCount 1, sh:uniqueLang): such a file is refused by ``load``
   (validated with what the store says about the nodes it names), reported by ``validate``, and
   both SHACL engines find it (tests/test_shacl_differential.py runs :data:`DOUBLED` too).
2. ``authority: "\\u0007bell"`` loaded, and ``query authorities -f xml`` was not well-formed.
3. ``authority: !foo bar`` on line 6 was reported on line 1 with PyYAML's own multi-line text.

Real stores (in tmp_path or in memory), the CLI in process.
"""

from __future__ import annotations

import xml.dom.minidom
from pathlib import Path

import pytest

from pledgegraph.errors import FactSheetError, InputError
from pledgegraph.graph.store import Store
from pledgegraph.graph.validation.checks import validate_rdf_file, validate_store
from pledgegraph.loaders.factsheet import parse_factsheet
from tests.conftest import Invoke

ID = "https://w3id.org/pledgegraph/id/"
SOURCE = f"<{ID}source/cryptonews-7376>"
HEADLINE = f'{SOURCE} <https://schema.org/headline> "Evil headline" .\n'
ATLANTIS = f'<{ID}region/CN-HE> <http://www.w3.org/2000/01/rdf-schema#label> "Atlantis"@en .\n'

#: One N-Triples line that gives a node of the bundled data a second value of a property the
#: stored questions read as single, and the rule that must refuse it.
DOUBLED: dict[str, tuple[str, str]] = {
    "source-headline": (HEADLINE, "shacl:NewsArticleShape.headline:maxCount"),
    "region-label": (ATLANTIS, "shacl:RegionShape.label:uniqueLang"),
    "source-publisher": (
        f"{SOURCE} <https://schema.org/publisher> <{ID}organization/shanghai-securities-news> .\n",
        "shacl:NewsArticleShape.publisher:maxCount",
    ),
    "source-reported-via": (
        f"{SOURCE} <https://w3id.org/pledgegraph/ontology#reportedVia> "
        f"<{ID}organization/cryptonews> .\n",
        "shacl:NewsArticleShape.reported via:maxCount",
    ),
    "pledge-plan": (
        f'<{ID}pledge/cryptonews-7376/2> <https://w3id.org/pledgegraph/ontology#plan> "Plan B" .\n',
        "shacl:PledgeShape.plan:maxCount",
    ),
    "pledge-description": (
        f'<{ID}pledge/cryptonews-7376/1> <https://schema.org/description> "Other words"@zh .\n',
        "shacl:PledgeShape.description:maxCount",
    ),
    "target-qualifier": (
        f"<{ID}pledge/cryptonews-7376/3/target/1> "
        '<https://w3id.org/pledgegraph/ontology#qualifier> "foreign" .\n',
        "shacl:TargetShape.qualifier:maxCount",
    ),
    "target-description": (
        f"<{ID}pledge/cryptonews-7376/5/target/2> <https://schema.org/description> "
        '"Another fund."@en .\n',
        "shacl:TargetShape.description:maxCount",
    ),
    "deadline-label": (
        f'<{ID}deadline/2022> <http://www.w3.org/2000/01/rdf-schema#label> "by end of 2023" .\n',
        "shacl:DeadlineShape.label:maxCount",
    ),
    "organization-name": (
        f'<{ID}organization/cryptonews> <https://schema.org/name> "Evil News" .\n',
        "shacl:OrganizationShape.name:maxCount",
    ),
    "authority-label": (
        f"<{ID}authority/CN-HE/information-technology-office-of-the-hebei-provincial-communist-"
        'party-committee> <http://www.w3.org/2000/01/rdf-schema#label> "Evil office"@en .\n',
        "shacl:AuthorityShape.label:maxCount",
    ),
    # a second outside attack: uniqueLang let these through, and they doubled rows
    "region-label-en-gb": (
        f'<{ID}region/CN-HE> <http://www.w3.org/2000/01/rdf-schema#label> "Hebei P."@en-GB .\n',
        "shacl:RegionShape:sparql",
    ),
    "authority-label-de": (
        f"<{ID}authority/CN-HE/information-technology-office-of-the-hebei-provincial-communist-"
        'party-committee> <http://www.w3.org/2000/01/rdf-schema#label> "Amt"@de .\n',
        "shacl:AuthorityShape.label:maxCount",
    ),
    "authority-label-plain": (
        f"<{ID}authority/CN-HE/information-technology-office-of-the-hebei-provincial-communist-"
        'party-committee> <http://www.w3.org/2000/01/rdf-schema#label> "Office" .\n',
        "shacl:AuthorityShape.label:maxCount",
    ),
}


def _nquads(cli: Invoke) -> str:
    return cli("export", "--format", "nquads").stdout


# --- 1. one-line RDF files that doubled rows ------------------------------------------------


def test_a_second_headline_or_label_is_refused_by_load(cli: Invoke, tmp_path: Path) -> None:
    h3, h4 = tmp_path / "h3.nt", tmp_path / "h4.nt"
    h3.write_text(HEADLINE, encoding="utf-8")
    h4.write_text(ATLANTIS, encoding="utf-8")
    before = _nquads(cli)

    result = cli("load", str(h3), str(h4))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[:2] == [
        f"{h3}:1: ERROR shacl:NewsArticleShape.headline:maxCount: A news article has at most "
        "one schema:headline, a literal. [pgid:source/cryptonews-7376]",
        f"Error: {h3}: not loaded: 1 validation error (listed above); fix the source, or load "
        "it anyway with --lenient",
    ]
    assert lines[2:4] == [
        f"{h4}:1: ERROR shacl:RegionShape.label:uniqueLang: A region must have an rdfs:label, "
        "at most one per language; pledgegraph describes pgid:region/CN-HE itself (named "
        '"Hebei"@en): a file may name it without describing it, or describe it as pledgegraph '
        "does, but not otherwise [pgid:region/CN-HE]",
        f"Error: {h4}: not loaded: 1 validation error (listed above); fix the source "
        "(--lenient does not load a change to what pledgegraph says of a region or deadline it "
        "describes)",
    ]
    assert _nquads(cli) == before  # nothing written

    sources = cli("query", "sources")
    assert sources.exit_code == 0 and len(sources.stdout.splitlines()) == 2  # header + one
    assert "Atlantis" not in cli("query", "region-pledges", "-p", "region=Hebei").stdout


def test_a_sub_property_and_reason_give_no_second_headline_or_name(
    cli: Invoke, tmp_path: Path
) -> None:
    """A second outside attack: a file's own property declared a sub-property of
    schema:headline and rdfs:label passed the shapes (they hold the asserted data), and after
    'reason' the inferred graph gave the source a second headline and Hebei a second English
    name: the sources and region-pledges rows doubled. The reasoner leaves out, about our own
    nodes, values of what the questions read as one."""
    sources = cli("query", "sources").stdout
    hebei = cli("query", "region-pledges", "-p", "region=Hebei").stdout
    sub = tmp_path / "sub.ttl"
    sub.write_text(
        "<http://ex.org/title> <http://www.w3.org/2000/01/rdf-schema#subPropertyOf> "
        "<https://schema.org/headline> .\n"
        f'{SOURCE} <http://ex.org/title> "A second headline" .\n'
        "<http://ex.org/lbl> <http://www.w3.org/2000/01/rdf-schema#subPropertyOf> "
        "<http://www.w3.org/2000/01/rdf-schema#label> .\n"
        f'<{ID}region/CN-HE> <http://ex.org/lbl> "Another Hebei"@en .\n',
        encoding="utf-8",
    )
    assert cli("load", str(sub)).exit_code == 0
    assert cli("reason").exit_code == 0
    assert cli("query", "sources").stdout == sources
    assert cli("query", "region-pledges", "-p", "region=Hebei").stdout == hebei
    inferred = cli(
        "sparql",
        "ASK { GRAPH <https://w3id.org/pledgegraph/graph/inferred> "
        "{ ?s rdfs:label 'Another Hebei'@en } }",
    )
    assert inferred.stdout.strip() == "false"


@pytest.mark.parametrize("engine", ["shacl", "pyshacl"])
def test_validate_reports_them_in_a_file_and_in_the_store(
    cli: Invoke, tmp_path: Path, engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLEDGEGRAPH_SHACL_ENGINE", engine)
    h3, h4 = tmp_path / "h3.nt", tmp_path / "h4.nt"
    h3.write_text(HEADLINE, encoding="utf-8")
    h4.write_text(ATLANTIS, encoding="utf-8")
    for path, rule in ((h3, "NewsArticleShape.headline:maxCount"), (h4, "label:uniqueLang")):
        result = cli("validate", "-f", "csv", str(path))
        assert result.exit_code == 1
        assert rule in result.stdout

    # a second name of a region pledgegraph describes is refused even under --lenient
    refused = cli("load", "--lenient", str(h4))
    assert refused.exit_code == 2 and "pledgegraph describes pgid:region/CN-HE" in refused.stderr
    assert cli("load", "--lenient", str(h3)).exit_code == 0
    result = cli("validate", "-f", "csv")
    assert result.exit_code == 1
    rows = [line for line in result.stdout.splitlines() if line.startswith("ERROR")]
    assert len(rows) == 1
    assert "shacl:NewsArticleShape.headline:maxCount" in rows[0]


@pytest.mark.parametrize("name", sorted(DOUBLED))
def test_each_single_valued_property_is_held(name: str, tmp_path: Path) -> None:
    line, rule = DOUBLED[name]
    path = tmp_path / f"{name}.nt"
    path.write_text(line, encoding="utf-8")
    store = Store.memory()
    assert validate_store(store).problems == []  # the bundled data keeps every constraint
    report = validate_rdf_file(str(path), context=store)
    assert [(p.rule, p.line) for p in report.errors] == [(rule, 1)]
    focus = line.split(">", 1)[0].removeprefix("<")
    assert report.errors[0].focus == focus
    if focus.startswith((f"{ID}region/", f"{ID}deadline/")):
        # a region or deadline pledgegraph describes: load refuses it even under --lenient
        with pytest.raises(InputError, match="which pledgegraph describes itself, another"):
            store.load_rdf(str(path))
        assert validate_store(store).problems == []
        return
    store.load_rdf(str(path))  # (as load --lenient would): the store's own check finds it
    assert [p.rule for p in validate_store(store).errors] == [rule]


# --- 2. control characters in a fact sheet --------------------------------------------------

SHEET = """\
source:
  url: https://example.org/news/outside
  title: {title}
  publisher: {publisher}
pledges:
  - region: {region}
    authority: {authority}
    plan: {plan}
    targets:
      - kind: firms
        quantity: 3
        qualifier: {qualifier}
        description: {description}
"""
FIELDS = {
    "title": 3,
    "publisher": 4,
    "region": 6,
    "authority": 7,
    "plan": 8,
    "qualifier": 12,
    "description": 13,
}
PLAIN = {name: f"plain {name}" for name in FIELDS} | {"region": "CN-HE"}


def _sheet(**values: str) -> str:
    return SHEET.format(**(PLAIN | values))


@pytest.mark.parametrize("field", sorted(FIELDS))
@pytest.mark.parametrize(
    ("escape", "code"),
    [("\\a", "0007"), ("\\0", "0000"), ("\\x7f", "007F"), ("\\x85", "0085"), ("\\e", "001B")],
)
def test_a_control_character_in_any_text_field_is_refused(
    field: str, escape: str, code: str
) -> None:
    text = _sheet(**{field: f'"bell{escape}here"'})
    with pytest.raises(FactSheetError) as raised:
        parse_factsheet(text, path="c.pledges.yaml")
    assert raised.value.lines == [
        f"c.pledges.yaml:{FIELDS[field]}: {field} holds a control character (U+{code}); "
        "remove it (an escape such as \\u0007 in a quoted string writes one too)"
    ]


@pytest.mark.parametrize("field", ["title", "authority", "description"])
@pytest.mark.parametrize(
    ("escape", "code", "what"),
    [
        ("\\u2028", "2028", "a line or paragraph separator"),
        ("\\u2029", "2029", "a line or paragraph separator"),
        ("\\u202e", "202E", "a direction override"),
        ("\\u202d", "202D", "a direction override"),
    ],
)
def test_a_separator_or_direction_override_is_refused(
    field: str, escape: str, code: str, what: str
) -> None:
    """U+202E shows "gnp.exe" as "exe.png"; U+2028 breaks a one-line name in two."""
    text = _sheet(**{field: f'"abc{escape}def"'})
    with pytest.raises(FactSheetError) as raised:
        parse_factsheet(text, path="c.pledges.yaml")
    assert raised.value.lines == [
        f"c.pledges.yaml:{FIELDS[field]}: {field} holds {what} (U+{code}); "
        "remove it (an escape such as \\u0007 in a quoted string writes one too)"
    ]


def test_right_to_left_marks_and_isolates_stay_allowed() -> None:
    sheet = parse_factsheet(
        _sheet(authority='"\u0627\u0644\u200f\u2067x\u2069"'), path="ok.pledges.yaml"
    )
    assert sheet.pledges[0].authority == "\u0627\u0644\u200f\u2067x\u2069"


def test_tab_and_line_breaks_stay_allowed() -> None:
    sheet = parse_factsheet(
        _sheet(authority='"tab\\there"', description='"two\\nlines\\r\\nand more"'),
        path="ok.pledges.yaml",
    )
    assert sheet.pledges[0].authority == "tab\there"
    assert sheet.pledges[0].targets[0].description == "two\nlines\r\nand more"


def test_a_noncharacter_is_refused() -> None:
    with pytest.raises(FactSheetError) as raised:
        parse_factsheet(_sheet(plan='"end\\uffff"'), path="n.pledges.yaml")
    assert raised.value.problem == "plan holds a noncharacter (U+FFFF)"


def test_a_bell_in_an_authority_is_refused_and_xml_results_stay_well_formed(
    cli: Invoke, tmp_path: Path
) -> None:
    bad = tmp_path / "bell.pledges.yaml"
    bad.write_text(_sheet(authority='"\\u0007bell"'), encoding="utf-8")
    before = _nquads(cli)
    result = cli("load", str(bad))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"Error: {bad}:7: authority holds a control character (U+0007); remove it (an escape "
        "such as \\u0007 in a quoted string writes one too)"
    )
    assert _nquads(cli) == before

    good = tmp_path / "tab.pledges.yaml"  # a tab is fine (a name's white space is collapsed)
    good.write_text(_sheet(authority='"Tab\\tOffice"'), encoding="utf-8")
    assert cli("load", str(good)).exit_code == 0
    answer = cli("query", "authorities", "-f", "xml")
    assert answer.exit_code == 0
    document = xml.dom.minidom.parseString(answer.stdout.encode("utf-8"))
    names = [n.firstChild.data for n in document.getElementsByTagName("literal")]
    assert "Tab Office" in names


# --- 3. YAML tags -----------------------------------------------------------------------------

TAGGED = """\
source:
  url: https://example.org/news/tags
pledges:
  - region: CN-HE
    authority: {value}
    targets:
      - kind: firms
        quantity: 3
"""


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("!foo bar", "!foo"),
        ("!!!", "!!!"),
        ("!!float x", "!!float"),  # (PyYAML's constructor raised ValueError: a traceback)
        ("!!bool x", "!!bool"),  # (KeyError)
        ("!!python/object:os.system x", "!!python/object:os.system"),
        ("!!null x", "!!null"),  # (the authority was silently dropped)
        ("!<tag:example.org,2020:x> y", "tag:example.org,2020:x"),
        ("!foo {a: 1}", "!foo"),
        ("!!set {a, b}", "!!set"),
        ("!!omap [a: 1]", "!!omap"),
    ],
)
def test_a_yaml_tag_is_refused_on_its_own_line(value: str, shown: str) -> None:
    with pytest.raises(FactSheetError) as raised:
        parse_factsheet(TAGGED.format(value=value), path="y1.pledges.yaml")
    assert raised.value.lines == [
        f"y1.pledges.yaml:5: YAML tags ({shown}) are not allowed in a fact sheet; remove the "
        "tag and write the value plainly (in quotes to keep it as text)"
    ]


def test_a_tag_error_through_the_cli_is_one_clean_line(cli: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "y1.pledges.yaml"
    path.write_text(TAGGED.format(value="!foo bar"), encoding="utf-8")
    result = cli("load", str(path))
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"Error: {path}:5: YAML tags (!foo)")
    assert "\\n" not in line and "<unicode string>" not in line


@pytest.mark.parametrize(
    ("value", "read"),
    [
        ("Wow!", "Wow!"),
        ("'!foo bar'", "!foo bar"),
        ('"!!!"', "!!!"),
        ("=", "="),
        ("a & b * c", "a & b * c"),
        ("!!str plain", "plain"),  # tags that change nothing are let be
        ("! bar", "bar"),
    ],
)
def test_text_that_only_looks_like_a_tag_is_read_as_text(value: str, read: str) -> None:
    sheet = parse_factsheet(TAGGED.format(value=value), path="t.pledges.yaml")
    assert sheet.pledges[0].authority == read


@pytest.mark.parametrize(
    "value", ['!!int "①"', '!!int "²"', '!!int "٣٠"', "!!int 12345٣", '!!int "5"']
)
def test_an_int_tag_on_other_digits_or_quotes_is_refused_not_converted(value: str) -> None:
    """A second outside attack: ``!!int "①"`` raised ValueError (a traceback; over HTTP it took
    the server down) and ``!!int "٣٠"`` loaded as 30: str.isdigit() accepts other scripts'
    digits. Only plain ASCII digits are read as a number."""
    sheet = TAGGED.format(value="x").replace("quantity: 3", f"quantity: {value}")
    with pytest.raises(FactSheetError) as raised:
        parse_factsheet(sheet, path="y2.pledges.yaml")
    assert raised.value.lines == [
        "y2.pledges.yaml:8: YAML tags (!!int) are not allowed in a fact sheet; remove the "
        "tag and write the value plainly (in quotes to keep it as text)"
    ]
    plain = parse_factsheet(sheet.replace(f"quantity: {value}", "quantity: !!int 30"))
    assert plain.pledges[0].targets[0].quantity is not None
    assert plain.pledges[0].targets[0].quantity.value == 30  # (a tag that changes nothing)
