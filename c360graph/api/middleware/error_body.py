"""A refusal before or around GraphQL, in the body shape GraphQL errors have."""

from __future__ import annotations

from starlette.responses import JSONResponse

from c360graph.api import metrics

# What HTTP asks a refusal to say besides its body.
_HEADERS = {401: {"WWW-Authenticate": "Bearer"}, 405: {"Allow": "GET, POST"}}


def error_response(status: int, message: str, code: str) -> JSONResponse:
    """`{"errors": [{message, extensions: {code}}]}` with `status`, counted by code."""
    metrics.GRAPHQL_ERRORS.labels(code=code).inc()
    body = {"errors": [{"message": message, "extensions": {"code": code}}]}
    return JSONResponse(body, status_code=status, headers=_HEADERS.get(status))
