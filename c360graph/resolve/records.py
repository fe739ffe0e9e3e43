"""The plain data resolution works on: source records, candidate pairs and accepted links.

Everything in resolve/ except the graph adapter (resolve/store.py) is a pure function over
these types: no database, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class Rec:
    """One source customer record, as resolution sees it (exported from the graph).

    Identifier tuples hold normalized values: emails lower-case, phones E.164, national ids
    as their keyed hash. Linking drops the shared ones (placeholders, shop phones, kiosk
    devices) from a copy first; see resolve/shared.py.
    """

    key: str  # "source:source_id"
    source: str
    first_name: str | None = None  # display form, accents kept
    last_name: str | None = None
    full_name: str | None = None
    first_name_key: str | None = None  # folded: lower-case, no diacritics
    last_name_key: str | None = None
    date_of_birth: date | None = None
    gender: str | None = None
    address_line1: str | None = None
    address_line2: str | None = None
    city: str | None = None
    postcode: str | None = None
    region: str | None = None
    country: str | None = None
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    devices: tuple[str, ...] = ()
    loyalty_ids: tuple[str, ...] = ()
    national_ids: tuple[str, ...] = ()
    updated_at: datetime | None = None  # the source's own timestamp, else ingest time
    stub: bool = False  # only referenced by an order/interaction so far: no attributes


@dataclass(frozen=True, slots=True)
class Candidate:
    """A pair of records worth comparing, and what brought them together."""

    a: str  # record key, a < b
    b: str
    rules: tuple[str, ...] = ()  # deterministic rule ids that emitted the pair, one per value
    evidence: tuple[str, ...] = ()  # the value each rule (same position) found shared
    blocks: tuple[str, ...] = ()  # blocking rule ids that emitted the pair


@dataclass(frozen=True, slots=True)
class Scored:
    """A compared pair: total weight, match probability, per-field comparison levels."""

    a: str
    b: str
    weight: float  # match weight: log2 Bayes factors summed, prior included
    probability: float
    levels: dict[str, str] = field(default_factory=dict)  # field -> level name
    rules: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    blocked_by: str | None = None  # guard that vetoes the link (cannot-link), if any
    partials: dict[str, float] = field(default_factory=dict)  # field -> its log2 weight

    @property
    def pair(self) -> tuple[str, str]:
        """The two record keys, ordered."""
        return (self.a, self.b)
