"""`c360.review`: the review queue, listed and decided; a decision is an assertion."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from c360graph.resolve import store
from c360graph.resolve.records import Rec
from c360graph.review import queue

if TYPE_CHECKING:
    from c360graph.usecases.facade import C360, Resolved


@dataclass(frozen=True)
class Decided:
    """A review decision: whether the pair was queued, and the run that applied it."""

    was_queued: bool
    resolved: Resolved | None


class Review:
    """The review queue, reached as `c360.review`."""

    def __init__(self, c360: C360) -> None:
        self._c360 = c360

    def page(
        self, limit: int, min_probability: float = 0.0, after: Sequence[Any] | None = None
    ) -> list[queue.Queued]:
        """Up to `limit` queued pairs, nearest the threshold first."""
        return queue.page(self._c360.graph, limit, min_probability, after)

    def size(self) -> int:
        """How many pairs the queue holds."""
        return queue.size(self._c360.graph)

    def records(self, keys: Sequence[str]) -> dict[str, Rec]:
        """The records of queued pairs, by key (an erased one is missing)."""
        return store.load_records(self._c360.graph, sorted(set(keys)))

    def decide(
        self,
        a: str,
        b: str,
        accept: bool,
        by: str,
        note: str | None = None,
        *,
        resolve: bool = True,
    ) -> Decided:
        """Accept (must-link) or reject (cannot-link) a pair, take it out of the queue, and
        (unless not `resolve`) apply it. UnknownRecord or ValueError as an assertion."""
        was_queued = queue.decide(self._c360.graph, a, b, accept, by, note)
        return Decided(was_queued, self._c360.resolution.run() if resolve else None)
