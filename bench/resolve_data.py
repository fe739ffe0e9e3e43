"""Generated data as resolution sees it: Rec objects, ground truth and rule candidates.

Reads a generated dataset with the project's own readers and preparation (no database), so
the records are exactly what ingest would store. Shared identifiers (placeholders, and values
used by too many records or names) are dropped from the Recs, as the graph export does.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from c360graph.graph.load import read_manifest
from c360graph.graph.schema import DEVICE, EMAIL, LOYALTY_ID, NATIONAL_ID, PHONE, IdentifierKind
from c360graph.normalize.email import is_placeholder_email
from c360graph.resolve.records import Rec
from c360graph.resolve.settings import SharedIdentifiers
from c360graph.sources.customers import prepare_customer
from c360graph.sources.fields import ALIASES, SPECS, Kind
from c360graph.sources.mapping import load_mapping
from c360graph.sources.readers import open_source
from c360graph.sources.records import Context, Record, RowRejected

IDENTIFIER_RULES = {
    "same_email": "emails",
    "same_phone": "phones",
    "same_device": "devices",
    "same_loyalty_id": "loyalty_ids",
}


@dataclass(frozen=True)
class Truth:
    """Who each record really is."""

    person: dict[str, str]  # record key -> person_id
    household: dict[str, str]  # record key -> household_id ("" when none)
    ring: dict[str, str]  # record key -> ring_id ("" when none)


def _rows(entry_path: Path, mapping_path: Path | None) -> Iterator[tuple[dict[str, Any], Context]]:
    mapping = load_mapping(mapping_path)
    source_file = open_source(entry_path, mapping.delimiter)
    if source_file.format == "csv":
        column_map, _ = mapping.resolve_columns(source_file.header, Kind.CUSTOMERS)
    elif mapping.columns:
        column_map = {**{f: f for f in SPECS[Kind.CUSTOMERS].fields}, **mapping.columns}
    else:
        column_map = {}
    day_first = True if mapping.day_first is None else mapping.day_first
    ctx_region = (mapping.default_region or "GB").upper()
    for row in source_file.rows():
        if row.problem:
            continue
        if column_map:
            values = {column_map[c]: v for c, v in row.values.items() if c in column_map}
        else:
            values = {ALIASES.get(c, c): v for c, v in row.values.items()}
        yield values, Context(source="", day_first=day_first, default_region=ctx_region)


def to_rec(record: Record) -> Rec:
    """Map a prepared customer Record onto the Rec resolution works with."""
    p = record.props

    def values(kind: IdentifierKind) -> tuple[str, ...]:
        return tuple(link.value for link in record.links.get(kind, []))

    return Rec(
        key=record.key,
        source=p["source"],
        first_name=p.get("first_name"),
        last_name=p.get("last_name"),
        full_name=p.get("full_name"),
        first_name_key=p.get("first_name_key"),
        last_name_key=p.get("last_name_key"),
        date_of_birth=p.get("date_of_birth"),
        gender=p.get("gender"),
        address_line1=p.get("address_line1"),
        address_line2=p.get("address_line2"),
        city=p.get("city"),
        postcode=p.get("postcode"),
        region=p.get("region"),
        country=p.get("country"),
        emails=values(EMAIL),
        phones=values(PHONE),
        devices=values(DEVICE),
        loyalty_ids=values(LOYALTY_ID),
        national_ids=values(NATIONAL_ID),
        updated_at=p.get("updated_at") or p.get("created_at"),
    )


def load_recs(data_dir: Path) -> list[Rec]:
    """Every customer record of a generated dataset, prepared as ingest would."""
    recs: list[Rec] = []
    for entry in read_manifest(data_dir / "manifest.yaml"):
        if entry.kind != Kind.CUSTOMERS:
            continue
        for values, ctx in _rows(entry.path, entry.mapping):
            ctx = Context(entry.source, ctx.day_first, ctx.default_region)
            try:
                recs.append(to_rec(prepare_customer(values, ctx)))
            except RowRejected:
                continue
    return recs


def load_truth(data_dir: Path) -> Truth:
    """ground_truth.csv as record key -> person, household and ring ids."""
    person, household, ring = {}, {}, {}
    with (data_dir / "ground_truth.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            key = f"{row['source']}:{row['source_id']}"
            person[key] = row["person_id"]
            household[key] = row["household_id"]
            ring[key] = row["ring_id"]
    return Truth(person, household, ring)


def _name(rec: Rec) -> str:
    return " ".join(sorted(p for p in (rec.first_name_key, rec.last_name_key) if p))


def strip_shared(recs: list[Rec], limits: SharedIdentifiers) -> tuple[list[Rec], int]:
    """Drop placeholder emails and identifier values shared too widely; return (recs, dropped)."""
    users: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, rec in enumerate(recs):
        for attr in IDENTIFIER_RULES.values():
            for value in getattr(rec, attr):
                users[(attr, value)].append(i)
    shared: set[tuple[str, str]] = set()
    for (attr, value), idx in users.items():
        names = {_name(recs[i]) for i in idx} - {""}
        placeholder = attr == "emails" and is_placeholder_email(value)
        if placeholder or len(idx) > limits.max_records or len(names) > limits.max_distinct_names:
            shared.add((attr, value))
    out: list[Rec] = []
    for rec in recs:
        changes = {
            attr: tuple(v for v in getattr(rec, attr) if (attr, v) not in shared)
            for attr in IDENTIFIER_RULES.values()
        }
        out.append(replace(rec, **changes))
    return out, len(shared)


def rule_candidates(recs: list[Rec]) -> dict[tuple[str, str], tuple[list[str], list[str]]]:
    """Pairs the deterministic rules would emit: (a, b) -> (rule ids, shared values)."""
    users: dict[tuple[str, str], list[str]] = defaultdict(list)
    for rec in recs:
        for rule, attr in IDENTIFIER_RULES.items():
            for value in getattr(rec, attr):
                users[(rule, value)].append(rec.key)
    pairs: dict[tuple[str, str], tuple[list[str], list[str]]] = {}
    for (rule, value), keys in users.items():
        keys = sorted(set(keys))
        for x in range(len(keys)):
            for y in range(x + 1, len(keys)):
                rules, evidence = pairs.setdefault((keys[x], keys[y]), ([], []))
                if rule not in rules:
                    rules.append(rule)
                evidence.append(value)
    return pairs
