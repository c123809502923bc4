"""The store: first use, named graphs, replace-on-reload, all-or-nothing loads, golden N-Quads."""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
import pytest

from pledgegraph.errors import FactSheetError, InputError, RdfSyntaxError, StoreError
from pledgegraph.graph.store import Store
from pledgegraph.loaders.bundled import bundled_factsheets
from pledgegraph.loaders.factsheet import parse_factsheet
from pledgegraph.ontology import LINKS_GRAPH, ONTOLOGY_GRAPH, REFERENCE_GRAPH, SOURCE_GRAPH

GOLDEN = Path(__file__).parent / "golden" / "seed.nq"
SEED_GRAPH = SOURCE_GRAPH + "cryptonews-7376"


def canonical(store: Store, graphs: list[str] | None = None) -> str:
    """Canonical N-Quads (RDFC-1.0) of some graphs, or of the whole store."""
    quads = [q for q in store.inner if graphs is None or q.graph_name.value in graphs]  # type: ignore[union-attr]
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return "".join(sorted(f"{q} .\n" for q in dataset))


def test_fresh_store_holds_ontology_reference_and_seed(store: Store) -> None:
    assert store.graphs() == [LINKS_GRAPH, ONTOLOGY_GRAPH, REFERENCE_GRAPH, SEED_GRAPH]
    links = {str(q.object) for q in store.quads(LINKS_GRAPH)}
    assert "<http://www.wikidata.org/entity/Q21208>" in links  # Hebei, linked on load
    assert store.count(SEED_GRAPH) > 300


def test_bundled_dataset_matches_golden_canonical_nquads(store: Store) -> None:
    text = canonical(store, [SEED_GRAPH, REFERENCE_GRAPH])
    if os.environ.get("PLEDGEGRAPH_UPDATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_reloading_an_unchanged_sheet_writes_nothing(store: Store) -> None:
    before = canonical(store)
    (seed,) = bundled_factsheets()
    report = store.load_factsheet(seed)
    assert report.unchanged and not report.replaced
    assert canonical(store) == before


def test_reloading_a_changed_sheet_leaves_no_old_triples(store: Store) -> None:
    text = "source:\n  url: https://example.org/n/1\npledges:\n  - region: CN-SC\n    targets:\n      - kind: {kind}\n        quantity: 4\n"
    store.load_factsheet(parse_factsheet(text.format(kind="parks")))
    store.load_factsheet(parse_factsheet(text.format(kind="funds")))
    kinds = {
        s["k"].value
        for s in store.inner.query(
            "SELECT ?k WHERE { ?t <https://w3id.org/pledgegraph/ontology#kind> ?k }",
            use_default_graph_as_union=True,
        )  # type: ignore[union-attr]
    }
    assert "https://w3id.org/pledgegraph/kind/parks" in kinds  # the seed's
    one = [g for g in store.graphs() if g.startswith(SOURCE_GRAPH) and g != SEED_GRAPH]
    assert len(one) == 1
    triples = {str(q.object) for q in store.quads(one[0])}
    assert "<https://w3id.org/pledgegraph/kind/funds>" in triples
    assert "<https://w3id.org/pledgegraph/kind/parks>" not in triples


def test_persistent_store_is_created_on_first_use(tmp_path: Path) -> None:
    path = tmp_path / "s"
    with Store.open(path) as first:
        n = len(first.inner)
    with Store.open(path) as again:
        assert len(again.inner) == n


def test_rdf_files_in_every_format_load_into_one_graph(tmp_path: Path) -> None:
    store = Store.memory(initialise=False)
    triples = [
        ox.Triple(
            ox.NamedNode("https://e.org/a"), ox.NamedNode("https://e.org/p"), ox.Literal('x é "q"')
        ),
        ox.Triple(
            ox.NamedNode("https://e.org/a"),
            ox.NamedNode("https://e.org/q"),
            ox.NamedNode("https://e.org/b"),
        ),
    ]
    for name, fmt in [
        ("a.ttl", ox.RdfFormat.TURTLE),
        ("a.nt", ox.RdfFormat.N_TRIPLES),
        ("a.jsonld", ox.RdfFormat.JSON_LD),
        ("a.rdf", ox.RdfFormat.RDF_XML),
    ]:
        path = tmp_path / name
        path.write_bytes(ox.serialize(triples, format=fmt) or b"")
        report = store.load_rdf(str(path))
        assert report.quads == 2, name
    for name, fmt in [("a.nq", ox.RdfFormat.N_QUADS), ("a.trig", ox.RdfFormat.TRIG)]:
        graph = f"https://e.org/g/{name}"  # each file its own graph (see test_attacks_store)
        quads = [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(graph)) for t in triples]
        path = tmp_path / name
        path.write_bytes(ox.serialize(quads, format=fmt) or b"")
        store.load_rdf(str(path))
        assert store.count(graph) == 2
    assert store.count() == 4 * 2 + 2 * 2


