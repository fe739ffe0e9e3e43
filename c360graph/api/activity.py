"""Orders, interactions, the timeline and customer metrics of an identity or a record."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from enum import Enum
from typing import Any

import strawberry
from strawberry.utils.await_maybe import AwaitableOrValue

from c360graph.analyze.purchases import PurchaseRule
from c360graph.api.awaitable_or_value import gathered, then
from c360graph.api.context import Info
from c360graph.api.loaders import Group, PageRequest
from c360graph.api.masking import View
from c360graph.api.pagination import (
    Connection,
    connection,
    decode_cursor,
    page_size,
    unfit_cursor,
)
from c360graph.api.service import Row
from c360graph.normalize.amount import display_amount, round_to_minor


@strawberry.type(description="A sales or contact channel (web, app, store, call_centre, ...).")
class Channel:
    name: str = strawberry.field(description="The normalized channel name.")


@strawberry.type(description="An order placed by a source record.")
class Order:
    key: strawberry.ID = strawberry.field(description="`source:order_id`, unique in the graph.")
    order_id: str = strawberry.field(description="The order id in its source system.")
    source: str = strawberry.field(description="The system the order came from.")
    amount: float | None = strawberry.field(description="Order value in `currency`.")
    currency: str | None = strawberry.field(description="ISO 4217 currency code.")
    ordered_at: datetime | None = strawberry.field(description="When it was placed (UTC).")
    status: str | None = strawberry.field(description="Status as the source reported it.")
    channel: Channel | None = strawberry.field(description="Where it was placed.")

    @strawberry.field(
        description="`amount` for people, grouped as the data's locale writes it "
        "('1.250.000 ₫' in vi_VN).",
        graphql_type=str | None,
    )
    def amount_text(self, info: Info) -> AwaitableOrValue[str | None]:
        return money_text(info, self.amount, self.currency)

    @classmethod
    def of(cls, row: Row) -> Order:
        """From an api/orders_of item."""
        return cls(
            key=strawberry.ID(row["key"]),
            order_id=str(row.get("order_id", "")),
            source=row.get("source", ""),
            amount=row.get("amount"),
            currency=row.get("currency"),
            ordered_at=row.get("ordered_at"),
            status=row.get("status"),
            channel=Channel(name=row["channel"]) if row.get("channel") else None,
        )


def utc(moment: datetime | None) -> datetime | None:
    """A time in UTC, as the schema says: Neo4j keeps the offset a source wrote (+07:00)."""
    return moment.astimezone(UTC) if moment is not None and moment.tzinfo else moment


@strawberry.type(description="A contact with the customer: ticket, session, survey, campaign...")
class Interaction:
    key: strawberry.ID = strawberry.field(description="`source:interaction_id`.")
    interaction_id: str = strawberry.field(description="The id in its source system.")
    source: str = strawberry.field(description="The system it came from.")
    type: str | None = strawberry.field(description="ticket, feedback, survey, session, ...")
    occurred_at: datetime | None = strawberry.field(
        description="When it happened (UTC); when a ticket was opened."
    )
    rating: float | None = strawberry.field(description="A rating given, if any.")
    status: str | None = strawberry.field(
        description="A ticket's status: open, pending (waiting for the customer or on hold), "
        "solved or closed; null for other interactions and for a status the desk wrote that "
        "c360graph does not know (see the record's data issues)."
    )
    updated_at: datetime | None = strawberry.field(
        description="When the support desk last updated a ticket (UTC)."
    )
    channel: Channel | None = strawberry.field(description="Where it happened.")
    raw_subject: strawberry.Private[str | None]
    raw_text: strawberry.Private[str | None]
    view: strawberry.Private[View]  # the masker for its owner's data

    @strawberry.field(
        description="Subject line, if any; in a ticket's, emails and phone numbers are masked "
        "for readers."
    )
    def subject(self) -> str | None:
        if self.raw_subject is None or self.type != "ticket":
            return self.raw_subject
        return self.view.text(self.raw_subject)

    @strawberry.field(
        description="Free text, if any; a ticket's body. A ticket's body is what the customer "
        "wrote about themselves: masked (`***`) for readers, shown to analysts and admins."
    )
    def text(self) -> str | None:
        if self.type != "ticket":
            return self.raw_text
        return self.view.ticket_body(self.raw_text)

    @classmethod
    def of(cls, row: Row, view: View) -> Interaction:
        """From an api/interactions_of item; `view` masks its owner's data."""
        return cls(
            key=strawberry.ID(row["key"]),
            interaction_id=str(row.get("interaction_id", "")),
            source=row.get("source", ""),
            type=row.get("type"),
            occurred_at=utc(row.get("occurred_at")),
            rating=row.get("rating"),
            status=row.get("status"),
            updated_at=utc(row.get("updated_at")),
            channel=Channel(name=row["channel"]) if row.get("channel") else None,
            raw_subject=row.get("subject"),
            raw_text=row.get("text"),
            view=view,
        )


