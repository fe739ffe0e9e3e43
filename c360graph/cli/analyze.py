"""`c360 analyze households|fraud|segments|all`: analyses over resolved identities."""

from __future__ import annotations

from datetime import datetime

import click

from c360graph.cli.common import open_c360, settings


def _progress(message: str) -> None:
    click.echo(f"  {message}", err=True)


@click.group()
def analyze() -> None:
    """Analyses over resolved identities: households, fraud rings, segments.

    Run after `c360 resolve`. Thresholds and weights come from the analyses config
    (analyze.config or C360_ANALYSES_CONFIG; default: the packaged analyses.yaml).
    """


@analyze.command()
def households() -> None:
    """Group identities into households (shared address and surname, landline, home devices).

    Household ids stay stable across runs; each household and membership carries a
    confidence and the reason.
    """
    with open_c360(settings(), _progress) as c360:
        report = c360.analyses.households()
    click.echo(report.summary())


@analyze.command()
def fraud() -> None:
    """Find fraud rings: people tied by shared devices, phones or addresses beyond households.

    Uses the households of the last `c360 analyze households` run; also lists the hub
    identifiers and the identifiers resolution marked shared (placeholders, shop phones).
    """
    with open_c360(settings(), _progress) as c360:
        report = c360.analyses.fraud()
    click.echo(report.summary())


_as_of = click.option(
    "--as-of",
    type=click.DateTime(),
    help="Score recency and churn as of this time (default: the newest activity in the graph).",
)


@analyze.command()
@click.option("--full", is_flag=True, help="Rescore every identity, not just the touched ones.")
@_as_of
def segments(full: bool, as_of: datetime | None) -> None:
    """RFM scores, named segments, lifetime value, churn risk and preferred channel.

    Incremental by default: only identities touched since the last run (new orders or
    interactions, or changed by resolution) are rescored against the stored score cut points.
    """
    with open_c360(settings(), _progress) as c360:
        report = c360.analyses.refresh_segments(full=full, as_of=as_of)
        click.echo(report.summary())
        click.echo(f"value by segment (in {report.value_currency}):")
        click.echo(c360.analyses.segment_values())


@analyze.command("all")
@_as_of
def all_analyses(as_of: datetime | None) -> None:
    """Households, then fraud rings (which use them), then segments (incremental)."""
    with open_c360(settings(), _progress) as c360:
        for report in c360.analyses.all(as_of):
            click.echo(report.summary())
