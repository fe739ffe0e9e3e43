"""Analyst assertions: must-link and cannot-link between two records, kept in the graph."""

from __future__ import annotations

from datetime import UTC, datetime

from c360graph.db.graph import Graph


class UnknownRecord(KeyError):
    """A record key names no record in the graph."""

    def __str__(self) -> str:
        return str(self.args[0])


def _assert(graph: Graph, query: str, a: str, b: str, by: str, note: str | None) -> None:
    if a == b:
        raise ValueError("an assertion needs two different records")
    rows = graph.write_returning(query, a=a, b=b, by=by, note=note, now=datetime.now(UTC))
    if not rows or not rows[0]["asserted"]:
        raise UnknownRecord(f"no record {a!r} or {b!r}; keys look like source:source_id")
    graph.write("resolve/mark_unresolved", keys=[a, b])


def assert_same(graph: Graph, a: str, b: str, by: str, note: str | None = None) -> None:
    """Record that records a and b are the same person; the next run links them."""
    _assert(graph, "resolve/assert_same", a, b, by, note)


def assert_different(graph: Graph, a: str, b: str, by: str, note: str | None = None) -> None:
    """Record that records a and b are different people; the next run keeps them apart."""
    _assert(graph, "resolve/assert_not_same", a, b, by, note)
