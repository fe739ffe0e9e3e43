"""The PII audit log over the API: the entry each request that showed personal data leaves,
and the admin's query listing them (`piiViews`). The log itself is `audit_log.py`."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import datetime

import strawberry
from graphql import FieldNode, OperationDefinitionNode
from strawberry.extensions import SchemaExtension

from c360graph.api.audit_log import PiiView, utc
from c360graph.api.context import Info
from c360graph.api.errors import BadInput
from c360graph.api.pagination import Connection, connection, keyset, page_size


class AuditPiiViews(SchemaExtension):
    """After an operation runs, queues the audit entry of what it showed unmasked."""

    def on_execute(self) -> Iterator[None]:
        """Run the operation, then note its personal data views (if any) with its name."""
        yield
        ctx = self.execution_context
        context = ctx.context
        if context is None or not context.masker.views:
            return
        name, roots = ctx.operation_name, []
        for definition in ctx.graphql_document.definitions if ctx.graphql_document else ():
            if not isinstance(definition, OperationDefinitionNode):
                continue
            own = definition.name.value if definition.name else None
            if name is None or own == name:
                name = own
                roots = [
                    s.name.value
                    for s in definition.selection_set.selections
                    if isinstance(s, FieldNode)
                ]
                break
        context.record_pii_views(name, roots)


@strawberry.type(
    name="PiiView",
    description="One request that showed unmasked personal data: who, when, whose, which "
    "kinds (never the values).",
)
class PiiViewEntry:
    id: strawberry.ID = strawberry.field(description="The entry's id.")
    at: datetime = strawberry.field(description="When (UTC).")
    key_name: str = strawberry.field(description="The API key's name.")
    role: str = strawberry.field(description="The key's role then.")
    operation: str | None = strawberry.field(description="The GraphQL operation's name.")
    root_fields: list[str] = strawberry.field(description="The root fields it asked.")
    fields: list[str] = strawberry.field(
        description="The kinds of personal data shown unmasked: email, phone, address, "
        "date_of_birth, national_id."
    )
    identities: list[strawberry.ID] = strawberry.field(description="Whose: identity ids.")
    records: list[str] = strawberry.field(description="Whose: record keys (source:id).")
    other: list[str] = strawberry.field(
        description="Other subjects: ring:<id> (fraud ring evidence), shared_identifiers."
    )

    @classmethod
    def of(cls, entry: PiiView) -> PiiViewEntry:
        """From a log entry."""
        return cls(
            id=strawberry.ID(entry.id),
            at=entry.at,
            key_name=entry.key,
            role=entry.role,
            operation=entry.operation,
            root_fields=list(entry.root_fields),
            fields=list(entry.fields),
            identities=[strawberry.ID(i) for i in entry.identities],
            records=list(entry.records),
            other=list(entry.other),
        )


async def pii_views_page(
    info: Info,
    since: datetime | None,
    until: datetime | None,
    key_name: str | None,
    identity_id: str | None,
    first: int | None,
    after: str | None,
) -> Connection[PiiViewEntry]:
    """A page of the audit log, newest first, read off the event loop."""
    ctx = info.context
    size = page_size(first, ctx.page_size, ctx.max_page_size)
    after_at, after_id = keyset("pii_view", after, 2)
    try:
        since, until = utc(since), utc(until)
    except OverflowError as exc:
        raise BadInput("since and until must be times between the years 1 and 9999") from exc
    before = None
    if after_at is not None:
        try:
            at = utc(datetime.fromisoformat(str(after_at)))
        except (ValueError, OverflowError) as exc:
            raise BadInput("this cursor does not fit the pii_view list") from exc
        before = (at, str(after_id)) if at else None
    log = ctx.app.audit

    def read() -> list[PiiView]:
        log.flush()  # this process's own entries, up to this request
        return log.read(since, until, key_name, identity_id, before, size + 1)

    entries = await asyncio.to_thread(read)
    return connection(
        entries,
        size,
        after,
        "pii_view",
        lambda e: (e.at.isoformat(), e.id),
        PiiViewEntry.of,
    )
