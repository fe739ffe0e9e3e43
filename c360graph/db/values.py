"""Driver values made plain Python: one place that knows how the graph returns time."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

import neo4j

# Types returned as they are: checked by identity first, since most values are these.
_AS_IS = frozenset({str, int, float, bool, type(None)})


def plain(value: Any) -> Any:
    """The value with driver temporals as Python ones, recursively; zone-less times as UTC."""
    kind = type(value)
    if kind in _AS_IS:
        return value
    if kind is dict:
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    to_native = getattr(value, "to_native", None)
    if callable(to_native):
        value = to_native()
    if isinstance(value, datetime):
        # ArcadeDB returns stored DateTimes without their zone; c360graph writes every time in UTC.
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        # The driver reads Neo4j's `...Z` as pytz's UTC, which it would write back as the zone
        # name `...Z[UTC]`, and Neo4j's `=` tells the two apart: keep the offset form.
        if value.tzinfo is not UTC and value.tzname() == "UTC":
            return value.replace(tzinfo=UTC)
    return value


def utc_moment(value: Any) -> datetime | None:
    """A zone-aware UTC datetime from a driver value, or None when it is not a date-time."""
    moment = plain(value)
    return moment if isinstance(moment, datetime) else None


def date_from_text(text: str | None) -> date | None:
    """A date from Cypher's `toString()` of one; None when absent or not a date."""
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def moment_from_text(text: str | None) -> datetime | None:
    """A UTC datetime from Cypher's `toString()` of one; None when absent or not a time.

    Cheaper than the driver's DateTime for bulk reads. Neo4j may append a zone name
    (`...+01:00[Europe/London]`), which the offset makes redundant; ArcadeDB writes no zone.
    """
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.split("[", 1)[0])
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def rows(result: neo4j.Result) -> list[dict[str, Any]]:
    """Every remaining record of a result as a dict of the values as the driver decoded them.

    `Result.data()` would walk every value again to turn nodes into dicts; named queries
    return plain values only, and that walk cost a third of a full export's time.
    """
    keys = result.keys()
    return [dict(zip(keys, values, strict=True)) for values in result.values()]
