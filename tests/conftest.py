"""Shared fixtures: one real local graph server for the session, on free ports, removed after.

`pytest --engine neo4j` (or C360_TEST_ENGINE=neo4j) runs the suite on the local Neo4j instead
of ArcadeDB; `make test` runs the integration, API and browser suites on both.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from c360graph.config import ENGINES, Settings
from c360graph.db.graph import Graph, connect
from c360graph.graph.migrate import migrate
from tests.helpers import c360_env, engine_server, local_settings, run_engine
from tests.population import store_test_model


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--engine",
        choices=ENGINES,
        default=os.environ.get("C360_TEST_ENGINE", "arcadedb"),
        help="the local graph engine the tests run on (default: $C360_TEST_ENGINE or arcadedb)",
    )


def pytest_configure(config: pytest.Config) -> None:
    # An environment variable, so tests/helpers.py and the `c360` subprocesses see it too.
    os.environ["C360_TEST_ENGINE"] = config.getoption("--engine")


def pytest_report_header(config: pytest.Config) -> str:
    return f"graph engine: {run_engine()}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        marker = item.get_closest_marker("engine")
        if marker and run_engine() not in marker.args:
            item.add_marker(pytest.mark.skip(reason=f"only on {', '.join(marker.args)}"))


class _Deprecations(logging.Handler):
    """Keeps the deprecation notices Neo4j sends with query results (the driver logs them)."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if "deprecated" in message:
            self.seen.add(message[:400])


@pytest.fixture(scope="session", autouse=True)
def no_deprecated_cypher() -> Iterator[None]:
    """A query Neo4j calls deprecated fails the run, before a Neo4j release drops it."""
    handler = _Deprecations()
    logger = logging.getLogger("neo4j.notifications")
    logger.addHandler(handler)
    yield
    logger.removeHandler(handler)
    if handler.seen:
        pytest.fail("Neo4j reported deprecated Cypher:\n" + "\n".join(sorted(handler.seen)))


@pytest.fixture(scope="session")
def server_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A running local graph server of the test session, in its own temporary home."""
    home = tmp_path_factory.mktemp("c360-home")
    server = engine_server(home, database="c360test", heap="1g")
    server.start()
    try:
        yield home
    finally:
        server.stop()
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="session")
def settings(server_home: Path) -> Settings:
    """Settings that point at the session's local server."""
    return Settings(local=local_settings(server_home, database="c360test", heap="1g"))


@pytest.fixture(scope="session")
def session_graph(settings: Settings) -> Iterator[Graph]:
    """One connection to the session's server, with the schema migrated."""
    graph = connect(settings)
    migrate(graph)
    yield graph
    graph.close()


@pytest.fixture
def graph(session_graph: Graph) -> Graph:
    """The session's graph, emptied before the test, holding the test population's model.

    Resolution learns its model from the records it resolves, and a test's handful of
    records is too few to learn from; so every test starts with the model trained on
    tests/population.py's synthetic people, as a user imports a trained model.
    """
    session_graph.write("schema/clear_all")
    store_test_model(session_graph)
    return session_graph


@pytest.fixture
def cli_env(server_home: Path) -> dict[str, str]:
    """Environment for running `c360` against the session's server."""
    return c360_env(server_home)
