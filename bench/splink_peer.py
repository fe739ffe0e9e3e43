"""Splink 5 (DuckDB) on the FEBRL sets, configured exactly as Splink's own demos do.

The settings, deterministic rules, training steps and predict threshold are those of
docs/demos/examples/duckdb/febrl3.nb.py (febrl3, and febrl2, which has the same columns and
noise) and of the "detailed" model of febrl4.nb.py (febrl4) in the Splink repository
(moj-analytical-services/splink, read at commit e22dacdd). Splink reads the raw FEBRL
columns (street_number and address_1 apart, as in the demos), every value trimmed and an
empty value as null (the demos trim only date_of_birth, soc_sec_id and postcode, so there a
missing name is " " and two missing names count as an exact match). Clustering is at the
threshold the caller passes: c360graph's default, so both systems decide at the same
probability.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

import pandas as pd
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
from splink import comparison_library as cl
from splink.blocking_rule_library import CustomRule
from splink_baseline import SplinkRun, StepTimer

Row = dict[str, str]
PREDICT_THRESHOLD = 0.2  # as in both demos


def frame(rows: Sequence[Row]) -> pd.DataFrame:
    """The FEBRL rows as strings, empty values as null."""
    df = pd.DataFrame(list(rows), dtype="string")
    return df.mask(df == "")


def dedupe_settings() -> SettingsCreator:
    """febrl3.nb.py's settings (dedupe_only)."""
    return SettingsCreator(
        unique_id_column_name="rec_id",
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=[
            block_on("soc_sec_id"),
            block_on("given_name"),
            block_on("surname"),
            block_on("date_of_birth"),
            block_on("postcode"),
        ],
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison(
                "date_of_birth", input_is_string=True, datetime_format="%Y%m%d"
            ),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.ExactMatch("postcode").configure(term_frequency_adjustments=True),
        ],
        retain_intermediate_calculation_columns=True,
    )


def link_settings() -> SettingsCreator:
    """febrl4.nb.py's "detailed" model settings (link_only)."""
    return SettingsCreator(
        unique_id_column_name="rec_id",
        link_type="link_only",
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "surname"),
            # The demo passes this SQL as a plain string; CustomRule is what Splink makes of it.
            CustomRule("l.given_name = r.surname and l.surname = r.given_name"),
            block_on("date_of_birth"),
            block_on("soc_sec_id"),
            block_on("state", "address_1"),
            block_on("street_number", "address_1"),
            block_on("postcode"),
        ],
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison(
                "date_of_birth",
                input_is_string=True,
                datetime_format="%Y%m%d",
                invalid_dates_as_null=True,
            ),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(
                term_frequency_adjustments=True
            ),
        ],
        retain_intermediate_calculation_columns=True,
    )


def run_febrl(sources: Mapping[str, Sequence[Row]], link_only: bool, threshold: float) -> SplinkRun:
    """Train as the demo does, predict, cluster at `threshold`; clusters keyed source:rec_id."""
    steps = StepTimer()
    done, seconds = steps.done, steps.seconds

    key_of = {
        row["rec_id"]: f"{source}:{row['rec_id']}"
        for source, rows in sources.items()
        for row in rows
    }
    if len(key_of) != sum(len(rows) for rows in sources.values()):
        raise ValueError("rec_id is not unique across the sources; Splink keys records by it")
    db = DuckDBAPI()
    tables = [db.register(frame(rows)) for rows in sources.values()]
    settings = link_settings() if link_only else dedupe_settings()
    linker = Linker(tables if link_only else tables[0], settings, log_level=logging.ERROR)
    done("register")
    if link_only:  # febrl4.nb.py
        linker.training.estimate_probability_two_random_records_match(
            [block_on("soc_sec_id"), block_on("given_name", "surname", "date_of_birth")],
            recall=0.8,
        )
        linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
        done("prior+u")
        for rule in ("date_of_birth", "postcode"):
            linker.training.estimate_parameters_using_expectation_maximisation(
                block_on(rule), estimate_without_term_frequencies=True
            )
    else:  # febrl3.nb.py
        linker.training.estimate_probability_two_random_records_match(
            [
                block_on("soc_sec_id"),
                block_on("given_name", "surname", "date_of_birth"),
                "l.given_name = r.surname and l.surname = r.given_name "
                "and l.date_of_birth = r.date_of_birth",
            ],
            recall=0.9,
        )
        linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=2)
        done("prior+u")
        for rule in ("date_of_birth", "postcode"):
            linker.training.estimate_parameters_using_expectation_maximisation(block_on(rule))
    done("em")
    predictions = linker.inference.predict(threshold_match_probability=PREDICT_THRESHOLD)
    done("predict")
    clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=threshold
    )
    rows = clustered.as_duckdbpyrelation().select("rec_id, cluster_id").fetchall()
    clusters = {key_of[str(rec_id)]: str(cluster) for rec_id, cluster in rows}
    done("cluster")
    pairs = int(predictions.as_duckdbpyrelation().shape[0])
    return SplinkRun(clusters, seconds, pairs)
