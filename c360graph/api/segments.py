"""Customer segments: an identity's RFM segment, value and churn risk, and the segment summary.

`c360 analyze segments` (and every resolution through the API) writes these as properties
of the :Identity, so reading them costs no extra round trip.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import TYPE_CHECKING

import strawberry
from strawberry.utils.await_maybe import AwaitableOrValue

from c360graph.api.activity import money_text
from c360graph.api.awaitable_or_value import then
from c360graph.api.context import Info
from c360graph.api.errors import BadInput
from c360graph.api.pagination import Connection, connection, keyset, page_size
from c360graph.api.service import Row
from c360graph.normalize.amount import round_to_minor

if TYPE_CHECKING:
    from c360graph.api.identity import Identity


@strawberry.type(
    description="An identity's customer segment and value, as the last segments refresh "
    "computed them (amounts in `currency`: the data's own, see docs/analyses.md)."
)
class CustomerSegment:
    name: str = strawberry.field(
        description="The RFM segment (champions, loyal, at_risk, lost, ...; no_orders "
        "without a purchase)."
    )
    rfm: str | None = strawberry.field(description="The three scores as one code, e.g. '545'.")
    recency_score: int | None = strawberry.field(description="1..5, 5 = bought most recently.")
    frequency_score: int | None = strawberry.field(description="1..5, 5 = buys most often.")
    monetary_score: int | None = strawberry.field(description="1..5, 5 = spends the most.")
    frequency_band: str | None = strawberry.field(
        description="one_off, occasional, regular or frequent (by purchases)."
    )
    value_band: str | None = strawberry.field(
        description="low, mid, high or premium (by average order value)."
    )
    loyalty_band: str | None = strawberry.field(
        description="new, active, loyal, lapsing or lost (by tenure and recency)."
    )
    order_count: int = strawberry.field(
        description="Purchases: orders not cancelled, returned, refunded or failed."
    )
    total_spend: float = strawberry.field(description="Sum of the purchases.")
    average_order_value: float | None = strawberry.field(description="Spend per purchase.")
    first_order_at: datetime | None = strawberry.field(description="The first purchase.")
    last_order_at: datetime | None = strawberry.field(description="The latest purchase.")
    historic_value: float = strawberry.field(description="What it has spent so far.")
    expected_value: float = strawberry.field(
        description="Discounted spend expected over the lifetime-value horizon."
    )
    lifetime_value: float = strawberry.field(description="historicValue + expectedValue.")
    currency: str | None = strawberry.field(
        description="The currency of the amounts (ISO 4217): the one most purchases are in."
    )
    churn_risk: float | None = strawberry.field(
        description="0..1, how likely it has stopped buying (null without a purchase); never "
        "above the top of its recency quintile, so it agrees with the segment."
    )
    churn_band: str | None = strawberry.field(description="low, medium or high churn risk.")
    preferred_channel: str | None = strawberry.field(
        description="The channel it orders and interacts through most."
    )
    as_of: datetime | None = strawberry.field(
        description="The moment recency and churn were measured at (the newest activity)."
    )
    computed_at: datetime | None = strawberry.field(description="When the refresh ran.")

    @strawberry.field(
        description="`totalSpend` grouped as the data's locale writes it.", graphql_type=str
    )
    def total_spend_text(self, info: Info) -> AwaitableOrValue[str]:
        return then(money_text(info, self.total_spend, self.currency), str)

    @strawberry.field(
        description="`lifetimeValue` grouped as the data's locale writes it.", graphql_type=str
    )
    def lifetime_value_text(self, info: Info) -> AwaitableOrValue[str]:
        return then(money_text(info, self.lifetime_value, self.currency), str)


def segment_of(props: Row) -> CustomerSegment | None:
    """The segment held in an :Identity's properties; None before segments were computed."""
    if props.get("segment") is None:
        return None
    return CustomerSegment(
        name=props["segment"],
        rfm=props.get("rfm"),
        recency_score=props.get("recency_score"),
        frequency_score=props.get("frequency_score"),
        monetary_score=props.get("monetary_score"),
        frequency_band=props.get("frequency_band"),
        value_band=props.get("value_band"),
        loyalty_band=props.get("loyalty_band"),
        order_count=int(props.get("order_count") or 0),
        total_spend=float(props.get("total_spend") or 0.0),
        average_order_value=props.get("average_order_value"),
        first_order_at=props.get("first_order_at"),
        last_order_at=props.get("last_order_at"),
        historic_value=float(props.get("historic_value") or 0.0),
        expected_value=float(props.get("expected_value") or 0.0),
        lifetime_value=float(props.get("lifetime_value") or 0.0),
        currency=props.get("value_currency"),
        churn_risk=props.get("churn_risk"),
        churn_band=props.get("churn_band"),
        preferred_channel=props.get("preferred_channel"),
        as_of=props.get("segments_as_of"),
        computed_at=props.get("segments_at"),
    )


