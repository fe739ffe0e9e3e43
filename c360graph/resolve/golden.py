"""The golden record of an identity: one surviving value per attribute, with its provenance.

Each attribute has a survivorship rule:
- "source_priority": the value from the most trusted source;
- "most_recent": the value from the most recently updated record;
- "most_frequent": the value most records agree on (a record counts once per value).
Ties fall through to source priority, then the most recent `updated_at`, then the smallest
record key (then the position within a record's email or phone list), so the result never
depends on record order. Sources not in the priority list rank after all listed ones.

The address (line1, line2, city, postcode, region, country) survives as one unit, so its
parts never mix across records. Stub records contribute nothing.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from types import MappingProxyType
from typing import NamedTuple

from c360graph.resolve.records import Rec

RULES = ("source_priority", "most_recent", "most_frequent")
ATTRIBUTES = (
    "first_name",
    "last_name",
    "full_name",
    "date_of_birth",
    "gender",
    "email",
    "phone",
    "address",
    "country",
)
# An attribute a policy does not mention follows its closest relative, so the golden country
# agrees with the golden address and the full name with the first name; the rest fall back
# to source priority.
_FOLLOWS = {"country": "address", "full_name": "first_name"}
_FALLBACK_RULE = "source_priority"
_SCALARS = ("first_name", "last_name", "full_name", "date_of_birth", "gender", "country")
_LISTS: dict[str, Callable[[Rec], tuple[str, ...]]] = {
    "email": lambda rec: rec.emails,
    "phone": lambda rec: rec.phones,
}


class Address(NamedTuple):
    """A postal address as one value: its parts always come from the same record."""

    line1: str | None
    line2: str | None
    city: str | None
    postcode: str | None
    region: str | None
    country: str | None


GoldenScalar = str | date | Address


@dataclass(frozen=True)
class GoldenValue:
    """A surviving value, the record and source it came from, and the rule that chose it."""

    value: GoldenScalar
    source: str
    record_key: str
    rule: str


@dataclass(frozen=True)
class SurvivorshipPolicy:
    """Source trust order and a survivorship rule per attribute (see rule_for for the rest)."""

    source_priority: tuple[str, ...]
    attributes: Mapping[str, str]

    def __post_init__(self) -> None:
        object.__setattr__(self, "source_priority", tuple(self.source_priority))
        for attribute, rule in self.attributes.items():
            if attribute not in ATTRIBUTES:
                raise ValueError(
                    f"survivorship attribute {attribute!r} is unknown; "
                    f"use one of {', '.join(ATTRIBUTES)}"
                )
            if rule not in RULES:
                raise ValueError(
                    f"survivorship rule {rule!r} for {attribute} is unknown; "
                    f"use one of {', '.join(RULES)}"
                )

    def rule_for(self, attribute: str) -> str:
        """Its own rule, else its relative's (country follows address), else source_priority."""
        if attribute in self.attributes:
            return self.attributes[attribute]
        if attribute in _FOLLOWS:
            return self.rule_for(_FOLLOWS[attribute])
        return _FALLBACK_RULE


DEFAULT_POLICY = SurvivorshipPolicy(
    source_priority=("crm", "webshop", "app", "pos", "support", "newsletter", "social"),
    attributes=MappingProxyType(
        {
            "first_name": "source_priority",
            "last_name": "source_priority",
            "full_name": "source_priority",
            "date_of_birth": "most_frequent",
            "gender": "most_frequent",
            "email": "most_recent",
            "phone": "most_recent",
            "address": "most_recent",
            "country": "most_recent",  # like the address, so the two usually agree
        }
    ),
)


class _Candidate(NamedTuple):
    value: GoldenScalar
    rec: Rec
    position: int  # within the record's email or phone list


