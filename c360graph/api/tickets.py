"""Service context: an identity's or record's open support tickets and its last contact.

Tickets are interactions of type `ticket` (c360graph.normalize.ticket has their statuses).
A contact is an interaction in which the customer and the company spoke directly: a ticket,
call, chat, complaint, feedback or survey; app sessions, campaign emails and social mentions
are not. Its time is a ticket's last update, else when it was opened or happened.
"""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.utils.await_maybe import AwaitableOrValue, await_maybe

from c360graph.api.activity import Channel, Interaction, owner_view
from c360graph.api.context import Info
from c360graph.api.loaders import Group
from c360graph.api.masking import View
from c360graph.api.service import Row


@strawberry.type(description="The latest direct contact with the customer.")
class Contact:
    at: datetime = strawberry.field(
        description="When: a ticket's last update, else when it was opened or happened (UTC)."
    )
    channel: Channel | None = strawberry.field(description="Where it happened.")
    interaction: Interaction = strawberry.field(
        description="The ticket, call, chat, complaint, feedback or survey."
    )


def contact_of(row: Row, view: View) -> Contact:
    """A Contact from an api/service_of interaction row with a time."""
    interaction = Interaction.of(row, view)
    at = interaction.updated_at or interaction.occurred_at
    if at is None:  # api/service_of keeps only interactions with a time
        raise ValueError(f"contact {interaction.key} has no time")
    return Contact(
        at=at,
        channel=interaction.channel,
        interaction=interaction,
    )


@strawberry.type(description="Anything with support tickets and contacts: a record, an identity.")
class ServiceOwner:
    def group(self, info: Info) -> AwaitableOrValue[Group]:
        """The owner's id and the record keys its tickets are fetched by."""
        raise NotImplementedError

    async def _service(self, info: Info) -> tuple[Row, View]:
        group = await await_maybe(self.group(info))
        rows = await info.context.loaders.tickets.load(group)
        found = rows[0] if rows else {"open_tickets": [], "last_contact": []}
        return found, owner_view(info, group)

    @strawberry.field(
        description="Its open support tickets (status open or pending) across its records, "
        "newest first: the service context a call starts from."
    )
    async def open_tickets(self, info: Info) -> list[Interaction]:
        found, view = await self._service(info)
        return [Interaction.of(row, view) for row in found["open_tickets"]]

    @strawberry.field(
        description="Its latest direct contact (ticket, call, chat, complaint, feedback or "
        "survey; not app sessions, campaign emails or social mentions), or null."
    )
    async def last_contact(self, info: Info) -> Contact | None:
        found, view = await self._service(info)
        last = found["last_contact"]
        return contact_of(last[0], view) if last else None
