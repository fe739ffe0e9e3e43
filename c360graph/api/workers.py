"""Several API worker processes, each listening on its own SO_REUSEPORT socket.

uvicorn's own `--workers` share one listening socket, and whichever worker wakes first takes
the connection: under a burst of keep-alive clients one worker ended up with nearly all of
them (measured: 974 of 976 CPU ticks in one of two workers), so two workers served what
one core could. With one socket per worker the kernel spreads new connections across them.

All the sockets listen before any worker starts. A worker opening its own socket only once
it had loaded the app joined the group too late: the first worker up answered the readiness
check, the clients connected, and all 16 keep-alive connections of the benchmark stayed on
it (seen in a run: one worker idle, p99 387 ms).
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import signal
import socket
import sys
from types import FrameType

from c360graph.api.frame_room import with_frame_room

APP = "c360graph.api.asgi:app_factory"
BACKLOG = 2048  # uvicorn's default


def listening_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to host:port that other processes may bind too (SO_REUSEPORT).

    Linux lets only processes of the same user join such a group of sockets.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def _worker(sock: socket.socket, host: str, port: int, log_level: str) -> None:
    import uvicorn

    config = uvicorn.Config(
        APP, factory=True, host=host, port=port, log_level=log_level, access_log=False
    )
    with_frame_room(lambda: uvicorn.Server(config).run(sockets=[sock]))


def run_workers(host: str, port: int, workers: int, log_level: str) -> None:
    """Run `workers` API processes on host:port until a signal stops them or one dies.

    Raises OSError when the port cannot be bound (checked before any worker starts).
    """
    sockets = []
    try:
        for _ in range(workers):
            sockets.append(listening_socket(host, port))
            sockets[-1].listen(BACKLOG)
    except OSError:
        for sock in sockets:
            sock.close()
        raise
    context = multiprocessing.get_context("spawn")
    processes = [
        context.Process(target=_worker, args=(sock, host, port, log_level), name=f"c360-api-{i}")
        for i, sock in enumerate(sockets)
    ]
    for process in processes:
        process.start()
    for sock in sockets:
        sock.close()  # each worker holds its own copy now

    def stop(signum: int, _frame: FrameType | None) -> None:
        for process in processes:
            if process.is_alive():
                process.terminate()  # uvicorn finishes the requests in flight on SIGTERM

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    sentinels = [p.sentinel for p in processes]
    # The first worker to exit ends the server: a half-sized API would hide a crash.
    multiprocessing.connection.wait(sentinels)
    stop(signal.SIGTERM, None)
    for process in processes:
        process.join(timeout=30)
    codes = [p.exitcode for p in processes]
    if any(code not in (0, -signal.SIGTERM) for code in codes):
        sys.exit(f"an API worker exited with status {codes}; see the log above")
