"""The Spark backend beside the DuckDB one: a full resolution of the same records, same model.

Generates a population (default: the slow test's, 1,500 customers, seed 41), ingests it
into a fresh local graph server, trains the model once (DuckDB) and then times a full run
on each backend on a fresh graph holding the same records and the same model, printing
both side by side as a ratio, with each run's stages. Spark runs on `--master` (default
local[2]: this machine; a cluster's URL to measure one). Its session start-up is timed
apart. Nothing is asserted about speed.

    .venv/bin/python bench/spark.py [--customers 1500] [--seed 41] [--master local[2]]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from common import add_engine_option, bench_graph, timed

from c360graph.db.graph import Graph
from c360graph.generate import generate_dataset
from c360graph.graph.load import ingest_file, read_manifest
from c360graph.resolve import store
from c360graph.resolve.backends import PairBackend, pair_backend
from c360graph.resolve.engine import ResolveReport, resolve
from c360graph.resolve.export import current_assignments
from c360graph.resolve.model.training import TrainedModel
from c360graph.resolve.settings import load_resolution_config
from c360graph.sources.fields import Kind


def _ingest(graph: Graph, dataset: Path) -> None:
    for entry in read_manifest(dataset / "manifest.yaml"):
        if entry.kind in (None, Kind.CUSTOMERS):
            ingest_file(graph, entry.path, entry.source, entry.kind, entry.mapping, progress=False)


def _fresh_run(
    graph: Graph, dataset: Path, model: tuple[TrainedModel, str], backend: PairBackend | None
) -> tuple[ResolveReport, float, set[frozenset[str]]]:
    graph.write("schema/clear_all")
    store.save_model(graph, model[0], model[1], datetime.now(UTC))
    _ingest(graph, dataset)
    with timed() as seconds:
        report = resolve(graph, load_resolution_config(), full=True, backend=backend)
    groups: dict[str, set[str]] = {}
    for key, identity in current_assignments(graph).items():
        groups.setdefault(identity, set()).add(key)
    return report, seconds[0], {frozenset(g) for g in groups.values()}


def _stages(report: ResolveReport) -> str:
    return ", ".join(f"{k} {v:.1f}" for k, v in report.seconds.items())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--customers", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=41)
    parser.add_argument("--master", default="local[2]", help="Spark master (default local[2])")
    add_engine_option(parser)
    args = parser.parse_args()
    dataset = Path(tempfile.mkdtemp(prefix="c360-bench-spark-"))
    generate_dataset(dataset, customers=args.customers, seed=args.seed, progress=False)
    with bench_graph(engine=args.engine) as (graph, _settings):
        _ingest(graph, dataset)
        resolve(graph, load_resolution_config(), full=True, retrain=True)  # train once
        model = store.load_model(graph)
        if model is None:
            sys.exit("no model was stored by the training run")
        duck, duck_s, duck_parts = _fresh_run(graph, dataset, model, None)
        started = time.perf_counter()
        spark = pair_backend("spark", args.master)
        session_s = time.perf_counter() - started
        sparked, spark_s, spark_parts = _fresh_run(graph, dataset, model, spark)
    print(
        f"\nfull resolution of {duck.records:,} records ({args.customers:,} customers, seed "
        f"{args.seed}), {args.engine}, same model, same run; Spark on {args.master}:"
    )
    print(f"{'backend':<8} {'seconds':>8} {'pairs':>9} {'links':>7}  stages (s)")
    for name, report, seconds in (("duckdb", duck, duck_s), ("spark", sparked, spark_s)):
        print(
            f"{name:<8} {seconds:>8.1f} {report.candidates:>9,} {report.accepted:>7,}  "
            f"{_stages(report)}"
        )
    print(
        f"spark / duckdb: {spark_s / duck_s:.1f}x (link stage {sparked.seconds['link'] / duck.seconds['link']:.1f}x); "
        f"Spark session start-up {session_s:.1f}s, not included"
    )
    print(f"same identities on both backends: {duck_parts == spark_parts}")


if __name__ == "__main__":
    main()
