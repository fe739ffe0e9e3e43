"""The review queue over GraphQL, through a real uvicorn: list, page, explain, decide."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from gql.transport.exceptions import TransportQueryError

from c360graph.db.graph import Graph
from c360graph.resolve.engine import resolve
from c360graph.resolve.settings import load_resolution_config
from tests.api.conftest import Run, error_codes
from tests.integration.test_resolve import same
from tests.integration.test_review_queue import HONG, HUYEN, near_pairs

QUEUE = """query($first: Int, $after: String, $min: Float! = 0) {
  reviewQueue(first: $first, after: $after, minProbability: $min) {
    edges { cursor node {
      a { key fullName phones source } b { key fullName phones source }
      probability reason runId
      comparison { probability threshold blockedBy levels fieldWeights { field level weight } }
    } }
    pageInfo { hasNextPage endCursor }
  }
}"""
DECIDE = """mutation($a: RecordRef!, $b: RecordRef!, $decision: ReviewDecision!, $note: String) {
  decideReviewPair(a: $a, b: $b, decision: $decision, note: $note) {
    a b same by resolution { mode }
  }
}"""


def _ref(key: str) -> dict[str, str]:
    source, source_id = key.split(":", 1)
    return {"source": source, "sourceId": source_id}


@pytest.fixture
def queued(graph: Graph) -> Graph:
    near_pairs(graph)
    resolve(graph, load_resolution_config())
    return graph


def _pairs(run: Run, **variables: object) -> list[tuple[str, str]]:
    edges = run(QUEUE, **variables)["reviewQueue"]["edges"]
    return [(e["node"]["a"]["key"], e["node"]["b"]["key"]) for e in edges]


def test_an_analyst_pages_through_the_queue_with_each_pairs_evidence(
    queued: Graph, analyst: Run
) -> None:
    first = analyst(QUEUE, first=1)["reviewQueue"]
    assert first["pageInfo"]["hasNextPage"]
    rest = analyst(QUEUE, first=5, after=first["pageInfo"]["endCursor"])["reviewQueue"]
    assert not rest["pageInfo"]["hasNextPage"]
    nodes = [e["node"] for e in first["edges"] + rest["edges"]]
    assert {(n["a"]["key"], n["b"]["key"]) for n in nodes} == {HONG, HUYEN}
    hong = next(n for n in nodes if n["a"]["key"] == HONG[0])
    assert hong["a"]["fullName"] == "Thị Hồng Nguyễn" and hong["a"]["phones"] == ["+84912345601"]
    assert hong["reason"] == "BELOW_THRESHOLD" and 0.5 <= hong["probability"] < 0.9
    comparison = hong["comparison"]
    assert comparison["threshold"] == 0.9 and comparison["blockedBy"] is None
    weights = {w["field"]: (w["level"], w["weight"]) for w in comparison["fieldWeights"]}
    assert weights["name"][0] == "exact" and weights["address"][0] == "line"
    assert weights["name"][1] > 0  # the whole name agrees: for one person
    assert weights["phone"][0] == "else" and weights["phone"][1] < 0  # two phones: against
    assert "name=exact" in comparison["levels"]
    assert _pairs(analyst, min=0.99) == []


def test_a_pair_explains_itself_as_the_explain_query_does(queued: Graph, analyst: Run) -> None:
    query = "{ reviewQueue(first: 1) { edges { node { explanation { same reason direct { probability fieldWeights { field weight } } } } } } }"
    node = analyst(query)["reviewQueue"]["edges"][0]["node"]
    explanation = node["explanation"]
    assert not explanation["same"] and "below the threshold" in explanation["reason"]
    assert {w["field"] for w in explanation["direct"]["fieldWeights"]} >= {"name", "address"}


def test_a_reader_sees_the_queue_masked_nor_may_decide_and_an_agent_neither(
    queued: Graph, reader: Run, as_role: Callable[[str], Run]
) -> None:
    for role in ("reader", "agent"):
        with pytest.raises(TransportQueryError) as listed:
            as_role(role)(QUEUE)
        assert error_codes(listed) == ["FORBIDDEN"]
        assert "analyst, admin" in str(listed.value)
        with pytest.raises(TransportQueryError) as decided:
            as_role(role)(DECIDE, a=_ref(HONG[0]), b=_ref(HONG[1]), decision="ACCEPT")
        assert error_codes(decided) == ["FORBIDDEN"]
    assert not same(queued, *HONG)


def test_an_analyst_accepts_one_pair_and_rejects_the_other_and_both_leave_the_queue(
    queued: Graph, analyst: Run
) -> None:
    accepted = analyst(
        DECIDE, a=_ref(HONG[0]), b=_ref(HONG[1]), decision="ACCEPT", note="cùng một người"
    )["decideReviewPair"]
    assert accepted["same"] and accepted["by"] == "test-analyst"
    assert accepted["resolution"]["mode"] == "incremental"
    assert same(queued, *HONG)
    assert _pairs(analyst) == [HUYEN]
    rejected = analyst(DECIDE, a=_ref(HUYEN[0]), b=_ref(HUYEN[1]), decision="REJECT")
    assert rejected["decideReviewPair"]["same"] is False
    assert _pairs(analyst) == [] and not same(queued, *HUYEN)


def test_bad_decisions_and_cursors_say_what_is_wrong(queued: Graph, analyst: Run) -> None:
    with pytest.raises(TransportQueryError) as unknown:
        analyst(DECIDE, a=_ref(HONG[0]), b=_ref("crm:KH-404"), decision="ACCEPT")
    assert error_codes(unknown) == ["NOT_FOUND"]
    with pytest.raises(TransportQueryError) as twice:
        analyst(DECIDE, a=_ref(HONG[0]), b=_ref(HONG[0]), decision="REJECT")
    assert error_codes(twice) == ["BAD_USER_INPUT"]
    with pytest.raises(TransportQueryError) as cursor:
        analyst(QUEUE, after="bm90IGEgY3Vyc29y")
    assert error_codes(cursor) == ["BAD_USER_INPUT"]
    assert len(_pairs(analyst)) == 2
