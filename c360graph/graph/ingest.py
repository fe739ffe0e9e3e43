"""Ingest: source rows into the graph, in batches, idempotently, with every row accounted for.

Per batch: prepare rows (pure), read the stored content hashes of their keys, then in one
write transaction merge the identifier nodes and create new records / update changed ones.
Unchanged records are not touched, so a re-ingest changes nothing.
"""

from __future__ import annotations

import time
import uuid
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from typing import Any, TypeVar

from neo4j.exceptions import ConstraintError

from c360graph.config import IngestSettings
from c360graph.db.graph import Graph
from c360graph.graph import suppression
from c360graph.graph.plans import PLANS, Plan, merge_steps
from c360graph.graph.runs import count_problems, problem_row, recorded_run
from c360graph.sources.fields import ALIASES, SPECS, Kind
from c360graph.sources.mapping import Mapping
from c360graph.sources.problems import reason_of
from c360graph.sources.readers import RawRow
from c360graph.sources.records import Context, Record, RowRejected

# ArcadeDB may refuse a MERGE that races another writer on the same key (Neo4j would match);
# the batch is then re-planned from a fresh read. See docs/graph-engines.md.
_CONFLICT_RETRIES = 5
T = TypeVar("T")


@dataclass
class IngestReport:
    """What one ingest did. `read` always equals landed (created + updated + unchanged) +
    rejected; it is kept as an :IngestRun (graph/runs.py)."""

    source: str
    kind: Kind
    run_id: str
    file: str | None = None
    file_sha256: str | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    with_issues: int = 0
    suppressed: int = 0  # rejected rows of erased people (counted in `rejected` too)
    ignored_columns: list[str] = field(default_factory=list)
    # Every field name seen in the rows (JSON rows differ): ignored ones are listed from it.
    seen_columns: set[str] = field(default_factory=set)
    used_columns: set[str] = field(default_factory=set)  # those that fed a field
    rejects_file: str | None = None
    rejections: list[tuple[int, str]] = field(default_factory=list)
    # Kept records by (field, problem): a record counts once per pair (graph/runs.py).
    problems: Counter[tuple[str, str]] = field(default_factory=Counter)
    seconds: float = 0.0
    # The customer details an order file carried, ingested first as customer records (one
    # per customer: `read` counts distinct customers with details, not file rows).
    carried: IngestReport | None = None

    def reject_reasons(self) -> Counter[str]:
        """How many rows were rejected for each reason (its first clause, without values)."""
        return Counter(reason_of(reason) for _, reason in self.rejections)

    @property
    def all_rejected(self) -> bool:
        """True when rows were read and not one of them could be ingested."""
        return self.read > 0 and self.rejected == self.read

    @property
    def landed(self) -> int:
        """Rows that are records now: created, updated or unchanged."""
        return self.created + self.updated + self.unchanged

    @property
    def adds_up(self) -> bool:
        """True when every row read is accounted for: read = landed + rejected."""
        return self.read == self.landed + self.rejected

    def summary(self) -> dict[str, Any]:
        """The counts as a flat map, for printing."""
        return {
            "source": self.source,
            "kind": self.kind.value,
            "file": self.file,
            "read": self.read,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "with_issues": self.with_issues,
            "suppressed": self.suppressed,
        }


OnReject = Callable[[RawRow, str], None]


def ingest_rows(
    graph: Graph,
    rows: Iterable[RawRow],
    source: str,
    kind: Kind,
    column_map: dict[str, str] | None = None,
    mapping: Mapping | None = None,
    settings: IngestSettings | None = None,
    on_reject: OnReject | None = None,
    on_batch: Callable[[], None] | None = None,
    file: str | None = None,
    file_sha256: str | None = None,
) -> IngestReport:
    """Ingest rows of one kind from one source; the single path behind CLI, API and GraphQL."""
    settings = settings or IngestSettings()
    mapping = mapping or Mapping()
    source = source.strip()
    if not source:
        raise ValueError("a source name is required (e.g. --source crm)")
    ctx = Context(
        source=source,
        day_first=settings.day_first if mapping.day_first is None else mapping.day_first,
        default_region=(mapping.default_region or settings.default_region).upper(),
        id_pepper=settings.id_pepper,
        locale=mapping.locale,
        currency=mapping.currency,
        name_order=mapping.name_order,
    )
    plan = PLANS[kind]
    fields = frozenset(SPECS[kind].fields)
    now = datetime.now(UTC)
    report = IngestReport(
        source=source,
        kind=kind,
        run_id=str(uuid.uuid4()),
        file=file,
        file_sha256=file_sha256,
        started_at=now,
    )
    started = time.monotonic()
    _merge_source(graph, source, ctx.default_region, ctx.locale, now)
    suppressed = suppression.Checker(graph, settings.suppression_key_file, kind)
    seen: dict[Any, int] = {}

    def reject(row: RawRow, reason: str) -> None:
        report.rejected += 1
        report.rejections.append((row.line, reason))
        if on_reject:
            on_reject(row, reason)

    # Rows of the next batch are prepared while earlier batches are written: preparing is
    # Python work and writing is server work, so overlapping them uses both cores.
    with (
        recorded_run(graph, report),
        ThreadPoolExecutor(max_workers=settings.writers, thread_name_prefix="ingest") as pool,
    ):
        in_flight: deque[Future[tuple[int, int, int]]] = deque()
        for batch in _batches(rows, settings.batch_size):
            report.read += len(batch)
            prepared: list[tuple[RawRow, Record]] = []
            for row in batch:
                report.seen_columns.update(row.values)
                record = _prepare(row, plan, ctx, column_map, fields, seen, reject)
                if record is not None:
                    prepared.append((row, record))
            listed = suppressed.listed(record for _, record in prepared)
            records: list[Record] = []
            problem_rows: list[dict[str, Any]] = []
            for row, record in prepared:
                hit = listed.get(record.key)
                if hit is not None:
                    report.suppressed += 1
                    reject(row, suppression.reason(hit))
                    continue
                records.append(record)
                if record.issues:
                    report.with_issues += 1
                    count_problems(report.problems, record.issues)
                    customer = record.refs.get("customer_key", record.key)
                    problem_rows.append(problem_row(row.line, record.key, customer, record.issues))
            if records:
                in_flight.append(
                    pool.submit(
                        _write_batch, graph, plan, records, problem_rows, source, report.run_id, now
                    )
                )
            while len(in_flight) > settings.writers:
                _count(report, in_flight.popleft().result())
                if on_batch:
                    on_batch()
        while in_flight:
            _count(report, in_flight.popleft().result())
        if on_batch:
            on_batch()
    report.seconds = time.monotonic() - started
    report.used_columns = {
        c
        for c in report.seen_columns
        if (c in column_map if column_map is not None else ALIASES.get(c, c) in fields)
    }
    return report