@strawberry.enum(description="What a timeline entry is.")
class TimelineKind(Enum):
    ORDER = "order"
    INTERACTION = "interaction"


@strawberry.type(description="One step of the customer journey: an order or an interaction.")
class TimelineEntry:
    at: datetime | None = strawberry.field(description="When it happened (UTC).")
    kind: TimelineKind = strawberry.field(description="Whether it is an order or interaction.")
    channel: Channel | None = strawberry.field(description="Where it happened.")
    order: Order | None = strawberry.field(description="The order, when kind is ORDER.")
    interaction: Interaction | None = strawberry.field(
        description="The interaction, when kind is INTERACTION."
    )


@strawberry.type(description="How much a customer used one channel.")
class ChannelUsage:
    channel: str = strawberry.field(description="The channel name ('unknown' when none).")
    orders: int = strawberry.field(description="Orders placed through it.")
    interactions: int = strawberry.field(description="Interactions through it.")
    last_used_at: datetime | None = strawberry.field(description="The latest activity there.")


def money_text(
    info: Info, amount: float | None, currency: str | None
) -> AwaitableOrValue[str | None]:
    """An amount as the data's locale writes it, with its currency; None for no amount."""
    if amount is None:
        return None
    return then(
        info.context.loaders.display_locale(),
        lambda locale: display_amount(amount, currency, locale),
    )


@strawberry.type(
    description="Purchases in one currency (amounts are never summed across currencies)."
)
class Spend:
    currency: str = strawberry.field(description="ISO 4217 code ('unknown' when missing).")
    orders: int = strawberry.field(description="Purchases in this currency with an amount.")
    total: float = strawberry.field(description="Sum of their amounts.")
    average: float = strawberry.field(description="Average purchase value.")

    @strawberry.field(
        description="`total` grouped as the data's locale writes it.", graphql_type=str
    )
    def total_text(self, info: Info) -> AwaitableOrValue[str]:
        return then(money_text(info, self.total, self.currency), str)

    @strawberry.field(
        description="`average` grouped as the data's locale writes it.", graphql_type=str
    )
    def average_text(self, info: Info) -> AwaitableOrValue[str]:
        return then(money_text(info, self.average, self.currency), str)


@strawberry.type(
    description="Purchase and contact figures of an identity across its records. A purchase "
    "is an order with an order time whose status is not excluded (cancelled, returned, "
    "refunded, failed: analyses.yaml), the same definition segments count."
)
class Metrics:
    order_count: int = strawberry.field(description="Purchases across all its records.")
    excluded_order_count: int = strawberry.field(
        description="Orders that are no purchase: an excluded status, or no order time."
    )
    interaction_count: int = strawberry.field(description="Interactions across all records.")
    spend: list[Spend] = strawberry.field(description="Total and average spend per currency.")
    first_order_at: datetime | None = strawberry.field(description="The first purchase.")
    last_order_at: datetime | None = strawberry.field(description="The latest purchase.")
    segment: str | None = strawberry.field(
        description="Its customer segment (null until segments are computed; see `segment`)."
    )
    lifetime_value: float | None = strawberry.field(
        description="Historic plus expected spend, in `valueCurrency` (null until computed)."
    )
    value_currency: str | None = strawberry.field(
        description="The reporting currency of `lifetimeValue`."
    )
    churn_risk: float | None = strawberry.field(
        description="0..1, how likely it has stopped buying (null until computed or without "
        "a purchase)."
    )

    @strawberry.field(
        description="`lifetimeValue` in `valueCurrency`, grouped as the data's locale writes it.",
        graphql_type=str | None,
    )
    def lifetime_value_text(self, info: Info) -> AwaitableOrValue[str | None]:
        return money_text(info, self.lifetime_value, self.value_currency)


