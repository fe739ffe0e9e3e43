"""The ingest history and data quality: every run per source, what it read, landed and
rejected and why, and the records it kept with field problems (graph/runs.py keeps them).

For analysts and admins: a reader asking gets FORBIDDEN (a run's problems quote the values
its rows held). Values still pass the caller's masker, so a role that may not see PII never
would; the reader sees a record's own problems, masked, on `Record.fieldProblems`.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import PurePath

import strawberry

from c360graph.api.context import Info
from c360graph.api.pagination import Connection, connection, keyset, page_size, unfit_cursor
from c360graph.api.permissions import Analyse, permit
from c360graph.api.problems import FieldProblem, field_problem
from c360graph.api.records import Record
from c360graph.api.service import Row
from c360graph.db.values import utc_moment
from c360graph.graph.runs import IngestRunView, RecordProblems


@strawberry.type(description="Rows of a run rejected for one reason.")
class RejectReason:
    reason: str = strawberry.field(
        description="Why, without the rows' values (`source_id … stands for a missing id`); "
        "the reject file has each row with its full reason."
    )
    rows: int = strawberry.field(description="How many rows.")


@strawberry.type(description="Records of a run kept with one problem in one field.")
class ProblemCount:
    field: str = strawberry.field(description="The canonical field (phone, amount, ...).")
    problem: str = strawberry.field(description="What was wrong, without the values.")
    records: int = strawberry.field(
        description="How many records (a record with two bad phones counts once)."
    )


@strawberry.type(description="A record a run kept with field problems: which row, which record.")
class ProblemRecord:
    line: int = strawberry.field(
        description="The row's line in the file (for the API's ingestRecords, its position)."
    )
    record: str = strawberry.field(
        description="The record's key: source:id (a device row: customer key|device id)."
    )
    customer: str = strawberry.field(description="The key of the customer record it belongs to.")
    problems: list[FieldProblem] = strawberry.field(description="Its field problems.")

    @strawberry.field(
        description="The customer record it belongs to, as it is now (null once erased).",
        extensions=[permit(Analyse)],
    )
    async def customer_record(self, info: Info) -> Record | None:
        row = await info.context.loaders.record.load(self.customer)
        return Record.of(row, info.context.masker) if row else None


@strawberry.type(
    description="One ingest run of one file (or one ingestRecords call): read = landed + "
    "rejected, landed = created + updated + unchanged (analyst role or above)."
)
class IngestRun:
    id: strawberry.ID = strawberry.field(description="The run id (records carry it as run_id).")
    source: str = strawberry.field(description="The source system.")
    kind: str = strawberry.field(description="customers, orders, interactions, devices, ...")
    file: str | None = strawberry.field(
        description="The file as given to `c360 ingest` (null for ingestRecords)."
    )
    file_name: str | None = strawberry.field(description="The file's name alone.")
    file_sha256: str | None = strawberry.field(
        description="SHA-256 of the file's bytes: which export this was."
    )
    started_at: datetime | None = strawberry.field(description="When it started.")
    finished_at: datetime | None = strawberry.field(
        description="When it finished (or failed); null while running, or when it was interrupted."
    )
    status: str = strawberry.field(
        description="finished; failed (see error); or unfinished: still running, or "
        "interrupted (the counts are what it wrote before)."
    )
    error: str | None = strawberry.field(
        description="Why it failed (the file could not be read on, say)."
    )
    read: int = strawberry.field(description="Rows read.")
    landed: int = strawberry.field(
        description="Rows that are records: created + updated + unchanged."
    )
    created: int = strawberry.field(description="New records.")
    updated: int = strawberry.field(description="Changed records (old values kept).")
    unchanged: int = strawberry.field(description="Records identical to what was stored.")
    rejected: int = strawberry.field(description="Rows refused; see rejectReasons.")
    suppressed: int = strawberry.field(
        description="Of the rejected, rows of erased people (the suppression list)."
    )
    with_issues: int = strawberry.field(
        description="Records kept with field problems (a value dropped, the row landed)."
    )
    adds_up: bool = strawberry.field(
        description="read = landed + rejected: always for a finished run (one that failed "
        "counted only what it had finished writing)."
    )
    reject_reasons: list[RejectReason] = strawberry.field(
        description="Rejected rows by reason, commonest first."
    )
    problems: list[ProblemCount] = strawberry.field(
        description="Kept records by field and problem, commonest first."
    )

    @strawberry.field(
        description="The records it kept with field problems, in file order (a record "
        "erased since is gone from the list). One round trip per run asked."
    )
    async def problem_records(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[ProblemRecord]:
        ctx = info.context
        size = page_size(first, ctx.page_size, ctx.max_page_size)
        (after_line,) = keyset("problem_record", after, 1)
        if after_line is not None and (
            isinstance(after_line, bool) or not isinstance(after_line, int)
        ):
            raise unfit_cursor("problem_record")
        rows = await ctx.loaders.read(
            "ingest/run_problems", run_id=str(self.id), after_line=after_line, limit=size + 1
        )

        def node(row: Row) -> ProblemRecord:
            found = RecordProblems.of(row)
            return ProblemRecord(
                line=found.line,
                record=found.record,
                customer=found.customer,
                problems=[
                    field_problem(issue, ctx.masker.view(records=[found.customer]))
                    for issue in found.issues
                ],
            )

        return connection(
            [node(row) for row in rows],
            size,
            after,
            "problem_record",
            lambda p: (p.line,),
            lambda p: p,
        )


def run_of(view: IngestRunView) -> IngestRun:
    """The API's view of a run read back from the graph."""
    counts = view.counts
    return IngestRun(
        id=strawberry.ID(view.run_id),
        source=view.source,
        kind=view.kind,
        file=view.file,
        file_name=PurePath(view.file).name if view.file else None,
        file_sha256=view.file_sha256,
        started_at=view.started_at,
        finished_at=view.finished_at,
        status=view.status,
        error=view.error,
        read=counts["read"],
        landed=view.landed,
        created=counts["created"],
        updated=counts["updated"],
        unchanged=counts["unchanged"],
        rejected=counts["rejected"],
        suppressed=counts["suppressed"],
        with_issues=counts["with_issues"],
        adds_up=view.adds_up,
        reject_reasons=[RejectReason(reason=r, rows=n) for r, n in view.reject_reasons],
        problems=[ProblemCount(field=f, problem=p, records=n) for f, p, n in view.problems],
    )


