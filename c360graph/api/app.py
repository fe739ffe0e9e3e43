"""The Starlette app: /graphql (offline GraphiQL on GET; subscriptions over WebSockets), the
explorer at /, health, metrics."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, cast

import orjson
from cross_web import HTTPException
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.types import ASGIApp, Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult

from c360graph.api import metrics
from c360graph.api.audit_log import AuditLog
from c360graph.api.context import AppState, Context, build_context
from c360graph.api.errors import GraphDown, coded
from c360graph.api.explorer import explorer_routes
from c360graph.api.graphiql import graphiql_page, static_routes, wants_graphiql_page
from c360graph.api.keys import KeyStore
from c360graph.api.middleware.api_keys import ApiKeyBackend, caller_of, refuse_unauthenticated
from c360graph.api.middleware.body_limit import BodyLimit
from c360graph.api.middleware.error_body import error_response
from c360graph.api.middleware.request_metrics import RequestMetrics
from c360graph.api.middleware.timeout import RequestTimeout
from c360graph.api.schema import build_schema
from c360graph.api.service import QueryService
from c360graph.api.websocket import TextFrameWebSocketAdapter
from c360graph.config import Settings

log = logging.getLogger("c360graph.api")
HOW_TO_ASK = (
    'POST a JSON object like {"query": "{ __typename }", "variables": {}} with '
    "`Content-Type: application/json`, or GET /graphql?query=... for a query"
)


class GraphQLApp(GraphQL[Context, None]):
    """Strawberry's ASGI view with coded errors and the offline GraphiQL page.

    The HTTP concerns around it (body limit, API key, timeout) are middleware (api/middleware/).
    """

    websocket_adapter_class = TextFrameWebSocketAdapter

    def __init__(self, state: AppState) -> None:
        super().__init__(
            build_schema(state.settings.api),
            graphql_ide="graphiql",
            # Subscriptions (api/events.py) speak graphql-transport-ws only: the legacy
            # graphql-ws protocol is unmaintained. Browsers may open a socket from the
            # origins CORS allows, no others.
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            allowed_origins=state.settings.api.cors_origins,
        )
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the GraphiQL page to a browser, a subscription's WebSocket, else the request."""
        if scope["type"] == "websocket":
            await super().__call__(scope, receive, send)
            return
        if scope["type"] != "http":
            await error_response(400, "only HTTP is served", "BAD_REQUEST")(scope, receive, send)
            return
        request = Request(scope, receive)
        if wants_graphiql_page(request):
            page = await self.render_graphql_ide(request)
            await page(scope, receive, send)
            return
        try:
            response = await self.run(request)
        except HTTPException as exc:  # Strawberry could not read a GraphQL request from it
            message = f"{exc.reason.rstrip('.')}: {HOW_TO_ASK}"
            await error_response(exc.status_code, message, "BAD_REQUEST")(scope, receive, send)
            return
        await response(scope, receive, send)

    def encode_json(self, data: object) -> bytes:
        """A response as compact UTF-8 JSON (orjson: json.dumps took 3% of the API's CPU)."""
        return orjson.dumps(data)

    def decode_json(self, data: str | bytes) -> object:
        """A request's JSON; HTTP 400 if unreadable (bad bytes, too deep) or not an object."""
        try:
            value = json.loads(data)
        except (ValueError, RecursionError) as exc:  # JSONDecodeError, UnicodeDecodeError
            raise HTTPException(400, "the body is not readable JSON") from exc
        if not isinstance(value, dict | list):  # a list is a batch, which Strawberry refuses
            raise HTTPException(400, "the JSON body is not an object")
        return value

    async def get_context(self, request: Any, response: Any) -> Context:
        """A fresh context (loaders, masking) for this request's caller."""
        return build_context(request, response, self.state, caller_of(request))

    async def render_graphql_ide(self, request: Any) -> Response:
        """GraphiQL from vendored assets: works with no internet access."""
        return Response(graphiql_page("/graphql", self.state.dev), media_type="text/html")

    async def process_result(self, request: Any, result: ExecutionResult) -> GraphQLHTTPResponse:
        """Every error with its code; unexpected ones logged and made generic."""
        if result.errors:
            result.errors = [coded(error) for error in result.errors]
        return await super().process_result(request, result)

    def create_response(
        self, response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse], sub_response: Any
    ) -> Response:
        """The JSON response; 503 when the graph was unreachable, errors counted by code."""
        response = super().create_response(response_data, sub_response)
        results = response_data if isinstance(response_data, list) else [response_data]
        codes = [
            str((error.get("extensions") or {}).get("code", "UNKNOWN"))
            for result in results
            for error in cast(list[dict[str, Any]], result.get("errors") or [])
        ]
        for code in codes:
            metrics.GRAPHQL_ERRORS.labels(code=code).inc()
        if GraphDown.code in codes:
            response.status_code = 503
            response.headers["Retry-After"] = "5"
        return response


def graphql_middleware(state: AppState) -> list[Middleware]:
    """Around /graphql, outermost first: the body limit, the API key, the time limit.

    Only /graphql: the explorer, health, metrics and static files need no key.
    """
    api = state.settings.api
    backend = ApiKeyBackend(state.keys, state.dev, is_open=wants_graphiql_page)
    return [
        Middleware(BodyLimit, max_bytes=api.max_body_bytes),
        Middleware(AuthenticationMiddleware, backend=backend, on_error=refuse_unauthenticated),
        Middleware(RequestTimeout, seconds=api.timeout_seconds),
    ]


def cors_middleware(origins: tuple[str, ...]) -> list[Middleware]:
    """CORS for a frontend served from another origin (api.cors_origins); none by default."""
    if not origins:
        return []
    return [
        Middleware(
            CORSMiddleware,
            allow_origins=list(origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type", "X-API-Key"],
            max_age=600,
        )
    ]


def create_app(settings: Settings, dev: bool = False) -> ASGIApp:
    """The whole API as an ASGI app."""
    state = AppState(
        settings=settings,
        service=QueryService(settings),
        keys=KeyStore(settings.api_keys_file),
        audit=AuditLog(settings.audit_dir),
        dev=dev,
    )
    graphql = GraphQLApp(state)

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> Response:
        try:
            await state.service.ping()
        except GraphDown as exc:
            return JSONResponse(
                {
                    "status": "unavailable",
                    "error": str(exc),
                    "fix": "check the graph server (`c360 db status`) and start it "
                    "(`c360 db start`), or check NEO4J_URI; this API reconnects by itself",
                },
                status_code=503,
                headers={"Retry-After": "5"},
            )
        return JSONResponse({"status": "ready"})

    async def metrics_endpoint(request: Request) -> Response:
        body, content_type = metrics.render()
        return Response(body, media_type=content_type)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if dev:
            log.warning("DEV MODE: requests without an API key act as admin. Never in production.")
        yield
        await state.service.close()
        await asyncio.to_thread(state.close)
        await asyncio.to_thread(state.audit.close)  # what is queued is written first

    app = Starlette(
        middleware=cors_middleware(settings.api.cors_origins),
        routes=[
            # Other methods get a JSON 405 from the view.
            Route("/graphql", graphql, middleware=graphql_middleware(state)),
            # Subscriptions: the same API key check on the handshake (401 refuses it).
            WebSocketRoute("/graphql", graphql, middleware=graphql_middleware(state)),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics_endpoint),
            *static_routes(),
            *explorer_routes(),  # the customer 360 explorer at /
        ],
        lifespan=lifespan,
    )
    return RequestMetrics(app)
