"""Activity pages cut from a fetched neighbourhood, and when a query must answer instead."""

from __future__ import annotations

from datetime import UTC, date, datetime

from c360graph.api.loaders import Group, PageRequest
from c360graph.api.prefetch import Fetched, Neighbourhood, times_from_text

NO_FILTER = (("channel", None), ("since", None), ("status", None), ("until", None))


def order(key: str, day: int) -> dict[str, object]:
    return {"key": key, "ordered_at": datetime(2026, 1, day, tzinfo=UTC)}


def fetched(cut: int = 3) -> Fetched:
    f = Fetched("ordered_at", cut)
    # Newest first, as api/neighbourhood_of returns them; r3 has no orders at all.
    f.add(
        ["r1", "r2", "r3"],
        ["r1", "r2"],
        [[order("o5", 5), order("o1", 1)], [order("o9", 9), order("o4", 4), order("o2", 2)]],
    )
    return f


def request(keys: tuple[str, ...], limit: int, **filters: object) -> PageRequest:
    given = tuple(sorted({**dict(NO_FILTER), **filters}.items()))
    return PageRequest(Group("owner", keys), given, None, limit)


def keys(rows: list[dict[str, object]] | None) -> list[object] | None:
    return None if rows is None else [r["key"] for r in rows]


def test_a_record_page_is_its_newest_items() -> None:
    assert keys(fetched().page(request(("r1",), 1))) == ["o5"]
    assert keys(fetched().page(request(("r1",), 21))) == ["o5", "o1"]


def test_a_record_without_items_has_an_empty_page() -> None:
    assert fetched().page(request(("r3",), 5)) == []


def test_an_identity_page_merges_its_records_newest_first() -> None:
    page = fetched().page(request(("r1", "r2", "r3"), 3))
    assert keys(page) == ["o9", "o5", "o4"]
    assert keys(fetched(cut=5).page(request(("r1", "r2", "r3"), 9))) == [
        "o9",
        "o5",
        "o4",
        "o2",
        "o1",
    ]


def test_a_list_cut_at_the_limit_answers_only_pages_within_it() -> None:
    # r2 has exactly `cut` items fetched: it may have more in the graph.
    assert keys(fetched().page(request(("r2",), 3))) == ["o9", "o4", "o2"]
    assert fetched().page(request(("r2",), 4)) is None
    assert fetched().page(request(("r1", "r2"), 4)) is None


def test_filters_cursors_and_unknown_records_go_to_the_query() -> None:
    f = fetched()
    assert f.page(request(("r1",), 2, channel="web")) is None
    cursor = PageRequest(
        Group("r1", ("r1",)), NO_FILTER, (datetime(2026, 1, 3, tzinfo=UTC), "x"), 2
    )
    assert f.page(cursor) is None
    assert f.page(request(("elsewhere",), 2)) is None


def test_undated_items_are_not_merged_in_memory() -> None:
    f = Fetched("ordered_at", 5)
    f.add(["a", "b"], ["a", "b"], [[{"key": "x", "ordered_at": None}], [order("y", 2)]])
    assert f.page(request(("a", "b"), 5)) is None
    assert keys(f.page(request(("a",), 5))) == ["x"]  # one record: the query's own order


def test_a_neighbourhood_row_pairs_each_identifier_with_its_kind_and_users() -> None:
    row = {
        "identity": {"id": "i1"},
        "records": [{"key": "crm:1"}, {"key": "pos:2"}],
        "identifier_kinds": ["HAS_EMAIL", "HAS_PHONE"],
        "identifiers": [{"address": "a@b.c"}, {"e164": "+441"}],
        "identifier_records": [["crm:1"], ["crm:1", "pos:2"]],
        "activity": [],
        "household": None,
        "members": [],
        "memberships": [{"id": None, "confidence": None, "reason": None}],
    }
    found = Neighbourhood.of(row)
    assert found.keys() == ("crm:1", "pos:2")
    assert found.identifiers[1] == {
        "kind": "HAS_PHONE",
        "identifier": {"e164": "+441"},
        "records": ["crm:1", "pos:2"],
    }
    assert found.household is None


def test_neighbourhood_times_read_as_text_become_utc_datetimes_and_dates() -> None:
    row = {
        "records": [
            {
                "date_of_birth": "1984-02-29",
                "created_at": "2025-06-12T23:50:28.532",  # ArcadeDB: no zone, stored as UTC
                "updated_at": None,
                "ingested_at": "2026-11-23T18:51:14.723122Z",  # Neo4j
            }
        ],
        "activity": [{"first_at": "2025-10-08T17:58", "last_at": "2026-06-23T18:52+01:00"}],
        "orders": [[{"ordered_at": "2026-06-23T18:52"}], []],
        "interactions": [[{"occurred_at": None}]],
    }
    times_from_text(row)
    record = row["records"][0]
    assert record["date_of_birth"] == date(1984, 2, 29)
    assert record["created_at"] == datetime(2025, 6, 12, 23, 50, 28, 532000, tzinfo=UTC)
    assert record["updated_at"] is None
    assert record["ingested_at"] == datetime(2026, 11, 23, 18, 51, 14, 723122, tzinfo=UTC)
    assert row["activity"][0]["first_at"] == datetime(2025, 10, 8, 17, 58, tzinfo=UTC)
    assert row["activity"][0]["last_at"] == datetime(2026, 6, 23, 17, 52, tzinfo=UTC)
    assert row["orders"][0][0]["ordered_at"] == datetime(2026, 6, 23, 18, 52, tzinfo=UTC)
    assert row["interactions"][0][0]["occurred_at"] is None
