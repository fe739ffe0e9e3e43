"""A model brought from elsewhere: a Splink settings JSON, checked against our columns."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from c360graph.resolve.features import features
from c360graph.resolve.model.columns import SCHEMA, records_table
from c360graph.resolve.model.frequencies import person_frequencies
from c360graph.resolve.model.scoring import Scorer
from c360graph.resolve.model.training import TrainedModel, tf_columns
from c360graph.resolve.records import Rec


class ModelImportError(ValueError):
    """The file is not a Splink model c360graph can score with; the message says why."""


def _settings(path: Path) -> dict[str, Any]:
    try:
        settings = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelImportError(f"cannot read {path} as JSON: {exc}") from exc
    if not isinstance(settings, dict) or not settings.get("comparisons"):
        raise ModelImportError(f"{path} has no comparisons: is it a Splink settings JSON?")
    uid = settings.get("unique_id_column_name", "unique_id")
    if uid != "unique_id":
        raise ModelImportError(
            f"{path} names its id column {uid!r}; c360graph's is unique_id: set "
            '"unique_id_column_name": "unique_id"'
        )
    for comparison in settings["comparisons"]:
        for level in comparison.get("comparison_levels", []):
            if level.get("is_null_level"):
                continue
            if level.get("m_probability") is None or level.get("u_probability") is None:
                raise ModelImportError(
                    f"{path}: level {level.get('label_for_charts')!r} of "
                    f"{comparison.get('output_column_name')!r} has no trained m and u; "
                    "train it in Splink first, or use `c360 model train`"
                )
    settings.setdefault("probability_two_random_records_match", 0.0001)
    return {**settings, "link_type": "dedupe_only", "blocking_rules_to_generate_predictions": []}


def imported_model(path: Path, recs: Mapping[str, Rec]) -> TrainedModel:
    """The model in `path`, with term frequencies counted on `recs`; scored once to check."""
    settings = _settings(path)
    table = records_table((rec, features(rec)) for rec in recs.values())
    frequencies = person_frequencies(table, tf_columns(settings))
    model = TrainedModel(settings, frequencies, table.num_rows, (f"imported from {path.name}",))
    keys = table.column("unique_id").to_pylist()[:2]
    try:
        list(Scorer(model, table).score([(min(keys), max(keys))] if len(keys) == 2 else []))
    except Exception as exc:  # Splink raises its own and DuckDB's errors for a bad model
        columns = ", ".join(SCHEMA.names)
        raise ModelImportError(
            f"{path} does not score on c360graph's records ({exc}); its comparisons may "
            f"only read these columns: {columns}"
        ) from exc
    return model
