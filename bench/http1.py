"""A lean HTTP/1.1 keep-alive client for load generation: POST a body, get status and body.

The load generator shares the 2 cores with the server it measures, so its own CPU per
request is taken from the server. httpx spends about 1.3 ms of CPU per request here; this
client sends prebuilt header bytes and reads `Content-Length` bodies straight off an
`asyncio.Protocol`, a small fraction of that. It speaks only what the benchmarks need: one
request at a time per connection, `Content-Length` answers (no chunked encoding), loopback.
"""

from __future__ import annotations

import asyncio
from collections import deque


class HttpError(Exception):
    """The server's answer could not be read as HTTP/1.1 with a Content-Length."""


class _Connection(asyncio.Protocol):
    """One keep-alive connection carrying one request at a time."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.waiter: asyncio.Future[tuple[int, bytes]] | None = None
        self.head_end = -1  # index just past the blank line, once the head is in
        self.status = 0
        self.length = 0
        self.closed = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if self.waiter is None or self.waiter.done():
            return
        try:
            if self.head_end < 0 and not self._read_head():
                return
        except HttpError as exc:
            self.waiter.set_exception(exc)
            return
        end = self.head_end + self.length
        if len(self.buffer) >= end:
            body = bytes(self.buffer[self.head_end : end])
            del self.buffer[:end]
            self.head_end = -1
            self.waiter.set_result((self.status, body))

    def _read_head(self) -> bool:
        blank = self.buffer.find(b"\r\n\r\n")
        if blank < 0:
            return False
        lines = bytes(self.buffer[:blank]).split(b"\r\n")
        try:
            self.status = int(lines[0].split(b" ", 2)[1])
        except (IndexError, ValueError):
            raise HttpError(f"not an HTTP status line: {lines[0][:80]!r}") from None
        length = None
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        if length is None:
            raise HttpError("the answer has no Content-Length (chunked answers are not read)")
        self.length = length
        self.head_end = blank + 4
        return True

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(ConnectionError(f"the server closed the connection: {exc}"))

    async def exchange(self, request: bytes) -> tuple[int, bytes]:
        """Send one whole request; its status and body."""
        assert self.transport is not None
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(request)
        return await self.waiter

    def close(self) -> None:
        """Drop the connection."""
        self.closed = True
        if self.transport is not None:
            self.transport.close()


class LeanClient:
    """POSTs to one host over at most `connections` keep-alive connections."""

    def __init__(self, host: str, port: int, headers: dict[str, str], connections: int) -> None:
        self.host, self.port = host, port
        self.head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        self.idle: deque[_Connection] = deque()
        self.slots = asyncio.Semaphore(connections)

    async def post(
        self, path: str, body: bytes, content_type: str = "application/json"
    ) -> tuple[int, bytes]:
        """POST `body` to `path`; the answer's status and body."""
        request = (
            f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n{self.head}"
            f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode() + body
        async with self.slots:
            connection = await self._connection()
            try:
                answer = await connection.exchange(request)
            except BaseException:
                connection.close()  # a half-read answer would poison the next request
                raise
            if not connection.closed:
                self.idle.append(connection)
            return answer

    async def _connection(self) -> _Connection:
        while self.idle:
            connection = self.idle.pop()
            if not connection.closed:  # the server may have closed it while idle
                return connection
        loop = asyncio.get_running_loop()
        _, connection = await loop.create_connection(_Connection, self.host, self.port)
        return connection

    async def close(self) -> None:
        """Close every idle connection."""
        while self.idle:
            self.idle.pop().close()
