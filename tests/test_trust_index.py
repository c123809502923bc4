"""An RDF file cannot rewrite another source's data through the store's own index, nor through
a second value on another source's node (attack of 2026-12-03, reproduced first).

The file gave the seed's fourth Hebei target a ``pledge:rowYear`` of 1990 and a second kind:
the store loaded it, ``parks-by-year`` listed the 2022 target under 2000, ``reindex --check``
said every row was current, and only ``validate`` of the whole store saw the second kind.
Now a file that writes an index predicate is refused, and a file is validated together with
what the store says about the nodes it names.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pledgegraph.errors import InputError
from pledgegraph.graph.store import Store
from pledgegraph.graph.validation.checks import validate_rdf_file
from pledgegraph.loaders.rdf import ROW_PREDICATES
from pledgegraph.ontology import PLEDGE
from tests.conftest import Invoke

TARGET = "https://w3id.org/pledgegraph/id/pledge/cryptonews-7376/1/target/4"
PREFIXES = """\
@prefix pledge: <https://w3id.org/pledgegraph/ontology#> .
@prefix kind: <https://w3id.org/pledgegraph/kind/> .
"""
HIJACK = PREFIXES + f"<{TARGET}> pledge:rowYear 1990 ; pledge:kind kind:firms .\n"
SECOND_KIND = PREFIXES + f"<{TARGET}> pledge:kind kind:firms .\n"


def _years(cli: Invoke, year: int) -> str:
    done = cli("query", "parks-by-year", "-p", f"year={year}", "-f", "tsv")
    assert done.exit_code == 0, done.stderr
    return done.stdout


def test_a_file_writing_the_row_index_is_refused_and_nothing_is_written(
    cli: Invoke, tmp_path: Path
) -> None:
    assert cli("stats").exit_code == 0
    before = cli("export", "-f", "nquads").stdout
    answer = _years(cli, 2000)
    path = tmp_path / "hijack.ttl"
    path.write_text(HIJACK, encoding="utf-8")
    done = cli("load", str(path))
    assert done.exit_code == 2
    assert done.stderr == (
        f"Error: {path}:3: pledge:rowYear is pledgegraph's own index, computed from the data; "
        "remove it from the file\n"
    )
    assert cli("export", "-f", "nquads").stdout == before
    assert _years(cli, 2000) == answer
    assert TARGET not in answer  # (the 2022 target is not listed under 2000)
    # validate FILE says the same, as for any file that cannot be loaded
    checked = cli("validate", str(path))
    assert checked.exit_code == 2
    assert "pledge:rowYear is pledgegraph's own index" in checked.stderr


@pytest.mark.parametrize("predicate", ROW_PREDICATES)
@pytest.mark.parametrize("fmt", ["ntriples", "nquads", "turtle"])
def test_the_store_refuses_every_index_predicate_in_every_format(
    store: Store, predicate: str, fmt: str
) -> None:
    """The library refuses it too (a caller that did not validate), before any write."""
    line = f'<{TARGET}> <{predicate}> "1990" .\n'
    name = {"ntriples": "x.nt", "nquads": "x.nq", "turtle": "x.ttl"}[fmt]
    count = store.count()
    with pytest.raises(InputError) as raised:
        store.load_rdf(name, data=("# a comment\n" + line).encode("utf-8"))
    short = "pledge:" + predicate[len(PLEDGE) :]
    assert raised.value.message == (
        f"{name}:2: {short} is pledgegraph's own index, computed from the data; "
        "remove it from the file"
    )
    assert store.count() == count


def test_a_file_replacing_its_own_graph_is_refused_and_keeps_the_old_version(
    store: Store,
) -> None:
    store.load_rdf("mine.ttl", data=b'<https://example.org/a> <https://example.org/p> "1" .\n')
    count = store.count()
    with pytest.raises(InputError):
        store.load_rdf("mine.ttl", data=f'<{TARGET}> <{PLEDGE}row> "x" .\n'.encode())
    assert store.count() == count


def test_a_second_kind_on_another_sources_target_is_a_validation_error(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "kind.ttl"
    path.write_text(SECOND_KIND, encoding="utf-8")
    alone = validate_rdf_file(str(path))  # (without the store: nothing to see)
    assert not alone.errors
    report = validate_rdf_file(str(path), context=store)
    assert [(p.rule, p.focus, p.path, p.line) for p in report.errors] == [
        ("shacl:TargetShape.kind:maxCount", TARGET, str(path), 3)
    ]


def test_load_refuses_the_second_kind_and_lenient_loads_it_with_current_rows(
    cli: Invoke, tmp_path: Path
) -> None:
    assert cli("stats").exit_code == 0
    path = tmp_path / "kind.ttl"
    path.write_text(SECOND_KIND, encoding="utf-8")
    refused = cli("load", str(path))
    assert refused.exit_code == 2
    assert "shacl:TargetShape.kind:maxCount" in refused.stderr
    assert "not loaded: 1 validation error" in refused.stderr
    assert "kind-ttl" not in cli("stats", "--graphs").stdout
    lenient = cli("load", "--lenient", str(path))
    assert lenient.exit_code == 0, lenient.stderr
    assert "Warning: " in lenient.stderr
    checked = cli("reindex", "--check")
    assert checked.exit_code == 0, checked.stdout + checked.stderr
    # reloading the same file is not blamed on its own older version
    again = cli("load", "--lenient", str(path))
    assert again.exit_code == 0
    assert again.stderr.count("TargetShape.kind:maxCount") == 1


def test_a_file_that_describes_only_its_own_nodes_is_not_blamed_for_the_store(
    store: Store, tmp_path: Path
) -> None:
    """A new target of the file's own pledge is checked as before: no problem from the store."""
    own = tmp_path / "own.ttl"
    own.write_text(
        PREFIXES
        + "<https://example.org/t> a pledge:Target ; pledge:kind kind:parks .\n"
        + f"<{TARGET}> pledge:sector <https://w3id.org/pledgegraph/sector/blockchain> .\n",
        encoding="utf-8",
    )
    report = validate_rdf_file(str(own), context=store)
    assert TARGET not in {p.focus for p in report.errors}


