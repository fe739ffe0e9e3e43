"""Record features as the columns Splink compares: one row per record, lists as lists.

Splink reads a table; our normalizers have already done the hard part (folded names,
canonical nicknames, E.164 phones, email local keys, address keys), so the columns are
the features themselves. Multi-valued identifiers stay lists: comparisons intersect them.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyarrow as pa

from c360graph.resolve.features import Feat
from c360graph.resolve.records import Rec

_TEXT = pa.string()
_LIST = pa.list_(pa.string())

# Column -> arrow type. Comparisons (model/levels.py) name these columns.
SCHEMA = pa.schema(
    [
        ("unique_id", _TEXT),
        ("source", _TEXT),
        ("name_tokens", _LIST),  # folded tokens of first, last and full name
        ("name_canon", _LIST),  # the same with nicknames made canonical
        ("name_key", _TEXT),  # canonical tokens sorted and joined: order-free full name
        ("first_name", _TEXT),  # folded first name (all its tokens)
        ("surname", _TEXT),  # folded last name
        ("dob", pa.date32()),
        ("dob_text", _TEXT),  # ISO date: typo levels compare the digits
        ("gender", _TEXT),
        ("address", _TEXT),  # address line key: "12 baker st"
        ("postcode", _TEXT),
        ("postcode_area", _TEXT),
        ("city", _TEXT),
        ("emails", _LIST),
        ("email_locals", _LIST),
        ("email_local_rests", _LIST),  # "local:rest": the mailbox name less the own name
        ("phones", _LIST),
        ("phone7", _LIST),
        ("devices", _LIST),
        ("loyalty_ids", _LIST),
        ("national_ids", _LIST),
    ]
)


def _text(value: str) -> str | None:
    return value or None


def _list(values: tuple[str, ...]) -> list[str] | None:
    return list(values) or None


def row(rec: Rec, f: Feat) -> dict[str, object]:
    """One record's columns; None where the record lacks the field (Splink's null level)."""
    return {
        "unique_id": f.key,
        "source": rec.source,
        "name_tokens": _list(f.tokens),
        "name_canon": _list(f.canon),
        "name_key": _text(f.canon_sorted),
        "first_name": _text(" ".join(f.given)),
        "surname": _text(f.last),
        "dob": f.dob,
        "dob_text": f.dob.isoformat() if f.dob else None,
        "gender": _text((rec.gender or "").lower()),
        "address": _text(f.address),
        "postcode": _text(f.postcode),
        "postcode_area": _text(f.postcode_area),
        "city": _text(f.city),
        "emails": _list(f.emails),
        "email_locals": _list(f.email_locals),
        "email_local_rests": _list(f.email_local_rests),
        "phones": _list(f.phones),
        "phone7": _list(f.phone7),
        "devices": _list(f.devices),
        "loyalty_ids": _list(f.loyalty_ids),
        "national_ids": _list(f.national_ids),
    }


def records_table(pairs: Iterable[tuple[Rec, Feat]]) -> pa.Table:
    """The table of every record Splink may compare (stubs left out: they never match)."""
    columns: dict[str, list[object]] = {name: [] for name in SCHEMA.names}
    for rec, f in pairs:
        if f.stub:
            continue
        for name, value in row(rec, f).items():
            columns[name].append(value)
    return pa.table(columns, schema=SCHEMA)


def filled(table: pa.Table) -> dict[str, float]:
    """Per column, the share of records that have a value (which comparisons can learn)."""
    rows = max(1, table.num_rows)
    return {name: 1 - table.column(name).null_count / rows for name in SCHEMA.names}
