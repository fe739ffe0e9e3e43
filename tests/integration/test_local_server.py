"""The managed local graph server: start, stop, restart with data kept, clear failures."""

from __future__ import annotations

import socket
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from c360graph.config import Settings
from c360graph.db.graph import Graph, GraphUnavailable, connect
from c360graph.db.managed import LocalServerError, ManagedServer
from c360graph.db.neo4j_server import Neo4jServer
from c360graph.graph.ingest import ingest_rows, rows_from_dicts
from c360graph.graph.migrate import migrate
from c360graph.graph.schema import KEYED_LABELS
from c360graph.sources.fields import Kind
from tests.helpers import cypher, engine_server, local_settings


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[ManagedServer]:
    """A second server in its own home, for tests that stop and restart it."""
    server = engine_server(tmp_path / "home", database="own", heap="512m")
    yield server
    server.stop()


def test_restart_keeps_data_and_the_generated_password(own_server: ManagedServer) -> None:
    first = own_server.start()
    settings = Settings(local=local_settings(own_server.home, database="own"))
    with connect(settings) as graph:
        migrate(graph)
        ingest_rows(
            graph,
            rows_from_dicts([{"source_id": "1", "email": "a@example.com"}]),
            "crm",
            Kind.CUSTOMERS,
        )
    assert own_server.stop() is True
    assert own_server.info() is None
    with pytest.raises(GraphUnavailable, match="c360 db start"):
        connect(settings)
    second = own_server.start()
    assert (second.password, second.bolt_port) == (first.password, first.bolt_port)
    assert second.pid != first.pid
    with connect(settings) as graph:
        assert cypher(graph, "MATCH (c:Customer)-[:HAS_EMAIL]->(e) RETURN e.address AS a") == [
            {"a": "a@example.com"}
        ]


def test_secrets_are_private_and_not_on_the_command_line(own_server: ManagedServer) -> None:
    info = own_server.start()
    for path in (own_server.state_file, own_server.password_file):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    cmdline = Path(f"/proc/{info.pid}/cmdline").read_bytes().decode()
    assert info.password not in cmdline
    assert "127.0.0.1" in cmdline


def test_start_when_running_returns_the_running_server(own_server: ManagedServer) -> None:
    assert own_server.start().pid == own_server.start().pid


def test_stop_when_not_running_says_so(own_server: ManagedServer) -> None:
    assert own_server.stop() is False


def test_a_taken_port_gives_a_clear_error(own_server: ManagedServer) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(LocalServerError, match=f"port {port} is already in use.*--bolt-port"):
            own_server.start(bolt_port=port)


def test_a_server_that_cannot_start_reports_its_log(tmp_path: Path) -> None:
    server = engine_server(tmp_path / "home", heap="not-a-size")
    with pytest.raises(LocalServerError, match="stopped while starting") as failure:
        server.start(timeout=30)
    assert "Invalid maximum heap size" in str(failure.value)


def test_a_missing_neo4j_build_says_how_to_build_it_or_use_arcadedb(tmp_path: Path) -> None:
    missing = Neo4jServer(tmp_path / "home", dist=tmp_path / "no-such-build")
    with pytest.raises(LocalServerError, match=r"make neo4j.*C360_ENGINE=arcadedb"):
        missing.start(timeout=5)


def test_migrate_is_idempotent_and_creates_every_keyed_constraint(session_graph: Graph) -> None:
    migrate(session_graph)
    migrate(session_graph)
    constraints = session_graph.read("schema/show_constraints")
    keyed = {(row["labelsOrTypes"][0], row["properties"][0]) for row in constraints}
    assert set(KEYED_LABELS.items()) <= keyed
    assert len(constraints) == len(keyed)
