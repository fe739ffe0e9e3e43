"""Shared identifiers: values used by too many different people to say anything about identity.

Placeholder emails (test@test.com), shop phones typed in for walk-in customers and kiosk
devices would glue strangers together. An identifier is shared when it is a known placeholder,
or when its records carry more than `max_distinct_names` different people's names. Names
count as one person's when they are spellings of each other (typos, swapped or missing
parts): ten records of one person with ten typos in the name are one person, and the value
is theirs. Above `max_records` records a value is shared without looking (a work limit).
Shared identifiers are ignored by linking and kept, marked, for fraud analysis.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from rapidfuzz.distance import JaroWinkler

from c360graph.graph.schema import EVIDENCE
from c360graph.normalize.name import fold
from c360graph.resolve.records import Rec

_SAME_SPELLING = 0.8  # Jaro-Winkler for two tokens to count as one spelled two ways

# Which Rec field each deterministic rule compares (declared with the kind, graph/schema.py).
RULE_FIELDS: dict[str, str] = {kind.rule: kind.name for kind in EVIDENCE if kind.rule}


@dataclass(frozen=True)
class SharedLimits:
    """When an identifier counts as shared."""

    max_records: int = 1000
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
    if len(names) <= limits.max_distinct_names:
        return False
    people: list[tuple[str, ...]] = []  # one spelling per person seen so far
    for name in sorted(names, key=lambda n: (-len(n), n)):  # type: ignore[arg-type]
        tokens = tuple(fold(str(name)).split())
        if not any(_spellings_of_one_name(tokens, p) for p in people):
            people.append(tokens)
            if len(people) > limits.max_distinct_names:
                return True
    return False


def _spellings_of_one_name(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Every token of the shorter name has a close spelling in the other."""
    small, big = (a, b) if len(a) <= len(b) else (b, a)
    return all(
        any(JaroWinkler.normalized_similarity(x, y) >= _SAME_SPELLING for y in big) for x in small
    )


def strip_shared(rec: Rec, shared: Mapping[str, set[str]]) -> Rec:
    """The record without its shared identifier values (`shared` maps Rec field -> values)."""
    changes: dict[str, Any] = {}
    for field, values in shared.items():
        current: tuple[str, ...] = getattr(rec, field)
        if values and any(v in values for v in current):
            changes[field] = tuple(v for v in current if v not in values)
    return dataclasses.replace(rec, **changes) if changes else rec
