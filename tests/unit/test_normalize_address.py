"""normalize_address and address_line_key on UK, German, French, Spanish and Vietnamese data."""

from __future__ import annotations

import pytest

from c360graph.normalize.address import (
    NormalizedAddress,
    address_line_key,
    city_key,
    normalize_address,
)


def test_all_caps_uk_address_is_title_cased_with_iso_country_and_spaced_postcode() -> None:
    assert normalize_address(
        "10 DOWNING STREET", city="LONDON", postcode="sw1a2aa", country="United Kingdom"
    ) == NormalizedAddress(
        line1="10 Downing Street",
        line2=None,
        city="London",
        postcode="SW1A 2AA",
        region=None,
        country="GB",
        key="10 downing st||sw1a2aa|gb",
    )


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (
            {"line1": "10 Downing Street", "city": "London", "postcode": "SW1A 2AA"},
            {
                "line1": "10 DOWNING ST.",
                "city": "Westminster",
                "postcode": "sw1a2aa",
                "country": "UK",
            },
        ),
        (
            {"line1": "Flat 3, 22 Baker Road", "postcode": "NW1 6XE"},
            {"line1": "Apt. 3 22 Baker Rd", "postcode": "NW16XE", "country": "England"},
        ),
        (
            {"line1": "Hauptstraße 5", "postcode": "01067", "country": "Deutschland"},
            {"line1": "Hauptstr. 5", "postcode": "D-01067", "country": "DEU"},
        ),
        (
            {"line1": "Berliner Straße 12", "postcode": "1067", "country": "DE"},  # Excel ate the 0
            {"line1": "Berliner Str. 12", "postcode": "01067", "country": "Germany"},
        ),
        (
            {"line1": "Số 12 Đường Lê Lợi", "postcode": "700000", "country": "Việt Nam"},
            {"line1": "12 duong Le Loi", "postcode": "700000", "country": "Vietnam"},
        ),
        (
            {"line1": "12, rue de l’Église", "postcode": "75004", "country": "France"},
            {"line1": "12 RUE DE L'EGLISE", "postcode": "75 004", "country": "FRA"},
        ),
        (
            {"line1": "Avenida de América 7", "postcode": "28002", "country": "España"},
            {"line1": "Avda. de America, 7", "postcode": "28002", "country": "Spain"},
        ),
        (
            {"line1": "1600 Pennsylvania Avenue NW", "postcode": "20500", "country": "USA"},
            {"line1": "1600 Pennsylvania Ave. N.W.", "postcode": "20500-0003", "country": "US"},
        ),
        (
            {"line1": "No. 5 Main Street", "line2": "Apartment 3", "city": "Dublin"},
            {"line1": "#5 Main St", "line2": "Apt 3", "city": "DUBLIN"},
        ),
    ],
)
def test_spellings_of_one_address_share_a_key(left: dict[str, str], right: dict[str, str]) -> None:
    a, b = normalize_address(**left), normalize_address(**right)
    assert a is not None
    assert b is not None
    assert a.key == b.key


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ({"line1": "10 Downing St", "postcode": "SW1A 2AA"}, {"line1": "11 Downing St"}),
        ({"line1": "10 High St", "city": "Leeds"}, {"line1": "10 High St", "city": "York"}),
        (
            {"line1": "10 High St", "postcode": "LS1 1AA"},
            {"line1": "10 High St", "postcode": "LS11AB"},
        ),
        ({"line1": "5 Main St", "country": "IE"}, {"line1": "5 Main St", "country": "GB"}),
    ],
)
def test_different_addresses_get_different_keys(
    left: dict[str, str], right: dict[str, str]
) -> None:
    a, b = normalize_address(**left), normalize_address(**right)
    assert a is not None
    assert b is not None
    assert a.key != b.key


@pytest.mark.parametrize(
    ("country", "expected"),
    [
        ("United Kingdom", "GB"),
        ("UK", "GB"),
        ("Great Britain", "GB"),
        ("gbr", "GB"),
        ("Deutschland", "DE"),
        ("Việt Nam", "VN"),
        ("VIETNAM", "VN"),
        ("U.S.A.", "US"),
        ("United States", "US"),
        ("España", "ES"),
        ("Österreich", "AT"),
        ("fr", "FR"),
        ("NA", "NA"),  # Namibia, not "n/a"
        ("Atlantis", "ATLANTIS"),
        (None, "GB"),  # default_country
    ],
)
def test_countries_become_iso_alpha2_from_codes_and_english_or_native_names(
    country: str | None, expected: str
) -> None:
    address = normalize_address("1 Main St", city="Somewhere", country=country)
    assert address is not None
    assert address.country == expected


