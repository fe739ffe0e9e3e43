"""Test helpers: ad-hoc Cypher for assertions, whole-graph snapshots, running the CLI's server."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from c360graph.config import LocalSettings
from c360graph.db.engines import server_for
from c360graph.db.graph import Graph
from c360graph.db.managed import ManagedServer, free_port


def cypher(graph: Graph, text: str, **params: Any) -> list[dict[str, Any]]:
    """Run an assertion query (tests only; product Cypher lives in cypher/)."""
    with graph.driver.session(database=graph.database) as session:
        return session.run(text, params).data()


def snapshot(graph: Graph) -> tuple[list[str], list[str]]:
    """Every node and relationship with its properties, except the ingest audit log."""
    nodes = cypher(
        graph,
        "MATCH (n) WHERE NOT n:IngestRun RETURN labels(n) AS labels, properties(n) AS props",
    )
    rels = cypher(
        graph,
        "MATCH (a)-[r]->(b) WHERE NOT a:IngestRun "
        "RETURN type(r) AS type, properties(a) AS a, properties(b) AS b, "
        "properties(r) AS props",
    )
    return sorted(map(repr, nodes)), sorted(map(repr, rels))


# Properties that say when or by which run something was written: they differ between any
# two runs, interrupted or not.
VOLATILE = {
    "run_id",
    "at",
    "created_at",
    "created_by_run",
    "updated_at",
    "first_ingested_at",
    "ingested_at",
    "first_seen",
    "last_seen",
    "until",
    "superseded_at",
    "superseded_by_run",
}


def content(graph: Graph) -> tuple[list[str], list[str]]:
    """Every node and relationship with its lasting properties (run stamps and times aside)."""

    def lasting(props: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in props.items() if k not in VOLATILE}

    nodes = cypher(
        graph,
        "MATCH (n) WHERE NOT n:IngestRun "
        "RETURN labels(n) AS labels, properties(n) AS props, "
        "coalesce(n.key, n.address, n.e164, n.device_id, n.value, n.hash, n.name) AS key",
    )
    rels = cypher(
        graph,
        "MATCH (n)-[r]->(m) WHERE NOT n:IngestRun "
        "RETURN type(r) AS type, properties(r) AS props, "
        "coalesce(n.key, n.address, n.e164, n.device_id, n.value, n.hash, n.name) AS a, "
        "coalesce(m.key, m.address, m.e164, m.device_id, m.value, m.hash, m.name) AS b",
    )
    return (
        sorted(
            repr((sorted(n["labels"]), n["key"], sorted(lasting(n["props"]).items())))
            for n in nodes
        ),
        sorted(
            repr((r["type"], r["a"], r["b"], sorted(lasting(r["props"]).items()))) for r in rels
        ),
    )


def run_engine() -> str:
    """The local engine this test run uses (`pytest --engine`, set by tests/conftest.py)."""
    return os.environ.get("C360_TEST_ENGINE", "arcadedb")


def local_settings(home: Path, database: str = "c360", heap: str = "2g") -> LocalSettings:
    """Settings of a local server of this run's engine in `home`."""
    return LocalSettings(home=home, heap=heap, database=database, engine=run_engine())


def engine_server(home: Path, database: str = "c360", heap: str = "2g") -> ManagedServer:
    """A local server of this run's engine in `home` (not started)."""
    return server_for(local_settings(home, database, heap), run_engine())


def c360_env(home: Path | None = None, **extra: str) -> dict[str, str]:
    """This environment without NEO4J_*/C360_* settings; with `home`, `c360` uses that server."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "C360_"))}
    if home is not None:
        env.update(
            {"C360_HOME": str(home), "C360_CONFIG": "/dev/null", "C360_ENGINE": run_engine()}
        )
    return {**env, **extra}


@dataclass(frozen=True)
class Served:
    """A running `c360 serve`: its URL, port, process and combined output file."""

    url: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def pid(self) -> int:
        """The server's process id."""
        return self.process.pid


@contextmanager
def serving(env: dict[str, str], log: Path, *args: str) -> Iterator[Served]:
    """Run `c360 serve ARGS` on a free port until the block ends; its output goes to `log`."""
    port = free_port()
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "c360graph", "serve", "--port", str(port), *args],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    served = Served(f"http://127.0.0.1:{port}", port, process, log)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{served.url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"c360 serve did not start:\n{log.read_text()}")
            time.sleep(0.2)
        yield served
    finally:
        process.terminate()
        process.wait(timeout=15)


def assert_resolved_whole(graph: Graph) -> None:
    """Every record on one active identity, no empty active identity, no run left writing."""
    per_record = cypher(
        graph,
        "MATCH (c:Customer) OPTIONAL MATCH (c)-[:RESOLVES_TO]->(i:Identity) "
        "RETURN c.key AS key, count(i) AS n, collect(i.status) AS statuses",
    )
    assert all(r["n"] == 1 and r["statuses"] == ["active"] for r in per_record), [
        r for r in per_record if r["n"] != 1 or r["statuses"] != ["active"]
    ][:5]
    empty = cypher(
        graph,
        "MATCH (i:Identity {status: 'active'}) "
        "WHERE NOT EXISTS { MATCH (:Customer)-[:RESOLVES_TO]->(i) } RETURN i.id AS id",
    )
    assert empty == []
    assert cypher(graph, "MATCH (r:ResolutionRun {status: 'writing'}) RETURN r") == []
    assert cypher(graph, "MATCH (l:ResolutionLock) RETURN l") == []
