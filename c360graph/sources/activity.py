"""Preparing activity rows: orders, interactions, tickets and device links, each tied to a
customer."""

from __future__ import annotations

from typing import Any

from c360graph.graph.schema import DEVICE
from c360graph.normalize import InvalidValue
from c360graph.normalize.amount import Amount, check_currency, parse_amount
from c360graph.normalize.channel import normalize_channel
from c360graph.normalize.text import clean_paragraphs
from c360graph.normalize.ticket import ticket_status
from c360graph.sources.problems import Issue
from c360graph.sources.records import MAX_TEXT, Context, Fields, Record, slug


def customer_refs(f: Fields, ctx: Context) -> dict[str, Any]:
    """The customer a row belongs to: its key, source and id (customer_id is required)."""
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
        f.issues.append(Issue("channel", "missing; recorded as 'unknown'"))
        return "unknown"
    return str(channel)


def _amount_and_currency(f: Fields, ctx: Context) -> tuple[float | None, str | None]:
    """The order's amount and currency: the row's currency column, else the amount's own
    symbol or code, else the mapping's default currency."""
    column = f.text("currency")
    currency: str | None = None
    if column:
        try:
            currency = check_currency(column)
        except InvalidValue as exc:
            f.issues.append(Issue("currency", str(exc), column))
    known = currency or ctx.currency
    parsed: Amount | None = f.parsed("amount", lambda raw: parse_amount(raw, ctx.locale, known))
    if parsed is None:
        return None, currency or ctx.currency
    return parsed.value, currency or parsed.currency or ctx.currency


def prepare_order(values: dict[str, Any], ctx: Context) -> Record:
    """Validate and normalize one mapped order row; RowRejected without order or customer id."""
    f = Fields(values)
    order_id = f.key("order_id")
    refs = customer_refs(f, ctx)
    amount, currency = _amount_and_currency(f, ctx)
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
    refs = customer_refs(f, ctx)
    refs["channel"] = _channel(f)
    kind = f.text("type")
    if kind is None:
        f.issues.append(Issue("type", "missing; recorded as 'other'"))
    return _interaction_record(
        f,
        ctx,
        refs,
        {
            "interaction_id": interaction_id,
            "type": slug(kind) if kind else "other",
            "occurred_at": f.moment("occurred_at", ctx.day_first),
            "subject": f.text("subject"),
            "text": f.text("text", limit=MAX_TEXT),
            "rating": f.parsed("rating", _rating),
        },
    )


def prepare_ticket(values: dict[str, Any], ctx: Context) -> Record:
    """Validate and normalize one mapped support-desk ticket row: an interaction of type
    ticket whose `text` is the body (line breaks kept), `occurred_at` the opening time, with a
    status and the desk's last update (an unknown status is kept out, with an issue)."""
    f = Fields(values)
    ticket_id = f.key("ticket_id")
    refs = customer_refs(f, ctx)
    refs["channel"] = _channel(f)
    return _interaction_record(
        f,
        ctx,
        refs,
        {
            "interaction_id": ticket_id,
            "type": "ticket",
            "status": f.parsed("status", ticket_status),
            "occurred_at": f.moment("opened_at", ctx.day_first),
            "updated_at": f.moment("updated_at", ctx.day_first),
            "subject": f.text("subject"),
            "text": f.text("body", limit=MAX_TEXT, clean=clean_paragraphs),
        },
    )


def _interaction_record(
    f: Fields, ctx: Context, refs: dict[str, Any], props: dict[str, Any]
) -> Record:
    """The :Interaction record of a row (`refs` name its customer and channel)."""
    key = f"{ctx.source}:{props['interaction_id']}"
    record = Record(key=key, props={"key": key, "source": ctx.source, **props}, refs=refs)
    record.issues.extend(f.issues)
    return record.seal()


def prepare_device_link(values: dict[str, Any], ctx: Context) -> Record:
    """Validate and normalize one row of a devices file: a customer using a device."""
    f = Fields(values)
    device_id = f.key("device_id")
    refs = customer_refs(f, ctx)
    record = Record(
        key=f"{refs['customer_key']}|{device_id}",
        props={
            "first_seen": f.moment("first_seen", ctx.day_first),
            "last_seen": f.moment("last_seen", ctx.day_first),
        },
        identifiers={DEVICE: [{"device_id": device_id}]},
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
