"""Exports: one row per source record with its identity, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
from typing import TextIO

from c360graph.db.graph import Graph

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    # Spreadsheets run cells starting with these as formulas (CSV injection): quote them.
    return f"'{value}" if value.startswith(_FORMULA_START) else value


def export_identities(graph: Graph, out: TextIO) -> int:
    """Write CSV `source,source_id,identity_id` for every resolved record; return the rows."""
    writer = csv.writer(out)
    writer.writerow(["source", "source_id", "identity_id"])
    rows = 0
    for row in graph.stream("resolve/all_assignments"):
        writer.writerow(
            [_cell(row["source"] or ""), _cell(row["source_id"] or ""), row["identity"]]
        )
        rows += 1
    return rows


def current_assignments(graph: Graph) -> dict[str, str]:
    """Every resolved record key -> its identity id."""
    return {row["key"]: row["identity"] for row in graph.stream("resolve/all_assignments")}
