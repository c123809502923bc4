"""Export: asserted data by default, the inferred graph on request, and round trips in every
format (export, import into a new store, every stored question gives the same answers)."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from pledgegraph import queries
from pledgegraph.graph.export import EXPORT_FORMATS, export, import_dataset
from pledgegraph.graph.query import run
from pledgegraph.graph.reasoning.engine import materialise
from pledgegraph.graph.store import Store, summarise
from pledgegraph.ontology import INFERRED_GRAPH
from tests.conftest import Invoke

EXTENSIONS = {"turtle": "ttl", "ntriples": "nt", "nquads": "nq", "trig": "trig",
              "jsonld": "jsonld", "rdfxml": "rdf"}  # fmt: skip
#: A file of another vocabulary, with what exports must carry through: language tags, typed
#: and multi-line literals, non-ASCII text, a blank node, IRIs outside our prefixes.
EXTRA = """
@prefix ex: <https://example.org/vocab#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/pledgegraph/id/region/CN-HE> ex:population "74610235"^^xsd:integer ;
    ex:nickname "Yan Zhao"@en, "燕赵"@zh ;
    ex:note "two\\nlines, a \\"quote\\" and a tab\\t" ;
    ex:census [ ex:year "2020"^^xsd:gYear ; ex:count 74610235 ] .
"""
VALUES = {"year": "2025", "integer": "2025", "decimal": "0.5", "date": "2025-12-31",
          "boolean": "true", "string": "park", "region": "CN-HE", "kind": "parks",
          "sector": "blockchain", "iri": "pgid:region/CN-HE"}  # fmt: skip


def answers(store: Store, *, inferred: bool = True) -> dict[str, list[tuple[str, ...]]]:
    """The rows of every stored question (defaults, and each optional parameter set)."""
    out = {}
    for name, query in sorted(queries.catalogue().items()):
        base = {p.name: VALUES[p.type] for p in query.parameters if p.required and not p.default}
        cases = [base] + [{**base, p.name: VALUES[p.type]} for p in query.parameters
                          if not p.required]  # fmt: skip
        for params in cases:
            sparql = queries.with_values(query.sparql, queries.bind(query, params))
            result = run(store, sparql, inferred=inferred)
            assert isinstance(result, ox.QuerySolutions)
            names = [v.value for v in result.variables]
            key = name + "".join(f" {k}={v}" for k, v in sorted(params.items()))
            out[key] = [tuple(str(s[n]) if s[n] is not None else "" for n in names)
                        for s in result]  # fmt: skip
    return out


def counts(store: Store) -> tuple[int, int, int, int]:
    s = summarise(store)
    return s.sources, s.pledges, s.targets, s.regions


@pytest.fixture(scope="module")
def exported() -> Store:
    """The bundled store plus a file of another vocabulary, reasoned."""
    store = Store.memory()
    store.load_rdf("extra.ttl", data=EXTRA.encode())
    materialise(store)
    return store


@pytest.fixture(scope="module")
def expected(exported: Store) -> dict[str, object]:
    return {
        "asserted": answers(exported, inferred=False),
        "reasoned": answers(exported),
        "counts": counts(exported),
    }


def test_the_default_export_leaves_the_inferred_graph_out(exported: Store) -> None:
    nquads = export(exported, "nquads")
    assert INFERRED_GRAPH not in nquads and "/graph/ontology>" in nquads
    assert f"<{INFERRED_GRAPH}>" in export(exported, "nquads", inferred=True)
    inferred_only = export(exported, "ntriples", graph=INFERRED_GRAPH)
    assert inferred_only and inferred_only.splitlines()[0] not in export(exported, "ntriples")
    asserted = {q for q in exported.inner if q.graph_name != ox.NamedNode(INFERRED_GRAPH)}
    assert len(nquads.splitlines()) == len(asserted)


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_round_trip_gives_the_same_answers(
    fmt: str, exported: Store, expected: dict[str, object], tmp_path: Path
) -> None:
    path = tmp_path / f"export.{EXTENSIONS[fmt]}"
    path.write_text(export(exported, fmt), encoding="utf-8")
    copy = Store.open(tmp_path / "copy", initialise=False)
    report = import_dataset(copy, str(path))
    assert report.quads > 1000
    assert INFERRED_GRAPH not in copy.graphs()
    assert counts(copy) == expected["counts"]
    assert answers(copy) == expected["asserted"]
    # Reasoning on the copy gives what reasoning gave on the original, for every question.
    materialise(copy)
    assert answers(copy) == expected["reasoned"]
    copy.close()
    reopened = Store.open(tmp_path / "copy")  # no bundled data is added on top at the next open
    assert counts(reopened) == expected["counts"]
    reopened.close()


def test_quad_formats_give_back_every_graph(exported: Store, tmp_path: Path) -> None:
    path = tmp_path / "export.trig"
    path.write_text(export(exported, "trig"), encoding="utf-8")
    copy = Store.open(tmp_path / "copy", initialise=False)
    import_dataset(copy, str(path))
    assert copy.graphs() == [g for g in exported.graphs() if g != INFERRED_GRAPH]
    assert canonical(export(copy, "nquads")) == canonical(export(exported, "nquads"))


def canonical(nquads: str) -> list[str]:
    """N-Quads with blank nodes relabelled canonically (RDFC-1.0), sorted."""
    dataset = ox.Dataset(ox.parse(nquads.encode(), ox.RdfFormat.N_QUADS))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted(str(q) for q in dataset)


def test_import_refuses_a_store_that_is_not_empty(tmp_path: Path) -> None:
    from pledgegraph.errors import InputError

    store = Store.open(tmp_path / "s")
    path = tmp_path / "x.nq"
    path.write_text(export(store, "nquads"), encoding="utf-8")
    with pytest.raises(InputError, match=r"the store is not empty \(1,\d\d\d quads\)"):
        import_dataset(store, str(path))


def test_a_malformed_import_leaves_the_store_empty(tmp_path: Path) -> None:
    from pledgegraph.errors import InputError

    store = Store.open(tmp_path / "s", initialise=False)
    path = tmp_path / "bad.nq"
    path.write_text("<https://e.org/a> <https://e.org/b> <https://e.org/c> .\n<oops\n")
    with pytest.raises(InputError, match="cannot import"):
        import_dataset(store, str(path))
    assert len(store.inner) == 0 and store.graphs() == []
    assert not store.is_initialised()


def test_cli_round_trip(cli: Invoke, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from pledgegraph.cli import main

    assert cli("reason").exit_code == 0
    before = cli("query", "compare-regions", "-f", "csv").stdout
    stats = json.loads(cli("stats", "--json").stdout)
    out = tmp_path / "all.nq"
    result = cli("export", "-f", "nquads", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert INFERRED_GRAPH not in out.read_text(encoding="utf-8")
    copy = str(tmp_path / "copy")
    result = CliRunner().invoke(main, ["--store", copy, "import", str(out)])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith(
        f"imported {out}: {stats['quads'] - stats['graphs'][INFERRED_GRAPH]} quads in "
    )
    again = CliRunner().invoke(main, ["--store", copy, "query", "compare-regions", "-f", "csv"])
    assert again.stdout == before
    result = CliRunner().invoke(main, ["--store", copy, "import", str(out)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {copy}: the store is not empty (")
