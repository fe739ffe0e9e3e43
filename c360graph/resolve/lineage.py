"""An identity id's lineage: where its records are now, and the events that took them there.

Any id ever issued answers: a current one, one merged away (redirected), one split, one
retired or erased. From the asked id the trail follows, step by step (one graph read each,
cypher/resolve/lineage_step.cypher):

- a merge redirect to the identity that absorbed it (the "merge" event there names it);
- each "split" of the id to the identities its records went to;
- a retirement ends the trail.

Edge cases, decided:
- the chain is the asked id's own events (creation, the split it was cut from, merges into
  it) and, for every identity the trail reaches, its events from the one that led there on;
  oldest first;
- the current identities are the active ones the trail reaches: a split id that kept most
  of its records is one of its own current identities; a retired or erased one has none;
- an id the graph never issued answers None;
- the trail stops after MAX_STEPS reads (a corrupted cycle cannot loop forever).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

Row = dict[str, Any]
StepReader = Callable[[list[str]], Awaitable[Sequence[Row]]]
MAX_STEPS = 50
ACTIVE = "active"


@dataclass(frozen=True)
class Lineage:
    """Where an id's records are now and how they got there."""

    id: str
    status: str | None  # of the asked id: active, merged, retired, erased
    current: tuple[str, ...]  # active identities the trail reaches
    events: tuple[Row, ...]  # the chain, oldest first


@dataclass
class _Trail:
    start: str
    since: dict[str, tuple[Any, ...] | None] = field(default_factory=dict)  # id -> entry key
    merged_from: dict[str, list[str]] = field(default_factory=dict)  # survivor -> ids it took
    status: dict[str, str | None] = field(default_factory=dict)
    events: dict[tuple[Any, ...], Row] = field(default_factory=dict)


def event_key(event: Row) -> tuple[Any, ...]:
    """An event's place in time: when its run wrote it, then its feed number."""
    return (str(event.get("at")), event.get("seq") or 0, event["kind"], event["identity"])


async def trace(read_step: StepReader, identity_id: str) -> Lineage | None:
    """The lineage of `identity_id`, reading the graph one step at a time; None if never issued."""
    trail = _Trail(identity_id, since={identity_id: None})
    frontier = [identity_id]
    for _ in range(MAX_STEPS):
        if not frontier:
            break
        rows = await read_step(frontier)
        frontier = []
        for row in rows:
            frontier.extend(_step(trail, row))
    if trail.status.get(identity_id) is None and not trail.events:
        return None
    current = sorted(i for i, status in trail.status.items() if status == ACTIVE)
    chain = sorted(trail.events.values(), key=event_key)
    return Lineage(identity_id, trail.status.get(identity_id), tuple(current), tuple(chain))


def _step(trail: _Trail, row: Row) -> list[str]:
    """Take one id's row into the trail; return the ids it leads to, not yet seen."""
    identity = str(row["id"])
    trail.status[identity] = row.get("status")
    since = _entry(trail, identity, row.get("own") or [])
    events = [*(row.get("own") or []), *(row.get("origin") or [])]
    relevant = [e for e in events if since is None or event_key(e) >= since]
    for event in relevant:
        trail.events[event_key(event)] = event
    onward: list[tuple[str, tuple[Any, ...] | None]] = []
    for event in relevant:
        if event["kind"] == "split" and event["identity"] == identity:
            onward.extend((other, event_key(event)) for other in event.get("others") or [])
    survivor = row.get("merged_into")
    if row.get("status") == "merged" and survivor:
        trail.merged_from.setdefault(str(survivor), []).append(identity)
        onward.append((str(survivor), since))
    new = []
    for other, key in onward:
        if other not in trail.since:
            trail.since[other] = key
            new.append(other)
    return new


def _entry(trail: _Trail, identity: str, own: list[Row]) -> tuple[Any, ...] | None:
    """Where the trail enters `identity`: its merge naming an id the trail merged into it."""
    since = trail.since.get(identity)
    absorbed = trail.merged_from.get(identity)
    if not absorbed:
        return since
    merges = [
        event_key(e)
        for e in own
        if e["kind"] == "merge"
        and set(absorbed) & set(e.get("others") or [])
        and (since is None or event_key(e) >= since)
    ]
    return min(merges) if merges else since
