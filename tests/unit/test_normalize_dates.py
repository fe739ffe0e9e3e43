"""parse_date, parse_birth_date and parse_datetime on the formats source systems export."""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from c360graph.normalize import InvalidValue
from c360graph.normalize.dates import parse_birth_date, parse_date, parse_datetime

MARCH_5 = date(2024, 3, 5)


@pytest.mark.parametrize(
    ("raw", "day_first", "expected"),
    [
        ("2024-03-05", True, MARCH_5),
        ("2024-3-5", True, MARCH_5),
        ("2024/03/05", False, MARCH_5),  # year first is never day/month ambiguous
        ("05/03/2024", True, MARCH_5),
        ("03/05/2024", False, MARCH_5),
        ("05.03.2024", True, MARCH_5),  # German
        ("05-03-2024", True, MARCH_5),
        ("13/05/2024", False, date(2024, 5, 13)),  # 13 cannot be a month
        ("05/13/2024", True, date(2024, 5, 13)),
        ("5 Mar 2024", True, MARCH_5),
        ("5 March 2024", False, MARCH_5),
        ("5th March, 2024", True, MARCH_5),
        ("March 5, 2024", True, MARCH_5),
        ("Mar 5 2024", True, MARCH_5),
        ("05-MAR-24", True, MARCH_5),  # Oracle export
        ("5. März 2024", True, MARCH_5),
        ("5 mars 2024", True, MARCH_5),
        ("5 de marzo de 2024", True, MARCH_5),
        ("20240305", True, MARCH_5),
        ("05/03/99", True, date(1999, 3, 5)),
        ("1985-03-05 00:00:00", True, date(1985, 3, 5)),  # DB export of a DATE column
        ("2024-03-05T14:30:00+02:00", True, MARCH_5),
        ("05/03/2024 14:30", True, MARCH_5),
        ("  2024-03-05 ", True, MARCH_5),
        ("2024-02-29", True, date(2024, 2, 29)),
    ],
)
def test_common_date_spellings_parse_with_day_first_deciding_only_ambiguous_orders(
    raw: str, day_first: bool, expected: date
) -> None:
    assert parse_date(raw, day_first=day_first) == expected


def test_two_digit_years_after_this_year_belong_to_the_last_century() -> None:
    next_yy = (date.today().year + 1) % 100
    this_yy = date.today().year % 100
    assert parse_date(f"01/01/{next_yy:02d}").year == 1900 + next_yy
    assert parse_date(f"01/01/{this_yy:02d}").year == 2000 + this_yy


def test_date_and_datetime_objects_are_accepted() -> None:
    assert parse_date(MARCH_5) == MARCH_5
    assert parse_date(datetime(2024, 3, 5, 23, 59)) == MARCH_5


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("31/02/2020", "February 2020 has 29 days"),
        ("2021-02-29", "February 2021 has 28 days"),
        ("2024-13-01", "month 13 is out of range"),
        ("31/04/2024", "April 2024 has 30 days"),
        ("13/13/2024", "neither 13 nor 13 can be a month"),
        ("00/03/2024", "day 0"),
        ("5 Foo 2024", "month name 'Foo'"),
        ("yesterday", "not in a recognised format"),
        ("2024", "not in a recognised format"),
        ("", "empty"),
    ],
)
def test_impossible_dates_raise_naming_the_date_and_the_reason(raw: str, fragment: str) -> None:
    with pytest.raises(InvalidValue, match="date") as info:
        parse_date(raw)
    assert fragment in str(info.value)
    if raw:
        assert raw in str(info.value)


TODAY = date(2024, 6, 1)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("05/03/1985", date(1985, 3, 5)), ("1900-01-01", date(1900, 1, 1)), ("01/06/2024", TODAY)],
)
def test_birth_dates_between_1900_and_today_are_accepted(raw: str, expected: date) -> None:
    assert parse_birth_date(raw, today=TODAY) == expected


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("02/06/2024", "in the future"),
        ("2031-01-01", "in the future"),
        ("1899-12-31", "before 1900"),
        ("01/01/1800", "before 1900"),
        ("31/02/1990", "February 1990 has 28 days"),
    ],
)
def test_birth_dates_in_the_future_or_before_1900_are_rejected(raw: str, fragment: str) -> None:
    with pytest.raises(InvalidValue) as info:
        parse_birth_date(raw, today=TODAY)
    assert fragment in str(info.value)


def test_two_digit_birth_year_pivots_on_the_given_today() -> None:
    assert parse_birth_date("05/03/30", today=TODAY) == date(1930, 3, 5)
    assert parse_birth_date("05/03/20", today=TODAY) == date(2020, 3, 5)


