"""`c360.erasure`: the right to be forgotten, then what is left re-resolved and rescored."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from c360graph.analyze.segment_run import SegmentReport
from c360graph.resolve.erase import EraseReport, erase_identity, erase_record

if TYPE_CHECKING:
    from c360graph.usecases.facade import C360


@dataclass(frozen=True)
class Erased:
    """An erasure (with the resolution of its survivors) and the segments refresh after it."""

    report: EraseReport
    segments: SegmentReport

    def summary(self) -> str:
        """Two lines for people."""
        return f"{self.report.summary()}\n{self.segments.summary()}"


class Erasure:
    """Erasure, reached as `c360.erasure`."""

    def __init__(self, c360: C360) -> None:
        self._c360 = c360

    def record(self, key: str) -> Erased:
        """Erase one source record (SOURCE:ID); UnknownRecord when there is none."""
        c360 = self._c360
        report = erase_record(c360.graph, key, c360.id_pepper, c360.suppression_key_file)
        return self._settled(report)

    def identity(self, identity_id: str) -> Erased:
        """Erase every record of an identity (an old id redirects); UnknownRecord if none."""
        c360 = self._c360
        report = erase_identity(c360.graph, identity_id, c360.id_pepper, c360.suppression_key_file)
        return self._settled(report)

    def _settled(self, report: EraseReport) -> Erased:
        # The survivors' identity lost records: re-resolving rebuilds its golden record from
        # what is left; the refresh rescores it and clears the identities erasure retired.
        report.resolution, segments = self._c360.settle(resolve=bool(report.survivors))
        return Erased(report, segments)