def _filters(**values: Any) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted(values.items()))


def _after(kind: str, cursor: str | None) -> tuple[datetime, str] | None:
    position = decode_cursor(kind, cursor)
    if position is None:
        return None
    try:
        at, key = position
        return datetime.fromisoformat(at), str(key)
    except (TypeError, ValueError) as exc:  # the wrong number of values, or not a time
        raise unfit_cursor(kind) from exc


def orders_page(
    info: Info,
    group: Group,
    first: int | None,
    after: str | None,
    channel: str | None = None,
    status: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> AwaitableOrValue[Connection[Order]]:
    """A page of a group's orders, newest first."""
    ctx = info.context
    size = page_size(first, ctx.page_size, ctx.max_page_size)
    request = PageRequest(
        group,
        _filters(channel=channel, status=status, since=since, until=until),
        _after("order", after),
        size + 1,
    )
    return then(
        ctx.loaders.order_rows(request),
        lambda rows: connection(
            rows, size, after, "order", lambda r: (r["ordered_at"].isoformat(), r["key"]), Order.of
        ),
    )


def owner_view(info: Info, group: Group) -> View:
    """The masker for the data of a group's owner (an identity, or a record alone)."""
    return info.context.masker.view(group.identities(), group.keys)


def interactions_page(
    info: Info,
    group: Group,
    first: int | None,
    after: str | None,
    channel: str | None = None,
    type: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> AwaitableOrValue[Connection[Interaction]]:
    """A page of a group's interactions, newest first."""
    ctx = info.context
    view = owner_view(info, group)
    size = page_size(first, ctx.page_size, ctx.max_page_size)
    request = PageRequest(
        group,
        _filters(channel=channel, type=type, since=since, until=until),
        _after("interaction", after),
        size + 1,
    )
    return then(
        ctx.loaders.interaction_rows(request),
        lambda rows: connection(
            rows,
            size,
            after,
            "interaction",
            lambda r: (r["occurred_at"].isoformat(), r["key"]),
            lambda r: Interaction.of(r, view),
        ),
    )


def timeline_page(
    info: Info,
    group: Group,
    first: int | None,
    after: str | None,
    channel: str | None,
    kinds: list[TimelineKind] | None,
    since: datetime | None,
    until: datetime | None,
) -> AwaitableOrValue[Connection[TimelineEntry]]:
    """Orders and interactions merged newest first: one page of each, merged and cut."""
    ctx = info.context
    view = owner_view(info, group)
    size = page_size(first, ctx.page_size, ctx.max_page_size)
    cursor = _after("timeline", after)
    wanted = set(kinds or TimelineKind)
    filters = {"channel": channel, "since": since, "until": until}
    orders: AwaitableOrValue[list[Row]] = []
    interactions: AwaitableOrValue[list[Row]] = []
    if TimelineKind.ORDER in wanted:
        key = PageRequest(group, _filters(status=None, **filters), cursor, size + 1)
        orders = ctx.loaders.order_rows(key)
    if TimelineKind.INTERACTION in wanted:
        key = PageRequest(group, _filters(type=None, **filters), cursor, size + 1)
        interactions = ctx.loaders.interaction_rows(key)

    def merged(pages: list[list[Row]]) -> Connection[TimelineEntry]:
        order_rows, interaction_rows = pages
        entries = [(r["ordered_at"], r["key"], _order_entry(Order.of(r))) for r in order_rows]
        entries += [
            (r["occurred_at"], r["key"], _interaction_entry(Interaction.of(r, view)))
            for r in interaction_rows
        ]
        entries.sort(key=lambda e: (e[0], e[1]), reverse=True)
        return connection(
            entries, size, after, "timeline", lambda e: (e[0].isoformat(), e[1]), lambda e: e[2]
        )

    return then(gathered([orders, interactions]), merged)


def _order_entry(order: Order) -> TimelineEntry:
    return TimelineEntry(
        at=order.ordered_at,
        kind=TimelineKind.ORDER,
        channel=order.channel,
        order=order,
        interaction=None,
    )


def _interaction_entry(interaction: Interaction) -> TimelineEntry:
    return TimelineEntry(
        at=interaction.occurred_at,
        kind=TimelineKind.INTERACTION,
        channel=interaction.channel,
        order=None,
        interaction=interaction,
    )


def channel_usage(activity: list[Row]) -> list[ChannelUsage]:
    """Activity counts per channel, most used first, from a neighbourhood's activity rows."""
    usage: dict[str, ChannelUsage] = {}
    for row in activity:
        name = row["channel"] or "unknown"
        current = usage.get(name) or ChannelUsage(
            channel=name, orders=0, interactions=0, last_used_at=None
        )
        count = row["n"]
        current = replace(
            current,
            orders=current.orders + (count if row["kind"] == "order" else 0),
            interactions=current.interactions + (count if row["kind"] != "order" else 0),
            last_used_at=max(
                (t for t in (current.last_used_at, row["last_at"]) if t is not None),
                default=None,
            ),
        )
        usage[name] = current
    return sorted(usage.values(), key=lambda u: (-(u.orders + u.interactions), u.channel))


def metrics(activity: list[Row], props: Row, purchases: PurchaseRule) -> Metrics:
    """Purchase and interaction figures from a neighbourhood's activity rows, with the segment;
    purchases as `purchases` (the segments' rule) tells them."""
    spend: dict[str, list[float]] = {}
    counts = {"purchase": 0, "excluded": 0, "interaction": 0}
    firsts: list[datetime] = []
    lasts: list[datetime] = []
    for row in activity:
        if row["kind"] != "order":
            counts["interaction"] += row["n"]
            continue
        if not purchases.is_purchase(row["status"], row["dated"]):
            counts["excluded"] += row["n"]
            continue
        counts["purchase"] += row["n"]
        if row["priced"]:
            totals = spend.setdefault(row["currency"] or "unknown", [0, 0.0])
            totals[0] += row["priced"]
            totals[1] += row["total"] or 0.0
        firsts += [row["first_at"]] if row["first_at"] else []
        lasts += [row["last_at"]] if row["last_at"] else []
    return Metrics(
        order_count=counts["purchase"],
        excluded_order_count=counts["excluded"],
        interaction_count=counts["interaction"],
        spend=[
            Spend(
                currency=c,
                orders=int(n),
                total=round_to_minor(t, c),
                average=round_to_minor(t / n, c),
            )
            for c, (n, t) in sorted(spend.items())
        ],
        first_order_at=min(firsts, default=None),
        last_order_at=max(lasts, default=None),
        segment=props.get("segment"),
        lifetime_value=props.get("lifetime_value"),
        value_currency=props.get("value_currency"),
        churn_risk=props.get("churn_risk"),
    )


@strawberry.type(description="Anything that owns orders and interactions: a record, an identity.")
class ActivityOwner:
    def group(self, info: Info) -> AwaitableOrValue[Group]:
        """The owner's id and the record keys its activity is fetched by."""
        raise NotImplementedError

    @strawberry.field(
        description="Orders, newest first; filter by channel, status, time.",
        graphql_type=Connection[Order],
    )
    def orders(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        channel: str | None = None,
        status: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> AwaitableOrValue[Connection[Order]]:
        return then(
            self.group(info),
            lambda group: orders_page(info, group, first, after, channel, status, since, until),
        )

    @strawberry.field(
        description="Interactions, newest first; filter by channel, type, time.",
        graphql_type=Connection[Interaction],
    )
    def interactions(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        channel: str | None = None,
        type: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> AwaitableOrValue[Connection[Interaction]]:
        return then(
            self.group(info),
            lambda group: interactions_page(info, group, first, after, channel, type, since, until),
        )
