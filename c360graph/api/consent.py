"""Marketing consent in the API: an identity's current choice per channel and its history,
and a campaign's audience (who may be contacted on a channel), as c360graph.analyze decides.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from c360graph.analyze.audience import PAGE, AudienceReport, check_channel, outcome
from c360graph.analyze.consent import ConsentEvent, current, history
from c360graph.api.context import Info
from c360graph.api.errors import BadInput
from c360graph.api.pagination import Connection, connection, decode_cursor, page_size
from c360graph.api.service import Row

if TYPE_CHECKING:
    from c360graph.api.identity import Identity

_Identity = Annotated["Identity", strawberry.lazy("c360graph.api.identity")]


@strawberry.type(description="A marketing choice on one channel: when, where and what it said.")
class Consent:
    channel: str = strawberry.field(description="email, sms, phone, post, push or chat.")
    status: str = strawberry.field(description="opt_in, opt_out or unsubscribed.")
    recorded_at: datetime = strawberry.field(description="When the customer made it (UTC).")
    source: str = strawberry.field(description="The system that recorded it.")
    record: str = strawberry.field(description="The source record it was recorded for.")
    detail: str | None = strawberry.field(description="How it was given, if the source said.")
    contactable: bool = strawberry.field(description="True when it allows marketing (opt_in).")

    @classmethod
    def of(cls, event: ConsentEvent) -> Consent:
        """From a decided event."""
        return cls(
            channel=event.channel,
            status=event.status,
            recorded_at=event.recorded_at,
            source=event.source,
            record=event.record,
            detail=event.detail,
            contactable=event.contactable,
        )


def _events(rows: list[Row]) -> list[ConsentEvent]:
    return [ConsentEvent.of(row) for row in rows]


async def consents_of(info: Info, identity_id: str) -> list[Consent]:
    """The current consent of each channel the identity has an event for."""
    rows = await info.context.loaders.consents.load(identity_id)
    return [Consent.of(e) for e in current(_events(rows)).values()]


async def consent_history_of(info: Info, identity_id: str) -> list[Consent]:
    """Every consent event of the identity, newest first."""
    rows = await info.context.loaders.consents.load(identity_id)
    return [Consent.of(e) for e in history(_events(rows))]


@strawberry.type(
    description="Who a campaign on one channel may reach: identities whose current consent "
    "on it is opt_in. Everyone considered is counted once, by why they are left out."
)
class Audience:
    channel: str = strawberry.field(description="The consent channel.")
    segment: str | None = strawberry.field(description="The segment, or null for everyone.")
    considered: int = strawberry.field(description="Active identities considered.")
    contactable: int = strawberry.field(description="In the audience (opt_in, reachable).")
    opted_out: int = strawberry.field(description="Left out: latest choice opt_out.")
    unsubscribed: int = strawberry.field(description="Left out: latest choice unsubscribed.")
    no_consent: int = strawberry.field(description="Left out: never asked on this channel.")
    no_contact: int = strawberry.field(
        description="Left out: opted in, but no email, phone or address to reach them with."
    )
    ids: strawberry.Private[list[str]]

    @strawberry.field(description="The identities in the audience, by id.")
    async def identities(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[_Identity]:
        from c360graph.api.identity import load_identity

        size = page_size(first, info.context.page_size, info.context.max_page_size)
        start = decode_cursor("audience", after)
        ids = [i for i in self.ids if start is None or i > str(start[0])][: size + 1]
        loaded = await asyncio.gather(*(load_identity(info, i) for i in ids))
        found = [(i, x) for i, x in zip(ids, loaded, strict=True) if x is not None]
        return connection(found, size, after, "audience", lambda f: (f[0],), lambda f: f[1])


async def audience_of(info: Info, channel: str, segment: str | None) -> Audience:
    """The audience of a channel (and segment)."""
    try:
        chosen = check_channel(channel)
    except ValueError as exc:
        raise BadInput(str(exc)) from exc
    report = AudienceReport(channel=chosen, segment=segment)
    ids: list[str] = []
    after: str | None = None
    while True:
        rows = await info.context.loaders.read(
            "analyses/audience", segment=segment, channel=chosen, after_id=after, limit=PAGE
        )
        for row in rows:
            report.considered += 1
            why, _ = outcome(row, chosen)
            report.outcomes[why] += 1
            if why == "contactable":
                ids.append(row["id"])
        if len(rows) < PAGE:
            break
        after = rows[-1]["id"]
    o = report.outcomes
    return Audience(
        channel=chosen,
        segment=segment,
        considered=report.considered,
        contactable=report.contactable,
        opted_out=o["opt_out"],
        unsubscribed=o["unsubscribed"],
        no_consent=o["no_consent"],
        no_contact=o["no_contact"],
        ids=ids,
    )
