"""Households: identities living together, as `c360 analyze households` wrote them."""

from __future__ import annotations

from datetime import datetime

import strawberry

from c360graph.api.context import Info
from c360graph.api.identity import Identity, identities_page, load_identity
from c360graph.api.pagination import Connection
from c360graph.api.service import Row


@strawberry.type(description="One identity's membership of a household: how sure, and why.")
class HouseholdMember:
    identity_id: strawberry.ID = strawberry.field(description="The member identity's id.")
    confidence: float | None = strawberry.field(
        description="0..1, how sure it is that this identity lives there (its strongest links)."
    )
    reason: str | None = strawberry.field(description="The evidence joining it, in words.")

    @strawberry.field(description="The member identity (null once merged away or erased).")
    async def identity(self, info: Info) -> Identity | None:
        return await load_identity(info, self.identity_id)


@strawberry.type(description="People living together, found by `c360 analyze households`.")
class Household:
    id: strawberry.ID = strawberry.field(description="Stable household id.")
    confidence: float | None = strawberry.field(description="0..1, how sure the grouping is.")
    reason: str | None = strawberry.field(description="Why these identities form a household.")
    evidence: list[str] = strawberry.field(
        description="The kinds of evidence found: address_and_surname (same address and a "
        "surname in common), landline, address (same address alone), home_device."
    )
    size: int | None = strawberry.field(description="Members when the analysis ran.")
    created_at: datetime | None = strawberry.field(description="When it was first found.")
    updated_at: datetime | None = strawberry.field(description="When a run last confirmed it.")
    memberships: list[HouseholdMember] = strawberry.field(
        description="Each member with its own confidence and reason, most confident first."
    )
    member_ids: strawberry.Private[list[str]]

    @strawberry.field(description="The member identities, by id.")
    async def members(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Identity]:
        return await identities_page(info, self.member_ids, first, after, "member")


def household_of(row: Row) -> Household:
    """A Household from its properties with `members` and `memberships` (api/neighbourhood_of)."""
    memberships = [
        HouseholdMember(
            identity_id=strawberry.ID(m["id"]),
            confidence=m.get("confidence"),
            reason=m.get("reason"),
        )
        for m in row.get("memberships") or []
    ]
    memberships.sort(key=lambda m: (-(m.confidence or 0.0), str(m.identity_id)))
    return Household(
        id=strawberry.ID(row["id"]),
        confidence=row.get("confidence"),
        reason=row.get("reason"),
        evidence=list(row.get("evidence") or []),
        size=row.get("size"),
        created_at=row.get("created_at"),
        updated_at=row.get("updated_at"),
        memberships=memberships,
        member_ids=list(row["members"]),
    )
