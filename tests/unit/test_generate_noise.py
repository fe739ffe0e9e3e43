"""Building blocks of the generator: valid phones, the true population and noise functions."""

from __future__ import annotations

import random
from datetime import date

import phonenumbers
from hypothesis import given
from hypothesis import strategies as st

from c360graph.generate import phones
from c360graph.generate.noise import abbreviate, fold_ascii, transpose_day_month, typo
from c360graph.generate.people import PersonFactory
from c360graph.generate.pools import build_pools
from c360graph.generate.records import SHOP_PHONES


def _valid(e164: str) -> bool:
    return phonenumbers.is_valid_number(phonenumbers.parse(e164))


def test_every_true_phone_of_the_population_is_valid() -> None:
    factory = PersonFactory(random.Random(11), build_pools(11))
    persons = [p for unit in factory.units(2000) for p in unit]
    assert len(persons) == 2000
    numbers = {n for p in persons for n in (p.mobile, p.landline) if n}
    assert len(numbers) > 1500
    assert [n for n in numbers if not _valid(n)] == []


def test_every_prefix_of_every_plan_validates_with_any_tail() -> None:
    rng = random.Random(5)
    for country in phones.PLANS:
        for _ in range(400):
            assert _valid(phones.mobile(rng, country)), country
            assert _valid(phones.landline(rng, country)), country


def test_shop_phones_are_valid_numbers_of_their_country() -> None:
    for country, number in SHOP_PHONES.items():
        parsed = phonenumbers.parse(number)
        assert phonenumbers.is_valid_number(parsed)
        assert phonenumbers.region_code_for_number(parsed) == country


def test_every_rendering_parses_back_to_the_same_number() -> None:
    rng = random.Random(9)
    styles = (*phones.INTERNATIONAL_STYLES, *phones.NATIONAL_STYLES)
    for country in phones.PLANS:
        for _ in range(50):
            e164 = phones.mobile(rng, country)
            for style in styles:
                parsed = phonenumbers.parse(phones.render(e164, country, style), country)
                assert phonenumbers.format_number(parsed, 0) == e164, (country, style)


def test_households_and_rings_are_planned_with_the_right_sizes() -> None:
    factory = PersonFactory(random.Random(2), build_pools(2))
    units = list(factory.units(3000))
    assert sum(len(u) for u in units) == 3000
    households = [u for u in units if u[0].household_id]
    rings = [u for u in units if u[0].ring_id]
    assert all(2 <= len(u) <= 5 for u in households)
    assert all(len({p.address for p in u}) == 1 for u in households)
    assert rings and all(3 <= len(u) <= 8 for u in rings)
    assert all(len({p.person_id for p in u}) == len(u) for u in rings)
    emails = [e for u in units for p in u for e in p.emails]
    assert len(emails) == len(set(emails))


def test_fold_ascii_drops_vietnamese_and_german_marks() -> None:
    assert fold_ascii("Nguyễn Đức Thắng") == "Nguyen Duc Thang"
    assert fold_ascii("Müller Straße") == "Muller Strasse"


def test_abbreviate_shortens_street_types() -> None:
    assert abbreviate("12 High Street") == "12 High St."
    assert abbreviate("Hauptstraße 5") == "Hauptstr. 5"
    assert abbreviate("Calle Mayor, 3") == "C/ Mayor, 3"


def test_transposed_dates_stay_real_dates() -> None:
    assert transpose_day_month(date(1980, 3, 7)) == date(1980, 7, 3)
    assert transpose_day_month(date(1980, 3, 25)) == date(1980, 3, 25)


def _damerau_one(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        swapped = len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
        return len(diff) <= 1 or (swapped and a[diff[1]] == b[diff[0]])
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzéü", min_size=0, max_size=20), st.integers())
def test_typo_is_at_most_one_edit(name: str, seed: int) -> None:
    assert _damerau_one(name, typo(random.Random(seed), name))
