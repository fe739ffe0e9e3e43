"""A real `c360 serve` (uvicorn, over HTTP) on the session's graph, and gql clients per role."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from gql import Client, GraphQLRequest
from gql.transport.exceptions import TransportQueryError
from gql.transport.httpx import HTTPXTransport

from c360graph.api.keys import KeyStore, Role
from c360graph.db.graph import Graph
from c360graph.resolve.engine import resolve
from c360graph.resolve.settings import load_resolution_config
from tests.helpers import c360_env, serving
from tests.integration.test_cli import c360

Run = Callable[..., dict[str, Any]]


@pytest.fixture(scope="session")
def api_keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A keys file with one key per role."""
    path = tmp_path_factory.mktemp("api-keys") / "keys.json"
    store = KeyStore(path)
    return path, {role.value: store.create(f"test-{role.value}", role) for role in Role}


@pytest.fixture(scope="session")
def api_url(
    server_home: Path, cli_env_session: dict[str, str], api_keys: tuple[Path, dict[str, str]]
) -> Iterator[str]:
    """A running `c360 serve` against the session's graph; its base URL."""
    env = {**cli_env_session, "C360_API_KEYS_FILE": str(api_keys[0]), "C360_API_TIMEOUT": "20"}
    with serving(env, server_home / "api.log") as served:
        yield served.url


@pytest.fixture(scope="session")
def cli_env_session(server_home: Path) -> dict[str, str]:
    """Environment for `c360` against the session's server (session-scoped)."""
    return c360_env(server_home)


@pytest.fixture(scope="session")
def sample_files(tmp_path_factory: pytest.TempPathFactory, cli_env_session: dict[str, str]) -> Path:
    """Generated source files of 150 people (with ground truth), made once per session."""
    out = tmp_path_factory.mktemp("api-sample")
    result = c360(
        cli_env_session, "generate", "--customers", "150", "--out", str(out), "--seed", "11"
    )
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def api_data(session_graph: Graph, sample_files: Path, cli_env_session: dict[str, str]) -> Graph:
    """The sample ingested and resolved into a freshly emptied graph, once per test module."""
    session_graph.write("schema/clear_all")
    result = c360(cli_env_session, "ingest", str(sample_files / "manifest.yaml"))
    assert result.returncode == 0, result.stderr
    resolve(session_graph, load_resolution_config())
    return session_graph


def client(url: str, key: str | None) -> Client:
    """A gql client sending `key` as a bearer token."""
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return Client(transport=HTTPXTransport(url=f"{url}/graphql", headers=headers, timeout=60))


@pytest.fixture(scope="session")
def as_role(api_url: str, api_keys: tuple[Path, dict[str, str]]) -> Callable[[str], Run]:
    """`as_role("reader")(query, **variables)` runs a query with that role's key."""
    clients: dict[str, Client] = {}

    def for_role(role: str) -> Run:
        if role not in clients:
            clients[role] = client(api_url, api_keys[1][role])

        def run(query: str, **variables: Any) -> dict[str, Any]:
            request = GraphQLRequest(query, variable_values=variables or None)
            return clients[role].execute(request)

        return run

    return for_role


@pytest.fixture
def analyst(as_role: Callable[[str], Run]) -> Run:
    """Run a query as an analyst (PII visible)."""
    return as_role("analyst")


@pytest.fixture
def reader(as_role: Callable[[str], Run]) -> Run:
    """Run a query as a reader (PII masked)."""
    return as_role("reader")


@pytest.fixture
def admin(as_role: Callable[[str], Run]) -> Run:
    """Run a query or mutation as an admin."""
    return as_role("admin")


def error_codes(excinfo: pytest.ExceptionInfo[TransportQueryError]) -> list[str]:
    """The extension codes of a GraphQL error response."""
    return [e.get("extensions", {}).get("code") for e in excinfo.value.errors or []]


def round_trips(url: str) -> float:
    """The server's total graph round trips so far, from /metrics."""
    total = 0.0
    for line in httpx.get(f"{url}/metrics").text.splitlines():
        if line.startswith("c360_db_round_trips_total{"):
            total += float(line.rsplit(" ", 1)[1])
    return total
