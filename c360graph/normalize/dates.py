"""Dates and timestamps in the spellings source systems actually export."""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime, time, timedelta, timezone

from c360graph.normalize import InvalidValue
from c360graph.normalize.name import fold

_FORMATS = "expected e.g. 2024-03-05, 05/03/2024, 5 Mar 2024 or 20240305"
_TIME = (
    r"(?:(?:\s*T\s*|\s+)(?P<hour>\d{1,2}):(?P<minute>\d{2})"
    r"(?::(?P<second>\d{2})(?:[.,](?P<fraction>\d{1,9}))?)?"
    r"(?:\s*(?P<ampm>[ap])\.?m\.?)?"
    r"\s*(?P<tz>z|utc|gmt|[+-]\d{2}(?::?\d{2})?)?)?"
)
_SPLIT = re.compile(r"(?P<date>.+?)" + _TIME, re.IGNORECASE)
_YMD = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})")
_DMY = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_ORD = r"(?:st|nd|rd|th)?\.?"
_DAY_NAMED_MONTH = re.compile(
    rf"(\d{{1,2}}){_ORD}[\s/-]*(?:de\s+)?([^\W\d_]+)\.?,?[\s/-]*(?:de\s+)?(\d{{4}}|\d{{2}})",
    re.IGNORECASE,
)
_NAMED_MONTH_DAY = re.compile(rf"([^\W\d_]+)\.?\s*(\d{{1,2}}){_ORD},?\s+(\d{{4}})", re.IGNORECASE)
_EPOCH = re.compile(r"(\d{10}|\d{13})(?:\.(\d{1,6}))?")
_STAMP = re.compile(r"(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})")
_ISO_START = re.compile(r"\d{4}-\d{2}-\d{2}")
_UTC_WORD = re.compile(r"\s*(?:UTC|GMT)\Z")

_MONTH_NAMES = (
    "january jan januar janner janvier janv enero ene",
    "february feb februar fevrier fevr fev febrero",
    "march mar marz maerz mrz mars marzo",
    "april apr avril avr abril abr",
    "may mai mayo",
    "june jun juni juin junio",
    "july jul juli juillet juil julio",
    "august aug aout agosto ago",
    "september sep sept septembre septiembre setiembre set",
    "october oct oktober okt octobre octubre",
    "november nov noviembre",
    "december dec dezember dez decembre diciembre dic",
)
_MONTHS = {word: n for n, words in enumerate(_MONTH_NAMES, 1) for word in words.split()}


def _invalid_date(raw: object, why: str) -> InvalidValue:
    return InvalidValue(
        f"date '{raw}' is not a real date: {why}; fix the value, or check that the day/month "
        "order of the source matches day_first"
    )


def _year(text: str, this_year: int | None) -> int:
    if len(text) == 4:
        return int(text)
    current = (this_year or date.today().year) % 100
    yy = int(text)
    return 1900 + yy if yy > current else 2000 + yy


def _build(raw: object, year: int, month: int, day: int) -> date:
    if not 1 <= month <= 12:
        raise _invalid_date(raw, f"month {month} is out of range 1-12")
    if not 1 <= year <= 9999:
        raise _invalid_date(raw, f"year {year} is out of range")
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        name = calendar.month_name[month]
        raise _invalid_date(raw, f"day {day} is out of range: {name} {year} has {days} days")
    return date(year, month, day)


def _month(raw: object, word: str) -> int:
    month = _MONTHS.get(fold(word))
    if month is None:
        raise InvalidValue(f"date '{raw}' has a month name {word!r} that is not recognised; "
                           "use English, German, French or Spanish names, or digits")  # fmt: skip
    return month


def _parse_date_text(raw: object, text: str, day_first: bool, this_year: int | None) -> date:
    if m := _YMD.fullmatch(text):
        return _build(raw, int(m[1]), int(m[3]), int(m[4]))
    if m := _DMY.fullmatch(text):
        first, second = int(m[1]), int(m[3])
        if first > 12 and second > 12:
            raise _invalid_date(raw, f"neither {first} nor {second} can be a month")
        # Only when both parts could be a month does day_first decide the order.
        if first > 12 or (second <= 12 and day_first):
            day, month = first, second
        else:
            day, month = second, first
        return _build(raw, _year(m[4], this_year), month, day)
    if m := _COMPACT.fullmatch(text):
        return _build(raw, int(m[1]), int(m[2]), int(m[3]))
    if m := _DAY_NAMED_MONTH.fullmatch(text):
        return _build(raw, _year(m[3], this_year), _month(raw, m[2]), int(m[1]))
    if m := _NAMED_MONTH_DAY.fullmatch(text):
        return _build(raw, int(m[3]), _month(raw, m[1]), int(m[2]))
    raise InvalidValue(f"date '{raw}' is not in a recognised format; {_FORMATS}")


