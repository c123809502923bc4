"""A fact sheet and an RDF file that refers to what the sheet adds, in one ``load`` (or
``validate``): the sheet is written first, whatever the order of the arguments, so the file
loads as it would in a later command. On both backends: the embedded store and a real
``oxigraph serve`` (``backend``)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest

from tests.conftest import run_pledgegraph

AUTHORITY = "https://w3id.org/pledgegraph/id/authority/CN-HE/mixed-load-bureau-of-parks"

SHEET = """\
source:
  url: https://example.org/news/mixed-load
  key: mixed-load
  title: A province names its park goals
pledges:
  - region: CN-HE
    authority: Mixed load bureau of parks
    deadline: 2031
    targets:
      - kind: parks
        quantity: 4
"""

# A pledge of the sheet's authority, due at the sheet's deadline: neither is in the store
# until the sheet is loaded (deadline 2031 is in no bundled data).
FILE = f"""\
@prefix pledge: <https://w3id.org/pledgegraph/ontology#> .
@prefix schema: <https://schema.org/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <https://example.org/mixed/> .

ex:q a schema:QuantitativeValue ; rdfs:label "2" ; schema:value 2 ; pledge:approximate false .
ex:t a pledge:Target ; prov:wasDerivedFrom ex:src ;
  pledge:deadline <https://w3id.org/pledgegraph/id/deadline/2031> ;
  pledge:kind <https://w3id.org/pledgegraph/kind/parks> ; pledge:quantity ex:q .
ex:p a pledge:Pledge ; prov:wasDerivedFrom ex:src ; pledge:hasTarget ex:t ;
  pledge:deadline <https://w3id.org/pledgegraph/id/deadline/2031> ;
  pledge:pledgedBy <{AUTHORITY}> ;
  pledge:region <https://w3id.org/pledgegraph/id/region/CN-HE> .
ex:src a schema:NewsArticle ; schema:headline "Mixed" ; schema:url <https://example.org/mixed> .
"""

PLEDGES_OF_AUTHORITY = f"""
SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p pledge:pledgedBy <{AUTHORITY}> }}
"""


@pytest.fixture
def store(backend: str, tmp_path: Path, oxigraph_server: Callable[[], str]) -> str:
    return str(tmp_path / "store") if backend == "embedded" else oxigraph_server()


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "in"
    folder.mkdir()
    # the file sorts before the sheet: path order alone would check it first
    ttl, sheet = folder / "a-extra.ttl", folder / "b.pledges.yaml"
    ttl.write_text(FILE, encoding="utf-8")
    sheet.write_text(SHEET, encoding="utf-8")
    return sheet, ttl


def _pledges(store: str) -> int:
    done = run_pledgegraph(store, "sparql", PLEDGES_OF_AUTHORITY, "--format", "csv")
    assert done.returncode == 0, done.stderr
    return int(done.stdout.splitlines()[1])


def test_the_file_alone_is_refused(store: str, files: tuple[Path, Path]) -> None:
    """The premise: without the sheet, the file's authority and deadline are unknown."""
    _, ttl = files
    done = run_pledgegraph(store, "load", str(ttl))
    assert done.returncode == 2
    assert "PledgeShape.authority:class" in done.stderr
    assert _pledges(store) == 0


@pytest.mark.parametrize("order", ["file-first", "sheet-first", "folder"])
def test_sheet_and_file_in_one_load(store: str, files: tuple[Path, Path], order: str) -> None:
    sheet, ttl = files
    args = {
        "file-first": [str(ttl), str(sheet)],
        "sheet-first": [str(sheet), str(ttl)],
        "folder": [str(sheet.parent)],
    }[order]
    done = run_pledgegraph(store, "load", *args)
    assert done.returncode == 0, done.stderr
    assert "2 of 2 files loaded" in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.startswith("loaded ")]
    assert [line.split(":")[0] for line in lines] == [
        f"loaded {sheet}",
        f"loaded {ttl}",
    ]
    assert _pledges(store) == 2  # the sheet's pledge and the file's


def test_a_refused_sheet_leaves_the_file_refused(store: str, files: tuple[Path, Path]) -> None:
    """The file is checked against what is written, not what was given: a sheet with an
    error is not loaded, so neither is the file that needs it; the store holds neither."""
    sheet, ttl = files
    sheet.write_text(SHEET.replace("quantity: 4", "quantity: -4"), encoding="utf-8")
    done = run_pledgegraph(store, "load", str(ttl), str(sheet))
    assert done.returncode == 2, done.stderr
    assert f"Error: {sheet}" in done.stderr and f"Error: {ttl}" in done.stderr
    assert _pledges(store) == 0


def test_validate_agrees_with_load(store: str, files: tuple[Path, Path]) -> None:
    sheet, ttl = files
    together = run_pledgegraph(store, "validate", str(ttl), str(sheet))
    assert together.returncode == 0, together.stdout + together.stderr
    assert "0 errors" in together.stdout
    folder = run_pledgegraph(store, "validate", str(sheet.parent))
    assert folder.returncode == 0, folder.stdout + folder.stderr
    alone = run_pledgegraph(store, "validate", str(ttl))
    assert alone.returncode == 1
    assert "PledgeShape.authority:class" in alone.stdout
    # a sheet with errors adds nothing to the file's context, as in load
    sheet.write_text(SHEET.replace("quantity: 4", "quantity: -4"), encoding="utf-8")
    bad = run_pledgegraph(store, "validate", str(ttl), str(sheet), "--format", "csv")
    assert bad.returncode == 2  # the sheet cannot be read (a negative count)
    assert "PledgeShape.authority:class" in bad.stdout


# --- an RDF file alone, naming a region and a deadline by our IRIs ---------------------------

ALONE = """\
@prefix pgid: <https://w3id.org/pledgegraph/id/> .
@prefix pledge: <https://w3id.org/pledgegraph/ontology#> .
@prefix schema: <https://schema.org/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <https://example.org/alone/> .

ex:q a schema:QuantitativeValue ; rdfs:label "7" ; schema:value 7 ; pledge:approximate false .
ex:t a pledge:Target ; prov:wasDerivedFrom ex:src ; pledge:deadline pgid:deadline\\/2033-06 ;
  pledge:kind <https://w3id.org/pledgegraph/kind/parks> ; pledge:quantity ex:q .
ex:office a pledge:Authority ; rdfs:label "An example city office"@en ;
  pledge:governs pgid:region\\/CN-ZJ\\/ningbo .
ex:p a pledge:Pledge ; prov:wasDerivedFrom ex:src ; pledge:hasTarget ex:t ;
  pledge:deadline pgid:deadline\\/2033-06 ; pledge:pledgedBy ex:office ;
  pledge:region <https://w3id.org/pledgegraph/id/region/CN-ZJ/ningbo> .
ex:src a schema:NewsArticle ; schema:headline "Alone" ; schema:url <https://example.org/alone> .
"""


def in_own_region(node: str, described: str) -> str:
    """ALONE with its pledge (and its authority) in ``node``, a region of the file's own,
    which ``described`` describes (Turtle statements)."""
    return (
        ALONE.replace(
            "<https://w3id.org/pledgegraph/id/region/CN-ZJ/ningbo> .", f"{node} ."
        ).replace("pledge:governs pgid:region\\/CN-ZJ\\/ningbo", f"pledge:governs {node}")
        + described
    )


