"""Canonical fields of each record kind: what a source file must be mapped onto."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from c360graph.graph.schema import IDENTIFIERS


class Kind(StrEnum):
    """The kinds of source file c360graph ingests."""

    CUSTOMERS = "customers"
    ORDERS = "orders"
    INTERACTIONS = "interactions"
    DEVICES = "devices"
    CONSENTS = "consents"
    TICKETS = "tickets"


@dataclass(frozen=True)
class KindSpec:
    """The canonical fields of one record kind: its key, required and multi-valued fields."""

    key: str
    required: tuple[str, ...]
    fields: tuple[str, ...]
    multi: tuple[str, ...] = ()


CUSTOMER_FIELDS = (
    "source_id",
    "first_name",
    "last_name",
    "full_name",
    "email",
    "phone",
    "date_of_birth",
    "gender",
    "address_line1",
    "address_line2",
    "city",
    "postcode",
    "region",
    "country",
    "device_id",
    "loyalty_id",
    "national_id",
    "created_at",
    "updated_at",
    # The columns of identifier kinds declared with one (graph/schema.py).
    *(kind.column for kind in IDENTIFIERS if kind.column),
)

ORDER_FIELDS = (
    "order_id",
    "customer_id",
    "customer_source",
    "amount",
    "currency",
    "ordered_at",
    "channel",
    "status",
)

INTERACTION_FIELDS = (
    "interaction_id",
    "customer_id",
    "customer_source",
    "type",
    "channel",
    "occurred_at",
    "subject",
    "text",
    "rating",
)

# A support desk's tickets: stored as interactions of type ticket (`body` is their `text`,
# `opened_at` their `occurred_at`), with a status and the desk's last update.
TICKET_FIELDS = (
    "ticket_id",
    "customer_id",
    "customer_source",
    "channel",
    "status",
    "subject",
    "body",
    "opened_at",
    "updated_at",
)

DEVICE_FIELDS = (
    "device_id",
    "customer_id",
    "customer_source",
    "device_type",
    "os",
    "first_seen",
    "last_seen",
)

CONSENT_FIELDS = (
    "consent_id",
    "customer_id",
    "customer_source",
    "channel",
    "status",
    "recorded_at",
    "detail",
)

SPECS: dict[Kind, KindSpec] = {
    Kind.CUSTOMERS: KindSpec(
        key="source_id",
        required=("source_id",),
        fields=CUSTOMER_FIELDS,
        # A list, or one string with values separated by '|' or ';'.
        multi=("email", "phone", "device_id", *(k.column for k in IDENTIFIERS if k.column)),
    ),
    Kind.ORDERS: KindSpec(
        key="order_id", required=("order_id", "customer_id"), fields=ORDER_FIELDS
    ),
    Kind.INTERACTIONS: KindSpec(
        key="interaction_id",
        required=("interaction_id", "customer_id"),
        fields=INTERACTION_FIELDS,
    ),
    Kind.DEVICES: KindSpec(
        key="device_id", required=("device_id", "customer_id"), fields=DEVICE_FIELDS
    ),
    Kind.TICKETS: KindSpec(
        key="ticket_id", required=("ticket_id", "customer_id"), fields=TICKET_FIELDS
    ),
    # consent_id is optional: without one, a consent is keyed by customer, channel and time.
    Kind.CONSENTS: KindSpec(
        key="consent_id",
        required=("customer_id", "channel", "status", "recorded_at"),
        fields=CONSENT_FIELDS,
    ),
}

# The customer details an order export may carry beside each order (the customer's name,
# email, phone...): ingested as that customer's record in the same run (graph/load.py).
CARRIED_CUSTOMER_FIELDS: dict[Kind, tuple[str, ...]] = {
    Kind.ORDERS: tuple(f for f in CUSTOMER_FIELDS if f not in ("source_id",)),
}

# Plural spellings accepted for multi-valued customer fields.
ALIASES: dict[str, str] = {"emails": "email", "phones": "phone", "device_ids": "device_id"}
