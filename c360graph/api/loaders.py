"""Per-request DataLoaders: each batch runs one named query for every key asked in a tick.

A deep GraphQL query therefore costs one graph round trip per level and kind of data, not
one per item. The biggest kind is an identity's neighbourhood (api/neighbourhood_of: records,
identifiers, activity, household and the first pages of activity, see prefetch.py). Batch
functions return results in key order, with None or [] for misses.
"""

from __future__ import annotations

import asyncio
import weakref
from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader
from strawberry.utils.await_maybe import AwaitableOrValue

from c360graph.api.awaitable_or_value import then
from c360graph.api.prefetch import Fetched, Neighbourhood, other_members, times_from_text
from c360graph.api.service import QueryService, RoundTrips, Row
from c360graph.db.values import plain
from c360graph.normalize.amount import display_locale
from c360graph.normalize.ticket import CONTACT_TYPES, OPEN_TICKET_STATUSES

MAX_OPEN_TICKETS = 100  # open tickets listed per identity or record, newest first

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


@dataclass(frozen=True)
class Group:
    """An owner (identity id or record key) and the record keys whose activity it owns."""

    owner: str
    keys: tuple[str, ...]

    def param(self) -> dict[str, Any]:
        """As the $groups item the queries take."""
        return {"id": self.owner, "keys": list(self.keys)}

    def identities(self) -> tuple[str, ...]:
        """The owner when it is an identity (a record's group holds only its own key)."""
        return () if self.keys == (self.owner,) else (self.owner,)


@dataclass(frozen=True)
class PageRequest:
    """One page of activity (orders or interactions) of one group, as a loader key."""

    group: Group
    filters: tuple[tuple[str, Any], ...]  # (query parameter, value), sorted
    after: tuple[datetime, str] | None
    limit: int  # page size + 1


