"""Streaming row sinks for CSV/TSV, NDJSON and JSON-array files, counting what they write."""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Protocol

Row = Mapping[str, object]


class Sink(Protocol):
    """A file being written row by row; `rows` counts the rows written so far."""

    rows: int

    def write(self, row: Row) -> None:
        """Append one row, reading each column's value from row[key]."""

    def close(self) -> None:
        """Finish the file (closing brackets, flushing)."""


def _cell(values: list[object]) -> str:
    return "|".join(str(v) for v in values)


class CsvSink:
    """Delimited text with a header; lists become '|'-joined cells, None an empty cell."""

    def __init__(self, fh: IO[str], columns: Sequence[tuple[str, str]], delimiter: str) -> None:
        self.rows = 0
        self._fh = fh
        self._keys = [key for _, key in columns]
        self._writer = csv.writer(fh, delimiter=delimiter, lineterminator="\n")
        self._writer.writerow([name for name, _ in columns])

    def write(self, row: Row) -> None:
        """Append one row, reading each column's value from row[key]."""
        self._writer.writerow(
            [
                "" if v is None else _cell(v) if isinstance(v, list) else v
                for v in map(row.get, self._keys)
            ]
        )
        self.rows += 1

    def close(self) -> None:
        """Close the underlying file."""
        self._fh.close()


class JsonSink:
    """One JSON object per line (NDJSON), or one JSON array of objects when `array` is set."""

    def __init__(self, fh: IO[str], columns: Sequence[tuple[str, str]], array: bool) -> None:
        self.rows = 0
        self._fh = fh
        self._columns = list(columns)
        self._array = array
        if array:
            fh.write("[")

    def write(self, row: Row) -> None:
        """Append one object whose keys are the file's column names."""
        obj = {name: row.get(key) for name, key in self._columns}
        text = json.dumps(obj, ensure_ascii=False)
        if self._array:
            self._fh.write(("\n  " if self.rows == 0 else ",\n  ") + text)
        else:
            self._fh.write(text + "\n")
        self.rows += 1

    def close(self) -> None:
        """Close the array if any, then the file."""
        if self._array:
            self._fh.write("\n]\n")
        self._fh.close()


def open_sink(
    path: Path, columns: Sequence[tuple[str, str]], *, delimiter: str = ",", bom: bool = False
) -> Sink:
    """Open a sink whose format follows the file suffix (.csv/.tsv, .ndjson, .json)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fh = path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="")
    if path.suffix in (".csv", ".tsv"):
        return CsvSink(fh, columns, "\t" if path.suffix == ".tsv" else delimiter)
    if path.suffix in (".ndjson", ".json"):
        return JsonSink(fh, columns, array=path.suffix == ".json")
    fh.close()
    raise ValueError(f"no sink for {path.name}: use a .csv, .tsv, .ndjson or .json path")


class Sinks:
    """All output files of a dataset, keyed by path relative to the output directory."""

    def __init__(self, root: Path) -> None:
        self._root = root
        self._sinks: dict[str, Sink] = {}

    def open(
        self,
        rel: str,
        columns: Sequence[tuple[str, str]],
        *,
        delimiter: str = ",",
        bom: bool = False,
    ) -> None:
        """Open the file `rel` under the root with the given (column, key) pairs."""
        self._sinks[rel] = open_sink(self._root / rel, columns, delimiter=delimiter, bom=bom)

    def write(self, rel: str, row: Row) -> None:
        """Append a row to an opened file."""
        self._sinks[rel].write(row)

    def counts(self) -> dict[str, int]:
        """Rows written per file, in the order the files were opened."""
        return {rel: sink.rows for rel, sink in self._sinks.items()}

    def __enter__(self) -> Sinks:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for sink in self._sinks.values():
            sink.close()
