"""Per-stage timing of a resolution or analysis run, reported to people as each stage ends."""

from __future__ import annotations

import time
from collections.abc import Callable

Progress = Callable[[str], None]


class StageClock:
    """Records each stage's seconds into `seconds` and tells `progress` as it ends."""

    def __init__(
        self,
        seconds: dict[str, float],
        progress: Progress | None,
        on_stage: Callable[[], None] | None = None,
    ) -> None:
        self.seconds = seconds
        self.progress = progress
        self.on_stage = on_stage  # e.g. renewing a lock's lease between stages
        self.started = time.monotonic()

    def done(self, stage: str, detail: str = "") -> None:
        """Close `stage` now: store its seconds and say so, with an optional detail."""
        now = time.monotonic()
        self.seconds[stage] = round(now - self.started, 2)
        self.started = now
        if self.on_stage:
            self.on_stage()
        if self.progress:
            self.progress(f"{stage}: {self.seconds[stage]:.1f}s {detail}".rstrip())
