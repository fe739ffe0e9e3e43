"""One resolution at a time, and taking over from a run that died.

A run holds the lock node `(:ResolutionLock {name: 'resolution'})` from its first read to its
last write; a MERGE on a uniquely constrained name makes taking it atomic on every engine.
A run that died (its process killed, or the graph server killed under it) leaves the node
behind. The next run takes it over as soon as the holder is provably gone: its process on
this host has exited, or, for a holder on another host, its lease has lapsed. Long runs
renew the lease at every stage.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from neo4j.exceptions import ConstraintError, DriverError, Neo4jError

from c360graph.db.graph import Graph
from c360graph.db.values import utc_moment

LEASE = timedelta(minutes=30)
_POLL_SECONDS = 0.5
_LONG_AGO = datetime(1970, 1, 1, tzinfo=UTC)
# Runs of this process that are alive: a lock left by this pid but not listed here was left
# by a run that failed (e.g. the graph went down under the API server).
_LIVE_RUNS: set[str] = set()


class ResolutionBusy(RuntimeError):
    """Another resolution run holds the lock and did not finish within the wait."""


@dataclass(frozen=True)
class Holder:
    """Who holds the resolution lock."""

    run_id: str
    host: str
    pid: int
    since: datetime
    lease_until: datetime

    def is_gone(self, now: datetime) -> bool:
        """True when the holder can no longer be running."""
        if self.host == socket.gethostname():
            if self.pid == os.getpid():
                return self.run_id not in _LIVE_RUNS
            return not _process_alive(self.pid)
        return self.lease_until < now

    def describe(self) -> str:
        """Who and since when, for people."""
        return f"run {self.run_id} (pid {self.pid} on {self.host}, since {self.since:%H:%M:%S})"


@contextmanager
def resolution_lock(
    graph: Graph, run_id: str, wait_seconds: float, on_wait: Callable[[str], None] | None = None
) -> Iterator[Callable[[], None]]:
    """Hold the resolution lock for `run_id`; yields a function that renews its lease.

    Waits up to `wait_seconds` for a live holder, then raises ResolutionBusy.
    """
    _acquire(graph, run_id, wait_seconds, on_wait)
    _LIVE_RUNS.add(run_id)

    def renew() -> None:
        graph.write("resolve/lock_renew", run_id=run_id, lease_until=_lease())

    try:
        yield renew
    finally:
        _LIVE_RUNS.discard(run_id)
        # The graph may be down: then the next run takes the lock over.
        with suppress(Neo4jError, DriverError, OSError):
            graph.write("resolve/lock_release", run_id=run_id)


def _acquire(
    graph: Graph, run_id: str, wait_seconds: float, on_wait: Callable[[str], None] | None
) -> None:
    me = {"run_id": run_id, "host": socket.gethostname(), "pid": os.getpid()}
    deadline = time.monotonic() + wait_seconds
    announced = False
    while True:
        now = datetime.now(UTC)
        try:
            taken = graph.write_returning("resolve/lock_take", **me, now=now, lease_until=_lease())
            if taken and taken[0]["run_id"] == run_id:
                return
        except ConstraintError:  # two runs created it at once; the other one won
            pass
        holder = _holder(graph)
        if holder is None:
            continue  # released between our attempt and the look-up
        if holder.is_gone(now):
            taken = graph.write_returning(
                "resolve/lock_take_over",
                stale_run_id=holder.run_id,
                **me,
                now=now,
                lease_until=_lease(),
            )
            if taken:
                return
            continue
        if time.monotonic() >= deadline:
            raise ResolutionBusy(
                f"another resolution is running: {holder.describe()}. Wait for it to finish "
                "and run again (new and changed records stay queued for the next run)"
            )
        if on_wait and not announced:
            on_wait(f"waiting for the resolution {holder.describe()} to finish")
            announced = True
        time.sleep(_POLL_SECONDS)


def _holder(graph: Graph) -> Holder | None:
    rows = graph.read("resolve/lock_holder")
    if not rows:
        return None
    row = rows[0]
    return Holder(
        run_id=str(row["run_id"]),
        host=str(row["host"]),
        pid=int(row["pid"]),
        since=utc_moment(row["since"]) or _LONG_AGO,
        lease_until=utc_moment(row["lease_until"]) or _LONG_AGO,
    )


def _lease() -> datetime:
    return datetime.now(UTC) + LEASE


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, owned by another user
    return True