def golden_record(recs: Sequence[Rec], policy: SurvivorshipPolicy) -> dict[str, GoldenValue]:
    """The surviving value of each attribute some non-stub record has, in ATTRIBUTES order."""
    live = [rec for rec in recs if not rec.stub]
    source_rank = {source: rank for rank, source in enumerate(policy.source_priority)}
    unlisted = len(source_rank)

    def trust(c: _Candidate) -> tuple[int, float, str, int]:
        rank = source_rank.get(c.rec.source, unlisted)
        return (rank, _age(c.rec.updated_at), c.rec.key, c.position)

    def recency(c: _Candidate) -> tuple[float, int, str, int]:
        rank = source_rank.get(c.rec.source, unlisted)
        return (_age(c.rec.updated_at), rank, c.rec.key, c.position)

    golden: dict[str, GoldenValue] = {}
    for attribute in ATTRIBUTES:
        candidates = list(_candidates(attribute, live))
        if not candidates:
            continue
        if attribute == "address":
            candidates = _most_complete(candidates)
        rule = policy.rule_for(attribute)
        if rule == "most_recent":
            best = min(candidates, key=recency)
        elif rule == "most_frequent":
            best = _most_frequent(candidates, trust)
        else:
            best = min(candidates, key=trust)
        golden[attribute] = GoldenValue(best.value, best.rec.source, best.rec.key, rule)
    return golden


def _age(moment: datetime | None) -> float:
    """Sorts the most recent first; no timestamp sorts last. Naive times are taken as UTC."""
    if moment is None:
        return math.inf
    return -(moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def _candidates(attribute: str, recs: list[Rec]) -> Iterator[_Candidate]:
    for rec in recs:
        if attribute in _SCALARS:
            value = getattr(rec, attribute)
            if isinstance(value, date) or (isinstance(value, str) and value.strip()):
                yield _Candidate(value, rec, 0)
        elif attribute in _LISTS:
            for position, item in enumerate(_LISTS[attribute](rec)):
                if item.strip():
                    yield _Candidate(item, rec, position)
        else:
            address = _address(rec)
            if address is not None:
                yield _Candidate(address, rec, 0)


def _address(rec: Rec) -> Address | None:
    parts = (rec.address_line1, rec.address_line2, rec.city, rec.postcode, rec.region)
    if not any(part and part.strip() for part in parts):
        return None  # a country alone is not an address; it survives as "country"
    return Address(*parts, rec.country)


def _completeness(c: _Candidate) -> int:
    """2 with a street line, 1 with a city, 0 for a postcode or region alone."""
    address = c.value
    if not isinstance(address, Address):
        return 0
    return 2 if address.line1 else 1 if address.city else 0


def _most_complete(candidates: list[_Candidate]) -> list[_Candidate]:
    """The addresses of the best completeness: a postcode-only value never beats a street."""
    best = max(_completeness(c) for c in candidates)
    return [c for c in candidates if _completeness(c) == best]


def _most_frequent(
    candidates: list[_Candidate], trust: Callable[[_Candidate], tuple[int, float, str, int]]
) -> _Candidate:
    support: dict[GoldenScalar, set[str]] = {}
    best: dict[GoldenScalar, _Candidate] = {}
    for c in candidates:
        support.setdefault(c.value, set()).add(c.rec.key)
        if c.value not in best or trust(c) < trust(best[c.value]):
            best[c.value] = c
    winner = min(best, key=lambda value: (-len(support[value]), trust(best[value])))
    return best[winner]


def flatten_golden(golden: Mapping[str, GoldenValue]) -> dict[str, object]:
    """Flat node properties: each value with `<name>_source` and `<name>_record`, no maps."""
    props: dict[str, object] = {}
    for attribute, chosen in golden.items():
        if isinstance(chosen.value, Address):
            for part, value in chosen.value._asdict().items():
                if value is not None:
                    props[f"{attribute}_{part}"] = value
        else:
            props[attribute] = chosen.value  # str, or a date (a graph Date property)
        props[f"{attribute}_source"] = chosen.source
        props[f"{attribute}_record"] = chosen.record_key
    return props
