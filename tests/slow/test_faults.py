"""The graph server killed with SIGKILL mid-ingest and mid-resolution (`make test-slow`).

After a restart, re-running the same command completes with nothing lost, nothing doubled and
no half-written identity: the graph ends as a run that was never interrupted would leave it.
"""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from c360graph.config import LocalSettings, Settings
from c360graph.db.graph import Graph, connect
from c360graph.db.local_server import LocalServer
from c360graph.generate import generate_dataset
from c360graph.graph.migrate import migrate
from c360graph.resolve.export import current_assignments
from tests.helpers import assert_resolved_whole, c360_env, content, cypher
from tests.integration.test_cli import C360, c360
from tests.integration.test_resolve_quality import partition
from tests.population import store_test_model

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("faults-data")
    generate_dataset(out, customers=1500, seed=31, progress=False)
    return out


@pytest.fixture(scope="module")
def victim(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalServer]:
    """A graph server of its own, to be killed."""
    server = LocalServer(tmp_path_factory.mktemp("victim"), heap="1g")
    server.start()
    with _graph(server) as graph:
        migrate(graph)  # as `c360 db start` does
    yield server
    server.stop()


def _env(server: LocalServer) -> dict[str, str]:
    return c360_env(server.home)


def _graph(server: LocalServer) -> Graph:
    return connect(Settings(local=LocalSettings(home=server.home)))


def _kill_when(
    server: LocalServer, command: list[str], ready: Callable[[Graph], bool], log: Path
) -> subprocess.CompletedProcess[str]:
    """Run `c360 command`, SIGKILL the graph server once `ready` holds, return how it ended."""
    with log.open("w") as out:
        process = subprocess.Popen(
            [*C360, *command], env=_env(server), stdout=out, stderr=subprocess.PIPE, text=True
        )
    with _graph(server) as graph:
        while True:
            # Paused while we look, the command cannot finish between `ready` and the kill:
            # the last stages of a small resolution took less time than one look.
            process.send_signal(signal.SIGSTOP)
            if ready(graph):
                break
            assert process.poll() is None, f"finished before the kill:\n{log.read_text()}"
            process.send_signal(signal.SIGCONT)
            time.sleep(0.005)
    server.kill()
    process.send_signal(signal.SIGCONT)
    _, stderr = process.communicate(timeout=180)
    return subprocess.CompletedProcess(command, process.returncode, log.read_text(), stderr)


def _count(graph: Graph, text: str) -> int:
    return int(cypher(graph, text)[0]["n"])


def test_an_ingest_killed_with_the_server_completes_on_rerun_with_nothing_lost_or_doubled(
    victim: LocalServer, dataset: Path, graph: Graph, cli_env: dict[str, str], tmp_path: Path
) -> None:
    manifest = str(dataset / "manifest.yaml")
    ended = _kill_when(
        victim,
        ["ingest", manifest],
        lambda g: _count(g, "MATCH (c:Customer) RETURN count(c) AS n") >= 2500,
        tmp_path / "ingest.log",
    )
    assert ended.returncode != 0
    assert "Traceback" not in ended.stderr and "c360 db start" in ended.stderr, ended.stderr

    victim.start()
    with _graph(victim) as crashed:
        partial = _count(crashed, "MATCH (c:Customer) RETURN count(c) AS n")
        assert partial >= 2500  # what was committed before the kill survived
        rerun = c360(_env(victim), "ingest", manifest)
        assert rerun.returncode == 0, rerun.stderr
        assert c360(cli_env, "ingest", manifest).returncode == 0  # the same, never killed
        store_test_model(crashed)  # as the `graph` fixture holds it: compare ingests only
        assert content(crashed) == content(graph)


@pytest.mark.parametrize(
    ("stage", "ready"),
    [
        ("links written", "MATCH ()-[l:LINKED]->() RETURN count(l) AS n"),
        ("identities written", "MATCH (i:Identity) RETURN count(i) AS n"),
        ("records moving", "MATCH ()-[r:RESOLVES_TO]->() RETURN count(r) AS n"),
    ],
)
def test_a_resolution_killed_with_the_server_is_undone_and_completed_by_the_rerun(
    victim: LocalServer, dataset: Path, tmp_path: Path, stage: str, ready: str
) -> None:
    env = _env(victim)
    victim.start()
    assert c360(env, "db", "reset", "--yes").returncode == 0
    assert c360(env, "ingest", str(dataset / "manifest.yaml")).returncode == 0
    ended = _kill_when(
        victim,
        ["resolve", "--no-segments"],
        lambda g: _count(g, ready) > 0,
        tmp_path / "resolve.log",
    )
    assert ended.returncode != 0 and "Traceback" not in ended.stderr, ended.stderr

    victim.start()
    rerun = c360(env, "resolve", "--no-segments")
    assert rerun.returncode == 0, rerun.stderr
    assert "undid the interrupted run" in rerun.stdout, (stage, rerun.stdout)
    with _graph(victim) as graph:
        assert_resolved_whole(graph)
        assert _count(graph, "MATCH (c:Customer) RETURN count(c) AS n") == len(
            current_assignments(graph)
        )
        recovered = partition(current_assignments(graph))
        assert c360(env, "resolve", "--full", "--no-segments").returncode == 0
        assert partition(current_assignments(graph)) == recovered
