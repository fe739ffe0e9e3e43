"""Training: a Splink model estimated from the records being resolved, without labels.

The steps are Splink's own (DuckDB backend): the prior from deterministic rules, u from
random pairs, m by expectation-maximisation over blocked pairs, term frequencies counted
over the records. Which comparisons enter the model, and which rules can be used, follow
from what the data holds: a field no record has cannot be learned, so it is left out.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import pyarrow as pa

from c360graph.resolve import duck
from c360graph.resolve.model.columns import filled
from c360graph.resolve.model.frequencies import (
    NAME_CALIBRATION,
    NAME_TOKENS,
    PEOPLE,
    person_frequencies,
)
from c360graph.resolve.model.kinds import FIELDS, LIST_COLUMNS
from c360graph.resolve.model.levels import settings
from c360graph.resolve.model.splink_env import quiet_splink
from c360graph.resolve.settings import ResolutionConfig, TrainingSpec

_MIN_RULE_SHARE = 0.05  # a training rule needs its columns on this share of records
# No level is a certain veto or a certain match: a level EM never saw among matches would
# get m = 0 (weight minus infinity), one random sampling never saw u = 0 (plus infinity).
_MIN_M = 1e-4


@dataclass(frozen=True)
class TrainedModel:
    """A trained Splink model: its settings JSON and the term frequencies it was trained on.

    Term frequencies are part of the model: scoring reads them from here, not from the
    records in a run, so a pair scores the same whichever records a run looks at.
    """

    settings: dict[str, Any]
    term_frequencies: dict[str, dict[str, float]]  # column -> value -> share of records
    records: int  # records it was trained on
    steps: tuple[str, ...] = ()  # what training did, for people

    @property
    def model_id(self) -> str:
        """A short hash of the parameters: runs record which model decided their links."""
        text = json.dumps(self.settings, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:12]


def _rule(columns: Sequence[str]) -> Any:
    """A Splink blocking rule: equal on every column (any value in common for a list)."""
    from splink import block_on

    lists = [c for c in columns if c in LIST_COLUMNS]
    return block_on(*columns, arrays_to_explode=lists or None)


def _usable(rules: Sequence[tuple[str, ...]], share: dict[str, float]) -> list[tuple[str, ...]]:
    return [rule for rule in rules if all(share[c] >= _MIN_RULE_SHARE for c in rule)]


def _fields_present(share: dict[str, float], spec: TrainingSpec) -> dict[str, bool]:
    return {
        field: any(share[c] >= spec.min_share for c in columns)
        for field, (columns, _) in FIELDS.items()
    }


def tf_columns(model_settings: dict[str, Any]) -> list[str]:
    """The columns a model's levels adjust by term frequency."""
    return sorted(
        {
            level["tf_adjustment_column"]
            for comparison in model_settings["comparisons"]
            for level in comparison["comparison_levels"]
            if level.get("tf_adjustment_column")
        }
    )


def _untrained(linker: Any) -> set[str]:
    # Comparisons no EM session has estimated yet (Splink keeps no public view of this).
    comparisons = linker._settings_obj.comparisons
    return {c.output_column_name for c in comparisons if not c._some_m_are_trained}


class SplinkEngine(Protocol):
    """Where Splink trains: DuckDB in this process unless one is given (model/spark_backend.py)."""

    def register(self, table: pa.Table) -> Any:
        """The Arrow table as a Splink dataframe of this engine."""
        ...

    def settings(self, model_settings: dict[str, Any]) -> dict[str, Any]:
        """The settings with their levels in this engine's SQL."""
        ...

    def canonical(self, trained: dict[str, Any], untrained: dict[str, Any]) -> dict[str, Any]:
        """A trained model's settings with its levels back in DuckDB SQL (as stored)."""
        ...


