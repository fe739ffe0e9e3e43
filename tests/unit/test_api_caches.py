"""The per-document cache behind validation and query cost."""

from __future__ import annotations

from graphql import parse

from c360graph.api.caches import ByDocument


def test_a_value_is_computed_once_per_document_and_detail() -> None:
    cache: ByDocument[int] = ByDocument(8)
    document = parse("{ a }")
    calls: list[str] = []

    def compute(detail: str) -> int:
        calls.append(detail)
        return len(calls)

    assert cache.get(document, "x", lambda: compute("x")) == 1
    assert cache.get(document, "x", lambda: compute("x")) == 1
    assert cache.get(document, "y", lambda: compute("y")) == 2
    assert calls == ["x", "y"]


def test_an_equal_but_different_document_gets_its_own_value() -> None:
    cache: ByDocument[str] = ByDocument(8)
    first, second = parse("{ a }"), parse("{ a }")
    assert cache.get(first, None, lambda: "first") == "first"
    assert cache.get(second, None, lambda: "second") == "second"
    assert cache.get(first, None, lambda: "again") == "first"


def test_the_least_recently_used_entry_is_dropped_beyond_the_size() -> None:
    cache: ByDocument[str] = ByDocument(2)
    a, b, c = parse("{ a }"), parse("{ b }"), parse("{ c }")
    cache.get(a, None, lambda: "a")
    cache.get(b, None, lambda: "b")
    cache.get(a, None, lambda: "a again")  # a is now the most recent
    cache.get(c, None, lambda: "c")  # drops b
    assert cache.get(a, None, lambda: "recomputed") == "a"
    assert cache.get(b, None, lambda: "recomputed") == "recomputed"
