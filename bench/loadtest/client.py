"""Requests: a GraphQL client that times and judges every answer, and the Tally that counts
them."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import httpx

from loadtest.operations import Op


@dataclass
class Tally:
    """Requests of one phase: every latency by kind, and what went wrong by kind."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter[str] = field(default_factory=Counter)  # "kind: problem"
    past_timeout: int = 0  # requests that had no answer within the client's timeout
    seconds: float = 0.0

    @property
    def requests(self) -> int:
        """Requests completed, good or not."""
        return sum(map(len, self.latencies.values()))

    def add(self, kind: str, seconds: float, problem: str | None) -> None:
        """Count one request."""
        self.latencies[kind].append(seconds)
        if problem:
            self.errors[f"{kind}: {problem}"] += 1


def quantile_ms(values: list[float], q: float) -> float:
    """The q-quantile of `values` (seconds) in ms, by nearest rank; NaN when empty."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return 1000 * ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]


def _problem(status: int, body: dict[str, Any] | None, expect: str) -> str | None:
    """None for a good answer, else what is wrong with it."""
    codes = sorted(
        {str((e.get("extensions") or {}).get("code")) for e in (body or {}).get("errors") or []}
    )
    if status != 200:
        return f"HTTP {status}" + (f" {', '.join(codes)}" if codes else "")
    if body is None:
        return "answer is not JSON"
    if codes:
        return "GraphQL " + ", ".join(codes)
    if (body.get("data") or {}).get(expect) is None:
        return f"{expect} is null"
    return None


class Client:
    """GraphQL over HTTP/1.1 keep-alive with one key, counting every request in a Tally."""

    def __init__(self, url: str, key: str, connections: int, timeout: float) -> None:
        self.timeout = timeout
        self.http = httpx.AsyncClient(
            base_url=url,
            headers={"Authorization": f"Bearer {key}"},
            limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections),
            timeout=timeout,
        )

    async def send(
        self, tally: Tally, label: str, op: Op, variables: dict[str, Any]
    ) -> dict[str, Any] | None:
        """One request, counted under `label`; its answer's `op.field` when it succeeded, else
        None (and the problem counted)."""
        started = time.perf_counter()
        body: dict[str, Any] | None = None
        try:
            async with asyncio.timeout(self.timeout):
                response = await self.http.post(
                    "/graphql", json={"query": op.text, "variables": variables}
                )
            with contextlib.suppress(ValueError):
                body = response.json()
            problem = _problem(response.status_code, body, op.field)
        except (TimeoutError, httpx.TimeoutException):
            problem = f"no answer within {self.timeout:.0f} s"
            tally.past_timeout += 1
        except httpx.HTTPError as exc:
            problem = f"{type(exc).__name__}: {str(exc)[:100]}"
        tally.add(label, time.perf_counter() - started, problem)
        if problem or body is None:
            return None
        found: dict[str, Any] = body["data"][op.field]
        return found

    async def close(self) -> None:
        """Close the connections."""
        await self.http.aclose()