PLUS_2 = timezone(timedelta(hours=2))


@pytest.mark.parametrize(
    ("raw", "day_first", "expected"),
    [
        ("2024-03-05T14:30:00Z", True, datetime(2024, 3, 5, 14, 30, tzinfo=UTC)),
        ("2024-03-05t14:30z", True, datetime(2024, 3, 5, 14, 30, tzinfo=UTC)),
        ("2024-03-05 14:30", True, datetime(2024, 3, 5, 14, 30, tzinfo=UTC)),
        ("2024-03-05T14:30:00+02:00", True, datetime(2024, 3, 5, 14, 30, tzinfo=PLUS_2)),
        ("2024-03-05T14:30:00+0200", True, datetime(2024, 3, 5, 14, 30, tzinfo=PLUS_2)),
        (
            "2024-03-05T14:30:00.123456789Z",
            True,
            datetime(2024, 3, 5, 14, 30, 0, 123456, tzinfo=UTC),
        ),
        ("2024-03-05 14:30:00 UTC", True, datetime(2024, 3, 5, 14, 30, tzinfo=UTC)),
        ("2024-03-05", True, datetime(2024, 3, 5, tzinfo=UTC)),
        ("05/03/2024 14:30", True, datetime(2024, 3, 5, 14, 30, tzinfo=UTC)),
        ("03/05/2024 2:30 PM", False, datetime(2024, 3, 5, 14, 30, tzinfo=UTC)),
        ("03/05/2024 12:05 am", False, datetime(2024, 3, 5, 0, 5, tzinfo=UTC)),
        ("5 Mar 2024 14:30 +02:00", True, datetime(2024, 3, 5, 14, 30, tzinfo=PLUS_2)),
        ("1709649000", True, datetime(2024, 3, 5, 14, 30, tzinfo=UTC)),
        ("1709649000123", True, datetime(2024, 3, 5, 14, 30, 0, 123000, tzinfo=UTC)),
        ("20240305143000", True, datetime(2024, 3, 5, 14, 30, tzinfo=UTC)),
    ],
)
def test_timestamps_parse_to_aware_datetimes_with_naive_input_taken_as_utc(
    raw: str, day_first: bool, expected: datetime
) -> None:
    parsed = parse_datetime(raw, day_first=day_first)
    assert parsed == expected
    assert parsed.utcoffset() == expected.utcoffset()


def test_datetime_objects_numbers_and_dates_are_accepted_leniently() -> None:
    naive = datetime(2024, 3, 5, 14, 30)
    assert parse_datetime(naive) == naive.replace(tzinfo=UTC)
    aware = datetime(2024, 3, 5, 14, 30, tzinfo=PLUS_2)
    assert parse_datetime(aware) is aware
    assert parse_datetime(MARCH_5) == datetime(2024, 3, 5, tzinfo=UTC)
    assert parse_datetime(1709649000) == datetime(2024, 3, 5, 14, 30, tzinfo=UTC)
    assert parse_datetime(1709649000123) == datetime(2024, 3, 5, 14, 30, 0, 123000, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("2024-02-30T10:00", "February 2024 has 29 days"),
        ("05/03/2024 25:00", "out of range"),
        ("05/03/2024 13:00 PM", "with AM/PM"),
        ("20240305256000", "out of range"),
        ("2024-03-05T14:30:00+25:00", "impossible UTC offset"),
        ("next tuesday", "not in a recognised format"),
        ("", "empty"),
    ],
)
def test_impossible_timestamps_raise_with_the_reason(raw: str, fragment: str) -> None:
    with pytest.raises(InvalidValue) as info:
        parse_datetime(raw)
    assert fragment in str(info.value)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)), st.booleans())
def test_dates_round_trip_through_every_numeric_spelling(day: date, day_first: bool) -> None:
    dm = day.strftime("%d/%m/%Y") if day_first else day.strftime("%m/%d/%Y")
    for text in (day.isoformat(), day.strftime("%Y%m%d"), dm, day.strftime("%d %B %Y")):
        assert parse_date(text, day_first=day_first) == day


@given(st.one_of(st.text(), st.from_regex(r"[0-9]{1,4}[/.: -]?[0-9]{1,2}[/.: -]?[0-9]{0,4}")))
def test_junk_is_rejected_with_invalid_value_and_nothing_else(raw: str) -> None:
    for parse in (parse_date, parse_datetime, parse_birth_date):
        with contextlib.suppress(InvalidValue):
            parse(raw)