def test_reindex_check_sees_index_quads_on_a_node_that_is_no_target_of_the_graph(
    store: Store,
) -> None:
    """What the hijack file left in a store loaded before the refusal (or a SPARQL update):
    ``reindex --check`` said every row was current and ``reindex`` wrote "0 rows"."""
    from pledgegraph.graph.rows import rebuild_rows, stale_rows

    store.load_rdf("kind.ttl", data=SECOND_KIND.encode("utf-8"))
    graph = "https://w3id.org/pledgegraph/graph/file/kind-ttl"
    assert stale_rows(store) == []
    store.inner.update(f"INSERT DATA {{ GRAPH <{graph}> {{ <{TARGET}> <{PLEDGE}rowYear> 1990 }} }}")
    assert stale_rows(store) == [(graph, TARGET, "not a target of this graph")]
    report = rebuild_rows(store)
    assert (report.changed, report.stray) == (0, 1)  # reported apart from the rows
    assert stale_rows(store) == []


SUB_PROPERTY = (
    PREFIXES
    + "@prefix ex: <http://example.org/> .\n"
    + "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
    + "ex:y rdfs:subPropertyOf pledge:rowYear .\n"
    + f"<{TARGET}> ex:y 1999 .\n"
)


def test_a_file_naming_an_index_predicate_anywhere_is_refused(cli: Invoke, tmp_path: Path) -> None:
    """A second attack: 'ex:y rdfs:subPropertyOf pledge:rowYear' passed (the predicate was
    only an object) and reason then wrote index quads into the inferred graph, so due-in-year
    listed a 2022 target under 1999."""
    sub = tmp_path / "sub.ttl"
    sub.write_text(SUB_PROPERTY, encoding="utf-8")
    refused = cli("load", "--lenient", str(sub))
    assert refused.exit_code == 2
    assert refused.stderr == (
        f"Error: {sub}:5: pledge:rowYear is pledgegraph's own index, computed from the data; "
        "remove it from the file\n"
    )


def test_reason_never_writes_the_row_index(cli: Invoke, store_path: Path) -> None:
    """Even with such a sub-property already in the store (written before the refusal, or by
    an update on a server), the inferred graph gets no index quad."""
    import pyoxigraph as ox

    assert cli("stats").exit_code == 0
    with Store.open(store_path) as store:
        graph = ox.NamedNode("https://w3id.org/pledgegraph/graph/file/old-ttl")
        sub = ox.NamedNode("http://example.org/y")
        store.inner.add(
            ox.Quad(
                sub,
                ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subPropertyOf"),
                ox.NamedNode(PLEDGE + "rowYear"),
                graph,
            )
        )
        store.inner.add(ox.Quad(ox.NamedNode(TARGET), sub, ox.Literal("1999"), graph))
    assert cli("reason").exit_code == 0
    with Store.open(store_path) as store:
        inferred = ox.NamedNode("https://w3id.org/pledgegraph/graph/inferred")
        written = {
            q.predicate.value for q in store.inner.quads_for_pattern(None, None, None, inferred)
        }
    assert written and not written & set(ROW_PREDICATES)


def test_a_file_is_not_blamed_for_a_problem_the_store_had_before_it(
    cli: Invoke, tmp_path: Path
) -> None:
    """A second attack: after a --lenient load gave a target a second kind, a file that only
    adds a comment to that target was refused for the second kind."""
    second = tmp_path / "second.ttl"
    second.write_text(SECOND_KIND, encoding="utf-8")
    assert cli("load", "--lenient", str(second)).exit_code == 0
    innocent = tmp_path / "innocent.ttl"
    innocent.write_text(
        f'<{TARGET}> <http://www.w3.org/2000/01/rdf-schema#comment> "checked by me" .\n',
        encoding="utf-8",
    )
    loaded = cli("load", str(innocent))
    assert loaded.exit_code == 0, loaded.stderr
    assert "Warning" not in loaded.stderr
    other = TARGET.replace("/target/4", "/target/3")  # a clean target: still refused
    again = tmp_path / "again.ttl"
    again.write_text(PREFIXES + f"<{other}> pledge:kind kind:funds .\n", encoding="utf-8")
    assert cli("load", str(again)).exit_code == 2
