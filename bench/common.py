"""Shared benchmark plumbing: a throwaway local graph server and honest timing."""

from __future__ import annotations

import contextlib
import resource
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from c360graph.config import LocalSettings, Settings
from c360graph.db.graph import Graph, connect
from c360graph.db.local_server import LocalServer
from c360graph.graph.migrate import migrate


@contextmanager
def bench_graph(heap: str = "4g") -> Iterator[tuple[Graph, Settings]]:
    """A fresh local graph server in a temporary home, removed afterwards."""
    home = Path(tempfile.mkdtemp(prefix="c360-bench-"))
    server = LocalServer(home, database="bench", heap=heap)
    server.start()
    settings = Settings(local=LocalSettings(home=home, database="bench", heap=heap))
    graph = connect(settings)
    try:
        migrate(graph)
        yield graph, settings
    finally:
        graph.close()
        server.stop()
        shutil.rmtree(home, ignore_errors=True)


@contextmanager
def timed() -> Iterator[list[float]]:
    """Measure wall time of a block into the yielded one-item list."""
    box = [0.0]
    start = time.perf_counter()
    yield box
    box[0] = time.perf_counter() - start


def peak_rss_mb() -> float:
    """Peak resident memory of this Python process, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def vm_hwm_mb(pid: int | str) -> float | None:
    """Peak resident memory (VmHWM) of a process ("self" for this one), in MB; None if unreadable."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def reset_peak(pid: int | str) -> None:
    """Reset a process's VmHWM (Linux >= 4.0), so each phase measures its own peak."""
    with contextlib.suppress(OSError):
        Path(f"/proc/{pid}/clear_refs").write_text("5")
