"""`c360 consent show` and `c360 export audience`: marketing consent, honoured."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from c360graph.analyze.audience import check_channel, export_audience
from c360graph.analyze.consent import ConsentEvent, current, history
from c360graph.cli.common import fail, open_graph, settings


@click.group()
def consent() -> None:
    """Marketing consent per channel (ingest it with `c360 ingest FILE --kind consents`)."""


def _line(event: ConsentEvent) -> str:
    detail = f" ({event.detail})" if event.detail else ""
    return (
        f"{event.channel}: {event.status} since {event.recorded_at:%Y-%m-%d %H:%M} UTC, "
        f"from {event.source} for {event.record}{detail}"
    )


@consent.command("show")
@click.argument("record")
def show(record: str) -> None:
    """The current consent per channel of RECORD's identity (source:source_id), and history."""
    with open_graph(settings()) as graph:
        rows = graph.read("analyses/consents_of_record", key=record)
    if not rows:
        fail(
            f"no consent recorded for {record} or its identity; check the key "
            "(source:source_id) or ingest the consent export with --kind consents"
        )
    events = [ConsentEvent.of(row) for row in rows]
    identity = rows[0]["identity"]
    click.echo(f"{record}" + (f" (identity {identity})" if identity else " (not resolved)"))
    latest = current(events)
    for event in latest.values():
        click.echo("  " + _line(event))
    click.echo("  contactable on: " + (", ".join(
        c for c, e in latest.items() if e.contactable) or "no channel"))  # fmt: skip
    click.echo("history, newest first:")
    for event in history(events):
        click.echo("  " + _line(event))


@click.command("audience")
@click.option("--channel", required=True, help="email, sms, phone, post, push or chat.")
@click.option("--segment", help="Only this segment (c360 analyze segments); default: everyone.")
@click.option("--out", "-o", type=click.Path(path_type=Path), help="CSV file (default: stdout).")
def audience_command(channel: str, segment: str | None, out: Path | None) -> None:
    """CSV of the identities that may be contacted on CHANNEL: current consent opt_in.

    Opted-out, unsubscribed and never-asked identities are left out and counted.
    """
    try:
        chosen = check_channel(channel)
    except ValueError as exc:
        fail(str(exc))
    with open_graph(settings()) as graph:
        if out is None:
            report = export_audience(graph, chosen, segment, sys.stdout)
        else:
            with out.open("w", encoding="utf-8", newline="") as handle:
                report = export_audience(graph, chosen, segment, handle)
    click.echo(report.summary() + (f"; written to {out}" if out else ""), err=True)
