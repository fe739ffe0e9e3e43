"""assign_identities: ids stay put across runs; merges, splits, erasures are named and explained."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from itertools import count

import pytest
from hypothesis import given
from hypothesis import strategies as st

from c360graph.resolve.identities import (
    Assignment,
    Event,
    assign_identities,
    new_identity_id,
    resolve_redirect,
)


def counter(prefix: str = "new") -> Callable[[], str]:
    numbers = count(1)
    return lambda: f"{prefix}{next(numbers)}"


def run(components: list[tuple[str, ...]], previous: dict[str, str]) -> Assignment:
    return assign_identities(components, previous, counter())


def test_first_run_creates_one_identity_per_component_in_key_order() -> None:
    result = run([("c",), ("b", "a")], {})
    assert result.identities == {"new1": ("a", "b"), "new2": ("c",)}
    assert result.record_identity == {"a": "new1", "b": "new1", "c": "new2"}
    assert result.events == [
        Event("create", "new1", (), 2, "records with no earlier identity"),
        Event("create", "new2", (), 1, "records with no earlier identity"),
    ]
    assert (result.redirects, result.retired) == ({}, [])


def test_rerun_on_unchanged_input_keeps_every_id_and_records_no_event() -> None:
    components = [("a", "b"), ("c",), ("d", "e", "f")]
    first = run(components, {})
    second = run(components, first.record_identity)
    assert second == Assignment(first.record_identity, first.identities, {}, [], [])


def test_new_record_joining_an_identity_keeps_its_id_quietly() -> None:
    result = run([("a", "b", "z")], {"a": "X", "b": "X"})
    assert result.identities == {"X": ("a", "b", "z")}
    assert result.events == []


def test_merge_keeps_the_id_holding_most_records_and_redirects_the_others() -> None:
    previous = {"a": "Y", "b": "X", "c": "X", "d": "W"}
    result = run([("a", "b", "c", "d")], previous)
    assert result.identities == {"X": ("a", "b", "c", "d")}
    assert result.redirects == {"W": "X", "Y": "X"}
    [event] = result.events
    assert (event.kind, event.identity, event.others, event.records) == (
        "merge",
        "X",
        ("W", "Y"),
        4,
    )


def test_merge_tie_keeps_the_smallest_id() -> None:
    result = run([("a", "b")], {"a": "Y", "b": "X"})
    assert result.identities == {"X": ("a", "b")}
    assert result.redirects == {"Y": "X"}


def test_split_leaves_the_id_with_the_largest_part_and_gives_the_rest_new_ids() -> None:
    previous = dict.fromkeys("abcd", "X")
    result = run([("d",), ("a", "b", "c")], previous)
    assert result.identities == {"X": ("a", "b", "c"), "new1": ("d",)}
    [event] = result.events
    assert (event.kind, event.identity, event.others, event.records) == (
        "split",
        "X",
        ("new1",),
        1,
    )
    assert result.redirects == {}


def test_split_tie_leaves_the_id_with_the_part_holding_the_smallest_key() -> None:
    result = run([("b", "d"), ("a", "c")], dict.fromkeys("abcd", "X"))
    assert result.identities == {"X": ("a", "c"), "new1": ("b", "d")}


def test_merge_and_split_in_one_run() -> None:
    # X = {a, b, c}, Y = {d}: c leaves X, d joins it.
    previous = {"a": "X", "b": "X", "c": "X", "d": "Y"}
    result = run([("a", "b", "d"), ("c",)], previous)
    assert result.identities == {"X": ("a", "b", "d"), "new1": ("c",)}
    assert result.redirects == {"Y": "X"}
    assert [(e.kind, e.identity, e.others, e.records) for e in result.events] == [
        ("merge", "X", ("Y",), 3),
        ("split", "X", ("new1",), 1),
    ]


def test_records_moving_between_two_surviving_identities_split_one_and_move_to_the_other() -> None:
    previous = {"a": "X", "b": "X", "c": "X", "d": "Y", "e": "Y", "f": "Y"}
    result = run([("a", "b", "d"), ("c",), ("e", "f")], previous)
    assert result.identities == {"X": ("a", "b", "d"), "new1": ("c",), "Y": ("e", "f")}
    assert [(e.kind, e.identity, e.others, e.records) for e in result.events] == [
        ("split", "X", ("new1",), 1),
        ("split", "Y", ("X",), 1),
        ("move", "X", ("Y",), 1),
    ]


def test_a_move_names_every_identity_the_records_came_from_but_not_merged_ones() -> None:
    # X gains c from Y (which lives on) and all of W (merged in, so not a move).
    previous = {"a": "X", "b": "X", "c": "Y", "d": "Y", "e": "Y", "w": "W"}
    result = run([("a", "b", "c", "w"), ("d", "e")], previous)
    assert result.redirects == {"W": "X"}
    assert [(e.kind, e.identity, e.others, e.records) for e in result.events] == [
        ("merge", "X", ("W",), 4),
        ("split", "Y", ("X",), 1),
        ("move", "X", ("Y",), 1),
    ]


def test_absorbed_id_with_records_elsewhere_redirects_where_most_of_them_went() -> None:
    # Y's e, f join X's four records; Y's g joins Z's two, and Z keeps that component.
    previous = {**dict.fromkeys("abcd", "X"), **dict.fromkeys("efg", "Y"), "h": "Z", "i": "Z"}
    result = run([("a", "b", "c", "d", "e", "f"), ("g", "h", "i")], previous)
    assert result.identities == {"X": ("a", "b", "c", "d", "e", "f"), "Z": ("g", "h", "i")}
    assert result.redirects == {"Y": "X"}
    assert [(e.kind, e.identity, e.others, e.records) for e in result.events] == [
        ("merge", "X", ("Y",), 6),
        ("split", "Y", ("Z",), 1),
        ("move", "Z", ("Y",), 1),
    ]


def test_old_id_lives_on_in_a_minority_part_when_nothing_else_claims_it() -> None:
    # The greedy rule: X keeps the big component, so Y is free to keep g's component.
    previous = {**dict.fromkeys("abcd", "X"), **dict.fromkeys("efg", "Y")}
    result = run([("a", "b", "c", "d", "e", "f"), ("g",)], previous)
    assert result.identities == {"X": ("a", "b", "c", "d", "e", "f"), "Y": ("g",)}
    assert result.redirects == {}
    assert [(e.kind, e.identity, e.others) for e in result.events] == [
        ("split", "Y", ("X",)),
        ("move", "X", ("Y",)),
    ]


def test_erased_records_retire_an_identity_with_nothing_left() -> None:
    result = run([("a",)], {"a": "X", "b": "Y", "c": "Y"})
    assert result.identities == {"X": ("a",)}
    assert result.retired == ["Y"]
    assert result.events == [
        Event("retire", "Y", (), 2, "none of its records are present any more (erased or removed)")
    ]


def test_assignment_is_independent_of_component_and_record_order() -> None:
    previous = {"a": "X", "b": "Y", "c": "X", "e": "Y", "f": "Z"}
    first = run([("a", "b"), ("c", "d"), ("e",), ("f", "g")], previous)
    second = run([("g", "f"), ("e",), ("d", "c"), ("b", "a")], previous)
    assert first == second


def test_components_that_overlap_or_are_empty_are_refused() -> None:
    with pytest.raises(ValueError, match="record 'b' is in two components"):
        run([("a", "b"), ("b", "c")], {})
    with pytest.raises(ValueError, match="empty component"):
        run([("a",), ()], {})


def test_a_new_id_that_collides_with_an_old_one_is_refused() -> None:
    with pytest.raises(ValueError, match="already in use"):
        assign_identities([("a",), ("b",)], {"a": "new1", "b": "new1"}, counter())


def test_resolve_redirect_follows_chains_and_survives_cycles() -> None:
    redirects = {"a": "b", "b": "c", "x": "y", "y": "z", "z": "y"}
    assert resolve_redirect("a", redirects) == "c"
    assert resolve_redirect("c", redirects) == "c"
    assert resolve_redirect("unknown", redirects) == "unknown"
    assert resolve_redirect("x", redirects) == "y"  # smallest id on the cycle y -> z -> y
    assert resolve_redirect("z", redirects) == "y"


def test_new_identity_ids_are_short_url_safe_unique_and_sort_by_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    made = [new_identity_id() for _ in range(1000)]
    assert len(set(made)) == 1000
    assert all(re.fullmatch(r"id_[0-9a-hjkmnp-tv-z]{20}", i) for i in made)
    monkeypatch.setattr(time, "time", lambda: 1_700_000_000.000)
    earlier = new_identity_id()
    monkeypatch.setattr(time, "time", lambda: 1_700_000_000.001)
    assert new_identity_id() > earlier


KEYS = "abcdefghij"
partition_st = st.lists(st.sampled_from(range(5)), min_size=len(KEYS), max_size=len(KEYS))


def components_of(labels: list[int]) -> list[tuple[str, ...]]:
    groups: dict[int, list[str]] = {}
    for key, label in zip(KEYS, labels, strict=True):
        groups.setdefault(label, []).append(key)
    return [tuple(g) for g in groups.values()]


@given(
    partition_st,
    st.dictionaries(st.sampled_from(KEYS + "xyz"), st.sampled_from(["P", "Q", "R", "S"])),
)
def test_identities_partition_the_records_and_every_old_id_is_accounted_for(
    labels: list[int], previous: dict[str, str]
) -> None:
    components = components_of(labels)
    result = run(components, previous)
    assert sorted(result.record_identity) == sorted(KEYS)
    assert sorted(k for keys in result.identities.values() for k in keys) == sorted(KEYS)
    for identity, keys in result.identities.items():
        assert all(result.record_identity[k] == identity for k in keys)
    assert sorted(result.identities.values()) == sorted(tuple(sorted(c)) for c in components)
    old_ids = set(previous.values())
    kept = old_ids & set(result.identities)
    assert set(result.redirects).isdisjoint(kept)
    assert set(result.retired).isdisjoint(kept | set(result.redirects))
    assert kept | set(result.redirects) | set(result.retired) == old_ids
    assert all(target in result.identities for target in result.redirects.values())
    # Running again on the outcome changes nothing.
    again = run(components, result.record_identity)
    assert (again.identities, again.events, again.redirects) == (result.identities, [], {})
