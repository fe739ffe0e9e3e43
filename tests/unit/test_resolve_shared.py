"""Shared identifiers: a value used by several people says nothing; one person's many
records, however misspelt, keep it as evidence."""

from __future__ import annotations

from c360graph.resolve.shared import SharedLimits, is_shared
from tests.population import rec

LIMITS = SharedLimits(max_records=1000, max_distinct_names=3)


def _holders(*names: tuple[str, str]) -> dict[str, object]:
    return {
        f"crm:{i}": rec(f"crm:{i}", first_name=first, last_name=last)
        for i, (first, last) in enumerate(names)
    }


def test_ten_records_of_one_person_with_typos_keep_their_id() -> None:
    spellings = [("Jonathan", "Smythe"), ("Jonathon", "Smythe"), ("Jonathan", "Smyth"),
                 ("Smythe", "Jonathan"), ("Jonatan", "Smithe"), ("J", "Smythe"),
                 ("Jonathan", "Smythee"), ("Jonnathan", "Smythe"), ("Jonathan", "Smtyhe"),
                 ("Jonathan", "Smythe")]  # fmt: skip
    recs = _holders(*spellings)
    assert not is_shared(list(recs), False, recs, LIMITS)  # type: ignore[arg-type]


def test_a_shop_phone_used_by_four_people_is_shared() -> None:
    recs = _holders(("Anna", "Meyer"), ("Ben", "Koch"), ("Clara", "Wolf"), ("David", "Braun"))
    assert is_shared(list(recs), False, recs, LIMITS)  # type: ignore[arg-type]


def test_a_family_of_three_is_not_yet_a_shared_value_and_a_placeholder_always_is() -> None:
    recs = _holders(("Anna", "Meyer"), ("Ben", "Meyer"), ("Clara", "Meyer"))
    assert not is_shared(list(recs), False, recs, LIMITS)  # type: ignore[arg-type]
    assert is_shared(list(recs)[:1], True, recs, LIMITS)  # type: ignore[arg-type]


def test_more_records_than_the_work_limit_is_shared_without_looking() -> None:
    recs = _holders(*[("Jonathan", "Smythe")] * 5)
    assert is_shared(list(recs), False, recs, SharedLimits(4, 3))  # type: ignore[arg-type]
