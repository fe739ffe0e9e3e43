"""Workaround for Splink 5.0: level SQL re-parsed on every predict, cached here by its text.

Splink's `ComparisonLevel._is_exact_match` and `_exact_match_colnames` parse and simplify
each level's SQL with sqlglot every time they are read, and predict reads them for every
term-frequency level against every level: about a second per predict with our levels
(the name levels' list lambdas are slow to simplify), whatever the number of pairs. A
resolution scores in batches and the API resolves one record at a time, so that second
was most of a small run. The answer depends only on the SQL text and dialect, so it is
cached by them. Applied for the Splink versions in SPLINK_VERSIONS only;
tests/unit/test_splink_workarounds.py fails when Splink caches this itself.
"""

from __future__ import annotations

from importlib.metadata import version
from typing import Any

SPLINK_VERSIONS = ("5.0.0",)


def apply() -> bool:
    """Patch Splink's ComparisonLevel once; True when this Splink version needs it."""
    from splink.internals.comparison_level import ComparisonLevel

    if version("splink") not in SPLINK_VERSIONS:
        return False
    if not UPSTREAM:
        for name in ("_is_exact_match", "_exact_match_colnames"):
            UPSTREAM[name] = getattr(ComparisonLevel, name).fget
            setattr(ComparisonLevel, name, _cached(name, UPSTREAM[name]))
    return True


UPSTREAM: dict[str, Any] = {}  # Splink's own readers, replaced by cached ones
_CACHE: dict[tuple[str, str, str], Any] = {}


def _cached(name: str, read: Any) -> property:
    def get(level: Any) -> Any:
        key = (name, level.sql_condition, str(level.sqlglot_dialect))
        if key not in _CACHE:
            _CACHE[key] = read(level)
        value = _CACHE[key]
        return list(value) if isinstance(value, list) else value

    return property(get)
