"""The identity change feed: every merge, split, move, creation and retirement, in order.

Each `:IdentityEvent` is numbered from one counter in the graph (`:EventSequence`) in the
transaction that writes it (cypher/resolve/record_events.cypher), so the order survives
restarts and two events written in the same millisecond still get distinct numbers. A
cursor is that number, encoded opaquely; "after this cursor" means "with a larger number".

Edge cases, decided:
- events of a resolution run still writing are held back, and so is every event numbered
  after them, until the run completes (cypher/resolve/events_after.cypher): a follower
  never sees an event an interrupted run's undo deletes, and never skips one committed late;
- an interrupted run's numbers are never reused: the feed has a gap there, which is fine,
  since a cursor only says "after";
- events written before the sequence existed have no number and are not in the feed (their
  identities' `history` and `identityLineage` still show them).
"""

from __future__ import annotations

import base64
import binascii
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from neo4j.exceptions import ConstraintError

from c360graph.db.graph import Graph

FEED_QUERY = "resolve/events_after"
PAGE = 500  # events per read: a million-record run writes ~500k, read in pages
_PREFIX = "identity-event:"


class BadCursor(ValueError):
    """A cursor that this feed did not hand out."""


@dataclass(frozen=True)
class FeedEvent:
    """One identity event as the feed hands it out."""

    seq: int
    kind: str
    identity: str
    others: tuple[str, ...]
    records: int | None
    reason: str | None
    at: Any  # the graph's DateTime
    run_id: str | None

    @property
    def cursor(self) -> str:
        """Resume after this event with this cursor."""
        return cursor_of(self.seq)

    def as_json(self) -> dict[str, Any]:
        """The event as a JSON-ready dict (times in ISO 8601)."""
        return {
            "cursor": self.cursor,
            "kind": self.kind,
            "identity": self.identity,
            "others": list(self.others),
            "records": self.records,
            "reason": self.reason,
            "at": self.at.isoformat() if hasattr(self.at, "isoformat") else self.at,
            "runId": self.run_id,
        }


def cursor_of(seq: int) -> str:
    """The opaque cursor after event number `seq`."""
    return base64.urlsafe_b64encode(f"{_PREFIX}{seq}".encode()).decode().rstrip("=")


def seq_of(cursor: str | None) -> int:
    """The event number a cursor points after (0 for None: the beginning); BadCursor if forged."""
    if cursor is None or cursor == "":
        return 0
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        text = base64.urlsafe_b64decode(padded.encode()).decode()
    except (ValueError, UnicodeDecodeError, binascii.Error) as exc:
        raise _bad(cursor) from exc
    number = text.removeprefix(_PREFIX)
    if number == text or not number.isdigit() or len(number) > 18:  # fits the graph's int64
        raise _bad(cursor)
    return int(number)


def _bad(cursor: str) -> BadCursor:
    return BadCursor(
        f"cursor {cursor!r} is not an identity event cursor; pass one this feed handed out "
        "(an event's `cursor`), or none to start from the first event"
    )


def feed_event(row: dict[str, Any]) -> FeedEvent:
    """A feed event from a row of resolve/events_after."""
    event = row["event"]
    return FeedEvent(
        seq=int(event["seq"]),
        kind=str(event["kind"]),
        identity=str(event["identity"]),
        others=tuple(event.get("others") or ()),
        records=event.get("records"),
        reason=event.get("reason"),
        at=event.get("at"),
        run_id=event.get("run_id"),
    )


def ensure_sequence(graph: Graph) -> None:
    """Make sure the event counter exists; call before writing events."""
    try:
        graph.write("resolve/ensure_event_sequence")
    except ConstraintError:  # ArcadeDB: another writer created it at the same moment
        graph.write("resolve/ensure_event_sequence")


def events_after(graph: Graph, cursor: str | None, limit: int = PAGE) -> list[FeedEvent]:
    """Up to `limit` events after `cursor`, oldest first (BadCursor if it is not ours)."""
    rows = graph.read(FEED_QUERY, after=seq_of(cursor), limit=limit)
    return [feed_event(row) for row in rows]


def follow(
    graph: Graph, cursor: str | None, poll_seconds: float, forever: bool
) -> Iterator[FeedEvent]:
    """Every event after `cursor`; with `forever`, then each new one as it is written."""
    while True:
        page = events_after(graph, cursor)
        yield from page
        if page:
            cursor = page[-1].cursor
        if len(page) == PAGE:
            continue
        if not forever:
            return
        time.sleep(poll_seconds)
