"""Driver values made plain Python: one place that knows how the graph returns time."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
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
    # ArcadeDB returns stored DateTimes without their zone; c360graph writes every time in UTC.
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def utc_moment(value: Any) -> datetime | None:
    """A zone-aware UTC datetime from a driver value, or None when it is not a date-time."""
    moment = plain(value)
    return moment if isinstance(moment, datetime) else None


def rows(result: neo4j.Result) -> list[dict[str, Any]]:
    """Every remaining record of a result as a dict of the values as the driver decoded them.

    `Result.data()` would walk every value again to turn nodes into dicts; named queries
    return plain values only, and that walk cost a third of a full export's time.
    """
    keys = result.keys()
    return [dict(zip(keys, values, strict=True)) for values in result.values()]
