"""Our DuckDB SQL rendered for Spark (model/spark_sql.py): every level kind, each difference."""

from __future__ import annotations

import re

import pytest
import sqlglot

from c360graph.resolve import blocking
from c360graph.resolve.model.kinds import FIELDS
from c360graph.resolve.model.levels import settings
from c360graph.resolve.model.spark_sql import duckdb_sql_of, spark_settings, to_spark
from c360graph.resolve.settings import load_resolution_config

# DuckDB's names that Spark has no function for (or, for LENGTH, one for strings only).
_DUCKDB_ONLY = re.compile(
    r"\b(list_\w+|len|length|jaro_winkler_similarity|jarowinkler_similarity|date_diff)\s*\(",
    re.IGNORECASE,
)
_KINDS = [(f, k, kind.sql(0.9)) for f, (_, kinds) in FIELDS.items() for k, kind in kinds.items()]


@pytest.mark.parametrize(("field", "kind", "sql"), _KINDS, ids=[f"{f}-{k}" for f, k, _ in _KINDS])
def test_every_level_kind_renders_as_spark_sql_without_duckdb_functions(
    field: str, kind: str, sql: str
) -> None:
    rendered = to_spark(sql)
    assert not _DUCKDB_ONLY.search(rendered), rendered
    sqlglot.parse_one(rendered, read="spark")  # Splink re-parses it as Spark SQL


def test_list_length_becomes_size_not_the_string_length() -> None:
    assert to_spark("len(list_intersect(phones_l, phones_r)) > 0") == (
        "SIZE(ARRAY_INTERSECT(phones_l, phones_r)) > 0"
    )


def test_has_all_becomes_nothing_left_after_except() -> None:
    # list_has_all(a, b): every value of b is in a.
    assert to_spark("list_has_all(a_l, a_r)") == "SIZE(ARRAY_EXCEPT(a_r, a_l)) = 0"


def test_bool_and_over_a_transform_becomes_forall() -> None:
    rendered = to_spark("list_bool_and(list_transform(xs, lambda x: x > 1))")
    assert rendered == "FORALL(xs, x -> x > 1)"


def test_has_any_becomes_arrays_overlap_not_the_postgres_operator() -> None:
    assert to_spark("list_has_any(a_l, b_r)") == "ARRAYS_OVERLAP(a_l, b_r)"


def test_nested_rewrites_all_happen() -> None:
    rendered = to_spark(
        "list_bool_and(list_transform(a, lambda x: list_max(list_transform(b, "
        "lambda y: jaro_winkler_similarity(x, y))) >= 0.9))"
    )
    assert rendered == "FORALL(a, x -> ARRAY_MAX(TRANSFORM(b, y -> JARO_WINKLER(x, y))) >= 0.9)"


def test_jaro_winkler_is_the_splink_jar_function() -> None:
    assert to_spark("jaro_winkler_similarity(city_l, city_r) >= 0.88") == (
        "JARO_WINKLER(city_l, city_r) >= 0.88"
    )


def test_date_difference_keeps_its_direction() -> None:
    # DuckDB's date_diff('day', a, b) is b - a; so is Spark's DATEDIFF(DAY, a, b).
    assert to_spark("abs(date_diff('day', dob_l, dob_r)) <= 365") == (
        "ABS(DATEDIFF(DAY, dob_l, dob_r)) <= 365"
    )


def test_splink_else_level_is_kept() -> None:
    assert to_spark("ELSE") == "ELSE"


def test_a_list_bool_and_over_anything_but_a_transform_is_refused() -> None:
    with pytest.raises(ValueError, match="no Spark form"):
        to_spark("list_bool_and(flags_l)")


def test_spark_settings_change_only_the_sql() -> None:
    untrained = settings(load_resolution_config())
    rendered = spark_settings(untrained)
    assert [c["output_column_name"] for c in rendered["comparisons"]] == [
        c["output_column_name"] for c in untrained["comparisons"]
    ]
    for ours, theirs in zip(untrained["comparisons"], rendered["comparisons"], strict=True):
        for a, b in zip(ours["comparison_levels"], theirs["comparison_levels"], strict=True):
            assert {k: v for k, v in a.items() if k != "sql_condition"} == {
                k: v for k, v in b.items() if k != "sql_condition"
            }
    assert "list_" in str(untrained)
    assert "list_" not in str(rendered).lower()


def test_blocking_statements_parse_as_spark_sql() -> None:
    rules = load_resolution_config().blocking.rules
    for sql in (
        blocking.members_sql(list(rules)),
        blocking.STATS_SQL,
        blocking.found_sql(True),
        blocking.found_sql(False),
        blocking.CROSSED_SQL,
    ):
        rendered = to_spark(sql)
        sqlglot.parse_one(rendered, read="spark")
        assert "unnest(" not in rendered.lower()  # DuckDB's lateral unnest: Spark explodes


def test_a_model_trained_on_spark_keeps_duckdb_sql_and_its_parameters() -> None:
    untrained = settings(load_resolution_config())
    trained = spark_settings(untrained)
    trained["sql_dialect"] = "spark"
    for comparison in trained["comparisons"]:
        for level in comparison["comparison_levels"]:
            level["m_probability"], level["u_probability"] = 0.7, 0.01
    back = duckdb_sql_of(trained, untrained)
    assert back["sql_dialect"] == "duckdb"
    for ours, theirs in zip(untrained["comparisons"], back["comparisons"], strict=True):
        for a, b in zip(ours["comparison_levels"], theirs["comparison_levels"], strict=True):
            assert b["sql_condition"] == a["sql_condition"]
            assert (b["m_probability"], b["u_probability"]) == (0.7, 0.01)


def test_a_model_whose_comparisons_do_not_line_up_is_refused() -> None:
    untrained = settings(load_resolution_config())
    trained = spark_settings(untrained)
    trained["comparisons"].reverse()
    with pytest.raises(ValueError, match="is not"):
        duckdb_sql_of(trained, untrained)
    trained["comparisons"].pop()
    with pytest.raises(ValueError):
        duckdb_sql_of(trained, untrained)
