"""The API while its graph server is killed: 503 with a clear error, no crash, self-recovery."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from c360graph.db.local_server import LocalServer, free_port

QUERY = {
    "query": '{ identity(id: "nobody") { id } searchIdentities(name: "ann") { edges { cursor } } }'
}
MUTATION = {"query": 'mutation { addNote(identityId: "nobody", text: "hi") { id } }'}


@pytest.fixture
def outage(tmp_path: Path) -> Iterator[tuple[LocalServer, str, Path]]:
    """Its own graph server and `c360 serve --dev` on it (the server gets killed)."""
    server = LocalServer(tmp_path / "home", heap="512m")
    server.start()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "C360_"))}
    env.update({"C360_HOME": str(server.home), "C360_CONFIG": "/dev/null"})
    port = free_port()
    log = (tmp_path / "api.log").open("w")
    api = subprocess.Popen(
        [sys.executable, "-m", "c360graph", "serve", "--dev", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _until(lambda: httpx.get(f"{url}/healthz", timeout=1).status_code == 200, api)
        yield server, url, tmp_path / "api.log"
        assert api.poll() is None, "the API process died"
    finally:
        api.terminate()
        api.wait(timeout=15)
        log.close()
        server.stop()


def _until(check: object, api: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert api.poll() is None, "the API process died"
        try:
            if check():  # type: ignore[operator]
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError("condition not met in time")


def test_the_api_answers_503_while_the_graph_is_down_and_recovers_by_itself(
    outage: tuple[LocalServer, str, Path],
) -> None:
    server, url, log = outage
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
