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
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

DELIMITERS = (",", ";", "\t", "|")
_BAD_BYTES = re.compile("[\udc80-\udcff]")
_SNIFF_BYTES = 8192
# Control characters (tab, newline, carriage return and form feed aside) and undecodable
# bytes: a text file holds a few (a stray NUL, a Latin-1 accent), a binary file mostly these.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\udc80-\udcff]")
_NOT_TEXT_SHARE = 0.3
_ARCHIVES = (
    (b"\x1f\x8b", "is gzip-compressed; decompress it first (gunzip) and ingest the file inside"),
    (
        b"PK\x03\x04",
        "is a ZIP archive (an Excel .xlsx workbook?); save the sheet as CSV UTF-8, or unzip it",
    ),
)
_TOO_DEEP = "nests arrays or objects too deeply to read; expected flat objects of fields"
_JSON_TYPES = {
    dict: "an object",
    list: "an array",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "a boolean",
    type(None): "null",
}
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


class _Object(dict[str, Any]):
    """A JSON object that names some field more than once (the last value won)."""

    duplicates: list[str]


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) == len(pairs):
        return obj
    names = [name for name, _ in pairs]
    flagged = _Object(obj)
    flagged.duplicates = sorted({name for name in names if names.count(name) > 1})
    return flagged


def _object_problem(item: Any, what: str) -> str | None:
    """Why a parsed JSON value cannot be a row, or None when it is a usable object."""
    if not isinstance(item, dict):
        return f"{what} holds {_JSON_TYPES.get(type(item), 'a value')}, not an object"
    if isinstance(item, _Object):
        names = ", ".join(repr(name) for name in item.duplicates)
        return f"{what} names field {names} more than once; keep one value per field"
    return None


_MAX_PATH_DEPTH = 8


def with_paths(item: dict[str, Any]) -> dict[str, Any]:
    """A JSON object's fields plus each nested field under its dotted path, names in NFC.

    {"khach_hang": {"id": 7}} gives {"khach_hang": {...}, "khach_hang.id": 7}: a mapping
    names `khach_hang.id`, and a nested object mapped as a whole is still refused by name.
    """
    flat: dict[str, Any] = {}
    stack: list[tuple[str, dict[str, Any], int]] = [("", item, 0)]
    while stack:
        prefix, obj, depth = stack.pop()
        for name, value in obj.items():
            path = prefix + unicodedata.normalize("NFC", str(name))
            flat[path] = value
            if isinstance(value, dict) and depth < _MAX_PATH_DEPTH:
                stack.append((path + ".", value, depth + 1))
    return flat


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

    def field_names(self) -> set[str]:
        """Every field name (dotted paths included) of a JSON file's rows: a full read."""
        names: set[str] = set()
        for row in self.rows():
            names.update(row.values)
        self.progress.done = 0
        return names

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
                        f"row has {len(fields)} field{'s' if len(fields) != 1 else ''} but the "
                        f"header has {width}; check the delimiter ({self.delimiter!r}) and "
                        "quoting of this line"
                    )
                elif _header_names(fields) == self.header:
                    problem = "row repeats the header line (were two exports joined?); remove it"
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
                items = json.load(text, object_pairs_hook=_object)
            except json.JSONDecodeError as exc:
                raise FileUnreadable(
                    f"{self.path} is not valid JSON ({exc}); expected an array of objects, or "
                    "use one object per line (.ndjson)"
                ) from exc
            except RecursionError as exc:
                raise FileUnreadable(f"{self.path} {_TOO_DEEP}") from exc
        if isinstance(items, dict):
            items = [items]
        if not isinstance(items, list):
            raise FileUnreadable(
                f"{self.path} holds {_JSON_TYPES.get(type(items), 'a value')}; expected an "
                "array of objects"
            )
        for index, item in enumerate(items, start=1):
            problem = _object_problem(item, f"item {index}")
            yield RawRow(index, {} if problem else with_paths(item), problem, item)


def _json_row(line_no: int, text: str) -> RawRow:
    try:
        item = json.loads(text, object_pairs_hook=_object)
    except json.JSONDecodeError as exc:
        problem = f"line is not valid JSON ({exc.msg} at column {exc.colno})"
        if bad_encoding(text):
            problem = "line holds bytes that are not valid UTF-8; re-export the file as UTF-8"
        return RawRow(line_no, {}, problem, text)
    except RecursionError:
        return RawRow(line_no, {}, f"line {_TOO_DEEP}", text)
    unusable = _object_problem(item, "line")
    if unusable:
        return RawRow(line_no, {}, unusable, text)
    return RawRow(line_no, with_paths(item), None, item)


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
        raise FileUnreadable(
            f"{path} is empty; nothing to ingest (check that the export wrote the file)"
        )
    encoding = _detect_encoding(head)
    if encoding != "utf-16":
        _check_text(path, head)
    text_head = head.decode(encoding, errors="replace")
    fmt = _detect_format(path, text_head)
    source = SourceFile(path, fmt, encoding, progress=Progress(path.stat().st_size))
    if fmt != "csv":
        return source
    with path.open(encoding=encoding, errors="surrogateescape", newline="") as text:
        first_line = text.readline().rstrip("\r\n")
    delimiter = delimiter or _detect_delimiter(first_line)
    header_fields = next(csv.reader([first_line], delimiter=delimiter), [])
    header = _header_names(header_fields)
    _check_header(path, header)
    source.delimiter = delimiter
    source.header = header
    return source


def _header_names(fields: list[str]) -> list[str]:
    # A byte-order mark inside a name comes from joined or twice-encoded exports.
    return [name.replace("\ufeff", "").strip() for name in fields]


def _check_text(path: Path, head: bytes) -> None:
    for magic, reason in _ARCHIVES:
        if head.startswith(magic):
            raise FileUnreadable(f"{path} {reason}")
    text = head.decode("utf-8", errors="surrogateescape")
    share = len(_NOT_TEXT.findall(text)) / len(text)
    if share > _NOT_TEXT_SHARE:
        raise FileUnreadable(
            f"{path} looks binary ({share:.0%} of its first bytes are not text); expected CSV, "
            "NDJSON or JSON text in UTF-8, or UTF-16 with a byte-order mark"
        )


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
