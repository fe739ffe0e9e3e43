"""Fraud review: the rings `c360 analyze fraud` found, and identifiers marked shared.

Both are for analysts and admins (the `Analyse` permission on the fields leading here): a
reader or an agent asking gets FORBIDDEN. (A suspicion of fraud is not for every screen, and
keyset cursors over identifiers hold their values.) Values still pass the caller's masker, so
a role that may not see PII never would, and what is shown is audited.
"""

from __future__ import annotations

from datetime import datetime

import strawberry

from c360graph.api.context import Info
from c360graph.api.errors import BadInput
from c360graph.api.identity import Identity, identities_page
from c360graph.api.masking import View
from c360graph.api.pagination import Connection, connection, keyset, page_size
from c360graph.api.permissions import Analyse, permit
from c360graph.api.records import KIND_OF_LABEL, identifier_value
from c360graph.api.service import Row


@strawberry.type(description="An identifier tying members of a fraud ring together.")
class RingEvidence:
    kind: str = strawberry.field(description="device, phone, address, loyalty_id or national_id.")
    value: str = strawberry.field(description="The identifier.")
    detail: str | None = strawberry.field(description="Line type, device type, city...")
    identities: int = strawberry.field(description="How many of the ring's identities use it.")


@strawberry.type(
    description="Identities tied by shared devices, phones or addresses beyond any household, "
    "found and scored by `c360 analyze fraud` (analyst role or above)."
)
class FraudRing:
    id: strawberry.ID = strawberry.field(description="Stable ring id.")
    score: float = strawberry.field(
        description="0..1, the weighted sum of the size, density, velocity and orders parts "
        "(weights in the analyses config); rings below its min_score are not stored."
    )
    size: int = strawberry.field(description="Member identities when the analysis ran.")
    density: float | None = strawberry.field(
        description="Score part, 0..1: pairs of members linked directly (weighted by what "
        "links them) over all pairs."
    )
    velocity: float | None = strawberry.field(
        description="Score part, 0..1: how close together the accounts were opened."
    )
    large_order_share: float | None = strawberry.field(
        description="Score part (orders), 0..1: share of members with a large order soon "
        "after opening their account."
    )
    large_orders: int | None = strawberry.field(
        description="Members with a large order soon after opening their account."
    )
    opened_within_days: float | None = strawberry.field(
        description="Days between the first and the last account opening (null if unknown)."
    )
    reason: str | None = strawberry.field(description="What ties the ring and why it scored.")
    evidence_kinds: list[str] = strawberry.field(description="The kinds of identifier shared.")
    created_at: datetime | None = strawberry.field(description="When it was first found.")
    updated_at: datetime | None = strawberry.field(description="When a run last confirmed it.")
    member_ids: strawberry.Private[list[str]]

    @strawberry.field(description="The member identities, by id.")
    async def members(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Identity]:
        return await identities_page(info, self.member_ids, first, after, "ring_member")

    @strawberry.field(
        description="The identifiers its members share, most used first.",
        extensions=[permit(Analyse)],
    )
    async def evidence(self, info: Info) -> list[RingEvidence]:
        rows = await info.context.loaders.ring_evidence.load(str(self.id))
        view = info.context.masker.view(other=f"ring:{self.id}")
        found = [evidence_of(row, view) for row in rows]
        return sorted(found, key=lambda e: (-e.identities, e.kind, e.value))


def ring_of(row: Row) -> FraudRing:
    """A FraudRing from its node properties plus `members` (identity ids)."""
    return FraudRing(
        id=strawberry.ID(row["id"]),
        score=float(row.get("score") or 0.0),
        size=int(row.get("size") or len(row["members"])),
        density=row.get("density"),
        velocity=row.get("velocity"),
        large_order_share=row.get("orders"),
        large_orders=row.get("large_orders"),
        opened_within_days=row.get("opened_within_days"),
        reason=row.get("reason"),
        evidence_kinds=list(row.get("evidence_kinds") or []),
        created_at=row.get("created_at"),
        updated_at=row.get("updated_at"),
        member_ids=list(row["members"]),
    )


def evidence_of(row: Row, masker: View) -> RingEvidence:
    """A RingEvidence from an api/ring_evidence row."""
    kind = KIND_OF_LABEL.get(row["label"], row["label"].lower())
    value, detail = identifier_value(kind, row["identifier"])
    return RingEvidence(
        kind=kind,
        value=masker.identifier(kind, value) or "",
        detail=detail,
        identities=int(row["identities"] or 0),
    )


async def ring_of_identity(info: Info, identity_id: str) -> FraudRing | None:
    """The ring an identity belongs to, or None."""
    row = await info.context.loaders.fraud_ring.load(identity_id)
    return ring_of(row) if row else None


async def fraud_rings_page(
    info: Info, min_score: float, first: int | None, after: str | None
) -> Connection[FraudRing]:
    """Rings scoring at least `min_score`, highest first."""
    ctx = info.context
    if not 0.0 <= min_score <= 1.0:
        raise BadInput(f"minScore must be between 0 and 1, got {min_score}")
    size = page_size(first, ctx.page_size, ctx.max_page_size)
    after_score, after_id = keyset("ring", after, 2)
    rows = await ctx.loaders.read(
        "api/fraud_rings",
        min_score=min_score,
        after_score=after_score,
        after_id=after_id,
        limit=size + 1,
    )
    rings = [ring_of({**row["ring"], "members": row["members"]}) for row in rows]
    return connection(rings, size, after, "ring", lambda r: (r.score, str(r.id)), lambda r: r)


@strawberry.type(
    description="An identifier resolution marked shared (a placeholder, a shop phone, a "
    "kiosk device): ignored when linking records, listed for fraud review (analyst role "
    "or above)."
)
class SharedIdentifier:
    kind: str = strawberry.field(description="email, phone, device, loyalty_id or national_id.")
    value: str = strawberry.field(description="The identifier.")
    detail: str | None = strawberry.field(description="Line type, device type, email domain.")
    records: int = strawberry.field(description="How many source records use it.")
    shared_since: datetime | None = strawberry.field(
        description="When resolution first marked it shared."
    )


async def shared_identifiers_page(
    info: Info, first: int | None, after: str | None
) -> Connection[SharedIdentifier]:
    """Identifiers marked shared, most used first."""
    ctx = info.context
    view = ctx.masker.view(other="shared_identifiers")
    size = page_size(first, ctx.page_size, ctx.max_page_size)
    after_records, after_label, after_value = keyset("shared", after, 3)
    rows = await ctx.loaders.read(
        "api/shared_identifiers",
        after_records=after_records,
        after_label=after_label,
        after_value=after_value,
        limit=size + 1,
    )

    def node(row: Row) -> SharedIdentifier:
        kind = KIND_OF_LABEL.get(row["label"], row["label"].lower())
        value, detail = identifier_value(kind, row["identifier"])
        return SharedIdentifier(
            kind=kind,
            value=view.identifier(kind, value) or "",
            detail=detail,
            records=int(row["records"]),
            shared_since=row["identifier"].get("shared_since"),
        )

    return connection(
        rows, size, after, "shared", lambda r: (r["records"], r["label"], r["value"]), node
    )
