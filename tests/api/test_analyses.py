"""The analyses over HTTP: households, segments, fraud rings, customers at risk, shared ids.

The module's graph is the API sample plus two hand-made fraud rings ingested through the API
(accounts sharing a phone and a device, or a device, opened within days or weeks, with large
orders soon after), resolved through the API (which refreshes segments), then householded
and searched for rings with the analyses' own entry points.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from gql.transport.exceptions import TransportQueryError

from c360graph.analyze.runner import analyze_fraud, analyze_households
from c360graph.analyze.settings import load_analyses_config
from c360graph.db.graph import Graph
from c360graph.resolve.engine import resolve
from c360graph.resolve.settings import load_resolution_config
from tests.api.conftest import Run, error_codes, round_trips
from tests.helpers import cypher

SOURCE = "ringshop"
RING_PHONE = "+447911123456"
INGEST = (
    "mutation($source: String!, $kind: RecordKind!, $records: [JSON!]!, $resolve: Boolean!) "
    "{ ingestRecords(source: $source, kind: $kind, records: $records, resolve: $resolve) "
    "{ rejected rejections { reason } resolution { mode segments { mode identities } } } }"
)


def _customer(sid: str, first: str, last: str, opened: str, **ids: str) -> dict[str, str]:
    email = f"{first}.{last}@example.net".lower()
    names = {"first_name": first, "last_name": last}
    return {"source_id": sid, **names, "email": email, "created_at": opened, **ids}


def _order(oid: str, customer: str, amount: float, at: str) -> dict[str, Any]:
    placed = {"ordered_at": at, "channel": "web", "status": "paid"}
    return {"order_id": oid, "customer_id": customer, "amount": amount, "currency": "EUR", **placed}


# Ring A: four accounts on one phone and one device, opened within three days, each with a
# large basket a week later (scores about 0.9). Ring B: three accounts on one device, opened
# over two months (two of them within ten days), two with a large basket soon after (about
# 0.66).
RING_A_NAMES = [
    ("Oskar", "Brandt"),
    ("Mireille", "Fontaine"),
    ("Tobias", "Lindqvist"),
    ("Priya", "Raman"),
]
RING_A = [
    _customer(
        f"RA{n}",
        first,
        last,
        f"2026-05-0{n + 1}T09:00:00Z",
        phone=RING_PHONE,
        device_id="RING-A-DEVICE",
    )
    for n, (first, last) in enumerate(RING_A_NAMES, start=1)
]
RING_B = [
    _customer("RB1", "Henrike", "Vogel", "2026-03-01T09:00:00Z", device_id="RING-B-DEVICE"),
    _customer("RB2", "Anselm", "Kowalczyk", "2026-03-10T09:00:00Z", device_id="RING-B-DEVICE"),
    _customer("RB3", "Delphine", "Okafor", "2026-04-30T09:00:00Z", device_id="RING-B-DEVICE"),
]
ORDERS = [
    *(_order(f"A{n}", f"RA{n}", 900.0, f"2026-05-1{n}T12:00:00Z") for n in range(1, 5)),
    _order("B1", "RB1", 650.0, "2026-03-20T12:00:00Z"),
    _order("B2", "RB2", 720.0, "2026-04-15T12:00:00Z"),
    _order("B3", "RB3", 20.0, "2026-06-10T12:00:00Z"),
]


@pytest.fixture(scope="module")
def analysed(api_data: Graph, as_role: Callable[[str], Run]) -> Graph:
    """The sample plus two rings, resolved through the API, householded and ring-searched."""
    admin = as_role("admin")
    for kind, records, then_resolve in (
        ("CUSTOMERS", RING_A + RING_B, False),
        ("ORDERS", ORDERS, True),
    ):
        result = admin(INGEST, source=SOURCE, kind=kind, records=records, resolve=then_resolve)
        assert result["ingestRecords"]["rejected"] == 0, result
    config = load_analyses_config()
    analyze_households(api_data, config)
    analyze_fraud(api_data, config)
    return api_data


def _identity_of(graph: Graph, key: str) -> str:
    rows = cypher(graph, "MATCH (:Customer {key: $k})-[:RESOLVES_TO]->(i) RETURN i.id AS id", k=key)
    return str(rows[0]["id"])


def _walk(run: Run, query: str, field: str, size: int, **variables: Any) -> list[dict[str, Any]]:
    """Every node of a root connection, page by page."""
    nodes, after = [], None
    while True:
        page = run(query, first=size, after=after, **variables)[field]
        nodes += [edge["node"] for edge in page["edges"]]
        assert len(page["edges"]) <= size
        if not page["pageInfo"]["hasNextPage"]:
            return nodes
        after = page["pageInfo"]["endCursor"]


def test_household_shows_its_evidence_size_and_each_members_confidence(
    analysed: Graph, analyst: Run
) -> None:
    rows = cypher(
        analysed,
        "MATCH (i:Identity)-[r:IN_HOUSEHOLD]->(h:Household) "
        "WITH h, collect({id: i.id, confidence: r.confidence, reason: r.reason}) AS members "
        "RETURN h.id AS id, h.confidence AS confidence, h.reason AS reason, "
        "h.evidence AS evidence, h.size AS size, members ORDER BY size DESC, id LIMIT 1",
    )
    assert rows, "householding found no household in the sample"
    expected = rows[0]
    household = analyst(
        "query($id: ID!) { identity(id: $id) { household { id confidence reason evidence size "
        "createdAt updatedAt memberships { identityId confidence reason identity { id } } "
        "members { edges { node { id } } } } } }",
        id=expected["members"][0]["id"],
    )["identity"]["household"]
    assert household["id"] == expected["id"] and household["size"] == expected["size"]
    assert household["confidence"] == expected["confidence"]
    assert household["reason"] == expected["reason"] and household["reason"]
    assert household["evidence"] == expected["evidence"] and household["evidence"]
    assert household["createdAt"] and household["updatedAt"]
    memberships = {m["identityId"]: m for m in household["memberships"]}
    assert memberships == {
        m["id"]: {
            "identityId": m["id"],
            "confidence": m["confidence"],
            "reason": m["reason"],
            "identity": {"id": m["id"]},
        }
        for m in expected["members"]
    }
    confidences = [m["confidence"] for m in household["memberships"]]
    assert confidences == sorted(confidences, reverse=True)
    assert {e["node"]["id"] for e in household["members"]["edges"]} == set(memberships)


SEGMENT_FIELDS = (
    "name rfm recencyScore frequencyScore monetaryScore frequencyBand valueBand loyaltyBand "
    "orderCount totalSpend averageOrderValue firstOrderAt lastOrderAt historicValue "
    "expectedValue lifetimeValue currency churnRisk churnBand preferredChannel asOf computedAt"
)


def test_identity_segment_and_metrics_carry_what_the_refresh_wrote(
    analysed: Graph, analyst: Run
) -> None:
    row = cypher(
        analysed,
        "MATCH (i:Identity) WHERE i.status = 'active' AND i.order_count >= 2 "
        "RETURN i.id AS id, properties(i) AS p ORDER BY i.lifetime_value DESC, i.id LIMIT 1",
    )[0]
    props = row["p"]
    data = analyst(
        "query($id: ID!) { identity(id: $id) { segment { " + SEGMENT_FIELDS + " } "
        "metrics { segment lifetimeValue valueCurrency churnRisk } } }",
        id=row["id"],
    )["identity"]
    segment = data["segment"]
    assert segment["name"] == props["segment"] and segment["rfm"] == props["rfm"]
    for field, prop in (
        ("recencyScore", "recency_score"), ("frequencyScore", "frequency_score"),
        ("monetaryScore", "monetary_score"), ("frequencyBand", "frequency_band"),
        ("valueBand", "value_band"), ("loyaltyBand", "loyalty_band"),
        ("orderCount", "order_count"), ("totalSpend", "total_spend"),
        ("averageOrderValue", "average_order_value"), ("historicValue", "historic_value"),
        ("expectedValue", "expected_value"), ("lifetimeValue", "lifetime_value"),
        ("currency", "value_currency"), ("churnRisk", "churn_risk"),
        ("churnBand", "churn_band"), ("preferredChannel", "preferred_channel"),
    ):  # fmt: skip
        assert segment[field] == props[prop], field
    # Values are in the data's currency: the one most priced purchases are in.
    currencies = cypher(
        analysed,
        "MATCH (o:Order) WHERE NOT o.status IN ['cancelled', 'returned'] "
        "RETURN o.currency AS currency, count(*) AS n ORDER BY n DESC, currency LIMIT 1",
    )
    assert segment["currency"] == currencies[0]["currency"] and segment["orderCount"] >= 2
    assert segment["firstOrderAt"] <= segment["lastOrderAt"] <= segment["asOf"]
    assert segment["computedAt"]
    assert data["metrics"] == {
        "segment": props["segment"],
        "lifetimeValue": props["lifetime_value"],
        "valueCurrency": segment["currency"],
        "churnRisk": props["churn_risk"],
    }


RINGS = (
    "query($first: Int, $after: String, $min: Float!) { fraudRings(minScore: $min, "
    "first: $first, after: $after) { edges { node { id score size density velocity "
    "largeOrderShare largeOrders openedWithinDays reason evidenceKinds createdAt "
    "members { edges { node { id } } } evidence { kind value detail identities } } } "
    "pageInfo { hasNextPage endCursor } } }"
)


def _rings(graph: Graph, min_score: float) -> list[str]:
    rows = cypher(
        graph,
        "MATCH (f:FraudRing) WHERE f.score >= $min RETURN f.id AS id ORDER BY f.score DESC, f.id",
        min=min_score,
    )
    return [r["id"] for r in rows]


def test_fraud_rings_page_highest_score_first_and_keep_to_min_score(
    analysed: Graph, analyst: Run
) -> None:
    everything = _walk(analyst, RINGS, "fraudRings", 1, min=0.5)
    assert [r["id"] for r in everything] == _rings(analysed, 0.5)
    ring_a_members = {_identity_of(analysed, f"{SOURCE}:RA{n}") for n in range(1, 5)}
    ring_b_members = {_identity_of(analysed, f"{SOURCE}:RB{n}") for n in range(1, 4)}
    by_members = {frozenset(e["node"]["id"] for e in r["members"]["edges"]): r for r in everything}
    ring_a, ring_b = by_members[frozenset(ring_a_members)], by_members[frozenset(ring_b_members)]
    assert ring_a["score"] > 0.8 > ring_b["score"] >= 0.5
    assert (ring_a["size"], ring_a["largeOrders"], ring_a["largeOrderShare"]) == (4, 4, 1.0)
    assert ring_a["openedWithinDays"] == 3.0 and ring_a["velocity"] == 1.0
    assert ring_a["evidenceKinds"] == ["device", "phone"] and "4 identities" in ring_a["reason"]
    assert {(e["kind"], e["value"], e["identities"]) for e in ring_a["evidence"]} == {
        ("device", "RING-A-DEVICE", 4),
        ("phone", RING_PHONE, 4),
    }
    assert ring_b["largeOrders"] == 2 and ring_b["evidenceKinds"] == ["device"]
    strong = _walk(analyst, RINGS, "fraudRings", 10, min=0.8)
    assert [r["id"] for r in strong] == _rings(analysed, 0.8)
    assert ring_a["id"] in {r["id"] for r in strong} and ring_b["id"] not in {
        r["id"] for r in strong
    }
    with pytest.raises(TransportQueryError) as excinfo:
        analyst(RINGS, first=1, min=1.5)
    assert error_codes(excinfo) == ["BAD_USER_INPUT"]


def test_an_identity_knows_its_fraud_ring_and_others_have_none(
    analysed: Graph, analyst: Run
) -> None:
    member = _identity_of(analysed, f"{SOURCE}:RA2")
    ring = cypher(
        analysed, "MATCH (:Identity {id: $id})-[:IN_RING]->(f) RETURN f.id AS id", id=member
    )[0]["id"]
    outsider = cypher(
        analysed,
        "MATCH (i:Identity) WHERE i.status = 'active' AND NOT (i)-[:IN_RING]->() "
        "RETURN i.id AS id ORDER BY id LIMIT 1",
    )[0]["id"]
    query = "query($id: ID!) { identity(id: $id) { fraudRing { id size } } }"
    assert analyst(query, id=member)["identity"]["fraudRing"] == {"id": ring, "size": 4}
    assert analyst(query, id=outsider)["identity"]["fraudRing"] is None


def test_readers_are_refused_fraud_review_but_read_segments_with_pii_masked(
    analysed: Graph, reader: Run
) -> None:
    member = _identity_of(analysed, f"{SOURCE}:RA1")
    for query, variables in (
        ("{ fraudRings { edges { node { id } } } }", {}),
        ("{ sharedIdentifiers { edges { node { value } } } }", {}),
        ("query($id: ID!) { identity(id: $id) { id fraudRing { id } } }", {"id": member}),
    ):
        with pytest.raises(TransportQueryError) as excinfo:
            reader(query, **variables)
        assert error_codes(excinfo) == ["FORBIDDEN"]
        assert "analyst" in (excinfo.value.errors or [{}])[0]["message"]
    page = reader(
        "{ atRiskCustomers(minRisk: 0, first: 50) { edges { node { segment { name } "
        "profile { email { value } phone { value } } } } } }"
    )["atRiskCustomers"]["edges"]
    emails = [e["node"]["profile"]["email"] for e in page if e["node"]["profile"]["email"]]
    assert emails and all("***@" in e["value"] for e in emails)
    assert all(e["node"]["segment"]["name"] for e in page)
    assert reader("{ segments { name identities } }")["segments"]


AT_RISK = (
    "query($first: Int, $after: String, $risk: Float!) { atRiskCustomers(minRisk: $risk, "
    "first: $first, after: $after) { edges { node { id segment { lifetimeValue churnRisk } } } "
    "pageInfo { hasNextPage endCursor } } }"
)


def test_at_risk_customers_come_most_valuable_first_across_pages(
    analysed: Graph, analyst: Run
) -> None:
    for risk in (0.6, 0.9):
        expected = cypher(
            analysed,
            "MATCH (i:Identity) WHERE i.status = 'active' AND i.churn_risk >= $risk "
            "RETURN i.id AS id ORDER BY i.lifetime_value DESC, i.id",
            risk=risk,
        )
        walked = _walk(analyst, AT_RISK, "atRiskCustomers", 3, risk=risk)
        assert [n["id"] for n in walked] == [r["id"] for r in expected]
        assert all(n["segment"]["churnRisk"] >= risk for n in walked)
        values = [n["segment"]["lifetimeValue"] for n in walked]
        assert values == sorted(values, reverse=True)
    assert len(_walk(analyst, AT_RISK, "atRiskCustomers", 500, risk=0.6)) > 3
    with pytest.raises(TransportQueryError) as excinfo:
        analyst(AT_RISK, first=3, risk=-0.1)
    assert error_codes(excinfo) == ["BAD_USER_INPUT"]


def test_segments_summary_counts_and_values_every_scored_identity(
    analysed: Graph, analyst: Run
) -> None:
    expected = {
        r["segment"]: r
        for r in cypher(
            analysed,
            "MATCH (i:Identity) WHERE i.status = 'active' AND i.segment IS NOT NULL "
            "RETURN i.segment AS segment, count(*) AS n, sum(i.lifetime_value) AS value, "
            "sum(i.order_count) AS orders",
        )
    }
    summaries = analyst(
        "{ segments { name identities orders totalSpend lifetimeValue averageLifetimeValue "
        "averageChurnRisk currency } }"
    )["segments"]
    assert {s["name"]: s["identities"] for s in summaries} == {
        k: r["n"] for k, r in expected.items()
    }
    for summary in summaries:
        row = expected[summary["name"]]
        assert summary["lifetimeValue"] == pytest.approx(row["value"], abs=0.01)
        assert summary["orders"] == row["orders"] and summary["currency"] == "EUR"
        assert summary["averageLifetimeValue"] == pytest.approx(row["value"] / row["n"], abs=0.01)
    values = [s["lifetimeValue"] for s in summaries]
    assert values == sorted(values, reverse=True)
    assert next(s for s in summaries if s["name"] == "no_orders")["averageChurnRisk"] is None


SHARED = (
    "query($first: Int, $after: String) { sharedIdentifiers(first: $first, after: $after) "
    "{ edges { node { kind value detail records sharedSince } } "
    "pageInfo { hasNextPage endCursor } } }"
)


def test_shared_identifiers_list_what_resolution_marked_shared_most_used_first(
    analysed: Graph, analyst: Run
) -> None:
    expected = cypher(
        analysed,
        "MATCH (n) WHERE n.shared = true "
        "RETURN coalesce(n.address, n.e164, n.device_id, n.value, n.hash) AS value, "
        "COUNT { (n)<--(:Customer) } AS records",
    )
    walked = _walk(analyst, SHARED, "sharedIdentifiers", 1)
    assert sorted((n["value"], n["records"]) for n in walked) == sorted(
        (r["value"], r["records"]) for r in expected
    )
    counts = [n["records"] for n in walked]
    assert counts == sorted(counts, reverse=True)
    by_value = {n["value"]: n for n in walked}
    assert by_value[RING_PHONE]["kind"] == "phone" and by_value[RING_PHONE]["records"] == 4
    assert by_value["RING-A-DEVICE"]["kind"] == "device" and by_value[RING_PHONE]["sharedSince"]


def test_ring_pages_with_members_and_evidence_cost_a_bounded_number_of_round_trips(
    analysed: Graph, analyst: Run, api_url: str
) -> None:
    query = (
        "{ fraudRings(first: 20) { edges { node { id evidence { kind } members { edges { "
        "node { id segment { name } fraudRing { id } emails { value } } } } } } } }"
    )
    before = round_trips(api_url)
    rings = analyst(query)["fraudRings"]["edges"]
    cost = round_trips(api_url) - before
    members = sum(len(r["node"]["members"]["edges"]) for r in rings)
    # rings, evidence, identities, fraud rings of members, records, identifiers: one each
    # (how loads coalesce may vary by one); one per ring or member would cost more.
    assert len(rings) >= 2 and members >= 7
    assert cost <= 7, cost


def test_resolve_mutation_refreshes_the_segments_of_what_changed(
    analysed: Graph, admin: Run
) -> None:
    customer = _customer("SEG1", "Wilhelmina", "Quast", "2026-06-01T09:00:00Z")
    order = _order("S1", "SEG1", 42.0, "2026-06-20T12:00:00Z")
    for kind, records in (("CUSTOMERS", [customer]), ("ORDERS", [order])):
        admin(INGEST, source=SOURCE, kind=kind, records=records, resolve=False)
    resolve(analysed, load_resolution_config())  # the core alone: no segments refresh
    query = (
        'query { identityByRecord(source: "ringshop", sourceId: "SEG1") { id '
        "segment { name orderCount totalSpend } metrics { segment } } }"
    )
    before = admin(query)["identityByRecord"]
    assert before["segment"] is None and before["metrics"]["segment"] is None
    result = admin("mutation { resolve { mode segments { mode reason identities } } }")
    segments = result["resolve"]["segments"]
    assert segments["mode"] == "incremental" and segments["identities"] >= 1, segments
    after = admin(query)["identityByRecord"]
    assert after["id"] == before["id"]
    assert after["segment"]["orderCount"] == 1 and after["segment"]["totalSpend"] == 42.0
    assert after["metrics"]["segment"] == after["segment"]["name"] != "no_orders"


def test_erasing_an_identity_clears_its_segment_in_the_same_write(
    analysed: Graph, admin: Run
) -> None:
    customer = _customer("SEG2", "Ludovica", "Ferreira-Haas", "2026-06-02T09:00:00Z")
    order = _order("S2", "SEG2", 64.0, "2026-06-21T12:00:00Z")
    admin(INGEST, source=SOURCE, kind="CUSTOMERS", records=[customer], resolve=False)
    admin(INGEST, source=SOURCE, kind="ORDERS", records=[order], resolve=True)
    found = admin(
        'query { identityByRecord(source: "ringshop", sourceId: "SEG2") { id segment { name } } }'
    )["identityByRecord"]
    assert found["segment"]["name"] != "no_orders"
    erased = admin("mutation($id: ID!) { eraseIdentity(id: $id) { retired } }", id=found["id"])
    assert erased["eraseIdentity"]["retired"] == [found["id"]]
    left = cypher(
        analysed,
        "MATCH (i:Identity {id: $id}) RETURN i.status AS status, i.segment AS segment, "
        "i.lifetime_value AS value, i.segments_at AS at",
        id=found["id"],
    )
    assert left and left[0]["status"] != "active"
    assert (left[0]["segment"], left[0]["value"], left[0]["at"]) == (None, None, None)
