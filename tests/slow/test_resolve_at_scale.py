"""Long resolution checks (`make test-slow`): quality at a larger scale, incremental runs at
100,000 records."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from c360graph.db.graph import Graph
from c360graph.generate import generate_dataset
from c360graph.resolve.engine import resolve
from c360graph.resolve.evaluate import pairwise_metrics, read_truth
from c360graph.resolve.export import current_assignments
from c360graph.resolve.settings import load_resolution_config
from tests.integration.test_resolve_incremental import (
    Reference,
    incremental_runs_end_in_the_reference_partition,
    reference,
)
from tests.integration.test_resolve_quality import _ingest_customers

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


@pytest.fixture(scope="module")
def hundred_thousand(session_graph: Graph, tmp_path_factory: pytest.TempPathFactory) -> Reference:
    """About 100,000 generated records (40,000 people) and their reference full run."""
    out = tmp_path_factory.mktemp("hundred-thousand")
    generate_dataset(out, customers=40_000, seed=23, progress=False)
    return reference(session_graph, load_resolution_config(), out)


# Derandomized, so a failure repeats; see the fast suite's ten-thousand-record version.
@pytest.mark.timeout(5400)
@settings(
    max_examples=2,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(seed=st.integers(0, 100_000), cuts=st.integers(1, 6))
def test_incremental_batches_of_a_hundred_thousand_records_end_where_a_fresh_full_run_does(
    graph: Graph, hundred_thousand: Reference, seed: int, cuts: int
) -> None:
    config = load_resolution_config()
    incremental_runs_end_in_the_reference_partition(graph, config, hundred_thousand, seed, cuts)
