"""cluster(): connected components against networkx and a naive Kruskal, with constraints."""

from __future__ import annotations

import gc
import math

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from c360graph.resolve.components import EDGE_KINDS, Clustering, Edge, ExclusiveTrait, cluster

KEYS = [f"crm:{i:02d}" for i in range(12)]

key_st = st.sampled_from(KEYS)
edge_st = st.builds(
    Edge,
    a=key_st,
    b=key_st,
    score=st.sampled_from([0.1, 0.5, 0.5, 0.9, 1.0]),  # repeated scores exercise the ties
    kind=st.sampled_from(["rule", "fuzzy", "fuzzy", "must"]),
)
plain_edge_st = st.builds(Edge, a=key_st, b=key_st, score=st.floats(0, 1))
cannot_st = st.lists(st.tuples(key_st, key_st), max_size=6)
max_size_st = st.none() | st.integers(1, 6)


def naive_cluster(
    keys: list[str],
    edges: list[Edge],
    cannot_link: list[tuple[str, str]],
    max_size: int | None,
) -> Clustering:
    """The specification, spelled out with frozensets: slow, obvious, no union-find."""
    comp = {k: frozenset([k]) for k in [*keys, *(e.a for e in edges), *(e.b for e in edges)]}
    rank = {kind: r for r, kind in enumerate(EDGE_KINDS)}
    ordered = sorted(
        edges,
        key=lambda e: (e.kind != "must", -e.score, e.a, e.b, rank[e.kind]),
    )
    result = Clustering()
    capped: list[str] = []
    for e in ordered:
        left, right = comp[e.a], comp[e.b]
        if left == right:
            result.accepted.append(e)
        elif any((x in left and y in right) or (x in right and y in left) for x, y in cannot_link):
            result.refused.append((e, "cannot_link"))
        elif e.kind != "must" and max_size is not None and len(left) + len(right) > max_size:
            result.refused.append((e, "max_size"))
            bigger = max(len(left), len(right))
            capped.extend(min(side) for side in (left, right) if len(side) == bigger)
        else:
            merged = left | right
            for k in merged:
                comp[k] = merged
            result.accepted.append(e)
    result.components = sorted({tuple(sorted(c)) for c in comp.values()})
    result.oversized = [
        c
        for c in result.components
        if any(k in c for k in capped) or (max_size is not None and len(c) > max_size)
    ]
    return result


@given(st.lists(plain_edge_st, max_size=30), st.integers(0, len(KEYS)))
def test_components_equal_networkx_connected_components_without_constraints(
    edges: list[Edge], n_keys: int
) -> None:
    keys = KEYS[:n_keys]
    graph = nx.Graph()
    graph.add_nodes_from(keys)
    graph.add_edges_from((e.a, e.b) for e in edges)
    expected = sorted(tuple(sorted(c)) for c in nx.connected_components(graph))
    result = cluster(keys, edges)
    assert result.components == expected
    assert sorted(result.accepted, key=repr) == sorted(edges, key=repr)
    assert result.refused == []
    assert result.oversized == []


@given(st.lists(edge_st, max_size=30), cannot_st, max_size_st, st.integers(0, len(KEYS)))
def test_cluster_matches_a_naive_kruskal_with_constraints(
    edges: list[Edge], cannot: list[tuple[str, str]], max_size: int | None, n_keys: int
) -> None:
    keys = KEYS[:n_keys]
    assert cluster(keys, edges, cannot, max_size) == naive_cluster(keys, edges, cannot, max_size)


@given(st.data(), st.lists(edge_st, max_size=30), cannot_st, max_size_st)
def test_result_is_independent_of_edge_and_key_order(
    data: st.DataObject, edges: list[Edge], cannot: list[tuple[str, str]], max_size: int | None
) -> None:
    shuffled_edges = data.draw(st.permutations(edges))
    shuffled_keys = data.draw(st.permutations(KEYS))
    first = cluster(KEYS, edges, cannot, max_size)
    second = cluster(shuffled_keys, shuffled_edges, cannot, max_size)
    assert first == second


