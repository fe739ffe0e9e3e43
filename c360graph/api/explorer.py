"""The customer 360 explorer at `/`: a single page that uses only the public GraphQL API.

Its HTML, JavaScript modules and CSS live in static/explorer (checked in, hand-written, no
build step); Cytoscape.js, which draws the identity graph, is vendored like GraphiQL's
assets: `make install` copies it from tools/explorer (npm, pinned by its package-lock.json)
into the gitignored VENDOR_DIR. Every response of the page carries a Content-Security-Policy
that allows this server's own origin only, so nothing is loaded from, or sent to, elsewhere.
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from c360graph.api.graphiql import VENDOR_DIR

EXPLORER_DIR: Path = Path(__file__).resolve().parent / "static" / "explorer"
EXPLORER_URL = "/static/explorer"
CYTOSCAPE_FILE = "cytoscape.esm.min.mjs"  # in VENDOR_DIR

# Own origin only: no CDN, no inline script or style, no framing, no posting elsewhere.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
_RAW_HEADERS = [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]


def cytoscape_missing() -> bool:
    """True when `make install` has not copied Cytoscape.js into VENDOR_DIR."""
    return not (VENDOR_DIR / CYTOSCAPE_FILE).is_file()


class _Secured:
    """ASGI wrapper adding the explorer's security headers to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the headers to the response's start."""

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *_RAW_HEADERS]}
            await send(message)

        await self.app(scope, receive, sending)


async def explorer_page(request: Request) -> Response:
    """The explorer's HTML shell (the modules it loads do the rest)."""
    body = (EXPLORER_DIR / "index.html").read_bytes()
    headers = {**SECURITY_HEADERS, "Cache-Control": "no-cache"}
    return Response(body, media_type="text/html; charset=utf-8", headers=headers)


def explorer_routes() -> list[BaseRoute]:
    """`/` (the page) and `/static/explorer` (its modules and stylesheet)."""
    files = StaticFiles(directory=EXPLORER_DIR, check_dir=False)
    return [
        Route("/", explorer_page, methods=["GET", "HEAD"]),
        Mount(EXPLORER_URL, _Secured(files), name="explorer"),
    ]
