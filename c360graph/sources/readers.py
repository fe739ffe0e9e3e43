"""Readers for source files: CSV (any common delimiter), NDJSON and JSON arrays.

A reader yields every row it finds as a RawRow, including broken ones (with `problem` set),
so that nothing in a file is silently skipped. Invalid UTF-8 is kept byte-exact as lone
surrogates (`surrogateescape`) so a reject file can reproduce the original bytes.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

DELIMITERS = (",", ";", "\t", "|")
_BAD_BYTES = re.compile("[\udc80-\udcff]")
_SNIFF_BYTES = 8192
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # oversized fields are judged, not crashed on


class FileUnreadable(ValueError):
    """The file as a whole cannot be read (binary, empty, not the format it claims)."""


@dataclass
class RawRow:
    """One row as found in the file: its values by column, and a structural problem if any."""

    line: int
    values: dict[str, Any]
    problem: str | None = None
    # What a reject file writes back: CSV fields, a JSON object, or the raw NDJSON line.
    original: Any = None


@dataclass
class Progress:
    """Bytes of the file read so far, for progress bars."""

    total: int
    done: int = 0


class _CountingReader(io.RawIOBase):
    def __init__(self, raw: BinaryIO, progress: Progress) -> None:
        self._raw = raw
        self._progress = progress

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self._raw.close()
        super().close()

    def readinto(self, buffer: Any) -> int:
        data = self._raw.read(len(buffer))
        buffer[: len(data)] = data
        self._progress.done += len(data)
        return len(data)


def bad_encoding(value: str) -> bool:
    """True when a decoded string still carries bytes that were not valid UTF-8."""
    return bool(_BAD_BYTES.search(value))


@dataclass
class SourceFile:
    """A source file opened for reading: its format, encoding, delimiter and header."""

    path: Path
    format: str  # csv | ndjson | json
    encoding: str = "utf-8"
    delimiter: str = ","
    header: list[str] = field(default_factory=list)
    progress: Progress = field(default_factory=lambda: Progress(0))

    def rows(self) -> Iterator[RawRow]:
        """Every row of the file, broken ones included."""
        if self.format == "csv":
            return self._csv_rows()
        if self.format == "ndjson":
            return self._ndjson_rows()
        return self._json_rows()

    def _open_text(self) -> io.TextIOWrapper:
        raw = self.path.open("rb")
        counting = io.BufferedReader(_CountingReader(raw, self.progress))
        return io.TextIOWrapper(
            counting, encoding=self.encoding, errors="surrogateescape", newline=""
        )

    def _csv_rows(self) -> Iterator[RawRow]:
        with self._open_text() as text:
            reader = csv.reader(text, delimiter=self.delimiter)
            next(reader, None)  # the header, already read by open_source
            width = len(self.header)
            for fields in reader:
                if not fields or (len(fields) == 1 and not fields[0].strip()):
                    continue  # a blank line is not a row
                line = reader.line_num
                problem = None
                if len(fields) != width:
                    problem = (
                        f"row has {len(fields)} fields but the header has {width}; check the "
                        f"delimiter ({self.delimiter!r}) and quoting of this line"
                    )
                yield RawRow(line, dict(zip(self.header, fields, strict=False)), problem, fields)

    def _ndjson_rows(self) -> Iterator[RawRow]:
        with self._open_text() as text:
            for line_no, line in enumerate(text, start=1):
                stripped = line.strip()
                if not stripped:
                    continue
                yield _json_row(line_no, stripped)

    def _json_rows(self) -> Iterator[RawRow]:
        with self._open_text() as text:
            try:
                items = json.load(text)
            except json.JSONDecodeError as exc:
                raise FileUnreadable(
                    f"{self.path} is not valid JSON ({exc}); expected an array of objects, or "
                    "use one object per line (.ndjson)"
                ) from exc
        if isinstance(items, dict):
            items = [items]
        if not isinstance(items, list):
            raise FileUnreadable(
                f"{self.path} holds a JSON {type(items).__name__}; expected an array of objects"
            )
        for index, item in enumerate(items, start=1):
            if isinstance(item, dict):
                yield RawRow(index, item, None, item)
            else:
                yield RawRow(
                    index, {}, f"item {index} is a JSON {type(item).__name__}, not an object", item
                )


def _json_row(line_no: int, text: str) -> RawRow:
    try:
        item = json.loads(text)
    except json.JSONDecodeError as exc:
        problem = f"line is not valid JSON ({exc.msg} at column {exc.colno})"
        if bad_encoding(text):
            problem = "line holds bytes that are not valid UTF-8; re-export the file as UTF-8"
        return RawRow(line_no, {}, problem, text)
    if not isinstance(item, dict):
        return RawRow(line_no, {}, f"line holds a JSON {type(item).__name__}, not an object", text)
    return RawRow(line_no, item, None, item)


def _detect_encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return "utf-8"


def _detect_format(path: Path, head: str) -> str:
    suffix = path.suffix.lower()
    if suffix in {".ndjson", ".jsonl"}:
        return "ndjson"
    if suffix == ".json":
        first = head.lstrip()[:1]
        return "json" if first == "[" else "ndjson"
    return "csv"


def _detect_delimiter(header_line: str) -> str:
    # The header names rarely contain delimiters, so the most frequent candidate wins.
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def open_source(path: Path, delimiter: str | None = None) -> SourceFile:
    """Open a source file, detecting its format, encoding, delimiter and header."""
    if not path.is_file():
        raise FileUnreadable(f"{path} does not exist or is not a file")
    with path.open("rb") as raw:
        head = raw.read(_SNIFF_BYTES)
    if not head.strip():
        raise FileUnreadable(f"{path} is empty; nothing to ingest")
    encoding = _detect_encoding(head)
    if encoding == "utf-8" and b"\x00" in head:
        raise FileUnreadable(
            f"{path} looks binary (it holds NUL bytes); expected CSV, NDJSON or JSON text"
        )
    text_head = head.decode(encoding, errors="replace")
    fmt = _detect_format(path, text_head)
    source = SourceFile(path, fmt, encoding, progress=Progress(path.stat().st_size))
    if fmt != "csv":
        return source
    with path.open(encoding=encoding, errors="surrogateescape", newline="") as text:
        first_line = text.readline().rstrip("\r\n")
    delimiter = delimiter or _detect_delimiter(first_line)
    header_fields = next(csv.reader([first_line], delimiter=delimiter), [])
    header = [name.strip() for name in header_fields]
    _check_header(path, header)
    source.delimiter = delimiter
    source.header = header
    return source


def _check_header(path: Path, header: list[str]) -> None:
    if not any(header):
        raise FileUnreadable(
            f"{path} has an empty header line; the first line must name the columns"
        )
    if any(bad_encoding(name) for name in header):
        raise FileUnreadable(
            f"{path} has bytes in its header that are not UTF-8; re-export as UTF-8"
        )
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise FileUnreadable(f"{path} names column {name!r} twice; rename one of them")
        seen.add(name)
