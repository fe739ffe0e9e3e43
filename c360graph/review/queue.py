"""The review queue in the graph: refreshed by every resolution run, listed, and decided.

A queued pair is a `REVIEW_PAIR` relationship between its two `Customer` records (lower key
first), so erasing a record takes its pairs with it. Deciding a pair is an analyst assertion
(resolve/assertions.py): accept is a must-link, reject a cannot-link, and both are the labels
the model is checked (and, with enough must-links, refined) against.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from c360graph.db.graph import Graph
from c360graph.db.values import plain
from c360graph.resolve.assertions import assert_different, assert_same
from c360graph.resolve.records import Scored
from c360graph.resolve.settings import ResolutionConfig
from c360graph.resolve.store import assertions, chunks, write_batched
from c360graph.review.band import ReviewItem, select

Pair = tuple[str, str]


@dataclass(frozen=True)
class Queued:
    """A pair as the queue holds it, with the run that queued it."""

    item: ReviewItem
    run_id: str
    at: datetime | None


def refresh(
    graph: Graph,
    config: ResolutionConfig,
    run_id: str,
    band: Iterable[Scored],
    rescored: set[str],
    scope: set[str],
    identity_of: Callable[[str], str | None],
    everywhere: bool,
) -> int:
    """Refresh the queue after a run's write; returns how many pairs the run queued.

    Items touching `rescored` records are replaced by the run's band; other items touching
    `scope` leave when their records are now in one identity or were asserted either way.
    """
    touched = _all_pairs(graph) if everywhere else _pairs_touching(graph, scope)
    band = list(band)
    keys = {k for pair in touched for k in pair} | {k for s in band for k in s.pair}
    must, cannot = assertions(graph, keys)
    decided = must | cannot

    def settled(pair: Pair) -> bool:
        identity = identity_of(pair[0])
        return pair in decided or (identity is not None and identity == identity_of(pair[1]))

    stale = [p for p in touched if p[0] in rescored or p[1] in rescored or settled(p)]
    write_batched(graph, "review/delete_pairs", "pairs", [{"a": a, "b": b} for a, b in stale])
    items = select(band, config.threshold, config.review.max_pairs, settled)
    rows = [_row(item) for item in items]
    write_batched(graph, "review/write_pairs", "pairs", rows, run_id=run_id, now=datetime.now(UTC))
    return len(items)


def page(
    graph: Graph, limit: int, min_probability: float = 0.0, after: Sequence[Any] | None = None
) -> list[Queued]:
    """Up to `limit` queued pairs after the keyset position (distance, a, b), nearest first."""
    distance, a, b = after if after is not None else (None, None, None)
    rows = graph.read(
        "review/queue_page",
        min_probability=min_probability,
        after_distance=distance,
        after_a=a,
        after_b=b,
        limit=limit,
    )
    return [queued_of(plain(row)) for row in rows]


def size(graph: Graph) -> int:
    """How many pairs the queue holds."""
    return int(graph.read("review/count")[0]["pairs"])


def decide(graph: Graph, a: str, b: str, accept: bool, by: str, note: str | None) -> bool:
    """Accept (must-link) or reject (cannot-link) a pair, and take it out of the queue.

    Returns whether it was queued: any two records may be decided, as with `c360 link`; the
    next resolution run acts on it. Raises UnknownRecord for a key that names no record,
    ValueError for a == b.
    """
    (assert_same if accept else assert_different)(graph, a, b, by, note)
    pair = {"a": min(a, b), "b": max(a, b)}
    rows = graph.write_returning("review/delete_pairs", pairs=[pair])
    return bool(rows and rows[0]["removed"])


def _row(item: ReviewItem) -> dict[str, Any]:
    row = asdict(item)
    for name in ("fields", "levels", "weights"):
        row[name] = list(row[name])  # lists, as the graph stores them
    return row


def queued_of(row: Mapping[str, Any]) -> Queued:
    """A queued pair from a review/queue_page row."""
    item = ReviewItem(
        a=row["a"],
        b=row["b"],
        probability=float(row["probability"]),
        weight=float(row["weight"]),
        distance=float(row["distance"]),
        reason=row["reason"],
        blocked_by=row["blocked_by"],
        fields=tuple(row["fields"] or ()),
        levels=tuple(row["levels"] or ()),
        weights=tuple(float(w) for w in row["weights"] or ()),
    )
    return Queued(item, row["run_id"], row["at"])


def _all_pairs(graph: Graph) -> list[Pair]:
    return [(row["a"], row["b"]) for row in graph.read("review/all_pairs")]


def _pairs_touching(graph: Graph, keys: set[str]) -> list[Pair]:
    found: set[Pair] = set()
    for chunk in chunks(sorted(keys)):
        found.update(
            (row["a"], row["b"]) for row in graph.read("review/pairs_touching", keys=chunk)
        )
    return sorted(found)
