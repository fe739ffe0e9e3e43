"""Schema migrations: constraints and indexes, created idempotently."""

from __future__ import annotations

from c360graph.db.graph import Graph
from c360graph.graph.schema import MIGRATIONS


def migrate(graph: Graph) -> int:
    """Apply every schema file in order; return the number of statements run."""
    return sum(graph.run_script(name) for name in MIGRATIONS)
