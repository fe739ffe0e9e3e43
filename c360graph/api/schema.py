"""The GraphQL schema: Query, Mutation and Subscription, with the API's limits and error codes."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.types import ExecutionContext
from strawberry.types.base import get_object_definition

from c360graph.api.audit import AuditPiiViews
from c360graph.api.events import LineageQuery, Subscription
from c360graph.api.executor_cycle_workaround import ExecutionContextWithoutCycle
from c360graph.api.limits import limit_extensions
from c360graph.api.mutation import Mutation
from c360graph.api.query import Query
from c360graph.config import ApiSettings


@strawberry.type(name="Query", description=get_object_definition(Query, strict=True).description)
class _Query(Query, LineageQuery):
    """The root Query with the change feed's lineage look-up (api/events.py)."""


class _Schema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Logging is the HTTP view's job (errors.coded): unexpected errors only."""


def build_schema(api: ApiSettings | None = None) -> strawberry.Schema:
    """The schema with the configured limits (the defaults when none are given)."""
    extensions: list[Any] = [*limit_extensions(api or ApiSettings()), AuditPiiViews]
    return _Schema(
        query=_Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=extensions,
        execution_context_class=ExecutionContextWithoutCycle,
    )


def schema_sdl() -> str:
    """The schema in SDL, as checked in at schema.graphql."""
    return build_schema().as_str() + "\n"
