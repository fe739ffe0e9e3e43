"""Mutations: ingest, assertions, erasure, staff annotations and resolution (admin role);
review decisions (analyst role and above).

Writes go through the same core functions as the CLI, one at a time per process, in a worker
thread so the event loop keeps serving reads. Every resolution (and erasure) is followed, in
the same thread and under the same lock, by an incremental segments refresh.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from enum import Enum
from typing import Any, TypeVar

import strawberry
from strawberry.scalars import JSON

from c360graph.analyze.segment_run import SegmentReport, refresh_segments
from c360graph.api.context import Info
from c360graph.api.errors import BadInput, Busy, NotFound
from c360graph.api.explanations import RecordRef
from c360graph.api.identity import attribute_of, note_of
from c360graph.api.permissions import Review, Write, permit
from c360graph.api.records import Note, StaffAttribute
from c360graph.api.results import (
    AssertionResult,
    EraseResult,
    IngestResult,
    Resolved,
    ResolveResult,
    ingest_result,
)
from c360graph.api.review import ReviewDecision, decided, decision_result
from c360graph.db.graph import Graph
from c360graph.db.values import plain
from c360graph.graph.ingest import IngestReport, ingest_rows, rows_from_dicts
from c360graph.resolve.assertions import UnknownRecord, assert_different, assert_same
from c360graph.resolve.engine import resolve
from c360graph.resolve.erase import EraseReport, erase_identity, erase_record
from c360graph.resolve.runlock import ResolutionBusy
from c360graph.sources.fields import Kind

T = TypeVar("T")
MAX_INGEST_RECORDS = 10_000
MAX_TEXT = 10_000


@strawberry.enum(description="The kind of records being ingested.")
class RecordKind(Enum):
    CUSTOMERS = "customers"
    ORDERS = "orders"
    INTERACTIONS = "interactions"
    DEVICES = "devices"
    CONSENTS = "consents"
    TICKETS = "tickets"


async def _write(info: Info, work: Callable[[Graph], T]) -> T:
    """Run a core write path in a worker thread, one write at a time, as admin.

    A started write cannot be stopped (its thread runs on), so it is awaited to its end even
    if the request times out meanwhile: the lock is held until the write ends, and the caller
    gets its outcome, not a TIMEOUT for a write that went on. Waiting for the lock can time out.
    """
    app = info.context.app
    async with app.write_lock:
        try:
            return await _to_the_end(asyncio.ensure_future(asyncio.to_thread(app.run_sync, work)))
        except UnknownRecord as exc:
            raise NotFound(str(exc.args[0])) from exc
        except ResolutionBusy as exc:
            raise Busy(str(exc)) from exc


async def _to_the_end(job: asyncio.Future[T]) -> T:
    """The job's result, awaited through cancellations of the caller (not of the job)."""
    while True:
        try:
            return await asyncio.shield(job)
        except asyncio.CancelledError:
            if job.cancelled():
                raise


def _resolve(info: Info, graph: Graph, full: bool = False) -> Resolved:
    """Resolve, then refresh the segments of what changed (the refresh decides when full)."""
    app = info.context.app
    wait = app.settings.api.timeout_seconds / 2  # answer before the request times out
    report = resolve(graph, app.resolution_config, full=full, wait_seconds=wait)
    return report, _refresh_segments(info, graph)


def _refresh_segments(info: Info, graph: Graph) -> SegmentReport:
    return refresh_segments(graph, info.context.app.analyses_config, full=False)


def _checked_records(records: list[JSON]) -> list[dict[str, Any]]:
    if len(records) > MAX_INGEST_RECORDS:
        raise BadInput(
            f"at most {MAX_INGEST_RECORDS:,} records per call; split the batch "
            "(or use `c360 ingest FILE` for files)"
        )
    for position, item in enumerate(records, start=1):
        if not isinstance(item, dict):
            raise BadInput(f"records[{position}] is not a JSON object; nothing was ingested")
    return [dict(item) for item in records]  # type: ignore[call-overload]


