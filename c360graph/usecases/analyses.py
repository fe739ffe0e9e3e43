"""`c360.analyses`: households, fraud rings and segments over the resolved identities."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from c360graph.analyze.runner import (
    FraudReport,
    HouseholdReport,
    analyze_fraud,
    analyze_households,
    load_facts,
)
from c360graph.analyze.segment_run import SegmentReport, refresh_segments
from c360graph.analyze.segment_values import segment_values

if TYPE_CHECKING:
    from c360graph.usecases.facade import C360


class Analyses:
    """The analyses, reached as `c360.analyses`."""

    def __init__(self, c360: C360) -> None:
        self._c360 = c360

    def households(self) -> HouseholdReport:
        """Group identities into households, keeping household ids stable."""
        c360 = self._c360
        return analyze_households(c360.graph, c360.analyses_config, c360.progress)

    def fraud(self) -> FraudReport:
        """Find and score fraud rings beyond the households of the last householding."""
        c360 = self._c360
        return analyze_fraud(c360.graph, c360.analyses_config, c360.progress)

    def refresh_segments(
        self, *, full: bool = False, as_of: datetime | None = None
    ) -> SegmentReport:
        """Score the identities touched since the last refresh (all with `full`)."""
        c360 = self._c360
        return refresh_segments(
            c360.graph, c360.analyses_config, full=full, as_of=as_of, progress=c360.progress
        )

    def all(
        self, as_of: datetime | None = None
    ) -> tuple[HouseholdReport, FraudReport, SegmentReport]:
        """Households, then fraud rings (which use them), then segments, facts read once."""
        c360 = self._c360
        config, progress = c360.analyses_config, c360.progress
        facts = load_facts(c360.graph, progress)
        households = analyze_households(c360.graph, config, progress, facts)
        fraud = analyze_fraud(c360.graph, config, progress, facts)
        return households, fraud, self.refresh_segments(as_of=as_of)

    def segment_values(self) -> str:
        """Value by segment, as a table for people."""
        return segment_values(self._c360.graph)
