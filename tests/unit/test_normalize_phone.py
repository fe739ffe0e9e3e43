"""normalize_phone and phone_line_type on numbers as customers and call centres type them."""

from __future__ import annotations

import phonenumbers
import pytest

from c360graph.normalize import InvalidValue
from c360graph.normalize.phone import normalize_phone, phone_line_type

VALID = [
    ("+44 20 7946 0958", "GB", "+442079460958"),
    ("020 7946 0958", "GB", "+442079460958"),
    ("0207 946 0958", "GB", "+442079460958"),
    ("0044 20 7946 0958", "GB", "+442079460958"),
    ("+44 (0) 20 7946 0958", "GB", "+442079460958"),
    ("0044 (0)20 7946 0958", "GB", "+442079460958"),
    ("tel:+44-20-7946-0958", "GB", "+442079460958"),
    ("020 7946 0958 x 204", "GB", "+442079460958"),
    ("+44 20 7946 0958 ext. 123", "GB", "+442079460958"),
    ("07911 123456", "GB", "+447911123456"),
    ("020 7946 0958", "gb", "+442079460958"),  # region case does not matter
    ("(201) 555-0123", "US", "+12015550123"),
    ("+1 212-555-0100 ext 12", "US", "+12125550100"),
    ("tel:+1-201-555-0123;ext=1234", "GB", "+12015550123"),
    ("1 800 356 9377", "US", "+18003569377"),
    ("030 901820", "DE", "+4930901820"),
    ("+49 (0)30 901820", "GB", "+4930901820"),
    ("0170 1234567", "DE", "+491701234567"),
    ("01 42 68 53 00", "FR", "+33142685300"),
    ("+33 6 12 34 56 78", "GB", "+33612345678"),
    ("912 345 678", "ES", "+34912345678"),
    ("0912 345 678", "VN", "+84912345678"),
    ("+84 24 3825 3536", "GB", "+842438253536"),
]


@pytest.mark.parametrize(("raw", "region", "expected"), VALID)
def test_national_international_and_extension_forms_become_one_e164(
    raw: str, region: str, expected: str
) -> None:
    assert normalize_phone(raw, region) == expected


@pytest.mark.parametrize(("raw", "region", "expected"), VALID)
def test_normalize_phone_is_idempotent_on_its_own_output(
    raw: str, region: str, expected: str
) -> None:
    assert normalize_phone(normalize_phone(raw, region), "US") == expected


@pytest.mark.parametrize(
    ("raw", "region", "fragment"),
    [
        ("1-800-FLOWERS", "US", "vanity numbers"),
        ("0800 FLOWERS", "GB", "contains letters"),
        ("0000000000", "GB", "repeats one digit"),
        ("+1 111 111 1111", "GB", "repeats one digit"),
        ("99999 999999", "GB", "repeats one digit"),
        ("12", "GB", "too short"),
        ("+44 20 7946 09581", "GB", "too long"),
        ("(555) 123-4567", "US", "not a number in use"),  # 555 is not an area code
        ("+44 1632 960123", "GB", "not a number in use"),  # Ofcom drama range, unassigned
        ("+999 123 456", "GB", "unknown country code"),
        ("020 7946 0958", "XX", "not a region code"),
        ("call me", "GB", "contains letters"),
        ("", "GB", "empty"),
        ("   ", "GB", "empty"),
    ],
)
def test_invalid_numbers_raise_a_message_naming_the_fault_and_the_expected_form(
    raw: str, region: str, fragment: str
) -> None:
    with pytest.raises(InvalidValue, match=r"\+44 20 7946 0958") as info:
        normalize_phone(raw, region)
    assert fragment in str(info.value)


def test_invalid_number_is_rejected_again_when_repeated_through_the_cache() -> None:
    for _ in range(3):
        with pytest.raises(InvalidValue, match="repeats one digit"):
            normalize_phone("0000000000")


@pytest.mark.parametrize(
    ("e164", "expected"),
    [
        ("+442079460958", "fixed_line"),
        ("+447911123456", "mobile"),
        ("+44800111999", "toll_free"),
        ("+445612345678", "voip"),
        ("+12015550123", "fixed_line_or_mobile"),
        ("+491701234567", "mobile"),
        ("+842438253536", "fixed_line"),
        ("+84912345678", "mobile"),
        ("+449090123456", "other"),  # premium rate
    ],
)
def test_line_type_tells_shared_landlines_from_personal_mobiles(e164: str, expected: str) -> None:
    assert phone_line_type(e164) == expected


def test_line_type_of_a_non_e164_value_says_to_normalize_first() -> None:
    with pytest.raises(InvalidValue, match="normalize_phone"):
        phone_line_type("not a number")


@pytest.mark.parametrize(("raw", "region", "expected"), VALID)
def test_line_type_remembered_during_normalization_matches_libphonenumber(
    raw: str, region: str, expected: str
) -> None:
    fresh = phonenumbers.number_type(phonenumbers.parse(expected, None))
    assert phone_line_type(normalize_phone(raw, region)) == _NAMES.get(fresh, "other")


_NAMES = {
    phonenumbers.PhoneNumberType.MOBILE: "mobile",
    phonenumbers.PhoneNumberType.FIXED_LINE: "fixed_line",
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE: "fixed_line_or_mobile",
    phonenumbers.PhoneNumberType.VOIP: "voip",
    phonenumbers.PhoneNumberType.TOLL_FREE: "toll_free",
}
