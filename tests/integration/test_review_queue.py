"""The review queue against the real graph: a run queues a near pair, decisions settle it."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from c360graph.db.graph import Graph
from c360graph.resolve import store
from c360graph.resolve.assertions import UnknownRecord
from c360graph.resolve.engine import resolve
from c360graph.resolve.settings import ResolutionConfig, ReviewSpec, load_resolution_config
from c360graph.review import queue
from c360graph.review.band import BELOW_THRESHOLD
from tests.helpers import cypher
from tests.integration.test_resolve import load, same

# One woman typed two ways at one Hanoi address: accents dropped, a phone of her own in each
# system, no date of birth. The test population's model puts the pair near 0.82: more likely
# one person than two (the whole name agrees), not enough to link at 0.9 (the phones differ).
HONG_CRM = {
    "source_id": "KH-001",
    "first_name": "Thị Hồng",
    "last_name": "Nguyễn",
    "address_line1": "12 Lý Thường Kiệt",
    "city": "Hà Nội",
    "country": "VN",
    "phone": "+84 912 345 601",
}
HONG_SHOP = {
    "source_id": "DH-77",
    "first_name": "Thi Hong",
    "last_name": "Nguyen",
    "address_line1": "12 Ly Thuong Kiet",
    "city": "Ha Noi",
    "country": "VN",
    "phone": "+84 987 654 301",
}
# A second near pair in Đà Nẵng, to decide the other way.
HUYEN_CRM = {
    "source_id": "KH-002",
    "first_name": "Thị Huyền",
    "last_name": "Đặng",
    "address_line1": "30 Trần Phú",
    "city": "Đà Nẵng",
    "country": "VN",
    "phone": "+84 905 111 222",
}
HUYEN_SHOP = {
    "source_id": "DH-78",
    "first_name": "Thi Huyen",
    "last_name": "Dang",
    "address_line1": "30 Tran Phu",
    "city": "Da Nang",
    "country": "VN",
    "phone": "+84 935 444 555",
}
HONG = ("crm:KH-001", "shop:DH-77")
HUYEN = ("crm:KH-002", "shop:DH-78")


@pytest.fixture(scope="module")
def config() -> ResolutionConfig:
    return load_resolution_config()


def near_pairs(graph: Graph) -> None:
    load(graph, "crm", HONG_CRM, HUYEN_CRM)
    load(graph, "shop", HONG_SHOP, HUYEN_SHOP)


def queued(graph: Graph) -> dict[tuple[str, str], queue.Queued]:
    return {q.item.pair: q for q in queue.page(graph, 100)}


def test_a_run_queues_a_near_pair_with_its_score_reason_and_evidence(
    graph: Graph, config: ResolutionConfig
) -> None:
    near_pairs(graph)
    report = resolve(graph, config)
    assert not same(graph, *HONG)
    assert report.review_queued == 2
    item = queued(graph)[HONG]
    assert config.review.floor <= item.item.probability < config.threshold
    assert item.item.reason == BELOW_THRESHOLD and item.item.blocked_by is None
    assert item.run_id == report.run_id
    levels = dict(zip(item.item.fields, item.item.levels, strict=True))
    assert levels["name"] == "exact" and levels["phone"] == "else"
    assert len(item.item.weights) == len(item.item.fields)
    assert item.item.distance == pytest.approx(config.threshold - item.item.probability)


def test_accept_links_the_pair_on_the_next_run_and_it_stays_out_of_the_queue(
    graph: Graph, config: ResolutionConfig
) -> None:
    near_pairs(graph)
    resolve(graph, config)
    queue.decide(graph, *HONG, accept=True, by="chị Thảo", note="cùng một người, đã gọi điện")
    assert HONG not in queued(graph) and HUYEN in queued(graph)
    resolve(graph, config)
    assert same(graph, *HONG)
    assert HONG not in queued(graph)
    must, _ = store.assertions(graph, HONG)
    assert HONG in must
    resolve(graph, config, full=True)  # a full run re-scores the pair: still not queued
    assert same(graph, *HONG) and HONG not in queued(graph) and HUYEN in queued(graph)


def test_reject_keeps_the_pair_apart_and_out_of_the_queue(
    graph: Graph, config: ResolutionConfig
) -> None:
    near_pairs(graph)
    resolve(graph, config)
    queue.decide(graph, *HUYEN, accept=False, by="anh Minh", note="hai người khác nhau")
    resolve(graph, config)
    resolve(graph, config, full=True)
    assert not same(graph, *HUYEN)
    assert HUYEN not in queued(graph) and HONG in queued(graph)
    _, cannot = store.assertions(graph, HUYEN)
    assert HUYEN in cannot


def test_a_pair_linked_by_new_evidence_leaves_the_queue(
    graph: Graph, config: ResolutionConfig
) -> None:
    near_pairs(graph)
    resolve(graph, config)
    # Her shop record gains the email of her CRM record: the same_email rule joins them.
    load(graph, "crm", {**HONG_CRM, "email": "hong.nguyen@gmail.com"})
    load(graph, "shop", {**HONG_SHOP, "email": "hong.nguyen@gmail.com"})
    resolve(graph, config)
    assert same(graph, *HONG)
    assert set(queued(graph)) == {HUYEN}


def test_the_cap_keeps_the_pairs_nearest_the_threshold(graph: Graph) -> None:
    near_pairs(graph)
    capped = replace(load_resolution_config(), review=ReviewSpec(floor=0.5, max_pairs=1))
    resolve(graph, capped)
    assert len(queued(graph)) == 1


def test_pages_follow_each_other_and_min_probability_filters(
    graph: Graph, config: ResolutionConfig
) -> None:
    near_pairs(graph)
    resolve(graph, config)
    first = queue.page(graph, 1)
    rest = queue.page(graph, 10, after=(first[0].item.distance, *first[0].item.pair))
    assert len(first) == 1 and len(rest) == 1 and rest[0].item.pair != first[0].item.pair
    assert queue.page(graph, 10, min_probability=0.99) == []
    assert queue.size(graph) == 2


def test_deciding_an_unknown_record_says_which_key_and_queues_nothing(graph: Graph) -> None:
    near_pairs(graph)
    with pytest.raises(UnknownRecord, match="source:source_id"):
        queue.decide(graph, HONG[0], "crm:KH-404", accept=True, by="chị Thảo", note=None)
    rows: list[dict[str, Any]] = cypher(graph, "MATCH ()-[r:SAME_AS]->() RETURN count(r) AS n")
    assert rows[0]["n"] == 0
