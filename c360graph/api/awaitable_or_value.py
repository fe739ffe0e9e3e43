"""Chaining values a resolver gives now when they are at hand, or later when they need a
round trip, without a coroutine when nothing is awaited.

graphql-core awaits what a resolver returns only when it is awaitable. Most fields of the
full-neighbourhood query read data fetched with the identity (prefetch.py), so an `async def`
resolver cost a coroutine, and a list of them a task each and a gather, for nothing to wait
on: about 60 per request, a sizeable share of the API's CPU. Resolvers that read fetched data
therefore return Strawberry's `AwaitableOrValue[T]`: the value itself, or an awaitable when a
loader must fetch it; `async def` callers take the value with Strawberry's `await_maybe`.

What the libraries do not offer is kept here: `then` (one step after a value that may come
later) and `gathered` (a list of them, gathered only when one is awaitable). graphql-core's
`async_reduce` folds a collection rather than mapping one value, and its
`gather_with_cancel` always makes a coroutine. The test for "awaitable" is graphql-core's own
`is_awaitable`, the one its executor uses (and faster than `isinstance(v, Awaitable)`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar, cast

from graphql.pyutils import is_awaitable
from strawberry.utils.await_maybe import AwaitableOrValue, await_maybe

T = TypeVar("T")
U = TypeVar("U")


def then(
    value: AwaitableOrValue[T], step: Callable[[T], AwaitableOrValue[U]]
) -> AwaitableOrValue[U]:
    """`step(value)`: computed now when `value` is at hand, else an awaitable of it."""
    if is_awaitable(value):
        return _later(value, step)
    return step(cast(T, value))


async def _later(value: Awaitable[T], step: Callable[[T], AwaitableOrValue[U]]) -> U:
    return await await_maybe(step(await value))


def gathered(values: list[AwaitableOrValue[T]]) -> AwaitableOrValue[list[T]]:
    """All of `values` in order: now when every one is at hand, else an awaitable of them."""
    if any(is_awaitable(v) for v in values):
        return _gather(values)
    return cast(list[T], values)  # none is awaitable


async def _gather(values: list[AwaitableOrValue[T]]) -> list[T]:
    return list(await asyncio.gather(*(await_maybe(v) for v in values)))
