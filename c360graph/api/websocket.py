"""Strawberry's ASGI WebSocket adapter fitted to this API's JSON codec (api/app.py).

The view encodes with orjson, to bytes, and Strawberry's adapter sends bytes as a binary
frame, which graphql-transport-ws forbids (clients drop the connection). The view's decoder
refuses unreadable JSON with an HTTP 400, which a socket cannot answer: it becomes
Strawberry's own "not JSON" refusal (close code 4400).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Mapping

from cross_web import HTTPException
from starlette.websockets import WebSocketDisconnect
from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.http.exceptions import NonJsonMessageReceived, WebSocketDisconnected


class TextFrameWebSocketAdapter(ASGIWebSocketAdapter):
    """Sends every message as a text frame; unreadable JSON is refused the protocol's way."""

    async def send_json(self, message: Mapping[str, object]) -> None:
        """The message as one UTF-8 text frame."""
        encoded = self.view.encode_json(message)
        text = encoded.decode() if isinstance(encoded, bytes) else encoded
        try:
            await self.ws.send_text(text)
        except WebSocketDisconnect as exc:
            raise WebSocketDisconnected from exc

    async def iter_json(
        self, *, ignore_parsing_errors: bool = False
    ) -> AsyncGenerator[object, None]:
        """The client's messages, decoded; NonJsonMessageReceived for one that is not JSON."""
        try:
            async for message in super().iter_json(ignore_parsing_errors=ignore_parsing_errors):
                yield message
        except HTTPException as exc:
            raise NonJsonMessageReceived from exc
