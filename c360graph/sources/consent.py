"""Preparing consent rows: one customer's marketing preference on one channel, with its time.

A row without a customer, a channel, a status or a time is rejected with the reason: a
consent that cannot be told apart or ordered against the others cannot be honoured.
A row without a `consent_id` is keyed by its customer, channel and time, so re-ingesting
the same export changes nothing.
"""

from __future__ import annotations

from typing import Any

from c360graph.normalize import InvalidValue
from c360graph.normalize.consent import consent_channel, consent_status, precedence
from c360graph.sources.activity import customer_refs
from c360graph.sources.records import Context, Fields, Record, RowRejected


def _required(f: Fields, name: str, parse: Any, hint: str) -> str:
    raw = f.text(name)
    if raw is None:
        raise RowRejected(f"missing {name}: {hint}")
    try:
        value: str = parse(raw)
    except InvalidValue as exc:
        raise RowRejected(f"{name}: {exc}") from exc
    return value


def prepare_consent(values: dict[str, Any], ctx: Context) -> Record:
    """Validate and normalize one mapped consent row; RowRejected saying what is missing."""
    f = Fields(values)
    refs = customer_refs(f, ctx)
    channel = _required(
        f, "channel", consent_channel, "say which channel (email, sms, phone, ...) it is for"
    )
    status = _required(
        f, "status", consent_status, "say opt_in, opt_out or unsubscribed (or đồng ý/từ chối)"
    )
    recorded_at = f.moment("recorded_at", ctx.day_first)
    if recorded_at is None:
        problem = str(f.issues.pop()) if f.issues else "missing recorded_at"
        raise RowRejected(
            f"{problem}; a consent without its time cannot be ordered against the customer's "
            "other choices: map the column that says when it was given"
        )
    given_id = f.text("consent_id")
    consent_id = given_id or f"{refs['customer_key']}|{channel}|{recorded_at.isoformat()}"
    record = Record(
        key=f"{ctx.source}:{consent_id}",
        props={
            "key": f"{ctx.source}:{consent_id}",
            "source": ctx.source,
            "consent_id": given_id,
            "channel": channel,
            "status": status,
            "precedence": precedence(status),
            "recorded_at": recorded_at,
            "detail": f.text("detail"),
        },
        refs=refs,
    )
    record.issues.extend(f.issues)
    return record.seal()