SHARED_NODES = """
SELECT ?node WHERE {
  GRAPH <https://w3id.org/pledgegraph/graph/reference> { ?node a ?type }
  FILTER(?node IN (<https://w3id.org/pledgegraph/id/region/CN-ZJ/ningbo>,
                   <https://w3id.org/pledgegraph/id/region/CN-ZJ>,
                   <https://w3id.org/pledgegraph/id/deadline/2033-06>))
} ORDER BY ?node
"""


def _shared(store: str) -> list[str]:
    done = run_pledgegraph(store, "sparql", SHARED_NODES, "--format", "csv")
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()[1:]


LINKED = """
SELECT DISTINCT ?node WHERE {
  GRAPH <https://w3id.org/pledgegraph/graph/links> { ?node owl:sameAs ?other }
  FILTER(STRSTARTS(STR(?node), "https://w3id.org/pledgegraph/id/region/CN-ZJ"))
} ORDER BY ?node
"""


def _linked(store: str) -> list[str]:
    done = run_pledgegraph(store, "sparql", LINKED, "--format", "csv")
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()[1:]


@pytest.mark.parametrize("suffix", [".ttl", ".nq"])
def test_a_file_may_name_known_regions_and_deadlines(
    store: str, tmp_path: Path, suffix: str
) -> None:
    """A region the gazetteer knows (with the province it lies in) and a deadline, named by
    their IRIs, are described as a fact sheet naming them would describe them (a file had to
    wait for a sheet that named them); removing the file removes them again, unused."""
    import pyoxigraph as ox

    path = tmp_path / f"alone{suffix}"
    if suffix == ".ttl":
        path.write_text(ALONE, encoding="utf-8")
    else:  # the quad formats' path: the same triples in a graph of their own
        graph = ox.NamedNode("https://example.org/graph/alone")
        quads = [
            ox.Quad(t.subject, t.predicate, t.object, graph)
            for t in ox.parse(ALONE.encode(), ox.RdfFormat.TURTLE)
        ]
        path.write_bytes(ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"")
    checked = run_pledgegraph(store, "validate", str(path), "--format", "csv")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert _shared(store) == []  # validate writes nothing
    loaded = run_pledgegraph(store, "load", str(path))
    assert loaded.returncode == 0, loaded.stderr
    assert _shared(store) == [
        "https://w3id.org/pledgegraph/id/deadline/2033-06",
        "https://w3id.org/pledgegraph/id/region/CN-ZJ",
        "https://w3id.org/pledgegraph/id/region/CN-ZJ/ningbo",
    ]
    rows = run_pledgegraph(store, "query", "region-pledges", "--param", "region=Zhejiang")
    assert rows.returncode == 0, rows.stderr
    assert "Ningbo" in rows.stdout and "by end of 2033-06" in rows.stdout
    # linked at load, as a fact sheet's regions are (the table has no ids for Ningbo)
    assert _linked(store) == ["https://w3id.org/pledgegraph/id/region/CN-ZJ"]
    assert run_pledgegraph(store, "validate").returncode == 0
    assert run_pledgegraph(store, "reindex", "--check").returncode == 0
    graph_name = (
        "https://example.org/graph/alone"
        if suffix == ".nq"
        else "https://w3id.org/pledgegraph/graph/file/alone-ttl"
    )
    removed = run_pledgegraph(store, "remove", graph_name)
    assert removed.returncode == 0, removed.stderr
    assert _shared(store) == []


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        (
            "region/CN-ZJ/ningbo>",
            "region/XX-NOWHERE>",
            "no region the gazetteer knows has this IRI",
        ),
        (
            "deadline\\/2033-06 ; pledge:pledgedBy",
            "deadline\\/2033-6 ; pledge:pledgedBy",
            "did you mean pgid:deadline/2033-06? (a deadline's IRI ends in its date",
        ),
        (
            "deadline\\/2033-06 ; pledge:pledgedBy",
            "deadline\\/2033-06-31 ; pledge:pledgedBy",
            "2033-06-31 is no date in the calendar",
        ),
        (
            "region/CN-ZJ/ningbo>",
            "region/cn-zj/Ningbo>",
            "did you mean pgid:region/CN-ZJ/ningbo (Ningbo)?",
        ),
        ("region/CN-ZJ/ningbo>", "region/HK>", "did you mean pgid:region/CN-HK (Hong Kong)?"),
    ],
)
def test_an_unknown_region_or_deadline_iri_is_explained(
    store: str, tmp_path: Path, old: str, new: str, says: str
) -> None:
    path = tmp_path / "unknown.ttl"
    assert old in ALONE
    path.write_text(ALONE.replace(old, new), encoding="utf-8")
    done = run_pledgegraph(store, "load", str(path))
    assert done.returncode == 2
    assert says in done.stderr
    assert _shared(store) == []  # nothing written


# --- validate and load agree on sheets and files given together -----------------------------

SECOND_KIND = """\
<https://w3id.org/pledgegraph/id/pledge/mixed-load/1/target/1> \
<https://w3id.org/pledgegraph/ontology#kind> <https://w3id.org/pledgegraph/kind/firms> .
"""

OF_THE_SHEETS_SOURCE = "".join(  # (the source itself described by the sheet alone)
    line for line in FILE.splitlines(keepends=True) if not line.startswith("ex:src ")
).replace("ex:src", "<https://w3id.org/pledgegraph/id/source/mixed-load>")

SPELLED_OTHERWISE = SHEET.replace("mixed-load", "mixed-load-2").replace(
    "Mixed load bureau of parks", "MIXED LOAD Bureau Of Parks"
)