@given(st.lists(edge_st, max_size=30), cannot_st, max_size_st)
def test_constraints_hold_and_every_edge_is_accounted_for(
    edges: list[Edge], cannot: list[tuple[str, str]], max_size: int | None
) -> None:
    result = cluster(KEYS, edges, cannot, max_size)
    where = {k: i for i, comp in enumerate(result.components) for k in comp}
    assert sorted(where) == KEYS  # a partition: every key exactly once
    for x, y in cannot:
        assert x == y or where[x] != where[y]
    for e in result.accepted:
        assert where[e.a] == where[e.b]
    for e, reason in result.refused:
        assert where[e.a] != where[e.b]
        assert reason in {"cannot_link", "max_size"}
        assert reason != "max_size" or e.kind != "must"
    assert len(result.accepted) + len(result.refused) == len(edges)
    if max_size is not None and not any(e.kind == "must" for e in edges):
        assert all(len(c) <= max_size for c in result.components)


def test_keys_without_edges_are_singleton_components() -> None:
    result = cluster(["c", "a", "b", "d"], [Edge("b", "d", 0.9)])
    assert result.components == [("a",), ("b", "d"), ("c",)]


def test_edge_endpoints_missing_from_keys_are_taken_in_as_records() -> None:
    result = cluster(["a"], [Edge("b", "c", 0.7)])
    assert result.components == [("a",), ("b", "c")]


def test_cannot_link_refuses_the_union_and_reports_the_edge() -> None:
    edges = [Edge("a", "b", 0.9), Edge("b", "c", 0.8), Edge("c", "d", 0.95)]
    result = cluster("abcd", edges, cannot_link=[("a", "d")])
    assert result.components == [("a", "b"), ("c", "d")]
    assert result.refused == [(Edge("b", "c", 0.8), "cannot_link")]


def test_cannot_link_beats_a_contradicting_must_link() -> None:
    edges = [Edge("a", "b", 1.0, "must"), Edge("a", "c", 0.99)]
    result = cluster("abc", edges, cannot_link=[("b", "a")])
    assert result.components == [("a", "c"), ("b",)]
    assert result.refused == [(Edge("a", "b", 1.0, "must"), "cannot_link")]


def test_max_size_cuts_the_weakest_links() -> None:
    # Two tight pairs joined by one weak bridge: the bridge is what the cap of 2 cuts.
    edges = [Edge("b", "c", 0.2), Edge("a", "b", 0.9), Edge("c", "d", 0.8)]
    result = cluster("abcd", edges, max_size=2)
    assert result.components == [("a", "b"), ("c", "d")]
    assert result.refused == [(Edge("b", "c", 0.2), "max_size")]
    assert result.oversized == [("a", "b"), ("c", "d")]  # equal sides: both hit the cap


def test_max_size_reports_only_the_side_that_reached_the_cap() -> None:
    edges = [Edge("a", "b", 0.9), Edge("b", "c", 0.9), Edge("c", "d", 0.5)]
    result = cluster("abcd", edges, max_size=3)
    assert result.components == [("a", "b", "c"), ("d",)]
    assert result.oversized == [("a", "b", "c")]


def test_must_link_beats_max_size_and_the_component_is_reported_oversized() -> None:
    edges = [Edge("a", "b", 1.0, "must"), Edge("b", "c", 1.0, "must"), Edge("c", "d", 0.9)]
    result = cluster("abcd", edges, max_size=2)
    assert result.components == [("a", "b", "c"), ("d",)]
    assert result.refused == [(Edge("c", "d", 0.9), "max_size")]
    assert result.oversized == [("a", "b", "c")]


def test_must_links_go_first_whatever_their_score() -> None:
    edges = [Edge("a", "b", 0.99), Edge("b", "c", 0.1, "must")]
    result = cluster("abc", edges, max_size=2)
    assert result.components == [("a",), ("b", "c")]
    assert result.accepted == [Edge("b", "c", 0.1, "must")]


def test_equal_scores_are_processed_in_key_order() -> None:
    edges = [Edge("c", "d", 0.5), Edge("b", "a", 0.5), Edge("b", "c", 0.5)]
    result = cluster("abcd", edges, max_size=2)
    assert result.accepted == [Edge("b", "a", 0.5), Edge("c", "d", 0.5)]


