"""Dates and times read back from Cypher's toString(), as either engine writes them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import neo4j.time
import pytz

from c360graph.db.values import date_from_text, moment_from_text, plain


def test_a_date_is_read_from_its_iso_text_and_anything_else_is_none() -> None:
    assert date_from_text("1981-05-01") == date(1981, 5, 1)
    assert date_from_text(None) is None
    assert date_from_text("") is None
    assert date_from_text("not a date") is None


def test_a_zone_less_time_as_arcadedb_writes_it_is_read_as_utc() -> None:
    assert moment_from_text("2026-05-08T15:34:28") == datetime(2026, 5, 8, 15, 34, 28, tzinfo=UTC)


def test_neo4j_times_keep_their_offset_and_lose_a_zone_name() -> None:
    assert moment_from_text("2026-05-08T15:34:28Z") == datetime(2026, 5, 8, 15, 34, 28, tzinfo=UTC)
    london = moment_from_text("2026-05-08T16:34:28.5+01:00[Europe/London]")
    assert london == datetime(2026, 5, 8, 16, 34, 28, 500000, tzinfo=timezone(timedelta(hours=1)))
    assert london == datetime(2026, 5, 8, 15, 34, 28, 500000, tzinfo=UTC)


def test_nanoseconds_are_cut_to_microseconds_and_nonsense_is_none() -> None:
    assert moment_from_text("2026-05-08T15:34:28.123456789Z") == datetime(
        2026, 5, 8, 15, 34, 28, 123456, tzinfo=UTC
    )
    assert moment_from_text(None) is None
    assert moment_from_text("yesterday") is None


def test_a_utc_time_from_the_driver_goes_back_in_offset_form_not_as_a_zone_name() -> None:
    """Neo4j's `=` holds `...Z` and `...Z[UTC]` apart (docs/graph-engines.md)."""
    read = neo4j.time.DateTime(2026, 5, 11, 12, 0, 0, tzinfo=pytz.utc)
    moment = plain(read)
    assert moment == datetime(2026, 5, 11, 12, tzinfo=UTC)
    assert moment.tzinfo is UTC
    summer = datetime(2026, 7, 1, 12, tzinfo=ZoneInfo("Europe/London"))
    assert plain(neo4j.time.DateTime.from_native(summer)).tzname() == "BST"  # others are kept
