"""Test helpers: ad-hoc Cypher for assertions, and whole-graph snapshots."""

from __future__ import annotations

from typing import Any

from c360graph.db.graph import Graph


def cypher(graph: Graph, text: str, **params: Any) -> list[dict[str, Any]]:
    """Run an assertion query (tests only; product Cypher lives in cypher/)."""
    with graph.driver.session(database=graph.database) as session:
        return session.run(text, params).data()


def snapshot(graph: Graph) -> tuple[list[str], list[str]]:
    """Every node and relationship with its properties, except the ingest audit log."""
    nodes = cypher(
        graph,
        "MATCH (n) WHERE NOT n:IngestRun RETURN labels(n) AS labels, properties(n) AS props",
    )
    rels = cypher(
        graph,
        "MATCH (a)-[r]->(b) WHERE NOT a:IngestRun "
        "RETURN type(r) AS type, properties(a) AS a, properties(b) AS b, "
        "properties(r) AS props",
    )
    return sorted(map(repr, nodes)), sorted(map(repr, rels))


# Properties that say when or by which run something was written: they differ between any
# two runs, interrupted or not.
VOLATILE = {
    "run_id",
    "at",
    "created_at",
    "created_by_run",
    "updated_at",
    "first_ingested_at",
    "ingested_at",
    "first_seen",
    "last_seen",
    "until",
    "superseded_at",
    "superseded_by_run",
}


def content(graph: Graph) -> tuple[list[str], list[str]]:
    """Every node and relationship with its lasting properties (run stamps and times aside)."""

    def lasting(props: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in props.items() if k not in VOLATILE}

    nodes = cypher(
        graph,
        "MATCH (n) WHERE NOT n:IngestRun "
        "RETURN labels(n) AS labels, properties(n) AS props, "
        "coalesce(n.key, n.address, n.e164, n.device_id, n.value, n.hash, n.name) AS key",
    )
    rels = cypher(
        graph,
        "MATCH (n)-[r]->(m) WHERE NOT n:IngestRun "
        "RETURN type(r) AS type, properties(r) AS props, "
        "coalesce(n.key, n.address, n.e164, n.device_id, n.value, n.hash, n.name) AS a, "
        "coalesce(m.key, m.address, m.e164, m.device_id, m.value, m.hash, m.name) AS b",
    )
    return (
        sorted(
            repr((sorted(n["labels"]), n["key"], sorted(lasting(n["props"]).items())))
            for n in nodes
        ),
        sorted(
            repr((r["type"], r["a"], r["b"], sorted(lasting(r["props"]).items()))) for r in rels
        ),
    )
