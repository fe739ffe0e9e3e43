"""Orders, interactions, device sightings and consent events hanging off each customer record."""

from __future__ import annotations

import math
import random
from collections.abc import Callable

from c360graph.generate.formats import NOW_TS, WINDOW_START_TS, format_ts
from c360graph.generate.ids import IdAllocator
from c360graph.generate.records import Appearance
from c360graph.generate.sources import ACTIVITY_BY_PATH, ORDER_SOURCES
from c360graph.generate.tickets import TICKETS_EN, ticket_row, ticket_text
from c360graph.generate.writer import Row

Emit = Callable[[str, Row], None]

NO_ORDER_RATE = 0.25
HEAVY_BUYER_RATE = 0.03
MAX_ORDERS = 20
_ORDER_FILES = {"webshop": "webshop/orders.csv", "pos": "pos/sales.csv", "app": "app/orders.ndjson"}
_ORDER_PREFIX = {"webshop": "WS", "pos": "T", "app": "APP-"}
_STATUS_ONLINE = (("shipped", 0.65), ("paid", 0.15), ("returned", 0.12), ("cancelled", 0.08))
_STATUS_STORE = (("paid", 0.95), ("returned", 0.05))
_INTERACTION_TYPES = (("ticket", 0.7), ("feedback", 0.15), ("survey", 0.15))
_SUPPORT_CHANNELS = (("call_centre", 0.4), ("email", 0.35), ("chat", 0.25))
TICKETS_PATH = "support/tickets.ndjson"
_FEEDBACK = {
    1: "Terrible experience, will not order again.",
    2: "Delivery was late and nobody answered the phone.",
    3: "Okay overall, the app is a bit slow.",
    4: "Good service, quick delivery.",
    5: "Excellent, the staff were really helpful!",
}
_MENTIONS = (
    "Loving my new order from @shop #happy",
    "Still waiting on my refund @shop_help...",
    "Anyone else's @shop app crashing today?",
    "Great in-store service today, thanks @shop",
    "Never ordering from @shop again. Third late delivery.",
    "@shop sale is on, grab it quick",
)
_CAMPAIGN_NAMES = (
    "Spring Sale",
    "New Arrivals",
    "Summer Sale",
    "Back to School",
    "Black Friday",
    "Winter Warmers",
    "Member Exclusive",
    "Weekend Offers",
)
# One newsletter roughly every 45 days across the whole window.
_CAMPAIGNS = tuple(
    (ts, f"{_CAMPAIGN_NAMES[i % len(_CAMPAIGN_NAMES)]} {format_ts(ts, 'iso_z')[:7]}")
    for i, ts in enumerate(range(WINDOW_START_TS + 10 * 86400, NOW_TS - 3 * 86400, 45 * 86400))
)


def _weighted(rng: random.Random, options: tuple[tuple[str, float], ...]) -> str:
    r = rng.random()
    for value, weight in options:
        r -= weight
        if r < 0:
            return value
    return options[-1][0]


def _order_count(rng: random.Random, ring: bool) -> int:
    if ring:
        return rng.randint(2, 6)
    if rng.random() < NO_ORDER_RATE:
        return 0
    if rng.random() < HEAVY_BUYER_RATE:
        return rng.randint(10, MAX_ORDERS)
    return min(MAX_ORDERS, 1 + int(rng.expovariate(1 / 2.0)))


def emit_orders(rng: random.Random, apps: list[Appearance], ids: IdAllocator, emit: Emit) -> None:
    """Write a person's orders, each against one of their accounts in a selling source."""
    selling = [a for a in apps if a.source.name in ORDER_SOURCES]
    if not selling:
        return
    person = selling[0].person
    ring = bool(person.ring_id)
    currency = person.pool.spec.currency
    for _ in range(_order_count(rng, ring)):
        a = rng.choice(selling)
        name = a.source.name
        path = _ORDER_FILES[name]
        # Rings bust out: large baskets within weeks of opening the accounts.
        amount = rng.uniform(400, 2500) if ring else rng.lognormvariate(math.log(40), 0.9)
        value: float | int = round(amount, 2)
        text = f"{value:.2f}"
        if currency == "VND":
            value = round(amount * 25) * 1000  # about 25,000 dong to the pound/euro/dollar
            text = str(value)
        last = min(NOW_TS, a.opened + 30 * 86400) if ring else NOW_TS
        emit(
            path,
            {
                "order_id": f"{_ORDER_PREFIX[name]}{ids.new('order')}",
                "customer_id": a.source_id,
                "customer_source": name,
                "amount": value if name == "app" else text,
                "currency": currency,
                "ordered_at": format_ts(
                    rng.randint(a.opened, last), ACTIVITY_BY_PATH[path].ts_style
                ),
                "channel": "store"
                if name == "pos"
                else "app"
                if name == "app"
                else ("marketplace" if rng.random() < 0.2 else "web"),
                "status": _weighted(rng, _STATUS_STORE if name == "pos" else _STATUS_ONLINE),
            },
        )


def _interaction(
    a: Appearance,
    iid: str,
    kind: str,
    channel: str,
    ts: int,
    path: str,
    subject: str | None,
    text: str | None,
    rating: int | None = None,
) -> Row:
    return {
        "interaction_id": iid,
        "customer_id": a.source_id,
        "customer_source": a.source.name,
        "type": kind,
        "channel": channel,
        "occurred_at": format_ts(ts, ACTIVITY_BY_PATH[path].ts_style),
        "subject": subject,
        "text": text,
        "rating": rating,
    }


