"""Comparisons as data, rendered as the Splink settings dictionary a model is trained from.

`resolution.yaml` names, per compared field, the levels to try in order (a kind from
model/kinds.py and, for similarity kinds, a threshold). The m and u of every level come
from training, never from this file or the YAML.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from c360graph.resolve.model.kinds import FIELDS, REPEATS_ANOTHER_FIELD, both

if TYPE_CHECKING:
    from c360graph.resolve.settings import ComparisonSpec, LevelSpec, ResolutionConfig

NULL_LABEL = "null"


def null_condition(field: str) -> str:
    """True when the two records share no part of the field, or agreeing on it would only
    repeat another field (kinds.REPEATS_ANOTHER_FIELD): the level weighs nothing."""
    columns = FIELDS[field][0]
    known = " OR ".join(f"({both(c)})" for c in columns)
    repeats = REPEATS_ANOTHER_FIELD.get(field)
    return f"NOT ({known}) OR ({repeats})" if repeats else f"NOT ({known})"


def level_sql(field: str, level: LevelSpec) -> str:
    """The SQL condition of one configured level.

    A level over a part one record lacks never holds: SQL's NULL makes the test unknown.
    """
    if level.kind == "else":
        return "ELSE"
    return FIELDS[field][1][level.kind].sql(level.threshold or 0.0)


def _level(field: str, level: LevelSpec) -> dict[str, Any]:
    out: dict[str, Any] = {
        "sql_condition": level_sql(field, level),
        "label_for_charts": level.level,
    }
    kind = FIELDS[field][1].get(level.kind)
    if level.term_frequency and kind is not None and kind.tf_column:
        out["tf_adjustment_column"] = kind.tf_column
        out["tf_adjustment_weight"] = 1.0
    return out


def comparison(spec: ComparisonSpec) -> dict[str, Any]:
    """One comparison of a Splink settings dictionary (levels without m and u)."""
    null = {
        "sql_condition": null_condition(spec.field),
        "label_for_charts": NULL_LABEL,
        "is_null_level": True,
    }
    return {
        "output_column_name": spec.field,
        "comparison_description": spec.field,
        "comparison_levels": [null, *(_level(spec.field, lv) for lv in spec.levels)],
    }


def settings(config: ResolutionConfig, fields: Mapping[str, bool] | None = None) -> dict[str, Any]:
    """An untrained Splink settings dictionary for the configured comparisons.

    `fields` (field -> present in the data) leaves out comparisons the data cannot inform.
    """
    comparisons = [
        comparison(spec)
        for spec in config.comparisons
        if fields is None or fields.get(spec.field, False)
    ]
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": 0.0001,
        "comparisons": comparisons,
        "blocking_rules_to_generate_predictions": [],
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": False,
        "em_convergence": 0.0001,
        "max_iterations": 25,
    }
