"""`c360 audit`: list and prune the log of unmasked personal data the API showed."""

from __future__ import annotations

import re
import sys
from datetime import UTC, datetime, timedelta

import click

from c360graph.api.audit_log import AuditLog, PiiView
from c360graph.cli.common import fail, settings

_AGO = re.compile(r"^(\d+)\s*([dhm])$")
_UNITS = {"d": "days", "h": "hours", "m": "minutes"}


def _moment(option: str, text: str | None) -> datetime | None:
    """A moment from an ISO date or time (UTC unless it says), or `7d`, `12h`, `30m` ago."""
    if text is None:
        return None
    ago = _AGO.match(text.strip())
    if ago:
        return datetime.now(UTC) - timedelta(**{_UNITS[ago.group(2)]: int(ago.group(1))})
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        fail(f"{option} {text!r} is not a time: give 2026-12-01, 2026-12-01T09:30, or 7d / 12h")
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@click.group()
def audit() -> None:
    """The PII audit log: every API request that showed unmasked personal data.

    Kept as JSON lines in C360_AUDIT_DIR (default <C360_HOME>/audit), a file per UTC day
    and host; see docs/api.md, "The PII audit log".
    """


def _log() -> AuditLog:
    return AuditLog(settings().audit_dir)


@audit.command("list")
@click.option("--since", help="From this time: 2026-12-01, 2026-12-01T09:30 (UTC), or 7d, 12h.")
@click.option("--until", help="Up to (not including) this time, written as --since.")
@click.option("--key", "key_name", help="Only this API key's views (its name).")
@click.option("--identity", help="Only views of this identity id.")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(min=1))
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line, as kept.")
def list_views(
    since: str | None,
    until: str | None,
    key_name: str | None,
    identity: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """List views of unmasked personal data, newest first: who, when, whose, which kinds."""
    log = _log()
    try:
        found = log.read(
            _moment("--since", since), _moment("--until", until), key_name, identity, None, limit
        )
    except OSError as exc:
        fail(f"cannot read the audit log in {log.directory}: {exc.strerror}; check its permissions")
    if as_json:
        for entry in found:
            sys.stdout.buffer.write(entry.line())
        return
    if not found:
        click.echo(f"no PII views recorded in {log.directory} for this selection")
        return
    rows = [("AT (UTC)", "KEY", "ROLE", "OPERATION", "FIELDS", "WHOSE")]
    rows += [_row(entry) for entry in found]
    widths = [max(len(row[column]) for row in rows) for column in range(5)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row[:5], widths, strict=True)]
        click.echo("  ".join([*cells, row[5]]).rstrip())
    if len(found) == limit:
        click.echo(f"(the newest {limit}; --limit or --since for others)", err=True)


def _row(entry: PiiView) -> tuple[str, str, str, str, str, str]:
    whose = [*entry.identities, *entry.records, *entry.other]
    shown = ", ".join(whose[:4]) + (f" (+{len(whose) - 4} more)" if len(whose) > 4 else "")
    operation = entry.operation or ",".join(entry.root_fields) or "-"
    return (
        entry.at.strftime("%Y-%m-%d %H:%M:%S"),
        entry.key,
        entry.role,
        operation,
        ",".join(entry.fields),
        shown,
    )


@audit.command()
@click.option(
    "--keep-days",
    type=click.IntRange(min=1),
    help="Days to keep (default: api.audit_retention_days, 400).",
)
def prune(keep_days: int | None) -> None:
    """Delete the day files older than the retention (run it daily, e.g. from cron)."""
    config = settings()
    log = AuditLog(config.audit_dir)
    keep = keep_days or config.api.audit_retention_days
    try:
        deleted = log.prune(keep)
    except OSError as exc:
        fail(f"cannot delete in {log.directory}: {exc.strerror}; check its permissions")
    click.echo(f"deleted {len(deleted)} day file(s) older than {keep} days from {log.directory}")
