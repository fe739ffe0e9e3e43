"""`c360.ingest`: source files and rows into the graph; a resolution only when asked for."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from c360graph.graph.ingest import IngestReport, ingest_rows, rows_from_dicts
from c360graph.graph.load import ingest_file
from c360graph.sources.fields import Kind

if TYPE_CHECKING:
    from c360graph.usecases.facade import C360, Resolved


class Ingest:
    """Ingest, reached as `c360.ingest`. An ingest is not followed by a resolution unless
    asked (`rows(..., resolve=True)`, or `c360.resolution.run()` after many files)."""

    def __init__(self, c360: C360) -> None:
        self._c360 = c360

    def file(
        self,
        path: Path,
        source: str,
        kind: Kind | None = None,
        mapping: Path | None = None,
        *,
        rejects: Path | None = None,
        delimiter: str | None = None,
        progress_bar: bool | None = False,
    ) -> IngestReport:
        """Ingest one CSV/NDJSON/JSON file; FileUnreadable or MappingError if it cannot start."""
        c360 = self._c360
        return ingest_file(
            c360.graph,
            path,
            source,
            kind,
            mapping,
            c360.settings.ingest,
            rejects,
            delimiter,
            progress_bar,
        )

    def rows(
        self, rows: Iterable[dict[str, Any]], source: str, kind: Kind, *, resolve: bool = False
    ) -> tuple[IngestReport, Resolved | None]:
        """Ingest rows (dicts of canonical fields) of one kind; then resolve if asked.

        ValueError when the source name is unusable.
        """
        c360 = self._c360
        report = ingest_rows(
            c360.graph, rows_from_dicts(rows), source, kind, settings=c360.settings.ingest
        )
        return report, (c360.resolution.run() if resolve else None)
