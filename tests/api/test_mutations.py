"""Changing the graph over the API: ingest, assertions, redirects, notes, erasure, resolve."""

from __future__ import annotations

from typing import Any

import pytest
from gql.transport.exceptions import TransportQueryError

from c360graph.db.graph import Graph
from tests.api.conftest import Run, error_codes
from tests.helpers import cypher

INGEST = (
    "mutation($source: String!, $records: [JSON!]!, $resolve: Boolean!) { ingestRecords("
    "source: $source, kind: CUSTOMERS, records: $records, resolve: $resolve) { read created "
    "updated unchanged rejected rejections { row reason } resolution { mode identities } } }"
)
LINK = (
    'mutation($a: RecordRef!, $b: RecordRef!) { link(a: $a, b: $b, note: "same person") '
    "{ same by resolution { mode } } }"
)
UNLINK = LINK.replace("link(", "unlink(")


def _ref(key: str) -> dict[str, str]:
    source, source_id = key.split(":", 1)
    return {"source": source, "sourceId": source_id}


def _two_identities(graph: Graph) -> list[dict[str, Any]]:
    return cypher(
        graph,
        "MATCH (i:Identity)<-[:RESOLVES_TO]-(c:Customer) WHERE i.status = 'active' "
        "WITH i, collect(c.key) AS keys, count(c) AS n ORDER BY n DESC, i.id LIMIT 2 "
        "RETURN i.id AS id, keys",
    )


def test_ingest_records_validates_like_the_cli_and_the_counts_add_up(
    api_data: Graph, admin: Run
) -> None:
    records = [
        {
            "source_id": "API-1",
            "first_name": "Ada",
            "last_name": "Lovelace",
            "email": "ADA@Example.org",
        },
        {
            "source_id": "API-2",
            "first_name": "Alan",
            "last_name": "Turing",
            "date_of_birth": "31/02/1912",
        },
        {"first_name": "No", "last_name": "Key"},
    ]
    result = admin(INGEST, source="apitest", records=records, resolve=True)["ingestRecords"]
    assert result["read"] == 3 and result["created"] == 2 and result["rejected"] == 1
    assert (
        result["read"]
        == result["created"] + result["updated"] + result["unchanged"] + result["rejected"]
    )
    assert result["rejections"][0]["row"] == 3 and "source_id" in result["rejections"][0]["reason"]
    assert result["resolution"]["mode"].startswith("incremental")
    found = admin(
        '{ record(source: "apitest", sourceId: "API-1") { emails dataIssues identity { id } } '
        'turing: record(source: "apitest", sourceId: "API-2") { dateOfBirth dataIssues } }'
    )
    assert found["record"]["emails"] == ["ada@example.org"] and found["record"]["identity"]
    assert found["turing"]["dateOfBirth"] is None and found["turing"]["dataIssues"]
    again = admin(INGEST, source="apitest", records=records[:2], resolve=False)["ingestRecords"]
    assert again["unchanged"] == 2 and again["created"] == 0


def test_ingest_refuses_rows_that_are_not_objects_and_writes_nothing(
    api_data: Graph, admin: Run
) -> None:
    with pytest.raises(TransportQueryError) as excinfo:
        admin(INGEST, source="apitest2", records=[{"source_id": "X1"}, "just text"], resolve=False)
    assert error_codes(excinfo) == ["BAD_USER_INPUT"]
    assert (
        cypher(api_data, "MATCH (c:Customer {source: 'apitest2'}) RETURN count(c) AS n")[0]["n"]
        == 0
    )


def test_link_merges_two_identities_and_the_old_id_redirects(api_data: Graph, admin: Run) -> None:
    big, small = _two_identities(api_data)
    result = admin(LINK, a=_ref(big["keys"][0]), b=_ref(small["keys"][0]))["link"]
    assert result["same"] and result["by"] == "test-admin" and result["resolution"]
    merged = admin(
        "query($a: ID!, $b: ID!) { a: identity(id: $a) { id redirectedFrom recordCount "
        "history { edges { node { kind others } } } } b: identity(id: $b) { id redirectedFrom } }",
        a=big["id"],
        b=small["id"],
    )
    survivor = merged["a"]["id"]
    assert merged["b"]["id"] == survivor and {big["id"], small["id"]} & {
        merged["a"]["redirectedFrom"],
        merged["b"]["redirectedFrom"],
    }
    assert merged["a"]["recordCount"] == len(big["keys"]) + len(small["keys"])
    kinds = [e["node"]["kind"] for e in merged["a"]["history"]["edges"]]
    assert "merge" in kinds

    apart = admin(UNLINK, a=_ref(big["keys"][0]), b=_ref(small["keys"][0]))["unlink"]
    assert not apart["same"]
    ids = admin(
        "query($a: String!, $b: String!, $s: String!, $t: String!) { "
        "x: identityByRecord(source: $s, sourceId: $a) { id } "
        "y: identityByRecord(source: $t, sourceId: $b) { id } }",
        s=big["keys"][0].split(":")[0],
        a=big["keys"][0].split(":", 1)[1],
        t=small["keys"][0].split(":")[0],
        b=small["keys"][0].split(":", 1)[1],
    )
    assert ids["x"]["id"] != ids["y"]["id"]


