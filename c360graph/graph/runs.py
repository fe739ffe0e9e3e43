"""The ingest history: every run an `:IngestRun`, and what it read, landed, rejected and kept.

A run is recorded before its first batch (source, kind, file and its SHA-256, start time) and
finished after its last (counts, rejected rows by reason, kept records by field problem). A
run without a finish time is still running, or was interrupted. Each record a run kept with
field problems gets a `FOUND_PROBLEMS` edge from the run holding the row's line and, problem
by problem, the field, the problem, the raw value dropped and the message: so a run's list
is what that run found, whatever later runs change, and erasing a record erases its edges.

A property cannot hold a map, so the breakdowns are parallel lists on the node; this module
is the one place that writes and reads them (`run_props`, `IngestRunView.of`).

Edge cases, decided:
- A record with two bad phones has two problems; the breakdown counts records per field and
  problem, so it counts once under `phone`.
- Unchanged records are not rewritten, but a run that finds problems in them says so: its
  edges and counts are its own.
- An erased record's edges go with it; the run's counts stay (they are history, and hold
  no personal data).
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from neo4j.exceptions import DriverError, Neo4jError, ServiceUnavailable, SessionExpired

from c360graph.db.graph import Graph
from c360graph.db.values import plain
from c360graph.sources.problems import Issue

if TYPE_CHECKING:
    from c360graph.graph.ingest import IngestReport

Params = dict[str, Any]
log = logging.getLogger("c360graph.ingest")
_ERROR_LENGTH = 500
_COUNTS = ("read", "created", "updated", "unchanged", "rejected", "with_issues", "suppressed")


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, hex: which export a run read, to tell two apart."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


@contextmanager
def recorded_run(graph: Graph, report: IngestReport) -> Iterator[None]:
    """Record the run around the block that ingests it: begun, then finished or failed.

    A run that raised is finished with its `error` (the file could not be read on, say) and
    the counts so far (a batch still being written then is not among them, so they need not
    add up). When the graph itself went away, or that cannot be written either, it
    stays unfinished: no retries against a graph that is gone before the command says so.
    """
    begin_run(graph, report)
    try:
        yield
    except (ServiceUnavailable, SessionExpired):
        raise  # the graph went away: the run stays unfinished, which is all the graph knows
    except Exception as exc:
        try:
            finish_run(graph, report, error=f"{type(exc).__name__}: {exc}")
        except (Neo4jError, DriverError) as lost:
            log.warning("could not record ingest run %s as failed: %s", report.run_id, lost)
        raise
    finish_run(graph, report)


def begin_run(graph: Graph, report: IngestReport) -> None:
    """Record the run's start (before any record is written, so its edges have a node)."""
    props = {
        "kind": report.kind.value,
        "file": report.file,
        "file_sha256": report.file_sha256,
        "at": report.started_at,
    }
    graph.write(
        "ingest/begin_run",
        run_id=report.run_id,
        source=report.source,
        props={k: v for k, v in props.items() if v is not None},
    )


def finish_run(graph: Graph, report: IngestReport, error: str | None = None) -> None:
    """Record the run's end now: its counts and breakdowns, and why it failed, if it did."""
    report.finished_at = datetime.now(UTC)
    props = run_props(report)
    if error is not None:
        props["error"] = error[:_ERROR_LENGTH]
    graph.write("ingest/finish_run", run_id=report.run_id, props=props)


def run_props(report: IngestReport) -> Params:
    """The finished run's properties: counts, finish time, and the breakdowns as lists."""
    reasons = report.reject_reasons().most_common()
    problems = sorted(report.problems.items(), key=lambda item: (-item[1], item[0]))
    props: Params = {name: getattr(report, name) for name in _COUNTS}
    props["finished_at"] = report.finished_at
    if reasons:
        props["reject_reasons"] = [reason for reason, _ in reasons]
        props["reject_counts"] = [count for _, count in reasons]
    if problems:
        props["problem_fields"] = [name for (name, _), _ in problems]
        props["problem_names"] = [problem for (_, problem), _ in problems]
        props["problem_counts"] = [count for _, count in problems]
    return props


def problem_row(line: int, record: str, customer: str, issues: list[Issue]) -> Params:
    """One kept record's field problems, as its FOUND_PROBLEMS edge holds them."""
    return {
        "line": line,
        "record": record,
        "customer": customer,
        "fields": [issue.field for issue in issues],
        "problems": [issue.problem for issue in issues],
        "raw_values": [issue.value or "" for issue in issues],
        "messages": [issue.message for issue in issues],
    }


def issues_of(
    fields: list[str],
    messages: list[str],
    values: list[str] | None,
    problems: list[str] | None = None,
) -> list[Issue]:
    """Issues back from parallel lists: an edge's (with the problems the run counted), or a
    record's `data_issues` (`field: message`) and `data_issue_values` (a record written
    before the values were kept has none)."""

    def fitting(items: list[str] | None) -> list[str]:
        return items if items is not None and len(items) == len(messages) else [""] * len(messages)

    return [
        Issue(f, m, v or None, p)
        for f, m, v, p in zip(fields, messages, fitting(values), fitting(problems), strict=True)
    ]


