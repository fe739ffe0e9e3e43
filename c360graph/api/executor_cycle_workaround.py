"""Workaround for a reference cycle in graphql-core 3.3's executor: Strawberry's execution
context, letting go of itself once the response is built.

graphql-core keeps bound methods of the executor in `async_helpers`, so the executor refers to
itself: a cycle that held the whole request (its context, loaders and rows) until the cycle
collector ran, which under load meant pauses of up to a third of a second
(docs/benchmarks.md). Strawberry offers no hook at the end of execution, so this subclasses
its execution context (`StrawberryGraphQLCoreExecutionContext`, internal: Strawberry is pinned
in pyproject.toml). tests/unit/test_executor_cycle_workaround.py fails once graphql-core no
longer makes the cycle, and tests/api/test_request_lifetime.py pins the whole request's.
"""

from __future__ import annotations

from typing import Any

from graphql import ExecutionResult
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext


class ExecutionContextWithoutCycle(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context, dropping `async_helpers` once nothing is left to do."""

    def build_response(self, data: dict[str, Any] | None) -> Any:
        """The response; then the executor's reference to itself is dropped."""
        response = super().build_response(data)
        if isinstance(response, ExecutionResult):  # nothing left to deliver incrementally
            self.async_helpers = None  # type: ignore[assignment]
        return response
