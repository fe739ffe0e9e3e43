"""Column mappings: a source's column names mapped onto canonical fields, from YAML.

    columns:            # source column -> canonical field
      KundenNr: source_id
      E-Mail: email
    date_order: dmy     # how ambiguous dates read in this source: dmy or mdy
    default_region: DE  # phone numbers without a country code
    delimiter: ";"      # only when detection would guess wrong
    kind: customers

Columns already named canonically need no entry; other columns are ignored and reported.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from c360graph.sources.fields import ALIASES, SPECS, Kind


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

    @property
    def day_first(self) -> bool | None:
        """True for dmy, False for mdy, None when the mapping does not say."""
        return None if self.date_order is None else self.date_order == "dmy"

    def resolve_columns(self, header: list[str], kind: Kind) -> tuple[dict[str, str], list[str]]:
        """Map each header column to its canonical field; return (mapping, ignored columns)."""
        canonical = set(SPECS[kind].fields)
        resolved: dict[str, str] = {}
        ignored: list[str] = []
        for column in header:
            target = self.columns.get(column) or _canonical_name(column)
            if target in canonical:
                resolved[column] = target
            else:
                ignored.append(column)
        for column, target in self.columns.items():
            if target not in canonical:
                hint = difflib.get_close_matches(target, sorted(canonical), n=1)
                raise MappingError(
                    f"the mapping sends column {column!r} to {target!r}, which is not a field of "
                    f"{kind.value}" + (f"; did you mean {hint[0]!r}?" if hint else "")
                )
        return resolved, ignored


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
    unknown = set(data) - {"columns", "date_order", "default_region", "delimiter", "kind"}
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
    return Mapping(
        columns={str(k): ALIASES.get(str(v), str(v)) for k, v in columns.items()},
        date_order=date_order,
        default_region=data.get("default_region"),
        delimiter=data.get("delimiter"),
        kind=parsed_kind,
    )
