"""c360graph.Client against a resolved and analysed graph on the real server: each DataFrame has
its documented columns and as many rows as the graph holds, and the neighbourhood and ring
graphs hold the expected nodes and relationships."""

from __future__ import annotations

from collections.abc import Iterator

import networkx as nx
import pandas as pd
import pytest

from c360graph import Client
from c360graph.client import (
    CUSTOMER_COLUMNS,
    HOUSEHOLD_COLUMNS,
    HOUSEHOLD_MEMBER_COLUMNS,
    IDENTITY_COLUMNS,
    RING_COLUMNS,
    RING_EVIDENCE_COLUMNS,
    RING_MEMBER_COLUMNS,
    SEGMENT_COLUMNS,
    SHARED_IDENTIFIER_COLUMNS,
)
from c360graph.config import Settings
from c360graph.db.graph import Graph
from c360graph.generate import generate_dataset
from tests.helpers import cypher
from tests.integration.test_explore_queries import Analysed, build_analysed_graph


@pytest.fixture(scope="module")
def analysed(session_graph: Graph, tmp_path_factory: pytest.TempPathFactory) -> Analysed:
    out = tmp_path_factory.mktemp("client-dataset")
    generate_dataset(out, customers=250, seed=29, progress=False)
    return build_analysed_graph(session_graph, out)


@pytest.fixture(scope="module")
def client(settings: Settings, analysed: Analysed) -> Iterator[Client]:
    with Client(settings) as c360:
        yield c360


def _count(graph: Graph, text: str) -> int:
    return int(cypher(graph, text)[0]["n"])


def test_identities_has_one_row_per_active_identity_with_household_and_ring(
    client: Client, session_graph: Graph, analysed: Analysed
) -> None:
    frame = client.identities()
    assert tuple(frame.columns) == IDENTITY_COLUMNS
    active = _count(session_graph, "MATCH (i:Identity {status: 'active'}) RETURN count(i) AS n")
    assert len(frame) == active
    assert frame.identity_id.is_unique
    assert analysed.absorbed not in set(frame.identity_id)
    members = frame[frame.household_id == analysed.household]
    assert set(members.identity_id) == analysed.household_members
    assert set(frame[frame.ring_id == analysed.ring].identity_id) == analysed.ring_members
    several = client.identities(min_records=3)
    assert 0 < len(several) < len(frame)
    assert (several.record_count >= 3).all()


def test_households_and_their_members_agree_with_the_graph(
    client: Client, session_graph: Graph, analysed: Analysed
) -> None:
    households = client.households()
    members = client.household_members()
    assert tuple(households.columns) == HOUSEHOLD_COLUMNS
    assert tuple(members.columns) == HOUSEHOLD_MEMBER_COLUMNS
    assert len(households) == _count(session_graph, "MATCH (h:Household) RETURN count(h) AS n")
    assert len(members) == households.member_ids.map(len).sum()
    assert (households["size"] == households.member_ids.map(len)).all()
    biggest = households.set_index("household_id").loc[analysed.household]
    assert set(biggest.member_ids) == analysed.household_members
    assert members.confidence.between(0, 1).all()


def test_fraud_rings_members_and_evidence_agree_with_the_graph(
    client: Client, session_graph: Graph, analysed: Analysed
) -> None:
    rings = client.fraud_rings()
    assert tuple(rings.columns) == RING_COLUMNS
    assert len(rings) == _count(session_graph, "MATCH (f:FraudRing) RETURN count(f) AS n")
    assert rings.score.is_monotonic_decreasing
    members = client.ring_members(analysed.ring)
    assert tuple(members.columns) == RING_MEMBER_COLUMNS
    assert set(members.identity_id) == analysed.ring_members
    assert (members.records >= 1).all()
    assert isinstance(members.first_opened_at.dtype, pd.DatetimeTZDtype)
    assert len(client.ring_members()) == rings.member_ids.map(len).sum()
    evidence = client.ring_evidence(analysed.ring)
    assert tuple(evidence.columns) == RING_EVIDENCE_COLUMNS
    assert analysed.evidence in set(evidence.value)
    assert (evidence.identities >= 2).all()


def test_segments_summary_and_customers_account_for_every_scored_identity(
    client: Client, session_graph: Graph, analysed: Analysed
) -> None:
    summary = client.segments()
    assert tuple(summary.columns) == SEGMENT_COLUMNS
    customers = client.customers()
    assert tuple(customers.columns) == CUSTOMER_COLUMNS
    assert summary.identities.sum() == len(customers)
    one = client.customers(analysed.champion_segment)
    assert set(one.segment) == {analysed.champion_segment}
    expected = summary.set_index("segment").identities[analysed.champion_segment]
    assert len(one) == expected
    assert one.lifetime_value.is_monotonic_decreasing
    # Times are UTC datetimes, ready for arithmetic.
    assert str(customers.segments_at.dt.tz) == "UTC"
    assert client.customers("no_such_segment").empty


