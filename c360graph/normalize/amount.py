"""Money amounts: parsed by the source's locale, judged by the currency's ISO 4217 minor units.

Edge cases, decided:
- With a locale (the mapping's `locale`, e.g. vi_VN), Babel parses strictly with that
  locale's separators: in vi_VN `450.000` is 450000 and `12,5` is 12.5.
- Without one, one separator used once is a decimal point only when the digits after it fit
  the currency's minor units: `450.000` VND (0 minor digits) and `1,250` EUR (2) are
  thousands; `12.50` EUR is 12.5. When the currency is unknown, 3 digits after a single
  separator could be either, so the value is refused as ambiguous rather than guessed.
- More decimals than the currency has (`12,345` VND in vi_VN) is refused: such a value is
  a mistake in the export or the mapping, and a silently rounded amount is a wrong one.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.numbers import (
    NumberFormatError,
    format_currency,
    format_decimal,
    get_currency_precision,
    list_currencies,
    parse_decimal,
)

from c360graph.normalize import InvalidValue

# Symbols that name one currency wherever they appear ("$" alone is read as USD).
_SYMBOLS = {"£": "GBP", "€": "EUR", "$": "USD", "₫": "VND", "¥": "JPY", "₹": "INR", "₩": "KRW"}
# A trailing "đ" (or "Đ") is how Vietnamese shops write dong: "450.000đ".
_DONG_SUFFIX = re.compile(r"\s*[đĐ]\.?$")
_CODE = re.compile(r"^\s*(?P<pre>[A-Za-z]{3})?\s*(?P<body>.*?)\s*(?P<post>[A-Za-z]{3})?\s*$")
_NUMBER = re.compile(r"[-+]?\s*\d[\d\s.,'’\u00a0\u202f]*")
_SPACING = re.compile(r"[\s'’\u00a0\u202f]")
_SHOWN = 40
_TOO_LARGE = Decimal("1e15")  # no order is worth this much in any currency


@dataclass(frozen=True)
class Amount:
    """A parsed amount and the currency the text itself named (a symbol or a code), if any."""

    value: float
    currency: str | None


@cache
def currencies() -> frozenset[str]:
    """Every ISO 4217 code Babel knows."""
    return frozenset(list_currencies())


def minor_digits(currency: str) -> int:
    """The currency's minor units (ISO 4217): 2 for EUR, 0 for VND and JPY."""
    return int(get_currency_precision(currency))


def check_locale(name: str) -> str:
    """The locale identifier in Babel's spelling (vi-VN -> vi_VN); InvalidValue if unknown."""
    try:
        return str(Locale.parse(name.replace("-", "_")))
    except (UnknownLocaleError, ValueError, TypeError) as exc:
        raise InvalidValue(
            f"locale {name!r} is not one Babel knows; use a language and country like vi_VN"
        ) from exc


def check_currency(code: str) -> str:
    """An upper-case ISO 4217 code; InvalidValue when it is not one."""
    upper = code.strip().upper()
    if upper not in currencies():
        raise InvalidValue(f"{code!r} is not an ISO 4217 currency code like VND or EUR")
    return upper


def _shown(raw: str) -> str:
    return raw if len(raw) <= _SHOWN else f"{raw[:20]}...({len(raw)} characters)"


def _named_currency(raw: str) -> tuple[str, str | None]:
    """The text without its currency symbol or code, and the currency they named."""
    named: set[str] = set()
    for symbol, code in _SYMBOLS.items():
        if symbol in raw:
            named.add(code)
            raw = raw.replace(symbol, " ")
    if _DONG_SUFFIX.search(raw):
        named.add("VND")
        raw = _DONG_SUFFIX.sub("", raw)
    match = _CODE.fullmatch(raw)
    body = raw
    if match:
        body = match["body"]
        for part in (match["pre"], match["post"]):
            if part and part.upper() in currencies():
                named.add(part.upper())
            elif part:
                body = raw  # letters that are not a currency code stay and fail below
    if len(named) > 1:
        raise InvalidValue(f"names two currencies ({', '.join(sorted(named))})")
    return body.strip(), next(iter(named), None)


