"""Mutations: ingest, assertions, erasure, staff annotations and resolution (admin role);
review decisions (analyst role and above).

Each is one call of the use-case façade (c360graph/usecases), the same the CLI and the
notebook client make, so what follows a write (a resolution, a segments refresh) is the
façade's decision. The API adds its own: one write at a time per process, in a worker thread
so the event loop keeps serving reads, and the façade's errors as coded GraphQL errors.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from enum import Enum
from typing import Any, TypeVar

import strawberry
from strawberry.scalars import JSON

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
    ResolveResult,
    ingest_result,
)
from c360graph.api.review import ReviewDecision, decision_result
from c360graph.resolve.assertions import UnknownRecord
from c360graph.resolve.runlock import ResolutionBusy
from c360graph.sources.fields import Kind
from c360graph.usecases import C360, Resolved

T = TypeVar("T")
MAX_INGEST_RECORDS = 10_000


@strawberry.enum(description="The kind of records being ingested.")
class RecordKind(Enum):
    CUSTOMERS = "customers"
    ORDERS = "orders"
    INTERACTIONS = "interactions"
    DEVICES = "devices"
    CONSENTS = "consents"
    TICKETS = "tickets"


async def _write(info: Info, work: Callable[[C360], T]) -> T:
    """Run a use case in a worker thread, one write at a time.

    A started write cannot be stopped (its thread runs on), so it is awaited to its end even
    if the request times out meanwhile: the lock is held until the write ends, and the caller
    gets its outcome, not a TIMEOUT for a write that went on. Waiting for the lock can time out.
    """
    app = info.context.app
    async with app.write_lock:
        try:
            job = asyncio.to_thread(app.run_sync, lambda graph: work(app.c360(graph)))
            return await _to_the_end(asyncio.ensure_future(job))
        except UnknownRecord as exc:
            raise NotFound(str(exc.args[0])) from exc
        except ResolutionBusy as exc:
            raise Busy(str(exc)) from exc
        except ValueError as exc:  # the façade's word for input it cannot act on
            raise BadInput(str(exc)) from exc


async def _to_the_end(job: asyncio.Future[T]) -> T:
    """The job's result, awaited through cancellations of the caller (not of the job)."""
    while True:
        try:
            return await asyncio.shield(job)
        except asyncio.CancelledError:
            if job.cancelled():
                raise


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
        report, resolution = await _write(
            info, lambda c360: c360.ingest.rows(rows, source, Kind(kind.value), resolve=resolve)
        )
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
        by, accept = info.context.author, decision is ReviewDecision.ACCEPT
        done = await _write(
            info, lambda c360: c360.review.decide(a.key, b.key, accept, by, note, resolve=resolve)
        )
        run = ResolveResult.of(done.resolved) if done.resolved else None
        return decision_result(a, b, decision, by, run)

    @strawberry.mutation(
        extensions=[permit(Write)],
        description="Erase a record (right to be forgotten): it, its activity and identifiers "
        "no one else uses; its identity is re-resolved; a PII-free tombstone stays.",
    )
    async def erase_record(self, info: Info, record: RecordRef) -> EraseResult:
        erased = await _write(info, lambda c360: c360.erasure.record(record.key))
        return EraseResult.of(erased.report)

    @strawberry.mutation(
        extensions=[permit(Write)],
        description="Erase every record of an identity (old ids redirect).",
    )
    async def erase_identity(self, info: Info, id: strawberry.ID) -> EraseResult:
        erased = await _write(info, lambda c360: c360.erasure.identity(str(id)))
        return EraseResult.of(erased.report)

    @strawberry.mutation(
        extensions=[permit(Write)],
        description="Add a note to a profile; its author and time are kept.",
    )
    async def add_note(self, info: Info, identity_id: strawberry.ID, text: str) -> Note:
        author = info.context.author
        return note_of(await _write(info, lambda c360: c360.notes.add(identity_id, text, author)))

    @strawberry.mutation(
        extensions=[permit(Write)],
        description="Set a staff attribute on a profile (earlier values stay as history).",
    )
    async def set_attribute(
        self, info: Info, identity_id: strawberry.ID, name: str, value: str
    ) -> StaffAttribute:
        author = info.context.author
        attribute = await _write(
            info, lambda c360: c360.notes.set_attribute(identity_id, name, value, author)
        )
        return attribute_of(attribute)

    @strawberry.mutation(
        extensions=[permit(Write)],
        description="Resolve new and changed records (all with full: true).",
    )
    async def resolve(self, info: Info, full: bool = False) -> ResolveResult:
        return ResolveResult.of(await _write(info, lambda c360: c360.resolution.run(full=full)))


async def _assert(
    info: Info, same: bool, a: RecordRef, b: RecordRef, note: str | None, resolve: bool
) -> AssertionResult:
    by = info.context.author

    def work(c360: C360) -> Resolved | None:
        action = c360.assertions.same if same else c360.assertions.different
        return action(a.key, b.key, by, note, resolve=resolve)

    report = await _write(info, work)
    return AssertionResult(
        a=a.key,
        b=b.key,
        same=same,
        by=by,
        resolution=ResolveResult.of(report) if report else None,
    )
