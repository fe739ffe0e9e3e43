"""Comparison levels on real-world pairs: names, dates of birth, addresses and identifiers."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from c360graph.normalize.name import name_key
from c360graph.resolve.comparisons import NULL, build_model, compare, first_names_differ
from c360graph.resolve.features import Feat, NameStats, features, name_frequencies
from c360graph.resolve.nicknames import NICKNAMES, canonical_first_name, same_first_name
from c360graph.resolve.records import Rec
from c360graph.resolve.settings import load_resolution_config

CONFIG = load_resolution_config()
MODEL = build_model(CONFIG)  # no name statistics: rare-name levels never hold


def rec(key: str = "crm:1", **kw: Any) -> Rec:
    """A Rec with match keys derived the way ingest derives them."""
    for part in ("first", "last"):
        raw = kw.get(f"{part}_name")
        if raw is not None:
            kw.setdefault(f"{part}_name_key", name_key(raw))
    return Rec(key=key, source=key.split(":")[0], **kw)


def level(field: str, a: Rec, b: Rec, model: Any = MODEL) -> str:
    return compare(features(a), features(b), model)[field]


NAME_PAIRS = [
    # (a, b, expected level, why)
    (dict(first_name="Văn An", last_name="Nguyễn"), dict(full_name="Nguyen Van An"), "exact",
     "dropped accents and family-name-first order"),
    (dict(first_name="Smith", last_name="John"), dict(first_name="John", last_name="Smith"),
     "exact", "first and last swapped"),
    (dict(first_name="JOHN", last_name="O'BRIEN"), dict(full_name="John OBrien"), "exact",
     "capitals and apostrophe"),
    (dict(first_name="Bob", last_name="Smith"), dict(first_name="Robert", last_name="Smith"),
     "nickname", "English nickname"),
    (dict(first_name="Sepp", last_name="Huber"), dict(first_name="Josef", last_name="Huber"),
     "nickname", "German nickname"),
    (dict(first_name="Pepe", last_name="García"), dict(first_name="José", last_name="Garcia"),
     "nickname", "Spanish nickname, accents dropped"),
    (dict(first_name="An", last_name="Nguyễn"), dict(full_name="Nguyễn Văn An"), "subset",
     "middle name on one side only"),
    (dict(first_name="Jonathan", last_name="Smith"), dict(first_name="Jonathon", last_name="Smith"),
     "jaro_winkler", "typo"),
    (dict(first_name="Keith", last_name="Evans"), dict(first_name="Keith", last_name="Evzns"),
     "jaro_winkler", "keyboard-neighbour typo"),
    (dict(first_name="John"), dict(first_name="John", last_name="Stewart"), "one_token",
     "a newsletter that only knows the first name"),
    (dict(first_name="John", last_name="Smith"), dict(first_name="Mary", last_name="Smith"),
     "surname_only", "relatives: same surname, different first names"),
    (dict(first_name="Hoàng", last_name="Hoàng"), dict(full_name="Hoàng Minh Huy"), "else",
     "a repeated token is still two name parts, not a single known name"),
    (dict(first_name="Alice", last_name="Jones"), dict(first_name="Pedro", last_name="Alvarez"),
     "else", "different people"),
]  # fmt: skip


@pytest.mark.parametrize(("a", "b", "expected", "why"), NAME_PAIRS, ids=[p[3] for p in NAME_PAIRS])
def test_name_levels_on_real_world_pairs(
    a: dict[str, str], b: dict[str, str], expected: str, why: str
) -> None:
    assert level("name", rec("a:1", **a), rec("b:1", **b)) == expected, why


DOB_PAIRS = [
    (date(1990, 3, 4), date(1990, 3, 4), "exact"),
    (date(1990, 3, 4), date(1990, 4, 3), "transposed"),
    (date(1990, 3, 4), date(1990, 3, 21), "year_month"),
    (date(1990, 3, 4), date(1990, 11, 21), "year"),
    (date(1990, 3, 4), date(1961, 3, 4), "else"),
    (date(1990, 3, 4), None, NULL),
]


@pytest.mark.parametrize(("a", "b", "expected"), DOB_PAIRS)
def test_date_of_birth_levels(a: date, b: date | None, expected: str) -> None:
    assert level("date_of_birth", rec(date_of_birth=a), rec(date_of_birth=b)) == expected


def test_abbreviated_street_and_respaced_postcode_are_exact() -> None:
    a = rec(address_line1="12 Baker Street", postcode="SW1A 1AA", city="London")
    b = rec(address_line1="12 BAKER ST.", postcode="sw1a1aa", city="LONDON")
    assert level("address_line", a, b) == "exact"
    assert level("postcode", rec(postcode="SW1A 1AA"), rec(postcode="sw1a1aa")) == "exact"
    assert level("city", rec(city="London"), rec(city="LONDON")) == "exact"


def test_the_address_counts_once_at_its_most_specific_shared_part() -> None:
    full = rec(address_line1="12 Baker Street", postcode="SW1A 1AA", city="London")
    moved = rec(address_line1="4 Park Lane", postcode="LS1 4AB", city="Leeds")
    levels = compare(features(full), features(moved), MODEL)
    assert (levels["address_line"], levels["postcode"], levels["city"]) == ("else", NULL, NULL)
    postcode_only = rec(postcode="SW1A 1AA", city="London")
    levels = compare(features(full), features(postcode_only), MODEL)
    assert (levels["address_line"], levels["postcode"], levels["city"]) == (NULL, "exact", NULL)


def test_neighbouring_postcode_shares_the_area_level() -> None:
    assert level("postcode", rec(postcode="SW1A 1AA"), rec(postcode="SW1A 2BB")) == "area"
    assert level("postcode", rec(postcode="10115"), rec(postcode="10117")) == "area"
    assert level("postcode", rec(postcode="10115"), rec(postcode="80331")) == "else"


def test_misspelled_city_is_similar_not_exact() -> None:
    assert level("city", rec(city="Manchester"), rec(city="Manchestre")) == "jaro_winkler"


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (("anna.k@gmx.de", "ak@web.de"), ("ak@web.de",), "exact"),
        (("j.smith+shop@gmail.com",), ("jsmith@yahoo.com",), "local_key"),
        (("jon.smith77@gmail.com",), ("jonsmith77@outlook.com",), "local_key"),
        (("annaschmidt@gmx.de",), ("annaschmitt@web.de",), "local_jaro_winkler"),
        (("anna@gmx.de",), ("peter.mueller@web.de",), "else"),
        (("test@test.com",), ("test@test.com",), NULL),
    ],
)
def test_email_levels_ignore_placeholders(
    a: tuple[str, ...], b: tuple[str, ...], expected: str
) -> None:
    assert level("email", rec(emails=a), rec(emails=b)) == expected


def test_phone_with_a_wrong_country_code_matches_on_its_last_seven_digits() -> None:
    a, b = rec(phones=("+447700900123",)), rec(phones=("+497700900123",))
    assert level("phone", a, b) == "last7"
    assert level("phone", a, rec(phones=("+447700900123", "+441632960001"))) == "exact"


@pytest.mark.parametrize("field", ["devices", "loyalty_ids", "national_ids"])
def test_identifier_fields_match_on_any_value_in_common(field: str) -> None:
    name = {"devices": "device", "loyalty_ids": "loyalty_id", "national_ids": "national_id"}
    a, b, c = rec(**{field: ("x", "y")}), rec(**{field: ("z", "y")}), rec(**{field: ("q",)})
    assert level(name[field], a, b) == "exact"
    assert level(name[field], a, c) == "else"
    assert level(name[field], a, rec()) == NULL


def test_every_field_is_null_when_either_record_lacks_it() -> None:
    levels = compare(features(rec(first_name="Ann")), features(rec()), MODEL)
    assert set(levels.values()) == {NULL}
    assert [lv.name for c in MODEL.comparisons for lv in c.levels if lv.name == NULL] == []


def _stats(common: set[str] = frozenset(), tokens: dict[str, int] | None = None) -> NameStats:
    """Name statistics of a large population where only `common` names are widespread."""
    groups = {name: 50 for name in common}
    return NameStats(groups=groups, tokens=tokens or {}, records=100_000)


def test_rare_names_get_the_rare_level_and_common_ones_do_not() -> None:
    a = rec("a:1", first_name="Wolf-Dietrich", last_name="Margraf")
    b = rec("b:1", full_name="Wolf-Dietrich Margraf")
    assert level("name", a, b, build_model(CONFIG, _stats())) == "exact_rare"
    common = build_model(CONFIG, _stats({features(a).canon_sorted}))
    assert level("name", a, b, common) == "exact"


def test_a_name_of_common_tokens_is_not_rare_even_when_seen_once() -> None:
    a, b = rec("a:1", full_name="Susan Smith"), rec("b:1", full_name="Susan Smith")
    tokens = {"susan": 3_000, "smith": 8_000}  # expected 240 Susan Smiths in 100,000 records
    assert level("name", a, b, build_model(CONFIG, _stats(tokens=tokens))) == "exact"


def test_name_frequencies_count_one_person_with_many_accounts_once() -> None:
    same_person = [
        rec(f"s{i}:1", full_name="Ada Lovelace", emails=("ada@x.org",)) for i in range(5)
    ]
    namesake = rec("t:1", full_name="Ada Lovelace", emails=("other@y.org",))
    stats = name_frequencies([features(r) for r in [*same_person, namesake]])
    assert stats.groups["ada lovelace"] == 2
    assert stats.tokens == {"ada": 6, "lovelace": 6}


def test_a_two_token_name_counts_longer_names_that_contain_it() -> None:
    feats = [
        features(rec("a:1", full_name="Tú Hoàng")),
        features(rec("b:1", full_name="Hoàng Văn Tú")),
    ]
    assert name_frequencies(feats).groups["hoang tu"] == 2


def test_first_names_differ_searches_the_whole_other_name() -> None:
    a = features(rec(first_name="John", last_name="Smith"))
    assert first_names_differ(a, features(rec(first_name="Mary", last_name="Smith")), 0.85)
    assert not first_names_differ(a, features(rec(first_name="Smith", last_name="John")), 0.85)
    assert not first_names_differ(a, features(rec(first_name="Jon", last_name="Smith")), 0.85)
    assert not first_names_differ(a, features(rec(last_name="Smith")), 0.85)


def test_nickname_table_is_folded_data_of_four_languages() -> None:
    assert len(NICKNAMES) >= 80
    assert all(k == name_key(k) and v == name_key(v) for k, v in NICKNAMES.items())
    pairs = {"bob": "robert", "bill": "william", "liz": "elizabeth", "kate": "katherine",
             "mike": "michael", "hans": "johannes", "sepp": "josef", "pepe": "jose",
             "paco": "francisco", "jb": "jean baptiste"}  # fmt: skip
    assert {k: canonical_first_name(k) for k in pairs} == pairs
    assert canonical_first_name("zoltan") == "zoltan"
    assert same_first_name("catherine", "kathy") and not same_first_name("john", "jack")


names = st.sampled_from(["Ann", "Anne", "Bob", "Robert", "Nguyễn Văn", "An", "Smith", "Lee"])
optional = st.none() | names
dobs = st.none() | st.dates(date(1980, 1, 1), date(1980, 12, 31))
emails = st.lists(st.sampled_from(["a@x.de", "a@y.de", "ab@x.de", "b.c@gmail.com"]), max_size=2)


@st.composite
def records(draw: st.DrawFn) -> Feat:
    return features(
        rec(
            "k:" + draw(st.text("ab", min_size=1, max_size=3)),
            first_name=draw(optional),
            last_name=draw(optional),
            full_name=draw(optional),
            date_of_birth=draw(dobs),
            emails=tuple(draw(emails)),
            phones=tuple(draw(st.lists(st.sampled_from(["+441234567", "+491234567"]), max_size=2))),
            postcode=draw(st.none() | st.sampled_from(["SW1A 1AA", "SW1A 2BB", "10115"])),
            address_line1=draw(
                st.none() | st.sampled_from(["1 Main St", "1 Main Street", "2 Oak Rd"])
            ),
        )
    )


@settings(max_examples=300, deadline=None)
@given(records(), records())
def test_compare_is_symmetric(fa: Feat, fb: Feat) -> None:
    model = build_model(CONFIG, name_frequencies([fa, fb]))
    assert compare(fa, fb, model) == compare(fb, fa, model)
