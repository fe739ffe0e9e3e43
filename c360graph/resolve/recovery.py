"""Undoing a resolution run that died while writing, so the next run starts from clean data.

A run writes in many transactions (links, identities, record moves, redirects, stamps,
events) and marks itself complete only after the last. One left 'writing' was interrupted:
its record moves are put back (each RESOLVES_TO it made remembers the identity it replaced),
the redirects it made are lifted, the identities it created are deleted with its events, and
the next run re-resolves everything (links and golden records included) from that state.
"""

from __future__ import annotations

from datetime import UTC, datetime

from c360graph.db.graph import Graph
from c360graph.resolve.store import write_batched


def undo_unfinished_runs(graph: Graph) -> list[str]:
    """Undo every run left half-written; return their ids. Call only while holding the lock."""
    undone = []
    for row in graph.read("resolve/unfinished_runs"):
        run_id = str(row["run_id"])
        moves = graph.read("resolve/interrupted_moves", run_id=run_id)
        write_batched(graph, "resolve/undo_moves", "rows", moves, run_id=run_id)
        graph.write("resolve/undo_redirects", run_id=run_id)
        graph.write("resolve/drop_interrupted_identities", run_id=run_id)
        graph.write("resolve/mark_interrupted", run_id=run_id, now=datetime.now(UTC))
        undone.append(run_id)
    return undone
