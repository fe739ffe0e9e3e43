"""Blocking: each pair once with every rule that found it, focus, block size limits, no all-pairs."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from itertools import combinations, product
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from c360graph.resolve.blocking import BlockingStats, candidates
from c360graph.resolve.features import BLOCK_KEYS, Feat, features
from c360graph.resolve.records import Rec
from c360graph.resolve.settings import BlockingConfig, BlockingRule, load_resolution_config
from tests.population import rec

CONFIG = load_resolution_config()


def blocking(*rules: tuple[str, list[str]], max_block_size: int = 200) -> BlockingConfig:
    return BlockingConfig(tuple(BlockingRule(i, tuple(k)) for i, k in rules), max_block_size)


def pairs(feats: list[Feat], config: Any, **kw: Any) -> dict[tuple[str, str], tuple[str, ...]]:
    found = list(candidates(feats, config, **kw))
    out = {(c.a, c.b): c.blocks for c in found}
    assert len(out) == len(found), "a pair was emitted twice"
    return out


def test_a_pair_found_by_several_rules_is_emitted_once_with_all_rule_ids() -> None:
    a = rec("crm:1", first_name="Anna", last_name="Meyer", date_of_birth=date(1980, 1, 2),
            postcode="10115", emails=("anna.meyer@gmx.de",))  # fmt: skip
    b = rec("pos:7", full_name="Meyer, Anna", date_of_birth=date(1980, 1, 2),
            postcode="10115", emails=("anna.meyer@web.de",))  # fmt: skip
    c = rec("app:3", first_name="Otto", last_name="Kranz")
    found = pairs([features(r) for r in (b, a, c)], CONFIG)
    assert list(found) == [("crm:1", "pos:7")]
    assert set(found[("crm:1", "pos:7")]) >= {"name", "dob_postcode", "email_local"}


def test_keys_are_ordered_a_before_b_whatever_the_input_order() -> None:
    recs = [rec(f"s:{k}", first_name="Ian", last_name="Bell") for k in "dcba"]
    found = pairs([features(r) for r in recs], CONFIG)
    assert sorted(found) == sorted(combinations(sorted(r.key for r in recs), 2))
    assert all(a < b for a, b in found)


def test_focus_limits_pairs_to_those_touching_a_focused_record() -> None:
    recs = [rec(f"s:{i}", first_name="Ian", last_name="Bell") for i in range(5)]
    feats = [features(r) for r in recs]
    found = pairs(feats, CONFIG, focus={"s:1", "s:3"})
    assert set(found) == {
        p for p in combinations([r.key for r in recs], 2) if {"s:1", "s:3"} & set(p)
    }
    assert pairs(feats, CONFIG, focus=set()) == {}


def test_oversized_blocks_are_skipped_and_counted() -> None:
    smiths = [rec(f"s:{i}", first_name="John", last_name="Smith") for i in range(6)]
    config = blocking(("name", ["name_tokens_sorted"]), max_block_size=5)
    stats = BlockingStats()
    assert pairs([features(r) for r in smiths], config, stats=stats) == {}
    assert stats.skipped_blocks == {"name": 1} and stats.skipped == 1
    assert stats.skipped_records == 6 and stats.candidates == 0


def test_a_rule_can_hold_its_blocks_smaller_than_the_default() -> None:
    recs = [rec(f"s:{i}", first_name="Jo", last_name="Bell", postcode="10115") for i in range(4)]
    config = BlockingConfig(
        (BlockingRule("loose", ("last_name_key",), 3), BlockingRule("tight", ("postcode",))), 200
    )
    stats = BlockingStats()
    found = pairs([features(r) for r in recs], config, stats=stats)
    assert set(found.values()) == {("tight",)} and len(found) == 6
    assert stats.skipped_blocks == {"loose": 1}


def test_a_giant_block_is_never_compared_but_smaller_rules_still_pair_within_it() -> None:
    smiths = [
        rec(f"s:{i}", first_name="John", last_name="Smith", date_of_birth=date(1950, 1, 1 + i % 28))
        for i in range(1000)
    ]
    stats = BlockingStats()
    found = pairs([features(r) for r in smiths], CONFIG, stats=stats)
    assert stats.skipped_blocks.get("name") == 1
    # Only the dob rule still pairs: 28 birthdays, ~36 Johns each -> far from 500,000 pairs.
    assert 0 < len(found) <= 28 * 36 * 35 // 2
    assert all("name" not in rules for rules in found.values())


def test_work_grows_with_block_sizes_not_with_all_pairs() -> None:
    recs = [
        rec(f"s:{i}", first_name=f"Name{i}", last_name=f"Family{i // 2}", postcode=f"{i // 2:05d}")
        for i in range(2000)
    ]
    found = pairs([features(r) for r in recs], CONFIG)
    assert len(found) == 1000  # one pair per shared postcode + surname, nothing else


def test_stub_records_are_never_blocked() -> None:
    real = rec("crm:1", first_name="Ann", last_name="Lee", emails=("ann@x.org",))
    stub = replace(real, key="app:1", stub=True)
    assert pairs([features(real), features(stub)], CONFIG) == {}


def test_records_without_a_rule_key_are_not_in_that_rules_blocks() -> None:
    a = rec("a:1", first_name="Ann", date_of_birth=date(1990, 1, 1))
    b = rec("b:1", first_name="Ann", date_of_birth=date(1990, 1, 1))
    config = blocking(
        ("dob_postcode", ["dob", "postcode"]), ("dob_initial", ["dob", "first_initial"])
    )
    assert pairs([features(a), features(b)], config) == {("a:1", "b:1"): ("dob_initial",)}


def test_multi_valued_keys_pair_on_any_value() -> None:
    a = rec("a:1", phones=("+441632960001", "+441632960002"))
    b = rec("b:1", phones=("+351632960002",))  # same last seven digits as a's second phone
    config = blocking(("phone_last7", ["phone_last7"]))
    assert pairs([features(a), features(b)], config) == {("a:1", "b:1"): ("phone_last7",)}


KEYS = ["name_tokens_sorted", "first_initial", "dob", "postcode", "email_local_key", "phone_last7"]
people = st.builds(
    lambda i, f, last, d, pc, e: rec(
        f"s:{i:03d}", first_name=f, last_name=last, date_of_birth=d, postcode=pc, emails=e
    ),
    st.integers(0, 999),
    st.none() | st.sampled_from(["Ann", "Anne", "Bob", "Robert"]),
    st.none() | st.sampled_from(["Lee", "Li"]),
    st.none() | st.sampled_from([date(1990, 1, 1), date(1991, 2, 2)]),
    st.none() | st.sampled_from(["10115", "80331"]),
    st.lists(st.sampled_from(["a@x.de", "a@y.de", "b@x.de"]), max_size=2).map(tuple),
)
rules = st.lists(
    st.lists(st.sampled_from(KEYS), min_size=1, max_size=2, unique=True), min_size=1, max_size=3
)


@settings(max_examples=150, deadline=None)
@given(st.lists(people, max_size=25, unique_by=lambda r: r.key), rules, st.integers(2, 6))
def test_candidates_equal_brute_force_over_blocks(
    recs: list[Rec], rule_keys: list[list[str]], limit: int
) -> None:
    feats = [features(r) for r in recs]
    config = blocking(*((f"r{i}", keys) for i, keys in enumerate(rule_keys)), max_block_size=limit)
    expected: dict[tuple[str, str], list[str]] = {}
    for i, keys in enumerate(rule_keys):
        blocks: dict[tuple[str, ...], set[str]] = {}
        for f in feats:
            for combo in product(*(BLOCK_KEYS[k](f) for k in keys)):
                blocks.setdefault(combo, set()).add(f.key)
        for members in blocks.values():
            if len(members) <= limit:
                for a, b in combinations(sorted(members), 2):
                    ids = expected.setdefault((a, b), [])
                    if f"r{i}" not in ids:
                        ids.append(f"r{i}")
    assert pairs(feats, config) == {p: tuple(ids) for p, ids in expected.items()}


def test_the_same_date_of_birth_pairs_records_whatever_their_names() -> None:
    # Swapped, misspelt or missing names: the date alone brings the two together.
    a = rec("crm:1", first_name="Noah", last_name="Watson", date_of_birth=date(2008, 3, 23))
    b = rec("pos:1", date_of_birth=date(2008, 3, 23), emails=("matthew78@ballard.net",))
    found = pairs([features(a), features(b)], CONFIG)
    assert found == {("crm:1", "pos:1"): ("dob",)}