def test_link_of_an_unknown_record_is_not_found(api_data: Graph, admin: Run) -> None:
    big, _ = _two_identities(api_data)
    with pytest.raises(TransportQueryError) as excinfo:
        admin(LINK, a=_ref(big["keys"][0]), b={"source": "crm", "sourceId": "missing"})
    assert error_codes(excinfo) == ["NOT_FOUND"]


def test_notes_and_attributes_keep_author_time_and_history(api_data: Graph, admin: Run) -> None:
    identity = _two_identities(api_data)[0]["id"]
    for text in ("Called about a refund", "Prefers email"):
        note = admin(
            "mutation($id: ID!, $t: String!) { addNote(identityId: $id, text: $t) { text author at } }",
            id=identity,
            t=text,
        )["addNote"]
        assert note["author"] == "test-admin" and note["at"]
    for value in ("en", "fr"):
        admin(
            'mutation($id: ID!, $v: String!) { setAttribute(identityId: $id, name: "language", '
            "value: $v) { name value } }",
            id=identity,
            v=value,
        )
    profile = admin(
        "query($id: ID!) { identity(id: $id) { notes(first: 10) { edges { node { text author } } } "
        "attributes { name value author } } }",
        id=identity,
    )["identity"]
    assert [e["node"]["text"] for e in profile["notes"]["edges"]][:2] == [
        "Prefers email",
        "Called about a refund",
    ]
    assert profile["attributes"] == [{"name": "language", "value": "fr", "author": "test-admin"}]
    with pytest.raises(TransportQueryError) as excinfo:
        admin('mutation { addNote(identityId: "id_missing", text: "x") { id } }')
    assert error_codes(excinfo) == ["NOT_FOUND"]
    with pytest.raises(TransportQueryError) as excinfo:
        admin('mutation($id: ID!) { addNote(identityId: $id, text: "   ") { id } }', id=identity)
    assert error_codes(excinfo) == ["BAD_USER_INPUT"]


def test_erasing_a_record_removes_it_and_keeps_a_tombstone(api_data: Graph, admin: Run) -> None:
    identity = cypher(
        api_data,
        "MATCH (i:Identity)<-[:RESOLVES_TO]-(c:Customer) WITH i, collect(c.key) AS keys "
        "WHERE size(keys) >= 2 RETURN i.id AS id, keys ORDER BY i.id LIMIT 1",
    )[0]
    gone = identity["keys"][0]
    result = admin(
        "mutation($r: RecordRef!) { eraseRecord(record: $r) { erased tombstone retired } }",
        r=_ref(gone),
    )["eraseRecord"]
    assert result["erased"] == [gone] and result["tombstone"]
    source, source_id = gone.split(":", 1)
    after = admin(
        "query($s: String!, $i: String!, $id: ID!) { record(source: $s, sourceId: $i) { key } "
        "identity(id: $id) { recordCount } }",
        s=source,
        i=source_id,
        id=identity["id"],
    )
    assert after["record"] is None and after["identity"]["recordCount"] == len(identity["keys"]) - 1


def test_erasing_an_identity_retires_it_and_deletes_its_notes(api_data: Graph, admin: Run) -> None:
    identity = cypher(
        api_data,
        "MATCH (i:Identity {status: 'active'}) RETURN i.id AS id ORDER BY i.id DESC LIMIT 1",
    )[0]["id"]
    admin('mutation($id: ID!) { addNote(identityId: $id, text: "forget me") { id } }', id=identity)
    erase = "mutation($id: ID!) { eraseIdentity(id: $id) { retired } }"
    assert identity in admin(erase, id=identity)["eraseIdentity"]["retired"]
    assert admin("query($id: ID!) { identity(id: $id) { id } }", id=identity)["identity"] is None
    notes = cypher(api_data, "MATCH (n:Note {text: 'forget me'}) RETURN count(n) AS n")
    assert notes[0]["n"] == 0


def test_resolve_runs_and_reports(api_data: Graph, admin: Run) -> None:
    result = admin("mutation { resolve { mode records identities summary } }")["resolve"]
    assert result["records"] > 0 and result["summary"]
    full = admin("mutation { resolve(full: true) { mode } }")["resolve"]
    assert full["mode"].startswith("full")
