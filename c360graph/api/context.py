"""The per-request context: who is calling, their masking and look-ups, fresh DataLoaders."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import Any, TypeAlias, TypeVar

import strawberry
from neo4j.exceptions import ServiceUnavailable, SessionExpired
from starlette.requests import Request
from starlette.responses import Response

from c360graph.analyze.purchases import PurchaseRule
from c360graph.analyze.segments import parse_segment_settings
from c360graph.analyze.settings import AnalysesConfig, load_analyses_config
from c360graph.api.audit_log import AuditLog, PiiView, new_id
from c360graph.api.errors import Forbidden, GraphDown
from c360graph.api.keys import ApiKey, Grant, KeyStore, Role
from c360graph.api.loaders import Loaders
from c360graph.api.masking import Masker
from c360graph.api.service import QueryService, RoundTrips
from c360graph.config import Settings
from c360graph.db.graph import Graph, GraphUnavailable, connect
from c360graph.resolve.settings import ResolutionConfig, load_resolution_config
from c360graph.usecases import C360

T = TypeVar("T")


@dataclass
class AppState:
    """What lives as long as the server process: settings, the query service, the writer."""

    settings: Settings
    service: QueryService
    keys: KeyStore
    audit: AuditLog
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

    def c360(self, graph: Graph) -> C360:
        """The use cases over `graph`, with the configs read once; a resolution waits for a
        running one at most half the request timeout, so the answer comes before it."""
        return C360(
            graph,
            self.settings,
            resolution_config=self.resolution_config,
            analyses_config=self.analyses_config,
            wait_seconds=self.settings.api.timeout_seconds / 2,
        )

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
        """Raise unless the caller may do all `role` may (a check that depends on arguments;
        a field that needs a role carries a permission class, api/permissions.py)."""
        if not self.caller.role.at_least(role):
            raise Forbidden(
                f"this needs the {role.value} role; your key {self.caller.name!r} is "
                f"{self.caller.role.value}"
            )

    @property
    def contacts(self) -> set[str]:
        """The identities an agent looked up in this request (their email, phone shown)."""
        return self.masker.contacts

    def _is_agent(self) -> bool:
        return self.masker.contacts_only

    def check_lookups_left(self) -> None:
        """FORBIDDEN when an agent has looked up as many identities as one request may."""
        most = self.app.settings.api.agent_max_identities
        if self._is_agent() and len(self.contacts) >= most:
            raise Forbidden(_too_many(most, len(self.contacts) + 1))

    def look_up(self, identity_ids: Iterable[str]) -> None:
        """Note identities a look-up found: an agent then sees their email and phone.
        FORBIDDEN, showing none of them, when that takes an agent past its limit."""
        if not self._is_agent():
            return
        found = self.contacts | {str(i) for i in identity_ids}
        most = self.app.settings.api.agent_max_identities
        if len(found) > most:
            raise Forbidden(_too_many(most, len(found)))
        self.contacts.update(found)

    def record_pii_views(self, operation: str | None, root_fields: Sequence[str]) -> None:
        """Queue the audit log entry of what this request showed unmasked, if anything."""
        views = self.masker.views
        if not views:
            return
        self.app.audit.append(
            PiiView(
                id=new_id(),
                at=datetime.now(UTC),
                key=self.caller.name,
                role=self.caller.role.value,
                operation=operation,
                root_fields=tuple(root_fields),
                fields=tuple(sorted(views.fields)),
                identities=tuple(sorted(views.identities)),
                records=tuple(sorted(views.records)),
                other=tuple(sorted(views.other)),
            )
        )


def _too_many(most: int, asked: int) -> str:
    return (
        f"an agent key may look up at most {most} identities in one request, and this one "
        f"would make {asked}: ask the caller for another detail (email, phone, customer "
        "number) that finds them alone, or have an analyst look"
    )


def build_context(request: Request, response: Response, app: AppState, caller: ApiKey) -> Context:
    """A context with new loaders, so no data is shared between requests or callers."""
    trips = RoundTrips()
    role = caller.role
    return Context(
        request=request,
        response=response,
        app=app,
        caller=caller,
        trips=trips,
        loaders=Loaders(app.service, trips, app.settings.api.page_size),
        masker=Masker.for_grants(every=role.may(Grant.PII), contacts=role.may(Grant.CALLER_PII)),
    )


Info: TypeAlias = strawberry.Info[Context, Any]