@pytest.mark.parametrize(
    ("edges", "max_size", "fragment"),
    [
        ([Edge("a", "b", 0.5, "maybe")], None, "kind 'maybe' is unknown"),
        ([Edge("a", "b", math.nan)], None, "NaN score"),
        ([], 0, "max_size must be at least 1"),
    ],
)
def test_bad_input_is_refused_with_a_message_saying_what_to_fix(
    edges: list[Edge], max_size: int | None, fragment: str
) -> None:
    with pytest.raises(ValueError, match=fragment):
        cluster("ab", edges, max_size=max_size)


def test_empty_input_gives_an_empty_clustering() -> None:
    assert cluster([], []) == Clustering()


def test_garbage_collection_is_left_as_it_was_found() -> None:
    assert gc.isenabled()
    cluster("ab", [Edge("a", "b", 0.5)])
    assert gc.isenabled()
    gc.disable()
    try:
        cluster("ab", [Edge("a", "b", 0.5)])
        assert not gc.isenabled()
    finally:
        gc.enable()


def _parity_clash(x: object, y: object) -> bool:
    return x != y


def test_a_chain_joining_two_clashing_records_is_cut_at_its_weakest_link() -> None:
    # Father and son are never linked directly: records without the trait bridge them.
    edges = [
        Edge("father", "till", 0.99, "rule"),
        Edge("till", "shop", 0.93),
        Edge("shop", "son", 0.98),
        Edge("father", "crm", 0.95),
    ]
    trait = ExclusiveTrait({"father": 1961, "son": 1989, "crm": 1961}, _parity_clash, "clash")
    result = cluster({"father", "till", "shop", "son", "crm"}, edges, exclusive=trait)
    assert result.refused == [(Edge("till", "shop", 0.93), "clash")]
    assert sorted(result.components) == [("crm", "father", "till"), ("shop", "son")]


def test_an_analysts_must_link_overrides_a_trait_clash_and_values_that_agree_never_clash() -> None:
    # The analyst vouched for a+b as one person: records clashing with either still join it.
    trait = ExclusiveTrait({"a": 1, "b": 2, "c": 1, "d": 1, "e": 1}, _parity_clash, "clash")
    edges = [Edge("a", "b", 1.0, "must"), Edge("b", "c", 0.9), Edge("d", "e", 0.9)]
    result = cluster({"a", "b", "c", "d", "e"}, edges, exclusive=trait)
    assert result.components == [("a", "b", "c"), ("d", "e")] and not result.refused


def test_a_trait_yields_to_a_link_at_or_above_its_yields_to_but_not_to_a_weaker_one() -> None:
    # A surname-only record ("till") would chain two family members: the weak link is cut,
    # while a near-certain link joins records whose names were typed differently.
    trait = ExclusiveTrait(
        {"ann": 1, "bob": 2, "bo": 2, "robert": 1}, _parity_clash, "names", 0.9999
    )
    edges = [Edge("ann", "till", 0.95), Edge("till", "bob", 0.93), Edge("bo", "robert", 0.99995)]
    result = cluster({"ann", "till", "bob", "bo", "robert"}, edges, exclusive=[trait])
    assert result.refused == [(Edge("till", "bob", 0.93), "names")]
    assert result.components == [("ann", "till"), ("bo", "robert"), ("bob",)]


def test_each_trait_is_checked_and_names_its_own_refusal() -> None:
    dob = ExclusiveTrait({"a": 1, "b": 2}, _parity_clash, "dob")
    name = ExclusiveTrait({"c": "x", "d": "y"}, _parity_clash, "name")
    edges = [Edge("a", "b", 0.9), Edge("c", "d", 0.8), Edge("a", "c", 0.7)]
    result = cluster({"a", "b", "c", "d"}, edges, exclusive=(dob, name))
    assert result.refused == [(Edge("a", "b", 0.9), "dob"), (Edge("c", "d", 0.8), "name")]
    assert result.components == [("a", "c"), ("b",), ("d",)]
