"""The collector's pacing for bulk work, and its return afterwards."""

from __future__ import annotations

import gc

import pytest

from c360graph.gc_pacing import BULK_THRESHOLDS, bulk_allocation


def test_bulk_work_collects_rarely_and_the_old_pacing_comes_back_even_after_an_error() -> None:
    before = gc.get_threshold()
    with bulk_allocation():
        assert gc.get_threshold() == BULK_THRESHOLDS
    assert gc.get_threshold() == before
    with pytest.raises(RuntimeError), bulk_allocation():
        raise RuntimeError("the run failed")
    assert gc.get_threshold() == before
