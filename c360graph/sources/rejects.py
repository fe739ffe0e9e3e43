"""Reject files: rows that could not be ingested, in their file's own format plus `_error`."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import IO, Any

from c360graph.sources.readers import RawRow, SourceFile

ERROR_COLUMN = "_error"
# Half of a surrogate pair read from a JSON escape; U+DC80-U+DCFF are undecodable bytes, which
# surrogateescape writes back as they were.
_LONE_SURROGATE = re.compile("[\ud800-\udc7f\udd00-\udfff]")


def default_rejects_path(source_path: Path) -> Path:
    """Where rejects of a file go by default: beside it, as NAME.rejects.EXT."""
    return source_path.with_name(f"{source_path.stem}.rejects{source_path.suffix or '.csv'}")


def _numbered(path: Path, n: int) -> Path:
    return path if n == 1 else path.with_name(f"{path.stem}.{n}{path.suffix}")


def _create_unique(path: Path, encoding: str) -> tuple[Path, IO[str]]:
    """Create `path`, or NAME.2.EXT, NAME.3.EXT...: a previous run's rejects are never lost."""
    n = 1
    while True:
        candidate = _numbered(path, n)
        try:
            # The input's own encoding (BOM included); surrogateescape writes undecodable
            # bytes back byte for byte.
            out = candidate.open("x", encoding=encoding, errors="surrogateescape", newline="")
        except FileExistsError:
            n += 1
            continue
        return candidate, out


class RejectWriter:
    """Writes rejected rows as the source file wrote them, with the reason in `_error`.

    The file is created on the first reject only, so a clean load leaves no empty file; when
    a previous run's reject file is there, this run's gets the next free number instead.
    """

    def __init__(self, path: Path, source: SourceFile) -> None:
        self.path = path
        self.source = source
        self.count = 0
        self._out: IO[str] | None = None
        self._csv: Any = None

    def _open(self) -> IO[str]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path, out = _create_unique(self.path, self.source.encoding)
        if self.source.format == "csv":
            self._csv = csv.writer(out, delimiter=self.source.delimiter)
            self._csv.writerow([*self.source.header, ERROR_COLUMN])
        elif self.source.format == "json":
            out.write("[\n")
        return out

    def write(self, row: RawRow, reason: str) -> None:
        """Append one rejected row with its reason."""
        if self._out is None:
            self._out = self._open()
        self.count += 1
        if self.source.format == "csv":
            fields = row.original if isinstance(row.original, list) else list(row.values.values())
            self._csv.writerow([*fields, reason])
            return
        if isinstance(row.original, dict):
            item: Any = {**row.original, ERROR_COLUMN: reason}
        else:
            item = {"_raw": row.original, ERROR_COLUMN: reason}
        text = json.dumps(item, ensure_ascii=False, default=str)
        # Only inside JSON strings, where an escape is what the input held.
        text = _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
        if self.source.format == "json":
            self._out.write(("" if self.count == 1 else ",\n") + text)
        else:
            self._out.write(text + "\n")

    def close(self) -> None:
        """Finish the file (closing a JSON array)."""
        if self._out is None:
            return
        if self.source.format == "json":
            self._out.write("\n]\n")
        self._out.close()
        self._out = None
