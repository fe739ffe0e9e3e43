"""graphql-core's executor refers to itself through `async_helpers`; the workaround lets a
finished execution go by reference counting. The first test fails once graphql-core no
longer makes the cycle, and the workaround can go."""

from __future__ import annotations

import asyncio
import gc
import weakref
from typing import Any

import strawberry
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from c360graph.api.executor_cycle_workaround import ExecutionContextWithoutCycle


@strawberry.type
class _Customer:
    name: str
    spent_vnd: int


@strawberry.type
class _Query:
    @strawberry.field
    async def customers(self) -> list[_Customer]:
        return [_Customer(name="Lê Thị Hồng Nhung", spent_vnd=3_200_000)]


def _left_alive(context_class: type[StrawberryGraphQLCoreExecutionContext]) -> bool:
    """Whether an execution context outlives its execution with the cycle collector off."""
    made: list[weakref.ref[Any]] = []

    class Watched(context_class):  # type: ignore[valid-type, misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            made.append(weakref.ref(self))

    schema = strawberry.Schema(query=_Query, execution_context_class=Watched)
    gc.collect()
    gc.disable()
    try:
        result = asyncio.run(schema.execute("{ customers { name spentVnd } }"))
        assert result.errors is None and result.data is not None
        assert result.data["customers"][0]["spentVnd"] == 3_200_000
        return any(ref() is not None for ref in made)
    finally:
        gc.enable()


def test_graphql_core_still_leaves_its_executor_in_a_cycle() -> None:
    assert _left_alive(StrawberryGraphQLCoreExecutionContext)


def test_the_workaround_lets_a_finished_execution_go_without_the_collector() -> None:
    assert not _left_alive(ExecutionContextWithoutCycle)
