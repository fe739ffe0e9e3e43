"""golden_record: per-attribute survivorship with deterministic ties and recorded provenance."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta, timezone
from types import MappingProxyType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from c360graph.resolve.golden import (
    DEFAULT_POLICY,
    Address,
    GoldenValue,
    SurvivorshipPolicy,
    flatten_golden,
    golden_record,
)
from c360graph.resolve.records import Rec

JAN = datetime(2024, 1, 1, tzinfo=UTC)
FEB = datetime(2024, 2, 1, tzinfo=UTC)
MAR = datetime(2024, 3, 1, tzinfo=UTC)


def rec(key: str, updated_at: datetime | None = JAN, **fields: object) -> Rec:
    return Rec(key=key, source=key.split(":")[0], updated_at=updated_at, **fields)  # type: ignore[arg-type]


def policy(**attributes: str) -> SurvivorshipPolicy:
    return SurvivorshipPolicy(DEFAULT_POLICY.source_priority, attributes)


def test_source_priority_takes_the_most_trusted_source_whatever_its_age() -> None:
    recs = [
        rec("social:9", MAR, first_name="Annie"),
        rec("crm:1", JAN, first_name="Ann"),
        rec("pos:4", FEB, first_name="Anna"),
    ]
    golden = golden_record(recs, DEFAULT_POLICY)
    assert golden["first_name"] == GoldenValue("Ann", "crm", "crm:1", "source_priority")


def test_source_priority_tie_goes_to_the_most_recent_then_the_smallest_key() -> None:
    recs = [
        rec("crm:2", JAN, last_name="Old"),
        rec("crm:3", FEB, last_name="New"),
        rec("crm:1", FEB, last_name="Newer key"),
    ]
    assert golden_record(recs, DEFAULT_POLICY)["last_name"].record_key == "crm:1"


def test_unknown_sources_rank_after_every_listed_source() -> None:
    recs = [rec("legacy:1", MAR, first_name="Zed"), rec("social:1", JAN, first_name="Zeb")]
    assert golden_record(recs, DEFAULT_POLICY)["first_name"].value == "Zeb"


def test_most_recent_takes_the_latest_update_and_breaks_ties_by_source() -> None:
    recs = [
        rec("crm:1", JAN, emails=("old@crm.example",)),
        rec("social:1", MAR, emails=("new@social.example",)),
        rec("app:1", MAR, emails=("new@app.example", "second@app.example")),
    ]
    golden = golden_record(recs, DEFAULT_POLICY)
    assert golden["email"] == GoldenValue("new@app.example", "app", "app:1", "most_recent")


def test_most_recent_compares_time_zones_and_puts_records_without_a_time_last() -> None:
    plus_two = timezone(timedelta(hours=2))
    recs = [
        rec("crm:1", None, phones=("+441111",)),
        rec("app:1", datetime(2024, 1, 1, 13, tzinfo=plus_two), phones=("+442222",)),  # 11:00Z
        rec("pos:1", datetime(2024, 1, 1, 12), phones=("+443333",)),  # naive: taken as 12:00Z
    ]
    assert golden_record(recs, DEFAULT_POLICY)["phone"].value == "+443333"


def test_most_frequent_counts_records_and_breaks_ties_by_source_priority() -> None:
    born, typo = date(1980, 5, 17), date(1980, 5, 7)
    recs = [
        rec("social:1", date_of_birth=born),
        rec("pos:1", date_of_birth=born),
        rec("crm:1", date_of_birth=typo),
    ]
    golden = golden_record(recs, DEFAULT_POLICY)
    assert golden["date_of_birth"] == GoldenValue(born, "pos", "pos:1", "most_frequent")
    tie = [rec("social:1", gender="F"), rec("crm:1", gender="M")]
    assert golden_record(tie, DEFAULT_POLICY)["gender"].value == "M"  # crm outranks social


def test_most_frequent_counts_a_record_once_per_value() -> None:
    recs = [
        rec("social:1", emails=("a@x.example", "a@x.example")),
        rec("crm:1", emails=("b@x.example",)),
    ]
    golden = golden_record(recs, policy(email="most_frequent"))
    assert golden["email"].value == "b@x.example"


def test_address_survives_as_one_unit_so_parts_never_mix() -> None:
    recs = [
        rec("crm:1", JAN, address_line1="1 Old Road", city="Leeds", postcode="LS1 1AA"),
        rec("webshop:1", MAR, city="York", country="GB"),  # newest, but only a city
        rec("pos:1", FEB, address_line1="2 New Street", postcode="M1 1AA", country="GB"),
    ]
    golden = golden_record(recs, DEFAULT_POLICY)
    # The newest address with a street: a city alone never beats a complete address.
    assert golden["address"] == GoldenValue(
        Address("2 New Street", None, None, "M1 1AA", None, "GB"), "pos", "pos:1", "most_recent"
    )
    by_trust = golden_record(recs, policy(address="source_priority"))
    assert by_trust["address"].value == Address("1 Old Road", None, "Leeds", "LS1 1AA", None, None)


def test_a_partial_address_survives_only_when_no_record_has_a_street() -> None:
    recs = [
        rec("crm:1", JAN, postcode="LS1 1AA"),
        rec("pos:1", MAR, postcode="M1 1AA"),
        rec("app:1", FEB, city="York", postcode="YO1 7HH"),
    ]
    golden = golden_record(recs, DEFAULT_POLICY)
    assert golden["address"].record_key == "app:1"  # a city beats a postcode alone


def test_a_country_alone_is_not_an_address_but_still_a_country() -> None:
    golden = golden_record([rec("app:1", country="DE")], DEFAULT_POLICY)
    assert "address" not in golden
    assert golden["country"] == GoldenValue("DE", "app", "app:1", "most_recent")


def test_stub_records_and_blank_values_contribute_nothing() -> None:
    recs = [
        rec("crm:1", first_name="  ", emails=("",)),
        rec("crm:0", MAR, stub=True, first_name="Ghost", emails=("ghost@x.example",)),
        rec("app:1", FEB, first_name="Ann"),
    ]
    golden = golden_record(recs, DEFAULT_POLICY)
    assert golden["first_name"].record_key == "app:1"
    assert "email" not in golden
    assert golden_record([rec("crm:0", stub=True, first_name="Ghost")], DEFAULT_POLICY) == {}


def test_unmentioned_attributes_follow_a_relative_or_source_priority() -> None:
    partial = policy(address="most_frequent", first_name="most_recent")
    assert partial.rule_for("country") == "most_frequent"
    assert partial.rule_for("full_name") == "most_recent"
    assert partial.rule_for("gender") == "source_priority"


@pytest.mark.parametrize(
    ("attributes", "fragment"),
    [
        ({"email": "loudest"}, "rule 'loudest' for email is unknown"),
        ({"shoe_size": "most_recent"}, "attribute 'shoe_size' is unknown"),
    ],
)
def test_a_policy_with_an_unknown_rule_or_attribute_is_refused(
    attributes: dict[str, str], fragment: str
) -> None:
    with pytest.raises(ValueError, match=fragment):
        policy(**attributes)


def test_flatten_gives_primitive_properties_with_their_source() -> None:
    recs = [
        rec("crm:1", JAN, first_name="Ann", date_of_birth=date(1980, 5, 17)),
        rec("app:1", FEB, address_line1="2 New Street", city="Leeds", country="GB"),
    ]
    props = flatten_golden(golden_record(recs, DEFAULT_POLICY))
    assert props == {
        "first_name": "Ann",
        "first_name_source": "crm",
        "first_name_record": "crm:1",
        "date_of_birth": date(1980, 5, 17),
        "date_of_birth_source": "crm",
        "date_of_birth_record": "crm:1",
        "address_line1": "2 New Street",
        "address_city": "Leeds",
        "address_country": "GB",
        "address_source": "app",
        "address_record": "app:1",
        "country": "GB",
        "country_source": "app",
        "country_record": "app:1",
    }
    assert all(isinstance(v, str | date) for v in props.values())


def test_default_policy_cannot_be_changed_in_place() -> None:
    assert isinstance(DEFAULT_POLICY.attributes, MappingProxyType)
    with pytest.raises(TypeError):
        DEFAULT_POLICY.attributes["email"] = "source_priority"  # type: ignore[index]


SOURCES = ["crm", "app", "social", "legacy"]
rec_st = st.builds(
    Rec,
    key=st.sampled_from([f"{s}:{i}" for s in SOURCES for i in range(3)]),
    source=st.sampled_from(SOURCES),
    first_name=st.sampled_from([None, "Ann", "Anna"]),
    gender=st.sampled_from([None, "F", "M"]),
    city=st.sampled_from([None, "Leeds", "York"]),
    postcode=st.sampled_from([None, "LS1", "YO1"]),
    emails=st.lists(st.sampled_from(["a@x.example", "b@x.example"]), max_size=2).map(tuple),
    updated_at=st.sampled_from([None, JAN, FEB]),
)


@given(st.lists(rec_st, max_size=6, unique_by=lambda r: r.key), st.randoms())
def test_golden_record_ignores_record_order_and_takes_values_from_one_record(
    recs: list[Rec], rng: random.Random
) -> None:
    shuffled = list(recs)
    rng.shuffle(shuffled)
    for rules in ("source_priority", "most_recent", "most_frequent"):
        chosen = policy(**dict.fromkeys(["first_name", "gender", "email", "address"], rules))
        golden = golden_record(recs, chosen)
        assert golden == golden_record(shuffled, chosen)
        by_key = {r.key: r for r in recs}
        for value in golden.values():
            origin = by_key[value.record_key]
            assert value.source == origin.source
        if "address" in golden:
            address, origin = golden["address"].value, by_key[golden["address"].record_key]
            assert isinstance(address, Address)
            assert (address.city, address.postcode) == (origin.city, origin.postcode)
