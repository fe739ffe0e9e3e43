"""Several API worker processes behind one listening socket: the parent process accepts each
connection and hands it to the workers in turn, as Node's cluster module does on Linux.

Letting the workers accept split connections unevenly, and a worker with more keep-alive
clients than the others answers them all more slowly:
- one shared socket: whichever worker woke first drained the accept queue (974 of 976 CPU
  ticks in one of two workers under 16 clients);
- a socket per worker (SO_REUSEPORT): the kernel hashes each connection to a worker, and 16
  clients split 8/8 only about one time in five. Splits of 4/12 to 9/7 measured p99 of 72
  down to 53 ms at the same throughput (docs/benchmarks.md).
Handed out in turn, 16 connections split 8/8. The parent only accepts; it passes each
connection's file descriptor to a worker over a Unix socket, and closes its own copy.

uvicorn has no public way to serve a connection it did not accept, so `_adopt` builds the
protocol as uvicorn's private `Server.startup` does (`create_protocol`). pyproject.toml pins
the uvicorn release this is tested with; tests/unit/test_connection_handout.py fails when
uvicorn changes what it relies on.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import multiprocessing
import multiprocessing.connection
import signal
import socket
import sys
import threading
from collections.abc import Callable
from functools import partial
from types import FrameType

import uvicorn

from c360graph.runtime.frame_stack_workaround import with_frame_room

# Where uvicorn finds the app in each worker (a string: the parent never builds the app).
APP = "c360graph.runtime.asgi:app_factory"
BACKLOG = 2048  # uvicorn's default


def listening_socket(host: str, port: int) -> socket.socket:
    """A TCP socket listening on host:port."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(BACKLOG)
    except OSError:
        sock.close()
        raise
    return sock


def hand_out(listener: socket.socket, channels: list[socket.socket]) -> None:
    """Accept connections and pass each to the next worker's channel, until either closes."""
    for channel in itertools.cycle(channels):
        try:
            connection, _ = listener.accept()
        except OSError:
            return  # the listener was closed: the server is stopping
        with connection:
            try:
                socket.send_fds(channel, [b"c"], [connection.fileno()])
            except OSError:
                return  # a worker is gone; the parent stops the server


class HandedConnectionsServer(uvicorn.Server):
    """uvicorn serving the connections handed to it over `channel` instead of accepting."""

    def __init__(self, config: uvicorn.Config, channel: socket.socket) -> None:
        super().__init__(config)
        self.channel = channel
        self.adopting: set[asyncio.Task[object]] = set()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        """Start the app (lifespan), then serve every connection that arrives on the channel."""
        await super().startup(sockets=[])
        loop = asyncio.get_running_loop()
        self.channel.setblocking(False)
        loop.add_reader(self.channel.fileno(), self._adopt, loop)

    def _adopt(self, loop: asyncio.AbstractEventLoop) -> None:
        try:
            _, fds, _, _ = socket.recv_fds(self.channel, 16, 16)
        except BlockingIOError:
            return
        if not fds:  # the parent closed the channel: it is stopping
            loop.remove_reader(self.channel.fileno())
            self.should_exit = True
            return
        protocol = uvicorn_protocol(self)
        for fd in fds:
            task = loop.create_task(
                loop.connect_accepted_socket(protocol, socket.socket(fileno=fd))
            )
            self.adopting.add(task)  # the loop holds tasks weakly
            task.add_done_callback(self.adopting.discard)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        """Take no more connections, then let uvicorn finish those it serves."""
        asyncio.get_running_loop().remove_reader(self.channel.fileno())
        await super().shutdown(sockets)


def uvicorn_protocol(server: uvicorn.Server) -> Callable[[], asyncio.Protocol]:
    """The protocol factory as uvicorn makes it for a connection it accepted itself."""
    return partial(  # type: ignore[call-arg]
        server.config.http_protocol_class,
        config=server.config,
        server_state=server.server_state,
        app_state=server.lifespan.state,
    )


def _worker(channel: socket.socket, log_level: str) -> None:
    config = uvicorn.Config(APP, factory=True, log_level=log_level, access_log=False)
    with_frame_room(lambda: HandedConnectionsServer(config, channel).run())


def run_workers(host: str, port: int, workers: int, log_level: str) -> None:
    """Run `workers` API processes on host:port until a signal stops them or one dies.

    Raises OSError when the port cannot be bound (checked before any worker starts).
    """
    listener = listening_socket(host, port)
    pairs = [socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET) for _ in range(workers)]
    context = multiprocessing.get_context("spawn")
    processes = [
        context.Process(target=_worker, args=(theirs, log_level), name=f"c360-api-{i}")
        for i, (_, theirs) in enumerate(pairs)
    ]
    for process in processes:
        process.start()
    for _, theirs in pairs:
        theirs.close()  # each worker holds its own copy now
    channels = [ours for ours, _ in pairs]
    threading.Thread(target=hand_out, args=(listener, channels), daemon=True).start()

    def stop(signum: int, _frame: FrameType | None) -> None:
        with contextlib.suppress(OSError):  # wakes the accepting thread; new clients are refused
            listener.shutdown(socket.SHUT_RDWR)
        listener.close()
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
    for channel in channels:
        channel.close()
    codes = [p.exitcode for p in processes]
    if any(code not in (0, -signal.SIGTERM) for code in codes):
        sys.exit(f"an API worker exited with status {codes}; see the log above")
