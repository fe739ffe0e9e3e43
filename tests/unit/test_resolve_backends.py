"""Choosing where pairs are blocked and scored: DuckDB in process, or Spark when installed."""

from __future__ import annotations

import subprocess
import sys

import pytest

from c360graph.resolve.backends import pair_backend


def test_duckdb_is_linkings_own_path() -> None:
    assert pair_backend("duckdb", "local[2]") is None


def test_an_unknown_backend_names_the_choices() -> None:
    with pytest.raises(ValueError, match="duckdb or spark"):
        pair_backend("flink", "local[2]")


def test_spark_without_pyspark_says_what_to_install() -> None:
    # A fresh interpreter in which `import pyspark` fails, as where the extra is not installed.
    script = (
        "import sys; sys.modules['pyspark'] = None\n"
        "from c360graph.resolve.backends import pair_backend\n"
        "from c360graph.resolve.model.spark_backend import SparkUnavailable\n"
        "try:\n"
        "    pair_backend('spark', 'local[2]')\n"
        "except SparkUnavailable as exc:\n"
        "    print(exc)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    assert "pip install 'c360graph[spark]'" in out
    assert "--backend duckdb" in out
