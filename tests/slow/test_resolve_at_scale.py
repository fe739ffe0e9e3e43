"""Long resolution checks (`make test-slow`): quality at a larger scale, more incremental runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from c360graph.db.graph import Graph
from c360graph.generate import generate_dataset
from c360graph.graph.ingest import ingest_rows
from c360graph.resolve.engine import resolve
from c360graph.resolve.evaluate import pairwise_metrics, read_truth
from c360graph.resolve.export import current_assignments
from c360graph.resolve.settings import load_resolution_config
from c360graph.sources.fields import Kind
from tests.integration.test_resolve_quality import (
    _ingest_customers,
    _pieces,
    partition,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def big_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("big")
    generate_dataset(out, customers=4000, seed=23, progress=False)
    return out


def test_four_thousand_people_resolve_at_target_precision(graph: Graph, big_dataset: Path) -> None:
    _ingest_customers(graph, big_dataset)
    resolve(graph, load_resolution_config(), full=True, retrain=True)  # learned from this data
    metrics = pairwise_metrics(
        current_assignments(graph), read_truth(big_dataset / "ground_truth.csv")
    )
    assert metrics.precision >= 0.995, metrics
    assert metrics.recall >= 0.94, metrics


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 100_000), cuts=st.integers(1, 6))
def test_many_incremental_batches_end_where_a_full_run_does(
    graph: Graph, big_dataset: Path, seed: int, cuts: int
) -> None:
    config = load_resolution_config()
    graph.write("schema/clear_all")
    for batch in _pieces(big_dataset, cuts, seed):
        for source, mapping, columns, rows in batch:
            ingest_rows(graph, rows, source, Kind.CUSTOMERS, column_map=columns, mapping=mapping)
        resolve(graph, config)
    incremental = partition(current_assignments(graph))
    resolve(graph, config, full=True)
    assert partition(current_assignments(graph)) == incremental
