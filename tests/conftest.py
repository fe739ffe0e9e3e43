"""Shared fixtures: one real local graph server for the session, on free ports, removed after."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from c360graph.config import LocalSettings, Settings
from c360graph.db.graph import Graph, connect
from c360graph.db.local_server import LocalServer
from c360graph.graph.migrate import migrate
from tests.helpers import c360_env
from tests.population import store_test_model


@pytest.fixture(scope="session")
def server_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A running local graph server of the test session, in its own temporary home."""
    home = tmp_path_factory.mktemp("c360-home")
    server = LocalServer(home, database="c360test", heap="1g")
    server.start()
    try:
        yield home
    finally:
        server.stop()
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="session")
def settings(server_home: Path) -> Settings:
    """Settings that point at the session's local server."""
    return Settings(local=LocalSettings(home=server_home, heap="1g", database="c360test"))


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
