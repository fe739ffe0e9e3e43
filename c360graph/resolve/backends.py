"""Where a run's candidate pairs are blocked and scored: in process (DuckDB) or on Spark.

DuckDB is the default and needs nothing else. Spark (model/spark_backend.py, Splink's
SparkAPI) is for populations that outgrow one machine: blocking, scoring and Splink's training
steps run there; export, features, guards, clustering and write-back stay on the driver.
`C360_RESOLVE_BACKEND` (resolve.backend) or `c360 resolve --backend` chooses.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol

from c360graph.resolve.blocking import BlockingStats
from c360graph.resolve.features import Feat
from c360graph.resolve.model.scoring import PairScore
from c360graph.resolve.model.training import SplinkEngine, TrainedModel
from c360graph.resolve.records import Rec
from c360graph.resolve.settings import ResolutionConfig


class PairBackend(Protocol):
    """Blocks and scores a run's candidate pairs somewhere other than the in-process DuckDB."""

    name: str

    def accepted_scores(
        self,
        recs: Mapping[str, Rec],
        feats: dict[str, Feat],
        rule_pairs: Iterable[tuple[str, str]],
        focus: set[str],
        model: TrainedModel,
        config: ResolutionConfig,
        stats: BlockingStats,
    ) -> tuple[int, list[PairScore]]:
        """(candidate pairs, scores at or above the threshold) of the pairs touching `focus`."""
        ...

    def training_engine(self) -> SplinkEngine:
        """Where Splink trains a model for runs on this backend."""
        ...


def pair_backend(name: str, spark_master: str) -> PairBackend | None:
    """The backend called `name`: None for duckdb (linking's own path), else a Spark one.

    Raises SparkUnavailable (saying what to install) when spark is asked for without pyspark.
    """
    if name == "duckdb":
        return None
    if name != "spark":
        raise ValueError(f"unknown resolution backend {name!r}: use duckdb or spark")
    from c360graph.resolve.model.spark_backend import SparkBackend, spark_session

    return SparkBackend(spark_session(spark_master))
