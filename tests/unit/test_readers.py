"""Source readers: every row comes back, broken ones flagged, bytes kept for rejects."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from c360graph.sources.readers import FileUnreadable, bad_encoding, open_source


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("delimiter", "name"),
    [(",", "a.csv"), (";", "b.csv"), ("\t", "c.tsv"), ("|", "d.txt")],
)
def test_csv_delimiter_is_detected_from_the_header(
    tmp_path: Path, delimiter: str, name: str
) -> None:
    body = delimiter.join(["source_id", "email"]) + "\n" + delimiter.join(["1", "a@b.com"]) + "\n"
    source = open_source(_write(tmp_path, name, body.encode()))
    rows = list(source.rows())
    assert source.delimiter == delimiter
    assert rows[0].values == {"source_id": "1", "email": "a@b.com"}


def test_utf8_bom_is_not_part_of_the_first_column_name(tmp_path: Path) -> None:
    path = _write(tmp_path, "bom.csv", codecs.BOM_UTF8 + "source_id,name\n1,Zoë\n".encode())
    source = open_source(path)
    assert source.header == ["source_id", "name"]
    assert next(source.rows()).values["name"] == "Zoë"


def test_utf16_export_with_bom_is_read(tmp_path: Path) -> None:
    path = _write(tmp_path, "u16.csv", "source_id\tname\n1\tĐặng\n".encode("utf-16"))
    rows = list(open_source(path).rows())
    assert rows[0].values == {"source_id": "1", "name": "Đặng"}


def test_ragged_rows_are_flagged_not_dropped(tmp_path: Path) -> None:
    path = _write(tmp_path, "r.csv", b"a,b,c\n1,2,3\n1,2\n1,2,3,4\n")
    rows = list(open_source(path).rows())
    assert [r.problem is None for r in rows] == [True, False, False]
    assert "2 fields but the header has 3" in (rows[1].problem or "")


def test_invalid_utf8_is_kept_byte_exact_and_detectable(tmp_path: Path) -> None:
    path = _write(tmp_path, "bad.csv", b"source_id,name\n1,caf\xe9\n")
    row = next(open_source(path).rows())
    assert bad_encoding(row.values["name"])
    assert row.values["name"].encode("utf-8", "surrogateescape") == b"caf\xe9"


def test_quoted_fields_may_hold_delimiters_and_newlines(tmp_path: Path) -> None:
    path = _write(tmp_path, "q.csv", b'source_id,text\n1,"a, b\nc"\n2,x\n')
    rows = list(open_source(path).rows())
    assert [r.values["text"] for r in rows] == ["a, b\nc", "x"]


def test_ndjson_bad_lines_are_flagged_with_their_line_number(tmp_path: Path) -> None:
    path = _write(
        tmp_path, "x.ndjson", b'{"source_id": "1"}\n{broken\n\n[1, 2]\n{"source_id": "2"}\n'
    )
    rows = list(open_source(path).rows())
    assert [(r.line, r.problem is None) for r in rows] == [
        (1, True),
        (2, False),
        (4, False),
        (5, True),
    ]
    assert "not an object" in (rows[2].problem or "")


def test_json_array_of_objects_is_read(tmp_path: Path) -> None:
    path = _write(tmp_path, "x.json", b'[{"source_id": "1", "emails": ["a@b.com"]}, 5]')
    rows = list(open_source(path).rows())
    assert rows[0].values["emails"] == ["a@b.com"]
    assert rows[1].problem


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.csv", b"", "empty"),
        ("blank.csv", b"\n\n  \n", "empty"),
        ("bin.csv", b"\x00\x01\x02PK\x03\x04" * 50, "binary"),
        ("dup.csv", b"a,a\n1,2\n", "twice"),
        ("bad.json", b"[{", "not valid JSON"),
    ],
)
def test_unreadable_files_fail_with_a_reason(
    tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    with pytest.raises(FileUnreadable, match=message):
        list(open_source(_write(tmp_path, name, data)).rows())


def test_progress_counts_the_bytes_read(tmp_path: Path) -> None:
    path = _write(tmp_path, "p.csv", b"source_id\n" + b"".join(b"%d\n" % i for i in range(5000)))
    source = open_source(path)
    assert sum(1 for _ in source.rows()) == 5000
    assert source.progress.done == path.stat().st_size
