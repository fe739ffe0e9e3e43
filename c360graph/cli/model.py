"""`c360 model`: train, show, export and import the matching model."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import click

from c360graph.cli.common import fail, open_graph, resolution_config, settings
from c360graph.resolve import store
from c360graph.resolve.model.imported import ModelImportError, imported_model
from c360graph.resolve.model.report import weights_chart, weights_table
from c360graph.resolve.model.stored import model_fingerprint
from c360graph.resolve.modelling import label_check, train_on


@click.group()
def model() -> None:
    """The matching model: learned from your records (Splink), stored in the graph.

    `c360 resolve` trains one when there is none; `train` re-trains it now. A new model
    makes the next resolution run full.
    """


@model.command()
def train() -> None:
    """Train the model on every record in the graph (no labels needed) and store it."""
    config = settings()
    resolution = resolution_config(config)
    with open_graph(config) as graph:
        recs = {rec.key: rec for rec in store.load_all_records(graph)}
        if not recs:
            fail("the graph holds no customer records to learn from: `c360 ingest` first")
        click.echo(f"training on {len(recs):,} records ...")
        trained = train_on(recs, resolution, store.all_assertions(graph)[0])
        store.save_model(graph, trained, model_fingerprint(resolution), datetime.now(UTC))
        checked = label_check(graph, resolution, trained)
    click.echo("; ".join(trained.steps))
    click.echo(weights_table(trained))
    click.echo(checked.text())
    click.echo("stored; the next `c360 resolve` re-resolves every record with it")


@model.command()
@click.option(
    "--chart",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the match weights as an SVG chart to this file.",
)
def show(chart: Path | None) -> None:
    """Print the stored model's match weights per comparison level (and chart them)."""
    config = settings()
    with open_graph(config) as graph:
        stored = store.load_model(graph)
        if stored is None:
            fail("no model is stored yet: `c360 model train` (or `c360 resolve`) makes one")
        trained, _ = stored
        checked = label_check(graph, resolution_config(config), trained)
    click.echo(f"model {trained.model_id}, trained on {trained.records:,} records")
    click.echo("; ".join(trained.steps))
    click.echo(weights_table(trained))
    click.echo(checked.text())
    if chart is not None:
        chart.write_text(weights_chart(trained), encoding="utf-8")
        click.echo(f"chart written to {chart}")


@model.command("export")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
def export_model(out: Path) -> None:
    """Write the stored model as a Splink settings JSON (Splink loads it as it is)."""
    with open_graph(settings()) as graph:
        stored = store.load_model(graph)
    if stored is None:
        fail("no model is stored yet: `c360 model train` (or `c360 resolve`) makes one")
    if out.exists():
        fail(f"{out} exists; name another file (nothing is overwritten)")
    out.write_text(json.dumps(stored[0].settings, indent=2) + "\n", encoding="utf-8")
    click.echo(f"model {stored[0].model_id} written to {out}")


@model.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_model(path: Path) -> None:
    """Use a trained Splink model (settings JSON) instead of training one.

    Its comparisons must read c360graph's columns (`c360 model export` shows them); term
    frequencies are counted on the records in the graph. The next resolution is full.
    """
    config = settings()
    resolution = resolution_config(config)
    with open_graph(config) as graph:
        recs = {rec.key: rec for rec in store.load_all_records(graph)}
        try:
            trained = imported_model(path, recs)
        except ModelImportError as exc:
            fail(str(exc))
        store.save_model(graph, trained, model_fingerprint(resolution), datetime.now(UTC))
    click.echo(weights_table(trained))
    click.echo(f"model {trained.model_id} stored; the next `c360 resolve` is full")
