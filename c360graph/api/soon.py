"""Values a resolver gives now when they are at hand, or later when they need a round trip.

graphql-core awaits what a resolver returns only when it is awaitable. Most fields of the
full-neighbourhood query read data fetched with the identity (prefetch.py), so an `async def`
resolver cost a coroutine, and a list of them a task each and a gather, for nothing to wait
on: about 60 per request, a sizeable share of the API's CPU. Resolvers that read fetched data
therefore return `Soon[T]`: the value itself, or an awaitable when a loader must fetch it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeAlias, TypeVar

T = TypeVar("T")
U = TypeVar("U")

Soon: TypeAlias = T | Awaitable[T]


def then(value: Soon[T], step: Callable[[T], Soon[U]]) -> Soon[U]:
    """`step(value)`: computed now when `value` is at hand, else an awaitable of it."""
    if isinstance(value, Awaitable):
        return _later(value, step)
    return step(value)


async def _later(value: Awaitable[T], step: Callable[[T], Soon[U]]) -> U:
    return await settle(step(await value))


def gathered(values: list[Soon[T]]) -> Soon[list[T]]:
    """All of `values` in order: now when every one is at hand, else an awaitable of them."""
    if any(isinstance(v, Awaitable) for v in values):
        return _gather(values)
    return values  # type: ignore[return-value]  # none is awaitable


async def _gather(values: list[Soon[T]]) -> list[T]:
    return list(await asyncio.gather(*(settle(v) for v in values)))


async def settle(value: Soon[T]) -> T:
    """The value, awaited when it is awaitable (for `async def` callers)."""
    if isinstance(value, Awaitable):
        return await value
    return value
