"""The CLI, the GraphQL API and the notebook client do the same things alike: each front,
on an emptied graph, ingests the same files, resolves, links two records and erases one, and
the graphs they leave are the same (identities as partitions of records, with their golden
records and segments; records, identifiers, orders, assertions, tombstones, suppression).

They are one façade's use cases (c360graph/usecases), so what follows a write (erasure:
re-resolve, then refresh segments) cannot differ between them.
"""

from __future__ import annotations

import csv
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from c360graph import Client
from c360graph.config import Settings
from c360graph.db.graph import Graph
from c360graph.sources.fields import Kind
from tests.api.conftest import Run
from tests.helpers import VOLATILE, cypher
from tests.integration.test_cli import c360
from tests.population import people, store_test_model

BY = "test-admin"  # the admin key's name: who the API says asserted
CUSTOMER_COLUMNS = (
    "source_id", "first_name", "last_name", "date_of_birth", "email", "phone",
    "address_line1", "postcode",
)  # fmt: skip
ORDER_COLUMNS = ("order_id", "customer_id", "amount", "currency", "ordered_at", "channel", "status")
RUN_STAMPS = VOLATILE | {"since", "erased_at", "segments_at"}

Files = list[tuple[Path, str, Kind]]


def _write_csv(path: Path, columns: tuple[str, ...], rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Files:
    """Customers of four sources (tests/population.py's noisy people) and the web shop's orders."""
    out = tmp_path_factory.mktemp("fronts")
    recs, _ = people(24, seed=19)
    by_source: dict[str, list[dict[str, Any]]] = {}
    for rec in recs:
        by_source.setdefault(rec.source, []).append(
            {
                "source_id": rec.key.split(":", 1)[1],
                "first_name": rec.first_name,
                "last_name": rec.last_name,
                "date_of_birth": rec.date_of_birth.isoformat() if rec.date_of_birth else "",
                "email": rec.emails[0] if rec.emails else "",
                "phone": rec.phones[0] if rec.phones else "",
                "address_line1": rec.address_line1 or "",
                "postcode": rec.postcode or "",
            }
        )
    found: Files = []
    for source, rows in sorted(by_source.items()):
        path = out / f"{source}.csv"
        _write_csv(path, CUSTOMER_COLUMNS, rows)
        found.append((path, source, Kind.CUSTOMERS))
    rng = random.Random(19)
    orders = [
        {
            "order_id": f"o-{row['source_id']}-{n}",
            "customer_id": row["source_id"],
            "amount": f"{rng.randrange(5, 400)}.{rng.randrange(100):02d}",
            "currency": "EUR",
            "ordered_at": (date(2025, 1, 1) + timedelta(days=rng.randrange(365))).isoformat(),
            "channel": "web",
            "status": "completed",
        }
        for row in by_source["webshop"]
        for n in range(rng.randrange(1, 4))
    ]
    _write_csv(out / "orders.csv", ORDER_COLUMNS, orders)
    return [*found, (out / "orders.csv", "webshop", Kind.ORDERS)]


def _emptied(graph: Graph) -> None:
    graph.write("schema/clear_all")
    store_test_model(graph)  # the model a test resolves with (tests/conftest.py, `graph`)


def _to_link(graph: Graph) -> tuple[str, str]:
    """The first record of the two identities whose first records sort first."""
    rows = cypher(
        graph,
        "MATCH (c:Customer)-[:RESOLVES_TO]->(i:Identity {status: 'active'}) "
        "WITH i, min(c.key) AS first RETURN first ORDER BY first LIMIT 2",
    )
    return rows[0]["first"], rows[1]["first"]


def _to_erase(graph: Graph) -> str:
    """A record with orders whose identity keeps other records: erasing it changes a score."""
    rows = cypher(
        graph,
        "MATCH (o:Order)<-[:PLACED]-(c:Customer)-[:RESOLVES_TO]->(i:Identity) "
        "MATCH (i)<-[:RESOLVES_TO]-(other:Customer) WHERE other <> c "
        "RETURN DISTINCT c.key AS key ORDER BY key LIMIT 1",
    )
    assert rows, "the sample has no multi-record identity with orders"
    return str(rows[0]["key"])


def _lasting(props: dict[str, Any], *drop: str) -> list[tuple[str, Any]]:
    return sorted((k, v) for k, v in props.items() if k not in RUN_STAMPS and k not in drop)


def _dump(graph: Graph) -> dict[str, Any]:
    """The graph without run ids and times: identities as their records, all else by key."""
    identities = cypher(
        graph,
        "MATCH (i:Identity) OPTIONAL MATCH (i)<-[:RESOLVES_TO]-(c:Customer) "
        "WITH i, collect(c.key) AS keys RETURN i.status AS status, keys, properties(i) AS p",
    )
    nodes = cypher(
        graph,
        "MATCH (n) WHERE NOT (n:Identity OR n:IdentityEvent OR n:IngestRun OR n:ResolutionRun "
        "OR n:AnalysisRun) RETURN labels(n) AS l, properties(n) AS p",
    )
    rels = cypher(
        graph,
        "MATCH (n)-[r]->(m) WHERE NOT (n:Identity OR n:IdentityEvent OR n:IngestRun "
        "OR n:ResolutionRun OR n:AnalysisRun OR m:IdentityEvent) RETURN type(r) AS t, "
        "coalesce(n.key, n.address, n.e164, n.device_id, n.value, n.hash, n.name) AS a, "
        "coalesce(m.key, m.address, m.e164, m.device_id, m.value, m.hash, m.name) AS b, "
        "properties(r) AS p",
    )
    return {
        "identities": sorted(
            repr((sorted(row["keys"]), _lasting(row["p"], "id")))
            for row in identities
            if row["keys"]
        ),
        "statuses": Counter(str(row["status"]) for row in identities),
        "segmented": sum(1 for row in identities if "segment" in row["p"]),
        "nodes": sorted(repr((sorted(row["l"]), _lasting(row["p"]))) for row in nodes),
        "relationships": sorted(
            repr((row["t"], row["a"], row["b"], _lasting(row["p"], "moved_from"))) for row in rels
        ),
    }


def _through_cli(graph: Graph, files: Files, env: dict[str, str]) -> None:
    def ok(*args: str) -> None:
        result = c360(env, *args)
        assert result.returncode == 0, result.stderr

    for path, source, kind in files:
        ok("ingest", str(path), "--source", source, "--kind", kind.value)
    ok("resolve")
    a, b = _to_link(graph)
    ok("link", a, b, "--by", BY, "--note", "same person")
    ok("erase", _to_erase(graph), "--yes")


def _through_api(graph: Graph, files: Files, admin: Run) -> None:
    for path, source, kind in files:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = [{k: v for k, v in row.items() if v} for row in csv.DictReader(handle)]
        admin(
            "mutation($s: String!, $k: RecordKind!, $r: [JSON!]!) { ingestRecords(source: $s, "
            "kind: $k, records: $r) { rejected } }",
            s=source,
            k=kind.name,
            r=rows,
        )
    admin("mutation { resolve { mode } }")
    a, b = _to_link(graph)
    admin(
        'mutation($a: RecordRef!, $b: RecordRef!) { link(a: $a, b: $b, note: "same person") '
        "{ same } }",
        a=_ref(a),
        b=_ref(b),
    )
    admin(
        "mutation($r: RecordRef!) { eraseRecord(record: $r) { erased } }", r=_ref(_to_erase(graph))
    )


def _ref(key: str) -> dict[str, str]:
    source, source_id = key.split(":", 1)
    return {"source": source, "sourceId": source_id}


def _through_client(graph: Graph, files: Files, settings: Settings) -> None:
    with Client(settings) as client:
        for path, source, kind in files:
            client.ingest.file(path, source, kind)
        client.resolution.run()
        a, b = _to_link(graph)
        client.assertions.same(a, b, BY, "same person")
        client.erasure.record(_to_erase(graph))


def test_the_cli_the_api_and_the_notebook_client_leave_the_same_graph(
    session_graph: Graph,
    files: Files,
    cli_env_session: dict[str, str],
    admin: Run,
    settings: Settings,
    server_home: Path,
    api_url: str,
) -> None:
    # The client keys the suppression list with the secret `c360` uses in this home.
    secret = server_home / "suppression.key"
    client_settings = replace(
        settings, ingest=replace(settings.ingest, suppression_key_file=secret)
    )
    fronts: dict[str, Callable[[], None]] = {
        "cli": lambda: _through_cli(session_graph, files, cli_env_session),
        "api": lambda: _through_api(session_graph, files, admin),
        "client": lambda: _through_client(session_graph, files, client_settings),
    }
    dumps = {}
    for name, run in fronts.items():
        _emptied(session_graph)
        run()
        dumps[name] = _dump(session_graph)
    _emptied(session_graph)  # the next module starts from an empty graph, as from a fresh one
    cli = dumps["cli"]
    assert cli["statuses"]["erased"] == 0 and cli["segmented"] >= 1
    assert any("Tombstone" in node for node in cli["nodes"])
    for name in ("api", "client"):
        for part, value in cli.items():
            theirs = dumps[name][part]
            assert theirs == value, (name, part, _differences(theirs, value))


def _differences(theirs: Any, cli: Any) -> Any:
    if not isinstance(cli, list):
        return theirs, cli
    return {
        "only theirs": sorted(set(theirs) - set(cli))[:3],
        "only cli": sorted(set(cli) - set(theirs))[:3],
    }