def emit_interactions(rng: random.Random, a: Appearance, ids: IdAllocator, emit: Emit) -> None:
    """Write the tickets and feedback, sessions, campaign emails or mentions of one customer
    record."""
    name = a.source.name
    if name == "support":
        path = "support/feedback.ndjson"
        for _ in range(1 + min(7, int(rng.expovariate(1 / 1.2)))):
            kind = _weighted(rng, _INTERACTION_TYPES)
            ts = rng.randint(a.opened, NOW_TS)
            if kind == "ticket":
                # The same draws as when tickets were plain interactions: the sample is
                # unchanged but for the tickets' language, status and last update.
                subject, body = ticket_text(a, rng.randrange(len(TICKETS_EN)))
                ticket_id = f"TK-{ids.new('order')}"
                channel = _weighted(rng, _SUPPORT_CHANNELS)
                written = (subject, body.format(d=rng.randint(3, 30)))
                style = ACTIVITY_BY_PATH[TICKETS_PATH].ts_style
                emit(TICKETS_PATH, ticket_row(a, ticket_id, channel, ts, written, style))
                continue
            rating = rng.choices((1, 2, 3, 4, 5), (1, 1, 2, 4, 4))[0]
            row = _interaction(
                a,
                f"TK-{ids.new('order')}",
                kind,
                "email",
                ts,
                path,
                "How did we do?" if kind == "survey" else "Your feedback",
                _FEEDBACK[rating],
                rating,
            )
            emit(path, row)
    elif name == "app":
        path = "app/sessions.ndjson"
        for _ in range(min(30, int(rng.expovariate(1 / 4)))):
            device = rng.choice(a.devices).device_id if a.devices else ""
            text = f"device={device} duration={rng.randint(15, 1800)}s screens={rng.randint(1, 40)}"
            emit(
                path,
                _interaction(
                    a,
                    f"SES-{ids.new('order')}",
                    "session",
                    "app",
                    rng.randint(a.opened, NOW_TS),
                    path,
                    "app session",
                    text,
                ),
            )
    elif name == "newsletter":
        path = "newsletter/campaigns.csv"
        sent = [c for c in _CAMPAIGNS if c[0] > a.opened]
        for ts, subject in rng.sample(sent, min(len(sent), int(rng.expovariate(1 / 3)))):
            r = rng.random()
            text = "delivered" if r < 0.5 else "opened" if r < 0.85 else "opened; clicked"
            emit(
                path,
                _interaction(
                    a,
                    f"CMP-{ids.new('order')}",
                    "campaign_email",
                    "email",
                    ts + rng.randint(0, 3 * 86400),
                    path,
                    subject,
                    text,
                ),
            )
    elif name == "social":
        path = "social/mentions.ndjson"
        for _ in range(min(6, int(rng.expovariate(1.0)))):
            emit(
                path,
                _interaction(
                    a,
                    f"MEN-{ids.new('order')}",
                    "social_mention",
                    "social",
                    rng.randint(a.opened, NOW_TS),
                    path,
                    None,
                    rng.choice(_MENTIONS),
                ),
            )


def emit_devices(rng: random.Random, a: Appearance, emit: Emit) -> None:
    """Write one device row per device an app account was seen on."""
    for d in a.devices:
        first = rng.randint(a.opened, NOW_TS)
        emit(
            "app/devices.csv",
            {
                "device_id": d.device_id,
                "customer_id": a.source_id,
                "customer_source": "app",
                "device_type": d.device_type,
                "os": d.os,
                "first_seen": format_ts(first, "iso_z"),
                "last_seen": format_ts(rng.randint(first, NOW_TS), "iso_z"),
            },
        )


# Marketing consent: CRM accounts are asked about email, sms and post when opened; newsletter
# signups opt in to email (double opt-in) and some unsubscribe later.
_CRM_ASKED = (("email", 0.6, 0.75), ("sms", 0.35, 0.5), ("post", 0.15, 0.4))  # asked, yes
_CRM_DETAILS = ("account form", "store sign-up form", "call centre")
_UNSUBSCRIBE_RATE = 0.18
_CHANGE_OF_MIND_RATE = 0.08


def emit_consents(a: Appearance, emit: Emit) -> None:
    """Write the consent events of one CRM or newsletter record.

    Drawn from their own random stream (seeded by the record), so adding them changes none of
    the other generated data.
    """
    name = a.source.name
    if name not in ("crm", "newsletter"):
        return
    rng = random.Random(f"consent:{name}:{a.source_id}")
    path = f"{name}/consents.csv"
    style = ACTIVITY_BY_PATH[path].ts_style

    made: list[int] = []

    def event(channel: str, status: str, ts: int, detail: str) -> None:
        made.append(ts)
        emit(
            path,
            {
                "consent_id": f"{name.upper()}-C-{a.source_id}-{len(made)}",
                "customer_id": a.source_id,
                "customer_source": name,
                "channel": channel,
                "status": status,
                "recorded_at": format_ts(min(ts, NOW_TS), style),
                "detail": detail,
            },
        )

    if name == "newsletter":
        event("email", "opt_in", a.opened + rng.randint(60, 3600), "double opt-in")
        if rng.random() < _UNSUBSCRIBE_RATE:
            event("email", "unsubscribed", rng.randint(a.opened, NOW_TS), "unsubscribe link")
        return
    for channel, asked, yes in _CRM_ASKED:
        if rng.random() >= asked:
            continue
        status = "opt_in" if rng.random() < yes else "opt_out"
        event(channel, status, a.opened + rng.randint(0, 600), rng.choice(_CRM_DETAILS))
        if rng.random() < _CHANGE_OF_MIND_RATE:
            other = "opt_out" if status == "opt_in" else "opt_in"
            event(channel, other, rng.randint(a.opened, NOW_TS), "preference centre")
