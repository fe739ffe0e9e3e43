"""OpenGDS on the local Neo4j: its weakly connected components give the partition c360graph's own
`resolve.components.cluster` gives, on random graphs (no cannot-links or size cap: those are
c360graph's, and GDS has no such constraints). Resolution still clusters in Python, on both
engines; this pins that GDS could take the unconstrained part over without changing a result.
"""

from __future__ import annotations

import random

import pytest

from c360graph.db.graph import Graph
from c360graph.resolve.components import Edge, cluster
from tests.helpers import cypher

pytestmark = pytest.mark.engine("neo4j")


@pytest.mark.parametrize("seed", range(4))
def test_gds_wcc_gives_the_same_partition_as_python_components(graph: Graph, seed: int) -> None:
    rng = random.Random(seed)
    keys = [f"crm:{n}" for n in range(rng.randint(20, 80))]
    pairs = {tuple(sorted(rng.sample(keys, 2))) for _ in range(rng.randint(5, len(keys)))}
    cypher(graph, "UNWIND $keys AS k CREATE (:Customer {key: k})", keys=keys)
    cypher(
        graph,
        "UNWIND $pairs AS p MATCH (a:Customer {key: p[0]}), (b:Customer {key: p[1]}) "
        "CREATE (a)-[:LINKED {probability: 1.0}]->(b)",
        pairs=[list(p) for p in pairs],
    )
    name = f"c360-wcc-{seed}"
    cypher(
        graph,
        "CALL gds.graph.project($name, 'Customer', {LINKED: {orientation: 'UNDIRECTED'}}) "
        "YIELD nodeCount RETURN nodeCount",
        name=name,
    )
    try:
        rows = cypher(
            graph,
            "CALL gds.wcc.stream($name) YIELD nodeId, componentId "
            "RETURN gds.util.asNode(nodeId).key AS key, componentId AS component",
            name=name,
        )
    finally:
        cypher(graph, "CALL gds.graph.drop($name) YIELD graphName RETURN graphName", name=name)
    by_gds: dict[int, list[str]] = {}
    for row in rows:
        by_gds.setdefault(row["component"], []).append(row["key"])
    in_python = cluster(keys, [Edge(a, b, 1.0) for a, b in pairs]).components
    assert sorted(tuple(sorted(c)) for c in by_gds.values()) == sorted(in_python)
