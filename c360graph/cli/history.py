"""`c360 ingest history`: the ingest runs, newest first, and what one run read and kept."""

from __future__ import annotations

import json
from pathlib import PurePath

import click

from c360graph.cli.common import fail, open_graph, settings
from c360graph.graph.runs import (
    IngestRunView,
    RecordProblems,
    one_run,
    problem_records,
    recent_runs,
)

_HEADER = ("STARTED (UTC)", "SOURCE", "KIND", "FILE", "READ", "LANDED", "REJECTED", "PROBLEMS",
           "RUN")  # fmt: skip
_NUMBERS = {"READ", "LANDED", "REJECTED", "PROBLEMS"}


def _file_name(run: IngestRunView) -> str:
    return PurePath(run.file).name if run.file else "(API)"


def _table(runs: list[IngestRunView]) -> None:
    rows = [_HEADER] + [
        (
            f"{run.started_at:%Y-%m-%d %H:%M}" if run.started_at else "?",
            run.source,
            run.kind,
            _file_name(run),
            str(run.counts["read"]),
            str(run.landed),
            str(run.counts["rejected"]),
            str(run.counts["with_issues"]),
            run.run_id + ("" if run.status == "finished" else f"  ({run.status})"),
        )
        for run in runs
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(len(_HEADER))]
    for row in rows:
        cells = [
            cell.rjust(width) if name in _NUMBERS else cell.ljust(width)
            for cell, width, name in zip(row, widths, _HEADER, strict=True)
        ]
        click.echo("  ".join(cells).rstrip())


def _details(run: IngestRunView, records: list[RecordProblems], limit: int) -> None:
    counts = run.counts
    click.echo(f"run {run.run_id}: {run.source}/{run.kind} from {run.file or 'the API'}")
    if run.file_sha256:
        click.echo(f"  file sha256 {run.file_sha256}")
    started = f"{run.started_at:%Y-%m-%d %H:%M:%S}" if run.started_at else "?"
    if run.finished_at is None:
        click.echo(f"  started {started} UTC, not finished (still running, or interrupted)")
    else:
        click.echo(f"  started {started} UTC, {run.status} {run.finished_at:%Y-%m-%d %H:%M:%S} UTC")
    if run.error:
        click.echo(f"  error: {run.error}")
    click.echo(
        f"  read {counts['read']} = landed {run.landed} (created {counts['created']}, updated "
        f"{counts['updated']}, unchanged {counts['unchanged']}) + rejected {counts['rejected']}"
        + ("" if run.adds_up or run.status != "finished" else "  (COUNTS DO NOT ADD UP)")
    )
    if run.reject_reasons:
        click.echo("rejected rows, by reason (the reject file has each row):")
        for reason, rows in run.reject_reasons:
            click.echo(f"  {rows} x {reason}")
    if run.problems:
        plural = "" if counts["with_issues"] == 1 else "s"
        click.echo(
            f"{counts['with_issues']} record{plural} kept with field problems, "
            "by field and problem:"
        )
        for name, problem, kept in run.problems:
            click.echo(f"  {kept} x {name}: {problem}")
    if records:
        more = "" if len(records) < limit else f" (the first {limit}: --limit for more)"
        click.echo(f"records kept with field problems{more}:")
        for found in records:
            for issue in found.issues:
                click.echo(f"  line {found.line}  {found.record}  {issue}")


@click.command("history")
@click.option("--source", "-s", help="Only this source's runs.")
@click.option("--run", "run_id", help="One run: its breakdowns and the records it kept with "
              "field problems.")  # fmt: skip
@click.option("--limit", "-n", type=click.IntRange(1, 10_000), default=20, show_default=True,
              help="How many runs (with --run: records) to show.")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="JSON instead of a table.")
def history(source: str | None, run_id: str | None, limit: int, as_json: bool) -> None:
    """The ingest runs, newest first: rows read, landed and rejected, records kept with
    field problems. --run ID shows one run: rejected rows by reason, kept records by field
    and problem, and those records (line, key, field, problem, value)."""
    with open_graph(settings()) as graph:
        if run_id is None:
            runs = recent_runs(graph, source, limit)
            records: list[RecordProblems] = []
        else:
            found = one_run(graph, run_id)
            if found is None:
                fail(f"no ingest run {run_id}; list them with: c360 ingest history")
            runs = [found]
            records = problem_records(graph, run_id, limit)
    if as_json:
        if run_id is None:
            click.echo(json.dumps([run.as_dict() for run in runs], ensure_ascii=False, indent=2))
        else:
            detail = {**runs[0].as_dict(), "problem_records": [r.as_dict() for r in records]}
            click.echo(json.dumps(detail, ensure_ascii=False, indent=2))
    elif run_id is not None:
        _details(runs[0], records, limit)
    elif runs:
        _table(runs)
    else:
        where = f" of source {source!r}" if source else ""
        click.echo(f"no ingest runs{where} yet: c360 ingest FILE --source NAME")