def _prepare(
    row: RawRow,
    plan: Plan,
    ctx: Context,
    column_map: dict[str, str] | None,
    fields: frozenset[str],
    seen: dict[Any, int],
    reject: OnReject,
) -> Record | None:
    if row.problem:
        reject(row, row.problem)
        return None
    if column_map is not None:
        values = {column_map[c]: v for c, v in row.values.items() if c in column_map}
    else:
        # Fields of no canonical name are ignored, as unmapped CSV columns are.
        named = ((ALIASES.get(c, c), v) for c, v in row.values.items())
        values = {c: v for c, v in named if c in fields}
    try:
        record = plan.prepare(values, ctx)
    except RowRejected as exc:
        reject(row, str(exc))
        return None
    first = seen.setdefault(record.key, row.line)
    if first != row.line:
        reject(row, f"duplicate key {record.key!r}: already at line {first} of this file")
        return None
    return record


def _count(report: IngestReport, counts: tuple[int, int, int]) -> None:
    created, updated, unchanged = counts
    report.created += created
    report.updated += updated
    report.unchanged += unchanged


def _write_batch(
    graph: Graph,
    plan: Plan,
    records: list[Record],
    problem_rows: list[dict[str, Any]],
    source: str,
    run_id: str,
    now: datetime,
) -> tuple[int, int, int]:
    """Write one batch in one transaction, with the run's notes of the field problems it
    found (unchanged records too); return (created, updated, unchanged)."""

    def attempt() -> tuple[int, int, int]:
        stored = {
            row["key"]: row["row_hash"]
            for row in graph.read(plan.existing_query, keys=[plan.lookup_key(r) for r in records])
        }
        new = [r for r in records if r.key not in stored]
        changed = [r for r in records if r.key in stored and stored[r.key] != r.props["row_hash"]]
        steps = merge_steps(new + changed, plan, now)
        common = {"source": source, "run_id": run_id, "now": now}
        if new:
            steps.append((plan.create_query, {"rows": [plan.row(r) for r in new], **common}))
        if changed:
            steps.append((plan.update_query, {"rows": [plan.row(r) for r in changed], **common}))
        if problem_rows:
            steps.append((plan.problems_query, {"rows": problem_rows, "run_id": run_id}))
        if new or changed or problem_rows:
            graph.write_all(steps)
        return len(new), len(changed), len(records) - len(new) - len(changed)

    return _retrying_conflicts(attempt)


def _merge_source(
    graph: Graph, source: str, region: str, locale: str | None, now: datetime
) -> None:
    """Merge the :Source node; a concurrent ingest of the same source may race the MERGE."""
    _retrying_conflicts(
        lambda: graph.write(
            "ingest/merge_source", source=source, region=region, locale=locale, now=now
        )
    )


def _retrying_conflicts(attempt: Callable[[], T]) -> T:
    """Run `attempt` (which re-reads what it writes), again after a MERGE race, a few times."""
    for tries in range(1, _CONFLICT_RETRIES + 1):
        try:
            return attempt()
        except ConstraintError:
            if tries == _CONFLICT_RETRIES:
                raise
            time.sleep(0.05 * tries)
    raise AssertionError("unreachable: the last attempt returns or raises")


def _batches(rows: Iterable[RawRow], size: int) -> Iterator[list[RawRow]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def rows_from_dicts(items: Iterable[dict[str, Any]]) -> Iterator[RawRow]:
    """Wrap plain dicts (Python API, GraphQL) as RawRows numbered from 1."""
    for index, item in enumerate(items, start=1):
        yield RawRow(index, item, None, item)
