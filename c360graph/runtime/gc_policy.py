"""When Python's cycle collector runs: one policy for the API workers and the resolution runs.

The collector scans young objects every 700 allocations by default and, now and then, all
objects. Both workloads here allocate far more than that and make almost no cycles, so the
default pacing spent time finding nothing. Each user states which situation it is in:

- `settle_for_serving()`: an API worker once its app is built (requests are short-lived);
- `bulk_allocation()`: a block building millions of long-lived objects (a resolution run);
- `paused()`: a short block that must not set off a full collection at all (clustering).

Measurements behind each figure are in docs/benchmarks.md.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# A request allocates thousands of short-lived objects (rows, GraphQL results); with the
# default threshold (700) the collector ran many times per request and, now and then, a full
# pass over everything: under load p99 halved and throughput rose 2-10% with these.
SERVING_THRESHOLDS = (20_000, 50, 100)
# Young objects are scanned every 50,000 allocations instead of 700, and older ones rarely.
BULK_THRESHOLDS = (50_000, 20, 100)


def settle_for_serving() -> None:
    """Collect less often, and never rescan what the worker built at start (gc.freeze)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*SERVING_THRESHOLDS)


@contextmanager
def bulk_allocation() -> Iterator[None]:
    """Collect cyclic garbage rarely inside the block; the previous pacing comes back after.

    A resolution run's records, features and block index are long-lived and free of cycles,
    so the collector's frequent scans of them found nothing: they took 12% of an incremental
    run over 224k records (docs/benchmarks.md). The collector still runs, just less often.
    """
    before = gc.get_threshold()
    gc.set_threshold(*BULK_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


@contextmanager
def paused() -> Iterator[None]:
    """No collection inside the block; the collector is left as it was found (on or off).

    Building ~1M result tuples would otherwise set off repeated full collections that walk
    every one of the caller's objects (measured: 3 s of a 1M-key clustering). Only for blocks
    that make no cycles: nothing is collected until the block ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
