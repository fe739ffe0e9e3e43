"""An identity's neighbourhood, fetched in one round trip, and the activity pages it answers.

A service screen asks for an identity's records, identifiers, channels, metrics, household
and first pages of orders and interactions at once. api/neighbourhood_of brings all of that
in one statement, where one query per kind cost a round trip each (about 1 ms of driver CPU
apiece, which bounded the API's throughput). `Fetched.page` answers a page of activity
from each record's newest items; pages with a filter or cursor, or deeper than what was
fetched, still go to api/orders_of and api/interactions_of.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from c360graph.api.service import Row
from c360graph.db.values import date_from_text, moment_from_text

if TYPE_CHECKING:
    from c360graph.api.loaders import PageRequest


@dataclass(frozen=True)
class Neighbourhood:
    """An identity's node, records, identifiers, activity by channel and household."""

    identity: Row = field(default_factory=dict)
    records: list[Row] = field(default_factory=list)  # by key, each with its emails, phones
    identifiers: list[Row] = field(default_factory=list)  # {kind, identifier, records}
    activity: list[Row] = field(default_factory=list)  # per kind, channel and currency
    household: Row | None = None  # its properties, members and memberships

    @classmethod
    def of(cls, row: Row) -> Neighbourhood:
        """From an api/neighbourhood_of row."""
        household = row["household"]
        return cls(
            identity=row["identity"],
            records=row["records"],
            identifiers=identifier_rows(
                row["identifier_kinds"], row["identifiers"], row["identifier_records"]
            ),
            activity=row["activity"],
            household={**household, "members": row["members"], "memberships": row["memberships"]}
            if household
            else None,
        )

    def keys(self) -> tuple[str, ...]:
        """Its record keys, in key order."""
        return tuple(r["key"] for r in self.records)


def times_from_text(row: Row) -> None:
    """Turn the dates and times api/neighbourhood_of returns as text into Python ones, in place:
    its records', its activity summary's, and its fetched orders' and interactions'."""
    for record in row["records"]:
        record["date_of_birth"] = date_from_text(record["date_of_birth"])
        for name in ("created_at", "updated_at", "ingested_at"):
            record[name] = moment_from_text(record[name])
    for summary in row["activity"]:
        summary["first_at"] = moment_from_text(summary["first_at"])
        summary["last_at"] = moment_from_text(summary["last_at"])
    for orders in row["orders"]:
        for order in orders:
            order["ordered_at"] = moment_from_text(order["ordered_at"])
    for interactions in row["interactions"]:
        for interaction in interactions:
            interaction["occurred_at"] = moment_from_text(interaction["occurred_at"])
            interaction["updated_at"] = moment_from_text(interaction.get("updated_at"))


def identifier_rows(kinds: list[str], nodes: list[Row], records: list[list[str]]) -> list[Row]:
    """`{kind, identifier, records}` rows from the parallel lists api/neighbourhood_of returns."""
    return [
        {"kind": kind, "identifier": node, "records": users}
        for kind, node, users in zip(kinds, nodes, records, strict=True)
    ]


def other_members(row: Row) -> list[tuple[Row, list[Row]]]:
    """The other household members of an api/neighbourhood_of row: each identity's properties
    and its identifier rows."""
    return [
        (identity, identifier_rows(kinds, nodes, users))
        for identity, kinds, nodes, users in zip(
            row["member_identities"],
            row["member_identifier_kinds"],
            row["member_identifiers"],
            row["member_identifier_records"],
            strict=True,
        )
    ]


@dataclass
class Fetched:
    """Each fetched record's newest orders or interactions (one kind), newest first."""

    at: str  # the item's time property: ordered_at or occurred_at
    cut: int  # a list this long may go on beyond what was fetched
    items: dict[str, list[Row]] = field(default_factory=dict)  # record key -> items

    def add(self, record_keys: list[str], owners: list[str], lists: list[list[Row]]) -> None:
        """Take one identity's fetched items; its records without any have none at all."""
        for key in record_keys:
            self.items.setdefault(key, [])
        self.items.update(zip(owners, lists, strict=True))

    def page(self, request: PageRequest) -> list[Row] | None:
        """The request's rows, as its query would return them; None when only it can tell."""
        if request.after is not None or any(v is not None for _, v in request.filters):
            return None
        lists: list[list[Row]] = []
        for key in request.group.keys:
            rows = self.items.get(key)
            if rows is None or (len(rows) >= self.cut and len(rows) < request.limit):
                return None
            lists.append(rows)
        if len(lists) == 1:
            return lists[0][: request.limit]
        merged = [row for rows in lists for row in rows]
        if any(row.get(self.at) is None for row in merged):
            return None  # the query's null ordering is the engine's; do not guess it
        merged.sort(key=lambda row: (row[self.at], row["key"]), reverse=True)
        return merged[: request.limit]
