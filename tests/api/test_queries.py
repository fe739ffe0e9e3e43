"""Reading the customer 360 over HTTP: look-ups, search, activity, pagination, explain."""

from __future__ import annotations

from typing import Any

import pytest
from gql.transport.exceptions import TransportQueryError

from c360graph.db.graph import Graph
from tests.api.conftest import Run, error_codes, round_trips
from tests.helpers import cypher

PROFILE = "profile { fullName { value source record } email { value source } }"


def _busiest(graph: Graph, n: int = 1) -> list[dict[str, Any]]:
    """Identities with the most orders, with their record keys."""
    return cypher(
        graph,
        "MATCH (i:Identity)<-[:RESOLVES_TO]-(c:Customer) "
        "OPTIONAL MATCH (c)-[:PLACED]->(o:Order) "
        "WITH i, collect(DISTINCT c.key) AS keys, count(o) AS orders "
        "RETURN i.id AS id, keys, orders ORDER BY orders DESC, id LIMIT $n",
        n=n,
    )


def _pages(run: Run, query: str, field: str, size: int, **variables: Any) -> list[list[str]]:
    """Walk a connection under identity(...) page by page; the keys of each page."""
    pages, after = [], None
    while True:
        data = run(query, first=size, after=after, **variables)["identity"][field]
        pages.append([edge["node"]["key"] for edge in data["edges"]])
        if not data["pageInfo"]["hasNextPage"]:
            return pages
        after = data["pageInfo"]["endCursor"]


def test_identity_returns_the_golden_profile_with_sources_and_all_records(
    api_data: Graph, analyst: Run
) -> None:
    busiest = _busiest(api_data)[0]
    data = analyst(
        "query($id: ID!) { identity(id: $id) { id recordCount sources "
        + PROFILE
        + " records(first: 100) { edges { node { key identityId } } } } }",
        id=busiest["id"],
    )["identity"]
    keys = [e["node"]["key"] for e in data["records"]["edges"]]
    assert sorted(keys) == sorted(busiest["keys"]) and data["recordCount"] == len(keys)
    assert {e["node"]["identityId"] for e in data["records"]["edges"]} == {busiest["id"]}
    name = data["profile"]["fullName"]
    assert name["record"] in keys and name["source"] == name["record"].split(":")[0]


def test_unknown_identity_and_record_are_null_not_errors(api_data: Graph, analyst: Run) -> None:
    data = analyst(
        '{ identity(id: "id_nope") { id } record(source: "crm", sourceId: "nope") { key } '
        'identityByRecord(source: "crm", sourceId: "nope") { id } }'
    )
    assert data == {"identity": None, "record": None, "identityByRecord": None}


def test_identity_by_record_finds_the_identity_of_each_of_its_records(
    api_data: Graph, analyst: Run
) -> None:
    busiest = _busiest(api_data)[0]
    for key in busiest["keys"]:
        source, source_id = key.split(":", 1)
        data = analyst(
            "query($s: String!, $i: String!) { identityByRecord(source: $s, sourceId: $i) { id } "
            "record(source: $s, sourceId: $i) { key source sourceId } }",
            s=source,
            i=source_id,
        )
        assert data["identityByRecord"]["id"] == busiest["id"]
        assert data["record"] == {"key": key, "source": source, "sourceId": source_id}


def test_lookup_by_email_and_phone_normalizes_like_ingestion(api_data: Graph, analyst: Run) -> None:
    row = cypher(
        api_data,
        "MATCH (e:Email)<-[:HAS_EMAIL]-(:Customer)-[:RESOLVES_TO]->(i:Identity) "
        "WHERE e.shared IS NULL MATCH (p:Phone)<-[:HAS_PHONE]-(:Customer)-[:RESOLVES_TO]->(i) "
        "WHERE p.e164 STARTS WITH '+44' AND p.shared IS NULL "
        "RETURN i.id AS id, e.address AS email, p.e164 AS phone LIMIT 1",
    )[0]
    messy_email = f"  MAILTO:{row['email'].upper()} "
    national = "0" + row["phone"][3:]  # +447700900123 -> 07700900123 (default region GB)
    data = analyst(
        "query($e: String!, $p: String!) { identitiesByEmail(email: $e) { id } "
        "identitiesByPhone(phone: $p) { id } }",
        e=messy_email,
        p=national,
    )
    assert row["id"] in {i["id"] for i in data["identitiesByEmail"]}
    assert row["id"] in {i["id"] for i in data["identitiesByPhone"]}


