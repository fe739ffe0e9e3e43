"""One GraphQL operation sent over bench/http1.py's lean keep-alive client.

bench/api.py drives our API and the @neo4j/graphql peer with it: the same client, the same
error reading, only the path, headers, body and the field that says "found" differ.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import orjson
from common import BenchError
from http1 import LeanClient


def problem(status: int, content: bytes, found: Callable[[dict[str, Any]], bool]) -> str | None:
    """None for a good answer, else what was wrong with it."""
    if status != 200:
        return f"HTTP {status}"
    body = orjson.loads(content)
    if body.get("errors"):
        codes = {str((e.get("extensions") or {}).get("code")) for e in body["errors"]}
        return "GraphQL errors: " + ", ".join(sorted(codes))
    if not found(body.get("data") or {}):
        return "identity not found"
    return None


class GraphQLEndpoint:
    """`body(identity_id)` POSTed to `path` over HTTP/1.1 keep-alive (httpx took about
    1.3 ms of the shared cores per request, a quarter of what the API itself needs)."""

    def __init__(
        self,
        url: str,
        path: str,
        headers: dict[str, str],
        clients: int,
        body: Callable[[str], bytes],
        found: Callable[[dict[str, Any]], bool],
        who: str,
    ) -> None:
        address = urlsplit(url)
        assert address.hostname is not None and address.port is not None
        self.client = LeanClient(address.hostname, address.port, headers, clients)
        self.path, self.body, self.found, self.who = path, body, found, who

    async def fetch(self, identity_id: str) -> dict[str, Any]:
        """The whole response body."""
        status, content = await self.client.post(self.path, self.body(identity_id))
        if status != 200:
            raise BenchError(f"{self.who} answered HTTP {status}: {content[:300]!r}")
        answer: dict[str, Any] = orjson.loads(content)
        return answer

    async def call(self, identity_id: str) -> str | None:
        """One request; None when it succeeded, else what went wrong."""
        status, content = await self.client.post(self.path, self.body(identity_id))
        return problem(status, content, self.found)

    async def close(self) -> None:
        """Close the connections."""
        await self.client.close()
