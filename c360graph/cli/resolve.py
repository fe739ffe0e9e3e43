"""`c360 resolve`, `export`, `link`, `unlink`, `explain`, `erase`, `evaluate`."""

from __future__ import annotations

import getpass
import sys
from dataclasses import replace
from pathlib import Path

import click

from c360graph.analyze.evaluate import (
    format_group_report,
    has_group_columns,
    household_metrics,
    read_group_truth,
    ring_metrics,
)
from c360graph.analyze.store import current_groups
from c360graph.cli.common import (
    fail,
    open_c360,
    open_graph,
    resolution_config,
    say_backend,
    settings,
)
from c360graph.config import BACKENDS
from c360graph.resolve.assertions import UnknownRecord
from c360graph.resolve.evaluate import cluster_metrics, format_report, pairwise_metrics, read_truth
from c360graph.resolve.explain import explain as explain_pair
from c360graph.resolve.export import current_assignments, export_identities
from c360graph.usecases import C360, Resolved


def echo_resolved(resolved: Resolved | None) -> None:
    """Print a resolution run and the segments refresh that followed it, if there was one."""
    if resolved is not None:
        click.echo(resolved[0].summary())
        click.echo(resolved[1].summary())


def _run(c360: C360, full: bool = False, segments: bool = True, train: bool = False) -> None:
    say_backend(c360)
    if segments:
        echo_resolved(c360.resolution.run(full=full, train=train))
    else:
        click.echo(c360.resolution.resolve_only(full=full, train=train).summary())


@click.command()
@click.option("--full", is_flag=True, help="Re-resolve every record, not just new or changed ones.")
@click.option(
    "--no-segments", is_flag=True, help="Do not refresh customer segments after resolving."
)
@click.option(
    "--train", is_flag=True, help="Re-train the matching model on every record first (full run)."
)
@click.option(
    "--backend",
    type=click.Choice(BACKENDS),
    help="Where candidate pairs are blocked and scored, and a model is trained: duckdb (in "
    "this process, the default) "
    "or spark (Splink's Spark backend on C360_SPARK_MASTER, default local[2]; needs "
    "pip install 'c360graph[spark]'). Default: C360_RESOLVE_BACKEND, else duckdb.",
)
def resolve(full: bool, no_segments: bool, train: bool, backend: str | None) -> None:
    """Resolve records into identities: rules, a learned matching model, components.

    Incremental by default: only records ingested or changed since the last run, and the
    identities they touch, are re-resolved. Identity ids stay stable across runs. The
    model is learned from the records (`c360 model --help`): trained on the first run,
    re-trained when the records have doubled or with --train. Then the customer segments
    of touched identities are refreshed (`c360 analyze segments`).
    """
    config = settings()
    if backend is not None:
        config = replace(config, resolve=replace(config.resolve, backend=backend))
    with open_c360(config, progress=click.echo) as c360:
        _run(c360, full, segments=not no_segments, train=train)


@click.group()
def export() -> None:
    """Export resolution results."""


@export.command("identities")
@click.option("--out", "-o", type=click.Path(path_type=Path), help="CSV file (default: stdout).")
def export_identities_command(out: Path | None) -> None:
    """CSV of source, source_id, identity_id: one row per resolved source record."""
    with open_graph(settings()) as graph:
        if out is None:
            rows = export_identities(graph, sys.stdout)
        else:
            with out.open("w", encoding="utf-8", newline="") as handle:
                rows = export_identities(graph, handle)
    click.echo(f"{rows} records exported" + (f" to {out}" if out else ""), err=True)


def _assertion(
    kind: str, a: str, b: str, by: str | None, note: str | None, no_resolve: bool
) -> None:
    with open_c360(settings(), progress=click.echo) as c360:
        if not no_resolve:
            say_backend(c360)
        action = c360.assertions.same if kind == "same" else c360.assertions.different
        try:
            resolved = action(a, b, by or getpass.getuser(), note, resolve=not no_resolve)
        except (UnknownRecord, ValueError) as exc:
            fail(str(exc))
    click.echo(
        f"recorded: {a} and {b} are {'the same person' if kind == 'same' else 'different people'}"
    )
    echo_resolved(resolved)


