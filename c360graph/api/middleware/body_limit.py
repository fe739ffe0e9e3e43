"""Refuse request bodies over api.max_body_bytes with 413, declared or found while reading."""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from c360graph.api.middleware.error_body import error_response


class BodyTooLarge(Exception):
    """A request body grew past its limit while being read."""


class BodyLimit:
    """ASGI middleware: a body over `max_bytes` is refused before (or instead of) being read."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse a declared length over the limit; cap the body of any other request."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        answered = False

        async def sending(message: Message) -> None:
            nonlocal answered
            answered = answered or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, _capped(receive, self.max_bytes), sending)
        except BodyTooLarge:  # a body sent without its length, found too long while reading
            if answered:
                raise
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        message = (
            f"the request body is over {self.max_bytes:,} bytes (api.max_body_bytes); "
            "send fewer records per ingestRecords call"
        )
        await error_response(413, message, "REQUEST_TOO_LARGE")(scope, receive, send)


def _capped(receive: Receive, limit: int) -> Receive:
    """`receive` that raises BodyTooLarge once the body passes `limit` bytes."""
    seen = 0

    async def capped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge
        return message

    return capped
