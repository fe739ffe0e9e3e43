"""The API while its graph server is killed: 503 with a clear error, no crash, self-recovery."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from c360graph.db.managed import ManagedServer
from tests.helpers import Served, c360_env, engine_server, serving

QUERY = {
    "query": '{ identity(id: "nobody") { id } searchIdentities(name: "ann") { edges { cursor } } }'
}
MUTATION = {"query": 'mutation { addNote(identityId: "nobody", text: "hi") { id } }'}


@pytest.fixture
def outage(tmp_path: Path) -> Iterator[tuple[ManagedServer, Served]]:
    """Its own graph server and `c360 serve --dev` on it (the server gets killed)."""
    server = engine_server(tmp_path / "home", heap="512m")
    server.start()
    try:
        with serving(c360_env(server.home), tmp_path / "api.log", "--dev") as served:
            yield server, served
            assert served.process.poll() is None, "the API process died"
    finally:
        server.stop()


def test_the_api_answers_503_while_the_graph_is_down_and_recovers_by_itself(
    outage: tuple[ManagedServer, Served],
) -> None:
    server, served = outage
    url, log = served.url, served.log
    assert httpx.get(f"{url}/readyz").status_code == 200
    assert httpx.post(f"{url}/graphql", json=QUERY).status_code == 200

    server.kill()
    for _ in range(3):  # repeated calls, so a half-open connection pool is exercised too
        ready = httpx.get(f"{url}/readyz", timeout=30)
        assert ready.status_code == 503
        assert "graph" in ready.json()["error"] and "c360 db start" in ready.json()["fix"]
        for body in (QUERY, MUTATION):
            answer = httpx.post(f"{url}/graphql", json=body, timeout=30)
            assert answer.status_code == 503, answer.text
            errors = answer.json()["errors"]
            assert {e["extensions"]["code"] for e in errors} == {"GRAPH_UNAVAILABLE"}
            assert "retry" in errors[0]["message"]
            assert "Traceback" not in answer.text and "neo4j" not in answer.text.lower()
        assert httpx.get(f"{url}/healthz").status_code == 200  # the process is up

    server.start()
    deadline = time.monotonic() + 60
    while httpx.get(f"{url}/readyz", timeout=30).status_code != 200:
        assert time.monotonic() < deadline, "the API did not notice the graph came back"
        time.sleep(0.5)
    answer = httpx.post(f"{url}/graphql", json=QUERY)
    assert answer.status_code == 200 and "errors" not in answer.json()
    logged = log.read_text()
    assert "graph is unreachable" in logged and "reachable again" in logged
    assert logged.count("graph is unreachable") == 1  # once per outage, not per request
    assert "Traceback" not in logged
