"""`c360 analyze households|fraud|segments|all`: analyses over resolved identities."""

from __future__ import annotations

from datetime import datetime

import click

from c360graph.analyze.runner import analyze_fraud, analyze_households, load_facts
from c360graph.analyze.segment_run import refresh_segments
from c360graph.analyze.segment_values import segment_values
from c360graph.analyze.settings import (
    AnalysesConfig,
    AnalysesConfigError,
    load_analyses_config,
)
from c360graph.cli.common import fail, open_graph, settings
from c360graph.config import Settings


def analyses_config(config: Settings) -> AnalysesConfig:
    """The analyses config, or a clean exit naming what is malformed."""
    try:
        return load_analyses_config(config.analyze.config)
    except AnalysesConfigError as exc:
        fail(str(exc))


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
    config = settings()
    with open_graph(config) as graph:
        report = analyze_households(graph, analyses_config(config), _progress)
    click.echo(report.summary())


@analyze.command()
def fraud() -> None:
    """Find fraud rings: people tied by shared devices, phones or addresses beyond households.

    Uses the households of the last `c360 analyze households` run; also lists the hub
    identifiers and the identifiers resolution marked shared (placeholders, shop phones).
    """
    config = settings()
    with open_graph(config) as graph:
        report = analyze_fraud(graph, analyses_config(config), _progress)
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
    config = settings()
    with open_graph(config) as graph:
        report = refresh_segments(
            graph, analyses_config(config), full=full, as_of=as_of, progress=_progress
        )
        click.echo(report.summary())
        click.echo(f"value by segment (in {report.value_currency}):")
        click.echo(segment_values(graph))


@analyze.command("all")
@_as_of
def all_analyses(as_of: datetime | None) -> None:
    """Households, then fraud rings (which use them), then segments (incremental)."""
    config = settings()
    analyses = analyses_config(config)
    with open_graph(config) as graph:
        facts = load_facts(graph, _progress)
        click.echo(analyze_households(graph, analyses, _progress, facts).summary())
        click.echo(analyze_fraud(graph, analyses, _progress, facts).summary())
        click.echo(refresh_segments(graph, analyses, as_of=as_of, progress=_progress).summary())
