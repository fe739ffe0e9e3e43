"""Ingest speed against the server's raw create rate, measured in the same run.

    .venv/bin/python bench/ingest.py --customers 40000

Generates a dataset, then on a fresh local server: raw `UNWIND ... CREATE` of as many plain
nodes as there are customer records (baseline), the ingest of every customer file, the raw
baseline again, then the activity files. Prints records/s beside the baseline and their ratio
(the machine is shared and noisy, so only the same-run ratio is comparable across runs).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import bench_graph, peak_rss_mb, timed

from c360graph.db.graph import Graph
from c360graph.generate import generate_dataset
from c360graph.graph.load import ingest_file, read_manifest
from c360graph.sources.fields import Kind
from c360graph.sources.readers import open_source

BATCH = 2000


def raw_create_rate(graph: Graph, nodes: int, query: str = "bench/raw_create") -> float:
    """Nodes per second through UNWIND ... CREATE, in ingest-sized batches."""
    with timed() as elapsed:
        for start in range(0, nodes, BATCH):
            rows = [{"key": f"r{i}", "value": i} for i in range(start, min(nodes, start + BATCH))]
            graph.write(query, rows=rows)
    while graph.read("bench/raw_delete", limit=20000)[0]["deleted"]:
        pass
    return nodes / elapsed[0]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--customers", type=int, default=40000, help="people to generate (records are ~2.5x)"
    )
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="c360-bench-data-") as tmp:
        out = Path(tmp)
        generate_dataset(out, customers=args.customers, seed=args.seed, progress=False)
        entries = read_manifest(out / "manifest.yaml")
        customer_files = [e for e in entries if e.kind in (Kind.CUSTOMERS, None)]
        activity_files = [e for e in entries if e not in customer_files]
        with bench_graph() as (graph, settings):
            records = sum(sum(1 for _ in open_source(e.path).rows()) for e in customer_files)
            graph.write("bench/keyed_constraint")
            raw_before = raw_create_rate(graph, records)
            keyed_before = raw_create_rate(graph, records, "bench/raw_create_keyed")
            ingested = 0
            with timed() as customers_time:
                for e in customer_files:
                    report = ingest_file(
                        graph, e.path, e.source, e.kind, e.mapping, settings.ingest, progress=False
                    )
                    ingested += report.created + report.updated + report.unchanged
            raw_after = raw_create_rate(graph, records)
            keyed_after = raw_create_rate(graph, records, "bench/raw_create_keyed")
            rows = 0
            with timed() as activity_time:
                for e in activity_files:
                    report = ingest_file(
                        graph, e.path, e.source, e.kind, e.mapping, settings.ingest, progress=False
                    )
                    rows += report.read
            with timed() as again_time:
                for e in customer_files:
                    ingest_file(
                        graph, e.path, e.source, e.kind, e.mapping, settings.ingest, progress=False
                    )

    baseline = (raw_before + raw_after) / 2
    keyed = (keyed_before + keyed_after) / 2
    rate = ingested / customers_time[0]
    print(
        f"customer records ingested : {ingested:,} in {customers_time[0]:.1f}s = {rate:,.0f} records/s"
    )
    print(
        f"raw UNWIND..CREATE, plain : {baseline:,.0f} nodes/s (before {raw_before:,.0f}, after {raw_after:,.0f})"
    )
    print(
        f"raw UNWIND..CREATE, keyed : {keyed:,.0f} nodes/s (before {keyed_before:,.0f}, after {keyed_after:,.0f})"
    )
    print(f"ratio ingest / raw plain  : {rate / baseline:.3f}  (target >= 0.40)")
    print(f"ratio ingest / raw keyed  : {rate / keyed:.3f}")
    print(
        f"activity rows (orders, interactions, devices): {rows:,} = {rows / activity_time[0]:,.0f} rows/s"
    )
    print(f"re-ingest of unchanged customer files: {ingested / again_time[0]:,.0f} records/s")
    print(f"peak RSS of the Python process: {peak_rss_mb():,.0f} MB")


if __name__ == "__main__":
    main()