@dataclass
class Loaders:
    """The DataLoaders of one request, each made on first use (most requests need two)."""

    service: QueryService
    trips: RoundTrips
    page_size: int  # the default `first`: neighbourhoods fetch one such page of activity
    fetched_orders: Fetched = field(init=False)
    fetched_interactions: Fetched = field(init=False)
    neighbourhoods: dict[str, Neighbourhood] = field(init=False)  # by current identity id
    # Household members' identifiers, fetched with a neighbourhood: by current identity id.
    member_identifiers: dict[str, list[Row]] = field(init=False)

    def __post_init__(self) -> None:
        cut = self.page_size + 1
        self.fetched_orders = Fetched("ordered_at", cut)
        self.fetched_interactions = Fetched("occurred_at", cut)
        self.neighbourhoods = {}
        self.member_identifiers = {}

    def neighbourhood_of(self, identity_id: str) -> AwaitableOrValue[Neighbourhood]:
        """A current identity's neighbourhood: at hand once fetched, else from the loader."""
        known = self.neighbourhoods.get(identity_id)
        return known if known is not None else self.neighbourhood.load(identity_id)

    def identifiers_of(self, identity_id: str) -> AwaitableOrValue[list[Row]]:
        """A current identity's identifier rows: at hand when its neighbourhood, or a
        neighbourhood listing it as a household member, was fetched; else from the loader."""
        known = self.neighbourhoods.get(identity_id)
        if known is not None:
            return known.identifiers
        listed = self.member_identifiers.get(identity_id)
        if listed is not None:
            return listed
        return then(self.neighbourhood_of(identity_id), _identifiers_in)

    def knows_identifiers(self, identity_id: str) -> bool:
        """True when `identifiers_of(identity_id)` needs no round trip."""
        return identity_id in self.neighbourhoods or identity_id in self.member_identifiers

    def order_rows(self, request: PageRequest) -> AwaitableOrValue[list[Row]]:
        """A page of orders: cut from the fetched neighbourhoods when they hold it."""
        return _cut_or_load(self.fetched_orders, self.orders, request)

    def interaction_rows(self, request: PageRequest) -> AwaitableOrValue[list[Row]]:
        """A page of interactions: cut from the fetched neighbourhoods when they hold it."""
        return _cut_or_load(self.fetched_interactions, self.interactions, request)

    @cached_property
    def identity(self) -> DataLoader[str, Row | None]:
        """Identities by id, current or absorbed."""
        return self._loader(Loaders._identities)

    @cached_property
    def identity_neighbourhood(self) -> DataLoader[str, Row | None]:
        """The same identity rows, with their neighbourhoods primed from the same round trip."""
        return self._loader(Loaders._identities_with_neighbourhood)

    @cached_property
    def neighbourhood(self) -> DataLoader[str, Neighbourhood]:
        """Neighbourhoods by current identity id."""
        return self._loader(Loaders._neighbourhoods)

    @cached_property
    def record(self) -> DataLoader[str, Row | None]:
        """Records by key."""
        return self._loader(Loaders._records_by_key)

    @cached_property
    def orders(self) -> DataLoader[PageRequest, list[Row]]:
        """Pages of orders the neighbourhoods do not hold (use `order_rows`)."""
        return self._loader(lambda me, keys: me._pages("api/orders_of", keys))

    @cached_property
    def interactions(self) -> DataLoader[PageRequest, list[Row]]:
        """Pages of interactions the neighbourhoods do not hold (use `interaction_rows`)."""
        return self._loader(lambda me, keys: me._pages("api/interactions_of", keys))

    @cached_property
    def links(self) -> DataLoader[Group, list[Row]]:
        """The accepted links among each group's records."""
        return self._loader(lambda me, keys: me._per_group("api/links_of", {}, keys))

    @cached_property
    def related(self) -> DataLoader[Group, list[Row]]:
        """Identities sharing a device, phone or address with each group."""
        return self._loader(
            lambda me, keys: me._per_group("api/related_identities", {"limit": 200}, keys)
        )

    @cached_property
    def tickets(self) -> DataLoader[Group, list[Row]]:
        """The open tickets and last contact of each group (api/service_of)."""
        params = {
            "open_statuses": list(OPEN_TICKET_STATUSES),
            "contact_types": list(CONTACT_TYPES),
            "limit": MAX_OPEN_TICKETS,
        }
        return self._loader(lambda me, keys: me._per_group("api/service_of", params, keys))

    @cached_property
    def fraud_ring(self) -> DataLoader[str, Row | None]:
        """The fraud ring of each identity id, if any."""
        return self._loader(Loaders._rings_of)

    @cached_property
    def ring_evidence(self) -> DataLoader[str, list[Row]]:
        """The evidence of each fraud ring."""
        return self._loader(lambda me, keys: me._by_id("api/ring_evidence", keys))

    @cached_property
    def history(self) -> DataLoader[str, list[Row]]:
        """The identity events of each identity id."""
        return self._loader(lambda me, keys: me._by_id("api/history_of", keys))

    @cached_property
    def consents(self) -> DataLoader[str, list[Row]]:
        """The consent events of each current identity id (api/consents_of)."""
        return self._loader(lambda me, keys: me._by_id("api/consents_of", keys))

    @cached_property
    def locale(self) -> DataLoader[str, str]:
        """The locale amounts are shown in (one key, ""; normalize.amount.display_locale)."""
        return self._loader(Loaders._display_locale)

    def display_locale(self) -> AwaitableOrValue[str]:
        """The locale the sources declared most, for the amounts' `...Text` fields."""
        return self.locale.load("")

    @cached_property
    def annotations(self) -> DataLoader[str, list[Row]]:
        """Staff notes and attributes of each identity id."""
        return self._loader(lambda me, keys: me._by_id("api/annotations_of", keys))

    def _loader(
        self, batch: Callable[[Loaders, Any], Awaitable[list[Any]]]
    ) -> DataLoader[Any, Any]:
        """A DataLoader whose batches run `batch(self, keys)`, holding self weakly.

        A loader holding its Loaders strongly made a reference cycle that kept every row of
        the request alive until the cycle collector ran (long pauses under load, see
        docs/benchmarks.md); weakly held, they go when the request's context does.
        """
        owner = weakref.ref(self)

        async def load(keys: list[Any]) -> list[Any]:
            loaders = owner()
            if loaders is None:  # cannot happen while a resolver awaits: it holds the context
                raise RuntimeError("the request's loaders are gone")
            return await batch(loaders, keys)

        return DataLoader(load)

    async def read(self, name: str, **params: Any) -> list[Row]:
        """Run a named query for this request (counted) and return plain rows."""
        rows = await self.service.read(name, self.trips, **params)
        return [plain(row) for row in rows]

    async def _identities(self, ids: Sequence[str]) -> list[Row | None]:
        rows = await self.read("api/identities_by_id", ids=list(ids))
        found = {row["asked"]: {**row["identity"], "asked": row["asked"]} for row in rows}
        return [found.get(i) for i in ids]

    async def _neighbourhoods(self, ids: Sequence[str]) -> list[Neighbourhood]:
        found = await self._read_neighbourhoods(ids)
        return [found[i] if i in found else Neighbourhood() for i in ids]

    async def _identities_with_neighbourhood(self, ids: Sequence[str]) -> list[Row | None]:
        """As `identity`, for ids current or absorbed; primes their neighbourhoods."""
        rows = await self._read_neighbourhoods(ids)
        identities = {asked: {**row.identity, "asked": asked} for asked, row in rows.items()}
        self.identity.prime_many(identities)
        return [identities.get(i) for i in ids]

    async def _read_neighbourhoods(self, ids: Sequence[str]) -> dict[str, Neighbourhood]:
        """api/neighbourhood_of by id asked; kept by current id, each record's activity kept
        for the pages."""
        rows = await self.read(
            "api/neighbourhood_of", ids=list(ids), max_items=self.fetched_orders.cut
        )
        found: dict[str, Neighbourhood] = {}
        members: dict[str, Row] = {}
        for row in rows:
            times_from_text(row)
            keys = [r["key"] for r in row["records"]]
            self.fetched_orders.add(keys, row["order_owners"], row["orders"])
            self.fetched_interactions.add(keys, row["interaction_owners"], row["interactions"])
            neighbourhood = Neighbourhood.of(row)
            self.neighbourhoods[neighbourhood.identity["id"]] = neighbourhood
            found[row["asked"]] = neighbourhood
            for identity, identifiers in other_members(row):
                self.member_identifiers.setdefault(identity["id"], identifiers)
                members[identity["id"]] = {**identity, "asked": identity["id"]}
        if members:  # a household list then needs no round trip for its members
            self.identity.prime_many(members)
        return found

    async def _display_locale(self, keys: Sequence[str]) -> list[str]:
        rows = await self.read("analyses/source_locales")
        chosen = display_locale([(row["locale"], int(row["sources"])) for row in rows])
        return [chosen for _ in keys]

    async def _records_by_key(self, keys: Sequence[str]) -> list[Row | None]:
        rows = await self.read("api/records_by_key", keys=list(keys))
        found = {row["key"]: row["record"] for row in rows}
        return [found.get(k) for k in keys]

    async def _rings_of(self, ids: Sequence[str]) -> list[Row | None]:
        rows = await self.read("api/fraud_ring_of", ids=list(ids))
        found = {row["id"]: {**row["ring"], "members": row["members"]} for row in rows}
        return [found.get(i) for i in ids]

    async def _by_id(self, name: str, ids: Sequence[str]) -> list[list[Row]]:
        return _grouped(ids, await self.read(name, ids=list(ids)), key="id")

    async def _per_group(
        self, name: str, params: dict[str, Any], groups: Sequence[Group]
    ) -> list[list[Row]]:
        rows = await self.read(name, groups=[g.param() for g in groups], **params)
        return _grouped([g.owner for g in groups], rows, key="id")

    async def _pages(self, name: str, requests: Sequence[PageRequest]) -> list[list[Row]]:
        pages: dict[PageRequest, list[Row]] = {}
        # Requests sharing filters, cursor and size go in one query (the usual case).
        batches: dict[tuple[Any, ...], list[PageRequest]] = defaultdict(list)
        for request in requests:
            batches[(request.filters, request.after, request.limit)].append(request)

        async def fetch(key: tuple[Any, ...], batch: list[PageRequest]) -> None:
            filters, after, limit = key
            after_at, after_key = after or (None, None)
            rows = await self.read(
                name,
                groups=[r.group.param() for r in batch],
                after_at=after_at,
                after_key=after_key,
                limit=limit,
                **dict(filters),
            )
            items = {row["id"]: row["items"] for row in rows}
            for request in batch:
                pages[request] = items.get(request.group.owner, [])

        await asyncio.gather(*(fetch(key, batch) for key, batch in batches.items()))
        return [pages[r] for r in requests]


def _cut_or_load(
    fetched: Fetched, loader: DataLoader[PageRequest, list[Row]], request: PageRequest
) -> AwaitableOrValue[list[Row]]:
    page = fetched.page(request)
    return page if page is not None else loader.load(request)


def _identifiers_in(neighbourhood: Neighbourhood) -> list[Row]:
    return neighbourhood.identifiers


def _grouped(keys: Sequence[str], rows: list[Row], key: str) -> list[list[Row]]:
    out: dict[str, list[Row]] = {k: [] for k in keys}
    for row in rows:
        out.setdefault(row[key], []).append(row)
    return [out[k] for k in keys]