@dataclass(frozen=True)
class RecordProblems:
    """A record a run kept with field problems: the file line, its keys, and the problems."""

    line: int
    record: str  # the row's record key (customer|device for a device row)
    customer: str  # the customer it belongs to (itself, for a customer row)
    issues: list[Issue]

    @classmethod
    def of(cls, row: Params) -> RecordProblems:
        """From an ingest/run_problems row."""
        return cls(
            line=int(row["line"]),
            record=str(row["record"]),
            customer=str(row["customer"]),
            issues=issues_of(
                list(row["fields"]),
                list(row["messages"]),
                list(row["raw_values"]),
                list(row["problems"]),
            ),
        )

    def as_dict(self) -> Params:
        """As plain JSON-ready data (`c360 ingest history --run ID --json`)."""
        return {
            "line": self.line,
            "record": self.record,
            "customer": self.customer,
            "problems": [
                {"field": i.field, "problem": i.problem, "value": i.value, "message": i.message}
                for i in self.issues
            ],
        }


@dataclass(frozen=True)
class IngestRunView:
    """One run as the history shows it (read back from its :IngestRun)."""

    run_id: str
    source: str
    kind: str
    file: str | None
    file_sha256: str | None
    started_at: datetime | None
    finished_at: datetime | None
    error: str | None  # why it failed, when it did
    counts: dict[str, int]
    reject_reasons: list[tuple[str, int]] = field(default_factory=list)
    problems: list[tuple[str, str, int]] = field(default_factory=list)  # field, problem, records

    @classmethod
    def of(cls, run: Params, source: str) -> IngestRunView:
        """From an :IngestRun's properties and its source's name."""
        props = plain(run)
        return cls(
            run_id=str(props["run_id"]),
            source=source,
            kind=str(props.get("kind", "")),
            file=props.get("file"),
            file_sha256=props.get("file_sha256"),
            started_at=props.get("at"),
            finished_at=props.get("finished_at"),
            error=props.get("error"),
            counts={name: int(props.get(name) or 0) for name in _COUNTS},
            reject_reasons=list(
                zip(
                    props.get("reject_reasons") or [], props.get("reject_counts") or [], strict=True
                )
            ),
            problems=list(
                zip(
                    props.get("problem_fields") or [],
                    props.get("problem_names") or [],
                    props.get("problem_counts") or [],
                    strict=True,
                )
            ),
        )

    @property
    def status(self) -> str:
        """finished; failed (with its `error`); or unfinished: running, or interrupted."""
        if self.error is not None:
            return "failed"
        return "finished" if self.finished_at is not None else "unfinished"

    @property
    def landed(self) -> int:
        """Rows that became (or already were) records: created + updated + unchanged."""
        return self.counts["created"] + self.counts["updated"] + self.counts["unchanged"]

    @property
    def adds_up(self) -> bool:
        """True when read = landed + rejected (always, for a run that finished)."""
        return self.counts["read"] == self.landed + self.counts["rejected"]

    def as_dict(self) -> Params:
        """The run as plain JSON-ready data (`c360 ingest history --json`)."""
        return {
            "run_id": self.run_id,
            "source": self.source,
            "kind": self.kind,
            "file": self.file,
            "file_sha256": self.file_sha256,
            "started_at": self.started_at.isoformat() if self.started_at else None,
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "status": self.status,
            "error": self.error,
            **self.counts,
            "landed": self.landed,
            "adds_up": self.adds_up,
            "reject_reasons": [{"reason": r, "rows": n} for r, n in self.reject_reasons],
            "problems": [{"field": f, "problem": p, "records": n} for f, p, n in self.problems],
        }


def recent_runs(graph: Graph, source: str | None, limit: int) -> list[IngestRunView]:
    """The newest `limit` runs, of one source or all."""
    rows = graph.read("ingest/runs", source=source, after_at=None, after_id=None, limit=limit)
    return [IngestRunView.of(row["run"], row["source"]) for row in rows]


def one_run(graph: Graph, run_id: str) -> IngestRunView | None:
    """A run by id, or None."""
    rows = graph.read("ingest/run", run_id=run_id)
    return IngestRunView.of(rows[0]["run"], rows[0]["source"]) if rows else None


def problem_records(graph: Graph, run_id: str, limit: int) -> list[RecordProblems]:
    """The first `limit` records a run kept with field problems, in file order."""
    rows = graph.read("ingest/run_problems", run_id=run_id, after_line=None, limit=limit)
    return [RecordProblems.of(row) for row in rows]


def count_problems(counter: Counter[tuple[str, str]], issues: list[Issue]) -> None:
    """Add one kept record's (field, problem) pairs to a run's breakdown, each once."""
    counter.update({(issue.field, issue.problem) for issue in issues})