def _parse(raw: str, day_first: bool, this_year: int | None) -> date:
    text = " ".join(str(raw).split())  # str(): be lenient with a reader that hands over ints
    if not text:
        raise InvalidValue(f"date is empty; {_FORMATS}, or leave the field out")
    m = _SPLIT.fullmatch(text)
    date_text = m["date"] if m else text
    return _parse_date_text(raw, date_text, day_first, this_year)


def parse_date(raw: str | date, day_first: bool = True) -> date:
    """Return the calendar date written in raw (any common format), or raise InvalidValue."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    return _parse(raw, day_first, None)


def parse_birth_date(raw: str | date, day_first: bool = True, today: date | None = None) -> date:
    """Return a date of birth between 1900-01-01 and today, or raise InvalidValue."""
    today = today or date.today()
    if isinstance(raw, datetime):
        born = raw.date()
    elif isinstance(raw, date):
        born = raw
    else:
        born = _parse(raw, day_first, today.year)
    if born > today:
        raise InvalidValue(
            f"date of birth '{raw}' ({born.isoformat()}) is in the future (today is "
            f"{today.isoformat()}); check the year and the day/month order"
        )
    if born.year < 1900:
        raise InvalidValue(
            f"date of birth '{raw}' ({born.isoformat()}) is before 1900; check the year, "
            "or leave the field out if it is a placeholder"
        )
    return born


def _zone(raw: object, text: str | None) -> timezone:
    if text is None or text.lower() in ("z", "utc", "gmt"):
        return UTC
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 23 or minutes > 59:
        raise InvalidValue(
            f"timestamp '{raw}' has an impossible UTC offset {text}; use e.g. +02:00"
        )
    offset = timedelta(hours=hours, minutes=minutes)
    return timezone(-offset if text[0] == "-" else offset)


def _clock(raw: object, hour: int, minute: int, second: int, micro: int, tz: timezone) -> time:
    if hour > 23 or minute > 59 or second > 59:
        raise InvalidValue(f"time in '{raw}' is out of range; expected HH:MM[:SS] up to 23:59:59")
    return time(hour, minute, second, micro, tzinfo=tz)


def _clock_of(raw: object, m: re.Match[str]) -> time:
    hour = int(m["hour"])
    if m["ampm"]:
        if not 1 <= hour <= 12:
            raise InvalidValue(f"time in '{raw}' has hour {hour} with AM/PM; use 1-12 or 24h")
        hour = hour % 12 + (12 if m["ampm"].lower() == "p" else 0)
    micro = int((m["fraction"] or "0")[:6].ljust(6, "0"))
    return _clock(raw, hour, int(m["minute"]), int(m["second"] or 0), micro, _zone(raw, m["tz"]))


def _from_epoch(raw: object, seconds: float) -> datetime:
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        raise InvalidValue(f"timestamp '{raw}' is out of range as Unix seconds") from None


def parse_datetime(raw: str | int | float | date, day_first: bool = True) -> datetime:
    """Return an aware datetime (naive input taken as UTC; offsets kept), or raise InvalidValue."""
    if isinstance(raw, datetime):
        return raw if raw.tzinfo is not None else raw.replace(tzinfo=UTC)
    if isinstance(raw, date):
        return datetime.combine(raw, time(), UTC)
    if isinstance(raw, bool):
        raise InvalidValue(f"timestamp {raw!r} is a boolean; expected e.g. 2024-03-05T14:30:00Z")
    if isinstance(raw, int | float):
        return _from_epoch(raw, raw / 1000 if abs(raw) >= 1e11 else raw)
    text = " ".join(raw.split())
    if m := _EPOCH.fullmatch(text):
        return _from_epoch(raw, float(text) / (1000 if len(m[1]) == 13 else 1))
    if m := _STAMP.fullmatch(text):
        day = _build(raw, int(m[1]), int(m[2]), int(m[3]))
        return datetime.combine(day, _clock(raw, int(m[4]), int(m[5]), int(m[6]), 0, UTC))
    if _ISO_START.match(text):
        try:
            parsed = datetime.fromisoformat(_UTC_WORD.sub("+00:00", text.upper()))
        except ValueError:
            pass  # the general path below says what is wrong
        else:
            return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
    m = _SPLIT.fullmatch(text)
    if m is None:
        raise InvalidValue("timestamp is empty; expected e.g. 2024-03-05T14:30:00Z")
    day = _parse_date_text(raw, m["date"], day_first, None)
    if m["hour"] is None:
        return datetime.combine(day, time(), UTC)
    return datetime.combine(day, _clock_of(raw, m))
