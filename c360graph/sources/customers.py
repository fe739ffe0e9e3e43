"""Preparing customer rows: names, emails, phones, dates, addresses and other identifiers."""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import Any

from c360graph.graph.schema import (
    ADDRESS,
    DEVICE,
    EMAIL,
    IDENTIFIERS,
    LOYALTY_ID,
    NATIONAL_ID,
    PHONE,
    IdentifierKind,
)
from c360graph.normalize.address import normalize_address, normalize_country
from c360graph.normalize.dates import parse_birth_date
from c360graph.normalize.email import is_placeholder_email, normalize_email
from c360graph.normalize.name import display_name, join_name, name_key, name_order, split_name
from c360graph.normalize.phone import normalize_phone, phone_line_type
from c360graph.normalize.text import normalize_gender
from c360graph.sources.records import Context, Fields, Link, Record, RowRejected

_NOT_ALNUM = re.compile(r"[^0-9A-Z]")


def prepare_customer(values: dict[str, Any], ctx: Context) -> Record:
    """Validate and normalize one mapped customer row; RowRejected when it has no key."""
    f = Fields(values)
    source_id = f.key("source_id")
    _require_more_than_an_id(f)
    first, middle, last, full = _names(f, ctx)
    record = Record(
        key=f"{ctx.source}:{source_id}",
        props={
            "key": f"{ctx.source}:{source_id}",
            "source": ctx.source,
            "source_id": source_id,
            "first_name": first,
            "middle_name": middle,
            "last_name": last,
            "full_name": full,
            "first_name_key": name_key(first) if first else None,
            "last_name_key": name_key(last) if last else None,
            "date_of_birth": f.parsed(
                "date_of_birth", lambda raw: parse_birth_date(raw, day_first=ctx.day_first)
            ),
            "gender": normalize_gender(f.text("gender") or ""),
            "loyalty_id": None,
            "created_at": f.moment("created_at", ctx.day_first),
            "updated_at": f.moment("updated_at", ctx.day_first),
        },
    )
    _emails(f, record)
    country = _address(f, record, ctx.default_region) or _country(f)
    record.props.setdefault("country", country)
    # A number without a country code is read in the customer's own country first.
    _phones(f, record, country if country and len(country) == 2 else ctx.default_region)
    for device in f.many("device_id"):
        _add(record, DEVICE, {"device_id": device}, device, device)
    loyalty = f.text("loyalty_id")
    if loyalty:
        value = _NOT_ALNUM.sub("", loyalty.upper()) or loyalty
        record.props["loyalty_id"] = value
        _add(record, LOYALTY_ID, {"value": value}, value, loyalty)
    national = f.text("national_id")
    if national:
        digest = _national_id_hash(national, ctx.id_pepper)
        # Only a keyed hash and the last four characters reach the graph.
        _add(record, NATIONAL_ID, {"hash": digest, "last4": national[-4:]}, digest, "***")
    _declared(f, record)
    record.issues.extend(f.issues)
    return record.seal()


def _require_more_than_an_id(f: Fields) -> None:
    """RowRejected when the row holds its id and nothing else: it would be an empty identity.

    A row whose other values are all unusable (an invalid email) is kept, with the
    problems in `data_issues`, as any bad value is: the row said something, and says what.
    """
    if any(_filled(value) for name, value in f.values.items() if name != "source_id"):
        return
    raise RowRejected(
        "the row has an id and nothing else (no name, email, phone, address or other "
        "field), so it cannot stand for a person; map its other columns (--mapping), or "
        "leave the row out"
    )


def _filled(value: Any) -> bool:
    if isinstance(value, list):
        return any(_filled(item) for item in value)
    return value is not None and str(value).strip() != ""


def _names(f: Fields, ctx: Context) -> tuple[str | None, str | None, str | None, str | None]:
    """(given, middle, family, full); a full name alone is split in the source's name order."""
    order = name_order(ctx.locale, ctx.name_order)
    first = display_name(f.text("first_name") or "")
    last = display_name(f.text("last_name") or "")
    full = display_name(f.text("full_name") or "")
    middle = None
    if full and not (first or last):
        parts = split_name(full, order)
        first, middle, last = parts.given, parts.middle, parts.family
    if not full and (first or last):
        full = join_name(first, last, order)
    return first, middle, last, full


def _add(record: Record, kind: IdentifierKind, node: dict[str, Any], value: str, raw: str) -> None:
    nodes = record.identifiers.setdefault(kind, [])
    links = record.links.setdefault(kind, [])
    if all(link.value != value for link in links):
        nodes.append(node)
        links.append(Link(value, raw))


def _declared(f: Fields, record: Record) -> None:
    """Identifiers of the kinds declared with a column and a normalizer (graph/schema.py)."""
    for kind in IDENTIFIERS:
        if kind.column is None or kind.normalizer is None:
            continue
        for raw in f.many(kind.column):
            node = f.parsed_value(kind.column, raw, kind.normalizer)
            if node:
                _add(record, kind, node, node[kind.key], raw)


def _emails(f: Fields, record: Record) -> None:
    for raw in f.many("email"):
        address = f.parsed_value("email", raw, normalize_email)
        if address:
            node = {"address": address, "domain": address.rsplit("@", 1)[1]}
            if is_placeholder_email(address):
                node["placeholder"] = True
            _add(record, EMAIL, node, address, raw)


def _phones(f: Fields, record: Record, region: str) -> None:
    for raw in f.many("phone"):
        e164 = f.parsed_value("phone", raw, lambda text: normalize_phone(text, region))
        if e164:
            _add(record, PHONE, {"e164": e164, "line_type": phone_line_type(e164)}, e164, raw)


def _country(f: Fields) -> str | None:
    raw = f.text("country")
    return normalize_country(raw) if raw else None


def _address(f: Fields, record: Record, region: str) -> str | None:
    """Add the record's address; return its country code, if known."""
    address = normalize_address(
        f.text("address_line1"),
        f.text("address_line2"),
        f.text("city"),
        f.text("postcode"),
        f.text("region"),
        f.text("country"),
        default_country=region,
    )
    if address is None:
        return None
    node = {
        "key": address.key,
        "line1": address.line1,
        "line2": address.line2,
        "city": address.city,
        "postcode": address.postcode,
        "region": address.region,
        "country": address.country,
    }
    record.props.update(
        {f"address_{k}" if k.startswith("line") else k: v for k, v in node.items() if k != "key"}
    )
    # Only an address with a street line is a place people share: a postcode or a city alone
    # covers thousands of strangers, so it stays on the record and never becomes a node.
    if address.line1 is not None:
        _add(
            record,
            ADDRESS,
            {k: v for k, v in node.items() if v is not None},
            address.key,
            address.key,
        )
    return address.country


def _national_id_hash(raw: str, pepper: str) -> str:
    normalized = _NOT_ALNUM.sub("", raw.upper())
    return hmac.new(pepper.encode(), normalized.encode(), hashlib.sha256).hexdigest()[:32]
