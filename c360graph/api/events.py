"""The identity change feed over GraphQL: a subscription to follow it, and an id's lineage.

`identityEvents(since)` is a subscription (graphql-transport-ws over WebSockets on /graphql):
it replays the events after the cursor, then follows new ones by polling the graph every
POLL_SECONDS. Polling, not an in-process notification: resolution runs are written by other
processes too (`c360 resolve`, other API workers), and the graph is the one place that sees
them all; a read every second of an indexed range costs little. Events hold ids, counts and
reasons, no personal data; the feed lists every identity, so it needs the browse grant.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Sequence
from typing import Any

import strawberry

from c360graph.api.context import Info
from c360graph.api.errors import BadInput
from c360graph.api.identity import Identity, load_identity
from c360graph.api.permissions import Browse, LookUp, permit
from c360graph.api.records import IdentityEvent, identity_event
from c360graph.api.service import QueryService
from c360graph.resolve.event_feed import FEED_QUERY, PAGE, BadCursor, seq_of
from c360graph.resolve.lineage import trace

POLL_SECONDS = 1.0


async def _follow(service: QueryService, after: int) -> AsyncGenerator[IdentityEvent, None]:
    """Events numbered after `after`, then each new one, until the client leaves."""
    while True:
        rows = await service.read(FEED_QUERY, after=after, limit=PAGE)
        for row in rows:
            after = int(row["event"]["seq"])
            yield identity_event(row["event"])
        if len(rows) < PAGE:
            await asyncio.sleep(POLL_SECONDS)


def _start(since: str | None) -> int:
    try:
        return seq_of(since)
    except BadCursor as exc:
        raise BadInput(str(exc)) from exc


@strawberry.type(description="Streams over WebSockets (graphql-transport-ws) on /graphql.")
class Subscription:
    @strawberry.subscription(
        description="Every merge, split, move, creation and retirement of an identity, in "
        "order: first those after `since` (an event's `cursor`; none: from the first), then "
        "each new one as resolution writes it. Resume after a disconnect with the last "
        "cursor received: nothing is skipped or repeated. graphql-transport-ws on /graphql.",
        extensions=[permit(Browse)],
    )
    async def identity_events(
        self, info: Info, since: str | None = None
    ) -> AsyncGenerator[IdentityEvent, None]:
        after = _start(since)
        async for event in _follow(info.context.app.service, after):
            yield event


@strawberry.type(description="Where an identity id's records are now, and how they got there.")
class IdentityLineage:
    id: strawberry.ID = strawberry.field(description="The id asked about.")
    status: str | None = strawberry.field(
        description="Its status: active, merged (redirected), retired or erased."
    )
    current_ids: list[strawberry.ID] = strawberry.field(
        description="The active identities its records are in now (none when retired)."
    )
    events: list[IdentityEvent] = strawberry.field(
        description="The events that led there, oldest first: its own, and those of each "
        "identity its records reached from the event that took them there."
    )

    @strawberry.field(description="The current identities themselves.")
    async def current(self, info: Info) -> list[Identity]:
        found = await asyncio.gather(*(load_identity(info, str(i)) for i in self.current_ids))
        identities = [i for i in found if i is not None]
        info.context.look_up(str(i.id) for i in identities)
        return identities


async def lineage_of(info: Info, identity_id: str) -> IdentityLineage | None:
    """The lineage of any id ever issued; None for an id never issued."""
    service = info.context.app.service

    async def read_step(ids: list[str]) -> Sequence[dict[str, Any]]:
        return await service.read("resolve/lineage_step", info.context.trips, ids=ids)

    found = await trace(read_step, identity_id)
    if found is None:
        return None
    return IdentityLineage(
        id=strawberry.ID(found.id),
        status=found.status,
        current_ids=[strawberry.ID(i) for i in found.current],
        events=[identity_event(e) for e in found.events],
    )


@strawberry.type
class LineageQuery:
    @strawberry.field(
        description="For any identity id ever issued (current, merged away, split, retired, "
        "erased): its current identity or identities and the chain of events that led there. "
        "Null for an id never issued.",
        extensions=[permit(LookUp)],
    )
    async def identity_lineage(self, info: Info, id: strawberry.ID) -> IdentityLineage | None:
        return await lineage_of(info, str(id))
