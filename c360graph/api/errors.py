"""API errors: each carries a code in `extensions.code` and a message saying what to do next.

Anything else that escapes a resolver is logged with its traceback and answered as
INTERNAL_SERVER_ERROR with no detail, so no stack trace or Cypher ever reaches a client.
"""

from __future__ import annotations

import logging
from typing import Any

from graphql import GraphQLError

from c360graph.api.limits import limit_code

log = logging.getLogger("c360graph.api")


class ApiError(Exception):
    """An error a client caused or can act on; its message is shown as it is."""

    code = "BAD_REQUEST"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.extensions: dict[str, Any] = {"code": self.code}


class BadInput(ApiError):
    """An argument is malformed (an email that is not one, a cursor that was not ours)."""

    code = "BAD_USER_INPUT"


class NotFound(ApiError):
    """The thing asked for does not exist (for mutations; queries answer null)."""

    code = "NOT_FOUND"


class Unauthenticated(ApiError):
    """No API key, or one that is not known."""

    code = "UNAUTHENTICATED"


class Forbidden(ApiError):
    """The key's role may not do this."""

    code = "FORBIDDEN"


class Busy(ApiError):
    """Another resolution run holds the lock; the request may be retried later."""

    code = "RESOLUTION_BUSY"


class GraphDown(ApiError):
    """The graph database cannot be reached; the request may be retried."""

    code = "GRAPH_UNAVAILABLE"

    def __init__(self, message: str = "") -> None:
        super().__init__(
            message or "the graph database is unreachable; retry shortly (see /readyz)"
        )


INTERNAL = "INTERNAL_SERVER_ERROR"
VALIDATION = "GRAPHQL_VALIDATION_FAILED"


def error_code(error: GraphQLError) -> str:
    """The code an error is answered with."""
    if isinstance(error.original_error, ApiError):
        return error.original_error.code
    if error.extensions and isinstance(error.extensions.get("code"), str):
        return str(error.extensions["code"])
    if error.original_error is None:
        # Parse and validation errors (limits too) have no original exception.
        return limit_code(error.message) or VALIDATION
    if isinstance(error.original_error, GraphQLError) and error.path is None:
        # Before execution: a variable's value does not fit its declared type.
        return BadInput.code
    return INTERNAL


def coded(error: GraphQLError) -> GraphQLError:
    """The error as answered: with its code; an unexpected one logged and made generic."""
    code = error_code(error)
    message = error.message
    if code == INTERNAL:
        log.error("unexpected error at %s", error.path, exc_info=error.original_error)
        message = "internal error; it has been logged. Retry, or report it with the time."
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions={**(error.extensions or {}), "code": code},
    )
