"""The fixed clock of a generated dataset and the date and timestamp layouts sources use."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

# A fixed "now" keeps output independent of the wall clock.
NOW = datetime(2026, 6, 30, 12, 0, tzinfo=UTC)
NOW_TS = int(NOW.timestamp())
YEAR = 365 * 86400
WINDOW_START_TS = NOW_TS - 3 * YEAR

DATE_STYLES = ("iso", "dmy_dot", "dmy_slash", "mdy_slash")
TIMESTAMP_STYLES = ("iso_z", "iso_ms", "iso_space", "dmy_hm", "dmy_dot_hm", "mdy_hm")


def format_date(d: date, style: str) -> str:
    """Render a date in one of DATE_STYLES ("iso" is YYYY-MM-DD)."""
    if style == "dmy_dot":
        return f"{d.day:02d}.{d.month:02d}.{d.year}"
    if style == "dmy_slash":
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    if style == "mdy_slash":
        return f"{d.month:02d}/{d.day:02d}/{d.year}"
    return d.isoformat()


def format_ts(ts: int, style: str) -> str:
    """Render a UTC epoch second in one of TIMESTAMP_STYLES ("iso_z" is 2025-01-31T09:05:00Z)."""
    t = time.gmtime(ts)
    ymd = f"{t.tm_year}-{t.tm_mon:02d}-{t.tm_mday:02d}"
    hms = f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d}"
    if style == "iso_ms":
        return f"{ymd}T{hms}.{(ts * 7919) % 1000:03d}Z"
    if style == "iso_space":
        return f"{ymd} {hms}"
    if style == "dmy_hm":
        return f"{t.tm_mday:02d}/{t.tm_mon:02d}/{t.tm_year} {t.tm_hour:02d}:{t.tm_min:02d}"
    if style == "dmy_dot_hm":
        return f"{t.tm_mday:02d}.{t.tm_mon:02d}.{t.tm_year} {t.tm_hour:02d}:{t.tm_min:02d}"
    if style == "mdy_hm":
        return f"{t.tm_mon:02d}/{t.tm_mday:02d}/{t.tm_year} {t.tm_hour:02d}:{t.tm_min:02d}"
    return f"{ymd}T{hms}Z"
