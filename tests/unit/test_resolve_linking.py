"""Linking outside a run's scope: records are compared as they were when last resolved."""

from __future__ import annotations

from datetime import date

from c360graph.resolve.linking import LinkCache, find_links
from c360graph.resolve.records import Rec
from c360graph.resolve.settings import load_resolution_config
from c360graph.resolve.shared import SharedLimits, is_shared
from c360graph.resolve.store import RuleGroup
from tests.population import rec, trained_model

CONFIG = load_resolution_config()

SHOP_PHONE = "+442071834410"
SAMUEL = {"date_of_birth": date(1966, 7, 24), "postcode": "CO9 9XL", "country": "GB"}
# A till record carrying the shop's phone, and the same man arriving later with his own.
TILL = rec("pos:L1", first_name="Samuel", last_name="Bord", phones=(SHOP_PHONE,), **SAMUEL)
NEW = rec("crm:C1", first_name="Samuel", last_name="Bird", phones=("+441314341483",), **SAMUEL)
PEOPLE = {r.key: r for r in (TILL, NEW)}


def _levels(known_shared: dict[str, set[str]]) -> dict[str, str]:
    found = find_links(PEOPLE, [], {NEW.key}, CONFIG, trained_model(), known_shared=known_shared)
    (pair,) = [s for s in found.scored if {s.a, s.b} == {TILL.key, NEW.key}]
    return pair.levels


def test_an_identifier_marked_shared_by_an_earlier_run_is_ignored_for_records_outside_the_run() -> (
    None
):
    assert _levels({"phones": {SHOP_PHONE}})["phone"] == "null"
    assert _levels({})["phone"] != "null"  # what the run used to compare: the shop's phone


def test_a_group_judged_anew_overrides_the_stored_shared_mark() -> None:
    # This run sees the phone used by these two alone: no longer shared, so it counts again.
    group = RuleGroup("same_phone", SHOP_PHONE, False, True, (NEW.key, TILL.key))
    both = {**PEOPLE, NEW.key: rec(NEW.key, **{**SAMUEL, "phones": (SHOP_PHONE,)})}
    found = find_links(
        both, [group], {NEW.key}, CONFIG, trained_model(), known_shared={"phones": {SHOP_PHONE}}
    )
    assert found.unshared == {"same_phone": {SHOP_PHONE}}
    (pair,) = found.scored
    assert pair.levels["phone"] == "exact" and pair.rules == ("same_phone",)


def test_a_pass_judging_identifiers_as_the_last_did_reuses_its_stripped_records() -> None:
    cache = LinkCache()
    shop = {"phones": {SHOP_PHONE}}
    first = find_links(PEOPLE, [], {NEW.key}, CONFIG, trained_model(), cache, known_shared=shop)
    stripped = cache.stripped
    again = find_links(
        PEOPLE, [], {NEW.key, TILL.key}, CONFIG, trained_model(), cache, known_shared=shop
    )
    assert cache.stripped is stripped
    assert [s.levels for s in again.scored] == [s.levels for s in first.scored]
    # Another verdict on the shop's phone: the records are stripped anew, and it counts again.
    unshared = find_links(PEOPLE, [], {NEW.key}, CONFIG, trained_model(), cache, known_shared={})
    assert cache.stripped is not stripped
    assert unshared.scored[0].levels["phone"] != "null"


ONE_MAN = {"date_of_birth": date(1971, 3, 9), "address_line1": "4 Mill Lane", "postcode": "LS1 4AP"}
FAMILY_PHONE = "+441134960000"


def _group(records: list[Rec]) -> tuple[dict[str, Rec], RuleGroup]:
    keys = tuple(sorted(r.key for r in records))
    return {r.key: r for r in records}, RuleGroup("same_phone", FAMILY_PHONE, False, False, keys)


def test_a_phone_on_one_person_typed_many_ways_is_his_not_shared() -> None:
    # Spellings the name rule counts as four people; the model sees one man (one date of
    # birth, one home) and links every pair of them without the phone.
    names = [
        ("Robert", "Smith"),
        ("Bob", "Smith"),
        ("R", "Smith"),
        ("Bertie", "Smith"),
        ("Rob", "Smyth"),
    ]
    records = [
        rec(f"s{i}:1", first_name=first, last_name=last, phones=(FAMILY_PHONE,), **ONE_MAN)
        for i, (first, last) in enumerate(names)
    ]
    recs, group = _group(records)
    assert is_shared(group.records, False, recs, SharedLimits(1000, 3))  # names alone would
    found = find_links(recs, [group], set(recs), CONFIG, trained_model())
    assert not found.shared and found.shared_seen["phones"] == set()
    assert len(found.accepted) == len(records) * (len(records) - 1) // 2


def test_a_phone_the_model_finds_on_five_different_people_is_a_hub() -> None:
    people = [
        ("Anna", "Kowalski", 1950),
        ("Tomasz", "Nowak", 1962),
        ("Jan", "Lis", 1977),
        ("Ewa", "Zielinska", 1984),
        ("Piotr", "Wrobel", 1999),
    ]
    records = [
        rec(
            f"pos:{i}",
            first_name=first,
            last_name=last,
            date_of_birth=date(year, 1 + i, 2 + i),
            phones=(FAMILY_PHONE,),
        )
        for i, (first, last, year) in enumerate(people)
    ]
    recs, group = _group(records)
    found = find_links(recs, [group], set(recs), CONFIG, trained_model())
    assert found.shared == {"same_phone": {FAMILY_PHONE}} and not found.accepted
