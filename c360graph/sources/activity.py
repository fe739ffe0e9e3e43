"""Preparing activity rows: orders, interactions and device links, each tied to a customer."""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from c360graph.normalize import InvalidValue
from c360graph.normalize.channel import normalize_channel
from c360graph.sources.records import MAX_TEXT, Context, Fields, Record, slug

_SYMBOLS = {"£": "GBP", "€": "EUR", "$": "USD", "₫": "VND", "¥": "JPY", "₹": "INR"}
_CURRENCY = re.compile(r"^[A-Z]{3}$")
# A number with thousands separators, optionally between currency letters (EUR, US, kr.):
# anything else (a formula like =1+2, an exponent, words) is not an amount.
_AMOUNT = re.compile(
    r"(?:[^\W\d_]{1,3}\.?)?\s*(?P<number>[-+]?\s*\d[\d\s.,'’]*?)\s*(?:[^\W\d_]{1,3}\.?)?"
)
_AMOUNT_SPACING = re.compile(r"[\s'’]")


def _customer_refs(f: Fields, ctx: Context) -> dict[str, Any]:
    customer_id = f.key("customer_id")
    customer_source = f.text("customer_source", limit=100) or ctx.source
    return {
        "customer_key": f"{customer_source}:{customer_id}",
        "customer_source": customer_source,
        "customer_id": customer_id,
    }


def _channel(f: Fields) -> str:
    channel = f.parsed("channel", normalize_channel)
    if channel is None:
        f.issues.append("channel: missing; recorded as 'unknown'")
        return "unknown"
    return str(channel)


def parse_amount(raw: str) -> tuple[float, str | None]:
    """An amount and the currency its symbol implies: '£1.234,50' -> (1234.5, 'GBP')."""
    currency = next((code for symbol, code in _SYMBOLS.items() if symbol in raw), None)
    stripped = raw
    for symbol in _SYMBOLS:
        stripped = stripped.replace(symbol, "")
    match = _AMOUNT.fullmatch(stripped.strip())
    if match is None:
        raise InvalidValue(f"amount {raw!r} is not a number; expected e.g. 12.50 or £1,234.50")
    text = _AMOUNT_SPACING.sub("", match["number"])
    if "," in text and "." in text:
        # Whichever separator comes last is the decimal one.
        text = (
            text.replace(",", "")
            if text.rfind(".") > text.rfind(",")
            else text.replace(".", "").replace(",", ".")
        )
    elif "," in text:
        head, _, tail = text.rpartition(",")
        text = f"{head.replace(',', '')}.{tail}" if len(tail) != 3 else text.replace(",", "")
    try:
        amount = float(Decimal(text))
    except InvalidOperation as exc:
        raise InvalidValue(f"amount {raw!r} is not a number; expected e.g. 12.50") from exc
    if not math.isfinite(amount):
        shown = raw if len(raw) <= 40 else f"{raw[:20]}...({len(raw)} characters)"
        raise InvalidValue(f"amount {shown!r} is too large to be an amount; check the value")
    return amount, currency


def prepare_order(values: dict[str, Any], ctx: Context) -> Record:
    """Validate and normalize one mapped order row; RowRejected without order or customer id."""
    f = Fields(values)
    order_id = f.key("order_id")
    refs = _customer_refs(f, ctx)
    amount, symbol_currency = f.parsed("amount", parse_amount) or (None, None)
    currency = (f.text("currency") or symbol_currency or "").upper() or None
    if currency and not _CURRENCY.match(currency):
        f.issues.append(f"currency: {currency!r} is not an ISO 4217 code like GBP")
        currency = None
    refs["channel"] = _channel(f)
    status = f.text("status")
    record = Record(
        key=f"{ctx.source}:{order_id}",
        props={
            "key": f"{ctx.source}:{order_id}",
            "source": ctx.source,
            "order_id": order_id,
            "amount": amount,
            "currency": currency,
            "ordered_at": f.moment("ordered_at", ctx.day_first),
            "status": slug(status) if status else None,
        },
        refs=refs,
    )
    record.issues.extend(f.issues)
    return record.seal()


def _rating(raw: str) -> float:
    try:
        rating = float(raw.replace(",", "."))
    except ValueError as exc:
        raise InvalidValue(f"rating {raw!r} is not a number; expected e.g. 4 or 4.5") from exc
    if not 0 <= rating <= 10:
        raise InvalidValue(f"rating {raw!r} is outside 0-10")
    return rating


def prepare_interaction(values: dict[str, Any], ctx: Context) -> Record:
    """Validate and normalize one mapped interaction row (ticket, survey, session, ...)."""
    f = Fields(values)
    interaction_id = f.key("interaction_id")
    refs = _customer_refs(f, ctx)
    refs["channel"] = _channel(f)
    kind = f.text("type")
    if kind is None:
        f.issues.append("type: missing; recorded as 'other'")
    record = Record(
        key=f"{ctx.source}:{interaction_id}",
        props={
            "key": f"{ctx.source}:{interaction_id}",
            "source": ctx.source,
            "interaction_id": interaction_id,
            "type": slug(kind) if kind else "other",
            "occurred_at": f.moment("occurred_at", ctx.day_first),
            "subject": f.text("subject"),
            "text": f.text("text", limit=MAX_TEXT),
            "rating": f.parsed("rating", _rating),
        },
        refs=refs,
    )
    record.issues.extend(f.issues)
    return record.seal()


def prepare_device_link(values: dict[str, Any], ctx: Context) -> Record:
    """Validate and normalize one row of a devices file: a customer using a device."""
    f = Fields(values)
    device_id = f.key("device_id")
    refs = _customer_refs(f, ctx)
    record = Record(
        key=f"{refs['customer_key']}|{device_id}",
        props={
            "first_seen": f.moment("first_seen", ctx.day_first),
            "last_seen": f.moment("last_seen", ctx.day_first),
        },
        identifiers={"devices": [{"device_id": device_id}]},
        refs={
            **refs,
            "device_id": device_id,
            "device": {
                k: v for k, v in (("device_type", f.text("device_type")), ("os", f.text("os"))) if v
            },
        },
    )
    record.issues.extend(f.issues)
    return record.seal()
