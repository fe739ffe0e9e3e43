"""`c360 serve --workers N`: connections are handed to the workers in turn, and all serve."""

from __future__ import annotations

import contextlib
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from c360graph.db.graph import Graph
from tests.helpers import serving

QUERY = {
    "query": '{ searchIdentities(name: "anna", first: 20) { edges { node { score identity { id } } } } }'
}


def _established(port: int) -> set[int]:
    """Socket inodes of established TCP connections to the port (IPv4), from /proc/net/tcp."""
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[3] == "01" and int(fields[1].split(":")[1], 16) == port:
            found.add(int(fields[9]))
    return found


def _sockets_of(pid: int) -> set[int]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            target = os.readlink(fd)
            if target.startswith("socket:["):
                inodes.add(int(target[8:-1]))
    return inodes


def _children(pid: int) -> list[int]:
    tasks = Path(f"/proc/{pid}/task")
    kids = " ".join((t / "children").read_text() for t in tasks.iterdir())
    return [int(k) for k in kids.split()]


def _cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def _client_session(client: httpx.Client) -> None:
    for _ in range(15):  # on the client's one connection, kept alive
        answer = client.post("/graphql", json=QUERY)
        assert answer.status_code == 200 and "errors" not in answer.json(), answer.text


def test_two_workers_take_connections_in_turn_and_stop_with_the_server(
    api_data: Graph, cli_env_session: dict[str, str], tmp_path: Path
) -> None:
    with serving(cli_env_session, tmp_path / "api.log", "--dev", "--workers", "2") as served:
        children = _children(served.process.pid)
        workers = [p for p in children if "spawn_main" in Path(f"/proc/{p}/cmdline").read_text()]
        assert len(workers) == 2, workers
        before = {p: _cpu_ticks(p) for p in workers}
        clients = [httpx.Client(base_url=served.url, timeout=30) for _ in range(16)]
        try:
            for client in clients:  # each opens its connection and keeps it
                assert client.get("/healthz").status_code == 200
            # Handed out in turn: 8 each, where the kernel's hash split them unevenly.
            served_by = {p: len(_sockets_of(p) & _established(served.port)) for p in workers}
            assert sorted(served_by.values()) == [8, 8], served_by
            with ThreadPoolExecutor(16) as pool:
                list(pool.map(_client_session, clients))
        finally:
            for client in clients:
                client.close()
        used = {p: _cpu_ticks(p) - before[p] for p in workers}
        assert all(ticks >= 3 for ticks in used.values()), used
    for pid in workers:
        assert not Path(f"/proc/{pid}").exists() or "Z" in _state(pid), f"worker {pid} left"


def _state(pid: int) -> str:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
