"""`c360 ingest`: load a source file, or every file of a manifest, into the graph."""

from __future__ import annotations

from pathlib import Path

import click

from c360graph.cli.common import DefaultCommand, fail, open_c360, settings
from c360graph.graph.ingest import IngestReport
from c360graph.graph.load import read_manifest
from c360graph.graph.suppression import SecretUnreadable
from c360graph.sources.fields import Kind
from c360graph.sources.mapping import MappingError
from c360graph.sources.readers import FileUnreadable

NOTHING_READ = 2


def _print(report: IngestReport) -> None:
    if report.carried is not None:
        click.echo("customer details carried by the order rows, one record per customer:")
        _print(report.carried)
    status = "" if report.adds_up else "  (COUNTS DO NOT ADD UP: please report this)"
    click.echo(
        f"{report.source}/{report.kind.value}: read {report.read}, created {report.created}, "
        f"updated {report.updated}, unchanged {report.unchanged}, rejected {report.rejected}"
        f"  [{report.read / report.seconds if report.seconds else 0:,.0f} rows/s]{status}"
    )
    if report.suppressed:
        click.echo(
            f"  {report.suppressed} rows of erased people turned away (suppression list; "
            "see the reject file)"
        )
    if report.with_issues:
        click.echo(f"  {report.with_issues} records kept with a field problem (see data_issues)")
    if report.ignored_columns:
        click.echo(
            f"  ignored columns (map them with --mapping): {', '.join(report.ignored_columns)}"
        )
    if report.rejects_file:
        click.echo(f"  rejected rows and reasons: {report.rejects_file}")
        for reason, count in report.reject_reasons().most_common(5):
            click.echo(f"    {count} x {reason}")


@click.command("file", cls=DefaultCommand)
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--source", "-s", help="Source system name, e.g. crm (not needed for a manifest).")
@click.option(
    "--kind",
    "-k",
    type=click.Choice([k.value for k in Kind]),
    help="What the file holds (default: guessed from its columns).",
)
@click.option(
    "--mapping",
    "-m",
    type=click.Path(exists=True, path_type=Path),
    help="YAML mapping of source columns to canonical fields.",
)
@click.option(
    "--rejects",
    type=click.Path(path_type=Path),
    help="Where rejected rows go (default: FILE.rejects.EXT beside the input).",
)
@click.option("--delimiter", help="CSV delimiter, when detection guesses wrong.")
@click.option("--strict", is_flag=True, help="Exit non-zero when any row is rejected.")
@click.option(
    "--progress/--no-progress", default=None, help="Progress bar (default: only on a terminal)."
)
def ingest(
    path: Path,
    source: str | None,
    kind: str | None,
    mapping: Path | None,
    rejects: Path | None,
    delimiter: str | None,
    strict: bool,
    progress: bool | None,
) -> None:
    """Ingest PATH: a CSV/NDJSON/JSON file, or a manifest.yaml (or a folder holding one).

    Re-ingesting a file changes nothing; changed records are updated and keep their previous
    values as revisions. Bad rows go to a reject file with the reason.

    `c360 ingest history` lists the runs: rows read, landed and rejected, and why.
    """
    config = settings()
    jobs: list[tuple[Path, str, Kind | None, Path | None, Path | None]]
    manifest = path / "manifest.yaml" if path.is_dir() else path
    if manifest.suffix in {".yaml", ".yml"} and manifest.exists():
        try:
            jobs = [(e.path, e.source, e.kind, e.mapping, None) for e in read_manifest(manifest)]
        except FileUnreadable as exc:
            fail(str(exc), NOTHING_READ)
    elif path.is_dir():
        fail(f"{path} is a folder without manifest.yaml; name a file or a manifest", NOTHING_READ)
    elif not source:
        fail("--source is required for a single file (e.g. --source crm)")
    else:
        jobs = [(path, source, Kind(kind) if kind else None, mapping, rejects)]
    reports: list[IngestReport] = []
    with open_c360(config, configs=False) as c360:
        for file, src, file_kind, file_mapping, rejects_path in jobs:
            try:
                report = c360.ingest.file(
                    file,
                    src,
                    file_kind,
                    file_mapping,
                    rejects=rejects_path,
                    delimiter=delimiter,
                    progress_bar=progress,
                )
            except (FileUnreadable, MappingError, SecretUnreadable) as exc:
                fail(str(exc), NOTHING_READ)
            _print(report)
            reports.append(report)
    if len(reports) > 1:
        total = sum(r.read for r in reports)
        click.echo(f"total: {total} rows read, {sum(r.rejected for r in reports)} rejected")
    if not any(r.read for r in reports):
        fail(
            "no rows could be read: nothing below the header (or an empty JSON array); "
            "check that the export wrote its rows",
            NOTHING_READ,
        )
    every = [r for r in reports if r.all_rejected]
    if every:
        fail(
            "every row of "
            + ", ".join(str(r.file or r.source) for r in every)
            + " was rejected; the reasons are in the reject file (_error column): fix the "
            "mapping or the export and ingest again",
            1,
        )
    if strict and any(r.rejected for r in reports):
        fail("rows were rejected and --strict is set", 1)
