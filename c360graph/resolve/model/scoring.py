"""Scoring candidate pairs with a trained model, in Splink (DuckDB), in one batch.

Candidates come from our rules and blocking (resolve/blocking.py, the deterministic rules);
Splink scores exactly those pairs (`register_blocked_pairs_for_predict`). Term frequencies
come from the model, never from the records in the run, so a pair scores the same in a
full run and in an incremental one.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from c360graph.resolve import duck
from c360graph.resolve.duck import count, replace_table
from c360graph.resolve.model import splink_workarounds
from c360graph.resolve.model.frequencies import lookup
from c360graph.resolve.model.splink_env import quiet_splink
from c360graph.resolve.model.training import TrainedModel, tf_columns

NULL_LEVEL = "null"
CHUNK = 500_000  # pairs per Splink prediction: memory stays flat at any scale


@dataclass(frozen=True)
class PairScore:
    """Splink's verdict on one pair: weight (log2 Bayes factor with prior), probability, levels."""

    a: str
    b: str
    weight: float
    probability: float
    levels: dict[str, str]
    partials: dict[str, float]  # comparison -> its log2 Bayes factor


def level_labels(model_settings: dict[str, Any]) -> dict[str, dict[int, str]]:
    """Per comparison, Splink's gamma value -> our level name (-1 is the null level)."""
    out: dict[str, dict[int, str]] = {}
    for comparison in model_settings["comparisons"]:
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        labels = {len(levels) - 1 - i: str(lv["label_for_charts"]) for i, lv in enumerate(levels)}
        labels[-1] = NULL_LEVEL
        out[comparison["output_column_name"]] = labels
    return out


class Scorer:
    """A trained model bound to the records of one run: scores batches of pairs."""

    def __init__(self, model: TrainedModel, table: pa.Table) -> None:
        from splink import DuckDBAPI, Linker  # a heavy import: only when scoring

        splink_workarounds.apply()
        self.model = model
        self._labels = level_labels(model.settings)
        self._wanted = ", ".join(output_columns(model.settings))
        # Levels (gamma_) come only with the matching columns; partials with intermediates.
        settings = dict(
            model.settings,
            retain_intermediate_calculation_columns=True,
            retain_matching_columns=True,
        )
        # Blocking (resolve/blocking.py) makes its pairs in this same database.
        self.con = duck.connect()
        with quiet_splink():
            self._db = DuckDBAPI(connection=self.con)
            self._linker = Linker(self._db.register(table), settings, log_level=None)
            for column in tf_columns(model.settings):
                self._register_frequencies(table, column)

    def _register_frequencies(self, table: pa.Table, column: str) -> None:
        # Every value of the run gets its frequency from the model (unseen: rare), so a
        # pair scores the same whatever records the run holds.
        values = table.column(column).cast(pa.string()).unique().drop_null().to_pylist()
        freq = lookup(self.model.term_frequencies, column, values)
        frame = pa.table(
            {column: pa.array(list(freq), pa.string()), f"tf_{column}": list(freq.values())}
        )
        self._linker.table_management.register_term_frequency_lookup(
            self._db.register(frame), column
        )

    def score(
        self, pairs: Sequence[tuple[str, str]], min_probability: float = 0.0
    ) -> Iterator[PairScore]:
        """Score each (a, b) pair of record keys, a < b; yields one PairScore per pair.

        With `min_probability`, only pairs scoring at least that come back: most candidates
        score low, and turning them into Python objects costs more than scoring them.
        """
        if not pairs:
            return
        blocked = pa.table(
            {
                "match_key": pa.array(["0"] * len(pairs)),
                "join_key_l": pa.array([a for a, _ in pairs]),
                "join_key_r": pa.array([b for _, b in pairs]),
            }
        )
        with quiet_splink():
            registered = self._db.register(blocked)
        yield from self._predict(registered, min_probability)

    def score_table(self, pairs: str, min_probability: float = 0.0) -> Iterator[PairScore]:
        """Score every pair (columns a, b; a < b) of the table `pairs` in `self.con`.

        In parts of at most CHUNK pairs, split by a hash of the pair.
        """
        parts = max(1, -(-count(self.con, pairs) // CHUNK))
        for part in range(parts):
            replace_table(
                self.con,
                "c360_scored_part",
                "SELECT '0' AS match_key, "
                f"a AS join_key_l, b AS join_key_r FROM {pairs} "
                f"WHERE hash(a, b) % {parts} = {part}",
            )
            with quiet_splink():
                registered = self._db.register("c360_scored_part")
            yield from self._predict(registered, min_probability)

    def _predict(self, registered: Any, min_probability: float) -> Iterator[PairScore]:
        with quiet_splink():
            self._linker.table_management.register_blocked_pairs_for_predict(registered)
            result = self._linker.inference.predict(warning_mode="never")
            relation = result.as_duckdbpyrelation()
            if min_probability > 0.0:
                relation = relation.filter(f"match_probability >= {float(min_probability)!r}")
            arrow = relation.select(self._wanted).arrow()
            if isinstance(arrow, pa.RecordBatchReader):
                arrow = arrow.read_all()
            result.drop_table_from_database_and_remove_from_cache()
        yield from self._rows(arrow)

    def _rows(self, arrow: pa.Table) -> Iterator[PairScore]:
        return pair_scores(arrow, self._labels)


def output_columns(model_settings: dict[str, Any]) -> list[str]:
    """The columns of Splink's predictions a PairScore is read from."""
    tf_fields = [
        c["output_column_name"]
        for c in model_settings["comparisons"]
        if any(lv.get("tf_adjustment_column") for lv in c["comparison_levels"])
    ]
    return (
        ["unique_id_l", "unique_id_r", "match_weight", "match_probability"]
        + [
            f"{p}_{c['output_column_name']}"
            for c in model_settings["comparisons"]
            for p in ("gamma", "mw")
        ]
        + [f"mw_tf_adj_{f}" for f in tf_fields]
    )


def pair_scores(arrow: pa.Table, labels: dict[str, dict[int, str]]) -> Iterator[PairScore]:
    """PairScores from Splink's predictions (output_columns), whichever engine made them."""
    fields = list(labels)
    cols = {name: arrow.column(name).to_pylist() for name in arrow.column_names}
    a, b = cols["unique_id_l"], cols["unique_id_r"]
    weights, probabilities = cols["match_weight"], cols["match_probability"]
    gammas = {f: cols[f"gamma_{f}"] for f in fields}
    partials = {f: cols[f"mw_{f}"] for f in fields}
    zero = [0.0] * len(a)
    adjusted = {f: cols.get(f"mw_tf_adj_{f}") or zero for f in fields}
    for i in range(len(a)):
        yield PairScore(
            a[i],
            b[i],
            weights[i],
            probabilities[i],
            {f: labels[f][gammas[f][i]] for f in fields},
            {f: partials[f][i] + (adjusted[f][i] or 0.0) for f in fields},
        )