@pytest.mark.parametrize(
    ("case", "files", "ok"),
    [
        # the file gives the sheet's target a second kind: an error once the sheet is written
        ("second kind", {"b.pledges.yaml": SHEET, "a.nt": SECOND_KIND}, False),
        # the file adds a pledge derived from the sheet's source: fine once it is written
        ("same source", {"b.pledges.yaml": SHEET, "a.ttl": OF_THE_SHEETS_SOURCE}, True),
        # two sheets spell the authority two ways: one node, one name (the other an
        # alternative); in a region with no links in the store (CN-HE's hid the problem)
        (
            "two spellings",
            {
                name: text.replace("CN-HE", "CN-HB")
                for name, text in (
                    ("b.pledges.yaml", SHEET),
                    ("c.pledges.yaml", SPELLED_OTHERWISE),
                    ("a.ttl", FILE),
                )
            },
            True,
        ),
    ],
)
def test_validate_gives_the_verdict_of_load(
    backend: str,
    tmp_path: Path,
    oxigraph_server: Callable[[], str],
    case: str,
    files: dict[str, str],
    ok: bool,
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")

    def fresh(label: str) -> str:
        if backend == "embedded":
            return str(tmp_path / label)
        url = oxigraph_server()
        return url

    checked = run_pledgegraph(fresh("v"), "validate", str(folder), "--format", "csv")
    loaded = run_pledgegraph(fresh("l"), "load", str(folder))
    assert (checked.returncode == 0) is ok, (case, checked.stdout + checked.stderr)
    assert (loaded.returncode == 0) is ok, (case, loaded.stderr)


# --- a file that describes a region pledgegraph describes itself ------------------------------

DESCRIBES_SHAANXI = ALONE.replace("CN-ZJ\\\\/ningbo", "CN-SN").replace(
    "region/CN-ZJ/ningbo>", "region/CN-SN>"
) + (
    'pgid:region\\/CN-SN a pledge:Region ; rdfs:label "{label}"@en ; pledge:isoCode "CN-SN" ;\n'
    '  pledge:regionType "Province" ; pledge:partOf pgid:region\\/CN .\n'
)

SHAANXI_SHEET = """\
source:
  url: https://example.org/news/shaanxi-sheet
  key: shaanxi-sheet
  title: Shaanxi sheet
pledges:
  - region: cn-sn
    deadline: 2034
    targets:
      - kind: parks
        quantity: 4
"""


def _region_rows(store: str, region: str) -> list[str]:
    done = run_pledgegraph(
        store, "query", "region-pledges", "--param", f"region={region}", "--format", "csv"
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()[1:]


def test_a_file_cannot_rename_a_known_region(store: str, tmp_path: Path) -> None:
    """An attack: a file describing pgid:region/CN-SN with a label of its own loaded (the
    gazetteer's description was left out for it); a later sheet or file naming CN-SN added the
    gazetteer's, and every row of the region's pledges came out twice, once per English label.
    A known region is now described as the gazetteer does whatever the file says, so another
    label is refused at once, with why; the same label loads, and rows stay single."""
    path = tmp_path / "shaanxi.ttl"
    path.write_text(DESCRIBES_SHAANXI.format(label="Shensi"), encoding="utf-8")
    for command in ("validate", "load"):
        done = run_pledgegraph(store, command, str(path))
        assert done.returncode in (1, 2), done.stdout + done.stderr
        said = done.stdout + done.stderr
        assert "RegionShape.label:uniqueLang" in said
        assert 'pledgegraph describes pgid:region/CN-SN itself (named "Shaanxi"@en)' in " ".join(
            said.split()
        )
    assert _region_rows(store, "CN-SN") == []
    path.write_text(DESCRIBES_SHAANXI.format(label="Shaanxi"), encoding="utf-8")
    loaded = run_pledgegraph(store, "load", str(path))
    assert loaded.returncode == 0, loaded.stderr
    sheet = tmp_path / "shaanxi.pledges.yaml"
    sheet.write_text(SHAANXI_SHEET, encoding="utf-8")
    assert run_pledgegraph(store, "load", str(sheet)).returncode == 0
    rows = _region_rows(store, "CN-SN")
    assert len(rows) == 2 and len(set(rows)) == 2, rows  # the file's pledge and the sheet's
    assert all(row.startswith("CN-SN,Shaanxi,") for row in rows)
    assert run_pledgegraph(store, "validate").returncode == 0
    # an RDF file is named by its file name too
    removed = run_pledgegraph(store, "remove", "shaanxi.ttl")
    assert removed.returncode == 0, removed.stderr
    assert "graph/file/shaanxi-ttl" in removed.stdout + removed.stderr
    assert len(_region_rows(store, "CN-SN")) == 1


def test_a_file_cannot_rename_the_province_of_a_city_it_names(store: str, tmp_path: Path) -> None:
    """Naming Ningbo describes Zhejiang, the province it lies in: a file giving Zhejiang
    another label is refused for that label, with why (before, the refusal named no cause)."""
    path = tmp_path / "ningbo.ttl"
    path.write_text(
        ALONE + 'pgid:region\\/CN-ZJ a pledge:Region ; rdfs:label "Chekiang"@en ; pledge:isoCode '
        '"CN-ZJ" ;\n  pledge:regionType "Province" ; pledge:partOf pgid:region\\/CN .\n',
        encoding="utf-8",
    )
    done = run_pledgegraph(store, "load", str(path))
    assert done.returncode == 2
    assert 'pledgegraph describes pgid:region/CN-ZJ itself (named "Zhejiang"@en)' in done.stderr
    assert _shared(store) == []


def test_a_file_cannot_move_a_known_region(store: str, tmp_path: Path) -> None:
    """A new user's trial: a file placing Shaanxi in Beijing (a second pledge:partOf) loaded,
    and Beijing's totals then counted Shaanxi's pledges. A region lies in one region."""
    path = tmp_path / "moved.ttl"
    path.write_text(
        DESCRIBES_SHAANXI.format(label="Shaanxi").replace(
            "pledge:partOf pgid:region\\/CN .", "pledge:partOf pgid:region\\/CN-BJ ."
        ),
        encoding="utf-8",
    )
    done = run_pledgegraph(store, "load", str(path))
    assert done.returncode == 2, done.stderr
    assert "RegionShape.part of:maxCount" in done.stderr
    assert "pledgegraph describes pgid:region/CN-SN itself" in done.stderr
    assert _region_rows(store, "CN-SN") == []


@pytest.mark.parametrize("option", ["--lenient", "--no-shapes"])
def test_no_option_lets_a_file_redescribe_a_known_region(
    store: str, tmp_path: Path, option: str
) -> None:
    """An outside attack: under --lenient or --no-shapes a file gave Shaanxi a second English
    label (every row of its pledges came out twice) or placed it in Beijing. Validation's
    error is only a warning there, so the load itself refuses it, with what pledgegraph says;
    a name in another language is the file's to add."""
    path = tmp_path / "shaanxi.ttl"
    cases = {
        "rdfs:label": DESCRIBES_SHAANXI.format(label="Shensi"),
        "pledge:partOf": DESCRIBES_SHAANXI.format(label="Shaanxi").replace(
            "pledge:partOf pgid:region\\/CN .", "pledge:partOf pgid:region\\/CN-BJ ."
        ),
    }
    for what, text in cases.items():
        assert text != DESCRIBES_SHAANXI.format(label="Shaanxi")
        path.write_text(text, encoding="utf-8")
        done = run_pledgegraph(store, "load", option, str(path))
        assert done.returncode == 2, done.stdout + done.stderr
        error = [line for line in done.stderr.splitlines() if line.startswith("Error:")]
        assert len(error) == 1 and "Traceback" not in done.stderr, done.stderr
        assert error[0].startswith(f"Error: {path}:"), error
        # (--lenient: the one line of the shape or rule that found it, as load refuses it;
        # --no-shapes: the rules' report, then the refusal)
        said = done.stderr.replace("Gives pgid", "gives pgid")
        assert (
            f"gives pgid:region/CN-SN, which pledgegraph describes itself, another {what}" in said
            or "pledgegraph describes pgid:region/CN-SN itself" in said
        ), done.stderr
        assert _region_rows(store, "CN-SN") == []
    path.write_text(
        DESCRIBES_SHAANXI.format(label="Shaanxi").replace(
            '"Shaanxi"@en', '"Shaanxi"@en , "Chen-si"@fr'
        ),
        encoding="utf-8",
    )
    assert '"Chen-si"@fr' in path.read_text(encoding="utf-8")
    loaded = run_pledgegraph(store, "load", option, str(path))
    assert loaded.returncode == 0, loaded.stderr
    rows = _region_rows(store, "CN-SN")
    assert len(rows) == 1 and rows[0].startswith("CN-SN,Shaanxi,"), rows


REDESCRIBED = {
    "hasPart": "pgid:region\\/CN-ZJ pledge:hasPart pgid:region\\/CN-SN .",
    "inverse": "ex:inv <http://www.w3.org/2002/07/owl#inverseOf> pledge:partOf .\n"
    "pgid:region\\/CN-ZJ ex:inv pgid:region\\/CN-SN .",
    "sub-property": "ex:po rdfs:subPropertyOf pledge:partOf .\n"
    "pgid:region\\/CN-SN ex:po pgid:region\\/CN-ZJ .",
    "blank node": "[] pledge:hasPart pgid:region\\/CN-SN ; pledge:partOf pgid:region\\/CN-ZJ .",
    "en-GB label": 'pgid:region\\/CN-ZJ\\/ningbo rdfs:label "Ningpo"@en-GB .',
    "label without a language": 'pgid:region\\/CN-ZJ\\/ningbo rdfs:label "Ningbo" .',
    "code": 'pgid:region\\/CN-ZJ\\/ningbo pledge:isoCode "CN-SN" .',
    "cycle": "pgid:region\\/CN pledge:partOf pgid:region\\/CN-ZJ .",
    "tagged type": 'pgid:region\\/CN-ZJ\\/ningbo pledge:regionType "Town"@en .',
    "tagged year": 'pgid:deadline\\/2033-06 pledge:year "2034"@en .',
    "containedInPlace": "pgid:region\\/CN-SN schema:containedInPlace pgid:region\\/CN-ZJ .",
    "domain": "ex:q rdfs:domain pledge:Region .\npgid:deadline\\/2033-06 ex:q 1 .",
    "sub-property of rdf:type": "ex:kindOf rdfs:subPropertyOf "
    "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> .",
    "a type the file defines": "ex:C rdfs:subClassOf pledge:Deadline .\n"
    "pgid:region\\/CN-ZJ\\/ningbo a ex:C .",
    "a French name of a deadline": 'pgid:deadline\\/2033-06 rdfs:label "fin juin 2033"@fr .',
    # (a second attack: after reason, ex:x had Shaanxi's code)
    "sub-property of isoCode": 'ex:code rdfs:subPropertyOf pledge:isoCode .\nex:x ex:code "CN-SN" .',
    "equivalent of isoCode": "ex:code <http://www.w3.org/2002/07/owl#equivalentProperty> "
    'pledge:isoCode .\nex:x ex:code "CN-SN" .',
}


@pytest.mark.parametrize("case", sorted(REDESCRIBED))
def test_no_file_changes_what_pledgegraph_says_of_a_known_region(
    store: str, tmp_path: Path, case: str
) -> None:
    """An outside attack: besides a second label or partOf, these moved Shaanxi into Zhejiang
    (a hasPart, an inverse or sub-property of partOf, a blank node), listed rows twice (an
    en-GB label, a tagged regionType), put Ningbo under another code or China inside Zhejiang
    after reason, past --lenient and --no-shapes and, for some, validation itself. Each is a
    validation error, and load refuses it under --lenient too."""
    path = tmp_path / "extra.ttl"
    path.write_text(ALONE + REDESCRIBED[case] + "\n", encoding="utf-8")
    checked = run_pledgegraph(store, "validate", str(path))
    assert checked.returncode == 1, checked.stdout + checked.stderr
    loaded = run_pledgegraph(store, "load", "--lenient", str(path))
    assert loaded.returncode == 2, loaded.stdout + loaded.stderr
    (error,) = [line for line in loaded.stderr.splitlines() if line.startswith("Error:")]
    assert error.startswith(f"Error: {path}:") and "Traceback" not in loaded.stderr, error
    # (the rule's line ends in its hint; a shape's carries why pledgegraph's node is special)
    assert error.endswith("under an IRI of your own") or (
        "pledgegraph describes pgid:" in error and "a file may name it" in error
    ), error
    assert _region_rows(store, "CN-ZJ") == []


def test_a_file_may_add_facts_of_its_own_about_a_known_region(store: str, tmp_path: Path) -> None:
    """What changes nothing the questions read is the file's to add: a population, a link, a
    name in French, a description, a code of another scheme, an alternative name."""
    path = tmp_path / "extra.ttl"
    path.write_text(
        ALONE
        + "pgid:region\\/CN-ZJ\\/ningbo ex:population 9618000 ; "
        + 'rdfs:label "Ningpo"@fr ; rdfs:seeAlso <https://example.org/ningbo> ;\n'
        # (a second attack found these refused: properties other shapes hold to one value)
        + '  schema:url <https://example.org/ningbo-gov> ; schema:name "Ningbo"@fr ;\n'
        + '  schema:description "A port city."@en ; <http://www.w3.org/2004/02/skos/core#notation>'
        + ' "330200" ;\n  prov:wasDerivedFrom <https://example.org/wiki/Ningbo> ;\n'
        + '  <http://www.w3.org/2004/02/skos/core#altLabel> "Ningpo"@en .\n',
        encoding="utf-8",
    )
    loaded = run_pledgegraph(store, "load", str(path))
    assert loaded.returncode == 0, loaded.stderr
    rows = _region_rows(store, "CN-ZJ")
    assert len(rows) == 1 and rows[0].startswith("CN-ZJ/ningbo,Ningbo,"), rows


@pytest.mark.parametrize(
    "alike",
    [
        "https://example.org/id/region/CN-SN",
        # (a second attack: the questions found pledgegraph's whole namespace inside an IRI)
        "http://evil.example/https://w3id.org/pledgegraph/id/region/CN-SN",
    ],
)
def test_a_look_alike_region_iri_is_not_the_region(store: str, tmp_path: Path, alike: str) -> None:
    """An attack: a file's own region <https://example.org/id/region/CN-SN> (named Shaanxi,
    no code) was counted as pledgegraph's Shaanxi by compare-regions: the questions took the
    code from any IRI with /id/region/ in it, not only from pledgegraph's."""
    before = run_pledgegraph(store, "query", "compare-regions", "-f", "csv")
    path = tmp_path / "alike.ttl"
    path.write_text(
        ALONE.replace(
            "<https://w3id.org/pledgegraph/id/region/CN-ZJ/ningbo> .",
            f"<{alike}> .",
        ).replace("pledge:governs pgid:region\\/CN-ZJ\\/ningbo", "pledge:governs ex:nowhere")
        + f'<{alike}> a pledge:Region ; rdfs:label "Shaanxi"@en ;\n'
        + '  pledge:regionType "Zone" ; pledge:partOf pgid:region\\/CN-ZJ .\n'
        + 'ex:nowhere a pledge:Region ; rdfs:label "Nowhere"@en ; pledge:regionType "Zone" .\n',
        encoding="utf-8",
    )
    loaded = run_pledgegraph(store, "load", "--lenient", str(path))
    assert loaded.returncode == 0, loaded.stderr
    after = run_pledgegraph(store, "query", "compare-regions", "-f", "csv")
    shaanxi = [line for line in after.stdout.splitlines() if line.startswith("CN-SN,")]
    assert shaanxi == [line for line in before.stdout.splitlines() if line.startswith("CN-SN,")]
    listed = run_pledgegraph(store, "query", "region-pledges", "-p", "region=CN", "-f", "csv")
    assert listed.returncode == 0 and "Shaanxi" in listed.stdout, listed.stderr
    assert not [line for line in listed.stdout.splitlines() if line.startswith("CN-SN,")]


@pytest.mark.parametrize(
    ("minted", "described"),
    [
        # Cyrillic Н and Е: listed as "CN-НЕ, Hebei" beside Hebei (an attack)
        ("region/CN-\u041d\u0415", 'a pledge:Region ; rdfs:label "Hebei"@en'),
        ("region/CN-HE\ufe0f", 'a pledge:Region ; rdfs:label "Hebei"@en'),  # a variation selector
        ("region/CN-ZJ/nowhere", 'a pledge:Region ; rdfs:label "Nowhere"@en'),
        ("deadline/2O33", 'a pledge:Deadline ; rdfs:label "by end of 2033"'),  # letter O
        # (a second attack: only named, as a pledge's region, never described)
        ("region/CN-\u041d\u0415", ""),
        ("deadline/2O33", ""),
    ],
)
@pytest.mark.parametrize("lenient", [False, True])
def test_a_file_may_not_mint_a_region_or_deadline_in_our_namespace(
    store: str, tmp_path: Path, minted: str, described: str, lenient: bool
) -> None:
    """A left-open attack: a file described <…/id/region/CN-НЕ> (Cyrillic letters) as a region
    named Hebei, and compare-regions and parks-by-year listed it as "CN-НЕ, Hebei" beside
    pledgegraph's Hebei, under --lenient and without it: the questions read a region's code
    from our IRIs. Our namespaces for regions and deadlines hold only what pledgegraph
    describes; a place or date of the file's own takes an IRI of the file's own."""
    iri = f"<https://w3id.org/pledgegraph/id/{minted}>"
    description = f"{iri} {described} .\n" if described else ""
    text = in_own_region(iri, description)
    if minted.startswith("deadline/"):
        text = ALONE.replace("pgid:deadline\\/2033-06", iri) + description
    path = tmp_path / "minted.ttl"
    path.write_text(text, encoding="utf-8")
    before = run_pledgegraph(store, "query", "compare-regions", "-f", "csv")
    done = run_pledgegraph(store, "load", *(["--lenient"] if lenient else []), str(path))
    assert done.returncode == 2, done.stderr
    error = [line for line in done.stderr.splitlines() if line.startswith("Error:")]
    assert len(error) == 1, done.stderr
    said = error[0] if lenient else done.stderr  # (else in the validation report above it)
    assert "names no region or deadline pledgegraph knows" in said
    assert "an IRI of your own" in said
    assert run_pledgegraph(store, "query", "compare-regions", "-f", "csv").stdout == before.stdout
    checked = run_pledgegraph(store, "validate", str(path), "--format", "csv")
    assert checked.returncode == 1 and "known-node-description" in checked.stdout
    # the same description under an IRI of the file's own loads
    path.write_text(text.replace(iri, "<https://example.org/mine>"), encoding="utf-8")
    assert run_pledgegraph(store, "load", "--lenient", str(path)).returncode == 0


@pytest.mark.parametrize(
    ("edit", "says"),
    [
        (
            lambda text: text.replace(
                "<https://example.org/mine>", "<https://w3id.org/pledgegraph/id/region/CN-HE\ufe0f>"
            ),
            "names no region or deadline pledgegraph knows",
        ),
        (
            lambda text: text.replace(
                "<https://example.org/mine> a ",
                '<https://example.org/mine> <https://w3id.org/pledgegraph/ontology#isoCode> "CN-SN" ;'
                "\n  a ",
            ),
            "has the ISO code 'CN-SN' of pgid:region/CN-SN",
        ),
        (  # (a second attack: a look-alike only named, by a pledge, and typed nowhere)
            lambda text: text.replace(
                "pledge:region <https://example.org/mine>",
                "pledge:region <https://w3id.org/pledgegraph/id/region/CN-HE\u200b>",
            ),
            "names no region or deadline pledgegraph knows",
        ),
        (  # (a third attack: typed only schema:AdministrativeArea, which a question lists)
            lambda text: text.replace(
                "<https://example.org/mine> a ",
                "<https://w3id.org/pledgegraph/id/region/CN-HE\u200c> a "
                "<https://schema.org/AdministrativeArea> .\n<https://example.org/mine> a ",
            ),
            "names no region or deadline pledgegraph knows",
        ),
        (  # (a fourth attack: the reference graph's Hebei renamed, or moved into Hunan)
            lambda text: text.replace('rdfs:label "Hebei"@en', 'rdfs:label "Hunan"@en'),
            "gives pgid:region/CN-HE, which pledgegraph describes itself, another rdfs:label",
        ),
        (
            lambda text: text.replace(
                'pledge:isoCode "CN-HE" ;\n\t\tpledge:partOf pgid:region\\/CN ;',
                'pledge:isoCode "CN-HE" ;\n\t\tpledge:partOf pgid:region\\/CN-HN ;',
            ),
            "another pledge:partOf",
        ),
        (  # (and a second Wikidata id in the links graph: regions-linked listed Hebei twice)
            lambda text: text.replace(
                "pgid:region\\/CN-HE owl:sameAs wd:Q21208 ,",
                "pgid:region\\/CN-HE owl:sameAs wd:Q21208 , wd:Q1 ,",
            ),
            "2 Wikidata and 1 GeoNames ids",
        ),
        (  # (or Hebei's id changed to Hunan's item: validate passed; an attack)
            lambda text: text.replace(
                "pgid:region\\/CN-HE owl:sameAs wd:Q21208 ,",
                "pgid:region\\/CN-HE owl:sameAs wd:Q45761 ,",
            ),
            "graph/links gives pgid:region/CN-HE the Wikidata id "
            "<http://www.wikidata.org/entity/Q45761>, where pledgegraph's link table has "
            "<http://www.wikidata.org/entity/Q21208>",
        ),
        (  # (and a code given by a sub-property, which reason would make pledge:isoCode)
            lambda text: text.replace(
                "<https://example.org/mine> a ",
                "<https://example.org/code> <http://www.w3.org/2000/01/rdf-schema#subPropertyOf>"
                " <https://w3id.org/pledgegraph/ontology#isoCode> .\n"
                '<https://example.org/mine> <https://example.org/code> "CN-SN" ;\n  a ',
            ),
            "how regions contain each other, and their codes, are pledgegraph's to say",
        ),
    ],
)
def test_validate_finds_in_an_imported_export_what_load_refuses(
    store: str, tmp_path: Path, edit: Callable[[str], str], says: str
) -> None:
    """Left open: `import` fills a new store without validation (an export was validated when
    its sources were loaded), and the README sends users to `validate` afterwards; but an
    edited export with a minted region IRI or a second node with Shaanxi's code passed
    `validate`, and the questions listed the look-alike beside the region."""
    mine = "<https://example.org/mine>"
    path = tmp_path / "mine.ttl"
    path.write_text(
        in_own_region(mine, f'{mine} a pledge:Region ; rdfs:label "Mine"@en .\n'),
        encoding="utf-8",
    )
    assert run_pledgegraph(store, "load", str(path)).returncode == 0
    export = tmp_path / "export.trig"
    assert run_pledgegraph(store, "export", "-f", "trig", "-o", str(export)).returncode == 0
    assert run_pledgegraph(store, "validate", "--format", "csv").returncode == 0
    export.write_text(edit(export.read_text(encoding="utf-8")), encoding="utf-8")
    new = str(tmp_path / "imported")
    done = run_pledgegraph(new, "import", str(export))
    assert done.returncode == 0, done.stderr
    checked = run_pledgegraph(new, "validate", "--format", "csv")
    assert checked.returncode == 1, checked.stdout + checked.stderr
    errors = [line for line in checked.stdout.splitlines() if line.startswith("ERROR,")]
    # (the shapes may say more about the same node: a pledge's region that is none)
    assert [e for e in errors if "known-node-description" in e and says in e], errors


@pytest.mark.parametrize(
    ("region", "target"),
    [
        ("CN-HE", "http://www.wikidata.org/entity/Q45761"),  # Hunan's item
        ("CN", "http://www.wikidata.org/entity/Q1"),
        ("CN-HE", "https://www.wikidata.org/entity/Q21208"),  # the right id written otherwise
        ("CN-HE", "https://www.wikidata.org/wiki/Q21208"),
        ("CN-HE", "http://sws.geonames.org/1808773/"),
    ],
)
def test_a_file_cannot_give_a_known_region_another_wikidata_or_geonames_id(
    store: str, tmp_path: Path, region: str, target: str
) -> None:
    """An attack: two lines linking Hebei to Hunan's item and China to Q1 loaded, validate
    passed, and pledges-by-country listed China as Q1 (it reads stated links from any graph);
    the right id written with https dropped out of regions-linked. A link to the table's id,
    or to another dataset, is the file's own fact and loads."""
    path = tmp_path / "sa.nt"
    node = f"<https://w3id.org/pledgegraph/id/region/{region}>"
    path.write_text(f"{node} <http://www.w3.org/2002/07/owl#sameAs> <{target}> .\n")
    done = run_pledgegraph(store, "load", str(path))
    assert done.returncode == 2, done.stderr
    assert f"Gives pgid:region/{region} the " in done.stderr and f"<{target}>" in done.stderr
    assert done.stderr.splitlines()[-1].startswith(f"Error: {path}: not loaded")
    fine = tmp_path / "ok.nt"
    fine.write_text(
        "<https://w3id.org/pledgegraph/id/region/CN-HE> <http://www.w3.org/2002/07/owl#sameAs> "
        "<http://www.wikidata.org/entity/Q21208> .\n"
        "<https://w3id.org/pledgegraph/id/region/CN-HE> <http://www.w3.org/2002/07/owl#sameAs> "
        "<http://dbpedia.org/resource/Hebei> .\n"
    )
    assert run_pledgegraph(store, "load", str(fine)).returncode == 0
    assert run_pledgegraph(store, "validate").returncode == 0


@pytest.mark.parametrize(
    "triples",
    [
        # another region's id on a region the table has no id for (a re-attack)
        "<https://w3id.org/pledgegraph/id/region/GB-LND> owl:sameAs wd:Q21208 .",
        "<https://w3id.org/pledgegraph/id/region/CN-ZJ/ningbo> owl:sameAs wd:Q148 .",
        # an id written with a port, a trailing dot or user info
        "pg:CN-HE owl:sameAs <http://www.wikidata.org:80/entity/Q1> .",
        "pg:CN-HE owl:sameAs <http://www.wikidata.org./entity/Q1> .",
        "pg:CN-HE owl:sameAs <http://u@www.wikidata.org/entity/Q1> .",
        # the link written the other way round
        "wd:Q1 owl:sameAs pg:CN-HE .",
    ],
)
def test_wrong_links_in_other_forms_are_refused_and_reported(
    store: str, tmp_path: Path, triples: str
) -> None:
    prefixes = (
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "@prefix wd: <http://www.wikidata.org/entity/> .\n"
        "@prefix pg: <https://w3id.org/pledgegraph/id/region/> .\n"
    )
    path = tmp_path / "links.ttl"
    path.write_text(prefixes + triples + "\n", encoding="utf-8")
    done = run_pledgegraph(store, "load", str(path))
    assert done.returncode == 2, done.stderr
    assert "known-node-description" in done.stderr and "Wikidata id" in done.stderr
    # the same in a store, by an edited export: validate reports it
    export = tmp_path / "x.trig"
    assert run_pledgegraph(store, "export", "-f", "trig", "-o", str(export)).returncode == 0
    text = export.read_text(encoding="utf-8")
    graph = "<https://w3id.org/pledgegraph/graph/source/cryptonews-7376> {"
    assert graph in text
    parsed = ox.parse((prefixes + triples).encode("utf-8"), ox.RdfFormat.TURTLE)
    body = ox.serialize(parsed, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    export.write_text(text.replace(graph, graph + "\n" + body, 1), encoding="utf-8")
    new = str(tmp_path / "imported")
    assert run_pledgegraph(new, "import", str(export)).returncode == 0
    checked = run_pledgegraph(new, "validate", "--format", "csv")
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert "Wikidata id" in checked.stdout


def _own_region_with_code(tmp_path: Path, code: str) -> Path:
    """A file whose pledge is in a region of its own named Shaanxi, with ISO code ``code``."""
    path = tmp_path / "own.ttl"
    path.write_text(
        in_own_region(
            "ex:shaanxi",
            'ex:shaanxi a pledge:Region ; rdfs:label "Shaanxi"@en ; pledge:regionType "Province" ;\n'
            f'  pledge:isoCode "{code}" ; pledge:partOf pgid:region\\/CN .\n',
        ),
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("code", "owner"),
    [("CN-SN", "CN-SN"), ("HK", "CN-HK"), ("UK", "GB")],  # (UK: reserved for GB; an attack)
)
def test_a_node_of_the_files_own_may_not_take_a_known_regions_code(
    store: str, tmp_path: Path, code: str, owner: str
) -> None:
    """Left open last session: a file's own region with pledge:isoCode "CN-SN" gave
    compare-regions a second CN-SN row beside pledgegraph's Shaanxi. It is a validation error
    now, and load refuses it under --lenient --no-shapes too, naming the IRI to use. (A code
    in lower case is another code to the questions, which the shapes refuse. HK, the code of
    CN-HK's place, a second attack found passing.)"""
    before = run_pledgegraph(store, "query", "compare-regions", "-f", "csv")
    path = _own_region_with_code(tmp_path, code)
    checked = run_pledgegraph(store, "validate", "--format", "json", str(path))
    assert checked.returncode == 1, checked.stdout + checked.stderr
    rules = [p["rule"] for p in json.loads(checked.stdout)["problems"]]
    assert rules == ["known-node-description"]
    for options in ((), ("--lenient", "--no-shapes")):
        loaded = run_pledgegraph(store, "load", *options, str(path))
        assert loaded.returncode == 2, loaded.stdout + loaded.stderr
        assert "Traceback" not in loaded.stderr
    (error,) = [line for line in loaded.stderr.splitlines() if line.startswith("Error:")]
    assert error == (
        f"Error: {path}:12: gives <https://example.org/alone/shaanxi> the ISO code '{code}' of "
        f"pgid:region/{owner}, a region pledgegraph describes (the questions would list two "
        f"regions {code}); name that region by pledgegraph's IRI, pgid:region/{owner}, or give "
        "your node no code of a known region"
    )
    after = run_pledgegraph(store, "query", "compare-regions", "-f", "csv")
    assert after.stdout == before.stdout


@pytest.mark.parametrize("code", ["CN-XX2", None])
def test_the_pledges_of_a_files_own_region_are_listed_whole(
    store: str, tmp_path: Path, code: str | None
) -> None:
    """A new user's trial: a pledge in a region the file defines (inside Shaanxi) was listed by
    region-pledges without its quantity and deadline, and left out of parks-by-year and
    totals-by-kind, while pledges-by-country counted it: no summary row was made for it."""
    path = tmp_path / "own.ttl"
    path.write_text(
        in_own_region(
            "ex:area",
            'ex:area a pledge:Region ; rdfs:label "Example Area"@en ; pledge:regionType "Zone" ;\n'
            + (f'  pledge:isoCode "{code}" ;\n' if code else "")
            + "  pledge:partOf pgid:region\\/CN-SN .\n",
        ),
        encoding="utf-8",
    )
    loaded = run_pledgegraph(store, "load", str(path))
    assert loaded.returncode == 0, loaded.stderr

    def rows(*args: str) -> list[dict[str, str]]:
        done = run_pledgegraph(store, "query", *args, "-f", "csv")
        assert done.returncode == 0, done.stderr
        return [r for r in csv.DictReader(io.StringIO(done.stdout)) if "Example" in str(r)]

    shown = code or "https://example.org/alone/area"  # (without a code: its IRI)
    (listed,) = rows("region-pledges", "-p", "region=Shaanxi")
    assert (listed["region"], listed["quantity"], listed["deadline"]) == (
        shown,
        "7",
        "by end of 2033-06",
    )
    (park,) = rows("parks-by-year", "-p", "year=2033")
    assert (park["region"], park["regionName"], park["quantity"]) == (
        shown,
        "Example Area",
        "7",
    )
    check = run_pledgegraph(store, "reindex", "--check")
    assert check.returncode == 0, check.stdout + check.stderr


def test_a_citys_key_is_no_code_for_a_node_of_the_files_own(store: str, tmp_path: Path) -> None:
    """An attack: under --lenient, pledge:isoCode "CN-SC/chengdu" on a file's own node listed
    two CN-SC/chengdu rows (cities have no ISO code, and the rule looked at ISO codes only)."""
    path = tmp_path / "cd.ttl"
    path.write_text(
        in_own_region(
            "ex:cd",
            'ex:cd a pledge:Region ; rdfs:label "Chengdu Two"@en ; pledge:isoCode "CN-SC/chengdu" .\n',
        ),
        encoding="utf-8",
    )
    loaded = run_pledgegraph(store, "load", "--lenient", "--no-shapes", str(path))
    assert loaded.returncode == 2, loaded.stdout + loaded.stderr
    assert "of pgid:region/CN-SC/chengdu, a region pledgegraph describes" in loaded.stderr


def test_regions_of_a_files_own_without_a_code_are_counted_apart(
    store: str, tmp_path: Path
) -> None:
    """An attack: every region of a file's own without a code had the code "", so
    compare-regions gave each of them the pledges of all, and listed one that has none."""
    text = in_own_region("ex:one", 'ex:one a pledge:Region ; rdfs:label "Region One"@en .\n')
    second = (
        text.replace("ex:one", "ex:two")
        .replace("Region One", "Region Two")
        .replace("ex:src", "ex:src2")
        .replace("ex:p ", "ex:p2 ")
        .replace("ex:t ", "ex:t2 ")
        .replace("ex:t ;", "ex:t2 ;")
        .replace("ex:q ", "ex:q2 ")
        .replace("ex:q .", "ex:q2 .")
        .replace("ex:office", "ex:office2")
        .replace("example.org/alone>", "example.org/alone2>")
    )
    files = []
    for name, body in (
        ("one.ttl", text),
        ("two.ttl", second),
        ("none.ttl", 'ex:three a pledge:Region ; rdfs:label "Region Three"@en .\n'),
    ):
        path = tmp_path / name
        path.write_text(ALONE.split("\n\n")[0] + "\n\n" + body.split("\n\n", 1)[-1], "utf-8")
        files.append(str(path))
    loaded = run_pledgegraph(store, "load", "--lenient", *files)
    assert loaded.returncode == 0, loaded.stderr
    done = run_pledgegraph(store, "query", "compare-regions", "-f", "csv")
    mine = [r for r in csv.DictReader(io.StringIO(done.stdout)) if "Region" in r["regionName"]]
    assert [(r["regionName"], r["pledges"], r["targets"]) for r in mine] == [
        ("Region One", "1", "1"),
        ("Region Two", "1", "1"),
    ]


def test_a_quantity_without_a_label_is_shown_by_its_number(store: str, tmp_path: Path) -> None:
    """A new user's trial: an RDF file's quantity with schema:value 7 and no rdfs:label was
    listed as "unspecified" (and a range as "unspecified", range), while totals-by-kind added
    the 7: the listings now show the number, as a fact sheet's label would read."""
    path = tmp_path / "unlabelled.ttl"
    text = ALONE.replace('rdfs:label "7" ; schema:value 7', "schema:value 7") + (
        "ex:q2 a schema:QuantitativeValue ; schema:minValue 5 ; schema:maxValue 9 ;\n"
        "  pledge:approximate true .\n"
        "ex:t2 a pledge:Target ; prov:wasDerivedFrom ex:src ; pledge:deadline pgid:deadline\\/2033-06 ;\n"
        "  pledge:kind <https://w3id.org/pledgegraph/kind/firms> ; pledge:quantity ex:q2 .\n"
        "ex:p pledge:hasTarget ex:t2 .\n"
    )
    assert 'rdfs:label "7"' not in text
    path.write_text(text, encoding="utf-8")
    done = run_pledgegraph(store, "load", str(path))
    assert done.returncode == 0, done.stderr
    rows = _region_rows(store, "CN-ZJ/ningbo")
    shown = sorted((row.split(",")[5], row.split(",")[6], row.split(",")[7]) for row in rows)
    assert shown == [("firms", "~5–9", "approximate"), ("parks", "7", "exact")], rows
    assert run_pledgegraph(store, "reindex", "--check").returncode == 0


def test_a_slash_in_a_prefixed_name_gets_the_form_that_parses(tmp_path: Path) -> None:
    """The documentation reads pgid:region/CN-SN; in Turtle that stops the parser at the
    slash, and the message now says how to write it."""
    path = tmp_path / "slash.ttl"
    path.write_text(
        ALONE.replace("pgid:region\\/CN-ZJ\\/ningbo", "pgid:region/CN-ZJ/ningbo"),
        encoding="utf-8",
    )
    for command in ("validate", "load"):
        done = run_pledgegraph(str(tmp_path / "s"), command, str(path))
        assert done.returncode == 2
        (line,) = done.stderr.splitlines()
        assert line.startswith(f"Error: {path}:") and "malformed RDF" in line
        # the file's own name, escaped, and its IRI (a new user's trial: it said CN-SN to a
        # file naming Ningbo)
        assert (
            "write pgid:region\\/CN-ZJ\\/ningbo, or the full IRI "
            "<https://w3id.org/pledgegraph/id/region/CN-ZJ/ningbo>;" in line
        ), line


@pytest.mark.parametrize(
    "graph",
    [
        "https://w3id.org/pledgegraph/id/region/CN-\u041d\u0415",
        "https://w3id.org/pledgegraph/id/deadline/2O22",
    ],
)
@pytest.mark.parametrize("how", ["--graph", "trig"])
def test_no_graph_is_named_like_a_region_or_deadline(
    store: str, tmp_path: Path, graph: str, how: str
) -> None:
    """An attack: a TriG graph <…/id/region/CN-НЕ>, or `load --graph …/id/deadline/2O22`,
    loaded, and `stats --graphs` listed a source named like a region or deadline."""
    if how == "trig":
        path = tmp_path / "named.trig"
        body = ALONE.split("\n\n", 1)
        path.write_text(f"{body[0]}\n\n<{graph}> {{\n{body[1]}}}\n", encoding="utf-8")
        done = run_pledgegraph(store, "load", "--lenient", str(path))
    else:
        path = tmp_path / "named.ttl"
        path.write_text(ALONE, encoding="utf-8")
        done = run_pledgegraph(store, "load", "--lenient", "--graph", graph, str(path))
    assert done.returncode == 2, done.stderr
    assert "is reserved for pledgegraph's own data" in done.stderr
    assert _shared(store) == []


def test_an_imported_inferred_graph_is_left_out(store: str, tmp_path: Path) -> None:
    """An attack: an export made with --inferred, its inferred graph edited (Hunan placed in
    Hebei), imported: validate (asserted data only) found nothing, and pledges-by-country and
    reason-region-totals answered from the edited graph. The inferred graph is recomputed,
    never read from a file."""
    assert run_pledgegraph(store, "reason").returncode == 0
    export = tmp_path / "x.trig"
    done = run_pledgegraph(store, "export", "--inferred", "-f", "trig", "-o", str(export))
    assert done.returncode == 0, done.stderr
    inferred = "<https://w3id.org/pledgegraph/graph/inferred> {"
    text = export.read_text(encoding="utf-8")
    assert inferred in text
    export.write_text(
        text.replace(
            inferred,
            inferred + "\n<https://w3id.org/pledgegraph/id/region/CN-HN> "
            "<https://w3id.org/pledgegraph/ontology#partOf> "
            "<https://w3id.org/pledgegraph/id/region/CN-HE> .",
        ),
        encoding="utf-8",
    )
    new = str(tmp_path / "imported")
    done = run_pledgegraph(new, "import", str(export))
    assert done.returncode == 0, done.stderr
    assert re.search(
        r"Note: the export's inferred graph \([\d,]+ quads\) was left out", done.stderr
    )
    assert run_pledgegraph(new, "reason").returncode == 0
    totals = run_pledgegraph(new, "query", "reason-region-totals", "-f", "csv").stdout
    hebei = [line for line in totals.splitlines() if line.startswith("CN-HE,")]
    assert hebei and hebei[0].split(",")[3] == "2", totals  # (pledges; 3 with Hunan)


@pytest.mark.parametrize(
    "graph",
    [
        "https://w3id.org/pledgegraph/graph/links",
        "https://w3id.org/pledgegraph/graph/inferred",
        "https://w3id.org/pledgegraph/graph/staging/x",
        "https://w3id.org/pledgegraph/id/region/CN-HE",
    ],
)
def test_import_into_a_reserved_graph_is_refused(store: str, tmp_path: Path, graph: str) -> None:
    """An attack: 'import base.ttl --graph …/graph/links' put the whole export in the links
    graph, and the next 'link' replaced it (5 pledges to 0); into the inferred or a working
    graph everything was dropped, with exit 0."""
    export = tmp_path / "base.ttl"
    assert run_pledgegraph(store, "export", "-f", "turtle", "-o", str(export)).returncode == 0
    new = str(tmp_path / "imported")
    done = run_pledgegraph(new, "import", str(export), "--graph", graph)
    assert (done.returncode, done.stderr) == (
        2,
        f"Error: --graph: the graph <{graph}> is reserved for pledgegraph's own data; import "
        "the triples into another graph (--graph IRI), or leave --graph out\n",
    )
    done = run_pledgegraph(new, "import", str(export))  # the store was left empty
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("fmt", ["turtle", "jsonld", "ntriples", "rdfxml"])
def test_an_unedited_export_in_a_triple_format_imports_and_validates(
    store: str, tmp_path: Path, fmt: str
) -> None:
    """An attack: an unedited Turtle export, imported, failed validate with 26 errors, every
    one the ontology's own definition of a containment property, now outside the ontology
    graph; a real problem would have been lost among them."""
    export = tmp_path / "all.export"
    assert run_pledgegraph(store, "export", "-f", fmt, "-o", str(export)).returncode == 0
    new = str(tmp_path / "imported")
    done = run_pledgegraph(new, "import", str(export), "--format", fmt)
    assert done.returncode == 0, done.stderr
    checked = run_pledgegraph(new, "validate", "--format", "csv")
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_an_imported_working_graph_is_left_out_with_a_note(tmp_path: Path) -> None:
    """An attack: an export's quads put in a working graph (…/graph/staging/x) were counted by
    import, then silently removed the next time the store was opened. Now they are left out at
    import, with a note that counts them."""
    export = tmp_path / "x.nq"
    export.write_text(
        "<https://e.org/a> <https://e.org/b> <https://e.org/c> "
        "<https://w3id.org/pledgegraph/graph/staging/x> .\n"
        "<https://e.org/a> <https://e.org/b> <https://e.org/d> <https://e.org/g> .\n",
        encoding="utf-8",
    )
    new = str(tmp_path / "imported")
    done = run_pledgegraph(new, "import", str(export))
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [
        f"imported {export}: 1 quad in 1 graph",
        "Note: the export's working graphs (<https://w3id.org/pledgegraph/graph/staging/…>, "
        "1 quad) were left out (they hold unfinished work of a run, never data): move those "
        "quads to another graph in the file to keep them",
    ]
    stats = run_pledgegraph(new, "stats")
    assert "quads:    1\n" in stats.stdout, stats.stdout


@pytest.mark.parametrize("code", ["CN\u2010SN", "CN-\u0405N", "\uff23\uff2e-SN", "CN\u2212SN"])
def test_a_look_alike_of_a_known_regions_code_is_that_code(
    store: str, tmp_path: Path, code: str
) -> None:
    """A second attack: a file's own region with pledge:isoCode "CN‐HE" (a Unicode hyphen)
    loaded under --lenient (a warning) or --no-shapes (silently), and compare-regions listed
    "CN‐HE Hebei" beside Hebei. Dashes, full-width forms and look-alike capitals of other
    scripts are folded before the code is compared with the known regions' codes."""
    before = run_pledgegraph(store, "query", "compare-regions", "-f", "csv")
    path = _own_region_with_code(tmp_path, code)
    for options in (("--lenient",), ("--no-shapes",)):
        loaded = run_pledgegraph(store, "load", *options, str(path))
        assert loaded.returncode == 2, loaded.stdout + loaded.stderr
        assert len([line for line in loaded.stderr.splitlines() if line.startswith("Error:")]) == 1
        # (in the Error: line, or in the validation report above it)
        assert f"the ISO code '{code}' of pgid:region/CN-SN" in loaded.stderr
    after = run_pledgegraph(store, "query", "compare-regions", "-f", "csv")
    assert after.stdout == before.stdout
