"""Settings: environment over config file over defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from c360graph.config import ConfigError, load_settings


def test_without_neo4j_uri_the_local_server_is_used(tmp_path: Path) -> None:
    settings = load_settings({}, config_file=tmp_path / "none.yaml")
    assert settings.uses_local_server
    assert settings.local.home == Path(".c360")


def test_environment_overrides_the_config_file(tmp_path: Path) -> None:
    path = tmp_path / "c360.yaml"
    path.write_text(
        "neo4j:\n  uri: bolt://file:7687\n  database: filedb\ningest:\n  batch_size: 10\n"
    )
    settings = load_settings({"NEO4J_URI": "neo4j://env:7687", "C360_DAY_FIRST": "no"}, path)
    assert settings.neo4j.uri == "neo4j://env:7687"
    assert settings.neo4j.database == "filedb"
    assert settings.ingest.batch_size == 10
    assert settings.ingest.day_first is False
    assert not settings.uses_local_server


def test_c360_config_names_the_config_file(tmp_path: Path) -> None:
    path = tmp_path / "other.yaml"
    path.write_text("local:\n  heap: 4g\n")
    assert load_settings({"C360_CONFIG": str(path)}).local.heap == "4g"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"C360_BATCH_SIZE": "lots"}, "whole number"),
        ({"C360_BATCH_SIZE": "0"}, "positive"),
        ({"C360_DAY_FIRST": "maybe"}, "true or false"),
        ({"C360_CONFIG": "/nonexistent/c360.yaml"}, "does not exist"),
    ],
)
def test_malformed_settings_name_the_setting(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(env)


def test_resolve_backend_defaults_to_duckdb_and_spark_master_to_local_two() -> None:
    settings = load_settings({}, Path("/nonexistent-c360.yaml"))
    assert settings.resolve.backend == "duckdb"
    assert settings.resolve.spark_master == "local[2]"


def test_resolve_backend_and_spark_master_from_the_environment() -> None:
    env = {"C360_RESOLVE_BACKEND": "Spark", "C360_SPARK_MASTER": "spark://head:7077"}
    settings = load_settings(env, Path("/nonexistent-c360.yaml"))
    assert (settings.resolve.backend, settings.resolve.spark_master) == (
        "spark",
        "spark://head:7077",
    )


def test_an_unknown_resolve_backend_names_the_choices() -> None:
    with pytest.raises(ConfigError, match="duckdb or spark"):
        load_settings({"C360_RESOLVE_BACKEND": "flink"}, Path("/nonexistent-c360.yaml"))