_by = click.option("--by", help="Who asserts it (default: your user name).")
_note = click.option("--note", help="Why, for the audit trail.")
_no_resolve = click.option("--no-resolve", is_flag=True, help="Only record it; resolve later.")


@click.command()
@click.argument("record_a")
@click.argument("record_b")
@_by
@_note
@_no_resolve
def link(record_a: str, record_b: str, by: str | None, note: str | None, no_resolve: bool) -> None:
    """Assert two records (SOURCE:ID) are the same person; every later run honours it."""
    _assertion("same", record_a, record_b, by, note, no_resolve)


@click.command()
@click.argument("record_a")
@click.argument("record_b")
@_by
@_note
@_no_resolve
def unlink(
    record_a: str, record_b: str, by: str | None, note: str | None, no_resolve: bool
) -> None:
    """Assert two records (SOURCE:ID) are different people; every later run honours it."""
    _assertion("different", record_a, record_b, by, note, no_resolve)


@click.command()
@click.argument("record_a")
@click.argument("record_b")
def explain(record_a: str, record_b: str) -> None:
    """Why two records (SOURCE:ID) are the same person, or why not."""
    config = settings()
    with open_graph(config) as graph:
        try:
            explanation = explain_pair(graph, resolution_config(config), record_a, record_b)
        except UnknownRecord as exc:
            fail(str(exc))
    click.echo(explanation.text())


@click.command()
@click.argument("record", required=False)
@click.option("--identity", help="Erase every record of this identity instead.")
@click.option("--yes", is_flag=True, help="Confirm: erasure cannot be undone.")
def erase(record: str | None, identity: str | None, yes: bool) -> None:
    """Erase a record (SOURCE:ID) or a whole identity: right to be forgotten.

    Deletes the record(s), their orders, interactions and revisions, and identifiers no one
    else uses; re-resolves what is left and refreshes its segments; keeps a PII-free
    tombstone for audit.
    """
    if bool(record) == bool(identity):
        fail("name one record (SOURCE:ID) or --identity ID")
    if not yes:
        fail("erasure cannot be undone; run again with --yes to confirm")
    with open_c360(settings()) as c360:
        try:
            erased = (
                c360.erasure.identity(identity) if identity else c360.erasure.record(record or "")
            )
        except UnknownRecord as exc:
            fail(str(exc))
    click.echo(erased.summary())


@click.command()
@click.option(
    "--truth",
    required=True,
    type=click.Path(exists=True, path_type=Path),
    help="CSV with source, source_id, person_id (e.g. ground_truth.csv from c360 generate).",
)
def evaluate(truth: Path) -> None:
    """Pairwise precision, recall and F1, and cluster figures, against a ground truth.

    When the truth also has household_id and ring_id columns (the generator's does) and
    `c360 analyze` has run, household precision/recall and ring detection follow.
    """
    try:
        expected = read_truth(truth)
        groups = read_group_truth(truth) if has_group_columns(truth) else None
    except ValueError as exc:
        fail(str(exc))
    with open_graph(settings()) as graph:
        predicted = current_assignments(graph)
        households = rings = {}
        if groups is not None:  # only a truth with households and rings needs them
            households = current_groups(graph, "analyses/current_households", "household")
            rings = current_groups(graph, "analyses/current_rings", "ring")
    if not predicted:
        fail("no resolved records yet: run `c360 resolve` first")
    click.echo(
        format_report(pairwise_metrics(predicted, expected), cluster_metrics(predicted, expected))
    )
    if groups is None:
        return
    if not households and not rings:
        click.echo("No households or rings yet: run `c360 analyze all` to evaluate them too.")
        return
    click.echo(
        format_group_report(
            household_metrics(groups, predicted, households),
            ring_metrics(groups, predicted, rings),
        )
    )
