"""Engine differences that c360graph's code works around, pinned on the engine that shows them.

Each test here is named in docs/graph-engines.md beside the difference it pins, and runs on
both engines (`pytest --engine neo4j|arcadedb`) unless marked for one.
"""

from __future__ import annotations

from datetime import UTC, datetime

import neo4j
import pytest

from c360graph.db.graph import Graph
from c360graph.db.values import plain
from tests.helpers import cypher


def test_a_time_read_and_written_back_still_equals_the_stored_one(graph: Graph) -> None:
    """The segments analysis reads order times and writes the latest back as last_order_at."""
    cypher(graph, "CREATE (:Order {key: 'o1', ordered_at: datetime('2026-05-11T12:00:00Z')})")
    stored = cypher(graph, "MATCH (o:Order {key: 'o1'}) RETURN o.ordered_at AS at")[0]["at"]
    again = plain(stored)
    assert again == datetime(2026, 5, 11, 12, tzinfo=UTC)
    rows = cypher(
        graph, "MATCH (o:Order {key: 'o1'}) RETURN o.ordered_at = $again AS same", again=again
    )
    assert rows == [{"same": True}]


@pytest.mark.engine("neo4j")
def test_neo4j_equality_of_times_holds_a_zone_name_apart_from_an_offset(graph: Graph) -> None:
    """Why `plain()` gives UTC times the offset form: `Z` and `Z[UTC]` are unequal in Neo4j."""
    rows = cypher(
        graph,
        "RETURN datetime('2026-05-11T12:00:00Z') = datetime('2026-05-11T12:00:00[UTC]') AS named, "
        "datetime('2026-05-11T12:00:00Z') = datetime('2026-05-11T13:00:00+01:00') AS shifted, "
        "datetime('2026-05-11T12:00:00Z') < datetime('2026-05-11T12:00:01[UTC]') AS ordered",
    )
    assert rows == [{"named": False, "shifted": False, "ordered": True}]


def _create_in_a_read_transaction(graph: Graph) -> None:
    with graph.driver.session(database=graph.database) as session:
        session.execute_read(lambda tx: tx.run("CREATE (:BenchRaw {key: 'read'})").consume())


@pytest.mark.engine("neo4j")
def test_neo4j_refuses_a_write_in_a_read_transaction(graph: Graph) -> None:
    """Why bench/ingest.py empties the graph with Graph.write_returning, not Graph.read."""
    with pytest.raises(neo4j.exceptions.ClientError, match="read access mode"):
        _create_in_a_read_transaction(graph)
    assert cypher(graph, "MATCH (n:BenchRaw) RETURN count(n) AS n") == [{"n": 0}]


@pytest.mark.engine("arcadedb")
def test_arcadedb_carries_out_a_write_in_a_read_transaction(graph: Graph) -> None:
    """A write query run by Graph.read passes on ArcadeDB: only Neo4j catches the mistake."""
    _create_in_a_read_transaction(graph)
    assert cypher(graph, "MATCH (n:BenchRaw) RETURN count(n) AS n") == [{"n": 1}]
