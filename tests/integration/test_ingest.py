"""Ingest into the real graph: every kind, idempotence, updates with lineage, rejects."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from c360graph.config import IngestSettings
from c360graph.db.graph import Graph
from c360graph.graph.ingest import ingest_rows, rows_from_dicts
from c360graph.graph.load import ingest_file
from c360graph.sources.fields import Kind
from tests.helpers import cypher, snapshot

CUSTOMERS = """source_id,first_name,last_name,email,phone,date_of_birth,address_line1,city,postcode,country,device_id,loyalty_id
C1,Ann,Lee,ANN.LEE@Example.com ,020 7946 0958,05/03/1980,1 High Street,London,sw1a1aa,UK,dev-1,L 0001
C2,Nguyễn,Dũng,shared@family.vn,+84 912 345 678,1990-02-01,,,,VN,dev-1|dev-2,
C3,Bob,Lee,shared@family.vn,,,1 High St.,London,SW1A 1AA,GB,,
"""


def _file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_customer_file_creates_records_linked_to_shared_identifiers(
    graph: Graph, tmp_path: Path
) -> None:
    report = ingest_file(graph, _file(tmp_path, "crm.csv", CUSTOMERS), "crm")
    assert (report.read, report.created, report.rejected) == (3, 3, 0)
    rows = cypher(
        graph,
        "MATCH (c:Customer)-[:HAS_EMAIL]->(e:Email {address: 'shared@family.vn'}) "
        "RETURN c.key AS key ORDER BY key",
    )
    assert [r["key"] for r in rows] == ["crm:C2", "crm:C3"]
    ann = cypher(
        graph,
        "MATCH (c:Customer {key: 'crm:C1'}), (run:IngestRun {run_id: c.run_id})-[:OF_SOURCE]->(s:Source), (c)-[h:HAS_EMAIL]->(e), "
        "(c)-[:HAS_PHONE]->(p), (c)-[:LIVES_AT]->(a), (c)-[:HAS_LOYALTY_ID]->(l) "
        "RETURN s.name AS source, e.address AS email, h.raw AS raw, p.e164 AS phone, "
        "a.postcode AS postcode, l.value AS loyalty, c.date_of_birth AS dob",
    )[0]
    assert ann["source"] == "crm"
    assert ann["email"] == "ann.lee@example.com"
    assert ann["raw"].strip() == "ANN.LEE@Example.com"
    assert ann["phone"] == "+442079460958"
    assert ann["postcode"] == "SW1A 1AA"
    assert ann["loyalty"] == "L0001"
    assert ann["dob"].iso_format() == "1980-03-05"
    same_address = cypher(
        graph, "MATCH (a:Address)<-[:LIVES_AT]-(c) RETURN count(DISTINCT a) AS n, count(c) AS m"
    )
    assert same_address == [{"n": 1, "m": 2}]
    devices = cypher(
        graph, "MATCH (:Device {device_id: 'dev-1'})<-[:USES]-(c) RETURN count(c) AS n"
    )
    assert devices == [{"n": 2}]


def test_reingesting_the_same_file_changes_nothing(graph: Graph, tmp_path: Path) -> None:
    path = _file(tmp_path, "crm.csv", CUSTOMERS)
    ingest_file(graph, path, "crm")
    before = snapshot(graph)
    again = ingest_file(graph, path, "crm")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert snapshot(graph) == before


def test_changed_record_is_updated_and_keeps_its_previous_values(
    graph: Graph, tmp_path: Path
) -> None:
    ingest_file(graph, _file(tmp_path, "v1.csv", CUSTOMERS), "crm")
    changed = CUSTOMERS.replace("C1,Ann,Lee,ANN.LEE@Example.com", "C1,Anne,Lee,anne@new.example")
    report = ingest_file(graph, _file(tmp_path, "v2.csv", changed), "crm")
    assert (report.updated, report.unchanged) == (1, 2)
    rows = cypher(
        graph,
        "MATCH (c:Customer {key: 'crm:C1'})-[:HAD_VERSION]->(v:Revision) "
        "RETURN c.first_name AS now, v.first_name AS before",
    )
    assert rows == [{"now": "Anne", "before": "Ann"}]
    links = cypher(
        graph,
        "MATCH (:Customer {key: 'crm:C1'})-[h:HAS_EMAIL]->(e) RETURN e.address AS a, h.current AS current "
        "ORDER BY a",
    )
    assert links == [
        {"a": "ann.lee@example.com", "current": False},
        {"a": "anne@new.example", "current": True},
    ]


def test_orders_link_customer_and_channel_even_before_the_customer_arrives(
    graph: Graph, tmp_path: Path
) -> None:
    orders = _file(
        tmp_path,
        "orders.csv",
        "order_id,customer_id,amount,currency,ordered_at,channel,status\n"
        "O1,C1,£12.50,,2024-01-02T10:00:00Z,Web shop,Paid\n"
        'O2,C9,"1.234,50",EUR,03/01/2024 14:30,POS,shipped\n',
    )
    report = ingest_file(graph, orders, "crm")
    assert (report.created, report.rejected) == (2, 0)
    stub = cypher(graph, "MATCH (c:Customer {key: 'crm:C9'}) RETURN c.stub AS stub")
    assert stub == [{"stub": True}]
    ingest_file(graph, _file(tmp_path, "crm.csv", CUSTOMERS), "crm")
    rows = cypher(
        graph,
        "MATCH (c:Customer)-[:PLACED]->(o:Order)-[:VIA]->(ch:Channel) "
        "RETURN c.first_name AS name, o.amount AS amount, o.currency AS currency, ch.name AS channel, "
        "o.status AS status ORDER BY o.order_id",
    )
    assert rows[0] == {
        "name": "Ann",
        "amount": 12.5,
        "currency": "GBP",
        "channel": "web",
        "status": "paid",
    }
    assert rows[1]["amount"] == 1234.5 and rows[1]["channel"] == "store"
    assert cypher(graph, "MATCH (c:Customer {key: 'crm:C1'}) RETURN c.stub AS stub") == [
        {"stub": None}
    ]


def test_interactions_and_device_links_from_ndjson_and_csv(graph: Graph, tmp_path: Path) -> None:
    tickets = [
        {
            "interaction_id": "T1",
            "customer_id": "C1",
            "type": "Ticket",
            "channel": "phone",
            "occurred_at": "2024-05-01T09:00:00+02:00",
            "subject": "Late parcel",
            "text": "Where is it?",
        },
        {
            "interaction_id": "T2",
            "customer_id": "C1",
            "type": "survey",
            "channel": "email",
            "occurred_at": "2024-05-03",
            "rating": "4,5",
        },
    ]
    path = _file(tmp_path, "tickets.ndjson", "".join(json.dumps(t) + "\n" for t in tickets))
    report = ingest_file(graph, path, "support", Kind.INTERACTIONS)
    assert (report.created, report.rejected) == (2, 0)
    devices = _file(
        tmp_path,
        "devices.csv",
        "device_id,customer_id,device_type,os,first_seen,last_seen\n"
        "dev-9,C1,phone,iOS 17,2024-01-01,2024-06-01\n",
    )
    assert ingest_file(graph, devices, "app").created == 1
    assert ingest_file(graph, devices, "app").unchanged == 1
    rows = cypher(
        graph,
        "MATCH (c:Customer {key: 'support:C1'})-[:HAD]->(i:Interaction)-[:VIA]->(ch) "
        "RETURN i.type AS type, ch.name AS channel, i.rating AS rating ORDER BY i.interaction_id",
    )
    assert rows == [
        {"type": "ticket", "channel": "call_centre", "rating": None},
        {"type": "survey", "channel": "email", "rating": 4.5},
    ]
    uses = cypher(
        graph,
        "MATCH (:Customer {key: 'app:C1'})-[u:USES]->(d:Device) RETURN d.os AS os, u.source AS s",
    )
    assert uses == [{"os": "iOS 17", "s": "app"}]


def test_rejected_rows_go_to_a_reject_file_with_reasons_and_counts_add_up(
    graph: Graph, tmp_path: Path
) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(
        b"source_id;first_name;email\n"
        b"A1;Ann;ann@example.com\n"
        b";NoKey;x@example.com\n"
        b"A2;Too;many;fields\n"
        b"A3;caf\xe9;cafe@example.com\n"
        b"A1;Again;dup@example.com\n"
        b"A4;Bad Email;not-an-email\n"
    )
    report = ingest_file(graph, path, "shop")
    assert report.adds_up
    assert (report.read, report.created, report.rejected) == (6, 2, 4)
    assert report.with_issues == 1
    rejects = tmp_path / "bad.rejects.csv"
    assert report.rejects_file == str(rejects)
    with rejects.open(encoding="utf-8", errors="surrogateescape", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert rows[0] == ["source_id", "first_name", "email", "_error"]
    reasons = [row[-1] for row in rows[1:]]
    assert "missing source_id" in reasons[0]
    assert "4 fields but the header has 3" in reasons[1]
    assert "not valid UTF-8" in reasons[2]
    assert "duplicate key 'shop:A1'" in reasons[3]
    assert b"A3;caf\xe9;cafe@example.com" in rejects.read_bytes()  # original bytes kept
    issues = cypher(
        graph,
        "MATCH (c:Customer {key: 'shop:A4'}) RETURN c.data_issues AS issues, c.first_name AS n",
    )
    assert issues[0]["n"] == "Bad Email"
    assert issues[0]["issues"][0].startswith("email: ")


def test_ndjson_rejects_keep_the_original_line(graph: Graph, tmp_path: Path) -> None:
    path = _file(
        tmp_path, "c.ndjson", '{"source_id": "1", "email": "a@b.com"}\n{oops\n{"first_name": "x"}\n'
    )
    report = ingest_file(graph, path, "support", Kind.CUSTOMERS)
    assert (report.created, report.rejected) == (1, 2)
    lines = [json.loads(line) for line in (tmp_path / "c.rejects.ndjson").read_text().splitlines()]
    assert lines[0]["_raw"] == "{oops" and "not valid JSON" in lines[0]["_error"]
    assert lines[1]["first_name"] == "x" and "missing source_id" in lines[1]["_error"]


def test_mapping_file_renames_columns_and_sets_the_date_order(graph: Graph, tmp_path: Path) -> None:
    data = _file(
        tmp_path,
        "pos.tsv",
        "Member\tName\tDOB\tTel\nL-1\tJosé Álvarez\t03/25/1985\t(212) 555-0134\n",
    )
    mapping = _file(
        tmp_path,
        "pos.yaml",
        "columns: {Member: source_id, Name: full_name, DOB: date_of_birth, Tel: phone}\n"
        "date_order: mdy\ndefault_region: US\n",
    )
    report = ingest_file(graph, data, "pos", mapping_path=mapping)
    assert report.created == 1
    row = cypher(
        graph,
        "MATCH (c:Customer {key: 'pos:L-1'})-[:HAS_PHONE]->(p) RETURN c.first_name AS f, c.last_name AS l, "
        "c.first_name_key AS fk, c.date_of_birth AS dob, p.e164 AS phone",
    )[0]
    assert (row["f"], row["l"], row["fk"]) == ("José", "Álvarez", "jose")
    assert row["dob"].iso_format() == "1985-03-25"
    assert row["phone"] == "+12125550134"


def test_python_api_ingests_plain_dicts_with_the_same_validation(graph: Graph) -> None:
    rows = [
        {
            "source_id": "u1",
            "emails": ["A@Example.com", "b@example.com"],
            "phones": "+49 151 23456789",
        },
        {"source_id": "", "email": "x@example.com"},
    ]
    report = ingest_rows(
        graph, rows_from_dicts(rows), "app", Kind.CUSTOMERS, settings=IngestSettings(batch_size=1)
    )
    assert (report.created, report.rejected) == (1, 1)
    assert report.rejections[0][0] == 2
    emails = cypher(
        graph, "MATCH (:Customer {key: 'app:u1'})-[:HAS_EMAIL]->(e) RETURN count(e) AS n"
    )
    assert emails == [{"n": 2}]


def test_ingest_is_recorded_as_an_audit_run(graph: Graph, tmp_path: Path) -> None:
    report = ingest_file(graph, _file(tmp_path, "crm.csv", CUSTOMERS), "crm")
    runs = cypher(
        graph,
        "MATCH (r:IngestRun {run_id: $id}) RETURN r.read AS read, r.created AS created",
        id=report.run_id,
    )
    assert runs == [{"read": 3, "created": 3}]
