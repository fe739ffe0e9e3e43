"""The review band: which scored pairs are queued, in what order, and how many."""

from __future__ import annotations

import dataclasses

import yaml

from c360graph.resolve.linking import find_links
from c360graph.resolve.records import Scored
from c360graph.resolve.settings import (
    DEFAULT_PATH,
    ReviewSpec,
    load_resolution_config,
    parse_resolution_config,
)
from c360graph.review.band import (
    BAND_SLACK,
    BELOW_THRESHOLD,
    VETOED,
    in_review_band,
    nearest,
    review_item,
    select,
)
from tests.population import people, trained_model

THRESHOLD, FLOOR = 0.9, 0.5
DEFAULT_DOC = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))


def scored(a: str, b: str, p: float, blocked_by: str | None = None) -> Scored:
    return Scored(
        a,
        b,
        weight=1.0,
        probability=p,
        levels={"name": "subset", "address": "line", "phone": "null"},
        blocked_by=blocked_by,
        partials={"name": 2.5, "address": 3.25, "phone": 0.0},
    )


def test_the_band_runs_from_the_floor_up_to_the_threshold() -> None:
    assert in_review_band(scored("crm:1", "shop:1", 0.5), THRESHOLD, FLOOR)
    assert in_review_band(scored("crm:1", "shop:1", 0.8999), THRESHOLD, FLOOR)
    assert not in_review_band(scored("crm:1", "shop:1", 0.4999), THRESHOLD, FLOOR)
    assert not in_review_band(scored("crm:1", "shop:1", 0.9), THRESHOLD, FLOOR)  # linked


def test_a_guard_veto_above_the_threshold_is_queued_and_below_the_floor_is_not() -> None:
    vetoed = scored("crm:1", "shop:1", 0.99, "dob_conflict_and_name_mismatch")
    assert in_review_band(vetoed, THRESHOLD, FLOOR)
    assert review_item(vetoed, THRESHOLD).reason == VETOED
    low = scored("crm:1", "shop:1", 0.3, "dob_conflict_and_name_mismatch")
    assert not in_review_band(low, THRESHOLD, FLOOR)
    near = review_item(scored("crm:1", "shop:1", 0.7, "dob_conflict_and_name_mismatch"), THRESHOLD)
    assert near.reason == BELOW_THRESHOLD and near.blocked_by == "dob_conflict_and_name_mismatch"


def test_an_item_keeps_each_fields_level_and_weight_side_by_side() -> None:
    item = review_item(scored("crm:Nguyễn", "shop:Nguyen", 0.64), THRESHOLD)
    assert item.pair == ("crm:Nguyễn", "shop:Nguyen")
    assert item.fields == ("name", "address", "phone")
    assert item.levels == ("subset", "line", "null")
    assert item.weights == (2.5, 3.25, 0.0)
    assert item.distance == 0.26


def test_nearest_the_threshold_first_then_by_keys_and_at_most_the_cap() -> None:
    band = [
        scored("crm:3", "shop:3", 0.55),
        scored("crm:2", "shop:2", 0.95, "dob_conflict_in_identity"),  # 0.05 above
        scored("crm:1", "shop:1", 0.85),  # 0.05 below: ties by keys
        scored("crm:4", "shop:4", 0.89),
    ]
    chosen = select(band, THRESHOLD, 3, lambda pair: False)
    assert [i.a for i in chosen] == ["crm:4", "crm:1", "crm:2"]


def test_settled_pairs_are_never_queued_and_a_pair_is_queued_once() -> None:
    band = [
        scored("crm:1", "shop:1", 0.8),
        scored("crm:1", "shop:1", 0.8),
        scored("crm:2", "shop:2", 0.7),
    ]
    chosen = select(band, THRESHOLD, 10, lambda pair: pair == ("crm:2", "shop:2"))
    assert [i.pair for i in chosen] == [("crm:1", "shop:1")]


def test_the_default_band_is_even_odds_up_to_the_threshold() -> None:
    config = load_resolution_config()
    assert config.review == ReviewSpec(floor=0.5, max_pairs=500)
    assert config.review.floor < config.threshold


def test_a_threshold_at_or_below_the_default_floor_halves_it_unless_one_is_written() -> None:
    low = {**DEFAULT_DOC, "threshold": 0.4}
    low.pop("review")
    assert parse_resolution_config(low).review.floor == 0.2
    written = {**DEFAULT_DOC, "threshold": 0.4, "review": {"floor": 0.3}}
    assert parse_resolution_config(written).review.floor == 0.3


def test_nearest_keeps_the_pairs_closest_to_the_threshold_either_side() -> None:
    band = [scored("a", "b", 0.6), scored("a", "c", 0.95, "g"), scored("b", "c", 0.88)]
    assert [s.pair for s in nearest(band, THRESHOLD, 2)] == [("b", "c"), ("a", "c")]


def test_a_run_keeps_only_the_band_pairs_nearest_the_threshold_as_it_scores() -> None:
    """Memory stays bounded by the queue's size, not by how many pairs fall in the band."""
    config = load_resolution_config()
    recs = {r.key: r for r in people(600, seed=3)[0]}
    model = trained_model()

    def band(max_pairs: int) -> list[Scored]:
        small = dataclasses.replace(config, review=ReviewSpec(FLOOR, max_pairs))
        return find_links(recs, [], set(recs), small, model, keep_all_scored=False).review

    whole, trimmed = band(1_000_000), band(1)
    assert len(whole) > 2 * BAND_SLACK  # the band did outgrow the cap
    assert BAND_SLACK <= len(trimmed) < 2 * BAND_SLACK
    assert nearest(trimmed, config.threshold, BAND_SLACK) == nearest(
        whole, config.threshold, BAND_SLACK
    )
