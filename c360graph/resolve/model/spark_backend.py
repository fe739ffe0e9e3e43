"""Splink's Spark backend: a run's candidate pairs blocked and scored on a Spark cluster.

The DuckDB path (resolve/blocking.py, model/scoring.py) does all of this in one process. Here
the same work runs in Spark SQL, so it scales out with the cluster:

- the driver (the `c360` process) exports the records from the graph and derives their
  features and block keys in Python, as for DuckDB, and sends two tables to Spark: the
  records as Splink reads them (model/columns.py) and the block keys (blocking.key_table);
- Spark makes the blocks and pairs (blocking.py's SQL, rendered by model/spark_sql.py), adds
  the pairs the deterministic rules proposed, and Splink's SparkAPI scores them with the same
  trained model (its levels rendered for Spark, the term frequencies it carries);
- only the pairs at or above the threshold come back to the driver, for the guards,
  clustering and the batched write-back.

pyspark is an optional extra (`pip install 'c360graph[spark]'`, `make spark`); without it,
SparkUnavailable says what to install.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pyarrow as pa

from c360graph.resolve import blocking
from c360graph.resolve.blocking import BlockingStats
from c360graph.resolve.features import Feat
from c360graph.resolve.model import splink_workarounds
from c360graph.resolve.model.columns import records_table
from c360graph.resolve.model.frequencies import lookup
from c360graph.resolve.model.scoring import PairScore, level_labels, output_columns, pair_scores
from c360graph.resolve.model.spark_sql import duckdb_sql_of, spark_settings, to_spark
from c360graph.resolve.model.splink_env import quiet_splink
from c360graph.resolve.model.training import TrainedModel, tf_columns
from c360graph.resolve.records import Rec
from c360graph.resolve.settings import ResolutionConfig

INSTALL = "pip install 'c360graph[spark]' (in a checkout: make spark)"
_RULE_PAIRS = "c360_rule_pairs"
_BLOCKED = "c360_spark_blocked"
_TO_SCORE = "c360_spark_to_score"
_LOCAL_PARTITIONS = 8


class SparkUnavailable(RuntimeError):
    """The Spark backend was asked for and cannot run; the message says what to do."""


def spark_session(master: str, app_name: str = "c360graph-resolve") -> Any:
    """A Spark session on `master` with Splink's similarity functions (jar) on the classpath.

    An existing session of this process is reused (Spark allows one per driver).
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise SparkUnavailable(
            f"the spark backend needs pyspark, which is not installed: {INSTALL}; "
            "or resolve with --backend duckdb"
        ) from exc
    from splink.backends.spark import similarity_jar_location

    builder = (
        SparkSession.builder.master(master)
        .appName(app_name)
        .config("spark.jars", similarity_jar_location())
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.ui.showConsoleProgress", "false")
    )
    if master.startswith("local"):
        # Spark's 200 shuffle partitions suit a cluster; on one machine they are mostly
        # scheduling. A cluster keeps its own setting (spark-defaults.conf, spark-submit).
        builder = builder.config("spark.sql.shuffle.partitions", str(_LOCAL_PARTITIONS))
    try:
        spark = builder.getOrCreate()
    except Exception as exc:  # Java missing, master unreachable: py4j and Spark errors
        raise SparkUnavailable(
            f"could not start a Spark session on {master!r} ({exc}); check C360_SPARK_MASTER "
            "(resolve.spark_master) and that Java 17 is on the PATH"
        ) from exc
    spark.sparkContext.setLogLevel("ERROR")
    return spark


