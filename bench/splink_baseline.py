"""Splink 5 (DuckDB backend) on the same customer records: the baseline of bench/resolve.py.

The records come from the graph's own export (`Rec`s, already normalized), flattened to one
row per record. Identifier tuples become their first value: this baseline compares scalar
columns (array columns would need exploding blocking rules and array comparisons).
Identifier values that c360graph ignores as shared (placeholder e-mails, values used by too
many records or names) are blanked first, as any Splink user would clean such values.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
from splink import comparison_level_library as cll
from splink import comparison_library as cl
from splink.internals.splink_dataframe import SplinkDataFrame  # not re-exported by splink

from c360graph.normalize.email import is_placeholder_email
from c360graph.resolve.records import Rec
from c360graph.resolve.settings import SharedIdentifiers

_IDENTIFIERS = ("emails", "phones", "devices", "loyalty_ids")
_PLACE = ("postcode", "address_line1", "city")


class StepTimer:
    """Seconds per named step, each counted from the end of the one before."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._started = time.perf_counter()

    def done(self, step: str) -> None:
        """Close `step` now."""
        now = time.perf_counter()
        self.seconds[step] = round(now - self._started, 2)
        self._started = now


@dataclass
class SplinkRun:
    """Splink's clusters (record key -> cluster id) and per-step seconds."""

    clusters: dict[str, str]
    seconds: dict[str, float] = field(default_factory=dict)
    pairs: int = 0  # predicted pairs at or above the predict threshold

    @property
    def total(self) -> float:
        """End-to-end seconds: registration, training, prediction, clustering."""
        return sum(self.seconds.values())


def _shared(recs: Sequence[Rec], limits: SharedIdentifiers) -> set[tuple[str, str]]:
    users: dict[tuple[str, str], list[Rec]] = defaultdict(list)
    for rec in recs:
        for attr in _IDENTIFIERS:
            for value in getattr(rec, attr):
                users[(attr, value)].append(rec)
    shared = set()
    for (attr, value), holders in users.items():
        names = {(r.first_name_key, r.last_name_key) for r in holders} - {(None, None)}
        if (
            (attr == "emails" and is_placeholder_email(value))
            or len(holders) > limits.max_records
            or len(names) > limits.max_distinct_names
        ):
            shared.add((attr, value))
    return shared


def records_frame(recs: Sequence[Rec], limits: SharedIdentifiers) -> pd.DataFrame:
    """One row per record, the columns Splink compares; unique_id is the record key."""
    shared = _shared(recs, limits)

    def first(rec: Rec, attr: str) -> str | None:
        return next((v for v in getattr(rec, attr) if (attr, v) not in shared), None)

    frame = pd.DataFrame(
        [
            {
                "unique_id": r.key,
                "first_name_key": r.first_name_key,
                "last_name_key": r.last_name_key,
                "dob": r.date_of_birth,
                "postcode": r.postcode,
                "city": (r.city or "").lower() or None,
                "address_line1": (r.address_line1 or "").lower() or None,
                "email": first(r, "emails"),
                "phone": first(r, "phones"),
                "device": first(r, "devices"),
                "loyalty_id": first(r, "loyalty_ids"),
            }
            for r in recs
            if not r.stub
        ]
    )
    # A real date column (not Python objects), so DuckDB's date arithmetic applies.
    frame["dob"] = pd.to_datetime(frame["dob"]).astype("datetime64[s]")
    return frame


def _location() -> cl.CustomComparison:
    # Address line, postcode and city as ONE comparison: separately they are strongly
    # correlated, so Fellegi-Sunter counts one shared home three times and merges households.
    missing = " AND ".join(f"({c}_l IS NULL OR {c}_r IS NULL)" for c in _PLACE)
    return cl.CustomComparison(
        [
            cll.CustomLevel(missing, "no location on both").configure(is_null_level=True),
            cll.And(cll.ExactMatchLevel("postcode"), cll.JaroWinklerLevel("address_line1", 0.9)),
            cll.ExactMatchLevel("postcode"),
            cll.JaroWinklerLevel("address_line1", 0.9),
            cll.ExactMatchLevel("city"),
            cll.ElseLevel(),
        ],
        output_column_name="location",
    )


def _settings() -> SettingsCreator:
    return SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("first_name_key").configure(term_frequency_adjustments=True),
            cl.NameComparison("last_name_key").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("dob", input_is_string=False),
            _location(),
            cl.ExactMatch("email"),
            cl.ExactMatch("phone"),
            cl.ExactMatch("device"),
            cl.ExactMatch("loyalty_id"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("email"),
            block_on("phone"),
            block_on("device"),
            block_on("first_name_key", "last_name_key"),
            block_on("first_name_key", "dob"),
            block_on("last_name_key", "postcode"),
        ],
        retain_matching_columns=False,  # only ids and probabilities are needed
    )


def run_splink(
    frame: pd.DataFrame, threshold: float, predict_threshold: float = 0.5
) -> tuple[SplinkRun, Linker, SplinkDataFrame]:
    """Train, predict and cluster at `threshold`; also returns the linker and predictions.

    The predictions (at `predict_threshold`) let the caller re-cluster at other thresholds
    outside the timed run.
    """
    steps = StepTimer()
    done, seconds = steps.done, steps.seconds

    db = DuckDBAPI()
    # ERROR: its INFO lines flood the output, and its warnings (levels EM never observed, such
    # as device matches inside a name block, keep default m values) are expected here.
    linker = Linker(db.register(frame), _settings(), log_level=logging.ERROR)
    done("register")
    linker.training.estimate_probability_two_random_records_match(
        [
            block_on("email"),
            block_on("first_name_key", "last_name_key", "dob"),
            block_on("phone", "last_name_key"),
        ],
        recall=0.7,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    done("prior+u")
    # Each EM pass estimates the m values of the comparisons its blocking rule leaves free.
    for rule in (
        block_on("first_name_key", "last_name_key"),
        block_on("dob"),
        block_on("email"),
    ):
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    done("em")
    predictions = linker.inference.predict(threshold_match_probability=predict_threshold)
    done("predict")
    clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=threshold
    )
    clusters = _clusters(clustered)
    done("cluster")
    pairs = int(predictions.as_duckdbpyrelation().shape[0])
    return SplinkRun(clusters, seconds, pairs), linker, predictions


def _clusters(clustered: SplinkDataFrame) -> dict[str, str]:
    rows = clustered.as_duckdbpyrelation().select("unique_id, cluster_id").fetchall()
    return {str(key): str(cluster) for key, cluster in rows}


def recluster(linker: Linker, predictions: SplinkDataFrame, threshold: float) -> dict[str, str]:
    """Splink's clusters at another threshold, from the same predictions (not timed)."""
    clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=threshold
    )
    return _clusters(clustered)