@pytest.mark.parametrize(
    ("postcode", "country", "expected"),
    [
        ("sw1a1aa", "GB", "SW1A 1AA"),
        ("SW1A  1AA", "GB", "SW1A 1AA"),
        ("m11ae", "GB", "M1 1AE"),
        ("gir0aa", "GB", "GIR 0AA"),
        ("not a code", "GB", "NOT A CODE"),
        ("D-10115", "DE", "10115"),
        ("1067", "DE", "01067"),
        ("75 004", "FR", "75004"),
        ("CH-8001", "CH", "8001"),
        ("F 75001", "FR", "75001"),
        ("700000", "VN", "700000"),
        ("2134", "US", "02134"),
        ("205000003", "US", "20500-0003"),
        ("1012 ab", "NL", "1012 AB"),
        ("k1a 0b1", "CA", "K1A 0B1"),
    ],
)
def test_postcodes_are_upper_cased_spaced_for_gb_and_digits_only_for_numeric_systems(
    postcode: str, country: str, expected: str
) -> None:
    address = normalize_address("1 Main St", postcode=postcode, country=country)
    assert address is not None
    assert address.postcode == expected


def test_city_is_in_the_key_only_when_there_is_no_postcode() -> None:
    with_code = normalize_address("1 Main St", city="Leeds", postcode="LS1 1AA")
    without = normalize_address("1 Main St", city="Leeds")
    assert with_code is not None
    assert without is not None
    assert with_code.key == "1 main st||ls11aa|gb"
    assert without.key == "1 main st||leeds|gb"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"line1": None},
        {"line1": "   ", "city": "", "postcode": None},
        {"line1": "N/A", "region": "Bavaria", "country": "DE"},
        {"line1": "-", "country": "GB"},
    ],
)
def test_nothing_usable_gives_none(kwargs: dict[str, str | None]) -> None:
    assert normalize_address(**kwargs) is None


def test_line2_moves_up_when_line1_is_blank() -> None:
    address = normalize_address("", line2="Unit 4", city="Leeds")
    assert address is not None
    assert (address.line1, address.line2, address.key) == ("Unit 4", None, "apt 4||leeds|gb")


def test_display_fields_keep_mixed_case_and_short_caps_regions() -> None:
    address = normalize_address("Flat 2B, 221B BAKER ST", city="NEW YORK", region="NY")
    assert address is not None
    assert (address.line1, address.city, address.region) == (
        "Flat 2B, 221B BAKER ST",
        "New York",
        "NY",
    )


def test_all_caps_lines_keep_flat_letters_and_ordinals_readable() -> None:
    address = normalize_address("FLAT 2B, 21ST FLOOR, ST JOHN'S WOOD RD", city="LONDON")
    assert address is not None
    assert address.line1 == "Flat 2B, 21st Floor, St John's Wood Rd"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Đường Nguyễn Huệ", "duong nguyen hue"),
        ("Königstraße 1", "konigstr 1"),
        ("Nr. 5, Flat 2", "5 apt 2"),
        ("Unit 4, 10 Station Road", "apt 4 10 station rd"),
        ("Suite 200", "ste 200"),
        ("Boulevard Haussmann", "blvd haussmann"),
        (None, ""),
    ],
)
def test_address_line_key_folds_accents_and_unifies_abbreviations(
    line: str | None, expected: str
) -> None:
    assert address_line_key(line) == expected


@pytest.mark.parametrize(
    ("city", "expected"),
    [
        ("TP. Hải Phòng", "hai phong"),
        ("Thành phố Hải Phòng", "hai phong"),
        ("Haiphong", "hai phong"),
        ("TP.HCM", "ho chi minh"),
        ("Sài Gòn", "ho chi minh"),
        ("Tỉnh Quảng Nam", "quang nam"),
        ("City of London", "london"),
        ("Stadtallendorf", "stadtallendorf"),  # a kind's word inside a name stays
        (None, ""),
    ],
)
def test_city_key_drops_the_word_for_the_kind_of_place(city: str | None, expected: str) -> None:
    assert city_key(city) == expected


def test_two_cities_that_share_only_thanh_pho_are_far_apart() -> None:
    """The prefix made "Thành phố Cần Thơ" a typo of "Thành phố Hà Nội" (Jaro-Winkler 0.9)."""
    from rapidfuzz.distance import JaroWinkler

    far = JaroWinkler.similarity(city_key("Thành phố Cần Thơ"), city_key("Thành phố Hà Nội"))
    assert far < 0.7
