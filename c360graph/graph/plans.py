"""Write plans: how each record kind is prepared, compared and written, declared as data."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from c360graph.graph.schema import IDENTIFIERS
from c360graph.sources.activity import (
    prepare_device_link,
    prepare_interaction,
    prepare_order,
    prepare_ticket,
)
from c360graph.sources.consent import prepare_consent
from c360graph.sources.customers import prepare_customer
from c360graph.sources.fields import Kind
from c360graph.sources.records import Context, Record

Params = dict[str, Any]


def _customer_row(record: Record) -> Params:
    row: Params = {"props": record.props}
    for kind in IDENTIFIERS:
        row[kind.name] = [
            {"value": link.value, "raw": link.raw} for link in record.links.get(kind, [])
        ]
    return row


def _activity_row(record: Record) -> Params:
    return {"props": record.props, **record.refs}


def _device_row(record: Record) -> Params:
    return {**record.refs, "link": record.props}


def _device_key(record: Record) -> Any:
    return {"customer_key": record.refs["customer_key"], "device_id": record.refs["device_id"]}


@dataclass(frozen=True)
class Plan:
    """How one record kind goes into the graph."""

    prepare: Callable[[dict[str, Any], Context], Record]
    existing_query: str
    create_query: str
    update_query: str
    row: Callable[[Record], Params]
    # Notes the field problems of kept records (graph/runs.py): on the record, or on the
    # customer of a device row.
    problems_query: str
    lookup_key: Callable[[Record], Any] = lambda record: record.key
    uses_channels: bool = False


PLANS: dict[Kind, Plan] = {
    Kind.CUSTOMERS: Plan(
        prepare_customer,
        "ingest/existing_customers",
        "ingest/create_customers",
        "ingest/update_customers",
        _customer_row,
        "ingest/problems_customers",
    ),
    Kind.ORDERS: Plan(
        prepare_order,
        "ingest/existing_orders",
        "ingest/create_orders",
        "ingest/update_orders",
        _activity_row,
        "ingest/problems_orders",
        uses_channels=True,
    ),
    Kind.INTERACTIONS: Plan(
        prepare_interaction,
        "ingest/existing_interactions",
        "ingest/create_interactions",
        "ingest/update_interactions",
        _activity_row,
        "ingest/problems_interactions",
        uses_channels=True,
    ),
    # Tickets are interactions of type ticket, written by the same queries.
    Kind.TICKETS: Plan(
        prepare_ticket,
        "ingest/existing_interactions",
        "ingest/create_interactions",
        "ingest/update_interactions",
        _activity_row,
        "ingest/problems_interactions",
        uses_channels=True,
    ),
    Kind.DEVICES: Plan(
        prepare_device_link,
        "ingest/existing_device_links",
        "ingest/link_devices",
        "ingest/link_devices",
        _device_row,
        "ingest/problems_customers",
        lookup_key=_device_key,
    ),
    Kind.CONSENTS: Plan(
        prepare_consent,
        "ingest/existing_consents",
        "ingest/create_consents",
        "ingest/update_consents",
        _activity_row,
        "ingest/problems_consents",
    ),
}


def merge_steps(records: list[Record], plan: Plan, now: Any) -> list[tuple[str, Params]]:
    """The queries that create the identifier and channel nodes a batch links to, deduplicated."""
    steps: list[tuple[str, Params]] = []
    for kind in IDENTIFIERS:
        distinct: dict[str, dict[str, Any]] = {}
        for record in records:
            for node in record.identifiers.get(kind, []):
                distinct.setdefault(node[kind.key], node)
        if distinct:
            steps.append((kind.merge_query, {"values": list(distinct.values()), "now": now}))
    if plan.uses_channels:
        channels = sorted({record.refs["channel"] for record in records})
        steps.append(
            ("ingest/merge_channels", {"values": [{"name": c} for c in channels], "now": now})
        )
    return steps