class _DuckDB:
    """Splink on DuckDB, in this process: the default."""

    def __init__(self) -> None:
        from splink import DuckDBAPI

        self._db = DuckDBAPI(connection=duck.connect())

    def register(self, table: pa.Table) -> Any:
        return self._db.register(table)

    def settings(self, model_settings: dict[str, Any]) -> dict[str, Any]:
        return model_settings

    def canonical(self, trained: dict[str, Any], untrained: dict[str, Any]) -> dict[str, Any]:
        return trained


def train(
    table: pa.Table,
    config: ResolutionConfig,
    must_links: Iterable[tuple[str, str]] = (),
    engine: SplinkEngine | None = None,
) -> TrainedModel:
    """Estimate the model's parameters from the records in `table` (model/columns.py).

    `must_links` (analysts' same-person assertions) are labelled matches: with at least
    `training.min_labels` of them, m is also estimated from them (Splink averages it with
    what EM found). Labels are never required.

    Below `training.min_records` records there is too little to learn from: the model is
    Splink's own starting point (first level +10, else -5, in between interpolated), the
    parameters EM would start from, and it links little until there is more data.

    `engine` runs Splink elsewhere (Spark); the model comes back with DuckDB's SQL.
    """
    from splink import Linker  # a heavy import: only when training
    from splink.internals.exceptions import EMTrainingException

    spec = config.training
    share = filled(table)
    untrained = settings(config, _fields_present(share, spec))
    steps: list[str] = []
    with quiet_splink():
        db = engine or _DuckDB()
        linker = Linker(db.register(table), db.settings(untrained), log_level=None)
        if table.num_rows < spec.min_records:
            saved = db.canonical(linker.misc.save_model_to_json(), untrained)
            starting = _with_starting_values(saved, linker)
            steps.append(
                f"{table.num_rows:,} records are too few to learn from (fewer than "
                f"{spec.min_records:,}): Splink's starting parameters"
            )
            return TrainedModel(starting, {}, table.num_rows, tuple(steps))
        prior_rules = _usable(spec.prior_rules, share)
        if prior_rules:
            linker.training.estimate_probability_two_random_records_match(
                [_rule(r) for r in prior_rules], recall=spec.prior_recall
            )
            steps.append(f"prior from {len(prior_rules)} deterministic rules")
        linker.training.estimate_u_using_random_sampling(max_pairs=spec.u_max_pairs, seed=spec.seed)
        steps.append(f"u from up to {spec.u_max_pairs:,} random pairs")
        for rule in _usable(spec.em_rules, share):
            left = _untrained(linker)
            if not left:
                break
            blocked_on = "+".join(rule)
            try:
                linker.training.estimate_parameters_using_expectation_maximisation(
                    _rule(rule), estimate_without_term_frequencies=True
                )
            except (ValueError, EMTrainingException) as exc:
                # Splink 5.0 rejects an m its own EM drove below 1e-300 (small, clean
                # blocks), and a rule that pairs no records (a few hundred records, no two
                # born on one day); the session is dropped and the next rule estimates.
                steps.append(f"EM over pairs blocked on {blocked_on} gave up ({exc})"[:160])
                continue
            steps.append(f"m by EM over pairs blocked on {blocked_on}")
        labels = _labels(table, must_links)
        if len(labels) >= spec.min_labels:
            labelled = db.register(_label_table(labels))
            linker.training.estimate_m_from_pairwise_labels(labelled)  # type: ignore[no-untyped-call]
            steps.append(f"m also from {len(labels):,} analysts' must-links")
        model_settings: dict[str, Any] = _without_matches(
            db.canonical(linker.misc.save_model_to_json(), untrained)
        )
        tf = tf_columns(model_settings)
        exact = _exact_levels(config)
        counted = person_frequencies(table, sorted({*tf, *exact.values()}))
        model_settings = _bounded(model_settings, spec, _chance_agreement(exact, counted))
        kept = {*tf, NAME_TOKENS, PEOPLE, NAME_CALIBRATION}
        frequencies = {column: f for column, f in counted.items() if column in kept}
    return TrainedModel(model_settings, frequencies, table.num_rows, tuple(steps))


