"""What mutations answer: ingest counts, resolution and segments runs, assertions, erasures."""

from __future__ import annotations

from typing import cast

import strawberry
from strawberry.scalars import JSON

from c360graph.analyze.segment_run import SegmentReport
from c360graph.graph.ingest import IngestReport
from c360graph.resolve.erase import EraseReport
from c360graph.usecases import Resolved


@strawberry.type(description="A row that was not ingested, and why.")
class Rejection:
    row: int = strawberry.field(description="Position in the `records` list, from 1.")
    reason: str = strawberry.field(description="What is wrong and how to fix it.")


@strawberry.type(description="What an ingest did; read = created + updated + unchanged + rejected.")
class IngestResult:
    run_id: str = strawberry.field(description="The ingest run, kept as :IngestRun.")
    read: int = strawberry.field(description="Rows received.")
    created: int = strawberry.field(description="New records.")
    updated: int = strawberry.field(description="Changed records (old values kept).")
    unchanged: int = strawberry.field(description="Records identical to what was stored.")
    rejected: int = strawberry.field(description="Rows refused; see rejections.")
    with_issues: int = strawberry.field(description="Accepted rows with a field dropped.")
    rejections: list[Rejection] = strawberry.field(description="Each refused row and why.")
    resolution: ResolveResult | None = strawberry.field(
        description="The resolution run that followed, when asked for."
    )


@strawberry.type(description="What a segments refresh did (after a resolution).")
class SegmentsRefresh:
    run_id: str = strawberry.field(description="The run, kept as :AnalysisRun.")
    mode: str = strawberry.field(
        description="incremental (identities touched since the last refresh), or full when "
        "there was none, the config changed or the data moved on too far."
    )
    reason: str = strawberry.field(description="Why this mode.")
    identities: int = strawberry.field(description="Active identities scored.")
    cleared: int = strawberry.field(description="Identities no longer active, cleared.")
    summary: str = strawberry.field(description="The refresh in one paragraph.")

    @classmethod
    def of(cls, report: SegmentReport) -> SegmentsRefresh:
        """From the core report."""
        return cls(
            run_id=report.run_id,
            mode=report.mode,
            reason=report.reason,
            identities=report.identities,
            cleared=report.cleared,
            summary=report.summary(),
        )


@strawberry.type(description="What a resolution run did.")
class ResolveResult:
    run_id: str = strawberry.field(description="The run, kept as :ResolutionRun.")
    mode: str = strawberry.field(description="full, incremental or nothing-to-do.")
    records: int = strawberry.field(description="Records in the graph.")
    scope: int = strawberry.field(description="Records whose identity was recomputed.")
    identities: int = strawberry.field(description="Identities in scope after the run.")
    accepted: int = strawberry.field(description="Links accepted.")
    events: JSON = strawberry.field(description="Identity events by kind (merge, split...).")
    summary: str = strawberry.field(description="The run in one paragraph.")
    segments: SegmentsRefresh = strawberry.field(
        description="The incremental segments refresh that followed."
    )

    @classmethod
    def of(cls, resolved: Resolved) -> ResolveResult:
        """From the core reports."""
        report, segments = resolved
        return cls(
            run_id=report.run_id,
            mode=report.mode,
            records=report.records,
            scope=report.scope,
            identities=report.identities,
            accepted=report.accepted,
            events=cast(JSON, dict(report.events)),
            summary=report.summary(),
            segments=SegmentsRefresh.of(segments),
        )


@strawberry.type(description="An analyst's assertion about two records.")
class AssertionResult:
    a: str = strawberry.field(description="First record key.")
    b: str = strawberry.field(description="Second record key.")
    same: bool = strawberry.field(description="True for must-link, false for cannot-link.")
    by: str = strawberry.field(description="Who asserted it (the API key name).")
    resolution: ResolveResult | None = strawberry.field(
        description="The resolution run that applied it, when asked for."
    )


@strawberry.type(description="What an erasure removed.")
class EraseResult:
    erased: list[str] = strawberry.field(description="Record keys deleted.")
    tombstone: str = strawberry.field(description="The PII-free audit tombstone id.")
    retired: list[str] = strawberry.field(description="Identities left with no records.")
    summary: str = strawberry.field(description="The erasure in one paragraph.")

    @classmethod
    def of(cls, report: EraseReport) -> EraseResult:
        """From the core report."""
        return cls(
            erased=report.erased,
            tombstone=report.tombstone,
            retired=report.retired,
            summary=report.summary(),
        )


def ingest_result(report: IngestReport, resolution: Resolved | None) -> IngestResult:
    """From the core ingest report and the resolution that followed, if any."""
    return IngestResult(
        run_id=report.run_id,
        read=report.read,
        created=report.created,
        updated=report.updated,
        unchanged=report.unchanged,
        rejected=report.rejected,
        with_issues=report.with_issues,
        rejections=[Rejection(row=line, reason=why) for line, why in report.rejections],
        resolution=ResolveResult.of(resolution) if resolution else None,
    )
