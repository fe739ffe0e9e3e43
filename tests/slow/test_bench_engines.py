"""The benchmarks' `--engine` plumbing (`make test-slow`), at a tiny size, on this run's engine.

Each script runs as a user would run it, with `--engine` set to the run's engine (`pytest
--engine neo4j|arcadedb`), and must measure on that engine and print its same-run baseline.
Only what holds whatever the machine's speed is asserted: figures are printed, never checked.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import c360_env, run_engine

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

ROOT = Path(__file__).resolve().parents[2]
PEER_INSTALLED = (ROOT / "tools" / "neo4j-graphql-peer" / "node_modules" / "@neo4j").exists()


def _bench(script: str, *args: str) -> str:
    """Run bench/SCRIPT with --engine of this run; its output (the test fails on exit != 0)."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), "--engine", run_engine(), *args],
        cwd=ROOT,
        env=c360_env(),
        capture_output=True,
        text=True,
        timeout=840,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    return output


def test_ingest_bench_measures_the_chosen_engine_beside_its_raw_create() -> None:
    out = _bench("ingest.py", "--customers", "150")
    assert f"Ingest benchmark on {run_engine()}:" in out
    assert "raw UNWIND..CREATE, same nodes and relationships:" in out
    assert "ratio ingest / raw same nodes and relationships:" in out


def test_resolve_bench_runs_on_the_chosen_engine() -> None:
    out = _bench(
        "resolve.py",
        "--records",
        "400",
        "--skip-splink",
        "--incremental-fraction",
        "0",
        "--heap",
        "1g",
    )
    assert f"graph engine: {run_engine()}" in out
    assert "c360graph full" in out


def test_api_bench_checks_every_way_and_on_neo4j_the_graphql_peer_agrees(tmp_path: Path) -> None:
    if run_engine() == "neo4j" and not PEER_INSTALLED:
        pytest.skip("the @neo4j/graphql peer is not installed: make graphql-peer")
    out = _bench(
        "api.py",
        "--people",
        "150",
        "--seconds",
        "1",
        "--warmup",
        "1",
        "--concurrency",
        "2",
        "--heap",
        "1g",
        "--keep-data",
        str(tmp_path / "api"),
    )
    assert f"graph engine {run_engine()}" in out
    agreed = next(line for line in out.splitlines() if line.startswith("same data:"))
    checked = int(agreed.split("of ", 1)[1].split(" ", 1)[0])
    ways = 3 if run_engine() == "neo4j" else 2  # raw, one query (and the peer)
    assert agreed.count(f"agrees with the API on {checked}") == ways, agreed
    assert ("@neo4j/graphql (Node)" in out) == (run_engine() == "neo4j")
