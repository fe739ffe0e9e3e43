"""Householding: identities that live together, each household with a confidence and reasons.

Two identities are linked when they share a home's facts: the same current address (with a
surname in common, or without), a landline, a home device. Each kind of evidence has a weight;
a pair's confidence is their noisy-OR, and pairs below `min_confidence` are dropped. Linked
identities form households (connected components, strongest links first, cut at `max_size`).
Identifiers used by more than `max_identities_per_identifier` identities (blocks of flats,
shops, fraud rings' drop addresses) are no evidence.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations

from c360graph.analyze.facts import IdentityFacts
from c360graph.analyze.settings import HouseholdSettings
from c360graph.resolve.components import Edge, cluster

REASONS = {
    "address_and_surname": "same address and surname",
    "address": "same address",
    "landline": "shared landline",
    "home_device": "shared home device",
}


@dataclass(frozen=True, slots=True)
class HouseholdLink:
    """Two identities that look like one home, with the evidence kinds and their confidence."""

    a: str
    b: str
    confidence: float
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class Household:
    """Identities living together; each member's confidence is that of its strongest link."""

    members: tuple[str, ...]
    confidence: float  # mean of the members' confidences
    evidence: tuple[str, ...]  # every evidence kind found inside the household, strongest first
    member_confidence: Mapping[str, float]
    member_evidence: Mapping[str, tuple[str, ...]]

    @property
    def reason(self) -> str:
        """The evidence in words, for people."""
        return "; ".join(REASONS[e] for e in self.evidence)


@dataclass(frozen=True)
class Householding:
    """The households found, and the groups too large to be one home."""

    households: list[Household]
    oversized: list[tuple[str, ...]]
    links: int  # accepted pair links


def noisy_or(weights: Iterable[float]) -> float:
    """1 - product of (1 - w): independent pieces of evidence, combined."""
    miss = 1.0
    for w in weights:
        miss *= 1.0 - w
    return 1.0 - miss


def _home_identifiers(
    facts: Mapping[str, IdentityFacts], settings: HouseholdSettings
) -> dict[tuple[str, str], list[str]]:
    """(evidence kind, identifier) -> identities using it, for identifiers a home shares."""
    users: dict[tuple[str, str], list[str]] = defaultdict(list)
    for identity in facts.values():
        for link in identity.links:
            if link.kind == "address":
                users["address", link.value].append(identity.id)
            elif link.kind == "phone" and link.subtype in settings.landline_types:
                users["landline", link.value].append(identity.id)
            elif link.kind == "device" and link.subtype in settings.home_device_types:
                users["home_device", link.value].append(identity.id)
    return users


def household_links(
    facts: Mapping[str, IdentityFacts], settings: HouseholdSettings
) -> list[HouseholdLink]:
    """Pairs of identities whose shared home facts reach `min_confidence`."""
    evidence: dict[tuple[str, str], set[str]] = defaultdict(set)
    for (kind, _), ids in _home_identifiers(facts, settings).items():
        if not 2 <= len(ids) <= settings.max_identities_per_identifier:
            continue
        for a, b in combinations(sorted(set(ids)), 2):
            if kind == "address" and facts[a].surnames & facts[b].surnames:
                kind_here = "address_and_surname"
            else:
                kind_here = kind
            evidence[a, b].add(kind_here)
    weights = settings.evidence
    links = []
    for (a, b), kinds in sorted(evidence.items()):
        if "address_and_surname" in kinds:
            kinds.discard("address")  # one address, counted once
        confidence = noisy_or(weights[k] for k in kinds)
        if confidence >= settings.min_confidence:
            ordered = tuple(sorted(kinds, key=lambda k: (-weights[k], k)))
            links.append(HouseholdLink(a, b, round(confidence, 4), ordered))
    return links


def group_households(links: Iterable[HouseholdLink], settings: HouseholdSettings) -> Householding:
    """Households as connected components of links, strongest first, capped at max_size."""
    links = list(links)
    weights = settings.evidence
    clustering = cluster(
        (), (Edge(x.a, x.b, x.confidence) for x in links), max_size=settings.max_size
    )
    accepted = {(e.a, e.b) for e in clustering.accepted}
    best: dict[str, HouseholdLink] = {}
    kinds_of: dict[str, set[str]] = defaultdict(set)
    for link in links:
        if (link.a, link.b) not in accepted:
            continue
        for end in (link.a, link.b):
            if end not in best or link.confidence > best[end].confidence:
                best[end] = link
            kinds_of[end].update(link.evidence)
    households = []
    for members in clustering.components:
        if len(members) < 2:
            continue
        confidence = {m: best[m].confidence for m in members}
        kinds = set().union(*(kinds_of[m] for m in members))
        households.append(
            Household(
                members=members,
                confidence=round(sum(confidence.values()) / len(members), 4),
                evidence=tuple(sorted(kinds, key=lambda k: (-weights[k], k))),
                member_confidence=confidence,
                member_evidence={m: best[m].evidence for m in members},
            )
        )
    return Householding(households, clustering.oversized, len(accepted))


def find_households(
    facts: Mapping[str, IdentityFacts], settings: HouseholdSettings
) -> Householding:
    """Households among the identities described by `facts`."""
    return group_households(household_links(facts, settings), settings)
