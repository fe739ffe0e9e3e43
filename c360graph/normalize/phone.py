"""Phone numbers: E.164 via libphonenumber, and the line type used for householding."""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType
from phonenumbers import ValidationResult as _Reason

from c360graph.normalize import InvalidValue

_EXAMPLE = "expected a number like +44 20 7946 0958, or a national number plus its region"
# Extensions are dropped: they reach a desk, not a different customer.
_EXTENSION = re.compile(
    r"(?:;ext=|[\s,]*(?:extension|ext\.?|x|#|~)\s*:?\s*)\d{1,7}\s*#?\s*\Z", re.IGNORECASE
)
_LETTER = re.compile(r"[^\W\d_]")
_TEL = re.compile(r"tel:", re.IGNORECASE)
_REASONS = {
    _Reason.TOO_SHORT: "is too short",
    _Reason.TOO_LONG: "is too long",
    _Reason.INVALID_LENGTH: "has the wrong number of digits",
    _Reason.INVALID_COUNTRY_CODE: "has an unknown country code",
}
_PARSE_ERRORS = {
    NumberParseException.INVALID_COUNTRY_CODE: "has an unknown country code",
    NumberParseException.NOT_A_NUMBER: "is not a phone number",
    NumberParseException.TOO_SHORT_AFTER_IDD: "is too short after the international prefix",
    NumberParseException.TOO_SHORT_NSN: "is too short",
    NumberParseException.TOO_LONG: "is too long",
}


_LINE_TYPES = {
    PhoneNumberType.MOBILE: "mobile",
    PhoneNumberType.FIXED_LINE: "fixed_line",
    PhoneNumberType.FIXED_LINE_OR_MOBILE: "fixed_line_or_mobile",
    PhoneNumberType.VOIP: "voip",
    PhoneNumberType.TOLL_FREE: "toll_free",
}


_MEMO_SIZE = 65536
_LINE_TYPE_MEMO: dict[str, str] = {}


@lru_cache(maxsize=_MEMO_SIZE)
def _to_e164(raw: str, region: str) -> tuple[str, str]:
    """Return (e164, "") or ("", reason); errors are cached too, as junk values repeat."""
    text = raw.strip()
    if _TEL.match(text):
        text = text[4:].split(";", 1)[0]
    text = _EXTENSION.sub("", text)
    if _LETTER.search(text):
        return "", "contains letters; vanity numbers like 1-800-FLOWERS are not accepted"
    digits = [ch for ch in text if ch.isdigit()]
    if len(set(digits)) == 1:
        return "", "repeats one digit, which marks a placeholder rather than a number"
    try:
        number = phonenumbers.parse(text, region)
    except NumberParseException as exc:
        if region not in phonenumbers.SUPPORTED_REGIONS and not text.lstrip().startswith("+"):
            return "", f"has no +country code and {region!r} is not a region code like GB or US"
        return "", _PARSE_ERRORS.get(exc.error_type, "is not a phone number")
    if len(set(str(number.national_number))) == 1:
        return "", "repeats one digit, which marks a placeholder rather than a number"
    if not phonenumbers.is_valid_number(number):
        why = phonenumbers.is_possible_number_with_reason(number)
        reason = _REASONS.get(why, "is not a number in use in its country's numbering plan")
        return "", f"{reason} for country code +{number.country_code}"
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    # Ingest asks for the line type of every number it normalizes: work it out while the
    # parsed number is at hand instead of parsing the E.164 string again.
    if len(_LINE_TYPE_MEMO) >= _MEMO_SIZE:
        _LINE_TYPE_MEMO.clear()
    _LINE_TYPE_MEMO[e164] = _LINE_TYPES.get(phonenumbers.number_type(number), "other")
    return e164, ""


def normalize_phone(raw: str, default_region: str = "GB") -> str:
    """Return raw as an E.164 string ("+442079460958"), or raise InvalidValue."""
    if raw is None or not raw.strip():
        raise InvalidValue(f"phone is empty; {_EXAMPLE}, or leave the field out")
    e164, reason = _to_e164(raw, default_region.upper())
    if reason:
        raise InvalidValue(
            f"phone {raw!r} {reason}; {_EXAMPLE} (region assumed: {default_region.upper()})"
        )
    return e164


def phone_line_type(e164: str) -> str:
    """Return mobile, fixed_line, fixed_line_or_mobile, voip, toll_free or other for an E.164."""
    known = _LINE_TYPE_MEMO.get(e164)
    if known is not None:
        return known
    try:
        number = phonenumbers.parse(e164, None)
    except NumberParseException:
        raise InvalidValue(
            f"phone {e164!r} is not in E.164 form; pass the output of normalize_phone"
        ) from None
    return _LINE_TYPES.get(phonenumbers.number_type(number), "other")
