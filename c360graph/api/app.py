"""The Starlette app: /graphql (offline GraphiQL on GET), the explorer at /, health, metrics."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, cast

import orjson
from cross_web import HTTPException
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from c360graph.api import metrics
from c360graph.api.audit_log import AuditLog
from c360graph.api.context import AppState, Context, build_context
from c360graph.api.errors import GraphDown, Unauthenticated, coded
from c360graph.api.explorer import explorer_routes
from c360graph.api.graphiql import graphiql_page, static_routes
from c360graph.api.keys import ApiKey, KeyStore, Role
from c360graph.api.schema import build_schema
from c360graph.api.service import QueryService
from c360graph.config import Settings

log = logging.getLogger("c360graph.api")
DEV_CALLER = ApiKey(name="dev", role=Role.ADMIN, created_at="", prefix="")
HOW_TO_ASK = (
    'POST a JSON object like {"query": "{ __typename }", "variables": {}} with '
    "`Content-Type: application/json`, or GET /graphql?query=... for a query"
)


class GraphQLApp(GraphQL[Context, None]):
    """Strawberry's ASGI view with API-key auth, a request timeout and coded errors."""

    def __init__(self, state: AppState) -> None:
        super().__init__(build_schema(state.settings.api), graphql_ide="graphiql")
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Authenticate, then run the request within the configured time."""
        if scope["type"] != "http":
            await send_json(scope, receive, send, 400, "only HTTP is served", "BAD_REQUEST")
            return
        limit = self.state.settings.api.max_body_bytes
        declared = Request(scope).headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await send_json(scope, receive, send, 413, _too_large(limit), "REQUEST_TOO_LARGE")
            return
        request = Request(scope, _capped(receive, limit))
        if request.method == "GET" and "text/html" in request.headers.get("accept", ""):
            page = await self.render_graphql_ide(request)  # the GraphiQL page needs no key
            await page(scope, receive, send)
            return
        try:
            request.state.caller = self.authenticate(request)
        except Unauthenticated as exc:
            await send_json(scope, receive, send, 401, str(exc), exc.code)
            return
        timeout = self.state.settings.api.timeout_seconds
        try:
            async with asyncio.timeout(timeout):  # no extra task per request, as wait_for
                response = await self.run(request)
        except TimeoutError:
            message = f"the request took longer than {timeout}s and was stopped; ask for less"
            await send_json(scope, receive, send, 504, message, "TIMEOUT")
            return
        except BodyTooLarge:  # a body sent without its length, found too long while reading
            await send_json(scope, receive, send, 413, _too_large(limit), "REQUEST_TOO_LARGE")
            return
        except HTTPException as exc:  # Strawberry could not read a GraphQL request from it
            message = f"{exc.reason.rstrip('.')}: {HOW_TO_ASK}"
            await send_json(scope, receive, send, exc.status_code, message, "BAD_REQUEST")
            return
        await response(scope, receive, send)

    def authenticate(self, request: Request) -> ApiKey:
        """The caller of a request, from `Authorization: Bearer` or `X-API-Key`."""
        header = request.headers.get("authorization", "")
        key = header[7:].strip() if header.lower().startswith("bearer ") else ""
        key = key or request.headers.get("x-api-key", "").strip()
        if not key:
            if self.state.dev:
                return DEV_CALLER
            raise Unauthenticated(
                "an API key is required: send `Authorization: Bearer <key>` "
                "(an admin creates one with `c360 keys create NAME --role reader`)"
            )
        caller = self.state.keys.authenticate(key)
        if caller is None:
            raise Unauthenticated("this API key is not known (revoked?); see `c360 keys list`")
        return caller

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
        return build_context(request, response, self.state, request.state.caller)

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


class BodyTooLarge(Exception):
    """A request body grew past api.max_body_bytes while being read."""


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


def _too_large(limit: int) -> str:
    return (
        f"the request body is over {limit:,} bytes (api.max_body_bytes); "
        "send fewer records per ingestRecords call"
    )


async def send_json(
    scope: Scope, receive: Receive, send: Send, status: int, message: str, code: str
) -> None:
    """Answer with a GraphQL-shaped error body."""
    metrics.GRAPHQL_ERRORS.labels(code=code).inc()
    body = {"errors": [{"message": message, "extensions": {"code": code}}]}
    headers = {401: {"WWW-Authenticate": "Bearer"}, 405: {"Allow": "GET, POST"}}.get(status)
    await JSONResponse(body, status_code=status, headers=headers)(scope, receive, send)


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
            Route("/graphql", graphql),  # other methods get a JSON 405 from the view
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics_endpoint),
            *static_routes(),
            *explorer_routes(),  # the customer 360 explorer at /
        ],
        lifespan=lifespan,
    )
    return RequestMetrics(app)