def _snapshot(store: Store) -> str:
    return canonical(store)


@pytest.mark.parametrize(
    ("name", "content", "line"),
    [
        ("bad.ttl", "@prefix : <https://e.org/> .\n:a :b :c .\n:a :b ;\n", 3),
        (
            "bad.nt",
            '<https://e.org/a> <https://e.org/b> <https://e.org/c> .\n<https://e.org/a> <https://e.org/b> "x .\n',
            2,
        ),
        (
            "bad.nq",
            "<https://e.org/a> <https://e.org/b> <https://e.org/c> <https://e.org/g> .\nnonsense\n",
            2,
        ),
        (
            "bad.rdf",
            "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><rdf:Description",
            None,
        ),
    ],
)
def test_malformed_rdf_leaves_the_store_unchanged(
    tmp_path: Path, name: str, content: str, line: int | None
) -> None:
    store = Store.memory()
    before = _snapshot(store)
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RdfSyntaxError) as caught:
        store.load_rdf(str(path))
    assert caught.value.message.startswith(
        f"{path}{':' + str(line) if line else ''}: malformed RDF"
    )
    assert _snapshot(store) == before


def test_malformed_replacement_keeps_the_old_version(tmp_path: Path) -> None:
    store = Store.memory(initialise=False)
    path = tmp_path / "data.ttl"
    path.write_text("<https://e.org/a> <https://e.org/b> <https://e.org/c> .\n", encoding="utf-8")
    store.load_rdf(str(path))
    before = _snapshot(store)
    path.write_text(
        "<https://e.org/a> <https://e.org/b> <https://e.org/NEW> .\n<https://e.org/a> <b> \n",
        encoding="utf-8",
    )
    with pytest.raises(RdfSyntaxError):
        store.load_rdf(str(path))
    assert _snapshot(store) == before
    assert store.graphs() == [before.split()[-2].strip("<>")]


def test_unknown_extension_and_missing_file(tmp_path: Path) -> None:
    store = Store.memory(initialise=False)
    with pytest.raises(InputError, match="cannot tell the RDF format"):
        store.load_rdf(str(tmp_path / "data.xyz"))
    with pytest.raises(InputError, match="no such file"):
        store.load_rdf(str(tmp_path / "missing.ttl"))


def test_bad_fact_sheet_is_rejected_before_writing(tmp_path: Path) -> None:
    from pledgegraph.loaders.factsheet import read_factsheet

    path = tmp_path / "bad.pledges.yaml"
    path.write_bytes(b"\xff\xfe not utf-8")
    with pytest.raises(FactSheetError, match="not UTF-8"):
        read_factsheet(str(path))


def test_unwritable_store_path(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError) as caught:
        Store.open(blocker)
    assert (
        caught.value.message
        == f"{blocker}: is a file, not a store directory; pass --store with a directory or set PLEDGEGRAPH_STORE"
    )
    if os.geteuid() != 0:  # root can write anywhere
        locked = tmp_path / "ro"
        locked.mkdir(mode=0o500)
        with pytest.raises(StoreError, match="permission denied"):
            Store.open(locked / "store")


def test_batch_load_equals_one_by_one() -> None:
    texts = [
        f"source:\n  url: https://example.org/b/{n}\npledges:\n  - region: {region}\n    deadline: 2024\n"
        f"    targets:\n      - kind: parks\n        quantity: {n}\n"
        for n, region in enumerate(["CN-SC", "Ningbo", "DE", "CN-SC"], start=1)
    ]
    sheets = [parse_factsheet(t, path=f"s{i}.yaml") for i, t in enumerate(texts)]
    one_by_one = Store.memory()
    for sheet in sheets:
        one_by_one.load_factsheet(sheet)
    batch = Store.memory()
    batch.load_factsheet(sheets[0])  # one replaced, three new
    reports = batch.load_factsheets(sheets)
    # (the first is the store's version already: unchanged, not written again)
    assert [(r.replaced, r.unchanged) for r in reports] == [(False, True)] + [(False, False)] * 3
    without_links = [g for g in batch.graphs() if not g.endswith("/links")]
    assert canonical(batch, without_links) == canonical(one_by_one, without_links)