class SparkBackend:
    """Blocks and scores candidate pairs in Spark with a trained model (see the module doc)."""

    name = "spark"

    def __init__(self, spark: Any) -> None:
        self.spark = spark
        self._bound: tuple[dict[str, Feat], str] | None = None  # (features, model id) bound
        self._linker: Any = None
        self._db: Any = None
        self._members: Any = None  # the blocks of 2+ records, persisted while bound

    def _frame(self, table: pa.Table, view: str | None = None) -> Any:
        """An Arrow table as a Spark DataFrame (and a temporary view named `view`)."""
        frame = self.spark.createDataFrame(table.to_pandas(), schema=_spark_schema(table))
        if view is not None:
            frame.createOrReplaceTempView(view)
        return frame

    def training_engine(self) -> SparkTraining:
        """Splink's training steps on this backend's Spark session."""
        return SparkTraining(self)

    def _bind(
        self,
        recs: Mapping[str, Rec],
        feats: dict[str, Feat],
        model: TrainedModel,
        config: ResolutionConfig,
    ) -> None:
        """Send the records and their block keys to Spark, build the blocks, make a Linker."""
        if self._bound is not None and self._bound[0] is feats and self._bound[1] == model.model_id:
            return
        from splink import Linker, SparkAPI

        splink_workarounds.apply()
        table = records_table((recs[key], f) for key, f in feats.items())
        self._frame(blocking.key_table(feats.values(), config), blocking.KEYS)
        self._frame(blocking.rules_table(config), blocking.RULES)
        if self._members is not None:  # the previous pass's blocks
            self._members.unpersist()
        self._members = self.spark.sql(to_spark(blocking.members_sql(list(config.blocking.rules))))
        self._members.persist().createOrReplaceTempView(blocking.MEMBERS)
        settings = dict(
            spark_settings(model.settings),
            retain_intermediate_calculation_columns=True,
            retain_matching_columns=True,
        )
        with quiet_splink():
            self._db = SparkAPI(spark_session=self.spark, break_lineage_method="persist")  # type: ignore[no-untyped-call]
            records = self._db.register(self._frame(table))
            self._linker = Linker(records, settings, log_level=None)
            for column in tf_columns(model.settings):
                values = table.column(column).cast(pa.string()).unique().drop_null().to_pylist()
                freq = lookup(model.term_frequencies, column, values)
                frame = pa.table(
                    {
                        column: pa.array(list(freq), pa.string()),
                        f"tf_{column}": pa.array(list(freq.values()), pa.float64()),
                    }
                )
                self._linker.table_management.register_term_frequency_lookup(
                    self._db.register(self._frame(frame)), column
                )
        self._bound = (feats, model.model_id)

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
        """Block and score in Spark: (candidate pairs, the scores at or above the threshold).

        Candidates are the blocked pairs touching `focus` and the rule pairs, counted before
        pairs with a stub record (never scored, never linked) are set aside, as on DuckDB.
        """
        self._bind(recs, feats, model, config)
        sql = self.spark.sql
        blocking.fill_stats(sql(to_spark(blocking.STATS_SQL)).collect(), stats)
        everyone = len(focus) >= len(feats) and focus.issuperset(feats)
        if not everyone:
            focus_table = pa.table({"id": pa.array(sorted(focus), pa.string())})
            self._frame(focus_table, blocking.FOCUS)
            crossed = sql(to_spark(blocking.CROSSED_SQL)).collect()
            stats.crossed_cap.update(row[0] for row in crossed)
        found = to_spark(blocking.found_sql(not everyone))
        blocked = sql(f"SELECT DISTINCT a, b FROM ({found})").persist()
        blocked.createOrReplaceTempView(_BLOCKED)
        stats.candidates = blocked.count()
        pairs = sorted(rule_pairs)
        rule_table = pa.table(
            {
                "a": pa.array([a for a, _ in pairs], pa.string()),
                "b": pa.array([b for _, b in pairs], pa.string()),
            }
        )
        self._frame(rule_table, _RULE_PAIRS)
        every = sql(f"SELECT a, b FROM {_BLOCKED} UNION SELECT a, b FROM {_RULE_PAIRS}").persist()
        candidates = every.count()
        every.createOrReplaceTempView(_TO_SCORE)
        scorable = sql(
            f"SELECT '0' AS match_key, p.a AS join_key_l, p.b AS join_key_r FROM {_TO_SCORE} AS p "
            f"LEFT SEMI JOIN {blocking.KEYS} AS ka ON p.a = ka.id "
            f"LEFT SEMI JOIN {blocking.KEYS} AS kb ON p.b = kb.id"
        )
        with quiet_splink():
            registered = self._db.register(scorable)
            self._linker.table_management.register_blocked_pairs_for_predict(registered)
            result = self._linker.inference.predict(warning_mode="never")
            wanted = output_columns(model.settings)
            accepted = (
                result.as_spark_dataframe()
                .where(f"match_probability >= {float(config.threshold)!r}")
                .select(*wanted)
            )
            arrow = pa.Table.from_pandas(accepted.toPandas(), preserve_index=False)
            result.drop_table_from_database_and_remove_from_cache()
        blocked.unpersist()
        every.unpersist()
        return candidates, list(pair_scores(arrow, level_labels(model.settings)))


class SparkTraining:
    """Splink's training on Spark (model/training.py's SplinkEngine); the model keeps DuckDB SQL."""

    def __init__(self, backend: SparkBackend) -> None:
        from splink import SparkAPI

        self._backend = backend
        self._db = SparkAPI(spark_session=backend.spark, break_lineage_method="persist")  # type: ignore[no-untyped-call]

    def register(self, table: pa.Table) -> Any:
        """The Arrow table as a Splink dataframe on Spark."""
        return self._db.register(self._backend._frame(table))

    def settings(self, model_settings: dict[str, Any]) -> dict[str, Any]:
        """The settings with their levels in Spark SQL."""
        return spark_settings(model_settings)

    def canonical(self, trained: dict[str, Any], untrained: dict[str, Any]) -> dict[str, Any]:
        """The trained settings with their levels back in DuckDB SQL."""
        return duckdb_sql_of(trained, untrained)


def _spark_schema(table: pa.Table) -> Any:
    """The Spark schema of an Arrow table of strings, string lists, dates, numbers."""
    from pyspark.sql import types as t

    def spark_type(arrow_type: pa.DataType) -> Any:
        if pa.types.is_list(arrow_type):
            return t.ArrayType(spark_type(arrow_type.value_type))
        if pa.types.is_date(arrow_type):
            return t.DateType()
        if pa.types.is_integer(arrow_type):
            return t.LongType()
        if pa.types.is_floating(arrow_type):
            return t.DoubleType()
        return t.StringType()

    return t.StructType([t.StructField(f.name, spark_type(f.type), True) for f in table.schema])