def test_lookup_by_an_invalid_email_says_what_is_wrong(api_data: Graph, analyst: Run) -> None:
    with pytest.raises(TransportQueryError) as excinfo:
        analyst('{ identitiesByEmail(email: "not-an-email") { id } }')
    assert error_codes(excinfo) == ["BAD_USER_INPUT"]
    assert "not-an-email" in excinfo.value.errors[0]["message"]


def test_search_by_name_tolerates_typos_accents_and_word_order(
    api_data: Graph, analyst: Run
) -> None:
    row = cypher(
        api_data,
        "MATCH (c:Customer)-[:RESOLVES_TO]->(i:Identity) WHERE size(c.last_name_key) >= 6 "
        "AND size(c.first_name_key) >= 4 RETURN i.id AS id, c.first_name AS first, "
        "c.last_name AS last ORDER BY c.key LIMIT 1",
    )[0]
    last = row["last"]
    typo = last[:-2] + last[-1] + last[-2]  # swap the last two letters
    for query in (f"{row['first']} {last}", f"{typo.upper()}, {row['first']}"):
        data = analyst(
            "query($n: String!) { searchIdentities(name: $n, first: 50) "
            "{ edges { node { score identity { id } } } } }",
            n=query,
        )["searchIdentities"]
        ids = [e["node"]["identity"]["id"] for e in data["edges"]]
        assert row["id"] in ids, query
        scores = [e["node"]["score"] for e in data["edges"]]
        assert scores == sorted(scores, reverse=True)


