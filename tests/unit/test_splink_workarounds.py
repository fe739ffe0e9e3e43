"""The Splink workaround changes no answer, and is still needed by the pinned Splink."""

from __future__ import annotations

from typing import Any
from unittest import mock

import sqlglot
from splink.internals.comparison_level import ComparisonLevel
from splink.internals.dialects import SplinkDialect

from c360graph.resolve.model import splink_workarounds
from c360graph.resolve.model.levels import settings
from c360graph.resolve.settings import load_resolution_config


def _levels() -> list[ComparisonLevel]:
    duckdb = SplinkDialect.from_string("duckdb")
    out = []
    for comparison in settings(load_resolution_config())["comparisons"]:
        for level in comparison["comparison_levels"]:
            kw: dict[str, Any] = {k: v for k, v in level.items() if k != "sql_condition"}
            out.append(ComparisonLevel(level["sql_condition"], duckdb, **kw))
    return out


def test_the_cached_answers_are_splinks_own() -> None:
    assert splink_workarounds.apply()
    upstream = splink_workarounds.UPSTREAM["_is_exact_match"]
    for level in _levels():
        expected = upstream(level)
        assert level._is_exact_match == expected
        assert level._is_exact_match == expected  # the second read comes from the cache


def test_splink_still_parses_a_levels_sql_on_every_read() -> None:
    # When this fails, Splink caches the parse itself: drop splink_workarounds.py.
    splink_workarounds.apply()
    upstream = splink_workarounds.UPSTREAM["_is_exact_match"]
    level = _levels()[1]
    with mock.patch.object(sqlglot, "parse_one", wraps=sqlglot.parse_one) as parse:
        upstream(level)
        upstream(level)
    once = parse.call_count // 2
    assert once >= 1 and parse.call_count == 2 * once  # parsed again for the second read
