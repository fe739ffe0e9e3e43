"""Deep calls under `with_frame_room` do not map and unmap frame-stack memory each time, on the
Pythons that need the workaround (the first test fails once the Python in use no longer does)."""

from __future__ import annotations

import resource

import pytest

from c360graph.runtime.frame_stack_workaround import NEEDED, with_frame_room


def _dive(depth: int) -> int:
    return 0 if depth == 0 else 1 + _dive(depth - 1)


def _page_faults_while_diving() -> int:
    """Minor page faults while calls go 1..600 frames deep and back, 20 times each depth."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for depth in range(1, 600):
        for _ in range(20):
            _dive(depth)
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


@pytest.mark.skipif(not NEEDED, reason="CPython 3.13+ keeps a spare chunk (gh-142183)")
def test_calls_that_cross_a_frame_stack_chunk_stop_faulting_in_fresh_memory() -> None:
    _page_faults_while_diving()  # warm: code objects, caches
    plain = _page_faults_while_diving()
    roomy = with_frame_room(_page_faults_while_diving)
    # Each crossing of a chunk boundary mapped a fresh chunk and touched it: thousands of
    # faults. With room, the chunk stays mapped.
    assert plain > 1_000, plain
    assert roomy < plain / 20, (roomy, plain)


def test_with_frame_room_returns_what_the_call_returns_and_lets_errors_through() -> None:
    assert with_frame_room(lambda: 42) == 42
    with pytest.raises(ZeroDivisionError):
        with_frame_room(lambda: 1 // 0)
