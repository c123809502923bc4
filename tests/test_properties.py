"""Property-based tests: adversarial values never crash, never change a query's meaning,
and never touch the store."""

from __future__ import annotations

import pyoxigraph as ox
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pledgegraph import queries
from pledgegraph.errors import PledgeGraphError, QueryError
from pledgegraph.graph.query import run
from pledgegraph.graph.store import Store
from pledgegraph.loaders.factsheet import parse_factsheet

ADVERSARIAL = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "2022 } ; DROP ALL ; #",
            '" } } DROP ALL { "',
            "'''",
            "<https://e.org/a b>",
            "https://e.org/x> } ; DROP ALL ; <y",
            "pgid:region/CN-HE",
            "kind:parks",
            "99999999999999999999999999",
            "-0",
            "１２",  # full-width digits
            "CN-HE\n} DROP ALL",
            "河北",
            "\x00",
            "true",
            "2022-02-30",
            "Hebei",
        ]
    ),
)

_STORE = Store.memory()
_SNAPSHOT = sorted(str(q) for q in _STORE.inner)
_PARAMETERISED = [q for q in queries.catalogue().values() if q.parameters]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(query_index=st.integers(min_value=0), value=ADVERSARIAL)
def test_parameter_values_never_change_a_query_or_the_store(query_index: int, value: str) -> None:
    stored = _PARAMETERISED[query_index % len(_PARAMETERISED)]
    param = stored.parameters[0]
    try:
        bindings = queries.bind(stored, {param.name: value})
    except QueryError as error:
        assert error.message.startswith(f"query {stored.name}: parameter {param.name}=")
        return
    bound = queries.with_values(stored.sparql, bindings)
    # The only change is one VALUES block, and it parses back to exactly the bound terms.
    at = bound.index("\n  VALUES (")
    end = bound.index("\n", at + 1) + 1
    assert bound[:at] + bound[end:] == stored.sparql
    block = bound[at:end]
    probe = ox.Store().query(f"SELECT * WHERE {{ {block} }}")
    assert isinstance(probe, ox.QuerySolutions)
    rows = list(probe)
    assert len(rows) == 1
    for variable, term in bindings.items():
        assert rows[0][variable] == term
    result = run(_STORE, bound)
    if isinstance(result, ox.QuerySolutions):
        list(result)
    assert sorted(str(q) for q in _STORE.inner) == _SNAPSHOT


SHEET_FIELDS = st.fixed_dictionaries(
    {
        "region": st.one_of(
            st.sampled_from(["CN-HE", "Hunan", "DE", "河北", "Ningbo"]), st.text(max_size=12)
        ),
        "kind": st.one_of(st.sampled_from(["firms", "parks", "funds"]), st.text(max_size=10)),
        "quantity": st.one_of(
            st.none(),
            st.integers(min_value=-5, max_value=10**30),
            st.lists(st.integers(min_value=-2, max_value=50), max_size=3),
            st.floats(allow_nan=True),
            st.text(max_size=8),
        ),
        "deadline": st.one_of(st.integers(min_value=-1, max_value=99999), st.text(max_size=12)),
        "qualifier": st.text(max_size=30),
        "url": st.one_of(st.just("https://example.org/a"), st.text(max_size=30)),
    }
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fields=SHEET_FIELDS)
def test_fact_sheet_loader_never_crashes_and_loads_all_or_nothing(
    fields: dict[str, object],
) -> None:
    document = {
        "source": {"url": fields["url"]},
        "pledges": [
            {
                "region": fields["region"],
                "deadline": fields["deadline"],
                "targets": [
                    {
                        "kind": fields["kind"],
                        "quantity": fields["quantity"],
                        "qualifier": fields["qualifier"],
                    }
                ],
            }
        ],
    }
    text = yaml.safe_dump(document, allow_unicode=True)
    store = Store.memory(initialise=False)
    try:
        sheet = parse_factsheet(text, path="h.yaml")
    except PledgeGraphError as error:
        assert error.message.startswith("h.yaml:")
        assert len(store.inner) == 0
        return
    store.load_factsheet(sheet)
    once = sorted(str(q) for q in store.inner)
    store.load_factsheet(sheet)
    assert sorted(str(q) for q in store.inner) == once
