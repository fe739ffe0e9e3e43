"""Reads what householding and fraud detection need from the graph, as plain data."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from c360graph.db.graph import Graph
from c360graph.db.values import utc_moment

# Relationship type -> identifier kind, as the analyses config names them.
LINK_KINDS = {
    "LIVES_AT": "address",
    "HAS_PHONE": "phone",
    "USES": "device",
    "HAS_LOYALTY_ID": "loyalty_id",
    "HAS_NATIONAL_ID": "national_id",
}


@dataclass(frozen=True, slots=True)
class Link:
    """An identifier an identity uses: its kind, key, and line or device type ('' if none)."""

    kind: str
    value: str
    subtype: str = ""


@dataclass(slots=True)
class IdentityFacts:
    """What one identity's records say about where it lives and what it uses."""

    id: str
    surnames: set[str] = field(default_factory=set)  # folded last-name keys
    opened_at: datetime | None = None  # earliest account creation any source reported
    links: set[Link] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class OrderFact:
    """One order of an identity, amount in its own currency."""

    identity: str
    amount: float
    currency: str
    ordered_at: datetime | None
    status: str


def collect_facts(rows: Iterable[dict[str, Any]]) -> dict[str, IdentityFacts]:
    """Fold per-record rows (identity, surname, opened_at, links) into facts per identity."""
    facts: dict[str, IdentityFacts] = {}
    for row in rows:
        identity = row["identity"]
        f = facts.get(identity)
        if f is None:
            f = facts[identity] = IdentityFacts(identity)
        if row["surname"]:
            f.surnames.add(row["surname"])
        opened = utc_moment(row["opened_at"])
        if opened is not None and (f.opened_at is None or opened < f.opened_at):
            f.opened_at = opened
        for rel, value, subtype in row["links"]:
            kind = LINK_KINDS.get(rel)
            if kind and value:
                f.links.add(Link(kind, value, subtype or ""))
    return facts


def read_facts(
    graph: Graph, progress: Callable[[int], None] | None = None
) -> dict[str, IdentityFacts]:
    """Every active identity's surnames, opening time and identifier links, streamed."""

    def rows() -> Iterable[dict[str, Any]]:
        for n, row in enumerate(graph.stream("analyses/identity_links"), start=1):
            if progress and n % 50_000 == 0:
                progress(n)
            yield row

    return collect_facts(rows())


def read_orders(graph: Graph, ids: Iterable[str], batch: int = 5_000) -> list[OrderFact]:
    """The orders of the given identities."""
    wanted = sorted(set(ids))
    orders: list[OrderFact] = []
    for start in range(0, len(wanted), batch):
        for row in graph.read("analyses/orders_of_identities", ids=wanted[start : start + batch]):
            if row["amount"] is None:
                continue
            orders.append(
                OrderFact(
                    row["identity"],
                    float(row["amount"]),
                    row["currency"] or "",
                    utc_moment(row["ordered_at"]),
                    row["status"] or "",
                )
            )
    return orders
