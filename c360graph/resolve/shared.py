"""Shared identifiers: values used by too many different people to say anything about identity.

Placeholder emails (test@test.com), shop phones typed in for walk-in customers and kiosk
devices would glue strangers together. An identifier is shared when it is a known placeholder,
when more than `max_records` records use it, or when those records carry more than
`max_distinct_names` different names. Shared identifiers are ignored by linking and kept,
marked, for fraud analysis.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from c360graph.resolve.records import Rec

# Which Rec field each deterministic rule compares.
RULE_FIELDS: dict[str, str] = {
    "same_email": "emails",
    "same_phone": "phones",
    "same_device": "devices",
    "same_loyalty_id": "loyalty_ids",
    "same_national_id": "national_ids",
}


@dataclass(frozen=True)
class SharedLimits:
    """When an identifier counts as shared."""

    max_records: int = 12
    max_distinct_names: int = 3


def person_name(rec: Rec) -> str | None:
    """An order-insensitive name key for counting distinct people, or None without a name."""
    parts = sorted(p for p in (rec.first_name_key, rec.last_name_key) if p)
    return " ".join(parts) or None


def is_shared(
    records: Iterable[str], placeholder: bool, recs: Mapping[str, Rec], limits: SharedLimits
) -> bool:
    """True when an identifier used by `records` says nothing about who they are."""
    keys = list(records)
    if placeholder or len(keys) > limits.max_records:
        return True
    names = {person_name(recs[k]) for k in keys if k in recs}
    names.discard(None)
    return len(names) > limits.max_distinct_names


def strip_shared(rec: Rec, shared: Mapping[str, set[str]]) -> Rec:
    """The record without its shared identifier values (`shared` maps Rec field -> values)."""
    changes: dict[str, Any] = {}
    for field, values in shared.items():
        current: tuple[str, ...] = getattr(rec, field)
        if values and any(v in values for v in current):
            changes[field] = tuple(v for v in current if v not in values)
    return dataclasses.replace(rec, **changes) if changes else rec
