"""The source systems of the sample dataset as data: files, columns, formats and habits."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import yaml

from c360graph.generate.phones import INTERNATIONAL_STYLES, NATIONAL_STYLES, PLUS_STYLES
from c360graph.sources.fields import (
    CONSENT_FIELDS,
    DEVICE_FIELDS,
    INTERACTION_FIELDS,
    ORDER_FIELDS,
    TICKET_FIELDS,
    Kind,
)


def _same(*names: str) -> tuple[tuple[str, str], ...]:
    return tuple((n, n) for n in names)


@dataclass(frozen=True)
class CustomerSource:
    """A customer file: its (file column, canonical field) pairs and how its data tends to look."""

    name: str
    path: str
    columns: tuple[tuple[str, str], ...]
    weight: float  # relative chance that a person has an account in this system
    id_style: str
    delimiter: str = ","
    bom: bool = False
    mapping: str = ""  # relative path of the mapping file; "" when the columns are canonical
    date_order: str = ""
    dob_styles: tuple[str, ...] = ("iso",)
    created_style: str = "iso_z"
    phone_styles: tuple[str, ...] = PLUS_STYLES
    missing: tuple[tuple[str, float], ...] = ()  # per canonical field: chance it is left empty
    multi: tuple[str, ...] = ()  # canonical fields holding every known value, not one
    ascii_only: bool = False  # legacy systems that cannot store diacritics
    upper_rate: float = 0.0  # chance a clerk typed the name in capitals
    stale_rate: float = 0.3  # chance a moved person still has the old address here
    typo_rate: float = 0.04
    country_names: bool = False  # country sometimes written as a name, not an ISO code

    @cached_property
    def missing_rates(self) -> dict[str, float]:
        """Chance each canonical field is left empty, by field (absent: never)."""
        return dict(self.missing)

    @cached_property
    def fields(self) -> frozenset[str]:
        """Canonical fields this source fills."""
        return frozenset(key for _, key in self.columns)


@dataclass(frozen=True)
class ActivityFile:
    """An orders, interactions or devices file of one source."""

    path: str
    source: str
    kind: Kind
    columns: tuple[tuple[str, str], ...]
    ts_style: str = "iso_z"
    mapping: str = ""
    date_order: str = ""


_ADDRESS = ("address_line1", "address_line2", "city", "postcode", "region", "country")

CUSTOMER_SOURCES: tuple[CustomerSource, ...] = (
    CustomerSource(
        "crm",
        "crm/customers.csv",
        _same(
            "source_id",
            "first_name",
            "last_name",
            "email",
            "phone",
            "date_of_birth",
            "gender",
            *_ADDRESS,
            "loyalty_id",
            "created_at",
            "updated_at",
        ),
        weight=0.50,
        id_style="crm",
        bom=True,
        multi=("email", "phone"),
        phone_styles=NATIONAL_STYLES + INTERNATIONAL_STYLES,
        missing=(
            ("email", 0.08),
            ("phone", 0.10),
            ("date_of_birth", 0.15),
            ("gender", 0.2),
            ("address_line1", 0.05),
            ("region", 0.3),
        ),
    ),
    CustomerSource(
        "webshop",
        "webshop/customers.csv",
        (
            ("KundenNr", "source_id"),
            ("Vorname", "first_name"),
            ("Nachname", "last_name"),
            ("E-Mail", "email"),
            ("Telefon", "phone"),
            ("Geburtsdatum", "date_of_birth"),
            ("Strasse", "address_line1"),
            ("Adresszusatz", "address_line2"),
            ("PLZ", "postcode"),
            ("Ort", "city"),
            ("Land", "country"),
            ("Angelegt", "created_at"),
        ),
        weight=0.55,
        id_style="numeric",
        delimiter=";",
        mapping="webshop/mapping.yaml",
        date_order="dmy",
        dob_styles=("dmy_dot", "dmy_dot", "dmy_dot", "dmy_slash", "iso"),
        created_style="dmy_dot_hm",
        phone_styles=NATIONAL_STYLES + INTERNATIONAL_STYLES,
        missing=(("phone", 0.25), ("date_of_birth", 0.45)),
        stale_rate=0.4,
        country_names=True,
    ),
    CustomerSource(
        "pos",
        "pos/loyalty_members.tsv",
        (
            ("loyalty_id", "source_id"),
            ("card_number", "loyalty_id"),
            ("full_name", "full_name"),
            ("phone", "phone"),
            ("email", "email"),
            ("postcode", "postcode"),
            ("date_of_birth", "date_of_birth"),
            ("country", "country"),
            ("joined", "created_at"),
        ),
        weight=0.35,
        id_style="loyalty",
        mapping="pos/mapping.yaml",
        date_order="mdy",
        dob_styles=("mdy_slash", "mdy_slash", "mdy_slash", "iso", "iso"),
        created_style="mdy_hm",
        phone_styles=NATIONAL_STYLES,
        missing=(("phone", 0.1), ("email", 0.5), ("date_of_birth", 0.3), ("postcode", 0.1)),
        ascii_only=True,
        upper_rate=0.4,
        stale_rate=0.5,
        typo_rate=0.07,
    ),
    CustomerSource(
        "support",
        "support/contacts.ndjson",
        (
            ("source_id", "source_id"),
            ("first_name", "first_name"),
            ("last_name", "last_name"),
            ("emails", "email"),
            ("phone", "phone"),
            ("country", "country"),
            ("created_at", "created_at"),
        ),
        weight=0.20,
        id_style="ticketing",
        multi=("email",),
        phone_styles=NATIONAL_STYLES + INTERNATIONAL_STYLES,
        missing=(("phone", 0.3), ("last_name", 0.1)),
        typo_rate=0.06,
    ),
    CustomerSource(
        "app",
        "app/users.json",
        (
            *_same("source_id", "first_name", "last_name", "email", "phone"),
            ("device_ids", "device_id"),
            ("created_at", "created_at"),
        ),
        weight=0.30,
        id_style="uuid",
        created_style="iso_ms",
        multi=("device_id",),
        missing=(("phone", 0.25), ("last_name", 0.1)),
    ),
    CustomerSource(
        "newsletter",
        "newsletter/signups.csv",
        _same("source_id", "email", "first_name", "created_at"),
        weight=0.30,
        id_style="hex",
        created_style="iso_space",
        missing=(("first_name", 0.2),),
    ),
    CustomerSource(
        "social",
        "social/profiles.csv",
        _same("source_id", "full_name", "email"),
        weight=0.12,
        id_style="handle",
        missing=(("email", 0.6),),
        typo_rate=0.03,
    ),
)
SOURCES_BY_NAME = {s.name: s for s in CUSTOMER_SOURCES}
ORDER_SOURCES = ("webshop", "pos", "app")

ACTIVITY_FILES: tuple[ActivityFile, ...] = (
    ActivityFile(
        "webshop/orders.csv",
        "webshop",
        Kind.ORDERS,
        _same(*ORDER_FIELDS),
        ts_style="dmy_hm",
        mapping="webshop/orders_mapping.yaml",
        date_order="dmy",
    ),
    ActivityFile("pos/sales.csv", "pos", Kind.ORDERS, _same(*ORDER_FIELDS), ts_style="iso_space"),
    ActivityFile("app/orders.ndjson", "app", Kind.ORDERS, _same(*ORDER_FIELDS), ts_style="iso_ms"),
    ActivityFile("support/tickets.ndjson", "support", Kind.TICKETS, _same(*TICKET_FIELDS)),
    ActivityFile(
        "support/feedback.ndjson", "support", Kind.INTERACTIONS, _same(*INTERACTION_FIELDS)
    ),
    ActivityFile(
        "app/sessions.ndjson",
        "app",
        Kind.INTERACTIONS,
        _same(*INTERACTION_FIELDS),
        ts_style="iso_ms",
    ),
    ActivityFile(
        "newsletter/campaigns.csv",
        "newsletter",
        Kind.INTERACTIONS,
        _same(*INTERACTION_FIELDS),
        ts_style="dmy_hm",
        mapping="newsletter/campaigns_mapping.yaml",
        date_order="dmy",
    ),
    ActivityFile("social/mentions.ndjson", "social", Kind.INTERACTIONS, _same(*INTERACTION_FIELDS)),
    ActivityFile("app/devices.csv", "app", Kind.DEVICES, _same(*DEVICE_FIELDS)),
    ActivityFile(
        "crm/consents.csv",
        "crm",
        Kind.CONSENTS,
        _same(*CONSENT_FIELDS),
        ts_style="iso_space",
    ),
    ActivityFile(
        "newsletter/consents.csv",
        "newsletter",
        Kind.CONSENTS,
        _same(*CONSENT_FIELDS),
        ts_style="iso_space",
    ),
)
ACTIVITY_BY_PATH = {a.path: a for a in ACTIVITY_FILES}

GROUND_TRUTH = "ground_truth.csv"
GROUND_TRUTH_COLUMNS = _same("source", "source_id", "person_id", "household_id", "ring_id")


def _mapping_doc(columns: tuple[tuple[str, str], ...], date_order: str) -> dict[str, object]:
    doc: dict[str, object] = {"columns": dict(columns)}
    if date_order:
        doc["date_order"] = date_order
    return doc


def write_manifest(out_dir: Path) -> Path:
    """Write manifest.yaml (customer files first) and every mapping file it names."""
    entries: list[dict[str, str]] = []
    files: list[tuple[str, str, Kind, tuple[tuple[str, str], ...], str, str]] = [
        (s.path, s.name, Kind.CUSTOMERS, s.columns, s.mapping, s.date_order)
        for s in CUSTOMER_SOURCES
    ]
    files += [
        (a.path, a.source, a.kind, a.columns, a.mapping, a.date_order) for a in ACTIVITY_FILES
    ]
    for path, source, kind, columns, mapping, date_order in files:
        entry = {"path": path, "source": source, "kind": str(kind)}
        if mapping:
            entry["mapping"] = mapping
            text = yaml.safe_dump(
                _mapping_doc(columns, date_order), sort_keys=False, allow_unicode=True
            )
            (out_dir / mapping).write_text(text, encoding="utf-8")
        entries.append(entry)
    manifest = out_dir / "manifest.yaml"
    manifest.write_text(yaml.safe_dump({"files": entries}, sort_keys=False), encoding="utf-8")
    return manifest
