"""The Identity type: one person across every source system, and its whole neighbourhood."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from graphql import FieldNode
from strawberry.utils.await_maybe import AwaitableOrValue, await_maybe

from c360graph.api import activity
from c360graph.api.activity import (
    ActivityOwner,
    ChannelUsage,
    Metrics,
    TimelineEntry,
    TimelineKind,
)
from c360graph.api.awaitable_or_value import then
from c360graph.api.consent import Consent, consent_history_of, consents_of
from c360graph.api.context import Info
from c360graph.api.errors import NotFound
from c360graph.api.explanations import Explanation, Hop, RecordRef, explain, hop_of
from c360graph.api.loaders import Group
from c360graph.api.pagination import Connection, page_in_memory, page_size
from c360graph.api.permissions import Analyse, Browse, PersonalData, permit
from c360graph.api.prefetch import Neighbourhood
from c360graph.api.records import (
    Identifier,
    IdentityEvent,
    Note,
    Profile,
    Record,
    SharedEvidence,
    StaffAttribute,
    identifier_of,
    identity_event,
)
from c360graph.api.segments import CustomerSegment, segment_of
from c360graph.api.service import Row
from c360graph.api.tickets import ServiceOwner

if TYPE_CHECKING:
    from c360graph.api.households import Household
    from c360graph.api.rings import FraudRing

_Household = Annotated["Household", strawberry.lazy("c360graph.api.households")]
_FraudRing = Annotated["FraudRing", strawberry.lazy("c360graph.api.rings")]


@strawberry.type(description="One person: the records of every system that resolve to them.")
class Identity(ActivityOwner, ServiceOwner):
    id: strawberry.ID = strawberry.field(description="Stable identity id.")
    redirected_from: strawberry.ID | None = strawberry.field(
        description="The id asked for, when it was merged into this identity (else null)."
    )
    status: str = strawberry.field(description="active, or why not.")
    record_count: int = strawberry.field(description="How many source records it holds.")
    sources: list[str] = strawberry.field(description="The source systems it appears in.")
    created_at: datetime | None = strawberry.field(description="When it was first created.")
    updated_at: datetime | None = strawberry.field(description="When a run last changed it.")
    props: strawberry.Private[Row]

    @classmethod
    def of(cls, row: Row) -> Identity:
        """From an api/identities_by_id row."""
        return cls(
            id=strawberry.ID(row["id"]),
            redirected_from=strawberry.ID(row["asked"]) if row["asked"] != row["id"] else None,
            status=row.get("status", "active"),
            record_count=int(row.get("record_count") or 0),
            sources=list(row.get("sources") or []),
            created_at=row.get("created_at"),
            updated_at=row.get("updated_at"),
            props=row,
        )

    def neighbourhood(self, info: Info) -> AwaitableOrValue[Neighbourhood]:
        """Its records, identifiers, activity and household (one round trip per request)."""
        return info.context.loaders.neighbourhood_of(str(self.id))

    def group(self, info: Info) -> AwaitableOrValue[Group]:
        """This identity and its record keys, the unit its activity is fetched by."""
        return then(self.neighbourhood(info), lambda n: Group(str(self.id), n.keys()))

    @strawberry.field(
        description="The golden record: each surviving value with its source.",
        extensions=[permit(PersonalData)],
    )
    def profile(self, info: Info) -> Profile:
        return Profile.of(self.props, info.context.masker, selected(info))

    @strawberry.field(
        description="Its source records, by key.",
        graphql_type=Connection[Record],
        extensions=[permit(PersonalData)],
    )
    def records(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> AwaitableOrValue[Connection[Record]]:
        masker = info.context.masker
        asked = selected(info, ("edges", "node"))
        return then(
            self.neighbourhood(info),
            lambda n: page_in_memory(
                n.records,
                page_size(first, info.context.page_size, info.context.max_page_size),
                after,
                "record",
                lambda r: (r["key"],),
                lambda r: Record.of(r, masker, asked),
            ),
        )

    def _identifiers(self, info: Info, kind: str | None) -> AwaitableOrValue[list[Identifier]]:
        names = selected(info)
        asked = None if names is None or "value" in names else frozenset[str]()
        view = info.context.masker.view([str(self.id)], asked=asked)

        def of_kind(rows: list[Row]) -> list[Identifier]:
            found = [identifier_of(r["kind"], r["identifier"], r["records"], view) for r in rows]
            found = [i for i in found if kind is None or i.kind == kind]
            return sorted(found, key=lambda i: (i.kind, -len(i.records), i.value))

        return then(info.context.loaders.identifiers_of(str(self.id)), of_kind)

    @strawberry.field(
        description="Every email, phone, device and address of its records.",
        graphql_type=list[Identifier],
        extensions=[permit(PersonalData)],
    )
    def identifiers(self, info: Info) -> AwaitableOrValue[list[Identifier]]:
        return self._identifiers(info, None)

    @strawberry.field(
        description="Its email addresses, most used first.",
        graphql_type=list[Identifier],
        extensions=[permit(PersonalData)],
    )
    def emails(self, info: Info) -> AwaitableOrValue[list[Identifier]]:
        return self._identifiers(info, "email")

    @strawberry.field(
        description="Its phone numbers, most used first.",
        graphql_type=list[Identifier],
        extensions=[permit(PersonalData)],
    )
    def phones(self, info: Info) -> AwaitableOrValue[list[Identifier]]:
        return self._identifiers(info, "phone")

    @strawberry.field(
        description="Its devices, most used first.",
        graphql_type=list[Identifier],
        extensions=[permit(PersonalData)],
    )
    def devices(self, info: Info) -> AwaitableOrValue[list[Identifier]]:
        return self._identifiers(info, "device")

    @strawberry.field(
        description="Its postal addresses, most used first.",
        graphql_type=list[Identifier],
        extensions=[permit(PersonalData)],
    )
    def addresses(self, info: Info) -> AwaitableOrValue[list[Identifier]]:
        return self._identifiers(info, "address")

    @strawberry.field(
        description="The accepted links among its records (the edges of its identity graph), "
        "each with its kind, probability, rules and masked evidence; strongest first.",
        extensions=[permit(Browse)],
    )
    async def links(self, info: Info) -> list[Hop]:
        rows = await info.context.loaders.links.load(await await_maybe(self.group(info)))
        masker = info.context.masker.view([str(self.id)])
        hops = [
            hop_of(
                r["a"],
                r["b"],
                r["kind"] or "fuzzy",
                float(r["probability"] or 0.0),
                r["rules"] or [],
                r["evidence"] or [],
                r["levels"] or [],
                masker,
            )
            for r in rows
        ]
        return sorted(hops, key=lambda h: (-h.probability, h.a, h.b))

    @strawberry.field(
        description="Channels it used, with order and interaction counts.",
        graphql_type=list[ChannelUsage],
    )
    def channels(self, info: Info) -> AwaitableOrValue[list[ChannelUsage]]:
        return then(self.neighbourhood(info), lambda n: activity.channel_usage(n.activity))

    @strawberry.field(
        description="Purchase count (cancelled, returned, refunded and failed orders are no "
        "purchase), spend per currency, first and last purchase; segment, lifetime value and "
        "churn risk once segments are computed.",
        graphql_type=Metrics,
    )
    def metrics(self, info: Info) -> AwaitableOrValue[Metrics]:
        return then(
            self.neighbourhood(info),
            lambda n: activity.metrics(n.activity, self.props, info.context.app.purchases),
        )

    @strawberry.field(
        description="Its customer segment, value and churn risk (`c360 analyze segments`, "
        "refreshed after each resolution); null until computed."
    )
    def segment(self) -> CustomerSegment | None:
        return segment_of(self.props)

    @strawberry.field(
        description="The customer journey: orders and interactions in one list, newest first.",
        graphql_type=Connection[TimelineEntry],
    )
    def timeline(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        channel: str | None = None,
        kinds: list[TimelineKind] | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> AwaitableOrValue[Connection[TimelineEntry]]:
        return then(
            self.group(info),
            lambda group: activity.timeline_page(
                info, group, first, after, channel, kinds, since, until
            ),
        )

    @strawberry.field(
        description="Its household, once `c360 analyze households` has run.",
        graphql_type=_Household | None,
        extensions=[permit(Browse)],
    )
    def household(self, info: Info) -> AwaitableOrValue[Household | None]:
        from c360graph.api.households import household_of

        return then(
            self.neighbourhood(info),
            lambda n: household_of(n.household) if n.household else None,
        )

    @strawberry.field(
        description="The fraud ring it belongs to (`c360 analyze fraud`), else null.",
        extensions=[permit(Analyse)],
    )
    async def fraud_ring(self, info: Info) -> _FraudRing | None:
        from c360graph.api.rings import ring_of_identity

        return await ring_of_identity(info, str(self.id))

    @strawberry.field(
        description="Other identities sharing a device, phone or address, with what they "
        "share (fraud review). Identifiers marked shared are not followed.",
        extensions=[permit(Browse)],
    )
    async def related(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[RelatedIdentity]:
        rows = await info.context.loaders.related.load(await await_maybe(self.group(info)))
        masker = info.context.masker
        related = []
        for row in rows:
            view = masker.view([str(self.id), row["related"]])
            shared = {
                (found.kind, found.value)
                for found in (
                    identifier_of(kind, node, [], view)
                    for kind, node in zip(row["kinds"], row["identifiers"], strict=True)
                )
            }
            reasons = [SharedEvidence(kind=k, value=v) for k, v in sorted(shared)]
            related.append(
                RelatedIdentity(identity_id=strawberry.ID(row["related"]), reasons=reasons)
            )
        related.sort(key=lambda r: (-len(r.reasons), str(r.identity_id)))
        return page_in_memory(
            related,
            page_size(first, info.context.page_size, info.context.max_page_size),
            after,
            "related",
            lambda r: (-len(r.reasons), str(r.identity_id)),
            lambda r: r,
        )

    @strawberry.field(description="Merges, splits and other events of this identity, newest first.")
    async def history(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[IdentityEvent]:
        rows = [r["event"] for r in await info.context.loaders.history.load(str(self.id))]
        rows.sort(key=lambda e: (e["at"], e["kind"], e["identity"]), reverse=True)
        return page_in_memory(
            rows,
            page_size(first, info.context.page_size, info.context.max_page_size),
            after,
            "history",
            lambda e: (e["at"].isoformat(), e["kind"], e["identity"]),
            identity_event,
            descending=True,
        )

    @strawberry.field(
        description="Its current marketing consent per channel: the latest choice across its "
        "records and sources. A channel not listed was never asked: not contactable."
    )
    async def consents(self, info: Info) -> list[Consent]:
        return await consents_of(info, str(self.id))

    @strawberry.field(description="Every marketing consent choice it made, newest first.")
    async def consent_history(self, info: Info) -> list[Consent]:
        return await consent_history_of(info, str(self.id))

    @strawberry.field(description="Notes staff wrote, newest first.")
    async def notes(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Note]:
        rows = await info.context.loaders.annotations.load(str(self.id))
        notes = sorted(
            (r["item"] for r in rows if r["kind"] == "note"),
            key=lambda n: (n["at"], n["id"]),
            reverse=True,
        )
        return page_in_memory(
            notes,
            page_size(first, info.context.page_size, info.context.max_page_size),
            after,
            "note",
            lambda n: (n["at"].isoformat(), n["id"]),
            note_of,
            descending=True,
        )

    @strawberry.field(description="Attributes staff set (current values only).")
    async def attributes(self, info: Info) -> list[StaffAttribute]:
        rows = await info.context.loaders.annotations.load(str(self.id))
        current = [r["item"] for r in rows if r["kind"] == "attribute" and r["item"]["current"]]
        return sorted((attribute_of(a) for a in current), key=lambda a: a.name)

    @strawberry.field(
        description="Why a record is, or is not, part of this identity: the evidence chain "
        "from this identity's first record, or the best score and what blocked it.",
        extensions=[permit(Browse)],
    )
    async def explain(self, info: Info, record: RecordRef) -> Explanation:
        rows = (await await_maybe(self.neighbourhood(info))).records
        if not rows:
            raise NotFound(f"identity {self.id} has no records to explain from")
        return await explain(info, rows[0]["key"], record.key)


def note_of(row: Row) -> Note:
    """A Note from its node properties."""
    return Note(id=strawberry.ID(row["id"]), text=row["text"], author=row["author"], at=row["at"])


def attribute_of(row: Row) -> StaffAttribute:
    """A StaffAttribute from its node properties."""
    return StaffAttribute(name=row["name"], value=row["value"], author=row["author"], at=row["at"])


@strawberry.type(description="Another identity sharing a device, phone or address (fraud review).")
class RelatedIdentity:
    identity_id: strawberry.ID = strawberry.field(description="The related identity's id.")
    reasons: list[SharedEvidence] = strawberry.field(description="What they share.")

    @strawberry.field(description="The related identity.")
    async def identity(self, info: Info) -> Identity | None:
        return await load_identity(info, self.identity_id)


# Identity fields answered from the identity node alone; asking for any other field fetches
# the whole neighbourhood with the identity, in the same round trip.
_OWN_FIELDS = frozenset(
    {"__typename", "id", "redirectedFrom", "status", "recordCount", "sources", "createdAt",
     "updatedAt", "profile"}
)  # fmt: skip
# ... and those a neighbourhood brings for each other member of its household.
_MEMBER_FIELDS = _OWN_FIELDS | {"identifiers", "emails", "phones", "devices", "addresses"}


def selected(info: Info, path: tuple[str, ...] = ()) -> set[str] | None:
    """The names of the fields selected under this field (under `path` inside it, e.g.
    edges, node); None when a fragment hides them."""
    # graphql-core's nodes, one level deep: Strawberry's `selected_fields` converts the whole
    # tree below (measured: a fifth of the API's CPU on the full-neighbourhood query).
    nodes: list[FieldNode] = list(info._raw_info.field_nodes)
    for name in path:
        inner: list[FieldNode] = []
        for node in nodes:
            for selection in node.selection_set.selections if node.selection_set else ():
                if not isinstance(selection, FieldNode):
                    return None  # a fragment: do not guess what it holds
                if selection.name.value == name:
                    inner.append(selection)
        nodes = inner
    names: set[str] = set()
    for node in nodes:
        for selection in node.selection_set.selections if node.selection_set else ():
            if not isinstance(selection, FieldNode):
                return None
            names.add(selection.name.value)
    return names


def wants_neighbourhood(
    info: Info, path: tuple[str, ...] = (), own: frozenset[str] = _OWN_FIELDS
) -> bool:
    """True when the selection under this field (under `path` inside it, e.g. edges, node)
    reaches beyond the fields in `own`."""
    names = selected(info, path)
    return names is None or not names <= own


async def load_identity(
    info: Info, identity_id: str, with_neighbourhood: bool = False
) -> Identity | None:
    """The current identity an id stands for (following redirects), or None."""
    loaders = info.context.loaders
    loader = loaders.identity_neighbourhood if with_neighbourhood else loaders.identity
    row = await loader.load(identity_id)
    if row is None or row.get("status", "active") != "active":
        return None
    return Identity.of(row)


async def identities_page(
    info: Info, ids: list[str], first: int | None, after: str | None, kind: str
) -> Connection[Identity]:
    """A page of the current identities of `ids`, by id; `kind` names the cursor's list.

    When all of them fit in one page and the selection under the page's nodes needs their
    neighbourhoods, those come with the identities, in the same round trip; not when it asks
    only for what a household member's neighbourhood already brought.
    """
    size = page_size(first, info.context.page_size, info.context.max_page_size)
    node = ("edges", "node")
    known = not wants_neighbourhood(info, node, _MEMBER_FIELDS) and all(
        info.context.loaders.knows_identifiers(i) for i in ids
    )
    with_neighbourhood = len(ids) <= size and not known and wants_neighbourhood(info, node)
    loaded = await asyncio.gather(
        *(load_identity(info, i, with_neighbourhood) for i in sorted(ids))
    )
    return page_in_memory(
        [i for i in loaded if i is not None],
        size,
        after,
        kind,
        lambda i: (str(i.id),),
        lambda i: i,
    )