@strawberry.type(description="A source system and its ingest runs (analyst role or above).")
class IngestSource:
    name: str = strawberry.field(description="The source system (crm, pos, webshop, ...).")
    first_seen: datetime | None = strawberry.field(description="Its first ingest.")
    runs: int = strawberry.field(description="How many ingest runs it had.")
    last_run: IngestRun | None = strawberry.field(description="Its newest run.")


def _after(cursor: str | None) -> tuple[datetime | None, str | None]:
    at, run_id = keyset("ingest_run", cursor, 2)
    if run_id is None:
        return None, None
    try:
        return datetime.fromisoformat(at), str(run_id)
    except (TypeError, ValueError) as exc:  # not a time
        raise unfit_cursor("ingest_run") from exc


async def ingest_runs_page(
    info: Info, source: str | None, first: int | None, after: str | None
) -> Connection[IngestRun]:
    """Runs of one source (or all), newest first (the field needs the Analyse permission)."""
    ctx = info.context
    size = page_size(first, ctx.page_size, ctx.max_page_size)
    after_at, after_id = _after(after)
    rows = await ctx.loaders.read(
        "ingest/runs",
        source=source.strip() if source is not None else None,
        after_at=after_at,
        after_id=after_id,
        limit=size + 1,
    )
    runs = [run_of(IngestRunView.of(row["run"], row["source"])) for row in rows]
    return connection(
        runs,
        size,
        after,
        "ingest_run",
        lambda r: (r.started_at.isoformat() if r.started_at else None, str(r.id)),
        lambda r: r,
    )


async def ingest_run(info: Info, run_id: str) -> IngestRun | None:
    """One run by id, or None (the field needs the Analyse permission)."""
    rows = await info.context.loaders.read("ingest/run", run_id=run_id)
    return run_of(IngestRunView.of(rows[0]["run"], rows[0]["source"])) if rows else None


async def ingest_sources(info: Info) -> list[IngestSource]:
    """Every source with its run count and newest run (the field needs the Analyse permission)."""
    rows = await info.context.loaders.read("ingest/sources")
    return [
        IngestSource(
            name=row["source"],
            first_seen=utc_moment(row["first_seen"]),
            runs=int(row["runs"]),
            last_run=run_of(IngestRunView.of(row["last"], row["source"])) if row["last"] else None,
        )
        for row in rows
    ]
