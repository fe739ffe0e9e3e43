"""Count requests and time them, by route (Prometheus, api/metrics.py)."""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from c360graph.api import metrics


class RequestMetrics:
    """ASGI middleware counting requests and timing them, by route."""

    PATHS = ("/", "/graphql", "/healthz", "/readyz", "/metrics")  # "/" is the explorer

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, recording its status and latency."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"] if scope["path"] in self.PATHS else "other"
        started = time.perf_counter()
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            metrics.REQUEST_SECONDS.labels(path=path).observe(time.perf_counter() - started)
            metrics.REQUESTS.labels(path=path, method=scope["method"], status=str(status)).inc()