@strawberry.type(
    description="Changes to the graph. Every mutation needs the admin role, but deciding a "
    "review pair (analysts too)."
)
class Mutation:
    @strawberry.mutation(
        extensions=[permit(Write)],
        description="Ingest records of one kind from one source, validated exactly as "
        "`c360 ingest` does; rows that fail come back in `rejections`.",
    )
    async def ingest_records(
        self,
        info: Info,
        source: str,
        kind: RecordKind,
        records: list[JSON],
        resolve: bool = False,
    ) -> IngestResult:
        rows = _checked_records(records)
        ingest = info.context.app.settings.ingest

        def work(graph: Graph) -> tuple[IngestReport, Resolved | None]:
            try:
                report = ingest_rows(
                    graph, rows_from_dicts(rows), source, Kind(kind.value), settings=ingest
                )
            except ValueError as exc:
                raise BadInput(str(exc)) from exc
            return report, (_resolve(info, graph) if resolve else None)

        report, resolution = await _write(info, work)
        return ingest_result(report, resolution)

    @strawberry.mutation(
        extensions=[permit(Write)],
        description="Assert two records are the same person (must-link).",
    )
    async def link(
        self, info: Info, a: RecordRef, b: RecordRef, note: str | None = None, resolve: bool = True
    ) -> AssertionResult:
        return await _assert(info, True, a, b, note, resolve)

    @strawberry.mutation(
        extensions=[permit(Write)],
        description="Assert two records are different people (cannot-link).",
    )
    async def unlink(
        self, info: Info, a: RecordRef, b: RecordRef, note: str | None = None, resolve: bool = True
    ) -> AssertionResult:
        return await _assert(info, False, a, b, note, resolve)

    @strawberry.mutation(
        extensions=[permit(Review)],
        description="Decide a pair of the review queue (or any two records): ACCEPT asserts "
        "they are the same person (must-link), REJECT that they are not (cannot-link); the "
        "pair leaves the queue. Analyst role or above.",
    )
    async def decide_review_pair(
        self,
        info: Info,
        a: RecordRef,
        b: RecordRef,
        decision: ReviewDecision,
        note: str | None = None,
        resolve: bool = True,
    ) -> AssertionResult:
        by = info.context.author

        def work(graph: Graph) -> Resolved | None:
            decided(graph, a, b, decision, by, note)
            return _resolve(info, graph) if resolve else None

        report = await _write(info, work)
        return decision_result(a, b, decision, by, ResolveResult.of(report) if report else None)

    @strawberry.mutation(
        extensions=[permit(Write)],
        description="Erase a record (right to be forgotten): it, its activity and identifiers "
        "no one else uses; its identity is re-resolved; a PII-free tombstone stays.",
    )
    async def erase_record(self, info: Info, record: RecordRef) -> EraseResult:
        ingest = info.context.app.settings.ingest
        config = info.context.app.resolution_config
        report = await _write(
            info,
            lambda g: _erased(
                info,
                g,
                erase_record(g, config, record.key, ingest.id_pepper, ingest.suppression_key_file),
            ),
        )
        return EraseResult.of(report)

    @strawberry.mutation(
        extensions=[permit(Write)],
        description="Erase every record of an identity (old ids redirect).",
    )
    async def erase_identity(self, info: Info, id: strawberry.ID) -> EraseResult:
        ingest = info.context.app.settings.ingest
        config = info.context.app.resolution_config
        report = await _write(
            info,
            lambda g: _erased(
                info,
                g,
                erase_identity(g, config, str(id), ingest.id_pepper, ingest.suppression_key_file),
            ),
        )
        return EraseResult.of(report)

    @strawberry.mutation(
        extensions=[permit(Write)],
        description="Add a note to a profile; its author and time are kept.",
    )
    async def add_note(self, info: Info, identity_id: strawberry.ID, text: str) -> Note:
        text = _text("text", text)
        row = await _annotate(info, "api/add_note", identity_id, text=text)
        return note_of(row["note"])

    @strawberry.mutation(
        extensions=[permit(Write)],
        description="Set a staff attribute on a profile (earlier values stay as history).",
    )
    async def set_attribute(
        self, info: Info, identity_id: strawberry.ID, name: str, value: str
    ) -> StaffAttribute:
        name, value = _text("name", name, 100), _text("value", value)
        row = await _annotate(info, "api/set_attribute", identity_id, attribute=name, value=value)
        return attribute_of(row["attribute"])

    @strawberry.mutation(
        extensions=[permit(Write)],
        description="Resolve new and changed records (all with full: true).",
    )
    async def resolve(self, info: Info, full: bool = False) -> ResolveResult:
        report = await _write(info, lambda g: _resolve(info, g, full))
        return ResolveResult.of(report)


async def _assert(
    info: Info, same: bool, a: RecordRef, b: RecordRef, note: str | None, resolve: bool
) -> AssertionResult:
    by = info.context.author
    action = assert_same if same else assert_different

    def work(graph: Graph) -> Resolved | None:
        try:
            action(graph, a.key, b.key, by, note)
        except ValueError as exc:  # UnknownRecord is a KeyError: _write answers NOT_FOUND
            raise BadInput(str(exc)) from exc
        return _resolve(info, graph) if resolve else None

    report = await _write(info, work)
    return AssertionResult(
        a=a.key,
        b=b.key,
        same=same,
        by=by,
        resolution=ResolveResult.of(report) if report else None,
    )


def _erased(info: Info, graph: Graph, report: EraseReport) -> EraseReport:
    _refresh_segments(info, graph)  # clears the segments of identities erasure retired
    return report


def _text(name: str, value: str, limit: int = MAX_TEXT) -> str:
    value = value.strip()
    if not value:
        raise BadInput(f"{name} must not be empty")
    if len(value) > limit:
        raise BadInput(f"{name} is longer than {limit:,} characters")
    return value


async def _annotate(info: Info, query: str, identity_id: str, **params: Any) -> dict[str, Any]:
    current = await info.context.loaders.identity.load(str(identity_id))
    if current is None:
        raise NotFound(f"no identity {identity_id!r}; find one with searchIdentities")

    def work(graph: Graph) -> list[dict[str, Any]]:
        return graph.write_returning(
            query,
            identity=current["id"],
            id=str(uuid.uuid4()),
            author=info.context.author,
            now=datetime.now(UTC),
            **params,
        )

    rows = await _write(info, work)
    row: dict[str, Any] = plain(rows[0])
    return row
