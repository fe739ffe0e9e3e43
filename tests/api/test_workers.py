"""`c360 serve --workers N`: each worker listens on its own socket, and all of them serve."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from c360graph.db.graph import Graph
from tests.helpers import serving

QUERY = {
    "query": '{ searchIdentities(name: "anna", first: 20) { edges { node { score identity { id } } } } }'
}


def _listeners(port: int) -> int:
    """Listening TCP sockets on the port (IPv4), from /proc/net/tcp."""
    count = 0
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        count += state == "0A" and int(local.split(":")[1], 16) == port
    return count


def _children(pid: int) -> list[int]:
    tasks = Path(f"/proc/{pid}/task")
    kids = " ".join((t / "children").read_text() for t in tasks.iterdir())
    return [int(k) for k in kids.split()]


def _cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def _client_session(url: str) -> None:
    with httpx.Client(base_url=url, timeout=30) as client:  # one connection, kept alive
        for _ in range(15):
            answer = client.post("/graphql", json=QUERY)
            assert answer.status_code == 200 and "errors" not in answer.json(), answer.text


def test_two_workers_each_take_connections_and_stop_with_the_server(
    api_data: Graph, cli_env_session: dict[str, str], tmp_path: Path
) -> None:
    with serving(cli_env_session, tmp_path / "api.log", "--dev", "--workers", "2") as served:
        # Clients connecting as soon as the server answers must reach both workers too:
        # every socket listens before either worker has loaded the app.
        assert _listeners(served.port) == 2
        children = _children(served.process.pid)
        workers = [p for p in children if "spawn_main" in Path(f"/proc/{p}/cmdline").read_text()]
        assert len(workers) == 2, workers
        before = {p: _cpu_ticks(p) for p in workers}
        with ThreadPoolExecutor(16) as pool:  # 16 connections: all on one worker is 1 in 2^15
            list(pool.map(_client_session, [served.url] * 16))
        used = {p: _cpu_ticks(p) - before[p] for p in workers}
        assert all(ticks >= 3 for ticks in used.values()), used
    for pid in workers:
        assert not Path(f"/proc/{pid}").exists() or "Z" in _state(pid), f"worker {pid} left"


def _state(pid: int) -> str:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
