"""The sample dataset generator: files, manifest, ground truth, households, rings and traps."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import phonenumbers
import pytest
import yaml

from c360graph.generate import DatasetSummary, generate_dataset
from c360graph.generate.records import KIOSK_DEVICES, PLACEHOLDER_EMAILS, SHOP_PHONES
from c360graph.sources.fields import SPECS, Kind

PERSONS = 1500


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DatasetSummary]:
    out = tmp_path_factory.mktemp("dataset")
    return out, generate_dataset(out, PERSONS, seed=7, progress=False)


def _manifest(root: Path) -> list[dict[str, str]]:
    files: list[dict[str, str]] = yaml.safe_load((root / "manifest.yaml").read_text())["files"]
    return files


def _raw_rows(path: Path) -> Iterator[dict[str, Any]]:
    if path.suffix in (".csv", ".tsv"):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            header = fh.readline()
            fh.seek(0)
            delimiter = max(("\t", ";", ","), key=header.count)
            yield from csv.DictReader(fh, delimiter=delimiter)
    elif path.suffix == ".ndjson":
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                yield json.loads(line)
    else:
        yield from json.loads(path.read_text(encoding="utf-8"))


def _rows(root: Path, entry: dict[str, str]) -> Iterator[dict[str, Any]]:
    """Rows of a manifest entry with columns renamed to canonical fields."""
    columns: dict[str, str] = {}
    if "mapping" in entry:
        columns = yaml.safe_load((root / entry["mapping"]).read_text())["columns"]
    for row in _raw_rows(root / entry["path"]):
        yield {columns.get(k, k): v for k, v in row.items()}


def _truth(root: Path) -> dict[tuple[str, str], dict[str, str]]:
    with (root / "ground_truth.csv").open(encoding="utf-8", newline="") as fh:
        return {(r["source"], r["source_id"]): r for r in csv.DictReader(fh)}


def _customers(root: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    for entry in _manifest(root):
        if entry["kind"] == "customers":
            for row in _rows(root, entry):
                yield entry["source"], row


def _values(value: Any) -> list[str]:
    if not value:
        return []
    return value if isinstance(value, list) else str(value).split("|")


def test_same_seed_writes_byte_identical_files(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    generate_dataset(a, 300, seed=3, progress=False)
    generate_dataset(b, 300, seed=3, progress=False)
    generate_dataset(c, 300, seed=4, progress=False)
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    for rel in files:
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel
    assert (a / "crm/customers.csv").read_bytes() != (c / "crm/customers.csv").read_bytes()


def test_rejects_a_non_positive_customer_count(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        generate_dataset(tmp_path, 0, progress=False)


def test_manifest_lists_customers_first_and_every_file_parses(
    dataset: tuple[Path, DatasetSummary],
) -> None:
    root, summary = dataset
    entries = _manifest(root)
    kinds = [e["kind"] for e in entries]
    assert kinds == sorted(kinds, key=lambda k: k != "customers")
    assert "ground_truth.csv" not in {e["path"] for e in entries}
    for entry in entries:
        spec = SPECS[Kind(entry["kind"])]
        rows = list(_rows(root, entry))
        assert len(rows) == summary.files[entry["path"]] > 0, entry["path"]
        for field in rows[0]:
            assert field in spec.fields or field in ("emails", "device_ids"), (entry, field)
        assert all(row[spec.key] for row in rows)


def test_mappings_cover_exactly_the_file_columns(dataset: tuple[Path, DatasetSummary]) -> None:
    root, _ = dataset
    for entry in _manifest(root):
        if "mapping" not in entry:
            continue
        doc = yaml.safe_load((root / entry["mapping"]).read_text())
        header = next(_raw_rows(root / entry["path"])).keys()
        assert list(doc["columns"]) == list(header)
        assert set(doc["columns"].values()) <= set(SPECS[Kind(entry["kind"])].fields)
        assert doc.get("date_order", "dmy") in ("dmy", "mdy")


def test_crm_file_starts_with_a_bom_and_pos_is_tab_separated(
    dataset: tuple[Path, DatasetSummary],
) -> None:
    root, _ = dataset
    assert (root / "crm/customers.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert "\t" in (root / "pos/loyalty_members.tsv").read_text().splitlines()[0]
    assert (root / "webshop/customers.csv").read_text().startswith("KundenNr;")


def test_ground_truth_covers_exactly_the_customer_records(
    dataset: tuple[Path, DatasetSummary],
) -> None:
    root, summary = dataset
    keys = [(source, row["source_id"]) for source, row in _customers(root)]
    assert len(keys) == len(set(keys)) == summary.records
    truth = _truth(root)
    assert set(keys) == set(truth)
    assert len({r["person_id"] for r in truth.values()}) == PERSONS == summary.persons


def test_activity_references_customers_of_its_own_source(
    dataset: tuple[Path, DatasetSummary],
) -> None:
    root, _ = dataset
    known = set(_truth(root))
    for entry in _manifest(root):
        if entry["kind"] == "customers":
            continue
        for row in _rows(root, entry):
            assert (entry["source"], row["customer_id"]) in known, (entry["path"], row)


def test_households_share_an_address_and_have_two_to_five_members(
    dataset: tuple[Path, DatasetSummary],
) -> None:
    root, summary = dataset
    members: dict[str, set[str]] = defaultdict(set)
    for row in _truth(root).values():
        if row["household_id"]:
            members[row["household_id"]].add(row["person_id"])
    assert len(members) == summary.households > 0
    assert all(2 <= len(m) <= 5 for m in members.values())
    in_households = sum(len(m) for m in members.values())
    assert 0.15 < in_households / PERSONS < 0.35


def test_ring_members_are_distinct_persons_sharing_devices_or_phones(
    dataset: tuple[Path, DatasetSummary],
) -> None:
    root, summary = dataset
    truth = _truth(root)
    rings: dict[str, set[str]] = defaultdict(set)
    for row in truth.values():
        if row["ring_id"]:
            rings[row["ring_id"]].add(row["person_id"])
    assert len(rings) == summary.rings >= 1
    assert all(3 <= len(m) <= 8 for m in rings.values())
    # Every ring member has an app account; each ring reuses a device across members.
    users: dict[tuple[str, str], set[str]] = defaultdict(set)
    for source, row in _customers(root):
        person = truth[(source, row["source_id"])]
        for device in _values(row.get("device_id") or row.get("device_ids")):
            if person["ring_id"]:
                users[(person["ring_id"], device)].add(person["person_id"])
    assert {ring for (ring, _), persons in users.items() if len(persons) > 1} == set(rings)


def test_placeholders_are_shared_by_unrelated_persons(
    dataset: tuple[Path, DatasetSummary],
) -> None:
    root, _ = dataset
    truth = _truth(root)
    holders: dict[str, set[str]] = defaultdict(set)
    for source, row in _customers(root):
        person = truth[(source, row["source_id"])]["person_id"]
        for email in _values(row.get("email") or row.get("emails")):
            holders[email.strip().lower()].add(person)
        for device in _values(row.get("device_id") or row.get("device_ids")):
            holders[device].add(person)
        for phone in _values(row.get("phone")):
            holders["".join(ch for ch in phone if ch.isdigit())[-9:]].add(person)
    assert sum(len(holders[e]) for e in PLACEHOLDER_EMAILS) >= 3
    assert sum(len(holders[d.device_id]) for d in KIOSK_DEVICES) >= 3
    assert max(len(holders[n[-9:]]) for n in SHOP_PHONES.values()) >= 2


def test_vietnamese_names_keep_their_diacritics(dataset: tuple[Path, DatasetSummary]) -> None:
    root, _ = dataset
    names = " ".join(
        str(row.get(k) or "") for _, row in _customers(root) for k in ("last_name", "full_name")
    )
    assert any(name in names for name in ("Nguyễn", "Trần", "Phạm", "Đặng", "Lê", "Võ"))


def test_most_persons_records_share_an_email_phone_or_device(
    dataset: tuple[Path, DatasetSummary],
) -> None:
    root, _ = dataset
    truth = _truth(root)
    evidence: dict[str, list[set[str]]] = defaultdict(list)
    for source, row in _customers(root):
        keys = {e.strip().lower() for e in _values(row.get("email") or row.get("emails"))}
        keys |= set(_values(row.get("device_id") or row.get("device_ids")))
        for raw in _values(row.get("phone")):
            country = row.get("country")
            try:
                number = phonenumbers.parse(raw, country if country in SHOP_PHONES else None)
            except phonenumbers.NumberParseException:
                continue
            keys.add(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))
        evidence[truth[(source, row["source_id"])]["person_id"]].append(keys)
    pairs = linked = 0
    for records in evidence.values():
        for i, a in enumerate(records):
            for b in records[i + 1 :]:
                pairs += 1
                linked += bool(a & b)
    assert linked / pairs > 0.6


def test_crm_loyalty_ids_quote_the_same_persons_pos_card(
    dataset: tuple[Path, DatasetSummary],
) -> None:
    root, _ = dataset
    truth = _truth(root)
    cards: dict[str, str] = {}
    quoted: list[tuple[str, str]] = []
    for source, row in _customers(root):
        card = "".join(ch for ch in str(row.get("loyalty_id") or "") if ch.isdigit())
        person = truth[(source, row["source_id"])]["person_id"]
        if source == "pos":
            cards[card] = person
        elif card:
            quoted.append((card, person))
    assert quoted
    assert all(cards[card] == person for card, person in quoted)


def test_summary_prints_counts_and_every_file(dataset: tuple[Path, DatasetSummary]) -> None:
    _, summary = dataset
    text = str(summary)
    assert text.startswith(f"{PERSONS:,} persons")
    assert all(path in text for path in summary.files)