@strawberry.type(description="One customer segment over all active identities.")
class SegmentSummary:
    name: str = strawberry.field(description="The segment (no_orders: identities never bought).")
    identities: int = strawberry.field(description="Active identities in it.")
    orders: int = strawberry.field(description="Their purchases.")
    total_spend: float = strawberry.field(description="Their spend so far.")
    lifetime_value: float = strawberry.field(description="Their lifetime value, summed.")
    average_lifetime_value: float = strawberry.field(description="Lifetime value per identity.")
    average_churn_risk: float | None = strawberry.field(
        description="Mean churn risk (null for no_orders)."
    )
    currency: str | None = strawberry.field(description="The currency of the amounts.")

    @strawberry.field(
        description="`lifetimeValue` grouped as the data's locale writes it.", graphql_type=str
    )
    def lifetime_value_text(self, info: Info) -> AwaitableOrValue[str]:
        return then(money_text(info, self.lifetime_value, self.currency), str)

    @strawberry.field(
        description="`totalSpend` grouped as the data's locale writes it.", graphql_type=str
    )
    def total_spend_text(self, info: Info) -> AwaitableOrValue[str]:
        return then(money_text(info, self.total_spend, self.currency), str)


async def segment_summaries(info: Info) -> list[SegmentSummary]:
    """Every segment with its identities and value, biggest lifetime value first."""
    rows = await info.context.loaders.read("analyses/segment_summary")
    return [
        SegmentSummary(
            name=row["segment"],
            identities=int(row["identities"]),
            orders=int(row["orders"] or 0),
            total_spend=round_to_minor(float(row["total_spend"] or 0.0), row["currency"]),
            lifetime_value=round_to_minor(float(row["lifetime_value"] or 0.0), row["currency"]),
            average_lifetime_value=round_to_minor(
                float(row["average_lifetime_value"] or 0.0), row["currency"]
            ),
            average_churn_risk=(
                None if row["average_churn_risk"] is None else round(row["average_churn_risk"], 4)
            ),
            currency=row["currency"],
        )
        for row in rows
    ]


def _risk(value: float) -> float:
    if not 0.0 <= value <= 1.0:
        raise BadInput(f"minRisk must be between 0 and 1, got {value}")
    return value


async def at_risk_page(
    info: Info, min_risk: float, first: int | None, after: str | None
) -> Connection[Identity]:
    """Active identities with churn risk of at least `min_risk`, most valuable first."""
    from c360graph.api.identity import load_identity

    ctx = info.context
    size = page_size(first, ctx.page_size, ctx.max_page_size)
    after_value, after_id = keyset("at_risk", after, 2)
    rows = await ctx.loaders.read(
        "analyses/at_risk_customers",
        min_risk=_risk(min_risk),
        after_value=after_value,
        after_id=after_id,
        limit=size + 1,
    )
    loaded = await asyncio.gather(*(load_identity(info, row["id"]) for row in rows))
    found = [(row, i) for row, i in zip(rows, loaded, strict=True) if i is not None]
    return connection(
        found,
        size,
        after,
        "at_risk",
        lambda f: (f[0]["lifetime_value"], f[0]["id"]),
        lambda f: f[1],
    )