def test_at_risk_customers_reach_both_floors_most_valuable_first(client: Client) -> None:
    frame = client.at_risk(min_risk=0.5, min_value=50.0)
    assert tuple(frame.columns) == CUSTOMER_COLUMNS
    assert not frame.empty
    assert (frame.churn_risk >= 0.5).all()
    assert (frame.lifetime_value >= 50.0).all()
    assert frame.lifetime_value.is_monotonic_decreasing
    # Without a purchase there is no churn risk: such customers are never at risk.
    scored = client.customers()
    assert len(client.at_risk(min_risk=0.0, min_value=0.0)) == scored.churn_risk.notna().sum()


def test_shared_identifiers_hold_the_placeholder_and_count_identities(
    client: Client, analysed: Analysed
) -> None:
    frame = client.shared_identifiers()
    assert tuple(frame.columns) == SHARED_IDENTIFIER_COLUMNS
    assert analysed.shared in set(frame[frame.shared].value)
    assert (frame[~frame.shared].identities >= 2).all()
    assert len(client.shared_identifiers(min_identities=3)) < len(frame)


def test_neighbourhood_holds_the_identity_its_records_identifiers_and_household(
    client: Client, session_graph: Graph, analysed: Analysed
) -> None:
    graph = client.neighbourhood(analysed.absorbed)  # an absorbed id leads to the survivor
    assert isinstance(graph, nx.MultiDiGraph)
    me = f"Identity:{analysed.survivor}"
    assert graph.nodes[me]["label"] == "Identity"
    assert graph.nodes[me]["id"] == analysed.survivor
    assert graph.has_edge(f"Identity:{analysed.absorbed}", me, key="MERGED_INTO")
    keys = {
        row["key"]
        for row in cypher(
            session_graph,
            "MATCH (:Identity {id: $id})<-[:RESOLVES_TO]-(c:Customer) RETURN c.key AS key",
            id=analysed.survivor,
        )
    }
    records = {n for n, d in graph.nodes(data=True) if d["label"] == "Customer"}
    assert records == {f"Customer:{k}" for k in keys}
    assert all(graph.has_edge(r, me, key="RESOLVES_TO") for r in records)
    assert {"Email", "Phone"} <= {d["label"] for _, d in graph.nodes(data=True)}
    assert not {"Order", "Interaction"} & {d["label"] for _, d in graph.nodes(data=True)}
    link = next(d for _, _, k, d in graph.edges(keys=True, data=True) if k == "LINKED")
    assert {"probability", "rules", "evidence", "levels"} <= set(link)

    busy = client.neighbourhood(analysed.survivor, activity=True)
    assert {"Order", "Channel"} <= {d["label"] for _, d in busy.nodes(data=True)}
    assert set(graph.nodes) < set(busy.nodes)

    member = next(iter(analysed.household_members))
    home = client.neighbourhood(member)
    assert home.has_edge(f"Identity:{member}", f"Household:{analysed.household}")


def test_neighbourhood_of_an_unknown_identity_is_empty(client: Client) -> None:
    assert client.neighbourhood("id_nobody").number_of_nodes() == 0


def test_ring_graph_holds_members_records_and_evidence(client: Client, analysed: Analysed) -> None:
    graph = client.ring_graph(analysed.ring)
    ring = f"FraudRing:{analysed.ring}"
    assert graph.nodes[ring]["score"] > 0
    members = {u for u, _, k in graph.in_edges(ring, keys=True) if k == "IN_RING"}
    assert members == {f"Identity:{m}" for m in analysed.ring_members}
    evidence = {v for _, v, k in graph.out_edges(ring, keys=True) if k == "EVIDENCE"}
    assert any(e.endswith(f":{analysed.evidence}") for e in evidence)
    # Every evidence identifier is used by member records drawn in the graph.
    for node in evidence:
        users = {u for u, _ in graph.in_edges(node) if graph.nodes[u]["label"] == "Customer"}
        assert len(users) >= 2
        assert all(any(graph.has_edge(u, m, key="RESOLVES_TO") for m in members) for u in users)


def test_query_and_graph_of_run_any_named_query(client: Client, analysed: Analysed) -> None:
    rings = client.query("explore/top_rings", limit=5)
    assert analysed.ring in set(rings.ring)
    drawn = client.graph_of("explore/household", household=analysed.household)
    identities = {d["id"] for _, d in drawn.nodes(data=True) if d["label"] == "Identity"}
    assert identities == analysed.household_members
    assert f"Household:{analysed.household}" in drawn
