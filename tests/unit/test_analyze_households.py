"""Householding over plain facts: which shared facts make a home, and how sure that is."""

from __future__ import annotations

import dataclasses

import pytest

from c360graph.analyze.facts import IdentityFacts, Link
from c360graph.analyze.households import find_households, household_links, noisy_or
from c360graph.analyze.settings import HouseholdSettings, load_analyses_config


@pytest.fixture
def settings() -> HouseholdSettings:
    return load_analyses_config().households


def person(identity: str, surname: str, *links: Link) -> IdentityFacts:
    return IdentityFacts(identity, {surname}, None, set(links))


HOME = Link("address", "12 acacia ave||n1 1aa|gb")
LANDLINE = Link("phone", "+442079460000", "fixed_line")
TABLET = Link("device", "tab-1", "tablet")


def facts_of(*people: IdentityFacts) -> dict[str, IdentityFacts]:
    return {p.id: p for p in people}


def test_same_address_and_surname_make_a_household_with_that_reason(
    settings: HouseholdSettings,
) -> None:
    found = find_households(
        facts_of(person("a", "smith", HOME), person("b", "smith", HOME)), settings
    )
    [home] = found.households
    assert home.members == ("a", "b")
    assert home.evidence == ("address_and_surname",)
    assert home.reason == "same address and surname"
    assert home.confidence == settings.evidence["address_and_surname"]


def test_an_address_alone_is_not_enough_but_with_a_landline_it_is(
    settings: HouseholdSettings,
) -> None:
    flatmates = facts_of(person("a", "smith", HOME), person("b", "jones", HOME))
    assert find_households(flatmates, settings).households == []
    with_line = facts_of(person("a", "smith", HOME, LANDLINE), person("b", "jones", HOME, LANDLINE))
    [home] = find_households(with_line, settings).households
    assert set(home.evidence) == {"address", "landline"}
    w = settings.evidence
    assert home.confidence == pytest.approx(noisy_or([w["address"], w["landline"]]), abs=1e-4)


def test_a_shared_phone_device_is_no_household_evidence_but_a_tablet_is(
    settings: HouseholdSettings,
) -> None:
    phone = Link("device", "phone-1", "phone")
    shared_phone = facts_of(person("a", "smith", HOME, phone), person("b", "jones", HOME, phone))
    assert find_households(shared_phone, settings).households == []
    tablet = facts_of(person("a", "smith", HOME, TABLET), person("b", "jones", HOME, TABLET))
    [home] = find_households(tablet, settings).households
    assert "home_device" in home.evidence


def test_a_mobile_shared_is_not_a_landline(settings: HouseholdSettings) -> None:
    mobile = Link("phone", "+447700900123", "mobile")
    assert (
        household_links(facts_of(person("a", "x", mobile), person("b", "y", mobile)), settings)
        == []
    )


def test_an_address_used_by_too_many_identities_is_no_evidence(
    settings: HouseholdSettings,
) -> None:
    n = settings.max_identities_per_identifier + 1
    block = facts_of(*(person(f"p{i}", "smith", HOME) for i in range(n)))
    assert find_households(block, settings).households == []
    fewer = facts_of(*(person(f"p{i}", "smith", HOME) for i in range(n - 1)))
    assert len(find_households(fewer, settings).households) == 1


def test_a_group_growing_past_max_size_is_cut_at_its_weakest_links_and_reported(
    settings: HouseholdSettings,
) -> None:
    small = dataclasses.replace(settings, max_size=2)
    # a-b share address and surname (0.9); b-c only a landline (0.8): the weaker link is cut.
    c = person("c", "brown", LANDLINE)
    b = person("b", "smith", HOME, LANDLINE)
    found = find_households(facts_of(person("a", "smith", HOME), b, c), small)
    assert [h.members for h in found.households] == [("a", "b")]
    assert found.oversized


def test_each_member_carries_its_strongest_link(settings: HouseholdSettings) -> None:
    # c joins through a tablet + address with b only: its own confidence is that link's.
    found = find_households(
        facts_of(
            person("a", "smith", HOME),
            person("b", "smith", HOME, TABLET),
            person("c", "jones", HOME, TABLET),
        ),
        settings,
    )
    [home] = found.households
    assert home.members == ("a", "b", "c")
    assert home.member_evidence["a"] == ("address_and_surname",)
    assert set(home.member_evidence["c"]) == {"address", "home_device"}
    assert home.member_confidence["c"] < home.member_confidence["a"]


def test_noisy_or_combines_independent_evidence() -> None:
    assert noisy_or([]) == 0.0
    assert noisy_or([0.5, 0.5]) == pytest.approx(0.75)
