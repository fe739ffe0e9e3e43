"""What the explorer page asks beyond the 360 view: an identity's links, explain, the caller.

`Identity.links` are the stored accepted links among its records (the identity graph's edges),
`explain(a, b)` compares any two records, and `viewer` says which role the key has, so a page
can show what that role may do. Evidence is masked for readers whatever the rules' order.
"""

from __future__ import annotations

from typing import Any

import pytest
from gql.transport.exceptions import TransportQueryError

from c360graph.db.graph import Graph
from tests.api.conftest import Run, error_codes, round_trips
from tests.helpers import cypher

LINKS = (
    "query($id: ID!) { identity(id: $id) { links { a b kind probability rules evidence levels } } }"
)
EXPLAIN = (
    "query($a: RecordRef!, $b: RecordRef!) { explain(a: $a, b: $b) { a b same reason "
    "identityA identityB path { a b kind probability rules evidence levels } "
    "direct { probability threshold levels blockedBy } } }"
)


def _ref(key: str) -> dict[str, str]:
    source, source_id = key.split(":", 1)
    return {"source": source, "sourceId": source_id}


def _stored_links(graph: Graph, several_rules: bool = False) -> list[dict[str, Any]]:
    """Every stored link within an identity (only those made by several rules, if asked)."""
    return cypher(
        graph,
        "MATCH (i:Identity)<-[:RESOLVES_TO]-(a:Customer)-[l:LINKED]->(b:Customer)"
        "-[:RESOLVES_TO]->(i) WHERE NOT $several OR size(l.rules) > 1 "
        "RETURN i.id AS id, a.key AS a, b.key AS b, l.kind AS kind, "
        "l.probability AS probability, l.rules AS rules, l.evidence AS evidence, "
        "l.levels AS levels",
        several=several_rules,
    )


def test_identity_links_are_its_stored_links_strongest_first(api_data: Graph, analyst: Run) -> None:
    stored = _stored_links(api_data)
    counts: dict[str, int] = {}
    for link in stored:
        counts[link["id"]] = counts.get(link["id"], 0) + 1
    busiest = max(counts, key=lambda i: (counts[i], i))
    assert counts[busiest] >= 3
    links = analyst(LINKS, id=busiest)["identity"]["links"]
    expected = [
        {
            "a": link["a"],
            "b": link["b"],
            "kind": link["kind"] or "fuzzy",
            "probability": link["probability"],
            "rules": link["rules"] or [],
            "evidence": link["evidence"] or [],
            "levels": link["levels"] or [],
        }
        for link in stored
        if link["id"] == busiest
    ]
    assert sorted(links, key=lambda h: (h["a"], h["b"])) == sorted(
        expected, key=lambda h: (h["a"], h["b"])
    )
    probabilities = [link["probability"] for link in links]
    assert probabilities == sorted(probabilities, reverse=True)


def test_links_of_many_identities_cost_one_query_not_one_each(
    api_data: Graph, analyst: Run, api_url: str
) -> None:
    ids = [row["id"] for row in _stored_links(api_data)][:40]
    ids = sorted(set(ids))[:12]
    assert len(ids) >= 5
    aliases = " ".join(f"i{n}: identity(id: $id{n}) {{ links {{ a }} }}" for n in range(len(ids)))
    params = ", ".join(f"$id{n}: ID!" for n in range(len(ids)))
    query = f"query({params}) {{ {aliases} }}"
    before = round_trips(api_url)
    data = analyst(query, **{f"id{n}": i for n, i in enumerate(ids)})
    # identities, their records, their links: three batched loads for any number of them
    assert round_trips(api_url) - before <= 4
    assert all(data[f"i{n}"]["links"] for n in range(len(ids)))


def test_a_reader_never_sees_an_email_or_phone_in_link_evidence_whatever_the_rule_order(
    api_data: Graph, reader: Run, analyst: Run
) -> None:
    # A link stores its rules and its evidence each sorted: with same_email and
    # same_loyalty_id the email comes second in the evidence but first in the rules.
    mixed = _stored_links(api_data, several_rules=True)
    assert mixed, "the sample has no link made by several rules"
    emails = [v for link in mixed for v in link["evidence"] if "@" in v]
    phones = [v for link in mixed for v in link["evidence"] if v.startswith("+")]
    assert emails and phones
    for identity in sorted({link["id"] for link in mixed})[:10]:
        as_reader = reader(LINKS, id=identity)["identity"]["links"]
        shown = " ".join(v for link in as_reader for v in link["evidence"])
        assert not any(value in shown for value in emails + phones), shown
        as_analyst = analyst(LINKS, id=identity)["identity"]["links"]
        assert len(as_reader) == len(as_analyst)
    link = mixed[0]
    explained = reader(EXPLAIN, a=_ref(link["a"]), b=_ref(link["b"]))["explain"]
    shown = " ".join(v for hop in explained["path"] for v in hop["evidence"])
    assert not any(value in shown for value in emails + phones), shown


def test_explain_gives_the_chain_for_one_person_and_the_score_for_two(
    api_data: Graph, analyst: Run
) -> None:
    link = _stored_links(api_data)[0]
    same = analyst(EXPLAIN, a=_ref(link["a"]), b=_ref(link["b"]))["explain"]
    assert same["same"] is True and same["identityA"] == same["identityB"] == link["id"]
    assert same["path"] and same["path"][0]["a"] in (link["a"], link["b"])
    assert "same person" in same["reason"]
    other = cypher(
        api_data,
        "MATCH (c:Customer)-[:RESOLVES_TO]->(j:Identity) WHERE j.id <> $id "
        "RETURN c.key AS key ORDER BY key LIMIT 1",
        id=link["id"],
    )[0]["key"]
    different = analyst(EXPLAIN, a=_ref(link["a"]), b=_ref(other))["explain"]
    assert different["same"] is False and different["path"] == []
    assert different["identityA"] == link["id"] and different["identityB"] != link["id"]
    assert different["reason"].startswith(("different people", "never compared"))


def test_explain_of_an_unknown_record_is_not_found(api_data: Graph, analyst: Run) -> None:
    link = _stored_links(api_data)[0]
    with pytest.raises(TransportQueryError) as excinfo:
        analyst(EXPLAIN, a=_ref(link["a"]), b={"source": "crm", "sourceId": "NOBODY"})
    assert error_codes(excinfo) == ["NOT_FOUND"]
    assert "crm:NOBODY" in str(excinfo.value)


@pytest.mark.parametrize("role", ["reader", "analyst", "admin"])
def test_viewer_names_the_key_and_its_role(api_data: Graph, as_role: Any, role: str) -> None:
    assert as_role(role)("{ viewer { name role } }")["viewer"] == {
        "name": f"test-{role}",
        "role": role,
    }
