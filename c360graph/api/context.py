"""The per-request context: who is calling, their masking, and fresh DataLoaders."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeAlias, TypeVar

import strawberry
from neo4j.exceptions import ServiceUnavailable, SessionExpired
from starlette.requests import Request
from starlette.responses import Response

from c360graph.analyze.purchases import PurchaseRule
from c360graph.analyze.segments import parse_segment_settings
from c360graph.analyze.settings import AnalysesConfig, load_analyses_config
from c360graph.api.errors import Forbidden, GraphDown
from c360graph.api.keys import ApiKey, KeyStore, Role
from c360graph.api.loaders import Loaders
from c360graph.api.masking import Masker
from c360graph.api.service import QueryService, RoundTrips
from c360graph.config import Settings
from c360graph.db.graph import Graph, GraphUnavailable, connect
from c360graph.resolve.settings import ResolutionConfig, load_resolution_config

T = TypeVar("T")


@dataclass
class AppState:
    """What lives as long as the server process: settings, the query service, the writer."""

    settings: Settings
    service: QueryService
    keys: KeyStore
    dev: bool = False
    # One write at a time per process: ArcadeDB's concurrent writers deadlock, and two
    # resolution runs must never interleave.
    write_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _graph: Graph | None = None

    def graph(self) -> Graph:
        """The synchronous graph the core's write paths use (opened on first use)."""
        if self._graph is None:
            self._graph = connect(self.settings)
        return self._graph

    @cached_property
    def resolution_config(self) -> ResolutionConfig:
        """The resolution rules and thresholds, read once."""
        return load_resolution_config(self.settings.resolve.config)

    @cached_property
    def analyses_config(self) -> AnalysesConfig:
        """The analyses config (segments refreshed after resolutions), read once."""
        return load_analyses_config(self.settings.analyze.config)

    @cached_property
    def purchases(self) -> PurchaseRule:
        """What counts as a purchase: the segments' definition, so metrics agree with them."""
        return parse_segment_settings(self.analyses_config.segments).purchases

    def run_sync(self, work: Callable[[Graph], T]) -> T:
        """Run core code on the synchronous graph; GraphDown (and a reconnect) if unreachable."""
        try:
            return work(self.graph())
        except (GraphUnavailable, ServiceUnavailable, SessionExpired) as exc:
            self.close()
            raise GraphDown() from exc

    def close(self) -> None:
        """Close the synchronous graph, if it was opened."""
        if self._graph is not None:
            self._graph.close()
            self._graph = None


@dataclass
class Context:
    """Everything a resolver may use; built fresh for each request."""

    request: Request
    response: Response
    app: AppState
    caller: ApiKey  # every request is authenticated first (--dev: a dev admin)
    trips: RoundTrips
    loaders: Loaders
    masker: Masker

    @property
    def page_size(self) -> int:
        """The default page size."""
        return self.app.settings.api.page_size

    @property
    def max_page_size(self) -> int:
        """The largest page a request may ask for."""
        return self.app.settings.api.max_page_size

    @property
    def author(self) -> str:
        """Who is acting, for notes and assertions."""
        return self.caller.name

    def require(self, role: Role) -> None:
        """Raise unless the caller's role is at least `role`."""
        if not self.caller.role.at_least(role):
            raise Forbidden(
                f"this needs the {role.value} role; your key {self.caller.name!r} is "
                f"{self.caller.role.value}"
            )


def build_context(request: Request, response: Response, app: AppState, caller: ApiKey) -> Context:
    """A context with new loaders, so no data is shared between requests or callers."""
    trips = RoundTrips()
    reveal = caller.role.at_least(Role.ANALYST)
    return Context(
        request=request,
        response=response,
        app=app,
        caller=caller,
        trips=trips,
        loaders=Loaders(app.service, trips, app.settings.api.page_size),
        masker=Masker(reveal=reveal),
    )


Info: TypeAlias = strawberry.Info[Context, Any]
