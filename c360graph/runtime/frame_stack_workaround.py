"""Workaround for CPython gh-142183 (3.11 and 3.12): run the server's event loop where Python's
frame stack has room, so requests never straddle two of its chunks. A no-op from 3.13.

CPython 3.11 keeps interpreter frames on a per-thread stack made of chunks (16 KiB at first)
and frees a chunk as soon as the frame that opened it returns. A call that keeps crossing a
chunk boundary therefore maps and unmaps memory on every crossing (fixed by caching a chunk in
3.13 and later). GraphQL execution recurses about 70 frames deep per response, from a depth
that put it right on the first boundary in a uvicorn worker: mmap/munmap from inside
graphql-core showed up under load (434 -> 502 requests/s with this and the sync resolvers,
docs/benchmarks.md). Calling the server from a function whose frame needs a big chunk puts
everything above it in that chunk's spare room.

tests/unit/test_frame_stack_workaround.py fails once the Python in use no longer needs it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import FunctionType
from typing import TypeVar

T = TypeVar("T")

NEEDED = sys.version_info < (3, 13)  # 3.13 keeps a spare chunk (gh-142183)
# Slots (8 bytes each) of the host frame. CPython sizes a new chunk by doubling 16 KiB until
# the frame fits: 2**17 slots need a 2 MiB chunk, leaving ~120,000 slots (thousands of
# frames) for everything the server calls. Only touched pages take memory.
HOST_SLOTS = 2**17


def _host(run: Callable[[], T]) -> T:
    return run()


def with_frame_room(run: Callable[[], T]) -> T:
    """`run()`, called from a frame whose stack chunk leaves room for deep calls."""
    if not NEEDED:
        return run()
    code = _host.__code__.replace(co_stacksize=HOST_SLOTS)
    host: Callable[[Callable[[], T]], T] = FunctionType(code, _host.__globals__)
    return host(run)
