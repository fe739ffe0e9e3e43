"""`c360.resolution`: records into identities, then the segments of what changed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from c360graph.resolve.engine import ResolveReport, resolve

if TYPE_CHECKING:
    from c360graph.usecases.facade import C360, Resolved


class Resolution:
    """Resolution runs, reached as `c360.resolution`."""

    def __init__(self, c360: C360) -> None:
        self._c360 = c360

    def run(self, *, full: bool = False, train: bool = False) -> Resolved:
        """Resolve new and changed records (all with `full`), then refresh their segments."""
        report = self.resolve_only(full=full, train=train)
        return report, self._c360.analyses.refresh_segments()

    def resolve_only(self, *, full: bool = False, train: bool = False) -> ResolveReport:
        """A resolution run alone, segments left as they are (`c360 resolve --no-segments`)."""
        c360 = self._c360
        return resolve(
            c360.graph,
            c360.resolution_config,
            full=full,
            progress=c360.progress,
            wait_seconds=c360.wait_seconds,
            retrain=train,
            backend=c360.backend,
        )
