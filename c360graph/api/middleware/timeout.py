"""Stop a request that takes longer than api.timeout_seconds and answer 504."""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from c360graph.api.middleware.error_body import error_response


class RequestTimeout:
    """ASGI middleware: the request is cancelled if no answer has started within `seconds`."""

    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the request under the deadline; an answer, once started, is sent in full."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        answered = False
        try:
            # asyncio.timeout, not wait_for: no extra task per request.
            async with asyncio.timeout(self.seconds) as deadline:

                async def sending(message: Message) -> None:
                    nonlocal answered
                    if message["type"] == "http.response.start":
                        answered = True
                        deadline.reschedule(None)  # a slow reader is not a slow request
                    await send(message)

                await self.app(scope, receive, sending)
        except TimeoutError:
            if answered:
                raise
            message = f"the request took longer than {self.seconds}s and was stopped; ask for less"
            await error_response(504, message, "TIMEOUT")(scope, receive, send)
