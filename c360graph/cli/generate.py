"""`c360 generate`: write the sample multi-source dataset with its ground truth."""

from __future__ import annotations

from pathlib import Path

import click

from c360graph.generate import generate_dataset
from c360graph.generate.profiles import PROFILES


@click.command()
@click.option(
    "--customers",
    "-n",
    type=click.IntRange(min=1),
    default=1000,
    show_default=True,
    help="Number of real people to generate.",
)
@click.option(
    "--out",
    "-o",
    type=click.Path(path_type=Path),
    required=True,
    help="Folder to write the dataset into.",
)
@click.option("--seed", type=int, default=42, show_default=True, help="Same seed, same files.")
@click.option(
    "--noise",
    type=click.Choice(list(PROFILES)),
    default="default",
    show_default=True,
    help="How messy the records are: "
    + "; ".join(f"{p.name}: {p.summary}" for p in PROFILES.values())
    + ".",
)
@click.option(
    "--progress/--no-progress", default=None, help="Progress bar (default: only on a terminal)."
)
def generate(customers: int, out: Path, seed: int, noise: str, progress: bool | None) -> None:
    """Generate a realistic multi-source dataset (CRM, web shop, stores, support, app,
    newsletter, social) with noise, households, placeholders and fraud rings.

    OUT/manifest.yaml lists the files for `c360 ingest OUT`; OUT/ground_truth.csv says
    which records are the same person (for evaluation only; c360 never reads it).
    """
    summary = generate_dataset(
        out,
        customers=customers,
        seed=seed,
        progress=progress is not False,
        noise=PROFILES[noise],
    )
    click.echo(str(summary))  # what was written, per file, and the ingest command
