"""Fraud rings over plain facts: links beyond households, hubs left out, and the ring score."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

import pytest

from c360graph.analyze.facts import IdentityFacts, Link, OrderFact
from c360graph.analyze.fraud import find_candidates, score_rings
from c360graph.analyze.settings import AnalysesConfig, load_analyses_config

T0 = datetime(2025, 3, 1, 12, 0)
PHONE = Link("phone", "+447700900001", "mobile")
DEVICE = Link("device", "dev-1", "phone")
DROP = Link("address", "1 drop st||e1 1aa|gb")


@pytest.fixture
def config() -> AnalysesConfig:
    return load_analyses_config()


def account(identity: str, opened_days: float, *links: Link) -> IdentityFacts:
    return IdentityFacts(identity, {identity}, T0 + timedelta(days=opened_days), set(links))


def ring_facts(spread_days: float = 3) -> dict[str, IdentityFacts]:
    people = [
        account("r1", 0, PHONE, DEVICE),
        account("r2", spread_days / 2, PHONE, DEVICE),
        account("r3", spread_days, PHONE),
        account("r4", spread_days, DEVICE, DROP),
    ]
    return {p.id: p for p in people}


def busts(ids: list[str], amount: float = 900.0, currency: str = "GBP") -> list[OrderFact]:
    return [OrderFact(i, amount, currency, T0 + timedelta(days=5), "delivered") for i in ids]


def test_accounts_sharing_a_phone_and_a_device_form_one_candidate_with_its_evidence(
    config: AnalysesConfig,
) -> None:
    search = find_candidates(ring_facts(), {}, config.fraud)
    [candidate] = search.candidates
    assert candidate.members == ("r1", "r2", "r3", "r4")
    kinds = {(e.kind, e.value, e.identities) for e in candidate.evidence}
    assert ("phone", PHONE.value, ("r1", "r2", "r3")) in kinds
    assert ("device", DEVICE.value, ("r1", "r2", "r4")) in kinds


def test_a_fast_opened_ring_with_large_early_orders_scores_high(config: AnalysesConfig) -> None:
    facts = ring_facts()
    search = find_candidates(facts, {}, config.fraud)
    [ring] = score_rings(
        search.candidates, facts, busts(list(facts)), config.fraud, config.currency
    )
    assert ring.parts["velocity"] == 1.0
    assert ring.parts["orders"] == 1.0
    assert ring.score >= 0.8
    assert ring.large_orders == 4
    assert "accounts opened within 3 days" in ring.reason


def test_slowly_opened_accounts_without_large_orders_are_not_stored(config: AnalysesConfig) -> None:
    facts = ring_facts(spread_days=400)
    search = find_candidates(facts, {}, config.fraud)
    assert score_rings(search.candidates, facts, [], config.fraud, config.currency) == []
    everything = dataclasses.replace(config.fraud, min_score=0.0)
    [ring] = score_rings(search.candidates, facts, [], everything, config.currency)
    assert ring.parts["velocity"] == 0.5  # only r3 and r4 opened together (day 400)
    assert ring.parts["orders"] == 0.0


def test_an_innocent_account_chained_onto_a_ring_dilutes_its_velocity_but_keeps_it(
    config: AnalysesConfig,
) -> None:
    facts = ring_facts()
    facts["old"] = account("old", -300, DEVICE)  # a long-standing customer on a ring device
    search = find_candidates(facts, {}, config.fraud)
    [ring] = score_rings(
        search.candidates, facts, busts(["r1", "r2", "r3", "r4"]), config.fraud, config.currency
    )
    assert ring.parts["velocity"] == pytest.approx(4 / 5)
    assert ring.score >= config.fraud.min_score


def test_a_store_kiosk_links_no_one(config: AnalysesConfig) -> None:
    kiosk = Link("device", "kiosk-7", "kiosk")
    shoppers = {p.id: p for p in (account(x, 0, kiosk) for x in "abcd")}
    assert find_candidates(shoppers, {}, config.fraud).candidates == []


def test_large_orders_are_judged_in_the_reporting_currency(config: AnalysesConfig) -> None:
    facts = ring_facts()
    search = find_candidates(facts, {}, config.fraud)
    dong = score_rings(
        search.candidates, facts, busts(list(facts), 900.0, "VND"), config.fraud, config.currency
    )
    assert dong[0].large_orders == 0  # 900 dong is small change
    unknown = score_rings(
        search.candidates, facts, busts(list(facts), 900.0, "XXX"), config.fraud, config.currency
    )
    assert unknown[0].large_orders == 0


def test_cancelled_orders_and_orders_long_after_opening_do_not_count(
    config: AnalysesConfig,
) -> None:
    facts = ring_facts()
    late = T0 + timedelta(days=config.fraud.large_order_within_days + 10)
    orders = [OrderFact("r1", 900, "EUR", T0, "cancelled"), OrderFact("r2", 900, "EUR", late, "")]
    search = find_candidates(facts, {}, config.fraud)
    [ring] = score_rings(search.candidates, facts, orders, config.fraud, config.currency)
    assert ring.large_orders == 0


def test_pairs_inside_one_household_are_not_ring_links(config: AnalysesConfig) -> None:
    family = {
        p.id: p for p in (account("a", 0, DROP), account("b", 1, DROP), account("c", 2, DROP))
    }
    assert find_candidates(family, {"a": "h1", "b": "h1", "c": "h1"}, config.fraud).candidates == []
    assert len(find_candidates(family, {}, config.fraud).candidates) == 1


def test_an_identifier_used_too_widely_is_a_hub_not_a_link(config: AnalysesConfig) -> None:
    shop = Link("phone", "+442071834410", "fixed_line")
    n = config.fraud.max_identities_per_identifier + 1
    facts = {f"c{i}": account(f"c{i}", i * 30, shop) for i in range(n)}
    search = find_candidates(facts, {}, config.fraud)
    assert search.candidates == []
    assert [(h.kind, h.value, h.identities) for h in search.hubs] == [("phone", shop.value, n)]


def test_groups_smaller_than_min_ring_size_are_no_candidates(config: AnalysesConfig) -> None:
    pair = {p.id: p for p in (account("a", 0, PHONE), account("b", 1, PHONE))}
    assert find_candidates(pair, {}, config.fraud).candidates == []


def test_a_shared_address_counts_less_towards_density_than_a_shared_phone(
    config: AnalysesConfig,
) -> None:
    by_phone = {p.id: p for p in (account(x, 0, PHONE) for x in "abc")}
    by_address = {p.id: p for p in (account(x, 0, DROP) for x in "abc")}
    [phone_ring] = find_candidates(by_phone, {}, config.fraud).candidates
    [address_ring] = find_candidates(by_address, {}, config.fraud).candidates
    assert phone_ring.linked_pairs == 3
    assert address_ring.linked_pairs == pytest.approx(3 * config.fraud.link_weights["address"])
