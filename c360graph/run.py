"""The run kernel: what every resolution, analysis and segments run has, made in one place.

A run has an id; the fingerprint of the configuration it ran under (a later run that finds
another one knows the stored results are stale); a stage clock that times each stage and
tells `progress` as it ends; and a node in the graph, begun when the run starts writing and
finished with its counts. A node left unfinished is a run that died: resolution undoes it
(resolve/recovery.py), and a segments refresh never takes one as its last run.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from c360graph.db.graph import Graph
from c360graph.stages import Progress, StageClock

# The kinds of run node: :ResolutionRun (resolve/begin_run, finish_run) and :AnalysisRun
# (analyses/begin_run, finish_run; households, fraud, segments).
NODES = ("resolution", "analysis")


def fingerprint(text: str) -> str:
    """16 hex digits of SHA-256 over a configuration's canonical text."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass
class Run:
    """One run: its id, configuration fingerprint, stage clock and run node.

    `seconds` is the report's per-stage dict, filled as stages end; `on_stage` runs after
    each (a lock's lease renewed, say), and may be set once the run holds what it renews.
    """

    node: str  # one of NODES
    config_hash: str = ""  # may be set once known (resolution: after loading its model)
    progress: Progress | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    run_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    on_stage: Callable[[], None] | None = None

    def __post_init__(self) -> None:
        if self.node not in NODES:
            raise ValueError(f"no run node {self.node!r}: use one of {', '.join(NODES)}")
        self.clock = StageClock(self.seconds, self.progress, self._stage_ended)

    def _stage_ended(self) -> None:
        if self.on_stage is not None:
            self.on_stage()

    def done(self, stage: str, detail: str = "") -> None:
        """Close `stage` now: store its seconds and tell `progress`."""
        self.clock.done(stage, detail)

    def begin(self, graph: Graph, **props: Any) -> None:
        """Write the run node, unfinished, with its start time, fingerprint and `props`."""
        start = {"at": self.started_at, "config_hash": self.config_hash, **props}
        if self.node == "resolution":
            graph.write("resolve/begin_run", run_id=self.run_id, props=start)
        else:
            graph.write("analyses/begin_run", run_id=self.run_id, props=start)

    def finish(self, graph: Graph, **props: Any) -> None:
        """Mark the run node complete, with `props` (its counts)."""
        if self.node == "resolution":
            graph.write("resolve/finish_run", run_id=self.run_id, props=props)
        else:
            graph.write("analyses/finish_run", run_id=self.run_id, props=props)
