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
