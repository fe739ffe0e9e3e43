"""Fraud rings: different people tied together by identifiers no normal household explains.

Identities are linked when they share a device, phone, address, loyalty or national id
(the kinds in `link_weights`) and are not in one household. Identifiers used by more identities than
`max_identities_per_identifier` are hubs (a shop phone, a kiosk): reported apart, never
links. Connected groups of `min_ring_size` to `max_ring_size` identities are candidate rings,
scored in 0..1 as a weighted sum of four parts:

- size: members, 1 at `size_saturation` or more;
- density: pairs of members linked directly, each weighted by its strongest link's kind
  (a shared address counts less than a shared phone) / all pairs of members;
- velocity: the share of members whose accounts were opened in one burst, within
  `velocity_window_days` of each other (the largest such burst; a member with no known
  opening time is in none), so an innocent account chained onto a ring dilutes it rather
  than voiding it;
- orders: share of members with an order of `large_order_amount` or more within
  `large_order_within_days` of opening their account (rings "bust out").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from itertools import combinations

from c360graph.analyze.facts import IdentityFacts, OrderFact
from c360graph.analyze.settings import CurrencySettings, FraudSettings
from c360graph.resolve.components import Edge, cluster

CANCELLED = frozenset({"cancelled", "canceled", "failed"})


@dataclass(frozen=True, slots=True)
class Evidence:
    """An identifier tying some members of a ring together."""

    kind: str
    value: str
    identities: tuple[str, ...]


@dataclass(frozen=True)
class Candidate:
    """A connected group of identities, before scoring."""

    members: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    linked_pairs: float  # pairs linked directly, each weighted by its strongest link


@dataclass(frozen=True)
class Ring:
    """A scored group of identities that share identifiers beyond household patterns."""

    members: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    score: float
    parts: Mapping[str, float]  # size, density, velocity, orders: each in 0..1
    opened_within_days: float | None  # span of the members' account openings
    large_orders: int  # members with a large order soon after opening

    @property
    def reason(self) -> str:
        """What ties the ring together and what made it score, for people."""
        kinds: dict[str, int] = defaultdict(int)
        for e in self.evidence:
            kinds[e.kind] += 1
        shared = ", ".join(f"{n} {kind}{'s' if n > 1 else ''}" for kind, n in sorted(kinds.items()))
        opened = (
            f"accounts opened within {self.opened_within_days:.0f} days"
            if self.opened_within_days is not None
            else "opening times unknown"
        )
        return (
            f"{len(self.members)} identities sharing {shared}; {opened}; "
            f"{self.large_orders} with a large order soon after opening"
        )


@dataclass(frozen=True)
class Hub:
    """An identifier used by too many identities to be a ring link (a shop phone, a kiosk)."""

    kind: str
    value: str
    identities: int


@dataclass(frozen=True)
class RingSearch:
    """Candidate rings and the hubs left out of them."""

    candidates: list[Candidate]
    hubs: list[Hub]
    oversized: list[tuple[str, ...]]


def find_candidates(
    facts: Mapping[str, IdentityFacts],
    households: Mapping[str, str],
    settings: FraudSettings,
) -> RingSearch:
    """Groups of identities tied by shared identifiers outside their households."""
    users: dict[tuple[str, str], set[str]] = defaultdict(set)
    weights = settings.link_weights
    for identity in facts.values():
        for link in identity.links:
            if link.kind in weights and link.subtype not in settings.ignored_device_types:
                users[link.kind, link.value].add(identity.id)
    hubs: list[Hub] = []
    evidence: list[Evidence] = []
    pairs: dict[tuple[str, str], float] = {}
    for (kind, value), ids in users.items():
        if len(ids) < 2:
            continue
        if len(ids) > settings.max_identities_per_identifier:
            hubs.append(Hub(kind, value, len(ids)))
            continue
        linked = [
            (a, b)
            for a, b in combinations(sorted(ids), 2)
            if households.get(a) is None or households.get(a) != households.get(b)
        ]
        if linked:
            for pair in linked:
                pairs[pair] = max(pairs.get(pair, 0.0), weights[kind])
            evidence.append(Evidence(kind, value, tuple(sorted(ids))))
    clustering = cluster((), (Edge(a, b, 1.0) for a, b in pairs))
    group_of = {m: g for g, members in enumerate(clustering.components) for m in members}
    per_group: dict[int, list[Evidence]] = defaultdict(list)
    for e in evidence:
        group = group_of.get(e.identities[0])
        if group is not None:
            per_group[group].append(e)
    pair_count: dict[int, float] = defaultdict(float)
    for (a, _), weight in pairs.items():
        pair_count[group_of[a]] += weight
    candidates, oversized = [], []
    for g, members in enumerate(clustering.components):
        if len(members) > settings.max_ring_size:
            oversized.append(members)
        elif len(members) >= settings.min_ring_size:
            ordered = sorted(per_group[g], key=lambda e: (e.kind, e.value))
            candidates.append(Candidate(members, tuple(ordered), pair_count[g]))
    hubs.sort(key=lambda h: (-h.identities, h.kind, h.value))
    return RingSearch(candidates, hubs, oversized)


def _days(span_seconds: float) -> float:
    return span_seconds / 86400.0


def _largest_burst(opened: list[datetime], window_days: float) -> int:
    """Most openings (sorted) falling within `window_days` of each other; 1 is no burst."""
    best, start = 0, 0
    for end, moment in enumerate(opened):
        while _days((moment - opened[start]).total_seconds()) > window_days:
            start += 1
        best = max(best, end - start + 1)
    return best if best >= 2 else 0


def score_ring(
    candidate: Candidate,
    facts: Mapping[str, IdentityFacts],
    orders: Iterable[OrderFact],
    settings: FraudSettings,
    currency: CurrencySettings,
) -> Ring:
    """Score one candidate from its size, density, opening velocity and order pattern."""
    n = len(candidate.members)
    low = settings.min_ring_size
    size = min(1.0, (n - low + 1) / (settings.size_saturation - low + 1))
    density = candidate.linked_pairs / (n * (n - 1) / 2)

    opened = sorted(t for m in candidate.members if (t := facts[m].opened_at) is not None)
    span: float | None = None
    velocity = 0.0
    if len(opened) >= 2:
        span = _days((opened[-1] - opened[0]).total_seconds())
        velocity = _largest_burst(opened, settings.velocity_window_days) / n

    busted: set[str] = set()
    for order in orders:
        start = facts[order.identity].opened_at if order.identity in facts else None
        if start is None or order.ordered_at is None or order.status.lower() in CANCELLED:
            continue
        amount = currency.convert(order.amount, order.currency)
        soon = _days((order.ordered_at - start).total_seconds()) <= settings.large_order_within_days
        if amount is not None and amount >= settings.large_order_amount and soon:
            busted.add(order.identity)
    order_part = len(busted) / n

    parts = {"size": size, "density": density, "velocity": velocity, "orders": order_part}
    score = sum(settings.weights[k] * v for k, v in parts.items())
    return Ring(
        members=candidate.members,
        evidence=candidate.evidence,
        score=round(score, 4),
        parts={k: round(v, 4) for k, v in parts.items()},
        opened_within_days=None if span is None else round(span, 2),
        large_orders=len(busted),
    )


def score_rings(
    candidates: Iterable[Candidate],
    facts: Mapping[str, IdentityFacts],
    orders: Iterable[OrderFact],
    settings: FraudSettings,
    currency: CurrencySettings,
) -> list[Ring]:
    """Score every candidate; keep those at `min_score` or above, highest score first."""
    by_identity: dict[str, list[OrderFact]] = defaultdict(list)
    for order in orders:
        by_identity[order.identity].append(order)
    rings = []
    for candidate in candidates:
        mine = [o for m in candidate.members for o in by_identity.get(m, ())]
        ring = score_ring(candidate, facts, mine, settings, currency)
        if ring.score >= settings.min_score:
            rings.append(ring)
    rings.sort(key=lambda r: (-r.score, r.members))
    return rings
