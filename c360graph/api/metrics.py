"""Prometheus metrics of the API process: requests, latency and graph round trips.

With several uvicorn workers, `c360 serve` points PROMETHEUS_MULTIPROC_DIR at a fresh folder
so /metrics sums every worker.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

_LATENCY_BUCKETS = (0.002, 0.005, 0.01, 0.02, 0.035, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5, 10)

REQUESTS = Counter(
    "c360_http_requests_total", "HTTP requests answered", ["path", "method", "status"]
)
REQUEST_SECONDS = Histogram(
    "c360_http_request_seconds", "HTTP request latency", ["path"], buckets=_LATENCY_BUCKETS
)
GRAPHQL_ERRORS = Counter("c360_graphql_errors_total", "GraphQL errors answered", ["code"])
DB_ROUND_TRIPS = Counter("c360_db_round_trips_total", "Graph database round trips", ["query"])
DB_SECONDS = Histogram(
    "c360_db_query_seconds", "Graph query latency", ["query"], buckets=_LATENCY_BUCKETS
)


def render() -> tuple[bytes, str]:
    """The exposition text of every metric (summed over workers) and its content type."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(), CONTENT_TYPE_LATEST