def test_search_pages_cover_every_hit_once(api_data: Graph, analyst: Run) -> None:
    query = (
        "query($after: String) { searchIdentities(name: $name, first: 3, after: $after) "
        "{ edges { node { identity { id } } } pageInfo { hasNextPage endCursor } } }"
    )
    surname = cypher(
        api_data,
        "MATCH (c:Customer) WITH c.last_name_key AS k, count(*) AS n WHERE k IS NOT NULL "
        "RETURN k ORDER BY n DESC, k LIMIT 1",
    )[0]["k"]
    everything = analyst(
        "query($n: String!) { searchIdentities(name: $n, first: 500) "
        "{ edges { node { identity { id } } } } }",
        n=surname,
    )["searchIdentities"]["edges"]
    seen, after = [], None
    while True:
        page = analyst(query.replace("$name", f'"{surname}"'), after=after)["searchIdentities"]
        seen += [e["node"]["identity"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == [e["node"]["identity"]["id"] for e in everything] and len(seen) > 3


def test_search_by_email_with_city_narrows_and_city_alone_is_refused(
    api_data: Graph, analyst: Run
) -> None:
    row = cypher(
        api_data,
        "MATCH (e:Email)<-[:HAS_EMAIL]-(c:Customer)-[:RESOLVES_TO]->(i:Identity) "
        "WHERE c.city IS NOT NULL AND e.shared IS NULL "
        "RETURN i.id AS id, e.address AS email, c.city AS city LIMIT 1",
    )[0]
    query = (
        "query($e: String, $c: String) { searchIdentities(email: $e, city: $c) "
        "{ edges { node { score identity { id } } } } }"
    )
    hits = analyst(query, e=row["email"], c=row["city"].lower())["searchIdentities"]["edges"]
    assert [(h["node"]["score"], h["node"]["identity"]["id"]) for h in hits] == [(1.0, row["id"])]
    assert analyst(query, e=row["email"], c="Nowhere-on-Earth")["searchIdentities"]["edges"] == []
    with pytest.raises(TransportQueryError) as excinfo:
        analyst(query, c=row["city"])
    assert error_codes(excinfo) == ["BAD_USER_INPUT"]


ORDERS = (
    "query($id: ID!, $first: Int, $after: String, $channel: String) { identity(id: $id) "
    "{ orders(first: $first, after: $after, channel: $channel) { edges { node { key orderedAt "
    "channel { name } } } pageInfo { hasNextPage endCursor } } } }"
)


def test_orders_pages_walk_every_order_newest_first(api_data: Graph, analyst: Run) -> None:
    busiest = _busiest(api_data)[0]
    expected = cypher(
        api_data,
        "MATCH (:Identity {id: $id})<-[:RESOLVES_TO]-()-[:PLACED]->(o:Order) "
        "RETURN o.key AS key ORDER BY o.ordered_at DESC, o.key DESC",
        id=busiest["id"],
    )
    assert len(expected) >= 3
    pages = _pages(analyst, ORDERS, "orders", 2, id=busiest["id"])
    assert [k for page in pages for k in page] == [r["key"] for r in expected]
    assert all(len(page) == 2 for page in pages[:-1])


def test_orders_filter_by_channel_and_date_range(api_data: Graph, analyst: Run) -> None:
    busiest = _busiest(api_data)[0]
    everything = analyst(ORDERS, id=busiest["id"], first=500)["identity"]["orders"]["edges"]
    channel = everything[0]["node"]["channel"]["name"]
    only = analyst(ORDERS, id=busiest["id"], first=500, channel=channel)["identity"]["orders"]
    assert [e["node"]["key"] for e in only["edges"]] == [
        e["node"]["key"] for e in everything if e["node"]["channel"]["name"] == channel
    ]
    times = sorted(e["node"]["orderedAt"] for e in everything)
    since, until = times[0], times[-1]
    ranged = analyst(
        "query($id: ID!, $s: DateTime, $u: DateTime) { identity(id: $id) { orders(first: 500, "
        "since: $s, until: $u) { edges { node { orderedAt } } } } }",
        id=busiest["id"],
        s=since,
        u=until,
    )["identity"]["orders"]["edges"]
    assert sorted(e["node"]["orderedAt"] for e in ranged) == times[:-1]  # until is exclusive


TIMELINE = (
    "query($id: ID!, $first: Int, $after: String) { identity(id: $id) { timeline(first: $first, "
    "after: $after) { edges { node { at kind order { key } interaction { key } } } "
    "pageInfo { hasNextPage endCursor } } } }"
)


def test_timeline_merges_orders_and_interactions_newest_first_across_pages(
    api_data: Graph, analyst: Run
) -> None:
    busiest = _busiest(api_data)[0]
    expected = cypher(
        api_data,
        "MATCH (:Identity {id: $id})<-[:RESOLVES_TO]-()-[:PLACED|HAD]->(a) "
        "RETURN a.key AS key, coalesce(a.ordered_at, a.occurred_at) AS at "
        "ORDER BY at DESC, key DESC",
        id=busiest["id"],
    )
    walked, after = [], None
    while True:
        page = analyst(TIMELINE, id=busiest["id"], first=3, after=after)["identity"]["timeline"]
        for edge in page["edges"]:
            node = edge["node"]
            walked.append((node["order"] or node["interaction"])["key"])
            assert (node["kind"] == "ORDER") == (node["order"] is not None)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert walked == [r["key"] for r in expected]


NOT_PURCHASES = {"cancelled", "returned", "refunded", "failed"}


def test_metrics_and_channels_add_up_to_the_orders(api_data: Graph, analyst: Run) -> None:
    busiest = _busiest(api_data)[0]
    data = analyst(
        "query($id: ID!) { identity(id: $id) { metrics { orderCount interactionCount "
        "excludedOrderCount spend { currency orders total average } firstOrderAt lastOrderAt } "
        "channels { channel orders interactions } "
        "orders(first: 500) { edges { node { amount currency orderedAt status } } } } }",
        id=busiest["id"],
    )["identity"]
    every = [e["node"] for e in data["orders"]["edges"]]
    # Purchases: dated orders not cancelled, returned, refunded or failed (analyses.yaml).
    orders = [o for o in every if o["orderedAt"] and o["status"] not in NOT_PURCHASES]
    metrics = data["metrics"]
    assert len(every) == sum(c["orders"] for c in data["channels"])
    assert metrics["orderCount"] == len(orders)
    assert metrics["excludedOrderCount"] == len(every) - len(orders)
    assert metrics["interactionCount"] == sum(c["interactions"] for c in data["channels"])
    for spend in metrics["spend"]:
        mine = [
            o["amount"]
            for o in orders
            if (o["currency"] or "unknown") == spend["currency"] and o["amount"] is not None
        ]
        assert spend["orders"] == len(mine)
        assert spend["total"] == pytest.approx(sum(mine), abs=0.01)
    assert metrics["lastOrderAt"] == max(o["orderedAt"] for o in orders)


DEEP = """
query Deep($id: ID!) {
  identity(id: $id) {
    id profile { fullName { value } }
    emails { value } phones { value } addresses { value }
    channels { channel orders } metrics { orderCount }
    records(first: 50) { edges { node { key
      orders(first: 50) { edges { node { key channel { name } } } }
      interactions(first: 50) { edges { node { key channel { name } } } } } } }
    timeline(first: 50) { edges { node { kind } } }
    household { members(first: 50) { edges { node { id emails { value } records { edges { node { key } } } } } } }
    related(first: 50) { edges { node { identityId identity { id } } } }
  }
}
"""


# identity, its neighbourhood, related identities, members, their neighbourhood; plus slack
# for loads that coalesce differently with timing, and pages deeper than the neighbourhood's.
LIMIT = 8


def test_a_deep_query_costs_a_bounded_number_of_round_trips_whatever_the_list_sizes(
    api_data: Graph, analyst: Run, api_url: str
) -> None:
    large = _busiest(api_data)[0]
    small = cypher(
        api_data,
        "MATCH (i:Identity)<-[:RESOLVES_TO]-(c:Customer) WITH i, count(c) AS n WHERE n = 1 "
        "RETURN i.id AS id LIMIT 1",
    )[0]
    # Give the large identity a household, so that branch runs too.
    cypher(
        api_data,
        "MATCH (i:Identity {id: $a}), (j:Identity {id: $b}) "
        "MERGE (h:Household {id: 'hh-test'}) SET h.confidence = 0.9, h.reason = 'test' "
        "MERGE (i)-[:IN_HOUSEHOLD]->(h) MERGE (j)-[:IN_HOUSEHOLD]->(h)",
        a=large["id"],
        b=small["id"],
    )
    costs = []
    for identity in (small["id"], large["id"]):
        before = round_trips(api_url)
        data = analyst(DEEP, id=identity)["identity"]
        costs.append(round_trips(api_url) - before)
        assert data["id"] == identity
    members = data["household"]["members"]["edges"]
    assert {m["node"]["id"] for m in members} == {large["id"], small["id"]}
    # One round trip per loader and level (how loads coalesce into batches may vary by one
    # with timing); an N+1 pattern would cost one per record, order and member instead.
    items = len(data["records"]["edges"]) + len(data["timeline"]["edges"]) + len(members)
    assert items > LIMIT
    assert max(costs) <= LIMIT, costs


NEIGHBOURHOOD_PAGES = """
query($id: ID!, $first: Int!, $since: DateTime) {
  identity(id: $id) {
    orders(first: $first, since: $since) { edges { node { key orderedAt } } pageInfo { hasNextPage } }
    interactions(first: $first, since: $since) { edges { node { key } } pageInfo { hasNextPage } }
    timeline(first: $first, since: $since) { edges { node { at kind } } pageInfo { hasNextPage } }
    records(first: 20) { edges { node { key
      orders(first: $first, since: $since) { edges { node { key } } pageInfo { hasNextPage } }
      interactions(first: $first, since: $since) { edges { node { key } } pageInfo { hasNextPage } }
    } } }
  }
}
"""


@pytest.mark.parametrize("first", [1, 3, 21, 60])
def test_pages_from_the_neighbourhood_round_trip_equal_the_page_queries(
    api_data: Graph, analyst: Run, first: int
) -> None:
    # Without a filter the first pages come from api/neighbourhood_of; a `since` before any
    # activity filters nothing out but sends every page to api/orders_of and interactions_of.
    identity = _busiest(api_data)[0]["id"]
    prefetched = analyst(NEIGHBOURHOOD_PAGES, id=identity, first=first)["identity"]
    queried = analyst(NEIGHBOURHOOD_PAGES, id=identity, first=first, since="1900-01-01T00:00:00Z")[
        "identity"
    ]
    assert prefetched == queried
    assert prefetched["orders"]["edges"] and prefetched["interactions"]["edges"]


def test_household_lists_its_members_and_their_emails_in_the_identity_s_round_trip(
    api_data: Graph, analyst: Run, api_url: str
) -> None:
    a, b = _busiest(api_data, 2)
    cypher(api_data, "MATCH (h:Household) DETACH DELETE h")
    cypher(
        api_data,
        "MATCH (i:Identity {id: $a}), (j:Identity {id: $b}) "
        "MERGE (h:Household {id: 'hh-2'}) SET h.confidence = 0.75, h.reason = 'same address' "
        "MERGE (i)-[:IN_HOUSEHOLD]->(h) MERGE (j)-[:IN_HOUSEHOLD]->(h)",
        a=a["id"],
        b=b["id"],
    )
    before = round_trips(api_url)
    household = analyst(
        "query($id: ID!) { identity(id: $id) { household { id confidence reason "
        "members { edges { node { id emails { value } } } } } } }",
        id=a["id"],
    )["identity"]["household"]
    # The identity's neighbourhood brings the other members' identities and identifiers.
    assert round_trips(api_url) - before == 1
    assert household["id"] == "hh-2" and household["confidence"] == 0.75
    members = {e["node"]["id"]: e["node"]["emails"] for e in household["members"]["edges"]}
    assert set(members) == {a["id"], b["id"]}
    for member, emails in members.items():
        alone = analyst("query($id: ID!) { identity(id: $id) { emails { value } } }", id=member)
        assert emails == alone["identity"]["emails"]
    # Asking the members for more than that fetches their neighbourhoods, in one more trip.
    before = round_trips(api_url)
    deeper = analyst(
        "query($id: ID!) { identity(id: $id) { household { members { edges { node { id "
        "emails { value } records { edges { node { key } } } } } } } } }",
        id=a["id"],
    )["identity"]["household"]["members"]["edges"]
    assert round_trips(api_url) - before == 2
    assert {e["node"]["id"]: e["node"]["emails"] for e in deeper} == members
    assert all(e["node"]["records"]["edges"] for e in deeper)


def test_related_identities_share_the_identifier_they_cite(api_data: Graph, analyst: Run) -> None:
    row = cypher(
        api_data,
        "MATCH (i:Identity)<-[:RESOLVES_TO]-(:Customer)-[:USES|HAS_PHONE|LIVES_AT]->(x)"
        "<-[:USES|HAS_PHONE|LIVES_AT]-(:Customer)-[:RESOLVES_TO]->(j:Identity) "
        "WHERE i <> j AND (x.shared IS NULL OR x.shared = false) "
        "RETURN i.id AS id, j.id AS other LIMIT 1",
    )
    if not row:
        pytest.fail("the sample has no identities sharing a device, phone or address")
    data = analyst(
        "query($id: ID!) { identity(id: $id) { phones { value } addresses { value } "
        "devices { value } related { edges { node { identityId reasons { kind value } "
        "identity { id } } } } } }",
        id=row[0]["id"],
    )["identity"]
    related = {e["node"]["identityId"]: e["node"] for e in data["related"]["edges"]}
    assert row[0]["other"] in related
    mine = {("phone", p["value"]) for p in data["phones"]}
    mine |= {("address", a["value"]) for a in data["addresses"]}
    mine |= {("device", d["value"]) for d in data["devices"]}
    for node in related.values():
        assert node["identity"]["id"] == node["identityId"]
        assert {(r["kind"], r["value"]) for r in node["reasons"]} <= mine


def test_explain_gives_the_evidence_chain_or_the_reason_for_not(
    api_data: Graph, analyst: Run
) -> None:
    busiest, other = _busiest(api_data, 2)
    query = (
        "query($id: ID!, $s: String!, $i: String!) { identity(id: $id) { "
        "explain(record: {source: $s, sourceId: $i}) { same reason path { a b kind } "
        "direct { probability threshold } } } }"
    )
    inside = sorted(busiest["keys"])[-1]
    same = analyst(query, id=busiest["id"], s=inside.split(":")[0], i=inside.split(":", 1)[1])
    explanation = same["identity"]["explain"]
    assert explanation["same"] and explanation["path"][-1]["b"] == inside
    outside = other["keys"][0]
    apart = analyst(query, id=busiest["id"], s=outside.split(":")[0], i=outside.split(":", 1)[1])
    assert not apart["identity"]["explain"]["same"]
    assert (
        "different" in apart["identity"]["explain"]["reason"]
        or "never" in (apart["identity"]["explain"]["reason"])
    )


def test_history_lists_the_creation_of_an_identity(api_data: Graph, analyst: Run) -> None:
    busiest = _busiest(api_data)[0]
    events = analyst(
        "query($id: ID!) { identity(id: $id) { history { edges { node { kind identity at } } } } }",
        id=busiest["id"],
    )["identity"]["history"]["edges"]
    assert events and events[-1]["node"]["kind"] in {"create", "merge", "split"}