def _labels(table: pa.Table, pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    keys = set(table.column("unique_id").to_pylist())
    return sorted((min(a, b), max(a, b)) for a, b in pairs if a in keys and b in keys)


def _label_table(labels: list[tuple[str, str]]) -> pa.Table:
    return pa.table({"unique_id_l": [a for a, _ in labels], "unique_id_r": [b for _, b in labels]})


def _with_starting_values(model_settings: dict[str, Any], linker: Any) -> dict[str, Any]:
    """Fill every level's m and u with the defaults Splink starts training from."""
    comparisons = linker._settings_obj.comparisons  # the defaults live there
    for comparison, levels in zip(model_settings["comparisons"], comparisons, strict=True):
        for level, splink_level in zip(
            comparison["comparison_levels"], levels.comparison_levels, strict=True
        ):
            if not level.get("is_null_level"):
                level["m_probability"] = splink_level.m_probability
                level["u_probability"] = splink_level.u_probability
            # No frequencies are learned from too few records: no adjustment by them.
            level.pop("tf_adjustment_column", None)
            level.pop("tf_adjustment_weight", None)
    return model_settings


def _without_matches(model_settings: dict[str, Any]) -> dict[str, Any]:
    """Take the matches out of u: random pairs include some, u must describe non-matches.

    Random sampling measures u_random = p * m + (1 - p) * u (p: the prior), which for an
    identifier is mostly the matches among the pairs when records have many duplicates
    (thousands of records, a few per person). Solved for u; negligible on large data.
    """
    p = float(model_settings["probability_two_random_records_match"])
    for comparison in model_settings["comparisons"]:
        for level in comparison["comparison_levels"]:
            m, u = level.get("m_probability"), level.get("u_probability")
            if level.get("is_null_level") or m is None or u is None:
                continue
            level["u_probability"] = max(0.0, (u - p * m) / (1 - p))
    return model_settings


def _exact_levels(config: ResolutionConfig) -> dict[tuple[str, str], str]:
    """(field, level) -> column, for every level that holds when one column's values agree."""
    out = {}
    for spec in config.comparisons:
        for level in spec.levels:
            kind = FIELDS[spec.field][1].get(level.kind)
            if kind is not None and kind.tf_column:
                out[(spec.field, level.level)] = kind.tf_column
    return out


def _chance_agreement(
    exact: dict[tuple[str, str], str], frequencies: dict[str, dict[str, float]]
) -> dict[tuple[str, str], float]:
    """Per exact level, the chance two different people agree on the value.

    With c_v people carrying value v, of C carrying any: sum of c_v (c_v - 1) / (C (C - 1)).
    u can be no lower than this. Taking the matches out of random pairs can overshoot
    where a file holds many duplicates per person, and a u near zero would make a common
    date of birth weigh like an identifier. Full names are left out: their frequencies are
    estimated from their tokens, not counted.
    """
    people = frequencies[PEOPLE]["groups"]
    out = {}
    for level, column in exact.items():
        if column == "name_key":
            continue
        carriers = [share * people for share in frequencies.get(column, {}).values()]
        total = sum(carriers)
        if total > 1:
            out[level] = sum(c * (c - 1) for c in carriers) / (total * (total - 1))
    return out


def _bounded(
    model_settings: dict[str, Any],
    spec: TrainingSpec,
    floors: dict[tuple[str, str], float] | None = None,
) -> dict[str, Any]:
    """Give unobserved levels finite weights: m at least _MIN_M, u one in the pairs sampled.

    `floors` gives some levels (field, level label) a higher least u: chance agreement.
    """
    min_u = 0.5 / spec.u_max_pairs
    floors = floors or {}
    for comparison in model_settings["comparisons"]:
        field = comparison["output_column_name"]
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            least = max(min_u, floors.get((field, level["label_for_charts"]), 0.0))
            u = max(level.get("u_probability") or 0.0, least)
            m = level.get("m_probability")
            level["u_probability"] = u
            level["m_probability"] = u if m is None else max(m, _MIN_M)
    return model_settings
