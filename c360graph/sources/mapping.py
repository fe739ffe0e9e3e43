"""Column mappings: a source's column names mapped onto canonical fields, from YAML.

    columns:            # source column -> canonical field
      KundenNr: source_id
      E-Mail: email
    date_order: dmy     # how ambiguous dates read in this source: dmy or mdy
    default_region: DE  # phone numbers without a country code
    delimiter: ";"      # only when detection would guess wrong
    kind: customers
    locale: vi_VN       # how amounts are written and which name comes first
    currency: VND       # the currency of amounts that name none
    name_order: family_first  # or given_first; default: from the locale's language

Columns already named canonically need no entry; other columns are ignored and reported.
A mapped column that the file does not have is an error, not a silent gap. Column names are
compared in Unicode NFC, so a header written decomposed (NFD, as macOS tools do) matches the
same text in the mapping. Nested JSON fields are named by their dotted path (`khach_hang.id`).
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from c360graph.normalize import InvalidValue
from c360graph.normalize.amount import check_currency, check_locale
from c360graph.normalize.name import NAME_ORDERS
from c360graph.sources.fields import ALIASES, CARRIED_CUSTOMER_FIELDS, SPECS, Kind

_KEYS = frozenset(
    {"columns", "date_order", "default_region", "delimiter", "kind", "locale", "currency",
     "name_order"}
)  # fmt: skip


class MappingError(ValueError):
    """A mapping file is malformed or maps onto an unknown field."""


@dataclass(frozen=True)
class Mapping:
    """How one source's columns map onto a kind's canonical fields."""

    columns: dict[str, str] = field(default_factory=dict)
    date_order: str | None = None
    default_region: str | None = None
    delimiter: str | None = None
    kind: Kind | None = None
    locale: str | None = None
    currency: str | None = None
    name_order: str | None = None

    @property
    def day_first(self) -> bool | None:
        """True for dmy, False for mdy, None when the mapping does not say."""
        return None if self.date_order is None else self.date_order == "dmy"

    def resolve_columns(self, header: list[str], kind: Kind) -> tuple[dict[str, str], list[str]]:
        """Map each header column to its canonical field; return (mapping, ignored columns).

        Customer details an order export carries (CARRIED_CUSTOMER_FIELDS) map too."""
        canonical = accepted_fields(kind)
        self.check_columns(header, kind)
        resolved: dict[str, str] = {}
        ignored: list[str] = []
        for column in header:
            target = self.columns.get(nfc(column)) or _canonical_name(column)
            if target in canonical:
                resolved[column] = target
            else:
                ignored.append(column)
        return resolved, ignored

    def check_columns(self, present: Iterable[str], kind: Kind, what: str = "header") -> None:
        """MappingError when the mapping names a column the file lacks or an unknown field."""
        canonical = accepted_fields(kind)
        found = {nfc(column) for column in present}
        missing = [column for column in self.columns if column not in found]
        if missing:
            hint = difflib.get_close_matches(missing[0], sorted(found), n=1)
            raise MappingError(
                f"the mapping names column {missing[0]!r}, which is not in the file's {what} "
                f"({', '.join(repr(c) for c in sorted(found)[:12])})"
                + (f"; did you mean {hint[0]!r}?" if hint else "")
                + "; correct the mapping's key, or remove it if the export no longer has it"
            )
        for column, target in self.columns.items():
            if target not in canonical:
                hint = difflib.get_close_matches(target, sorted(canonical), n=1)
                raise MappingError(
                    f"the mapping sends column {column!r} to {target!r}, which is not a field of "
                    f"{kind.value}" + (f"; did you mean {hint[0]!r}?" if hint else "")
                )


def accepted_fields(kind: Kind) -> set[str]:
    """The fields a file of this kind may map onto: its own and the customer details it may
    carry (an order export with the customer's name, email, phone)."""
    return set(SPECS[kind].fields) | set(CARRIED_CUSTOMER_FIELDS.get(kind, ()))


def nfc(name: str) -> str:
    """A column name in Unicode NFC, the form mappings and headers are compared in."""
    return unicodedata.normalize("NFC", name)


def _canonical_name(column: str) -> str:
    name = column.strip().lower().replace(" ", "_").replace("-", "_")
    return ALIASES.get(name, name)


def load_mapping(path: Path | None) -> Mapping:
    """Read a mapping YAML file (None gives the identity mapping); MappingError when bad."""
    if path is None:
        return Mapping()
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise MappingError(f"cannot read mapping {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise MappingError(f"mapping {path} must be a YAML mapping with a 'columns:' section")
    unknown = set(data) - _KEYS
    if unknown:
        raise MappingError(f"mapping {path} has unknown keys {sorted(unknown)}")
    columns = data.get("columns") or {}
    if not isinstance(columns, dict):
        raise MappingError(f"'columns' in {path} must map source column names to fields")
    date_order = data.get("date_order")
    if date_order not in (None, "dmy", "mdy"):
        raise MappingError(f"date_order in {path} must be dmy or mdy, got {date_order!r}")
    kind = data.get("kind")
    try:
        parsed_kind = Kind(kind) if kind else None
    except ValueError as exc:
        raise MappingError(f"kind in {path} must be one of {[k.value for k in Kind]}") from exc
    name_order = data.get("name_order")
    if name_order not in (None, *NAME_ORDERS):
        raise MappingError(
            f"name_order in {path} must be {' or '.join(NAME_ORDERS)}, got {name_order!r}"
        )
    try:
        locale = check_locale(str(data["locale"])) if data.get("locale") else None
        currency = check_currency(str(data["currency"])) if data.get("currency") else None
    except InvalidValue as exc:
        raise MappingError(f"mapping {path}: {exc}") from exc
    return Mapping(
        columns={nfc(str(k)): ALIASES.get(str(v), str(v)) for k, v in columns.items()},
        date_order=date_order,
        default_region=data.get("default_region"),
        delimiter=data.get("delimiter"),
        kind=parsed_kind,
        locale=locale,
        currency=currency,
        name_order=name_order,
    )
