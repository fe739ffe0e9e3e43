"""Who is calling: the API key of `Authorization: Bearer` or `X-API-Key`, as a Starlette
`AuthenticationBackend`. Its credentials name the caller's role; the fields check what that
role may see (api/permissions.py)."""

from __future__ import annotations

from collections.abc import Callable

from starlette.authentication import (
    AuthCredentials,
    AuthenticationBackend,
    AuthenticationError,
    BaseUser,
)
from starlette.requests import HTTPConnection
from starlette.responses import Response

from c360graph.api.errors import Unauthenticated
from c360graph.api.keys import ApiKey, KeyStore, Role
from c360graph.api.middleware.error_body import error_response

DEV_CALLER = ApiKey(name="dev", role=Role.ADMIN, created_at="", prefix="")


class Caller(BaseUser):
    """The API key a request was made with (`request.user`)."""

    def __init__(self, key: ApiKey) -> None:
        self.key = key

    @property
    def is_authenticated(self) -> bool:
        """Always: a request without a valid key gets no Caller."""
        return True

    @property
    def display_name(self) -> str:
        """The key's name."""
        return self.key.name


class ApiKeyBackend(AuthenticationBackend):
    """The caller from their API key; `--dev` makes a request without one a dev admin.

    Requests `is_open` accepts (the GraphiQL page) need no key and get no caller.
    """

    def __init__(
        self, keys: KeyStore, dev: bool, is_open: Callable[[HTTPConnection], bool]
    ) -> None:
        self.keys = keys
        self.dev = dev
        self.is_open = is_open

    async def authenticate(self, conn: HTTPConnection) -> tuple[AuthCredentials, BaseUser] | None:
        """The caller and their role; AuthenticationError (401) without a known key."""
        if self.is_open(conn):
            return None
        header = conn.headers.get("authorization", "")
        key = header[7:].strip() if header.lower().startswith("bearer ") else ""
        key = key or conn.headers.get("x-api-key", "").strip()
        if not key:
            if not self.dev:
                raise AuthenticationError(
                    "an API key is required: send `Authorization: Bearer <key>` "
                    "(an admin creates one with `c360 keys create NAME --role reader`)"
                )
            caller: ApiKey | None = DEV_CALLER
        else:
            caller = self.keys.authenticate(key)
        if caller is None:
            raise AuthenticationError("this API key is not known (revoked?); see `c360 keys list`")
        return AuthCredentials([caller.role.value]), Caller(caller)


def refuse_unauthenticated(conn: HTTPConnection, exc: AuthenticationError) -> Response:
    """401 with `WWW-Authenticate: Bearer` and the UNAUTHENTICATED code."""
    return error_response(401, str(exc), Unauthenticated.code)


def caller_of(conn: HTTPConnection) -> ApiKey:
    """The key of an authenticated request; Unauthenticated if the backend let it through open."""
    user = conn.scope.get("user")
    if not isinstance(user, Caller):
        raise Unauthenticated("an API key is required: send `Authorization: Bearer <key>`")
    return user.key
