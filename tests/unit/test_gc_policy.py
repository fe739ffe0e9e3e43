"""The collector's policies: serving, bulk work and paused blocks, each undone as it says."""

from __future__ import annotations

import gc

import pytest

from c360graph.runtime.gc_policy import (
    BULK_THRESHOLDS,
    SERVING_THRESHOLDS,
    bulk_allocation,
    paused,
    settle_for_serving,
)


def test_bulk_work_collects_rarely_and_the_old_pacing_comes_back_even_after_an_error() -> None:
    before = gc.get_threshold()
    with bulk_allocation():
        assert gc.get_threshold() == BULK_THRESHOLDS
    assert gc.get_threshold() == before
    with pytest.raises(RuntimeError), bulk_allocation():
        raise RuntimeError("the run failed")
    assert gc.get_threshold() == before


def test_a_paused_block_collects_nothing_and_leaves_the_collector_as_it_found_it() -> None:
    with paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # it was off before: it stays off
    finally:
        gc.enable()


def test_a_serving_worker_freezes_what_it_built_and_collects_less_often() -> None:
    before = gc.get_threshold()
    try:
        settle_for_serving()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == SERVING_THRESHOLDS
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