def _guess_separators(text: str, precision: int | None) -> str:
    """The number in Python's spelling, reading separators by the currency's minor units."""
    if "," in text and "." in text:
        last = max(text.rfind(","), text.rfind("."))
        group = "," if text[last] == "." else "."
        return text.replace(group, "").replace(",", ".")
    for sep in (",", "."):
        count = text.count(sep)
        if count > 1:
            return text.replace(sep, "")
        if count == 1:
            digits = len(text) - text.rfind(sep) - 1
            if digits == 3 and precision is None:
                raise InvalidValue(
                    "could be thousands or decimals, and the currency is unknown; set the "
                    "mapping's `locale` (e.g. vi_VN) or `currency`, or add a currency column"
                )
            if digits == 3 and precision is not None and precision < 3:
                return text.replace(sep, "")
            return text.replace(sep, ".")
    return text


def parse_amount(raw: str, locale: str | None = None, currency: str | None = None) -> Amount:
    """Parse an amount ('450.000 ₫', '£1,234.50'); InvalidValue saying why when it is not one.

    `locale` is the source's (None: separators are read by the currency's minor units);
    `currency` is the one known from elsewhere (a column, the mapping's default).
    """
    try:
        body, named = _named_currency(raw)
    except InvalidValue as exc:
        raise InvalidValue(f"amount {_shown(raw)!r} {exc}; keep one") from exc
    if named and currency and named != currency:
        raise InvalidValue(
            f"amount {_shown(raw)!r} is in {named} but the row says {currency}; correct one"
        )
    currency = named or currency
    number = _NUMBER.fullmatch(body)
    if number is None:
        raise InvalidValue(
            f"amount {_shown(raw)!r} is not a number; expected e.g. 12.50, £1,234.50 or 450.000 ₫"
        )
    text = _SPACING.sub("", number.group())
    precision = minor_digits(currency) if currency else None
    try:
        if locale:
            value = parse_decimal(text, locale=locale, strict=True)
        else:
            value = Decimal(_guess_separators(text, precision))
    except (NumberFormatError, InvalidOperation) as exc:
        raise InvalidValue(
            f"amount {_shown(raw)!r} is not a number as {locale} writes them"
            + (f" ({_example(locale, currency)})" if locale else "")
            + "; correct the value or the mapping's `locale`"
        ) from exc
    except InvalidValue as exc:
        raise InvalidValue(f"amount {_shown(raw)!r} {exc}") from exc
    if not value.is_finite() or not math.isfinite(float(value)) or abs(value) >= _TOO_LARGE:
        raise InvalidValue(f"amount {_shown(raw)!r} is too large to be an amount; check it")
    decimals = -int(value.normalize().as_tuple().exponent)
    if precision is not None and decimals > precision:
        raise InvalidValue(
            f"amount {_shown(raw)!r} has {decimals} decimal digit(s) but {currency} has "
            f"{precision}; check the value, or the mapping's `locale` if it reads separators "
            "wrongly"
        )
    return Amount(float(value), named)


def _example(locale: str, currency: str | None) -> str:
    return "e.g. " + format_currency(1250000, currency or "EUR", locale=locale)


def display_amount(value: float, currency: str | None, locale: str) -> str:
    """An amount for people: '1.250.000 ₫' in vi_VN, '€1,234.50' in en_GB; grouped digits."""
    if currency and currency in currencies():
        return str(format_currency(value, currency, locale=locale))
    return str(format_decimal(value, locale=locale))


DEFAULT_DISPLAY_LOCALE = "en_GB"  # when no source declared a locale


def display_locale(declared: Sequence[tuple[str, int]]) -> str:
    """The locale amounts are shown in: the one most sources declared (ties: by name), else
    en_GB. `declared` holds (locale, sources declaring it) pairs."""
    if not declared:
        return DEFAULT_DISPLAY_LOCALE
    return min(declared, key=lambda pair: (-pair[1], pair[0]))[0]


def round_to_minor(value: float, currency: str | None) -> float:
    """The value rounded to the currency's minor units (VND: whole dong; EUR: cents)."""
    digits = minor_digits(currency) if currency and currency in currencies() else 2
    return round(value, digits)
