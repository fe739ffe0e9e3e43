"""The Spark backend (Splink's SparkAPI on local[2]) resolves as the DuckDB backend does.

Same records, same trained model, a real graph server: the DuckDB run's identities are the
reference, and the Spark run on a fresh graph must end in exactly the same partition. Needs
the [spark] extra (`make spark`) and Java 17; `make test-slow` installs it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from c360graph.db.graph import Graph
from c360graph.generate import generate_dataset
from c360graph.graph.ingest import ingest_rows
from c360graph.resolve import store
from c360graph.resolve.backends import pair_backend
from c360graph.resolve.blocking import BlockingStats
from c360graph.resolve.engine import resolve
from c360graph.resolve.export import current_assignments
from c360graph.resolve.features import features
from c360graph.resolve.linking import find_links
from c360graph.resolve.model.columns import records_table
from c360graph.resolve.model.scoring import Scorer
from c360graph.resolve.model.spark_backend import SparkBackend
from c360graph.resolve.model.stored import model_fingerprint
from c360graph.resolve.model.training import TrainedModel, train
from c360graph.resolve.modelling import train_on
from c360graph.resolve.settings import load_resolution_config
from c360graph.sources.fields import Kind
from tests.integration.test_cli import c360
from tests.integration.test_resolve_quality import _ingest_customers, _pieces, partition
from tests.population import people, trained_model

pytestmark = [
    pytest.mark.slow,
    # pyspark 3.5's pandas conversions call APIs that Python and pandas deprecated: distutils
    # (pyspark/sql/pandas/utils.py) and is_categorical_dtype (pyspark/sql/pandas/types.py).
    pytest.mark.filterwarnings("ignore:distutils Version classes:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:is_categorical_dtype is deprecated:DeprecationWarning"),
    # and leave the local socket a result was collected through to the garbage collector.
    pytest.mark.filterwarnings(
        "ignore:Exception ignored in. <socket.socket:pytest.PytestUnraisableExceptionWarning"
    ),
]
pytest.importorskip("pyspark", reason="the Spark backend needs the [spark] extra: make spark")

_SAVED_AT = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("spark-population")
    generate_dataset(out, customers=1500, seed=41, progress=False)
    return out


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkBackend]:
    backend = pair_backend("spark", "local[2]")
    assert isinstance(backend, SparkBackend)
    yield backend
    backend.spark.stop()


@pytest.fixture(scope="module")
def model(session_graph: Graph, dataset: Path) -> tuple[TrainedModel, str]:
    """The model trained (on DuckDB) on the dataset's records, with its fingerprint: one
    model for every run, so the backends are compared on the same parameters."""
    session_graph.write("schema/clear_all")
    _ingest_customers(session_graph, dataset)
    config = load_resolution_config()
    trained = train_on(store.export_all(session_graph).recs, config)
    return trained, model_fingerprint(config)


def _fresh(graph: Graph, model: tuple[TrainedModel, str]) -> None:
    """An empty graph holding only the given model."""
    graph.write("schema/clear_all")
    store.save_model(graph, model[0], model[1], _SAVED_AT)


def test_a_full_run_on_spark_ends_in_the_partition_of_a_duckdb_run(
    graph: Graph, dataset: Path, model: tuple[TrainedModel, str], spark: SparkBackend
) -> None:
    config = load_resolution_config()
    _fresh(graph, model)
    _ingest_customers(graph, dataset)
    duck_report = resolve(graph, config, full=True)
    assert duck_report.mode == "full"  # the stored model was used, not re-trained
    on_duckdb = partition(current_assignments(graph))
    assert duck_report.records > 2500
    assert sum(len(identity) > 1 for identity in on_duckdb) > 500  # something to get wrong

    _fresh(graph, model)
    _ingest_customers(graph, dataset)
    spark_report = resolve(graph, config, full=True, backend=spark)
    assert spark_report.mode == "full"  # the stored model was used, not re-trained
    assert partition(current_assignments(graph)) == on_duckdb
    assert spark_report.candidates == duck_report.candidates
    assert spark_report.accepted == duck_report.accepted


def test_incremental_runs_on_spark_end_where_they_do_on_duckdb(
    graph: Graph, dataset: Path, model: tuple[TrainedModel, str], spark: SparkBackend
) -> None:
    config = load_resolution_config()
    batches = _pieces(dataset, cuts=2, seed=5)
    ends = []
    for backend in (None, spark):
        _fresh(graph, model)
        for batch in batches:
            for source, mapping, columns, rows in batch:
                ingest_rows(
                    graph, rows, source, Kind.CUSTOMERS, column_map=columns, mapping=mapping
                )
            report = resolve(graph, config, backend=backend)
        assert report.mode == "incremental"
        ends.append(partition(current_assignments(graph)))
    assert ends[0] == ends[1]


def test_every_candidate_pair_scores_the_same_on_both_engines(spark: SparkBackend) -> None:
    # Threshold 0: Spark returns every pair it scored, with levels and partial weights.
    config = dataclasses.replace(load_resolution_config(), threshold=0.0)
    recs = {r.key: r for r in people(400, seed=8)[0]}
    feats = {key: features(rec) for key, rec in recs.items()}
    model = trained_model()
    _, on_spark = spark.accepted_scores(recs, feats, [], set(recs), model, config, BlockingStats())
    assert len(on_spark) > 1000
    scorer = Scorer(model, records_table((recs[k], f) for k, f in feats.items()))
    on_duckdb = {s.a + "|" + s.b: s for s in scorer.score(sorted((s.a, s.b) for s in on_spark))}
    for theirs in on_spark:
        ours = on_duckdb[theirs.a + "|" + theirs.b]
        assert theirs.levels == ours.levels, (theirs, ours)
        assert theirs.weight == pytest.approx(ours.weight, abs=1e-9)
        assert theirs.partials == pytest.approx(ours.partials, abs=1e-9)


def test_a_model_trained_on_spark_links_as_one_trained_on_duckdb(spark: SparkBackend) -> None:
    # Random pairs are drawn differently by each engine, so m and u differ a little; what
    # the two models accept must not. The model comes back with DuckDB's SQL (as stored).
    config = load_resolution_config()
    recs = {r.key: r for r in people(600, seed=3)[0]}  # trained_model()'s population
    table = records_table((rec, features(rec)) for rec in recs.values())
    on_spark = train(table, config, engine=spark.training_engine())
    on_duckdb = trained_model()
    assert [c["output_column_name"] for c in on_spark.settings["comparisons"]] == [
        c["output_column_name"] for c in on_duckdb.settings["comparisons"]
    ]
    for ours, theirs in zip(
        on_duckdb.settings["comparisons"], on_spark.settings["comparisons"], strict=True
    ):
        for a, b in zip(ours["comparison_levels"], theirs["comparison_levels"], strict=True):
            assert b["sql_condition"] == a["sql_condition"]
            if not b.get("is_null_level"):
                assert 0 < b["m_probability"] <= 1 and 0 < b["u_probability"] <= 1, b
    accepted = [
        {s.pair for s in find_links(recs, [], set(recs), config, m, keep_all_scored=False).accepted}
        for m in (on_duckdb, on_spark)
    ]
    assert len(accepted[0]) > 500
    assert len(accepted[0] & accepted[1]) / len(accepted[0] | accepted[1]) >= 0.98


def test_the_cli_resolves_on_spark_and_duckdb_then_changes_nothing(
    graph: Graph, cli_env: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "sample"
    assert (
        c360(cli_env, "generate", "--customers", "200", "--out", str(out), "--seed", "9").returncode
        == 0
    )
    assert c360(cli_env, "ingest", str(out)).returncode == 0
    env = {**cli_env, "C360_SPARK_MASTER": "local[1]"}
    on_spark = c360(env, "resolve", "--full", "--no-segments", "--backend", "spark")
    assert on_spark.returncode == 0, on_spark.stderr
    assert "blocking and scoring on Spark (local[1])" in on_spark.stdout
    assert "create" in on_spark.stdout  # identities were made
    # The same records and model on DuckDB: the same identities, so nothing to change.
    on_duckdb = c360(cli_env, "resolve", "--full", "--no-segments")
    assert on_duckdb.returncode == 0, on_duckdb.stderr
    assert "identity events: no changes" in on_duckdb.stdout, on_duckdb.stdout
