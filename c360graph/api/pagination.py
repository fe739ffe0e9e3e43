"""Relay-style cursor connections: keyset cursors that stay valid as lists grow."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

import strawberry

from c360graph.api.errors import BadInput

T = TypeVar("T")
_INT64 = 2**63  # graph integers are 64-bit
Item = TypeVar("Item")


@strawberry.type(description="Where a page sits in the whole list (Relay cursor connections).")
class PageInfo:
    has_next_page: bool = strawberry.field(description="True when more items follow this page.")
    has_previous_page: bool = strawberry.field(
        description="True when this page was asked for after a cursor."
    )
    start_cursor: str | None = strawberry.field(description="Cursor of the first item.")
    end_cursor: str | None = strawberry.field(
        description="Cursor of the last item: pass it as `after` for the next page."
    )


@strawberry.type(description="One item of a page, with the cursor that points just after it.")
class Edge(Generic[T]):
    node: T = strawberry.field(description="The item.")
    kind: strawberry.Private[str]
    item: strawberry.Private[Any]  # what `position` reads the sort values from
    position: strawberry.Private[Callable[[Any], Sequence[Any]]]

    @strawberry.field(description="Opaque position of this item in the list.")
    def cursor(self) -> str:
        # Encoded when asked for: most queries read pageInfo's cursors, not each edge's.
        return encode_cursor(self.kind, self.position(self.item))


@strawberry.type(description="A page of a list that can grow: edges plus where the page sits.")
class Connection(Generic[T]):
    edges: list[Edge[T]] = strawberry.field(description="The items of this page, in order.")
    page_info: PageInfo = strawberry.field(description="Whether more pages exist, and cursors.")


def _fits_the_graph(value: Any) -> bool:
    """False when a value holds an integer outside the graph's 64 bits, at any depth."""
    if isinstance(value, int):
        return -_INT64 <= value < _INT64
    if isinstance(value, list):
        return all(_fits_the_graph(v) for v in value)
    if isinstance(value, dict):
        return all(_fits_the_graph(v) for v in value.values())
    return True


def encode_cursor(kind: str, position: Sequence[Any]) -> str:
    """An opaque cursor for a position (sort values) in a list of the given kind."""
    raw = json.dumps([kind, *position], separators=(",", ":"), default=str)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(kind: str, cursor: str | None) -> list[Any] | None:
    """The position a cursor holds; BadInput when it was not made for this kind of list."""
    if cursor is None:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadInput(f"cursor {cursor!r} is not valid; pass a cursor from this list") from exc
    if not isinstance(value, list) or not value or value[0] != kind:
        raise BadInput(f"this cursor belongs to another list; pass a cursor from the {kind} list")
    if not _fits_the_graph(value[1:]):
        # No list sorts by a number the graph cannot hold; the driver would fail on it.
        raise BadInput(f"cursor {cursor!r} is not valid; pass a cursor from the {kind} list")
    return value[1:]


def unfit_cursor(kind: str) -> BadInput:
    """The error for a cursor of the right list whose sort values do not fit it (forged)."""
    return BadInput(f"this cursor does not fit the {kind} list; pass a cursor from that list")


def is_after(position: Sequence[Any], start: Sequence[Any], kind: str, descending: bool) -> bool:
    """Whether a position lies after a cursor's; BadInput when the two cannot be compared."""
    try:
        return list(position) < list(start) if descending else list(position) > list(start)
    except TypeError as exc:  # sort values of the wrong types
        raise unfit_cursor(kind) from exc


def keyset(kind: str, cursor: str | None, length: int) -> list[Any]:
    """The `length` sort values a cursor holds (all None without one); BadInput if malformed."""
    position = decode_cursor(kind, cursor)
    if position is None:
        return [None] * length
    if len(position) != length:
        raise BadInput(f"cursor {cursor!r} is not valid; pass a cursor from the {kind} list")
    return position


def page_size(first: int | None, default: int, maximum: int) -> int:
    """The checked page size: the default when none is given; BadInput outside 0..maximum."""
    if first is None:
        return default
    if first < 0 or first > maximum:
        raise BadInput(f"`first` must be between 0 and {maximum}; ask for more pages instead")
    return first


def connection(
    items: Sequence[Item],
    size: int,
    after: str | None,
    kind: str,
    position: Callable[[Item], Sequence[Any]],
    node: Callable[[Item], T],
) -> Connection[T]:
    """A page of `size` items following the item at `after`, from a fetched slice.

    `items` must hold the items after the cursor in list order, at least size + 1 of them
    when more exist, so the page knows whether a next page follows.
    """
    page = items[:size]
    edges = [Edge(node=node(item), kind=kind, item=item, position=position) for item in page]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=len(items) > size,
            has_previous_page=after is not None,
            start_cursor=edges[0].cursor() if edges else None,
            end_cursor=edges[-1].cursor() if edges else None,
        ),
    )


def page_in_memory(
    items: Sequence[Item],
    size: int,
    after: str | None,
    kind: str,
    position: Callable[[Item], Sequence[Any]],
    node: Callable[[Item], T],
    descending: bool = False,
) -> Connection[T]:
    """A page of a fully loaded list, sorted by its unique `position`, cut after the cursor."""
    start = decode_cursor(kind, after)
    if start is not None:
        encoded = [json.loads(json.dumps(list(position(item)), default=str)) for item in items]
        items = [
            item
            for item, pos in zip(items, encoded, strict=True)
            if is_after(pos, start, kind, descending)
        ]
    return connection(items, size, after, kind, position, node)
